//! Compare mode: two stages, one per configuration, driven by one timeline and one set of
//! playback controls; the moment the runs part is marked and put into words; the crash buttons
//! act on both runs; the two ledgers are compared row by row below.
//!
//! The lock-step logic is [`crate::view::lockstep`], tested natively; this only draws it. Like
//! [`super::sim::Sim`], the lock-step state is shared and changed in place (two worlds are too
//! big to clone on every animation frame); `version` counts actions so Yew sees each change.

use super::compare_ledger::CompareLedger;
use super::controls::Controls;
use super::faults::Faults;
use super::help::use_shortcuts;
use super::i18n::use_lang;
use super::legend::Legend;
use super::share::{page_address, use_link_sync};
use super::share_panel::CopyLink;
use super::stage::Stage;
use crate::model::commands::Fault;
use crate::model::{Millis, Scenario};
use crate::view::compare_text::CompareText as T;
use crate::view::explorer_view::{preset_ids, preset_text};
use crate::view::i18n::{tr, trf, Lang};
use crate::view::keys::KeyIntent;
use crate::view::link::{encode, CompareLink, LinkState};
use crate::view::lockstep::{Lockstep, Side, DEFAULT_PRESETS};
use crate::view::session::SessionAction;
use crate::view::Frame;
use gloo::render::{request_animation_frame, AnimationFrame};
use std::cell::{Ref, RefCell};
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The lock-step runs as UI state, changed only through actions.
#[derive(Clone)]
pub struct CompareSim {
    lockstep: Rc<RefCell<Lockstep>>,
    version: u64,
    /// Counts the actions other than animation frames (see [`use_link_sync`]).
    acted: u64,
}

pub enum CompareAction {
    Session(SessionAction),
    SetPreset(Side, String),
}

/// A comparison as a link opened it: the presets, each run's faults, the cursor and the speed.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareStart {
    pub link: CompareLink,
    pub cursor_ms: Millis,
    pub speed: f64,
}

impl CompareSim {
    fn new(scenario: Scenario, start: Option<CompareStart>) -> Self {
        let lockstep = match start {
            None => {
                let [a, b] = DEFAULT_PRESETS;
                Lockstep::new(scenario, a, b)
            }
            Some(CompareStart {
                link,
                cursor_ms,
                speed,
            }) => {
                let [a, b] = &link.presets;
                let mut l = Lockstep::restore(scenario, [a, b], link.added);
                l.apply(SessionAction::SetSpeed(speed));
                l.apply(SessionAction::Seek(cursor_ms));
                l
            }
        };
        Self {
            lockstep: Rc::new(RefCell::new(lockstep)),
            version: 0,
            acted: 0,
        }
    }

    /// The link to this comparison at its cursor: the single run's scenario and faults (`base`,
    /// `added`), both presets and each run's own faults.
    fn link(&self, base: &Scenario, added: &[Fault]) -> String {
        let l = self.lockstep();
        encode(&LinkState {
            scenario: base.clone(),
            added: added.to_vec(),
            cursor_ms: l.cursor(),
            speed: l.playback.speed,
            compare: Some(CompareLink {
                presets: l.presets().map(String::from),
                added: l.added_both().clone(),
            }),
        })
    }

    /// Read access for drawing. Never held across a dispatch.
    fn lockstep(&self) -> Ref<'_, Lockstep> {
        self.lockstep.borrow()
    }
}

impl PartialEq for CompareSim {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && Rc::ptr_eq(&self.lockstep, &other.lockstep)
    }
}

impl Reducible for CompareSim {
    type Action = CompareAction;

    fn reduce(self: Rc<Self>, action: CompareAction) -> Rc<Self> {
        let frame = matches!(action, CompareAction::Session(SessionAction::Frame(_)));
        match action {
            CompareAction::Session(a) => self.lockstep.borrow_mut().apply(a),
            CompareAction::SetPreset(side, id) => self.lockstep.borrow_mut().set_preset(side, &id),
        }
        Rc::new(CompareSim {
            lockstep: Rc::clone(&self.lockstep),
            version: self.version + 1,
            acted: self.acted + u64::from(!frame),
        })
    }
}

