//! Marks painted on the timeline: where the story's turning points are (crashes, elections,
//! losses, duplicates, commits), so a viewer can jump to them.

use crate::model::{EventKind, Millis, TraceEvent};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkKind {
    Crash,
    Restart,
    Election,
    Loss,
    Duplicate,
    Commit,
    /// A consumer group started a rebalance.
    Rebalance,
    /// Side by side: the first moment the two runs' stories part (`view::compare`).
    Divergence,
}

impl MarkKind {
    pub fn class(self) -> &'static str {
        match self {
            MarkKind::Crash => "mark mark-crash",
            MarkKind::Restart => "mark mark-restart",
            MarkKind::Election => "mark mark-election",
            MarkKind::Loss => "mark mark-loss",
            MarkKind::Duplicate => "mark mark-duplicate",
            MarkKind::Commit => "mark mark-commit",
            MarkKind::Rebalance => "mark mark-rebalance",
            MarkKind::Divergence => "mark mark-divergence",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub at_ms: Millis,
    pub kind: MarkKind,
}

/// The marks of a trace, at most one of each kind per virtual millisecond.
pub fn marks(trace: &[TraceEvent]) -> Vec<Mark> {
    // Per group: a record processed once by each of two groups is not a duplicate.
    let mut processed: BTreeMap<(String, u32), u32> = BTreeMap::new();
    let mut group_of: BTreeMap<crate::model::NodeId, String> = BTreeMap::new();
    let mut appended: BTreeMap<u32, u32> = BTreeMap::new();
    let mut out: Vec<Mark> = Vec::new();
    for e in trace {
        let kind = match &e.kind {
            EventKind::NodeCrashed { .. } | EventKind::NodePaused { .. } => Some(MarkKind::Crash),
            EventKind::NodeRestarted { .. } => Some(MarkKind::Restart),
            EventKind::LeaderElected { .. } | EventKind::PartitionOffline { .. } => {
                Some(MarkKind::Election)
            }
            EventKind::Truncated { removed, .. } if *removed > 0 => Some(MarkKind::Loss),
            EventKind::PartitionsAssigned {
                consumer, group, ..
            } => {
                group_of.insert(*consumer, group.clone());
                None
            }
            EventKind::GroupStateChanged {
                state: crate::model::group::GroupPhase::PreparingRebalance,
                ..
            } => Some(MarkKind::Rebalance),
            EventKind::Processed {
                record, consumer, ..
            } => {
                let group = group_of.get(consumer).cloned().unwrap_or_default();
                let n = processed.entry((group, *record)).or_insert(0);
                *n += 1;
                (*n == 2).then_some(MarkKind::Duplicate)
            }
            EventKind::Appended { record, .. } => {
                let n = appended.entry(*record).or_insert(0);
                *n += 1;
                (*n == 2).then_some(MarkKind::Duplicate)
            }
            EventKind::OffsetCommitted { .. } => Some(MarkKind::Commit),
            _ => None,
        };
        if let Some(kind) = kind {
            let mark = Mark {
                at_ms: e.at_ms,
                kind,
            };
            if !out.contains(&mark) {
                out.push(mark);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::World;

    fn marks_of(name: &str) -> Vec<Mark> {
        let s = crate::model::catalogue::scenario(name).unwrap().unwrap();
        let mut w = World::new(s.clone());
        w.run_until(s.duration_ms);
        marks(w.trace())
    }

    #[test]
    fn a_leader_crash_story_has_a_crash_an_election_and_a_truncation() {
        let m = marks_of("s02-acks-1-leader-crash");
        for kind in [MarkKind::Crash, MarkKind::Election, MarkKind::Loss] {
            assert!(m.iter().any(|x| x.kind == kind), "{kind:?} in {m:?}");
        }
    }

    #[test]
    fn processing_twice_is_marked_once_per_record() {
        let m = marks_of("s13-commit-after-processing-duplicates");
        assert!(m.iter().any(|x| x.kind == MarkKind::Duplicate));
    }

    #[test]
    fn rebalances_are_marked_and_one_processing_per_group_is_no_duplicate() {
        let m = marks_of("s17-slow-processing-rebalance-duplicates");
        assert!(m.iter().any(|x| x.kind == MarkKind::Rebalance));
        assert!(m.iter().any(|x| x.kind == MarkKind::Duplicate));
        let m = marks_of("groups-two-groups-each-get-every-record");
        assert!(!m.iter().any(|x| x.kind == MarkKind::Duplicate), "{m:?}");
    }
}
