//! "At the next step" faults: crash the leader right after it appends the next record, lose the
//! next record's acknowledgement, crash the first consumer right after it processes its next
//! record (before it commits).
//!
//! The button names an intent; which record, leader and offset "next" means depends on the run
//! and the cursor, so the intent is resolved against the [`FaultTargets`] of the frame it is
//! given in. In compare mode each run resolves it against its own frame: the same fault script
//! line in words, the right record in each run even when one run is ahead of the other.

use super::scene::FaultTargets;
use crate::model::commands::{Command, CrashMode, Fault, MessageSelector, Trigger};
use crate::model::{Millis, NodeId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// Crash the partition leader as soon as it appends the next record (before followers
    /// copy it).
    CrashLeaderAfterAppend,
    /// Lose the acknowledgement of the next record on its way back to the producer.
    LoseNextAck,
    /// Crash the first consumer right after it processes its next record, before it commits.
    CrashConsumerAfterProcessing,
}

impl NextStep {
    /// The fault-script line this intent means at `cursor_ms`, given a run's targets there;
    /// `None` when the run has nothing to aim at (no leader, no consumer).
    pub fn fault(self, targets: &FaultTargets, cursor_ms: Millis) -> Option<Fault> {
        let record = targets.next_record;
        match self {
            NextStep::CrashLeaderAfterAppend => targets.leader.map(|leader| {
                Fault::on(
                    Trigger::LeaderAppended { record },
                    Command::Crash {
                        node: NodeId::Broker(leader),
                        mode: CrashMode::Process,
                    },
                )
            }),
            NextStep::LoseNextAck => Some(Fault::at(
                cursor_ms,
                Command::Drop(MessageSelector::AckOfRecord(record)),
            )),
            NextStep::CrashConsumerAfterProcessing => targets.consumer.map(|(consumer, offset)| {
                Fault::on(
                    Trigger::Processed {
                        consumer,
                        offset,
                        partition: 0,
                    },
                    Command::Crash {
                        node: consumer,
                        mode: CrashMode::Process,
                    },
                )
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> FaultTargets {
        FaultTargets {
            nodes: vec![],
            next_record: 4,
            leader: Some(2),
            consumer: Some((NodeId::Consumer(1), 7)),
            paused: vec![],
        }
    }

    #[test]
    fn each_intent_aims_at_the_runs_own_next_record_leader_and_offset() {
        let t = targets();
        assert_eq!(
            NextStep::CrashLeaderAfterAppend.fault(&t, 900),
            Some(Fault::on(
                Trigger::LeaderAppended { record: 4 },
                Command::Crash {
                    node: NodeId::Broker(2),
                    mode: CrashMode::Process
                }
            ))
        );
        assert_eq!(
            NextStep::LoseNextAck.fault(&t, 900),
            Some(Fault::at(
                900,
                Command::Drop(MessageSelector::AckOfRecord(4))
            ))
        );
        let consumer = NextStep::CrashConsumerAfterProcessing.fault(&t, 900);
        assert_eq!(
            consumer.and_then(|f| f.on),
            Some(Trigger::Processed {
                consumer: NodeId::Consumer(1),
                offset: 7,
                partition: 0
            })
        );
    }

    #[test]
    fn nothing_to_aim_at_gives_no_fault() {
        let t = FaultTargets {
            leader: None,
            consumer: None,
            ..targets()
        };
        assert_eq!(NextStep::CrashLeaderAfterAppend.fault(&t, 0), None);
        assert_eq!(NextStep::CrashConsumerAfterProcessing.fault(&t, 0), None);
        assert!(NextStep::LoseNextAck.fault(&t, 0).is_some());
    }
}
