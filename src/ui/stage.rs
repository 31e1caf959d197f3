//! The stage: brokers with their replica log strips, producers and consumers, and every message
//! in flight, as SVG. Draws a [`Frame`]; decides nothing.

use super::i18n::use_lang;
use crate::model::{MessageKind, NodeId};
use crate::view::i18n::{tr, trf, Lang, Text};
use crate::view::layout::CELL_WIDTH;
use crate::view::stage::{cell_label, marker_class, message_class, CELL_HEIGHT};
use crate::view::{Flight, Frame, NodeView, Strip};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{SvgGraphicsElement, SvgTransform};
use yew::prelude::*;

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
/// equal. The messages in flight are drawn by Yew only when they come and go; between those
/// moments they are moved here, after each render, through their own SVG transforms.
#[function_component(Stage)]
pub fn stage(props: &StageProps) -> Html {
    let lang = use_lang();
    let f = &props.frame;
    let selected = props.selected_record;
    let layer = use_node_ref();
    let chunks = use_mut_ref(|| Rc::new(Vec::<FlightChunk>::new()));
    let chunks = {
        let mut chunks = chunks.borrow_mut();
        let (next, changed) = chunk_flights(&chunks, &f.flights);
        if changed {
            *chunks = Rc::new(next);
        }
        Rc::clone(&chunks)
    };
    let movers = use_mut_ref(Vec::<Mover>::new);
    {
        let (layer, frame, movers) = (layer.clone(), Rc::clone(f), movers.clone());
        let chunks = Rc::clone(&chunks);
        use_effect(move || {
            let mut movers = movers.borrow_mut();
            place_flights(&layer, &chunks, &frame, &mut movers);
        });
    }
    let view_box = format!("0 0 {} {:.0}", f.width, f.height);
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
        <svg class="stage" viewBox={view_box} role="img" aria-label={label}>
            { for f.cuts.iter().map(|(a, b)| html! {
                <line class="cut" x1={n(a.x)} y1={n(a.y)} x2={n(b.x)} y2={n(b.y)} />
            }) }
            { for f.nodes.iter().map(|node| node_box(node, f, lang)) }
            { for f.strips.iter().map(|s| html! {
                <StripView strip={Rc::clone(s)} {lang}
                    selected={selected.filter(|r| s.cells.iter().any(|c| c.record == *r))} />
            }) }
            <Flights {chunks} {selected} {on_click} {layer} />
        </svg>
        </div>
    }
}

/// What a message in flight looks like: fixed from its sending to its arrival.
#[derive(Debug, PartialEq)]
struct FlightLook {
    id: u64,
    kind: MessageKind,
    label: AttrValue,
    record: Option<u32>,
    error: bool,
}

impl FlightLook {
    fn of(fl: &Flight) -> Self {
        Self {
            id: fl.id,
            kind: fl.kind,
            label: AttrValue::from(fl.label.clone()),
            record: fl.record,
            error: fl.error,
        }
    }
}

/// How many messages in flight share a chunk: the messages are drawn in chunks of consecutive
/// ids, so when one comes or goes Yew redraws only its chunk (a busy cluster has ~260 messages
/// in flight and ~17 come or go in each 60 fps frame, mostly in the newest chunk).
const CHUNK: u64 = 32;

/// Consecutive messages in flight (ids `key * CHUNK ..`), in the frame's order.
#[derive(Debug)]
struct FlightChunk {
    key: u64,
    looks: Rc<Vec<FlightLook>>,
}

/// The frame's messages in chunks, reusing each of `old`'s chunks whose messages are the same;
/// and whether any message came or went. The frame lists its messages by id.
fn chunk_flights(old: &[FlightChunk], flights: &[Flight]) -> (Vec<FlightChunk>, bool) {
    let mut out: Vec<FlightChunk> = Vec::new();
    let mut changed = false;
    let mut rest = flights;
    while let Some(first) = rest.first() {
        let key = first.id / CHUNK;
        let len = rest.iter().take_while(|fl| fl.id / CHUNK == key).count();
        let (these, after) = rest.split_at(len);
        rest = after;
        let same = old.iter().find(|c| c.key == key).filter(|c| {
            c.looks
                .iter()
                .map(|l| l.id)
                .eq(these.iter().map(|fl| fl.id))
        });
        let looks = match same {
            Some(c) => Rc::clone(&c.looks),
            None => {
                changed = true;
                Rc::new(these.iter().map(FlightLook::of).collect())
            }
        };
        out.push(FlightChunk { key, looks });
    }
    // A chunk that emptied is not in `out`; the counts tell.
    changed |= out.len() != old.len();
    (out, changed)
}

#[derive(Properties)]
struct FlightsProps {
    /// The messages in flight by chunk: a new list only when one comes or goes.
    chunks: Rc<Vec<FlightChunk>>,
    selected: Option<u32>,
    on_click: Callback<MouseEvent>,
    layer: NodeRef,
}

impl PartialEq for FlightsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.chunks, &other.chunks)
            && self.selected == other.selected
            && self.on_click == other.on_click
            && self.layer == other.layer
    }
}

/// The messages in flight, in chunks, each message drawn at the origin in its own group,
/// which [`place_flights`] moves.
#[function_component(Flights)]
fn flights(props: &FlightsProps) -> Html {
    let selected = props.selected;
    html! {
        <g class="flights" onclick={props.on_click.clone()} ref={props.layer.clone()}>
            { for props.chunks.iter().map(|c| html! {
                <Chunk key={c.key} chunk={c.key} looks={Rc::clone(&c.looks)}
                    selected={selected.filter(|r| c.looks.iter().any(|l| l.record == Some(*r)))} />
            }) }
        </g>
    }
}

