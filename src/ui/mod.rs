//! The Yew UI (wasm32 only): components that draw the view-model and send user intents.
//!
//! One context would hold the simulation as the app grows; for now [`app::App`] owns it in a
//! reducer. Components never mutate the model: they dispatch actions.

pub mod app;
pub mod compare_ledger;
pub mod compare_mode;
pub mod config_panel;
pub mod controls;
pub mod embed;
pub mod explain_panel;
pub mod explorer_panel;
pub mod explorer_worker;
pub mod faults;
pub mod files;
pub mod help;
pub mod i18n;
pub mod internal_logs;
pub mod ledger_panel;
pub mod legend;
pub mod lesson_panel;
pub mod panic;
pub mod scenario_picker;
pub mod share;
pub mod share_panel;
pub mod sim;
pub mod stage;
pub mod workbench;

/// Installs the panic hook and mounts the app on the page's `#app` element (or the body).
pub fn start() {
    panic::install_hook();
    if panic::self_test_requested() {
        panic!("self-test: a deliberate panic, asked for by ?selftest=panic");
    }
    let root = gloo::utils::document().get_element_by_id("app");
    match root {
        Some(root) => yew::Renderer::<app::App>::with_root(root).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}
