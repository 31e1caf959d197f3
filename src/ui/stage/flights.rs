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
/// group), the message's own group (whose class says whether it is highlighted), the group's
/// transform, and its link (a slot in [`FlightLayer::links`]).
struct Mover {
    look: FlightLook,
    path: Path,
    group: Element,
    body: Element,
    transform: SvgTransform,
    link: usize,
}

/// The messages on one link that travel at the same pace, in one group moved by one transform.
struct Link {
    key: [u64; 5],
    group: Element,
    transform: SvgTransform,
    /// The moment the link's shift is counted from ([`epoch_ms`]): its messages' origins are
    /// their places then. Moved on (and the origins with it) every few flights, so the sums
    /// stay exact in the transforms' single precision.
    epoch_ms: f64,
    /// Where the transform last put the group.
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
/// link at the same pace are drawn in one group, each at its place at the link's epoch (fixed
/// for its flight), and moved together by that group's `SVGTransform`: ~20 transforms a frame
/// instead of ~260, and far less for the browser to restyle and lay out. The markup of a
/// message is what Yew drew before: `<g data-flight transform><g class="msg …"
/// style="--hue: …" data-message data-record><rect class="msg-shape"/>[<rect class="msg-chip"/>]
/// <text/></g></g>`, so clicks, the styles and the tests see the same stage; the saved SVG
/// folds each link's shift back into its messages ([`flatten_flights`]).
#[derive(Default)]
pub(super) struct FlightLayer {
    /// The layer the messages were drawn in (a new one starts afresh).
    layer: Option<Element>,
    /// The stage's SVG, which makes the transforms.
    svg: Option<SvgsvgElement>,
    movers: Vec<Mover>,
    /// The links' groups, by slot (a link whose messages all arrived leaves its slot empty).
    links: Vec<Option<Link>>,
    selected: Option<u32>,
    /// Prepared groups to copy: without and with a record's colour chip.
    templates: [Option<Element>; 2],
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
    pub(super) fn sync(
        &mut self,
        layer: &Element,
        flights: &[Flight],
        cursor_ms: Millis,
        selected: Option<u32>,
    ) {
        if self.layer.as_ref() != Some(layer) {
            self.movers.clear();
            self.links.clear();
            layer.set_text_content(None);
            self.layer = Some(layer.clone());
            self.svg = layer
                .dyn_ref::<SvgGraphicsElement>()
                .and_then(|l| l.owner_svg_element());
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
        // Each link's group moved to its shift at the cursor; a link with no message left goes.
        for slot in &mut self.links {
            let Some(link) = slot else { continue };
            if link.count == 0 {
                link.group.remove();
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
            let at = (shift.x as f32, shift.y as f32);
            if link.at != at && link.transform.set_translate(at.0, at.1).is_ok() {
                link.at = at;
            }
        }
        self.movers = movers;
    }

    /// The slot of the link `path` travels, made if there is none.
    fn link(&mut self, path: &Path, cursor: f64) -> Option<usize> {
        let key = path.link();
        if let Some(slot) = self
            .links
            .iter()
            .position(|l| l.as_ref().is_some_and(|l| l.key == key))
        {
            return Some(slot);
        }
        let group = gloo::utils::document()
            .create_element_ns(Some(SVG_NS), "g")
            .ok()?
            .dyn_into::<SvgGraphicsElement>()
            .ok()?;
        group.set_attribute("data-link", "").ok()?;
        let transform = self.svg.as_ref()?.create_svg_transform();
        transform.set_translate(0.0, 0.0).ok()?;
        let transform = group.transform().base_val().append_item(&transform).ok()?;
        // In the order of their keys, so that the stage at a moment is drawn the same
        // whichever way the cursor came there.
        let after = self
            .links
            .iter()
            .flatten()
            .filter(|l| l.key > key)
            .min_by_key(|l| l.key)
            .map(|l| l.group.as_ref());
        self.layer.as_ref()?.insert_before(&group, after).ok()?;
        let link = Link {
            key,
            group: group.into(),
            transform,
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

    /// Draws a new message in its link's group, before the first of the `later` messages
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
        let (link_group, epoch) = (link.group.clone(), link.epoch_ms);
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
        let transform = self.svg.as_ref()?.create_svg_transform();
        transform
            .set_translate(origin.x as f32, origin.y as f32)
            .ok()?;
        let transform = group.transform().base_val().append_item(&transform).ok()?;
        let before = later.iter().find(|m| m.link == slot).map(|m| &m.group);
        link_group
            .insert_before(&group, before.map(|b| b.as_ref()))
            .ok()?;
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

/// In a copy of the stage (the saved SVG), each message's place on the stage in its own
/// transform: the shift of its link's group is added to it and taken off the group.
pub fn flatten_flights(copy: &Element) {
    let Ok(links) = copy.query_selector_all(".flights > g[data-link]") else {
        return;
    };
    for i in 0..links.length() {
        let Some(link) = links.item(i).and_then(|l| l.dyn_into::<Element>().ok()) else {
            continue;
        };
        let shift = translation(link.get_attribute("transform").as_deref());
        link.remove_attribute("transform").ok();
        let children = link.children();
        for j in 0..children.length() {
            let Some(flight) = children.item(j) else {
                continue;
            };
            let (x, y) = translation(flight.get_attribute("transform").as_deref());
            let at = format!("translate({} {})", n(x + shift.0), n(y + shift.1));
            flight.set_attribute("transform", &at).ok();
        }
    }
}

/// The numbers of a `translate(x y)` (or `translate(x, y)`) transform; none is no move.
fn translation(transform: Option<&str>) -> (f64, f64) {
    let numbers: Vec<f64> = transform
        .and_then(|t| t.trim().strip_prefix("translate(")?.strip_suffix(')'))
        .unwrap_or("")
        .split([' ', ','])
        .filter_map(|v| v.parse().ok())
        .collect();
    (
        numbers.first().copied().unwrap_or(0.0),
        numbers.get(1).copied().unwrap_or(0.0),
    )
}
