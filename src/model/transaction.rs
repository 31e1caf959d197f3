//! Transactions (KIP-98, classic protocol "TV0/1"; spec §6): the transaction coordinator, its
//! `__transaction_state` log, and the partition leader's side of transaction markers.
//!
//! The coordinator of a `transactional.id` is the leader of `__transaction_state-(hash(id) % 50)`;
//! like the group coordinator, the model keeps its state durable (that topic has RF 3 and min ISR
//! 2) and places the role on a broker: the preferred broker of that partition if the controller
//! has not fenced it, else the next one. A crashed host serves nothing until the controller fences
//! it; then the next broker takes over, "reloads" the state and re-sends the markers of any
//! transaction in PrepareCommit/PrepareAbort (spec §6.3, coordinator failover).
//!
//! Every transition is appended to the coordinator's log first (the [`TxnLogRecord`]s the UI can
//! show) and traced as [`EventKind::TxnStateChanged`]:
//! `Empty → Ongoing → PrepareCommit|PrepareAbort → CompleteCommit|CompleteAbort`, and
//! `Ongoing → PrepareEpochFence → PrepareAbort` when a new incarnation (`InitProducerId`) or the
//! timeout fences the producer. Markers go to each partition's leader as `WriteTxnMarkers`; the
//! leader appends a control record (it takes an offset) and answers once the high watermark
//! passes it (acks=-1). The coordinator retries unanswered markers every few seconds.
//!
//! TV2 (KIP-890, default on Kafka 4.0 servers) differs: the epoch is bumped at every commit or
//! abort, and partitions are added implicitly on first produce. The model follows the classic
//! protocol, whose markers carry the current epoch.

use super::broker::{Broker, Ctx, PendingProduce};
use super::effects::{Due, Out};
use super::ids::{MessageId, NodeId, PartitionId};
use super::log::{is_marker, LogEntry, ABORT_MARKER, COMMIT_MARKER};
use super::network::{Envelope, Outgoing};
use super::partitioner::java_string_hash;
use super::payload::{ErrorCode, Payload};
use super::time::Millis;
use super::trace::EventKind;
use super::world::World;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// `transaction.state.log.num.partitions`.
pub const TRANSACTION_STATE_PARTITIONS: u32 = 50;
/// `transaction.abort.timed.out.transaction.cleanup.interval.ms`.
pub const ABORT_CHECK_INTERVAL_MS: Millis = 10_000;
/// How often the coordinator looks at its timers.
pub const COORDINATOR_TICK_MS: Millis = 1_000;
/// How long a marker may go unanswered before the coordinator sends it again.
pub const MARKER_RETRY_MS: Millis = 5_000;

/// The coordinator's state of one transactional id (`TransactionMetadata.scala`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TxnState {
    Empty,
    Ongoing,
    PrepareCommit,
    PrepareAbort,
    CompleteCommit,
    CompleteAbort,
    PrepareEpochFence,
}

/// What the coordinator knows of one `transactional.id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxnMetadata {
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub state: TxnState,
    pub partitions: BTreeSet<PartitionId>,
    /// When the transaction became Ongoing (the timeout clock).
    pub txn_start_ms: Millis,
    pub timeout_ms: Millis,
    /// Partitions whose marker no leader has confirmed yet.
    pub pending_markers: BTreeSet<PartitionId>,
    pub markers_sent_ms: Millis,
    /// `AddOffsetsToTxn`: the group whose `__consumer_offsets` partition is in the transaction.
    pub offsets_group: Option<String>,
    /// Whether that partition's marker is still unconfirmed.
    pub offsets_marker_pending: bool,
}

/// One record of `__transaction_state`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnLogRecord {
    pub at_ms: Millis,
    pub transactional_id: String,
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub state: TxnState,
    pub partitions: Vec<PartitionId>,
}

/// The transaction coordinator role (durable state; hosted on a broker).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransactionCoordinator {
    txns: BTreeMap<String, TxnMetadata>,
    log: Vec<TxnLogRecord>,
    /// Marker requests in flight: request → (transactional id, partition; None for the
    /// group's `__consumer_offsets` partition).
    markers: BTreeMap<MessageId, (String, Option<PartitionId>)>,
}

