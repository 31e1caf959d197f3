//! Tests of the guarantee badge's logic, one per row of the spec's loss matrix and §9 scenario.

use super::*;
use crate::model::catalogue;
use crate::model::config::ConsumerConfig;
use crate::model::presets::apply;

fn with_producer(f: impl FnOnce(&mut ProducerConfig)) -> Scenario {
    let mut s = Scenario::default();
    f(&mut s.producers[0].config);
    s
}

fn with_consumer(
    f: impl FnOnce(&mut ConsumerConfig, &mut CommitMode, &mut Processing),
) -> Scenario {
    let mut s = Scenario::default();
    let c = &mut s.consumers[0];
    f(&mut c.config, &mut c.app.commit, &mut c.app.processing);
    s
}

fn deciding(v: &Verdict) -> Vec<String> {
    v.deciding.iter().map(Setting::to_string).collect()
}

fn has(v: &Verdict, finding: Finding) -> Option<Vec<String>> {
    v.findings
        .iter()
        .find(|f| f.finding == finding)
        .map(|f| f.settings.iter().map(Setting::to_string).collect())
}

#[test]
fn kafkas_defaults_are_at_least_once_because_auto_commit_redelivers_after_a_crash() {
    let v = verdict(&Scenario::default()).unwrap();
    assert_eq!(v.guarantee, Guarantee::AtLeastOnce);
    assert_eq!(
        deciding(&v),
        ["enable.auto.commit=true", "auto.commit.interval.ms=5000"]
    );
    assert_eq!(v.producer, Some(ProducerSide::Idempotent));
    assert_eq!(v.consumer, Some(ConsumerSide::AutoCommit));
    assert!(v.needs_transactions);
    assert_eq!(
        has(&v, Finding::MinIsrOne).unwrap(),
        ["min.insync.replicas=1"]
    );
    assert!(has(&v, Finding::RetriesWithoutIdempotence).is_none());
}

#[test]
fn acks_0_is_at_most_once_and_acks_decides_it() {
    let v = verdict(&with_producer(|p| p.acks = Some(Acks::Zero))).unwrap();
    assert_eq!(v.guarantee, Guarantee::AtMostOnce);
    assert_eq!(deciding(&v), ["acks=0"]);
    assert_eq!(v.producer, Some(ProducerSide::FireAndForget));
    // Retries have no effect with acks=0: no duplicates from the producer.
    assert!(has(&v, Finding::RetriesWithoutIdempotence).is_none());
    assert!(!v.needs_transactions);
}

#[test]
fn acks_1_loses_acknowledged_writes_and_silently_disables_idempotence() {
    let v = verdict(&with_producer(|p| p.acks = Some(Acks::One))).unwrap();
    assert_eq!(v.guarantee, Guarantee::AckedWritesCanBeLost);
    assert_eq!(deciding(&v), ["acks=1"]);
    assert_eq!(
        has(&v, Finding::IdempotenceSilentlyOff).unwrap(),
        ["acks=1"]
    );
    assert_eq!(
        has(&v, Finding::RetriesWithoutIdempotence).unwrap(),
        ["enable.idempotence=false", "retries=2147483647"]
    );
    assert_eq!(
        has(&v, Finding::Reordering).unwrap(),
        [
            "enable.idempotence=false",
            "max.in.flight.requests.per.connection=5"
        ]
    );
}

#[test]
fn an_explicit_idempotence_that_conflicts_is_refused_like_kafka_does() {
    let e = verdict(&with_producer(|p| {
        p.acks = Some(Acks::One);
        p.enable_idempotence = Some(true);
    }))
    .unwrap_err();
    assert_eq!(
        e,
        ConfigProblem::IdempotenceNeeds {
            transactional: false,
            needs: crate::model::refusal::IdempotenceNeed::AcksAll,
        }
    );
    assert_eq!(
        e.to_string(),
        "enable.idempotence is true, so acks must be all"
    );
}

#[test]
fn six_requests_in_flight_switch_idempotence_off_and_the_badge_names_that_setting() {
    let v = verdict(&with_producer(|p| {
        p.max_in_flight_requests_per_connection = Some(6)
    }))
    .unwrap();
    assert_eq!(
        has(&v, Finding::IdempotenceSilentlyOff).unwrap(),
        ["max.in.flight.requests.per.connection=6"]
    );
    assert_eq!(v.producer, Some(ProducerSide::RetriesDuplicate));
    assert_eq!(v.guarantee, Guarantee::AtLeastOnce);
    assert_eq!(
        deciding(&v)[..2],
        ["enable.idempotence=false", "retries=2147483647"]
    );
}

#[test]
fn no_retries_is_at_most_once() {
    let v = verdict(&with_producer(|p| p.retries = Some(0))).unwrap();
    assert_eq!(v.guarantee, Guarantee::AtMostOnce);
    assert_eq!(deciding(&v), ["retries=0"]);
    assert_eq!(v.producer, Some(ProducerSide::NoRetries));
    assert_eq!(
        has(&v, Finding::IdempotenceSilentlyOff).unwrap(),
        ["retries=0"]
    );
}

#[test]
fn unclean_election_and_a_single_replica_lose_acknowledged_writes() {
    let mut s = Scenario::default();
    s.topic.unclean_leader_election_enable = true;
    let v = verdict(&s).unwrap();
    assert_eq!(v.guarantee, Guarantee::AckedWritesCanBeLost);
    assert_eq!(deciding(&v), ["unclean.leader.election.enable=true"]);
    s.topic.replication_factor = 1;
    let v = verdict(&s).unwrap();
    assert_eq!(deciding(&v), ["replication.factor=1"]);
    assert!(
        has(&v, Finding::MinIsrOne).is_none(),
        "one replica: nothing to shrink"
    );
}

