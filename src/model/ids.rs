//! Names of things: nodes, records, messages, partitions, offsets.
//!
//! Node numbers are 1-based, as people say them ("B1", "C2"); partitions and offsets are 0-based,
//! as Kafka numbers them. No `usize` here: these values are seeded and serialised, and wasm32 is
//! 32-bit.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A node on the stage. Serialised as its name ("P1", "B2", "C1", "controller").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeId {
    Producer(u32),
    Broker(u32),
    Consumer(u32),
    /// The KRaft controller, modelled as one reliable oracle (spec §1.1): it holds partition
    /// metadata, fences silent brokers and runs elections.
    Controller,
}

impl NodeId {
    /// The broker number, if this is a broker.
    pub fn broker(self) -> Option<u32> {
        match self {
            NodeId::Broker(b) => Some(b),
            _ => None,
        }
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeId::Producer(n) => write!(f, "P{n}"),
            NodeId::Broker(n) => write!(f, "B{n}"),
            NodeId::Consumer(n) => write!(f, "C{n}"),
            NodeId::Controller => write!(f, "controller"),
        }
    }
}

impl FromStr for NodeId {
    type Err = String;

    /// Parses "P1", "B2", "C1" or "controller".
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "controller" {
            return Ok(NodeId::Controller);
        }
        let bad = || format!("\"{s}\" is not a node name (expected P1, B1, C1 or controller)");
        let (kind, number) = s.split_at_checked(1).ok_or_else(bad)?;
        let n: u32 = number.parse().map_err(|_| bad())?;
        if n == 0 {
            return Err(bad());
        }
        match kind {
            "P" => Ok(NodeId::Producer(n)),
            "B" => Ok(NodeId::Broker(n)),
            "C" => Ok(NodeId::Consumer(n)),
            _ => Err(bad()),
        }
    }
}

impl Serialize for NodeId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for NodeId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Identifies one message on the network for its whole flight.
pub type MessageId = u64;

/// Identifies one record the application asked to send, from `send()` to processing: the ledger's
/// row key, and the label the eye follows on the stage (`m1`, `m2`, …). A record the application
/// sends again keeps its id: it is the same value, so two copies in the log are a duplicate.
pub type RecordId = u32;

/// A partition of the scenario's topic, 0-based as Kafka numbers them.
pub type PartitionId = u32;

/// A position in a partition's log.
pub type Offset = u64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_names_round_trip() {
        for n in [
            NodeId::Producer(1),
            NodeId::Broker(3),
            NodeId::Consumer(2),
            NodeId::Controller,
        ] {
            assert_eq!(n.to_string().parse::<NodeId>(), Ok(n));
        }
        assert!("B0".parse::<NodeId>().is_err());
        assert!("X1".parse::<NodeId>().is_err());
        assert!("".parse::<NodeId>().is_err());
    }
}
