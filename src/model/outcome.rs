//! The outcome model: what a check found, as plain data that renderers turn into text.

use serde::Serialize;
use std::time::Duration;

use super::catalogue;
pub use super::catalogue::Remedy;
use super::cause::{self, StartHere};

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: String,
    pub message: String,
    pub remedy: Remedy,
    pub request_id: Option<String>,
    /// The code of the finding this one follows from (`model::cause`), when it is a consequence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caused_by: Option<String>,
}

impl Finding {
    /// A finding whose remedy comes from the catalogue entry for `code`.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Finding {
            code: code.to_string(),
            message: message.into(),
            remedy: catalogue::remedy(code),
            request_id: None,
            caused_by: None,
        }
    }

    /// Replace the catalogue's generic commands with ones made for this case (e.g. `codex login`
    /// as alice), each built as data (`model::command`).
    pub fn with_commands(mut self, commands: Vec<super::command::Command>) -> Self {
        self.remedy.commands = commands;
        self
    }

    /// Put a step specific to this case before the catalogue's steps.
    pub fn with_step_first(mut self, step: impl Into<String>) -> Self {
        self.remedy.steps.insert(0, step.into());
        self
    }

    /// Replace the catalogue's steps with this one: for a case the catalogue's words would
    /// misdirect (a value given by a flag is not fixed in a file).
    pub fn with_only_step(mut self, step: impl Into<String>) -> Self {
        self.remedy.steps = vec![step.into()];
        self
    }

    pub fn with_request_id(mut self, id: Option<String>) -> Self {
        self.request_id = id;
        self
    }
}

/// A check's diagnosis: the pure part of its outcome, before the engine adds id, title and timing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnosis {
    pub status: Status,
    pub summary: String,
    pub findings: Vec<Finding>,
    /// Why it skipped, in words a dependent check can quote (the summary may say more).
    pub skip_reason: Option<String>,
    /// Skipped because nothing it needs was set up here (no agent-rooms home): `--strict`
    /// fails it, as it fails a skip for a missing API URL or token.
    pub unconfigured: bool,
}

impl Diagnosis {
    pub fn pass(summary: impl Into<String>) -> Self {
        Diagnosis {
            status: Status::Pass,
            summary: summary.into(),
            findings: vec![],
            skip_reason: None,
            unconfigured: false,
        }
    }
    /// Skipped, and the summary is the whole reason.
    pub fn skip(summary: impl Into<String>) -> Self {
        let summary = summary.into();
        Self::skipped(summary.clone(), summary)
    }
    /// Skipped with a summary that says more than the `reason` a dependent check quotes.
    pub fn skipped(summary: impl Into<String>, reason: impl Into<String>) -> Self {
        Diagnosis {
            status: Status::Skip,
            summary: summary.into(),
            findings: vec![],
            skip_reason: Some(reason.into()),
            unconfigured: false,
        }
    }
    /// Status from the findings' severities: the worst wins.
    pub fn from_findings(summary: impl Into<String>, findings: Vec<(Status, Finding)>) -> Self {
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckOutcome {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub summary: String,
    #[serde(serialize_with = "ser_ms")]
    pub duration_ms: Duration,
    pub facts: serde_json::Value,
    pub findings: Vec<Finding>,
    /// Why it skipped, for the checks that need it (not part of the JSON).
    #[serde(skip)]
    pub skip_reason: Option<String>,
    /// Skipped because nothing was set up here (`--strict` fails it); in the JSON only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unconfigured: bool,
}

fn ser_ms<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

/// Counts of each status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Summary {
    pub pass: usize,
    pub warn: usize,
    pub fail: usize,
    pub skip: usize,
}

/// A whole run: the one model every renderer reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub doctor_version: String,
    pub ok: bool,
    #[serde(serialize_with = "ser_ms")]
    pub duration_ms: Duration,
    pub summary: Summary,
    /// The root cause to fix first and its first command (None when nothing fails or warns).
    pub start_here: Option<StartHere>,
    pub checks: Vec<CheckOutcome>,
    /// `--strict`: warnings, and checks skipped for lack of configuration, fail too.
    #[serde(skip)]
    pub strict: bool,
}

