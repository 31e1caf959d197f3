//! The sequence diagram's words and looks: its message catalogue, the stage's palette written out
//! (www/style.css, light theme), each message kind's line, each mark's words, the legend's items,
//! and XML escaping. [`super::seqdiag_svg`] puts them on the page.

use super::i18n::{tr, trf, Lang, Text};
use super::seqdiag::{Arrow, Diagram, Fate, SeqMark};
use crate::catalogue;
use crate::model::commands::CrashMode;
use crate::model::{MessageKind, NodeId};

catalogue! {
    /// The sequence diagram's words.
    pub enum SeqText {
    Title => "Sequence diagram: {0}", "Диаграмма последовательности: {0}";
    Subtitle => "From t = 0 to t = {0} ms, {1} messages. Time flows down; each row is an event, so idle time takes no room.", "От t = 0 до t = {0} мс, сообщений: {1}. Время идёт сверху вниз; каждая строка — событие, поэтому простой места не занимает.";
    Nothing => "Nothing has happened yet at t = {0} ms.", "На t = {0} мс ещё ничего не произошло.";
    Ms => "{0} ms", "{0} мс";
    Later => "{0} ms later", "через {0} мс";
    Controller => "controller", "контроллер";
    LeftOut => "The diagram stops here, at t = {0} ms: {1} later events up to t = {2} ms are left out (the trace export in JSON has them all).", "Диаграмма обрывается здесь, на t = {0} мс: ещё {1} событий до t = {2} мс не показаны (в экспорте трассы в JSON есть все).";
    ArrowTitle => "{0} → {1}: {2}, sent at {3} ms; {4}", "{0} → {1}: {2}, отправлено в {3} мс; {4}";
    Delivered => "arrived at {0} ms", "доставлено в {0} мс";
    LostLinkCut => "lost at {0} ms: the link is cut", "потеряно в {0} мс: связь разорвана";
    LostNodeDown => "lost at {0} ms: the receiver is down", "потеряно в {0} мс: получатель недоступен";
    LostCommand => "lost at {0} ms on purpose (a fault)", "потеряно в {0} мс намеренно (сбой)";
    InFlight => "still on its way at {0} ms (due at {1} ms)", "ещё в пути на {0} мс (прибудет в {1} мс)";
    MarkPowerLoss => "power loss", "отключение питания";
    MarkPause => "GC pause: frozen", "пауза GC: замер";
    MarkWake => "wakes up", "очнулся";
    MarkLeader => "leader of p{0}, epoch {1}", "лидер p{0}, эпоха {1}";
    MarkUnclean => "UNCLEAN leader of p{0}, epoch {1}", "НЕЧИСТЫЙ лидер p{0}, эпоха {1}";
    MarkOffline => "p{0} offline: no leader", "p{0} без лидера";
    MarkFenced => "fenced by the controller", "отстранён контроллером";
    MarkUnfenced => "back in the cluster", "снова в кластере";
    MarkTruncated => "log of p{0} cut to offset {1}: {2} record(s) removed", "лог p{0} обрезан до смещения {1}: удалено записей — {2}";
    MarkLinkCut => "link to {0} cut", "связь с {0} разорвана";
    MarkLinkHealed => "link to {0} back", "связь с {0} восстановлена";
    LegendOffsetFetch => "offset lookup (OffsetFetch, ListOffsets, OffsetsForLeaderEpoch) and its answer", "запрос смещения (OffsetFetch, ListOffsets, OffsetsForLeaderEpoch) и ответ";
    LegendGroup => "consumer group request (JoinGroup, SyncGroup, Heartbeat, LeaveGroup)", "запрос группы консьюмеров (JoinGroup, SyncGroup, Heartbeat, LeaveGroup)";
    LegendGroupResponse => "answer to a group request", "ответ на запрос группы";
    LegendTxn => "transaction request (InitProducerId, AddPartitionsToTxn, EndTxn, WriteTxnMarkers)", "запрос транзакции (InitProducerId, AddPartitionsToTxn, EndTxn, WriteTxnMarkers)";
    LegendTxnResponse => "answer to a transaction request", "ответ на запрос транзакции";
    LegendError => "an answer carrying an error", "ответ с ошибкой";
    LegendLost => "a message lost on the network", "сообщение, потерянное в сети";
    LegendInFlight => "still on its way where the diagram ends", "ещё в пути там, где диаграмма кончается";
    LegendDown => "the node is down (from its crash to its restart)", "узел недоступен (от падения до перезапуска)";
    LegendPaused => "the node is frozen (GC pause)", "узел замер (пауза GC)";
    }
}

