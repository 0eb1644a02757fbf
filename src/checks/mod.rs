//! The check registry. Each check lives in its own file: `gather` (async, calls probes, returns
//! a plain facts struct) and `diagnose` (pure: facts → status, summary, findings).

use crate::cli::{CheckId, HostName};
use crate::ctx::Ctx;
use crate::engine::CheckDef;

pub mod api;
pub mod device;
pub mod host;
pub mod listener;
pub mod token;

/// Every check, in report order.
pub static REGISTRY: &[CheckDef<Ctx>] =
    &[listener::DEF, device::DEF, host::DEF, token::DEF, api::DEF];

/// The ids the registry holds, in report order.
pub fn all_ids() -> Vec<CheckId> {
    REGISTRY.iter().map(|d| d.id).collect()
}

/// `--host` names as config.json spells them.
pub fn host_name(h: HostName) -> &'static str {
    match h {
        HostName::Codex => "codex",
        HostName::Claude => "claude",
        HostName::Gemini => "gemini",
        HostName::Cursor => "cursor",
        HostName::Copilot => "copilot",
    }
}
