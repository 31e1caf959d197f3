//! Consumer groups (spec §5, §9 S17, S18): every catalogue group scenario with its expected
//! outcome.

mod common;
use common::run;
use delivery_lab::model::catalogue::scenario;
use delivery_lab::model::group::{GroupPhase, RemoveReason};
use delivery_lab::model::{ErrorCode, EventKind, Millis, NodeId, World};

/// The last assignment each consumer got: (consumer, generation, partitions).
fn assignments(w: &World) -> Vec<(NodeId, i32, Vec<u32>)> {
    w.trace()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PartitionsAssigned {
                consumer,
                generation,
                partitions,
                ..
            } => Some((*consumer, *generation, partitions.clone())),
            _ => None,
        })
        .collect()
}

fn time_of(w: &World, f: impl Fn(&EventKind) -> bool) -> Option<Millis> {
    w.trace().iter().find(|e| f(&e.kind)).map(|e| e.at_ms)
}

#[test]
fn slow_processing_past_max_poll_interval_duplicates_and_the_zombie_commit_fails() {
    let (w, r) = run("s17-slow-processing-rebalance-duplicates");
    let all: Vec<u32> = (1..=10).collect();
    assert_eq!(r.processed_twice, all);
    assert_eq!(r.rebalance_duplicates, all, "C1 and C2 both processed them");
    assert!(r.skipped.is_empty() && r.verdict.at_least_once && !r.verdict.at_most_once);
    assert!(w.trace().iter().any(|e| matches!(
        e.kind,
        EventKind::PollIntervalExceeded {
            consumer: NodeId::Consumer(1)
        }
    )));
    assert!(w.trace().iter().any(|e| matches!(
        &e.kind,
        EventKind::MemberRemoved {
            consumer: NodeId::Consumer(1),
            reason: RemoveReason::Left,
            ..
        }
    )));
    // The zombie's commitSync is refused; its processing was not.
    let rejected = w.trace().iter().find_map(|e| match &e.kind {
        EventKind::CommitRejected {
            consumer, error, ..
        } => Some((*consumer, *error)),
        _ => None,
    });
    assert_eq!(
        rejected,
        Some((NodeId::Consumer(1), ErrorCode::UnknownMemberId))
    );
    // C2 took p0 from the committed offset 0; the committed offset is C2's.
    assert!(assignments(&w)
        .iter()
        .any(|(c, g, p)| *c == NodeId::Consumer(2) && *g == 2 && p == &vec![0, 1]));
    assert_eq!(w.coordinator().committed("g", 0), Some(10));
    // C1 rejoined on its next poll and got p0 back.
    assert_eq!(
        assignments(&w).last().map(|a| a.1),
        Some(3),
        "a third generation after C1 rejoined"
    );
}

#[test]
fn a_crashed_consumer_leaves_its_partition_idle_for_the_session_timeout_then_it_is_redelivered() {
    let (w, r) = run("s18-consumer-crash-session-timeout-redelivers");
    let crash = time_of(&w, |k| {
        matches!(
            k,
            EventKind::NodeCrashed {
                node: NodeId::Consumer(1),
                ..
            }
        )
    })
    .expect("C1 crashed");
    let removed = time_of(&w, |k| {
        matches!(
            k,
            EventKind::MemberRemoved {
                consumer: NodeId::Consumer(1),
                reason: RemoveReason::SessionTimeout,
                ..
            }
        )
    })
    .expect("C1 evicted");
    // The last heartbeat came at most heartbeat.interval.ms (+ latency) before the crash.
    assert!(
        (crash + 8_800..=crash + 10_200).contains(&removed),
        "evicted after session.timeout.ms: crash {crash}, removed {removed}"
    );
    let p0_idle = w.trace().iter().all(|e| {
        !(matches!(e.kind, EventKind::Processed { partition: 0, .. })
            && e.at_ms > crash
            && e.at_ms < removed)
    });
    assert!(
        p0_idle,
        "nobody processes p0 while C1's session is still open"
    );
    assert_eq!(
        r.processed_twice,
        vec![7, 8],
        "offsets 6 and 7, after the commit at 6"
    );
    assert_eq!(r.rebalance_duplicates, vec![7, 8]);
    assert!(r.verdict.at_least_once && r.unprocessed.is_empty());
    let restart_position = w.trace().iter().find_map(|e| match e.kind {
        EventKind::PositionSet {
            consumer: NodeId::Consumer(2),
            partition: 0,
            offset,
            ..
        } => Some(offset),
        _ => None,
    });
    assert_eq!(
        restart_position,
        Some(6),
        "C2 starts p0 at the committed offset"
    );
}

