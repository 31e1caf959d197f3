//! Words of the configuration panel, the guarantee badge and the scenario picker, in English and
//! Russian. Kafka's setting names and values (`acks`, `all`, `enable.idempotence`…) stay as they
//! are in every language. The panel's fields themselves live in [`fields`].

pub mod fields;

use crate::catalogue;
use crate::view::guarantee::{ConsumerSide, Finding, Guarantee, ProducerSide};
use fields::{Field, Group};

catalogue! {
    /// The configuration panel, its badge and the scenario picker.
    pub enum ConfigText {
    Title => "Configuration", "Конфигурация";
    Scenario => "Scenario", "Сценарий";
    Changed => "{0} (changed)", "{0} (изменён)";
    Restarts => "A change restarts the run with the new settings.", "Любое изменение перезапускает прогон с новыми настройками.";
    Presets => "Presets", "Пресеты";
    GroupProducer => "Producer", "Продюсер";
    GroupTopic => "Broker and topic", "Брокер и топик";
    GroupConsumer => "Consumer", "Консьюмер";
    DefaultIs => "not set: {0}", "не задано: {0}";
    NotANumber => "Enter a whole number.", "Введите целое число.";
    OutOfRange => "Enter a whole number from {0} to {1}.", "Введите целое число от {0} до {1}.";
    Refused => "Not applied: {0}", "Не применено: {0}";
    GuaranteeLabel => "Guarantee", "Гарантия";
    AtMostOnce => "At most once", "Не более одного раза";
    AtLeastOnce => "At least once", "Как минимум один раз";
    AckedWritesCanBeLost => "Acknowledged writes can be lost", "Подтверждённые записи могут пропасть";
    ExplainAtMostOnce => "A record can be lost, so it arrives at most once.", "Запись может потеряться, поэтому она доставляется не более одного раза.";
    ExplainAcked => "A record the producer was told was written can disappear.", "Запись, о которой продюсеру сообщили, что она записана, может исчезнуть.";
    ExplainAtLeastOnce => "No acknowledged record is lost, but some can be written or processed twice.", "Подтверждённые записи не теряются, но некоторые могут быть записаны или обработаны дважды.";
    ProducerRefuses => "The producer would not start", "Продюсер не запустится";
    ProducerRefusesWhy => "Kafka throws ConfigException: {0}", "Kafka выбросит ConfigException: {0}";
    DecidedBy => "Decided by", "Решает";
    Why => "Why", "Почему";
    NeedsTransactions => "Exactly once needs transactions (transactional.id, read_committed), which come in a later chapter.", "Для «ровно одного раза» нужны транзакции (transactional.id, read_committed) — они появятся в следующей главе.";
    SideFireAndForget => "at most once, and nobody is told of a loss", "не более одного раза, и о потере никто не узнает";
    SideNoRetries => "at most once; failed sends are reported", "не более одного раза; о неудачных отправках сообщается";
    SideLeaderOnly => "acknowledged writes can be lost when the leader fails", "подтверждённые записи могут пропасть при падении лидера";
    SideRetriesDuplicate => "at least once: retries can write duplicates", "как минимум один раз: повторы могут создать дубликаты";
    SideIdempotent => "idempotent: one copy per record, order kept, within one producer session", "идемпотентно: одна копия каждой записи и сохранённый порядок в пределах одной сессии продюсера";
    SideCommitsBefore => "at most once: commits before processing", "не более одного раза: фиксация до обработки";
    SideAutoCommitAsync => "records can be lost: auto-commit runs ahead of the worker thread", "записи могут теряться: автофиксация опережает рабочий поток";
    SideAutoCommit => "at least once: auto-commit inside poll()", "как минимум один раз: автофиксация внутри poll()";
    SideCommitsAfter => "at least once: commits after processing", "как минимум один раз: фиксация после обработки";
    SideCommitsInTxn => "exactly once downstream: offsets commit with the output transaction", "ровно один раз для читателей результата: смещения фиксируются в транзакции вместе с результатом";
    SideNeverCommits => "never commits: a restart begins at auto.offset.reset", "ничего не фиксирует: после перезапуска чтение начинается согласно auto.offset.reset";
    FindAcksZero => "The producer does not wait for an answer: a record lost before the leader appends it is still reported as sent.", "Продюсер не ждёт ответа: запись, потерянная до того, как лидер её записал, всё равно считается отправленной.";
    FindAcksOne => "The leader answers before any follower has a copy: if it fails then, an acknowledged record disappears.", "Лидер отвечает раньше, чем копия появится хотя бы у одного фолловера: если он упадёт в этот момент, подтверждённая запись исчезнет.";
    FindUnclean => "An out-of-sync replica may become leader, dropping records the old leader had acknowledged.", "Лидером может стать отставшая реплика, и записи, подтверждённые прежним лидером, пропадут.";
    FindSingleReplica => "Only one copy: a power loss on its broker loses whatever the OS had not flushed, acknowledged or not.", "Копия всего одна: при отключении питания её брокера пропадёт всё, что ОС не успела сбросить на диск, подтверждено оно или нет.";
    FindNoRetries => "A send that fails once is not retried: the record is lost, and the application is told.", "Неудачная отправка не повторяется: запись теряется, а приложение получает ошибку.";
    FindCommitBefore => "The consumer commits the offset before processing: after a crash, the records it had not processed are skipped.", "Консьюмер фиксирует смещение до обработки: после падения необработанные записи будут пропущены.";
    FindAsyncAutoCommit => "Auto-commit commits offsets a worker thread has not processed yet: a crash loses those records.", "Автофиксация фиксирует смещения записей, которые рабочий поток ещё не обработал: при падении они теряются.";
    FindResetLatest => "Without a committed offset the consumer jumps to the end of the log, skipping records written before it first fetched or committed.", "Без зафиксированного смещения консьюмер переходит в конец лога и пропускает записи, сделанные до его первого чтения или первой фиксации.";
    FindResetNone => "Without a committed offset the consumer stops with an error and reads nothing.", "Без зафиксированного смещения консьюмер останавливается с ошибкой и ничего не читает.";
    FindRetriesNoIdempotence => "Without idempotence, a retry after a lost acknowledgement writes the record a second time.", "Без идемпотентности повтор после потерянного подтверждения записывает запись второй раз.";
    FindIdempotenceOff => "enable.idempotence is not set and this setting conflicts with it, so Kafka silently turns idempotence off.", "enable.idempotence не задан, а эта настройка с ним несовместима, поэтому Kafka молча отключает идемпотентность.";
    FindResend => "After a producer restart the application sends unacknowledged records again under a new producer id: the broker cannot spot the duplicate.", "После перезапуска продюсера приложение снова отправляет неподтверждённые записи под новым producer id — брокер не распознает дубликат.";
    FindAutoCommit => "Auto-commit runs inside poll(): after a crash, everything since the last auto-commit is delivered and processed again.", "Автофиксация происходит внутри poll(): после падения всё, что пришло после последней автофиксации, будет доставлено и обработано повторно.";
    FindCommitAfter => "The consumer commits after processing: a crash before the commit processes the batch again.", "Консьюмер фиксирует смещение после обработки: падение до фиксации приведёт к повторной обработке пакета.";
    FindCommitInTxn => "The application commits its offsets inside its producer's transaction: read_committed readers of its output see each result once, but side effects outside Kafka repeat with every aborted attempt.", "Приложение фиксирует смещения внутри транзакции своего продюсера: читатели его результата с read_committed видят каждый результат один раз, но побочные эффекты вне Kafka повторяются при каждой прерванной попытке.";
    FindNeverCommits => "Nothing is ever committed: a restarted consumer starts over from auto.offset.reset and processes everything again.", "Смещения не фиксируются вовсе: перезапущенный консьюмер начинает заново согласно auto.offset.reset и обрабатывает всё повторно.";
    FindReordering => "Several requests in flight without idempotence: a retried batch can land after a later one, so records are reordered.", "Несколько запросов в полёте без идемпотентности: повторённый пакет может лечь после более позднего, и порядок записей нарушится.";
    FindMinIsrOne => "If the followers fall out of the ISR, the leader alone acknowledges writes, and a power loss on it can lose them.", "Если фолловеры выпадут из ISR, записи будет подтверждать один лидер, и отключение его питания может их уничтожить.";
    FindMinIsrAbove => "More in-sync replicas are required than exist: every acks=all write is refused with NOT_ENOUGH_REPLICAS.", "Требуется больше синхронных реплик, чем существует: каждая запись с acks=all отклоняется с NOT_ENOUGH_REPLICAS.";
    HelpAcks => "How many replicas must have a record before the leader answers: 0 none, 1 the leader, all the whole ISR.", "Сколько реплик должны получить запись, прежде чем лидер ответит: 0 — ни одной, 1 — сам лидер, all — весь ISR.";
    HelpIdempotence => "Producer id and sequence numbers let the broker drop duplicate retries. Not set: on, unless a conflicting setting turns it off.", "Идентификатор продюсера и номера последовательности позволяют брокеру отбрасывать повторы-дубликаты. Не задано: включено, если не мешает несовместимая настройка.";
    HelpRetries => "How many times a failed send is retried, within delivery.timeout.ms.", "Сколько раз повторять неудачную отправку в пределах delivery.timeout.ms.";
    HelpLinger => "How long a batch that is not full waits for more records before it may be sent (0: at once; records still share a batch while no request slot is free).", "Сколько неполный пакет ждёт новых записей, прежде чем его можно отправить (0 — сразу; записи всё равно собираются в пакет, пока нет свободного слота для запроса).";
    HelpBatchSize => "The most a batch holds, in bytes (the model counts 100 bytes a record). A batch is the unit of retries and of the broker's deduplication.", "Наибольший размер пакета в байтах (модель считает 100 байт на запись). Пакет — единица повторов и распознавания дубликатов на брокере.";
    HelpMaxInFlight => "Requests sent without waiting for earlier answers. Above 1 without idempotence, retries reorder; above 5, idempotence is impossible.", "Сколько запросов отправляется, не дожидаясь ответов на прежние. Больше 1 без идемпотентности — повторы меняют порядок; больше 5 — идемпотентность невозможна.";
    HelpDeliveryTimeout => "The limit from send() to success or failure, retries included.", "Предельное время от send() до успеха или ошибки, включая повторы.";
    HelpRequestTimeout => "How long the producer waits for one answer before it retries.", "Сколько продюсер ждёт ответа на один запрос, прежде чем повторить его.";
    HelpReplicationFactor => "How many brokers keep a copy of each partition.", "Сколько брокеров хранят копию каждой партиции.";
    HelpMinIsr => "With acks=all, how many in-sync replicas must have a record; with fewer, writes are refused.", "При acks=all — сколько синхронных реплик должны получить запись; если их меньше, запись отклоняется.";
    HelpUnclean => "Whether an out-of-sync replica may become leader when no in-sync replica is alive.", "Может ли отставшая реплика стать лидером, когда не осталось ни одной синхронной.";
    HelpAutoCommit => "Commit positions inside poll(), every auto.commit.interval.ms.", "Фиксировать позиции внутри poll() каждые auto.commit.interval.ms.";
    HelpAutoCommitInterval => "How often auto-commit commits.", "Как часто срабатывает автофиксация.";
    HelpOffsetReset => "Where to start without a committed offset: earliest, latest, or none (an error).", "С чего начинать без зафиксированного смещения: earliest, latest или none (ошибка).";
    HelpMaxPollRecords => "The most records one poll() returns.", "Наибольшее число записей, которое возвращает один poll().";
    HelpCommit => "When the application commits by hand: none, before_processing or after_processing.", "Когда приложение фиксирует смещения вручную: none — никогда, before_processing — до обработки, after_processing — после.";
    HelpProcessing => "Where records are processed: sync in the polling loop, async in a worker thread.", "Где обрабатываются записи: sync — в цикле poll(), async — в рабочем потоке.";
    PresetKafkaDefaults => "Kafka defaults", "Настройки Kafka по умолчанию";
    PresetAtMostOnce => "At most once", "Не более одного раза";
    PresetAtLeastOnce => "At least once", "Как минимум один раз";
    PresetIdempotent => "Idempotent producer", "Идемпотентный продюсер";
    PresetUnsafeAcks1 => "Unsafe: acks=1", "Опасно: acks=1";
    PresetUnsafeRetries => "Unsafe: retries without idempotence", "Опасно: повторы без идемпотентности";
    PresetUnsafeUnclean => "Unsafe: unclean leader election", "Опасно: «нечистые» выборы лидера";
    SumKafkaDefaults => "acks=all, idempotent producer, auto-commit every 5 s, min.insync.replicas=1.", "acks=all, идемпотентный продюсер, автофиксация каждые 5 с, min.insync.replicas=1.";
    SumAtMostOnce => "acks=0; the consumer commits before processing.", "acks=0; консьюмер фиксирует смещение до обработки.";
    SumAtLeastOnce => "acks=all, retries, idempotence off, one request in flight, min.insync.replicas=2; the consumer commits after processing.", "acks=all, повторы, идемпотентность выключена, один запрос в полёте, min.insync.replicas=2; консьюмер фиксирует смещение после обработки.";
    SumIdempotent => "acks=all, enable.idempotence=true, min.insync.replicas=2; the consumer commits after processing. The closest to exactly once without transactions.", "acks=all, enable.idempotence=true, min.insync.replicas=2; консьюмер фиксирует смещение после обработки. Ближе всего к «ровно одному разу» без транзакций.";
    SumUnsafeAcks1 => "The leader answers once it has appended, before any follower has a copy.", "Лидер отвечает сразу после записи, до того как копия появится у фолловеров.";
    SumUnsafeRetries => "enable.idempotence=false with retries and max.in.flight.requests.per.connection=5.", "enable.idempotence=false с повторами и max.in.flight.requests.per.connection=5.";
    SumUnsafeUnclean => "unclean.leader.election.enable=true: an out-of-sync replica may lead.", "unclean.leader.election.enable=true: лидером может стать отставшая реплика.";
    CatHello => "Hello, Kafka", "Привет, Kafka";
    CatS01 => "S1 acks=0 + leader crash: silent loss", "S1 acks=0 + падение лидера: тихая потеря";
    CatS02 => "S2 acks=1 + leader crash: an acknowledged record is lost", "S2 acks=1 + падение лидера: подтверждённая запись потеряна";
    CatS04 => "S4 acks=all + clean failover: no loss", "S4 acks=all + чистая смена лидера: без потерь";
    CatS06 => "S6 lost ack without idempotence: duplicate", "S6 потерянное подтверждение без идемпотентности: дубликат";
    CatS07 => "S7 lost ack with idempotence: exactly one copy", "S7 потерянное подтверждение с идемпотентностью: ровно одна копия";
    CatS07b => "S7b a lost ack for a batch: deduplicated as a unit", "S7b потерянное подтверждение пакета: дубликат распознан целиком";
    CatS08 => "S8 retries reorder records without idempotence", "S8 повторы без идемпотентности меняют порядок записей";
    CatS09 => "S9 idempotence keeps order across retries", "S9 идемпотентность сохраняет порядок при повторах";
    CatS10 => "S10 producer restart + re-send: duplicate", "S10 перезапуск продюсера + повторная отправка: дубликат";
    CatS12 => "S12 commit before processing + crash: loss", "S12 фиксация до обработки + падение: потеря";
    CatS13 => "S13 commit after processing + crash: duplicates", "S13 фиксация после обработки + падение: дубликаты";
    CatS14 => "S14 auto-commit + crash: duplicates, no loss", "S14 автофиксация + падение: дубликаты без потерь";
    CatS15 => "S15 auto-commit + async processing: loss", "S15 автофиксация + асинхронная обработка: потеря";
    CatS22 => "S22 unclean election loses acknowledged records", "S22 «нечистые» выборы теряют подтверждённые записи";
    CatS10t => "S10 with transactional.id: the re-send commits once", "S10 с transactional.id: повторная отправка фиксируется один раз";
    CatS19 => "S19 crash mid-transaction: read_committed sees each record once", "S19 падение посреди транзакции: read_committed видит каждую запись один раз";
    CatS25 => "S25 retention outruns a stopped consumer", "S25 хранение обгоняет остановленного консьюмера";
    CatS19p => "S19 consume-transform-produce: a crash before commit, exactly once downstream", "S19 consume-transform-produce: падение до фиксации, ровно один раз для читателей результата";
    CatS19t => "Hung transaction: read_committed waits for transaction.timeout.ms", "Зависшая транзакция: read_committed ждёт transaction.timeout.ms";
    CatS20 => "S20 zombie producer fenced by its epoch", "S20 продюсер-зомби отстранён по эпохе";
    CatS26 => "S26 keys pick partitions", "S26 ключи выбирают партиции";
    CatS29 => "S29 Kafka's defaults under failover: at least once", "S29 настройки по умолчанию при смене лидера: как минимум один раз";
    CatS30 => "S30 a committed offset lost with the coordinator's power", "S30 зафиксированное смещение пропало вместе с питанием координатора";
    CatS17 => "S17 slow processing past max.poll.interval.ms: rebalance duplicates", "S17 обработка дольше max.poll.interval.ms: дубликаты после ребалансировки";
    CatS18 => "S18 consumer crash: idle for session.timeout.ms, then redelivery", "S18 падение консьюмера: простой на session.timeout.ms, затем повторная доставка";
    CatS21 => "S21 zombie consumer: a GC pause, processing twice, commit refused", "S21 консьюмер-зомби: пауза GC, двойная обработка, фиксация отклонена";
    CatS18Static => "S18 static membership: restart without a rebalance", "S18 статическое членство: перезапуск без ребалансировки";
    CatTwoGroups => "Two consumer groups each get every record", "Две группы консьюмеров получают каждую запись";
    CatGracefulClose => "Graceful close: commit on revocation, no duplicates", "Корректный close(): фиксация при отзыве партиций, без дубликатов";
    CatRange => "One owner per partition: range assignor", "Один владелец у партиции: назначение range";
    CatRoundRobin => "One owner per partition: round-robin assignor", "Один владелец у партиции: назначение round-robin";
    CatCooperative => "Cooperative rebalancing: the partitions that stay never stop", "Кооперативная ребалансировка: оставшиеся партиции не останавливаются";
    CatBusy => "A busy cluster: hundreds of messages in flight", "Нагруженный кластер: сотни сообщений в пути";
    }
}

