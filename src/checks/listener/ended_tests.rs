//! The rules over what runs the listener, from hand-built facts (recorded pm2 and systemd
//! answers go through the same conversions).
use super::super::meant::{self, Asked, AtBoot, Exit, Meant, State};
use super::super::tests::{facts, proc, state};
use super::*;
use crate::install::Loaded;
use crate::model::outcome::Diagnosis;
use crate::probes::pm2::App;
use crate::probes::services::Unit;
use crate::probes::systemd;
use crate::probes::users::UserInfo;

fn alice() -> UserInfo {
    UserInfo {
        uid: 1000,
        name: "alice".into(),
        home: Some("/home/alice".into()),
    }
}

fn app(status: &str, restarts: u64, exit: Option<i64>) -> App {
    App {
        name: "ar".into(),
        id: Some(0),
        status: status.into(),
        pid: None,
        restarts,
        unstable_restarts: 0,
        exit_code: exit,
        since: Some(1_795_607_990),
        script: "/home/alice/.npm-global/lib/node_modules/agent-rooms/bin/agent-rooms.js".into(),
        args: vec!["watch".into()],
        out_log: Some("/home/alice/.pm2/logs/ar-out.log".into()),
        err_log: Some("/home/alice/.pm2/logs/ar-error.log".into()),
        autorestart: true,
        home_env: Default::default(),
        pm2: None,
        path: None,
    }
}

fn pm2(status: &str, restarts: u64, exit: Option<i64>, words: &[&str]) -> Meant {
    let mut m = meant::from_pm2(
        &app(status, restarts, exit),
        std::path::Path::new("/home/alice/.pm2"),
        &alice(),
        true,
        true,
        None,
    );
    m.last_words = words.iter().map(|w| w.to_string()).collect();
    m
}

fn unit(recording: &str, user: bool) -> Meant {
    let dir = format!("{}/tests/data/systemd", env!("CARGO_MANIFEST_DIR"));
    let show = std::fs::read_to_string(format!("{dir}/{recording}.show")).unwrap();
    let journal = std::fs::read_to_string(format!("{dir}/{recording}.journal")).unwrap_or_default();
    let u = Unit {
        name: format!("{recording}.service"),
        path: "/etc/systemd/system/x.service".into(),
        user,
        exec_start: vec![
            "/usr/bin/node".into(),
            "/opt/agent-rooms/agent-rooms.js".into(),
            "watch".into(),
        ],
    };
    let mut m = meant::from_unit(&u, &systemd::parse_show(&show), &alice());
    m.last_words = meant::last_words(&journal.lines().collect::<Vec<_>>());
    m
}

fn none_running(meant: Vec<Meant>) -> Diagnosis {
    let mut f = facts(vec![], Loaded::Missing);
    f.supervisors = Asked {
        meant,
        unasked: vec![],
    };
    super::super::diagnose(&f)
}

fn codes(d: &Diagnosis) -> Vec<&str> {
    d.findings.iter().map(|f| f.code.as_str()).collect()
}

fn lines(d: &Diagnosis, i: usize) -> Vec<String> {
    d.findings[i]
        .remedy
        .commands
        .iter()
        .map(|c| c.line.clone())
        .collect()
}

#[test]
fn pm2_that_gave_up_is_crashed_with_its_last_words_and_cause() {
    let d = none_running(vec![pm2(
        "errored",
        15,
        Some(1),
        &[
            "Error: Cannot find module 'ws'",
            "Require stack:",
            "- /x/agent-rooms.js",
        ],
    )]);
    assert_eq!(codes(&d), ["LISTENER_CRASHED"]);
    assert_eq!(d.status, Status::Fail);
    let msg = d.findings[0].message.to_string();
    assert!(msg.contains("pm2 app ar (alice) is errored"), "{msg}");
    assert!(
        msg.contains("started again 15 times before it was given up"),
        "{msg}"
    );
    assert!(msg.contains("exited with code 1"), "{msg}");
    assert!(msg.contains("`Error: Cannot find module 'ws'`"), "{msg}");
    assert!(msg.contains("install is broken"), "{msg}");
    assert!(
        d.summary.to_string().contains("it crashed"),
        "{}",
        d.summary
    );
    // The cause first (reinstall: the package is unknown here, so in words), then pm2's own
    // restart, shown only: it would crash the same way until the install is fixed.
    let r = &d.findings[0].remedy;
    assert!(
        r.steps[0].starts_with("Install agent-rooms again"),
        "{:?}",
        r.steps
    );
    assert_eq!(lines(&d, 0)[0], "pm2 restart ar");
    assert_eq!(r.commands[0].fix, Fix::Shown);
    assert!(lines(&d, 0)[1].contains("pm2 logs ar --lines 100 --nostream"));
}

