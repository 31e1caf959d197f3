//! The trace: one typed event for every change of state, in the order it happened.
//!
//! The trace is the only thing the view reads. A frame of the stage is a function of the trace and
//! a time cursor: a message in flight is drawn at `(cursor - sent) / (arrives - sent)` along its
//! link (DESIGN.md). Events are typed and small (no strings), so recording one is cheap; each has
//! a one-line text form (`Display`) for logs, tests, the explanation panel and [`trace_hash`].

use super::commands::{Command, CrashMode};
use super::time::Millis;
use serde::{Deserialize, Serialize};
use std::fmt;

mod text;

pub use super::ids::{MessageId, NodeId, Offset, PartitionId, RecordId};
pub use super::payload::{BatchLabel, ErrorCode, MessageKind, MoreRecords, Payload, RecordSpan};
pub use super::transaction::TxnState;

/// One change of state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceEvent {
    pub at_ms: Millis,
    pub kind: EventKind,
}

/// Why the network lost a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DropReason {
    /// The link between the two nodes was cut.
    LinkCut,
    /// The destination was down when the message arrived.
    NodeDown,
    /// A command chose this message.
    Command,
}

/// Why a replica's log was shortened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TruncateReason {
    /// The leader's epoch history shows a divergence (KIP-101, KIP-279).
    LeaderEpoch,
    /// Power loss: the unflushed suffix of the page cache is gone.
    PowerLoss,
}

/// Why a consumer's position was set from outside its own polling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PositionSource {
    /// The group's committed offset (`OffsetFetch`).
    Committed,
    /// `auto.offset.reset=earliest`.
    ResetEarliest,
    /// `auto.offset.reset=latest`.
    ResetLatest,
    /// Back to where its log diverged from the leader's, found by validating the position
    /// after a leader change (KIP-320).
    Diverged,
}

/// What a consumer's position validation after a leader change found (KIP-320,
/// `SubscriptionState.maybeCompleteValidation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Validation {
    /// The leader's log has the position's epoch up to the position at least: fetch on.
    Valid,
    /// Truncation detected: the epoch ends below the position; seek back to where it ends
    /// (`auto.offset.reset` is earliest or latest).
    SeekToDivergence,
    /// Truncation detected, but the leader knows no such epoch: apply `auto.offset.reset`.
    Reset,
    /// Truncation detected with `auto.offset.reset=none`: `LogTruncationException`; the consumer
    /// stops reading the partition.
    LogTruncation,
}

