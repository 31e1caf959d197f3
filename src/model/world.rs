//! The world: every node, the network, the controller and the clock, advanced one event at a time.
//!
//! Handlers take a node's state and an input and push effects as data (`effects::Out`); one loop
//! ([`World::step`] → `World::apply`) sends the messages, sets the timers and records every change
//! in the trace, which also feeds the ledger and the fault triggers. A run is a pure function of
//! (scenario, seed, commands); `World` is `Clone`, so a snapshot is a clone.
//!
//! Limits: the trace stops growing at `limits.max_trace_events` (a `TraceLimitReached` event
//! marks the spot; the run, the ledger and the verdict carry on exactly); records are bounded by
//! the scenario (at most 1,000,000); in-flight messages are bounded by the clients' in-flight
//! limits and one fetch per replica and partition.

use super::broker::{Broker, Ctx};
use super::checker::{check, FinalState, Report};
use super::commands::{Command, Fault, Trigger};
use super::consumer::Consumer;
use super::controller::{Controller, PartitionMeta};
use super::coordinator::GroupCoordinator;
use super::effects::{ClientCtx, Due, Out, Outbox};
use super::ids::{MessageId, NodeId, PartitionId, RecordId};
use super::ledger::Ledger;
use super::network::Network;
use super::producer::Producer;
use super::recording::Recorder;
use super::rng::Rng;
use super::scenario::Scenario;
use super::time::{EventQueue, Millis};
use super::trace::TraceEvent;

mod build;

/// The whole simulated system. `Clone` is a snapshot: the UI seeks backwards by cloning.
#[derive(Debug, Clone)]
pub struct World {
    pub(crate) scenario: Scenario,
    pub(crate) now_ms: Millis,
    pub(crate) queue: EventQueue<Due>,
    pub(crate) trace: Vec<TraceEvent>,
    pub(crate) trace_limit: u32,
    pub(crate) events_emitted: u64,
    pub(crate) steps: u64,
    pub(crate) invariant_violations: u32,
    pub(crate) rng: Rng,
    pub(crate) network: Network,
    pub(crate) controller: Controller,
    pub(crate) brokers: Vec<Broker>,
    pub(crate) producers: Vec<Producer>,
    pub(crate) consumers: Vec<Consumer>,
    pub(crate) coordinator: GroupCoordinator,
    pub(crate) txn_coordinator: super::transaction::TransactionCoordinator,
    pub(crate) ledger: Ledger,
    pub(crate) next_message_id: MessageId,
    pub(crate) next_producer_id: i64,
    /// Faults waiting for their protocol step: (step, delay, command).
    pub(crate) triggers: Vec<(Trigger, Millis, Command)>,
    /// Steps watched without acting on them: (step, whether it has happened yet). The explorer
    /// watches its baseline to know whether a snapshot still precedes a trigger's first step
    /// (`explorer/prefix.rs`). Empty in every other world.
    pub(crate) watches: Vec<(Trigger, bool)>,
    /// Every command applied, with its time: with the scenario and seed, the whole run.
    pub(crate) commands: Vec<(Millis, Command)>,
    /// Triggered commands to apply right after the current effect.
    pub(crate) immediate: Vec<Command>,
    pub(crate) outbox: Outbox,
    /// Set while a step runs its last handler, which may then record its events straight into
    /// the trace (`recording.rs`); false otherwise.
    pub(crate) direct: bool,
    /// An emptied outbox kept for reuse (its capacity), so a step does not allocate one.
    spare_outbox: Outbox,
    /// Paused nodes (GC pause), and what fell due for them meanwhile, in order.
    pub(crate) paused: Vec<NodeId>,
    pub(crate) held: Vec<(NodeId, Due)>,
}

impl World {
    /// Builds the world for a scenario. A scenario that fails [`Scenario::validate`] still gives
    /// a world (out-of-range values are clamped, unusable settings fall back to Kafka's defaults),
    /// so this never panics; validate first to tell the user what was wrong.
    pub fn new(scenario: Scenario) -> Self {
        Self::build(scenario, Vec::new()).0
    }

    /// Whether a command due at `due_ms` can still be added as if it had been scripted from the
    /// start: the clock is before it (so no event due at or after it has been taken), or the
    /// world is at its boot.
    pub(crate) fn before(&self, due_ms: Millis) -> bool {
        self.now_ms < due_ms || (self.steps == 0 && self.now_ms == 0)
    }