impl TransactionCoordinator {
    /// No transaction open or completing, no marker in flight (`settle.rs`).
    pub(crate) fn is_idle(&self) -> bool {
        self.markers.is_empty()
            && self.txns.values().all(|t| {
                matches!(
                    t.state,
                    TxnState::Empty | TxnState::CompleteCommit | TxnState::CompleteAbort
                ) && t.pending_markers.is_empty()
            })
    }

    /// The broker hosting the coordinator of `transactional_id`.
    pub fn host(
        transactional_id: &str,
        brokers: u32,
        can_serve: impl Fn(u32) -> bool,
    ) -> Option<u32> {
        let k = java_string_hash(transactional_id).unsigned_abs() % TRANSACTION_STATE_PARTITIONS;
        let n = brokers.max(1);
        (0..n).map(|i| (k + i) % n + 1).find(|&b| can_serve(b))
    }

    /// `__transaction_state`, oldest first.
    pub fn log(&self) -> &[TxnLogRecord] {
        &self.log
    }

    pub fn get(&self, transactional_id: &str) -> Option<&TxnMetadata> {
        self.txns.get(transactional_id)
    }
}

impl World {
    pub fn transaction_coordinator(&self) -> &TransactionCoordinator {
        &self.txn_coordinator
    }

    fn txn_host(&self, transactional_id: &str) -> Option<u32> {
        TransactionCoordinator::host(transactional_id, self.brokers.len() as u32, |x| {
            !self.controller.is_fenced(x)
        })
    }

    fn send_from(&mut self, from: u32, to: NodeId, payload: Payload, aux: i64) -> MessageId {
        let mut out = Outgoing::new(NodeId::Broker(from), to, payload);
        out.id = self.next_message_id;
        out.aux = aux;
        self.next_message_id += 1;
        let id = out.id;
        self.outbox.push(Out::send(out));
        id
    }

    /// Appends a state change to `__transaction_state` and applies it.
    fn txn_transition(&mut self, host: u32, id: &str, state: TxnState) {
        let now = self.now_ms;
        let Some(m) = self.txn_coordinator.txns.get_mut(id) else {
            return;
        };
        if state == TxnState::Ongoing && m.state != TxnState::Ongoing {
            m.txn_start_ms = now;
        }
        m.state = state;
        let partitions: Vec<PartitionId> = m.partitions.iter().copied().collect();
        let (producer_id, producer_epoch) = (m.producer_id, m.producer_epoch);
        if matches!(state, TxnState::CompleteCommit | TxnState::CompleteAbort) {
            m.partitions.clear();
            m.offsets_group = None;
        }
        self.txn_coordinator.log.push(TxnLogRecord {
            at_ms: now,
            transactional_id: id.to_string(),
            producer_id,
            producer_epoch,
            state,
            partitions: partitions.clone(),
        });
        self.record(EventKind::TxnStateChanged {
            coordinator: NodeId::Broker(host),
            producer_id,
            producer_epoch,
            state,
            partitions,
            transactional_id: id.to_string(),
        });
    }

    /// PrepareCommit/PrepareAbort is durable: write a marker to every partition of the
    /// transaction (the answer to the client does not wait for them).
    fn prepare(&mut self, host: u32, id: &str, commit: bool) {
        let state = if commit {
            TxnState::PrepareCommit
        } else {
            TxnState::PrepareAbort
        };
        self.txn_transition(host, id, state);
        if let Some(m) = self.txn_coordinator.txns.get_mut(id) {
            m.pending_markers = m.partitions.clone();
            m.offsets_marker_pending = m.offsets_group.is_some();
        }
        self.send_markers(host, id);
    }

    /// Fences the current producer epoch and aborts its open transaction
    /// (`prepareFenceProducerEpoch`, then abort).
    fn fence_and_abort(&mut self, host: u32, id: &str) {
        if let Some(m) = self.txn_coordinator.txns.get_mut(id) {
            m.producer_epoch = m.producer_epoch.saturating_add(1);
        }
        self.txn_transition(host, id, TxnState::PrepareEpochFence);
        self.prepare(host, id, false);
    }

