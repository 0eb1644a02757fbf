//! What every renderer shares: the formats and which document speaks which, the person's style,
//! JSON as every document writes it, a status's symbol and the count line.

use crate::model::outcome::Status;
use crate::model::report::Report;
use crate::redact;

/// The formats a check report can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Markdown,
    Junit,
    Github,
    Prometheus,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Prometheus => "prometheus",
        }
    }
}

/// A document asked for in a format it is not written in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{document} is written as {}, not {}", names(.supported), .asked.name())]
pub struct Unsupported {
    pub document: &'static str,
    pub asked: Format,
    pub supported: &'static [Format],
}

/// "human or json", "human, markdown or json".
fn names(f: &[Format]) -> String {
    let n: Vec<&str> = f.iter().map(|f| f.name()).collect();
    match n.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => n.join(""),
    }
}

/// `Ok(format)` when `document` is written in it.
pub fn supports(
    document: &'static str,
    asked: Format,
    supported: &'static [Format],
) -> Result<Format, Unsupported> {
    if supported.contains(&asked) {
        Ok(asked)
    } else {
        Err(Unsupported {
            document,
            asked,
            supported,
        })
    }
}

/// A JSON document: pretty, with every string redacted, ending with a newline.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    let mut v = serde_json::to_value(value).unwrap_or_default();
    redact::redact_json(&mut v);
    crate::sanitize::pretty_json(&v) + "\n"
}

/// How the person wants it shown.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub verbose: bool,
    /// The terminal's width, to wrap prose to; None off a terminal (nothing is wrapped).
    pub width: Option<usize>,
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

