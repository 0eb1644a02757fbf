//! `fix`: the one command that changes things, and only what the person agrees to (CONTRACT §2
//! "`fix`"). It runs the checks, takes the root-cause findings whose remedy the catalogue marks
//! safe to automate, shows each exact command and the user it runs as, asks y/N for each on a
//! terminal (or runs them with `--yes`), runs them, then runs the checks again: before → after.
//! `--dry-run` prints the plan as a shell script and changes nothing; without a terminal and
//! without `--yes` nothing is changed. It never runs a command as another user except as root
//! through `runuser`, and never touches credentials or tokens.

use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use super::{check::run_checks, put};
use crate::checks;
use crate::cli::Global;
use crate::error::{Error, Exit};
use crate::model::catalogue::{automate, Automate};
use crate::model::outcome::Report;
use crate::output::Sink;
use crate::probes::users;
use crate::render::fix::{self as doc, Done, Step};

/// How long one step may run.
const STEP_LIMIT: Duration = Duration::from_secs(60);

pub fn run(g: &Global, dry_run: bool, yes: bool, out: &mut Sink) -> Result<Exit, Error> {
    let ids = checks::all_ids();
    let before = run_checks(g, &ids);
    let me = users::me();
    let steps = plan(&before, me.uid == 0, &me.name);
    if dry_run {
        put(out, &doc::script(&steps));
        return Ok(Exit::Ok);
    }
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if steps.iter().all(|s| s.not_runnable.is_some()) || (!terminal && !yes) {
        let mut text = doc::session(&steps, &[], &before, None);
        if !terminal && !yes && !steps.is_empty() {
            text.push_str("Not a terminal and no --yes: nothing was run. Run it on a terminal to answer each step, or with --yes.\n");
        }
        put(out, &text);
        return Ok(if before.ok { Exit::Ok } else { Exit::Failed });
    }
    let mut done = vec![];
    for (i, s) in steps.iter().enumerate() {
        if let Some(why) = &s.not_runnable {
            done.push(Done::NotRun(why.clone()));
            continue;
        }
        if !yes && !ask(i + 1, s) {
            done.push(Done::Declined);
            continue;
        }
        done.push(execute(&s.command));
    }
    let after = run_checks(g, &ids);
    put(out, &doc::session(&steps, &done, &before, Some(&after)));
    Ok(if after.ok { Exit::Ok } else { Exit::Failed })
}

/// The steps for the root causes (findings caused by nothing else) whose code `fix` may act on.
/// `sudo -u USER -H cmd` runs, as root, as `runuser -u USER -- cmd`, and not at all otherwise;
/// a plain `sudo cmd` runs as is when the doctor is root already.
pub fn plan(report: &Report, root: bool, me: &str) -> Vec<Step> {
    let mut steps = vec![];
    for c in &report.checks {
        for f in c.findings.iter().filter(|f| f.caused_by.is_none()) {
            let Some(how) = automate(&f.code) else {
                continue;
            };
            let cmds: Vec<&String> = match how {
                Automate::First => f.remedy.commands.iter().take(1).collect(),
                Automate::All | Automate::EachPicked => f.remedy.commands.iter().collect(),
            };
            for cmd in cmds {
                let (command, as_user, not_runnable) = as_whom(cmd, root, me);
                steps.push(Step {
                    check: c.id.clone(),
                    code: f.code.clone(),
                    why: f.message.clone(),
                    command,
                    as_user,
                    not_runnable,
                });
            }
        }
    }
    steps
}

/// The command as it will run, whom it runs as, and why it will not run when it will not.
fn as_whom(cmd: &str, root: bool, me: &str) -> (String, String, Option<String>) {
    let words: Vec<&str> = cmd.split_whitespace().collect();
    if let ["sudo", "-u", user, "-H", rest @ ..] = words.as_slice() {
        return if root {
            (
                format!("runuser -u {user} -- {}", rest.join(" ")),
                format!("{user} (through runuser)"),
                None,
            )
        } else {
            (
                cmd.to_string(),
                user.to_string(),
                Some(format!(
                    "it runs as {user}, and fix runs a command as another user only as root"
                )),
            )
        };
    }
    if let ["sudo", rest @ ..] = words.as_slice() {
        if root {
            return (rest.join(" "), "root".into(), None);
        }
        return (cmd.to_string(), "root (through sudo)".into(), None);
    }
    // The remedies' forms where sudo is missing: runuser (printed only for root) runs as is;
    // su asks for a password, which fix (no terminal for the command) cannot give.
    if let ["runuser", "-u", user, "--", ..] = words.as_slice() {
        return (cmd.to_string(), format!("{user} (through runuser)"), None);
    }
    if let ["su", "-", user, "-c", ..] = words.as_slice() {
        return (
            cmd.to_string(),
            user.to_string(),
            Some(format!("su asks for {user}'s password: run it yourself")),
        );
    }
    if let ["su", "-c", ..] = words.as_slice() {
        return (
            cmd.to_string(),
            "root".into(),
            Some("su asks for root's password: run it yourself".into()),
        );
    }
    (cmd.to_string(), me.to_string(), None)
}