    fn send_markers(&mut self, host: u32, id: &str) {
        let Some(m) = self.txn_coordinator.txns.get_mut(id) else {
            return;
        };
        m.markers_sent_ms = self.now_ms;
        let commit = m.state == TxnState::PrepareCommit;
        let (producer_id, producer_epoch) = (m.producer_id, m.producer_epoch);
        let pending: Vec<PartitionId> = m.pending_markers.iter().copied().collect();
        let offsets_group = m.offsets_group.clone().filter(|_| m.offsets_marker_pending);
        self.txn_coordinator.markers.retain(|_, (t, _)| t != id);
        if pending.is_empty() && offsets_group.is_none() {
            return self.complete(host, id);
        }
        if let Some(group) = offsets_group {
            if let Some(to) = self.group_host(&group) {
                let payload = Payload::TxnOffsetsMarker {
                    producer_id,
                    producer_epoch,
                    commit,
                    group,
                };
                let request = self.send_from(host, NodeId::Broker(to), payload, 0);
                self.txn_coordinator
                    .markers
                    .insert(request, (id.to_string(), None));
            }
        }
        for partition in pending {
            let Some(leader) = self.controller.leader(partition) else {
                continue;
            };
            let payload = Payload::WriteTxnMarkers {
                partition,
                producer_id,
                producer_epoch,
                commit,
            };
            let request = self.send_from(host, NodeId::Broker(leader), payload, 30_000);
            self.txn_coordinator
                .markers
                .insert(request, (id.to_string(), Some(partition)));
        }
    }

    fn complete(&mut self, host: u32, id: &str) {
        let Some(m) = self.txn_coordinator.txns.get(id) else {
            return;
        };
        let state = match m.state {
            TxnState::PrepareCommit => TxnState::CompleteCommit,
            TxnState::PrepareAbort => TxnState::CompleteAbort,
            _ => return,
        };
        self.txn_transition(host, id, state);
    }

    /// A transactional request from a producer reached broker `b`.
    pub(crate) fn txn_request(&mut self, b: u32, env: Envelope) {
        let NodeId::Producer(p) = env.from else {
            return;
        };
        let Some((id, timeout_ms)) = self
            .producers
            .get(p as usize - 1)
            .and_then(|x| Some((x.transactional_id.clone()?, x.config.transaction_timeout_ms)))
        else {
            return;
        };
        let init = matches!(env.payload, Payload::InitProducerId);
        let reply = |w: &mut World, pid: i64, epoch: i16, error: Option<ErrorCode>| {
            let payload = if init {
                Payload::InitProducerIdResponse {
                    request: env.id,
                    producer_id: pid,
                    producer_epoch: epoch,
                    error,
                }
            } else {
                Payload::TxnResponse {
                    request: env.id,
                    error,
                }
            };
            w.send_from(b, env.from, payload, 0);
        };
        if self.txn_host(&id) != Some(b) {
            return reply(self, -1, -1, Some(ErrorCode::CoordinatorNotAvailable));
        }
        match env.payload {
            Payload::InitProducerId => {
                let Some(m) = self.txn_coordinator.txns.get_mut(&id) else {
                    let producer_id = self.allocate_producer_id();
                    self.txn_coordinator.txns.insert(
                        id.clone(),
                        TxnMetadata {
                            producer_id,
                            producer_epoch: 0,
                            state: TxnState::Empty,
                            partitions: BTreeSet::new(),
                            txn_start_ms: 0,
                            timeout_ms,
                            pending_markers: BTreeSet::new(),
                            markers_sent_ms: 0,
                            offsets_group: None,
                            offsets_marker_pending: false,
                        },
                    );
                    self.txn_transition(b, &id, TxnState::Empty);
                    return reply(self, producer_id, 0, None);
                };
                m.timeout_ms = timeout_ms;
                match m.state {
                    TxnState::Empty | TxnState::CompleteCommit | TxnState::CompleteAbort => {
                        m.producer_epoch = m.producer_epoch.saturating_add(1);
                        let (pid, epoch) = (m.producer_id, m.producer_epoch);
                        self.txn_transition(b, &id, TxnState::Empty);
                        reply(self, pid, epoch, None);
                    }
                    TxnState::Ongoing => {
                        // A new incarnation: fence the old one and abort what it left open.
                        self.fence_and_abort(b, &id);
                        reply(self, -1, -1, Some(ErrorCode::ConcurrentTransactions));
                    }
                    _ => reply(self, -1, -1, Some(ErrorCode::ConcurrentTransactions)),
                }
            }
            Payload::AddPartitionsToTxn {
                partition,
                producer_id,
                producer_epoch,
            } => {
                let error = self.add_to_txn(b, &id, (producer_id, producer_epoch), |m| {
                    m.partitions.insert(partition)
                });
                reply(self, -1, -1, error)
            }
            Payload::AddOffsetsToTxn {
                producer_id,
                producer_epoch,
            } => {
                let group = self
                    .producers
                    .get(p as usize - 1)
                    .and_then(|x| x.pipeline.as_ref())
                    .map(|l| l.group.clone());
                let error = self.add_to_txn(b, &id, (producer_id, producer_epoch), |m| {
                    let new = m.offsets_group.is_none();
                    m.offsets_group = group;
                    new
                });
                reply(self, -1, -1, error)
            }
            Payload::EndTxn {
                commit,
                producer_id,
                producer_epoch,
            } => {
                let Some(m) = self.txn_coordinator.txns.get(&id) else {
                    return reply(self, -1, -1, Some(ErrorCode::InvalidTxnState));
                };
                if producer_id != m.producer_id || producer_epoch != m.producer_epoch {
                    return reply(self, -1, -1, Some(ErrorCode::ProducerFenced));
                }
                use TxnState::*;
                let error = match (m.state, commit) {
                    (Ongoing, _) => {
                        self.prepare(b, &id, commit);
                        None
                    }
                    (Empty, _) | (CompleteCommit, true) | (CompleteAbort, false) => None,
                    (PrepareCommit, true) | (PrepareAbort, false) => {
                        Some(ErrorCode::ConcurrentTransactions)
                    }
                    _ => Some(ErrorCode::InvalidTxnState),
                };
                reply(self, -1, -1, error);
            }
            _ => {}
        }
    }

