//! Where everything on the stage is drawn at a given moment.

use crate::model::{EventKind, MessageKind, Millis, NodeId, Payload, RecordId, TraceEvent};

/// The stage's coordinate system (the SVG `viewBox`): 800 × 320 units.
pub const STAGE_WIDTH: f64 = 800.0;
pub const STAGE_HEIGHT: f64 = 320.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// A node box on the stage.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeShape {
    pub id: NodeId,
    pub label: String,
    /// What the node is, in words: "producer", "broker", "consumer".
    pub role: &'static str,
    pub center: Point,
}

/// A message drawn part-way along its link.
#[derive(Debug, Clone, PartialEq)]
pub struct Flight {
    pub id: u64,
    pub kind: MessageKind,
    pub label: String,
    pub at: Point,
    /// How far along the link, from 0 (just left) to 1 (arriving).
    pub progress: f64,
    /// CSS class: shape and colour by kind (`msg msg-record`, `msg msg-ack`, …).
    pub class: &'static str,
}

/// One offset cell of the broker's log strip.
#[derive(Debug, Clone, PartialEq)]
pub struct LogCell {
    pub offset: u64,
    pub label: String,
}

/// Everything the stage shows at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub cursor_ms: Millis,
    pub nodes: Vec<NodeShape>,
    pub flights: Vec<Flight>,
    pub log: Vec<LogCell>,
    /// Records the producer was told are stored.
    pub acked: Vec<RecordId>,
    /// Records the consumer processed.
    pub processed: Vec<RecordId>,
}

/// Positions for the default scenario's nodes (one producer, three brokers, one consumer).
pub fn layout() -> Vec<NodeShape> {
    layout_for(1, 3, 1)
}

/// Producers on the left, brokers stacked in the centre, consumers on the right.
pub fn layout_for(producers: u32, brokers: u32, consumers: u32) -> Vec<NodeShape> {
    let column = |n: u32, i: u32| STAGE_HEIGHT * (f64::from(i) + 0.5) / f64::from(n.max(1));
    let mut nodes = Vec::new();
    for i in 0..producers {
        nodes.push(node(
            NodeId::Producer(i + 1),
            "producer",
            110.0,
            column(producers, i),
        ));
    }
    for i in 0..brokers {
        nodes.push(node(
            NodeId::Broker(i + 1),
            "broker",
            STAGE_WIDTH / 2.0,
            column(brokers, i),
        ));
    }
    for i in 0..consumers {
        nodes.push(node(
            NodeId::Consumer(i + 1),
            "consumer",
            STAGE_WIDTH - 110.0,
            column(consumers, i),
        ));
    }
    nodes
}

/// The nodes a trace mentions (by highest number of each kind), laid out.
fn layout_of_trace(trace: &[TraceEvent]) -> Vec<NodeShape> {
    let (mut p, mut b, mut c) = (1, 1, 1);
    let mut see = |n: NodeId| match n {
        NodeId::Producer(x) => p = p.max(x),
        NodeId::Broker(x) => b = b.max(x),
        NodeId::Consumer(x) => c = c.max(x),
        NodeId::Controller => {}
    };
    for e in trace {
        if let EventKind::MessageSent { from, to, .. } = &e.kind {
            see(*from);
            see(*to);
        }
    }
    layout_for(p, b, c)
}

fn node(id: NodeId, role: &'static str, x: f64, y: f64) -> NodeShape {
    NodeShape {
        id,
        label: id.to_string(),
        role,
        center: Point { x, y },
    }
}

/// Where a message is drawn: requests travel on an upper lane, responses on a lower one, so a
/// record and its acknowledgement never overlap.
fn lane_offset(kind: MessageKind) -> f64 {
    match kind {
        MessageKind::Record
        | MessageKind::Fetch
        | MessageKind::ReplicaFetch
        | MessageKind::OffsetCommit
        | MessageKind::OffsetFetch => -18.0,
        MessageKind::Ack
        | MessageKind::FetchResponse
        | MessageKind::ReplicaFetchResponse
        | MessageKind::OffsetCommitResponse
        | MessageKind::OffsetFetchResponse => 18.0,
    }
}

fn class_of(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Record => "msg msg-record",
        MessageKind::Ack => "msg msg-ack",
        MessageKind::Fetch => "msg msg-fetch",
        MessageKind::FetchResponse => "msg msg-fetch-response",
        MessageKind::ReplicaFetch => "msg msg-replica-fetch",
        MessageKind::ReplicaFetchResponse => "msg msg-replica-fetch-response",
        MessageKind::OffsetCommit => "msg msg-commit",
        MessageKind::OffsetCommitResponse => "msg msg-commit-response",
        MessageKind::OffsetFetch => "msg msg-offset-fetch",
        MessageKind::OffsetFetchResponse => "msg msg-offset-fetch-response",
    }
}

