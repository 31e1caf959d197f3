//! The explanation panel: the latest events of the story in plain words, newest first, with
//! losses and duplicates explained.

use super::i18n::use_lang;
use crate::view::explain::{ExplainText, Line, Tone};
use crate::view::i18n::tr;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExplainPanelProps {
    pub lines: Rc<Vec<Line>>,
}

#[function_component(ExplainPanel)]
pub fn explain_panel(props: &ExplainPanelProps) -> Html {
    let lang = use_lang();
    html! {
        <section class="panel explain" aria-labelledby="explain-title">
            <h2 id="explain-title">{ tr(lang, ExplainText::Title) }</h2>
            if props.lines.is_empty() {
                <p class="hint">{ tr(lang, ExplainText::Nothing) }</p>
            } else {
                <ol class="story" aria-live="polite" reversed=true>
                    { for props.lines.iter().rev().map(|l| {
                        let class = match l.tone {
                            Tone::Normal => "tone-normal",
                            Tone::Warning => "tone-warning",
                            Tone::Bad => "tone-bad",
                        };
                        html! {
                            <li {class}>
                                <span class="story-time">{ format!("{} ms", l.at_ms) }</span>
                                { " " }{ l.text.clone() }
                            </li>
                        }
                    }) }
                </ol>
            }
        </section>
    }
}
