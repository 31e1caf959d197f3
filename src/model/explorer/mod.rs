//! The explorer: for one scenario, try every single fault that can change the outcome (and
//! pairs of them, within a bound) under each configuration preset, and tabulate which anomalies
//! each preset lets through, with the shortest counterexample of each as a replayable scenario.
//!
//! It answers a teacher's "can acks=all ever lose a record?" by exhaustion over the fault points
//! of `points.rs` rather than by argument. Everything is deterministic: a run is a pure function
//! of its scenario, and points are enumerated and runs aggregated in a fixed order, so the same
//! exploration twice gives the same result, natively and in WASM.
//!
//! For a UI the work is incremental: [`Explorer::step`] runs up to a budget of simulated events
//! (a run can stop mid-way and resume on the next call), [`Explorer::progress`] gives done/total
//! runs, [`Explorer::cancel`] stops, and [`Exploration`] (the matrix) is serialisable. A Web
//! Worker holds an `Explorer`, calls `step` in slices and posts `snapshot()` back.
//!
//! A fault run starts from a snapshot of its preset's baseline taken just before its first
//! fault takes effect, not from the boot (`prefix.rs`): the same run, without simulating its
//! prefix again. [`Explorer::from_scratch`] runs each from the boot, as a check.
//!
//! A run ends as soon as it has settled (`World::settled`, `settle.rs`: nothing left in it can
//! change its outcome), not at the end of its settling time: most runs recover in seconds, and
//! the rest of `settle_ms` was most of the work. [`Explorer::to_the_end`] runs each to its end.
//!
//! Limits: at most `max_points` runs per preset (the points are thinned evenly beyond it and the
//! row says how many were thinned); each run is bounded by the scenario's own limits.

mod json;
mod matrix;
mod points;
mod prefix;
mod steps;

pub use json::{describe, matrix_json};
pub use matrix::{anomalies, Anomaly, Cell, Counterexample, PresetRow};
pub use points::FaultPoint;

use crate::model::presets::{self, PRESETS};
use crate::model::scenario::Scenario;
use crate::model::time::Millis;
use crate::model::World;
use serde::{Deserialize, Serialize};

/// What to explore. Defaults suit the catalogue scenarios.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExploreOptions {
    /// Preset ids (`presets::PRESETS`), in row order. Default: every preset. Unknown ids are
    /// skipped.
    pub presets: Vec<String>,
    /// Try node crashes (brokers, producers, consumers). Default true.
    pub crashes: bool,
    /// Also try a power loss for each broker crash. Default true.
    pub power_loss: bool,
    /// Try dropping each message. Default true.
    pub drops: bool,
    /// Try cutting each link for a window. Default true.
    pub partitions: bool,
    /// A crashed node restarts this long after its crash; `None`: it stays down. Default
    /// 5000 ms.
    pub restart_after_ms: Option<Millis>,
    /// A cut link heals this long after the cut. Default 10000 ms.
    pub heal_after_ms: Millis,
    /// Added to every run's `duration_ms` so recovery can finish (elections after
    /// `broker.session.timeout.ms`, retries after `request.timeout.ms`). Default 40000 ms.
    pub settle_ms: Millis,
    /// Crash at every distinct event time of the run, not only at the crashed node's own
    /// event times (see `points.rs`). Default false.
    pub every_event_time: bool,
    /// At most this many pairs of faults per preset (0: single faults only). Default 0.
    pub max_pairs: u32,
    /// The second fault of a pair starts at most this long after the first. Default 5000 ms.
    pub pair_window_ms: Millis,
    /// At most this many runs per preset. Default 50000.
    pub max_points: u32,
    /// This explorer's share of the work when several explorers (Web Workers) share it:
    /// `(k, n)` runs, in every row, only the points whose enumeration index is `k` modulo `n`.
    /// Default `None`: every point. The shares' matrices add up to the whole one
    /// (`PresetRow::absorb`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<(u32, u32)>,
}

