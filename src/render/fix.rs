//! `fix`'s documents: the plan (as a shell script for `--dry-run`), and a session's record —
//! each step, whether it ran and how it ended, then every check before → after.

use std::fmt::Write;

use crate::model::outcome::Report;

/// One thing `fix` may do: a command from a root-cause finding's remedy, and as whom it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub check: String,
    pub code: String,
    /// The finding's message, for the person deciding.
    pub why: String,
    /// The command as it will run.
    pub command: String,
    /// Who it runs as ("root", "alice", "alice via runuser").
    pub as_user: String,
    /// Why it will not be run, when it will not (it needs root, say).
    pub not_runnable: Option<String>,
}

/// What became of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Ran { exit: Option<i32>, said: String },
    Declined,
    NotRun(String),
}

/// `--dry-run`: the plan as a shell script that changes nothing until someone runs it.
pub fn script(steps: &[Step]) -> String {
    let mut out = String::from(
        "#!/bin/sh\n# agent-rooms-doctor fix --dry-run: what `fix` would run, one step per root cause.\n# Nothing has been changed. Read each step before running it.\nset -e\n",
    );
    for (i, s) in steps.iter().enumerate() {
        let _ = writeln!(out, "\n# {}. {} ({}): {}", i + 1, s.code, s.check, s.why);
        match &s.not_runnable {
            Some(why) => {
                let _ = writeln!(out, "# not run by fix: {why}\n# {}", s.command);
            }
            None => {
                let _ = writeln!(out, "# runs as {}\n{}", s.as_user, s.command);
            }
        }
    }
    if steps.is_empty() {
        out.push_str("\n# nothing to run: no root cause has a remedy fix may automate\n");
    }
    out
}

/// The plan, for a person (shown before anything runs, and when nothing may run).
pub fn plan(steps: &[Step]) -> String {
    let mut out = String::new();
    if steps.is_empty() {
        out.push_str("Nothing for fix to do: no root cause has a remedy it may automate (run agent-rooms-doctor for the printed remedies).\n");
        return out;
    }
    let _ = writeln!(
        out,
        "Plan ({} step{}):",
        steps.len(),
        if steps.len() == 1 { "" } else { "s" }
    );
    for (i, s) in steps.iter().enumerate() {
        let _ = writeln!(out, "  {}. {} ({}): {}", i + 1, s.code, s.check, s.why);
        match &s.not_runnable {
            Some(why) => {
                let _ = writeln!(out, "     not run: {why}: {}", s.command);
            }
            None => {
                let _ = writeln!(out, "     $ {}    (as {})", s.command, s.as_user);
            }
        }
    }
    out
}

/// A session: the plan, what became of each step, and each check before → after.
pub fn session(steps: &[Step], done: &[Done], before: &Report, after: Option<&Report>) -> String {
    let mut out = plan(steps);
    if !steps.is_empty() {
        out.push('\n');
    }
    for (i, (s, d)) in steps.iter().zip(done).enumerate() {
        let what = match d {
            Done::Ran { exit: Some(0), .. } => "ran: exit 0".to_string(),
            Done::Ran { exit, said } => format!(
                "ran: exit {}{}",
                exit.map_or("by a signal".into(), |c| c.to_string()),
                if said.is_empty() {
                    String::new()
                } else {
                    format!(" ({said})")
                }
            ),
            Done::Declined => "not run: you said no".into(),
            Done::NotRun(why) => format!("not run: {why}"),
        };
        let _ = writeln!(out, "  {}. {} → {what}", i + 1, s.command);
    }
    if let Some(after) = after {
        let _ = writeln!(out, "\nBefore → after:");
        for b in &before.checks {
            let a = after.checks.iter().find(|a| a.id == b.id);
            let now = a.map_or("-", |a| a.status.word());
            let _ = writeln!(out, "  {:8} {} → {now}", b.id, b.status.word());
        }
        let _ = writeln!(
            out,
            "\n{}",
            if after.ok {
                "No check fails now."
            } else {
                "Some checks still fail: run agent-rooms-doctor for what is left."
            }
        );
    } else {
        let _ = writeln!(out, "\nNothing was changed.");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(cmd: &str, not: Option<&str>) -> Step {
        Step {
            check: "token".into(),
            code: "TOKEN_FILE_TOO_OPEN".into(),
            why: "config.json has mode 0644".into(),
            command: cmd.into(),
            as_user: "alice".into(),
            not_runnable: not.map(str::to_string),
        }
    }

    #[test]
    fn the_dry_run_is_a_script_that_runs_only_what_fix_would() {
        let s = script(&[
            step("chmod 600 /h/config.json", None),
            step(
                "sudo -u bob -H pm2 restart ar --update-env",
                Some("it runs as bob and the doctor is not root"),
            ),
        ]);
        assert!(s.starts_with("#!/bin/sh\n"));
        assert!(s.contains("\n# runs as alice\nchmod 600 /h/config.json\n"));
        // A step fix would not run is only a comment.
        assert!(s.contains(
            "# not run by fix: it runs as bob and the doctor is not root\n# sudo -u bob"
        ));
        assert!(!s.lines().any(|l| l.starts_with("sudo")));
        assert!(script(&[]).contains("nothing to run"));
    }

    #[test]
    fn a_plan_shows_each_command_and_its_user() {
        let p = plan(&[step("chmod 600 /h/config.json", None)]);
        assert!(p.starts_with("Plan (1 step):\n  1. TOKEN_FILE_TOO_OPEN (token): config.json has mode 0644\n     $ chmod 600 /h/config.json    (as alice)\n"), "{p}");
        assert!(plan(&[]).starts_with("Nothing for fix to do"));
    }
}
