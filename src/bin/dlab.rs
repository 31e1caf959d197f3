//! The headless runner: runs a scenario natively and prints its trace and outcome as JSON.
//!
//! Usage: `dlab run [SCENARIO.json]` (the default scenario when no file is given).

use delivery_lab::model::{Scenario, World};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["run"] => run(Scenario::default()),
        ["run", path] => match load(path) {
            Ok(scenario) => run(scenario),
            Err(message) => {
                eprintln!("dlab: {message}");
                ExitCode::from(2)
            }
        },
        _ => {
            eprintln!("usage: dlab run [SCENARIO.json]");
            ExitCode::from(2)
        }
    }
}

fn load(path: &str) -> Result<Scenario, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))
}

fn run(scenario: Scenario) -> ExitCode {
    let mut world = World::new(scenario);
    world.run_until(world.scenario().duration_ms);
    let trace: Vec<String> = world.trace().iter().map(ToString::to_string).collect();
    let out = serde_json::json!({
        "end_ms": world.now_ms(),
        "log": world.log(),
        "events": trace.len(),
        "trace": trace,
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    ExitCode::SUCCESS
}
