//! Which delivery guarantee a configuration gives end to end, and which setting decides it.
//!
//! The configuration panel's badge. A scenario's settings are read the way the model reads them
//! (`ProducerConfig::resolve`, so a setting that conflicts with idempotence silently disables it,
//! spec §2.1) and turned into findings: ways a record can be lost, written or processed twice, or
//! reordered, each with the settings that cause it. The headline is the weakest link: any way to
//! lose a record names the guarantee (at most once, or "acknowledged writes can be lost" for the
//! durability holes of the loss matrix, spec §3.6); otherwise it is at least once, and exactly
//! once needs transactions (KIP-98), which the model does not run yet.
//!
//! The first producer and the first consumer speak for the scenario (presets and the panel set
//! every client alike).

use crate::model::config::{Acks, EffectiveConsumerConfig, OffsetReset, ProducerConfig};
use crate::model::refusal::ConfigProblem;
use crate::model::scenario::{CommitMode, Processing, Scenario};
use serde::Serialize;

/// A Kafka setting, or one of the application's choices as the scenario models them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub name: &'static str,
    pub value: String,
}

impl Setting {
    fn new(name: &'static str, value: impl ToString) -> Self {
        Self {
            name,
            value: value.to_string(),
        }
    }
}

impl std::fmt::Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.name, self.value)
    }
}

/// The end-to-end guarantee, named by its weakest link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guarantee {
    /// A record can be lost by design (nobody waits, or the offset is committed first).
    AtMostOnce,
    /// A record the producer was told was written can disappear (spec §3.6).
    AckedWritesCanBeLost,
    /// Nothing acknowledged is lost; records can be written or processed twice.
    AtLeastOnce,
}

/// What a finding does to the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Loss(Guarantee),
    Duplicates,
    Reorders,
    /// Worth knowing; changes neither loss nor duplicates by itself.
    Caveat,
}

/// One way the configuration lets a record be lost, duplicated or reordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Finding {
    /// `acks=0`: success once the request leaves the socket; retries have no effect (S1).
    AcksZero,
    /// `acks=1`: the leader answers before any follower has a copy (§3.6 L1, S2).
    AcksOne,
    /// `unclean.leader.election.enable=true`: an out-of-sync replica may lead (§3.6 U1, S22).
    UncleanElection,
    /// `replication.factor=1`: the only copy sits in one broker's page cache (§3.6 U2).
    SingleReplica,
    /// `retries=0`: a send that fails once is given up (the application is told).
    NoRetries,
    /// The application commits before processing (S12).
    CommitBeforeProcessing,
    /// Auto-commit while a worker thread processes: the commit runs ahead (S15).
    AsyncAutoCommit,
    /// `auto.offset.reset=latest`: without a committed offset the consumer skips to the end (§4.5).
    ResetLatest,
    /// `auto.offset.reset=none`: without a committed offset the consumer reads nothing (§4.5).
    ResetNone,
    /// Retries without idempotence: a lost ack makes a second copy (S6).
    RetriesWithoutIdempotence,
    /// Idempotence was not set and a conflicting setting switched it off (§2.1).
    IdempotenceSilentlyOff,
    /// The application re-sends after a producer restart: a new producer id, a second copy (S10).
    ResendAfterRestart,
    /// Auto-commit in the polling thread: a crash re-delivers since the last auto-commit (S14).
    AutoCommitRedelivers,
    /// Commit after processing: a crash re-delivers the batch being processed (S13).
    CommitAfterProcessing,
    /// Offsets committed inside the producer's transaction (consume-transform-produce, §6.6):
    /// outputs are exactly once for read_committed readers; side effects outside Kafka repeat
    /// with each aborted attempt.
    CommitInTransaction,
    /// Nothing is ever committed: a restarted consumer starts again from `earliest`.
    NeverCommits,
    /// Retries without idempotence and several requests in flight reorder records (S8).
    Reordering,
    /// With `min.insync.replicas=1` the leader alone may acknowledge (§3.6 U2/U3).
    MinIsrOne,
    /// `min.insync.replicas` above `replication.factor`: every `acks=all` write is refused.
    MinIsrAboveReplicas,
}

impl Finding {
    pub fn effect(self) -> Effect {
        use Finding::*;
        match self {
            AcksZero
            | NoRetries
            | CommitBeforeProcessing
            | AsyncAutoCommit
            | ResetLatest
            | ResetNone => Effect::Loss(Guarantee::AtMostOnce),
            AcksOne | UncleanElection | SingleReplica => {
                Effect::Loss(Guarantee::AckedWritesCanBeLost)
            }
            RetriesWithoutIdempotence
            | ResendAfterRestart
            | AutoCommitRedelivers
            | CommitAfterProcessing
            | CommitInTransaction
            | NeverCommits => Effect::Duplicates,
            Reordering => Effect::Reorders,
            IdempotenceSilentlyOff | MinIsrOne | MinIsrAboveReplicas => Effect::Caveat,
        }
    }
}