#[test]
fn a_stopped_app_is_not_running_with_pm2s_restart_to_run() {
    let d = none_running(vec![pm2("stopped", 1, Some(0), &[])]);
    assert_eq!(codes(&d), ["LISTENER_NOT_RUNNING"]);
    let msg = d.findings[0].message.to_string();
    assert!(msg.contains("pm2 app ar (alice) is stopped"), "{msg}");
    assert!(msg.contains("it was stopped on purpose"), "{msg}");
    assert_eq!(lines(&d, 0), ["pm2 restart ar"]);
    assert_eq!(d.findings[0].remedy.commands[0].fix, Fix::Safe);
    // Stopped after it exited 1 without autorestart is a crash, not a stop.
    let mut m = pm2("stopped", 0, Some(1), &[]);
    m.restarts_on_exit = false;
    let app_stopped_by_crash = meant::from_pm2(
        &app("stopped", 0, Some(1)),
        "/p".as_ref(),
        &alice(),
        true,
        true,
        None,
    );
    assert_eq!(app_stopped_by_crash.state, State::Failed);
}

#[test]
fn a_dead_pm2_daemon_is_resurrected_and_its_errored_app_is_still_a_crash() {
    let mut m = meant::from_pm2(
        &app("online", 0, None),
        "/home/alice/.pm2".as_ref(),
        &alice(),
        false,
        true,
        None,
    );
    assert_eq!(m.state, State::DaemonDown);
    let d = none_running(vec![m.clone()]);
    assert_eq!(codes(&d), ["LISTENER_NOT_RUNNING"]);
    assert!(d.findings[0]
        .message
        .to_string()
        .contains("pm2's daemon for alice is not running"));
    assert_eq!(lines(&d, 0), ["pm2 resurrect"]);
    m.said = "errored".into();
    m.exit.code = Some(1);
    let d = none_running(vec![m]);
    assert_eq!(codes(&d), ["LISTENER_CRASHED"]);
    assert_eq!(lines(&d, 0)[0], "pm2 resurrect");
}

#[test]
fn a_crash_loop_caught_while_up_is_crashed_not_running() {
    let mut l = proc(4242, 1000, "alice");
    l.uptime_secs = 3;
    l.supervisor = pm2("online", 7, Some(1), &[]).supervisor;
    let mut f = facts(vec![l.clone()], state(4242, "2026-11-25T11:59:59Z", true));
    f.supervisors.meant = vec![pm2(
        "online",
        7,
        Some(1),
        &["Error: REVOKED: this device token was revoked"],
    )];
    let d = super::super::diagnose(&f);
    assert_eq!(codes(&d), ["LISTENER_CRASHED"]);
    let fnd = &d.findings[0];
    assert!(
        fnd.message
            .to_string()
            .contains("up only 3 s and in a crash loop"),
        "{}",
        fnd.message
    );
    assert!(
        fnd.message.to_string().contains("token at start (REVOKED)"),
        "{}",
        fnd.message
    );
    assert!(
        fnd.follows.contains(&codes::REVOKED),
        "the token's finding is the cause"
    );
    assert!(
        d.summary
            .to_string()
            .starts_with("in a crash loop: pid 4242"),
        "{}",
        d.summary
    );
    // A person's restart leaves exit code 0: no loop.
    f.supervisors.meant = vec![pm2("online", 1, Some(0), &[])];
    assert!(codes(&super::super::diagnose(&f)).is_empty());
    // Old enough: whatever pm2 counts, the run holds.
    f.supervisors.meant = vec![pm2("online", 7, Some(1), &[])];
    f.listeners[0].uptime_secs = meant::YOUNG_SECS;
    assert!(codes(&super::super::diagnose(&f)).is_empty());
}

