//! The event queue against plain ordered maps: order within a millisecond, the wheel, far
//! blocks, scheduling in the past, clones.

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

/// `items` visits every pending event once, wherever it waits (wheel, far blocks, beyond).
#[test]
fn items_lists_every_pending_event() {
    let mut q = EventQueue::default();
    for i in 0..500u64 {
        q.schedule((i * 7919) % 400_000, i);
    }
    for _ in 0..120 {
        q.pop_due(u64::MAX);
    }
    let mut listed: Vec<u64> = q.items().copied().collect();
    listed.sort_unstable();
    let mut left: Vec<u64> = std::iter::from_fn(|| q.pop_due(u64::MAX))
        .map(|(_, i)| i)
        .collect();
    left.sort_unstable();
    assert_eq!(listed.len(), 380);
    assert_eq!(listed, left);
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
                        3 if next(4) == 0 => now + next(2_000_000),
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
