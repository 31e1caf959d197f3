//! Links: the whole state of a session in a URL query, and back.
//!
//! `?v=1&scenario=s02-acks-1-leader-crash&patch=…&faults=…&t=2400&speed=2` reads: open this
//! catalogue scenario, change it by this JSON merge patch (RFC 7386, base64url), add the viewer's
//! own fault-script lines, put the cursor at 2400 ms and play at 2×. Only what differs from the
//! catalogue travels, so a typical link stays a few hundred characters without compression.
//!
//! Side by side adds `compare=unsafe-acks-1,kafka-defaults` (the two runs' presets, A first) and
//! `cfaults=…` (the faults given while comparing, one list per run, base64url JSON); `t` and
//! `speed` are then the lock-step cursor and speed. A link carries the oldest format version that
//! reads it in full: `v=1` without side by side (as every link before it), `v=2` with it, so an
//! older build opening a comparison says it cannot read it rather than silently showing one run.
//! Embedding options (`embed=1`, `controls=`, `autoplay=1`, `loop=1`) are read separately, so a
//! broken state still embeds. The language is not in the link: each reader keeps their own.
//!
//! Decoding never panics: anything a user can type in the address bar is either a state or a
//! [`LinkError`] that says what was wrong, and the page then opens the default scenario.

pub mod codec;

use crate::model::catalogue::CATALOGUE;
use crate::model::commands::Fault;
use crate::model::presets;
use crate::model::{Millis, Scenario, ScenarioError};
use codec::{base64url_decode, base64url_encode, merge_apply, merge_diff, percent_decode};
use serde_json::Value;
use std::sync::OnceLock;

/// The newest link format this build writes and reads; it reads every older one too.
pub const VERSION: u32 = 2;
/// The format of a link without side by side (and of every link before side by side existed).
pub const VERSION_ONE_RUN: u32 = 1;
/// Longer queries are refused before any decoding (a browser keeps far less in an address bar).
pub const MAX_QUERY_LEN: usize = 64 * 1024;
/// At most this many of the viewer's own faults in a link.
pub const MAX_ADDED_FAULTS: usize = 200;
/// The catalogue entry a link without `scenario=` opens.
pub const DEFAULT_SCENARIO: &str = "hello";

/// Everything a link restores.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkState {
    /// The scenario as opened (before the viewer's commands).
    pub scenario: Scenario,
    /// The viewer's own commands, as fault-script lines (`Session::added()`).
    pub added: Vec<Fault>,
    /// The cursor (of the lock-step runs when comparing).
    pub cursor_ms: Millis,
    pub speed: f64,
    /// Side by side: the scenario (with `added`) under two configurations.
    pub compare: Option<CompareLink>,
}

impl LinkState {
    pub fn new(scenario: Scenario) -> Self {
        Self {
            scenario,
            added: Vec::new(),
            cursor_ms: 0,
            speed: 1.0,
            compare: None,
        }
    }
}

/// Side by side as a link carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareLink {
    /// The preset id of run A and of run B (`presets::PRESETS`).
    pub presets: [String; 2],
    /// The viewer's faults given while comparing, as each run's fault-script lines (A, B).
    pub added: [Vec<Fault>; 2],
}

impl CompareLink {
    pub fn new(a: &str, b: &str) -> Self {
        Self {
            presets: [a.to_string(), b.to_string()],
            added: [Vec::new(), Vec::new()],
        }
    }
}

/// Why a link could not be opened. Each has a translated message in [`LinkText`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    TooLong,
    /// `v=` names a format this build does not read.
    Version(String),
    UnknownScenario(String),
    /// A parameter is not valid percent-encoding, base64url or JSON (often: cut short).
    Damaged(&'static str),
    /// A number parameter is not a number.
    Number(&'static str, String),
    /// The scenario it describes is refused, as a scenario file would be.
    Scenario(ScenarioError),
}

/// How the page is shown: read from the same query, independent of the state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewParams {
    pub embed: bool,
    /// For embed mode: which controls, from `controls=play,step,timeline,reset`.
    pub controls: Vec<EmbedControl>,
    pub autoplay: bool,
    pub looped: bool,
    /// `lesson=<id>`: open this guided lesson, at `step=<n>` (1-based).
    pub lesson: Option<(String, u32)>,
}

/// A control the embedding page may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbedControl {
    Play,
    Step,
    Timeline,
    Reset,
}

impl EmbedControl {
    pub const ALL: [EmbedControl; 4] = [Self::Play, Self::Step, Self::Timeline, Self::Reset];
    fn name(self) -> &'static str {
        match self {
            Self::Play => "play",
            Self::Step => "step",
            Self::Timeline => "timeline",
            Self::Reset => "reset",
        }
    }
}

/// The query's `key=value` pairs, percent-decoded. A pair that does not decode is kept as an
/// error for its key, so only parameters we read can fail.
fn pairs(query: &str) -> Vec<(String, Option<String>)> {
    query
        .trim_start_matches(['?', '#'])
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k).unwrap_or_default(), percent_decode(v))
        })
        .collect()
}

