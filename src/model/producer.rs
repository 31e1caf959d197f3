//! The producer client and the application that drives it (spec §2, §7).
//!
//! The accumulator (`RecordAccumulator`, spec §2.2) keeps a queue of batches per partition. A
//! `send()` joins the partition's newest batch while that batch was never sent and has room
//! (`batch.size`, counting 100 bytes a record: 163 records by default), else opens a new one. A
//! batch may be sent once it is full, is not the newest of its queue, has waited `linger.ms`
//! since it opened, or the transaction is committing (`flush()`); with `linger.ms=0` that is at
//! once, so records pile into one batch only while the sender cannot send: all
//! `max.in.flight.requests.per.connection` requests out, the partition muted, its leader unknown,
//! or (transactions) `AddPartitionsToTxn` unanswered. The batch is the unit of everything after:
//! one produce request (one batch per request in this model), one base sequence, one retry, one
//! dedup entry on the broker; its records get consecutive offsets and each its own ack or error.
//!
//! The sender loop follows `Sender.java`: at most `max.in.flight.requests.per.connection`
//! requests per broker; a partition is muted while a batch is in flight when that limit is 1; an
//! idempotent producer assigns `(producer_id, producer_epoch, baseSequence)` at a batch's first
//! send (`nextSequence += recordCount`) and keeps it on retries, and while a partition is
//! retrying it sends one batch at a time (`shouldStopDrainBatchesForPartition`). A retriable
//! error re-enqueues the whole batch at the front (without idempotence a later batch may then
//! land first: reordering); a timeout or broken connection is an indeterminate outcome.
//! `delivery.timeout.ms` bounds everything, from the batch's creation. A restart gets a new
//! producer id (spec §2.5).
//!
//! With `transactional.id` (KIP-98, spec §2.6, §6.5) the client first runs `initTransactions()`
//! (`InitProducerId` to the transaction coordinator, retried on `CONCURRENT_TRANSACTIONS`), which
//! keeps the producer id across restarts and bumps the epoch. The application then loops:
//! `beginTransaction()`, `send()` `records_per_transaction` records (the first record to a
//! partition waits for `AddPartitionsToTxn`), `commitTransaction()` (flush, then `EndTxn`). After
//! a crash the application starts again from its last committed transaction and sends those
//! records again (same record ids: the same logical records). A stale epoch
//! (`INVALID_PRODUCER_EPOCH`, `PRODUCER_FENCED`) is fatal: the zombie stops. Any other failure
//! of a transactional send is abortable: the client aborts and the application retries the
//! transaction.

use super::config::{Acks, EffectiveProducerConfig};
use super::effects::{ClientCtx, Due};
use super::ids::{MessageId, NodeId, PartitionId, RecordId};
use super::keyed::{SeqMap, SmallMap};
use super::network::Outgoing;
use super::partitioner::partition_for_key;
use super::payload::Payload;
use super::rng::Choice;
use super::scenario::Workload;
use super::time::Millis;
use super::trace::EventKind;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

mod outcome;
mod pipeline;
mod txn;

pub use pipeline::PipelineLink;

/// One batch in the producer's accumulator or in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// The first record.
    pub record: RecordId,
    /// The records after the first, in `send()` order (empty for a batch of one: no allocation).
    pub more: Vec<RecordId>,
    pub partition: PartitionId,
    /// The base sequence: -1 until first sent (idempotent), then fixed across retries.
    pub sequence: i32,
    pub attempts: u32,
    pub created_ms: Millis,
    pub retry_at_ms: Millis,
    /// The broker it is in flight to.
    pub in_flight_to: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Producer {
    pub id: u32,
    pub config: EffectiveProducerConfig,
    pub workload: Workload,
    pub alive: bool,
    pub incarnation: u32,
    /// -1 without idempotence.
    pub producer_id: i64,
    pub producer_epoch: i16,
    next_sequence: Vec<i32>,
    batches: SeqMap<Batch>,
    next_batch: u32,
    queues: Vec<VecDeque<u32>>,
    in_flight: SmallMap<MessageId, u32>,
    in_flight_per_broker: Vec<u32>,
    in_flight_per_partition: Vec<u32>,
    needs_epoch_bump: bool,
    wake_at_ms: Option<Millis>,
    /// The application's own (durable) bookkeeping: how far through its workload it is, and which
    /// records it sent without seeing an ack.
    pub records_sent: u32,
    /// (A window by record id: records are sent, and mostly acknowledged, in order.)
    pub(crate) unacknowledged: SeqMap<()>,
    first_record: RecordId,
    sticky: Option<(PartitionId, u32)>,
    /// `transactional.id`, if the producer is transactional.
    pub transactional_id: Option<String>,
    pub txn: TxnClient,
    /// The partitions of the topic it writes (global numbers).
    pub topic: std::ops::Range<PartitionId>,
    /// Set when this producer writes a consume-transform-produce application's output.
    pub pipeline: Option<PipelineLink>,
}