    /// Appends `faults` to the fault script of a world that has not yet reached them, so that
    /// it goes on exactly as `World::new` of the scenario with those faults would have from the
    /// same point: a timed command goes where the boot would have queued it (after the script's
    /// own commands and the boot's timers due at its time, before everything queued later), a
    /// triggered one after the triggers already waiting. `slots` are those of this world's boot.
    ///
    /// The caller guarantees what makes that true: every timed fault is due after the last
    /// event taken ([`World::before`]; false is returned, and nothing changed, if not), and no
    /// event recorded so far matches a triggered fault's step (a watch tells,
    /// [`World::watch_matched`]).
    pub(crate) fn inject_faults(&mut self, faults: &[Fault], slots: &ScriptSlots) -> bool {
        let late = faults
            .iter()
            .any(|f| f.at_ms.is_some_and(|at| !self.before(at + f.delay_ms)));
        if late {
            return false;
        }
        let mut slots = slots.clone();
        for fault in faults {
            self.scenario.faults.push(fault.clone());
            self.install(fault.clone(), Some(&mut slots));
        }
        true
    }

    /// Whether a watched step has happened so far; `None` if it is not watched.
    pub(crate) fn watch_matched(&self, trigger: &Trigger) -> Option<bool> {
        self.watches
            .iter()
            .find(|(t, _)| t == trigger)
            .map(|&(_, matched)| matched)
    }

