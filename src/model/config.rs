//! Kafka configuration, under the names users know (`acks`, `enable.idempotence`, …), with
//! Kafka's defaults (3.x/4.0, spec §1.3, §2.1, §3.1, §4.1).
//!
//! A scenario file gives only what it changes; every field here is `Option`, and `resolve` turns
//! it into the effective settings, applying Kafka's rules — notably
//! `ProducerConfig#postProcessAndValidateIdempotenceConfigs`: a setting that conflicts with
//! idempotence silently disables it, unless `enable.idempotence` was set explicitly, in which
//! case the producer refuses to start (`ConfigException`).

use super::refusal::{ConfigProblem, IdempotenceNeed};
use super::time::Millis;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// `acks`: how many replicas must have a record before the leader answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acks {
    /// `0`: no answer awaited; success once the request leaves the socket.
    Zero,
    /// `1`: the leader answers once it has appended.
    One,
    /// `all` / `-1`: the leader answers once the whole ISR has the record (HW passed it).
    All,
}

impl fmt::Display for Acks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Acks::Zero => "0",
            Acks::One => "1",
            Acks::All => "all",
        })
    }
}

impl Serialize for Acks {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Acks {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        match v
            .as_str()
            .map(str::to_owned)
            .or_else(|| v.as_i64().map(|n| n.to_string()))
        {
            Some(s) if s == "0" => Ok(Acks::Zero),
            Some(s) if s == "1" => Ok(Acks::One),
            Some(s) if s == "all" || s == "-1" => Ok(Acks::All),
            _ => Err(serde::de::Error::custom(format!(
                "acks must be 0, 1, all or -1, not {v}"
            ))),
        }
    }
}

/// What a consumer does when it has no valid position (`auto.offset.reset`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OffsetReset {
    Earliest,
    Latest,
    None,
}

/// Producer settings as a scenario file gives them (`None` = Kafka's default).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProducerConfig {
    /// Default `all` since 3.0 (KIP-679).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acks: Option<Acks>,
    /// Default true since 3.0 (KIP-679), but see the conflict rule above.
    #[serde(rename = "enable.idempotence", skip_serializing_if = "Option::is_none")]
    pub enable_idempotence: Option<bool>,
    /// Default `Integer.MAX_VALUE`; bounded in practice by `delivery.timeout.ms`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    /// Default 100 ms, doubling per attempt up to `retry.backoff.max.ms` (KIP-580).
    #[serde(rename = "retry.backoff.ms", skip_serializing_if = "Option::is_none")]
    pub retry_backoff_ms: Option<Millis>,
    /// Default 1000 ms.
    #[serde(
        rename = "retry.backoff.max.ms",
        skip_serializing_if = "Option::is_none"
    )]
    pub retry_backoff_max_ms: Option<Millis>,
    /// Default 30000 ms: how long the client waits for one answer.
    #[serde(rename = "request.timeout.ms", skip_serializing_if = "Option::is_none")]
    pub request_timeout_ms: Option<Millis>,
    /// Default 120000 ms: the bound from `send()` to success or failure.
    #[serde(
        rename = "delivery.timeout.ms",
        skip_serializing_if = "Option::is_none"
    )]
    pub delivery_timeout_ms: Option<Millis>,
    /// Default 5.
    #[serde(
        rename = "max.in.flight.requests.per.connection",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_in_flight_requests_per_connection: Option<u32>,
    /// Default 0 ms (Kafka 3.x; 4.0 made it 5, KIP-1030): how long a batch that is not full
    /// waits for more records before it may be sent.
    #[serde(rename = "linger.ms", skip_serializing_if = "Option::is_none")]
    pub linger_ms: Option<Millis>,
    /// Default 16384 bytes: a batch holds at most this much (the model counts each record as
    /// 100 bytes, so 163 records; at least one). Also when the sticky partitioner switches.
    #[serde(rename = "batch.size", skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<u32>,
    /// Default none. Set, it makes the producer transactional (KIP-98) and implies
    /// `enable.idempotence`: `initTransactions()` keeps the producer id across restarts, bumps
    /// the epoch and fences older incarnations.
    #[serde(rename = "transactional.id", skip_serializing_if = "Option::is_none")]
    pub transactional_id: Option<String>,
    /// Default 60000 ms: the coordinator aborts a transaction open longer than this.
    #[serde(
        rename = "transaction.timeout.ms",
        skip_serializing_if = "Option::is_none"
    )]
    pub transaction_timeout_ms: Option<Millis>,
}

