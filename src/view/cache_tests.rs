//! The cache must give exactly what the from-scratch functions give, at every cursor, however
//! the cursor got there: forward frame by frame, stepping back, jumping about.

use super::*;
use crate::model::catalogue::CATALOGUE;
use crate::model::World;
use crate::view::explain::explain;
use crate::view::frame;

fn run(name: &str, json: &str) -> (Scenario, World) {
    let s = Scenario::from_json(json).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut w = World::new(s.clone());
    w.run_until(s.duration_ms);
    (s, w)
}

/// Cursors worth checking: every event's time, a moment between events, and the end; thinned
/// to about `max` of them, in order.
fn cursors(trace: &[TraceEvent], end_ms: Millis, max: usize) -> Vec<Millis> {
    let mut all: Vec<Millis> = trace
        .iter()
        .flat_map(|e| [e.at_ms.saturating_sub(1), e.at_ms, e.at_ms + 1])
        .chain([0, end_ms])
        .collect();
    all.sort_unstable();
    all.dedup();
    let step = all.len().div_ceil(max).max(1);
    let mut picked: Vec<Millis> = all.iter().copied().step_by(step).collect();
    picked.push(end_ms);
    picked
}

/// A fixed pseudo-random walk over `cursors` (a linear congruential generator: no crate needed).
fn jumps(cursors: &[Millis], n: usize) -> Vec<Millis> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            cursors[(x >> 33) as usize % cursors.len()]
        })
        .collect()
}

fn check_at(cache: &mut ViewCache, s: &Scenario, w: &World, cursor: Millis, name: &str) {
    let trace = w.trace();
    let at_end = cursor >= s.duration_ms;
    let expected = frame(s, trace, cursor);
    assert_eq!(
        *cache.frame(trace, cursor),
        expected,
        "{name}: frame at {cursor}"
    );
    let scene = Scene::at(s, trace, cursor);
    assert_eq!(
        *cache.ledger(trace, cursor, at_end),
        ledger_at(&scene, trace, at_end),
        "{name}: ledger at {cursor}"
    );
    for (lang, limit) in [(Lang::En, 8), (Lang::Ru, 3)] {
        assert_eq!(
            *cache.explain(trace, cursor, lang, limit),
            explain(trace, cursor, lang, limit),
            "{name}: explanation ({lang:?}, {limit}) at {cursor}"
        );
    }
}

/// Every catalogue scenario, with checkpoints 7 events apart so that short traces use them too.
#[test]
fn cached_views_equal_the_from_scratch_views_forward_backward_and_jumping() {
    for (name, json) in CATALOGUE {
        let (s, w) = run(name, json);
        let trace = w.trace();
        let forward = cursors(trace, s.duration_ms, 60);
        let mut cache = ViewCache::with_spacing(&s, 7);
        for &c in &forward {
            check_at(&mut cache, &s, &w, c, name);
        }
        for &c in forward.iter().rev().step_by(3) {
            check_at(&mut cache, &s, &w, c, name);
        }
        for c in jumps(&forward, 25) {
            check_at(&mut cache, &s, &w, c, name);
        }
        assert_eq!(*cache.marks(trace), marks(trace), "{name}: marks");
    }
}

/// Frame by frame at 1× (about 16.7 ms apart) through the busiest scenario, then back, with
/// the default spacing: most frames cross no event or a few.
#[test]
fn playing_the_busy_cluster_frame_by_frame_matches_from_scratch() {
    let (_, json) = CATALOGUE
        .iter()
        .find(|(n, _)| *n == "busy-cluster")
        .expect("the busy cluster is in the catalogue");
    let (s, w) = run("busy-cluster", json);
    let mut cache = ViewCache::new(&s);
    let frames: Vec<Millis> = (0..)
        .map(|i| i * 167 / 10)
        .take_while(|&c| c <= s.duration_ms)
        .collect();
    for &c in frames.iter().step_by(4) {
        check_at(&mut cache, &s, &w, c, "busy-cluster");
    }
    for &c in frames.iter().rev().step_by(37) {
        check_at(&mut cache, &s, &w, c, "busy-cluster");
    }
}

/// A long jump forward words only the sentences it keeps (what it learns silently on the way
/// still counts, e.g. which offset a lost record was acknowledged at), and tells the same last
/// sentences as going there event by event.
#[test]
fn a_long_jump_and_small_steps_tell_the_same_last_sentences() {
    for (name, json) in CATALOGUE {
        let (s, w) = run(name, json);
        let trace = w.trace();
        assert!(trace.len() > WORD_ALL_MAX, "{name}: long enough to jump");
        for limit in [1, 4] {
            let mut steps = Checkpointed::new(ExplainFold::new(Lang::En, limit));
            for seen in 0..=trace.len() {
                steps.advance(trace, seen);
            }
            let expected = explain(trace, s.duration_ms, Lang::En, limit);
            assert_eq!(
                steps.advance(trace, trace.len()).lines(),
                expected,
                "{name}"
            );
            let mut jump = Checkpointed::with_spacing(ExplainFold::new(Lang::En, limit), 1 << 30);
            assert_eq!(jump.advance(trace, trace.len()).lines(), expected, "{name}");
        }
    }
}

#[test]
fn the_session_redraws_the_same_frame_without_recomputing_it() {
    use crate::view::session::{Session, SessionAction};
    let mut session = Session::new(Scenario::default());
    session.apply(SessionAction::Seek(500));
    let a = session.frame();
    let b = session.frame();
    assert!(Rc::ptr_eq(&a, &b));
    session.apply(SessionAction::Seek(499));
    assert_eq!(
        *session.frame(),
        frame(session.world.scenario(), session.world.trace(), 499)
    );
}
