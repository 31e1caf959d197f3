//! The stage: brokers with their replica log strips, producers and consumers, and every message
//! in flight, as SVG. Draws a [`Frame`]; decides nothing.

use super::i18n::use_lang;
use crate::model::{MessageKind, NodeId};
use crate::view::i18n::{tr, trf, Lang, Text};
use crate::view::layout::Point;
use crate::view::layout::CELL_WIDTH;
use crate::view::stage::Path;
use crate::view::stage::{cell_label, marker_class, message_class, CELL_HEIGHT};
use crate::view::{Flight, Frame, NodeView, Strip};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, SvgGraphicsElement, SvgTransform, SvgsvgElement};
use yew::prelude::*;

mod flights;

pub use flights::placed_flights;
use flights::{clicked_message, FlightLayer};

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub frame: Rc<Frame>,
    /// A message was clicked (by id).
    pub on_select: Callback<u64>,
    /// The record whose journey is highlighted.
    pub selected_record: Option<u32>,
    /// The stage's accessible name, when a page shows more than one (side by side).
    #[prop_or_default]
    pub label: Option<AttrValue>,
}

/// Redrawn on every animation frame while playing, so the parts that change only with trace
/// events (log strips, message bodies) are components that Yew skips when their props are
/// equal. The messages in flight are drawn and moved after each render by a [`FlightLayer`].
#[function_component(Stage)]
pub fn stage(props: &StageProps) -> Html {
    let lang = use_lang();
    let f = &props.frame;
    let selected = props.selected_record;
    let layer = use_node_ref();
    let flights = use_mut_ref(FlightLayer::default);
    {
        let (layer, frame, flights) = (layer.clone(), Rc::clone(f), flights.clone());
        use_effect(move || {
            if let Some(layer) = layer.cast::<Element>() {
                flights.borrow_mut().sync(&layer, &frame, selected);
            }
        });
    }
    let view_box = view_box(f.width, f.height);
    let label = props
        .label
        .clone()
        .unwrap_or_else(|| tr(lang, Text::StageLabel).into());
    // One listener for every message: the clicked one names itself in `data-message`.
    let on_click = use_callback(props.on_select.clone(), |e: MouseEvent, on_select| {
        if let Some(id) = clicked_message(&e) {
            on_select.emit(id);
        }
    });
    html! {
        // On a narrow screen the stage keeps a readable size and scrolls sideways in its frame.
        <div class="stage-scroll" tabindex="0" role="region" aria-label={label.clone()}>
        <div class="stage-frame">
        <svg class="stage" viewBox={view_box} role="img" aria-label={label}>
            { for f.cuts.iter().map(|(a, b)| html! {
                <line class="cut" x1={n(a.x)} y1={n(a.y)} x2={n(b.x)} y2={n(b.y)} />
            }) }
            { for f.nodes.iter().map(|node| node_box(node, f, lang)) }
            { for f.strips.iter().map(|s| html! {
                <StripView strip={Rc::clone(s)} {lang}
                    selected={selected.filter(|r| s.cells.iter().any(|c| c.record == *r))} />
            }) }
        </svg>
        // The messages in flight, drawn and moved by [`FlightLayer`], not by Yew, on SVGs of
        // their own (one per link and stretch of sending times) laid exactly over the stage
        // (same box, same viewBox): moving them leaves the stage's own SVG unchanged. The saved SVG puts them back into the stage
        // (`files::stage_svg`).
        <div class="stage-flights" aria-hidden="true" onclick={on_click} ref={layer} />
        </div>
        </div>
    }
}

/// The stage's viewBox for a frame `width` × `height` (in its units).
fn view_box(width: f64, height: f64) -> String {
    format!("0 0 {width} {:.0}", height)
}

/// Numbers in SVG attributes, rounded so diffs stay small.
fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// A record's identity colour: the golden angle spreads neighbours far apart on the wheel.
pub fn record_hue(record: u32) -> u32 {
    (record.wrapping_mul(137)) % 360
}

fn role(id: NodeId) -> (Text, &'static str) {
    match id {
        NodeId::Producer(_) => (Text::RoleProducer, "producer"),
        NodeId::Broker(_) => (Text::RoleBroker, "broker"),
        NodeId::Consumer(_) | NodeId::Controller => (Text::RoleConsumer, "consumer"),
    }
}

