//! Why a scenario file, or a client configuration in it, is refused: where (a field path) and
//! what (a problem with its values), as data.
//!
//! The model owns the rules, not the words people read: `Display` gives the headless runner's
//! clear English, and the view renders the same values through its catalogues in the viewer's
//! language (`view::scenario_text`). Errors from the JSON reader (serde) are sorted into the same
//! problems here, next to the reader, so the view never parses English.

use super::ids::NodeId;
use super::time::Millis;
use std::fmt;

mod config;

pub use config::{ConfigProblem, IdempotenceNeed};

/// Why a scenario was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// The JSON does not have the expected shape (unknown field, wrong type, bad value), at
    /// `position` (line, column) of the text when the reader knows it.
    #[error("{}: {problem}{}", shown(.field), at(.position))]
    Parse {
        field: String,
        problem: Problem,
        position: Option<(u64, u64)>,
    },
    /// The JSON is well-formed but a value is out of range or contradicts another.
    #[error("{}: {problem}", shown(.field))]
    Invalid { field: String, problem: Problem },
}

/// The runner's name for a field; the file as a whole is "(file)".
fn shown(field: &str) -> &str {
    if field.is_empty() {
        "(file)"
    } else {
        field
    }
}

/// " at line L column C", as the JSON reader says it.
fn at(position: &Option<(u64, u64)>) -> String {
    position.map_or(String::new(), |(line, column)| {
        format!(" at line {line} column {column}")
    })
}

impl ScenarioError {
    /// The field's path (`producers[0].config.acks`); empty for the file as a whole.
    pub fn field(&self) -> &str {
        match self {
            ScenarioError::Parse { field, .. } | ScenarioError::Invalid { field, .. } => field,
        }
    }

    pub fn problem(&self) -> &Problem {
        match self {
            ScenarioError::Parse { problem, .. } | ScenarioError::Invalid { problem, .. } => {
                problem
            }
        }
    }

    /// Where in the text a parse error was found: (line, column), both from 1.
    pub fn position(&self) -> Option<(u64, u64)> {
        match self {
            ScenarioError::Parse { position, .. } => *position,
            ScenarioError::Invalid { .. } => None,
        }
    }

    /// A JSON reader's error at `field` (serde_path_to_error's path: `.` for the root, `?` for
    /// a place it could not name, such as after a cut).
    pub fn from_serde(field: String, e: &serde_json::Error) -> ScenarioError {
        let field = field
            .trim_end_matches('?')
            .trim_end_matches('.')
            .to_string();
        let position = (e.line() > 0).then(|| (e.line() as u64, e.column() as u64));
        let text = e.to_string();
        let text = match position {
            Some((line, column)) => text
                .strip_suffix(&format!(" at line {line} column {column}"))
                .unwrap_or(&text)
                .to_string(),
            None => text,
        };
        let problem = match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                Problem::Syntax {
                    cut_short: e.is_eof(),
                    detail: text,
                }
            }
            _ => Problem::from_serde_message(&text),
        };
        ScenarioError::Parse {
            field,
            problem,
            position,
        }
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    // The JSON's shape.
    /// Not JSON (or cut short); `detail` is the reader's own words.
    Syntax {
        cut_short: bool,
        detail: String,
    },
    UnknownField {
        name: String,
        expected: Vec<String>,
    },
    MissingField {
        name: String,
    },
    DuplicateField {
        name: String,
    },
    WrongType {
        found: Found,
        expected: Expected,
    },
    BadValue {
        found: Found,
        expected: Expected,
    },
    UnknownVariant {
        value: String,
        expected: Vec<String>,
    },
    /// Not `P1`, `B1`, `C1` or `controller`; `value` as written (quoted).
    BadNodeName {
        value: String,
    },
    /// Not an `acks` value; `value` as written (JSON).
    BadAcks {
        value: String,
    },
    /// Anything else the reader said, in its own words.
    Other(String),
    // Values.
    OutOfRange {
        min: u64,
        max: u64,
        value: u64,
    },
    /// `replication.factor` above the number of brokers.
    ReplicationFactor {
        brokers: u32,
        value: u32,
    },
    AtLeastOne,
    AtMost {
        max: u64,
    },
    OneReplicaListPerPartition,
    ReplicaListLength,
    DistinctBrokers {
        brokers: u32,
    },
    /// `latency_ms` or `jitter_ms` above 60 s.
    Latency {
        max_ms: Millis,
    },
    TooManyClients {
        max: u32,
    },
    Schedule,
    NoSuchPartition {
        partitions: u32,
    },
    TooManyRecords {
        max: u32,
        total: u64,
    },
    /// Kafka would refuse the client's configuration (ConfigException).
    Config(ConfigProblem),
    // Fault-script lines.
    AtAndOn,
    NoTime,
    NoSuchNode(NodeId),
    ControllerCannotCrash,
    CloseNeedsConsumer,
    LinkToItself,
    // Retention and pipelines.
    /// `segment.bytes` below one record.
    SegmentHoldsARecord {
        record_bytes: u64,
    },
    /// `retention.bytes` below -1.
    RetentionBytes,
    /// The output topic is named like the input topic (or not at all).
    OutputTopicName {
        input: String,
    },
    /// The two topics have more partitions than the model allows.
    TopicsPartitions {
        max: u32,
    },
    NoSuchTopic {
        name: String,
    },
    /// A consume-transform-produce application's setting is inconsistent.
    Pipeline(PipelineProblem),
}

