//! End-to-end: a listener that is not running says why, and one that keeps dying is never
//! "running". The real pm2 (npm, installed by `.ci/run`) runs real node listeners that crash
//! the way installs do; a real `nohup` leaves a real crash in nohup.out. systemd cannot run
//! here: its answers are recorded (tests/data/systemd) and held by the unit tests of
//! src/checks/listener.

mod common;

use common::{check, codes, Fixture, Pm2};
use std::path::{Path, PathBuf};

/// A node listener `agent-rooms.js` in the fixture's `lbin` with `body` as its code.
fn listener(f: &Fixture, body: &str) -> PathBuf {
    f.script(
        &f.dir.path().join("lbin"),
        "agent-rooms.js",
        &format!("#!/usr/bin/env node\n{body}\n"),
    )
}

/// A pm2 of the fixture's user with its default home (`~/.pm2`), on a PATH that has pm2 (the
/// shell that ran `pm2 start` had it) and node.
fn pm2(f: &Fixture) -> Option<Pm2> {
    let bin = common::pm2_bin()?;
    let path = format!("{}:/usr/bin:/bin", bin.parent().unwrap().display());
    Pm2::at(f, &f.home.join(".pm2"), &path, &[])
}

fn message(v: &serde_json::Value, id: &str, i: usize) -> String {
    check(v, id)["findings"][i]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn commands(v: &serde_json::Value, id: &str, i: usize) -> Vec<String> {
    check(v, id)["findings"][i]["remedy"]["commands"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_str().map(str::to_string))
        .collect()
}

/// The listener's facts as JSON: what pm2 or systemd said of it.
fn meant(v: &serde_json::Value) -> serde_json::Value {
    check(v, "listener")["facts"]["supervisors"]["meant"][0].clone()
}

#[test]
fn pm2_that_gave_up_on_a_module_that_cannot_be_found_says_so() {
    let f = Fixture::with_listeners();
    let script = listener(&f, "require('ws');");
    let Some(pm2) = pm2(&f) else { return };
    pm2.start_app(&script, "ar-crash");
    let app = pm2.wait_for("ar-crash", "errored", |a| a["status"] == "errored");
    let (code, _) = f.human("pm2_errored", &["listener"]);
    assert_eq!(code, 1);
    let (_, v, all) = f.json(&["listener"]);
    // pm2 save was never run: nothing would start it after a reboot either.
    assert_eq!(
        codes(&v, "listener"),
        ["LISTENER_CRASHED", "LISTENER_NOT_ENABLED"],
        "{all}"
    );
    let msg = message(&v, "listener", 0);
    assert!(
        msg.contains(&format!(
            "pm2 app ar-crash (root) is errored, started again {} times before it was given up, its last run exited with code 1",
            app["restart_time"]
        )),
        "{msg}"
    );
    assert!(msg.contains("`Error: Cannot find module 'ws'`"), "{msg}");
    assert!(msg.contains("its install is broken"), "{msg}");
    let m = meant(&v);
    assert_eq!(m["state"], "failed");
    assert_eq!(m["asked"], "pm2 jlist");
    assert_eq!(
        m["log"],
        pm2.home
            .join("logs/ar-crash-error.log")
            .display()
            .to_string()
    );
    // pm2's own restart, as pm2 is found (by its path: a person's shell may not have it), and
    // shown only: it would crash the same way until the install is fixed.
    let cmds = commands(&v, "listener", 0);
    assert!(cmds[0].ends_with("pm2 restart ar-crash"), "{cmds:?}");
    let parts = &check(&v, "listener")["findings"][0]["remedy"]["command_parts"];
    assert_eq!(parts[0]["fix"], "shown", "{parts}");
    // The start here is the cause, not the restart.
    assert!(
        v["start_here"]["first"]
            .as_str()
            .unwrap()
            .starts_with("Install agent-rooms again"),
        "{}",
        v["start_here"]
    );
    // Support sees it: the timeline says how it ended, a replay of the report judges the same,
    // and the metrics carry the restarts.
    let events: Vec<&str> = v["timeline"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["what"].as_str())
        .collect();
    let ended = format!(
        "pm2 app ar-crash (root): the listener exited (code 1), {} restarts, now errored",
        app["restart_time"]
    );
    assert!(events.contains(&ended.as_str()), "{events:?}");
    let (_, stdout) = doctor_stdout(&f, &["listener", "--json"]);
    common::replays_as_recorded(&stdout);
    let (_, metrics) = doctor_stdout(&f, &["listener", "--format", "prometheus"]);
    let series = format!(
        "agent_rooms_doctor_listener_restarts{{home=\"{}\",supervisor=\"pm2\",name=\"ar-crash\"}} {}",
        f.ar_home.display(),
        app["restart_time"]
    );
    assert!(metrics.lines().any(|l| l == series), "{metrics}");
}

fn doctor_stdout(f: &Fixture, args: &[&str]) -> (i32, String) {
    let out = f.doctor().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn a_crash_loop_caught_between_two_crashes_is_not_running() {
    let f = Fixture::with_listeners();
    // Up three seconds, then the same error; pm2 starts it again at once.
    let script = listener(
        &f,
        "console.error('agent-rooms: connecting');\nsetTimeout(() => { throw new Error('socket closed before the handshake'); }, 3000);",
    );
    let Some(pm2) = pm2(&f) else { return };
    pm2.start_app(&script, "ar-loop");
    pm2.wait_for("ar-loop", "two restarts and a run up", |a| {
        a["restart_time"].as_u64() >= Some(2) && a["status"] == "online"
    });
    let (code, v, all) = f.json(&["listener"]);
    assert_eq!(code, 1, "{all}");
    assert_eq!(codes(&v, "listener")[0], "LISTENER_CRASHED", "{all}");
    let msg = message(&v, "listener", 0);
    if msg.contains("crash loop") {
        // Up: only the loop is said (whether it starts at boot is judged when none runs).
        assert_eq!(codes(&v, "listener"), ["LISTENER_CRASHED"], "{all}");
    }
    // Caught up (the usual case) or between two runs: a crash either way, never "running".
    assert!(
        msg.contains("in a crash loop: pm2 app ar-loop (root) is online, started again")
            || msg.contains("pm2 app ar-loop (root) is waiting restart"),
        "{msg}"
    );
    assert!(msg.contains("its last run exited with code 1"), "{msg}");
    assert!(
        msg.contains("`Error: socket closed before the handshake`"),
        "{msg}"
    );
    assert_ne!(check(&v, "listener")["status"], "pass");
}

#[test]
fn an_app_a_person_stopped_is_started_again_through_pm2() {
    let f = Fixture::with_listeners();
    let script = listener(&f, "setInterval(() => {}, 1000);");
    let Some(pm2) = pm2(&f) else { return };
    pm2.start_app(&script, "ar-stopped");
    pm2.wait_for("ar-stopped", "online", |a| a["status"] == "online");
    pm2.run(&["save"]);
    pm2.run(&["stop", "ar-stopped"]);
    let (code, _) = f.human("pm2_stopped", &["listener"]);
    assert_eq!(code, 1);
    let (_, v, all) = f.json(&["listener"]);
    assert_eq!(codes(&v, "listener"), ["LISTENER_NOT_RUNNING"], "{all}");
    let msg = message(&v, "listener", 0);
    assert!(
        msg.contains("pm2 app ar-stopped (root) is stopped"),
        "{msg}"
    );
    assert!(msg.contains("it was stopped on purpose"), "{msg}");
    let cmds = commands(&v, "listener", 0);
    assert_eq!(cmds.len(), 1, "{cmds:?}");
    assert!(cmds[0].ends_with("pm2 restart ar-stopped"), "{cmds:?}");
    // Running it is fix's to do: a stop is gone once pm2 starts it.
    let parts = &check(&v, "listener")["findings"][0]["remedy"]["command_parts"];
    assert_eq!(parts[0]["fix"], "safe", "{parts}");
    // `fix --yes` starts it through pm2, and the listener runs after.
    let out = f.doctor().args(["fix", "--yes"]).output().unwrap();
    let text = common::all_text(&out);
    assert!(text.contains("pm2 restart ar-stopped"), "{text}");
    pm2.wait_for("ar-stopped", "online again", |a| a["status"] == "online");
    let (_, v, all) = f.json(&["listener"]);
    assert_eq!(check(&v, "listener")["status"], "pass", "{all}");
}

/// A restart into the same crash is shown, never run: `fix --yes` leaves the errored app be.
#[test]
fn fix_does_not_restart_into_the_same_crash() {
    let f = Fixture::with_listeners();
    let script = listener(&f, "require('ws');");
    let Some(pm2) = pm2(&f) else { return };
    pm2.start_app(&script, "ar-crash");
    let before = pm2.wait_for("ar-crash", "errored", |a| a["status"] == "errored");
    let out = f.doctor().args(["fix", "--yes"]).output().unwrap();
    let text = common::all_text(&out);
    let after = pm2.app("ar-crash").unwrap();
    assert_eq!(after["status"], "errored", "{text}");
    assert_eq!(after["restart_time"], before["restart_time"], "{text}");
    assert!(
        text.contains("pm2 restart ar-crash"),
        "the restart is shown: {text}"
    );
}

/// Two reports compared: the one whose pm2 app a person stopped, and the one whose app crashed
/// (the same machine, before and after a broken install): `diff` names how each ended.
#[test]
fn diff_names_how_each_listener_ended() {
    let f = Fixture::with_listeners();
    let script = listener(&f, "setInterval(() => {}, 1000);");
    let Some(pm2) = pm2(&f) else { return };
    pm2.start_app(&script, "ar");
    pm2.wait_for("ar", "online", |a| a["status"] == "online");
    pm2.run(&["stop", "ar"]);
    let (_, stopped) = doctor_stdout(&f, &["listener", "--json"]);
    pm2.run(&["delete", "ar"]);
    std::fs::write(&script, "#!/usr/bin/env node\nrequire('ws');\n").unwrap();
    pm2.start_app(&script, "ar");
    pm2.wait_for("ar", "errored", |a| a["status"] == "errored");
    let (_, crashed) = doctor_stdout(&f, &["listener", "--json"]);
    let a = f.dir.path().join("stopped.json");
    let b = f.dir.path().join("crashed.json");
    std::fs::write(&a, stopped).unwrap();
    std::fs::write(&b, crashed).unwrap();
    let out = f
        .doctor()
        .args(["diff", "--json"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    let v: serde_json::Value = common::document(&out.stdout);
    let diffs = v["differences"].as_array().unwrap();
    let ended = diffs
        .iter()
        .find(|d| d["what"] == "how it ended (its supervisor)")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(ended["a"], "pm2 app ar stopped, exit code 0");
    assert_eq!(ended["b"], "pm2 app ar errored, exit code 1");
    assert!(
        diffs
            .iter()
            .any(|d| d["what"] == "restarts (its supervisor)"),
        "{v}"
    );
}

#[test]
fn a_killed_pm2_daemon_is_read_from_its_saved_list() {
    let f = Fixture::with_listeners();
    let script = listener(&f, "setInterval(() => {}, 1000);");
    let Some(pm2) = pm2(&f) else { return };
    pm2.start_app(&script, "ar-saved");
    pm2.wait_for("ar-saved", "online", |a| a["status"] == "online");
    pm2.run(&["save"]);
    pm2.run(&["kill"]);
    let (code, _) = f.human("pm2_daemon_killed", &["listener"]);
    assert_eq!(code, 1);
    let (_, v, all) = f.json(&["listener"]);
    assert_eq!(codes(&v, "listener"), ["LISTENER_NOT_RUNNING"], "{all}");
    let msg = message(&v, "listener", 0);
    assert!(
        msg.contains("pm2's daemon for root is not running, and its saved list has pm2 app ar-saved (online)"),
        "{msg}"
    );
    assert!(
        commands(&v, "listener", 0)[0].ends_with("pm2 resurrect"),
        "{v}"
    );
    let m = meant(&v);
    assert_eq!(m["state"], "daemon_down");
    assert_eq!(
        m["asked"],
        format!(
            "{} (pm2's daemon is not running)",
            pm2.home.join("dump.pm2").display()
        )
    );
    // Asking never started a daemon: the doctor changes nothing it inspects.
    assert!(
        !pm2.home.join("pm2.pid").exists(),
        "a pm2 daemon was started"
    );
}

/// A listener started by hand with nohup, from the home, that dies with a real node error whose
/// line holds the token: nohup.out is read, the crash quoted, the token never printed.
#[test]
fn a_nohup_crash_is_quoted_without_the_token() {
    let f = Fixture::with_listeners();
    let token = "ar_live_nohupsecret0123456789abcdef";
    f.write(
        "config.json",
        &format!(r#"{{"api_url": "http://127.0.0.1:9", "token": "{token}"}}"#),
    );
    let script = listener(
        &f,
        &format!("console.log('agent-rooms: starting');\nrequire('./dist/watch.js');\n// {token}"),
    );
    // nohup writes nohup.out when its output is a terminal, as a person's is: `script` gives it
    // one.
    let status = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("nohup {} watch", script.display()),
            "/dev/null",
        ])
        .current_dir(&f.home)
        .env_clear()
        .env("HOME", &f.home)
        .env("PATH", "/usr/bin:/bin")
        .env("AGENT_ROOMS_TOKEN", token)
        .stdin(std::process::Stdio::null())
        .status()
        .unwrap();
    let _ = status;
    let out = f.home.join("nohup.out");
    // The token in the crash line as a listener would print it.
    let mut text = std::fs::read_to_string(&out).unwrap();
    text.push_str(&format!("agent-rooms: giving up with Bearer {token}\n"));
    std::fs::write(&out, text).unwrap();
    let (code, human) = f.human("nohup_crash", &["listener"]);
    assert_eq!(code, 1);
    let (_, v, all) = f.json(&["listener"]);
    for printed in [&human, &all] {
        assert!(
            !printed.contains("nohupsecret0123456789abcdef"),
            "{printed}"
        );
    }
    assert_eq!(codes(&v, "listener"), ["LISTENER_CRASHED"], "{all}");
    let msg = message(&v, "listener", 0);
    assert!(
        msg.contains("started by hand with nohup ended with a crash"),
        "{msg}"
    );
    assert!(msg.contains(&out.display().to_string()), "{msg}");
    assert!(
        msg.contains("`Error: Cannot find module './dist/watch.js'`"),
        "{msg}"
    );
}

/// Nothing set to run it, and systemd not running here: the plain "not running", saying that
/// the unit's state could not be asked rather than failing.
#[test]
fn a_unit_without_systemd_says_it_cannot_be_asked() {
    if Path::new("/run/systemd/system").is_dir() {
        eprintln!("systemd runs here: this test is for a machine without it");
        return;
    }
    let f = Fixture::new();
    let units = f.home.join(".config/systemd/user");
    std::fs::create_dir_all(&units).unwrap();
    std::fs::write(
        units.join("agent-rooms.service"),
        "[Service]\nExecStart=/usr/bin/agent-rooms watch\n",
    )
    .unwrap();
    let (_, v, all) = f.json(&["listener"]);
    assert_eq!(codes(&v, "listener"), ["LISTENER_NOT_RUNNING"], "{all}");
    let msg = message(&v, "listener", 0);
    assert!(
        msg.contains("systemd is not running here (a container, or another init), so the state of agent-rooms.service cannot be asked"),
        "{msg}"
    );
}
