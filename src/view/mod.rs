//! The view-model: pure functions from (trace, time cursor) to shapes, labels and class names.
//!
//! No Yew here, so everything the stage draws is tested natively. The UI components only turn
//! these values into SVG elements.

pub mod cache;
pub mod checkpoints;
pub mod compare;
pub mod compare_ledger;
pub mod compare_text;
pub mod config_text;
pub mod explain;
pub mod explain_text;
pub mod explorer_fan;
pub mod explorer_text;
pub mod explorer_view;
pub mod guarantee;
pub mod i18n;
pub mod internal_logs;
pub mod keys;
pub mod layout;
pub mod ledger_rows;
pub mod ledger_text;
pub mod ledger_view;
pub mod lessons;
pub mod link;
pub mod lockstep;
pub mod next_step;
pub mod playback;
pub mod scenario_text;
pub mod scene;
pub mod seqdiag;
pub mod seqdiag_look;
pub mod seqdiag_svg;
pub mod session;
pub mod share_text;
pub mod stage;
pub mod timeline;

pub use layout::{Layout, Point, Rect};
pub use stage::{frame, Flight, Frame, NodeView, Strip};
