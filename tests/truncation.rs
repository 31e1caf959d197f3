//! Truncation detection by consumers (KIP-320; spec §3.7, §4.5 item 4, S22): after a leader
//! change a consumer validates its position with `OffsetsForLeaderEpoch`; when the new leader's
//! log ends below it for the position's epoch, it seeks back to the divergence point
//! (`auto.offset.reset` earliest or latest) or stops with `LogTruncationException` (`none`).

mod common;
use common::{polled, run};
use delivery_lab::model::trace::{PositionSource, Validation};
use delivery_lab::model::{EventKind, NodeId, Scenario, World};

/// Every validation of C1: (position, its epoch, the leader's answer, the outcome).
type Check = (u64, u32, Option<(u32, u64)>, Validation);

fn validations(w: &World) -> Vec<Check> {
    w.trace()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::PositionValidated {
                consumer: NodeId::Consumer(1),
                offset,
                leader_epoch,
                end,
                outcome,
                ..
            } => Some((offset, leader_epoch, end, outcome)),
            _ => None,
        })
        .collect()
}

/// C1's processed records as (offset, record), in order.
fn processed(w: &World) -> Vec<(u64, u32)> {
    w.trace()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Processed {
                consumer: NodeId::Consumer(1),
                offset,
                record,
                ..
            } => Some((offset, record)),
            _ => None,
        })
        .collect()
}

fn positions(w: &World) -> Vec<(u64, PositionSource)> {
    w.trace()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::PositionSet {
                consumer: NodeId::Consumer(1),
                offset,
                source,
                ..
            } => Some((offset, source)),
            _ => None,
        })
        .collect()
}

/// S22 with changes: `reset` for C1's `auto.offset.reset`; with `paused`, C1 is frozen (GC)
/// from 7 s to 25 s while the new leader B2 takes m6..m12 at offsets 0..6, so C1's position 5
/// is inside the new log when it wakes: only its epoch shows that the log diverged.
fn s22(reset: &str, paused: bool) -> World {
    let text = include_str!("../scenarios/s22-unclean-election-loses-acknowledged.json");
    let mut v: serde_json::Value = serde_json::from_str(text).expect("json");
    v["consumers"][0]["config"]["auto.offset.reset"] = reset.into();
    if reset == "none" {
        // `none` needs a committed offset to start from: C2 (same group) resets to 0 and
        // commits it on close; C1 starts after that and reads m1..m5 from 0.
        v["consumers"][0]["app"] = serde_json::json!({ "start_ms": 3600 });
        let c2 = serde_json::json!({ "config": { "auto.offset.reset": "earliest" } });
        v["consumers"].as_array_mut().expect("consumers").push(c2);
        let faults = v["faults"].as_array_mut().expect("faults");
        faults.push(serde_json::json!({ "at_ms": 3500, "do": { "close": { "node": "C2" } } }));
    }
    if paused {
        v["producers"][1]["workload"] =
            serde_json::json!({ "records": 7, "start_ms": 20000, "interval_ms": 100 });
        let faults = v["faults"].as_array_mut().expect("faults");
        faults.push(serde_json::json!({ "at_ms": 7000, "do": { "pause": { "node": "C1" } } }));
        faults.push(serde_json::json!({ "at_ms": 25000, "do": { "resume": { "node": "C1" } } }));
    }
    let s = Scenario::from_json(&v.to_string()).expect("valid");
    let mut w = World::new(s);
    let end = w.scenario().duration_ms;
    w.run_until(end);
    assert_eq!(w.report().invariant_violations, 0);
    w
}

