//! The listener check's rules, from hand-built facts.
use super::*;
use crate::install::{HomeChoice, ListenerState};
use crate::model::command::RunAs;
use crate::probes::files::FileMeta;
use crate::probes::processes::EnvRead;
use crate::probes::services::Unit;

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
        supervisor: Supervisor::Unknown,
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
            log_file: None,
        },
        FileMeta {
            size: 1,
            mode: 0o644,
            uid: 1000,
            modified: 0,
            link_to: None,
        },
    )
}
/// The facts alice's doctor gathers at NOW.
pub(crate) fn facts(listeners: Vec<ListenerProc>, state: Loaded<ListenerState>) -> Facts {
    Facts {
        me: user(1000, "alice"),
        elevation: crate::supervisors::Elevation {
            sudo: true,
            runuser: false,
            runuser_at: None,
            windows: false,
            doctor_at: None,
        },
        listeners,
        other_agents: vec![],
        processes_seen: 120,
        scan_error: None,
        home: HomeChoice {
            path: Some("/home/alice/.config/agent-rooms".into()),
            why: "test".into(),
        },
        state_file: Some("/home/alice/.config/agent-rooms/listener.json".into()),
        state,
        units: vec![],
        supervisors: Default::default(),
        nothing_set_up: None,
        home_is_file: false,
        home_denied: false,
        now: NOW,
    }
}
pub(crate) fn codes(d: &Diagnosis) -> Vec<&str> {
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
    use crate::probes::processes::{ProcessEnv, Wanted};
    let with = |v: &str| {
        let mut l = proc(42, 1000, "alice");
        l.env = EnvRead::Readable(Box::new(ProcessEnv::from_pairs(
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
        exec_start: vec![],
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
fn a_system_unit_is_started_as_root() {
    let mut f = facts(vec![], Loaded::Missing);
    f.units = vec![Unit {
        name: "agent-rooms.service".into(),
        path: "/etc/systemd/system/agent-rooms.service".into(),
        user: false,
        exec_start: vec![],
    }];
    let d = diagnose(&f);
    assert_eq!(
        d.findings[0].remedy.commands,
        vec![
            "sudo systemctl start agent-rooms.service",
            "journalctl -u agent-rooms.service -n 50"
        ]
    );
    assert_eq!(d.findings[0].remedy.commands[0].run_as, RunAs::Root);
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
    // bob's process is stopped as bob.
    assert_eq!(
        d.findings[0].remedy.commands,
        vec!["sudo -u bob -H kill 43"]
    );
    // A supervised duplicate is stopped through its supervisor, or it comes back.
    let mut a = proc(42, 1000, "alice");
    let mut b = proc(43, 1000, "alice");
    let mut c = proc(44, 1000, "alice");
    a.supervisor = Supervisor::Unknown;
    b.supervisor = Supervisor::SystemdSystem {
        unit: "ar.service".into(),
    };
    c.supervisor = Supervisor::Pm2 {
        name: "ar-listen".into(),
        id: None,
        pm2_home: None,
        out_log: None,
        err_log: None,
        bin: None,
    };
    let d = diagnose(&facts(vec![a.clone(), b, c.clone()], Loaded::Missing));
    // The supervised one is kept (the oldest of those), the stray started by hand stopped.
    assert_eq!(
        d.findings[0].remedy.commands,
        vec!["kill 42", "pm2 delete ar-listen"]
    );
    // `fix --yes` ends the stray; deleting a pm2 app stays the person's pick.
    use crate::model::command::Fix;
    let fixes: Vec<Fix> = d.findings[0]
        .remedy
        .commands
        .iter()
        .map(|c| c.fix)
        .collect();
    assert_eq!(fixes, [Fix::Safe, Fix::Ask]);
    assert!(d.findings[0].remedy.steps[0].starts_with(
        "To keep pid 43, which systemd unit ar.service keeps running, stop the others"
    ));
    // A stray beside a pm2 app: the pm2 one stays, even when the stray is older.
    let d = diagnose(&facts(vec![a, c], Loaded::Missing));
    assert_eq!(d.findings[0].remedy.commands, vec!["kill 42"]);
    // None supervised: the oldest.
    let d = diagnose(&facts(
        vec![proc(50, 1000, "alice"), proc(51, 1000, "alice")],
        Loaded::Missing,
    ));
    assert!(d.findings[0].remedy.steps[0].starts_with("To keep the oldest, pid 50,"));
    assert_eq!(d.findings[0].remedy.commands, vec!["kill 51"]);
    // The kept one goes on waking the agent: `fix --yes` may stop the other (issue 39)…
    assert_eq!(d.findings[0].remedy.commands[0].fix, Fix::Safe);
    // …unless the kept one is itself stopped: then the stop would leave no working listener.
    let mut kept = proc(50, 1000, "alice");
    kept.stopped = true;
    let d = diagnose(&facts(vec![kept, proc(51, 1000, "alice")], Loaded::Missing));
    let dup = d
        .findings
        .iter()
        .find(|f| f.code == "LISTENER_DUPLICATE")
        .unwrap();
    assert_eq!(dup.remedy.commands[0].fix, Fix::Ask);
}

#[test]
fn a_user_unit_without_lingering_warns_and_names_the_supervisor() {
    let mut l = proc(42, 1000, "alice");
    l.supervisor = Supervisor::SystemdUser {
        unit: "agent-rooms.service".into(),
        uid: Some(1000),
        lingering: Some(false),
    };
    let d = diagnose(&facts(vec![l.clone()], Loaded::Missing));
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Warn, vec!["LISTENER_NO_LINGER"])
    );
    assert!(d.findings[0]
        .message
        .contains("no /var/lib/systemd/linger/alice"));
    // Lingering for a user is root's to turn on (sudo, as this doctor is alice, not root).
    assert_eq!(
        d.findings[0].remedy.commands,
        vec!["sudo loginctl enable-linger alice"]
    );
    assert_eq!(d.findings[0].remedy.commands[0].run_as, RunAs::Root);
    assert!(
        d.summary
            .contains("under systemd user unit agent-rooms.service"),
        "{}",
        d.summary
    );
    // Lingering on, or not known: nothing to say.
    for lingering in [Some(true), None] {
        l.supervisor = Supervisor::SystemdUser {
            unit: "agent-rooms.service".into(),
            uid: Some(1000),
            lingering,
        };
        assert_eq!(
            diagnose(&facts(vec![l.clone()], Loaded::Missing)).status,
            Status::Pass
        );
    }
}

#[test]
fn restarts_go_through_the_supervisor() {
    let mut l = proc(42, 1000, "alice");
    l.outdated = Some("its executable /usr/bin/agent-rooms was deleted or replaced".into());
    l.supervisor = Supervisor::Pm2 {
        name: "ar-listen".into(),
        id: Some("0".into()),
        pm2_home: None,
        out_log: None,
        err_log: None,
        bin: None,
    };
    let d = diagnose(&facts(vec![l.clone()], Loaded::Missing));
    assert_eq!(codes(&d), vec!["LISTENER_OUTDATED"]);
    assert_eq!(
        d.findings[0].remedy.commands,
        vec!["pm2 restart ar-listen --update-env"]
    );
    assert!(d.findings[0].remedy.steps[0].contains("pm2 app ar-listen"));
    // TLS off in a systemd unit's environment: the drop-in, then the restart.
    l.outdated = None;
    l.supervisor = Supervisor::SystemdSystem {
        unit: "ar.service".into(),
    };
    l.env = EnvRead::Readable(Box::new(crate::probes::processes::ProcessEnv {
        node_tls_reject_unauthorized: Some("0".into()),
        ..Default::default()
    }));
    let d = diagnose(&facts(vec![l], Loaded::Missing));
    assert_eq!(codes(&d), vec!["LISTENER_TLS_UNVERIFIED"]);
    assert_eq!(
        d.findings[0].remedy.commands,
        vec![
            "sudo systemctl edit ar.service",
            "sudo systemctl restart ar.service"
        ]
    );
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
        state(7, "2026-11-25T11:55:00Z", true),
    ));
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Warn, vec!["LISTENER_STALE_HEARTBEAT"])
    );
    assert!(d.findings[0]
        .message
        .contains("pid 7, which is no longer running"));
    // Written a second ago by a pid just stopped (a duplicate, as advised): the running one
    // writes it at its next beat; nothing is stale, and the line says whose heartbeat it is.
    let d = diagnose(&facts(
        vec![proc(42, 1000, "alice")],
        state(7, "2026-11-25T11:59:59Z", true),
    ));
    assert_eq!((d.status, codes(&d)), (Status::Pass, vec![]));
    assert!(
        d.summary
            .to_string()
            .ends_with("heartbeat 1s ago (by pid 7, no longer running; pid 42 writes it next)"),
        "{}",
        d.summary
    );
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

