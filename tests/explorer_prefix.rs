//! Prefix sharing is sound: every fault run the explorer starts from a snapshot of its baseline
//! is the run `World::new` of its scenario gives from scratch, event for event, and the matrix
//! built from shared runs is the matrix built from runs from scratch.

use delivery_lab::model::catalogue::scenario;
use delivery_lab::model::explorer::{
    shared_runs, Exploration, ExploreOptions, Explorer, FaultPoint,
};
use delivery_lab::model::{Command, CrashMode, Fault, NodeId, Scenario, Trigger, World};

/// A catalogue scenario with its own fault script (the explorer's faults come after it).
fn catalogue(name: &str) -> Scenario {
    scenario(name).expect("in the catalogue").expect("valid")
}

/// Every kind of point, pairs among them; a shorter settle and an even sample of the points
/// (`max_points` thins them evenly over the run, pairs included) so the test runs in a debug
/// build: neither changes how a run starts.
fn options(presets: &[&str], max_pairs: u32, max_points: u32) -> ExploreOptions {
    ExploreOptions {
        presets: presets.iter().map(|p| p.to_string()).collect(),
        settle_ms: 10_000,
        max_pairs,
        max_points,
        ..ExploreOptions::default()
    }
}

/// What kinds of points were started from a snapshot.
#[derive(Debug, Default)]
struct Seen {
    runs: u32,
    shared: u32,
    triggered: u32,
    drops: u32,
    cuts: u32,
    pairs: u32,
}

/// Runs `points` (the explorer's if `None`) of `s` under `preset` both ways, compares each pair
/// whole, and returns which points were started from a snapshot.
fn compare(
    s: &Scenario,
    preset: Option<&str>,
    o: &ExploreOptions,
    points: Option<&[FaultPoint]>,
) -> Vec<(FaultPoint, bool)> {
    let mut out = Vec::new();
    shared_runs(s, preset, o, points, &mut |point, shared, from_snapshot| {
        let what = format!("{}/{preset:?}: {:?}", s.name, point.faults);
        let faults = &shared.scenario().faults;
        assert!(
            faults.ends_with(&point.faults) && faults.len() == s.faults.len() + point.faults.len(),
            "{what}: the run's scenario is the script with the point's faults after it"
        );
        let mut scratch = World::new(shared.scenario().clone());
        scratch.run_until(scratch.scenario().duration_ms);
        if shared.trace() != scratch.trace() {
            let i = shared
                .trace()
                .iter()
                .zip(scratch.trace())
                .position(|(a, b)| a != b)
                .unwrap_or(shared.trace().len().min(scratch.trace().len()));
            panic!(
                "{what}: traces part at event {i}: shared {:?}, from scratch {:?}",
                shared.trace().get(i),
                scratch.trace().get(i)
            );
        }
        assert_eq!(shared.events_emitted(), scratch.events_emitted(), "{what}");
        assert_eq!(shared.steps(), scratch.steps(), "{what}");
        assert_eq!(shared.commands(), scratch.commands(), "{what}");
        assert_eq!(shared.now_ms(), scratch.now_ms(), "{what}");
        assert_eq!(shared.report(), scratch.report(), "{what}");
        out.push((point.clone(), from_snapshot));
    });
    out
}

