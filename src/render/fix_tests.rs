//! The fix renderers' unit tests: the script, the plan, the record and the CI documents.

use super::*;
use crate::model::command::{cmd, Elevation, Machine};

fn step(c: Command, not: Option<&str>) -> Step {
    Step {
        check: "token".into(),
        code: "TOKEN_FILE_TOO_OPEN".into(),
        why: "config.json has mode 0644".into(),
        command: c,
        as_user: "alice".into(),
        not_runnable: not.map(str::to_string),
    }
}

fn m() -> Machine {
    Machine::new(
        1000,
        &Elevation {
            sudo: true,
            runuser: false,
            runuser_at: None,
            windows: false,
            doctor_at: None,
        },
    )
}

#[test]
fn the_dry_run_is_a_script_that_runs_only_what_fix_would() {
    let steps = [
        step(
            cmd(["chmod", "600", "/h/a b;x/config.json"])
                .safe()
                .on(&m()),
            None,
        ),
        step(
            cmd(["pm2", "restart", "ar"])
                .as_user("bob", 1001)
                .safe()
                .on(&m()),
            Some("it runs as bob and the doctor is not root"),
        ),
        step(cmd(["kill", "42"]).ask().on(&m()), None),
    ];
    let s = script(&steps, None);
    assert!(s.starts_with("#!/bin/sh\n"));
    assert!(
        s.contains("\n# runs as alice\nchmod 600 '/h/a b;x/config.json'\n"),
        "{s}"
    );
    // A step fix would not run is only a comment.
    assert!(
        s.contains("# not run by fix: it runs as bob and the doctor is not root\n# sudo -u bob")
    );
    assert!(s.contains("never run by --yes (runs as alice):\n# kill 42\n"));
    assert!(!s
        .lines()
        .any(|l| l.starts_with("sudo") || l.starts_with("kill")));
    assert!(script(&[], None).contains("nothing to run"));
    // On a 40-column terminal every comment line stays a comment and within the width.
    let narrow = script(&steps, Some(40));
    for l in narrow
        .lines()
        .filter(|l| l.starts_with('#') && !l.starts_with("#!"))
    {
        assert!(l.chars().count() <= 40 || !l.contains(' '), "{l}");
    }
    assert!(
        narrow.contains("\nchmod 600 '/h/a b;x/config.json'\n"),
        "{narrow}"
    );
    assert!(
        narrow
            .lines()
            .filter(|l| !l.is_empty())
            .all(|l| l.starts_with('#') || l.starts_with("set -e") || l.starts_with("chmod")),
        "{narrow}"
    );
}

#[test]
fn a_plan_shows_each_command_and_its_user_and_what_is_left() {
    let p = plan(
        &[step(
            cmd(["chmod", "600", "/h/config.json"]).safe().on(&m()),
            None,
        )],
        &[LeftToYou {
            check: "host".into(),
            code: "HOST_NOT_LOGGED_IN".into(),
            first: "$ codex login".into(),
        }],
        None,
    );
    assert!(
        p.starts_with(
            "Plan (1 step):\n  1. TOKEN_FILE_TOO_OPEN (token): config.json has mode 0644\n     $ \
                chmod 600 /h/config.json    (as alice)\n"
        ),
        "{p}"
    );
    assert!(p.contains(
        "Not done by fix, yours to do (each needs you: a login, an edit or a choice that is yours, \
            or no command does it):\n  HOST_NOT_LOGGED_IN (host): $ codex login\n"
    ));
    assert!(plan(&[], &[], None).starts_with("Nothing for fix to do"));
}

/// The three steps of a session: one ran and failed, one ran, one was declined.
fn session() -> (Vec<Step>, Vec<Done>) {
    (
        vec![
            step(cmd(["chmod", "600", "/h/``x``/c"]).safe().on(&m()), None),
            step(cmd(["pm2", "restart", "ar"]).safe().on(&m()), None),
            step(cmd(["kill", "42"]).ask().on(&m()), None),
        ],
        vec![
            Done::Ran {
                exit: Some(1),
                said: "Operation not permitted".into(),
            },
            Done::Ran {
                exit: Some(0),
                said: String::new(),
            },
            Done::Declined,
        ],
    )
}

#[test]
fn markdown_fences_each_command_and_tells_how_each_step_ended() {
    let (steps, done) = session();
    let r = crate::render::tests::sample();
    let md = markdown(&steps, &done, &[], &r, Some(&r));
    assert!(md.starts_with("## agent-rooms-doctor "), "{md}");
    // A fence longer than the backticks in the path.
    assert!(
        md.contains("\n```sh\nchmod 600 '/h/``x``/c'\n```\n"),
        "{md}"
    );
    assert!(md.contains("As alice: ran: exit 1 (Operation not permitted)"));
    assert!(md.contains("As alice: not run: you said no"));
    assert!(md.contains("| token | fail | fail |"));
    // A dry run: planned, nothing ran.
    let md = markdown(&steps, &[], &[], &r, None);
    assert!(md.contains("As alice: planned: nothing was run"), "{md}");
    assert!(md.contains("| token | fail | - |"));
}

#[test]
fn junit_has_a_case_per_step_then_per_check() {
    let (steps, done) = session();
    let r = crate::render::tests::sample();
    let x = junit(&steps, &done, &r);
    roxmltree::Document::parse(&x).unwrap();
    assert!(
        x.contains("tests=\"6\" failures=\"2\" skipped=\"2\""),
        "{x}"
    );
    assert!(x.contains("name=\"1. TOKEN_FILE_TOO_OPEN (token)\""));
    assert!(x.contains("<failure message=\"ran: exit 1 (Operation not permitted)\""));
    assert!(x.contains("<skipped message=\"not run: you said no\"/>"));
}

#[test]
fn github_has_a_command_per_step_then_the_checks_and_their_counts() {
    let (steps, done) = session();
    let r = crate::render::tests::sample();
    let g = github(&steps, &done, &r);
    let lines: Vec<&str> = g.lines().collect();
    assert!(
        lines[0]
            .starts_with("::error title=agent-rooms-doctor fix 1%3A TOKEN_FILE_TOO_OPEN::$ chmod"),
        "{g}"
    );
    assert!(
        lines[1].starts_with(
            "::notice title=agent-rooms-doctor fix 2%3A TOKEN_FILE_TOO_OPEN::$ pm2 restart ar%0Aas \
                alice: ran: exit 0"
        ),
        "{g}"
    );
    assert_eq!(
        lines.last(),
        Some(&"1 passed, 0 warnings, 1 failed, 1 skipped")
    );
}
