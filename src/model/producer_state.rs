//! The broker's memory of each idempotent producer, per partition (KIP-98, KIP-360).
//!
//! For every producer id the leader keeps the producer's epoch and the last five batches it
//! appended (`ProducerStateEntry`, `NUM_BATCHES_TO_RETAIN = 5`), each as its first and last
//! sequence and its first offset. A retried batch whose `(first, last)` sequences are still in
//! that window is a duplicate: the leader answers with the original base offset and appends
//! nothing. A batch that skips ahead is `OUT_OF_ORDER_SEQUENCE_NUMBER`; an older epoch is
//! fenced (`INVALID_PRODUCER_EPOCH`). Followers rebuild the same state from the batches they
//! replicate, so deduplication survives a leader failover (spec §2.5,
//! `UnifiedLog.analyzeAndValidateProducerState`, `ProducerAppendInfo`).

use super::ids::Offset;
use std::collections::{BTreeMap, VecDeque};

/// Batches remembered per producer id (`ProducerStateEntry.NUM_BATCHES_TO_RETAIN`).
pub const NUM_BATCHES_TO_RETAIN: usize = 5;

/// What a leader does with an incoming idempotent batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validation {
    /// Append it.
    Append,
    /// Already appended at this base offset: answer success, append nothing.
    Duplicate(Offset),
    /// `OUT_OF_ORDER_SEQUENCE_NUMBER`: an earlier batch is missing.
    OutOfOrder,
    /// `INVALID_PRODUCER_EPOCH`: a newer epoch of this producer exists.
    Fenced,
}

/// One remembered batch (`BatchMetadata`): its sequences `first..=last` and its first offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BatchMetadata {
    first_sequence: i32,
    last_sequence: i32,
    first_offset: Offset,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    producer_epoch: i16,
    /// The last batches, oldest first.
    batches: VecDeque<BatchMetadata>,
}

/// The producer state of one partition replica.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProducerStateTable {
    entries: BTreeMap<i64, Entry>,
}

impl ProducerStateTable {
    /// Checks a client batch with sequences `first_sequence..=last_sequence`, in Kafka's order:
    /// duplicate, epoch, sequence.
    pub fn validate(
        &self,
        producer_id: i64,
        producer_epoch: i16,
        first_sequence: i32,
        last_sequence: i32,
    ) -> Validation {
        let sequence = first_sequence;
        let Some(e) = self.entries.get(&producer_id) else {
            // No state for this producer id: any sequence is accepted (spec S9 edge).
            return Validation::Append;
        };
        if e.producer_epoch == producer_epoch {
            if let Some(b) = e
                .batches
                .iter()
                .find(|b| b.first_sequence == first_sequence && b.last_sequence == last_sequence)
            {
                return Validation::Duplicate(b.first_offset);
            }
        }
        if producer_epoch < e.producer_epoch {
            return Validation::Fenced;
        }
        if producer_epoch != e.producer_epoch {
            return if sequence == 0 {
                Validation::Append
            } else {
                Validation::OutOfOrder
            };
        }
        let last = e.batches.back().map_or(-1, |b| b.last_sequence);
        let expected = if last == i32::MAX { 0 } else { last + 1 };
        if sequence == expected {
            Validation::Append
        } else {
            Validation::OutOfOrder
        }
    }

    /// Records one appended record (on the leader and, from replication, on followers): the
    /// record with `sequence` of the batch that starts at `base_sequence`. A record continuing
    /// the newest remembered batch extends it; any other starts a new one (records arrive one
    /// log entry at a time, a batch's in order).
    pub fn update(
        &mut self,
        producer_id: i64,
        producer_epoch: i16,
        base_sequence: i32,
        sequence: i32,
        offset: Offset,
    ) {
        if producer_id < 0 || sequence < 0 {
            return;
        }
        let e = self.entries.entry(producer_id).or_insert_with(|| Entry {
            producer_epoch,
            batches: VecDeque::with_capacity(NUM_BATCHES_TO_RETAIN),
        });
        if producer_epoch != e.producer_epoch {
            e.producer_epoch = producer_epoch;
            e.batches.clear();
        }
        // Sequences are gapless within an epoch: a record that does not open its batch
        // continues the batch holding `sequence - 1`, the newest one.
        if let Some(b) = e.batches.back_mut() {
            if sequence != base_sequence && b.last_sequence.wrapping_add(1) == sequence {
                b.last_sequence = sequence;
                return;
            }
        }
        if e.batches.len() == NUM_BATCHES_TO_RETAIN {
            e.batches.pop_front();
        }
        e.batches.push_back(BatchMetadata {
            first_sequence: sequence,
            last_sequence: sequence,
            first_offset: offset,
        });
    }

