//! The explanation panel's sentences: each event of the story in plain words, and, where a record
//! was lost or duplicated, why.
//!
//! Pure: the sentences come from the trace up to the cursor and the message catalogue. The "why"
//! sentences need what happened earlier (which offset a record was acknowledged at, how often it
//! was processed), so the whole prefix is folded, and only the last lines are kept.

use super::i18n::{trf, Lang};
use crate::catalogue;
use crate::model::commands::CrashMode;
use crate::model::group::{GroupPhase, RemoveReason};
use crate::model::trace::{PositionSource, TruncateReason, TxnState, Validation};
use crate::model::{
    ErrorCode, EventKind, Millis, NodeId, Offset, PartitionId, RecordId, TraceEvent,
};
use std::collections::BTreeMap;

catalogue! {
    /// Sentences of the explanation panel.
    pub enum ExplainText {
    Title => "What just happened", "Что сейчас произошло";
    SegmentsDeleted => "{0} deleted {1} record(s) of p{2} past retention: the log now starts at offset {3}, and a consumer behind it gets OFFSET_OUT_OF_RANGE.", "{0} удалил записи p{2} с истёкшим сроком хранения ({1}): лог теперь начинается со смещения {3}, и отставший консьюмер получит OFFSET_OUT_OF_RANGE.";
    TxnOffsetsPending => "{0} holds group {1}'s offsets {2} pending in the transaction of pid {3}: nobody sees them until the transaction is decided.", "{0} держит смещения группы {1} ({2}) в ожидании внутри транзакции pid {3}: их никто не увидит, пока транзакция не решена.";
    TxnOffsetsCommitted => "The COMMIT marker reached __consumer_offsets: group {0}'s offsets from the transaction of pid {1} are committed, together with its output.", "Маркер COMMIT дошёл до __consumer_offsets: смещения группы {0} из транзакции pid {1} зафиксированы вместе с её результатом.";
    TxnOffsetsDropped => "The ABORT marker reached __consumer_offsets: group {0}'s offsets from the transaction of pid {1} are dropped, so the input will be processed again.", "Маркер ABORT дошёл до __consumer_offsets: смещения группы {0} из транзакции pid {1} отброшены, и входные записи будут обработаны снова.";
    Nothing => "Press play, or step forward with →.", "Нажмите «Пуск» или сделайте шаг вперёд клавишей →.";
    Crashed => "{0} crashed. Its memory is gone; a broker keeps its log (the page cache survives a process crash).", "{0} упал. Его память потеряна; брокер сохраняет лог (страничный кэш переживает падение процесса).";
    PowerLost => "{0} lost power: what the OS had not flushed to disk is gone from its log.", "{0} лишился питания: всё, что ОС не успела сбросить на диск, пропало из его лога.";
    Restarted => "{0} restarted.", "{0} перезапущен.";
    Paused => "{0} froze (a long GC pause): it keeps its state but hears, answers and sends nothing, not even heartbeats. Everyone else goes on without it.", "{0} замер (долгая пауза GC): он сохраняет состояние, но ничего не слышит, не отвечает и не отправляет, даже heartbeat. Остальные продолжают без него.";
    Resumed => "{0} woke up and handles, all at once, the {1} message(s) and timer(s) that waited for it, with a view of the world that may be out of date: a zombie, if others took over its work meanwhile.", "{0} очнулся и разом обрабатывает ожидавшие его сообщения и таймеры ({1}), глядя на мир, который мог устареть: если его работу тем временем забрали другие, он зомби.";
    Fenced => "The controller fenced {0}: no heartbeat for broker.session.timeout.ms. Its partitions move to other replicas.", "Контроллер отстранил {0}: нет heartbeat дольше broker.session.timeout.ms. Его партиции переходят к другим репликам.";
    Unfenced => "The controller accepted {0} back.", "Контроллер снова принял {0}.";
    Elected => "{0} became leader of {1} (leader epoch {2}): the first live in-sync replica in assignment order.", "{0} стал лидером {1} (эпоха {2}): первая живая синхронная реплика в порядке назначения.";
    ElectedUnclean => "{0} became leader of {1} in an UNCLEAN election (epoch {2}): it was out of sync, so records only the old leader had are gone.", "{0} стал лидером {1} в НЕЧИСТЫХ выборах (эпоха {2}): он отставал, поэтому записи, которые были только у старого лидера, пропали.";
    Offline => "{0} has no leader: no in-sync replica is alive. Writes and reads stop.", "У {0} нет лидера: ни одна синхронная реплика не жива. Запись и чтение остановлены.";
    Isr => "The in-sync replicas of {0} are now {1}.", "Синхронные реплики {0} теперь: {1}.";
    TruncatedEpoch => "{0} rejoined {1} as a follower and cut its log back to offset {2}: the leader never had those {3} record(s) (leader epochs, KIP-101).", "{0} вернулся в {1} ведомым и обрезал лог до смещения {2}: у лидера этих записей ({3}) не было (эпохи лидера, KIP-101).";
    TruncatedPower => "{0} lost {3} unflushed record(s) of {1}; its log now ends at offset {2}.", "{0} потерял несброшенные записи {1} ({3}); его лог теперь кончается на смещении {2}.";
    LostAfterAck => "m{0} is lost: the producer was told it was stored at offset {1}, but no surviving copy has it.", "m{0} потеряна: продюсеру сказали, что она записана по смещению {1}, но ни в одной уцелевшей копии её нет.";
    Appended => "{0}, leader of p{1}, appended m{2} at offset {3}.", "{0}, лидер p{1}, записал m{2} по смещению {3}.";
    Acked => "{0} was told m{1} is stored at offset {2}.", "{0} получил ответ: m{1} записана по смещению {2}.";
    AckedNoOffset => "{0} counts m{1} as sent: with acks=0 nobody confirms it.", "{0} считает m{1} отправленной: при acks=0 никто этого не подтверждает.";
    SendFailed => "{0} was told m{1} failed ({2}).", "{0} получил ошибку для m{1} ({2}).";
    Retrying => "{0} sends m{1} again (attempt {2}) after {3}.", "{0} снова отправляет m{1} (попытка {2}) после {3}.";
    RetryingBatch => "{0} sends the whole batch {1} ({2} records) again (attempt {3}) after {4}: the same records with the same sequence numbers, so a broker that already has them answers with their original offsets.", "{0} снова отправляет весь пакет {1} (записей: {2}; попытка {3}) после {4}: те же записи с теми же номерами последовательности, так что брокер, у которого они уже есть, ответит их прежними смещениями.";
    BatchSent => "{0} sends one batch of {1} records ({2}) to {3} for p{4}: they waited together in the accumulator (linger.ms, or no free request slot) up to batch.size. A batch is appended, retried and failed as a whole.", "{0} отправляет {3} один пакет из {1} записей ({2}) для p{4}: они ждали вместе в аккумуляторе (linger.ms или нет свободного слота для запроса), пока пакет не заполнился до batch.size. Пакет дописывается, повторяется и отклоняется целиком.";
    BatchSentSequenced => "{0} sends one batch of {1} records ({2}) to {3} for p{4} with sequence numbers {5}..{6}: the broker deduplicates the batch as a unit, by its first and last sequence.", "{0} отправляет {3} один пакет из {1} записей ({2}) для p{4} с номерами последовательности {5}..{6}: брокер распознаёт повтор пакета целиком, по его первому и последнему номеру.";
    Polled => "{0} polled m{1} from p{2} offset {3}.", "{0} получил m{1} из p{2}, смещение {3}.";
    Processed => "{0} processed m{1}.", "{0} обработал m{1}.";
    ProcessedAgain => "{0} processed m{1} AGAIN ({2} times): it resumed from a committed offset behind what it had already processed.", "{0} обработал m{1} ПОВТОРНО ({2} раза): он продолжил с зафиксированного смещения, отстававшего от уже обработанного.";
    Committed => "The group committed offset {1} on p{2} for {0}: a restart resumes there.", "Группа зафиксировала смещение {1} в p{2} для {0}: после перезапуска чтение продолжится отсюда.";
    ResumeCommitted => "{0} resumes p{1} at the committed offset {2}.", "{0} продолжает p{1} с зафиксированного смещения {2}.";
    ResumeEarliest => "{0} starts p{1} at offset {2} (auto.offset.reset=earliest).", "{0} начинает p{1} со смещения {2} (auto.offset.reset=earliest).";
    ResumeLatest => "{0} starts p{1} at offset {2} (auto.offset.reset=latest: older records are skipped).", "{0} начинает p{1} со смещения {2} (auto.offset.reset=latest: старые записи пропускаются).";
    Closed => "{0} called close().", "{0} вызвал close().";
    ValidatedOk => "{0} checked its position {2} on p{1} with the new leader {3} (OffsetsForLeaderEpoch, KIP-320): epoch {4} reaches offset {5} in the leader's log, so nothing it read was truncated. It fetches on.", "{0} сверил свою позицию {2} в p{1} с новым лидером {3} (OffsetsForLeaderEpoch, KIP-320): в логе лидера эпоха {4} доходит до смещения {5}, значит ничего из прочитанного не обрезано. Чтение продолжается.";
    ValidatedSeek => "{0} checked its position {2} on p{1} with the new leader {3} (OffsetsForLeaderEpoch, KIP-320): epoch {4} ends at offset {5} in the leader's log, below the position. Records it read are gone (truncation detected), so it seeks back to {5} and will read the records that now reuse those offsets.", "{0} сверил свою позицию {2} в p{1} с новым лидером {3} (OffsetsForLeaderEpoch, KIP-320): в логе лидера эпоха {4} кончается на смещении {5}, ниже позиции. Прочитанных им записей больше нет (обнаружено усечение лога), поэтому он возвращается к смещению {5} и прочтёт записи, которые теперь занимают те же смещения.";
    ValidatedReset => "{0} checked its position {2} on p{1} with the new leader {3} (OffsetsForLeaderEpoch, KIP-320): the leader does not know epoch {4}, so there is no point where the logs diverge. Truncation detected: auto.offset.reset applies.", "{0} сверил свою позицию {2} в p{1} с новым лидером {3} (OffsetsForLeaderEpoch, KIP-320): лидер не знает эпоху {4}, так что точки расхождения логов нет. Обнаружено усечение лога: применяется auto.offset.reset.";
    ValidatedStop => "{0} checked its position {2} on p{1} with the new leader {3} (OffsetsForLeaderEpoch, KIP-320) and found the log truncated below it. With auto.offset.reset=none, poll() throws LogTruncationException: it stops reading p{1} until the application seeks.", "{0} сверил свою позицию {2} в p{1} с новым лидером {3} (OffsetsForLeaderEpoch, KIP-320) и обнаружил, что лог обрезан ниже неё. При auto.offset.reset=none poll() бросает LogTruncationException: чтение p{1} остановлено, пока приложение не переставит позицию.";
    LinkCut => "The link between {0} and {1} is cut.", "Связь между {0} и {1} разорвана.";
    LinkHealed => "The link between {0} and {1} is back.", "Связь между {0} и {1} восстановлена.";
    Dropped => "Message #{0} was lost on the network.", "Сообщение #{0} потерялось в сети.";
    ProducerId => "{0} got producer id {1}, epoch {2}: idempotence deduplicates only within this session.", "{0} получил producer id {1}, эпоха {2}: идемпотентность убирает дубликаты только в этом сеансе.";
    EpochBumped => "{0} bumped its producer epoch to {1} and restarted its sequence numbers.", "{0} увеличил эпоху продюсера до {1} и начал номера последовательности заново.";
    Invariant => "Invariant broken on {0}, {1}: {2}.", "Нарушен инвариант на {0}, {1}: {2}.";
    ProcessedByAnother => "{0} processed m{1} AGAIN ({2} times in group {3}): another member had processed it but not committed before the rebalance moved its partition.", "{0} обработал m{1} ПОВТОРНО ({2} раза в группе {3}): другой участник уже обработал её, но не зафиксировал смещение до того, как ребалансировка передала партицию.";
    GroupPreparing => "Group {0} is rebalancing: every member must rejoin (JoinGroup) before the new assignment is given out (eager members stop reading meanwhile; cooperative ones keep their partitions).", "Группа {0} начала ребалансировку: каждый участник должен заново вступить (JoinGroup), прежде чем будет выдано новое распределение (при жадном протоколе участники тем временем не читают, при кооперативном сохраняют свои партиции).";
    GroupCompleting => "Group {0} has all its members back: generation {1} begins, and each member asks for its partitions (SyncGroup).", "Все участники группы {0} на месте: начинается поколение {1}, и каждый запрашивает свои партиции (SyncGroup).";
    GroupStable => "Group {0} is stable in generation {1}: each partition has exactly one owner in the group.", "Группа {0} стабильна в поколении {1}: у каждой партиции ровно один владелец в группе.";
    GroupEmpty => "Group {0} has no members left.", "В группе {0} не осталось участников.";
    Assigned => "{0} owns {1} in group {2}, generation {3}; it starts each at the group's committed offset.", "{0} владеет {1} в группе {2}, поколение {3}; чтение каждой начинается с зафиксированного смещения группы.";
    AssignedNothing => "{0} is a member of group {1} in generation {2} but owns no partition: there are more members than partitions.", "{0} — участник группы {1} в поколении {2}, но не владеет ни одной партицией: участников больше, чем партиций.";
    Revoked => "{0} gives up {1} before rejoining (eager rebalance).", "{0} отдаёт {1} перед повторным вступлением (жадная ребалансировка).";
    RevokedKeeping => "{0} gives up {1}, which the new assignment moves to another member, and goes on reading {2} (cooperative rebalance); it rejoins at once so that a second rebalance hands {1} to its new owner.", "{0} отдаёт {1}: новое распределение передаёт их другому участнику, а {2} он продолжает читать (кооперативная ребалансировка); он сразу вступает снова, чтобы вторая ребалансировка передала {1} новому владельцу.";
    RevokedAllCooperative => "{0} gives up {1}, which the new assignment moves to another member (cooperative rebalance); it rejoins at once so that a second rebalance hands {1} to its new owner.", "{0} отдаёт {1}: новое распределение передаёт их другому участнику (кооперативная ребалансировка); он сразу вступает снова, чтобы вторая ребалансировка передала {1} новому владельцу.";
    AssignedCooperative => "{0} owns {1} in group {2}, generation {3} (cooperative rebalance): it starts {4} at the group's committed offset and goes on reading the others from where it was.", "{0} владеет {1} в группе {2}, поколение {3} (кооперативная ребалансировка): {4} он начинает с зафиксированного смещения группы, а остальные продолжает читать с того же места.";
    NothingYetCooperative => "{0} is a member of group {1} in generation {2} but owns no partition yet (cooperative rebalance): a partition moving to it is handed over in a second rebalance, once its owner has given it up (or there are more members than partitions).", "{0} — участник группы {1} в поколении {2}, но пока не владеет ни одной партицией (кооперативная ребалансировка): партиция, которая переходит к нему, передаётся во второй ребалансировке, когда прежний владелец её отдаст (или участников больше, чем партиций).";
    KeptCooperative => "{0} keeps {1} in group {2}, generation {3} (cooperative rebalance): it never stopped reading them.", "{0} сохраняет {1} в группе {2}, поколение {3} (кооперативная ребалансировка): он не прекращал их читать.";
    MemberLeft => "{0} left group {1} (LeaveGroup): the others rebalance at once.", "{0} покинул группу {1} (LeaveGroup): остальные сразу начинают ребалансировку.";
    MemberExpired => "The coordinator heard no heartbeat from {0} for session.timeout.ms and removed it from group {1}: its partitions were idle until now.", "Координатор не получал heartbeat от {0} дольше session.timeout.ms и исключил его из группы {1}: его партиции до сих пор простаивали.";
    MemberTooSlow => "{0} did not rejoin group {1} within the rebalance timeout and was removed.", "{0} не вступил заново в группу {1} за время ребалансировки и был исключён.";
    PollExceeded => "{0} did not call poll() within max.poll.interval.ms: its heartbeat thread leaves the group, while the application goes on processing (a zombie).", "{0} не вызвал poll() за max.poll.interval.ms: его поток heartbeat покидает группу, а приложение продолжает обработку (зомби).";
    CommitRejected => "The coordinator refused {0}'s commit ({1}, generation {2}): CommitFailedException. Kafka fences the zombie's commit, not the processing it already did.", "Координатор отклонил фиксацию {0} ({1}, поколение {2}): CommitFailedException. Kafka блокирует фиксацию зомби, но не уже сделанную им обработку.";
    CommitWaitsRebalance => "The coordinator refused {0}'s commit (REBALANCE_IN_PROGRESS, generation {1}): the group is between JoinGroup and SyncGroup. The commit is tried again once the group is stable.", "Координатор отклонил фиксацию {0} (REBALANCE_IN_PROGRESS, поколение {1}): группа между JoinGroup и SyncGroup. Фиксация будет повторена, когда группа станет стабильной.";
    OffsetsLog => "{0} appended {1}/p{2}={3} to __consumer_offsets-{4} at offset {5}; the commit counts once the followers have copied it.", "{0} дописал {1}/p{2}={3} в __consumer_offsets-{4} по смещению {5}; коммит состоится, когда его скопируют ведомые.";
    CoordinatorLoaded => "{0} leads __consumer_offsets-{1} now, so it is group {2}'s coordinator: it loaded the committed offsets from its own copy of that log ({3}).", "{0} теперь лидер __consumer_offsets-{1}, а значит координатор группы {2}: он загрузил зафиксированные смещения из своей копии этого лога ({3}).";
    NoOffsets => "none", "нет";
    TxnBegan => "{0} began a transaction (producer id {1}, epoch {2}); nothing is sent to the cluster yet.", "{0} начал транзакцию (producer id {1}, эпоха {2}); в кластер пока ничего не отправлено.";
    TxnEmpty => "The transaction coordinator on {0} registered producer id {1} with epoch {2}: any older incarnation of this transactional.id is now fenced.", "Координатор транзакций на {0} зарегистрировал producer id {1} с эпохой {2}: все прежние экземпляры этого transactional.id теперь отстранены.";
    TxnOngoing => "{0} logged in __transaction_state: the transaction of producer id {1} is ongoing with {2} (AddPartitionsToTxn).", "{0} записал в __transaction_state: транзакция producer id {1} идёт, партиции: {2} (AddPartitionsToTxn).";
    TxnPrepareCommit => "{0} logged PrepareCommit for producer id {1}: this is the commit point. Markers go to {2} next.", "{0} записал PrepareCommit для producer id {1}: это точка фиксации. Дальше маркеры уходят в {2}.";
    TxnPrepareAbort => "{0} logged PrepareAbort for producer id {1}: ABORT markers go to {2}; those records will never be visible to read_committed readers.", "{0} записал PrepareAbort для producer id {1}: маркеры ABORT уходят в {2}; эти записи никогда не увидят читатели read_committed.";
    TxnFence => "{0} bumped the epoch of producer id {1} to {2} to fence the old incarnation before aborting its open transaction.", "{0} увеличил эпоху producer id {1} до {2}, чтобы отстранить старый экземпляр, прежде чем отменить его открытую транзакцию.";
    TxnComplete => "{0} logged {2} for producer id {1}: every partition has its marker.", "{0} записал {2} для producer id {1}: маркер есть в каждой партиции.";
    MarkerCommit => "{0}, leader of {1}, appended a COMMIT marker at offset {2}: the transaction's records there become visible to read_committed readers once it is replicated.", "{0}, лидер {1}, записал маркер COMMIT по смещению {2}: записи транзакции станут видны читателям read_committed, когда маркер реплицируется.";
    MarkerAbort => "{0}, leader of {1}, appended an ABORT marker at offset {2}: read_committed readers will skip the transaction's records; read_uncommitted readers may already have seen them.", "{0}, лидер {1}, записал маркер ABORT по смещению {2}: читатели read_committed пропустят записи транзакции; читатели read_uncommitted могли их уже увидеть.";
    Lso => "The last stable offset of {1} on {0} is {2}: read_committed readers see only offsets below it.", "Последнее стабильное смещение {1} на {0} равно {2}: читатели read_committed видят только смещения ниже него.";
    ProducerFenced => "{0} is fenced: its epoch {1} is older than the coordinator's. A zombie must close; its open transaction never commits.", "{0} отстранён: его эпоха {1} старше, чем у координатора. Зомби должен закрыться; его открытая транзакция никогда не зафиксируется.";
    TxnTimedOut => "The transaction of producer id {0} (epoch {1}) was open longer than transaction.timeout.ms: the coordinator fences it and aborts it.", "Транзакция producer id {0} (эпоха {1}) открыта дольше transaction.timeout.ms: координатор отстраняет продюсер и отменяет её.";
    }
}

