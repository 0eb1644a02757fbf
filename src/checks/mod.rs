//! The check registry: the one list of checks. The shorthand subcommands and their help, `list`,
//! completions, `replay` and `diff` all derive from `REGISTRY`.
//!
//! Each check lives in its own file (or folder) and declares itself once, as a `check::Check`:
//! its id, title, question, the checks it needs, its facts type, `gather` (async, calls probes,
//! returns the facts) and `diagnose` (pure: facts → status, summary, findings), and what `diff`
//! compares of it. Checks never import each other; what one needs of another comes typed through
//! the engine (`Deps::blocked_by`).
//!
//! To add a check: write `checks/NAME.rs` with its `Check` impl, add its line to `check_ids!`
//! (model/ids.rs: variant, name, place along the wake chain; below the engine, so the floors under
//! the checks can name it) and its line here.

use crate::ctx::Ctx;
use crate::engine::CheckDef;
use crate::model::CheckId;
use check::def;

pub mod check;
#[cfg(test)]
mod thresholds;

/// The registry: one line per check (its folder, its `Check`), in report order. Each line
/// declares the check's module and its entry.
macro_rules! registry {
    ($($module:ident :: $check:ident),+ $(,)?) => {
        $(pub mod $module;)+

        /// Every check, in report order.
        pub static REGISTRY: &[CheckDef<Ctx>] = &[$(def::<$module::$check>()),+];
    };
}

registry! {
    listener::ListenerCheck,
    device::DeviceCheck,
    host::HostCheck,
    token::TokenCheck,
    api::ApiCheck,
    logs::LogsCheck,
}

/// The ids the registry holds, in report order.
pub fn all_ids() -> Vec<CheckId> {
    REGISTRY.iter().map(|d| d.id).collect()
}

/// The check whose id is spelled `s`.
pub fn by_name(s: &str) -> Option<&'static CheckDef<Ctx>> {
    REGISTRY.iter().find(|d| d.id.as_str() == s)
}

/// The check with id `id`.
pub fn by_id(id: CheckId) -> Option<&'static CheckDef<Ctx>> {
    REGISTRY.iter().find(|d| d.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_has_exactly_one_registry_entry_in_report_order() {
        let ids: Vec<CheckId> = REGISTRY.iter().map(|d| d.id).collect();
        assert_eq!(
            ids,
            CheckId::ALL,
            "the registry lists each id once, in report order"
        );
        for id in CheckId::ALL {
            assert_eq!(by_name(id.as_str()).map(|d| d.id), Some(*id));
        }
    }

    #[test]
    fn the_wake_chain_runs_listener_token_api_host_device() {
        use CheckId::*;
        assert_eq!(CheckId::wake_chain(), [Listener, Token, Api, Host, Device]);
        assert_eq!(Logs.wake_position(), None);
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
