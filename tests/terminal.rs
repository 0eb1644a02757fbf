//! End-to-end on a real terminal: tmux at 80 and at 200 columns. Prose wraps to the width with a
//! hanging indent, commands are never wrapped (the terminal may fold a long one; the doctor does
//! not break it), and no line is wider than the terminal but for a command or an unbreakable word.

mod common;

use common::{prerequisite, Fixture, SYSTEM_PATH};
use std::time::{Duration, Instant};

/// Run the doctor in a detached tmux session `cols` wide (80 rows); return the pane's text.
fn in_tmux(f: &Fixture, cols: u16, args: &str) -> Option<String> {
    in_tmux_sized(f, cols, 80, args)
}

/// The same on a `cols`×`rows` screen: the pane's text is what the screen shows at the end.
fn in_tmux_sized(f: &Fixture, cols: u16, rows: u16, args: &str) -> Option<String> {
    in_tmux_with(f, cols, rows, "TERM=xterm-256color NO_COLOR=1", args, false)
}

/// The doctor run with the environment words `env` on a `cols`×`rows` screen; the pane's text,
/// with its colour escapes when `escapes`.
fn in_tmux_with(
    f: &Fixture,
    cols: u16,
    rows: u16,
    env: &str,
    args: &str,
    escapes: bool,
) -> Option<String> {
    let tmux = prerequisite(
        "tmux (Debian package tmux), a real terminal",
        which::which("tmux").ok(),
    )?;
    let session = format!("ardoc-{}-{cols}", std::process::id());
    let socket = f.dir.path().join("tmux.sock");
    let doctor = assert_cmd::cargo::cargo_bin("agent-rooms-doctor");
    let done = f.dir.path().join(format!("done-{cols}"));
    let _ = std::fs::remove_file(&done);
    let cmd = format!(
        "env -i HOME={} PATH={}:{SYSTEM_PATH} {env} {} {args}; touch {}; sleep 60",
        f.home.display(),
        f.bin.display(),
        doctor.display(),
        done.display()
    );
    let st = common::tmux_new_session(
        &tmux,
        &socket,
        &[
            "-s",
            &session,
            "-x",
            &cols.to_string(),
            "-y",
            &rows.to_string(),
            &cmd,
        ],
    );
    assert!(st.status.success(), "tmux new-session: {st:?}");
    let t = Instant::now();
    while !done.exists() {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the doctor did not finish in tmux"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let capture = || {
        let out = std::process::Command::new(&tmux)
            .arg("-S")
            .arg(&socket)
            // -J joins what the terminal itself wrapped: the lines as the doctor wrote them.
            .args(["capture-pane", "-p", "-J", "-t", &session])
            .args(escapes.then_some("-e"))
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim_end().to_string()
    };
    // The doctor has ended; tmux may still be drawing: until the pane holds the count line
    // ("… skipped in N ms", which a narrow pane wraps) and then stays as it is for 300 ms.
    let mut text = capture();
    loop {
        std::thread::sleep(Duration::from_millis(300));
        let again = capture();
        let counted = again
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains(" skipped in ");
        if (counted && again == text) || t.elapsed() > Duration::from_secs(30) {
            break;
        }
        text = again;
    }
    let _ = std::process::Command::new(&tmux)
        .arg("-S")
        .arg(&socket)
        .args(["kill-server"])
        .status();
    Some(text)
}

