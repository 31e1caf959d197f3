//! A payload's one-line text form (`Display`): what `--trace`, the tests and the trace hash read.

use super::{BatchLabel, ErrorCode, Payload};
use crate::model::ids::Offset;
use std::fmt;

fn err(e: &Option<ErrorCode>) -> String {
    e.map(|e| format!(" {e}")).unwrap_or_default()
}

impl fmt::Display for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Payload::Produce {
                partition,
                record,
                more,
                producer_id,
                producer_epoch,
                sequence,
                acks,
                ..
            } => {
                let records = BatchLabel {
                    first: *record,
                    more,
                };
                let batch = if more.is_empty() { "" } else { "batch " };
                write!(f, "Produce(p{partition} {batch}{records} acks={acks}")?;
                if *sequence >= 0 {
                    write!(
                        f,
                        " pid={producer_id} epoch={producer_epoch} seq={sequence}"
                    )?;
                    if !more.is_empty() {
                        write!(f, "..{}", i64::from(*sequence) + more.len() as i64)?;
                    }
                }
                f.write_str(")")
            }
            Payload::ProduceResponse {
                request,
                partition,
                record,
                more,
                base_offset,
                error,
            } => {
                let records = BatchLabel {
                    first: *record,
                    more,
                };
                match (base_offset, error) {
                    (_, Some(e)) => {
                        write!(f, "ProduceResponse(#{request} p{partition} {records} {e})")
                    }
                    (Some(o), None) if more.is_empty() => {
                        write!(
                            f,
                            "ProduceResponse(#{request} p{partition} {records} offset {o})"
                        )
                    }
                    (Some(o), None) => write!(
                        f,
                        "ProduceResponse(#{request} p{partition} {records} offsets {o}..{})",
                        o + more.len() as Offset
                    ),
                    (None, None) => {
                        write!(f, "ProduceResponse(#{request} p{partition} {records} ok)")
                    }
                }
            }
            Payload::ReplicaFetch {
                partition,
                fetch_offset,
                last_fetched_epoch,
            } => write!(
                f,
                "ReplicaFetch(p{partition} from {fetch_offset} last_epoch={last_fetched_epoch})"
            ),
            Payload::ReplicaFetchResponse {
                request,
                partition,
                records,
                high_watermark,
                diverging_end_offset,
                error,
            } => {
                write!(
                    f,
                    "ReplicaFetchResponse(#{request} p{partition} {records} hw={high_watermark}"
                )?;
                if let Some(d) = diverging_end_offset {
                    write!(f, " diverging end_offset={d}")?;
                }
                write!(f, "{})", err(error))
            }
            Payload::Fetch {
                partition,
                fetch_offset,
                read_committed,
            } => write!(
                f,
                "Fetch(p{partition} from {fetch_offset}{})",
                if *read_committed {
                    " read_committed"
                } else {
                    ""
                }
            ),
            Payload::FetchResponse {
                request,
                partition,
                records,
                high_watermark,
                error,
            } => write!(
                f,
                "FetchResponse(#{request} p{partition} {records} hw={high_watermark}{})",
                err(error)
            ),
            Payload::OffsetCommit {
                partition,
                offset,
                partitions,
            } => write!(
                f,
                "OffsetCommit(p{partition}={offset}, {partitions} partitions)"
            ),
            Payload::OffsetCommitResponse { request, error } => {
                write!(f, "OffsetCommitResponse(#{request}{})", err(error))
            }
            Payload::OffsetFetch => f.write_str("OffsetFetch"),
            Payload::OffsetFetchResponse { request, error } => {
                write!(f, "OffsetFetchResponse(#{request}{})", err(error))
            }
            Payload::ListOffsets {
                partition,
                earliest,
            } => write!(
                f,
                "ListOffsets(p{partition} {})",
                if *earliest { "earliest" } else { "latest" }
            ),
            Payload::ListOffsetsResponse {
                request,
                partition,
                offset,
                error,
            } => match offset {
                Some(o) => write!(f, "ListOffsetsResponse(#{request} p{partition} {o})"),
                None => write!(
                    f,
                    "ListOffsetsResponse(#{request} p{partition}{})",
                    err(error)
                ),
            },
            Payload::OffsetsForLeaderEpoch {
                partition,
                leader_epoch,
                current_leader_epoch,
            } => write!(
                f,
                "OffsetsForLeaderEpoch(p{partition} epoch {leader_epoch}, current {current_leader_epoch})"
            ),
            Payload::OffsetsForLeaderEpochResponse {
                request,
                partition,
                end,
                error,
            } => match end {
                Some((epoch, offset)) => write!(
                    f,
                    "OffsetsForLeaderEpochResponse(#{request} p{partition} epoch {epoch} ends at {offset})"
                ),
                None => write!(
                    f,
                    "OffsetsForLeaderEpochResponse(#{request} p{partition} undefined{})",
                    err(error)
                ),
            },
            Payload::JoinGroup { generation } => write!(f, "JoinGroup(gen {generation})"),
            Payload::JoinGroupResponse {
                request,
                generation,
                leader,
                error,
            } => write!(
                f,
                "JoinGroupResponse(#{request} gen {generation}{}{})",
                if *leader { " leader" } else { "" },
                err(error)
            ),
            Payload::SyncGroup { generation } => write!(f, "SyncGroup(gen {generation})"),
            Payload::SyncGroupResponse {
                request,
                generation,
                partitions,
                error,
            } => write!(
                f,
                "SyncGroupResponse(#{request} gen {generation}, {partitions} partitions{})",
                err(error)
            ),
            Payload::Heartbeat { generation } => write!(f, "Heartbeat(gen {generation})"),
            Payload::HeartbeatResponse { request, error } => {
                write!(f, "HeartbeatResponse(#{request}{})", err(error))
            }
            Payload::LeaveGroup => f.write_str("LeaveGroup"),
            Payload::InitProducerId => f.write_str("InitProducerId"),
            Payload::InitProducerIdResponse {
                request,
                producer_id,
                producer_epoch,
                error,
            } => match error {
                Some(e) => write!(f, "InitProducerIdResponse(#{request} {e})"),
                None => write!(
                    f,
                    "InitProducerIdResponse(#{request} pid={producer_id} epoch={producer_epoch})"
                ),
            },
            Payload::AddPartitionsToTxn {
                partition,
                producer_id,
                producer_epoch,
            } => write!(
                f,
                "AddPartitionsToTxn(p{partition} pid={producer_id} epoch={producer_epoch})"
            ),
            Payload::AddOffsetsToTxn {
                producer_id,
                producer_epoch,
            } => write!(
                f,
                "AddOffsetsToTxn(pid={producer_id} epoch={producer_epoch})"
            ),
            Payload::TxnOffsetCommit {
                producer_id,
                producer_epoch,
                partitions,
            } => write!(
                f,
                "TxnOffsetCommit({partitions} partitions pid={producer_id} epoch={producer_epoch})"
            ),
            Payload::TxnOffsetsMarker {
                producer_id,
                producer_epoch,
                commit,
                ..
            } => write!(
                f,
                "WriteTxnMarkers(__consumer_offsets {} pid={producer_id} epoch={producer_epoch})",
                if *commit { "COMMIT" } else { "ABORT" }
            ),
            Payload::EndTxn {
                commit,
                producer_id,
                producer_epoch,
            } => write!(
                f,
                "EndTxn({} pid={producer_id} epoch={producer_epoch})",
                if *commit { "COMMIT" } else { "ABORT" }
            ),
            Payload::TxnResponse { request, error } => {
                write!(f, "TxnResponse(#{request}{})", err(error))
            }
            Payload::WriteTxnMarkers {
                partition,
                producer_id,
                producer_epoch,
                commit,
            } => write!(
                f,
                "WriteTxnMarkers(p{partition} {} pid={producer_id} epoch={producer_epoch})",
                if *commit { "COMMIT" } else { "ABORT" }
            ),
        }
    }
}
