//! The `listener` check: is `agent-rooms watch` running, once, as the doctor's user, and is it
//! alive (heartbeat) and connected (listener.json)?

use serde::Serialize;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use crate::ctx::Ctx;
use crate::engine::{finish, CheckDef, Deps, Ran};
use crate::install::{HomeChoice, ListenerState, Loaded};
use crate::model::outcome::{Diagnosis, Finding, Status};
use crate::model::CheckId;
use crate::probes::processes::{EnvRead, ListenerProc};
use crate::probes::services::{self, Unit};
use crate::probes::users::UserInfo;
use crate::time_util;

pub const DEF: CheckDef<Ctx> = CheckDef {
    id: CheckId::Listener,
    title: "Listener",
    question: "Is `agent-rooms watch` running, once, as the right user, and alive?",
    inspects: "agent-rooms watch processes of every user: how many, their user, uptime, PATH; listener.json heartbeat and connection",
    needs: &[],
    run,
};

/// A heartbeat older than this means the listener is stuck (it writes one every 30 s).
pub const STALE_AFTER_SECS: i64 = 90;

#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    pub me: UserInfo,
    pub listeners: Vec<ListenerProc>,
    pub processes_seen: usize,
    pub scan_error: Option<String>,
    pub home: HomeChoice,
    pub state_file: Option<PathBuf>,
    #[serde(serialize_with = "ser_loaded")]
    pub state: Loaded<ListenerState>,
    /// systemd units that run `agent-rooms watch` (looked for only when none is running).
    pub units: Vec<Unit>,
    pub now: i64,
}

fn ser_loaded<S: serde::Serializer>(l: &Loaded<ListenerState>, s: S) -> Result<S::Ok, S::Error> {
    match l {
        Loaded::Ok(st, _) => st.serialize(s),
        other => s.serialize_str(&other.state()),
    }
}

fn run(ctx: Arc<Ctx>, _: Deps) -> Pin<Box<dyn Future<Output = Ran> + Send>> {
    Box::pin(async move { finish(gather(&ctx).await, diagnose) })
}

pub async fn gather(ctx: &Ctx) -> Facts {
    let scan = ctx.scan().await;
    let install = ctx.install().await;
    Facts {
        me: ctx.me.clone(),
        listeners: scan.listeners.clone(),
        processes_seen: scan.processes_seen,
        scan_error: scan.error.clone(),
        home: install.home.clone(),
        state_file: install.home.path.as_ref().map(|h| h.join("listener.json")),
        state: install.listener_state.clone(),
        units: if scan.listeners.is_empty() {
            let home = ctx.my_home();
            tokio::task::spawn_blocking(move || services::listener_units(home.as_deref()))
                .await
                .unwrap_or_default()
        } else {
            vec![]
        },
        now: time_util::now(),
    }
}

fn who(l: &ListenerProc) -> String {
    format!(
        "pid {} ({}, up {})",
        l.pid,
        l.user.name,
        time_util::ago(l.uptime_secs as i64)
    )
}

