//! End-to-end: `--wait SECS` re-runs the checks until none fails (CI right after an install,
//! while the listener is still starting); the last run's outcome and exit code stand.

mod common;

use common::{check, Fixture, SYSTEM_PATH};
use std::time::{Duration, Instant};

#[test]
fn the_run_turns_green_when_the_listener_comes_up_within_the_wait() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let doctor = std::process::Command::new(assert_cmd::cargo::cargo_bin("agent-rooms-doctor"))
        .args([
            "listener",
            "--json",
            "--wait",
            "30",
            "--home",
            f.ar_home.to_str().unwrap(),
        ])
        .env_clear()
        .env("HOME", &f.home)
        .env("PATH", format!("{}:{SYSTEM_PATH}", f.bin.display()))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The listener starts a few seconds after the doctor.
    std::thread::sleep(Duration::from_secs(3));
    let started = Instant::now();
    f.listen(
        &["/bin/sh", script.to_str().unwrap(), "watch"],
        "/usr/bin:/bin",
    );
    let out = doctor.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "it did not stop once green"
    );
    // It said what it was waiting for, on stderr; stdout holds only the last run's JSON.
    assert!(
        stderr.contains("--wait: run 1: 1 failing: listener (LISTENER_NOT_RUNNING); trying again"),
        "{stderr}"
    );
    let v: serde_json::Value = common::document(&out.stdout);
    assert_eq!(check(&v, "listener")["status"], "pass", "{v}");
}

#[test]
fn when_the_wait_is_over_the_last_failure_stands() {
    let f = Fixture::new();
    let t = Instant::now();
    let out = f
        .doctor()
        .args([
            "listener",
            "--wait",
            "2",
            "--home",
            f.ar_home.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(t.elapsed() >= Duration::from_secs(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.matches("--wait: run ").count() >= 2, "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("LISTENER_NOT_RUNNING"));
}
