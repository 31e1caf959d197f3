//! What messages on the network carry, as the trace shows them.
//!
//! A [`Payload`] is a small, allocation-free summary (record data travels beside it inside the
//! network, never in the trace), so tracing a message costs no string formatting and no heap.
//! Kafka's error codes keep their protocol names (`NOT_ENOUGH_REPLICAS`, …).

use super::config::Acks;
use super::ids::{MessageId, Offset, PartitionId, RecordId};
use serde::{Deserialize, Serialize};
use std::fmt;

mod text;

/// Kafka error codes the model produces (`org.apache.kafka.common.protocol.Errors`), plus the
/// client-side `TimeoutException` of `delivery.timeout.ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorCode {
    NotLeaderOrFollower,
    NotEnoughReplicas,
    NotEnoughReplicasAfterAppend,
    RequestTimedOut,
    NetworkException,
    OutOfOrderSequenceNumber,
    InvalidProducerEpoch,
    OffsetOutOfRange,
    CoordinatorNotAvailable,
    /// The broker is not (any more) the group's coordinator: find it again.
    NotCoordinator,
    FencedLeaderEpoch,
    /// The request names a leader epoch newer than the broker knows: its metadata lags (retry).
    UnknownLeaderEpoch,
    /// The request's group generation is not the group's current one (spec §5.5).
    IllegalGeneration,
    /// The member is not (any more) in the group (spec §5.5).
    UnknownMemberId,
    /// The group is rebalancing: rejoin (heartbeats) or retry later (commits).
    RebalanceInProgress,
    /// Client side: the batch outlived `delivery.timeout.ms` (`TimeoutException`).
    DeliveryTimeout,
    /// A newer incarnation of this `transactional.id` exists (fatal for the producer, KIP-98).
    ProducerFenced,
    /// The coordinator is still completing this id's previous transaction: retry.
    ConcurrentTransactions,
    /// The request does not fit the transaction's state (e.g. commit after abort).
    InvalidTxnState,
    /// `OffsetFetch` with `require_stable` (KIP-447) while a transaction holds offsets of the
    /// group pending: retry once the transaction is decided.
    UnstableOffsetCommit,
}

impl ErrorCode {
    /// Whether the client resends on this error (`RetriableException` subclasses, spec §2.2).
    pub fn is_retriable(self) -> bool {
        !matches!(
            self,
            ErrorCode::InvalidProducerEpoch
                | ErrorCode::DeliveryTimeout
                | ErrorCode::ProducerFenced
                | ErrorCode::InvalidTxnState
        )
    }

    /// Whether the batch may have been written although the client saw an error (spec §2.2).
    pub fn is_indeterminate(self) -> bool {
        matches!(
            self,
            ErrorCode::RequestTimedOut
                | ErrorCode::NetworkException
                | ErrorCode::NotEnoughReplicasAfterAppend
                | ErrorCode::DeliveryTimeout
        )
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorCode::NotLeaderOrFollower => "NOT_LEADER_OR_FOLLOWER",
            ErrorCode::NotEnoughReplicas => "NOT_ENOUGH_REPLICAS",
            ErrorCode::NotEnoughReplicasAfterAppend => "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
            ErrorCode::RequestTimedOut => "REQUEST_TIMED_OUT",
            ErrorCode::NetworkException => "NETWORK_EXCEPTION",
            ErrorCode::OutOfOrderSequenceNumber => "OUT_OF_ORDER_SEQUENCE_NUMBER",
            ErrorCode::InvalidProducerEpoch => "INVALID_PRODUCER_EPOCH",
            ErrorCode::OffsetOutOfRange => "OFFSET_OUT_OF_RANGE",
            ErrorCode::CoordinatorNotAvailable => "COORDINATOR_NOT_AVAILABLE",
            ErrorCode::NotCoordinator => "NOT_COORDINATOR",
            ErrorCode::FencedLeaderEpoch => "FENCED_LEADER_EPOCH",
            ErrorCode::UnknownLeaderEpoch => "UNKNOWN_LEADER_EPOCH",
            ErrorCode::IllegalGeneration => "ILLEGAL_GENERATION",
            ErrorCode::UnknownMemberId => "UNKNOWN_MEMBER_ID",
            ErrorCode::RebalanceInProgress => "REBALANCE_IN_PROGRESS",
            ErrorCode::DeliveryTimeout => "TimeoutException",
            ErrorCode::ProducerFenced => "PRODUCER_FENCED",
            ErrorCode::ConcurrentTransactions => "CONCURRENT_TRANSACTIONS",
            ErrorCode::InvalidTxnState => "INVALID_TXN_STATE",
            ErrorCode::UnstableOffsetCommit => "UNSTABLE_OFFSET_COMMIT",
        })
    }
}

