//! The explorer: every single fault point of the current scenario under each preset, as a matrix
//! of anomaly counts whose cells open their shortest counterexample in the stage.
//!
//! The work runs in a Web Worker (`explorer_worker.rs`), spawned on the first click and kept
//! until the panel unmounts; this component only sends `Start`/`Cancel` and draws the state the
//! pure reducer (`view::explorer_view`) keeps from the worker's messages.

use super::explorer_worker::{self, ExplorerWorker};
use super::i18n::use_lang;
use crate::model::explorer::{self, Anomaly, Counterexample, ExploreOptions};
use crate::model::Scenario;
use crate::view::explorer_text::ExplorerText as T;
use crate::view::explorer_view::{
    self as xv, anomaly_text, preset_text, ExplorerEvent, ExplorerState, ToWorker,
};
use crate::view::i18n::{tr, trf, Lang};
use gloo::worker::WorkerBridge;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExplorerPanelProps {
    /// The scenario as opened (before the viewer's fault commands).
    pub scenario: Scenario,
    /// Open this scenario (a counterexample) in the stage.
    pub on_load: Callback<Scenario>,
}

/// The reducer's state: the pure view-model state.
#[derive(PartialEq, Default)]
struct Panel(ExplorerState);

impl Reducible for Panel {
    type Action = ExplorerEvent;
    fn reduce(self: Rc<Self>, action: ExplorerEvent) -> Rc<Self> {
        Rc::new(Panel(self.0.apply(action)))
    }
}

#[function_component(ExplorerPanel)]
pub fn explorer_panel(props: &ExplorerPanelProps) -> Html {
    let lang = use_lang();
    let panel = use_reducer(Panel::default);
    let bridge = use_mut_ref(|| None::<WorkerBridge<ExplorerWorker>>);
    let opened = use_state(|| None::<String>);
    let points = use_memo(props.scenario.clone(), |s| {
        explorer::fault_points(s, &ExploreOptions::default()).len()
    });
    let (runs, per_preset, presets) = xv::estimate(*points, &ExploreOptions::default());

    let start = {
        let (panel, bridge, scenario) = (panel.clone(), bridge.clone(), props.scenario.clone());
        Callback::from(move |_: MouseEvent| {
            let mut bridge = bridge.borrow_mut();
            let bridge = bridge.get_or_insert_with(|| {
                let panel = panel.dispatcher();
                explorer_worker::spawn(move |message| {
                    let at_ms = js_sys::Date::now();
                    panel.dispatch(ExplorerEvent::Worker { message, at_ms });
                })
            });
            panel.dispatch(ExplorerEvent::Started {
                at_ms: js_sys::Date::now(),
            });
            bridge.send(ToWorker::Start {
                scenario: Box::new(scenario.clone()),
                options: ExploreOptions::default(),
            });
        })
    };
    let cancel = {
        let bridge = bridge.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(bridge) = bridge.borrow().as_ref() {
                bridge.send(ToWorker::Cancel);
            }
        })
    };
    let on_open = {
        let (on_load, opened) = (props.on_load.clone(), opened.clone());
        Callback::from(
            move |(preset, anomaly, ce): (String, Anomaly, Counterexample)| {
                let story: Vec<String> = ce.point.faults.iter().map(explorer::describe).collect();
                let name = preset_text(&preset).map_or(preset.clone(), |t| tr(lang, t).to_string());
                let what = tr(lang, anomaly_text(anomaly));
                opened.set(Some(trf(
                    lang,
                    T::Opened,
                    &[what, &name, &story.join("; ")],
                )));
                on_load.emit(ce.scenario);
                scroll_to_stage();
            },
        )
    };
    let state = &panel.0;
    html! {
        <section class="panel explorer" aria-labelledby="explorer-title">
            <h2 id="explorer-title">{ tr(lang, T::Title) }</h2>
            <p class="hint">{ tr(lang, T::Intro) }</p>
            <div class="explorer-run">
                <button class="btn btn-explore" onclick={start} disabled={state.running}>
                    { tr(lang, T::Explore) }
                </button>
                <span class="explorer-estimate">{ trf(lang, T::Estimate,
                    &[&runs.to_string(), &per_preset.to_string(), &presets.to_string()]) }</span>
            </div>
            { progress_view(lang, state, cancel) }
            if let Some(x) = state.shown().cloned() {
                <Matrix exploration={x} {on_open} live={state.running} />
            }
            if let Some(text) = (*opened).clone() {
                <p class="notice explorer-opened" role="status">{ text }</p>
            }
        </section>
    }
}

