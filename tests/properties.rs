//! Properties over many seeds and random fault scripts (plain seed loops; the seed is printed
//! on failure).

mod common;

use delivery_lab::model::rng::{Choice, Rng};
use delivery_lab::model::{Command, CrashMode, EventKind, Fault, NodeId, Scenario, World};

/// A random fault script: broker crashes (process or power loss) with restarts, cut links with
/// heals, consumer crashes with restarts, and GC pauses of any node, spread over the run.
fn random_faults(seed: u64, duration_ms: u64) -> Vec<Fault> {
    let mut rng = Rng::seed_from_u64(seed ^ 0x5eed);
    let mut faults = Vec::new();
    for _ in 0..4 {
        let at = rng.below(Choice::LatencyJitter, duration_ms / 2);
        let back = at + 1000 + rng.below(Choice::LatencyJitter, 20_000);
        let b = NodeId::Broker(1 + rng.below(Choice::LatencyJitter, 3) as u32);
        match rng.below(Choice::LatencyJitter, 4) {
            0 => {
                faults.push(Fault::at(
                    at,
                    Command::Crash {
                        node: b,
                        mode: CrashMode::Process,
                    },
                ));
                faults.push(Fault::at(back, Command::Restart { node: b }));
            }
            1 => {
                let other = NodeId::Producer(1);
                faults.push(Fault::at(at, Command::Partition { a: b, b: other }));
                faults.push(Fault::at(back, Command::Heal { a: b, b: other }));
            }
            2 => {
                let node = match rng.below(Choice::LatencyJitter, 3) {
                    0 => b,
                    1 => NodeId::Producer(1),
                    _ => NodeId::Consumer(1),
                };
                faults.push(Fault::at(at, Command::Pause { node }));
                faults.push(Fault::at(back, Command::Resume { node }));
            }
            _ => {
                faults.push(Fault::at(
                    at,
                    Command::Crash {
                        node: NodeId::Consumer(1),
                        mode: CrashMode::Process,
                    },
                ));
                faults.push(Fault::at(
                    back,
                    Command::Restart {
                        node: NodeId::Consumer(1),
                    },
                ));
            }
        }
    }
    faults
}

fn scenario(seed: u64) -> Scenario {
    let mut s = Scenario {
        seed,
        duration_ms: 90_000,
        ..Scenario::default()
    };
    s.network.latency_ms = 20;
    s.network.jitter_ms = 10;
    s.topic.partitions = 3;
    s.topic.min_insync_replicas = 2;
    s.producers[0].workload.records = 60;
    s.producers[0].workload.interval_ms = 200;
    s.producers[0].workload.keys = vec!["a".into(), "b".into(), "c".into(), "d".into()];
    s.consumers[0].app.processing_ms = 10;
    s.faults = random_faults(seed, 30_000);
    s
}

#[test]
fn acks_all_with_idempotence_and_clean_elections_never_loses_or_duplicates_an_acknowledged_record()
{
    for seed in 0..60 {
        let mut w = World::new(scenario(seed));
        w.run_until(90_000);
        let r = w.report();
        common::assert_producer_safe(&r, seed);
    }
}

#[test]
fn invariants_hold_and_time_never_goes_back_under_random_faults() {
    for seed in 0..60 {
        let mut s = scenario(seed);
        s.producers[0].config.acks = Some(delivery_lab::model::config::Acks::One);
        s.faults.push(Fault::at(
            5_000,
            Command::Crash {
                node: NodeId::Broker(2),
                mode: CrashMode::PowerLoss,
            },
        ));
        s.faults.push(Fault::at(
            9_000,
            Command::Restart {
                node: NodeId::Broker(2),
            },
        ));
        let mut w = World::new(s);
        while w.step(90_000) {
            assert!(
                w.steps() < 2_000_000,
                "seed {seed}: runaway at t={}",
                w.now_ms()
            );
        }
        let mut last = 0;
        for e in w.trace() {
            assert!(e.at_ms >= last, "seed {seed}: time went back at {e}");
            last = e.at_ms;
            // With acks=1 and power loss a new leader can be behind offsets already committed:
            // that is Kafka's data loss made visible, not a model bug, so it is allowed here.
            assert!(
                !matches!(
                    e.kind,
                    EventKind::InvariantViolated { invariant, .. }
                        if invariant != delivery_lab::model::trace::Invariant::CommittedAboveLogEnd
                ),
                "seed {seed}: {e}"
            );
        }
        for b in w.brokers() {
            for r in b.replicas.iter().flatten() {
                assert!(
                    r.log.high_watermark() <= r.log.log_end_offset(),
                    "seed {seed}"
                );
            }
        }
    }
}

#[test]
fn every_seed_replays_identically() {
    for seed in 0..10 {
        let run = || {
            let mut w = World::new(scenario(seed));
            w.run_until(90_000);
            delivery_lab::model::trace_hash(w.trace())
        };
        assert_eq!(run(), run(), "seed {seed}");
    }
}