/// The title of a catalogue scenario, by its catalogue name.
pub fn catalogue_title(name: &str) -> Option<ConfigText> {
    use ConfigText::*;
    Some(match name {
        "hello" => CatHello,
        "s01-acks-0-leader-crash" => CatS01,
        "s02-acks-1-leader-crash" => CatS02,
        "s04-acks-all-clean-failover" => CatS04,
        "s06-lost-ack-no-idempotence-duplicates" => CatS06,
        "s07-lost-ack-idempotence-deduplicates" => CatS07,
        "s07b-lost-ack-batch-deduplicated" => CatS07b,
        "s08-retry-reorders-without-idempotence" => CatS08,
        "s09-retry-keeps-order-with-idempotence" => CatS09,
        "s10-producer-restart-resend-duplicates" => CatS10,
        "s12-commit-before-processing-loses" => CatS12,
        "s13-commit-after-processing-duplicates" => CatS13,
        "s14-auto-commit-crash-duplicates" => CatS14,
        "s15-auto-commit-async-processing-loses" => CatS15,
        "s22-unclean-election-loses-acknowledged" => CatS22,
        "s10t-transactional-restart-commits-once" => CatS10t,
        "s19-transaction-crash-before-commit" => CatS19,
        "s19p-pipeline-crash-before-commit" => CatS19p,
        "s25-retention-outruns-a-stopped-consumer" => CatS25,
        "s19t-hung-transaction-timeout" => CatS19t,
        "s20-zombie-producer-fenced" => CatS20,
        "s26-keys-pick-partitions" => CatS26,
        "s29-default-pipeline-failover" => CatS29,
        "s30-committed-offset-lost-with-the-coordinator" => CatS30,
        "s17-slow-processing-rebalance-duplicates" => CatS17,
        "s18-consumer-crash-session-timeout-redelivers" => CatS18,
        "s18-static-member-restart-no-rebalance" => CatS18Static,
        "s21-gc-pause-zombie-consumer" => CatS21,
        "groups-two-groups-each-get-every-record" => CatTwoGroups,
        "groups-graceful-close-no-duplicates" => CatGracefulClose,
        "groups-range-assignment" => CatRange,
        "groups-roundrobin-assignment" => CatRoundRobin,
        "groups-cooperative-rebalance" => CatCooperative,
        "busy-cluster" => CatBusy,
        _ => return None,
    })
}

