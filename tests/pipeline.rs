//! Consume-transform-produce (spec §6.5–§6.8, S19): a consumer and a transactional producer in
//! one application, offsets committed inside the output transaction. The catalogue scenario's
//! outcome, and a property over seeds and a random single crash of any node: read_committed
//! readers of the output see every input's output exactly once.

mod common;
use common::{log_of, polled, run};
use delivery_lab::model::catalogue::scenario;
use delivery_lab::model::log::{is_marker, ABORT_MARKER, COMMIT_MARKER};
use delivery_lab::model::rng::{Choice, Rng};
use delivery_lab::model::{Command, CrashMode, EventKind, Fault, NodeId, Scenario, World};

const A: u32 = ABORT_MARKER;
const C: u32 = COMMIT_MARKER;

#[test]
fn a_pipeline_crash_before_commit_is_exactly_once_for_read_committed_readers() {
    let (w, r) = run("s19p-pipeline-crash-before-commit");
    // Topic `in` is partition 0, topic `out` partition 1. Output of input i is record 3 + i.
    assert_eq!(log_of(&w, 0), vec![1, 2, 3]);
    assert_eq!(log_of(&w, 1), vec![4, 5, 6, A, 4, 5, 6, C]);
    assert_eq!(
        polled(&w, 2),
        vec![4, 5, 6],
        "read_committed: each output once"
    );
    assert_eq!(
        polled(&w, 3),
        vec![4, 5, 6, 4, 5, 6],
        "read_uncommitted: the aborted attempt too"
    );
    assert!(r.aborted_reads.is_empty());
    assert_eq!(r.uncommitted_reads, vec![4, 5, 6]);
    assert!(
        r.duplicated_in_log.is_empty(),
        "the aborted copy does not count"
    );
    // The offsets moved with the committed transaction, not with the aborted one.
    assert_eq!(w.coordinator().committed("app", 0), Some(3));
    let group = |g: &str| r.groups.iter().find(|v| v.group == g).expect("a verdict");
    assert!(group("rc").verdict.exactly_once, "{:?}", group("rc"));
    assert!(!group("ru").verdict.exactly_once);
    assert_eq!(group("ru").processed_twice, vec![4, 5, 6]);
    // The application's own processing (a side effect outside Kafka) ran once per attempt.
    assert_eq!(group("app").processed_twice, vec![1, 2, 3]);
    assert!(!group("app").verdict.exactly_once);
    // Each group's verdict covers its own topic only.
    assert!(group("app").unprocessed.is_empty() && group("rc").unprocessed.is_empty());
}

#[test]
fn the_abort_drops_the_pending_offsets_and_the_commit_applies_them() {
    let (w, _) = run("s19p-pipeline-crash-before-commit");
    let decided: Vec<bool> = w
        .trace()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::TxnOffsetsDecided { commit, .. } => Some(commit),
            _ => None,
        })
        .collect();
    assert_eq!(decided, vec![false, true]);
    let pending = w
        .trace()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::TxnOffsetsPending { .. }))
        .count();
    assert_eq!(pending, 2, "one TxnOffsetCommit per attempt");
}

#[test]
fn a_pipeline_without_a_crash_commits_each_poll_once() {
    let mut s = scenario("s19p-pipeline-crash-before-commit")
        .unwrap()
        .unwrap();
    s.faults.clear();
    let mut w = World::new(s);
    w.run_until(12_000);
    let r = w.report();
    assert_eq!(log_of(&w, 1), vec![4, 5, 6, C]);
    assert_eq!(polled(&w, 2), vec![4, 5, 6]);
    assert_eq!(polled(&w, 3), vec![4, 5, 6]);
    assert!(r.groups.iter().all(|g| g.verdict.exactly_once), "{r:?}");
    assert_eq!(r.invariant_violations, 0);
}

