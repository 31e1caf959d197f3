//! The two ledgers of side by side, row by row: each record's line under A and under B, aligned
//! by record id, with the rows whose fates differ flagged and counted.
//!
//! Both sides are [`LedgerView`]s at the same cursor, so "on its way" on one side and "lost" on
//! the other is a difference the viewer sees appear while playing.

use super::ledger_view::{Fate, LedgerLine, LedgerView};
use crate::model::RecordId;

/// One record under both configurations (`None`: that run never sent it).
#[derive(Debug, Clone, PartialEq)]
pub struct ComparedRow {
    pub record: RecordId,
    pub a: Option<LedgerLine>,
    pub b: Option<LedgerLine>,
}

impl ComparedRow {
    /// The record fares differently: another fate, or sent in one run only.
    pub fn differs(&self) -> bool {
        self.a.as_ref().map(|l| l.fate) != self.b.as_ref().map(|l| l.fate)
    }

    /// The worse of the two fates, for the row's colour (`Fate` is ordered worst first).
    pub fn worst(&self) -> Option<Fate> {
        [&self.a, &self.b]
            .into_iter()
            .flatten()
            .map(|l| l.fate)
            .min()
    }

    /// The row's CSS classes: its worst fate, and whether the fates differ.
    pub fn class(&self) -> String {
        let fate = self.worst().map_or("fate-pending", Fate::class);
        if self.differs() {
            format!("{fate} differs")
        } else {
            fate.to_string()
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LedgerComparison {
    /// Every record of either ledger, by record id.
    pub rows: Vec<ComparedRow>,
    /// How many rows differ.
    pub differing: u32,
}

/// Aligns two ledgers by record id.
pub fn compare_ledgers(a: &LedgerView, b: &LedgerView) -> LedgerComparison {
    let mut ids: Vec<RecordId> = a.lines.iter().chain(&b.lines).map(|l| l.record).collect();
    ids.sort_unstable();
    ids.dedup();
    let find = |v: &LedgerView, id: RecordId| v.lines.iter().find(|l| l.record == id).cloned();
    let rows: Vec<ComparedRow> = ids
        .into_iter()
        .map(|record| ComparedRow {
            record,
            a: find(a, record),
            b: find(b, record),
        })
        .collect();
    let differing = rows.iter().filter(|r| r.differs()).count() as u32;
    LedgerComparison { rows, differing }
}

impl LedgerComparison {
    /// The rows worth drawing when there are many: every differing row first (up to `max`), then
    /// the newest of the others, in record order; and how many were left out.
    pub fn shown_rows(&self, max: usize) -> (Vec<&ComparedRow>, usize) {
        if self.rows.len() <= max {
            return (self.rows.iter().collect(), 0);
        }
        let mut keep: Vec<&ComparedRow> =
            self.rows.iter().filter(|r| r.differs()).take(max).collect();
        let room = max - keep.len();
        keep.extend(self.rows.iter().rev().filter(|r| !r.differs()).take(room));
        keep.sort_by_key(|r| r.record);
        let hidden = self.rows.len() - keep.len();
        (keep, hidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{catalogue, presets, Scenario, World};
    use crate::view::ledger_view::ledger_at;
    use crate::view::scene::Scene;

    fn ledger_of(scenario: &Scenario, preset: &str) -> LedgerView {
        let s = presets::apply(preset, scenario).unwrap();
        let mut w = World::new(s.clone());
        w.run_until(s.duration_ms);
        let scene = Scene::at(&s, w.trace(), s.duration_ms);
        ledger_at(&scene, w.trace(), true)
    }

    fn s2() -> Scenario {
        catalogue::scenario("s02-acks-1-leader-crash")
            .unwrap()
            .unwrap()
    }

    #[test]
    fn s2_m1_is_lost_after_ack_under_acks_1_and_delivered_once_under_acks_all() {
        let c = compare_ledgers(
            &ledger_of(&s2(), "unsafe-acks-1"),
            &ledger_of(&s2(), "kafka-defaults"),
        );
        let ids: Vec<RecordId> = c.rows.iter().map(|r| r.record).collect();
        assert_eq!(ids, vec![1, 2]);
        let m1 = &c.rows[0];
        assert_eq!(m1.a.as_ref().unwrap().fate, Fate::LostAcknowledged);
        assert_eq!(m1.b.as_ref().unwrap().fate, Fate::ExactlyOnce);
        assert!(m1.differs());
        assert_eq!(m1.class(), "fate-lost differs");
        let m2 = &c.rows[1];
        assert!(!m2.differs(), "{m2:?}");
        assert_eq!(m2.class(), "fate-ok");
        assert_eq!(c.differing, 1);
    }

    #[test]
    fn a_record_sent_in_one_run_only_differs_and_rows_stay_in_record_order() {
        let full = ledger_of(&s2(), "kafka-defaults");
        let mut short = full.clone();
        short.lines.remove(0);
        let c = compare_ledgers(&short, &full);
        assert_eq!(c.rows[0].record, 1);
        assert!(c.rows[0].a.is_none() && c.rows[0].differs());
        assert_eq!(c.differing, 1);
    }

    #[test]
    fn a_long_comparison_shows_differing_rows_first_then_the_newest() {
        let base = ledger_of(&s2(), "kafka-defaults");
        let line = |record, fate| LedgerLine {
            record,
            fate,
            ..base.lines[0].clone()
        };
        let mut a = base.clone();
        let mut b = base.clone();
        a.lines = (1..=100).map(|r| line(r, Fate::ExactlyOnce)).collect();
        b.lines = (1..=100)
            .map(|r| {
                let fate = if r == 5 || r == 50 {
                    Fate::LostAcknowledged
                } else {
                    Fate::ExactlyOnce
                };
                line(r, fate)
            })
            .collect();
        let c = compare_ledgers(&a, &b);
        let (shown, hidden) = c.shown_rows(5);
        let ids: Vec<RecordId> = shown.iter().map(|r| r.record).collect();
        assert_eq!(ids, vec![5, 50, 98, 99, 100]);
        assert_eq!(hidden, 95);
    }
}