/// Reads the view parameters; unknown values are ignored (an embedding page is not to blame).
pub fn view_params(query: &str) -> ViewParams {
    let pairs = pairs(query);
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.clone())
    };
    let flag = |key: &str| get(key).is_some_and(|v| v == "1" || v == "true");
    let controls = match get("controls") {
        Some(list) => EmbedControl::ALL
            .into_iter()
            .filter(|c| list.split(',').any(|n| n.trim() == c.name()))
            .collect(),
        None => EmbedControl::ALL.to_vec(),
    };
    let lesson = get("lesson").map(|id| {
        let step = get("step").and_then(|s| s.parse().ok()).unwrap_or(1);
        (id, step)
    });
    ViewParams {
        embed: flag("embed"),
        controls,
        autoplay: flag("autoplay"),
        looped: flag("loop"),
        lesson,
    }
}

/// Whether the query carries any session state at all (else the page opens as usual).
pub fn has_state(query: &str) -> bool {
    pairs(query).iter().any(|(k, _)| {
        matches!(
            k.as_str(),
            "v" | "scenario" | "patch" | "json" | "faults" | "t" | "speed" | "compare" | "cfaults"
        )
    })
}

/// The catalogue, parsed once.
fn catalogue() -> &'static [(&'static str, Scenario)] {
    static PARSED: OnceLock<Vec<(&'static str, Scenario)>> = OnceLock::new();
    PARSED.get_or_init(|| {
        CATALOGUE
            .iter()
            .filter_map(|&(name, json)| Scenario::from_json(json).ok().map(|s| (name, s)))
            .collect()
    })
}

/// Reads a link's query (with or without the leading `?`).
pub fn decode(query: &str) -> Result<LinkState, LinkError> {
    if query.len() > MAX_QUERY_LEN {
        return Err(LinkError::TooLong);
    }
    let pairs = pairs(query);
    let get = |key: &'static str| -> Result<Option<String>, LinkError> {
        match pairs.iter().find(|(k, _)| k == key) {
            None => Ok(None),
            Some((_, Some(v))) => Ok(Some(v.clone())),
            Some((_, None)) => Err(LinkError::Damaged(key)),
        }
    };
    if let Some(v) = get("v")? {
        if !(VERSION_ONE_RUN..=VERSION).any(|known| v == known.to_string()) {
            return Err(LinkError::Version(v.chars().take(40).collect()));
        }
    }
    let name = get("scenario")?.unwrap_or_else(|| DEFAULT_SCENARIO.to_string());
    let base = catalogue()
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| s.clone())
        .ok_or_else(|| LinkError::UnknownScenario(name.chars().take(80).collect()))?;
    let scenario = match (get("json")?, get("patch")?) {
        (Some(json), _) => Scenario::from_json(&unpack(&json, "json")?),
        (None, Some(patch)) => {
            let patch: Value = serde_json::from_str(&unpack(&patch, "patch")?)
                .map_err(|_| LinkError::Damaged("patch"))?;
            let mut value = to_value(&base).ok_or(LinkError::Damaged("patch"))?;
            merge_apply(&mut value, &patch);
            Scenario::from_json(&value.to_string())
        }
        (None, None) => Ok(base),
    }
    .map_err(LinkError::Scenario)?;
    let added: Vec<Fault> = match get("faults")? {
        None => Vec::new(),
        Some(text) => {
            let json = unpack(&text, "faults")?;
            let de = &mut serde_json::Deserializer::from_str(&json);
            serde_path_to_error::deserialize(de).map_err(|e| {
                LinkError::Scenario(ScenarioError::from_serde(
                    format!("faults{}", e.path()).replace("faults.", "faults"),
                    e.inner(),
                ))
            })?
        }
    };
    if added.len() > MAX_ADDED_FAULTS {
        return Err(LinkError::Damaged("faults"));
    }
    // The viewer's faults must fit the scenario exactly as a file's own would.
    let mut combined = scenario.clone();
    combined.faults.extend(added.iter().cloned());
    combined.validate().map_err(LinkError::Scenario)?;
    let compare = match get("compare")? {
        None => None,
        Some(ids) => Some(compare_link(&ids, get("cfaults")?, &combined)?),
    };
    let cursor_ms = match get("t")? {
        None => 0,
        Some(t) => t.parse().map_err(|_| LinkError::Number("t", short(&t)))?,
    };
    let speed = match get("speed")? {
        None => 1.0,
        Some(s) => s
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x > 0.0)
            .ok_or_else(|| LinkError::Number("speed", short(&s)))?,
    };
    Ok(LinkState {
        cursor_ms: cursor_ms.min(scenario.duration_ms),
        scenario,
        added,
        speed,
        compare,
    })
}

