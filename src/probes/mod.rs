//! Probes touch the system and nothing else. Each returns plain data and never decides.

pub mod files;
pub mod processes;
pub mod users;
