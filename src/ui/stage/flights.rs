//! The messages in flight, drawn without Yew: a layer that adds and removes each message's
//! element by id and moves the messages of one link together under one transform; and, for the
//! saved SVG, each message's place flattened into its own transform.

use super::*;

/// What a message in flight looks like: fixed from its sending to its arrival.
#[derive(Debug, PartialEq)]
struct FlightLook {
    id: u64,
    kind: MessageKind,
    label: String,
    record: Option<u32>,
    error: bool,
}

impl FlightLook {
    fn of(fl: &Flight) -> Self {
        Self {
            id: fl.id,
            kind: fl.kind,
            label: fl.label.clone(),
            record: fl.record,
            error: fl.error,
        }
    }

    fn is(&self, fl: &Flight) -> bool {
        self.id == fl.id
            && self.kind == fl.kind
            && self.record == fl.record
            && self.error == fl.error
            && self.label == fl.label
    }

    /// The message group's classes, as Yew would join them.
    fn class(&self, selected: Option<u32>) -> String {
        let mut class = message_class(self.kind).to_string();
        if self.error {
            class.push_str(" is-error");
        }
        if selected.is_some() && selected == self.record {
            class.push_str(" is-selected");
        }
        class
    }
}

/// A drawn message: its look and way, its group (whose transform places it on its link's
/// SVG), the message's own group (whose class says whether it is highlighted), the group's
/// transform, and its link (a slot in [`FlightLayer::links`]).
struct Mover {
    look: FlightLook,
    path: Path,
    group: Element,
    body: Element,
    transform: SvgTransform,
    link: usize,
}

/// The messages on one link that travel at the same pace and were sent close together, on an
/// SVG of their own (the stage's size and viewBox) moved by its CSS transform.
struct Link {
    key: [u64; 5],
    /// Which stretch of sending times its messages were sent in ([`batch`]).
    batch: i64,
    svg: SvgsvgElement,
    /// The SVG's style, whose `transform` moves it.
    style: web_sys::CssStyleDeclaration,
    /// The moment the link's shift is counted from ([`epoch_ms`]): its messages' origins are
    /// their places then. Moved on (and the origins with it) every few flights, so the sums
    /// stay exact in the transforms' single precision.
    epoch_ms: f64,
    /// Where the transform last put the SVG, in percent of the stage's width and height.
    at: (f32, f32),
    /// Its messages in this frame.
    count: usize,
}

/// The messages in flight, drawn without Yew: about 260 travel at once in a busy cluster and
/// several come and go on every frame, and building each as Yew components (a scope, a virtual
/// node and a diff for each) cost more than the DOM work itself. Each frame the frame's
/// messages (listed by id) are matched with the drawn ones (kept by id) in one walk: a message
/// that went loses its group and a new one gets a copy of a prepared group with its own
/// attributes set. A message travels its link at a steady pace, so the messages on the same
/// link at the same pace and sent close together are drawn on one SVG of their own
/// (`svg.flight-link`, laid over the stage with its size and viewBox), each at its place at the
/// link's epoch (fixed for its flight), and moved together by that SVG's CSS `transform`: a
/// layer the browser moves as a whole without drawing its messages again (only those beside a
/// message that comes or goes are), where moving groups inside one SVG had it record and
/// rasterize every message in every frame (BENCHMARKS.md, ninth round). The markup of a message
/// is what Yew drew before: `<g data-flight transform><g class="msg …" style="--hue: …"
/// data-message data-record><rect class="msg-shape"/>[<rect class="msg-chip"/>]<text/></g></g>`,
/// so clicks, the styles and the tests see the same stage; the saved SVG puts each message where
/// the stage shows it ([`placed_flights`]).
#[derive(Default)]
pub(super) struct FlightLayer {
    /// The layer the messages were drawn in (a new one starts afresh).
    layer: Option<Element>,
    /// The stage's size, in its units (a new one starts afresh).
    size: (f64, f64),
    movers: Vec<Mover>,
    /// The links' SVGs, by slot (a link whose messages all arrived leaves its slot empty).
    links: Vec<Option<Link>>,
    selected: Option<u32>,
    /// Prepared groups to copy: without and with a record's colour chip.
    templates: [Option<Element>; 2],
}