#[derive(Properties, PartialEq)]
pub struct CompareModeProps {
    /// The scenario as opened in the single run, and the viewer's faults given there: both
    /// configurations live through the two together.
    pub base: Scenario,
    pub added: Vec<Fault>,
    /// Where a link put the comparison; `None` opens the default presets at t = 0.
    pub start: Option<CompareStart>,
}

#[function_component(CompareMode)]
pub fn compare_mode(props: &CompareModeProps) -> Html {
    let lang = use_lang();
    let sim = {
        let mut scenario = props.base.clone();
        scenario.faults.extend(props.added.iter().cloned());
        let start = props.start.clone();
        use_reducer(move || CompareSim::new(scenario, start))
    };
    let link = {
        let (sim, base, added) = (sim.clone(), props.base.clone(), props.added.clone());
        move || sim.link(&base, &added)
    };
    // The address bar links to this comparison while it is shown (from the first render on).
    let playing = sim.lockstep().playback.playing;
    use_link_sync(sim.version, sim.acted, playing, true, {
        let link = link.clone();
        move |_| format!("?{}", link())
    });
    let copy_link = Callback::from(move |_| format!("{}?{}", page_address(), link()));
    let selected_record = use_state(|| None::<u32>);
    let on_action = {
        let sim = sim.dispatcher();
        Callback::from(move |a| sim.dispatch(CompareAction::Session(a)))
    };
    let l = sim.lockstep();
    use_frame_loop(l.playback.playing, sim.version, on_action.clone());
    use_shortcuts({
        let on_action = on_action.clone();
        Callback::from(move |intent| {
            if let KeyIntent::Session(action) = intent {
                on_action.emit(action);
            }
        })
    });
    let divergence = {
        let sim = sim.clone();
        use_memo((l.generation(), lang), move |&(_, lang)| {
            sim.lockstep().divergence_text(lang)
        })
    };
    let (a, b) = (l.frame(Side::A), l.frame(Side::B));
    let side = |side: Side, frame: &Rc<Frame>| {
        let on_select = {
            let (flights, selected) = (frame.flights.clone(), selected_record.clone());
            Callback::from(move |id: u64| {
                selected.set(flights.iter().find(|f| f.id == id).and_then(|f| f.record));
            })
        };
        let on_preset = {
            let sim = sim.dispatcher();
            Callback::from(move |id| sim.dispatch(CompareAction::SetPreset(side, id)))
        };
        side_view(
            lang,
            side,
            l.preset(side),
            Rc::clone(frame),
            on_select,
            on_preset,
            *selected_record,
        )
    };
    let (ledger_a, ledger_b) = (l.ledger(Side::A), l.ledger(Side::B));
    let names = [
        preset_name(lang, l.preset(Side::A)),
        preset_name(lang, l.preset(Side::B)),
    ];
    html! {
        <section class="compare-mode" aria-labelledby="compare-title">
            <h2 id="compare-title">{ tr(lang, T::Title) }</h2>
            <p class="hint">{ tr(lang, T::Intro) }</p>
            <div class="compare-stages">
                { side(Side::A, &a) }
                { side(Side::B, &b) }
            </div>
            <Legend />
            <Controls playing={l.playback.playing} cursor_ms={l.cursor()} end_ms={l.end_ms()}
                speed={l.playback.speed} marks={std::rc::Rc::new(l.marks().to_vec())} on_action={on_action.clone()} />
            { divergence_view(lang, &divergence, l.divergence().map(|d| d.at_ms), &on_action) }
            <CopyLink link={copy_link} />
            <div class="panels">
                <Faults targets={l.fault_targets(&a, &b)} selected={None} armed={l.armed()}
                    on_action={on_action.clone()} />
                <CompareLedger a={ledger_a} b={ledger_b} {names} />
            </div>
        </section>
    }
}

