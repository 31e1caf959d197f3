//! Side by side: two configurations (presets) live through the same scenario and the same fault
//! script, run to the same end time; this finds the first moment their traces part and compares
//! their ledgers record by record.
//!
//! Pure: the UI (`ui/compare_panel.rs`) only draws a [`Comparison`].

use crate::model::checker::RecordVerdict;
use crate::model::ids::{Offset, RecordId};
use crate::model::ledger::Told;
use crate::model::presets;
use crate::model::trace::TraceEvent;
use crate::model::{Millis, Report, Scenario, World};

/// Where two traces part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Divergence {
    /// Index of the first differing event.
    pub index: usize,
    /// The earlier of the two differing events' times (or the only one's, when one trace ends).
    pub at_ms: Millis,
    /// Each side's event there, in words (`None`: that trace had ended).
    pub left: Option<String>,
    pub right: Option<String>,
}

/// The first event where two traces differ; `None` when they are identical.
pub fn first_divergence(left: &[TraceEvent], right: &[TraceEvent]) -> Option<Divergence> {
    let index = left
        .iter()
        .zip(right)
        .position(|(a, b)| a != b)
        .or_else(|| (left.len() != right.len()).then(|| left.len().min(right.len())))?;
    let (a, b) = (left.get(index), right.get(index));
    let at_ms = match (a, b) {
        (Some(a), Some(b)) => a.at_ms.min(b.at_ms),
        (Some(e), None) | (None, Some(e)) => e.at_ms,
        (None, None) => 0,
    };
    Some(Divergence {
        index,
        at_ms,
        left: a.map(event_words),
        right: b.map(event_words),
    })
}

/// An event in a few words: its kind and fields, cut to a readable length.
pub fn event_words(e: &TraceEvent) -> String {
    const MAX: usize = 90;
    let text = format!("{:?}", e.kind);
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// One record's fate in one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fate {
    /// "acked", "failed" or "—" (no answer).
    pub told: &'static str,
    pub in_log_at: Vec<Offset>,
    pub processed: u32,
    /// The checker's short names: "lost", "duplicate", …
    pub anomalies: Vec<String>,
}

impl Fate {
    fn of(v: &RecordVerdict) -> Self {
        Fate {
            told: match v.row.told {
                Told::Acked { .. } => "acked",
                Told::Failed { .. } => "failed",
                Told::Nothing => "—",
            },
            in_log_at: v.in_log_at.clone(),
            processed: v.row.processed,
            anomalies: v.anomalies.clone(),
        }
    }
}

/// A ledger row compared: `None` on a side that never saw the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowDiff {
    pub record: RecordId,
    pub left: Option<Fate>,
    pub right: Option<Fate>,
}

impl RowDiff {
    pub fn same(&self) -> bool {
        self.left == self.right
    }
}

/// Every record of either report, by record id, with its fate on each side.
pub fn ledger_diff(left: &Report, right: &Report) -> Vec<RowDiff> {
    let find = |r: &Report, id: RecordId| r.rows.iter().find(|v| v.row.record == id).map(Fate::of);
    let mut ids: Vec<RecordId> = left
        .rows
        .iter()
        .chain(&right.rows)
        .map(|v| v.row.record)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .map(|record| RowDiff {
            record,
            left: find(left, record),
            right: find(right, record),
        })
        .collect()
}

/// Two presets over one scenario, compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub divergence: Option<Divergence>,
    pub rows: Vec<RowDiff>,
}

/// Runs the scenario under both presets to the same end time and compares; `None` for an
/// unknown preset id.
pub fn compare(scenario: &Scenario, left: &str, right: &str) -> Option<Comparison> {
    let run = |id: &str| -> Option<World> {
        let mut w = World::new(presets::apply(id, scenario)?);
        w.run_until(scenario.duration_ms);
        Some(w)
    };
    let (a, b) = (run(left)?, run(right)?);
    Some(Comparison {
        divergence: first_divergence(a.trace(), b.trace()),
        rows: ledger_diff(&a.report(), &b.report()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::trace::EventKind;

    fn ev(at_ms: Millis, id: u64) -> TraceEvent {
        TraceEvent {
            at_ms,
            kind: EventKind::MessageDelivered { id },
        }
    }

    #[test]
    fn identical_traces_do_not_diverge() {
        let t = vec![ev(1, 1), ev(2, 2)];
        assert_eq!(first_divergence(&t, &t), None);
        assert_eq!(first_divergence(&[], &[]), None);
    }

    #[test]
    fn traces_part_at_the_first_differing_event_and_its_earlier_time() {
        let a = vec![ev(1, 1), ev(5, 2), ev(9, 3)];
        let b = vec![ev(1, 1), ev(4, 7)];
        let d = first_divergence(&a, &b).unwrap();
        assert_eq!((d.index, d.at_ms), (1, 4));
        assert_eq!(d.left.as_deref(), Some("MessageDelivered { id: 2 }"));
        assert_eq!(d.right.as_deref(), Some("MessageDelivered { id: 7 }"));
    }

    #[test]
    fn a_trace_that_ends_early_diverges_where_it_ends() {
        let a = vec![ev(1, 1)];
        let b = vec![ev(1, 1), ev(3, 2)];
        let d = first_divergence(&a, &b).unwrap();
        assert_eq!((d.index, d.at_ms, d.left.clone()), (1, 3, None));
    }

    #[test]
    fn the_same_preset_twice_gives_identical_runs() {
        let s = crate::model::explorer::bench_scenario();
        let c = compare(&s, "kafka-defaults", "kafka-defaults").unwrap();
        assert_eq!(c.divergence, None);
        assert_eq!(c.rows.len(), 20);
        assert!(c.rows.iter().all(RowDiff::same));
        assert!(compare(&s, "kafka-defaults", "no-such").is_none());
    }

    #[test]
    fn acks_0_and_acks_all_part_early_and_fate_differs_under_a_leader_crash() {
        let x = crate::model::explorer::Explorer::new(
            &crate::model::explorer::bench_scenario(),
            crate::model::explorer::ExploreOptions {
                presets: vec!["at-most-once".into()],
                ..Default::default()
            },
        )
        .finish();
        let cell = x.rows[0].cell(crate::model::explorer::Anomaly::AcknowledgedLost);
        let faulty = cell
            .shortest
            .clone()
            .expect("acks=0 loses under some fault")
            .scenario;
        let c = compare(&faulty, "at-most-once", "kafka-defaults").unwrap();
        assert!(c.divergence.is_some());
        let lost_left = c.rows.iter().filter(|r| {
            r.left
                .as_ref()
                .is_some_and(|f| f.anomalies.iter().any(|a| a.contains("lost")))
        });
        assert!(lost_left.count() > 0);
        assert!(c.rows.iter().any(|r| !r.same()));
    }
}
