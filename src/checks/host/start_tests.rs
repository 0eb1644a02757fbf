//! HOST_CANNOT_START from hand-built facts: each cause, its words and its remedy, and the
//! readers it stands on (a status command's crash, a node version against `engines.node`).
use super::*;
use crate::checks::host::crash::crash_of;
use crate::checks::host::diagnose;
use crate::checks::host::diagnose::tests::{exited, facts, target, user};
use crate::hosts;
use crate::model::outcome::Diagnosis;
use crate::probes::host_cli::CmdResult;
use crate::probes::host_cli::CredFile;
use crate::probes::paths::{Shebang, Unrun};

/// codex 0.169's own words when its platform package is missing (`npm install --omit=optional`),
/// as recorded from the real package on this machine.
const CODEX_WITHOUT_PLATFORM: &str = "file:///tmp/brk/a/node_modules/@openai/codex/bin/codex.js:108
  throw new Error(
        ^

Error: Missing optional dependency @openai/codex-linux-x64. Reinstall Codex: npm install -g @openai/codex@latest
    at findCodexExecutable (file:///tmp/brk/a/node_modules/@openai/codex/bin/codex.js:108:9)
    at file:///tmp/brk/a/node_modules/@openai/codex/bin/codex.js:113:20
    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)

Node.js v20.20.2
";

fn codes(d: &Diagnosis) -> Vec<&str> {
    d.findings.iter().map(|f| f.code.as_str()).collect()
}

fn run(result: CmdResult) -> StatusRun {
    StatusRun::new(
        hosts::by_name("codex").unwrap(),
        "/p/bin/codex login status".into(),
        result,
    )
}

fn package(platform: Vec<(String, bool)>) -> NpmPackage {
    NpmPackage {
        dir: "/p/lib/node_modules/@openai/codex".into(),
        name: "@openai/codex".into(),
        version: Some("0.169.0".into()),
        engines_node: Some(">=16".into()),
        install_script: false,
        platform,
        prefix: Some("/p".into()),
        global: true,
        owner: Some(user(1000, "alice")),
    }
}

fn stored_login() -> CredFile {
    CredFile::holding("/home/alice/.codex/auth.json", false, false, true)
}

/// The one finding of a diagnosis of `t` for alice, by alice.
fn judged(t: HostAtRunner) -> Diagnosis {
    diagnose::diagnose(&facts(user(1000, "alice"), t))
}

#[test]
fn a_status_command_that_dies_is_read_as_a_crash_and_an_answer_is_not() {
    let threw = crash_of(&exited(1, "", CODEX_WITHOUT_PLATFORM));
    assert_eq!(
        threw,
        Some(Crash::Threw {
            error: "Error: Missing optional dependency @openai/codex-linux-x64. Reinstall Codex: npm \
                install -g @openai/codex@latest"
                .into()
        })
    );
    let py = "Traceback (most recent call last):\n  File \"x\", line 1\nModuleNotFoundError: No module named 'y'\n";
    assert_eq!(
        crash_of(&exited(1, "", py)),
        Some(Crash::Threw {
            error: "ModuleNotFoundError: No module named 'y'".into()
        })
    );
    assert_eq!(
        crash_of(&CmdResult::NotStarted {
            error: "Exec format error (os error 8)".into()
        }),
        Some(Crash::NotStarted {
            error: "Exec format error (os error 8)".into()
        })
    );
    let signal = CmdResult::Exited {
        code: None,
        stdout: String::new(),
        stderr: String::new(),
    };
    assert_eq!(crash_of(&signal), Some(Crash::Signal));
    assert_eq!(
        crash_of(&exited(
            127,
            "",
            "/usr/bin/env: 'node': No such file or directory\n"
        )),
        Some(Crash::ShellRefused {
            code: 127,
            said: "/usr/bin/env: 'node': No such file or directory".into()
        })
    );
    assert_eq!(
        crash_of(&exited(126, "", "")).map(|c| matches!(c, Crash::ShellRefused { code: 126, .. })),
        Some(true)
    );
    // An answer in the host's own words, even an error, is no crash; nor is a time-out.
    assert_eq!(crash_of(&exited(1, "", "Error: keyring locked\n")), None);
    assert_eq!(crash_of(&exited(1, "", "Not logged in\n")), None);
    assert_eq!(crash_of(&exited(2, "at the office\n", "")), None);
    assert_eq!(crash_of(&CmdResult::TimedOut { after_ms: 5 }), None);
    // Only a run that gave no login answer keeps a crash.
    assert_eq!(run(exited(0, "", "Logged in using ChatGPT\n")).crash, None);
    assert!(run(exited(1, "", CODEX_WITHOUT_PLATFORM)).crash.is_some());
}

#[test]
fn node_versions_against_engines_ranges() {
    assert_eq!(satisfies("v20.11.0", ">=16"), Some(true));
    assert_eq!(satisfies("v14.21.3", ">=16"), Some(false));
    assert_eq!(satisfies("v16.0.0", ">=16"), Some(true));
    assert_eq!(satisfies("v21.7.0", ">=22.0.0"), Some(false));
    assert_eq!(satisfies("v18.17.0", "^18.17.0 || >=20.5.0"), Some(true));
    assert_eq!(satisfies("v19.0.0", "^18.17.0 || >=20.5.0"), Some(false));
    assert_eq!(satisfies("v20.5.0", "^18.17.0 || >=20.5.0"), Some(true));
    assert_eq!(satisfies("v15.9.0", ">= 14 < 16"), Some(true));
    assert_eq!(satisfies("v16.0.0", ">=14 <16"), Some(false));
    assert_eq!(satisfies("not a version", ">=16"), None);
    assert_eq!(satisfies("v20.0.0", "latest and greatest"), None);
}

#[test]
fn a_dangling_link_on_the_listeners_path_is_judged_not_the_copy_elsewhere() {
    let mut t = target(user(1000, "alice"));
    t.found = None;
    t.path = Some("/home/alice/bin:/usr/bin:/bin".into());
    t.unrunnable = vec![Unrun {
        path: "/home/alice/bin/codex".into(),
        why: Unrunnable::DanglingLink {
            target: "/home/alice/.nvm/versions/node/v18.0.0/bin/codex".into(),
        },
    }];
    t.elsewhere = vec!["/opt/codex/bin/codex".into()];
    t.login.creds = vec![stored_login()];
    let d = judged(t.clone());
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Fail, vec!["HOST_CANNOT_START"])
    );
    let f = &d.findings[0];
    assert_eq!(
        f.message.head(),
        Some("codex cannot start for listener pid 42 (alice)")
    );
    assert!(
        f.message.contains(
            "/home/alice/bin/codex is a symbolic link to /home/alice/.nvm/versions/node/v18.0.0/bin/codex, \
                which does not exist"
        ),
        "{}",
        &*f.message
    );
    assert!(
        f.message.ends_with(
            "; /home/alice/.codex/auth.json holds a stored login, which is no use until codex starts"
        ),
        "{}",
        &*f.message
    );
    assert_eq!(
        f.remedy.commands,
        vec!["ln -sfn /opt/codex/bin/codex /home/alice/bin/codex"]
    );
    assert!(f.remedy.for_person()[0].starts_with("Point the link at the working codex"));
    assert!(
        !f.remedy.for_person().iter().any(|s| s.contains("Log in")),
        "{:?}",
        f.remedy
    );
    // Linked from a system directory, the link is root's to change.
    t.unrunnable[0].path = "/usr/local/bin/codex".into();
    let d = judged(t.clone());
    assert_eq!(
        d.findings[0].remedy.commands,
        vec!["sudo ln -sfn /opt/codex/bin/codex /usr/local/bin/codex"]
    );
    // With no copy anywhere: install it again (no command to guess).
    t.elsewhere = vec![];
    let d = judged(t);
    assert!(d.findings[0].remedy.commands.is_empty());
    assert!(d.findings[0].remedy.for_person()[0].starts_with("Install codex again for alice"));
}

