//! Folding a trace for a moving cursor: a fold advanced from where it was when the cursor moves
//! forward, and restarted from the nearest saved checkpoint when it moves back.
//!
//! Every view of the cursor (the scene, the ledger, the explanation) is a fold of the trace's
//! events up to it. Folding the whole prefix on every animation frame costs as much as the story
//! is long; [`Checkpointed`] makes a frame cost as much as the events it crossed. It gives
//! exactly what folding `trace[..seen]` from the initial state gives (tests in `view::cache`).

use crate::model::TraceEvent;

/// A state folded over trace events, in trace order.
pub trait Fold: Clone {
    /// Applies the event at `index` of the trace (the one after those already folded).
    fn push(&mut self, index: usize, event: &TraceEvent);

    /// Applies `events`, the trace's events from `first` on. A fold may do this faster than one
    /// event at a time (the explanation words only the sentences it keeps).
    fn push_all(&mut self, first: usize, events: &[TraceEvent]) {
        for (i, event) in events.iter().enumerate() {
            self.push(first + i, event);
        }
    }
}

/// Checkpoints are saved at least this many events apart.
pub const MIN_SPACING: usize = 512;

/// At most this many checkpoints are kept. Past it, every other one is dropped and the spacing
/// doubles: a long trace costs at most this many copies of the fold, and a step back refolds at
/// most a sixteenth of it (or [`MIN_SPACING`] events).
pub const MAX_CHECKPOINTS: usize = 16;

/// A fold of a trace's first `at` events, with checkpoints to go back to.
#[derive(Debug, Clone)]
pub struct Checkpointed<F> {
    initial: F,
    current: F,
    /// How many events `current` has folded.
    at: usize,
    /// (events folded, state) at every multiple of `spacing` folded so far, in order.
    saved: Vec<(usize, F)>,
    spacing: usize,
}

impl<F: Fold> Checkpointed<F> {
    pub fn new(initial: F) -> Self {
        Self::with_spacing(initial, MIN_SPACING)
    }

    /// Checkpoints `spacing` events apart at first (tests use short ones).
    pub fn with_spacing(initial: F, spacing: usize) -> Self {
        Self {
            current: initial.clone(),
            initial,
            at: 0,
            saved: Vec::new(),
            spacing: spacing.max(1),
        }
    }

    /// How many events the current state has folded.
    pub fn at(&self) -> usize {
        self.at
    }

    /// How many checkpoints are kept.
    pub fn checkpoints(&self) -> usize {
        self.saved.len()
    }

    /// The state after the first `seen` events of `trace`. The trace may have grown since the
    /// last call, but its earlier events must be the same ones.
    pub fn advance(&mut self, trace: &[TraceEvent], seen: usize) -> &F {
        let seen = seen.min(trace.len());
        if seen < self.at {
            let (at, state) = match self.saved.iter().rev().find(|(at, _)| *at <= seen) {
                Some((at, state)) => (*at, state.clone()),
                None => (0, self.initial.clone()),
            };
            self.at = at;
            self.current = state;
        }
        while self.at < seen {
            let mark = (self.at / self.spacing + 1) * self.spacing;
            let stop = seen.min(mark);
            self.current.push_all(self.at, &trace[self.at..stop]);
            self.at = stop;
            if stop == mark && self.saved.last().is_none_or(|(at, _)| *at < mark) {
                self.saved.push((mark, self.current.clone()));
                if self.saved.len() > MAX_CHECKPOINTS {
                    self.spacing *= 2;
                    let spacing = self.spacing;
                    self.saved.retain(|(at, _)| at % spacing == 0);
                }
            }
        }
        &self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventKind, NodeId};

    /// Remembers which events it saw.
    #[derive(Debug, Clone, Default, PartialEq)]
    struct Seen(Vec<usize>);

    impl Fold for Seen {
        fn push(&mut self, index: usize, _: &TraceEvent) {
            self.0.push(index);
        }
    }

    fn trace(n: usize) -> Vec<TraceEvent> {
        (0..n)
            .map(|i| TraceEvent {
                at_ms: i as u64,
                kind: EventKind::NodeRestarted {
                    node: NodeId::Broker(1),
                },
            })
            .collect()
    }

    #[test]
    fn forward_back_and_forward_again_fold_exactly_the_prefix() {
        let t = trace(5000);
        let mut c = Checkpointed::new(Seen::default());
        for seen in [0, 3, 700, 4999, 10, 1024, 1023, 5000, 0, 2600, 2599] {
            let expected: Vec<usize> = (0..seen).collect();
            assert_eq!(c.advance(&t, seen).0, expected, "at {seen}");
            assert_eq!(c.at(), seen);
        }
    }

    #[test]
    fn a_long_trace_keeps_a_bounded_number_of_checkpoints() {
        let t = trace(100 * MIN_SPACING);
        let mut c = Checkpointed::new(Seen::default());
        c.advance(&t, t.len());
        assert!(c.checkpoints() <= MAX_CHECKPOINTS, "{}", c.checkpoints());
        assert!(c.checkpoints() >= MAX_CHECKPOINTS / 2);
        assert_eq!(c.advance(&t, 77).0.len(), 77);
        assert_eq!(c.advance(&t, 40_001).0.len(), 40_001);
    }
}
