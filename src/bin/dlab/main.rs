//! The headless runner: runs a scenario natively and prints its outcome as JSON.
//!
//! Usage:
//! - `dlab run [SCENARIO.json] [--trace]`: run the file (or the default scenario) to its
//!   duration; print the outcome as JSON, or with `--trace` one line per trace event.
//! - `dlab bench [RECORDS] [--hash]`: the benchmark of BENCHMARKS.md (3 brokers, 6 partitions,
//!   100,000 records, faults), printing simulated events per second; with `--hash` also the
//!   trace's hash (computed after the timing; it costs more than the run).
//! - `dlab bench-pipeline [RECORDS]`: the same input read by a transactional
//!   consume-transform-produce application writing a second topic, read by a read_committed
//!   consumer.
//! - `dlab explore [SCENARIO.json] [--pairs N]`: the explorer's matrix (every single fault point,
//!   and up to N pairs, under every preset) as JSON: per preset per anomaly, the count and the
//!   shortest counterexample's faults.
//! - `dlab list`: the built-in catalogue.
//!
//! A bad file exits with status 2 and a message naming the field and the problem.

#[cfg(target_os = "linux")]
mod huge_pages;

#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: huge_pages::HugePages = huge_pages::HugePages;

use delivery_lab::model::catalogue::CATALOGUE;
use delivery_lab::model::{Scenario, World};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let trace = args.iter().any(|a| a == "--trace");
    let hash = args.iter().any(|a| a == "--hash");
    let rest: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--trace" && *a != "--hash")
        .collect();
    match rest.as_slice() {
        ["run"] => run(Scenario::default(), trace),
        ["run", path] => match load(path) {
            Ok(scenario) => run(scenario, trace),
            Err(message) => {
                eprintln!("dlab: {message}");
                ExitCode::from(2)
            }
        },
        ["bench"] => bench(100_000, false, hash),
        ["bench-pipeline"] => bench(100_000, true, hash),
        ["bench-pipeline", n] => match n.parse() {
            Ok(n) => bench(n, true, hash),
            Err(_) => usage(),
        },
        ["bench", n] => match n.parse() {
            Ok(n) => bench(n, false, hash),
            Err(_) => usage(),
        },
        ["explore", args @ ..] => explore(args),
        ["list"] => {
            for (name, _) in CATALOGUE {
                println!("{name}");
            }
            ExitCode::SUCCESS
        }
        _ => usage(),
    }
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: dlab run [SCENARIO.json] [--trace] | dlab bench [RECORDS] [--hash] \
         | dlab bench-pipeline [RECORDS] [--hash] \
         | dlab explore [SCENARIO.json] [--pairs N] | dlab list"
    );
    ExitCode::from(2)
}

fn explore(args: &[&str]) -> ExitCode {
    use delivery_lab::model::explorer;
    let mut options = explorer::ExploreOptions::default();
    let (path, pairs) = match args {
        [] => (None, None),
        [path] => (Some(*path), None),
        ["--pairs", n] => (None, Some(*n)),
        [path, "--pairs", n] | ["--pairs", n, path] => (Some(*path), Some(*n)),
        _ => return usage(),
    };
    if let Some(n) = pairs {
        match n.parse() {
            Ok(n) => options.max_pairs = n,
            Err(_) => return usage(),
        }
    }
    let scenario = match path.map(load).unwrap_or_else(|| Ok(Scenario::default())) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("dlab: {message}");
            return ExitCode::from(2);
        }
    };
    let x = explorer::explore(&scenario, &options, &mut |_, _| true);
    let json = serde_json::to_string_pretty(&explorer::matrix_json(&x));
    println!("{}", json.unwrap_or_default());
    ExitCode::SUCCESS
}

fn load(path: &str) -> Result<Scenario, String> {
    if let Some(found) = delivery_lab::model::catalogue::scenario(path) {
        return found.map_err(|e| format!("{path}: {e}"));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    Scenario::from_json(&text).map_err(|e| format!("{path}: {e}"))
}

fn run(scenario: Scenario, trace: bool) -> ExitCode {
    let mut world = World::new(scenario);
    world.run_until(world.scenario().duration_ms);
    if trace {
        for e in world.trace() {
            println!("{e}");
        }
        return ExitCode::SUCCESS;
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&outcome(&world)).unwrap_or_default()
    );
    ExitCode::SUCCESS
}

