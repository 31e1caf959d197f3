//! The explorer finds the known counterexamples (spec §9: S2, S6, S13), finds none where Kafka
//! guarantees none, and is deterministic, cancellable, resumable and replayable.

use delivery_lab::model::catalogue::scenario;
use delivery_lab::model::explorer::{
    anomalies, explore, fault_points, Anomaly, Exploration, ExploreOptions, Explorer, PresetRow,
};
use delivery_lab::model::{Command, CrashMode, NodeId, Scenario, World};

/// A catalogue scenario without its fault script: the explorer brings the faults.
fn story(name: &str) -> Scenario {
    let mut s = scenario(name).expect("in the catalogue").expect("valid");
    s.faults.clear();
    s
}

fn options(presets: &[&str]) -> ExploreOptions {
    ExploreOptions {
        presets: presets.iter().map(|p| p.to_string()).collect(),
        ..ExploreOptions::default()
    }
}

fn crashes_only(presets: &[&str]) -> ExploreOptions {
    ExploreOptions {
        drops: false,
        partitions: false,
        ..options(presets)
    }
}

fn run(s: &Scenario, o: &ExploreOptions) -> Exploration {
    let x = explore(s, o, &mut |_, _| true);
    assert!(x.complete, "every planned run was done");
    x
}

fn row<'a>(x: &'a Exploration, preset: &str) -> &'a PresetRow {
    x.rows.iter().find(|r| r.preset == preset).expect("row")
}

/// Replays a cell's shortest counterexample in a fresh world.
fn replay(r: &PresetRow, a: Anomaly) -> World {
    let c = r.cell(a).shortest.as_ref().expect("a counterexample");
    c.scenario.validate().expect("a valid scenario");
    let mut w = World::new(c.scenario.clone());
    w.run_until(w.scenario().duration_ms);
    w
}

fn crashes(r: &PresetRow, a: Anomaly) -> Vec<NodeId> {
    let c = r.cell(a).shortest.as_ref().expect("a counterexample");
    c.point
        .faults
        .iter()
        .filter_map(|f| match f.action {
            Command::Crash { node, .. } => Some(node),
            _ => None,
        })
        .collect()
}

#[test]
fn acks_1_with_a_leader_crash_before_replication_loses_an_acknowledged_record() {
    let x = run(
        &story("s02-acks-1-leader-crash"),
        &crashes_only(&["unsafe-acks-1"]),
    );
    let r = row(&x, "unsafe-acks-1");
    assert!(
        r.baseline.is_empty(),
        "no fault, no anomaly: {:?}",
        r.baseline
    );
    assert!(r.cell(Anomaly::AcknowledgedLost).count > 0);
    assert_eq!(
        crashes(r, Anomaly::AcknowledgedLost),
        vec![NodeId::Broker(1)]
    );
    let report = replay(r, Anomaly::AcknowledgedLost).report();
    assert!(!report.lost_acknowledged.is_empty(), "{report:?}");
}

#[test]
fn commit_after_processing_with_a_consumer_crash_duplicates_processing() {
    let s = story("s13-commit-after-processing-duplicates");
    let x = run(&s, &crashes_only(&["as-given"]));
    let r = row(&x, "as-given");
    assert!(r.cell(Anomaly::Duplicate).count > 0);
    assert_eq!(
        r.cell(Anomaly::DuplicateInLog).count,
        0,
        "idempotent producer"
    );
    assert_eq!(r.cell(Anomaly::Lost).count, 0, "at-least-once holds");
    assert_eq!(crashes(r, Anomaly::Duplicate), vec![NodeId::Consumer(1)]);
    let report = replay(r, Anomaly::Duplicate).report();
    assert!(!report.processed_twice.is_empty(), "{report:?}");
    assert!(report.duplicated_in_log.is_empty());
}

