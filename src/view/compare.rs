//! Side by side: where two runs of the same scenario under two configurations first part, and
//! what differed first, in words.
//!
//! Two traces are compared as stories, not byte for byte: the transport (message ids, requests and
//! fetches in flight) and the producer's identity (`producer_id`, which only an idempotent
//! producer asks for) differ between configurations from the first millisecond without anything
//! having happened to a record. What the story keeps: records sent, appended, copied, cut,
//! acknowledged, polled, processed and committed; crashes, elections, ISR and high watermarks; and
//! each answer a leader sends to a produce request, since that is the moment `acks` decides
//! (Kafka `design.html` §4.7 "Replication": acks=1 answers once the leader has written, acks=all
//! once every in-sync replica has).
//!
//! Pure: [`crate::view::lockstep`] keeps the two runs, the UI only draws the sentence.

use super::compare_text::CompareText as T;
use super::i18n::{tr, trf, Lang};
use crate::model::ids::{NodeId, Offset, PartitionId, RecordId};
use crate::model::payload::{ErrorCode, Payload};
use crate::model::trace::{EventKind, TraceEvent};
use crate::model::Millis;

/// One step of a story.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step<'a> {
    /// A trace event kept as it is.
    Event(&'a EventKind),
    /// A leader answered a produce request (the `ProduceResponse` leaving the broker).
    Answered {
        broker: NodeId,
        producer: NodeId,
        partition: PartitionId,
        record: RecordId,
        offset: Option<Offset>,
        error: Option<ErrorCode>,
    },
}

impl Step<'_> {
    /// The record this step acknowledges: a leader's successful answer, or an acks=0 producer
    /// counting a record as sent with no answer at all.
    pub fn acknowledges(&self) -> Option<RecordId> {
        match *self {
            Step::Answered {
                record,
                error: None,
                ..
            } => Some(record),
            Step::Event(EventKind::Acked {
                record,
                offset: None,
                ..
            }) => Some(*record),
            _ => None,
        }
    }
}

/// The story of one trace event, `None` for transport and identity.
pub fn story_step(kind: &EventKind) -> Option<Step<'_>> {
    match kind {
        EventKind::MessageSent {
            from,
            to,
            payload:
                Payload::ProduceResponse {
                    partition,
                    record,
                    base_offset,
                    error,
                    ..
                },
            ..
        } => Some(Step::Answered {
            broker: *from,
            producer: *to,
            partition: *partition,
            record: *record,
            offset: *base_offset,
            error: *error,
        }),
        EventKind::MessageSent { .. }
        | EventKind::MessageDelivered { .. }
        | EventKind::MessageDropped { .. }
        | EventKind::CommandApplied { .. }
        | EventKind::ProducerIdAssigned { .. }
        | EventKind::ProducerEpochBumped { .. }
        | EventKind::TraceLimitReached { .. } => None,
        kind => Some(Step::Event(kind)),
    }
}

/// A trace's story: each step with the index of its event in the trace.
pub fn story(trace: &[TraceEvent]) -> Vec<(usize, Step<'_>)> {
    trace
        .iter()
        .enumerate()
        .filter_map(|(i, e)| story_step(&e.kind).map(|s| (i, s)))
        .collect()
}

/// Where two stories part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Divergence {
    /// The first moment one run does something the other does not.
    pub at_ms: Millis,
    /// The index in the story (not the trace) of the first differing step.
    pub step: usize,
    /// Each side's first differing event, as an index into its trace (`None`: its story had ended).
    pub a: Option<usize>,
    pub b: Option<usize>,
}

/// The first moment the two traces tell different stories; `None` when they never do.
pub fn first_divergence(a: &[TraceEvent], b: &[TraceEvent]) -> Option<Divergence> {
    let (sa, sb) = (story(a), story(b));
    let step = sa
        .iter()
        .zip(&sb)
        .position(|((ia, x), (ib, y))| x != y || a[*ia].at_ms != b[*ib].at_ms)
        .or_else(|| (sa.len() != sb.len()).then(|| sa.len().min(sb.len())))?;
    let (ia, ib) = (sa.get(step).map(|s| s.0), sb.get(step).map(|s| s.0));
    let at_ms = match (ia, ib) {
        (Some(x), Some(y)) => a[x].at_ms.min(b[y].at_ms),
        (Some(x), None) => a[x].at_ms,
        (None, Some(y)) => b[y].at_ms,
        (None, None) => 0,
    };
    Some(Divergence {
        at_ms,
        step,
        a: ia,
        b: ib,
    })
}

