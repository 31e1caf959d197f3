//! Applying a command (from the fault script or the UI): crash, restart, pause and resume a node,
//! cut and heal a link, drop a message, change a topic setting.

use super::*;

impl World {
    /// Applies a command now and records it.
    pub(crate) fn apply_command(&mut self, command: Command) {
        self.commands.push((self.now_ms, command.clone()));
        self.record(EventKind::CommandApplied {
            command: command.clone(),
        });
        // A consume-transform-produce application's consumer and producer are one process.
        let partner = match &command {
            Command::Crash { node, .. }
            | Command::Restart { node }
            | Command::Pause { node }
            | Command::Resume { node } => self.scenario.pipeline_partner(*node),
            _ => None,
        };
        match command {
            Command::Crash { node, mode } => {
                self.crash(node, mode);
                if let Some(partner) = partner {
                    self.crash(partner, mode);
                }
            }
            Command::Restart { node } => {
                self.restart(node);
                if let Some(partner) = partner {
                    self.restart(partner);
                }
            }
            Command::Drop(selector) => self.network.arm(selector),
            Command::Partition { a, b } => {
                if self.network.cut(a, b) {
                    self.record(EventKind::LinkCut { a, b });
                    for (x, y) in [(a, b), (b, a)] {
                        if let (NodeId::Broker(n), NodeId::Controller) = (x, y) {
                            self.expire_later(n);
                        }
                    }
                }
            }
            Command::Heal { a, b } => {
                if self.network.heal(a, b) {
                    self.record(EventKind::LinkHealed { a, b });
                    for (x, y) in [(a, b), (b, a)] {
                        if let (NodeId::Broker(n), NodeId::Controller) = (x, y) {
                            self.controller.renew_session(n);
                            if self.brokers[n as usize - 1].alive {
                                self.unfence(n);
                            }
                        }
                    }
                }
            }
            Command::SetTopicConfig(TopicSetting::MinInsyncReplicas(n)) => {
                self.controller.min_insync_replicas = n.max(1);
                self.propagate_all();
            }
            Command::SetTopicConfig(TopicSetting::UncleanLeaderElectionEnable(on)) => {
                self.controller.unclean_leader_election_enable = on;
                let mut out = std::mem::take(&mut self.outbox);
                self.controller.elect_leaderless(&mut out);
                self.outbox = out;
                self.propagate_all();
            }
            Command::Close {
                node: NodeId::Consumer(c),
            } => {
                let inc = self
                    .consumers
                    .get(c as usize - 1)
                    .map_or(0, |x| x.incarnation);
                self.consumer(c, inc, |x, ctx| x.close(ctx));
            }
            Command::Close { .. } => {}
            Command::Pause { node } => {
                self.pause(node);
                if let Some(partner) = partner {
                    self.pause(partner);
                }
            }
            Command::Resume { node } => {
                self.resume(node);
                if let Some(partner) = partner {
                    self.resume(partner);
                }
            }
        }
    }

    pub(crate) fn unfence(&mut self, broker: u32) {
        let mut out = std::mem::take(&mut self.outbox);
        self.controller.unfence(broker, &mut out);
        self.outbox = out;
        self.propagate_all();
    }

    pub(super) fn crash(&mut self, node: NodeId, mode: CrashMode) {
        self.forget_pause(node);
        if !self.is_up(node) && !matches!(node, NodeId::Consumer(_)) {
            return;
        }
        match node {
            NodeId::Broker(b) => {
                let mut out = std::mem::take(&mut self.outbox);
                self.brokers[b as usize - 1].crash(mode, &mut out);
                self.outbox = out;
                self.coordinator_down(b);
                self.record(EventKind::NodeCrashed { node, mode });
                self.expire_later(b);
                // Its connections reset: every peer learns one trip later, behind what was sent.
                let peers: Vec<NodeId> = (1..=self.brokers.len() as u32)
                    .filter(|&x| x != b)
                    .map(NodeId::Broker)
                    .chain((1..=self.producers.len() as u32).map(NodeId::Producer))
                    .chain((1..=self.consumers.len() as u32).map(NodeId::Consumer))
                    .collect();
                for peer in peers {
                    let at = self.network.arrival_behind(self.now_ms, node, peer);
                    self.queue.schedule(
                        at,
                        Due::Disconnect {
                            client: peer,
                            peer: node,
                        },
                    );
                }
            }
            NodeId::Producer(p) => {
                self.producers[p as usize - 1].crash();
                self.record(EventKind::NodeCrashed { node, mode });
            }
            NodeId::Consumer(c) => {
                if !self.consumers[c as usize - 1].alive {
                    return;
                }
                self.consumers[c as usize - 1].crash();
                self.record(EventKind::NodeCrashed { node, mode });
            }
            NodeId::Controller => {}
        }
    }

    pub(super) fn restart(&mut self, node: NodeId) {
        match node {
            NodeId::Broker(b) => {
                if self.brokers[b as usize - 1].alive {
                    return;
                }
                self.record(EventKind::NodeRestarted { node });
                self.with_broker_even_if_down(b);
                // A new incarnation registers: the old one is fenced first (its leaderships
                // move), then the broker is let back in and follows (or leads) again.
                self.controller.renew_session(b);
                let mut out = std::mem::take(&mut self.outbox);
                self.controller.fence(b, &mut out);
                self.outbox = out;
                self.propagate_all();
                if !self.network.is_cut(node, NodeId::Controller) {
                    self.unfence(b);
                }
                for p in 0..self.controller.partitions.len() as PartitionId {
                    self.propagate(p, Some(b));
                }
            }
            NodeId::Producer(p) => {
                let i = p as usize - 1;
                if self.producers[i].alive {
                    return;
                }
                self.record(EventKind::NodeRestarted { node });
                let pid = self.allocate_producer_id();
                self.with_client(|parts, ctx| parts.producers[i].restart(pid, ctx));
            }
            NodeId::Consumer(c) => {
                let i = c as usize - 1;
                if self.consumers[i].alive && !self.consumers[i].closed {
                    return;
                }
                self.record(EventKind::NodeRestarted { node });
                self.with_client(|parts, ctx| parts.consumers[i].restart(ctx));
            }
            NodeId::Controller => {}
        }
    }

    pub(super) fn with_broker_even_if_down(&mut self, b: u32) {
        let broker = &mut self.brokers[b as usize - 1];
        broker.alive = true;
        self.with_broker(b, |br, ctx| br.restart(ctx));
    }
}
