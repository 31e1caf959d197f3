//! The simulation as UI state: the model's world plus playback, changed only through actions.
//!
//! A reducer (Yew's `function_todomvc` house): plain state, an `Action` enum, `Reducible`.

use crate::model::{Scenario, World};
use crate::view::playback::Playback;
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone)]
pub struct Sim {
    pub world: World,
    pub playback: Playback,
    /// How many animation frames were painted while playing; the frame loop keys on it.
    pub frames: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// An animation frame at the browser's timestamp (ms).
    Frame(f64),
    TogglePlay,
    Reset,
    SetSpeed(f64),
}

impl Sim {
    pub fn new(scenario: Scenario) -> Self {
        Self {
            world: World::new(scenario),
            playback: Playback::default(),
            frames: 0,
        }
    }

    pub fn end_ms(&self) -> u64 {
        self.world.scenario().duration_ms
    }
}

impl PartialEq for Sim {
    /// Two states draw the same frame when they are at the same point of the same run.
    fn eq(&self, other: &Self) -> bool {
        self.playback == other.playback
            && self.frames == other.frames
            && self.world.trace().len() == other.world.trace().len()
    }
}

impl Reducible for Sim {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut sim = Rc::unwrap_or_clone(self);
        let end_ms = sim.end_ms();
        match action {
            Action::Frame(timestamp_ms) => {
                let cursor = sim.playback.on_frame(timestamp_ms, end_ms);
                sim.world.run_until(cursor);
                sim.frames += 1;
            }
            Action::TogglePlay => sim.playback.toggle(end_ms),
            Action::Reset => sim = Sim::new(sim.world.scenario().clone()),
            Action::SetSpeed(speed) => sim.playback.set_speed(speed),
        }
        // Playing from the end restarts at zero: the world must start again too.
        if sim.world.now_ms() > sim.playback.cursor() {
            let mut fresh = World::new(sim.world.scenario().clone());
            fresh.run_until(sim.playback.cursor());
            sim.world = fresh;
        }
        Rc::new(sim)
    }
}
