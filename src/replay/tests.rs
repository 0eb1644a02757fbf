//! Reading bundles back, judging them again and comparing them, from hand-built bundles.

use super::diff::{diff, dirs_differ};
use super::read::Unreadable;
use super::*;
use crate::probes::http::{test_response, FailKind, HttpResult};

const WHOAMI: &str = r#"{"agent_id":"agt_1","owner_id":"own_1","scopes":["READ"]}"#;

/// The api check's facts for a call that got `r`.
fn api_facts(r: HttpResult) -> serde_json::Value {
    serde_json::to_value(crate::checks::api::tests::facts(r)).unwrap()
}

fn refused() -> HttpResult {
    HttpResult::Failed {
        kind: FailKind::Refused,
        detail: "connection refused".into(),
        elapsed_ms: 2,
        from_library: true,
    }
}

/// A JSON bundle recording the api check as `status` with `codes`, from `facts`.
fn bundle(schema: u32, status: &str, codes: &[&str], facts: serde_json::Value) -> String {
    let findings: Vec<_> = codes
        .iter()
        .map(|c| serde_json::json!({"code": c, "message": "m"}))
        .collect();
    serde_json::json!({
        "report_id": "ard-00000001-20261202T120000Z",
        "generated_at": "2026-12-02T12:00:00Z",
        "doctor_version": "0.0.9",
        "system": {"os": "Debian 12", "kernel": "Linux 6.1", "arch": "x86_64"},
        "user": "alice", "uid": 1000, "root": false,
        "home": {"path": "/home/alice/.config/agent-rooms", "why": "yours"},
        "hosts": [{"name": "codex", "paths": ["/usr/bin/codex"], "version": "codex-cli 0.169.0"}],
        "checks": {
            "schema_version": schema,
            "checks": [
                {"id": "api", "status": status, "findings": findings, "facts": facts},
                {"id": "logs", "status": "skip", "findings": [], "facts": {}}
            ]
        }
    })
    .to_string()
}

#[test]
fn a_json_bundle_reads_back_with_where_it_came_from() {
    let r = read("b.json", &bundle(1, "pass", &[], api_facts(refused()))).unwrap();
    assert_eq!(r.from.report_id, "ard-00000001-20261202T120000Z");
    assert_eq!(r.from.doctor_version, "0.0.9");
    assert_eq!(r.from.system, "Debian 12, Linux 6.1, x86_64");
    assert_eq!(r.from.run_by, "alice (uid 1000)");
    assert_eq!(r.from.home, "/home/alice/.config/agent-rooms (yours)");
    assert_eq!(r.checks.len(), 2);
    assert_eq!(r.checks[0].id, CheckId::Api);
    assert_eq!(r.hosts[0].version, "codex-cli 0.169.0");
}

#[test]
fn another_schema_and_what_is_not_a_bundle_are_told_apart() {
    let e = read("b.json", &bundle(2, "pass", &[], serde_json::json!({}))).unwrap_err();
    assert_eq!(
        e,
        Unreadable::OtherSchema("b.json".into(), 2, "0.0.9".into())
    );
    assert!(e.to_string().contains("schema 2"), "{e}");
    for text in [
        "",
        "{",
        "[1]",
        "{\"checks\": 3}",
        "hello",
        "# agent-rooms-doctor report `x`\n",
    ] {
        assert!(
            matches!(read("x", text), Err(Unreadable::NotABundle(..))),
            "{text:?}"
        );
    }
    // A bundle that records no check is not one to judge.
    let empty = r#"{"checks":{"schema_version":1,"checks":[]}}"#;
    assert!(matches!(read("x", empty), Err(Unreadable::NotABundle(..))));
    // A check this doctor does not know is named.
    let odd = r#"{"checks":{"schema_version":1,"checks":[{"id":"radio","status":"pass"}]}}"#;
    assert!(read("x", odd).unwrap_err().to_string().contains("radio"));
}

#[test]
fn a_runs_own_json_reads_as_a_bundle_without_provenance() {
    let run = r#"{"schema_version":1,"ok":true,"checks":[{"id":"logs","status":"skip","findings":[],"facts":{}}]}"#;
    let r = read("-", run).unwrap();
    assert_eq!(r.checks[0].id, CheckId::Logs);
    assert_eq!(r.from.report_id, "");
}