/// A state invariant that was found broken (spec §0). The model records, never panics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Invariant {
    /// high_watermark ≤ log_end_offset on every replica.
    HighWatermarkAboveLogEnd,
    /// The leader's high watermark never goes back within one leadership.
    HighWatermarkWentBack,
    /// A committed offset above the leader's log end offset: records the group counts as
    /// consumed are gone (only data loss does this: acks=1 or power loss with a failover, an
    /// unclean election). Not the high watermark: right after a failover the new leader's high
    /// watermark can lag offsets already read from the old leader until its followers fetch
    /// again (and while its ISR is below `min.insync.replicas`), as in Kafka.
    CommittedAboveLogEnd,
    /// A consumer returned an offset that does not follow the previous one.
    NonMonotonicPoll,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    /// The application called `send()` for a record (again, if it is a re-send).
    RecordSent {
        producer: NodeId,
        record: RecordId,
        partition: PartitionId,
    },
    /// A message left `from` and will arrive at `to` at `arrives_at_ms` unless dropped.
    MessageSent {
        id: MessageId,
        from: NodeId,
        to: NodeId,
        payload: Payload,
        arrives_at_ms: Millis,
    },
    /// A message reached its destination.
    MessageDelivered {
        id: MessageId,
    },
    /// A message was lost on the way.
    MessageDropped {
        id: MessageId,
        reason: DropReason,
    },
    /// The partition leader appended a record to its log.
    Appended {
        broker: NodeId,
        partition: PartitionId,
        offset: Offset,
        record: RecordId,
        leader_epoch: u32,
    },
    /// A follower copied a record from its leader.
    Replicated {
        broker: NodeId,
        partition: PartitionId,
        offset: Offset,
        record: RecordId,
    },
    /// A replica's log was cut back to `log_end_offset`, removing `removed` records.
    Truncated {
        broker: NodeId,
        partition: PartitionId,
        log_end_offset: Offset,
        removed: u32,
        reason: TruncateReason,
    },
    /// A replica's high watermark moved.
    HighWatermark {
        broker: NodeId,
        partition: PartitionId,
        high_watermark: Offset,
    },
    /// The partition's in-sync replica set changed (broker numbers).
    IsrChanged {
        partition: PartitionId,
        isr: Vec<u32>,
    },
    /// The controller made `leader` the partition's leader.
    LeaderElected {
        partition: PartitionId,
        leader: NodeId,
        leader_epoch: u32,
        unclean: bool,
    },
    /// No replica can lead: the partition is offline.
    PartitionOffline {
        partition: PartitionId,
    },
    /// The controller fenced a broker that stopped heartbeating.
    BrokerFenced {
        broker: NodeId,
    },
    /// The controller accepted a broker back.
    BrokerUnfenced {
        broker: NodeId,
    },
    NodeCrashed {
        node: NodeId,
        mode: CrashMode,
    },
    NodeRestarted {
        node: NodeId,
    },
    /// A node froze (GC pause): it keeps its state and does nothing.
    NodePaused {
        node: NodeId,
    },
    /// A paused node woke; `waited` messages and timers that fell due meanwhile happen now.
    NodeResumed {
        node: NodeId,
        waited: u32,
    },
    LinkCut {
        a: NodeId,
        b: NodeId,
    },
    LinkHealed {
        a: NodeId,
        b: NodeId,
    },
    /// A command was applied (from the fault script or the UI).
    CommandApplied {
        command: Command,
    },
    /// A producer got its identity (`InitProducerId`): a new one on every start (spec §2.5).
    ProducerIdAssigned {
        producer: NodeId,
        producer_id: i64,
        producer_epoch: i16,
    },
    /// The producer bumped its epoch and restarted its sequences (KIP-360).
    ProducerEpochBumped {
        producer: NodeId,
        producer_epoch: i16,
    },
    /// The producer was told the record is stored (`offset` is None for acks=0).
    Acked {
        producer: NodeId,
        record: RecordId,
        offset: Option<Offset>,
    },
    /// The producer was told the send failed.
    SendFailed {
        producer: NodeId,
        record: RecordId,
        error: ErrorCode,
    },
    /// The producer will send the batch again after an error (`record` first, then `more`).
    Retrying {
        producer: NodeId,
        record: RecordId,
        #[serde(default, skip_serializing_if = "super::payload::no_more")]
        more: super::payload::MoreRecords,
        attempt: u32,
        error: ErrorCode,
    },
    /// A consumer's `poll()` returned this record.
    Polled {
        consumer: NodeId,
        partition: PartitionId,
        offset: Offset,
        record: RecordId,
    },
    /// The consumer's application finished processing a record.
    Processed {
        consumer: NodeId,
        partition: PartitionId,
        offset: Offset,
        record: RecordId,
    },
    /// The group coordinator stored a committed offset (durable).
    OffsetCommitted {
        consumer: NodeId,
        partition: PartitionId,
        offset: Offset,
    },
    /// A consumer's position was set from the committed offset or a reset.
    PositionSet {
        consumer: NodeId,
        partition: PartitionId,
        offset: Offset,
        source: PositionSource,
    },
    /// A consumer validated its position with the partition's new leader after a leader change
    /// (KIP-320, `OffsetsForLeaderEpoch`): `offset` and the epoch of the last record it consumed,
    /// `broker` the leader asked, `end` its answer (that epoch, or the largest before it, ends
    /// at this offset; None: it knows no such epoch).
    PositionValidated {
        consumer: NodeId,
        partition: PartitionId,
        offset: Offset,
        leader_epoch: u32,
        broker: NodeId,
        end: Option<(u32, Offset)>,
        outcome: Validation,
    },
    /// The consumer application called `close()`.
    ConsumerClosed {
        consumer: NodeId,
    },
    /// A state invariant was broken.
    InvariantViolated {
        invariant: Invariant,
        node: NodeId,
        partition: PartitionId,
    },
    /// The trace reached its size limit; later events are not recorded (the run goes on).
    TraceLimitReached {
        limit: u32,
    },
    /// A consumer group changed state (classic protocol, spec §5.1) in `generation`.
    GroupStateChanged {
        group: String,
        state: GroupPhase,
        generation: i32,
    },
    /// The coordinator took a member out of the group.
    MemberRemoved {
        group: String,
        consumer: NodeId,
        reason: RemoveReason,
    },
    /// A member got its partitions for a generation (SyncGroup answered; spec §5.1).
    /// `partitions` is its whole assignment; `added` the ones it did not own before (all of
    /// them under the eager protocol; under the cooperative one the partitions it keeps go on
    /// from their positions).
    PartitionsAssigned {
        consumer: NodeId,
        group: String,
        generation: i32,
        partitions: Vec<PartitionId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        added: Option<Vec<PartitionId>>,
    },
    /// A member gave up partitions: all of them before rejoining (eager protocol, or when its
    /// membership was lost), or, under the cooperative protocol, the ones its new assignment
    /// no longer has (`kept` are those it goes on reading; it then rejoins to hand them over).
    PartitionsRevoked {
        consumer: NodeId,
        partitions: Vec<PartitionId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kept: Option<Vec<PartitionId>>,
    },
    /// The consumer's application did not call `poll()` within `max.poll.interval.ms`: its
    /// heartbeat thread leaves the group, while the application goes on processing (S17).
    PollIntervalExceeded {
        consumer: NodeId,
    },
    /// The coordinator refused an offset commit (CommitFailedException on the client; spec §5.5).
    CommitRejected {
        consumer: NodeId,
        group: String,
        generation: i32,
        error: ErrorCode,
    },
    /// A committed offset written to `__consumer_offsets` partition `offsets_partition` at
    /// `log_offset` (the group coordinator's log, spec §4.4).
    OffsetsLogAppended {
        broker: NodeId,
        group: String,
        partition: PartitionId,
        offset: Offset,
        /// Kafka's number of the `__consumer_offsets` partition.
        offsets_partition: u32,
        log_offset: Offset,
        /// The model's number of that partition, and the leader epoch it was written in.
        log_partition: PartitionId,
        leader_epoch: u32,
    },
    /// A broker became the group's coordinator (it leads the group's offsets partition now) and
    /// loaded the group's committed offsets from its own replica of the log.
    CoordinatorLoaded {
        broker: NodeId,
        group: String,
        /// Kafka's number of its `__consumer_offsets` partition, and the model's.
        offsets_partition: u32,
        log_partition: PartitionId,
        committed: Vec<(PartitionId, Offset)>,
    },
    /// The transactional application called `beginTransaction()` (local to the client).
    TransactionBegan {
        producer: NodeId,
        producer_id: i64,
        producer_epoch: i16,
    },
    /// The transaction coordinator appended a state change to `__transaction_state` (KIP-98).
    TxnStateChanged {
        coordinator: NodeId,
        producer_id: i64,
        producer_epoch: i16,
        state: TxnState,
        partitions: Vec<PartitionId>,
        /// The `transactional.id` (its hash picks the `__transaction_state` partition).
        #[serde(default)]
        transactional_id: String,
    },
    /// A partition leader appended a transaction marker (a control record) at `offset`.
    MarkerAppended {
        broker: NodeId,
        partition: PartitionId,
        offset: Offset,
        producer_id: i64,
        commit: bool,
        leader_epoch: u32,
    },
    /// A leader's last stable offset moved (read_committed readers stop below it).
    LastStableOffset {
        broker: NodeId,
        partition: PartitionId,
        last_stable_offset: Offset,
    },
    /// The producer learned it was fenced by a newer epoch of its `transactional.id`: fatal.
    ProducerFenced {
        producer: NodeId,
        producer_epoch: i16,
    },
    /// The coordinator found a transaction open longer than `transaction.timeout.ms`.
    TxnTimedOut {
        producer_id: i64,
        producer_epoch: i16,
    },
    /// Retention deleted a replica's oldest segments: offsets below `log_start_offset` are
    /// gone from this replica (spec §8).
    SegmentsDeleted {
        broker: NodeId,
        partition: PartitionId,
        log_start_offset: Offset,
        removed: u32,
    },
    /// `TxnOffsetCommit` accepted: the group coordinator holds these offsets pending until the
    /// transaction of `producer_id` is decided (spec §6.3; invisible to `OffsetFetch`).
    TxnOffsetsPending {
        coordinator: NodeId,
        producer_id: i64,
        group: String,
        offsets: Vec<(PartitionId, Offset)>,
    },
    /// The transaction's marker reached the group's `__consumer_offsets` partition: its pending
    /// offsets became the group's committed offsets (commit) or were dropped (abort).
    TxnOffsetsDecided {
        coordinator: NodeId,
        producer_id: i64,
        group: String,
        commit: bool,
    },
}

