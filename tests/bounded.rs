//! End-to-end: no probe can hold a run past `--timeout`. A hung file system is stood in for by
//! the debug build's stall hook (`AGENT_ROOMS_DOCTOR_TEST_STALL_UNDER`, see probes/files.rs):
//! every file read under the fixture's HOME blocks forever, as on an NFS home whose server went
//! away. The run must still end, with the checks that waited on those files timed out.

mod common;

use common::{all_text, codes, status, Fixture};
use std::time::Duration;

fn stalled(f: &Fixture, args: &[&str]) -> std::process::Output {
    stalled_under(f, &f.home, args)
}

fn stalled_under(f: &Fixture, dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    f.doctor()
        .env("AGENT_ROOMS_DOCTOR_TEST_STALL_UNDER", dir)
        .args(args)
        // Far above the bound: this catches a hang, it does not time the run.
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap()
}

#[test]
fn a_hung_home_cannot_hold_the_checks() {
    let f = Fixture::new();
    f.write(
        "config.json",
        r#"{"token": "ar_live_STALLsecret0123456789", "host": "codex"}"#,
    );
    let out = stalled(&f, &["--offline", "--timeout", "2", "--json"]);
    let text = all_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let v: serde_json::Value = common::document(&out.stdout);
    // Everything that reads the home waited on it, and was cut at the bound.
    for id in ["device", "host", "token"] {
        assert_eq!(status(&v, id), "fail", "{id}: {text}");
        assert_eq!(codes(&v, id), ["CHECK_TIMED_OUT"], "{id}: {text}");
    }
    assert!(!text.contains("STALLsecret"));
}

#[test]
fn a_hung_home_cannot_hold_the_report() {
    let f = Fixture::new();
    let out = stalled(&f, &["report", "--offline", "--timeout", "2"]);
    let text = all_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("CHECK_TIMED_OUT"), "{text}");
    assert!(text.contains("# agent-rooms-doctor report"), "{text}");
    assert!(text.contains("- incomplete: the system, files"), "{text}");
}

#[test]
fn a_hung_host_state_directory_cannot_hold_the_host_check() {
    let f = Fixture::new();
    f.write("config.json", r#"{"host": "codex"}"#);
    // codex is on PATH but its state directory (where its credentials are) hangs.
    f.fake_codex(&f.bin, false);
    let out = stalled_under(
        &f,
        &f.home.join(".codex"),
        &["host", "token", "--offline", "--timeout", "2", "--json"],
    );
    let text = all_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let v: serde_json::Value = common::document(&out.stdout);
    assert_eq!(codes(&v, "host"), ["CHECK_TIMED_OUT"], "{text}");
    // The token check reads the agent-rooms home, which does not hang.
    assert_eq!(codes(&v, "token"), ["TOKEN_MISSING"], "{text}");
}
