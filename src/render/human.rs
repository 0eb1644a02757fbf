//! The human renderer: one line per check, findings indented under it with their remedy.

use owo_colors::OwoColorize;
use std::fmt::Write;

use super::{counts, symbol, Style};
use crate::model::outcome::{Report, Status};

/// `text` in the colour of `status`, or as it is when colour is off.
pub fn paint(text: &str, status: Status, color: bool) -> String {
    if !color {
        return text.to_string();
    }
    match status {
        Status::Pass => text.green().to_string(),
        Status::Warn => text.yellow().to_string(),
        Status::Fail => text.red().bold().to_string(),
        Status::Skip => text.dimmed().to_string(),
    }
}

pub fn render(report: &Report, style: Style) -> String {
    let mut out = String::new();
    let width = report.checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
    for c in &report.checks {
        let mark = paint(
            &format!("{} {}", symbol(c.status), c.status.word()),
            c.status,
            style.color,
        );
        let _ = writeln!(out, "{mark}  {:width$}  {}", c.id, c.summary);
        let pad = " ".repeat(width + 10);
        for f in &c.findings {
            let code = paint(&f.code, c.status, style.color);
            let _ = writeln!(out, "      {code}  {}", f.message);
            let inner = " ".repeat(f.code.len() + 8);
            for s in &f.remedy.steps {
                let _ = writeln!(out, "{inner}→ {s}");
            }
            for cmd in &f.remedy.commands {
                let cmd = if style.color {
                    cmd.bold().to_string()
                } else {
                    cmd.clone()
                };
                let _ = writeln!(out, "{inner}  $ {cmd}");
            }
            if let Some(id) = &f.request_id {
                let _ = writeln!(out, "{inner}request id: {id} (quote it to support)");
            }
        }
        if style.verbose {
            facts_lines(&c.facts, &pad, &mut out);
        }
    }
    let _ = writeln!(out);
    let overall = if report.summary.fail > 0 {
        Status::Fail
    } else if report.summary.warn > 0 {
        Status::Warn
    } else {
        Status::Pass
    };
    let took = report.duration_ms;
    let took = if took.as_secs() == 0 {
        format!("{} ms", took.as_millis())
    } else {
        format!("{:.2} s", took.as_secs_f64())
    };
    let line = format!("{} in {took}", counts(report));
    let _ = writeln!(out, "{}", paint(&line, overall, style.color));
    out
}

/// Facts as `key: value` lines, nested objects indented.
fn facts_lines(v: &serde_json::Value, pad: &str, out: &mut String) {
    if let serde_json::Value::Object(map) = v {
        for (k, val) in map {
            match val {
                // Unset and empty facts are noise for a person.
                serde_json::Value::Null => {}
                serde_json::Value::Array(a) if a.is_empty() => {}
                serde_json::Value::Object(_) => {
                    let _ = writeln!(out, "{pad}{k}:");
                    facts_lines(val, &format!("{pad}  "), out);
                }
                serde_json::Value::String(s) => {
                    let _ = writeln!(out, "{pad}{k}: {s}");
                }
                other => {
                    let _ = writeln!(out, "{pad}{k}: {other}");
                }
            }
        }
    }
}