impl Default for ExploreOptions {
    fn default() -> Self {
        Self {
            presets: PRESETS.iter().map(|p| p.id.to_string()).collect(),
            crashes: true,
            power_loss: true,
            drops: true,
            partitions: true,
            restart_after_ms: Some(5_000),
            heal_after_ms: 10_000,
            settle_ms: 40_000,
            every_event_time: false,
            max_pairs: 0,
            pair_window_ms: 5_000,
            max_points: 50_000,
            share: None,
        }
    }
}

/// The matrix, complete or partial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exploration {
    /// The scenario's name.
    pub scenario: String,
    pub options: ExploreOptions,
    /// One row per preset.
    pub rows: Vec<PresetRow>,
    /// Runs done and planned, over all presets.
    pub runs: u64,
    pub total: u64,
    /// Queue events of the fault runs, each run counted from its boot to its end or the moment
    /// it settled, as if simulated whole (the same number whether or not its prefix was
    /// shared).
    pub events: u64,
    /// Queue events actually simulated for them: the runs' suffixes after their shared
    /// prefixes, and the baseline walks those prefixes were taken from (equal to `events` for
    /// [`Explorer::from_scratch`]).
    #[serde(default)]
    pub simulated_events: u64,
    /// Every planned run was done.
    pub complete: bool,
    /// Stopped by [`Explorer::cancel`] (or the progress callback) before the end.
    pub cancelled: bool,
}

/// One row's counts so far: runs done and one count per column of [`Anomaly::ALL`]. What a
/// progress message carries so the matrix fills as the runs finish: a few numbers per preset,
/// without the counterexamples (whole scenarios, sent once with the finished matrix).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowCounts {
    pub runs: u32,
    pub counts: Vec<u32>,
}

impl Exploration {
    /// Each row's counts so far.
    pub fn counts(&self) -> Vec<RowCounts> {
        row_counts(&self.rows)
    }

    /// Puts `counts` (rows and columns in this matrix's order) into the matrix: the page's copy
    /// of a matrix under way, planned without counts, filled by each progress message. Rows or
    /// columns it does not have are ignored; `runs` becomes the sum of the rows' runs.
    pub fn apply_counts(&mut self, counts: &[RowCounts]) {
        for (row, new) in self.rows.iter_mut().zip(counts) {
            row.runs = new.runs;
            for (cell, &count) in row.cells.iter_mut().zip(&new.counts) {
                cell.count = count;
            }
        }
        self.runs = self.rows.iter().map(|r| u64::from(r.runs)).sum();
    }
}

fn row_counts(rows: &[PresetRow]) -> Vec<RowCounts> {
    rows.iter()
        .map(|row| RowCounts {
            runs: row.runs,
            counts: row.cells.iter().map(|c| c.count).collect(),
        })
        .collect()
}

/// How far an exploration has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
    /// Queue events of the runs done so far, each counted from its boot
    /// ([`Exploration::events`]).
    pub events: u64,
}

/// The scenario a preset's runs start from: the preset applied, `settle_ms` added.
fn prepared(scenario: &Scenario, preset: &str, o: &ExploreOptions) -> Option<Scenario> {
    let mut s = presets::apply(preset, scenario)?;
    s.duration_ms = s.duration_ms.saturating_add(o.settle_ms);
    Some(s)
}

fn run_to_end(scenario: Scenario) -> World {
    let mut w = World::new(scenario);
    w.run_until(w.scenario().duration_ms);
    w
}

/// Every fault point of a scenario as given (no preset), in order: singles by time, then pairs.
/// Each is a list of faults to append to the scenario's fault script.
pub fn fault_points(scenario: &Scenario, options: &ExploreOptions) -> Vec<FaultPoint> {
    let mut s = scenario.clone();
    s.duration_ms = s.duration_ms.saturating_add(options.settle_ms);
    let baseline = run_to_end(s);
    plan(&baseline, scenario.duration_ms, options).0
}

