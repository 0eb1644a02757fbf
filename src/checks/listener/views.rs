//! What `diff` compares of the listener check's facts: how many run, the first one's user,
//! supervisor, PATH and variables (names only), how its supervisor says it ended, and the home;
//! and the events it leads to: each listener's start, and how its supervisor says it ended.

use super::facts::Facts;
use crate::model::aspect::{Aspects, Value};
use crate::model::timeline::Events;
use crate::model::CheckId;
use crate::probes::processes::EnvRead;

pub fn aspects(f: &Facts, out: &mut Aspects) {
    out.put("listener", "running", f.listeners.len().to_string());
    if let Some(l) = f.listeners.first() {
        out.put("listener", "user", l.user.name.clone());
        out.put("listener", "supervisor", l.supervisor.words());
        out.put("listener", "stopped", l.stopped.to_string());
        let old = l.outdated.clone().unwrap_or_else(|| "no".into());
        out.put("listener", "runs old code", old);
        match &l.env {
            EnvRead::Readable(e) => {
                out.put("listener", "PATH", Value::dirs(e.path.as_deref().unwrap_or_default()));
                let set = |v: &Option<String>| v.is_some();
                let mut names: Vec<String> = [
                    ("HOME", set(&e.home.home)),
                    ("AGENT_ROOMS_HOME", set(&e.home.agent_rooms_home)),
                    ("XDG_CONFIG_HOME", set(&e.home.xdg_config_home)),
                    ("AGENT_ROOMS_API_URL", set(&e.api_url)),
                    ("NODE_TLS_REJECT_UNAUTHORIZED", set(&e.node_tls_reject_unauthorized)),
                ]
                .into_iter()
                .filter(|(_, is)| *is)
                .map(|(n, _)| n.to_string())
                .chain(e.dirs.0.iter().filter(|(_, v)| v.is_some()).map(|(n, _)| n.clone()))
                .chain(e.keys_present.iter().cloned())
                .collect();
                names.sort();
                out.put("listener", "variables set (names)", names.join(", "));
                let home = e.home.home.clone().unwrap_or_else(|| "unset".into());
                out.put("listener", "HOME", home);
            }
            EnvRead::Unreadable(why) => {
                out.put("listener", "environment", format!("not readable: {why}"))
            }
        }
    }
    // How what runs it says it ended: asked only when none ran or one was young.
    let ended = f.supervisors.meant.first();
    let said = ended.map_or("not asked".into(), |m| {
        let exit = match (&m.exit.signal, m.exit.code) {
            (Some(s), _) => format!(", killed by {s}"),
            (None, Some(c)) => format!(", exit code {c}"),
            _ => String::new(),
        };
        format!("{} {}{exit}", m.supervisor.words(), m.said)
    });
    out.put("listener", "how it ended (its supervisor)", said);
    let restarts = ended.and_then(|m| m.restarts).map_or("not asked".into(), |n| n.to_string());
    out.put("listener", "restarts (its supervisor)", restarts);
    let home = f.home.path.as_ref().map_or("none".into(), |p| p.display().to_string());
    out.put("install", "agent-rooms home", home);
}

pub fn events(f: &Facts, out: &mut Events) {
    for l in &f.listeners {
        out.add(
            Some(l.started_at as i64),
            format!("listener pid {} ({}) started", l.pid, l.user.name),
            format!("the process table (pid {})", l.pid),
            // A listener reads its settings, token and PATH when it starts: its start bears on
            // every link.
            &[],
        );
    }
    // How what runs the listener says it ended (or started it again).
    for m in &f.supervisors.meant {
        out.add(m.since, m.event(), m.asked.clone(), &[CheckId::Listener]);
    }
}
