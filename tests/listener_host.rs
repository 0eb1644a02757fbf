//! End-to-end: the `listener` and `host` checks against real processes — fake `agent-rooms watch`
//! listeners started in every supported shape, fake host CLIs on temporary PATHs, listener.json in
//! every state, and (as root) a listener of a second OS user.

mod common;

use common::{check, codes, other_user, status, Fixture, OTHER_USER, SYSTEM_PATH};
use std::path::Path;

fn path_with(dir: &Path) -> String {
    format!("{}:{SYSTEM_PATH}", dir.display())
}

#[test]
fn no_listener_is_not_running() {
    let f = Fixture::with_listeners();
    let run: &[&str] = &["listener"];
    f.human("no_listener_is_not_running-1", run);
    let (code, v, _) = f.json(run);
    assert_eq!(code, 1);
    assert_eq!(codes(&v, "listener"), ["LISTENER_NOT_RUNNING"]);
    assert_eq!(
        check(&v, "listener")["findings"][0]["remedy"]["commands"][0],
        "agent-rooms watch"
    );
    // With a user unit that runs the listener, the remedy starts that service.
    let units = f.home.join(".config/systemd/user");
    std::fs::create_dir_all(&units).unwrap();
    std::fs::write(
        units.join("agent-rooms.service"),
        "[Service]\nExecStart=/usr/bin/node /opt/agent-rooms/bin/agent-rooms.js watch\n",
    )
    .unwrap();
    let run: &[&str] = &["listener"];
    f.human("no_listener_is_not_running-2", run);
    let (_, v, _) = f.json(run);
    assert_eq!(
        check(&v, "listener")["findings"][0]["remedy"]["commands"][0],
        "systemctl --user start agent-rooms.service"
    );
}

/// CONTRACT §1: a process whose program is not agent-rooms (or an interpreter running it) is never
/// a listener, whatever words its arguments hold; nor is agent-rooms running another subcommand.
#[test]
fn processes_that_mention_agent_rooms_watch_are_not_listeners() {
    let mut f = Fixture::with_listeners();
    let tools = f.dir.path().join("tools");
    let sleeper = "#!/bin/sh\nwhile :; do /bin/sleep 0.2; done\n";
    let home = f.home.display().to_string();
    let env: &[(&str, &str)] = &[("HOME", &home), ("PATH", "/usr/bin:/bin")];
    // A pager, grep and an editor looking at agent-rooms, and `agent-rooms status watch`.
    for tool in ["grep", "less", "vim"] {
        let t = f.script(&tools, tool, sleeper);
        f.spawn(&[t.to_str().unwrap(), "agent-rooms", "watch"], env);
    }
    let other = f.script(&tools.join("ar"), "agent-rooms", sleeper);
    f.spawn(&[other.to_str().unwrap(), "status", "watch"], env);
    // `sh -c '…' agent-rooms watch`: the words are the shell's $0 and $1, not a program.
    f.spawn(
        &[
            "/bin/sh",
            "-c",
            "while :; do /bin/sleep 0.2; done",
            "agent-rooms",
            "watch",
        ],
        env,
    );
    let run: &[&str] = &["listener"];
    f.human(
        "processes_that_mention_agent_rooms_watch_are_not_listeners-1",
        run,
    );
    let (code, v, _) = f.json(run);
    assert_eq!(code, 1, "{v}");
    assert_eq!(codes(&v, "listener"), ["LISTENER_NOT_RUNNING"], "{v}");
    // Beside them, one real listener is exactly one.
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let pid = f.spawn(&["/bin/sh", script.to_str().unwrap(), "watch"], env);
    let run: &[&str] = &["listener"];
    f.human(
        "processes_that_mention_agent_rooms_watch_are_not_listeners-2",
        run,
    );
    let (code, v, _) = f.json(run);
    assert_eq!(code, 0, "{v}");
    let ls = f.own_listeners(&v);
    assert_eq!(ls.len(), 1, "{v}");
    assert_eq!(ls[0]["pid"], pid);
}

