//! The view-model: pure functions from (trace, time cursor) to shapes, labels and class names.
//!
//! No Yew here, so everything the stage draws is tested natively. The UI components only turn
//! these values into SVG elements.

pub mod i18n;
pub mod keys;
pub mod playback;
pub mod session;
pub mod stage;

pub use stage::{frame, Flight, Frame, LogCell, NodeShape, Point};
