//! The group coordinator's membership role (spec §5.1, §5.3, §5.5), wired into the world:
//! JoinGroup, SyncGroup, Heartbeat and LeaveGroup arrive at the broker hosting the group's
//! coordinator; session and rebalance timers fall due here; offset commits are validated
//! against the member's generation.

use super::effects::{Due, Out};
use super::group::{
    ClassicGroup, GroupPhase, Member, RemoveReason, GROUP_INITIAL_REBALANCE_DELAY_MS,
};
use super::ids::{NodeId, Offset, PartitionId};
use super::network::{Envelope, Outgoing};
use super::payload::{ErrorCode, Payload};
use super::trace::EventKind;
use super::world::World;

impl World {
    /// Sends an answer from the group's coordinator (whichever broker hosts it now).
    fn group_reply(
        &mut self,
        group: &str,
        to: u32,
        payload: Payload,
        offsets: Vec<(PartitionId, Offset)>,
    ) {
        self.group_reply_aux(group, to, payload, offsets, 0);
    }

    /// [`Self::group_reply`] with the envelope's `aux` (a SyncGroup answer: 1 when the group
    /// runs the cooperative protocol).
    fn group_reply_aux(
        &mut self,
        group: &str,
        to: u32,
        payload: Payload,
        offsets: Vec<(PartitionId, Offset)>,
        aux: i64,
    ) {
        let Some(host) = self.group_host(group) else {
            return;
        };
        let mut out = Outgoing::new(NodeId::Broker(host), NodeId::Consumer(to), payload);
        out.offsets = offsets;
        out.aux = aux;
        out.id = self.next_message_id;
        self.next_message_id += 1;
        self.outbox.push(Out::send(out));
    }

    fn set_phase(&mut self, group: &str, phase: GroupPhase) {
        let Some(g) = self.coordinator.classic.get_mut(group) else {
            return;
        };
        if g.phase == phase {
            return;
        }
        g.phase = phase;
        let generation = g.generation;
        self.record(EventKind::GroupStateChanged {
            group: group.to_string(),
            state: phase,
            generation,
        });
    }