#[test]
fn min_isr_above_the_replication_factor_refuses_every_acks_all_write() {
    let mut s = Scenario::default();
    s.topic.replication_factor = 2;
    s.topic.min_insync_replicas = 3;
    let v = verdict(&s).unwrap();
    assert_eq!(
        has(&v, Finding::MinIsrAboveReplicas).unwrap(),
        ["min.insync.replicas=3", "replication.factor=2"]
    );
}

#[test]
fn the_consumers_commit_choices_name_their_guarantee() {
    let before = with_consumer(|c, commit, _| {
        c.enable_auto_commit = Some(false);
        *commit = CommitMode::BeforeProcessing;
    });
    let v = verdict(&before).unwrap();
    assert_eq!(v.guarantee, Guarantee::AtMostOnce);
    assert_eq!(deciding(&v), ["app.commit=before_processing"]);
    let async_auto = with_consumer(|_, _, p| *p = Processing::Async);
    let v = verdict(&async_auto).unwrap();
    assert_eq!(v.consumer, Some(ConsumerSide::AutoCommitAsync));
    assert_eq!(
        deciding(&v),
        ["enable.auto.commit=true", "app.processing=async"]
    );
    let never = with_consumer(|c, _, _| c.enable_auto_commit = Some(false));
    let v = verdict(&never).unwrap();
    assert_eq!(v.consumer, Some(ConsumerSide::NeverCommits));
    assert_eq!(v.guarantee, Guarantee::AtLeastOnce);
    let latest = with_consumer(|c, _, _| c.auto_offset_reset = Some(OffsetReset::Latest));
    let v = verdict(&latest).unwrap();
    assert_eq!(v.guarantee, Guarantee::AtMostOnce);
    assert_eq!(deciding(&v), ["auto.offset.reset=latest"]);
}

#[test]
fn presets_give_the_guarantee_they_are_named_after() {
    let base = Scenario::default();
    let check = |id: &str, guarantee, expected: &[&str]| {
        let v = verdict(&apply(id, &base).unwrap()).unwrap();
        assert_eq!(v.guarantee, guarantee, "{id}");
        assert_eq!(deciding(&v), expected, "{id}");
        v
    };
    check(
        "kafka-defaults",
        Guarantee::AtLeastOnce,
        &["enable.auto.commit=true", "auto.commit.interval.ms=5000"],
    );
    let v = check("at-most-once", Guarantee::AtMostOnce, &["acks=0"]);
    assert_eq!(v.consumer, Some(ConsumerSide::CommitsBeforeProcessing));
    let v = check(
        "at-least-once",
        Guarantee::AtLeastOnce,
        &[
            "enable.idempotence=false",
            "retries=2147483647",
            "app.commit=after_processing",
        ],
    );
    assert!(
        has(&v, Finding::Reordering).is_none(),
        "one request in flight"
    );
    let v = check(
        "idempotent",
        Guarantee::AtLeastOnce,
        &["app.commit=after_processing"],
    );
    assert!(v.needs_transactions && has(&v, Finding::MinIsrOne).is_none());
    check(
        "unsafe-acks-1",
        Guarantee::AckedWritesCanBeLost,
        &["acks=1"],
    );
    let v = verdict(&apply("unsafe-retries", &base).unwrap()).unwrap();
    assert!(has(&v, Finding::Reordering).is_some());
    check(
        "unsafe-unclean-election",
        Guarantee::AckedWritesCanBeLost,
        &["unclean.leader.election.enable=true"],
    );
}

#[test]
fn catalogue_scenarios_get_the_verdict_their_story_shows() {
    let expect = [
        ("s01-acks-0-leader-crash", Guarantee::AtMostOnce, "acks=0"),
        (
            "s02-acks-1-leader-crash",
            Guarantee::AckedWritesCanBeLost,
            "acks=1",
        ),
        (
            "s06-lost-ack-no-idempotence-duplicates",
            Guarantee::AtLeastOnce,
            "enable.idempotence=false",
        ),
        (
            "s12-commit-before-processing-loses",
            Guarantee::AtMostOnce,
            "app.commit=before_processing",
        ),
        (
            "s13-commit-after-processing-duplicates",
            Guarantee::AtLeastOnce,
            "app.commit=after_processing",
        ),
        (
            "s15-auto-commit-async-processing-loses",
            Guarantee::AtMostOnce,
            "enable.auto.commit=true",
        ),
        (
            "s22-unclean-election-loses-acknowledged",
            Guarantee::AckedWritesCanBeLost,
            "unclean.leader.election.enable=true",
        ),
        (
            "s29-default-pipeline-failover",
            Guarantee::AtLeastOnce,
            "enable.auto.commit=true",
        ),
    ];
    for (name, guarantee, first) in expect {
        let s = catalogue::scenario(name).unwrap().unwrap();
        let v = verdict(&s).unwrap();
        assert_eq!(
            (v.guarantee, deciding(&v)[0].as_str()),
            (guarantee, first),
            "{name}"
        );
    }
    for (name, json) in catalogue::CATALOGUE {
        let s = Scenario::from_json(json).unwrap();
        assert!(verdict(&s).is_ok(), "{name}");
    }
}
