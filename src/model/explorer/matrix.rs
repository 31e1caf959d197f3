//! The explorer's matrix: configuration presets (rows) × anomaly kinds (columns). Each cell
//! counts the fault points whose run shows the anomaly and keeps the shortest counterexample as
//! a replayable scenario.
//!
//! The columns use the checker's vocabulary (spec §10, `checker.rs`), judged on a run's end
//! state; a run can show several.

use super::points::FaultPoint;
use crate::model::checker::Report;
use crate::model::ledger::Told;
use crate::model::scenario::Scenario;
use crate::model::time::Millis;
use crate::model::World;
use serde::{Deserialize, Serialize};

/// An anomaly kind: a column of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Anomaly {
    /// At-least-once broke: a record acknowledged to the producer is not in the final log, or
    /// the group committed past a record it never processed (checker: lost-acknowledged,
    /// skipped).
    Lost,
    /// A record acknowledged to the producer is not in the final log (Jepsen `:lost-write`).
    AcknowledgedLost,
    /// A record is in the log at two offsets, or was processed twice (`:duplicate`,
    /// consume-counts > 1).
    Duplicate,
    /// A record is in the log at two offsets: the producer-side duplicate idempotence prevents.
    DuplicateInLog,
    /// One producer's records in one partition landed in another order than sent
    /// (`:nonmonotonic-send`).
    Reordered,
    /// A read of data from an aborted transaction (`:G1a`). Transactions are not modelled yet:
    /// always 0, the column is kept so the matrix keeps its shape.
    AbortedRead,
    /// The run ended with acknowledged records in the log never processed although every node
    /// was up, every link whole and every partition led; or with a partition offline.
    Stalled,
}

impl Anomaly {
    /// Every column, in order.
    pub const ALL: [Anomaly; 7] = [
        Anomaly::Lost,
        Anomaly::AcknowledgedLost,
        Anomaly::Duplicate,
        Anomaly::DuplicateInLog,
        Anomaly::Reordered,
        Anomaly::AbortedRead,
        Anomaly::Stalled,
    ];

    /// The stable id, as in JSON.
    pub fn id(self) -> &'static str {
        match self {
            Anomaly::Lost => "lost",
            Anomaly::AcknowledgedLost => "acknowledged-lost",
            Anomaly::Duplicate => "duplicate",
            Anomaly::DuplicateInLog => "duplicate-in-log",
            Anomaly::Reordered => "reordered",
            Anomaly::AbortedRead => "aborted-read",
            Anomaly::Stalled => "stalled",
        }
    }
}

/// The anomalies a finished run shows, in column order.
pub fn anomalies(world: &World) -> Vec<Anomaly> {
    anomalies_of(world, &world.report())
}

pub(crate) fn anomalies_of(world: &World, r: &Report) -> Vec<Anomaly> {
    let offline = world.partitions().iter().any(|p| p.leader.is_none());
    let healthy = !offline
        && world.brokers().iter().all(|b| b.alive)
        && world.producers().iter().all(|p| p.alive)
        && world.consumers().iter().all(|c| c.alive && !c.closed)
        && world.network().cut_links().next().is_none();
    let acked_unprocessed = r
        .rows
        .iter()
        .any(|v| r.unprocessed.contains(&v.row.record) && matches!(v.row.told, Told::Acked { .. }));
    let stalled = offline || (healthy && acked_unprocessed);
    let mut out = Vec::new();
    for a in Anomaly::ALL {
        let shown = match a {
            Anomaly::Lost => !r.verdict.at_least_once,
            Anomaly::AcknowledgedLost => !r.lost_acknowledged.is_empty(),
            Anomaly::Duplicate => !r.duplicated_in_log.is_empty() || !r.processed_twice.is_empty(),
            Anomaly::DuplicateInLog => !r.duplicated_in_log.is_empty(),
            Anomaly::Reordered => !r.reordered.is_empty(),
            Anomaly::AbortedRead => !r.aborted_reads.is_empty(),
            Anomaly::Stalled => stalled,
        };
        if shown {
            out.push(a);
        }
    }
    out
}