    /// A transaction marker carries the coordinator's (maybe bumped) epoch: from then on older
    /// epochs of this producer are fenced here (`ProducerAppendInfo.appendEndTxnMarker`).
    pub fn fence_to(&mut self, producer_id: i64, producer_epoch: i16) {
        let e = self.entries.entry(producer_id).or_insert_with(|| Entry {
            producer_epoch,
            batches: VecDeque::with_capacity(NUM_BATCHES_TO_RETAIN),
        });
        if producer_epoch > e.producer_epoch {
            e.producer_epoch = producer_epoch;
            e.batches.clear();
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retry_inside_the_window_is_a_duplicate_with_the_original_offset() {
        let mut t = ProducerStateTable::default();
        assert_eq!(t.validate(7, 0, 0, 0), Validation::Append);
        t.update(7, 0, 0, 0, 10);
        assert_eq!(t.validate(7, 0, 0, 0), Validation::Duplicate(10));
        assert_eq!(t.validate(7, 0, 1, 1), Validation::Append);
        assert_eq!(t.validate(7, 0, 2, 2), Validation::OutOfOrder);
    }

    #[test]
    fn only_five_batches_are_remembered() {
        let mut t = ProducerStateTable::default();
        for s in 0..6 {
            t.update(1, 0, s, s, u64::from(s as u32));
        }
        assert_eq!(t.validate(1, 0, 0, 0), Validation::OutOfOrder);
        assert_eq!(t.validate(1, 0, 1, 1), Validation::Duplicate(1));
    }

    #[test]
    fn an_older_epoch_is_fenced_and_a_new_epoch_starts_at_zero() {
        let mut t = ProducerStateTable::default();
        t.update(1, 3, 0, 0, 0);
        assert_eq!(t.validate(1, 2, 1, 1), Validation::Fenced);
        assert_eq!(t.validate(1, 4, 0, 0), Validation::Append);
        assert_eq!(t.validate(1, 4, 5, 5), Validation::OutOfOrder);
    }

    #[test]
    fn a_batch_is_remembered_and_deduplicated_as_a_unit() {
        let mut t = ProducerStateTable::default();
        // Batch seq 0..=2 at offsets 4..=6, one record at a time as the log appends them.
        for (i, seq) in (0..3).enumerate() {
            t.update(9, 0, 0, seq, 4 + i as Offset);
        }
        assert_eq!(t.validate(9, 0, 0, 2), Validation::Duplicate(4));
        // Only the exact (first, last) pair is a duplicate; the next batch starts at 3.
        assert_eq!(t.validate(9, 0, 0, 1), Validation::OutOfOrder);
        assert_eq!(t.validate(9, 0, 3, 4), Validation::Append);
        assert_eq!(t.validate(9, 0, 4, 5), Validation::OutOfOrder);
        // Five batches of three records: the window counts batches, not records.
        for b in 1..5 {
            for k in 0..3 {
                t.update(9, 0, 3 * b, 3 * b + k, 10 + (3 * b + k) as Offset);
            }
        }
        assert_eq!(t.validate(9, 0, 0, 2), Validation::Duplicate(4));
        t.update(9, 0, 15, 15, 40);
        assert_eq!(t.validate(9, 0, 0, 2), Validation::OutOfOrder);
        assert_eq!(t.validate(9, 0, 3, 5), Validation::Duplicate(13));
    }
}
