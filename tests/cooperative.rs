//! The cooperative rebalance protocol (KIP-429, spec §5.1): with cooperative-sticky, members
//! keep reading the partitions they keep while the group rebalances, and a partition that moves
//! is revoked by its owner and handed to its new owner in a second rebalance, so no partition
//! ever has two owners.

mod common;
use common::run;
use delivery_lab::model::catalogue::scenario;
use delivery_lab::model::commands::CrashMode;
use delivery_lab::model::config::AssignmentStrategy;
use delivery_lab::model::group::GroupPhase;
use delivery_lab::model::{Command, EventKind, Fault, Millis, NodeId, Scenario, World};
use std::collections::BTreeMap;

type Owners = BTreeMap<NodeId, Vec<u32>>;

/// Folds the assignment and revocation events; panics (with the time) if a partition ever has
/// two owners among the group's members. Crashed, closed and removed consumers own nothing. Returns the final owners.
fn assert_one_owner_at_a_time(w: &World) -> Owners {
    let mut owners: Owners = BTreeMap::new();
    for e in w.trace() {
        match &e.kind {
            EventKind::PartitionsAssigned {
                consumer,
                partitions,
                ..
            } => {
                for (other, theirs) in &owners {
                    if other != consumer {
                        let shared: Vec<_> =
                            partitions.iter().filter(|p| theirs.contains(p)).collect();
                        assert!(
                            shared.is_empty(),
                            "t={}: {consumer} given {shared:?}, still owned by {other}",
                            e.at_ms
                        );
                    }
                }
                owners.insert(*consumer, partitions.clone());
            }
            EventKind::PartitionsRevoked {
                consumer,
                partitions,
                ..
            } => {
                if let Some(o) = owners.get_mut(consumer) {
                    o.retain(|p| !partitions.contains(p));
                }
            }
            // A member the coordinator removed owns nothing as far as the group is concerned
            // (a paused zombie may still think it does: Kafka does not fence its processing).
            EventKind::NodeCrashed { node, .. }
            | EventKind::ConsumerClosed { consumer: node }
            | EventKind::MemberRemoved { consumer: node, .. } => {
                owners.remove(node);
            }
            _ => {}
        }
    }
    owners
}

/// (time, consumer, generation, partitions, added) of every assignment.
type Assignment = (Millis, NodeId, i32, Vec<u32>, Option<Vec<u32>>);

fn assignments(w: &World) -> Vec<Assignment> {
    w.trace()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PartitionsAssigned {
                consumer,
                generation,
                partitions,
                added,
                ..
            } => Some((
                e.at_ms,
                *consumer,
                *generation,
                partitions.clone(),
                added.clone(),
            )),
            _ => None,
        })
        .collect()
}

/// Times at which consumer `c` processed a record of one of `partitions`.
fn processed_at(w: &World, c: u32, partitions: &[u32]) -> Vec<Millis> {
    w.trace()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Processed {
                consumer,
                partition,
                ..
            } if consumer == NodeId::Consumer(c) && partitions.contains(&partition) => {
                Some(e.at_ms)
            }
            _ => None,
        })
        .collect()
}

/// The first and last rebalance after `from`: the first PreparingRebalance and the last
/// Stable of the group.
fn rebalance_window(w: &World, from: Millis) -> (Millis, Millis) {
    let phases: Vec<(Millis, GroupPhase)> = w
        .trace()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::GroupStateChanged { state, .. } if e.at_ms >= from => {
                Some((e.at_ms, *state))
            }
            _ => None,
        })
        .collect();
    let start = phases
        .iter()
        .find(|(_, s)| *s == GroupPhase::PreparingRebalance)
        .expect("a rebalance")
        .0;
    let end = phases
        .iter()
        .rev()
        .find(|(_, s)| *s == GroupPhase::Stable)
        .expect("stable again")
        .0;
    (start, end)
}

