//! The network: one FIFO connection per ordered pair of nodes, with latency, cut links and
//! chosen losses.
//!
//! Kafka requests and responses on one TCP connection arrive in order (spec §1.2, §11.2), so a
//! message never overtakes an earlier one on the same connection, even with jitter. A cut link
//! loses every message that arrives while it is cut; a command can lose one chosen message.
//! The data a message carries (log entries, offsets) travels in the [`Envelope`], beside the
//! small [`Payload`] the trace shows.

use super::commands::MessageSelector;
use super::ids::{MessageId, NodeId, Offset, PartitionId};
use super::log::LogEntry;
use super::payload::Payload;
use super::rng::{Choice, Rng};
use super::time::Millis;
use std::collections::BTreeSet;

/// A message in flight, with everything its receiver needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub id: MessageId,
    pub from: NodeId,
    pub to: NodeId,
    pub payload: Payload,
    /// Log entries carried by fetch responses.
    pub entries: Vec<LogEntry>,
    /// Offsets carried by offset commits and offset-fetch responses.
    pub offsets: Vec<(PartitionId, Offset)>,
    /// A number whose meaning depends on the payload: the request timeout of a produce request,
    /// the wait of a fetch, the diverging epoch of a replica-fetch response.
    pub aux: i64,
    /// A command chose this message to be lost.
    pub doomed: bool,
}

/// A message a handler wants sent. Its id is given by the handler's context when it is pushed
/// (so the handler can remember which request an answer belongs to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub id: MessageId,
    pub from: NodeId,
    pub to: NodeId,
    pub payload: Payload,
    pub entries: Vec<LogEntry>,
    pub offsets: Vec<(PartitionId, Offset)>,
    pub aux: i64,
}

impl Envelope {
    /// The message a handler sent, on the heap: it travels in the outbox and the event queue
    /// without being copied again.
    pub fn boxed(out: Outgoing) -> Box<Envelope> {
        let env = Envelope {
            id: out.id,
            from: out.from,
            to: out.to,
            payload: out.payload,
            entries: out.entries,
            offsets: out.offsets,
            aux: out.aux,
            doomed: false,
        };
        match SPARE_BOXES.with(|spare| spare.borrow_mut().pop()) {
            Some(mut boxed) => {
                *boxed = env;
                boxed
            }
            None => Box::new(env),
        }
    }

    /// Done with a delivered (or dropped) message: what it carries is freed now, as dropping
    /// it would, and its box is kept for the next message [`Envelope::boxed`] makes. A message
    /// is about 150 bytes, too large for the allocator's fast bins, and one was allocated and
    /// freed per message.
    pub fn recycle(mut boxed: Box<Envelope>) {
        boxed.payload = Payload::OffsetFetch;
        boxed.entries = Vec::new();
        boxed.offsets = Vec::new();
        SPARE_BOXES.with(|spare| {
            let mut spare = spare.borrow_mut();
            if spare.len() < SPARE_LIMIT {
                spare.push(boxed);
            }
        });
    }
}

/// At most this many message boxes are kept for reuse.
const SPARE_LIMIT: usize = 1024;