    /// `AddPartitionsToTxn` / `AddOffsetsToTxn`: with the current epoch and no decision pending,
    /// `add` puts something in the transaction (true if it was new) and the transaction is
    /// Ongoing. Returns the error to answer with, if any.
    fn add_to_txn(
        &mut self,
        host: u32,
        id: &str,
        (producer_id, producer_epoch): (i64, i16),
        add: impl FnOnce(&mut TxnMetadata) -> bool,
    ) -> Option<ErrorCode> {
        let Some(m) = self.txn_coordinator.txns.get_mut(id) else {
            return Some(ErrorCode::InvalidTxnState);
        };
        if producer_id != m.producer_id || producer_epoch != m.producer_epoch {
            return Some(ErrorCode::ProducerFenced);
        }
        match m.state {
            TxnState::Empty
            | TxnState::Ongoing
            | TxnState::CompleteCommit
            | TxnState::CompleteAbort => {
                let new = add(m);
                if new || m.state != TxnState::Ongoing {
                    self.txn_transition(host, id, TxnState::Ongoing);
                }
                None
            }
            _ => Some(ErrorCode::ConcurrentTransactions),
        }
    }

    /// A leader answered a marker (a `ProduceResponse` carrying the marker's record id).
    pub(crate) fn txn_marker_answered(&mut self, b: u32, env: Envelope) {
        let Payload::ProduceResponse { request, error, .. } = env.payload else {
            return;
        };
        let Some((id, partition)) = self.txn_coordinator.markers.remove(&request) else {
            return;
        };
        if error.is_some() {
            return; // the tick re-sends it
        }
        let Some(m) = self.txn_coordinator.txns.get_mut(&id) else {
            return;
        };
        match partition {
            Some(p) => {
                m.pending_markers.remove(&p);
            }
            None => m.offsets_marker_pending = false,
        }
        if m.pending_markers.is_empty() && !m.offsets_marker_pending {
            self.complete(b, &id);
        }
    }

