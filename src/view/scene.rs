//! The state of the cluster at the time cursor, rebuilt from the trace.
//!
//! The view never asks the model's live objects what they look like: the world may have run
//! ahead of the cursor. Everything the stage draws (logs, high watermarks, leaders, ISRs, who is
//! down, consumer positions and committed offsets) is folded from the trace events up to the
//! cursor, so scrubbing back shows exactly what was true then.
//!
//! A scene depends only on how many events happened by the cursor, not on the cursor itself:
//! [`SceneFold`] applies them one at a time, so a moving cursor applies only the events it crossed
//! (`view::cache` keeps folds and checkpoints); [`Scene::at`] folds the prefix from scratch.

use crate::model::{
    EventKind, Millis, NodeId, Offset, PartitionId, RecordId, Scenario, TraceEvent,
};
use std::collections::BTreeMap;

mod fold;

/// One offset of a replica's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub offset: Offset,
    pub record: RecordId,
    /// The leader epoch the record was appended in (KIP-101).
    pub leader_epoch: u32,
}

/// One replica of a partition on one broker.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReplicaLog {
    /// Transaction markers (control records) are cells too: their record id is
    /// `log::COMMIT_MARKER` or `log::ABORT_MARKER` (see [`Cell::marker`]).
    pub cells: Vec<Cell>,
    pub high_watermark: Offset,
    /// The leader's last stable offset, once the partition has seen a transaction: read_committed
    /// readers stop below it.
    pub last_stable_offset: Option<Offset>,
    /// Retention deleted the offsets below it (drawn faded; never served again).
    pub log_start_offset: Offset,
}

impl Cell {
    /// `Some(true)` for a COMMIT marker, `Some(false)` for an ABORT marker, None for a record.
    pub fn marker(&self) -> Option<bool> {
        crate::model::log::is_marker(self.record)
            .then_some(self.record == crate::model::log::COMMIT_MARKER)
    }
}

impl Cell {
    /// An offset-commit record of `__consumer_offsets`.
    pub fn is_offsets_record(&self) -> bool {
        self.record == crate::model::log::OFFSETS_RECORD
    }
}

