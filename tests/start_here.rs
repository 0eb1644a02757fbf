//! End-to-end: what a person reads first (CONTRACT §2): the root cause first, consequences under
//! it, the wake chain, and on a machine where nothing was set up, one short answer.

mod common;

use common::{check, Fixture};

#[test]
fn nothing_set_up_is_one_root_cause_in_at_most_eight_lines() {
    let f = Fixture::new();
    std::fs::remove_dir_all(&f.ar_home).unwrap();
    // Not `--home`: the doctor's own home, as a new user would run it.
    let (code, text) = f.human(
        "nothing_set_up_is_one_root_cause_in_at_most_eight_lines-1",
        &[],
    );
    assert_eq!(code, 1);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() <= 8, "{} lines:\n{text}", lines.len());
    assert!(
        lines[0].starts_with("Start here: HOME_NOT_FOUND (listener)"),
        "{text}"
    );
    assert!(
        text.contains(
            "– skip  device, host, token, api, logs  skipped: agent-rooms is not set up here"
        ),
        "{text}"
    );
    let out = f.doctor().arg("--json").output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["start_here"]["code"], "HOME_NOT_FOUND");
    let findings: usize = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["findings"].as_array().unwrap().len())
        .sum();
    assert_eq!(findings, 1, "one problem, one finding: {v}");
    for id in ["device", "host", "token", "api", "logs"] {
        assert_eq!(check(&v, id)["status"], "skip", "{id}");
    }
}

#[test]
fn three_unrelated_problems_start_with_the_first_along_the_wake_chain() {
    let api = common::api::Api::healthy();
    let f = Fixture::new();
    // A token file readable by others (token), a host not logged in (host), no pairing (device).
    let cfg = f.write(
        "config.json",
        &format!(
            r#"{{"api_url": "{}", "token": "ar_live_StartHereToken0123456789", "host": "codex"}}"#,
            api.url()
        ),
    );
    std::fs::set_permissions(&cfg, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    f.fake_codex(&f.bin, false);
    let (_, text) = f.human(
        "three_unrelated_problems_start_with_the_first_along_the_wake_chain-1",
        &[
            "device",
            "host",
            "token",
            "api",
            "--home",
            f.ar_home.to_str().unwrap(),
        ],
    );
    let first = text.lines().next().unwrap();
    // token (the 2nd link) comes before host (4th) and device (5th), whatever the report order;
    // a failure before a warning.
    assert!(first.starts_with("Start here: "), "{text}");
    let out = f
        .doctor()
        .args([
            "device",
            "host",
            "token",
            "api",
            "--json",
            "--home",
            f.ar_home.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let statuses: Vec<(String, String)> = ["token", "host", "device"]
        .iter()
        .map(|id| {
            (
                id.to_string(),
                check(&v, id)["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // The first failing link of the chain is the one to start with.
    let first_failing = statuses
        .iter()
        .find(|(_, s)| s == "fail")
        .map(|(id, _)| id.clone());
    assert_eq!(
        v["start_here"]["check"].as_str().map(str::to_string),
        first_failing,
        "{statuses:?}"
    );
    assert!(text.contains("wake chain: token "), "{text}");
}
