//! When a run has settled: nothing left in it can change its outcome, so the explorer may stop
//! it there rather than simulate the rest of its settling time (`explorer/mod.rs`).
//!
//! A run has settled when, with no command left to come, the cluster is whole and idle:
//! - no scripted or triggered command is pending, no node is paused, no drop is armed, no link
//!   is cut; every broker, producer and (unclosed) consumer is up;
//! - every partition (the topics' and `__consumer_offsets`) has a leader, its full replica set
//!   in sync, no broker fenced; every replica agrees with the controller on leader, epoch and
//!   ISR, holds the leader's log end, and knows a high watermark at that end, with no
//!   transaction open and no produce waiting in purgatory; retention cannot delete anything
//!   before the run's end;
//! - every producer has sent its workload and every batch is resolved, with no transaction
//!   open; every consumer is polling with nothing buffered or being processed, has read each
//!   partition it owns up to the high watermark and committed that offset, and has checked its
//!   position against the partition's current leader epoch (KIP-320); every group is
//!   stable with the assignment its members hold; no offset commit or transaction marker is
//!   under way;
//! - what is still queued is only the idle cluster's routine: empty fetches and their answers,
//!   heartbeats, and timers that find nothing to do (expiries of sessions still alive, checks
//!   of an in-sync ISR, timeouts of requests already answered, flushes).
//!
//! From such a state the run only repeats that routine: no record is sent, appended, fetched,
//! processed or committed any more, no leader or ISR changes, so the ledger, the logs, the
//! committed offsets and the nodes' health (everything `World::report` and the explorer's
//! anomalies read) stay as they are to the end. The predicate errs towards "not settled": a
//! run it never calls settled simply runs to its end. `tests/explorer_settle.rs` checks the
//! claim on every explorer run of the catalogue: the report when a run is first called settled
//! equals its report at the end.

use super::effects::Due;
use super::group::GroupPhase;
use super::ids::PartitionId;
use super::payload::Payload;
use super::World;
use std::fmt;

/// How the checks below say why a run has not settled: in words (`String`, for tests and
/// diagnostics), or not at all (`()`: the explorer asks every 100 ms of every run, and building
/// the words was a tenth of its work).
trait Why {
    fn say(words: fmt::Arguments) -> Self;
}

impl Why for String {
    fn say(words: fmt::Arguments) -> Self {
        fmt::format(words)
    }
}

impl Why for () {
    fn say(_: fmt::Arguments) -> Self {}
}

impl World {
    /// Whether nothing left in the run can change its outcome (see the module comment).
    pub fn settled(&self) -> bool {
        self.unsettled::<()>().is_none()
    }

    /// What keeps the run from having settled, if anything (for tests and diagnostics).
    #[doc(hidden)]
    pub fn unsettled_by(&self) -> Option<String> {
        self.unsettled()
    }

    fn unsettled<W: Why>(&self) -> Option<W> {
        if !self.nothing_scripted() {
            return Some(W::say(format_args!(
                "a command, pause, armed drop or cut link"
            )));
        }
        // The clients first: a run waiting for something (a retry after a request timed out,
        // most often) fails there, before the walk over every replica.
        if let Some(why) = self.clients_busy() {
            return Some(why);
        }
        if let Some(why) = self.cluster_unsettled() {
            return Some(why);
        }
        self.queue
            .items()
            .find(|due| !self.routine(due))
            .map(|due| W::say(format_args!("queued: {}", DueName(due))))
    }

    fn nothing_scripted(&self) -> bool {
        self.triggers.is_empty()
            && self.immediate.is_empty()
            && self.paused.is_empty()
            && self.held.is_empty()
            && !self.network.has_armed()
            && self.network.cut_links().next().is_none()
    }

    fn cluster_unsettled<W: Why>(&self) -> Option<W> {
        let retention = &self.controller.retention;
        if retention.bytes >= 0 || retention.ms < self.scenario.duration_ms {
            return Some(W::say(format_args!("retention may delete records")));
        }
        if let Some(b) = self.brokers.iter().find(|b| !b.alive) {
            return Some(W::say(format_args!("B{} down", b.id)));
        }
        for (p, meta) in self.controller.partitions.iter().enumerate() {
            let p = p as PartitionId;
            let Some(leader) = meta.leader else {
                return Some(W::say(format_args!("p{p} has no leader")));
            };
            if meta.isr.len() != meta.replicas.len()
                || !meta.replicas.iter().all(|r| meta.isr.contains(r))
            {
                return Some(W::say(format_args!("p{p} ISR {:?} short", meta.isr)));
            }
            let Some(end) = self.brokers[leader as usize - 1]
                .replica(p)
                .map(|r| r.log.log_end_offset())
            else {
                return Some(W::say(format_args!("the leader of p{p} lacks it")));
            };
            for &b in &meta.replicas {
                if self.controller.is_fenced(b) {
                    return Some(W::say(format_args!("B{b} fenced")));
                }
                let Some(r) = self.brokers[b as usize - 1].replica(p) else {
                    return Some(W::say(format_args!("B{b} lacks p{p}")));
                };
                // A follower's ISR is not kept up to date (it takes the controller's when it
                // becomes leader); the leader's is the one that counts.
                let isr_known = b != leader || r.isr.len() == meta.isr.len();
                if r.leader != meta.leader || r.leader_epoch != meta.leader_epoch || !isr_known {
                    return Some(W::say(format_args!(
                        "B{b} has an old view of p{p}: {:?}/{}/{:?} vs {:?}/{}/{:?}",
                        r.leader, r.leader_epoch, r.isr, meta.leader, meta.leader_epoch, meta.isr
                    )));
                }
                if !r.purgatory.is_empty() {
                    return Some(W::say(format_args!("B{b} p{p} produce waiting")));
                }
                if r.log.log_end_offset() != end
                    || r.log.high_watermark() != end
                    || r.log.last_stable_offset() != end
                {
                    return Some(W::say(format_args!("B{b} p{p} behind the log end")));
                }
            }
        }
        None
    }

