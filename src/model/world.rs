//! The world: every node, the network and the clock, advanced one event at a time.
//!
//! Handlers take a node's state and an input and return effects as data (`Out`): messages to send
//! and timers to set. One loop, [`World::step`], applies them and records every change in the
//! trace (stateright's `Out`/`Command`).

use super::scenario::Scenario;
use super::time::{EventQueue, Millis};
use super::trace::{EventKind, MessageId, NodeId, Payload, RecordId, TraceEvent};

const PRODUCER: NodeId = NodeId::Producer(1);
const BROKER: NodeId = NodeId::Broker(1);
const CONSUMER: NodeId = NodeId::Consumer(1);

/// Something that falls due at a virtual time.
#[derive(Debug, Clone)]
enum Due {
    /// The producer's application calls `send()` for its next record.
    AppSend,
    /// A message reaches its destination.
    Deliver {
        id: MessageId,
        from: NodeId,
        to: NodeId,
        payload: Payload,
    },
    /// The consumer sends its next fetch.
    ConsumerFetch,
}

/// An effect a handler asks for.
enum Out {
    Send { to: NodeId, payload: Payload },
    Timer { after_ms: Millis, due: Due },
    Trace(EventKind),
}

/// The whole simulated system. `Clone` is a snapshot: the UI seeks backwards by cloning.
#[derive(Debug, Clone)]
pub struct World {
    scenario: Scenario,
    now_ms: Millis,
    queue: EventQueue<Due>,
    trace: Vec<TraceEvent>,
    next_message: MessageId,
    /// Records the producer's application has sent so far.
    sent: u32,
    /// The broker's log: record ids in offset order.
    log: Vec<RecordId>,
    /// The consumer's position: the next offset it will fetch.
    position: u64,
}

