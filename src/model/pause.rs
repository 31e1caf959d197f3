//! A paused node: a stop-the-world GC pause, a frozen VM, a process stopped with SIGSTOP
//! (spec §1.2, `pause(node)`).
//!
//! A paused node keeps all its state but does nothing: messages reach its socket and wait there,
//! its timers fall due and wait, and it sends nothing (not even heartbeats). Everyone else goes
//! on: the controller stops hearing from a paused broker and fences it after
//! `broker.session.timeout.ms`; a group coordinator stops hearing a paused consumer's heartbeats
//! and rebalances after `session.timeout.ms`; a transaction coordinator aborts a paused
//! producer's transaction after `transaction.timeout.ms`. When the node resumes, everything that
//! waited for it happens at once, in the order it arrived, and the node acts on a view of the
//! world that is out of date: this is how Kafka's *zombies* are made.
//!
//! SIMPLIFY: the transaction coordinators' periodic tick and the OS page-cache flush are not
//! paused with the broker that hosts them (the first is one timer for all coordinators, the
//! second is the operating system's work, not the process's).

use super::effects::Due;
use super::ids::NodeId;
use super::trace::{DropReason, EventKind};
use super::world::World;

impl World {
    /// Whether `node` is paused now.
    pub fn is_paused(&self, node: NodeId) -> bool {
        self.paused.contains(&node)
    }

    /// The node a due item belongs to, if it belongs to one that can be paused.
    fn owner_of(&self, due: &Due) -> Option<NodeId> {
        Some(match due {
            Due::Deliver(env) => env.to,
            Due::Disconnect { client, .. } => *client,
            Due::AppSend { producer, .. }
            | Due::ProducerWake { producer, .. }
            | Due::RequestTimeout { producer, .. }
            | Due::DeliveryTimeout { producer, .. }
            | Due::PipeSend { producer, .. }
            | Due::PipeCommit { producer, .. } => NodeId::Producer(*producer),
            Due::FollowerFetch { broker, .. }
            | Due::FollowerFetchTimeout { broker, .. }
            | Due::FetchWaitExpired { broker, .. }
            | Due::ProduceWaitExpired { broker, .. }
            | Due::IsrCheck { broker, .. }
            | Due::RetentionCheck { broker, .. } => NodeId::Broker(*broker),
            Due::ConsumerStart { consumer, .. }
            | Due::Poll { consumer, .. }
            | Due::ProcessDone { consumer, .. }
            | Due::ConsumerRetry { consumer, .. }
            | Due::ConsumerRequestTimeout { consumer, .. }
            | Due::Heartbeat { consumer, .. }
            | Due::PollIntervalCheck { consumer, .. }
            | Due::PipeDone { consumer, .. } => NodeId::Consumer(*consumer),
            Due::MemberExpiry { group, .. } | Due::RebalanceCheck { group, .. } => {
                NodeId::Broker(self.group_host(group)?)
            }
            Due::Command(_)
            | Due::Flush { .. }
            | Due::SessionExpired { .. }
            | Due::TxnCoordinatorTick => return None,
        })
    }

    /// Keeps `due` for later if its node is paused; gives it back otherwise.
    pub(crate) fn hold_if_paused(&mut self, due: Due) -> Option<Due> {
        if self.paused.is_empty() {
            return Some(due);
        }
        match self.owner_of(&due) {
            Some(node) if self.paused.contains(&node) => {
                self.held.push((node, due));
                None
            }
            _ => Some(due),
        }
    }

    pub(crate) fn pause(&mut self, node: NodeId) {
        if matches!(node, NodeId::Controller) || !self.is_up(node) || self.is_paused(node) {
            return;
        }
        self.paused.push(node);
        self.record(EventKind::NodePaused { node });
        if let NodeId::Broker(b) = node {
            // Its heartbeats to the controller stop.
            self.expire_later(b);
        }
    }

    pub(crate) fn resume(&mut self, node: NodeId) {
        let Some(at) = self.paused.iter().position(|&n| n == node) else {
            return;
        };
        self.paused.remove(at);
        let (mine, others): (Vec<_>, Vec<_>) = std::mem::take(&mut self.held)
            .into_iter()
            .partition(|(n, _)| *n == node);
        self.held = others;
        self.record(EventKind::NodeResumed {
            node,
            waited: mine.len() as u32,
        });
        if let NodeId::Broker(b) = node {
            // Heartbeats again: a fenced broker is let back in (as when a cut link heals).
            if !self.network.is_cut(node, NodeId::Controller) {
                self.controller.renew_session(b);
                self.unfence(b);
            }
        }
        // Everything that waited happens now, in the order it arrived.
        for (_, due) in mine {
            self.queue.schedule(self.now_ms, due);
        }
    }

    /// A paused node that crashes is no longer paused; what waited for it is lost with it.
    pub(crate) fn forget_pause(&mut self, node: NodeId) {
        let Some(at) = self.paused.iter().position(|&n| n == node) else {
            return;
        };
        self.paused.remove(at);
        let (mine, others): (Vec<_>, Vec<_>) = std::mem::take(&mut self.held)
            .into_iter()
            .partition(|(n, _)| *n == node);
        self.held = others;
        for (_, due) in mine {
            if let Due::Deliver(env) = due {
                self.record(EventKind::MessageDropped {
                    id: env.id,
                    reason: DropReason::NodeDown,
                });
            }
        }
    }
}
