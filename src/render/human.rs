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
    if let Some(sh) = &report.start_here {
        let first = match (&sh.first, sh.first_is_command) {
            (Some(c), true) => format!(" → $ {c}"),
            (Some(step), false) => format!(" → {step}"),
            (None, _) => String::new(),
        };
        let head = paint("Start here:", Status::Fail, style.color);
        let _ = writeln!(out, "{head} {} ({}){first}", sh.code, sh.check);
    }
    let width = report.checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
    // The consequences of each finding, shown under it rather than as its peers.
    let consequences = |code: &str| -> Vec<(&str, &crate::model::outcome::Finding)> {
        report
            .checks
            .iter()
            .flat_map(|c| c.findings.iter().map(move |f| (c.id.as_str(), f)))
            .filter(|(_, f)| f.caused_by.as_deref() == Some(code) && f.code != code)
            .collect()
    };
    let mut i = 0;
    while i < report.checks.len() {
        let c = &report.checks[i];
        // Checks skipped for one same reason, with nothing of their own to say: one line.
        let same: Vec<&str> = report.checks[i..]
            .iter()
            .take_while(|d| {
                d.status == Status::Skip
                    && d.findings.is_empty()
                    && d.skip_reason.is_some()
                    && d.skip_reason == c.skip_reason
            })
            .map(|d| d.id.as_str())
            .collect();
        if same.len() > 1 {
            let mark = paint(
                &format!("{} {}", symbol(Status::Skip), Status::Skip.word()),
                Status::Skip,
                style.color,
            );
            let _ = writeln!(out, "{mark}  {}  {}", same.join(", "), c.summary);
            i += same.len();
            continue;
        }
        i += 1;
        let mark = paint(
            &format!("{} {}", symbol(c.status), c.status.word()),
            c.status,
            style.color,
        );
        let _ = writeln!(out, "{mark}  {:width$}  {}", c.id, c.summary);
        let pad = " ".repeat(width + 10);
        for f in c
            .findings
            .iter()
            .filter(|f| f.caused_by.is_none() || f.caused_by.as_deref() == Some(&f.code))
        {
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
            for (check, g) in consequences(&f.code) {
                let _ = writeln!(out, "{inner}↳ and so {} ({check}): {}", g.code, g.message);
            }
        }
        if style.verbose {
            facts_lines(&c.facts, &pad, &mut out);
        }
    }
    let chain = crate::model::cause::chain(&report.checks);
    // The chain says something when at least two of its links were judged.
    let judged = chain.iter().filter(|(_, st)| *st != Status::Skip).count();
    if report.start_here.is_some() && judged > 1 {
        let links: Vec<String> = chain
            .iter()
            .map(|(id, st)| format!("{id} {}", paint(symbol(*st), *st, style.color)))
            .collect();
        let _ = writeln!(out, "wake chain: {}", links.join(" → "));
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
