//! The two sides agree (CONTRACT §1): a real HTTP server on 127.0.0.1 answers the device lookup
//! with a `last_seen_at` hours old, null, or a minute ago, and a `Date` of its own clock; a fake
//! listener runs (or not) with listener.json saying it is connected. LISTENER_UNSEEN when the
//! listener believes it is connected and the server has not heard from it; DEVICE_ACTIVE_ELSEWHERE
//! when the server heard from the device just now and no listener of this agent runs here.

mod common;

use common::api::{Api, Reply, WHOAMI_OK};
use common::{check, codes, Fixture};

const TOKEN: &str = "ar_live_Zx81TOPSECRETtokenValue42";

fn rfc3339(secs_ago: i64) -> String {
    let t = time::OffsetDateTime::now_utc() - time::Duration::seconds(secs_ago);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

fn http_date(secs_ago: i64) -> String {
    let now = std::time::SystemTime::now();
    let d = std::time::Duration::from_secs(secs_ago.unsigned_abs());
    httpdate::fmt_http_date(if secs_ago >= 0 { now - d } else { now + d })
}

/// An API whose device lookup says the device was last seen `seen` seconds before its clock's now
/// (None: never), its clock running `behind` seconds behind this machine's.
fn api(seen: Option<i64>, behind: i64) -> Api {
    Api::start(move |r| {
        if r.path.starts_with("/v1/devices/") {
            let last = seen.map_or("null".to_string(), |s| {
                format!("\"{}\"", rfc3339(s + behind))
            });
            Reply::json(
                200,
                &format!(r#"{{"device_id":"dev_test1","paired":true,"last_seen_at":{last}}}"#),
            )
            .with_header("Date", &http_date(behind))
        } else {
            Reply::json(200, WHOAMI_OK).with_header("Date", &http_date(behind))
        }
    })
}

/// A home for `api` with a device, and (when `connected` is given) listener.json with a heartbeat
/// 3 s old; a listener runs when `listening`.
fn setup(api: &Api, connected: Option<bool>, listening: bool) -> Fixture {
    let mut f = Fixture::with_listeners();
    f.write(
        "config.json",
        &format!(r#"{{"api_url": "{}", "token": "{TOKEN}"}}"#, api.url()),
    );
    f.write(
        "device.json",
        r#"{"device_id": "dev_test1", "name": "ci-box", "paired_at": "2026-11-01T00:00:00Z"}"#,
    );
    if listening {
        let script = f.listener_script(&f.dir.path().join("lbin"));
        let pid = f.listen(
            &["/bin/sh", script.to_str().unwrap(), "watch"],
            "/usr/bin:/bin",
        );
        if let Some(c) = connected {
            f.write("listener.json", &format!(r#"{{"pid": {pid}, "started_at": "{}", "heartbeat_at": "{}", "connected": {c}}}"#, rfc3339(60), rfc3339(3)));
        }
    } else if let Some(c) = connected {
        f.write(
            "listener.json",
            &format!(
                r#"{{"pid": 999999, "started_at": "{}", "heartbeat_at": "{}", "connected": {c}}}"#,
                rfc3339(7200),
                rfc3339(3600)
            ),
        );
    }
    f
}

/// The device check, human (held against the snapshot `name`) and JSON.
fn device(f: &Fixture, name: &str) -> (i32, serde_json::Value) {
    let home = f.ar_home.to_str().unwrap().to_string();
    let (code, text) = f.human(name, &["device", "--home", &home]);
    assert!(!text.contains("TOPSECRET"), "{text}");
    let (jcode, v, _) = f.json(&["device", "--home", &home]);
    assert_eq!(code, jcode);
    (code, v)
}

fn message(v: &serde_json::Value) -> String {
    check(v, "device")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_connected_listener_the_server_last_heard_hours_ago_is_unseen() {
    let api = api(Some(3 * 3600), 0);
    let f = setup(&api, Some(true), true);
    let (code, v) = device(&f, "a_connected_listener_the_server_last_heard_hours_ago-1");
    assert_eq!(
        (code, codes(&v, "device")),
        (1, vec!["LISTENER_UNSEEN".to_string()]),
        "{v}"
    );
    let m = message(&v);
    assert!(m.contains("): it says it is connected (heartbeat "), "{m}");
    assert!(
        m.contains("s ago in listener.json), but the server last heard from dev_test1 at"),
        "{m}"
    );
    assert!(m.contains("(2h 59m before that heartbeat)"), "{m}");
    // The facts carry both sides, and replay judges them the same (`f.json` replays every run).
    let facts = &check(&v, "device")["facts"];
    assert!(
        facts["here"]["heartbeat_at"].is_string()
            && facts["server"]["body"]["last_seen_at"].is_string(),
        "{facts}"
    );
}

#[test]
fn a_connected_listener_the_server_never_heard_from_is_unseen() {
    let api = api(None, 0);
    let f = setup(&api, Some(true), true);
    let (code, v) = device(&f, "a_connected_listener_the_server_never_heard_from-1");
    assert_eq!(
        (code, codes(&v, "device")),
        (1, vec!["LISTENER_UNSEEN".to_string()]),
        "{v}"
    );
    assert!(
        message(&v).ends_with("but the server has never heard from dev_test1"),
        "{v}"
    );
}

#[test]
fn heard_a_minute_ago_with_no_listener_here_is_active_elsewhere() {
    let api = api(Some(60), 0);
    // This home's last heartbeat is an hour old: the listener that wrote it is not what the
    // server heard a minute ago.
    let f = setup(&api, Some(true), false);
    let (code, v) = device(&f, "heard_a_minute_ago_with_no_listener_here-1");
    assert_eq!(code, 0, "a warning: {v}");
    assert_eq!(codes(&v, "device"), ["DEVICE_ACTIVE_ELSEWHERE"], "{v}");
    assert_eq!(check(&v, "device")["status"], "warn");
    assert!(message(&v).contains("this home's last heartbeat is"), "{v}");
    // Heard an hour ago: nothing is using it now. (One fixture with listeners at a time.)
    drop(f);
    let api = self::api(Some(3600), 0);
    let f = setup(&api, Some(true), false);
    let (_, v) = device(&f, "heard_an_hour_ago_with_no_listener_here-1");
    assert_eq!(check(&v, "device")["status"], "pass", "{v}");
}

#[test]
fn the_servers_clock_three_minutes_off_at_the_boundary() {
    // The server's clock runs 180 s behind this machine's: it says it heard from the device
    // 330 s ago by its clock, which was 150 s ago here. No finding, though read without the skew
    // it would be over five minutes.
    let api = api(Some(150), 180);
    let f = setup(&api, Some(true), true);
    let (code, v) = device(&f, "the_servers_clock_three_minutes_behind-1");
    assert_eq!(
        (code, check(&v, "device")["status"].as_str()),
        (0, Some("pass")),
        "{v}"
    );
    // Its clock 180 s ahead: it says 220 s ago, which was 400 s ago here: unseen.
    drop(f);
    let api = self::api(Some(400), -180);
    let f = setup(&api, Some(true), true);
    // (Held by its JSON alone: how long before the heartbeat depends on how long the run took.)
    let home = f.ar_home.to_str().unwrap().to_string();
    let (code, v, _) = f.json(&["device", "--home", &home]);
    assert_eq!(
        (code, codes(&v, "device")),
        (1, vec!["LISTENER_UNSEEN".to_string()]),
        "{v}"
    );
    assert!(message(&v).contains("the server's runs 3m 0s ahead"), "{v}");
}

#[test]
fn a_listener_that_says_it_is_disconnected_is_not_held_to_the_server() {
    let api = api(Some(3 * 3600), 0);
    let f = setup(&api, Some(false), true);
    let (_, v) = device(&f, "a_disconnected_listener_and_an_old_last_seen-1");
    assert_eq!(check(&v, "device")["status"], "pass", "{v}");
}

/// A bundle (`report --json`) of the fixture's agent, in a file.
fn bundle(f: &Fixture, name: &str) -> std::path::PathBuf {
    let path = f.dir.path().join(name);
    let out = f
        .doctor()
        .args([
            "report",
            "--json",
            "--home",
            f.ar_home.to_str().unwrap(),
            "-o",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(path.exists(), "{}", common::all_text(&out));
    path
}

#[test]
fn replay_diff_and_the_timeline_carry_both_sides() {
    // One agent, the server hearing from its listener, then not for hours.
    let fresh = api(Some(20), 0);
    let f = setup(&fresh, Some(true), true);
    let agree = bundle(&f, "agree.json");
    let stale = api(Some(3 * 3600), 0);
    f.write(
        "config.json",
        &format!(r#"{{"api_url": "{}", "token": "{TOKEN}"}}"#, stale.url()),
    );
    let unseen = bundle(&f, "unseen.json");
    let run = |args: &[&std::ffi::OsStr]| f.doctor().args(args).output().unwrap();
    // Replayed, each bundle judges as recorded.
    for (b, want) in [(&agree, "pass"), (&unseen, "fail")] {
        let out = run(&["replay".as_ref(), "--json".as_ref(), b.as_os_str()]);
        let v: serde_json::Value = common::document(&out.stdout);
        let device = v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "device")
            .unwrap()
            .clone();
        assert_eq!(device["status"], want, "{v}");
    }
    // The diff says what changed between the two sides, along the wake chain.
    let out = run(&["diff".as_ref(), agree.as_os_str(), unseen.as_os_str()]);
    let text = common::all_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let at = text
        .find("the server and this machine")
        .unwrap_or_else(|| panic!("{text}"));
    let block: String = text[at..].lines().take(3).collect::<Vec<_>>().join("\n");
    assert!(
        block.contains("agree") && block.contains("LISTENER_UNSEEN"),
        "{block}\n{text}"
    );
    // The failing run's timeline says when the server last heard from the device.
    let v: serde_json::Value = common::document(&std::fs::read(&unseen).unwrap());
    let events = v["checks"]["timeline"]
        .as_array()
        .unwrap_or_else(|| panic!("{v}"));
    assert!(
        events
            .iter()
            .any(|e| e["what"] == "the server last heard from the device"),
        "{events:?}"
    );
    drop(f);
}