/// The producer settings in force, after defaults and the idempotence rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EffectiveProducerConfig {
    pub acks: Acks,
    pub enable_idempotence: bool,
    pub retries: u32,
    pub retry_backoff_ms: Millis,
    pub retry_backoff_max_ms: Millis,
    pub request_timeout_ms: Millis,
    pub delivery_timeout_ms: Millis,
    pub max_in_flight_requests_per_connection: u32,
    #[serde(default)]
    pub linger_ms: Millis,
    #[serde(default = "default_batch_size")]
    pub batch_size: u32,
    /// Whether `transactional.id` is set (the id itself lives on the producer).
    #[serde(default)]
    pub transactional: bool,
    #[serde(default)]
    pub transaction_timeout_ms: Millis,
}

/// `batch.size`'s default (bytes).
pub const DEFAULT_BATCH_SIZE: u32 = 16_384;

fn default_batch_size() -> u32 {
    DEFAULT_BATCH_SIZE
}

/// The bytes the model counts for one record in a producer batch (for `batch.size` and the
/// sticky partitioner; the same size the log counts, `log::RECORD_BYTES`).
pub const RECORD_BATCH_BYTES: u32 = 100;

impl EffectiveProducerConfig {
    /// How many records fit in one batch: `batch.size` over the model's record size, at least
    /// one (a record larger than `batch.size` gets a batch of its own, as in Kafka).
    pub fn records_per_batch(&self) -> u32 {
        (self.batch_size / RECORD_BATCH_BYTES).max(1)
    }
}

impl ProducerConfig {
    /// Applies Kafka's defaults and validation; the error names the conflicting settings.
    pub fn resolve(&self) -> Result<EffectiveProducerConfig, ConfigProblem> {
        let acks = self.acks.unwrap_or(Acks::All);
        let retries = self.retries.unwrap_or(i32::MAX as u32);
        let max_in_flight = self.max_in_flight_requests_per_connection.unwrap_or(5);
        let request_timeout_ms = self.request_timeout_ms.unwrap_or(30_000);
        let delivery_timeout_ms = self.delivery_timeout_ms.unwrap_or(120_000);
        if max_in_flight == 0 {
            return Err(ConfigProblem::AtLeastOne(
                "max.in.flight.requests.per.connection",
            ));
        }
        let linger_ms = self.linger_ms.unwrap_or(0);
        let batch_size = self.batch_size.unwrap_or(DEFAULT_BATCH_SIZE);
        if batch_size > i32::MAX as u32 {
            return Err(ConfigProblem::BatchSize { batch_size });
        }
        // `ProducerConfig` (3.x): delivery.timeout.ms ≥ linger.ms + request.timeout.ms.
        let linger_plus_request_timeout_ms = linger_ms.saturating_add(request_timeout_ms);
        if delivery_timeout_ms < linger_plus_request_timeout_ms {
            return Err(ConfigProblem::DeliveryTimeout {
                delivery_timeout_ms,
                linger_plus_request_timeout_ms,
            });
        }
        let conflict = if acks != Acks::All {
            Some(IdempotenceNeed::AcksAll)
        } else if retries == 0 {
            Some(IdempotenceNeed::Retries)
        } else if max_in_flight > 5 {
            Some(IdempotenceNeed::MaxInFlightAtMost5)
        } else {
            None
        };
        let transactional = self.transactional_id.is_some();
        if transactional && self.enable_idempotence == Some(false) {
            return Err(ConfigProblem::TransactionalNeedsIdempotence);
        }
        let enable_idempotence = match (self.enable_idempotence, conflict) {
            (_, Some(needs)) if transactional => {
                return Err(ConfigProblem::IdempotenceNeeds {
                    transactional: true,
                    needs,
                })
            }
            (Some(true), Some(needs)) => {
                return Err(ConfigProblem::IdempotenceNeeds {
                    transactional: false,
                    needs,
                })
            }
            (Some(explicit), _) => explicit,
            (None, Some(_)) => false, // silently disabled (spec §2.1)
            (None, None) => true,
        };
        let transaction_timeout_ms = self.transaction_timeout_ms.unwrap_or(60_000);
        if transaction_timeout_ms == 0 || transaction_timeout_ms > 900_000 {
            return Err(ConfigProblem::TransactionTimeout {
                transaction_timeout_ms,
            });
        }
        Ok(EffectiveProducerConfig {
            acks,
            enable_idempotence,
            retries,
            retry_backoff_ms: self.retry_backoff_ms.unwrap_or(100),
            retry_backoff_max_ms: self.retry_backoff_max_ms.unwrap_or(1000),
            request_timeout_ms,
            delivery_timeout_ms,
            max_in_flight_requests_per_connection: max_in_flight,
            linger_ms,
            batch_size,
            transactional,
            transaction_timeout_ms,
        })
    }
}