fn node_box(node: &NodeView, f: &Frame, lang: Lang) -> Html {
    let r = node.rect;
    let (role_text, role_class) = role(node.id);
    let state = if node.down {
        Some(format!("✕ {}", tr(lang, Text::Crashed)))
    } else if node.fenced {
        Some(format!("✕ {}", tr(lang, Text::Fenced)))
    } else if node.paused {
        Some(format!("‖ {}", tr(lang, Text::Paused)))
    } else {
        None
    };
    let class = classes!(
        "node",
        format!("node-{role_class}"),
        node.down.then_some("is-down"),
        node.fenced.then_some("is-fenced"),
        node.paused.then_some("is-paused")
    );
    let is_broker = matches!(node.id, NodeId::Broker(_));
    let title_y = if is_broker { r.y + 20.0 } else { r.y + 22.0 };
    html! {
        <g {class} data-node={node.id.to_string()}>
            <rect x={n(r.x)} y={n(r.y)} width={n(r.width)} height={n(r.height)} rx="10" />
            <text class="node-label" x={n(r.x + 10.0)} y={n(title_y)}>{ node.id.to_string() }</text>
            <text class="node-role" x={n(r.x + 42.0)} y={n(title_y)}>{ tr(lang, role_text) }</text>
            if let Some(state) = state {
                <text class="node-state" x={n(r.x + r.width - 10.0)} y={n(title_y)} text-anchor="end">
                    { state }
                </text>
            }
            { client_details(node, f, lang) }
        </g>
    }
}

fn client_details(node: &NodeView, f: &Frame, lang: Lang) -> Html {
    let r = node.rect;
    let line = |i: usize, text: String| {
        html! {
            <text class="node-detail" x={n(r.x + 10.0)} y={n(r.y + 40.0 + 14.0 * i as f64)}>{ text }</text>
        }
    };
    match node.id {
        NodeId::Producer(_) => {
            let Some(p) = f.scene.producers.get(&node.id) else {
                return html! {};
            };
            let pid = p.producer_id.map_or("–".to_string(), |id| id.to_string());
            html! { <>
                { line(0, trf(lang, Text::ProducerIdLine, &[&pid, &p.producer_epoch.to_string()])) }
                { line(1, trf(lang, Text::ProducerCounts, &[&p.sent.to_string(), &p.acked.to_string()])) }
            </> }
        }
        NodeId::Consumer(_) => {
            let Some(c) = f.scene.consumers.get(&node.id) else {
                return html! {};
            };
            let none = tr(lang, Text::None);
            let partitions: Vec<u32> = c
                .position
                .keys()
                .chain(c.committed.keys())
                .copied()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                // A subscribed consumer's first line is its group: one partition line less.
                .take(if c.subscribed { 1 } else { 2 })
                .collect();
            let show = |o: Option<&u64>| o.map_or(none.to_string(), |o| o.to_string());
            let group = c.subscribed.then(|| group_line(c, lang));
            let first = usize::from(group.is_some());
            html! { <>
                { for group.map(|g| line(0, g)) }
                { for partitions.iter().enumerate().map(|(i, p)| line(first + i, trf(lang, Text::ConsumerLine,
                    &[&p.to_string(), &show(c.position.get(p)), &show(c.committed.get(p))]))) }
                { line(first + partitions.len(), trf(lang, Text::ConsumerProcessed, &[&c.processed.to_string()])) }
            </> }
        }
        _ => html! {},
    }
}

/// "group g · gen 3 · p0,p1": a subscribed consumer's group, generation and partitions.
fn group_line(c: &crate::view::scene::ConsumerState, lang: Lang) -> String {
    if c.left_group {
        return trf(lang, Text::ConsumerZombie, &[&c.group]);
    }
    if c.generation < 0 {
        return trf(lang, Text::ConsumerNotMember, &[&c.group]);
    }
    let ps: Vec<String> = c.assigned.iter().map(|p| format!("p{p}")).collect();
    let ps = if ps.is_empty() {
        "–".to_string()
    } else {
        ps.join(",")
    };
    trf(
        lang,
        Text::ConsumerGroupLine,
        &[&c.group, &c.generation.to_string(), &ps],
    )
}