/// Ask on the terminal (stderr, stdin): y/N, anything but yes is no.
fn ask(n: usize, s: &Step) -> bool {
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "{n}. {} ({}): {}\n   $ {}    (as {})\n   Run it? [y/N] ",
        s.code, s.check, s.why, s.command, s.as_user
    );
    let _ = err.flush();
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line).is_err() {
        return false;
    }
    matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

/// Run one step with `sh -c`, bounded; log it on stderr.
fn execute(command: &str) -> Done {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return Done::NotRun(format!("could not start: {e}")),
    };
    let r = rt.block_on(crate::probes::command::run(
        std::path::Path::new("/bin/sh"),
        &["-c", command],
        None,
        STEP_LIMIT,
        16 * 1024,
    ));
    use crate::probes::command::{first_line, CmdResult};
    let done = match r {
        CmdResult::Exited {
            code,
            stdout,
            stderr,
        } => Done::Ran {
            exit: code,
            said: first_line(&format!("{stderr}{stdout}")),
        },
        CmdResult::TimedOut { after_ms } => {
            Done::NotRun(format!("it took over {after_ms} ms and was stopped"))
        }
        CmdResult::NotStarted { error } => Done::NotRun(format!("could not start: {error}")),
    };
    let how = match &done {
        Done::Ran { exit: Some(c), .. } => format!("exit {c}"),
        Done::Ran { exit: None, .. } => "ended by a signal".into(),
        Done::NotRun(why) => why.clone(),
        Done::Declined => "declined".into(),
    };
    let _ = writeln!(std::io::stderr().lock(), "fix ran: {command} ({how})");
    done
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::outcome::{CheckOutcome, Finding, Status};

    fn check(id: &str, status: Status, findings: Vec<Finding>) -> CheckOutcome {
        CheckOutcome {
            id: id.into(),
            title: id.into(),
            status,
            summary: String::new(),
            duration_ms: Duration::ZERO,
            facts: serde_json::Value::Null,
            findings,
            skip_reason: None,
            unconfigured: false,
        }
    }

    #[test]
    fn the_plan_takes_automatable_root_causes_only() {
        let report = Report::new(
            vec![
                check(
                    "listener",
                    Status::Fail,
                    vec![
                        Finding::new("LISTENER_STOPPED", "stopped")
                            .with_commands(vec!["kill -CONT 42".into()]),
                        // A consequence of the stop: not a step of its own.
                        Finding::new("LISTENER_STALE_HEARTBEAT", "stale")
                            .with_commands(vec!["kill 42".into()]),
                    ],
                ),
                check(
                    "host",
                    Status::Fail,
                    vec![
                        Finding::new("HOST_NOT_FOUND", "missing").with_commands(vec![
                            "sudo ln -s /a/codex /usr/bin/codex".into(),
                            "sudo systemctl edit ar.service".into(),
                        ]),
                    ],
                ),
                // Never automated: logging in is the person's.
                check(
                    "token",
                    Status::Fail,
                    vec![Finding::new("REVOKED", "revoked")],
                ),
            ],
            Duration::ZERO,
            false,
        );
        let steps = plan(&report, true, "root");
        let cmds: Vec<&str> = steps.iter().map(|s| s.command.as_str()).collect();
        assert_eq!(cmds, vec!["kill -CONT 42", "ln -s /a/codex /usr/bin/codex"]);
        assert_eq!(steps[1].as_user, "root");
        assert_eq!(steps[0].code, "LISTENER_STOPPED");
    }

    #[test]
    fn commands_run_as_their_user_only_as_root_through_runuser() {
        assert_eq!(
            as_whom("sudo -u bob -H pm2 restart ar --update-env", true, "root"),
            (
                "runuser -u bob -- pm2 restart ar --update-env".into(),
                "bob (through runuser)".into(),
                None
            )
        );
        let (_, _, not) = as_whom("sudo -u bob -H pm2 restart ar --update-env", false, "alice");
        assert!(not.unwrap().contains("only as root"));
        assert_eq!(as_whom("sudo ln -s /a /b", true, "root").0, "ln -s /a /b");
        assert_eq!(
            as_whom("sudo ln -s /a /b", false, "alice").1,
            "root (through sudo)"
        );
        assert_eq!(
            as_whom("chmod 600 /h/c", false, "alice"),
            ("chmod 600 /h/c".into(), "alice".into(), None)
        );
        // Machines without sudo: runuser as root runs; su never does (it wants a password).
        assert_eq!(
            as_whom("runuser -u bob -- pm2 restart ar", true, "root"),
            (
                "runuser -u bob -- pm2 restart ar".into(),
                "bob (through runuser)".into(),
                None
            )
        );
        let (_, who, not) = as_whom("su - bob -c 'pm2 restart ar'", false, "alice");
        assert_eq!(who, "bob");
        assert!(not.unwrap().contains("password"));
        let (_, who, not) = as_whom("su -c 'ln -s /a /b'", false, "alice");
        assert_eq!(who, "root");
        assert!(not.is_some());
    }
}
