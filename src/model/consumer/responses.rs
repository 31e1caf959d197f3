//! Fetching and positions (spec §4.1, §4.2): the fetch sent to each partition's leader, the
//! answers to every request the consumer makes (offsets, fetches, joins, commits), and where a
//! position comes from (the committed offset, `auto.offset.reset`, `OFFSET_OUT_OF_RANGE`).

use super::{AppState, Consumer, Request, SKIPPED};
use crate::model::config::OffsetReset;
use crate::model::effects::ClientCtx;
use crate::model::ids::{Offset, PartitionId};
use crate::model::network::Envelope;
use crate::model::payload::{ErrorCode, Payload};
use crate::model::trace::{EventKind, PositionSource};

impl Consumer {
    pub(super) fn maybe_fetch(&mut self, ctx: &mut ClientCtx<'_>) {
        // The partitions (below 64: all of them, `MAX_PARTITIONS`) with a fetch in flight, in
        // one pass over the requests rather than one per partition.
        let fetching = self.requests.values().fold(0u64, |bits, (r, _)| match r {
            Request::Fetch(p) if *p < 64 => bits | 1 << p,
            _ => bits,
        });
        for p in 0..self.fetch_offsets.len() as PartitionId {
            let Some(fetch_offset) = self.fetch_offsets[p as usize] else {
                continue;
            };
            if self.awaiting_validation(p, ctx) {
                continue;
            }
            let buffered = self.buffered[p as usize];
            let in_flight = if p < 64 {
                fetching & 1 << p != 0
            } else {
                self.pending(|r| r == Request::Fetch(p))
            };
            if buffered >= self.config.max_poll_records || in_flight {
                continue;
            }
            match ctx.controller.leader(p) {
                Some(leader) => {
                    let wait = self.config.fetch_max_wait_ms as i64;
                    self.request(
                        leader,
                        Payload::Fetch {
                            partition: p,
                            fetch_offset,
                            read_committed: self.config.read_committed,
                        },
                        wait,
                        Request::Fetch(p),
                        ctx,
                    );
                }
                None => self.retry_later(ctx),
            }
        }
    }

    pub(super) fn set_position(
        &mut self,
        p: PartitionId,
        offset: Offset,
        source: PositionSource,
        ctx: &mut ClientCtx<'_>,
    ) {
        self.positions[p as usize] = Some(offset);
        self.fetch_offsets[p as usize] = Some(offset);
        self.position_epochs[p as usize] = None;
        self.validating[p as usize] = None;
        self.drop_buffered(p);
        ctx.trace(EventKind::PositionSet {
            consumer: self.node(),
            partition: p,
            offset,
            source,
        });
    }

    pub(super) fn reset(&mut self, p: PartitionId, ctx: &mut ClientCtx<'_>) {
        match self.config.auto_offset_reset {
            OffsetReset::Earliest => self.set_position(p, 0, PositionSource::ResetEarliest, ctx),
            OffsetReset::Latest => match ctx.controller.leader(p) {
                Some(l) => {
                    self.positions[p as usize] = None;
                    self.fetch_offsets[p as usize] = None;
                    self.request(
                        l,
                        Payload::ListOffsets {
                            partition: p,
                            earliest: false,
                        },
                        0,
                        Request::ListOffsets(p),
                        ctx,
                    );
                }
                None => self.retry_later(ctx),
            },
            OffsetReset::None => {
                // NoOffsetForPartitionException: the application stops reading this partition.
                self.positions[p as usize] = None;
                self.fetch_offsets[p as usize] = None;
            }
        }
    }