#[test]
fn nothing_set_up_is_one_finding_naming_where_it_looked() {
    let mut f = facts(vec![], Loaded::Missing);
    f.home = HomeChoice {
        path: Some("/home/alice/.config/agent-rooms".into()),
        why: "yours (user alice): no listener is running".into(),
    };
    f.nothing_set_up = Some(
        "agent-rooms is not set up here: /home/alice/.config/agent-rooms does not exist".into(),
    );
    let d = diagnose(&f);
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Fail, vec!["HOME_NOT_FOUND"])
    );
    assert!(d.findings[0].message.starts_with(
        "no agent-rooms home at /home/alice/.config/agent-rooms (yours (user alice): no listener is \
            running): agent-rooms was never set up for alice here"
    ));
    assert!(d.findings[0].remedy.commands.is_empty());
    // Another user's agent runs here, which alice may not read: named, with the doctor as
    // that user by the path it runs from (her login shell may not have it).
    let bobs = crate::ctx::Agent {
        home: None,
        pids: vec![77],
        users: vec!["bob".into()],
        uids: vec![1001],
        unjudged: Some("it is bob's: run the doctor as root or as bob".into()),
    };
    f.other_agents = vec![bobs.clone()];
    f.elevation.doctor_at = Some("/home/alice/.cargo/bin/agent-rooms-doctor".into());
    let d = diagnose(&f);
    assert!(
        d.findings[0].message.ends_with(
            "1 other agent runs here, not judged: an unknown home (pid 77, bob): not judged, it is \
                bob's: run the doctor as root or as bob"
        ),
        "{}",
        d.findings[0].message
    );
    assert_eq!(
        d.findings[0].remedy.commands,
        ["sudo -u bob -H /home/alice/.cargo/bin/agent-rooms-doctor"]
    );
    // Root's agent: the doctor as root.
    f.other_agents = vec![crate::ctx::Agent {
        users: vec!["root".into()],
        uids: vec![0],
        ..bobs
    }];
    f.elevation.doctor_at = None;
    assert_eq!(
        diagnose(&f).findings[0].remedy.commands,
        ["sudo agent-rooms-doctor"]
    );
    // A running listener is what matters then, whatever the home.
    f.listeners = vec![proc(42, 1000, "alice")];
    assert_ne!(codes(&diagnose(&f)), vec!["HOME_NOT_FOUND"]);
}