/// A run of records in a fetch response, summarised for the stage: offsets
/// `base_offset..base_offset + count`, holding `first_record` … `last_record`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RecordSpan {
    pub base_offset: Offset,
    pub count: u32,
    pub first_record: RecordId,
    pub last_record: RecordId,
}

impl fmt::Display for RecordSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.count {
            0 => f.write_str("no records"),
            1 => write!(f, "m{}@{}", self.first_record, self.base_offset),
            n => write!(
                f,
                "{n} records m{}..m{} @{}..{}",
                self.first_record,
                self.last_record,
                self.base_offset,
                self.base_offset + u64::from(n) - 1
            ),
        }
    }
}

/// The records of a batch after its first (`record`), in batch order: empty for a batch of one
/// record, which then costs no allocation.
pub type MoreRecords = Box<[RecordId]>;

pub(crate) fn no_more(more: &MoreRecords) -> bool {
    more.is_empty()
}

/// A batch's records as the one-line text names them: `m3`, `m3..m5` (consecutive ids),
/// `m3,m5,m8`, or for a long irregular batch `m3,m5,…,m90 (40 records)`.
pub struct BatchLabel<'a> {
    pub first: RecordId,
    pub more: &'a [RecordId],
}

impl fmt::Display for BatchLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(&last) = self.more.last() else {
            return write!(f, "m{}", self.first);
        };
        let n = self.more.len() + 1;
        let consecutive = self
            .more
            .iter()
            .enumerate()
            .all(|(i, &r)| u64::from(r) == u64::from(self.first) + i as u64 + 1);
        if consecutive {
            return write!(f, "m{}..m{last}", self.first);
        }
        write!(f, "m{}", self.first)?;
        if n <= 4 {
            return self.more.iter().try_for_each(|r| write!(f, ",m{r}"));
        }
        write!(f, ",m{},…,m{last} ({n} records)", self.more[0])
    }
}

