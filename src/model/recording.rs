//! Recording: how an event reaches the ledger, the fault triggers and the trace.
//!
//! Every event goes through [`World::record`], in the order the effects loop applies the
//! effects. A handler's events usually travel through the outbox (`Out::Trace`); a handler
//! may instead record straight into the trace through a [`Recorder`] when that gives the very
//! same order: nothing is waiting in the outbox before its event, nothing watches the trace
//! (no trigger, no watch, so no command can fire in between), and the world records nothing
//! else before the outbox is flushed (it is the step's last handler). That spares the event a
//! trip through the 96-byte `Out` and back. A timer set under the same conditions goes straight
//! into the event queue: it would have been the first effect the loop applied.

use super::commands::Trigger;
use super::effects::{Due, Out, Outbox};
use super::ids::NodeId;
use super::ledger::Ledger;
use super::payload::Payload;
use super::time::{EventQueue, Millis};
use super::trace::{EventKind, TraceEvent};
use super::world::World;

/// What a handler needs to record an event straight into the trace (see the module docs).
pub(crate) struct Recorder<'a> {
    pub(crate) trace: &'a mut Vec<TraceEvent>,
    pub(crate) trace_limit: u32,
    pub(crate) events_emitted: &'a mut u64,
    pub(crate) invariant_violations: &'a mut u32,
    pub(crate) ledger: &'a mut Ledger,
    pub(crate) queue: &'a mut EventQueue<Due>,
}

impl Recorder<'_> {
    /// What [`World::record`] does with `kind` when nothing watches the trace.
    fn record(&mut self, now_ms: Millis, kind: EventKind) {
        *self.events_emitted += 1;
        self.ledger.learn(&kind);
        if let EventKind::InvariantViolated { .. } = kind {
            *self.invariant_violations += 1;
        }
        keep(self.trace, self.trace_limit, now_ms, kind);
    }
}

/// Records `kind` now if `recorder` may (nothing waits in the outbox before it), else pushes
/// it to the outbox for the effects loop.
#[inline]
pub(crate) fn trace_or_push(
    recorder: &mut Option<Recorder<'_>>,
    out: &mut Outbox,
    now_ms: Millis,
    kind: EventKind,
) {
    match recorder {
        Some(r) if out.is_empty() => r.record(now_ms, kind),
        _ => out.push(Out::Trace(kind)),
    }
}

/// Schedules `due` now if `recorder` may (nothing waits in the outbox before it), as the
/// effects loop would (never in the past), else pushes it to the outbox.
#[inline]
pub(crate) fn timer_or_push(
    recorder: &mut Option<Recorder<'_>>,
    out: &mut Outbox,
    now_ms: Millis,
    at_ms: Millis,
    due: Due,
) {
    match recorder {
        Some(r) if out.is_empty() => r.queue.schedule(at_ms.max(now_ms), due),
        _ => out.push(Out::Timer { at_ms, due }),
    }
}

/// Keeps `kind` in the trace while under its limit.
fn keep(trace: &mut Vec<TraceEvent>, trace_limit: u32, now_ms: Millis, kind: EventKind) {
    if (trace.len() as u64) < u64::from(trace_limit) {
        trace.push(TraceEvent {
            at_ms: now_ms,
            kind,
        });
    } else {
        note_trace_limit(trace, trace_limit, now_ms);
    }
}

/// An event past the trace limit: the first one leaves a `TraceLimitReached` mark.
fn note_trace_limit(trace: &mut Vec<TraceEvent>, trace_limit: u32, now_ms: Millis) {
    if trace.len() as u64 == u64::from(trace_limit) {
        trace.push(TraceEvent {
            at_ms: now_ms,
            kind: EventKind::TraceLimitReached { limit: trace_limit },
        });
    }
}

