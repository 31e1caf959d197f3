//! A broker: its partition replicas, and how a leader handles a produce request (spec §2.3).
//!
//! The append path follows `Partition.appendRecordsToLeader`, `ReplicaManager` and
//! `DelayedProduce`: not the leader → `NOT_LEADER_OR_FOLLOWER`; acks=all with the ISR below
//! `min(min.insync.replicas, RF)` → `NOT_ENOUGH_REPLICAS` (nothing written); idempotence checks;
//! append; answer at once for acks=1, never for acks=0, and for acks=all once the high watermark
//! passes the record (or `REQUEST_TIMED_OUT`, or `NOT_LEADER_OR_FOLLOWER` if leadership is lost
//! — the record stays in the log in every one of those error cases). Replication lives in
//! `replication.rs`.

use super::commands::CrashMode;
use super::config::{Acks, BrokerConfig};
use super::controller::Controller;
use super::effects::{Due, Out, Outbox};
use super::ids::{MessageId, NodeId, Offset, PartitionId, RecordId};
use super::log::{LogEntry, PartitionLog};
use super::network::{Envelope, Outgoing};
use super::payload::{ErrorCode, MoreRecords, Payload};
use super::producer_state::Validation;
use super::time::Millis;
use super::trace::{EventKind, TruncateReason};

/// What a handler needs besides the broker itself.
pub struct Ctx<'a> {
    pub now_ms: Millis,
    pub config: &'a BrokerConfig,
    pub controller: &'a mut Controller,
    /// Whether this broker can reach the controller (its ISR changes need it).
    pub controller_reachable: bool,
    pub out: &'a mut Outbox,
    /// Set when this handler may record its events straight into the trace (and set its timers
    /// straight into the event queue).
    pub(crate) recorder: Option<super::recording::Recorder<'a>>,
    pub next_message_id: &'a mut MessageId,
}

impl Ctx<'_> {
    /// Sends a message; returns its id.
    pub fn send(&mut self, mut out: Outgoing) -> MessageId {
        out.id = *self.next_message_id;
        *self.next_message_id += 1;
        let id = out.id;
        self.out.push(Out::send(out));
        id
    }
    pub fn trace(&mut self, kind: EventKind) {
        super::recording::trace_or_push(&mut self.recorder, self.out, self.now_ms, kind);
    }
    pub fn timer(&mut self, at_ms: Millis, due: Due) {
        super::recording::timer_or_push(&mut self.recorder, self.out, self.now_ms, at_ms, due);
    }
}

/// The leader's view of one follower (`Replica.scala`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowerView {
    pub broker: u32,
    /// Learned from the follower's last fetch offset; None until it fetches.
    pub log_end_offset: Option<Offset>,
    pub last_caught_up_ms: Millis,
    pub last_fetch_ms: Millis,
    pub last_fetch_leader_log_end_offset: Offset,
}

/// An acks=all produce request waiting for the high watermark (`DelayedProduce`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingProduce {
    pub request: MessageId,
    pub producer: NodeId,
    /// The batch's first record, and the rest (for the answer).
    pub record: RecordId,
    pub more: MoreRecords,
    /// The batch's last offset: the high watermark must pass it.
    pub offset: Offset,
    /// The group coordinator's own write to `__consumer_offsets`: settled with
    /// [`Out::CoordinatorWrite`] instead of a `ProduceResponse`.
    pub coordinator: bool,
}

impl PendingProduce {
    /// Answers the waiting request: a `ProduceResponse`, or the coordinator's settlement.
    pub(crate) fn settle(
        self,
        me: u32,
        partition: PartitionId,
        result: Result<Offset, ErrorCode>,
        ctx: &mut Ctx<'_>,
    ) {
        if self.coordinator {
            ctx.out.push(Out::CoordinatorWrite {
                broker: me,
                request: self.request,
                result,
            });
            return;
        }
        let base_offset = result.ok().map(|last| last - self.more.len() as Offset);
        let payload = Payload::ProduceResponse {
            request: self.request,
            partition,
            record: self.record,
            more: self.more,
            base_offset,
            error: result.err(),
        };
        respond(ctx, NodeId::Broker(me), self.producer, payload);
    }
}

