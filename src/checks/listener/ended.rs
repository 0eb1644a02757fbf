//! The rules over what runs the listener (`meant`): a crash loop caught while a run is up, a
//! listener that ended (how, and why, with its last words), and one that nothing starts at
//! boot. Pure: facts in, findings out.

use super::facts::{machine, Facts, Found};
use super::meant::{AtBoot, Meant, State};
use crate::model::catalogue as codes;
use crate::model::command::{Command, Fix};
use crate::model::crash::{self as cause, Cause};
use crate::model::outcome::{Finding, Status};
use crate::probes::processes::ListenerProc;
use crate::probes::supervision::Supervisor;
use crate::supervisors::{self, Listener};

/// The token refusals a crash at start can follow from (the token check says them).
const TOKEN_FINDINGS: &[&codes::Entry] = &[
    codes::REVOKED,
    codes::INVALID_PASSPORT,
    codes::IDENTITY_REQUIRED,
    codes::TOKEN_EXPIRED,
    codes::TOKEN_MISSING,
    codes::TOKEN_MALFORMED,
];

fn who<'a>(m: &'a Meant, pid: u32, f: &'a Facts) -> Listener<'a> {
    Listener {
        pid,
        user: &m.user,
        me: &f.me,
        how: f.elevation.clone(),
    }
}

/// Do two supervisors name the same app or unit?
fn same(a: &Supervisor, b: &Supervisor) -> bool {
    match (a, b) {
        (
            Supervisor::Pm2 {
                name: n1,
                pm2_home: h1,
                ..
            },
            Supervisor::Pm2 {
                name: n2,
                pm2_home: h2,
                ..
            },
        ) => n1 == n2 && (h1.is_none() || h2.is_none() || h1 == h2),
        (Supervisor::SystemdSystem { unit: a }, Supervisor::SystemdSystem { unit: b }) => a == b,
        (Supervisor::SystemdUser { unit: a, .. }, Supervisor::SystemdUser { unit: b, .. }) => {
            a == b
        }
        _ => false,
    }
}

/// What its supervisor says of a running listener.
pub fn of_listener<'a>(l: &ListenerProc, f: &'a Facts) -> Option<&'a Meant> {
    f.supervisors
        .meant
        .iter()
        .find(|m| same(&m.supervisor, &l.supervisor))
}

/// "the last run exited with code 1", "was killed by SIGKILL (systemd: oom-kill)".
fn last_exit(m: &Meant) -> Option<String> {
    let whose = match m.supervisor {
        Supervisor::SystemdSystem { .. } | Supervisor::SystemdUser { .. } => "systemd's result: ",
        _ => "",
    };
    let result = m
        .exit
        .result
        .as_deref()
        .map(|r| format!(" ({whose}{r})"))
        .unwrap_or_default();
    match (&m.exit.signal, m.exit.code) {
        (Some(sig), _) => Some(format!("its last run was killed by {sig}{result}")),
        (None, Some(203)) if m.exit.result.is_some() => Some(format!(
            "its program could not be executed (status 203/EXEC){result}"
        )),
        (None, Some(c)) => Some(format!("its last run exited with code {c}{result}")),
        (None, None) if !result.is_empty() => Some(format!("it ended{result}")),
        (None, None) => None,
    }
}

/// "pm2 app ar (alice) is errored: started again 15 times, its last run exited with code 1".
fn how_it_ended(m: &Meant) -> String {
    let restarts = match (m.restarts, m.state) {
        (Some(n), State::Failed) if n > 0 && m.restarts_on_exit => {
            format!(", started again {n} times before it was given up")
        }
        (Some(n), _) if n > 0 => format!(", started again {n} times"),
        _ => String::new(),
    };
    let exit = last_exit(m).map(|e| format!(", {e}")).unwrap_or_default();
    format!(
        "{} ({}) is {}{restarts}{exit}",
        m.supervisor.words(),
        m.user.name,
        m.said
    )
}

/// The cause's words and remedy: (what it means, the step, its commands, what the finding
/// follows from).
fn cause_remedy(c: &Cause, m: &Meant, f: &Facts) -> Said {
    match c {
        Cause::ModuleMissing { module } => module_missing(module, m, f),
        Cause::NoAccess { path } => no_access(path.as_deref(), m, f),
        Cause::ProgramMissing { program } => (
            format!(
                "a program it runs is not there{}",
                program.as_deref().map(|p| format!(" ({p})")).unwrap_or_default()
            ),
            format!(
                "The service's PATH or its command names a program that is not on this machine: \
                {}, then start it again.",
                give_it_the_program(&m.supervisor)
            ),
            vec![],
            &[],
        ),
        Cause::TokenRefused { code } => (
            format!("the API refused its token at start ({code})"),
            "Fix the token first (the token check's finding says how), then start the listener \
            again."
                .into(),
            vec![],
            TOKEN_FINDINGS,
        ),
        Cause::InUse => (
            "another listener holds its address or lock".into(),
            "Keep one listener for this agent (the duplicate's finding says which), then start it \
            again if none runs."
                .into(),
            vec![],
            &[codes::LISTENER_DUPLICATE],
        ),
        Cause::NotPaired => (
            "it exits at once because this device is not paired".into(),
            "Pair this device first (the device check's finding says how), then start the listener \
            again."
                .into(),
            vec![],
            &[codes::DEVICE_NOT_PAIRED, codes::DEVICE_UNKNOWN_TO_SERVER],
        ),
        Cause::OutOfMemory => (
            "it ran out of memory".into(),
            "Give it more memory (systemd's MemoryMax=, pm2's --max-memory-restart) or find what \
            grows, then start it again."
                .into(),
            vec![],
            &[],
        ),
    }
}