// The stage's palette (www/style.css, light theme), written out so the file stands alone.
pub(crate) const BG: &str = "#fbfaf7";
pub(crate) const FG: &str = "#1d1d1f";
pub(crate) const MUTED: &str = "#5f6368";
pub(crate) const BORDER: &str = "#d0d4da";
pub(crate) const DANGER: &str = "#b3261e";
pub(crate) const OK: &str = "#00734d";
pub(crate) const ACCENT: &str = "#0072b2";
pub(crate) const FONT: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/// A message kind's line: colour, dash pattern and width (requests for data are dashed and group
/// requests dotted, as their shapes are on the stage).
pub(crate) fn line_style(kind: MessageKind) -> (&'static str, Option<&'static str>, f64) {
    use MessageKind as K;
    match kind {
        K::Record => ("#0072b2", None, 1.6),
        K::Ack => ("#009e73", None, 1.6),
        K::ReplicaFetch => ("#cc79a7", Some("5 3"), 1.3),
        K::ReplicaFetchResponse => ("#cc79a7", None, 1.6),
        K::Fetch => ("#e69f00", Some("5 3"), 1.3),
        K::FetchResponse => ("#e69f00", None, 1.6),
        K::OffsetCommit => ("#d55e00", None, 2.2),
        K::OffsetCommitResponse => ("#d55e00", None, 1.3),
        K::OffsetFetch => ("#d55e00", Some("5 3"), 1.3),
        K::OffsetFetchResponse => ("#d55e00", None, 1.3),
        K::GroupRequest => (MUTED, Some("1.5 2.5"), 1.4),
        K::GroupResponse => (MUTED, None, 1.2),
        K::Txn => ("#d55e00", Some("8 2 2 2"), 2.0),
        K::TxnResponse => ("#d55e00", Some("8 2 2 2"), 1.2),
    }
}

/// What a message kind is, in words (the legend's).
pub(crate) fn kind_text(lang: Lang, kind: MessageKind) -> &'static str {
    use MessageKind as K;
    match kind {
        K::Record => tr(lang, Text::LegendRecord),
        K::Ack => tr(lang, Text::LegendAck),
        K::ReplicaFetch => tr(lang, Text::LegendReplicaFetch),
        K::ReplicaFetchResponse => tr(lang, Text::LegendReplicaData),
        K::Fetch => tr(lang, Text::LegendFetch),
        K::FetchResponse => tr(lang, Text::LegendFetchData),
        K::OffsetCommit | K::OffsetCommitResponse => tr(lang, Text::LegendCommit),
        K::OffsetFetch | K::OffsetFetchResponse => tr(lang, SeqText::LegendOffsetFetch),
        K::GroupRequest => tr(lang, SeqText::LegendGroup),
        K::GroupResponse => tr(lang, SeqText::LegendGroupResponse),
        K::Txn => tr(lang, SeqText::LegendTxn),
        K::TxnResponse => tr(lang, SeqText::LegendTxnResponse),
    }
}

/// The legend's order of kinds.
const KINDS: [MessageKind; 14] = [
    MessageKind::Record,
    MessageKind::Ack,
    MessageKind::ReplicaFetch,
    MessageKind::ReplicaFetchResponse,
    MessageKind::Fetch,
    MessageKind::FetchResponse,
    MessageKind::OffsetCommit,
    MessageKind::OffsetCommitResponse,
    MessageKind::OffsetFetch,
    MessageKind::OffsetFetchResponse,
    MessageKind::GroupRequest,
    MessageKind::GroupResponse,
    MessageKind::Txn,
    MessageKind::TxnResponse,
];

