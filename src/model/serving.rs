//! How a leader serves consumers: fetches below the high watermark, and `ListOffsets`.
//!
//! A consumer (read_uncommitted; there are no transactions yet, so the last stable offset equals
//! the high watermark) sees only records below the high watermark (`FetchIsolation`, spec §0): a
//! record the ISR does not all have yet is invisible, which is why an acks=1 record lost in a
//! clean failover was never read. A fetch past the log end is `OFFSET_OUT_OF_RANGE`; a fetch with
//! nothing to return waits up to `fetch.max.wait.ms` for the high watermark to move.

use super::broker::{respond, Broker, Ctx, ParkedFetch};
use super::effects::Due;
use super::network::{Envelope, Outgoing};
use super::payload::{ErrorCode, Payload, RecordSpan};
use super::replication::{span, MAX_FETCH_RECORDS};

impl Broker {
    /// A consumer's fetch.
    pub fn on_fetch(&mut self, env: &Envelope, ctx: &mut Ctx<'_>) {
        let Payload::Fetch {
            partition,
            fetch_offset,
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
        if fetch_offset > r.log.log_end_offset() {
            return error(ctx, ErrorCode::OffsetOutOfRange, hw);
        }
        if fetch_offset < hw {
            let entries = r
                .log
                .slice(fetch_offset, hw.min(fetch_offset + MAX_FETCH_RECORDS))
                .to_vec();
            let payload = Payload::FetchResponse {
                request: env.id,
                partition,
                records: span(&entries, fetch_offset),
                high_watermark: hw,
                error: None,
            };
            let mut out = Outgoing::new(me, env.from, payload);
            out.entries = entries;
            ctx.send(out);
        } else {
            r.parked.push(ParkedFetch {
                request: env.id,
                from: env.from,
                fetch_offset,
                replica: false,
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
    /// (`UnifiedLog.fetchOffsetByTimestamp`, LATEST_TIMESTAMP).
    pub fn on_list_offsets(&mut self, env: &Envelope, ctx: &mut Ctx<'_>) {
        let Payload::ListOffsets { partition } = env.payload else {
            return;
        };
        let id = self.id;
        let me = self.node();
        let (offset, error) = match self.replica(partition) {
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
