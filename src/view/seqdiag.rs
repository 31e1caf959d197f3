//! The trace as a sequence diagram: one lifeline per node, time flowing down, every message an
//! arrow from its sender to its receiver, faults and elections as marks on the lifelines.
//!
//! This module decides what the diagram holds (a pure function of the trace up to a time);
//! [`super::seqdiag_svg`] draws it as a standalone SVG. Rows are events, not milliseconds: each
//! send gets a row of its own, so labels never sit on each other, and deliveries in the same
//! millisecond share one. Idle time is thereby compressed; the drawing marks long gaps. A long
//! trace stops after [`MAX_ROWS`] rows, and the diagram says how many events it left out.

use super::stage::describe;
use crate::model::commands::CrashMode;
use crate::model::trace::DropReason;
use crate::model::{
    EventKind, MessageId, MessageKind, Millis, NodeId, Offset, PartitionId, Scenario, TraceEvent,
};
use std::collections::BTreeMap;

/// At most this many rows (about 7,000 px): later events are left out, and counted.
pub const MAX_ROWS: usize = 400;

/// What a row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// One message leaves its sender.
    Send,
    /// Messages arrive (or are lost): every one in the same millisecond, in a row.
    Arrivals,
    /// A crash, a restart, an election… on a lifeline.
    Mark,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub at_ms: Millis,
    pub kind: RowKind,
}

/// How a message's story ends in the diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// It reached its receiver at `end_row`.
    Delivered,
    /// The network lost it at `end_row`: the arrow ends in a cross.
    Dropped(DropReason),
    /// Still on the way where the diagram ends.
    InFlight,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Arrow {
    pub id: MessageId,
    pub from: NodeId,
    pub to: NodeId,
    pub kind: MessageKind,
    /// The stage's label: `m1`, `✓ m1@0`, `fetch 2`…
    pub label: String,
    /// A response carrying an error.
    pub error: bool,
    pub sent_ms: Millis,
    pub arrives_ms: Millis,
    pub sent_row: usize,
    /// Where it was delivered or lost (None while in flight).
    pub end: Option<(usize, Millis)>,
    pub fate: Fate,
}

/// What happened to a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqMark {
    Crash(CrashMode),
    Restart,
    /// A GC pause begins.
    Pause,
    Wake,
    /// The controller made this broker the partition's leader.
    Leader {
        partition: PartitionId,
        leader_epoch: u32,
        unclean: bool,
    },
    /// No replica can lead (drawn on the controller).
    Offline {
        partition: PartitionId,
    },
    Fenced,
    Unfenced,
    /// The replica's log was cut back, removing records.
    Truncated {
        partition: PartitionId,
        log_end_offset: Offset,
        removed: u32,
    },
    LinkCut(NodeId),
    LinkHealed(NodeId),
}

impl SeqMark {
    /// Marks the controller decides, drawn with a dotted line from its lifeline.
    pub fn by_controller(self) -> bool {
        matches!(
            self,
            SeqMark::Leader { .. } | SeqMark::Fenced | SeqMark::Unfenced
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub node: NodeId,
    pub row: usize,
    pub mark: SeqMark,
}

/// A stretch of a lifeline where the node is down or frozen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub node: NodeId,
    pub from_row: usize,
    /// None: to the end of the diagram.
    pub to_row: Option<usize>,
    /// Frozen in a GC pause rather than crashed.
    pub paused: bool,
}

/// Events the row limit left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeftOut {
    pub events: u32,
    pub from_ms: Millis,
    pub to_ms: Millis,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagram {
    pub lifelines: Vec<NodeId>,
    pub rows: Vec<Row>,
    pub arrows: Vec<Arrow>,
    pub marks: Vec<Mark>,
    /// The diagram shows the trace up to this time.
    pub until_ms: Millis,
    pub left_out: Option<LeftOut>,
}

/// Where a node's lifeline stands: the controller, then producers, brokers, consumers (the
/// stage's left-to-right order).
fn column_key(node: NodeId) -> (u8, u32) {
    match node {
        NodeId::Controller => (0, 0),
        NodeId::Producer(n) => (1, n),
        NodeId::Broker(n) => (2, n),
        NodeId::Consumer(n) => (3, n),
    }
}

/// A trace event as it appears in the diagram.
enum Item<'a> {
    Send {
        id: MessageId,
        from: NodeId,
        to: NodeId,
        payload: &'a crate::model::Payload,
        arrives_ms: Millis,
    },
    End {
        id: MessageId,
        dropped: Option<DropReason>,
    },
    Mark(NodeId, SeqMark),
}

