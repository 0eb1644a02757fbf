//! The human renderer: one line per check, findings indented under it with their remedy.

use crate::model::command::Command;
use owo_colors::OwoColorize;
use std::fmt::Write;

use super::format::{counts, prose, symbol, Style};
use crate::model::cause::StartHere;
use crate::model::outcome::{CheckOutcome, Finding, Status};
use crate::model::report::Report;
use crate::model::text::Text;

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

/// How a text reads for a person: long lists shortened unless `-v` (whole in JSON).
fn shown(t: &Text, style: Style) -> String {
    if style.verbose {
        t.to_string()
    } else {
        t.brief()
    }
}

/// A finding's message under its check's line: what the summary already said is not said again
/// (the rule that built both marked it: the message's head is the summary, or the summary is the
/// whole message).
fn under_summary(f: &Finding, summary: &Text, style: Style) -> String {
    match f.message.head() {
        Some(head) if *summary == *head => f.message.details(style.verbose),
        _ if *f.message == **summary => String::new(),
        _ => shown(&f.message, style),
    }
}

/// The sections, top to bottom: Start here, a line per check (findings under it), the wake
/// chain, the totals.
pub fn render(report: &Report, style: Style) -> String {
    let mut out = String::new();
    if let Some(sh) = &report.start_here {
        start_here(&mut out, sh, style);
    }
    let width = report
        .checks
        .iter()
        .map(|c| c.id.as_str().len())
        .max()
        .unwrap_or(0);
    let mut i = 0;
    while i < report.checks.len() {
        let same = skipped_alike(&report.checks[i..]);
        if same.len() > 1 {
            skipped_group(&mut out, &same, style);
            i += same.len();
            continue;
        }
        check(&mut out, report, &report.checks[i], width, style);
        i += 1;
    }
    wake_chain(&mut out, report, style);
    let _ = writeln!(out);
    totals(&mut out, report, style);
    what_changed(&mut out, report, style);
    // On a terminal, an answer longer than a screen (80×24) has scrolled Start here away: it
    // ends with it again.
    if let (Some(sh), Some(_)) = (&report.start_here, style.width) {
        if out.lines().count() > SCREEN_ROWS {
            out.push('\n');
            start_here(&mut out, sh, style);
        }
    }
    out
}

/// The rows of the smallest terminal the output is made for (80×24), less the prompt's.
const SCREEN_ROWS: usize = 22;

/// What changed, newest first: the events the machine records for the links that fail or warn
/// (a few without -v, all with it), each with its time and where it was read.
fn what_changed(out: &mut String, report: &Report, style: Style) {
    let events = crate::model::timeline::bearing(&report.checks, &report.timeline, style.verbose);
    if events.is_empty() {
        return;
    }
    let all = crate::model::timeline::bearing(&report.checks, &report.timeline, true).len();
    let more = if all > events.len() {
        format!("; {} more with -v", all - events.len())
    } else {
        String::new()
    };
    out.push('\n');
    prose(
        out,
        "",
        0,
        &format!(
            "What changed, newest first (what this machine records for the failing links{more}):"
        ),
        style.width,
    );
    for e in events {
        let lead = format!("  {}  ", crate::time_util::rfc3339(e.at));
        let text = format!("{}  ({})", e.what, e.source);
        prose(out, &lead, lead.chars().count(), &text, style.width);
    }
}

/// `Start here: CODE (check) → $ command` (a command is never wrapped: on a narrow terminal it
/// gets a line of its own), or → the first step.
fn start_here(out: &mut String, sh: &StartHere, style: Style) {
    let head = paint("Start here:", Status::Fail, style.color);
    let lead = format!("{head} {} ({})", sh.code, sh.check);
    let lead_width = "Start here: ".len() + sh.code.len() + sh.check.as_str().len() + 3;
    match (&sh.first, sh.first_is_command) {
        (Some(c), true) => match style.width {
            Some(w) if lead_width + 5 + c.len() > w => {
                let _ = writeln!(out, "{lead}\n  $ {c}");
            }
            _ => {
                let _ = writeln!(out, "{lead} → $ {c}");
            }
        },
        (Some(step), false) => {
            prose(
                out,
                &format!("{lead} → "),
                lead_width + 3,
                step,
                style.width,
            );
            if let Some(c) = &sh.command {
                let _ = writeln!(out, "  $ {c}");
            }
        }
        (None, _) => {
            let _ = writeln!(out, "{lead}");
        }
    }
}

