//! The group coordinator: the broker-side role that stores each group's committed offsets.
//!
//! The coordinator of group g is the leader of `__consumer_offsets-(abs(hash(g)) % 50)` (spec
//! §4.4, §5.1). That partition is a real replicated partition of the model's brokers (RF 3, or
//! one replica per broker when fewer; `min.insync.replicas` 1; never unclean; compacted, so no
//! retention): an `OffsetCommit` appends one record per partition to the leader's log and is
//! answered once the high watermark passes them (acks=all, `offsets.commit.timeout.ms`), and only
//! then does the coordinator's cache — what `OffsetFetch` answers — take the new offsets. When
//! leadership moves, the new leader loads the cache from its own replica of the log (everything
//! up to its log end, `GroupMetadataManager.loadGroupsAndOffsets`), so an offset commit survives
//! exactly when its record does. Committed offsets are durable; a consumer's position is not —
//! most of this app's lessons are that difference.
//!
//! Each record's content (group, partition, offset, who wrote it, its transaction) lives in
//! [`GroupCoordinator::records`] keyed by (partition, leader epoch, offset): in one epoch only
//! one leader appends, so the key names one record even when replicas diverge.

use super::ids::{MessageId, NodeId, Offset, PartitionId};
use super::log::{LogEntry, ABORT_MARKER, COMMIT_MARKER, OFFSETS_RECORD};
use super::partitioner::java_string_hash;
use std::collections::BTreeMap;

/// `offsets.topic.num.partitions`.
pub const OFFSETS_TOPIC_PARTITIONS: i32 = 50;

/// What the coordinator stores for one group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupState {
    /// The committed offset per partition: the next offset the group will read.
    pub committed: BTreeMap<PartitionId, Offset>,
    /// Who committed last (for the trace and the ledger).
    pub last_committer: Option<NodeId>,
}

/// A transaction's pending offsets: the group, the application's consumer, the offsets.
pub type PendingTxnOffsets = (String, NodeId, Vec<(PartitionId, Offset)>);

/// What one offset-commit record of `__consumer_offsets` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetRecord {
    pub group: String,
    pub partition: PartitionId,
    pub offset: Offset,
    pub by: NodeId,
}

