//! How each trace event changes the scene: log cells written and cut, leaders, ISRs, high
//! watermarks, nodes down and up, client positions and commits, groups and transactions.

use super::*;

impl Scene {
    /// A replica's log gets `record` at `offset` (anything it held from there on is replaced).
    pub(super) fn write_cell(
        &mut self,
        broker: NodeId,
        partition: PartitionId,
        offset: Offset,
        record: RecordId,
        leader_epoch: u32,
    ) {
        if let Some(log) = self.log_mut(broker, partition) {
            log.cells.truncate(offset as usize);
            log.cells.push(Cell {
                offset,
                record,
                leader_epoch,
            });
        }
    }

    pub(super) fn partition_mut(&mut self, id: PartitionId) -> Option<&mut PartitionState> {
        self.partitions.get_mut(id as usize)
    }

    pub(super) fn log_mut(
        &mut self,
        broker: NodeId,
        partition: PartitionId,
    ) -> Option<&mut ReplicaLog> {
        let b = broker.broker()?;
        Some(self.partition_mut(partition)?.logs.entry(b).or_default())
    }

    pub(super) fn apply(&mut self, kind: &EventKind) {
        use EventKind::*;
        match kind {
            Appended {
                broker,
                partition,
                offset,
                record,
                leader_epoch,
            } => {
                self.write_cell(*broker, *partition, *offset, *record, *leader_epoch);
            }
            Replicated {
                broker,
                partition,
                offset,
                record,
            } => {
                let epoch = self.epoch_of(*partition, *offset, *record);
                self.write_cell(*broker, *partition, *offset, *record, epoch);
            }
            MarkerAppended {
                broker,
                partition,
                offset,
                commit,
                leader_epoch,
                ..
            } => {
                let record = if *commit {
                    crate::model::log::COMMIT_MARKER
                } else {
                    crate::model::log::ABORT_MARKER
                };
                self.write_cell(*broker, *partition, *offset, record, *leader_epoch);
            }
            LastStableOffset {
                broker,
                partition,
                last_stable_offset,
            } => {
                if let Some(log) = self.log_mut(*broker, *partition) {
                    log.last_stable_offset = Some(*last_stable_offset);
                }
            }
            SegmentsDeleted {
                broker,
                partition,
                log_start_offset,
                ..
            } => {
                if let Some(log) = self.log_mut(*broker, *partition) {
                    log.log_start_offset = *log_start_offset;
                }
            }
            Truncated {
                broker,
                partition,
                log_end_offset,
                ..
            } => {
                if let Some(log) = self.log_mut(*broker, *partition) {
                    log.cells.truncate(*log_end_offset as usize);
                    log.high_watermark = log.high_watermark.min(*log_end_offset);
                }
            }
            HighWatermark {
                broker,
                partition,
                high_watermark,
            } => {
                if let Some(log) = self.log_mut(*broker, *partition) {
                    log.high_watermark = *high_watermark;
                }
            }
            IsrChanged { partition, isr } => {
                if let Some(p) = self.partition_mut(*partition) {
                    p.isr = isr.clone();
                }
            }
            LeaderElected {
                partition,
                leader,
                leader_epoch,
                ..
            } => {
                if let Some(p) = self.partition_mut(*partition) {
                    p.leader = leader.broker();
                    p.leader_epoch = *leader_epoch;
                    p.offline = false;
                }
            }
            PartitionOffline { partition } => {
                if let Some(p) = self.partition_mut(*partition) {
                    p.leader = None;
                    p.offline = true;
                }
            }
            BrokerFenced { broker } => self.health(*broker).fenced = true,
            BrokerUnfenced { broker } => self.health(*broker).fenced = false,
            NodeCrashed { node, .. } => {
                self.health(*node).down = true;
                self.health(*node).paused = false;
                if let Some(c) = self.consumers.get_mut(node) {
                    c.position.clear();
                    c.assigned.clear();
                    c.generation = -1;
                    c.left_group = false;
                }
            }
            NodePaused { node } => self.health(*node).paused = true,
            NodeResumed { node, .. } => self.health(*node).paused = false,
            NodeRestarted { node } => {
                self.health(*node).down = false;
                if let Some(c) = self.consumers.get_mut(node) {
                    c.closed = false;
                }
            }
            LinkCut { a, b } => self.cut_links.push((*a, *b)),
            LinkHealed { a, b } => self
                .cut_links
                .retain(|&(x, y)| !((x, y) == (*a, *b) || (x, y) == (*b, *a))),
            ProducerIdAssigned {
                producer,
                producer_id,
                producer_epoch,
            } => {
                let p = self.producers.entry(*producer).or_default();
                p.producer_id = Some(*producer_id);
                p.producer_epoch = *producer_epoch;
            }
            ProducerEpochBumped {
                producer,
                producer_epoch,
            } => self.producers.entry(*producer).or_default().producer_epoch = *producer_epoch,
            RecordSent {
                producer, record, ..
            } => {
                let p = self.producers.entry(*producer).or_default();
                p.sent += 1;
                p.last_record = p.last_record.max(Some(*record));
            }
            Acked { producer, .. } => self.producers.entry(*producer).or_default().acked += 1,
            SendFailed { producer, .. } => self.producers.entry(*producer).or_default().failed += 1,
            Retrying { producer, .. } => self.producers.entry(*producer).or_default().retries += 1,
            Polled {
                consumer,
                partition,
                offset,
                ..
            } => {
                let c = self.consumers.entry(*consumer).or_default();
                c.position.insert(*partition, offset + 1);
                c.polled += 1;
            }
            Processed {
                consumer,
                partition,
                offset,
                ..
            } => {
                let c = self.consumers.entry(*consumer).or_default();
                c.processed += 1;
                c.last_processed.insert(*partition, *offset);
            }
            OffsetCommitted {
                consumer,
                partition,
                offset,
            } => {
                // Committed offsets belong to the group; every member of it sees them.
                let group = self.consumers.entry(*consumer).or_default().group.clone();
                for c in self.consumers.values_mut().filter(|c| c.group == group) {
                    c.committed.insert(*partition, *offset);
                }
            }
            CoordinatorLoaded {
                group, committed, ..
            } => {
                // A new coordinator's cache is what its replica of the log held.
                for c in self.consumers.values_mut().filter(|c| &c.group == group) {
                    c.committed = committed.iter().copied().collect();
                }
            }
            PositionSet {
                consumer,
                partition,
                offset,
                ..
            } => {
                self.consumers
                    .entry(*consumer)
                    .or_default()
                    .position
                    .insert(*partition, *offset);
            }
            PositionValidated {
                consumer,
                partition,
                outcome: crate::model::trace::Validation::LogTruncation,
                ..
            } => {
                // LogTruncationException: it no longer reads the partition.
                self.consumers
                    .entry(*consumer)
                    .or_default()
                    .position
                    .remove(partition);
            }
            ConsumerClosed { consumer } => {
                let c = self.consumers.entry(*consumer).or_default();
                c.closed = true;
                c.position.clear();
            }
            kind => self.apply_group(kind),
        }
    }

