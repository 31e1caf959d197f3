//! Fault points: every single fault that can change a run's outcome, read off its baseline run
//! (the same scenario with no extra fault), and pairs of them within a stated bound.
//!
//! Crashes also come right after each protocol step of the baseline (`steps.rs`).
//! Three kinds of single fault, each appended to the scenario's fault script at a virtual time
//! (a command at time `t` applies before the deliveries and timers that fall due at `t`, because
//! the script is scheduled when the world boots, ahead of them in the queue's sequence order):
//! - **crash** of a node (process crash; for brokers also power loss), restarted
//!   `restart_after_ms` later (or never);
//! - **drop** of one message: each message the baseline sent (`MessageSent`), by its id;
//! - **partition window**: the link between two nodes cut at `t` and healed `heal_after_ms` later.
//!
//! What is pruned, and why it is sound:
//! - *Crash times are the times of the crashed node's own events.* A node's state changes only at
//!   its own events (a message delivered to it, a timer of its own, a message it sends, a record
//!   it appends, a metadata change the controller pushes to every broker). Between two of them,
//!   a crash finds the node in the same state, with the same messages in flight to it and from
//!   it, and the history up to the crash is the same. So a crash anywhere in the gap
//!   `(e_k, e_k+1]` is represented by a crash at `e_k+1` (just before that event), plus one more
//!   just after the node's last event. The runs pruned differ from their representative only in
//!   *when* the crash's consequences fall due (peers' disconnect notices, the controller's
//!   session expiry, the scripted restart), shifted earlier by less than the gap: the same
//!   protocol steps happen, not the same milliseconds. Set `every_event_time` to keep every
//!   distinct event time of the run instead.
//! - *No crash of a node that is down* at that time in the baseline (crashing a crashed node is a
//!   no-op in `dispatch.rs`), and in a pair, no second crash of a node the first one took down
//!   and has not yet restarted (same reason; its restart then finds the node up: also a no-op).
//! - *No drop of a message the baseline lost anyway* (a cut link or a dead receiver): the run is
//!   the same.
//! - *Cut times of a link are the arrival times of its messages.* A cut link only loses messages
//!   that arrive while it is cut, so a cut anywhere in the gap between two arrivals is the same
//!   run up to the next arrival; as for crashes, only the heal time shifts. A broker's link to
//!   the controller carries no message (the controller is an oracle); its cut times are the
//!   broker's crash times, for the same reason as crashes.
//! - Only faults at or before the scenario's own `duration_ms` are enumerated; the runs go on for
//!   `settle_ms` more so that recovery (elections, retries, rebalances) can finish.
//!
//! Pairs: two single points, the second starting within `pair_window_ms` of the first, the
//! second as enumerated on the baseline (after the first fault the run diverges, so a message id
//! may then name another message: the pair is still a valid, replayable fault script). At most
//! `max_pairs` per preset, spread evenly over all candidate pairs in (time, kind) order.

use super::ExploreOptions;
use crate::model::commands::{Command, CrashMode, Fault, MessageSelector};
use crate::model::ids::{MessageId, NodeId};
use crate::model::time::Millis;
use crate::model::trace::{EventKind, TraceEvent};
use crate::model::World;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One way to disturb a run: one fault (a crash with its restart, a drop, a cut with its heal)
/// or two, as lines to append to the scenario's fault script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultPoint {
    /// When the (first) fault applies, in virtual ms.
    pub at_ms: Millis,
    /// How many faults (1 or 2).
    pub faults_count: u8,
    /// The lines appended to the fault script.
    pub faults: Vec<Fault>,
}