/// The transactional client's state (`TransactionManager.State`, spec §2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TxnPhase {
    #[default]
    Uninitialized,
    Initializing,
    Ready,
    InTransaction,
    Committing,
    Aborting,
    /// `ProducerFencedException`: fatal, the application must close the producer.
    Fenced,
}

/// What a transactional producer tracks about its transaction.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TxnClient {
    pub phase: TxnPhase,
    /// Partitions the coordinator has added to the current transaction.
    pub added: BTreeSet<PartitionId>,
    /// `AddPartitionsToTxn` requests in flight.
    adding: BTreeMap<MessageId, PartitionId>,
    /// The `InitProducerId` or `EndTxn` request in flight, and the broker it went to.
    request: Option<(MessageId, u32)>,
    /// The broker each `AddPartitionsToTxn` went to.
    adding_to: BTreeMap<MessageId, u32>,
    /// Records sent in the current transaction.
    records_in_txn: u32,
    /// Durable application bookkeeping: records whose transaction committed.
    pub committed_records: u32,
    /// Pipeline: outputs the application sent before `initTransactions()` completed.
    pipe_backlog: VecDeque<(RecordId, PartitionId)>,
    /// Pipeline: the application's `sendOffsetsToTransaction` + `commitTransaction` in progress.
    pipe_commit: Option<pipeline::PipeCommit>,
    /// Pipeline: the `TxnOffsetCommit` request in flight, and the broker it went to.
    offsets_request: Option<(MessageId, u32)>,
    /// Pipeline: the current poll's transaction was aborted before the application asked to
    /// commit it; its remaining outputs are dropped and the commit answered "aborted".
    pipe_aborted: bool,
}

impl Batch {
    /// How many records it holds.
    pub fn record_count(&self) -> u32 {
        1 + self.more.len() as u32
    }

    /// Its records, first to last.
    pub fn records(&self) -> impl Iterator<Item = RecordId> + '_ {
        std::iter::once(self.record).chain(self.more.iter().copied())
    }
}

impl Producer {
    pub fn new(
        id: u32,
        config: EffectiveProducerConfig,
        workload: Workload,
        partitions: u32,
        brokers: u32,
        first_record: RecordId,
    ) -> Self {
        Self {
            id,
            config,
            workload,
            alive: true,
            incarnation: 0,
            producer_id: -1,
            producer_epoch: -1,
            next_sequence: vec![0; partitions as usize],
            batches: SeqMap::new(),
            next_batch: 0,
            queues: vec![VecDeque::new(); partitions as usize],
            in_flight: SmallMap::new(),
            in_flight_per_broker: vec![0; brokers as usize + 1],
            in_flight_per_partition: vec![0; partitions as usize],
            needs_epoch_bump: false,
            wake_at_ms: None,
            records_sent: 0,
            unacknowledged: SeqMap::new(),
            first_record,
            sticky: None,
            transactional_id: None,
            txn: TxnClient::default(),
            topic: 0..partitions,
            pipeline: None,
        }
    }

    /// The first record id this producer numbers its records from.
    pub fn set_first_record(&mut self, first: RecordId) {
        self.first_record = first;
    }

