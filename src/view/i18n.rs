//! Message catalogues: every word the UI shows, in English and Russian.
//!
//! One table lists each message once with all its translations, so a missing translation is a
//! compile error, and tests walk the table for untranslated strings and mismatched placeholders.
//! Placeholders are `{0}`, `{1}`, … and are filled by [`trf`].

use serde::{Deserialize, Serialize};

/// A language the UI speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    En,
    Ru,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    /// The BCP 47 code, for `<html lang>`, links and storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// Parses a code such as `ru` or `ru-RU`; `None` for a language the UI does not speak.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The language's name in itself, for the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ru => "Русский",
        }
    }
}

/// A message catalogue: an enum whose every value has a text in every language.
pub trait Catalogue: Copy + std::fmt::Debug + PartialEq + 'static {
    /// Every message, for tests that walk the catalogues.
    const ALL: &'static [Self];
    /// The message in `lang`, placeholders unfilled.
    fn text(self, lang: Lang) -> &'static str;
}

/// Declares a catalogue: `catalogue! { pub enum Name { Key => "English", "Русский"; … } }`.
/// Each area of the UI keeps its own, so they grow without stepping on each other.
#[macro_export]
macro_rules! catalogue {
    ($(#[$meta:meta])* pub enum $name:ident { $($key:ident => $en:expr, $ru:expr;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($key),* }

        impl $crate::view::i18n::Catalogue for $name {
            const ALL: &'static [$name] = &[$($name::$key),*];
            fn text(self, lang: $crate::view::i18n::Lang) -> &'static str {
                match lang {
                    $crate::view::i18n::Lang::En => match self { $($name::$key => $en),* },
                    $crate::view::i18n::Lang::Ru => match self { $($name::$key => $ru),* },
                }
            }
        }
    };
}

/// The message in `lang`, placeholders unfilled.
pub fn tr<C: Catalogue>(lang: Lang, text: C) -> &'static str {
    text.text(lang)
}

catalogue! {
    /// The app shell, playback and the stage.
    pub enum Text {
    AppTitle => "Delivery Lab", "Delivery Lab";
    Tagline => "Kafka's delivery guarantees, made visible.", "Гарантии доставки Kafka — наглядно.";
    Play => "Play", "Пуск";
    Pause => "Pause", "Пауза";
    Reset => "Reset", "Сброс";
    StepBack => "Step back", "Шаг назад";
    StepForward => "Step forward", "Шаг вперёд";
    Speed => "Speed", "Скорость";
    Timeline => "Timeline", "Шкала времени";
    PlaybackToolbar => "Playback", "Воспроизведение";
    Clock => "t = {0} ms of {1} ms", "t = {0} мс из {1} мс";
    Language => "Language", "Язык";
    Help => "Keyboard shortcuts", "Клавиши";
    Close => "Close", "Закрыть";
    KeyPlayPause => "play or pause", "пуск или пауза";
    KeyStep => "step to the previous or next event", "шаг к предыдущему или следующему событию";
    KeySpeed => "slower or faster", "медленнее или быстрее";
    KeyReset => "back to the start", "в начало";
    KeyHelp => "show or hide this help", "показать или скрыть эту справку";
    StageLabel => "The cluster with its messages in flight", "Кластер и сообщения в пути";
    RoleProducer => "producer", "продюсер";
    RoleBroker => "broker", "брокер";
    RoleConsumer => "consumer", "консьюмер";
    LogTitle => "log", "лог";
    FatalTitle => "Delivery Lab stopped because of an internal error", "Delivery Lab остановилась из-за внутренней ошибки";
    FatalBody => "Nothing you did caused this. Reload the page to start again; the details below help us fix it.", "Вы ни в чём не виноваты. Перезагрузите страницу, чтобы начать заново; подробности ниже помогут нам исправить ошибку.";
    Reload => "Reload", "Перезагрузить";
    Crashed => "crashed", "упал";
    Fenced => "fenced", "отстранён";
    Paused => "paused", "пауза";
    Leader => "leader", "лидер";
    OutOfSync => "out of sync", "отстал";
    Offline => "offline", "недоступна";
    ProducerIdLine => "pid {0} · epoch {1}", "pid {0} · эпоха {1}";
    ProducerCounts => "sent {0} · acked {1}", "отправлено {0} · подтверждено {1}";
    ConsumerLine => "p{0}: position {1} · committed {2}", "p{0}: позиция {1} · зафиксировано {2}";
    ConsumerProcessed => "processed {0}", "обработано {0}";
    ConsumerGroupLine => "group {0} · gen {1} · {2}", "группа {0} · пок. {1} · {2}";
    ConsumerNotMember => "group {0} · not a member", "группа {0} · не участник";
    ConsumerZombie => "group {0} · left (zombie)", "группа {0} · вышел (зомби)";
    None => "—", "—";
    HighWatermarkShort => "HW", "HW";
    LogEndShort => "LEO", "LEO";
    Faults => "Faults", "Сбои";
    InternalTopics => "Internal topics", "Служебные топики";
    InternalEarlier => "+{0} earlier", "ещё {0} раньше";
    InternalWrittenBy => "written by {0}", "записал {0}";
    Crash => "Crash", "Уронить";
    PowerLoss => "Power loss", "Отключить питание";
    Restart => "Restart", "Перезапустить";
    CrashNode => "Crash {0}", "Уронить {0}";
    PowerLossNode => "Power loss on {0} (unflushed data lost)", "Отключить питание {0} (несброшенные данные пропадут)";
    RestartNode => "Restart {0}", "Перезапустить {0}";
    GcPause => "Freeze", "Заморозить";
    Wake => "Wake", "Разбудить";
    PauseNode => "Freeze {0} (a long stop for garbage collection: it keeps its state but does nothing)", "Заморозить {0} (долгая пауза GC: состояние сохраняется, но узел ничего не делает)";
    ResumeNode => "Wake {0}: what waited for it happens now", "Разбудить {0}: всё, что его ждало, произойдёт сейчас";
    AtNextStep => "At the next step", "На следующем шаге";
    CrashLeaderAfterAppend => "Crash the leader of p0 right after it appends the next record", "Уронить лидера p0 сразу после записи следующей записи";
    LoseNextAck => "Lose the ack of the next record", "Потерять подтверждение следующей записи";
    CrashConsumerAfterProcessing => "Crash {0} after it processes the next record, before it commits", "Уронить {0} после обработки следующей записи, до фиксации смещения";
    Armed => "Armed: {0}", "Взведено: {0}";
    Link => "Link", "Связь";
    CutLink => "Cut the link", "Разорвать связь";
    HealLink => "Heal the link", "Восстановить связь";
    LinkBetween => "between {0} and {1}", "между {0} и {1}";
    SelectedMessage => "Message #{0}: {1}", "Сообщение #{0}: {1}";
    LoseThisMessage => "Lose this message", "Потерять это сообщение";
    ClickAMessage => "Click a message in flight to follow its record or lose it.", "Щёлкните по сообщению в пути, чтобы проследить запись или потерять его.";
    Legend => "Legend", "Условные обозначения";
    MarkAt => "{0} at {1} ms", "{0}: {1} мс";
    MarkCrash => "crash", "падение";
    MarkRestart => "restart", "перезапуск";
    MarkElection => "leader election", "выборы лидера";
    MarkLoss => "records removed", "записи удалены";
    MarkDuplicate => "duplicate", "дубликат";
    MarkCommit => "offset commit", "фиксация смещения";
    MarkRebalance => "group rebalance", "ребалансировка группы";
    MarkDivergence => "the runs part", "прогоны расходятся";
    LegendRecord => "record sent by a producer (produce request)", "запись от продюсера (produce)";
    LegendAck => "acknowledgement to the producer (red: an error)", "подтверждение продюсеру (красное — ошибка)";
    LegendReplicaFetch => "follower fetch request", "запрос ведомой реплики (fetch)";
    LegendReplicaData => "records replicated to a follower", "записи, копируемые ведомой реплике";
    LegendFetch => "consumer fetch request", "запрос консьюмера (fetch)";
    LegendFetchData => "records delivered to a consumer", "записи, доставляемые консьюмеру";
    LegendCommit => "offset commit (and its answer)", "фиксация смещения (и ответ)";
    LegendUncommitted => "a record above the high watermark: not yet committed, invisible to consumers", "запись выше high watermark: ещё не закоммичена, консьюмеры её не видят";
    LegendMarkers => "green line: high watermark (HW); black bar: log end offset (LEO)", "зелёная линия — high watermark (HW); чёрная черта — конец лога (LEO)";
    Forked => "You acted in the past: the old future was discarded and the story continues from here.", "Вы вмешались в прошлое: прежнее будущее отброшено, история продолжается отсюда.";
    }
}

