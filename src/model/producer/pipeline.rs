//! The producer's half of a consume-transform-produce application (spec §6.5, §6.6):
//! the application's `send()` of each transformed record inside the transaction, then
//! `sendOffsetsToTransaction()` (`AddOffsetsToTxn` to the transaction coordinator, then
//! `TxnOffsetCommit` to the group coordinator, carrying the group generation for KIP-447
//! fencing) and `commitTransaction()` (flush, `EndTxn(COMMIT)`). The application learns the
//! outcome as [`PipeOutcome`]: committed (poll on), aborted (rewind to the committed offsets and
//! process again) or fenced (close: a newer instance owns the transactional id).
//!
//! The output of input record `r` is record `first + r - 1` (see `World::new`): every attempt
//! at transforming the same input writes the same logical output, so the ledger can tell an
//! aborted copy from a committed duplicate. It goes to output partition
//! `input partition % output partitions`, which keeps each input partition's order.

use super::{Producer, TxnPhase};
use crate::model::effects::{ClientCtx, Due, PipeOutcome};
use crate::model::ids::{NodeId, Offset, PartitionId, RecordId};
use crate::model::network::Outgoing;
use crate::model::payload::{ErrorCode, Payload};

/// Which consumer's output this producer writes, and that consumer's group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineLink {
    pub consumer: u32,
    pub group: String,
}

/// The application's pending `sendOffsetsToTransaction` + `commitTransaction`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PipeCommit {
    pub round: u32,
    pub generation: i32,
    pub offsets: Vec<(PartitionId, Offset)>,
    pub stage: Stage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Waiting to send (or resend) `AddOffsetsToTxn`.
    AddOffsets,
    /// `AddOffsetsToTxn` in flight.
    AddingOffsets,
    /// Waiting to send (or resend) `TxnOffsetCommit`.
    CommitOffsets,
    /// `TxnOffsetCommit` in flight.
    CommittingOffsets,
    /// Offsets are in the transaction: `commitTransaction()`.
    Ending,
}

impl Producer {
    fn tell_app(&self, outcome: PipeOutcome, round: u32, ctx: &mut ClientCtx<'_>) {
        if let Some(link) = &self.pipeline {
            ctx.timer(
                ctx.now_ms,
                Due::PipeDone {
                    consumer: link.consumer,
                    round,
                    outcome,
                },
            );
        }
    }

    /// The application's `send()` of the transformed copy of input `record`.
    pub fn pipe_send(&mut self, record: RecordId, from: PartitionId, ctx: &mut ClientCtx<'_>) {
        let Some(output) = record.checked_sub(1).map(|r| self.first_record + r) else {
            return;
        };
        let span = self.topic.end.saturating_sub(self.topic.start).max(1);
        let partition = self.topic.start + from % span;
        match self.txn.phase {
            _ if self.txn.pipe_aborted => {} // this poll's transaction is already aborted
            TxnPhase::Uninitialized | TxnPhase::Initializing => {
                self.txn.pipe_backlog.push_back((output, partition))
            }
            TxnPhase::Ready | TxnPhase::InTransaction => {
                if self.begin_transaction(ctx) {
                    self.enqueue(output, partition, ctx);
                    self.drain(ctx);
                }
            }
            TxnPhase::Committing | TxnPhase::Aborting | TxnPhase::Fenced => {}
        }
    }

    /// `initTransactions()` completed: the outputs sent meanwhile go into a transaction, and a
    /// commit the application asked for proceeds.
    pub(super) fn pipe_ready(&mut self, ctx: &mut ClientCtx<'_>) {
        let backlog: Vec<(RecordId, PartitionId)> = self.txn.pipe_backlog.drain(..).collect();
        if !backlog.is_empty() && self.begin_transaction(ctx) {
            for (output, partition) in backlog {
                self.enqueue(output, partition, ctx);
            }
            self.drain(ctx);
        }
        self.pipe_advance(ctx);
    }

    /// The application's `sendOffsetsToTransaction(offsets, groupMetadata)` then
    /// `commitTransaction()`, for the records of poll `round`.
    pub fn pipe_commit(
        &mut self,
        round: u32,
        generation: i32,
        offsets: Vec<(PartitionId, Offset)>,
        ctx: &mut ClientCtx<'_>,
    ) {
        if self.txn.phase == TxnPhase::Fenced {
            return self.tell_app(PipeOutcome::Fenced, round, ctx);
        }
        if std::mem::take(&mut self.txn.pipe_aborted) {
            return self.tell_app(PipeOutcome::Aborted, round, ctx);
        }
        self.txn.pipe_commit = Some(PipeCommit {
            round,
            generation,
            offsets,
            stage: Stage::AddOffsets,
        });
        self.pipe_advance(ctx);
    }