/// Does `c` fail the run? A failure always; with `strict`, a warning too, and a check skipped
/// for lack of configuration (a skip that carries a finding, such as API_URL_MISSING, or one
/// for an agent-rooms home that does not exist) — as
/// distinct from one skipped by `--skip`, `--offline` or because another check failed.
pub fn fails(c: &CheckOutcome, strict: bool) -> bool {
    match c.status {
        Status::Fail => true,
        Status::Warn => strict,
        Status::Skip => strict && (!c.findings.is_empty() || c.unconfigured),
        Status::Pass => false,
    }
}

impl Report {
    /// Does this check fail the run (see `fails`)?
    pub fn fails(&self, c: &CheckOutcome) -> bool {
        fails(c, self.strict)
    }

    pub fn new(mut checks: Vec<CheckOutcome>, duration: Duration, strict: bool) -> Self {
        cause::link(&mut checks);
        let mut summary = Summary::default();
        for c in &checks {
            match c.status {
                Status::Pass => summary.pass += 1,
                Status::Warn => summary.warn += 1,
                Status::Fail => summary.fail += 1,
                Status::Skip => summary.skip += 1,
            }
        }
        let ok = !checks.iter().any(|c| fails(c, strict));
        Report {
            schema_version: 1,
            doctor_version: env!("CARGO_PKG_VERSION").to_string(),
            ok,
            duration_ms: duration,
            summary,
            start_here: cause::start_here(&checks),
            checks,
            strict,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(status: Status) -> CheckOutcome {
        CheckOutcome {
            id: "x".into(),
            title: "X".into(),
            status,
            summary: String::new(),
            duration_ms: Duration::ZERO,
            facts: serde_json::Value::Null,
            findings: vec![],
            skip_reason: None,
            unconfigured: false,
        }
    }

    #[test]
    fn ok_follows_failures_and_strict_warnings() {
        let r = Report::new(
            vec![outcome(Status::Pass), outcome(Status::Warn)],
            Duration::ZERO,
            false,
        );
        assert!(r.ok);
        let r = Report::new(
            vec![outcome(Status::Pass), outcome(Status::Warn)],
            Duration::ZERO,
            true,
        );
        assert!(!r.ok);
        let r = Report::new(
            vec![outcome(Status::Fail), outcome(Status::Skip)],
            Duration::ZERO,
            false,
        );
        assert!(!r.ok);
        assert_eq!(
            r.summary,
            Summary {
                pass: 0,
                warn: 0,
                fail: 1,
                skip: 1
            }
        );
    }

    #[test]
    fn strict_fails_a_skip_for_lack_of_configuration_but_not_a_plain_skip() {
        let mut unconfigured = outcome(Status::Skip);
        unconfigured.findings = vec![Finding::new("API_URL_MISSING", "no API URL")];
        let r = Report::new(
            vec![outcome(Status::Pass), unconfigured.clone()],
            Duration::ZERO,
            false,
        );
        assert!(r.ok);
        let r = Report::new(
            vec![outcome(Status::Pass), unconfigured],
            Duration::ZERO,
            true,
        );
        assert!(!r.ok);
        assert!(r.fails(&r.checks[1]) && !r.fails(&r.checks[0]));
        // Skipped by --skip / --offline / a failed dependency: no finding, not a failure.
        let r = Report::new(vec![outcome(Status::Skip)], Duration::ZERO, true);
        assert!(r.ok);
        // Skipped because no agent-rooms home exists here (with --skip listener, no finding
        // says so): a failure under --strict, a skip otherwise; "unconfigured" in the JSON.
        let mut not_set_up = outcome(Status::Skip);
        not_set_up.unconfigured = true;
        assert!(Report::new(vec![not_set_up.clone()], Duration::ZERO, false).ok);
        let r = Report::new(vec![not_set_up], Duration::ZERO, true);
        assert!(!r.ok);
        let json = serde_json::to_value(&r.checks[0]).unwrap();
        assert_eq!(json["unconfigured"], true);
        assert!(serde_json::to_value(outcome(Status::Skip))
            .unwrap()
            .get("unconfigured")
            .is_none());
    }

    #[test]
    fn worst_finding_sets_status() {
        let d = Diagnosis::from_findings(
            "s",
            vec![
                (Status::Warn, Finding::new("TOKEN_EXPIRING_SOON", "m")),
                (Status::Fail, Finding::new("TOKEN_EXPIRED", "m")),
            ],
        );
        assert_eq!(d.status, Status::Fail);
        assert_eq!(d.findings.len(), 2);
    }
}
