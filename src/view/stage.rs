//! What the stage draws at the cursor: node boxes, replica log strips with their markers, and
//! messages in flight, positioned by [`Layout`]. A pure function of (scenario, trace, cursor):
//! [`frame`] computes it from scratch; [`Still`] keeps what only trace events change, so that
//! `view::cache` redraws a moving cursor by placing the messages in flight alone.

use super::layout::{Layout, Point, Rect, CELLS_X, CELL_WIDTH, MAX_CELLS, ROW_HEIGHT, STAGE_WIDTH};
use super::scene::{ReplicaLog, Scene};
use crate::model::{
    EventKind, MessageKind, Millis, NodeId, Offset, PartitionId, Payload, RecordId, Scenario,
    TraceEvent,
};
use std::rc::Rc;

/// A node box and what it says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeView {
    pub id: NodeId,
    pub rect: Rect,
    pub down: bool,
    pub fenced: bool,
    pub paused: bool,
}

/// One offset cell of a replica's log strip.
#[derive(Debug, Clone, PartialEq)]
pub struct CellView {
    pub x: f64,
    pub offset: Offset,
    pub record: RecordId,
    pub leader_epoch: u32,
    /// Below the high watermark: committed, visible to consumers.
    pub committed: bool,
    /// Below the replica's log start offset: deleted by retention (drawn faded).
    pub deleted: bool,
    /// A transaction marker (control record): `Some(true)` COMMIT, `Some(false)` ABORT. Drawn
    /// as a "C" or "A" cell; never returned to applications.
    pub marker: Option<bool>,
    /// An offset-commit record of `__consumer_offsets` (drawn as an "o" cell).
    pub offsets_record: bool,
}

/// A replica's log as a strip of cells, with its markers.
#[derive(Debug, Clone, PartialEq)]
pub struct Strip {
    pub broker: u32,
    pub partition: PartitionId,
    /// `p0`, or `in-0` / `out-0` with two topics.
    pub label: String,
    /// Top of the row.
    pub y: f64,
    pub x: f64,
    pub is_leader: bool,
    pub leader_epoch: u32,
    pub in_isr: bool,
    pub offline: bool,
    pub cells: Vec<CellView>,
    /// Offsets before the first drawn cell (long logs show their newest cells).
    pub hidden: u64,
    pub log_end_offset: Offset,
    pub high_watermark: Offset,
    /// Where the log-end and high-watermark markers stand.
    pub leo_x: f64,
    pub hw_x: f64,
    /// Where the last stable offset stands, when a transaction holds it below the high
    /// watermark (read_committed readers stop there).
    pub lso: Option<(Offset, f64)>,
}

/// A message drawn part-way along its link.
#[derive(Debug, Clone, PartialEq)]
pub struct Flight {
    pub id: u64,
    pub kind: MessageKind,
    pub label: String,
    /// The record it carries, for identity colour and highlighting.
    pub record: Option<RecordId>,
    /// A response carrying an error.
    pub error: bool,
    pub at: Point,
    pub progress: f64,
    /// The straight line it travels at a steady pace: where it is at any moment in flight.
    pub path: Path,
}

/// A message's way along its link: from `from` (when sent) to `to` (`span_ms` later).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Path {
    pub from: Point,
    pub to: Point,
    pub sent_at_ms: Millis,
    pub span_ms: f64,
}

impl Path {
    /// The messages that travel together: the same line at the same pace.
    pub fn link(&self) -> [u64; 5] {
        [
            self.from.x.to_bits(),
            self.from.y.to_bits(),
            self.to.x.to_bits(),
            self.to.y.to_bits(),
            self.span_ms.to_bits(),
        ]
    }

    /// How far the link's messages have moved at `at_ms` since `epoch_ms`: the same for every
    /// message on the link, so the stage moves them all with one transform.
    pub fn shift(&self, epoch_ms: f64, at_ms: f64) -> Point {
        let t = (at_ms - epoch_ms) / self.span_ms;
        Point {
            x: (self.to.x - self.from.x) * t,
            y: (self.to.y - self.from.y) * t,
        }
    }