fn label_of(payload: &Payload) -> String {
    let span = |s: &crate::model::RecordSpan| match s.count {
        0 => "∅".to_string(),
        1 => format!("m{}", s.first_record),
        _ => format!("m{}…m{}", s.first_record, s.last_record),
    };
    match payload {
        Payload::Produce { record, .. } => format!("m{record}"),
        Payload::ProduceResponse { error: Some(e), .. } => format!("{e}"),
        Payload::ProduceResponse {
            base_offset: Some(o),
            ..
        } => format!("ack @{o}"),
        Payload::ProduceResponse { .. } => "ack".to_string(),
        Payload::Fetch { fetch_offset, .. } | Payload::ReplicaFetch { fetch_offset, .. } => {
            format!("fetch @{fetch_offset}")
        }
        Payload::FetchResponse { records, .. } | Payload::ReplicaFetchResponse { records, .. } => {
            span(records)
        }
        Payload::OffsetCommit { offset, .. } => format!("commit {offset}"),
        Payload::OffsetCommitResponse { .. } => "commit ok".to_string(),
        Payload::OffsetFetch => "offsets?".to_string(),
        Payload::OffsetFetchResponse { .. } => "offsets".to_string(),
        Payload::ListOffsets { .. } => "latest?".to_string(),
        Payload::ListOffsetsResponse { offset, .. } => {
            offset.map_or("latest ?".to_string(), |o| format!("latest {o}"))
        }
    }
}

/// The frame at `cursor_ms`: a pure function of the trace and the cursor.
pub fn frame(trace: &[TraceEvent], cursor_ms: Millis) -> Frame {
    let nodes = layout_of_trace(trace);
    let center_of = |id: NodeId| {
        nodes
            .iter()
            .find(|n| n.id == id)
            .map(|n| n.center)
            .unwrap_or(Point { x: 0.0, y: 0.0 })
    };
    let mut flights = Vec::new();
    let mut log = Vec::new();
    let mut acked = Vec::new();
    let mut processed = Vec::new();
    for event in trace.iter().take_while(|e| e.at_ms <= cursor_ms) {
        match &event.kind {
            EventKind::MessageSent {
                id,
                from,
                to,
                payload,
                arrives_at_ms,
            } if *arrives_at_ms > cursor_ms => {
                let span = (*arrives_at_ms - event.at_ms).max(1) as f64;
                let progress = (cursor_ms - event.at_ms) as f64 / span;
                let (a, b) = (center_of(*from), center_of(*to));
                let kind = payload.kind();
                flights.push(Flight {
                    id: *id,
                    kind,
                    label: label_of(payload),
                    at: Point {
                        x: a.x + (b.x - a.x) * progress,
                        y: a.y + (b.y - a.y) * progress + lane_offset(kind),
                    },
                    progress,
                    class: class_of(kind),
                });
            }
            EventKind::Appended {
                partition: 0,
                offset,
                record,
                ..
            } => {
                // A new leader may reuse an offset (after a failover): the newest copy wins.
                log.retain(|c: &LogCell| c.offset < *offset);
                log.push(LogCell {
                    offset: *offset,
                    label: format!("m{record}"),
                })
            }
            EventKind::Acked { record, .. } => acked.push(*record),
            EventKind::Processed { record, .. } => processed.push(*record),
            _ => {}
        }
    }
    Frame {
        cursor_ms,
        nodes,
        flights,
        log,
        acked,
        processed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Scenario, World};

    fn world() -> World {
        let mut s = Scenario::default();
        s.producers[0].workload.records = 1;
        s.producers[0].config.acks = Some(crate::model::config::Acks::One);
        let mut w = World::new(s);
        w.run_until(2000);
        w
    }

    #[test]
    fn a_record_half_way_is_drawn_half_way_between_producer_and_broker() {
        let w = world();
        let f = frame(w.trace(), 150);
        let record = f
            .flights
            .iter()
            .find(|fl| fl.kind == MessageKind::Record)
            .expect("the record is in flight at 150 ms");
        assert_eq!(record.label, "m1");
        assert!((record.progress - 0.5).abs() < 1e-9);
        assert!((record.at.x - (110.0 + 400.0) / 2.0).abs() < 1e-9);
    }

    #[test]
    fn the_ack_travels_back_after_the_append() {
        let w = world();
        let f = frame(w.trace(), 450);
        assert_eq!(f.log.len(), 1, "m1 is in the broker's log");
        let ack = f.flights.iter().find(|fl| fl.kind == MessageKind::Ack);
        let ack = ack.expect("the ack is in flight at 450 ms");
        assert!(ack.at.x > 110.0 && ack.at.x < 400.0);
        assert!(f.acked.is_empty(), "not yet arrived");
        assert_eq!(frame(w.trace(), 600).acked, vec![1]);
    }

    #[test]
    fn an_earlier_cursor_shows_an_earlier_frame() {
        let w = world();
        assert!(frame(w.trace(), 0).log.is_empty());
        assert_eq!(frame(w.trace(), 2000).processed, vec![1]);
    }
}
