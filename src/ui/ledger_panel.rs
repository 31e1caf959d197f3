//! The ledger panel: a row per record, coloured by its fate, with the run's summary and which
//! delivery guarantees held so far.

use super::i18n::use_lang;
use crate::view::i18n::{tr, trf, Lang};
use crate::view::ledger_rows::RowCells;
use crate::view::ledger_text::LedgerText as T;
use crate::view::ledger_view::{row_blocks, rows_in_view, LedgerView, LEDGER_SHOWN_ROWS};
use std::rc::Rc;
use yew::prelude::*;

/// The ledger's scroll box height (`.table-scroll`'s `max-height`), until it is scrolled.
const TABLE_VIEW_PX: u16 = 360;
/// A row's height until one is measured.
const DEFAULT_ROW_PX: f64 = 24.0;

#[derive(Properties, PartialEq)]
pub struct LedgerPanelProps {
    pub ledger: Rc<LedgerView>,
    pub at_end: bool,
    /// The record whose journey is highlighted on the stage.
    pub selected_record: Option<u32>,
    pub on_select_record: Callback<u32>,
}

#[function_component(LedgerPanel)]
pub fn ledger_panel(props: &LedgerPanelProps) -> Html {
    let lang = use_lang();
    let v = &props.ledger;
    let summary = trf(
        lang,
        T::Summary,
        &[
            &v.sent.to_string(),
            &v.acknowledged.to_string(),
            &v.lost.to_string(),
            &v.duplicated.to_string(),
            &v.exactly_once.to_string(),
        ],
    );
    let verdict = &v.verdict;
    let (shown, hidden) = v.shown_indices(LEDGER_SHOWN_ROWS, props.selected_record);
    // Only the rows in the scroll box (and a few around) are drawn: the scroll position and a
    // row's height, measured once from a drawn row.
    let scroller = use_node_ref();
    let row_px = use_mut_ref(|| None::<f64>);
    let scrolled = use_state_eq(|| (0.0_f64, f64::from(TABLE_VIEW_PX)));
    {
        let (scroller, row_px) = (scroller.clone(), row_px.clone());
        use_effect(move || {
            if row_px.borrow().is_none() {
                let height = scroller
                    .cast::<web_sys::Element>()
                    .and_then(|s| s.query_selector("tbody tr").ok().flatten())
                    .map(|row| row.get_bounding_client_rect().height())
                    .filter(|h| *h > 0.0);
                *row_px.borrow_mut() = height;
            }
        });
    }
    let onscroll = {
        let scrolled = scrolled.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<web_sys::Element>() {
                scrolled.set((f64::from(el.scroll_top()), f64::from(el.client_height())));
            }
        })
    };
    // One listener for every row's button (the rows are drawn as markup, see `Block`).
    let on_row_click = {
        let on_select = props.on_select_record.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(record) = clicked_record(&e) {
                on_select.emit(record);
            }
        })
    };
    let row = row_px.borrow().unwrap_or(DEFAULT_ROW_PX);
    let (start, end) = rows_in_view(shown.len(), scrolled.0, scrolled.1, row);
    let (above, below) = (start as f64 * row, (shown.len() - end) as f64 * row);
    let table_style = (above > 0.0 || below > 0.0)
        .then(|| format!("margin-top:{above:.0}px;margin-bottom:{below:.0}px"));
    let shown = &shown[start..end];
    let badge = |name: T, held: bool| {
        html! {
            <li class={classes!("verdict", if held { "held" } else { "broken" })}>
                <span aria-hidden="true">{ if held { "✓ " } else { "✕ " } }</span>
                { tr(lang, name) }{ ": " }{ tr(lang, if held { T::Held } else { T::Broken }) }
            </li>
        }
    };
    // One node for the blocks, so the table's children are the head and a keyed list of
    // blocks (spread among the head's siblings, the blocks would be matched by position).
    let blocks: Html = row_blocks(shown)
        .into_iter()
        .map(|(first, rows)| {
            html! {
                <Block key={first} ledger={Rc::clone(v)} rows={Rc::<[usize]>::from(rows)}
                    {lang} selected_record={props.selected_record.filter(|r| {
                        rows.iter().any(|&i| v.lines[i].record == *r)
                    })} />
            }
        })
        .collect();
    html! {
        <section class="panel ledger" aria-labelledby="ledger-title">
            <h2 id="ledger-title">{ tr(lang, T::Title) }</h2>
            <p class="ledger-summary">{ summary }</p>
            <h3>{ tr(lang, if props.at_end { T::VerdictFinal } else { T::Verdict }) }</h3>
            <ul class="verdicts">
                { badge(T::AtMostOnce, verdict.at_most_once) }
                { badge(T::AtLeastOnce, verdict.at_least_once) }
                { badge(T::ExactlyOnce, verdict.exactly_once) }
            </ul>
            if v.lines.is_empty() {
                <p class="hint">{ tr(lang, T::Empty) }</p>
            } else {
                <div class="table-scroll" ref={scroller} {onscroll}>
                    // Only the rows near the scroll box are in the page: aria-rowcount and each
                    // row's aria-rowindex (its place in the whole ledger, the head being row 1)
                    // tell a screen reader where it is.
                    <table class="ledger-table" style={table_style} onclick={on_row_click}
                        aria-rowcount={(v.lines.len() + 1).to_string()}>
                        <thead><tr aria-rowindex="1">
                            <th scope="col">{ tr(lang, T::Record) }</th>
                            <th scope="col">{ tr(lang, T::Where) }</th>
                            <th scope="col">{ tr(lang, T::Told) }</th>
                            <th scope="col">{ tr(lang, T::Sends) }</th>
                            <th scope="col">{ tr(lang, T::Delivered) }</th>
                            <th scope="col">{ tr(lang, T::Processed) }</th>
                            <th scope="col">{ tr(lang, T::Fate) }</th>
                        </tr></thead>
                        { blocks }
                    </table>
                </div>
                if hidden > 0 {
                    <p class="hint">{ trf(lang, T::MoreRows, &[&hidden.to_string()]) }</p>
                }
            }
        </section>
    }
}

