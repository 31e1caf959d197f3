//! Virtual time and the event queue.
//!
//! Time is an integer count of virtual milliseconds that only the simulation advances, by jumping
//! to the next scheduled event (madsim's `advance_to_next_event`). Events that fall due at the same
//! millisecond are taken in the order they were scheduled: the queue orders by
//! `(time, sequence number)`, so a run never depends on a hash or on the platform.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A point in virtual time, in milliseconds since the start of the run.
pub type Millis = u64;

/// A min-queue of `T` ordered by `(due time, scheduling sequence)`.
#[derive(Debug, Clone)]
pub struct EventQueue<T> {
    heap: BinaryHeap<Reverse<Entry<T>>>,
    next_seq: u64,
}

#[derive(Debug, Clone)]
struct Entry<T> {
    at_ms: Millis,
    seq: u64,
    item: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.at_ms, self.seq) == (other.at_ms, other.seq)
    }
}
impl<T> Eq for Entry<T> {}
impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Entry<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at_ms, self.seq).cmp(&(other.at_ms, other.seq))
    }
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        Self {
            heap: BinaryHeap::new(),
            next_seq: 0,
        }
    }
}

impl<T> EventQueue<T> {
    /// Schedules `item` to fall due at `at_ms`.
    pub fn schedule(&mut self, at_ms: Millis, item: T) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Reverse(Entry { at_ms, seq, item }));
    }

    /// The due time of the earliest event, if any.
    pub fn peek_time(&self) -> Option<Millis> {
        self.heap.peek().map(|Reverse(e)| e.at_ms)
    }

    /// Removes and returns the earliest event if it is due at or before `until_ms`.
    pub fn pop_due(&mut self, until_ms: Millis) -> Option<(Millis, T)> {
        if self.peek_time()? > until_ms {
            return None;
        }
        self.heap.pop().map(|Reverse(e)| (e.at_ms, e.item))
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
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
