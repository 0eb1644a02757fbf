//! `fix`'s documents: the plan (as a shell script for `--dry-run`), a session's record — each
//! step once, whether it ran and how it ended, what fix leaves to the person, then every check
//! before → after — and the same as one JSON document.

use std::fmt::Write;

use serde::Serialize;

use super::format::{prose, Format};
use crate::model::command::{Command, Fix};
use crate::model::report::Report;

/// The formats a fix session is written in (metrics describe a run, not a session).
pub const FORMATS: &[Format] = &[
    Format::Human,
    Format::Json,
    Format::Markdown,
    Format::Junit,
    Format::Github,
];

/// One thing `fix` may do: a command from a root-cause finding's remedy, and as whom it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Step {
    pub check: String,
    pub code: String,
    /// The finding's message, for the person deciding.
    pub why: String,
    /// The command (its printed line is what the person reads; its argument list is what runs).
    pub command: Command,
    /// Who it runs as ("root", "alice").
    pub as_user: String,
    /// Why it will not be run, when it will not (it needs root, say).
    pub not_runnable: Option<String>,
}

impl Step {
    /// Run only with the person's own answer on a terminal (never by `--yes`).
    pub fn asks(&self) -> bool {
        self.command.fix == Fix::Ask
    }
}

/// A root cause `fix` does not act on, and its first remedy for the person to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct LeftToYou {
    pub check: String,
    pub code: String,
    pub first: String,
}

/// What became of a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Done {
    Ran { exit: Option<i32>, said: String },
    Declined,
    NotRun { why: String },
}

impl Done {
    /// How it ended, in a few words ("ran: exit 0", "not run: you said no").
    pub fn word(&self) -> String {
        match self {
            Done::Ran { exit: Some(0), .. } => "ran: exit 0".to_string(),
            Done::Ran { exit, said } => format!(
                "ran: exit {}{}",
                exit.map_or("by a signal".into(), |c| c.to_string()),
                if said.is_empty() {
                    String::new()
                } else {
                    format!(" ({said})")
                }
            ),
            Done::Declined => "not run: you said no".into(),
            Done::NotRun { why } => format!("not run: {why}"),
        }
    }

    /// A step that ran and did not succeed.
    pub fn failed(&self) -> bool {
        matches!(self, Done::Ran { exit, .. } if *exit != Some(0))
    }
}

/// `--dry-run`: the plan as a shell script that changes nothing until someone runs it. Each
/// line is the command's own printed line: run by `sh`, it gives exactly its argument list.
pub fn script(steps: &[Step], width: Option<usize>) -> String {
    let mut out = String::from("#!/bin/sh\n");
    prose_comment(
        &mut out,
        "agent-rooms-doctor fix --dry-run: what `fix` would run, one step per root cause.",
        width,
    );
    prose_comment(
        &mut out,
        "Nothing has been changed. Read each step before running it.",
        width,
    );
    out.push_str("set -e\n");
    for (i, s) in steps.iter().enumerate() {
        out.push('\n');
        let head = format!("{}. {} ({}): {}", i + 1, s.code, s.check, one_line(&s.why));
        prose_comment(&mut out, &head, width);
        match (&s.not_runnable, s.asks()) {
            (Some(why), _) => {
                prose_comment(
                    &mut out,
                    &format!("not run by fix: {}", one_line(why)),
                    width,
                );
                comment(&mut out, &s.command.line);
            }
            (None, true) => {
                let asked = format!(
                    "asked on a terminal, never run by --yes (runs as {}):",
                    s.as_user
                );
                prose_comment(&mut out, &asked, width);
                comment(&mut out, &s.command.line);
            }
            (None, false) => {
                let _ = writeln!(out, "# runs as {}\n{}", s.as_user, s.command.line);
            }
        }
    }
    if steps.is_empty() {
        out.push_str("\n# nothing to run: no root cause has a remedy fix may automate\n");
    }
    out
}

/// Prose as `# ` comment lines, wrapped at `width` (on a terminal) at spaces only.
fn prose_comment(out: &mut String, text: &str, width: Option<usize>) {
    match width {
        Some(w) if w >= 40 && text.chars().count() + 2 > w => {
            let opts = textwrap::Options::new(w)
                .initial_indent("# ")
                .subsequent_indent("#   ")
                .break_words(false)
                .word_separator(textwrap::WordSeparator::AsciiSpace)
                .word_splitter(textwrap::WordSplitter::NoHyphenation);
            for line in textwrap::wrap(text, opts) {
                let _ = writeln!(out, "{line}");
            }
        }
        _ => {
            let _ = writeln!(out, "# {text}");
        }
    }
}

/// A command as a comment: every line of it (a quoted newline inside a path included).
fn comment(out: &mut String, line: &str) {
    for l in line.split('\n') {
        let _ = writeln!(out, "# {l}");
    }
}

