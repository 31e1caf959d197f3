//! The KRaft controller, as one reliable oracle (spec §1.1, §3.2, §3.4).
//!
//! It holds each partition's metadata — replicas in assignment order, leader, leader epoch, ISR —
//! and changes it in three ways: it fences a broker whose heartbeats stopped for
//! `broker.session.timeout.ms`, it accepts ISR changes from the current leader (AlterPartition),
//! and it elects leaders: the current leader if still valid, else the first unfenced ISR replica
//! in assignment order (clean), else — only with `unclean.leader.election.enable` — the first
//! unfenced replica at all (`PartitionChangeBuilder#electAnyLeader`). It never empties an ISR:
//! if the leader was the last member, the ISR keeps it and the partition goes offline.
//! The quorum itself is not modelled (spec §11.10).

use super::effects::{Out, Outbox};
use super::ids::{NodeId, PartitionId};
use super::trace::EventKind;

/// What the controller knows of one partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionMeta {
    /// Replica brokers in assignment order; the first is the preferred leader.
    pub replicas: Vec<u32>,
    pub leader: Option<u32>,
    /// Incremented on every leader change.
    pub leader_epoch: u32,
    pub isr: Vec<u32>,
    /// A partition of `__consumer_offsets`: the broker defaults apply to it, not the scenario's
    /// topic settings (`min.insync.replicas` 1, no unclean election, no retention: it is
    /// compacted).
    pub internal: bool,
}

#[derive(Debug, Clone)]
pub struct Controller {
    pub partitions: Vec<PartitionMeta>,
    /// Fenced brokers (index broker - 1): no leadership, not in new ISRs.
    fenced: Vec<bool>,
    /// Bumped whenever a broker is heard from again, so an older session expiry does nothing.
    session: Vec<u32>,
    pub min_insync_replicas: u32,
    pub unclean_leader_election_enable: bool,
    /// The topics' retention settings (spec §8).
    pub retention: super::log::Retention,
}

impl Controller {
    /// Every broker starts registered; each partition's preferred replica leads at epoch 0.
    pub fn new(
        assignment: Vec<Vec<u32>>,
        brokers: u32,
        min_insync_replicas: u32,
        unclean: bool,
    ) -> Self {
        let partitions = assignment
            .into_iter()
            .map(|replicas| PartitionMeta {
                leader: replicas.first().copied(),
                leader_epoch: 0,
                isr: replicas.clone(),
                replicas,
                internal: false,
            })
            .collect();
        Self {
            partitions,
            fenced: vec![false; brokers as usize],
            session: vec![0; brokers as usize],
            min_insync_replicas,
            unclean_leader_election_enable: unclean,
            retention: super::log::Retention::default(),
        }
    }

    pub fn is_fenced(&self, broker: u32) -> bool {
        self.fenced
            .get(broker as usize - 1)
            .copied()
            .unwrap_or(true)
    }

    pub fn session(&self, broker: u32) -> u32 {
        self.session[broker as usize - 1]
    }

    /// The broker was heard from again (restart, healed link): pending expiries are void.
    pub fn renew_session(&mut self, broker: u32) {
        self.session[broker as usize - 1] += 1;
    }

    pub fn leader(&self, partition: PartitionId) -> Option<u32> {
        self.partitions
            .get(partition as usize)
            .and_then(|m| m.leader)
    }

    /// `min(min.insync.replicas, replication factor)` (`Partition.effectiveMinIsr`).
    pub fn effective_min_isr(&self, partition: PartitionId) -> usize {
        let meta = &self.partitions[partition as usize];
        if meta.internal {
            return 1; // the broker default of `min.insync.replicas`
        }
        (self.min_insync_replicas as usize).min(meta.replicas.len())
    }

    /// Fences a silent broker: out of every ISR (never emptying one), and its leaderships move.
    /// Returns the partitions whose leader changed.
    pub fn fence(&mut self, broker: u32, out: &mut Outbox) -> Vec<PartitionId> {
        if self.is_fenced(broker) {
            return Vec::new();
        }
        self.fenced[broker as usize - 1] = true;
        out.push(Out::Trace(EventKind::BrokerFenced {
            broker: NodeId::Broker(broker),
        }));
        let mut changed = Vec::new();
        for p in 0..self.partitions.len() as PartitionId {
            let meta = &mut self.partitions[p as usize];
            if !meta.replicas.contains(&broker) {
                continue;
            }
            if meta.isr.len() > 1 && meta.isr.contains(&broker) {
                meta.isr.retain(|&b| b != broker);
                out.push(Out::Trace(EventKind::IsrChanged {
                    partition: p,
                    isr: meta.isr.clone(),
                }));
            }
            if meta.leader == Some(broker) && self.elect(p, out) {
                changed.push(p);
            }
        }
        changed
    }

