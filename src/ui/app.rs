//! The app shell: the language and the simulation, the animation loop, and which page to show
//! (the full workbench, or the compact embed frame). The page opens at the state its address describes (a shared link)
//! and keeps the address in step; `?embed=1` shows the compact embed frame instead.

use super::embed::{use_autoplay, EmbedFrame};
use super::i18n::{initial_lang, remember_lang};
use super::lesson_panel::Place;
use super::share::{link_state, restore, use_address_sync, Start};
use super::sim::Sim;
use super::workbench::Workbench;
use crate::view::i18n::Lang;
use crate::view::link::encode;
use crate::view::session::SessionAction;
use crate::view::share_text::link_error_message;
use gloo::render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let start = use_memo((), |_| Start::from_location());
    let sim = {
        let start = start.clone();
        use_reducer(move || restore(&start.state))
    };
    let lang = use_state(initial_lang);
    let place = use_state(|| -> Place {
        let (id, step) = start.view.lesson.clone()?;
        Some((id, step.saturating_sub(1) as usize))
    });

    let (playing, cursor_ms, end_ms) = {
        let s = sim.session();
        (s.playback.playing, s.cursor(), s.end_ms())
    };
    use_frame_loop(playing, sim.version, sim.dispatcher());
    let lesson_params = match &*place {
        Some((id, step)) => format!("&lesson={id}&step={}", step + 1),
        None => String::new(),
    };
    // Side by side (opened from a link, or by the mode switch) keeps the address itself.
    let comparing = use_state(|| start.state.compare.is_some());
    use_address_sync(&sim, !start.view.embed && !*comparing, lesson_params);
    let on_compare = {
        let comparing = comparing.clone();
        use_callback((), move |c: bool, _| comparing.set(c))
    };

    let on_action = {
        let sim = sim.dispatcher();
        use_callback((), move |action, _| sim.dispatch(action))
    };
    // Made once, so the panels that take them are not redrawn on every animation frame.
    let on_lang = {
        let lang = lang.clone();
        use_callback((), move |l: Lang, _| {
            remember_lang(l);
            lang.set(l);
        })
    };
    let on_place = {
        let place = place.clone();
        use_callback((), move |p: Place, _| place.set(p))
    };
    let at_end = cursor_ms >= end_ms;
    use_autoplay(
        start.view.autoplay,
        start.view.looped,
        playing,
        at_end,
        on_action.clone(),
    );
    if start.view.embed {
        let open_href = format!("?{}", encode(&link_state(&sim.session())));
        let error = start.error.as_ref().map(|e| link_error_message(*lang, e));
        return html! {
            <ContextProvider<Lang> context={*lang}>
                <EmbedFrame frame={sim.session().frame()} {playing} {cursor_ms} {end_ms}
                    controls={start.view.controls.clone()} {open_href} {error} {on_action} />
            </ContextProvider<Lang>>
        };
    }
    html! {
        <ContextProvider<Lang> context={*lang}>
            <Workbench sim={sim.clone()} lang={*lang} {on_lang}
                link_error={start.error.clone()} place={(*place).clone()} {on_place}
                comparing={*comparing} {on_compare} compare_start={start.state.compare.clone()} />
        </ContextProvider<Lang>>
    }
}

/// While `playing`, asks the browser for one animation frame per render and reports its
/// timestamp. Each reported frame bumps `version`, which re-runs the effect for the next one; the
/// handle is dropped (and the request cancelled) when playback stops or the app unmounts.
#[hook]
fn use_frame_loop(playing: bool, version: u64, sim: UseReducerDispatcher<Sim>) {
    use_effect_with((playing, version), move |&(playing, _)| {
        let handle: Option<AnimationFrame> = playing
            .then(|| request_animation_frame(move |ts| sim.dispatch(SessionAction::Frame(ts))));
        move || drop(handle)
    });
}
