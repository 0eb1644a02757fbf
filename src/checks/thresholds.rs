//! Boundary tables: every threshold and rule of the checks' diagnoses, tried on each side, as
//! rows that read like the contract. Each check's own tests cover its findings' wording; these
//! pin where a verdict turns.

use crate::api::asked::Asked;
use crate::api::{Answer, Envelope};
use crate::checks::{api, listener, token};
use crate::model::outcome::{Diagnosis, Status};
use crate::probes::http::{HttpResult, Response};
use crate::settings::Source;
use crate::time_util;

/// 2026-11-25T12:00:00Z
const NOW: i64 = 1_795_608_000;
const DAY: i64 = 24 * 3600;

fn codes(d: &Diagnosis) -> Vec<&str> {
    d.findings.iter().map(|f| f.code.as_str()).collect()
}

// ---- listener: the heartbeat is stale after 90 s ----------------------------------------------

fn listener_with_heartbeat(age_secs: i64) -> listener::Facts {
    let beat = time_util::rfc3339(NOW - age_secs);
    let mut f = listener::tests::facts(
        vec![listener::tests::proc(42, 1000, "alice")],
        listener::tests::state(42, &beat, true),
    );
    f.now = NOW;
    f
}

#[test]
fn the_heartbeat_is_stale_only_past_90_seconds() {
    let rows: &[(i64, Status, &[&str])] = &[
        (0, Status::Pass, &[]),
        (30, Status::Pass, &[]),
        (89, Status::Pass, &[]),
        (90, Status::Pass, &[]),
        (91, Status::Fail, &["LISTENER_STALE_HEARTBEAT"]),
        (600, Status::Fail, &["LISTENER_STALE_HEARTBEAT"]),
        // A heartbeat from the future (a skewed clock) is not stale.
        (-30, Status::Pass, &[]),
    ];
    for (age, status, want) in rows {
        let d = listener::diagnose(&listener_with_heartbeat(*age));
        assert_eq!(
            (d.status, codes(&d)),
            (*status, want.to_vec()),
            "heartbeat {age} s old"
        );
    }
}

// ---- token: expired at or before now; expiring soon under 7 days; file mode ------------------

fn token_facts(server: Asked<token::Whoami>) -> token::Facts {
    token::Facts {
        source: Some(Source::Config("/h/config.json".into())),
        masked: Some("ar_l…(24 chars)".into()),
        token_file_problem: None,
        config_problem: None,
        config_denied: None,
        file: Some(token::TokenFile::plain(
            "/h/config.json",
            0o600,
            1000,
            "alice",
        )),
        me_uid: 1000,
        elevation: Default::default(),
        jwt_exp: None,
        malformed: None,
        listener_tokens_differ: vec![],
        unused_config_token: None,
        server,
        now: NOW,
    }
}

fn accepted(expires_at: Option<i64>) -> Asked<token::Whoami> {
    Asked::Answered(Answer::Accepted {
        body: token::Whoami {
            agent_id: Some("agt_1".into()),
            owner_id: Some("own_1".into()),
            scopes: vec!["READ".into()],
            expires_at: expires_at.map(time_util::rfc3339),
        },
    })
}

/// (seconds from now to the expiry, status, codes): the contract's "TOKEN_EXPIRING_SOON (< 7 days)".
const EXPIRY_ROWS: &[(i64, Status, &[&str])] = &[
    (-DAY, Status::Fail, &["TOKEN_EXPIRED"]),
    (-3600, Status::Fail, &["TOKEN_EXPIRED"]),
    (-1, Status::Fail, &["TOKEN_EXPIRED"]),
    (0, Status::Fail, &["TOKEN_EXPIRED"]),
    (1, Status::Warn, &["TOKEN_EXPIRING_SOON"]),
    (3600, Status::Warn, &["TOKEN_EXPIRING_SOON"]),
    (7 * DAY - 1, Status::Warn, &["TOKEN_EXPIRING_SOON"]),
    (7 * DAY, Status::Pass, &[]),
    (7 * DAY + 1, Status::Pass, &[]),
    (30 * DAY, Status::Pass, &[]),
];

#[test]
fn the_servers_expiry_turns_at_now_and_at_seven_days() {
    for (left, status, want) in EXPIRY_ROWS {
        let d = token::diagnose(&token_facts(accepted(Some(NOW + left))));
        assert_eq!(
            (d.status, codes(&d)),
            (*status, want.to_vec()),
            "{left} s left"
        );
    }
    let d = token::diagnose(&token_facts(accepted(None)));
    assert_eq!((d.status, codes(&d)), (Status::Pass, vec![]), "no expiry");
}

