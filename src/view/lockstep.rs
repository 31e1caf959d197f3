//! Lock-step: one scenario and one fault script, run under two configurations (A and B), watched
//! on one timeline with one cursor and one set of playback controls.
//!
//! Like [`super::session::Session`], each world runs its whole story as soon as it is opened (or
//! a command changes it), so the timeline can show where the two part; the cursor only chooses
//! which moment both stages draw. A command from the viewer (a crash button) becomes a line of the
//! shared fault script at the cursor's virtual time, so both runs live the same crash. The UI's
//! reducer wraps this type; the logic lives here so it is tested natively.

use super::compare::{divergence_text, first_divergence, Divergence, Run};
use super::compare_ledger::{compare_ledgers, LedgerComparison};
use super::i18n::Lang;
use super::ledger_view::{ledger_at, LedgerView};
use super::playback::{next_event_at, prev_event_at, step_speed, Playback};
use super::scene::FaultTargets;
use super::session::SessionAction;
use super::stage::{frame, Frame};
use super::timeline::{marks, Mark, MarkKind};
use crate::model::commands::Fault;
use crate::model::{presets, EventKind, Millis, Scenario, World};

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
    /// The viewer's commands given while comparing, applied to both runs.
    added: Vec<Fault>,
    worlds: [World; 2],
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
        let presets = [known(a), known(b)];
        let worlds = [
            run_to_end(configured(&base, &presets[0], &[])),
            run_to_end(configured(&base, &presets[1], &[])),
        ];
        let mut lockstep = Self {
            base,
            presets,
            added: Vec::new(),
            worlds,
            playback: Playback::default(),
            divergence: None,
            marks: Vec::new(),
            generation: 0,
        };
        lockstep.compare();
        lockstep
    }

    pub fn preset(&self, side: Side) -> &str {
        &self.presets[side.index()]
    }

    pub fn world(&self, side: Side) -> &World {
        &self.worlds[side.index()]
    }

    /// The viewer's commands so far, as fault-script lines shared by both runs.
    pub fn added(&self) -> &[Fault] {
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

    /// What one stage shows at the shared cursor.
    pub fn frame(&self, side: Side) -> Frame {
        let w = self.world(side);
        frame(w.scenario(), w.trace(), self.cursor())
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

    /// Each side's ledger at the cursor, from its frame's scene.
    pub fn ledger(&self, side: Side, frame: &Frame) -> LedgerView {
        let at_end = self.cursor() >= self.world(side).scenario().duration_ms;
        ledger_at(&frame.scene, self.world(side).trace(), at_end)
    }

    /// The two ledgers at the cursor, row by row.
    pub fn ledgers(&self, a: &Frame, b: &Frame) -> LedgerComparison {
        compare_ledgers(&self.ledger(Side::A, a), &self.ledger(Side::B, b))
    }

    /// What the fault controls offer: a node is down (offering a restart) only when it is down
    /// in both runs, so a crash is on offer while either run still has the node up (crashing a
    /// node that is already down changes nothing).
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
            ..ta
        }
    }

    /// The viewer's "at the next step" faults that have not fired in both runs yet.
    pub fn armed(&self) -> Vec<Fault> {
        let cursor = self.cursor();
        let fired = |w: &World, f: &Fault| {
            w.trace().iter().take_while(|e| e.at_ms <= cursor).any(
                |e| matches!(&e.kind, EventKind::CommandApplied { command } if *command == f.action),
            )
        };
        self.added
            .iter()
            .filter(|f| f.on.is_some() && !self.worlds.iter().all(|w| fired(w, f)))
            .cloned()
            .collect()
    }

    pub fn apply(&mut self, action: SessionAction) {
        let end_ms = self.end_ms();
        match action {
            SessionAction::Frame(timestamp_ms) => {
                self.playback.on_frame(timestamp_ms, end_ms);
            }
            SessionAction::TogglePlay => self.playback.toggle(end_ms),
            SessionAction::Pause => {
                if self.playback.playing {
                    self.playback.toggle(end_ms);
                }
            }
            SessionAction::Reset => {
                let [a, b] = self.presets.clone();
                let generation = self.generation + 1;
                *self = Lockstep::new(self.base.clone(), &a, &b);
                self.generation = generation;
            }
            SessionAction::SetSpeed(speed) => self.playback.set_speed(speed),
            SessionAction::Faster => self
                .playback
                .set_speed(step_speed(self.playback.speed, true)),
            SessionAction::Slower => self
                .playback
                .set_speed(step_speed(self.playback.speed, false)),
            SessionAction::StepForward => {
                self.apply(SessionAction::Pause);
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
                self.apply(SessionAction::Pause);
                let cursor = self.cursor();
                let prev = self
                    .worlds
                    .iter()
                    .filter_map(|w| prev_event_at(w.trace(), cursor))
                    .max();
                self.seek(prev.unwrap_or(0));
            }
            SessionAction::Seek(at_ms) => {
                self.apply(SessionAction::Pause);
                self.seek(at_ms.min(end_ms));
            }
            SessionAction::Command(command) => self.add_fault(Fault::at(self.cursor(), command)),
            SessionAction::Arm(fault) => self.add_fault(fault),
            SessionAction::Load(scenario) => {
                let [a, b] = self.presets.clone();
                let generation = self.generation + 1;
                *self = Lockstep::new(*scenario, &a, &b);
                self.generation = generation;
            }
        }
    }

    fn seek(&mut self, at_ms: Millis) {
        self.playback.cursor_ms = at_ms as f64;
    }

    /// Adds `fault` to both runs' fault script and runs both stories again.
    fn add_fault(&mut self, fault: Fault) {
        self.added.push(fault);
        self.rerun();
    }

    fn rerun(&mut self) {
        for side in Side::BOTH {
            let s = configured(&self.base, &self.presets[side.index()], &self.added);
            self.worlds[side.index()] = run_to_end(s);
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
