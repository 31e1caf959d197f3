//! Words of the ledger panel, in English and Russian.

use crate::catalogue;

catalogue! {
    /// The ledger panel and the run summary.
    pub enum LedgerText {
    Title => "Ledger", "Журнал записей";
    Record => "Record", "Запись";
    Where => "Partition / offsets", "Партиция / смещения";
    Told => "Producer was told", "Продюсеру сказали";
    Sends => "Sends", "Отправки";
    Delivered => "Delivered", "Доставлено";
    Processed => "Processed", "Обработано";
    Fate => "Fate", "Судьба";
    ToldNothing => "nothing yet", "пока ничего";
    ToldAckedAt => "ok @{0}", "ok @{0}";
    ToldAckedNoOffset => "ok (no offset: acks=0)", "ok (без смещения: acks=0)";
    ToldFailed => "failed: {0}", "ошибка: {0}";
    FateLostAcknowledged => "lost after ack", "потеряна после подтверждения";
    FateSkipped => "skipped: committed, never processed", "пропущена: смещение зафиксировано, не обработана";
    FateDuplicateInLog => "duplicate in the log", "дубликат в логе";
    FateProcessedTwice => "processed twice", "обработана дважды";
    FateFailed => "failed (producer knows)", "не записана (продюсер знает)";
    FateNotWritten => "never written", "так и не записана";
    FatePending => "on its way", "в пути";
    FateExactlyOnce => "exactly once", "ровно один раз";
    Summary => "{0} sent · {1} acknowledged · {2} lost · {3} duplicated · {4} exactly once", "{0} отправлено · {1} подтверждено · {2} потеряно · {3} дублировано · {4} ровно один раз";
    Verdict => "Guarantees so far", "Гарантии на данный момент";
    VerdictFinal => "Guarantees of this run", "Гарантии этого прогона";
    AtMostOnce => "at-most-once", "не более одного раза";
    AtLeastOnce => "at-least-once", "не менее одного раза";
    ExactlyOnce => "exactly-once", "ровно один раз";
    Held => "held", "соблюдена";
    Broken => "broken", "нарушена";
    Empty => "No record sent yet.", "Записей пока нет.";
    MoreRows => "{0} more records not shown: every lost or duplicated record is always listed.", "Ещё записей не показано: {0}. Потерянные и дублированные записи показываются всегда.";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::i18n::check_catalogue;

    #[test]
    fn the_ledger_catalogue_is_complete() {
        check_catalogue::<LedgerText>(&[LedgerText::ToldAckedAt]);
    }
}