/// A finding with the settings that cause it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub finding: Finding,
    pub settings: Vec<Setting>,
}

/// What the producer side gives on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProducerSide {
    /// `acks=0`: at most once, nobody told of a loss.
    FireAndForget,
    /// `retries=0`: at most once, failures reported.
    NoRetries,
    /// `acks=1`: acknowledged writes can be lost on a leader failover.
    LeaderOnly,
    /// `acks=all` without idempotence: at least once, duplicates on retry.
    RetriesDuplicate,
    /// `acks=all` with idempotence: one copy per record within a producer session (S7, S9).
    Idempotent,
}

/// What the consuming application gives on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsumerSide {
    CommitsBeforeProcessing,
    AutoCommitAsync,
    AutoCommit,
    CommitsAfterProcessing,
    /// Consume-transform-produce: offsets in the output transaction.
    CommitsInTransaction,
    NeverCommits,
}

/// The badge: the guarantee, the settings that decide it, and every finding behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub guarantee: Guarantee,
    /// The settings of the finding that names the guarantee (all duplicate causes when it is at
    /// least once).
    pub deciding: Vec<Setting>,
    pub producer: Option<ProducerSide>,
    pub consumer: Option<ConsumerSide>,
    /// Every finding: losses first, in the order that names the guarantee, then duplicates,
    /// reordering and caveats.
    pub findings: Vec<Found>,
    /// Exactly once would need transactions (`transactional.id`, `isolation.level`, KIP-98).
    pub needs_transactions: bool,
}

/// The verdict for a scenario; `Err` with the model's message when the producer would refuse to
/// start (`ConfigException`, e.g. `enable.idempotence=true` with `acks=1`).
pub fn verdict(s: &Scenario) -> Result<Verdict, ConfigProblem> {
    let mut found = Vec::new();
    let producer = match s.producers.first() {
        Some(p) => Some(producer_findings(
            &p.config,
            p.workload.resend_on_failure,
            &mut found,
        )?),
        None => None,
    };
    let acks = producer_acks(s)?;
    topic_findings(s, acks, &mut found);
    let consumer = match s.consumers.first() {
        Some(c) => {
            let config = c.config.resolve()?;
            Some(consumer_findings(
                &config,
                c.app.commit,
                c.app.processing,
                &mut found,
            ))
        }
        None => None,
    };
    found.sort_by_key(|f| rank(f.finding));
    let loss = found.iter().find_map(|f| match f.finding.effect() {
        Effect::Loss(g) => Some((g, f.settings.clone())),
        _ => None,
    });
    let (guarantee, deciding) = loss.unwrap_or_else(|| {
        let mut deciding: Vec<Setting> = Vec::new();
        for f in found
            .iter()
            .filter(|f| f.finding.effect() == Effect::Duplicates)
        {
            for setting in &f.settings {
                if !deciding.contains(setting) {
                    deciding.push(setting.clone());
                }
            }
        }
        (Guarantee::AtLeastOnce, deciding)
    });
    Ok(Verdict {
        guarantee,
        deciding,
        producer,
        consumer,
        needs_transactions: guarantee == Guarantee::AtLeastOnce,
        findings: found,
    })
}

/// The order of findings: losses first, in declaration order (the first names the guarantee),
/// then duplicates, reordering and caveats.
fn rank(f: Finding) -> (u8, u8) {
    let bucket = match f.effect() {
        Effect::Loss(_) => 0,
        Effect::Duplicates => 1,
        Effect::Reorders => 2,
        Effect::Caveat => 3,
    };
    (bucket, f as u8)
}

fn producer_acks(s: &Scenario) -> Result<Option<Acks>, ConfigProblem> {
    s.producers
        .first()
        .map(|p| p.config.resolve().map(|c| c.acks))
        .transpose()
}

fn producer_findings(
    config: &ProducerConfig,
    resend_on_failure: bool,
    found: &mut Vec<Found>,
) -> Result<ProducerSide, ConfigProblem> {
    let c = config.resolve()?;
    let mut add = |finding, settings| found.push(Found { finding, settings });
    let acks = Setting::new("acks", c.acks);
    let idempotence = Setting::new("enable.idempotence", c.enable_idempotence);
    let retries = Setting::new("retries", c.retries);
    if c.acks == Acks::Zero {
        add(Finding::AcksZero, vec![acks]);
        return Ok(ProducerSide::FireAndForget);
    }
    if config.enable_idempotence.is_none() && !c.enable_idempotence {
        add(
            Finding::IdempotenceSilentlyOff,
            idempotence_conflict(config),
        );
    }
    if !c.enable_idempotence && c.retries > 0 {
        add(
            Finding::RetriesWithoutIdempotence,
            vec![idempotence.clone(), retries.clone()],
        );
        if c.max_in_flight_requests_per_connection > 1 {
            let in_flight = Setting::new(
                "max.in.flight.requests.per.connection",
                c.max_in_flight_requests_per_connection,
            );
            add(Finding::Reordering, vec![idempotence, in_flight]);
        }
    }
    if resend_on_failure {
        add(
            Finding::ResendAfterRestart,
            vec![Setting::new("workload.resend_on_failure", true)],
        );
    }
    if c.retries == 0 {
        add(Finding::NoRetries, vec![retries]);
    }
    Ok(if c.acks == Acks::One {
        add(Finding::AcksOne, vec![acks]);
        ProducerSide::LeaderOnly
    } else if c.retries == 0 {
        ProducerSide::NoRetries
    } else if c.enable_idempotence {
        ProducerSide::Idempotent
    } else {
        ProducerSide::RetriesDuplicate
    })
}

