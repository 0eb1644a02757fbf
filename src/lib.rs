//! agent-rooms-doctor: finds the broken link when an agent-rooms agent won't wake.
//! Data flows one way: probes gather facts → checks diagnose → renderers turn outcomes into text.

pub mod app;
pub mod catalogue;
pub mod checks;
pub mod cli;
pub mod ctx;
pub mod engine;
pub mod envelope;
pub mod hosts;
pub mod install;
pub mod outcome;
pub mod probes;
pub mod redact;
pub mod render;
pub mod report;
pub mod settings;
pub mod time_util;
