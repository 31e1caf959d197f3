//! Every word of the guided lessons, in English and Russian. Written for this app from the facts
//! of the source notes (not copied from them).

crate::catalogue! {
    /// The lessons: their frame (buttons, progress) and each step's narration.
    pub enum LessonText {
    Lessons => "Guided lessons", "Уроки с гидом";
    Start => "Start", "Начать";
    StepOf => "Step {0} of {1}", "Шаг {0} из {1}";
    Back => "Back", "Назад";
    Next => "Next", "Далее";
    Finish => "Finish", "Завершить";
    Leave => "Leave the lesson", "Выйти из урока";
    PredictFirst => "Predict first:", "Сначала предскажите:";
    Right => "Right.", "Верно.";
    NotQuite => "Not quite.", "Не совсем.";
    Yes => "Yes", "Да";
    No => "No", "Нет";

    AtMostOnce => "At most once", "Не более одного раза";
    Amo1 => "acks=0: the producer counts m1 as sent as soon as it leaves the socket. Watch B1 crash before it has read m1.", "acks=0: продюсер считает m1 отправленной, как только она ушла в сокет. Смотрите: B1 падает, не успев прочитать m1.";
    Amo1Q => "Will the producer learn that m1 was lost?", "Узнает ли продюсер, что m1 потеряна?";
    Amo1Retry => "Yes, it times out and retries", "Да, истечёт таймаут, и он повторит отправку";
    Amo1Silent => "No, nothing will ever answer", "Нет, ответа не будет вообще";
    Amo1R => "Nobody was asked to answer, so no error can arrive: m1 is gone and nobody retries it. That is the at-most-once trade: fast, never duplicated, sometimes lost.", "Ответа никто не ждал, поэтому и ошибке неоткуда прийти: m1 пропала, и повторять её некому. В этом суть «не более одного раза»: быстро, без дублей, но иногда с потерями.";
    Amo2 => "The consumer commits offset 10 right after poll returns m1..m10, then processes them one by one and crashes after the third.", "Консьюмер фиксирует смещение 10 сразу после того, как poll вернул m1..m10, затем обрабатывает их по одной и падает после третьей.";
    Amo2Q => "After the restart, where does C1 read from?", "С какого места C1 читает после перезапуска?";
    Amo2After => "From offset 3, after the last processed record", "Со смещения 3, после последней обработанной записи";
    Amo2Committed => "From offset 10, the committed one", "Со смещения 10, зафиксированного";
    Amo2R => "The position died with the process; the committed offset is durable. C1 resumes at 10 and m4..m10 are never processed.", "Позиция погибла вместе с процессом, а зафиксированное смещение сохранилось. C1 продолжает с 10, и m4..m10 так и не будут обработаны.";
    Amo3 => "The at-most-once preset sets both sides at once: acks=0 for the producer, commit before processing for the consumer. Without faults every record still arrives once; the guarantee is about what happens when something fails.", "Пресет «не более одного раза» настраивает обе стороны: acks=0 у продюсера и фиксацию до обработки у консьюмера. Без сбоев каждая запись всё равно приходит один раз; гарантия говорит о том, что будет при сбое.";

    AtLeastOnce => "At least once", "Хотя бы один раз";
    Alo1 => "Kafka's defaults: acks=all, retries, an idempotent producer, a consumer that auto-commits. With no faults each record is written and processed once. Watch the ledger at the end.", "Настройки Kafka по умолчанию: acks=all, повторы, идемпотентный продюсер, консьюмер с автофиксацией. Без сбоев каждая запись записана и обработана один раз. Посмотрите на журнал в конце.";
    Alo2 => "Idempotence is off here. m1 is written, but its acknowledgement is lost on the way back. After request.timeout.ms the producer sends m1 again.", "Здесь идемпотентность выключена. m1 записана, но подтверждение теряется по дороге обратно. После request.timeout.ms продюсер отправляет m1 ещё раз.";
    Alo2Q => "What does the leader do with the second m1?", "Что лидер сделает со второй m1?";
    Alo2Knows => "Recognises it and keeps one copy", "Узнает её и оставит одну копию";
    Alo2Appends => "Appends it again", "Допишет её ещё раз";
    Alo2R => "Without a producer id and sequence numbers the leader cannot tell a retry from a new record: the log holds m1 twice. Nothing was lost, but something was duplicated.", "Без идентификатора продюсера и номеров последовательности лидер не отличит повтор от новой записи: в логе m1 дважды. Ничего не потеряно, зато есть дубль.";
    Alo3 => "The consumer processes m1..m10 first and commits afterwards, but it crashes before commitSync.", "Консьюмер сначала обрабатывает m1..m10 и только потом фиксирует смещение, но падает до commitSync.";
    Alo3Q => "How many times is each of m1..m10 processed in the end?", "Сколько раз в итоге обработана каждая из m1..m10?";
    Alo3Once => "Once", "Один раз";
    Alo3Twice => "Twice", "Дважды";
    Alo3R => "The committed offset is still 0, so the restarted consumer reads and processes all ten again. Commit after processing never loses a record; it may repeat one.", "Зафиксировано всё ещё смещение 0, поэтому перезапущенный консьюмер снова читает и обрабатывает все десять. Фиксация после обработки не теряет записей, но может их повторить.";
    Alo4 => "Auto-commit commits, at the next poll, the offsets of records returned by earlier polls. A crash between two auto-commits replays everything since the last one: see the duplicates marked on the timeline.", "Автофиксация при следующем poll фиксирует смещения записей, полученных предыдущими poll. Падение между двумя автофиксациями повторяет всё, что было после последней: дубли отмечены на шкале времени.";

    ExactlyOnce => "Exactly once", "Ровно один раз";
    Eo1 => "The same lost acknowledgement, with Kafka's defaults. The retry carries the same producer id, epoch and sequence number.", "Та же потерянная квитанция, но с настройками Kafka по умолчанию. Повтор несёт тот же идентификатор продюсера, эпоху и номер последовательности.";
    Eo1Q => "How many copies of m1 end up in the log?", "Сколько копий m1 окажется в логе?";
    Eo1One => "One", "Одна";
    Eo1Two => "Two", "Две";
    Eo1R => "The leader has already seen this sequence from this producer, so it answers with the original offset and writes nothing. enable.idempotence turns retries into exactly-once writes per partition.", "Лидер уже видел этот номер от этого продюсера, поэтому отвечает исходным смещением и ничего не пишет. enable.idempotence превращает повторы в запись ровно один раз в пределах партиции.";
    Eo2 => "Idempotence lasts one producer session. This producer crashes before its ack arrives; restarted, it gets a new producer id and the application sends m1 again, and the broker cannot tell.", "Идемпотентность действует в пределах одной сессии продюсера. Этот продюсер падает до прихода квитанции; после перезапуска он получает новый идентификатор, приложение снова шлёт m1, и брокер не может это распознать.";
    Eo4 => "With a transactional.id the restarted producer keeps its producer id at a higher epoch; the coordinator aborts the open transaction and m1 is sent again in a new one. C1 reads with read_committed, C2 with read_uncommitted.", "С transactional.id перезапущенный продюсер сохраняет идентификатор, но с большей эпохой; координатор прерывает открытую транзакцию, и m1 отправляется снова уже в новой. C1 читает с read_committed, C2 — с read_uncommitted.";
    Eo4Q => "How many times does C1 (read_committed) see m1?", "Сколько раз C1 (read_committed) увидит m1?";
    Eo4R => "Once: the aborted attempt stays in the log behind an ABORT marker, and read_committed skips it. C2, reading uncommitted data, sees it twice.", "Один: прерванная попытка остаётся в логе за маркером ABORT, и read_committed её пропускает. C2, читающий незафиксированные данные, видит m1 дважды.";
    Eo5 => "A zombie: P1 is cut off mid-transaction and P2 starts with the same transactional.id. The higher epoch fences P1; its late sends are refused with INVALID_PRODUCER_EPOCH and none of its records is ever committed.", "Зомби: P1 отрезан посреди транзакции, и P2 стартует с тем же transactional.id. Большая эпоха отстраняет P1; его запоздалые отправки отклоняются с INVALID_PRODUCER_EPOCH, и ни одна его запись так и не фиксируется.";
    Eo3 => "Consume-transform-produce: the application (C1 reading topic in, P2 writing topic out) puts its outputs and its consumer offsets in one transaction. It crashes before commitTransaction; on restart the open transaction is aborted, the pending offsets are dropped, and the inputs are processed again.", "Consume-transform-produce: приложение (C1 читает входной топик, P2 пишет в выходной) помещает свои результаты и смещения консьюмера в одну транзакцию. Оно падает до commitTransaction; после перезапуска открытая транзакция прерывается, ожидающие смещения отбрасываются, и входные записи обрабатываются заново.";
    Eo3Q => "How many times does C2 (read_committed, reading out) process each result?", "Сколько раз C2 (read_committed, читает выходной топик) обработает каждый результат?";
    Eo3R => "Once: the aborted copies never reach a read_committed reader, and the offsets moved only with the committed transaction. C3 (read_uncommitted) sees both copies, and the application itself processed every input twice: side effects outside Kafka are not exactly once.", "Один: прерванные копии не доходят до читателя с read_committed, а смещения сдвинулись только вместе с зафиксированной транзакцией. C3 (read_uncommitted) видит обе копии, а само приложение обработало каждую входную запись дважды: побочные эффекты вне Kafka не «ровно один раз».";

    Acks => "Acknowledgements and replication", "Подтверждения и репликация";
    Ack1 => "acks=0 waits for nothing: the producer cannot know whether the broker got the record.", "acks=0 ничего не ждёт: продюсер не может знать, получил ли брокер запись.";
    Ack2 => "acks=1: B1 appends m1, acknowledges it, and crashes before any follower has a copy. B2 becomes leader.", "acks=1: B1 дописывает m1, подтверждает её и падает раньше, чем копия появится у последователей. Лидером становится B2.";
    Ack2Q => "Was the producer told that m1 was written?", "Сказали ли продюсеру, что m1 записана?";
    Ack2R => "Yes: the leader answered before replication. The new leader never had m1, so an acknowledged record is lost — the worst kind of loss.", "Да: лидер ответил до репликации. У нового лидера m1 никогда не было, значит, подтверждённая запись потеряна — худший вид потери.";
    Ack3 => "acks=all: the leader answers only when every replica in the ISR has m1. B1 crashes right after answering.", "acks=all: лидер отвечает, только когда m1 есть у всех реплик из ISR. B1 падает сразу после ответа.";
    Ack3Q => "Does m1 survive the failover?", "Переживёт ли m1 смену лидера?";
    Ack3R => "Yes: B2 was in the ISR, so it has m1, and m2 follows at offset 1.", "Да: B2 был в ISR, значит, m1 у него есть, и m2 ложится по смещению 1.";
    Ack4 => "min.insync.replicas is 3 and one replica has fallen behind, so the leader refuses m1 with NOT_ENOUGH_REPLICAS instead of accepting it with too few copies.", "min.insync.replicas равен 3, а одна реплика отстала, поэтому лидер отклоняет m1 с NOT_ENOUGH_REPLICAS, а не принимает её со слишком малым числом копий.";
    Ack5 => "With min.insync.replicas=1, acks=all can mean a single copy. When that broker dies and unclean.leader.election.enable lets a stale replica lead, acknowledged records vanish.", "При min.insync.replicas=1 acks=all может означать одну копию. Когда этот брокер умирает, а unclean.leader.election.enable разрешает лидерство отставшей реплике, подтверждённые записи исчезают.";

    Groups => "Consumer groups", "Группы консьюмеров";
    Grp1 => "Two consumers in two different groups (group.id billing and audit) read the same topic.", "Два консьюмера из двух разных групп (group.id billing и audit) читают один топик.";
    Grp1Q => "How do they share the five records?", "Как они поделят пять записей?";
    Grp1Split => "Each gets some of them", "Каждый получит часть";
    Grp1Both => "Each gets all five", "Каждый получит все пять";
    Grp1R => "Every group has its own committed offsets and receives the whole stream. Sharing the work happens only inside one group.", "У каждой группы свои зафиксированные смещения, и каждая получает весь поток. Работа делится только внутри одной группы.";
    Grp2 => "Inside a group each partition has exactly one owner. Here two consumers of group g share three partitions: the range assignor gives C1 p0 and p1, and C2 p2.", "Внутри группы у каждой партиции ровно один владелец. Здесь два консьюмера группы g делят три партиции: range-назначение отдаёт C1 партиции p0 и p1, а C2 — p2.";
    Grp3 => "When a consumer leaves or crashes, its partitions move to another member (a rebalance), which starts from the committed offset: whatever was processed but not committed is processed again.", "Когда консьюмер уходит или падает, его партиции переходят к другому участнику (ребалансировка), и тот начинает с зафиксированного смещения: всё обработанное, но не зафиксированное, будет обработано снова.";
    Grp4 => "C1 reads all four partitions with the cooperative-sticky assignor and commits after processing; at 6 s C2 joins the group.", "C1 читает все четыре партиции с назначением cooperative-sticky и фиксирует смещения после обработки; в 6 с к группе присоединяется C2.";
    Grp4Q => "Does C1 stop reading while the group rebalances?", "Прекращает ли C1 чтение, пока группа ребалансируется?";
    Grp4Stops => "Yes: every member gives up its partitions first", "Да: сначала каждый участник отдаёт свои партиции";
    Grp4Keeps => "No: it goes on reading the partitions it keeps", "Нет: он продолжает читать партиции, которые остаются у него";
    Grp4R => "With the cooperative protocol (KIP-429) C1 keeps p0 and p1 and never stops reading them. The first rebalance gives p2 and p3 to nobody; C1 revokes them in its next poll and rejoins; a second rebalance hands them to C2, which starts at C1's committed offsets. Set partition.assignment.strategy to range (eager) and every partition stops for the rebalance.", "С кооперативным протоколом (KIP-429) C1 сохраняет p0 и p1 и не прекращает их читать. Первая ребалансировка не отдаёт p2 и p3 никому; C1 отзывает их при следующем poll и вступает снова; вторая ребалансировка передаёт их C2, который начинает с зафиксированных C1 смещений. Поставьте partition.assignment.strategy в range (жадный протокол), и на время ребалансировки остановятся все партиции.";

    Ordering => "Ordering per partition", "Порядок внутри партиции";
    Ord1 => "Three keys on a three-partition topic. The partition is murmur2(key) mod 3.", "Три ключа в топике с тремя партициями. Партиция — это murmur2(ключ) по модулю 3.";
    Ord1Q => "Where do user-1 and user-2 go?", "Куда попадут user-1 и user-2?";
    Ord1Same => "To the same partition", "В одну партицию";
    Ord1Spread => "Always to different partitions", "Всегда в разные партиции";
    Ord1R => "Both hash to partition 2 and keep their relative order there. Kafka orders records within a partition only, so records that must stay in order need the same key.", "Оба хешируются в партицию 2 и сохраняют там взаимный порядок. Kafka упорядочивает записи только внутри партиции, поэтому записи, порядок которых важен, должны иметь один ключ.";
    Ord2 => "Without idempotence and with five requests in flight, m1 is refused and retried while m2 is accepted.", "Без идемпотентности и с пятью запросами в полёте m1 отклоняется и повторяется, а m2 тем временем принимается.";
    Ord2Q => "Does the log keep the order of send()?", "Сохранит ли лог порядок вызовов send()?";
    Ord2R => "No: the retried m1 lands after m2. Either one request in flight, or idempotence, keeps the order.", "Нет: повторённая m1 ложится после m2. Порядок сохраняет либо один запрос в полёте, либо идемпотентность.";
    Ord3 => "The same dip with idempotence: the broker refuses records that arrive out of sequence, and the producer retries them in order.", "Тот же провал, но с идемпотентностью: брокер отклоняет записи, пришедшие не по порядку номеров, и продюсер повторяет их по порядку.";

    Persistence => "Persistence and retention", "Хранение и срок хранения";
    Per1 => "B2's process crashes and restarts. Its log lives on disk, so it keeps every record and only fetches what it missed.", "Процесс B2 падает и перезапускается. Его лог лежит на диске, поэтому все записи сохраняются, и он докачивает только пропущенное.";
    Per2 => "A power loss is harsher: B2 keeps only what the operating system had flushed to disk, truncates the rest and copies it again from the leader. Replication, not fsync, is what makes records durable.", "Отключение питания суровее: у B2 остаётся только то, что ОС успела сбросить на диск; остальное он обрезает и заново копирует у лидера. Надёжность записям даёт репликация, а не fsync.";
    Per3 => "Kafka keeps records for a configured time (retention.ms, 7 days by default; 10 s here) whether or not they were read; C1 comes back later than that, finds its next records deleted and starts from auto.offset.reset: the ledger marks them skipped.", "Kafka хранит записи заданное время (retention.ms, по умолчанию 7 дней; здесь 10 с), независимо от того, прочитаны ли они; C1 возвращается позже, находит свои следующие записи удалёнными и начинает с auto.offset.reset: в журнале они отмечены как пропущенные.";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::i18n::check_catalogue;

    #[test]
    fn the_lesson_catalogue_is_complete() {
        check_catalogue::<LessonText>(&[]);
    }
}
