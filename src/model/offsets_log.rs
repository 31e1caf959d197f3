//! `__consumer_offsets` as a replicated partition (spec §4.4, §5.1, §6.3): the group
//! coordinator is the leader of the group's offsets partition; it writes offset commits,
//! transactional offset commits and transaction markers to that partition's log like any leader
//! (the followers fetch them), answers once the high watermark passes them, and a new leader
//! loads its cache from its own replica. See `coordinator.rs` for the cache.

use super::broker::{Broker, Ctx, PendingProduce};
use super::coordinator::{OffsetRecord, PendingWrite};
use super::effects::{Due, Out};
use super::ids::{MessageId, NodeId, Offset, PartitionId, RecordId};
use super::log::{LogEntry, ABORT_MARKER, COMMIT_MARKER, OFFSETS_RECORD};
use super::network::Outgoing;
use super::payload::{ErrorCode, Payload};
use super::trace::EventKind;
use super::world::World;

/// `offsets.commit.timeout.ms`: how long a commit waits for the ISR before `REQUEST_TIMED_OUT`.
pub const OFFSETS_COMMIT_TIMEOUT_MS: u64 = 5_000;

/// One coordinator write: the records, and the transaction they belong to (producer id and
/// epoch), if any.
pub(crate) struct Write<'a> {
    pub records: &'a [RecordId],
    pub txn: Option<(i64, i16)>,
    pub request: MessageId,
}

impl Broker {
    /// The group coordinator on this broker writes to its `__consumer_offsets` partition as its
    /// leader (acks=all): the leader epoch and the offsets written, or why not.
    pub(crate) fn append_coordinator_records(
        &mut self,
        partition: PartitionId,
        write: &Write<'_>,
        ctx: &mut Ctx<'_>,
    ) -> Result<(u32, Vec<Offset>), ErrorCode> {
        let id = self.id;
        let Some(r) = self
            .replicas
            .get_mut(partition as usize)
            .and_then(Option::as_mut)
            .filter(|r| r.is_leader(id))
        else {
            return Err(ErrorCode::NotLeaderOrFollower);
        };
        if r.isr.len() < ctx.controller.effective_min_isr(partition) {
            return Err(ErrorCode::NotEnoughReplicas);
        }
        let (producer_id, producer_epoch) = write.txn.unwrap_or((-1, -1));
        let leader_epoch = r.leader_epoch;
        let mut offsets = Vec::with_capacity(write.records.len());
        for &record in write.records {
            let offset = r.log.append(LogEntry {
                record,
                leader_epoch,
                producer_id,
                producer_epoch,
                sequence: -1,
                base_sequence: -1,
                transactional: write.txn.is_some(),
            });
            r.log.stamp(offset, ctx.now_ms, &ctx.controller.retention);
            offsets.push(offset);
        }
        if let Some(&last) = offsets.last() {
            r.purgatory.push(PendingProduce {
                request: write.request,
                producer: NodeId::Broker(id),
                record: OFFSETS_RECORD,
                more: Box::default(),
                offset: last,
                coordinator: true,
            });
            ctx.timer(
                ctx.now_ms + OFFSETS_COMMIT_TIMEOUT_MS,
                Due::ProduceWaitExpired {
                    broker: id,
                    partition,
                    request: write.request,
                },
            );
            self.after_leader_append(partition, ctx);
            if write.txn.is_some() {
                self.trace_last_stable_offset(partition, ctx);
            }
        }
        Ok((leader_epoch, offsets))
    }
}

/// What a client hears when the offsets partition's write failed (`GroupMetadataManager`).
fn coordinator_error(e: ErrorCode) -> ErrorCode {
    match e {
        ErrorCode::NotLeaderOrFollower => ErrorCode::NotCoordinator,
        ErrorCode::NotEnoughReplicas | ErrorCode::NotEnoughReplicasAfterAppend => {
            ErrorCode::CoordinatorNotAvailable
        }
        other => other,
    }
}

impl World {
    /// The broker hosting `group`'s coordinator: the leader of its `__consumer_offsets`
    /// partition.
    pub(crate) fn group_host(&self, group: &str) -> Option<u32> {
        let p = *self.coordinator.partition_of.get(group)?;
        self.controller.leader(p)
    }

