//! A viewing session: one run of the model and where the viewer is in it.
//!
//! The world runs the whole story as soon as it is opened (or changed by a command), so the
//! timeline can show its turning points; the cursor may be anywhere, and every frame is drawn
//! from the trace up to the cursor. Moving back is only moving the cursor. The UI's reducer wraps this type; the logic lives here so it is tested
//! natively.
//!
//! What the viewer sees at the cursor (the frame, the ledger, the explanation, the timeline's
//! marks) comes from a [`ViewCache`] of the current world, so an animation frame costs what
//! changed since the last one; it gives exactly what the from-scratch functions give.

use super::cache::{seen_at, ViewCache};
use super::explain::Line;
use super::i18n::Lang;
use super::ledger_view::LedgerView;
use super::next_step::NextStep;
use super::playback::{next_event_at, prev_event_at, Playback};
use super::stage::Frame;
use super::timeline::Mark;
use crate::model::commands::{Command, Fault};
use crate::model::{EventKind, Millis, Scenario, World};
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct Session {
    /// The scenario as it was opened, before the viewer's own commands.
    base: Scenario,
    /// The viewer's commands (crash buttons, dropped messages, cut links), as fault-script
    /// lines at the virtual time they were given. The world runs `base` plus these, so a shared
    /// link that carries them replays the same story.
    added: Vec<Fault>,
    pub world: World,
    pub playback: Playback,
    /// Set when the last command was given before a moment the viewer had already watched: the
    /// future they saw was discarded.
    pub forked: bool,
    /// The latest moment the viewer has watched.
    seen_ms: Millis,
    /// The views of `world`'s trace, kept between frames; replaced with the world.
    cache: RefCell<ViewCache>,
}

/// What the viewer can do to a session.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionAction {
    /// An animation frame painted at the browser's timestamp (ms).
    Frame(f64),
    TogglePlay,
    Pause,
    Reset,
    SetSpeed(f64),
    Faster,
    Slower,
    /// To the next event of the trace (running the model if it has not got there yet).
    StepForward,
    /// To the previous event of the trace.
    StepBack,
    /// To a virtual time, e.g. from the timeline.
    Seek(Millis),
    /// Apply a command (crash, restart, drop, partition…) at the cursor.
    Command(Command),
    /// Add a fault that waits for a protocol step, as a fault-script line (a link's faults).
    Arm(Fault),
    /// An "at the next step" button: resolved against the run at the cursor (in compare mode,
    /// against each run's own frame).
    AtNext(NextStep),
    /// Open another scenario (a catalogue entry, a changed configuration, an uploaded file).
    Load(Box<Scenario>),
}

impl Session {
    pub fn new(scenario: Scenario) -> Self {
        let world = run_to_end(scenario.clone());
        Self {
            cache: RefCell::new(ViewCache::new(world.scenario())),
            world,
            base: scenario,
            added: Vec::new(),
            playback: Playback::default(),
            forked: false,
            seen_ms: 0,
        }
    }

    /// The scenario as opened, without the viewer's commands.
    pub fn base(&self) -> &Scenario {
        &self.base
    }

    /// The viewer's commands so far, as fault-script lines.
    pub fn added(&self) -> &[Fault] {
        &self.added
    }

    /// When the run ends.
    pub fn end_ms(&self) -> Millis {
        self.world.scenario().duration_ms
    }

    pub fn cursor(&self) -> Millis {
        self.playback.cursor()
    }

    /// What the stage shows at the cursor: [`super::frame`].
    pub fn frame(&self) -> Rc<Frame> {
        self.cache
            .borrow_mut()
            .frame(self.world.trace(), self.cursor())
    }

    /// Whether the cursor is at the end of the run (the ledger's verdict is final).
    pub fn at_end(&self) -> bool {
        self.cursor() >= self.end_ms()
    }

    /// The ledger at the cursor: [`super::ledger_view::ledger_at`].
    pub fn ledger(&self) -> Rc<LedgerView> {
        let at_end = self.at_end();
        self.cache
            .borrow_mut()
            .ledger(self.world.trace(), self.cursor(), at_end)
    }

    /// The last `limit` sentences of the story at the cursor: [`super::explain::explain`].
    pub fn explain(&self, lang: Lang, limit: usize) -> Rc<Vec<Line>> {
        self.cache
            .borrow_mut()
            .explain(self.world.trace(), self.cursor(), lang, limit)
    }

