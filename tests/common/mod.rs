//! Helpers shared by the scenario test files.
#![allow(dead_code)] // each test file uses a subset

use delivery_lab::model::catalogue::scenario;
use delivery_lab::model::{EventKind, NodeId, Report, World};

/// Runs a catalogue scenario to its end; its invariants must hold.
pub fn run(name: &str) -> (World, Report) {
    let s = scenario(name).expect("in the catalogue").expect("valid");
    let mut w = World::new(s);
    let end = w.scenario().duration_ms;
    w.run_until(end);
    let r = w.report();
    assert_eq!(r.invariant_violations, 0, "{name}: invariants held");
    (w, r)
}

/// The records of a partition's authoritative log, in offset order.
pub fn log_of(w: &World, partition: u32) -> Vec<u32> {
    let b = w.authoritative_replica(partition).expect("a replica");
    let r = w.brokers()[b as usize - 1]
        .replica(partition)
        .expect("hosted");
    r.log.entries().iter().map(|e| e.record).collect()
}

/// The records consumer C`consumer`'s `poll()` returned, in order.
pub fn polled(w: &World, consumer: u32) -> Vec<u32> {
    w.trace()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Polled {
                consumer: c,
                record,
                ..
            } if c == NodeId::Consumer(consumer) => Some(record),
            _ => None,
        })
        .collect()
}

/// What acks=all with idempotence and clean elections guarantees (spec §2, §3): no acknowledged
/// record lost, none written twice, none reordered, and the model's invariants held.
pub fn assert_producer_safe(r: &Report, seed: u64) {
    assert!(
        r.lost_acknowledged.is_empty(),
        "seed {seed}: lost {:?}",
        r.lost_acknowledged
    );
    assert!(
        r.duplicated_in_log.is_empty(),
        "seed {seed}: duplicated {:?}",
        r.duplicated_in_log
    );
    assert!(
        r.reordered.is_empty(),
        "seed {seed}: reordered {:?}",
        r.reordered
    );
    assert_eq!(r.invariant_violations, 0, "seed {seed}");
}
