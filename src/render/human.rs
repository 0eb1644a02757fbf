//! The human renderer: one line per check, findings indented under it with their remedy.

use owo_colors::OwoColorize;
use std::fmt::Write;
use std::sync::LazyLock;

use super::format::{counts, symbol, Style};
use crate::model::outcome::Status;
use crate::model::report::Report;

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

/// Write `lead` then `text`, wrapped to `width` with a hanging indent under the text's start
/// (`lead_width` is the lead's visible width: it may hold colour). Off a terminal, or when the
/// room left is too narrow to help, the line is written whole.
fn prose(out: &mut String, lead: &str, lead_width: usize, text: &str, width: Option<usize>) {
    match width {
        Some(w) if w >= lead_width + 24 && lead_width + textwrap::core::display_width(text) > w => {
            // Break at spaces only, never inside a word, a path or a URL.
            let opts = textwrap::Options::new(w - lead_width)
                .break_words(false)
                .word_separator(textwrap::WordSeparator::AsciiSpace)
                .word_splitter(textwrap::WordSplitter::NoHyphenation);
            for (i, line) in textwrap::wrap(text, opts).iter().enumerate() {
                let pad = if i == 0 {
                    lead.to_string()
                } else {
                    " ".repeat(lead_width)
                };
                let _ = writeln!(out, "{pad}{line}");
            }
        }
        _ => {
            let _ = writeln!(out, "{lead}{text}");
        }
    }
}

/// A PATH-like list of five or more directories, shortened for a person (whole with -v, in JSON).
static LONG_LIST: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"(?:/[^\s:(),]*:){4,}/[^\s:(),]*").expect("a fixed regex"));

fn shorten(text: &str, verbose: bool) -> String {
    if verbose {
        return text.to_string();
    }
    LONG_LIST
        .replace_all(text, |c: &regex::Captures| {
            let dirs: Vec<&str> = c[0].split(':').collect();
            format!("{}:{}:… ({} more)", dirs[0], dirs[1], dirs.len() - 2)
        })
        .into_owned()
}

/// What is left of a finding's message once the check's summary has said its start: a summary
/// never repeats its message word for word.
fn after_summary<'a>(message: &'a str, summary: &str) -> &'a str {
    match message.strip_prefix(summary) {
        Some(rest) if !summary.is_empty() => rest.trim_start_matches([':', ';', ',', ' ']),
        _ => message,
    }
}

pub fn render(report: &Report, style: Style) -> String {
    let mut out = String::new();
    let w = style.width;
    let short = |t: &str| shorten(t, style.verbose);
    if let Some(sh) = &report.start_here {
        let head = paint("Start here:", Status::Fail, style.color);
        let lead = format!("{head} {} ({})", sh.code, sh.check);
        let lead_width = "Start here: ".len() + sh.code.len() + sh.check.as_str().len() + 3;
        match (&sh.first, sh.first_is_command) {
            // A command is never wrapped: on a narrow terminal it gets a line of its own.
            (Some(c), true) => match w {
                Some(w) if lead_width + 5 + c.len() > w => {
                    let _ = writeln!(out, "{lead}\n  $ {c}");
                }
                _ => {
                    let _ = writeln!(out, "{lead} → $ {c}");
                }
            },
            (Some(step), false) => prose(
                &mut out,
                &format!("{lead} → "),
                lead_width + 3,
                &short(step),
                w,
            ),
            (None, _) => {
                let _ = writeln!(out, "{lead}");
            }
        }
    }
    let width = report
        .checks
        .iter()
        .map(|c| c.id.as_str().len())
        .max()
        .unwrap_or(0);
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
        let mark = paint(
            &format!("{} {}", symbol(c.status), c.status.word()),
            c.status,
            style.color,
        );
        // (A group is of skipped checks only, so this check's mark is the group's.)
        if same.len() > 1 {
            let ids = same.join(", ");
            prose(
                &mut out,
                &format!("{mark}  {ids}  "),
                10 + ids.chars().count(),
                &short(&c.summary),
                w,
            );
            i += same.len();
            continue;
        }
        i += 1;
        prose(
            &mut out,
            &format!("{mark}  {:width$}  ", c.id),
            width + 10,
            &short(&c.summary),
            w,
        );
        let pad = " ".repeat(width + 10);
        for f in c
            .findings
            .iter()
            .filter(|f| f.caused_by.is_none() || f.caused_by.as_deref() == Some(f.code.as_str()))
        {
            let code = paint(f.code.as_str(), c.status, style.color);
            let message = after_summary(&f.message, &c.summary);
            if message.is_empty() {
                let _ = writeln!(out, "      {code}");
            } else {
                prose(
                    &mut out,
                    &format!("      {code}  "),
                    f.code.as_str().len() + 8,
                    &short(message),
                    w,
                );
            }
            let inner = " ".repeat(f.code.as_str().len() + 8);
            if let Some(now) = f.resolved_by {
                prose(
                    &mut out,
                    &inner,
                    inner.len(),
                    &format!("history: the {now} check passes now"),
                    w,
                );
                continue;
            }
            let steps = if style.verbose {
                &f.remedy.steps[..]
            } else {
                f.remedy.for_person()
            };
            for s in steps {
                prose(
                    &mut out,
                    &format!("{inner}→ "),
                    inner.len() + 2,
                    &short(s),
                    w,
                );
            }
            for cmd in &f.remedy.commands {
                let cmd = if style.color {
                    cmd.line.bold().to_string()
                } else {
                    cmd.line.clone()
                };
                let _ = writeln!(out, "{inner}  $ {cmd}");
            }
            if let Some(id) = &f.request_id {
                let _ = writeln!(out, "{inner}request id: {id} (quote it to support)");
            }
            for (check, g) in consequences(f.code.as_str()) {
                prose(
                    &mut out,
                    &format!("{inner}↳ "),
                    inner.len() + 2,
                    &format!("and so {} ({check}): {}", g.code, short(&g.message)),
                    w,
                );
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

#[cfg(test)]
mod tests {
    use super::*;

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
        // Too narrow to help: whole.
        let mut narrow = String::new();
        prose(&mut narrow, &" ".repeat(30), 30, text, Some(40));
        assert_eq!(narrow.lines().count(), 1);
    }

    #[test]
    fn long_paths_are_shortened_unless_verbose() {
        let t = "codex is not on PATH (/a/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)";
        assert_eq!(
            shorten(t, false),
            "codex is not on PATH (/a/bin:/usr/local/sbin:… (5 more))"
        );
        assert_eq!(shorten(t, true), t);
        assert_eq!(shorten("PATH /usr/bin:/bin", false), "PATH /usr/bin:/bin");
    }

    #[test]
    fn a_message_does_not_repeat_its_summary() {
        assert_eq!(
            after_summary(
                "codex is not logged in for bob (pid 4): says no",
                "codex is not logged in for bob (pid 4)"
            ),
            "says no"
        );
        assert_eq!(after_summary("same", "same"), "");
        assert_eq!(after_summary("other words", "summary"), "other words");
        assert_eq!(after_summary("anything", ""), "anything");
    }
}