#[test]
fn other_agents_are_named_with_the_home_that_judges_them_never_as_duplicates() {
    let other = crate::ctx::Agent {
        home: Some("/srv/build/.config/agent-rooms".into()),
        pids: vec![4242],
        users: vec!["build".into()],
        uids: vec![],
        unjudged: None,
    };
    // One whose environment cannot be read: not judged, and as whom to run.
    let unread = crate::ctx::Agent {
        home: None,
        pids: vec![77],
        users: vec!["root".into()],
        uids: vec![],
        unjudged: Some("its environment cannot be read: run the doctor as root".into()),
    };
    let mut f = facts(vec![proc(42, 1000, "alice")], Loaded::Missing);
    f.other_agents = vec![unread];
    let d = diagnose(&f);
    assert!(codes(&d).is_empty(), "{:?}", d.findings);
    assert!(
        d.summary.contains(
            "an unknown home (pid 77, root): not judged, its environment cannot be read: run the \
                doctor as root"
        ),
        "{}",
        d.summary
    );
    let mut f = facts(vec![proc(42, 1000, "alice")], Loaded::Missing);
    f.other_agents = vec![other.clone()];
    let d = diagnose(&f);
    assert!(codes(&d).is_empty(), "{:?}", d.findings);
    assert!(
        d.summary.contains(
            "1 other agent runs here, not judged: /srv/build/.config/agent-rooms (pid 4242, build): \
                agent-rooms-doctor --home /srv/build/.config/agent-rooms"
        ),
        "{}",
        d.summary
    );
    // Dozens of agents (a build farm): the first three, and how many more.
    let mut f = facts(vec![proc(42, 1000, "alice")], Loaded::Missing);
    f.other_agents = vec![other.clone(); 5];
    let d = diagnose(&f);
    assert!(
        d.summary.contains("5 other agents run here")
            && d.summary.ends_with("; and 2 more (all in --verbose)"),
        "{}",
        d.summary
    );
    assert_eq!(d.summary.matches("--home").count(), 3, "{}", d.summary);
    // None of the judged agent's own: not running, and the others named in the finding.
    let mut f = facts(vec![], Loaded::Missing);
    f.other_agents = vec![other.clone(), other];
    let d = diagnose(&f);
    assert_eq!(codes(&d), vec!["LISTENER_NOT_RUNNING"]);
    assert!(d.summary.contains("(2 other agents here)"), "{}", d.summary);
    assert!(
        d.findings[0].message.contains("2 other agents run here")
            && d.findings[0]
                .message
                .contains("--home /srv/build/.config/agent-rooms"),
        "{}",
        d.findings[0].message
    );
}
