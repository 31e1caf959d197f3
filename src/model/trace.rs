//! The trace: one typed event for every change of state, in the order it happened.
//!
//! The trace is the only thing the view reads. A frame of the stage is a function of the trace and
//! a time cursor: a message in flight is drawn at `(cursor - sent) / (arrives - sent)` along its
//! link (DESIGN.md). Every event also has a one-line text form for logs, tests and the
//! explanation panel.

use super::time::Millis;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A node on the stage. Numbers are 1-based, as people name them ("B1", "C2").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum NodeId {
    Producer(u32),
    Broker(u32),
    Consumer(u32),
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeId::Producer(n) => write!(f, "P{n}"),
            NodeId::Broker(n) => write!(f, "B{n}"),
            NodeId::Consumer(n) => write!(f, "C{n}"),
        }
    }
}

/// Identifies one message on the network for its whole flight.
pub type MessageId = u64;

/// Identifies one record the application asked to send, from `send()` to processing: the ledger's
/// row key, and the label the eye follows on the stage (`m1`, `m2`, …).
pub type RecordId = u32;

/// What a message on the network carries, reduced to what the stage and the ledger need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Payload {
    /// A produce request carrying records to a partition leader.
    Produce { records: Vec<RecordId> },
    /// The leader's answer to a produce request: the base offset on success.
    ProduceResponse {
        records: Vec<RecordId>,
        base_offset: u64,
    },
    /// A consumer asking for records from `fetch_offset` on.
    Fetch { fetch_offset: u64 },
    /// The records a fetch returned (below the high watermark), with their offsets.
    FetchResponse { records: Vec<(u64, RecordId)> },
}

impl Payload {
    /// The kind of message, for shapes, colours and the legend.
    pub fn kind(&self) -> MessageKind {
        match self {
            Payload::Produce { .. } => MessageKind::Record,
            Payload::ProduceResponse { .. } => MessageKind::Ack,
            Payload::Fetch { .. } => MessageKind::Fetch,
            Payload::FetchResponse { .. } => MessageKind::FetchResponse,
        }
    }
}

/// Message kinds, each drawn with its own shape and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MessageKind {
    Record,
    Ack,
    Fetch,
    FetchResponse,
}

/// One change of state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceEvent {
    pub at_ms: Millis,
    pub kind: EventKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    /// The application called `send()` for a new record.
    RecordSent { producer: NodeId, record: RecordId },
    /// A message left `from` and will arrive at `to` at `arrives_at_ms` unless dropped.
    MessageSent {
        id: MessageId,
        from: NodeId,
        to: NodeId,
        payload: Payload,
        arrives_at_ms: Millis,
    },
    /// A message reached its destination.
    MessageDelivered { id: MessageId },
    /// The leader appended a record to its log.
    Appended {
        broker: NodeId,
        offset: u64,
        record: RecordId,
    },
    /// The producer was told the record is stored at `offset`.
    Acked {
        producer: NodeId,
        record: RecordId,
        offset: u64,
    },
    /// The consumer's application processed a record.
    Processed {
        consumer: NodeId,
        offset: u64,
        record: RecordId,
    },
}

impl fmt::Display for TraceEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t={:>6}ms ", self.at_ms)?;
        match &self.kind {
            EventKind::RecordSent { producer, record } => {
                write!(f, "{producer} send(m{record})")
            }
            EventKind::MessageSent {
                id,
                from,
                to,
                payload,
                arrives_at_ms,
            } => write!(
                f,
                "{from} -> {to} #{id} {payload:?} (arrives t={arrives_at_ms}ms)"
            ),
            EventKind::MessageDelivered { id } => write!(f, "#{id} delivered"),
            EventKind::Appended {
                broker,
                offset,
                record,
            } => write!(f, "{broker} appended m{record} at offset {offset}"),
            EventKind::Acked {
                producer,
                record,
                offset,
            } => write!(f, "{producer} told m{record} is at offset {offset}"),
            EventKind::Processed {
                consumer,
                offset,
                record,
            } => write!(f, "{consumer} processed m{record} (offset {offset})"),
        }
    }
}
