//! Kafka's internal topics at the cursor: each group's `__consumer_offsets` partition and each
//! transactional id's `__transaction_state` partition, as short logs of their newest records.

use super::i18n::use_lang;
use crate::view::i18n::{tr, trf, Text};
use crate::view::internal_logs::{InternalLog, InternalLogs};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InternalLogsProps {
    pub logs: InternalLogs,
}

#[function_component(InternalLogsPanel)]
pub fn internal_logs_panel(props: &InternalLogsProps) -> Html {
    let lang = use_lang();
    if props.logs.is_empty() {
        return html! {};
    }
    let row = |log: &InternalLog| {
        html! {
            <li class="ilog" data-log={log.name.clone()}>
                <span class="ilog-name">{ &log.name }</span>
                <span class="ilog-owner">{ &log.owner }</span>
                if log.hidden > 0 {
                    <span class="ilog-hidden">{ trf(lang, Text::InternalEarlier, &[&log.hidden.to_string()]) }</span>
                }
                <ol class="ilog-cells">
                    { for log.cells.iter().map(|c| {
                        let title = trf(lang, Text::InternalWrittenBy, &[&c.by.to_string()]);
                        html! {
                            <li class={classes!("ilog-cell", c.class)} {title}>
                                <span class="ilog-offset">{ c.offset }</span>{ " " }{ &c.label }
                            </li>
                        }
                    }) }
                </ol>
            </li>
        }
    };
    html! {
        <section class="panel internal-logs" aria-labelledby="internal-title">
            <h2 id="internal-title">{ tr(lang, Text::InternalTopics) }</h2>
            <ul class="ilogs">
                { for props.logs.offsets.iter().map(row) }
                { for props.logs.transactions.iter().map(row) }
            </ul>
        </section>
    }
}