    /// A JoinGroup, SyncGroup, Heartbeat or LeaveGroup reached broker `b`.
    pub(crate) fn group_request(&mut self, b: u32, env: Envelope) {
        let NodeId::Consumer(c) = env.from else {
            return;
        };
        let Some(config) = self.consumers.get(c as usize - 1).map(|x| x.config.clone()) else {
            return;
        };
        let group = config.group_id.clone();
        let incarnation = env.aux as u32;
        if self.group_host(&group) != Some(b) {
            let error = Some(ErrorCode::CoordinatorNotAvailable);
            let payload = match env.payload {
                Payload::JoinGroup { .. } => Payload::JoinGroupResponse {
                    request: env.id,
                    generation: -1,
                    leader: false,
                    error,
                },
                Payload::SyncGroup { .. } => Payload::SyncGroupResponse {
                    request: env.id,
                    generation: -1,
                    partitions: 0,
                    error,
                },
                Payload::Heartbeat { .. } => Payload::HeartbeatResponse {
                    request: env.id,
                    error,
                },
                _ => return,
            };
            let mut out = Outgoing::new(NodeId::Broker(b), env.from, payload);
            out.id = self.next_message_id;
            self.next_message_id += 1;
            self.outbox.push(Out::send(out));
            return;
        }
        let now = self.now_ms;
        match env.payload {
            Payload::JoinGroup { .. } => {
                let g = self.coordinator.classic.entry(group.clone()).or_default();
                // Static membership (KIP-345): a restarted static member takes its old place;
                // in a Stable group it gets the current generation back with no rebalance.
                if let Some(iid) = &config.group_instance_id {
                    if let Some(i) = g.members.iter().position(|m| {
                        m.instance_id.as_ref() == Some(iid) && m.incarnation != incarnation
                    }) {
                        g.members[i].incarnation = incarnation;
                        g.members[i].expires_at_ms = now + config.session_timeout_ms;
                        if g.phase == GroupPhase::Stable {
                            let (generation, leader) = (g.generation, i == 0);
                            self.schedule_expiry(
                                &group,
                                c,
                                incarnation,
                                now + config.session_timeout_ms,
                            );
                            return self.group_reply(
                                &group,
                                c,
                                Payload::JoinGroupResponse {
                                    request: env.id,
                                    generation,
                                    leader,
                                    error: None,
                                },
                                Vec::new(),
                            );
                        }
                    }
                }
                let expires = now + config.session_timeout_ms;
                match g.member_mut(c, incarnation) {
                    Some(m) => {
                        m.pending_join = Some(env.id);
                        m.expires_at_ms = expires;
                    }
                    None => {
                        g.members.push(Member {
                            consumer: c,
                            incarnation,
                            instance_id: config.group_instance_id.clone(),
                            session_timeout_ms: config.session_timeout_ms,
                            rebalance_timeout_ms: config.max_poll_interval_ms,
                            strategy: config.partition_assignment_strategy,
                            expires_at_ms: expires,
                            pending_join: Some(env.id),
                            assignment: Vec::new(),
                        });
                        self.schedule_expiry(&group, c, incarnation, expires);
                    }
                }
                let phase = self.coordinator.classic[&group].phase;
                match phase {
                    GroupPhase::Empty => self.start_rebalance(&group, true),
                    GroupPhase::Stable | GroupPhase::CompletingRebalance => {
                        self.start_rebalance(&group, false)
                    }
                    GroupPhase::PreparingRebalance => {}
                }
                self.try_complete(&group, false);
            }
            Payload::SyncGroup { generation } => {
                let g = self.coordinator.classic.entry(group.clone()).or_default();
                let (error, assignment, leader) = match g.member(c, incarnation) {
                    None => (Some(ErrorCode::UnknownMemberId), Vec::new(), false),
                    Some(_) if generation != g.generation => {
                        (Some(ErrorCode::IllegalGeneration), Vec::new(), false)
                    }
                    Some(_) if g.phase == GroupPhase::PreparingRebalance => {
                        (Some(ErrorCode::RebalanceInProgress), Vec::new(), false)
                    }
                    Some(m) => (None, m.assignment.clone(), g.is_leader(c, incarnation)),
                };
                if let Some(m) = g.member_mut(c, incarnation) {
                    m.expires_at_ms = now + m.session_timeout_ms;
                }
                let cooperative = g.cooperative();
                if leader {
                    self.set_phase(&group, GroupPhase::Stable);
                }
                let offsets = assignment.iter().map(|&p| (p, 0)).collect();
                self.group_reply_aux(
                    &group,
                    c,
                    Payload::SyncGroupResponse {
                        request: env.id,
                        generation,
                        partitions: assignment.len() as u32,
                        error,
                    },
                    offsets,
                    i64::from(cooperative),
                );
            }
            Payload::Heartbeat { generation } => {
                let g = self.coordinator.classic.entry(group.clone()).or_default();
                let error = match g.member_mut(c, incarnation) {
                    None => Some(ErrorCode::UnknownMemberId),
                    Some(m) => {
                        m.expires_at_ms = now + m.session_timeout_ms;
                        if g.phase == GroupPhase::PreparingRebalance {
                            Some(ErrorCode::RebalanceInProgress)
                        } else if generation != g.generation {
                            Some(ErrorCode::IllegalGeneration)
                        } else {
                            None
                        }
                    }
                };
                self.group_reply(
                    &group,
                    c,
                    Payload::HeartbeatResponse {
                        request: env.id,
                        error,
                    },
                    Vec::new(),
                );
            }
            Payload::LeaveGroup => self.remove_member(&group, c, incarnation, RemoveReason::Left),
            _ => {}
        }
    }

    fn schedule_expiry(&mut self, group: &str, consumer: u32, incarnation: u32, at_ms: u64) {
        self.queue.schedule(
            at_ms,
            Due::MemberExpiry {
                group: group.to_string(),
                consumer,
                incarnation,
            },
        );
    }

    fn start_rebalance(&mut self, group: &str, initial: bool) {
        let now = self.now_ms;
        let Some(g) = self.coordinator.classic.get_mut(group) else {
            return;
        };
        g.round += 1;
        let delay = if initial {
            GROUP_INITIAL_REBALANCE_DELAY_MS
        } else {
            0
        };
        g.not_before_ms = now + delay;
        let round = g.round;
        let timeout = g.rebalance_timeout_ms().max(delay);
        self.set_phase(group, GroupPhase::PreparingRebalance);
        if delay > 0 {
            self.queue.schedule(
                now + delay,
                Due::RebalanceCheck {
                    group: group.to_string(),
                    round,
                    timeout: false,
                },
            );
        }
        self.queue.schedule(
            now + timeout,
            Due::RebalanceCheck {
                group: group.to_string(),
                round,
                timeout: true,
            },
        );
    }

    /// The initial delay ended, or the rebalance timeout passed.
    pub(crate) fn rebalance_check(&mut self, group: &str, round: u32, timeout: bool) {
        let Some(g) = self.coordinator.classic.get(group) else {
            return;
        };
        if g.round != round || g.phase != GroupPhase::PreparingRebalance {
            return;
        }
        if timeout {
            let laggards: Vec<(u32, u32)> = g
                .members
                .iter()
                .filter(|m| m.pending_join.is_none())
                .map(|m| (m.consumer, m.incarnation))
                .collect();
            for (c, inc) in laggards {
                self.drop_member(group, c, inc, RemoveReason::RebalanceTimeout);
            }
        }
        self.try_complete(group, timeout);
    }