/// The single fault points of a finished baseline run (in order: time, then kind, then node).
pub(crate) fn single_points(
    baseline: &World,
    horizon_ms: Millis,
    o: &ExploreOptions,
) -> Vec<Point> {
    let trace = baseline.trace();
    let n = Nodes::of(baseline);
    let to_of: BTreeMap<MessageId, NodeId> = trace
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::MessageSent { id, to, .. } => Some((*id, *to)),
            _ => None,
        })
        .collect();
    let mut own: BTreeMap<NodeId, BTreeSet<Millis>> = BTreeMap::new();
    let downs = down_intervals(trace);
    let all_times: BTreeSet<Millis> = trace.iter().map(|e| e.at_ms).collect();
    for e in trace.iter().filter(|e| e.at_ms <= horizon_ms) {
        for node in owners(&e.kind, &to_of, &n) {
            own.entry(node).or_default().insert(e.at_ms);
        }
    }
    let candidate_times = |node: NodeId| -> Vec<Millis> {
        let mut times: BTreeSet<Millis> = if o.every_event_time {
            all_times.clone()
        } else {
            own.get(&node).cloned().unwrap_or_default()
        };
        if let Some(&last) = times.last() {
            times.insert(last + 1);
        }
        let downs = downs.get(&node).map_or(&[][..], Vec::as_slice);
        times.retain(|&t| t <= horizon_ms && !down_at(downs, t));
        times.into_iter().collect()
    };
    let mut points = Vec::new();
    if o.crashes {
        for &node in &n.all {
            let modes: &[CrashMode] = match (node, o.power_loss) {
                (NodeId::Broker(_), true) => &[CrashMode::Process, CrashMode::PowerLoss],
                _ => &[CrashMode::Process],
            };
            for t in candidate_times(node) {
                for &mode in modes {
                    let mut faults = vec![Fault::at(t, Command::Crash { node, mode })];
                    if let Some(after) = o.restart_after_ms {
                        faults.push(Fault::at(t + after, Command::Restart { node }));
                    }
                    points.push(Point::single(t, Kind::Crash(node), faults));
                }
            }
        }
    }
    if o.crashes {
        points.extend(super::steps::step_points(trace, horizon_ms, o));
    }
    if o.drops {
        let dropped: BTreeSet<MessageId> = trace
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::MessageDropped { id, .. } => Some(id),
                _ => None,
            })
            .collect();
        for e in trace.iter().filter(|e| e.at_ms <= horizon_ms) {
            if let EventKind::MessageSent { id, .. } = e.kind {
                if !dropped.contains(&id) {
                    let f = Fault::at(e.at_ms, Command::Drop(MessageSelector::Id(id)));
                    points.push(Point::single(e.at_ms, Kind::Drop, vec![f]));
                }
            }
        }
    }
    if o.partitions {
        let mut arrivals: BTreeMap<(NodeId, NodeId), BTreeSet<Millis>> = BTreeMap::new();
        for e in trace.iter().filter(|e| e.at_ms <= horizon_ms) {
            if let EventKind::MessageSent {
                from,
                to,
                arrives_at_ms,
                ..
            } = e.kind
            {
                if arrives_at_ms <= horizon_ms {
                    let link = (from.min(to), from.max(to));
                    arrivals.entry(link).or_default().insert(arrives_at_ms);
                }
            }
        }
        for &b in n.all.iter().filter(|x| matches!(x, NodeId::Broker(_))) {
            arrivals.insert(
                (b, NodeId::Controller),
                candidate_times(b).into_iter().collect(),
            );
        }
        for ((a, b), times) in arrivals {
            for t in times {
                let faults = vec![
                    Fault::at(t, Command::Partition { a, b }),
                    Fault::at(t + o.heal_after_ms, Command::Heal { a, b }),
                ];
                points.push(Point::single(t, Kind::Cut, faults));
            }
        }
    }
    points.sort_by_key(Point::at_ms);
    points
}

/// A point with what the pairing rule needs to know.
#[derive(Debug, Clone)]
pub(crate) struct Point {
    pub point: FaultPoint,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Crash(NodeId),
    Drop,
    Cut,
}

impl Point {
    pub fn single(at_ms: Millis, kind: Kind, faults: Vec<Fault>) -> Self {
        Self {
            point: FaultPoint {
                at_ms,
                faults_count: 1,
                faults,
            },
            kind,
        }
    }
    pub fn at_ms(&self) -> Millis {
        self.point.at_ms
    }
}

/// Up to `max_pairs` pairs of single points (sorted by time), the second starting within
/// `window_ms` of the first, spread evenly over all such pairs.
pub(crate) fn pairs(
    singles: &[Point],
    max_pairs: u32,
    window_ms: Millis,
    restart_after_ms: Option<Millis>,
) -> Vec<FaultPoint> {
    if max_pairs == 0 || singles.len() < 2 {
        return Vec::new();
    }
    // ends[i]: one past the last j whose time is within the window of singles[i].
    let ends: Vec<u64> = singles
        .iter()
        .map(|p| singles.partition_point(|q| q.at_ms() <= p.at_ms() + window_ms) as u64)
        .collect();
    let mut starts = Vec::with_capacity(singles.len());
    let mut total: u64 = 0;
    for (i, &end) in ends.iter().enumerate() {
        starts.push(total);
        total += end.saturating_sub(i as u64 + 1);
    }
    let take = u64::from(max_pairs).min(total);
    let mut out = Vec::new();
    for m in 0..take {
        let k = m * total / take;
        let i = starts.partition_point(|&s| s <= k) - 1;
        let j = i + 1 + (k - starts[i]) as usize;
        let (a, b) = (&singles[i], &singles[j]);
        if let (Kind::Crash(x), Kind::Crash(y)) = (a.kind, b.kind) {
            let back = restart_after_ms.map_or(Millis::MAX, |r| a.at_ms() + r);
            if x == y && b.at_ms() <= back {
                continue; // the node is still down: the second crash is a no-op
            }
        }
        let mut faults = a.point.faults.clone();
        faults.extend(b.point.faults.iter().cloned());
        out.push(FaultPoint {
            at_ms: a.at_ms(),
            faults_count: 2,
            faults,
        });
    }
    out
}

