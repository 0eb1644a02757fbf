//! What `diff` compares of the host check's facts: for each host, as its first runner finds it,
//! the PATH it was judged on, whether it can start, where it was found, what its status command
//! said, and its key variables (masked); what it adds to "what changed"; and the table a support
//! bundle shows of it.

use super::facts::Facts;
use crate::hosts::LoginState;
use crate::model::aspect::{Aspects, Value};
use crate::model::shown::{Shown, Table};
use crate::model::timeline::Events;
use crate::model::CheckId;
use crate::probes::files;
use super::facts::HostAtRunner;

/// The host CLI as each listener finds it (the listener's PATH, as its user).
pub fn shows(f: &Facts, out: &mut Shown) {
    let rows = f
        .hosts
        .iter()
        .flat_map(|h| h.targets.iter().map(move |t| (h.name.as_str(), t)))
        .map(|(name, t)| {
            let found = match (&t.found, &t.path) {
                (Some(p), _) => p.display().to_string(),
                (None, None) => "not judged (its environment cannot be read)".into(),
                (None, Some(_)) => "not found".into(),
            };
            vec![name.to_string(), t.runner(), found]
        })
        .collect();
    out.table(Table {
        heading: "Host CLIs as the listener finds them",
        columns: &["host", "for", "found on its PATH"],
        rows,
    });
}

pub fn aspects(f: &Facts, out: &mut Aspects) {
    for h in &f.hosts {
        for t in h.targets.iter().take(1) {
            let at = |what: &str| format!("{} {what}", h.name);
            // A listener's PATH is the listener's aspect; the doctor's own is said here.
            if !t.is_listener {
                let path = t.path.as_deref().map_or("unreadable".into(), Value::dirs);
                out.put("host", at("judged on the doctor's PATH"), path);
            }
            let cannot = super::start::cannot_start_because(f, t).unwrap_or("no");
            out.put("host", at("cannot start"), cannot);
            let found = t.found.as_ref().map_or("not found".into(), |p| p.display().to_string());
            out.put("host", at("found at"), found);
            let said = t.login.status.as_ref().map_or_else(
                || format!("not run: {}", t.login.not_run.clone().unwrap_or_default()),
                |s| format!("{} ({})", login_words(s.read), s.said),
            );
            out.put("host", at("status command says"), said);
            let keys: Vec<String> = t
                .login
                .keys
                .iter()
                .map(|k| format!("{} {}", k.name, k.value.masked()))
                .collect();
            let keys = if keys.is_empty() { "none".into() } else { keys.join(", ") };
            out.put("host", at("key variables"), keys);
        }
    }
}

/// A status command's reading in words.
fn login_words(s: LoginState) -> &'static str {
    match s {
        LoginState::In => "logged in",
        LoginState::Out => "not logged in",
        LoginState::Unusable => "a login it cannot use",
        LoginState::Unknown => "unclear",
    }
}

/// The host CLI as each runner finds it: its binary changed, its login files changed, the
/// directories of its PATH created.
pub fn events(f: &Facts, out: &mut Events) {
    for h in &f.hosts {
        for t in &h.targets {
            target_events(out, &h.name, t);
        }
    }
}

fn target_events(out: &mut Events, name: &str, t: &HostAtRunner) {
    let link: &[CheckId] = &[CheckId::Host];
    if let Some(bin) = &t.found {
        // The file the name leads to (an npm shim's target is the package's script).
        out.add(
            files::stat(bin).map(|m| m.modified),
            format!("{name}'s binary changed (installed or updated)"),
            bin.display().to_string(),
            link,
        );
    }
    for c in &t.login.creds {
        if let Some(m) = &c.meta {
            let what = format!("{name}'s login file changed");
            out.add(Some(m.modified), what, c.path.display().to_string(), link);
        }
    }
    for dir in std::env::split_paths(t.path.as_deref().unwrap_or_default()) {
        if dir.as_os_str().is_empty() {
            continue;
        }
        out.add(
            files::created(&dir),
            format!("a directory on the PATH of {} was created", t.runner()),
            dir.display().to_string(),
            link,
        );
    }
}
