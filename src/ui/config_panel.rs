//! The configuration panel: Kafka's own settings, grouped, with presets and a badge saying which
//! guarantee the configuration gives. (Stub: filled in by its own change.)

use crate::model::Scenario;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConfigPanelProps {
    /// The scenario as opened (before the viewer's fault commands).
    pub scenario: Scenario,
    /// Open this scenario instead (a preset, a changed setting, a catalogue entry).
    pub on_load: Callback<Scenario>,
}

#[function_component(ConfigPanel)]
pub fn config_panel(_props: &ConfigPanelProps) -> Html {
    html! {}
}