/// What a message on the network carries, reduced to what the stage and the ledger need.
/// A produce request carries one batch (`record` and `more`, spec §2.2): one partition, records
/// with consecutive sequences from `sequence`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Payload {
    /// A produce request to a partition leader with one batch. `sequence` (the batch's
    /// `baseSequence`) is -1 without idempotence.
    Produce {
        partition: PartitionId,
        /// The batch's first record.
        record: RecordId,
        /// The batch's other records.
        #[serde(default, skip_serializing_if = "no_more")]
        more: MoreRecords,
        producer_id: i64,
        producer_epoch: i16,
        sequence: i32,
        acks: Acks,
        /// Written inside a transaction (KIP-98).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        transactional: bool,
    },
    /// The leader's answer: the base offset (the first record's; the others follow it), or an
    /// error.
    ProduceResponse {
        request: MessageId,
        partition: PartitionId,
        record: RecordId,
        #[serde(default, skip_serializing_if = "no_more")]
        more: MoreRecords,
        base_offset: Option<Offset>,
        error: Option<ErrorCode>,
    },
    /// A follower fetching from its leader (KIP-101/KIP-595: with the epoch of its last record).
    ReplicaFetch {
        partition: PartitionId,
        fetch_offset: Offset,
        last_fetched_epoch: i32,
    },
    /// The leader's answer: records from `fetch_offset`, its high watermark, or a divergence.
    ReplicaFetchResponse {
        request: MessageId,
        partition: PartitionId,
        records: RecordSpan,
        high_watermark: Offset,
        diverging_end_offset: Option<Offset>,
        error: Option<ErrorCode>,
    },
    /// A consumer fetching from `fetch_offset` on.
    Fetch {
        partition: PartitionId,
        fetch_offset: Offset,
        /// `isolation.level=read_committed`: only below the last stable offset, aborted
        /// transactions filtered out.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        read_committed: bool,
    },
    /// The records a consumer fetch returned (only below the high watermark).
    FetchResponse {
        request: MessageId,
        partition: PartitionId,
        records: RecordSpan,
        high_watermark: Offset,
        error: Option<ErrorCode>,
    },
    /// A consumer storing its offsets with the group coordinator (`OffsetCommit`).
    OffsetCommit {
        partition: PartitionId,
        offset: Offset,
        partitions: u32,
    },
    OffsetCommitResponse {
        request: MessageId,
        error: Option<ErrorCode>,
    },
    /// A consumer asking the group coordinator for its committed offsets (`OffsetFetch`).
    OffsetFetch,
    OffsetFetchResponse {
        request: MessageId,
        error: Option<ErrorCode>,
    },
    /// A consumer asking a leader for the latest offset (`ListOffsets`, for `auto.offset.reset`).
    ListOffsets {
        partition: PartitionId,
        /// EARLIEST_TIMESTAMP (the log start offset) rather than LATEST.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        earliest: bool,
    },
    ListOffsetsResponse {
        request: MessageId,
        partition: PartitionId,
        offset: Option<Offset>,
        error: Option<ErrorCode>,
    },
    /// A consumer validating its position after a leader change (KIP-320,
    /// `OffsetsForLeaderEpoch`): where does `leader_epoch`, the epoch of the last record it
    /// consumed, end in the leader's log? `current_leader_epoch` is the epoch its metadata names.
    OffsetsForLeaderEpoch {
        partition: PartitionId,
        leader_epoch: u32,
        current_leader_epoch: u32,
    },
    /// The leader's answer: the largest epoch ≤ the asked one in its epoch history and the offset
    /// where it ends (`EpochEndOffset`), or None when it knows no such epoch
    /// (`UNDEFINED_EPOCH_OFFSET`).
    OffsetsForLeaderEpochResponse {
        request: MessageId,
        partition: PartitionId,
        end: Option<(u32, Offset)>,
        error: Option<ErrorCode>,
    },
    /// A consumer joining (or rejoining) its group (classic protocol, spec §5.1).
    JoinGroup { generation: i32 },
    /// Sent when the rebalance completes: the new generation, and whether this member leads.
    JoinGroupResponse {
        request: MessageId,
        generation: i32,
        leader: bool,
        error: Option<ErrorCode>,
    },
    /// A member asking for its assignment in a generation.
    SyncGroup { generation: i32 },
    /// The member's partitions (in the envelope's offsets, as (partition, 0)).
    SyncGroupResponse {
        request: MessageId,
        generation: i32,
        partitions: u32,
        error: Option<ErrorCode>,
    },
    /// The heartbeat thread's "still alive".
    Heartbeat { generation: i32 },
    HeartbeatResponse {
        request: MessageId,
        error: Option<ErrorCode>,
    },
    /// A member leaving (close, or `max.poll.interval.ms` passed); no answer is awaited.
    LeaveGroup,
    /// `InitProducerId(transactional.id)` to the transaction coordinator (`initTransactions()`).
    InitProducerId,
    InitProducerIdResponse {
        request: MessageId,
        producer_id: i64,
        producer_epoch: i16,
        error: Option<ErrorCode>,
    },
    /// `AddPartitionsToTxn`: before the first record to a partition in a transaction.
    AddPartitionsToTxn {
        partition: PartitionId,
        producer_id: i64,
        producer_epoch: i16,
    },
    /// `EndTxn`: `commitTransaction()` (commit) or `abortTransaction()`.
    EndTxn {
        commit: bool,
        producer_id: i64,
        producer_epoch: i16,
    },
    /// `AddOffsetsToTxn` (`sendOffsetsToTransaction()`, first half): the transaction coordinator
    /// adds the group's `__consumer_offsets` partition to the transaction.
    AddOffsetsToTxn {
        producer_id: i64,
        producer_epoch: i16,
    },
    /// `TxnOffsetCommit` (second half) to the group coordinator: the offsets (beside the
    /// payload) are held pending until the transaction's marker decides them. The group
    /// generation travels in the envelope's `aux` (KIP-447 fencing).
    TxnOffsetCommit {
        producer_id: i64,
        producer_epoch: i16,
        partitions: u32,
    },
    /// The transaction coordinator's marker for the group's `__consumer_offsets` partition:
    /// commit makes the pending offsets the group's committed offsets, abort drops them. The
    /// group coordinator answers with a `ProduceResponse` carrying the marker's id.
    TxnOffsetsMarker {
        producer_id: i64,
        producer_epoch: i16,
        commit: bool,
        /// The group whose offsets partition it is for.
        group: String,
    },
    /// The coordinator's answer to `AddPartitionsToTxn`, `AddOffsetsToTxn`, `TxnOffsetCommit`
    /// or `EndTxn`.
    TxnResponse {
        request: MessageId,
        error: Option<ErrorCode>,
    },
    /// `WriteTxnMarkers`: the coordinator asks a partition leader to append a COMMIT or ABORT
    /// control record. The leader answers with a `ProduceResponse` carrying the marker's id.
    WriteTxnMarkers {
        partition: PartitionId,
        producer_id: i64,
        producer_epoch: i16,
        commit: bool,
    },
}