/// Each fault run of one preset (`None`: the scenario as given) started as the explorer starts
/// it (from a baseline snapshot when that is sound) but recording its whole trace, and run to
/// its end: `each(point, world, shared)`. The points are the explorer's, or `points` if given.
/// For tests that hold every such run against the same scenario run from scratch
/// (`tests/explorer_prefix.rs`).
#[doc(hidden)]
pub fn shared_runs(
    scenario: &Scenario,
    preset: Option<&str>,
    options: &ExploreOptions,
    points: Option<&[FaultPoint]>,
    each: &mut dyn FnMut(&FaultPoint, World, bool),
) {
    let s = match preset {
        Some(id) => prepared(scenario, id, options),
        None => {
            let mut s = scenario.clone();
            s.duration_ms = s.duration_ms.saturating_add(options.settle_ms);
            Some(s)
        }
    };
    let Some(s) = s else { return };
    let points = match points {
        Some(p) => p.to_vec(),
        None => plan(&run_to_end(s.clone()), scenario.duration_ms, options).0,
    };
    let mut cursor = prefix::Cursor::new(&s, &points, true);
    for point in &points {
        let start = cursor.start(point);
        let mut world = start.world;
        world.run_until(s.duration_ms);
        each(point, world, start.shared);
    }
}

/// The points of a finished baseline run, and how many were thinned out.
fn plan(baseline: &World, horizon_ms: Millis, o: &ExploreOptions) -> (Vec<FaultPoint>, u32) {
    let singles = points::single_points(baseline, horizon_ms, o);
    let pairs = points::pairs(&singles, o.max_pairs, o.pair_window_ms, o.restart_after_ms);
    let all: Vec<FaultPoint> = singles.into_iter().map(|p| p.point).chain(pairs).collect();
    let max = o.max_points as usize;
    if all.len() <= max {
        return (all, 0);
    }
    let thinned = (all.len() - max) as u32;
    let kept = (0..max).map(|m| all[m * all.len() / max].clone()).collect();
    (kept, thinned)
}

/// One preset's planned runs.
struct Job {
    scenario: Scenario,
    /// This explorer's share of the preset's points, and their enumeration indices.
    points: Vec<FaultPoint>,
    indices: Vec<u32>,
    /// An earlier job whose scenario is this one's but for its name (two presets that set the
    /// same configuration, typically the scenario as given and the preset it already is): this
    /// job's runs would be that job's, so they are not run again but counted from it.
    twin_of: Option<usize>,
}

/// The same configuration: equal but for the name (which no run reads).
fn same_configuration(a: &Scenario, b: &Scenario) -> bool {
    Scenario {
        name: b.name.clone(),
        ..a.clone()
    } == *b
}

/// An exploration in progress: run it in slices with [`Explorer::step`].
pub struct Explorer {
    name: String,
    options: ExploreOptions,
    jobs: Vec<Job>,
    rows: Vec<PresetRow>,
    /// (job, point) of the next run.
    job: usize,
    next: usize,
    /// The run under way, if a slice ended in the middle of it.
    current: Option<World>,
    /// The current job's baseline walked forward, the runs' starting point (`prefix.rs`).
    cursor: Option<prefix::Cursor>,
    /// Start runs from baseline snapshots (false: each from the boot) and count a twin job's
    /// runs from the job it is the twin of (false: run them too).
    sharing: bool,
    /// End a run once it has settled (`World::settled`) rather than at its end.
    stop_settled: bool,
    /// The run under way's next settle check (virtual time).
    check_at: Millis,
    done: u64,
    total: u64,
    events: u64,
    simulated: u64,
    cancelled: bool,
}

