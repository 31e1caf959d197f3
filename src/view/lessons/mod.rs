//! Guided lessons: narrated tours through the catalogue, one per lesson of the source notes.
//!
//! A lesson is data: each step names how to set up the stage (a catalogue scenario, maybe a
//! preset, maybe extra faults), the moment to show (a time, a turning point of the timeline, or
//! the end), what to watch, and optionally a question to predict before the answer is revealed.
//! All words are in [`text::LessonText`] (English and Russian); the UI only draws a step and
//! sends the scenario and the moment to the session.

pub mod text;
mod tours;

use crate::model::catalogue::scenario as catalogue_scenario;
use crate::model::commands::Fault;
use crate::model::presets::apply as apply_preset;
use crate::model::{Millis, Scenario, TraceEvent};
use crate::view::timeline::{marks, MarkKind};
pub use text::LessonText;
pub use tours::lessons;

#[derive(Debug, Clone)]
pub struct Lesson {
    /// Stable id, for links (`?lesson=at-most-once&step=2`).
    pub id: &'static str,
    pub title: LessonText,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub setup: Setup,
    pub moment: Moment,
    /// What to watch at this moment.
    pub watch: LessonText,
    pub predict: Option<Predict>,
}

/// How to set up the stage for a step.
#[derive(Debug, Clone)]
pub struct Setup {
    /// A catalogue scenario by name.
    pub scenario: &'static str,
    /// A configuration preset applied on top (`crate::model::presets`).
    pub preset: Option<&'static str>,
    /// Faults added to the scenario's own.
    pub faults: Vec<Fault>,
    /// A change the presets do not cover (a second consumer group, a longer run…).
    pub tweak: Option<fn(&mut Scenario)>,
}

impl Setup {
    pub fn catalogue(scenario: &'static str) -> Self {
        Self {
            scenario,
            preset: None,
            faults: Vec::new(),
            tweak: None,
        }
    }

    /// The scenario this step opens; `None` only if the lesson data names something missing
    /// (the tests check every step).
    pub fn scenario(&self) -> Option<Scenario> {
        let mut s = catalogue_scenario(self.scenario)?.ok()?;
        if let Some(preset) = self.preset {
            s = apply_preset(preset, &s)?;
        }
        s.faults.extend(self.faults.iter().cloned());
        if let Some(tweak) = self.tweak {
            tweak(&mut s);
        }
        s.validate().ok()?;
        Some(s)
    }
}

/// Where in the run a step puts the cursor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Moment {
    At(Millis),
    /// The first turning point of this kind on the timeline (the end if there is none).
    First(MarkKind),
    End,
}

impl Moment {
    pub fn resolve(self, trace: &[TraceEvent], end_ms: Millis) -> Millis {
        match self {
            Moment::At(ms) => ms.min(end_ms),
            Moment::First(kind) => marks(trace)
                .into_iter()
                .find(|m| m.kind == kind)
                .map_or(end_ms, |m| m.at_ms),
            Moment::End => end_ms,
        }
    }
}

/// A question asked before the answer is shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Predict {
    pub question: LessonText,
    /// The choices, with whether each is right.
    pub choices: Vec<(LessonText, bool)>,
    /// Why the right answer is right.
    pub reveal: LessonText,
}

/// The lesson with this id.
pub fn lesson(id: &str) -> Option<Lesson> {
    lessons().into_iter().find(|l| l.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::World;

    #[test]
    fn every_step_of_every_lesson_opens_and_its_moment_is_in_the_run() {
        let all = lessons();
        assert_eq!(all.len(), 7, "one lesson per lesson of the source notes");
        for lesson in &all {
            assert!(lesson.steps.len() >= 2, "{}", lesson.id);
            for (i, step) in lesson.steps.iter().enumerate() {
                let s = step
                    .setup
                    .scenario()
                    .unwrap_or_else(|| panic!("{} step {}", lesson.id, i + 1));
                let end = s.duration_ms;
                let mut world = World::new(s);
                world.run_until(end);
                let at = step.moment.resolve(world.trace(), end);
                assert!(at <= end);
                if let Moment::First(kind) = step.moment {
                    assert!(
                        marks(world.trace()).iter().any(|m| m.kind == kind),
                        "{} step {}: no {kind:?} on the timeline",
                        lesson.id,
                        i + 1
                    );
                }
                if let Some(p) = &step.predict {
                    assert_eq!(p.choices.iter().filter(|(_, right)| *right).count(), 1);
                }
            }
        }
    }

    #[test]
    fn two_consumer_groups_each_process_every_record() {
        let groups = lesson("consumer-groups").unwrap();
        let s = groups.steps[0].setup.scenario().unwrap();
        assert_eq!(s.consumers.len(), 2);
        let end = s.duration_ms;
        let mut world = World::new(s);
        world.run_until(end);
        let processed = |c: u32| {
            world
                .trace()
                .iter()
                .filter(|e| {
                    format!("{:?}", e.kind).starts_with("Processed")
                        && format!("{:?}", e.kind).contains(&format!("Consumer({c})"))
                })
                .count()
        };
        assert_eq!((processed(1), processed(2)), (5, 5));
    }
}