    /// Whether broker `b` is `group`'s coordinator and has loaded its offsets.
    pub(crate) fn is_group_coordinator(&self, b: u32, group: &str) -> bool {
        let Some(&p) = self.coordinator.partition_of.get(group) else {
            return false;
        };
        self.controller.leader(p) == Some(b)
            && matches!(self.coordinator.loaded.get(&p), Some(Some((x, _))) if *x == b)
    }

    /// Appends `write` to `group`'s offsets partition on broker `b` as its leader: the
    /// partition, the leader epoch and the offsets written, or the leader's error.
    fn append_to_group_log(
        &mut self,
        b: u32,
        group: &str,
        write: &Write<'_>,
    ) -> Result<(PartitionId, u32, Vec<Offset>), ErrorCode> {
        let p = *self
            .coordinator
            .partition_of
            .get(group)
            .ok_or(ErrorCode::NotLeaderOrFollower)?;
        let mut result = Err(ErrorCode::NotLeaderOrFollower);
        self.with_broker(b, |br, ctx| {
            result = br.append_coordinator_records(p, write, ctx);
        });
        let (epoch, at) = result?;
        Ok((p, epoch, at))
    }

    /// Writes offsets of `group` (committed by `by`) to its offsets partition on broker `b`;
    /// traced. Settled later through [`Out::CoordinatorWrite`].
    pub(crate) fn write_offsets(
        &mut self,
        b: u32,
        group: &str,
        by: NodeId,
        offsets: &[(PartitionId, Offset)],
        txn: Option<(i64, i16)>,
        request: MessageId,
    ) -> Result<(), ErrorCode> {
        let records = vec![OFFSETS_RECORD; offsets.len()];
        let write = Write {
            records: &records,
            txn,
            request,
        };
        let (p, epoch, at) = self
            .append_to_group_log(b, group, &write)
            .map_err(coordinator_error)?;
        let offsets_partition = super::coordinator::GroupCoordinator::offsets_partition(group);
        for (&log_offset, &(partition, offset)) in at.iter().zip(offsets) {
            self.coordinator.records.insert(
                (p, epoch, log_offset),
                OffsetRecord {
                    group: group.to_string(),
                    partition,
                    offset,
                    by,
                },
            );
            self.record(EventKind::OffsetsLogAppended {
                broker: NodeId::Broker(b),
                group: group.to_string(),
                partition,
                offset,
                offsets_partition,
                log_offset,
                log_partition: p,
                leader_epoch: epoch,
            });
        }
        Ok(())
    }

    /// Writes a transaction's marker to `group`'s offsets partition on broker `b`.
    pub(crate) fn write_offsets_marker(
        &mut self,
        b: u32,
        group: &str,
        txn: (i64, i16),
        commit: bool,
        request: MessageId,
    ) -> Result<(), ErrorCode> {
        let records = [if commit { COMMIT_MARKER } else { ABORT_MARKER }];
        let write = Write {
            records: &records,
            txn: Some(txn),
            request,
        };
        let (p, leader_epoch, at) = self.append_to_group_log(b, group, &write)?;
        self.record(EventKind::MarkerAppended {
            broker: NodeId::Broker(b),
            partition: p,
            offset: at[0],
            producer_id: txn.0,
            commit,
            leader_epoch,
        });
        Ok(())
    }

