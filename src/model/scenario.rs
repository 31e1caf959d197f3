//! A scenario is a value: topology, Kafka settings, workload, fault script, seed and duration.
//! Same scenario, same trace.
//!
//! The JSON form is documented in `docs/scenario-format.md`. Unknown fields are refused
//! (`deny_unknown_fields`) and [`Scenario::validate`] checks values, so a bad file gets a message
//! that names the field and the problem instead of a surprising run.

use super::commands::{Command, Fault, MessageSelector, Trigger};
use super::config::{BrokerConfig, ConsumerConfig, ProducerConfig};
use super::ids::{NodeId, PartitionId};
pub use super::refusal::{ConfigProblem, PipelineProblem, Problem, ScenarioError};
use super::time::Millis;
use serde::{Deserialize, Serialize};

mod validate;

fn invalid(field: impl Into<String>, problem: Problem) -> ScenarioError {
    ScenarioError::Invalid {
        field: field.into(),
        problem,
    }
}

/// Hard ceilings, whatever a file asks for: they keep a browser tab's memory bounded.
pub const MAX_BROKERS: u32 = 9;
pub const MAX_CLIENTS: u32 = 9;
pub const MAX_PARTITIONS: u32 = 64;
/// `offsets.topic.replication.factor` (Kafka's default).
pub const OFFSETS_TOPIC_REPLICATION_FACTOR: u32 = 3;
pub const MAX_RECORDS: u32 = 1_000_000;
pub const MAX_TRACE_EVENTS: u32 = 20_000_000;
pub const MAX_DURATION_MS: Millis = 7 * 24 * 3600 * 1000;

/// The whole story to simulate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scenario {
    /// A short title.
    pub name: String,
    /// What the scenario shows, in a sentence or two.
    pub description: String,
    /// Seeds the one RNG (latency jitter, retry jitter, sticky partitioner).
    pub seed: u64,
    /// When the run stops, in virtual ms.
    pub duration_ms: Millis,
    pub brokers: BrokersSpec,
    pub topic: TopicSpec,
    pub network: NetworkSpec,
    pub producers: Vec<ProducerSpec>,
    pub consumers: Vec<ConsumerSpec>,
    /// A second topic, written by a consume-transform-produce application (a consumer with
    /// `app.commit: "transaction"` and `app.output_producer`), read by consumers with
    /// `"topic": "<its name>"`. Its partitions share the replication settings of `topic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_topic: Option<OutputTopicSpec>,
    /// Commands at virtual times or protocol steps.
    pub faults: Vec<Fault>,
    pub limits: Limits,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BrokersSpec {
    /// How many brokers (B1…Bn). Default 3.
    pub count: u32,
    pub config: BrokerConfig,
}

/// The output topic of a consume-transform-produce pipeline. In the model its partitions come
/// after the input topic's (global partition numbers `topic.partitions..`), hosted like them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputTopicSpec {
    /// Default "out".
    pub name: String,
    /// Default 1.
    pub partitions: u32,
}

impl Default for OutputTopicSpec {
    fn default() -> Self {
        Self {
            name: "out".into(),
            partitions: 1,
        }
    }
}

/// The scenario's (input) topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TopicSpec {
    /// Default "t".
    pub name: String,
    /// Default 1.
    pub partitions: u32,
    /// Default 3 (the production norm; Kafka's broker default is 1).
    #[serde(rename = "replication.factor")]
    pub replication_factor: u32,
    /// Default 1: only checked for acks=all.
    #[serde(rename = "min.insync.replicas")]
    pub min_insync_replicas: u32,
    /// Default false (since Kafka 0.11).
    #[serde(rename = "unclean.leader.election.enable")]
    pub unclean_leader_election_enable: bool,
    /// Replica brokers per partition, preferred leader first. Default: partition p gets brokers
    /// p+1, p+2, … (wrapping), so partition 0 is [B1, B2, B3].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment: Option<Vec<Vec<u32>>>,
    /// Default 604800000 (7 days): closed segments whose newest record is older are deleted
    /// (spec §8).
    #[serde(
        rename = "retention.ms",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub retention_ms: Option<Millis>,
    /// Default -1 (no limit): the oldest closed segments are deleted while the partition is
    /// larger. The model counts every record as 100 bytes.
    #[serde(
        rename = "retention.bytes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub retention_bytes: Option<i64>,
    /// Default 604800000 (7 days): the active segment rolls when it is this old.
    #[serde(
        rename = "segment.ms",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub segment_ms: Option<Millis>,
    /// Default 1073741824 (1 GiB): the active segment rolls when it is this large.
    #[serde(
        rename = "segment.bytes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub segment_bytes: Option<u64>,
}

