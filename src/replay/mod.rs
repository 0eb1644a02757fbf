//! Support's tools on recorded bundles: `replay` judges a bundle's facts again with this
//! version's rules and catalogue, and `diff` compares two bundles along the wake chain. Both read
//! what a bundle recorded (`read`) and probe nothing.

pub mod diff;
mod legacy;
pub mod read;
mod recorded;

use serde::Serialize;
use std::time::Duration;

use crate::checks;
use crate::engine;
use crate::model::outcome::{Diagnosis, Facts, Finding, Status};
use crate::model::report::Report;
use crate::model::CheckId;
pub use read::{read, Provenance, Recorded};

/// A check's verdict: its status and finding codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Verdict {
    pub status: Status,
    pub codes: Vec<String>,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.status.word())?;
        if !self.codes.is_empty() {
            write!(f, " ({})", self.codes.join(", "))?;
        }
        Ok(())
    }
}

/// A check whose verdict today differs from the one the bundle recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Changed {
    pub check: CheckId,
    pub recorded: Verdict,
    pub now: Verdict,
}

/// A bundle judged again.
#[derive(Debug, Clone)]
pub struct Replayed {
    pub from: Provenance,
    /// Today's verdicts on the recorded facts, as a run's report.
    pub report: Report,
    pub changed: Vec<Changed>,
    /// Checks kept as recorded because their facts cannot be judged again, and why.
    pub kept: Vec<(CheckId, String)>,
}

/// Judge `r`'s facts again: each check's recorded facts through today's `diagnose`, at the
/// bundle's own clock (every rule that reads the time reads the facts' `now`).
pub fn replay(r: &Recorded, strict: bool) -> Replayed {
    let mut kept = vec![];
    let mut outcomes = vec![];
    for c in &r.checks {
        let Some(def) = checks::by_id(c.id) else {
            continue;
        };
        let empty = c.facts.as_object().is_none_or(|o| o.is_empty());
        let judged = if empty {
            Err("no facts were recorded (skipped by a flag, or timed out)".to_string())
        } else {
            (def.read)(&c.facts)
                .map(|f| {
                    let d = (def.judge)(&f);
                    (f, d)
                })
                .map_err(|e| format!("its facts cannot be read: {e}"))
        };
        let (facts, d) = judged.unwrap_or_else(|why| {
            kept.push((c.id, why.clone()));
            // Kept as they were recorded, unread: they are shown, never judged.
            (Facts::of(c.facts.clone()), as_recorded(c, &why))
        });
        outcomes.push(engine::outcome(c.id, def.title, d, Duration::ZERO, facts));
    }
    crate::model::cause::home_not_found(&mut outcomes);
    let mut report = Report::new(outcomes, Duration::ZERO, strict);
    // What changed, as the bundle recorded it.
    report.timeline = r.timeline.clone();
    let changed = r
        .checks
        .iter()
        .filter_map(|c| {
            let now = report.checks.iter().find(|o| o.id == c.id)?;
            let recorded = Verdict {
                status: c.status,
                codes: c.codes.clone(),
            };
            let now = Verdict {
                status: now.status,
                codes: now.findings.iter().map(|f| f.code.to_string()).collect(),
            };
            (recorded != now).then_some(Changed {
                check: c.id,
                recorded,
                now,
            })
        })
        .collect();
    Replayed {
        from: r.from.clone(),
        report,
        changed,
        kept,
    }
}

/// A check that cannot be judged again: its recorded verdict, saying why it stands.
fn as_recorded(c: &read::RecordedCheck, why: &str) -> Diagnosis {
    let summary = format!("as recorded ({why})");
    Diagnosis {
        status: c.status,
        summary: summary.clone().into(),
        findings: c
            .codes
            .iter()
            .map(|code| Finding::named(code, format!("{code}, as recorded: {why}")))
            .collect(),
        skip_reason: (c.status == Status::Skip).then_some(summary),
        unconfigured: false,
    }
}

#[cfg(test)]
mod tests;
