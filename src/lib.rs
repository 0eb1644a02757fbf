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
//!
//! Modules the binary, the tests and the property tests reach are `pub`; the rest are
//! `pub(crate)`, so what nothing outside uses says so (and dead code is found).

pub mod api;
pub mod app;
pub(crate) mod bundle;
pub mod checks;
pub mod cli;
pub(crate) mod commands;
pub(crate) mod ctx;
pub(crate) mod engine;
pub(crate) mod error;
pub(crate) mod hosts;
pub mod install;
pub mod model;
pub mod output;
pub mod probes;
pub(crate) mod raw_bytes;
pub mod redact;
pub(crate) mod remedies;
pub mod render;
pub(crate) mod replay;
pub mod sanitize;
pub(crate) mod settings;
pub(crate) mod supervisors;
pub(crate) mod time_util;
pub(crate) mod timeline;
