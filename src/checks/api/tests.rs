//! The api check's rules, from hand-built facts.

use super::*;
use crate::settings::Source;

pub(crate) const NOW: i64 = 1_795_608_000;

use crate::probes::http::test_response as resp;
/// Facts of a made call to https://api.example (given by --api-url) that got `r`.
pub(crate) fn facts(r: HttpResult) -> Facts {
    let call = Some(Call::Made {
        url: "https://api.example/v1/whoami".into(),
        result: Box::new(r),
    });
    Facts {
        offline: false,
        api_url: Some(Setting {
            value: "https://api.example".into(),
            source: Source::Flag("--api-url".into()),
        }),
        config_problem: None,
        url_problem: None,
        insecure: false,
        proxy_env: vec![],
        via_proxy: None,
        seen_as: SeenAs::default(),
        answer: classified(call.as_ref()),
        call,
        now: NOW,
    }
}
fn codes(d: &Diagnosis) -> Vec<&str> {
    d.findings.iter().map(|f| f.code.as_str()).collect()
}
const WHOAMI: &str =
    r#"{"agent_id":"agt_1","owner_id":"own_1","scopes":["READ"],"expires_at":null}"#;

#[test]
fn a_good_answer_passes_and_auth_errors_are_for_the_token_check() {
    let d = diagnose(&facts(HttpResult::Response(resp(200, WHOAMI))));
    assert_eq!(d.status, Status::Pass);
    assert_eq!(d.summary, "reachable: HTTP 200 in 12 ms (HTTP/1.1)");
    let d = diagnose(&facts(HttpResult::Response(resp(
        401,
        r#"{"error":{"code":"REVOKED","status":401}}"#,
    ))));
    assert_eq!(d.status, Status::Pass);
    assert!(d.summary.contains("REVOKED (judged by the token check)"));
}

#[test]
fn not_configured_offline_insecure_and_malformed() {
    let mut f = facts(HttpResult::Response(resp(200, WHOAMI)));
    f.api_url = None;
    f.config_problem = Some("/h/config.json is not valid JSON at line 1 column 1".into());
    let d = diagnose(&f);
    assert_eq!((d.status, codes(&d)), (Status::Skip, vec![]));
    assert!(
        d.summary.contains("config.json is unreadable"),
        "{}",
        d.summary
    );
    f.config_problem = None;
    let d = diagnose(&f);
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Skip, vec!["API_URL_MISSING"])
    );
    let mut f = facts(HttpResult::Response(resp(200, WHOAMI)));
    f.offline = true;
    assert_eq!(diagnose(&f).status, Status::Skip);
    let mut f = facts(HttpResult::Response(resp(200, WHOAMI)));
    f.insecure = true;
    assert_eq!(codes(&diagnose(&f)), vec!["API_INSECURE_URL"]);
    let mut f = facts(HttpResult::Response(resp(200, WHOAMI)));
    f.url_problem = Some("relative URL without a base".into());
    assert_eq!(codes(&diagnose(&f)), vec!["CONFIG_INVALID"]);
    // A flag's value is fixed on the command line, a variable's where it is set, a file's in it.
    let steps = |f: &Facts| diagnose(f).findings[0].remedy.steps.clone();
    let by_flag = steps(&f);
    assert_eq!(by_flag.len(), 1);
    assert!(
        by_flag[0].starts_with("Give --api-url the API's base URL"),
        "{by_flag:?}"
    );
    f.api_url.as_mut().unwrap().source = Source::Env("AGENT_ROOMS_API_URL".into());
    let by_env = steps(&f);
    assert!(
        by_env.len() == 1 && by_env[0].starts_with("Set AGENT_ROOMS_API_URL"),
        "{by_env:?}"
    );
    f.api_url.as_mut().unwrap().source = Source::Config("/h/config.json".into());
    assert!(steps(&f)[0].contains("file"), "{:?}", steps(&f));
}