/// How a line should look: most are neutral, losses and duplicates stand out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Warning,
    Bad,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub at_ms: Millis,
    pub text: String,
    pub tone: Tone,
}

/// The last `limit` sentences of the story up to `cursor_ms`, oldest first.
pub fn explain(trace: &[TraceEvent], cursor_ms: Millis, lang: Lang, limit: usize) -> Vec<Line> {
    let events = &trace[..trace.partition_point(|e| e.at_ms <= cursor_ms)];
    // First pass, without words: how many sentences each event makes, to find where the last
    // `limit` start. Only those are then put into words (this runs on every animation frame).
    let mut memory = Memory::default();
    let counts: Vec<usize> = events
        .iter()
        .map(|e| memory.sentences(&e.kind, None).len())
        .collect();
    let mut start = events.len();
    let mut tail = 0;
    while start > 0 && tail < limit {
        start -= 1;
        tail += counts[start];
    }
    let mut memory = Memory::default();
    let mut lines = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let words = (i >= start).then_some(lang);
        for (text, tone) in memory.sentences(&e.kind, words) {
            if i >= start {
                lines.push(Line {
                    at_ms: e.at_ms,
                    text,
                    tone,
                });
            }
        }
    }
    let skip = lines.len().saturating_sub(limit);
    lines.split_off(skip)
}

