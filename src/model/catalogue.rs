//! The catalogue: the scenario files of `scenarios/`, built into the binary so the page can open
//! any of them by name (`?scenario=acks-1-leader-crash`) without a network request.

use super::scenario::{Scenario, ScenarioError};

/// (name, JSON) of every catalogue scenario, in teaching order.
pub const CATALOGUE: &[(&str, &str)] = &[
    ("hello", include_str!("../../scenarios/hello.json")),
    (
        "s01-acks-0-leader-crash",
        include_str!("../../scenarios/s01-acks-0-leader-crash.json"),
    ),
    (
        "s02-acks-1-leader-crash",
        include_str!("../../scenarios/s02-acks-1-leader-crash.json"),
    ),
    (
        "s04-acks-all-clean-failover",
        include_str!("../../scenarios/s04-acks-all-clean-failover.json"),
    ),
    (
        "s06-lost-ack-no-idempotence-duplicates",
        include_str!("../../scenarios/s06-lost-ack-no-idempotence-duplicates.json"),
    ),
    (
        "s07-lost-ack-idempotence-deduplicates",
        include_str!("../../scenarios/s07-lost-ack-idempotence-deduplicates.json"),
    ),
    (
        "s07b-lost-ack-batch-deduplicated",
        include_str!("../../scenarios/s07b-lost-ack-batch-deduplicated.json"),
    ),
    (
        "s08-retry-reorders-without-idempotence",
        include_str!("../../scenarios/s08-retry-reorders-without-idempotence.json"),
    ),
    (
        "s09-retry-keeps-order-with-idempotence",
        include_str!("../../scenarios/s09-retry-keeps-order-with-idempotence.json"),
    ),
    (
        "s10-producer-restart-resend-duplicates",
        include_str!("../../scenarios/s10-producer-restart-resend-duplicates.json"),
    ),
    (
        "s12-commit-before-processing-loses",
        include_str!("../../scenarios/s12-commit-before-processing-loses.json"),
    ),
    (
        "s13-commit-after-processing-duplicates",
        include_str!("../../scenarios/s13-commit-after-processing-duplicates.json"),
    ),
    (
        "s14-auto-commit-crash-duplicates",
        include_str!("../../scenarios/s14-auto-commit-crash-duplicates.json"),
    ),
    (
        "s15-auto-commit-async-processing-loses",
        include_str!("../../scenarios/s15-auto-commit-async-processing-loses.json"),
    ),
    (
        "s17-slow-processing-rebalance-duplicates",
        include_str!("../../scenarios/s17-slow-processing-rebalance-duplicates.json"),
    ),
    (
        "s18-consumer-crash-session-timeout-redelivers",
        include_str!("../../scenarios/s18-consumer-crash-session-timeout-redelivers.json"),
    ),
    (
        "s18-static-member-restart-no-rebalance",
        include_str!("../../scenarios/s18-static-member-restart-no-rebalance.json"),
    ),
    (
        "s21-gc-pause-zombie-consumer",
        include_str!("../../scenarios/s21-gc-pause-zombie-consumer.json"),
    ),
    (
        "groups-two-groups-each-get-every-record",
        include_str!("../../scenarios/groups-two-groups-each-get-every-record.json"),
    ),
    (
        "groups-graceful-close-no-duplicates",
        include_str!("../../scenarios/groups-graceful-close-no-duplicates.json"),
    ),
    (
        "groups-range-assignment",
        include_str!("../../scenarios/groups-range-assignment.json"),
    ),
    (
        "groups-roundrobin-assignment",
        include_str!("../../scenarios/groups-roundrobin-assignment.json"),
    ),
    (
        "groups-cooperative-rebalance",
        include_str!("../../scenarios/groups-cooperative-rebalance.json"),
    ),
    (
        "s10t-transactional-restart-commits-once",
        include_str!("../../scenarios/s10t-transactional-restart-commits-once.json"),
    ),
    (
        "s19-transaction-crash-before-commit",
        include_str!("../../scenarios/s19-transaction-crash-before-commit.json"),
    ),
    (
        "s19p-pipeline-crash-before-commit",
        include_str!("../../scenarios/s19p-pipeline-crash-before-commit.json"),
    ),
    (
        "s19t-hung-transaction-timeout",
        include_str!("../../scenarios/s19t-hung-transaction-timeout.json"),
    ),
    (
        "s20-zombie-producer-fenced",
        include_str!("../../scenarios/s20-zombie-producer-fenced.json"),
    ),
    (
        "s22-unclean-election-loses-acknowledged",
        include_str!("../../scenarios/s22-unclean-election-loses-acknowledged.json"),
    ),
    (
        "s25-retention-outruns-a-stopped-consumer",
        include_str!("../../scenarios/s25-retention-outruns-a-stopped-consumer.json"),
    ),
    (
        "s26-keys-pick-partitions",
        include_str!("../../scenarios/s26-keys-pick-partitions.json"),
    ),
    (
        "s29-default-pipeline-failover",
        include_str!("../../scenarios/s29-default-pipeline-failover.json"),
    ),
    (
        "s30-committed-offset-lost-with-the-coordinator",
        include_str!("../../scenarios/s30-committed-offset-lost-with-the-coordinator.json"),
    ),
    (
        "busy-cluster",
        include_str!("../../scenarios/busy-cluster.json"),
    ),
];

