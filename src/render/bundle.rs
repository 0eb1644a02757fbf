//! The support bundle as markdown: renders in a ticket or an issue, and reads as plain text.

use std::fmt::Write;

use super::format::{supports, Format, Unsupported};
use super::markdown::cell;
use crate::bundle::{Bundle, DATA_HEADING};
use crate::model::shown::Shown;
use crate::redact;

/// The bundle is markdown (also for the default, human, format) or JSON.
pub const FORMATS: &[Format] = &[Format::Human, Format::Markdown, Format::Json];

/// The whole bundle in `format`.
pub fn render(b: &Bundle, format: Format) -> Result<String, Unsupported> {
    Ok(match supports("the report", format, FORMATS)? {
        Format::Json => super::format::json(b),
        _ => redact::redact_text(&markdown(b)),
    })
}

/// The sections, top to bottom: where it came from, the checks, the listeners, the host CLIs,
/// the files, what changed, and the whole bundle as data.
pub fn markdown(b: &Bundle) -> String {
    let mut o = String::new();
    header(&mut o, b);
    checks(&mut o, b);
    listeners(&mut o, b);
    hosts(&mut o, b);
    files(&mut o, b);
    what_changed(&mut o, b);
    data(&mut o, b);
    o
}

/// Every event the machine records that bears on the wake chain, newest first (as data in the
/// data block).
fn what_changed(o: &mut String, b: &Bundle) {
    if b.checks.timeline.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## What changed (newest first)\n");
    for e in &b.checks.timeline {
        let _ = writeln!(
            o,
            "- {}: {} ({})",
            crate::time_util::rfc3339(e.at),
            cell(&e.what),
            cell(&e.source)
        );
    }
}

/// Who ran it, where, when, with which home and proxy.
fn header(o: &mut String, b: &Bundle) {
    let _ = writeln!(o, "# agent-rooms-doctor report `{}`\n", b.report_id);
    let _ = writeln!(o, "- doctor: {}", b.doctor_version);
    let _ = writeln!(o, "- build: {}", b.checks.build.line());
    // What `replay` and `diff` read this report as.
    let _ = writeln!(o, "- schema: {}", b.checks.schema_version);
    let _ = writeln!(
        o,
        "- generated: {} (time zone: {})",
        b.generated_at,
        cell(&b.system.timezone)
    );
    let _ = writeln!(
        o,
        "- system: {}, {}, {}",
        cell(&b.system.os),
        cell(&b.system.kernel),
        cell(&b.system.arch)
    );
    let _ = writeln!(
        o,
        "- run by: {} (uid {}{})",
        cell(&b.user),
        b.uid,
        if b.root { ", root" } else { "" }
    );
    let _ = writeln!(
        o,
        "- agent-rooms home: {} ({})",
        b.home
            .path
            .as_ref()
            .map_or("unknown".into(), |p| cell(&p.display().to_string())),
        cell(&b.home.why)
    );
    let _ = writeln!(
        o,
        "- proxy: {}",
        if b.proxy.is_empty() {
            "none".into()
        } else {
            cell(&b.proxy.join(", "))
        }
    );
    if let Some(why) = &b.incomplete {
        let _ = writeln!(o, "- incomplete: {}", cell(why));
    }
    let _ = writeln!(o);
}

/// The checks as the markdown renderer shows them, under a heading of their own (the version is
/// already above).
fn checks(o: &mut String, b: &Bundle) {
    // (The markdown renderer's first line is its title.), under a heading of their own (the version
    let checks = super::markdown::render(&b.checks);
    let table = checks
        .split_once('\n')
        .map_or(checks.as_str(), |(_, rest)| rest);
    let _ = writeln!(o, "## Checks: {}", super::format::counts(&b.checks));
    o.push_str(table);
}

/// Each listener: pid, user, uptime, supervisor, argv, PATH, its environment's names.
fn listeners(o: &mut String, b: &Bundle) {
    let _ = writeln!(o, "\n## Listeners\n");
    if b.listeners.is_empty() {
        let _ = writeln!(o, "none running");
    } else {
        let _ = writeln!(
            o,
            "| pid | user | uptime | supervisor | argv | PATH | environment (names) |\n|---|---|---|---|---|---|---|"
        );
        for l in &b.listeners {
            let env = match &l.env_names {
                Ok(n) => n.join(", "),
                Err(why) => format!("not readable: {why}"),
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | `{}` | {} | {} |",
                l.pid,
                cell(&l.user),
                l.uptime,
                cell(&l.supervisor),
                cell(&l.argv),
                cell(l.path.as_deref().unwrap_or("-")),
                cell(&env)
            );
        }
    }
}

/// The host CLI as each listener finds it (what the host check judged: the listener's PATH, as
/// its user), then the host CLIs on the doctor's own PATH with their versions.
fn hosts(o: &mut String, b: &Bundle) {
    let mut shown = Shown::default();
    for c in &b.checks.checks {
        if let Some(def) = crate::checks::by_id(c.id) {
            (def.shows)(&c.facts, &mut shown);
        }
    }
    for t in shown.0 {
        let rule = vec!["---"; t.columns.len()].join("|");
        let _ = writeln!(
            o,
            "\n## {}\n\n| {} |\n|{rule}|",
            t.heading,
            t.columns.join(" | ")
        );
        for row in t.rows {
            let cells: Vec<String> = row.iter().map(|v| cell(&outside(v))).collect();
            let _ = writeln!(o, "| {} |", cells.join(" | "));
        }
    }
    let _ = writeln!(
        o,
        "\n## Host CLIs (on the doctor's PATH)\n\n| host | path(s) | version |\n|---|---|---|"
    );
    for h in &b.hosts {
        let _ = writeln!(
            o,
            "| {} | {} | {} |",
            h.name,
            if h.paths.is_empty() {
                "not found".into()
            } else {
                cell(&h.paths.join(", "))
            },
            cell(h.version.as_deref().unwrap_or("-"))
        );
    }
}

/// The agent-rooms files (size, mode, owner, time) and config.json with its secrets masked.
fn files(o: &mut String, b: &Bundle) {
    let _ = writeln!(o, "\n## agent-rooms files\n\n| file | size | mode | owner | modified |\n|---|---|---|---|---|");
    for f in &b.files {
        if f.present {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                cell(&f.name),
                f.size.unwrap_or(0),
                f.mode.as_deref().unwrap_or("-"),
                cell(f.owner.as_deref().unwrap_or("-")),
                f.modified.as_deref().unwrap_or("-")
            );
        } else {
            let _ = writeln!(o, "| {} | missing | | | |", cell(&f.name));
        }
    }
    if let Some(c) = &b.config {
        let _ = writeln!(
            o,
            "\nconfig.json (secrets masked):\n\n```json\n{}\n```",
            crate::sanitize::pretty_json(&serde_json::to_value(c).unwrap_or_default())
        );
    }
}

/// The whole bundle as JSON (as `report --json` writes it), folded: each check's facts, the
/// events, the header's provenance.
fn data(o: &mut String, b: &Bundle) {
    let _ = writeln!(
        o,
        "\n{DATA_HEADING}\n\n<details><summary>the whole report as JSON (each check's facts, what \
            changed): what replay and diff read</summary>\n\n```json\n{}```\n\n</details>",
        super::format::json(b)
    );
}

/// A value read from the system, made safe to print (the typed facts are raw until written).
fn outside(s: &str) -> String {
    crate::sanitize::outside(s, crate::model::facts::FACT_CAP)
}
