//! What the producer learns after a send (spec §2.3, §2.4): the leader's answer, a request
//! timeout, a broken connection, `delivery.timeout.ms`; a retriable error sends the batch again,
//! anything else fails its records; an idempotent producer bumps its epoch once nothing it sent
//! is in doubt (KIP-360).

use super::{Producer, TxnPhase};
use crate::model::effects::ClientCtx;
use crate::model::ids::{MessageId, NodeId};
use crate::model::network::Envelope;
use crate::model::payload::{ErrorCode, Payload};
use crate::model::rng::Choice;
use crate::model::trace::EventKind;

impl Producer {
    pub(super) fn take_in_flight(&mut self, request: MessageId) -> Option<u32> {
        let bid = self.in_flight.remove(&request)?;
        if let Some(b) = self.batches.get_mut(&bid) {
            if let Some(broker) = b.in_flight_to.take() {
                self.in_flight_per_broker[broker as usize] -= 1;
                self.in_flight_per_partition[b.partition as usize] -= 1;
            }
        }
        Some(bid)
    }

    /// The answer to a produce request. An answer to a request already given up on is ignored
    /// (its connection was closed).
    pub fn on_produce_response(&mut self, env: &Envelope, ctx: &mut ClientCtx<'_>) {
        let Payload::ProduceResponse {
            request,
            base_offset,
            error,
            ..
        } = env.payload
        else {
            return self.on_txn_response(env, ctx);
        };
        if self.config.transactional
            && matches!(
                error,
                Some(ErrorCode::InvalidProducerEpoch | ErrorCode::ProducerFenced)
            )
        {
            self.take_in_flight(request);
            return self.fenced(ctx);
        }
        let Some(bid) = self.take_in_flight(request) else {
            return;
        };
        match error {
            None => {
                // Each record is told its own offset: the base offset plus its place.
                let b = self.batches.remove(&bid).expect("in-flight batches exist");
                for (i, record) in b.records().enumerate() {
                    self.unacknowledged.remove(&record);
                    ctx.trace(EventKind::Acked {
                        producer: self.node(),
                        record,
                        offset: base_offset.map(|o| o + i as u64),
                    });
                }
            }
            Some(e) => self.failed(bid, e, ctx),
        }
        self.maybe_bump_epoch(ctx);
        self.drain(ctx);
        if self.config.transactional {
            self.maybe_end_transaction(ctx);
        }
    }

    /// A request got no answer in time: the client closes the connection, failing everything in
    /// flight on it (`NetworkClient.handleTimedOutRequests`).
    pub fn request_timed_out(&mut self, request: MessageId, ctx: &mut ClientCtx<'_>) {
        if self.txn_request_failed(request, ctx) {
            return;
        }
        let Some(&bid) = self.in_flight.get(&request) else {
            return;
        };
        let Some(broker) = self.batches.get(&bid).and_then(|b| b.in_flight_to) else {
            return;
        };
        self.take_in_flight(request);
        self.failed(bid, ErrorCode::RequestTimedOut, ctx);
        self.disconnected(broker, ctx);
    }

    /// The connection to a broker broke: every request in flight on it fails (indeterminate).
    pub fn disconnected(&mut self, broker: u32, ctx: &mut ClientCtx<'_>) {
        let requests: Vec<MessageId> = self
            .in_flight
            .iter()
            .filter(|(_, b)| {
                self.batches
                    .get(b)
                    .is_some_and(|b| b.in_flight_to == Some(broker))
            })
            .map(|(&r, _)| r)
            .collect();
        for r in requests {
            if let Some(bid) = self.take_in_flight(r) {
                self.failed(bid, ErrorCode::NetworkException, ctx);
            }
        }
        self.maybe_bump_epoch(ctx);
        self.drain(ctx);
        if self.config.transactional {
            self.txn_disconnected(broker, ctx);
        }
    }

