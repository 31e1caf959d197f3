use super::*;
use crate::model::commands::Command;
use crate::model::{catalogue, NodeId};
use crate::view::ledger_view::{ledger_at, Fate};
use crate::view::stage::frame;

fn s2() -> Scenario {
    catalogue::scenario("s02-acks-1-leader-crash")
        .expect("in the catalogue")
        .expect("it parses")
}

/// S2 under acks=1 (A) and acks=all (B).
fn s2_lockstep() -> Lockstep {
    Lockstep::new(s2(), "unsafe-acks-1", "kafka-defaults")
}

fn alone(scenario: &Scenario, preset: &str) -> World {
    run_to_end(presets::apply(preset, scenario).unwrap())
}

#[test]
fn one_cursor_gives_both_frames_each_from_its_own_run() {
    let mut l = s2_lockstep();
    l.apply(SessionAction::Seek(250));
    let (a, b) = (l.frame(Side::A), l.frame(Side::B));
    assert_eq!((a.cursor_ms, b.cursor_ms), (250, 250));
    let (wa, wb) = (
        alone(&s2(), "unsafe-acks-1"),
        alone(&s2(), "kafka-defaults"),
    );
    assert_eq!(*a, frame(wa.scenario(), wa.trace(), 250));
    assert_eq!(*b, frame(wb.scenario(), wb.trace(), 250));
    // At 250 ms B1 is down under acks=1 (it crashed right after answering at 100 ms) and still
    // leading under acks=all (it answers, and crashes, at 300 ms).
    let down = |f: &Frame| f.nodes.iter().any(|n| n.id == NodeId::Broker(1) && n.down);
    assert!(down(&a) && !down(&b));
}

#[test]
fn s2_acks_1_and_acks_all_part_at_100_ms_and_the_timeline_marks_it() {
    let l = s2_lockstep();
    let d = l.divergence().expect("the runs part");
    assert_eq!(d.at_ms, 100);
    let divergence_marks: Vec<&Mark> = l
        .marks()
        .iter()
        .filter(|m| m.kind == MarkKind::Divergence)
        .collect();
    assert_eq!(
        divergence_marks,
        vec![&Mark {
            at_ms: 100,
            kind: MarkKind::Divergence
        }]
    );
    // Both runs' own turning points are on the one timeline too: B1 crashes at 100 ms in A and
    // at 300 ms in B.
    let crashes: Vec<Millis> = l
        .marks()
        .iter()
        .filter(|m| m.kind == MarkKind::Crash)
        .map(|m| m.at_ms)
        .collect();
    assert_eq!(crashes, vec![100, 300]);
    assert!(l
        .divergence_text(Lang::En)
        .contains("B1 acknowledged m1 to P1 when 1 of 3"));
}

#[test]
fn the_same_preset_on_both_sides_never_parts_and_switching_one_side_keeps_the_cursor() {
    let mut l = Lockstep::new(s2(), "kafka-defaults", "kafka-defaults");
    assert_eq!(l.divergence(), None);
    assert!(!l.marks().iter().any(|m| m.kind == MarkKind::Divergence));
    l.apply(SessionAction::Seek(5000));
    let generation = l.generation();
    l.set_preset(Side::A, "unsafe-acks-1");
    assert!(l.generation() > generation, "the runs ran again");
    assert_eq!(l.cursor(), 5000);
    assert_eq!(l.preset(Side::A), "unsafe-acks-1");
    assert_eq!(l.divergence().map(|d| d.at_ms), Some(100));
    l.set_preset(Side::B, "no-such-preset");
    assert_eq!(l.preset(Side::B), presets::AS_GIVEN);
}

#[test]
fn at_the_end_the_ledgers_show_m1_lost_under_acks_1_only() {
    let mut l = s2_lockstep();
    l.apply(SessionAction::Seek(u64::MAX));
    assert_eq!(l.cursor(), l.end_ms());
    let c = l.ledgers();
    let m1 = c.rows.iter().find(|r| r.record == 1).unwrap();
    assert_eq!(m1.a.as_ref().unwrap().fate, Fate::LostAcknowledged);
    assert_eq!(m1.b.as_ref().unwrap().fate, Fate::ExactlyOnce);
    assert_eq!(c.differing, 1);
}

