//! The explorer panel's view-model: the messages between the page and the explorer's Web Worker,
//! the panel's state as a pure reducer over them, and the matrix as rows of labelled cells.
//!
//! Pure so it is tested natively: the worker (`ui/explorer_worker.rs`) only moves these values
//! across the thread boundary, and the component only draws them.

use super::explorer_text::ExplorerText;
use crate::model::explorer::{Anomaly, Exploration, ExploreOptions, Progress, RowCounts};
use crate::model::presets::{self, PRESETS};
use crate::model::Scenario;
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// From the page to the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Explore this scenario (replaces any exploration under way).
    Start {
        scenario: Box<Scenario>,
        options: ExploreOptions,
    },
    /// Stop; the worker answers with the partial matrix.
    Cancel,
    /// Get ready before the user asks: sent to a worker spawned ahead of the first exploration
    /// (its code fetched and compiled meanwhile); it answers [`FromWorker::Ready`].
    Warm,
}

/// From the worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// Planned: the exact number of runs is known, none is done yet. The matrix as planned
    /// (every row, its baseline, no counts yet), for the page to fill as progress comes.
    Planned(Box<Exploration>),
    /// Runs done so far, after each slice of work, and each row's counts so far (a few numbers
    /// per preset: the counterexamples come once, with the finished matrix).
    Progress(Progress, Vec<RowCounts>),
    /// The matrix, complete or (after a cancel) partial. The exploration is over.
    Done(Box<Exploration>),
    /// The answer to [`ToWorker::Warm`]: the worker is up. No part of an exploration.
    Ready,
}

/// What the panel shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExplorerState {
    /// An exploration is under way.
    pub running: bool,
    /// The latest progress (None while planning).
    pub progress: Option<Progress>,
    /// The latest matrix, kept after a run until the next one finishes.
    pub result: Option<Rc<Exploration>>,
    /// The matrix of the exploration under way, filled by each progress message (no
    /// counterexamples yet, so no cell opens until it is done).
    pub live: Option<Rc<Exploration>>,
    /// Wall time of the last finished exploration, from the click to the matrix.
    pub elapsed_ms: Option<f64>,
    /// Wall-clock time (page `performance.now()`) of the click.
    pub started_at_ms: f64,
}

/// What happens to the panel.
#[derive(Debug, Clone, PartialEq)]
pub enum ExplorerEvent {
    /// The button was pressed at this wall-clock time.
    Started { at_ms: f64 },
    /// The worker said something; `at_ms` is when it arrived.
    Worker { message: FromWorker, at_ms: f64 },
}

impl ExplorerState {
    /// The state after an event.
    pub fn apply(&self, event: ExplorerEvent) -> Self {
        let mut s = self.clone();
        match event {
            ExplorerEvent::Started { at_ms } => {
                s.running = true;
                s.progress = None;
                s.live = None;
                s.started_at_ms = at_ms;
            }
            ExplorerEvent::Worker { message, at_ms } => match message {
                FromWorker::Planned(x) if s.running => {
                    s.progress = Some(Progress {
                        done: x.runs,
                        total: x.total,
                        events: x.events,
                    });
                    s.live = Some(Rc::new(*x));
                }
                FromWorker::Progress(p, counts) if s.running => {
                    s.progress = Some(p);
                    if let Some(live) = s.live.as_mut() {
                        Rc::make_mut(live).apply_counts(&counts);
                    }
                }
                FromWorker::Planned(_) | FromWorker::Progress(..) | FromWorker::Ready => {}
                FromWorker::Done(x) => {
                    s.running = false;
                    s.live = None;
                    s.progress = Some(Progress {
                        done: x.runs,
                        total: x.total,
                        events: x.events,
                    });
                    s.elapsed_ms = Some(at_ms - s.started_at_ms);
                    s.result = Some(Rc::new(*x));
                }
            },
        }
        s
    }

    /// The matrix to draw: the one filling while an exploration runs, else the last finished.
    pub fn shown(&self) -> Option<&Rc<Exploration>> {
        self.live
            .as_ref()
            .filter(|_| self.running)
            .or(self.result.as_ref())
    }

    /// The progress bar's value and maximum; `None` while planning (an indeterminate bar).
    pub fn bar(&self) -> Option<(u64, u64)> {
        self.progress.map(|p| (p.done, p.total.max(1)))
    }
}