    /// Accepts a broker back. Leaderless partitions it can lead get it as leader.
    pub fn unfence(&mut self, broker: u32, out: &mut Outbox) -> Vec<PartitionId> {
        if !self.is_fenced(broker) {
            return Vec::new();
        }
        self.fenced[broker as usize - 1] = false;
        out.push(Out::Trace(EventKind::BrokerUnfenced {
            broker: NodeId::Broker(broker),
        }));
        self.elect_leaderless(out)
    }

    /// Runs an election on every partition without a leader.
    pub fn elect_leaderless(&mut self, out: &mut Outbox) -> Vec<PartitionId> {
        let mut changed = Vec::new();
        for p in 0..self.partitions.len() as PartitionId {
            if self.partitions[p as usize].leader.is_none() && self.elect(p, out) {
                changed.push(p);
            }
        }
        changed
    }

    /// Elects a leader for `partition` (spec §3.4). Returns whether the leader changed.
    pub fn elect(&mut self, partition: PartitionId, out: &mut Outbox) -> bool {
        let fenced = &self.fenced;
        let live = |b: &u32| !fenced[*b as usize - 1];
        let meta = &mut self.partitions[partition as usize];
        if meta
            .leader
            .is_some_and(|l| live(&l) && meta.isr.contains(&l))
        {
            return false;
        }
        let clean = meta
            .replicas
            .iter()
            .copied()
            .find(|b| live(b) && meta.isr.contains(b));
        let (leader, unclean) = match clean {
            Some(b) => (Some(b), false),
            None if self.unclean_leader_election_enable && !meta.internal => {
                (meta.replicas.iter().copied().find(|b| live(b)), true)
            }
            None => (None, false),
        };
        if leader == meta.leader {
            return false;
        }
        meta.leader = leader;
        meta.leader_epoch += 1;
        match leader {
            Some(b) => {
                if unclean {
                    meta.isr = vec![b];
                } else if meta.isr.len() > 1 {
                    meta.isr.retain(|&r| live(&r));
                    if meta.isr.is_empty() {
                        meta.isr = vec![b];
                    }
                }
                out.push(Out::Trace(EventKind::LeaderElected {
                    partition,
                    leader: NodeId::Broker(b),
                    leader_epoch: meta.leader_epoch,
                    unclean,
                }));
                out.push(Out::Trace(EventKind::IsrChanged {
                    partition,
                    isr: meta.isr.clone(),
                }));
            }
            None => out.push(Out::Trace(EventKind::PartitionOffline { partition })),
        }
        true
    }

    /// AlterPartition from the leader: accepted only from the current leader at the current epoch.
    pub fn alter_isr(
        &mut self,
        partition: PartitionId,
        leader: u32,
        leader_epoch: u32,
        isr: Vec<u32>,
        out: &mut Outbox,
    ) -> bool {
        let meta = &mut self.partitions[partition as usize];
        if meta.leader != Some(leader) || meta.leader_epoch != leader_epoch || isr.is_empty() {
            return false;
        }
        if meta.isr != isr {
            meta.isr = isr;
            out.push(Out::Trace(EventKind::IsrChanged {
                partition,
                isr: meta.isr.clone(),
            }));
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn controller(unclean: bool) -> Controller {
        Controller::new(vec![vec![1, 2, 3]], 3, 1, unclean)
    }

    #[test]
    fn fencing_the_leader_elects_the_first_isr_replica_in_assignment_order() {
        let mut c = controller(false);
        let mut out = Vec::new();
        assert_eq!(c.fence(1, &mut out), vec![0]);
        let m = &c.partitions[0];
        assert_eq!(
            (m.leader, m.leader_epoch, m.isr.clone()),
            (Some(2), 1, vec![2, 3])
        );
    }

    #[test]
    fn the_last_isr_member_stays_in_the_isr_and_the_partition_goes_offline() {
        let mut c = controller(false);
        let mut out = Vec::new();
        c.alter_isr(0, 1, 0, vec![1], &mut out);
        c.fence(1, &mut out);
        let m = &c.partitions[0];
        assert_eq!((m.leader, m.isr.clone()), (None, vec![1]));
        assert!(out
            .iter()
            .any(|o| matches!(o, Out::Trace(EventKind::PartitionOffline { .. }))));
    }

    #[test]
    fn unclean_election_picks_an_out_of_sync_replica() {
        let mut c = controller(true);
        let mut out = Vec::new();
        c.alter_isr(0, 1, 0, vec![1], &mut out);
        c.fence(1, &mut out);
        let m = &c.partitions[0];
        assert_eq!((m.leader, m.isr.clone()), (Some(2), vec![2]));
    }
}
