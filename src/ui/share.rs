//! The page's address as the session's state: read once on start, rewritten as the viewer works
//! so the address bar is a link to this moment (`history.replaceState`): at once when paused,
//! stepped or seeked and whenever the viewer acts, but not for the frames of a run that plays
//! (each call costs the main thread several milliseconds of a frame); when the run stops, or the
//! viewer pauses, the address catches up. Encoding and decoding are [`crate::view::link`], tested
//! natively.

use super::sim::Sim;
use crate::model::Scenario;
use crate::view::link::{decode, encode, has_state, view_params, LinkError, LinkState, ViewParams};
use crate::view::session::{Session, SessionAction};
use std::rc::Rc;
use yew::prelude::*;
use yew::Reducible;

/// What the page was opened with.
#[derive(Debug, Clone, PartialEq)]
pub struct Start {
    pub state: LinkState,
    /// Why the link could not be opened (the default scenario is shown instead).
    pub error: Option<LinkError>,
    pub view: ViewParams,
}

/// The query of the page's address, with its `?`.
pub fn location_query() -> String {
    gloo::utils::window()
        .location()
        .search()
        .unwrap_or_default()
}

impl Start {
    pub fn from_location() -> Self {
        let query = location_query();
        let view = view_params(&query);
        let (state, error) = if has_state(&query) {
            match decode(&query) {
                Ok(state) => (state, None),
                Err(e) => (LinkState::new(Scenario::default()), Some(e)),
            }
        } else {
            (LinkState::new(Scenario::default()), None)
        };
        Self { state, error, view }
    }
}

/// A simulation restored from a link: the scenario, the viewer's faults in order, the speed and
/// the cursor, through the same actions the viewer would have taken.
pub fn restore(state: &LinkState) -> Sim {
    let mut sim = Rc::new(Sim::new(state.scenario.clone()));
    for fault in &state.added {
        sim = sim.reduce(SessionAction::Arm(fault.clone()));
    }
    if state.speed != 1.0 {
        sim = sim.reduce(SessionAction::SetSpeed(state.speed));
    }
    if state.cursor_ms > 0 {
        sim = sim.reduce(SessionAction::Seek(state.cursor_ms));
    }
    (*sim).clone()
}

/// The session as a link state.
pub fn link_state(session: &Session) -> LinkState {
    LinkState {
        scenario: session.base().clone(),
        added: session.added().to_vec(),
        cursor_ms: session.cursor(),
        speed: session.playback.speed,
        compare: None,
    }
}

/// The address of this page (no query, no hash), e.g. `https://host/labs/delivery/`.
pub fn page_address() -> String {
    let href = gloo::utils::window().location().href().unwrap_or_default();
    href.split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The full link to the session's current moment.
pub fn full_link(session: &Session) -> String {
    format!("{}?{}", page_address(), encode(&link_state(session)))
}

/// Keeps the address bar in step with the session (not in embed mode: an iframe's address is
/// the embedding page's business; not while side by side, which keeps it itself). `extra` is
/// appended as it is (e.g. `&lesson=…`).
#[hook]
pub fn use_address_sync(sim: &UseReducerHandle<Sim>, enabled: bool, extra: String) {
    let (version, acted, playing) = (sim.version, sim.acted, sim.session().playback.playing);
    let sim = sim.clone();
    let query = move |extra: &String| format!("?{}{extra}", encode(&link_state(&sim.session())));
    // Version 0 is the page as opened: its address is already the link.
    use_link_sync(
        (version, extra.clone()),
        (acted, extra),
        playing,
        enabled && version > 0,
        move |(_, extra)| query(extra),
    );
}

/// Rewrites the address to `query(deps)` whenever `deps` change while `enabled`; while `playing`,
/// only when `acted` (what the viewer did: actions other than animation frames, the lesson's
/// step…) changed since the address was last written, not for each frame. The frames of a run
/// that plays move only its cursor, and the address gets it when the run stops or is paused.
#[hook]
pub fn use_link_sync<D, A, Q>(deps: D, acted: A, playing: bool, enabled: bool, query: Q)
where
    D: PartialEq + 'static,
    A: PartialEq + 'static,
    Q: Fn(&D) -> String + 'static,
{
    let written = use_mut_ref(|| None::<A>);
    use_effect_with((deps, enabled), move |(deps, enabled)| {
        let due = !playing || written.borrow().as_ref() != Some(&acted);
        if *enabled && due {
            *written.borrow_mut() = Some(acted);
            replace_query(&query(deps));
        }
    });
}

/// Puts `query` (with its `?`) in the address bar without a new history entry.
fn replace_query(query: &str) {
    if query != location_query() {
        if let Ok(history) = gloo::utils::window().history() {
            history
                .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(query))
                .ok();
        }
    }
}
