//! The reader's errors sorted into problems, with the runner's English unchanged.

use super::*;
use crate::model::Scenario;

fn refused(json: &str) -> ScenarioError {
    Scenario::from_json(json).expect_err(json)
}

/// What serde_json itself says for `json`, position included: the runner's English must not
/// change by being sorted into a problem.
fn reader_text(json: &str) -> String {
    let de = &mut serde_json::Deserializer::from_str(json);
    let e = serde_path_to_error::deserialize::<_, Scenario>(de).unwrap_err();
    e.inner().to_string()
}

#[test]
fn reader_errors_become_problems_and_keep_their_english() {
    let cases = [
        r#"{"producers": [{"config": {"ack": "1"}}]}"#,
        r#"{"brokers": {"count": "three"}}"#,
        r#"{"brokers": {"count": -1}}"#,
        r#"{"seed": 1.5}"#,
        r#"{"topic": {"partitions": null}}"#,
        r#"{"producers": {"config": {}}}"#,
        r#"{"producers": [{"config": {"acks": "2"}}]}"#,
        r#"{"consumers": [{"app": {"commit": "sometimes"}}]}"#,
        r#"{"faults": [{"at_ms": 1, "do": {"crash": {"node": "X9"}}}]}"#,
        r#"{"seed": 1, "seed": 2}"#,
        r#"{"seed": 1,"#,
        r#"{"seed" 1}"#,
        r#""name""#,
    ];
    for json in cases {
        let e = refused(json);
        assert!(
            !matches!(e.problem(), Problem::Other(_)),
            "{json}: {:?}",
            e.problem()
        );
        let (line, column) = e.position().expect("the reader knows where");
        assert_eq!(
            format!("{} at line {line} column {column}", e.problem()),
            reader_text(json),
            "{json}"
        );
    }
}

#[test]
fn the_problem_holds_the_values_the_message_needs() {
    let e = refused(r#"{"producers": [{"config": {"ack": "1"}}]}"#);
    assert_eq!(e.field(), "producers[0].config.ack");
    let Problem::UnknownField { name, expected } = e.problem() else {
        panic!("{e:?}");
    };
    assert_eq!(name, "ack");
    assert!(expected.iter().any(|f| f == "acks"), "{expected:?}");
    assert_eq!(
        refused(r#"{"brokers": {"count": "three"}}"#).problem(),
        &Problem::WrongType {
            found: Found::Str("\"three\"".into()),
            expected: Expected::Unsigned("u32".into()),
        }
    );
    assert_eq!(
        refused(r#"{"producers": [{"config": {"acks": "2"}}]}"#).problem(),
        &Problem::BadAcks {
            value: "\"2\"".into()
        }
    );
    assert_eq!(
        refused(r#"{"faults": [{"at_ms": 1, "do": {"crash": {"node": "X9"}}}]}"#).problem(),
        &Problem::BadNodeName {
            value: "\"X9\"".into()
        }
    );
    let e = refused(r#"{"seed": 1,"#);
    assert_eq!(e.field(), "", "the file as a whole");
    assert!(matches!(
        e.problem(),
        Problem::Syntax {
            cut_short: true,
            ..
        }
    ));
    assert!(e.to_string().starts_with("(file): "), "{e}");
}

#[test]
fn invalid_values_name_their_field_and_values() {
    let e = refused(r#"{"brokers": {"count": 0}}"#);
    assert_eq!(
        e,
        ScenarioError::Invalid {
            field: "brokers.count".into(),
            problem: Problem::OutOfRange {
                min: 1,
                max: 9,
                value: 0
            },
        }
    );
    assert_eq!(e.to_string(), "brokers.count: must be 1..=9, not 0");
    let e = refused(r#"{"producers": [{"config": {"acks": "1", "enable.idempotence": true}}]}"#);
    assert_eq!(
        e.problem(),
        &Problem::Config(ConfigProblem::IdempotenceNeeds {
            transactional: false,
            needs: IdempotenceNeed::AcksAll,
        })
    );
    assert_eq!(
        e.to_string(),
        "producers[0].config: enable.idempotence is true, so acks must be all"
    );
}

#[test]
fn an_unknown_message_is_kept_in_the_readers_words() {
    assert_eq!(
        Problem::from_serde_message("something new"),
        Problem::Other("something new".into())
    );
}