impl Payload {
    /// The kind of message, for shapes, colours and the legend.
    pub fn kind(&self) -> MessageKind {
        match self {
            Payload::Produce { .. } => MessageKind::Record,
            Payload::ProduceResponse { .. } => MessageKind::Ack,
            Payload::ReplicaFetch { .. } => MessageKind::ReplicaFetch,
            Payload::ReplicaFetchResponse { .. } => MessageKind::ReplicaFetchResponse,
            Payload::Fetch { .. } => MessageKind::Fetch,
            Payload::FetchResponse { .. } => MessageKind::FetchResponse,
            Payload::OffsetCommit { .. } => MessageKind::OffsetCommit,
            Payload::OffsetCommitResponse { .. } => MessageKind::OffsetCommitResponse,
            Payload::OffsetFetch
            | Payload::ListOffsets { .. }
            | Payload::OffsetsForLeaderEpoch { .. } => MessageKind::OffsetFetch,
            Payload::OffsetFetchResponse { .. }
            | Payload::ListOffsetsResponse { .. }
            | Payload::OffsetsForLeaderEpochResponse { .. } => MessageKind::OffsetFetchResponse,
            Payload::JoinGroup { .. }
            | Payload::SyncGroup { .. }
            | Payload::Heartbeat { .. }
            | Payload::LeaveGroup => MessageKind::GroupRequest,
            Payload::JoinGroupResponse { .. }
            | Payload::SyncGroupResponse { .. }
            | Payload::HeartbeatResponse { .. } => MessageKind::GroupResponse,
            Payload::InitProducerId
            | Payload::AddPartitionsToTxn { .. }
            | Payload::AddOffsetsToTxn { .. }
            | Payload::EndTxn { .. }
            | Payload::WriteTxnMarkers { .. }
            | Payload::TxnOffsetsMarker { .. } => MessageKind::Txn,
            Payload::TxnOffsetCommit { .. } => MessageKind::OffsetCommit,
            Payload::InitProducerIdResponse { .. } | Payload::TxnResponse { .. } => {
                MessageKind::TxnResponse
            }
        }
    }

    /// The records of a produce request or response (the first, then the rest of the batch).
    pub fn batch_records(&self) -> impl Iterator<Item = RecordId> + '_ {
        let (first, more): (Option<RecordId>, &[RecordId]) = match self {
            Payload::Produce { record, more, .. }
            | Payload::ProduceResponse { record, more, .. } => (Some(*record), more),
            _ => (None, &[]),
        };
        first.into_iter().chain(more.iter().copied())
    }

    /// The request this message answers, if it is a response.
    pub fn request(&self) -> Option<MessageId> {
        match self {
            Payload::ProduceResponse { request, .. }
            | Payload::ReplicaFetchResponse { request, .. }
            | Payload::FetchResponse { request, .. }
            | Payload::OffsetCommitResponse { request, .. }
            | Payload::OffsetFetchResponse { request, .. }
            | Payload::ListOffsetsResponse { request, .. }
            | Payload::OffsetsForLeaderEpochResponse { request, .. }
            | Payload::JoinGroupResponse { request, .. }
            | Payload::SyncGroupResponse { request, .. }
            | Payload::HeartbeatResponse { request, .. }
            | Payload::InitProducerIdResponse { request, .. }
            | Payload::TxnResponse { request, .. } => Some(*request),
            _ => None,
        }
    }
}

/// Message kinds, each drawn with its own shape and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MessageKind {
    /// A produce request carrying a record.
    Record,
    /// The answer to a produce request.
    Ack,
    /// A consumer fetch.
    Fetch,
    FetchResponse,
    /// A follower's fetch from its leader (replication).
    ReplicaFetch,
    ReplicaFetchResponse,
    /// Offset commits and their answers.
    OffsetCommit,
    OffsetCommitResponse,
    /// Offset lookups (`OffsetFetch`, `ListOffsets`, `OffsetsForLeaderEpoch`) and their answers.
    OffsetFetch,
    OffsetFetchResponse,
    /// Group membership: JoinGroup, SyncGroup, Heartbeat, LeaveGroup, and their answers.
    GroupRequest,
    GroupResponse,
    /// Transaction requests (`InitProducerId`, `AddPartitionsToTxn`, `EndTxn`,
    /// `WriteTxnMarkers`).
    Txn,
    TxnResponse,
}
