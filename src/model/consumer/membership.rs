//! Group membership, client side (spec §5.1, §5.3): join and sync, heartbeats, the poll
//! interval, revocation, under the eager and the cooperative (KIP-429) protocols.

use super::{AppState, Consumer, Request};
use crate::model::config::AssignmentStrategy;
use crate::model::effects::{ClientCtx, Due};
use crate::model::ids::{NodeId, PartitionId};
use crate::model::network::{Envelope, Outgoing};
use crate::model::payload::{ErrorCode, Payload};
use crate::model::trace::EventKind;

impl Consumer {
    /// `onJoinPrepare`, then JoinGroup: auto-commit the positions (eager protocol: before the
    /// partitions are revoked, spec §4.3), revoke everything, join. Under the cooperative
    /// protocol (KIP-429) a member that is still in the group keeps its partitions and goes on
    /// polling them while the JoinGroup and SyncGroup are under way; returns whether `poll()`
    /// waits for the rebalance (eager) or goes on (cooperative).
    pub(super) fn rejoin(&mut self, ctx: &mut ClientCtx<'_>) -> bool {
        if self.config.enable_auto_commit && self.generation >= 0 {
            self.send_commit(false, ctx);
        }
        self.rejoin_needed = false;
        if self.config.partition_assignment_strategy == AssignmentStrategy::CooperativeSticky
            && self.generation >= 0
            && !self.left_group
            && !self.lost
        {
            self.background_join = true;
            self.redrive(ctx);
            return false;
        }
        let revoked = self.owned_partitions();
        if !revoked.is_empty() {
            ctx.trace(EventKind::PartitionsRevoked {
                consumer: self.node(),
                partitions: revoked,
                kept: None,
            });
        }
        self.background_join = false;
        self.pending_assignment = None;
        self.lost = false;
        self.want_committed.iter_mut().for_each(|w| *w = false);
        self.owned.iter_mut().for_each(|o| *o = false);
        self.positions.iter_mut().for_each(|o| *o = None);
        self.fetch_offsets.iter_mut().for_each(|o| *o = None);
        self.clear_buffer();
        if self.left_group {
            // A member that left starts over with a new member id and no generation.
            self.generation = -1;
        }
        self.left_group = false;
        self.state = AppState::Joining;
        self.redrive(ctx);
        true
    }

    fn owned_partitions(&self) -> Vec<PartitionId> {
        (0..self.owned.len() as PartitionId)
            .filter(|&p| self.owned[p as usize])
            .collect()
    }

    /// `onJoinComplete`: takes the new assignment. Under the cooperative protocol, partitions it
    /// owns and keeps go on from their positions, partitions it no longer has are revoked (and
    /// it rejoins at once, so the group can hand them to their new owner in a second
    /// rebalance); newly assigned partitions start from the committed offsets.
    pub(super) fn apply_assignment(
        &mut self,
        assigned: Vec<PartitionId>,
        cooperative: bool,
        ctx: &mut ClientCtx<'_>,
    ) {
        let owned = self.owned_partitions();
        let (kept, revoked): (Vec<PartitionId>, Vec<PartitionId>) = owned
            .iter()
            .partition(|p| cooperative && assigned.contains(p));
        if !revoked.is_empty() {
            for &p in &revoked {
                self.owned[p as usize] = false;
                self.want_committed[p as usize] = false;
                self.positions[p as usize] = None;
                self.fetch_offsets[p as usize] = None;
                self.drop_buffered(p);
            }
            ctx.trace(EventKind::PartitionsRevoked {
                consumer: self.node(),
                partitions: revoked,
                kept: cooperative.then_some(kept),
            });
            self.rejoin_needed |= cooperative;
        }
        let added: Vec<PartitionId> = assigned
            .iter()
            .copied()
            .filter(|&p| self.owned.get(p as usize) == Some(&false))
            .collect();
        for &p in &added {
            self.owned[p as usize] = true;
            self.want_committed[p as usize] = true;
        }
        ctx.trace(EventKind::PartitionsAssigned {
            consumer: self.node(),
            group: self.config.group_id.clone(),
            generation: self.generation,
            partitions: assigned,
            added: cooperative.then_some(added),
        });
    }

    pub(super) fn leave_group(&mut self, ctx: &mut ClientCtx<'_>) {
        if let Some(b) = (ctx.coordinator_of)(&self.config.group_id) {
            let mut out = Outgoing::new(self.node(), NodeId::Broker(b), Payload::LeaveGroup);
            out.aux = i64::from(self.incarnation);
            ctx.send(out);
        }
    }

