//! Building a world from a scenario: the nodes, the topics' partitions and their replicas, the
//! internal topics, the fault script in the queue, and the first events (boot).

use super::*;

impl World {
    /// [`World::new`] with `watches` watched from the start, and where the fault script went in
    /// the queue (what [`World::inject_faults`] needs).
    pub(crate) fn build(scenario: Scenario, watches: Vec<Trigger>) -> (Self, ScriptSlots) {
        let brokers_n = scenario
            .brokers
            .count
            .clamp(1, crate::model::scenario::MAX_BROKERS);
        let partitions = scenario
            .total_partitions()
            .clamp(1, crate::model::scenario::MAX_PARTITIONS);
        // The topics' partitions, then the `__consumer_offsets` partitions the groups use.
        let all_partitions = partitions + scenario.offsets_partitions().len() as u32;
        let assignment: Vec<Vec<u32>> = (0..all_partitions)
            .map(|p| {
                let r = scenario.replicas(p);
                if r.is_empty() || r.iter().any(|&b| b == 0 || b > brokers_n) {
                    vec![p % brokers_n + 1]
                } else {
                    r
                }
            })
            .collect();
        let controller = Controller::new(
            assignment.clone(),
            brokers_n,
            scenario.topic.min_insync_replicas.max(1),
            scenario.topic.unclean_leader_election_enable,
        );
        let mut controller = controller;
        controller.retention = scenario.topic.retention();
        for meta in controller.partitions.iter_mut().skip(partitions as usize) {
            meta.internal = true;
        }
        let coordinator = GroupCoordinator::for_groups(
            scenario
                .groups()
                .into_iter()
                .filter_map(|g| scenario.group_offsets_partition(&g).map(|p| (g, p))),
        );
        let brokers = (1..=brokers_n)
            .map(|b| Broker::new(b, &assignment, &controller))
            .collect();
        let mut first_record: RecordId = 1;
        let producers = scenario
            .producers
            .iter()
            .take(crate::model::scenario::MAX_CLIENTS as usize)
            .enumerate()
            .map(|(i, spec)| {
                let config = spec.config.resolve().unwrap_or_else(|_| {
                    crate::model::config::ProducerConfig::default()
                        .resolve()
                        .expect("defaults are valid")
                });
                let mut workload = spec.workload.clone();
                workload.records = workload.records.min(crate::model::scenario::MAX_RECORDS);
                let range = scenario.producer_partitions(i);
                let range = range.start.min(partitions - 1)..range.end.min(partitions);
                workload.partition = workload
                    .partition
                    .map(|p| p + range.start)
                    .filter(|p| range.contains(p));
                let p = Producer::new(
                    i as u32 + 1,
                    config,
                    workload,
                    partitions,
                    brokers_n,
                    first_record,
                );
                first_record = first_record.saturating_add(p.workload.records);
                let mut p = p;
                p.transactional_id = spec.config.transactional_id.clone();
                p.topic = range;
                p
            })
            .collect::<Vec<_>>();
        // A pipeline's producer numbers its outputs after every input record: the output of
        // input record r is record `first + r - 1`, whichever attempt writes it.
        let inputs = first_record - 1;
        let mut producers = producers;
        for (i, c) in scenario.consumers.iter().enumerate() {
            let Some(NodeId::Producer(n)) = c.app.output_producer else {
                continue;
            };
            if let Some(p) = producers.get_mut(n as usize - 1) {
                p.pipeline = Some(crate::model::producer::PipelineLink {
                    consumer: i as u32 + 1,
                    group: c.config.group_id.clone().unwrap_or_else(|| "g".into()),
                });
                p.set_first_record(first_record);
                first_record = first_record.saturating_add(inputs);
            }
        }
        let consumers = scenario
            .consumers
            .iter()
            .take(crate::model::scenario::MAX_CLIENTS as usize)
            .enumerate()
            .map(|(i, spec)| {
                let config = spec.config.resolve().unwrap_or_else(|_| {
                    crate::model::config::ConsumerConfig::default()
                        .resolve()
                        .expect("defaults are valid")
                });
                let mut c = Consumer::new(i as u32 + 1, config, spec.app.clone(), partitions);
                c.set_topic(scenario.consumer_partitions(i));
                c
            })
            .collect::<Vec<_>>();
        let mut ledger = Ledger::with_groups(
            consumers
                .iter()
                .map(|c| (c.node(), c.config.group_id.clone())),
        );
        if scenario.output_topic.is_some() {
            for (i, c) in consumers.iter().enumerate() {
                ledger
                    .group_topics
                    .insert(c.config.group_id.clone(), scenario.consumer_partitions(i));
            }
        }
        ledger.read_committed = consumers
            .iter()
            .filter(|c| c.config.read_committed)
            .map(|c| c.node())
            .collect();
        let network = Network::new(
            scenario.network.latency_ms.min(60_000),
            scenario.network.jitter_ms.min(60_000),
            brokers_n,
            producers.len() as u32,
            consumers.len() as u32,
        );
        let mut world = Self {
            trace_limit: scenario
                .limits
                .max_trace_events
                .min(crate::model::scenario::MAX_TRACE_EVENTS),
            rng: Rng::seed_from_u64(scenario.seed),
            scenario,
            now_ms: 0,
            queue: EventQueue::default(),
            trace: Vec::new(),
            events_emitted: 0,
            steps: 0,
            invariant_violations: 0,
            network,
            controller,
            brokers,
            producers,
            consumers,
            coordinator,
            txn_coordinator: Default::default(),
            ledger,
            next_message_id: 1,
            next_producer_id: 1000,
            triggers: Vec::new(),
            watches: watches.into_iter().map(|t| (t, false)).collect(),
            commands: Vec::new(),
            immediate: Vec::new(),
            outbox: Vec::new(),
            direct: false,
            spare_outbox: Vec::new(),
            paused: Vec::new(),
            held: Vec::new(),
        };
        let slots = world.boot();
        (world, slots)
    }

