//! A run is a pure function of (scenario, seed, commands): the same scenario gives the same trace,
//! and the default scenario's trace hash is pinned in `tests/fixtures/default-trace-hash.txt`
//! (which the browser tests also read, so native and WASM must agree).

use delivery_lab::model::{trace_hash, Command, CrashMode, NodeId, Scenario, World};

fn run(scenario: Scenario) -> World {
    let mut w = World::new(scenario);
    let end = w.scenario().duration_ms;
    w.run_until(end);
    w
}

#[test]
fn the_same_scenario_gives_the_same_trace() {
    let a = run(Scenario::default());
    let b = run(Scenario::default());
    assert_eq!(a.trace(), b.trace());
    assert_eq!(trace_hash(a.trace()), trace_hash(b.trace()));
}

#[test]
fn the_default_scenario_trace_hash_matches_the_golden_file() {
    let w = run(Scenario::default());
    let golden = include_str!("fixtures/default-trace-hash.txt").trim();
    assert_eq!(
        trace_hash(w.trace()).to_string(),
        golden,
        "update the golden file if the default trace legitimately changed"
    );
}

#[test]
fn the_default_scenario_delivers_every_record_exactly_once() {
    let w = run(Scenario::default());
    let r = w.report();
    assert_eq!(r.records, 5);
    assert!(r.verdict.exactly_once, "{r:?}");
}

#[test]
fn running_in_slices_gives_the_same_trace_as_running_at_once() {
    let whole = run(Scenario::default());
    let mut sliced = World::new(Scenario::default());
    for t in (0..=8000).step_by(37) {
        sliced.run_until(t);
    }
    sliced.run_until(8000);
    assert_eq!(whole.trace(), sliced.trace());
}

#[test]
fn a_snapshot_replays_identically_after_a_command() {
    let mut w = World::new(Scenario::default());
    w.run_until(1000);
    let snapshot = w.clone();
    let crash = Command::Crash {
        node: NodeId::Broker(1),
        mode: CrashMode::Process,
    };
    w.apply(crash.clone());
    w.run_until(8000);
    let mut again = snapshot;
    again.apply(crash.clone());
    again.run_until(8000);
    assert_eq!(w.trace(), again.trace());
    assert_eq!(w.commands(), &[(1000, crash)]);
}
