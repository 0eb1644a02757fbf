//! A whole run: every check's outcome, the cause links between their findings, the one root
//! cause to start with, and the counts. It reads the outcomes and the cause rules; neither reads
//! it back (`model::outcome` and `model::cause` stand below it).

use super::accept::{self, Allow};
use super::build::Build;
use serde::Serialize;
use std::time::Duration;

use super::catalogue;
use super::cause::{self, StartHere};
use super::outcome::{ser_ms, CheckOutcome, Finding, Status};
use super::timeline::Event;

/// Counts of each status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default, schemars::JsonSchema)]
pub struct Summary {
    pub pass: usize,
    pub warn: usize,
    pub fail: usize,
    pub skip: usize,
}

/// A whole run: the one model every renderer reads.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Report {
    pub schema_version: u32,
    pub doctor_version: String,
    /// Which build wrote it: commit, build date, target and install channel.
    pub build: Build,
    pub ok: bool,
    #[serde(serialize_with = "ser_ms")]
    #[schemars(schema_with = "super::schema::millis")]
    pub duration_ms: Duration,
    pub summary: Summary,
    /// The root cause to fix first and its first command (None when nothing fails or warns).
    pub start_here: Option<StartHere>,
    pub checks: Vec<CheckOutcome>,
    /// What changed: the events the machine records that bear on the wake chain (gathered
    /// when a check fails or warns), in the order gathered; `timeline::bearing` picks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<Event>,
    /// `--strict`: warnings, and checks skipped for lack of configuration, fail too. In the
    /// JSON only when true (a replay judges the run as it was made).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub strict: bool,
    /// The agent-rooms home judged, when one was worked out (the metrics' `home` label, which
    /// keeps the files of several agents on one machine apart).
    #[serde(skip)]
    pub home: Option<std::path::PathBuf>,
    /// When the run ended (set by the command that ran it; None in a replay or a hand-built one).
    #[serde(skip)]
    pub ended: Option<std::time::SystemTime>,
}