/// Consumer settings as a scenario file gives them (`None` = Kafka's default).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsumerConfig {
    /// The group whose committed offsets this consumer uses. Default "g".
    #[serde(rename = "group.id", skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// Default true: commit positions inside `poll()` every `auto.commit.interval.ms`.
    #[serde(rename = "enable.auto.commit", skip_serializing_if = "Option::is_none")]
    pub enable_auto_commit: Option<bool>,
    /// Default 5000 ms.
    #[serde(
        rename = "auto.commit.interval.ms",
        skip_serializing_if = "Option::is_none"
    )]
    pub auto_commit_interval_ms: Option<Millis>,
    /// Default latest.
    #[serde(rename = "auto.offset.reset", skip_serializing_if = "Option::is_none")]
    pub auto_offset_reset: Option<OffsetReset>,
    /// Default 500.
    #[serde(rename = "max.poll.records", skip_serializing_if = "Option::is_none")]
    pub max_poll_records: Option<u32>,
    /// Default 500 ms: how long a leader holds a fetch that has nothing to return.
    #[serde(rename = "fetch.max.wait.ms", skip_serializing_if = "Option::is_none")]
    pub fetch_max_wait_ms: Option<Millis>,
    /// Default `range` (spec §5.2). Used by consumers that `subscribe` (join the group).
    #[serde(
        rename = "partition.assignment.strategy",
        skip_serializing_if = "Option::is_none"
    )]
    pub partition_assignment_strategy: Option<AssignmentStrategy>,
    /// Default 45000 ms: the coordinator removes a member it has not heard from this long.
    #[serde(rename = "session.timeout.ms", skip_serializing_if = "Option::is_none")]
    pub session_timeout_ms: Option<Millis>,
    /// Default 3000 ms: how often the heartbeat thread reports to the coordinator.
    #[serde(
        rename = "heartbeat.interval.ms",
        skip_serializing_if = "Option::is_none"
    )]
    pub heartbeat_interval_ms: Option<Millis>,
    /// Default 300000 ms: a member that does not call `poll()` this long leaves the group.
    #[serde(
        rename = "max.poll.interval.ms",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_poll_interval_ms: Option<Millis>,
    /// Default none. Set: static membership (KIP-345), no LeaveGroup on close or poll timeout,
    /// and a restart within `session.timeout.ms` gets its old assignment without a rebalance.
    #[serde(rename = "group.instance.id", skip_serializing_if = "Option::is_none")]
    pub group_instance_id: Option<String>,
    /// Default read_uncommitted. read_committed reads only below the last stable offset and
    /// skips records of aborted transactions (KIP-98).
    #[serde(rename = "isolation.level", skip_serializing_if = "Option::is_none")]
    pub isolation_level: Option<IsolationLevel>,
}

