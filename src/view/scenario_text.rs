//! Why a scenario was refused, in the viewer's language: the model's structured refusal
//! ([`ScenarioError`]: a field path and a [`Problem`] with its values) put into words.
//!
//! Field paths, setting names and values stay as written (they are what the file says); only
//! the sentences around them are translated. A problem the model could not sort keeps the JSON
//! reader's own (English) words.

use super::i18n::{tr, trf, Lang};
use crate::catalogue;
use crate::model::refusal::{ConfigProblem, Expected, Found, IdempotenceNeed};
use crate::model::scenario::{Problem, ScenarioError};

catalogue! {
    /// Refused scenario files and links: the problems the model names.
    pub enum ScenarioText {
    WholeFile => "(file)", "(файл)";
    AtPosition => "{0} (line {1}, column {2})", "{0} (строка {1}, столбец {2})";
    NotJson => "this is not valid JSON", "это некорректный JSON";
    CutShort => "the JSON ends too early: the text is cut short", "JSON обрывается раньше времени: текст обрезан";
    UnknownField => "unknown field `{0}`, expected {1}", "неизвестное поле `{0}`, ожидается {1}";
    NoFields => "unknown field `{0}`: no fields are allowed here", "неизвестное поле `{0}`: здесь полей быть не может";
    UnknownVariant => "unknown value `{0}`, expected {1}", "неизвестное значение `{0}`, ожидается {1}";
    NoVariants => "unknown value `{0}`: no value is allowed here", "неизвестное значение `{0}`: здесь значений быть не может";
    OneOf => "one of {0}", "одно из: {0}";
    Or => "{0} or {1}", "{0} или {1}";
    MissingField => "missing field `{0}`", "нет обязательного поля `{0}`";
    DuplicateField => "duplicate field `{0}`", "поле `{0}` указано дважды";
    WrongType => "invalid type: {0}, expected {1}", "неверный тип: {0}, ожидается {1}";
    BadValue => "invalid value: {0}, expected {1}", "неверное значение: {0}, ожидается {1}";
    BadNodeName => "{0} is not a node name (expected P1, B1, C1 or controller)", "{0} — не имя узла (ожидается P1, B1, C1 или controller)";
    BadAcks => "acks must be 0, 1, all or -1, not {0}", "acks должен быть 0, 1, all или -1, а не {0}";
    FoundBool => "boolean {0}", "логическое значение {0}";
    FoundInteger => "integer {0}", "целое число {0}";
    FoundFloat => "fractional number {0}", "дробное число {0}";
    FoundString => "string {0}", "строка {0}";
    FoundList => "a list", "список";
    FoundObject => "an object", "объект";
    ExpectedUnsigned => "a whole number ≥ 0 ({0})", "целое число ≥ 0 ({0})";
    ExpectedSigned => "a whole number ({0})", "целое число ({0})";
    ExpectedBool => "true or false", "true или false";
    ExpectedString => "a string", "строка";
    ExpectedList => "a list [ … ]", "список [ … ]";
    ExpectedObject => "an object { … }", "объект { … }";
    OutOfRange => "must be {0}..={1}, not {2}", "должно быть в пределах {0}..={1}, а не {2}";
    ReplicationFactor => "must be 1..={0} (the number of brokers), not {1}", "должно быть в пределах 1..={0} (число брокеров), а не {1}";
    AtLeastOne => "must be at least 1", "должно быть не меньше 1";
    AtMost => "must be at most {0}", "должно быть не больше {0}";
    OneReplicaListPerPartition => "needs one replica list per partition", "нужен один список реплик на каждую партицию";
    ReplicaListLength => "must list replication.factor brokers", "должно перечислять replication.factor брокеров";
    DistinctBrokers => "must name distinct brokers 1..={0}", "должно называть разных брокеров из 1..={0}";
    Latency => "latency_ms and jitter_ms must be at most {0}", "latency_ms и jitter_ms должны быть не больше {0}";
    TooManyClients => "at most {0} producers and consumers", "не больше {0} продюсеров и консьюмеров";
    Schedule => "needs one time per record, in order", "нужно по одному времени на запись, по возрастанию";
    NoSuchPartition => "topic has partitions 0..{0}", "у топика только партиции 0..{0}";
    TooManyRecords => "at most {0} records in all, not {1}", "не больше {0} записей всего, а не {1}";
    AtAndOn => "give at_ms or on, not both", "укажите at_ms или on, но не оба сразу";
    NoTime => "give at_ms or on", "укажите at_ms или on";
    NoSuchNode => "no node {0} in this scenario", "в этом сценарии нет узла {0}";
    ControllerCannotCrash => "the controller is a reliable oracle: it cannot crash", "контроллер — надёжный оракул: он не может упасть";
    CloseNeedsConsumer => "close applies to a consumer", "close применим только к консьюмеру";
    SegmentHoldsARecord => "must hold a record ({0} bytes in the model)", "должно вмещать запись ({0} байт в модели)";
    RetentionBytes => "must be -1 (no limit) or at least 0", "должно быть -1 (без ограничения) или не меньше 0";
    OutputTopicName => "must be a name other than the input topic's (\"{0}\")", "должно отличаться от имени входного топика (\"{0}\")";
    TopicsPartitions => "must be at least 1, and the two topics at most {0} partitions together", "должно быть не меньше 1, а у двух топиков вместе не больше {0} партиций";
    NoSuchTopic => "no topic \"{0}\" in this scenario", "в этом сценарии нет топика \"{0}\"";
    PipeNeedsOutputProducer => "commit \"transaction\" needs output_producer, the transactional producer it writes with", "commit \"transaction\" требует output_producer — транзакционного продюсера, которым приложение пишет результат";
    PipeNotAProducer => "output_producer must name a producer (P1, P2, …)", "output_producer должен называть продюсера (P1, P2, …)";
    PipeNeedsOutputTopic => "a consume-transform-produce application needs output_topic", "приложению consume-transform-produce нужен output_topic";
    PipeReadsInputTopic => "a consume-transform-produce application reads the input topic", "приложение consume-transform-produce читает входной топик";
    PipeNeedsTransactionalId => "{0} needs a transactional.id", "{0} нужен transactional.id";
    PipeProducerSendsOwn => "{0} writes only the application's output: set its workload.records to 0", "{0} пишет только результат приложения: задайте его workload.records равным 0";
    PipeProducerTaken => "{0} already writes another application's output", "{0} уже пишет результат другого приложения";
    PipeSyncProcessing => "a consume-transform-produce application processes in its polling thread (processing \"sync\")", "приложение consume-transform-produce обрабатывает записи в потоке опроса (processing \"sync\")";
    PipeNoAutoCommit => "a consume-transform-produce application commits its offsets in the transaction: set enable.auto.commit to false", "приложение consume-transform-produce фиксирует смещения в транзакции: задайте enable.auto.commit равным false";
    PipeOutputNeedsTransaction => "output_producer needs commit \"transaction\"", "output_producer требует commit \"transaction\"";
    LinkToItself => "a link joins two different nodes", "связь соединяет два разных узла";
    CfgAtLeastOne => "{0} must be at least 1", "{0} должен быть не меньше 1";
    CfgDeliveryTimeout => "delivery.timeout.ms ({0}) must be at least linger.ms + request.timeout.ms ({1})", "delivery.timeout.ms ({0}) должен быть не меньше linger.ms + request.timeout.ms ({1})";
    CfgBatchSize => "batch.size must be 0..=2147483647, not {0}", "batch.size должен быть в пределах 0..=2147483647, а не {0}";
    CfgTransactionalNeedsIdempotence => "transactional.id requires enable.idempotence", "transactional.id требует enable.idempotence";
    CfgIdempotenceTrue => "enable.idempotence is true, so {0}", "enable.idempotence включён, поэтому {0}";
    CfgTransactional => "transactional.id is set, so {0}", "задан transactional.id, поэтому {0}";
    NeedAcksAll => "acks must be all", "acks должен быть all";
    NeedRetries => "retries must be greater than 0", "retries должен быть больше 0";
    NeedMaxInFlight => "max.in.flight.requests.per.connection must be at most 5", "max.in.flight.requests.per.connection должен быть не больше 5";
    CfgTransactionTimeout => "transaction.timeout.ms must be 1..=900000 (transaction.max.timeout.ms), not {0}", "transaction.timeout.ms должен быть в пределах 1..=900000 (transaction.max.timeout.ms), а не {0}";
    CfgSessionTimeout => "session.timeout.ms must be 6000..=1800000 (the broker's group.min/max.session.timeout.ms)", "session.timeout.ms должен быть в пределах 6000..=1800000 (group.min/max.session.timeout.ms брокера)";
    CfgHeartbeat => "heartbeat.interval.ms must be at least 1 and below session.timeout.ms", "heartbeat.interval.ms должен быть не меньше 1 и меньше session.timeout.ms";
    CfgEmptyGroupId => "group.id must not be empty", "group.id не может быть пустым";
    }
}

