//! Every catalogue scenario (spec §9) with its expected outcome.

mod common;
use common::{log_of, run};
use delivery_lab::model::trace::Validation;
use delivery_lab::model::{EventKind, Told};

#[test]
fn hello_delivers_five_records_exactly_once() {
    let (w, r) = run("hello");
    assert_eq!(log_of(&w, 0), vec![1, 2, 3, 4, 5]);
    assert!(r.verdict.exactly_once);
}

#[test]
fn acks_0_leader_crash_loses_a_record_the_producer_was_told_was_sent() {
    let (w, r) = run("s01-acks-0-leader-crash");
    assert_eq!(r.lost_acknowledged, vec![1]);
    assert_eq!(r.rows[0].row.told, Told::Acked { offset: None });
    assert_eq!(log_of(&w, 0), vec![2]);
    assert!(!r.verdict.at_least_once && r.verdict.at_most_once);
}

#[test]
fn acks_1_leader_crash_before_replication_loses_an_acknowledged_record() {
    let (w, r) = run("s02-acks-1-leader-crash");
    assert_eq!(r.rows[0].row.told, Told::Acked { offset: Some(0) });
    assert_eq!(r.lost_acknowledged, vec![1]);
    assert_eq!(log_of(&w, 0), vec![2], "offset 0 now holds m2");
    assert_eq!(r.inconsistent_offsets.len(), 1);
    // The returning B1 truncated m1 by leader epoch and copied m2.
    let b1: Vec<u32> = w.brokers()[0]
        .replica(0)
        .unwrap()
        .log
        .entries()
        .iter()
        .map(|e| e.record)
        .collect();
    assert_eq!(b1, vec![2]);
    assert!(w
        .trace()
        .iter()
        .any(|e| matches!(e.kind, EventKind::Truncated { removed: 1, .. })));
}

#[test]
fn acks_all_clean_failover_loses_nothing() {
    let (w, r) = run("s04-acks-all-clean-failover");
    assert_eq!(log_of(&w, 0), vec![1, 2]);
    assert_eq!(w.partitions()[0].leader, Some(2));
    assert!(r.verdict.exactly_once, "{r:?}");
}

#[test]
fn a_lost_ack_without_idempotence_writes_the_record_twice() {
    let (w, r) = run("s06-lost-ack-no-idempotence-duplicates");
    assert_eq!(log_of(&w, 0), vec![1, 1]);
    assert_eq!(r.duplicated_in_log, vec![1]);
    assert!(!r.verdict.at_most_once && r.verdict.at_least_once);
}

#[test]
fn a_lost_ack_with_idempotence_is_deduplicated_at_the_original_offset() {
    let (w, r) = run("s07-lost-ack-idempotence-deduplicates");
    assert_eq!(log_of(&w, 0), vec![1]);
    assert_eq!(r.rows[0].row.told, Told::Acked { offset: Some(0) });
    assert!(r.rows[0].row.attempts >= 2, "the batch was retried");
    assert!(r.verdict.exactly_once);
}

#[test]
fn retries_without_idempotence_and_five_in_flight_reorder_records() {
    let (w, r) = run("s08-retry-reorders-without-idempotence");
    assert_eq!(log_of(&w, 0), vec![2, 1]);
    assert_eq!(r.reordered, vec![(1, 2)]);
}

#[test]
fn retries_with_idempotence_keep_send_order() {
    let (w, r) = run("s09-retry-keeps-order-with-idempotence");
    assert_eq!(log_of(&w, 0), vec![1, 2, 3]);
    assert!(r.reordered.is_empty() && r.verdict.exactly_once);
    assert!(w.trace().iter().any(|e| matches!(
        e.kind,
        EventKind::Retrying {
            record: 3,
            error: delivery_lab::model::ErrorCode::OutOfOrderSequenceNumber,
            ..
        }
    )));
}

