//! An event's one-line text form (`Display`): `--trace`, the tests and [`super::trace_hash`]
//! read it, so any change to a line changes every trace hash.

use super::*;

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use EventKind::*;
        match self {
            RecordSent { producer, record, partition } => {
                write!(f, "{producer} send(m{record}) to p{partition}")
            }
            MessageSent { id, from, to, payload, arrives_at_ms } => {
                write!(f, "{from} -> {to} #{id} {payload} (arrives t={arrives_at_ms}ms)")
            }
            MessageDelivered { id } => write!(f, "#{id} delivered"),
            MessageDropped { id, reason } => write!(f, "#{id} dropped ({reason:?})"),
            Appended { broker, partition, offset, record, leader_epoch } => write!(
                f,
                "{broker} appended m{record} at p{partition} offset {offset} (leader epoch {leader_epoch})"
            ),
            Replicated { broker, partition, offset, record }
                if crate::model::log::is_marker(*record) =>
            {
                let m = if *record == crate::model::log::COMMIT_MARKER { "COMMIT" } else { "ABORT" };
                write!(f, "{broker} replicated {m} marker at p{partition} offset {offset}")
            }
            Replicated { broker, partition, offset, record }
                if *record == crate::model::log::OFFSETS_RECORD =>
            {
                write!(f, "{broker} replicated an offset commit at p{partition} offset {offset}")
            }
            Replicated { broker, partition, offset, record } => {
                write!(f, "{broker} replicated m{record} at p{partition} offset {offset}")
            }
            Truncated { broker, partition, log_end_offset, removed, reason } => write!(
                f,
                "{broker} truncated p{partition} to {log_end_offset}, removing {removed} ({reason:?})"
            ),
            HighWatermark { broker, partition, high_watermark } => {
                write!(f, "{broker} p{partition} high watermark {high_watermark}")
            }
            IsrChanged { partition, isr } => {
                let names: Vec<String> = isr.iter().map(|b| format!("B{b}")).collect();
                write!(f, "p{partition} isr = {{{}}}", names.join(", "))
            }
            LeaderElected { partition, leader, leader_epoch, unclean } => write!(
                f,
                "p{partition} leader {leader} (epoch {leader_epoch}){}",
                if *unclean { " UNCLEAN" } else { "" }
            ),
            PartitionOffline { partition } => write!(f, "p{partition} offline: no leader"),
            BrokerFenced { broker } => write!(f, "controller fenced {broker}"),
            BrokerUnfenced { broker } => write!(f, "controller unfenced {broker}"),
            NodeCrashed { node, mode } => write!(f, "{node} crashed ({mode:?})"),
            NodeRestarted { node } => write!(f, "{node} restarted"),
            NodePaused { node } => write!(f, "{node} paused (GC)"),
            NodeResumed { node, waited } => {
                write!(f, "{node} resumed; {waited} waiting messages/timers now")
            }
            LinkCut { a, b } => write!(f, "link {a}-{b} cut"),
            LinkHealed { a, b } => write!(f, "link {a}-{b} healed"),
            CommandApplied { command } => write!(f, "command: {command}"),
            ProducerIdAssigned { producer, producer_id, producer_epoch } => {
                write!(f, "{producer} producer_id={producer_id} epoch={producer_epoch}")
            }
            ProducerEpochBumped { producer, producer_epoch } => {
                write!(f, "{producer} bumped epoch to {producer_epoch}")
            }
            Acked { producer, record, offset: Some(offset) } => {
                write!(f, "{producer} told m{record} is at offset {offset}")
            }
            Acked { producer, record, offset: None } => {
                write!(f, "{producer} told m{record} was sent (no offset)")
            }
            SendFailed { producer, record, error } => {
                write!(f, "{producer} told m{record} failed: {error}")
            }
            Retrying { producer, record, more, attempt, error } => {
                let records = BatchLabel { first: *record, more };
                let batch = if more.is_empty() { "" } else { "batch " };
                write!(f, "{producer} retries {batch}{records} (attempt {attempt}) after {error}")
            }
            Polled { consumer, partition, offset, record } => {
                write!(f, "{consumer} polled m{record} (p{partition} offset {offset})")
            }
            Processed { consumer, partition, offset, record } => {
                write!(f, "{consumer} processed m{record} (p{partition} offset {offset})")
            }
            OffsetCommitted { consumer, partition, offset } => {
                write!(f, "coordinator stored {consumer}'s committed offset p{partition}={offset}")
            }
            PositionSet { consumer, partition, offset, source } => {
                write!(f, "{consumer} position p{partition}={offset} ({source:?})")
            }
            PositionValidated { consumer, partition, offset, leader_epoch, broker, end, outcome } => {
                write!(f, "{consumer} validates p{partition} position {offset} (epoch {leader_epoch}) with {broker}: ")?;
                match end {
                    Some((epoch, end)) => write!(f, "end offset {end} for epoch {epoch}")?,
                    None => write!(f, "epoch unknown")?,
                }
                match (outcome, end) {
                    (Validation::Valid, _) => write!(f, " → valid"),
                    (Validation::SeekToDivergence, Some((_, end))) => {
                        write!(f, " → truncation detected, seeks to {end}")
                    }
                    (Validation::SeekToDivergence | Validation::Reset, _) => {
                        write!(f, " → truncation detected, auto.offset.reset")
                    }
                    (Validation::LogTruncation, _) => write!(
                        f,
                        " → truncation detected: LogTruncationException, stops reading p{partition}"
                    ),
                }
            }
            ConsumerClosed { consumer } => write!(f, "{consumer} closed"),
            InvariantViolated { invariant, node, partition } => {
                write!(f, "INVARIANT {invariant:?} broken at {node} p{partition}")
            }
            TraceLimitReached { limit } => write!(f, "trace limit of {limit} events reached"),
            GroupStateChanged { group, state, generation } => {
                write!(f, "group {group} {state:?} (generation {generation})")
            }
            MemberRemoved { group, consumer, reason } => {
                write!(f, "group {group} removed {consumer} ({reason:?})")
            }
            PartitionsAssigned { consumer, group, generation, partitions, added } => {
                write!(f, "{consumer} assigned [{}] in group {group} generation {generation}", partition_list(partitions))?;
                match added {
                    Some(a) => write!(f, " (cooperative; new: [{}])", partition_list(a)),
                    None => Ok(()),
                }
            }
            PartitionsRevoked { consumer, partitions, kept } => {
                write!(f, "{consumer} revoked [{}]", partition_list(partitions))?;
                match kept {
                    Some(k) => write!(f, " (cooperative; keeps [{}])", partition_list(k)),
                    None => Ok(()),
                }
            }
            PollIntervalExceeded { consumer } => {
                write!(f, "{consumer} exceeded max.poll.interval.ms: leaves the group")
            }
            CommitRejected { consumer, group, generation, error } => write!(
                f,
                "coordinator rejected {consumer}'s commit to group {group} (generation {generation}): {error}"
            ),
            OffsetsLogAppended { broker, group, partition, offset, offsets_partition, log_offset, .. } => write!(
                f,
                "{broker} appended {group}/p{partition}={offset} to __consumer_offsets-{offsets_partition} at {log_offset}"
            ),
            CoordinatorLoaded { broker, group, offsets_partition, committed, .. } => {
                let os: Vec<String> = committed.iter().map(|(p, o)| format!("p{p}={o}")).collect();
                write!(
                    f,
                    "{broker} is {group}'s coordinator now: loaded [{}] from __consumer_offsets-{offsets_partition}",
                    os.join(",")
                )
            }
            TransactionBegan { producer, producer_id, producer_epoch } => write!(
                f,
                "{producer} beginTransaction (pid={producer_id} epoch={producer_epoch})"
            ),
            TxnStateChanged { coordinator, producer_id, producer_epoch, state, partitions, .. } => {
                let ps: Vec<String> = partitions.iter().map(|p| format!("p{p}")).collect();
                write!(
                    f,
                    "{coordinator} __transaction_state: pid={producer_id} epoch={producer_epoch} \
                     {state:?} [{}]",
                    ps.join(", ")
                )
            }
            MarkerAppended { broker, partition, offset, producer_id, commit, leader_epoch } => {
                write!(
                    f,
                    "{broker} appended {} marker for pid={producer_id} at p{partition} offset \
                     {offset} (leader epoch {leader_epoch})",
                    if *commit { "COMMIT" } else { "ABORT" }
                )
            }
            LastStableOffset { broker, partition, last_stable_offset } => {
                write!(f, "{broker} p{partition} last stable offset {last_stable_offset}")
            }
            ProducerFenced { producer, producer_epoch } => {
                write!(f, "{producer} fenced (its epoch {producer_epoch} is stale)")
            }
            TxnTimedOut { producer_id, producer_epoch } => write!(
                f,
                "transaction of pid={producer_id} epoch={producer_epoch} timed out"
            ),
            SegmentsDeleted { broker, partition, log_start_offset, removed } => write!(
                f,
                "{broker} deleted {removed} records of p{partition} past retention: log start offset {log_start_offset}"
            ),
            TxnOffsetsPending { coordinator, producer_id, group, offsets } => {
                let os: Vec<String> = offsets.iter().map(|(p, o)| format!("p{p}={o}")).collect();
                write!(
                    f,
                    "{coordinator} holds {group}'s offsets {} pending in the transaction of pid={producer_id}",
                    os.join(",")
                )
            }
            TxnOffsetsDecided { coordinator, producer_id, group, commit } => write!(
                f,
                "{coordinator} {} {group}'s offsets from the transaction of pid={producer_id}",
                if *commit { "committed" } else { "dropped" }
            ),
        }
    }
}

/// `p0,p2`: partitions as the one-line text names them.
fn partition_list(partitions: &[PartitionId]) -> String {
    let names: Vec<String> = partitions.iter().map(|p| format!("p{p}")).collect();
    names.join(",")
}