/// A refused scenario file: "field: problem (line, column)".
pub fn refusal_text(lang: Lang, e: &ScenarioError) -> String {
    let text = format!(
        "{}: {}",
        field_text(lang, e.field()),
        problem_text(lang, e.problem())
    );
    match e.position() {
        Some((line, column)) => trf(
            lang,
            ScenarioText::AtPosition,
            &[&text, &line.to_string(), &column.to_string()],
        ),
        None => text,
    }
}

/// A field's path as written, or "(file)" for the file as a whole.
pub fn field_text(lang: Lang, field: &str) -> String {
    match field {
        "" => tr(lang, ScenarioText::WholeFile).to_string(),
        path => path.to_string(),
    }
}

/// "`a`", "`a` or `b`", "one of `a`, `b`, `c`".
fn alternatives(lang: Lang, names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [a] => a.clone(),
        [a, b] => trf(lang, ScenarioText::Or, &[a, b]),
        many => trf(lang, ScenarioText::OneOf, &[&many.join(", ")]),
    }
}

fn found_text(lang: Lang, found: &Found) -> String {
    use ScenarioText as T;
    match found {
        Found::Bool(v) => trf(lang, T::FoundBool, &[&format!("`{v}`")]),
        Found::Integer(v) => trf(lang, T::FoundInteger, &[&format!("`{v}`")]),
        Found::Float(v) => trf(lang, T::FoundFloat, &[&format!("`{v}`")]),
        Found::Str(v) => trf(lang, T::FoundString, &[v]),
        // JSON's own word.
        Found::Null => "null".to_string(),
        Found::List => tr(lang, T::FoundList).to_string(),
        Found::Object => tr(lang, T::FoundObject).to_string(),
        Found::Other(v) => v.clone(),
    }
}