#[test]
fn a_producer_restart_with_an_application_resend_duplicates_the_record() {
    let (w, r) = run("s10-producer-restart-resend-duplicates");
    assert_eq!(log_of(&w, 0), vec![1, 1]);
    assert_eq!(r.duplicated_in_log, vec![1]);
    let pids: Vec<i64> = w
        .trace()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::ProducerIdAssigned { producer_id, .. } => Some(producer_id),
            _ => None,
        })
        .collect();
    assert_eq!(pids.len(), 2);
    assert_ne!(pids[0], pids[1], "a restart gets a new producer id");
}

#[test]
fn commit_before_processing_then_a_consumer_crash_skips_records() {
    let (_, r) = run("s12-commit-before-processing-loses");
    assert_eq!(r.skipped, vec![4, 5, 6, 7, 8, 9, 10]);
    assert!(r.verdict.at_most_once && !r.verdict.at_least_once);
}

#[test]
fn commit_after_processing_then_a_consumer_crash_processes_records_twice() {
    let (_, r) = run("s13-commit-after-processing-duplicates");
    assert_eq!(r.processed_twice, (1..=10).collect::<Vec<_>>());
    assert!(r.skipped.is_empty() && r.verdict.at_least_once && !r.verdict.at_most_once);
}

#[test]
fn auto_commit_with_a_single_thread_duplicates_since_the_last_commit_and_loses_nothing() {
    let (w, r) = run("s14-auto-commit-crash-duplicates");
    assert_eq!(r.processed_twice, vec![6, 7, 8]);
    assert!(r.verdict.at_least_once);
    // The commit inside poll 2 covers poll 1 only: offset 5.
    let first_commit = w.trace().iter().find_map(|e| match e.kind {
        EventKind::OffsetCommitted { offset, .. } => Some(offset),
        _ => None,
    });
    assert_eq!(first_commit, Some(5));
}

#[test]
fn auto_commit_with_asynchronous_processing_loses_records() {
    let (_, r) = run("s15-auto-commit-async-processing-loses");
    assert_eq!(r.skipped, vec![3, 4, 5]);
    assert!(!r.verdict.at_least_once);
}

#[test]
fn unclean_leader_election_loses_acknowledged_and_consumed_records() {
    let (w, r) = run("s22-unclean-election-loses-acknowledged");
    assert_eq!(r.lost_acknowledged, vec![1, 2, 3, 4, 5]);
    assert!(
        r.rows.iter().take(5).all(|v| v.row.processed == 1),
        "they had been consumed"
    );
    assert_eq!(log_of(&w, 0), vec![6]);
    assert!(w
        .trace()
        .iter()
        .any(|e| matches!(e.kind, EventKind::LeaderElected { unclean: true, .. })));
    assert!(!r.inconsistent_offsets.is_empty());
    // KIP-320: the consumer detects the truncation and seeks back to where the logs diverge,
    // then reads m6 at the reused offset 0 (tests/truncation.rs has the variants).
    assert!(w.trace().iter().any(|e| matches!(
        e.kind,
        EventKind::PositionValidated {
            offset: 5,
            end: Some((0, 0)),
            outcome: Validation::SeekToDivergence,
            ..
        }
    )));
    assert_eq!(r.rows[5].row.processed, 1, "m6, read at offset 0");
}

#[test]
fn keys_go_to_the_partitions_murmur2_picks() {
    let (w, r) = run("s26-keys-pick-partitions");
    assert_eq!(
        log_of(&w, 2),
        vec![1, 2, 4, 5],
        "user-1 and user-2 share partition 2, in order"
    );
    assert_eq!(log_of(&w, 0), vec![3, 6], "order-42 goes to partition 0");
    assert!(r.verdict.exactly_once);
}

#[test]
fn kafkas_defaults_under_failover_are_at_least_once_with_no_producer_duplicates() {
    let (_, r) = run("s29-default-pipeline-failover");
    assert!(r.verdict.at_least_once);
    assert!(r.duplicated_in_log.is_empty() && r.lost_acknowledged.is_empty());
    assert!(r.unprocessed.is_empty());
}
