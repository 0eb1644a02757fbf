//! End-to-end: `fix`, the one command that changes things. It acts only on a yes (on a terminal,
//! driven here by tmux) or `--yes`; `--dry-run` and a run without a terminal change nothing; a
//! restart goes through the listener's supervisor (real pm2).

mod common;

use common::{check, Fixture, Pm2, SYSTEM_PATH};
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

/// A home whose config.json (holding the token) is readable by others: TOKEN_FILE_TOO_OPEN.
fn too_open(f: &Fixture) -> std::path::PathBuf {
    let p = f.write(
        "config.json",
        r#"{"token": "ar_live_FixToken0123456789abcdef", "host": "codex"}"#,
    );
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    f.fake_codex(&f.bin, true);
    p
}

fn mode(p: &std::path::Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn dry_run_and_no_terminal_change_nothing_and_yes_fixes() {
    let f = Fixture::new();
    let cfg = too_open(&f);
    let home = f.ar_home.to_str().unwrap().to_string();
    let out = f
        .doctor()
        .args(["fix", "--dry-run", "--offline", "--home", &home])
        .output()
        .unwrap();
    let script = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(0));
    assert!(script.starts_with("#!/bin/sh\n"), "{script}");
    assert!(
        script.contains(&format!("\nchmod 600 {}\n", cfg.display())),
        "{script}"
    );
    assert_eq!(mode(&cfg), 0o644, "--dry-run changed the file");
    // Not a terminal, no --yes: the plan, and nothing run.
    let out = f
        .doctor()
        .args(["fix", "--offline", "--home", &home])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("nothing was run"), "{text}");
    assert_eq!(mode(&cfg), 0o644, "fix ran without a yes");
    // --yes: it runs, then checks again.
    let out = f
        .doctor()
        .args(["fix", "--yes", "--offline", "--home", &home])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(mode(&cfg), 0o600, "{text}");
    assert!(
        text.contains(&format!("$ chmod 600 {}    (as ", cfg.display())),
        "{text}"
    );
    assert!(
        text.contains("1. TOKEN_FILE_TOO_OPEN → ran: exit 0"),
        "{text}"
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "other checks still fail: {text}"
    );
    // Offline, the token check has no server part: from warn (the file) to skip.
    assert!(text.contains("  token    warn → skip"), "{text}");
    common::snapshot(
        "dry_run_and_no_terminal_change_nothing_and_yes_fixes-1",
        &text,
    );
}