/// Reads `compare=A,B` and `cfaults=`; each run's faults must fit `scenario` (the opened one with
/// the viewer's faults) exactly as a file's own would.
fn compare_link(
    ids: &str,
    cfaults: Option<String>,
    scenario: &Scenario,
) -> Result<CompareLink, LinkError> {
    let ids: Vec<&str> = ids.split(',').collect();
    let &[a, b] = ids.as_slice() else {
        return Err(LinkError::Damaged("compare"));
    };
    if presets::preset(a).is_none() || presets::preset(b).is_none() {
        return Err(LinkError::Damaged("compare"));
    }
    let mut link = CompareLink::new(a, b);
    if let Some(text) = cfaults {
        let json = unpack(&text, "cfaults")?;
        let de = &mut serde_json::Deserializer::from_str(&json);
        link.added = serde_path_to_error::deserialize(de).map_err(|e| {
            LinkError::Scenario(ScenarioError::from_serde(
                format!("cfaults{}", e.path()).replace("cfaults.", "cfaults"),
                e.inner(),
            ))
        })?;
    }
    let count: usize = link.added.iter().map(Vec::len).sum();
    if count > MAX_ADDED_FAULTS {
        return Err(LinkError::Damaged("cfaults"));
    }
    for added in &link.added {
        let mut run = scenario.clone();
        run.faults.extend(added.iter().cloned());
        run.validate().map_err(LinkError::Scenario)?;
    }
    Ok(link)
}

/// A scenario as a JSON value, through its text: the page already serialises scenarios to text,
/// and going through `serde_json::to_value` would compile a second serialiser for every type.
fn to_value(scenario: &Scenario) -> Option<Value> {
    serde_json::from_str(&serde_json::to_string(scenario).ok()?).ok()
}

/// A scenario file as people read it: indented, through a JSON value (see [`to_value`]).
pub fn scenario_file(scenario: &Scenario) -> String {
    to_value(scenario)
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_default()
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

fn unpack(text: &str, param: &'static str) -> Result<String, LinkError> {
    base64url_decode(text)
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or(LinkError::Damaged(param))
}

fn pack(json: &str) -> String {
    base64url_encode(json.as_bytes())
}

/// Writes the query (without `?`) that [`decode`] turns back into `state`.
pub fn encode(state: &LinkState) -> String {
    let version = match state.compare {
        Some(_) => VERSION,
        None => VERSION_ONE_RUN,
    };
    let mut out = format!("v={version}");
    out.push_str(&scenario_params(&state.scenario));
    if !state.added.is_empty() {
        let json = serde_json::to_string(&state.added).unwrap_or_default();
        out.push_str(&format!("&faults={}", pack(&json)));
    }
    if let Some(compare) = &state.compare {
        let [a, b] = &compare.presets;
        out.push_str(&format!("&compare={a},{b}"));
        if compare.added.iter().any(|f| !f.is_empty()) {
            let json = serde_json::to_string(&compare.added).unwrap_or_default();
            out.push_str(&format!("&cfaults={}", pack(&json)));
        }
    }
    if state.cursor_ms > 0 {
        out.push_str(&format!("&t={}", state.cursor_ms));
    }
    if state.speed != 1.0 {
        out.push_str(&format!("&speed={}", state.speed));
    }
    out
}

/// `&scenario=NAME` plus the smallest patch from a catalogue entry, or the whole file when a
/// patch cannot express it (checked by applying it back).
fn scenario_params(scenario: &Scenario) -> String {
    let Some(target) = to_value(scenario) else {
        return String::new();
    };
    if let Some((name, _)) = catalogue().iter().find(|(_, base)| base == scenario) {
        return format!("&scenario={name}");
    }
    // Patch from the entry the scenario was opened from (same name, perhaps with a preset's
    // " [Preset]" suffix), else from the default: one or two diffs, not one per entry, since
    // this runs at most every 3 s while playing.
    let title = match scenario.name.rfind(" [") {
        Some(i) if scenario.name.ends_with(']') => &scenario.name[..i],
        _ => scenario.name.as_str(),
    };
    let candidates = catalogue()
        .iter()
        .filter(|(name, base)| base.name == title || *name == DEFAULT_SCENARIO);
    let mut best: Option<(&str, String)> = None;
    for (name, base) in candidates {
        let Some(base_value) = to_value(base) else {
            continue;
        };
        let Some(patch) = merge_diff(&base_value, &target) else {
            continue;
        };
        let mut applied = base_value;
        merge_apply(&mut applied, &patch);
        if Scenario::from_json(&applied.to_string()).as_ref() != Ok(scenario) {
            continue;
        }
        let text = pack(&patch.to_string());
        if best.as_ref().is_none_or(|(_, b)| b.len() > text.len()) {
            best = Some((name, text));
        }
    }
    match best {
        Some((name, patch)) => format!("&scenario={name}&patch={patch}"),
        None => format!(
            "&json={}",
            pack(&serde_json::to_string(scenario).unwrap_or_default())
        ),
    }
}

#[cfg(test)]
#[path = "link_tests.rs"]
mod tests;
