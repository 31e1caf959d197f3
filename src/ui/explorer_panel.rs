//! The explorer: every single fault point of the current scenario under each preset, as a matrix
//! of anomaly counts whose cells open their shortest counterexample in the stage.
//!
//! The work runs in Web Workers (`explorer_worker.rs`), one per core up to [`MAX_WORKERS`],
//! each taking a share of every preset's fault points. They are spawned ahead of the first
//! click, one after the other, as soon as the panel comes near the viewport or the pointer or
//! focus reaches Explore (fetching and compiling the model's code is then done before the user
//! asks), or else on the first click, and kept until the panel unmounts. This component only
//! sends `Warm`/`Start`/`Cancel`, merges the workers' messages into one exploration's
//! (`view::explorer_fan`) and draws the state the pure reducer (`view::explorer_view`) keeps
//! from them.

use super::explorer_worker::{self, ExplorerWorker};
use super::i18n::use_lang;
use crate::model::explorer::{self, Anomaly, Counterexample, ExploreOptions};
use crate::model::Scenario;
use crate::view::explorer_fan::{self, Fan};
use crate::view::explorer_text::ExplorerText as T;
use crate::view::explorer_view::{
    self as xv, anomaly_text, preset_text, ExplorerEvent, ExplorerState, ToWorker,
};
use crate::view::i18n::{tr, trf, Lang};
use gloo::worker::WorkerBridge;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};
use yew::prelude::*;

/// At most this many workers (each holds its own copy of the model's code and memory).
const MAX_WORKERS: usize = 4;

/// The cores the browser reports (`navigator.hardwareConcurrency`), 1 if it does not say.
fn cores() -> usize {
    web_sys::window()
        .map(|w| w.navigator().hardware_concurrency())
        .filter(|n| n.is_finite() && *n >= 1.0)
        .map_or(1, |n| n as usize)
}

/// The workers an exploration uses: one per core, at most one per preset and [`MAX_WORKERS`].
fn workers() -> usize {
    let presets = ExploreOptions::default().presets.len();
    explorer_fan::workers_for(cores(), presets, MAX_WORKERS)
}

/// Calls `on_near` once, the first time the element comes within 300 px of the viewport (not
/// at all where the browser has no `IntersectionObserver`).
#[hook]
fn use_when_near(node: NodeRef, on_near: Callback<()>) {
    use_effect_with((), move |_| {
        let callback = Closure::<dyn FnMut(js_sys::Array, IntersectionObserver)>::new(
            move |entries: js_sys::Array, observer: IntersectionObserver| {
                let near = entries.iter().any(|e| {
                    e.dyn_into::<IntersectionObserverEntry>()
                        .is_ok_and(|e| e.is_intersecting())
                });
                if near {
                    observer.disconnect();
                    on_near.emit(());
                }
            },
        );
        let init = IntersectionObserverInit::new();
        init.set_root_margin("300px");
        let observer =
            IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &init).ok();
        if let (Some(observer), Some(element)) = (&observer, node.cast::<web_sys::Element>()) {
            observer.observe(&element);
        }
        move || {
            if let Some(observer) = observer {
                observer.disconnect();
            }
            drop(callback);
        }
    });
}

/// The workers, the merging of their messages, and the starts of workers not spawned yet.
#[derive(Default)]
struct Pool {
    bridges: Vec<WorkerBridge<ExplorerWorker>>,
    fan: Fan,
    /// Starts for the workers after the first, sent when the first has answered: spawned
    /// together, the workers would compile the model at once and starve the page for a frame.
    waiting: Vec<ToWorker>,
    /// How many workers to have up before the user asks: 0 until the panel comes into view.
    warm_to: usize,
}

impl Pool {
    /// Starts an exploration: the first worker at once (spawned if need be), the others as
    /// soon as one is free to start.
    fn start(
        pool: &Rc<RefCell<Pool>>,
        options: ExploreOptions,
        mut starts: Vec<ToWorker>,
        panel: UseReducerDispatcher<Panel>,
    ) {
        let mut p = pool.borrow_mut();
        p.fan = Fan::new(options, starts.len());
        let spawned = p.bridges.len().max(1);
        let later = starts.split_off(spawned.min(starts.len()));
        for (i, start) in starts.into_iter().enumerate() {
            if i == p.bridges.len() {
                let bridge = Self::spawn(pool, i, panel.clone());
                p.bridges.push(bridge);
            }
            p.bridges[i].send(start);
        }
        p.waiting = later;
    }

