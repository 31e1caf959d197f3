//! The explorer's results in words and as the headless runner's JSON (`dlab explore`).

use super::Exploration;

/// The matrix as the headless runner prints it: per preset, per anomaly, the count and the
/// shortest counterexample's faults.
pub fn matrix_json(x: &Exploration) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = x
        .rows
        .iter()
        .map(|row| {
            let cells: serde_json::Map<String, serde_json::Value> = row
                .cells
                .iter()
                .map(|c| {
                    let shortest = c.shortest.as_ref().map(|ce| {
                        let story: Vec<String> = ce.point.faults.iter().map(describe).collect();
                        serde_json::json!({ "faults": ce.point.faults, "story": story })
                    });
                    let v = serde_json::json!({ "count": c.count, "shortest": shortest });
                    (c.anomaly.id().to_string(), v)
                })
                .collect();
            serde_json::json!({
                "preset": row.preset,
                "name": row.name,
                "baseline": row.baseline,
                "points": row.points,
                "pairs": row.pairs,
                "thinned": row.thinned,
                "runs": row.runs,
                "same_as": row.same_as,
                "anomalies": cells,
            })
        })
        .collect();
    serde_json::json!({
        "scenario": x.scenario,
        "runs": x.runs,
        "total": x.total,
        "events": x.events,
        "complete": x.complete,
        "presets": rows,
    })
}

/// One line of a fault script in words: "t=100ms crash B1", or
/// `restart B1 5000ms after {"step":"ack_sent","record":1}`.
pub fn describe(f: &crate::model::commands::Fault) -> String {
    match (&f.on, f.at_ms) {
        (Some(step), _) => {
            let step = serde_json::to_string(step).unwrap_or_default();
            match f.delay_ms {
                0 => format!("{} right after {step}", f.action),
                d => format!("{} {d}ms after {step}", f.action),
            }
        }
        (None, at) => format!("t={}ms {}", at.unwrap_or(0) + f.delay_ms, f.action),
    }
}
