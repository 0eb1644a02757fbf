//! The model, the bottom floor: check ids, the outcome of a check, and the remedy catalogue.
//! It imports nothing of the doctor above it (only `redact` and `time_util` beside it), so every
//! other part may use it and none of it can reach back up.

pub mod accept;
pub mod aspect;
pub mod build;
pub mod catalogue;
pub mod cause;
pub mod command;
pub mod crash;
pub mod facts;
pub mod ids;
pub mod outcome;
pub mod report;
pub mod schema;
pub mod shown;
pub mod text;
pub mod timeline;

pub use ids::CheckId;