#[test]
fn a_jwts_expiry_turns_the_same_way_offline() {
    for (left, status, want) in EXPIRY_ROWS {
        let mut f = token_facts(Asked::No {
            why: "the api check is skip: offline".into(),
        });
        f.jwt_exp = Some(NOW + left);
        let d = token::diagnose(&f);
        // With nothing found the token check skips (the server was not asked).
        let status = if want.is_empty() {
            Status::Skip
        } else {
            *status
        };
        assert_eq!(
            (d.status, codes(&d)),
            (status, want.to_vec()),
            "JWT: {left} s left"
        );
    }
}

#[test]
fn the_servers_expiry_wins_over_the_jwts() {
    let mut f = token_facts(accepted(Some(NOW + 30 * DAY)));
    f.jwt_exp = Some(NOW - DAY);
    assert_eq!(codes(&token::diagnose(&f)), Vec::<&str>::new());
    let mut f = token_facts(accepted(Some(NOW - DAY)));
    f.jwt_exp = Some(NOW + 30 * DAY);
    assert_eq!(codes(&token::diagnose(&f)), vec!["TOKEN_EXPIRED"]);
}

#[test]
fn a_token_file_is_too_open_when_group_or_others_have_any_bit() {
    let rows: &[(u32, bool)] = &[
        (0o600, false),
        (0o400, false),
        (0o700, false),
        (0o1600, false),
        (0o640, true),
        (0o604, true),
        (0o610, true),
        (0o601, true),
        (0o620, true),
        (0o602, true),
        (0o644, true),
        (0o666, true),
        (0o777, true),
    ];
    for (mode, open) in rows {
        let mut f = token_facts(accepted(None));
        f.file = Some(token::TokenFile::plain("/h/token", *mode, 1000, "alice"));
        let d = token::diagnose(&f);
        let want: Vec<&str> = if *open {
            vec!["TOKEN_FILE_TOO_OPEN"]
        } else {
            vec![]
        };
        assert_eq!(codes(&d), want, "mode {mode:04o}");
        if *open {
            assert_eq!(d.status, Status::Warn);
            assert_eq!(d.findings[0].remedy.commands, vec!["chmod 600 /h/token"]);
        }
    }
}

fn env(code: &str, status: u16) -> Envelope {
    Envelope {
        code: code.into(),
        status: Some(status),
        message: None,
        request_id: Some("req-1".into()),
        fields: vec![],
    }
}

#[test]
fn only_an_answer_about_the_caller_judges_the_token() {
    // (what the API said, status, codes): a rate limit or server error says nothing of the token.
    let rows: Vec<(Asked<token::Whoami>, Status, Vec<&str>)> = vec![
        (
            Asked::Answered(Answer::Refused {
                envelope: env("REVOKED", 401),
            }),
            Status::Fail,
            vec!["REVOKED"],
        ),
        (
            Asked::Answered(Answer::Refused {
                envelope: env("FORBIDDEN_SCOPE", 403),
            }),
            Status::Fail,
            vec!["FORBIDDEN_SCOPE"],
        ),
        (
            Asked::Answered(Answer::Refused {
                envelope: env("SOMETHING_NEW", 418),
            }),
            Status::Fail,
            vec!["SOMETHING_NEW"],
        ),
        (
            Asked::Answered(Answer::Unavailable {
                envelope: env("RATE_LIMITED", 429),
            }),
            Status::Skip,
            vec![],
        ),
        (
            Asked::Answered(Answer::Unavailable {
                envelope: env("INTERNAL", 500),
            }),
            Status::Skip,
            vec![],
        ),
        (
            Asked::Answered(Answer::Unavailable {
                envelope: env("INTERNAL", 503),
            }),
            Status::Skip,
            vec![],
        ),
        (
            Asked::Answered(Answer::NotAnAnswer {
                message: "HTML".into(),
            }),
            Status::Fail,
            vec!["API_BAD_RESPONSE"],
        ),
        (
            Asked::No {
                why: "the API timed out".into(),
            },
            Status::Skip,
            vec![],
        ),
    ];
    for (server, status, want) in rows {
        let label = format!("{server:?}");
        let d = token::diagnose(&token_facts(server));
        assert_eq!((d.status, codes(&d)), (status, want), "{label}");
        if status == Status::Fail && d.findings[0].code != "API_BAD_RESPONSE" {
            assert_eq!(
                d.findings[0].request_id.as_deref(),
                Some("req-1"),
                "{label}"
            );
        }
    }
}

