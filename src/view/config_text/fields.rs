//! The settings the configuration panel edits: each one's Kafka name, group and control, how it
//! reads from a scenario (the value in force, Kafka's default when the file gives none) and how a
//! typed or chosen value is checked and written back. Pure, so every path a user can type into is
//! tested natively; nothing here panics on user input.
//!
//! A change applies to every producer (or consumer) of the scenario, as the presets do, and the
//! result must pass [`Scenario::validate`] (which runs `ProducerConfig::resolve`, so Kafka's
//! `ConfigException` cases are refused with the model's own message).

use crate::model::config::{Acks, OffsetReset};
use crate::model::scenario::{
    CommitMode, Problem, Processing, Scenario, ScenarioError, MAX_BROKERS,
};
use crate::view::guarantee::json_name;

/// Where a setting lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Producer,
    Topic,
    Consumer,
}

/// One setting the panel edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Acks,
    EnableIdempotence,
    Retries,
    MaxInFlight,
    DeliveryTimeoutMs,
    RequestTimeoutMs,
    LingerMs,
    BatchSize,
    ReplicationFactor,
    MinInsyncReplicas,
    UncleanLeaderElection,
    EnableAutoCommit,
    AutoCommitIntervalMs,
    AutoOffsetReset,
    MaxPollRecords,
    Commit,
    Processing,
}

/// How the value is picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// One of these values ("" = not set: Kafka's default applies).
    Choice(&'static [&'static str]),
    /// A whole number in `min..=max`.
    Number { min: u64, max: u64 },
}

/// Why a value was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    NotANumber,
    OutOfRange {
        min: u64,
        max: u64,
    },
    /// The changed scenario is refused by the model, which names the field and the problem.
    Refused(ScenarioError),
}

/// Kafka's `int` settings top out here.
const INT_MAX: u64 = i32::MAX as u64;
const BOOLS: &[&str] = &["true", "false"];

impl Field {
    /// In the panel's order, grouped.
    pub const ALL: [Field; 17] = [
        Field::Acks,
        Field::EnableIdempotence,
        Field::Retries,
        Field::MaxInFlight,
        Field::DeliveryTimeoutMs,
        Field::RequestTimeoutMs,
        Field::LingerMs,
        Field::BatchSize,
        Field::ReplicationFactor,
        Field::MinInsyncReplicas,
        Field::UncleanLeaderElection,
        Field::EnableAutoCommit,
        Field::AutoCommitIntervalMs,
        Field::AutoOffsetReset,
        Field::MaxPollRecords,
        Field::Commit,
        Field::Processing,
    ];

