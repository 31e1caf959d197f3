//! Routing: what happens when something falls due — a message arrives, a timer fires, a command
//! is applied. Each arm hands the input to the one handler that owns it.

use super::commands::{Command, CrashMode, TopicSetting};
use super::coordinator::PendingWrite;
use super::effects::Due;
use super::ids::{NodeId, PartitionId};
use super::network::{Envelope, Outgoing};
use super::payload::{ErrorCode, Payload};
use super::trace::{DropReason, EventKind, Invariant};
use super::world::World;

mod command;

impl World {
    pub(crate) fn dispatch(&mut self, due: Due) {
        // Most arms end with their one handler, which may then record straight into the trace
        // (`recording.rs`): the world records nothing after it before the outbox is flushed.
        // The others clear `direct` first; a delivery decides by payload (`deliver_to_broker`).
        self.direct = true;
        self.dispatch_due(due);
        self.direct = false;
    }

    fn dispatch_due(&mut self, due: Due) {
        match due {
            Due::Deliver(env) => self.deliver(env),
            Due::Command(c) => {
                self.direct = false;
                self.apply_command(c)
            }
            Due::Disconnect { client, peer } => {
                self.direct = false;
                self.disconnect(client, peer)
            }
            Due::AppSend {
                producer,
                incarnation,
            } => self.producer(producer, incarnation, |p, ctx| p.app_send(ctx)),
            Due::ProducerWake {
                producer,
                incarnation,
            } => self.producer(producer, incarnation, |p, ctx| p.wake(ctx)),
            Due::RequestTimeout {
                producer,
                incarnation,
                request,
            } => self.producer(producer, incarnation, |p, ctx| {
                p.request_timed_out(request, ctx)
            }),
            Due::DeliveryTimeout {
                producer,
                incarnation,
                batch,
            } => self.producer(producer, incarnation, |p, ctx| {
                p.delivery_timed_out(batch, ctx)
            }),
            Due::FollowerFetch {
                broker,
                partition,
                session,
            } => self.with_broker(broker, |b, ctx| b.follower_fetch(partition, session, ctx)),
            Due::FollowerFetchTimeout {
                broker,
                partition,
                request,
            } => self.with_broker(broker, |b, ctx| {
                b.follower_fetch_failed(partition, Some(request), ctx)
            }),
            Due::FetchWaitExpired {
                broker,
                partition,
                request,
            } => self.with_broker(broker, |b, ctx| {
                b.fetch_wait_expired(partition, request, ctx)
            }),
            Due::ProduceWaitExpired {
                broker,
                partition,
                request,
            } => self.with_broker(broker, |b, ctx| {
                b.produce_wait_expired(partition, request, ctx)
            }),
            Due::IsrCheck {
                broker,
                incarnation,
            } => {
                if self.brokers[broker as usize - 1].incarnation == incarnation {
                    self.with_broker(broker, |b, ctx| b.isr_check(ctx));
                }
            }
            Due::Flush {
                broker,
                incarnation,
            } => {
                if self.brokers[broker as usize - 1].incarnation == incarnation {
                    self.with_broker(broker, |b, ctx| b.flush(ctx));
                }
            }
            Due::RetentionCheck {
                broker,
                incarnation,
            } => {
                if self.brokers[broker as usize - 1].incarnation == incarnation {
                    self.with_broker(broker, |b, ctx| b.retention_check(ctx));
                }
            }
            Due::SessionExpired { broker, session } => {
                self.direct = false;
                self.session_expired(broker, session)
            }
            Due::ConsumerStart {
                consumer,
                incarnation,
            } => self.consumer(consumer, incarnation, |c, ctx| c.start(ctx)),
            Due::Poll {
                consumer,
                incarnation,
                token,
            } => self.consumer(consumer, incarnation, |c, ctx| c.poll(token, ctx)),
            Due::ProcessDone {
                consumer,
                incarnation,
                worker,
            } => self.consumer(consumer, incarnation, |c, ctx| c.process_done(worker, ctx)),
            Due::ConsumerRetry {
                consumer,
                incarnation,
            } => self.consumer(consumer, incarnation, |c, ctx| c.retry_fired(ctx)),
            Due::TxnCoordinatorTick => {
                self.direct = false;
                self.txn_tick()
            }
            // One process: the application's own calls between its consumer and its producer.
            Due::PipeSend {
                producer,
                record,
                partition,
            } => self.producer_now(producer, |p, ctx| p.pipe_send(record, partition, ctx)),
            Due::PipeCommit {
                producer,
                round,
                generation,
                offsets,
            } => self.producer_now(producer, |p, ctx| {
                p.pipe_commit(round, generation, offsets, ctx)
            }),
            Due::PipeDone {
                consumer,
                round,
                outcome,
            } => self.consumer_now(consumer, |c, ctx| c.pipe_done(round, outcome, ctx)),
            Due::ConsumerRequestTimeout {
                consumer,
                incarnation,
                request,
            } => self.consumer(consumer, incarnation, |c, ctx| {
                c.request_failed(request, ctx)
            }),
            Due::Heartbeat {
                consumer,
                incarnation,
            } => self.consumer(consumer, incarnation, |c, ctx| c.heartbeat(ctx)),
            Due::PollIntervalCheck {
                consumer,
                incarnation,
                polls,
            } => self.consumer(consumer, incarnation, |c, ctx| {
                c.poll_interval_check(polls, ctx)
            }),
            Due::MemberExpiry {
                group,
                consumer,
                incarnation,
            } => {
                self.direct = false;
                self.member_expiry(&group, consumer, incarnation)
            }
            Due::RebalanceCheck {
                group,
                round,
                timeout,
            } => {
                self.direct = false;
                self.rebalance_check(&group, round, timeout)
            }
        }
    }