#[test]
fn non_idempotent_retries_after_a_lost_ack_duplicate_in_the_log() {
    let s = story("s06-lost-ack-no-idempotence-duplicates");
    let o = ExploreOptions {
        crashes: false,
        partitions: false,
        ..options(&["as-given", "unsafe-retries", "idempotent"])
    };
    let x = run(&s, &o);
    for preset in ["as-given", "unsafe-retries"] {
        let r = row(&x, preset);
        assert!(r.cell(Anomaly::DuplicateInLog).count > 0, "{preset}");
        let report = replay(r, Anomaly::DuplicateInLog).report();
        assert!(!report.duplicated_in_log.is_empty(), "{preset}: {report:?}");
    }
    assert_eq!(row(&x, "idempotent").cell(Anomaly::DuplicateInLog).count, 0);
}

#[test]
fn acks_all_with_idempotence_and_clean_elections_never_loses_or_duplicates_in_the_log() {
    let mut hello = Scenario::default();
    hello.producers[0].workload.records = 8;
    hello.producers[0].workload.interval_ms = 200;
    for s in [hello, story("s04-acks-all-clean-failover")] {
        let x = run(&s, &options(&["kafka-defaults", "idempotent"]));
        for r in &x.rows {
            assert!(r.runs > 100, "{}: {} runs", r.preset, r.runs);
            for a in [Anomaly::AcknowledgedLost, Anomaly::DuplicateInLog] {
                let c = r.cell(a);
                assert_eq!(c.count, 0, "{} {a:?}: {:?}", r.preset, c.shortest);
            }
        }
    }
}

#[test]
fn the_same_exploration_twice_gives_identical_results() {
    let s = story("s13-commit-after-processing-duplicates");
    let o = crashes_only(&["kafka-defaults", "unsafe-acks-1"]);
    let a = run(&s, &o);
    let b = run(&s, &o);
    assert_eq!(a, b);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
}

#[test]
fn running_in_small_slices_gives_the_same_matrix_as_one_go() {
    let s = story("s02-acks-1-leader-crash");
    let o = crashes_only(&["unsafe-acks-1"]);
    let mut sliced = Explorer::new(&s, o.clone());
    let total = sliced.progress().total;
    let mut last = 0;
    while !sliced.is_done() {
        let p = sliced.step(37);
        assert!(p.done >= last && p.done <= total);
        last = p.done;
    }
    assert_eq!(sliced.snapshot(), Explorer::new(&s, o).finish());
}

#[test]
fn partial_counts_after_each_slice_fill_the_planned_matrix_up_to_the_final_one() {
    let s = story("s02-acks-1-leader-crash");
    let o = ExploreOptions {
        max_points: 60,
        ..crashes_only(&["kafka-defaults", "unsafe-acks-1"])
    };
    let mut x = Explorer::new(&s, o.clone());
    // What the page gets first: the plan, every count 0.
    let mut live = x.snapshot();
    assert_eq!(live.runs, 0);
    assert!(live
        .counts()
        .iter()
        .all(|r| r.runs == 0 && r.counts.iter().all(|&c| c == 0)));
    let mut last = live.counts();
    let (mut slices, mut grew) = (0, 0);
    while !x.is_done() {
        let p = x.step(300);
        let counts = x.counts();
        assert_eq!(counts.len(), 2);
        for (before, now) in last.iter().zip(&counts) {
            assert!(now.runs >= before.runs);
            for (b, n) in before.counts.iter().zip(&now.counts) {
                assert!(n >= b, "a count never goes down: {before:?} then {now:?}");
            }
        }
        if counts != last {
            grew += 1;
        }
        live.apply_counts(&counts);
        assert_eq!(live.runs, p.done, "the rows' runs add up to the progress");
        assert_eq!(live.counts(), x.snapshot().counts());
        last = counts;
        slices += 1;
    }
    assert!(
        grew >= 3,
        "the matrix filled in {grew} of {slices} slices, not all at the end"
    );
    let done = Explorer::new(&s, o).finish();
    assert_eq!(live.counts(), done.counts());
    assert!(
        done.rows[1].cells.iter().any(|c| c.count > 0),
        "acks=1 shows something"
    );
    // A progress message's counts are small: a few numbers per preset, no scenarios.
    let json = serde_json::to_string(&x.counts()).unwrap();
    assert!(json.len() < 200, "{} bytes: {json}", json.len());
}