impl TopicSpec {
    /// The retention settings, with Kafka's defaults.
    pub fn retention(&self) -> super::log::Retention {
        let d = super::log::Retention::default();
        super::log::Retention {
            ms: self.retention_ms.unwrap_or(d.ms),
            bytes: self.retention_bytes.unwrap_or(d.bytes),
            segment_ms: self.segment_ms.unwrap_or(d.segment_ms),
            segment_bytes: self.segment_bytes.unwrap_or(d.segment_bytes),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkSpec {
    /// One-way latency of every link. Default 100 ms.
    pub latency_ms: Millis,
    /// Extra random latency per message, 0..=jitter_ms (FIFO per connection is kept). Default 0.
    pub jitter_ms: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProducerSpec {
    pub config: ProducerConfig,
    pub workload: Workload,
}

/// What the producing application does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Workload {
    /// How many records it sends. Default 5.
    pub records: u32,
    /// When it sends the first. Default 0.
    pub start_ms: Millis,
    /// Time between two `send()` calls. Default 400 ms.
    pub interval_ms: Millis,
    /// Exact `send()` times, one per record (overrides `start_ms` and `interval_ms`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedule_ms: Vec<Millis>,
    /// Keys, used in turn (partition = murmur2(key) % partitions). Empty: no key.
    pub keys: Vec<String>,
    /// Send every record to this partition (overrides keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<PartitionId>,
    /// Whether the application sends a record again when its send fails, and after a restart
    /// sends again every record it never saw acknowledged (an at-least-once producer app).
    pub resend_on_failure: bool,
    /// A transactional producer (`transactional.id`) commits after this many records; 0 (the
    /// default) puts every record in one transaction.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub records_per_transaction: u32,
}

fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}

/// How the consuming application commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitMode {
    /// No manual commits (rely on `enable.auto.commit`).
    None,
    /// `poll(); commitSync(); process()`: at-most-once.
    BeforeProcessing,
    /// `poll(); process(); commitSync()`: at-least-once.
    AfterProcessing,
    /// Consume-transform-produce (spec §6.5): `poll()`; for each record `send()` its
    /// transformed copy with `app.output_producer` inside a transaction; then
    /// `sendOffsetsToTransaction()` and `commitTransaction()`. On an abort the application
    /// rewinds to the committed offsets and processes the records again.
    Transaction,
}

/// Where the consuming application processes records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Processing {
    /// In the polling thread, before the next poll.
    Sync,
    /// Handed to a worker thread; the loop polls again at once (spec §4.3, S15).
    Async,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsumerSpec {
    /// The topic it reads: `topic.name` (the default) or `output_topic.name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    pub config: ConsumerConfig,
    pub app: ConsumerApp,
}

impl Default for ConsumerSpec {
    fn default() -> Self {
        Self {
            config: ConsumerConfig {
                auto_offset_reset: Some(super::config::OffsetReset::Earliest),
                ..Default::default()
            },
            app: ConsumerApp::default(),
            topic: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsumerApp {
    /// When the consumer starts. Default 0.
    pub start_ms: Millis,
    /// Default none (auto-commit does the work).
    pub commit: CommitMode,
    /// Default sync.
    pub processing: Processing,
    /// Time to process one record. Default 100 ms.
    pub processing_ms: Millis,
    /// The timeout the application passes to `poll()`. Default 1000 ms.
    pub poll_timeout_ms: Millis,
    /// `subscribe(topic)`: join the consumer group (membership, assignment, heartbeats,
    /// rebalances; spec §5). Default false: `assign()` every partition and commit under
    /// `group.id` without membership (the coordinator accepts such commits while the group has
    /// no members).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub subscribe: bool,
    /// With `commit: "transaction"`: the transactional producer (e.g. "P2") the application
    /// writes its output with. The two are one process: a crash, restart or pause of either is
    /// one of both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_producer: Option<NodeId>,
}

impl Default for ConsumerApp {
    fn default() -> Self {
        Self {
            start_ms: 0,
            commit: CommitMode::None,
            processing: Processing::Sync,
            processing_ms: 100,
            poll_timeout_ms: 1000,
            subscribe: false,
            output_producer: None,
        }
    }
}

/// Bounds on everything that grows. At `max_trace_events` the trace stops growing (one
/// `TraceLimitReached` event marks the spot) while the simulation, the ledger and the verdict
/// carry on exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Default 1,000,000 (at most 20,000,000).
    pub max_trace_events: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_trace_events: 1_000_000,
        }
    }
}

impl Default for BrokersSpec {
    fn default() -> Self {
        Self {
            count: 3,
            config: BrokerConfig::default(),
        }
    }
}

impl Default for TopicSpec {
    fn default() -> Self {
        Self {
            name: "t".into(),
            partitions: 1,
            replication_factor: 3,
            min_insync_replicas: 1,
            unclean_leader_election_enable: false,
            assignment: None,
            retention_ms: None,
            retention_bytes: None,
            segment_ms: None,
            segment_bytes: None,
        }
    }
}

impl Default for NetworkSpec {
    fn default() -> Self {
        Self {
            latency_ms: 100,
            jitter_ms: 0,
        }
    }
}

impl Default for Workload {
    fn default() -> Self {
        Self {
            records: 5,
            start_ms: 0,
            interval_ms: 400,
            schedule_ms: Vec::new(),
            keys: Vec::new(),
            partition: None,
            resend_on_failure: false,
            records_per_transaction: 0,
        }
    }
}

impl Default for Scenario {
    /// The friendly scenario the page opens with: three brokers, one topic with one partition
    /// replicated three times, one producer with Kafka's defaults (acks=all, idempotent) sending
    /// five records, one consumer with auto-commit; latencies slow enough to watch.
    fn default() -> Self {
        Self {
            name: "Hello, Kafka".into(),
            description: "Three brokers replicate five records; the consumer reads each once \
                          they are committed."
                .into(),
            seed: 1,
            duration_ms: 8000,
            brokers: BrokersSpec::default(),
            topic: TopicSpec::default(),
            network: NetworkSpec {
                latency_ms: 300,
                jitter_ms: 0,
            },
            producers: vec![ProducerSpec::default()],
            consumers: vec![ConsumerSpec::default()],
            output_topic: None,
            faults: Vec::new(),
            limits: Limits::default(),
        }
    }
}

impl Scenario {
    /// Parses and validates a scenario file.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let scenario: Scenario = serde_path_to_error::deserialize(de)
            .map_err(|e| ScenarioError::from_serde(e.path().to_string(), e.inner()))?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Partitions of both topics: the input topic's, then the output topic's.
    pub fn total_partitions(&self) -> u32 {
        self.topic.partitions + self.output_topic.as_ref().map_or(0, |o| o.partitions)
    }

