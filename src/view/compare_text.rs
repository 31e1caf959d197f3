//! Words of side by side (compare mode), in English and Russian: the mode's controls, the
//! sentence saying where the two runs part, and the compared ledger.

crate::catalogue! {
    /// Compare mode: two configurations, one timeline.
    pub enum CompareText {
    ModeSwitch => "View", "Вид";
    ModeSingle => "One run", "Один прогон";
    ModeCompare => "Side by side", "Бок о бок";
    Title => "Side by side: two configurations, one story", "Бок о бок: две конфигурации, одна история";
    Intro => "Both runs live through the same scenario and the same faults, in lock-step on one timeline. A crash you give now happens in both at the same moment.", "Оба прогона проживают один и тот же сценарий с теми же сбоями, шаг в шаг на одной шкале времени. Сбой, который вы вызовете сейчас, произойдёт в обоих в один и тот же момент.";
    SideA => "A", "A";
    SideB => "B", "B";
    PickA => "Configuration A", "Конфигурация A";
    PickB => "Configuration B", "Конфигурация B";
    StageOf => "Run {0} ({1}): the cluster with its messages in flight", "Прогон {0} ({1}): кластер и сообщения в пути";
    SideHeading => "{0}: {1}", "{0}: {1}";
    NoDivergence => "The two runs tell the same story: their traces never part.", "Оба прогона рассказывают одну историю: их трассы не расходятся.";
    Part => "At t = {0} ms the two runs part: {1}; {2}.", "При t = {0} мс прогоны расходятся: {1}; {2}.";
    Under => "under {0}, {1}", "в прогоне {0} {1}";
    OnlyLater => "under {0}, that happens only at t = {1} ms", "в прогоне {0} это происходит лишь при t = {1} мс";
    Never => "under {0}, that never happens", "в прогоне {0} этого не происходит вовсе";
    AckOnlyLater => "under {0}, m{1} is acknowledged only at t = {2} ms, when {3} of {4} replicas have it", "в прогоне {0} m{1} подтверждается лишь при t = {2} мс, когда она есть у {3} из {4} реплик";
    AckNever => "under {0}, m{1} is never acknowledged", "в прогоне {0} m{1} так и не подтверждена";
    GoToDivergence => "Go to that moment", "Перейти к этому моменту";
    Answered => "{0} acknowledged m{1} to {2} when {3} of {4} replicas had it", "{0} подтвердил {2} запись m{1}, когда она была у {3} из {4} реплик";
    AnsweredError => "{0} answered {2} that m{1} failed ({3})", "{0} ответил {2}, что m{1} не записана ({3})";
    AckedBlind => "{0} counted m{1} as sent without waiting for any answer (acks=0)", "{0} счёл m{1} отправленной, не дожидаясь ответа (acks=0)";
    Acked => "{0} was told m{1} is stored at offset {2}", "{0} получил ответ: m{1} записана по смещению {2}";
    SendFailed => "{0} was told m{1} failed ({2})", "{0} получил ошибку для m{1} ({2})";
    Retrying => "{0} sent m{1} again (attempt {2})", "{0} снова отправил m{1} (попытка {2})";
    RecordSent => "{0} called send() for m{1}", "{0} вызвал send() для m{1}";
    Appended => "{0} appended m{1} at offset {2} of p{3}", "{0} записал m{1} по смещению {2} в p{3}";
    Replicated => "{0} copied m{1} (p{2}, offset {3})", "{0} скопировал m{1} (p{2}, смещение {3})";
    Truncated => "{0} cut p{1} back to offset {2}, removing {3} record(s)", "{0} обрезал p{1} до смещения {2}, удалив записей: {3}";
    HighWatermark => "the high watermark of p{1} on {0} moved to {2}", "high watermark p{1} на {0} сдвинулся до {2}";
    Isr => "the in-sync replicas of p{0} became {1}", "синхронными репликами p{0} стали {1}";
    Elected => "{0} became leader of p{1}", "{0} стал лидером p{1}";
    ElectedUnclean => "{0} became leader of p{1} in an unclean election", "{0} стал лидером p{1} в «нечистых» выборах";
    Offline => "p{0} went offline: no leader", "p{0} недоступна: нет лидера";
    Crashed => "{0} crashed", "{0} упал";
    Restarted => "{0} restarted", "{0} перезапущен";
    Froze => "{0} froze (GC pause)", "{0} замер (пауза GC)";
    Woke => "{0} woke up", "{0} очнулся";
    Polled => "{0} polled m{1}", "{0} получил m{1}";
    Processed => "{0} processed m{1}", "{0} обработал m{1}";
    Committed => "the group committed offset {1} of p{2} for {0}", "группа зафиксировала смещение {1} в p{2} для {0}";
    PositionSet => "{0} set its position on p{1} to {2}", "{0} установил позицию в p{1} на {2}";
    PositionValidated => "{0} validated its position {2} on p{1} with the new leader (KIP-320)", "{0} сверил позицию {2} в p{1} с новым лидером (KIP-320)";
    OtherEvent => "a {0} event happened", "произошло событие {0}";
    LedgerTitle => "Ledgers, row by row", "Журналы записей, строка за строкой";
    LedgerCaption => "Each record's fate under A and B at the cursor; rows where they differ are highlighted.", "Судьба каждой записи в A и B на момент курсора; строки, где она различается, выделены.";
    LedgerDiffer => "{0} of {1} records fare differently.", "По-разному проходят записей: {0} из {1}.";
    LedgerSame => "All {0} records fare the same.", "Все записи ({0}) проходят одинаково.";
    LedgerSide => "{0}: {1}", "{0}: {1}";
    LedgerRecord => "Record", "Запись";
    LedgerEmpty => "No record sent yet.", "Записей пока нет.";
    Differs => "differs", "различается";
    NotSent => "not sent", "не отправлена";
    MoreRows => "{0} more records not shown: every record whose fate differs is listed first.", "Ещё записей не показано: {0}. Записи с разной судьбой показываются первыми.";
    Details => "p{0} @ {1} · told: {2} · processed {3}", "p{0} @ {1} · ответ: {2} · обработана {3}";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::i18n::check_catalogue;

    #[test]
    fn the_compare_catalogue_is_complete() {
        check_catalogue::<CompareText>(&[
            CompareText::SideA,
            CompareText::SideB,
            CompareText::SideHeading,
            CompareText::LedgerSide,
        ]);
    }
}
