//! The model's speed in WASM (a benchmark, not a test: it asserts nothing about time).
//! Run with `scripts/bench-wasm.sh`; the figures go to BENCHMARKS.md.
#![cfg(target_arch = "wasm32")]

use delivery_lab::model::catalogue::bench_scenario;
use delivery_lab::model::World;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

#[wasm_bindgen_test]
fn model_events_per_second_in_the_browser() {
    let records = 100_000;
    let started = now_ms();
    let mut world = World::new(bench_scenario(records));
    world.run_until(world.scenario().duration_ms);
    let secs = (now_ms() - started) / 1000.0;
    let (events, steps) = (world.events_emitted(), world.steps());
    web_sys::console::log_1(
        &format!(
            "BENCH records={records} trace_events={events} queue_events={steps} seconds={secs:.3} \
             trace_events_per_second={:.0} queue_events_per_second={:.0}",
            events as f64 / secs,
            steps as f64 / secs
        )
        .into(),
    );
    assert!(events > 0);
}