/// What earlier events taught us, for the "why" sentences.
#[derive(Debug, Clone, Default)]
pub(super) struct Memory {
    acked_at: BTreeMap<RecordId, (PartitionId, Offset)>,
    /// Who processed each record, per group ("" for consumers outside group management).
    processed: BTreeMap<(String, RecordId), Vec<NodeId>>,
    group_of: BTreeMap<NodeId, String>,
    /// The `__consumer_offsets` partitions seen so far: the model's number → Kafka's.
    offsets_partitions: BTreeMap<PartitionId, u32>,
}

impl Memory {
    /// How a partition is called in a sentence: `p2`, or `__consumer_offsets-33`.
    fn partition_name(&self, partition: PartitionId) -> String {
        match self.offsets_partitions.get(&partition) {
            Some(k) => format!("__consumer_offsets-{k}"),
            None => format!("p{partition}"),
        }
    }

    /// The sentences an event makes, after what came before. With `lang` None it only learns
    /// and counts (the texts are left empty).
    pub(super) fn sentences(
        &mut self,
        kind: &EventKind,
        lang: Option<Lang>,
    ) -> Vec<(String, Tone)> {
        use ExplainText as T;
        use Tone::*;
        let s = |t: T, args: &[&dyn ToString], tone: Tone| {
            let Some(lang) = lang else {
                return (String::new(), tone);
            };
            let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            (trf(lang, t, &refs), tone)
        };
        match kind {
            EventKind::NodeCrashed { node, mode } => match mode {
                CrashMode::Process => vec![s(T::Crashed, &[node], Warning)],
                CrashMode::PowerLoss => vec![s(T::PowerLost, &[node], Warning)],
            },
            EventKind::NodeRestarted { node } => vec![s(T::Restarted, &[node], Normal)],
            EventKind::NodePaused { node } => vec![s(T::Paused, &[node], Warning)],
            EventKind::NodeResumed { node, waited } => {
                vec![s(T::Resumed, &[node, waited], Normal)]
            }
            EventKind::BrokerFenced { broker } => vec![s(T::Fenced, &[broker], Warning)],
            EventKind::BrokerUnfenced { broker } => vec![s(T::Unfenced, &[broker], Normal)],
            EventKind::LeaderElected {
                partition,
                leader,
                leader_epoch,
                unclean,
            } => {
                let t = if *unclean {
                    T::ElectedUnclean
                } else {
                    T::Elected
                };
                let tone = if *unclean { Bad } else { Warning };
                let name = self.partition_name(*partition);
                vec![s(t, &[leader, &name, leader_epoch], tone)]
            }
            EventKind::PartitionOffline { partition } => {
                vec![s(T::Offline, &[&self.partition_name(*partition)], Bad)]
            }
            EventKind::IsrChanged { partition, isr } => {
                let names: Vec<String> = isr.iter().map(|b| format!("B{b}")).collect();
                vec![s(
                    T::Isr,
                    &[
                        &self.partition_name(*partition),
                        &format!("{{{}}}", names.join(", ")),
                    ],
                    Normal,
                )]
            }
            EventKind::Truncated {
                broker,
                partition,
                log_end_offset,
                removed,
                reason,
            } => {
                let t = match reason {
                    TruncateReason::LeaderEpoch => T::TruncatedEpoch,
                    TruncateReason::PowerLoss => T::TruncatedPower,
                };
                let name = self.partition_name(*partition);
                let mut out = vec![s(t, &[broker, &name, log_end_offset, removed], Warning)];
                let lost: Vec<(RecordId, Offset)> = self
                    .acked_at
                    .iter()
                    .filter(|(_, &(p, o))| {
                        p == *partition && o >= *log_end_offset && o != Offset::MAX
                    })
                    .map(|(&r, &(_, o))| (r, o))
                    .collect();
                if reason == &TruncateReason::LeaderEpoch {
                    for (r, o) in lost {
                        self.acked_at.remove(&r);
                        out.push(s(T::LostAfterAck, &[&r, &o], Bad));
                    }
                }
                out
            }
            EventKind::Appended {
                broker,
                partition,
                offset,
                record,
                ..
            } => vec![s(T::Appended, &[broker, partition, record, offset], Normal)],
            EventKind::Acked {
                producer,
                record,
                offset,
            } => match offset {
                Some(o) => {
                    if let Some(row) = self.acked_at.get(record).map(|&(p, _)| p) {
                        self.acked_at.insert(*record, (row, *o));
                    }
                    vec![s(T::Acked, &[producer, record, o], Normal)]
                }
                None => vec![s(T::AckedNoOffset, &[producer, record], Warning)],
            },
            EventKind::RecordSent {
                record, partition, ..
            } => {
                self.acked_at
                    .entry(*record)
                    .or_insert((*partition, Offset::MAX));
                vec![]
            }
            EventKind::SendFailed {
                producer,
                record,
                error,
            } => vec![s(T::SendFailed, &[producer, record, error], Warning)],
            EventKind::Retrying {
                producer,
                record,
                more,
                attempt,
                error,
            } if more.is_empty() => {
                vec![s(T::Retrying, &[producer, record, attempt, error], Warning)]
            }
            EventKind::Retrying {
                producer,
                record,
                more,
                attempt,
                error,
            } => {
                let label = crate::model::BatchLabel {
                    first: *record,
                    more,
                };
                let n = more.len() + 1;
                vec![s(
                    T::RetryingBatch,
                    &[producer, &label, &n, attempt, error],
                    Warning,
                )]
            }
            EventKind::MessageSent {
                from,
                to,
                payload:
                    crate::model::Payload::Produce {
                        partition,
                        record,
                        more,
                        sequence,
                        ..
                    },
                ..
            } if !more.is_empty() => {
                let label = crate::model::BatchLabel {
                    first: *record,
                    more,
                };
                let n = more.len() + 1;
                if *sequence >= 0 {
                    let last = i64::from(*sequence) + more.len() as i64;
                    vec![s(
                        T::BatchSentSequenced,
                        &[from, &n, &label, to, partition, sequence, &last],
                        Normal,
                    )]
                } else {
                    vec![s(T::BatchSent, &[from, &n, &label, to, partition], Normal)]
                }
            }
            EventKind::Polled {
                consumer,
                partition,
                offset,
                record,
            } => vec![s(T::Polled, &[consumer, record, partition, offset], Normal)],
            EventKind::Processed {
                consumer, record, ..
            } => {
                let group = self.group_of.get(consumer).cloned().unwrap_or_default();
                let by = self.processed.entry((group.clone(), *record)).or_default();
                by.push(*consumer);
                let n = by.len();
                if n > 1 && by.iter().any(|c| c != consumer) {
                    vec![s(
                        T::ProcessedByAnother,
                        &[consumer, record, &n, &group],
                        Bad,
                    )]
                } else if n > 1 {
                    vec![s(T::ProcessedAgain, &[consumer, record, &n], Bad)]
                } else {
                    vec![s(T::Processed, &[consumer, record], Normal)]
                }
            }
            EventKind::OffsetCommitted {
                consumer,
                partition,
                offset,
            } => vec![s(T::Committed, &[consumer, offset, partition], Normal)],
            EventKind::PositionSet {
                consumer,
                partition,
                offset,
                source,
            } => {
                let t = match source {
                    PositionSource::Committed => T::ResumeCommitted,
                    PositionSource::ResetEarliest => T::ResumeEarliest,
                    PositionSource::ResetLatest => T::ResumeLatest,
                    // The validation just before said where it goes and why.
                    PositionSource::Diverged => return Vec::new(),
                };
                vec![s(t, &[consumer, partition, offset], Normal)]
            }
            EventKind::PositionValidated {
                consumer,
                partition,
                offset,
                leader_epoch,
                broker,
                end,
                outcome,
            } => {
                let (t, tone) = match outcome {
                    Validation::Valid => (T::ValidatedOk, Normal),
                    Validation::SeekToDivergence => (T::ValidatedSeek, Warning),
                    Validation::Reset => (T::ValidatedReset, Warning),
                    Validation::LogTruncation => (T::ValidatedStop, Bad),
                };
                let (epoch, end) = end.unwrap_or((*leader_epoch, 0));
                vec![s(
                    t,
                    &[consumer, partition, offset, broker, &epoch, &end],
                    tone,
                )]
            }
            EventKind::ConsumerClosed { consumer } => vec![s(T::Closed, &[consumer], Normal)],
            EventKind::LinkCut { a, b } => vec![s(T::LinkCut, &[a, b], Warning)],
            EventKind::LinkHealed { a, b } => vec![s(T::LinkHealed, &[a, b], Normal)],
            EventKind::MessageDropped { id, .. } => vec![s(T::Dropped, &[id], Warning)],
            EventKind::ProducerIdAssigned {
                producer,
                producer_id,
                producer_epoch,
            } => vec![s(
                T::ProducerId,
                &[producer, producer_id, producer_epoch],
                Normal,
            )],
            EventKind::ProducerEpochBumped {
                producer,
                producer_epoch,
            } => vec![s(T::EpochBumped, &[producer, producer_epoch], Warning)],
            EventKind::InvariantViolated {
                invariant,
                node,
                partition,
            } => vec![s(
                T::Invariant,
                &[
                    node,
                    &self.partition_name(*partition),
                    &format!("{invariant:?}"),
                ],
                Bad,
            )],
            EventKind::TransactionBegan {
                producer,
                producer_id,
                producer_epoch,
            } => vec![s(
                T::TxnBegan,
                &[producer, producer_id, producer_epoch],
                Normal,
            )],
            EventKind::TxnStateChanged {
                coordinator,
                producer_id,
                producer_epoch,
                state,
                partitions,
                ..
            } => {
                let ps: Vec<String> = partitions.iter().map(|p| format!("p{p}")).collect();
                let ps = ps.join(", ");
                let (t, tone) = match state {
                    TxnState::Empty => (T::TxnEmpty, Normal),
                    TxnState::Ongoing => (T::TxnOngoing, Normal),
                    TxnState::PrepareCommit => (T::TxnPrepareCommit, Normal),
                    TxnState::PrepareAbort => (T::TxnPrepareAbort, Warning),
                    TxnState::PrepareEpochFence => {
                        return vec![s(
                            T::TxnFence,
                            &[coordinator, producer_id, producer_epoch],
                            Warning,
                        )]
                    }
                    TxnState::CompleteCommit | TxnState::CompleteAbort => {
                        let name = format!("{state:?}");
                        return vec![s(
                            T::TxnComplete,
                            &[coordinator, producer_id, &name],
                            Normal,
                        )];
                    }
                };
                let third: &dyn ToString = if t == T::TxnEmpty {
                    producer_epoch
                } else {
                    &ps
                };
                vec![s(t, &[coordinator, producer_id, third], tone)]
            }
            EventKind::MarkerAppended {
                broker,
                partition,
                offset,
                commit,
                ..
            } => {
                let t = if *commit {
                    T::MarkerCommit
                } else {
                    T::MarkerAbort
                };
                vec![s(
                    t,
                    &[broker, &self.partition_name(*partition), offset],
                    Normal,
                )]
            }
            EventKind::LastStableOffset {
                broker,
                partition,
                last_stable_offset,
            } => {
                let name = self.partition_name(*partition);
                vec![s(T::Lso, &[broker, &name, last_stable_offset], Normal)]
            }
            EventKind::ProducerFenced {
                producer,
                producer_epoch,
            } => vec![s(T::ProducerFenced, &[producer, producer_epoch], Bad)],
            EventKind::TxnTimedOut {
                producer_id,
                producer_epoch,
            } => vec![s(T::TxnTimedOut, &[producer_id, producer_epoch], Warning)],
            EventKind::SegmentsDeleted {
                broker,
                partition,
                log_start_offset,
                removed,
            } => vec![s(
                T::SegmentsDeleted,
                &[broker, removed, partition, log_start_offset],
                Warning,
            )],
            EventKind::TxnOffsetsPending {
                coordinator,
                producer_id,
                group,
                offsets,
            } => {
                let os: Vec<String> = offsets.iter().map(|(p, o)| format!("p{p}={o}")).collect();
                let os = os.join(", ");
                vec![s(
                    T::TxnOffsetsPending,
                    &[coordinator, group, &os, producer_id],
                    Normal,
                )]
            }
            EventKind::TxnOffsetsDecided {
                producer_id,
                group,
                commit,
                ..
            } => {
                let (t, tone) = if *commit {
                    (T::TxnOffsetsCommitted, Normal)
                } else {
                    (T::TxnOffsetsDropped, Warning)
                };
                vec![s(t, &[group, producer_id], tone)]
            }
            kind => self.group_sentences(kind, lang),
        }
    }

