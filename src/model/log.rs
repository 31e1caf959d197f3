//! One replica of a partition: its log, log end offset, high watermark, leader-epoch history and
//! flushed offset.
//!
//! Each entry remembers the leader epoch it was written in; the epoch cache of KIP-101
//! (`leaderEpochCache: [(epoch, startOffset)]`) is read off those, so truncation after a failover
//! follows the leader's epoch history, never "truncate to the high watermark" (spec §3.5).
//! `flushed_offset` is how much of the log the OS has written to disk: Kafka acknowledges from
//! the page cache, so a power loss cuts the log back to it (spec §1.2, §11.5).

use super::ids::{Offset, RecordId};
use super::producer_state::ProducerStateTable;
use std::collections::BTreeMap;

/// One record as stored in a log. A producer's batch takes consecutive entries, one per record,
/// each with its own sequence (`base_sequence` + its place in the batch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogEntry {
    pub record: RecordId,
    /// The leader epoch in which the leader appended it (`partitionLeaderEpoch`).
    pub leader_epoch: u32,
    /// -1 for a non-idempotent producer.
    pub producer_id: i64,
    pub producer_epoch: i16,
    /// -1 for a non-idempotent producer.
    pub sequence: i32,
    /// The sequence of the batch's first record (`baseSequence`; -1 without idempotence): the
    /// producer state remembers batches, not records.
    pub base_sequence: i32,
    /// Written inside a transaction (KIP-98): invisible to read_committed readers until its
    /// COMMIT marker, and forever if the marker is ABORT. Markers themselves are transactional
    /// control records (see [`COMMIT_MARKER`]).
    pub transactional: bool,
}

/// The record id of a COMMIT control record (a transaction marker). Markers take an offset but
/// are never returned to applications; a record id past every real one names them, so the
/// trace's `Replicated`/`Appended` events and the view's cells need no extra field.
pub const COMMIT_MARKER: RecordId = RecordId::MAX;
/// The record id of an ABORT control record.
pub const ABORT_MARKER: RecordId = RecordId::MAX - 1;

/// Whether a record id names a control record (a COMMIT or ABORT marker).
pub fn is_marker(record: RecordId) -> bool {
    record >= ABORT_MARKER
}

/// The record id of an offset-commit record in `__consumer_offsets` (key: group, topic,
/// partition; value: the committed offset). What it says is kept beside the log by the group
/// coordinator (`coordinator::OffsetRecord`), keyed by where it was written.
pub const OFFSETS_RECORD: RecordId = RecordId::MAX - 2;

/// Whether a record id names a record an application produced (not a marker, not an
/// offset-commit record of `__consumer_offsets`).
pub fn is_data(record: RecordId) -> bool {
    record < OFFSETS_RECORD
}

/// One entry of the aborted-transaction index (`.txnindex`): the producer's aborted
/// transaction spans `first_offset..=last_offset` (its ABORT marker).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AbortedTxn {
    pub producer_id: i64,
    pub first_offset: Offset,
    pub last_offset: Offset,
}

/// The size the model gives every record, for `segment.bytes` and `retention.bytes`.
pub const RECORD_BYTES: u64 = 100;

/// A topic's retention settings (spec §8), with Kafka's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// `retention.ms`.
    pub ms: u64,
    /// `retention.bytes`; -1 is no limit.
    pub bytes: i64,
    /// `segment.ms`.
    pub segment_ms: u64,
    /// `segment.bytes`.
    pub segment_bytes: u64,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            ms: 604_800_000,
            bytes: -1,
            segment_ms: 604_800_000,
            segment_bytes: 1_073_741_824,
        }
    }
}

/// One segment of a log: its first offset, when it was opened, and when it was last appended
/// to (the time of its newest record, which retention.ms compares with).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub base_offset: Offset,
    pub created_ms: u64,
    pub last_append_ms: u64,
}

/// A partition replica's storage. Offsets start at 0. Retention deletes whole closed segments
/// from the front and moves `log_start_offset` forward; the deleted entries stay in memory (so
/// offsets index the vector and the checker can still name what was deleted) but are never
/// served again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartitionLog {
    entries: Vec<LogEntry>,
    /// The first offset still in the log (retention moves it forward).
    log_start_offset: Offset,
    /// The segments still in the log, oldest first; the last one is active.
    segments: Vec<Segment>,
    high_watermark: Offset,
    flushed_offset: Offset,
    producers: ProducerStateTable,
    /// Open transactions: producer id → the offset of its first record in the transaction
    /// (`ProducerStateEntry.currentTxnFirstOffset`).
    ongoing: BTreeMap<i64, Offset>,
    /// Completed transactions whose marker the high watermark has not passed yet:
    /// (first offset, marker offset). They still pin the last stable offset
    /// (`ProducerStateManager.firstUnstableOffset`).
    completing: Vec<(Offset, Offset)>,
    /// The aborted-transaction index.
    aborted: Vec<AbortedTxn>,
    /// The last stable offset last traced (None until this partition sees a transaction).
    pub(crate) traced_last_stable_offset: Option<Offset>,
}

