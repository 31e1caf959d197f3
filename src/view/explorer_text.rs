//! The explorer's words, in English and Russian: buttons, progress, the matrix's column heads
//! (the checker's vocabulary) and the presets' names by id (side by side names them too).

crate::catalogue! {
    /// The explorer panel; the presets' names serve side by side too.
    pub enum ExplorerText {
    Title => "Explorer: every crash point", "Исследователь: каждая точка сбоя";
    Intro => "Tries every single fault (a crash, a lost message, a cut link) at every moment it can matter, under each configuration, and counts what goes wrong. Each run goes on until the cluster has recovered and nothing left can change its outcome (at most {0} s after the story).", "Пробует каждый одиночный сбой (падение, потерю сообщения, разрыв связи) в каждый момент, когда он может что-то изменить, при каждой конфигурации, и считает, что пошло не так. Каждый прогон идёт, пока кластер не восстановится и исход уже ничто не сможет изменить (не дольше {0} с после сюжета).";
    Explore => "Explore every crash point", "Проверить каждую точку сбоя";
    Estimate => "About {0} runs: {1} fault points × {2} configurations.", "Около {0} прогонов: {1} точек сбоя × {2} конфигураций.";
    Planning => "Planning the runs…", "Планирование прогонов…";
    Running => "{0} of {1} runs", "{0} из {1} прогонов";
    Cancel => "Cancel", "Отменить";
    Finished => "{0} runs in {1} s.", "{0} прогонов за {1} с.";
    Cancelled => "Cancelled after {0} of {1} runs: the counts are partial.", "Отменено после {0} из {1} прогонов: подсчёт неполный.";
    WorkerFailed => "The explorer could not start: {0}", "Не удалось запустить исследователь: {0}";
    MatrixCaption => "Runs showing each anomaly, per configuration. A number opens the shortest counterexample in the stage.", "Прогоны с каждой аномалией по конфигурациям. Число открывает кратчайший контрпример на сцене.";
    Configuration => "Configuration", "Конфигурация";
    ColLost => "lost", "потеряно";
    ColAcknowledgedLost => "acknowledged but lost", "подтверждено, но потеряно";
    ColDuplicate => "duplicate", "дубликат";
    ColDuplicateInLog => "duplicate in log", "дубликат в логе";
    ColReordered => "reordered", "переупорядочено";
    ColAbortedRead => "aborted read", "чтение отменённого";
    ColStalled => "stalled", "застряло";
    BaselineMark => "also without any fault", "и без всякого сбоя";
    SameAs => "the same settings as {0}: the same runs", "те же настройки, что у «{0}»: те же прогоны";
    OpenCounterexample => "Open the shortest of {0} runs: {1} under {2}", "Открыть кратчайший из {0} прогонов: {1} при «{2}»";
    Opened => "In the stage: {0} under {1}. Faults: {2}", "На сцене: {0} при «{1}». Сбои: {2}";
    PresetAsGiven => "Your configuration", "Ваша конфигурация";
    PresetKafkaDefaults => "Kafka defaults", "Настройки Kafka по умолчанию";
    PresetAtMostOnce => "At most once", "Не более одного раза";
    PresetAtLeastOnce => "At least once", "Не менее одного раза";
    PresetIdempotent => "Idempotent producer", "Идемпотентный продюсер";
    PresetUnsafeAcks1 => "Unsafe: acks=1", "Опасно: acks=1";
    PresetUnsafeRetries => "Unsafe: retries without idempotence", "Опасно: повторы без идемпотентности";
    PresetUnsafeUnclean => "Unsafe: unclean leader election", "Опасно: «нечистые» выборы лидера";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::i18n::check_catalogue;

    #[test]
    fn the_explorer_catalogue_is_complete() {
        check_catalogue::<ExplorerText>(&[]);
    }
}
