//! The group coordinator: the broker-side role that stores each group's committed offsets.
//!
//! In Kafka the coordinator of group g is the leader of `__consumer_offsets-(abs(hash(g)) % 50)`
//! and commits are written there with acks=all semantics (spec §4.4, §5.1). The model keeps the
//! store per group and per partition, survives any single broker crash (the offsets topic has RF
//! 3), and places the role on a broker: the preferred broker of that offsets partition if it is
//! up, else the next one. Committed offsets are durable; a consumer's position is not — most of
//! this app's lessons are that difference. Consumer groups (membership, generations) and
//! transactional offset commits (KIP-98/447) will extend [`GroupState`].

use super::ids::{NodeId, Offset, PartitionId};
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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupCoordinator {
    groups: BTreeMap<String, GroupState>,
    /// Membership of each group that has subscribed consumers (classic protocol, spec §5.1).
    pub(crate) classic: BTreeMap<String, super::group::ClassicGroup>,
    /// The log end offset of each `__consumer_offsets` partition: one record per committed
    /// offset (compaction is not modelled; the log only grows, as the trace does).
    pub(crate) offsets_log_end: BTreeMap<u32, Offset>,
    /// `TxnOffsetCommit`s waiting for their transaction's marker, by producer id: the group,
    /// the application's consumer, the offsets (spec §6.3).
    pub(crate) pending_txn: BTreeMap<i64, PendingTxnOffsets>,
}

impl GroupCoordinator {
    /// The broker that hosts `group`'s coordinator, given which brokers can serve.
    pub fn host(group: &str, brokers: u32, can_serve: impl Fn(u32) -> bool) -> Option<u32> {
        let k = java_string_hash(group).unsigned_abs() % OFFSETS_TOPIC_PARTITIONS as u32;
        let n = brokers.max(1);
        (0..n).map(|i| (k + i) % n + 1).find(|&b| can_serve(b))
    }

    /// The `__consumer_offsets` partition holding `group`'s offsets: abs(hash(group.id)) % 50.
    pub fn offsets_partition(group: &str) -> u32 {
        java_string_hash(group).unsigned_abs() % OFFSETS_TOPIC_PARTITIONS as u32
    }

    /// The membership of a group whose consumers subscribe.
    pub fn membership(&self, group: &str) -> Option<&super::group::ClassicGroup> {
        self.classic.get(group)
    }

    /// Appends one committed offset to the group's `__consumer_offsets` partition; returns
    /// (offsets partition, log offset).
    pub(crate) fn append_offsets_log(&mut self, group: &str) -> (u32, Offset) {
        let part = Self::offsets_partition(group);
        let end = self.offsets_log_end.entry(part).or_insert(0);
        let at = *end;
        *end += 1;
        (part, at)
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
    fn the_host_moves_to_the_next_broker_that_can_serve() {
        let first = GroupCoordinator::host("g", 3, |_| true).unwrap();
        let second = GroupCoordinator::host("g", 3, |b| b != first).unwrap();
        assert_ne!(first, second);
        assert_eq!(GroupCoordinator::host("g", 3, |_| false), None);
    }

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