fn item(kind: &EventKind) -> Option<Item<'_>> {
    use EventKind as E;
    let mark = |node, mark| Some(Item::Mark(node, mark));
    match kind {
        E::MessageSent {
            id,
            from,
            to,
            payload,
            arrives_at_ms,
        } => Some(Item::Send {
            id: *id,
            from: *from,
            to: *to,
            payload,
            arrives_ms: *arrives_at_ms,
        }),
        E::MessageDelivered { id } => Some(Item::End {
            id: *id,
            dropped: None,
        }),
        E::MessageDropped { id, reason } => Some(Item::End {
            id: *id,
            dropped: Some(*reason),
        }),
        E::NodeCrashed { node, mode } => mark(*node, SeqMark::Crash(*mode)),
        E::NodeRestarted { node } => mark(*node, SeqMark::Restart),
        E::NodePaused { node } => mark(*node, SeqMark::Pause),
        E::NodeResumed { node, .. } => mark(*node, SeqMark::Wake),
        E::LeaderElected {
            partition,
            leader,
            leader_epoch,
            unclean,
        } => mark(
            *leader,
            SeqMark::Leader {
                partition: *partition,
                leader_epoch: *leader_epoch,
                unclean: *unclean,
            },
        ),
        E::PartitionOffline { partition } => mark(
            NodeId::Controller,
            SeqMark::Offline {
                partition: *partition,
            },
        ),
        E::BrokerFenced { broker } => mark(*broker, SeqMark::Fenced),
        E::BrokerUnfenced { broker } => mark(*broker, SeqMark::Unfenced),
        E::Truncated {
            broker,
            partition,
            log_end_offset,
            removed,
            ..
        } if *removed > 0 => mark(
            *broker,
            SeqMark::Truncated {
                partition: *partition,
                log_end_offset: *log_end_offset,
                removed: *removed,
            },
        ),
        E::LinkCut { a, b } => mark(*a, SeqMark::LinkCut(*b)),
        E::LinkHealed { a, b } => mark(*a, SeqMark::LinkHealed(*b)),
        _ => None,
    }
}

impl Diagram {
    /// The diagram of `trace` up to `until_ms`, with at most `max_rows` rows.
    pub fn of(
        scenario: &Scenario,
        trace: &[TraceEvent],
        until_ms: Millis,
        max_rows: usize,
    ) -> Diagram {
        let events = &trace[..trace.partition_point(|e| e.at_ms <= until_ms)];
        let mut d = Diagram {
            lifelines: Vec::new(),
            rows: Vec::new(),
            arrows: Vec::new(),
            marks: Vec::new(),
            until_ms,
            left_out: None,
        };
        let mut open: BTreeMap<MessageId, usize> = BTreeMap::new();
        for (i, e) in events.iter().enumerate() {
            let Some(it) = item(&e.kind) else {
                continue;
            };
            let shares_row = matches!(it, Item::End { .. })
                && d.rows.last()
                    == Some(&Row {
                        at_ms: e.at_ms,
                        kind: RowKind::Arrivals,
                    });
            if !shares_row && d.rows.len() >= max_rows {
                d.left_out = Some(LeftOut {
                    events: events[i..]
                        .iter()
                        .filter(|e| item(&e.kind).is_some())
                        .count() as u32,
                    from_ms: e.at_ms,
                    to_ms: events.last().map_or(e.at_ms, |l| l.at_ms),
                });
                break;
            }
            d.add(e.at_ms, it, shares_row, &mut open);
        }
        d.lifelines = lifelines(scenario, &d);
        d
    }

