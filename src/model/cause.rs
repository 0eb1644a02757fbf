//! Root cause first (CONTRACT §2 "What a person reads first"): which finding is a consequence of
//! which, the order a wake travels, and the one root cause to fix first. The rule lives here
//! alone, pure, and every renderer reads its result.

use serde::Serialize;

use super::catalogue as codes;
use super::command::Fix;
use super::facts::NotRun;
use super::outcome::{CausedBy, CheckOutcome, Finding, Status};
use super::CheckId;

/// Where a finding is: (check index, finding index) in the report's checks.
pub type At = (usize, usize);

/// Set each finding's `caused_by` to the code of the first of its causes (its catalogue entry's
/// `caused_by`) present in `checks`; a log finding whose code another check finds now is that
/// problem, seen in the log.
pub fn link(checks: &mut [CheckOutcome]) {
    let present: Vec<(CheckId, String)> = checks
        .iter()
        .flat_map(|c| c.findings.iter().map(|f| (c.id, f.code.to_string())))
        .collect();
    let passed: Vec<CheckId> = checks
        .iter()
        .filter(|c| c.status == Status::Pass)
        .map(|c| c.id)
        .collect();
    for c in checks.iter_mut() {
        let id = c.id;
        for f in c.findings.iter_mut() {
            let by_rule = f
                .code
                .caused_by()
                .iter()
                .chain(f.follows.iter())
                .find(|cause| present.iter().any(|(_, code)| code == cause.code))
                .map(|cause| CausedBy {
                    code: cause.code.to_string(),
                    seen_now: false,
                });
            let seen_now = (id == CheckId::Logs)
                .then(|| {
                    present
                        .iter()
                        .find(|(check, code)| *check != CheckId::Logs && f.code == code.as_str())
                        .map(|(_, code)| CausedBy {
                            code: code.clone(),
                            seen_now: true,
                        })
                })
                .flatten();
            f.caused_by = by_rule.or(seen_now);
            // A log line the present disproves is history.
            f.resolved_by = (id == CheckId::Logs)
                .then(|| f.code.entry().and_then(|e| e.judged_now_by))
                .flatten()
                .filter(|now| passed.contains(now));
        }
    }
}

/// A judged home that does not exist is a failure whichever checks run (CONTRACT §3 exit
/// codes): the listener check says HOME_NOT_FOUND; when it did not run (`--skip listener`, or
/// only other checks named), the first check skipped for the missing home says it instead, so
/// a smoke check on a broken install fails without `--strict`.
pub fn home_not_found(out: &mut [CheckOutcome]) {
    // The listener check already said why nothing can be judged (the home is missing, a file,
    // or out of the doctor's reach).
    if out.iter().any(|c| {
        c.findings
            .iter()
            .any(|f| f.code == codes::HOME_NOT_FOUND.code || f.code == codes::NOT_READABLE.code)
    }) {
        return;
    }
    if let Some(c) = out
        .iter_mut()
        .find(|c| c.unconfigured && c.findings.is_empty())
    {
        let why = c
            .skip_reason
            .clone()
            .unwrap_or_else(|| c.summary.to_string());
        // Out of the doctor's reach is not missing: the home may well be there.
        let out_of_reach = c.facts.get::<NotRun>().is_some_and(|n| n.out_of_reach);
        let code = if out_of_reach {
            codes::NOT_READABLE
        } else {
            codes::HOME_NOT_FOUND
        };
        c.status = Status::Fail;
        c.findings.push(Finding::new(code, why.clone()));
        c.summary = why.into();
    }
}

fn chain_position(id: CheckId) -> usize {
    id.wake_position().map_or(usize::MAX, usize::from)
}

/// The root causes (findings caused by nothing else) of failing and warning checks, in the
/// order to fix them: failures first, then along the wake chain, then as found.
pub fn roots(checks: &[CheckOutcome]) -> Vec<At> {
    let mut out: Vec<(At, Status)> = checks
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.status, Status::Fail | Status::Warn))
        .flat_map(|(i, c)| {
            c.findings
                .iter()
                .enumerate()
                .filter(|(_, f)| f.caused_by.is_none() && f.resolved_by.is_none())
                .filter(|(_, f)| !f.is_accepted())
                .map(move |(j, _)| ((i, j), c.status))
        })
        .collect();
    out.sort_by_key(|((i, j), status)| {
        (
            std::cmp::Reverse(*status),
            chain_position(checks[*i].id),
            *i,
            *j,
        )
    });
    out.into_iter().map(|(at, _)| at).collect()
}