/// What it ended of, the step, its commands, and the findings of other checks it follows from.
type Said = (
    String,
    String,
    Vec<Command>,
    &'static [&'static codes::Entry],
);

/// Where a service names a program that is not on this machine, how to give it that program.
fn give_it_the_program(s: &Supervisor) -> String {
    match s {
        Supervisor::SystemdSystem { unit } => {
            format!("correct ExecStart (or Environment=PATH=) in `systemctl edit --full {unit}`")
        }
        Supervisor::SystemdUser { unit, .. } => format!(
            "correct ExecStart (or Environment=PATH=) in `systemctl --user edit --full {unit}`"
        ),
        Supervisor::Pm2 { .. } => {
            "start it from a shell whose PATH has node, with --update-env".into()
        }
        _ => "give it a PATH that has the program".into(),
    }
}

/// Node cannot find a module the listener needs: its install is broken.
fn module_missing(module: &str, m: &Meant, f: &Facts) -> Said {
    let what = format!("its install is broken (node cannot find the module '{module}' it needs)");
    if let Supervisor::Container { .. } = m.supervisor {
        let step = "Its image lacks the module: build the image again with agent-rooms' \
            dependencies installed, then create the container from it.";
        return (what, step.into(), vec![], &[]);
    }
    let mach = machine(f);
    let npm = |p| Some((p, crate::remedies::npm_install(&mach, p)?));
    match m.package.as_ref().and_then(npm) {
        Some((p, c)) => {
            let owner = p.owner.as_ref().map_or("its owner", |o| o.name.as_str());
            let step = format!(
                "Install {} again where it is, as {owner}, then start the listener again.",
                p.name
            );
            (what, step, vec![c], &[])
        }
        None => {
            let program = m.script.as_deref().map(|s| format!(" (the program {s})"));
            let step = format!(
                "Install agent-rooms again the way it was installed{}, then start the listener \
                again.",
                program.unwrap_or_default()
            );
            (what, step, vec![], &[])
        }
    }
}

/// It may not open a file it writes (EACCES): give the home back to the listener's user.
fn no_access(path: Option<&str>, m: &Meant, f: &Facts) -> Said {
    // The home when the file is in it (or none is named), else the file itself.
    let target = match (path, f.home.path.as_ref()) {
        (Some(p), Some(h)) if !std::path::Path::new(p).starts_with(h) => Some(p.to_string()),
        (_, Some(h)) => Some(h.display().to_string()),
        (p, None) => p.map(str::to_string),
    };
    let what = format!(
        "it may not open {} (EACCES): a file it writes belongs to another user",
        path.unwrap_or("a file it needs")
    );
    let root = crate::probes::users::UserInfo {
        uid: 0,
        name: "root".into(),
        home: None,
    };
    let mach = machine(f);
    let cmds = target
        .iter()
        .map(|t| {
            let chown = ["chown".to_string(), "-R".into(), m.user.name.clone(), t.clone()];
            crate::remedies::by_owner(&mach, crate::model::command::cmd(chown), Some(&root))
        })
        .collect();
    let step = format!(
        "Give the agent-rooms home back to {} (the listener's user), then start it again.",
        m.user.name
    );
    (what, step, cmds, &[])
}

/// `LISTENER_CRASHED` for `m`: how it ended, its crash line and cause, the cause's remedy
/// first, then the supervisor's own start and log commands. `lead` opens the message.
fn crashed(m: &Meant, pid: u32, lead: String, f: &Facts) -> Finding {
    let read = cause::read(&m.last_words, &m.exit);
    let mut msg = lead;
    if let Some(line) = &read.line {
        msg.push_str(&format!("; its last words: `{line}`"));
    }
    let l = who(m, pid, f);
    // A restart into the same crash is shown, not run: `fix` starts it only when what ended
    // it is not a cause still there (a kill, a person's stop).
    let how = match (&read.cause, &m.exit.signal) {
        (None, Some(_)) => Fix::Safe,
        _ => Fix::Shown,
    };
    let (start_step, mut cmds) =
        supervisors::start_again(&m.supervisor, &l, how, m.state == State::DaemonDown);
    cmds.extend(supervisors::logs(&m.supervisor, &l));
    let mut fnd = match &read.cause {
        Some(c) => {
            let (what, step, cause_cmds, follows) = cause_remedy(c, m, f);
            msg.push_str(&format!(": {what}"));
            let leads = cause_cmds.is_empty();
            cmds.splice(0..0, cause_cmds);
            let fnd = Finding::new(codes::LISTENER_CRASHED, msg)
                .following(follows)
                .with_step_first(start_step)
                .with_step_first(step);
            if leads {
                fnd.step_leads()
            } else {
                fnd
            }
        }
        None => {
            let fnd = Finding::new(codes::LISTENER_CRASHED, msg).with_step_first(format!(
                "Read its last lines for why it ended and fix that. {start_step}"
            ));
            // A start is the fix only where nothing is known to end it again.
            if how == Fix::Safe {
                fnd
            } else {
                fnd.step_leads()
            }
        }
    };
    fnd = fnd.with_commands(cmds);
    fnd
}