fn preset_name(lang: Lang, id: &str) -> String {
    preset_text(id).map_or(id.to_string(), |t| tr(lang, t).to_string())
}

/// One configuration: its picker above its stage.
fn side_view(
    lang: Lang,
    side: Side,
    preset: &str,
    frame: Rc<Frame>,
    on_select: Callback<u64>,
    on_preset: Callback<String>,
    selected_record: Option<u32>,
) -> Html {
    let id = format!("compare-preset-{}", side.name().to_lowercase());
    let onchange = Callback::from(move |e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        on_preset.emit(select.value());
    });
    let options = preset_ids().map(|p| {
        html! { <option value={p} selected={p == preset}>{ preset_name(lang, p) }</option> }
    });
    let label = trf(lang, T::StageOf, &[side.name(), &preset_name(lang, preset)]);
    let pick = match side {
        Side::A => T::PickA,
        Side::B => T::PickB,
    };
    html! {
        <div class={classes!("compare-side", format!("compare-side-{}", side.name().to_lowercase()))}
            data-side={side.name()}>
            <div class="compare-side-head">
                <span class="compare-side-name" aria-hidden="true">{ side.name() }</span>
                <label for={id.clone()}>{ tr(lang, pick) }</label>
                <select {id} class="compare-preset" data-side={side.name()} {onchange}>
                    { for options }
                </select>
            </div>
            <Stage frame={frame} {on_select} {selected_record} label={AttrValue::from(label)} />
        </div>
    }
}

/// Where the runs part, in words, with a button to go there.
fn divergence_view(
    lang: Lang,
    text: &str,
    at_ms: Option<u64>,
    on_action: &Callback<SessionAction>,
) -> Html {
    let Some(at_ms) = at_ms else {
        return html! { <p class="compare-divergence is-same" role="status">{ text }</p> };
    };
    let go = {
        let on_action = on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(SessionAction::Seek(at_ms)))
    };
    html! {
        <div class="compare-divergence" role="status" data-at-ms={at_ms.to_string()}>
            <span aria-hidden="true" class="compare-divergence-sign">{ "≠" }</span>
            <p>{ text }</p>
            <button class="btn btn-go-divergence" onclick={go}>{ tr(lang, T::GoToDivergence) }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ModeSwitchProps {
    pub comparing: bool,
    pub on_change: Callback<bool>,
}

/// One run, or two side by side.
#[function_component(ModeSwitch)]
pub fn mode_switch(props: &ModeSwitchProps) -> Html {
    let lang = use_lang();
    let button = |compare: bool, text: T, class: &'static str| {
        let on_change = props.on_change.clone();
        let pressed = props.comparing == compare;
        html! {
            <button class={classes!("btn", "btn-mode", class, pressed.then_some("active"))}
                aria-pressed={pressed.to_string()} onclick={Callback::from(move |_| on_change.emit(compare))}>
                { tr(lang, text) }
            </button>
        }
    };
    html! {
        <div class="mode-switch" role="group" aria-label={tr(lang, T::ModeSwitch)}>
            { button(false, T::ModeSingle, "btn-mode-single") }
            { button(true, T::ModeCompare, "btn-mode-compare") }
        </div>
    }
}

/// While `playing`, asks the browser for one animation frame per render and reports it (the
/// app's own loop, for the lock-step runs); the handle is dropped when playback stops or the
/// mode closes.
#[hook]
fn use_frame_loop(playing: bool, version: u64, on_action: Callback<SessionAction>) {
    use_effect_with((playing, version), move |&(playing, _)| {
        let handle: Option<AnimationFrame> = playing
            .then(|| request_animation_frame(move |ts| on_action.emit(SessionAction::Frame(ts))));
        move || drop(handle)
    });
}