/// The one line a person reads first: the root cause to fix first and its first command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct StartHere {
    pub check: CheckId,
    pub code: String,
    /// The finding's message.
    pub message: String,
    /// Its first command, else the first sentence of its first step (the step made for the
    /// case, before a first command that only stops the listener).
    pub first: Option<String>,
    pub first_is_command: bool,
    /// With a step first: the one command that goes with it (the first of two ways to a fix,
    /// whose step says what it does), else none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

/// A step's first sentence: Start here is one sentence and one command (the whole step is
/// printed under its finding).
fn first_sentence(step: &str) -> String {
    let mut from = 0;
    while let Some(i) = step[from..].find(". ") {
        let end = from + i + 1;
        // "e.g. " and "i.e. " end no sentence; the next one starts with a capital or a quote.
        let next = step[end..].trim_start().chars().next();
        let abbreviation = step[..end].ends_with("e.g.") || step[..end].ends_with("i.e.");
        if !abbreviation && next.is_some_and(|c| c.is_uppercase() || c == '`') {
            return step[..end].to_string();
        }
        from = end;
    }
    step.to_string()
}

pub fn start_here(checks: &[CheckOutcome]) -> Option<StartHere> {
    // A strict run that proved nothing fails on a skipped check: that finding is where to start.
    let nothing_checked = || {
        checks.iter().enumerate().find_map(|(i, c)| {
            c.findings
                .iter()
                .position(|f| f.code == super::catalogue::NOTHING_CHECKED.code)
                .map(|j| (i, j))
        })
    };
    let (i, j) = roots(checks).first().copied().or_else(nothing_checked)?;
    let f = &checks[i].findings[j];
    let step = f.remedy.for_person().first().or(f.remedy.steps.first());
    let sentence = step.map(|s| first_sentence(s));
    let (first, first_is_command, command) = match (f.remedy.commands.first(), sentence) {
        // The first of two ways to a fix, asking before it runs (a link into /usr/local/bin):
        // its step's sentence says what it does, and its command.
        (Some(c), Some(s)) if c.fix == Fix::Ask && f.remedy.or_from.is_some_and(|n| n > 0) => {
            (Some(s), false, Some(c.line.clone()))
        }
        // A stop that nothing starts again (`kill PID`) is never the fix by itself: the step
        // made for the case says what comes with it.
        (Some(c), Some(s)) if c.fix == Fix::Ask && f.remedy.specific > 0 => (Some(s), false, None),
        (Some(_), Some(s)) if f.remedy.step_leads => (Some(s), false, None),
        (Some(c), _) => (Some(c.line.clone()), true, None),
        (None, Some(s)) => (Some(s), false, None),
        (None, None) => (None, false, None),
    };
    Some(StartHere {
        check: checks[i].id,
        code: f.code.to_string(),
        message: f.message.to_string(),
        first,
        first_is_command,
        command,
    })
}

