//! The consumer client and the application loop around it (spec §4), one consumer per group
//! for now (groups and rebalances come later; the committed offsets already live in a per-group
//! store on the coordinator).
//!
//! Volatile: `position` (the next offset `poll()` returns), the fetch buffer, records being
//! processed. Durable (on the coordinator): the committed offset. `poll()` follows
//! `ConsumerCoordinator.poll` then `Fetcher`: first the auto-commit if
//! `auto.commit.interval.ms` has passed — committing the current positions, so the commit inside
//! poll N covers the records of polls 1..N-1 (spec §4.3) — then up to `max.poll.records` buffered
//! records. The application commits before processing (at-most-once), after processing
//! (at-least-once), or not at all (auto-commit); it processes in the polling thread or hands
//! records to a worker and polls again at once (where auto-commit loses records, S15).
//! `close()` auto-commits the positions. A restart resumes from the committed offset, or from
//! `auto.offset.reset`. After a leader change the position is validated against the new
//! leader's log before fetching again (KIP-320, `consumer/validation.rs`).
//!
//! Here: the client's state and its requests. The application loop is in `consumer/app_loop.rs`,
//! fetching and the answers to requests in `consumer/responses.rs`, group membership in
//! `consumer/membership.rs`.

use super::config::EffectiveConsumerConfig;
use super::effects::{ClientCtx, Due};
use super::ids::{MessageId, NodeId, Offset, PartitionId, RecordId};
use super::keyed::SmallMap;
use super::network::Outgoing;
use super::payload::Payload;
use super::scenario::ConsumerApp;
use super::time::Millis;
use std::collections::VecDeque;

mod app_loop;
mod membership;
mod pipeline;
mod responses;
mod validation;

/// The consumer's `request.timeout.ms` (default 30000).
pub const CONSUMER_REQUEST_TIMEOUT_MS: Millis = 30_000;
/// The consumer's `retry.backoff.ms` (default 100).
pub const CONSUMER_RETRY_BACKOFF_MS: Millis = 100;

/// A record handed to the application: (partition, offset, record).
pub type Delivered = (PartitionId, Offset, RecordId);

/// A fetched record waiting in the buffer: (partition, offset, record, the leader epoch it was
/// written in).
type Buffered = (PartitionId, Offset, RecordId, u32);

/// In the fetch buffer, an offset `poll()` steps over without returning it (a transaction
/// marker, or an aborted record for read_committed). Real record ids start at 1.
const SKIPPED: RecordId = 0;

