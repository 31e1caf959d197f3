//! Prefix sharing: a fault run is its preset's baseline run until its first fault takes effect,
//! so it starts from a snapshot of the baseline taken just before then, with the fault added,
//! rather than from `World::new` and the whole story again.
//!
//! A [`Cursor`] walks one baseline forward as the points (in time order) ask for later starts,
//! and each run starts from a clone of it. The clone with the faults injected
//! (`World::inject_faults`) is the world `World::new` of the scenario with those faults would
//! have reached at the same event, exactly:
//! - a timed fault is due after the last event the cursor took, and goes into the queue where the
//!   boot would have put it: after the boot's timers and the script's own commands due at its
//!   time, before everything queued later (the queue takes events of one time in the order
//!   queued, so a command added late at the end of its time would come too late);
//! - a triggered fault's step has not happened in the prefix: the cursor watches every step the
//!   points wait for from its boot on (`World::watches`, matched as the triggers are), and a step
//!   already seen sends the point back to a run from scratch;
//! - until a fault takes effect, a run with it and the baseline take the same events in the same
//!   order (a queued command or a waiting trigger changes nothing before then), so the message
//!   ids, the RNG, the trace and every counter of the prefix are the baseline's.
//!
//! When a point starts earlier than the cursor (the pairs after the singles), the cursor starts
//! again from the boot. `tests/explorer_prefix.rs` compares every run with its run from scratch.
//!
//! The explorer reads nothing of a fault run's trace (a run is judged by its ledger and end
//! state, and sized by `events_emitted`, which goes on counting), so its runs record none past
//! the boot: the trace is write-only in the model, and keeping it is half of a clone's cost.

use super::points::FaultPoint;
use crate::model::commands::Trigger;
use crate::model::scenario::Scenario;
use crate::model::time::Millis;
use crate::model::world::ScriptSlots;
use crate::model::World;

/// One preset's baseline, walked forward.
pub(crate) struct Cursor {
    scenario: Scenario,
    watches: Vec<Trigger>,
    keep_trace: bool,
    world: World,
    slots: ScriptSlots,
}

/// A run ready to go on, and how it started.
pub(crate) struct Start {
    pub world: World,
    /// From a snapshot of the baseline (false: from scratch).
    pub shared: bool,
    /// Queue events the cursor took to get there.
    pub walked: u64,
}

impl Cursor {
    /// A cursor at the boot of `scenario` (a preset's prepared scenario), watching the steps the
    /// `points` wait for. `keep_trace`: the runs record their whole trace (for tests).
    pub fn new(scenario: &Scenario, points: &[FaultPoint], keep_trace: bool) -> Self {
        let mut watches: Vec<Trigger> = Vec::new();
        for trigger in points
            .iter()
            .flat_map(|p| &p.faults)
            .filter_map(|f| f.on.as_ref())
        {
            if !watches.contains(trigger) {
                watches.push(trigger.clone());
            }
        }
        let (world, slots) = boot(scenario, &watches, keep_trace);
        Self {
            scenario: scenario.clone(),
            watches,
            keep_trace,
            world,
            slots,
        }
    }

    /// The world a point's run starts from: a snapshot with its faults added when that is
    /// sound, else `World::new` of the scenario with them.
    pub fn start(&mut self, point: &FaultPoint) -> Start {
        let target = earliest(point);
        if !self.world.before(target) {
            (self.world, self.slots) = boot(&self.scenario, &self.watches, self.keep_trace);
        }
        let before = self.world.steps();
        // Take every event due before the target time.
        while target > 0 && self.world.step(target - 1) {}
        let walked = self.world.steps() - before;
        let unseen = point
            .faults
            .iter()
            .filter_map(|f| f.on.as_ref().filter(|_| f.at_ms.is_none()))
            .all(|t| self.world.watch_matched(t) == Some(false));
        if unseen {
            let watches = std::mem::take(&mut self.world.watches);
            let mut world = self.world.clone();
            self.world.watches = watches;
            if world.inject_faults(&point.faults, &self.slots) {
                return Start {
                    world,
                    shared: true,
                    walked,
                };
            }
        }
        let mut s = self.scenario.clone();
        s.faults.extend(point.faults.iter().cloned());
        let (world, _) = boot(&s, &[], self.keep_trace);
        Start {
            world,
            shared: false,
            walked,
        }
    }
}

/// The world of a scenario at its boot, watching `watches`, recording no trace past the boot
/// unless `keep_trace`.
fn boot(scenario: &Scenario, watches: &[Trigger], keep_trace: bool) -> (World, ScriptSlots) {
    let (mut world, slots) = World::build(scenario.clone(), watches.to_vec());
    if !keep_trace {
        world.trace_limit = 0;
    }
    (world, slots)
}

/// The earliest time a point's faults can take effect: its own time (a triggered fault's step
/// happens then in the baseline), or a timed fault due earlier.
fn earliest(point: &FaultPoint) -> Millis {
    point
        .faults
        .iter()
        .filter_map(|f| f.at_ms.map(|at| at + f.delay_ms))
        .fold(point.at_ms, Millis::min)
}
