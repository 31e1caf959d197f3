//! Stopping settled runs is sound: when `World::settled` first says a run has settled, its report
//! (the ledger against the logs and committed offsets) and its anomalies are those it ends
//! with; and the explorer's matrix is the same whether settled runs stop or go on to the end.

use delivery_lab::model::catalogue::{scenario, CATALOGUE};
use delivery_lab::model::explorer::{
    anomalies, bench_scenario, fault_points, Anomaly, Exploration, ExploreOptions, Explorer,
};
use delivery_lab::model::presets::{self, PRESETS};
use delivery_lab::model::{Command, CrashMode, NodeId, Report, Scenario, World};

/// How often a run is asked, as the explorer asks.
const CHECK_MS: u64 = 100;

fn catalogue(name: &str) -> Scenario {
    scenario(name).expect("in the catalogue").expect("valid")
}

/// What a run looks like when first called settled: when, its report and anomalies.
struct Settled {
    at_ms: u64,
    report: Report,
    anomalies: Vec<Anomaly>,
}

/// Runs `s` to its end, asking every `CHECK_MS` whether it has settled; checks that from the
/// first answer "settled" on the outcome does not change, every second and at the end. (The
/// run need not stay settled: an auto-commit of the same offset is briefly under way.)
fn run_and_check(s: Scenario, what: &str) -> Option<Settled> {
    let mut w = World::new(s);
    let end = w.scenario().duration_ms;
    let mut first: Option<Settled> = None;
    let mut t = 0;
    while t < end {
        t = (t + CHECK_MS).min(end);
        w.run_until(t);
        if first.is_none() && w.settled() {
            first = Some(Settled {
                at_ms: t,
                report: w.report(),
                anomalies: anomalies(&w),
            });
        }
        if let Some(f) = first.as_ref().filter(|_| t % 1_000 == 0) {
            // Not only at the end: the outcome does not move on the way there either.
            assert_eq!(
                f.report,
                w.report(),
                "{what}: settled at {} ms, the report changed at {t} ms",
                f.at_ms
            );
        }
    }
    if let Some(f) = &first {
        assert_eq!(
            f.anomalies,
            anomalies(&w),
            "{what}: settled at {} ms, anomalies changed by the end",
            f.at_ms
        );
        assert_eq!(
            f.report,
            w.report(),
            "{what}: settled at {} ms, the report changed by the end",
            f.at_ms
        );
    }
    first
}

/// Every catalogue scenario under every preset: an even sample of the explorer's points (all of
/// them with EXPLORER_SETTLE_POINTS=1000000 in a release build), each run to its end with the
/// default settling time; returns (runs, runs that settled before their end).
fn check_catalogue(sample: usize) -> (u32, u32) {
    let options = ExploreOptions::default();
    let (mut runs, mut settled) = (0, 0);
    for (name, _) in CATALOGUE {
        let base = catalogue(name);
        for preset in PRESETS {
            let Some(mut s) = presets::apply(preset.id, &base) else {
                continue;
            };
            let points = fault_points(&s, &options);
            s.duration_ms += options.settle_ms;
            let step = points.len().div_ceil(sample.max(1)).max(1);
            for point in points.iter().step_by(step) {
                let mut run = s.clone();
                run.faults.extend(point.faults.iter().cloned());
                let what = format!("{name}/{}: {:?}", preset.id, point.faults);
                runs += 1;
                if let Some(f) = run_and_check(run, &what) {
                    settled += 1;
                    assert!(f.at_ms < s.duration_ms, "{what}");
                }
            }
        }
    }
    (runs, settled)
}