/// Run `fix` in tmux, answer `answer` to its one question; wait until it is done.
fn fix_in_tmux(f: &Fixture, answer: &str) -> Option<String> {
    let tmux = common::prerequisite("tmux, a real terminal", which::which("tmux").ok())?;
    let socket = f.dir.path().join(format!("fix-{answer}.sock"));
    let done = f.dir.path().join(format!("fix-{answer}.done"));
    let log = f.dir.path().join(format!("fix-{answer}.out"));
    let cmd = format!(
        "env -i HOME={} PATH={}:{SYSTEM_PATH} TERM=xterm NO_COLOR=1 {} fix --offline --home {} > {}; touch {}; sleep 60",
        f.home.display(),
        f.bin.display(),
        assert_cmd::cargo::cargo_bin("agent-rooms-doctor").display(),
        f.ar_home.display(),
        log.display(),
        done.display()
    );
    let tm = |args: &[&str]| {
        std::process::Command::new(&tmux)
            .arg("-S")
            .arg(&socket)
            .args(args)
            .status()
            .unwrap()
    };
    let st = common::tmux_new_session(
        &tmux,
        &socket,
        &["-s", "fix", "-x", "160", "-y", "50", &cmd],
    );
    assert!(st.status.success(), "tmux new-session: {st:?}");
    // Wait for the question on the terminal, then answer it.
    let t = Instant::now();
    loop {
        let pane = std::process::Command::new(&tmux)
            .arg("-S")
            .arg(&socket)
            .args(["capture-pane", "-p", "-t", "fix"])
            .output()
            .unwrap();
        if String::from_utf8_lossy(&pane.stdout).contains("run it? [y/N]") {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(30), "fix asked nothing");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(tm(&["send-keys", "-t", "fix", answer, "Enter"]).success());
    while !done.exists() {
        assert!(t.elapsed() < Duration::from_secs(60), "fix did not end");
        std::thread::sleep(Duration::from_millis(50));
    }
    tm(&["kill-server"]);
    Some(std::fs::read_to_string(log).unwrap())
}

#[test]
fn on_a_terminal_it_asks_and_no_means_no() {
    let f = Fixture::new();
    let cfg = too_open(&f);
    let Some(text) = fix_in_tmux(&f, "n") else {
        return;
    };
    assert_eq!(mode(&cfg), 0o644, "it acted on a no: {text}");
    assert!(text.contains("→ not run: you said no"), "{text}");
    let Some(text) = fix_in_tmux(&f, "y") else {
        return;
    };
    assert_eq!(mode(&cfg), 0o600, "{text}");
    assert!(text.contains("Before → after:"), "{text}");
}

#[test]
fn a_listener_running_old_code_is_restarted_through_pm2() {
    let f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.script(
        &lbin,
        "agent-rooms.js",
        "#!/usr/bin/env node\nsetInterval(() => {}, 1000);\n",
    );
    f.write("config.json", r#"{"host": "codex"}"#);
    let Some((pm2, pid)) = Pm2::start(&f, &script, "ar-fix", "/usr/bin:/bin", &[]) else {
        return;
    };
    // The installed script changes after the listener started: it runs old code.
    // (Start times are known to the tick: a modification a moment after the start is seen, and
    // the restart a second later makes a process that started after it.)
    let later = std::time::SystemTime::now() + Duration::from_millis(200);
    std::fs::File::options()
        .write(true)
        .open(&script)
        .unwrap()
        .set_modified(later)
        .unwrap();
    std::thread::sleep(Duration::from_secs(1));
    let pm2_dir = pm2.bin.parent().unwrap().display().to_string();
    let out = f
        .doctor()
        .env(
            "PATH",
            format!("{pm2_dir}:{}:{SYSTEM_PATH}", f.bin.display()),
        )
        .args(["fix", "--yes", "--offline", "--skip", "host"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        text.contains(&format!(
            "$ env PM2_HOME={} pm2 restart ar-fix --update-env    (as ",
            pm2.home.display()
        )) && text.contains("1. LISTENER_OUTDATED → ran: exit 0"),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // pm2 started it again: a new process, no longer outdated.
    let run: &[&str] = &["listener"];
    f.human(
        "a_listener_running_old_code_is_restarted_through_pm2-1",
        run,
    );
    let (_, v, _) = f.json(run);
    let mine = f.own_listeners(&v);
    assert_eq!(mine.len(), 1, "{v}");
    assert_ne!(mine[0]["pid"], pid, "{v}");
    assert!(
        check(&v, "listener")["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["code"] != "LISTENER_OUTDATED"),
        "{v}"
    );
}

/// Issue 39: two listeners of one home, no supervisor: `fix --yes` left both running ("Some
/// checks still fail"). Stopping the younger needs no restart (the older keeps waking the agent),
/// so it is run; the older runs on, and the checks pass after.
#[test]
fn yes_stops_the_younger_of_two_duplicate_listeners() {
    let mut f = Fixture::with_listeners();
    f.write("config.json", r#"{"host": "codex"}"#);
    f.fake_codex(&f.bin, true);
    let script = f.listener_script(&f.dir.path().join("lbin"));
    let path = format!("{}:{SYSTEM_PATH}", f.bin.display());
    let argv = ["/bin/sh", script.to_str().unwrap(), "watch"];
    let older = f.listen(&argv, &path);
    let younger = f.listen(&argv, &path);
    let home = f.ar_home.to_str().unwrap().to_string();
    let out = f
        .doctor()
        .args(["fix", "--yes", "--offline", "--home", &home])
        .output()
        .unwrap();
    let text = common::all_text(&out);
    assert!(
        text.contains(&format!("kill {younger}")),
        "the stop is in the plan: {text}"
    );
    let ended = |pid: u32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |s| {
            s.rsplit(')')
                .next()
                .is_some_and(|r| r.trim_start().starts_with('Z'))
        })
    };
    let t = Instant::now();
    while !ended(younger) && t.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(ended(younger), "the younger listener still runs: {text}");
    assert!(!ended(older), "the older listener runs on: {text}");
    let (_, v, all) = f.json(&["listener", "--offline", "--home", &home]);
    assert_eq!(check(&v, "listener")["status"], "pass", "{all}");
}

/// Issue 39: a home whose path holds bytes that are not UTF-8 (`h\xff\xfe-home`): every printed
/// command and `fix --dry-run` carried U+FFFD in their place, so the pasted `chmod 600 …` failed
/// with "No such file or directory". The printed line and the dry run's script, run by `sh`,
/// now change the file itself.
#[test]
fn a_home_whose_path_is_not_utf8_gets_lines_that_work_when_pasted() {
    use std::os::unix::ffi::OsStrExt;
    let f = Fixture::new();
    let odd = f
        .dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"h\xff\xfe-home"))
        .join("agent-rooms");
    std::fs::create_dir_all(&odd).unwrap();
    let cfg = odd.join("config.json");
    std::fs::write(
        &cfg,
        r#"{"token": "ar_live_FixToken0123456789abcdef", "host": "codex"}"#,
    )
    .unwrap();
    std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o644)).unwrap();
    f.fake_codex(&f.bin, true);
    let out = f
        .doctor()
        .args(["token", "--offline", "--home"])
        .arg(&odd)
        .output()
        .unwrap();
    let text = common::all_text(&out);
    let line = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("$ chmod 600 "))
        .unwrap_or_else(|| panic!("no chmod line: {text}"));
    assert!(!line.contains('\u{fffd}'), "{line}");
    let st = std::process::Command::new("/bin/sh")
        .args(["-c", &format!("chmod 600 {line}")])
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", common::all_text(&st));
    assert_eq!(mode(&cfg), 0o600, "the pasted line changed the file");
    // The dry run's script, run by sh, does the same.
    std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = f
        .doctor()
        .args(["fix", "--dry-run", "--offline", "--home"])
        .arg(&odd)
        .output()
        .unwrap();
    let script = String::from_utf8_lossy(&out.stdout).to_string();
    let ran = std::process::Command::new("/bin/sh")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(ran.status.success(), "{script}\n{}", common::all_text(&ran));
    assert_eq!(mode(&cfg), 0o600, "{script}");
}
