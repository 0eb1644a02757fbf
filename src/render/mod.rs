//! Renderers: the only code that turns outcomes into text. Each takes the one `Report` and returns
//! the whole text; `render` passes it through the redactor last, so no format can leak a secret.

mod ci;
pub mod explain;
mod human;
mod markdown;
pub mod progress;
pub mod report;

use crate::cli::Format;
use crate::outcome::{Report, Status};
use crate::redact;

pub use human::paint;

/// How the person wants it shown.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub verbose: bool,
}

/// The report in `format`, redacted, ending with a newline.
pub fn render(report: &Report, format: Format, style: Style) -> String {
    match format {
        Format::Json => {
            let mut v = serde_json::to_value(report).unwrap_or_default();
            redact::redact_json(&mut v);
            let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Human => redact::redact_text(&human::render(report, style)),
        Format::Markdown => redact::redact_text(&markdown::render(report)),
        Format::Junit => redact::redact_text(&ci::junit(report)),
        Format::Github => redact::redact_text(&ci::github(report)),
    }
}

/// The symbol that stands for a status, so output reads without colour too.
pub fn symbol(s: Status) -> &'static str {
    match s {
        Status::Pass => "✓",
        Status::Warn => "!",
        Status::Fail => "✗",
        Status::Skip => "–",
    }
}

/// "3 passed, 1 warning, 1 failed, 0 skipped"
pub fn counts(report: &Report) -> String {
    let s = &report.summary;
    format!(
        "{} passed, {} {}, {} failed, {} skipped",
        s.pass,
        s.warn,
        if s.warn == 1 { "warning" } else { "warnings" },
        s.fail,
        s.skip
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{CheckOutcome, Finding};
    use std::time::Duration;

    pub(crate) fn sample() -> Report {
        let mut revoked = Finding::new(
            "REVOKED",
            "the API rejected the token ar_l…(24 chars) from config.json",
        );
        revoked.request_id = Some("8a1b2c3d4e5f-AMS".into());
        Report::new(
            vec![
                CheckOutcome {
                    id: "listener".into(),
                    title: "Listener".into(),
                    status: Status::Pass,
                    summary: "one listener, pid 4242, user alice, up 2h 3m".into(),
                    duration_ms: Duration::from_millis(3),
                    facts: serde_json::json!({"pid": 4242, "argv": "agent-rooms watch --token ar_live_0123456789abcdef"}),
                    findings: vec![],
                },
                CheckOutcome {
                    id: "token".into(),
                    title: "Token".into(),
                    status: Status::Fail,
                    summary: "rejected by the API: REVOKED".into(),
                    duration_ms: Duration::from_millis(40),
                    facts: serde_json::json!({}),
                    findings: vec![revoked],
                },
                CheckOutcome {
                    id: "device".into(),
                    title: "Device".into(),
                    status: Status::Skip,
                    summary: "server part skipped: the token check is fail (REVOKED)".into(),
                    duration_ms: Duration::from_millis(0),
                    facts: serde_json::json!({}),
                    findings: vec![],
                },
            ],
            Duration::from_millis(50),
            false,
        )
    }

    #[test]
    fn human_without_colour_has_no_escapes_and_reads_as_words() {
        let s = render(
            &sample(),
            Format::Human,
            Style {
                color: false,
                verbose: false,
            },
        );
        assert!(!s.contains('\x1b'));
        assert_eq!(
            s,
            "✓ pass  listener  one listener, pid 4242, user alice, up 2h 3m
✗ fail  token     rejected by the API: REVOKED
      REVOKED  the API rejected the token ar_l…(24 chars) from config.json
               → Generate a new token (or re-issue the passport) in the dashboard, or re-run the connector add.
               → Update config.json or AGENT_ROOMS_TOKEN with it and restart `agent-rooms watch`.
               request id: 8a1b2c3d4e5f-AMS (quote it to support)
– skip  device    server part skipped: the token check is fail (REVOKED)

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
            },
        );
        assert!(s.contains("| check | status | summary |"));
        assert!(s.contains("| token | ✗ fail | rejected by the API: REVOKED |"));
        assert!(s.contains("### `REVOKED` (token)"));
        assert!(s.contains("8a1b2c3d4e5f-AMS"));
    }

    #[test]
    fn junit_and_github_carry_the_codes() {
        let j = render(
            &sample(),
            Format::Junit,
            Style {
                color: false,
                verbose: false,
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
            },
        );
        assert!(g
            .lines()
            .any(|l| l.starts_with("::error title=agent-rooms-doctor token%3A REVOKED::")));
    }
}