    /// The consumer groups of the scenario's consumers, in name order.
    pub fn groups(&self) -> Vec<String> {
        let mut groups: Vec<String> = self
            .consumers
            .iter()
            .take(MAX_CLIENTS as usize)
            .map(|c| c.config.group_id.clone().unwrap_or_else(|| "g".into()))
            .collect();
        groups.sort();
        groups.dedup();
        groups
    }

    /// The `__consumer_offsets` partitions the scenario's groups use (Kafka's numbers,
    /// `abs(hash(group.id)) % 50`), ascending. The model hosts only these of the topic's 50.
    pub fn offsets_partitions(&self) -> Vec<u32> {
        let mut parts: Vec<u32> = self
            .groups()
            .iter()
            .map(|g| super::coordinator::GroupCoordinator::offsets_partition(g))
            .collect();
        parts.sort_unstable();
        parts.dedup();
        parts
    }

    /// Every partition the brokers host: both topics', then the `__consumer_offsets`
    /// partitions of [`Scenario::offsets_partitions`].
    pub fn all_partitions(&self) -> u32 {
        self.total_partitions().min(MAX_PARTITIONS) + self.offsets_partitions().len() as u32
    }

    /// The Kafka number of the `__consumer_offsets` partition that global partition `partition`
    /// is (None for a partition of the scenario's topics).
    pub fn offsets_partition_number(&self, partition: PartitionId) -> Option<u32> {
        let first = self.total_partitions().min(MAX_PARTITIONS);
        partition
            .checked_sub(first)
            .and_then(|i| self.offsets_partitions().get(i as usize).copied())
    }

    /// The global partition that holds `group`'s committed offsets.
    pub fn group_offsets_partition(&self, group: &str) -> Option<PartitionId> {
        let k = super::coordinator::GroupCoordinator::offsets_partition(group);
        let i = self.offsets_partitions().iter().position(|&x| x == k)?;
        Some(self.total_partitions().min(MAX_PARTITIONS) + i as u32)
    }

    /// The global partitions of the topic called `name` (None: no such topic).
    pub fn topic_partitions(&self, name: &str) -> Option<std::ops::Range<PartitionId>> {
        let n = self.topic.partitions;
        match &self.output_topic {
            _ if name == self.topic.name => Some(0..n),
            Some(o) if o.name == name => Some(n..n + o.partitions),
            _ => None,
        }
    }

