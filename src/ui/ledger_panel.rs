//! The ledger panel: a row per record, coloured by its fate, with the run's summary and which
//! delivery guarantees held so far.

use super::i18n::use_lang;
use crate::model::ledger::Told;
use crate::view::i18n::{tr, trf, Lang};
use crate::view::ledger_text::LedgerText as T;
use crate::view::ledger_view::{
    row_blocks, rows_in_view, Fate, LedgerLine, LedgerView, LEDGER_SHOWN_ROWS,
};
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
                    })}
                    on_select={props.on_select_record.clone()} />
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
                    <table class="ledger-table" style={table_style}
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
    on_select: Callback<u32>,
}

impl PartialEq for BlockProps {
    /// Equal when the same rows say the same: the ledger is judged again at each event, and a
    /// block whose records did not change is left alone.
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
            && self.selected_record == other.selected_record
            && self.on_select == other.on_select
            && self.rows == other.rows
            && self
                .rows
                .iter()
                .all(|&i| self.ledger.lines.get(i) == other.ledger.lines.get(i))
    }
}

/// A block of the ledger's rows, as one table body: redrawn only when one of its records'
/// story changes or a record joins it, not for every record sent.
#[function_component(Block)]
fn block(props: &BlockProps) -> Html {
    html! {
        <tbody>
            { for props.rows.iter().filter_map(|&i| Some((i, props.ledger.lines.get(i)?))).map(|(i, l)| html! {
                <Row key={l.record} index={i} line={l.clone()} lang={props.lang}
                    selected={props.selected_record == Some(l.record)}
                    on_select={props.on_select.clone()} />
            }) }
        </tbody>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    /// The row's place among the ledger's lines (stable while rows are added below it).
    index: usize,
    line: LedgerLine,
    lang: Lang,
    selected: bool,
    on_select: Callback<u32>,
}

/// One record's row: redrawn only when the record's story changes, not on every frame.
#[function_component(Row)]
fn row(props: &RowProps) -> Html {
    let (l, lang) = (&props.line, props.lang);
    let told = match l.told {
        Told::Nothing => tr(lang, T::ToldNothing).to_string(),
        Told::Acked { offset: Some(o) } => trf(lang, T::ToldAckedAt, &[&o.to_string()]),
        Told::Acked { offset: None } => tr(lang, T::ToldAckedNoOffset).to_string(),
        Told::Failed { error } => trf(lang, T::ToldFailed, &[&error.to_string()]),
    };
    let offsets = if l.offsets.is_empty() {
        "—".to_string()
    } else {
        l.offsets
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let record = l.record;
    let onclick = {
        let cb = props.on_select.clone();
        Callback::from(move |_: MouseEvent| cb.emit(record))
    };
    let selected = props.selected;
    html! {
        <tr class={classes!(l.fate.class(), selected.then_some("is-selected"))} data-record={record.to_string()}
            data-fate={format!("{:?}", l.fate)} aria-rowindex={(props.index + 2).to_string()}>
            <th scope="row">
                <button class="btn-link" {onclick} aria-pressed={selected.to_string()}>{ format!("m{record}") }</button>
            </th>
            <td>{ format!("p{} / {offsets}", l.partition) }</td>
            <td>{ told }</td>
            <td>{ format!("{} / {}", l.app_sends, l.attempts) }</td>
            <td>{ l.delivered }</td>
            <td>{ l.processed }</td>
            <td class="fate">{ tr(lang, fate_text(l.fate)) }</td>
        </tr>
    }
}

pub fn fate_text(fate: Fate) -> T {
    match fate {
        Fate::LostAcknowledged => T::FateLostAcknowledged,
        Fate::Skipped => T::FateSkipped,
        Fate::DuplicateInLog => T::FateDuplicateInLog,
        Fate::ProcessedTwice => T::FateProcessedTwice,
        Fate::Failed => T::FateFailed,
        Fate::NotWritten => T::FateNotWritten,
        Fate::Pending => T::FatePending,
        Fate::ExactlyOnce => T::FateExactlyOnce,
    }
}