    /// Consumer-group events: membership, assignments, the offsets log.
    pub(super) fn apply_group(&mut self, kind: &EventKind) {
        use crate::model::group::GroupPhase;
        use EventKind::*;
        let group_view = |groups: &mut BTreeMap<String, GroupView>, g: &str| {
            groups
                .entry(g.to_string())
                .or_insert_with(|| GroupView {
                    state: GroupPhase::Empty,
                    generation: 0,
                    offsets_partition: None,
                    offsets_log: Vec::new(),
                })
                .clone()
        };
        match kind {
            GroupStateChanged {
                group,
                state,
                generation,
            } => {
                group_view(&mut self.groups, group);
                if let Some(g) = self.groups.get_mut(group) {
                    g.state = *state;
                    g.generation = *generation;
                }
            }
            PartitionsAssigned {
                consumer,
                generation,
                partitions,
                ..
            } => {
                let c = self.consumers.entry(*consumer).or_default();
                c.generation = *generation;
                c.assigned = partitions.clone();
                c.left_group = false;
            }
            PartitionsRevoked {
                consumer,
                partitions,
                ..
            } => {
                let c = self.consumers.entry(*consumer).or_default();
                c.assigned.retain(|p| !partitions.contains(p));
                c.position.retain(|p, _| !partitions.contains(p));
            }
            PollIntervalExceeded { consumer } => {
                self.consumers.entry(*consumer).or_default().left_group = true;
            }
            OffsetsLogAppended {
                broker,
                group,
                partition,
                offset,
                offsets_partition,
                log_offset,
                log_partition,
                leader_epoch,
            } => {
                let record = crate::model::log::OFFSETS_RECORD;
                self.write_cell(*broker, *log_partition, *log_offset, record, *leader_epoch);
                // Groups with members only (an `assign()` consumer's group has no state).
                if let Some(g) = self.groups.get_mut(group) {
                    g.offsets_partition = Some(*offsets_partition);
                    g.offsets_log.push((*log_offset, *partition, *offset));
                    if g.offsets_log.len() > OFFSETS_LOG_SHOWN {
                        g.offsets_log.remove(0);
                    }
                }
            }
            _ => {}
        }
    }

    pub(super) fn health(&mut self, node: NodeId) -> &mut NodeHealth {
        self.nodes.entry(node).or_default()
    }

    /// The epoch of `record` at `offset` on any replica that has it (followers copy the
    /// leader's batches with their epoch).
    pub(super) fn epoch_of(&self, partition: PartitionId, offset: Offset, record: RecordId) -> u32 {
        self.partitions
            .get(partition as usize)
            .and_then(|p| {
                p.logs.values().find_map(|log| {
                    log.cells
                        .get(offset as usize)
                        .filter(|c| c.record == record)
                        .map(|c| c.leader_epoch)
                })
            })
            .unwrap_or(0)
    }
}