impl PartitionLog {
    /// The offset the next record will take.
    pub fn log_end_offset(&self) -> Offset {
        self.entries.len() as Offset
    }

    /// The first offset still in the log: fetches below it get `OFFSET_OUT_OF_RANGE`.
    pub fn log_start_offset(&self) -> Offset {
        self.log_start_offset
    }

    /// The segments still in the log, oldest first (the last one is active).
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Records the time of the append at `offset` (just appended): it goes into the active
    /// segment, or opens a new one when the active segment is older than `segment.ms` or full
    /// (`UnifiedLog.maybeRoll`).
    pub fn stamp(&mut self, offset: Offset, now_ms: u64, retention: &Retention) {
        let per_segment = (retention.segment_bytes / RECORD_BYTES).max(1);
        let roll = match self.segments.last() {
            None => true,
            Some(s) => {
                now_ms.saturating_sub(s.created_ms) >= retention.segment_ms
                    || offset.saturating_sub(s.base_offset) >= per_segment
            }
        };
        if roll {
            self.segments.push(Segment {
                base_offset: offset,
                created_ms: now_ms,
                last_append_ms: now_ms,
            });
        } else if let Some(s) = self.segments.last_mut() {
            s.last_append_ms = now_ms;
        }
    }

    /// Deletes the closed segments past retention (`UnifiedLog.deleteOldSegments`): by time
    /// (newest record older than `retention.ms`), then by size (oldest first while the log is
    /// larger than `retention.bytes`). Only segments wholly below the high watermark go; the
    /// active segment never does. Returns the new log start offset if it moved.
    pub fn delete_old_segments(&mut self, now_ms: u64, retention: &Retention) -> Option<Offset> {
        let hw = self.high_watermark;
        let mut size = self.log_end_offset().saturating_sub(self.log_start_offset) * RECORD_BYTES;
        let mut deleted = 0;
        while deleted + 1 < self.segments.len() {
            let s = self.segments[deleted];
            let end = self.segments[deleted + 1].base_offset;
            if end > hw {
                break;
            }
            let by_time = now_ms.saturating_sub(s.last_append_ms) > retention.ms;
            let seg_size =
                end.saturating_sub(s.base_offset.max(self.log_start_offset)) * RECORD_BYTES;
            let by_size = retention.bytes >= 0 && size >= seg_size + retention.bytes as u64;
            if !(by_time || by_size) {
                break;
            }
            size = size.saturating_sub(seg_size);
            deleted += 1;
        }
        if deleted == 0 {
            return None;
        }
        self.segments.drain(..deleted);
        self.log_start_offset = self.segments[0].base_offset;
        Some(self.log_start_offset)
    }

    /// Offsets below it are committed (replicated to the whole ISR).
    pub fn high_watermark(&self) -> Offset {
        self.high_watermark
    }

    /// How much of the log survives a power loss.
    pub fn flushed_offset(&self) -> Offset {
        self.flushed_offset
    }

    /// The log, in offset order.
    pub fn entries(&self) -> &[LogEntry] {
        &self.entries
    }

    pub fn entry(&self, offset: Offset) -> Option<&LogEntry> {
        self.entries.get(usize::try_from(offset).ok()?)
    }

    /// Entries from `from` up to (not including) `to`, clamped to the log.
    pub fn slice(&self, from: Offset, to: Offset) -> &[LogEntry] {
        let len = self.entries.len();
        let a = usize::try_from(from).unwrap_or(len).min(len);
        let b = usize::try_from(to).unwrap_or(len).clamp(a, len);
        &self.entries[a..b]
    }

    pub fn producers(&self) -> &ProducerStateTable {
        &self.producers
    }

    /// The epoch of the last entry, or -1 for an empty log.
    pub fn last_epoch(&self) -> i32 {
        self.entries.last().map_or(-1, |e| e.leader_epoch as i32)
    }

