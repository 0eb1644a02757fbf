//! `replay` and `diff` as documents: a replayed report headed by where its facts came from and
//! followed by the verdicts that changed, and two bundles' differences along the wake chain.

use super::documents::{DiffDoc, Kept, ReplayDoc};
use std::fmt::Write;

use super::format::{json, prose, Format, Style};
use super::markdown::cell;
use crate::redact;
use crate::replay::diff::Compared;

/// The formats a diff is written in.
pub const DIFF_FORMATS: &[Format] = &[Format::Human, Format::Markdown, Format::Json];
use crate::replay::{Provenance, Replayed};

/// "report ard-… by agent-rooms-doctor 0.1.0 at 2026-…Z on Linux, 6.1, x86_64 (run by alice …)".
fn provenance(p: &Provenance) -> String {
    let build = p
        .build
        .as_ref()
        .map(|b| format!(" ({})", b.line()))
        .unwrap_or_default();
    format!(
        "report {} by agent-rooms-doctor {}{build} at {} on {} (run by {}; home {})",
        p.report_id, p.doctor_version, p.generated_at, p.system, p.run_by, p.home
    )
}

/// A replayed bundle in `format`.
pub fn replayed(r: &Replayed, format: Format, style: Style) -> String {
    if format == Format::Json {
        return replayed_json(r);
    }
    let body = super::render(&r.report, format, style);
    if matches!(format, Format::Junit | Format::Github | Format::Prometheus) {
        return body;
    }
    let md = format == Format::Markdown;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}Replayed: {}.\nJudged again by agent-rooms-doctor {} from the recorded facts, at their \
            own clock; nothing on this machine was looked at.\n",
        if md { "> " } else { "" },
        provenance(&r.from),
        env!("CARGO_PKG_VERSION")
    );
    o.push_str(&body);
    let _ = writeln!(
        o,
        "\n{}",
        if md {
            "## Changed since it was recorded"
        } else {
            "Changed since it was recorded:"
        }
    );
    if r.changed.is_empty() {
        let _ = writeln!(o, "  every check's verdict is as recorded");
    }
    for c in &r.changed {
        let _ = writeln!(
            o,
            "{}{}: recorded {}, now {} (this version's rules)",
            if md { "- " } else { "  " },
            c.check,
            c.recorded,
            c.now
        );
    }
    for (id, why) in &r.kept {
        let _ = writeln!(
            o,
            "{}{id}: kept as recorded: {why}",
            if md { "- " } else { "  " }
        );
    }
    redact::redact_text(&o)
}

/// The replay as JSON: the run's document, with where its facts came from, what changed, and
/// the checks kept as recorded.
fn replayed_json(r: &Replayed) -> String {
    json(&ReplayDoc {
        report: &r.report,
        replayed_from: &r.from,
        changed: &r.changed,
        kept_as_recorded: r
            .kept
            .iter()
            .map(|(check, why)| Kept {
                check: *check,
                why: why.clone(),
            })
            .collect(),
    })
}

/// What differs along the wake chain: a table in markdown, A and B under each for a person.
fn differences(o: &mut String, c: &Compared, md: bool, width: Option<usize>) {
    if c.differences.is_empty() {
        return;
    }
    if md {
        let _ = writeln!(
            o,
            "## Along the wake chain\n\n| link | what | A | B |\n|---|---|---|---|"
        );
        for d in &c.differences {
            let (what, a, b) = (cell(&d.what), cell(&d.a), cell(&d.b));
            let _ = writeln!(o, "| {} | {what} | {a} | {b} |", d.link);
        }
        return;
    }
    let _ = writeln!(o, "Along the wake chain:");
    for d in &c.differences {
        let _ = writeln!(o, "  {:<9} {}", d.link, d.what);
        prose(o, "      A: ", 9, &d.a, width);
        prose(o, "      B: ", 9, &d.b, width);
    }
}

/// Two bundles' differences in `format`.
pub fn compared(c: &Compared, format: Format, width: Option<usize>) -> String {
    if format == Format::Json {
        return json(&DiffDoc::of(c));
    }
    let md = format == Format::Markdown;
    let mut o = String::new();
    if md {
        let _ = writeln!(o, "- A: {}\n- B: {}\n", provenance(&c.a), provenance(&c.b));
    } else {
        prose(&mut o, "A: ", 3, &provenance(&c.a), width);
        prose(&mut o, "B: ", 3, &provenance(&c.b), width);
        o.push('\n');
    }
    if c.same() {
        let _ = writeln!(
            o,
            "Nothing that bears on a wake differs (the report ids and times aside)."
        );
        return redact::redact_text(&o);
    }
    differences(&mut o, c, md, width);
    if !c.checks.is_empty() {
        let _ = writeln!(
            o,
            "\n{}",
            if md {
                "## Checks whose verdict differs\n\n| check | A | B |\n|---|---|---|"
            } else {
                "Checks whose verdict differs:"
            }
        );
        for d in &c.checks {
            if md {
                let _ = writeln!(o, "| {} | {} | {} |", d.check, d.a, d.b);
            } else {
                let _ = writeln!(o, "  {:<9} A: {}   B: {}", d.check.as_str(), d.a, d.b);
            }
        }
    }
    redact::redact_text(&o)
}
