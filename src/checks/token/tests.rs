//! The token check's rules, from hand-built facts.
use super::*;
use crate::api::Envelope;
use crate::engine::Blocked;
use crate::model::command::Fix;

const NOW: i64 = 1_795_608_000;

fn jwt(exp: i64) -> String {
    let b = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.{}",
        b("{\"alg\":\"HS256\"}"),
        b(&format!("{{\"sub\":\"agt_1\",\"exp\":{exp}}}")),
        b("sig")
    )
}
fn facts(server: Asked<Whoami>) -> Facts {
    Facts {
        source: Some(Source::Config("/h/config.json".into())),
        masked: Some("ar_l…(24 chars)".into()),
        token_file_problem: None,
        config_problem: None,
        config_denied: None,
        file: Some(TokenFile::plain("/h/config.json", 0o600, 1000, "alice")),
        me_uid: 1000,
        elevation: Elevation::default(),
        jwt_exp: None,
        malformed: None,
        listener_tokens_differ: vec![],
        unused_config_token: None,
        server,
        now: NOW,
    }
}
fn accepted(exp: Option<&str>) -> Asked<Whoami> {
    Asked::Answered(Answer::Accepted {
        body: Whoami {
            agent_id: Some("agt_1".into()),
            owner_id: Some("own_1".into()),
            scopes: vec!["READ".into(), "INVOKE".into()],
            expires_at: exp.map(str::to_string),
        },
    })
}
fn refused(envelope: Envelope) -> Asked<Whoami> {
    Asked::Answered(Answer::Refused { envelope })
}
/// The api check failed with API_UNREACHABLE, so the server was not asked.
fn api_unreachable() -> Asked<Whoami> {
    Asked::Blocked(Blocked {
        id: CheckId::Api,
        status: Some(Status::Fail),
        codes: vec!["API_UNREACHABLE".into()],
        reason: None,
    })
}
fn codes(d: &Diagnosis) -> Vec<&str> {
    d.findings.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn jwt_exp_is_read_offline_and_junk_is_not_a_jwt() {
    assert_eq!(jwt_exp(&jwt(NOW)), Some(NOW));
    for junk in [
        "",
        "a.b",
        "a.b.c",
        "ar_live_0123",
        "x.eyJleHAiOiJzb29uIn0.y",
        "a.b.c.d",
        "..",
    ] {
        assert_eq!(jwt_exp(junk), None, "{junk}");
    }
}

#[test]
fn accepted_passes_with_the_servers_facts() {
    let d = diagnose(&facts(accepted(None)));
    assert_eq!(d.status, Status::Pass);
    assert_eq!(
        d.summary,
        "ar_l…(24 chars) from /h/config.json is accepted: agent agt_1, owner own_1, scopes \
            READ,INVOKE, expires never"
    );
}

#[test]
fn missing_expired_soon_and_open() {
    let mut f = facts(Asked::No {
        why: "no token".into(),
    });
    f.source = None;
    f.masked = None;
    assert_eq!(codes(&diagnose(&f)), vec!["TOKEN_MISSING"]);
    let mut f = facts(api_unreachable());
    f.jwt_exp = Some(NOW - 3600);
    let d = diagnose(&f);
    assert_eq!((d.status, codes(&d)), (Status::Fail, vec!["TOKEN_EXPIRED"]));
    let mut f = facts(accepted(Some("2026-11-27T12:00:00Z")));
    f.jwt_exp = Some(NOW - 10); // the server's expiry wins
    let d = diagnose(&f);
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Warn, vec!["TOKEN_EXPIRING_SOON"])
    );
    let mut f = facts(accepted(None));
    f.file = Some(TokenFile::plain("/h/config.json", 0o644, 1000, "alice"));
    let d = diagnose(&f);
    assert_eq!(codes(&d), vec!["TOKEN_FILE_TOO_OPEN"]);
    assert_eq!(
        d.findings[0].remedy.commands,
        vec!["chmod 600 /h/config.json"]
    );
    assert_eq!(d.findings[0].remedy.commands[0].fix, Fix::Safe);
    // As root, another user's file is changed as that user (the kernel bounds it).
    f.me_uid = 0;
    f.elevation.runuser = true;
    f.file = Some(TokenFile::plain("/home/b o/c.json", 0o644, 1001, "bob"));
    let c = &diagnose(&f).findings[0].remedy.commands[0];
    assert_eq!(c.line, "runuser -u bob -- chmod 600 '/home/b o/c.json'");
    assert_eq!(c.argv, ["chmod", "600", "/home/b o/c.json"]);
    assert_eq!(c.fix, Fix::Safe);
    // Through a linked directory, a root-owned file is only shown.
    let mut tf = TokenFile::plain("/home/bob/ar/config.json", 0o644, 0, "root");
    tf.through_link = true;
    f.file = Some(tf.clone());
    assert_eq!(diagnose(&f).findings[0].remedy.commands[0].fix, Fix::Shown);
    tf.through_link = false;
    f.file = Some(tf.clone());
    assert_eq!(diagnose(&f).findings[0].remedy.commands[0].fix, Fix::Safe);
    // A link is named with its target, and nothing is run through it.
    tf.link_to = Some("/etc/shadow".into());
    f.file = Some(tf);
    let d = diagnose(&f);
    assert!(
        d.findings[0]
            .message
            .contains("symbolic link to /etc/shadow"),
        "{}",
        d.findings[0].message
    );
    assert!(d.findings[0].remedy.commands.is_empty());
}