std::thread_local! {
    /// Boxes of delivered messages, for the next ones (per thread; worlds on one thread share
    /// them, which changes nothing but where a message lives in memory). The boxes are the
    /// point: they are the allocations kept.
    #[allow(clippy::vec_box)]
    static SPARE_BOXES: std::cell::RefCell<Vec<Box<Envelope>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

impl Outgoing {
    pub fn new(from: NodeId, to: NodeId, payload: Payload) -> Self {
        Self {
            id: 0,
            from,
            to,
            payload,
            entries: Vec::new(),
            offsets: Vec::new(),
            aux: 0,
        }
    }
}

/// Links, their latency, and what is cut or marked to be lost.
#[derive(Debug, Clone)]
pub struct Network {
    latency_ms: Millis,
    jitter_ms: Millis,
    producers: u32,
    brokers: u32,
    consumers: u32,
    /// Arrival time of the last message on each directed connection (FIFO).
    last_arrival_ms: Vec<Millis>,
    /// Cut links, as (smaller, larger) node pairs.
    cut: BTreeSet<(NodeId, NodeId)>,
    /// Selectors waiting for the message they will lose.
    armed: Vec<MessageSelector>,
}

impl Network {
    pub fn new(
        latency_ms: Millis,
        jitter_ms: Millis,
        brokers: u32,
        producers: u32,
        consumers: u32,
    ) -> Self {
        let nodes = (1 + brokers + producers + consumers) as usize;
        Self {
            latency_ms,
            jitter_ms,
            producers,
            brokers,
            consumers,
            last_arrival_ms: vec![0; nodes * nodes],
            cut: BTreeSet::new(),
            armed: Vec::new(),
        }
    }

    pub fn latency_ms(&self) -> Millis {
        self.latency_ms
    }

    fn index(&self, n: NodeId) -> usize {
        let i = match n {
            NodeId::Controller => 0,
            NodeId::Broker(b) => b.min(self.brokers),
            NodeId::Producer(p) => self.brokers + p.min(self.producers),
            NodeId::Consumer(c) => self.brokers + self.producers + c.min(self.consumers),
        };
        i as usize
    }

    fn connection(&self, from: NodeId, to: NodeId) -> usize {
        let nodes = (1 + self.brokers + self.producers + self.consumers) as usize;
        self.index(from) * nodes + self.index(to)
    }

    /// Puts a message on its connection (marking it lost if an armed selector chose it):
    /// returns its arrival time.
    pub fn send(&mut self, now_ms: Millis, env: &mut Envelope, rng: &mut Rng) -> Millis {
        let jitter = if self.jitter_ms > 0 {
            rng.below(Choice::LatencyJitter, self.jitter_ms + 1)
        } else {
            0
        };
        let c = self.connection(env.from, env.to);
        let arrives_at_ms = (now_ms + self.latency_ms + jitter).max(self.last_arrival_ms[c]);
        self.last_arrival_ms[c] = arrives_at_ms;
        if !self.armed.is_empty() {
            if let Some(i) = self.armed.iter().position(|s| matches(s, env)) {
                self.armed.remove(i);
                env.doomed = true;
            }
        }
        arrives_at_ms
    }

    /// When a notice sent now from `from` to `to` would arrive behind everything already sent.
    pub fn arrival_behind(&self, now_ms: Millis, from: NodeId, to: NodeId) -> Millis {
        (now_ms + self.latency_ms).max(self.last_arrival_ms[self.connection(from, to)])
    }

    /// Arms a selector: the next message it matches will be lost. A message already in flight
    /// that matches is chosen by [`Network::claim_in_flight`] instead.
    pub fn arm(&mut self, selector: MessageSelector) {
        self.armed.push(selector);
    }

    /// Whether an armed selector matches a message already in flight; if so it is used up.
    pub fn claim_in_flight(&mut self, env: &Envelope) -> bool {
        if let Some(i) = self.armed.iter().position(|s| matches(s, env)) {
            self.armed.remove(i);
            return true;
        }
        false
    }

    pub fn has_armed(&self) -> bool {
        !self.armed.is_empty()
    }

    fn pair(a: NodeId, b: NodeId) -> (NodeId, NodeId) {
        if a <= b {
            (a, b)
        } else {
            (b, a)
        }
    }

    /// Cuts the link; true if it was whole.
    pub fn cut(&mut self, a: NodeId, b: NodeId) -> bool {
        self.cut.insert(Self::pair(a, b))
    }

    /// Mends the link; true if it was cut.
    pub fn heal(&mut self, a: NodeId, b: NodeId) -> bool {
        self.cut.remove(&Self::pair(a, b))
    }

    pub fn is_cut(&self, a: NodeId, b: NodeId) -> bool {
        !self.cut.is_empty() && self.cut.contains(&Self::pair(a, b))
    }

    /// The cut links, for drawing.
    pub fn cut_links(&self) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
        self.cut.iter().copied()
    }
}

fn matches(selector: &MessageSelector, env: &Envelope) -> bool {
    match (selector, &env.payload) {
        (MessageSelector::Id(id), _) => env.id == *id,
        (MessageSelector::AckOfRequest(r), p) => p.request() == Some(*r),
        // A batch's request or answer carries every record of it.
        (MessageSelector::AckOfRecord(r), p @ Payload::ProduceResponse { .. })
        | (MessageSelector::ProduceOfRecord(r), p @ Payload::Produce { .. }) => {
            p.batch_records().any(|x| x == *r)
        }
        (MessageSelector::CommitFrom(n), Payload::OffsetCommit { .. }) => env.from == *n,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_is_fifo_even_with_jitter() {
        let mut net = Network::new(100, 500, 3, 1, 1);
        let mut rng = Rng::seed_from_u64(3);
        let mut last = 0;
        for t in 0..50 {
            let mut env = Envelope::boxed(Outgoing::new(
                NodeId::Producer(1),
                NodeId::Broker(1),
                Payload::OffsetFetch,
            ));
            let at = net.send(t, &mut env, &mut rng);
            assert!(at >= last && at >= t + 100);
            last = at;
        }
    }

    #[test]
    fn an_armed_selector_dooms_the_next_match_only() {
        let mut net = Network::new(10, 0, 1, 1, 1);
        let mut rng = Rng::seed_from_u64(0);
        net.arm(MessageSelector::CommitFrom(NodeId::Consumer(1)));
        let commit = || {
            Envelope::boxed(Outgoing::new(
                NodeId::Consumer(1),
                NodeId::Broker(1),
                Payload::OffsetCommit {
                    partition: 0,
                    offset: 1,
                    partitions: 1,
                },
            ))
        };
        let (mut first, mut second) = (commit(), commit());
        net.send(0, &mut first, &mut rng);
        net.send(0, &mut second, &mut rng);
        assert!(first.doomed && !second.doomed);
    }
}