    /// Takes the pending commit one step further, if it can (also the retry after a backoff).
    pub(super) fn pipe_advance(&mut self, ctx: &mut ClientCtx<'_>) {
        let Some(stage) = self.txn.pipe_commit.as_ref().map(|c| c.stage) else {
            return;
        };
        match (stage, self.txn.phase) {
            (_, TxnPhase::Uninitialized | TxnPhase::Initializing) => {} // after initTransactions
            (Stage::AddOffsets, TxnPhase::Ready | TxnPhase::InTransaction) => {
                if !self.begin_transaction(ctx) || self.txn.request.is_some() {
                    return;
                }
                let payload = Payload::AddOffsetsToTxn {
                    producer_id: self.producer_id,
                    producer_epoch: self.producer_epoch,
                };
                self.send_txn_request(payload, ctx);
                if self.txn.request.is_some() {
                    self.set_stage(Stage::AddingOffsets);
                }
            }
            (Stage::CommitOffsets, TxnPhase::InTransaction) => {
                let Some(link) = self.pipeline.clone() else {
                    return;
                };
                let Some(b) = (ctx.coordinator_of)(&link.group) else {
                    let at = ctx.now_ms + self.config.retry_backoff_ms.max(1);
                    return self.wake_at(at, ctx);
                };
                let commit = self.txn.pipe_commit.as_ref().expect("checked above");
                let payload = Payload::TxnOffsetCommit {
                    producer_id: self.producer_id,
                    producer_epoch: self.producer_epoch,
                    partitions: commit.offsets.len() as u32,
                };
                let mut out = Outgoing::new(self.node(), NodeId::Broker(b), payload);
                out.offsets = commit.offsets.clone();
                out.aux = i64::from(commit.generation);
                let request = ctx.send(out);
                self.txn.offsets_request = Some((request, b));
                self.request_timer(request, ctx);
                self.set_stage(Stage::CommittingOffsets);
            }
            (Stage::Ending, TxnPhase::InTransaction) => {
                self.txn.phase = TxnPhase::Committing;
                self.drain(ctx);
                self.maybe_end_transaction(ctx);
            }
            _ => {}
        }
    }

    fn set_stage(&mut self, stage: Stage) {
        if let Some(c) = &mut self.txn.pipe_commit {
            c.stage = stage;
        }
    }

    /// The answer to `AddOffsetsToTxn` (from the transaction coordinator): true if it was one.
    pub(super) fn pipe_add_offsets_answered(
        &mut self,
        error: Option<ErrorCode>,
        ctx: &mut ClientCtx<'_>,
    ) -> bool {
        if self.txn.pipe_commit.as_ref().map(|c| c.stage) != Some(Stage::AddingOffsets) {
            return false;
        }
        if self.txn.phase == TxnPhase::Aborting {
            // A send failed meanwhile: the abort waited for this request.
            self.maybe_end_transaction(ctx);
            return true;
        }
        match error {
            None => self.set_stage(Stage::CommitOffsets),
            Some(ErrorCode::ProducerFenced | ErrorCode::InvalidProducerEpoch) => {
                self.fenced(ctx);
                return true;
            }
            Some(_) => {
                self.set_stage(Stage::AddOffsets);
                let at = ctx.now_ms + self.config.retry_backoff_ms.max(1);
                self.wake_at(at, ctx);
                return true;
            }
        }
        self.pipe_advance(ctx);
        true
    }

    /// The answer to `TxnOffsetCommit` (from the group coordinator): true if it was one.
    pub(super) fn pipe_offsets_answered(
        &mut self,
        request: u64,
        error: Option<ErrorCode>,
        ctx: &mut ClientCtx<'_>,
    ) -> bool {
        if self.txn.offsets_request.map(|r| r.0) != Some(request) {
            return false;
        }
        self.txn.offsets_request = None;
        match error {
            None => {
                self.set_stage(Stage::Ending);
                self.pipe_advance(ctx);
            }
            Some(ErrorCode::ProducerFenced | ErrorCode::InvalidProducerEpoch) => self.fenced(ctx),
            // KIP-447: this member lost its partitions in a rebalance (a zombie). The error is
            // abortable: the application aborts, and rejoins when it polls again.
            Some(
                ErrorCode::IllegalGeneration
                | ErrorCode::UnknownMemberId
                | ErrorCode::RebalanceInProgress,
            ) => {
                self.txn.phase = TxnPhase::Aborting;
                self.abandon_batches(ctx);
                self.maybe_end_transaction(ctx);
            }
            Some(_) => {
                self.set_stage(Stage::CommitOffsets);
                let at = ctx.now_ms + self.config.retry_backoff_ms.max(1);
                self.wake_at(at, ctx);
            }
        }
        true
    }

    /// The `TxnOffsetCommit` in flight failed (timeout, broken connection): retry it.
    pub(super) fn pipe_offsets_failed(&mut self, request: u64, ctx: &mut ClientCtx<'_>) -> bool {
        if self.txn.offsets_request.map(|r| r.0) != Some(request) {
            return false;
        }
        self.txn.offsets_request = None;
        self.set_stage(Stage::CommitOffsets);
        let at = ctx.now_ms + self.config.retry_backoff_ms.max(1);
        self.wake_at(at, ctx);
        true
    }

    /// `EndTxn` answered (or the producer was fenced): tell the application.
    pub(super) fn pipe_transaction_ended(&mut self, committed: bool, ctx: &mut ClientCtx<'_>) {
        if self.pipeline.is_none() {
            return;
        }
        match self.txn.pipe_commit.take() {
            Some(c) => {
                let outcome = if committed {
                    PipeOutcome::Committed
                } else {
                    PipeOutcome::Aborted
                };
                self.tell_app(outcome, c.round, ctx);
            }
            // Aborted while the application was still processing the poll.
            None if !committed => self.txn.pipe_aborted = true,
            None => {}
        }
    }

    /// Fenced: the application must close.
    pub(super) fn pipe_fenced(&mut self, ctx: &mut ClientCtx<'_>) {
        if let Some(c) = self.txn.pipe_commit.take() {
            self.tell_app(PipeOutcome::Fenced, c.round, ctx);
        }
    }
}