/// The setting that switched idempotence off, asked of the model: the same configuration with
/// `enable.idempotence=true` is refused, and the refusal names the conflict.
fn idempotence_conflict(config: &ProducerConfig) -> Vec<Setting> {
    let explicit = ProducerConfig {
        enable_idempotence: Some(true),
        ..config.clone()
    };
    let (Err(ConfigProblem::IdempotenceNeeds { needs, .. }), Ok(c)) =
        (explicit.resolve(), config.resolve())
    else {
        return Vec::new();
    };
    [
        Setting::new("acks", c.acks),
        Setting::new("retries", c.retries),
        Setting::new(
            "max.in.flight.requests.per.connection",
            c.max_in_flight_requests_per_connection,
        ),
    ]
    .into_iter()
    .filter(|s| s.name == needs.setting())
    .collect()
}

fn topic_findings(s: &Scenario, acks: Option<Acks>, found: &mut Vec<Found>) {
    let t = &s.topic;
    let rf = Setting::new("replication.factor", t.replication_factor);
    let min_isr = Setting::new("min.insync.replicas", t.min_insync_replicas);
    let mut add = |finding, settings| found.push(Found { finding, settings });
    if t.replication_factor == 1 {
        add(Finding::SingleReplica, vec![rf.clone()]);
    } else if t.unclean_leader_election_enable {
        let unclean = Setting::new("unclean.leader.election.enable", true);
        add(Finding::UncleanElection, vec![unclean]);
    }
    // min.insync.replicas is only checked for acks=all (spec §3.1).
    if acks == Some(Acks::All) {
        if t.min_insync_replicas > t.replication_factor {
            add(Finding::MinIsrAboveReplicas, vec![min_isr, rf]);
        } else if t.min_insync_replicas == 1 && t.replication_factor > 1 {
            add(Finding::MinIsrOne, vec![min_isr]);
        }
    }
}

fn consumer_findings(
    c: &EffectiveConsumerConfig,
    commit: CommitMode,
    processing: Processing,
    found: &mut Vec<Found>,
) -> ConsumerSide {
    let auto = Setting::new("enable.auto.commit", c.enable_auto_commit);
    let interval = Setting::new("auto.commit.interval.ms", c.auto_commit_interval_ms);
    let commit_s = Setting::new("app.commit", json_name(&commit));
    let processing_s = Setting::new("app.processing", json_name(&processing));
    let mut add = |finding, settings| found.push(Found { finding, settings });
    // The model's consuming application: an asynchronous worker never commits by hand; a
    // synchronous loop commits before or after processing, or leaves it to auto-commit.
    let side = match (processing, commit, c.enable_auto_commit) {
        (Processing::Async, _, true) => {
            add(Finding::AsyncAutoCommit, vec![auto, processing_s]);
            ConsumerSide::AutoCommitAsync
        }
        (Processing::Async, _, false) => {
            add(Finding::NeverCommits, vec![auto, processing_s]);
            ConsumerSide::NeverCommits
        }
        (Processing::Sync, CommitMode::BeforeProcessing, _) => {
            add(Finding::CommitBeforeProcessing, vec![commit_s]);
            ConsumerSide::CommitsBeforeProcessing
        }
        (Processing::Sync, CommitMode::AfterProcessing, _) => {
            add(Finding::CommitAfterProcessing, vec![commit_s]);
            ConsumerSide::CommitsAfterProcessing
        }
        (Processing::Sync, CommitMode::Transaction, _) => {
            add(Finding::CommitInTransaction, vec![commit_s]);
            ConsumerSide::CommitsInTransaction
        }
        (Processing::Sync, CommitMode::None, true) => {
            add(Finding::AutoCommitRedelivers, vec![auto, interval]);
            ConsumerSide::AutoCommit
        }
        (Processing::Sync, CommitMode::None, false) => {
            add(Finding::NeverCommits, vec![auto, commit_s]);
            ConsumerSide::NeverCommits
        }
    };
    let reset = Setting::new("auto.offset.reset", json_name(&c.auto_offset_reset));
    match c.auto_offset_reset {
        OffsetReset::Latest => add(Finding::ResetLatest, vec![reset]),
        OffsetReset::None => add(Finding::ResetNone, vec![reset]),
        OffsetReset::Earliest => {}
    }
    side
}

/// The name a value has in the scenario format (`before_processing`, `latest`…).
pub fn json_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
#[path = "guarantee_tests.rs"]
mod tests;