/// A preset's (name, summary), by its id; `None` for the user's own configuration.
pub fn preset_text(id: &str) -> Option<(ConfigText, ConfigText)> {
    use ConfigText::*;
    Some(match id {
        "kafka-defaults" => (PresetKafkaDefaults, SumKafkaDefaults),
        "at-most-once" => (PresetAtMostOnce, SumAtMostOnce),
        "at-least-once" => (PresetAtLeastOnce, SumAtLeastOnce),
        "idempotent" => (PresetIdempotent, SumIdempotent),
        "unsafe-acks-1" => (PresetUnsafeAcks1, SumUnsafeAcks1),
        "unsafe-retries" => (PresetUnsafeRetries, SumUnsafeRetries),
        "unsafe-unclean-election" => (PresetUnsafeUnclean, SumUnsafeUnclean),
        _ => return None,
    })
}

pub fn group_title(group: Group) -> ConfigText {
    match group {
        Group::Producer => ConfigText::GroupProducer,
        Group::Topic => ConfigText::GroupTopic,
        Group::Consumer => ConfigText::GroupConsumer,
    }
}

pub fn field_help(field: Field) -> ConfigText {
    use ConfigText::*;
    match field {
        Field::Acks => HelpAcks,
        Field::EnableIdempotence => HelpIdempotence,
        Field::Retries => HelpRetries,
        Field::MaxInFlight => HelpMaxInFlight,
        Field::DeliveryTimeoutMs => HelpDeliveryTimeout,
        Field::RequestTimeoutMs => HelpRequestTimeout,
        Field::LingerMs => HelpLinger,
        Field::BatchSize => HelpBatchSize,
        Field::ReplicationFactor => HelpReplicationFactor,
        Field::MinInsyncReplicas => HelpMinIsr,
        Field::UncleanLeaderElection => HelpUnclean,
        Field::EnableAutoCommit => HelpAutoCommit,
        Field::AutoCommitIntervalMs => HelpAutoCommitInterval,
        Field::AutoOffsetReset => HelpOffsetReset,
        Field::MaxPollRecords => HelpMaxPollRecords,
        Field::Commit => HelpCommit,
        Field::Processing => HelpProcessing,
    }
}