    pub(super) fn boot(&mut self) -> ScriptSlots {
        for p in 0..self.controller.partitions.len() as PartitionId {
            for b in 1..=self.brokers.len() as u32 {
                self.propagate(p, Some(b));
            }
        }
        let cfg = self.scenario.brokers.config.clone();
        for b in &self.brokers {
            self.queue.schedule(
                cfg.os_flush_interval_ms.max(1),
                Due::Flush {
                    broker: b.id,
                    incarnation: 0,
                },
            );
            self.queue.schedule(
                (cfg.replica_lag_time_max_ms / 2).max(1),
                Due::IsrCheck {
                    broker: b.id,
                    incarnation: 0,
                },
            );
            if self.controller.retention != crate::model::log::Retention::default() {
                self.queue.schedule(
                    cfg.log_retention_check_interval_ms.max(1),
                    Due::RetentionCheck {
                        broker: b.id,
                        incarnation: 0,
                    },
                );
            }
        }
        for i in 0..self.producers.len() {
            let pid = self.allocate_producer_id();
            self.with_client(|w, ctx| w.producers[i].start(pid, ctx));
        }
        if self.producers.iter().any(|p| p.transactional_id.is_some()) {
            self.queue.schedule(0, Due::TxnCoordinatorTick);
        }
        for c in &self.consumers {
            self.queue.schedule(
                c.app.start_ms,
                Due::ConsumerStart {
                    consumer: c.id,
                    incarnation: 0,
                },
            );
        }
        for fault in self.scenario.faults.clone() {
            self.install(fault, None);
        }
        // Everything scheduled so far comes before what the boot's handlers scheduled (flushed
        // next) and before anything scheduled later.
        let slots = ScriptSlots(self.queue.due_counts());
        self.flush_outbox();
        slots
    }

    /// Puts one line of the fault script in place: a timed command into the queue (at the end
    /// of its time, or after the first `slots` entries of its time), a triggered one after the
    /// triggers already waiting.
    pub(super) fn install(&mut self, fault: Fault, slots: Option<&mut ScriptSlots>) {
        match (fault.at_ms, fault.on) {
            (Some(at), _) => {
                let due = at + fault.delay_ms;
                let command = Due::Command(fault.action);
                match slots {
                    None => self.queue.schedule(due, command),
                    Some(slots) => {
                        let position = slots.take(due);
                        self.queue.schedule_at_position(due, position, command);
                    }
                }
            }
            (None, Some(trigger)) => self.triggers.push((trigger, fault.delay_ms, fault.action)),
            (None, None) => {}
        }
    }
}