    /// The coordinator's timers: re-send unanswered markers (also after a failover), and every
    /// `ABORT_CHECK_INTERVAL_MS` abort transactions open longer than `transaction.timeout.ms`.
    pub(crate) fn txn_tick(&mut self) {
        let now = self.now_ms;
        let ids: Vec<String> = self.txn_coordinator.txns.keys().cloned().collect();
        for id in ids {
            let Some(host) = self.txn_host(&id) else {
                continue;
            };
            if !self.brokers[host as usize - 1].alive {
                continue; // not fenced yet: the role has not moved
            }
            let Some(m) = self.txn_coordinator.txns.get(&id) else {
                continue;
            };
            let preparing = matches!(m.state, TxnState::PrepareCommit | TxnState::PrepareAbort);
            if preparing && now >= m.markers_sent_ms + MARKER_RETRY_MS {
                self.send_markers(host, &id);
            } else if m.state == TxnState::Ongoing
                && now % ABORT_CHECK_INTERVAL_MS == 0
                && now >= m.txn_start_ms + m.timeout_ms
            {
                let (producer_id, producer_epoch) = (m.producer_id, m.producer_epoch);
                self.record(EventKind::TxnTimedOut {
                    producer_id,
                    producer_epoch,
                });
                self.fence_and_abort(host, &id);
            }
        }
        self.queue
            .schedule(now + COORDINATOR_TICK_MS, Due::TxnCoordinatorTick);
    }
}

impl Broker {
    /// `WriteTxnMarkers` on a partition leader: append a COMMIT or ABORT control record with the
    /// coordinator's epoch, and answer once the high watermark passes it (acks=-1).
    pub fn on_write_txn_markers(&mut self, env: &Envelope, ctx: &mut Ctx<'_>) {
        let Payload::WriteTxnMarkers {
            partition,
            producer_id,
            producer_epoch,
            commit,
        } = env.payload
        else {
            return;
        };
        let me = self.node();
        let id = self.id;
        let record = if commit { COMMIT_MARKER } else { ABORT_MARKER };
        let Some(r) = self
            .replicas
            .get_mut(partition as usize)
            .and_then(Option::as_mut)
            .filter(|r| r.is_leader(id))
        else {
            let payload = Payload::ProduceResponse {
                request: env.id,
                partition,
                record,
                more: Box::default(),
                base_offset: None,
                error: Some(ErrorCode::NotLeaderOrFollower),
            };
            ctx.send(Outgoing::new(me, env.from, payload));
            return;
        };
        let leader_epoch = r.leader_epoch;
        let offset = r.log.append(LogEntry {
            record,
            leader_epoch,
            producer_id,
            producer_epoch,
            sequence: -1,
            base_sequence: -1,
            transactional: true,
        });
        r.log.stamp(offset, ctx.now_ms, &ctx.controller.retention);
        ctx.trace(EventKind::MarkerAppended {
            broker: me,
            partition,
            offset,
            producer_id,
            commit,
            leader_epoch,
        });
        r.purgatory.push(PendingProduce {
            request: env.id,
            producer: env.from,
            record,
            more: Box::default(),
            offset,
            coordinator: false,
        });
        ctx.timer(
            ctx.now_ms + env.aux.max(0) as Millis,
            Due::ProduceWaitExpired {
                broker: id,
                partition,
                request: env.id,
            },
        );
        self.after_leader_append(partition, ctx);
        self.trace_last_stable_offset(partition, ctx);
    }

    /// Traces the leader's last stable offset when it moved (only once the partition has seen a
    /// transaction, so runs without transactions trace exactly what they did before).
    pub fn trace_last_stable_offset(&mut self, partition: PartitionId, ctx: &mut Ctx<'_>) {
        let me = self.node();
        let id = self.id;
        let Some(r) = self
            .replicas
            .get_mut(partition as usize)
            .and_then(Option::as_mut)
        else {
            return;
        };
        if !r.is_leader(id) || !r.log.has_transactions() {
            return;
        }
        let lso = r.log.last_stable_offset();
        if r.log.traced_last_stable_offset != Some(lso) {
            r.log.traced_last_stable_offset = Some(lso);
            ctx.trace(EventKind::LastStableOffset {
                broker: me,
                partition,
                last_stable_offset: lso,
            });
        }
    }
}

/// Whether a produce answer is a leader's answer to a marker (routed to the coordinator).
pub fn is_marker_answer(payload: &Payload) -> bool {
    matches!(payload, Payload::ProduceResponse { record, .. } if is_marker(*record))
}