impl ReplicaLog {
    pub fn log_end_offset(&self) -> Offset {
        self.cells.last().map_or(0, |c| c.offset + 1)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionState {
    pub id: PartitionId,
    /// Its label: `p0` with one topic; `in-0`, `out-0` when a pipeline writes a second one.
    pub name: String,
    /// Replica brokers in assignment order (the preferred leader first).
    pub replicas: Vec<u32>,
    pub leader: Option<u32>,
    pub leader_epoch: u32,
    pub isr: Vec<u32>,
    pub offline: bool,
    /// Each replica's log, by broker number.
    pub logs: BTreeMap<u32, ReplicaLog>,
    /// A `__consumer_offsets` partition (its cells are offset-commit records and markers).
    pub internal: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NodeHealth {
    pub down: bool,
    /// For brokers: fenced by the controller (missed heartbeats).
    pub fenced: bool,
    /// Frozen (GC pause): alive, holding its state, doing nothing.
    pub paused: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProducerState {
    /// The highest record id this producer's application has sent.
    pub last_record: Option<RecordId>,
    pub producer_id: Option<i64>,
    pub producer_epoch: i16,
    pub sent: u32,
    pub acked: u32,
    pub failed: u32,
    pub retries: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConsumerState {
    /// Volatile: the next offset `poll()` returns, per partition. Lost on a crash.
    pub position: BTreeMap<PartitionId, Offset>,
    /// Durable: the group's committed offset, per partition (in `__consumer_offsets`).
    pub committed: BTreeMap<PartitionId, Offset>,
    pub polled: u32,
    pub processed: u32,
    /// The last offset the application finished processing, per partition.
    pub last_processed: BTreeMap<PartitionId, Offset>,
    pub closed: bool,
    /// Its `group.id`.
    pub group: String,
    /// Whether it joins its group (`subscribe`) rather than `assign()`ing every partition.
    pub subscribed: bool,
    /// The generation it was last assigned partitions in (-1: none).
    pub generation: i32,
    /// The partitions it owns in that generation (subscribers only).
    pub assigned: Vec<PartitionId>,
    /// Its heartbeat thread left the group (`max.poll.interval.ms` passed).
    pub left_group: bool,
}

/// A consumer group as the coordinator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupView {
    pub state: crate::model::group::GroupPhase,
    pub generation: i32,
    /// The `__consumer_offsets` partition holding its offsets, and that log's records so far:
    /// (log offset, partition, committed offset).
    pub offsets_partition: Option<u32>,
    pub offsets_log: Vec<(Offset, PartitionId, Offset)>,
}

/// How many `__consumer_offsets` records a group keeps for the stage (the oldest go first).
pub const OFFSETS_LOG_SHOWN: usize = 64;

/// A message on the network at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InFlight {
    pub index: usize,
    pub sent_at_ms: Millis,
    pub arrives_at_ms: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scene {
    pub nodes: BTreeMap<NodeId, NodeHealth>,
    pub partitions: Vec<PartitionState>,
    pub producers: BTreeMap<NodeId, ProducerState>,
    pub consumers: BTreeMap<NodeId, ConsumerState>,
    /// Consumer groups with members (from the coordinator's trace events), by `group.id`.
    pub groups: BTreeMap<String, GroupView>,
    /// Messages in flight, as indices into the trace (their `MessageSent` events).
    pub in_flight: Vec<InFlight>,
    /// Pairs of nodes whose link is cut.
    pub cut_links: Vec<(NodeId, NodeId)>,
    /// How many trace events happened at or before the cursor.
    pub events_seen: usize,
    /// With two topics (a pipeline): the partitions each group reads.
    pub group_topics: BTreeMap<String, std::ops::Range<PartitionId>>,
}

/// What the fault controls need to know about the scene: small, and equal from frame to frame
/// until something they show changes, so the panel is not redrawn on every animation frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultTargets {
    /// Every node and whether it is down.
    pub nodes: Vec<(NodeId, bool)>,
    /// The record the producers' applications will send next.
    pub next_record: RecordId,
    /// The leader of partition 0, if it has one.
    pub leader: Option<u32>,
    /// The first consumer and the next offset of partition 0 it will process.
    pub consumer: Option<(NodeId, Offset)>,
    /// Nodes frozen in a GC pause.
    pub paused: Vec<NodeId>,
}

impl Scene {
    /// The partitions of the scenario's topics (the `__consumer_offsets` ones follow them).
    pub fn data_partitions(&self) -> &[PartitionState] {
        let n = self.partitions.iter().take_while(|p| !p.internal).count();
        &self.partitions[..n]
    }

    pub fn fault_targets(&self) -> FaultTargets {
        FaultTargets {
            nodes: self.nodes.iter().map(|(&n, h)| (n, h.down)).collect(),
            next_record: self
                .producers
                .values()
                .filter_map(|p| p.last_record)
                .max()
                .map_or(1, |r| r + 1),
            leader: self.partitions.first().and_then(|p| p.leader),
            consumer: self
                .consumers
                .iter()
                .next()
                .map(|(&c, state)| (c, state.last_processed.get(&0).map_or(0, |o| o + 1))),
            paused: self
                .nodes
                .iter()
                .filter(|(_, h)| h.paused)
                .map(|(&n, _)| n)
                .collect(),
        }
    }

    /// The cluster as the scenario starts it: the first replica leads, every replica in sync.
    pub fn initial(scenario: &Scenario) -> Self {
        let mut nodes = BTreeMap::new();
        let mut producers = BTreeMap::new();
        let mut consumers = BTreeMap::new();
        for p in 1..=scenario.producers.len() as u32 {
            nodes.insert(NodeId::Producer(p), NodeHealth::default());
            producers.insert(NodeId::Producer(p), ProducerState::default());
        }
        for b in 1..=scenario.brokers.count {
            nodes.insert(NodeId::Broker(b), NodeHealth::default());
        }
        for (i, spec) in scenario.consumers.iter().enumerate() {
            let c = i as u32 + 1;
            nodes.insert(NodeId::Consumer(c), NodeHealth::default());
            consumers.insert(
                NodeId::Consumer(c),
                ConsumerState {
                    group: spec.config.group_id.clone().unwrap_or_else(|| "g".into()),
                    subscribed: spec.app.subscribe,
                    generation: -1,
                    ..ConsumerState::default()
                },
            );
        }
        let partitions = (0..scenario.all_partitions())
            .map(|id| {
                let replicas = scenario.replicas(id);
                let internal = scenario.offsets_partition_number(id).is_some();
                PartitionState {
                    id,
                    name: match scenario.output_topic {
                        _ if internal => scenario.partition_name(id),
                        Some(_) => scenario.partition_name(id),
                        None => format!("p{id}"),
                    },
                    internal,
                    leader: replicas.first().copied(),
                    leader_epoch: 0,
                    isr: replicas.clone(),
                    offline: false,
                    logs: replicas
                        .iter()
                        .map(|&b| (b, ReplicaLog::default()))
                        .collect(),
                    replicas,
                }
            })
            .collect();
        Scene {
            nodes,
            partitions,
            producers,
            consumers,
            groups: BTreeMap::new(),
            in_flight: Vec::new(),
            cut_links: Vec::new(),
            events_seen: 0,
            group_topics: match scenario.output_topic {
                Some(_) => scenario
                    .consumers
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let group = c.config.group_id.clone().unwrap_or_else(|| "g".into());
                        (group, scenario.consumer_partitions(i))
                    })
                    .collect(),
                None => BTreeMap::new(),
            },
        }
    }

    /// The scene at `cursor_ms`: the initial state with every event up to the cursor applied.
    pub fn at(scenario: &Scenario, trace: &[TraceEvent], cursor_ms: Millis) -> Self {
        let seen = trace.partition_point(|e| e.at_ms <= cursor_ms);
        let mut fold = SceneFold::new(scenario);
        for (index, event) in trace[..seen].iter().enumerate() {
            fold.push(index, event);
        }
        fold.into_scene()
    }
}

/// A scene part-way through a trace, ready for the next event: [`Scene::at`] one event at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SceneFold {
    /// The scene after the events pushed so far (its `in_flight` is filled in on the way out).
    scene: Scene,
    /// Messages sent and not yet delivered or dropped, by message id.
    open: BTreeMap<u64, InFlight>,
}

