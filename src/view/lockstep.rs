//! Lock-step: one scenario and one fault script, run under two configurations (A and B), watched
//! on one timeline with one cursor and one set of playback controls.
//!
//! Like [`super::session::Session`], each world runs its whole story as soon as it is opened (or
//! a command changes it), so the timeline can show where the two part; the cursor only chooses
//! which moment both stages draw. A command from the viewer (a crash button) becomes a line of
//! both runs' fault scripts at the cursor's virtual time, so both runs live the same crash. An
//! "at the next step" button ([`NextStep`](super::next_step::NextStep)) is resolved in each run against that run's own frame:
//! "the next record" may be m3 in one run and m2 in the other. The UI's reducer wraps this type;
//! the logic lives here so it is tested natively.
//!
//! What each stage shows at the cursor comes from a [`ViewCache`] per run, as in a single
//! session, so an animation frame costs what changed since the last one.

use super::cache::{seen_at, ViewCache};
use super::compare::{divergence_text, first_divergence, Divergence, Run};
use super::compare_ledger::{compare_ledgers, LedgerComparison};
use super::i18n::Lang;
use super::ledger_view::LedgerView;
use super::playback::{next_event_at, prev_event_at, Playback};
use super::scene::FaultTargets;
use super::session::SessionAction;
use super::stage::Frame;
use super::timeline::{marks, Mark, MarkKind};
use crate::model::commands::Fault;
use crate::model::{presets, EventKind, Millis, Scenario, World};
use std::cell::RefCell;
use std::rc::Rc;

/// Which of the two runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    A,
    B,
}

impl Side {
    pub const BOTH: [Side; 2] = [Side::A, Side::B];

    pub fn index(self) -> usize {
        match self {
            Side::A => 0,
            Side::B => 1,
        }
    }

    /// The side's name in sentences and headings (the same in every language).
    pub fn name(self) -> &'static str {
        match self {
            Side::A => "A",
            Side::B => "B",
        }
    }
}

/// The configurations compared when compare mode opens: acks=1 against Kafka's defaults
/// (acks=all), the comparison the S2 lesson is about.
pub const DEFAULT_PRESETS: [&str; 2] = ["unsafe-acks-1", "kafka-defaults"];

#[derive(Debug, Clone)]
pub struct Lockstep {
    /// The scenario as opened (with the faults it already had), before any preset.
    base: Scenario,
    /// The preset id of each side.
    presets: [String; 2],
    /// The viewer's commands given while comparing, per run (A, B): the same line in both for a
    /// command at the cursor, each run's own reading of an "at the next step" button.
    added: [Vec<Fault>; 2],
    worlds: [World; 2],
    /// The views of each world's trace, kept between frames; replaced with the worlds.
    caches: [RefCell<ViewCache>; 2],
    pub playback: Playback,
    /// Where the two stories part, found when the worlds were run.
    divergence: Option<Divergence>,
    /// Both traces' turning points and the divergence, for the timeline.
    marks: Vec<Mark>,
    /// Counts the times the worlds were run, so views of whole traces can be memoised.
    generation: u64,
}

impl Lockstep {
    /// Opens `base` under presets `a` and `b`; an unknown preset id falls back to the scenario
    /// as given.
    pub fn new(base: Scenario, a: &str, b: &str) -> Self {
        Self::restore(base, [a, b], [Vec::new(), Vec::new()])
    }

    /// Opens `base` under `presets` with the viewer's faults of each run already given (a link).
    pub fn restore(base: Scenario, presets: [&str; 2], added: [Vec<Fault>; 2]) -> Self {
        let presets = presets.map(known);
        let worlds = [Side::A, Side::B].map(|side| {
            run_to_end(configured(
                &base,
                &presets[side.index()],
                &added[side.index()],
            ))
        });
        let caches = worlds
            .each_ref()
            .map(|w| RefCell::new(ViewCache::new(w.scenario())));
        let mut lockstep = Self {
            base,
            presets,
            added,
            worlds,
            caches,
            playback: Playback::default(),
            divergence: None,
            marks: Vec::new(),
            generation: 0,
        };
        lockstep.compare();
        lockstep
    }

    /// Both preset ids, A's first.
    pub fn presets(&self) -> [&str; 2] {
        [&self.presets[0], &self.presets[1]]
    }

