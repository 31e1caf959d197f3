//! The ledger at the cursor: each record's story so far and its fate, judged by the model's own
//! checker against the cluster as it stands at the cursor.
//!
//! The checker (`model::checker::check`) was written for the end of a run. Mid-run, a record the
//! checker would call lost may simply still be on its way; those rows are shown as pending until
//! the loss is definite (no copy in any log and no request carrying it in flight).

use super::scene::Scene;
use crate::model::checker::{check, FinalState, Report, Verdict};
use crate::model::ledger::{Ledger, Told};
use crate::model::log::LogEntry;
use crate::model::{EventKind, NodeId, Offset, PartitionId, Payload, RecordId, TraceEvent};
use std::collections::{BTreeMap, BTreeSet};

/// What became of a record, as far as the cursor shows. Ordered from worst to best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fate {
    /// The producer was told it succeeded, and no log holds it: lost.
    LostAcknowledged,
    /// The group committed past it, but nobody processed it: lost to processing.
    Skipped,
    /// Stored at two or more offsets.
    DuplicateInLog,
    /// Processed more than once.
    ProcessedTwice,
    /// The producer was told it failed; it is not in the log.
    Failed,
    /// Never written and the run is over (nothing told, or told failure).
    NotWritten,
    /// On its way: not yet stored, or stored and not yet processed.
    Pending,
    /// Stored once and processed once.
    ExactlyOnce,
}

