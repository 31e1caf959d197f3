//! The group coordinator's side of `sendOffsetsToTransaction()` (KIP-98, KIP-447; spec §6.3):
//! `TxnOffsetCommit` writes a consume-transform-produce application's offsets to the group's
//! `__consumer_offsets` partition as transactional records, fenced by the group generation like a
//! plain commit; once replicated they are pending. The transaction's marker on that partition then
//! makes them the group's committed offsets (COMMIT) or drops them (ABORT). Until then
//! `OffsetFetch` answers `UNSTABLE_OFFSET_COMMIT` (see `dispatch.rs`), so a restarted application
//! does not start from offsets a transaction may still change.

use super::coordinator::PendingWrite;
use super::ids::NodeId;
use super::log::{ABORT_MARKER, COMMIT_MARKER};
use super::network::{Envelope, Outgoing};
use super::payload::{ErrorCode, Payload};
use super::trace::EventKind;
use super::world::World;

impl World {
    /// `TxnOffsetCommit` from a pipeline's producer reached broker `b`.
    pub(crate) fn txn_offset_commit(&mut self, b: u32, env: Envelope) {
        let (
            NodeId::Producer(p),
            Payload::TxnOffsetCommit {
                producer_id,
                producer_epoch,
                ..
            },
        ) = (env.from, &env.payload)
        else {
            return;
        };
        let (producer_id, producer_epoch) = (*producer_id, *producer_epoch);
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
            (!self.is_group_coordinator(b, &link.group)).then_some(ErrorCode::NotCoordinator);
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
            let txn = Some((producer_id, producer_epoch));
            match self.write_offsets(b, &link.group, consumer, &env.offsets, txn, env.id) {
                Ok(()) => {
                    let write = PendingWrite::TxnCommit {
                        producer: env.from,
                        producer_id,
                        group: link.group,
                        consumer,
                        offsets: env.offsets,
                    };
                    self.coordinator.writes.insert(env.id, (b, write));
                    return; // answered once replicated
                }
                Err(e) => error = Some(e),
            }
        }
        let payload = Payload::TxnResponse {
            request: env.id,
            error,
        };
        let out = self.stamped(me, env.from, payload);
        self.outbox.push(super::effects::Out::send(out));
    }

    /// The transaction's marker for the group's `__consumer_offsets` partition reached broker
    /// `b`: written to that partition's log like any marker, then (once replicated) it decides
    /// the pending offsets and is answered like a leader answers a marker.
    pub(crate) fn txn_offsets_marker(&mut self, b: u32, env: Envelope) {
        let Payload::TxnOffsetsMarker {
            producer_id,
            producer_epoch,
            commit,
            ref group,
        } = env.payload
        else {
            return;
        };
        let group = group.clone();
        let me = NodeId::Broker(b);
        let error = if self.is_group_coordinator(b, &group) {
            let txn = (producer_id, producer_epoch);
            match self.write_offsets_marker(b, &group, txn, commit, env.id) {
                Ok(()) => {
                    let write = PendingWrite::Marker {
                        from: env.from,
                        producer_id,
                        commit,
                        group,
                    };
                    self.coordinator.writes.insert(env.id, (b, write));
                    return;
                }
                Err(e) => e,
            }
        } else {
            ErrorCode::NotLeaderOrFollower
        };
        let payload = Payload::ProduceResponse {
            request: env.id,
            partition: 0,
            record: if commit { COMMIT_MARKER } else { ABORT_MARKER },
            more: Box::default(),
            base_offset: None,
            error: Some(error),
        };
        let out = self.stamped(me, env.from, payload);
        self.outbox.push(super::effects::Out::send(out));
    }

    /// A message from `from` to `to`, with the next message id.
    fn stamped(&mut self, from: NodeId, to: NodeId, payload: Payload) -> Outgoing {
        let mut out = Outgoing::new(from, to, payload);
        out.id = self.next_message_id;
        self.next_message_id += 1;
        out
    }
}
