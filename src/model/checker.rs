//! The checker: verdicts per record and per run, in Jepsen's vocabulary where it fits (spec §10).
//!
//! The model knows the ground truth, so it is stricter than Jepsen: it compares the ledger (what
//! the application was told, what consumers were handed and processed) with the final log of
//! each partition (its leader's log, or, with no leader, its first ISR replica's) and the
//! group's committed offsets.
//! - **lost, acknowledged**: the producer was told success, and the record is not in the log.
//! - **lost, never acknowledged**: sent, not in the log, and the producer was told it failed or
//!   nothing at all (the application knows, or could know).
//! - **skipped**: in the log below the committed offset, yet never processed (commit before
//!   processing, async processing, close before processing).
//! - **duplicate**: in the log more than once, or processed more than once.
//! - **reordered**: one producer's records in one partition in another order than sent.
//! - **inconsistent offsets**: one offset seen holding two different records.
//!
//! At-most-once held if nothing is duplicated; at-least-once if nothing acknowledged was lost or
//! skipped; exactly-once if both held and every record in the log was processed exactly once.

use super::ids::{Offset, PartitionId, RecordId};
use super::ledger::{Ledger, LedgerRow, Told, TxnFate, TxnRead};
use super::log::is_marker;
use super::log::LogEntry;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which delivery guarantees the run kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub at_most_once: bool,
    pub at_least_once: bool,
    pub exactly_once: bool,
}

/// One record's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordVerdict {
    #[serde(flatten)]
    pub row: LedgerRow,
    /// Offsets holding it in the final log.
    pub in_log_at: Vec<Offset>,
    /// Whether the group's committed offset has passed it (its processing is committed).
    pub committed: bool,
    /// Short names of what went wrong: "lost", "duplicate", "processed-twice", "skipped", …
    pub anomalies: Vec<String>,
}

/// An offset seen holding different records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InconsistentOffset {
    pub partition: PartitionId,
    pub offset: Offset,
    pub records: Vec<RecordId>,
}

/// The run's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub records: u32,
    pub acknowledged: u32,
    pub failed: u32,
    pub unknown: u32,
    pub lost_acknowledged: Vec<RecordId>,
    pub lost_unacknowledged: Vec<RecordId>,
    pub duplicated_in_log: Vec<RecordId>,
    pub processed_twice: Vec<RecordId>,
    pub skipped: Vec<RecordId>,
    /// Pairs (sent first, sent later) where the later one landed first.
    pub reordered: Vec<(RecordId, RecordId)>,
    pub inconsistent_offsets: Vec<InconsistentOffset>,
    /// In the log but not (yet) processed, and not skipped.
    pub unprocessed: Vec<RecordId>,
    /// Processed more than once inside one group by two different members: the work of a
    /// member that lost its partitions in a rebalance, done again by the new owner (spec §5.4).
    #[serde(default)]
    pub rebalance_duplicates: Vec<RecordId>,
    /// The verdict of each consumer group: every group must get every record.
    #[serde(default)]
    pub groups: Vec<GroupVerdict>,
    pub verdict: Verdict,
    pub invariant_violations: u32,
    pub rows: Vec<RecordVerdict>,
    /// Records with a copy in an aborted transaction (invisible to read_committed readers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aborted_in_log: Vec<RecordId>,
    /// G1a, aborted read: a read_committed consumer returned a record of an aborted transaction.
    /// Must never happen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aborted_reads: Vec<RecordId>,
    /// A read_uncommitted consumer returned a record of an aborted transaction (allowed: that is
    /// what read_uncommitted means, and why exactly-once needs read_committed downstream).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncommitted_reads: Vec<RecordId>,
    /// Deleted by retention (every copy below its partition's log start offset), whether or
    /// not it was processed first (spec §8, S25).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expired: Vec<RecordId>,
}

/// One consumer group's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupVerdict {
    pub group: String,
    pub processed_twice: Vec<RecordId>,
    pub rebalance_duplicates: Vec<RecordId>,
    pub skipped: Vec<RecordId>,
    pub unprocessed: Vec<RecordId>,
    pub verdict: Verdict,
}

/// What the checker reads from the end state of the world.
pub struct FinalState<'a> {
    /// The final log of each partition.
    pub logs: Vec<&'a [LogEntry]>,
    /// The committed offset per partition (of the consumers' group), if any.
    pub committed: Vec<Option<Offset>>,
    /// The committed offsets per group, when the consumers belong to several (else
    /// `committed` serves every group).
    pub group_committed: BTreeMap<String, Vec<Option<Offset>>>,
    pub has_consumers: bool,
    pub invariant_violations: u32,
    /// Each partition's log start offset (retention deleted what is below it); empty: all 0.
    pub log_starts: Vec<Offset>,
}