    /// A batch reached `delivery.timeout.ms`, queued or in flight: it fails.
    pub fn delivery_timed_out(&mut self, bid: u32, ctx: &mut ClientCtx<'_>) {
        let Some(b) = self.batches.get(&bid) else {
            return;
        };
        if b.in_flight_to.is_some() {
            let request = self
                .in_flight
                .iter()
                .find(|(_, &b)| b == bid)
                .map(|(&r, _)| r);
            if let Some(r) = request {
                self.take_in_flight(r);
            }
        } else {
            // Batches expire roughly in the order they were queued: look from the front.
            let q = &mut self.queues[b.partition as usize];
            if let Some(at) = q.iter().position(|&b| b == bid) {
                q.remove(at);
            }
        }
        self.give_up(bid, ErrorCode::DeliveryTimeout, ctx);
        self.maybe_bump_epoch(ctx);
        self.drain(ctx);
    }

    pub(super) fn failed(&mut self, bid: u32, error: ErrorCode, ctx: &mut ClientCtx<'_>) {
        let now = ctx.now_ms;
        let b = &self.batches[&bid];
        let expired = now >= b.created_ms + self.config.delivery_timeout_ms;
        if !error.is_retriable() || b.attempts > self.config.retries || expired {
            return self.give_up(bid, error, ctx);
        }
        // KIP-580 exponential backoff with ±20 % jitter.
        let exp = b.attempts.saturating_sub(1).min(20);
        let base = self.config.retry_backoff_ms.saturating_mul(1 << exp).min(
            self.config
                .retry_backoff_max_ms
                .max(self.config.retry_backoff_ms),
        );
        let backoff = base * (80 + ctx.rng.below(Choice::RetryBackoffJitter, 41)) / 100;
        let b = self.batches.get_mut(&bid).expect("batch exists");
        b.retry_at_ms = now + backoff;
        ctx.trace(EventKind::Retrying {
            producer: NodeId::Producer(self.id),
            record: b.record,
            more: b.more.clone().into_boxed_slice(),
            attempt: b.attempts + 1,
            error,
        });
        let q = &mut self.queues[b.partition as usize];
        if self.config.enable_idempotence {
            // RecordAccumulator.insertInSequenceOrder
            let seq = b.sequence;
            let at = q
                .iter()
                .position(|x| self.batches[x].sequence < 0 || self.batches[x].sequence > seq)
                .unwrap_or(q.len());
            q.insert(at, bid);
        } else {
            q.push_front(bid); // Deque.addFirst: a later failure goes before an earlier one
        }
    }

    pub(super) fn give_up(&mut self, bid: u32, error: ErrorCode, ctx: &mut ClientCtx<'_>) {
        let Some(b) = self.batches.remove(&bid) else {
            return;
        };
        // Every record of the batch fails with it.
        for record in b.records() {
            ctx.trace(EventKind::SendFailed {
                producer: self.node(),
                record,
                error,
            });
        }
        if self.config.transactional {
            // An abortable error: the transaction must be aborted (spec §2.6).
            if matches!(
                self.txn.phase,
                TxnPhase::InTransaction | TxnPhase::Committing
            ) {
                self.txn.phase = TxnPhase::Aborting;
                self.abandon_batches(ctx);
                self.maybe_end_transaction(ctx);
            }
            return;
        }
        if self.config.enable_idempotence && b.sequence >= 0 {
            self.needs_epoch_bump = true; // KIP-360: unresolved sequence
        }
        if self.workload.resend_on_failure {
            for record in b.records() {
                self.enqueue(record, b.partition, ctx);
            }
        }
    }

    /// Once nothing is in flight, an idempotent producer with an unresolved batch bumps its epoch
    /// and numbers its partitions' sequences from 0 again (KIP-360).
    pub(super) fn maybe_bump_epoch(&mut self, ctx: &mut ClientCtx<'_>) {
        if !self.needs_epoch_bump || !self.in_flight.is_empty() {
            return;
        }
        self.needs_epoch_bump = false;
        self.producer_epoch = self.producer_epoch.wrapping_add(1);
        ctx.trace(EventKind::ProducerEpochBumped {
            producer: self.node(),
            producer_epoch: self.producer_epoch,
        });
        for p in 0..self.queues.len() {
            let mut next = 0;
            for bid in &self.queues[p] {
                let b = self.batches.get_mut(bid).expect("queued batches exist");
                if b.sequence >= 0 {
                    b.sequence = next;
                    next += b.record_count() as i32;
                }
            }
            self.next_sequence[p] = next;
        }
    }
}