    fn add(
        &mut self,
        at_ms: Millis,
        item: Item,
        shares_row: bool,
        open: &mut BTreeMap<u64, usize>,
    ) {
        let kind = match item {
            Item::Send { .. } => RowKind::Send,
            Item::End { .. } => RowKind::Arrivals,
            Item::Mark(..) => RowKind::Mark,
        };
        if !shares_row {
            self.rows.push(Row { at_ms, kind });
        }
        let row = self.rows.len() - 1;
        match item {
            Item::Send {
                id,
                from,
                to,
                payload,
                arrives_ms,
            } => {
                let (label, _, error) = describe(payload);
                open.insert(id, self.arrows.len());
                self.arrows.push(Arrow {
                    id,
                    from,
                    to,
                    kind: payload.kind(),
                    label,
                    error,
                    sent_ms: at_ms,
                    arrives_ms,
                    sent_row: row,
                    end: None,
                    fate: Fate::InFlight,
                });
            }
            Item::End { id, dropped } => {
                if let Some(arrow) = open.remove(&id).and_then(|a| self.arrows.get_mut(a)) {
                    arrow.end = Some((row, at_ms));
                    arrow.fate = dropped.map_or(Fate::Delivered, Fate::Dropped);
                }
            }
            Item::Mark(node, mark) => self.marks.push(Mark { node, row, mark }),
        }
    }

    /// Where each node was down (from a crash to its restart) or frozen (from a pause to its
    /// wake), in row order.
    pub fn spans(&self) -> Vec<Span> {
        let mut open: BTreeMap<(NodeId, bool), usize> = BTreeMap::new();
        let mut out = Vec::new();
        let mut close = |open: &mut BTreeMap<(NodeId, bool), usize>, node, paused, row| {
            if let Some(from_row) = open.remove(&(node, paused)) {
                out.push(Span {
                    node,
                    from_row,
                    to_row: row,
                    paused,
                });
            }
        };
        for m in &self.marks {
            match m.mark {
                SeqMark::Crash(_) => {
                    // A crash ends a pause: the node is down, no longer frozen.
                    close(&mut open, m.node, true, Some(m.row));
                    open.entry((m.node, false)).or_insert(m.row);
                }
                SeqMark::Pause => {
                    open.entry((m.node, true)).or_insert(m.row);
                }
                SeqMark::Restart => close(&mut open, m.node, false, Some(m.row)),
                SeqMark::Wake => close(&mut open, m.node, true, Some(m.row)),
                _ => {}
            }
        }
        for ((node, paused), from_row) in open {
            out.push(Span {
                node,
                from_row,
                to_row: None,
                paused,
            });
        }
        out.sort_by_key(|s| (s.from_row, column_key(s.node), s.paused));
        out
    }

    /// Where the drawing ends: the cursor, or where the row limit cut the story short.
    pub fn end_ms(&self) -> Millis {
        self.left_out.map_or(self.until_ms, |l| l.from_ms)
    }

    /// The lifeline's column, left to right.
    pub fn column(&self, node: NodeId) -> Option<usize> {
        self.lifelines.iter().position(|&n| n == node)
    }
}

/// Every node of the scenario, plus the controller when it has something to show, plus any node
/// the trace names that the scenario does not (never expected; drawn rather than dropped).
fn lifelines(scenario: &Scenario, d: &Diagram) -> Vec<NodeId> {
    let mut nodes: Vec<NodeId> = (1..=scenario.producers.len() as u32)
        .map(NodeId::Producer)
        .chain((1..=scenario.brokers.count).map(NodeId::Broker))
        .chain((1..=scenario.consumers.len() as u32).map(NodeId::Consumer))
        .collect();
    let named = d
        .arrows
        .iter()
        .flat_map(|a| [a.from, a.to])
        .chain(d.marks.iter().map(|m| m.node));
    let controller = d.marks.iter().any(|m| m.mark.by_controller());
    for node in named.chain(controller.then_some(NodeId::Controller)) {
        if !nodes.contains(&node) {
            nodes.push(node);
        }
    }
    nodes.sort_by_key(|&n| column_key(n));
    nodes
}

#[cfg(test)]
#[path = "seqdiag_tests.rs"]
mod tests;