/// A link's messages sent within the same this much of a flight's time share an SVG: a message
/// that comes or goes has only its few neighbours drawn again with it, not every message on the
/// link (about 100 between a producer and a broker in a busy cluster).
const BATCHES_PER_SPAN: f64 = 8.0;

/// The stretch of sending times a message on `path` was sent in.
fn batch(path: &Path) -> i64 {
    (path.sent_at_ms as f64 / (path.span_ms / BATCHES_PER_SPAN)).floor() as i64
}

/// A link's shift is counted afresh every this many flights' worth of time.
const EPOCH_SPANS: f64 = 4.0;

/// The moment a link's shift is counted from at `cursor`: the start of the stretch of
/// [`EPOCH_SPANS`] flights it is in. A function of the cursor alone, so the stage's markup at
/// a moment does not depend on how the cursor came there.
fn epoch_ms(cursor: f64, span_ms: f64) -> f64 {
    let stretch = EPOCH_SPANS * span_ms;
    (cursor / stretch).floor() * stretch
}

impl FlightLayer {
    pub(super) fn sync(&mut self, layer: &Element, frame: &Frame, selected: Option<u32>) {
        let (flights, cursor_ms) = (&frame.flights, frame.cursor_ms);
        // As the viewBox has it (so that a percent of the SVG's box is that of the stage's units).
        let size = (frame.width, frame.height.round());
        if self.layer.as_ref() != Some(layer) || self.size != size {
            self.movers.clear();
            self.links.clear();
            layer.set_text_content(None);
            self.layer = Some(layer.clone());
            self.size = size;
        }
        let cursor = cursor_ms as f64;
        let reselect = self.selected != selected;
        let was = self.selected;
        self.selected = selected;
        // A link whose epoch changed (the cursor moved into another stretch) has its messages'
        // origins set again below.
        let mut rebased = Vec::new();
        for (slot, link) in self.links.iter_mut().enumerate() {
            if let Some(link) = link {
                link.count = 0;
                let epoch = epoch_ms(cursor, f64::from_bits(link.key[4]));
                if link.epoch_ms != epoch {
                    link.epoch_ms = epoch;
                    rebased.push(slot);
                }
            }
        }
        // Listed by id (the scene keeps them so); otherwise drawn afresh in the frame's order.
        let sorted = flights.windows(2).all(|w| w[0].id < w[1].id);
        let mut old = std::mem::take(&mut self.movers);
        if !sorted {
            for m in old.drain(..) {
                m.group.remove();
            }
        }
        let mut old = old.into_iter();
        let mut movers = Vec::with_capacity(flights.len());
        for fl in flights {
            while old.as_slice().first().is_some_and(|m| m.look.id < fl.id) {
                if let Some(gone) = old.next() {
                    gone.group.remove();
                }
            }
            if old.as_slice().first().is_some_and(|m| m.look.id == fl.id) {
                let Some(mover) = old.next() else { break };
                if mover.look.is(fl) && mover.path == fl.path {
                    let record = mover.look.record;
                    if reselect && record.is_some() && (record == was || record == selected) {
                        mover
                            .body
                            .set_attribute("class", &mover.look.class(selected))
                            .ok();
                    }
                    if let Some(link) = self.links[mover.link].as_mut() {
                        link.count += 1;
                        if rebased.contains(&mover.link) {
                            let o = mover.path.origin(link.epoch_ms);
                            mover.transform.set_translate(o.x as f32, o.y as f32).ok();
                        }
                    }
                    movers.push(mover);
                    continue;
                }
                // The same id for another message (a new run numbers its messages afresh).
                mover.group.remove();
            }
            if let Some(mover) = self.draw(fl, cursor, selected, old.as_slice()) {
                movers.push(mover);
            }
        }
        for gone in old {
            gone.group.remove();
        }
        // Each link's SVG moved to its shift at the cursor; a link with no message left goes.
        for slot in &mut self.links {
            let Some(link) = slot else { continue };
            if link.count == 0 {
                link.svg.remove();
                *slot = None;
                continue;
            }
            let path = Path {
                from: Point { x: 0.0, y: 0.0 },
                to: Point {
                    x: f64::from_bits(link.key[2]) - f64::from_bits(link.key[0]),
                    y: f64::from_bits(link.key[3]) - f64::from_bits(link.key[1]),
                },
                sent_at_ms: 0,
                span_ms: f64::from_bits(link.key[4]),
            };
            let shift = path.shift(link.epoch_ms, cursor);
            let at = (
                (shift.x / size.0 * 100.0) as f32,
                (shift.y / size.1 * 100.0) as f32,
            );
            if link.at != at {
                let moved = format!("translate({}%, {}%)", at.0, at.1);
                if link.style.set_property("transform", &moved).is_ok() {
                    link.at = at;
                }
            }
        }
        self.movers = movers;
    }

