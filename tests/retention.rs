//! Retention (spec §8, S25): closed segments past `retention.ms` / `retention.bytes` are
//! deleted, the log start offset moves, and a consumer whose position fell below it is sent by
//! `auto.offset.reset` past records it never processed.

mod common;
use common::run;
use delivery_lab::model::catalogue::scenario;
use delivery_lab::model::config::OffsetReset;
use delivery_lab::model::trace::PositionSource;
use delivery_lab::model::{EventKind, NodeId, World};

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

#[test]
fn retention_outruns_a_stopped_consumer() {
    let (w, r) = run("s25-retention-outruns-a-stopped-consumer");
    // Back at 25 s with committed offset 5, the consumer finds the log starting at 28.
    assert_eq!(
        positions(&w),
        vec![
            (0, PositionSource::ResetEarliest),
            (5, PositionSource::Committed),
            (28, PositionSource::ResetEarliest),
        ]
    );
    let skipped: Vec<u32> = (6..=28).collect();
    assert_eq!(
        r.skipped, skipped,
        "never processed: a loss from the app's view"
    );
    assert!(
        r.lost_acknowledged.is_empty(),
        "Kafka deleted them by policy"
    );
    assert!(!r.verdict.at_least_once);
    for record in &skipped {
        assert!(
            r.expired.contains(record),
            "m{record} was deleted by retention"
        );
    }
    // Every broker deletes its own segments, only below the high watermark.
    let b1 = &w.brokers()[0].replica(0).unwrap().log;
    assert!(b1.log_start_offset() >= 28);
    assert!(b1.log_start_offset() <= b1.high_watermark());
}

#[test]
fn without_retention_the_same_consumer_resumes_where_it_committed() {
    let mut s = scenario("s25-retention-outruns-a-stopped-consumer")
        .unwrap()
        .unwrap();
    s.topic.retention_ms = None;
    s.topic.segment_ms = None;
    let mut w = World::new(s);
    w.run_until(40_000);
    let r = w.report();
    assert!(r.skipped.is_empty() && r.expired.is_empty(), "{r:?}");
    assert!(r.verdict.at_least_once);
    let deleted = w
        .trace()
        .iter()
        .any(|e| matches!(e.kind, EventKind::SegmentsDeleted { .. }));
    assert!(!deleted);
}

#[test]
fn latest_jumps_to_the_end_instead() {
    let mut s = scenario("s25-retention-outruns-a-stopped-consumer")
        .unwrap()
        .unwrap();
    s.consumers[0].config.auto_offset_reset = Some(OffsetReset::Latest);
    let mut w = World::new(s);
    w.run_until(40_000);
    let p = positions(&w);
    // Before its first commit the consumer starts at the end; after the restart, below the log
    // start, it jumps to the high watermark: everything written while it was down is skipped.
    let last = p.last().copied().expect("a position");
    assert_eq!(last.1, PositionSource::ResetLatest);
    assert!(last.0 >= 40 - 1, "{p:?}");
}

#[test]
fn retention_bytes_keeps_the_newest_segments() {
    let mut s = scenario("s25-retention-outruns-a-stopped-consumer")
        .unwrap()
        .unwrap();
    s.topic.retention_ms = None;
    s.topic.segment_ms = None;
    s.topic.segment_bytes = Some(500); // 5 records a segment
    s.topic.retention_bytes = Some(1_000); // keep about 10 records
    s.faults.clear();
    let mut w = World::new(s);
    w.run_until(40_000);
    let log = &w.brokers()[0].replica(0).unwrap().log;
    assert_eq!(log.log_end_offset(), 40);
    // 40 records in segments of 5; the active one (35..) is never deleted, and closed ones go
    // while the log stays above 1,000 bytes: 30..35 and 35..40 remain.
    assert_eq!(log.log_start_offset(), 30);
    let r = w.report();
    assert_eq!(r.expired, (1..=30).collect::<Vec<u32>>());
    assert!(
        r.skipped.is_empty(),
        "the consumer kept up: {:?}",
        r.skipped
    );
}

#[test]
fn retention_settings_are_checked() {
    let bad = [
        (r#"{"topic": {"segment.ms": 0}}"#, "topic.segment.ms"),
        (r#"{"topic": {"segment.bytes": 10}}"#, "topic.segment.bytes"),
        (
            r#"{"topic": {"retention.bytes": -5}}"#,
            "topic.retention.bytes",
        ),
        (
            r#"{"topic": {"retention.ms": "soon"}}"#,
            "topic.retention.ms",
        ),
    ];
    for (json, field) in bad {
        let e = delivery_lab::model::Scenario::from_json(json)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with(field), "{json}: {e}");
    }
}