fn outcome(world: &World) -> serde_json::Value {
    let report = world.report();
    let partitions: Vec<serde_json::Value> = world
        .partitions()
        .iter()
        .enumerate()
        .map(|(p, meta)| {
            let log = world
                .authoritative_replica(p as u32)
                .and_then(|b| world.brokers()[b as usize - 1].replica(p as u32));
            serde_json::json!({
                "partition": p,
                "leader": meta.leader.map(|b| format!("B{b}")),
                "leader_epoch": meta.leader_epoch,
                "isr": meta.isr.iter().map(|b| format!("B{b}")).collect::<Vec<_>>(),
                "high_watermark": log.map(|r| r.log.high_watermark()),
                "log": log.map(|r| r.log.entries().iter().map(|e| format!("m{}", e.record)).collect::<Vec<_>>()),
            })
        })
        .collect();
    let committed: serde_json::Map<String, serde_json::Value> = world
        .coordinator()
        .groups()
        .map(|(g, s)| (g.to_string(), serde_json::json!(s.committed)))
        .collect();
    serde_json::json!({
        "scenario": world.scenario().name,
        "end_ms": world.now_ms(),
        "events": world.events_emitted(),
        "trace_hash": delivery_lab::model::trace_hash(world.trace()).to_string(),
        "summary": {
            "records": report.records,
            "acknowledged": report.acknowledged,
            "failed": report.failed,
            "unknown": report.unknown,
        },
        "verdict": report.verdict,
        "anomalies": {
            "lost_acknowledged": report.lost_acknowledged,
            "lost_unacknowledged": report.lost_unacknowledged,
            "duplicated_in_log": report.duplicated_in_log,
            "processed_twice": report.processed_twice,
            "skipped": report.skipped,
            "reordered": report.reordered,
            "inconsistent_offsets": report.inconsistent_offsets,
            "unprocessed": report.unprocessed,
            "expired": report.expired,
            "rebalance_duplicates": report.rebalance_duplicates,
            "aborted_reads": report.aborted_reads,
            "uncommitted_reads": report.uncommitted_reads,
            "invariant_violations": report.invariant_violations,
        },
        "groups": report.groups,
        "partitions": partitions,
        "committed_offsets": committed,
        "ledger": report.rows,
    })
}

fn bench(records: u32, pipeline: bool, hash: bool) -> ExitCode {
    let scenario = if pipeline {
        delivery_lab::model::catalogue::bench_pipeline_scenario(records)
    } else {
        delivery_lab::model::catalogue::bench_scenario(records)
    };
    let started = std::time::Instant::now();
    let mut world = World::new(scenario);
    world.run_until(world.scenario().duration_ms);
    let secs = started.elapsed().as_secs_f64();
    let report = world.report();
    let events = world.events_emitted();
    let steps = world.steps();
    let mut line = serde_json::json!({
            "records": records,
            "trace_events": events,
            "queue_events": steps,
            "seconds": secs,
            "trace_events_per_second": (events as f64 / secs).round(),
            "queue_events_per_second": (steps as f64 / secs).round(),
            "virtual_ms": world.now_ms(),
            "acknowledged": report.acknowledged,
            "processed_twice": report.processed_twice.len(),
            "lost_acknowledged": report.lost_acknowledged.len(),
            "groups": report.groups.iter().map(|g| serde_json::json!({
                "group": g.group,
                "exactly_once": g.verdict.exactly_once,
                "processed_twice": g.processed_twice.len(),
                "unprocessed": g.unprocessed.len(),
            })).collect::<Vec<_>>(),
    });
    if hash {
        line["trace_hash"] = delivery_lab::model::trace_hash(world.trace())
            .to_string()
            .into();
    }
    println!("{line}");
    ExitCode::SUCCESS
}
