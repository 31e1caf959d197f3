//! Guided lessons: pick a tour, then step through it with Back and Next. Each step opens its
//! scenario at its moment, says what to watch, and may ask for a prediction before revealing the
//! answer. The lessons are data ([`crate::view::lessons`]); this only draws the current step.

use super::i18n::use_lang;
use crate::model::World;
use crate::view::i18n::{tr, trf};
use crate::view::lessons::{lesson, lessons, LessonText as T};
use crate::view::session::SessionAction;
use yew::prelude::*;

/// The lesson being followed: its id and the step (0-based).
pub type Place = Option<(String, usize)>;

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub place: Place,
    pub on_place: Callback<Place>,
    pub on_action: Callback<SessionAction>,
}

#[function_component(LessonPanel)]
pub fn lesson_panel(props: &LessonPanelProps) -> Html {
    let lang = use_lang();
    let answer = use_state(|| None::<usize>);
    {
        // A new step: open its scenario at its moment, and forget the last answer.
        let (on_action, answer) = (props.on_action.clone(), answer.clone());
        use_effect_with(props.place.clone(), move |place| {
            answer.set(None);
            if let Some(step) = place
                .as_ref()
                .and_then(|(id, i)| lesson(id)?.steps.get(*i).cloned())
            {
                if let Some(scenario) = step.setup.scenario() {
                    let end = scenario.duration_ms;
                    let mut world = World::new(scenario.clone());
                    world.run_until(end);
                    let at = step.moment.resolve(world.trace(), end);
                    on_action.emit(SessionAction::Load(Box::new(scenario)));
                    on_action.emit(SessionAction::Seek(at));
                }
            }
        });
    }
    let go = |place: Place| {
        let on_place = props.on_place.clone();
        Callback::from(move |_: MouseEvent| on_place.emit(place.clone()))
    };
    // An unknown lesson (an old link) shows the list.
    let found = props
        .place
        .as_ref()
        .and_then(|(id, index)| Some((lesson(id)?, *index)));
    let Some((current, index)) = found else {
        return html! {
            <section class="panel lessons" aria-labelledby="lessons-title">
                <h2 id="lessons-title">{ tr(lang, T::Lessons) }</h2>
                <div class="lesson-list">
                    { for lessons().into_iter().map(|l| html! {
                        <button class="btn btn-lesson" data-lesson={l.id}
                            onclick={go(Some((l.id.to_string(), 0)))}>{ tr(lang, l.title) }</button>
                    }) }
                </div>
            </section>
        };
    };
    let id = current.id.to_string();
    let count = current.steps.len();
    let index = index.min(count.saturating_sub(1));
    let step = &current.steps[index];
    let back = go((index > 0).then(|| (id.clone(), index - 1)));
    let next = go((index + 1 < count).then(|| (id.clone(), index + 1)));
    let choose = |i: usize| {
        let answer = answer.clone();
        Callback::from(move |_: MouseEvent| answer.set(Some(i)))
    };
    html! {
        <section class="panel lessons lesson-active" aria-labelledby="lessons-title" data-lesson={current.id}>
            <h2 id="lessons-title">{ tr(lang, current.title) }</h2>
            <p class="lesson-progress">
                { trf(lang, T::StepOf, &[&(index + 1).to_string(), &count.to_string()]) }
            </p>
            <p class="lesson-watch">{ tr(lang, step.watch) }</p>
            if let Some(predict) = &step.predict {
                <div class="lesson-predict">
                    <p><strong>{ tr(lang, T::PredictFirst) }</strong>{ " " }{ tr(lang, predict.question) }</p>
                    <div class="lesson-choices">
                        { for predict.choices.iter().enumerate().map(|(i, (text, _))| html! {
                            <button class={classes!("btn", "btn-choice", (*answer == Some(i)).then_some("chosen"))}
                                disabled={answer.is_some()} onclick={choose(i)}>{ tr(lang, *text) }</button>
                        }) }
                    </div>
                    if let Some(chosen) = *answer {
                        <p class="lesson-reveal" role="status">
                            <strong>{ tr(lang, if predict.choices[chosen].1 { T::Right } else { T::NotQuite }) }</strong>
                            { " " }{ tr(lang, predict.reveal) }
                        </p>
                    }
                </div>
            }
            <div class="lesson-nav">
                <button class="btn btn-lesson-back" onclick={back}>{ tr(lang, T::Back) }</button>
                <button class="btn btn-lesson-next" onclick={next}>
                    { tr(lang, if index + 1 < count { T::Next } else { T::Finish }) }
                </button>
                <button class="btn btn-lesson-leave" onclick={go(None)}>{ tr(lang, T::Leave) }</button>
            </div>
        </section>
    }
}