/// The message in `lang` with `{0}`, `{1}`, … replaced by `args`.
pub fn trf<C: Catalogue>(lang: Lang, text: C, args: &[&str]) -> String {
    let mut out = tr(lang, text).to_string();
    for (i, arg) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), arg);
    }
    out
}

/// The placeholders a message uses, sorted: `[0, 1]` for "t = {0} of {1}".
pub fn placeholders(s: &str) -> Vec<u32> {
    let mut found: Vec<u32> = s
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}')?.0.parse().ok())
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// Checks a catalogue: every Russian message is non-empty and translated (has a Cyrillic
/// letter and differs from the English) unless listed in `same_everywhere` (names, not words),
/// and every translation uses the same placeholders as the English. Each catalogue's tests call it.
#[cfg(test)]
pub fn check_catalogue<C: Catalogue>(same_everywhere: &[C]) {
    for &text in C::ALL {
        let (en, ru) = (tr(Lang::En, text), tr(Lang::Ru, text));
        assert!(!ru.trim().is_empty(), "{text:?} is empty in Russian");
        if !same_everywhere.contains(&text) {
            assert_ne!(en, ru, "{text:?} is not translated into Russian");
            assert!(
                ru.chars()
                    .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё')),
                "{text:?} has no Russian word: {ru}"
            );
        }
        let expected = placeholders(en);
        for lang in Lang::ALL {
            assert_eq!(
                placeholders(tr(lang, text)),
                expected,
                "{text:?} in {lang:?}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shell_catalogue_is_complete() {
        check_catalogue::<Text>(&[
            Text::AppTitle,
            Text::HighWatermarkShort,
            Text::LogEndShort,
            Text::None,
        ]);
    }

    #[test]
    fn placeholders_are_filled_in_order() {
        assert_eq!(
            trf(Lang::En, Text::Clock, &["5", "60"]),
            "t = 5 ms of 60 ms"
        );
        assert_eq!(
            trf(Lang::Ru, Text::Clock, &["5", "60"]),
            "t = 5 мс из 60 мс"
        );
    }

    #[test]
    fn language_codes_round_trip_and_regions_are_ignored() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("ru-RU"), Some(Lang::Ru));
        assert_eq!(Lang::from_code("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::from_code(""), None);
    }
}