// ---- api: status classes, request id vs cf-ray, clock skew over 60 s -------------------------

use crate::probes::http::test_response as resp;

fn api_facts(r: Response) -> api::Facts {
    let mut f = api::tests::facts(HttpResult::Response(r));
    f.now = NOW;
    f
}

const WHOAMI: &str =
    r#"{"agent_id":"agt_1","owner_id":"own_1","scopes":["READ"],"expires_at":null}"#;

fn envelope_body(code: &str, status: u16) -> String {
    format!(r#"{{"error":{{"code":"{code}","status":{status}}}}}"#)
}

#[test]
fn the_api_check_fails_on_answers_about_the_api_only() {
    // (HTTP status, code, api status, api codes): 4xx about the caller is the token check's.
    let rows: &[(u16, &str, Status, &[&str])] = &[
        (400, "VALIDATION", Status::Pass, &[]),
        (401, "REVOKED", Status::Pass, &[]),
        (403, "NO_GRANT", Status::Pass, &[]),
        (409, "CONFLICT", Status::Pass, &[]),
        (428, "VALIDATION", Status::Pass, &[]),
        (429, "RATE_LIMITED", Status::Warn, &["RATE_LIMITED"]),
        (430, "CONFLICT", Status::Pass, &[]),
        (499, "CONFLICT", Status::Pass, &[]),
        (500, "INTERNAL", Status::Fail, &["INTERNAL"]),
        (502, "INTERNAL", Status::Fail, &["INTERNAL"]),
        (599, "INTERNAL", Status::Fail, &["INTERNAL"]),
    ];
    for (http, code, status, want) in rows {
        let d = api::diagnose(&api_facts(resp(*http, &envelope_body(code, *http))));
        assert_eq!(
            (d.status, codes(&d)),
            (*status, want.to_vec()),
            "HTTP {http} {code}"
        );
        if want.is_empty() {
            assert!(d
                .summary
                .ends_with(&format!("it answers {code} (judged by the token check)")));
        }
    }
}

#[test]
fn the_request_id_to_quote_is_the_envelopes_else_the_cf_ray() {
    let with_id = r#"{"error":{"code":"INTERNAL","status":500,"request_id":"req-9"}}"#;
    let without = r#"{"error":{"code":"INTERNAL","status":500}}"#;
    let rows: &[(&str, Option<&str>, Option<&str>)] = &[
        (with_id, None, Some("req-9")),
        (with_id, Some("8f1e-AMS"), Some("req-9")),
        (without, Some("8f1e-AMS"), Some("8f1e-AMS")),
        (without, None, None),
    ];
    for (body, ray, want) in rows {
        let mut r = resp(500, body);
        r.cf_ray = ray.map(str::to_string);
        let d = api::diagnose(&api_facts(r));
        assert_eq!(
            d.findings[0].request_id.as_deref(),
            *want,
            "{body} cf-ray {ray:?}"
        );
    }
    // Not an envelope at all: the cf-ray is still the id to quote.
    let mut r = resp(502, "<html>502</html>");
    r.cf_ray = Some("8f1e-AMS".into());
    let d = api::diagnose(&api_facts(r));
    assert_eq!(codes(&d), vec!["API_BAD_RESPONSE"]);
    assert_eq!(d.findings[0].request_id.as_deref(), Some("8f1e-AMS"));
}

#[test]
fn clock_skew_is_reported_past_60_seconds_either_way() {
    let rows: &[(i64, &[&str])] = &[
        (0, &[]),
        (59, &[]),
        (60, &[]),
        (61, &["CLOCK_SKEW"]),
        (-59, &[]),
        (-60, &[]),
        (-61, &["CLOCK_SKEW"]),
        (3600, &["CLOCK_SKEW"]),
    ];
    for (ahead, want) in rows {
        let mut r = resp(200, WHOAMI);
        let server = std::time::UNIX_EPOCH + std::time::Duration::from_secs((NOW - ahead) as u64);
        r.date = Some(httpdate::fmt_http_date(server));
        let d = api::diagnose(&api_facts(r));
        assert_eq!(codes(&d), want.to_vec(), "this clock {ahead} s ahead");
        if !want.is_empty() {
            assert_eq!(d.status, Status::Warn);
            let dir = if *ahead > 0 { "ahead of" } else { "behind" };
            assert!(
                d.findings[0].message.contains(dir),
                "{}",
                d.findings[0].message
            );
        }
    }
}
