//! Playback: how real time at the screen maps to virtual time in the model.
//!
//! The requestAnimationFrame loop reports the browser's frame timestamps; this turns them into a
//! time cursor (`cursor += elapsed × speed`). The model never reads a clock: the UI asks it to
//! advance to the cursor. Pure, so it is tested natively.

use super::session::SessionAction;
use crate::model::Millis;

/// A gap between two frames longer than this (a hidden tab, a breakpoint) counts as this much,
/// so playback resumes where it was instead of jumping ahead.
pub const MAX_FRAME_GAP_MS: f64 = 100.0;

/// The slowest and fastest playback speeds (virtual ms per real ms).
pub const MIN_SPEED: f64 = 0.1;
pub const MAX_SPEED: f64 = 10.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Playback {
    /// Where the stage is, in virtual milliseconds (fractional for smooth motion).
    pub cursor_ms: f64,
    pub playing: bool,
    /// Virtual milliseconds per real millisecond.
    pub speed: f64,
    /// The timestamp of the last frame while playing; `None` right after play is pressed.
    last_frame_ms: Option<f64>,
}

impl Default for Playback {
    fn default() -> Self {
        Self {
            cursor_ms: 0.0,
            playing: false,
            speed: 1.0,
            last_frame_ms: None,
        }
    }
}

impl Playback {
    /// Play or pause. Playing at the end starts again from the beginning.
    pub fn toggle(&mut self, end_ms: Millis) {
        self.playing = !self.playing;
        self.last_frame_ms = None;
        if self.playing && self.cursor_ms >= end_ms as f64 {
            self.cursor_ms = 0.0;
        }
    }

    /// Advances the cursor for a frame painted at `timestamp_ms` (the browser's clock); stops at
    /// `end_ms`. Returns the whole virtual millisecond the model should run to.
    pub fn on_frame(&mut self, timestamp_ms: f64, end_ms: Millis) -> Millis {
        if self.playing {
            if let Some(last) = self.last_frame_ms {
                let elapsed = (timestamp_ms - last).clamp(0.0, MAX_FRAME_GAP_MS);
                self.cursor_ms += elapsed * self.speed;
            }
            self.last_frame_ms = Some(timestamp_ms);
            if self.cursor_ms >= end_ms as f64 {
                self.cursor_ms = end_ms as f64;
                self.playing = false;
                self.last_frame_ms = None;
            }
        }
        self.cursor()
    }

    /// The cursor as a whole virtual millisecond.
    pub fn cursor(&self) -> Millis {
        self.cursor_ms.max(0.0) as Millis
    }

    pub fn set_speed(&mut self, speed: f64) {
        self.speed = speed.clamp(MIN_SPEED, MAX_SPEED);
    }

    pub fn pause(&mut self) {
        if self.playing {
            self.playing = false;
            self.last_frame_ms = None;
        }
    }

