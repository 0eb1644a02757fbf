//! End-to-end: what support and CI get — the `report` bundle (with nothing secret in it), its
//! private output file, JUnit and GitHub formats, and the live progress line (on a terminal only).

mod common;

use common::api::{Api, Reply, WHOAMI_OK};
use common::Fixture;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

const CFG_TOKEN: &str = "ar_live_CFGSECRET0123456789abcdef";
const ARGV_TOKEN: &str = "ar_live_ARGVSECRET987654321zyx";
const ENV_TOKEN: &str = "ar_live_ENVSECRET55555555qq";
const ENV_KEY: &str = "sk-proj-ENVKEYSECRET000111222";

#[test]
fn report_holds_everything_support_needs_and_no_secret() {
    let api = Api::healthy();
    let mut f = Fixture::with_listeners();
    f.write("config.json", &format!(r#"{{"api_url": "{}", "token": "{CFG_TOKEN}", "host": "codex", "agent_id": "agt_visible42"}}"#, api.url()));
    f.write(
        "device.json",
        r#"{"device_id": "dev_visible7", "name": "box"}"#,
    );
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    f.fake_codex(&lbin, true);
    f.script(
        &f.bin,
        "codex",
        "#!/bin/sh\n[ \"$1\" = --version ] && echo 'codex-cli 0.169.0' && exit 0\nexit 1\n",
    );
    let home = f.home.display().to_string();
    let path = format!("{}:/usr/bin:/bin", lbin.display());
    f.spawn(
        &[
            "/bin/sh",
            script.to_str().unwrap(),
            "watch",
            "--token",
            ARGV_TOKEN,
        ],
        &[
            ("HOME", &home),
            ("PATH", &path),
            ("AGENT_ROOMS_TOKEN", ENV_TOKEN),
            ("OPENAI_API_KEY", ENV_KEY),
        ],
    );

    for fmt in [&[][..], &["--json"][..]] {
        let out = f
            .doctor()
            .env(
                "HTTPS_PROXY",
                "http://proxyuser:PROXYSECRET99@127.0.0.1:3128",
            )
            .env("NO_PROXY", "127.0.0.1")
            .arg("report")
            .args(fmt)
            .output()
            .unwrap();
        let text = common::all_text(&out);
        for secret in [
            "CFGSECRET",
            "ARGVSECRET",
            "ENVSECRET",
            "ENVKEYSECRET",
            "PROXYSECRET",
        ] {
            assert!(
                !text.contains(secret),
                "{secret} leaked in report {fmt:?}:\n{text}"
            );
        }
        for visible in [
            "agt_visible42",
            "dev_visible7",
            "ar_l…(33 chars, #030aff)",
            "AGENT_ROOMS_TOKEN",
            "OPENAI_API_KEY",
            "codex-cli 0.169.0",
            "proxyuser:***@",
            "ard-",
        ] {
            assert!(
                text.contains(visible),
                "{visible} missing from report {fmt:?}:\n{text}"
            );
        }
        if fmt.is_empty() {
            for heading in [
                "# agent-rooms-doctor report `ard-",
                "## Checks",
                "## Listeners",
                "## Host CLIs",
                "## agent-rooms files",
                "| config.json |",
                "- system: ",
                "- run by: ",
            ] {
                assert!(text.contains(heading), "{heading} in\n{text}");
            }
            // The listener's own codex (in lbin, on its PATH only) is what the host section
            // names first, beside the doctor's.
            let listeners_codex = format!("| {} |", lbin.join("codex").display());
            assert!(
                text.contains("## Host CLIs as the listener finds them")
                    && text
                        .lines()
                        .any(|l| l.starts_with("| codex | listener pid ")
                            && l.ends_with(&listeners_codex)),
                "{text}"
            );
        } else {
            let v: serde_json::Value = common::document(&out.stdout);
            assert!(v["report_id"].as_str().unwrap().starts_with("ard-"));
            assert_eq!(v["checks"]["checks"].as_array().unwrap().len(), 6);
            assert_eq!(v["config"]["token"], "ar_l…(33 chars, #030aff)");
        }
    }
}

#[test]
fn report_output_is_private_and_never_overwritten_without_force() {
    let f = Fixture::new();
    let out = f.dir.path().join("report.md");
    f.doctor()
        .args([
            "report",
            "--offline",
            "--home",
            f.ar_home.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ])
        .assert()
        .stdout(predicates::str::contains("written to"));
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("# agent-rooms-doctor report"));
    std::fs::write(&out, "keep me").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    f.doctor()
        .args(["report", "--offline", "--output", out.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    f.doctor()
        .args([
            "report",
            "--offline",
            "--output",
            out.to_str().unwrap(),
            "--force",
        ])
        .assert()
        .stdout(predicates::str::contains("written to"));
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("# agent-rooms-doctor report"));
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn junit_is_xml_with_one_testcase_per_check_and_github_lines_are_workflow_commands() {
    let api = Api::start(|_| Reply::error("REVOKED", 401));
    let f = Fixture::new();
    f.write(
        "config.json",
        &format!(
            r#"{{"api_url": "{}", "token": "{CFG_TOKEN}", "host": "codex"}}"#,
            api.url()
        ),
    );
    let home = f.ar_home.to_str().unwrap();
    let out = f
        .doctor()
        .args(["--home", home, "--format", "junit"])
        .output()
        .unwrap();
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("not XML ({e}):\n{xml}"));
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 6);
    let token = cases
        .iter()
        .find(|c| c.attribute("name") == Some("token"))
        .unwrap();
    let failure = token
        .children()
        .find(|n| n.has_tag_name("failure"))
        .expect("token fails");
    assert!(
        failure.text().unwrap_or("").contains("REVOKED")
            && failure
                .text()
                .unwrap_or("")
                .contains("request id: req-revoked")
    );
    assert!(!xml.contains("CFGSECRET"));

    let out = f
        .doctor()
        .args(["--home", home, "--format", "github"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let re = regex::Regex::new(r"^::(error|warning|notice) title=[^:]*::.+$").unwrap();
    let cmds: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    assert!(!cmds.is_empty());
    for l in &cmds {
        assert!(re.is_match(l), "not a workflow command: {l}");
    }
    assert!(
        cmds.iter()
            .any(|l| l.starts_with("::error title=agent-rooms-doctor token%3A REVOKED::")),
        "{text}"
    );
}

#[test]
fn progress_shows_on_a_terminal_only() {
    let api = Api::start(|_| {
        Reply::After(
            Duration::from_millis(1200),
            Box::new(Reply::json(200, WHOAMI_OK)),
        )
    });
    let f = Fixture::new();
    f.write(
        "config.json",
        &format!(r#"{{"api_url": "{}", "token": "{CFG_TOKEN}"}}"#, api.url()),
    );
    let home = f.ar_home.to_str().unwrap();
    // Not a terminal: no progress on stderr.
    let out = f.doctor().args(["api", "--home", home]).output().unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("checking:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Under a pseudo-terminal (util-linux `script`): the line appears and is erased.
    if common::prerequisite("util-linux `script`", which::which("script").ok()).is_none() {
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("agent-rooms-doctor");
    let cmd = format!("{} api --home {home}", bin.display());
    // `cmd` on a pseudo-terminal with HOME, the system PATH and `env`; what the terminal showed.
    let on_terminal = |cmd: &str, env: &[(&str, &str)]| {
        let out = std::process::Command::new("script")
            .args(["-qec", cmd, "/dev/null"])
            .env_clear()
            .env("HOME", &f.home)
            .env("PATH", common::SYSTEM_PATH)
            .envs(env.iter().copied())
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = on_terminal(&cmd, &[("TERM", "xterm")]);
    assert!(
        text.contains("… checking: api"),
        "no progress line under a terminal:\n{text:?}"
    );
    assert!(text.contains("\r\x1b[2K"), "the line is erased");
    // JSON never gets it, even on a terminal.
    assert!(!on_terminal(&format!("{cmd} --json"), &[]).contains("checking:"));
    // A terminal that takes no escape sequences (TERM=dumb), or NO_COLOR: no escape at all.
    for (k, v) in [("TERM", "dumb"), ("NO_COLOR", "1")] {
        let text = on_terminal(&cmd, &[("TERM", "xterm"), (k, v)]);
        assert!(
            !text.contains('\x1b'),
            "{k}={v}: an escape sequence on the terminal:\n{text:?}"
        );
        assert!(text.contains("1 passed"), "{k}={v}: {text:?}");
    }
    // `explain -` on a terminal with nothing piped in says how to use it and exits 2, at once.
    let text = on_terminal(
        &format!("{} explain -; echo \"[exit $?]\"", bin.display()),
        &[("TERM", "xterm")],
    );
    assert!(text.contains("nothing is piped in"), "{text:?}");
    assert!(text.contains("[exit 2]"), "{text:?}");
}

/// Every path below `dir` with its size, mode and modification time.
fn snapshot(dir: &std::path::Path) -> Vec<(std::path::PathBuf, u64, u32, i64)> {
    use std::os::unix::fs::MetadataExt;
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let m = std::fs::symlink_metadata(e.path()).unwrap();
            if m.is_dir() {
                stack.push(e.path());
            }
            out.push((
                e.path(),
                m.len(),
                m.mode(),
                m.mtime_nsec() + m.mtime() * 1_000_000_000,
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn a_full_run_and_a_report_change_nothing_they_inspect() {
    let api = Api::healthy();
    let mut f = Fixture::with_listeners();
    f.write(
        "config.json",
        &format!(
            r#"{{"api_url": "{}", "token": "{CFG_TOKEN}", "host": "codex"}}"#,
            api.url()
        ),
    );
    f.write("device.json", r#"{"device_id": "dev_test1"}"#);
    f.write(
        "listener.json",
        r#"{"pid": 1, "heartbeat_at": "2026-01-01T00:00:00Z", "connected": true}"#,
    );
    std::fs::create_dir_all(f.home.join(".codex")).unwrap();
    std::fs::write(
        f.home.join(".codex/auth.json"),
        r#"{"tokens": {"refresh_token": "rt"}}"#,
    )
    .unwrap();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    f.fake_codex(&lbin, true);
    let path = format!("{}:/usr/bin:/bin", lbin.display());
    f.listen(&["/bin/sh", script.to_str().unwrap(), "watch"], &path);
    let before = snapshot(f.dir.path());
    f.doctor().output().unwrap();
    f.doctor().arg("report").output().unwrap();
    f.doctor().args(["--json", "-v"]).output().unwrap();
    // `fix` changes only on a yes: its dry run, and a run without a terminal or --yes, change
    // nothing either (the config.json above is mode 0600: nothing would be for fix to do anyway,
    // so a too-open copy is made to give it something).
    std::fs::set_permissions(
        f.ar_home.join("config.json"),
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    let before_fix = snapshot(f.dir.path());
    f.doctor().args(["fix", "--dry-run"]).output().unwrap();
    f.doctor().arg("fix").output().unwrap();
    assert_eq!(
        before_fix,
        snapshot(f.dir.path()),
        "fix without a yes changed something"
    );
    std::fs::set_permissions(
        f.ar_home.join("config.json"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    assert_eq!(before, snapshot(f.dir.path()));
}

/// `report -o` never writes through a link nor into what it did not create: `--force` replaces
/// only a regular file of the doctor's own user and names anything else it finds, leaving it
/// as it was (CONTRACT §3 "Nothing runs as text"; issue 22).
#[test]
fn report_output_never_goes_through_a_link_nor_into_a_device_fifo_or_directory() {
    let f = Fixture::new();
    let home = f.ar_home.to_str().unwrap().to_string();
    let run = |target: &Path| {
        f.doctor()
            .args([
                "report",
                "--offline",
                "--home",
                &home,
                "--force",
                "--output",
            ])
            .arg(target)
            .output()
            .unwrap()
    };
    // A link to a file elsewhere (root's own, when run as root): the target is untouched.
    let victim = f.dir.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
    let link = f.dir.path().join("report.md");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    for force in [true, false] {
        let mut cmd = f.doctor();
        cmd.args(["report", "--offline", "--home", &home, "--output"])
            .arg(&link);
        if force {
            cmd.arg("--force");
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(if force { "symbolic link" } else { "--force" }),
            "{err}"
        );
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(
        std::fs::metadata(&victim).unwrap().permissions().mode() & 0o777,
        0o644
    );
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    // A FIFO and a directory are named, and left as they were.
    let fifo = f.dir.path().join("fifo");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o666)).unwrap();
    let mode = std::fs::metadata(&fifo).unwrap().permissions().mode();
    let out = run(&fifo);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a FIFO"));
    assert_eq!(std::fs::metadata(&fifo).unwrap().permissions().mode(), mode);
    let dir = f.dir.path().join("adir");
    std::fs::create_dir(&dir).unwrap();
    let out = run(&dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a directory"));
    // A device: /dev/null keeps its mode (as root, the old code made it 0600).
    let before = std::fs::metadata("/dev/null").unwrap().permissions().mode();
    let out = run(Path::new("/dev/null"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a device"));
    assert_eq!(
        std::fs::metadata("/dev/null").unwrap().permissions().mode(),
        before
    );
    // No temporary file is left beside any of them.
    let left: Vec<_> = std::fs::read_dir(f.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
