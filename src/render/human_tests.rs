//! The human renderer's tests (beside it, so human.rs stays one screenful of rules).

use super::*;
use crate::model::catalogue as codes;

#[test]
fn prose_wraps_with_a_hanging_indent_on_a_terminal_only() {
    let text = "codex is in /home/alice/.nvm/versions/node/v20/bin, which the PATH of listener pid 42 lacks";
    let mut out = String::new();
    prose(&mut out, "      HOST_NOT_FOUND  ", 22, text, Some(60));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() > 1, "{out}");
    // Within the width, but for a word longer than the room, which is never broken.
    assert!(
        lines
            .iter()
            .all(|l| textwrap::core::display_width(l) <= 60 || l.split_whitespace().count() == 1),
        "{out}"
    );
    assert!(
        lines[1..].iter().all(|l| l.starts_with(&" ".repeat(22))),
        "{out}"
    );
    // Words are not broken: a long path stays whole on its line.
    assert!(
        out.contains("/home/alice/.nvm/versions/node/v20/bin,"),
        "{out}"
    );
    let mut off = String::new();
    prose(&mut off, "x  ", 3, text, None);
    assert_eq!(off, format!("x  {text}\n"));
    // A lead too wide for the terminal: indented less, and wrapped to it (issue 39: it was
    // left whole, over 100 columns at 40).
    let mut narrow = String::new();
    prose(&mut narrow, &" ".repeat(30), 30, text, Some(40));
    assert!(narrow.lines().count() > 1, "{narrow}");
    assert!(
        narrow
            .lines()
            .all(|l| textwrap::core::display_width(l) <= 40 || l.split_whitespace().count() == 1),
        "{narrow}"
    );
}

/// A report of one failing host check with `finding`, as the human renderer prints it.
fn one_finding(finding: Finding, summary: &str, width: Option<usize>) -> String {
    let c = CheckOutcome {
        id: crate::model::CheckId::Host,
        title: "host".into(),
        status: Status::Fail,
        summary: Text::from(summary),
        duration_ms: std::time::Duration::ZERO,
        facts: crate::model::outcome::Facts::none(),
        findings: vec![finding],
        skip_reason: None,
        unconfigured: false,
    };
    let r = Report::new(vec![c], std::time::Duration::ZERO, false);
    let style = Style {
        color: false,
        verbose: false,
        width,
    };
    render(&r, style)
}

#[test]
fn two_ways_to_one_fix_print_as_one_or_the_other_and_start_here_is_one_sentence_and_command() {
    use crate::model::command::{cmd, Machine};
    let m = Machine::generic();
    let msg = "codex is in /opt/c/bin, which the PATH of listener pid 42 lacks";
    let f = Finding::new(codes::HOST_NOT_FOUND, msg)
        .with_commands(vec![cmd(["ln", "-s", "/opt/c/bin/codex", "/usr/local/bin/codex"])
            .as_root()
            .ask()
            .on(&m)])
        .with_step_first("Link codex into /usr/local/bin, a directory on the listener's PATH: nothing needs a restart.")
        .with_alternative(
            "Or give the listener a PATH with /opt/c/bin. Its environment is that of the shell that \
                started it: stop it and start it again.",
            vec![cmd(["kill", "42"]).ask().on(&m)],
        );
    let out = one_finding(f, msg, None);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "Start here: HOST_NOT_FOUND (host) → Link codex into /usr/local/bin, a directory on the \
                listener's PATH: nothing needs a restart.",
            "  $ ln -s /opt/c/bin/codex /usr/local/bin/codex",
        ],
        "{out}"
    );
    // The message is the check's line: the code's line carries the first step, never blank.
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with("HOST_NOT_FOUND"))
        .unwrap();
    assert_eq!(
        lines[at..at + 4],
        [
            "      HOST_NOT_FOUND  → Link codex into /usr/local/bin, a directory on the listener's \
                PATH: nothing needs a restart.",
            "                        $ ln -s /opt/c/bin/codex /usr/local/bin/codex",
            "                      → Or give the listener a PATH with /opt/c/bin. Its environment is \
                that of the shell that started it: stop it and start it again.",
            "                        $ kill 42",
        ],
        "{out}"
    );
}