#[test]
fn a_listener_under_sh_with_a_logged_in_host_passes() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    f.fake_codex(&lbin, true);
    f.write("config.json", r#"{"host": "codex"}"#);
    let path = path_with(&lbin);
    let pid = f.listen(
        &[
            "/bin/sh",
            script.to_str().unwrap(),
            "watch",
            "--token",
            "ar_live_secretvalue123",
        ],
        &path,
    );
    let run: &[&str] = &["listener", "host"];
    f.human("a_listener_under_sh_with_a_logged_in_host_passes-1", run);
    let (code, v, all) = f.json(run);
    assert_eq!(status(&v, "listener"), "pass", "{v}");
    assert_eq!(status(&v, "host"), "pass", "{v}");
    assert_eq!(code, 0);
    let own = f.own_listeners(&v);
    let l = &own[0];
    assert_eq!(l["pid"], pid);
    assert_eq!(l["user"]["name"], "root");
    assert!(check(&v, "listener")["summary"]
        .as_str()
        .unwrap()
        .starts_with(&format!("running: pid {pid} (root, up ")));
    assert!(
        !all.contains("secretvalue123"),
        "the argv token is redacted"
    );
    assert!(check(&v, "host")["summary"]
        .as_str()
        .unwrap()
        .contains("codex login found for root"));
}

#[test]
fn a_listener_started_directly_and_one_under_node_are_found() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let path = path_with(&lbin);
    let pid = f.listen(&[script.to_str().unwrap(), "watch"], &path);
    let run: &[&str] = &["listener"];
    f.human(
        "a_listener_started_directly_and_one_under_node_are_found-1",
        run,
    );
    let (_, v, _) = f.json(run);
    assert_eq!(f.own_listeners(&v)[0]["pid"], pid, "{v}");
    drop(f);

    let Some(node) = common::prerequisite("node", which::which("node").ok()) else {
        return;
    };
    let mut f = Fixture::with_listeners();
    let js = f.script(
        &f.dir.path().join("lib"),
        "agent-rooms.js",
        "setInterval(() => {}, 1000);\n",
    );
    let path = SYSTEM_PATH.to_string();
    let pid = f.listen(
        &[node.to_str().unwrap(), js.to_str().unwrap(), "watch"],
        &path,
    );
    let run: &[&str] = &["listener"];
    f.human(
        "a_listener_started_directly_and_one_under_node_are_found-2",
        run,
    );
    let (_, v, _) = f.json(run);
    let ls = f.own_listeners(&v);
    assert_eq!(ls.len(), 1, "{v}");
    assert_eq!(ls[0]["pid"], pid);
    assert!(ls[0]["argv"]
        .as_str()
        .unwrap()
        .contains("agent-rooms.js watch"));
}

#[test]
fn two_listeners_are_a_duplicate() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let path = path_with(&lbin);
    let a = f.listen(&["/bin/sh", script.to_str().unwrap(), "watch"], &path);
    std::thread::sleep(std::time::Duration::from_millis(1100)); // distinct start seconds
    let b = f.listen(&["/bin/sh", script.to_str().unwrap(), "watch"], &path);
    let run: &[&str] = &["listener"];
    f.human("two_listeners_are_a_duplicate-1", run);
    let (code, v, _) = f.json(run);
    assert_eq!(code, 1);
    assert_eq!(codes(&v, "listener"), ["LISTENER_DUPLICATE"]);
    let fnd = &check(&v, "listener")["findings"][0];
    assert!(
        fnd["message"]
            .as_str()
            .unwrap()
            .contains(&format!("pid {a}"))
            && fnd["message"]
                .as_str()
                .unwrap()
                .contains(&format!("pid {b}"))
    );
    assert_eq!(
        fnd["remedy"]["commands"],
        serde_json::json!([format!("kill {b}")])
    );
}

