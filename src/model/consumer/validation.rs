//! Truncation detection (KIP-320; spec §3.7, §4.5 item 4): after a leader change the consumer
//! checks its position against the new leader's epoch history before it fetches again.
//!
//! The consumer remembers, per partition, the leader epoch of the last record `poll()` returned
//! (`FetchPosition.offsetEpoch`) and the leader epoch its position was last checked against
//! (`FetchPosition.currentLeader`). When the metadata names a newer leader epoch and the position
//! has an epoch, the partition awaits validation (`FetchStates.AWAIT_VALIDATION`): buffered records
//! and the fetch in flight are dropped, nothing is fetched or committed for it, and
//! `OffsetsForLeaderEpoch` asks the leader where that epoch ends in its log
//! (`SubscriptionState.maybeCompleteValidation`). If it ends below the position, records the
//! consumer read are gone from the log (an unclean election, a power loss): with
//! `auto.offset.reset` earliest or latest it seeks back to where the logs diverged, and reads the
//! records that reuse those offsets; with `none` it raises `LogTruncationException` and stops
//! reading the partition. A leader that knows no such epoch gives no divergence point:
//! `auto.offset.reset` applies. A position without an epoch (just reset, or from a committed
//! offset) is not validated: fetching past the log end gets `OFFSET_OUT_OF_RANGE` instead.
//! SIMPLIFY: committed offsets carry no leader epoch (Kafka's do, and validates them too).

use super::{Consumer, Request};
use crate::model::config::OffsetReset;
use crate::model::effects::ClientCtx;
use crate::model::ids::{MessageId, NodeId, Offset, PartitionId};
use crate::model::payload::{ErrorCode, Payload};
use crate::model::trace::{EventKind, PositionSource, Validation};

impl Consumer {
    /// Notices a leader change of partition `p` (from the metadata) and, while its position
    /// awaits validation, makes sure an `OffsetsForLeaderEpoch` is out. True while it awaits:
    /// the partition is not fetched.
    pub(super) fn awaiting_validation(&mut self, p: PartitionId, ctx: &mut ClientCtx<'_>) -> bool {
        let i = p as usize;
        let Some(meta) = ctx.controller.partitions.get(i) else {
            return false;
        };
        let (leader, epoch) = (meta.leader, meta.leader_epoch);
        match self.leader_epochs[i] {
            Some(known) if known != epoch => {
                self.leader_epochs[i] = Some(epoch);
                // `maybeValidatePositionForCurrentLeader`: only a position with an epoch.
                if let (Some(position), Some(last)) = (self.positions[i], self.position_epochs[i]) {
                    self.validating[i] = Some((position, last));
                    self.drop_buffered(p);
                    self.fetch_offsets[i] = Some(position);
                    // Answers from the old leader (or to an older validation) no longer count.
                    let stale: Vec<MessageId> = self
                        .requests
                        .iter()
                        .filter(|(_, (r, _))| matches!(r, Request::Fetch(q) | Request::Validate(q) if *q == p))
                        .map(|(&id, _)| id)
                        .collect();
                    for id in stale {
                        self.requests.remove(&id);
                    }
                }
            }
            None => self.leader_epochs[i] = Some(epoch),
            Some(_) => {}
        }
        let Some((_, last)) = self.validating[i] else {
            return false;
        };
        if self.pending(|r| r == Request::Validate(p)) {
            return true;
        }
        match leader {
            Some(leader) => {
                let payload = Payload::OffsetsForLeaderEpoch {
                    partition: p,
                    leader_epoch: last,
                    current_leader_epoch: epoch,
                };
                self.request(leader, payload, 0, Request::Validate(p), ctx);
            }
            None => self.retry_later(ctx),
        }
        true
    }

    /// The leader's answer to `OffsetsForLeaderEpoch` (`maybeCompleteValidation`).
    pub(super) fn on_validation(
        &mut self,
        p: PartitionId,
        from: NodeId,
        end: Option<(u32, Offset)>,
        error: Option<ErrorCode>,
        ctx: &mut ClientCtx<'_>,
    ) {
        let i = p as usize;
        let Some((offset, last)) = self.validating[i] else {
            return;
        };
        if self.positions[i] != Some(offset) {
            // The position moved meanwhile (a rebalance, a rewind): nothing left to validate.
            self.validating[i] = None;
            return;
        }
        if error.is_some() {
            // Not the leader (yet, or any more), or a stale epoch: ask again after a backoff.
            return self.retry_later(ctx);
        }
        let reset = self.config.auto_offset_reset != OffsetReset::None;
        let outcome = match end {
            Some((_, end)) if end >= offset => Validation::Valid,
            Some(_) if reset => Validation::SeekToDivergence,
            None if reset => Validation::Reset,
            _ => Validation::LogTruncation,
        };
        self.validating[i] = None;
        ctx.trace(EventKind::PositionValidated {
            consumer: self.node(),
            partition: p,
            offset,
            leader_epoch: last,
            broker: from,
            end,
            outcome,
        });
        match (outcome, end) {
            (Validation::SeekToDivergence, Some((epoch, end))) => {
                self.set_position(p, end, PositionSource::Diverged, ctx);
                self.position_epochs[i] = Some(epoch);
            }
            (Validation::Reset | Validation::SeekToDivergence, _) => self.out_of_range(p, ctx),
            (Validation::LogTruncation, _) => {
                // LogTruncationException from poll(): the application stops reading p.
                self.positions[i] = None;
                self.fetch_offsets[i] = None;
                self.drop_buffered(p);
            }
            (Validation::Valid, _) => {}
        }
    }
}
