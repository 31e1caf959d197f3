//! Words for sharing: links and their errors, the embed frame, import and export.

use super::i18n::{tr, trf, Lang};
use super::link::LinkError;
use super::scenario_text::{field_text, problem_text, refusal_text};
use crate::model::ScenarioError;

crate::catalogue! {
    /// Links, the embed frame, files in and out.
    pub enum ShareText {
    Share => "Share and save", "Поделиться и сохранить";
    CopyLink => "Copy link", "Копировать ссылку";
    Copied => "Link copied to the clipboard.", "Ссылка скопирована в буфер обмена.";
    CopyByHand => "Select the link and copy it (Ctrl+C).", "Выделите ссылку и скопируйте её (Ctrl+C).";
    LinkField => "Link to this moment", "Ссылка на этот момент";
    LinkBroken => "This link could not be opened: {0} The default scenario is shown instead.", "Эту ссылку не удалось открыть: {0} Вместо неё открыт сценарий по умолчанию.";
    Dismiss => "Dismiss", "Скрыть";
    ErrTooLong => "it is longer than any link this app writes.", "она длиннее любой ссылки, которую пишет это приложение.";
    ErrVersion => "it was written in link format v={0}, and this version reads v=1 and v=2.", "она записана в формате v={0}, а эта версия читает v=1 и v=2.";
    ErrUnknownScenario => "there is no scenario named “{0}”.", "сценария с именем «{0}» нет.";
    ErrDamaged => "its part “{0}” is damaged or cut short.", "её часть «{0}» повреждена или обрезана.";
    ErrNumber => "its part “{0}” should be a number, not “{1}”.", "её часть «{0}» должна быть числом, а не «{1}».";
    ErrScenario => "its scenario was refused at {0}: {1}.", "её сценарий отклонён в поле {0}: {1}.";
    OpenFull => "Open in Delivery Lab", "Открыть в Delivery Lab";
    EmbedLabel => "Delivery Lab, embedded", "Delivery Lab, встроенная";
    DownloadScenario => "Download scenario", "Скачать сценарий";
    UploadScenario => "Open scenario file", "Открыть файл сценария";
    ExportTrace => "Export trace (JSON)", "Экспорт трассы (JSON)";
    SaveSvg => "Save stage (SVG)", "Сохранить сцену (SVG)";
    SavePng => "Save stage (PNG)", "Сохранить сцену (PNG)";
    SaveSequence => "Sequence diagram (SVG)", "Схема сообщений (SVG)";
    SaveSequenceHint => "The story up to the time cursor as a sequence diagram: a lifeline per node, every message an arrow, time flowing down", "История до текущего момента как диаграмма последовательности: линия жизни для каждого узла, каждое сообщение — стрелка, время идёт вниз";
    FileRefused => "The file {0} was not opened, and nothing was changed: {1}", "Файл {0} не открыт, ничего не изменилось: {1}";
    FileUnreadable => "The file {0} could not be read.", "Не удалось прочитать файл {0}.";
    FileOpened => "Opened {0}.", "Открыт файл {0}.";
    }
}

/// The message for a link that could not be opened, complete with what happens instead.
pub fn link_error_message(lang: Lang, error: &LinkError) -> String {
    let why = match error {
        LinkError::TooLong => tr(lang, ShareText::ErrTooLong).to_string(),
        LinkError::Version(v) => trf(lang, ShareText::ErrVersion, &[v]),
        LinkError::UnknownScenario(n) => trf(lang, ShareText::ErrUnknownScenario, &[n]),
        LinkError::Damaged(p) => trf(lang, ShareText::ErrDamaged, &[p]),
        LinkError::Number(p, v) => trf(lang, ShareText::ErrNumber, &[p, v]),
        LinkError::Scenario(e) => trf(
            lang,
            ShareText::ErrScenario,
            &[
                &field_text(lang, e.field()),
                &problem_text(lang, e.problem()),
            ],
        ),
    };
    trf(lang, ShareText::LinkBroken, &[&why])
}

/// The message for a scenario file that was not opened: its name, the field and the problem.
pub fn file_refused_message(lang: Lang, name: &str, error: &ScenarioError) -> String {
    trf(
        lang,
        ShareText::FileRefused,
        &[name, &refusal_text(lang, error)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::i18n::check_catalogue;

    #[test]
    fn the_share_catalogue_is_complete() {
        check_catalogue::<ShareText>(&[]);
    }

    #[test]
    fn a_broken_link_message_names_the_problem_in_each_language() {
        let e = LinkError::Damaged("patch");
        assert!(link_error_message(Lang::En, &e).contains("“patch” is damaged"));
        assert!(link_error_message(Lang::Ru, &e).contains("«patch» повреждена"));
    }

    #[test]
    fn a_refused_file_says_why_in_russian() {
        let e = crate::model::Scenario::from_json(r#"{"brokers": {"count": 0}}"#).unwrap_err();
        assert_eq!(
            file_refused_message(Lang::Ru, "bad.json", &e),
            "Файл bad.json не открыт, ничего не изменилось: brokers.count: должно быть в \
             пределах 1..=9, а не 0"
        );
        assert_eq!(
            file_refused_message(Lang::En, "bad.json", &e),
            "The file bad.json was not opened, and nothing was changed: brokers.count: must be \
             1..=9, not 0"
        );
    }

    #[test]
    fn a_link_with_a_refused_scenario_says_why_in_russian() {
        let e = LinkError::Scenario(
            crate::model::Scenario::from_json(
                r#"{"faults": [{"at_ms": 1, "do": {"crash": {"node": "B7"}}}]}"#,
            )
            .unwrap_err(),
        );
        assert_eq!(
            link_error_message(Lang::Ru, &e),
            "Эту ссылку не удалось открыть: её сценарий отклонён в поле faults[0]: в этом \
             сценарии нет узла B7. Вместо неё открыт сценарий по умолчанию."
        );
    }
}
