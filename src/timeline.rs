//! What changed since it last worked: the events this machine records that bear on the wake
//! chain, gathered after the checks from what they found (the listener's start, the host CLI's
//! binary and login files, the home's files, the token's JWT, the log's codes) and a few stats
//! (modification and creation times, the boot time). Facts only: each event has the time the
//! system records and where it was read.

use crate::checks::{device, host, listener, logs, token};
use crate::ctx::Ctx;
use crate::model::outcome::CheckOutcome;
use crate::model::report::Report;
use crate::model::timeline::Event;
use crate::model::CheckId;
use crate::probes::{files, system};

/// The events bearing on `report`'s links, newest first (`timeline::bearing` picks).
pub async fn gather(ctx: &Ctx, report: &Report) -> Vec<Event> {
    let mut out = vec![];
    // Nothing is set up here: there is no agent whose history could explain anything.
    if ctx.nothing_set_up().await.is_some() {
        return out;
    }
    let mut add = |at: Option<i64>, what: String, source: String, links: &[CheckId]| {
        // A time of 0 (or before) is not a time a system records for these.
        if let Some(at) = at.filter(|t| *t > 0) {
            out.push(Event {
                at,
                what,
                source,
                links: links.to_vec(),
            });
        }
    };
    add(
        system::boot_time(),
        "the machine booted".into(),
        "the system's boot time".into(),
        &[],
    );
    if let Some(f) = facts::<listener::Facts>(report, CheckId::Listener) {
        for l in &f.listeners {
            add(
                Some(l.started_at as i64),
                format!("listener pid {} ({}) started", l.pid, l.user.name),
                format!("the process table (pid {})", l.pid),
                // A listener reads its settings, token and PATH when it starts: its start
                // bears on every link.
                &[],
            );
        }
        // How what runs the listener says it ended (or started it again).
        for m in &f.supervisors.meant {
            add(m.since, m.event(), m.asked.clone(), &[CheckId::Listener]);
        }
    }
    let install = ctx.install().await;
    if let Some(home) = &install.home.path {
        // config.json holds the token, the API URL and the host.
        let config: &[CheckId] = &[CheckId::Token, CheckId::Api, CheckId::Host];
        for (name, links) in [
            ("config.json", config),
            ("device.json", &[CheckId::Device][..]),
            ("listener.json", &[CheckId::Listener, CheckId::Logs][..]),
        ] {
            let p = home.join(name);
            add(
                files::stat(&p).map(|m| m.modified),
                format!("{name} changed"),
                p.display().to_string(),
                links,
            );
        }
    }
    if let Some(t) = &install.settings.token {
        add(
            token::jwt_time(t.token.expose(), "iat"),
            "the token was issued (its JWT's iat)".into(),
            format!("the token from {}", t.source),
            &[CheckId::Token],
        );
        if let Some((p, meta)) = &t.file {
            if p.file_name().is_none_or(|n| n != "config.json") {
                add(
                    Some(meta.modified),
                    "the token file changed".into(),
                    p.display().to_string(),
                    &[CheckId::Token],
                );
            }
        }
    }
    if let Some(f) = facts::<host::Facts>(report, CheckId::Host) {
        for h in &f.hosts {
            for t in &h.targets {
                host_events(&mut add, &h.name, t);
            }
        }
    }
    if let Some(f) = facts::<device::Facts>(report, CheckId::Device) {
        if let Some(at) = device::last_heard(f) {
            add(
                Some(at),
                "the server last heard from the device".into(),
                "GET /v1/devices/{id}: last_seen_at, on this machine's clock".into(),
                &[CheckId::Device],
            );
        }
    }
    if let Some(f) = facts::<logs::Facts>(report, CheckId::Logs) {
        for hit in &f.hits {
            add(
                hit.last_at,
                format!("the log last shows {} ({} lines)", hit.code, hit.count),
                hit.source.clone(),
                &[CheckId::Logs],
            );
        }
    }
    // The same event read twice (two targets, one binary) is one event.
    out.sort_by(|a, b| (a.at, &a.what, &a.source).cmp(&(b.at, &b.what, &b.source)));
    out.dedup();
    out.reverse();
    out
}

/// The host CLI as one runner finds it: its binary changed, its login files changed, the
/// directories of its PATH created.
fn host_events(
    add: &mut impl FnMut(Option<i64>, String, String, &[CheckId]),
    name: &str,
    t: &host::HostAtRunner,
) {
    let link: &[CheckId] = &[CheckId::Host];
    if let Some(bin) = &t.found {
        // The file the name leads to (an npm shim's target is the package's script).
        add(
            files::stat(bin).map(|m| m.modified),
            format!("{name}'s binary changed (installed or updated)"),
            bin.display().to_string(),
            link,
        );
    }
    for c in &t.login.creds {
        if let Some(m) = &c.meta {
            add(
                Some(m.modified),
                format!("{name}'s login file changed"),
                c.path.display().to_string(),
                link,
            );
        }
    }
    for dir in std::env::split_paths(t.path.as_deref().unwrap_or_default()) {
        if dir.as_os_str().is_empty() {
            continue;
        }
        add(
            files::created(&dir),
            format!("a directory on the PATH of {} was created", t.runner),
            dir.display().to_string(),
            link,
        );
    }
}

/// A check's facts in its own type, when it recorded some.
fn facts<F: 'static>(report: &Report, id: CheckId) -> Option<&F> {
    let c: &CheckOutcome = report.checks.iter().find(|c| c.id == id)?;
    c.facts.get()
}
