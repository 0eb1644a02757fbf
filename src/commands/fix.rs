//! `fix`: the one command that changes things, and only what the person agrees to (CONTRACT §2
//! "`fix`"). It runs the checks, takes the root-cause findings' commands that the commands
//! themselves mark as fix's to run (`model::command::Fix`), shows the plan — each exact command
//! and the user it runs as — then asks y/N for each on a terminal (or, with `--yes`, runs the
//! safe ones), runs each argument list itself (never a shell; another user's command as root,
//! by setting that user's ids before exec), then runs the checks again on the same agent: before
//! → after. `--dry-run` prints the plan as a shell script and changes nothing; without a
//! terminal and without `--yes` nothing is changed. Exit 1 when a step that ran failed.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use super::check::{run_checks, stderr_width, terminal_width};
use crate::checks;
use crate::cli::Global;
use crate::error::{Error, Exit};
use crate::model::command::{Fix, RunAs};
use crate::model::report::Report;
use crate::output::Sink;
use crate::probes::{command, users};
use crate::redact;
use crate::render::fix::{self as doc, Done, LeftToYou, Step};
use crate::render::Format;

/// How long one step may run.
const STEP_LIMIT: Duration = Duration::from_secs(60);

use crate::render::fix::FORMATS;

pub fn run(g: &Global, dry_run: bool, yes: bool, out: &mut Sink) -> Result<Exit, Error> {
    let format = crate::render::supports("a fix session", g.format(), FORMATS)?;
    let ids = checks::all_ids();
    let before = run_checks(g, &ids);
    let me = users::me();
    let steps = plan(&before, me.uid, &me.name);
    let left = left_to_you(&before);
    let s = Session {
        format,
        steps: &steps,
        left: &left,
        before: &before,
    };
    let plan = || doc::plan(&steps, &left, terminal_width());
    if dry_run {
        out.put(&s.document(|| doc::script(&steps, terminal_width()), &[], None));
        return Ok(Exit::Ok);
    }
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let nothing = steps.iter().all(|s| s.not_runnable.is_some());
    if nothing || (!terminal && !yes) {
        let human = || {
            let mut t = plan();
            if !terminal && !yes && !nothing {
                t.push_str(
                    "\nNot a terminal and no --yes: nothing was run. Run it on a terminal to \
                    answer each step, or with --yes.\n",
                );
            }
            t + &doc::record(&steps, &[], &before, None)
        };
        out.put(&s.document(human, &[], None));
        return Ok(if before.ok { Exit::Ok } else { Exit::Failed });
    }
    // The plan first, then each question (on the terminal: stderr, stdin), in every format.
    if !yes {
        let plan = doc::plan(&steps, &left, stderr_width());
        let _ = writeln!(std::io::stderr().lock(), "{plan}");
    }
    let done = run_steps(&steps, yes, me.uid);
    if let Some(sig) = command::interrupted() {
        let human = || plan() + &doc::record(&steps, &done, &before, None);
        out.put(&s.document(human, &done, None));
        return Ok(Exit::of_signal(sig));
    }
    // The same agent again: the home the first run judged, whatever runs now.
    let after = run_checks(&same_agent(g, &before), &ids);
    let human = || {
        let head = if yes { plan() } else { String::new() };
        head + &doc::record(&steps, &done, &before, Some(&after))
    };
    out.put(&s.document(human, &done, Some(&after)));
    let failed = done.iter().any(Done::failed);
    Ok(if after.ok && !failed {
        Exit::Ok
    } else {
        Exit::Failed
    })
}

/// One fix session: its format, its steps, what is left to the person, the checks before.
struct Session<'a> {
    format: Format,
    steps: &'a [Step],
    left: &'a [LeftToYou],
    before: &'a Report,
}

impl Session<'_> {
    /// The document to write: `human()` for a person, else one document in the format.
    fn document(
        &self,
        human: impl FnOnce() -> String,
        done: &[Done],
        after: Option<&Report>,
    ) -> String {
        match self.format {
            Format::Human => human(),
            f => session(f, self.steps, done, self.left, self.before, after),
        }
    }
}

/// Run each step the person answers yes to (or, with --yes, each that may run unasked). A
/// signal from the first step on: the step running ends (its group is killed), none starts
/// after it, and the record says what ran.
fn run_steps(steps: &[Step], yes: bool, me_uid: u32) -> Vec<Done> {
    command::answer_interrupts();
    let mut done = vec![];
    for (i, s) in steps.iter().enumerate() {
        let d = if let Some(sig) = command::interrupted() {
            Done::NotRun {
                why: format!("interrupted (signal {sig}) before this step"),
            }
        } else if let Some(why) = &s.not_runnable {
            Done::NotRun { why: why.clone() }
        } else if yes && s.asks() {
            Done::NotRun {
                why: "it needs your own answer on a terminal (--yes does not run it)".into(),
            }
        } else if !yes && !ask(i + 1, s) {
            Done::Declined
        } else {
            execute(s, me_uid)
        };
        done.push(d);
    }
    done
}

