//! Replication: leaders and followers, the follower fetch loop, the ISR and the high watermark
//! (spec §3.3–§3.5; `Partition.scala`, `Replica.scala`, `AbstractFetcherThread.scala`).
//!
//! A follower fetches from its leader with its log end offset and the epoch of its last record.
//! The leader first checks the epoch history (KIP-101/KIP-279): if the follower's log diverges it
//! answers with the end offset of the largest common epoch and the follower truncates. Otherwise
//! the leader learns the follower's log end offset from the fetch offset (so it learns of a copy
//! one round trip late), updates its caught-up time, maybe adds it to the ISR, maybe advances the
//! high watermark (the minimum log end offset over the ISR, and not at all while the ISR is below
//! `min.insync.replicas`, KAFKA-15583), and returns what the follower lacks — or holds the fetch
//! for `replica.fetch.wait.max.ms` if there is nothing new. ISR membership is time-based: a
//! follower not caught up for `replica.lag.time.max.ms` is dropped.

use super::broker::{follower_views, Broker, Ctx, ParkedFetch};
use super::effects::Due;
use super::ids::{MessageId, NodeId, Offset, PartitionId};
use super::network::{Envelope, Outgoing};
use super::payload::{ErrorCode, Payload, RecordSpan};
use super::trace::{EventKind, Invariant, TruncateReason};

/// The most records one fetch response carries (stands for `fetch.max.bytes`).
pub const MAX_FETCH_RECORDS: u64 = 500;

pub(crate) fn span(entries: &[super::log::LogEntry], base_offset: Offset) -> RecordSpan {
    RecordSpan {
        base_offset,
        count: entries.len() as u32,
        first_record: entries.first().map_or(0, |e| e.record),
        last_record: entries.last().map_or(0, |e| e.record),
    }
}

impl Broker {
    /// The controller made this broker the partition's leader (`Partition.makeLeader`).
    pub fn become_leader(
        &mut self,
        partition: PartitionId,
        leader_epoch: u32,
        isr: &[u32],
        replicas: &[u32],
        ctx: &mut Ctx<'_>,
    ) {
        let id = self.id;
        let Some(r) = self
            .replicas
            .get_mut(partition as usize)
            .and_then(Option::as_mut)
        else {
            return;
        };
        r.leader = Some(id);
        r.leader_epoch = leader_epoch;
        r.isr = isr.to_vec();
        r.leader_epoch_start_offset = r.log.log_end_offset();
        r.followers = follower_views(replicas, id, ctx.now_ms);
        for f in &mut r.followers {
            if !isr.contains(&f.broker) {
                f.last_caught_up_ms = 0;
            }
        }
        r.outstanding_fetch = None;
        r.fetch_session += 1;
        self.maybe_advance_high_watermark(partition, ctx);
    }

    /// The controller made another broker the leader (`Partition.makeFollower`): waiting produce
    /// requests fail with `NOT_LEADER_OR_FOLLOWER`, and the fetch loop restarts toward the leader.
    pub fn become_follower(
        &mut self,
        partition: PartitionId,
        leader: Option<u32>,
        leader_epoch: u32,
        isr: &[u32],
        ctx: &mut Ctx<'_>,
    ) {
        let id = self.id;
        let Some(r) = self
            .replicas
            .get_mut(partition as usize)
            .and_then(Option::as_mut)
        else {
            return;
        };
        let was_leader = r.is_leader(id);
        r.leader = leader;
        r.leader_epoch = leader_epoch;
        r.isr = isr.to_vec();
        if was_leader {
            for p in std::mem::take(&mut r.purgatory) {
                p.settle(id, partition, Err(ErrorCode::NotLeaderOrFollower), ctx);
            }
            r.parked.clear();
        }
        r.fetch_session += 1;
        r.outstanding_fetch = None;
        if leader.is_some() {
            let session = r.fetch_session;
            ctx.timer(
                ctx.now_ms,
                Due::FollowerFetch {
                    broker: id,
                    partition,
                    session,
                },
            );
        }
    }

