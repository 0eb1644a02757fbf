//! Renderers: the only code that turns data into text. Every document the doctor writes is made
//! here — the check report in five formats, `list`, `explain`, the support bundle — and each says
//! which formats it has; asking a document for another is a usage error (`Unsupported`), never
//! silently another format. Texts are redacted here and once more, whole, by the output sink.

pub mod bundle;
mod ci;
pub mod documents;
pub mod explain;
pub mod fix;
mod format;
mod human;
pub mod list;
mod markdown;
pub mod progress;
mod prometheus;
pub mod replay;

use crate::model::report::Report;
use crate::redact;

pub use format::{counts, json, supports, symbol, Format, Style, Unsupported};
pub use human::paint;

/// The report in `format`, redacted, ending with a newline.
pub fn render(report: &Report, format: Format, style: Style) -> String {
    match format {
        Format::Json => json(report),
        Format::Human => redact::redact_text(&human::render(report, style)),
        Format::Markdown => redact::redact_text(&markdown::render(report)),
        Format::Junit => redact::redact_text(&ci::junit(report)),
        Format::Github => redact::redact_text(&ci::github(report)),
        Format::Prometheus => redact::redact_text(&prometheus::render(report)),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::catalogue as codes;
    use crate::model::outcome::Status;
    use crate::model::outcome::{CheckOutcome, Finding};
    use crate::model::report::Report;
    use std::time::Duration;

    pub(crate) fn sample() -> Report {
        let mut revoked = Finding::new(
            codes::REVOKED,
            "the API rejected the token ar_l…(24 chars) from config.json",
        );
        revoked.request_id = Some("8a1b2c3d4e5f-AMS".into());
        Report::new(
            vec![
                CheckOutcome {
                    id: crate::model::CheckId::Listener,
                    title: "Listener".into(),
                    status: Status::Pass,
                    summary: "one listener, pid 4242, user alice, up 2h 3m".into(),
                    duration_ms: Duration::from_millis(3),
                    facts: crate::model::outcome::Facts::of(
                        serde_json::json!({"pid": 4242, "argv": "agent-rooms watch --token \
                            ar_live_0123456789abcdef"}),
                    ),
                    findings: vec![],
                    skip_reason: None,
                    unconfigured: false,
                },
                CheckOutcome {
                    id: crate::model::CheckId::Token,
                    title: "Token".into(),
                    status: Status::Fail,
                    summary: "rejected by the API: REVOKED".into(),
                    duration_ms: Duration::from_millis(40),
                    facts: crate::model::outcome::Facts::of(serde_json::json!({})),
                    findings: vec![revoked],
                    skip_reason: None,
                    unconfigured: false,
                },
                CheckOutcome {
                    id: crate::model::CheckId::Device,
                    title: "Device".into(),
                    status: Status::Skip,
                    summary: "server part skipped: the token check is fail (REVOKED)".into(),
                    duration_ms: Duration::from_millis(0),
                    facts: crate::model::outcome::Facts::of(serde_json::json!({})),
                    findings: vec![],
                    skip_reason: None,
                    unconfigured: false,
                },
            ],
            Duration::from_millis(50),
            false,
        )
    }

    #[test]
    fn the_count_line_says_when_strict_fails_the_run_on_what_did_not_fail() {
        let mut checks = sample().checks;
        checks[1].status = Status::Warn;
        checks[2].unconfigured = true;
        let lax = Report::new(checks.clone(), Duration::ZERO, false);
        assert_eq!(counts(&lax), "1 passed, 1 warning, 0 failed, 1 skipped");
        let strict = Report::new(checks, Duration::ZERO, true);
        assert_eq!(
            counts(&strict),
            "1 passed, 1 warning, 0 failed, 1 skipped (--strict fails the run on 2 of them)"
        );
    }

    #[test]
    fn human_without_colour_has_no_escapes_and_reads_as_words() {
        let s = render(
            &sample(),
            Format::Human,
            Style {
                color: false,
                verbose: false,
                width: None,
            },
        );
        assert!(!s.contains('\x1b'));
        assert_eq!(
            s,
            "Start here: REVOKED (token) → Generate a new token (or re-issue the passport) in the \
                dashboard, or re-run the connector add.
✓ pass  listener  one listener, pid 4242, user alice, up 2h 3m
✗ fail  token     rejected by the API: REVOKED
      REVOKED  the API rejected the token ar_l…(24 chars) from config.json
               → Generate a new token (or re-issue the passport) in the dashboard, or re-run the \
                connector add.
               → Update config.json or AGENT_ROOMS_TOKEN with it and restart `agent-rooms watch`.
               request id: 8a1b2c3d4e5f-AMS (quote it to support)
– skip  device    server part skipped: the token check is fail (REVOKED)
wake chain: listener ✓ → token ✗ → device –

1 passed, 0 warnings, 1 failed, 1 skipped in 50 ms
"
        );
    }

    #[test]
    fn human_with_colour_has_escapes_and_verbose_facts_are_redacted() {
        let s = render(
            &sample(),
            Format::Human,
            Style {
                color: true,
                verbose: true,
                width: None,
            },
        );
        assert!(s.contains("\x1b["));
        assert!(s.contains("pid: 4242"));
        assert!(!s.contains("0123456789abcdef"));
    }

    #[test]
    fn json_has_the_contract_shape() {
        let s = render(
            &sample(),
            Format::Json,
            Style {
                color: false,
                verbose: false,
                width: None,
            },
        );
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["ok"], false);
        assert_eq!(
            v["summary"],
            serde_json::json!({"pass": 1, "warn": 0, "fail": 1, "skip": 1})
        );
        let c = &v["checks"][1];
        for k in [
            "id",
            "title",
            "status",
            "summary",
            "duration_ms",
            "facts",
            "findings",
        ] {
            assert!(c.get(k).is_some(), "{k}");
        }
        let f = &c["findings"][0];
        assert_eq!(f["code"], "REVOKED");
        assert!(f["remedy"]["steps"].is_array() && f["remedy"]["commands"].is_array());
        assert_eq!(f["request_id"], "8a1b2c3d4e5f-AMS");
        assert!(!s.contains("0123456789abcdef"), "facts are redacted");
    }

    #[test]
    fn markdown_is_a_table_plus_findings() {
        let s = render(
            &sample(),
            Format::Markdown,
            Style {
                color: false,
                verbose: false,
                width: None,
            },
        );
        assert!(s.contains("| check | status | summary |"));
        assert!(s.contains("| token | ✗ fail | rejected by the API: REVOKED |"));
        assert!(s.contains("### `REVOKED` (token)"));
        assert!(s.contains("8a1b2c3d4e5f-AMS"));
    }

    #[test]
    fn json_holds_no_raw_control_character_and_reads_back_the_same() {
        let v = serde_json::json!({"argv": ["a\u{7f}b\u{85}c\u{1b}d\u{ffff}\n\t"]});
        let text = json(&v);
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");
        assert!(
            text.contains("a\\u007fb\\u0085c\\u001bd\\uffff\\n\\t"),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), v);
    }

    #[test]
    fn junit_and_github_carry_the_codes() {
        let j = render(
            &sample(),
            Format::Junit,
            Style {
                color: false,
                verbose: false,
                width: None,
            },
        );
        assert!(j.starts_with("<?xml"));
        assert_eq!(j.matches("<testcase ").count(), 3);
        assert!(j.contains("<skipped"));
        assert!(j.contains("REVOKED"));
        let g = render(
            &sample(),
            Format::Github,
            Style {
                color: false,
                verbose: false,
                width: None,
            },
        );
        assert!(g
            .lines()
            .any(|l| l.starts_with("::error title=agent-rooms-doctor token%3A REVOKED::")));
    }
}