/// The session in a format other than human's: one document with the plan, what became of each
/// step, what is left, and the checks (before → after, or as they are now).
fn session(
    format: Format,
    steps: &[Step],
    done: &[Done],
    left: &[LeftToYou],
    before: &Report,
    after: Option<&Report>,
) -> String {
    let now = after.unwrap_or(before);
    match format {
        Format::Json => doc::json(steps, done, left, before, after),
        Format::Markdown => redact::redact_text(&doc::markdown(steps, done, left, before, after)),
        Format::Junit => redact::redact_text(&doc::junit(steps, done, now)),
        Format::Github => redact::redact_text(&doc::github(steps, done, now)),
        Format::Human | Format::Prometheus => {
            redact::redact_text(&doc::record(steps, done, before, after))
        }
    }
}

/// The flags of the first run with `--home` set to the home it judged, so the re-check judges
/// that agent even when its listener is gone.
fn same_agent(g: &Global, before: &Report) -> Global {
    let mut again = g.clone();
    if again.home.is_none() {
        again.home = judged_home(before);
    }
    again
}

/// The home the checks judged (the listener check's: the one that judges a home).
fn judged_home(r: &Report) -> Option<PathBuf> {
    r.checks
        .iter()
        .find_map(|c| (crate::checks::by_id(c.id)?.home)(&c.facts))
}

/// The steps: for each root cause (a finding caused by nothing else), the commands it marks as
/// fix's to run, by meaning (never by their place in the list).
pub fn plan(report: &Report, me_uid: u32, me_name: &str) -> Vec<Step> {
    let mut steps = vec![];
    for c in &report.checks {
        for f in c
            .findings
            .iter()
            .filter(|f| f.caused_by.is_none() && f.resolved_by.is_none())
        {
            for command in f.remedy.commands.iter().filter(|c| c.fix != Fix::Shown) {
                let (as_user, not_runnable) = whom(&command.run_as, me_uid, me_name);
                steps.push(Step {
                    check: c.id.to_string(),
                    code: f.code.to_string(),
                    why: f.message.to_string(),
                    command: command.clone(),
                    as_user,
                    not_runnable,
                });
            }
        }
    }
    steps
}

/// The root causes fix does not act on (Start here's `codex login`, say), each with its first
/// command, else its first step.
fn left_to_you(report: &Report) -> Vec<LeftToYou> {
    report
        .checks
        .iter()
        .flat_map(|c| {
            c.findings
                .iter()
                .filter(|f| f.caused_by.is_none() && f.resolved_by.is_none())
                .filter(|f| f.remedy.commands.iter().all(|x| x.fix == Fix::Shown))
                .map(|f| LeftToYou {
                    check: c.id.to_string(),
                    code: f.code.to_string(),
                    first: match (f.remedy.commands.first(), f.remedy.steps.first()) {
                        (Some(x), _) => format!("$ {}", x.line),
                        (None, Some(s)) => s.clone(),
                        (None, None) => f.message.to_string(),
                    },
                })
        })
        .collect()
}

/// Whom a command runs as, and why fix will not run it when it will not: another user's
/// command only as root (their ids set before exec), root's only as root.
fn whom(run_as: &RunAs, me_uid: u32, me_name: &str) -> (String, Option<String>) {
    match run_as {
        RunAs::Me => (me_name.to_string(), None),
        RunAs::User { uid, .. } if *uid == me_uid => (me_name.to_string(), None),
        RunAs::Root if me_uid == 0 => ("root".into(), None),
        RunAs::Root => (
            "root".into(),
            Some("it needs root: run fix as root, or run it yourself".into()),
        ),
        RunAs::User { name, .. } if me_uid == 0 => (name.clone(), None),
        RunAs::User { name, .. } => (
            name.clone(),
            Some(format!(
                "it runs as {name}, and fix runs a command as another user only as root"
            )),
        ),
    }
}

/// Ask on the terminal (stderr, stdin): y/N, anything but yes is no.
fn ask(n: usize, s: &Step) -> bool {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{n}. {} ({}): run it? [y/N] ", s.code, s.check);
    let _ = err.flush();
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line).is_err() {
        return false;
    }
    matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

