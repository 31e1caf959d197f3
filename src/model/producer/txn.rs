//! The transactional half of the producer client (KIP-98; spec §2.6, §6.5): `initTransactions`,
//! `beginTransaction`, `AddPartitionsToTxn`, `commitTransaction`/`abortTransaction`, fencing.

use super::{Producer, TxnPhase};
use crate::model::effects::{ClientCtx, Due};
use crate::model::ids::{MessageId, NodeId, PartitionId};
use crate::model::network::{Envelope, Outgoing};
use crate::model::payload::{ErrorCode, Payload};
use crate::model::trace::EventKind;

impl Producer {
    /// Sends `InitProducerId` or `EndTxn` to the transaction coordinator (one at a time).
    pub(super) fn send_txn_request(&mut self, payload: Payload, ctx: &mut ClientCtx<'_>) {
        if self.txn.request.is_some() {
            return;
        }
        let id = self.transactional_id.clone().unwrap_or_default();
        let Some(b) = (ctx.txn_coordinator_of)(&id) else {
            let at = ctx.now_ms + self.config.retry_backoff_ms.max(1);
            return self.wake_at(at, ctx);
        };
        let request = ctx.send(Outgoing::new(self.node(), NodeId::Broker(b), payload));
        self.txn.request = Some((request, b));
        self.request_timer(request, ctx);
    }

