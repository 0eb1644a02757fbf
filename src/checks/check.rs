//! What a check is: one declaration, a `Check` — its id, title, question, what it inspects, the
//! checks it needs, its facts type, `gather` and `diagnose`, and its views (what `diff` compares,
//! what it adds to "what changed", the home it judged, what a bundle shows of it).
//! `def` turns it into the engine's entry: the future's boxing and the guard for an install with
//! nothing set up live here, once, not in each check.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use crate::ctx::Ctx;
use crate::engine::{self, CheckDef, Deps, Examined};
use crate::model::aspect::Aspects;
use crate::model::outcome::{Diagnosis, Facts};
use crate::model::shown::Shown;
use crate::model::timeline::Events;
use crate::model::CheckId;

/// A check. Its facts are plain observations; `diagnose` is pure (facts → outcome).
pub trait Check: 'static {
    type Facts: engine::FactsType;
    const ID: CheckId;
    const TITLE: &'static str;
    /// The question it answers: the help of its subcommand.
    const QUESTION: &'static str;
    /// One line: what the check looks at.
    const INSPECTS: &'static str;
    /// Checks whose outcome this one needs; the engine runs them first.
    const NEEDS: &'static [CheckId] = &[];
    /// It judges an agent-rooms home, so it is skipped (unconfigured) where none is set up. The
    /// listener check is the one that says why none is.
    const NEEDS_HOME: bool = true;

    /// Touch the system (through probes) and return what was found.
    fn gather(ctx: Arc<Ctx>, deps: Deps) -> impl Future<Output = Self::Facts> + Send;
    /// Judge the facts: pure.
    fn diagnose(facts: &Self::Facts) -> Diagnosis;
    /// What `diff` compares of its facts, along the wake chain.
    fn aspects(_facts: &Self::Facts, _out: &mut Aspects) {}
    /// The events bearing on the wake chain that its facts lead to, for "what changed" (after
    /// the checks; it may stat the files its facts name).
    fn events(_facts: &Self::Facts, _out: &mut Events) {}
    /// The agent-rooms home it judged, when it is the check that judges one (`fix` re-runs the
    /// checks on the same home).
    fn home(_facts: &Self::Facts) -> Option<PathBuf> {
        None
    }
    /// What a support bundle shows of its facts beyond its findings.
    fn shows(_facts: &Self::Facts, _out: &mut Shown) {}
}

/// The engine's entry for check `K`.
pub const fn def<K: Check>() -> CheckDef<Ctx> {
    CheckDef {
        id: K::ID,
        title: K::TITLE,
        question: K::QUESTION,
        inspects: K::INSPECTS,
        needs: K::NEEDS,
        run: run::<K>,
        read: engine::read::<K::Facts>,
        judge: judge::<K>,
        aspects: aspects::<K>,
        events: events::<K>,
        home: home::<K>,
        shows: shows::<K>,
    }
}

fn home<K: Check>(facts: &Facts) -> Option<PathBuf> {
    K::home(facts.get::<K::Facts>()?)
}

fn shows<K: Check>(facts: &Facts, out: &mut Shown) {
    if let Some(f) = facts.get::<K::Facts>() {
        K::shows(f, out);
    }
}

fn run<K: Check>(ctx: Arc<Ctx>, deps: Deps) -> Pin<Box<dyn Future<Output = Examined> + Send>> {
    Box::pin(async move {
        if K::NEEDS_HOME {
            if let Some(not) = ctx.nothing_set_up().await {
                return engine::not_run(not);
            }
        }
        engine::examine(K::gather(ctx, deps).await, K::diagnose)
    })
}

fn judge<K: Check>(facts: &Facts) -> Diagnosis {
    engine::judge(facts, K::diagnose)
}

fn aspects<K: Check>(facts: &Facts, out: &mut Aspects) {
    if let Some(f) = facts.get::<K::Facts>() {
        K::aspects(f, out);
    }
}

fn events<K: Check>(facts: &Facts, out: &mut Events) {
    if let Some(f) = facts.get::<K::Facts>() {
        K::events(f, out);
    }
}