impl World {
    /// Puts a message on the network and records it.
    pub(crate) fn send(&mut self, mut env: Box<super::network::Envelope>) {
        let arrives_at_ms = self.network.send(self.now_ms, &mut env, &mut self.rng);
        if (self.trace.len() as u64) < u64::from(self.trace_limit)
            || !self.triggers.is_empty()
            || !self.watches.is_empty()
        {
            self.record(EventKind::MessageSent {
                id: env.id,
                from: env.from,
                to: env.to,
                payload: env.payload.clone(),
                arrives_at_ms,
            });
        } else {
            // Past the trace limit with nothing watching: what `record` would do with the
            // event, without building it (no payload clone).
            self.events_emitted += 1;
            self.ledger.observe_sent(&env.payload);
            self.note_trace_limit();
        }
        self.queue.schedule(arrives_at_ms, Due::Deliver(env));
    }

    /// Records an event: the ledger learns from it, triggers may fire, and the trace keeps it
    /// while under its limit.
    pub(crate) fn record(&mut self, kind: EventKind) {
        self.events_emitted += 1;
        self.ledger.learn(&kind);
        if let EventKind::InvariantViolated { .. } = kind {
            self.invariant_violations += 1;
        }
        if !self.triggers.is_empty() {
            self.fire_triggers(&kind);
        }
        if !self.watches.is_empty() {
            self.watch(&kind);
        }
        keep(&mut self.trace, self.trace_limit, self.now_ms, kind);
    }

    /// An event past the trace limit: the first one leaves a `TraceLimitReached` mark.
    pub(crate) fn note_trace_limit(&mut self) {
        note_trace_limit(&mut self.trace, self.trace_limit, self.now_ms);
    }

    fn fire_triggers(&mut self, kind: &EventKind) {
        let mut i = 0;
        while i < self.triggers.len() {
            if self.trigger_matches(&self.triggers[i].0, kind) {
                let (_, delay, command) = self.triggers.remove(i);
                if delay == 0 {
                    self.immediate.push(command);
                } else {
                    self.queue
                        .schedule(self.now_ms + delay, Due::Command(command));
                }
            } else {
                i += 1;
            }
        }
    }

    /// Marks the watched steps this event is (as [`World::fire_triggers`] would fire them).
    fn watch(&mut self, kind: &EventKind) {
        for i in 0..self.watches.len() {
            if !self.watches[i].1 && self.trigger_matches(&self.watches[i].0, kind) {
                self.watches[i].1 = true;
            }
        }
    }

    fn trigger_matches(&self, trigger: &Trigger, kind: &EventKind) -> bool {
        match (trigger, kind) {
            (Trigger::RecordSent { record }, EventKind::RecordSent { record: r, .. })
            | (Trigger::LeaderAppended { record }, EventKind::Appended { record: r, .. })
            | (Trigger::Acked { record }, EventKind::Acked { record: r, .. }) => record == r,
            (
                Trigger::Replicated { record, broker },
                EventKind::Replicated {
                    record: r,
                    broker: b,
                    ..
                },
            ) => record == r && broker.is_none_or(|x| x == *b),
            (
                Trigger::HighWatermarkPassed { record },
                EventKind::HighWatermark {
                    broker,
                    partition,
                    high_watermark,
                },
            ) => {
                self.ledger
                    .last_appended(*record)
                    .is_some_and(|(p, o)| p == *partition && o < *high_watermark)
                    && self.controller.leader(*partition).map(NodeId::Broker) == Some(*broker)
            }
            (
                Trigger::AckSent { record },
                EventKind::MessageSent {
                    payload: p @ Payload::ProduceResponse { error: None, .. },
                    ..
                },
            ) => p.batch_records().any(|r| r == *record),
            (
                Trigger::Polled {
                    consumer,
                    offset,
                    partition,
                },
                EventKind::Polled {
                    consumer: c,
                    offset: o,
                    partition: p,
                    ..
                },
            )
            | (
                Trigger::Processed {
                    consumer,
                    offset,
                    partition,
                },
                EventKind::Processed {
                    consumer: c,
                    offset: o,
                    partition: p,
                    ..
                },
            ) => consumer == c && offset == o && partition == p,
            (
                Trigger::Committed {
                    consumer,
                    offset,
                    partition,
                },
                EventKind::OffsetCommitted {
                    consumer: c,
                    offset: o,
                    partition: p,
                },
            ) => consumer == c && o >= offset && partition == p,
            _ => false,
        }
    }
}