    /// The slot of the SVG for the messages of `path`'s link and batch, made if there is none.
    fn link(&mut self, path: &Path, cursor: f64) -> Option<usize> {
        let (key, batch) = (path.link(), batch(path));
        if let Some(slot) = self
            .links
            .iter()
            .position(|l| l.as_ref().is_some_and(|l| (l.key, l.batch) == (key, batch)))
        {
            return Some(slot);
        }
        let svg = gloo::utils::document()
            .create_element_ns(Some(SVG_NS), "svg")
            .ok()?
            .dyn_into::<SvgsvgElement>()
            .ok()?;
        let view_box = view_box(self.size.0, self.size.1);
        for (name, value) in [
            ("class", "flight-link"),
            ("viewBox", &view_box),
            ("data-link", ""),
            ("focusable", "false"),
        ] {
            svg.set_attribute(name, value).ok()?;
        }
        // In the order of their keys, so that the stage at a moment is drawn the same
        // whichever way the cursor came there.
        let after = self
            .links
            .iter()
            .flatten()
            .filter(|l| (l.key, l.batch) > (key, batch))
            .min_by_key(|l| (l.key, l.batch))
            .map(|l| l.svg.as_ref());
        self.layer.as_ref()?.insert_before(&svg, after).ok()?;
        let link = Link {
            key,
            batch,
            style: svg.style(),
            svg,
            epoch_ms: epoch_ms(cursor, path.span_ms),
            at: (0.0, 0.0),
            count: 0,
        };
        match self.links.iter().position(Option::is_none) {
            Some(slot) => {
                self.links[slot] = Some(link);
                Some(slot)
            }
            None => {
                self.links.push(Some(link));
                Some(self.links.len() - 1)
            }
        }
    }

    /// Draws a new message on its link's SVG, before the first of the `later` messages
    /// (drawn, by id) on the same link, or last.
    fn draw(
        &mut self,
        fl: &Flight,
        cursor: f64,
        selected: Option<u32>,
        later: &[Mover],
    ) -> Option<Mover> {
        let slot = self.link(&fl.path, cursor)?;
        let link = self.links[slot].as_mut()?;
        link.count += 1;
        let (epoch, svg) = (link.epoch_ms, link.svg.clone());
        let look = FlightLook::of(fl);
        let template = self.template(usize::from(look.record.is_some()))?;
        let group: SvgGraphicsElement =
            template.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
        let body = group.first_element_child()?;
        let shape = body.first_element_child()?;
        let chip = look.record.and_then(|_| shape.next_element_sibling());
        let text = body.last_element_child()?;
        let id = look.id.to_string();
        group.set_attribute("data-flight", &id).ok()?;
        body.set_attribute("class", &look.class(selected)).ok()?;
        if let Some(record) = look.record {
            body.set_attribute("style", &format!("--hue: {}", record_hue(record)))
                .ok()?;
            body.set_attribute("data-record", &record.to_string())
                .ok()?;
        }
        body.set_attribute("data-message", &id).ok()?;
        let width = (look.label.chars().count() as f64 * 6.4 + 14.0).max(26.0);
        let x = n(-width / 2.0);
        shape.set_attribute("x", &x).ok()?;
        shape.set_attribute("width", &n(width)).ok()?;
        if let Some(chip) = chip {
            chip.set_attribute("x", &x).ok()?;
        }
        text.set_text_content(Some(&look.label));
        let origin = fl.path.origin(epoch);
        let transform = svg.create_svg_transform();
        transform
            .set_translate(origin.x as f32, origin.y as f32)
            .ok()?;
        let transform = group.transform().base_val().append_item(&transform).ok()?;
        let before = later.iter().find(|m| m.link == slot).map(|m| &m.group);
        svg.insert_before(&group, before.map(|b| b.as_ref())).ok()?;
        Some(Mover {
            look,
            path: fl.path,
            group: group.into(),
            body,
            transform,
            link: slot,
        })
    }