#[test]
fn a_systemd_unit_up_after_its_own_restarts_is_a_crash_loop() {
    let m = unit("ar-loop-up", false);
    assert_eq!(
        (m.state, m.restarts, m.restarts_on_exit),
        (State::Up, Some(14), true)
    );
    let mut l = proc(5804, 1000, "alice");
    l.uptime_secs = 1;
    l.supervisor = m.supervisor.clone();
    let mut f = facts(vec![l], state(5804, "2026-11-25T11:59:59Z", true));
    f.supervisors.meant = vec![m];
    assert_eq!(codes(&super::super::diagnose(&f)), ["LISTENER_CRASHED"]);
    // Between two runs, nothing runs: crashed, with reset-failed and start.
    let d = none_running(vec![unit("ar-loop-between", false)]);
    assert_eq!(codes(&d), ["LISTENER_CRASHED"]);
    assert!(d.findings[0]
        .message
        .to_string()
        .contains("activating (auto-restart)"));
}

#[test]
fn recorded_systemd_results_read_as_a_person_would_say_them() {
    let d = none_running(vec![unit("ar-limit", false)]);
    let msg = d.findings[0].message.to_string();
    assert!(
        msg.contains("systemd unit ar-limit.service (alice) is failed"),
        "{msg}"
    );
    assert!(
        msg.contains("started again 5 times before it was given up"),
        "{msg}"
    );
    assert!(
        msg.contains("exited with code 1 (systemd's result: exit-code)"),
        "{msg}"
    );
    assert!(msg.contains("Cannot find module 'ws'"), "{msg}");
    assert_eq!(
        lines(&d, 0)[..2],
        [
            "sudo systemctl reset-failed ar-limit.service",
            "sudo systemctl start ar-limit.service"
        ]
    );
    let oom = none_running(vec![unit("ar-oom", false)]);
    let msg = oom.findings[0].message.to_string();
    assert!(
        msg.contains("killed by SIGKILL (systemd's result: oom-kill)"),
        "{msg}"
    );
    assert!(msg.contains("ran out of memory"), "{msg}");
    let limit = none_running(vec![unit("ar-startlimit", false)]);
    let msg = limit.findings[0].message.to_string();
    assert!(msg.contains("start-limit-hit"), "{msg}");
    assert!(msg.contains("not paired"), "{msg}");
    let exec = none_running(vec![unit("ar-203", false)]);
    let msg = exec.findings[0].message.to_string();
    assert!(
        msg.contains("could not be executed (status 203/EXEC)"),
        "{msg}"
    );
    assert!(msg.contains("a program it runs is not there"), "{msg}");
    // Killed by a signal with no cause known: starting it again is fix's to run.
    let kill = none_running(vec![unit("ar-kill", false)]);
    assert!(kill.findings[0]
        .message
        .to_string()
        .contains("killed by SIGKILL (systemd's result: signal)"));
    assert_eq!(kill.findings[0].remedy.commands[0].fix, Fix::Safe);
    // Stopped by a person: not running, start it.
    let stopped = none_running(vec![unit("ar-stopped", true)]);
    assert_eq!(
        codes(&stopped),
        ["LISTENER_NOT_RUNNING", "LISTENER_NOT_ENABLED"]
    );
    assert_eq!(
        lines(&stopped, 0)[1],
        "systemctl --user start ar-stopped.service"
    );
    assert_eq!(
        lines(&stopped, 1),
        ["systemctl --user enable ar-stopped.service"]
    );
}

#[test]
fn not_started_at_boot_warns_with_the_supervisors_switch() {
    let mut m = pm2("stopped", 0, Some(0), &[]);
    m.boot = AtBoot::No("pm2's saved list does not have it".into());
    let d = none_running(vec![m]);
    assert_eq!(codes(&d), ["LISTENER_NOT_RUNNING", "LISTENER_NOT_ENABLED"]);
    assert_eq!(lines(&d, 1), ["pm2 save", "pm2 startup"]);
    // A terminal has no such switch: nothing said.
    let nohup = meant::from_nohup(
        "/home/alice/nohup.out".as_ref(),
        &["hello".into()],
        None,
        &alice(),
    );
    assert!(not_enabled(&facts(vec![], Loaded::Missing)).is_empty());
    let d = none_running(vec![nohup]);
    assert_eq!(
        codes(&d),
        ["LISTENER_NOT_RUNNING"],
        "an ordinary nohup.out is no crash"
    );
}

