//! Kafka's internal topics as logs the stage can show: each group's `__consumer_offsets`
//! partition (one record per committed offset; transactional offsets appear when their COMMIT
//! marker lands) and each transactional id's `__transaction_state` partition (one record per
//! state change: Empty, Ongoing, PrepareCommit…). Pure: folded from the trace up to the cursor.
//!
//! As modelled (see the coordinators): both topics are durable coordinator state placed on a
//! broker; their records are the coordinators' appends, so the strips show exactly what the
//! coordinators wrote, in order, with the coordinator broker that wrote each one.

use crate::model::partitioner::java_string_hash;
use crate::model::transaction::TxnState;
use crate::model::{EventKind, NodeId, Offset, PartitionId, TraceEvent};
use std::collections::BTreeMap;

/// The newest records kept per internal log (older ones are counted, not drawn).
pub const SHOWN: usize = 12;

/// One internal log: its name, the records drawn (newest last) and how many older ones are not.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InternalLog {
    /// `__consumer_offsets-12` or `__transaction_state-7`.
    pub name: String,
    /// Whose records: the group or the producer id.
    pub owner: String,
    pub cells: Vec<InternalCell>,
    pub hidden: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalCell {
    pub offset: Offset,
    /// What the record says: `p0=3`, `Ongoing e0`.
    pub label: String,
    /// The coordinator broker that appended it.
    pub by: NodeId,
    /// A CSS class for the kind of record (`offset`, `txn-ongoing`, `txn-commit`, `txn-abort`…).
    pub class: &'static str,
}

/// Both internal topics at the cursor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InternalLogs {
    pub offsets: Vec<InternalLog>,
    pub transactions: Vec<InternalLog>,
}

impl InternalLogs {
    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty() && self.transactions.is_empty()
    }
}

/// `__transaction_state` partitions (`transaction.state.log.num.partitions`).
const TXN_STATE_PARTITIONS: u32 = crate::model::transaction::TRANSACTION_STATE_PARTITIONS;

fn push(log: &mut InternalLog, cell: InternalCell) {
    log.cells.push(cell);
    if log.cells.len() > SHOWN {
        log.cells.remove(0);
        log.hidden += 1;
    }
}

/// The internal logs after `trace` (the trace up to the cursor).
pub fn internal_logs(trace: &[TraceEvent]) -> InternalLogs {
    let mut offsets: BTreeMap<String, InternalLog> = BTreeMap::new();
    let mut txns: BTreeMap<String, (InternalLog, Offset)> = BTreeMap::new();
    for e in trace {
        match &e.kind {
            EventKind::OffsetsLogAppended {
                broker,
                group,
                partition,
                offset,
                offsets_partition,
                log_offset,
                ..
            } => {
                let log = offsets.entry(group.clone()).or_insert_with(|| InternalLog {
                    name: format!("__consumer_offsets-{offsets_partition}"),
                    owner: group.clone(),
                    ..InternalLog::default()
                });
                push(
                    log,
                    InternalCell {
                        offset: *log_offset,
                        label: format!("p{partition}={offset}"),
                        by: *broker,
                        class: "offset",
                    },
                );
            }
            EventKind::TxnStateChanged {
                coordinator,
                producer_epoch,
                state,
                transactional_id,
                ..
            } => {
                let id = transactional_id.clone();
                let (log, next) = txns.entry(id.clone()).or_insert_with(|| {
                    // `__transaction_state-(abs(hash(transactional.id)) % 50)`, as Kafka places it.
                    let part = java_string_hash(&id).unsigned_abs() % TXN_STATE_PARTITIONS;
                    (
                        InternalLog {
                            name: format!("__transaction_state-{part}"),
                            owner: id,
                            ..InternalLog::default()
                        },
                        0,
                    )
                });
                let class = match state {
                    TxnState::Empty => "txn-empty",
                    TxnState::Ongoing => "txn-ongoing",
                    TxnState::PrepareCommit | TxnState::CompleteCommit => "txn-commit",
                    TxnState::PrepareAbort | TxnState::CompleteAbort => "txn-abort",
                    TxnState::PrepareEpochFence => "txn-fence",
                };
                push(
                    log,
                    InternalCell {
                        offset: *next,
                        label: format!("{state:?} e{producer_epoch}"),
                        by: *coordinator,
                        class,
                    },
                );
                *next += 1;
            }
            _ => {}
        }
    }
    InternalLogs {
        offsets: offsets.into_values().collect(),
        transactions: txns.into_values().map(|(l, _)| l).collect(),
    }
}

/// The partition a strip's cell label names, for tests and highlighting (`p3=7` → 3).
pub fn labelled_partition(label: &str) -> Option<PartitionId> {
    label.strip_prefix('p')?.split('=').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalogue::scenario;
    use crate::model::World;

    fn logs_of(name: &str) -> (InternalLogs, World) {
        let s = scenario(name).unwrap().unwrap();
        let mut w = World::new(s.clone());
        w.run_until(s.duration_ms);
        (internal_logs(w.trace()), w)
    }

    #[test]
    fn the_transaction_log_shows_every_state_the_coordinator_wrote() {
        let (logs, w) = logs_of("s19p-pipeline-crash-before-commit");
        assert_eq!(logs.transactions.len(), 1);
        let t = &logs.transactions[0];
        assert!(t.name.starts_with("__transaction_state-"), "{}", t.name);
        let written = w.transaction_coordinator().log().len() as u64;
        assert_eq!(t.cells.len() as u64 + t.hidden, written);
        assert_eq!(t.cells.last().map(|c| c.class), Some("txn-commit"));
        assert!(t.cells.iter().any(|c| c.class == "txn-abort"));
        assert!(t.cells.iter().any(|c| c.class == "txn-fence"));
    }

    #[test]
    fn the_offsets_log_shows_each_commit_of_a_subscribed_group() {
        let (logs, _) = logs_of("s18-consumer-crash-session-timeout-redelivers");
        let g = logs.offsets.first().expect("a group's offsets log");
        assert!(g.name.starts_with("__consumer_offsets-"));
        assert!(!g.cells.is_empty() && g.cells.len() <= SHOWN);
        // Log offsets run on without gaps.
        for w in g.cells.windows(2) {
            assert_eq!(w[1].offset, w[0].offset + 1);
        }
        assert!(g
            .cells
            .iter()
            .all(|c| labelled_partition(&c.label).is_some()));
    }

    #[test]
    fn a_run_without_consumers_or_transactions_has_no_internal_logs() {
        let mut s = scenario("s08-retry-reorders-without-idempotence")
            .unwrap()
            .unwrap();
        s.consumers.clear();
        let mut w = World::new(s.clone());
        w.run_until(s.duration_ms);
        assert!(internal_logs(w.trace()).is_empty());
    }

    #[test]
    fn assigned_consumers_commit_through_the_offsets_log_too() {
        let (logs, _) = logs_of("s13-commit-after-processing-duplicates");
        let g = logs.offsets.first().expect("the group's offsets log");
        assert!(!g.cells.is_empty());
    }
}
