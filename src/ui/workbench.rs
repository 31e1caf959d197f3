//! The full page: header, lesson, stage, controls and the panels around them.

use super::compare_mode::{CompareMode, ModeSwitch};
use super::config_panel::ConfigPanel;
use super::controls::Controls;
use super::explain_panel::ExplainPanel;
use super::explorer_panel::ExplorerPanel;
use super::faults::Faults;
use super::help::{use_shortcuts, HelpOverlay};
use super::i18n::LangSwitch;
use super::ledger_panel::LedgerPanel;
use super::legend::Legend;
use super::lesson_panel::{LessonPanel, Place};
use super::share::full_link;
use super::share_panel::SharePanel;
use super::sim::Sim;
use super::stage::Stage;
use crate::model::commands::{Command, Fault};
use crate::model::{EventKind, Scenario};
use crate::view::explain::explain;
use crate::view::i18n::{tr, Lang, Text};
use crate::view::keys::KeyIntent;
use crate::view::ledger_view::ledger_at;
use crate::view::link::{scenario_file, LinkError};
use crate::view::session::{Session, SessionAction};
use crate::view::share_text::{link_error_message, ShareText};
use crate::view::timeline::marks;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WorkbenchProps {
    pub sim: UseReducerHandle<Sim>,
    pub lang: Lang,
    pub on_lang: Callback<Lang>,
    /// Why the page's link could not be opened, shown until dismissed.
    pub link_error: Option<LinkError>,
    pub place: Place,
    pub on_place: Callback<Place>,
}

#[function_component(Workbench)]
pub fn workbench(props: &WorkbenchProps) -> Html {
    let (sim, lang) = (&props.sim, props.lang);
    let link_error = use_state(|| props.link_error.clone());
    let help_open = use_state(|| false);
    let selected = use_state(|| None::<u64>);
    let selected_record = use_state(|| None::<u32>);
    // Side by side has its own runs and shortcuts; the key handler below reads this flag.
    let comparing = use_state(|| false);
    let comparing_now = use_mut_ref(|| false);
    *comparing_now.borrow_mut() = *comparing;
    let (playing, cursor_ms, end_ms, speed) = {
        let s = sim.session();
        (s.playback.playing, s.cursor(), s.end_ms(), s.playback.speed)
    };
    let at_end = cursor_ms >= end_ms;
    let on_action = {
        let sim = sim.dispatcher();
        Callback::from(move |action| sim.dispatch(action))
    };
    let on_intent = {
        let on_action = on_action.clone();
        let help_open = help_open.clone();
        let comparing_now = comparing_now.clone();
        Callback::from(move |intent| match intent {
            KeyIntent::Session(_) if *comparing_now.borrow() => {}
            KeyIntent::Session(action) => on_action.emit(action),
            KeyIntent::ToggleHelp => help_open.set(!*help_open),
            KeyIntent::CloseHelp => help_open.set(false),
        })
    };
    use_shortcuts(on_intent);
    let close_help = {
        let help_open = help_open.clone();
        Callback::from(move |_| help_open.set(false))
    };
    let open_help = {
        let help_open = help_open.clone();
        Callback::from(move |_: MouseEvent| help_open.set(true))
    };
    let view = sim.session().frame();
    let selected_flight = selected
        .and_then(|id| view.flights.iter().find(|f| f.id == id))
        .cloned();
    let armed = armed_faults(&sim.session());
    let forked = sim.session().forked;
    let base = sim.session().base().clone();
    let on_load = {
        let on_action = on_action.clone();
        Callback::from(move |s: Scenario| on_action.emit(SessionAction::Load(Box::new(s))))
    };
    let on_select = {
        let selected = selected.clone();
        let selected_record = selected_record.clone();
        let flights = view.flights.clone();
        Callback::from(move |id: u64| {
            selected.set(Some(id));
            selected_record.set(flights.iter().find(|f| f.id == id).and_then(|f| f.record));
        })
    };
    let on_select_record = {
        let selected = selected.clone();
        let selected_record = selected_record.clone();
        Callback::from(move |record: u32| {
            selected.set(None);
            selected_record.set(Some(record));
        })
    };
    let marks = marks(sim.session().world.trace());
    let ledger = ledger_at(&view.scene, sim.session().world.trace(), at_end);
    let story = explain(sim.session().world.trace(), cursor_ms, lang, 8);
    let on_mode = {
        let (comparing, on_action) = (comparing.clone(), on_action.clone());
        Callback::from(move |compare: bool| {
            on_action.emit(SessionAction::Pause);
            comparing.set(compare);
        })
    };
    html! {
        <>
            <div class="app">
                <header class="app-header">
                    <h1>{ tr(lang, Text::AppTitle) }</h1>
                    <p class="tagline">{ tr(lang, Text::Tagline) }</p>
                    <div class="header-tools">
                        <button class="btn btn-help" onclick={open_help} aria-label={tr(lang, Text::Help)}
                            title={tr(lang, Text::Help)}>{ "?" }</button>
                        <LangSwitch lang={lang} on_change={props.on_lang.clone()} />
                    </div>
                </header>
                <main>
                    if let Some(error) = &*link_error {
                        <p class="notice notice-link-error" role="alert">
                            { link_error_message(lang, error) }{ " " }
                            <button class="btn btn-dismiss" onclick={dismiss(&link_error)}>
                                { tr(lang, ShareText::Dismiss) }</button>
                        </p>
                    }
                    <ModeSwitch comparing={*comparing} on_change={on_mode} />
                    if *comparing {
                        <CompareMode scenario={sim.session().world.scenario().clone()} />
                    } else {
                    <LessonPanel place={props.place.clone()} on_place={props.on_place.clone()}
                        on_action={on_action.clone()} />
                    <Stage frame={view.clone()} {on_select} selected_record={*selected_record} />
                    <Legend />
                    <Controls {playing} {cursor_ms} {end_ms} {speed} {marks} on_action={on_action.clone()} />
                    if forked {
                        <p class="notice notice-forked" role="status">{ tr(lang, Text::Forked) }</p>
                    }
                    <div class="panels">
                        <Faults targets={view.scene.fault_targets()} selected={selected_flight} {armed}
                            on_action={on_action.clone()} />
                        <ExplainPanel lines={story} />
                        <LedgerPanel {ledger} {at_end} selected_record={*selected_record}
                            {on_select_record} />
                        <ConfigPanel scenario={base.clone()} on_load={on_load.clone()} />
                        <SharePanel link={share_link(sim)} scenario_json={scenario_json(sim)}
                            trace_json={trace_json(sim)} sequence_svg={sequence_svg(sim, lang)}
                            on_load={on_load.clone()} />
                    </div>
                    <ExplorerPanel scenario={base} {on_load} />
                    }
                </main>
                if *help_open {
                    <HelpOverlay on_close={close_help} />
                }
            </div>
        </>
    }
}

