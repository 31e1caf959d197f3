//! The scenario picker: the built-in catalogue (`scenarios/`, compiled in) as a list of
//! translated titles, and the loaded scenario's own description.

use super::i18n::use_lang;
use crate::model::catalogue::CATALOGUE;
use crate::model::Scenario;
use crate::view::config_text::{catalogue_title, ConfigText};
use crate::view::i18n::{tr, trf, Lang};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScenarioPickerProps {
    /// The scenario as opened.
    pub scenario: Scenario,
    pub on_load: Callback<Scenario>,
}

/// A catalogue entry, parsed once.
struct Entry {
    name: &'static str,
    scenario: Result<Scenario, String>,
}

/// The scenario's name without the " [Preset]" a preset adds.
pub fn base_name(name: &str) -> &str {
    match name.rfind(" [") {
        Some(i) if name.ends_with(']') => &name[..i],
        _ => name,
    }
}

/// Which catalogue entry the scenario is, and whether it was changed since it was opened.
fn current(entries: &[Entry], scenario: &Scenario) -> Option<(&'static str, bool)> {
    let same = |e: &Entry| e.scenario.as_ref().ok() == Some(scenario);
    let kin = |e: &Entry| {
        e.scenario
            .as_ref()
            .is_ok_and(|s| s.name == base_name(&scenario.name))
    };
    entries
        .iter()
        .find(|e| same(e))
        .map(|e| (e.name, false))
        .or_else(|| entries.iter().find(|e| kin(e)).map(|e| (e.name, true)))
}

fn title(lang: Lang, entry: &Entry) -> String {
    match (catalogue_title(entry.name), &entry.scenario) {
        (Some(t), _) => tr(lang, t).to_string(),
        (None, Ok(s)) => s.name.clone(),
        (None, Err(_)) => entry.name.to_string(),
    }
}

#[function_component(ScenarioPicker)]
pub fn scenario_picker(props: &ScenarioPickerProps) -> Html {
    let lang = use_lang();
    let entries = use_memo((), |_| {
        CATALOGUE
            .iter()
            .map(|&(name, json)| Entry {
                name,
                scenario: Scenario::from_json(json).map_err(|e| e.to_string()),
            })
            .collect::<Vec<_>>()
    });
    let error = use_state(|| None::<String>);
    let found = current(&entries, &props.scenario);
    // A changed scenario shows as its own first entry, so choosing the original reloads it.
    let selected = match found {
        Some((name, false)) => name,
        _ => "",
    };
    let select_ref = use_node_ref();
    {
        // The DOM keeps a user's choice; make it follow what is loaded.
        let select_ref = select_ref.clone();
        let selected = selected.to_string();
        use_effect(move || {
            if let Some(select) = select_ref.cast::<HtmlSelectElement>() {
                select.set_value(&selected);
            }
        });
    }
    let onchange = {
        let (entries, error, on_load) = (entries.clone(), error.clone(), props.on_load.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let name = select.value();
            match entries.iter().find(|entry| entry.name == name) {
                Some(Entry {
                    scenario: Ok(s), ..
                }) => {
                    error.set(None);
                    on_load.emit(s.clone());
                }
                Some(Entry {
                    scenario: Err(why), ..
                }) => error.set(Some(why.clone())),
                None => {}
            }
        })
    };
    let custom = match found {
        Some((_, false)) => None,
        Some((name, true)) => {
            let entry = entries.iter().find(|e| e.name == name);
            let t = entry.map(|e| title(lang, e)).unwrap_or_default();
            Some(trf(lang, ConfigText::Changed, &[&t]))
        }
        None => Some(props.scenario.name.clone()),
    };
    html! {
        <div class="scenario-picker">
            <label for="scenario-select">{ tr(lang, ConfigText::Scenario) }</label>
            <select id="scenario-select" ref={select_ref} {onchange}>
                if let Some(custom) = custom {
                    <option value="" selected={selected.is_empty()} disabled={true}>{ custom }</option>
                }
                { for entries.iter().map(|e| html! {
                    <option value={e.name} selected={e.name == selected}>{ title(lang, e) }</option>
                }) }
            </select>
            // Scenario files are written in English.
            <p class="scenario-description" lang="en">{ &props.scenario.description }</p>
            if let Some(why) = &*error {
                <p class="config-error" role="alert">{ trf(lang, ConfigText::Refused, &[why]) }</p>
            }
        </div>
    }
}
