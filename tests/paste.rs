//! End-to-end (issue 25): a remedy works where it is printed. The listener runs a codex that is
//! only on its own PATH, with its own HOME and CODEX_HOME; the doctor's shell has neither. Every
//! `$` line the doctor prints is pasted into `sh` with the doctor's environment; the fake codex
//! records how it was called: the program is the listener's, with the listener's HOME and
//! CODEX_HOME, as the listener's user.

mod common;

use common::{Fixture, SYSTEM_PATH};

#[test]
fn each_printed_command_runs_in_the_listeners_world_when_pasted() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let record = f.dir.path().join("called");
    let codex_home = f.dir.path().join("their-codex");
    std::fs::create_dir_all(&codex_home).unwrap();
    // A codex that is not logged in, and records each call: its args, HOME, CODEX_HOME, uid.
    f.script(
        &lbin,
        "codex",
        &format!(
            "#!/bin/sh\nif [ \"$1 $2\" = \"login status\" ]; then echo 'Not logged in' >&2; exit 1; fi\nprintf '%s|%s|%s|%s\\n' \"$*\" \"$HOME\" \"$CODEX_HOME\" \"$(id -u)\" >> '{}'\n",
            record.display()
        ),
    );
    f.write("config.json", r#"{"host": "codex"}"#);
    let path = format!("{}:{SYSTEM_PATH}", lbin.display());
    let ch = codex_home.display().to_string();
    f.listen_with(
        &["/bin/sh", script.to_str().unwrap(), "watch"],
        &path,
        &[("CODEX_HOME", ch.as_str())],
    );
    let out = f.doctor().args(["host"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let lines: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("$ "))
        .map(str::to_string)
        .collect();
    assert!(!lines.is_empty(), "{text}");
    // The doctor's own environment: its PATH has no codex.
    for line in &lines {
        let st = std::process::Command::new("/bin/sh")
            .args(["-c", line])
            .env_clear()
            .env("HOME", &f.home)
            .env("PATH", format!("{}:{SYSTEM_PATH}", f.bin.display()))
            .status()
            .unwrap();
        assert!(st.success(), "{line}: {st}");
    }
    let called = std::fs::read_to_string(&record).unwrap();
    let me = nix::unistd::getuid().as_raw().to_string();
    assert_eq!(
        called.lines().collect::<Vec<_>>(),
        [format!(
            "login|{}|{}|{me}",
            f.home.display(),
            codex_home.display()
        )],
        "{text}"
    );
    println!("{} printed command(s) pasted: {lines:?}", lines.len());
}
