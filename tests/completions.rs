//! The committed completion scripts complete, driven in each shell: bash (the completion function
//! called with COMP_WORDS, and a real session in tmux), fish (`complete -C`), zsh (a real session
//! in tmux: compinit, then Tab). The staleness test in cli.rs keeps the files equal to what
//! `completions SHELL` prints; these prove what they print works.

mod common;

use common::prerequisite;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn script(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("completions")
        .join(file)
}

/// Bash: what the completion function offers for `words` (the last one is being completed).
fn bash_offers(words: &[&str]) -> Option<Vec<String>> {
    let bash = prerequisite("bash", which::which("bash").ok())?;
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let prog = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; _agent__rooms__doctor agent-rooms-doctor \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script("agent-rooms-doctor.bash").display(),
        quoted.join(" "),
        words.len() - 1
    );
    Some(candidates(Command::new(bash).args([
        "--norc",
        "--noprofile",
        "-c",
        &prog,
    ])))
}

/// Run a shell that prints one candidate per line (a fish candidate's description, after a tab,
/// dropped).
fn candidates(shell: &mut Command) -> Vec<String> {
    let out = shell.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .collect()
}

/// Fish: `complete -C LINE` with the script sourced; the candidates (descriptions dropped).
fn fish_offers(line: &str) -> Option<Vec<String>> {
    let fish = prerequisite("fish (Debian package fish)", which::which("fish").ok())?;
    let prog = format!(
        "source '{}'; complete -C '{line}'",
        script("agent-rooms-doctor.fish").display()
    );
    Some(candidates(
        Command::new(fish)
            .args(["--no-config", "-c", &prog])
            .current_dir(std::env::temp_dir()),
    ))
}

fn has(got: &[String], want: &[&str]) -> bool {
    want.iter().all(|w| got.iter().any(|g| g == w))
}

#[test]
fn bash_completes_flags_check_ids_shells_codes_and_subcommand_flags() {
    let cases: &[(&[&str], &[&str])] = &[
        (&["agent-rooms-doctor", "--f"], &["--format"]),
        (&["agent-rooms-doctor", "ch"], &["check"]),
        (
            &["agent-rooms-doctor", "check", ""],
            &["listener", "device", "host", "token", "api", "logs"],
        ),
        (
            &["agent-rooms-doctor", "completions", ""],
            &["bash", "zsh", "fish"],
        ),
        (&["agent-rooms-doctor", "explain", "REV"], &["REVOKED"]),
        (
            &["agent-rooms-doctor", "explain", "HOST_"],
            &["HOST_NOT_FOUND", "HOST_NOT_LOGGED_IN"],
        ),
        (
            &["agent-rooms-doctor", "report", "--"],
            &["--output", "--force", "--json"],
        ),
        (&["agent-rooms-doctor", "--skip", "li"], &["listener"]),
    ];
    for (words, want) in cases {
        let Some(got) = bash_offers(words) else {
            return;
        };
        assert!(has(&got, want), "bash {words:?}: offered {got:?}");
    }
    // Only what fits: `explain REV` offers no other code.
    let got = bash_offers(&["agent-rooms-doctor", "explain", "REV"]).unwrap();
    assert_eq!(got, vec!["REVOKED"]);
}

#[test]
fn fish_completes_flags_check_ids_shells_codes_and_subcommand_flags() {
    let cases: &[(&str, &[&str])] = &[
        ("agent-rooms-doctor --fo", &["--format"]),
        (
            "agent-rooms-doctor check ",
            &["listener", "device", "host", "token", "api", "logs"],
        ),
        ("agent-rooms-doctor completions ", &["bash", "zsh", "fish"]),
        ("agent-rooms-doctor explain REV", &["REVOKED"]),
        ("agent-rooms-doctor report --", &["--output", "--force"]),
    ];
    for (line, want) in cases {
        let Some(got) = fish_offers(line) else { return };
        assert!(has(&got, want), "fish {line:?}: offered {got:?}");
    }
}

/// A shell in a detached tmux session: type `line`, press Tab, return the screen.
fn tab_in_tmux(shell_cmd: &str, setup: &str, line: &str, expect: &str) -> Option<String> {
    let tmux = prerequisite("tmux (Debian package tmux)", which::which("tmux").ok())?;
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("tmux.sock");
    let tm = |args: &[&str]| {
        Command::new(&tmux)
            .arg("-S")
            .arg(&socket)
            .args(args)
            .output()
            .unwrap()
    };
    let st = common::tmux_new_session(
        &tmux,
        &socket,
        &[
            "-s",
            "c",
            "-x",
            "160",
            "-y",
            "30",
            &format!(
                "env -i HOME={} TERM=xterm PATH=/usr/bin:/bin {shell_cmd}",
                dir.path().display()
            ),
        ],
    );
    assert!(st.status.success(), "{st:?}");
    let screen =
        || String::from_utf8_lossy(&tm(&["capture-pane", "-p", "-t", "c"]).stdout).into_owned();
    tm(&["send-keys", "-t", "c", setup, "Enter"]);
    tm(&["send-keys", "-t", "c", "clear", "Enter"]);
    std::thread::sleep(Duration::from_millis(300));
    tm(&["send-keys", "-t", "c", line, "Tab"]);
    let start = Instant::now();
    let mut text = screen();
    while !text.contains(expect) && start.elapsed() < Duration::from_secs(10) {
        // Bash lists the candidates on a second Tab.
        if start.elapsed() > Duration::from_secs(1) && !text.contains(expect) {
            tm(&["send-keys", "-t", "c", "Tab"]);
        }
        std::thread::sleep(Duration::from_millis(200));
        text = screen();
    }
    tm(&["kill-server"]);
    Some(text)
}

#[test]
fn zsh_completes_codes_and_check_ids_in_a_real_session() {
    let Some(zsh) = prerequisite("zsh (Debian package zsh)", which::which("zsh").ok()) else {
        return;
    };
    let dir = script("");
    let setup = format!(
        "fpath=({} $fpath); autoload -Uz compinit; compinit -u",
        dir.display()
    );
    let zsh = format!("{} -f", zsh.display());
    let Some(screen) = tab_in_tmux(&zsh, &setup, "agent-rooms-doctor explain REV", "REVOKED")
    else {
        return;
    };
    assert!(
        screen.contains("agent-rooms-doctor explain REVOKED"),
        "{screen}"
    );
    let screen = tab_in_tmux(&zsh, &setup, "agent-rooms-doctor check ", "logs").unwrap();
    assert!(
        ["listener", "device", "host", "token", "api", "logs"]
            .iter()
            .all(|id| screen.contains(id)),
        "{screen}"
    );
}

#[test]
fn bash_completes_in_a_real_session() {
    let setup = format!("source {}", script("agent-rooms-doctor.bash").display());
    let Some(screen) = tab_in_tmux(
        "bash --norc --noprofile",
        &setup,
        "agent-rooms-doctor explain REV",
        "REVOKED",
    ) else {
        return;
    };
    assert!(
        screen.contains("agent-rooms-doctor explain REVOKED"),
        "{screen}"
    );
    let screen = tab_in_tmux(
        "bash --norc --noprofile",
        &setup,
        "agent-rooms-doctor check ",
        "listener",
    )
    .unwrap();
    assert!(
        ["listener", "device", "host", "token", "api", "logs"]
            .iter()
            .all(|id| screen.contains(id)),
        "{screen}"
    );
}