/// "3 passed, 1 warning, 1 failed, 0 skipped", and with `--strict` how many of the warnings and
/// skips fail the run too (so the line never looks green while the exit code is 1).
pub fn counts(report: &Report) -> String {
    let s = &report.summary;
    let strict = report
        .checks
        .iter()
        .filter(|c| c.status != Status::Fail && report.fails(c))
        .count();
    let (accepted, expired) = report.accepted();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let notes: Vec<String> = [
        (strict > 0).then(|| format!("--strict fails the run on {strict} of them")),
        (accepted > 0).then(|| plural(accepted, "finding", "findings") + " accepted by --allow"),
        (expired > 0).then(|| plural(expired, "acceptance", "acceptances") + " expired"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let notes = match notes.is_empty() {
        true => String::new(),
        false => format!(" ({})", notes.join("; ")),
    };
    format!(
        "{} passed, {} {}, {} failed, {} skipped{notes}",
        s.pass,
        s.warn,
        if s.warn == 1 { "warning" } else { "warnings" },
        s.fail,
        s.skip,
    )
}

/// The schema version of the documents `list`, `explain` and `diff` write as JSON (each an
/// object that starts with it, as a run's report and a bundle do).
pub const SCHEMA_VERSION: u32 = 1;

/// Write `lead` then `text`, wrapped to `width` with a hanging indent under the text's start
/// (`lead_width` is the lead's visible width: it may hold colour). Off a terminal, or when the
/// room left is too narrow to help, the line is written whole.
pub fn prose(out: &mut String, lead: &str, lead_width: usize, text: &str, width: Option<usize>) {
    let fits = |w: usize| lead_width + textwrap::core::display_width(text) <= w;
    match width {
        Some(w) if fits(w) => {}
        Some(w) if w >= lead_width + MIN_COLUMN => return wrapped(out, lead, lead_width, text, w),
        // A lead too wide for the terminal (a deep indent, or `Start here: CODE (check) → `
        // at 40 columns): indented less, so the text keeps a column of its own; when the lead's
        // own words leave none, they go on a line of their own and the text under them.
        Some(w) => {
            let mark = lead.trim();
            let mark_width = textwrap::core::display_width(mark) + 1;
            if mark_width + MIN_COLUMN <= w {
                let indent =
                    (w - MIN_COLUMN - mark_width).min(lead_width.saturating_sub(mark_width));
                let lead = format!("{}{mark} ", " ".repeat(indent));
                return wrapped(out, &lead, indent + mark_width, text, w);
            }
            if w >= 2 + MIN_COLUMN {
                let _ = std::fmt::Write::write_fmt(out, format_args!("{}\n", lead.trim_end()));
                return wrapped(out, "  ", 2, text, w);
            }
        }
        None => {}
    }
    let _ = std::fmt::Write::write_fmt(out, format_args!("{lead}{text}\n"));
}

/// The narrowest column prose is wrapped into.
const MIN_COLUMN: usize = 24;

/// `text` wrapped to `w` columns after `lead`, then under it. Breaks at spaces only, never inside
/// a word, a path or a URL: a space inside a path (`…/Application Support/…`) is not one to
/// break at.
fn wrapped(out: &mut String, lead: &str, lead_width: usize, text: &str, w: usize) {
    let glued = glue_paths(text);
    let opts = textwrap::Options::new(w - lead_width)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    for (i, line) in textwrap::wrap(&glued, opts).iter().enumerate() {
        let pad = if i == 0 {
            lead.to_string()
        } else {
            " ".repeat(lead_width)
        };
        let line = line.replace(GLUE, " ");
        let _ = std::fmt::Write::write_fmt(out, format_args!("{pad}{line}\n"));
    }
}

/// What holds a path's space together while text is wrapped (a character no text the doctor
/// prints carries: control characters are escaped before any renderer).
const GLUE: char = '\u{1f}';

/// `text` with each space inside a path glued: a space between a word that holds a path
/// separator and one that goes on with the path (holds a separator, does not start one).
fn glue_paths(text: &str) -> String {
    let sep = |w: &str| w.contains('/') || w.contains('\\');
    let words: Vec<&str> = text.split(' ').collect();
    let mut out = String::with_capacity(text.len());
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            let next_goes_on = sep(word) && !word.starts_with(['/', '\\', '~']);
            let glue = sep(words[i - 1]) && next_goes_on;
            out.push(if glue { GLUE } else { ' ' });
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(lead: &str, text: &str, w: usize) -> String {
        let mut out = String::new();
        prose(&mut out, lead, lead.chars().count(), text, Some(w));
        out
    }

    /// Issue 39: at 40 columns a lead wider than the terminal left the text unwrapped (100+
    /// columns): the lead gets a line of its own and the text wraps under it.
    #[test]
    fn a_lead_too_wide_for_the_terminal_gets_a_line_of_its_own() {
        let out = wrap(
            "Start here: HOST_NOT_FOUND (host) → ",
            "Link codex into /usr/local/bin, a directory on the listener's PATH: nothing needs a restart.",
            40,
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "Start here: HOST_NOT_FOUND (host) →");
        assert!(lines[1..].iter().all(|l| l.starts_with("  ")), "{out}");
        assert!(out.lines().all(|l| l.chars().count() <= 40), "{out}");
        // Wide enough: as before, the text beside its lead.
        assert!(wrap("→ ", "a b c", 40).starts_with("→ a b c"));
    }

    /// Issue 39: a home path holding a space (macOS's `Application Support`) was broken across
    /// lines; a space inside a path is not one to break at, and the line budget still holds.
    #[test]
    fn a_path_holding_a_space_is_never_broken() {
        let path = "/Users/alice/Library/Application Support/agent-rooms/config.json";
        let text =
            format!("the token comes from {path} and that is the file to update when it changes");
        for w in [40, 60, 64, 70, 80, 100, 200] {
            let out = wrap("      → ", &text, w);
            let joined: Vec<&str> = out.lines().map(str::trim).collect();
            assert!(joined.iter().any(|l| l.contains(path)), "{w}: {out}");
            for l in out.lines() {
                let over = l.chars().count() > w;
                assert!(!over || l.contains(path), "{w}: {l:?} is over\n{out}");
            }
        }
        // (Two words that both look like a path's are held together: "b/c and/or" is not
        // broken either, which costs a line at most.)
        assert_eq!(
            glue_paths("in /a b/c and/or d, C:\\Program Files\\x"),
            "in /a\u{1f}b/c\u{1f}and/or d, C:\\Program\u{1f}Files\\x"
        );
    }
}
