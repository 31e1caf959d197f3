//! The sequence diagram ([`super::seqdiag::Diagram`]) drawn as a standalone SVG document: its
//! colours are written out (the stage's palette from `www/style.css`, light theme), every text
//! comes from the catalogues and is XML-escaped, and nothing refers to the page.

use super::i18n::{tr, trf, Lang, Text};
use super::seqdiag::{Arrow, Diagram, Fate, MAX_ROWS};
use super::seqdiag_look::{
    escape, kind_text, legend_items, line_style, mark_text, n, node_name, Look, Sample, SeqText,
    ACCENT, BG, BORDER, DANGER, FG, FONT, MUTED,
};
use crate::model::trace::DropReason;
use crate::model::{Millis, NodeId, Scenario, TraceEvent};
use std::fmt::Write;

/// The trace up to `until_ms` as a standalone SVG sequence diagram.
pub fn sequence_svg(
    scenario: &Scenario,
    trace: &[TraceEvent],
    until_ms: Millis,
    lang: Lang,
) -> String {
    render(
        &Diagram::of(scenario, trace, until_ms, MAX_ROWS),
        &scenario.name,
        lang,
    )
}

const MARGIN: f64 = 16.0;
const AXIS: f64 = 76.0;
const COLUMN: f64 = 150.0;
/// Room on the right for the last lifeline's mark texts.
const RIGHT: f64 = 170.0;
const HEADER_Y: f64 = 64.0;
const HEADER_H: f64 = 38.0;
const FIRST_ROW: f64 = HEADER_Y + HEADER_H + 22.0;
const ROW: f64 = 20.0;
/// Rows further apart in time than this get a gap with "… ms later".
pub const IDLE_GAP_MS: Millis = 1000;
/// Lifeline names are repeated every this many rows.
const NAMES_EVERY: usize = 40;

/// Vertical positions: one per row, the extra room of idle gaps, and the end of the lifelines.
struct Rows {
    y: Vec<f64>,
    /// (y of the gap's middle, milliseconds it stands for)
    gaps: Vec<(f64, Millis)>,
    end: f64,
}

fn rows(d: &Diagram) -> Rows {
    let mut y = Vec::with_capacity(d.rows.len());
    let mut gaps = Vec::new();
    let mut at = FIRST_ROW;
    for (i, row) in d.rows.iter().enumerate() {
        if i > 0 {
            at += ROW;
            let idle = row.at_ms - d.rows[i - 1].at_ms;
            if idle >= IDLE_GAP_MS {
                gaps.push((at + ROW / 2.0 - 4.0, idle));
                at += ROW * 1.4;
            }
        }
        y.push(at);
    }
    Rows {
        end: at + ROW * 1.5,
        y,
        gaps,
    }
}

struct Svg<'a> {
    d: &'a Diagram,
    lang: Lang,
    rows: Rows,
    out: String,
}

/// Draws the diagram.
pub fn render(d: &Diagram, name: &str, lang: Lang) -> String {
    let rows = rows(d);
    let mut svg = Svg {
        d,
        lang,
        rows,
        out: String::new(),
    };
    let width = MARGIN * 2.0 + AXIS + COLUMN * d.lifelines.len() as f64 + RIGHT;
    let legend_y = svg.rows.end + if d.left_out.is_some() { 44.0 } else { 24.0 };
    let legend = legend_items(d, lang);
    let height = legend_y + 20.0 * legend.len() as f64 + MARGIN;
    let o = &mut svg.out;
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sequence-diagram\" xml:lang=\"{}\" \
         width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT}\" \
         font-size=\"11\" fill=\"{FG}\">",
        lang.code(),
        w = n(width),
        h = n(height),
    );
    let _ = writeln!(
        o,
        "<rect width=\"100%\" height=\"100%\" fill=\"{BG}\"/>\n<title>{}</title>",
        escape(&trf(lang, SeqText::Title, &[name]))
    );
    svg.title(name);
    svg.lifelines();
    svg.axis();
    for arrow in &d.arrows {
        svg.arrow(arrow);
    }
    svg.marks();
    svg.left_out();
    svg.legend(legend_y, &legend);
    svg.out.push_str("</svg>\n");
    svg.out
}

