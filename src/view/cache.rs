//! The views of a session's cursor, kept from one animation frame to the next.
//!
//! The view is a function of (trace, cursor): [`frame`](super::frame),
//! [`ledger_at`](super::ledger_view::ledger_at), [`explain`](super::explain::explain) and
//! [`marks`](super::timeline::marks) compute it from scratch. This cache gives exactly the same
//! values at a cost proportional to what changed: the folds of the trace advance from the last
//! cursor (or restart from a checkpoint when it moves back, see [`super::checkpoints`]); the
//! scene, the ledger and the explanation are recomputed only when the cursor crosses a trace
//! event; between events a frame only moves the messages in flight. It belongs to one world: a
//! new run needs a new cache.

use super::checkpoints::{Checkpointed, Fold, MIN_SPACING};
use super::explain::{Line, Memory};
use super::i18n::Lang;
use super::ledger_view::{judge, ledger_at, ledger_groups, new_ledger, LedgerView};
use super::scene::{Scene, SceneFold};
use super::stage::{Frame, Still};
use super::timeline::{marks, Mark};
use crate::model::ledger::Ledger;
use crate::model::{Millis, NodeId, Scenario, TraceEvent};
use std::collections::VecDeque;
use std::rc::Rc;

impl Fold for SceneFold {
    fn push(&mut self, index: usize, event: &TraceEvent) {
        SceneFold::push(self, index, event);
    }
}

impl Fold for Ledger {
    fn push(&mut self, _: usize, event: &TraceEvent) {
        self.observe(&event.kind);
    }
}

/// The explanation part-way through a trace: what it learnt, and its last `limit` sentences.
#[derive(Debug, Clone)]
pub struct ExplainFold {
    memory: Memory,
    lines: VecDeque<Line>,
    lang: Lang,
    limit: usize,
}

/// A run of events longer than this is first counted without words, so that only the sentences
/// kept are put into words.
const WORD_ALL_MAX: usize = 64;

impl ExplainFold {
    pub fn new(lang: Lang, limit: usize) -> Self {
        Self {
            memory: Memory::default(),
            lines: VecDeque::new(),
            lang,
            limit,
        }
    }

    /// The last `limit` sentences so far, oldest first.
    pub fn lines(&self) -> Vec<Line> {
        self.lines.iter().cloned().collect()
    }

    fn learn(&mut self, event: &TraceEvent) {
        self.memory.sentences(&event.kind, None);
    }
}

impl Fold for ExplainFold {
    fn push(&mut self, _: usize, event: &TraceEvent) {
        for (text, tone) in self.memory.sentences(&event.kind, Some(self.lang)) {
            self.lines.push_back(Line {
                at_ms: event.at_ms,
                text,
                tone,
            });
        }
        while self.lines.len() > self.limit {
            self.lines.pop_front();
        }
    }

    /// As [`super::explain::explain`] does: count each event's sentences on a copy of the
    /// memory, then learn silently up to where the last `limit` sentences start.
    fn push_all(&mut self, first: usize, events: &[TraceEvent]) {
        let mut start = 0;
        if events.len() > WORD_ALL_MAX {
            let mut probe = self.memory.clone();
            let counts: Vec<usize> = events
                .iter()
                .map(|e| probe.sentences(&e.kind, None).len())
                .collect();
            let (mut i, mut tail) = (events.len(), 0);
            while i > 0 && tail < self.limit {
                i -= 1;
                tail += counts[i];
            }
            if tail >= self.limit {
                // The sentences from `i` on push out every earlier one.
                start = i;
                self.lines.clear();
            }
        }
        for event in &events[..start] {
            self.learn(event);
        }
        for (i, event) in events.iter().enumerate().skip(start) {
            self.push(first + i, event);
        }
    }
}

/// The cached views of one world's trace.
#[derive(Debug, Clone)]
pub struct ViewCache {
    scene: Checkpointed<SceneFold>,
    /// The consumers and groups the ledger fold was started with.
    groups: Vec<(NodeId, String)>,
    ledger: Checkpointed<Ledger>,
    /// The explanation's fold, for the language and length it was started with.
    explain: Option<(Lang, usize, Checkpointed<ExplainFold>)>,
    /// How far apart the folds' first checkpoints are.
    spacing: usize,
    /// The still at `seen` events.
    still: Option<(usize, Rc<Still>)>,
    last_frame: Option<Rc<Frame>>,
    /// (seen, at_end, view).
    ledger_view: Option<(usize, bool, Rc<LedgerView>)>,
    /// (seen, lang, limit, lines).
    lines: Option<(usize, Lang, usize, Rc<Vec<Line>>)>,
    /// (trace length, marks).
    marks: Option<(usize, Rc<Vec<Mark>>)>,
}

