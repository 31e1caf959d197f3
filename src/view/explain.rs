//! The explanation panel's sentences: each event of the story in plain words, and, where a record
//! was lost or duplicated, why.
//!
//! Pure: the sentences come from the trace up to the cursor and the message catalogue. The "why"
//! sentences need what happened earlier (which offset a record was acknowledged at, how often it
//! was processed), so the whole prefix is folded, and only the last lines are kept.

use super::i18n::{trf, Lang};
use crate::model::commands::CrashMode;
use crate::model::trace::{PositionSource, TruncateReason, TxnState, Validation};
use crate::model::{EventKind, Millis, NodeId, Offset, PartitionId, RecordId, TraceEvent};
use std::collections::BTreeMap;

pub use super::explain_text::ExplainText;

mod groups;

/// How a line should look: most are neutral, losses and duplicates stand out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Warning,
    Bad,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub at_ms: Millis,
    pub text: String,
    pub tone: Tone,
}

/// The last `limit` sentences of the story up to `cursor_ms`, oldest first.
pub fn explain(trace: &[TraceEvent], cursor_ms: Millis, lang: Lang, limit: usize) -> Vec<Line> {
    let events = &trace[..trace.partition_point(|e| e.at_ms <= cursor_ms)];
    // First pass, without words: how many sentences each event makes, to find where the last
    // `limit` start. Only those are then put into words (this runs on every animation frame).
    let mut memory = Memory::default();
    let counts: Vec<usize> = events
        .iter()
        .map(|e| memory.sentences(&e.kind, None).len())
        .collect();
    let mut start = events.len();
    let mut tail = 0;
    while start > 0 && tail < limit {
        start -= 1;
        tail += counts[start];
    }
    let mut memory = Memory::default();
    let mut lines = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let words = (i >= start).then_some(lang);
        for (text, tone) in memory.sentences(&e.kind, words) {
            if i >= start {
                lines.push(Line {
                    at_ms: e.at_ms,
                    text,
                    tone,
                });
            }
        }
    }
    let skip = lines.len().saturating_sub(limit);
    lines.split_off(skip)
}

/// A sentence in `lang` with its tone; with `lang` None (counting only), an empty text.
fn say(lang: Option<Lang>, t: ExplainText, args: &[&dyn ToString], tone: Tone) -> (String, Tone) {
    let Some(lang) = lang else {
        return (String::new(), tone);
    };
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    (trf(lang, t, &refs), tone)
}

/// What earlier events taught us, for the "why" sentences.
#[derive(Debug, Clone, Default)]
pub(super) struct Memory {
    acked_at: BTreeMap<RecordId, (PartitionId, Offset)>,
    /// Who processed each record, per group ("" for consumers outside group management).
    processed: BTreeMap<(String, RecordId), Vec<NodeId>>,
    group_of: BTreeMap<NodeId, String>,
    /// The `__consumer_offsets` partitions seen so far: the model's number → Kafka's.
    offsets_partitions: BTreeMap<PartitionId, u32>,
}

impl Memory {
    /// How a partition is called in a sentence: `p2`, or `__consumer_offsets-33`.
    fn partition_name(&self, partition: PartitionId) -> String {
        match self.offsets_partitions.get(&partition) {
            Some(k) => format!("__consumer_offsets-{k}"),
            None => format!("p{partition}"),
        }
    }

