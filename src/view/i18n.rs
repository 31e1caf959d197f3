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

macro_rules! catalogue {
    ($($key:ident => $en:expr, $ru:expr;)*) => {
        /// A message of the UI.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Text { $($key),* }

        impl Text {
            /// Every message, for tests that walk the catalogues.
            pub const ALL: &'static [Text] = &[$(Text::$key),*];
        }

        /// The message in `lang`, placeholders unfilled.
        pub fn tr(lang: Lang, text: Text) -> &'static str {
            match lang {
                Lang::En => match text { $(Text::$key => $en),* },
                Lang::Ru => match text { $(Text::$key => $ru),* },
            }
        }
    };
}

catalogue! {
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
}

/// The message in `lang` with `{0}`, `{1}`, … replaced by `args`.
pub fn trf(lang: Lang, text: Text, args: &[&str]) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Messages that are the same in every language (names, not words).
    const SAME_EVERYWHERE: &[Text] = &[Text::AppTitle];

    #[test]
    fn every_russian_message_is_translated() {
        for &text in Text::ALL {
            let (en, ru) = (tr(Lang::En, text), tr(Lang::Ru, text));
            assert!(!ru.trim().is_empty(), "{text:?} is empty in Russian");
            if !SAME_EVERYWHERE.contains(&text) {
                assert_ne!(en, ru, "{text:?} is not translated into Russian");
                assert!(
                    ru.chars()
                        .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c))),
                    "{text:?} has no Russian word: {ru}"
                );
            }
        }
    }

    #[test]
    fn translations_use_the_same_placeholders() {
        for &text in Text::ALL {
            let en = placeholders(tr(Lang::En, text));
            for lang in Lang::ALL {
                assert_eq!(placeholders(tr(lang, text)), en, "{text:?} in {lang:?}");
            }
        }
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