/// The headline and its one-sentence explanation.
pub fn guarantee_text(g: Guarantee) -> (ConfigText, ConfigText) {
    use ConfigText::*;
    match g {
        Guarantee::AtMostOnce => (AtMostOnce, ExplainAtMostOnce),
        Guarantee::AckedWritesCanBeLost => (AckedWritesCanBeLost, ExplainAcked),
        Guarantee::AtLeastOnce => (AtLeastOnce, ExplainAtLeastOnce),
    }
}

pub fn producer_side_text(side: ProducerSide) -> ConfigText {
    use ConfigText::*;
    match side {
        ProducerSide::FireAndForget => SideFireAndForget,
        ProducerSide::NoRetries => SideNoRetries,
        ProducerSide::LeaderOnly => SideLeaderOnly,
        ProducerSide::RetriesDuplicate => SideRetriesDuplicate,
        ProducerSide::Idempotent => SideIdempotent,
    }
}

pub fn consumer_side_text(side: ConsumerSide) -> ConfigText {
    use ConfigText::*;
    match side {
        ConsumerSide::CommitsBeforeProcessing => SideCommitsBefore,
        ConsumerSide::AutoCommitAsync => SideAutoCommitAsync,
        ConsumerSide::AutoCommit => SideAutoCommit,
        ConsumerSide::CommitsAfterProcessing => SideCommitsAfter,
        ConsumerSide::CommitsInTransaction => SideCommitsInTxn,
        ConsumerSide::NeverCommits => SideNeverCommits,
    }
}