/// The column head of an anomaly.
pub fn anomaly_text(a: Anomaly) -> ExplorerText {
    match a {
        Anomaly::Lost => ExplorerText::ColLost,
        Anomaly::AcknowledgedLost => ExplorerText::ColAcknowledgedLost,
        Anomaly::Duplicate => ExplorerText::ColDuplicate,
        Anomaly::DuplicateInLog => ExplorerText::ColDuplicateInLog,
        Anomaly::Reordered => ExplorerText::ColReordered,
        Anomaly::AbortedRead => ExplorerText::ColAbortedRead,
        Anomaly::Stalled => ExplorerText::ColStalled,
    }
}

/// A preset's name by its id; `None` for an id this catalogue does not know (show the model's
/// English name then).
pub fn preset_text(id: &str) -> Option<ExplorerText> {
    Some(match id {
        presets::AS_GIVEN => ExplorerText::PresetAsGiven,
        "kafka-defaults" => ExplorerText::PresetKafkaDefaults,
        "at-most-once" => ExplorerText::PresetAtMostOnce,
        "at-least-once" => ExplorerText::PresetAtLeastOnce,
        "idempotent" => ExplorerText::PresetIdempotent,
        "unsafe-acks-1" => ExplorerText::PresetUnsafeAcks1,
        "unsafe-retries" => ExplorerText::PresetUnsafeRetries,
        "unsafe-unclean-election" => ExplorerText::PresetUnsafeUnclean,
        _ => return None,
    })
}

/// One cell as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellView {
    pub anomaly: Anomaly,
    pub count: u32,
    /// The baseline run (no fault) already shows it: the fault is not the cause.
    pub in_baseline: bool,
    /// Whether it is a button (it has a counterexample to open; not while the matrix fills).
    pub openable: bool,
    /// CSS classes.
    pub class: &'static str,
}

/// One row as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowView {
    pub preset: String,
    /// The model's English name, for an id the catalogue lacks.
    pub name: String,
    pub cells: Vec<CellView>,
    /// Another row's preset id when both set the same configuration (the same runs).
    pub same_as: Option<String>,
}

/// The matrix in column order ([`Anomaly::ALL`]), one row per preset in the exploration's order.
pub fn matrix(x: &Exploration) -> Vec<RowView> {
    x.rows
        .iter()
        .map(|row| RowView {
            preset: row.preset.clone(),
            name: row.name.clone(),
            same_as: row.same_as.clone(),
            cells: Anomaly::ALL
                .iter()
                .map(|&a| {
                    let cell = row.cell(a);
                    let in_baseline = row.baseline.contains(&a);
                    let openable = cell.count > 0 && cell.shortest.is_some();
                    let class = match (openable, in_baseline) {
                        // Counted while the matrix fills; its counterexample comes at the end.
                        (false, _) if cell.count > 0 => "xcell xcell-hit xcell-pending",
                        (false, _) => "xcell xcell-empty",
                        (true, true) => "xcell xcell-hit xcell-baseline",
                        (true, false) => "xcell xcell-hit",
                    };
                    CellView {
                        anomaly: a,
                        count: cell.count,
                        in_baseline,
                        openable,
                        class,
                    }
                })
                .collect(),
        })
        .collect()
}

/// Runs the explorer will make, estimated from the scenario's own fault points (each preset
/// has about as many): (runs, points, presets).
pub fn estimate(points: usize, options: &ExploreOptions) -> (u64, u64, u64) {
    let known = options
        .presets
        .iter()
        .filter(|id| presets::preset(id).is_some())
        .count() as u64;
    let points = points.min(options.max_points as usize) as u64;
    (points * known, points, known)
}

/// Seconds with one decimal: "1.4".
pub fn seconds(ms: f64) -> String {
    format!("{:.1}", ms.max(0.0) / 1000.0)
}

