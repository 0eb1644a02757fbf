//! The `listener` check: is `agent-rooms watch` running, once, as the doctor's user, and is it
//! alive (heartbeat) and connected (listener.json)?

use std::sync::Arc;

use crate::ctx::Ctx;
use super::check::Check;
use crate::engine::Deps;
use crate::install::Loaded;
use crate::model::catalogue as codes;
use crate::model::command::{cmd, doctor};
use crate::model::outcome::{Diagnosis, Finding, Status};
use crate::model::CheckId;
use crate::probes::processes::{EnvRead, ListenerProc};
use crate::probes::services;
use crate::probes::supervision::Supervisor;
use crate::probes::users::UserInfo;
use crate::supervisors::{self, Listener};
use crate::time_util;

/// The listener check, as the registry lists it.
pub struct ListenerCheck;

impl Check for ListenerCheck {
    type Facts = Facts;
    const ID: CheckId = CheckId::Listener;
    const TITLE: &'static str = "Listener";
    const QUESTION: &'static str = "Is `agent-rooms watch` running, once, as the right user, and alive?";
    const INSPECTS: &'static str = "agent-rooms watch processes of every user: how many, their user, \
        uptime, PATH; listener.json heartbeat and connection";
    const NEEDS_HOME: bool = false;

    async fn gather(ctx: Arc<Ctx>, _: Deps) -> Facts {
        gather(&ctx).await
    }
    fn diagnose(facts: &Facts) -> Diagnosis {
        diagnose(facts)
    }
    fn aspects(facts: &Facts, out: &mut crate::model::aspect::Aspects) {
        views::aspects(facts, out)
    }
    fn events(facts: &Facts, out: &mut crate::model::timeline::Events) {
        views::events(facts, out)
    }
    fn home(facts: &Facts) -> Option<std::path::PathBuf> {
        facts.home.path.clone()
    }
}

pub use crate::install::STALE_AFTER_SECS;


pub async fn gather(ctx: &Ctx) -> Facts {
    let scan = ctx.agent_listeners().await;
    let install = ctx.install().await;
    let agents = ctx.agents().await;
    let units = if scan.listeners.is_empty() {
        let home = ctx.my_home();
        tokio::task::spawn_blocking(move || services::listener_units(home.as_deref()))
            .await
            .unwrap_or_default()
    } else {
        vec![]
    };
    let owner = owner_of(install.home.path.as_deref(), &ctx.me);
    let log_file = install.listener_state.ok().and_then(|s| s.log_file.clone());
    let supervisors = ask::gather(
        ctx,
        &scan.listeners,
        &units,
        &owner,
        install.home.path.as_deref(),
        log_file.as_deref(),
    )
    .await;
    Facts {
        me: ctx.me.clone(),
        elevation: ctx.elevation.clone(),
        listeners: scan.listeners.clone(),
        other_agents: agents.other_agents().into_iter().cloned().collect(),
        processes_seen: scan.processes_seen,
        scan_error: scan.error.clone(),
        home: install.home.clone(),
        state_file: install.home.path.as_ref().map(|h| h.join("listener.json")),
        state: install.listener_state.clone(),
        nothing_set_up: install.nothing_set_up().map(|n| n.not_run),
        home_is_file: install.home_is_file,
        home_denied: install.home_denied,
        units,
        supervisors,
        now: time_util::now(),
    }
}

/// Whose agent is judged: the owner of its home where it exists, else the doctor's user.
fn owner_of(home: Option<&std::path::Path>, me: &UserInfo) -> UserInfo {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Some(uid) = home
            .and_then(|h| std::fs::metadata(h).ok())
            .map(|m| m.uid())
        {
            if uid != me.uid {
                return crate::probes::users::by_uid(uid);
            }
        }
    }
    let _ = home;
    me.clone()
}

/// The supervisor's restart, for a finding about listener `l`: its step first, its commands.
fn restarted(fnd: Finding, l: &ListenerProc, f: &Facts) -> Finding {
    let (step, cmds) = supervisors::restart(&l.supervisor, &as_listener(l, f));
    fnd.with_step_first(step).with_commands(cmds)
}

