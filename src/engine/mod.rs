//! The check engine: runs the selected checks concurrently, hands each the outcomes of the checks
//! it needs, and bounds the whole run by `--timeout`. A check that panics or overruns becomes a
//! `fail` outcome; the run always goes on.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::watch;
use tokio::time::Instant;

use crate::model::aspect::Aspects;
use crate::model::catalogue::{self as codes, Code};
use crate::model::facts::NotRun;
pub use crate::model::outcome::Blocked;
use crate::model::outcome::{CheckOutcome, Diagnosis, Facts, Status};
use crate::model::text::Text;
use crate::model::timeline::Events;
use crate::model::CheckId;
use crate::sanitize;

/// The longest a text of an outcome may be (a message, a summary, a fact).
pub const TEXT_CAP: usize = crate::model::facts::FACT_CAP;

/// What a check's run returns: its facts (for renderers and support) and its diagnosis.
pub type Examined = (Facts, Diagnosis);
pub type RunFn<C> = fn(Arc<C>, Deps) -> Pin<Box<dyn Future<Output = Examined> + Send>>;

/// A registered check. `C` is the shared context the checks read (the real one is `ctx::Ctx`).
pub struct CheckDef<C> {
    pub id: CheckId,
    pub title: &'static str,
    /// The question it answers: the help of its subcommand.
    pub question: &'static str,
    /// One line: what the check looks at.
    pub inspects: &'static str,
    /// Checks whose outcome this one needs; the engine runs them first (even when not selected).
    pub needs: &'static [CheckId],
    pub run: RunFn<C>,
    /// Read recorded facts (a bundle's, `replay` and `diff`) back into the check's facts type, or
    /// the `NotRun` of a check not run for want of a home. Probes nothing.
    pub read: fn(&serde_json::Value) -> Result<Facts, String>,
    /// Judge facts through today's rules (its `diagnose`; a `NotRun` is skipped again).
    pub judge: fn(&Facts) -> Diagnosis,
    /// What `diff` compares of its facts.
    pub aspects: fn(&Facts, &mut Aspects),
    /// The events bearing on it that its facts lead to (`timeline`): may stat what they name.
    pub events: fn(&Facts, &mut Events),
    /// The agent-rooms home it judged, if it judges one.
    pub home: fn(&Facts) -> Option<std::path::PathBuf>,
    /// What a support bundle shows of its facts beyond its findings.
    pub shows: fn(&Facts, &mut crate::model::shown::Shown),
}

/// What a facts type must be: plain data that serialises and reads back.
pub trait FactsType:
    serde::de::DeserializeOwned + Serialize + std::fmt::Debug + Send + Sync + 'static
{
}
impl<T: serde::de::DeserializeOwned + Serialize + std::fmt::Debug + Send + Sync + 'static> FactsType
    for T
{
}

/// Recorded facts read back as `F`, or as the `NotRun` of a check not run for want of a home.
pub fn read<F: FactsType>(facts: &serde_json::Value) -> Result<Facts, String> {
    if let Ok(n) = serde_json::from_value::<NotRun>(facts.clone()) {
        return Ok(Facts::of(n));
    }
    serde_json::from_value::<F>(facts.clone())
        .map(Facts::of)
        .map_err(|e| e.to_string())
}

/// `diagnose` on facts of type `F`; a `NotRun` is skipped again, saying why; facts of another
/// type are a failure inside the doctor (a check handed another's facts).
pub fn judge<F: 'static>(facts: &Facts, diagnose: fn(&F) -> Diagnosis) -> Diagnosis {
    if let Some(f) = facts.get::<F>() {
        return diagnose(f);
    }
    match facts.get::<NotRun>() {
        Some(n) => not_run(n.clone()).1,
        None => internal("facts of another type were judged".into()),
    }
}

/// Diagnose a check's facts, kept typed: the common last step of every check's run.
pub fn examine<F: Serialize + std::fmt::Debug + Send + Sync + 'static>(
    facts: F,
    diagnose: fn(&F) -> Diagnosis,
) -> Examined {
    let d = diagnose(&facts);
    (Facts::of(facts), d)
}

/// A check not run because the home it judges is not set up here: skipped, saying why.
pub fn not_run(not: NotRun) -> Examined {
    let why = &not.not_run;
    let mut d = Diagnosis::skipped(format!("skipped: {why}"), why.as_str());
    d.unconfigured = true;
    (Facts::of(not), d)
}

/// The finished outcomes of the checks a check needs.
#[derive(Debug, Clone, Default)]
pub struct Deps(BTreeMap<CheckId, Arc<CheckOutcome>>);

