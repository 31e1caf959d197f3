//! Keyboard shortcuts: the global key handler and the help overlay that lists them.

use super::i18n::use_lang;
use crate::view::i18n::{tr, Text};
use crate::view::keys::{intent_for, KeyIntent};
use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};
use yew::prelude::*;

/// Keys that belong to the focused element rather than to the shortcuts.
fn belongs_to_a_control(event: &KeyboardEvent) -> bool {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return false;
    };
    let key = event.key();
    match target.tag_name().to_ascii_lowercase().as_str() {
        // Form fields use every key themselves (arrows move a slider, letters type).
        "input" | "select" | "textarea" => key != "Escape",
        // A focused button or link only needs Space and Enter; the other shortcuts still work.
        "button" | "a" => key == " " || key == "Enter",
        _ => false,
    }
}

/// Listens for shortcuts on the whole window while mounted.
#[hook]
pub fn use_shortcuts(on_intent: Callback<KeyIntent>) {
    use_effect_with((), move |_| {
        let options = EventListenerOptions::enable_prevent_default();
        let listener = EventListener::new_with_options(
            &gloo::utils::window(),
            "keydown",
            options,
            move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                if event.ctrl_key() || event.meta_key() || event.alt_key() {
                    return;
                }
                if belongs_to_a_control(event) {
                    return;
                }
                if let Some(intent) = intent_for(&event.key()) {
                    event.prevent_default();
                    on_intent.emit(intent);
                }
            },
        );
        move || drop(listener)
    });
}

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub on_close: Callback<()>,
}

/// The list of shortcuts, as a modal dialog.
#[function_component(HelpOverlay)]
pub fn help_overlay(props: &HelpProps) -> Html {
    let lang = use_lang();
    let rows = [
        ("Space", Text::KeyPlayPause),
        ("← →", Text::KeyStep),
        ("− +", Text::KeySpeed),
        ("Home", Text::KeyReset),
        ("?", Text::KeyHelp),
    ];
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="help-title">
            <div class="dialog">
                <h2 id="help-title">{ tr(lang, Text::Help) }</h2>
                <dl class="shortcuts">
                    { for rows.iter().map(|(keys, what)| html! {
                        <>
                            <dt><kbd>{ *keys }</kbd></dt>
                            <dd>{ tr(lang, *what) }</dd>
                        </>
                    }) }
                </dl>
                <button class="btn btn-close" onclick={close} autofocus=true>{ tr(lang, Text::Close) }</button>
            </div>
        </div>
    }
}