#[test]
fn a_markdown_bundle_reads_its_header_table_findings_and_facts() {
    let facts = crate::sanitize::pretty_json(&api_facts(refused()));
    let md = format!(
        "# agent-rooms-doctor report `ard-1`\n\n- doctor: 0.0.9\n- schema: 1\n- generated: \
            2026-12-02T12:00:00Z (time zone: UTC)\n- system: Debian 12, Linux 6.1, x86_64\n- run by: \
            alice (uid 1000)\n- agent-rooms home: /h (yours)\n\n## Checks: 0 passed\n\n| check | \
            status | summary |\n|---|---|---|\n| api | ✗ fail | the API cannot be reached |\n| logs \
            | – skip | no log |\n\n## Findings\n\n### `API_UNREACHABLE` (api)\n\nGET …\n\n## Host \
            CLIs (on the doctor's PATH)\n\n| host | path(s) | version |\n|---|---|---|\n| codex | \
            /usr/bin/codex | - |\n\n## Facts\n\n<details><summary>each check's facts</summary>\n\n### \
            api\n\n```json\n{facts}\n```\n\n### logs\n\n```json\n{{}}\n```\n\n</details>\n"
    );
    let r = read("r.md", &md).unwrap();
    assert_eq!(r.from.generated_at, "2026-12-02T12:00:00Z");
    assert_eq!(r.from.system, "Debian 12, Linux 6.1, x86_64");
    assert_eq!(r.checks[0].status, Status::Fail);
    assert_eq!(r.checks[0].codes, vec!["API_UNREACHABLE"]);
    assert_eq!(r.checks[0].facts, api_facts(refused()));
    assert_eq!(r.checks[1].facts, serde_json::json!({}));
    assert_eq!(r.hosts[0].version, "");
    // Judged again, the markdown's facts give what it recorded.
    let again = replay(&r, false);
    assert!(again.changed.is_empty(), "{:?}", again.changed);
    // A schema line of another version is refused.
    let other = md.replace("- schema: 1", "- schema: 7");
    assert!(matches!(
        read("r.md", &other),
        Err(Unreadable::OtherSchema(_, 7, _))
    ));
}

#[test]
fn a_verdict_that_todays_rules_give_otherwise_is_said_per_check() {
    // Recorded as a pass, but its facts hold a refused connection: today's rules fail it.
    let r = read("b.json", &bundle(1, "pass", &[], api_facts(refused()))).unwrap();
    let again = replay(&r, false);
    assert_eq!(
        again.changed,
        vec![Changed {
            check: CheckId::Api,
            recorded: Verdict {
                status: Status::Pass,
                codes: vec![]
            },
            now: Verdict {
                status: Status::Fail,
                codes: vec!["API_UNREACHABLE".into()]
            },
        }]
    );
    assert!(!again.report.ok);
    // The check with no facts keeps its recorded verdict, saying why.
    assert_eq!(again.kept.len(), 1);
    assert_eq!(again.kept[0].0, CheckId::Logs);
    // As recorded: nothing changed.
    let r = read(
        "b.json",
        &bundle(1, "fail", &["API_UNREACHABLE"], api_facts(refused())),
    )
    .unwrap();
    assert!(replay(&r, false).changed.is_empty());
    // Facts that do not read back: kept as recorded, with the reason.
    let r = read(
        "b.json",
        &bundle(
            1,
            "fail",
            &["API_UNREACHABLE"],
            serde_json::json!({"offline": "?"}),
        ),
    )
    .unwrap();
    let again = replay(&r, false);
    assert!(again.changed.is_empty());
    assert!(
        again.kept[0].1.contains("cannot be read"),
        "{:?}",
        again.kept
    );
    assert_eq!(
        again.report.checks[0].findings[0].code.to_string(),
        "API_UNREACHABLE"
    );
}

#[test]
fn a_good_answer_replays_as_a_pass() {
    let facts = api_facts(HttpResult::Response(test_response(200, WHOAMI)));
    let r = read("b.json", &bundle(1, "pass", &[], facts)).unwrap();
    let again = replay(&r, false);
    assert!(again.changed.is_empty());
    assert!(again.report.ok);
}

/// A bundle of one passing api check.
fn a_passing_bundle() -> Recorded {
    read(
        "a",
        &bundle(
            1,
            "pass",
            &[],
            api_facts(HttpResult::Response(test_response(200, WHOAMI))),
        ),
    )
    .unwrap()
}

#[test]
fn diff_names_what_differs_and_identical_bundles_are_the_same() {
    let a = a_passing_bundle();
    let c = diff(&a, &a);
    assert!(c.same(), "{c:?}");
    let mut facts = crate::checks::api::tests::facts(refused());
    facts.via_proxy = Some("http://proxy:3128".into());
    let b = bundle(
        1,
        "fail",
        &["API_UNREACHABLE"],
        serde_json::to_value(facts).unwrap(),
    )
    .replace("codex-cli 0.169.0", "codex-cli 0.170.0");
    let b = read("b", &b).unwrap();
    let c = diff(&a, &b);
    assert!(!c.same());
    let said: Vec<(&str, &str, &str)> = c
        .differences
        .iter()
        .map(|d| (d.what.as_str(), d.a.as_str(), d.b.as_str()))
        .collect();
    assert!(
        said.contains(&("proxy", "none", "http://proxy:3128")),
        "{said:?}"
    );
    assert!(
        said.contains(&("codex version", "codex-cli 0.169.0", "codex-cli 0.170.0")),
        "{said:?}"
    );
    assert_eq!(c.checks.len(), 1);
    assert_eq!(c.checks[0].check, CheckId::Api);
    assert_eq!(c.checks[0].b.to_string(), "fail (API_UNREACHABLE)");
}