#[test]
fn pipeline_settings_are_checked() {
    let base = scenario("s19p-pipeline-crash-before-commit")
        .unwrap()
        .unwrap();
    let refuse = |f: &dyn Fn(&mut Scenario), needle: &str| {
        let mut s = base.clone();
        f(&mut s);
        let e = s.validate().expect_err(needle).to_string();
        assert!(e.contains(needle), "{e} should mention {needle}");
    };
    refuse(
        &|s| s.consumers[0].config.enable_auto_commit = Some(true),
        "enable.auto.commit",
    );
    refuse(
        &|s| s.producers[1].config.transactional_id = None,
        "transactional.id",
    );
    refuse(&|s| s.producers[1].workload.records = 2, "workload.records");
    refuse(&|s| s.output_topic = None, "output_topic");
    refuse(&|s| s.consumers[1].topic = Some("nope".into()), "no topic");
    refuse(
        &|s| s.consumers[0].app.output_producer = None,
        "output_producer",
    );
    // A bad file names the field.
    let e = Scenario::from_json(r#"{"output_topic": {"name": "out", "parts": 2}}"#)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("output_topic"), "{e}");
}

/// The pipeline under a random single crash (and its restart) of any node: the application,
/// a broker (process crash or power loss), or a downstream consumer.
fn crashed_pipeline(seed: u64) -> (Scenario, String) {
    let mut s = scenario("s19p-pipeline-crash-before-commit")
        .unwrap()
        .unwrap();
    s.seed = seed;
    s.duration_ms = 120_000;
    s.network.latency_ms = 20;
    s.network.jitter_ms = 10;
    s.topic.partitions = 2;
    s.topic.min_insync_replicas = 2;
    if let Some(o) = &mut s.output_topic {
        o.partitions = 2;
    }
    s.producers[0].workload.records = 12;
    s.producers[0].workload.interval_ms = 300;
    s.producers[0].workload.keys = vec!["a".into(), "b".into(), "c".into()];
    s.consumers[0].app.processing_ms = 40;
    s.consumers[0].config.max_poll_records = Some(3);
    let mut rng = Rng::seed_from_u64(seed ^ 0x91e1);
    // While the application works through its transactions (inputs arrive 0..3.6 s).
    let at = 700 + rng.below(Choice::LatencyJitter, 3_500);
    let back = at + 500 + rng.below(Choice::LatencyJitter, 15_000);
    let (node, mode) = match rng.below(Choice::LatencyJitter, 6) {
        0 | 1 => (NodeId::Consumer(1), CrashMode::Process),
        2 => (NodeId::Producer(2), CrashMode::Process),
        3 => (
            NodeId::Broker(1 + rng.below(Choice::LatencyJitter, 3) as u32),
            CrashMode::PowerLoss,
        ),
        4 => (
            NodeId::Broker(1 + rng.below(Choice::LatencyJitter, 3) as u32),
            CrashMode::Process,
        ),
        _ => (NodeId::Consumer(2), CrashMode::Process),
    };
    s.faults = vec![
        Fault::at(at, Command::Crash { node, mode }),
        Fault::at(back, Command::Restart { node }),
    ];
    (
        s,
        format!("seed {seed}: {node} {mode:?} at {at} ms, back at {back} ms"),
    )
}

#[test]
fn read_committed_output_has_every_input_exactly_once_under_any_single_crash() {
    // 80 seeds: with batching (outputs sent while AddPartitionsToTxn is unanswered share a
    // batch) transactions finish sooner, and fewer crashes land inside one.
    let mut aborted_runs = 0;
    for seed in 0..80 {
        let (s, what) = crashed_pipeline(seed);
        let inputs = s.producers[0].workload.records;
        let mut w = World::new(s.clone());
        w.run_until(s.duration_ms);
        let r = w.report();
        assert_eq!(r.invariant_violations, 0, "{what}");
        assert!(r.aborted_reads.is_empty(), "{what}: G1a");
        // The output topic as a read_committed reader sees it: committed outputs only.
        let mut committed: Vec<u32> = Vec::new();
        let mut aborted = 0;
        for p in 2..4 {
            let log = log_of(&w, p);
            let fates = w.ledger().rows();
            for (o, &record) in log.iter().enumerate() {
                if record == ABORT_MARKER {
                    aborted += 1;
                }
                if is_marker(record) {
                    continue;
                }
                let aborted = fates
                    .iter()
                    .flat_map(|row| row.txn_appends.iter())
                    .any(|a| {
                        a.partition == p
                            && a.offset == o as u64
                            && a.fate == delivery_lab::model::ledger::TxnFate::Aborted
                    });
                if !aborted {
                    committed.push(record);
                }
            }
        }
        committed.sort_unstable();
        let expected: Vec<u32> = (inputs + 1..=2 * inputs).collect();
        assert_eq!(committed, expected, "{what}: every output once");
        // And the downstream read_committed consumer, if it never crashed, read each once.
        if !what.contains("C2") {
            let mut seen = polled(&w, 2);
            seen.sort_unstable();
            assert_eq!(seen, expected, "{what}: C2 read each output once");
        }
        // The application's committed offsets cover every input.
        let end: u64 = (0..2)
            .filter_map(|p| w.coordinator().committed("app", p))
            .sum();
        assert_eq!(end, u64::from(inputs), "{what}: offsets committed");
        aborted_runs += usize::from(aborted > 0);
    }
    // The crashes land inside transactions often enough for the property to mean something.
    assert!(
        aborted_runs >= 10,
        "only {aborted_runs} of 80 runs aborted a transaction"
    );
}

#[test]
fn the_pipeline_benchmark_is_exactly_once_downstream_through_its_faults() {
    // Broker crash, app crash, a cut producer link and a power loss (the benchmark's faults).
    let s = delivery_lab::model::catalogue::bench_pipeline_scenario(3_000);
    s.validate().expect("valid");
    let mut w = World::new(s.clone());
    w.run_until(s.duration_ms);
    let r = w.report();
    let group = |g: &str| r.groups.iter().find(|v| v.group == g).expect("a verdict");
    let downstream = group("downstream");
    assert!(downstream.verdict.exactly_once, "{downstream:?}");
    assert!(r.aborted_reads.is_empty());
    // The application's crash aborted a transaction: its inputs were processed again.
    assert!(!group("g").processed_twice.is_empty());
    assert!(group("g").unprocessed.is_empty());
}

#[test]
fn a_paused_pipeline_member_is_fenced_by_its_generation_and_its_transaction_aborts() {
    use delivery_lab::model::commands::Trigger;
    let mut s = scenario("s19p-pipeline-crash-before-commit")
        .unwrap()
        .unwrap();
    s.duration_ms = 40_000;
    s.consumers[0].app.subscribe = true;
    s.consumers[0].config.session_timeout_ms = Some(6_000);
    s.consumers[0].config.heartbeat_interval_ms = Some(1_000);
    // A long GC pause of the application after it processed i2: the coordinator evicts it,
    // and when it wakes its TxnOffsetCommit carries a generation the group no longer has.
    s.faults = vec![
        Fault::on(
            Trigger::Processed {
                consumer: NodeId::Consumer(1),
                partition: 0,
                offset: 1,
            },
            Command::Pause {
                node: NodeId::Consumer(1),
            },
        ),
        Fault::at(
            15_000,
            Command::Resume {
                node: NodeId::Consumer(1),
            },
        ),
    ];
    s.validate().expect("valid");
    let mut w = World::new(s);
    w.run_until(40_000);
    let r = w.report();
    assert_eq!(r.invariant_violations, 0);
    let rejected = w.trace().iter().any(|e| {
        matches!(
            &e.kind,
            EventKind::CommitRejected { consumer, .. } if *consumer == NodeId::Consumer(1)
        )
    });
    assert!(rejected, "the zombie's offsets were refused (KIP-447)");
    assert_eq!(log_of(&w, 1), vec![4, 5, 6, A, 4, 5, 6, C]);
    assert_eq!(
        polled(&w, 2),
        vec![4, 5, 6],
        "read_committed: each output once"
    );
    let group = |g: &str| r.groups.iter().find(|v| v.group == g).expect("a verdict");
    assert!(group("rc").verdict.exactly_once);
    assert_eq!(w.coordinator().committed("app", 0), Some(3));
}