#[test]
fn a_static_member_restarted_within_the_session_timeout_gets_its_partitions_back_without_a_rebalance(
) {
    let (w, r) = run("s18-static-member-restart-no-rebalance");
    let generations: Vec<i32> = w
        .trace()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::GroupStateChanged { generation, .. } => Some(generation),
            _ => None,
        })
        .collect();
    assert_eq!(generations.iter().max(), Some(&1), "one generation only");
    assert!(!w
        .trace()
        .iter()
        .any(|e| matches!(e.kind, EventKind::MemberRemoved { .. })));
    let c1: Vec<_> = assignments(&w)
        .into_iter()
        .filter(|a| a.0 == NodeId::Consumer(1))
        .collect();
    assert_eq!(c1.len(), 2);
    assert_eq!(
        c1[1],
        (NodeId::Consumer(1), 1, vec![0]),
        "same generation, same p0"
    );
    assert_eq!(r.processed_twice, vec![7, 8]);
    assert!(
        r.rebalance_duplicates.is_empty(),
        "the same member processed them again"
    );
}

#[test]
fn two_groups_each_process_every_record_once() {
    let (w, r) = run("groups-two-groups-each-get-every-record");
    assert_eq!(r.groups.len(), 2);
    for g in &r.groups {
        assert!(g.verdict.exactly_once, "{g:?}");
    }
    assert!(
        r.processed_twice.is_empty(),
        "once per group is not a duplicate"
    );
    assert!(r.verdict.exactly_once);
    assert!(r.rows.iter().all(|v| v.row.processed == 2));
    assert_eq!(
        w.coordinator().committed("billing", 0),
        w.coordinator().committed("audit", 0)
    );
    assert!(w
        .coordinator()
        .membership("billing")
        .is_some_and(|g| g.phase == GroupPhase::Stable));
    // Each group's offsets are records of its own __consumer_offsets partition.
    assert!(w.trace().iter().any(|e| matches!(
        &e.kind,
        EventKind::OffsetsLogAppended { group, .. } if group == "audit"
    )));
}

fn owners(w: &World) -> Vec<(NodeId, Vec<u32>)> {
    assignments(w).into_iter().map(|(c, _, p)| (c, p)).collect()
}

#[test]
fn the_range_assignor_gives_consecutive_partitions_the_first_member_one_more() {
    let (w, r) = run("groups-range-assignment");
    let mut o = owners(&w);
    o.sort();
    assert_eq!(
        o,
        vec![
            (NodeId::Consumer(1), vec![0, 1]),
            (NodeId::Consumer(2), vec![2])
        ]
    );
    assert!(r.verdict.exactly_once);
}

#[test]
fn the_round_robin_assignor_deals_partitions_in_turn() {
    let (w, r) = run("groups-roundrobin-assignment");
    let mut o = owners(&w);
    o.sort();
    assert_eq!(
        o,
        vec![
            (NodeId::Consumer(1), vec![0, 2]),
            (NodeId::Consumer(2), vec![1])
        ]
    );
    assert!(r.verdict.exactly_once);
}

#[test]
fn inside_a_group_each_partition_has_one_owner_at_a_time() {
    for name in [
        "groups-range-assignment",
        "groups-roundrobin-assignment",
        "s17-slow-processing-rebalance-duplicates",
        "s18-consumer-crash-session-timeout-redelivers",
    ] {
        let (w, _) = run(name);
        let mut by_generation: std::collections::BTreeMap<i32, Vec<u32>> = Default::default();
        for (_, g, p) in assignments(&w) {
            by_generation.entry(g).or_default().extend(p);
        }
        for (g, mut ps) in by_generation {
            let n = ps.len();
            ps.sort_unstable();
            ps.dedup();
            assert_eq!(ps.len(), n, "{name}: generation {g} gave a partition twice");
        }
    }
}