    /// Consumer-group events (spec §5).
    fn group_sentences(&mut self, kind: &EventKind, lang: Option<Lang>) -> Vec<(String, Tone)> {
        use ExplainText as T;
        use Tone::*;
        let s = |t: T, args: &[&dyn ToString], tone: Tone| {
            let Some(lang) = lang else {
                return (String::new(), tone);
            };
            let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            (trf(lang, t, &refs), tone)
        };
        let list = |ps: &[PartitionId]| {
            ps.iter()
                .map(|p| format!("p{p}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match kind {
            EventKind::GroupStateChanged {
                group,
                state,
                generation,
            } => match state {
                GroupPhase::PreparingRebalance => vec![s(T::GroupPreparing, &[group], Warning)],
                GroupPhase::CompletingRebalance => {
                    vec![s(T::GroupCompleting, &[group, generation], Normal)]
                }
                GroupPhase::Stable => vec![s(T::GroupStable, &[group, generation], Normal)],
                GroupPhase::Empty => vec![s(T::GroupEmpty, &[group], Normal)],
            },
            EventKind::PartitionsAssigned {
                consumer,
                group,
                generation,
                partitions,
                added,
            } => {
                self.group_of.insert(*consumer, group.clone());
                let kept = added
                    .as_ref()
                    .filter(|a| a.len() < partitions.len())
                    .map(|a| (a.is_empty(), list(a)));
                if let Some((nothing_new, new)) = kept {
                    let ps = list(partitions);
                    if nothing_new {
                        vec![s(
                            T::KeptCooperative,
                            &[consumer, &ps, group, generation],
                            Normal,
                        )]
                    } else {
                        vec![s(
                            T::AssignedCooperative,
                            &[consumer, &ps, group, generation, &new],
                            Normal,
                        )]
                    }
                } else if partitions.is_empty() && added.is_some() {
                    vec![s(
                        T::NothingYetCooperative,
                        &[consumer, group, generation],
                        Normal,
                    )]
                } else if partitions.is_empty() {
                    vec![s(
                        T::AssignedNothing,
                        &[consumer, group, generation],
                        Normal,
                    )]
                } else {
                    let ps = list(partitions);
                    vec![s(T::Assigned, &[consumer, &ps, group, generation], Normal)]
                }
            }
            EventKind::PartitionsRevoked {
                consumer,
                partitions,
                kept,
            } => match kept {
                None => vec![s(T::Revoked, &[consumer, &list(partitions)], Normal)],
                Some(k) if k.is_empty() => vec![s(
                    T::RevokedAllCooperative,
                    &[consumer, &list(partitions)],
                    Normal,
                )],
                Some(k) => vec![s(
                    T::RevokedKeeping,
                    &[consumer, &list(partitions), &list(k)],
                    Normal,
                )],
            },
            EventKind::MemberRemoved {
                group,
                consumer,
                reason,
            } => {
                let t = match reason {
                    RemoveReason::Left => T::MemberLeft,
                    RemoveReason::SessionTimeout => T::MemberExpired,
                    RemoveReason::RebalanceTimeout => T::MemberTooSlow,
                };
                vec![s(t, &[consumer, group], Warning)]
            }
            EventKind::PollIntervalExceeded { consumer } => {
                vec![s(T::PollExceeded, &[consumer], Warning)]
            }
            EventKind::CommitRejected {
                consumer,
                generation,
                error: ErrorCode::RebalanceInProgress,
                ..
            } => vec![s(T::CommitWaitsRebalance, &[consumer, generation], Warning)],
            EventKind::CommitRejected {
                consumer,
                generation,
                error,
                ..
            } => vec![s(T::CommitRejected, &[consumer, error, generation], Bad)],
            EventKind::CoordinatorLoaded {
                broker,
                group,
                offsets_partition,
                log_partition,
                committed,
            } => {
                self.offsets_partitions
                    .insert(*log_partition, *offsets_partition);
                let os: Vec<String> = committed.iter().map(|(p, o)| format!("p{p}={o}")).collect();
                let os = if os.is_empty() {
                    lang.map(|l| trf(l, T::NoOffsets, &[])).unwrap_or_default()
                } else {
                    os.join(", ")
                };
                vec![s(
                    T::CoordinatorLoaded,
                    &[broker, offsets_partition, group, &os],
                    Normal,
                )]
            }
            EventKind::OffsetsLogAppended {
                broker,
                group,
                partition,
                offset,
                offsets_partition,
                log_offset,
                log_partition,
                ..
            } => {
                self.offsets_partitions
                    .insert(*log_partition, *offsets_partition);
                vec![s(
                    T::OffsetsLog,
                    &[
                        broker,
                        group,
                        partition,
                        offset,
                        offsets_partition,
                        log_offset,
                    ],
                    Normal,
                )]
            }
            _ => vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Scenario, World};
    use crate::view::i18n::check_catalogue;

    fn story(name: &str, lang: Lang) -> Vec<Line> {
        let s: Scenario = crate::model::catalogue::scenario(name).unwrap().unwrap();
        let mut w = World::new(s.clone());
        w.run_until(s.duration_ms);
        explain(w.trace(), s.duration_ms, lang, usize::MAX)
    }

    #[test]
    fn the_explanation_catalogue_is_complete() {
        check_catalogue::<ExplainText>(&[]);
    }

    #[test]
    fn a_batch_and_its_retry_are_explained_as_one_unit() {
        let lines = story("s07b-lost-ack-batch-deduplicated", Lang::En);
        let has = |t: &str| lines.iter().any(|l| l.text.starts_with(t));
        assert!(has(
            "P1 sends one batch of 4 records (m1..m4) to B1 for p0 with sequence numbers 0..3"
        ));
        assert!(has(
            "P1 sends the whole batch m1..m4 (4 records) again (attempt 2) after REQUEST_TIMED_OUT"
        ));
        let ru = story("s07b-lost-ack-batch-deduplicated", Lang::Ru);
        assert!(ru
            .iter()
            .any(|l| l.text.contains("пакет из 4 записей (m1..m4)")));
    }

    #[test]
    fn acks_1_loss_is_explained_as_lost_after_its_ack() {
        let lines = story("s02-acks-1-leader-crash", Lang::En);
        let lost = lines
            .iter()
            .find(|l| l.tone == Tone::Bad && l.text.starts_with("m1 is lost"))
            .expect("the loss of m1 is explained");
        assert!(lost.text.contains("offset 0"), "{}", lost.text);
    }

    #[test]
    fn a_coordinator_move_is_told_with_the_offsets_partitions_name() {
        let lines = story("s02-acks-1-leader-crash", Lang::En);
        // At the start: who the coordinator is. After B1's crash: the election of the offsets
        // partition under its Kafka name, then the new coordinator's load.
        let loads: Vec<&Line> = lines
            .iter()
            .filter(|l| l.text.contains("coordinator: it loaded"))
            .collect();
        assert_eq!(loads.len(), 2, "{loads:?}");
        assert!(loads[0].text.starts_with("B1 leads __consumer_offsets-3"));
        assert!(loads[1].text.starts_with("B2 leads __consumer_offsets-3"));
        assert!(lines.iter().any(|l| l
            .text
            .starts_with("B2 became leader of __consumer_offsets-3")));
        let ru = story("s02-acks-1-leader-crash", Lang::Ru);
        assert!(ru
            .iter()
            .any(|l| l.text.contains("__consumer_offsets-3")
                && l.text.contains("координатор группы g")));
    }

    #[test]
    fn a_cooperative_rebalance_is_told_in_two_steps() {
        let lines = story("groups-cooperative-rebalance", Lang::En);
        let has = |needle: &str| lines.iter().any(|l| l.text.contains(needle));
        assert!(has("C1 gives up p2, p3, which the new assignment moves to another member, and goes on reading p0, p1"));
        assert!(has(
            "C2 is a member of group g in generation 2 but owns no partition yet"
        ));
        assert!(has("C1 keeps p0, p1 in group g, generation 2"));
        assert!(
            !has("C2 owns p2, p3 in group g, generation 3 (cooperative"),
            "all new to C2"
        );
        assert!(has("C2 owns p2, p3 in group g, generation 3"));
        let ru = story("groups-cooperative-rebalance", Lang::Ru);
        assert!(ru
            .iter()
            .any(|l| l.text.contains("кооперативная ребалансировка")));
    }

    #[test]
    fn retention_and_transactional_offsets_are_explained() {
        let lines = story("s25-retention-outruns-a-stopped-consumer", Lang::En);
        assert!(lines
            .iter()
            .any(|l| l.text.contains("past retention") && l.text.contains("log now starts")));
        let lines = story("s19p-pipeline-crash-before-commit", Lang::Ru);
        assert!(lines.iter().any(|l| l.text.contains("отброшены")));
        assert!(lines
            .iter()
            .any(|l| l.text.contains("зафиксированы вместе")));
    }

    #[test]
    fn truncation_detection_after_the_unclean_election_is_explained() {
        let lines = story("s22-unclean-election-loses-acknowledged", Lang::En);
        let seek = lines
            .iter()
            .find(|l| l.text.contains("OffsetsForLeaderEpoch, KIP-320"))
            .expect("the validation is told");
        assert_eq!(seek.tone, Tone::Warning);
        assert!(
            seek.text
                .starts_with("C1 checked its position 5 on p0 with the new leader B2")
                && seek.text.contains("epoch 0 ends at offset 0")
                && seek.text.contains("seeks back to 0"),
            "{}",
            seek.text
        );
        let ru = story("s22-unclean-election-loses-acknowledged", Lang::Ru);
        assert!(ru
            .iter()
            .any(|l| l.text.contains("обнаружено усечение лога")));
    }

    #[test]
    fn duplicate_processing_is_explained() {
        let lines = story("s13-commit-after-processing-duplicates", Lang::Ru);
        assert!(lines
            .iter()
            .any(|l| l.tone == Tone::Bad && l.text.contains("ПОВТОРНО")));
    }

    #[test]
    fn a_rebalance_duplicate_and_the_refused_zombie_commit_are_explained() {
        let lines = story("s17-slow-processing-rebalance-duplicates", Lang::En);
        assert!(lines
            .iter()
            .any(|l| l.tone == Tone::Bad && l.text.contains("another member")));
        assert!(lines
            .iter()
            .any(|l| l.tone == Tone::Bad && l.text.contains("UNKNOWN_MEMBER_ID")));
        let two = story("groups-two-groups-each-get-every-record", Lang::Ru);
        assert!(
            !two.iter().any(|l| l.tone == Tone::Bad),
            "once per group is not a duplicate"
        );
    }

    #[test]
    fn only_the_last_lines_are_kept() {
        let s = Scenario::default();
        let mut w = World::new(s.clone());
        w.run_until(s.duration_ms);
        let all = explain(w.trace(), s.duration_ms, Lang::En, usize::MAX);
        let last = explain(w.trace(), s.duration_ms, Lang::En, 3);
        assert_eq!(last, all[all.len() - 3..].to_vec());
    }
}