#[derive(Properties)]
struct BlockProps {
    ledger: Rc<LedgerView>,
    /// The block's rows: indices into the ledger's lines.
    rows: Rc<[usize]>,
    lang: Lang,
    /// The highlighted record, when this block shows it.
    selected_record: Option<u32>,
}

impl PartialEq for BlockProps {
    /// Equal when the same rows say the same: the ledger is judged again at each event, and a
    /// block whose records did not change is left alone.
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
            && self.selected_record == other.selected_record
            && self.rows == other.rows
            && self
                .rows
                .iter()
                .all(|&i| self.ledger.lines.get(i) == other.ledger.lines.get(i))
    }
}

/// A block of the ledger's rows, as one table body: redrawn only when one of its records'
/// story changes or a record joins it, not for every record sent.
///
/// Yew draws the body; its rows are drawn here, as markup set at once (a block's rows drawn
/// anew, as when the oldest block is dropped and ~24 rows come into view, cost ~17 DOM calls
/// a row through Yew). A row that changes is updated in place (attributes and cell texts), so
/// a focused button keeps its focus; the clicks are handled by the table's one listener.
#[function_component(Block)]
fn block(props: &BlockProps) -> Html {
    let body = use_node_ref();
    let drawn = use_mut_ref(Vec::<RowCells>::new);
    {
        let body = body.clone();
        let rows: Vec<RowCells> = props
            .rows
            .iter()
            .filter_map(|&i| {
                let line = props.ledger.lines.get(i)?;
                let selected = props.selected_record == Some(line.record);
                Some(RowCells::new(i, line, props.lang, selected))
            })
            .collect();
        use_effect(move || {
            if let Some(body) = body.cast::<web_sys::Element>() {
                draw_rows(&body, &mut drawn.borrow_mut(), rows);
            }
        });
    }
    html! { <tbody ref={body} /> }
}

/// Brings a drawn row of the same record from `old` to `new`, touching only what differs.
fn update_row(new: &RowCells, old: &RowCells, row: &web_sys::Element) {
    if new.fate != old.fate || new.selected != old.selected {
        row.set_class_name(&new.class());
    }
    if new.fate != old.fate {
        let _ = row.set_attribute("data-fate", &new.fate_name());
    }
    if new.index != old.index {
        let _ = row.set_attribute("aria-rowindex", &new.row_index());
    }
    let cells = row.children();
    if new.selected != old.selected {
        if let Some(button) = cells.item(0).and_then(|th| th.first_element_child()) {
            let _ = button.set_attribute("aria-pressed", &new.selected.to_string());
        }
    }
    for (i, (text, was)) in new.cells.iter().zip(&old.cells).enumerate() {
        if text != was {
            if let Some(cell) = cells.item(i as u32 + 1) {
                cell.set_text_content(Some(text));
            }
        }
    }
}

/// Draws `rows` in the table body `body`, which shows `drawn`: the rows of the same records
/// at the same places are updated in place, the others drawn anew at once as markup.
fn draw_rows(body: &web_sys::Element, drawn: &mut Vec<RowCells>, rows: Vec<RowCells>) {
    let children = body.children();
    // What was drawn here is still there (nobody else writes into the body): if not, redraw.
    let kept = if children.length() as usize == drawn.len() {
        drawn
            .iter()
            .zip(&rows)
            .take_while(|(old, new)| old.record == new.record)
            .count()
    } else {
        body.set_inner_html("");
        0
    };
    for (i, (old, new)) in drawn.iter().zip(&rows).take(kept).enumerate() {
        if old != new {
            if let Some(row) = children.item(i as u32) {
                update_row(new, old, &row);
            }
        }
    }
    for _ in kept..drawn.len() {
        if let Some(row) = body.last_element_child() {
            row.remove();
        }
    }
    if rows.len() > kept {
        let mut markup = String::with_capacity(400 * (rows.len() - kept));
        for row in &rows[kept..] {
            row.push_markup(&mut markup);
        }
        if kept == 0 {
            body.set_inner_html(&markup);
        } else {
            let _ = body.insert_adjacent_html("beforeend", &markup);
        }
    }
    *drawn = rows;
}

/// The record named by a click in the ledger's table: its row's button, or nothing.
fn clicked_record(e: &MouseEvent) -> Option<u32> {
    let target = e.target_dyn_into::<web_sys::Element>()?;
    let button = target.closest("button[data-record]").ok()??;
    button.get_attribute("data-record")?.parse().ok()
}
