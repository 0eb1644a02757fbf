//! End-to-end: what keeps a listener alive, with a real supervisor. pm2 runs here for real (the
//! npm package, which `.ci/run` installs); systemd and launchd cannot run here, so their
//! recognition is unit-tested from recorded text through the same parser (src/probes/supervision.rs).

mod common;

use common::{check, codes, Fixture, Pm2};
use std::path::{Path, PathBuf};

/// A node listener `agent-rooms.js` in `dir` that writes `stderr_lines` to stderr, then waits.
fn node_listener(f: &Fixture, dir: &Path, stderr_lines: &[&str]) -> PathBuf {
    let lines: Vec<String> = stderr_lines
        .iter()
        .map(|l| format!("console.error({});", serde_json::to_string(l).unwrap()))
        .collect();
    f.script(
        dir,
        "agent-rooms.js",
        &format!(
            "#!/usr/bin/env node\n{}\nsetInterval(() => {{}}, 1000);\n",
            lines.join("\n")
        ),
    )
}

#[test]
fn a_listener_under_pm2_is_named_with_pm2s_restart() {
    let f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = node_listener(&f, &lbin, &[]);
    f.fake_codex(&f.bin, true); // on the doctor's PATH, not on the listener's
    f.write("config.json", r#"{"host": "codex"}"#);
    let Some((pm2, pid)) = Pm2::start(&f, &script, "ar-test", "/usr/bin:/bin", &[]) else {
        return;
    };
    let run: &[&str] = &["listener", "host"];
    f.human("a_listener_under_pm2_is_named_with_pm2s_restart-1", run);
    let (code, v, all) = f.json(run);
    assert_eq!(code, 1, "{all}");
    let mine = f.own_listeners(&v);
    assert_eq!(mine.len(), 1, "{v}");
    let l = &mine[0];
    assert_eq!(l["pid"], pid);
    let sup = &l["supervisor"];
    assert_eq!(sup["kind"], "pm2", "{l}");
    assert_eq!(sup["name"], "ar-test");
    assert_eq!(sup["pm2_home"], pm2.home.display().to_string());
    assert_eq!(
        sup["err_log"],
        pm2.home
            .join("logs/ar-test-error.log")
            .display()
            .to_string()
    );
    let summary = check(&v, "listener")["summary"].as_str().unwrap();
    assert!(summary.contains("under pm2 app ar-test"), "{summary}");
    // The host CLI is missing from the listener's PATH: the fix is pm2's own restart, which
    // re-reads the environment only with --update-env.
    assert_eq!(codes(&v, "host"), ["HOST_NOT_FOUND"]);
    let commands = check(&v, "host")["findings"][0]["remedy"]["commands"].clone();
    assert_eq!(
        commands[1],
        format!(
            "env PM2_HOME={} PATH={}:/usr/bin:/bin pm2 restart ar-test --update-env",
            pm2.home.display(),
            f.bin.display()
        ),
        "{commands}"
    );
}

/// pm2 installed where a plain shell would not find it (an npm prefix, here the test's cache),
/// on the PATH of the shell that ran `pm2 start`: the restart names it by its path.
#[test]
fn pm2_off_the_usual_path_is_named_by_its_path() {
    let f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = node_listener(&f, &lbin, &[]);
    let Some(pm2_bin) = common::pm2_bin() else {
        return;
    };
    let pm2_dir = pm2_bin.parent().unwrap().display().to_string();
    let path = format!("{pm2_dir}:/usr/bin:/bin");
    // The host CLI is on the doctor's PATH, not on the listener's: the remedy restarts through pm2.
    f.fake_codex(&f.bin, true);
    f.write("config.json", r#"{"host": "codex"}"#);
    let Some((pm2, _)) = Pm2::start(&f, &script, "ar-test", &path, &[]) else {
        return;
    };
    let (_, v, all) = f.json(&["listener", "host"]);
    let mine = f.own_listeners(&v);
    assert_eq!(mine.len(), 1, "{all}");
    let found = pm2_bin.canonicalize().unwrap_or(pm2_bin.clone());
    let bin = mine[0]["supervisor"]["bin"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        bin == pm2_bin.display().to_string() || bin == found.display().to_string(),
        "{bin} is not {}",
        pm2_bin.display()
    );
    let commands = check(&v, "host")["findings"][0]["remedy"]["commands"].clone();
    assert_eq!(
        commands[1],
        format!(
            "env PM2_HOME={} PATH={}:{path} {bin} restart ar-test --update-env",
            pm2.home.display(),
            f.bin.display()
        ),
        "{commands}"
    );
}

#[test]
fn the_logs_check_reads_pm2s_log_of_the_listener() {
    let f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    // What a listener that met the seed's errors writes to stderr.
    let script = node_listener(
        &f,
        &lbin,
        &[
            r#"claim failed: {"error":{"code":"NO_GRANT","status":403,"message":"no grant for this room","request_id":"req_pm2_1"}}"#,
            r#"{"error":{"code":"NO_GRANT","status":403,"request_id":"req_pm2_2"}}"#,
            "claim_task returned already_claimed for task tsk_9 (request_id=req_pm2_3)",
        ],
    );
    let Some((pm2, _)) = Pm2::start(&f, &script, "ar-logs", "/usr/bin:/bin", &[]) else {
        return;
    };
    let err_log = pm2.home.join("logs/ar-logs-error.log");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !std::fs::read_to_string(&err_log).is_ok_and(|t| t.contains("already_claimed")) {
        assert!(
            std::time::Instant::now() < deadline,
            "pm2 wrote no error log"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let run: &[&str] = &["logs"];
    f.human("the_logs_check_reads_pm2s_log_of_the_listener-1", run);
    let (_, v, _) = f.json(run);
    let logs = check(&v, "logs");
    assert_eq!(logs["status"], "warn", "{logs}");
    assert_eq!(codes(&v, "logs"), ["NO_GRANT", "already_claimed"]);
    let no_grant = &logs["findings"][0];
    assert_eq!(no_grant["request_id"], "req_pm2_2");
    assert!(
        no_grant["message"].as_str().unwrap().starts_with(&format!(
            "the listener's log ({}) shows NO_GRANT 2 times in the last 24 h",
            err_log.display()
        )),
        "{no_grant}"
    );
    // Explained as the seed explains it (stop, don't retry), to the person reading it.
    let claimed = &logs["findings"][1];
    assert!(claimed["remedy"]["steps"][0]
        .as_str()
        .unwrap()
        .starts_with("Nothing to do for this task"));
    assert_eq!(claimed["request_id"], "req_pm2_3");
}

#[test]
fn a_systemd_user_unit_without_lingering_is_named_and_warned() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let pid = f.listen(
        &["/bin/sh", script.to_str().unwrap(), "watch"],
        "/usr/bin:/bin",
    );
    let uid = nix::unistd::getuid().as_raw();
    let me = nix::unistd::User::from_uid(nix::unistd::getuid())
        .unwrap()
        .unwrap()
        .name;
    let unit = "ardoc-e2e-user.service".to_string();
    let Some(_cg) = common::Cgroup::enter(
        pid,
        &format!("user.slice/user-{uid}.slice/user@{uid}.service/app.slice/{unit}"),
    ) else {
        return;
    };
    if std::path::Path::new("/var/lib/systemd/linger")
        .join(&me)
        .exists()
    {
        eprintln!("SKIPPED: lingering is on for {me} here");
        return;
    }
    let run: &[&str] = &["listener"];
    f.human(
        "a_systemd_user_unit_without_lingering_is_named_and_warned-1",
        run,
    );
    let (_, v, _) = f.json(run);
    let mine = f.own_listeners(&v);
    assert_eq!(mine[0]["supervisor"]["kind"], "systemd_user", "{v}");
    assert_eq!(mine[0]["supervisor"]["unit"], unit);
    assert_eq!(mine[0]["supervisor"]["lingering"], false);
    assert_eq!(codes(&v, "listener"), ["LISTENER_NO_LINGER"]);
    let fnd = &check(&v, "listener")["findings"][0];
    assert_eq!(
        fnd["remedy"]["commands"][0],
        format!("loginctl enable-linger {me}")
    );
    assert!(check(&v, "listener")["summary"]
        .as_str()
        .unwrap()
        .contains(&format!("under systemd user unit {unit}")));
}

#[test]
fn a_systemd_system_unit_restarts_through_systemctl() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    f.fake_codex(&f.bin, true); // not on the unit's PATH
    f.write("config.json", r#"{"host": "codex"}"#);
    let pid = f.listen(
        &["/bin/sh", script.to_str().unwrap(), "watch"],
        "/usr/bin:/bin",
    );
    let unit = "ardoc-e2e-system.service";
    let Some(_cg) = common::Cgroup::enter(pid, &format!("system.slice/{unit}")) else {
        return;
    };
    let run: &[&str] = &["listener", "host", "logs"];
    f.human("a_systemd_system_unit_restarts_through_systemctl-1", run);
    let (_, v, _) = f.json(run);
    let mine = f.own_listeners(&v);
    assert_eq!(mine[0]["supervisor"]["kind"], "systemd_system", "{v}");
    // The PATH fix is a drop-in for the unit (systemd's PATH is its own), then its restart.
    let cmds = &check(&v, "host")["findings"][0]["remedy"]["commands"];
    assert_eq!(cmds[1], format!("systemctl edit {unit}"), "{cmds}");
    assert_eq!(cmds[2], format!("systemctl restart {unit}"));
    // Its log is the unit's journal.
    let looked = &check(&v, "logs")["facts"]["looked"][0]["place"];
    assert_eq!(looked["kind"], "journal");
    assert_eq!(looked["unit"], unit);
}

#[test]
fn a_listener_in_a_terminal_is_named_so() {
    let Some(script_bin) = common::prerequisite(
        "script (util-linux/bsdutils), for a listener on a pseudo-terminal",
        which::which("script").ok(),
    ) else {
        return;
    };
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let listener = f.listener_script(&lbin);
    let home = f.home.display().to_string();
    let wrapper = f.spawn_cmd(
        std::process::Command::new(script_bin).args([
            "-qfec",
            &format!("/bin/sh {} watch", listener.display()),
            "/dev/null",
        ]),
        &[("HOME", home.as_str()), ("PATH", "/usr/bin:/bin")],
    );
    let pid = f.wait_child(wrapper).expect("script started the listener");
    f.adopt(pid);
    let run: &[&str] = &["listener"];
    f.human("a_listener_in_a_terminal_is_named_so-1", run);
    let (_, v, _) = f.json(run);
    let mine = f.own_listeners(&v);
    assert_eq!(mine.len(), 1, "{v}");
    assert_eq!(mine[0]["supervisor"]["kind"], "terminal", "{v}");
    assert_eq!(mine[0]["supervisor"]["via"], "tty");
}

/// A pm2 listener and a stray one started by hand for the same agent: the duplicate keeps the
/// one pm2 keeps alive (even though the stray is older) and stops the stray, never `pm2 delete`.
#[test]
fn a_duplicate_keeps_the_supervised_listener_and_stops_the_stray() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = node_listener(&f, &lbin, &[]);
    let stray = f.listen(
        &["node", script.to_str().unwrap(), "watch"],
        "/usr/bin:/bin",
    );
    let Some((_pm2, supervised)) = Pm2::start(&f, &script, "ar-kept", "/usr/bin:/bin", &[]) else {
        return;
    };
    let (_, v, all) = f.json(&["listener"]);
    assert_eq!(codes(&v, "listener")[0], "LISTENER_DUPLICATE", "{all}");
    let finding = &check(&v, "listener")["findings"][0];
    let step = finding["remedy"]["steps"][0].as_str().unwrap();
    assert!(
        step.starts_with(&format!(
            "To keep pid {supervised}, which pm2 app ar-kept keeps running, stop the others"
        )),
        "{step}"
    );
    let commands = finding["remedy"]["commands"].as_array().unwrap();
    assert_eq!(commands.len(), 1, "{finding}");
    assert_eq!(commands[0], format!("kill {stray}"), "{finding}");
    // The stray wrote the heartbeat last; the advised kill, pasted; the next run a moment later:
    // the kept listener writes it at its next beat, so nothing is stale (issue 38: it said "stale
    // heartbeat → restart the listener" beside "heartbeat 6s ago").
    let now = common::rfc3339_now();
    f.write(
        "listener.json",
        &format!(r#"{{"pid": {stray}, "started_at": "{now}", "heartbeat_at": "{now}", "connected": true}}"#),
    );
    let out = std::process::Command::new("/bin/sh")
        .args(["-c", commands[0].as_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::all_text(&out));
    f.wait_child(stray);
    let (_, v, all) = f.json(&["listener"]);
    assert_eq!(codes(&v, "listener"), Vec::<String>::new(), "{all}");
    let summary = check(&v, "listener")["summary"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        summary.contains(&format!(
            "(by pid {stray}, no longer running; pid {supervised} writes it next)"
        )),
        "{summary}"
    );
}

/// pm2 started by its path, with no pm2 on the PATH it gave its app (the listener's): the
/// PATH remedy for a host CLI off the listener's PATH sets a PATH of its own, and pm2 is named by
/// its full path there, found from the `_` the shell gave pm2 (issue 38: `env PATH=… pm2 restart`
/// → `env: 'pm2': No such file or directory`). Every printed line, pasted into `sh`, resolves
/// its program under the PATH the line itself sets.
#[test]
fn pm2_started_by_its_path_is_named_by_it_where_the_line_sets_a_path() {
    let f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = node_listener(&f, &lbin, &[]);
    let Some(pm2_bin) = common::pm2_bin() else {
        return;
    };
    // node is in /usr/bin: the app's PATH has node, not pm2.
    let path = "/usr/bin:/bin";
    let hosts = f.dir.path().join("hosts");
    f.fake_codex(&hosts, true);
    f.write("config.json", r#"{"host": "codex"}"#);
    let Some(pm2) = Pm2::at(
        &f,
        &f.dir.path().join("pm2-home"),
        path,
        &[("_", pm2_bin.to_str().unwrap())],
    ) else {
        return;
    };
    pm2.start_app(&script, "ar-off");
    pm2.wait_for("ar-off", "online", |a| a["status"] == "online");
    // The doctor finds codex on its own PATH (hosts/): the listener's PATH lacks it.
    let out = f
        .doctor()
        .env(
            "PATH",
            format!("{}:{}", hosts.display(), common::SYSTEM_PATH),
        )
        .args(["listener", "host"])
        .output()
        .unwrap();
    let text = common::all_text(&out);
    let line = text
        .lines()
        .map(str::trim_start)
        .find(|l| l.starts_with("$ env ") && l.contains("restart ar-off"))
        .unwrap_or_else(|| panic!("no PATH remedy through pm2:\n{text}"));
    assert!(
        line.contains(&format!(
            " {} restart ar-off --update-env",
            pm2_bin.display()
        )),
        "{line}\n{text}"
    );
    let n = common::printed_commands_resolve(&text, common::SYSTEM_PATH, "pm2-off-path");
    assert!(n >= 2, "{text}");
}

/// Issue 39: a listener in a mount namespace of its own (`unshare -m`, as a unit with
/// PrivateTmp= has) on a machine whose root holds /.dockerenv was "in a docker container: codex
/// and its login live inside it"; it has the machine's root (one device and inode), so it is
/// judged as any listener here.
#[test]
fn a_listener_in_its_own_mount_namespace_with_the_machines_root_is_no_container() {
    let Some(unshare) = common::unshare() else {
        return;
    };
    if !Path::new("/.dockerenv").exists() {
        eprintln!("no /.dockerenv here: this test cannot tell the old rule from the new one");
    }
    let mut f = Fixture::with_listeners();
    f.write("config.json", r#"{"host": "codex"}"#);
    f.fake_codex(&f.bin, true);
    let script = f.listener_script(&f.dir.path().join("lbin"));
    let path = format!("{}:{}", f.bin.display(), common::SYSTEM_PATH);
    let unshare = unshare.display().to_string();
    let pid = f.listen(
        &[&unshare, "-m", "/bin/sh", script.to_str().unwrap(), "watch"],
        &path,
    );
    // unshare enters its namespace and then execs the shell: wait until it has done both (a run
    // that looked a moment too early saw unshare, or the machine's own namespace).
    let mine = std::fs::read_link("/proc/self/ns/mnt").unwrap();
    let started = std::time::Instant::now();
    let own_ns = loop {
        let ns = std::fs::read_link(format!("/proc/{pid}/ns/mnt")).unwrap();
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let shell = cmdline.starts_with(b"/bin/sh\0");
        if (ns != mine && shell) || started.elapsed() > std::time::Duration::from_secs(10) {
            break ns;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_ne!(
        own_ns, mine,
        "the listener has a mount namespace of its own"
    );
    let (_, v, all) = f.json(&["listener", "host"]);
    assert!(!all.contains("container"), "{all}");
    assert_eq!(check(&v, "host")["status"], "pass", "{all}");
}
