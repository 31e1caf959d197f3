use super::*;
use crate::model::catalogue::scenario as catalogue_scenario;
use crate::model::commands::Command;
use crate::model::config::Acks;
use crate::model::NodeId;

fn crash(node: NodeId) -> Command {
    Command::Crash {
        node,
        mode: Default::default(),
    }
}

#[test]
fn an_unchanged_catalogue_scenario_is_just_its_name() {
    let s = catalogue_scenario("s02-acks-1-leader-crash")
        .unwrap()
        .unwrap();
    let q = encode(&LinkState::new(s.clone()));
    assert_eq!(q, "v=1&scenario=s02-acks-1-leader-crash");
    assert_eq!(decode(&q).unwrap(), LinkState::new(s));
}

#[test]
fn a_changed_scenario_with_faults_cursor_and_speed_round_trips_in_a_short_link() {
    let mut s = Scenario {
        seed: 42,
        ..Scenario::default()
    };
    s.producers[0].config.acks = Some(Acks::One);
    s.producers[0].config.enable_idempotence = Some(false);
    let state = LinkState {
        scenario: s,
        added: vec![
            Fault::at(1200, crash(NodeId::Broker(1))),
            Fault::at(
                3000,
                Command::Restart {
                    node: NodeId::Broker(1),
                },
            ),
        ],
        cursor_ms: 2500,
        speed: 2.0,
        compare: None,
    };
    let q = encode(&state);
    assert!(
        q.contains("&patch=") && q.contains("&t=2500&speed=2"),
        "{q}"
    );
    assert!(q.len() < 600, "{} chars: {q}", q.len());
    assert_eq!(decode(&q).unwrap(), state);
    assert_eq!(decode(&format!("?{q}")).unwrap(), state);
}

#[test]
fn every_catalogue_scenario_round_trips_changed_or_not() {
    for (name, _) in CATALOGUE {
        let mut s = catalogue_scenario(name).unwrap().unwrap();
        assert_eq!(
            decode(&encode(&LinkState::new(s.clone())))
                .unwrap()
                .scenario,
            s
        );
        s.name = "mine".into();
        s.topic.assignment = None;
        s.duration_ms += 1;
        assert_eq!(
            decode(&encode(&LinkState::new(s.clone())))
                .unwrap()
                .scenario,
            s,
            "{name}"
        );
    }
}

#[test]
fn a_bare_scenario_name_from_the_docs_opens_without_a_version() {
    let state = decode("scenario=s07-lost-ack-idempotence-deduplicates&embed=1").unwrap();
    assert_eq!(
        state.scenario.name,
        catalogue_scenario("s07-lost-ack-idempotence-deduplicates")
            .unwrap()
            .unwrap()
            .name
    );
    assert_eq!(decode("").unwrap(), LinkState::new(Scenario::default()));
}