#[test]
fn unreachable_is_skip_never_invalid() {
    let d = diagnose(&facts(api_unreachable()));
    assert_eq!(d.status, Status::Skip);
    assert!(d.findings.is_empty());
    assert!(d
        .summary
        .contains("server check skipped: the api check is fail (API_UNREACHABLE)"));
}

#[test]
fn rejections_carry_the_seed_code_and_request_id() {
    for code in [
        "INVALID_PASSPORT",
        "IDENTITY_REQUIRED",
        "REVOKED",
        "FORBIDDEN_SCOPE",
        "SOMETHING_NEW",
    ] {
        let d = diagnose(&facts(refused(Envelope {
            code: code.into(),
            status: Some(401),
            message: Some("no".into()),
            request_id: Some("rid-1".into()),
            fields: vec![],
        })));
        assert_eq!((d.status, codes(&d)), (Status::Fail, vec![code]));
        assert_eq!(d.findings[0].request_id.as_deref(), Some("rid-1"));
    }
}

#[test]
fn a_malformed_token_is_one_finding_and_never_judged_by_the_server() {
    let mut f = facts(Asked::No {
        why: "the token holds a line break, so it cannot be sent".into(),
    });
    f.malformed = Some("holds a line break".into());
    let d = diagnose(&f);
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Fail, vec!["TOKEN_MALFORMED"])
    );
    assert!(d.findings[0].message.contains("holds a line break"));
}

#[test]
fn an_unreadable_config_is_one_finding_not_also_a_missing_token() {
    let mut f = facts(Asked::No {
        why: "no token".into(),
    });
    f.source = None;
    f.masked = None;
    f.config_problem = Some("/h/config.json is not valid JSON at line 1 column 2".into());
    assert_eq!(codes(&diagnose(&f)), vec!["CONFIG_INVALID"]);
    f.config_problem = None;
    assert_eq!(codes(&diagnose(&f)), vec!["TOKEN_MISSING"]);
}

#[test]
fn a_dead_token_from_config_json_names_the_file_to_update() {
    let names_the_file = |code: &str, source: Source| {
        let mut f = facts(refused(Envelope {
            code: code.into(),
            status: Some(401),
            message: None,
            request_id: None,
            fields: vec![],
        }));
        f.source = Some(source.clone());
        diagnose(&f).findings[0].remedy.for_person()
            == [format!(
                "Get a new token (generate it in the dashboard, or re-run the connector add), put it \
                    in {source} as `token` (the token comes from that file), then restart \
                    `agent-rooms watch`."
            )]
    };
    let config = || Source::Config("/h/config.json".into());
    for code in ["INVALID_PASSPORT", "IDENTITY_REQUIRED", "REVOKED"] {
        assert!(names_the_file(code, config()), "{code}");
        // From a flag or the environment there is no file to name.
        assert!(
            !names_the_file(code, Source::Flag("--token-file /tmp/t".into())),
            "{code}"
        );
        assert!(
            !names_the_file(code, Source::Env("AGENT_ROOMS_TOKEN".into())),
            "{code}"
        );
    }
    // A token that is fine but lacks a scope: the file is not what to change.
    assert!(!names_the_file("FORBIDDEN_SCOPE", config()));
}

