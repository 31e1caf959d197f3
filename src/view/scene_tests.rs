//! The scene folded from the trace against the world's own state, in every catalogue scenario.

use super::*;
use crate::model::World;

fn run(scenario: &Scenario, until: Millis) -> World {
    let mut w = World::new(scenario.clone());
    w.run_until(until);
    w
}

#[test]
fn the_initial_scene_has_every_replica_in_sync_behind_the_first_leader() {
    let s = Scenario::default();
    let scene = Scene::at(&s, &[], 0);
    let p0 = &scene.partitions[0];
    assert_eq!(p0.leader, Some(p0.replicas[0]));
    assert_eq!(p0.isr, p0.replicas);
    assert!(p0.logs.values().all(|l| l.cells.is_empty()));
}

/// Folding the trace must give what the model itself holds, for every catalogue scenario
/// (crashes, truncations, power loss and elections included).
#[test]
fn the_scene_at_the_end_matches_the_worlds_own_logs_in_every_catalogue_scenario() {
    for (name, json) in crate::model::catalogue::CATALOGUE {
        let s = Scenario::from_json(json).unwrap_or_else(|e| panic!("{name}: {e}"));
        let w = run(&s, s.duration_ms);
        let scene = Scene::at(&s, w.trace(), s.duration_ms);
        assert_matches_world(&scene, &w, name);
    }
}

fn assert_matches_world(scene: &Scene, w: &World, name: &str) {
    let mut checked = 0;
    for broker in w.brokers() {
        for replica in broker.replicas.iter().flatten() {
            let log = &scene.partitions[replica.partition as usize].logs[&broker.id];
            let cells: Vec<(RecordId, u32)> = log
                .cells
                .iter()
                .map(|c| (c.record, c.leader_epoch))
                .collect();
            let entries: Vec<(RecordId, u32)> = replica
                .log
                .entries()
                .iter()
                .map(|e| (e.record, e.leader_epoch))
                .collect();
            assert_eq!(
                cells, entries,
                "{name}: B{} p{}",
                broker.id, replica.partition
            );
            assert_eq!(log.high_watermark, replica.log.high_watermark(), "{name}");
            checked += 1;
        }
    }
    assert!(checked >= 3, "every replica was compared");
    // Group membership: each consumer's partitions, and each group's state and generation.
    for c in w.consumers() {
        let seen = &scene.consumers[&c.node()];
        if c.app.subscribe {
            let owned: Vec<PartitionId> = (0..c.owned.len() as PartitionId)
                .filter(|&p| c.owned[p as usize])
                .collect();
            assert_eq!(seen.assigned, owned, "{name}: {}", c.node());
        }
        assert_eq!(seen.group, c.config.group_id, "{name}");
    }
    for (group, g) in &scene.groups {
        let m = w
            .coordinator()
            .membership(group)
            .expect("a group with members");
        assert_eq!(
            (g.state, g.generation),
            (m.phase, m.generation),
            "{name}: {group}"
        );
    }
}

#[test]
fn an_earlier_cursor_shows_a_shorter_log() {
    let s = Scenario::default();
    let w = run(&s, s.duration_ms);
    let early = Scene::at(&s, w.trace(), 1000);
    let late = Scene::at(&s, w.trace(), s.duration_ms);
    let len = |sc: &Scene| sc.partitions[0].logs.values().map(|l| l.cells.len()).max();
    assert!(len(&early) < len(&late));
}