/// The shortest run found showing an anomaly, ready to open in the stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counterexample {
    /// The fault(s) the explorer added (a crash with its restart, a drop, a cut with its heal).
    pub point: FaultPoint,
    /// Trace events of the run: the last tie-breaker of "shortest".
    pub trace_events: u64,
    /// The baseline scenario with the preset applied, `settle_ms` added to its duration, and the
    /// fault(s) appended to its fault script. `World::new(scenario)` replays the run exactly.
    pub scenario: Scenario,
}

impl Counterexample {
    /// Shortest first: fewest faults, then earliest fault, then smallest trace; the point's
    /// enumeration index breaks the last ties, so the choice is deterministic.
    fn key(&self, index: u32) -> (u8, Millis, u64, u32) {
        (
            self.point.faults_count,
            self.point.at_ms,
            self.trace_events,
            index,
        )
    }
}

/// One cell: how many fault points showed an anomaly under a preset, and the shortest one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub anomaly: Anomaly,
    /// Fault points whose run shows it.
    pub count: u32,
    /// The shortest of them.
    pub shortest: Option<Counterexample>,
    /// The enumeration index of `shortest` among the preset's points (a tie-breaker).
    pub shortest_index: u32,
}

/// One row: a preset's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresetRow {
    /// The preset's stable id (`presets::PRESETS`).
    pub preset: String,
    /// Its English name.
    pub name: String,
    /// Anomalies of the baseline run, with no fault added.
    pub baseline: Vec<Anomaly>,
    /// Trace events of the baseline run.
    pub baseline_events: u64,
    /// Fault points enumerated (singles and pairs, after pruning and the `max_points` cap).
    pub points: u32,
    /// Of those, pairs.
    pub pairs: u32,
    /// Points run so far.
    pub runs: u32,
    /// Points thinned out by `max_points`.
    pub thinned: u32,
    /// One cell per column of [`Anomaly::ALL`].
    pub cells: Vec<Cell>,
    /// The id of another row's preset that makes exactly this row's configuration of the
    /// scenario (typically the scenario as given and the preset it already is): the two rows'
    /// runs are the same runs, made once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
}

impl PresetRow {
    pub(crate) fn new(preset: &str, name: &str, baseline: Vec<Anomaly>, events: u64) -> Self {
        Self {
            preset: preset.to_string(),
            name: name.to_string(),
            baseline,
            baseline_events: events,
            points: 0,
            pairs: 0,
            runs: 0,
            thinned: 0,
            cells: Anomaly::ALL
                .iter()
                .map(|&anomaly| Cell {
                    anomaly,
                    count: 0,
                    shortest: None,
                    shortest_index: 0,
                })
                .collect(),
            same_as: None,
        }
    }

    /// The cell of one anomaly.
    pub fn cell(&self, anomaly: Anomaly) -> &Cell {
        let i = Anomaly::ALL.iter().position(|&a| a == anomaly).unwrap_or(0);
        &self.cells[i]
    }

    /// Adds another share of the same preset's runs (`ExploreOptions::share`): runs and counts
    /// summed, each cell's shortest counterexample the shorter of the two.
    pub fn absorb(&mut self, other: &PresetRow) {
        self.runs += other.runs;
        for (cell, theirs) in self.cells.iter_mut().zip(&other.cells) {
            cell.count += theirs.count;
            let Some(their) = theirs.shortest.as_ref() else {
                continue;
            };
            let better = cell
                .shortest
                .as_ref()
                .is_none_or(|c| their.key(theirs.shortest_index) < c.key(cell.shortest_index));
            if better {
                cell.shortest = Some(their.clone());
                cell.shortest_index = theirs.shortest_index;
            }
        }
    }

    /// Adds one run's outcome. `run` builds the counterexample only when it is needed.
    pub(crate) fn add(
        &mut self,
        index: u32,
        shown: &[Anomaly],
        point: &FaultPoint,
        trace_events: u64,
        scenario: impl Fn() -> Scenario,
    ) {
        self.runs += 1;
        for cell in &mut self.cells {
            if !shown.contains(&cell.anomaly) {
                continue;
            }
            cell.count += 1;
            let key = (point.faults_count, point.at_ms, trace_events, index);
            let better = cell
                .shortest
                .as_ref()
                .is_none_or(|c| key < c.key(cell.shortest_index));
            if better {
                cell.shortest = Some(Counterexample {
                    point: point.clone(),
                    trace_events,
                    scenario: scenario(),
                });
                cell.shortest_index = index;
            }
        }
    }
}
