//! When nothing of the judged home can be looked at: it does not exist (HOME_NOT_FOUND, naming
//! the agents that run here and as whom to run the doctor for them), `--home` names a file, or
//! the doctor's user may not look there (NOT_READABLE). Pure: facts in, a diagnosis out.

use super::facts::{machine, Facts};
use crate::model::catalogue as codes;
use crate::model::command::{doctor, path_word};
use crate::model::outcome::{Diagnosis, Finding, Status};

/// No listener and no agent-rooms home: HOME_NOT_FOUND.
pub(super) fn not_set_up(f: &Facts) -> Option<Diagnosis> {
    if !f.listeners.is_empty() || f.nothing_set_up.is_none() {
        return None;
    }
    let home = f
        .home
        .path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    if f.home_is_file {
        return Some(home_is_a_file(f, &home));
    }
    if f.home_denied {
        return Some(home_not_readable(f, &home));
    }
    let mut finding = Finding::new(
        codes::HOME_NOT_FOUND,
        format!(
            "no agent-rooms home at {home} ({}): agent-rooms was never set up for {} here, or it was \
                set up for another user{}",
            f.home.why,
            f.me.name,
            other_agents_note(f)
        ),
    );
    let theirs = run_as_their_users(f);
    if !theirs.is_empty() {
        finding = finding.with_commands(theirs);
    }
    Some(Diagnosis::from_findings(
        "agent-rooms is not set up here",
        vec![(Status::Fail, finding)],
    ))
}

/// The judged home is out of the doctor's reach (`--home /root/.config/agent-rooms` as a
/// normal user): NOT_READABLE, with the doctor as root on that home (never "not set up").
fn home_not_readable(f: &Facts, home: &str) -> Diagnosis {
    let m = machine(f);
    let word = f.home.path.as_deref().map(path_word).unwrap_or_default();
    let finding = Finding::new(
        codes::NOT_READABLE,
        format!(
            "the doctor runs as {} and may not look at {home} ({}): whether agent-rooms is set up \
                there cannot be seen from here",
            f.me.name, f.home.why
        ),
    )
    .with_commands(vec![doctor(&m, &["--home", &word]).as_root().on(&m)]);
    Diagnosis::from_findings(
        format!("{home} cannot be read by {}", f.me.name),
        vec![(Status::Fail, finding)],
    )
}

/// `--home` given a file (config.json's path): it takes the directory that holds the files.
fn home_is_a_file(f: &Facts, home: &str) -> Diagnosis {
    let parent = f.home.path.as_deref().and_then(std::path::Path::parent);
    let mut finding = Finding::new(
        codes::HOME_NOT_FOUND,
        format!(
            "{home} ({}) is a file: --home takes the directory that holds config.json, device.json and listener.json{}",
            f.home.why,
            parent.map_or(String::new(), |p| format!(" ({} here)", p.display()))
        ),
    );
    if let Some(p) = parent {
        let dir = path_word(p);
        finding = finding
            .with_only_step("Run the doctor again with --home naming the directory that holds it.")
            .with_commands(vec![doctor(&machine(f), &["--home", &dir]).on(&machine(f))]);
    }
    Diagnosis::from_findings(
        "--home names a file, not the agent-rooms home",
        vec![(Status::Fail, finding)],
    )
}

/// The doctor run as the user of each agent it may not read (as root for root's), by the path
/// it runs from: the agent running here is judged there.
fn run_as_their_users(f: &Facts) -> Vec<crate::model::command::Command> {
    let m = machine(f);
    let mut users: Vec<(&str, u32)> = f
        .other_agents
        .iter()
        .filter(|a| a.unjudged.is_some())
        .filter_map(|a| Some((a.users.first()?.as_str(), *a.uids.first()?)))
        .collect();
    users.dedup();
    users
        .into_iter()
        .map(|(name, uid)| match uid {
            0 => doctor(&m, &[]).as_root().on(&m),
            _ => doctor(&m, &[]).as_user(name, uid).on(&m),
        })
        .collect()
}

/// The other agents running here, each with the command that judges it: "" when there are none.
pub(super) fn other_agents_note(f: &Facts) -> String {
    if f.other_agents.is_empty() {
        return String::new();
    }
    let each: Vec<String> = f
        .other_agents
        .iter()
        .map(|a| {
            let home = a
                .home
                .as_ref()
                .map(|h| h.display().to_string())
                .unwrap_or_else(|| "an unknown home".into());
            let pids: Vec<String> = a.pids.iter().map(u32::to_string).collect();
            let judge = match (&a.unjudged, &a.home) {
                (Some(why), _) => format!(": not judged, {why}"),
                (None, Some(h)) => format!(": agent-rooms-doctor --home {}", h.display()),
                (None, None) => String::new(),
            };
            format!(
                "{home} (pid {}, {}){judge}",
                pids.join(", "),
                a.users.join(", ")
            )
        })
        .collect();
    let n = f.other_agents.len();
    // A build farm may run dozens: the first few here, all of them in the facts.
    let shown = if n > 3 {
        format!(
            "{}; and {} more (all in --verbose)",
            each[..3].join("; "),
            n - 3
        )
    } else {
        each.join("; ")
    };
    format!(
        "; {n} other agent{} run{} here, not judged: {shown}",
        if n == 1 { "" } else { "s" },
        if n == 1 { "s" } else { "" },
    )
}

#[cfg(test)]
#[path = "home_tests.rs"]
mod tests;
