//! Virtual time and the event queue.
//!
//! Time is an integer count of virtual milliseconds that only the simulation advances, by jumping
//! to the next scheduled event (madsim's `advance_to_next_event`). Events that fall due at the same
//! millisecond are taken in the order they were scheduled: the queue orders by
//! `(time, sequence number)`, so a run never depends on a hash or on the platform.

use std::collections::{BTreeMap, VecDeque};

/// A point in virtual time, in milliseconds since the start of the run.
pub type Millis = u64;

/// How many milliseconds ahead of the queue's base the wheel holds (a power of two).
const SLOTS: usize = 1024;
const WORDS: usize = SLOTS / 64;

/// A min-queue of `T` ordered by `(due time, scheduling sequence)`.
///
/// One FIFO bucket per due millisecond: the scheduling sequence only grows, so "in the order
/// scheduled" within a millisecond is exactly a FIFO, and the queue never compares or moves the
/// items themselves (a binary heap of ~100,000 pending timers spent most of the simulation's time
/// sifting them; see BENCHMARKS.md).
///
/// The buckets of the next [`SLOTS`] milliseconds from `base` (the time of the last event taken)
/// live in a timing wheel: a ring of buckets indexed by `time % SLOTS`, with a bitmap of the
/// non-empty ones, so the common case (a message arriving a few milliseconds later) costs no
/// search and no allocation. Later buckets wait in `far`, a map by time, and move into the wheel
/// whole (the bucket itself, so their order is kept) as soon as `base` comes within [`SLOTS`] of
/// them, before anything else can be scheduled at their time. Buckets before `base` (scheduling
/// in the past, which the world never does) wait in `early` and come out first.
#[derive(Debug)]
pub struct EventQueue<T> {
    /// `wheel[t % SLOTS]` holds the events due at `t`, for `base <= t < base + SLOTS`.
    /// Empty until the first event is scheduled. An emptied bucket goes back to `spare` and a
    /// bucket that fills takes the latest spare one, so a busy run cycles through a few warm
    /// buffers rather than one per slot.
    wheel: Vec<VecDeque<T>>,
    /// Bit `t % SLOTS` is set when that wheel bucket is non-empty.
    occupied: [u64; WORDS],
    /// Events in the wheel.
    in_wheel: usize,
    /// No event in the wheel or in `far` is due before `base`.
    base: Millis,
    /// Buckets due at or after `base + SLOTS`.
    far: BTreeMap<Millis, VecDeque<T>>,
    /// Buckets due before `base`.
    early: BTreeMap<Millis, VecDeque<T>>,
    len: usize,
    /// Emptied buckets kept for reuse, so a busy run does not allocate one per millisecond.
    spare: Vec<VecDeque<T>>,
}

/// A copy of the pending events in the same order. The emptied buckets kept for reuse are not
/// copied, and the wheel's empty buckets are made, not cloned: the explorer starts a run from a
/// clone, and copying a thousand empty buckets was a tenth of its work.
impl<T: Clone> Clone for EventQueue<T> {
    fn clone(&self) -> Self {
        let mut wheel = Vec::new();
        if !self.wheel.is_empty() {
            wheel.resize_with(SLOTS, VecDeque::new);
            for (w, &bits) in self.occupied.iter().enumerate() {
                let mut bits = bits;
                while bits != 0 {
                    let slot = w * 64 + bits.trailing_zeros() as usize;
                    wheel[slot] = self.wheel[slot].clone();
                    bits &= bits - 1;
                }
            }
        }
        Self {
            wheel,
            occupied: self.occupied,
            in_wheel: self.in_wheel,
            base: self.base,
            far: self.far.clone(),
            early: self.early.clone(),
            len: self.len,
            spare: Vec::new(),
        }
    }
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        Self {
            wheel: Vec::new(),
            occupied: [0; WORDS],
            in_wheel: 0,
            base: 0,
            far: BTreeMap::new(),
            early: BTreeMap::new(),
            len: 0,
            spare: Vec::new(),
        }
    }
}