#[test]
fn on_a_terminal_a_long_answer_ends_with_start_here_again() {
    let long = Finding::new(codes::HOST_NOT_FOUND, "x ".repeat(300).trim().to_string())
        .with_step_first("Do this.");
    let narrow = one_finding(long.clone(), "short", Some(46));
    assert!(narrow.lines().count() > SCREEN_ROWS, "{narrow}");
    assert_eq!(
        narrow.matches("Start here: HOST_NOT_FOUND (host)").count(),
        2,
        "{narrow}"
    );
    assert!(
        narrow
            .trim_end()
            .ends_with("Start here: HOST_NOT_FOUND (host) → Do this."),
        "{narrow}"
    );
    // A short answer, or one off a terminal: once.
    assert_eq!(
        one_finding(long.clone(), "short", Some(200))
            .matches("Start here")
            .count(),
        1
    );
    assert_eq!(
        one_finding(long, "short", None)
            .matches("Start here")
            .count(),
        1
    );
}

#[test]
fn a_message_does_not_repeat_its_summary() {
    let style = Style {
        color: false,
        verbose: false,
        width: None,
    };
    let headed = Finding::new(
        codes::HOST_NOT_LOGGED_IN,
        Text::headed("codex is not logged in for bob (pid 4)", "says no"),
    );
    let summary = Text::from("codex is not logged in for bob (pid 4)");
    assert_eq!(under_summary(&headed, &summary, style), "says no");
    // Under another summary (two findings' heads), the message is whole.
    let two = Text::from("codex is not logged in for bob (pid 4); claude too");
    assert_eq!(
        under_summary(&headed, &two, style),
        "codex is not logged in for bob (pid 4): says no"
    );
    // The summary is the whole message: nothing is said twice.
    let same = Finding::new(codes::HOST_NOT_FOUND, "same");
    assert_eq!(under_summary(&same, &Text::from("same"), style), "");
    // The same words built of other parts are the same words.
    let parts = Finding::new(
        codes::HOST_NOT_FOUND,
        Text::from("on (").dirs("/a:/b").words(")"),
    );
    assert_eq!(under_summary(&parts, &Text::from("on (/a:/b)"), style), "");
    // Words that merely start the same are not a head.
    let other = Finding::new(codes::HOST_NOT_FOUND, "summary and more");
    assert_eq!(
        under_summary(&other, &Text::from("summary"), style),
        "summary and more"
    );
    // A long list is shortened for a person, whole with -v.
    let path = Finding::new(
        codes::HOST_NOT_FOUND,
        Text::from("codex is not on PATH (")
            .dirs("/a/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .words(")"),
    );
    assert_eq!(
        under_summary(&path, &summary, style),
        "codex is not on PATH (/a/bin:/usr/local/sbin:… (5 more))"
    );
    let verbose = Style {
        verbose: true,
        ..style
    };
    assert!(under_summary(&path, &summary, verbose).ends_with(":/sbin:/bin)"));
}

#[test]
fn facts_read_as_indented_lines_never_one_line_of_json() {
    let v = serde_json::json!({
        "listeners": [{"pid": 42, "user": "alice"}, {"pid": 43, "user": "bob"}],
        "home": {"path": "/h", "why": "yours"},
        "empty": [],
        "unset": null,
        "mode": "0600"
    });
    let mut out = String::new();
    facts_lines(&v, "  ", &mut out);
    assert_eq!(
        out,
        "  listeners:\n    -\n      pid: 42\n      user: alice\n    -\n      pid: 43\n      user: \
            bob\n  home:\n    path: /h\n    why: yours\n  mode: 0600\n"
    );
}
