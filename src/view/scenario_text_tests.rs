//! Refusals in words: every problem in every language, and English as the runner says it.

use super::*;
use crate::model::refusal::ConfigProblem as C;
use crate::model::{NodeId, Scenario};
use crate::view::i18n::check_catalogue;

fn refused(json: &str) -> ScenarioError {
    Scenario::from_json(json).unwrap_err()
}

fn has_russian(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
}

/// One of each problem the model can name (all but `Other`, the reader's own words).
fn every_problem() -> Vec<Problem> {
    let configs = [
        C::AtLeastOne("max.poll.records"),
        C::DeliveryTimeout {
            delivery_timeout_ms: 1000,
            linger_plus_request_timeout_ms: 30_000,
        },
        C::BatchSize {
            batch_size: 3_000_000_000,
        },
        C::TransactionalNeedsIdempotence,
        C::IdempotenceNeeds {
            transactional: false,
            needs: IdempotenceNeed::AcksAll,
        },
        C::IdempotenceNeeds {
            transactional: true,
            needs: IdempotenceNeed::Retries,
        },
        C::IdempotenceNeeds {
            transactional: false,
            needs: IdempotenceNeed::MaxInFlightAtMost5,
        },
        C::TransactionTimeout {
            transaction_timeout_ms: 0,
        },
        C::SessionTimeout,
        C::HeartbeatInterval,
        C::EmptyGroupId,
    ];
    let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut out = vec![
        Problem::Syntax {
            cut_short: false,
            detail: "expected value".into(),
        },
        Problem::Syntax {
            cut_short: true,
            detail: "EOF while parsing an object".into(),
        },
        Problem::UnknownField {
            name: "ack".into(),
            expected: names(&["acks", "retries", "linger.ms"]),
        },
        Problem::UnknownField {
            name: "x".into(),
            expected: vec![],
        },
        Problem::UnknownVariant {
            value: "sometimes".into(),
            expected: names(&["none", "before_processing"]),
        },
        Problem::UnknownVariant {
            value: "x".into(),
            expected: vec![],
        },
        Problem::MissingField { name: "do".into() },
        Problem::DuplicateField {
            name: "seed".into(),
        },
        Problem::WrongType {
            found: Found::Str("\"three\"".into()),
            expected: Expected::Unsigned("u32".into()),
        },
        Problem::BadValue {
            found: Found::Integer("-1".into()),
            expected: Expected::Signed("i64".into()),
        },
        Problem::BadNodeName {
            value: "\"X9\"".into(),
        },
        Problem::BadAcks {
            value: "\"2\"".into(),
        },
        Problem::OutOfRange {
            min: 1,
            max: 9,
            value: 0,
        },
        Problem::ReplicationFactor {
            brokers: 3,
            value: 5,
        },
        Problem::AtLeastOne,
        Problem::AtMost { max: 60 },
        Problem::OneReplicaListPerPartition,
        Problem::ReplicaListLength,
        Problem::DistinctBrokers { brokers: 3 },
        Problem::Latency { max_ms: 60_000 },
        Problem::TooManyClients { max: 9 },
        Problem::Schedule,
        Problem::NoSuchPartition { partitions: 2 },
        Problem::TooManyRecords {
            max: 1_000_000,
            total: 2_000_000,
        },
        Problem::AtAndOn,
        Problem::NoTime,
        Problem::NoSuchNode(NodeId::Broker(7)),
        Problem::ControllerCannotCrash,
        Problem::CloseNeedsConsumer,
        Problem::LinkToItself,
    ];
    out.extend(configs.into_iter().map(Problem::Config));
    out
}

#[test]
fn the_refusal_catalogue_is_complete() {
    check_catalogue::<ScenarioText>(&[]);
}

#[test]
fn every_problem_has_russian_words_of_its_own() {
    for p in every_problem() {
        let (en, ru) = (problem_text(Lang::En, &p), problem_text(Lang::Ru, &p));
        assert!(has_russian(&ru), "{p:?}: {ru}");
        assert_ne!(en, ru, "{p:?}");
        assert!(!has_russian(&en), "{p:?}: {en}");
    }
}

/// For values and configurations the page says in English exactly what the runner prints.
#[test]
fn english_values_read_as_the_runner_prints_them() {
    for p in every_problem() {
        let shape = matches!(
            p,
            Problem::Syntax { .. }
                | Problem::UnknownField { .. }
                | Problem::UnknownVariant { .. }
                | Problem::WrongType { .. }
                | Problem::BadValue { .. }
        );
        if !shape {
            assert_eq!(problem_text(Lang::En, &p), p.to_string(), "{p:?}");
        }
    }
}

#[test]
fn a_refused_file_names_field_problem_and_place_in_russian() {
    let e = refused("{\n  \"brokers\": {\"count\": \"three\"}\n}");
    assert_eq!(
        refusal_text(Lang::Ru, &e),
        "brokers.count: неверный тип: строка \"three\", ожидается целое число ≥ 0 (u32) \
         (строка 2, столбец 30)"
    );
    assert_eq!(
        refusal_text(Lang::En, &e),
        "brokers.count: invalid type: string \"three\", expected a whole number ≥ 0 (u32) \
         (line 2, column 30)"
    );
    let e = refused(r#"{"brokers": {"count": 0}}"#);
    assert_eq!(
        refusal_text(Lang::Ru, &e),
        "brokers.count: должно быть в пределах 1..=9, а не 0"
    );
    assert_eq!(
        refusal_text(Lang::En, &e),
        "brokers.count: must be 1..=9, not 0"
    );
    let e = refused(r#"{"producers": [{"config": {"ack": "1"}}]}"#);
    let ru = refusal_text(Lang::Ru, &e);
    assert!(
        ru.starts_with(
            "producers[0].config.ack: неизвестное поле `ack`, ожидается одно из: `acks`"
        ),
        "{ru}"
    );
    let e = refused("{\"seed\": 1,");
    assert!(refusal_text(Lang::Ru, &e).starts_with("(файл): JSON обрывается"));
}

#[test]
fn pipeline_and_retention_refusals_are_worded_in_both_languages() {
    let e = refused(
        r#"{"output_topic": {"name": "out"}, "producers": [{}, {"config": {"transactional.id": "a"}, "workload": {"records": 0}}],
            "consumers": [{"app": {"commit": "transaction", "output_producer": "P2"}}]}"#,
    );
    assert_eq!(
        refusal_text(Lang::En, &e),
        "consumers[0].config: a consume-transform-produce application commits its offsets in \
         the transaction: set enable.auto.commit to false"
    );
    assert_eq!(
        refusal_text(Lang::Ru, &e),
        "consumers[0].config: приложение consume-transform-produce фиксирует смещения в \
         транзакции: задайте enable.auto.commit равным false"
    );
    let e = refused(r#"{"topic": {"retention.bytes": -2}}"#);
    assert_eq!(
        refusal_text(Lang::Ru, &e),
        "topic.retention.bytes: должно быть -1 (без ограничения) или не меньше 0"
    );
    let e = refused(r#"{"consumers": [{"topic": "nope"}]}"#);
    assert_eq!(
        refusal_text(Lang::En, &e),
        "consumers[0].topic: no topic \"nope\" in this scenario"
    );
}
