//! The explorer on several Web Workers: the fault points are shared out over the workers (each
//! takes every n-th point of every row, `ExploreOptions::share`), and [`Fan`] merges what they
//! post into the messages of one exploration, so the panel's state
//! ([`super::explorer_view::ExplorerState`]) is the same whatever the number of workers. A run
//! does not depend on the other runs, so the merged matrix is exactly the one a single worker
//! gives (tested below). Sharing out points rather than dealing out whole rows keeps the workers
//! evenly loaded however the rows' costs differ, and keeps two presets that set the same
//! configuration in every worker, where the second is counted from the first, not run again.

use super::explorer_view::FromWorker;
use crate::model::explorer::{Exploration, ExploreOptions, PresetRow, Progress};

/// How many workers to use: one per core the browser reports (at most `max`, and at most one
/// per preset, so each has a fair amount of work), at least one.
pub fn workers_for(cores: usize, presets: usize, max: usize) -> usize {
    cores.min(presets).min(max).max(1)
}

/// The options of each worker: every preset, and the worker's share of each one's points.
pub fn split(options: &ExploreOptions, workers: usize) -> Vec<ExploreOptions> {
    let n = workers.max(1) as u32;
    if n == 1 {
        return vec![options.clone()];
    }
    (0..n)
        .map(|k| ExploreOptions {
            share: Some((k, n)),
            ..options.clone()
        })
        .collect()
}

/// One matrix from the workers' matrices: each preset's shares added up
/// (`PresetRow::absorb`), rows in the order of `options.presets`, counts summed, complete when
/// every part is, cancelled when any is.
pub fn merge(parts: &[&Exploration], options: &ExploreOptions) -> Exploration {
    let mut rows: Vec<PresetRow> = Vec::new();
    for row in parts.iter().flat_map(|x| &x.rows) {
        match rows.iter_mut().find(|r| r.preset == row.preset) {
            Some(r) => r.absorb(row),
            None => rows.push(row.clone()),
        }
    }
    let rank = |id: &str| options.presets.iter().position(|p| p == id);
    rows.sort_by_key(|r| rank(&r.preset));
    Exploration {
        scenario: parts
            .first()
            .map(|x| x.scenario.clone())
            .unwrap_or_default(),
        options: options.clone(),
        rows,
        runs: parts.iter().map(|x| x.runs).sum(),
        total: parts.iter().map(|x| x.total).sum(),
        events: parts.iter().map(|x| x.events).sum(),
        simulated_events: parts.iter().map(|x| x.simulated_events).sum(),
        complete: !parts.is_empty() && parts.iter().all(|x| x.complete),
        cancelled: parts.iter().any(|x| x.cancelled),
    }
}

/// What each worker of the current exploration has said so far.
#[derive(Debug, Default)]
pub struct Fan {
    options: ExploreOptions,
    /// Each worker's matrix: as planned, with the counts of its latest progress, or final.
    parts: Vec<Option<Exploration>>,
    done: Vec<bool>,
}

impl Fan {
    /// A new exploration over `workers` workers with these (whole) options: messages from an
    /// earlier exploration that are still on their way are ignored (a worker's messages come in
    /// order, and each exploration starts with `Planned`).
    pub fn new(options: ExploreOptions, workers: usize) -> Self {
        Self {
            options,
            parts: vec![None; workers],
            done: vec![false; workers],
        }
    }

    /// Only the first `workers` workers take part any more (the others were never started:
    /// the exploration was cancelled before they were spawned).
    pub fn truncate(&mut self, workers: usize) {
        self.parts.truncate(workers.max(1));
        self.done.truncate(workers.max(1));
    }

    fn merged(&self) -> Option<Exploration> {
        let parts: Option<Vec<&Exploration>> = self.parts.iter().map(Option::as_ref).collect();
        Some(merge(&parts?, &self.options))
    }