    /// The follower sends its next fetch to the leader it knows.
    pub fn follower_fetch(&mut self, partition: PartitionId, session: u32, ctx: &mut Ctx<'_>) {
        let id = self.id;
        let me = self.node();
        let Some(r) = self
            .replicas
            .get_mut(partition as usize)
            .and_then(Option::as_mut)
        else {
            return;
        };
        if r.fetch_session != session || r.outstanding_fetch.is_some() || r.is_leader(id) {
            return;
        }
        let Some(leader) = r.leader else { return };
        let payload = Payload::ReplicaFetch {
            partition,
            fetch_offset: r.log.log_end_offset(),
            last_fetched_epoch: r.log.last_epoch(),
        };
        let mut out = Outgoing::new(me, NodeId::Broker(leader), payload);
        out.aux = i64::from(r.leader_epoch);
        let request = ctx.send(out);
        r.outstanding_fetch = Some(request);
        let at_ms = ctx.now_ms + ctx.config.replica_socket_timeout_ms;
        ctx.timer(
            at_ms,
            Due::FollowerFetchTimeout {
                broker: id,
                partition,
                request,
            },
        );
    }

    /// Leader side: a follower's fetch.
    pub fn on_replica_fetch(&mut self, env: &Envelope, ctx: &mut Ctx<'_>) {
        let Payload::ReplicaFetch {
            partition,
            fetch_offset,
            last_fetched_epoch,
        } = env.payload
        else {
            return;
        };
        let id = self.id;
        let me = self.node();
        let Some(follower) = env.from.broker() else {
            return;
        };
        let Some(r) = self
            .replicas
            .get_mut(partition as usize)
            .and_then(Option::as_mut)
        else {
            return;
        };
        let reply = |ctx: &mut Ctx<'_>,
                     records,
                     hw,
                     diverging: Option<(i32, Offset)>,
                     error,
                     entries: Vec<_>| {
            let payload = Payload::ReplicaFetchResponse {
                request: env.id,
                partition,
                records,
                high_watermark: hw,
                diverging_end_offset: diverging.map(|d| d.1),
                error,
            };
            let mut out = Outgoing::new(me, env.from, payload);
            out.entries = entries;
            out.aux = diverging.map_or(-1, |d| i64::from(d.0));
            ctx.send(out);
        };
        if !r.is_leader(id) || env.aux != i64::from(r.leader_epoch) {
            let e = if r.is_leader(id) {
                ErrorCode::FencedLeaderEpoch
            } else {
                ErrorCode::NotLeaderOrFollower
            };
            return reply(ctx, RecordSpan::default(), 0, None, Some(e), Vec::new());
        }
        let leo = r.log.log_end_offset();
        let hw = r.log.high_watermark();
        if last_fetched_epoch >= 0 || fetch_offset > leo {
            let (epoch, end) = r.log.end_offset_for_epoch(last_fetched_epoch);
            if epoch != last_fetched_epoch || end < fetch_offset {
                return reply(
                    ctx,
                    RecordSpan::default(),
                    hw,
                    Some((epoch, end.min(leo))),
                    None,
                    Vec::new(),
                );
            }
        }
        // Replica.updateFetchState: the follower's log end offset and caught-up time.
        let now = ctx.now_ms;
        if let Some(f) = r.followers.iter_mut().find(|f| f.broker == follower) {
            if fetch_offset >= leo {
                f.last_caught_up_ms = now;
            } else if fetch_offset >= f.last_fetch_leader_log_end_offset {
                f.last_caught_up_ms = f.last_fetch_ms;
            }
            f.last_fetch_leader_log_end_offset = leo;
            f.last_fetch_ms = now;
            f.log_end_offset = Some(fetch_offset);
        }
        // maybeExpandIsr: caught up to the HW and to this leader's first offset.
        if !r.isr.contains(&follower)
            && fetch_offset >= hw
            && fetch_offset >= r.leader_epoch_start_offset
            && ctx.controller_reachable
        {
            let mut isr = r.isr.clone();
            isr.push(follower);
            isr.sort_unstable();
            if ctx
                .controller
                .alter_isr(partition, id, r.leader_epoch, isr.clone(), ctx.out)
            {
                r.isr = isr;
            }
        }
        self.maybe_advance_high_watermark(partition, ctx);
        let Some(r) = self
            .replicas
            .get_mut(partition as usize)
            .and_then(Option::as_mut)
        else {
            return;
        };
        if fetch_offset < leo {
            let entries = r
                .log
                .slice(fetch_offset, leo.min(fetch_offset + MAX_FETCH_RECORDS))
                .to_vec();
            let records = span(&entries, fetch_offset);
            reply(ctx, records, r.log.high_watermark(), None, None, entries);
        } else {
            r.parked.push(ParkedFetch {
                request: env.id,
                from: env.from,
                fetch_offset,
                replica: true,
                read_committed: false,
            });
            ctx.timer(
                now + ctx.config.replica_fetch_wait_max_ms,
                Due::FetchWaitExpired {
                    broker: id,
                    partition,
                    request: env.id,
                },
            );
        }
    }

