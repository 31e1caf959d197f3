//! The page's address as the session's state: read once on start, rewritten as the viewer works
//! so the address bar is always a link to this moment (`history.replaceState`: at once when
//! paused, stepped or seeked, at most every 3 s while playing, since each call costs the main
//! thread several milliseconds). Encoding and decoding are [`crate::view::link`], tested natively.

use super::sim::Sim;
use crate::model::Scenario;
use crate::view::link::{decode, encode, has_state, view_params, LinkError, LinkState, ViewParams};
use crate::view::session::{Session, SessionAction};
use std::rc::Rc;
use yew::prelude::*;
use yew::Reducible;

/// While playing, the address is rewritten at most this often. Pausing, stepping and seeking
/// rewrite it at once, so a link copied from a paused page is always exact.
const PLAYING_UPDATE_MS: f64 = 3000.0;

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
    let (version, playing) = (sim.version, sim.session().playback.playing);
    let sim = sim.clone();
    let query = move |extra: &String| format!("?{}{extra}", encode(&link_state(&sim.session())));
    // Version 0 is the page as opened: its address is already the link.
    use_link_sync(
        (version, extra),
        playing,
        enabled && version > 0,
        move |(_, extra)| query(extra),
    );
}

/// Rewrites the address to `query(deps)` whenever `deps` change while `enabled` (at most once a
/// second while `playing`).
#[hook]
pub fn use_link_sync<D, Q>(deps: D, playing: bool, enabled: bool, query: Q)
where
    D: PartialEq + 'static,
    Q: Fn(&D) -> String + 'static,
{
    let last = use_mut_ref(|| 0.0_f64);
    use_effect_with((deps, enabled), move |(deps, enabled)| {
        let now = js_sys::Date::now();
        let due = !playing || now - *last.borrow() >= PLAYING_UPDATE_MS;
        if *enabled && due {
            *last.borrow_mut() = now;
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