#[test]
fn a_file_without_its_execute_bit_gets_chmod_as_its_owner() {
    let mut t = target(user(1000, "alice"));
    t.found = None;
    t.unrunnable = vec![Unrun {
        path: "/usr/local/bin/codex".into(),
        why: Unrunnable::NotExecutable {
            mode: 0o644,
            owner: user(0, "root"),
            file: None,
        },
    }];
    t.elsewhere = vec!["/opt/codex/bin/codex".into()];
    let d = judged(t.clone());
    let f = &d.findings[0];
    assert_eq!(f.code, "HOST_CANNOT_START");
    assert!(
        f.message
            .contains("/usr/local/bin/codex has no execute bit (mode 0644)"),
        "{}",
        &*f.message
    );
    assert!(
        f.message.contains(
            "; a codex that may work is in /opt/codex/bin, which the PATH of listener pid 42 lacks"
        ),
        "{}",
        &*f.message
    );
    assert_eq!(
        f.remedy.commands,
        vec!["sudo chmod +x /usr/local/bin/codex"]
    );
    if let Unrunnable::NotExecutable { owner, .. } = &mut t.unrunnable[0].why {
        *owner = user(1000, "alice");
    }
    assert_eq!(
        judged(t.clone()).findings[0].remedy.commands,
        vec!["chmod +x /usr/local/bin/codex"]
    );
    // A link to a file without its execute bit: the file it leads to is named and changed.
    t.unrunnable[0].why = Unrunnable::NotExecutable {
        mode: 0o600,
        owner: user(1000, "alice"),
        file: Some("/home/alice/codex-0.169/bin/codex".into()),
    };
    let d = judged(t.clone());
    assert!(
        d.findings[0].message.contains(
            "/usr/local/bin/codex (a link to /home/alice/codex-0.169/bin/codex) has no execute bit (mode 0600)"
        ),
        "{}",
        &*d.findings[0].message
    );
    assert_eq!(
        d.findings[0].remedy.commands,
        vec!["chmod +x /home/alice/codex-0.169/bin/codex"]
    );
    t.unrunnable[0].why = Unrunnable::NotAFile;
    assert!(judged(t).findings[0]
        .message
        .contains("/usr/local/bin/codex is not a file"));
}