fn as_listener<'a>(l: &'a ListenerProc, f: &'a Facts) -> Listener<'a> {
    Listener {
        pid: l.pid,
        user: &l.user,
        me: &f.me,
        how: f.elevation.clone(),
    }
}

fn pid_user_uptime(l: &ListenerProc) -> String {
    format!(
        "pid {} ({}, up {})",
        l.pid,
        l.user.name,
        time_util::ago(l.uptime_secs as i64)
    )
}

/// The listener's diagnosis: each rule below in turn, a rule per finding (or decision).
pub fn diagnose(f: &Facts) -> Diagnosis {
    if let Some(d) = scan_failed(f).or_else(|| home::not_set_up(f)) {
        return d;
    }
    if f.listeners.is_empty() {
        return none_running(f);
    }
    let mut found: Vec<Found> = vec![];
    found.extend(duplicate(f));
    found.extend(other_users(f));
    for l in &f.listeners {
        found.extend(ended::crash_loop(l, f));
        found.extend(no_linger(l, f));
        found.extend(stopped(l, f));
        found.extend(tls_unverified(l, f));
        found.extend(outdated(l, f));
    }
    found.extend(state_file(f));
    found.extend(ended::not_enabled(f));
    let looping = found
        .iter()
        .any(|(_, fnd)| fnd.code.as_str() == codes::LISTENER_CRASHED.code);
    let summary = if looping {
        format!(
            "in a crash loop: {}",
            summary(f).replacen("running: ", "", 1)
        )
    } else {
        summary(f)
    };
    Diagnosis::from_findings(summary, found)
}

/// The process table could not be read: nothing else can be said.
fn scan_failed(f: &Facts) -> Option<Diagnosis> {
    let e = f.scan_error.as_ref()?;
    Some(Diagnosis::from_findings(
        "the process table could not be read",
        vec![(
            Status::Fail,
            Finding::new(codes::INTERNAL_ERROR, format!("listener check: {e}")),
        )],
    ))
}

/// The state file's name, for messages.
fn state_file_name(f: &Facts) -> String {
    f.state_file
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "listener.json".into())
}

/// No listener of the judged agent runs: LISTENER_NOT_RUNNING, with its units to start.
fn none_running(f: &Facts) -> Diagnosis {
    let summary = match f.other_agents.len() {
        0 => "no listener is running".to_string(),
        n => format!(
            "no listener of the judged agent is running ({n} other agent{} here)",
            if n == 1 { "" } else { "s" }
        ),
    };
    if let Some(found) = ended::ended(f) {
        let crashed = found.1.code.as_str() == codes::LISTENER_CRASHED.code;
        let mut all = vec![found];
        all.extend(ended::not_enabled(f));
        let summary = if crashed {
            summary.replacen("is running", "is running: it crashed", 1)
        } else {
            summary
        };
        return Diagnosis::from_findings(summary, all);
    }
    let mut fnd = Finding::new(codes::LISTENER_NOT_RUNNING, not_running_message(f));
    if !f.units.is_empty() {
        let names: Vec<&str> = f.units.iter().map(|u| u.name.as_str()).collect();
        fnd = fnd
            .with_step_first(format!(
                "A systemd unit runs the listener ({}): start it and read its log for why it \
                stopped.",
                names.join(", ")
            ))
            .with_commands(f.units.iter().flat_map(|u| start_unit(f, u)).collect());
    }
    let mut all = vec![(Status::Fail, fnd)];
    all.extend(ended::not_enabled(f));
    Diagnosis::from_findings(summary, all)
}

/// LISTENER_NOT_RUNNING's message: how many processes were looked at, the other agents here, a
/// stale listener.json, and what could not be asked.
fn not_running_message(f: &Facts) -> String {
    let file = state_file_name(f);
    let mut msg = if f.other_agents.is_empty() {
        format!(
            "no `agent-rooms watch` process is running (looked at {} processes of every user)",
            f.processes_seen
        )
    } else {
        format!(
            "no `agent-rooms watch` process of the judged agent ({}) is running (looked at {} \
            processes of every user){}",
            f.home.path.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
            f.processes_seen,
            other_agents_note(f)
        )
    };
    if let Some(pid) = f.state.ok().and_then(|s| s.pid) {
        msg.push_str(&format!("; {file} names pid {pid}, which is not running: the file is stale"));
    }
    for why in &f.supervisors.unasked {
        msg.push_str(&format!("; {why}"));
    }
    msg
}

