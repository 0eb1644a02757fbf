//! End-to-end (issue 24): a signal to the doctor ends every process it started — here a host
//! status command that ignores SIGTERM (and its child), killed after the grace period — then
//! the doctor dies by the same signal (a shell reports 128 + it), and stdout holds a whole
//! document or none.

mod common;

use common::Fixture;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn alive(pid: i32) -> bool {
    // A zombie is gone for our purpose (its parent, the doctor, is gone too and init reaps it).
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            s.rsplit(')')
                .next()
                .is_some_and(|r| !r.trim_start().starts_with('Z'))
        })
        .unwrap_or(false)
}

/// The doctor started on a fixture whose codex status command hangs ignoring SIGTERM; returns
/// the doctor's child handle and the pids the status command wrote (its shell and its sleep).
fn start_hanging(f: &Fixture, args: &[&str]) -> (std::process::Child, Vec<i32>) {
    let pids = f.dir.path().join("pids");
    f.script(
        &f.bin,
        "codex",
        &format!(
            "#!/bin/sh\ntrap '' TERM\nsleep 60 &\necho $$ $! > '{}'\nwait\n",
            pids.display()
        ),
    );
    f.write(
        "config.json",
        r#"{"api_url": "http://127.0.0.1:9", "token": "ar_live_0123456789abcdef", "host": "codex"}"#,
    );
    let bin = assert_cmd::cargo::cargo_bin("agent-rooms-doctor");
    let child = Command::new(bin)
        .args(args)
        .env_clear()
        .env("HOME", &f.home)
        .env("AGENT_ROOMS_DOCTOR_TEST_LISTENERS_UNDER", f.dir.path())
        .env(
            "PATH",
            format!("{}:{}", f.bin.display(), common::SYSTEM_PATH),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(20);
    let found = loop {
        if let Some(p) = read_pids(&pids) {
            break p;
        }
        assert!(Instant::now() < until, "the status command never started");
        std::thread::sleep(Duration::from_millis(20));
    };
    (child, found)
}

fn read_pids(p: &Path) -> Option<Vec<i32>> {
    let text = std::fs::read_to_string(p).ok()?;
    let v: Vec<i32> = text
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (v.len() == 2).then_some(v)
}

#[test]
fn a_signal_ends_every_process_the_doctor_started_then_the_doctor_dies_by_it() {
    for (signal, code) in [
        (nix::sys::signal::Signal::SIGINT, 130),
        (nix::sys::signal::Signal::SIGTERM, 143),
        (nix::sys::signal::Signal::SIGHUP, 129),
    ] {
        let f = Fixture::new();
        let (child, pids) = start_hanging(&f, &["--json", "--offline", "--timeout", "30", "host"]);
        assert!(pids.iter().all(|p| alive(*p)), "{pids:?}");
        let sent = Instant::now();
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), signal).unwrap();
        let out = child.wait_with_output().unwrap();
        let took = sent.elapsed();
        // It dies by the same signal, after its cleanup (a shell reports 128 + it).
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            out.status.signal(),
            Some(signal as i32),
            "{signal}: {out:?}"
        );
        // The status command ignored SIGTERM: it was killed after the grace period, with its
        // child (the whole group), before the doctor exited.
        for p in &pids {
            assert!(!alive(*p), "{signal}: pid {p} outlived the doctor");
        }
        // Nothing half-written: no document, or a whole one.
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.is_empty() || serde_json::from_str::<serde_json::Value>(&stdout).is_ok(),
            "{signal}: {stdout}"
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("interrupted by") && stderr.contains("ended 1 process group"),
            "{signal}: {stderr}"
        );
        println!("{signal}: died by it (a shell says {code}) after {took:?}; pids {pids:?} gone");
    }
}

/// `fix --yes` with two steps (link codex onto the listener's PATH, then chmod the token file):
/// a SIGINT while the first runs (an `ln` that ignores SIGTERM and hangs) ends that step's whole
/// process group, starts no step after it, says what ran, and exits 130 (128 + SIGINT).
#[test]
fn a_signal_during_fix_ends_the_running_step_and_starts_none_after_it() {
    use std::os::unix::fs::PermissionsExt;
    let mut f = Fixture::with_listeners();
    let cfg = f.write(
        "config.json",
        r#"{"token": "ar_live_SignalFix0123456789ab", "host": "codex"}"#,
    );
    std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o644)).unwrap();
    f.fake_codex(&f.bin, true);
    // The listener's PATH lacks codex (it is in the doctor's bin): HOST_NOT_FOUND, whose step
    // links it into that PATH's first directory, as the listener's user.
    let lpath = f.dir.path().join("lpath");
    std::fs::create_dir_all(&lpath).unwrap();
    let script = f.listener_script(&f.dir.path().join("lbin"));
    f.listen(
        &["/bin/sh", script.to_str().unwrap(), "watch"],
        lpath.to_str().unwrap(),
    );
    let slow = f.dir.path().join("slow");
    let pids = f.dir.path().join("pids");
    f.script(
        &slow,
        "ln",
        &format!(
            "#!/bin/sh\ntrap '' TERM\nsleep 60 &\necho $$ $! > '{}'\nwait\n",
            pids.display()
        ),
    );
    let bin = assert_cmd::cargo::cargo_bin("agent-rooms-doctor");
    let child = Command::new(bin)
        .args(["fix", "--yes", "--offline"])
        .env_clear()
        .env("HOME", &f.home)
        .env("AGENT_ROOMS_DOCTOR_TEST_LISTENERS_UNDER", f.dir.path())
        .env(
            "PATH",
            format!(
                "{}:{}:{}",
                slow.display(),
                f.bin.display(),
                common::SYSTEM_PATH
            ),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(30);
    let running = loop {
        if let Some(p) = read_pids(&pids) {
            break p;
        }
        assert!(Instant::now() < until, "the first step never started");
        std::thread::sleep(Duration::from_millis(20));
    };
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(130), "{stdout}\n{stderr}");
    for p in &running {
        assert!(!alive(*p), "pid {p} of the first step outlived the doctor");
    }
    // The second step never ran: the file is as it was.
    assert_eq!(
        std::fs::metadata(&cfg).unwrap().permissions().mode() & 0o777,
        0o644,
        "{stdout}"
    );
    assert!(!lpath.join("codex").exists(), "{stdout}");
    // The record says what ran and what did not.
    assert!(
        stdout.contains("1. HOST_NOT_FOUND → ") && stdout.contains("2. TOKEN_FILE_TOO_OPEN → "),
        "{stdout}"
    );
    assert!(stdout.contains("before this step"), "{stdout}");
    assert!(!stdout.contains("TOKEN_FILE_TOO_OPEN → ran"), "{stdout}");
}