/// A fetch the leader holds until there is something to return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParkedFetch {
    pub request: MessageId,
    pub from: NodeId,
    pub fetch_offset: Offset,
    /// A follower's fetch (wakes on new data) rather than a consumer's (wakes on a new HW).
    pub replica: bool,
    /// A read_committed consumer's fetch (wakes when the last stable offset moves).
    pub read_committed: bool,
}

impl ParkedFetch {
    /// How far this fetch may read in `log`: the log end for a follower, the last stable
    /// offset for a read_committed consumer, else the high watermark.
    pub fn limit(&self, log: &PartitionLog) -> Offset {
        if self.replica {
            log.log_end_offset()
        } else if self.read_committed {
            log.last_stable_offset()
        } else {
            log.high_watermark()
        }
    }
}

/// One partition replica on this broker, with this broker's view of the partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replica {
    pub partition: PartitionId,
    pub log: PartitionLog,
    /// Who this broker believes leads the partition, at which epoch, with which ISR.
    pub leader: Option<u32>,
    pub leader_epoch: u32,
    pub isr: Vec<u32>,
    /// The log end offset when this broker became leader (ISR may only grow past it).
    pub leader_epoch_start_offset: Offset,
    pub followers: Vec<FollowerView>,
    pub purgatory: Vec<PendingProduce>,
    pub parked: Vec<ParkedFetch>,
    /// Bumped when the follower's fetch loop restarts (new leader), voiding older timers.
    pub fetch_session: u32,
    pub outstanding_fetch: Option<MessageId>,
}

impl Replica {
    pub fn is_leader(&self, broker: u32) -> bool {
        self.leader == Some(broker)
    }
}

/// A broker process and the disk it writes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broker {
    pub id: u32,
    pub alive: bool,
    /// Bumped on every crash: timers set before it do nothing.
    pub incarnation: u32,
    /// Replicas by partition (None where this broker hosts no replica).
    pub replicas: Vec<Option<Replica>>,
}

pub(crate) fn respond(ctx: &mut Ctx<'_>, from: NodeId, to: NodeId, payload: Payload) {
    ctx.send(Outgoing::new(from, to, payload));
}

impl Broker {
    pub fn new(id: u32, assignment: &[Vec<u32>], controller: &Controller) -> Self {
        let replicas = assignment
            .iter()
            .enumerate()
            .map(|(p, replicas)| {
                replicas.contains(&id).then(|| {
                    let meta = &controller.partitions[p];
                    Replica {
                        partition: p as PartitionId,
                        log: PartitionLog::default(),
                        leader: meta.leader,
                        leader_epoch: meta.leader_epoch,
                        isr: meta.isr.clone(),
                        leader_epoch_start_offset: 0,
                        followers: follower_views(&meta.replicas, id, 0),
                        purgatory: Vec::new(),
                        parked: Vec::new(),
                        fetch_session: 0,
                        outstanding_fetch: None,
                    }
                })
            })
            .collect();
        Self {
            id,
            alive: true,
            incarnation: 0,
            replicas,
        }
    }

    pub fn node(&self) -> NodeId {
        NodeId::Broker(self.id)
    }

    pub fn replica(&self, partition: PartitionId) -> Option<&Replica> {
        self.replicas.get(partition as usize)?.as_ref()
    }