#[derive(Properties)]
struct ChunkProps {
    chunk: u64,
    looks: Rc<Vec<FlightLook>>,
    /// The highlighted record, when one of this chunk's messages carries it.
    selected: Option<u32>,
}

impl PartialEq for ChunkProps {
    fn eq(&self, other: &Self) -> bool {
        self.chunk == other.chunk
            && Rc::ptr_eq(&self.looks, &other.looks)
            && self.selected == other.selected
    }
}

/// A chunk of messages in flight: redrawn only when one of them comes, goes or is highlighted.
#[function_component(Chunk)]
fn chunk(props: &ChunkProps) -> Html {
    let selected = props.selected;
    html! {
        <g class="flight-chunk" data-chunk={props.chunk.to_string()}>
            { for props.looks.iter().map(|fl| html! {
                <g key={fl.id} data-flight={fl.id.to_string()}>
                    <FlightBody id={fl.id} kind={fl.kind} label={fl.label.clone()}
                        record={fl.record} error={fl.error}
                        selected={selected.is_some() && selected == fl.record} />
                </g>
            }) }
        </g>
    }
}

/// A drawn message's transform, and where it last put the message.
struct Mover {
    id: u64,
    transform: SvgTransform,
    at: (f32, f32),
}

/// Moves each message in flight to its place in `frame`, through the transform of its group
/// (numbers, no attribute text to build and parse for every message on every frame). The
/// groups are the flight layer's children, in the frame's order. A transform is a presentation
/// attribute, so moving an element restyles it: the bare group around each message is cheaper
/// to restyle than the message's own classed group (with the transform on the latter, the
/// busy-cluster benchmark's style time per frame was 2.7–2.9 ms against 2.2–2.3 ms).
fn place_flights(layer: &NodeRef, chunks: &[FlightChunk], frame: &Frame, movers: &mut Vec<Mover>) {
    let Some(layer) = layer.cast::<SvgGraphicsElement>() else {
        return;
    };
    // The movers are kept in the frame's order (by id), so each frame's messages are matched
    // with them in one walk, without hashing: a message that went is passed over and dropped
    // with its group; if its id comes again (a new run numbers its messages afresh), it gets a
    // new group and a new mover.
    let mut old = std::mem::take(movers).into_iter().peekable();
    let chunk_groups = layer.children();
    let mut flights = frame.flights.iter();
    for (ci, chunk) in chunks.iter().enumerate() {
        // The chunk's groups, looked up only when one of its messages is new.
        let mut groups = None;
        for (j, (look, fl)) in chunk.looks.iter().zip(flights.by_ref()).enumerate() {
            if look.id != fl.id {
                // Chunks built from another frame: placed at the next render.
                movers.extend(old);
                return;
            }
            // Rounded to a tenth of a unit, as the rest of the stage is.
            let at = (
                ((fl.at.x * 10.0).round() / 10.0) as f32,
                ((fl.at.y * 10.0).round() / 10.0) as f32,
            );
            while old.next_if(|m| m.id < fl.id).is_some() {}
            if let Some(mut mover) = old.next_if(|m| m.id == fl.id) {
                if mover.at != at && mover.transform.set_translate(at.0, at.1).is_ok() {
                    mover.at = at;
                }
                movers.push(mover);
                continue;
            }
            let groups = groups.get_or_insert_with(|| {
                chunk_groups
                    .item(ci as u32)
                    .filter(|g| g.get_attribute("data-chunk") == Some(chunk.key.to_string()))
                    .map(|g| g.children())
            });
            let Some(group) = groups
                .as_ref()
                .and_then(|groups| groups.item(j as u32))
                .filter(|g| g.get_attribute("data-flight") == Some(fl.id.to_string()))
                .and_then(|g| g.dyn_into::<SvgGraphicsElement>().ok())
            else {
                continue;
            };
            let Some(svg) = group.owner_svg_element() else {
                continue;
            };
            let transform = svg.create_svg_transform();
            if transform.set_translate(at.0, at.1).is_err() {
                continue;
            }
            let list = group.transform().base_val();
            list.clear().ok();
            if let Ok(transform) = list.append_item(&transform) {
                movers.push(Mover {
                    id: fl.id,
                    transform,
                    at,
                });
            }
        }
    }
}

/// The message under a click on the stage, if any.
fn clicked_message(e: &MouseEvent) -> Option<u64> {
    e.target_dyn_into::<web_sys::Element>()?
        .closest("[data-message]")
        .ok()??
        .get_attribute("data-message")?
        .parse()
        .ok()
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

#[derive(Properties, PartialEq)]
struct FlightProps {
    id: u64,
    kind: MessageKind,
    label: AttrValue,
    record: Option<u32>,
    error: bool,
    selected: bool,
}

/// A message in flight, drawn at the origin: the stage moves it. Redrawn only when it changes
/// (selected, for instance), not as it travels.
#[function_component(FlightBody)]
fn flight_body(fl: &FlightProps) -> Html {
    let class = classes!(
        message_class(fl.kind),
        fl.error.then_some("is-error"),
        fl.selected.then_some("is-selected")
    );
    let style = fl
        .record
        .map(|r| format!("--hue: {}", record_hue(r)))
        .unwrap_or_default();
    let width = (fl.label.chars().count() as f64 * 6.4 + 14.0).max(26.0);
    html! {
        <g {class} {style} data-message={fl.id.to_string()} data-record={fl.record.map(|r| r.to_string())}>
            <rect class="msg-shape" x={n(-width / 2.0)} y="-9" width={n(width)} height="18" />
            if fl.record.is_some() {
                <rect class="msg-chip" x={n(-width / 2.0)} y="-9" width="5" height="18" />
            }
            <text y="4" text-anchor="middle">{ fl.label.clone() }</text>
        </g>
    }
}