    pub(super) fn on_group_response(
        &mut self,
        env: &Envelope,
        kind: Request,
        ctx: &mut ClientCtx<'_>,
    ) {
        let kind_generation = match kind {
            Request::Heartbeat(g) => Some(g),
            _ => None,
        };
        match &env.payload {
            Payload::JoinGroupResponse {
                generation, error, ..
            } => match error {
                None if self.state == AppState::Joining || self.background_join => {
                    self.generation = *generation;
                    let b = env.from.broker().unwrap_or(1);
                    let generation = self.generation;
                    self.request(
                        b,
                        Payload::SyncGroup { generation },
                        i64::from(self.incarnation),
                        Request::Sync,
                        ctx,
                    );
                }
                None => {}
                Some(_) => self.retry_later(ctx),
            },
            Payload::SyncGroupResponse { error, .. } => match error {
                None if self.state == AppState::Joining => {
                    // The group's protocol, as the coordinator says (aux 1: cooperative).
                    let cooperative = env.aux == 1;
                    let partitions = env.offsets.iter().map(|&(p, _)| p).collect();
                    self.apply_assignment(partitions, cooperative, ctx);
                    // Positions come fresh from the committed offsets (spec §5.4).
                    self.state = AppState::Starting;
                    self.redrive(ctx);
                }
                None if self.background_join => {
                    self.background_join = false;
                    let partitions: Vec<PartitionId> =
                        env.offsets.iter().map(|&(p, _)| p).collect();
                    if env.aux == 1 {
                        self.pending_assignment = Some(partitions);
                        if self.state == AppState::Polling {
                            // poll() returns to run the callbacks as soon as the answer is in.
                            self.schedule_poll(ctx.now_ms, ctx);
                        }
                    } else {
                        // The group went eager (a member without cooperative-sticky): give up
                        // everything and take the new assignment afresh.
                        self.apply_assignment(partitions, false, ctx);
                    }
                }
                None => {}
                Some(_) => self.retry_later(ctx),
            },
            // The heartbeat thread pauses while the member rejoins; an answer about an older
            // generation says nothing about this one.
            Payload::HeartbeatResponse { .. }
                if self.state == AppState::Joining
                    || self.background_join
                    || Some(self.generation) != kind_generation => {}
            Payload::HeartbeatResponse { error: Some(e), .. } => match e {
                ErrorCode::RebalanceInProgress
                | ErrorCode::IllegalGeneration
                | ErrorCode::UnknownMemberId => {
                    if matches!(e, ErrorCode::UnknownMemberId) {
                        self.left_group = true;
                    }
                    self.rejoin_needed = true;
                }
                _ => {}
            },
            _ => {}
        }
    }

    /// The heartbeat thread's tick: tell the coordinator this member is alive.
    pub fn heartbeat(&mut self, ctx: &mut ClientCtx<'_>) {
        if self.closed || !self.app.subscribe {
            return;
        }
        ctx.timer(
            ctx.now_ms + self.config.heartbeat_interval_ms,
            Due::Heartbeat {
                consumer: self.id,
                incarnation: self.incarnation,
            },
        );
        if self.generation < 0
            || self.left_group
            || self.state == AppState::Joining
            || self.background_join
            || self.pending(|r| matches!(r, Request::Heartbeat(_)))
        {
            return;
        }
        if let Some(b) = (ctx.coordinator_of)(&self.config.group_id) {
            let generation = self.generation;
            self.request(
                b,
                Payload::Heartbeat { generation },
                i64::from(self.incarnation),
                Request::Heartbeat(generation),
                ctx,
            );
        }
    }

    /// `max.poll.interval.ms` after poll number `polls`: if the application is still busy with
    /// those records, the heartbeat thread leaves the group (`AbstractCoordinator`: "consumer
    /// poll timeout has expired"). The application carries on processing: a zombie (S17).
    pub fn poll_interval_check(&mut self, polls: u32, ctx: &mut ClientCtx<'_>) {
        let busy = matches!(
            self.state,
            AppState::Processing(_) | AppState::Committing(_)
        );
        if polls != self.polls || !busy || self.generation < 0 || self.left_group || self.closed {
            return;
        }
        ctx.trace(EventKind::PollIntervalExceeded {
            consumer: self.node(),
        });
        self.left_group = true;
        self.rejoin_needed = true;
        if self.config.group_instance_id.is_none() {
            self.leave_group(ctx);
        }
    }
}