/// `partition.assignment.strategy` (spec §5.2), by the names of Kafka's assignors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssignmentStrategy {
    /// `RangeAssignor`: consecutive ranges of partitions, the first members get one more.
    #[serde(rename = "range")]
    Range,
    /// `RoundRobinAssignor`: partitions dealt in turn over the sorted members.
    #[serde(rename = "roundrobin")]
    RoundRobin,
    /// `CooperativeStickyAssignor`: keep each partition with its previous owner if it is still
    /// a member, then balance; with the cooperative protocol (KIP-429) when every member uses
    /// it: members keep reading during a rebalance and a moving partition is handed over in a
    /// second rebalance.
    #[serde(rename = "cooperative-sticky")]
    CooperativeSticky,
}

impl fmt::Display for AssignmentStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AssignmentStrategy::Range => "range",
            AssignmentStrategy::RoundRobin => "roundrobin",
            AssignmentStrategy::CooperativeSticky => "cooperative-sticky",
        })
    }
}

/// `isolation.level`: which transactional records a consumer returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IsolationLevel {
    ReadUncommitted,
    ReadCommitted,
}

/// The consumer settings in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EffectiveConsumerConfig {
    pub group_id: String,
    pub enable_auto_commit: bool,
    pub auto_commit_interval_ms: Millis,
    pub auto_offset_reset: OffsetReset,
    pub max_poll_records: u32,
    pub fetch_max_wait_ms: Millis,
    pub partition_assignment_strategy: AssignmentStrategy,
    pub session_timeout_ms: Millis,
    pub heartbeat_interval_ms: Millis,
    pub max_poll_interval_ms: Millis,
    pub group_instance_id: Option<String>,
    #[serde(default)]
    pub read_committed: bool,
}

impl ConsumerConfig {
    pub fn resolve(&self) -> Result<EffectiveConsumerConfig, ConfigProblem> {
        let max_poll_records = self.max_poll_records.unwrap_or(500);
        if max_poll_records == 0 {
            return Err(ConfigProblem::AtLeastOne("max.poll.records"));
        }
        let auto_commit_interval_ms = self.auto_commit_interval_ms.unwrap_or(5000);
        if auto_commit_interval_ms == 0 {
            return Err(ConfigProblem::AtLeastOne("auto.commit.interval.ms"));
        }
        let session_timeout_ms = self.session_timeout_ms.unwrap_or(45_000);
        let heartbeat_interval_ms = self.heartbeat_interval_ms.unwrap_or(3_000);
        let max_poll_interval_ms = self.max_poll_interval_ms.unwrap_or(300_000);
        // The broker's group.min.session.timeout.ms / group.max.session.timeout.ms.
        if !(6_000..=1_800_000).contains(&session_timeout_ms) {
            return Err(ConfigProblem::SessionTimeout);
        }
        if heartbeat_interval_ms == 0 || heartbeat_interval_ms >= session_timeout_ms {
            return Err(ConfigProblem::HeartbeatInterval);
        }
        if max_poll_interval_ms == 0 {
            return Err(ConfigProblem::AtLeastOne("max.poll.interval.ms"));
        }
        if self.group_id.as_deref() == Some("") {
            return Err(ConfigProblem::EmptyGroupId);
        }
        Ok(EffectiveConsumerConfig {
            partition_assignment_strategy: self
                .partition_assignment_strategy
                .unwrap_or(AssignmentStrategy::Range),
            session_timeout_ms,
            heartbeat_interval_ms,
            max_poll_interval_ms,
            group_instance_id: self.group_instance_id.clone(),
            group_id: self.group_id.clone().unwrap_or_else(|| "g".into()),
            enable_auto_commit: self.enable_auto_commit.unwrap_or(true),
            auto_commit_interval_ms,
            auto_offset_reset: self.auto_offset_reset.unwrap_or(OffsetReset::Latest),
            max_poll_records,
            fetch_max_wait_ms: self.fetch_max_wait_ms.unwrap_or(500),
            read_committed: self.isolation_level == Some(IsolationLevel::ReadCommitted),
        })
    }
}