/// Prose on one line (a comment must not end early).
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// The plan, for a person: shown before anything runs.
pub fn plan(steps: &[Step], left: &[LeftToYou], width: Option<usize>) -> String {
    let mut out = String::new();
    if steps.is_empty() {
        out.push_str("Nothing for fix to do: no root cause has a remedy it may automate.\n");
    } else {
        let _ = writeln!(
            out,
            "Plan ({} step{}):",
            steps.len(),
            if steps.len() == 1 { "" } else { "s" }
        );
        for (i, s) in steps.iter().enumerate() {
            let lead = format!("  {}. ", i + 1);
            let text = format!("{} ({}): {}", s.code, s.check, s.why);
            prose(&mut out, &lead, lead.len(), &text, width);
            let _ = writeln!(out, "     $ {}    (as {})", s.command.line, s.as_user);
            if let Some(why) = &s.not_runnable {
                let _ = writeln!(out, "     not run: {why}");
            } else if s.asks() {
                let _ = writeln!(out, "     asked on a terminal only: --yes does not run it");
            }
        }
    }
    if !left.is_empty() {
        out.push('\n');
        prose(
            &mut out,
            "",
            0,
            "Not done by fix, yours to do (each needs you: a login, an edit or a choice that is \
                yours, or no command does it):",
            width,
        );
        for l in left {
            let text = format!("{} ({}): {}", l.code, l.check, l.first);
            prose(&mut out, "  ", 2, &text, width);
        }
    }
    out
}

/// The record after the plan: what became of each step (by number, the command is in the plan),
/// and each check before → after.
pub fn record(steps: &[Step], done: &[Done], before: &Report, after: Option<&Report>) -> String {
    let mut out = String::new();
    if !done.is_empty() {
        out.push('\n');
    }
    for (i, (s, d)) in steps.iter().zip(done).enumerate() {
        let _ = writeln!(out, "  {}. {} → {}", i + 1, s.code, d.word());
    }
    if let Some(after) = after {
        let _ = writeln!(out, "\nBefore → after:");
        for b in &before.checks {
            let a = after.checks.iter().find(|a| a.id == b.id);
            let now = a.map_or("-", |a| a.status.word());
            let _ = writeln!(out, "  {:8} {} → {now}", b.id, b.status.word());
        }
        let _ = writeln!(
            out,
            "\n{}",
            if after.ok {
                "No check fails now."
            } else {
                "Some checks still fail: run agent-rooms-doctor for what is left."
            }
        );
    } else if done.iter().any(|d| matches!(d, Done::Ran { .. })) {
        // Interrupted after a step ran: what it changed stands; the checks did not run again.
        let _ = writeln!(
            out,
            "\nThe checks were not run again: run agent-rooms-doctor to see where things stand."
        );
    } else {
        let _ = writeln!(out, "\nNothing was changed.");
    }
    out
}

/// The whole session as one JSON document: the plan, what ran, what is left, before → after.
pub fn json(
    steps: &[Step],
    done: &[Done],
    left: &[LeftToYou],
    before: &Report,
    after: Option<&Report>,
) -> String {
    let statuses = |r: &Report| -> serde_json::Map<String, serde_json::Value> {
        r.checks
            .iter()
            .map(|c| (c.id.to_string(), serde_json::Value::from(c.status.word())))
            .collect()
    };
    super::format::json(&FixDoc {
        schema_version: super::format::SCHEMA_VERSION,
        doctor_version: env!("CARGO_PKG_VERSION"),
        build: crate::model::build::Build::here(),
        ok: after.unwrap_or(before).ok && !done.iter().any(Done::failed),
        steps: steps
            .iter()
            .enumerate()
            .map(|(i, s)| FixStep::of(s, done.get(i)))
            .collect(),
        left_to_you: left,
        before: statuses(before),
        after: after.map(statuses),
    })
}

/// What became of step `i`: its record, or, when nothing ran (a dry run, no terminal), why not.
fn done_or_planned(s: &Step, d: Option<&Done>) -> String {
    match (d, &s.not_runnable) {
        (Some(d), _) => d.word(),
        (None, Some(why)) => format!("not run: {why}"),
        (None, None) => "planned: nothing was run".into(),
    }
}

/// The session as Markdown, to paste into a ticket: each step with its command in a fence and
/// how it ended, what is left to the person, then every check before → after.
pub fn markdown(
    steps: &[Step],
    done: &[Done],
    left: &[LeftToYou],
    before: &Report,
    after: Option<&Report>,
) -> String {
    let mut out = format!("## agent-rooms-doctor {} fix\n", env!("CARGO_PKG_VERSION"));
    if steps.is_empty() {
        out.push_str("\nNothing for fix to do: no root cause has a remedy it may automate.\n");
    }
    for (i, s) in steps.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n### {}. `{}` ({})\n\n{}\n",
            i + 1,
            s.code,
            s.check,
            super::markdown::cell(&s.why)
        );
        let fence = super::markdown::fence(&s.command.line);
        let _ = writeln!(out, "{fence}sh\n{}\n{fence}\n", s.command.line);
        let _ = writeln!(out, "As {}: {}", s.as_user, done_or_planned(s, done.get(i)));
    }
    if !left.is_empty() {
        out.push_str("\n### Not done by fix (yours to do)\n\n");
        for l in left {
            let _ = writeln!(
                out,
                "- `{}` ({}): {}",
                l.code,
                l.check,
                super::markdown::cell(&l.first)
            );
        }
    }
    let _ = writeln!(out, "\n| check | before | after |\n|---|---|---|");
    for b in &before.checks {
        let a = after.and_then(|a| a.checks.iter().find(|a| a.id == b.id));
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            b.id,
            b.status.word(),
            a.map_or("-", |a| a.status.word())
        );
    }
    out
}