    pub fn preset(&self, side: Side) -> &str {
        &self.presets[side.index()]
    }

    pub fn world(&self, side: Side) -> &World {
        &self.worlds[side.index()]
    }

    /// The viewer's commands so far, as fault-script lines of one run.
    pub fn added(&self, side: Side) -> &[Fault] {
        &self.added[side.index()]
    }

    /// Both runs' added fault-script lines, A's first.
    pub fn added_both(&self) -> &[Vec<Fault>; 2] {
        &self.added
    }

    /// Runs one side again under another preset; the cursor, the playback and the viewer's
    /// faults stay.
    pub fn set_preset(&mut self, side: Side, id: &str) {
        self.presets[side.index()] = known(id);
        self.rerun();
    }

    /// When the longer of the two runs ends.
    pub fn end_ms(&self) -> Millis {
        self.worlds
            .iter()
            .map(|w| w.scenario().duration_ms)
            .max()
            .unwrap_or(0)
    }

    pub fn cursor(&self) -> Millis {
        self.playback.cursor()
    }

    /// What one stage shows at the shared cursor: [`super::frame`] of its run.
    pub fn frame(&self, side: Side) -> Rc<Frame> {
        self.caches[side.index()]
            .borrow_mut()
            .frame(self.world(side).trace(), self.cursor())
    }

