//! Side by side: pick two presets, run the scenario under both to the same end time, and see
//! where their traces part and which records fare differently (`view::compare`).

use super::i18n::use_lang;
use crate::model::Scenario;
use crate::view::compare::{self, Comparison, Fate};
use crate::view::explorer_text::ExplorerText as T;
use crate::view::explorer_view::{preset_ids, preset_text};
use crate::view::i18n::{tr, trf, Lang};
use wasm_bindgen::JsValue;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ComparePanelProps {
    /// The scenario both configurations live through.
    pub scenario: Scenario,
}

#[function_component(ComparePanel)]
pub fn compare_panel(props: &ComparePanelProps) -> Html {
    let lang = use_lang();
    let left = use_state(|| "unsafe-acks-1".to_string());
    let right = use_state(|| "kafka-defaults".to_string());
    let result = use_state(|| None::<Comparison>);
    let run = {
        let (left, right, result) = (left.clone(), right.clone(), result.clone());
        let scenario = props.scenario.clone();
        Callback::from(move |_: MouseEvent| {
            result.set(compare::compare(&scenario, &left, &right));
        })
    };
    html! {
        <div class="compare">
            <h3>{ tr(lang, T::CompareTitle) }</h3>
            <p class="hint">{ tr(lang, T::CompareIntro) }</p>
            <div class="compare-pick">
                { picker(lang, T::CompareLeft, "compare-left", &left) }
                { picker(lang, T::CompareRight, "compare-right", &right) }
                <button class="btn btn-compare" onclick={run}>{ tr(lang, T::Compare) }</button>
            </div>
            if let Some(c) = (*result).clone() {
                { comparison_view(lang, &c) }
            }
        </div>
    }
}

fn picker(lang: Lang, label: T, class: &'static str, value: &UseStateHandle<String>) -> Html {
    let onchange = {
        let value = value.clone();
        Callback::from(move |e: Event| {
            let picked = e
                .target()
                .and_then(|t| js_sys::Reflect::get(&t, &JsValue::from_str("value")).ok())
                .and_then(|v| v.as_string());
            if let Some(picked) = picked {
                value.set(picked);
            }
        })
    };
    let options = preset_ids().map(|id| {
        let name = preset_text(id).map_or(id, |t| tr(lang, t));
        html! { <option value={id} selected={**value == id}>{ name }</option> }
    });
    html! {
        <label class="compare-side">
            { tr(lang, label) }
            <select class={class} {onchange}>{ for options }</select>
        </label>
    }
}

fn comparison_view(lang: Lang, c: &Comparison) -> Html {
    let divergence = match &c.divergence {
        Some(d) => {
            let side = |s: &Option<String>| s.clone().unwrap_or_else(|| "—".into());
            let text = trf(
                lang,
                T::DivergeAt,
                &[&d.at_ms.to_string(), &side(&d.left), &side(&d.right)],
            );
            html! { <p class="compare-divergence" data-at-ms={d.at_ms.to_string()}>{ text }</p> }
        }
        None => html! { <p class="compare-divergence">{ tr(lang, T::NoDivergence) }</p> },
    };
    let same = c.rows.iter().filter(|r| r.same()).count();
    let fate = |f: &Option<Fate>| match f {
        Some(f) => {
            let offsets: Vec<String> = f.in_log_at.iter().map(|o| o.to_string()).collect();
            let mut text = format!("{} · [{}] · ×{}", f.told, offsets.join(","), f.processed);
            if !f.anomalies.is_empty() {
                text.push_str(&format!(" · {}", f.anomalies.join(", ")));
            }
            html! { <td class={classes!((!f.anomalies.is_empty()).then_some("has-anomaly"))}>{ text }</td> }
        }
        None => html! { <td>{ "—" }</td> },
    };
    let rows = c.rows.iter().filter(|r| !r.same()).map(|r| {
        html! {
            <tr data-record={r.record.to_string()}>
                <th scope="row">{ r.record }</th>{ fate(&r.left) }{ fate(&r.right) }
            </tr>
        }
    });
    let head = format!(
        "{} / {} / {}",
        tr(lang, T::Told),
        tr(lang, T::InLog),
        tr(lang, T::Processed)
    );
    html! {
        <div class="compare-result">
            { divergence }
            <p class="compare-same">{ trf(lang, T::LedgerSame, &[&same.to_string()]) }</p>
            if same < c.rows.len() {
                <div class="xmatrix-wrap">
                    <table class="compare-ledger">
                        <thead><tr>
                            <th scope="col">{ tr(lang, T::LedgerRecord) }</th>
                            <th scope="col">{ format!("{} ({head})", tr(lang, T::CompareLeft)) }</th>
                            <th scope="col">{ format!("{} ({head})", tr(lang, T::CompareRight)) }</th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
        </div>
    }
}