#[test]
fn a_placeholder_left_by_skipped_install_scripts_is_reinstalled_into_its_prefix() {
    let mut t = target(user(1000, "alice"));
    t.found = Some("/p/bin/claude".into());
    t.kind = Some(ProgramKind::Text);
    let mut pkg = package(vec![]);
    pkg.name = "@anthropic-ai/claude-code".into();
    pkg.version = Some("2.1.332".into());
    pkg.install_script = true;
    t.package = Some(pkg.clone());
    t.login.status = Some(run(CmdResult::NotStarted {
        error: "Exec format error (os error 8)".into(),
    }));
    t.login.creds = vec![stored_login()];
    let d = judged(t.clone());
    assert_eq!(codes(&d), vec!["HOST_CANNOT_START"]);
    let f = &d.findings[0];
    assert!(
        f.message.contains(
            "/p/bin/claude is the placeholder @anthropic-ai/claude-code ships until its install \
                script puts the native program there: that script never ran"
        ),
        "{}",
        &*f.message
    );
    assert_eq!(
        f.remedy.commands,
        vec!["npm install -g --prefix /p @anthropic-ai/claude-code@2.1.332"]
    );
    // A local install is installed again locally; a root-owned prefix as root.
    pkg.global = false;
    pkg.owner = Some(user(0, "root"));
    t.package = Some(pkg);
    assert_eq!(
        judged(t.clone()).findings[0].remedy.commands,
        vec!["sudo npm install --prefix /p @anthropic-ai/claude-code@2.1.332"]
    );
    // Text outside any package is left to the status command (here: it could not start).
    t.package = None;
    let d = judged(t.clone());
    assert!(
        d.findings[0].message.contains(
            "`/p/bin/codex login status` could not start: Exec format error (os error 8)"
        ),
        "{}",
        &*d.findings[0].message
    );
    // An empty file is a placeholder wherever it is.
    t.kind = Some(ProgramKind::Empty);
    assert!(judged(t).findings[0]
        .message
        .contains("/p/bin/claude is empty"));
}