/// Start a systemd unit that runs the listener, then read its log.
fn start_unit(f: &Facts, u: &services::Unit) -> [crate::model::command::Command; 2] {
    let name = u.name.as_str();
    let (ctl, jctl) = if u.user {
        (
            cmd(["systemctl", "--user", "start", name]),
            cmd(["journalctl", "--user", "-u", name, "-n", "50"]),
        )
    } else {
        (
            cmd(["systemctl", "start", name]).as_root(),
            cmd(["journalctl", "-u", name, "-n", "50"]),
        )
    };
    [ctl.on(&machine(f)), jctl.on(&machine(f))]
}

/// Two or more listeners of one agent: LISTENER_DUPLICATE, keeping the oldest.
fn duplicate(f: &Facts) -> Option<Found> {
    if f.listeners.len() < 2 {
        return None;
    }
    let list: Vec<String> = f.listeners.iter().map(pid_user_uptime).collect();
    // Keep the one something keeps alive (a stray started by hand would not come back, while a
    // supervised one stopped comes back or is gone for good), the oldest of those.
    let by_hand = |l: &ListenerProc| {
        matches!(
            l.supervisor,
            Supervisor::Terminal { .. } | Supervisor::Unknown
        )
    };
    let kept = f
        .listeners
        .iter()
        .min_by_key(|l| (by_hand(l), l.started_at, l.pid));
    let keep = kept.map(|l| l.pid).unwrap_or(0);
    let why = match kept {
        Some(l) if !by_hand(l) => {
            format!("pid {keep}, which {} keeps running", l.supervisor.words())
        }
        _ => format!("the oldest, pid {keep}"),
    };
    // A supervised duplicate comes back when killed: stop it through its supervisor. The kept
    // one goes on waking the agent, so `fix` may end a stray started by hand (when the kept one
    // is not itself stopped); disabling a service or deleting a pm2 app is the person's pick.
    let kept_works = kept.is_some_and(|l| !l.stopped);
    let kills: Vec<_> = f
        .listeners
        .iter()
        .filter(|l| l.pid != keep)
        .map(|l| {
            let mut c = supervisors::stop(&l.supervisor, &as_listener(l, f));
            if kept_works && by_hand(l) && c.fix == crate::model::command::Fix::Ask {
                c.fix = crate::model::command::Fix::Safe;
            }
            c
        })
        .collect();
    Some((
        Status::Fail,
        Finding::new(
            codes::LISTENER_DUPLICATE,
            format!(
                "{} listeners are running: {}; they fight over tasks (one of them gets already_claimed)",
                f.listeners.len(),
                list.join(", ")
            ),
        )
        .with_step_first(format!(
            "To keep {why}, stop the others; if a service restarts them, disable the extra service instead."
        ))
        .with_commands(kills)
        .step_leads(),
    ))
}

/// A listener run by another OS user than the doctor's: LISTENER_OTHER_USER.
fn other_users(f: &Facts) -> Vec<Found> {
    f.listeners
        .iter()
        .filter(|l| l.user.uid != f.me.uid)
        .map(|l| {
            (
                Status::Warn,
                Finding::new(
                    codes::LISTENER_OTHER_USER,
                    format!(
                        "the listener pid {} runs as {}, not as you ({}): its logins, files and PATH are {}'s",
                        l.pid, l.user.name, f.me.name, l.user.name
                    ),
                )
                .with_commands(vec![doctor(&machine(f), &[])
                    .as_user(&l.user.name, l.user.uid)
                    .on(&machine(f))]),
            )
        })
        .collect()
}

