//! Playback controls: step back, play/pause, step forward, reset, speed, and the timeline.

use super::i18n::use_lang;
use crate::view::i18n::{tr, trf, Text};
use crate::view::session::SessionAction;
use crate::view::timeline::{Mark, MarkKind};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub playing: bool,
    pub cursor_ms: u64,
    pub end_ms: u64,
    pub speed: f64,
    /// The story's turning points, painted on the timeline.
    pub marks: Rc<Vec<Mark>>,
    pub on_action: Callback<SessionAction>,
}

#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let lang = use_lang();
    let act = |action: SessionAction| {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
    };
    let play_label = tr(
        lang,
        if props.playing {
            Text::Pause
        } else {
            Text::Play
        },
    );
    let play_icon = if props.playing { "❚❚" } else { "▶" };
    let on_scrub = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(ms) = input.value().parse::<u64>() {
                on_action.emit(SessionAction::Seek(ms));
            }
        })
    };
    html! {
        <div class="controls">
            <div class="toolbar" role="toolbar" aria-label={tr(lang, Text::PlaybackToolbar)}>
                <button class="btn btn-step-back" title={tr(lang, Text::StepBack)}
                    aria-label={tr(lang, Text::StepBack)} onclick={act(SessionAction::StepBack)}>
                    { icon("M11 3 L4 8 L11 13 Z M3 3 H1.5 V13 H3 Z") }
                </button>
                <button class="btn btn-play" title={play_label} aria-label={play_label}
                    onclick={act(SessionAction::TogglePlay)}>
                    <span aria-hidden="true">{ play_icon }</span>{ " " }{ play_label }
                </button>
                <button class="btn btn-step-forward" title={tr(lang, Text::StepForward)}
                    aria-label={tr(lang, Text::StepForward)} onclick={act(SessionAction::StepForward)}>
                    { icon("M5 3 L12 8 L5 13 Z M13 3 H14.5 V13 H13 Z") }
                </button>
                <button class="btn btn-reset" onclick={act(SessionAction::Reset)}>
                    { tr(lang, Text::Reset) }
                </button>
                <span class="speed" role="group" aria-label={tr(lang, Text::Speed)}>
                    <button class="btn btn-slower" aria-label={format!("{} −", tr(lang, Text::Speed))}
                        onclick={act(SessionAction::Slower)}>{ "−" }</button>
                    <output class="speed-value">{ format_speed(props.speed) }</output>
                    <button class="btn btn-faster" aria-label={format!("{} +", tr(lang, Text::Speed))}
                        onclick={act(SessionAction::Faster)}>{ "+" }</button>
                </span>
                <output class="clock">
                    { trf(lang, Text::Clock, &[&props.cursor_ms.to_string(), &props.end_ms.to_string()]) }
                </output>
            </div>
            <TimelineMarks marks={Rc::clone(&props.marks)} end_ms={props.end_ms}
                on_action={props.on_action.clone()} />
            <input class="timeline" type="range" min="0" max={props.end_ms.to_string()} step="1"
                value={props.cursor_ms.to_string()} aria-label={tr(lang, Text::Timeline)}
                oninput={on_scrub} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TimelineMarksProps {
    marks: Rc<Vec<Mark>>,
    end_ms: u64,
    on_action: Callback<SessionAction>,
}

/// The story's turning points above the timeline: redrawn when a mark is added (the cursor
/// crossed an event that makes one) or the story's length changes, not on every frame.
#[function_component(TimelineMarks)]
fn timeline_marks(props: &TimelineMarksProps) -> Html {
    let lang = use_lang();
    html! {
        <div class="timeline-marks">
            { for props.marks.iter().map(|m| {
                let left = 100.0 * m.at_ms as f64 / props.end_ms.max(1) as f64;
                let label = trf(lang, Text::MarkAt, &[tr(lang, mark_text(m.kind)), &m.at_ms.to_string()]);
                let on_action = props.on_action.clone();
                let at = m.at_ms;
                html! {
                    <button class={m.kind.class()} style={format!("left: {left:.2}%")}
                        title={label.clone()} aria-label={label}
                        onclick={Callback::from(move |_: MouseEvent| on_action.emit(SessionAction::Seek(at)))}></button>
                }
            }) }
        </div>
    }
}

fn mark_text(kind: MarkKind) -> Text {
    match kind {
        MarkKind::Crash => Text::MarkCrash,
        MarkKind::Restart => Text::MarkRestart,
        MarkKind::Election => Text::MarkElection,
        MarkKind::Loss => Text::MarkLoss,
        MarkKind::Duplicate => Text::MarkDuplicate,
        MarkKind::Commit => Text::MarkCommit,
        MarkKind::Rebalance => Text::MarkRebalance,
        MarkKind::Divergence => Text::MarkDivergence,
    }
}

/// A 16×16 icon drawn with one path, so no icon font or glyph fallback is needed.
fn icon(path: &'static str) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
            <path d={path} />
        </svg>
    }
}

/// "0.25×", "1×", "10×": the ladder's values print exactly.
fn format_speed(speed: f64) -> String {
    format!("{speed}×")
}