#[test]
fn cancel_stops_early_and_says_so() {
    let s = story("s13-commit-after-processing-duplicates");
    let mut calls = 0;
    let x = explore(&s, &options(&["as-given"]), &mut |_, _| {
        calls += 1;
        false
    });
    assert_eq!(calls, 1);
    assert!(x.cancelled && !x.complete);
    assert!(x.runs < x.total, "{} of {}", x.runs, x.total);
}

#[test]
fn every_shortest_counterexample_replays_its_anomaly_in_a_fresh_world() {
    let mut s = Scenario::default();
    s.producers[0].workload.records = 6;
    let x = run(
        &s,
        &options(&["unsafe-acks-1", "at-most-once", "at-least-once"]),
    );
    let mut seen = 0;
    for r in &x.rows {
        for c in r.cells.iter().filter(|c| c.count > 0) {
            let w = replay(r, c.anomaly);
            assert!(
                anomalies(&w).contains(&c.anomaly),
                "{} {:?} did not replay",
                r.preset,
                c.anomaly
            );
            seen += 1;
        }
    }
    assert!(seen >= 4, "only {seen} non-empty cells");
}

#[test]
fn fault_points_skip_crashes_of_a_node_that_is_already_down() {
    // S2's own script crashes B1 when it sends the ack of m1 (t=100) and restarts it at 12000.
    let s = scenario("s02-acks-1-leader-crash").unwrap().unwrap();
    let points = fault_points(&s, &ExploreOptions::default());
    assert!(
        points.windows(2).all(|w| w[0].at_ms <= w[1].at_ms),
        "in time order"
    );
    let b1_crashes: Vec<u64> = points
        .iter()
        .filter(|p| {
            p.faults.iter().any(|f| {
                f.action
                    == Command::Crash {
                        node: NodeId::Broker(1),
                        mode: CrashMode::Process,
                    }
            })
        })
        .map(|p| p.at_ms)
        .collect();
    assert!(!b1_crashes.is_empty());
    assert!(
        b1_crashes.iter().all(|&t| t <= 100 || t >= 12_000),
        "{b1_crashes:?}"
    );
}

#[test]
fn pairs_are_bounded_and_come_after_the_singles() {
    let s = story("s02-acks-1-leader-crash");
    let o = ExploreOptions {
        max_pairs: 25,
        ..crashes_only(&["as-given"])
    };
    let points = fault_points(&s, &o);
    let pairs: Vec<_> = points.iter().filter(|p| p.faults_count == 2).collect();
    assert!(!pairs.is_empty() && pairs.len() <= 25, "{}", pairs.len());
    assert!(points
        .iter()
        .skip_while(|p| p.faults_count == 1)
        .all(|p| p.faults_count == 2));
    assert!(
        pairs.iter().all(|p| p.faults.len() == 4),
        "two crashes, two restarts"
    );
}

#[test]
fn a_partition_left_offline_by_a_crash_shows_as_stalled() {
    let mut s = Scenario::default();
    s.topic.replication_factor = 1;
    let o = ExploreOptions {
        restart_after_ms: None,
        ..crashes_only(&["as-given"])
    };
    let x = run(&s, &o);
    let r = row(&x, "as-given");
    assert!(r.cell(Anomaly::Stalled).count > 0);
    assert_eq!(crashes(r, Anomaly::Stalled), vec![NodeId::Broker(1)]);
    assert_eq!(r.cell(Anomaly::AbortedRead).count, 0, "no transactions yet");
}

#[test]
fn the_browser_benchmark_opens_exactly_the_explorer_benchmark_scenario() {
    use delivery_lab::model::explorer::bench_scenario;
    use delivery_lab::view::link::decode;
    let script = include_str!("../scripts/bench-explorer.mjs");
    let query = script
        .split('\'')
        .find(|part| part.starts_with("?v=1&scenario=hello&patch="))
        .expect("scripts/bench-explorer.mjs has the benchmark's link");
    assert_eq!(decode(query).map(|s| s.scenario), Ok(bench_scenario()));
}
