//! The explorer: every single fault point of the current scenario under each preset, as a matrix
//! of anomaly counts whose cells open their shortest counterexample. (Stub: filled in by its own
//! change.)

use crate::model::Scenario;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExplorerPanelProps {
    /// The scenario as opened (before the viewer's fault commands).
    pub scenario: Scenario,
    /// Open this scenario (a counterexample) in the stage.
    pub on_load: Callback<Scenario>,
}

#[function_component(ExplorerPanel)]
pub fn explorer_panel(_props: &ExplorerPanelProps) -> Html {
    html! {}
}