    pub(super) fn request_timer(&mut self, request: MessageId, ctx: &mut ClientCtx<'_>) {
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

    /// `beginTransaction()`, if the producer is ready; false if it cannot send now.
    pub(super) fn begin_transaction(&mut self, ctx: &mut ClientCtx<'_>) -> bool {
        match self.txn.phase {
            TxnPhase::InTransaction => true,
            TxnPhase::Ready => {
                self.txn.phase = TxnPhase::InTransaction;
                self.txn.records_in_txn = 0;
                self.txn.added.clear();
                ctx.trace(EventKind::TransactionBegan {
                    producer: self.node(),
                    producer_id: self.producer_id,
                    producer_epoch: self.producer_epoch,
                });
                true
            }
            _ => false,
        }
    }

    /// The first record to a partition in this transaction: `AddPartitionsToTxn`.
    pub(super) fn add_partition(&mut self, partition: PartitionId, ctx: &mut ClientCtx<'_>) {
        if self.txn.added.contains(&partition) || self.txn.adding.values().any(|&p| p == partition)
        {
            return;
        }
        let id = self.transactional_id.clone().unwrap_or_default();
        let Some(b) = (ctx.txn_coordinator_of)(&id) else {
            let at = ctx.now_ms + self.config.retry_backoff_ms.max(1);
            return self.wake_at(at, ctx);
        };
        let payload = Payload::AddPartitionsToTxn {
            partition,
            producer_id: self.producer_id,
            producer_epoch: self.producer_epoch,
        };
        let request = ctx.send(Outgoing::new(self.node(), NodeId::Broker(b), payload));
        self.txn.adding.insert(request, partition);
        self.txn.adding_to.insert(request, b);
        self.request_timer(request, ctx);
    }

    /// Once every record of the transaction is acknowledged (`flush()`), `EndTxn`.
    pub(super) fn maybe_end_transaction(&mut self, ctx: &mut ClientCtx<'_>) {
        let commit = match self.txn.phase {
            TxnPhase::Committing => true,
            TxnPhase::Aborting => false,
            _ => return,
        };
        if !self.batches.is_empty() || !self.in_flight.is_empty() {
            return;
        }
        let payload = Payload::EndTxn {
            commit,
            producer_id: self.producer_id,
            producer_epoch: self.producer_epoch,
        };
        self.send_txn_request(payload, ctx);
    }

    /// `abortTransaction()` discards what was not sent yet.
    pub(super) fn abandon_batches(&mut self, ctx: &mut ClientCtx<'_>) {
        let queued: Vec<u32> = self.queues.iter().flatten().copied().collect();
        for q in &mut self.queues {
            q.clear();
        }
        for bid in queued {
            if let Some(b) = self.batches.remove(&bid) {
                for record in b.records() {
                    ctx.trace(EventKind::SendFailed {
                        producer: self.node(),
                        record,
                        error: ErrorCode::InvalidTxnState,
                    });
                }
            }
        }
    }

    /// `ProducerFencedException`: fatal. Everything pending fails and the client stops.
    pub(super) fn fenced(&mut self, ctx: &mut ClientCtx<'_>) {
        if self.txn.phase == TxnPhase::Fenced {
            return;
        }
        self.txn.phase = TxnPhase::Fenced;
        ctx.trace(EventKind::ProducerFenced {
            producer: self.node(),
            producer_epoch: self.producer_epoch,
        });
        let pending: Vec<u32> = self.batches.keys().collect();
        for bid in pending {
            if let Some(b) = self.batches.remove(&bid) {
                for record in b.records() {
                    ctx.trace(EventKind::SendFailed {
                        producer: self.node(),
                        record,
                        error: ErrorCode::ProducerFenced,
                    });
                }
            }
        }
        self.queues.iter_mut().for_each(|q| q.clear());
        self.in_flight.clear();
        self.in_flight_per_broker.iter_mut().for_each(|c| *c = 0);
        self.in_flight_per_partition.iter_mut().for_each(|c| *c = 0);
        self.pipe_fenced(ctx);
    }

    fn schedule_app_send(&mut self, ctx: &mut ClientCtx<'_>) {
        if self.records_sent >= self.workload.records {
            return;
        }
        let i = self.records_sent as usize;
        let at = match self.workload.schedule_ms.get(i) {
            Some(&t) => t,
            None if i == 0 => self.workload.start_ms,
            None => ctx.now_ms + self.workload.interval_ms,
        };
        ctx.timer(
            at.max(ctx.now_ms),
            Due::AppSend {
                producer: self.id,
                incarnation: self.incarnation,
            },
        );
    }

    /// Answers from the transaction coordinator.
    pub(super) fn on_txn_response(&mut self, env: &Envelope, ctx: &mut ClientCtx<'_>) {
        if self.txn.phase == TxnPhase::Fenced {
            return;
        }
        let retry_at = ctx.now_ms + self.config.retry_backoff_ms.max(1);
        match env.payload {
            Payload::InitProducerIdResponse {
                request,
                producer_id,
                producer_epoch,
                error,
            } if self.txn.request.map(|r| r.0) == Some(request) => {
                self.txn.request = None;
                if error.is_some() {
                    return self.wake_at(retry_at, ctx); // CONCURRENT_TRANSACTIONS: retry
                }
                self.producer_id = producer_id;
                self.producer_epoch = producer_epoch;
                self.next_sequence.iter_mut().for_each(|s| *s = 0);
                ctx.trace(EventKind::ProducerIdAssigned {
                    producer: self.node(),
                    producer_id,
                    producer_epoch,
                });
                self.txn.phase = TxnPhase::Ready;
                self.schedule_app_send(ctx);
                self.pipe_ready(ctx);
            }
            Payload::TxnResponse { request, error } => {
                if let Some(partition) = self.txn.adding.remove(&request) {
                    self.txn.adding_to.remove(&request);
                    match error {
                        None => {
                            self.txn.added.insert(partition);
                            self.drain(ctx);
                        }
                        Some(ErrorCode::ProducerFenced | ErrorCode::InvalidProducerEpoch) => {
                            self.fenced(ctx)
                        }
                        Some(_) => self.wake_at(retry_at, ctx),
                    }
                    return;
                }
                if self.txn.request.map(|r| r.0) != Some(request) {
                    self.pipe_offsets_answered(request, error, ctx);
                    return;
                }
                self.txn.request = None;
                if self.pipe_add_offsets_answered(error, ctx) {
                    return;
                }
                match error {
                    None => self.transaction_ended(ctx),
                    Some(ErrorCode::ProducerFenced | ErrorCode::InvalidProducerEpoch) => {
                        self.fenced(ctx)
                    }
                    Some(_) => self.wake_at(retry_at, ctx),
                }
            }
            _ => {}
        }
    }

    /// `EndTxn` succeeded: the coordinator logged PrepareCommit (the commit point) or
    /// PrepareAbort. After an abort the application runs the transaction again.
    fn transaction_ended(&mut self, ctx: &mut ClientCtx<'_>) {
        let committed = match self.txn.phase {
            TxnPhase::Committing => {
                self.txn.committed_records = self.records_sent;
                true
            }
            TxnPhase::Aborting => {
                self.records_sent = self.txn.committed_records;
                false
            }
            _ => return,
        };
        self.txn.phase = TxnPhase::Ready;
        self.txn.added.clear();
        self.txn.records_in_txn = 0;
        self.txn.offsets_request = None;
        self.schedule_app_send(ctx);
        self.pipe_transaction_ended(committed, ctx);
    }

    /// The wake timer: retry whatever transactional request is due.
    pub(super) fn txn_wake(&mut self, ctx: &mut ClientCtx<'_>) {
        match self.txn.phase {
            TxnPhase::Initializing => self.send_txn_request(Payload::InitProducerId, ctx),
            TxnPhase::InTransaction | TxnPhase::Committing => {
                let queued: Vec<PartitionId> = (0..self.queues.len() as PartitionId)
                    .filter(|&p| !self.queues[p as usize].is_empty())
                    .collect();
                for p in queued {
                    self.add_partition(p, ctx);
                }
                self.maybe_end_transaction(ctx);
                self.pipe_advance(ctx);
            }
            TxnPhase::Aborting => self.maybe_end_transaction(ctx),
            TxnPhase::Ready => self.pipe_advance(ctx),
            _ => {}
        }
    }

    /// A transactional request timed out: true if it was one (it is retried).
    pub(super) fn txn_request_failed(
        &mut self,
        request: MessageId,
        ctx: &mut ClientCtx<'_>,
    ) -> bool {
        let retry_at = ctx.now_ms + self.config.retry_backoff_ms.max(1);
        if self.txn.request.map(|r| r.0) == Some(request) {
            self.txn.request = None;
            if let Some(c) = &mut self.txn.pipe_commit {
                if c.stage == super::pipeline::Stage::AddingOffsets {
                    c.stage = super::pipeline::Stage::AddOffsets;
                }
            }
            self.wake_at(retry_at, ctx);
            return true;
        }
        if self.pipe_offsets_failed(request, ctx) {
            return true;
        }
        if self.txn.adding.remove(&request).is_some() {
            self.txn.adding_to.remove(&request);
            self.wake_at(retry_at, ctx);
            return true;
        }
        false
    }

    /// The connection to a broker broke: transactional requests to it failed.
    pub(super) fn txn_disconnected(&mut self, broker: u32, ctx: &mut ClientCtx<'_>) {
        if let Some((r, b)) = self.txn.request {
            if b == broker {
                self.txn_request_failed(r, ctx);
            }
        }
        let adds: Vec<MessageId> = self
            .txn
            .adding_to
            .iter()
            .filter(|(_, &b)| b == broker)
            .map(|(&r, _)| r)
            .collect();
        for r in adds {
            self.txn_request_failed(r, ctx);
        }
        if let Some((r, b)) = self.txn.offsets_request {
            if b == broker {
                self.txn_request_failed(r, ctx);
            }
        }
    }
}