#[test]
fn a_joining_member_gets_its_partitions_in_a_second_rebalance_while_the_others_keep_reading() {
    let (w, r) = run("groups-cooperative-rebalance");
    let (c1, c2) = (NodeId::Consumer(1), NodeId::Consumer(2));
    let a = assignments(&w);
    let mine = |c: NodeId| -> Vec<(i32, Vec<u32>, Option<Vec<u32>>)> {
        a.iter()
            .filter(|x| x.1 == c)
            .map(|x| (x.2, x.3.clone(), x.4.clone()))
            .collect()
    };
    assert_eq!(
        mine(c1),
        vec![
            (1, vec![0, 1, 2, 3], Some(vec![0, 1, 2, 3])),
            (2, vec![0, 1], Some(vec![])),
            (3, vec![0, 1], Some(vec![])),
        ],
        "{a:?}"
    );
    assert_eq!(
        mine(c2),
        vec![(2, vec![], Some(vec![])), (3, vec![2, 3], Some(vec![2, 3]))],
        "{a:?}"
    );
    // C1 revoked only p2 and p3, keeping p0 and p1.
    let revoked: Vec<_> = w
        .trace()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PartitionsRevoked {
                consumer,
                partitions,
                kept,
            } => Some((*consumer, partitions.clone(), kept.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(revoked, vec![(c1, vec![2, 3], Some(vec![0, 1]))]);
    assert_one_owner_at_a_time(&w);
    // C1 went on processing p0/p1 records while the group rebalanced (twice).
    let (start, end) = rebalance_window(&w, 6000);
    assert!(end > start, "{start}..{end}");
    let during: Vec<_> = processed_at(&w, 1, &[0, 1])
        .into_iter()
        .filter(|&t| t > start && t < end)
        .collect();
    assert!(!during.is_empty(), "C1 kept processing in {start}..{end}");
    // C2 started p2 and p3 where C1's commits left them: nothing lost, nothing twice.
    assert!(!processed_at(&w, 2, &[2, 3]).is_empty());
    assert!(
        r.lost_acknowledged.is_empty() && r.processed_twice.is_empty(),
        "{r:?}"
    );
    assert!(r.unprocessed.is_empty() && r.skipped.is_empty(), "{r:?}");
    assert!(r.verdict.exactly_once, "{r:?}");
}

fn with_strategy(mut s: Scenario, strategy: AssignmentStrategy) -> Scenario {
    for c in &mut s.consumers {
        c.config.partition_assignment_strategy = Some(strategy);
    }
    s
}

#[test]
fn the_eager_protocol_stops_every_partition_for_the_rebalance() {
    let s = scenario("groups-cooperative-rebalance").unwrap().unwrap();
    let mut w = World::new(with_strategy(s, AssignmentStrategy::Range));
    w.run_until(w.scenario().duration_ms);
    // Range revokes everything in one rebalance; C1 processes nothing from its revocation to
    // its next assignment.
    let revoked_at = w
        .trace()
        .iter()
        .find(|e| {
            matches!(
                &e.kind,
                EventKind::PartitionsRevoked {
                    consumer: NodeId::Consumer(1),
                    kept: None,
                    ..
                }
            )
        })
        .expect("C1 revoked")
        .at_ms;
    let reassigned_at = assignments(&w)
        .iter()
        .find(|x| x.1 == NodeId::Consumer(1) && x.0 > revoked_at)
        .expect("C1 reassigned")
        .0;
    assert!(
        processed_at(&w, 1, &[0, 1, 2, 3])
            .iter()
            .all(|&t| t <= revoked_at || t > reassigned_at),
        "eager: nothing processed between {revoked_at} and {reassigned_at}"
    );
    assert_eq!(
        assignments(&w).iter().filter(|x| x.4.is_some()).count(),
        0,
        "the eager protocol has no `added` sets"
    );
    assert_one_owner_at_a_time(&w);
}

#[test]
fn a_mixed_group_falls_back_to_the_eager_protocol() {
    let mut s = scenario("groups-cooperative-rebalance").unwrap().unwrap();
    s.consumers[1].config.partition_assignment_strategy = Some(AssignmentStrategy::Range);
    let mut w = World::new(s);
    w.run_until(w.scenario().duration_ms);
    let owners = assert_one_owner_at_a_time(&w);
    let mut all: Vec<u32> = owners.values().flatten().copied().collect();
    all.sort_unstable();
    assert_eq!(all, vec![0, 1, 2, 3], "{owners:?}");
    let r = w.report();
    assert!(r.lost_acknowledged.is_empty(), "{r:?}");
}

/// Three cooperative members joining at different times, one crashing or closing at a time
/// picked by the seed: at no moment does a partition have two owners, every partition ends
/// with exactly one live owner, and nothing acknowledged is lost.
#[test]
fn cooperative_groups_never_give_a_partition_two_owners() {
    let base = scenario("groups-cooperative-rebalance").unwrap().unwrap();
    for seed in 0..24u64 {
        let mut s = base.clone();
        s.seed = seed;
        s.duration_ms = 40_000;
        s.topic.partitions = 3 + (seed % 4) as u32;
        let mut third = s.consumers[1].clone();
        third.app.start_ms = 2_000 + 1_000 * (seed % 7);
        s.consumers.push(third);
        let victim = NodeId::Consumer(1 + (seed % 3) as u32);
        let at = 5_000 + 700 * (seed % 9);
        s.faults = match seed % 3 {
            0 => vec![Fault::at(at, Command::Close { node: victim })],
            1 => vec![
                Fault::at(
                    at,
                    Command::Crash {
                        node: victim,
                        mode: CrashMode::Process,
                    },
                ),
                Fault::at(at + 4_000, Command::Restart { node: victim }),
            ],
            _ => vec![
                Fault::at(at, Command::Pause { node: victim }),
                Fault::at(at + 15_000, Command::Resume { node: victim }),
            ],
        };
        let mut w = World::new(s.clone());
        w.run_until(s.duration_ms);
        let owners = assert_one_owner_at_a_time(&w);
        let mut all: Vec<u32> = owners.values().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(
            all,
            (0..s.topic.partitions).collect::<Vec<_>>(),
            "seed {seed}: every partition has one owner at the end: {owners:?}"
        );
        let r = w.report();
        assert_eq!(r.invariant_violations, 0, "seed {seed}");
        assert!(r.lost_acknowledged.is_empty(), "seed {seed}: {r:?}");
        assert!(
            r.skipped.is_empty() && r.unprocessed.is_empty(),
            "seed {seed}: commit after processing skips nothing and the group reads it all: {r:?}"
        );
    }
}
