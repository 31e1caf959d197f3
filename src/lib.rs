//! # Delivery Lab
//!
//! Kafka's delivery guarantees, made visible: a deterministic model of brokers, producers and
//! consumers, compiled to WebAssembly and animated in the browser.
//!
//! ## Map of the crate
//! - [`model`]: the pure, deterministic simulation. Virtual time and the event queue
//!   (`model::time`), the trace of every state change (`model::trace`), the scenario value
//!   (`model::scenario`) and the world that runs it (`model::world`). No web types, no clock.
//! - [`view`]: the pure view-model. Maps (trace, time cursor) to shapes, positions, labels and
//!   CSS class names. No Yew, tested natively.
//! - `ui` (wasm32 only): Yew components that draw the view-model and turn clicks into commands.
//! - `src/main.rs`: the page's entry point (mounts the Yew app).
//! - `src/bin/dlab/`: the headless runner (runs a scenario natively, prints JSON; asks Linux
//!   for huge pages for its large blocks).
//!
//! Data flows one way: a control sends a command, the model applies it and appends trace events,
//! the view-model maps (trace, cursor) to shapes, and components draw them.

pub mod model;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod ui;