    /// `endOffsetFor(epoch)` of KIP-101: the largest epoch in this log that is ≤ `epoch`, and
    /// the offset where that epoch ends (the start of the next epoch, or the log end offset).
    /// `(-1, 0)` when the log has no such epoch.
    pub fn end_offset_for_epoch(&self, epoch: i32) -> (i32, Offset) {
        // Epochs never decrease along a log: find the first entry with a larger epoch. Usually
        // (a follower fetching in the current epoch) there is none: no search through the log.
        if let Some(last) = self.entries.last() {
            if i64::from(last.leader_epoch) <= i64::from(epoch) {
                return (last.leader_epoch as i32, self.entries.len() as Offset);
            }
        }
        let end = self
            .entries
            .partition_point(|e| (e.leader_epoch as i64) <= i64::from(epoch));
        if end == 0 {
            return (-1, 0);
        }
        (self.entries[end - 1].leader_epoch as i32, end as Offset)
    }

    /// A leader's answer to `OffsetsForLeaderEpoch` (KIP-320, `LeaderEpochFileCache.endOffsetFor`):
    /// its epoch history is the epochs of its entries plus its own `leader_epoch`, which starts at
    /// `leader_epoch_start` even before it appends anything. The answer is the largest epoch ≤
    /// `requested` and where it ends (the start of the next epoch, or the log end offset for the
    /// current one); a `requested` epoch older than the whole history ends where the history
    /// starts. None (`UNDEFINED_EPOCH_OFFSET`) when `requested` is newer than every epoch it knows.
    pub fn epoch_end_offset(
        &self,
        requested: u32,
        leader_epoch: u32,
        leader_epoch_start: Offset,
    ) -> Option<(u32, Offset)> {
        if requested == leader_epoch {
            return Some((requested, self.log_end_offset()));
        }
        // The first entry of a later epoch (epochs never decrease along a log).
        let higher = self
            .entries
            .partition_point(|e| e.leader_epoch <= requested);
        let higher_start = if higher < self.entries.len() {
            higher as Offset
        } else if leader_epoch > requested {
            leader_epoch_start.min(self.log_end_offset())
        } else {
            return None;
        };
        let floor = match higher {
            0 => requested,
            i => self.entries[i - 1].leader_epoch,
        };
        Some((floor, higher_start))
    }

    /// Appends an entry (as leader or from replication) and updates the producer state.
    pub fn append(&mut self, entry: LogEntry) -> Offset {
        let offset = self.log_end_offset();
        debug_assert!(
            self.entries
                .last()
                .is_none_or(|l| l.leader_epoch <= entry.leader_epoch),
            "epochs never decrease along a log"
        );
        self.producers.update(
            entry.producer_id,
            entry.producer_epoch,
            entry.base_sequence,
            entry.sequence,
            offset,
        );
        self.track_transaction(&entry, offset);
        self.entries.push(entry);
        offset
    }

    /// Keeps the open-transaction table and the aborted index in step with an append.
    fn track_transaction(&mut self, entry: &LogEntry, offset: Offset) {
        if !entry.transactional || entry.producer_id < 0 {
            return;
        }
        if is_marker(entry.record) {
            self.producers
                .fence_to(entry.producer_id, entry.producer_epoch);
            if let Some(first) = self.ongoing.remove(&entry.producer_id) {
                self.completing.push((first, offset));
                if entry.record == ABORT_MARKER {
                    self.aborted.push(AbortedTxn {
                        producer_id: entry.producer_id,
                        first_offset: first,
                        last_offset: offset,
                    });
                }
            }
        } else {
            self.ongoing.entry(entry.producer_id).or_insert(offset);
        }
        if self.traced_last_stable_offset.is_none() {
            self.traced_last_stable_offset = Some(self.high_watermark);
        }
    }

    /// Whether this partition has seen a transactional record.
    pub fn has_transactions(&self) -> bool {
        self.traced_last_stable_offset.is_some()
    }

    /// The last stable offset: read_committed readers see only offsets below it. It is the high
    /// watermark, held back by the first offset of any transaction still open or whose marker
    /// is not yet below the high watermark (KIP-98).
    pub fn last_stable_offset(&self) -> Offset {
        let hw = self.high_watermark;
        let open = self.ongoing.values().copied().min().unwrap_or(hw);
        let unreplicated = self
            .completing
            .iter()
            .filter(|&&(_, marker)| marker >= hw)
            .map(|&(first, _)| first)
            .min()
            .unwrap_or(hw);
        hw.min(open).min(unreplicated)
    }

    /// The aborted-transaction index.
    pub fn aborted_transactions(&self) -> &[AbortedTxn] {
        &self.aborted
    }