#[test]
fn a_proxy_that_fails_is_named_as_the_listeners() {
    let refused = || HttpResult::Failed {
        kind: FailKind::Refused,
        detail: "tcp connect error".into(),
        elapsed_ms: 1,
        from_library: true,
    };
    let mut f = facts(refused());
    f.via_proxy = Some("http://127.0.0.1:9".into());
    f.seen_as = SeenAs {
        whose: "listener pid 42 (user alice)".into(),
        listener_pid: Some(42),
        ..SeenAs::default()
    };
    let d = diagnose(&f);
    assert_eq!(codes(&d), vec!["API_UNREACHABLE"]);
    assert!(
        d.findings[0].message.starts_with(
            "the listener reaches the API through http://127.0.0.1:9, which refuses connections; GET "
        ),
        "{}",
        d.findings[0].message
    );
    // Without a listener it is the doctor's own proxy; a timeout is not the proxy's refusal.
    f.seen_as.doctor_stands_in = Some("no listener".into());
    f.call = Some(Call::Made {
        url: "https://api.example/v1/whoami".into(),
        result: Box::new(HttpResult::Failed {
            kind: FailKind::Timeout,
            detail: "operation timed out".into(),
            elapsed_ms: 1,
            from_library: true,
        }),
    });
    let m = &diagnose(&f).findings[0].message;
    assert!(
        m.starts_with("the doctor reaches the API through http://127.0.0.1:9; GET "),
        "{m}"
    );
    for (kind, said) in [
        (FailKind::Connect, "which cannot be connected to"),
        (FailKind::Dns, "whose name does not resolve"),
    ] {
        f.call = Some(Call::Made {
            url: "u".into(),
            result: Box::new(HttpResult::Failed {
                kind,
                detail: "d".into(),
                elapsed_ms: 1,
                from_library: true,
            }),
        });
        assert!(diagnose(&f).findings[0].message.contains(said));
    }
}

#[test]
fn a_reachable_api_says_its_proxy_and_where_your_view_differs() {
    let mut f = facts(HttpResult::Response(resp(200, WHOAMI)));
    assert!(!diagnose(&f).summary.contains("proxy"));
    f.via_proxy = Some("http://proxy:3128".into());
    f.seen_as = SeenAs {
        whose: "listener pid 42 (user alice)".into(),
        listener_pid: Some(42),
        differs: vec![crate::ctx::Difference {
            what: "API URL".into(),
            listener: "https://a/".into(),
            yours: "https://b/".into(),
        }],
        ..SeenAs::default()
    };
    let d = diagnose(&f);
    assert_eq!(d.status, Status::Pass);
    assert!(
        d.summary.ends_with(
            "; through proxy http://proxy:3128; judged as listener pid 42 (user alice) sees it, \
                which differs from your shell: API URL https://a/ (yours: https://b/)"
        ),
        "{}",
        d.summary
    );
}

#[test]
fn an_unreadable_listener_environment_is_said() {
    let mut f = facts(HttpResult::Response(resp(200, WHOAMI)));
    f.seen_as = SeenAs {
        whose: "your environment".into(),
        doctor_stands_in: Some("no listener is running: your environment stands in".into()),
        ..SeenAs::default()
    };
    // With no listener at all, that is the usual case: nothing to add.
    assert!(!diagnose(&f).summary.contains("stands in"));
    f.seen_as.listener_pid = Some(42);
    f.seen_as.doctor_stands_in = Some(
        "the environment of listener pid 42 (user bob) is not readable (permission denied): its \
            AGENT_ROOMS_TOKEN, AGENT_ROOMS_API_URL and proxy settings are not seen; your environment \
            stands in"
            .into(),
    );
    let d = diagnose(&f);
    assert!(
        d.summary.ends_with("; your environment stands in"),
        "{}",
        d.summary
    );
    assert!(d.summary.contains("is not readable (permission denied)"));
}