    /// The turning points of the whole story: [`super::timeline::marks`].
    pub fn marks(&self) -> Rc<Vec<Mark>> {
        self.cache.borrow_mut().marks(self.world.trace())
    }

    /// The viewer's "at the next step" faults whose step has not come by the cursor.
    pub fn armed_faults(&self) -> Vec<Fault> {
        let waiting = self.added.iter().filter(|f| f.on.is_some());
        if waiting.clone().next().is_none() {
            return Vec::new();
        }
        let trace = self.world.trace();
        let fired: Vec<&Command> = trace[..seen_at(trace, self.cursor())]
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::CommandApplied { command } => Some(command),
                _ => None,
            })
            .collect();
        waiting
            .filter(|f| !fired.contains(&&f.action))
            .cloned()
            .collect()
    }

    pub fn apply(&mut self, action: SessionAction) {
        let end_ms = self.end_ms();
        if self.playback.control(&action, end_ms) {
            return;
        }
        match action {
            SessionAction::Frame(timestamp_ms) => {
                let cursor = self.playback.on_frame(timestamp_ms, end_ms);
                self.run_to(cursor);
            }
            SessionAction::Reset => *self = Session::new(self.base.clone()),
            SessionAction::StepForward => {
                self.playback.pause();
                let cursor = self.cursor();
                if let Some(at) = self.next_event_after(cursor) {
                    self.seek(at);
                }
            }
            SessionAction::StepBack => {
                self.playback.pause();
                let at = prev_event_at(self.world.trace(), self.cursor()).unwrap_or(0);
                self.seek(at);
            }
            SessionAction::Seek(at_ms) => {
                self.playback.pause();
                self.seek(at_ms.min(end_ms));
            }
            SessionAction::Command(command) => {
                let at = Fault::at(self.cursor(), command);
                self.add_fault(at)
            }
            SessionAction::Arm(fault) => self.add_fault(fault),
            SessionAction::AtNext(step) => {
                let targets = self.frame().scene.fault_targets();
                if let Some(fault) = step.fault(&targets, self.cursor()) {
                    self.add_fault(fault);
                }
            }
            SessionAction::Load(scenario) => *self = Session::new(*scenario),
            SessionAction::TogglePlay
            | SessionAction::Pause
            | SessionAction::SetSpeed(_)
            | SessionAction::Faster
            | SessionAction::Slower => {}
        }
    }

    /// Adds `fault` to the viewer's fault script and runs the story again up to the cursor.
    /// Playback keeps its state, so a crash while playing plays on.
    fn add_fault(&mut self, fault: Fault) {
        self.forked = self.cursor() < self.seen_ms;
        self.seen_ms = self.cursor();
        self.added.push(fault);
        let mut scenario = self.base.clone();
        scenario.faults.extend(self.added.iter().cloned());
        self.world = run_to_end(scenario);
        self.cache = RefCell::new(ViewCache::new(self.world.scenario()));
    }

    fn seek(&mut self, at_ms: Millis) {
        self.playback.cursor_ms = at_ms as f64;
        self.run_to(at_ms);
    }

    /// Runs the model through every event due at or before `at_ms`, including the rest of those
    /// at the current millisecond (a step may have stopped half-way through them).
    fn run_to(&mut self, at_ms: Millis) {
        self.seen_ms = self.seen_ms.max(at_ms);
        if at_ms >= self.world.now_ms() {
            self.world.run_until(at_ms);
        }
    }

    /// The first event after `cursor`, running the model forward one event at a time until the
    /// trace has one (or the run ends).
    fn next_event_after(&mut self, cursor: Millis) -> Option<Millis> {
        let end_ms = self.end_ms();
        loop {
            if let Some(at) = next_event_at(self.world.trace(), cursor) {
                return Some(at);
            }
            if !self.world.step(end_ms) {
                return None;
            }
        }
    }
}