fn dismiss<T: 'static>(state: &UseStateHandle<Option<T>>) -> Callback<MouseEvent> {
    let state = state.clone();
    Callback::from(move |_| state.set(None))
}

fn share_link(sim: &UseReducerHandle<Sim>) -> Callback<(), String> {
    let sim = sim.clone();
    Callback::from(move |_| full_link(&sim.session()))
}

/// The scenario as a file the runner accepts: the one opened plus the viewer's faults.
fn scenario_json(sim: &UseReducerHandle<Sim>) -> Callback<(), String> {
    let sim = sim.clone();
    Callback::from(move |_| scenario_file(sim.session().world.scenario()))
}

/// The scenario and its whole trace.
fn trace_json(sim: &UseReducerHandle<Sim>) -> Callback<(), String> {
    let sim = sim.clone();
    Callback::from(move |_| {
        let s = sim.session();
        let scenario = serde_json::to_string(s.world.scenario()).unwrap_or_default();
        let trace = serde_json::to_string(s.world.trace()).unwrap_or_default();
        format!("{{\"scenario\":{scenario},\n\"trace\":{trace}}}\n")
    })
}

/// The story up to the cursor as a sequence diagram, in the page's language.
fn sequence_svg(sim: &UseReducerHandle<Sim>, lang: Lang) -> Callback<(), String> {
    let sim = sim.clone();
    Callback::from(move |_| {
        let s = sim.session();
        crate::view::seqdiag_svg::sequence_svg(
            s.world.scenario(),
            s.world.trace(),
            s.cursor(),
            lang,
        )
    })
}

/// The viewer's "at the next step" faults whose step has not come yet.
fn armed_faults(session: &Session) -> Vec<Fault> {
    let cursor = session.cursor();
    let fired: Vec<&Command> = session
        .world
        .trace()
        .iter()
        .take_while(|e| e.at_ms <= cursor)
        .filter_map(|e| match &e.kind {
            EventKind::CommandApplied { command } => Some(command),
            _ => None,
        })
        .collect();
    session
        .added()
        .iter()
        .filter(|f| f.on.is_some() && !fired.contains(&&f.action))
        .cloned()
        .collect()
}