#[test]
fn after_the_unclean_election_the_consumer_seeks_back_to_the_divergence_point() {
    let (w, r) = run("s22-unclean-election-loses-acknowledged");
    // C1 read m1..m5 in epoch 0; B2 leads epoch 1 with an empty log: epoch 0 ends at 0.
    assert_eq!(
        validations(&w),
        vec![(5, 0, Some((0, 0)), Validation::SeekToDivergence)]
    );
    assert_eq!(
        positions(&w),
        vec![
            (0, PositionSource::ResetEarliest),
            (0, PositionSource::Diverged)
        ],
        "the divergence point, not an OFFSET_OUT_OF_RANGE reset"
    );
    assert!(w.trace().iter().any(|e| e.to_string().ends_with(
        "C1 validates p0 position 5 (epoch 0) with B2: end offset 0 for epoch 0 → truncation detected, seeks to 0"
    )));
    // m6 reuses offset 0, and C1 reads it there.
    assert_eq!(
        processed(&w),
        vec![(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (0, 6)]
    );
    assert_eq!(r.inconsistent_offsets.len(), 1);
    assert_eq!(r.inconsistent_offsets[0].offset, 0);
    assert!(r.skipped.is_empty() && r.unprocessed.is_empty(), "{r:?}");
}

#[test]
fn with_latest_the_consumer_also_seeks_to_the_divergence_point_not_the_log_end() {
    // Woken at 25 s, C1 (position 5, epoch 0) finds B2's log at m6..m12 (offsets 0..6, epoch 1).
    // Without KIP-320 it would fetch from 5 and silently skip m6..m10.
    let w = s22("latest", true);
    assert_eq!(
        validations(&w),
        vec![(5, 0, Some((0, 0)), Validation::SeekToDivergence)]
    );
    assert_eq!(polled(&w, 1), vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    let after: Vec<(u64, u32)> = processed(&w).into_iter().skip(5).collect();
    assert_eq!(after, (0..7).map(|o| (o, o as u32 + 6)).collect::<Vec<_>>());
    let r = w.report();
    assert!(r.skipped.is_empty(), "{r:?}");
    assert_eq!(
        r.inconsistent_offsets.len(),
        5,
        "offsets 0..4 held m1..m5, then m6..m10"
    );
}

#[test]
fn with_earliest_a_woken_consumer_reads_every_record_at_the_reused_offsets() {
    let w = s22("earliest", true);
    assert_eq!(
        validations(&w),
        vec![(5, 0, Some((0, 0)), Validation::SeekToDivergence)]
    );
    assert_eq!(polled(&w, 1), (1..=12).collect::<Vec<_>>());
}

#[test]
fn with_none_the_consumer_stops_with_log_truncation() {
    let w = s22("none", true);
    assert_eq!(
        validations(&w),
        vec![(5, 0, Some((0, 0)), Validation::LogTruncation)]
    );
    assert_eq!(
        polled(&w, 1),
        vec![1, 2, 3, 4, 5],
        "nothing after the truncation"
    );
    assert!(w.trace().iter().any(|e| e
        .to_string()
        .ends_with("→ truncation detected: LogTruncationException, stops reading p0")));
    let r = w.report();
    assert_eq!(r.unprocessed, (6..=12).collect::<Vec<_>>());
    // It commits nothing for p0 any more: the group's committed offset stays 5.
    let commits: Vec<u64> = w
        .trace()
        .iter()
        .filter(|e| e.at_ms > 17_000)
        .filter_map(|e| match e.kind {
            EventKind::OffsetCommitted { offset, .. } => Some(offset),
            _ => None,
        })
        .collect();
    assert!(commits.iter().all(|&o| o == 5), "{commits:?}");
}

#[test]
fn with_none_and_no_pause_the_consumer_stops_at_the_election() {
    let w = s22("none", false);
    assert_eq!(
        validations(&w),
        vec![(5, 0, Some((0, 0)), Validation::LogTruncation)]
    );
    assert_eq!(polled(&w, 1), vec![1, 2, 3, 4, 5]);
}

#[test]
fn a_clean_election_validates_the_position_without_seeking() {
    // S4 with the crash later: C1 has read m1 (epoch 0) when B1 crashes; B2 has m1 too.
    let text = include_str!("../scenarios/s04-acks-all-clean-failover.json");
    let mut v: serde_json::Value = serde_json::from_str(text).expect("json");
    v["faults"] = serde_json::json!([{ "at_ms": 5000, "do": { "crash": { "node": "B1" } } }]);
    let mut w = World::new(Scenario::from_json(&v.to_string()).expect("valid"));
    w.run_until(20_000);
    let r = w.report();
    assert_eq!(r.invariant_violations, 0);
    let checks = validations(&w);
    assert_eq!(checks.len(), 1, "{checks:?}");
    let (offset, epoch, end, outcome) = checks[0];
    assert_eq!((offset, epoch, outcome), (1, 0, Validation::Valid));
    assert!(end.is_some_and(|(e, o)| e == 0 && o >= 1), "{end:?}");
    assert!(!positions(&w)
        .iter()
        .any(|(_, s)| *s == PositionSource::Diverged));
    assert_eq!(processed(&w), vec![(0, 1), (1, 2)]);
    assert!(r.verdict.exactly_once, "{r:?}");
}
