//! Two small ordered maps for the clients' hot bookkeeping, iterated in key order exactly as the
//! `BTreeMap`s they replace (so every run is unchanged), without a tree's node allocations and
//! pointer chasing on every request.
//!
//! - [`SmallMap`]: a sorted vector, for maps of a handful of entries (requests in flight: at
//!   most `max.in.flight.requests.per.connection` per broker). Keys are message ids, which only
//!   grow, so an insert is a push.
//! - [`SeqMap`]: a window over keys handed out in sequence (the producer's batch numbers), for
//!   maps of up to ~100,000 entries whose oldest entries leave first: a lookup is an index.

use std::collections::VecDeque;

/// A map kept as a vector sorted by key: for a few entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmallMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
        }
    }
}

impl<K: Ord + Copy, V> SmallMap<K, V> {
    pub fn new() -> Self {
        Self::default()
    }

    fn find(&self, key: &K) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.cmp(key))
    }

    /// Inserts or replaces; returns the value replaced.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        // Keys usually arrive in increasing order (message ids only grow): a push.
        if self.entries.last().is_none_or(|(k, _)| *k < key) {
            self.entries.push((key, value));
            return None;
        }
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        let i = self.find(key).ok()?;
        Some(self.entries.remove(i).1)
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        let i = self.find(key).ok()?;
        Some(&self.entries[i].1)
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// A map from keys handed out in sequence (0, 1, 2, …) to values, as a window from the oldest
/// key still present: lookups index, the oldest entries leave from the front.
#[derive(Debug, Clone, Default)]
pub struct SeqMap<V> {
    /// The key of `slots[0]`.
    base: u32,
    /// `slots[i]` holds the value of key `base + i`, if present; the first slot is always
    /// occupied (or the window is empty).
    slots: VecDeque<Option<V>>,
    len: usize,
}

impl<V> SeqMap<V> {
    pub fn new() -> Self {
        Self {
            base: 0,
            slots: VecDeque::new(),
            len: 0,
        }
    }

    fn index(&self, key: u32) -> Option<usize> {
        let i = key.checked_sub(self.base)? as usize;
        (i < self.slots.len()).then_some(i)
    }

    /// Inserts or replaces; returns the value replaced. Keys are normally new and increasing;
    /// an older key than the window's first extends the window back.
    pub fn insert(&mut self, key: u32, value: V) -> Option<V> {
        if self.slots.is_empty() {
            self.base = key;
        }
        if key < self.base {
            for _ in key..self.base {
                self.slots.push_front(None);
            }
            self.base = key;
        }
        let i = (key - self.base) as usize;
        if i >= self.slots.len() {
            self.slots.resize_with(i + 1, || None);
        }
        let old = self.slots[i].replace(value);
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    pub fn remove(&mut self, key: &u32) -> Option<V> {
        let i = self.index(*key)?;
        let old = self.slots[i].take()?;
        self.len -= 1;
        while let Some(None) = self.slots.front() {
            self.slots.pop_front();
            self.base += 1;
        }
        while let Some(None) = self.slots.back() {
            self.slots.pop_back();
        }
        Some(old)
    }

    pub fn get(&self, key: &u32) -> Option<&V> {
        self.slots[self.index(*key)?].as_ref()
    }

    pub fn get_mut(&mut self, key: &u32) -> Option<&mut V> {
        let i = self.index(*key)?;
        self.slots[i].as_mut()
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &V)> {
        let base = self.base;
        self.slots
            .iter()
            .enumerate()
            .filter_map(move |(i, v)| v.as_ref().map(|v| (base + i as u32, v)))
    }

    pub fn keys(&self) -> impl Iterator<Item = u32> + '_ {
        self.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.slots.iter().flatten()
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn clear(&mut self) {
        self.slots.clear();
        self.len = 0;
    }
}

impl<V: PartialEq> PartialEq for SeqMap<V> {
    /// Equal when they hold the same entries (however their windows lie).
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<V: Eq> Eq for SeqMap<V> {}

impl<V> std::ops::Index<&u32> for SeqMap<V> {
    type Output = V;
    fn index(&self, key: &u32) -> &V {
        self.get(key).expect("no entry for this key")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Both maps against a `BTreeMap` over random inserts and removes.
    #[test]
    fn agree_with_a_btree_map() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..20 {
            let mut small = SmallMap::new();
            let mut seq = SeqMap::new();
            let mut reference = BTreeMap::new();
            let mut next_key = 0u32;
            for _ in 0..2_000 {
                match next(4) {
                    0 | 1 => {
                        // Mostly fresh increasing keys, sometimes an old one again.
                        let key = if next(8) == 0 {
                            next_key.saturating_sub(next(50) as u32)
                        } else {
                            next_key += 1 + next(3) as u32;
                            next_key
                        };
                        let value = next(1_000);
                        let expected = reference.insert(key, value);
                        assert_eq!(small.insert(key, value), expected);
                        assert_eq!(seq.insert(key, value), expected);
                    }
                    _ => {
                        // Mostly the oldest, as acknowledgements come in.
                        let key = match (next(3), reference.keys().next()) {
                            (0, _) | (_, None) => next_key.saturating_sub(next(60) as u32),
                            (_, Some(&k)) => k,
                        };
                        let expected = reference.remove(&key);
                        assert_eq!(small.remove(&key), expected);
                        assert_eq!(seq.remove(&key), expected);
                    }
                }
                assert_eq!(small.len(), reference.len());
                assert_eq!(seq.len(), reference.len());
                let want: Vec<(u32, u64)> = reference.iter().map(|(&k, &v)| (k, v)).collect();
                let got: Vec<(u32, u64)> = small.iter().map(|(&k, &v)| (k, v)).collect();
                assert_eq!(got, want);
                let got: Vec<(u32, u64)> = seq.iter().map(|(k, &v)| (k, v)).collect();
                assert_eq!(got, want);
                let probe = next_key.saturating_sub(next(40) as u32);
                assert_eq!(small.get(&probe), reference.get(&probe));
                assert_eq!(seq.get(&probe), reference.get(&probe));
            }
        }
    }
}
