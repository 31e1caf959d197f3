//! The explanation panel's sentences over catalogue stories, in both languages.

use super::*;
use crate::model::{Scenario, World};
use crate::view::i18n::check_catalogue;

fn story(name: &str, lang: Lang) -> Vec<Line> {
    let s: Scenario = crate::model::catalogue::scenario(name).unwrap().unwrap();
    let mut w = World::new(s.clone());
    w.run_until(s.duration_ms);
    explain(w.trace(), s.duration_ms, lang, usize::MAX)
}

#[test]
fn the_explanation_catalogue_is_complete() {
    check_catalogue::<ExplainText>(&[]);
}

#[test]
fn a_batch_and_its_retry_are_explained_as_one_unit() {
    let lines = story("s07b-lost-ack-batch-deduplicated", Lang::En);
    let has = |t: &str| lines.iter().any(|l| l.text.starts_with(t));
    assert!(has(
        "P1 sends one batch of 4 records (m1..m4) to B1 for p0 with sequence numbers 0..3"
    ));
    assert!(has(
        "P1 sends the whole batch m1..m4 (4 records) again (attempt 2) after REQUEST_TIMED_OUT"
    ));
    let ru = story("s07b-lost-ack-batch-deduplicated", Lang::Ru);
    assert!(ru
        .iter()
        .any(|l| l.text.contains("пакет из 4 записей (m1..m4)")));
}

#[test]
fn acks_1_loss_is_explained_as_lost_after_its_ack() {
    let lines = story("s02-acks-1-leader-crash", Lang::En);
    let lost = lines
        .iter()
        .find(|l| l.tone == Tone::Bad && l.text.starts_with("m1 is lost"))
        .expect("the loss of m1 is explained");
    assert!(lost.text.contains("offset 0"), "{}", lost.text);
}

#[test]
fn a_coordinator_move_is_told_with_the_offsets_partitions_name() {
    let lines = story("s02-acks-1-leader-crash", Lang::En);
    // At the start: who the coordinator is. After B1's crash: the election of the offsets
    // partition under its Kafka name, then the new coordinator's load.
    let loads: Vec<&Line> = lines
        .iter()
        .filter(|l| l.text.contains("coordinator: it loaded"))
        .collect();
    assert_eq!(loads.len(), 2, "{loads:?}");
    assert!(loads[0].text.starts_with("B1 leads __consumer_offsets-3"));
    assert!(loads[1].text.starts_with("B2 leads __consumer_offsets-3"));
    assert!(lines.iter().any(|l| l
        .text
        .starts_with("B2 became leader of __consumer_offsets-3")));
    let ru = story("s02-acks-1-leader-crash", Lang::Ru);
    assert!(ru.iter().any(
        |l| l.text.contains("__consumer_offsets-3") && l.text.contains("координатор группы g")
    ));
}

#[test]
fn a_cooperative_rebalance_is_told_in_two_steps() {
    let lines = story("groups-cooperative-rebalance", Lang::En);
    let has = |needle: &str| lines.iter().any(|l| l.text.contains(needle));
    assert!(has("C1 gives up p2, p3, which the new assignment moves to another member, and goes on reading p0, p1"));
    assert!(has(
        "C2 is a member of group g in generation 2 but owns no partition yet"
    ));
    assert!(has("C1 keeps p0, p1 in group g, generation 2"));
    assert!(
        !has("C2 owns p2, p3 in group g, generation 3 (cooperative"),
        "all new to C2"
    );
    assert!(has("C2 owns p2, p3 in group g, generation 3"));
    let ru = story("groups-cooperative-rebalance", Lang::Ru);
    assert!(ru
        .iter()
        .any(|l| l.text.contains("кооперативная ребалансировка")));
}

#[test]
fn retention_and_transactional_offsets_are_explained() {
    let lines = story("s25-retention-outruns-a-stopped-consumer", Lang::En);
    assert!(lines
        .iter()
        .any(|l| l.text.contains("past retention") && l.text.contains("log now starts")));
    let lines = story("s19p-pipeline-crash-before-commit", Lang::Ru);
    assert!(lines.iter().any(|l| l.text.contains("отброшены")));
    assert!(lines
        .iter()
        .any(|l| l.text.contains("зафиксированы вместе")));
}

#[test]
fn truncation_detection_after_the_unclean_election_is_explained() {
    let lines = story("s22-unclean-election-loses-acknowledged", Lang::En);
    let seek = lines
        .iter()
        .find(|l| l.text.contains("OffsetsForLeaderEpoch, KIP-320"))
        .expect("the validation is told");
    assert_eq!(seek.tone, Tone::Warning);
    assert!(
        seek.text
            .starts_with("C1 checked its position 5 on p0 with the new leader B2")
            && seek.text.contains("epoch 0 ends at offset 0")
            && seek.text.contains("seeks back to 0"),
        "{}",
        seek.text
    );
    let ru = story("s22-unclean-election-loses-acknowledged", Lang::Ru);
    assert!(ru
        .iter()
        .any(|l| l.text.contains("обнаружено усечение лога")));
}

#[test]
fn duplicate_processing_is_explained() {
    let lines = story("s13-commit-after-processing-duplicates", Lang::Ru);
    assert!(lines
        .iter()
        .any(|l| l.tone == Tone::Bad && l.text.contains("ПОВТОРНО")));
}

#[test]
fn a_rebalance_duplicate_and_the_refused_zombie_commit_are_explained() {
    let lines = story("s17-slow-processing-rebalance-duplicates", Lang::En);
    assert!(lines
        .iter()
        .any(|l| l.tone == Tone::Bad && l.text.contains("another member")));
    assert!(lines
        .iter()
        .any(|l| l.tone == Tone::Bad && l.text.contains("UNKNOWN_MEMBER_ID")));
    let two = story("groups-two-groups-each-get-every-record", Lang::Ru);
    assert!(
        !two.iter().any(|l| l.tone == Tone::Bad),
        "once per group is not a duplicate"
    );
}

#[test]
fn only_the_last_lines_are_kept() {
    let s = Scenario::default();
    let mut w = World::new(s.clone());
    w.run_until(s.duration_ms);
    let all = explain(w.trace(), s.duration_ms, Lang::En, usize::MAX);
    let last = explain(w.trace(), s.duration_ms, Lang::En, 3);
    assert_eq!(last, all[all.len() - 3..].to_vec());
}