    /// Where the message would be at `epoch_ms`: fixed for the whole flight. Its place at any
    /// moment is this plus the link's [`shift`](Self::shift) since `epoch_ms`.
    pub fn origin(&self, epoch_ms: f64) -> Point {
        let back = self.shift(self.sent_at_ms as f64, epoch_ms);
        Point {
            x: self.from.x + back.x,
            y: self.from.y + back.y,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub cursor_ms: Millis,
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<NodeView>,
    /// Shared, so a strip that did not change between two frames is recognised as the same one.
    pub strips: Vec<Rc<Strip>>,
    pub flights: Vec<Flight>,
    /// Cut links, drawn as a broken line.
    pub cuts: Vec<(Point, Point)>,
    pub scene: Rc<Scene>,
}

/// The frame at `cursor_ms`.
pub fn frame(scenario: &Scenario, trace: &[TraceEvent], cursor_ms: Millis) -> Frame {
    Still::of(Rc::new(Scene::at(scenario, trace, cursor_ms))).frame(trace, cursor_ms)
}

/// What a frame shows that changes only when the cursor crosses a trace event: everything but
/// the position of the messages in flight.
#[derive(Debug, Clone, PartialEq)]
pub struct Still {
    pub scene: Rc<Scene>,
    layout: Layout,
    nodes: Vec<NodeView>,
    strips: Vec<Rc<Strip>>,
    cuts: Vec<(Point, Point)>,
}

impl Still {
    pub fn of(scene: Rc<Scene>) -> Self {
        let layout = Layout::of(&scene);
        let nodes = layout
            .boxes
            .iter()
            .map(|&(id, rect)| {
                let health = scene.nodes.get(&id).copied().unwrap_or_default();
                NodeView {
                    id,
                    rect,
                    down: health.down,
                    fenced: health.fenced,
                    paused: health.paused,
                }
            })
            .collect();
        let strips = strips(&scene, &layout).into_iter().map(Rc::new).collect();
        let cuts = scene
            .cut_links
            .iter()
            .filter_map(|&(a, b)| layout.endpoints(a, b, 0.0))
            .collect();
        Still {
            scene,
            layout,
            nodes,
            strips,
            cuts,
        }
    }

    /// The frame at `cursor_ms`, a time before the scene's next event.
    pub fn frame(&self, trace: &[TraceEvent], cursor_ms: Millis) -> Frame {
        let flights = self
            .scene
            .in_flight
            .iter()
            .filter_map(|f| flight(&self.layout, &trace[f.index], cursor_ms))
            .collect();
        Frame {
            cursor_ms,
            width: STAGE_WIDTH,
            height: self.layout.height,
            nodes: self.nodes.clone(),
            strips: self.strips.clone(),
            flights,
            cuts: self.cuts.clone(),
            scene: Rc::clone(&self.scene),
        }
    }
}

fn strips(scene: &Scene, layout: &Layout) -> Vec<Strip> {
    let mut out = Vec::new();
    for (broker, rows) in &layout.rows {
        let Some(rect) = layout.rect(NodeId::Broker(*broker)) else {
            continue;
        };
        for &(partition, y) in rows {
            let Some(p) = scene.partitions.get(partition as usize) else {
                continue;
            };
            let empty = ReplicaLog::default();
            let log = p.logs.get(broker).unwrap_or(&empty);
            let x0 = rect.x + CELLS_X;
            let hidden = log.cells.len().saturating_sub(MAX_CELLS);
            let cells = log.cells[hidden..]
                .iter()
                .enumerate()
                .map(|(i, c)| CellView {
                    x: x0 + CELL_WIDTH * i as f64,
                    offset: c.offset,
                    record: c.record,
                    leader_epoch: c.leader_epoch,
                    committed: c.offset < log.high_watermark,
                    deleted: c.offset < log.log_start_offset,
                    marker: c.marker(),
                    offsets_record: c.is_offsets_record(),
                })
                .collect();
            let first = hidden as u64;
            let marker_x = |offset: Offset| x0 + CELL_WIDTH * offset.saturating_sub(first) as f64;
            out.push(Strip {
                broker: *broker,
                partition,
                label: strip_label(&p.name),
                y,
                x: rect.x,
                is_leader: p.leader == Some(*broker),
                leader_epoch: p.leader_epoch,
                in_isr: p.isr.contains(broker),
                offline: p.offline,
                cells,
                hidden: first,
                log_end_offset: log.log_end_offset(),
                high_watermark: log.high_watermark,
                leo_x: marker_x(log.log_end_offset()),
                hw_x: marker_x(log.high_watermark),
                lso: log
                    .last_stable_offset
                    .filter(|&l| l < log.high_watermark && p.leader == Some(*broker))
                    .map(|l| (l, marker_x(l))),
            });
        }
    }
    out
}

/// Requests travel above the link's centre line, responses below, so a pair never overlaps.
fn lane(kind: MessageKind) -> f64 {
    match kind {
        MessageKind::Record
        | MessageKind::ReplicaFetch
        | MessageKind::Fetch
        | MessageKind::OffsetCommit
        | MessageKind::OffsetFetch => -12.0,
        _ => 12.0,
    }
}

fn flight(layout: &Layout, sent: &TraceEvent, cursor_ms: Millis) -> Option<Flight> {
    let EventKind::MessageSent {
        id,
        from,
        to,
        payload,
        arrives_at_ms,
    } = &sent.kind
    else {
        return None;
    };
    let kind = payload.kind();
    let (a, b) = layout.endpoints(*from, *to, lane(kind))?;
    let span = arrives_at_ms.saturating_sub(sent.at_ms).max(1) as f64;
    let progress = (cursor_ms.saturating_sub(sent.at_ms) as f64 / span).clamp(0.0, 1.0);
    let (label, record, error) = describe(payload);
    Some(Flight {
        id: *id,
        kind,
        label,
        record,
        error,
        at: Point {
            x: a.x + (b.x - a.x) * progress,
            y: a.y + (b.y - a.y) * progress,
        },
        progress,
        path: Path {
            from: a,
            to: b,
            sent_at_ms: sent.at_ms,
            span_ms: span,
        },
    })
}

/// A message's short label (Kafka's own request names), the record it carries, and whether it
/// reports an error.
pub(crate) fn describe(payload: &Payload) -> (String, Option<RecordId>, bool) {
    match payload {
        Payload::Produce { record, more, .. } if more.is_empty() => {
            (format!("m{record}"), Some(*record), false)
        }
        // A batch: its first record and how many more.
        Payload::Produce { record, more, .. } => {
            (format!("m{record} +{}", more.len()), Some(*record), false)
        }
        Payload::ProduceResponse {
            record,
            error: None,
            ..
        } if crate::model::log::is_marker(*record) => ("✓ marker".to_string(), None, false),
        Payload::ProduceResponse {
            record,
            more,
            base_offset,
            error: None,
            ..
        } => {
            let at = base_offset.map_or(String::new(), |o| format!("@{o}"));
            let plus = if more.is_empty() {
                String::new()
            } else {
                format!(" +{}", more.len())
            };
            (format!("✓ m{record}{plus}{at}"), Some(*record), false)
        }
        Payload::ProduceResponse {
            record,
            error: Some(e),
            ..
        } => (format!("✕ m{record} {e}"), Some(*record), true),
        Payload::ReplicaFetch { fetch_offset, .. } | Payload::Fetch { fetch_offset, .. } => {
            (format!("fetch {fetch_offset}"), None, false)
        }
        Payload::ReplicaFetchResponse { records, error, .. }
        | Payload::FetchResponse { records, error, .. } => {
            let label = match (records.count, error) {
                (_, Some(e)) => format!("✕ {e}"),
                (0, None) => "∅".to_string(),
                (1, None) => format!("m{}", records.first_record),
                (_, None) => format!("m{}…m{}", records.first_record, records.last_record),
            };
            let record = (records.count > 0).then_some(records.first_record);
            (label, record, error.is_some())
        }
        Payload::OffsetCommit { offset, .. } => (format!("commit {offset}"), None, false),
        Payload::OffsetCommitResponse { error, .. }
        | Payload::OffsetFetchResponse { error, .. }
        | Payload::ListOffsetsResponse { error, .. } => match error {
            Some(e) => (format!("✕ {e}"), None, true),
            None => ("✓".to_string(), None, false),
        },
        Payload::OffsetFetch => ("offsets?".to_string(), None, false),
        Payload::ListOffsets { .. } => ("latest?".to_string(), None, false),
        Payload::OffsetsForLeaderEpoch { leader_epoch, .. } => {
            (format!("epoch {leader_epoch} end?"), None, false)
        }
        Payload::OffsetsForLeaderEpochResponse { end, error, .. } => match (end, error) {
            (_, Some(e)) => (format!("✕ {e}"), None, true),
            (Some((_, o)), None) => (format!("ends @{o}"), None, false),
            (None, None) => ("epoch unknown".to_string(), None, false),
        },
        Payload::JoinGroup { .. } => ("join".to_string(), None, false),
        Payload::SyncGroup { generation } => (format!("sync g{generation}"), None, false),
        Payload::Heartbeat { .. } => ("♥".to_string(), None, false),
        Payload::LeaveGroup => ("leave".to_string(), None, false),
        Payload::JoinGroupResponse { error: Some(e), .. }
        | Payload::SyncGroupResponse { error: Some(e), .. }
        | Payload::HeartbeatResponse { error: Some(e), .. } => (format!("✕ {e}"), None, true),
        Payload::JoinGroupResponse { generation, .. } => (format!("gen {generation}"), None, false),
        Payload::SyncGroupResponse { partitions, .. } => {
            (format!("{partitions} partitions"), None, false)
        }
        Payload::HeartbeatResponse { .. } => ("♥ ✓".to_string(), None, false),
        Payload::InitProducerId => ("initTransactions".to_string(), None, false),
        Payload::AddPartitionsToTxn { partition, .. } => (format!("add p{partition}"), None, false),
        Payload::EndTxn { commit, .. } => (
            if *commit { "commit txn" } else { "abort txn" }.to_string(),
            None,
            false,
        ),
        Payload::AddOffsetsToTxn { .. } => ("add offsets".to_string(), None, false),
        Payload::TxnOffsetCommit { .. } => ("txn commit offsets".to_string(), None, false),
        Payload::TxnOffsetsMarker { commit, .. } => (
            format!("{} offsets", if *commit { "COMMIT" } else { "ABORT" }),
            None,
            false,
        ),
        Payload::WriteTxnMarkers {
            partition, commit, ..
        } => (
            format!("{} p{partition}", if *commit { "COMMIT" } else { "ABORT" }),
            None,
            false,
        ),
        Payload::InitProducerIdResponse { error, .. } | Payload::TxnResponse { error, .. } => {
            match error {
                Some(e) => (format!("✕ {e}"), None, true),
                None => ("✓".to_string(), None, false),
            }
        }
    }
}

/// The CSS classes of a message kind: its shape and colour (see the legend).
pub fn message_class(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Record => "msg msg-record",
        MessageKind::Ack => "msg msg-ack",
        MessageKind::ReplicaFetch => "msg msg-replica-fetch",
        MessageKind::ReplicaFetchResponse => "msg msg-replica-data",
        MessageKind::Fetch => "msg msg-fetch",
        MessageKind::FetchResponse => "msg msg-fetch-data",
        MessageKind::OffsetCommit => "msg msg-commit",
        MessageKind::OffsetCommitResponse => "msg msg-commit-ack",
        MessageKind::OffsetFetch => "msg msg-offset-fetch",
        MessageKind::OffsetFetchResponse => "msg msg-offset-data",
        MessageKind::GroupRequest => "msg msg-group",
        MessageKind::GroupResponse => "msg msg-group-data",
        MessageKind::Txn => "msg msg-txn",
        MessageKind::TxnResponse => "msg msg-txn-ack",
    }
}

/// The text of a log cell: `m3`, `C`/`A` for a COMMIT/ABORT marker, `o` for an offset-commit
/// record of `__consumer_offsets`.
pub fn cell_label(c: &CellView) -> String {
    match c.marker {
        Some(true) => "C".to_string(),
        Some(false) => "A".to_string(),
        None if c.offsets_record => "o".to_string(),
        None => format!("m{}", c.record),
    }
}

/// A strip's label: the partition's name, with `__consumer_offsets-N` shortened to `co-N` (the
/// strip's tooltip and the internal-topics panel give the full name).
pub fn strip_label(name: &str) -> String {
    match name.strip_prefix("__consumer_offsets-") {
        Some(n) => format!("co-{n}"),
        None => name.to_string(),
    }
}

/// The CSS classes a log cell adds for a transaction marker.
pub fn marker_class(c: &CellView) -> Option<&'static str> {
    if c.offsets_record {
        return Some("offsets-record");
    }
    c.marker.map(|commit| {
        if commit {
            "txn-marker commit"
        } else {
            "txn-marker abort"
        }
    })
}

