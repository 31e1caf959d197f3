//! The app shell: header, stage, controls, and the animation loop that drives playback.

use super::controls::Controls;
use super::sim::{Action, Sim};
use super::stage::Stage;
use crate::model::Scenario;
use crate::view::frame;
use gloo::render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let sim = use_reducer(|| Sim::new(Scenario::default()));
    use_frame_loop(sim.playback.playing, sim.frames, sim.dispatcher());

    let view = frame(sim.world.trace(), sim.playback.cursor());
    let on_toggle = {
        let sim = sim.dispatcher();
        Callback::from(move |_| sim.dispatch(Action::TogglePlay))
    };
    let on_reset = {
        let sim = sim.dispatcher();
        Callback::from(move |_| sim.dispatch(Action::Reset))
    };
    html! {
        <div class="app">
            <header class="app-header">
                <h1>{ "Delivery Lab" }</h1>
                <p class="tagline">{ "Kafka's delivery guarantees, made visible." }</p>
            </header>
            <main>
                <Stage frame={view} />
                <Controls
                    playing={sim.playback.playing}
                    cursor_ms={sim.playback.cursor()}
                    end_ms={sim.end_ms()}
                    {on_toggle}
                    {on_reset}
                />
            </main>
        </div>
    }
}

/// While `playing`, asks the browser for one animation frame per render and reports its
/// timestamp. Each reported frame bumps `frames`, which re-runs the effect for the next one; the
/// handle is dropped (and the request cancelled) when playback stops or the app unmounts.
#[hook]
fn use_frame_loop(playing: bool, frames: u64, sim: UseReducerDispatcher<Sim>) {
    use_effect_with((playing, frames), move |&(playing, _)| {
        let handle: Option<AnimationFrame> =
            playing.then(|| request_animation_frame(move |ts| sim.dispatch(Action::Frame(ts))));
        move || drop(handle)
    });
}
