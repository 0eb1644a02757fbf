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
mod remedy;
mod start;
mod verdict;

pub use diagnose::diagnose;
pub use facts::{Facts, HostAtRunner, HostFacts, Login, StatusRun};
pub use gather::gather;
pub use start::cannot_start_because;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::ctx::Ctx;
use crate::engine::{examine, CheckDef, Deps, Examined};
use crate::model::CheckId;

pub const DEF: CheckDef<Ctx> = CheckDef {
    id: CheckId::Host,
    title: "Host CLI",
    question: "Is the host CLI on the listener's PATH, able to start, and logged in for its user?",
    inspects:
        "the host CLI (codex, claude, …) on each listener's PATH, its #! interpreter, and its \
        login for the listener's user and environment",
    needs: &[],
    run,
    rejudge: |facts| crate::engine::rejudge::<Facts>(facts, diagnose),
};

fn run(ctx: Arc<Ctx>, _: Deps) -> Pin<Box<dyn Future<Output = Examined> + Send>> {
    Box::pin(async move {
        if let Some(why) = ctx.nothing_set_up().await {
            return crate::engine::not_run(&why);
        }
        examine(gather(&ctx).await, diagnose)
    })
}