#[test]
fn failures_say_which_kind() {
    let d = diagnose(&facts(HttpResult::Failed {
        kind: FailKind::Refused,
        detail: "tcp connect error".into(),
        elapsed_ms: 1,
        from_library: true,
    }));
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Fail, vec!["API_UNREACHABLE"])
    );
    assert!(d.findings[0].message.contains("connection refused"));
    assert!(!d.findings[0].message.contains("proxy"));
    // The proxy settings in use are named with an unreachable API, and only then.
    let mut f = facts(HttpResult::Failed {
        kind: FailKind::Refused,
        detail: "tcp connect error".into(),
        elapsed_ms: 1,
        from_library: true,
    });
    f.proxy_env = vec!["HTTPS_PROXY=http://proxy:3128".into()];
    let d = diagnose(&f);
    assert!(d.findings[0]
        .message
        .ends_with("; proxy settings in use: HTTPS_PROXY=http://proxy:3128"));
}

#[test]
fn server_errors_rate_limits_and_bad_bodies() {
    let mut r = resp(
        500,
        r#"{"error":{"code":"INTERNAL","status":500,"message":"boom","request_id":"req-9"}}"#,
    );
    let d = diagnose(&facts(HttpResult::Response(r.clone())));
    assert_eq!(codes(&d), vec!["INTERNAL"]);
    assert_eq!(d.findings[0].request_id.as_deref(), Some("req-9"));
    r = resp(502, "<html><body>502 Bad Gateway</body></html>");
    r.content_type = Some("text/html".into());
    r.cf_ray = Some("8a1b2c-AMS".into());
    let d = diagnose(&facts(HttpResult::Response(r)));
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Fail, vec!["API_BAD_RESPONSE"])
    );
    assert!(
        d.findings[0].message.contains("text/html")
            && d.findings[0].message.contains("502 Bad Gateway")
    );
    assert_eq!(d.findings[0].request_id.as_deref(), Some("8a1b2c-AMS"));
    let mut r = resp(429, r#"{"error":{"code":"RATE_LIMITED","status":429}}"#);
    r.retry_after = Some("30".into());
    let d = diagnose(&facts(HttpResult::Response(r)));
    assert_eq!((d.status, codes(&d)), (Status::Warn, vec!["RATE_LIMITED"]));
    assert!(d.findings[0].message.contains("Retry-After: 30"));
    // A 404 on whoami is a wrong URL path, envelope or not, with the id to quote.
    let mut r = resp(
        404,
        r#"{"error":{"code":"NOT_FOUND","status":404,"request_id":"req-4"}}"#,
    );
    r.cf_ray = Some("ray-4".into());
    let d = diagnose(&facts(HttpResult::Response(r)));
    assert_eq!((d.status, codes(&d)), (Status::Fail, vec!["API_URL_WRONG"]));
    assert_eq!(d.findings[0].request_id.as_deref(), Some("req-4"));
    assert!(d.findings[0].message.contains("HTTP 404 (NOT_FOUND)"));
    let mut r = resp(404, "<html>Not Found</html>");
    r.cf_ray = Some("ray-4".into());
    let d = diagnose(&facts(HttpResult::Response(r)));
    assert_eq!(codes(&d), vec!["API_URL_WRONG"]);
    assert_eq!(d.findings[0].request_id.as_deref(), Some("ray-4"));
    for body in ["", "{\"agent_id\":", "[1]"] {
        assert_eq!(
            codes(&diagnose(&facts(HttpResult::Response(resp(200, body))))),
            vec!["API_BAD_RESPONSE"],
            "{body:?}"
        );
    }
    let mut r = resp(302, "");
    r.location = Some("http://127.0.0.1:9/elsewhere".into());
    let d = diagnose(&facts(HttpResult::Response(r)));
    assert!(d.findings[0]
        .message
        .contains("redirect to http://127.0.0.1:9/elsewhere"));
}

#[test]
fn clock_skew_over_a_minute_warns() {
    let mut r = resp(200, WHOAMI);
    r.date = Some("Wed, 25 Nov 2026 11:50:00 GMT".into());
    let d = diagnose(&facts(HttpResult::Response(r)));
    assert_eq!((d.status, codes(&d)), (Status::Warn, vec!["CLOCK_SKEW"]));
    assert!(d.findings[0].message.contains("10m 0s ahead of"));
    let mut r = resp(200, WHOAMI);
    r.date = Some("Wed, 25 Nov 2026 11:59:30 GMT".into());
    assert_eq!(
        diagnose(&facts(HttpResult::Response(r))).status,
        Status::Pass
    );
}
