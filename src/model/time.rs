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
/// The span of one far block, in milliseconds (divides [`SLOTS`]).
const BLOCK: u64 = 256;
/// How many far blocks past the horizon the ring of blocks holds (262 s); later ones wait in a
/// map.
const RING: u64 = 1024;
/// How many emptied far-block buffers wait for reuse (a block starts every [`BLOCK`] ms, and one
/// moves into the wheel as often).
const FAR_SPARES: usize = 4;

/// A min-queue of `T` ordered by `(due time, scheduling sequence)`.
///
/// One FIFO bucket per due millisecond: the scheduling sequence only grows, so "in the order
/// scheduled" within a millisecond is exactly a FIFO, and the queue never compares or moves the
/// items themselves (a binary heap of ~100,000 pending timers spent most of the simulation's time
/// sifting them; see BENCHMARKS.md).
///
/// The buckets of the milliseconds from `base` (the time of the last event taken) up to
/// `horizon` (at most [`SLOTS`] later) live in a timing wheel: a ring of buckets indexed by
/// `time % SLOTS`, with a bitmap of the non-empty ones, so the common case (a message arriving a
/// few milliseconds later) costs no search and no allocation. Later events (request and delivery
/// timeouts, 30 s and 120 s ahead) wait in `far`, one unsorted block per [`BLOCK`] milliseconds
/// in a ring indexed by block number (blocks beyond the ring in `beyond`, a map), and move into
/// the wheel a whole block at a time, in the order they were scheduled, as soon as `horizon`
/// passes the block's start: nothing can be scheduled in the wheel at their time before they are
/// there. An emptied block's buffer is kept for the next block to start (or in its slot), so the ring stops allocating once warm. Buckets before `base` (scheduling in the past,
/// which the world never does) wait in `early` and come out first.
#[derive(Debug)]
pub struct EventQueue<T> {
    /// `wheel[t % SLOTS]` holds the events due at `t`, for `base <= t < horizon`.
    /// Empty until the first event is scheduled. An emptied bucket goes back to `spare` and a
    /// bucket that fills takes the latest spare one, so a busy run cycles through a few warm
    /// buffers rather than one per slot.
    /// A bucket without a buffer is `None`: dropping a world (once per explorer run) then
    /// skips its empty buckets instead of tearing down a thousand empty deques.
    wheel: Vec<Option<VecDeque<T>>>,
    /// Bit `t % SLOTS` is set when that wheel bucket is non-empty.
    occupied: [u64; WORDS],
    /// Events in the wheel.
    in_wheel: usize,
    /// No event in the wheel or in `far` is due before `base`.
    base: Millis,
    /// Events due from `horizon` on are in `far`; a multiple of [`BLOCK`], at most
    /// `base + SLOTS`.
    horizon: Millis,
    /// Events due at or after `horizon`: `far[b % RING]` holds block `b` (times
    /// `b * BLOCK ..` `(b + 1) * BLOCK`) in scheduling order, for `horizon / BLOCK <= b <
    /// horizon / BLOCK + RING`. Empty until the first far event.
    /// (`None`: a block that never held anything here; cheap to clone and to drop.)
    far: Vec<Option<Vec<(Millis, T)>>>,
    /// Events in `far`.
    in_far: usize,
    /// Buffers of far blocks that moved into the wheel, for the next blocks to start: a block
    /// grows to hundreds of events, and growing each new one from empty was a copy per doubling
    /// (the ring reuses a slot's own buffer only 262 s later).
    far_spare: Vec<Vec<(Millis, T)>>,
    /// Blocks past the ring, by block number.
    beyond: BTreeMap<Millis, Vec<(Millis, T)>>,
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
            wheel.resize_with(SLOTS, || None);
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
            horizon: self.horizon,
            // Only the blocks that hold events are cloned; the others are made empty (most of
            // the ring is).
            far: if self.in_far > 0 {
                let block =
                    |b: &Option<Vec<(Millis, T)>>| b.as_ref().filter(|v| !v.is_empty()).cloned();
                self.far.iter().map(block).collect()
            } else {
                Vec::new()
            },
            in_far: self.in_far,
            far_spare: Vec::new(),
            beyond: self.beyond.clone(),
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
            horizon: SLOTS as Millis,
            far: Vec::new(),
            in_far: 0,
            far_spare: Vec::new(),
            beyond: BTreeMap::new(),
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
        if at_ms >= self.base && at_ms < self.horizon {
            self.push_wheel(at_ms, item);
        } else if at_ms >= self.base {
            let block = at_ms / BLOCK;
            if block < self.horizon / BLOCK + RING {
                if self.far.is_empty() {
                    self.far.resize_with(RING as usize, || None);
                }
                let spare = &mut self.far_spare;
                self.far[(block % RING) as usize]
                    .get_or_insert_with(|| spare.pop().unwrap_or_default())
                    .push((at_ms, item));
                self.in_far += 1;
            } else {
                self.beyond.entry(block).or_default().push((at_ms, item));
            }
        } else {
            let spare = &mut self.spare;
            self.early
                .entry(at_ms)
                .or_insert_with(|| spare.pop().unwrap_or_default())
                .push_back(item);
        }
    }

    /// Appends `item` to the wheel bucket of `at_ms` (`base <= at_ms < horizon`).
    fn push_wheel(&mut self, at_ms: Millis, item: T) {
        if self.wheel.is_empty() {
            self.wheel.resize_with(SLOTS, || None);
        }
        let slot = at_ms as usize % SLOTS;
        let bit = 1 << (slot % 64);
        if self.occupied[slot / 64] & bit == 0 {
            // The most recently emptied bucket: its memory is likely still in cache.
            if let Some(bucket) = self.spare.pop() {
                self.wheel[slot] = Some(bucket);
            }
            self.occupied[slot / 64] |= bit;
        }
        self.wheel[slot]
            .get_or_insert_with(VecDeque::new)
            .push_back(item);
        self.in_wheel += 1;
    }

    /// Schedules `item` to fall due at `at_ms` right after the first `index` items already due
    /// then (all of them if there are fewer): as if it had been scheduled when only those were.
    /// The explorer uses it to add a fault to a snapshot exactly where a run that had the fault
    /// in its script from the start would have it (`World::inject_faults`).
    pub fn schedule_at_position(&mut self, at_ms: Millis, index: usize, item: T) {
        if at_ms < self.base {
            match self.early.get_mut(&at_ms) {
                Some(bucket) => {
                    bucket.insert(index.min(bucket.len()), item);
                    self.len += 1;
                }
                None => self.schedule(at_ms, item),
            }
            return;
        }
        if at_ms < self.horizon {
            let slot = at_ms as usize % SLOTS;
            if self.occupied[slot / 64] & (1 << (slot % 64)) == 0 {
                return self.schedule(at_ms, item);
            }
            let bucket = self.wheel[slot].get_or_insert_with(VecDeque::new);
            bucket.insert(index.min(bucket.len()), item);
            self.in_wheel += 1;
            self.len += 1;
            return;
        }
        // A far block holds several milliseconds in scheduling order: only the order among
        // the items of `at_ms` matters (the block moves into the wheel in order).
        let block = at_ms / BLOCK;
        let in_ring = block < self.horizon / BLOCK + RING;
        let items = if in_ring {
            self.far
                .get_mut((block % RING) as usize)
                .and_then(Option::as_mut)
        } else {
            self.beyond.get_mut(&block)
        };
        let Some(items) = items else {
            return self.schedule(at_ms, item);
        };
        let mut seen = 0;
        let mut position = items.len();
        if index == 0 {
            position = items
                .iter()
                .position(|&(t, _)| t == at_ms)
                .unwrap_or(position);
        } else {
            for (i, &(t, _)) in items.iter().enumerate() {
                if t == at_ms {
                    seen += 1;
                    if seen == index {
                        position = i + 1;
                        break;
                    }
                }
            }
        }
        items.insert(position, (at_ms, item));
        if in_ring {
            self.in_far += 1;
        }
        self.len += 1;
    }

    /// How many events are due at each time, in time order.
    pub fn due_counts(&self) -> Vec<(Millis, usize)> {
        let mut out: Vec<(Millis, usize)> =
            self.early.iter().map(|(&at, b)| (at, b.len())).collect();
        if self.in_wheel > 0 {
            for at in self.base..self.horizon {
                let len = self.wheel[at as usize % SLOTS]
                    .as_ref()
                    .map_or(0, VecDeque::len);
                if len > 0 {
                    out.push((at, len));
                }
            }
        }
        let mut later: BTreeMap<Millis, usize> = BTreeMap::new();
        if self.in_far > 0 {
            for block in self.far.iter().flatten() {
                for &(at, _) in block {
                    *later.entry(at).or_default() += 1;
                }
            }
        }
        for block in self.beyond.values() {
            for &(at, _) in block {
                *later.entry(at).or_default() += 1;
            }
        }
        out.extend(later);
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
        self.wheel_first().or_else(|| self.far_first())
    }

    /// The due time of the earliest event in `far` or `beyond` (only looked for when the wheel
    /// is empty).
    fn far_first(&self) -> Option<Millis> {
        let first = self.horizon / BLOCK;
        let block = match self.in_far {
            0 => self.beyond.first_key_value()?.1,
            _ => (first..first + RING)
                .filter_map(|b| self.far[(b % RING) as usize].as_ref())
                .find(|block| !block.is_empty())?,
        };
        block.iter().map(|&(at, _)| at).min()
    }

    /// Moves the base forward to `to` (no event is due before it), and the horizon as far as
    /// the wheel reaches, bringing the far blocks it passes into the wheel.
    fn advance(&mut self, to: Millis) {
        debug_assert!(to >= self.base);
        self.base = to;
        let horizon = (to + SLOTS as Millis) / BLOCK * BLOCK;
        if horizon <= self.horizon {
            return;
        }
        let (from, to) = (self.horizon / BLOCK, horizon / BLOCK);
        self.horizon = horizon;
        // The blocks the horizon passed, in order: from the ring, then from `beyond` (a jump
        // past the whole ring). Each wheel slot they fill was emptied when its previous time
        // (before `base`) passed.
        for b in from..to.min(from + RING) {
            if self.in_far == 0 {
                break;
            }
            let Some(mut block) = self.far[(b % RING) as usize].take() else {
                continue;
            };
            self.in_far -= block.len();
            for (at_ms, item) in block.drain(..) {
                self.push_wheel(at_ms, item);
            }
            if self.far_spare.len() < FAR_SPARES {
                self.far_spare.push(block);
            } else {
                self.far[(b % RING) as usize] = Some(block); // keeps its buffer
            }
        }
        while let Some(entry) = self.beyond.first_entry() {
            let b = *entry.key();
            if b >= to + RING {
                break;
            }
            let mut block = entry.remove();
            if b < to {
                for (at_ms, item) in block {
                    self.push_wheel(at_ms, item);
                }
            } else {
                if self.far.is_empty() {
                    self.far.resize_with(RING as usize, || None);
                }
                self.in_far += block.len();
                self.far[(b % RING) as usize]
                    .get_or_insert_with(Vec::new)
                    .append(&mut block);
            }
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
            None => self.far_first()?,
        };
        if at_ms > until_ms {
            return None;
        }
        if at_ms != self.base {
            self.advance(at_ms);
        }
        let slot = at_ms as usize % SLOTS;
        let bucket = self.wheel[slot].as_mut()?;
        let item = bucket.pop_front()?;
        if bucket.is_empty() {
            self.occupied[slot / 64] &= !(1 << (slot % 64));
            // (Not `Option::filter`, which was an out-of-line call moving the deque twice.)
            if let Some(bucket) = self.wheel[slot].take() {
                if self.spare.len() < 1024 {
                    self.spare.push(bucket);
                }
            }
        }
        self.in_wheel -= 1;
        self.len -= 1;
        Some((at_ms, item))
    }

    /// Every pending event, in no particular order (the explorer asks whether any of them could
    /// still change a run: `settle.rs`).
    pub fn items(&self) -> impl Iterator<Item = &T> + '_ {
        let wheel = self
            .occupied
            .iter()
            .enumerate()
            .flat_map(move |(w, &bits)| {
                std::iter::successors(Some(bits), |b| Some(b & b.wrapping_sub(1)))
                    .take_while(|&b| b != 0)
                    .flat_map(move |b| {
                        self.wheel[w * 64 + b.trailing_zeros() as usize]
                            .iter()
                            .flatten()
                    })
            });
        let far = self.far.iter().flatten().flatten().map(|(_, item)| item);
        let beyond = self.beyond.values().flatten().map(|(_, item)| item);
        self.early
            .values()
            .flatten()
            .chain(wheel)
            .chain(far)
            .chain(beyond)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
#[path = "time_tests.rs"]
mod tests;