/// Does `c` fail the run? A failure always; with `strict`, a warning too, and a check skipped
/// for lack of configuration (a skip that carries a finding, such as API_URL_MISSING, or one
/// for an agent-rooms home that does not exist) — as
/// distinct from one skipped by `--skip`, `--offline` or because another check failed.
pub fn fails(c: &CheckOutcome, strict: bool) -> bool {
    // Every finding accepted (`--allow`, not expired): the check does not count.
    let accepted = !c.findings.is_empty() && c.findings.iter().all(Finding::is_accepted);
    if accepted {
        return false;
    }
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

    /// Mark the findings `allow` accepts on `today` (YYYY-MM-DD; CONTRACT §2 `--allow`), and
    /// judge the run again: an accepted finding no longer fails it nor is where to start.
    pub fn accept(&mut self, allow: &[Allow], today: &str) {
        if allow.is_empty() {
            return;
        }
        for c in &mut self.checks {
            for f in &mut c.findings {
                f.accepted = accept::acceptance(allow, f.code.as_str(), today);
            }
        }
        self.ok = !self.checks.iter().any(|c| fails(c, self.strict));
        self.start_here = cause::start_here(&self.checks);
    }

    /// How many findings an acceptance keeps from counting, and how many acceptances expired.
    pub fn accepted(&self) -> (usize, usize) {
        let all = self.checks.iter().flat_map(|c| &c.findings);
        let marks: Vec<bool> = all
            .filter_map(|f| f.accepted.as_ref().map(|a| a.holds()))
            .collect();
        let holding = marks.iter().filter(|h| **h).count();
        (holding, marks.len() - holding)
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
        let mut ok = !checks.iter().any(|c| fails(c, strict));
        // Under --strict a run that would pass with no check passed proved nothing: it fails,
        // on its first check, with the code that says so.
        if strict && ok && summary.pass == 0 {
            let n = checks.len();
            if let Some(first) = checks.first_mut() {
                first.findings.push(Finding::new(
                    catalogue::NOTHING_CHECKED,
                    format!(
                        "no check passed: {n} of {n} were skipped, so this run proved nothing (--strict fails it)"
                    ),
                ));
                ok = false;
            }
        }
        Report {
            schema_version: 1,
            doctor_version: env!("CARGO_PKG_VERSION").to_string(),
            build: Build::here(),
            ok,
            duration_ms: duration,
            summary,
            start_here: cause::start_here(&checks),
            checks,
            timeline: vec![],
            strict,
            home: None,
            ended: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalogue as codes;
    use crate::model::outcome::Finding;

    fn outcome(status: Status) -> CheckOutcome {
        CheckOutcome {
            id: crate::model::CheckId::Api,
            title: "X".into(),
            status,
            summary: Default::default(),
            duration_ms: Duration::ZERO,
            facts: crate::model::outcome::Facts::none(),
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

    /// CONTRACT §2 `--allow`: an accepted finding stops counting (and is not where to start)
    /// until its day has passed; a check's other findings still count.
    #[test]
    fn an_accepted_finding_counts_only_once_its_acceptance_expired() {
        let with = |status, codes_: &[&'static crate::model::catalogue::Entry]| {
            let mut c = outcome(status);
            c.findings = codes_.iter().map(|e| Finding::new(e, "x")).collect();
            c
        };
        let allow = |s: &str| vec![s.parse::<Allow>().unwrap()];
        let skew = || with(Status::Warn, &[codes::CLOCK_SKEW]);
        // A strict warning, accepted until a day: passes through that day, fails after it.
        let mut r = Report::new(vec![outcome(Status::Pass), skew()], Duration::ZERO, true);
        assert!(!r.ok && r.start_here.is_some());
        r.accept(&allow("CLOCK_SKEW@2027-01-31"), "2027-01-31");
        assert!(r.ok && r.start_here.is_none(), "{:?}", r.start_here);
        assert_eq!(r.accepted(), (1, 0));
        let mut r = Report::new(vec![outcome(Status::Pass), skew()], Duration::ZERO, true);
        r.accept(&allow("CLOCK_SKEW@2027-01-31"), "2027-02-01");
        assert!(!r.ok);
        assert_eq!(r.accepted(), (0, 1));
        // A failure with a second finding that is not named still fails.
        let two = with(Status::Fail, &[codes::CLOCK_SKEW, codes::REVOKED]);
        let mut r = Report::new(vec![two.clone()], Duration::ZERO, false);
        r.accept(&allow("CLOCK_SKEW"), "2030-01-01");
        assert!(!r.ok);
        assert_eq!(
            r.start_here.as_ref().map(|s| s.code.as_str()),
            Some("REVOKED")
        );
        let mut r = Report::new(vec![two], Duration::ZERO, false);
        r.accept(
            &[allow("CLOCK_SKEW")[0].clone(), allow("REVOKED")[0].clone()],
            "2030-01-01",
        );
        assert!(r.ok);
        // Nothing named: nothing changes.
        let mut r = Report::new(vec![skew()], Duration::ZERO, true);
        r.accept(&[], "2030-01-01");
        assert!(!r.ok && r.accepted() == (0, 0));
    }

    #[test]
    fn strict_fails_a_skip_for_lack_of_configuration_but_not_a_plain_skip() {
        let mut unconfigured = outcome(Status::Skip);
        unconfigured.findings = vec![Finding::new(codes::API_URL_MISSING, "no API URL")];
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
        let r = Report::new(
            vec![outcome(Status::Pass), outcome(Status::Skip)],
            Duration::ZERO,
            true,
        );
        assert!(r.ok);
        // But a run in which no check passed proved nothing: under --strict it fails, and says
        // so; without --strict it is a plain skip.
        let r = Report::new(
            vec![outcome(Status::Skip), outcome(Status::Skip)],
            Duration::ZERO,
            true,
        );
        assert!(!r.ok);
        assert_eq!(r.checks[0].findings[0].code, codes::NOTHING_CHECKED.code);
        assert!(r.checks[0].findings[0]
            .message
            .to_string()
            .starts_with("no check passed: 2 of 2 were skipped"));
        assert!(r.checks[1].findings.is_empty());
        // It is where to start: the run fails for it alone.
        assert_eq!(
            r.start_here.as_ref().map(|s| s.code.as_str()),
            Some(codes::NOTHING_CHECKED.code)
        );
        let r = Report::new(vec![outcome(Status::Skip)], Duration::ZERO, false);
        assert!(r.ok && r.checks[0].findings.is_empty());
        // A run that fails already needs no second reason.
        let r = Report::new(vec![outcome(Status::Fail)], Duration::ZERO, true);
        assert!(r.checks[0].findings.is_empty());
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
}
