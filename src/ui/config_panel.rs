//! The configuration panel: the scenario picker, the guarantee badge (which guarantee this
//! configuration gives and which setting decides it), presets, and Kafka's own settings grouped
//! as producer, broker/topic and consumer. Every change opens the changed scenario through
//! `on_load`, so the run restarts with it; a value the model refuses is not applied and says why.

use super::i18n::use_lang;
use super::scenario_picker::{base_name, ScenarioPicker};
use crate::model::presets::{apply, PRESETS};
use crate::model::Scenario;
use crate::view::config_text::fields::{Control, Field, FieldError, Group};
use crate::view::config_text::{
    consumer_side_text, field_help, finding_text, group_title, guarantee_text, preset_text,
    producer_side_text, ConfigText,
};
use crate::view::guarantee::{verdict, Guarantee, Setting};
use crate::view::i18n::{tr, trf, Lang};
use crate::view::scenario_text::{config_problem_text, refusal_text};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConfigPanelProps {
    /// The scenario as opened (before the viewer's fault commands).
    pub scenario: Scenario,
    /// Open this scenario instead (a preset, a changed setting, a catalogue entry).
    pub on_load: Callback<Scenario>,
}

#[function_component(ConfigPanel)]
pub fn config_panel(props: &ConfigPanelProps) -> Html {
    let lang = use_lang();
    let s = &props.scenario;
    let group = |group: Group| {
        let rows = Field::ALL
            .into_iter()
            .filter(|f| f.group() == group && f.applies(s));
        html! {
            <fieldset class="config-group">
                <legend>{ tr(lang, group_title(group)) }</legend>
                { for rows.map(|field| html! {
                    <SettingRow {field} scenario={s.clone()} on_load={props.on_load.clone()} />
                }) }
            </fieldset>
        }
    };
    html! {
        <section class="panel config" aria-labelledby="config-title">
            <h2 id="config-title">{ tr(lang, ConfigText::Title) }</h2>
            <ScenarioPicker scenario={s.clone()} on_load={props.on_load.clone()} />
            <GuaranteeBadge scenario={s.clone()} />
            { presets(lang, s, &props.on_load) }
            <p class="hint">{ tr(lang, ConfigText::Restarts) }</p>
            { group(Group::Producer) }
            { group(Group::Topic) }
            { group(Group::Consumer) }
        </section>
    }
}