    pub fn node(&self) -> NodeId {
        NodeId::Producer(self.id)
    }

    /// Nothing left to do until a command: the workload is sent, every batch resolved, no
    /// request of its own in flight, no transaction open (`settle.rs`).
    pub(crate) fn is_idle(&self) -> bool {
        let txn = &self.txn;
        self.alive
            && (self.records_sent >= self.workload.records || self.pipeline.is_some())
            && self.batches.is_empty()
            && self.queues.iter().all(VecDeque::is_empty)
            && self.in_flight.is_empty()
            && !self.needs_epoch_bump
            && matches!(
                txn.phase,
                TxnPhase::Uninitialized | TxnPhase::Ready | TxnPhase::Fenced
            )
            && (txn.phase != TxnPhase::Uninitialized || !self.config.transactional)
            && txn.adding.is_empty()
            && txn.request.is_none()
            && txn.records_in_txn == 0
            && txn.pipe_backlog.is_empty()
            && txn.pipe_commit.is_none()
            && txn.offsets_request.is_none()
    }

    /// Batches not yet resolved (queued or in flight).
    pub fn pending(&self) -> impl Iterator<Item = &Batch> {
        self.batches.values()
    }

    /// Starts (or restarts) the client: `InitProducerId` gives a fresh id every time.
    pub fn start(&mut self, producer_id: i64, ctx: &mut ClientCtx<'_>) {
        if self.config.transactional {
            // The application resumes after its last committed transaction.
            self.records_sent = self.txn.committed_records;
            self.unacknowledged.clear();
            self.txn.phase = TxnPhase::Initializing;
            if ctx.now_ms < self.workload.start_ms {
                // The application starts (and calls initTransactions()) at its start time.
                return self.wake_at(self.workload.start_ms, ctx);
            }
            return self.send_txn_request(Payload::InitProducerId, ctx);
        }
        if self.config.enable_idempotence {
            self.producer_id = producer_id;
            self.producer_epoch = 0;
            ctx.trace(EventKind::ProducerIdAssigned {
                producer: self.node(),
                producer_id,
                producer_epoch: 0,
            });
        }
        if self.workload.resend_on_failure {
            let again: Vec<RecordId> = self.unacknowledged.keys().collect();
            for record in again {
                let partition = self.partition_of(record, ctx);
                self.enqueue(record, partition, ctx);
            }
        }
        if self.records_sent < self.workload.records {
            let first = self.workload.schedule_ms.get(self.records_sent as usize);
            let at = ctx
                .now_ms
                .max(first.copied().unwrap_or(self.workload.start_ms));
            ctx.timer(
                at,
                Due::AppSend {
                    producer: self.id,
                    incarnation: self.incarnation,
                },
            );
        }
        self.drain(ctx);
    }

    fn partition_of(&mut self, record: RecordId, ctx: &mut ClientCtx<'_>) -> PartitionId {
        let base = self.topic.start;
        let partitions = self.topic.end.saturating_sub(base).max(1);
        if let Some(p) = self.workload.partition {
            return p;
        }
        if !self.workload.keys.is_empty() {
            let i = (record - self.first_record) as usize % self.workload.keys.len();
            return base + partition_for_key(&self.workload.keys[i], partitions);
        }
        // KIP-480: the sticky partitioner switches after `batch.size` bytes to one partition.
        match self.sticky {
            Some((p, n)) if n < self.config.records_per_batch() => {
                self.sticky = Some((p, n + 1));
                p
            }
            _ => {
                let p = base
                    + ctx
                        .rng
                        .below(Choice::StickyPartition, u64::from(partitions))
                        as PartitionId;
                self.sticky = Some((p, 1));
                p
            }
        }
    }