/// The checks from the first on that skipped for one same reason with nothing of their own to say.
fn skipped_alike(checks: &[CheckOutcome]) -> Vec<&CheckOutcome> {
    let Some(first) = checks.first() else {
        return vec![];
    };
    checks
        .iter()
        .take_while(|d| {
            d.status == Status::Skip
                && d.findings.is_empty()
                && d.skip_reason.is_some()
                && d.skip_reason == first.skip_reason
        })
        .collect()
}

/// Checks skipped for one same reason: one line.
fn skipped_group(out: &mut String, same: &[&CheckOutcome], style: Style) {
    let c = same[0];
    let ids: Vec<&str> = same.iter().map(|d| d.id.as_str()).collect();
    let ids = ids.join(", ");
    prose(
        out,
        &format!("{}  {ids}  ", mark(c.status, style)),
        10 + ids.chars().count(),
        &shown(&c.summary, style),
        style.width,
    );
}

fn mark(status: Status, style: Style) -> String {
    paint(
        &format!("{} {}", symbol(status), status.word()),
        status,
        style.color,
    )
}

/// A check's line, its own findings under it (consequences under their cause), its facts with -v.
fn check(out: &mut String, report: &Report, c: &CheckOutcome, width: usize, style: Style) {
    prose(
        out,
        &format!("{}  {:width$}  ", mark(c.status, style), c.id),
        width + 10,
        &shown(&c.summary, style),
        style.width,
    );
    for f in c
        .findings
        .iter()
        .filter(|f| f.caused_by.as_ref().is_none_or(|c| c.seen_now))
    {
        finding(out, report, c, f, style);
    }
    if style.verbose {
        facts_lines(
            &c.facts.json(crate::model::facts::FACT_CAP),
            &" ".repeat(width + 10),
            out,
        );
    }
}

/// A finding: its code and message, then history, or its remedy (the step made for this case
/// alone unless -v), its request id and what follows from it.
fn finding(out: &mut String, report: &Report, c: &CheckOutcome, f: &Finding, style: Style) {
    let mut code_lead = code_line(out, c, f, style);
    let inner = " ".repeat(f.code.as_str().len() + 8);
    let w = style.width;
    if let Some(now) = f.resolved_by {
        let history = format!("history: the {now} check passes now");
        prose(out, &inner, inner.len(), &history, w);
        return;
    }
    let steps = if style.verbose {
        &f.remedy.steps[..]
    } else {
        f.remedy.for_person()
    };
    let commands = |out: &mut String, cmds: &[Command]| commands(out, &inner, cmds, style.color);
    // Two ways to one fix: the first way's step and commands, then the other's ("Or …"), each
    // under its own step, so nobody pastes both.
    let alt = f
        .remedy
        .or_from
        .filter(|n| *n <= f.remedy.commands.len() && f.remedy.specific >= 2);
    let mut step = |out: &mut String, s: &str| {
        let lead = code_lead.take().unwrap_or_else(|| format!("{inner}→ "));
        prose(out, &lead, inner.len() + 2, s, w);
    };
    let Some(n) = alt else {
        for s in steps {
            step(out, s);
        }
        commands(out, &f.remedy.commands);
        return tail(out, report, f, &inner, style);
    };
    let k = f.remedy.specific;
    for (i, s) in steps.iter().enumerate() {
        if i + 1 == k {
            commands(out, &f.remedy.commands[..n]);
        }
        step(out, s);
        if i + 1 == k {
            commands(out, &f.remedy.commands[n..]);
        }
    }
    tail(out, report, f, &inner, style);
}

/// The finding's code and its message, where the check's line does not already say it; when it
/// does, the code's line carries the first step instead of nothing: returned, to lead it.
fn code_line(out: &mut String, c: &CheckOutcome, f: &Finding, style: Style) -> Option<String> {
    let code = paint(f.code.as_str(), c.status, style.color);
    let message = under_summary(f, &c.summary, style);
    let has_steps = !f.remedy.for_person().is_empty() && f.resolved_by.is_none();
    if message.is_empty() && has_steps {
        return Some(format!("      {code}  → "));
    }
    if message.is_empty() {
        let _ = writeln!(out, "      {code}");
    } else {
        let indent = f.code.as_str().len() + 8;
        prose(
            out,
            &format!("      {code}  "),
            indent,
            &message,
            style.width,
        );
    }
    None
}