impl Explorer {
    /// Plans the exploration: runs each preset's baseline (one run each) and enumerates its
    /// fault points. The fault runs happen in [`Explorer::step`].
    pub fn new(scenario: &Scenario, options: ExploreOptions) -> Self {
        let mut jobs: Vec<Job> = Vec::new();
        let mut rows: Vec<PresetRow> = Vec::new();
        let (k, n) = options.share.map_or((0, 1), |(k, n)| (k, n.max(1)));
        for id in &options.presets {
            let (Some(p), Some(s)) = (presets::preset(id), prepared(scenario, id, &options)) else {
                continue;
            };
            let twin_of = jobs
                .iter()
                .position(|j| j.twin_of.is_none() && same_configuration(&j.scenario, &s));
            if let Some(t) = twin_of {
                let row = PresetRow {
                    preset: p.id.to_string(),
                    name: p.name.to_string(),
                    same_as: Some(rows[t].preset.clone()),
                    ..rows[t].clone()
                };
                rows[t].same_as.get_or_insert_with(|| p.id.to_string());
                let (points, indices) = (jobs[t].points.clone(), jobs[t].indices.clone());
                rows.push(row);
                jobs.push(Job {
                    scenario: s,
                    points,
                    indices,
                    twin_of,
                });
                continue;
            }
            let baseline = run_to_end(s.clone());
            let (all, thinned) = plan(&baseline, scenario.duration_ms, &options);
            let mut row = PresetRow::new(
                p.id,
                p.name,
                matrix::anomalies(&baseline),
                baseline.events_emitted(),
            );
            row.points = all.len() as u32;
            row.pairs = all.iter().filter(|x| x.faults_count > 1).count() as u32;
            row.thinned = thinned;
            let (indices, points): (Vec<u32>, Vec<FaultPoint>) = all
                .into_iter()
                .enumerate()
                .filter(|(i, _)| *i as u32 % n == k)
                .map(|(i, point)| (i as u32, point))
                .unzip();
            rows.push(row);
            jobs.push(Job {
                scenario: s,
                points,
                indices,
                twin_of: None,
            });
        }
        let total = jobs.iter().map(|j| j.points.len() as u64).sum();
        Self {
            name: scenario.name.clone(),
            options,
            jobs,
            rows,
            job: 0,
            next: 0,
            current: None,
            cursor: None,
            sharing: true,
            stop_settled: true,
            check_at: 0,
            done: 0,
            total,
            events: 0,
            simulated: 0,
            cancelled: false,
        }
    }

    /// The same exploration with every run simulated from its boot, whole, with its trace, as
    /// before prefix sharing: the reference the shared runs are tested against. Call before
    /// the first `step`.
    pub fn from_scratch(mut self) -> Self {
        self.sharing = false;
        self
    }

    /// The same exploration with every run simulated to its end, even once it has settled:
    /// the reference for stopping settled runs early. Call before the first `step`.
    pub fn to_the_end(mut self) -> Self {
        self.stop_settled = false;
        self
    }

    pub fn progress(&self) -> Progress {
        Progress {
            done: self.done,
            total: self.total,
            events: self.events,
        }
    }

    /// Whether every run is done, or the exploration was cancelled.
    pub fn is_done(&self) -> bool {
        self.cancelled || self.job >= self.jobs.len()
    }

    /// Stops: later `step` calls do nothing, and the result says it was cancelled.
    pub fn cancel(&mut self) {
        self.cancelled = true;
        self.current = None;
        self.cursor = None;
    }