#[test]
fn other_problems() {
    let mut f = facts(accepted(None));
    f.listener_tokens_differ = vec![(42, "ar_o…(30 chars)".into())];
    assert_eq!(codes(&diagnose(&f)), vec!["TOKEN_LISTENER_MISMATCH"]);
    let mut f = facts(Asked::No {
        why: "no token".into(),
    });
    f.source = None;
    f.masked = None;
    f.token_file_problem = Some("/t (--token-file) cannot be used: no such file".into());
    assert_eq!(codes(&diagnose(&f)), vec!["CONFIG_INVALID"]);
    assert_eq!(
        codes(&diagnose(&facts(Asked::Answered(Answer::NotAnAnswer {
            message: "HTTP 200 with an empty body".into()
        })))),
        vec!["API_BAD_RESPONSE"]
    );
}

#[test]
fn a_config_token_the_environment_shadows_is_said_with_both_fingerprints() {
    let env_token = "ar_l…(24 chars, #aaaaaa)";
    let file_token = "ar_l…(24 chars, #bbbbbb)";
    let mut f = facts(refused(Envelope {
        code: "REVOKED".into(),
        status: Some(401),
        message: None,
        request_id: None,
        fields: vec![],
    }));
    f.source = Some(Source::Env("AGENT_ROOMS_TOKEN of listener pid 42".into()));
    f.masked = Some(env_token.into());
    f.file = None;
    f.unused_config_token = Some(("/h/config.json".into(), file_token.into()));
    let d = diagnose(&f);
    assert_eq!(codes(&d), vec!["REVOKED", "TOKEN_LISTENER_MISMATCH"]);
    let m = &d.findings[1];
    assert!(
        m.message.contains(env_token) && m.message.contains(file_token),
        "{}",
        m.message
    );
    assert!(m.message.contains("listener pid 42"), "{}", m.message);
    let step = &m.remedy.steps[0];
    assert!(
        step.contains("editing /h/config.json alone changes nothing"),
        "{step}"
    );
    // The summary says which token the listener uses, and that the file's is unused.
    assert!(d.summary.contains(env_token), "{}", &*d.summary);
    assert!(
        d.summary.contains("not the other token in /h/config.json"),
        "{}",
        &*d.summary
    );
    // Accepted, it still warns: the file is not what the listener reads.
    let mut ok = f.clone();
    ok.server = accepted(None);
    let d = diagnose(&ok);
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Warn, vec!["TOKEN_LISTENER_MISMATCH"])
    );
    // The same token in both places, or a token from config.json itself: nothing to say.
    f.unused_config_token = None;
    assert!(!codes(&diagnose(&f)).contains(&"TOKEN_LISTENER_MISMATCH"));
}

/// Issue 39: config.json the doctor may not read is NOT_READABLE with the doctor as root, never
/// CONFIG_INVALID ("fix or recreate the file") nor TOKEN_MISSING.
#[test]
fn a_config_the_doctor_may_not_read_is_not_readable_never_invalid() {
    let mut f = facts(Asked::No {
        why: "no token".into(),
    });
    f.source = None;
    f.masked = None;
    f.file = None;
    f.config_denied = Some(
        "/root/.config/agent-rooms/config.json cannot be read by the doctor: Permission denied (os \
            error 13)"
            .into(),
    );
    let d = diagnose(&f);
    assert_eq!((d.status, codes(&d)), (Status::Fail, vec!["NOT_READABLE"]));
    assert!(d.findings[0].remedy.commands[0]
        .line
        .ends_with("agent-rooms-doctor"));
}