/// Runs every point of `name` under `preset` both ways and compares them whole.
fn every_shared_run_is_its_run_from_scratch(name: &str, preset: Option<&str>, max_pairs: u32) {
    let s = catalogue(name);
    // EXPLORER_PREFIX_POINTS=1000000 (in a release build) checks every point.
    let sample = std::env::var("EXPLORER_PREFIX_POINTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let o = options(&[], max_pairs, sample);
    let mut seen = Seen::default();
    for (point, from_snapshot) in compare(&s, preset, &o, None) {
        seen.runs += 1;
        if from_snapshot {
            seen.shared += 1;
            seen.triggered += u32::from(point.faults.iter().any(|f| f.on.is_some()));
            seen.pairs += u32::from(point.faults_count > 1);
            for f in &point.faults {
                match f.action {
                    Command::Drop(_) => seen.drops += 1,
                    Command::Partition { .. } => seen.cuts += 1,
                    _ => {}
                }
            }
        }
    }
    // Not vacuous: nearly every run was shared, and every kind of point among them.
    assert!(seen.runs > 20, "{name}: {seen:?}");
    assert!(seen.shared * 10 >= seen.runs * 9, "{name}: {seen:?}");
    assert!(
        seen.triggered > 0 && seen.drops > 0 && seen.cuts > 0,
        "{name}: {seen:?}"
    );
    assert!(max_pairs == 0 || seen.pairs > 0, "{name}: {seen:?}");
}

fn point(at_ms: u64, faults: Vec<Fault>) -> FaultPoint {
    FaultPoint {
        at_ms,
        faults_count: faults.len() as u8,
        faults,
    }
}

fn crash(node: NodeId) -> Command {
    Command::Crash {
        node,
        mode: CrashMode::Process,
    }
}

/// The edges: commands due in the same millisecond as the boot's timers or the scenario's own
/// commands, a command at 0, a step that never comes (shared); a step that came before the
/// point's time (from scratch: a snapshot there has missed it).
#[test]
fn shared_runs_keep_the_order_of_a_millisecond_and_never_miss_a_step() {
    // S13: the consumer starts at 2000 ms (a boot timer), the brokers flush at 5000 ms (boot
    // timers), the script restarts C1 at 6000 ms.
    let s = catalogue("s13-commit-after-processing-duplicates");
    let (b1, b2, p1, c1) = (
        NodeId::Broker(1),
        NodeId::Broker(2),
        NodeId::Producer(1),
        NodeId::Consumer(1),
    );
    let polled = Trigger::Polled {
        consumer: c1,
        offset: 0,
        partition: 0,
    };
    let cases = [
        (point(0, vec![Fault::at(0, crash(p1))]), true),
        (point(2000, vec![Fault::at(2000, crash(c1))]), true),
        (point(5000, vec![Fault::at(5000, crash(b1))]), true),
        (
            point(
                6000,
                vec![
                    Fault::at(6000, Command::Restart { node: c1 }),
                    Fault::at(6000, crash(b2)),
                ],
            ),
            true,
        ),
        (
            point(
                1000,
                vec![Fault::on(
                    Trigger::LeaderAppended { record: 999 },
                    crash(b1),
                )],
            ),
            true,
        ),
        // A point's time later than its timed fault: the fault's time counts.
        (point(5000, vec![Fault::at(1000, crash(b1))]), true),
        (
            point(
                3000,
                vec![Fault::on(Trigger::RecordSent { record: 1 }, crash(p1))],
            ),
            false,
        ),
        (
            point(
                4000,
                vec![Fault::at(4000, crash(b2)), Fault::on(polled, crash(c1))],
            ),
            false,
        ),
    ];
    let points: Vec<FaultPoint> = cases.iter().map(|(p, _)| p.clone()).collect();
    let o = options(&[], 0, 1000);
    let got = compare(&s, None, &o, Some(&points));
    let expected: Vec<(FaultPoint, bool)> = cases.to_vec();
    assert_eq!(got, expected);
}

#[test]
fn shared_runs_of_a_leader_crash_scenario_are_runs_from_scratch() {
    // Its own script crashes and restarts the leader: the points' commands go after it.
    every_shared_run_is_its_run_from_scratch("s02-acks-1-leader-crash", None, 200);
    every_shared_run_is_its_run_from_scratch("s02-acks-1-leader-crash", Some("idempotent"), 0);
}

#[test]
fn shared_runs_of_consumer_scenarios_are_runs_from_scratch() {
    every_shared_run_is_its_run_from_scratch("s13-commit-after-processing-duplicates", None, 200);
    every_shared_run_is_its_run_from_scratch("groups-two-groups-each-get-every-record", None, 0);
    every_shared_run_is_its_run_from_scratch("s21-gc-pause-zombie-consumer", None, 0);
}

#[test]
fn shared_runs_of_transactions_and_retention_are_runs_from_scratch() {
    every_shared_run_is_its_run_from_scratch("s19-transaction-crash-before-commit", None, 200);
    every_shared_run_is_its_run_from_scratch("s25-retention-outruns-a-stopped-consumer", None, 0);
    every_shared_run_is_its_run_from_scratch("s06-lost-ack-no-idempotence-duplicates", None, 0);
}

/// The matrix without its count of events actually simulated (which sharing is there to cut).
fn matrix(x: &Exploration) -> Exploration {
    Exploration {
        simulated_events: 0,
        ..x.clone()
    }
}

#[test]
fn the_matrix_from_shared_runs_is_the_matrix_from_runs_from_scratch() {
    for (name, presets, pairs) in [
        (
            "s02-acks-1-leader-crash",
            &["as-given", "unsafe-acks-1"][..],
            30,
        ),
        (
            "s13-commit-after-processing-duplicates",
            &["at-most-once"][..],
            10,
        ),
        (
            "s07-lost-ack-idempotence-deduplicates",
            &["unsafe-retries"][..],
            0,
        ),
    ] {
        let s = catalogue(name);
        let o = options(presets, pairs, 120);
        let shared = Explorer::new(&s, o.clone()).finish();
        let scratch = Explorer::new(&s, o.clone()).from_scratch().finish();
        assert!(scratch.complete && scratch.runs > 0);
        assert_eq!(matrix(&shared), matrix(&scratch), "{name}");
        assert_eq!(scratch.simulated_events, scratch.events);
        assert!(
            shared.simulated_events < scratch.events,
            "{name}: sharing saved nothing"
        );
        // In small slices (a run, or the walk to its snapshot, cut by the budget) the same.
        let mut sliced = Explorer::new(&s, o);
        while !sliced.is_done() {
            sliced.step(97);
        }
        assert_eq!(
            matrix(&sliced.snapshot()),
            matrix(&scratch),
            "{name} in slices"
        );
    }
}

/// The default scenario as given is what Kafka's defaults make of it: that row's runs are not
/// simulated again but counted from the Kafka-defaults row, and the matrix is the one running
/// both gives, counterexamples (each with its own row's scenario name) included.
#[test]
fn presets_that_set_the_same_configuration_are_run_once() {
    let s = catalogue("hello");
    let o = options(&["as-given", "at-most-once", "kafka-defaults"], 0, 60);
    let shared = Explorer::new(&s, o.clone()).finish();
    let scratch = Explorer::new(&s, o.clone()).from_scratch().finish();
    assert_eq!(matrix(&shared), matrix(&scratch));
    let (given, defaults) = (&shared.rows[0], &shared.rows[2]);
    assert_eq!(
        (given.preset.as_str(), defaults.preset.as_str()),
        ("as-given", "kafka-defaults")
    );
    assert!(given.runs > 0 && given.cells.iter().any(|c| c.count > 0));
    let counts = |r: &delivery_lab::model::explorer::PresetRow| -> Vec<u32> {
        r.cells.iter().map(|c| c.count).collect()
    };
    assert_eq!(counts(given), counts(defaults));
    // Simulated: the other two rows' runs only (their baselines and prefixes), well under the
    // three rows' worth the events count.
    let alone = Explorer::new(&s, options(&["at-most-once", "kafka-defaults"], 0, 60)).finish();
    assert_eq!(shared.simulated_events, alone.simulated_events);
    assert_eq!(shared.runs, alone.runs + u64::from(given.runs));
}

/// The explorer benchmark's scenario, every point under every preset with the full settle: too
/// slow for a debug build. `cargo test --release --test explorer_prefix -- --ignored`.
#[test]
#[ignore]
fn every_shared_run_of_the_benchmark_is_its_run_from_scratch() {
    let s = delivery_lab::model::explorer::bench_scenario();
    let o = ExploreOptions::default();
    for preset in &o.presets {
        let runs = compare(&s, Some(preset), &o, None);
        let shared = runs.iter().filter(|(_, shared)| *shared).count();
        eprintln!("{preset}: {} runs, {shared} from a snapshot", runs.len());
        assert!(shared * 10 >= runs.len() * 9, "{preset}");
    }
}
