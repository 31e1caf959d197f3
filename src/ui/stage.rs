//! The stage: nodes, links, the broker's log strip and the messages in flight, as SVG.

use super::i18n::use_lang;
use crate::view::i18n::{tr, Lang, Text};
use crate::view::stage::{STAGE_HEIGHT, STAGE_WIDTH};
use crate::view::{Flight, Frame, NodeShape};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub frame: Frame,
}

#[function_component(Stage)]
pub fn stage(props: &StageProps) -> Html {
    let lang = use_lang();
    let f = &props.frame;
    let view_box = format!("0 0 {STAGE_WIDTH} {STAGE_HEIGHT}");
    html! {
        <svg class="stage" viewBox={view_box} role="img"
            aria-label={tr(lang, Text::StageLabel)}>
            { links(&f.nodes) }
            { for f.nodes.iter().map(|n| node(n, lang)) }
            { log_strip(f, lang) }
            { for f.flights.iter().map(flight) }
        </svg>
    }
}

fn links(nodes: &[NodeShape]) -> Html {
    html! {
        <g class="links">
            { for nodes.windows(2).map(|pair| html! {
                <line class="link" x1={pair[0].center.x.to_string()} y1={pair[0].center.y.to_string()}
                    x2={pair[1].center.x.to_string()} y2={pair[1].center.y.to_string()} />
            }) }
        </g>
    }
}

fn role_text(role: &str) -> Option<Text> {
    match role {
        "producer" => Some(Text::RoleProducer),
        "broker" => Some(Text::RoleBroker),
        "consumer" => Some(Text::RoleConsumer),
        _ => None,
    }
}

fn node(n: &NodeShape, lang: Lang) -> Html {
    let role = role_text(n.role).map_or(n.role, |t| tr(lang, t));
    let (x, y) = (n.center.x, n.center.y);
    html! {
        <g class={classes!("node", format!("node-{}", n.role))} data-node={n.label.clone()}>
            <rect x={(x - 48.0).to_string()} y={(y - 30.0).to_string()} width="96" height="60" rx="10" />
            <text class="node-label" x={x.to_string()} y={(y - 4.0).to_string()} text-anchor="middle">
                { n.label.clone() }
            </text>
            <text class="node-role" x={x.to_string()} y={(y + 16.0).to_string()} text-anchor="middle">
                { role }
            </text>
        </g>
    }
}

fn log_strip(f: &Frame, lang: Lang) -> Html {
    let Some(broker) = f.nodes.iter().find(|n| n.role == "broker") else {
        return html! {};
    };
    let cell_w = 34.0;
    let x0 = broker.center.x - 48.0;
    let y = broker.center.y + 48.0;
    html! {
        <g class="log">
            <text class="log-title" x={x0.to_string()} y={(y - 6.0).to_string()}>{ tr(lang, Text::LogTitle) }</text>
            { for f.log.iter().map(|cell| {
                let x = x0 + cell.offset as f64 * cell_w;
                html! {
                    <g class="log-cell" data-offset={cell.offset.to_string()}>
                        <rect x={x.to_string()} y={y.to_string()} width={(cell_w - 2.0).to_string()} height="26" />
                        <text x={(x + cell_w / 2.0 - 1.0).to_string()} y={(y + 17.0).to_string()} text-anchor="middle">
                            { cell.label.clone() }
                        </text>
                    </g>
                }
            }) }
        </g>
    }
}

fn flight(fl: &Flight) -> Html {
    let (x, y) = (fl.at.x, fl.at.y);
    html! {
        <g class={fl.class} data-message={fl.id.to_string()}
            transform={format!("translate({x:.1} {y:.1})")}>
            <rect x="-24" y="-10" width="48" height="20" rx="5" />
            <text y="4" text-anchor="middle">{ fl.label.clone() }</text>
        </g>
    }
}
