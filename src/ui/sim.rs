//! The session as UI state, changed only through actions (Yew's `function_todomvc` house: plain
//! state, an action enum, `Reducible`). The logic itself is [`crate::view::session`], tested
//! natively.
//!
//! The session is shared and changed in place: cloning the world and its trace on every animation
//! frame would cost more than drawing it. `version` counts actions so that Yew sees each change.

use crate::model::Scenario;
use crate::view::session::{Session, SessionAction};
use std::cell::{Ref, RefCell};
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone)]
pub struct Sim {
    session: Rc<RefCell<Session>>,
    /// Counts reduced actions; the frame loop and memoised views key on it.
    pub version: u64,
    /// Counts the actions other than animation frames: what the viewer did (the address bar is
    /// rewritten for these while playing, not for each frame).
    pub acted: u64,
}

impl Sim {
    pub fn new(scenario: Scenario) -> Self {
        Self {
            session: Rc::new(RefCell::new(Session::new(scenario))),
            version: 0,
            acted: 0,
        }
    }

    /// Read access for drawing. Never held across a dispatch.
    pub fn session(&self) -> Ref<'_, Session> {
        self.session.borrow()
    }
}

impl PartialEq for Sim {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && Rc::ptr_eq(&self.session, &other.session)
    }
}

impl Reducible for Sim {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        let acted = self.acted + u64::from(!matches!(action, SessionAction::Frame(_)));
        self.session.borrow_mut().apply(action);
        Rc::new(Sim {
            session: Rc::clone(&self.session),
            version: self.version + 1,
            acted,
        })
    }
}