/// Each command on its own line, `$ ` first, bold in colour: what a person pastes.
fn commands(out: &mut String, inner: &str, cmds: &[Command], color: bool) {
    for cmd in cmds {
        let line = if color {
            cmd.line.bold().to_string()
        } else {
            cmd.line.clone()
        };
        let _ = writeln!(out, "{inner}  $ {line}");
    }
}

/// A finding's request id and what follows from it.
fn tail(out: &mut String, report: &Report, f: &Finding, inner: &str, style: Style) {
    let w = style.width;
    if let Some(id) = &f.request_id {
        let _ = writeln!(out, "{inner}request id: {id} (quote it to support)");
    }
    if let Some(a) = &f.accepted {
        let words = a.words(f.code.as_str());
        let mark = if a.holds() { "✓" } else { "!" };
        prose(out, &format!("{inner}{mark} "), inner.len() + 2, &words, w);
    }
    for (check, g) in consequences(report, f.code.as_str()) {
        let and_so = format!("and so {} ({check}): {}", g.code, shown(&g.message, style));
        prose(out, &format!("{inner}↳ "), inner.len() + 2, &and_so, w);
    }
}

/// The findings that follow from `code`, shown under it rather than as its peers.
fn consequences<'a>(report: &'a Report, code: &str) -> Vec<(&'a str, &'a Finding)> {
    report
        .checks
        .iter()
        .flat_map(|c| c.findings.iter().map(move |f| (c.id.as_str(), f)))
        .filter(|(_, f)| f.caused_by.as_ref().is_some_and(|c| c.shown_under(code)))
        .collect()
}

/// `wake chain: listener ✓ → host ✗ → …`, when something starts here and at least two of its
/// links were judged.
fn wake_chain(out: &mut String, report: &Report, style: Style) {
    let chain = crate::model::cause::chain(&report.checks);
    let judged = chain.iter().filter(|(_, st)| *st != Status::Skip).count();
    if report.start_here.is_some() && judged > 1 {
        let links: Vec<String> = chain
            .iter()
            .map(|(id, st)| format!("{id} {}", paint(symbol(*st), *st, style.color)))
            .collect();
        // On a narrow terminal the chain goes on under itself, a link never cut.
        let mut line = String::from("wake chain:");
        for (i, link) in links.iter().enumerate() {
            let piece = if i == 0 {
                format!(" {link}")
            } else {
                format!(" → {link}")
            };
            let full = textwrap::core::display_width(&line) + textwrap::core::display_width(&piece);
            if i > 0 && style.width.is_some_and(|w| full > w) {
                let _ = writeln!(out, "{line}");
                line = " ".repeat("wake chain:".len());
            }
            line.push_str(&piece);
        }
        let _ = writeln!(out, "{line}");
    }
}

/// `1 failed, 1 warning, … in 52 ms`, in the colour of the worst.
fn totals(out: &mut String, report: &Report, style: Style) {
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
    let mut wrapped = String::new();
    prose(&mut wrapped, "", 0, &line, style.width);
    for l in wrapped.lines() {
        let _ = writeln!(out, "{}", paint(l, overall, style.color));
    }
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
                // A list of objects: each item indented under a dash, never one line of JSON.
                serde_json::Value::Array(items) if items.iter().any(|i| i.is_object()) => {
                    let _ = writeln!(out, "{pad}{k}:");
                    for item in items {
                        match item {
                            serde_json::Value::Object(_) => {
                                let _ = writeln!(out, "{pad}  -");
                                facts_lines(item, &format!("{pad}    "), out);
                            }
                            serde_json::Value::String(s) => {
                                let _ = writeln!(out, "{pad}  - {s}");
                            }
                            other => {
                                let _ = writeln!(out, "{pad}  - {other}");
                            }
                        }
                    }
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

#[cfg(test)]
#[path = "human_tests.rs"]
mod tests;