#[derive(Properties, PartialEq)]
struct StripProps {
    strip: Rc<Strip>,
    lang: Lang,
    /// The highlighted record, when this strip holds it.
    selected: Option<u32>,
}

/// A replica's log strip: redrawn only when the strip itself changes.
#[function_component(StripView)]
fn strip_view(props: &StripProps) -> Html {
    let (s, lang, selected) = (&*props.strip, props.lang, props.selected);
    let y = s.y + 5.0;
    let class = classes!(
        "strip",
        s.is_leader.then_some("is-leader"),
        (!s.in_isr).then_some("out-of-isr"),
        s.offline.then_some("is-offline")
    );
    let badge = if s.offline {
        tr(lang, Text::Offline).to_string()
    } else if s.is_leader {
        format!("{} e{}", tr(lang, Text::Leader), s.leader_epoch)
    } else if !s.in_isr {
        tr(lang, Text::OutOfSync).to_string()
    } else {
        String::new()
    };
    let hidden = (s.hidden > 0).then(|| format!("…{}", s.hidden));
    let long_label = s.label.chars().count() > 3;
    html! {
        <g {class} data-broker={s.broker.to_string()} data-partition={s.partition.to_string()}
            data-leo={s.log_end_offset.to_string()} data-hw={s.high_watermark.to_string()}>
            // Longer names (`co-3`, `out-0`) are drawn narrower, clear of the leader badge.
            <text class="strip-label" x={n(s.x + 10.0)} y={n(y + 16.0)}
                textLength={long_label.then_some("22")}
                lengthAdjust={long_label.then_some("spacingAndGlyphs")}>{ s.label.clone() }</text>
            <text class="strip-badge" x={n(s.x + 34.0)} y={n(y + 16.0)}>{ badge }</text>
            if let Some(hidden) = hidden {
                // Above the first drawn cell, clear of the leader badge.
                <text class="strip-hidden" x={n(s.cells.first().map_or(s.x, |c| c.x))} y={n(y - 1.0)}>
                    { hidden }
                </text>
            }
            { for s.cells.iter().map(|c| {
                let style = format!("--hue: {}", record_hue(c.record));
                html! {
                    <g class={classes!("cell", (!c.committed).then_some("uncommitted"),
                        c.deleted.then_some("deleted"),
                        marker_class(c),
                        (selected == Some(c.record)).then_some("is-selected"))}
                        data-offset={c.offset.to_string()} data-record={c.record.to_string()} {style}>
                        <rect x={n(c.x)} y={n(y)} width={n(CELL_WIDTH - 2.0)} height={n(CELL_HEIGHT)} rx="3" />
                        <text x={n(c.x + CELL_WIDTH / 2.0 - 1.0)} y={n(y + 16.0)} text-anchor="middle">
                            { cell_label(c) }
                        </text>
                    </g>
                }
            }) }
            <line class="marker-hw" x1={n(s.cells.first().map_or(s.hw_x, |c| c.x))} x2={n(s.hw_x)}
                y1={n(y + CELL_HEIGHT + 2.0)} y2={n(y + CELL_HEIGHT + 2.0)} />
            if let Some((lso, lso_x)) = s.lso {
                <line class="marker-lso" x1={n(lso_x)} x2={n(lso_x)} y1={n(y - 2.0)} y2={n(y + CELL_HEIGHT + 2.0)}
                    data-lso={lso.to_string()}>
                    <title>{ format!("LSO {lso}") }</title>
                </line>
            }
            <line class="marker-leo" x1={n(s.leo_x)} x2={n(s.leo_x)} y1={n(y - 2.0)} y2={n(y + CELL_HEIGHT + 2.0)} />
            <text class="marker-label" x={n(s.leo_x + 5.0)} y={n(y + 15.0)}>
                { format!("{} {} · {} {}", tr(lang, Text::LogEndShort), s.log_end_offset,
                    tr(lang, Text::HighWatermarkShort), s.high_watermark) }
            </text>
        </g>
    }
}