    /// Kafka's name (the application's choices under `app.`, as the scenario format has them).
    pub fn name(self) -> &'static str {
        match self {
            Field::Acks => "acks",
            Field::EnableIdempotence => "enable.idempotence",
            Field::Retries => "retries",
            Field::MaxInFlight => "max.in.flight.requests.per.connection",
            Field::DeliveryTimeoutMs => "delivery.timeout.ms",
            Field::RequestTimeoutMs => "request.timeout.ms",
            Field::LingerMs => "linger.ms",
            Field::BatchSize => "batch.size",
            Field::ReplicationFactor => "replication.factor",
            Field::MinInsyncReplicas => "min.insync.replicas",
            Field::UncleanLeaderElection => "unclean.leader.election.enable",
            Field::EnableAutoCommit => "enable.auto.commit",
            Field::AutoCommitIntervalMs => "auto.commit.interval.ms",
            Field::AutoOffsetReset => "auto.offset.reset",
            Field::MaxPollRecords => "max.poll.records",
            Field::Commit => "app.commit",
            Field::Processing => "app.processing",
        }
    }

    pub fn group(self) -> Group {
        use Field::*;
        match self {
            Acks | EnableIdempotence | Retries | MaxInFlight | DeliveryTimeoutMs
            | RequestTimeoutMs | LingerMs | BatchSize => Group::Producer,
            ReplicationFactor | MinInsyncReplicas | UncleanLeaderElection => Group::Topic,
            _ => Group::Consumer,
        }
    }

    pub fn control(self, s: &Scenario) -> Control {
        let number = |min, max| Control::Number { min, max };
        match self {
            Field::Acks => Control::Choice(&["0", "1", "all"]),
            Field::EnableIdempotence => Control::Choice(&["", "true", "false"]),
            Field::UncleanLeaderElection | Field::EnableAutoCommit => Control::Choice(BOOLS),
            Field::AutoOffsetReset => Control::Choice(&["earliest", "latest", "none"]),
            Field::Commit => Control::Choice(&["none", "before_processing", "after_processing"]),
            Field::Processing => Control::Choice(&["sync", "async"]),
            Field::Retries | Field::LingerMs | Field::BatchSize => number(0, INT_MAX),
            Field::MaxInFlight => number(1, 100),
            Field::ReplicationFactor => number(1, u64::from(s.brokers.count.max(1))),
            Field::MinInsyncReplicas => number(1, u64::from(MAX_BROKERS)),
            Field::DeliveryTimeoutMs
            | Field::RequestTimeoutMs
            | Field::AutoCommitIntervalMs
            | Field::MaxPollRecords => number(1, INT_MAX),
        }
    }

    /// The value in force, as the control shows it. `enable.idempotence` shows "" when the file
    /// leaves it to Kafka (whose rule may then switch it off); see [`Field::effective`].
    pub fn value(self, s: &Scenario) -> String {
        if self == Field::EnableIdempotence {
            let given = s
                .producers
                .first()
                .and_then(|p| p.config.enable_idempotence);
            return given.map(|b| b.to_string()).unwrap_or_default();
        }
        self.effective(s)
    }

    /// The value in force after Kafka's defaults and rules ("" without a producer or consumer).
    pub fn effective(self, s: &Scenario) -> String {
        let producer = s.producers.first().and_then(|p| p.config.resolve().ok());
        let consumer = s.consumers.first();
        let config = consumer.and_then(|c| c.config.resolve().ok());
        let t = &s.topic;
        let text = match self {
            Field::Acks => producer.map(|c| c.acks.to_string()),
            Field::EnableIdempotence => producer.map(|c| c.enable_idempotence.to_string()),
            Field::Retries => producer.map(|c| c.retries.to_string()),
            Field::MaxInFlight => {
                producer.map(|c| c.max_in_flight_requests_per_connection.to_string())
            }
            Field::DeliveryTimeoutMs => producer.map(|c| c.delivery_timeout_ms.to_string()),
            Field::RequestTimeoutMs => producer.map(|c| c.request_timeout_ms.to_string()),
            Field::LingerMs => producer.map(|c| c.linger_ms.to_string()),
            Field::BatchSize => producer.map(|c| c.batch_size.to_string()),
            Field::ReplicationFactor => Some(t.replication_factor.to_string()),
            Field::MinInsyncReplicas => Some(t.min_insync_replicas.to_string()),
            Field::UncleanLeaderElection => Some(t.unclean_leader_election_enable.to_string()),
            Field::EnableAutoCommit => config.map(|c| c.enable_auto_commit.to_string()),
            Field::AutoCommitIntervalMs => config.map(|c| c.auto_commit_interval_ms.to_string()),
            Field::AutoOffsetReset => config.map(|c| json_name(&c.auto_offset_reset)),
            Field::MaxPollRecords => config.map(|c| c.max_poll_records.to_string()),
            Field::Commit => consumer.map(|c| json_name(&c.app.commit)),
            Field::Processing => consumer.map(|c| json_name(&c.app.processing)),
        };
        text.unwrap_or_default()
    }

    /// Whether the scenario has anyone this setting applies to.
    pub fn applies(self, s: &Scenario) -> bool {
        match self.group() {
            Group::Producer => !s.producers.is_empty(),
            Group::Topic => true,
            Group::Consumer => !s.consumers.is_empty(),
        }
    }

    /// The scenario with this setting changed to `raw`, or why not.
    pub fn set(self, s: &Scenario, raw: &str) -> Result<Scenario, FieldError> {
        let raw = raw.trim();
        let mut out = s.clone();
        match self.control(s) {
            Control::Number { min, max } => {
                let n: u64 = raw.parse().map_err(|_| FieldError::NotANumber)?;
                if !(min..=max).contains(&n) {
                    return Err(FieldError::OutOfRange { min, max });
                }
                self.set_number(&mut out, n);
            }
            Control::Choice(values) => {
                if !values.contains(&raw) {
                    return Err(FieldError::Refused(ScenarioError::Invalid {
                        field: self.name().to_string(),
                        problem: Problem::UnknownVariant {
                            value: raw.to_string(),
                            expected: values.iter().map(|v| v.to_string()).collect(),
                        },
                    }));
                }
                self.set_choice(&mut out, raw);
            }
        }
        out.validate().map_err(FieldError::Refused)?;
        Ok(out)
    }

    /// `n` is in range for the field, so the narrowing casts cannot wrap.
    fn set_number(self, s: &mut Scenario, n: u64) {
        let n32 = u32::try_from(n).unwrap_or(u32::MAX);
        for p in &mut s.producers {
            let c = &mut p.config;
            match self {
                Field::Retries => c.retries = Some(n32),
                Field::MaxInFlight => c.max_in_flight_requests_per_connection = Some(n32),
                Field::DeliveryTimeoutMs => c.delivery_timeout_ms = Some(n),
                Field::RequestTimeoutMs => c.request_timeout_ms = Some(n),
                Field::LingerMs => c.linger_ms = Some(n),
                Field::BatchSize => c.batch_size = Some(n32),
                _ => {}
            }
        }
        for c in &mut s.consumers {
            match self {
                Field::AutoCommitIntervalMs => c.config.auto_commit_interval_ms = Some(n),
                Field::MaxPollRecords => c.config.max_poll_records = Some(n32),
                _ => {}
            }
        }
        match self {
            Field::ReplicationFactor => s.topic.replication_factor = n32,
            Field::MinInsyncReplicas => s.topic.min_insync_replicas = n32,
            _ => {}
        }
    }

    /// `raw` is one of the field's choices.
    fn set_choice(self, s: &mut Scenario, raw: &str) {
        let flag = raw == "true";
        for p in &mut s.producers {
            match self {
                Field::Acks => {
                    p.config.acks = Some(match raw {
                        "0" => Acks::Zero,
                        "1" => Acks::One,
                        _ => Acks::All,
                    })
                }
                Field::EnableIdempotence => {
                    p.config.enable_idempotence = (!raw.is_empty()).then_some(flag)
                }
                _ => {}
            }
        }
        for c in &mut s.consumers {
            match self {
                Field::EnableAutoCommit => c.config.enable_auto_commit = Some(flag),
                Field::AutoOffsetReset => {
                    c.config.auto_offset_reset = Some(match raw {
                        "earliest" => OffsetReset::Earliest,
                        "latest" => OffsetReset::Latest,
                        _ => OffsetReset::None,
                    })
                }
                Field::Commit => {
                    c.app.commit = match raw {
                        "before_processing" => CommitMode::BeforeProcessing,
                        "after_processing" => CommitMode::AfterProcessing,
                        _ => CommitMode::None,
                    }
                }
                Field::Processing => {
                    c.app.processing = match raw {
                        "async" => Processing::Async,
                        _ => Processing::Sync,
                    }
                }
                _ => {}
            }
        }
        if self == Field::UncleanLeaderElection {
            s.topic.unclean_leader_election_enable = flag;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_reads_back_what_it_writes() {
        let s = Scenario::default();
        for field in Field::ALL {
            let raw = match (field, field.control(&s)) {
                (Field::DeliveryTimeoutMs, _) => "60000".to_string(),
                (Field::RequestTimeoutMs, _) => "20000".to_string(),
                (_, Control::Choice(values)) => values[values.len() - 1].to_string(),
                (_, Control::Number { .. }) => "2".to_string(),
            };
            let changed = field
                .set(&s, &raw)
                .unwrap_or_else(|e| panic!("{field:?}: {e:?}"));
            assert_eq!(field.value(&changed), raw, "{field:?}");
        }
    }

    #[test]
    fn defaults_show_kafkas_values() {
        let s = Scenario::default();
        let shown: Vec<String> = Field::ALL.iter().map(|f| f.value(&s)).collect();
        assert_eq!(
            shown,
            [
                "all",
                "",
                "2147483647",
                "5",
                "120000",
                "30000",
                "0",
                "16384",
                "3",
                "1",
                "false",
                "true",
                "5000",
                "earliest",
                "500",
                "none",
                "sync"
            ]
        );
        assert_eq!(Field::EnableIdempotence.effective(&s), "true");
        let acks_0 = Field::Acks.set(&s, "0").unwrap();
        assert_eq!(Field::EnableIdempotence.effective(&acks_0), "false");
    }

    #[test]
    fn bad_numbers_are_refused_with_a_reason_and_never_panic() {
        let s = Scenario::default();
        let e = |f: Field, raw: &str| f.set(&s, raw).unwrap_err();
        assert_eq!(e(Field::Retries, "abc"), FieldError::NotANumber);
        assert_eq!(e(Field::Retries, "-1"), FieldError::NotANumber);
        assert_eq!(e(Field::Retries, ""), FieldError::NotANumber);
        assert_eq!(
            e(Field::Retries, "99999999999999999999999"),
            FieldError::NotANumber
        );
        assert_eq!(
            e(Field::ReplicationFactor, "5"),
            FieldError::OutOfRange { min: 1, max: 3 }
        );
        assert_eq!(
            e(Field::MaxInFlight, "0"),
            FieldError::OutOfRange { min: 1, max: 100 }
        );
        let FieldError::Refused(why) = e(Field::DeliveryTimeoutMs, "1000") else {
            panic!("delivery.timeout.ms below request.timeout.ms is Kafka's ConfigException");
        };
        assert!(why.to_string().contains("delivery.timeout.ms"), "{why}");
        // linger.ms counts too: delivery.timeout.ms ≥ linger.ms + request.timeout.ms.
        let FieldError::Refused(why) = e(Field::LingerMs, "100000") else {
            panic!("linger.ms + request.timeout.ms above delivery.timeout.ms is refused");
        };
        assert!(why.to_string().contains("(130000)"), "{why}");
        assert!(matches!(e(Field::Acks, "2"), FieldError::Refused(_)));
    }

    #[test]
    fn an_explicit_idempotence_that_conflicts_is_refused_but_an_unset_one_gives_way() {
        let s = Field::EnableIdempotence
            .set(&Scenario::default(), "true")
            .unwrap();
        let FieldError::Refused(why) = Field::Acks.set(&s, "1").unwrap_err() else {
            panic!("acks=1 with enable.idempotence=true is refused");
        };
        assert!(
            why.to_string().contains("enable.idempotence is true"),
            "{why}"
        );
        let unset = Field::EnableIdempotence.set(&s, "").unwrap();
        assert!(Field::Acks.set(&unset, "1").is_ok());
    }

    #[test]
    fn a_change_reaches_every_producer_and_consumer() {
        let mut s = Scenario::default();
        s.producers.push(s.producers[0].clone());
        s.consumers.push(s.consumers[0].clone());
        let s = Field::Acks.set(&s, "1").unwrap();
        let s = Field::Commit.set(&s, "after_processing").unwrap();
        assert!(s.producers.iter().all(|p| p.config.acks == Some(Acks::One)));
        assert!(s
            .consumers
            .iter()
            .all(|c| c.app.commit == CommitMode::AfterProcessing));
    }
}