    /// The application calls `send()` for its next record.
    pub fn app_send(&mut self, ctx: &mut ClientCtx<'_>) {
        if self.records_sent >= self.workload.records {
            return;
        }
        if self.config.transactional && !self.begin_transaction(ctx) {
            return;
        }
        let record = self.first_record + self.records_sent;
        self.records_sent += 1;
        let partition = self.partition_of(record, ctx);
        self.enqueue(record, partition, ctx);
        if self.config.transactional {
            self.txn.records_in_txn += 1;
            let per = match self.workload.records_per_transaction {
                0 => u32::MAX,
                n => n,
            };
            if self.txn.records_in_txn >= per || self.records_sent >= self.workload.records {
                // commitTransaction(): flush, then EndTxn(COMMIT).
                self.txn.phase = TxnPhase::Committing;
                self.drain(ctx);
                return self.maybe_end_transaction(ctx);
            }
        }
        if self.records_sent < self.workload.records {
            let next = self.workload.schedule_ms.get(self.records_sent as usize);
            let at = next.map_or(ctx.now_ms + self.workload.interval_ms, |&t| {
                t.max(ctx.now_ms)
            });
            ctx.timer(
                at,
                Due::AppSend {
                    producer: self.id,
                    incarnation: self.incarnation,
                },
            );
        }
        self.drain(ctx);
    }

    /// `RecordAccumulator.append`: the record joins the partition's newest batch if that batch
    /// was never sent and has room, else opens a new batch.
    fn enqueue(&mut self, record: RecordId, partition: PartitionId, ctx: &mut ClientCtx<'_>) {
        ctx.trace(EventKind::RecordSent {
            producer: self.node(),
            record,
            partition,
        });
        self.unacknowledged.insert(record, ());
        let room = self.config.records_per_batch();
        if let Some(&newest) = self.queues[partition as usize].back() {
            let b = self.batches.get_mut(&newest).expect("queued batches exist");
            if b.attempts == 0 && b.record_count() < room {
                b.more.push(record);
                if self.config.transactional {
                    self.add_partition(partition, ctx);
                }
                return;
            }
        }
        let id = self.next_batch;
        self.next_batch += 1;
        self.batches.insert(
            id,
            Batch {
                record,
                more: Vec::new(),
                partition,
                sequence: -1,
                attempts: 0,
                created_ms: ctx.now_ms,
                retry_at_ms: 0,
                in_flight_to: None,
            },
        );
        self.queues[partition as usize].push_back(id);
        if self.config.transactional {
            self.add_partition(partition, ctx);
        }
        let at = ctx.now_ms + self.config.delivery_timeout_ms;
        ctx.timer(
            at,
            Due::DeliveryTimeout {
                producer: self.id,
                incarnation: self.incarnation,
                batch: id,
            },
        );
    }

    fn wake_at(&mut self, at_ms: Millis, ctx: &mut ClientCtx<'_>) {
        if self.wake_at_ms.is_none_or(|w| w > at_ms) {
            self.wake_at_ms = Some(at_ms);
            ctx.timer(
                at_ms,
                Due::ProducerWake {
                    producer: self.id,
                    incarnation: self.incarnation,
                },
            );
        }
    }

    pub fn wake(&mut self, ctx: &mut ClientCtx<'_>) {
        if self.wake_at_ms.is_some_and(|w| w <= ctx.now_ms) {
            self.wake_at_ms = None;
        }
        if self.config.transactional {
            self.txn_wake(ctx);
        }
        self.drain(ctx);
    }