impl Svg<'_> {
    fn x(&self, node: NodeId) -> f64 {
        let column = self.d.column(node).unwrap_or(0) as f64;
        MARGIN + AXIS + COLUMN * (column + 0.5)
    }

    fn text(&mut self, x: f64, y: f64, attrs: &str, text: &str) {
        let _ = writeln!(
            self.out,
            "<text x=\"{}\" y=\"{}\" {attrs}>{}</text>",
            n(x),
            n(y),
            escape(text)
        );
    }

    /// A text with a halo of the background, readable over lines.
    fn halo_text(&mut self, x: f64, y: f64, attrs: &str, text: &str) {
        let attrs = format!("{attrs} stroke=\"{BG}\" stroke-width=\"3\" paint-order=\"stroke\"");
        self.text(x, y, &attrs, text);
    }

    fn title(&mut self, name: &str) {
        let lang = self.lang;
        let title = trf(lang, SeqText::Title, &[name]);
        self.text(MARGIN, 26.0, "font-size=\"16\" font-weight=\"600\"", &title);
        let sub = if self.d.rows.is_empty() {
            trf(lang, SeqText::Nothing, &[&self.d.until_ms.to_string()])
        } else {
            trf(
                lang,
                SeqText::Subtitle,
                &[
                    &self.d.end_ms().to_string(),
                    &self.d.arrows.len().to_string(),
                ],
            )
        };
        self.text(MARGIN, 46.0, &format!("fill=\"{MUTED}\""), &sub);
    }

    fn lifelines(&mut self) {
        let (lang, end) = (self.lang, self.rows.end);
        for &node in &self.d.lifelines {
            let x = self.x(node);
            let (fill, role) = match node {
                NodeId::Producer(_) => ("#e8f1fb", Some(Text::RoleProducer)),
                NodeId::Broker(_) => ("#fdf3e1", Some(Text::RoleBroker)),
                NodeId::Consumer(_) => ("#e9f6ef", Some(Text::RoleConsumer)),
                NodeId::Controller => ("#ececec", None),
            };
            let _ = writeln!(
                self.out,
                "<g class=\"sd-lifeline\" data-node=\"{node}\">\n<line x1=\"{x}\" y1=\"{y1}\" \
                 x2=\"{x}\" y2=\"{y2}\" stroke=\"{MUTED}\" stroke-width=\"1\"/>\n<rect x=\"{rx}\" \
                 y=\"{HEADER_Y}\" width=\"110\" height=\"{HEADER_H}\" rx=\"6\" fill=\"{fill}\" \
                 stroke=\"{BORDER}\"/>",
                x = n(x),
                y1 = n(HEADER_Y + HEADER_H),
                y2 = n(end),
                rx = n(x - 55.0),
            );
            let name = node_name(lang, node);
            let anchor = "text-anchor=\"middle\" font-weight=\"600\"";
            match role {
                Some(role) => {
                    self.text(x, HEADER_Y + 16.0, anchor, &name);
                    let attrs = format!("text-anchor=\"middle\" font-size=\"10\" fill=\"{MUTED}\"");
                    self.text(x, HEADER_Y + 30.0, &attrs, tr(lang, role));
                }
                None => self.text(x, HEADER_Y + 23.0, anchor, &name),
            }
            self.out.push_str("</g>\n");
        }
        for span in self.d.spans() {
            let x = self.x(span.node);
            let y1 = self.rows.y[span.from_row];
            let y2 = span.to_row.map_or(end, |r| self.rows.y[r]);
            let (class, fill, stroke) = if span.paused {
                ("sd-paused", "#e4e4e4", MUTED)
            } else {
                ("sd-down", "#fde2df", DANGER)
            };
            let _ = writeln!(
                self.out,
                "<rect class=\"{class}\" data-node=\"{}\" x=\"{}\" y=\"{}\" width=\"10\" \
                 height=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-dasharray=\"3 2\"/>",
                span.node,
                n(x - 5.0),
                n(y1),
                n((y2 - y1).max(1.0)),
            );
        }
        // The names again every few dozen rows, over the down and paused stretches.
        for &node in &self.d.lifelines {
            let (x, name) = (self.x(node), node_name(lang, node));
            for row in (NAMES_EVERY..self.d.rows.len()).step_by(NAMES_EVERY) {
                let y = self.rows.y[row] - 6.0;
                let attrs = format!(
                    "class=\"sd-name\" text-anchor=\"middle\" font-size=\"9\" fill=\"{MUTED}\""
                );
                self.halo_text(x, y, &attrs, &name);
            }
        }
    }

    /// Times on the left (when they change) and the idle gaps across the width.
    fn axis(&mut self) {
        let lang = self.lang;
        let right = MARGIN + AXIS + COLUMN * self.d.lifelines.len() as f64;
        let mut last = None;
        for (i, row) in self.d.rows.iter().enumerate() {
            if last != Some(row.at_ms) {
                let attrs = format!("text-anchor=\"end\" font-size=\"10\" fill=\"{MUTED}\"");
                let t = trf(lang, SeqText::Ms, &[&row.at_ms.to_string()]);
                self.text(MARGIN + AXIS - 10.0, self.rows.y[i] + 4.0, &attrs, &t);
                last = Some(row.at_ms);
            }
        }
        for (y, idle) in self.rows.gaps.clone() {
            let _ = writeln!(
                self.out,
                "<line class=\"sd-gap\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{BORDER}\" \
                 stroke-dasharray=\"2 4\"/>",
                n(MARGIN),
                n(right),
                y = n(y),
            );
            let attrs = format!("font-size=\"10\" font-style=\"italic\" fill=\"{MUTED}\"");
            let text = trf(lang, SeqText::Later, &[&idle.to_string()]);
            self.halo_text(MARGIN, y + 4.0, &attrs, &text);
        }
    }

    fn arrow(&mut self, a: &Arrow) {
        let lang = self.lang;
        let (x1, y1) = (self.x(a.from), self.rows.y[a.sent_row]);
        let x_to = self.x(a.to);
        let along = |at: Millis, lo: f64, hi: f64| {
            let span = a.arrives_ms.saturating_sub(a.sent_ms).max(1) as f64;
            (at.saturating_sub(a.sent_ms) as f64 / span).clamp(lo, hi)
        };
        let (x2, y2, class, fate) = match (a.fate, a.end) {
            (Fate::Delivered, Some((row, at))) => (
                x_to,
                self.rows.y[row],
                "sd-arrow",
                trf(lang, SeqText::Delivered, &[&at.to_string()]),
            ),
            (Fate::Dropped(reason), Some((row, at))) => {
                let text = match reason {
                    DropReason::LinkCut => SeqText::LostLinkCut,
                    DropReason::NodeDown => SeqText::LostNodeDown,
                    DropReason::Command => SeqText::LostCommand,
                };
                (
                    x1 + (x_to - x1) * along(at, 0.2, 0.85),
                    self.rows.y[row],
                    "sd-dropped",
                    trf(lang, text, &[&at.to_string()]),
                )
            }
            _ => (
                x1 + (x_to - x1) * along(self.d.end_ms(), 0.1, 0.9),
                self.rows.end,
                "sd-in-flight",
                trf(
                    lang,
                    SeqText::InFlight,
                    &[&self.d.end_ms().to_string(), &a.arrives_ms.to_string()],
                ),
            ),
        };
        let (colour, dash, width) = if a.error {
            (DANGER, None, 1.6)
        } else {
            line_style(a.kind)
        };
        let title = trf(
            lang,
            SeqText::ArrowTitle,
            &[
                &node_name(lang, a.from),
                &node_name(lang, a.to),
                &format!("{} · {}", a.label, kind_text(lang, a.kind)),
                &a.sent_ms.to_string(),
                &fate,
            ],
        );
        let classes = super::stage::message_class(a.kind);
        let error = if a.error { " is-error" } else { "" };
        let _ = writeln!(
            self.out,
            "<g class=\"{classes}{error} {class}\" data-id=\"{}\">\n<title>{}</title>",
            a.id,
            escape(&title)
        );
        // A message to itself loops out to the right and back.
        let path = if a.from == a.to {
            format!(
                "M{} {} h24 V{} h-24",
                n(x1),
                n(y1),
                n(y2.max(y1 + ROW * 0.6))
            )
        } else {
            format!("M{} {} L{} {}", n(x1), n(y1), n(x2), n(y2))
        };
        let (hx, hy) = if a.from == a.to {
            (x1 - 1.0, y2.max(y1 + ROW * 0.6))
        } else {
            (x2, y2)
        };
        let (dx, dy) = if a.from == a.to {
            (-1.0, 0.0)
        } else {
            (x2 - x1, y2 - y1)
        };
        let opacity = if class == "sd-in-flight" {
            " opacity=\"0.55\""
        } else {
            ""
        };
        let _ = writeln!(
            self.out,
            "<path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{}\"{}{opacity}/>",
            n(width),
            dash.map_or(String::new(), |d| format!(" stroke-dasharray=\"{d}\"")),
        );
        match class {
            "sd-arrow" => self.head(hx, hy, dx, dy, colour),
            "sd-dropped" => self.cross(x2, y2),
            _ => {}
        }
        let attrs = if x_to >= x1 {
            "font-size=\"10\"".to_string()
        } else {
            "font-size=\"10\" text-anchor=\"end\"".to_string()
        };
        let lx = if x_to >= x1 { x1 + 7.0 } else { x1 - 7.0 };
        self.halo_text(lx, y1 - 3.0, &attrs, &a.label);
        self.out.push_str("</g>\n");
    }

    /// A filled arrowhead at (x, y) pointing along (dx, dy).
    fn head(&mut self, x: f64, y: f64, dx: f64, dy: f64, colour: &str) {
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        let (ux, uy) = (dx / len, dy / len);
        let (bx, by) = (x - 8.0 * ux, y - 8.0 * uy);
        let _ = writeln!(
            self.out,
            "<path class=\"sd-head\" d=\"M{} {} L{} {} L{} {} Z\" fill=\"{colour}\"/>",
            n(x),
            n(y),
            n(bx - 3.5 * uy),
            n(by + 3.5 * ux),
            n(bx + 3.5 * uy),
            n(by - 3.5 * ux),
        );
    }

    /// The cross a lost message ends in.
    fn cross(&mut self, x: f64, y: f64) {
        let _ = writeln!(
            self.out,
            "<path class=\"sd-cross\" d=\"M{} {} L{} {} M{} {} L{} {}\" stroke=\"{DANGER}\" \
             stroke-width=\"2.4\" fill=\"none\"/>",
            n(x - 5.0),
            n(y - 5.0),
            n(x + 5.0),
            n(y + 5.0),
            n(x + 5.0),
            n(y - 5.0),
            n(x - 5.0),
            n(y + 5.0),
        );
    }

    fn marks(&mut self) {
        let lang = self.lang;
        for m in self.d.marks.clone() {
            let (x, y) = (self.x(m.node), self.rows.y[m.row]);
            let (text, colour, class) = mark_text(lang, m.mark);
            if m.mark.by_controller() && self.d.column(NodeId::Controller).is_some() {
                let cx = self.x(NodeId::Controller);
                let _ = writeln!(
                    self.out,
                    "<line class=\"sd-decision\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" \
                     stroke=\"{colour}\" stroke-dasharray=\"1 3\"/>",
                    n(cx),
                    n(x),
                    y = n(y),
                );
            }
            let _ = writeln!(
                self.out,
                "<g class=\"sd-mark {class}\" data-node=\"{}\">\n<rect x=\"{}\" y=\"{}\" \
                 width=\"12\" height=\"12\" rx=\"2\" fill=\"{colour}\" stroke=\"{BG}\"/>",
                m.node,
                n(x - 6.0),
                n(y - 6.0),
            );
            let attrs = format!("font-size=\"10\" font-weight=\"600\" fill=\"{colour}\"");
            self.halo_text(x + 10.0, y + 4.0, &attrs, &text);
            self.out.push_str("</g>\n");
        }
    }

    fn left_out(&mut self) {
        let Some(l) = self.d.left_out else {
            return;
        };
        let text = trf(
            self.lang,
            SeqText::LeftOut,
            &[
                &l.from_ms.to_string(),
                &l.events.to_string(),
                &l.to_ms.to_string(),
            ],
        );
        let y = self.rows.end + 16.0;
        let attrs = format!("class=\"sd-left-out\" font-weight=\"600\" fill=\"{DANGER}\"");
        self.text(MARGIN, y, &attrs, &text);
    }

    fn legend(&mut self, top: f64, items: &[Sample]) {
        self.out.push_str("<g class=\"sd-legend\">\n");
        for (i, item) in items.iter().enumerate() {
            let y = top + 20.0 * i as f64;
            let (x1, x2) = (MARGIN, MARGIN + 40.0);
            match item.look {
                Look::Line((colour, dash, width)) => {
                    let _ = writeln!(
                        self.out,
                        "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{colour}\" \
                         stroke-width=\"{}\"{}/>",
                        n(x1),
                        n(x2),
                        n(width),
                        dash.map_or(String::new(), |d| format!(" stroke-dasharray=\"{d}\"")),
                        y = n(y),
                    );
                    self.head(x2, y, 1.0, 0.0, colour);
                }
                Look::Cross => {
                    let _ = writeln!(
                        self.out,
                        "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{FG}\"/>",
                        n(x1),
                        n(x2 - 6.0),
                        y = n(y),
                    );
                    self.cross(x2 - 6.0, y);
                }
                Look::Faded => {
                    let _ = writeln!(
                        self.out,
                        "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{ACCENT}\" \
                         stroke-width=\"1.6\" opacity=\"0.55\"/>",
                        n(x1),
                        n(x2),
                        y = n(y),
                    );
                }
                Look::Span(paused) => {
                    let (fill, stroke) = if paused {
                        ("#e4e4e4", MUTED)
                    } else {
                        ("#fde2df", DANGER)
                    };
                    let _ = writeln!(
                        self.out,
                        "<rect x=\"{}\" y=\"{}\" width=\"40\" height=\"10\" fill=\"{fill}\" \
                         stroke=\"{stroke}\" stroke-dasharray=\"3 2\"/>",
                        n(x1),
                        n(y - 5.0),
                    );
                }
            }
            let text = item.text.clone();
            self.text(x2 + 12.0, y + 4.0, "", &text);
        }
        self.out.push_str("</g>\n");
    }
}
