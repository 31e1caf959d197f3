//! The explanation panel's sentences for consumer-group events (spec §5): rebalances,
//! assignments, revocations, removed members, refused commits, and the group coordinator's
//! `__consumer_offsets` log.

use super::{say, ExplainText, Memory, Tone};
use crate::model::group::{GroupPhase, RemoveReason};
use crate::model::{ErrorCode, EventKind, PartitionId};
use crate::view::i18n::{trf, Lang};

impl Memory {
    /// Consumer-group events (spec §5).
    pub(super) fn group_sentences(
        &mut self,
        kind: &EventKind,
        lang: Option<Lang>,
    ) -> Vec<(String, Tone)> {
        use ExplainText as T;
        use Tone::*;
        let s = |t: T, args: &[&dyn ToString], tone: Tone| say(lang, t, args, tone);
        let list = |ps: &[PartitionId]| {
            ps.iter()
                .map(|p| format!("p{p}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match kind {
            EventKind::GroupStateChanged {
                group,
                state,
                generation,
            } => match state {
                GroupPhase::PreparingRebalance => vec![s(T::GroupPreparing, &[group], Warning)],
                GroupPhase::CompletingRebalance => {
                    vec![s(T::GroupCompleting, &[group, generation], Normal)]
                }
                GroupPhase::Stable => vec![s(T::GroupStable, &[group, generation], Normal)],
                GroupPhase::Empty => vec![s(T::GroupEmpty, &[group], Normal)],
            },
            EventKind::PartitionsAssigned {
                consumer,
                group,
                generation,
                partitions,
                added,
            } => {
                self.group_of.insert(*consumer, group.clone());
                let kept = added
                    .as_ref()
                    .filter(|a| a.len() < partitions.len())
                    .map(|a| (a.is_empty(), list(a)));
                if let Some((nothing_new, new)) = kept {
                    let ps = list(partitions);
                    if nothing_new {
                        vec![s(
                            T::KeptCooperative,
                            &[consumer, &ps, group, generation],
                            Normal,
                        )]
                    } else {
                        vec![s(
                            T::AssignedCooperative,
                            &[consumer, &ps, group, generation, &new],
                            Normal,
                        )]
                    }
                } else if partitions.is_empty() && added.is_some() {
                    vec![s(
                        T::NothingYetCooperative,
                        &[consumer, group, generation],
                        Normal,
                    )]
                } else if partitions.is_empty() {
                    vec![s(
                        T::AssignedNothing,
                        &[consumer, group, generation],
                        Normal,
                    )]
                } else {
                    let ps = list(partitions);
                    vec![s(T::Assigned, &[consumer, &ps, group, generation], Normal)]
                }
            }
            EventKind::PartitionsRevoked {
                consumer,
                partitions,
                kept,
            } => match kept {
                None => vec![s(T::Revoked, &[consumer, &list(partitions)], Normal)],
                Some(k) if k.is_empty() => vec![s(
                    T::RevokedAllCooperative,
                    &[consumer, &list(partitions)],
                    Normal,
                )],
                Some(k) => vec![s(
                    T::RevokedKeeping,
                    &[consumer, &list(partitions), &list(k)],
                    Normal,
                )],
            },
            EventKind::MemberRemoved {
                group,
                consumer,
                reason,
            } => {
                let t = match reason {
                    RemoveReason::Left => T::MemberLeft,
                    RemoveReason::SessionTimeout => T::MemberExpired,
                    RemoveReason::RebalanceTimeout => T::MemberTooSlow,
                };
                vec![s(t, &[consumer, group], Warning)]
            }
            EventKind::PollIntervalExceeded { consumer } => {
                vec![s(T::PollExceeded, &[consumer], Warning)]
            }
            EventKind::CommitRejected {
                consumer,
                generation,
                error: ErrorCode::RebalanceInProgress,
                ..
            } => vec![s(T::CommitWaitsRebalance, &[consumer, generation], Warning)],
            EventKind::CommitRejected {
                consumer,
                generation,
                error,
                ..
            } => vec![s(T::CommitRejected, &[consumer, error, generation], Bad)],
            EventKind::CoordinatorLoaded {
                broker,
                group,
                offsets_partition,
                log_partition,
                committed,
            } => {
                self.offsets_partitions
                    .insert(*log_partition, *offsets_partition);
                let os: Vec<String> = committed.iter().map(|(p, o)| format!("p{p}={o}")).collect();
                let os = if os.is_empty() {
                    lang.map(|l| trf(l, T::NoOffsets, &[])).unwrap_or_default()
                } else {
                    os.join(", ")
                };
                vec![s(
                    T::CoordinatorLoaded,
                    &[broker, offsets_partition, group, &os],
                    Normal,
                )]
            }
            EventKind::OffsetsLogAppended {
                broker,
                group,
                partition,
                offset,
                offsets_partition,
                log_offset,
                log_partition,
                ..
            } => {
                self.offsets_partitions
                    .insert(*log_partition, *offsets_partition);
                vec![s(
                    T::OffsetsLog,
                    &[
                        broker,
                        group,
                        partition,
                        offset,
                        offsets_partition,
                        log_offset,
                    ],
                    Normal,
                )]
            }
            _ => vec![],
        }
    }
}
