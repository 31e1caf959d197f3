//! The group coordinator's side of `sendOffsetsToTransaction()` (KIP-98, KIP-447; spec §6.3):
//! `TxnOffsetCommit` holds a consume-transform-produce application's offsets pending, fenced by
//! the group generation like a plain commit; the transaction's marker on the group's
//! `__consumer_offsets` partition then makes them the group's committed offsets (COMMIT) or drops
//! them (ABORT). Until then `OffsetFetch` answers `UNSTABLE_OFFSET_COMMIT` (see `dispatch.rs`),
//! so a restarted application does not start from offsets a transaction may still change.

use super::coordinator::GroupCoordinator;
use super::ids::NodeId;
use super::log::{ABORT_MARKER, COMMIT_MARKER};
use super::network::{Envelope, Outgoing};
use super::payload::{ErrorCode, Payload};
use super::trace::EventKind;
use super::world::World;

impl World {
    fn hosts_group(&self, b: u32, group: &str) -> bool {
        GroupCoordinator::host(group, self.brokers.len() as u32, |x| {
            !self.controller.is_fenced(x)
        }) == Some(b)
    }

    /// `TxnOffsetCommit` from a pipeline's producer reached broker `b`.
    pub(crate) fn txn_offset_commit(&mut self, b: u32, env: Envelope) {
        let (NodeId::Producer(p), Payload::TxnOffsetCommit { producer_id, .. }) =
            (env.from, &env.payload)
        else {
            return;
        };
        let producer_id = *producer_id;
        let Some(link) = self
            .producers
            .get(p as usize - 1)
            .and_then(|x| x.pipeline.clone())
        else {
            return;
        };
        let me = NodeId::Broker(b);
        let consumer = NodeId::Consumer(link.consumer);
        let mut error =
            (!self.hosts_group(b, &link.group)).then_some(ErrorCode::CoordinatorNotAvailable);
        if error.is_none() {
            // KIP-447: the application's consumer must still be the member it says it is.
            error = self.validate_commit(&link.group, link.consumer, env.aux as i32);
            if let Some(e) = error {
                self.record(EventKind::CommitRejected {
                    consumer,
                    group: link.group.clone(),
                    generation: env.aux as i32,
                    error: e,
                });
            }
        }
        if error.is_none() {
            self.coordinator.pending_txn.insert(
                producer_id,
                (link.group.clone(), consumer, env.offsets.clone()),
            );
            self.record(EventKind::TxnOffsetsPending {
                coordinator: me,
                producer_id,
                group: link.group,
                offsets: env.offsets.clone(),
            });
        }
        let payload = Payload::TxnResponse {
            request: env.id,
            error,
        };
        let out = self.stamped(me, env.from, payload);
        self.outbox.push(super::effects::Out::Send(out));
    }

    /// The transaction's marker for the group's `__consumer_offsets` partition reached broker
    /// `b`: decide the pending offsets, and answer like a leader answers a marker.
    pub(crate) fn txn_offsets_marker(&mut self, b: u32, env: Envelope) {
        let Payload::TxnOffsetsMarker {
            producer_id,
            commit,
            ..
        } = env.payload
        else {
            return;
        };
        let me = NodeId::Broker(b);
        let group = self
            .coordinator
            .pending_txn
            .get(&producer_id)
            .map(|(g, _, _)| g.clone());
        let serves = group.as_deref().is_none_or(|g| self.hosts_group(b, g));
        let error = (!serves).then_some(ErrorCode::NotLeaderOrFollower);
        if serves {
            if let Some((group, consumer, offsets)) =
                self.coordinator.pending_txn.remove(&producer_id)
            {
                if commit {
                    self.store_committed_offsets(me, &group, consumer, &offsets);
                }
                self.record(EventKind::TxnOffsetsDecided {
                    coordinator: me,
                    producer_id,
                    group,
                    commit,
                });
            }
        }
        let payload = Payload::ProduceResponse {
            request: env.id,
            partition: 0,
            record: if commit { COMMIT_MARKER } else { ABORT_MARKER },
            base_offset: None,
            error,
        };
        let out = self.stamped(me, env.from, payload);
        self.outbox.push(super::effects::Out::Send(out));
    }

    /// A message from `from` to `to`, with the next message id.
    fn stamped(&mut self, from: NodeId, to: NodeId, payload: Payload) -> Outgoing {
        let mut out = Outgoing::new(from, to, payload);
        out.id = self.next_message_id;
        self.next_message_id += 1;
        out
    }
}