    fn spawn(
        pool: &Rc<RefCell<Pool>>,
        i: usize,
        panel: UseReducerDispatcher<Panel>,
    ) -> WorkerBridge<ExplorerWorker> {
        let pool = Rc::clone(pool);
        explorer_worker::spawn(move |message| {
            let at_ms = js_sys::Date::now();
            let merged = pool.borrow_mut().fan.receive(i, message);
            Pool::spawn_waiting(&pool, panel.clone());
            Pool::warm_next(&pool, i, panel.clone());
            if let Some(message) = merged {
                panel.dispatch(ExplorerEvent::Worker { message, at_ms });
            }
        })
    }

    /// Spawns the first of `workers` workers ahead of any exploration; each of the others is
    /// spawned when the one before has answered (see [`Pool::start`] for why not together).
    fn warm(pool: &Rc<RefCell<Pool>>, workers: usize, panel: UseReducerDispatcher<Panel>) {
        let mut p = pool.borrow_mut();
        if p.warm_to >= workers {
            return;
        }
        p.warm_to = workers;
        if !p.bridges.is_empty() {
            // Those spawned chain the rest when they next answer.
            return;
        }
        drop(p);
        Self::spawn_next(pool, panel, ToWorker::Warm);
    }

    /// Worker `i` answered: if it is the latest spawned and fewer than the warm count are up
    /// (and no exploration is waiting for one), spawns the next, idle.
    fn warm_next(pool: &Rc<RefCell<Pool>>, i: usize, panel: UseReducerDispatcher<Panel>) {
        let p = pool.borrow();
        let next = p.bridges.len();
        if i + 1 != next || next >= p.warm_to || !p.waiting.is_empty() {
            return;
        }
        drop(p);
        Self::spawn_next(pool, panel, ToWorker::Warm);
    }

    /// The workers still to spawn for this exploration, now that one has answered.
    fn spawn_waiting(pool: &Rc<RefCell<Pool>>, panel: UseReducerDispatcher<Panel>) {
        let waiting = std::mem::take(&mut pool.borrow_mut().waiting);
        for start in waiting {
            Self::spawn_next(pool, panel.clone(), start);
        }
    }

    /// Spawns one more worker and sends it its first message.
    fn spawn_next(pool: &Rc<RefCell<Pool>>, panel: UseReducerDispatcher<Panel>, first: ToWorker) {
        let i = pool.borrow().bridges.len();
        let bridge = Self::spawn(pool, i, panel);
        bridge.send(first);
        pool.borrow_mut().bridges.push(bridge);
    }
}

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
    let pool = use_mut_ref(Pool::default);
    let opened = use_state(|| None::<String>);
    let points = use_memo(props.scenario.clone(), |s| {
        explorer::fault_points(s, &ExploreOptions::default()).len()
    });
    let (runs, per_preset, presets) = xv::estimate(*points, &ExploreOptions::default());

    let warm = {
        let (panel, pool) = (panel.clone(), pool.clone());
        Callback::from(move |()| Pool::warm(&pool, workers(), panel.dispatcher()))
    };
    let section = use_node_ref();
    use_when_near(section.clone(), warm.clone());
    let start = {
        let (panel, pool, scenario) = (panel.clone(), pool.clone(), props.scenario.clone());
        Callback::from(move |_: MouseEvent| {
            let options = ExploreOptions::default();
            let n = workers();
            let parts = explorer_fan::split(&options, n);
            let starts: Vec<ToWorker> = parts
                .into_iter()
                .map(|options| ToWorker::Start {
                    scenario: Box::new(scenario.clone()),
                    options,
                })
                .collect();
            panel.dispatch(ExplorerEvent::Started {
                at_ms: js_sys::Date::now(),
            });
            Pool::start(&pool, options, starts, panel.dispatcher());
        })
    };
    let cancel = {
        let pool = pool.clone();
        Callback::from(move |_: MouseEvent| {
            let mut p = pool.borrow_mut();
            // Workers not spawned yet never start; the others send their partial matrices.
            p.waiting.clear();
            let started = p.bridges.len();
            p.fan.truncate(started);
            for bridge in p.bridges.iter() {
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
        <section class="panel explorer" aria-labelledby="explorer-title" ref={section}>
            <h2 id="explorer-title">{ tr(lang, T::Title) }</h2>
            <p class="hint">{ trf(lang, T::Intro,
                &[&(ExploreOptions::default().settle_ms / 1000).to_string()]) }</p>
            <div class="explorer-run">
                <button class="btn btn-explore" onclick={start} disabled={state.running}
                    onpointerenter={warm.reform(|_| ())} onfocus={warm.reform(|_| ())}>
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
        let same = row.same_as.as_ref().map(|id| {
            let other = preset_text(id).map_or(id.clone(), |t| tr(lang, t).to_string());
            html! { <span class="xrow-same">{ trf(lang, T::SameAs, &[&other]) }</span> }
        });
        html! {
            <tr data-preset={row.preset.clone()}>
                <th scope="row">{ name.clone() }{ for same }</th>
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