/// The wake chain's links with their checks' statuses (links not run are left out).
pub fn chain(checks: &[CheckOutcome]) -> Vec<(CheckId, Status)> {
    CheckId::wake_chain()
        .iter()
        .filter_map(|id| checks.iter().find(|c| c.id == *id).map(|c| (*id, c.status)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::outcome::Finding;
    use std::time::Duration;

    fn check(id: &str, status: Status, codes: &[&str]) -> CheckOutcome {
        CheckOutcome {
            id: id.parse().unwrap(),
            title: id.into(),
            status,
            summary: Default::default(),
            duration_ms: Duration::ZERO,
            facts: crate::model::outcome::Facts::none(),
            findings: codes
                .iter()
                .map(|c| Finding::named(c, format!("{c} here")))
                .collect(),
            skip_reason: None,
            unconfigured: false,
        }
    }

    fn caused(checks: &[CheckOutcome]) -> Vec<(String, Option<String>)> {
        checks
            .iter()
            .flat_map(|c| {
                c.findings.iter().map(|f| {
                    (
                        f.code.to_string(),
                        f.caused_by.as_ref().map(|c| c.code.clone()),
                    )
                })
            })
            .collect()
    }

    /// A check skipped because the home is not set up (`engine::not_run`'s outcome).
    fn not_set_up(id: &str, out_of_reach: bool) -> CheckOutcome {
        let mut c = check(id, Status::Skip, &[]);
        c.unconfigured = true;
        c.skip_reason = Some("/h does not exist".into());
        c.facts = crate::model::outcome::Facts::of(NotRun {
            not_run: "/h does not exist".into(),
            out_of_reach,
        });
        c
    }

    #[test]
    fn a_missing_home_fails_the_first_check_skipped_for_it_unless_the_listener_said_so() {
        // --skip listener: the first check skipped for the missing home says HOME_NOT_FOUND.
        let mut checks = vec![not_set_up("host", false), not_set_up("token", false)];
        home_not_found(&mut checks);
        assert_eq!(checks[0].status, Status::Fail);
        assert_eq!(checks[0].findings[0].code, "HOME_NOT_FOUND");
        assert_eq!(checks[0].summary.to_string(), "/h does not exist");
        assert_eq!(
            checks[1].status,
            Status::Skip,
            "one finding, not one per check"
        );
        // Out of the doctor's reach: NOT_READABLE (the home may be there).
        let mut checks = vec![not_set_up("host", true)];
        home_not_found(&mut checks);
        assert_eq!(checks[0].findings[0].code, "NOT_READABLE");
        // The listener check already said it: nothing is added.
        for code in ["HOME_NOT_FOUND", "NOT_READABLE"] {
            let mut checks = vec![
                check("listener", Status::Fail, &[code]),
                not_set_up("host", false),
            ];
            home_not_found(&mut checks);
            assert_eq!(checks[1].status, Status::Skip);
            assert!(checks[1].findings.is_empty());
        }
        // A plain skip is not for a missing home.
        let mut checks = vec![check("host", Status::Skip, &[])];
        home_not_found(&mut checks);
        assert!(checks[0].findings.is_empty());
    }

    #[test]
    fn consequences_name_their_cause_and_roots_do_not() {
        let mut checks = vec![
            check(
                "listener",
                Status::Fail,
                &[
                    "LISTENER_STOPPED",
                    "LISTENER_STALE_HEARTBEAT",
                    "LISTENER_DISCONNECTED",
                ],
            ),
            check("api", Status::Fail, &["API_UNREACHABLE"]),
            check("logs", Status::Warn, &["already_claimed", "NO_GRANT"]),
        ];
        link(&mut checks);
        assert_eq!(
            caused(&checks),
            vec![
                ("LISTENER_STOPPED".into(), None),
                (
                    "LISTENER_STALE_HEARTBEAT".into(),
                    Some("LISTENER_STOPPED".into())
                ),
                // The first cause present in the table's order.
                (
                    "LISTENER_DISCONNECTED".into(),
                    Some("LISTENER_STOPPED".into())
                ),
                ("API_UNREACHABLE".into(), None),
                // No duplicate listener here: already_claimed stands on its own.
                ("already_claimed".into(), None),
                ("NO_GRANT".into(), None),
            ]
        );
        let mut checks = vec![
            check("listener", Status::Fail, &["LISTENER_DUPLICATE"]),
            check("token", Status::Fail, &["REVOKED"]),
            check(
                "logs",
                Status::Warn,
                &["already_claimed", "REVOKED", "RATE_LIMITED"],
            ),
        ];
        link(&mut checks);
        let got = caused(&checks);
        assert_eq!(
            got[2],
            ("already_claimed".into(), Some("LISTENER_DUPLICATE".into()))
        );
        // The log's REVOKED is the token check's REVOKED, seen in the log: it stays in the
        // logs check, never under its cause; already_claimed goes under the duplicate.
        assert_eq!(got[3], ("REVOKED".into(), Some("REVOKED".into())));
        let by = |i: usize| checks[2].findings[i].caused_by.clone().unwrap();
        assert!(by(1).seen_now && !by(1).shown_under("REVOKED"));
        assert!(!by(0).seen_now && by(0).shown_under("LISTENER_DUPLICATE"));
        assert_eq!(
            got[4],
            ("RATE_LIMITED".into(), Some("LISTENER_DUPLICATE".into()))
        );
        // The token check's own REVOKED is a root, not caused by the log's.
        assert_eq!(got[1], ("REVOKED".into(), None));
    }

    #[test]
    fn nothing_set_up_is_one_root_cause() {
        let mut checks = vec![
            check("listener", Status::Fail, &["HOME_NOT_FOUND"]),
            check("device", Status::Fail, &["DEVICE_NOT_PAIRED"]),
            check("token", Status::Fail, &["TOKEN_MISSING"]),
            check("api", Status::Skip, &["API_URL_MISSING"]),
        ];
        link(&mut checks);
        assert_eq!(roots(&checks), vec![(0, 0)]);
        let s = start_here(&checks).unwrap();
        assert_eq!(
            (s.check.as_str(), s.code.as_str()),
            ("listener", "HOME_NOT_FOUND")
        );
    }

    #[test]
    fn start_here_picks_failures_first_then_the_wake_chain() {
        // Three unrelated problems, reported in registry order (device before token).
        let mut checks = vec![
            check("listener", Status::Warn, &["LISTENER_OUTDATED"]),
            check("device", Status::Fail, &["DEVICE_UNKNOWN_TO_SERVER"]),
            check("host", Status::Fail, &["HOST_NOT_LOGGED_IN"]),
            check("token", Status::Fail, &["TOKEN_EXPIRED"]),
            check("api", Status::Pass, &[]),
        ];
        link(&mut checks);
        // token (2nd link) before host (4th) before device (5th); the warning last.
        assert_eq!(roots(&checks), vec![(3, 0), (2, 0), (1, 0), (0, 0)]);
        let s = start_here(&checks).unwrap();
        assert_eq!(s.code, "TOKEN_EXPIRED");
        assert_eq!(
            s.first_is_command,
            !checks[3].findings[0].remedy.commands.is_empty()
        );
        // A skipped check's finding is no root to fix first.
        let mut checks = vec![check("api", Status::Skip, &["API_URL_MISSING"])];
        link(&mut checks);
        assert_eq!(start_here(&checks), None);
        assert_eq!(start_here(&[]), None);
    }

    #[test]
    fn start_here_says_one_sentence() {
        assert_eq!(
            first_sentence("Link codex into /usr/local/bin: done. Or give it a PATH."),
            "Link codex into /usr/local/bin: done."
        );
        assert_eq!(
            first_sentence("Set it in a profile (e.g. ~/.profile), then restart. `x` runs."),
            "Set it in a profile (e.g. ~/.profile), then restart."
        );
        // A dot inside a path or a version ends nothing.
        assert_eq!(
            first_sentence("Run node 20.11. then"),
            "Run node 20.11. then"
        );
        assert_eq!(first_sentence("One."), "One.");
    }

    #[test]
    fn the_chain_follows_the_wake_not_the_report() {
        let checks = vec![
            check("device", Status::Pass, &[]),
            check("listener", Status::Fail, &[]),
            check("logs", Status::Warn, &[]),
            check("api", Status::Skip, &[]),
        ];
        assert_eq!(
            chain(&checks),
            vec![
                (CheckId::Listener, Status::Fail),
                (CheckId::Api, Status::Skip),
                (CheckId::Device, Status::Pass)
            ]
        );
    }

    #[test]
    fn a_log_line_the_present_disproves_is_history_never_the_root() {
        // REVOKED in the listener's log, and the token check accepts the token now.
        let mut checks = vec![
            check("token", Status::Pass, &[]),
            check("logs", Status::Warn, &["REVOKED", "NO_GRANT"]),
        ];
        link(&mut checks);
        assert_eq!(checks[1].findings[0].resolved_by, Some(CheckId::Token));
        assert_eq!(checks[1].findings[1].resolved_by, None);
        assert_eq!(roots(&checks), vec![(1, 1)]);
        assert_eq!(start_here(&checks).unwrap().code, "NO_GRANT");
        // The token check fails now: the log line is the present, a root like any other.
        let mut checks = vec![
            check("token", Status::Fail, &["REVOKED"]),
            check("logs", Status::Warn, &["REVOKED"]),
        ];
        link(&mut checks);
        assert_eq!(checks[1].findings[0].resolved_by, None);
    }

    #[test]
    fn a_stop_nothing_restarts_is_not_where_to_start() {
        use crate::model::command::{cmd, Machine};
        let me = Machine::new(1000, &Default::default());
        let mut checks = vec![check("host", Status::Fail, &["HOST_NOT_FOUND"])];
        let kill = cmd(["kill", "42"]).ask().on(&me);
        checks[0].findings[0] = checks[0].findings[0]
            .clone()
            .with_step_first("Install codex for alice, then restart the listener.")
            .with_commands(vec![kill.clone()]);
        let s = start_here(&checks).unwrap();
        assert_eq!(
            (s.first.as_deref(), s.first_is_command),
            (
                Some("Install codex for alice, then restart the listener."),
                false
            )
        );
        // A command that fixes it (safe, or the person's own) comes first.
        for c in [
            cmd(["ln", "-s", "/a", "/b"]).safe().on(&me),
            cmd(["codex", "login"]).on(&me),
        ] {
            checks[0].findings[0] = checks[0].findings[0]
                .clone()
                .with_commands(vec![c.clone(), kill.clone()]);
            let s = start_here(&checks).unwrap();
            assert_eq!((s.first, s.first_is_command), (Some(c.line.clone()), true));
        }
        // Without a step made for the case, the stop is still the first thing shown.
        let mut bare = vec![check("listener", Status::Fail, &["LISTENER_DUPLICATE"])];
        bare[0].findings[0] = bare[0].findings[0]
            .clone()
            .with_commands(vec![kill.clone()]);
        assert_eq!(start_here(&bare).unwrap().first, Some(kill.line));
    }
}