#[test]
fn a_settled_run_keeps_its_outcome_to_the_end_across_the_catalogue() {
    let sample = std::env::var("EXPLORER_SETTLE_POINTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let (runs, settled) = check_catalogue(sample);
    eprintln!("{runs} runs, {settled} settled before their end");
    // Not vacuous: most runs settle, so the claim was checked on most of them.
    assert!(runs > 300, "{runs}");
    assert!(settled * 2 > runs, "{settled} of {runs}");
}

/// Every point of the explorer benchmark under every preset, and 40 points of each catalogue
/// scenario under each preset (EXPLORER_SETTLE_POINTS sets how many): too slow for a debug
/// build. `cargo test --release --test explorer_settle -- --ignored`.
#[test]
#[ignore]
fn every_settled_run_of_the_benchmark_and_the_catalogue_keeps_its_outcome() {
    let s = bench_scenario();
    let options = ExploreOptions::default();
    let (mut runs, mut settled) = (0u32, 0u32);
    for preset in PRESETS {
        let Some(mut p) = presets::apply(preset.id, &s) else {
            continue;
        };
        let points = fault_points(&p, &options);
        p.duration_ms += options.settle_ms;
        for point in &points {
            let mut run = p.clone();
            run.faults.extend(point.faults.iter().cloned());
            runs += 1;
            settled +=
                u32::from(run_and_check(run, &format!("{}: {point:?}", preset.id)).is_some());
        }
    }
    eprintln!("benchmark: {runs} runs, {settled} settled");
    let sample = std::env::var("EXPLORER_SETTLE_POINTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let (runs, settled) = check_catalogue(sample);
    eprintln!("catalogue: {runs} runs, {settled} settled");
}

/// A run with work left is not settled; the same run once everything is done and committed is.
#[test]
fn settled_means_nothing_left_to_do() {
    let mut w = World::new(catalogue("hello"));
    assert!(!w.settled(), "at the boot");
    w.run_until(1_000);
    assert!(!w.settled(), "while sending: {:?}", w.unsettled_by());
    let end = w.scenario().duration_ms;
    w.run_until(end);
    let quiet = w.clone();
    assert!(quiet.settled(), "at the end: {:?}", quiet.unsettled_by());

    // A broker down, a link cut, a command still to come: not settled.
    let mut down = quiet.clone();
    down.apply(Command::Crash {
        node: NodeId::Broker(2),
        mode: CrashMode::Process,
    });
    assert!(!down.settled());
    let mut cut = quiet.clone();
    cut.apply(Command::Partition {
        a: NodeId::Broker(1),
        b: NodeId::Broker(3),
    });
    assert!(!cut.settled());
    let mut s = catalogue("hello");
    s.duration_ms += 60_000;
    s.faults.push(delivery_lab::model::Fault::at(
        s.duration_ms - 1_000,
        Command::Crash {
            node: NodeId::Consumer(1),
            mode: CrashMode::Process,
        },
    ));
    let mut later = World::new(s);
    later.run_until(end);
    assert!(!later.settled(), "a crash is still to come");
}

/// The matrix without the event counts (which stopping settled runs is there to cut).
fn matrix(x: &Exploration) -> Exploration {
    let mut x = x.clone();
    x.events = 0;
    x.simulated_events = 0;
    for row in &mut x.rows {
        for cell in &mut row.cells {
            if let Some(c) = &mut cell.shortest {
                c.trace_events = 0;
            }
        }
    }
    x
}

#[test]
fn the_matrix_is_the_same_whether_settled_runs_stop_or_not() {
    for (name, presets) in [
        (
            "s02-acks-1-leader-crash",
            &["as-given", "unsafe-acks-1"][..],
        ),
        (
            "s13-commit-after-processing-duplicates",
            &["at-most-once"][..],
        ),
        ("s19-transaction-crash-before-commit", &["as-given"][..]),
    ] {
        let o = ExploreOptions {
            presets: presets.iter().map(|p| p.to_string()).collect(),
            max_pairs: 20,
            max_points: 100,
            ..ExploreOptions::default()
        };
        let s = catalogue(name);
        let stopped = Explorer::new(&s, o.clone()).finish();
        let whole = Explorer::new(&s, o).to_the_end().finish();
        assert!(whole.complete && whole.runs > 0);
        assert!(
            stopped.events < whole.events,
            "{name}: no run stopped early"
        );
        // Counts and every cell's counterexample fault points are the same; only the tie-break
        // by length among equally short counterexamples could differ, and it does not here.
        assert_eq!(matrix(&stopped), matrix(&whole), "{name}");
    }
}
