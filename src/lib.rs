//! agent-rooms-doctor: finds the broken link when an agent-rooms agent won't wake.
//! Data flows one way: probes gather facts → checks diagnose → renderers turn outcomes into text.
//!
//! The floors, bottom up; a module imports only from its own floor or below (tests/architecture.rs
//! holds this, and that there is no circle):
//! 0. `redact`, `sanitize`, `time_util`, `raw_bytes` — plain helpers.
//! 1. `model` — check ids, outcomes, the remedy catalogue, what causes what (`model::cause`).
//! 2. `probes` (touch the system, decide nothing), `engine` (runs checks, generic).
//! 3. `api` (the agent-rooms API), `hosts` (each host CLI), `install`, `settings`, `supervisors`
//!    (what to run for each supervisor), `remedies` (commands more than one check prints).
//! 4. `ctx` — the run's shared facts, gathered once.
//! 5. `checks` (gather + diagnose each), `bundle` (the support bundle's facts), `replay` (a
//!    bundle read back, judged again, compared with another), `timeline` (what changed).
//! 6. `render` — every document the doctor writes.
//! 7. `cli`, `commands`, `output`, `error`; 8. `app` — parse, run, exit.

pub mod api;
pub mod app;
pub mod bundle;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod ctx;
pub mod engine;
pub mod error;
pub mod hosts;
pub mod install;
pub mod model;
pub mod output;
pub mod probes;
pub mod raw_bytes;
pub mod redact;
pub mod remedies;
pub mod render;
pub mod replay;
pub mod sanitize;
pub mod settings;
pub mod supervisors;
pub mod time_util;
pub mod timeline;