/// What is wrong with a consume-transform-produce application (`app.commit: "transaction"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PipelineProblem {
    NeedsOutputProducer,
    NotAProducer,
    NeedsOutputTopic,
    ReadsInputTopic,
    NeedsTransactionalId(NodeId),
    ProducerSendsOwnRecords(NodeId),
    ProducerTaken(NodeId),
    SyncProcessing,
    NoAutoCommit,
    OutputProducerNeedsTransactionCommit,
}

impl fmt::Display for PipelineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use PipelineProblem as P;
        match self {
            P::NeedsOutputProducer => f.write_str(
                "commit \"transaction\" needs output_producer, the transactional producer it writes with",
            ),
            P::NotAProducer => f.write_str("output_producer must name a producer (P1, P2, …)"),
            P::NeedsOutputTopic => {
                f.write_str("a consume-transform-produce application needs output_topic")
            }
            P::ReadsInputTopic => {
                f.write_str("a consume-transform-produce application reads the input topic")
            }
            P::NeedsTransactionalId(p) => write!(f, "{p} needs a transactional.id"),
            P::ProducerSendsOwnRecords(p) => write!(
                f,
                "{p} writes only the application's output: set its workload.records to 0"
            ),
            P::ProducerTaken(p) => write!(f, "{p} already writes another application's output"),
            P::SyncProcessing => f.write_str(
                "a consume-transform-produce application processes in its polling thread (processing \"sync\")",
            ),
            P::NoAutoCommit => f.write_str(
                "a consume-transform-produce application commits its offsets in the transaction: set enable.auto.commit to false",
            ),
            P::OutputProducerNeedsTransactionCommit => {
                f.write_str("output_producer needs commit \"transaction\"")
            }
        }
    }
}

/// The first text between backticks in `s`, and what follows it.
fn backticked(s: &str) -> Option<(&str, &str)> {
    let (_, rest) = s.split_once('`')?;
    rest.split_once('`')
}

/// serde's list of alternatives: "`a`", "`a` or `b`", "one of `a`, `b`, `c`".
fn alternatives(mut s: &str) -> Vec<String> {
    let mut out = Vec::new();
    while let Some((name, rest)) = backticked(s) {
        out.push(name.to_string());
        s = rest;
    }
    out
}

fn write_alternatives(f: &mut fmt::Formatter<'_>, names: &[String]) -> fmt::Result {
    match names {
        [] => Ok(()),
        [a] => write!(f, "`{a}`"),
        [a, b] => write!(f, "`{a}` or `{b}`"),
        _ => {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            write!(f, "one of {}", quoted.join(", "))
        }
    }
}

/// The suffix of the node-name and acks errors (see `ids.rs` and `config.rs`).
const NODE_NAME_SUFFIX: &str = " is not a node name (expected P1, B1, C1 or controller)";
const ACKS_PREFIX: &str = "acks must be 0, 1, all or -1, not ";