    fn try_complete(&mut self, group: &str, force: bool) {
        let now = self.now_ms;
        let topic = self
            .coordinator
            .classic
            .get(group)
            .and_then(|g| g.members.first())
            .map_or(0..self.scenario.topic.partitions, |m| {
                self.scenario.consumer_partitions(m.consumer as usize - 1)
            });
        let Some(g) = self.coordinator.classic.get_mut(group) else {
            return;
        };
        if g.phase != GroupPhase::PreparingRebalance {
            return;
        }
        if !(g.can_complete(now) || force && g.members.iter().all(|m| m.pending_join.is_some())) {
            return;
        }
        if g.members.is_empty() {
            g.round += 1;
            return self.set_phase(group, GroupPhase::Empty);
        }
        g.generation += 1;
        g.assign(topic);
        let generation = g.generation;
        let answers: Vec<(u32, u64, bool)> = g
            .members
            .iter_mut()
            .enumerate()
            .filter_map(|(i, m)| {
                m.expires_at_ms = now + m.session_timeout_ms;
                m.pending_join.take().map(|r| (m.consumer, r, i == 0))
            })
            .collect();
        self.set_phase(group, GroupPhase::CompletingRebalance);
        for (c, request, leader) in answers {
            self.group_reply(
                group,
                c,
                Payload::JoinGroupResponse {
                    request,
                    generation,
                    leader,
                    error: None,
                },
                Vec::new(),
            );
        }
    }

    /// Takes a member out and records why (no rebalance decision).
    fn drop_member(
        &mut self,
        group: &str,
        consumer: u32,
        incarnation: u32,
        reason: RemoveReason,
    ) -> bool {
        let Some(g) = self.coordinator.classic.get_mut(group) else {
            return false;
        };
        let before = g.members.len();
        g.members
            .retain(|m| !(m.consumer == consumer && m.incarnation == incarnation));
        if g.members.len() == before {
            return false;
        }
        self.record(EventKind::MemberRemoved {
            group: group.to_string(),
            consumer: NodeId::Consumer(consumer),
            reason,
        });
        true
    }

    /// A member left or expired: the others rebalance (or the group is Empty).
    fn remove_member(
        &mut self,
        group: &str,
        consumer: u32,
        incarnation: u32,
        reason: RemoveReason,
    ) {
        if !self.drop_member(group, consumer, incarnation, reason) {
            return;
        }
        let g: &ClassicGroup = &self.coordinator.classic[group];
        if g.members.is_empty() {
            self.coordinator
                .classic
                .get_mut(group)
                .expect("exists")
                .round += 1;
            return self.set_phase(group, GroupPhase::Empty);
        }
        match g.phase {
            GroupPhase::PreparingRebalance => self.try_complete(group, false),
            _ => self.start_rebalance(group, false),
        }
    }

    /// The coordinator's session timer for a member fell due.
    pub(crate) fn member_expiry(&mut self, group: &str, consumer: u32, incarnation: u32) {
        let now = self.now_ms;
        let Some(m) = self
            .coordinator
            .classic
            .get(group)
            .and_then(|g| g.member(consumer, incarnation))
        else {
            return;
        };
        if m.pending_join.is_some() {
            let at = now + m.session_timeout_ms;
            return self.schedule_expiry(group, consumer, incarnation, at);
        }
        if m.expires_at_ms > now {
            let at = m.expires_at_ms;
            return self.schedule_expiry(group, consumer, incarnation, at);
        }
        self.remove_member(group, consumer, incarnation, RemoveReason::SessionTimeout);
    }

    /// `ClassicGroup.validateOffsetCommit`: an error if the commit must be refused (spec §5.5).
    /// `generation` -1 is a consumer outside group management (`assign()`): accepted while the
    /// group has no members.
    pub(crate) fn validate_commit(
        &self,
        group: &str,
        consumer: u32,
        generation: i32,
    ) -> Option<ErrorCode> {
        let g = self.coordinator.classic.get(group)?;
        let incarnation = self.consumers.get(consumer as usize - 1)?.incarnation;
        if generation < 0 {
            return (!g.members.is_empty()).then_some(ErrorCode::UnknownMemberId);
        }
        match g.member(consumer, incarnation) {
            None => Some(ErrorCode::UnknownMemberId),
            Some(_) if generation != g.generation => Some(ErrorCode::IllegalGeneration),
            Some(_) if g.phase == GroupPhase::CompletingRebalance => {
                Some(ErrorCode::RebalanceInProgress)
            }
            Some(_) => None,
        }
    }
}
