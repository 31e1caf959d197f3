//! Virtual time and the event queue.
//!
//! Time is an integer count of virtual milliseconds that only the simulation advances, by jumping
//! to the next scheduled event (madsim's `advance_to_next_event`). Events that fall due at the same
//! millisecond are taken in the order they were scheduled: the queue orders by
//! `(time, sequence number)`, so a run never depends on a hash or on the platform.

use std::collections::{BTreeMap, VecDeque};

/// A point in virtual time, in milliseconds since the start of the run.
pub type Millis = u64;

/// A min-queue of `T` ordered by `(due time, scheduling sequence)`.
///
/// Stored as one FIFO bucket per due millisecond: the scheduling sequence only grows, so
/// "in the order scheduled" within a millisecond is exactly a FIFO, and the queue never compares
/// or moves the items themselves (a binary heap of ~100,000 pending timers spent most of the
/// simulation's time sifting them; see BENCHMARKS.md).
#[derive(Debug, Clone)]
pub struct EventQueue<T> {
    buckets: BTreeMap<Millis, VecDeque<T>>,
    len: usize,
    /// Emptied buckets kept for reuse, so a busy run does not allocate one per millisecond.
    spare: Vec<VecDeque<T>>,
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        Self {
            buckets: BTreeMap::new(),
            len: 0,
            spare: Vec::new(),
        }
    }
}

impl<T> EventQueue<T> {
    /// Schedules `item` to fall due at `at_ms`, after everything already due then.
    pub fn schedule(&mut self, at_ms: Millis, item: T) {
        let spare = &mut self.spare;
        self.buckets
            .entry(at_ms)
            .or_insert_with(|| spare.pop().unwrap_or_default())
            .push_back(item);
        self.len += 1;
    }

    /// The due time of the earliest event, if any.
    pub fn peek_time(&self) -> Option<Millis> {
        self.buckets.first_key_value().map(|(&at, _)| at)
    }

    /// Removes and returns the earliest event if it is due at or before `until_ms`.
    pub fn pop_due(&mut self, until_ms: Millis) -> Option<(Millis, T)> {
        let mut first = self.buckets.first_entry()?;
        let at_ms = *first.key();
        if at_ms > until_ms {
            return None;
        }
        let item = first.get_mut().pop_front()?;
        if first.get().is_empty() {
            let bucket = first.remove();
            if self.spare.len() < 1024 {
                self.spare.push(bucket);
            }
        }
        self.len -= 1;
        Some((at_ms, item))
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_at_the_same_time_come_out_in_scheduling_order() {
        let mut q = EventQueue::default();
        q.schedule(5, "b");
        q.schedule(3, "a");
        q.schedule(5, "c");
        let out: Vec<_> = std::iter::from_fn(|| q.pop_due(10)).collect();
        assert_eq!(out, vec![(3, "a"), (5, "b"), (5, "c")]);
    }

    #[test]
    fn events_after_the_horizon_stay_queued() {
        let mut q = EventQueue::default();
        q.schedule(7, ());
        assert_eq!(q.pop_due(6), None);
        assert_eq!(q.len(), 1);
        assert_eq!(q.pop_due(7), Some((7, ())));
    }
}
