//! The explorer benchmark: every single fault point of a 20-record, 3-broker scenario under
//! every preset, run natively. `cargo run --release --example explore_bench`
//! prints points, runs, queue events and wall time as JSON: `queue_events` counts each run whole
//! (as if simulated from its boot), `simulated_events` what was simulated (the runs share their
//! baseline's prefix, `src/model/explorer/prefix.rs`). Preset ids given as arguments limit it
//! to those rows (for profiling one row). With EXPLORE_TO_THE_END set, every run goes on to its
//! end even once it has settled (the comparison for `World::settled`).

use delivery_lab::model::explorer::{bench_scenario, ExploreOptions, Explorer};
use std::time::Instant;

fn main() {
    let scenario = bench_scenario();
    let mut options = ExploreOptions::default();
    let rows: Vec<String> = std::env::args().skip(1).collect();
    if !rows.is_empty() {
        options.presets = rows;
    }
    let started = Instant::now();
    let mut explorer = Explorer::new(&scenario, options);
    if std::env::var_os("EXPLORE_TO_THE_END").is_some() {
        // Every run simulated to its end, as before runs stopped once settled.
        explorer = explorer.to_the_end();
    }
    let planned = started.elapsed().as_secs_f64();
    let total = explorer.progress().total;
    let x = explorer.finish();
    let seconds = started.elapsed().as_secs_f64();
    let per_preset: Vec<_> = x
        .rows
        .iter()
        .map(|r| serde_json::json!({ "preset": r.preset, "points": r.points, "runs": r.runs }))
        .collect();
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({
            "presets": x.rows.len(),
            "points": total,
            "runs": x.runs,
            "queue_events": x.events,
            "simulated_events": x.simulated_events,
            "planning_seconds": planned,
            "seconds": seconds,
            "runs_per_second": (x.runs as f64 / seconds).round(),
            "queue_events_per_second": (x.events as f64 / seconds).round(),
            "per_preset": per_preset,
        }))
        .unwrap_or_default()
    );
}
