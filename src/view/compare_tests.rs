use super::*;
use crate::model::{catalogue, presets, Scenario, World};

fn ev(at_ms: Millis, kind: EventKind) -> TraceEvent {
    TraceEvent { at_ms, kind }
}

fn crash(at_ms: Millis, broker: u32) -> TraceEvent {
    ev(
        at_ms,
        EventKind::NodeCrashed {
            node: NodeId::Broker(broker),
            mode: Default::default(),
        },
    )
}

fn run_preset(scenario: &Scenario, preset: &str) -> World {
    let s = presets::apply(preset, scenario).expect("a known preset");
    let mut w = World::new(s.clone());
    w.run_until(s.duration_ms);
    w
}

fn s2() -> Scenario {
    catalogue::scenario("s02-acks-1-leader-crash")
        .expect("in the catalogue")
        .expect("it parses")
}

fn run<'a>(name: &'a str, w: &'a World) -> Run<'a> {
    Run {
        name,
        trace: w.trace(),
        replication_factor: w.scenario().topic.replication_factor,
    }
}

#[test]
fn identical_traces_do_not_diverge() {
    let t = vec![crash(1, 1), crash(2, 2)];
    assert_eq!(first_divergence(&t, &t), None);
    assert_eq!(first_divergence(&[], &[]), None);
}

#[test]
fn transport_and_producer_identity_alone_are_no_divergence() {
    let sent = |id| {
        ev(
            0,
            EventKind::MessageSent {
                id,
                from: NodeId::Producer(1),
                to: NodeId::Broker(1),
                payload: Payload::OffsetFetch,
                arrives_at_ms: 100,
            },
        )
    };
    let pid = ev(
        0,
        EventKind::ProducerIdAssigned {
            producer: NodeId::Producer(1),
            producer_id: 1000,
            producer_epoch: 0,
        },
    );
    let a = vec![sent(1), crash(5, 1)];
    let b = vec![pid, sent(2), sent(3), crash(5, 1)];
    assert_eq!(first_divergence(&a, &b), None);
}

#[test]
fn the_same_step_at_another_time_diverges_at_the_earlier_time() {
    let a = vec![crash(1, 1), crash(9, 2)];
    let b = vec![crash(1, 1), crash(4, 2)];
    let d = first_divergence(&a, &b).unwrap();
    assert_eq!((d.at_ms, d.step, d.a, d.b), (4, 1, Some(1), Some(1)));
}

#[test]
fn a_story_that_ends_early_diverges_where_the_other_goes_on() {
    let a = vec![crash(1, 1)];
    let b = vec![crash(1, 1), crash(3, 2)];
    let d = first_divergence(&a, &b).unwrap();
    assert_eq!((d.at_ms, d.a, d.b), (3, None, Some(1)));
    let (ra, rb) = (
        Run {
            name: "A",
            trace: &a,
            replication_factor: 3,
        },
        Run {
            name: "B",
            trace: &b,
            replication_factor: 3,
        },
    );
    assert_eq!(
        divergence_text(Some(&d), ra, rb, Lang::En),
        "At t = 3 ms the two runs part: under A, that never happens; under B, B2 crashed."
    );
}

#[test]
fn the_same_preset_twice_never_parts() {
    let s = s2();
    let (a, b) = (
        run_preset(&s, "kafka-defaults"),
        run_preset(&s, "kafka-defaults"),
    );
    assert_eq!(first_divergence(a.trace(), b.trace()), None);
    assert_eq!(
        divergence_text(None, run("A", &a), run("B", &b), Lang::En),
        "The two runs tell the same story: their traces never part."
    );
}

#[test]
fn s2_acks_1_and_acks_all_part_when_the_leader_answers_after_its_own_append() {
    let s = s2();
    let (a, b) = (
        run_preset(&s, "unsafe-acks-1"),
        run_preset(&s, "kafka-defaults"),
    );
    let d = first_divergence(a.trace(), b.trace()).expect("they part");
    // Latency 100 ms: m1 reaches B1 at t = 100; under acks=1 B1 answers at once, under acks=all
    // it waits for both followers' next fetch (t = 300).
    assert_eq!(d.at_ms, 100);
    let answered = story_step(&a.trace()[d.a.unwrap()].kind).unwrap();
    assert_eq!(answered.acknowledges(), Some(1));
    assert_eq!(
        divergence_text(Some(&d), run("A", &a), run("B", &b), Lang::En),
        "At t = 100 ms the two runs part: under A, B1 acknowledged m1 to P1 when 1 of 3 replicas \
         had it; under B, m1 is acknowledged only at t = 300 ms, when 3 of 3 replicas have it."
    );
    let ru = divergence_text(Some(&d), run("A", &a), run("B", &b), Lang::Ru);
    assert!(ru.starts_with("При t = 100 мс прогоны расходятся"), "{ru}");
}

#[test]
fn acks_0_counts_a_record_sent_before_any_broker_has_it() {
    let s = s2();
    let (a, b) = (
        run_preset(&s, "at-most-once"),
        run_preset(&s, "kafka-defaults"),
    );
    let d = first_divergence(a.trace(), b.trace()).expect("they part");
    assert_eq!(d.at_ms, 0);
    let text = divergence_text(Some(&d), run("A", &a), run("B", &b), Lang::En);
    assert!(
        text.contains("under A, P1 counted m1 as sent without waiting for any answer (acks=0)"),
        "{text}"
    );
    assert!(
        text.contains("under B, m1 is acknowledged only at t = 300 ms"),
        "{text}"
    );
}

#[test]
fn every_story_step_of_the_catalogue_has_words_in_both_languages() {
    for (name, _) in catalogue::CATALOGUE {
        let s = catalogue::scenario(name).unwrap().unwrap();
        let mut w = World::new(s.clone());
        w.run_until(s.duration_ms.min(5_000));
        let r = run("A", &w);
        for (i, step) in story(w.trace()) {
            for lang in Lang::ALL {
                let text = describe(&r, i, step, lang);
                let unfilled = crate::view::i18n::placeholders(&text);
                assert!(!text.is_empty() && unfilled.is_empty(), "{name}: {text}");
            }
        }
    }
}
