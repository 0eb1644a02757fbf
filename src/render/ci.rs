//! Renderers for CI systems: JUnit XML (one testcase per check) and GitHub Actions workflow commands.

use std::fmt::Write;

use crate::model::outcome::Status;
use crate::model::report::Report;

/// `s` escaped for XML 1.0, with every character XML 1.0 forbids dropped, so the document is
/// well-formed whatever the text held.
fn xml(s: &str) -> String {
    s.chars()
        .filter(|c| {
            matches!(*c, '\t' | '\n' | '\r'
                | '\u{20}'..='\u{d7ff}'
                | '\u{e000}'..='\u{fffd}'
                | '\u{10000}'..='\u{10ffff}')
                && !(c.is_control() && *c != '\t' && *c != '\n')
        })
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// How one JUnit testcase ended.
pub enum End {
    Pass,
    Failure {
        message: String,
        kind: String,
        detail: String,
    },
    Skipped(String),
    /// Passed, with something to say (a warning).
    Out(String),
}

/// One JUnit testcase.
pub struct Case {
    pub classname: String,
    pub name: String,
    pub seconds: f64,
    pub end: End,
}

/// A JUnit document: one testsuite of these cases.
pub fn suite(name: &str, seconds: f64, cases: &[Case]) -> String {
    let failing = cases
        .iter()
        .filter(|c| matches!(c.end, End::Failure { .. }))
        .count();
    let skipped = cases
        .iter()
        .filter(|c| matches!(c.end, End::Skipped(_)))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuite name=\"{}\" tests=\"{}\" failures=\"{failing}\" skipped=\"{skipped}\" time=\"{seconds:.3}\">",
        xml(name),
        cases.len(),
    );
    for c in cases {
        let _ = write!(
            out,
            "  <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\">",
            xml(&c.classname),
            xml(&c.name),
            c.seconds
        );
        match &c.end {
            End::Failure {
                message,
                kind,
                detail,
            } => {
                let _ = write!(
                    out,
                    "\n    <failure message=\"{}\" type=\"{}\">{}</failure>\n  ",
                    xml(message),
                    xml(kind),
                    xml(detail)
                );
            }
            End::Skipped(message) => {
                let _ = write!(out, "\n    <skipped message=\"{}\"/>\n  ", xml(message));
            }
            End::Out(text) => {
                let _ = write!(out, "\n    <system-out>{}</system-out>\n  ", xml(text));
            }
            End::Pass => {}
        }
        let _ = writeln!(out, "</testcase>");
    }
    out.push_str("</testsuite>\n");
    out
}

/// A testcase per check.
pub fn cases(report: &Report) -> Vec<Case> {
    report
        .checks
        .iter()
        .map(|c| {
            let detail: String = c
                .findings
                .iter()
                .map(|f| {
                    let mut t = format!("{}: {}\n", f.code, f.message);
                    for step in &f.remedy.steps {
                        t.push_str(&format!("  - {step}\n"));
                    }
                    for cmd in &f.remedy.commands {
                        t.push_str(&format!("  $ {cmd}\n"));
                    }
                    if let Some(id) = &f.request_id {
                        t.push_str(&format!("  request id: {id}\n"));
                    }
                    if let Some(a) = &f.accepted {
                        t.push_str(&format!("  {}\n", a.words(f.code.as_str())));
                    }
                    t
                })
                .collect();
            let codes: Vec<&str> = c.findings.iter().map(|f| f.code.as_str()).collect();
            // Under --strict a warning, or a skip for lack of configuration, fails the job: it
            // is a failure here too, so the report never looks green while the job fails.
            let end = match c.status {
                _ if report.fails(c) => End::Failure {
                    message: c.summary.to_string(),
                    kind: codes.join(","),
                    detail,
                },
                Status::Skip => End::Skipped(c.summary.to_string()),
                Status::Warn => End::Out(format!("warning: {}\n{detail}", c.summary)),
                // A failure whose every finding is accepted (--allow) passes, saying so.
                Status::Fail => End::Out(format!("accepted failure: {}\n{detail}", c.summary)),
                Status::Pass => End::Pass,
            };
            Case {
                classname: "agent-rooms-doctor".into(),
                name: c.id.to_string(),
                seconds: c.duration_ms.as_secs_f64(),
                end,
            }
        })
        .collect()
}

pub fn junit(report: &Report) -> String {
    suite(
        "agent-rooms-doctor",
        report.duration_ms.as_secs_f64(),
        &cases(report),
    )
}

/// GitHub's workflow command escaping for data and for property values.
pub fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}
pub fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for c in &report.checks {
        let level = match c.status {
            _ if report.fails(c) => "error",
            Status::Warn => "warning",
            _ => "notice",
        };
        if c.findings.is_empty() {
            if c.status != Status::Pass {
                let _ = writeln!(
                    out,
                    "::{level} title={}::{}",
                    gh_prop(&format!("agent-rooms-doctor {}", c.id)),
                    gh_data(&c.summary)
                );
            }
            continue;
        }
        for f in &c.findings {
            let mut body = f.message.to_string();
            for s in &f.remedy.steps {
                body.push_str(&format!("\n→ {s}"));
            }
            for cmd in &f.remedy.commands {
                body.push_str(&format!("\n$ {cmd}"));
            }
            if let Some(id) = &f.request_id {
                body.push_str(&format!("\nrequest id: {id}"));
            }
            // An accepted finding is a notice: the job does not fail on it.
            let level = match &f.accepted {
                Some(a) => {
                    body.push_str(&format!("\n{}", a.words(f.code.as_str())));
                    if a.holds() {
                        "notice"
                    } else {
                        level
                    }
                }
                None => level,
            };
            let title = format!("agent-rooms-doctor {}: {}", c.id, f.code);
            let _ = writeln!(
                out,
                "::{level} title={}::{}",
                gh_prop(&title),
                gh_data(&body)
            );
        }
    }
    let _ = writeln!(out, "{}", super::format::counts(report));
    out
}