impl SceneFold {
    pub fn new(scenario: &Scenario) -> Self {
        Self {
            scene: Scene::initial(scenario),
            open: BTreeMap::new(),
        }
    }

    /// How many events have been pushed.
    pub fn events_seen(&self) -> usize {
        self.scene.events_seen
    }

    /// Applies the trace's next event, the one at `index`.
    pub fn push(&mut self, index: usize, event: &TraceEvent) {
        debug_assert_eq!(
            index, self.scene.events_seen,
            "events are pushed in trace order"
        );
        match &event.kind {
            EventKind::MessageSent {
                id, arrives_at_ms, ..
            } => {
                self.open.insert(
                    *id,
                    InFlight {
                        index,
                        sent_at_ms: event.at_ms,
                        arrives_at_ms: *arrives_at_ms,
                    },
                );
            }
            EventKind::MessageDelivered { id } | EventKind::MessageDropped { id, .. } => {
                self.open.remove(id);
            }
            kind => self.scene.apply(kind),
        }
        self.scene.events_seen = index + 1;
    }

    /// The scene after the events pushed so far.
    pub fn scene(&self) -> Scene {
        let mut scene = self.scene.clone();
        scene.in_flight = self.open.values().cloned().collect();
        scene
    }

    fn into_scene(self) -> Scene {
        let mut scene = self.scene;
        scene.in_flight = self.open.into_values().collect();
        scene
    }
}

#[cfg(test)]
#[path = "scene_tests.rs"]
mod tests;
