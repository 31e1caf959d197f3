//! Transactions (KIP-98, spec §6, §9 S10 variant, S19, S20): expected outcomes of the
//! transactional catalogue scenarios, and a property over seeds and crash points.

mod common;
use common::{log_of, polled, run};
use delivery_lab::model::catalogue::scenario;
use delivery_lab::model::log::{ABORT_MARKER, COMMIT_MARKER};
use delivery_lab::model::transaction::TxnState;
use delivery_lab::model::{EventKind, NodeId, World};

/// Records the consumer's poll() returned, in order.
fn polled_at(w: &World, consumer: u32, record: u32) -> Option<u64> {
    w.trace().iter().find_map(|e| match e.kind {
        EventKind::Polled {
            consumer: c,
            record: r,
            ..
        } if c == NodeId::Consumer(consumer) && r == record => Some(e.at_ms),
        _ => None,
    })
}

fn states(w: &World) -> Vec<TxnState> {
    w.transaction_coordinator()
        .log()
        .iter()
        .map(|r| r.state)
        .collect()
}

const A: u32 = ABORT_MARKER;
const C: u32 = COMMIT_MARKER;

#[test]
fn a_transactional_restart_aborts_the_first_copy_and_commits_the_resend_once() {
    let (w, r) = run("s10t-transactional-restart-commits-once");
    assert_eq!(log_of(&w, 0), vec![1, A, 1, C]);
    assert_eq!(polled(&w, 1), vec![1], "read_committed sees m1 once");
    assert_eq!(
        polled(&w, 2),
        vec![1, 1],
        "read_uncommitted sees both copies"
    );
    assert_eq!(r.aborted_in_log, vec![1]);
    assert!(r.aborted_reads.is_empty());
    assert_eq!(r.uncommitted_reads, vec![1]);
    assert!(
        r.duplicated_in_log.is_empty(),
        "the aborted copy does not count"
    );
}

#[test]
fn a_crash_mid_transaction_is_exactly_once_for_read_committed_readers() {
    let (w, r) = run("s19-transaction-crash-before-commit");
    assert_eq!(log_of(&w, 0), vec![1, 2, 3, A, 1, 2, 3, C]);
    assert_eq!(polled(&w, 1), vec![1, 2, 3]);
    assert_eq!(polled(&w, 2), vec![1, 2, 3, 1, 2, 3]);
    assert!(r.aborted_reads.is_empty());
    assert_eq!(r.uncommitted_reads, vec![1, 2, 3]);
    // The restart fenced the open transaction, then aborted it, then started afresh.
    use TxnState::*;
    assert_eq!(
        states(&w),
        vec![
            Empty,
            Ongoing,
            PrepareEpochFence,
            PrepareAbort,
            CompleteAbort,
            Empty,
            Ongoing,
            PrepareCommit,
            CompleteCommit
        ]
    );
    let epochs: Vec<i16> = w
        .trace()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::ProducerIdAssigned { producer_epoch, .. } => Some(producer_epoch),
            _ => None,
        })
        .collect();
    assert_eq!(
        epochs.last(),
        Some(&2),
        "fence +1, then initTransactions +1"
    );
    // The leader traced its last stable offset passing the aborted transaction.
    assert!(w.trace().iter().any(|e| matches!(
        e.kind,
        EventKind::LastStableOffset {
            last_stable_offset: 4,
            ..
        }
    )));
}

#[test]
fn a_hung_transaction_blocks_read_committed_until_the_timeout_aborts_it() {
    let (w, r) = run("s19t-hung-transaction-timeout");
    let log = log_of(&w, 0);
    assert_eq!(&log[..4], &[1, 2, 3, 4]);
    assert_eq!(log[4], A);
    assert_eq!(
        polled(&w, 1),
        vec![4],
        "read_committed: only the non-transactional m4"
    );
    assert_eq!(polled(&w, 2), vec![1, 2, 3, 4]);
    let timed_out = w
        .trace()
        .iter()
        .find(|e| matches!(e.kind, EventKind::TxnTimedOut { .. }))
        .expect("the coordinator timed the transaction out")
        .at_ms;
    assert!((10_000..=20_000).contains(&timed_out), "{timed_out}");
    assert!(
        polled_at(&w, 1, 4).unwrap() > timed_out,
        "m4 waited for the abort"
    );
    assert!(
        polled_at(&w, 2, 4).unwrap() < 3_000,
        "read_uncommitted did not wait"
    );
    assert!(r.aborted_reads.is_empty());
}

#[test]
fn a_zombie_producer_is_fenced_and_none_of_its_records_commit() {
    let (w, r) = run("s20-zombie-producer-fenced");
    assert!(w.trace().iter().any(|e| matches!(
        e.kind,
        EventKind::ProducerFenced {
            producer: NodeId::Producer(1),
            ..
        }
    )));
    let rc = polled(&w, 1);
    assert_eq!(rc, vec![4, 5, 6], "only P2's committed records");
    assert!(r.aborted_reads.is_empty());
    for m in 1..=3 {
        let row = &r.rows[m - 1];
        assert!(row.in_log_at.is_empty(), "m{m} is never committed: {row:?}");
    }
    assert!(log_of(&w, 0).contains(&A));
}

/// Over seeds and a crash of any one node (the transactional producer, a broker, the
/// read_committed consumer) at any time, followed by a restart: the read_committed reader
/// returns every record exactly once, and never an aborted one.
#[test]
fn read_committed_output_is_exactly_once_under_any_single_crash() {
    use delivery_lab::model::{Command, CrashMode, Fault};
    let base = scenario("s19-transaction-crash-before-commit")
        .unwrap()
        .unwrap();
    let nodes = [
        NodeId::Producer(1),
        NodeId::Broker(1),
        NodeId::Broker(2),
        NodeId::Broker(3),
        NodeId::Consumer(1),
    ];
    for seed in 0..12u64 {
        for (i, &node) in nodes.iter().enumerate() {
            let mut s = base.clone();
            s.seed = seed;
            s.duration_ms = 40_000;
            s.network.jitter_ms = 50;
            let at = 50 + (seed * 337 + i as u64 * 211) % 2500;
            s.faults = vec![
                Fault::at(
                    at,
                    Command::Crash {
                        node,
                        mode: CrashMode::Process,
                    },
                ),
                Fault::at(at + 1500, Command::Restart { node }),
            ];
            let mut w = World::new(s);
            w.run_until(40_000);
            let r = w.report();
            let mut got = polled(&w, 1);
            // A restarted read_committed consumer may re-read from its committed offset
            // (auto-commit): judge distinct records, and that none is an aborted copy.
            got.sort_unstable();
            got.dedup();
            assert_eq!(got, vec![1, 2, 3], "seed {seed}, crash {node} at {at}");
            assert!(
                r.aborted_reads.is_empty(),
                "seed {seed}, crash {node} at {at}: aborted read"
            );
        }
    }
}