fn expected_text(lang: Lang, expected: &Expected) -> String {
    use ScenarioText as T;
    match expected {
        Expected::Unsigned(t) => trf(lang, T::ExpectedUnsigned, &[t]),
        Expected::Signed(t) => trf(lang, T::ExpectedSigned, &[t]),
        Expected::Bool => tr(lang, T::ExpectedBool).to_string(),
        Expected::Str => tr(lang, T::ExpectedString).to_string(),
        Expected::List => tr(lang, T::ExpectedList).to_string(),
        Expected::Object(_) => tr(lang, T::ExpectedObject).to_string(),
        Expected::Other(t) => t.clone(),
    }
}

/// What is wrong, in words.
pub fn problem_text(lang: Lang, problem: &Problem) -> String {
    use ScenarioText as T;
    let one = |t: T, a: &dyn ToString| trf(lang, t, &[&a.to_string()]);
    let two =
        |t: T, a: &dyn ToString, b: &dyn ToString| trf(lang, t, &[&a.to_string(), &b.to_string()]);
    match problem {
        Problem::Syntax { cut_short, .. } => {
            tr(lang, if *cut_short { T::CutShort } else { T::NotJson }).to_string()
        }
        Problem::UnknownField { name, expected } if expected.is_empty() => one(T::NoFields, name),
        Problem::UnknownField { name, expected } => {
            two(T::UnknownField, name, &alternatives(lang, expected))
        }
        Problem::UnknownVariant { value, expected } if expected.is_empty() => {
            one(T::NoVariants, value)
        }
        Problem::UnknownVariant { value, expected } => {
            two(T::UnknownVariant, value, &alternatives(lang, expected))
        }
        Problem::MissingField { name } => one(T::MissingField, name),
        Problem::DuplicateField { name } => one(T::DuplicateField, name),
        Problem::WrongType { found, expected } => two(
            T::WrongType,
            &found_text(lang, found),
            &expected_text(lang, expected),
        ),
        Problem::BadValue { found, expected } => two(
            T::BadValue,
            &found_text(lang, found),
            &expected_text(lang, expected),
        ),
        Problem::BadNodeName { value } => one(T::BadNodeName, value),
        Problem::BadAcks { value } => one(T::BadAcks, value),
        Problem::Other(text) => text.clone(),
        Problem::OutOfRange { min, max, value } => trf(
            lang,
            T::OutOfRange,
            &[&min.to_string(), &max.to_string(), &value.to_string()],
        ),
        Problem::ReplicationFactor { brokers, value } => two(T::ReplicationFactor, brokers, value),
        Problem::AtLeastOne => tr(lang, T::AtLeastOne).to_string(),
        Problem::AtMost { max } => one(T::AtMost, max),
        Problem::OneReplicaListPerPartition => tr(lang, T::OneReplicaListPerPartition).to_string(),
        Problem::ReplicaListLength => tr(lang, T::ReplicaListLength).to_string(),
        Problem::DistinctBrokers { brokers } => one(T::DistinctBrokers, brokers),
        Problem::Latency { max_ms } => one(T::Latency, max_ms),
        Problem::TooManyClients { max } => one(T::TooManyClients, max),
        Problem::Schedule => tr(lang, T::Schedule).to_string(),
        Problem::NoSuchPartition { partitions } => one(T::NoSuchPartition, partitions),
        Problem::TooManyRecords { max, total } => two(T::TooManyRecords, max, total),
        Problem::Config(c) => config_problem_text(lang, *c),
        Problem::AtAndOn => tr(lang, T::AtAndOn).to_string(),
        Problem::NoTime => tr(lang, T::NoTime).to_string(),
        Problem::NoSuchNode(node) => one(T::NoSuchNode, node),
        Problem::ControllerCannotCrash => tr(lang, T::ControllerCannotCrash).to_string(),
        Problem::CloseNeedsConsumer => tr(lang, T::CloseNeedsConsumer).to_string(),
        Problem::LinkToItself => tr(lang, T::LinkToItself).to_string(),
        Problem::SegmentHoldsARecord { record_bytes } => one(T::SegmentHoldsARecord, record_bytes),
        Problem::RetentionBytes => tr(lang, T::RetentionBytes).to_string(),
        Problem::OutputTopicName { input } => one(T::OutputTopicName, input),
        Problem::TopicsPartitions { max } => one(T::TopicsPartitions, max),
        Problem::NoSuchTopic { name } => one(T::NoSuchTopic, name),
        Problem::Pipeline(p) => {
            use crate::model::scenario::PipelineProblem as P;
            match p {
                P::NeedsOutputProducer => tr(lang, T::PipeNeedsOutputProducer).to_string(),
                P::NotAProducer => tr(lang, T::PipeNotAProducer).to_string(),
                P::NeedsOutputTopic => tr(lang, T::PipeNeedsOutputTopic).to_string(),
                P::ReadsInputTopic => tr(lang, T::PipeReadsInputTopic).to_string(),
                P::NeedsTransactionalId(n) => one(T::PipeNeedsTransactionalId, n),
                P::ProducerSendsOwnRecords(n) => one(T::PipeProducerSendsOwn, n),
                P::ProducerTaken(n) => one(T::PipeProducerTaken, n),
                P::SyncProcessing => tr(lang, T::PipeSyncProcessing).to_string(),
                P::NoAutoCommit => tr(lang, T::PipeNoAutoCommit).to_string(),
                P::OutputProducerNeedsTransactionCommit => {
                    tr(lang, T::PipeOutputNeedsTransaction).to_string()
                }
            }
        }
    }
}