    fn clients_busy<W: Why>(&self) -> Option<W> {
        let end = |p: PartitionId| {
            let epoch = self.controller.partitions[p as usize].leader_epoch;
            let high_watermark = self
                .controller
                .leader(p)
                .and_then(|b| self.brokers[b as usize - 1].replica(p))
                .map_or(0, |r| r.log.high_watermark());
            (high_watermark, epoch)
        };
        let groups_stable = self.coordinator.classic.iter().all(|(id, g)| {
            let members_hold = g.members.iter().all(|m| {
                self.consumers.iter().any(|c| {
                    c.id == m.consumer
                        && c.incarnation == m.incarnation
                        && c.alive
                        && !c.closed
                        && c.generation == g.generation
                        && c.config.group_id == *id
                        && (0..c.owned.len() as PartitionId)
                            .all(|p| c.owned[p as usize] == m.assignment.contains(&p))
                })
            });
            let joined = self
                .consumers
                .iter()
                .filter(|c| c.app.subscribe && c.config.group_id == *id && c.alive && !c.closed)
                .all(|c| g.member(c.id, c.incarnation).is_some());
            matches!(g.phase, GroupPhase::Stable | GroupPhase::Empty) && members_hold && joined
        });
        if !groups_stable {
            return Some(W::say(format_args!("a group is not stable")));
        }
        if !self.coordinator.writes.is_empty() || !self.coordinator.pending_txn.is_empty() {
            return Some(W::say(format_args!("an offset commit under way")));
        }
        if !self.txn_coordinator.is_idle() {
            return Some(W::say(format_args!("a transaction open")));
        }
        if let Some(p) = self.producers.iter().find(|p| !p.is_idle()) {
            return Some(W::say(format_args!("producer {} busy", p.id)));
        }
        self.consumers
            .iter()
            .find(|c| !c.is_idle(end, |p| self.coordinator.committed(&c.config.group_id, p)))
            .map(|c| W::say(format_args!("consumer {} busy", c.id)))
    }

    /// Whether a queued event is part of the idle cluster's routine (given the state checks
    /// above): it sends nothing new and changes nothing the outcome reads.
    fn routine(&self, due: &Due) -> bool {
        match due {
            Due::Deliver(env) => match &env.payload {
                Payload::Fetch { .. } | Payload::ReplicaFetch { .. } => true,
                Payload::FetchResponse { records, error, .. } => {
                    records.count == 0 && error.is_none()
                }
                Payload::ReplicaFetchResponse {
                    records,
                    error,
                    diverging_end_offset,
                    ..
                } => records.count == 0 && error.is_none() && diverging_end_offset.is_none(),
                Payload::Heartbeat { .. } => true,
                Payload::HeartbeatResponse { error, .. } => error.is_none(),
                _ => false,
            },
            // Timers that find nothing to do in an idle cluster: the producer has nothing to
            // send or time out, followers and consumers fetch, ISR checks find every follower
            // in sync, flushes only matter to a power loss, sessions and members are alive,
            // groups are stable (a rebalance check does nothing outside PreparingRebalance),
            // no transaction is open.
            Due::ProducerWake { .. }
            | Due::RequestTimeout { .. }
            | Due::DeliveryTimeout { .. }
            | Due::FollowerFetch { .. }
            | Due::FollowerFetchTimeout { .. }
            | Due::FetchWaitExpired { .. }
            | Due::ProduceWaitExpired { .. }
            | Due::IsrCheck { .. }
            | Due::Flush { .. }
            | Due::RetentionCheck { .. }
            | Due::SessionExpired { .. }
            | Due::Poll { .. }
            | Due::ConsumerRequestTimeout { .. }
            | Due::Heartbeat { .. }
            | Due::PollIntervalCheck { .. }
            | Due::MemberExpiry { .. }
            | Due::RebalanceCheck { .. }
            | Due::TxnCoordinatorTick => true,
            // Anything that starts, sends, processes, commits or applies a command.
            Due::Disconnect { .. }
            | Due::Command(_)
            | Due::AppSend { .. }
            | Due::ConsumerStart { .. }
            | Due::ProcessDone { .. }
            | Due::ConsumerRetry { .. }
            | Due::PipeSend { .. }
            | Due::PipeCommit { .. }
            | Due::PipeDone { .. } => false,
        }
    }
}

/// A queued event's kind, in words.
struct DueName<'a>(&'a Due);

impl fmt::Display for DueName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Due::Deliver(env) => write!(f, "message {:?}", env.payload.kind()),
            other => {
                let text = format!("{other:?}");
                f.write_str(text.split([' ', '{', '(']).next().unwrap_or_default())
            }
        }
    }
}