    /// The sender loop: sends every batch it may.
    pub fn drain(&mut self, ctx: &mut ClientCtx<'_>) {
        if !self.alive || self.needs_epoch_bump {
            return;
        }
        if self.config.transactional
            && !matches!(
                self.txn.phase,
                TxnPhase::InTransaction | TxnPhase::Committing
            )
        {
            return;
        }
        let max = self.config.max_in_flight_requests_per_connection;
        for p in 0..self.queues.len() {
            if self.config.transactional && !self.txn.added.contains(&(p as PartitionId)) {
                continue; // waits for AddPartitionsToTxn
            }
            while let Some(&bid) = self.queues[p].front() {
                let b = &self.batches[&bid];
                if b.retry_at_ms > ctx.now_ms {
                    let at = b.retry_at_ms;
                    self.wake_at(at, ctx);
                    break;
                }
                // RecordAccumulator.ready: a fresh batch waits for linger.ms unless it is full,
                // another batch queues behind it, or the transaction is flushing.
                let linger_until = b.created_ms.saturating_add(self.config.linger_ms);
                if b.attempts == 0
                    && linger_until > ctx.now_ms
                    && b.record_count() < self.config.records_per_batch()
                    && self.queues[p].len() == 1
                    && self.txn.phase != TxnPhase::Committing
                {
                    self.wake_at(linger_until, ctx);
                    break;
                }
                let Some(leader) = ctx.controller.leader(p as PartitionId) else {
                    let at = ctx.now_ms + self.config.retry_backoff_ms.max(1);
                    self.wake_at(at, ctx);
                    break;
                };
                if self.in_flight_per_broker[leader as usize] >= max
                    || (max == 1 && self.in_flight_per_partition[p] > 0)
                    || (self.config.enable_idempotence
                        && b.attempts > 0
                        && self.in_flight_per_partition[p] > 0)
                {
                    break;
                }
                self.queues[p].pop_front();
                self.send_batch(bid, leader, ctx);
            }
        }
    }

    fn send_batch(&mut self, bid: u32, leader: u32, ctx: &mut ClientCtx<'_>) {
        let me = self.node();
        let idempotent = self.config.enable_idempotence;
        let b = self.batches.get_mut(&bid).expect("queued batches exist");
        if idempotent && b.sequence < 0 {
            // Assigned at first drain, kept on retries (spec §2.2).
            b.sequence = self.next_sequence[b.partition as usize];
            self.next_sequence[b.partition as usize] += b.record_count() as i32;
        }
        b.attempts += 1;
        let (record, partition, sequence) = (b.record, b.partition, b.sequence);
        let payload = Payload::Produce {
            partition,
            record,
            more: b.more.clone().into_boxed_slice(),
            producer_id: if idempotent { self.producer_id } else { -1 },
            producer_epoch: if idempotent { self.producer_epoch } else { -1 },
            sequence,
            acks: self.config.acks,
            transactional: self.config.transactional,
        };
        let mut out = Outgoing::new(me, NodeId::Broker(leader), payload);
        out.aux = self.config.request_timeout_ms as i64;
        let request = ctx.send(out);
        if self.config.acks == Acks::Zero {
            // Success once the request is on the wire; the offset is unknown (-1).
            let b = self
                .batches
                .remove(&bid)
                .expect("the batch just sent exists");
            for record in b.records() {
                self.unacknowledged.remove(&record);
                ctx.trace(EventKind::Acked {
                    producer: me,
                    record,
                    offset: None,
                });
            }
            return;
        }
        b.in_flight_to = Some(leader);
        self.in_flight.insert(request, bid);
        self.in_flight_per_broker[leader as usize] += 1;
        self.in_flight_per_partition[partition as usize] += 1;
        let at = ctx.now_ms + self.config.request_timeout_ms;
        ctx.timer(
            at,
            Due::RequestTimeout {
                producer: self.id,
                incarnation: self.incarnation,
                request,
            },
        );
    }

    /// The process dies: the accumulator and everything in flight are gone. The application's
    /// own bookkeeping (what it sent, what it saw acknowledged) survives.
    pub fn crash(&mut self) {
        self.alive = false;
        self.incarnation += 1;
        self.batches.clear();
        self.in_flight.clear();
        self.in_flight_per_broker.iter_mut().for_each(|c| *c = 0);
        self.in_flight_per_partition.iter_mut().for_each(|c| *c = 0);
        self.queues.iter_mut().for_each(VecDeque::clear);
        self.next_sequence.iter_mut().for_each(|s| *s = 0);
        self.needs_epoch_bump = false;
        self.wake_at_ms = None;
        self.txn = TxnClient {
            committed_records: self.txn.committed_records,
            ..TxnClient::default()
        };
    }

    pub fn restart(&mut self, producer_id: i64, ctx: &mut ClientCtx<'_>) {
        self.alive = true;
        self.start(producer_id, ctx);
    }
}