#[test]
fn a_nohup_crash_is_quoted_with_its_secret_masked() {
    let w: Vec<String> = vec![
        "agent-rooms: connecting with Bearer ar_live_0123456789abcdef0123456789".into(),
        "Error: EACCES: permission denied, open '/home/alice/.config/agent-rooms/listener.json'"
            .into(),
    ];
    let m = meant::from_nohup("/home/alice/nohup.out".as_ref(), &w, None, &alice());
    assert!(
        !m.last_words.concat().contains("0123456789abcdef0123456789"),
        "{:?}",
        m.last_words
    );
    let d = none_running(vec![m]);
    assert_eq!(codes(&d), ["LISTENER_CRASHED"]);
    let msg = d.findings[0].message.to_string();
    assert!(
        msg.contains("started by hand with nohup ended with a crash"),
        "{msg}"
    );
    assert!(msg.contains("EACCES"), "{msg}");
    assert_eq!(
        lines(&d, 0)[0],
        "sudo chown -R alice /home/alice/.config/agent-rooms"
    );
    // A file outside the home is given back itself.
    let outside = meant::from_nohup(
        "/home/alice/nohup.out".as_ref(),
        &["Error: EACCES: permission denied, open '/var/log/agent-rooms.log'".into()],
        None,
        &alice(),
    );
    let d = none_running(vec![outside]);
    assert_eq!(
        lines(&d, 0)[0],
        "sudo chown -R alice /var/log/agent-rooms.log"
    );
    assert_eq!(lines(&d, 0)[1], "agent-rooms watch");
}

#[test]
fn exits_and_signals_read_plainly() {
    assert_eq!(meant::signal_name(9), "SIGKILL");
    assert_eq!(meant::signal_name(64), "signal 64");
    let m = Meant {
        exit: Exit {
            code: None,
            signal: None,
            result: None,
        },
        ..pm2("stopped", 0, None, &[])
    };
    assert_eq!(super::last_exit(&m), None);
}

/// Every recording in tests/data/systemd, read as the state a person would name.
#[test]
fn every_recorded_unit_reads_as_its_state() {
    let table = [
        ("ar-203", State::Failed),
        ("ar-exit", State::Failed),
        ("ar-kill", State::Failed),
        ("ar-limit", State::Failed),
        ("ar-loop-between", State::Restarting),
        ("ar-loop-up", State::Up),
        ("ar-ok", State::Up),
        ("ar-oom", State::Failed),
        ("ar-startlimit", State::Failed),
        ("ar-stopped", State::Stopped),
    ];
    let dir = format!("{}/tests/data/systemd", env!("CARGO_MANIFEST_DIR"));
    let mut recorded: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().into_string().unwrap();
            n.strip_suffix(".show").map(str::to_string)
        })
        .collect();
    recorded.sort();
    let named: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
    assert_eq!(recorded, named, "a recording without its expected state");
    for (name, state) in table {
        let m = unit(name, false);
        assert_eq!(m.state, state, "{name}");
        let d = none_running(vec![m]);
        let code = codes(&d)[0];
        let want = match state {
            State::Failed | State::Restarting => "LISTENER_CRASHED",
            _ => "LISTENER_NOT_RUNNING",
        };
        assert_eq!(code, want, "{name}: {}", d.findings[0].message);
    }
    // The crash with a module missing names its cause from the journal.
    let d = none_running(vec![unit("ar-exit", false)]);
    assert!(d.findings[0]
        .message
        .to_string()
        .contains("its install is broken"));
}

