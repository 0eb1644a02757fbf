//! The check registry: the one list of checks. Ids, the shorthand subcommands and their help,
//! `list`, completions and the tests' id lists all derive from `REGISTRY`.
//!
//! Each check lives in its own file (or folder): `gather` (async, calls probes, returns a plain
//! facts struct) and `diagnose` (pure: facts → status, summary, findings). Checks never import
//! each other; what one needs of another comes typed through the engine (`Deps::blocked_by`).

use serde::Serialize;

use crate::api::{answer_of, unavailable_why, Answer, Call};
use crate::ctx::Ctx;
use crate::engine::{Blocked, CheckDef};
use crate::model::CheckId;

pub mod api;
pub mod device;
pub mod host;
pub mod listener;
pub mod logs;
#[cfg(test)]
mod thresholds;
pub mod token;

/// What a check asked the API, as its facts keep it (observed, not judged): not asked and why,
/// blocked by a check it needs (typed, as the engine gave it), or the API's classified answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "asked", rename_all = "snake_case")]
pub enum Asked<T> {
    /// No token, no device.json, --offline, or the call got no response (the api check says why).
    No {
        why: String,
    },
    Blocked(Blocked),
    Answered(Answer<T>),
}

impl<T> Asked<T> {
    /// The answer of `call` (whose success carries the string `field`), its body read by `read`.
    pub fn from_call(call: &Call, field: &str, read: impl FnOnce(serde_json::Value) -> T) -> Self {
        match answer_of(call, field) {
            Err(why) => Asked::No { why },
            Ok(answer) => Asked::Answered(answer.map(read)),
        }
    }

    /// Why nothing of the caller can be judged from this (not asked, blocked, or an answer about
    /// the API itself); `None` when the answer judges the caller.
    pub fn unjudged(&self) -> Option<String> {
        match self {
            Asked::No { why } => Some(why.clone()),
            Asked::Blocked(b) => Some(b.to_string()),
            Asked::Answered(Answer::Unavailable { envelope }) => Some(unavailable_why(envelope)),
            Asked::Answered(_) => None,
        }
    }
}

/// Every check, in report order.
pub static REGISTRY: &[CheckDef<Ctx>] = &[
    listener::DEF,
    device::DEF,
    host::DEF,
    token::DEF,
    api::DEF,
    logs::DEF,
];

/// The ids the registry holds, in report order.
pub fn all_ids() -> Vec<CheckId> {
    REGISTRY.iter().map(|d| d.id).collect()
}

/// The check whose id is spelled `s`.
pub fn by_name(s: &str) -> Option<&'static CheckDef<Ctx>> {
    REGISTRY.iter().find(|d| d.id.as_str() == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_has_exactly_one_registry_entry() {
        // Exhaustive: a new CheckId does not compile here until it is placed.
        let place = |id: CheckId| match id {
            CheckId::Listener
            | CheckId::Device
            | CheckId::Host
            | CheckId::Token
            | CheckId::Api
            | CheckId::Logs => REGISTRY.iter().filter(|d| d.id == id).count(),
        };
        for id in [
            CheckId::Listener,
            CheckId::Device,
            CheckId::Host,
            CheckId::Token,
            CheckId::Api,
            CheckId::Logs,
        ] {
            assert_eq!(place(id), 1, "{id}");
            assert_eq!(by_name(id.as_str()).map(|d| d.id), Some(id));
        }
        assert_eq!(REGISTRY.len(), 6);
    }

    #[test]
    fn needs_point_at_registered_checks_without_cycles() {
        for d in REGISTRY {
            let mut seen = vec![d.id];
            let mut frontier: Vec<CheckId> = d.needs.to_vec();
            while let Some(n) = frontier.pop() {
                assert!(by_name(n.as_str()).is_some(), "{} needs unknown {n}", d.id);
                assert!(!seen.contains(&n), "{} needs itself through {n}", d.id);
                seen.push(n);
                frontier.extend(by_name(n.as_str()).unwrap().needs);
            }
        }
    }
}
