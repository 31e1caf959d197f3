//! Keyboard shortcuts: which key means what. Pure, so the mapping is tested natively.

use super::session::SessionAction;

/// What a key does, independent of where the page is.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyIntent {
    Session(SessionAction),
    ToggleHelp,
    CloseHelp,
}

/// Maps a key to an intent; `None` leaves the key to the browser.
pub fn intent_for(key: &str) -> Option<KeyIntent> {
    Some(match key {
        " " | "Spacebar" | "k" => KeyIntent::Session(SessionAction::TogglePlay),
        "ArrowRight" | "l" => KeyIntent::Session(SessionAction::StepForward),
        "ArrowLeft" | "j" => KeyIntent::Session(SessionAction::StepBack),
        "+" | "=" => KeyIntent::Session(SessionAction::Faster),
        "-" | "_" => KeyIntent::Session(SessionAction::Slower),
        "Home" => KeyIntent::Session(SessionAction::Reset),
        "?" => KeyIntent::ToggleHelp,
        "Escape" => KeyIntent::CloseHelp,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_plays_arrows_step_and_question_mark_opens_help() {
        assert_eq!(
            intent_for(" "),
            Some(KeyIntent::Session(SessionAction::TogglePlay))
        );
        assert_eq!(
            intent_for("ArrowLeft"),
            Some(KeyIntent::Session(SessionAction::StepBack))
        );
        assert_eq!(
            intent_for("ArrowRight"),
            Some(KeyIntent::Session(SessionAction::StepForward))
        );
        assert_eq!(
            intent_for("+"),
            Some(KeyIntent::Session(SessionAction::Faster))
        );
        assert_eq!(
            intent_for("-"),
            Some(KeyIntent::Session(SessionAction::Slower))
        );
        assert_eq!(intent_for("?"), Some(KeyIntent::ToggleHelp));
        assert_eq!(intent_for("Escape"), Some(KeyIntent::CloseHelp));
    }

    #[test]
    fn other_keys_are_left_to_the_browser() {
        for key in ["Tab", "Enter", "a", "F5", "ArrowUp"] {
            assert_eq!(intent_for(key), None, "{key}");
        }
    }
}