/// A coordinator write waiting for the ISR, and what to do once it is settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PendingWrite {
    /// An `OffsetCommit` from a consumer.
    Commit {
        group: String,
        consumer: NodeId,
        offsets: Vec<(PartitionId, Offset)>,
    },
    /// A `TxnOffsetCommit` from a transactional producer for its application's consumer
    /// (spec §6.3).
    TxnCommit {
        producer: NodeId,
        producer_id: i64,
        group: String,
        consumer: NodeId,
        offsets: Vec<(PartitionId, Offset)>,
    },
    /// A transaction's marker, from the transaction coordinator on `from`.
    Marker {
        from: NodeId,
        producer_id: i64,
        commit: bool,
        group: String,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupCoordinator {
    /// The cache of the coordinator that loaded each group last.
    groups: BTreeMap<String, GroupState>,
    /// Membership of each group that has subscribed consumers (classic protocol, spec §5.1).
    /// SIMPLIFIED: it survives a coordinator move (Kafka reloads it from group-metadata records
    /// of the same log).
    pub(crate) classic: BTreeMap<String, super::group::ClassicGroup>,
    /// The content of every offset-commit record written, by (partition, leader epoch, offset).
    pub(crate) records: BTreeMap<(PartitionId, u32, Offset), OffsetRecord>,
    /// Writes waiting for the ISR, by the request that asked for them.
    pub(crate) writes: BTreeMap<MessageId, (u32, PendingWrite)>,
    /// Which broker loaded each `__consumer_offsets` partition, at which leader epoch (None
    /// once that broker went down or the partition lost its leader; absent before the first
    /// load).
    pub(crate) loaded: BTreeMap<PartitionId, Option<(u32, u32)>>,
    /// The global partition holding each group's offsets, and the groups of each such partition.
    pub(crate) partition_of: BTreeMap<String, PartitionId>,
    pub(crate) groups_in: BTreeMap<PartitionId, Vec<String>>,
    /// `TxnOffsetCommit`s waiting for their transaction's marker, by producer id: the group,
    /// the application's consumer, the offsets (spec §6.3).
    pub(crate) pending_txn: BTreeMap<i64, PendingTxnOffsets>,
}

impl GroupCoordinator {
    /// A coordinator for the scenario's groups, each mapped to the global partition that holds
    /// its offsets.
    pub fn for_groups(groups: impl IntoIterator<Item = (String, PartitionId)>) -> Self {
        let mut c = Self::default();
        for (g, p) in groups {
            c.groups_in.entry(p).or_default().push(g.clone());
            c.partition_of.insert(g, p);
        }
        c
    }

    /// The `__consumer_offsets` partition holding `group`'s offsets: abs(hash(group.id)) % 50.
    pub fn offsets_partition(group: &str) -> u32 {
        java_string_hash(group).unsigned_abs() % OFFSETS_TOPIC_PARTITIONS as u32
    }

    /// The membership of a group whose consumers subscribe.
    pub fn membership(&self, group: &str) -> Option<&super::group::ClassicGroup> {
        self.classic.get(group)
    }

    /// Rebuilds the cache of the groups whose offsets live in `partition` from one replica's
    /// log (a new leader loading it): the last record per (group, partition) wins; records of a
    /// transaction count once its COMMIT marker follows, never after ABORT, and are pending
    /// while it is open. Returns each loaded group's committed offsets.
    pub(crate) fn load(
        &mut self,
        partition: PartitionId,
        groups: &[String],
        log: &[LogEntry],
    ) -> Vec<(String, Vec<(PartitionId, Offset)>)> {
        for g in groups {
            self.groups.remove(g);
        }
        self.pending_txn.retain(|_, (g, _, _)| !groups.contains(g));
        let mut open: BTreeMap<i64, PendingTxnOffsets> = BTreeMap::new();
        for (o, e) in log.iter().enumerate() {
            if e.transactional && (e.record == COMMIT_MARKER || e.record == ABORT_MARKER) {
                if let Some((g, by, offsets)) = open.remove(&e.producer_id) {
                    if e.record == COMMIT_MARKER {
                        self.commit(&g, by, &offsets);
                    }
                }
                continue;
            }
            if e.record != OFFSETS_RECORD {
                continue;
            }
            let Some(r) = self.records.get(&(partition, e.leader_epoch, o as Offset)) else {
                continue;
            };
            if !groups.contains(&r.group) {
                continue;
            }
            if e.transactional {
                let entry = open
                    .entry(e.producer_id)
                    .or_insert_with(|| (r.group.clone(), r.by, Vec::new()));
                entry.2.push((r.partition, r.offset));
            } else {
                let (g, by, p, off) = (r.group.clone(), r.by, r.partition, r.offset);
                self.commit(&g, by, &[(p, off)]);
            }
        }
        self.pending_txn.extend(open);
        groups
            .iter()
            .map(|g| {
                let offsets = self
                    .groups
                    .get(g)
                    .map(|s| s.committed.iter().map(|(&p, &o)| (p, o)).collect())
                    .unwrap_or_default();
                (g.clone(), offsets)
            })
            .collect()
    }

    pub fn group(&self, group: &str) -> Option<&GroupState> {
        self.groups.get(group)
    }

    pub fn committed(&self, group: &str, partition: PartitionId) -> Option<Offset> {
        self.groups.get(group)?.committed.get(&partition).copied()
    }

    /// Stores an `OffsetCommit`. A commit replaces the stored value, even with a smaller one
    /// (Kafka does not refuse a committed offset going backwards).
    pub fn commit(&mut self, group: &str, by: NodeId, offsets: &[(PartitionId, Offset)]) {
        let g = self.groups.entry(group.to_string()).or_default();
        for &(p, o) in offsets {
            g.committed.insert(p, o);
        }
        g.last_committer = Some(by);
    }

    /// Whether a transaction holds offsets of `group` pending.
    pub fn has_pending_txn_offsets(&self, group: &str) -> bool {
        self.pending_txn.values().any(|(g, _, _)| g == group)
    }

    /// Every group, in name order.
    pub fn groups(&self) -> impl Iterator<Item = (&str, &GroupState)> {
        self.groups.iter().map(|(k, v)| (k.as_str(), v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_are_stored_per_group_and_partition() {
        let mut c = GroupCoordinator::default();
        c.commit("g", NodeId::Consumer(1), &[(0, 5), (1, 2)]);
        c.commit("g", NodeId::Consumer(1), &[(0, 7)]);
        assert_eq!(c.committed("g", 0), Some(7));
        assert_eq!(c.committed("g", 1), Some(2));
        assert_eq!(c.committed("h", 0), None);
    }
}