#[test]
fn a_program_for_another_machine_cannot_start() {
    let mut t = target(user(1000, "alice"));
    t.kind = Some(ProgramKind::Elf {
        machine: "aarch64".into(),
    });
    let d = judged(t.clone());
    assert_eq!(codes(&d), vec!["HOST_CANNOT_START"]);
    assert!(
        d.findings[0].message.contains(
            "/usr/bin/codex is a Linux program for aarch64; this machine is linux x86_64"
        ),
        "{}",
        &*d.findings[0].message
    );
    assert!(d.findings[0].remedy.for_person()[0]
        .starts_with("Install the codex built for linux x86_64"));
    for (kind, ok) in [
        (
            ProgramKind::Elf {
                machine: "x86_64".into(),
            },
            true,
        ),
        (ProgramKind::Script, true),
        (ProgramKind::Other, true),
        (ProgramKind::MachO, false),
        (ProgramKind::Pe, false),
    ] {
        t.kind = Some(kind.clone());
        t.login.status = Some(run(exited(0, "", "Logged in using ChatGPT\n")));
        assert_eq!(judged(t.clone()).status == Status::Pass, ok, "{kind:?}");
    }
    // A bundle recorded before the platform was: nothing is judged by machine.
    let mut f = facts(user(1000, "alice"), t);
    f.platform = Default::default();
    assert_eq!(diagnose::diagnose(&f).status, Status::Pass);
}

#[test]
fn an_npm_package_without_its_platform_package_cannot_start_whatever_the_login_files_say() {
    let mut t = target(user(1000, "alice"));
    t.found = Some("/p/bin/codex".into());
    t.kind = Some(ProgramKind::Script);
    t.shebang = Shebang::Env {
        name: "node".into(),
    };
    t.interpreter = Some("/usr/bin/node".into());
    t.package = Some(package(vec![("@openai/codex-linux-x64".into(), false)]));
    t.login.status = Some(run(exited(1, "", CODEX_WITHOUT_PLATFORM)));
    t.login.creds = vec![stored_login()];
    let d = judged(t.clone());
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Fail, vec!["HOST_CANNOT_START"])
    );
    let f = &d.findings[0];
    assert!(
        f.message.contains(
            "@openai/codex 0.169.0 in /p/lib/node_modules/@openai/codex lacks its platform package \
                @openai/codex-linux-x64"
        ),
        "{}",
        &*f.message
    );
    assert_eq!(
        f.remedy.commands,
        vec!["npm install -g --prefix /p @openai/codex@0.169.0"]
    );
    // Its musl twin installed is enough; so is the package itself.
    let mut pkg = package(vec![
        ("@openai/codex-linux-x64".into(), false),
        ("@openai/codex-linux-x64-musl".into(), true),
    ]);
    t.package = Some(pkg.clone());
    t.login.status = Some(run(exited(0, "", "Logged in using ChatGPT\n")));
    assert_eq!(judged(t.clone()).status, Status::Pass);
    // Judged from the crash alone (the doctor read no package): the status command died.
    pkg.platform = vec![];
    t.package = None;
    t.login.status = Some(run(exited(1, "", CODEX_WITHOUT_PLATFORM)));
    let d = judged(t.clone());
    assert!(
        d.findings[0].message.contains(
            "`/p/bin/codex login status` died before it answered: Error: Missing optional dependency \
                @openai/codex-linux-x64."
        ),
        "{}",
        &*d.findings[0].message
    );
    assert_eq!(
        d.findings[0].remedy.commands,
        vec!["env PATH=/usr/bin:/bin /p/bin/codex login status"]
    );
    // With the package known, the crash's cause has its reinstall.
    t.package = Some(pkg);
    assert_eq!(
        judged(t).findings[0].remedy.commands,
        vec!["npm install -g --prefix /p @openai/codex@0.169.0"]
    );
}

