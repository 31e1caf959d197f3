//! The model: a pure, deterministic simulation of Kafka brokers, producers and consumers.
//!
//! Nothing here knows of the browser: no wall clock, no web types, no hash-ordered iteration.
//! The same scenario, seed and commands give the same trace, natively and in WASM, byte for byte.
//!
//! Map: `time` (clock, event queue) · `rng` (Xoshiro256++) · `ids`, `payload`, `trace` (what
//! the view reads) · `config`, `scenario`, `commands` (the scenario value and the fault script)
//! · `network` · `log`, `producer_state` (a partition replica) · `broker`, `replication`,
//! `serving` (broker roles) · `controller` · `coordinator` (committed offsets), `group` and `group_dispatch` (consumer groups) · `partitioner`,
//! `producer`, `consumer` (clients) · `effects`, `world`, `dispatch` (the loop) · `ledger`,
//! `checker` (verdicts) · `catalogue` (the scenario files, built in) · `presets` (configuration
//! presets) · `transaction` (the transaction coordinator, KIP-98) · `explorer` (every fault
//! point, under every preset).

pub mod broker;
pub mod catalogue;
pub mod checker;
pub mod commands;
pub mod config;
pub mod consumer;
pub mod controller;
pub mod coordinator;
mod dispatch;
pub mod effects;
pub mod explorer;
pub mod group;
mod group_dispatch;
pub mod ids;
mod keyed;
pub mod ledger;
pub mod log;
pub mod network;
mod offsets_log;
pub mod partitioner;
mod pause;
pub mod payload;
pub mod presets;
pub mod producer;
pub mod producer_state;
mod recording;
pub mod refusal;
pub mod replication;
pub mod rng;
pub mod scenario;
pub mod serving;
mod settle;
pub mod time;
pub mod trace;
pub mod transaction;
mod txn_offsets;
pub mod world;

pub use checker::{Report, Verdict};
pub use commands::{Command, CrashMode, Fault, MessageSelector, TopicSetting, Trigger};
pub use ledger::{LedgerRow, Told};
pub use scenario::{Scenario, ScenarioError};
pub use time::Millis;
pub use trace::{
    trace_hash, BatchLabel, DropReason, ErrorCode, EventKind, MessageId, MessageKind, NodeId,
    Offset, PartitionId, Payload, RecordId, RecordSpan, TraceEvent,
};
pub use world::World;
