//! The JSON documents, typed: a run's report (`Report`) and a bundle (`Bundle`) are their own
//! types; `list`, `explain`, `diff`, `replay` and `fix` are the types here. Each kind's JSON
//! Schema (`schemas/KIND.json`) is generated from its type (`schemas`), so a document and its
//! schema cannot drift apart.

use schemars::{JsonSchema, Schema};
use serde::Serialize;

use super::fix::FixDoc;
use super::format::SCHEMA_VERSION;
use crate::api::Envelope;
use crate::model::catalogue::{Origin, Remedy};
use crate::model::report::Report;
use crate::model::CheckId;
use crate::replay::diff::Compared;
use crate::replay::{Changed, Provenance};

/// `list --json`: every registered check.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListDoc {
    pub schema_version: u32,
    pub checks: Vec<Listed>,
}

/// One check as `list` names it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Listed {
    pub id: CheckId,
    pub title: String,
    /// One line: what it looks at.
    pub inspects: String,
    /// The checks it needs (run first).
    pub needs: Vec<CheckId>,
}

/// A code's entry, as `explain` gives it: what it means and what to do.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Explained {
    pub code: String,
    /// Where the code comes from: an API error code, an answer the troubleshooting page
    /// documents, or a finding of the doctor's own.
    pub origin: OriginWord,
    /// The HTTP status the API sends it with (API codes).
    pub http_status: Option<u16>,
    pub meaning: String,
    pub remedy: Remedy,
}

#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OriginWord {
    Api,
    Gotcha,
    Doctor,
}

impl From<Origin> for OriginWord {
    fn from(o: Origin) -> Self {
        match o {
            Origin::Api => OriginWord::Api,
            Origin::Gotcha => OriginWord::Gotcha,
            Origin::Doctor => OriginWord::Doctor,
        }
    }
}

/// `explain --json`: one code (`explain CODE`), every code (`explain`), or an error envelope
/// read from stdin (`explain -`).
#[derive(Debug, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum ExplainDoc {
    One {
        schema_version: u32,
        #[serde(flatten)]
        entry: Explained,
    },
    All {
        schema_version: u32,
        codes: Vec<Explained>,
    },
    Envelope {
        schema_version: u32,
        envelope: Envelope,
        /// The catalogue's entry for its code; null for a code the doctor does not know.
        explanation: Option<Explained>,
    },
}

/// `diff --json`: what differs between two bundles along the wake chain.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DiffDoc<'a> {
    pub schema_version: u32,
    #[serde(flatten)]
    pub compared: &'a Compared,
    /// Nothing that matters to a wake differs (exit 0).
    pub same: bool,
}

impl<'a> DiffDoc<'a> {
    pub fn of(compared: &'a Compared) -> Self {
        DiffDoc {
            schema_version: SCHEMA_VERSION,
            same: compared.same(),
            compared,
        }
    }
}

/// `replay --json`: the run's document made from the bundle's facts, with where they came
/// from, what changed, and the checks kept as recorded.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReplayDoc<'a> {
    #[serde(flatten)]
    pub report: &'a Report,
    pub replayed_from: &'a Provenance,
    pub changed: &'a [Changed],
    pub kept_as_recorded: Vec<Kept>,
}

/// A check whose recorded facts could not be judged again, and why.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Kept {
    pub check: CheckId,
    pub why: String,
}

/// Every document kind and its JSON Schema, generated from its type: what `schemas/KIND.json`
/// holds and the tests validate every document against.
pub fn schemas() -> Vec<(&'static str, Schema)> {
    // As the documents are written: a field skipped when empty is not required.
    fn of<T: JsonSchema>() -> Schema {
        schemars::generate::SchemaSettings::draft2020_12()
            .for_serialize()
            .into_generator()
            .into_root_schema_for::<T>()
    }
    let kinds = [
        ("run", of::<Report>(), "a run's report (check, --json)"),
        (
            "bundle",
            of::<crate::bundle::Bundle>(),
            "a support bundle (report)",
        ),
        ("fix", of::<FixDoc<'static>>(), "a fix session (fix --json)"),
        (
            "replay",
            of::<ReplayDoc<'static>>(),
            "a bundle judged again (replay)",
        ),
        (
            "diff",
            of::<DiffDoc<'static>>(),
            "two bundles compared (diff)",
        ),
        (
            "explain",
            of::<ExplainDoc>(),
            "codes explained (explain --json)",
        ),
        ("list", of::<ListDoc>(), "the checks (list --json)"),
    ];
    kinds
        .into_iter()
        .map(|(kind, mut schema, what)| {
            schema.insert("title".into(), format!("agent-rooms-doctor: {what}").into());
            (kind, schema)
        })
        .collect()
}
