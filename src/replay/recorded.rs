//! What a bundle recorded, as `replay` and `diff` read it: where it came from, each check's
//! verdict and facts, the host CLIs it listed, the events. Plain data; `read` (today's data
//! block or JSON) and `legacy` (0.1.0's markdown) fill it.

use serde::Serialize;

use crate::model::outcome::Status;
use crate::model::timeline::Event;
use crate::model::CheckId;

/// The bundle schema this version reads (`checks.schema_version` in JSON, `- schema:` in
/// markdown; a markdown bundle without that line is from before it was written, and is 1).
pub const SCHEMA: u32 = 1;

/// Where recorded facts came from: which doctor, when, on what machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Provenance {
    pub report_id: String,
    pub generated_at: String,
    pub doctor_version: String,
    /// Which build wrote it (commit, date, target, channel): None in a bundle from before it was
    /// recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<crate::model::build::Build>,
    /// "OS, kernel, arch" as the bundle says it.
    pub system: String,
    /// Who ran it ("alice (uid 1000)").
    pub run_by: String,
    /// The agent-rooms home judged, as the bundle names it.
    pub home: String,
}

/// One check as the bundle recorded it: its verdict and its facts.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedCheck {
    pub id: CheckId,
    pub status: Status,
    pub codes: Vec<String>,
    pub facts: serde_json::Value,
}

/// A host CLI on the doctor's PATH as the bundle lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedHost {
    pub name: String,
    pub paths: String,
    pub version: String,
}

/// A bundle read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub from: Provenance,
    pub checks: Vec<RecordedCheck>,
    pub hosts: Vec<RecordedHost>,
    /// The events the bundle recorded, newest first (`timeline`); an event that does not read
    /// back is left out.
    pub timeline: Vec<Event>,
    /// The run was made with `--strict` (its JSON says `"strict": true`; a markdown bundle by
    /// the NOTHING_CHECKED it recorded, which only --strict reports).
    pub strict: bool,
}

/// A status word as a report writes it ("pass", "fail"…).
pub(super) fn status(word: &str) -> Option<Status> {
    serde_json::from_value(serde_json::Value::String(word.to_string())).ok()
}

/// A recorded NOTHING_CHECKED: only a run under --strict reports it.
pub(super) fn ran_strict(checks: &[RecordedCheck]) -> bool {
    checks
        .iter()
        .any(|c| c.codes.iter().any(|k| k == "NOTHING_CHECKED"))
}

/// The events of a recorded timeline (a JSON array) that read back.
pub(super) fn events(v: &serde_json::Value) -> Vec<Event> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| serde_json::from_value(e.clone()).ok())
        .collect()
}
