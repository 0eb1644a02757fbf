//! The `host` check: is the host CLI on the listener's PATH, can it start (its `#!` interpreter),
//! and is it logged in — judged as the listener's OS user, with the listener's environment.
//!
//! `gather` (this folder's gather.rs) finds the places the host must work from and observes the
//! host there; `diagnose` (diagnose.rs) turns that into findings; `verdict` (verdict.rs) is the
//! login verdict for one target; the facts they share are in facts.rs. What is particular to one
//! host lives in `hosts/NAME.rs`.

mod crash;
mod diagnose;
mod facts;
mod gather;
mod place;
mod remedy;
mod start;
mod status;
mod verdict;
mod views;

pub use diagnose::diagnose;
pub use facts::{ChosenBy, Facts, HostAtRunner, HostFacts, Login, StatusRun};
pub use gather::gather;

use std::sync::Arc;

use crate::ctx::Ctx;
use super::check::Check;
use crate::engine::Deps;
use crate::model::CheckId;

/// The host check, as the registry lists it.
pub struct HostCheck;

impl Check for HostCheck {
    type Facts = Facts;
    const ID: CheckId = CheckId::Host;
    const TITLE: &'static str = "Host CLI";
    const QUESTION: &'static str = "Is the host CLI on the listener's PATH, able to start, and logged in for its user?";
    const INSPECTS: &'static str = "the host CLI (codex, claude, …) on each listener's PATH, its #! \
        interpreter, and its login for the listener's user and environment";

    async fn gather(ctx: Arc<Ctx>, _: Deps) -> Facts {
        gather(&ctx).await
    }
    fn diagnose(facts: &Facts) -> crate::model::outcome::Diagnosis {
        diagnose(facts)
    }
    fn aspects(facts: &Facts, out: &mut crate::model::aspect::Aspects) {
        views::aspects(facts, out)
    }
    fn events(facts: &Facts, out: &mut crate::model::timeline::Events) {
        views::events(facts, out)
    }
    fn shows(facts: &Facts, out: &mut crate::model::shown::Shown) {
        views::shows(facts, out)
    }
}

