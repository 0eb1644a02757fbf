//! The `explain` documents: one code, every code, or an error envelope read from stdin, each with
//! the catalogue's meaning and remedy (the same text the checks' findings carry).

use std::fmt::Write;

use super::documents::{ExplainDoc, Explained};
use super::format::{supports, Format, Unsupported, SCHEMA_VERSION};
use crate::api::Envelope;
use crate::model::catalogue::{self, Entry, Origin};
use crate::redact;

/// `explain` is written for a person or as JSON.
pub const FORMATS: &[Format] = &[Format::Human, Format::Json];

/// One code's entry.
pub fn code(e: &Entry, format: Format) -> Result<String, Unsupported> {
    Ok(match supports("explain", format, FORMATS)? {
        Format::Json => super::format::json(&ExplainDoc::One {
            schema_version: SCHEMA_VERSION,
            entry: explained(e),
        }),
        _ => entry(e),
    })
}

/// Every code in the catalogue.
pub fn all(format: Format) -> Result<String, Unsupported> {
    Ok(match supports("explain", format, FORMATS)? {
        Format::Json => super::format::json(&ExplainDoc::All {
            schema_version: SCHEMA_VERSION,
            codes: catalogue::CATALOGUE
                .iter()
                .copied()
                .map(explained)
                .collect(),
        }),
        _ => catalogue::CATALOGUE
            .iter()
            .copied()
            .map(entry)
            .collect::<Vec<_>>()
            .join("\n"),
    })
}

/// An error envelope, explained.
pub fn envelope_doc(
    env: &Envelope,
    e: Option<&Entry>,
    format: Format,
) -> Result<String, Unsupported> {
    Ok(match supports("explain", format, FORMATS)? {
        Format::Json => super::format::json(&ExplainDoc::Envelope {
            schema_version: SCHEMA_VERSION,
            envelope: env.clone(),
            explanation: e.map(explained),
        }),
        _ => redact::redact_text(&envelope(env, e)),
    })
}

fn origin(e: &Entry) -> String {
    match (e.origin, e.http_status) {
        (Origin::Api, Some(s)) => format!("API error code, HTTP {s}"),
        (Origin::Gotcha, _) => "answer from the API (troubleshooting page)".into(),
        _ => "doctor finding".into(),
    }
}

fn remedy(e: &Entry, out: &mut String) {
    let _ = writeln!(out, "What to do:");
    for s in e.steps {
        let _ = writeln!(out, "  → {s}");
    }
    for c in catalogue::generic_commands(e) {
        let _ = writeln!(out, "    $ {c}");
    }
}

/// One entry: code, where it comes from, meaning, remedy.
fn entry(e: &Entry) -> String {
    let mut out = format!("{} ({})\n  {}\n", e.code, origin(e), e.meaning);
    remedy(e, &mut out);
    out
}

fn explained(e: &Entry) -> Explained {
    Explained {
        code: e.code.into(),
        origin: e.origin.into(),
        http_status: e.http_status,
        meaning: e.meaning.into(),
        remedy: catalogue::Remedy {
            steps: e.steps.iter().map(|s| s.to_string()).collect(),
            commands: catalogue::generic_commands(e),
            specific: 0,
            step_leads: false,
            or_from: None,
        },
    }
}

/// What the catalogue says of the envelope's code (and whether the API sent the status the code
/// is documented with), or that the code is unknown here.
fn explanation(out: &mut String, env: &Envelope, e: Option<&Entry>) {
    let Some(e) = e else {
        let _ = writeln!(
            out,
            "  `{}` is not a code this doctor knows; it is shown as the API sent it.",
            env.code
        );
        let _ = writeln!(
            out,
            "What to do:\n  → Quote the code and the request id below to support."
        );
        return;
    };
    let _ = writeln!(out, "  Meaning: {}", e.meaning);
    if let (Some(sent), Some(known)) = (env.status, e.http_status) {
        if sent != known {
            let _ = writeln!(
                out,
                "  Note: the API documents {} with HTTP {known}, this envelope says {sent}.",
                e.code
            );
        }
    }
    remedy(e, out);
}

/// An error envelope read from stdin, with the catalogue's entry for its code (if known).
fn envelope(env: &Envelope, e: Option<&Entry>) -> String {
    let mut out = String::new();
    match env.status {
        Some(s) => {
            let _ = writeln!(out, "{} (HTTP {s})", env.code);
        }
        None => {
            let _ = writeln!(out, "{}", env.code);
        }
    }
    if let Some(m) = &env.message {
        let _ = writeln!(out, "  The API said: {m}");
    }
    explanation(&mut out, env, e);
    if !env.fields.is_empty() {
        let _ = writeln!(out, "Fields with a problem:");
        for (k, v) in &env.fields {
            let _ = writeln!(out, "  {k}: {v}");
        }
    }
    match &env.request_id {
        Some(id) => {
            let _ = writeln!(
                out,
                "Request id to quote to support: {id} (the Cloudflare ray id of the request)"
            );
        }
        None => {
            let _ = writeln!(
                out,
                "No request_id in the envelope: quote the response's cf-ray header instead, if you have it."
            );
        }
    }
    out
}
