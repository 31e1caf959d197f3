//! Fault controls: crash, power loss, GC pause and restart on every node, "at the next step" faults, link
//! cuts, and losing the selected message. Every button sends a command; nothing here changes the
//! model directly.

use super::i18n::use_lang;
use crate::model::commands::{Command, CrashMode, Fault, MessageSelector};
use crate::model::NodeId;
use crate::view::i18n::{tr, trf, Text};
use crate::view::next_step::NextStep;
use crate::view::scene::FaultTargets;
use crate::view::session::SessionAction;
use crate::view::Flight;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FaultsProps {
    pub targets: FaultTargets,
    /// The message the viewer clicked on the stage, if it is still in flight.
    pub selected: Option<Flight>,
    pub armed: Vec<Fault>,
    pub on_action: Callback<SessionAction>,
}

#[function_component(Faults)]
pub fn faults(props: &FaultsProps) -> Html {
    let lang = use_lang();
    let send = |action: SessionAction| {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
    };
    let command = |c: Command| send(SessionAction::Command(c));
    let targets = &props.targets;
    let node_rows = targets.nodes.iter().map(|&(node, down)| {
        let name = node.to_string();
        let crash = |mode| Command::Crash { node, mode };
        html! {
            <li class="fault-row" data-node={name.clone()}>
                <span class="fault-node">{ &name }</span>
                if down {
                    <button class="btn btn-restart" aria-label={trf(lang, Text::RestartNode, &[&name])}
                        onclick={command(Command::Restart { node })}>{ tr(lang, Text::Restart) }</button>
                } else {
                    <button class="btn btn-crash" aria-label={trf(lang, Text::CrashNode, &[&name])}
                        onclick={command(crash(CrashMode::Process))}>{ tr(lang, Text::Crash) }</button>
                    if matches!(node, NodeId::Broker(_)) {
                        <button class="btn btn-power" aria-label={trf(lang, Text::PowerLossNode, &[&name])}
                            onclick={command(crash(CrashMode::PowerLoss))}>{ tr(lang, Text::PowerLoss) }</button>
                    }
                    if targets.paused.contains(&node) {
                        <button class="btn btn-resume" aria-label={trf(lang, Text::ResumeNode, &[&name])}
                            onclick={command(Command::Resume { node })}>{ tr(lang, Text::Wake) }</button>
                    } else {
                        <button class="btn btn-pause" aria-label={trf(lang, Text::PauseNode, &[&name])}
                            title={trf(lang, Text::PauseNode, &[&name])}
                            onclick={command(Command::Pause { node })}>{ tr(lang, Text::GcPause) }</button>
                    }
                }
            </li>
        }
    });
    html! {
        <section class="panel faults" aria-labelledby="faults-title">
            <h2 id="faults-title">{ tr(lang, Text::Faults) }</h2>
            <ul class="fault-nodes">{ for node_rows }</ul>
            { at_next_step(targets, &send, lang) }
            <LinkControls nodes={targets.nodes.iter().map(|&(n, _)| n).collect::<Vec<_>>()}
                on_action={props.on_action.clone()} />
            { selected_message(props.selected.as_ref(), &send, lang) }
            if !props.armed.is_empty() {
                <ul class="armed">
                    { for props.armed.iter().map(|f| html! {
                        <li>{ trf(lang, Text::Armed, &[&f.action.to_string()]) }</li>
                    }) }
                </ul>
            }
        </section>
    }
}

fn at_next_step(
    targets: &FaultTargets,
    send: &dyn Fn(SessionAction) -> Callback<MouseEvent>,
    lang: crate::view::i18n::Lang,
) -> Html {
    // Each button names an intent; the session (or, side by side, each run) reads "next" at the
    // cursor (`view::next_step`).
    let arm = |step| send(SessionAction::AtNext(step));
    html! {
        <div class="at-next" role="group" aria-label={tr(lang, Text::AtNextStep)}>
            <h3>{ tr(lang, Text::AtNextStep) }</h3>
            if targets.leader.is_some() {
                <button class="btn btn-arm-append" onclick={arm(NextStep::CrashLeaderAfterAppend)}>
                    { tr(lang, Text::CrashLeaderAfterAppend) }</button>
            }
            <button class="btn btn-arm-ack" onclick={arm(NextStep::LoseNextAck)}>
                { tr(lang, Text::LoseNextAck) }</button>
            if let Some((c, _)) = targets.consumer {
                <button class="btn btn-arm-process" onclick={arm(NextStep::CrashConsumerAfterProcessing)}>
                    { trf(lang, Text::CrashConsumerAfterProcessing, &[&c.to_string()]) }</button>
            }
        </div>
    }
}

fn selected_message(
    selected: Option<&Flight>,
    send: &dyn Fn(SessionAction) -> Callback<MouseEvent>,
    lang: crate::view::i18n::Lang,
) -> Html {
    match selected {
        Some(f) => html! {
            <div class="selected-message" aria-live="polite">
                <span>{ trf(lang, Text::SelectedMessage, &[&f.id.to_string(), &f.label]) }</span>
                <button class="btn btn-drop" onclick={send(SessionAction::Command(
                    Command::Drop(MessageSelector::Id(f.id)),
                ))}>{ tr(lang, Text::LoseThisMessage) }</button>
            </div>
        },
        None => html! { <p class="hint">{ tr(lang, Text::ClickAMessage) }</p> },
    }
}

#[derive(Properties, PartialEq)]
struct LinkProps {
    nodes: Vec<NodeId>,
    on_action: Callback<SessionAction>,
}

/// Two node pickers and cut/heal buttons.
#[function_component(LinkControls)]
fn link_controls(props: &LinkProps) -> Html {
    let lang = use_lang();
    let nodes = &props.nodes;
    let a = use_state(|| nodes.first().copied().unwrap_or(NodeId::Broker(1)));
    let b = use_state(|| nodes.get(1).copied().unwrap_or(NodeId::Broker(2)));
    let picker = |state: UseStateHandle<NodeId>, label: &'static str| {
        let onchange = {
            let state = state.clone();
            Callback::from(move |e: Event| {
                let select: HtmlSelectElement = e.target_unchecked_into();
                if let Ok(node) = select.value().parse::<NodeId>() {
                    state.set(node);
                }
            })
        };
        html! {
            <select class={label} aria-label={format!("{} {label}", tr(lang, Text::Link))} {onchange}>
                { for nodes.iter().map(|n| html! {
                    <option value={n.to_string()} selected={*n == *state}>{ n.to_string() }</option>
                }) }
            </select>
        }
    };
    let (na, nb) = (*a, *b);
    let cut = {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| {
            on_action.emit(SessionAction::Command(Command::Partition { a: na, b: nb }))
        })
    };
    let heal = {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| {
            on_action.emit(SessionAction::Command(Command::Heal { a: na, b: nb }))
        })
    };
    html! {
        <div class="link-controls" role="group" aria-label={tr(lang, Text::Link)}>
            <h3>{ tr(lang, Text::Link) }</h3>
            { picker(a.clone(), "a") }
            { picker(b.clone(), "b") }
            <button class="btn btn-cut" onclick={cut} disabled={na == nb}>{ tr(lang, Text::CutLink) }</button>
            <button class="btn btn-heal" onclick={heal} disabled={na == nb}>{ tr(lang, Text::HealLink) }</button>
        </div>
    }
}