/// One side of a comparison, for the sentences: its name ("A"), its trace, its replication factor.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    pub name: &'a str,
    pub trace: &'a [TraceEvent],
    pub replication_factor: u32,
}

/// The sentence saying when the runs part and what differed first.
pub fn divergence_text(d: Option<&Divergence>, a: Run<'_>, b: Run<'_>, lang: Lang) -> String {
    let Some(d) = d else {
        return tr(lang, T::NoDivergence).to_string();
    };
    let (sa, sb) = (story(a.trace), story(b.trace));
    let (act_a, act_b) = (acting(&a, &sa, d), acting(&b, &sb, d));
    let first = half(&a, &sa, act_a, act_b, d, lang);
    let second = half(&b, &sb, act_b, act_a, d, lang);
    trf(lang, T::Part, &[&d.at_ms.to_string(), &first, &second])
}

/// A run's differing step, if it happens at the moment the runs part.
fn acting<'t>(run: &Run, s: &[(usize, Step<'t>)], d: &Divergence) -> Option<(usize, Step<'t>)> {
    s.get(d.step)
        .copied()
        .filter(|(i, _)| run.trace[*i].at_ms == d.at_ms)
}

/// One run's half of the sentence: what it did at the divergence, or what it does instead.
fn half(
    run: &Run,
    s: &[(usize, Step)],
    mine: Option<(usize, Step)>,
    theirs: Option<(usize, Step)>,
    d: &Divergence,
    lang: Lang,
) -> String {
    match (mine, theirs) {
        (Some((i, step)), _) => trf(lang, T::Under, &[run.name, &describe(run, i, step, lang)]),
        (None, Some((_, step))) => counterpart(run, s, d.step, step, lang),
        (None, None) => trf(lang, T::Never, &[run.name]),
    }
}

/// What the run that did not act at the divergence does instead: the same thing later, or never.
fn counterpart(run: &Run, s: &[(usize, Step)], from: usize, other: Step, lang: Lang) -> String {
    let rest = s.get(from..).unwrap_or_default();
    if let Some(record) = other.acknowledges() {
        return match rest.iter().find(|(_, x)| x.acknowledges() == Some(record)) {
            Some(&(i, _)) => trf(
                lang,
                T::AckOnlyLater,
                &[
                    run.name,
                    &record.to_string(),
                    &run.trace[i].at_ms.to_string(),
                    &replicas_holding(run.trace, i, record).to_string(),
                    &run.replication_factor.to_string(),
                ],
            ),
            None => trf(lang, T::AckNever, &[run.name, &record.to_string()]),
        };
    }
    match rest.iter().find(|(_, x)| *x == other) {
        Some(&(i, _)) => trf(
            lang,
            T::OnlyLater,
            &[run.name, &run.trace[i].at_ms.to_string()],
        ),
        None => trf(lang, T::Never, &[run.name]),
    }
}

/// How many brokers hold `record` just before trace event `before`: appended or copied, and not
/// cut away since.
fn replicas_holding(trace: &[TraceEvent], before: usize, record: RecordId) -> usize {
    let mut holders: Vec<(NodeId, Offset)> = Vec::new();
    for e in &trace[..before.min(trace.len())] {
        match &e.kind {
            EventKind::Appended {
                broker,
                offset,
                record: r,
                ..
            }
            | EventKind::Replicated {
                broker,
                offset,
                record: r,
                ..
            } if *r == record => {
                holders.retain(|(b, _)| b != broker);
                holders.push((*broker, *offset));
            }
            EventKind::Truncated {
                broker,
                log_end_offset,
                ..
            } => holders.retain(|(b, o)| b != broker || o < log_end_offset),
            _ => {}
        }
    }
    holders.len()
}