pub fn check(ledger: &Ledger, end: &FinalState<'_>) -> Report {
    let mut positions: BTreeMap<RecordId, Vec<(PartitionId, Offset)>> = BTreeMap::new();
    let mut reordered = Vec::new();
    // Transactional appends and their fate: an aborted copy is not in the log as a
    // read_committed reader sees it.
    let fates: BTreeMap<(PartitionId, Offset), TxnFate> = ledger
        .rows()
        .iter()
        .flat_map(|r| r.txn_appends.iter())
        .map(|a| ((a.partition, a.offset), a.fate))
        .collect();
    let mut aborted_in_log = Vec::new();
    for (p, log) in end.logs.iter().enumerate() {
        let mut last_by_producer: BTreeMap<u32, RecordId> = BTreeMap::new();
        for (o, e) in log.iter().enumerate() {
            if is_marker(e.record) {
                continue;
            }
            if fates.get(&(p as PartitionId, o as Offset)) == Some(&TxnFate::Aborted) {
                aborted_in_log.push(e.record);
                continue;
            }
            let first_time = !positions.contains_key(&e.record);
            positions
                .entry(e.record)
                .or_default()
                .push((p as PartitionId, o as Offset));
            let Some(row) = ledger.get(e.record) else {
                continue;
            };
            let producer = match row.producer {
                super::ids::NodeId::Producer(n) => n,
                _ => 0,
            };
            if first_time {
                if let Some(&last) = last_by_producer.get(&producer) {
                    if e.record < last {
                        reordered.push((e.record, last));
                    }
                }
                let m = last_by_producer.entry(producer).or_insert(e.record);
                *m = (*m).max(e.record);
            }
        }
    }
    let mut report = Report {
        records: ledger.rows().iter().filter(|r| r.app_sends > 0).count() as u32,
        acknowledged: 0,
        failed: 0,
        unknown: 0,
        lost_acknowledged: Vec::new(),
        lost_unacknowledged: Vec::new(),
        duplicated_in_log: Vec::new(),
        processed_twice: Vec::new(),
        skipped: Vec::new(),
        reordered,
        inconsistent_offsets: ledger
            .inconsistent
            .iter()
            .map(|(&(partition, offset), records)| InconsistentOffset {
                partition,
                offset,
                records: records.clone(),
            })
            .collect(),
        unprocessed: Vec::new(),
        rebalance_duplicates: Vec::new(),
        groups: Vec::new(),
        verdict: Verdict {
            at_most_once: true,
            at_least_once: true,
            exactly_once: true,
        },
        invariant_violations: end.invariant_violations,
        rows: Vec::new(),
        aborted_in_log: Vec::new(),
        aborted_reads: Vec::new(),
        uncommitted_reads: Vec::new(),
        expired: Vec::new(),
    };
    // Verdicts per group: the ledger's groups, or one unnamed group for all consumers.
    let named = !ledger.group_names().is_empty();
    let group_names: Vec<String> = if named {
        ledger.group_names()
    } else if end.has_consumers {
        vec![String::new()]
    } else {
        Vec::new()
    };
    let mut per_group: Vec<GroupVerdict> = group_names
        .iter()
        .map(|g| GroupVerdict {
            group: g.clone(),
            processed_twice: Vec::new(),
            rebalance_duplicates: Vec::new(),
            skipped: Vec::new(),
            unprocessed: Vec::new(),
            verdict: Verdict {
                at_most_once: true,
                at_least_once: true,
                exactly_once: true,
            },
        })
        .collect();
    // Per group: (an acknowledged record of its topic lost, an unacknowledged one lost, a
    // record of its topic duplicated in the log).
    let mut topic_flaws = vec![(false, false, false); per_group.len()];
    aborted_in_log.sort_unstable();
    aborted_in_log.dedup();
    for row in ledger.rows().iter().filter(|r| r.app_sends > 0) {
        let mut anomalies = Vec::new();
        let at: Vec<(PartitionId, Offset)> =
            positions.get(&row.record).cloned().unwrap_or_default();
        match row.told {
            Told::Acked { .. } => report.acknowledged += 1,
            Told::Failed { .. } => report.failed += 1,
            Told::Nothing => report.unknown += 1,
        }
        if at.is_empty() {
            if matches!(row.told, Told::Acked { .. }) {
                report.lost_acknowledged.push(row.record);
                anomalies.push("lost-acknowledged".to_string());
            } else {
                report.lost_unacknowledged.push(row.record);
                anomalies.push("not-written".to_string());
            }
        }
        if at.len() > 1 {
            report.duplicated_in_log.push(row.record);
            anomalies.push("duplicate".to_string());
        }
        let start = |p: PartitionId| end.log_starts.get(p as usize).copied().unwrap_or(0);
        if !at.is_empty() && at.iter().all(|&(p, o)| o < start(p)) {
            report.expired.push(row.record);
            anomalies.push("expired".to_string());
        }
        for (gi, g) in group_names.iter().enumerate() {
            if ledger.group_reads(g, row.partition) {
                let f = &mut topic_flaws[gi];
                f.0 |= at.is_empty() && matches!(row.told, Told::Acked { .. });
                f.1 |= at.is_empty() && !matches!(row.told, Told::Acked { .. });
                f.2 |= at.len() > 1;
            }
        }
        let mut committed_everywhere = true;
        let (mut twice, mut rebalance, mut skipped, mut unprocessed) = (false, false, false, false);
        for (gi, g) in group_names.iter().enumerate() {
            if !ledger.group_reads(g, row.partition) {
                continue; // the group reads the other topic
            }
            let by: Vec<super::ids::NodeId> = row
                .processed_by
                .iter()
                .copied()
                .filter(|c| ledger.group_of(*c) == g.as_str())
                .collect();
            let count = if named {
                by.len() as u32
            } else {
                row.processed
            };
            let offsets = end.group_committed.get(g).unwrap_or(&end.committed);
            let committed = at.iter().any(|&(p, o)| {
                offsets
                    .get(p as usize)
                    .copied()
                    .flatten()
                    .is_some_and(|c| c > o)
            });
            committed_everywhere &= committed;
            let gv = &mut per_group[gi];
            if count > 1 {
                twice = true;
                gv.processed_twice.push(row.record);
                if by.iter().any(|c| *c != by[0]) {
                    rebalance = true;
                    gv.rebalance_duplicates.push(row.record);
                }
            }
            if end.has_consumers && !at.is_empty() && count == 0 {
                if committed {
                    skipped = true;
                    gv.skipped.push(row.record);
                } else {
                    unprocessed = true;
                    gv.unprocessed.push(row.record);
                }
            }
        }
        let committed = committed_everywhere && !group_names.is_empty();
        if twice {
            report.processed_twice.push(row.record);
            anomalies.push("processed-twice".to_string());
        }
        if rebalance {
            report.rebalance_duplicates.push(row.record);
            anomalies.push("rebalance-duplicate".to_string());
        }
        if skipped {
            report.skipped.push(row.record);
            anomalies.push("skipped".to_string());
        } else if unprocessed {
            report.unprocessed.push(row.record);
            anomalies.push("unprocessed".to_string());
        }
        if report
            .reordered
            .iter()
            .any(|&(a, b)| a == row.record || b == row.record)
        {
            anomalies.push("reordered".to_string());
        }
        let aborted_at =
            |r: &TxnRead| fates.get(&(r.partition, r.offset)) == Some(&TxnFate::Aborted);
        if aborted_in_log.contains(&row.record) {
            anomalies.push("aborted-copy".to_string());
        }
        if row
            .txn_reads
            .iter()
            .any(|r| r.read_committed && aborted_at(r))
        {
            report.aborted_reads.push(row.record);
            anomalies.push("aborted-read".to_string());
        }
        if row
            .txn_reads
            .iter()
            .any(|r| !r.read_committed && aborted_at(r))
        {
            report.uncommitted_reads.push(row.record);
            anomalies.push("read-uncommitted".to_string());
        }
        report.rows.push(RecordVerdict {
            row: row.clone(),
            in_log_at: at.iter().map(|&(_, o)| o).collect(),
            committed,
            anomalies,
        });
    }
    for (g, &(lost_ack, lost_unack, dup)) in per_group.iter_mut().zip(&topic_flaws) {
        let v = &mut g.verdict;
        v.at_most_once = !dup && g.processed_twice.is_empty();
        v.at_least_once = !lost_ack && g.skipped.is_empty();
        v.exactly_once =
            v.at_most_once && v.at_least_once && !lost_unack && g.unprocessed.is_empty();
    }
    report.groups = per_group;
    let v = &mut report.verdict;
    v.at_most_once = report.duplicated_in_log.is_empty() && report.processed_twice.is_empty();
    v.at_least_once = report.lost_acknowledged.is_empty() && report.skipped.is_empty();
    report.aborted_in_log = aborted_in_log;
    v.exactly_once = v.at_most_once
        && v.at_least_once
        && report.aborted_reads.is_empty()
        && report.lost_unacknowledged.is_empty()
        && (!end.has_consumers || report.unprocessed.is_empty());
    report
}