/// launchd's answers (`launchctl print`, as recorded in src/probes/launchctl.rs) read the same
/// way: a job that exited 1 and is not running crashed; one killed by a signal says which.
#[test]
fn a_launchd_job_that_exited_with_an_error_is_crashed() {
    use crate::probes::launchctl::parse_print;
    let st = parse_print("\tstate = not running\n\truns = 7\n\tlast exit code = 1\n");
    let mut m = meant::from_launchd(
        "com.agent-rooms.watch",
        &st,
        &alice(),
        Some("/Users/alice/Library/Logs/ar.err"),
    );
    assert_eq!((m.state, m.restarts), (State::Failed, Some(6)));
    m.last_words = vec!["Error: Cannot find module 'ws'".into()];
    let d = none_running(vec![m]);
    assert_eq!(codes(&d), ["LISTENER_CRASHED"]);
    let msg = d.findings[0].message.to_string();
    assert!(
        msg.contains(
            "launchd job com.agent-rooms.watch (alice) is not running, started again 6 times, its \
                last run exited with code 1"
        ),
        "{msg}"
    );
    assert_eq!(
        lines(&d, 0)[0],
        "launchctl kickstart -k gui/1000/com.agent-rooms.watch"
    );
    assert_eq!(d.findings[0].remedy.commands[0].fix, Fix::Shown);
    let killed = parse_print(
        "\tstate = not running\n\tlast exit code = 0\n\tlast terminating signal = Killed: 9\n",
    );
    let m = meant::from_launchd("x", &killed, &alice(), None);
    assert_eq!(
        (m.state, m.exit.signal.as_deref()),
        (State::Failed, Some("SIGKILL"))
    );
    let running =
        parse_print("\tstate = running\n\tpid = 17611\n\tlast exit code = (never exited)\n");
    assert_eq!(
        meant::from_launchd("x", &running, &alice(), None).state,
        State::Up
    );
    let stopped = parse_print("\tstate = not running\n\tlast exit code = 0\n");
    let d = none_running(vec![meant::from_launchd("x", &stopped, &alice(), None)]);
    assert_eq!(codes(&d), ["LISTENER_NOT_RUNNING"]);
    assert_eq!(d.findings[0].remedy.commands[0].fix, Fix::Safe);
}

#[test]
fn last_words_quote_the_last_crash_once() {
    let log: Vec<String> = [
        "Error: Cannot find module 'ws'",
        "Require stack:",
        "- /x/agent-rooms.js",
        "    at Module._load (node:internal/modules/cjs/loader:1091:12)",
        "",
        "Error: Cannot find module 'ws'",
        "Require stack:",
        "- /x/agent-rooms.js",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(
        meant::last_words(&log),
        [
            "Error: Cannot find module 'ws'",
            "Require stack:",
            "- /x/agent-rooms.js"
        ]
    );
    // Without an error: the last lines, at most LAST_WORDS of them.
    let plain: Vec<String> = (0..20).map(|i| format!("line {i}")).collect();
    let w = meant::last_words(&plain);
    assert_eq!((w.len(), w[0].as_str()), (meant::LAST_WORDS, "line 8"));
}

/// docker's answers, recorded from a real dockerd 20.10 (tests/data/docker/README.md): a
/// container that could not find `ws`, one the OOM killer ended, one restarted three times.
#[test]
fn exited_containers_read_as_crashes_with_their_cause() {
    let dir = format!("{}/tests/data/docker", env!("CARGO_MANIFEST_DIR"));
    let container = |name: &str| {
        let inspect = std::fs::read_to_string(format!("{dir}/{name}.inspect.json")).unwrap();
        let logs = std::fs::read_to_string(format!("{dir}/{name}.logs")).unwrap();
        let c = crate::probes::containers::parse_inspect(crate::probes::supervision::Runtime::Docker, &inspect)
            .unwrap()
            .remove(0);
        let lines: Vec<String> = logs.lines().map(str::to_string).collect();
        meant::from_container(
            &c,
            &lines,
            &UserInfo {
                uid: 0,
                name: "root".into(),
                home: None,
            },
        )
    };
    let d = none_running(vec![container("ar-listener")]);
    assert_eq!(codes(&d), ["LISTENER_CRASHED"]);
    let msg = d.findings[0].message.to_string();
    assert!(msg.contains("docker container "), "{msg}");
    assert!(
        msg.contains("is exited, its last run exited with code 1"),
        "{msg}"
    );
    assert!(msg.contains("`Error: Cannot find module 'ws'`"), "{msg}");
    assert!(
        lines(&d, 0)[0].starts_with("sudo docker start "),
        "{:?}",
        lines(&d, 0)
    );
    assert!(d.findings[0].remedy.steps[0].starts_with("Its image lacks the module"));
    let oom = none_running(vec![container("ar-oom")]);
    let msg = oom.findings[0].message.to_string();
    assert!(msg.contains("killed by SIGKILL (OOMKilled)"), "{msg}");
    assert!(msg.contains("ran out of memory"), "{msg}");
    let r = container("ar-restart");
    assert_eq!((r.restarts, r.restarts_on_exit), (Some(3), true));
    // The host's own supervisor speaks before a container, which is often another agent's.
    let d = none_running(vec![
        container("ar-listener"),
        pm2("stopped", 0, Some(0), &[]),
    ]);
    assert_eq!(codes(&d)[0], "LISTENER_NOT_RUNNING");
}
