//! [`Scenario::validate`]: every value checked, and a refusal that names the field and the
//! problem (the limits are in `scenario.rs`, the messages in `refusal.rs`).

use super::*;

impl Scenario {
    /// Checks every value; the error names the field and the problem.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let n = self.brokers.count;
        if !(1..=MAX_BROKERS).contains(&n) {
            return Err(invalid(
                "brokers.count",
                Problem::OutOfRange {
                    min: 1,
                    max: MAX_BROKERS.into(),
                    value: n.into(),
                },
            ));
        }
        let t = &self.topic;
        if !(1..=MAX_PARTITIONS).contains(&t.partitions) {
            return Err(invalid(
                "topic.partitions",
                Problem::OutOfRange {
                    min: 1,
                    max: MAX_PARTITIONS.into(),
                    value: t.partitions.into(),
                },
            ));
        }
        if t.replication_factor == 0 || t.replication_factor > n {
            return Err(invalid(
                "topic.replication.factor",
                Problem::ReplicationFactor {
                    brokers: n,
                    value: t.replication_factor,
                },
            ));
        }
        if t.min_insync_replicas == 0 {
            return Err(invalid("topic.min.insync.replicas", Problem::AtLeastOne));
        }
        if t.segment_ms == Some(0) {
            return Err(invalid("topic.segment.ms", Problem::AtLeastOne));
        }
        if t.segment_bytes
            .is_some_and(|b| b < crate::model::log::RECORD_BYTES)
        {
            return Err(invalid(
                "topic.segment.bytes",
                Problem::SegmentHoldsARecord {
                    record_bytes: crate::model::log::RECORD_BYTES,
                },
            ));
        }
        if t.retention_bytes.is_some_and(|b| b < -1) {
            return Err(invalid("topic.retention.bytes", Problem::RetentionBytes));
        }
        if let Some(a) = &t.assignment {
            if a.len() != t.partitions as usize {
                return Err(invalid(
                    "topic.assignment",
                    Problem::OneReplicaListPerPartition,
                ));
            }
            for (p, replicas) in a.iter().enumerate() {
                let field = format!("topic.assignment[{p}]");
                if replicas.len() != t.replication_factor as usize {
                    return Err(invalid(field, Problem::ReplicaListLength));
                }
                let mut seen = replicas.clone();
                seen.sort_unstable();
                seen.dedup();
                if seen.len() != replicas.len() || replicas.iter().any(|&b| b == 0 || b > n) {
                    return Err(invalid(field, Problem::DistinctBrokers { brokers: n }));
                }
            }
        }
        if self.duration_ms > MAX_DURATION_MS {
            return Err(invalid(
                "duration_ms",
                Problem::AtMost {
                    max: MAX_DURATION_MS,
                },
            ));
        }
        if self.network.latency_ms > 60_000 || self.network.jitter_ms > 60_000 {
            return Err(invalid("network", Problem::Latency { max_ms: 60_000 }));
        }
        if self.limits.max_trace_events > MAX_TRACE_EVENTS {
            return Err(invalid(
                "limits.max_trace_events",
                Problem::AtMost {
                    max: MAX_TRACE_EVENTS.into(),
                },
            ));
        }
        self.validate_clients()?;
        for (i, fault) in self.faults.iter().enumerate() {
            self.validate_fault(fault)
                .map_err(|p| invalid(format!("faults[{i}]"), p))?;
        }
        Ok(())
    }

    pub(super) fn validate_clients(&self) -> Result<(), ScenarioError> {
        if self.producers.len() > MAX_CLIENTS as usize
            || self.consumers.len() > MAX_CLIENTS as usize
        {
            return Err(invalid(
                "producers",
                Problem::TooManyClients { max: MAX_CLIENTS },
            ));
        }
        let mut total: u64 = 0;
        for (i, p) in self.producers.iter().enumerate() {
            p.config
                .resolve()
                .map_err(|e| invalid(format!("producers[{i}].config"), Problem::Config(e)))?;
            total += u64::from(p.workload.records);
            let s = &p.workload.schedule_ms;
            if !s.is_empty()
                && (s.len() != p.workload.records as usize || s.windows(2).any(|w| w[0] > w[1]))
            {
                return Err(invalid(
                    format!("producers[{i}].workload.schedule_ms"),
                    Problem::Schedule,
                ));
            }
            if let Some(part) = p.workload.partition {
                if part >= self.topic.partitions {
                    return Err(invalid(
                        format!("producers[{i}].workload.partition"),
                        Problem::NoSuchPartition {
                            partitions: self.topic.partitions,
                        },
                    ));
                }
            }
        }
        if total > u64::from(MAX_RECORDS) {
            return Err(invalid(
                "producers",
                Problem::TooManyRecords {
                    max: MAX_RECORDS,
                    total,
                },
            ));
        }
        for (i, c) in self.consumers.iter().enumerate() {
            c.config
                .resolve()
                .map_err(|e| invalid(format!("consumers[{i}].config"), Problem::Config(e)))?;
        }
        self.validate_pipelines()
    }

    /// The output topic, consumers' topics and consume-transform-produce applications.
    pub(super) fn validate_pipelines(&self) -> Result<(), ScenarioError> {
        if let Some(o) = &self.output_topic {
            if o.name == self.topic.name || o.name.is_empty() {
                return Err(invalid(
                    "output_topic.name",
                    Problem::OutputTopicName {
                        input: self.topic.name.clone(),
                    },
                ));
            }
            if o.partitions == 0 || self.total_partitions() > MAX_PARTITIONS {
                return Err(invalid(
                    "output_topic.partitions",
                    Problem::TopicsPartitions {
                        max: MAX_PARTITIONS,
                    },
                ));
            }
        }
        let mut linked = Vec::new();
        for (i, c) in self.consumers.iter().enumerate() {
            if let Some(t) = &c.topic {
                if self.topic_partitions(t).is_none() {
                    return Err(invalid(
                        format!("consumers[{i}].topic"),
                        Problem::NoSuchTopic { name: t.clone() },
                    ));
                }
            }
            let field = format!("consumers[{i}].app");
            match (c.app.commit, c.app.output_producer) {
                (CommitMode::Transaction, None) => {
                    return Err(invalid(
                        field,
                        Problem::Pipeline(PipelineProblem::NeedsOutputProducer),
                    ))
                }
                (CommitMode::Transaction, Some(p)) => {
                    let NodeId::Producer(n) = p else {
                        return Err(invalid(
                            field,
                            Problem::Pipeline(PipelineProblem::NotAProducer),
                        ));
                    };
                    let Some(spec) = self.producers.get(n as usize - 1) else {
                        return Err(invalid(field, Problem::NoSuchNode(p)));
                    };
                    if self.output_topic.is_none() {
                        return Err(invalid(
                            field,
                            Problem::Pipeline(PipelineProblem::NeedsOutputTopic),
                        ));
                    }
                    if c.topic.as_deref().is_some_and(|t| t != self.topic.name) {
                        return Err(invalid(
                            field,
                            Problem::Pipeline(PipelineProblem::ReadsInputTopic),
                        ));
                    }
                    if spec.config.transactional_id.is_none() {
                        return Err(invalid(
                            field,
                            Problem::Pipeline(PipelineProblem::NeedsTransactionalId(p)),
                        ));
                    }
                    if spec.workload.records != 0 {
                        return Err(invalid(
                            field,
                            Problem::Pipeline(PipelineProblem::ProducerSendsOwnRecords(p)),
                        ));
                    }
                    if linked.contains(&p) {
                        return Err(invalid(
                            field,
                            Problem::Pipeline(PipelineProblem::ProducerTaken(p)),
                        ));
                    }
                    if c.app.processing != Processing::Sync {
                        return Err(invalid(
                            field,
                            Problem::Pipeline(PipelineProblem::SyncProcessing),
                        ));
                    }
                    if c.config.enable_auto_commit != Some(false) {
                        return Err(invalid(
                            format!("consumers[{i}].config"),
                            Problem::Pipeline(PipelineProblem::NoAutoCommit),
                        ));
                    }
                    linked.push(p);
                }
                (_, Some(_)) => {
                    return Err(invalid(
                        field,
                        Problem::Pipeline(PipelineProblem::OutputProducerNeedsTransactionCommit),
                    ))
                }
                (_, None) => {}
            }
        }
        Ok(())
    }

    pub(super) fn node_exists(&self, node: NodeId) -> bool {
        match node {
            NodeId::Broker(b) => b >= 1 && b <= self.brokers.count,
            NodeId::Producer(p) => p >= 1 && p as usize <= self.producers.len(),
            NodeId::Consumer(c) => c >= 1 && c as usize <= self.consumers.len(),
            NodeId::Controller => true,
        }
    }

    pub(super) fn validate_fault(&self, fault: &Fault) -> Result<(), Problem> {
        match (&fault.at_ms, &fault.on) {
            (Some(_), Some(_)) => return Err(Problem::AtAndOn),
            (None, None) => return Err(Problem::NoTime),
            _ => {}
        }
        let check = |node: NodeId| {
            if self.node_exists(node) {
                Ok(())
            } else {
                Err(Problem::NoSuchNode(node))
            }
        };
        match &fault.action {
            Command::Crash { node, .. }
            | Command::Restart { node }
            | Command::Pause { node }
            | Command::Resume { node } => {
                if *node == NodeId::Controller {
                    return Err(Problem::ControllerCannotCrash);
                }
                check(*node)?
            }
            Command::Close { node } => {
                if !matches!(node, NodeId::Consumer(_)) {
                    return Err(Problem::CloseNeedsConsumer);
                }
                check(*node)?
            }
            Command::Partition { a, b } | Command::Heal { a, b } => {
                check(*a)?;
                check(*b)?;
                if a == b {
                    return Err(Problem::LinkToItself);
                }
            }
            Command::Drop(MessageSelector::CommitFrom(n)) => check(*n)?,
            Command::Drop(_) | Command::SetTopicConfig(_) => {}
        }
        match &fault.on {
            Some(Trigger::Polled { consumer, .. })
            | Some(Trigger::Processed { consumer, .. })
            | Some(Trigger::Committed { consumer, .. }) => check(*consumer)?,
            Some(Trigger::Replicated {
                broker: Some(b), ..
            }) => check(*b)?,
            _ => {}
        }
        Ok(())
    }
}
