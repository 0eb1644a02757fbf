//! A support bundle read back: the JSON that `report --json` writes (or a run's own `--json`,
//! which is the bundle's "checks" alone), or the markdown that `report` writes (its header, its
//! checks table, its findings' headings and each check's facts block). Nothing is probed.

use crate::model::CheckId;

use super::recorded::{events, ran_strict, status};
pub use super::recorded::{Provenance, Recorded, RecordedCheck, RecordedHost, SCHEMA};

/// Why a bundle cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Unreadable {
    #[error(
        "{0} is not an agent-rooms-doctor report (JSON from `report --json`, or the markdown \
            `report` writes): {1}"
    )]
    NotABundle(String, String),
    #[error(
        "{0} is a report of schema {1}; this doctor reads schema {SCHEMA} (replay it with the doctor \
            version that wrote it, {2})"
    )]
    OtherSchema(String, u32, String),
}

/// Read the bundle `text`, named `name` in errors.
pub fn read(name: &str, text: &str) -> Result<Recorded, Unreadable> {
    let not = |why: &str| Unreadable::NotABundle(name.to_string(), why.to_string());
    let json = |text: &str| -> Result<_, Unreadable> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| not(&format!("not JSON: {e}")))?;
        from_json(&v).map_err(|why| not(&why))
    };
    let r = if text.trim_start().starts_with('{') {
        json(text)?
    } else if let Some(data) = embedded_data(text) {
        json(data)?
    } else {
        // A markdown bundle of 0.1.0, written before bundles carried their data: its sections.
        super::legacy::read(text).map_err(|why| not(&why))?
    };
    let (schema, mut rec) = r;
    clean(&mut rec);
    if schema != SCHEMA {
        return Err(Unreadable::OtherSchema(
            name.to_string(),
            schema,
            rec.from.doctor_version,
        ));
    }
    if rec.checks.is_empty() {
        return Err(not("it records no check"));
    }
    Ok(rec)
}

/// The JSON block under a markdown bundle's data heading (`bundle::DATA_HEADING`): the
/// bundle's data, written once; the headings and tables above it are for people. A pretty
/// printed JSON holds no raw newline inside a string, so its block ends at the first line that
/// is a fence.
fn embedded_data(md: &str) -> Option<&str> {
    let heading = format!("\n{}\n", crate::bundle::DATA_HEADING);
    let after = &md[md.find(&heading)? + heading.len()..];
    let start = after.find("```json\n")? + "```json\n".len();
    let block = &after[start..];
    Some(&block[..block.find("\n```")?])
}

/// A bundle is text from outside: every value read from it is data from here on (no escape
/// sequence or control character reaches a terminal through `replay` or `diff`).
fn clean(rec: &mut Recorded) {
    use crate::sanitize::{outside, outside_json};
    const CAP: usize = 4000;
    let p = &mut rec.from;
    for f in [
        &mut p.report_id,
        &mut p.generated_at,
        &mut p.doctor_version,
        &mut p.system,
        &mut p.run_by,
        &mut p.home,
    ] {
        *f = outside(f, CAP);
    }
    for c in &mut rec.checks {
        c.codes = c.codes.iter().map(|code| outside(code, 100)).collect();
        outside_json(&mut c.facts, CAP);
    }
    for h in &mut rec.hosts {
        for f in [&mut h.name, &mut h.paths, &mut h.version] {
            *f = outside(f, CAP);
        }
    }
    for e in &mut rec.timeline {
        for f in [&mut e.what, &mut e.source] {
            *f = outside(f, CAP);
        }
    }
}

fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn from_json(v: &serde_json::Value) -> Result<(u32, Recorded), String> {
    // A bundle holds the run's report under "checks"; a run's own `--json` is that report.
    let checks = match v.get("checks") {
        Some(c) if c.is_object() => c,
        Some(c) if c.is_array() => v,
        _ => return Err("it has no \"checks\"".into()),
    };
    let schema = checks["schema_version"]
        .as_u64()
        .ok_or("it has no schema_version")? as u32;
    let out = checks["checks"]
        .as_array()
        .ok_or("its checks have no list")?
        .iter()
        .map(recorded_check)
        .collect::<Result<Vec<_>, String>>()?;
    let hosts = v["hosts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(recorded_host)
        .collect();
    let timeline = events(&checks["timeline"]);
    let strict = checks["strict"].as_bool() == Some(true) || ran_strict(&out);
    let recorded = Recorded {
        from: provenance(v),
        checks: out,
        hosts,
        timeline,
        strict,
    };
    Ok((schema, recorded))
}

/// Who made the bundle, when, where: as the markdown's header says them.
fn provenance(v: &serde_json::Value) -> Provenance {
    let sys = &v["system"];
    let root = if v["root"] == true { ", root" } else { "" };
    Provenance {
        report_id: text(&v["report_id"]),
        generated_at: text(&v["generated_at"]),
        doctor_version: text(&v["doctor_version"]),
        // The build is its report's (`checks.build`).
        build: serde_json::from_value(v["checks"]["build"].clone()).ok(),
        system: [&sys["os"], &sys["kernel"], &sys["arch"]]
            .map(text)
            .join(", "),
        run_by: format!("{} (uid {}{root})", text(&v["user"]), text(&v["uid"])),
        home: format!(
            "{} ({})",
            v["home"]["path"].as_str().unwrap_or("unknown"),
            text(&v["home"]["why"])
        ),
    }
}

/// One check as recorded: its id (one this doctor knows), status, codes and facts.
fn recorded_check(c: &serde_json::Value) -> Result<RecordedCheck, String> {
    let id = c["id"].as_str().unwrap_or_default();
    let Ok(id) = id.parse::<CheckId>() else {
        return Err(format!(
            "it records a check {id:?} this doctor does not know"
        ));
    };
    Ok(RecordedCheck {
        id,
        status: status(c["status"].as_str().unwrap_or_default())
            .ok_or_else(|| format!("the {id} check has no status"))?,
        codes: c["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| text(&f["code"]))
            .collect(),
        facts: c["facts"].clone(),
    })
}

/// A host CLI on the doctor's PATH as recorded.
fn recorded_host(h: &serde_json::Value) -> RecordedHost {
    RecordedHost {
        name: text(&h["name"]),
        paths: h["paths"]
            .as_array()
            .map(|p| p.iter().map(text).collect::<Vec<_>>().join(", "))
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "not found".into()),
        version: text(&h["version"]),
    }
}
