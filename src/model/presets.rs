//! Configuration presets: the rows of the explorer's matrix and of the side-by-side view.
//!
//! A preset is a function `Scenario -> Scenario` that overrides delivery settings (producer,
//! consumer, consuming application's commit mode, topic durability settings) and keeps the
//! topology (brokers, partitions, replication factor, assignment), the network, the workload, the
//! fault script and the seed, so two presets live through the same story. Ids are stable (they go
//! into links and saved results); names are English, and the UI translates labels by id.
//!
//! Sources: Kafka `design.html` §4.6 (message delivery semantics), KIP-679 (acks=all and
//! idempotence by default since 3.0), spec §2.1, §4.3, §9 (S2, S6, S8, S12, S13, S22).

use super::config::{Acks, ConsumerConfig, ProducerConfig};
use super::scenario::{CommitMode, Scenario};
use serde::{Deserialize, Serialize};

/// One configuration preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preset {
    /// Stable id, kebab-case: the UI's translation key and the JSON name.
    pub id: &'static str,
    /// English name.
    pub name: &'static str,
    /// What it sets, in one English sentence.
    pub summary: &'static str,
}

/// The user's own configuration: the scenario as given.
pub const AS_GIVEN: &str = "as-given";

/// Every preset, in the matrix's row order. The user's own configuration comes first.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: AS_GIVEN,
        name: "Your configuration",
        summary: "The scenario exactly as given.",
    },
    Preset {
        id: "kafka-defaults",
        name: "Kafka defaults",
        summary: "acks=all, idempotent producer, auto-commit every 5 s, min.insync.replicas=1.",
    },
    Preset {
        id: "at-most-once",
        name: "At most once",
        summary: "acks=0; the consumer commits before processing.",
    },
    Preset {
        id: "at-least-once",
        name: "At least once",
        summary: "acks=all, retries, idempotence off, one request in flight, \
                  min.insync.replicas=2; the consumer commits after processing.",
    },
    Preset {
        id: "idempotent",
        name: "Idempotent producer",
        summary: "acks=all, enable.idempotence=true, min.insync.replicas=2; the consumer \
                  commits after processing.",
    },
    Preset {
        id: "unsafe-acks-1",
        name: "Unsafe: acks=1",
        summary: "The leader answers once it has appended, before any follower has a copy.",
    },
    Preset {
        id: "unsafe-retries",
        name: "Unsafe: retries without idempotence",
        summary: "enable.idempotence=false with retries and \
                  max.in.flight.requests.per.connection=5.",
    },
    Preset {
        id: "unsafe-unclean-election",
        name: "Unsafe: unclean leader election",
        summary: "unclean.leader.election.enable=true: an out-of-sync replica may lead.",
    },
];

/// The preset with this id.
pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

/// The scenario with a preset's settings; `None` for an unknown id. The name gains the preset's
/// name in brackets; topology, network, workload, faults, seed, duration and limits are kept.
pub fn apply(id: &str, scenario: &Scenario) -> Option<Scenario> {
    let p = preset(id)?;
    let mut s = scenario.clone();
    if id == AS_GIVEN {
        return Some(s);
    }
    let min_isr_2 = s.topic.replication_factor.clamp(1, 2);
    // Settings not about delivery (group, offset reset, poll size) are kept from the scenario.
    let consumer = |c: &ConsumerConfig, auto_commit: Option<bool>| ConsumerConfig {
        enable_auto_commit: auto_commit,
        auto_commit_interval_ms: None,
        ..c.clone()
    };
    let (producer, auto_commit, commit, min_isr, unclean) = match id {
        "kafka-defaults" => (ProducerConfig::default(), None, CommitMode::None, 1, false),
        "at-most-once" => (
            with_acks(Acks::Zero),
            Some(false),
            CommitMode::BeforeProcessing,
            1,
            false,
        ),
        "at-least-once" => (
            ProducerConfig {
                acks: Some(Acks::All),
                enable_idempotence: Some(false),
                max_in_flight_requests_per_connection: Some(1),
                ..Default::default()
            },
            Some(false),
            CommitMode::AfterProcessing,
            min_isr_2,
            false,
        ),
        "idempotent" => (
            ProducerConfig {
                acks: Some(Acks::All),
                enable_idempotence: Some(true),
                ..Default::default()
            },
            Some(false),
            CommitMode::AfterProcessing,
            min_isr_2,
            false,
        ),
        "unsafe-acks-1" => (with_acks(Acks::One), None, CommitMode::None, 1, false),
        "unsafe-retries" => (
            ProducerConfig {
                acks: Some(Acks::All),
                enable_idempotence: Some(false),
                max_in_flight_requests_per_connection: Some(5),
                ..Default::default()
            },
            None,
            CommitMode::None,
            1,
            false,
        ),
        "unsafe-unclean-election" => (ProducerConfig::default(), None, CommitMode::None, 1, true),
        _ => return None,
    };
    for spec in &mut s.producers {
        spec.config = producer.clone();
    }
    for spec in &mut s.consumers {
        spec.config = consumer(&spec.config, auto_commit);
        spec.app.commit = commit;
    }
    s.topic.min_insync_replicas = min_isr;
    s.topic.unclean_leader_election_enable = unclean;
    s.name = format!("{} [{}]", s.name, p.name);
    Some(s)
}

fn with_acks(acks: Acks) -> ProducerConfig {
    ProducerConfig {
        acks: Some(acks),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_keeps_the_story_and_gives_a_valid_scenario() {
        let base = super::super::catalogue::scenario("s13-commit-after-processing-duplicates")
            .unwrap()
            .unwrap();
        for p in PRESETS {
            let s = apply(p.id, &base).unwrap();
            s.validate().unwrap_or_else(|e| panic!("{}: {e}", p.id));
            assert_eq!(s.seed, base.seed);
            assert_eq!(s.faults, base.faults);
            assert_eq!(s.producers[0].workload, base.producers[0].workload);
            assert_eq!(s.topic.partitions, base.topic.partitions);
        }
        assert_eq!(apply(AS_GIVEN, &base).unwrap(), base);
        assert!(apply("no-such-preset", &base).is_none());
    }

    #[test]
    fn preset_ids_are_unique() {
        let mut ids: Vec<&str> = PRESETS.iter().map(|p| p.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), PRESETS.len());
    }
}
