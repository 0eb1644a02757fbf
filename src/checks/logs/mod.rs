//! The `logs` check: which of the seed's errors has the listener met lately? Read from where its
//! output goes (CONTRACT §1 "The listener's log"): listener.json's `log_file`, else its
//! supervisor's logs (pm2's files, the systemd journal, launchd's StandardErrorPath), else
//! `nohup.out` in its working directory; the last 1 MiB and the last day of it.

pub mod scan;

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

use crate::ctx::{blocking, Ctx};
use super::check::Check;
use crate::engine::Deps;
use crate::model::outcome::{Diagnosis, Finding, Status};
use crate::model::text::Text;
use crate::model::CheckId;
use crate::probes::files::Loaded;
use crate::probes::logs::{self, Log};
use crate::probes::processes::EnvRead;
use crate::probes::supervision::Supervisor;
use crate::probes::zone;
use crate::time_util;
pub use scan::Hit;

/// The logs check, as the registry lists it.
pub struct LogsCheck;

impl Check for LogsCheck {
    type Facts = Facts;
    const ID: CheckId = CheckId::Logs;
    const TITLE: &'static str = "Listener log";
    const QUESTION: &'static str = "Has the listener met API errors lately?";
    const INSPECTS: &'static str = "the listener's recent output (listener.json log_file, pm2's log \
        files, the systemd journal, launchd's StandardErrorPath, nohup.out): the seed's error codes \
        in the last 24 h and 1 MiB";

    async fn gather(ctx: Arc<Ctx>, _: Deps) -> Facts {
        gather(&ctx).await
    }
    fn diagnose(facts: &Facts) -> Diagnosis {
        diagnose(facts)
    }
    fn events(f: &Facts, out: &mut crate::model::timeline::Events) {
        for hit in &f.hits {
            let what = format!("the log last shows {} ({} lines)", hit.code, hit.count);
            out.add(hit.last_at, what, hit.source.clone(), &[CheckId::Logs]);
        }
    }
}

/// Where the log of a listener may be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LogSource {
    File { path: PathBuf, why: String },
    Journal { unit: String, user_uid: Option<u32> },
}

/// One place looked at, and what came of reading it (`Denied`: the doctor's user may not read
/// it; as root, or as the listener's user, it could). What was read is in `Facts::read`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "LookedWire", into = "LookedWire")]
pub struct Looked {
    pub place: LogSource,
    pub read: Loaded<()>,
}

/// A place looked at as schema 1 records it: `result` ("read", or why not) and `denied`.
#[derive(Serialize, Deserialize)]
struct LookedWire {
    place: LogSource,
    result: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    denied: bool,
}

impl From<Looked> for LookedWire {
    fn from(l: Looked) -> Self {
        LookedWire {
            result: l.read.why_not().unwrap_or("read").to_string(),
            denied: matches!(l.read, Loaded::Denied(_)),
            place: l.place,
        }
    }
}

