//! End-to-end: the `token`, `device` and `api` checks against a real HTTP server on 127.0.0.1 that
//! speaks the contract's API — and misbehaves in every way the contract names. In every run the
//! token's full text must appear in no output, in any format.

mod common;

use common::api::{Api, Reply, DEVICE_OK, WHOAMI_OK};
use common::{all_text, check, codes, status, Fixture};
use std::time::{Duration, Instant};

const TOKEN: &str = "ar_live_Zx81TOPSECRETtokenValue42";

fn fixture(api_url: &str) -> Fixture {
    let f = Fixture::new();
    f.write(
        "config.json",
        &format!(r#"{{"api_url": "{api_url}", "token": "{TOKEN}", "host": "codex"}}"#),
    );
    f.write("device.json", r#"{"device_id": "dev_test1", "name": "ci-box", "paired_at": "2026-11-01T00:00:00Z", "owner_id": "own_test1"}"#);
    f
}

/// Run the network checks in every format (the human output held against the snapshot `name`);
/// assert the token leaks into none; return the exit code and the JSON.
fn run(f: &Fixture, name: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let home = f.ar_home.to_str().unwrap().to_string();
    let mut args = vec!["token", "device", "api", "--home", &home];
    args.extend_from_slice(extra);
    for fmt in ["human", "markdown", "junit", "github"] {
        let out = f
            .doctor()
            .args(&args)
            .args(["--format", fmt])
            .output()
            .unwrap();
        let text = common::all_text(&out);
        assert!(
            !text.contains(TOKEN) && !text.contains("TOPSECRET"),
            "the token leaked in {fmt}: {text}"
        );
        if fmt == "human" {
            let code = out.status.code().unwrap_or(-1);
            common::snapshot(name, &format!("{text}[exit {code}]\n"));
            let path = format!("{}:{}", f.bin.display(), common::SYSTEM_PATH);
            common::printed_commands_resolve(&text, &path, name);
        }
    }
    let (code, v, all) = f.json(&args);
    assert!(
        !all.contains("TOPSECRET"),
        "the token leaked in json: {all}"
    );
    assert_eq!(v["ok"], code == 0);
    (code, v)
}

#[test]
fn a_healthy_api_passes_and_gets_the_bearer_token() {
    let api = Api::healthy();
    let f = fixture(&api.url());
    let (code, v) = run(&f, "a_healthy_api_passes_and_gets_the_bearer_token-1", &[]);
    assert_eq!(code, 0, "{v}");
    for id in ["token", "device", "api"] {
        assert_eq!(status(&v, id), "pass", "{id}: {v}");
    }
    let token = check(&v, "token");
    assert!(
        token["summary"]
            .as_str()
            .unwrap()
            .contains("ar_l…(33 chars, #f215d4)"),
        "{token}"
    );
    assert!(token["summary"]
        .as_str()
        .unwrap()
        .contains("agent agt_test1, owner own_test1, scopes READ,INVOKE, expires never"));
    assert!(check(&v, "device")["summary"]
        .as_str()
        .unwrap()
        .contains("last seen 2026-11-25T11:00:00Z"));
    let reqs = api.requests();
    assert!(reqs
        .iter()
        .any(|r| r.path == "/v1/whoami"
            && r.header("authorization") == Some(&format!("Bearer {TOKEN}"))));
    assert!(reqs.iter().any(|r| r.path == "/v1/devices/dev_test1"));
    assert!(reqs.iter().all(|r| r
        .header("user-agent")
        .unwrap_or("")
        .starts_with("agent-rooms-doctor/")));
}

#[test]
fn every_seed_error_code_maps_to_its_finding_with_the_request_id() {
    for (i, (code, st)) in common::seed_codes().into_iter().enumerate() {
        let c2 = code.clone();
        let api = Api::start(move |_| Reply::error(&c2, st).with_header("Retry-After", "30"));
        let f = fixture(&api.url());
        let name = format!(
            "every_seed_error_code_maps_to_its_finding_with_the_request_id-{}",
            i + 1
        );
        let (exit, v) = run(&f, &name, &[]);
        // 5xx and 429 are the API's own state (api check); a 404 on /v1/whoami is a wrong API URL
        // (api check, API_URL_WRONG); everything else is about the token.
        let (owner, want) = match st {
            404 => ("api", "API_URL_WRONG".to_string()),
            s if s >= 500 || s == 429 => ("api", code.clone()),
            _ => ("token", code.clone()),
        };
        if st == 404 {
            assert_eq!(status(&v, "token"), "skip", "{v}");
        }
        let fnd = check(&v, owner)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["code"] == want.as_str())
            .unwrap_or_else(|| panic!("{code} in {owner}: {v}"))
            .clone();
        assert_eq!(fnd["request_id"], format!("req-{}", code.to_lowercase()));
        assert!(!fnd["remedy"]["steps"].as_array().unwrap().is_empty());
        assert_eq!(exit, if st == 429 { 0 } else { 1 }, "{code}: {v}");
        if st == 429 {
            assert!(fnd["message"].as_str().unwrap().contains("Retry-After: 30"));
        }
    }
    // The human output of one of them, whole remedy included.
    let api = Api::start(|_| Reply::error("REVOKED", 401));
    let f = fixture(&api.url());
    let out = f
        .doctor()
        .args(["token", "--home", f.ar_home.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("✗ fail  token  ar_l…(33 chars, #f215d4) from")
            && text.contains("REVOKED  the API rejected the token")
            && text.contains("request id: req-revoked"),
        "{text}"
    );
}

#[test]
fn broken_answers_are_bad_responses_never_success() {
    let cases: Vec<(&str, Reply, &str)> = vec![
        (
            "html 502",
            Reply::Json {
                status: 502,
                body: "<html><body><h1>502 Bad Gateway</h1></body></html>".into(),
                headers: vec![
                    ("Content-Type".into(), "text/html".into()),
                    ("cf-ray".into(), "8f1e2d3c4b5a-AMS".into()),
                ],
            },
            "text/html",
        ),
        ("empty", Reply::json(200, ""), "empty body"),
        (
            "truncated",
            Reply::Truncated {
                status: 200,
                declared: 200,
                sent: r#"{"agent_id": "agt_"#.into(),
            },
            "ended early",
        ),
        (
            "huge",
            Reply::json(200, &format!("{{\"pad\": \"{}\"}}", "x".repeat(10 << 20))),
            "over the 1048576 byte limit",
        ),
        (
            "wrong content-type",
            Reply::Json {
                status: 200,
                body: "<html>hello</html>".into(),
                headers: vec![("Content-Type".into(), "text/html".into())],
            },
            "not the JSON object",
        ),
        (
            "wrong types",
            Reply::json(500, r#"{"error": {"code": 500}}"#),
            "not an agent-rooms error envelope",
        ),
    ];
    for (i, (name, reply, says)) in cases.into_iter().enumerate() {
        let api = Api::start(move |_| reply.clone());
        let f = fixture(&api.url());
        let snap = format!("broken_answers_are_bad_responses_never_success-{}", i + 1);
        let (code, v) = run(&f, &snap, &[]);
        assert_eq!(code, 1, "{name}");
        assert_eq!(codes(&v, "api"), ["API_BAD_RESPONSE"], "{name}: {v}");
        let fnd = &check(&v, "api")["findings"][0];
        assert!(
            fnd["message"].as_str().unwrap().contains(says),
            "{name}: {fnd}"
        );
        if name == "html 502" {
            assert_eq!(fnd["request_id"], "8f1e2d3c4b5a-AMS");
            assert!(fnd["message"].as_str().unwrap().contains("502 Bad Gateway"));
        }
    }
}

#[test]
fn a_slow_api_is_unreachable_by_timeout_within_the_bound() {
    let api = Api::start(|_| {
        Reply::After(
            Duration::from_secs(30),
            Box::new(Reply::json(200, WHOAMI_OK)),
        )
    });
    let f = fixture(&api.url());
    run(
        &f,
        "a_slow_api_is_unreachable_by_timeout_within_the_bound-1",
        &["--timeout", "2"],
    ); // no format leaks the token
    let t = Instant::now();
    let run: &[&str] = &[
        "token",
        "device",
        "api",
        "--home",
        f.ar_home.to_str().unwrap(),
        "--timeout",
        "2",
    ];
    f.human(
        "a_slow_api_is_unreachable_by_timeout_within_the_bound-2",
        run,
    );
    let (code, v, _) = f.json(run);
    assert!(
        t.elapsed() < Duration::from_secs(10),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(code, 1);
    assert_eq!(codes(&v, "api"), ["API_UNREACHABLE"]);
    assert!(
        check(&v, "api")["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("timed out"),
        "{v}"
    );
    assert_eq!(
        status(&v, "token"),
        "skip",
        "a timeout is never a bad token"
    );
    assert!(codes(&v, "token").is_empty());
    assert_eq!(status(&v, "device"), "skip");
}

#[test]
fn resets_and_refusals_say_which() {
    let api = Api::start(|_| Reply::Reset);
    let f = fixture(&api.url());
    let (_, v) = run(&f, "resets_and_refusals_say_which-1", &[]);
    assert_eq!(codes(&v, "api"), ["API_UNREACHABLE"]);
    assert!(
        check(&v, "api")["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("connection reset or closed early"),
        "{v}"
    );
    assert_eq!(status(&v, "token"), "skip");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let f = fixture(&format!("http://127.0.0.1:{port}"));
    let (_, v) = run(&f, "resets_and_refusals_say_which-2", &[]);
    assert!(
        check(&v, "api")["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("connection refused"),
        "{v}"
    );
}

#[test]
fn a_redirect_is_reported_and_never_followed_with_the_token() {
    let second = Api::healthy();
    let target = format!("{}/v1/whoami", second.url());
    let api = Api::start(move |_| Reply::Json {
        status: 302,
        body: String::new(),
        headers: vec![("Location".into(), target.clone())],
    });
    let f = fixture(&api.url());
    let (_, v) = run(
        &f,
        "a_redirect_is_reported_and_never_followed_with_the_token-1",
        &[],
    );
    assert_eq!(codes(&v, "api"), ["API_BAD_RESPONSE"]);
    assert!(check(&v, "api")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains(&format!("redirect to {}", second.url())));
    assert!(
        second
            .requests()
            .iter()
            .all(|r| r.header("authorization").is_none()),
        "the second server got the token"
    );
    assert!(second.requests().is_empty());
}

#[test]
fn a_skewed_clock_warns() {
    let api = Api::start(|r| {
        let body = if r.path.starts_with("/v1/devices/") {
            DEVICE_OK
        } else {
            WHOAMI_OK
        };
        Reply::json(200, body).with_header("Date", "Mon, 01 Jan 2024 00:00:00 GMT")
    });
    let f = fixture(&api.url());
    let (code, v) = run(&f, "a_skewed_clock_warns-1", &[]);
    assert_eq!(codes(&v, "api"), ["CLOCK_SKEW"]);
    assert_eq!(status(&v, "api"), "warn");
    assert_eq!(code, 0);
    let (code, _) = run(&f, "a_skewed_clock_warns-2", &["--strict"]);
    assert_eq!(code, 1);
}

#[test]
fn unknown_devices_and_missing_pairing() {
    let api = Api::start(|r| {
        if r.path.starts_with("/v1/devices/") {
            Reply::error("NOT_FOUND", 404)
        } else {
            Reply::json(200, WHOAMI_OK)
        }
    });
    let f = fixture(&api.url());
    let (_, v) = run(&f, "unknown_devices_and_missing_pairing-1", &[]);
    assert_eq!(codes(&v, "device"), ["DEVICE_UNKNOWN_TO_SERVER"]);
    assert_eq!(
        check(&v, "device")["findings"][0]["request_id"],
        "req-not_found"
    );
    std::fs::remove_file(f.ar_home.join("device.json")).unwrap();
    let (_, v) = run(&f, "unknown_devices_and_missing_pairing-2", &[]);
    assert_eq!(codes(&v, "device"), ["DEVICE_NOT_PAIRED"]);
    f.write("device.json", r#"{"name": "no id"}"#);
    let (_, v) = run(&f, "unknown_devices_and_missing_pairing-3", &[]);
    assert_eq!(codes(&v, "device"), ["CONFIG_INVALID"]);
}

#[test]
fn the_device_lookup_waits_for_an_accepted_token() {
    let api = Api::start(|_| Reply::error("REVOKED", 401));
    let f = fixture(&api.url());
    let (_, v) = run(
        &f,
        "the_device_lookup_waits_for_an_accepted_token-1",
        &["--skip", "token"],
    );
    assert_eq!(status(&v, "token"), "skip");
    assert!(
        check(&v, "device")["summary"]
            .as_str()
            .unwrap()
            .ends_with("server lookup skipped: the token check is skip: not run: --skip token"),
        "{v}"
    );
    let (_, v) = run(&f, "the_device_lookup_waits_for_an_accepted_token-2", &[]);
    assert_eq!(status(&v, "device"), "skip");
    assert!(
        check(&v, "device")["summary"]
            .as_str()
            .unwrap()
            .ends_with("server lookup skipped: the token check is fail (REVOKED)"),
        "{v}"
    );
    assert!(
        api.requests().iter().all(|r| r.path == "/v1/whoami"),
        "no device lookup with a revoked token"
    );
}

fn jwt(exp: i64) -> String {
    use base64::Engine;
    let b = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.{}",
        b(r#"{"alg":"HS256","typ":"JWT"}"#),
        b(&format!(r#"{{"sub":"agt_test1","exp":{exp}}}"#)),
        b("TOPSECRETsignature")
    )
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn token_missing_expired_expiring_and_too_open() {
    let api = Api::healthy();
    let f = fixture(&api.url());
    f.write("config.json", &format!(r#"{{"api_url": "{}"}}"#, api.url()));
    let (_, v) = run(&f, "token_missing_expired_expiring_and_too_open-1", &[]);
    assert_eq!(codes(&v, "token"), ["TOKEN_MISSING"]);

    // An expired JWT, judged offline.
    let t = f.dir.path().join("token");
    std::fs::write(&t, jwt(now() - 86400)).unwrap();
    std::fs::set_permissions(&t, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let out = f
        .doctor()
        .args([
            "token",
            "--home",
            f.ar_home.to_str().unwrap(),
            "--offline",
            "--json",
            "--token-file",
            t.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("TOPSECRET"));
    let v: serde_json::Value = common::document(text.as_bytes());
    assert_eq!(codes(&v, "token"), ["TOKEN_EXPIRED"]);

    // The server says it expires in two days; the token file is readable by others.
    let soon = time::OffsetDateTime::now_utc() + time::Duration::days(2);
    let body = format!(
        r#"{{"agent_id":"agt_test1","owner_id":"own_test1","scopes":["READ"],"expires_at":"{}"}}"#,
        soon.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    );
    let api2 = Api::start(move |r| {
        Reply::json(
            200,
            if r.path.starts_with("/v1/devices/") {
                DEVICE_OK
            } else {
                &body
            },
        )
    });
    std::fs::write(&t, TOKEN).unwrap();
    std::fs::set_permissions(&t, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let (code, v) = run(
        &f,
        "token_missing_expired_expiring_and_too_open-2",
        &[
            "--api-url",
            &api2.url(),
            "--token-file",
            t.to_str().unwrap(),
        ],
    );
    assert_eq!(
        codes(&v, "token"),
        ["TOKEN_FILE_TOO_OPEN", "TOKEN_EXPIRING_SOON"]
    );
    assert_eq!(
        check(&v, "token")["findings"][0]["remedy"]["commands"][0],
        format!("chmod 600 {}", t.display())
    );
    assert_eq!(code, 0, "warnings only");
    assert!(check(&v, "token")["summary"]
        .as_str()
        .unwrap()
        .contains("--token-file"));
}

#[test]
fn no_url_offline_and_insecure_urls_make_no_request() {
    let f = fixture("http://api.example.invalid:8080");
    let (code, v) = run(
        &f,
        "no_url_offline_and_insecure_urls_make_no_request-1",
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(codes(&v, "api"), ["API_INSECURE_URL"]);
    assert_eq!(status(&v, "token"), "skip");
    let f = Fixture::new();
    f.write("config.json", &format!(r#"{{"token": "{TOKEN}"}}"#));
    let (_, v) = run(
        &f,
        "no_url_offline_and_insecure_urls_make_no_request-2",
        &[],
    );
    assert_eq!(
        (status(&v, "api"), codes(&v, "api")),
        ("skip", vec!["API_URL_MISSING".to_string()])
    );
    let api = Api::healthy();
    let (_, v) = run(
        &fixture(&api.url()),
        "no_url_offline_and_insecure_urls_make_no_request-3",
        &["--offline"],
    );
    assert_eq!(status(&v, "api"), "skip");
    assert!(api.requests().is_empty());
    // The environment and the flag override config.json, in that order.
    let f = fixture("http://127.0.0.1:1");
    let out = f
        .doctor()
        .env("AGENT_ROOMS_API_URL", api.url())
        .args(["api", "--json", "--home", f.ar_home.to_str().unwrap()])
        .output()
        .unwrap();
    let v: serde_json::Value = common::document(&out.stdout);
    assert_eq!(status(&v, "api"), "pass", "{v}");
}

#[test]
fn a_self_signed_certificate_is_refused() {
    let (api, _) = common::api::start_tls_self_signed();
    let f = fixture(&format!("https://127.0.0.1:{}", api.port));
    let (code, v) = run(&f, "a_self_signed_certificate_is_refused-1", &[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&v, "api"), ["API_UNREACHABLE"]);
    let msg = check(&v, "api")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("TLS failed"), "{msg}");
    assert!(
        api.requests().is_empty(),
        "a request (with the token) went over an untrusted connection"
    );
    assert_eq!(status(&v, "token"), "skip");
}

/// A listener started by `f` whose environment holds `extra`.
fn listener_with(f: &mut Fixture, extra: &[(&str, &str)]) -> u32 {
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    f.listen_with(
        &["/bin/sh", script.to_str().unwrap(), "watch"],
        "/usr/bin:/bin",
        extra,
    )
}

#[test]
fn a_token_and_url_only_in_the_listeners_environment_are_found_and_used() {
    let api = Api::healthy();
    let mut f = Fixture::with_listeners();
    // config.json has neither: the listener's (service) environment holds both.
    f.write("config.json", r#"{"host": "codex"}"#);
    let url = api.url();
    let pid = listener_with(
        &mut f,
        &[("AGENT_ROOMS_TOKEN", TOKEN), ("AGENT_ROOMS_API_URL", &url)],
    );
    let (_, v) = run(
        &f,
        "a_token_and_url_only_in_the_listeners_environment_are_found_and_used-1",
        &[],
    );
    assert_eq!(status(&v, "token"), "pass", "{v}");
    assert_eq!(status(&v, "api"), "pass", "{v}");
    let source = check(&v, "token")["facts"]["source"].to_string();
    assert!(
        source.contains(&format!("AGENT_ROOMS_TOKEN of listener pid {pid}")),
        "{source}"
    );
    // The request carried the listener's token.
    let seen = api.requests();
    assert!(seen
        .iter()
        .any(|r| r.header("authorization") == Some(&format!("Bearer {TOKEN}"))));
    // The doctor's own shell has neither: the difference is said once, in the api check.
    let api_check = check(&v, "api");
    let summary = api_check["summary"].as_str().unwrap();
    assert!(
        summary.contains(&format!("judged as listener pid {pid} (user "))
            && summary.contains("which differs from your shell: API URL http://127.0.0.1:")
            && summary.contains("(yours: none); token ar_l…(33 chars, #f215d4) (yours: none)"),
        "{summary}"
    );
    assert_eq!(api_check["facts"]["seen_as"]["listener_pid"], pid);
    let said = all_text(
        &f.doctor()
            .args(["--home", f.ar_home.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    assert_eq!(said.matches("differs from your shell").count(), 1, "{said}");
}

#[test]
fn a_listener_running_with_another_token_than_the_one_asked_for_is_called_out() {
    let api = Api::healthy();
    let mut f = Fixture::with_listeners();
    f.write(
        "config.json",
        &format!(r#"{{"api_url": "{}", "token": "{TOKEN}"}}"#, api.url()),
    );
    listener_with(
        &mut f,
        &[("AGENT_ROOMS_TOKEN", "ar_live_OTHERSECRETlistenertoken")],
    );
    // The person asks for config's token with --token-file: the listener uses another.
    let t = f.dir.path().join("token");
    std::fs::write(&t, TOKEN).unwrap();
    std::fs::set_permissions(&t, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let out = f
        .doctor()
        .args(["token", "--json", "--token-file", t.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains("OTHERSECRET") && !text.contains("TOPSECRET"),
        "{text}"
    );
    let v: serde_json::Value = common::document(text.as_bytes());
    assert_eq!(codes(&v, "token"), ["TOKEN_LISTENER_MISMATCH"]);
    assert_eq!(status(&v, "token"), "warn");
}

/// The listener's environment holds a revoked token and config.json a valid one of the same
/// prefix and length: the listener's is judged (REVOKED), and the doctor says that config.json
/// holds another, unused, one, each by its fingerprint, so the person does not edit config.json
/// and restart for nothing.
#[test]
fn a_config_token_the_listener_does_not_use_is_said_with_both_fingerprints() {
    const REVOKED_TOKEN: &str = "ar_live_Zx81TOPSECRETrevokedValue";
    assert_eq!(REVOKED_TOKEN.len(), TOKEN.len());
    let api = Api::start(|r| {
        if r.header("authorization") == Some(&format!("Bearer {REVOKED_TOKEN}")) {
            Reply::error("REVOKED", 401)
        } else if r.path.starts_with("/v1/devices/") {
            Reply::json(200, DEVICE_OK)
        } else {
            Reply::json(200, WHOAMI_OK)
        }
    });
    let mut f = Fixture::with_listeners();
    f.write(
        "config.json",
        &format!(r#"{{"api_url": "{}", "token": "{TOKEN}"}}"#, api.url()),
    );
    let pid = listener_with(&mut f, &[("AGENT_ROOMS_TOKEN", REVOKED_TOKEN)]);
    let (code, v) = run(
        &f,
        "a_config_token_the_listener_does_not_use_is_said_with_both_fingerprints-1",
        &[],
    );
    assert_eq!(code, 1, "{v}");
    assert_eq!(
        codes(&v, "token"),
        ["REVOKED", "TOKEN_LISTENER_MISMATCH"],
        "{v}"
    );
    let (env_mask, file_mask) = (
        agent_rooms_doctor::redact::mask(REVOKED_TOKEN),
        agent_rooms_doctor::redact::mask(TOKEN),
    );
    // Same head and length: only the fingerprints tell them apart.
    assert_eq!(
        env_mask[..env_mask.find('#').unwrap()],
        file_mask[..file_mask.find('#').unwrap()]
    );
    assert_ne!(env_mask, file_mask);
    let token = check(&v, "token");
    assert_eq!(v["start_here"]["code"], "REVOKED");
    let msg = token["findings"][1]["message"].as_str().unwrap();
    assert!(
        msg.contains(&env_mask)
            && msg.contains(&file_mask)
            && msg.contains(&format!("AGENT_ROOMS_TOKEN of listener pid {pid}")),
        "{msg}"
    );
    let summary = token["summary"].as_str().unwrap();
    assert!(
        summary.contains(&env_mask) && summary.contains("not the other token in"),
        "{summary}"
    );
    assert_eq!(token["facts"]["unused_config_token"][1], file_mask.as_str());
}

#[test]
fn prose_that_mentions_a_token_is_not_masked() {
    // A message such as "… from --token-file /x/token: REVOKED" once lost its code to the redactor.
    let api = Api::start(|_| Reply::error("REVOKED", 401));
    let f = fixture(&api.url());
    let t = f.dir.path().join("token");
    std::fs::write(&t, TOKEN).unwrap();
    std::fs::set_permissions(&t, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let (_, v) = run(
        &f,
        "prose_that_mentions_a_token_is_not_masked-1",
        &["--token-file", t.to_str().unwrap()],
    );
    let msg = check(&v, "token")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains(&format!("{}: REVOKED (HTTP 401)", t.display())),
        "{msg}"
    );
}

/// CONTRACT §3: a secret of a shape the redactor does not know (an opaque token) that the API
/// echoes back in its message is masked by value, in every format and the bundle, also
/// URL-encoded; a URL's password is masked whole; the request carries one Authorization.
#[test]
fn secrets_read_are_masked_by_value_wherever_they_reappear() {
    const OPAQUE: &str = "opaque+Tok/en=value77";
    let echo = format!(
        r#"{{"error":{{"code":"REVOKED","status":401,"message":"token {OPAQUE} (sent as {}) is revoked","request_id":"req-echo"}}}}"#,
        OPAQUE
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
    );
    let api = Api::start(move |req| {
        // Exactly one Authorization, the bearer token: no basic auth from the URL's user info.
        let auths: Vec<&str> = req
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("authorization"))
            .map(|(_, v)| v.as_str())
            .collect();
        if auths != [format!("Bearer {OPAQUE}").as_str()] {
            return Reply::error("VALIDATION", 400);
        }
        Reply::json(401, &echo)
    });
    let f = Fixture::new();
    let url = api
        .url()
        .replace("http://", "http://alice:pa%40ss@wd-TOPSECRET@");
    f.write(
        "config.json",
        &format!(r#"{{"api_url": "{url}", "token": "{OPAQUE}"}}"#),
    );
    let home = f.ar_home.to_str().unwrap();
    let mut seen = String::new();
    for format in ["human", "json", "markdown", "junit", "github"] {
        let out = f
            .doctor()
            .args(["token", "api", "--home", home, "--format", format, "-v"])
            .output()
            .unwrap();
        seen.push_str(&all_text(&out));
    }
    seen.push_str(&all_text(
        &f.doctor()
            .args(["report", "--home", home])
            .output()
            .unwrap(),
    ));
    seen.push_str(&all_text(
        &f.doctor()
            .args(["report", "--home", home, "--json"])
            .output()
            .unwrap(),
    ));
    assert!(
        seen.contains("REVOKED"),
        "the API was reached with one Authorization: {seen}"
    );
    for leaked in [
        OPAQUE,
        "opaque%2BTok%2Fen%3Dvalue77",
        "Tok/en=value77",
        "TOPSECRET",
        "pa%40ss@wd",
        "pa@ss@wd",
    ] {
        assert!(!seen.contains(leaked), "{leaked} leaked:\n{seen}");
    }
}

/// CONTRACT §1: a token that cannot be a bearer token (a line break inside, as a copy-paste
/// leaves it) is TOKEN_MALFORMED, never a network error; nothing is sent.
#[test]
fn a_malformed_token_is_never_a_network_error() {
    let api = Api::healthy();
    let f = Fixture::new();
    f.write(
        "config.json",
        &serde_json::json!({"api_url": api.url(), "token": "ar_live_MALFORMED0123\n456789"})
            .to_string(),
    );
    let run: &[&str] = &["token", "api", "--home", f.ar_home.to_str().unwrap()];
    f.human("a_malformed_token_is_never_a_network_error-1", run);
    let (code, v, all) = f.json(run);
    assert_eq!(code, 1, "{v}");
    assert_eq!(codes(&v, "token"), ["TOKEN_MALFORMED"], "{v}");
    assert_eq!(status(&v, "api"), "skip", "{v}");
    assert!(check(&v, "api")["summary"]
        .as_str()
        .unwrap()
        .contains("the token holds a line break, so it cannot be sent"));
    assert!(!all.contains("MALFORMED0123"), "{all}");
}

#[test]
fn the_api_is_reached_through_the_listeners_proxy() {
    let Some(proxy) = common::Proxy::start() else {
        return;
    };
    let api = Api::healthy();
    let mut f = fixture(&api.url());
    let pid = listener_with(&mut f, &[("HTTP_PROXY", &proxy.url())]);
    let (code, v) = run(&f, "the_api_is_reached_through_the_listeners_proxy-1", &[]);
    assert_eq!(code, 0, "{v}");
    // tinyproxy says it forwarded the request: the doctor went the listener's way, not its own.
    let seen = api.requests();
    assert!(!seen.is_empty());
    assert!(
        seen.iter()
            .all(|r| r.header("via").is_some_and(|v| v.contains("tinyproxy"))),
        "{seen:?}"
    );
    let a = check(&v, "api");
    assert_eq!(a["facts"]["via_proxy"], proxy.url());
    let summary = a["summary"].as_str().unwrap();
    assert!(
        summary.contains(&format!("; through proxy {}", proxy.url()))
            && summary.ends_with(&format!("proxy HTTP_PROXY={} (yours: none)", proxy.url())),
        "{summary}"
    );
    // The listener judged is this test's (its proxy is in the summary); which pid it had is
    // said in the facts.
    assert_eq!(
        a["facts"]["seen_as"]["listener_pid"],
        pid,
        "listener pid {pid}; the listeners seen: {}",
        check(&v, "api")["facts"]["seen_as"]
    );
}

#[test]
fn a_listener_behind_a_dead_proxy_is_named() {
    let api = Api::healthy();
    let mut f = fixture(&api.url());
    let dead = format!("http://127.0.0.1:{}", common::free_port());
    listener_with(&mut f, &[("HTTP_PROXY", &dead), ("HTTPS_PROXY", &dead)]);
    let (code, v) = run(&f, "a_listener_behind_a_dead_proxy_is_named-1", &[]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(codes(&v, "api"), ["API_UNREACHABLE"]);
    let msg = check(&v, "api")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.starts_with(&format!(
            "the listener reaches the API through {dead}, which refuses connections; GET {}/v1/whoami: connection refused",
            api.url()
        )),
        "{msg}"
    );
    assert!(
        api.requests().is_empty(),
        "the request went around the proxy"
    );
}

#[test]
fn the_listeners_ca_certificates_are_trusted_as_it_trusts_them() {
    let (api, pem) = common::api::start_tls_self_signed();
    let mut f = fixture(&format!("https://127.0.0.1:{}", api.port));
    let ca = f.dir.path().join("extra-ca.pem");
    std::fs::write(&ca, pem).unwrap();
    listener_with(&mut f, &[("NODE_EXTRA_CA_CERTS", ca.to_str().unwrap())]);
    let (_, v) = run(
        &f,
        "the_listeners_ca_certificates_are_trusted_as_it_trusts_them-1",
        &["--skip", "device"],
    );
    // The listener trusts the certificate (NODE_EXTRA_CA_CERTS), so the doctor does too, and
    // the request is made; the doctor's own shell, without it, is refused (the test above).
    assert_eq!(status(&v, "api"), "pass", "{v}");
    assert!(!api.requests().is_empty());
}