impl<T> EventQueue<T> {
    /// Schedules `item` to fall due at `at_ms`, after everything already due then.
    pub fn schedule(&mut self, at_ms: Millis, item: T) {
        self.len += 1;
        if at_ms >= self.base && at_ms - self.base < SLOTS as u64 {
            if self.wheel.is_empty() {
                self.wheel.resize_with(SLOTS, VecDeque::new);
            }
            let slot = at_ms as usize % SLOTS;
            let bit = 1 << (slot % 64);
            if self.occupied[slot / 64] & bit == 0 {
                // The most recently emptied bucket: its memory is likely still in cache.
                if let Some(bucket) = self.spare.pop() {
                    self.wheel[slot] = bucket;
                }
                self.occupied[slot / 64] |= bit;
            }
            self.wheel[slot].push_back(item);
            self.in_wheel += 1;
        } else {
            let spare = &mut self.spare;
            let map = if at_ms < self.base {
                &mut self.early
            } else {
                &mut self.far
            };
            map.entry(at_ms)
                .or_insert_with(|| spare.pop().unwrap_or_default())
                .push_back(item);
        }
    }

    /// Schedules `item` to fall due at `at_ms` right after the first `index` items already due
    /// then (all of them if there are fewer): as if it had been scheduled when only those were.
    /// The explorer uses it to add a fault to a snapshot exactly where a run that had the fault
    /// in its script from the start would have it (`World::inject_faults`).
    pub fn schedule_at_position(&mut self, at_ms: Millis, index: usize, item: T) {
        let bucket = if at_ms >= self.base && at_ms - self.base < SLOTS as u64 {
            let slot = at_ms as usize % SLOTS;
            if self.occupied[slot / 64] & (1 << (slot % 64)) == 0 {
                None
            } else {
                self.in_wheel += 1;
                Some(&mut self.wheel[slot])
            }
        } else if at_ms < self.base {
            self.early.get_mut(&at_ms)
        } else {
            self.far.get_mut(&at_ms)
        };
        match bucket {
            Some(bucket) => {
                bucket.insert(index.min(bucket.len()), item);
                self.len += 1;
            }
            None => self.schedule(at_ms, item),
        }
    }

    /// How many events are due at each time, in time order.
    pub fn due_counts(&self) -> Vec<(Millis, usize)> {
        let mut out: Vec<(Millis, usize)> =
            self.early.iter().map(|(&at, b)| (at, b.len())).collect();
        if self.in_wheel > 0 {
            for ahead in 0..SLOTS as u64 {
                let at = self.base + ahead;
                let bucket = &self.wheel[at as usize % SLOTS];
                if !bucket.is_empty() {
                    out.push((at, bucket.len()));
                }
            }
        }
        out.extend(self.far.iter().map(|(&at, b)| (at, b.len())));
        out
    }

    /// The due time of the earliest event in the wheel, if any.
    fn wheel_first(&self) -> Option<Millis> {
        if self.in_wheel == 0 {
            return None;
        }
        let start = self.base as usize % SLOTS;
        // The words from `start` to the end of the ring, then from its beginning back to `start`.
        let mut word = start / 64;
        let mut bits = self.occupied[word] & (!0u64 << (start % 64));
        for _ in 0..=WORDS {
            if bits != 0 {
                let slot = word * 64 + bits.trailing_zeros() as usize;
                let ahead = (slot + SLOTS - start) % SLOTS;
                return Some(self.base + ahead as u64);
            }
            word = (word + 1) % WORDS;
            bits = self.occupied[word];
        }
        None
    }

    /// The due time of the earliest event, if any.
    pub fn peek_time(&self) -> Option<Millis> {
        if let Some((&at, _)) = self.early.first_key_value() {
            return Some(at);
        }
        self.wheel_first()
            .or_else(|| self.far.first_key_value().map(|(&at, _)| at))
    }

    /// Moves the base forward to `to` (no event is due before it), bringing the far buckets
    /// that come within reach into the wheel.
    fn advance(&mut self, to: Millis) {
        debug_assert!(to >= self.base);
        self.base = to;
        while let Some(entry) = self.far.first_entry() {
            let at = *entry.key();
            if at - self.base >= SLOTS as u64 {
                break;
            }
            let bucket = entry.remove();
            if self.wheel.is_empty() {
                self.wheel.resize_with(SLOTS, VecDeque::new);
            }
            let slot = at as usize % SLOTS;
            // The slot was emptied when its previous time (`at - SLOTS`, before `base`) passed.
            debug_assert!(self.wheel[slot].is_empty());
            self.in_wheel += bucket.len();
            self.wheel[slot] = bucket;
            self.occupied[slot / 64] |= 1 << (slot % 64);
        }
    }