/// The height of one log row, for drawing cells.
pub const CELL_HEIGHT: f64 = ROW_HEIGHT - 10.0;

#[cfg(test)]
mod tests {

    #[test]
    fn a_message_is_its_origin_plus_its_links_shift() {
        let path = Path {
            from: Point { x: 100.0, y: 40.0 },
            to: Point { x: 700.0, y: 340.0 },
            sent_at_ms: 2_000,
            span_ms: 1_500.0,
        };
        for epoch in [0.0, 1_999.0, 2_000.0, 3_100.0, 9_000.0] {
            for cursor in [2_000_u64, 2_001, 2_750, 3_499] {
                let progress = (cursor - 2_000) as f64 / 1_500.0;
                let (o, s) = (path.origin(epoch), path.shift(epoch, cursor as f64));
                assert!((o.x + s.x - (100.0 + 600.0 * progress)).abs() < 1e-9);
                assert!((o.y + s.y - (40.0 + 300.0 * progress)).abs() < 1e-9);
            }
        }
        let mut other = path;
        other.sent_at_ms = 2_005;
        assert_eq!(other.link(), path.link(), "sent later on the same link");
        other.span_ms = 1_501.0;
        assert_ne!(other.link(), path.link(), "slower");
    }

    use super::*;
    use crate::model::World;