impl Problem {
    /// Sorts a message of the JSON reader (serde's wording, position removed).
    pub fn from_serde_message(m: &str) -> Problem {
        let two = |rest: &str| {
            rest.split_once(", expected ")
                .map(|(found, expected)| (Found::parse(found), Expected::parse(expected)))
        };
        let names = |rest: &str| {
            let (name, after) = backticked(rest)?;
            Some((name.to_string(), alternatives(after)))
        };
        let parsed = if let Some(rest) = m.strip_prefix("invalid type: ") {
            two(rest).map(|(found, expected)| Problem::WrongType { found, expected })
        } else if let Some(rest) = m.strip_prefix("invalid value: ") {
            two(rest).map(|(found, expected)| Problem::BadValue { found, expected })
        } else if m.starts_with("unknown field `") {
            names(m).map(|(name, expected)| Problem::UnknownField { name, expected })
        } else if m.starts_with("unknown variant `") {
            names(m).map(|(value, expected)| Problem::UnknownVariant { value, expected })
        } else if m.starts_with("missing field `") {
            names(m).map(|(name, _)| Problem::MissingField { name })
        } else if m.starts_with("duplicate field `") {
            names(m).map(|(name, _)| Problem::DuplicateField { name })
        } else if let Some(value) = m.strip_suffix(NODE_NAME_SUFFIX) {
            Some(Problem::BadNodeName {
                value: value.to_string(),
            })
        } else {
            m.strip_prefix(ACKS_PREFIX).map(|value| Problem::BadAcks {
                value: value.to_string(),
            })
        };
        parsed.unwrap_or_else(|| Problem::Other(m.to_string()))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Problem as P;
        match self {
            P::Syntax { detail, .. } => f.write_str(detail),
            P::UnknownField { name, expected } if expected.is_empty() => {
                write!(f, "unknown field `{name}`, there are no fields")
            }
            P::UnknownField { name, expected } => {
                write!(f, "unknown field `{name}`, expected ")?;
                write_alternatives(f, expected)
            }
            P::UnknownVariant { value, expected } if expected.is_empty() => {
                write!(f, "unknown variant `{value}`, there are no variants")
            }
            P::UnknownVariant { value, expected } => {
                write!(f, "unknown variant `{value}`, expected ")?;
                write_alternatives(f, expected)
            }
            P::MissingField { name } => write!(f, "missing field `{name}`"),
            P::DuplicateField { name } => write!(f, "duplicate field `{name}`"),
            P::WrongType { found, expected } => {
                write!(f, "invalid type: {found}, expected {expected}")
            }
            P::BadValue { found, expected } => {
                write!(f, "invalid value: {found}, expected {expected}")
            }
            P::BadNodeName { value } => write!(f, "{value}{NODE_NAME_SUFFIX}"),
            P::BadAcks { value } => write!(f, "{ACKS_PREFIX}{value}"),
            P::Other(text) => f.write_str(text),
            P::OutOfRange { min, max, value } => write!(f, "must be {min}..={max}, not {value}"),
            P::ReplicationFactor { brokers, value } => write!(
                f,
                "must be 1..={brokers} (the number of brokers), not {value}"
            ),
            P::AtLeastOne => f.write_str("must be at least 1"),
            P::AtMost { max } => write!(f, "must be at most {max}"),
            P::OneReplicaListPerPartition => f.write_str("needs one replica list per partition"),
            P::ReplicaListLength => f.write_str("must list replication.factor brokers"),
            P::DistinctBrokers { brokers } => {
                write!(f, "must name distinct brokers 1..={brokers}")
            }
            P::Latency { max_ms } => {
                write!(f, "latency_ms and jitter_ms must be at most {max_ms}")
            }
            P::TooManyClients { max } => write!(f, "at most {max} producers and consumers"),
            P::Schedule => f.write_str("needs one time per record, in order"),
            P::NoSuchPartition { partitions } => {
                write!(f, "topic has partitions 0..{partitions}")
            }
            P::TooManyRecords { max, total } => {
                write!(f, "at most {max} records in all, not {total}")
            }
            P::Config(c) => c.fmt(f),
            P::AtAndOn => f.write_str("give at_ms or on, not both"),
            P::NoTime => f.write_str("give at_ms or on"),
            P::NoSuchNode(node) => write!(f, "no node {node} in this scenario"),
            P::ControllerCannotCrash => {
                f.write_str("the controller is a reliable oracle: it cannot crash")
            }
            P::CloseNeedsConsumer => f.write_str("close applies to a consumer"),
            P::LinkToItself => f.write_str("a link joins two different nodes"),
            P::SegmentHoldsARecord { record_bytes } => {
                write!(f, "must hold a record ({record_bytes} bytes in the model)")
            }
            P::RetentionBytes => f.write_str("must be -1 (no limit) or at least 0"),
            P::OutputTopicName { input } => {
                write!(
                    f,
                    "must be a name other than the input topic's (\"{input}\")"
                )
            }
            P::TopicsPartitions { max } => write!(
                f,
                "must be at least 1, and the two topics at most {max} partitions together"
            ),
            P::NoSuchTopic { name } => write!(f, "no topic \"{name}\" in this scenario"),
            P::Pipeline(p) => p.fmt(f),
        }
    }
}

