//! The human renderer: one line per check, findings indented under it with their remedy.

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
        .filter(|f| f.caused_by.is_none() || f.caused_by.as_deref() == Some(f.code.as_str()))
    {
        finding(out, report, c, f, style);
    }
    if style.verbose {
        facts_lines(&c.facts, &" ".repeat(width + 10), out);
    }
}

/// A finding: its code and message, then history, or its remedy (the step made for this case
/// alone unless -v), its request id and what follows from it.
fn finding(out: &mut String, report: &Report, c: &CheckOutcome, f: &Finding, style: Style) {
    let code = paint(f.code.as_str(), c.status, style.color);
    let message = under_summary(f, &c.summary, style);
    // A message the check's line already says is not said again: the code's line carries the
    // first step instead of nothing.
    let mut code_lead = None;
    let has_steps = !f.remedy.for_person().is_empty() && f.resolved_by.is_none();
    if message.is_empty() && has_steps {
        code_lead = Some(format!("      {code}  → "));
    } else if message.is_empty() {
        let _ = writeln!(out, "      {code}");
    } else {
        prose(
            out,
            &format!("      {code}  "),
            f.code.as_str().len() + 8,
            &message,
            style.width,
        );
    }
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
    let commands = |out: &mut String, cmds: &[crate::model::command::Command]| {
        for cmd in cmds {
            let cmd = if style.color {
                cmd.line.bold().to_string()
            } else {
                cmd.line.clone()
            };
            let _ = writeln!(out, "{inner}  $ {cmd}");
        }
    };
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

/// A finding's request id and what follows from it.
fn tail(out: &mut String, report: &Report, f: &Finding, inner: &str, style: Style) {
    let w = style.width;
    if let Some(id) = &f.request_id {
        let _ = writeln!(out, "{inner}request id: {id} (quote it to support)");
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
        .filter(|(_, f)| f.caused_by.as_deref() == Some(code) && f.code != code)
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
mod tests {
    use super::*;
    use crate::model::catalogue as codes;

    #[test]
    fn prose_wraps_with_a_hanging_indent_on_a_terminal_only() {
        let text = "codex is in /home/alice/.nvm/versions/node/v20/bin, which the PATH of listener pid 42 lacks";
        let mut out = String::new();
        prose(&mut out, "      HOST_NOT_FOUND  ", 22, text, Some(60));
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 1, "{out}");
        // Within the width, but for a word longer than the room, which is never broken.
        assert!(
            lines.iter().all(
                |l| textwrap::core::display_width(l) <= 60 || l.split_whitespace().count() == 1
            ),
            "{out}"
        );
        assert!(
            lines[1..].iter().all(|l| l.starts_with(&" ".repeat(22))),
            "{out}"
        );
        // Words are not broken: a long path stays whole on its line.
        assert!(
            out.contains("/home/alice/.nvm/versions/node/v20/bin,"),
            "{out}"
        );
        let mut off = String::new();
        prose(&mut off, "x  ", 3, text, None);
        assert_eq!(off, format!("x  {text}\n"));
        // A lead too wide for the terminal: indented less, and wrapped to it (issue 39: it was
        // left whole, over 100 columns at 40).
        let mut narrow = String::new();
        prose(&mut narrow, &" ".repeat(30), 30, text, Some(40));
        assert!(narrow.lines().count() > 1, "{narrow}");
        assert!(
            narrow.lines().all(
                |l| textwrap::core::display_width(l) <= 40 || l.split_whitespace().count() == 1
            ),
            "{narrow}"
        );
    }

    /// A report of one failing host check with `finding`, as the human renderer prints it.
    fn one_finding(finding: Finding, summary: &str, width: Option<usize>) -> String {
        let c = CheckOutcome {
            id: crate::model::CheckId::Host,
            title: "host".into(),
            status: Status::Fail,
            summary: Text::from(summary),
            duration_ms: std::time::Duration::ZERO,
            facts: serde_json::Value::Null,
            findings: vec![finding],
            skip_reason: None,
            unconfigured: false,
        };
        let r = Report::new(vec![c], std::time::Duration::ZERO, false);
        let style = Style {
            color: false,
            verbose: false,
            width,
        };
        render(&r, style)
    }

    #[test]
    fn two_ways_to_one_fix_print_as_one_or_the_other_and_start_here_is_one_sentence_and_command() {
        use crate::model::command::{cmd, Machine};
        let m = Machine::generic();
        let msg = "codex is in /opt/c/bin, which the PATH of listener pid 42 lacks";
        let f = Finding::new(codes::HOST_NOT_FOUND, msg)
            .with_commands(vec![cmd(["ln", "-s", "/opt/c/bin/codex", "/usr/local/bin/codex"])
                .as_root()
                .ask()
                .on(&m)])
            .with_step_first("Link codex into /usr/local/bin, a directory on the listener's PATH: nothing needs a restart.")
            .with_alternative(
                "Or give the listener a PATH with /opt/c/bin. Its environment is that of the shell that started it: stop it and start it again.",
                vec![cmd(["kill", "42"]).ask().on(&m)],
            );
        let out = one_finding(f, msg, None);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[..2],
            [
                "Start here: HOST_NOT_FOUND (host) → Link codex into /usr/local/bin, a directory on the listener's PATH: nothing needs a restart.",
                "  $ ln -s /opt/c/bin/codex /usr/local/bin/codex",
            ],
            "{out}"
        );
        // The message is the check's line: the code's line carries the first step, never blank.
        let at = lines
            .iter()
            .position(|l| l.trim_start().starts_with("HOST_NOT_FOUND"))
            .unwrap();
        assert_eq!(
            lines[at..at + 4],
            [
                "      HOST_NOT_FOUND  → Link codex into /usr/local/bin, a directory on the listener's PATH: nothing needs a restart.",
                "                        $ ln -s /opt/c/bin/codex /usr/local/bin/codex",
                "                      → Or give the listener a PATH with /opt/c/bin. Its environment is that of the shell that started it: stop it and start it again.",
                "                        $ kill 42",
            ],
            "{out}"
        );
    }

    #[test]
    fn on_a_terminal_a_long_answer_ends_with_start_here_again() {
        let long = Finding::new(codes::HOST_NOT_FOUND, "x ".repeat(300).trim().to_string())
            .with_step_first("Do this.");
        let narrow = one_finding(long.clone(), "short", Some(46));
        assert!(narrow.lines().count() > SCREEN_ROWS, "{narrow}");
        assert_eq!(
            narrow.matches("Start here: HOST_NOT_FOUND (host)").count(),
            2,
            "{narrow}"
        );
        assert!(
            narrow
                .trim_end()
                .ends_with("Start here: HOST_NOT_FOUND (host) → Do this."),
            "{narrow}"
        );
        // A short answer, or one off a terminal: once.
        assert_eq!(
            one_finding(long.clone(), "short", Some(200))
                .matches("Start here")
                .count(),
            1
        );
        assert_eq!(
            one_finding(long, "short", None)
                .matches("Start here")
                .count(),
            1
        );
    }

    #[test]
    fn a_message_does_not_repeat_its_summary() {
        let style = Style {
            color: false,
            verbose: false,
            width: None,
        };
        let headed = Finding::new(
            codes::HOST_NOT_LOGGED_IN,
            Text::headed("codex is not logged in for bob (pid 4)", "says no"),
        );
        let summary = Text::from("codex is not logged in for bob (pid 4)");
        assert_eq!(under_summary(&headed, &summary, style), "says no");
        // Under another summary (two findings' heads), the message is whole.
        let two = Text::from("codex is not logged in for bob (pid 4); claude too");
        assert_eq!(
            under_summary(&headed, &two, style),
            "codex is not logged in for bob (pid 4): says no"
        );
        // The summary is the whole message: nothing is said twice.
        let same = Finding::new(codes::HOST_NOT_FOUND, "same");
        assert_eq!(under_summary(&same, &Text::from("same"), style), "");
        // The same words built of other parts are the same words.
        let parts = Finding::new(
            codes::HOST_NOT_FOUND,
            Text::from("on (").dirs("/a:/b").words(")"),
        );
        assert_eq!(under_summary(&parts, &Text::from("on (/a:/b)"), style), "");
        // Words that merely start the same are not a head.
        let other = Finding::new(codes::HOST_NOT_FOUND, "summary and more");
        assert_eq!(
            under_summary(&other, &Text::from("summary"), style),
            "summary and more"
        );
        // A long list is shortened for a person, whole with -v.
        let path = Finding::new(
            codes::HOST_NOT_FOUND,
            Text::from("codex is not on PATH (")
                .dirs("/a/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .words(")"),
        );
        assert_eq!(
            under_summary(&path, &summary, style),
            "codex is not on PATH (/a/bin:/usr/local/sbin:… (5 more))"
        );
        let verbose = Style {
            verbose: true,
            ..style
        };
        assert!(under_summary(&path, &summary, verbose).ends_with(":/sbin:/bin)"));
    }

    #[test]
    fn facts_read_as_indented_lines_never_one_line_of_json() {
        let v = serde_json::json!({
            "listeners": [{"pid": 42, "user": "alice"}, {"pid": 43, "user": "bob"}],
            "home": {"path": "/h", "why": "yours"},
            "empty": [],
            "unset": null,
            "mode": "0600"
        });
        let mut out = String::new();
        facts_lines(&v, "  ", &mut out);
        assert_eq!(
            out,
            "  listeners:\n    -\n      pid: 42\n      user: alice\n    -\n      pid: 43\n      user: bob\n  home:\n    path: /h\n    why: yours\n  mode: 0600\n"
        );
    }
}