    fn run(until: Millis) -> (Scenario, World) {
        let s = Scenario::default();
        let mut w = World::new(s.clone());
        w.run_until(until);
        (s, w)
    }

    #[test]
    fn a_record_half_way_is_drawn_half_way_between_producer_and_leader() {
        let (s, w) = run(1000);
        let f = frame(&s, w.trace(), 150);
        let record = f
            .flights
            .iter()
            .find(|fl| fl.kind == MessageKind::Record)
            .expect("m1 is in flight at 150 ms");
        assert_eq!(record.label, "m1");
        assert_eq!(record.record, Some(1));
        assert!((record.progress - 0.5).abs() < 1e-9);
        let layout = Layout::of(&f.scene);
        let (a, b) = layout
            .endpoints(
                NodeId::Producer(1),
                NodeId::Broker(1),
                lane(MessageKind::Record),
            )
            .unwrap();
        assert!((record.at.x - (a.x + b.x) / 2.0).abs() < 1e-9);
    }

    #[test]
    fn cells_below_the_high_watermark_are_committed_and_markers_follow_the_log() {
        let (s, w) = run(s_end());
        let f = frame(&s, w.trace(), s_end());
        let leader = f
            .strips
            .iter()
            .find(|st| st.is_leader && st.partition == 0)
            .expect("p0 has a leader strip");
        assert!(leader.log_end_offset > 0);
        assert!(leader.leo_x > leader.cells[0].x);
        for c in &leader.cells {
            assert_eq!(c.committed, c.offset < leader.high_watermark);
        }
    }

    fn s_end() -> Millis {
        Scenario::default().duration_ms
    }

    #[test]
    fn a_long_log_shows_its_newest_cells() {
        let mut s = Scenario::default();
        s.producers[0].workload.records = 30;
        s.producers[0].workload.interval_ms = 50;
        s.duration_ms = 20_000;
        let mut w = World::new(s.clone());
        w.run_until(s.duration_ms);
        let f = frame(&s, w.trace(), s.duration_ms);
        let strip = f.strips.iter().find(|st| st.is_leader).unwrap();
        assert_eq!(strip.cells.len(), MAX_CELLS);
        assert_eq!(strip.hidden, strip.log_end_offset - MAX_CELLS as u64);
        assert_eq!(strip.cells.last().unwrap().offset, strip.log_end_offset - 1);
    }
}