#[test]
fn a_host_missing_from_the_listener_path_is_found_elsewhere() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    f.fake_codex(&f.bin, true); // on the doctor's PATH only
    f.write("config.json", r#"{"host": "codex"}"#);
    let path = path_with(&lbin);
    f.listen(&["/bin/sh", script.to_str().unwrap(), "watch"], &path);
    let run: &[&str] = &["host"];
    f.human(
        "a_host_missing_from_the_listener_path_is_found_elsewhere-1",
        run,
    );
    let (code, v, _) = f.json(run);
    assert_eq!(code, 1);
    assert_eq!(codes(&v, "host"), ["HOST_NOT_FOUND"]);
    let fnd = &check(&v, "host")["findings"][0];
    assert!(
        fnd["message"].as_str().unwrap().starts_with(&format!(
            "codex is in {}, which the PATH of listener pid",
            f.bin.display()
        )),
        "{fnd}"
    );
    // As root: no sudo for what the doctor's own user may do.
    assert_eq!(
        fnd["remedy"]["commands"][0],
        format!("ln -s {}/codex /usr/local/bin/codex", f.bin.display())
    );
}

#[test]
fn a_node_host_without_node_on_the_listener_path() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    f.script(&lbin, "codex", "#!/usr/bin/env node\nconsole.log('hi')\n");
    f.write("config.json", r#"{"host": "codex"}"#);
    let path = lbin.display().to_string(); // no /usr/bin: no node
    f.listen(&["/bin/sh", script.to_str().unwrap(), "watch"], &path);
    let run: &[&str] = &["host"];
    f.human("a_node_host_without_node_on_the_listener_path-1", run);
    let (_, v, _) = f.json(run);
    assert_eq!(codes(&v, "host"), ["HOST_INTERPRETER_MISSING"], "{v}");
    let msg = check(&v, "host")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains(
            "starts with `#!/usr/bin/env node`, but node is not on the PATH of listener pid"
        ),
        "{msg}"
    );
}

#[test]
fn not_logged_in_and_unverified_logins() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    f.fake_codex(&lbin, false);
    f.write("config.json", r#"{"host": "codex"}"#);
    let path = path_with(&lbin);
    f.listen(&["/bin/sh", script.to_str().unwrap(), "watch"], &path);
    let run: &[&str] = &["host"];
    f.human("not_logged_in_and_unverified_logins-1", run);
    let (_, v, _) = f.json(run);
    assert_eq!(codes(&v, "host"), ["HOST_NOT_LOGGED_IN"], "{v}");
    let fnd = &check(&v, "host")["findings"][0];
    // The listener's codex, with its HOME: it works pasted into a shell that has no codex.
    assert_eq!(
        fnd["remedy"]["commands"][0],
        format!(
            "env HOME={} {}/codex login",
            f.home.display(),
            lbin.display()
        )
    );
    assert!(fnd["message"]
        .as_str()
        .unwrap()
        .contains("says \"Not logged in\""));

    // A status command that errors, and a credential file with no refresh token: unverified.
    f.script(
        &lbin,
        "codex",
        "#!/bin/sh\necho 'Error checking login status: keyring locked' >&2\nexit 1\n",
    );
    std::fs::create_dir_all(f.home.join(".codex")).unwrap();
    std::fs::write(
        f.home.join(".codex/auth.json"),
        r#"{"tokens": {"access_token": "at-x"}}"#,
    )
    .unwrap();
    let run: &[&str] = &["host"];
    f.human("not_logged_in_and_unverified_logins-2", run);
    let (_, v, _) = f.json(run);
    assert_eq!(codes(&v, "host"), ["HOST_LOGIN_UNVERIFIED"], "{v}");
    assert_eq!(status(&v, "host"), "warn");
}

