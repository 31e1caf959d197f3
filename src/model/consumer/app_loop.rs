//! The application loop (spec §4.3): `poll()` with its auto-commit, processing in the polling
//! thread or on a worker, the commits before or after processing, and `close()`.

use super::{AppState, Consumer, Delivered, SKIPPED};
use crate::model::effects::{ClientCtx, Due};
use crate::model::ids::NodeId;
use crate::model::scenario::{CommitMode, Processing};
use crate::model::time::Millis;
use crate::model::trace::{EventKind, Invariant};
use std::collections::VecDeque;

impl Consumer {
    pub(super) fn schedule_poll(&mut self, at_ms: Millis, ctx: &mut ClientCtx<'_>) {
        self.poll_token += 1;
        ctx.timer(
            at_ms,
            Due::Poll {
                consumer: self.id,
                incarnation: self.incarnation,
                token: self.poll_token,
            },
        );
    }

    /// The application calls `poll()`.
    pub fn poll(&mut self, token: u32, ctx: &mut ClientCtx<'_>) {
        if token != self.poll_token || self.state != AppState::Polling || self.closed {
            return;
        }
        // Where Kafka runs the rebalance callbacks: inside poll().
        if let Some(assigned) = self.pending_assignment.take() {
            self.apply_assignment(assigned, true, ctx);
            self.redrive(ctx);
        }
        if self.app.subscribe && (self.rejoin_needed || self.generation < 0) && self.rejoin(ctx) {
            return;
        }
        // ConsumerCoordinator.poll: the auto-commit comes first, with the current positions.
        if self.config.enable_auto_commit && ctx.now_ms >= self.next_auto_commit_ms {
            self.next_auto_commit_ms = ctx.now_ms + self.config.auto_commit_interval_ms;
            self.send_commit(false, ctx);
        }
        let mut batch = VecDeque::new();
        while batch.len() < self.config.max_poll_records as usize {
            let Some((p, offset, record, epoch)) = self.buffer.pop_front() else {
                break;
            };
            self.buffered[p as usize] -= 1;
            if record == SKIPPED {
                if self.positions[p as usize] == Some(offset) {
                    self.positions[p as usize] = Some(offset + 1);
                    self.position_epochs[p as usize] = Some(epoch);
                }
                continue;
            }
            match self.positions[p as usize] {
                Some(pos) if pos == offset => {}
                Some(pos) if offset > pos => {
                    ctx.trace(EventKind::InvariantViolated {
                        invariant: Invariant::NonMonotonicPoll,
                        node: self.node(),
                        partition: p,
                    });
                }
                _ => continue,
            }
            self.positions[p as usize] = Some(offset + 1);
            self.position_epochs[p as usize] = Some(epoch);
            ctx.trace(EventKind::Polled {
                consumer: self.node(),
                partition: p,
                offset,
                record,
            });
            batch.push_back((p, offset, record));
        }
        self.maybe_fetch(ctx);
        if batch.is_empty() {
            self.schedule_poll(ctx.now_ms + self.app.poll_timeout_ms.max(1), ctx);
            return;
        }
        self.polls += 1;
        if self.app.subscribe {
            ctx.timer(
                ctx.now_ms + self.config.max_poll_interval_ms,
                Due::PollIntervalCheck {
                    consumer: self.id,
                    incarnation: self.incarnation,
                    polls: self.polls,
                },
            );
        }
        match (self.app.processing, self.app.commit) {
            (Processing::Async, _) => {
                self.worker.extend(batch);
                self.start_worker(ctx);
                self.schedule_poll(ctx.now_ms, ctx);
            }
            (Processing::Sync, CommitMode::BeforeProcessing) => {
                self.state = AppState::Committing(batch);
                self.send_commit(true, ctx);
            }
            (Processing::Sync, _) => self.process(batch, ctx),
        }
    }

    pub(super) fn process(&mut self, batch: VecDeque<Delivered>, ctx: &mut ClientCtx<'_>) {
        self.state = AppState::Processing(batch);
        ctx.timer(
            ctx.now_ms + self.app.processing_ms,
            Due::ProcessDone {
                consumer: self.id,
                incarnation: self.incarnation,
                worker: false,
            },
        );
    }

    pub(super) fn start_worker(&mut self, ctx: &mut ClientCtx<'_>) {
        if !self.worker_busy && !self.worker.is_empty() {
            self.worker_busy = true;
            ctx.timer(
                ctx.now_ms + self.app.processing_ms,
                Due::ProcessDone {
                    consumer: self.id,
                    incarnation: self.incarnation,
                    worker: true,
                },
            );
        }
    }

    /// One record's processing finished (in the polling thread or in the worker).
    pub fn process_done(&mut self, worker: bool, ctx: &mut ClientCtx<'_>) {
        let me = self.node();
        if worker {
            self.worker_busy = false;
            if let Some((partition, offset, record)) = self.worker.pop_front() {
                ctx.trace(EventKind::Processed {
                    consumer: me,
                    partition,
                    offset,
                    record,
                });
            }
            return self.start_worker(ctx);
        }
        let AppState::Processing(batch) = &mut self.state else {
            return;
        };
        if let Some((partition, offset, record)) = batch.pop_front() {
            ctx.trace(EventKind::Processed {
                consumer: me,
                partition,
                offset,
                record,
            });
            if let Some(NodeId::Producer(producer)) = self.app.output_producer {
                // transform(record), then producer.send() inside the transaction.
                ctx.timer(
                    ctx.now_ms,
                    Due::PipeSend {
                        producer,
                        record,
                        partition,
                    },
                );
            }
        }
        if !batch.is_empty() {
            ctx.timer(
                ctx.now_ms + self.app.processing_ms,
                Due::ProcessDone {
                    consumer: self.id,
                    incarnation: self.incarnation,
                    worker: false,
                },
            );
        } else if self.app.commit == CommitMode::AfterProcessing {
            self.state = AppState::Committing(VecDeque::new());
            self.send_commit(true, ctx);
        } else if self.app.commit == CommitMode::Transaction {
            self.pipe_commit(ctx);
        } else {
            self.state = AppState::Polling;
            self.schedule_poll(ctx.now_ms, ctx);
        }
    }

    pub(super) fn after_commit(&mut self, ctx: &mut ClientCtx<'_>) {
        let AppState::Committing(batch) = std::mem::replace(&mut self.state, AppState::Polling)
        else {
            return;
        };
        if batch.is_empty() {
            self.schedule_poll(ctx.now_ms, ctx);
        } else {
            self.process(batch, ctx);
        }
    }

    /// `close()`: a final synchronous auto-commit of the positions, then the consumer stops.
    pub fn close(&mut self, ctx: &mut ClientCtx<'_>) {
        if !self.alive || self.closed {
            return;
        }
        if self.config.enable_auto_commit {
            self.send_commit(false, ctx);
        }
        // A dynamic member says goodbye, so the group rebalances at once (spec §5.3); a static
        // one does not, and is removed after session.timeout.ms unless it comes back.
        if self.app.subscribe && self.generation >= 0 && self.config.group_instance_id.is_none() {
            self.leave_group(ctx);
        }
        self.closed = true;
        self.state = AppState::Stopped;
        ctx.trace(EventKind::ConsumerClosed {
            consumer: self.node(),
        });
    }
}