#[test]
fn a_node_older_than_the_package_asks_for_cannot_start_it() {
    let mut t = target(user(1000, "alice"));
    t.found = Some("/p/bin/codex".into());
    t.shebang = Shebang::Env {
        name: "node".into(),
    };
    t.interpreter = Some("/opt/old/bin/node".into());
    t.package = Some(package(vec![]));
    t.interpreter_version = Some("v14.21.3".into());
    // The old node runs codex.js and says nothing of a login: still no pass.
    t.login.status = Some(run(exited(0, "", "v14.21.3\n")));
    let d = judged(t.clone());
    assert_eq!(codes(&d), vec!["HOST_CANNOT_START"]);
    assert!(
        d.findings[0].message.contains(
            "@openai/codex needs node >=16 (engines.node), but the node on the PATH of listener pid \
                42 (/opt/old/bin/node) is v14.21.3"
        ),
        "{}",
        &*d.findings[0].message
    );
    assert!(d.findings[0].remedy.for_person()[0]
        .starts_with("Put a node that satisfies >=16 first on the listener's PATH"));
    // At the boundary it is enough; a version the doctor could not read says nothing.
    t.interpreter_version = Some("v16.0.0".into());
    t.login.status = Some(run(exited(0, "", "Logged in using ChatGPT\n")));
    assert_eq!(judged(t.clone()).status, Status::Pass);
    t.interpreter_version = None;
    assert_eq!(judged(t).status, Status::Pass);
}

#[test]
fn a_status_command_killed_or_refused_by_the_shell_is_no_login_answer() {
    let mut t = target(user(1000, "alice"));
    t.login.creds = vec![stored_login()];
    t.login.status = Some(run(CmdResult::Exited {
        code: None,
        stdout: String::new(),
        stderr: String::new(),
    }));
    let d = judged(t.clone());
    assert_eq!(codes(&d), vec!["HOST_CANNOT_START"]);
    assert!(d.findings[0]
        .message
        .contains("was ended by a signal before it answered"));
    t.login.status = Some(run(exited(
        127,
        "",
        "env: 'node': No such file or directory\n",
    )));
    let d = judged(t.clone());
    assert!(
        d.findings[0]
            .message
            .contains("could not run (exit 127): env: 'node': No such file or directory"),
        "{}",
        &*d.findings[0].message
    );
    // The files' login alone, with an answer that is not a crash, still passes as before.
    t.login.status = Some(run(exited(1, "", "Error: keyring locked\n")));
    assert_eq!(judged(t).status, Status::Pass);
}

#[test]
fn a_secret_in_a_crash_is_masked_before_the_line_is_cut() {
    // A secret of no known shape, registered (as the host's credential files are read before
    // its status command runs), past the cut: masked by its value before the line is cut.
    let key = "zq7CRASHSECRET0123456789abcdefghij";
    let _ = crate::redact::Secret::new(key);
    let long = format!(
        "Error: bad config {}{key}\n    at main (file:///x/codex.js:1:1)\n",
        "x".repeat(170)
    );
    let Some(Crash::Threw { error }) = crash_of(&exited(1, "", &long)) else {
        panic!("a crash");
    };
    // Cut first, "zq7CRAS…" would remain: more than the 4 characters a mask shows.
    assert!(!error.contains("zq7CR"), "{error}");
    let refused = crash_of(&exited(
        127,
        "",
        &format!("env: {}{key}: No such file\n", "y".repeat(110)),
    ));
    let Some(Crash::ShellRefused { said, .. }) = refused else {
        panic!("refused");
    };
    assert!(!said.contains("zq7CR"), "{said}");
}
