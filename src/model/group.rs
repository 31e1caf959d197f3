//! Consumer groups, classic protocol (spec §5.1–§5.5): membership, generations, rebalances and
//! the assignors, as the group coordinator keeps them.
//!
//! A group goes Empty → PreparingRebalance (members (re)join; the coordinator parks each
//! JoinGroup until every known member has rejoined, or the rebalance timeout — the largest
//! `max.poll.interval.ms` of the members — removes the laggards) → CompletingRebalance (the
//! generation is bumped, JoinGroup answered, the assignment computed) → Stable (the leader's
//! SyncGroup arrived). A member that stops heartbeating for `session.timeout.ms`, leaves, or
//! joins anew sends the group back to PreparingRebalance.
//!
//! SIMPLIFIED (said in docs/scenario-format.md):
//! - the coordinator runs the assignor itself when the rebalance completes, with the leader's
//!   strategy (in Kafka the leader runs it client-side and sends the result in its SyncGroup);
//! - `group.initial.rebalance.delay.ms` is Kafka's default 3000 ms, waited once when an Empty
//!   group gets its first member (Kafka extends it while members keep arriving);
//! - cooperative-sticky keeps each partition with its previous owner if still a member, then
//!   balances (not Kafka's full sticky optimisation); the group uses the cooperative protocol
//!   (KIP-429) when every member asks for cooperative-sticky (Kafka picks a protocol all
//!   members support), the eager one otherwise;
//! - members are ordered by consumer number (Kafka sorts by member id, which starts with the
//!   client id), so C1 < C2 in every assignor.

use super::config::AssignmentStrategy;
use super::ids::{MessageId, PartitionId};
use super::time::Millis;
use serde::{Deserialize, Serialize};

/// `group.initial.rebalance.delay.ms` (broker default 3000).
pub const GROUP_INITIAL_REBALANCE_DELAY_MS: Millis = 3_000;

/// `ClassicGroupState` (Dead is not modelled: groups are never deleted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupPhase {
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
}

/// Why the coordinator took a member out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RemoveReason {
    /// LeaveGroup: `close()`, or the heartbeat thread after `max.poll.interval.ms`.
    Left,
    /// No heartbeat for `session.timeout.ms` (a crash, a cut link, a static member's poll
    /// timeout).
    SessionTimeout,
    /// It did not rejoin within the rebalance timeout.
    RebalanceTimeout,
}

/// One member, as the coordinator knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub consumer: u32,
    /// The consumer process incarnation: a restarted process is a new member (new member id),
    /// unless it is static (`group.instance.id`), which takes its old place.
    pub incarnation: u32,
    pub instance_id: Option<String>,
    pub session_timeout_ms: Millis,
    pub rebalance_timeout_ms: Millis,
    pub strategy: AssignmentStrategy,
    /// When the session expires without a heartbeat.
    pub expires_at_ms: Millis,
    /// Its JoinGroup parked for the running rebalance.
    pub pending_join: Option<MessageId>,
    pub assignment: Vec<PartitionId>,
}

/// One group's membership (the offsets live in [`super::coordinator::GroupState`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassicGroup {
    pub phase: GroupPhase,
    pub generation: i32,
    /// In join order; the first is the leader.
    pub members: Vec<Member>,
    /// Bumped at every new rebalance, so old timers do nothing.
    pub round: u32,
    /// PreparingRebalance may not complete before this (the initial delay).
    pub not_before_ms: Millis,
}

impl Default for ClassicGroup {
    fn default() -> Self {
        Self {
            phase: GroupPhase::Empty,
            generation: 0,
            members: Vec::new(),
            round: 0,
            not_before_ms: 0,
        }
    }
}

impl ClassicGroup {
    pub fn member(&self, consumer: u32, incarnation: u32) -> Option<&Member> {
        self.members
            .iter()
            .find(|m| m.consumer == consumer && m.incarnation == incarnation)
    }

    pub fn member_mut(&mut self, consumer: u32, incarnation: u32) -> Option<&mut Member> {
        self.members
            .iter_mut()
            .find(|m| m.consumer == consumer && m.incarnation == incarnation)
    }

    pub fn is_leader(&self, consumer: u32, incarnation: u32) -> bool {
        self.members
            .first()
            .is_some_and(|m| m.consumer == consumer && m.incarnation == incarnation)
    }

    /// Whether every member has rejoined and the initial delay is over.
    pub fn can_complete(&self, now_ms: Millis) -> bool {
        self.phase == GroupPhase::PreparingRebalance
            && now_ms >= self.not_before_ms
            && self.members.iter().all(|m| m.pending_join.is_some())
    }

    /// The largest rebalance timeout of the members (`max.poll.interval.ms`).
    pub fn rebalance_timeout_ms(&self) -> Millis {
        self.members
            .iter()
            .map(|m| m.rebalance_timeout_ms)
            .max()
            .unwrap_or(0)
    }

    /// Whether the group runs the cooperative rebalance protocol (KIP-429): every member asks
    /// for cooperative-sticky. Members keep their partitions while the group rebalances, and a
    /// partition that moves is handed over in a second rebalance.
    pub fn cooperative(&self) -> bool {
        !self.members.is_empty()
            && self
                .members
                .iter()
                .all(|m| m.strategy == AssignmentStrategy::CooperativeSticky)
    }