/// A home with three problems (a token file others can read, a host CLI not logged in, no
/// pairing); its path.
fn three_problems(f: &Fixture) -> String {
    f.write(
        "config.json",
        r#"{"token": "ar_live_TerminalToken0123456789", "host": "codex"}"#,
    );
    std::fs::set_permissions(
        f.ar_home.join("config.json"),
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    f.fake_codex(&f.bin, false);
    f.ar_home.display().to_string()
}

#[test]
fn prose_wraps_to_80_and_200_columns_and_commands_stay_whole() {
    let f = Fixture::new();
    let home = three_problems(&f);
    let args = format!("device host token api --offline --home {home}");
    let Some(narrow) = in_tmux(&f, 80, &args) else {
        return;
    };
    let Some(wide) = in_tmux(&f, 200, &args) else {
        return;
    };
    for (cols, text) in [(80, &narrow), (200, &wide)] {
        for line in text.lines() {
            let long = textwrap::core::display_width(line) > cols;
            // Wider only for a command, or for a word (a path) longer than the room left.
            assert!(
                !long
                    || line.trim_start().starts_with("$ ")
                    || line
                        .split_whitespace()
                        .any(|w| w.chars().count() > cols / 2),
                "a line wider than {cols} columns:\n{line}\n\n{text}"
            );
        }
        // The command to fix the file is whole on one line.
        assert!(
            text.lines()
                .any(|l| l.trim() == format!("$ chmod 600 {home}/config.json")),
            "{text}"
        );
    }
    // At 80 columns the prose wrapped, under its text (a hanging indent); at 200 fewer lines.
    assert!(
        narrow.lines().count() > wide.lines().count(),
        "{narrow}\n---\n{wide}"
    );
    let finding = narrow
        .lines()
        .position(|l| l.trim_start().starts_with("TOKEN_FILE_TOO_OPEN"))
        .expect("the finding");
    let next = narrow.lines().nth(finding + 1).unwrap();
    let indent = narrow
        .lines()
        .nth(finding)
        .unwrap()
        .find("TOKEN_FILE_TOO_OPEN")
        .unwrap()
        + "TOKEN_FILE_TOO_OPEN  ".len();
    assert!(
        next.starts_with(&" ".repeat(indent)),
        "no hanging indent:\n{narrow}"
    );
}

/// Issue 38: at 80×24 a failing run of three problems printed over 24 lines, and Start here and
/// its command scrolled off the screen. On a terminal the answer ends with Start here again, so
/// the screen a person is left with holds it.
#[test]
fn on_an_80_by_24_screen_start_here_is_on_the_last_screen() {
    let f = Fixture::new();
    let home = three_problems(&f);
    let args = format!("--offline --home {home}");
    let Some(screen) = in_tmux_sized(&f, 80, 24, &args) else {
        return;
    };
    let whole = f
        .doctor()
        .args(["--offline", "--home", &home])
        .output()
        .unwrap();
    let first = String::from_utf8_lossy(&whole.stdout)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(first.starts_with("Start here: "), "{first}");
    // Off a terminal (above) it is said once; on the 24-row screen its last lines say it again.
    let last: Vec<&str> = screen.lines().collect();
    assert!(last.len() <= 24, "{screen}");
    let code = first.split_whitespace().nth(2).unwrap();
    assert!(
        last.iter()
            .any(|l| l.starts_with(&format!("Start here: {code} "))),
        "the last screen lacks Start here ({code}):\n{screen}"
    );
}

/// Issue 39: README listed FORCE_COLOR and CLICOLOR_FORCE, which no code read, and CLICOLOR=0
/// was ignored. The colour decision is clap's own (anstream) plus FORCE_COLOR: each variable on
/// a real terminal (tmux, escapes captured) and off one (a pipe).
#[test]
fn colour_follows_the_environment_on_a_terminal_and_off_one() {
    let f = Fixture::new();
    let home = three_problems(&f);
    let args = format!("device --offline --home {home}");
    let base = "TERM=xterm-256color";
    // (environment, flag, colour on a terminal, colour off one)
    let cases: [(&str, &str, bool, bool); 9] = [
        ("", "", true, false),
        ("NO_COLOR=1", "", false, false),
        ("CLICOLOR=0", "", false, false),
        ("CLICOLOR_FORCE=1", "", true, true),
        ("FORCE_COLOR=1", "", true, true),
        ("NO_COLOR=1 FORCE_COLOR=1", "", false, false),
        ("", "--color never", false, false),
        ("NO_COLOR=1", "--color always", true, true),
        ("TERM=dumb", "", false, false),
    ];
    for (env, flag, on_terminal, off_terminal) in cases {
        let Some(pane) = in_tmux_with(
            &f,
            120,
            40,
            &format!("{base} {env}"),
            &format!("{flag} {args}"),
            true,
        ) else {
            return;
        };
        let mut c = f.doctor();
        c.args(flag.split_whitespace())
            .args(args.split_whitespace());
        c.env("TERM", "xterm-256color");
        for kv in env.split_whitespace() {
            let (k, v) = kv.split_once('=').unwrap();
            c.env(k, v);
        }
        let piped = String::from_utf8_lossy(&c.output().unwrap().stdout).to_string();
        assert_eq!(
            (pane.contains('\u{1b}'), piped.contains('\u{1b}')),
            (on_terminal, off_terminal),
            "{env} {flag}: colour (on a terminal, off one)\n{pane}\n---\n{piped}"
        );
    }
}

/// Issue 39: at 40 columns the Start here line ran to 100+ columns (its lead left no room, so
/// nothing was wrapped); at 200 columns a home path holding a space (macOS's `Application
/// Support`) was broken across lines. Prose wraps; a path or a command is never cut inside.
#[test]
fn start_here_wraps_at_40_columns_and_a_path_with_a_space_stays_whole() {
    let f = Fixture::new();
    let dir = f.dir.path().join("Library/Application Support/agent-rooms");
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("config.json");
    std::fs::write(
        &cfg,
        r#"{"token": "ar_live_TerminalToken0123456789", "host": "codex"}"#,
    )
    .unwrap();
    std::fs::set_permissions(&cfg, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    f.fake_codex(&f.bin, false);
    let home = dir.display().to_string();
    let args = format!("device host token api --offline --home '{home}'");
    let Some(narrow) = in_tmux(&f, 40, &args) else {
        return;
    };
    assert!(narrow.starts_with("Start here: "), "{narrow}");
    for line in narrow.lines() {
        let long = textwrap::core::display_width(line) > 40;
        assert!(
            !long
                || line.trim_start().starts_with("$ ")
                || line.split_whitespace().any(|w| w.chars().count() > 16),
            "a line wider than 40 columns:\n{line}\n\n{narrow}"
        );
    }
    for cols in [120, 160, 200] {
        let Some(wide) = in_tmux(&f, cols, &args) else {
            return;
        };
        for line in wide.lines() {
            let cut_after = line.trim_end().ends_with("/Application");
            let cut_before = line.trim_start().starts_with("Support/");
            assert!(
                !cut_after && !cut_before,
                "{cols} columns: the path is cut at its space:\n{wide}"
            );
        }
        assert!(wide.contains("Application Support/agent-rooms"), "{wide}");
    }
}