    /// Changes whenever the worlds run again (a preset, a fault, a reset): what depends on the
    /// whole traces, not on the cursor, can be kept until then.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn divergence(&self) -> Option<&Divergence> {
        self.divergence.as_ref()
    }

    /// The sentence saying when and how the runs part.
    pub fn divergence_text(&self, lang: Lang) -> String {
        let run = |side: Side| {
            let w = self.world(side);
            Run {
                name: side.name(),
                trace: w.trace(),
                replication_factor: w.scenario().topic.replication_factor,
            }
        };
        divergence_text(self.divergence.as_ref(), run(Side::A), run(Side::B), lang)
    }

    /// The timeline's marks: both runs' turning points, and where they part.
    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    /// Each side's ledger at the cursor: [`super::ledger_view::ledger_at`] of its run.
    pub fn ledger(&self, side: Side) -> Rc<LedgerView> {
        let at_end = self.cursor() >= self.world(side).scenario().duration_ms;
        self.caches[side.index()].borrow_mut().ledger(
            self.world(side).trace(),
            self.cursor(),
            at_end,
        )
    }

    /// The two ledgers at the cursor, row by row.
    pub fn ledgers(&self) -> LedgerComparison {
        compare_ledgers(&self.ledger(Side::A), &self.ledger(Side::B))
    }

    /// What the fault controls offer: a node is down (offering a restart) only when it is down
    /// in both runs, so a crash is on offer while either run still has the node up (crashing a
    /// node that is already down changes nothing). An "at the next step" button is offered when
    /// either run has something to aim it at; each run resolves it against its own frame.
    pub fn fault_targets(&self, a: &Frame, b: &Frame) -> FaultTargets {
        let (ta, tb) = (a.scene.fault_targets(), b.scene.fault_targets());
        let down_in_b = |n| tb.nodes.iter().any(|&(m, down)| m == n && down);
        FaultTargets {
            nodes: ta
                .nodes
                .iter()
                .map(|&(n, down)| (n, down && down_in_b(n)))
                .collect(),
            paused: ta
                .paused
                .iter()
                .copied()
                .filter(|n| tb.paused.contains(n))
                .collect(),
            leader: ta.leader.or(tb.leader),
            consumer: ta.consumer.or(tb.consumer),
            ..ta
        }
    }

    /// The viewer's "at the next step" faults that have not fired by the cursor, in either run
    /// (a line both runs share is listed once).
    pub fn armed(&self) -> Vec<Fault> {
        let cursor = self.cursor();
        let mut out: Vec<Fault> = Vec::new();
        for side in Side::BOTH {
            let trace = self.world(side).trace();
            let seen = &trace[..seen_at(trace, cursor)];
            let fired = |f: &Fault| {
                seen.iter().any(|e| {
                    matches!(&e.kind, EventKind::CommandApplied { command } if *command == f.action)
                })
            };
            for f in self.added(side) {
                if f.on.is_some() && !fired(f) && !out.contains(f) {
                    out.push(f.clone());
                }
            }
        }
        out
    }

    pub fn apply(&mut self, action: SessionAction) {
        let end_ms = self.end_ms();
        if self.playback.control(&action, end_ms) {
            return;
        }
        match action {
            SessionAction::Frame(timestamp_ms) => {
                self.playback.on_frame(timestamp_ms, end_ms);
            }
            SessionAction::Reset => {
                let base = self.base.clone();
                self.reopen(base);
            }
            SessionAction::StepForward => {
                self.playback.pause();
                let cursor = self.cursor();
                let next = self
                    .worlds
                    .iter()
                    .filter_map(|w| next_event_at(w.trace(), cursor))
                    .min();
                if let Some(at) = next {
                    self.seek(at);
                }
            }
            SessionAction::StepBack => {
                self.playback.pause();
                let cursor = self.cursor();
                let prev = self
                    .worlds
                    .iter()
                    .filter_map(|w| prev_event_at(w.trace(), cursor))
                    .max();
                self.seek(prev.unwrap_or(0));
            }
            SessionAction::Seek(at_ms) => {
                self.playback.pause();
                self.seek(at_ms.min(end_ms));
            }
            SessionAction::Command(command) => {
                let fault = Fault::at(self.cursor(), command);
                self.add_faults([Some(fault.clone()), Some(fault)]);
            }
            SessionAction::Arm(fault) => self.add_faults([Some(fault.clone()), Some(fault)]),
            SessionAction::AtNext(step) => {
                let cursor = self.cursor();
                let faults = Side::BOTH.map(|side| {
                    let targets = self.frame(side).scene.fault_targets();
                    step.fault(&targets, cursor)
                });
                self.add_faults(faults);
            }
            SessionAction::Load(scenario) => self.reopen(*scenario),
            SessionAction::TogglePlay
            | SessionAction::Pause
            | SessionAction::SetSpeed(_)
            | SessionAction::Faster
            | SessionAction::Slower => {}
        }
    }

    /// Opens `base` again under the same presets, without the viewer's faults, at t = 0.
    fn reopen(&mut self, base: Scenario) {
        let [a, b] = self.presets.clone();
        let generation = self.generation + 1;
        *self = Lockstep::new(base, &a, &b);
        self.generation = generation;
    }

    fn seek(&mut self, at_ms: Millis) {
        self.playback.cursor_ms = at_ms as f64;
    }

    /// Adds each run's fault (if any) to its fault script and runs both stories again.
    fn add_faults(&mut self, faults: [Option<Fault>; 2]) {
        if faults.iter().all(Option::is_none) {
            return;
        }
        for (added, fault) in self.added.iter_mut().zip(faults) {
            added.extend(fault);
        }
        self.rerun();
    }

    fn rerun(&mut self) {
        for side in Side::BOTH {
            let i = side.index();
            let s = configured(&self.base, &self.presets[i], &self.added[i]);
            self.worlds[i] = run_to_end(s);
            self.caches[i] = RefCell::new(ViewCache::new(self.worlds[i].scenario()));
        }
        self.generation += 1;
        self.compare();
    }

    fn compare(&mut self) {
        let [a, b] = &self.worlds;
        self.divergence = first_divergence(a.trace(), b.trace());
        let mut all: Vec<Mark> = marks(a.trace());
        for m in marks(b.trace()) {
            if !all.contains(&m) {
                all.push(m);
            }
        }
        all.extend(self.divergence.map(|d| Mark {
            at_ms: d.at_ms,
            kind: MarkKind::Divergence,
        }));
        all.sort_by_key(|m| (m.at_ms, m.kind));
        self.marks = all;
    }
}

/// `id` if it names a preset, else the scenario as given.
fn known(id: &str) -> String {
    presets::preset(id)
        .map_or(presets::AS_GIVEN, |p| p.id)
        .to_string()
}

/// The base scenario plus the viewer's faults, under a preset.
fn configured(base: &Scenario, preset: &str, added: &[Fault]) -> Scenario {
    let mut s = base.clone();
    s.faults.extend(added.iter().cloned());
    presets::apply(preset, &s).unwrap_or(s)
}

/// A world that has run its whole story.
fn run_to_end(scenario: Scenario) -> World {
    let end = scenario.duration_ms;
    let mut world = World::new(scenario);
    world.run_until(end);
    world
}

#[cfg(test)]
#[path = "lockstep_tests.rs"]
mod tests;
