//! The support bundle (`report`): everything support needs in one paste — a report id, versions,
//! system, every check with facts and findings, the agent-rooms files, host CLI versions, the
//! listeners, proxy settings and the clock — gathered here as plain data, with nothing secret.

use serde::Serialize;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::time::Duration;

use crate::ctx::{blocking, Ctx};
use crate::engine::TEXT_CAP;
use crate::hosts;
use crate::install::HomeChoice;
use crate::model::report::Report;
use crate::probes::files::{self, FileRead};
use crate::probes::host_cli::{self, CmdResult};
use crate::probes::processes::{EnvRead, ListenerProc};
use crate::probes::{http, paths, system, users};
use crate::redact;
use crate::sanitize;
use crate::time_util;

/// The markdown bundle's heading over its data: the whole bundle as JSON, folded, once. `replay`
/// and `diff` read that block, never the headings and tables above it, which are for people.
pub const DATA_HEADING: &str = "## Data";

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Bundle {
    pub report_id: String,
    pub generated_at: String,
    pub doctor_version: String,
    pub system: system::SystemInfo,
    pub user: String,
    pub uid: u32,
    pub root: bool,
    pub home: HomeChoice,
    pub files: Vec<FileEntry>,
    /// config.json with every secret masked, when it parses.
    pub config: Option<serde_json::Value>,
    pub hosts: Vec<HostEntry>,
    pub listeners: Vec<ListenerEntry>,
    pub proxy: Vec<String>,
    /// Why some of the above is missing: what could not be gathered within the run's bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incomplete: Option<String>,
    pub checks: Report,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FileEntry {
    pub name: String,
    pub present: bool,
    pub size: Option<u64>,
    pub mode: Option<String>,
    pub owner: Option<String>,
    pub modified: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct HostEntry {
    pub name: String,
    pub paths: Vec<String>,
    pub version: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ListenerEntry {
    pub pid: u32,
    pub user: String,
    pub uptime: String,
    /// What keeps it alive ("systemd unit x.service", "pm2 app ar-listen"…).
    pub supervisor: String,
    pub argv: String,
    pub path: Option<String>,
    /// Names (never values) of the relevant variables set in its environment, or why unreadable.
    pub env_names: Result<Vec<String>, String>,
}

/// Variables worth naming in a report (values are never shown, except PATH), besides the host
/// table's key and state-directory variables.
const RELEVANT: &[&str] = &[
    "HOME",
    "AGENT_ROOMS_HOME",
    "AGENT_ROOMS_TOKEN",
    "AGENT_ROOMS_API_URL",
    "XDG_CONFIG_HOME",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "NO_PROXY",
    "no_proxy",
    "NODE_OPTIONS",
];

/// `ard-1a2b3c4d-20261125T131500Z`: a short hash and the UTC time.
pub fn report_id(now: i64, salt: &str) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (now, salt, std::process::id()).hash(&mut h);
    let t = time_util::rfc3339(now).replace(['-', ':'], "");
    format!("ard-{:08x}-{t}", h.finish() as u32)
}

/// Mask every value whose key names a secret, then redact what is left by shape.
pub fn redact_config(mut v: serde_json::Value) -> serde_json::Value {
    fn walk(v: &mut serde_json::Value) {
        if let serde_json::Value::Object(m) = v {
            for (k, val) in m.iter_mut() {
                match val {
                    serde_json::Value::String(s) if redact::secret_field(k) => *s = redact::mask(s),
                    other => walk(other),
                }
            }
        } else if let serde_json::Value::Array(a) = v {
            a.iter_mut().for_each(walk);
        }
    }
    walk(&mut v);
    redact::redact_json(&mut v);
    v
}

/// How long past the run's deadline the bundle's own gathering may take (the checks may have
/// used the whole bound).
const GRACE: Duration = Duration::from_secs(1);

/// Gather the bundle around a finished check report, with the same context. Its own probes are
/// bounded too: what a hung file system or process table holds back is left out and named.
pub async fn gather(ctx: &Ctx, checks: Report) -> Bundle {
    let now = time_util::now();
    let until = ctx.deadline.max(tokio::time::Instant::now()) + GRACE;
    match tokio::time::timeout_at(until, gather_facts(ctx, now)).await {
        Ok(mut b) => {
            clean(&mut b);
            b.checks = checks;
            b
        }
        Err(_) => Bundle {
            report_id: report_id(now, ""),
            generated_at: time_util::rfc3339(now),
            doctor_version: env!("CARGO_PKG_VERSION").into(),
            system: system::SystemInfo::default(),
            user: ctx.me.name.clone(),
            uid: ctx.me.uid,
            root: ctx.me.uid == 0,
            home: HomeChoice {
                path: None,
                why: "not known: the installation could not be read in time".into(),
            },
            files: vec![],
            config: None,
            hosts: vec![],
            listeners: vec![],
            proxy: http::proxy_env(),
            incomplete: Some(format!(
                "the system, files, host CLIs and listeners could not be gathered within --timeout \
                    (plus {} s): something the doctor reads does not answer (a hung file system?)",
                GRACE.as_secs()
            )),
            checks,
        },
    }
}

/// Where the bundle's own values enter (the checks' texts were cleaned where they entered the
/// report): every text read from the system — a user, a pm2 app or unit name, an argv, a PATH,
/// a host CLI's path and version, a file's owner — as data, with no escape sequence or control
/// character, in every format.
fn clean(b: &mut Bundle) {
    let text = |t: &mut String| *t = sanitize::outside(t, TEXT_CAP);
    let sys = &mut b.system;
    [
        &mut sys.os,
        &mut sys.kernel,
        &mut sys.arch,
        &mut sys.timezone,
        &mut b.user,
        &mut b.home.why,
    ]
    .into_iter()
    .for_each(text);
    b.proxy.iter_mut().for_each(text);
    for f in &mut b.files {
        f.owner.iter_mut().for_each(text);
    }
    for h in &mut b.hosts {
        h.paths.iter_mut().for_each(text);
        h.version.iter_mut().for_each(text);
    }
    for l in &mut b.listeners {
        [&mut l.user, &mut l.supervisor, &mut l.argv]
            .into_iter()
            .for_each(text);
        l.path.iter_mut().for_each(text);
        if let Ok(names) = &mut l.env_names {
            names.iter_mut().for_each(text);
        }
    }
}

/// The agent-rooms files' metadata, and config.json with its secrets masked (blocking).
fn read_files(dir: Option<&std::path::Path>) -> (Vec<FileEntry>, Option<serde_json::Value>) {
    let mut files_out = vec![];
    let mut config = None;
    if let Some(dir) = dir {
        for name in ["config.json", "device.json", "listener.json"] {
            let p = dir.join(name);
            let meta = files::stat(&p);
            files_out.push(FileEntry {
                name: name.into(),
                present: meta.is_some(),
                size: meta.as_ref().map(|m| m.size),
                mode: meta.as_ref().map(|m| format!("{:04o}", m.mode)),
                owner: meta.as_ref().map(|m| users::by_uid(m.uid).name),
                modified: meta.as_ref().map(|m| time_util::rfc3339(m.modified)),
            });
            if name == "config.json" {
                if let FileRead::Read { bytes, .. } = files::read_capped(&p, files::CAP) {
                    config = serde_json::from_slice(&bytes).ok().map(|mut v| {
                        crate::sanitize::outside_json(&mut v, 300);
                        redact_config(v)
                    });
                }
            }
        }
    }
    (files_out, config)
}

/// Everything but the checks.
async fn gather_facts(ctx: &Ctx, now: i64) -> Bundle {
    let install = ctx.install().await;
    let scan = ctx.scan().await;
    let sys = blocking(system::info).await;
    let home_dir = install.home.path.clone();
    let (files_out, config) = blocking(move || read_files(home_dir.as_deref())).await;
    Bundle {
        report_id: report_id(now, &sys.kernel),
        generated_at: time_util::rfc3339(now),
        doctor_version: env!("CARGO_PKG_VERSION").into(),
        system: sys,
        user: ctx.me.name.clone(),
        uid: ctx.me.uid,
        root: ctx.me.uid == 0,
        home: install.home.clone(),
        files: files_out,
        config,
        hosts: host_versions(ctx).await,
        listeners: scan.listeners.iter().map(listener_entry).collect(),
        proxy: http::proxy_env(),
        incomplete: None,
        checks: Report::new(vec![], Duration::ZERO, false),
    }
}

/// Each known host CLI on the doctor's own PATH, with what `--version` says (asked as the
/// doctor's own user, on its own PATH: never another user's binary), all at once.
async fn host_versions(ctx: &Ctx) -> Vec<HostEntry> {
    let own_path = ctx.own_env.path.clone().unwrap_or_default();
    let found: Vec<Vec<PathBuf>> = blocking(move || {
        hosts::HOSTS
            .iter()
            .map(|h| paths::find_all_on(h.binary, &own_path))
            .collect()
    })
    .await;
    let mut out = vec![];
    let mut versions = tokio::task::JoinSet::new();
    for (i, (h, found)) in hosts::HOSTS.iter().copied().zip(found).enumerate() {
        out.push(HostEntry {
            name: h.name.into(),
            paths: found.iter().map(|p| p.display().to_string()).collect(),
            version: None,
        });
        if let Some(first) = found.first().cloned() {
            let limit = ctx.budget().min(Duration::from_secs(3));
            versions.spawn(async move {
                let r = host_cli::run_status(&first, &["--version"], None, limit).await;
                (i, r)
            });
        }
    }
    while let Some(Ok((i, r))) = versions.join_next().await {
        out[i].version = Some(match r {
            CmdResult::Exited { stdout, stderr, .. } => {
                host_cli::first_line(&format!("{stdout}{stderr}"))
            }
            CmdResult::TimedOut { after_ms } => format!("(no answer within {after_ms} ms)"),
            CmdResult::NotStarted { error } => format!("(cannot start: {error})"),
        });
    }
    out
}

/// A running listener as the bundle lists it: the names of its relevant variables, never their
/// values.
fn listener_entry(l: &ListenerProc) -> ListenerEntry {
    let relevant =
        |k: &str| RELEVANT.contains(&k) || hosts::HOSTS.iter().any(|h| h.state_vars.contains(&k));
    ListenerEntry {
        pid: l.pid,
        user: l.user.name.clone(),
        uptime: time_util::ago(l.uptime_secs as i64),
        supervisor: l.supervisor.words(),
        argv: l.argv.clone(),
        path: match &l.env {
            EnvRead::Readable(e) => e.path.clone(),
            EnvRead::Unreadable(_) => None,
        },
        env_names: match &l.env {
            EnvRead::Readable(e) => {
                let mut names: Vec<String> = e
                    .all
                    .iter()
                    .map(|(k, _)| k.clone())
                    .filter(|k| relevant(k))
                    .collect();
                names.extend(e.keys_present.iter().cloned());
                names.sort();
                names.dedup();
                Ok(names)
            }
            EnvRead::Unreadable(why) => Err(why.clone()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_secrets_are_masked_whatever_their_shape() {
        let v = serde_json::json!({"api_url": "https://u:pw12345@api.example", "token": "opaque0123456789",
            "host": "codex", "nested": {"api_key": "k-0123456789ab"}, "agent_id": "agt_1"});
        let r = redact_config(v);
        let s = r.to_string();
        assert!(
            !s.contains("opaque0123456789")
                && !s.contains("k-0123456789ab")
                && !s.contains("pw12345"),
            "{s}"
        );
        assert_eq!(r["token"], "opaq…(16 chars, #29adb2)");
        assert_eq!(r["agent_id"], "agt_1");
        assert_eq!(r["host"], "codex");
    }

    #[test]
    fn report_ids_are_short_and_dated() {
        let id = report_id(1_795_608_000, "x");
        assert!(
            id.starts_with("ard-") && id.ends_with("-20261125T120000Z"),
            "{id}"
        );
        assert_eq!(id.len(), "ard-12345678-20261125T120000Z".len());
    }
}