#[test]
fn group_settings_are_checked_and_named() {
    use delivery_lab::model::Scenario;
    let e = Scenario::from_json(
        r#"{"consumers": [{"config": {"partition.assignment.strategy": "sticky-ish"}}]}"#,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("consumers[0].config.partition.assignment.strategy"),
        "{e}"
    );
    let e = Scenario::from_json(
        r#"{"consumers": [{"config": {"session.timeout.ms": 10000, "heartbeat.interval.ms": 10000}}]}"#,
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("consumers[0].config"), "{e}");
    assert!(e.to_string().contains("heartbeat.interval.ms"), "{e}");
    let e = Scenario::from_json(r#"{"consumers": [{"app": {"subscribed": true}}]}"#).unwrap_err();
    assert!(e.to_string().contains("unknown field `subscribed`"), "{e}");
}

#[test]
fn a_graceful_close_rebalances_at_once_and_commits_on_revocation_so_nothing_is_processed_twice() {
    let (w, r) = run("groups-graceful-close-no-duplicates");
    let closed = time_of(&w, |k| {
        matches!(
            k,
            EventKind::ConsumerClosed {
                consumer: NodeId::Consumer(1)
            }
        )
    })
    .expect("C1 closed");
    let removed = time_of(&w, |k| {
        matches!(
            k,
            EventKind::MemberRemoved {
                consumer: NodeId::Consumer(1),
                reason: RemoveReason::Left,
                ..
            }
        )
    })
    .expect("LeaveGroup");
    assert!(removed - closed <= 200, "no session.timeout.ms wait");
    // C2's auto-commit in onJoinPrepare, before it gives up p1.
    let revoked = time_of(&w, |k| {
        matches!(
            k,
            EventKind::PartitionsRevoked {
                consumer: NodeId::Consumer(2),
                ..
            }
        )
    })
    .expect("C2 revoked");
    // Stored once B1's followers have the commit's record: a few network trips, not a timeout.
    assert!(w.trace().iter().any(|e| e.at_ms > revoked
        && e.at_ms <= revoked + 600
        && matches!(
            e.kind,
            EventKind::OffsetCommitted {
                consumer: NodeId::Consumer(2),
                partition: 1,
                ..
            }
        )));
    assert!(r.processed_twice.is_empty() && r.rebalance_duplicates.is_empty());
    assert!(r.verdict.exactly_once, "{r:?}");
}

#[test]
fn cooperative_sticky_keeps_the_survivors_partitions_when_a_member_leaves() {
    use delivery_lab::model::config::AssignmentStrategy;
    use delivery_lab::model::{Command, Fault};
    let mut s = scenario("groups-roundrobin-assignment").unwrap().unwrap();
    s.topic.partitions = 4;
    s.consumers.push(s.consumers[0].clone());
    for c in &mut s.consumers {
        c.config.partition_assignment_strategy = Some(AssignmentStrategy::CooperativeSticky);
    }
    s.faults = vec![Fault::at(
        6000,
        Command::Close {
            node: NodeId::Consumer(2),
        },
    )];
    let mut w = World::new(s);
    w.run_until(12_000);
    let a = assignments(&w);
    let gen1: Vec<_> = a.iter().filter(|x| x.1 == 1).cloned().collect();
    let gen2: Vec<_> = a.iter().filter(|x| x.1 == 2).cloned().collect();
    assert_eq!(gen1.len(), 3, "{a:?}");
    assert_eq!(gen2.len(), 2, "{a:?}");
    // Generation 1 balances 2/1/1; after C2 leaves, C1 and C3 keep what they had.
    for (c, _, before) in &gen1 {
        if let Some((_, _, after)) = gen2.iter().find(|x| x.0 == *c) {
            assert!(
                before.iter().all(|p| after.contains(p)),
                "{c}: {before:?} -> {after:?}"
            );
        }
    }
    let mut all: Vec<u32> = gen2.iter().flat_map(|x| x.2.clone()).collect();
    all.sort_unstable();
    assert_eq!(all, vec![0, 1, 2, 3], "every partition has one owner");
}
