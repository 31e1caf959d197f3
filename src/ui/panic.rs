//! If the WASM panics, the page says so plainly instead of freezing silently.
//!
//! The release build aborts on panic, so the app cannot continue; the hook logs the details to the
//! console and shows a message with a reload button in place of the app.

use crate::view::i18n::{tr, Lang, Text};

/// The id of the message element, for tests and styling.
pub const PANIC_ELEMENT_ID: &str = "fatal-error";

pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let detail = info.to_string();
        web_sys::console::error_1(&format!("Delivery Lab stopped: {detail}").into());
        show_message(&detail);
    }));
}

/// `?selftest=panic` makes the page panic on start, so the end-to-end tests can check the hook.
pub fn self_test_requested() -> bool {
    gloo::utils::window()
        .location()
        .search()
        .map(|s| s.split(['?', '&']).any(|kv| kv == "selftest=panic"))
        .unwrap_or(false)
}

/// Replaces the app with a plain message. Uses only DOM calls that cannot panic themselves.
pub fn show_message(detail: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    // The page's language, read without anything that could panic again.
    let lang = document
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|code| Lang::from_code(&code))
        .unwrap_or_default();
    let Ok(panel) = document.create_element("div") else {
        return;
    };
    panel.set_id(PANIC_ELEMENT_ID);
    panel.set_attribute("role", "alert").ok();
    panel.set_class_name("fatal-error");
    let heading = document.create_element("h2").ok();
    let text = document.create_element("p").ok();
    let details = document.create_element("pre").ok();
    let reload = document.create_element("button").ok();
    if let Some(h) = &heading {
        h.set_text_content(Some(tr(lang, Text::FatalTitle)));
        panel.append_child(h).ok();
    }
    if let Some(p) = &text {
        p.set_text_content(Some(tr(lang, Text::FatalBody)));
        panel.append_child(p).ok();
    }
    if let Some(pre) = &details {
        pre.set_text_content(Some(detail));
        panel.append_child(pre).ok();
    }
    if let Some(button) = &reload {
        button.set_text_content(Some(tr(lang, Text::Reload)));
        button
            .set_attribute("onclick", "window.location.reload()")
            .ok();
        panel.append_child(button).ok();
    }
    if let Some(app) = document.get_element_by_id("app") {
        app.set_attribute("hidden", "").ok();
    }
    if let Some(body) = document.body() {
        body.append_child(&panel).ok();
    }
}
