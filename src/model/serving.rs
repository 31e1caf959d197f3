//! How a leader serves consumers: fetches below the high watermark, `ListOffsets`, and
//! `OffsetsForLeaderEpoch` (KIP-320: a consumer validating its position after a leader change).
//!
//! A read_uncommitted consumer sees only records below the high watermark; a read_committed one
//! only below the last stable offset, and is told which of those belong to aborted transactions
//! (KIP-98, spec §6.4). Either way it sees only records below the high watermark (`FetchIsolation`, spec §0): a
//! record the ISR does not all have yet is invisible, which is why an acks=1 record lost in a
//! clean failover was never read. A fetch past the log end is `OFFSET_OUT_OF_RANGE`; a fetch with
//! nothing to return waits up to `fetch.max.wait.ms` for the high watermark to move.

use super::broker::{respond, Broker, Ctx, ParkedFetch};
use super::effects::Due;
use super::ids::{Offset, PartitionId};
use super::log::{LogEntry, PartitionLog};
use super::network::{Envelope, Outgoing};
use super::payload::{ErrorCode, Payload, RecordSpan};
use super::replication::{span, MAX_FETCH_RECORDS};

impl Broker {
    /// A consumer's fetch.
    pub fn on_fetch(&mut self, env: &Envelope, ctx: &mut Ctx<'_>) {
        let Payload::Fetch {
            partition,
            fetch_offset,
            read_committed,
        } = env.payload
        else {
            return;
        };
        let id = self.id;
        let me = self.node();
        let error = |ctx: &mut Ctx<'_>, e: ErrorCode, hw| {
            let payload = Payload::FetchResponse {
                request: env.id,
                partition,
                records: RecordSpan::default(),
                high_watermark: hw,
                error: Some(e),
            };
            respond(ctx, me, env.from, payload);
        };
        let Some(r) = self
            .replicas
            .get_mut(partition as usize)
            .and_then(Option::as_mut)
        else {
            return error(ctx, ErrorCode::NotLeaderOrFollower, 0);
        };
        if !r.is_leader(id) {
            return error(ctx, ErrorCode::NotLeaderOrFollower, 0);
        }
        let hw = r.log.high_watermark();
        if fetch_offset > r.log.log_end_offset() || fetch_offset < r.log.log_start_offset() {
            return error(ctx, ErrorCode::OffsetOutOfRange, hw);
        }
        let limit = if read_committed {
            r.log.last_stable_offset()
        } else {
            hw
        };
        if fetch_offset < limit {
            let entries = r
                .log
                .slice(fetch_offset, limit.min(fetch_offset + MAX_FETCH_RECORDS))
                .to_vec();
            let payload = Payload::FetchResponse {
                request: env.id,
                partition,
                records: span(&entries, fetch_offset),
                high_watermark: hw,
                error: None,
            };
            let mut out = Outgoing::new(me, env.from, payload);
            if read_committed {
                out.offsets = skipped_offsets(&r.log, partition, &entries, fetch_offset);
            }
            out.entries = entries;
            ctx.send(out);
        } else {
            r.parked.push(ParkedFetch {
                request: env.id,
                from: env.from,
                fetch_offset,
                replica: false,
                read_committed,
            });
            let wait_ms = env.aux.max(0) as u64;
            ctx.timer(
                ctx.now_ms + wait_ms,
                Due::FetchWaitExpired {
                    broker: id,
                    partition,
                    request: env.id,
                },
            );
        }
    }

    /// `ListOffsets(latest)`: the high watermark for a read_uncommitted consumer
    /// (`UnifiedLog.fetchOffsetByTimestamp`, LATEST_TIMESTAMP); `ListOffsets(earliest)`: the
    /// log start offset.
    pub fn on_list_offsets(&mut self, env: &Envelope, ctx: &mut Ctx<'_>) {
        let Payload::ListOffsets {
            partition,
            earliest,
        } = env.payload
        else {
            return;
        };
        let id = self.id;
        let me = self.node();
        let (offset, error) = match self.replica(partition) {
            Some(r) if r.is_leader(id) && earliest => (Some(r.log.log_start_offset()), None),
            Some(r) if r.is_leader(id) => (Some(r.log.high_watermark()), None),
            _ => (None, Some(ErrorCode::NotLeaderOrFollower)),
        };
        let payload = Payload::ListOffsetsResponse {
            request: env.id,
            partition,
            offset,
            error,
        };
        respond(ctx, me, env.from, payload);
    }
}

impl Broker {
    /// `OffsetsForLeaderEpoch` from a consumer (KIP-320; `Partition.lastOffsetForLeaderEpoch`):
    /// the leader checks the consumer's current leader epoch (older: `FENCED_LEADER_EPOCH`;
    /// newer than it has heard of: `UNKNOWN_LEADER_EPOCH`), then answers from its epoch history
    /// where the consumer's epoch ends. The same history a follower truncates by (spec §3.5).
    pub fn on_offsets_for_leader_epoch(&mut self, env: &Envelope, ctx: &mut Ctx<'_>) {
        let Payload::OffsetsForLeaderEpoch {
            partition,
            leader_epoch,
            current_leader_epoch,
        } = env.payload
        else {
            return;
        };
        let id = self.id;
        let me = self.node();
        let (end, error) = match self.replica(partition) {
            Some(r) if !r.is_leader(id) => (None, Some(ErrorCode::NotLeaderOrFollower)),
            Some(r) if current_leader_epoch < r.leader_epoch => {
                (None, Some(ErrorCode::FencedLeaderEpoch))
            }
            Some(r) if current_leader_epoch > r.leader_epoch => {
                (None, Some(ErrorCode::UnknownLeaderEpoch))
            }
            Some(r) => (
                r.log
                    .epoch_end_offset(leader_epoch, r.leader_epoch, r.leader_epoch_start_offset),
                None,
            ),
            None => (None, Some(ErrorCode::NotLeaderOrFollower)),
        };
        let payload = Payload::OffsetsForLeaderEpochResponse {
            request: env.id,
            partition,
            end,
            error,
        };
        respond(ctx, me, env.from, payload);
    }
}

/// The offsets of a fetched range that hold records of aborted transactions, as
/// `(partition, offset)`. SIMPLIFY: Kafka sends the aborted-transaction list (producer id, first
/// offset) and the client (`CompletedFetch`) works out which batches to skip; the model sends the
/// result. Only read_committed fetches carry it; control records are skipped by every consumer.
pub(crate) fn skipped_offsets(
    log: &PartitionLog,
    partition: PartitionId,
    entries: &[LogEntry],
    base: Offset,
) -> Vec<(PartitionId, Offset)> {
    if log.aborted_transactions().is_empty() {
        return Vec::new();
    }
    (0..entries.len() as Offset)
        .map(|i| base + i)
        .filter(|&o| log.is_aborted(o))
        .map(|o| (partition, o))
        .collect()
}
