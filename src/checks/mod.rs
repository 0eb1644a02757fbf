//! The check registry: the one list of checks. Ids, the shorthand subcommands and their help,
//! `list`, completions and the tests' id lists all derive from `REGISTRY`.
//!
//! Each check lives in its own file (or folder): `gather` (async, calls probes, returns a plain
//! facts struct) and `diagnose` (pure: facts → status, summary, findings). Checks never import
//! each other; what one needs of another comes typed through the engine (`Deps::blocked_by`).

use crate::ctx::Ctx;
use crate::engine::CheckDef;
use crate::model::CheckId;

pub mod api;
pub mod device;
pub mod host;
pub mod listener;
pub mod logs;
#[cfg(test)]
mod thresholds;
pub mod token;

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