    /// The prepared group for a message without (`0`) or with (`1`) a colour chip, made once.
    fn template(&mut self, chip: usize) -> Option<Element> {
        if let Some(t) = &self.templates[chip] {
            return Some(t.clone());
        }
        let document = gloo::utils::document();
        let make = |tag: &str, attributes: &[(&str, &str)]| -> Option<Element> {
            let e = document.create_element_ns(Some(SVG_NS), tag).ok()?;
            for (name, value) in attributes {
                e.set_attribute(name, value).ok()?;
            }
            Some(e)
        };
        let group = make("g", &[])?;
        let body = make("g", &[])?;
        let shape = make(
            "rect",
            &[("class", "msg-shape"), ("y", "-9"), ("height", "18")],
        )?;
        body.append_child(&shape).ok()?;
        if chip == 1 {
            let chip = make(
                "rect",
                &[
                    ("class", "msg-chip"),
                    ("y", "-9"),
                    ("width", "5"),
                    ("height", "18"),
                ],
            )?;
            body.append_child(&chip).ok()?;
        }
        let text = make("text", &[("y", "4"), ("text-anchor", "middle")])?;
        body.append_child(&text).ok()?;
        group.append_child(&body).ok()?;
        self.templates[chip] = Some(group.clone());
        Some(group)
    }
}

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// The message under a click on the stage, if any.
pub(super) fn clicked_message(e: &MouseEvent) -> Option<u64> {
    e.target_dyn_into::<web_sys::Element>()?
        .closest("[data-message]")
        .ok()??
        .get_attribute("data-message")?
        .parse()
        .ok()
}

/// For the saved SVG: the messages drawn in `layer`, each copied by `copy` and placed where the
/// stage shows it (its place on its link's SVG plus that SVG's shift), in a `<g class="flights">`.
pub fn placed_flights(
    layer: &Element,
    copy: impl Fn(&Element) -> Option<Element>,
) -> Option<Element> {
    let flights = gloo::utils::document()
        .create_element_ns(Some(SVG_NS), "g")
        .ok()?;
    flights.set_attribute("class", "flights").ok()?;
    let links = layer.children();
    for i in 0..links.length() {
        let Some(link) = links.item(i) else { continue };
        let shift = link_shift(&link);
        let messages = link.children();
        for j in 0..messages.length() {
            let Some(message) = messages.item(j) else {
                continue;
            };
            let Some(placed) = copy(&message) else {
                continue;
            };
            let (x, y) = translation(message.get_attribute("transform").as_deref());
            let at = format!("translate({} {})", n(x + shift.0), n(y + shift.1));
            placed.set_attribute("transform", &at).ok();
            flights.append_child(&placed).ok();
        }
    }
    Some(flights)
}

/// How far a link's SVG is moved, in the stage's units: its CSS `translate(x%, y%)` of the
/// stage's size (its viewBox's).
fn link_shift(link: &Element) -> (f64, f64) {
    let moved = link
        .dyn_ref::<web_sys::SvgElement>()
        .and_then(|l| l.style().get_property_value("transform").ok())
        .unwrap_or_default();
    let percent = numbers(
        moved.strip_prefix("translate(").unwrap_or(""),
        &[',', '%', ')', ' '],
    );
    let size = numbers(&link.get_attribute("viewBox").unwrap_or_default(), &[' ']);
    let of = |i: usize, p: usize| {
        percent.get(i).copied().unwrap_or(0.0) * size.get(p).copied().unwrap_or(0.0) / 100.0
    };
    (of(0, 2), of(1, 3))
}

/// The numbers in `text`, between any of the `separators`.
fn numbers(text: &str, separators: &[char]) -> Vec<f64> {
    text.split(separators)
        .filter_map(|v| v.parse().ok())
        .collect()
}

/// The numbers of a `translate(x y)` (or `translate(x, y)`) transform; none is no move.
fn translation(transform: Option<&str>) -> (f64, f64) {
    let inside = transform
        .and_then(|t| t.trim().strip_prefix("translate(")?.strip_suffix(')'))
        .unwrap_or("");
    let numbers = numbers(inside, &[' ', ',']);
    (
        numbers.first().copied().unwrap_or(0.0),
        numbers.get(1).copied().unwrap_or(0.0),
    )
}
