//! The ledger: for every record the application sent, what happened to it.
//!
//! Built only from the trace — the recorded history — as Jepsen builds its checker's view (spec
//! §10): how many times the application called `send()` for it, how many produce requests
//! carried it, what the producer was told (acknowledged at an offset, failed, or nothing yet),
//! where leaders appended it, and how often a consumer was handed it and processed it. Where it
//! finally sits in the log, and whether its processing was committed, the checker reads from the
//! world's end state.

use super::ids::{NodeId, Offset, PartitionId, RecordId};
use super::payload::{ErrorCode, Payload};
use super::trace::EventKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the producing application was told about a record (its last callback).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum Told {
    /// No callback yet (in flight, or the producer crashed first): an unknown outcome.
    Nothing,
    /// Success; `offset` is None for acks=0.
    Acked { offset: Option<Offset> },
    /// Failure with this error.
    Failed { error: ErrorCode },
}

/// One record's story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerRow {
    pub record: RecordId,
    pub producer: NodeId,
    pub partition: PartitionId,
    /// `send()` calls by the application (more than 1 when it re-sends).
    pub app_sends: u32,
    /// Produce requests that carried it (retries included).
    pub attempts: u32,
    pub told: Told,
    /// Offsets where a leader appended it, in order (more than one: a duplicate or a re-append).
    pub appended_at: Few<Offset>,
    /// Times a consumer's `poll()` returned it.
    pub delivered: u32,
    /// Times a consumer finished processing it.
    pub processed: u32,
    /// Who processed it, once per processing, in order (per-group verdicts, rebalance
    /// duplicates).
    #[serde(default, skip_serializing_if = "Few::is_empty")]
    pub processed_by: Few<NodeId>,
    /// Its appends inside transactions, each with the transaction's fate (KIP-98).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub txn_appends: Vec<TxnAppend>,
    /// Consumers' reads of it when it was written inside a transaction.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub txn_reads: Vec<TxnRead>,
}

/// What became of a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TxnFate {
    /// No marker yet: invisible to read_committed readers.
    Open,
    Committed,
    Aborted,
}

/// One append of a record inside a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnAppend {
    pub partition: PartitionId,
    pub offset: Offset,
    pub producer_id: i64,
    pub fate: TxnFate,
}

/// A consumer's read of a transactional record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnRead {
    pub consumer: NodeId,
    pub read_committed: bool,
    pub partition: PartitionId,
    pub offset: Offset,
}

/// Offsets below this are kept in the ledger's dense per-partition table.
const SEEN_DENSE: Offset = 1 << 22;

/// Every record's row, plus what offsets were seen to hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    rows: Vec<LedgerRow>,
    /// `seen_at[partition][offset]`: the first record seen there, by an ack or a poll (offsets
    /// are dense from 0, so a vector per partition rather than a map of ~200,000 entries that
    /// every ack and poll searched).
    seen_at: Vec<Vec<Option<RecordId>>>,
    /// The same for offsets at or past [`SEEN_DENSE`] (none in practice).
    seen_far: BTreeMap<(PartitionId, Offset), RecordId>,
    /// Offsets seen holding two different records (Jepsen `:inconsistent-offsets`).
    pub inconsistent: BTreeMap<(PartitionId, Offset), Vec<RecordId>>,
    /// Each consumer's `group.id`: verdicts are per group (every group gets every record).
    groups: BTreeMap<NodeId, String>,
    /// Records whose latest produce request was transactional, with its producer id.
    txn_produce: BTreeMap<RecordId, i64>,
    /// Records appended in a transaction not yet decided, by (partition, producer id).
    open: BTreeMap<(PartitionId, i64), Vec<RecordId>>,
    /// Consumers with `isolation.level=read_committed` (from the scenario).
    pub(crate) read_committed: Vec<NodeId>,
    /// The partitions each group reads, when the scenario has two topics (a pipeline): a
    /// group's verdict covers only the records of its topic.
    pub(crate) group_topics: BTreeMap<String, std::ops::Range<PartitionId>>,
}

