//! The markdown renderer: a table of checks, then each finding, ready to paste into a ticket.

use std::fmt::Write;

use super::format::{counts, symbol};
use crate::model::report::Report;

/// Text made safe for a markdown table cell.
/// A value for a table cell or a line (cleaned where it entered): its pipes escaped and its
/// line breaks made spaces.
pub(super) fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## agent-rooms-doctor {}: {}\n",
        report.doctor_version,
        counts(report)
    );
    let _ = writeln!(out, "| check | status | summary |\n|---|---|---|");
    for c in &report.checks {
        let _ = writeln!(
            out,
            "| {} | {} {} | {} |",
            c.id,
            symbol(c.status),
            c.status.word(),
            cell(&c.summary)
        );
    }
    let findings: Vec<_> = report
        .checks
        .iter()
        .flat_map(|c| c.findings.iter().map(move |f| (c, f)))
        .collect();
    if !findings.is_empty() {
        let _ = writeln!(out, "\n## Findings");
    }
    for (c, f) in findings {
        let _ = writeln!(out, "\n### `{}` ({})\n\n{}\n", f.code, c.id, f.message);
        if let Some(a) = &f.accepted {
            let _ = writeln!(out, "*{}*\n", a.words(f.code.as_str()));
        }
        for s in &f.remedy.steps {
            let _ = writeln!(out, "- {s}");
        }
        if !f.remedy.commands.is_empty() {
            let lines: Vec<&str> = f.remedy.commands.iter().map(|c| c.line.as_str()).collect();
            let body = lines.join("\n");
            let fence = fence(&body);
            let _ = writeln!(out, "\n{fence}sh\n{body}\n{fence}");
        }
        if let Some(id) = &f.request_id {
            let _ = writeln!(out, "\nRequest id to quote: `{id}`");
        }
    }
    out
}

/// A code fence longer than any run of backticks in `body`, so nothing inside can close it.
pub(super) fn fence(body: &str) -> String {
    "`".repeat(longest_run(body, '`').max(2) + 1)
}

/// The longest run of `c` in `s`.
fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut now) = (0, 0);
    for ch in s.chars() {
        now = if ch == c { now + 1 } else { 0 };
        best = best.max(now);
    }
    best
}