/// One story step in words.
pub fn describe(run: &Run, index: usize, step: Step, lang: Lang) -> String {
    let s = |v: &dyn ToString| v.to_string();
    let f = |t: T, args: &[String]| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        trf(lang, t, &args)
    };
    let kind = match step {
        Step::Answered {
            broker,
            producer,
            record,
            error: None,
            ..
        } => {
            let holding = replicas_holding(run.trace, index, record);
            return f(
                T::Answered,
                &[
                    s(&broker),
                    s(&record),
                    s(&producer),
                    s(&holding),
                    s(&run.replication_factor),
                ],
            );
        }
        Step::Answered {
            broker,
            producer,
            record,
            error: Some(error),
            ..
        } => {
            return f(
                T::AnsweredError,
                &[s(&broker), s(&record), s(&producer), s(&error)],
            )
        }
        Step::Event(kind) => kind,
    };
    use EventKind as K;
    match kind {
        K::Acked {
            producer,
            record,
            offset: None,
        } => f(T::AckedBlind, &[s(producer), s(record)]),
        K::Acked {
            producer,
            record,
            offset: Some(o),
        } => f(T::Acked, &[s(producer), s(record), s(o)]),
        K::SendFailed {
            producer,
            record,
            error,
        } => f(T::SendFailed, &[s(producer), s(record), s(error)]),
        K::Retrying {
            producer,
            record,
            attempt,
            ..
        } => f(T::Retrying, &[s(producer), s(record), s(attempt)]),
        K::RecordSent {
            producer, record, ..
        } => f(T::RecordSent, &[s(producer), s(record)]),
        K::Appended {
            broker,
            partition,
            offset,
            record,
            ..
        } => f(
            T::Appended,
            &[s(broker), s(record), s(offset), s(partition)],
        ),
        K::Replicated {
            broker,
            partition,
            offset,
            record,
        } if crate::model::log::is_data(*record) => f(
            T::Replicated,
            &[s(broker), s(record), s(partition), s(offset)],
        ),
        K::Truncated {
            broker,
            partition,
            log_end_offset,
            removed,
            ..
        } => f(
            T::Truncated,
            &[s(broker), s(partition), s(log_end_offset), s(removed)],
        ),
        K::HighWatermark {
            broker,
            partition,
            high_watermark,
        } => f(
            T::HighWatermark,
            &[s(broker), s(partition), s(high_watermark)],
        ),
        K::IsrChanged { partition, isr } => {
            let names: Vec<String> = isr.iter().map(|b| NodeId::Broker(*b).to_string()).collect();
            f(T::Isr, &[s(partition), format!("{{{}}}", names.join(", "))])
        }
        K::LeaderElected {
            partition,
            leader,
            unclean,
            ..
        } => f(
            if *unclean {
                T::ElectedUnclean
            } else {
                T::Elected
            },
            &[s(leader), s(partition)],
        ),
        K::PartitionOffline { partition } => f(T::Offline, &[s(partition)]),
        K::NodeCrashed { node, .. } => f(T::Crashed, &[s(node)]),
        K::NodeRestarted { node } => f(T::Restarted, &[s(node)]),
        K::NodePaused { node } => f(T::Froze, &[s(node)]),
        K::NodeResumed { node, .. } => f(T::Woke, &[s(node)]),
        K::Polled {
            consumer, record, ..
        } => f(T::Polled, &[s(consumer), s(record)]),
        K::Processed {
            consumer, record, ..
        } => f(T::Processed, &[s(consumer), s(record)]),
        K::OffsetCommitted {
            consumer,
            partition,
            offset,
        } => f(T::Committed, &[s(consumer), s(offset), s(partition)]),
        K::PositionSet {
            consumer,
            partition,
            offset,
            ..
        } => f(T::PositionSet, &[s(consumer), s(partition), s(offset)]),
        K::PositionValidated {
            consumer,
            partition,
            offset,
            ..
        } => f(
            T::PositionValidated,
            &[s(consumer), s(partition), s(offset)],
        ),
        other => f(T::OtherEvent, &[variant_name(other)]),
    }
}

/// `GroupStateChanged` for `GroupStateChanged { … }`: the model's own name of an event kind.
fn variant_name(kind: &EventKind) -> String {
    let debug = format!("{kind:?}");
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
