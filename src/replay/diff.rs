//! Two bundles compared along the wake chain: what differs between a machine whose agent wakes
//! and one whose agent does not — the listener's user, supervisor, PATH and variables, the host
//! CLI, the token, the API and proxy, the device, the clock, the system — then the checks whose
//! verdict differs. Names of variables only; a secret only by its mask and fingerprint.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::read::{Provenance, Recorded};
use super::Verdict;
use crate::checks::{api, device, host, listener, token};
use crate::model::CheckId;
use crate::probes::http::HttpResult;
use crate::probes::processes::EnvRead;

/// One thing that differs: which link, what, and its value in A and in B.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub link: &'static str,
    pub what: String,
    pub a: String,
    pub b: String,
}

/// A check whose verdict differs between the bundles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckDiffers {
    pub check: CheckId,
    pub a: Verdict,
    pub b: Verdict,
}

/// Two bundles compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Compared {
    pub a: Provenance,
    pub b: Provenance,
    pub differences: Vec<Difference>,
    pub checks: Vec<CheckDiffers>,
}

impl Compared {
    /// Nothing that matters to a wake differs (the report ids and times aside).
    pub fn same(&self) -> bool {
        self.differences.is_empty() && self.checks.is_empty()
    }
}

/// What one bundle says of each link: (link, what, value), in wake-chain order. A `what` that
/// ends in [`DIRS`] holds a PATH-like list, compared directory by directory.
type Aspects = Vec<(&'static str, String, String)>;

/// The end of an aspect's name whose value is a PATH-like list.
const DIRS: &str = " (PATH)";

/// Compare `a` with `b`.
pub fn diff(a: &Recorded, b: &Recorded) -> Compared {
    let (xa, xb) = (aspects(a), aspects(b));
    let mut differences = vec![];
    let mut whats: Vec<(&'static str, String)> = vec![];
    for (link, what, _) in xa.iter().chain(xb.iter()) {
        if !whats.iter().any(|(l, w)| l == link && w == what) {
            whats.push((link, what.clone()));
        }
    }
    let value = |x: &Aspects, link: &str, what: &str| {
        x.iter()
            .find(|(l, w, _)| *l == link && w == what)
            .map_or_else(|| "-".to_string(), |(_, _, v)| v.clone())
    };
    for (link, what) in whats {
        let (va, vb) = (value(&xa, link, &what), value(&xb, link, &what));
        if va == vb || !recorded_by_both(link, &va, &vb, a, b) {
            continue;
        }
        // A list of directories: what was removed and what was added, not the whole of each.
        if let (Some(w), Some((a, b))) = (what.strip_suffix(DIRS), dirs_differ(&va, &vb)) {
            differences.push(Difference {
                link,
                what: format!("{w} directories"),
                a,
                b,
            });
            continue;
        }
        // The same directories in another order: the order is what differs.
        let what = match what.strip_suffix(DIRS) {
            Some(w) => format!("{w} order"),
            None => what,
        };
        differences.push(Difference {
            link,
            what,
            a: va,
            b: vb,
        });
    }
    let checks = a
        .checks
        .iter()
        .filter_map(|ca| {
            let cb = b.checks.iter().find(|c| c.id == ca.id)?;
            let (va, vb) = (verdict(ca), verdict(cb));
            (va != vb).then_some(CheckDiffers {
                check: ca.id,
                a: va,
                b: vb,
            })
        })
        .collect();
    Compared {
        a: a.from.clone(),
        b: b.from.clone(),
        differences,
        checks,
    }
}

/// An event that only one bundle recorded differs only when it happened after the other was
/// made: a bundle records the events bearing on the links that failed in its run, so an older
/// event missing from the other (device.json written last month, the boot) is what that bundle
/// did not look at, not what changed.
fn recorded_by_both(link: &str, va: &str, vb: &str, a: &Recorded, b: &Recorded) -> bool {
    if link != "timeline" {
        return true;
    }
    let after = |at: &str, made: &str| match (
        crate::time_util::parse_rfc3339(at),
        crate::time_util::parse_rfc3339(made),
    ) {
        (Some(at), Some(made)) => at > made,
        _ => true,
    };
    match (va, vb) {
        ("-", at) => after(at, &a.from.generated_at),
        (at, "-") => after(at, &b.from.generated_at),
        _ => true,
    }
}

/// The directories only `a` has and those only `b` has (PATH-like lists), or None when each has
/// the same ones.
pub fn dirs_differ(a: &str, b: &str) -> Option<(String, String)> {
    let (da, db): (Vec<&str>, Vec<&str>) = (a.split(':').collect(), b.split(':').collect());
    let gone: Vec<&str> = da.iter().filter(|d| !db.contains(d)).copied().collect();
    let new: Vec<&str> = db.iter().filter(|d| !da.contains(d)).copied().collect();
    (!gone.is_empty() || !new.is_empty())
        .then(|| (listed("only in A", &gone), listed("only in B", &new)))
}

fn listed(label: &str, dirs: &[&str]) -> String {
    if dirs.is_empty() {
        "none".into()
    } else {
        format!("{label}: {}", dirs.join(", "))
    }
}

fn verdict(c: &super::read::RecordedCheck) -> Verdict {
    Verdict {
        status: c.status,
        codes: c.codes.clone(),
    }
}

/// A check's recorded facts in its own type, when it recorded some that read back.
fn facts<F: DeserializeOwned>(r: &Recorded, id: CheckId) -> Option<F> {
    let c = r.checks.iter().find(|c| c.id == id)?;
    serde_json::from_value(c.facts.clone()).ok()
}

/// Each link as one bundle records it.
fn aspects(r: &Recorded) -> Aspects {
    let mut x: Aspects = vec![];
    let mut put = |link: &'static str, what: &str, v: String| x.push((link, what.to_string(), v));
    if let Some(f) = facts::<listener::Facts>(r, CheckId::Listener) {
        put("listener", "running", f.listeners.len().to_string());
        if let Some(l) = f.listeners.first() {
            put("listener", "user", l.user.name.clone());
            put("listener", "supervisor", l.supervisor.words());
            put("listener", "stopped", l.stopped.to_string());
            put(
                "listener",
                "runs old code",
                l.outdated.clone().unwrap_or_else(|| "no".into()),
            );
            match &l.env {
                EnvRead::Readable(e) => {
                    put(
                        "listener",
                        &format!("PATH{DIRS}"),
                        e.path.clone().unwrap_or_default(),
                    );
                    let mut names: Vec<String> = [
                        ("HOME", &e.home.home),
                        ("AGENT_ROOMS_HOME", &e.home.agent_rooms_home),
                        ("XDG_CONFIG_HOME", &e.home.xdg_config_home),
                        ("AGENT_ROOMS_API_URL", &e.api_url),
                        (
                            "NODE_TLS_REJECT_UNAUTHORIZED",
                            &e.node_tls_reject_unauthorized,
                        ),
                    ]
                    .into_iter()
                    .filter(|(_, v)| v.is_some())
                    .map(|(n, _)| n.to_string())
                    .chain(
                        e.dirs
                            .0
                            .iter()
                            .filter(|(_, v)| v.is_some())
                            .map(|(n, _)| n.clone()),
                    )
                    .chain(e.keys_present.iter().cloned())
                    .collect();
                    names.sort();
                    put("listener", "variables set (names)", names.join(", "));
                    put(
                        "listener",
                        "HOME",
                        e.home.home.clone().unwrap_or_else(|| "unset".into()),
                    );
                }
                EnvRead::Unreadable(why) => {
                    put("listener", "environment", format!("not readable: {why}"))
                }
            }
        }
        // How what runs it says it ended: asked only when none ran or one was young.
        let ended = f.supervisors.meant.first();
        put(
            "listener",
            "how it ended (its supervisor)",
            ended.map_or("not asked".into(), |m| {
                let exit = match (&m.exit.signal, m.exit.code) {
                    (Some(s), _) => format!(", killed by {s}"),
                    (None, Some(c)) => format!(", exit code {c}"),
                    _ => String::new(),
                };
                format!("{} {}{exit}", m.supervisor.words(), m.said)
            }),
        );
        put(
            "listener",
            "restarts (its supervisor)",
            ended
                .and_then(|m| m.restarts)
                .map_or("not asked".into(), |n| n.to_string()),
        );
        put(
            "install",
            "agent-rooms home",
            f.home
                .path
                .map_or("none".into(), |p| p.display().to_string()),
        );
    }
    if let Some(f) = facts::<host::Facts>(r, CheckId::Host) {
        for h in &f.hosts {
            for t in h.targets.iter().take(1) {
                let at = |what: &str| format!("{} {what}", h.name);
                // A listener's PATH is the listener's aspect; the doctor's own is said here.
                if !t.is_listener {
                    put(
                        "host",
                        &at(&format!("judged on the doctor's PATH{DIRS}")),
                        t.path.clone().unwrap_or_else(|| "unreadable".into()),
                    );
                }
                put(
                    "host",
                    &at("cannot start"),
                    host::cannot_start_because(&f, t).unwrap_or("no").into(),
                );
                put(
                    "host",
                    &at("found at"),
                    t.found
                        .as_ref()
                        .map_or("not found".into(), |p| p.display().to_string()),
                );
                put(
                    "host",
                    &at("status command says"),
                    t.login.status.as_ref().map_or_else(
                        || format!("not run: {}", t.login.not_run.clone().unwrap_or_default()),
                        |s| format!("{} ({})", login_words(s.read), s.said),
                    ),
                );
                let keys: Vec<String> = t
                    .login
                    .keys
                    .iter()
                    .map(|k| format!("{} {}", k.name, k.value.masked()))
                    .collect();
                put(
                    "host",
                    &at("key variables"),
                    if keys.is_empty() {
                        "none".into()
                    } else {
                        keys.join(", ")
                    },
                );
            }
        }
    }
    for h in &r.hosts {
        put(
            "host",
            &format!("{} on the doctor's PATH", h.name),
            h.paths.clone(),
        );
        put(
            "host",
            &format!("{} version", h.name),
            if h.version.is_empty() {
                "-".into()
            } else {
                h.version.clone()
            },
        );
    }
    if let Some(f) = facts::<token::Facts>(r, CheckId::Token) {
        put(
            "token",
            "source",
            f.source.map_or("none".into(), |s| s.to_string()),
        );
        put(
            "token",
            "token (mask, fingerprint)",
            f.masked.unwrap_or_else(|| "none".into()),
        );
    }
    if let Some(f) = facts::<api::Facts>(r, CheckId::Api) {
        put(
            "api",
            "API URL",
            f.api_url.map_or("none".into(), |u| {
                format!("{} (from {})", u.value, u.source)
            }),
        );
        put("api", "proxy", f.via_proxy.unwrap_or_else(|| "none".into()));
        put("api", "proxy variables", f.proxy_env.join(", "));
        if let Some(crate::api::Call::Made { result, .. }) = &f.call {
            if let HttpResult::Response(resp) = result.as_ref() {
                put(
                    "clock",
                    "clock against the API",
                    skew(f.now, resp.date.as_deref()),
                );
            }
        }
    }
    if let Some(f) = facts::<device::Facts>(r, CheckId::Device) {
        put(
            "device",
            "the server and this machine",
            device::sides_agree(&f),
        );
        put(
            "device",
            "device id",
            f.device.map_or_else(|| f.state.clone(), |d| d.device_id),
        );
    }
    // What changed: when each kind of event last happened (a listener's start, whatever its pid).
    let mut seen: Vec<String> = vec![];
    for e in &r.timeline {
        let (Some(what), Some(at)) = (e["what"].as_str(), e["at"].as_str()) else {
            continue;
        };
        let what = match what.strip_prefix("listener pid ") {
            Some(_) => "a listener started".to_string(),
            None => format!("{what} ({})", e["source"].as_str().unwrap_or("?")),
        };
        if !seen.contains(&what) {
            put("timeline", &what, at.to_string());
            seen.push(what);
        }
    }
    put("system", "OS, kernel, arch", r.from.system.clone());
    put("system", "doctor version", r.from.doctor_version.clone());
    x
}

/// This machine's clock against the API's Date, to the minute that matters (CLOCK_SKEW's).
fn skew(now: i64, date: Option<&str>) -> String {
    let Some(s) = api::skew_secs(now, date) else {
        return "unknown (no Date)".into();
    };
    if s.abs() <= api::SKEW_LIMIT_SECS {
        "within a minute".into()
    } else if s > 0 {
        format!("{} ahead", crate::time_util::ago(s))
    } else {
        format!("{} behind", crate::time_util::ago(-s))
    }
}

/// A status command's reading in words.
fn login_words(s: crate::hosts::LoginState) -> &'static str {
    match s {
        crate::hosts::LoginState::In => "logged in",
        crate::hosts::LoginState::Out => "not logged in",
        crate::hosts::LoginState::Unusable => "a login it cannot use",
        crate::hosts::LoginState::Unknown => "unclear",
    }
}
