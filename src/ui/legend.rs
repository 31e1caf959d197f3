//! The legend: each message kind's shape and colour, and what the log strip's marks mean.

use super::i18n::use_lang;
use crate::model::MessageKind;
use crate::view::i18n::{tr, Text};
use crate::view::stage::message_class;
use yew::prelude::*;

const KINDS: [(MessageKind, Text); 7] = [
    (MessageKind::Record, Text::LegendRecord),
    (MessageKind::Ack, Text::LegendAck),
    (MessageKind::ReplicaFetch, Text::LegendReplicaFetch),
    (MessageKind::ReplicaFetchResponse, Text::LegendReplicaData),
    (MessageKind::Fetch, Text::LegendFetch),
    (MessageKind::FetchResponse, Text::LegendFetchData),
    (MessageKind::OffsetCommit, Text::LegendCommit),
];

#[function_component(Legend)]
pub fn legend() -> Html {
    let lang = use_lang();
    html! {
        <details class="legend">
            <summary>{ tr(lang, Text::Legend) }</summary>
            <ul>
                { for KINDS.iter().map(|(kind, text)| html! {
                    <li>
                        <svg width="44" height="20" viewBox="-22 -10 44 20" aria-hidden="true">
                            <g class={message_class(*kind)}>
                                <rect class="msg-shape" x="-20" y="-9" width="40" height="18" />
                            </g>
                        </svg>
                        { tr(lang, *text) }
                    </li>
                }) }
                <li>
                    <svg width="44" height="20" viewBox="0 0 44 20" aria-hidden="true">
                        <g class="cell uncommitted" style="--hue: 200">
                            <rect x="2" y="1" width="22" height="18" rx="3" />
                        </g>
                    </svg>
                    { tr(lang, Text::LegendUncommitted) }
                </li>
                <li>
                    <svg width="44" height="20" viewBox="0 0 44 20" aria-hidden="true">
                        <line class="marker-hw" x1="2" x2="40" y1="17" y2="17" />
                        <line class="marker-leo" x1="30" x2="30" y1="1" y2="19" />
                    </svg>
                    { tr(lang, Text::LegendMarkers) }
                </li>
            </ul>
        </details>
    }
}