/// One button per preset; each keeps the story and changes the delivery settings.
fn presets(lang: Lang, s: &Scenario, on_load: &Callback<Scenario>) -> Html {
    let buttons = PRESETS.iter().filter_map(|p| {
        let (name, summary) = preset_text(p.id)?;
        let mut base = s.clone();
        base.name = base_name(&s.name).to_string();
        let scenario = apply(p.id, &base)?;
        let on_load = on_load.clone();
        let unsafe_ = p.id.starts_with("unsafe");
        Some(html! {
            <button class={classes!("btn", "btn-preset", unsafe_.then_some("is-unsafe"))}
                data-preset={p.id} title={tr(lang, summary)}
                onclick={Callback::from(move |_: MouseEvent| on_load.emit(scenario.clone()))}>
                { tr(lang, name) }
            </button>
        })
    });
    html! {
        <div class="presets" role="group" aria-label={tr(lang, ConfigText::Presets)}>
            <h3>{ tr(lang, ConfigText::Presets) }</h3>
            { for buttons }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct BadgeProps {
    scenario: Scenario,
}

fn chips(settings: &[Setting]) -> Html {
    settings
        .iter()
        .map(|s| html! { <code class="setting-chip">{ s.to_string() }</code> })
        .collect()
}

/// The guarantee this configuration gives, the settings that decide it, and why.
#[function_component(GuaranteeBadge)]
fn guarantee_badge(props: &BadgeProps) -> Html {
    let lang = use_lang();
    let v = match verdict(&props.scenario) {
        Ok(v) => v,
        Err(why) => {
            return html! {
                <div class="badge badge-refused" role="status">
                    <strong class="badge-headline">{ tr(lang, ConfigText::ProducerRefuses) }</strong>
                    <p class="badge-explain">{ trf(lang, ConfigText::ProducerRefusesWhy, &[&config_problem_text(lang, why)]) }</p>
                </div>
            }
        }
    };
    let (headline, explain) = guarantee_text(v.guarantee);
    let kind = match v.guarantee {
        Guarantee::AtMostOnce => "badge-at-most-once",
        Guarantee::AckedWritesCanBeLost => "badge-acked-loss",
        Guarantee::AtLeastOnce => "badge-at-least-once",
    };
    html! {
        <div class={classes!("badge", kind)} role="status" aria-live="polite">
            <span class="badge-label">{ tr(lang, ConfigText::GuaranteeLabel) }</span>
            <strong class="badge-headline">{ tr(lang, headline) }</strong>
            <p class="badge-explain">{ tr(lang, explain) }</p>
            if !v.deciding.is_empty() {
                <p class="badge-deciding">
                    <span>{ tr(lang, ConfigText::DecidedBy) }{ ": " }</span>{ chips(&v.deciding) }
                </p>
            }
            <dl class="badge-sides">
                if let Some(side) = v.producer {
                    <dt>{ tr(lang, ConfigText::GroupProducer) }</dt>
                    <dd>{ tr(lang, producer_side_text(side)) }</dd>
                }
                if let Some(side) = v.consumer {
                    <dt>{ tr(lang, ConfigText::GroupConsumer) }</dt>
                    <dd>{ tr(lang, consumer_side_text(side)) }</dd>
                }
            </dl>
            <details class="badge-why">
                <summary>{ tr(lang, ConfigText::Why) }</summary>
                <ul>
                    { for v.findings.iter().map(|f| html! {
                        <li>{ chips(&f.settings) }{ " " }{ tr(lang, finding_text(f.finding)) }</li>
                    }) }
                </ul>
            </details>
            if v.needs_transactions {
                <p class="badge-note">{ tr(lang, ConfigText::NeedsTransactions) }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    field: Field,
    scenario: Scenario,
    on_load: Callback<Scenario>,
}

/// A value that was not applied, kept (with its reason) while the scenario stays as it was.
#[derive(Clone, PartialEq)]
struct Failed {
    against: Scenario,
    raw: String,
    error: FieldError,
}

fn error_text(lang: Lang, error: &FieldError) -> String {
    match error {
        FieldError::NotANumber => tr(lang, ConfigText::NotANumber).to_string(),
        FieldError::OutOfRange { min, max } => trf(
            lang,
            ConfigText::OutOfRange,
            &[&min.to_string(), &max.to_string()],
        ),
        FieldError::Refused(why) => trf(lang, ConfigText::Refused, &[&refusal_text(lang, why)]),
    }
}

/// A dotted Kafka name that may wrap after its dots (and nowhere else) in a narrow panel.
fn breakable(name: &str) -> Html {
    name.split_inclusive('.')
        .map(|part| html! { <>{ part }<wbr /></> })
        .collect()
}

/// One setting: its Kafka name, a control, what it does, and why a value was refused.
#[function_component(SettingRow)]
fn setting_row(props: &RowProps) -> Html {
    let lang = use_lang();
    let failed = use_state(|| None::<Failed>);
    let (field, s) = (props.field, &props.scenario);
    let failure = failed.as_ref().filter(|f| f.against == *s).cloned();
    let shown = failure
        .as_ref()
        .map_or_else(|| field.value(s), |f| f.raw.clone());
    let id = format!("cfg-{}", field.name().replace('.', "-"));
    let (help_id, error_id) = (format!("{id}-help"), format!("{id}-error"));
    let control_ref = use_node_ref();
    {
        // The DOM keeps what the user picked or typed; make it show what is in force (or the
        // refused value beside its reason).
        let (control_ref, shown) = (control_ref.clone(), shown.clone());
        use_effect(move || {
            if let Some(select) = control_ref.cast::<HtmlSelectElement>() {
                select.set_value(&shown);
            } else if let Some(input) = control_ref.cast::<HtmlInputElement>() {
                if input.value() != shown {
                    input.set_value(&shown);
                }
            }
        });
    }
    let commit = {
        let (failed, on_load, s) = (failed.clone(), props.on_load.clone(), s.clone());
        move |raw: String| match field.set(&s, &raw) {
            Ok(changed) if changed == s => failed.set(None),
            Ok(changed) => {
                failed.set(None);
                on_load.emit(changed);
            }
            Err(error) => failed.set(Some(Failed {
                against: s.clone(),
                raw,
                error,
            })),
        }
    };
    let onchange = Callback::from(move |e: Event| {
        let target = e.target();
        let value = target
            .as_ref()
            .and_then(|t| wasm_bindgen::JsCast::dyn_ref::<HtmlSelectElement>(t).map(|x| x.value()))
            .or_else(|| {
                target.as_ref().and_then(|t| {
                    wasm_bindgen::JsCast::dyn_ref::<HtmlInputElement>(t).map(|x| x.value())
                })
            });
        if let Some(value) = value {
            commit(value);
        }
    });
    let described = if failure.is_some() {
        format!("{help_id} {error_id}")
    } else {
        help_id.clone()
    };
    let invalid = failure.is_some().then_some("true");
    let control = match field.control(s) {
        Control::Choice(values) => html! {
            <select id={id.clone()} ref={control_ref} {onchange} aria-describedby={described}
                aria-invalid={invalid}>
                { for values.iter().map(|&v| {
                    let label = if v.is_empty() {
                        trf(lang, ConfigText::DefaultIs, &[&field.effective(s)])
                    } else {
                        v.to_string()
                    };
                    html! { <option value={v} selected={v == shown}>{ label }</option> }
                }) }
            </select>
        },
        Control::Number { min, max } => html! {
            <input id={id.clone()} ref={control_ref} type="number" inputmode="numeric"
                min={min.to_string()} max={max.to_string()} step="1" value={shown.clone()}
                {onchange} aria-describedby={described} aria-invalid={invalid} />
        },
    };
    html! {
        <div class={classes!("config-row", failure.is_some().then_some("is-invalid"))}
            data-field={field.name()}>
            <label for={id}><code>{ breakable(field.name()) }</code></label>
            { control }
            <p class="config-help" id={help_id}>{ tr(lang, field_help(field)) }</p>
            if let Some(f) = &failure {
                <p class="config-error" id={error_id} role="alert">{ error_text(lang, &f.error) }</p>
            }
        </div>
    }
}
