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
    format!(
        "{} passed, {} {}, {} failed, {} skipped{}",
        s.pass,
        s.warn,
        if s.warn == 1 { "warning" } else { "warnings" },
        s.fail,
        s.skip,
        match strict {
            0 => String::new(),
            n => format!(" (--strict fails the run on {n} of them)"),
        }
    )
}

/// Write `lead` then `text`, wrapped to `width` with a hanging indent under the text's start
/// (`lead_width` is the lead's visible width: it may hold colour). Off a terminal, or when the
/// room left is too narrow to help, the line is written whole.
pub fn prose(out: &mut String, lead: &str, lead_width: usize, text: &str, width: Option<usize>) {
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
                let _ = std::fmt::Write::write_fmt(out, format_args!("{pad}{line}\n"));
            }
        }
        _ => {
            let _ = std::fmt::Write::write_fmt(out, format_args!("{lead}{text}\n"));
        }
    }
}