    /// Computes the new generation's assignment with the leader's strategy.
    /// `topic` is the group's topic as global partition numbers (the assignors work on its
    /// own numbering, 0-based).
    pub fn assign(&mut self, topic: std::ops::Range<PartitionId>) {
        let Some(strategy) = self.members.first().map(|m| m.strategy) else {
            return;
        };
        let cooperative = self.cooperative();
        let (base, partitions) = (topic.start, topic.end.saturating_sub(topic.start));
        let mut order: Vec<usize> = (0..self.members.len()).collect();
        order.sort_by_key(|&i| (self.members[i].consumer, self.members[i].incarnation));
        let previous: Vec<Vec<PartitionId>> = order
            .iter()
            .map(|&i| {
                self.members[i]
                    .assignment
                    .iter()
                    .filter(|&&p| p >= base)
                    .map(|&p| p - base)
                    .collect()
            })
            .collect();
        let mut result = match strategy {
            AssignmentStrategy::Range => range(order.len(), partitions),
            AssignmentStrategy::RoundRobin => round_robin(order.len(), partitions),
            AssignmentStrategy::CooperativeSticky => sticky(&previous, partitions),
        };
        if cooperative {
            withhold_transfers(&previous, &mut result);
        }
        for (k, &i) in order.iter().enumerate() {
            self.members[i].assignment = result[k].iter().map(|&p| p + base).collect();
        }
    }
}

/// `RangeAssignor` for one topic: member k (sorted) gets a consecutive range; the first
/// `P mod N` members get one extra partition.
pub fn range(members: usize, partitions: u32) -> Vec<Vec<PartitionId>> {
    if members == 0 {
        return Vec::new();
    }
    let n = members as u32;
    let (each, extra) = (partitions / n, partitions % n);
    (0..n)
        .map(|k| {
            let start = k * each + k.min(extra);
            let len = each + u32::from(k < extra);
            (start..start + len).collect()
        })
        .collect()
}

/// `RoundRobinAssignor`: partitions dealt in order over the sorted members.
pub fn round_robin(members: usize, partitions: u32) -> Vec<Vec<PartitionId>> {
    let mut out = vec![Vec::new(); members];
    if members == 0 {
        return out;
    }
    for p in 0..partitions {
        out[p as usize % members].push(p);
    }
    out
}

/// Sticky (spec §5.2 SIMPLIFY): keep the previous owner if it is still a member and under its
/// quota, then hand the rest to the members with the fewest partitions.
pub fn sticky(previous: &[Vec<PartitionId>], partitions: u32) -> Vec<Vec<PartitionId>> {
    let n = previous.len();
    let mut out = vec![Vec::new(); n];
    if n == 0 {
        return out;
    }
    let quota = |k: usize| partitions as usize / n + usize::from(k < partitions as usize % n);
    let mut taken = vec![false; partitions as usize];
    for (k, prev) in previous.iter().enumerate() {
        for &p in prev {
            if p < partitions && !taken[p as usize] && out[k].len() < quota(k) {
                taken[p as usize] = true;
                out[k].push(p);
            }
        }
    }
    for p in 0..partitions {
        if taken[p as usize] {
            continue;
        }
        let k = (0..n).min_by_key(|&k| (out[k].len(), k)).unwrap_or(0);
        out[k].push(p);
    }
    for a in &mut out {
        a.sort_unstable();
    }
    out
}

/// The cooperative protocol's adjustment (`CooperativeStickyAssignor.adjustAssignment`): a
/// partition whose previous owner is still a member but which now goes to another member is
/// assigned to nobody in this generation. Its owner revokes it and rejoins; the next
/// rebalance gives it to the new owner, so no partition ever has two owners at once.
pub fn withhold_transfers(previous: &[Vec<PartitionId>], result: &mut [Vec<PartitionId>]) {
    for (k, mine) in result.iter_mut().enumerate() {
        mine.retain(|p| {
            previous
                .iter()
                .enumerate()
                .all(|(j, prev)| j == k || !prev.contains(p))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_gives_the_first_members_one_more() {
        assert_eq!(range(2, 3), vec![vec![0, 1], vec![2]]);
        assert_eq!(range(2, 4), vec![vec![0, 1], vec![2, 3]]);
        assert_eq!(range(3, 2), vec![vec![0], vec![1], vec![]]);
    }

    #[test]
    fn round_robin_deals_in_turn() {
        assert_eq!(round_robin(2, 3), vec![vec![0, 2], vec![1]]);
        assert_eq!(round_robin(2, 4), vec![vec![0, 2], vec![1, 3]]);
    }

    #[test]
    fn sticky_keeps_previous_owners_and_balances() {
        // C1 had p0,p2 (round-robin); a third member arrives: C1 keeps p0, C2 keeps p1.
        let prev = vec![vec![0, 2], vec![1, 3], vec![]];
        let a = sticky(&prev, 4);
        assert_eq!(a, vec![vec![0, 2], vec![1], vec![3]]);
        // C1 leaves: C2 keeps p1 and p3 and gets the others.
        assert_eq!(sticky(&[vec![1, 3]], 4), vec![vec![0, 1, 2, 3]]);
    }

    #[test]
    fn cooperative_withholds_a_moving_partition_for_one_generation() {
        // C1 owned everything; C2 joins. Sticky moves p2 and p3 to C2, but C1 still owns them:
        // generation N gives them to nobody, generation N+1 (after C1 revoked) to C2.
        let prev = vec![vec![0, 1, 2, 3], vec![]];
        let mut a = sticky(&prev, 4);
        assert_eq!(a, vec![vec![0, 1], vec![2, 3]]);
        withhold_transfers(&prev, &mut a);
        assert_eq!(a, vec![vec![0, 1], vec![]]);
        let prev = a;
        let mut b = sticky(&prev, 4);
        withhold_transfers(&prev, &mut b);
        assert_eq!(b, vec![vec![0, 1], vec![2, 3]]);
        // A partition whose owner left moves at once.
        let mut c = sticky(&[vec![1, 3]], 4);
        withhold_transfers(&[vec![1, 3]], &mut c);
        assert_eq!(c, vec![vec![0, 1, 2, 3]]);
    }
}