    /// A produce request from a client: one batch, appended as consecutive offsets, one log
    /// entry per record, or refused whole (spec §2.3, §2.5).
    pub fn on_produce(&mut self, env: &Envelope, ctx: &mut Ctx<'_>) {
        let Payload::Produce {
            partition,
            record,
            ref more,
            producer_id,
            producer_epoch,
            sequence,
            acks,
            transactional,
        } = env.payload
        else {
            return;
        };
        let me = self.node();
        let count = 1 + more.len() as u32;
        let answer = |ctx: &mut Ctx<'_>, base_offset: Option<Offset>, error: Option<ErrorCode>| {
            if acks != Acks::Zero {
                let payload = Payload::ProduceResponse {
                    request: env.id,
                    partition,
                    record,
                    more: more.clone(),
                    base_offset,
                    error,
                };
                respond(ctx, me, env.from, payload);
            }
        };
        let id = self.id;
        let Some(replica) = self
            .replicas
            .get_mut(partition as usize)
            .and_then(Option::as_mut)
        else {
            return answer(ctx, None, Some(ErrorCode::NotLeaderOrFollower));
        };
        if !replica.is_leader(id) {
            return answer(ctx, None, Some(ErrorCode::NotLeaderOrFollower));
        }
        if acks == Acks::All && replica.isr.len() < ctx.controller.effective_min_isr(partition) {
            return answer(ctx, None, Some(ErrorCode::NotEnoughReplicas));
        }
        let mut duplicate = None;
        let last_sequence = sequence.wrapping_add(count as i32 - 1);
        if producer_id >= 0 && sequence >= 0 {
            match replica.log.producers().validate(
                producer_id,
                producer_epoch,
                sequence,
                last_sequence,
            ) {
                Validation::Append => {}
                Validation::Duplicate(offset) => duplicate = Some(offset),
                Validation::OutOfOrder => {
                    return answer(ctx, None, Some(ErrorCode::OutOfOrderSequenceNumber))
                }
                Validation::Fenced => {
                    return answer(ctx, None, Some(ErrorCode::InvalidProducerEpoch))
                }
            }
        }
        let base_offset = match duplicate {
            Some(offset) => offset,
            None => {
                let base_offset = replica.log.log_end_offset();
                let records = std::iter::once(record).chain(more.iter().copied());
                for (i, record) in records.enumerate() {
                    let offset = replica.log.append(LogEntry {
                        record,
                        leader_epoch: replica.leader_epoch,
                        producer_id,
                        producer_epoch,
                        sequence: if sequence >= 0 {
                            sequence.wrapping_add(i as i32)
                        } else {
                            -1
                        },
                        base_sequence: sequence,
                        transactional,
                    });
                    replica
                        .log
                        .stamp(offset, ctx.now_ms, &ctx.controller.retention);
                    ctx.trace(EventKind::Appended {
                        broker: me,
                        partition,
                        offset,
                        record,
                        leader_epoch: replica.leader_epoch,
                    });
                }
                base_offset
            }
        };
        match acks {
            Acks::Zero => {}
            Acks::One => answer(ctx, Some(base_offset), None),
            Acks::All => {
                replica.purgatory.push(PendingProduce {
                    request: env.id,
                    producer: env.from,
                    record,
                    more: more.clone(),
                    offset: base_offset + Offset::from(count - 1),
                    coordinator: false,
                });
                let timeout_ms = env.aux.max(0) as Millis;
                ctx.timer(
                    ctx.now_ms + timeout_ms,
                    Due::ProduceWaitExpired {
                        broker: id,
                        partition,
                        request: env.id,
                    },
                );
            }
        }
        if duplicate.is_none() {
            self.after_leader_append(partition, ctx);
            if transactional {
                self.trace_last_stable_offset(partition, ctx);
            }
        } else {
            self.complete_delayed_produces(partition, ctx);
        }
    }

    /// An acks=all request waited too long: `REQUEST_TIMED_OUT` (the record stays in the log).
    pub fn produce_wait_expired(
        &mut self,
        partition: PartitionId,
        request: MessageId,
        ctx: &mut Ctx<'_>,
    ) {
        let me = self.id;
        let Some(replica) = self
            .replicas
            .get_mut(partition as usize)
            .and_then(Option::as_mut)
        else {
            return;
        };
        if let Some(i) = replica.purgatory.iter().position(|p| p.request == request) {
            let p = replica.purgatory.remove(i);
            p.settle(me, partition, Err(ErrorCode::RequestTimedOut), ctx);
        }
    }

    /// Answers every waiting acks=all request whose record the high watermark has passed.
    pub fn complete_delayed_produces(&mut self, partition: PartitionId, ctx: &mut Ctx<'_>) {
        let me = self.id;
        let min_isr = ctx.controller.effective_min_isr(partition);
        let Some(replica) = self
            .replicas
            .get_mut(partition as usize)
            .and_then(Option::as_mut)
        else {
            return;
        };
        let hw = replica.log.high_watermark();
        let enough = replica.isr.len() >= min_isr;
        let mut i = 0;
        while i < replica.purgatory.len() {
            if replica.purgatory[i].offset < hw {
                let p = replica.purgatory.remove(i);
                let result = if enough {
                    Ok(p.offset)
                } else {
                    Err(ErrorCode::NotEnoughReplicasAfterAppend)
                };
                p.settle(me, partition, result, ctx);
            } else {
                i += 1;
            }
        }
    }

    /// The process stops. Volatile state goes; the log stays, or only its flushed part.
    pub fn crash(&mut self, mode: CrashMode, out: &mut Outbox) {
        self.alive = false;
        self.incarnation += 1;
        let me = self.node();
        for replica in self.replicas.iter_mut().flatten() {
            replica.purgatory.clear();
            replica.parked.clear();
            replica.outstanding_fetch = None;
            if mode == CrashMode::PowerLoss {
                let removed = replica.log.lose_unflushed();
                if removed > 0 {
                    out.push(Out::Trace(EventKind::Truncated {
                        broker: me,
                        partition: replica.partition,
                        log_end_offset: replica.log.log_end_offset(),
                        removed,
                        reason: TruncateReason::PowerLoss,
                    }));
                }
            }
        }
    }

    /// The process starts again; its roles come from the controller (`World` applies them).
    pub fn restart(&mut self, ctx: &mut Ctx<'_>) {
        self.alive = true;
        let inc = self.incarnation;
        ctx.timer(
            ctx.now_ms + ctx.config.os_flush_interval_ms,
            Due::Flush {
                broker: self.id,
                incarnation: inc,
            },
        );
        ctx.timer(
            ctx.now_ms + ctx.config.replica_lag_time_max_ms / 2,
            Due::IsrCheck {
                broker: self.id,
                incarnation: inc,
            },
        );
        self.schedule_retention_check(ctx);
    }

    /// `log.retention.check.interval.ms`: delete the segments past retention in every replica
    /// this broker hosts (leaders and followers alike, each by its own clock, spec §8).
    pub fn retention_check(&mut self, ctx: &mut Ctx<'_>) {
        let me = self.node();
        let retention = ctx.controller.retention;
        let compacted: Vec<bool> = ctx
            .controller
            .partitions
            .iter()
            .map(|m| m.internal)
            .collect();
        for replica in self.replicas.iter_mut().flatten() {
            if compacted.get(replica.partition as usize) == Some(&true) {
                continue; // `__consumer_offsets` is compacted, not deleted by age or size
            }
            let before = replica.log.log_start_offset();
            if let Some(start) = replica.log.delete_old_segments(ctx.now_ms, &retention) {
                ctx.trace(EventKind::SegmentsDeleted {
                    broker: me,
                    partition: replica.partition,
                    log_start_offset: start,
                    removed: (start - before) as u32,
                });
            }
        }
        self.schedule_retention_check(ctx);
    }

    fn schedule_retention_check(&self, ctx: &mut Ctx<'_>) {
        if ctx.controller.retention == super::log::Retention::default() {
            return; // Kafka's 7 days: nothing a run can reach expires
        }
        ctx.timer(
            ctx.now_ms + ctx.config.log_retention_check_interval_ms.max(1),
            Due::RetentionCheck {
                broker: self.id,
                incarnation: self.incarnation,
            },
        );
    }

    /// The OS writes dirty pages to disk.
    pub fn flush(&mut self, ctx: &mut Ctx<'_>) {
        for replica in self.replicas.iter_mut().flatten() {
            replica.log.flush();
        }
        ctx.timer(
            ctx.now_ms + ctx.config.os_flush_interval_ms.max(1),
            Due::Flush {
                broker: self.id,
                incarnation: self.incarnation,
            },
        );
    }
}

/// The leader's fresh view of its followers (`Partition.makeLeader`: ISR members count as caught
/// up now; others as never).
pub(crate) fn follower_views(replicas: &[u32], leader: u32, now_ms: Millis) -> Vec<FollowerView> {
    replicas
        .iter()
        .filter(|&&b| b != leader)
        .map(|&b| FollowerView {
            broker: b,
            log_end_offset: None,
            last_caught_up_ms: now_ms,
            last_fetch_ms: now_ms,
            last_fetch_leader_log_end_offset: 0,
        })
        .collect()
}
