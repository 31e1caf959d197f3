//! GC pauses (spec §1.2 `pause(node)`, §5.5 zombies): a paused node keeps its state and does
//! nothing; what falls due for it waits; the rest of the cluster goes on without it.

mod common;
use common::run;
use delivery_lab::model::catalogue::scenario;
use delivery_lab::model::{Command, CrashMode, ErrorCode, EventKind, Fault, Millis, NodeId, World};

fn time_of(w: &World, f: impl Fn(&EventKind) -> bool) -> Option<Millis> {
    w.trace().iter().find(|e| f(&e.kind)).map(|e| e.at_ms)
}

#[test]
fn a_consumer_paused_past_its_session_is_a_zombie_that_processes_again_and_cannot_commit() {
    let (w, r) = run("s21-gc-pause-zombie-consumer");
    let c1 = NodeId::Consumer(1);
    let paused = time_of(
        &w,
        |k| matches!(k, EventKind::NodePaused { node } if *node == c1),
    )
    .expect("C1 paused");
    let resumed = time_of(
        &w,
        |k| matches!(k, EventKind::NodeResumed { node, waited } if *node == c1 && *waited > 0),
    )
    .expect("C1 resumed with work waiting");
    assert_eq!(resumed - paused, 15_000);
    // Frozen: C1 does nothing between the two.
    let c1_acted = w.trace().iter().any(|e| {
        e.at_ms > paused
            && e.at_ms < resumed
            && match &e.kind {
                EventKind::Processed { consumer, .. } | EventKind::Polled { consumer, .. } => {
                    *consumer == c1
                }
                EventKind::MessageSent { from, .. } => *from == c1,
                _ => false,
            }
    });
    assert!(
        !c1_acted,
        "a paused consumer polls, processes and sends nothing"
    );
    // The group went on without it: C2 took p0 while C1 slept.
    let c2_took_p0 = w.trace().iter().any(|e| {
        e.at_ms > paused
            && e.at_ms < resumed
            && matches!(
                e.kind,
                EventKind::Processed {
                    consumer: NodeId::Consumer(2),
                    partition: 0,
                    ..
                }
            )
    });
    assert!(c2_took_p0, "C2 processes p0 during the pause");
    // The zombie processes what it had polled, and only its commit is fenced.
    let zombie_processed: Vec<u32> = w
        .trace()
        .iter()
        .filter(|e| e.at_ms >= resumed)
        .filter_map(|e| match e.kind {
            EventKind::Processed {
                consumer, record, ..
            } if consumer == c1 => Some(record),
            _ => None,
        })
        .collect();
    assert_eq!(zombie_processed, vec![7, 8, 9]);
    let refused = w.trace().iter().any(|e| {
        e.at_ms > resumed
            && matches!(
                &e.kind,
                EventKind::CommitRejected { consumer, error, .. }
                    if *consumer == c1 && *error == ErrorCode::UnknownMemberId
            )
    });
    assert!(refused, "the zombie's commit is refused");
    assert_eq!(r.processed_twice, vec![7, 8, 9]);
    assert!(r.verdict.at_least_once && !r.verdict.exactly_once);
    assert!(r.lost_acknowledged.is_empty() && r.unprocessed.is_empty());
}

/// S4's cluster with the leader frozen for `pause_ms` instead of crashed.
fn paused_leader(pause_ms: Millis) -> World {
    let mut s = scenario("s04-acks-all-clean-failover")
        .expect("in the catalogue")
        .expect("valid");
    s.duration_ms = 60_000;
    s.producers[0].workload.records = 20;
    s.producers[0].workload.interval_ms = 1_000;
    s.producers[0].config.enable_idempotence = Some(true);
    let b1 = NodeId::Broker(1);
    s.faults = vec![
        Fault::at(5_000, Command::Pause { node: b1 }),
        Fault::at(5_000 + pause_ms, Command::Resume { node: b1 }),
    ];
    let mut w = World::new(s);
    w.run_until(60_000);
    w
}

#[test]
fn a_leader_paused_past_the_broker_session_is_fenced_replaced_and_rejoins_without_loss() {
    let w = paused_leader(20_000);
    let b1 = NodeId::Broker(1);
    let fenced = time_of(
        &w,
        |k| matches!(k, EventKind::BrokerFenced { broker } if *broker == b1),
    )
    .expect("the controller fences a silent broker");
    assert!(
        (5_000 + 9_000..5_000 + 9_500).contains(&fenced),
        "fenced broker.session.timeout.ms after its last heartbeat: {fenced}"
    );
    let new_leader = w.trace().iter().find_map(|e| match e.kind {
        EventKind::LeaderElected { leader, .. } if e.at_ms >= fenced => Some(leader),
        _ => None,
    });
    assert!(
        matches!(new_leader, Some(l) if l != b1),
        "another replica leads: {new_leader:?}"
    );
    let unfenced = time_of(
        &w,
        |k| matches!(k, EventKind::BrokerUnfenced { broker } if *broker == b1),
    )
    .expect("B1 heartbeats again after waking");
    assert!(unfenced >= 25_000);
    let r = w.report();
    assert_eq!(r.invariant_violations, 0);
    assert!(
        r.lost_acknowledged.is_empty(),
        "acks=all: nothing acknowledged is lost"
    );
    assert!(
        r.duplicated_in_log.is_empty(),
        "idempotence: retries to the new leader are not duplicated"
    );
    assert_eq!(
        r.acknowledged, 20,
        "every record is acknowledged in the end"
    );
}

#[test]
fn a_short_pause_is_only_a_delay() {
    let w = paused_leader(1_000);
    let fenced = w
        .trace()
        .iter()
        .any(|e| matches!(e.kind, EventKind::BrokerFenced { .. }));
    assert!(
        !fenced,
        "a 1 s pause is shorter than broker.session.timeout.ms"
    );
    let r = w.report();
    assert!(r.lost_acknowledged.is_empty() && r.duplicated_in_log.is_empty());
    assert_eq!(r.acknowledged, 20);
}

#[test]
fn a_paused_node_that_crashes_loses_what_waited_for_it_and_restarts_cleanly() {
    let mut s = scenario("s21-gc-pause-zombie-consumer")
        .expect("in the catalogue")
        .expect("valid");
    let c1 = NodeId::Consumer(1);
    s.faults = vec![
        Fault::at(7_000, Command::Pause { node: c1 }),
        Fault::at(
            9_000,
            Command::Crash {
                node: c1,
                mode: CrashMode::Process,
            },
        ),
        // Resuming a crashed node does nothing; the restart brings it back.
        Fault::at(9_500, Command::Resume { node: c1 }),
        Fault::at(12_000, Command::Restart { node: c1 }),
    ];
    let mut w = World::new(s);
    w.run_until(40_000);
    assert!(!w.is_paused(c1));
    let resumed = w
        .trace()
        .iter()
        .any(|e| matches!(e.kind, EventKind::NodeResumed { .. }));
    assert!(!resumed, "a crashed node is not paused any more");
    let r = w.report();
    assert_eq!(r.invariant_violations, 0);
    assert!(
        r.unprocessed.is_empty(),
        "every record is processed in the end"
    );
}

#[test]
fn pauses_are_deterministic() {
    let a = paused_leader(12_345);
    let b = paused_leader(12_345);
    assert_eq!(a.trace(), b.trace());
}
