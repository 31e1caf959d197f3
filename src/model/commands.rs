//! Commands: every outside influence on a run, named in one place.
//!
//! A crash, a restart, a dropped message, a cut link, a changed setting: the fault script, the
//! UI's buttons and the property tests all produce values of [`Command`], and the world applies
//! them at a virtual time and records them (stateright's `ActorModelAction`). Together with the
//! RNG draws of [`super::rng::Choice`], these are the run's only sources of nondeterminism, so a
//! run is a pure function of (scenario, seed, commands).
//!
//! A command can also wait for a named protocol step ([`Trigger`]): "leader appended record 3",
//! "the ack of record 3 is on its way", "consumer processed offset 5 but has not committed".

use super::ids::{MessageId, NodeId, Offset, PartitionId, RecordId};
use super::time::Millis;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How a node goes down (spec §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrashMode {
    /// The process dies; the page cache survives, so a broker keeps its whole log.
    #[default]
    Process,
    /// The machine loses power; a broker keeps only what the OS had flushed to disk.
    PowerLoss,
}

/// Which message to lose on the network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum MessageSelector {
    /// The message with this id (as the trace numbers them: `#12`).
    Id(MessageId),
    /// The next answer to the request with this message id.
    AckOfRequest(MessageId),
    /// The next answer to a produce request carrying this record.
    AckOfRecord(RecordId),
    /// The next produce request carrying this record.
    ProduceOfRecord(RecordId),
    /// The next offset commit sent by this consumer.
    CommitFrom(NodeId),
}

/// A topic setting that can change while the run goes on (`kafka-configs.sh --alter`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum TopicSetting {
    #[serde(rename = "min.insync.replicas")]
    MinInsyncReplicas(u32),
    #[serde(rename = "unclean.leader.election.enable")]
    UncleanLeaderElectionEnable(bool),
}

/// An outside influence on the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Stop a node. Its volatile state is gone; a broker keeps its log (or its flushed part).
    Crash {
        node: NodeId,
        #[serde(default)]
        mode: CrashMode,
    },
    /// Start a crashed node again: a broker rejoins and catches up, a producer gets a new
    /// producer id, a consumer resumes from its group's committed offset.
    Restart { node: NodeId },
    /// Lose one message on the network.
    Drop(MessageSelector),
    /// Cut the link between two nodes (both directions). `controller` cuts a broker's
    /// heartbeats, so the controller fences it.
    Partition { a: NodeId, b: NodeId },
    /// Mend a cut link.
    Heal { a: NodeId, b: NodeId },
    /// Change a topic setting.
    SetTopicConfig(TopicSetting),
    /// The consumer application calls `close()` (a final auto-commit, then it stops).
    Close { node: NodeId },
    /// Freeze a node (a long GC pause): it keeps its state but hears, answers and sends nothing.
    Pause { node: NodeId },
    /// Wake a paused node: what waited for it happens now, in order.
    Resume { node: NodeId },
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Crash { node, mode } => match mode {
                CrashMode::Process => write!(f, "crash {node}"),
                CrashMode::PowerLoss => write!(f, "power loss on {node}"),
            },
            Command::Restart { node } => write!(f, "restart {node}"),
            Command::Drop(sel) => match sel {
                MessageSelector::Id(id) => write!(f, "drop message #{id}"),
                MessageSelector::AckOfRequest(id) => write!(f, "drop the answer to #{id}"),
                MessageSelector::AckOfRecord(r) => write!(f, "drop the ack of m{r}"),
                MessageSelector::ProduceOfRecord(r) => write!(f, "drop the produce of m{r}"),
                MessageSelector::CommitFrom(n) => write!(f, "drop the next commit from {n}"),
            },
            Command::Partition { a, b } => write!(f, "cut the link {a}-{b}"),
            Command::Heal { a, b } => write!(f, "heal the link {a}-{b}"),
            Command::SetTopicConfig(TopicSetting::MinInsyncReplicas(n)) => {
                write!(f, "set min.insync.replicas={n}")
            }
            Command::SetTopicConfig(TopicSetting::UncleanLeaderElectionEnable(b)) => {
                write!(f, "set unclean.leader.election.enable={b}")
            }
            Command::Close { node } => write!(f, "close {node}"),
            Command::Pause { node } => write!(f, "pause {node}"),
            Command::Resume { node } => write!(f, "resume {node}"),
        }
    }
}

/// A named protocol step a fault can wait for. Each fires at its first occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case", deny_unknown_fields)]
pub enum Trigger {
    /// The application called `send()` for this record.
    RecordSent { record: RecordId },
    /// The partition leader appended this record to its log.
    LeaderAppended { record: RecordId },
    /// A follower copied this record (any follower, or the one named).
    Replicated {
        record: RecordId,
        #[serde(default)]
        broker: Option<NodeId>,
    },
    /// The leader's high watermark passed this record: it is committed.
    HighWatermarkPassed { record: RecordId },
    /// The leader sent the ack of this record: it is on its way to the producer.
    AckSent { record: RecordId },
    /// The producer was told this record was stored.
    Acked { record: RecordId },
    /// A consumer's poll returned this offset.
    Polled {
        consumer: NodeId,
        offset: Offset,
        #[serde(default)]
        partition: PartitionId,
    },
    /// A consumer's application finished processing this offset (and has not committed since).
    Processed {
        consumer: NodeId,
        offset: Offset,
        #[serde(default)]
        partition: PartitionId,
    },
    /// The group coordinator stored a committed offset of at least this value.
    Committed {
        consumer: NodeId,
        offset: Offset,
        #[serde(default)]
        partition: PartitionId,
    },
}

/// One line of a fault script: a command at a virtual time, or after a protocol step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Apply at this virtual time. Exactly one of `at_ms` and `on` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_ms: Option<Millis>,
    /// Apply when this protocol step happens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<Trigger>,
    /// Wait this long after the step (or time) before applying. Default 0: right after it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub delay_ms: Millis,
    /// What to do.
    #[serde(rename = "do")]
    pub action: Command,
}

fn is_zero(v: &Millis) -> bool {
    *v == 0
}

impl Fault {
    /// A command at a virtual time.
    pub fn at(at_ms: Millis, action: Command) -> Self {
        Self {
            at_ms: Some(at_ms),
            on: None,
            delay_ms: 0,
            action,
        }
    }

    /// A command right after a protocol step.
    pub fn on(trigger: Trigger, action: Command) -> Self {
        Self {
            at_ms: None,
            on: Some(trigger),
            delay_ms: 0,
            action,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_read_as_users_write_them() {
        let f: Fault = serde_json::from_str(
            r#"{"on": {"step": "leader_appended", "record": 3}, "do": {"crash": {"node": "B1"}}}"#,
        )
        .unwrap();
        assert_eq!(
            f,
            Fault::on(
                Trigger::LeaderAppended { record: 3 },
                Command::Crash {
                    node: NodeId::Broker(1),
                    mode: CrashMode::Process
                }
            )
        );
        let f: Fault =
            serde_json::from_str(r#"{"at_ms": 20, "do": {"drop": {"ack_of_record": 1}}}"#).unwrap();
        assert_eq!(f.action, Command::Drop(MessageSelector::AckOfRecord(1)));
        let f: Fault = serde_json::from_str(
            r#"{"at_ms": 0, "do": {"set_topic_config": {"unclean.leader.election.enable": true}}}"#,
        )
        .unwrap();
        assert_eq!(
            f.action,
            Command::SetTopicConfig(TopicSetting::UncleanLeaderElectionEnable(true))
        );
    }
}