/// The benchmark scenario (BENCHMARKS.md): 3 brokers, 6 partitions (RF 3, min ISR 2), one
/// idempotent producer sending `records` keyed records 1 ms apart, one auto-committing consumer,
/// and faults: a leader crash and restart, a power loss on another broker, a consumer crash and
/// restart, and a cut link healed later.
pub fn bench_scenario(records: u32) -> Scenario {
    use super::commands::{Command, CrashMode, Fault};
    use super::ids::NodeId;
    let mut s = Scenario {
        name: "benchmark".into(),
        seed: 7,
        ..Scenario::default()
    };
    s.network.latency_ms = 2;
    s.network.jitter_ms = 1;
    s.topic.partitions = 6;
    s.topic.min_insync_replicas = 2;
    s.producers[0].workload.records = records;
    s.producers[0].workload.interval_ms = 1;
    s.producers[0].workload.keys = (0..64).map(|k| format!("key{k}")).collect();
    s.consumers[0].app.processing_ms = 0;
    s.consumers[0].app.poll_timeout_ms = 100;
    let t = u64::from(records);
    s.duration_ms = t + 60_000;
    s.faults = vec![
        Fault::at(
            t / 5,
            Command::Crash {
                node: NodeId::Broker(1),
                mode: CrashMode::Process,
            },
        ),
        Fault::at(
            t / 5 + 15_000,
            Command::Restart {
                node: NodeId::Broker(1),
            },
        ),
        Fault::at(
            t / 2,
            Command::Crash {
                node: NodeId::Consumer(1),
                mode: CrashMode::Process,
            },
        ),
        Fault::at(
            t / 2 + 2_000,
            Command::Restart {
                node: NodeId::Consumer(1),
            },
        ),
        Fault::at(
            t * 3 / 5,
            Command::Partition {
                a: NodeId::Producer(1),
                b: NodeId::Broker(2),
            },
        ),
        Fault::at(
            t * 3 / 5 + 5_000,
            Command::Heal {
                a: NodeId::Producer(1),
                b: NodeId::Broker(2),
            },
        ),
        Fault::at(
            t * 4 / 5,
            Command::Crash {
                node: NodeId::Broker(3),
                mode: CrashMode::PowerLoss,
            },
        ),
        Fault::at(
            t * 4 / 5 + 20_000,
            Command::Restart {
                node: NodeId::Broker(3),
            },
        ),
    ];
    s.limits.max_trace_events = 1_000_000;
    s
}

/// The transactional pipeline benchmark (BENCHMARKS.md): the bench scenario's input (3 brokers,
/// 6 input partitions, `records` keyed records 1 ms apart, the same faults) read by a
/// consume-transform-produce application (C1 with transactional P2, 500 records per poll) that
/// writes a 6-partition output topic, read by a read_committed consumer (C2).
pub fn bench_pipeline_scenario(records: u32) -> Scenario {
    use super::config::{IsolationLevel, OffsetReset};
    use super::ids::NodeId;
    use super::scenario::{CommitMode, ConsumerSpec, OutputTopicSpec, ProducerSpec};
    let mut s = bench_scenario(records);
    s.name = "pipeline benchmark".into();
    // A transaction per poll takes a few round trips: time for the pipeline to catch up.
    s.duration_ms += u64::from(records) + 60_000;
    s.output_topic = Some(OutputTopicSpec {
        name: "out".into(),
        partitions: 6,
    });
    let mut out = ProducerSpec::default();
    out.config.transactional_id = Some("app-0".into());
    out.workload.records = 0;
    s.producers.push(out);
    let app = &mut s.consumers[0];
    app.config.enable_auto_commit = Some(false);
    app.config.isolation_level = Some(IsolationLevel::ReadCommitted);
    app.app.commit = CommitMode::Transaction;
    app.app.output_producer = Some(NodeId::Producer(2));
    let mut reader = ConsumerSpec {
        topic: Some("out".into()),
        ..ConsumerSpec::default()
    };
    reader.config.group_id = Some("downstream".into());
    reader.config.isolation_level = Some(IsolationLevel::ReadCommitted);
    reader.config.auto_offset_reset = Some(OffsetReset::Earliest);
    reader.app.processing_ms = 0;
    reader.app.poll_timeout_ms = 100;
    s.consumers.push(reader);
    s
}

/// The scenario with this name, parsed and validated.
pub fn scenario(name: &str) -> Option<Result<Scenario, ScenarioError>> {
    CATALOGUE
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, json)| Scenario::from_json(json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_is_the_default_scenario() {
        assert_eq!(scenario("hello").unwrap().unwrap(), Scenario::default());
    }

    #[test]
    fn every_catalogue_scenario_parses() {
        for (name, json) in CATALOGUE {
            if let Err(e) = Scenario::from_json(json) {
                panic!("{name}: {e}");
            }
        }
    }
}
