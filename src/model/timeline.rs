//! What changed: events the machine records that bear on the wake chain (a listener started, a
//! file of the home changed, the host CLI updated, the machine booted, the token issued, a log
//! line), each with its time and where the doctor read it. Facts only, nothing guessed.

use serde::{Deserialize, Serialize};

use super::outcome::{CheckOutcome, Status};
use super::CheckId;

/// One event, as the machine records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Event {
    /// Seconds since the epoch (RFC 3339 in JSON).
    #[serde(
        serialize_with = "crate::time_util::ser_rfc3339",
        deserialize_with = "crate::time_util::de_rfc3339"
    )]
    #[schemars(schema_with = "super::schema::time")]
    pub at: i64,
    /// What happened: "listener pid 42 started", "config.json changed".
    pub what: String,
    /// Where the doctor read it: a file, a process, a log.
    pub source: String,
    /// The links it bears on; none for the machine itself (its boot bears on every link).
    pub links: Vec<CheckId>,
}

/// The events gathered so far, from the checks' facts and the install.
#[derive(Debug, Default)]
pub struct Events(pub Vec<Event>);

impl Events {
    /// Add an event at `at`; a time of 0 (or before), or none, is not a time a system records
    /// for these, and adds nothing.
    pub fn add(&mut self, at: Option<i64>, what: String, source: String, links: &[CheckId]) {
        if let Some(at) = at.filter(|t| *t > 0) {
            self.0.push(Event {
                at,
                what,
                source,
                links: links.to_vec(),
            });
        }
    }
}

/// How many events a person sees without `-v`.
pub const SHORT: usize = 8;

/// Of `events`, those that bear on the checks that fail or warn, newest first: at most
/// [`SHORT`] unless `all`. None when nothing fails or warns.
pub fn bearing<'a>(checks: &[CheckOutcome], events: &'a [Event], all: bool) -> Vec<&'a Event> {
    let failing: Vec<CheckId> = checks
        .iter()
        .filter(|c| matches!(c.status, Status::Fail | Status::Warn))
        .map(|c| c.id)
        .collect();
    if failing.is_empty() {
        return vec![];
    }
    let mut events: Vec<&Event> = events
        .iter()
        .filter(|e| e.links.is_empty() || e.links.iter().any(|l| failing.contains(l)))
        .collect();
    events.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.what.cmp(&b.what)));
    if !all {
        events.truncate(SHORT);
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::report::Report;
    use std::time::Duration;

    fn outcome(id: CheckId, status: Status) -> CheckOutcome {
        CheckOutcome {
            id,
            title: String::new(),
            status,
            summary: Default::default(),
            duration_ms: Duration::ZERO,
            facts: crate::model::outcome::Facts::none(),
            findings: vec![],
            skip_reason: None,
            unconfigured: false,
        }
    }

    fn event(at: i64, link: Option<CheckId>) -> Event {
        Event {
            at,
            what: format!("e{at}"),
            source: "s".into(),
            links: link.into_iter().collect(),
        }
    }

    #[test]
    fn only_the_failing_links_events_newest_first_and_short_without_v() {
        let mut r = Report::new(
            vec![
                outcome(CheckId::Host, Status::Fail),
                outcome(CheckId::Token, Status::Pass),
                outcome(CheckId::Api, Status::Warn),
            ],
            Duration::ZERO,
            false,
        );
        r.timeline = vec![
            event(1, Some(CheckId::Host)),
            event(5, Some(CheckId::Token)),
            event(3, None),
            event(4, Some(CheckId::Api)),
        ];
        let at: Vec<i64> = bearing(&r.checks, &r.timeline, false)
            .iter()
            .map(|e| e.at)
            .collect();
        assert_eq!(at, vec![4, 3, 1]);
        r.timeline = (0..20).map(|i| event(i, Some(CheckId::Host))).collect();
        assert_eq!(bearing(&r.checks, &r.timeline, false).len(), SHORT);
        assert_eq!(bearing(&r.checks, &r.timeline, false)[0].at, 19);
        assert_eq!(bearing(&r.checks, &r.timeline, true).len(), 20);
        // Nothing fails or warns: no timeline.
        r.checks[0].status = Status::Pass;
        r.checks[2].status = Status::Pass;
        assert!(bearing(&r.checks, &r.timeline, true).is_empty());
    }
}
