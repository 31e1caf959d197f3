//! Embed mode (`?embed=1`): a compact frame for an iframe of about 640×400 — the stage, the
//! controls the embedding page asked for (`controls=play,step,timeline,reset`), and a link that
//! opens the same moment in the full app. `autoplay=1` and `loop=1` are handled by [`use_autoplay`].

use super::i18n::use_lang;
use super::stage::Stage;
use crate::model::Millis;
use crate::view::i18n::{tr, trf, Text};
use crate::view::link::EmbedControl;
use crate::view::session::SessionAction;
use crate::view::share_text::ShareText;
use crate::view::Frame;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EmbedFrameProps {
    pub frame: Rc<Frame>,
    pub playing: bool,
    pub cursor_ms: Millis,
    pub end_ms: Millis,
    pub controls: Vec<EmbedControl>,
    /// The full app at the same moment (relative, so it works from any sub-path).
    pub open_href: String,
    /// Why the link could not be opened (the default scenario is shown instead).
    pub error: Option<String>,
    pub on_action: Callback<SessionAction>,
}

#[function_component(EmbedFrame)]
pub fn embed_frame(props: &EmbedFrameProps) -> Html {
    let lang = use_lang();
    let has = |c: EmbedControl| props.controls.contains(&c);
    let act = |action: SessionAction| {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
    };
    let on_scrub = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(ms) = input.value().parse::<u64>() {
                on_action.emit(SessionAction::Seek(ms));
            }
        })
    };
    let play = tr(
        lang,
        if props.playing {
            Text::Pause
        } else {
            Text::Play
        },
    );
    html! {
        <div class="embed" aria-label={tr(lang, ShareText::EmbedLabel)}>
            if let Some(error) = &props.error {
                <p class="notice notice-link-error" role="alert">{ error }</p>
            }
            <Stage frame={props.frame.clone()} on_select={Callback::noop()} selected_record={None::<u32>} />
            <div class="embed-bar">
                if has(EmbedControl::Step) {
                    <button class="btn btn-step-back" aria-label={tr(lang, Text::StepBack)}
                        title={tr(lang, Text::StepBack)} onclick={act(SessionAction::StepBack)}>{ "◀︎" }</button>
                }
                if has(EmbedControl::Play) {
                    <button class="btn btn-play" aria-label={play} onclick={act(SessionAction::TogglePlay)}>
                        { if props.playing { "❚❚" } else { "▶" } }
                    </button>
                }
                if has(EmbedControl::Step) {
                    <button class="btn btn-step-forward" aria-label={tr(lang, Text::StepForward)}
                        title={tr(lang, Text::StepForward)} onclick={act(SessionAction::StepForward)}>{ "▶︎|" }</button>
                }
                if has(EmbedControl::Reset) {
                    <button class="btn btn-reset" onclick={act(SessionAction::Seek(0))}>{ tr(lang, Text::Reset) }</button>
                }
                if has(EmbedControl::Timeline) {
                    <input class="timeline" type="range" min="0" max={props.end_ms.to_string()} step="1"
                        value={props.cursor_ms.to_string()} aria-label={tr(lang, Text::Timeline)}
                        oninput={on_scrub} />
                }
                <output class="clock">
                    { trf(lang, Text::Clock, &[&props.cursor_ms.to_string(), &props.end_ms.to_string()]) }
                </output>
                <a class="embed-open" href={props.open_href.clone()} target="_blank" rel="noopener">
                    { tr(lang, ShareText::OpenFull) }
                </a>
            </div>
        </div>
    }
}

/// `autoplay=1` starts playing once mounted; `loop=1` starts again from the beginning each time
/// playback reaches the end.
#[hook]
pub fn use_autoplay(
    autoplay: bool,
    looped: bool,
    playing: bool,
    at_end: bool,
    on_action: Callback<SessionAction>,
) {
    let was_playing = use_mut_ref(|| false);
    {
        let on_action = on_action.clone();
        use_effect_with((), move |_| {
            if autoplay {
                on_action.emit(SessionAction::TogglePlay);
            }
        });
    }
    use_effect_with((playing, at_end), move |&(playing, at_end)| {
        let stopped_at_end = *was_playing.borrow() && !playing && at_end;
        *was_playing.borrow_mut() = playing;
        if looped && stopped_at_end {
            on_action.emit(SessionAction::Seek(0));
            on_action.emit(SessionAction::TogglePlay);
        }
    });
}