pub use super::group::{GroupPhase, RemoveReason};

impl fmt::Display for TraceEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t={:>6}ms ", self.at_ms)?;
        fmt::Display::fmt(&self.kind, f)
    }
}

/// A stable hash of a trace: FNV-1a 64 over each event's text line followed by `\n`. The text
/// form is the same natively and in WASM, so the hash is too (the browser tests compare it with
/// `tests/fixtures/default-trace-hash.txt`).
pub fn trace_hash(trace: &[TraceEvent]) -> u64 {
    use std::fmt::Write;
    struct Fnv(u64);
    impl Write for Fnv {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            for &b in s.as_bytes() {
                self.0 ^= u64::from(b);
                self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
            }
            Ok(())
        }
    }
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    for e in trace {
        let _ = writeln!(h, "{e}");
    }
    h.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_of_the_empty_trace_is_the_offset_basis() {
        assert_eq!(trace_hash(&[]), 0xcbf2_9ce4_8422_2325);
    }

    #[test]
    fn the_hash_covers_the_text_line() {
        let e = TraceEvent {
            at_ms: 5,
            kind: EventKind::MessageDelivered { id: 1 },
        };
        assert_eq!(e.to_string(), "t=     5ms #1 delivered");
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c: check the arithmetic on a known value.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        h ^= u64::from(b'a');
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
        assert_eq!(h, 0xaf63_dc4c_8601_ec8c);
        assert_ne!(
            trace_hash(std::slice::from_ref(&e)),
            trace_hash(&[e.clone(), e])
        );
    }
}
