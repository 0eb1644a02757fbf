//! The outcome model: what a check found, as plain data that renderers turn into text.

use serde::{Deserialize, Serialize};
use std::time::Duration;

pub use super::catalogue::Remedy;
use super::catalogue::{self, Code};
pub use super::facts::Facts;
use super::text::Text;
use super::CheckId;

/// How a check ended.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Skip,
    Warn,
    Fail,
}

impl Status {
    pub fn word(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }
}

/// One problem a check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Finding {
    pub code: Code,
    /// Whole in JSON; its head (what the summary says) and long lists stay typed for a person.
    pub message: Text,
    pub remedy: Remedy,
    pub request_id: Option<String>,
    /// The finding this one follows from (`model::cause`), when it is a consequence; its code
    /// in JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caused_by: Option<CausedBy>,
    /// A log finding that a check run now disproves (its code's `judged_now_by` passes: the
    /// token is accepted now): history, shown with its time, never a root cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<CheckId>,
    /// Causes this one finding follows from beyond its code's (`model::cause`): a crash whose
    /// last words are the token's refusal follows from the token check's finding.
    #[serde(skip)]
    pub follows: &'static [&'static catalogue::Entry],
    /// Accepted by `--allow` (until a date, or expired): shown, marked; while it holds, it does
    /// not count against the exit code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<super::accept::Acceptance>,
}

impl Finding {
    /// A finding whose remedy comes from its catalogue entry.
    pub fn new(code: &'static catalogue::Entry, message: impl Into<Text>) -> Self {
        Self::of(Code::Known(code), message)
    }

    /// A finding of a code named in outside text — an API answer, a log line: its entry, or
    /// passed through as it came.
    pub fn named(code: &str, message: impl Into<Text>) -> Self {
        Self::of(Code::of_api(code), message)
    }

    fn of(code: Code, message: impl Into<Text>) -> Self {
        Finding {
            remedy: catalogue::remedy(&code),
            code,
            message: message.into(),
            request_id: None,
            caused_by: None,
            resolved_by: None,
            follows: &[],
            accepted: None,
        }
    }

    /// Accepted by `--allow`, and the acceptance has not expired: it does not count.
    pub fn is_accepted(&self) -> bool {
        self.accepted.as_ref().is_some_and(|a| a.holds())
    }

    /// Its first step, made for the case, is what to do first; its commands come after.
    pub fn step_leads(mut self) -> Self {
        self.remedy.step_leads = true;
        self
    }

    /// This finding follows from `causes` too, when another check finds one of them.
    pub fn following(mut self, causes: &'static [&'static catalogue::Entry]) -> Self {
        self.follows = causes;
        self
    }

    /// Replace the catalogue's generic commands with ones made for this case (e.g. `codex login`
    /// as alice), each built as data (`model::command`).
    pub fn with_commands(mut self, commands: Vec<super::command::Command>) -> Self {
        self.remedy.commands = commands;
        self
    }

    /// Put a step made for this case before the catalogue's steps: a person reads it alone
    /// (`Remedy::for_person`).
    pub fn with_step_first(mut self, step: impl Into<String>) -> Self {
        self.remedy.steps.insert(0, step.into());
        self.remedy.specific += 1;
        self
    }

    /// Another way to the same fix, after the one the step and commands so far give: its step
    /// (made for this case) and its commands. One or the other, never both: `fix` runs none of
    /// these, and the renderers say "or".
    pub fn with_alternative(
        mut self,
        step: impl Into<String>,
        commands: Vec<super::command::Command>,
    ) -> Self {
        let at = self.remedy.specific.min(self.remedy.steps.len());
        self.remedy.steps.insert(at, step.into());
        self.remedy.specific = at + 1;
        self.remedy.or_from = Some(self.remedy.commands.len());
        self.remedy
            .commands
            .extend(commands.into_iter().map(super::command::Command::shown));
        self
    }

    /// Replace the catalogue's steps with this one: for a case the catalogue's words would
    /// misdirect (a value given by a flag is not fixed in a file).
    pub fn with_only_step(mut self, step: impl Into<String>) -> Self {
        self.remedy.steps = vec![step.into()];
        self.remedy.specific = 1;
        self
    }

    pub fn with_request_id(mut self, id: Option<String>) -> Self {
        self.request_id = id;
        self
    }
}

/// What a finding follows from (`model::cause`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CausedBy {
    /// The code of the finding it follows from.
    pub code: String,
    /// It is that same problem, seen in the listener's log while another check finds it now: it
    /// stays in its own check (a person reads it there), not under its cause.
    pub seen_now: bool,
}

impl CausedBy {
    /// A consequence shown under its cause's finding of `code`.
    pub fn shown_under(&self, code: &str) -> bool {
        !self.seen_now && self.code == code
    }
}

super::schema::string_schema!(CausedBy);

/// In JSON, the cause's code (schema 1).
impl Serialize for CausedBy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code)
    }
}