    /// The sentences an event makes, after what came before. With `lang` None it only learns
    /// and counts (the texts are left empty).
    pub(super) fn sentences(
        &mut self,
        kind: &EventKind,
        lang: Option<Lang>,
    ) -> Vec<(String, Tone)> {
        use ExplainText as T;
        use Tone::*;
        let s = |t: T, args: &[&dyn ToString], tone: Tone| say(lang, t, args, tone);
        match kind {
            EventKind::NodeCrashed { node, mode } => match mode {
                CrashMode::Process => vec![s(T::Crashed, &[node], Warning)],
                CrashMode::PowerLoss => vec![s(T::PowerLost, &[node], Warning)],
            },
            EventKind::NodeRestarted { node } => vec![s(T::Restarted, &[node], Normal)],
            EventKind::NodePaused { node } => vec![s(T::Paused, &[node], Warning)],
            EventKind::NodeResumed { node, waited } => {
                vec![s(T::Resumed, &[node, waited], Normal)]
            }
            EventKind::BrokerFenced { broker } => vec![s(T::Fenced, &[broker], Warning)],
            EventKind::BrokerUnfenced { broker } => vec![s(T::Unfenced, &[broker], Normal)],
            EventKind::LeaderElected {
                partition,
                leader,
                leader_epoch,
                unclean,
            } => {
                let t = if *unclean {
                    T::ElectedUnclean
                } else {
                    T::Elected
                };
                let tone = if *unclean { Bad } else { Warning };
                let name = self.partition_name(*partition);
                vec![s(t, &[leader, &name, leader_epoch], tone)]
            }
            EventKind::PartitionOffline { partition } => {
                vec![s(T::Offline, &[&self.partition_name(*partition)], Bad)]
            }
            EventKind::IsrChanged { partition, isr } => {
                let names: Vec<String> = isr.iter().map(|b| format!("B{b}")).collect();
                vec![s(
                    T::Isr,
                    &[
                        &self.partition_name(*partition),
                        &format!("{{{}}}", names.join(", ")),
                    ],
                    Normal,
                )]
            }
            EventKind::Truncated {
                broker,
                partition,
                log_end_offset,
                removed,
                reason,
            } => {
                let t = match reason {
                    TruncateReason::LeaderEpoch => T::TruncatedEpoch,
                    TruncateReason::PowerLoss => T::TruncatedPower,
                };
                let name = self.partition_name(*partition);
                let mut out = vec![s(t, &[broker, &name, log_end_offset, removed], Warning)];
                let lost: Vec<(RecordId, Offset)> = self
                    .acked_at
                    .iter()
                    .filter(|(_, &(p, o))| {
                        p == *partition && o >= *log_end_offset && o != Offset::MAX
                    })
                    .map(|(&r, &(_, o))| (r, o))
                    .collect();
                if reason == &TruncateReason::LeaderEpoch {
                    for (r, o) in lost {
                        self.acked_at.remove(&r);
                        out.push(s(T::LostAfterAck, &[&r, &o], Bad));
                    }
                }
                out
            }
            EventKind::Appended {
                broker,
                partition,
                offset,
                record,
                ..
            } => vec![s(T::Appended, &[broker, partition, record, offset], Normal)],
            EventKind::Acked {
                producer,
                record,
                offset,
            } => match offset {
                Some(o) => {
                    if let Some(row) = self.acked_at.get(record).map(|&(p, _)| p) {
                        self.acked_at.insert(*record, (row, *o));
                    }
                    vec![s(T::Acked, &[producer, record, o], Normal)]
                }
                None => vec![s(T::AckedNoOffset, &[producer, record], Warning)],
            },
            EventKind::RecordSent {
                record, partition, ..
            } => {
                self.acked_at
                    .entry(*record)
                    .or_insert((*partition, Offset::MAX));
                vec![]
            }
            EventKind::SendFailed {
                producer,
                record,
                error,
            } => vec![s(T::SendFailed, &[producer, record, error], Warning)],
            EventKind::Retrying {
                producer,
                record,
                more,
                attempt,
                error,
            } if more.is_empty() => {
                vec![s(T::Retrying, &[producer, record, attempt, error], Warning)]
            }
            EventKind::Retrying {
                producer,
                record,
                more,
                attempt,
                error,
            } => {
                let label = crate::model::BatchLabel {
                    first: *record,
                    more,
                };
                let n = more.len() + 1;
                vec![s(
                    T::RetryingBatch,
                    &[producer, &label, &n, attempt, error],
                    Warning,
                )]
            }
            EventKind::MessageSent {
                from,
                to,
                payload:
                    crate::model::Payload::Produce {
                        partition,
                        record,
                        more,
                        sequence,
                        ..
                    },
                ..
            } if !more.is_empty() => {
                let label = crate::model::BatchLabel {
                    first: *record,
                    more,
                };
                let n = more.len() + 1;
                if *sequence >= 0 {
                    let last = i64::from(*sequence) + more.len() as i64;
                    vec![s(
                        T::BatchSentSequenced,
                        &[from, &n, &label, to, partition, sequence, &last],
                        Normal,
                    )]
                } else {
                    vec![s(T::BatchSent, &[from, &n, &label, to, partition], Normal)]
                }
            }
            EventKind::Polled {
                consumer,
                partition,
                offset,
                record,
            } => vec![s(T::Polled, &[consumer, record, partition, offset], Normal)],
            EventKind::Processed {
                consumer, record, ..
            } => {
                let group = self.group_of.get(consumer).cloned().unwrap_or_default();
                let by = self.processed.entry((group.clone(), *record)).or_default();
                by.push(*consumer);
                let n = by.len();
                if n > 1 && by.iter().any(|c| c != consumer) {
                    vec![s(
                        T::ProcessedByAnother,
                        &[consumer, record, &n, &group],
                        Bad,
                    )]
                } else if n > 1 {
                    vec![s(T::ProcessedAgain, &[consumer, record, &n], Bad)]
                } else {
                    vec![s(T::Processed, &[consumer, record], Normal)]
                }
            }
            EventKind::OffsetCommitted {
                consumer,
                partition,
                offset,
            } => vec![s(T::Committed, &[consumer, offset, partition], Normal)],
            EventKind::PositionSet {
                consumer,
                partition,
                offset,
                source,
            } => {
                let t = match source {
                    PositionSource::Committed => T::ResumeCommitted,
                    PositionSource::ResetEarliest => T::ResumeEarliest,
                    PositionSource::ResetLatest => T::ResumeLatest,
                    // The validation just before said where it goes and why.
                    PositionSource::Diverged => return Vec::new(),
                };
                vec![s(t, &[consumer, partition, offset], Normal)]
            }
            EventKind::PositionValidated {
                consumer,
                partition,
                offset,
                leader_epoch,
                broker,
                end,
                outcome,
            } => {
                let (t, tone) = match outcome {
                    Validation::Valid => (T::ValidatedOk, Normal),
                    Validation::SeekToDivergence => (T::ValidatedSeek, Warning),
                    Validation::Reset => (T::ValidatedReset, Warning),
                    Validation::LogTruncation => (T::ValidatedStop, Bad),
                };
                let (epoch, end) = end.unwrap_or((*leader_epoch, 0));
                vec![s(
                    t,
                    &[consumer, partition, offset, broker, &epoch, &end],
                    tone,
                )]
            }
            EventKind::ConsumerClosed { consumer } => vec![s(T::Closed, &[consumer], Normal)],
            EventKind::LinkCut { a, b } => vec![s(T::LinkCut, &[a, b], Warning)],
            EventKind::LinkHealed { a, b } => vec![s(T::LinkHealed, &[a, b], Normal)],
            EventKind::MessageDropped { id, .. } => vec![s(T::Dropped, &[id], Warning)],
            EventKind::ProducerIdAssigned {
                producer,
                producer_id,
                producer_epoch,
            } => vec![s(
                T::ProducerId,
                &[producer, producer_id, producer_epoch],
                Normal,
            )],
            EventKind::ProducerEpochBumped {
                producer,
                producer_epoch,
            } => vec![s(T::EpochBumped, &[producer, producer_epoch], Warning)],
            EventKind::InvariantViolated {
                invariant,
                node,
                partition,
            } => vec![s(
                T::Invariant,
                &[
                    node,
                    &self.partition_name(*partition),
                    &format!("{invariant:?}"),
                ],
                Bad,
            )],
            EventKind::TransactionBegan {
                producer,
                producer_id,
                producer_epoch,
            } => vec![s(
                T::TxnBegan,
                &[producer, producer_id, producer_epoch],
                Normal,
            )],
            EventKind::TxnStateChanged {
                coordinator,
                producer_id,
                producer_epoch,
                state,
                partitions,
                ..
            } => {
                let ps: Vec<String> = partitions.iter().map(|p| format!("p{p}")).collect();
                let ps = ps.join(", ");
                let (t, tone) = match state {
                    TxnState::Empty => (T::TxnEmpty, Normal),
                    TxnState::Ongoing => (T::TxnOngoing, Normal),
                    TxnState::PrepareCommit => (T::TxnPrepareCommit, Normal),
                    TxnState::PrepareAbort => (T::TxnPrepareAbort, Warning),
                    TxnState::PrepareEpochFence => {
                        return vec![s(
                            T::TxnFence,
                            &[coordinator, producer_id, producer_epoch],
                            Warning,
                        )]
                    }
                    TxnState::CompleteCommit | TxnState::CompleteAbort => {
                        let name = format!("{state:?}");
                        return vec![s(
                            T::TxnComplete,
                            &[coordinator, producer_id, &name],
                            Normal,
                        )];
                    }
                };
                let third: &dyn ToString = if t == T::TxnEmpty {
                    producer_epoch
                } else {
                    &ps
                };
                vec![s(t, &[coordinator, producer_id, third], tone)]
            }
            EventKind::MarkerAppended {
                broker,
                partition,
                offset,
                commit,
                ..
            } => {
                let t = if *commit {
                    T::MarkerCommit
                } else {
                    T::MarkerAbort
                };
                vec![s(
                    t,
                    &[broker, &self.partition_name(*partition), offset],
                    Normal,
                )]
            }
            EventKind::LastStableOffset {
                broker,
                partition,
                last_stable_offset,
            } => {
                let name = self.partition_name(*partition);
                vec![s(T::Lso, &[broker, &name, last_stable_offset], Normal)]
            }
            EventKind::ProducerFenced {
                producer,
                producer_epoch,
            } => vec![s(T::ProducerFenced, &[producer, producer_epoch], Bad)],
            EventKind::TxnTimedOut {
                producer_id,
                producer_epoch,
            } => vec![s(T::TxnTimedOut, &[producer_id, producer_epoch], Warning)],
            EventKind::SegmentsDeleted {
                broker,
                partition,
                log_start_offset,
                removed,
            } => vec![s(
                T::SegmentsDeleted,
                &[broker, removed, partition, log_start_offset],
                Warning,
            )],
            EventKind::TxnOffsetsPending {
                coordinator,
                producer_id,
                group,
                offsets,
            } => {
                let os: Vec<String> = offsets.iter().map(|(p, o)| format!("p{p}={o}")).collect();
                let os = os.join(", ");
                vec![s(
                    T::TxnOffsetsPending,
                    &[coordinator, group, &os, producer_id],
                    Normal,
                )]
            }
            EventKind::TxnOffsetsDecided {
                producer_id,
                group,
                commit,
                ..
            } => {
                let (t, tone) = if *commit {
                    (T::TxnOffsetsCommitted, Normal)
                } else {
                    (T::TxnOffsetsDropped, Warning)
                };
                vec![s(t, &[group, producer_id], tone)]
            }
            kind => self.group_sentences(kind, lang),
        }
    }
}

#[cfg(test)]
#[path = "explain_tests.rs"]
mod tests;