/// A world that has run its whole story.
fn run_to_end(scenario: Scenario) -> World {
    let end = scenario.duration_ms;
    let mut world = World::new(scenario);
    world.run_until(end);
    world
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session::new(Scenario::default())
    }

    #[test]
    fn stepping_forward_lands_on_each_event_in_turn_and_back_returns() {
        let mut s = session();
        s.apply(SessionAction::StepForward);
        let first = s.cursor();
        s.apply(SessionAction::StepForward);
        let second = s.cursor();
        assert!(second > first, "{second} > {first}");
        assert!(s.world.trace().iter().any(|e| e.at_ms == second));
        s.apply(SessionAction::StepBack);
        assert_eq!(s.cursor(), first);
    }

    #[test]
    fn stepping_back_restores_the_earlier_frame() {
        let mut s = session();
        s.apply(SessionAction::Seek(700));
        let before = s.frame();
        s.apply(SessionAction::StepForward);
        s.apply(SessionAction::StepForward);
        s.apply(SessionAction::Seek(700));
        assert_eq!(s.frame(), before);
    }

    #[test]
    fn a_step_shows_every_event_of_its_millisecond_so_back_and_forth_agree() {
        let mut s = session();
        for _ in 0..3 {
            s.apply(SessionAction::StepForward);
        }
        let third = s.frame();
        s.apply(SessionAction::StepForward);
        s.apply(SessionAction::StepBack);
        assert_eq!(s.frame(), third);
    }

    #[test]
    fn seeking_past_the_end_stops_at_the_end_and_pauses() {
        let mut s = session();
        s.apply(SessionAction::TogglePlay);
        s.apply(SessionAction::Seek(u64::MAX));
        assert_eq!(s.cursor(), s.end_ms());
        assert!(!s.playback.playing);
    }

    #[test]
    fn a_crash_given_now_is_in_the_trace_and_in_the_replayable_fault_script() {
        use crate::model::{EventKind, NodeId};
        let mut s = session();
        s.apply(SessionAction::Seek(1000));
        let crash = Command::Crash {
            node: NodeId::Broker(1),
            mode: Default::default(),
        };
        s.apply(SessionAction::Command(crash.clone()));
        assert!(!s.forked, "the viewer had not watched beyond the cursor");
        assert_eq!(s.added(), &[Fault::at(1000, crash.clone())]);
        s.apply(SessionAction::Seek(3000));
        let crashed = |s: &Session| {
            s.world.trace().iter().any(|e| {
                e.at_ms == 1000
                    && matches!(
                        e.kind,
                        EventKind::NodeCrashed {
                            node: NodeId::Broker(1),
                            ..
                        }
                    )
            })
        };
        assert!(crashed(&s));
        // A fresh world given the same scenario and fault script tells the same story.
        let mut replay_scenario = s.base().clone();
        replay_scenario.faults.extend(s.added().iter().cloned());
        let replay = run_to_end(replay_scenario);
        assert_eq!(replay.trace(), s.world.trace());
    }

    #[test]
    fn acting_in_the_past_forks_history() {
        use crate::model::NodeId;
        let mut s = session();
        s.apply(SessionAction::Seek(4000));
        s.apply(SessionAction::Seek(1000));
        s.apply(SessionAction::Command(Command::Crash {
            node: NodeId::Consumer(1),
            mode: Default::default(),
        }));
        assert!(s.forked, "the future watched after 1000 ms was discarded");
        assert!(s
            .world
            .trace()
            .iter()
            .any(|e| e.at_ms == 1000
                && matches!(e.kind, crate::model::EventKind::NodeCrashed { .. })));
        s.apply(SessionAction::Reset);
        assert!(s.added().is_empty() && !s.forked);
    }

    #[test]
    fn an_at_next_step_button_arms_the_fault_for_the_next_record_of_this_run() {
        use super::NextStep;
        use crate::model::commands::Trigger;
        let mut s = session();
        s.apply(SessionAction::Seek(1000));
        let next = s.frame().scene.fault_targets().next_record;
        assert!(next > 1, "some records were sent by 1000 ms");
        s.apply(SessionAction::AtNext(NextStep::CrashLeaderAfterAppend));
        assert_eq!(
            s.added().first().and_then(|f| f.on.clone()),
            Some(Trigger::LeaderAppended { record: next })
        );
        assert_eq!(s.armed_faults().len(), 1);
        s.apply(SessionAction::Seek(u64::MAX));
        assert!(s.armed_faults().is_empty(), "it fired");
    }

    #[test]
    fn faster_and_slower_walk_the_speed_ladder() {
        let mut s = session();
        s.apply(SessionAction::Faster);
        assert_eq!(s.playback.speed, 2.0);
        s.apply(SessionAction::Slower);
        s.apply(SessionAction::Slower);
        assert_eq!(s.playback.speed, 0.5);
    }
}