/// A check's diagnosis: the pure part of its outcome, before the engine adds id, title and timing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnosis {
    pub status: Status,
    pub summary: Text,
    pub findings: Vec<Finding>,
    /// Why it skipped, in words a dependent check can quote (the summary may say more).
    pub skip_reason: Option<String>,
    /// Skipped because nothing it needs was set up here (no agent-rooms home): `--strict`
    /// fails it, as it fails a skip for a missing API URL or token.
    pub unconfigured: bool,
}

impl Diagnosis {
    pub fn pass(summary: impl Into<Text>) -> Self {
        Diagnosis {
            status: Status::Pass,
            summary: summary.into(),
            findings: vec![],
            skip_reason: None,
            unconfigured: false,
        }
    }
    /// Skipped, and the summary is the whole reason.
    pub fn skip(summary: impl Into<Text>) -> Self {
        let summary = summary.into();
        let reason = summary.to_string();
        Self::skipped(summary, reason)
    }
    /// Skipped with a summary that says more than the `reason` a dependent check quotes.
    pub fn skipped(summary: impl Into<Text>, reason: impl Into<String>) -> Self {
        Diagnosis {
            status: Status::Skip,
            summary: summary.into(),
            findings: vec![],
            skip_reason: Some(reason.into()),
            unconfigured: false,
        }
    }
    /// Failed with one finding, whose message is also the summary.
    pub fn failed(code: &'static catalogue::Entry, msg: String) -> Self {
        Diagnosis {
            status: Status::Fail,
            summary: msg.clone().into(),
            findings: vec![Finding::new(code, msg)],
            skip_reason: None,
            unconfigured: false,
        }
    }
    /// Status from the findings' severities: the worst wins.
    pub fn from_findings(summary: impl Into<Text>, findings: Vec<(Status, Finding)>) -> Self {
        let status = findings
            .iter()
            .map(|(s, _)| *s)
            .max()
            .unwrap_or(Status::Pass);
        Diagnosis {
            status,
            summary: summary.into(),
            findings: findings.into_iter().map(|(_, f)| f).collect(),
            skip_reason: None,
            unconfigured: false,
        }
    }
}

/// A finished check, as every renderer sees it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CheckOutcome {
    pub id: CheckId,
    pub title: String,
    pub status: Status,
    pub summary: Text,
    #[serde(serialize_with = "ser_ms")]
    #[schemars(schema_with = "super::schema::millis")]
    pub duration_ms: Duration,
    /// The check's own facts struct, typed to the last renderer (`Facts::get`).
    #[schemars(schema_with = "super::schema::facts")]
    pub facts: Facts,
    pub findings: Vec<Finding>,
    /// Why it skipped, for the checks that need it (not part of the JSON).
    #[serde(skip)]
    pub skip_reason: Option<String>,
    /// Skipped because nothing was set up here (`--strict` fails it); in the JSON only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unconfigured: bool,
}

pub(super) fn ser_ms<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

/// Why the part of a check that needs another cannot run: that check failed, was skipped, or was
/// not run. Typed, so no check reads another's summary text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blocked {
    pub id: CheckId,
    /// None: the check was not run at all.
    pub status: Option<Status>,
    /// Its findings' codes.
    pub codes: Vec<String>,
    /// Its own reason for skipping, when it skipped without a finding.
    pub reason: Option<String>,
}

impl std::fmt::Display for Blocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let id = self.id.as_str();
        match self.status {
            None => write!(f, "the {id} check was not run"),
            Some(s) if self.codes.is_empty() => write!(
                f,
                "the {id} check is {}: {}",
                s.word(),
                self.reason.as_deref().unwrap_or("no reason given")
            ),
            Some(s) => write!(
                f,
                "the {id} check is {} ({})",
                s.word(),
                self.codes.join(", ")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalogue as codes;

    #[test]
    fn a_person_reads_the_step_made_for_the_case_alone() {
        let generic = Finding::new(codes::HOST_NOT_FOUND, "m");
        assert_eq!(generic.remedy.specific, 0);
        assert_eq!(generic.remedy.for_person(), &generic.remedy.steps[..]);
        let f = generic
            .clone()
            .with_step_first("Restart it under pm2 with PATH=…");
        assert_eq!(f.remedy.for_person(), ["Restart it under pm2 with PATH=…"]);
        assert_eq!(f.remedy.steps.len(), generic.remedy.steps.len() + 1);
        let json = serde_json::to_value(&f.remedy).unwrap();
        assert_eq!(json["specific_steps"], 1);
        let only = generic.with_only_step("Fix --api-url");
        assert_eq!(only.remedy.for_person(), ["Fix --api-url"]);
    }

    #[test]
    fn worst_finding_sets_status() {
        let d = Diagnosis::from_findings(
            "s",
            vec![
                (Status::Warn, Finding::new(codes::TOKEN_EXPIRING_SOON, "m")),
                (Status::Fail, Finding::new(codes::TOKEN_EXPIRED, "m")),
            ],
        );
        assert_eq!(d.status, Status::Fail);
        assert_eq!(d.findings.len(), 2);
    }
}
