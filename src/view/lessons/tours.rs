//! The lessons themselves, in the order of the source notes.

use super::{Lesson, LessonText as T, Moment, Predict, Setup, Step};
use crate::model::commands::{Command, CrashMode, Fault};
use crate::model::{NodeId, Scenario};
use crate::view::timeline::MarkKind;

fn step(setup: Setup, moment: Moment, watch: T) -> Step {
    Step {
        setup,
        moment,
        watch,
        predict: None,
    }
}

fn ask(mut s: Step, question: T, choices: &[(T, bool)], reveal: T) -> Step {
    s.predict = Some(Predict {
        question,
        choices: choices.to_vec(),
        reveal,
    });
    s
}

fn cat(name: &'static str) -> Setup {
    Setup::catalogue(name)
}

fn preset(name: &'static str, preset: &'static str) -> Setup {
    Setup {
        preset: Some(preset),
        ..Setup::catalogue(name)
    }
}

/// `hello` with a broker crash (of `mode`) at 1.5 s and its restart at 3.5 s.
fn broker_down(mode: CrashMode) -> Setup {
    let node = NodeId::Broker(2);
    Setup {
        faults: vec![
            Fault::at(1500, Command::Crash { node, mode }),
            Fault::at(3500, Command::Restart { node }),
        ],
        ..Setup::catalogue("hello")
    }
}

/// Two consumers in two groups.
fn two_groups(s: &mut Scenario) {
    let mut second = s.consumers[0].clone();
    s.consumers[0].config.group_id = Some("billing".into());
    second.config.group_id = Some("audit".into());
    s.consumers.push(second);
}

pub fn lessons() -> Vec<Lesson> {
    use MarkKind::Duplicate;
    use Moment::{At, End, First};
    vec![
        Lesson {
            id: "at-most-once",
            title: T::AtMostOnce,
            steps: vec![
                ask(
                    step(cat("s01-acks-0-leader-crash"), End, T::Amo1),
                    T::Amo1Q,
                    &[(T::Amo1Retry, false), (T::Amo1Silent, true)],
                    T::Amo1R,
                ),
                ask(
                    step(cat("s12-commit-before-processing-loses"), End, T::Amo2),
                    T::Amo2Q,
                    &[(T::Amo2After, false), (T::Amo2Committed, true)],
                    T::Amo2R,
                ),
                step(preset("hello", "at-most-once"), End, T::Amo3),
            ],
        },
        Lesson {
            id: "at-least-once",
            title: T::AtLeastOnce,
            steps: vec![
                step(cat("hello"), End, T::Alo1),
                ask(
                    step(cat("s06-lost-ack-no-idempotence-duplicates"), End, T::Alo2),
                    T::Alo2Q,
                    &[(T::Alo2Knows, false), (T::Alo2Appends, true)],
                    T::Alo2R,
                ),
                ask(
                    step(cat("s13-commit-after-processing-duplicates"), End, T::Alo3),
                    T::Alo3Q,
                    &[(T::Alo3Once, false), (T::Alo3Twice, true)],
                    T::Alo3R,
                ),
                step(
                    cat("s14-auto-commit-crash-duplicates"),
                    First(Duplicate),
                    T::Alo4,
                ),
            ],
        },
        Lesson {
            id: "exactly-once",
            title: T::ExactlyOnce,
            steps: vec![
                ask(
                    step(cat("s07-lost-ack-idempotence-deduplicates"), End, T::Eo1),
                    T::Eo1Q,
                    &[(T::Eo1Two, false), (T::Eo1One, true)],
                    T::Eo1R,
                ),
                step(cat("s10-producer-restart-resend-duplicates"), End, T::Eo2),
                ask(
                    step(cat("s10t-transactional-restart-commits-once"), End, T::Eo4),
                    T::Eo4Q,
                    &[(T::Alo3Twice, false), (T::Alo3Once, true)],
                    T::Eo4R,
                ),
                step(cat("s20-zombie-producer-fenced"), End, T::Eo5),
                ask(
                    step(cat("s19p-pipeline-crash-before-commit"), End, T::Eo3),
                    T::Eo3Q,
                    &[(T::Alo3Twice, false), (T::Alo3Once, true)],
                    T::Eo3R,
                ),
            ],
        },
        Lesson {
            id: "acks-and-replication",
            title: T::Acks,
            steps: vec![
                step(cat("s01-acks-0-leader-crash"), At(1000), T::Ack1),
                ask(
                    step(cat("s02-acks-1-leader-crash"), End, T::Ack2),
                    T::Ack2Q,
                    &[(T::Yes, true), (T::No, false)],
                    T::Ack2R,
                ),
                ask(
                    step(cat("s04-acks-all-clean-failover"), End, T::Ack3),
                    T::Ack3Q,
                    &[(T::Yes, true), (T::No, false)],
                    T::Ack3R,
                ),
                step(
                    cat("s08-retry-reorders-without-idempotence"),
                    At(2500),
                    T::Ack4,
                ),
                step(cat("s22-unclean-election-loses-acknowledged"), End, T::Ack5),
            ],
        },
        Lesson {
            id: "consumer-groups",
            title: T::Groups,
            steps: vec![
                ask(
                    step(
                        Setup {
                            tweak: Some(two_groups),
                            ..cat("hello")
                        },
                        End,
                        T::Grp1,
                    ),
                    T::Grp1Q,
                    &[(T::Grp1Split, false), (T::Grp1Both, true)],
                    T::Grp1R,
                ),
                step(cat("groups-range-assignment"), End, T::Grp2),
                step(
                    cat("s18-consumer-crash-session-timeout-redelivers"),
                    End,
                    T::Grp3,
                ),
                ask(
                    step(cat("groups-cooperative-rebalance"), End, T::Grp4),
                    T::Grp4Q,
                    &[(T::Grp4Stops, false), (T::Grp4Keeps, true)],
                    T::Grp4R,
                ),
            ],
        },
        Lesson {
            id: "ordering",
            title: T::Ordering,
            steps: vec![
                ask(
                    step(cat("s26-keys-pick-partitions"), End, T::Ord1),
                    T::Ord1Q,
                    &[(T::Ord1Spread, false), (T::Ord1Same, true)],
                    T::Ord1R,
                ),
                ask(
                    step(cat("s08-retry-reorders-without-idempotence"), End, T::Ord2),
                    T::Ord2Q,
                    &[(T::Yes, false), (T::No, true)],
                    T::Ord2R,
                ),
                step(cat("s09-retry-keeps-order-with-idempotence"), End, T::Ord3),
            ],
        },
        Lesson {
            id: "persistence",
            title: T::Persistence,
            steps: vec![
                step(broker_down(CrashMode::Process), End, T::Per1),
                step(broker_down(CrashMode::PowerLoss), End, T::Per2),
                step(
                    cat("s25-retention-outruns-a-stopped-consumer"),
                    End,
                    T::Per3,
                ),
            ],
        },
    ]
}
