//! Keyboard shortcuts: the global key handler and the help overlay that lists them.

use super::i18n::use_lang;
use crate::view::i18n::{tr, Text};
use crate::view::keys::{intent_for, KeyIntent};
use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};
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

/// Listens for shortcuts on the whole window while mounted. The listener is added once but
/// always calls the latest `on_intent`: a callback made at the first render would read the state
/// of that render for ever (`?` would then open the help again instead of closing it).
#[hook]
pub fn use_shortcuts(on_intent: Callback<KeyIntent>) {
    let latest = use_mut_ref(|| on_intent.clone());
    *latest.borrow_mut() = on_intent;
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
                let key = event.key();
                // Holding `?` down would open and close the help over and over.
                if event.repeat() && key == "?" {
                    event.prevent_default();
                    return;
                }
                // While the help is open it owns `?` and Escape, wherever the focus has gone
                // (a slider or a list behind the dialog would otherwise keep them).
                let help_key = help_is_open() && (key == "?" || key == "Escape");
                if !help_key && belongs_to_a_control(event) {
                    return;
                }
                if let Some(intent) = intent_for(&key) {
                    event.prevent_default();
                    // Cloned out first: the callback may re-render, which sets `latest`.
                    let on_intent = latest.borrow().clone();
                    on_intent.emit(intent);
                }
            },
        );
        move || drop(listener)
    });
}

/// Whether a help overlay is on the page.
fn help_is_open() -> bool {
    gloo::utils::document()
        .query_selector(".overlay[aria-modal='true']")
        .ok()
        .flatten()
        .is_some()
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
    // The dialog takes the focus when it opens (`autofocus` does nothing when something else
    // already has it) and gives it back to where it was when it closes.
    let close_button = use_node_ref();
    {
        let close_button = close_button.clone();
        use_effect_with((), move |_| {
            let before = gloo::utils::document().active_element();
            if let Some(button) = close_button.cast::<HtmlElement>() {
                button.focus().ok();
            }
            move || {
                if let Some(before) = before.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                    if before.is_connected() {
                        before.focus().ok();
                    }
                }
            }
        });
    }
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
                <button class="btn btn-close" onclick={close} ref={close_button}>{ tr(lang, Text::Close) }</button>
            </div>
        </div>
    }
}