impl Deps {
    pub fn get(&self, id: CheckId) -> Option<&CheckOutcome> {
        self.0.get(&id).map(|a| a.as_ref())
    }
    /// Why the part of a check that needs `id` cannot run; `None` when `id` passed or only warned.
    pub fn blocked_by(&self, id: CheckId) -> Option<Blocked> {
        match self.get(id) {
            None => Some(Blocked {
                id,
                status: None,
                codes: vec![],
                reason: None,
            }),
            Some(o) if matches!(o.status, Status::Pass | Status::Warn) => None,
            Some(o) => Some(Blocked {
                id,
                status: Some(o.status),
                codes: o.findings.iter().map(|f| f.code.to_string()).collect(),
                reason: o
                    .skip_reason
                    .clone()
                    .or_else(|| Some(o.summary.to_string())),
            }),
        }
    }
}

/// The checks running right now, for a live progress line (plain data; the engine never prints).
#[derive(Debug, Default)]
pub struct Running(std::sync::Mutex<Vec<CheckId>>);

impl Running {
    fn start(&self, id: CheckId) {
        if let Ok(mut v) = self.0.lock() {
            v.push(id);
        }
    }
    fn end(&self, id: CheckId) {
        if let Ok(mut v) = self.0.lock() {
            v.retain(|x| *x != id);
        }
    }
    /// The ids still running, in start order.
    pub fn now(&self) -> Vec<CheckId> {
        self.0.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

/// Run `selected` (in report order) minus `skipped`, plus whatever they need, all concurrently,
/// and return the outcomes of `selected` only. Every outcome is in by `deadline`.
pub async fn run<C: Send + Sync + 'static>(
    registry: &[CheckDef<C>],
    selected: &[CheckId],
    skipped: &[CheckId],
    ctx: Arc<C>,
    deadline: Instant,
    running: &Arc<Running>,
) -> Vec<CheckOutcome> {
    let to_run = with_needs(registry, selected);
    // Each check publishes its outcome once; the checks that need it wait for it.
    let mut senders = BTreeMap::new();
    let mut receivers = BTreeMap::new();
    for id in &to_run {
        let (tx, rx) = watch::channel(None::<Arc<CheckOutcome>>);
        senders.insert(*id, tx);
        receivers.insert(*id, rx);
    }
    let mut handles = Vec::new();
    for id in &to_run {
        let (Some(def), Some(tx)) = (registry.iter().find(|d| d.id == *id), senders.remove(id))
        else {
            continue;
        };
        let handle = if skipped.contains(id) {
            not_run_by_flag(def, tx)
        } else {
            let needs = def
                .needs
                .iter()
                .filter_map(|n| receivers.get(n).map(|r| (*n, r.clone())))
                .collect();
            let worker = start(def, needs, ctx.clone(), running.clone());
            supervise(def, worker, tx, deadline, running.clone())
        };
        handles.push((def.id, handle));
    }
    let mut out = collect(registry, selected, handles).await;
    out.sort_by_key(|o| selected.iter().position(|s| *s == o.id));
    out
}

/// `selected` and what they need, transitively.
fn with_needs<C>(registry: &[CheckDef<C>], selected: &[CheckId]) -> Vec<CheckId> {
    let mut to_run: Vec<CheckId> = selected.to_vec();
    let mut i = 0;
    while i < to_run.len() {
        if let Some(def) = registry.iter().find(|d| d.id == to_run[i]) {
            for n in def.needs {
                if !to_run.contains(n) {
                    to_run.push(*n);
                }
            }
        }
        i += 1;
    }
    to_run
}

type Published = watch::Sender<Option<Arc<CheckOutcome>>>;
type Awaited = watch::Receiver<Option<Arc<CheckOutcome>>>;
type Worker = tokio::task::JoinHandle<(Examined, Duration)>;

/// A check named by `--skip`: skipped at once, and said so to the checks that need it.
fn not_run_by_flag<C>(def: &CheckDef<C>, tx: Published) -> tokio::task::JoinHandle<CheckOutcome> {
    let o = Arc::new(outcome(
        def.id,
        def.title,
        Diagnosis::skip(format!("not run: --skip {}", def.id.as_str())),
        Duration::ZERO,
        Facts::none(),
    ));
    let _ = tx.send(Some(o.clone()));
    tokio::spawn(async move { (*o).clone() })
}

/// The check's own task: it waits for the outcomes it needs, then gathers and diagnoses.
fn start<C: Send + Sync + 'static>(
    def: &CheckDef<C>,
    needs: Vec<(CheckId, Awaited)>,
    ctx: Arc<C>,
    live: Arc<Running>,
) -> Worker {
    let (run, cid) = (def.run, def.id);
    tokio::spawn(async move {
        let mut deps = Deps::default();
        for (n, mut rx) in needs {
            if let Ok(v) = rx.wait_for(|v| v.is_some()).await {
                if let Some(o) = v.as_ref() {
                    deps.0.insert(n, o.clone());
                }
            }
        }
        let started = Instant::now();
        live.start(cid);
        let ran = run(ctx, deps).await;
        live.end(cid);
        (ran, started.elapsed())
    })
}

