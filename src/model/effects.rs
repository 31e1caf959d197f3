//! Effects as data: what a handler asks the world to do.
//!
//! Producer, broker, consumer and controller handlers never touch the clock, the network or the
//! trace. They take their state and an input and push [`Out`] values; one loop
//! (`World::apply`) sends the messages, sets the timers and records the events (stateright's
//! `Out`/`Command`). [`Due`] lists everything that can fall due at a virtual time. (A handler's
//! `trace` may record straight into the trace instead, when that gives the same order: see
//! `recording.rs`.)

use super::commands::Command;
use super::ids::{MessageId, NodeId, Offset, PartitionId, RecordId};
use super::network::{Envelope, Outgoing};
use super::time::Millis;
use super::trace::EventKind;

/// Something that falls due at a virtual time. Timers carry the incarnation of the node that set
/// them, so a timer set before a crash does nothing after it.
#[derive(Debug, Clone)]
pub enum Due {
    /// A message reaches its destination.
    Deliver(Box<Envelope>),
    /// The connection from `client` to `peer` broke (the peer crashed or refused it).
    Disconnect { client: NodeId, peer: NodeId },
    /// A scripted or triggered command.
    Command(Command),
    /// The producing application calls `send()` for its next record.
    AppSend { producer: u32, incarnation: u32 },
    /// The producer's sender loop looks for batches it can send (after a backoff).
    ProducerWake { producer: u32, incarnation: u32 },
    /// A produce request went unanswered for `request.timeout.ms`.
    RequestTimeout {
        producer: u32,
        incarnation: u32,
        request: MessageId,
    },
    /// A batch reached `delivery.timeout.ms`.
    DeliveryTimeout {
        producer: u32,
        incarnation: u32,
        batch: u32,
    },
    /// A follower sends its next fetch.
    FollowerFetch {
        broker: u32,
        partition: PartitionId,
        session: u32,
    },
    /// A follower's fetch went unanswered for `replica.socket.timeout.ms`.
    FollowerFetchTimeout {
        broker: u32,
        partition: PartitionId,
        request: MessageId,
    },
    /// A fetch the leader held (nothing to return yet) reached its maximum wait.
    FetchWaitExpired {
        broker: u32,
        partition: PartitionId,
        request: MessageId,
    },
    /// An acks=all produce request waited `request.timeout.ms` for the ISR.
    ProduceWaitExpired {
        broker: u32,
        partition: PartitionId,
        request: MessageId,
    },
    /// The leader's periodic ISR check (every `replica.lag.time.max.ms / 2`).
    IsrCheck { broker: u32, incarnation: u32 },
    /// The OS writes a broker's page cache to disk.
    Flush { broker: u32, incarnation: u32 },
    /// A broker deletes segments past retention (`log.retention.check.interval.ms`).
    RetentionCheck { broker: u32, incarnation: u32 },
    /// The controller heard nothing from a broker for `broker.session.timeout.ms`.
    SessionExpired { broker: u32, session: u32 },
    /// A consumer application starts (its `app.start_ms`).
    ConsumerStart { consumer: u32, incarnation: u32 },
    /// The consuming application calls `poll()`.
    Poll {
        consumer: u32,
        incarnation: u32,
        token: u32,
    },
    /// The consuming application (or its worker) finished processing one record.
    ProcessDone {
        consumer: u32,
        incarnation: u32,
        worker: bool,
    },
    /// A consumer retries something that failed (fetch, offset lookup, commit).
    ConsumerRetry { consumer: u32, incarnation: u32 },
    /// The transaction coordinators look at their timers (marker retries, timeouts).
    TxnCoordinatorTick,
    /// A consume-transform-produce application (spec §6.5) processed `record` (read from
    /// `partition`) and calls `send()` of its transformed copy on its producer.
    PipeSend {
        producer: u32,
        record: RecordId,
        partition: PartitionId,
    },
    /// The application finished a poll's records: `sendOffsetsToTransaction(offsets,
    /// groupMetadata)` then `commitTransaction()` on its producer.
    PipeCommit {
        producer: u32,
        round: u32,
        generation: i32,
        offsets: Vec<(PartitionId, Offset)>,
    },
    /// The producer's answer to the application: the transaction of `round` ended.
    PipeDone {
        consumer: u32,
        round: u32,
        outcome: PipeOutcome,
    },
    /// A consumer request went unanswered for `request.timeout.ms`.
    ConsumerRequestTimeout {
        consumer: u32,
        incarnation: u32,
        request: MessageId,
    },
    /// The consumer's heartbeat thread sends its next heartbeat.
    Heartbeat { consumer: u32, incarnation: u32 },
    /// `max.poll.interval.ms` after a poll that handed records to the application.
    PollIntervalCheck {
        consumer: u32,
        incarnation: u32,
        polls: u32,
    },
    /// The coordinator checks a member's session (`session.timeout.ms`).
    MemberExpiry {
        group: String,
        consumer: u32,
        incarnation: u32,
    },
    /// The coordinator checks whether a rebalance can complete (end of the initial delay),
    /// or `timeout`: the rebalance timeout passed and laggards are removed.
    RebalanceCheck {
        group: String,
        round: u32,
        timeout: bool,
    },
}

