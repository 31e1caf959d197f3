//! The full page: header, lesson, stage, controls and the panels around them.

use super::compare_mode::{CompareMode, CompareStart, ModeSwitch};
use super::config_panel::ConfigPanel;
use super::controls::Controls;
use super::explain_panel::ExplainPanel;
use super::explorer_panel::ExplorerPanel;
use super::faults::Faults;
use super::help::{use_shortcuts, HelpOverlay};
use super::i18n::LangSwitch;
use super::internal_logs::InternalLogsPanel;
use super::ledger_panel::LedgerPanel;
use super::legend::Legend;
use super::lesson_panel::{LessonPanel, Place};
use super::share::full_link;
use super::share_panel::SharePanel;
use super::sim::Sim;
use super::stage::Stage;
use crate::model::Scenario;
use crate::view::i18n::{tr, Lang, Text};
use crate::view::internal_logs::internal_logs;
use crate::view::keys::KeyIntent;
use crate::view::link::{scenario_file, CompareLink, LinkError};
use crate::view::session::SessionAction;
use crate::view::share_text::{link_error_message, ShareText};
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
    /// Side by side is shown instead of the single run.
    pub comparing: bool,
    pub on_compare: Callback<bool>,
    /// The comparison the page's link opened, if any (used when compare mode first mounts).
    pub compare_start: Option<CompareLink>,
}

#[function_component(Workbench)]
pub fn workbench(props: &WorkbenchProps) -> Html {
    let (sim, lang) = (&props.sim, props.lang);
    let link_error = use_state(|| props.link_error.clone());
    let help_open = use_state(|| false);
    let selected = use_state(|| None::<u64>);
    let selected_record = use_state(|| None::<u32>);
    // Side by side has its own runs and shortcuts; the key handler below reads this flag.
    let comparing = props.comparing;
    let comparing_now = use_mut_ref(|| false);
    *comparing_now.borrow_mut() = comparing;
    let (playing, cursor_ms, end_ms, speed) = {
        let s = sim.session();
        (s.playback.playing, s.cursor(), s.end_ms(), s.playback.speed)
    };
    // A link's comparison opens at the link's cursor and speed (the session was restored to
    // them); taken by the first compare mode mounted, so a later one starts afresh.
    let compare_start = {
        let link = props.compare_start.clone();
        use_mut_ref(move || {
            link.map(|link| CompareStart {
                link,
                cursor_ms,
                speed,
            })
        })
    };
    let at_end = cursor_ms >= end_ms;
    // Callbacks made once, so panels whose other props did not change are not redrawn on every
    // animation frame. They read the shared session when called.
    let on_action = {
        let sim = sim.dispatcher();
        use_callback((), move |action, _| sim.dispatch(action))
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
    let armed = sim.session().armed_faults();
    let forked = sim.session().forked;
    let base = sim.session().base().clone();
    let on_load = {
        let on_action = on_action.clone();
        use_callback((), move |s: Scenario, _| {
            on_action.emit(SessionAction::Load(Box::new(s)))
        })
    };
    let on_select = {
        let (sim, selected, selected_record) =
            (sim.clone(), selected.clone(), selected_record.clone());
        use_callback((), move |id: u64, _| {
            let record = sim
                .session()
                .frame()
                .flights
                .iter()
                .find(|f| f.id == id)
                .and_then(|f| f.record);
            selected.set(Some(id));
            selected_record.set(record);
        })
    };
    let on_select_record = {
        let selected = selected.clone();
        let selected_record = selected_record.clone();
        use_callback((), move |record: u32, _| {
            selected.set(None);
            selected_record.set(Some(record));
        })
    };
    let marks = sim.session().marks();
    let ledger = sim.session().ledger();
    let story = sim.session().explain(lang, 8);
    let share = {
        let sim = sim.clone();
        use_memo((), move |_| {
            (share_link(&sim), scenario_json(&sim), trace_json(&sim))
        })
    };
    let (link, scenario_json, trace_json) = (*share).clone();
    let sequence_svg = {
        let sim = sim.clone();
        use_memo(lang, move |&lang| sequence_svg(&sim, lang))
    };
    let sequence_svg = (*sequence_svg).clone();
    // Kafka's internal topics change only with trace events: refolded when the cursor crosses one.
    let internal = {
        let session = sim.session();
        let trace = session.world.trace();
        let seen = view.scene.events_seen.min(trace.len());
        use_memo((seen, trace.len(), session.end_ms()), |_| {
            internal_logs(&trace[..seen])
        })
    };
    let on_mode = {
        let (on_compare, on_action) = (props.on_compare.clone(), on_action.clone());
        Callback::from(move |compare: bool| {
            on_action.emit(SessionAction::Pause);
            on_compare.emit(compare);
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
                    <ModeSwitch {comparing} on_change={on_mode} />
                    if comparing {
                        <CompareMode base={base.clone()} added={sim.session().added().to_vec()}
                            start={compare_start.borrow_mut().take()} />
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
                        <InternalLogsPanel logs={(*internal).clone()} />
                        <LedgerPanel {ledger} {at_end} selected_record={*selected_record}
                            {on_select_record} />
                        <ConfigPanel scenario={base.clone()} on_load={on_load.clone()} />
                        <SharePanel {link} {scenario_json} {trace_json} {sequence_svg}
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
