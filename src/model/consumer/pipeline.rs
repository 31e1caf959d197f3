//! The consumer's half of a consume-transform-produce application (spec §6.5): after a poll's
//! records are processed and their outputs sent, `sendOffsetsToTransaction()` and
//! `commitTransaction()` on the application's producer; then poll on, rewind, or close.

use super::{AppState, Consumer};
use crate::model::effects::{ClientCtx, Due, PipeOutcome};
use crate::model::ids::{NodeId, Offset, PartitionId};

impl Consumer {
    /// Consume-transform-produce: the poll's records are processed and their outputs sent;
    /// `sendOffsetsToTransaction(positions, groupMetadata)` and `commitTransaction()`.
    pub(super) fn pipe_commit(&mut self, ctx: &mut ClientCtx<'_>) {
        let Some(NodeId::Producer(producer)) = self.app.output_producer else {
            return;
        };
        self.pipe_round += 1;
        self.state = AppState::Transacting;
        let offsets: Vec<(PartitionId, Offset)> = self
            .positions
            .iter()
            .enumerate()
            .filter(|&(p, _)| self.owned[p])
            .filter_map(|(p, o)| o.map(|o| (p as PartitionId, o)))
            .collect();
        ctx.timer(
            ctx.now_ms,
            Due::PipeCommit {
                producer,
                round: self.pipe_round,
                generation: self.generation,
                offsets,
            },
        );
    }

    /// The producer's answer: the transaction of this poll ended.
    pub fn pipe_done(&mut self, round: u32, outcome: PipeOutcome, ctx: &mut ClientCtx<'_>) {
        if self.state != AppState::Transacting || round != self.pipe_round || self.closed {
            return;
        }
        match outcome {
            PipeOutcome::Committed => {
                self.state = AppState::Polling;
                self.schedule_poll(ctx.now_ms, ctx);
            }
            PipeOutcome::Aborted => {
                // Rewind: forget positions and buffered records, fetch the committed offsets
                // again (a member rejoins first: it may have lost partitions).
                self.clear_buffer();
                for p in 0..self.positions.len() {
                    if self.owned[p] {
                        self.positions[p] = None;
                        self.fetch_offsets[p] = None;
                    }
                }
                if self.app.subscribe {
                    self.rejoin_needed = true;
                    self.state = AppState::Polling;
                    self.schedule_poll(ctx.now_ms, ctx);
                } else {
                    self.state = AppState::Starting;
                    self.redrive(ctx);
                }
            }
            PipeOutcome::Fenced => self.close(ctx),
        }
    }
}
