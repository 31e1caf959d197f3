//! Playback controls: play/pause, reset, and where the cursor is.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub playing: bool,
    pub cursor_ms: u64,
    pub end_ms: u64,
    pub on_toggle: Callback<MouseEvent>,
    pub on_reset: Callback<MouseEvent>,
}

#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let (label, icon) = if props.playing {
        ("Pause", "❚❚")
    } else {
        ("Play", "▶")
    };
    html! {
        <div class="controls" role="toolbar" aria-label="Playback">
            <button class="btn btn-play" aria-label={label} title={label}
                onclick={props.on_toggle.clone()}>
                <span aria-hidden="true">{ icon }</span>{ " " }{ label }
            </button>
            <button class="btn btn-reset" aria-label="Reset" title="Reset"
                onclick={props.on_reset.clone()}>
                { "Reset" }
            </button>
            <output class="clock" aria-live="off">
                { format!("t = {} ms / {} ms", props.cursor_ms, props.end_ms) }
            </output>
        </div>
    }
}