    /// The global partitions a consumer reads (its `topic`, the input topic by default).
    pub fn consumer_partitions(&self, consumer: usize) -> std::ops::Range<PartitionId> {
        self.consumers
            .get(consumer)
            .and_then(|c| c.topic.as_deref())
            .and_then(|t| self.topic_partitions(t))
            .unwrap_or(0..self.topic.partitions)
    }

    /// The global partitions a producer writes: the output topic's for a pipeline's producer.
    pub fn producer_partitions(&self, producer: usize) -> std::ops::Range<PartitionId> {
        let n = self.topic.partitions;
        match &self.output_topic {
            Some(o) if self.is_pipeline_producer(producer) => n..n + o.partitions,
            _ => 0..n,
        }
    }

    /// Whether producer `producer` (0-based) is a pipeline's output producer.
    pub fn is_pipeline_producer(&self, producer: usize) -> bool {
        let me = NodeId::Producer(producer as u32 + 1);
        self.consumers
            .iter()
            .any(|c| c.app.output_producer == Some(me))
    }

    /// The pipeline partner of a node: a pipeline consumer's producer, or a pipeline producer's
    /// consumer (one process).
    pub fn pipeline_partner(&self, node: NodeId) -> Option<NodeId> {
        match node {
            NodeId::Consumer(c) => self
                .consumers
                .get(c as usize - 1)
                .and_then(|c| c.app.output_producer),
            NodeId::Producer(_) => self
                .consumers
                .iter()
                .position(|c| c.app.output_producer == Some(node))
                .map(|i| NodeId::Consumer(i as u32 + 1)),
            _ => None,
        }
    }

    /// A partition's name as Kafka writes it: `t-0`, `out-1`, `__consumer_offsets-12`.
    pub fn partition_name(&self, partition: PartitionId) -> String {
        if let Some(k) = self.offsets_partition_number(partition) {
            return format!("__consumer_offsets-{k}");
        }
        let n = self.topic.partitions;
        match &self.output_topic {
            Some(o) if partition >= n => format!("{}-{}", o.name, partition - n),
            _ => format!("{}-{partition}", self.topic.name),
        }
    }

    /// The replicas of a partition, preferred leader first. A `__consumer_offsets` partition
    /// has `offsets.topic.replication.factor` (3) replicas, or one per broker when there are
    /// fewer (SIMPLIFIED: Kafka would not create the topic until 3 brokers are up), starting at
    /// broker `k % brokers + 1` for Kafka's partition number k.
    pub fn replicas(&self, partition: PartitionId) -> Vec<u32> {
        if let Some(k) = self.offsets_partition_number(partition) {
            let n = self.brokers.count.clamp(1, MAX_BROKERS);
            return (0..OFFSETS_TOPIC_REPLICATION_FACTOR.min(n))
                .map(|i| (k + i) % n + 1)
                .collect();
        }
        if let Some(a) = self
            .topic
            .assignment
            .as_ref()
            .and_then(|a| a.get(partition as usize))
        {
            return a.clone();
        }
        let n = self.brokers.count.max(1);
        (0..self.topic.replication_factor.clamp(1, n))
            .map(|i| (partition + i) % n + 1)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_scenario_is_valid_and_round_trips() {
        let s = Scenario::default();
        s.validate().unwrap();
        let json = serde_json::to_string_pretty(&s).unwrap();
        assert_eq!(Scenario::from_json(&json).unwrap(), s);
    }

    #[test]
    fn an_unknown_field_is_named() {
        let e = Scenario::from_json(r#"{"producers": [{"config": {"ack": "1"}}]}"#).unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("producers[0].config"), "{text}");
        assert!(text.contains("unknown field `ack`"), "{text}");
    }

    #[test]
    fn a_bad_value_is_named() {
        let e = Scenario::from_json(r#"{"producers": [{"config": {"acks": "2"}}]}"#).unwrap_err();
        assert!(e.to_string().contains("producers[0].config.acks"), "{e}");
        let e = Scenario::from_json(r#"{"topic": {"replication.factor": 5}}"#).unwrap_err();
        assert!(e.to_string().starts_with("topic.replication.factor"), "{e}");
        let e = Scenario::from_json(
            r#"{"producers": [{"config": {"acks": "1", "enable.idempotence": true}}]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("enable.idempotence is true"), "{e}");
        let e =
            Scenario::from_json(r#"{"faults": [{"at_ms": 1, "do": {"crash": {"node": "B7"}}}]}"#)
                .unwrap_err();
        assert_eq!(e.to_string(), "faults[0]: no node B7 in this scenario");
    }
}