/// A listener up now, but young, whose supervisor has been starting it again and again: its
/// process table says running, the truth is a crash loop.
pub fn crash_loop(l: &ListenerProc, f: &Facts) -> Option<Found> {
    let m = of_listener(l, f)?;
    let looping = match &m.supervisor {
        // pm2 keeps the last run's exit code while the next run is up; a person's restart
        // leaves 0 there.
        Supervisor::Pm2 { .. } => {
            m.restarts.unwrap_or(0) > 0 && m.exit.code.is_some_and(|c| c != 0)
        }
        // NRestarts counts systemd's own restarts (Restart=), never a person's.
        _ => m.restarts.unwrap_or(0) > 0 && m.restarts_on_exit,
    };
    if !looping || l.uptime_secs >= super::meant::YOUNG_SECS {
        return None;
    }
    let lead = format!(
        "the listener pid {} ({}) is up only {} s and in a crash loop: {}",
        l.pid,
        l.user.name,
        l.uptime_secs,
        how_it_ended(m)
    );
    Some((Status::Fail, crashed(m, l.pid, lead, f)))
}

/// No listener runs: what was meant to run it and how it ended, most telling first (a crash
/// before a stop). None when nothing was meant to run it, or it says nothing of a crash or stop.
pub fn ended(f: &Facts) -> Option<Found> {
    let rank = |m: &Meant| match m.state {
        State::Failed | State::Restarting => 0,
        State::Ended if cause::is_fatal(&m.last_words) => 0,
        State::DaemonDown if m.said == "errored" => 0,
        State::DaemonDown => 1,
        State::Stopped => 2,
        State::Up | State::Ended => 9,
    };
    // A container is another installation's more often than not: the host's own supervisors
    // speak first.
    let container = |m: &Meant| matches!(m.supervisor, Supervisor::Container { .. });
    let m = f
        .supervisors
        .meant
        .iter()
        .filter(|m| rank(m) < 9)
        .min_by_key(|m| (container(m), rank(m)))?;
    if rank(m) == 0 {
        let lead = match m.state {
            State::Ended => format!(
                "no listener is running; the one started by hand with nohup ended with a crash (its output: {})",
                m.log.as_deref().unwrap_or("nohup.out")
            ),
            _ => format!("no listener is running: {}", how_it_ended(m)),
        };
        return Some((Status::Fail, crashed(m, 0, lead, f)));
    }
    // Stopped on purpose, or pm2 itself is down: starting it again is the remedy, and safe.
    let l = who(m, 0, f);
    let (step, cmds) =
        supervisors::start_again(&m.supervisor, &l, Fix::Safe, m.state == State::DaemonDown);
    let msg = match m.state {
        State::DaemonDown => format!(
            "no listener is running: pm2's daemon for {} is not running, and its saved list has {} ({})",
            m.user.name,
            m.supervisor.words(),
            m.said
        ),
        _ => format!(
            "no listener is running: {} ({}) is {}: it was stopped on purpose (`stop`, or it ended \
                cleanly) and nothing started it again",
            m.supervisor.words(),
            m.user.name,
            m.said
        ),
    };
    Some((
        Status::Fail,
        Finding::new(codes::LISTENER_NOT_RUNNING, msg)
            .with_step_first(step)
            .with_commands(cmds),
    ))
}

/// What runs the listener exists, but nothing starts it at boot: LISTENER_NOT_ENABLED. Judged
/// when no listener runs (what runs it is asked then); a running one's supervisor is asked only
/// while it is young, and a verdict that came and went with its uptime would be noise.
pub fn not_enabled(f: &Facts) -> Vec<Found> {
    if !f.listeners.is_empty() {
        return vec![];
    }
    f.supervisors
        .meant
        .iter()
        .filter_map(|m| {
            let AtBoot::No(why) = &m.boot else {
                return None;
            };
            let (step, cmds) = supervisors::enable_at_boot(&m.supervisor, &who(m, 0, f))?;
            Some((
                Status::Warn,
                Finding::new(
                    codes::LISTENER_NOT_ENABLED,
                    format!(
                        "{} ({}) is not started at boot: {why}; after the machine restarts, no listener runs",
                        m.supervisor.words(),
                        m.user.name
                    ),
                )
                .with_step_first(step)
                .with_commands(cmds),
            ))
        })
        .collect()
}

#[cfg(test)]
#[path = "ended_tests.rs"]
mod tests;
