//! End-to-end: the command line itself — explain, list, exit codes, formats, colour, completions,
//! bad configuration — run as the built binary.

mod common;

use common::{check, codes, seed_codes, Fixture};
use predicates::prelude::*;

#[test]
fn explain_prints_status_meaning_and_remedy_for_every_seed_code() {
    let f = Fixture::new();
    for (code, status) in seed_codes() {
        let out = f
            .doctor()
            .args(["explain", &code.to_lowercase()])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with(&format!("{code} (API error code, HTTP {status})")),
            "{text}"
        );
        assert!(text.contains("What to do:\n  → "), "{text}");
    }
}

#[test]
fn explain_knows_the_gotcha_and_suggests_near_codes() {
    let f = Fixture::new();
    f.doctor()
        .args(["explain", "already_claimed"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("another instance of the agent owns this task")
                .and(predicate::str::contains("do not retry")),
        );
    f.doctor()
        .args(["explain", "REVOKD"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean REVOKED"));
    f.doctor()
        .args(["explain", "--all"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("CONSTRAINED_RUNTIME_REQUIRED")
                .and(predicate::str::contains("LISTENER_DUPLICATE")),
        );
}

#[test]
fn explain_reads_an_envelope_from_stdin() {
    let f = Fixture::new();
    let seed = r#"{"error":{"code":"FORBIDDEN_SCOPE","status":403,"message":"This agent does not have the required scope.","request_id":"7f3c9a2b","fields":{}}}"#;
    f.doctor()
        .args(["explain", "-"])
        .write_stdin(seed)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("FORBIDDEN_SCOPE (HTTP 403)")
                .and(predicate::str::contains("The agent lacks a scope"))
                .and(predicate::str::contains(
                    "Request id to quote to support: 7f3c9a2b (the Cloudflare ray id",
                ))
                .and(predicate::str::contains("What to do:")),
        );
    let validation = r#"{"error":{"code":"VALIDATION","status":400,"message":"bad","request_id":"r2","fields":{"room_id":"is required","name":"too long"}}}"#;
    f.doctor()
        .args(["explain", "-"])
        .write_stdin(validation)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("room_id: is required")
                .and(predicate::str::contains("name: too long")),
        );
    f.doctor()
        .args(["explain", "-"])
        .write_stdin(r#"{"error":{"code":"BRAND_NEW","status":418}}"#)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("BRAND_NEW (HTTP 418)")
                .and(predicate::str::contains("not a code this doctor knows")),
        );
    for bad in [
        "<html>502</html>",
        "",
        "{\"error\": 5}",
        "{\"error\":{\"code\"",
    ] {
        let a = f
            .doctor()
            .args(["explain", "-"])
            .write_stdin(bad)
            .assert()
            .code(2);
        let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(
            err.starts_with("error: stdin is not an agent-rooms error envelope"),
            "{err}"
        );
    }
}

#[test]
fn list_names_every_check() {
    let f = Fixture::new();
    let out = f
        .doctor()
        .arg("list")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for id in registry_ids() {
        assert!(text.lines().any(|l| l.starts_with(id)), "{id} in {text}");
    }
}

#[test]
fn usage_errors_exit_2_with_one_line_naming_the_choices() {
    let f = Fixture::new();
    for args in [
        &["check", "nope"][..],
        &["--skip", "nope"],
        &["--format", "xml"],
        &["--bogus"],
        &["--timeout", "0"],
        &["--wait", "-1"],
        &["--timeout", "-5"],
    ] {
        let a = f.doctor().args(args).assert().code(2);
        let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
    f.doctor()
        .args(["check", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(registry_ids().join(", ")));
    // A negative number is the flag's value, named with what it takes (not "unexpected -1").
    f.doctor()
        .args(["--wait", "-1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid value '-1' for '--wait <SECS>': a number of seconds greater than 0",
        ));
    f.doctor()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:").and(predicate::str::contains("Exit codes:")));
}

#[test]
fn json_has_the_contract_shape_and_ok_matches_the_exit_code() {
    let f = Fixture::new();
    let home = f.ar_home.to_str().unwrap();
    // --skip makes one outcome the engine's own: its facts are an object too.
    f.human(
        "json_has_the_contract_shape_and_ok_matches_the_exit_code-1",
        &["--home", home, "--offline", "--skip", "device"],
    );
    let (code, v, _) = f.json(&["--home", home, "--offline", "--skip", "device"]);
    assert_eq!(v["schema_version"], 1);
    assert!(v["doctor_version"].is_string() && v["duration_ms"].is_u64());
    let ids: Vec<&str> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, registry_ids());
    for c in v["checks"].as_array().unwrap() {
        for k in [
            "title",
            "status",
            "summary",
            "duration_ms",
            "facts",
            "findings",
        ] {
            assert!(c.get(k).is_some(), "{k} in {c}");
        }
        assert!(c["facts"].is_object(), "facts is always an object: {c}");
        for fnd in c["findings"].as_array().unwrap() {
            assert!(
                fnd["code"].is_string()
                    && fnd["message"].is_string()
                    && fnd["remedy"]["steps"].is_array()
                    && fnd["remedy"]["commands"].is_array()
            );
            assert!(fnd.get("request_id").is_some());
        }
    }
    assert_eq!(code, 1);
    assert_eq!(v["ok"], false);
    let s = &v["summary"];
    let total: u64 = ["pass", "warn", "fail", "skip"]
        .iter()
        .map(|k| s[k].as_u64().unwrap())
        .sum();
    assert_eq!(total, 6);
}

#[test]
fn a_home_that_does_not_exist_fails_whichever_checks_run() {
    let f = Fixture::new();
    let missing = f.dir.path().join("nonexistent");
    let home = missing.to_str().unwrap();
    for (i, args) in [
        &["--skip", "listener"][..],
        &["token"],
        &["api", "logs"],
        &[],
    ]
    .into_iter()
    .enumerate()
    {
        let args = [&["--home", home, "--offline"][..], args].concat();
        let name = format!(
            "a_home_that_does_not_exist_fails_whichever_checks_run-{}",
            i + 1
        );
        f.human(&name, &args);
        let (code, v, _) = f.json(&args);
        let all: Vec<String> = v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["findings"].as_array().unwrap().iter())
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(all, ["HOME_NOT_FOUND"], "{args:?}: {v}");
        assert_eq!((code, &v["ok"]), (1, &serde_json::json!(false)), "{args:?}");
        assert_eq!(v["start_here"]["code"], "HOME_NOT_FOUND");
    }
}

#[test]
fn exit_codes_and_strict() {
    // A clean token check with only a warning (token file readable by others): 0, and 1 with --strict.
    let f = Fixture::new();
    let p = f.write("config.json", r#"{"token": "ar_live_0123456789abcdef"}"#);
    std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let home = f.ar_home.to_str().unwrap();
    f.human(
        "exit_codes_and_strict-1",
        &["token", "--home", home, "--offline"],
    );
    let (code, v, _) = f.json(&["token", "--home", home, "--offline"]);
    assert_eq!(codes(&v, "token"), ["TOKEN_FILE_TOO_OPEN"]);
    assert_eq!((code, &v["ok"]), (0, &serde_json::json!(true)));
    f.human(
        "exit_codes_and_strict-2",
        &["token", "--home", home, "--offline", "--strict"],
    );
    let (code, v, _) = f.json(&["token", "--home", home, "--offline", "--strict"]);
    assert_eq!((code, &v["ok"]), (1, &serde_json::json!(false)));
    // Under --strict the CI formats show the warning as a failure, never green.
    let junit = f
        .doctor()
        .args([
            "token",
            "--home",
            home,
            "--offline",
            "--strict",
            "--format",
            "junit",
        ])
        .output()
        .unwrap();
    let xml = String::from_utf8(junit.stdout).unwrap();
    assert!(xml.contains("failures=\"1\""), "{xml}");
    assert!(xml.contains("<failure message="), "{xml}");
    let gh = f
        .doctor()
        .args([
            "token",
            "--home",
            home,
            "--offline",
            "--strict",
            "--format",
            "github",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(gh.stdout).unwrap();
    assert!(
        text.starts_with("::error title=agent-rooms-doctor token%3A TOKEN_FILE_TOO_OPEN::"),
        "{text}"
    );

    // No API URL anywhere: the api check skips for lack of configuration — a pass without
    // --strict, a failure with it (a smoke check that proves nothing must not look green).
    let f = Fixture::new();
    f.write("config.json", r#"{"token": "ar_live_0123456789abcdef"}"#);
    let home = f.ar_home.to_str().unwrap();
    f.human("exit_codes_and_strict-3", &["api", "--home", home]);
    let (code, v, _) = f.json(&["api", "--home", home]);
    assert_eq!(code, 0);
    assert_eq!(codes(&v, "api"), ["API_URL_MISSING"]);
    f.human(
        "exit_codes_and_strict-4",
        &["api", "--home", home, "--strict"],
    );
    let (code, _, _) = f.json(&["api", "--home", home, "--strict"]);
    assert_eq!(code, 1);
    let junit = f
        .doctor()
        .args(["api", "--home", home, "--strict", "--format", "junit"])
        .output()
        .unwrap();
    let xml = String::from_utf8(junit.stdout).unwrap();
    assert!(xml.contains("failures=\"1\" skipped=\"0\""), "{xml}");
    // Skipped by --offline is not a lack of configuration: still fine under --strict.
    f.human(
        "exit_codes_and_strict-5",
        &[
            "api",
            "--home",
            home,
            "--strict",
            "--offline",
            "--api-url",
            "https://api.example",
        ],
    );
    let (code, _, _) = f.json(&[
        "api",
        "--home",
        home,
        "--strict",
        "--offline",
        "--api-url",
        "https://api.example",
    ]);
    assert_eq!(code, 0);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let f = Fixture::new();
    let home = f.ar_home.to_str().unwrap();
    let plain = f
        .doctor()
        .args(["token", "--home", home, "--offline"])
        .output()
        .unwrap();
    let text = String::from_utf8(plain.stdout).unwrap();
    assert!(
        !text.contains('\x1b') && text.contains("✗ fail  token"),
        "{text}"
    );
    let forced = f
        .doctor()
        .args(["token", "--home", home, "--offline", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8(forced.stdout).unwrap().contains("\x1b["));
    let no = f
        .doctor()
        .env("NO_COLOR", "1")
        .args(["token", "--home", home, "--offline"])
        .output()
        .unwrap();
    assert!(!String::from_utf8(no.stdout).unwrap().contains('\x1b'));
}

#[test]
fn markdown_is_ready_to_paste() {
    let f = Fixture::new();
    let home = f.ar_home.to_str().unwrap();
    let out = f
        .doctor()
        .args(["token", "--home", home, "--offline", "--format", "markdown"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("| check | status | summary |")
            && text.contains("| token | ✗ fail |")
            && text.contains("### `TOKEN_MISSING` (token)"),
        "{text}"
    );
}

#[test]
fn each_bad_config_is_config_invalid_naming_the_file() {
    let cases: &[(&str, &str)] = &[
        ("{\"token\": ", "truncated"),
        ("{\"token\": 12}", "wrong type"),
        ("not json", "not valid JSON at line 1 column 2"),
        ("[1, 2]", "wrong type"),
    ];
    for (i, (text, why)) in cases.iter().enumerate() {
        let f = Fixture::new();
        let p = f.write("config.json", text);
        let args = ["token", "--home", f.ar_home.to_str().unwrap(), "--offline"];
        let name = format!(
            "each_bad_config_is_config_invalid_naming_the_file-{}",
            i + 1
        );
        f.human(&name, &args);
        let (_, v, _) = f.json(&args);
        // One problem, one finding: not also TOKEN_MISSING.
        assert_eq!(codes(&v, "token"), ["CONFIG_INVALID"], "{text}: {v}");
        let fnd = &check(&v, "token")["findings"][0];
        let msg = fnd["message"].as_str().unwrap();
        assert!(
            msg.contains(p.to_str().unwrap()) && msg.contains(why),
            "{text}: {msg}"
        );
    }
    // A UTF-8 byte-order mark at the start is accepted.
    let f = Fixture::new();
    f.write(
        "config.json",
        "\u{feff}{\"token\": \"ar_live_BOMtoken0123456789\"}",
    );
    f.human(
        "each_bad_config_is_config_invalid_naming_the_file-5",
        &["token", "--home", f.ar_home.to_str().unwrap(), "--offline"],
    );
    let (_, v, _) = f.json(&["token", "--home", f.ar_home.to_str().unwrap(), "--offline"]);
    assert_eq!(codes(&v, "token"), Vec::<String>::new(), "{v}");
    // A directory, a huge file, an unreadable file (root reads anything, so a FIFO stands in).
    let f = Fixture::new();
    std::fs::create_dir(f.ar_home.join("config.json")).unwrap();
    f.human(
        "each_bad_config_is_config_invalid_naming_the_file-6",
        &["token", "--home", f.ar_home.to_str().unwrap(), "--offline"],
    );
    let (_, v, _) = f.json(&["token", "--home", f.ar_home.to_str().unwrap(), "--offline"]);
    assert!(check(&v, "token")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("config.json is a directory"));
    let f = Fixture::new();
    f.write("config.json", &" ".repeat(2 << 20));
    f.human(
        "each_bad_config_is_config_invalid_naming_the_file-7",
        &["token", "--home", f.ar_home.to_str().unwrap(), "--offline"],
    );
    let (_, v, _) = f.json(&["token", "--home", f.ar_home.to_str().unwrap(), "--offline"]);
    assert!(check(&v, "token")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("over the 1048576 byte limit"));
    let f = Fixture::new();
    nix::unistd::mkfifo(
        &f.ar_home.join("config.json"),
        nix::sys::stat::Mode::S_IRWXU,
    )
    .unwrap();
    f.human(
        "each_bad_config_is_config_invalid_naming_the_file-8",
        &["token", "--home", f.ar_home.to_str().unwrap(), "--offline"],
    );
    let (_, v, _) = f.json(&["token", "--home", f.ar_home.to_str().unwrap(), "--offline"]);
    assert!(check(&v, "token")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("is a FIFO"));
}

#[test]
fn completions_are_generated_and_the_committed_ones_are_current() {
    let f = Fixture::new();
    for (shell, file) in [
        ("bash", "agent-rooms-doctor.bash"),
        ("zsh", "_agent-rooms-doctor"),
        ("fish", "agent-rooms-doctor.fish"),
        ("powershell", "_agent-rooms-doctor.ps1"),
        ("elvish", "agent-rooms-doctor.elv"),
    ] {
        let out = f
            .doctor()
            .args(["completions", shell])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let committed = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("completions")
                .join(file),
        )
        .unwrap_or_default();
        assert!(out == committed, "completions/{file} is stale: run `cargo run -- completions {shell} > completions/{file}`");
    }
}

#[test]
fn readme_lists_every_catalogue_code_and_no_other() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let section = readme
        .split("## Finding codes")
        .nth(1)
        .expect("README has a Finding codes section");
    let mut in_readme: Vec<String> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect();
    let f = Fixture::new();
    let out = f
        .doctor()
        .args(["explain", "--all", "--json"])
        .output()
        .unwrap();
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut in_catalogue: Vec<String> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap().to_string())
        .collect();
    in_readme.sort();
    in_catalogue.sort();
    assert_eq!(in_readme, in_catalogue);
}

/// The check ids, as the registry (the one list of checks) has them, in report order.
fn registry_ids() -> Vec<&'static str> {
    agent_rooms_doctor::checks::REGISTRY
        .iter()
        .map(|d| d.id.as_str())
        .collect()
}

/// The man pages (`man/`), generated from the same clap definition as the help and completions.
/// To regenerate: `AGENT_ROOMS_DOCTOR_WRITE_MAN=1 cargo test --test cli man_pages`.
#[test]
fn man_pages_are_generated_and_the_committed_ones_are_current() {
    let dir = tempfile::tempdir().unwrap();
    clap_mangen::generate_to(agent_rooms_doctor::cli::command(), dir.path()).unwrap();
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let write = std::env::var_os("AGENT_ROOMS_DOCTOR_WRITE_MAN").is_some();
    let mut names = vec![];
    for e in std::fs::read_dir(dir.path()).unwrap().flatten() {
        let name = e.file_name();
        let fresh = std::fs::read(e.path()).unwrap();
        if write {
            std::fs::create_dir_all(&committed).unwrap();
            std::fs::write(committed.join(&name), &fresh).unwrap();
        }
        let old = std::fs::read(committed.join(&name)).unwrap_or_default();
        assert!(
            fresh == old,
            "man/{} is stale: run `AGENT_ROOMS_DOCTOR_WRITE_MAN=1 cargo test --test cli man_pages`",
            name.to_string_lossy()
        );
        names.push(name.to_string_lossy().into_owned());
    }
    assert!(
        names.contains(&"agent-rooms-doctor.1".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"agent-rooms-doctor-fix.1".to_string()),
        "{names:?}"
    );
    // No page left over from a command that no longer exists.
    for e in std::fs::read_dir(&committed).unwrap().flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        assert!(names.contains(&n), "man/{n} belongs to no command");
    }
}

#[test]
fn a_hosts_binary_name_is_accepted_and_report_dash_o_dash_is_stdout() {
    let f = Fixture::new();
    let home = f.ar_home.to_str().unwrap();
    let out = f
        .doctor()
        .args(["host", "--host", "cursor-agent", "--json", "--home", home])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        check(&v, "host")["facts"]["hosts"][0]["name"],
        "cursor",
        "{v}"
    );
    let out = f
        .doctor()
        .args(["report", "-o", "-", "--offline", "--home", home])
        .current_dir(f.dir.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("# agent-rooms-doctor report"));
    assert!(
        !f.dir.path().join("-").exists(),
        "a file named - was written"
    );
}