/// Run one step's argument list as its user, bounded; log it on stderr.
fn execute(s: &Step, me_uid: u32) -> Done {
    let c = &s.command;
    let target = c.uid(me_uid);
    let user = if target == me_uid {
        None
    } else {
        match command::as_user(target) {
            Some(u) => Some(u),
            None => {
                return Done::NotRun {
                    why: format!("uid {target} is not in the user database"),
                }
            }
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return Done::NotRun {
                why: format!("could not start: {e}"),
            }
        }
    };
    let r = rt.block_on(command::run_argv(
        &c.argv,
        &c.env,
        user.as_ref(),
        STEP_LIMIT,
        16 * 1024,
    ));
    let done = done_of(r);
    let how = match &done {
        Done::Ran { exit: Some(c), .. } => format!("exit {c}"),
        Done::Ran { exit: None, .. } => "ended by a signal".into(),
        Done::NotRun { why } => why.clone(),
        Done::Declined => "declined".into(),
    };
    let _ = writeln!(
        std::io::stderr().lock(),
        "fix ran: {} (as {}; {how})",
        c.line,
        s.as_user
    );
    done
}

/// What came of a step's command.
fn done_of(r: crate::probes::command::CmdResult) -> Done {
    use crate::probes::command::{first_line, CmdResult};
    match r {
        CmdResult::Exited {
            code,
            stdout,
            stderr,
        } => Done::Ran {
            exit: code,
            said: first_line(&format!("{stderr}{stdout}")),
        },
        CmdResult::TimedOut { after_ms } => Done::NotRun {
            why: format!("it took over {after_ms} ms and was stopped"),
        },
        CmdResult::NotStarted { error } => Done::NotRun {
            why: format!("could not start: {error}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalogue as codes;
    use crate::model::command::{cmd, Elevation, Machine};
    use crate::model::outcome::{CheckOutcome, Finding, Status};
    use crate::model::report::Report;

    fn check(id: &str, status: Status, findings: Vec<Finding>) -> CheckOutcome {
        CheckOutcome {
            id: id.parse().unwrap(),
            title: id.into(),
            status,
            summary: Default::default(),
            duration_ms: Duration::ZERO,
            facts: crate::model::outcome::Facts::none(),
            findings,
            skip_reason: None,
            unconfigured: false,
        }
    }

    #[test]
    fn the_plan_takes_what_each_root_causes_commands_allow() {
        let m = Machine::new(0, &Elevation::default());
        let report =
            Report::new(
                vec![
                    check(
                        "listener",
                        Status::Fail,
                        vec![
                            Finding::new(codes::LISTENER_STOPPED, "stopped")
                                .with_commands(vec![cmd(["kill", "-CONT", "42"]).safe().on(&m)]),
                            // A consequence of the stop: not a step of its own.
                            Finding::new(codes::LISTENER_STALE_HEARTBEAT, "stale")
                                .with_commands(vec![cmd(["kill", "42"]).safe().on(&m)]),
                        ],
                    ),
                    check(
                        "host",
                        Status::Fail,
                        vec![
                            Finding::new(codes::HOST_NOT_FOUND, "missing").with_commands(vec![
                                cmd(["systemctl", "edit", "ar.service"]).as_root().on(&m),
                                cmd(["ln", "-s", "/a/codex", "/usr/bin/codex"])
                                    .as_root()
                                    .safe()
                                    .on(&m),
                                cmd(["kill", "43"]).on(&m),
                            ]),
                        ],
                    ),
                    // Never automated: logging in is the person's.
                    check(
                        "token",
                        Status::Fail,
                        vec![Finding::new(codes::REVOKED, "revoked")],
                    ),
                ],
                Duration::ZERO,
                false,
            );
        let steps = plan(&report, 0, "root");
        let argvs: Vec<Vec<String>> = steps.iter().map(|s| s.command.argv.clone()).collect();
        assert_eq!(
            argvs,
            vec![
                vec!["kill", "-CONT", "42"],
                vec!["ln", "-s", "/a/codex", "/usr/bin/codex"]
            ]
        );
        assert_eq!(steps[1].as_user, "root");
        assert_eq!(steps[0].code, "LISTENER_STOPPED");
        let left = left_to_you(&report);
        assert_eq!(left.len(), 1, "{left:?}");
        assert_eq!(left[0].code, "REVOKED");
    }

    #[test]
    fn commands_run_as_their_user_only_as_root() {
        let bob = RunAs::User {
            name: "bob".into(),
            uid: 1001,
        };
        assert_eq!(whom(&bob, 0, "root"), ("bob".into(), None));
        let (who, not) = whom(&bob, 1000, "alice");
        assert_eq!(who, "bob");
        assert!(not.unwrap().contains("only as root"));
        assert_eq!(whom(&bob, 1001, "bob"), ("bob".into(), None));
        assert_eq!(whom(&RunAs::Root, 0, "root"), ("root".into(), None));
        assert!(whom(&RunAs::Root, 1000, "alice")
            .1
            .unwrap()
            .contains("needs root"));
        assert_eq!(whom(&RunAs::Me, 1000, "alice"), ("alice".into(), None));
    }
}