#[test]
fn mid_run_a_record_on_its_way_in_one_run_and_lost_in_the_other_is_not_yet_a_loss() {
    let mut l = s2_lockstep();
    l.apply(SessionAction::Seek(250));
    let c = l.ledgers();
    let m1 = &c.rows[0];
    assert_eq!(m1.b.as_ref().unwrap().fate, Fate::Pending);
}

#[test]
fn a_crash_given_while_comparing_happens_in_both_runs_at_the_same_virtual_time() {
    let mut l = Lockstep::new(Scenario::default(), "unsafe-acks-1", "kafka-defaults");
    l.apply(SessionAction::Seek(1000));
    let crash = Command::Crash {
        node: NodeId::Consumer(1),
        mode: Default::default(),
    };
    l.apply(SessionAction::Command(crash.clone()));
    assert_eq!(l.added(Side::A), &[Fault::at(1000, crash.clone())]);
    assert_eq!(l.added(Side::B), l.added(Side::A));
    assert_eq!(l.cursor(), 1000);
    for side in Side::BOTH {
        let crashed = l.world(side).trace().iter().any(|e| {
            e.at_ms == 1000
                && matches!(
                    e.kind,
                    EventKind::NodeCrashed {
                        node: NodeId::Consumer(1),
                        ..
                    }
                )
        });
        assert!(crashed, "{side:?}");
    }
    let (a, b) = (l.frame(Side::A), l.frame(Side::B));
    let targets = l.fault_targets(&a, &b);
    assert!(targets
        .nodes
        .iter()
        .any(|&(n, down)| n == NodeId::Consumer(1) && down));
    l.apply(SessionAction::Reset);
    assert!(l.added_both().iter().all(Vec::is_empty));
    assert_eq!(l.cursor(), 0);
}

#[test]
fn a_node_down_in_one_run_only_still_offers_a_crash() {
    let mut l = s2_lockstep();
    l.apply(SessionAction::Seek(200));
    let (a, b) = (l.frame(Side::A), l.frame(Side::B));
    let b1 = l
        .fault_targets(&a, &b)
        .nodes
        .into_iter()
        .find(|&(n, _)| n == NodeId::Broker(1));
    assert_eq!(b1, Some((NodeId::Broker(1), false)));
}

#[test]
fn stepping_visits_every_event_of_either_run_and_back_returns() {
    let mut l = s2_lockstep();
    l.apply(SessionAction::StepForward);
    assert_eq!(l.cursor(), 100, "the first events after t = 0");
    l.apply(SessionAction::StepForward);
    assert_eq!(l.cursor(), 200);
    l.apply(SessionAction::StepForward);
    // 300 ms: B's followers fetch again, its leader answers and crashes.
    assert_eq!(l.cursor(), 300);
    l.apply(SessionAction::StepBack);
    assert_eq!(l.cursor(), 200);
}

#[test]
fn playing_moves_one_cursor_and_stops_at_the_end() {
    let mut l = s2_lockstep();
    l.apply(SessionAction::SetSpeed(10.0));
    l.apply(SessionAction::TogglePlay);
    l.apply(SessionAction::Frame(0.0));
    l.apply(SessionAction::Frame(50.0));
    assert_eq!(l.cursor(), 500);
    assert_eq!(l.frame(Side::A).cursor_ms, l.frame(Side::B).cursor_ms);
    let mut t = 50.0;
    while l.playback.playing {
        t += 100.0;
        l.apply(SessionAction::Frame(t));
    }
    assert_eq!(l.cursor(), l.end_ms());
}

#[test]
fn an_armed_fault_waits_in_both_runs_until_its_step_comes() {
    use crate::model::commands::Trigger;
    let mut l = Lockstep::new(Scenario::default(), "unsafe-acks-1", "kafka-defaults");
    let fault = Fault::on(
        Trigger::AckSent { record: 2 },
        Command::Crash {
            node: NodeId::Broker(1),
            mode: Default::default(),
        },
    );
    l.apply(SessionAction::Arm(fault.clone()));
    assert_eq!(l.armed(), vec![fault]);
    l.apply(SessionAction::Seek(u64::MAX));
    assert_eq!(l.armed(), vec![]);
}

