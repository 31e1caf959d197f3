//! Why Kafka would refuse a client's configuration (its `ConfigException`), as data with the
//! values, and its English text.

use crate::model::time::Millis;
use std::fmt;

/// Why Kafka would refuse a client's configuration (its `ConfigException`), with the values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigProblem {
    /// The named setting must be at least 1.
    AtLeastOne(&'static str),
    /// `delivery.timeout.ms` below `linger.ms + request.timeout.ms`.
    DeliveryTimeout {
        delivery_timeout_ms: Millis,
        linger_plus_request_timeout_ms: Millis,
    },
    /// `batch.size` above Kafka's int range.
    BatchSize {
        batch_size: u32,
    },
    TransactionalNeedsIdempotence,
    /// Idempotence (asked for, or needed by `transactional.id`) needs another setting changed.
    IdempotenceNeeds {
        transactional: bool,
        needs: IdempotenceNeed,
    },
    /// `transaction.timeout.ms` outside 1..=`transaction.max.timeout.ms` (900000).
    TransactionTimeout {
        transaction_timeout_ms: Millis,
    },
    /// `session.timeout.ms` outside the broker's group.min/max.session.timeout.ms.
    SessionTimeout,
    /// `heartbeat.interval.ms` zero or not below `session.timeout.ms`.
    HeartbeatInterval,
    EmptyGroupId,
}

/// What the idempotent producer needs (KIP-679: the conditions of `enable.idempotence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdempotenceNeed {
    AcksAll,
    Retries,
    MaxInFlightAtMost5,
}

impl IdempotenceNeed {
    /// The setting in the way.
    pub fn setting(self) -> &'static str {
        match self {
            IdempotenceNeed::AcksAll => "acks",
            IdempotenceNeed::Retries => "retries",
            IdempotenceNeed::MaxInFlightAtMost5 => "max.in.flight.requests.per.connection",
        }
    }
}

impl fmt::Display for IdempotenceNeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdempotenceNeed::AcksAll => "acks must be all",
            IdempotenceNeed::Retries => "retries must be greater than 0",
            IdempotenceNeed::MaxInFlightAtMost5 => {
                "max.in.flight.requests.per.connection must be at most 5"
            }
        })
    }
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ConfigProblem as C;
        match self {
            C::AtLeastOne(setting) => write!(f, "{setting} must be at least 1"),
            C::DeliveryTimeout {
                delivery_timeout_ms,
                linger_plus_request_timeout_ms,
            } => write!(
                f,
                "delivery.timeout.ms ({delivery_timeout_ms}) must be at least linger.ms + \
                 request.timeout.ms ({linger_plus_request_timeout_ms})"
            ),
            C::BatchSize { batch_size } => {
                write!(f, "batch.size must be 0..=2147483647, not {batch_size}")
            }
            C::TransactionalNeedsIdempotence => {
                f.write_str("transactional.id requires enable.idempotence")
            }
            C::IdempotenceNeeds {
                transactional: true,
                needs,
            } => write!(f, "transactional.id is set, so {needs}"),
            C::IdempotenceNeeds {
                transactional: false,
                needs,
            } => write!(f, "enable.idempotence is true, so {needs}"),
            C::TransactionTimeout {
                transaction_timeout_ms,
            } => write!(
                f,
                "transaction.timeout.ms must be 1..=900000 (transaction.max.timeout.ms), not \
                 {transaction_timeout_ms}"
            ),
            C::SessionTimeout => f.write_str(
                "session.timeout.ms must be 6000..=1800000 (the broker's \
                 group.min/max.session.timeout.ms)",
            ),
            C::HeartbeatInterval => {
                f.write_str("heartbeat.interval.ms must be at least 1 and below session.timeout.ms")
            }
            C::EmptyGroupId => f.write_str("group.id must not be empty"),
        }
    }
}