/// The nodes of a world.
struct Nodes {
    all: Vec<NodeId>,
    brokers: Vec<NodeId>,
}

impl Nodes {
    fn of(w: &World) -> Self {
        let brokers: Vec<NodeId> = (1..=w.brokers().len() as u32).map(NodeId::Broker).collect();
        let mut all = brokers.clone();
        all.extend((1..=w.producers().len() as u32).map(NodeId::Producer));
        all.extend((1..=w.consumers().len() as u32).map(NodeId::Consumer));
        Self { all, brokers }
    }
}

/// The nodes whose state an event shows changing.
fn owners(kind: &EventKind, to_of: &BTreeMap<MessageId, NodeId>, n: &Nodes) -> Vec<NodeId> {
    use EventKind as K;
    match kind {
        K::MessageSent { from, .. } => vec![*from],
        K::MessageDelivered { id } => to_of.get(id).copied().into_iter().collect(),
        K::Appended { broker, .. }
        | K::MarkerAppended { broker, .. }
        | K::LastStableOffset { broker, .. }
        | K::Replicated { broker, .. }
        | K::Truncated { broker, .. }
        | K::SegmentsDeleted { broker, .. }
        | K::HighWatermark { broker, .. } => vec![*broker],
        // Controller decisions reach every broker at once (metadata propagation), and the
        // group coordinator's committed offsets live on a broker.
        K::IsrChanged { .. }
        | K::LeaderElected { .. }
        | K::PartitionOffline { .. }
        | K::BrokerFenced { .. }
        | K::BrokerUnfenced { .. }
        | K::TxnStateChanged { .. }
        | K::TxnTimedOut { .. } => n.brokers.clone(),
        K::OffsetCommitted { consumer, .. } => {
            let mut v = n.brokers.clone();
            v.push(*consumer);
            v
        }
        K::NodeCrashed { node, .. }
        | K::NodeRestarted { node }
        | K::NodePaused { node }
        | K::NodeResumed { node, .. } => vec![*node],
        K::RecordSent { producer, .. }
        | K::ProducerIdAssigned { producer, .. }
        | K::ProducerEpochBumped { producer, .. }
        | K::Acked { producer, .. }
        | K::SendFailed { producer, .. }
        | K::Retrying { producer, .. }
        | K::TransactionBegan { producer, .. }
        | K::ProducerFenced { producer, .. } => vec![*producer],
        K::Polled { consumer, .. }
        | K::Processed { consumer, .. }
        | K::PositionSet { consumer, .. }
        | K::PositionValidated { consumer, .. }
        | K::ConsumerClosed { consumer }
        | K::PartitionsAssigned { consumer, .. }
        | K::PartitionsRevoked { consumer, .. }
        | K::PollIntervalExceeded { consumer } => vec![*consumer],
        // Group membership and the offsets log live on the coordinator's broker.
        K::GroupStateChanged { .. }
        | K::MemberRemoved { .. }
        | K::CommitRejected { .. }
        | K::OffsetsLogAppended { .. }
        | K::CoordinatorLoaded { .. }
        | K::TxnOffsetsPending { .. }
        | K::TxnOffsetsDecided { .. } => n.brokers.clone(),
        K::MessageDropped { .. }
        | K::LinkCut { .. }
        | K::LinkHealed { .. }
        | K::CommandApplied { .. }
        | K::InvariantViolated { .. }
        | K::TraceLimitReached { .. } => Vec::new(),
    }
}

/// When each node was down in the baseline: (crashed at, restarted at).
fn down_intervals(trace: &[TraceEvent]) -> BTreeMap<NodeId, Vec<(Millis, Option<Millis>)>> {
    let mut downs: BTreeMap<NodeId, Vec<(Millis, Option<Millis>)>> = BTreeMap::new();
    for e in trace {
        match &e.kind {
            EventKind::NodeCrashed { node, .. } => {
                downs.entry(*node).or_default().push((e.at_ms, None));
            }
            EventKind::NodeRestarted { node } => {
                if let Some(last) = downs.get_mut(node).and_then(|v| v.last_mut()) {
                    last.1.get_or_insert(e.at_ms);
                }
            }
            _ => {}
        }
    }
    downs
}

/// Whether a node is down for a command applied at `t`: it crashed before `t` and was not
/// restarted by `t` (conservative: a node crashed or restarted at `t` itself counts as up).
fn down_at(downs: &[(Millis, Option<Millis>)], t: Millis) -> bool {
    downs
        .iter()
        .any(|&(crashed, restarted)| crashed < t && restarted.is_none_or(|r| r > t))
}