/// The session as JUnit: a testcase per step (a failure when it ran and failed, skipped when it
/// did not run), then a testcase per check as it is now.
pub fn junit(steps: &[Step], done: &[Done], now: &Report) -> String {
    use super::ci::{Case, End};
    let mut cases: Vec<Case> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let d = done.get(i);
            let word = done_or_planned(s, d);
            let end = match d {
                Some(d) if d.failed() => End::Failure {
                    message: word,
                    kind: s.code.clone(),
                    detail: format!("$ {}", s.command.line),
                },
                Some(Done::Ran { .. }) => End::Out(format!("$ {}\n{word}", s.command.line)),
                _ => End::Skipped(word),
            };
            Case {
                classname: "agent-rooms-doctor.fix".into(),
                name: format!("{}. {} ({})", i + 1, s.code, s.check),
                seconds: 0.0,
                end,
            }
        })
        .collect();
    cases.extend(super::ci::cases(now));
    super::ci::suite(
        "agent-rooms-doctor fix",
        now.duration_ms.as_secs_f64(),
        &cases,
    )
}

/// The session as GitHub workflow commands: one per step (an error when it ran and failed),
/// then the checks as they are now, ending with their counts.
pub fn github(steps: &[Step], done: &[Done], now: &Report) -> String {
    use super::ci::{gh_data, gh_prop};
    let mut out = String::new();
    for (i, s) in steps.iter().enumerate() {
        let d = done.get(i);
        let level = if d.is_some_and(Done::failed) {
            "error"
        } else {
            "notice"
        };
        let _ = writeln!(
            out,
            "::{level} title={}::{}",
            gh_prop(&format!("agent-rooms-doctor fix {}: {}", i + 1, s.code)),
            gh_data(&format!(
                "$ {}\nas {}: {}",
                s.command.line,
                s.as_user,
                done_or_planned(s, d)
            ))
        );
    }
    out + &super::ci::github(now)
}

/// `fix --json`: the plan, what ran, what is left to the person, the statuses before → after.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct FixDoc<'a> {
    pub schema_version: u32,
    pub doctor_version: &'static str,
    pub build: crate::model::build::Build,
    /// No step failed, and no check fails after.
    pub ok: bool,
    pub steps: Vec<FixStep<'a>>,
    pub left_to_you: &'a [LeftToYou],
    #[schemars(schema_with = "statuses")]
    pub before: serde_json::Map<String, serde_json::Value>,
    /// The statuses when the checks ran again (null when nothing ran).
    #[schemars(schema_with = "statuses_or_null")]
    pub after: Option<serde_json::Map<String, serde_json::Value>>,
}

/// One step of `fix`'s plan and what became of it.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct FixStep<'a> {
    pub check: &'a str,
    pub code: &'a str,
    pub why: &'a str,
    /// The command as printed (copying it into a shell runs exactly `argv`).
    pub command: &'a str,
    pub argv: &'a [String],
    /// Variables it is run with, beyond the environment it inherits.
    pub env: Option<serde_json::Map<String, serde_json::Value>>,
    pub run_as: &'a crate::model::command::RunAs,
    pub fix: crate::model::command::Fix,
    pub as_user: &'a str,
    pub not_runnable: Option<&'a str>,
    /// What became of it (null when it was not run).
    pub done: Option<&'a Done>,
}

impl<'a> FixStep<'a> {
    pub fn of(s: &'a Step, done: Option<&'a Done>) -> Self {
        let env = (!s.command.env.is_empty()).then(|| {
            s.command
                .env
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect()
        });
        FixStep {
            check: &s.check,
            code: &s.code,
            why: &s.why,
            command: &s.command.line,
            argv: &s.command.argv,
            env,
            run_as: &s.command.run_as,
            fix: s.command.fix,
            as_user: &s.as_user,
            not_runnable: s.not_runnable.as_deref(),
            done,
        }
    }
}

/// Each check's id to the status it ended in.
fn statuses(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "additionalProperties": {"enum": ["pass", "warn", "fail", "skip"]}
    })
}

fn statuses_or_null(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let s = statuses(g);
    schemars::json_schema!({"anyOf": [s, {"type": "null"}]})
}

#[cfg(test)]
#[path = "fix_tests.rs"]
mod tests;
