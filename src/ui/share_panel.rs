//! The share panel: copy a link to this moment, download or open a scenario file, export the
//! trace, save the stage as SVG or PNG and the story so far as a sequence diagram. Files opened
//! here go through `Scenario::from_json`, exactly as the headless runner reads them; a refused
//! file changes nothing and says which field is wrong.

use super::files::{download, download_url, read_chosen, stage_png, stage_svg};
use super::i18n::use_lang;
use crate::model::Scenario;
use crate::view::i18n::{tr, trf};
use crate::view::share_text::{file_refused_message, ShareText};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SharePanelProps {
    /// The link to the current moment, computed when asked for.
    pub link: Callback<(), String>,
    /// The scenario file (with the viewer's faults) and the trace, as JSON.
    pub scenario_json: Callback<(), String>,
    pub trace_json: Callback<(), String>,
    /// The story up to the cursor as a standalone SVG sequence diagram.
    pub sequence_svg: Callback<(), String>,
    pub on_load: Callback<Scenario>,
}

#[derive(Clone, PartialEq)]
enum Status {
    None,
    Info(String),
    Error(String),
}

#[function_component(SharePanel)]
pub fn share_panel(props: &SharePanelProps) -> Html {
    let lang = use_lang();
    let shown_link = use_state(|| None::<String>);
    let status = use_state(|| Status::None);
    let on_copy = {
        let (link, shown_link, status) = (props.link.clone(), shown_link.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let url = link.emit(());
            shown_link.set(Some(url.clone()));
            copy_to_clipboard(url, lang, status.clone());
        })
    };
    let save = |make: &Callback<(), String>, name: &'static str, mime: &'static str| {
        let make = make.clone();
        Callback::from(move |_: MouseEvent| download(name, mime, &make.emit(())))
    };
    let on_svg = Callback::from(|_: MouseEvent| {
        if let Some(svg) = stage_svg() {
            download("delivery-lab-stage.svg", "image/svg+xml", &svg);
        }
    });
    let on_png = Callback::from(|_: MouseEvent| {
        wasm_bindgen_futures::spawn_local(async {
            if let Some(url) = stage_png().await {
                download_url("delivery-lab-stage.png", &url);
            }
        });
    });
    let on_file = {
        let (on_load, status) = (props.on_load.clone(), status.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let (on_load, status) = (on_load.clone(), status.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let Some((name, text)) = read_chosen(&input).await else {
                    return;
                };
                input.set_value("");
                status.set(match text.map(|t| Scenario::from_json(&t)) {
                    None => Status::Error(trf(lang, ShareText::FileUnreadable, &[&name])),
                    Some(Err(e)) => Status::Error(file_refused_message(lang, &name, &e)),
                    Some(Ok(s)) => {
                        on_load.emit(s);
                        Status::Info(trf(lang, ShareText::FileOpened, &[&name]))
                    }
                });
            });
        })
    };
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        {
            input.select();
        }
    });
    html! {
        <section class="panel share-panel" aria-labelledby="share-title">
            <h2 id="share-title">{ tr(lang, ShareText::Share) }</h2>
            <div class="share-actions">
                <button class="btn btn-copy-link" onclick={on_copy}>{ tr(lang, ShareText::CopyLink) }</button>
                <button class="btn btn-download-scenario"
                    onclick={save(&props.scenario_json, "delivery-lab-scenario.json", "application/json")}>
                    { tr(lang, ShareText::DownloadScenario) }
                </button>
                <label class="btn btn-upload-scenario">
                    { tr(lang, ShareText::UploadScenario) }
                    <input class="visually-hidden upload-scenario" type="file"
                        accept=".json,application/json" onchange={on_file} />
                </label>
                <button class="btn btn-export-trace"
                    onclick={save(&props.trace_json, "delivery-lab-trace.json", "application/json")}>
                    { tr(lang, ShareText::ExportTrace) }
                </button>
                <button class="btn btn-save-svg" onclick={on_svg}>{ tr(lang, ShareText::SaveSvg) }</button>
                <button class="btn btn-save-png" onclick={on_png}>{ tr(lang, ShareText::SavePng) }</button>
                <button class="btn btn-save-sequence" title={tr(lang, ShareText::SaveSequenceHint)}
                    onclick={save(&props.sequence_svg, "delivery-lab-sequence.svg", "image/svg+xml")}>
                    { tr(lang, ShareText::SaveSequence) }
                </button>
            </div>
            if let Some(url) = &*shown_link {
                <input class="share-link" type="text" readonly={true} value={url.clone()}
                    aria-label={tr(lang, ShareText::LinkField)} onfocus={select_all} />
            }
            { match &*status {
                Status::None => html! {},
                Status::Info(text) => html! { <p class="share-status" role="status">{ text }</p> },
                Status::Error(text) => html! { <p class="share-error config-error" role="alert">{ text }</p> },
            } }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct CopyLinkProps {
    /// The link to the current moment, computed when asked for.
    pub link: Callback<(), String>,
}

/// "Copy link" on its own, with the link shown for copying by hand: side by side has no share
/// panel, and its link is its own (both configurations, the lock-step cursor).
#[function_component(CopyLink)]
pub fn copy_link(props: &CopyLinkProps) -> Html {
    let lang = use_lang();
    let shown_link = use_state(|| None::<String>);
    let status = use_state(|| Status::None);
    let on_copy = {
        let (link, shown_link, status) = (props.link.clone(), shown_link.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let url = link.emit(());
            shown_link.set(Some(url.clone()));
            copy_to_clipboard(url, lang, status.clone());
        })
    };
    html! {
        <div class="copy-link">
            <button class="btn btn-copy-link" onclick={on_copy}>{ tr(lang, ShareText::CopyLink) }</button>
            if let Some(url) = &*shown_link {
                <input class="share-link" type="text" readonly={true} value={url.clone()}
                    aria-label={tr(lang, ShareText::LinkField)} />
            }
            if let Status::Info(text) | Status::Error(text) = &*status {
                <p class="share-status" role="status">{ text }</p>
            }
        </div>
    }
}

/// Writes `url` to the clipboard where the browser allows it; otherwise (or if it refuses) asks
/// the viewer to copy the selected field by hand.
fn copy_to_clipboard(url: String, lang: crate::view::i18n::Lang, status: UseStateHandle<Status>) {
    let navigator = gloo::utils::window().navigator();
    let has_clipboard = js_sys::Reflect::has(&navigator, &"clipboard".into()).unwrap_or(false);
    let by_hand = Status::Info(tr(lang, ShareText::CopyByHand).to_string());
    if !has_clipboard {
        status.set(by_hand);
        return;
    }
    let promise = navigator.clipboard().write_text(&url);
    wasm_bindgen_futures::spawn_local(async move {
        let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        status.set(if copied {
            Status::Info(tr(lang, ShareText::Copied).to_string())
        } else {
            by_hand
        });
    });
}
