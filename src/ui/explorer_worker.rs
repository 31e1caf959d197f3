//! The explorer's Web Worker: holds an [`Explorer`], runs it in slices of about [`SLICE_MS`] of
//! work, posts the planned matrix first, progress with each row's counts after each slice (so
//! the page's matrix fills as runs finish), the whole matrix at the end, and obeys a cancel.
//!
//! Between slices it yields to the worker's event loop with a zero-delay timeout, so a `Cancel`
//! (or a new `Start`) posted by the page is handled within one slice. Messages cross the thread
//! boundary as JSON ([`Json`]): serde_json is already in the binary, bincode would add to it.

use crate::model::explorer::Explorer;
use crate::view::explorer_view::{FromWorker, ToWorker};
use gloo::timers::callback::Timeout;
use gloo::worker::{Codec, HandlerId, Registrable, Spawnable, Worker, WorkerBridge, WorkerScope};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// The worker's script, relative to the page (Trunk names worker files after the binary).
pub const SCRIPT: &str = "./explorer-worker.js";
/// Wall time of work per slice: short enough for a prompt cancel, long enough that the
/// timeout between slices (clamped to ~4 ms by browsers) costs little.
const SLICE_MS: f64 = 40.0;
/// Queue events per `Explorer::step` call inside a slice, between two clock readings.
const STEP_EVENTS: u64 = 2_000;

/// Messages as JSON strings.
#[derive(Debug)]
pub struct Json;

impl Codec for Json {
    fn encode<I: Serialize>(input: I) -> JsValue {
        // Our own message types always serialise; an empty string would fail loudly in decode.
        JsValue::from_str(&serde_json::to_string(&input).unwrap_or_default())
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        let text = input.as_string().unwrap_or_default();
        serde_json::from_str(&text).expect("explorer worker: a message that is not ours")
    }
}

/// A slice of work for the exploration of this generation (older slices are ignored).
pub struct Slice(u32);

#[derive(Default)]
pub struct ExplorerWorker {
    explorer: Option<Explorer>,
    client: Option<HandlerId>,
    generation: u32,
    /// The pending next slice; dropping it cancels the timeout.
    timer: Option<Timeout>,
}

impl ExplorerWorker {
    fn schedule(&mut self, scope: &WorkerScope<Self>) {
        let scope = scope.clone();
        let generation = self.generation;
        self.timer = Some(Timeout::new(0, move || {
            scope.send_message(Slice(generation))
        }));
    }

    fn finish(&mut self, scope: &WorkerScope<Self>) {
        self.timer = None;
        if let (Some(explorer), Some(client)) = (self.explorer.take(), self.client) {
            scope.respond(client, FromWorker::Done(Box::new(explorer.snapshot())));
        }
    }
}

impl Worker for ExplorerWorker {
    type Message = Slice;
    type Input = ToWorker;
    type Output = FromWorker;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Self::default()
    }

    fn update(&mut self, scope: &WorkerScope<Self>, Slice(generation): Slice) {
        let (Some(explorer), Some(client)) = (self.explorer.as_mut(), self.client) else {
            return;
        };
        if generation != self.generation {
            return;
        }
        let started = js_sys::Date::now();
        let mut progress = explorer.progress();
        while !explorer.is_done() && js_sys::Date::now() - started < SLICE_MS {
            progress = explorer.step(STEP_EVENTS);
        }
        if explorer.is_done() {
            self.finish(scope);
        } else {
            scope.respond(client, FromWorker::Progress(progress, explorer.counts()));
            self.schedule(scope);
        }
    }

    fn received(&mut self, scope: &WorkerScope<Self>, msg: ToWorker, id: HandlerId) {
        match msg {
            ToWorker::Start { scenario, options } => {
                self.generation = self.generation.wrapping_add(1);
                self.client = Some(id);
                let explorer = Explorer::new(&scenario, options);
                scope.respond(id, FromWorker::Planned(Box::new(explorer.snapshot())));
                self.explorer = Some(explorer);
                self.schedule(scope);
            }
            ToWorker::Warm => {
                warm_up();
                scope.respond(id, FromWorker::Ready)
            }
            ToWorker::Cancel => {
                if let Some(explorer) = self.explorer.as_mut() {
                    explorer.cancel();
                }
                self.finish(scope);
            }
        }
    }
}

/// A few runs of the explorer's benchmark scenario (some tens of milliseconds), so the engine
/// has compiled the model's hot code with its optimising tier before the first exploration
/// (and the compiling, which competes with the page for the cores, is not done during it).
fn warm_up() {
    let options = crate::model::explorer::ExploreOptions {
        presets: vec!["kafka-defaults".into()],
        max_points: WARM_UP_RUNS,
        ..Default::default()
    };
    Explorer::new(&crate::model::explorer::bench_scenario(), options).finish();
}

/// Runs of [`warm_up`].
const WARM_UP_RUNS: u32 = 60;

/// The worker binary's entry point: answers the page's bridge.
pub fn register() {
    ExplorerWorker::registrar().encoding::<Json>().register();
}

/// Starts the worker from the page; `on_message` receives everything it posts.
pub fn spawn(on_message: impl Fn(FromWorker) + 'static) -> WorkerBridge<ExplorerWorker> {
    ExplorerWorker::spawner()
        .callback(on_message)
        .encoding::<Json>()
        .spawn(SCRIPT)
}
