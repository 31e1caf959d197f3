//! The two ledgers of compare mode, row by row: each record's fate under A and under B at the
//! cursor, rows whose fates differ highlighted and marked, and each run's summary. Draws
//! [`crate::view::compare_ledger`]; decides nothing.

use super::i18n::use_lang;
use crate::view::compare_ledger::{compare_ledgers, ComparedRow};
use crate::view::compare_text::CompareText as T;
use crate::view::i18n::{tr, trf, Lang};
use crate::view::ledger_rows::{fate_text, offsets_text, told_text};
use crate::view::ledger_text::LedgerText;
use crate::view::ledger_view::{LedgerLine, LedgerView, MAX_SHOWN_ROWS};
use crate::view::lockstep::Side;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CompareLedgerProps {
    /// Run A's ledger at the cursor (shared with the run's view cache: unchanged between trace
    /// events, so the table is not redrawn on every animation frame).
    pub a: Rc<LedgerView>,
    pub b: Rc<LedgerView>,
    /// Each run's configuration, by name.
    pub names: [String; 2],
}

#[function_component(CompareLedger)]
pub fn compare_ledger(props: &CompareLedgerProps) -> Html {
    let lang = use_lang();
    let c = compare_ledgers(&props.a, &props.b);
    let (shown, hidden) = c.shown_rows(MAX_SHOWN_ROWS);
    let total = c.rows.len().to_string();
    let verdict = if c.differing > 0 {
        trf(lang, T::LedgerDiffer, &[&c.differing.to_string(), &total])
    } else {
        trf(lang, T::LedgerSame, &[&total])
    };
    let head = |side: Side| {
        trf(
            lang,
            T::SideHeading,
            &[side.name(), &props.names[side.index()]],
        )
    };
    let summary = |side: Side, v: &LedgerView| {
        let counts = trf(
            lang,
            LedgerText::Summary,
            &[
                &v.sent.to_string(),
                &v.acknowledged.to_string(),
                &v.lost.to_string(),
                &v.duplicated.to_string(),
                &v.exactly_once.to_string(),
            ],
        );
        html! { <li data-side={side.name()}>{ trf(lang, T::LedgerSide, &[&head(side), &counts]) }</li> }
    };
    html! {
        <section class="panel compare-ledger-panel" aria-labelledby="compare-ledger-title">
            <h2 id="compare-ledger-title">{ tr(lang, T::LedgerTitle) }</h2>
            <p class={classes!("compare-ledger-verdict", (c.differing > 0).then_some("has-differences"))}>
                { verdict }
            </p>
            <ul class="compare-ledger-sides">
                { summary(Side::A, &props.a) }
                { summary(Side::B, &props.b) }
            </ul>
            if c.rows.is_empty() {
                <p class="hint">{ tr(lang, T::LedgerEmpty) }</p>
            } else {
                <p class="hint" id="compare-ledger-caption">{ tr(lang, T::LedgerCaption) }</p>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="compare-ledger-caption">
                    <table class="compare-ledger" aria-describedby="compare-ledger-caption">
                        <thead><tr>
                            <th scope="col">{ tr(lang, T::LedgerRecord) }</th>
                            <th scope="col">{ head(Side::A) }</th>
                            <th scope="col">{ head(Side::B) }</th>
                        </tr></thead>
                        <tbody>{ for shown.iter().map(|r| row(lang, r)) }</tbody>
                    </table>
                </div>
                if hidden > 0 {
                    <p class="hint">{ trf(lang, T::MoreRows, &[&hidden.to_string()]) }</p>
                }
            }
        </section>
    }
}

fn row(lang: Lang, r: &ComparedRow) -> Html {
    let differs = r.differs();
    html! {
        <tr class={r.class()} data-record={r.record.to_string()} data-differs={differs.to_string()}>
            <th scope="row">
                { format!("m{}", r.record) }
                if differs {
                    <span class="compare-differs">{ " ≠ " }{ tr(lang, T::Differs) }</span>
                }
            </th>
            { cell(lang, Side::A, r.a.as_ref()) }
            { cell(lang, Side::B, r.b.as_ref()) }
        </tr>
    }
}

fn cell(lang: Lang, side: Side, line: Option<&LedgerLine>) -> Html {
    let Some(l) = line else {
        return html! { <td data-side={side.name()} data-fate="None">{ tr(lang, T::NotSent) }</td> };
    };
    let told = told_text(lang, l.told);
    let offsets = offsets_text(&l.offsets);
    let details = trf(
        lang,
        T::Details,
        &[
            &l.partition.to_string(),
            &offsets,
            &told,
            &l.processed.to_string(),
        ],
    );
    html! {
        <td class={classes!("fate", l.fate.class())} data-side={side.name()} data-fate={format!("{:?}", l.fate)}>
            <strong>{ tr(lang, fate_text(l.fate)) }</strong>
            <span class="compare-detail">{ details }</span>
        </td>
    }
}
