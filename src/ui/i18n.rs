//! The UI's language: a context every component reads, remembered in local storage.

use crate::view::i18n::{tr, Lang, Text};
use gloo::storage::{LocalStorage, Storage};
use yew::prelude::*;

const STORAGE_KEY: &str = "delivery-lab.lang";

/// The language the page starts in: the remembered choice, else the browser's, else English.
pub fn initial_lang() -> Lang {
    let remembered = LocalStorage::get::<String>(STORAGE_KEY)
        .ok()
        .and_then(|code| Lang::from_code(&code));
    let browser = || {
        gloo::utils::window()
            .navigator()
            .language()
            .and_then(|code| Lang::from_code(&code))
    };
    let lang = remembered.or_else(browser).unwrap_or_default();
    set_document_lang(lang);
    lang
}

/// `<html lang>` follows the UI, for screen readers and for the panic message.
fn set_document_lang(lang: Lang) {
    if let Some(html) = gloo::utils::document().document_element() {
        html.set_attribute("lang", lang.code()).ok();
    }
}

/// Remembers the choice (silently skipped where storage is unavailable, e.g. a sandboxed iframe).
pub fn remember_lang(lang: Lang) {
    LocalStorage::set(STORAGE_KEY, lang.code()).ok();
    set_document_lang(lang);
}

/// The current language; English outside a provider.
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

#[derive(Properties, PartialEq)]
pub struct LangSwitchProps {
    pub lang: Lang,
    pub on_change: Callback<Lang>,
}

/// A compact switch between the languages, each named in itself.
#[function_component(LangSwitch)]
pub fn lang_switch(props: &LangSwitchProps) -> Html {
    html! {
        <div class="lang-switch" role="group" aria-label={tr(props.lang, Text::Language)}>
            { for Lang::ALL.into_iter().map(|lang| {
                let on_change = props.on_change.clone();
                html! {
                    <button class={classes!("btn", "btn-lang", (lang == props.lang).then_some("active"))}
                        lang={lang.code()} aria-pressed={(lang == props.lang).to_string()}
                        onclick={Callback::from(move |_| on_change.emit(lang))}>
                        { lang.code().to_uppercase() }
                        <span class="visually-hidden">{ format!(" ({})", lang.native_name()) }</span>
                    </button>
                }
            }) }
        </div>
    }
}