    /// The controls every view of a run shares (one run or two in lock-step): play, pause and
    /// speed. Applies `action` if it is one of them and says whether it was.
    pub fn control(&mut self, action: &SessionAction, end_ms: Millis) -> bool {
        match action {
            SessionAction::TogglePlay => self.toggle(end_ms),
            SessionAction::Pause => self.pause(),
            SessionAction::SetSpeed(speed) => self.set_speed(*speed),
            SessionAction::Faster => self.set_speed(step_speed(self.speed, true)),
            SessionAction::Slower => self.set_speed(step_speed(self.speed, false)),
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_controls_take_play_pause_and_speed_and_leave_the_rest() {
        let mut p = Playback::default();
        assert!(p.control(&SessionAction::TogglePlay, 1000));
        assert!(p.playing);
        assert!(p.control(&SessionAction::Faster, 1000));
        assert_eq!(p.speed, 2.0);
        assert!(p.control(&SessionAction::SetSpeed(50.0), 1000));
        assert_eq!(p.speed, MAX_SPEED);
        assert!(p.control(&SessionAction::Slower, 1000));
        assert!(p.control(&SessionAction::Pause, 1000));
        assert!(!p.playing);
        assert!(
            p.control(&SessionAction::Pause, 1000),
            "pausing when paused is a no-op"
        );
        assert!(!p.playing);
        for other in [
            SessionAction::Frame(16.0),
            SessionAction::Seek(10),
            SessionAction::StepForward,
            SessionAction::Reset,
        ] {
            let before = p.clone();
            assert!(!p.control(&other, 1000), "{other:?}");
            assert_eq!(p, before);
        }
    }

    #[test]
    fn the_first_frame_after_play_does_not_move_the_cursor() {
        let mut p = Playback::default();
        p.toggle(1000);
        assert_eq!(p.on_frame(5000.0, 1000), 0);
        assert_eq!(p.on_frame(5016.0, 1000), 16);
    }

    #[test]
    fn speed_scales_elapsed_time_and_is_clamped() {
        let mut p = Playback::default();
        p.set_speed(2.0);
        p.toggle(10_000);
        p.on_frame(0.0, 10_000);
        assert_eq!(p.on_frame(50.0, 10_000), 100);
        p.set_speed(100.0);
        assert_eq!(p.speed, MAX_SPEED);
    }

    #[test]
    fn a_long_gap_between_frames_counts_as_a_short_one() {
        let mut p = Playback::default();
        p.toggle(100_000);
        p.on_frame(0.0, 100_000);
        assert_eq!(p.on_frame(60_000.0, 100_000), MAX_FRAME_GAP_MS as Millis);
    }

    #[test]
    fn playback_stops_at_the_end_and_play_restarts_from_zero() {
        let mut p = Playback::default();
        p.toggle(50);
        p.on_frame(0.0, 50);
        assert_eq!(p.on_frame(80.0, 50), 50);
        assert!(!p.playing);
        p.toggle(50);
        assert_eq!(p.cursor(), 0);
    }

    #[test]
    fn paused_frames_do_not_move_the_cursor() {
        let mut p = Playback::default();
        assert_eq!(p.on_frame(10.0, 100), 0);
        assert_eq!(p.on_frame(90.0, 100), 0);
    }
}

/// The speeds the − and + controls step through.
pub const SPEEDS: [f64; 8] = [0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0];

/// The next speed up (`faster`) or down from `speed` on the [`SPEEDS`] ladder.
pub fn step_speed(speed: f64, faster: bool) -> f64 {
    if faster {
        SPEEDS
            .into_iter()
            .find(|&s| s > speed + 1e-9)
            .unwrap_or(MAX_SPEED)
    } else {
        SPEEDS
            .into_iter()
            .rev()
            .find(|&s| s < speed - 1e-9)
            .unwrap_or(MIN_SPEED)
    }
}

/// The time of the first trace event strictly after `cursor_ms`. The trace is in time order.
pub fn next_event_at(trace: &[crate::model::TraceEvent], cursor_ms: Millis) -> Option<Millis> {
    let i = trace.partition_point(|e| e.at_ms <= cursor_ms);
    trace.get(i).map(|e| e.at_ms)
}

/// The time of the last trace event strictly before `cursor_ms`.
pub fn prev_event_at(trace: &[crate::model::TraceEvent], cursor_ms: Millis) -> Option<Millis> {
    let i = trace.partition_point(|e| e.at_ms < cursor_ms);
    i.checked_sub(1).map(|i| trace[i].at_ms)
}

#[cfg(test)]
mod stepping_tests {
    use super::*;

    #[test]
    fn the_speed_ladder_steps_and_stops_at_its_ends() {
        assert_eq!(step_speed(1.0, true), 2.0);
        assert_eq!(step_speed(1.0, false), 0.5);
        assert_eq!(step_speed(10.0, true), MAX_SPEED);
        assert_eq!(step_speed(0.1, false), MIN_SPEED);
        assert_eq!(step_speed(0.7, true), 1.0);
    }
}