/// Issue 41: two bundles from different builds say so; one from before builds were recorded
/// says that.
#[test]
fn diff_compares_the_builds_that_wrote_the_bundles() {
    let a = a_passing_bundle();
    let build = |commit: &str, channel: &str| crate::model::build::Build {
        version: "0.2.0".into(),
        commit: commit.into(),
        date: "2026-12-07".into(),
        target: "x86_64-unknown-linux-musl".into(),
        channel: channel.into(),
    };
    let mut b = a.clone();
    b.from.build = Some(build("0123456789ab", "npm"));
    let said = |c: &super::diff::Compared| -> Vec<(String, String, String)> {
        c.differences
            .iter()
            .filter(|d| d.what == "doctor build")
            .map(|d| (d.what.clone(), d.a.clone(), d.b.clone()))
            .collect()
    };
    let line = "commit 0123456789ab (2026-12-07), x86_64-unknown-linux-musl, installed by npm";
    assert_eq!(
        said(&diff(&a, &b)),
        vec![("doctor build".into(), "not recorded".into(), line.into())]
    );
    let mut c = b.clone();
    c.from.build = Some(build("0123456789ab", "deb"));
    assert_eq!(said(&diff(&b, &c)).len(), 1);
    assert!(said(&diff(&b, &b)).is_empty());
}

#[test]
fn an_event_only_one_bundle_recorded_differs_only_when_it_is_newer_than_the_other() {
    let a = a_passing_bundle();
    let event = |what: &str, at: &str| crate::model::timeline::Event {
        at: crate::time_util::parse_rfc3339(at).unwrap(),
        what: what.into(),
        source: "mtime".into(),
        links: vec![],
    };
    let mut b = a.clone();
    b.from.generated_at = "2026-12-03T12:00:00Z".into();
    // Older than a (which was made 2026-12-02T12:00:00Z): a did not look, nothing changed.
    b.timeline = vec![event("device.json written", "2026-11-01T09:00:00Z")];
    assert!(diff(&a, &b).same(), "{:?}", diff(&a, &b));
    assert!(diff(&b, &a).same());
    // Newer than a: it happened between the two.
    b.timeline = vec![event("config.json written", "2026-12-02T18:00:00Z")];
    let c = diff(&a, &b);
    assert_eq!(c.differences.len(), 1, "{c:?}");
    assert_eq!(c.differences[0].b, "2026-12-02T18:00:00Z");
    // Both recorded it, at different times: it happened again.
    let mut a2 = a.clone();
    a2.timeline = vec![event("config.json written", "2026-11-01T09:00:00Z")];
    assert_eq!(diff(&a2, &b).differences.len(), 1);
}

#[test]
fn path_lists_differ_by_the_directories_each_has_alone() {
    assert_eq!(
        dirs_differ("/a:/b:/c", "/b:/c:/d"),
        Some(("only in A: /a".into(), "only in B: /d".into()))
    );
    assert_eq!(
        dirs_differ("/a:/b", "/a:/b:/c"),
        Some(("none".into(), "only in B: /c".into()))
    );
    // The same directories in another order are not told here (the order is another difference).
    assert_eq!(dirs_differ("/a:/b", "/b:/a"), None);
}

#[test]
fn what_a_bundle_says_is_data_no_escape_reaches_a_terminal() {
    let hostile = bundle(1, "pass", &["X\u{1b}[2J"], api_facts(refused()))
        .replace("Debian 12", "Debian\\u001b]0;owned\\u0007 12");
    let r = read("b.json", &hostile).unwrap();
    assert!(!r.from.system.contains('\u{1b}'), "{:?}", r.from.system);
    assert!(!r.checks[0].codes[0].contains('\u{1b}'));
}

#[test]
fn a_markdown_bundle_is_read_from_its_data_never_its_tables() {
    let data = bundle(1, "fail", &["API_UNREACHABLE"], api_facts(refused()));
    let pretty = crate::sanitize::pretty_json(&serde_json::from_str(&data).unwrap());
    // The tables for people say otherwise (and could be edited, or reworded by a later version):
    // the data block is what is read.
    let md = format!(
        "# agent-rooms-doctor report `ard-x`\n\n- doctor: 9.9.9\n\n## Checks: 1 passed\n\n| check | \
            status | summary |\n|---|---|---|\n| listener | ✓ pass | fine |\n\n{}\n\n<details><summary>the \
            whole report as JSON</summary>\n\n```json\n{pretty}\n```\n\n</details>\n",
        crate::bundle::DATA_HEADING
    );
    let r = read("b.md", &md).unwrap();
    assert_eq!(r.from.doctor_version, "0.0.9");
    assert_eq!(r.from.report_id, "ard-00000001-20261202T120000Z");
    assert_eq!(r.checks.len(), 2);
    assert_eq!(r.checks[0].id, CheckId::Api);
    assert_eq!(r.checks[0].codes, ["API_UNREACHABLE"]);
    assert_eq!(r.checks[0].facts, api_facts(refused()));
    // A data block that is not a bundle says so; it is not read as tables instead.
    let broken = md.replace("\"checks\"", "\"chekcs\"");
    assert!(read("b.md", &broken).is_err());
}