/// What the application thread is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppState {
    /// Waiting for its committed offsets (`OffsetFetch`).
    Starting,
    /// In `poll()`, waiting for records.
    Polling,
    /// Processing the records of the last poll, in order.
    Processing(VecDeque<Delivered>),
    /// In `commitSync()`; then processes these records (commit before processing), or polls.
    Committing(VecDeque<Delivered>),
    /// After `close()` or before start.
    Stopped,
    /// In `poll()`, (re)joining the group: JoinGroup, then SyncGroup (spec §5.1).
    Joining,
    /// Consume-transform-produce: in `sendOffsetsToTransaction()` + `commitTransaction()` for
    /// the records of the last poll (spec §6.5).
    Transacting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Request {
    OffsetFetch,
    ListOffsets(PartitionId),
    /// `ListOffsets(earliest)` after `OFFSET_OUT_OF_RANGE` below the log start (retention).
    ListEarliest(PartitionId),
    Fetch(PartitionId),
    /// `OffsetsForLeaderEpoch` validating the position after a leader change (KIP-320).
    Validate(PartitionId),
    Commit {
        sync: bool,
    },
    Join,
    Sync,
    /// A heartbeat sent in this generation.
    Heartbeat(i32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consumer {
    pub id: u32,
    pub config: EffectiveConsumerConfig,
    pub app: ConsumerApp,
    pub alive: bool,
    pub closed: bool,
    pub incarnation: u32,
    pub state: AppState,
    /// The next offset `poll()` returns, per partition (None until known).
    pub positions: Vec<Option<Offset>>,
    /// The next offset to fetch (ahead of the position by what is buffered).
    fetch_offsets: Vec<Option<Offset>>,
    /// The leader epoch of the last record `poll()` returned, per partition: the position's
    /// epoch (KIP-320 `offsetEpoch`); None after a seek to a committed offset or a reset.
    position_epochs: Vec<Option<u32>>,
    /// The leader epoch the position was last checked against (`currentLeader`): a newer one in
    /// the metadata is a leader change.
    leader_epochs: Vec<Option<u32>>,
    /// Awaiting validation after a leader change: the position and its epoch being checked.
    validating: Vec<Option<(Offset, u32)>>,
    buffer: VecDeque<Buffered>,
    /// How many entries of `buffer` each partition has (kept with it; read on every fetch).
    buffered: Vec<u32>,
    /// Records handed to the worker thread, not yet processed.
    pub worker: VecDeque<Delivered>,
    worker_busy: bool,
    requests: SmallMap<MessageId, (Request, u32)>,
    pub polls: u32,
    retry_pending: bool,
    next_auto_commit_ms: Millis,
    poll_token: u32,
    /// The group generation this member was last given (-1: none, or not subscribed).
    pub generation: i32,
    /// Partitions this consumer owns: all of them after `assign()`, the assignment after
    /// `subscribe()`.
    pub owned: Vec<bool>,
    /// The heartbeat thread learnt of a rebalance (or of its own eviction): rejoin in `poll()`.
    rejoin_needed: bool,
    /// Cooperative protocol (KIP-429): a JoinGroup/SyncGroup is under way while the
    /// application goes on polling the partitions it owns.
    background_join: bool,
    /// Cooperative protocol: the SyncGroup answer (the whole new assignment), applied in the
    /// application's next `poll()`, where Kafka runs the rebalance callbacks.
    pending_assignment: Option<Vec<PartitionId>>,
    /// Partitions whose committed offset it still has to fetch (`OffsetFetch`): newly owned.
    want_committed: Vec<bool>,
    /// Its generation is no longer valid (a commit was refused): the next rejoin gives up every
    /// partition as lost, whatever the protocol.
    lost: bool,
    /// The heartbeat thread left the group (`max.poll.interval.ms`): no more heartbeats.
    left_group: bool,
    /// The partitions of the topic it reads (global numbers).
    pub topic: std::ops::Range<PartitionId>,
    /// Consume-transform-produce: the number of the current poll's transaction.
    pipe_round: u32,
}

impl Consumer {
    /// Nothing left to do until new records or a command: polling with nothing buffered or being
    /// processed, no request but fetches and heartbeats in flight, no rejoin under way, and on
    /// each partition it owns read up to the high watermark with that offset committed
    /// (`committed(p)`), its position checked against the current leader epoch (KIP-320; `end(p)`
    /// is the high watermark and the leader epoch). A closed consumer is idle (`settle.rs`).
    pub(crate) fn is_idle(
        &self,
        end: impl Fn(PartitionId) -> (Offset, u32),
        committed: impl Fn(PartitionId) -> Option<Offset>,
    ) -> bool {
        if !self.alive {
            return false;
        }
        if self.closed {
            return true;
        }
        self.state == AppState::Polling
            && self.buffer.is_empty()
            && self.worker.is_empty()
            && !self.worker_busy
            && !self.retry_pending
            && !self.rejoin_needed
            && !self.background_join
            && self.pending_assignment.is_none()
            && !self.lost
            && self
                .requests
                .values()
                .all(|(r, _)| matches!(r, Request::Fetch(_) | Request::Heartbeat(_)))
            && (0..self.owned.len() as PartitionId).all(|p| {
                let i = p as usize;
                !self.owned[i] || {
                    let (high_watermark, epoch) = end(p);
                    let at = self.positions[i];
                    let checked = self.validating[i].is_none()
                        && (self.position_epochs[i].is_none()
                            || self.leader_epochs[i] == Some(epoch));
                    at == Some(high_watermark) && committed(p) == at && checked
                }
            })
    }

    pub fn new(
        id: u32,
        config: EffectiveConsumerConfig,
        app: ConsumerApp,
        partitions: u32,
    ) -> Self {
        Self {
            id,
            config,
            alive: true,
            closed: false,
            incarnation: 0,
            state: AppState::Stopped,
            positions: vec![None; partitions as usize],
            fetch_offsets: vec![None; partitions as usize],
            position_epochs: vec![None; partitions as usize],
            leader_epochs: vec![None; partitions as usize],
            validating: vec![None; partitions as usize],
            buffer: VecDeque::new(),
            buffered: vec![0; partitions as usize],
            worker: VecDeque::new(),
            worker_busy: false,
            requests: SmallMap::new(),
            polls: 0,
            retry_pending: false,
            next_auto_commit_ms: 0,
            poll_token: 0,
            generation: -1,
            owned: vec![!app.subscribe; partitions as usize],
            app,
            rejoin_needed: false,
            background_join: false,
            pending_assignment: None,
            want_committed: vec![false; partitions as usize],
            lost: false,
            left_group: false,
            topic: 0..partitions,
            pipe_round: 0,
        }
    }

    /// Forgets the buffered records of partition `p`.
    fn drop_buffered(&mut self, p: PartitionId) {
        if self.buffered[p as usize] > 0 {
            self.buffer.retain(|d| d.0 != p);
            self.buffered[p as usize] = 0;
        }
    }

    fn clear_buffer(&mut self) {
        self.buffer.clear();
        self.buffered.iter_mut().for_each(|b| *b = 0);
    }

    /// Reads only the partitions of this topic (global numbers).
    pub fn set_topic(&mut self, topic: std::ops::Range<PartitionId>) {
        for (p, owned) in self.owned.iter_mut().enumerate() {
            *owned = !self.app.subscribe && topic.contains(&(p as PartitionId));
        }
        self.topic = topic;
    }

    pub fn node(&self) -> NodeId {
        NodeId::Consumer(self.id)
    }

    fn request(
        &mut self,
        to: u32,
        payload: Payload,
        aux: i64,
        kind: Request,
        ctx: &mut ClientCtx<'_>,
    ) -> MessageId {
        let mut out = Outgoing::new(self.node(), NodeId::Broker(to), payload);
        out.aux = aux;
        self.send_request(out, kind, to, ctx)
    }

    fn send_request(
        &mut self,
        out: Outgoing,
        kind: Request,
        to: u32,
        ctx: &mut ClientCtx<'_>,
    ) -> MessageId {
        let id = ctx.send(out);
        self.requests.insert(id, (kind, to));
        let at = ctx.now_ms + CONSUMER_REQUEST_TIMEOUT_MS;
        ctx.timer(
            at,
            Due::ConsumerRequestTimeout {
                consumer: self.id,
                incarnation: self.incarnation,
                request: id,
            },
        );
        id
    }

    /// Schedules one retry (at most one is pending at a time).
    fn retry_later(&mut self, ctx: &mut ClientCtx<'_>) {
        if self.retry_pending {
            return;
        }
        self.retry_pending = true;
        ctx.timer(
            ctx.now_ms + CONSUMER_RETRY_BACKOFF_MS,
            Due::ConsumerRetry {
                consumer: self.id,
                incarnation: self.incarnation,
            },
        );
    }

    fn pending(&self, f: impl Fn(Request) -> bool) -> bool {
        self.requests.values().any(|(r, _)| f(*r))
    }

    /// Starts (or restarts): ask the coordinator for the group's committed offsets.
    pub fn start(&mut self, ctx: &mut ClientCtx<'_>) {
        self.state = AppState::Starting;
        self.want_committed.clone_from(&self.owned);
        self.next_auto_commit_ms = ctx.now_ms + self.config.auto_commit_interval_ms;
        if self.app.subscribe {
            self.state = AppState::Joining;
            ctx.timer(
                ctx.now_ms + self.config.heartbeat_interval_ms,
                Due::Heartbeat {
                    consumer: self.id,
                    incarnation: self.incarnation,
                },
            );
        }
        self.redrive(ctx);
    }

    /// The retry timer fired.
    pub fn retry_fired(&mut self, ctx: &mut ClientCtx<'_>) {
        self.retry_pending = false;
        self.redrive(ctx);
    }

    /// Re-sends whatever the consumer is waiting for and has no request out for.
    pub fn redrive(&mut self, ctx: &mut ClientCtx<'_>) {
        if !self.alive || self.closed {
            return;
        }
        match &self.state {
            AppState::Committing(_) if !self.pending(|r| r == Request::Commit { sync: true }) => {
                self.send_commit(true, ctx)
            }
            AppState::Joining => self.send_join(ctx),
            _ => {}
        }
        if self.background_join {
            self.send_join(ctx);
        }
        // Starting, or (cooperative protocol) newly assigned partitions that start from the
        // committed offsets while the others go on.
        if (self.state == AppState::Starting || self.want_committed.contains(&true))
            && !self.pending(|r| r == Request::OffsetFetch)
        {
            match (ctx.coordinator_of)(&self.config.group_id) {
                Some(b) => {
                    self.request(b, Payload::OffsetFetch, 0, Request::OffsetFetch, ctx);
                }
                None => self.retry_later(ctx),
            }
        }
        self.maybe_fetch(ctx);
    }

    /// JoinGroup, unless a JoinGroup or SyncGroup is already out.
    fn send_join(&mut self, ctx: &mut ClientCtx<'_>) {
        if self.pending(|r| r == Request::Join || r == Request::Sync) {
            return;
        }
        match (ctx.coordinator_of)(&self.config.group_id) {
            Some(b) => {
                let generation = self.generation;
                self.request(
                    b,
                    Payload::JoinGroup { generation },
                    i64::from(self.incarnation),
                    Request::Join,
                    ctx,
                );
            }
            None => self.retry_later(ctx),
        }
    }

    fn send_commit(&mut self, sync: bool, ctx: &mut ClientCtx<'_>) {
        let offsets: Vec<(PartitionId, Offset)> = self
            .positions
            .iter()
            .enumerate()
            // A position awaiting validation is not a valid one (`allConsumed`).
            .filter(|&(p, _)| self.validating[p].is_none())
            .filter_map(|(p, o)| o.map(|o| (p as PartitionId, o)))
            .collect();
        let Some(&(partition, offset)) = offsets.first() else {
            if sync {
                self.after_commit(ctx);
            }
            return;
        };
        let Some(b) = (ctx.coordinator_of)(&self.config.group_id) else {
            if sync {
                self.retry_later(ctx);
            }
            return;
        };
        let payload = Payload::OffsetCommit {
            partition,
            offset,
            partitions: offsets.len() as u32,
        };
        let mut out = Outgoing::new(self.node(), NodeId::Broker(b), payload);
        out.offsets = offsets;
        // The generation the commit is made in (spec §5.5); -1 outside group management.
        out.aux = i64::from(self.generation);
        self.send_request(out, Request::Commit { sync }, b, ctx);
    }

    /// A request failed (timeout or broken connection): try again after a backoff.
    pub fn request_failed(&mut self, request: MessageId, ctx: &mut ClientCtx<'_>) {
        if let Some((kind, _)) = self.requests.remove(&request) {
            if let Request::ListOffsets(p) = kind {
                self.positions[p as usize] = None;
                return self.reset(p, ctx);
            }
            if let Request::ListEarliest(p) = kind {
                return self.out_of_range(p, ctx);
            }
            self.retry_later(ctx);
        }
    }

    /// The connection to a broker broke: everything in flight to it failed.
    pub fn disconnected(&mut self, broker: u32, ctx: &mut ClientCtx<'_>) {
        let failed: Vec<MessageId> = self
            .requests
            .iter()
            .filter(|(_, (_, b))| *b == broker)
            .map(|(&r, _)| r)
            .collect();
        for r in failed {
            self.request_failed(r, ctx);
        }
    }

    /// The process dies: positions, buffer and unprocessed records are gone.
    pub fn crash(&mut self) {
        let partitions = self.positions.len() as u32;
        let (id, config, app, inc, topic) = (
            self.id,
            self.config.clone(),
            self.app.clone(),
            self.incarnation,
            self.topic.clone(),
        );
        *self = Consumer::new(id, config, app, partitions);
        self.set_topic(topic);
        self.incarnation = inc + 1;
        self.alive = false;
    }

    pub fn restart(&mut self, ctx: &mut ClientCtx<'_>) {
        self.alive = true;
        self.closed = false;
        self.start(ctx);
    }
}