    /// Follower side: the leader's answer.
    pub fn on_replica_fetch_response(&mut self, env: &mut Envelope, ctx: &mut Ctx<'_>) {
        let Payload::ReplicaFetchResponse {
            request,
            partition,
            high_watermark,
            diverging_end_offset,
            error,
            ..
        } = env.payload
        else {
            return;
        };
        let id = self.id;
        let me = self.node();
        let Some(r) = self
            .replicas
            .get_mut(partition as usize)
            .and_then(Option::as_mut)
        else {
            return;
        };
        if r.outstanding_fetch != Some(request) {
            return; // an answer to a fetch this follower gave up on, or from an old leader
        }
        r.outstanding_fetch = None;
        let session = r.fetch_session;
        let mut next_ms = ctx.now_ms;
        if error.is_some() {
            next_ms += ctx.config.replica_fetch_backoff_ms;
        } else if let Some(end) = diverging_end_offset {
            let (_, mine) = r.log.end_offset_for_epoch(env.aux as i32);
            let target = end.min(mine);
            let removed = r.log.truncate_to(target);
            if removed > 0 {
                ctx.trace(EventKind::Truncated {
                    broker: me,
                    partition,
                    log_end_offset: target,
                    removed,
                    reason: TruncateReason::LeaderEpoch,
                });
            }
        } else {
            let base = match env.entries.first() {
                Some(_) => match env.payload {
                    Payload::ReplicaFetchResponse { records, .. } => records.base_offset,
                    _ => 0,
                },
                None => r.log.log_end_offset(),
            };
            if base == r.log.log_end_offset() {
                for e in std::mem::take(&mut env.entries) {
                    let offset = r.log.append(e);
                    r.log.stamp(offset, ctx.now_ms, &ctx.controller.retention);
                    ctx.trace(EventKind::Replicated {
                        broker: me,
                        partition,
                        offset,
                        record: e.record,
                    });
                }
            }
            let hw = high_watermark.min(r.log.log_end_offset());
            if hw > r.log.high_watermark() {
                r.log.set_high_watermark(hw);
                ctx.trace(EventKind::HighWatermark {
                    broker: me,
                    partition,
                    high_watermark: hw,
                });
            }
        }
        ctx.timer(
            next_ms,
            Due::FollowerFetch {
                broker: id,
                partition,
                session,
            },
        );
    }

    /// A follower's fetch got no answer (or its connection broke): try again after a backoff.
    pub fn follower_fetch_failed(
        &mut self,
        partition: PartitionId,
        request: Option<MessageId>,
        ctx: &mut Ctx<'_>,
    ) {
        let id = self.id;
        let Some(r) = self
            .replicas
            .get_mut(partition as usize)
            .and_then(Option::as_mut)
        else {
            return;
        };
        if r.outstanding_fetch.is_none() || (request.is_some() && r.outstanding_fetch != request) {
            return;
        }
        r.outstanding_fetch = None;
        let session = r.fetch_session;
        ctx.timer(
            ctx.now_ms + ctx.config.replica_fetch_backoff_ms,
            Due::FollowerFetch {
                broker: id,
                partition,
                session,
            },
        );
    }

    /// New data on the leader: held follower fetches can be answered.
    pub fn after_leader_append(&mut self, partition: PartitionId, ctx: &mut Ctx<'_>) {
        self.maybe_advance_high_watermark(partition, ctx);
        self.answer_parked(partition, true, ctx);
    }

    /// `maybeIncrementLeaderHW`: the minimum log end offset over the ISR, never backwards, and
    /// not while the ISR is smaller than `min(min.insync.replicas, RF)` (Kafka 3.7+).
    pub fn maybe_advance_high_watermark(&mut self, partition: PartitionId, ctx: &mut Ctx<'_>) {
        let id = self.id;
        let me = self.node();
        let min_isr = ctx.controller.effective_min_isr(partition);
        let Some(r) = self
            .replicas
            .get_mut(partition as usize)
            .and_then(Option::as_mut)
        else {
            return;
        };
        if !r.is_leader(id) || r.isr.len() < min_isr {
            return;
        }
        let mut hw = r.log.log_end_offset();
        for f in &r.followers {
            if r.isr.contains(&f.broker) {
                hw = hw.min(f.log_end_offset.unwrap_or(0));
            }
        }
        if hw <= r.log.high_watermark() {
            return;
        }
        r.log.set_high_watermark(hw);
        if r.log.high_watermark() > r.log.log_end_offset() {
            ctx.trace(EventKind::InvariantViolated {
                invariant: Invariant::HighWatermarkAboveLogEnd,
                node: me,
                partition,
            });
        }
        ctx.trace(EventKind::HighWatermark {
            broker: me,
            partition,
            high_watermark: hw,
        });
        self.complete_delayed_produces(partition, ctx);
        self.trace_last_stable_offset(partition, ctx);
        self.answer_parked(partition, false, ctx);
    }