/// Whether `node` crashes in a run after `after_ms`, and when.
fn crash_after(w: &World, node: NodeId, after_ms: Millis) -> Option<Millis> {
    w.trace()
        .iter()
        .find(|e| {
            e.at_ms > after_ms
                && matches!(&e.kind, EventKind::NodeCrashed { node: n, .. } if *n == node)
        })
        .map(|e| e.at_ms)
}

#[test]
fn an_at_next_step_fault_given_while_comparing_fires_in_both_runs_each_at_its_own_next_step() {
    use crate::model::commands::Trigger;
    use crate::view::next_step::NextStep;
    // At 9700 ms in S2 the consumer has processed nothing under acks=1 (m1 was lost) and m1
    // (offset 0) under acks=all: its next record is offset 0 in A and offset 1 in B.
    let mut l = s2_lockstep();
    l.apply(SessionAction::Seek(9700));
    let (a, b) = (l.frame(Side::A), l.frame(Side::B));
    let c1 = NodeId::Consumer(1);
    assert_eq!(a.scene.fault_targets().consumer, Some((c1, 0)));
    assert_eq!(b.scene.fault_targets().consumer, Some((c1, 1)));
    l.apply(SessionAction::AtNext(
        NextStep::CrashConsumerAfterProcessing,
    ));
    let trigger = |side: Side| l.added(side).first().and_then(|f| f.on.clone());
    let processed = |offset| Trigger::Processed {
        consumer: c1,
        offset,
        partition: 0,
    };
    assert_eq!(trigger(Side::A), Some(processed(0)));
    assert_eq!(trigger(Side::B), Some(processed(1)));
    for side in Side::BOTH {
        assert!(
            crash_after(l.world(side), c1, 9700).is_some(),
            "{side:?}: C1 crashes after processing its next record"
        );
    }
    assert_eq!(l.armed().len(), 2, "both lines wait at 9700 ms");
    l.apply(SessionAction::Seek(u64::MAX));
    assert_eq!(l.armed(), vec![], "both fired");
    // Had B been given A's line (offset 0, which B had already processed), it would never fire.
    let mut given_as = s2();
    given_as.faults.push(l.added(Side::A)[0].clone());
    let b_with_as_line = alone(&given_as, "kafka-defaults");
    assert_eq!(crash_after(&b_with_as_line, c1, 9700), None);
}

#[test]
fn losing_the_next_ack_while_comparing_drops_an_ack_in_both_runs() {
    use crate::view::next_step::NextStep;
    let mut l = Lockstep::new(Scenario::default(), "unsafe-acks-1", "kafka-defaults");
    l.apply(SessionAction::Seek(500));
    l.apply(SessionAction::AtNext(NextStep::LoseNextAck));
    for side in Side::BOTH {
        assert_eq!(l.added(side).len(), 1, "{side:?}");
        let dropped = l
            .world(side)
            .trace()
            .iter()
            .any(|e| e.at_ms >= 500 && matches!(e.kind, EventKind::MessageDropped { .. }));
        assert!(dropped, "{side:?}: an ack was lost");
    }
}

#[test]
fn cached_frames_and_ledgers_equal_the_ones_drawn_from_scratch_at_any_cursor() {
    let mut l = s2_lockstep();
    l.apply(SessionAction::Seek(9700));
    l.apply(SessionAction::Command(Command::Crash {
        node: NodeId::Broker(2),
        mode: Default::default(),
    }));
    // Forwards, backwards, repeated, across the crash and to the end.
    for at in [
        0, 100, 250, 250, 9_000, 120, 9_700, 12_345, 300, 20_000, 5_000,
    ] {
        l.apply(SessionAction::Seek(at));
        for side in Side::BOTH {
            let w = l.world(side);
            let fresh = frame(w.scenario(), w.trace(), at);
            assert_eq!(*l.frame(side), fresh, "{side:?} at {at}");
            let at_end = at >= w.scenario().duration_ms;
            assert_eq!(
                *l.ledger(side),
                ledger_at(&fresh.scene, w.trace(), at_end),
                "{side:?} ledger at {at}"
            );
        }
    }
}