#[test]
fn broken_links_say_what_was_wrong() {
    assert_eq!(
        decode("v=7&scenario=hello"),
        Err(LinkError::Version("7".into()))
    );
    assert_eq!(
        decode("v=1&scenario=nope"),
        Err(LinkError::UnknownScenario("nope".into()))
    );
    assert_eq!(
        decode("v=1&patch=eyJzZWVk"),
        Err(LinkError::Damaged("patch")),
        "cut short"
    );
    assert_eq!(decode("v=1&t=%zz"), Err(LinkError::Damaged("t")));
    assert_eq!(
        decode("v=1&t=soon"),
        Err(LinkError::Number("t", "soon".into()))
    );
    assert_eq!(
        decode("v=1&speed=-1"),
        Err(LinkError::Number("speed", "-1".into()))
    );
    let patch = base64url_encode(br#"{"brokers":{"count":0}}"#);
    match decode(&format!("v=1&patch={patch}")) {
        Err(LinkError::Scenario(e)) => assert!(e.to_string().starts_with("brokers.count"), "{e}"),
        other => panic!("{other:?}"),
    }
    let faults = base64url_encode(br#"[{"at_ms":1,"do":{"crash":{"node":"B9"}}}]"#);
    match decode(&format!("v=1&faults={faults}")) {
        Err(LinkError::Scenario(e)) => assert!(e.to_string().contains("no node B9"), "{e}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        decode(&"x".repeat(MAX_QUERY_LEN + 1)),
        Err(LinkError::TooLong)
    );
}

#[test]
fn view_params_are_read_apart_from_the_state() {
    let v = view_params("v=9&embed=1&controls=play,timeline&autoplay=1&loop=true");
    assert!(v.embed && v.autoplay && v.looped);
    assert_eq!(v.controls, vec![EmbedControl::Play, EmbedControl::Timeline]);
    assert_eq!(view_params("").controls.len(), 4);
    assert_eq!(
        view_params("lesson=groups&step=3").lesson,
        Some(("groups".into(), 3))
    );
    assert!(has_state("?scenario=hello") && !has_state("?embed=1"));
}

#[test]
fn side_by_side_round_trips_with_each_runs_faults_cursor_and_speed() {
    use crate::model::commands::Trigger;
    let s = catalogue_scenario("s02-acks-1-leader-crash")
        .unwrap()
        .unwrap();
    let consumer_crash = |offset| {
        Fault::on(
            Trigger::Processed {
                consumer: NodeId::Consumer(1),
                offset,
                partition: 0,
            },
            crash(NodeId::Consumer(1)),
        )
    };
    let mut compare = CompareLink::new("unsafe-acks-1", "idempotent");
    compare.added = [
        vec![Fault::at(900, crash(NodeId::Broker(2))), consumer_crash(0)],
        vec![Fault::at(900, crash(NodeId::Broker(2))), consumer_crash(1)],
    ];
    let state = LinkState {
        scenario: s,
        added: vec![Fault::at(300, crash(NodeId::Consumer(1)))],
        cursor_ms: 9700,
        speed: 5.0,
        compare: Some(compare),
    };
    let q = encode(&state);
    assert!(
        q.starts_with("v=2&scenario=s02-acks-1-leader-crash&faults=")
            && q.contains("&compare=unsafe-acks-1,idempotent&cfaults=")
            && q.ends_with("&t=9700&speed=5"),
        "{q}"
    );
    assert!(q.len() < 800, "{} chars: {q}", q.len());
    assert_eq!(decode(&q).unwrap(), state);
    // No faults while comparing: no `cfaults`.
    let bare = LinkState {
        compare: Some(CompareLink::new("as-given", "kafka-defaults")),
        ..LinkState::new(Scenario::default())
    };
    let q = encode(&bare);
    assert_eq!(q, "v=2&scenario=hello&compare=as-given,kafka-defaults");
    assert_eq!(decode(&q).unwrap(), bare);
    assert!(has_state("?compare=as-given,kafka-defaults"));
}

#[test]
fn a_link_without_side_by_side_is_still_version_1_and_version_1_links_still_open() {
    let q = "v=1&scenario=s02-acks-1-leader-crash&t=3300";
    let state = decode(q).unwrap();
    assert_eq!((state.cursor_ms, &state.compare), (3300, &None));
    assert_eq!(encode(&state), q, "written exactly as before");
}

#[test]
fn a_broken_comparison_says_which_parameter_is_wrong() {
    for ids in ["unsafe-acks-1", "unsafe-acks-1,nope", "a,b,c", ""] {
        assert_eq!(
            decode(&format!("v=2&compare={ids}")),
            Err(LinkError::Damaged("compare")),
            "{ids}"
        );
    }
    assert_eq!(
        decode("v=2&compare=as-given,idempotent&cfaults=W1*"),
        Err(LinkError::Damaged("cfaults")),
        "not base64url"
    );
    match decode("v=2&compare=as-given,idempotent&cfaults=W1tdLF") {
        Err(LinkError::Scenario(e)) => assert!(e.to_string().starts_with("cfaults"), "{e}"),
        other => panic!("cut short: {other:?}"),
    }
    let one_list = base64url_encode(b"[[]]");
    assert!(matches!(
        decode(&format!(
            "v=2&compare=as-given,idempotent&cfaults={one_list}"
        )),
        Err(LinkError::Scenario(_))
    ));
    let b9 = base64url_encode(br#"[[],[{"at_ms":1,"do":{"crash":{"node":"B9"}}}]]"#);
    match decode(&format!("v=2&compare=as-given,idempotent&cfaults={b9}")) {
        Err(LinkError::Scenario(e)) => assert!(e.to_string().contains("no node B9"), "{e}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        decode("v=3&scenario=hello"),
        Err(LinkError::Version("3".into()))
    );
}