    /// Answers held fetches that now have something to return.
    fn answer_parked(&mut self, partition: PartitionId, replicas: bool, ctx: &mut Ctx<'_>) {
        let Some(r) = self.replica(partition) else {
            return;
        };
        // Answered in the order they were parked. Answering one removes it and changes neither
        // the log nor the others, so the next ready one is the first ready one left.
        let ready = |r: &super::broker::Replica, from: usize| -> Option<(usize, MessageId)> {
            r.parked[from..]
                .iter()
                .position(|p| p.replica == replicas && p.fetch_offset < p.limit(&r.log))
                .map(|i| (from + i, r.parked[from + i].request))
        };
        let Some((mut at, mut request)) = ready(r, 0) else {
            return;
        };
        loop {
            self.fetch_wait_expired(partition, request, ctx);
            let Some(r) = self.replica(partition) else {
                return;
            };
            match ready(r, at) {
                Some(next) => (at, request) = next,
                None => return,
            }
        }
    }

    /// A held fetch is answered: with whatever there is now (maybe nothing).
    pub fn fetch_wait_expired(
        &mut self,
        partition: PartitionId,
        request: MessageId,
        ctx: &mut Ctx<'_>,
    ) {
        let me = self.node();
        let Some(r) = self
            .replicas
            .get_mut(partition as usize)
            .and_then(Option::as_mut)
        else {
            return;
        };
        let Some(i) = r.parked.iter().position(|p| p.request == request) else {
            return;
        };
        let p = r.parked.remove(i);
        let hw = r.log.high_watermark();
        let limit = p.limit(&r.log);
        let entries = r
            .log
            .slice(
                p.fetch_offset,
                limit.min(p.fetch_offset + MAX_FETCH_RECORDS),
            )
            .to_vec();
        let records = span(&entries, p.fetch_offset);
        let payload = if p.replica {
            Payload::ReplicaFetchResponse {
                request,
                partition,
                records,
                high_watermark: hw,
                diverging_end_offset: None,
                error: None,
            }
        } else {
            Payload::FetchResponse {
                request,
                partition,
                records,
                high_watermark: hw,
                error: None,
            }
        };
        let mut out = Outgoing::new(me, p.from, payload);
        if p.read_committed {
            out.offsets =
                super::serving::skipped_offsets(&r.log, partition, &entries, p.fetch_offset);
        }
        out.entries = entries;
        out.aux = -1;
        ctx.send(out);
    }

    /// `maybeShrinkIsr`, run every `replica.lag.time.max.ms / 2`: followers not caught up for
    /// `replica.lag.time.max.ms` leave the ISR (then the HW may advance without them).
    pub fn isr_check(&mut self, ctx: &mut Ctx<'_>) {
        let id = self.id;
        let lag = ctx.config.replica_lag_time_max_ms;
        for p in 0..self.replicas.len() as PartitionId {
            let Some(r) = self.replicas.get_mut(p as usize).and_then(Option::as_mut) else {
                continue;
            };
            if !r.is_leader(id) || !ctx.controller_reachable {
                continue;
            }
            let now = ctx.now_ms;
            let out_of_sync: Vec<u32> = r
                .followers
                .iter()
                .filter(|f| {
                    r.isr.contains(&f.broker) && now.saturating_sub(f.last_caught_up_ms) > lag
                })
                .map(|f| f.broker)
                .collect();
            if out_of_sync.is_empty() {
                continue;
            }
            let isr: Vec<u32> = r
                .isr
                .iter()
                .copied()
                .filter(|b| !out_of_sync.contains(b))
                .collect();
            if ctx
                .controller
                .alter_isr(p, id, r.leader_epoch, isr.clone(), ctx.out)
            {
                r.isr = isr;
                self.maybe_advance_high_watermark(p, ctx);
            }
        }
        ctx.timer(
            ctx.now_ms + (lag / 2).max(1),
            Due::IsrCheck {
                broker: id,
                incarnation: self.incarnation,
            },
        );
    }
}
