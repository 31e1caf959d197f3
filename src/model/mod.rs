//! The model: a pure, deterministic simulation of Kafka brokers, producers and consumers.
//!
//! Nothing here knows of the browser: no wall clock, no web types. The same scenario gives the
//! same trace, natively and in WASM, byte for byte.

pub mod scenario;
pub mod time;
pub mod trace;
pub mod world;

pub use scenario::Scenario;
pub use time::Millis;
pub use trace::{EventKind, MessageId, MessageKind, NodeId, Payload, RecordId, TraceEvent};
pub use world::World;