/// How a consume-transform-produce transaction ended, as the application learns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PipeOutcome {
    /// `commitTransaction()` returned: outputs and offsets are committed together.
    Committed,
    /// Aborted (an abortable error): rewind to the committed offsets and process again.
    Aborted,
    /// `ProducerFencedException`: a newer instance owns the transactional id; close.
    Fenced,
}

/// An effect a handler asks for.
#[derive(Debug, Clone)]
pub enum Out {
    /// Put a message on the network (boxed once, when the handler sends it).
    Send(Box<Envelope>),
    /// Fall due at an absolute virtual time.
    Timer { at_ms: Millis, due: Due },
    /// Record a change of state.
    Trace(EventKind),
    /// A group coordinator's write to its `__consumer_offsets` partition (`request` names it)
    /// is settled: replicated to the ISR (Ok, the offset of its last record), or failed.
    CoordinatorWrite {
        broker: u32,
        request: MessageId,
        result: Result<Offset, super::payload::ErrorCode>,
    },
}

impl Out {
    /// The effect of sending `out`.
    pub fn send(out: Outgoing) -> Self {
        Out::Send(Envelope::boxed(out))
    }
}

/// The buffer handlers push effects into (reused between events: no allocation per event).
pub type Outbox = Vec<Out>;

/// What a client handler (producer, consumer) needs besides its own state.
pub struct ClientCtx<'a> {
    pub now_ms: Millis,
    pub out: &'a mut Outbox,
    /// Set when this handler may record its events straight into the trace (and set its timers
    /// straight into the event queue).
    pub(crate) recorder: Option<super::recording::Recorder<'a>>,
    pub next_message_id: &'a mut MessageId,
    pub rng: &'a mut super::rng::Rng,
    /// Cluster metadata. Clients read leaders from it directly: a SIMPLIFY of the metadata
    /// request/refresh cycle (spec §11.10); a dead-but-unfenced leader still looks like the leader.
    pub controller: &'a super::controller::Controller,
    /// The broker hosting each group's coordinator, by group name.
    pub coordinator_of: &'a dyn Fn(&str) -> Option<u32>,
    /// The broker hosting each transactional id's transaction coordinator.
    pub txn_coordinator_of: &'a dyn Fn(&str) -> Option<u32>,
}

impl ClientCtx<'_> {
    /// Sends a message; returns its id.
    pub fn send(&mut self, mut out: Outgoing) -> MessageId {
        out.id = *self.next_message_id;
        *self.next_message_id += 1;
        let id = out.id;
        self.out.push(Out::send(out));
        id
    }
    pub fn trace(&mut self, kind: EventKind) {
        super::recording::trace_or_push(&mut self.recorder, self.out, self.now_ms, kind);
    }
    pub fn timer(&mut self, at_ms: Millis, due: Due) {
        super::recording::timer_or_push(&mut self.recorder, self.out, self.now_ms, at_ms, due);
    }
}