    /// Whether the data record at `offset` belongs to an aborted transaction.
    pub fn is_aborted(&self, offset: Offset) -> bool {
        let Some(e) = self.entry(offset) else {
            return false;
        };
        e.transactional
            && !is_marker(e.record)
            && self.aborted.iter().any(|a| {
                a.producer_id == e.producer_id && a.first_offset <= offset && offset < a.last_offset
            })
    }

    /// Cuts the log back to `log_end_offset` and rebuilds the producer state from what is left
    /// (as Kafka reloads it from snapshots and the log). Returns how many entries went.
    pub fn truncate_to(&mut self, log_end_offset: Offset) -> u32 {
        let keep = usize::try_from(log_end_offset)
            .unwrap_or(usize::MAX)
            .min(self.entries.len());
        let removed = (self.entries.len() - keep) as u32;
        if removed == 0 {
            return 0;
        }
        self.entries.truncate(keep);
        let end = self.log_end_offset();
        self.segments.retain(|s| s.base_offset < end);
        self.log_start_offset = self.log_start_offset.min(end);
        self.high_watermark = self.high_watermark.min(end);
        self.flushed_offset = self.flushed_offset.min(end);
        self.producers.clear();
        self.ongoing.clear();
        self.completing.clear();
        self.aborted.clear();
        let entries = std::mem::take(&mut self.entries);
        for (offset, e) in entries.iter().enumerate() {
            self.producers.update(
                e.producer_id,
                e.producer_epoch,
                e.base_sequence,
                e.sequence,
                offset as Offset,
            );
            self.track_transaction(e, offset as Offset);
        }
        self.entries = entries;
        removed
    }

    /// Sets the high watermark (callers keep it ≤ the log end offset).
    pub fn set_high_watermark(&mut self, high_watermark: Offset) {
        self.high_watermark = high_watermark.min(self.log_end_offset());
        let hw = self.high_watermark;
        self.completing.retain(|&(_, marker)| marker >= hw);
    }

    /// The OS wrote the page cache to disk.
    pub fn flush(&mut self) {
        self.flushed_offset = self.log_end_offset();
    }

    /// Power loss: the unflushed suffix is gone. Returns how many entries went.
    pub fn lose_unflushed(&mut self) -> u32 {
        self.truncate_to(self.flushed_offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(record: RecordId, leader_epoch: u32) -> LogEntry {
        LogEntry {
            record,
            leader_epoch,
            producer_id: -1,
            producer_epoch: -1,
            sequence: -1,
            base_sequence: -1,
            transactional: false,
        }
    }

    fn log(epochs: &[u32]) -> PartitionLog {
        let mut l = PartitionLog::default();
        for (i, &e) in epochs.iter().enumerate() {
            l.append(entry(i as RecordId + 1, e));
        }
        l
    }

    #[test]
    fn end_offset_for_epoch_follows_kip_101() {
        let l = log(&[0, 0, 0, 2, 2]);
        assert_eq!(l.end_offset_for_epoch(0), (0, 3));
        assert_eq!(l.end_offset_for_epoch(1), (0, 3));
        assert_eq!(l.end_offset_for_epoch(2), (2, 5));
        assert_eq!(l.end_offset_for_epoch(9), (2, 5));
        assert_eq!(l.end_offset_for_epoch(-1), (-1, 0));
        assert_eq!(PartitionLog::default().end_offset_for_epoch(3), (-1, 0));
    }

    #[test]
    fn epoch_end_offset_answers_like_the_leader_epoch_cache() {
        // Epochs 0,0,0,2,2 written; the leader is in epoch 3 since offset 5.
        let l = log(&[0, 0, 0, 2, 2]);
        assert_eq!(l.epoch_end_offset(3, 3, 5), Some((3, 5)));
        assert_eq!(l.epoch_end_offset(0, 3, 5), Some((0, 3)));
        assert_eq!(l.epoch_end_offset(1, 3, 5), Some((0, 3)));
        assert_eq!(l.epoch_end_offset(2, 3, 5), Some((2, 5)));
        assert_eq!(l.epoch_end_offset(4, 3, 5), None, "newer than it knows");
        // An unclean leader with an empty log, in epoch 1: epoch 0 ends before offset 0.
        let empty = PartitionLog::default();
        assert_eq!(empty.epoch_end_offset(0, 1, 0), Some((0, 0)));
    }

    #[test]
    fn power_loss_keeps_only_the_flushed_prefix() {
        let mut l = log(&[0, 0]);
        l.flush();
        l.append(entry(3, 0));
        l.set_high_watermark(3);
        assert_eq!(l.lose_unflushed(), 1);
        assert_eq!(l.log_end_offset(), 2);
        assert_eq!(l.high_watermark(), 2);
    }
}