    fn producer(
        &mut self,
        n: u32,
        incarnation: u32,
        f: impl FnOnce(&mut super::producer::Producer, &mut super::effects::ClientCtx<'_>),
    ) {
        let i = n as usize - 1;
        if self
            .producers
            .get(i)
            .is_some_and(|p| p.alive && p.incarnation == incarnation)
        {
            self.with_client(|parts, ctx| f(&mut parts.producers[i], ctx));
        }
    }

    /// Runs a producer handler on its current incarnation (if it is up).
    fn producer_now(
        &mut self,
        n: u32,
        f: impl FnOnce(&mut super::producer::Producer, &mut super::effects::ClientCtx<'_>),
    ) {
        if let Some(inc) = self.producers.get(n as usize - 1).map(|p| p.incarnation) {
            self.producer(n, inc, f);
        }
    }

    /// Runs a consumer handler on its current incarnation (if it is up).
    fn consumer_now(
        &mut self,
        n: u32,
        f: impl FnOnce(&mut super::consumer::Consumer, &mut super::effects::ClientCtx<'_>),
    ) {
        if let Some(inc) = self.consumers.get(n as usize - 1).map(|c| c.incarnation) {
            self.consumer(n, inc, f);
        }
    }

    fn consumer(
        &mut self,
        n: u32,
        incarnation: u32,
        f: impl FnOnce(&mut super::consumer::Consumer, &mut super::effects::ClientCtx<'_>),
    ) {
        let i = n as usize - 1;
        if self
            .consumers
            .get(i)
            .is_some_and(|c| c.alive && c.incarnation == incarnation)
        {
            self.with_client(|parts, ctx| f(&mut parts.consumers[i], ctx));
        }
    }

    pub(crate) fn is_up(&self, node: NodeId) -> bool {
        match node {
            NodeId::Broker(b) => self.brokers.get(b as usize - 1).is_some_and(|x| x.alive),
            NodeId::Producer(p) => self.producers.get(p as usize - 1).is_some_and(|x| x.alive),
            NodeId::Consumer(c) => self
                .consumers
                .get(c as usize - 1)
                .is_some_and(|x| x.alive && !x.closed),
            NodeId::Controller => true,
        }
    }

    /// A message arrives (left in its box: most handlers only read it).
    fn deliver(&mut self, env: Box<Envelope>) {
        let id = env.id;
        let claimed = self.network.has_armed() && self.network.claim_in_flight(&env);
        if env.doomed || claimed {
            self.record(EventKind::MessageDropped {
                id,
                reason: DropReason::Command,
            });
            return Envelope::recycle(env);
        }
        if self.network.is_cut(env.from, env.to) {
            self.record(EventKind::MessageDropped {
                id,
                reason: DropReason::LinkCut,
            });
            return Envelope::recycle(env);
        }
        if !self.is_up(env.to) {
            self.record(EventKind::MessageDropped {
                id,
                reason: DropReason::NodeDown,
            });
            // Connection refused: a live sender of a request learns of it one trip later.
            if env.payload.request().is_none() && self.is_up(env.from) {
                let at = self.network.arrival_behind(self.now_ms, env.to, env.from);
                self.queue.schedule(
                    at,
                    Due::Disconnect {
                        client: env.from,
                        peer: env.to,
                    },
                );
            }
            return Envelope::recycle(env);
        }
        self.record(EventKind::MessageDelivered { id });
        match env.to {
            NodeId::Broker(b) => return self.deliver_to_broker(b, env),
            NodeId::Producer(p) => {
                let i = p as usize - 1;
                self.with_client(|parts, ctx| parts.producers[i].on_produce_response(&env, ctx));
            }
            NodeId::Consumer(c) => {
                let i = c as usize - 1;
                self.with_client(|parts, ctx| parts.consumers[i].on_response(&env, ctx));
            }
            NodeId::Controller => {}
        }
        Envelope::recycle(env);
    }

    fn deliver_to_broker(&mut self, b: u32, mut env: Box<Envelope>) {
        // Only the arms that end with one broker handler (the coordinators' arms run several
        // and record in between).
        self.direct = matches!(
            env.payload,
            Payload::Produce { .. }
                | Payload::ReplicaFetch { .. }
                | Payload::ReplicaFetchResponse { .. }
                | Payload::Fetch { .. }
                | Payload::ListOffsets { .. }
                | Payload::OffsetsForLeaderEpoch { .. }
                | Payload::WriteTxnMarkers { .. }
        );
        match env.payload {
            Payload::Produce { .. } => self.with_broker(b, |br, ctx| br.on_produce(&env, ctx)),
            Payload::ReplicaFetch { .. } => {
                self.with_broker(b, |br, ctx| br.on_replica_fetch(&env, ctx))
            }
            Payload::ReplicaFetchResponse { .. } => {
                self.with_broker(b, |br, ctx| br.on_replica_fetch_response(&mut env, ctx))
            }
            Payload::Fetch { .. } => self.with_broker(b, |br, ctx| br.on_fetch(&env, ctx)),
            Payload::ListOffsets { .. } => {
                self.with_broker(b, |br, ctx| br.on_list_offsets(&env, ctx))
            }
            Payload::OffsetsForLeaderEpoch { .. } => {
                self.with_broker(b, |br, ctx| br.on_offsets_for_leader_epoch(&env, ctx))
            }
            Payload::OffsetCommit { .. } | Payload::OffsetFetch => {
                return self.coordinator_request(b, *env);
            }
            Payload::JoinGroup { .. }
            | Payload::SyncGroup { .. }
            | Payload::Heartbeat { .. }
            | Payload::LeaveGroup => return self.group_request(b, *env),
            Payload::InitProducerId
            | Payload::AddPartitionsToTxn { .. }
            | Payload::AddOffsetsToTxn { .. }
            | Payload::EndTxn { .. } => return self.txn_request(b, *env),
            Payload::TxnOffsetCommit { .. } => return self.txn_offset_commit(b, *env),
            Payload::TxnOffsetsMarker { .. } => return self.txn_offsets_marker(b, *env),
            Payload::WriteTxnMarkers { .. } => {
                self.with_broker(b, |br, ctx| br.on_write_txn_markers(&env, ctx))
            }
            _ if super::transaction::is_marker_answer(&env.payload) => {
                return self.txn_marker_answered(b, *env);
            }
            _ => {}
        }
        Envelope::recycle(env);
    }

    /// Stores a group's committed offsets (an `OffsetCommit`, or a transaction's COMMIT marker
    /// on `__consumer_offsets`), traced, with the committed-offset invariant checked.
    pub(crate) fn store_committed_offsets(
        &mut self,
        me: NodeId,
        group: &str,
        by: NodeId,
        offsets: &[(PartitionId, super::ids::Offset)],
    ) {
        self.coordinator.commit(group, by, offsets);
        for &(partition, offset) in offsets {
            self.record(EventKind::OffsetCommitted {
                consumer: by,
                partition,
                offset,
            });
            // Against a live leader's log: a crashed leader the controller has not fenced yet
            // (its power-lost log emptied) says nothing about what the cluster holds.
            let leader = self
                .authoritative_replica(partition)
                .filter(|&l| self.brokers[l as usize - 1].alive);
            let leo = leader
                .and_then(|l| self.brokers[l as usize - 1].replica(partition))
                .map(|r| r.log.log_end_offset());
            if leo.is_some_and(|leo| offset > leo) {
                self.record(EventKind::InvariantViolated {
                    invariant: Invariant::CommittedAboveLogEnd,
                    node: me,
                    partition,
                });
            }
        }
    }

    /// The group coordinator role on broker `b` (spec §4.4): writes offsets to the group's
    /// `__consumer_offsets` partition, or returns them.
    fn coordinator_request(&mut self, b: u32, env: Envelope) {
        let NodeId::Consumer(c) = env.from else {
            return;
        };
        let Some(group) = self
            .consumers
            .get(c as usize - 1)
            .map(|c| c.config.group_id.clone())
        else {
            return;
        };
        let mut error =
            (!self.is_group_coordinator(b, &group)).then_some(ErrorCode::NotCoordinator);
        let me = NodeId::Broker(b);
        let mut out = match env.payload {
            Payload::OffsetCommit { .. } => {
                // Spec §5.5: a commit from a stale generation or a removed member is refused.
                let generation = env.aux as i32;
                if error.is_none() {
                    error = self.validate_commit(&group, c, generation);
                    if let Some(e) = error {
                        self.record(EventKind::CommitRejected {
                            consumer: env.from,
                            group: group.clone(),
                            generation,
                            error: e,
                        });
                    }
                }
                if error.is_none() && !env.offsets.is_empty() {
                    let written =
                        self.write_offsets(b, &group, env.from, &env.offsets, None, env.id);
                    match written {
                        Ok(()) => {
                            // Answered once the ISR has the records (`coordinator_write_settled`).
                            let write = PendingWrite::Commit {
                                group,
                                consumer: env.from,
                                offsets: env.offsets,
                            };
                            self.coordinator.writes.insert(env.id, (b, write));
                            return;
                        }
                        Err(e) => error = Some(e),
                    }
                }
                Outgoing::new(
                    me,
                    env.from,
                    Payload::OffsetCommitResponse {
                        request: env.id,
                        error,
                    },
                )
            }
            _ => {
                // KIP-447 (require_stable): offsets a transaction holds pending for the group
                // are not returned until the transaction is decided; the consumer retries.
                if error.is_none() && self.coordinator.has_pending_txn_offsets(&group) {
                    error = Some(ErrorCode::UnstableOffsetCommit);
                }
                let mut o = Outgoing::new(
                    me,
                    env.from,
                    Payload::OffsetFetchResponse {
                        request: env.id,
                        error,
                    },
                );
                if error.is_none() {
                    if let Some(g) = self.coordinator.group(&group) {
                        o.offsets = g.committed.iter().map(|(&p, &off)| (p, off)).collect();
                    }
                }
                o
            }
        };
        out.id = self.next_message_id;
        self.next_message_id += 1;
        self.outbox.push(super::effects::Out::send(out));
    }

    fn disconnect(&mut self, client: NodeId, peer: NodeId) {
        let Some(peer_broker) = peer.broker() else {
            return;
        };
        match client {
            NodeId::Producer(p) => self.producer_now(p, |x, ctx| x.disconnected(peer_broker, ctx)),
            NodeId::Consumer(c) => self.consumer_now(c, |x, ctx| x.disconnected(peer_broker, ctx)),
            NodeId::Broker(b) => self.with_broker(b, |br, ctx| {
                for p in 0..br.replicas.len() as PartitionId {
                    if br.replica(p).is_some_and(|r| r.leader == Some(peer_broker)) {
                        br.follower_fetch_failed(p, None, ctx);
                    }
                }
            }),
            NodeId::Controller => {}
        }
    }

    fn session_expired(&mut self, broker: u32, session: u32) {
        let b = NodeId::Broker(broker);
        let silent = !self.brokers[broker as usize - 1].alive
            || self.network.is_cut(b, NodeId::Controller)
            || self.is_paused(b);
        if self.controller.session(broker) != session || !silent {
            return;
        }
        let mut out = std::mem::take(&mut self.outbox);
        self.controller.fence(broker, &mut out);
        self.outbox = out;
        self.propagate_all();
    }

    pub(crate) fn expire_later(&mut self, broker: u32) {
        let at = self.now_ms + self.scenario.brokers.config.broker_session_timeout_ms;
        let session = self.controller.session(broker);
        self.queue
            .schedule(at, Due::SessionExpired { broker, session });
    }
}