/// Watch a check's task: its outcome, or a failure inside the doctor when it panicked, or
/// CHECK_TIMED_OUT at `deadline`; published to the checks that need it.
fn supervise<C>(
    def: &CheckDef<C>,
    mut worker: Worker,
    tx: Published,
    deadline: Instant,
    live: Arc<Running>,
) -> tokio::task::JoinHandle<CheckOutcome> {
    let (title, cid) = (def.title, def.id);
    tokio::spawn(async move {
        let started = Instant::now();
        let o = match tokio::time::timeout_at(deadline, &mut worker).await {
            Ok(Ok(((facts, d), took))) => outcome(cid, title, d, took, facts),
            Ok(Err(e)) => {
                let why = if e.is_panic() {
                    panic_text(e.into_panic())
                } else {
                    "cancelled".into()
                };
                let msg = format!("the {} check failed inside the doctor: {why}", cid.as_str());
                outcome(cid, title, internal(msg), started.elapsed(), Facts::none())
            }
            Err(_) => {
                worker.abort();
                let d = timed_out(cid, started.elapsed());
                outcome(cid, title, d, started.elapsed(), Facts::none())
            }
        };
        live.end(cid);
        let _ = tx.send(Some(Arc::new(o.clone())));
        o
    })
}

/// CHECK_TIMED_OUT: the check did not finish within --timeout.
fn timed_out(cid: CheckId, took: Duration) -> Diagnosis {
    let msg = format!(
        "the {} check did not finish within --timeout ({:.1} s)",
        cid.as_str(),
        took.as_secs_f64()
    );
    Diagnosis::failed(codes::CHECK_TIMED_OUT, msg)
}

/// The outcomes of `selected`, in the order started (a lost task is a failure inside the doctor).
async fn collect<C>(
    registry: &[CheckDef<C>],
    selected: &[CheckId],
    handles: Vec<(CheckId, tokio::task::JoinHandle<CheckOutcome>)>,
) -> Vec<CheckOutcome> {
    let mut out = Vec::new();
    for (id, handle) in handles {
        if !selected.contains(&id) {
            continue;
        }
        match handle.await {
            Ok(o) => out.push(o),
            Err(e) => {
                let title = registry
                    .iter()
                    .find(|d| d.id == id)
                    .map(|d| d.title)
                    .unwrap_or("");
                let msg = format!("the engine lost the {} check: {e}", id.as_str());
                out.push(outcome(
                    id,
                    title,
                    internal(msg),
                    Duration::ZERO,
                    Facts::none(),
                ));
            }
        }
    }
    out
}

/// A failure inside the doctor: `fail` with `INTERNAL_ERROR`, saying where.
pub fn internal(msg: String) -> Diagnosis {
    Diagnosis::failed(codes::INTERNAL_ERROR, msg)
}

/// The outcome of check `id`: its diagnosis with its title, time and facts.
pub fn outcome(
    id: CheckId,
    title: &str,
    d: Diagnosis,
    took: Duration,
    facts: Facts,
) -> CheckOutcome {
    // Where a check's outcome enters the report: every text in it is data from here on (file
    // contents, argv, API and host CLI words may be inside), so no renderer has to sanitise.
    let text = |t: String| sanitize::outside(&t, TEXT_CAP);
    let clean = |t: Text| t.map(|part| sanitize::outside(part, TEXT_CAP));
    CheckOutcome {
        id,
        title: title.to_string(),
        status: d.status,
        summary: clean(d.summary),
        duration_ms: took,
        facts,
        findings: d
            .findings
            .into_iter()
            .map(|mut f| {
                if let Code::Unknown(code) = &mut f.code {
                    *code = sanitize::outside(code, 100);
                }
                f.message = clean(f.message);
                f.remedy.steps = f.remedy.steps.into_iter().map(text).collect();
                // Commands are not cut nor cleaned here: a changed word would be another
                // command. Their lines hold no control character (`model::command::quote`).
                f.request_id = f.request_id.map(|r| sanitize::outside(&r, 200));
                f
            })
            .collect(),
        skip_reason: d.skip_reason,
        unconfigured: d.unconfigured,
    }
}

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        format!("panicked: {s}")
    } else if let Some(s) = p.downcast_ref::<String>() {
        format!("panicked: {s}")
    } else {
        "panicked".to_string()
    }
}

#[cfg(test)]
mod tests;