/// A systemd user unit without lingering: LISTENER_NO_LINGER.
fn no_linger(l: &ListenerProc, f: &Facts) -> Option<Found> {
    let Supervisor::SystemdUser {
        unit,
        lingering: Some(false),
        ..
    } = &l.supervisor
    else {
        return None;
    };
    Some((
        Status::Warn,
        Finding::new(codes::LISTENER_NO_LINGER,
            format!(
                "the listener {} runs from {}'s systemd user unit {unit}, but lingering is off (no \
                    /var/lib/systemd/linger/{}): it stops when {} logs out and starts only at the \
                    next login",
                pid_user_uptime(l),
                l.user.name,
                l.user.name,
                l.user.name
            ),
        )
        .with_commands(vec![cmd(["loginctl", "enable-linger", l.user.name.as_str()]).as_root().safe().on(&machine(f))]),
    ))
}

/// A stopped listener process (SIGSTOP): LISTENER_STOPPED.
fn stopped(l: &ListenerProc, f: &Facts) -> Option<Found> {
    l.stopped.then(|| {
        (
            Status::Fail,
            Finding::new(codes::LISTENER_STOPPED,
                format!(
                    "the listener {} is stopped (Ctrl-Z, SIGSTOP or a debugger): it exists but \
                        handles nothing, so no work wakes the agent",
                    pid_user_uptime(l)
                ),
            )
            .with_commands(vec![cmd(["kill".to_string(), "-CONT".into(), l.pid.to_string()])
                .as_user(&l.user.name, l.user.uid)
                .safe()
                .on(&machine(f))]),
        )
    })
}

/// A node listener with NODE_TLS_REJECT_UNAUTHORIZED=0 accepts any certificate: its
/// connection to the API can be intercepted (CONTRACT §1). LISTENER_TLS_UNVERIFIED.
fn tls_unverified(l: &ListenerProc, f: &Facts) -> Option<Found> {
    let EnvRead::Readable(e) = &l.env else {
        return None;
    };
    if e.node_tls_reject_unauthorized.as_deref().map(str::trim) != Some("0") {
        return None;
    }
    let (step, cmds) = supervisors::set_env(
        &l.supervisor,
        &as_listener(l, f),
        "NODE_TLS_REJECT_UNAUTHORIZED",
        "1",
    );
    Some((
        Status::Warn,
        Finding::new(codes::LISTENER_TLS_UNVERIFIED,
            format!(
                "the listener {} runs with NODE_TLS_REJECT_UNAUTHORIZED=0: it accepts any TLS \
                    certificate, so its connection to the API can be intercepted",
                pid_user_uptime(l)
            ),
        )
        .with_step_first(format!("Remove NODE_TLS_REJECT_UNAUTHORIZED=0 from the listener's \
            environment (or set it to 1). {step}"))
        .with_commands(cmds),
    ))
}

/// A listener whose code changed after it started: LISTENER_OUTDATED.
fn outdated(l: &ListenerProc, f: &Facts) -> Option<Found> {
    let why = l.outdated.as_ref()?;
    Some((
        Status::Warn,
        restarted(
            Finding::new(
                codes::LISTENER_OUTDATED,
                format!("the listener {} runs old code: {why}", pid_user_uptime(l)),
            ),
            l,
            f,
        ),
    ))
}

/// What listener.json says: unreadable (CONFIG_INVALID), written by a dead pid or long ago
/// (LISTENER_STALE_HEARTBEAT), or not connected (LISTENER_DISCONNECTED).
fn state_file(f: &Facts) -> Vec<Found> {
    let file = state_file_name(f);
    let state = f.state.ok();
    let mut found = vec![];
    match (&f.state, state) {
        (Loaded::Invalid(why), _) => found.push((
            Status::Warn,
            Finding::new(codes::CONFIG_INVALID, why.clone()),
        )),
        (Loaded::Denied(why), _) => {
            found.push((Status::Warn, Finding::new(codes::NOT_READABLE, why.clone())))
        }
        (_, Some(s)) => {
            let running = s.pid.and_then(|p| f.listeners.iter().find(|l| l.pid == p));
            match (s.pid, running) {
                // Its writer stopped a moment ago (a duplicate just stopped): the running listener
                // writes it within its next beat, so nothing is stale yet.
                (Some(_), None) if fresh_from_another(f, s) => {}
                (Some(pid), None) => found.push((
                    Status::Warn,
                    Finding::new(codes::LISTENER_STALE_HEARTBEAT, format!("{file} was written by pid \
                        {pid}, which is no longer running; the running listener has not written it: \
                        the file is stale")),
                )),
                _ => found.extend(heartbeat(f, s, running, &file)),
            }
            if s.connected == Some(false) && running.is_some() {
                found.push((
                    Status::Fail,
                    Finding::new(
                        codes::LISTENER_DISCONNECTED,
                        format!(
                            "{file} says the listener (pid {}) is not connected to the API",
                            s.pid.unwrap_or_default()
                        ),
                    ),
                ));
            }
        }
        _ => {}
    }

    found
}