impl World {
    pub fn new(scenario: Scenario) -> Self {
        let mut world = Self {
            scenario,
            now_ms: 0,
            queue: EventQueue::default(),
            trace: Vec::new(),
            next_message: 1,
            sent: 0,
            log: Vec::new(),
            position: 0,
        };
        world.queue.schedule(0, Due::AppSend);
        world.queue.schedule(0, Due::ConsumerFetch);
        world
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn now_ms(&self) -> Millis {
        self.now_ms
    }

    pub fn trace(&self) -> &[TraceEvent] {
        &self.trace
    }

    /// The broker's log, in offset order.
    pub fn log(&self) -> &[RecordId] {
        &self.log
    }

    /// Applies every event due at or before `until_ms` (capped at the scenario's duration), then
    /// sets the clock to `until_ms`.
    pub fn run_until(&mut self, until_ms: Millis) {
        let until_ms = until_ms.min(self.scenario.duration_ms);
        while self.step(until_ms) {}
        self.now_ms = self.now_ms.max(until_ms);
    }

    /// Applies the next event if it is due at or before `until_ms`; false if there was none.
    pub fn step(&mut self, until_ms: Millis) -> bool {
        let Some((at_ms, due)) = self.queue.pop_due(until_ms) else {
            return false;
        };
        debug_assert!(at_ms >= self.now_ms, "time never goes back");
        self.now_ms = at_ms;
        let (node, outs) = self.handle(due);
        for out in outs {
            self.apply(node, out);
        }
        true
    }

    fn handle(&mut self, due: Due) -> (NodeId, Vec<Out>) {
        match due {
            Due::AppSend => (PRODUCER, self.producer_send()),
            Due::ConsumerFetch => (
                CONSUMER,
                vec![Out::Send {
                    to: BROKER,
                    payload: Payload::Fetch {
                        fetch_offset: self.position,
                    },
                }],
            ),
            Due::Deliver {
                id,
                from,
                to,
                payload,
            } => {
                self.record(EventKind::MessageDelivered { id });
                (to, self.deliver(from, to, payload))
            }
        }
    }

    fn producer_send(&mut self) -> Vec<Out> {
        self.sent += 1;
        let record = self.sent;
        let mut outs = vec![
            Out::Trace(EventKind::RecordSent {
                producer: PRODUCER,
                record,
            }),
            Out::Send {
                to: BROKER,
                payload: Payload::Produce {
                    records: vec![record],
                },
            },
        ];
        if self.sent < self.scenario.records {
            outs.push(Out::Timer {
                after_ms: self.scenario.send_interval_ms,
                due: Due::AppSend,
            });
        }
        outs
    }

    fn deliver(&mut self, from: NodeId, to: NodeId, payload: Payload) -> Vec<Out> {
        match payload {
            Payload::Produce { records } => {
                let base_offset = self.log.len() as u64;
                let mut outs = Vec::new();
                for (i, &record) in records.iter().enumerate() {
                    self.log.push(record);
                    outs.push(Out::Trace(EventKind::Appended {
                        broker: to,
                        offset: base_offset + i as u64,
                        record,
                    }));
                }
                outs.push(Out::Send {
                    to: from,
                    payload: Payload::ProduceResponse {
                        records,
                        base_offset,
                    },
                });
                outs
            }
            Payload::ProduceResponse {
                records,
                base_offset,
            } => records
                .into_iter()
                .enumerate()
                .map(|(i, record)| {
                    Out::Trace(EventKind::Acked {
                        producer: to,
                        record,
                        offset: base_offset + i as u64,
                    })
                })
                .collect(),
            Payload::Fetch { fetch_offset } => {
                let records = self
                    .log
                    .iter()
                    .enumerate()
                    .skip(fetch_offset as usize)
                    .map(|(offset, &record)| (offset as u64, record))
                    .collect();
                vec![Out::Send {
                    to: from,
                    payload: Payload::FetchResponse { records },
                }]
            }
            Payload::FetchResponse { records } => {
                let mut outs: Vec<Out> = Vec::new();
                for &(offset, record) in &records {
                    debug_assert_eq!(offset, self.position, "offsets are gapless here");
                    self.position = offset + 1;
                    outs.push(Out::Trace(EventKind::Processed {
                        consumer: to,
                        offset,
                        record,
                    }));
                }
                let after_ms = if records.is_empty() {
                    self.scenario.fetch_backoff_ms
                } else {
                    0
                };
                outs.push(Out::Timer {
                    after_ms,
                    due: Due::ConsumerFetch,
                });
                outs
            }
        }
    }

    fn apply(&mut self, node: NodeId, out: Out) {
        match out {
            Out::Trace(kind) => self.record(kind),
            Out::Timer { after_ms, due } => self.queue.schedule(self.now_ms + after_ms, due),
            Out::Send { to, payload } => {
                let id = self.next_message;
                self.next_message += 1;
                let arrives_at_ms = self.now_ms + self.scenario.latency_ms;
                self.record(EventKind::MessageSent {
                    id,
                    from: node,
                    to,
                    payload: payload.clone(),
                    arrives_at_ms,
                });
                self.queue.schedule(
                    arrives_at_ms,
                    Due::Deliver {
                        id,
                        from: node,
                        to,
                        payload,
                    },
                );
            }
        }
    }

    fn record(&mut self, kind: EventKind) {
        self.trace.push(TraceEvent {
            at_ms: self.now_ms,
            kind,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_travels_to_the_broker_and_its_ack_comes_back() {
        let mut world = World::new(Scenario {
            records: 1,
            ..Scenario::default()
        });
        world.run_until(10_000);
        let lines: Vec<String> = world
            .trace()
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    EventKind::Appended { .. }
                        | EventKind::Acked { .. }
                        | EventKind::Processed { .. }
                )
            })
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            lines,
            vec![
                "t=   300ms B1 appended m1 at offset 0",
                "t=   600ms P1 told m1 is at offset 0",
                "t=   600ms C1 processed m1 (offset 0)",
            ]
        );
    }

    #[test]
    fn the_same_scenario_gives_the_same_trace() {
        let run = || {
            let mut w = World::new(Scenario::default());
            w.run_until(6000);
            w.trace().to_vec()
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn every_record_is_processed_once_in_order() {
        let mut world = World::new(Scenario::default());
        world.run_until(u64::MAX);
        let processed: Vec<RecordId> = world
            .trace()
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Processed { record, .. } => Some(record),
                _ => None,
            })
            .collect();
        assert_eq!(processed, vec![1, 2, 3, 4, 5]);
    }
}