    /// Every answer a consumer gets.
    pub fn on_response(&mut self, env: &Envelope, ctx: &mut ClientCtx<'_>) {
        let Some(request) = env.payload.request() else {
            return;
        };
        let Some((kind, _)) = self.requests.remove(&request) else {
            return;
        };
        match (&env.payload, kind) {
            (Payload::OffsetFetchResponse { error, .. }, Request::OffsetFetch) => {
                if error.is_some() {
                    self.retry_later(ctx);
                    return;
                }
                for p in 0..self.positions.len() as PartitionId {
                    let wanted = std::mem::take(&mut self.want_committed[p as usize]);
                    if !wanted || !self.owned[p as usize] {
                        continue;
                    }
                    match env.offsets.iter().find(|(q, _)| *q == p) {
                        Some(&(_, o)) => self.set_position(p, o, PositionSource::Committed, ctx),
                        None => self.reset(p, ctx),
                    }
                }
                if self.state == AppState::Starting {
                    self.state = AppState::Polling;
                    self.schedule_poll(ctx.now_ms, ctx);
                }
            }
            (
                Payload::ListOffsetsResponse {
                    partition, offset, ..
                },
                Request::ListOffsets(_),
            ) => match offset {
                Some(o) => self.set_position(*partition, *o, PositionSource::ResetLatest, ctx),
                None => self.retry_reset(*partition, ctx),
            },
            (
                Payload::ListOffsetsResponse {
                    partition, offset, ..
                },
                Request::ListEarliest(_),
            ) => match offset {
                Some(o) => self.set_position(*partition, *o, PositionSource::ResetEarliest, ctx),
                None => self.out_of_range(*partition, ctx),
            },
            (
                Payload::FetchResponse {
                    partition, error, ..
                },
                Request::Fetch(_),
            ) => {
                let p = *partition;
                match error {
                    Some(ErrorCode::OffsetOutOfRange) => self.out_of_range(p, ctx),
                    Some(_) => self.retry_later(ctx),
                    None => {
                        let base = match env.payload {
                            Payload::FetchResponse { records, .. } => records.base_offset,
                            _ => 0,
                        };
                        if self.fetch_offsets[p as usize] == Some(base) {
                            for (i, e) in env.entries.iter().enumerate() {
                                let o = base + i as Offset;
                                // Control records, and for read_committed the records of aborted
                                // transactions, are never returned: poll() steps over them.
                                let skip = crate::model::log::is_marker(e.record)
                                    || env.offsets.contains(&(p, o));
                                self.buffered[p as usize] += 1;
                                self.buffer.push_back((
                                    p,
                                    o,
                                    if skip { SKIPPED } else { e.record },
                                    e.leader_epoch,
                                ));
                            }
                            self.fetch_offsets[p as usize] =
                                Some(base + env.entries.len() as Offset);
                        }
                        if !env.entries.is_empty() && self.state == AppState::Polling {
                            self.schedule_poll(ctx.now_ms, ctx);
                        }
                    }
                }
            }
            (
                Payload::OffsetCommitResponse {
                    error: Some(ErrorCode::IllegalGeneration | ErrorCode::UnknownMemberId),
                    ..
                },
                Request::Commit { sync: true },
            ) => {
                // CommitFailedException: the application gives up this commit and polls again,
                // which rejoins the group (S17); its generation is reset, so its partitions are
                // lost, whatever the protocol.
                self.rejoin_needed = true;
                self.lost = true;
                if let AppState::Committing(batch) = &mut self.state {
                    batch.clear();
                }
                self.after_commit(ctx);
            }
            (Payload::OffsetCommitResponse { error, .. }, Request::Commit { sync: true }) => {
                if error.is_some() {
                    self.retry_later(ctx);
                } else {
                    self.after_commit(ctx);
                }
            }
            (
                Payload::OffsetsForLeaderEpochResponse {
                    partition,
                    end,
                    error,
                    ..
                },
                Request::Validate(_),
            ) => self.on_validation(*partition, env.from, *end, *error, ctx),
            (Payload::JoinGroupResponse { .. }, Request::Join)
            | (Payload::SyncGroupResponse { .. }, Request::Sync)
            | (Payload::HeartbeatResponse { .. }, Request::Heartbeat(_)) => {
                self.on_group_response(env, kind, ctx)
            }
            _ => {}
        }
        self.maybe_fetch(ctx);
    }

    /// `OFFSET_OUT_OF_RANGE`: the position is past the log end (after a truncation) or before
    /// the log start (retention deleted it, spec §8 S25): `auto.offset.reset` again, asking the
    /// leader for its log start offset when that is `earliest`.
    pub(super) fn out_of_range(&mut self, p: PartitionId, ctx: &mut ClientCtx<'_>) {
        // Without retention the log starts at 0: the plain reset is the same, one trip shorter.
        if self.config.auto_offset_reset != OffsetReset::Earliest
            || ctx.controller.retention == crate::model::log::Retention::default()
        {
            return self.reset(p, ctx);
        }
        self.positions[p as usize] = None;
        self.fetch_offsets[p as usize] = None;
        self.drop_buffered(p);
        match ctx.controller.leader(p) {
            Some(l) => {
                self.request(
                    l,
                    Payload::ListOffsets {
                        partition: p,
                        earliest: true,
                    },
                    0,
                    Request::ListEarliest(p),
                    ctx,
                );
            }
            // No leader now: start at 0; the next leader's answer corrects it.
            None => self.reset(p, ctx),
        }
    }

    pub(super) fn retry_reset(&mut self, p: PartitionId, ctx: &mut ClientCtx<'_>) {
        self.reset(p, ctx);
    }
}