impl Fate {
    /// The CSS class of a ledger row with this fate.
    pub fn class(self) -> &'static str {
        match self {
            Fate::LostAcknowledged | Fate::Skipped | Fate::NotWritten => "fate-lost",
            Fate::DuplicateInLog | Fate::ProcessedTwice => "fate-duplicate",
            Fate::Failed => "fate-failed",
            Fate::Pending => "fate-pending",
            Fate::ExactlyOnce => "fate-ok",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LedgerLine {
    pub record: RecordId,
    pub partition: PartitionId,
    /// Offsets holding it in the partition's authoritative log at the cursor.
    pub offsets: Vec<Offset>,
    pub told: Told,
    pub app_sends: u32,
    pub attempts: u32,
    pub delivered: u32,
    pub processed: u32,
    pub fate: Fate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LedgerView {
    pub lines: Vec<LedgerLine>,
    /// Which guarantees hold so far. Mid-run a record on its way breaks nothing yet; at the end
    /// this is the checker's own verdict.
    pub verdict: Verdict,
    /// The checker's report at the cursor (its verdict is final only at the end).
    pub report: Report,
    pub sent: u32,
    pub acknowledged: u32,
    pub lost: u32,
    pub duplicated: u32,
    pub exactly_once: u32,
}

/// At most this many rows are drawn; a long run lists its anomalies and its newest records.
pub const MAX_SHOWN_ROWS: usize = 60;

/// At most this many rows are listed in the single run's ledger, which draws only the rows near
/// its scroll box ([`rows_in_view`]), so a longer list costs nothing per frame. What costs is
/// the frame where the oldest block is dropped (half the room, [`LedgerView::shown_lines`]) and
/// the rows in view are all drawn anew: with room for 150 that comes every 75 records instead of
/// every 30 (busy-cluster at 1×: every ~22 frames instead of ~9). Smaller blocks, or drawing the
/// next rows ahead, changed the table on more frames and cost more (BENCHMARKS.md, sixth round).
pub const LEDGER_SHOWN_ROWS: usize = 150;

impl LedgerView {
    /// The rows worth drawing when there are many: every lost or duplicated record, the
    /// `selected` one, then the newest, up to `max`, in record order; and how many were left out.
    ///
    /// The newest rows are dropped from the top in blocks of half the room left, not one by one:
    /// while a busy run plays, new records are then added below rows that stay where they are,
    /// instead of every row moving up on every frame (which the browser lays out and paints
    /// again, the largest cost of a frame in the busy-cluster benchmark).
    pub fn shown_lines(&self, max: usize, selected: Option<RecordId>) -> (Vec<&LedgerLine>, usize) {
        let (shown, hidden) = self.shown_indices(max, selected);
        (shown.into_iter().map(|i| &self.lines[i]).collect(), hidden)
    }

    /// [`shown_lines`](Self::shown_lines) as indices into `lines`.
    pub fn shown_indices(&self, max: usize, selected: Option<RecordId>) -> (Vec<usize>, usize) {
        if self.lines.len() <= max {
            return ((0..self.lines.len()).collect(), 0);
        }
        let must = |l: &LedgerLine| {
            !matches!(l.fate, Fate::ExactlyOnce | Fate::Pending) || Some(l.record) == selected
        };
        let all = 0..self.lines.len();
        let mut keep: Vec<usize> = all.clone().filter(|&i| must(&self.lines[i])).collect();
        let room = max.saturating_sub(keep.len());
        let others: Vec<usize> = all.filter(|&i| !must(&self.lines[i])).collect();
        let block = (room / 2).max(1);
        let first = others.len().saturating_sub(room).div_ceil(block) * block;
        keep.extend(others.into_iter().skip(first).take(room));
        keep.sort_by_key(|&i| self.lines[i].record);
        let hidden = self.lines.len() - keep.len();
        (keep, hidden)
    }
}

/// How many ledger rows a block holds: the table is drawn in blocks of rows, so a new record
/// redraws only the block it joins.
pub const ROW_BLOCK: usize = 16;

/// The shown rows (indices into the ledger's lines) cut into blocks of consecutive indices
/// within the same [`ROW_BLOCK`]-aligned span, each named by its first index (unique, and the
/// same while rows are added below it).
pub fn row_blocks(shown: &[usize]) -> Vec<(usize, &[usize])> {
    let mut out = Vec::new();
    let mut rest = shown;
    while let Some(&first) = rest.first() {
        let len = rest
            .iter()
            .take_while(|&&i| i / ROW_BLOCK == first / ROW_BLOCK && i >= first)
            .count();
        let (block, after) = rest.split_at(len);
        out.push((first, block));
        rest = after;
    }
    out
}

/// Rows drawn beyond each edge of the ledger's scroll box, so that a short scroll shows drawn
/// rows before the panel catches up.
pub const ROWS_OVERSCAN: usize = 8;

/// Which of `len` shown rows (each `row_px` high) to draw when the scroll box, `view_px` high,
/// is scrolled by `scroll_px`: the positions `start..end`, with [`ROWS_OVERSCAN`] rows to spare
/// on each side. The rows outside stay as blank space (`start` and `len - end` rows high), so
/// the scroll box keeps its height and its scroll bar. While a busy run plays, new records join
/// below the rows in view and cost nothing until scrolled to.
pub fn rows_in_view(len: usize, scroll_px: f64, view_px: f64, row_px: f64) -> (usize, usize) {
    if row_px.is_nan() || row_px <= 0.0 || !scroll_px.is_finite() || !view_px.is_finite() {
        return (0, len);
    }
    let first = (scroll_px.max(0.0) / row_px).floor() as usize;
    let fit = (view_px.max(0.0) / row_px).ceil() as usize + 1;
    let start = first.saturating_sub(ROWS_OVERSCAN).min(len);
    let end = first
        .saturating_add(fit)
        .saturating_add(ROWS_OVERSCAN)
        .clamp(start, len);
    (start, end)
}

/// The ledger at the cursor. `at_end`: the run is over, so nothing is pending any more.
pub fn ledger_at(scene: &Scene, trace: &[TraceEvent], at_end: bool) -> LedgerView {
    let mut ledger = new_ledger(scene);
    for e in &trace[..scene.events_seen.min(trace.len())] {
        ledger.observe(&e.kind);
    }
    judge(&ledger, scene, trace, at_end)
}

/// An empty ledger for the scene's consumers: their groups, and with two topics the partitions
/// each group reads.
pub fn new_ledger(scene: &Scene) -> Ledger {
    let mut ledger = Ledger::with_groups(ledger_groups(scene));
    ledger.set_group_topics(scene.group_topics.clone());
    ledger
}

/// Each consumer and its `group.id`, as the ledger counts processing per group.
pub fn ledger_groups(scene: &Scene) -> Vec<(NodeId, String)> {
    scene
        .consumers
        .iter()
        .map(|(&id, c)| (id, c.group.clone()))
        .collect()
}

/// The ledger at the cursor from a `ledger` that has observed exactly the scene's events (the
/// same thing [`ledger_at`] folds from scratch).
pub fn judge(ledger: &Ledger, scene: &Scene, trace: &[TraceEvent], at_end: bool) -> LedgerView {
    let logs: Vec<Vec<LogEntry>> = scene
        .data_partitions()
        .iter()
        .map(authoritative_log)
        .collect();
    let committed: Vec<Option<Offset>> = scene
        .data_partitions()
        .iter()
        .map(|p| {
            scene
                .consumers
                .values()
                .find_map(|c| c.committed.get(&p.id).copied())
        })
        .collect();
    let mut group_committed: BTreeMap<String, Vec<Option<Offset>>> = BTreeMap::new();
    for c in scene.consumers.values() {
        let offsets = scene
            .data_partitions()
            .iter()
            .map(|p| {
                scene
                    .consumers
                    .values()
                    .filter(|o| o.group == c.group)
                    .find_map(|o| o.committed.get(&p.id).copied())
            })
            .collect();
        group_committed.insert(c.group.clone(), offsets);
    }
    let end = FinalState {
        logs: logs.iter().map(Vec::as_slice).collect(),
        committed,
        group_committed,
        has_consumers: !scene.consumers.is_empty(),
        invariant_violations: 0,
        log_starts: scene
            .data_partitions()
            .iter()
            .map(|p| {
                p.leader
                    .and_then(|b| p.logs.get(&b))
                    .map_or(0, |l| l.log_start_offset)
            })
            .collect(),
    };
    let report = check(ledger, &end);
    let in_flight: BTreeSet<RecordId> = scene
        .in_flight
        .iter()
        .flat_map(|f| match &trace[f.index].kind {
            EventKind::MessageSent {
                payload: p @ Payload::Produce { .. },
                ..
            } => p.batch_records().collect(),
            _ => Vec::new(),
        })
        .collect();
    let lines: Vec<LedgerLine> = report
        .rows
        .iter()
        .map(|v| {
            let has = |a: &str| v.anomalies.iter().any(|x| x == a);
            let travelling = in_flight.contains(&v.row.record);
            let fate = if has("lost-acknowledged") && !travelling {
                Fate::LostAcknowledged
            } else if has("skipped") {
                Fate::Skipped
            } else if has("duplicate") {
                Fate::DuplicateInLog
            } else if has("processed-twice") {
                Fate::ProcessedTwice
            } else if v.row.processed == 1 {
                Fate::ExactlyOnce
            } else if matches!(v.row.told, Told::Failed { .. }) && v.in_log_at.is_empty() {
                Fate::Failed
            } else if at_end && v.in_log_at.is_empty() {
                Fate::NotWritten
            } else {
                Fate::Pending
            };
            LedgerLine {
                record: v.row.record,
                partition: v.row.partition,
                offsets: v.in_log_at.clone(),
                told: v.row.told,
                app_sends: v.row.app_sends,
                attempts: v.row.attempts,
                delivered: v.row.delivered,
                processed: v.row.processed,
                fate,
            }
        })
        .collect();
    let count = |f: &dyn Fn(Fate) -> bool| lines.iter().filter(|l| f(l.fate)).count() as u32;
    let lost = |f: Fate| matches!(f, Fate::LostAcknowledged | Fate::Skipped | Fate::NotWritten);
    let duplicated = |f: Fate| matches!(f, Fate::DuplicateInLog | Fate::ProcessedTwice);
    let verdict = if at_end {
        report.verdict
    } else {
        let at_most_once = count(&duplicated) == 0;
        let at_least_once = count(&|f| lost(f) || f == Fate::Failed) == 0;
        Verdict {
            at_most_once,
            at_least_once,
            exactly_once: at_most_once && at_least_once,
        }
    };
    LedgerView {
        verdict,
        sent: lines.len() as u32,
        acknowledged: report.acknowledged,
        lost: count(&lost),
        duplicated: count(&duplicated),
        exactly_once: count(&|f| f == Fate::ExactlyOnce),
        lines,
        report,
    }
}

/// The log that counts for a partition: its leader's, or while it has none, the longest replica's.
fn authoritative_log(p: &super::scene::PartitionState) -> Vec<LogEntry> {
    let log = p
        .leader
        .and_then(|b| p.logs.get(&b))
        .or_else(|| p.logs.values().max_by_key(|l| l.cells.len()));
    log.map(|l| {
        l.cells
            .iter()
            .map(|c| LogEntry {
                record: c.record,
                leader_epoch: c.leader_epoch,
                producer_id: -1,
                producer_epoch: -1,
                sequence: -1,
                base_sequence: -1,
                transactional: crate::model::log::is_marker(c.record),
            })
            .collect()
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Scenario, World};

    fn at_end(name: &str) -> (LedgerView, World) {
        let s = crate::model::catalogue::scenario(name)
            .expect("a catalogue scenario")
            .expect("it parses");
        let mut w = World::new(s.clone());
        w.run_until(s.duration_ms);
        let scene = Scene::at(&s, w.trace(), s.duration_ms);
        (ledger_at(&scene, w.trace(), true), w)
    }

    fn fates(v: &LedgerView, fate: Fate) -> Vec<RecordId> {
        v.lines
            .iter()
            .filter(|l| l.fate == fate)
            .map(|l| l.record)
            .collect()
    }

    #[test]
    fn at_the_end_the_ledger_agrees_with_the_runners_report() {
        for (name, _) in crate::model::catalogue::CATALOGUE {
            let (v, w) = at_end(name);
            let r = w.report();
            assert_eq!(
                fates(&v, Fate::LostAcknowledged),
                r.lost_acknowledged,
                "{name}"
            );
            assert_eq!(fates(&v, Fate::Skipped), r.skipped, "{name}");
            assert_eq!(
                fates(&v, Fate::DuplicateInLog),
                r.duplicated_in_log,
                "{name}"
            );
            assert_eq!(v.verdict, r.verdict, "{name}");
        }
    }

    #[test]
    fn acks_1_leader_crash_shows_an_acknowledged_record_lost() {
        let (v, _) = at_end("s02-acks-1-leader-crash");
        assert_eq!(fates(&v, Fate::LostAcknowledged), vec![1]);
        assert!(v.lost >= 1);
    }

    #[test]
    fn commit_after_processing_crash_shows_records_processed_twice() {
        let (v, _) = at_end("s13-commit-after-processing-duplicates");
        assert!(!fates(&v, Fate::ProcessedTwice).is_empty());
        assert_eq!(v.duplicated, fates(&v, Fate::ProcessedTwice).len() as u32);
    }

    #[test]
    fn a_long_ledger_shows_every_anomaly_and_the_newest_rows() {
        let (mut v, _) = at_end("s13-commit-after-processing-duplicates");
        let template = v.lines[0].clone();
        v.lines = (1..=200)
            .map(|r| LedgerLine {
                record: r,
                fate: if r == 7 {
                    Fate::ProcessedTwice
                } else {
                    Fate::ExactlyOnce
                },
                ..template.clone()
            })
            .collect();
        let (shown, hidden) = v.shown_lines(10, Some(3));
        let ids: Vec<RecordId> = shown.iter().map(|l| l.record).collect();
        // Room for 8 others, dropped in blocks of 4: of the 198 others, 192 are left out.
        assert_eq!(ids, vec![3, 7, 195, 196, 197, 198, 199, 200]);
        assert_eq!(hidden, 192);
    }

    #[test]
    fn rows_are_cut_into_blocks_that_keep_their_name_as_rows_are_added() {
        let blocks = |shown: &[usize]| -> Vec<(usize, Vec<usize>)> {
            row_blocks(shown)
                .into_iter()
                .map(|(k, b)| (k, b.to_vec()))
                .collect()
        };
        assert!(row_blocks(&[]).is_empty());
        let first: Vec<usize> = (0..20).collect();
        assert_eq!(
            blocks(&first),
            vec![(0, (0..16).collect()), (16, (16..20).collect())]
        );
        // A row added below: only the last block differs, under the same name.
        let more: Vec<usize> = (0..21).collect();
        assert_eq!(blocks(&more)[0], blocks(&first)[0]);
        assert_eq!(blocks(&more)[1], (16, (16..21).collect()));
        // Anomalies kept from long ago, then the newest rows from the middle of a block.
        assert_eq!(
            blocks(&[3, 7, 40, 41, 48]),
            vec![(3, vec![3, 7]), (40, vec![40, 41]), (48, vec![48])]
        );
        // Out of order (a ledger not listed by record): every name stays unique.
        let names: Vec<usize> = row_blocks(&[5, 2, 6, 1]).iter().map(|b| b.0).collect();
        assert_eq!(names, vec![5, 2, 1]);
    }

    #[test]
    fn only_the_rows_in_view_and_a_margin_are_drawn() {
        // 60 rows of 24 px in a 360 px box: 16 fit, with 8 to spare below at the top.
        assert_eq!(rows_in_view(60, 0.0, 360.0, 24.0), (0, 24));
        // Scrolled by 30 rows: 8 to spare on each side.
        assert_eq!(rows_in_view(60, 720.0, 360.0, 24.0), (22, 54));
        // At the bottom, and past it.
        assert_eq!(rows_in_view(60, 1080.0, 360.0, 24.0), (37, 60));
        assert_eq!(rows_in_view(60, 1e9, 360.0, 24.0), (60, 60));
        // Fewer rows than fit: all of them.
        assert_eq!(rows_in_view(10, 0.0, 360.0, 24.0), (0, 10));
        assert_eq!(rows_in_view(0, 0.0, 360.0, 24.0), (0, 0));
        // No height measured yet, or nonsense: every row.
        assert_eq!(rows_in_view(60, 0.0, 360.0, 0.0), (0, 60));
        assert_eq!(rows_in_view(60, f64::NAN, 360.0, 24.0), (0, 60));
    }

    #[test]
    fn shown_indices_name_the_shown_lines() {
        let (mut v, _) = at_end("s13-commit-after-processing-duplicates");
        let template = v.lines[0].clone();
        v.lines = (1..=100)
            .map(|r| LedgerLine {
                record: r,
                fate: if r == 9 { Fate::Skipped } else { Fate::Pending },
                ..template.clone()
            })
            .collect();
        let (indices, hidden) = v.shown_indices(10, Some(2));
        let (lines, hidden_too) = v.shown_lines(10, Some(2));
        assert_eq!(hidden, hidden_too);
        let records: Vec<RecordId> = indices.iter().map(|&i| v.lines[i].record).collect();
        let shown: Vec<RecordId> = lines.iter().map(|l| l.record).collect();
        assert_eq!(records, shown);
        assert_eq!(&records[..2], &[2, 9]);
    }

    #[test]
    fn new_records_join_below_rows_that_stay_until_a_block_is_dropped() {
        let (v, _) = at_end("s13-commit-after-processing-duplicates");
        let template = v.lines[0].clone();
        let ledger = |n: u32| {
            let mut v = v.clone();
            v.lines = (1..=n)
                .map(|r| LedgerLine {
                    record: r,
                    fate: Fate::Pending,
                    ..template.clone()
                })
                .collect();
            v
        };
        let shown = |n: u32| -> Vec<RecordId> {
            ledger(n)
                .shown_lines(10, None)
                .0
                .iter()
                .map(|l| l.record)
                .collect()
        };
        assert_eq!(shown(10), (1..=10).collect::<Vec<_>>());
        // One more record than fits: the oldest block of 5 goes, the rest stay in place.
        assert_eq!(shown(11), (6..=11).collect::<Vec<_>>());
        for n in 12..=15 {
            assert_eq!(shown(n), (6..=n).collect::<Vec<_>>(), "{n} records");
        }
        assert_eq!(shown(16), (11..=16).collect::<Vec<_>>());
        for n in 11..200 {
            let rows = shown(n).len();
            assert!((6..=10).contains(&rows), "{n} records: {rows} rows");
            assert_eq!(
                shown(n).last(),
                Some(&n),
                "the newest record is always shown"
            );
        }
    }

    #[test]
    fn mid_run_a_record_on_its_way_is_pending_not_lost() {
        let s = Scenario::default();
        let mut w = World::new(s.clone());
        w.run_until(150);
        let scene = Scene::at(&s, w.trace(), 150);
        let v = ledger_at(&scene, w.trace(), false);
        assert_eq!(v.lines.len(), 1);
        assert_eq!(v.lines[0].fate, Fate::Pending);
        assert_eq!(v.lost, 0);
        assert!(v.verdict.exactly_once, "nothing is broken yet");
    }
}