    pub(crate) fn allocate_producer_id(&mut self) -> i64 {
        let id = self.next_producer_id;
        self.next_producer_id += 1;
        id
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn now_ms(&self) -> Millis {
        self.now_ms
    }

    pub fn trace(&self) -> &[TraceEvent] {
        &self.trace
    }

    /// Trace events produced, including any past the trace limit.
    pub fn events_emitted(&self) -> u64 {
        self.events_emitted
    }

    /// Queue events applied (deliveries, timers, commands).
    pub fn steps(&self) -> u64 {
        self.steps
    }

    pub fn brokers(&self) -> &[Broker] {
        &self.brokers
    }

    pub fn producers(&self) -> &[Producer] {
        &self.producers
    }

    pub fn consumers(&self) -> &[Consumer] {
        &self.consumers
    }

    /// The controller's view of each partition: replicas, leader, leader epoch, ISR.
    pub fn partitions(&self) -> &[PartitionMeta] {
        &self.controller.partitions
    }

    pub fn controller(&self) -> &Controller {
        &self.controller
    }

    pub fn coordinator(&self) -> &GroupCoordinator {
        &self.coordinator
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Every command applied so far, with the virtual time it was applied at.
    pub fn commands(&self) -> &[(Millis, Command)] {
        &self.commands
    }

    /// Whether nothing is left to happen.
    pub fn is_idle(&self) -> bool {
        self.queue.is_empty()
    }

    /// How many partitions the scenario's topics have (the `__consumer_offsets` partitions
    /// follow them).
    pub fn data_partitions(&self) -> PartitionId {
        self.controller
            .partitions
            .iter()
            .take_while(|m| !m.internal)
            .count() as PartitionId
    }

    /// The broker number whose log is the partition's final word: its leader, or else its first
    /// ISR replica.
    pub fn authoritative_replica(&self, partition: PartitionId) -> Option<u32> {
        let meta = self.controller.partitions.get(partition as usize)?;
        meta.leader.or_else(|| meta.isr.first().copied())
    }

    /// The run's verdict so far (the ledger against the final logs and committed offsets).
    pub fn report(&self) -> Report {
        // The topics' partitions: `__consumer_offsets` is the coordinator's, not the ledger's.
        let data = self.data_partitions();
        let logs = (0..data)
            .map(|p| {
                self.authoritative_replica(p)
                    .and_then(|b| self.brokers[b as usize - 1].replica(p))
                    .map_or(&[][..], |r| r.log.entries())
            })
            .collect();
        let group = self
            .consumers
            .first()
            .map(|c| c.config.group_id.clone())
            .unwrap_or_default();
        let committed = (0..data)
            .map(|p| self.coordinator.committed(&group, p))
            .collect();
        let group_committed = self
            .consumers
            .iter()
            .map(|c| {
                let g = c.config.group_id.clone();
                let offsets = (0..data)
                    .map(|p| self.coordinator.committed(&g, p))
                    .collect();
                (g, offsets)
            })
            .collect();
        check(
            &self.ledger,
            &FinalState {
                logs,
                committed,
                group_committed,
                has_consumers: !self.consumers.is_empty(),
                invariant_violations: self.invariant_violations,
                log_starts: (0..data)
                    .map(|p| {
                        self.authoritative_replica(p)
                            .and_then(|b| self.brokers[b as usize - 1].replica(p))
                            .map_or(0, |r| r.log.log_start_offset())
                    })
                    .collect(),
            },
        )
    }

    /// Applies every event due at or before `until_ms` (capped at the scenario's duration), then
    /// sets the clock to `until_ms`.
    pub fn run_until(&mut self, until_ms: Millis) {
        let until_ms = until_ms.min(self.scenario.duration_ms);
        while self.step(until_ms) {}
        self.now_ms = self.now_ms.max(until_ms);
    }

    /// Applies the next event if it is due at or before `until_ms`; false if there was none.
    pub fn step(&mut self, until_ms: Millis) -> bool {
        let Some((at_ms, due)) = self.queue.pop_due(until_ms) else {
            return false;
        };
        debug_assert!(at_ms >= self.now_ms, "time never goes back");
        self.now_ms = self.now_ms.max(at_ms);
        self.steps += 1;
        if let Some(due) = self.hold_if_paused(due) {
            self.dispatch(due);
        }
        self.flush_outbox();
        true
    }

    /// Applies a command now (a UI button, a test), and records it.
    pub fn apply(&mut self, command: Command) {
        self.apply_command(command);
        self.flush_outbox();
    }

    /// Whether the handler about to run may record straight into the trace (`recording.rs`).
    fn recorder_allowed(&self) -> bool {
        self.direct && self.triggers.is_empty() && self.watches.is_empty()
    }

    /// Runs a client handler with a client context.
    pub(crate) fn with_client(&mut self, f: impl FnOnce(&mut ClientParts<'_>, &mut ClientCtx<'_>)) {
        let controller = &self.controller;
        let offsets_partitions = &self.coordinator.partition_of;
        let coordinator_of = |g: &str| {
            offsets_partitions
                .get(g)
                .and_then(|&p| controller.leader(p))
        };
        let brokers = self.brokers.len() as u32;
        let txn_coordinator_of = |id: &str| {
            super::transaction::TransactionCoordinator::host(id, brokers, |b| {
                !controller.is_fenced(b)
            })
        };
        let recorder = self.recorder_allowed().then_some(Recorder {
            trace: &mut self.trace,
            trace_limit: self.trace_limit,
            events_emitted: &mut self.events_emitted,
            invariant_violations: &mut self.invariant_violations,
            ledger: &mut self.ledger,
            queue: &mut self.queue,
        });
        let mut ctx = ClientCtx {
            now_ms: self.now_ms,
            out: &mut self.outbox,
            recorder,
            next_message_id: &mut self.next_message_id,
            rng: &mut self.rng,
            controller,
            coordinator_of: &coordinator_of,
            txn_coordinator_of: &txn_coordinator_of,
        };
        let mut parts = ClientParts {
            producers: &mut self.producers,
            consumers: &mut self.consumers,
        };
        f(&mut parts, &mut ctx);
    }

    /// Runs a broker handler with a broker context.
    pub(crate) fn with_broker(&mut self, broker: u32, f: impl FnOnce(&mut Broker, &mut Ctx<'_>)) {
        let direct = self.recorder_allowed();
        let Some(b) = self.brokers.get_mut(broker as usize - 1) else {
            return;
        };
        if !b.alive {
            return;
        }
        let reachable = !self
            .network
            .is_cut(NodeId::Broker(broker), NodeId::Controller);
        let recorder = direct.then_some(Recorder {
            trace: &mut self.trace,
            trace_limit: self.trace_limit,
            events_emitted: &mut self.events_emitted,
            invariant_violations: &mut self.invariant_violations,
            ledger: &mut self.ledger,
            queue: &mut self.queue,
        });
        let mut ctx = Ctx {
            now_ms: self.now_ms,
            config: &self.scenario.brokers.config,
            controller: &mut self.controller,
            controller_reachable: reachable,
            out: &mut self.outbox,
            recorder,
            next_message_id: &mut self.next_message_id,
        };
        f(b, &mut ctx);
    }

    /// Brings every live broker that can hear the controller in line with its view of a
    /// partition (KRaft metadata propagation, instantaneous here).
    /// `force` makes that broker re-take its role even if its view looks current (a restart).
    pub(crate) fn propagate(&mut self, p: PartitionId, force: Option<u32>) {
        let meta = self.controller.partitions[p as usize].clone();
        for &r in &meta.replicas {
            if self.network.is_cut(NodeId::Broker(r), NodeId::Controller) {
                continue;
            }
            self.with_broker(r, |b, ctx| {
                let Some(view) = b.replica(p) else { return };
                let same_epoch = force != Some(r)
                    && view.leader == meta.leader
                    && view.leader_epoch == meta.leader_epoch;
                if meta.leader == Some(r) {
                    if same_epoch {
                        if let Some(Some(rep)) = b.replicas.get_mut(p as usize) {
                            rep.isr = meta.isr.clone();
                        }
                        b.maybe_advance_high_watermark(p, ctx);
                        b.complete_delayed_produces(p, ctx);
                    } else {
                        b.become_leader(p, meta.leader_epoch, &meta.isr, &meta.replicas, ctx);
                    }
                } else if !same_epoch {
                    b.become_follower(p, meta.leader, meta.leader_epoch, &meta.isr, ctx);
                }
            });
        }
        if meta.internal {
            self.load_offsets_partition(p);
        }
    }

    pub(crate) fn propagate_all(&mut self) {
        for p in 0..self.controller.partitions.len() as PartitionId {
            self.propagate(p, None);
        }
    }

    /// Applies the effects handlers pushed, in order. A fault triggered with no delay applies
    /// right at its step: what the node would have done after it in the same handler (a message
    /// it would send) never happens, because a node that is down sends nothing.
    pub(crate) fn flush_outbox(&mut self) {
        while !self.outbox.is_empty() {
            let spare = std::mem::take(&mut self.spare_outbox);
            let mut outs = std::mem::replace(&mut self.outbox, spare);
            for out in outs.drain(..) {
                // Matched here rather than handed whole to a function: an `Out` is 144 bytes,
                // and the size-tuned build copied it once more per effect.
                match out {
                    Out::Trace(kind) => self.record(kind),
                    Out::Timer { at_ms, due } => self.queue.schedule(at_ms.max(self.now_ms), due),
                    Out::CoordinatorWrite {
                        broker,
                        request,
                        result,
                    } => self.coordinator_write_settled(broker, request, result),
                    Out::Send(env) => {
                        if !self.sender_up(env.from) {
                            super::network::Envelope::recycle(env);
                            continue;
                        }
                        self.send(env);
                    }
                }
                while !self.immediate.is_empty() {
                    let command = self.immediate.remove(0);
                    self.apply_command(command);
                }
            }
            let old = std::mem::replace(&mut self.spare_outbox, outs);
            if old.capacity() == 0 {
                // The empty vector `take` left (unless a nested flush put its buffer there):
                // nothing to free, and not worth an out-of-line drop call per flush.
                std::mem::forget(old);
            }
        }
    }

    fn sender_up(&self, node: NodeId) -> bool {
        match node {
            NodeId::Broker(b) => self.brokers.get(b as usize - 1).is_some_and(|x| x.alive),
            NodeId::Producer(p) => self.producers.get(p as usize - 1).is_some_and(|x| x.alive),
            NodeId::Consumer(c) => self.consumers.get(c as usize - 1).is_some_and(|x| x.alive),
            NodeId::Controller => true,
        }
    }
}

/// The clients, borrowed apart from the context the handlers get.
pub(crate) struct ClientParts<'a> {
    pub producers: &'a mut Vec<Producer>,
    pub consumers: &'a mut Vec<Consumer>,
}

/// Where a world's boot queued its fault script: how many queue entries were due at each time
/// before the boot's own handlers queued theirs (the script's timed commands and the boot's
/// timers). A command added later goes after these, as an extra line of the script would have.
#[derive(Debug, Clone, Default)]
pub(crate) struct ScriptSlots(Vec<(Millis, usize)>);

impl ScriptSlots {
    /// The position for one more scripted command due at `at_ms`, counted as taken.
    fn take(&mut self, at_ms: Millis) -> usize {
        match self.0.binary_search_by_key(&at_ms, |&(t, _)| t) {
            Ok(i) => {
                self.0[i].1 += 1;
                self.0[i].1 - 1
            }
            Err(i) => {
                self.0.insert(i, (at_ms, 1));
                0
            }
        }
    }
}