    /// Removes and returns the earliest event if it is due at or before `until_ms`.
    pub fn pop_due(&mut self, until_ms: Millis) -> Option<(Millis, T)> {
        if let Some(mut first) = self.early.first_entry() {
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
            return Some((at_ms, item));
        }
        let at_ms = match self.wheel_first() {
            Some(at) => at,
            None => *self.far.first_key_value()?.0,
        };
        if at_ms > until_ms {
            return None;
        }
        if at_ms != self.base {
            self.advance(at_ms);
        }
        let slot = at_ms as usize % SLOTS;
        let item = self.wheel[slot].pop_front()?;
        if self.wheel[slot].is_empty() {
            self.occupied[slot / 64] &= !(1 << (slot % 64));
            if self.spare.len() < 1024 {
                self.spare.push(std::mem::take(&mut self.wheel[slot]));
            }
        }
        self.in_wheel -= 1;
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

    /// A clone takes the same events in the same order as the original, however far apart
    /// the two go on.
    #[test]
    fn a_clone_goes_on_as_the_original() {
        let mut q = EventQueue::default();
        for i in 0..300u64 {
            q.schedule((i * 37) % 2_500, i);
        }
        for _ in 0..100 {
            q.pop_due(Millis::MAX);
        }
        let mut c = q.clone();
        for i in 300..400u64 {
            q.schedule(1_000 + (i * 11) % 3_000, i);
            c.schedule(1_000 + (i * 11) % 3_000, i);
        }
        let a: Vec<_> = std::iter::from_fn(|| q.pop_due(Millis::MAX)).collect();
        let b: Vec<_> = std::iter::from_fn(|| c.pop_due(Millis::MAX)).collect();
        assert_eq!(a.len(), 300);
        assert_eq!(a, b);
    }

    /// Inserting at a position gives the order of scheduling in sequence order: items scheduled
    /// late but placed after the first `k` of their time come out as if scheduled `k`-th.
    #[test]
    fn scheduling_at_a_position_matches_scheduling_in_sequence_order() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..200 {
            // (time, sequence): every item; the late ones are held back and inserted later.
            let items: Vec<(Millis, u64)> = (0..60)
                .map(|seq| {
                    let at = match next(3) {
                        0 => next(8),
                        1 => next(3_000),
                        _ => SLOTS as u64 - 2 + next(4),
                    };
                    (at, seq)
                })
                .collect();
            let late: Vec<bool> = items.iter().map(|_| next(4) == 0).collect();
            let mut expected = items.clone();
            expected.sort();
            let mut q = EventQueue::default();
            for (i, &(at, seq)) in items.iter().enumerate() {
                if !late[i] {
                    q.schedule(at, seq);
                }
            }
            // Take what falls before the earliest late item, then insert the late ones (in
            // sequence order) after the items of their time that come before them.
            let first_late = items
                .iter()
                .zip(&late)
                .filter(|(_, &l)| l)
                .map(|(&(at, _), _)| at)
                .min()
                .unwrap_or(Millis::MAX);
            let mut out = Vec::new();
            if first_late > 0 {
                out.extend(std::iter::from_fn(|| q.pop_due(first_late - 1)));
            }
            for (i, &(at, seq)) in items.iter().enumerate() {
                if late[i] {
                    let before = items.iter().filter(|&&(a, s)| a == at && s < seq).count();
                    q.schedule_at_position(at, before, seq);
                }
            }
            out.extend(std::iter::from_fn(|| q.pop_due(Millis::MAX)));
            assert_eq!(out, expected);
        }
    }

    /// The wheel, its far buckets and scheduling in the past against a plain ordered map of
    /// `(time, sequence)`, over random schedules and pops.
    #[test]
    fn agrees_with_an_ordered_map() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..50 {
            let mut q = EventQueue::default();
            let mut reference = BTreeMap::new();
            let mut seq = 0u64;
            let mut now = 0u64;
            for _ in 0..5_000 {
                match next(10) {
                    0..=5 => {
                        let at = match next(6) {
                            0 => now.saturating_sub(next(5)),
                            1 => now + next(200_000),
                            2 => now + SLOTS as u64 - 2 + next(4),
                            _ => now + next(40),
                        };
                        q.schedule(at, seq);
                        reference.insert((at, seq), ());
                        seq += 1;
                    }
                    _ => {
                        let until = now + next(3_000);
                        let expected = reference
                            .first_key_value()
                            .map(|(&k, _)| k)
                            .filter(|&(at, _)| at <= until);
                        assert_eq!(q.peek_time(), reference.keys().next().map(|k| k.0));
                        let got = q.pop_due(until);
                        assert_eq!(got, expected);
                        if let Some(k) = expected {
                            reference.remove(&k);
                            now = now.max(k.0);
                        }
                    }
                }
                assert_eq!(q.len(), reference.len());
            }
        }
    }
}