/// The progress bar with its cancel button while running; the summary after.
fn progress_view(lang: Lang, state: &ExplorerState, cancel: Callback<MouseEvent>) -> Html {
    let label = match state.progress {
        Some(p) if state.running => trf(
            lang,
            T::Running,
            &[&p.done.to_string(), &p.total.to_string()],
        ),
        None if state.running => tr(lang, T::Planning).to_string(),
        _ => String::new(),
    };
    if state.running {
        let bar = match state.bar() {
            Some((value, max)) => html! {
                <progress class="explorer-progress" value={value.to_string()} max={max.to_string()}
                    aria-label={label.clone()} />
            },
            None => html! { <progress class="explorer-progress" aria-label={label.clone()} /> },
        };
        return html! {
            <div class="explorer-status" aria-live="polite">
                { bar }
                <span class="explorer-count">{ label }</span>
                <button class="btn btn-cancel" onclick={cancel}>{ tr(lang, T::Cancel) }</button>
            </div>
        };
    }
    let Some(x) = state.result.as_ref() else {
        return html! {};
    };
    let summary = if x.cancelled {
        trf(
            lang,
            T::Cancelled,
            &[&x.runs.to_string(), &x.total.to_string()],
        )
    } else {
        let secs = xv::seconds(state.elapsed_ms.unwrap_or(0.0));
        trf(lang, T::Finished, &[&x.runs.to_string(), &secs])
    };
    let class = classes!("explorer-summary", x.cancelled.then_some("is-cancelled"));
    html! { <p {class} role="status">{ summary }</p> }
}

fn scroll_to_stage() {
    if let Ok(Some(stage)) = gloo::utils::document().query_selector("svg.stage") {
        stage.scroll_into_view();
    }
}

#[derive(Properties, PartialEq)]
struct MatrixProps {
    exploration: Rc<explorer::Exploration>,
    /// (preset id, anomaly, its shortest counterexample).
    on_open: Callback<(String, Anomaly, Counterexample)>,
    /// Still filling: counts so far, no cell opens yet.
    live: bool,
}

/// Presets × anomaly kinds; a non-empty cell is a button opening its shortest counterexample.
#[function_component(Matrix)]
fn matrix(props: &MatrixProps) -> Html {
    let lang = use_lang();
    let x = &props.exploration;
    let heads = Anomaly::ALL.iter().map(|&a| {
        html! {
            <th scope="col" data-anomaly={a.id()}>{ tr(lang, anomaly_text(a)) }</th>
        }
    });
    let rows = xv::matrix(x).into_iter().zip(&x.rows).map(|(row, model_row)| {
        let name = preset_text(&row.preset).map_or(row.name.clone(), |t| tr(lang, t).to_string());
        let cells = row.cells.iter().map(|c| {
            let shortest = model_row.cell(c.anomaly).shortest.clone();
            let content = match shortest.filter(|_| c.openable) {
                Some(ce) => {
                    let on_open = props.on_open.clone();
                    let (preset, anomaly) = (row.preset.clone(), c.anomaly);
                    let onclick = Callback::from(move |_: MouseEvent| {
                        on_open.emit((preset.clone(), anomaly, ce.clone()))
                    });
                    let label = trf(lang, T::OpenCounterexample,
                        &[&c.count.to_string(), tr(lang, anomaly_text(c.anomaly)), &name]);
                    html! {
                        <button class="btn xcell-btn" aria-label={label.clone()} title={label} {onclick}>
                            { c.count }
                            if c.in_baseline {
                                <span class="xcell-base" title={tr(lang, T::BaselineMark)}>{ "*" }</span>
                            }
                        </button>
                    }
                }
                None => html! { { c.count } },
            };
            html! { <td class={c.class} data-anomaly={c.anomaly.id()}>{ content }</td> }
        });
        html! {
            <tr data-preset={row.preset.clone()}>
                <th scope="row">{ name.clone() }</th>
                { for cells }
            </tr>
        }
    });
    html! {
        // The caption sits outside the sideways-scrolling box so a phone shows all of it.
        <>
        <p class="hint xmatrix-caption" id="xmatrix-caption">{ tr(lang, T::MatrixCaption) }</p>
        <div class="xmatrix-wrap">
            <table class={classes!("xmatrix", props.live.then_some("is-live"))}
                aria-describedby="xmatrix-caption" aria-busy={props.live.to_string()}>
                <thead><tr><th scope="col">{ tr(lang, T::Configuration) }</th>{ for heads }</tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
        </>
    }
}