#[test]
fn a_key_in_your_shell_does_not_help_the_listener() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    f.fake_claude(&lbin, false);
    f.write("config.json", r#"{"host": "claude"}"#);
    let path = path_with(&lbin);
    f.listen(&["/bin/sh", script.to_str().unwrap(), "watch"], &path);
    let out = f
        .doctor()
        .env("ANTHROPIC_API_KEY", "sk-ant-api03-shellonlysecret")
        .args(["host", "--json"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value = common::document(text.as_bytes());
    assert_eq!(codes(&v, "host"), ["HOST_NOT_LOGGED_IN"]);
    assert!(check(&v, "host")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("ANTHROPIC_API_KEY is set in your shell but not in the listener's environment"));
    assert!(!text.contains("shellonlysecret"));
}

#[test]
fn no_host_configured_or_found() {
    let f = Fixture::with_listeners();
    let out = f
        .doctor()
        .env("PATH", "/nonexistent")
        .args(["host", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = common::document(&out.stdout);
    assert_eq!(codes(&v, "host"), ["HOST_NOT_CONFIGURED"]);
}

fn state(pid: u32, beat_secs_ago: i64, connected: bool) -> String {
    let t = time::OffsetDateTime::now_utc() - time::Duration::seconds(beat_secs_ago);
    let beat = t
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    format!(
        r#"{{"pid": {pid}, "started_at": "{beat}", "heartbeat_at": "{beat}", "version": "1.4.0", "connected": {connected}}}"#
    )
}

#[test]
fn listener_json_fresh_stale_disconnected_dead_pid_and_malformed() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let path = path_with(&lbin);
    let pid = f.listen(&["/bin/sh", script.to_str().unwrap(), "watch"], &path);

    f.write("listener.json", &state(pid, 5, true));
    let run: &[&str] = &["listener"];
    f.human(
        "listener_json_fresh_stale_disconnected_dead_pid_and_malformed-1",
        run,
    );
    let (_, v, _) = f.json(run);
    assert_eq!(status(&v, "listener"), "pass", "{v}");
    // "heartbeat 5s ago", give or take a slow machine.
    let summary = check(&v, "listener")["summary"]
        .as_str()
        .unwrap()
        .to_string();
    let secs: u64 = summary
        .rsplit("heartbeat ")
        .next()
        .and_then(|t| t.strip_suffix("s ago"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{summary}"));
    assert!((5..=30).contains(&secs), "{summary}");

    f.write("listener.json", &state(pid, 600, true));
    let run: &[&str] = &["listener"];
    f.human(
        "listener_json_fresh_stale_disconnected_dead_pid_and_malformed-2",
        run,
    );
    let (_, v, _) = f.json(run);
    assert_eq!(
        (status(&v, "listener"), codes(&v, "listener")),
        ("fail", vec!["LISTENER_STALE_HEARTBEAT".to_string()])
    );

    f.write("listener.json", &state(pid, 5, false));
    let run: &[&str] = &["listener"];
    f.human(
        "listener_json_fresh_stale_disconnected_dead_pid_and_malformed-3",
        run,
    );
    let (_, v, _) = f.json(run);
    assert_eq!(codes(&v, "listener"), ["LISTENER_DISCONNECTED"]);

    // Written by a pid that died minutes ago (one written a moment ago by a listener just
    // stopped is not stale: tests/supervisors.rs, the duplicate).
    f.write("listener.json", &state(999_999, 300, true));
    let run: &[&str] = &["listener"];
    f.human(
        "listener_json_fresh_stale_disconnected_dead_pid_and_malformed-4",
        run,
    );
    let (_, v, _) = f.json(run);
    assert_eq!(codes(&v, "listener"), ["LISTENER_STALE_HEARTBEAT"]);
    assert!(check(&v, "listener")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("pid 999999, which is no longer running"));

    let p = f.write("listener.json", "{\"pid\": \"twelve\"}");
    let run: &[&str] = &["listener"];
    f.human(
        "listener_json_fresh_stale_disconnected_dead_pid_and_malformed-5",
        run,
    );
    let (_, v, _) = f.json(run);
    assert_eq!(codes(&v, "listener"), ["CONFIG_INVALID"]);
    assert!(check(&v, "listener")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains(p.to_str().unwrap()));
}

/// Start the fake listener as the other user under runuser, which stays as its parent (a wrapper
/// with the same words); returns (runuser's pid, the listener's pid) once both exist.
fn listen_as_other_user(f: &mut Fixture, script: &Path, path: &str) -> (u32, u32) {
    let runuser = which::which("runuser").unwrap();
    let mut cmd = std::process::Command::new(runuser);
    cmd.args([
        "-u",
        OTHER_USER,
        "--",
        "/bin/sh",
        script.to_str().unwrap(),
        "watch",
    ]);
    // The agent of the fixture's home (runuser keeps AGENT_ROOMS_HOME), which --home judges.
    let home = f.ar_home.display().to_string();
    let pid = f.spawn_cmd(&mut cmd, &[("PATH", path), ("AGENT_ROOMS_HOME", &home)]);
    let child = f.wait_child(pid).expect("runuser starts the listener");
    (pid, child)
}

#[test]
fn a_listener_of_another_user_is_judged_from_that_users_side_without_running_their_binaries() {
    let Some(_) = other_user() else { return };
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    f.fake_codex(&f.bin, true); // codex only on the doctor's PATH: the listener's lacks it
    f.write("config.json", r#"{"host": "codex"}"#);
    let lpath = format!("{}:/usr/bin:/bin", lbin.display());
    let (pid, child) = listen_as_other_user(&mut f, &script, &lpath);
    let run: &[&str] = &["listener", "host", "--home", f.ar_home.to_str().unwrap()];
    f.human("a_listener_of_another_user_is_judged_from_that_users_side_without_running_their_binaries-1", run);
    let (code, v, _) = f.json(run);
    assert_eq!(code, 1);
    let ls = f.own_listeners(&v);
    assert_eq!(
        ls.len(),
        1,
        "the runuser wrapper is not a second listener: {v}"
    );
    assert_eq!(ls[0]["pid"], child, "the listener is runuser's child");
    assert_eq!(ls[0]["wrappers"], serde_json::json!([pid]));
    assert_eq!(ls[0]["user"]["name"], OTHER_USER);
    assert_eq!(codes(&v, "listener"), ["LISTENER_OTHER_USER"]);
    assert_eq!(
        check(&v, "listener")["findings"][0]["remedy"]["commands"][0],
        // As root, runuser: no sudo needed (and this machine may have none); the doctor by the
        // path it runs from (their login shell would not find a build directory's doctor).
        format!(
            "{} -u {OTHER_USER} -- {}",
            common::runuser_printed(),
            assert_cmd::cargo::cargo_bin("agent-rooms-doctor").display()
        )
    );
    assert_eq!(codes(&v, "host"), ["HOST_NOT_FOUND"]);
    drop(f);

    // Now codex is on that listener's PATH; it must not be run as root: its files are read.
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let marker = f.dir.path().join("codex-was-run");
    f.script(
        &lbin,
        "codex",
        &format!(
            "#!/bin/sh\ntouch {}\necho 'Not logged in' >&2\nexit 1\n",
            marker.display()
        ),
    );
    f.write("config.json", r#"{"host": "codex"}"#);
    // The doctor's own user is logged in (in its HOME), the listener's user is not.
    std::fs::create_dir_all(f.home.join(".codex")).unwrap();
    std::fs::write(
        f.home.join(".codex/auth.json"),
        r#"{"tokens": {"refresh_token": "rt-x"}}"#,
    )
    .unwrap();
    let lpath = format!("{}:/usr/bin:/bin", lbin.display());
    listen_as_other_user(&mut f, &script, &lpath);
    let run: &[&str] = &["host", "--home", f.ar_home.to_str().unwrap()];
    f.human("a_listener_of_another_user_is_judged_from_that_users_side_without_running_their_binaries-2", run);
    let (_, v, _) = f.json(run);
    assert_eq!(codes(&v, "host"), ["HOST_LOGGED_IN_OTHER_USER"], "{v}");
    let fnd = &check(&v, "host")["findings"][0];
    assert_eq!(
        fnd["remedy"]["commands"][0],
        format!(
            "{} -u {OTHER_USER} -- env HOME={} {}/codex login",
            common::runuser_printed(),
            nix::unistd::User::from_name(OTHER_USER)
                .unwrap()
                .unwrap()
                .dir
                .display(),
            lbin.display()
        )
    );
    assert!(
        fnd["message"]
            .as_str()
            .unwrap()
            .contains(&format!("/home/{OTHER_USER}/.codex/auth.json")),
        "judged from that user's files: {fnd}"
    );
    assert!(!marker.exists(), "the doctor ran another user's binary");
}

#[test]
fn a_hung_host_cli_is_judged_from_files_within_the_bound() {
    let f = Fixture::with_listeners();
    f.script(&f.bin, "codex", "#!/bin/sh\n/bin/sleep 60\n");
    f.write("config.json", r#"{"host": "codex"}"#);
    let t = std::time::Instant::now();
    let run: &[&str] = &["host", "--timeout", "2"];
    f.human(
        "a_hung_host_cli_is_judged_from_files_within_the_bound-1",
        run,
    );
    let (_, v, _) = f.json(run);
    assert!(
        t.elapsed() < std::time::Duration::from_secs(6),
        "took {:?}",
        t.elapsed()
    );
    // The status command gave no answer in time; with no credential file and no key either,
    // the files say it: not logged in.
    assert_eq!(codes(&v, "host"), ["HOST_NOT_LOGGED_IN"], "{v}");
    let msg = check(&v, "host")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains("login status` timed out after")
            && msg.contains("from files: no credential file"),
        "{msg}"
    );
}

/// CONTRACT §3, ownership before execution: a listener that runs as root with another user's HOME
/// (as `sudo -E` leaves it) never has its host's status command run by the doctor as root inside
/// that user's state; the files are read instead, and nothing root-owned is left there.
#[test]
fn a_root_listener_in_another_users_home_is_judged_from_files() {
    let Some((uid, gid)) = other_user() else {
        return;
    };
    let mut f = Fixture::with_listeners();
    let theirs = f.dir.path().join("their-home");
    std::fs::create_dir_all(&theirs).unwrap();
    nix::unistd::chown(
        &theirs,
        Some(nix::unistd::Uid::from_raw(uid)),
        Some(nix::unistd::Gid::from_raw(gid)),
    )
    .unwrap();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    f.script(
        &lbin,
        "codex",
        "#!/bin/sh\ntouch \"$HOME/codex-ran\"\necho 'Logged in using ChatGPT' >&2\nexit 0\n",
    );
    let home = theirs.display().to_string();
    let path = format!("{}:/usr/bin:/bin", lbin.display());
    f.spawn(
        &["/bin/sh", script.to_str().unwrap(), "watch"],
        &[("HOME", &home), ("PATH", &path)],
    );
    let run: &[&str] = &["host", "--host", "codex"];
    f.human(
        "a_root_listener_in_another_users_home_is_judged_from_files-1",
        run,
    );
    let (code, v, _) = f.json(run);
    assert_eq!(code, 1, "{v}");
    assert!(
        !theirs.join("codex-ran").exists(),
        "the status command ran in their home"
    );
    let login = &check(&v, "host")["facts"]["hosts"][0]["targets"][0]["login"];
    assert!(login["status"].is_null(), "{v}");
    assert!(
        login["not_run"]
            .as_str()
            .is_some_and(|w| w.contains(&format!("belongs to {OTHER_USER}"))),
        "{v}"
    );
    assert_eq!(codes(&v, "host"), ["HOST_NOT_LOGGED_IN"], "{v}");
}

/// CONTRACT §1: a listener that exists but cannot work is not running — stopped (SIGSTOP) is
/// LISTENER_STOPPED; one whose program was modified after it started runs old code.
#[test]
fn a_stopped_listener_and_one_running_old_code() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let pid = f.listen(
        &["/bin/sh", script.to_str().unwrap(), "watch"],
        "/usr/bin:/bin",
    );
    let p = nix::unistd::Pid::from_raw(pid as i32);
    nix::sys::signal::kill(p, nix::sys::signal::Signal::SIGSTOP).unwrap();
    // Wait until the kernel shows it stopped.
    let stopped = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| {
                s.rsplit(')')
                    .next()
                    .map(|r| r.trim_start().starts_with('T'))
            })
            .unwrap_or(false)
    };
    let t = std::time::Instant::now();
    while !stopped() && t.elapsed() < std::time::Duration::from_secs(5) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let run: &[&str] = &["listener"];
    f.human("a_stopped_listener_and_one_running_old_code-1", run);
    let (code, v, _) = f.json(run);
    nix::sys::signal::kill(p, nix::sys::signal::Signal::SIGCONT).unwrap();
    assert_eq!(code, 1, "{v}");
    assert_eq!(codes(&v, "listener"), ["LISTENER_STOPPED"], "{v}");
    assert!(check(&v, "listener")["summary"]
        .as_str()
        .unwrap()
        .starts_with("stopped: pid"));
    // Resumed, then its script replaced by a newer one: it still runs the old code.
    let run: &[&str] = &["listener"];
    f.human("a_stopped_listener_and_one_running_old_code-2", run);
    let (code, v, _) = f.json(run);
    assert_eq!((code, codes(&v, "listener")), (0, vec![]), "{v}");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(10);
    std::fs::File::options()
        .write(true)
        .open(&script)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let run: &[&str] = &["listener"];
    f.human("a_stopped_listener_and_one_running_old_code-3", run);
    let (code, v, _) = f.json(run);
    assert_eq!(code, 0, "a warning: {v}");
    assert_eq!(codes(&v, "listener"), ["LISTENER_OUTDATED"], "{v}");
    assert!(check(&v, "listener")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("was modified after it started"));
}

/// CONTRACT §1: NODE_TLS_REJECT_UNAUTHORIZED=0 in the listener's own environment (not the
/// doctor's) is LISTENER_TLS_UNVERIFIED, a warning.
#[test]
fn a_listener_that_skips_tls_verification_is_called_out() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    f.listen_with(
        &["/bin/sh", script.to_str().unwrap(), "watch"],
        "/usr/bin:/bin",
        &[("NODE_TLS_REJECT_UNAUTHORIZED", "0")],
    );
    let run: &[&str] = &["listener"];
    f.human(
        "a_listener_that_skips_tls_verification_is_called_out-1",
        run,
    );
    let (code, v, _) = f.json(run);
    assert_eq!(code, 0, "a warning: {v}");
    assert_eq!(codes(&v, "listener"), ["LISTENER_TLS_UNVERIFIED"], "{v}");
    assert_eq!(
        f.own_listeners(&v)[0]["env"]["detail"]["node_tls_reject_unauthorized"],
        "0"
    );
}

/// Start times are known to the tick: a script rewritten 1.2 s after its listener started is
/// LISTENER_OUTDATED (the old 2 s margin missed it); one written before the start is not.
#[test]
fn a_script_rewritten_a_second_after_the_start_is_outdated() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    f.listen(
        &["/bin/sh", script.to_str().unwrap(), "watch"],
        &path_with(&lbin),
    );
    let (_, v, _) = f.json(&["listener"]);
    assert_eq!(codes(&v, "listener"), Vec::<String>::new(), "{v}");
    std::thread::sleep(std::time::Duration::from_millis(1200));
    let body = std::fs::read(&script).unwrap();
    std::fs::write(&script, body).unwrap();
    let (_, v, _) = f.json(&["listener"]);
    assert_eq!(codes(&v, "listener"), ["LISTENER_OUTDATED"], "{v}");
}