/// How many events happened at or before `cursor_ms`.
pub fn seen_at(trace: &[TraceEvent], cursor_ms: Millis) -> usize {
    trace.partition_point(|e| e.at_ms <= cursor_ms)
}

impl ViewCache {
    pub fn new(scenario: &Scenario) -> Self {
        Self::with_spacing(scenario, MIN_SPACING)
    }

    /// A cache whose folds save checkpoints `spacing` events apart at first.
    pub fn with_spacing(scenario: &Scenario, spacing: usize) -> Self {
        let initial = SceneFold::new(scenario);
        let groups = ledger_groups(&initial.scene());
        Self {
            ledger: Checkpointed::with_spacing(new_ledger(&initial.scene()), spacing),
            groups,
            scene: Checkpointed::with_spacing(initial, spacing),
            explain: None,
            spacing,
            still: None,
            last_frame: None,
            ledger_view: None,
            lines: None,
            marks: None,
        }
    }

    /// What the stage shows at `cursor_ms`: [`super::frame`].
    pub fn frame(&mut self, trace: &[TraceEvent], cursor_ms: Millis) -> Rc<Frame> {
        let seen = seen_at(trace, cursor_ms);
        let still = self.still(trace, seen);
        if let Some(f) = &self.last_frame {
            if f.cursor_ms == cursor_ms && Rc::ptr_eq(&f.scene, &still.scene) {
                return Rc::clone(f);
            }
        }
        let frame = Rc::new(still.frame(trace, cursor_ms));
        self.last_frame = Some(Rc::clone(&frame));
        frame
    }

    /// The scene after `seen` events: [`Scene::at`].
    pub fn scene(&mut self, trace: &[TraceEvent], seen: usize) -> Rc<Scene> {
        Rc::clone(&self.still(trace, seen).scene)
    }

    fn still(&mut self, trace: &[TraceEvent], seen: usize) -> Rc<Still> {
        match &self.still {
            Some((at, still)) if *at == seen => Rc::clone(still),
            _ => {
                let scene = self.scene.advance(trace, seen).scene();
                let still = Rc::new(Still::of(Rc::new(scene)));
                self.still = Some((seen, Rc::clone(&still)));
                still
            }
        }
    }

    /// The ledger at `cursor_ms`: [`ledger_at`].
    pub fn ledger(
        &mut self,
        trace: &[TraceEvent],
        cursor_ms: Millis,
        at_end: bool,
    ) -> Rc<LedgerView> {
        let seen = seen_at(trace, cursor_ms);
        if let Some((at, end, view)) = &self.ledger_view {
            if (*at, *end) == (seen, at_end) {
                return Rc::clone(view);
            }
        }
        let scene = self.scene(trace, seen);
        let view = if ledger_groups(&scene) == self.groups {
            judge(self.ledger.advance(trace, seen), &scene, trace, at_end)
        } else {
            ledger_at(&scene, trace, at_end)
        };
        let view = Rc::new(view);
        self.ledger_view = Some((seen, at_end, Rc::clone(&view)));
        view
    }

    /// The last `limit` sentences of the story at `cursor_ms`: [`super::explain::explain`].
    pub fn explain(
        &mut self,
        trace: &[TraceEvent],
        cursor_ms: Millis,
        lang: Lang,
        limit: usize,
    ) -> Rc<Vec<Line>> {
        let seen = seen_at(trace, cursor_ms);
        if let Some((at, l, n, lines)) = &self.lines {
            if (*at, *l, *n) == (seen, lang, limit) {
                return Rc::clone(lines);
            }
        }
        let fold = match &mut self.explain {
            Some((l, n, fold)) if (*l, *n) == (lang, limit) => fold,
            other => {
                let fold = Checkpointed::with_spacing(ExplainFold::new(lang, limit), self.spacing);
                &mut other.insert((lang, limit, fold)).2
            }
        };
        let lines = Rc::new(fold.advance(trace, seen).lines());
        self.lines = Some((seen, lang, limit, Rc::clone(&lines)));
        lines
    }

    /// The timeline's marks of the whole trace: [`marks`].
    pub fn marks(&mut self, trace: &[TraceEvent]) -> Rc<Vec<Mark>> {
        match &self.marks {
            Some((len, marks)) if *len == trace.len() => Rc::clone(marks),
            _ => {
                let m = Rc::new(marks(trace));
                self.marks = Some((trace.len(), Rc::clone(&m)));
                m
            }
        }
    }
}

#[cfg(test)]
#[path = "cache_tests.rs"]
mod tests;