/// Broker settings (and the one simulator parameter that stands for the OS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BrokerConfig {
    /// Default 30000 ms: a follower not caught up for this long leaves the ISR.
    #[serde(rename = "replica.lag.time.max.ms")]
    pub replica_lag_time_max_ms: Millis,
    /// Default 9000 ms: the controller fences a broker silent for this long (KRaft).
    #[serde(rename = "broker.session.timeout.ms")]
    pub broker_session_timeout_ms: Millis,
    /// Default 500 ms: how long a leader holds a follower fetch that has nothing new.
    #[serde(rename = "replica.fetch.wait.max.ms")]
    pub replica_fetch_wait_max_ms: Millis,
    /// Default 1000 ms: how long a follower waits after a failed fetch.
    #[serde(rename = "replica.fetch.backoff.ms")]
    pub replica_fetch_backoff_ms: Millis,
    /// Default 30000 ms: a follower gives up on an unanswered fetch after this long.
    #[serde(rename = "replica.socket.timeout.ms")]
    pub replica_socket_timeout_ms: Millis,
    /// Not a Kafka setting: how often the operating system writes the page cache to disk. Kafka
    /// never fsyncs on the write path (spec §1.2), so a power loss keeps only what the OS flushed.
    /// Default 5000 ms (Linux writes back dirty pages every 5 s).
    pub os_flush_interval_ms: Millis,
    /// Default 300000 ms: how often a broker deletes segments past retention (spec §8).
    #[serde(rename = "log.retention.check.interval.ms")]
    pub log_retention_check_interval_ms: Millis,
}

impl Default for BrokerConfig {
    fn default() -> Self {
        Self {
            replica_lag_time_max_ms: 30_000,
            broker_session_timeout_ms: 9_000,
            replica_fetch_wait_max_ms: 500,
            replica_fetch_backoff_ms: 1_000,
            replica_socket_timeout_ms: 30_000,
            os_flush_interval_ms: 5_000,
            log_retention_check_interval_ms: 300_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_kafkas() {
        let c = ProducerConfig::default().resolve().unwrap();
        assert_eq!(c.acks, Acks::All);
        assert!(c.enable_idempotence);
        assert_eq!(c.max_in_flight_requests_per_connection, 5);
        assert_eq!(c.delivery_timeout_ms, 120_000);
    }

    #[test]
    fn acks_1_silently_disables_idempotence_unless_it_was_set() {
        let implicit = ProducerConfig {
            acks: Some(Acks::One),
            ..Default::default()
        };
        assert!(!implicit.resolve().unwrap().enable_idempotence);
        let explicit = ProducerConfig {
            acks: Some(Acks::One),
            enable_idempotence: Some(true),
            ..Default::default()
        };
        let e = explicit.resolve().unwrap_err();
        assert_eq!(
            e.to_string(),
            "enable.idempotence is true, so acks must be all"
        );
    }

    #[test]
    fn acks_parses_the_spellings_users_write() {
        for (json, acks) in [
            ("\"all\"", Acks::All),
            ("\"-1\"", Acks::All),
            ("-1", Acks::All),
            ("1", Acks::One),
            ("\"0\"", Acks::Zero),
        ] {
            assert_eq!(serde_json::from_str::<Acks>(json).unwrap(), acks);
        }
        assert!(serde_json::from_str::<Acks>("\"2\"").is_err());
    }
}
