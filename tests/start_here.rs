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
    let v: serde_json::Value = common::document(&out.stdout);
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
    let v: serde_json::Value = common::document(&out.stdout);
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

/// Issue 38: the API answers 429 with Retry-After and the listener says it is not connected.
/// The rate limit is the cause (with how long to wait), the disconnected listener follows from
/// it; Start here was `LISTENER_DISCONNECTED → $ agent-rooms-doctor api token`, which re-runs
/// what just ran.
#[test]
fn a_rate_limit_is_the_cause_of_a_disconnected_listener() {
    let api = common::api::Api::start(|_| {
        common::api::Reply::error("RATE_LIMITED", 429).with_header("Retry-After", "30")
    });
    let mut f = Fixture::with_listeners();
    f.write(
        "config.json",
        &format!(
            r#"{{"api_url": "{}", "token": "ar_live_RateLimitedToken0123456789", "host": "codex"}}"#,
            api.url()
        ),
    );
    f.fake_codex(&f.bin, true);
    let script = f.listener_script(&f.dir.path().join("lbin"));
    let path = format!("{}:{}", f.bin.display(), common::SYSTEM_PATH);
    let pid = f.listen(&["/bin/sh", script.to_str().unwrap(), "watch"], &path);
    let t = common::rfc3339_now();
    f.write(
        "listener.json",
        &format!(
            r#"{{"pid": {pid}, "started_at": "{t}", "heartbeat_at": "{t}", "connected": false}}"#
        ),
    );
    let (_, v, all) = f.json(&["listener", "token", "api"]);
    assert_eq!(v["start_here"]["code"], "RATE_LIMITED", "{all}");
    let out = f
        .doctor()
        .args(["listener", "token", "api"])
        .output()
        .unwrap();
    let text = common::all_text(&out);
    let first = text.lines().next().unwrap();
    assert_eq!(
        first,
        "Start here: RATE_LIMITED (api) → Wait 30 s (the API's Retry-After), then run the doctor again: the listener reconnects on its own once the limit lifts.",
        "{text}"
    );
    assert!(
        text.contains("↳ and so LISTENER_DISCONNECTED (listener)"),
        "{text}"
    );
    common::printed_commands_resolve(&text, &path, "rate-limit");
}

/// Issue 38: a revoked token's human output says the whole remedy (a new token, where it goes,
/// the restart), as `explain`, junit and github do: not only the file to update.
#[test]
fn a_revoked_token_says_the_whole_remedy() {
    let api = common::api::Api::start(|_| common::api::Reply::error("REVOKED", 401));
    let f = Fixture::new();
    let cfg = f.write(
        "config.json",
        &format!(
            r#"{{"api_url": "{}", "token": "ar_live_RevokedToken0123456789", "host": "codex"}}"#,
            api.url()
        ),
    );
    let out = f.doctor().args(["token", "api"]).output().unwrap();
    let text = common::all_text(&out);
    let step = format!(
        "Get a new token (generate it in the dashboard, or re-run the connector add), put it in {} as `token` (the token comes from that file), then restart `agent-rooms watch`.",
        cfg.display()
    );
    assert_eq!(
        text.lines().next().unwrap(),
        format!("Start here: REVOKED (token) → {step}"),
        "{text}"
    );
    assert!(text.contains(&format!("→ {step}")), "{text}");
    common::printed_commands_resolve(&text, common::SYSTEM_PATH, "revoked");
}

/// Issue 38: a smoke check that skips every check proves nothing; under --strict it fails with
/// NOTHING_CHECKED (it exited 0 with "0 passed … 6 skipped"); without --strict it is a skip.
#[test]
fn strict_fails_a_run_in_which_no_check_passed() {
    let f = Fixture::new();
    // Set up, paired: offline every check skips (the token and the device wait for the API).
    f.write(
        "config.json",
        r#"{"host": "codex", "token": "ar_live_NothingChecked0123456789", "api_url": "https://api.example"}"#,
    );
    f.write(
        "device.json",
        r#"{"device_id": "dev_x", "name": "ci", "paired_at": "2026-01-01T00:00:00Z", "owner_id": "own_x"}"#,
    );
    let args = [
        "--strict",
        "--offline",
        "--skip",
        "listener",
        "--skip",
        "host",
    ];
    let (code, v, all) = f.json(&args);
    assert_eq!(code, 1, "{all}");
    assert_eq!(v["summary"]["pass"], 0, "{all}");
    let found: Vec<&str> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["findings"].as_array().unwrap().iter())
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(found.contains(&"NOTHING_CHECKED"), "{all}");
    assert_eq!(v["start_here"]["code"], "NOTHING_CHECKED", "{all}");
    let out = f.doctor().args(args).output().unwrap();
    let text = common::all_text(&out);
    assert!(
        text.starts_with("Start here: NOTHING_CHECKED (listener) → Run the checks"),
        "{text}"
    );
    let (code, _, all) = f.json(&args[1..]);
    assert_eq!(code, 0, "without --strict: {all}");
}
