//! The Rust side of an animation frame (not a test): plays a scenario at 1× (a frame every
//! 16.7 virtual ms) and reports the average time per frame of the views the workbench draws
//! (stage frame, ledger, explanation, timeline marks), computed from scratch and through the
//! session's cache. Usage: `cargo run --release --example frame_profile [NAME | RECORDS]`: a
//! catalogue scenario (default `busy-cluster`), or the model benchmark's scenario with that many
//! records (BENCHMARKS.md), played for its first 20 s.

use delivery_lab::model::{catalogue, World};
use delivery_lab::view::cache::ViewCache;
use delivery_lab::view::explain::explain;
use delivery_lab::view::frame;
use delivery_lab::view::i18n::Lang;
use delivery_lab::view::ledger_view::ledger_at;
use delivery_lab::view::timeline::marks;
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let arg = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "busy-cluster".into());
    let s = match arg.parse::<u32>() {
        Ok(records) => catalogue::bench_scenario(records),
        Err(_) => catalogue::scenario(&arg)
            .expect("a catalogue scenario")
            .expect("it parses"),
    };
    let mut w = World::new(s.clone());
    w.run_until(s.duration_ms);
    let trace = w.trace();
    let cursors: Vec<u64> = (0..)
        .map(|i| i * 167 / 10)
        .take_while(|&c| c <= s.duration_ms.min(20_000))
        .collect();
    let started = Instant::now();
    for &c in &cursors {
        let f = frame(&s, trace, c);
        black_box(ledger_at(&f.scene, trace, false));
        black_box(explain(trace, c, Lang::En, 8));
        black_box(marks(trace));
    }
    let scratch = started.elapsed().as_secs_f64() * 1000.0 / cursors.len() as f64;
    let mut cache = ViewCache::new(&s);
    let started = Instant::now();
    for &c in &cursors {
        black_box(cache.frame(trace, c));
        black_box(cache.ledger(trace, c, false));
        black_box(cache.explain(trace, c, Lang::En, 8));
        black_box(cache.marks(trace));
    }
    let cached = started.elapsed().as_secs_f64() * 1000.0 / cursors.len() as f64;
    println!(
        "{{\"scenario\": \"{arg}\", \"trace_events\": {}, \"frames\": {}, \"from_scratch_ms_per_frame\": {scratch:.3}, \"cached_ms_per_frame\": {cached:.3}}}",
        trace.len(),
        cursors.len()
    );
}
