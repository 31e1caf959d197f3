//! A scenario is a value: topology, configuration, workload and seed. Same scenario, same trace.

use super::time::Millis;
use serde::{Deserialize, Serialize};

/// The skeleton scenario: one producer, one broker, one consumer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scenario {
    /// How many records the producer's application sends. Default 5.
    pub records: u32,
    /// Virtual time between two `send()` calls. Default 400 ms.
    pub send_interval_ms: Millis,
    /// One-way network latency on every link. Default 300 ms: slow enough to watch.
    pub latency_ms: Millis,
    /// How long the consumer waits between two fetches when it has nothing new. Default 200 ms.
    pub fetch_backoff_ms: Millis,
    /// When the run stops. Default 6000 ms.
    pub duration_ms: Millis,
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            records: 5,
            send_interval_ms: 400,
            latency_ms: 300,
            fetch_backoff_ms: 200,
            duration_ms: 6000,
        }
    }
}