/// The JSON value the reader found where it wanted something else (serde's `Unexpected`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Bool(String),
    Integer(String),
    Float(String),
    /// As written, quoted and escaped.
    Str(String),
    Null,
    List,
    Object,
    Other(String),
}

impl Found {
    fn parse(s: &str) -> Found {
        let ticked = |prefix: &str| {
            s.strip_prefix(prefix)
                .and_then(|r| r.strip_prefix('`')?.strip_suffix('`'))
                .map(str::to_string)
        };
        if let Some(v) = ticked("boolean ") {
            Found::Bool(v)
        } else if let Some(v) = ticked("integer ") {
            Found::Integer(v)
        } else if let Some(v) = ticked("floating point ") {
            Found::Float(v)
        } else if let Some(v) = s.strip_prefix("string ") {
            Found::Str(v.to_string())
        } else {
            match s {
                "null" => Found::Null,
                "sequence" => Found::List,
                "map" => Found::Object,
                other => Found::Other(other.to_string()),
            }
        }
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Bool(v) => write!(f, "boolean `{v}`"),
            Found::Integer(v) => write!(f, "integer `{v}`"),
            Found::Float(v) => write!(f, "floating point `{v}`"),
            Found::Str(v) => write!(f, "string {v}"),
            Found::Null => f.write_str("null"),
            Found::List => f.write_str("sequence"),
            Found::Object => f.write_str("map"),
            Found::Other(v) => f.write_str(v),
        }
    }
}

/// What the reader wanted (serde's `Expected`): the Rust type's name for numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// `u8` … `u64`: a whole number, not negative.
    Unsigned(String),
    /// `i8` … `i64`.
    Signed(String),
    Bool,
    Str,
    List,
    /// A JSON object (`struct Name`, or a map).
    Object(Option<String>),
    Other(String),
}

impl Expected {
    fn parse(s: &str) -> Expected {
        let bits = |rest: &str| matches!(rest, "8" | "16" | "32" | "64" | "128" | "size");
        match s {
            "a boolean" => Expected::Bool,
            "a string" => Expected::Str,
            "a sequence" => Expected::List,
            "a map" => Expected::Object(None),
            _ if s.strip_prefix('u').is_some_and(bits) => Expected::Unsigned(s.to_string()),
            _ if s.strip_prefix('i').is_some_and(bits) => Expected::Signed(s.to_string()),
            _ => match s.strip_prefix("struct ") {
                Some(name) => Expected::Object(Some(name.to_string())),
                None => Expected::Other(s.to_string()),
            },
        }
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Unsigned(t) | Expected::Signed(t) | Expected::Other(t) => f.write_str(t),
            Expected::Bool => f.write_str("a boolean"),
            Expected::Str => f.write_str("a string"),
            Expected::List => f.write_str("a sequence"),
            Expected::Object(None) => f.write_str("a map"),
            Expected::Object(Some(name)) => write!(f, "struct {name}"),
        }
    }
}

#[cfg(test)]
#[path = "refusal_tests.rs"]
mod tests;