/// Every preset id, in the matrix's order (for the side-by-side pickers).
pub fn preset_ids() -> impl Iterator<Item = &'static str> {
    PRESETS.iter().map(|p| p.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::explorer::Explorer;

    fn small() -> Scenario {
        let mut s = crate::model::explorer::bench_scenario();
        s.producers[0].workload.records = 3;
        s.duration_ms = 1_000;
        s
    }

    fn options(ids: &[&str]) -> ExploreOptions {
        ExploreOptions {
            presets: ids.iter().map(|s| s.to_string()).collect(),
            partitions: false,
            drops: false,
            ..Default::default()
        }
    }

    #[test]
    fn every_preset_and_every_column_has_a_label() {
        for id in preset_ids() {
            assert!(preset_text(id).is_some(), "{id}");
        }
        assert_eq!(preset_text("nope"), None);
        let mut heads: Vec<ExplorerText> = Anomaly::ALL.iter().map(|&a| anomaly_text(a)).collect();
        heads.dedup();
        assert_eq!(heads.len(), Anomaly::ALL.len());
    }

    #[test]
    fn progress_then_done_gives_the_matrix_and_the_wall_time() {
        let x = Explorer::new(&small(), options(&["unsafe-acks-1"])).finish();
        let s = ExplorerState::default().apply(ExplorerEvent::Started { at_ms: 100.0 });
        assert!(s.running);
        assert_eq!(s.bar(), None);
        let p = Progress {
            done: 2,
            total: 10,
            events: 50,
        };
        let worker = |message| ExplorerEvent::Worker {
            message,
            at_ms: 1_600.0,
        };
        let s = s.apply(worker(FromWorker::Progress(p, vec![])));
        assert_eq!(s.bar(), Some((2, 10)));
        let s = s.apply(worker(FromWorker::Done(Box::new(x.clone()))));
        assert!(!s.running);
        assert_eq!(s.elapsed_ms, Some(1_500.0));
        assert_eq!(s.bar(), Some((x.runs, x.total)));
        assert_eq!(seconds(s.elapsed_ms.unwrap_or(0.0)), "1.5");
        // A late progress message after the end changes nothing.
        assert_eq!(s.apply(worker(FromWorker::Progress(p, vec![]))), s);
    }

    #[test]
    fn the_planned_matrix_fills_from_progress_messages_and_opens_only_when_done() {
        let o = options(&["kafka-defaults", "unsafe-acks-1"]);
        let mut explorer = Explorer::new(&small(), o);
        let planned = explorer.snapshot();
        let worker = |message| ExplorerEvent::Worker {
            message,
            at_ms: 500.0,
        };
        let s = ExplorerState::default().apply(ExplorerEvent::Started { at_ms: 0.0 });
        let s = s.apply(worker(FromWorker::Planned(Box::new(planned.clone()))));
        assert_eq!(s.bar(), Some((0, planned.total)));
        let shown = s.shown().expect("the planned matrix is drawn at once");
        assert!(matrix(shown)
            .iter()
            .all(|r| r.cells.iter().all(|c| c.count == 0)));
        // Run until acks=1 has lost an acknowledged record, then report it.
        while explorer.counts()[1].counts[1] == 0 {
            explorer.step(200);
        }
        let counts = explorer.counts();
        let s = s.apply(worker(FromWorker::Progress(
            explorer.progress(),
            counts.clone(),
        )));
        let live = s.shown().expect("the live matrix").clone();
        assert_eq!(live.counts(), counts);
        assert_eq!(live.runs, explorer.progress().done);
        let lost = &matrix(&live)[1].cells[1];
        assert_eq!(lost.anomaly, Anomaly::AcknowledgedLost);
        assert!(lost.count > 0 && !lost.openable, "{lost:?}");
        assert_eq!(lost.class, "xcell xcell-hit xcell-pending");
        // Done: the finished matrix replaces the live one, and its hits open.
        let x = explorer.finish();
        let s = s.apply(worker(FromWorker::Done(Box::new(x.clone()))));
        assert_eq!(s.live, None);
        assert_eq!(s.shown().map(|x| x.counts()), Some(x.counts()));
        assert!(matrix(&x)[1].cells[1].openable);
    }

    #[test]
    fn the_matrix_has_every_column_in_order_and_only_hits_open() {
        let x = Explorer::new(&small(), options(&["kafka-defaults", "unsafe-acks-1"])).finish();
        let rows = matrix(&x);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].preset, "unsafe-acks-1");
        for row in &rows {
            let order: Vec<Anomaly> = row.cells.iter().map(|c| c.anomaly).collect();
            assert_eq!(order, Anomaly::ALL);
            for c in &row.cells {
                assert_eq!(c.openable, c.count > 0, "{c:?}");
                assert_eq!(c.class.contains("xcell-hit"), c.openable);
            }
        }
        let lost = &rows[1].cells[1];
        assert_eq!(lost.anomaly, Anomaly::AcknowledgedLost);
        assert!(lost.count > 0, "acks=1 loses an acknowledged record");
        assert_eq!(rows[0].cells[1].count, 0, "acks=all does not");
    }

    #[test]
    fn the_estimate_counts_known_presets_and_respects_the_cap() {
        let o = options(&["kafka-defaults", "unsafe-acks-1", "no-such-preset"]);
        assert_eq!(estimate(100, &o), (200, 100, 2));
        let capped = ExploreOptions {
            max_points: 30,
            ..o
        };
        assert_eq!(estimate(100, &capped), (60, 30, 2));
    }
}