/// The heartbeat in listener.json: over the stale limit while the process lives (stuck), or
/// not a time at all.
fn heartbeat(
    f: &Facts,
    s: &crate::install::ListenerState,
    running: Option<&ListenerProc>,
    file: &str,
) -> Option<Found> {
    let raw = s.heartbeat_at.as_deref()?;
    let Some(at) = time_util::parse_rfc3339(raw) else {
        let why = format!("{file}: heartbeat_at {raw:?} is not an RFC 3339 time");
        return Some((Status::Warn, Finding::new(codes::CONFIG_INVALID, why)));
    };
    if f.now - at <= STALE_AFTER_SECS {
        return None;
    }
    let fnd = Finding::new(
        codes::LISTENER_STALE_HEARTBEAT,
        format!(
            "the last heartbeat in {file} is {} old (over {STALE_AFTER_SECS} s) while the process \
            lives: it is probably stuck",
            time_util::ago(f.now - at)
        ),
    );
    let fnd = match running.or(f.listeners.first().filter(|_| f.listeners.len() == 1)) {
        Some(l) => restarted(fnd, l, f),
        None => fnd,
    };
    Some((Status::Fail, fnd))
}

/// listener.json was written by a pid that is no longer running, less than the stale limit
/// ago, while a listener runs: the one that stopped wrote last (a duplicate just stopped), and
/// the running one writes it at its next beat.
fn fresh_from_another(f: &Facts, s: &crate::install::ListenerState) -> bool {
    !f.listeners.is_empty()
        && s.heartbeat_at
            .as_deref()
            .and_then(time_util::parse_rfc3339)
            .is_some_and(|at| f.now - at <= STALE_AFTER_SECS)
}

/// The check's one line: the listener, how it runs and its heartbeat, or how many run.
fn summary(f: &Facts) -> String {
    let state = f.state.ok();
    if f.listeners.len() == 1 {
        let l = &f.listeners[0];
        let beat = state
            .and_then(|s| s.heartbeat_at.as_deref())
            .and_then(time_util::parse_rfc3339)
            .map(|at| format!(", heartbeat {} ago", time_util::ago(f.now - at)))
            .unwrap_or_default();
        // That heartbeat is another pid's (one just stopped): say whose, and who writes next.
        let beat = match state.and_then(|s| s.pid.map(|p| (p, s))) {
            Some((p, s)) if p != l.pid && fresh_from_another(f, s) => format!(
                "{beat} (by pid {p}, no longer running; pid {} writes it next)",
                l.pid
            ),
            _ => beat,
        };
        let how = if l.stopped { "stopped" } else { "running" };
        let under = match &l.supervisor {
            Supervisor::Unknown => String::new(),
            s => format!(" under {}", s.words()),
        };
        format!(
            "{how}: {}{under}{beat}{}",
            pid_user_uptime(l),
            other_agents_note(f)
        )
    } else {
        format!(
            "{} listeners running{}",
            f.listeners.len(),
            other_agents_note(f)
        )
    }
}

mod ask;
mod ended;
mod facts;
mod home;
pub mod meant;
mod views;

use facts::machine;
pub use facts::{Facts, Found};
use home::other_agents_note;

#[cfg(test)]
pub(crate) mod tests;