    /// Worker `i` posted `message`: what the panel should take, if anything yet.
    pub fn receive(&mut self, i: usize, message: FromWorker) -> Option<FromWorker> {
        if i >= self.parts.len() {
            return None;
        }
        let planned_before = self.parts.iter().all(Option::is_some);
        match message {
            FromWorker::Planned(x) => {
                self.parts[i] = Some(*x);
                self.done[i] = false;
            }
            FromWorker::Progress(p, counts) => {
                let part = self.parts[i].as_mut()?;
                if self.done[i] {
                    return None;
                }
                part.apply_counts(&counts);
                part.events = p.events;
            }
            FromWorker::Done(x) => {
                self.parts[i].as_ref()?;
                self.parts[i] = Some(*x);
                self.done[i] = true;
            }
            FromWorker::Ready => return None,
        }
        let merged = self.merged()?;
        if self.done.iter().all(|&d| d) {
            return Some(FromWorker::Done(Box::new(merged)));
        }
        if !planned_before {
            return Some(FromWorker::Planned(Box::new(merged)));
        }
        let progress = Progress {
            done: merged.runs,
            total: merged.total,
            events: merged.events,
        };
        Some(FromWorker::Progress(progress, merged.counts()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::explorer::{bench_scenario, Explorer};

    fn small() -> ExploreOptions {
        ExploreOptions {
            // The scenario as given is Kafka's defaults: a twin, counted in each share.
            presets: vec![
                "as-given".into(),
                "kafka-defaults".into(),
                "at-most-once".into(),
                "unsafe-acks-1".into(),
            ],
            max_points: 40,
            ..ExploreOptions::default()
        }
    }

    #[test]
    fn each_worker_gets_every_preset_and_a_share_of_its_points() {
        let o = small();
        let parts = split(&o, 2);
        assert_eq!(parts.len(), 2);
        assert!(parts.iter().all(|p| p.presets == o.presets));
        assert_eq!(
            (parts[0].share, parts[1].share),
            (Some((0, 2)), Some((1, 2)))
        );
        assert_eq!(split(&o, 1), vec![o.clone()]);
        assert_eq!(workers_for(8, 3, 4), 3);
        assert_eq!(workers_for(0, 8, 4), 1);
        assert_eq!(workers_for(16, 8, 4), 4);
    }

    /// Two workers, their messages interleaved as they might arrive: the panel gets Planned
    /// once, then progress whose counts only grow, then the same matrix one worker gives.
    #[test]
    fn the_merged_exploration_is_the_single_workers_one() {
        let s = bench_scenario();
        let o = small();
        let single = Explorer::new(&s, o.clone()).finish();
        let mut explorers: Vec<Explorer> = split(&o, 2)
            .into_iter()
            .map(|p| Explorer::new(&s, p))
            .collect();
        let mut fan = Fan::new(o.clone(), explorers.len());
        let mut out = Vec::new();
        for (i, e) in explorers.iter().enumerate() {
            out.extend(fan.receive(i, FromWorker::Planned(Box::new(e.snapshot()))));
        }
        // A stale message of an earlier exploration is ignored by a new fan.
        let mut fresh = Fan::new(o.clone(), 2);
        assert_eq!(
            fresh.receive(1, FromWorker::Done(Box::new(single.clone()))),
            None
        );
        let mut finished = [false, false];
        while !finished.iter().all(|&f| f) {
            for (i, e) in explorers.iter_mut().enumerate() {
                if finished[i] {
                    continue;
                }
                let p = e.step(3_000 + 1_000 * i as u64);
                if e.is_done() {
                    finished[i] = true;
                    out.extend(fan.receive(i, FromWorker::Done(Box::new(e.snapshot()))));
                } else {
                    out.extend(fan.receive(i, FromWorker::Progress(p, e.counts())));
                }
            }
        }
        assert!(matches!(out.first(), Some(FromWorker::Planned(_))));
        assert_eq!(
            out.iter()
                .filter(|m| matches!(m, FromWorker::Planned(_)))
                .count(),
            1
        );
        let mut last_done = 0;
        for m in &out {
            if let FromWorker::Progress(p, counts) = m {
                assert!(p.done >= last_done, "progress only grows");
                last_done = p.done;
                assert_eq!(counts.len(), 4);
            }
        }
        let Some(FromWorker::Done(merged)) = out.last() else {
            panic!("ends with Done: {:?}", out.last());
        };
        // Each worker walks every preset's baseline to its own points.
        assert!(merged.simulated_events > single.simulated_events);
        let merged = Exploration {
            simulated_events: single.simulated_events,
            ..(**merged).clone()
        };
        assert_eq!(merged, single);
        assert!(merged.complete && merged.runs == merged.total && merged.total > 0);
    }

    /// Cancelled before the second worker was spawned: the first worker's partial matrix ends
    /// the exploration.
    #[test]
    fn a_cancel_before_the_other_workers_start_ends_with_the_first_ones_matrix() {
        let s = bench_scenario();
        let o = small();
        let parts = split(&o, 2);
        let mut first = Explorer::new(&s, parts[0].clone());
        let mut fan = Fan::new(o, 2);
        assert_eq!(
            fan.receive(0, FromWorker::Planned(Box::new(first.snapshot()))),
            None,
            "waits for every worker's plan"
        );
        first.step(2_000);
        first.cancel();
        fan.truncate(1);
        let Some(FromWorker::Done(x)) =
            fan.receive(0, FromWorker::Done(Box::new(first.snapshot())))
        else {
            panic!("the cancel ends it");
        };
        assert!(x.cancelled && !x.complete && x.rows.len() == 4);
    }
}
