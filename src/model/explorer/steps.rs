//! Crash points at protocol steps: a node crashed right after one named step of the baseline
//! run ([`Trigger`]), inside the handler that took it.
//!
//! Crashes at virtual times (`points.rs`) land *between* events; they cannot land between two
//! things one handler does in the same instant. Yet that is where the famous losses live: with
//! acks=1 a leader appends a record, answers the producer and hands the record to a waiting
//! follower fetch all at once, so the only crash that loses the acknowledged record is the one
//! right after the ack is sent (spec §9 S2). A fault on a trigger applies right after its step,
//! and what the node would have done after it in the same handler never happens (`world.rs`).
//!
//! The steps, each taken from its first occurrence in the baseline (a trigger fires at its first
//! occurrence, and before the fault the run *is* the baseline):
//! - `record_sent`, `acked`: crash the producer;
//! - `leader_appended`, `ack_sent`, `high_watermark_passed`: crash the leader that appended;
//! - `replicated` (by a named follower): crash the leader, or that follower;
//! - `polled`, `processed`, `committed`: crash the consumer.
//!
//! Pruned: a high watermark move that passes several records at once is one step (the trigger of
//! the newest record fires on the same event as the others'), kept once.

use super::points::{Kind, Point};
use super::ExploreOptions;
use crate::model::commands::{Command, CrashMode, Fault, Trigger};
use crate::model::ids::{NodeId, Offset, PartitionId, RecordId};
use crate::model::payload::Payload;
use crate::model::time::Millis;
use crate::model::trace::{EventKind, TraceEvent};
use std::collections::{BTreeMap, BTreeSet};

/// Crash points right after each protocol step of the baseline trace, up to `horizon_ms`.
pub(crate) fn step_points(
    trace: &[TraceEvent],
    horizon_ms: Millis,
    o: &ExploreOptions,
) -> Vec<Point> {
    let mut steps: Vec<(Millis, Trigger, NodeId)> = Vec::new();
    let mut seen: BTreeSet<(String, NodeId)> = BTreeSet::new();
    // Where and by whom each record was last appended (the leader at the time).
    let mut appended: BTreeMap<RecordId, (NodeId, PartitionId, Offset)> = BTreeMap::new();
    let mut passed: BTreeMap<(NodeId, PartitionId), Offset> = BTreeMap::new();
    let mut push = |at: Millis, trigger: Trigger, node: NodeId| {
        if seen.insert((format!("{trigger:?}"), node)) {
            steps.push((at, trigger, node));
        }
    };
    for e in trace.iter().take_while(|e| e.at_ms <= horizon_ms) {
        let t = e.at_ms;
        match &e.kind {
            EventKind::RecordSent {
                producer, record, ..
            } => push(t, Trigger::RecordSent { record: *record }, *producer),
            EventKind::Acked {
                producer, record, ..
            } => push(t, Trigger::Acked { record: *record }, *producer),
            EventKind::Appended {
                broker,
                partition,
                offset,
                record,
                ..
            } => {
                appended.insert(*record, (*broker, *partition, *offset));
                push(t, Trigger::LeaderAppended { record: *record }, *broker);
            }
            EventKind::Replicated { broker, record, .. } => {
                let trigger = Trigger::Replicated {
                    record: *record,
                    broker: Some(*broker),
                };
                if let Some(&(leader, _, _)) = appended.get(record) {
                    push(t, trigger.clone(), leader);
                }
                push(t, trigger, *broker);
            }
            EventKind::HighWatermark {
                broker,
                partition,
                high_watermark,
            } => {
                let from = passed.get(&(*broker, *partition)).copied().unwrap_or(0);
                let newest = appended
                    .iter()
                    .filter(|(_, &(b, p, o))| {
                        b == *broker && p == *partition && o >= from && o < *high_watermark
                    })
                    .max_by_key(|(_, &(_, _, o))| o)
                    .map(|(&r, _)| r);
                if let Some(record) = newest {
                    push(t, Trigger::HighWatermarkPassed { record }, *broker);
                }
                passed.insert((*broker, *partition), *high_watermark);
            }
            EventKind::MessageSent {
                from,
                payload:
                    Payload::ProduceResponse {
                        record,
                        error: None,
                        ..
                    },
                ..
            } => push(t, Trigger::AckSent { record: *record }, *from),
            EventKind::Polled {
                consumer,
                partition,
                offset,
                ..
            } => push(t, polled(*consumer, *partition, *offset), *consumer),
            EventKind::Processed {
                consumer,
                partition,
                offset,
                ..
            } => push(t, processed(*consumer, *partition, *offset), *consumer),
            EventKind::OffsetCommitted {
                consumer,
                partition,
                offset,
            } => push(t, committed(*consumer, *partition, *offset), *consumer),
            _ => {}
        }
    }
    let mut points = Vec::new();
    for (at, trigger, node) in steps {
        let modes: &[CrashMode] = match (node, o.power_loss) {
            (NodeId::Broker(_), true) => &[CrashMode::Process, CrashMode::PowerLoss],
            _ => &[CrashMode::Process],
        };
        for &mode in modes {
            let mut faults = vec![Fault::on(trigger.clone(), Command::Crash { node, mode })];
            if let Some(after) = o.restart_after_ms {
                let mut restart = Fault::on(trigger.clone(), Command::Restart { node });
                restart.delay_ms = after;
                faults.push(restart);
            }
            points.push(Point::single(at, Kind::Crash(node), faults));
        }
    }
    points
}

fn polled(consumer: NodeId, partition: PartitionId, offset: Offset) -> Trigger {
    Trigger::Polled {
        consumer,
        offset,
        partition,
    }
}

fn processed(consumer: NodeId, partition: PartitionId, offset: Offset) -> Trigger {
    Trigger::Processed {
        consumer,
        offset,
        partition,
    }
}

fn committed(consumer: NodeId, partition: PartitionId, offset: Offset) -> Trigger {
    Trigger::Committed {
        consumer,
        offset,
        partition,
    }
}