impl Ledger {
    /// A ledger that knows which group each consumer belongs to.
    pub fn with_groups(groups: impl IntoIterator<Item = (NodeId, String)>) -> Self {
        Self {
            groups: groups.into_iter().collect(),
            ..Self::default()
        }
    }

    /// The partitions each group reads (two-topic runs; see `group_reads`).
    pub fn set_group_topics(&mut self, topics: BTreeMap<String, std::ops::Range<PartitionId>>) {
        self.group_topics = topics;
    }

    /// Whether `group` reads `partition` (every group reads everything in a one-topic run).
    pub fn group_reads(&self, group: &str, partition: PartitionId) -> bool {
        self.group_topics
            .get(group)
            .is_none_or(|t| t.contains(&partition))
    }

    /// The consumer's group ("" if unknown).
    pub fn group_of(&self, consumer: NodeId) -> &str {
        self.groups.get(&consumer).map_or("", String::as_str)
    }

    /// Every group name, sorted, once each.
    pub fn group_names(&self) -> Vec<String> {
        let set: std::collections::BTreeSet<&String> = self.groups.values().collect();
        set.into_iter().cloned().collect()
    }

    fn row(&mut self, record: RecordId) -> Option<&mut LedgerRow> {
        self.rows.get_mut((record as usize).checked_sub(1)?)
    }

    /// The rows, by record id.
    pub fn rows(&self) -> &[LedgerRow] {
        &self.rows
    }

    pub fn get(&self, record: RecordId) -> Option<&LedgerRow> {
        self.rows.get((record as usize).checked_sub(1)?)
    }

    /// The latest offset a leader appended a record at.
    pub fn last_appended(&self, record: RecordId) -> Option<(PartitionId, Offset)> {
        let row = self.get(record)?;
        row.appended_at.last().map(|&o| (row.partition, o))
    }

    fn saw(&mut self, partition: PartitionId, offset: Offset, record: RecordId) {
        let first = if offset < SEEN_DENSE {
            let p = partition as usize;
            if self.seen_at.len() <= p {
                self.seen_at.resize_with(p + 1, Vec::new);
            }
            let seen = &mut self.seen_at[p];
            if seen.len() <= offset as usize {
                seen.resize(offset as usize + 1, None);
            }
            *seen[offset as usize].get_or_insert(record)
        } else {
            *self.seen_far.entry((partition, offset)).or_insert(record)
        };
        if first != record {
            let v = self
                .inconsistent
                .entry((partition, offset))
                .or_insert_with(|| vec![first]);
            if !v.contains(&record) {
                v.push(record);
            }
        }
    }

    /// What the ledger learns from a `MessageSent` event carrying `payload` (the world calls
    /// it directly when the event itself is not needed: past the trace limit).
    pub fn observe_sent(&mut self, payload: &Payload) {
        if let Payload::Produce {
            producer_id,
            transactional,
            ..
        } = *payload
        {
            // One attempt for every record of the batch.
            for record in payload.batch_records() {
                if let Some(row) = self.row(record) {
                    row.attempts += 1;
                }
                if transactional {
                    self.txn_produce.insert(record, producer_id);
                } else {
                    self.txn_produce.remove(&record);
                }
            }
        }
    }

    /// Learns from one event of the history.
    pub fn observe(&mut self, kind: &EventKind) {
        self.learn(kind);
    }