/// Why Kafka would refuse a client's configuration, in words.
pub fn config_problem_text(lang: Lang, problem: ConfigProblem) -> String {
    use ScenarioText as T;
    let need = |needs: IdempotenceNeed| {
        tr(
            lang,
            match needs {
                IdempotenceNeed::AcksAll => T::NeedAcksAll,
                IdempotenceNeed::Retries => T::NeedRetries,
                IdempotenceNeed::MaxInFlightAtMost5 => T::NeedMaxInFlight,
            },
        )
    };
    match problem {
        ConfigProblem::AtLeastOne(setting) => trf(lang, T::CfgAtLeastOne, &[setting]),
        ConfigProblem::DeliveryTimeout {
            delivery_timeout_ms,
            linger_plus_request_timeout_ms,
        } => trf(
            lang,
            T::CfgDeliveryTimeout,
            &[
                &delivery_timeout_ms.to_string(),
                &linger_plus_request_timeout_ms.to_string(),
            ],
        ),
        ConfigProblem::BatchSize { batch_size } => {
            trf(lang, T::CfgBatchSize, &[&batch_size.to_string()])
        }
        ConfigProblem::TransactionalNeedsIdempotence => {
            tr(lang, T::CfgTransactionalNeedsIdempotence).to_string()
        }
        ConfigProblem::IdempotenceNeeds {
            transactional,
            needs,
        } => {
            let t = if transactional {
                T::CfgTransactional
            } else {
                T::CfgIdempotenceTrue
            };
            trf(lang, t, &[need(needs)])
        }
        ConfigProblem::TransactionTimeout {
            transaction_timeout_ms,
        } => trf(
            lang,
            T::CfgTransactionTimeout,
            &[&transaction_timeout_ms.to_string()],
        ),
        ConfigProblem::SessionTimeout => tr(lang, T::CfgSessionTimeout).to_string(),
        ConfigProblem::HeartbeatInterval => tr(lang, T::CfgHeartbeat).to_string(),
        ConfigProblem::EmptyGroupId => tr(lang, T::CfgEmptyGroupId).to_string(),
    }
}

#[cfg(test)]
#[path = "scenario_text_tests.rs"]
mod tests;