pub fn diagnose(f: &Facts) -> Diagnosis {
    if let Some(e) = &f.scan_error {
        return Diagnosis::from_findings(
            "the process table could not be read",
            vec![(
                Status::Fail,
                Finding::new("INTERNAL_ERROR", format!("listener check: {e}")),
            )],
        );
    }
    let state = f.state.ok();
    let file = f
        .state_file
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "listener.json".into());
    let mut found = vec![];

    if f.listeners.is_empty() {
        let mut msg = format!(
            "no `agent-rooms watch` process is running (looked at {} processes of every user)",
            f.processes_seen
        );
        if let Some(pid) = state.and_then(|s| s.pid) {
            msg.push_str(&format!(
                "; {file} names pid {pid}, which is not running: the file is stale"
            ));
        }
        let mut fnd = Finding::new("LISTENER_NOT_RUNNING", msg);
        if !f.units.is_empty() {
            let names: Vec<&str> = f.units.iter().map(|u| u.name.as_str()).collect();
            fnd = fnd
                .with_step_first(format!("A systemd unit runs the listener ({}): start it and read its log for why it stopped.", names.join(", ")))
                .with_commands(
                    f.units
                        .iter()
                        .flat_map(|u| {
                            let ctl = if u.user { "systemctl --user" } else { "systemctl" };
                            let jctl = if u.user { "journalctl --user" } else { "journalctl" };
                            [format!("{ctl} start {}", u.name), format!("{jctl} -u {} -n 50", u.name)]
                        })
                        .collect(),
                );
        }
        found.push((Status::Fail, fnd));
        return Diagnosis::from_findings("no listener is running", found);
    }

    if f.listeners.len() > 1 {
        let list: Vec<String> = f.listeners.iter().map(who).collect();
        let keep = f
            .listeners
            .iter()
            .min_by_key(|l| (l.started_at, l.pid))
            .map(|l| l.pid)
            .unwrap_or(0);
        let kills: Vec<String> = f
            .listeners
            .iter()
            .filter(|l| l.pid != keep)
            .map(|l| format!("kill {}", l.pid))
            .collect();
        found.push((
            Status::Fail,
            Finding::new("LISTENER_DUPLICATE", format!("{} listeners are running: {}; they fight over tasks (one of them gets already_claimed)", f.listeners.len(), list.join(", ")))
                .with_step_first(format!("To keep the oldest (pid {keep}), stop the others; if a service restarts them, disable the extra service instead."))
                .with_commands(kills),
        ));
    }

    for l in f.listeners.iter().filter(|l| l.user.uid != f.me.uid) {
        found.push((
            Status::Warn,
            Finding::new("LISTENER_OTHER_USER", format!("the listener pid {} runs as {}, not as you ({}): its logins, files and PATH are {}'s", l.pid, l.user.name, f.me.name, l.user.name))
                .with_commands(vec![format!("sudo -u {} -H agent-rooms-doctor", l.user.name)]),
        ));
    }

    for l in &f.listeners {
        if l.stopped {
            found.push((
                Status::Fail,
                Finding::new(
                    "LISTENER_STOPPED",
                    format!(
                        "the listener {} is stopped (Ctrl-Z, SIGSTOP or a debugger): it exists but handles nothing, so no work wakes the agent",
                        who(l)
                    ),
                )
                .with_commands(vec![format!("kill -CONT {}", l.pid)]),
            ));
        }
        // A node listener with NODE_TLS_REJECT_UNAUTHORIZED=0 accepts any certificate: its
        // connection to the API can be intercepted (CONTRACT §1).
        if let EnvRead::Readable(e) = &l.env {
            if e.node_tls_reject_unauthorized.as_deref().map(str::trim) == Some("0") {
                found.push((
                    Status::Warn,
                    Finding::new(
                        "LISTENER_TLS_UNVERIFIED",
                        format!(
                            "the listener {} runs with NODE_TLS_REJECT_UNAUTHORIZED=0: it accepts any TLS certificate, so its connection to the API can be intercepted",
                            who(l)
                        ),
                    ),
                ));
            }
        }
        if let Some(why) = &l.outdated {
            found.push((
                Status::Warn,
                Finding::new(
                    "LISTENER_OUTDATED",
                    format!("the listener {} runs old code: {why}", who(l)),
                ),
            ));
        }
    }

    match (&f.state, state) {
        (Loaded::Invalid(why), _) => {
            found.push((Status::Warn, Finding::new("CONFIG_INVALID", why.clone())))
        }
        (_, Some(s)) => {
            let running = s.pid.and_then(|p| f.listeners.iter().find(|l| l.pid == p));
            match (s.pid, running) {
                (Some(pid), None) => found.push((
                    Status::Warn,
                    Finding::new("LISTENER_STALE_HEARTBEAT", format!("{file} was written by pid {pid}, which is no longer running; the running listener has not written it: the file is stale")),
                )),
                _ => match s.heartbeat_at.as_deref().map(|t| (t, time_util::parse_rfc3339(t))) {
                    Some((_, Some(at))) if f.now - at > STALE_AFTER_SECS => found.push((
                        Status::Fail,
                        Finding::new("LISTENER_STALE_HEARTBEAT", format!("the last heartbeat in {file} is {} old (over {STALE_AFTER_SECS} s) while the process lives: it is probably stuck", time_util::ago(f.now - at))),
                    )),
                    Some((raw, None)) => found.push((Status::Warn, Finding::new("CONFIG_INVALID", format!("{file}: heartbeat_at {raw:?} is not an RFC 3339 time")))),
                    _ => {}
                },
            }
            if s.connected == Some(false) && running.is_some() {
                found.push((
                    Status::Fail,
                    Finding::new(
                        "LISTENER_DISCONNECTED",
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

    let summary = if f.listeners.len() == 1 {
        let l = &f.listeners[0];
        let beat = state
            .and_then(|s| s.heartbeat_at.as_deref())
            .and_then(time_util::parse_rfc3339)
            .map(|at| format!(", heartbeat {} ago", time_util::ago(f.now - at)))
            .unwrap_or_default();
        let how = if l.stopped { "stopped" } else { "running" };
        format!("{how}: {}{beat}", who(l))
    } else {
        format!("{} listeners running", f.listeners.len())
    };
    Diagnosis::from_findings(summary, found)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::probes::files::FileMeta;
    use crate::probes::processes::EnvRead;

    const NOW: i64 = 1_795_608_000; // 2026-11-25T12:00:00Z

    fn user(uid: u32, name: &str) -> UserInfo {
        UserInfo {
            uid,
            name: name.into(),
            home: Some(format!("/home/{name}").into()),
        }
    }
    /// A listener process of user `name`, up an hour, environment unreadable.
    pub(crate) fn proc(pid: u32, uid: u32, name: &str) -> ListenerProc {
        ListenerProc {
            pid,
            ppid: Some(1),
            user: user(uid, name),
            started_at: (NOW - 3600) as u64 + pid as u64,
            uptime_secs: 3600,
            argv: "agent-rooms watch".into(),
            wrappers: vec![],
            unit: None,
            env: EnvRead::Unreadable("permission denied".into()),
            stopped: false,
            outdated: None,
        }
    }
    /// listener.json as pid `pid` wrote it, with its heartbeat time.
    pub(crate) fn state(pid: u32, beat: &str, connected: bool) -> Loaded<ListenerState> {
        Loaded::Ok(
            ListenerState {
                pid: Some(pid),
                started_at: None,
                heartbeat_at: Some(beat.into()),
                version: Some("1.2.3".into()),
                connected: Some(connected),
            },
            FileMeta {
                size: 1,
                mode: 0o644,
                uid: 1000,
                modified: 0,
            },
        )
    }
    /// The facts alice's doctor gathers at NOW.
    pub(crate) fn facts(listeners: Vec<ListenerProc>, state: Loaded<ListenerState>) -> Facts {
        Facts {
            me: user(1000, "alice"),
            listeners,
            processes_seen: 120,
            scan_error: None,
            home: HomeChoice {
                path: Some("/home/alice/.config/agent-rooms".into()),
                why: "test".into(),
            },
            state_file: Some("/home/alice/.config/agent-rooms/listener.json".into()),
            state,
            units: vec![],
            now: NOW,
        }
    }
    fn codes(d: &Diagnosis) -> Vec<&str> {
        d.findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn one_fresh_connected_listener_passes() {
        let d = diagnose(&facts(
            vec![proc(42, 1000, "alice")],
            state(42, "2026-11-25T11:59:40Z", true),
        ));
        assert_eq!(d.status, Status::Pass, "{d:?}");
        assert_eq!(
            d.summary,
            "running: pid 42 (alice, up 1h 0m), heartbeat 20s ago"
        );
    }

    #[test]
    fn a_listener_that_skips_tls_verification_warns() {
        use crate::probes::processes::{ListenerEnv, Wanted};
        let with = |v: &str| {
            let mut l = proc(42, 1000, "alice");
            l.env = EnvRead::Readable(Box::new(ListenerEnv::from_pairs(
                [("NODE_TLS_REJECT_UNAUTHORIZED", v)].into_iter(),
                &Wanted::default(),
            )));
            diagnose(&facts(vec![l], state(42, "2026-11-25T11:59:40Z", true)))
        };
        let d = with("0");
        assert_eq!(
            (d.status, codes(&d)),
            (Status::Warn, vec!["LISTENER_TLS_UNVERIFIED"])
        );
        for v in ["1", "", "false"] {
            assert_eq!(codes(&with(v)), Vec::<&str>::new(), "{v:?}");
        }
    }

    #[test]
    fn a_stopped_listener_fails_and_an_outdated_one_warns() {
        let mut l = proc(42, 1000, "alice");
        l.stopped = true;
        let d = diagnose(&facts(vec![l], state(42, "2026-11-25T11:59:40Z", true)));
        assert_eq!(
            (d.status, codes(&d)),
            (Status::Fail, vec!["LISTENER_STOPPED"])
        );
        assert!(d.summary.starts_with("stopped: pid 42"), "{}", d.summary);
        assert_eq!(d.findings[0].remedy.commands, vec!["kill -CONT 42"]);
        let mut l = proc(42, 1000, "alice");
        l.outdated = Some("its program /usr/bin/agent-rooms was modified after it started".into());
        let d = diagnose(&facts(vec![l], state(42, "2026-11-25T11:59:40Z", true)));
        assert_eq!(
            (d.status, codes(&d)),
            (Status::Warn, vec!["LISTENER_OUTDATED"])
        );
        assert!(d.findings[0]
            .message
            .ends_with("was modified after it started"));
    }

    #[test]
    fn none_running_fails_and_names_a_stale_file() {
        let d = diagnose(&facts(vec![], state(42, "2026-11-25T11:00:00Z", true)));
        assert_eq!(
            (d.status, codes(&d)),
            (Status::Fail, vec!["LISTENER_NOT_RUNNING"])
        );
        assert!(d.findings[0]
            .message
            .contains("names pid 42, which is not running"));
        assert_eq!(d.findings[0].remedy.commands, vec!["agent-rooms watch"]);
    }

    #[test]
    fn none_running_with_a_unit_names_the_service() {
        let mut f = facts(vec![], Loaded::Missing);
        f.units = vec![Unit {
            name: "agent-rooms.service".into(),
            path: "/home/alice/.config/systemd/user/agent-rooms.service".into(),
            user: true,
        }];
        let d = diagnose(&f);
        assert_eq!(
            d.findings[0].remedy.commands,
            vec![
                "systemctl --user start agent-rooms.service",
                "journalctl --user -u agent-rooms.service -n 50"
            ]
        );
        assert!(d.findings[0].remedy.steps[0]
            .contains("A systemd unit runs the listener (agent-rooms.service)"));
    }

    #[test]
    fn two_running_is_a_duplicate_keeping_the_oldest() {
        let d = diagnose(&facts(
            vec![proc(42, 1000, "alice"), proc(43, 1001, "bob")],
            Loaded::Missing,
        ));
        assert_eq!(d.status, Status::Fail);
        assert_eq!(codes(&d), vec!["LISTENER_DUPLICATE", "LISTENER_OTHER_USER"]);
        assert!(
            d.findings[0].message.contains("pid 42 (alice")
                && d.findings[0].message.contains("pid 43 (bob")
        );
        assert_eq!(d.findings[0].remedy.commands, vec!["kill 43"]);
    }

    #[test]
    fn another_user_warns_with_the_command_to_check_from_its_side() {
        let d = diagnose(&facts(vec![proc(42, 1001, "bob")], Loaded::Missing));
        assert_eq!(
            (d.status, codes(&d)),
            (Status::Warn, vec!["LISTENER_OTHER_USER"])
        );
        assert_eq!(
            d.findings[0].remedy.commands,
            vec!["sudo -u bob -H agent-rooms-doctor"]
        );
    }

    #[test]
    fn stale_heartbeat_and_disconnected_fail() {
        let d = diagnose(&facts(
            vec![proc(42, 1000, "alice")],
            state(42, "2026-11-25T11:50:00Z", false),
        ));
        assert_eq!(d.status, Status::Fail);
        assert_eq!(
            codes(&d),
            vec!["LISTENER_STALE_HEARTBEAT", "LISTENER_DISCONNECTED"]
        );
        assert!(d.findings[0].message.contains("10m 0s old"));
    }

    #[test]
    fn a_file_from_a_dead_pid_is_stale_and_a_bad_file_is_invalid() {
        let d = diagnose(&facts(
            vec![proc(42, 1000, "alice")],
            state(7, "2026-11-25T11:59:59Z", true),
        ));
        assert_eq!(
            (d.status, codes(&d)),
            (Status::Warn, vec!["LISTENER_STALE_HEARTBEAT"])
        );
        assert!(d.findings[0]
            .message
            .contains("pid 7, which is no longer running"));
        let d = diagnose(&facts(
            vec![proc(42, 1000, "alice")],
            Loaded::Invalid("/x/listener.json is not valid JSON at line 1 column 1".into()),
        ));
        assert_eq!(
            (d.status, codes(&d)),
            (Status::Warn, vec!["CONFIG_INVALID"])
        );
        let d = diagnose(&facts(
            vec![proc(42, 1000, "alice")],
            state(42, "soon", true),
        ));
        assert_eq!(codes(&d), vec!["CONFIG_INVALID"]);
    }

    #[test]
    fn an_unreadable_process_table_is_an_internal_error() {
        let mut f = facts(vec![], Loaded::Missing);
        f.scan_error = Some("cannot read /proc".into());
        let d = diagnose(&f);
        assert_eq!(
            (d.status, codes(&d)),
            (Status::Fail, vec!["INTERNAL_ERROR"])
        );
    }
}