impl From<LookedWire> for Looked {
    fn from(w: LookedWire) -> Self {
        let read = match (w.result.as_str(), w.denied) {
            ("read", _) => Loaded::Ok((), Default::default()),
            ("missing", false) => Loaded::Missing,
            (_, true) => Loaded::Denied(w.result),
            (_, false) => Loaded::Invalid(w.result),
        };
        Looked {
            place: w.place,
            read,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Facts {
    /// The listener whose log is read (None when none runs).
    pub listener_pid: Option<u32>,
    pub looked: Vec<Looked>,
    pub read: Vec<Log>,
    pub hits: Vec<Hit>,
    /// The zone a time written without one is read in, and why that one.
    pub zone: String,
    #[serde(
        serialize_with = "crate::time_util::ser_rfc3339",
        deserialize_with = "crate::time_util::de_rfc3339"
    )]
    pub now: i64,
}


/// Where to look, in order: listener.json's `log_file`; else the supervisor's logs; else
/// `nohup.out` in the listener's working directory (`cwd`).
pub fn places(
    log_file: Option<&str>,
    supervisor: Option<&Supervisor>,
    cwd: Option<PathBuf>,
) -> Vec<LogSource> {
    if let Some(f) = log_file.map(str::trim).filter(|f| !f.is_empty()) {
        return vec![LogSource::File {
            path: f.into(),
            why: "listener.json's log_file".into(),
        }];
    }
    let file = |p: &str, why: &str| LogSource::File {
        path: p.into(),
        why: why.into(),
    };
    let mut out = match supervisor {
        Some(Supervisor::Pm2 {
            err_log, out_log, ..
        }) => [(err_log, "pm2's error log"), (out_log, "pm2's output log")]
            .into_iter()
            .filter_map(|(p, why)| p.as_deref().map(|p| file(p, why)))
            .collect(),
        Some(Supervisor::SystemdSystem { unit }) => vec![LogSource::Journal {
            unit: unit.clone(),
            user_uid: None,
        }],
        Some(Supervisor::SystemdUser { unit, uid, .. }) => vec![LogSource::Journal {
            unit: unit.clone(),
            user_uid: *uid,
        }],
        Some(Supervisor::Terminal {
            nohup_out: Some(p), ..
        }) => vec![file(p, "nohup's output")],
        _ => vec![],
    };
    if out.is_empty() {
        #[cfg(target_os = "macos")]
        if let Some(Supervisor::Launchd { label }) = supervisor {
            if let Some(p) = crate::probes::launchd::stderr_path(label) {
                out.push(file(&p, "the launchd plist's StandardErrorPath"));
            }
        }
        if let Some(dir) = cwd {
            out.push(LogSource::File {
                path: dir.join("nohup.out"),
                why: "nohup.out in the listener's working directory".into(),
            });
        }
    }
    out
}

pub async fn gather(ctx: &Ctx) -> Facts {
    let scan = ctx.agent_listeners().await;
    let install = ctx.install().await;
    let listener = scan
        .listeners
        .iter()
        .find(|l| Some(l.pid) == install.seen_as.listener_pid)
        .or(scan.listeners.first());
    let log_file = install.listener_state.ok().and_then(|s| s.log_file.clone());
    let pid = listener.map(|l| l.pid);
    let cwd = match pid {
        Some(p) => blocking(move || logs::cwd_of(p)).await,
        None => None,
    };
    let places = places(log_file.as_deref(), listener.map(|l| &l.supervisor), cwd);
    let (mut looked, mut read) = (vec![], vec![]);
    for place in places {
        let (l, log) = look(ctx, place).await;
        looked.push(l);
        read.extend(log);
    }
    let now = time_util::now();
    let tz_var = listener.and_then(|l| match &l.env {
        EnvRead::Readable(e) => e
            .all
            .iter()
            .find(|(k, _)| k == "TZ")
            .map(|(_, v)| v.clone()),
        EnvRead::Unreadable(_) => None,
    });
    let z = blocking(move || zone::of(tz_var.as_deref())).await;
    Facts {
        listener_pid: pid,
        hits: scan::scan(&read, now, &z.tz),
        zone: format!("{} ({})", z.name, z.why),
        looked,
        read,
        now,
    }
}

/// Read the log at `place`: what came of looking, and the log when it was read.
async fn look(ctx: &Ctx, place: LogSource) -> (Looked, Option<Log>) {
    let got = match &place {
        LogSource::File { path, .. } => {
            let p = path.clone();
            blocking(move || logs::read_tail(&p)).await
        }
        LogSource::Journal { unit, user_uid } => logs::journal(unit, *user_uid, ctx.budget()).await,
    };
    let denied = match (&got, &place) {
        (Err(_), LogSource::File { path, .. }) => {
            let p = path.clone();
            blocking(move || crate::probes::files::denied(&p)).await
        }
        _ => false,
    };
    let read = match &got {
        Ok(_) => Loaded::Ok((), Default::default()),
        Err(e) if denied => Loaded::Denied(e.clone()),
        Err(e) => Loaded::Invalid(e.clone()),
    };
    (Looked { place, read }, got.ok())
}

/// "read", or why not.
fn result(l: &Looked) -> &str {
    l.read.why_not().unwrap_or("read")
}

fn place_words(l: &Looked) -> String {
    match &l.place {
        LogSource::File { path, why } => format!("{} ({why}): {}", path.display(), result(l)),
        LogSource::Journal { unit, .. } => format!("the journal of {unit}: {}", result(l)),
    }
}

/// The rules: nothing read (skip, saying where it looked), nothing found (pass), else one
/// finding per API error code seen in the last 24 h (warn: the checks judge the present).
pub fn diagnose(f: &Facts) -> Diagnosis {
    if f.read.is_empty() {
        return nothing_read(f);
    }
    if f.hits.is_empty() {
        let sources: Vec<&str> = f.read.iter().map(|l| l.source.as_str()).collect();
        let lines: usize = f.read.iter().map(|l| l.lines.len()).sum();
        return Diagnosis::from_findings(
            format!(
                "no API errors in the last 24 h of {} ({lines} lines read)",
                sources.join(", ")
            ),
            vec![],
        );
    }
    let found = f.hits.iter().map(|h| (Status::Warn, seen(f, h))).collect();
    let counts: Vec<String> = f
        .hits
        .iter()
        .map(|h| format!("{} ×{}", h.code, h.count))
        .collect();
    Diagnosis::from_findings(
        format!(
            "API errors in the listener's log in the last 24 h: {}",
            counts.join(", ")
        ),
        found,
    )
}

/// No log could be read: skipped, saying where it looked (or why it knew of none).
fn nothing_read(f: &Facts) -> Diagnosis {
    let summary = if f.looked.is_empty() {
        match f.listener_pid {
            None => {
                "skipped: no listener is running and listener.json names no log_file".to_string()
            }
            Some(pid) => format!(
                "skipped: no log of listener pid {pid} is known (no log_file in listener.json, and \
                    its supervisor keeps none the doctor can read)"
            ),
        }
    } else {
        // Where it looked is for -v and JSON: a log that is not there is not a problem to read.
        let places: Vec<String> = f.looked.iter().map(place_words).collect();
        // A log the doctor's user may not read: as whom it could.
        let how = if f.looked.iter().any(|l| matches!(l.read, Loaded::Denied(_))) {
            "; run the doctor as root (or as the listener's user) to read it"
        } else {
            ""
        };
        return Diagnosis::skipped(
            Text::from("skipped: no listener log could be read")
                .raw(format!("; looked at {}", places.join("; ")))
                .words(how),
            "no listener log was found",
        );
    };
    Diagnosis::skipped(summary, "no listener log was found")
}

/// One API error code seen in the log: how often, when last (and how its times were read),
/// with its request id and its last line.
fn seen(f: &Facts, h: &Hit) -> Finding {
    let times = if h.count == 1 {
        "once".to_string()
    } else {
        format!("{} times", h.count)
    };
    let when = h
        .last_at
        .map(|t| format!(", last {} ago", time_util::ago((f.now - t).max(0))))
        .unwrap_or_default();
    let id = h
        .last_request_id
        .as_ref()
        .map(|i| format!(" (request_id {i})"))
        .unwrap_or_default();
    let unknown = match (h.unknown_time, h.count) {
        (0, _) => String::new(),
        (n, c) if n == c => {
            " at a time the log does not give (its file was written to in the last 24 h)"
                .to_string()
        }
        (n, _) => format!(" ({n} of them at a time the log does not give)"),
    };
    let zoneless = if h.zoneless {
        format!(" (times without a zone read in {})", f.zone)
    } else {
        String::new()
    };
    let what = if h.code == crate::model::catalogue::LISTENER_CRASHED.code {
        "that the listener died".to_string()
    } else {
        h.code.clone()
    };
    Finding::named(
        &h.code,
        format!(
            "the listener's log ({}) shows {what} {times} in the last 24 h{unknown}{when}{zoneless}{id}: {}",
            h.source, h.line
        ),
    )
    .with_request_id(h.last_request_id.clone())
}

#[cfg(test)]
mod tests;
