//! `__consumer_offsets` as a replicated partition (spec §4.4, §5.1): commits are records of the
//! coordinator's log, answered once the ISR has them; a new coordinator loads what its own replica
//! holds, so a committed offset survives exactly when its record does.

mod common;
use common::run;
use delivery_lab::model::catalogue::scenario;
use delivery_lab::model::log::OFFSETS_RECORD;
use delivery_lab::model::{EventKind, NodeId, Scenario, World};

/// The global partition holding group `g`'s offsets in `w`.
fn offsets_partition(w: &World, group: &str) -> u32 {
    w.scenario()
        .group_offsets_partition(group)
        .expect("the group's offsets partition is hosted")
}

#[test]
fn each_group_gets_its_offsets_partition_with_kafkas_number_and_three_replicas() {
    let (w, _) = run("groups-two-groups-each-get-every-record");
    let s = w.scenario();
    for g in s.groups() {
        let p = offsets_partition(&w, &g);
        let k = s.offsets_partition_number(p).unwrap();
        assert_eq!(s.partition_name(p), format!("__consumer_offsets-{k}"));
        assert_eq!(s.replicas(p).len(), 3, "offsets.topic.replication.factor");
        assert!(w.partitions()[p as usize].internal);
    }
    // The topics' partitions come first, and the ledger sees only them.
    assert_eq!(w.data_partitions(), s.total_partitions());
}

#[test]
fn a_commit_is_answered_only_after_the_followers_have_its_record() {
    let checked: usize = [
        "s13-commit-after-processing-duplicates",
        "s14-auto-commit-crash-duplicates",
        "s18-consumer-crash-session-timeout-redelivers",
    ]
    .into_iter()
    .map(commits_counted_after_replication)
    .sum();
    assert!(checked >= 5, "the consumers committed ({checked})");
}

/// Checks every commit of the scenario's group counted only after replication; returns how many.
fn commits_counted_after_replication(name: &str) -> usize {
    let (w, _) = run(name);
    let group = w.scenario().groups()[0].clone();
    let p = offsets_partition(&w, &group);
    let trace = w.trace();
    let mut checked = 0;
    for (i, e) in trace.iter().enumerate() {
        let EventKind::OffsetCommitted {
            partition, offset, ..
        } = e.kind
        else {
            continue;
        };
        // The record was appended before...
        let appended = trace[..i]
            .iter()
            .rev()
            .find_map(|x| match &x.kind {
                EventKind::OffsetsLogAppended {
                    partition: q,
                    offset: o,
                    log_offset,
                    ..
                } if *q == partition && *o == offset => Some(*log_offset),
                _ => None,
            })
            .expect("appended to the offsets log first");
        // ...and the leader's high watermark passed it before the commit counted.
        assert!(
            trace[..i].iter().any(|x| matches!(
                x.kind,
                EventKind::HighWatermark { partition: q, high_watermark, .. }
                    if q == p && high_watermark > appended
            )),
            "{name}: commit of offset {offset} counted before replication"
        );
        checked += 1;
    }
    // Every replica holds the same offsets log.
    let logs: Vec<Vec<u32>> = w
        .brokers()
        .iter()
        .filter_map(|b| b.replica(p))
        .map(|r| r.log.entries().iter().map(|e| e.record).collect())
        .collect();
    assert_eq!(logs.len(), 3);
    assert!(!logs[0].is_empty() && logs[0].iter().all(|&r| r == OFFSETS_RECORD));
    assert!(logs.iter().all(|l| l == &logs[0]), "{name}: {logs:?}");
    checked
}

/// S13 with the offsets partition's leader crashed after the consumer's first commit.
fn s13_with_coordinator_crash() -> Scenario {
    let mut s = scenario("s13-commit-after-processing-duplicates")
        .unwrap()
        .unwrap();
    s.faults.clear();
    s.producers[0].workload.records = 40;
    s.producers[0].workload.interval_ms = 200;
    s.duration_ms = 30_000;
    s
}

#[test]
fn a_new_coordinator_loads_the_acknowledged_offsets_from_its_own_replica() {
    let mut s = s13_with_coordinator_crash();
    let group_leader = {
        let w = World::new(s.clone());
        let p = offsets_partition(&w, "g");
        w.partitions()[p as usize].leader.unwrap()
    };
    s.faults = serde_json::from_str(&format!(
        r#"[{{"at_ms": 4000, "do": {{"crash": {{"node": "B{group_leader}"}}}}}}]"#
    ))
    .unwrap();
    let mut w = World::new(s.clone());
    w.run_until(s.duration_ms);
    let trace = w.trace();
    let crash = trace
        .iter()
        .position(|e| matches!(e.kind, EventKind::NodeCrashed { .. }))
        .unwrap();
    let acknowledged: Vec<(u32, u64)> = trace[..crash]
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::OffsetCommitted {
                partition, offset, ..
            } => Some((partition, offset)),
            _ => None,
        })
        .collect();
    let last = *acknowledged.last().expect("a commit before the crash");
    let (broker, committed) = trace[crash..]
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::CoordinatorLoaded {
                broker, committed, ..
            } => Some((*broker, committed.clone())),
            _ => None,
        })
        .expect("another broker took over the group");
    assert_ne!(broker, NodeId::Broker(group_leader));
    assert!(
        committed.contains(&last),
        "{broker} loaded {committed:?}, the last acknowledged was {last:?}"
    );
    // The consumer goes on committing to the new coordinator, and nothing is lost.
    assert!(trace[crash..].iter().any(|e| matches!(
        &e.kind,
        EventKind::OffsetsLogAppended { broker: b, .. } if *b == broker
    )));
    let r = w.report();
    assert!(
        r.skipped.is_empty() && r.lost_acknowledged.is_empty(),
        "{r:?}"
    );
    assert!(r.unprocessed.is_empty(), "{:?}", r.unprocessed);
    assert!(r.processed_twice.is_empty(), "the failover repeats nothing");
}

#[test]
fn a_commit_only_the_leader_had_is_lost_with_its_power() {
    // S30: B1 leads g's offsets partition and is cut from its followers, so it acknowledges
    // commits alone; it loses power 4 s after its last flush and comes back with older ones.
    let (w, r) = run("s30-committed-offset-lost-with-the-coordinator");
    let trace = w.trace();
    let crash = trace
        .iter()
        .position(|e| matches!(e.kind, EventKind::NodeCrashed { .. }))
        .unwrap();
    let last = trace[..crash]
        .iter()
        .rev()
        .find_map(|e| match e.kind {
            EventKind::OffsetCommitted {
                partition, offset, ..
            } => Some((partition, offset)),
            _ => None,
        })
        .expect("B1 acknowledged commits alone");
    assert_eq!(last, (0, 40));
    let loaded = trace[crash..]
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::CoordinatorLoaded {
                broker: NodeId::Broker(1),
                committed,
                ..
            } => Some(committed.clone()),
            _ => None,
        })
        .expect("B1 reloads the group when it is back");
    assert_eq!(loaded, vec![(0, 6)], "what B1's disk kept");
    // The restarted consumer resumes there: m7..m40 are processed a second time.
    assert_eq!(r.processed_twice, (7..=40).collect::<Vec<u32>>());
    assert!(r.lost_acknowledged.is_empty() && r.skipped.is_empty());
    // Never unclean for `__consumer_offsets`: while B1 was down, no other broker led it.
    let p = offsets_partition(&w, "g");
    assert!(!trace.iter().any(|e| matches!(
        e.kind,
        EventKind::LeaderElected { partition, .. } if partition == p
    ) && e.at_ms > 9_000
        && e.at_ms < 12_000));
}