    /// [`Ledger::observe`], inlined into the world's two ways of recording (`recording.rs`): out
    /// of line it cost about 1% of the benchmark's instructions more. The view calls `observe`.
    #[inline(always)]
    pub(crate) fn learn(&mut self, kind: &EventKind) {
        match *kind {
            EventKind::RecordSent {
                producer,
                record,
                partition,
            } => {
                while self.rows.len() < record as usize {
                    let r = self.rows.len() as RecordId + 1;
                    self.rows.push(LedgerRow {
                        record: r,
                        producer,
                        partition,
                        app_sends: 0,
                        attempts: 0,
                        told: Told::Nothing,
                        appended_at: Few::Empty,
                        delivered: 0,
                        processed: 0,
                        processed_by: Few::Empty,
                        txn_appends: Vec::new(),
                        txn_reads: Vec::new(),
                    });
                }
                if let Some(row) = self.row(record) {
                    row.producer = producer;
                    row.partition = partition;
                    row.app_sends += 1;
                }
            }
            EventKind::MessageSent { ref payload, .. } => self.observe_sent(payload),
            EventKind::MarkerAppended {
                partition,
                offset,
                producer_id,
                commit,
                ..
            } => {
                let fate = if commit {
                    TxnFate::Committed
                } else {
                    TxnFate::Aborted
                };
                for record in self
                    .open
                    .remove(&(partition, producer_id))
                    .unwrap_or_default()
                {
                    if let Some(row) = self.row(record) {
                        for a in &mut row.txn_appends {
                            if a.partition == partition
                                && a.producer_id == producer_id
                                && a.offset < offset
                                && a.fate == TxnFate::Open
                            {
                                a.fate = fate;
                            }
                        }
                    }
                }
            }
            EventKind::Appended {
                record,
                offset,
                partition,
                ..
            } => {
                if let Some(row) = self.row(record) {
                    row.appended_at.push(offset);
                    row.partition = partition;
                }
                if let Some(&producer_id) = self.txn_produce.get(&record) {
                    if let Some(row) = self.row(record) {
                        row.txn_appends.push(TxnAppend {
                            partition,
                            offset,
                            producer_id,
                            fate: TxnFate::Open,
                        });
                    }
                    self.open
                        .entry((partition, producer_id))
                        .or_default()
                        .push(record);
                }
            }
            EventKind::Acked { record, offset, .. } => {
                let partition = self.row(record).map(|row| {
                    row.told = Told::Acked { offset };
                    row.partition
                });
                if let (Some(p), Some(o)) = (partition, offset) {
                    self.saw(p, o, record);
                }
            }
            EventKind::SendFailed { record, error, .. } => {
                if let Some(row) = self.row(record) {
                    if !matches!(row.told, Told::Acked { .. }) {
                        row.told = Told::Failed { error };
                    }
                }
            }
            EventKind::Polled {
                consumer,
                partition,
                offset,
                record,
            } => {
                let read_committed = self.read_committed.contains(&consumer);
                if let Some(row) = self.row(record) {
                    row.delivered += 1;
                    if row
                        .txn_appends
                        .iter()
                        .any(|a| a.partition == partition && a.offset == offset)
                    {
                        row.txn_reads.push(TxnRead {
                            consumer,
                            read_committed,
                            partition,
                            offset,
                        });
                    }
                }
                self.saw(partition, offset, record);
            }
            EventKind::Processed {
                record, consumer, ..
            } => {
                if let Some(row) = self.row(record) {
                    row.processed += 1;
                    row.processed_by.push(consumer);
                }
            }
            _ => {}
        }
    }
}

/// A short list kept inline while it holds at most one item (a ledger row's offsets and
/// processors: one each for almost every record), so a row costs no allocation until a record
/// is appended or processed twice. Reads as a slice; serialised, compared and printed as one.
#[derive(Clone, Default)]
pub enum Few<T> {
    #[default]
    Empty,
    One(T),
    Many(Vec<T>),
}

impl<T> Few<T> {
    pub fn push(&mut self, item: T) {
        match std::mem::take(self) {
            Few::Empty => *self = Few::One(item),
            Few::One(first) => *self = Few::Many(vec![first, item]),
            Few::Many(mut v) => {
                v.push(item);
                *self = Few::Many(v);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    pub fn as_slice(&self) -> &[T] {
        match self {
            Few::Empty => &[],
            Few::One(x) => std::slice::from_ref(x),
            Few::Many(v) => v,
        }
    }
}

impl<T> std::ops::Deref for Few<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> From<Vec<T>> for Few<T> {
    fn from(mut v: Vec<T>) -> Self {
        match v.len() {
            0 => Few::Empty,
            1 => Few::One(v.pop().expect("one item")),
            _ => Few::Many(v),
        }
    }
}

impl<T: PartialEq> PartialEq for Few<T> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Eq> Eq for Few<T> {}

impl<T: PartialEq> PartialEq<Vec<T>> for Few<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Few<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_slice().fmt(f)
    }
}

impl<T: Serialize> Serialize for Few<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Few<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(deserializer).map(Few::from)
    }
}