    /// Simulates about `budget_events` queue events (at least one; the baseline walk to a run's
    /// snapshot counts), finishing runs and aggregating them as it goes; a run cut by the budget
    /// resumes on the next call.
    pub fn step(&mut self, budget_events: u64) -> Progress {
        let budget = budget_events.max(1);
        let mut spent: u64 = 0;
        while !self.is_done() && spent < budget {
            let Some(job) = self.jobs.get(self.job) else {
                break;
            };
            // A twin's runs are counted as its original's finish.
            let counted = self.sharing && job.twin_of.is_some();
            let Some(point) = job.points.get(self.next).filter(|_| !counted) else {
                self.job += 1;
                self.next = 0;
                self.cursor = None;
                continue;
            };
            if self.current.is_none() {
                let world = if self.sharing {
                    let cursor = self.cursor.get_or_insert_with(|| {
                        prefix::Cursor::new(&job.scenario, &job.points, false)
                    });
                    let start = cursor.start(point);
                    spent += start.walked;
                    self.simulated += start.walked;
                    start.world
                } else {
                    let mut s = job.scenario.clone();
                    s.faults.extend(point.faults.iter().cloned());
                    World::new(s)
                };
                // The shared prefix, counted as if simulated (`Exploration::events`).
                self.events += world.steps();
                // Steps go up to the next check of whether the run has settled (`settle.rs`),
                // kept across slices so that a run is the same however it is sliced.
                self.check_at = match self.stop_settled {
                    true => (world.now_ms() / SETTLE_CHECK_MS + 1) * SETTLE_CHECK_MS,
                    false => Millis::MAX,
                };
                self.current = Some(world);
            }
            let Some(world) = self.current.as_mut() else {
                break;
            };
            let end = world.scenario().duration_ms;
            let before = world.steps();
            let mut finished = false;
            let mut check = self.check_at.min(end);
            while spent + (world.steps() - before) < budget {
                if !world.step(check) {
                    if check >= end || world.settled() {
                        finished = true;
                        break;
                    }
                    world.run_until(check);
                    check = (check + SETTLE_CHECK_MS).min(end);
                }
            }
            self.check_at = check;
            spent += world.steps() - before;
            self.events += world.steps() - before;
            self.simulated += world.steps() - before;
            if !finished {
                break;
            }
            if let Some(w) = self.current.take() {
                let shown = matrix::anomalies(&w);
                let index = job.indices[self.next];
                let events = w.events_emitted();
                self.rows[self.job].add(index, &shown, point, events, || w.scenario().clone());
                let twins = self
                    .jobs
                    .iter()
                    .enumerate()
                    .filter(|(_, j)| self.sharing && j.twin_of == Some(self.job));
                for (t, twin) in twins {
                    let name = &twin.scenario.name;
                    let renamed = || Scenario {
                        name: name.clone(),
                        ..w.scenario().clone()
                    };
                    self.rows[t].add(index, &shown, point, events, renamed);
                    self.done += 1;
                    self.events += w.steps();
                }
            }
            self.done += 1;
            self.next += 1;
        }
        self.progress()
    }

    /// Each row's counts so far ([`Exploration::counts`] of the snapshot, without copying the
    /// counterexamples).
    pub fn counts(&self) -> Vec<RowCounts> {
        row_counts(&self.rows)
    }

    /// The matrix so far (partial until [`Explorer::is_done`]).
    pub fn snapshot(&self) -> Exploration {
        Exploration {
            scenario: self.name.clone(),
            options: self.options.clone(),
            rows: self.rows.clone(),
            runs: self.done,
            total: self.total,
            events: self.events,
            simulated_events: self.simulated,
            complete: self.done == self.total && !self.cancelled,
            cancelled: self.cancelled,
        }
    }

    /// Runs whatever is left (unless cancelled) and returns the matrix.
    pub fn finish(mut self) -> Exploration {
        while !self.is_done() {
            self.step(u64::MAX);
        }
        self.snapshot()
    }
}

/// How often (in virtual time) a run under way is asked whether it has settled.
const SETTLE_CHECK_MS: Millis = 100;

/// Slice size of [`explore`]: queue events between two progress calls.
const SLICE_EVENTS: u64 = 20_000;

/// Runs a whole exploration, calling `progress(done, total)` between slices; when it returns
/// false, the exploration stops and the partial matrix comes back marked cancelled.
pub fn explore(
    scenario: &Scenario,
    options: &ExploreOptions,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Exploration {
    let mut explorer = Explorer::new(scenario, options.clone());
    while !explorer.is_done() {
        let p = explorer.step(SLICE_EVENTS);
        if !progress(p.done, p.total) {
            explorer.cancel();
        }
    }
    explorer.snapshot()
}

/// The explorer benchmark's scenario (BENCHMARKS.md): the default three brokers and one
/// partition replicated three times, one producer with Kafka's defaults sending 20 records
/// 100 ms apart, one auto-committing consumer, 100 ms links; 5 s of story.
pub fn bench_scenario() -> Scenario {
    let mut s = Scenario {
        name: "explorer benchmark".into(),
        duration_ms: 5_000,
        ..Scenario::default()
    };
    s.network.latency_ms = 100;
    s.producers[0].workload.records = 20;
    s.producers[0].workload.interval_ms = 100;
    s
}