/// Text made safe for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate: one decimal at most, the same on every platform.
pub(crate) fn n(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

pub(crate) fn node_name(lang: Lang, node: NodeId) -> String {
    match node {
        NodeId::Controller => tr(lang, SeqText::Controller).to_string(),
        other => other.to_string(),
    }
}

/// The legend's lines: a sample of each look the diagram uses, then its words.
pub(crate) fn legend_items(d: &Diagram, lang: Lang) -> Vec<Sample> {
    let mut out: Vec<Sample> = Vec::new();
    for kind in KINDS {
        if !d.arrows.iter().any(|a| a.kind == kind && !a.error) {
            continue;
        }
        let text = kind_text(lang, kind).to_string();
        if !out.iter().any(|s| s.text == text) {
            out.push(Sample {
                look: Look::Line(line_style(kind)),
                text,
            });
        }
    }
    let any = |f: &dyn Fn(&Arrow) -> bool| d.arrows.iter().any(f);
    if any(&|a| a.error) {
        out.push(Sample {
            look: Look::Line((DANGER, None, 1.6)),
            text: tr(lang, SeqText::LegendError).to_string(),
        });
    }
    if any(&|a| matches!(a.fate, Fate::Dropped(_))) {
        out.push(Sample {
            look: Look::Cross,
            text: tr(lang, SeqText::LegendLost).to_string(),
        });
    }
    if any(&|a| a.fate == Fate::InFlight) {
        out.push(Sample {
            look: Look::Faded,
            text: tr(lang, SeqText::LegendInFlight).to_string(),
        });
    }
    let spans = d.spans();
    for (paused, text) in [(false, SeqText::LegendDown), (true, SeqText::LegendPaused)] {
        if spans.iter().any(|s| s.paused == paused) {
            out.push(Sample {
                look: Look::Span(paused),
                text: tr(lang, text).to_string(),
            });
        }
    }
    out
}

pub(crate) enum Look {
    Line((&'static str, Option<&'static str>, f64)),
    Cross,
    Faded,
    Span(bool),
}

pub(crate) struct Sample {
    pub look: Look,
    pub text: String,
}

/// A mark's words, colour and class.
pub(crate) fn mark_text(lang: Lang, mark: SeqMark) -> (String, &'static str, &'static str) {
    let s = |t| tr(lang, t).to_string();
    match mark {
        SeqMark::Crash(CrashMode::Process) => (s(Text::MarkCrash), DANGER, "sd-crash"),
        SeqMark::Crash(CrashMode::PowerLoss) => (
            tr(lang, SeqText::MarkPowerLoss).to_string(),
            DANGER,
            "sd-crash",
        ),
        SeqMark::Restart => (s(Text::MarkRestart), OK, "sd-restart"),
        SeqMark::Pause => (tr(lang, SeqText::MarkPause).to_string(), MUTED, "sd-pause"),
        SeqMark::Wake => (tr(lang, SeqText::MarkWake).to_string(), OK, "sd-wake"),
        SeqMark::Leader {
            partition,
            leader_epoch,
            unclean,
        } => {
            let (text, colour) = if unclean {
                (SeqText::MarkUnclean, DANGER)
            } else {
                (SeqText::MarkLeader, ACCENT)
            };
            let args = [partition.to_string(), leader_epoch.to_string()];
            (
                trf(lang, text, &[&args[0], &args[1]]),
                colour,
                "sd-election",
            )
        }
        SeqMark::Offline { partition } => (
            trf(lang, SeqText::MarkOffline, &[&partition.to_string()]),
            DANGER,
            "sd-election",
        ),
        SeqMark::Fenced => (
            tr(lang, SeqText::MarkFenced).to_string(),
            MUTED,
            "sd-fenced",
        ),
        SeqMark::Unfenced => (tr(lang, SeqText::MarkUnfenced).to_string(), OK, "sd-fenced"),
        SeqMark::Truncated {
            partition,
            log_end_offset,
            removed,
        } => (
            trf(
                lang,
                SeqText::MarkTruncated,
                &[
                    &partition.to_string(),
                    &log_end_offset.to_string(),
                    &removed.to_string(),
                ],
            ),
            DANGER,
            "sd-truncated",
        ),
        SeqMark::LinkCut(other) => (
            trf(lang, SeqText::MarkLinkCut, &[&node_name(lang, other)]),
            DANGER,
            "sd-link",
        ),
        SeqMark::LinkHealed(other) => (
            trf(lang, SeqText::MarkLinkHealed, &[&node_name(lang, other)]),
            OK,
            "sd-link",
        ),
    }
}