    /// A coordinator write was replicated to the ISR, or failed: apply it to the cache (only
    /// the coordinator that loaded the partition has the cache) and answer.
    pub(crate) fn coordinator_write_settled(
        &mut self,
        b: u32,
        request: MessageId,
        result: Result<Offset, ErrorCode>,
    ) {
        let Some((host, write)) = self.coordinator.writes.remove(&request) else {
            return;
        };
        debug_assert_eq!(host, b, "settled by the broker that wrote it");
        let me = NodeId::Broker(b);
        let (to, payload) = match write {
            PendingWrite::Commit {
                group,
                consumer,
                offsets,
            } => {
                let error = self.settled_error(b, &group, result, coordinator_error);
                if error.is_none() {
                    self.store_committed_offsets(me, &group, consumer, &offsets);
                }
                let payload = Payload::OffsetCommitResponse { request, error };
                (consumer, payload)
            }
            PendingWrite::TxnCommit {
                producer,
                producer_id,
                group,
                consumer,
                offsets,
            } => {
                let error = self.settled_error(b, &group, result, coordinator_error);
                if error.is_none() {
                    self.coordinator
                        .pending_txn
                        .insert(producer_id, (group.clone(), consumer, offsets.clone()));
                    self.record(EventKind::TxnOffsetsPending {
                        coordinator: me,
                        producer_id,
                        group,
                        offsets,
                    });
                }
                (producer, Payload::TxnResponse { request, error })
            }
            PendingWrite::Marker {
                from,
                producer_id,
                commit,
                group,
            } => {
                // A marker's answer keeps the partition leader's error codes.
                let error = self.settled_error(b, &group, result, |e| e);
                if error.is_none() {
                    self.decide_txn_offsets(me, producer_id, commit);
                }
                let payload = Payload::ProduceResponse {
                    request,
                    partition: 0,
                    record: if commit { COMMIT_MARKER } else { ABORT_MARKER },
                    more: Box::default(),
                    base_offset: None,
                    error,
                };
                (from, payload)
            }
        };
        let mut out = Outgoing::new(me, to, payload);
        out.id = self.next_message_id;
        self.next_message_id += 1;
        self.outbox.push(Out::send(out));
    }

    /// The error a settled write answers with: the write's own (as `client` words it), or not
    /// being the group's coordinator any more (a deposed leader's cache is not the group's).
    fn settled_error(
        &self,
        b: u32,
        group: &str,
        result: Result<Offset, ErrorCode>,
        client: fn(ErrorCode) -> ErrorCode,
    ) -> Option<ErrorCode> {
        match result {
            Err(e) => Some(client(e)),
            Ok(_) if !self.is_group_coordinator(b, group) => {
                Some(client(ErrorCode::NotLeaderOrFollower))
            }
            Ok(_) => None,
        }
    }

    /// A transaction's marker is in the group's log: its pending offsets become committed
    /// (COMMIT) or are dropped (ABORT).
    pub(crate) fn decide_txn_offsets(&mut self, me: NodeId, producer_id: i64, commit: bool) {
        if let Some((group, consumer, offsets)) = self.coordinator.pending_txn.remove(&producer_id)
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

    /// After leadership of partition `p` was settled: if it is an offsets partition whose live
    /// leader has not loaded it yet, that leader loads its groups from its own log.
    pub(crate) fn load_offsets_partition(&mut self, p: PartitionId) {
        let Some(groups) = self.coordinator.groups_in.get(&p).cloned() else {
            return;
        };
        let meta = &self.controller.partitions[p as usize];
        let Some(leader) = meta.leader else {
            if let Some(l) = self.coordinator.loaded.get_mut(&p) {
                *l = None;
            }
            return;
        };
        let epoch = meta.leader_epoch;
        let broker = &self.brokers[leader as usize - 1];
        if !broker.alive || self.coordinator.loaded.get(&p) == Some(&Some((leader, epoch))) {
            return;
        }
        let Some(replica) = broker.replica(p) else {
            return;
        };
        let log = replica.log.entries().to_vec();
        self.coordinator.loaded.insert(p, Some((leader, epoch)));
        let loaded = self.coordinator.load(p, &groups, &log);
        let offsets_partition = self.scenario.offsets_partition_number(p).unwrap_or(0);
        // After the election that made it leader (still in the outbox), in the story's order.
        for (group, committed) in loaded {
            self.outbox.push(Out::Trace(EventKind::CoordinatorLoaded {
                broker: NodeId::Broker(leader),
                group,
                offsets_partition,
                log_partition: p,
                committed,
            }));
        }
    }

    /// Broker `b` went down: its coordinator cache and waiting writes go with it.
    pub(crate) fn coordinator_down(&mut self, b: u32) {
        for l in self.coordinator.loaded.values_mut() {
            if l.is_some_and(|(x, _)| x == b) {
                *l = None;
            }
        }
        self.coordinator.writes.retain(|_, (x, _)| *x != b);
    }
}