pub fn finding_text(finding: Finding) -> ConfigText {
    use ConfigText::*;
    match finding {
        Finding::AcksZero => FindAcksZero,
        Finding::AcksOne => FindAcksOne,
        Finding::UncleanElection => FindUnclean,
        Finding::SingleReplica => FindSingleReplica,
        Finding::NoRetries => FindNoRetries,
        Finding::CommitBeforeProcessing => FindCommitBefore,
        Finding::AsyncAutoCommit => FindAsyncAutoCommit,
        Finding::ResetLatest => FindResetLatest,
        Finding::ResetNone => FindResetNone,
        Finding::RetriesWithoutIdempotence => FindRetriesNoIdempotence,
        Finding::IdempotenceSilentlyOff => FindIdempotenceOff,
        Finding::ResendAfterRestart => FindResend,
        Finding::AutoCommitRedelivers => FindAutoCommit,
        Finding::CommitAfterProcessing => FindCommitAfter,
        Finding::CommitInTransaction => FindCommitInTxn,
        Finding::NeverCommits => FindNeverCommits,
        Finding::Reordering => FindReordering,
        Finding::MinIsrOne => FindMinIsrOne,
        Finding::MinIsrAboveReplicas => FindMinIsrAbove,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalogue::CATALOGUE;
    use crate::model::presets::{AS_GIVEN, PRESETS};
    use crate::view::i18n::{check_catalogue, trf, Catalogue, Lang};

    #[test]
    fn the_config_catalogue_is_complete() {
        check_catalogue::<ConfigText>(&[]);
    }

    #[test]
    fn every_catalogue_scenario_and_preset_has_a_translated_title() {
        for (name, _) in CATALOGUE {
            assert!(catalogue_title(name).is_some(), "{name}");
        }
        for p in PRESETS.iter().filter(|p| p.id != AS_GIVEN) {
            let (name, _) = preset_text(p.id).unwrap_or_else(|| panic!("{}", p.id));
            assert_eq!(name.text(Lang::En), p.name, "{}", p.id);
        }
        assert!(preset_text(AS_GIVEN).is_none());
    }

    #[test]
    fn messages_fill_their_placeholders() {
        assert_eq!(
            trf(Lang::Ru, ConfigText::OutOfRange, &["1", "3"]),
            "Введите целое число от 1 до 3."
        );
    }
}
