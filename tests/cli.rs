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
    let run: &[&str] = &["--home", home, "--offline", "--skip", "device"];
    f.human(
        "json_has_the_contract_shape_and_ok_matches_the_exit_code-1",
        run,
    );
    let (code, v, _) = f.json(run);
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

/// Issue 39: `--home` given config.json's path said "agent-rooms is not set up here"; it says
/// --home names a file, and the printed line with the directory that holds it, pasted, passes
/// the listener check's home test.
#[test]
fn a_home_given_as_a_file_names_the_directory_that_holds_it() {
    let f = Fixture::new();
    let cfg = f.write("config.json", r#"{"host": "codex"}"#);
    let (code, text) = f.human(
        "a_home_given_as_a_file_names_the_directory_that_holds_it",
        &["listener", "--home", cfg.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{text}");
    let line = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("$ "))
        .unwrap_or_else(|| panic!("no command: {text}"));
    assert!(
        line.ends_with(&format!("--home {}", f.ar_home.display())),
        "{text}"
    );
    let again = f
        .doctor()
        .args(["listener", "--json", "--home", f.ar_home.to_str().unwrap()])
        .output()
        .unwrap();
    let v: serde_json::Value = common::document(&again.stdout);
    assert_ne!(
        check(&v, "listener")["findings"][0]["code"],
        "HOME_NOT_FOUND",
        "{v}"
    );
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
        let all = common::all_codes(&v);
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
    let run: &[&str] = &["token", "--home", home, "--offline"];
    f.human("exit_codes_and_strict-1", run);
    let (code, v, _) = f.json(run);
    assert_eq!(codes(&v, "token"), ["TOKEN_FILE_TOO_OPEN"]);
    assert_eq!((code, &v["ok"]), (0, &serde_json::json!(true)));
    let run: &[&str] = &["token", "--home", home, "--offline", "--strict"];
    f.human("exit_codes_and_strict-2", run);
    let (code, v, _) = f.json(run);
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

    allow_accepts_a_named_warning_until_its_day(&f, home);

    // No API URL anywhere: the api check skips for lack of configuration — a pass without
    // --strict, a failure with it (a smoke check that proves nothing must not look green).
    let f = Fixture::new();
    f.write("config.json", r#"{"token": "ar_live_0123456789abcdef"}"#);
    let home = f.ar_home.to_str().unwrap();
    let run: &[&str] = &["api", "--home", home];
    f.human("exit_codes_and_strict-3", run);
    let (code, v, _) = f.json(run);
    assert_eq!(code, 0);
    assert_eq!(codes(&v, "api"), ["API_URL_MISSING"]);
    let run: &[&str] = &["api", "--home", home, "--strict"];
    f.human("exit_codes_and_strict-4", run);
    let (code, _, _) = f.json(run);
    assert_eq!(code, 1);
    let junit = f
        .doctor()
        .args(["api", "--home", home, "--strict", "--format", "junit"])
        .output()
        .unwrap();
    let xml = String::from_utf8(junit.stdout).unwrap();
    assert!(xml.contains("failures=\"1\" skipped=\"0\""), "{xml}");
    // Skipped by --offline is not a lack of configuration: still fine under --strict, beside a
    // check that passed.
    f.fake_codex(&f.bin, true);
    let run: &[&str] = &[
        "api",
        "host",
        "--host",
        "codex",
        "--home",
        home,
        "--strict",
        "--offline",
        "--api-url",
        "https://api.example",
    ];
    f.human("exit_codes_and_strict-6", run);
    let (code, _, all) = f.json(run);
    assert_eq!(code, 0, "{all}");
    // Alone, no check passed: the run proved nothing, and --strict fails it (NOTHING_CHECKED).
    let run: &[&str] = &[
        "api",
        "--home",
        home,
        "--strict",
        "--offline",
        "--api-url",
        "https://api.example",
    ];
    f.human("exit_codes_and_strict-5", run);
    let (code, v, _) = f.json(run);
    assert_eq!(code, 1);
    assert_eq!(codes(&v, "api"), ["NOTHING_CHECKED"]);
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
    let run: &[&str] = &["token", "--home", f.ar_home.to_str().unwrap(), "--offline"];
    f.human("each_bad_config_is_config_invalid_naming_the_file-5", run);
    let (_, v, _) = f.json(run);
    assert_eq!(codes(&v, "token"), Vec::<String>::new(), "{v}");
    // A directory, a huge file, an unreadable file (root reads anything, so a FIFO stands in).
    let f = Fixture::new();
    std::fs::create_dir(f.ar_home.join("config.json")).unwrap();
    let run: &[&str] = &["token", "--home", f.ar_home.to_str().unwrap(), "--offline"];
    f.human("each_bad_config_is_config_invalid_naming_the_file-6", run);
    let (_, v, _) = f.json(run);
    assert!(check(&v, "token")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("config.json is a directory"));
    let f = Fixture::new();
    f.write("config.json", &" ".repeat(2 << 20));
    let run: &[&str] = &["token", "--home", f.ar_home.to_str().unwrap(), "--offline"];
    f.human("each_bad_config_is_config_invalid_naming_the_file-7", run);
    let (_, v, _) = f.json(run);
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
    let run: &[&str] = &["token", "--home", f.ar_home.to_str().unwrap(), "--offline"];
    f.human("each_bad_config_is_config_invalid_naming_the_file-8", run);
    let (_, v, _) = f.json(run);
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
    // The section ends where the next heading begins.
    let section = section.split("\n#").next().unwrap_or(section);
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
    let all: serde_json::Value = common::document(&out.stdout);
    assert_eq!(all["schema_version"], 1);
    let mut in_catalogue: Vec<String> = all["codes"]
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

/// Text for roff: backslashes and hyphens escaped, and no line that starts like a request.
fn roff_text(t: &str) -> String {
    t.replace('\\', "\\e")
        .replace('-', "\\-")
        .lines()
        .map(|l| {
            if l.starts_with('.') || l.starts_with('\'') {
                format!("\\&{l}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// SYNOPSIS with each flag's argument (`--timeout SECS`), which clap_mangen leaves out.
fn synopsis(cmd: &clap::Command, name: &str) -> String {
    let mut line = format!("\\fB{}\\fR", roff_text(name));
    for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        let takes = a.get_num_args().is_some_and(|n| n.takes_values())
            && !matches!(
                a.get_action(),
                clap::ArgAction::SetTrue
                    | clap::ArgAction::Help
                    | clap::ArgAction::Version
                    | clap::ArgAction::Count
            );
        let value = a
            .get_value_names()
            .map(|v| v.join(" "))
            .unwrap_or_else(|| a.get_id().as_str().to_uppercase());
        let flag = match (a.get_short(), a.get_long()) {
            (Some(s), Some(l)) => format!("\\fB\\-{s}\\fR|\\fB\\-\\-{}\\fR", roff_text(l)),
            (None, Some(l)) => format!("\\fB\\-\\-{}\\fR", roff_text(l)),
            (Some(s), None) => format!("\\fB\\-{s}\\fR"),
            // A required argument is written bare (`replay BUNDLE`), an optional one in
            // brackets.
            (None, None) if a.is_required_set() => {
                line.push_str(&format!(" \\fI{}\\fR", roff_text(&value)));
                continue;
            }
            (None, None) => {
                line.push_str(&format!(" [\\fI{}\\fR]", roff_text(&value)));
                continue;
            }
        };
        if takes {
            line.push_str(&format!(" [{flag} \\fI{}\\fR]", roff_text(&value)));
        } else {
            line.push_str(&format!(" [{flag}]"));
        }
    }
    if cmd.has_subcommands() {
        line.push_str(" [\\fICOMMAND\\fR]");
    }
    format!(".SH SYNOPSIS\n{line}\n")
}

/// An after-help text as man sections: its "Examples:" block verbatim (never reflowed), its
/// other paragraphs as they are.
fn after_help_sections(text: &str) -> String {
    let mut out = String::new();
    for para in text.split("\n\n") {
        if let Some(ex) = para.strip_prefix("Examples:\n") {
            out.push_str(&format!(".SH EXAMPLES\n.nf\n{}\n.fi\n", roff_text(ex)));
        } else if para.starts_with("Exit codes:") {
            // The root page says it in EXIT STATUS.
        } else {
            out.push_str(&format!(
                ".SH NOTES\n{}\n",
                roff_text(&para.replace('\n', " "))
            ));
        }
    }
    out
}

const EXIT_STATUS: &str = ".SH \"EXIT STATUS\"
.TP
\\fB0\\fR
No check failed (warnings allowed, unless \\fB\\-\\-strict\\fR).
.TP
\\fB1\\fR
A check failed (with \\fB\\-\\-strict\\fR: or warned or was skipped for want of set\\-up); a missing agent\\-rooms home and a failed \\fBfix\\fR step always do.
.TP
\\fB2\\fR
Wrong usage: an unknown flag, command or value (the message names the flag and what it takes), or an output the doctor refuses (a link, another user's file).
.TP
\\fB3\\fR
The doctor could not do its job: an internal error outside a check, an output it cannot write, a report it cannot gather.
.TP
\\fB129\\fR, \\fB130\\fR, \\fB143\\fR
Interrupted by SIGHUP, SIGINT or SIGTERM (every process the doctor started is ended first; the doctor dies by the same signal, so a shell reports 128 + its number).
";

const ENVIRONMENT: &str = ".SH ENVIRONMENT
.TP
\\fBAGENT_ROOMS_HOME\\fR
The agent\\-rooms home (else \\fI$XDG_CONFIG_HOME/agent\\-rooms\\fR, else \\fI~/.config/agent\\-rooms\\fR); \\fB\\-\\-home\\fR wins.
.TP
\\fBAGENT_ROOMS_TOKEN\\fR, \\fBAGENT_ROOMS_API_URL\\fR
Override config.json's \\fItoken\\fR and \\fIapi_url\\fR; \\fB\\-\\-token\\-file\\fR and \\fB\\-\\-api\\-url\\fR win over both. A running listener's own environment is judged as the listener sees it.
.TP
\\fBHTTPS_PROXY\\fR, \\fBHTTP_PROXY\\fR, \\fBNO_PROXY\\fR
The proxy the API is reached through (the listener's, where its environment can be read).
.TP
\\fBSSL_CERT_FILE\\fR, \\fBNODE_EXTRA_CA_CERTS\\fR
Extra certificate authorities trusted for the API (the listener's).
.TP
\\fBNO_COLOR\\fR
No colour, whatever the terminal (\\fB\\-\\-color always\\fR still colours).
";

const FILES: &str = ".SH FILES
.TP
\\fI~/.config/agent\\-rooms/config.json\\fR
api_url, token, host and agent_id; a token file must be readable by its owner only.
.TP
\\fI~/.config/agent\\-rooms/device.json\\fR
The device's pairing (device_id, name, paired_at).
.TP
\\fI~/.config/agent\\-rooms/listener.json\\fR
Written by a running listener every 30 s: pid, heartbeat_at, version, connected, log_file.
.TP
\\fI/proc/PID/environ\\fR, \\fI/proc/PID/cgroup\\fR
A listener's environment and what keeps it alive (read, never changed).
";

/// One command's page: clap_mangen's title, name, description, options and subcommands, with
/// a SYNOPSIS that names flag arguments, EXAMPLES verbatim, and (for the root page) EXIT STATUS,
/// ENVIRONMENT, FILES; every page ends with SEE ALSO.
fn man_page(cmd: &clap::Command, name: &str, root: bool, see_also: &[String]) -> Vec<u8> {
    // (clap takes a name as a &'static str: a test may leak a dozen short strings.)
    let name_static: &'static str = Box::leak(name.to_string().into_boxed_str());
    let man = clap_mangen::Man::new(cmd.clone().name(name_static));
    let mut out = vec![];
    man.render_title(&mut out).unwrap();
    man.render_name_section(&mut out).unwrap();
    out.extend(synopsis(cmd, name).into_bytes());
    man.render_description_section(&mut out).unwrap();
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out).unwrap();
    }
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut out).unwrap();
    }
    if let Some(h) = cmd.get_after_help() {
        out.extend(after_help_sections(&h.to_string()).into_bytes());
    }
    if root {
        out.extend(EXIT_STATUS.bytes());
        out.extend(ENVIRONMENT.bytes());
        out.extend(FILES.bytes());
    } else {
        out.extend(b".SH \"EXIT STATUS\"\nAs \\fBagent\\-rooms\\-doctor\\fR(1): 0 nothing failed, 1 something failed, 2 wrong usage.\n");
    }
    let refs: Vec<String> = see_also
        .iter()
        .filter(|s| s.as_str() != name)
        .map(|s| {
            let (page, section) = s.rsplit_once('.').unwrap_or((s, "1"));
            format!("\\fB{}\\fR({section})", roff_text(page))
        })
        .collect();
    out.extend(format!(".SH \"SEE ALSO\"\n{}\n", refs.join(", ")).into_bytes());
    out
}

/// The finding-code page: every code the doctor can raise (the seed's API codes and its own),
/// with its meaning and steps, from the one catalogue.
fn codes_page() -> Vec<u8> {
    let mut out = String::from(
        ".TH agent\\-rooms\\-doctor\\-codes 7 \"agent\\-rooms\\-doctor\"\n.SH NAME\nagent\\-rooms\\-doctor\\-codes \\- the finding codes of agent\\-rooms\\-doctor, what each means and what to do\n.SH DESCRIPTION\nEach finding the doctor prints carries one of these codes (stable: scripts and support may match on them). \\fBagent\\-rooms\\-doctor explain CODE\\fR prints one; the API's own error codes are explained as the API documents them.\n.SH CODES\n",
    );
    for e in agent_rooms_doctor::model::catalogue::CATALOGUE {
        out.push_str(&format!(
            ".TP\n\\fB{}\\fR\n{}\n",
            roff_text(e.code),
            roff_text(e.meaning)
        ));
        for step in e.steps {
            out.push_str(&format!(".br\n\\(bu {}\n", roff_text(step)));
        }
    }
    out.push_str(".SH \"SEE ALSO\"\n\\fBagent\\-rooms\\-doctor\\fR(1), \\fBagent\\-rooms\\-doctor\\-explain\\fR(1)\n");
    out.into_bytes()
}

/// Every page: the root, each subcommand, the codes.
fn man_pages() -> Vec<(String, Vec<u8>)> {
    let mut root = agent_rooms_doctor::cli::command().disable_help_subcommand(true);
    root.build();
    let mut names: Vec<String> = vec!["agent-rooms-doctor.1".into()];
    names.extend(
        root.get_subcommands()
            .filter(|c| !c.is_hide_set())
            .map(|c| format!("agent-rooms-doctor-{}.1", c.get_name())),
    );
    names.push("agent-rooms-doctor-codes.7".into());
    let mut pages = vec![(
        "agent-rooms-doctor.1".to_string(),
        man_page(&root, "agent-rooms-doctor", true, &names),
    )];
    for c in root.get_subcommands().filter(|c| !c.is_hide_set()) {
        let name = format!("agent-rooms-doctor-{}", c.get_name());
        let see = vec![
            "agent-rooms-doctor.1".to_string(),
            "agent-rooms-doctor-codes.7".into(),
        ];
        pages.push((format!("{name}.1"), man_page(c, &name, false, &see)));
    }
    pages.push(("agent-rooms-doctor-codes.7".into(), codes_page()));
    pages
}

/// The man pages (`man/`), generated from the same clap definition as the help and completions,
/// and the catalogue. To regenerate: `AGENT_ROOMS_DOCTOR_WRITE_MAN=1 cargo test --test cli man_pages`.
#[test]
fn man_pages_are_generated_and_the_committed_ones_are_current() {
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let write = std::env::var_os("AGENT_ROOMS_DOCTOR_WRITE_MAN").is_some();
    let mut names = vec![];
    for (name, fresh) in man_pages() {
        if write {
            std::fs::create_dir_all(&committed).unwrap();
            std::fs::write(committed.join(&name), &fresh).unwrap();
        }
        let old = std::fs::read(committed.join(&name)).unwrap_or_default();
        assert!(
            fresh == old,
            "man/{name} is stale: run `AGENT_ROOMS_DOCTOR_WRITE_MAN=1 cargo test --test cli man_pages`"
        );
        names.push(name);
    }
    for want in [
        "agent-rooms-doctor.1",
        "agent-rooms-doctor-fix.1",
        "agent-rooms-doctor-codes.7",
    ] {
        assert!(names.iter().any(|n| n == want), "{names:?}");
    }
    // No page left over from a command that no longer exists.
    for e in std::fs::read_dir(&committed).unwrap().flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        assert!(names.contains(&n), "man/{n} belongs to no command");
    }
    let root =
        String::from_utf8(std::fs::read(committed.join("agent-rooms-doctor.1")).unwrap()).unwrap();
    for section in [
        ".SH SYNOPSIS",
        ".SH EXAMPLES\n.nf",
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
        ".SH FILES",
        ".SH \"SEE ALSO\"",
    ] {
        assert!(root.contains(section), "{section} missing");
    }
    assert!(
        root.contains("[\\fB\\-\\-timeout\\fR \\fISECS\\fR]"),
        "the synopsis names flag arguments"
    );
    // Issue 39: a required argument is not marked optional (`replay [BUNDLE]`), and
    // `completions` lists none of the global flags.
    let page = |n: &str| String::from_utf8(std::fs::read(committed.join(n)).unwrap()).unwrap();
    assert!(page("agent-rooms-doctor-replay.1").contains("\\-replay\\fR \\fIBUNDLE\\fR ["));
    assert!(page("agent-rooms-doctor-diff.1").contains("\\fIA\\fR \\fIB\\fR ["));
    assert!(!page("agent-rooms-doctor-completions.1").contains("strict"));
    // Read as a person reads it: man renders every page without a warning. Under CI the check
    // must run (man-db is part of the machine); elsewhere it says why it is left out.
    let man = which::which("man");
    if man.is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI has no `man` to render the pages with"
        );
        println!("man is not installed: the pages' rendering is not checked here");
    }
    if let Ok(man) = man {
        for n in &names {
            let out = std::process::Command::new(&man)
                .args(["--warnings", "-l"])
                .arg(committed.join(n))
                .env("MANWIDTH", "80")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "man {n}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                out.stderr.is_empty(),
                "man {n} warns: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
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
    let v: serde_json::Value = common::document(&out.stdout);
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

/// Issue 39: a line of `--help` longer than clap's wrap width left "status" alone on a line,
/// and `report`'s and `fix`'s descriptions left "--json too)" and "things)". No help of any
/// command has a word left alone on a line.
#[test]
fn no_help_leaves_a_word_alone_on_a_line() {
    let f = Fixture::new();
    let cmd = agent_rooms_doctor::cli::command();
    let mut names: Vec<String> = vec![String::new()];
    names.extend(cmd.get_subcommands().map(|s| s.get_name().to_string()));
    for name in names {
        let out = f
            .doctor()
            .args(name.split_whitespace())
            .arg("--help")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        for line in text.lines() {
            let t = line.trim();
            let alone = !t.is_empty()
                && !t.contains(' ')
                && !t.ends_with(':')
                && !t.starts_with(['-', '<', '[', '$']);
            assert!(
                !alone,
                "`{name} --help` leaves {t:?} alone on a line:\n{text}"
            );
        }
    }
}

/// CONTRACT §2 (issue 41's exit code, taken here): 3 when the doctor could not do its job: an
/// output it cannot write (here a directory that does not exist), for a run and for `report`;
/// a target it refuses on purpose (a symbolic link) stays 2, wrong usage.
#[test]
fn an_output_it_cannot_write_exits_3_and_a_refused_one_2() {
    let f = Fixture::new();
    let home = f.ar_home.to_str().unwrap().to_string();
    let missing = f.dir.path().join("no-such-dir");
    for args in [
        vec!["--json", "-o"],
        vec!["report", "-o"],
        vec!["--format", "prometheus", "-o"],
    ] {
        let out = f
            .doctor()
            .args(&args)
            .arg(missing.join("out"))
            .args(["--home", &home, "--offline", "--skip", "host"])
            .output()
            .unwrap();
        let text = common::all_text(&out);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {text}");
        assert!(out.stdout.is_empty(), "{args:?}: {text}");
        assert!(text.contains("No such file or directory"), "{text}");
    }
    let link = f.dir.path().join("link.json");
    std::os::unix::fs::symlink(f.dir.path().join("elsewhere"), &link).unwrap();
    let out = f
        .doctor()
        .args(["--json", "--offline", "--home", &home, "-o"])
        .arg(&link)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", common::all_text(&out));
}

/// Issue 41: `--version` is the version; with `--verbose` (either order, `-V -v` too) the commit,
/// its date, the target triple and the install channel.
#[test]
fn version_verbose_names_the_build() {
    let f = Fixture::new();
    let plain = f.doctor().arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&plain.stdout),
        format!("agent-rooms-doctor {}\n", env!("CARGO_PKG_VERSION"))
    );
    for args in [["--version", "--verbose"], ["-v", "-V"]] {
        let out = f.doctor().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert_eq!(
            lines[0],
            format!("agent-rooms-doctor {}", env!("CARGO_PKG_VERSION"))
        );
        assert!(
            lines[1].starts_with("commit: ") && lines[1].ends_with(')'),
            "{text}"
        );
        assert!(
            lines[2].starts_with("target: ") && lines[2].contains("linux"),
            "{text}"
        );
        assert_eq!(lines[3], "channel: cargo", "{text}");
    }
    let out = f
        .doctor()
        .args(["--version", "--verbose"])
        .env("AGENT_ROOMS_DOCTOR_CHANNEL", "npm")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).ends_with("channel: npm\n"));
}

/// Issue 41: every JSON document is an object that starts with `schema_version` (`list` and
/// `explain --all` were bare arrays; `explain CODE` and `diff` carried none).
#[test]
fn every_json_document_starts_with_its_schema_version() {
    let f = Fixture::new();
    for args in [
        &["list", "--json"][..],
        &["explain", "REVOKED", "--json"],
        &["explain", "--all", "--json"],
    ] {
        let out = f.doctor().args(args).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            text.starts_with("{\n  \"schema_version\": 1,"),
            "{args:?}: {text}"
        );
    }
    let v: serde_json::Value =
        common::document(&f.doctor().args(["list", "--json"]).output().unwrap().stdout);
    assert_eq!(
        v["checks"].as_array().map(Vec::len),
        Some(registry_ids().len())
    );
}

/// CONTRACT §2 `--allow CODE[@YYYY-MM-DD]` (issue 41): the warning stays visible, marked, and
/// stops failing a --strict run until its day has passed; then it says so and counts again.
fn allow_accepts_a_named_warning_until_its_day(f: &Fixture, home: &str) {
    let strict = ["token", "--home", home, "--offline", "--strict"];
    let with = |allow: &str| -> Vec<String> {
        let mut v: Vec<String> = strict.iter().map(|s| s.to_string()).collect();
        v.extend(["--allow".to_string(), allow.to_string()]);
        v
    };
    let args = with("TOKEN_FILE_TOO_OPEN@2099-12-31");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    f.human("allow-1", &args);
    let (code, v, _) = f.json(&args);
    assert_eq!((code, &v["ok"]), (0, &serde_json::json!(true)));
    let finding = &check(&v, "token")["findings"][0];
    assert_eq!(finding["code"], "TOKEN_FILE_TOO_OPEN");
    assert_eq!(
        finding["accepted"],
        serde_json::json!({"until": "2099-12-31", "expired": false})
    );
    // Expired: it says so, and the run fails again.
    let old = with("TOKEN_FILE_TOO_OPEN@2020-01-01");
    let old: Vec<&str> = old.iter().map(String::as_str).collect();
    f.human("allow-2", &old);
    let (code, v, _) = f.json(&old);
    assert_eq!((code, &v["ok"]), (1, &serde_json::json!(false)));
    assert_eq!(
        check(&v, "token")["findings"][0]["accepted"]["expired"],
        true
    );
    // Another code accepts nothing; the variable accepts as the flag does (comma-separated).
    let other = with("CLOCK_SKEW");
    let other: Vec<&str> = other.iter().map(String::as_str).collect();
    assert_eq!(f.json(&other).0, 1);
    let by_env = f
        .doctor()
        .args(strict)
        .env("AGENT_ROOMS_DOCTOR_ALLOW", "CLOCK_SKEW,TOKEN_FILE_TOO_OPEN")
        .output()
        .unwrap();
    assert_eq!(by_env.status.code(), Some(0), "{by_env:?}");
    // The CI formats: a passing case and a notice, never a failure.
    let run = |format: &str| {
        let mut a = args.clone();
        a.extend(["--format", format]);
        let out = f.doctor().args(&a).output().unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, xml) = run("junit");
    assert!(
        code == Some(0) && xml.contains("failures=\"0\"") && xml.contains("accepted until"),
        "{xml}"
    );
    let (code, gh) = run("github");
    assert!(
        code == Some(0) && gh.starts_with("::notice title=agent-rooms-doctor token%3A"),
        "{gh}"
    );
    let (_, prom) = run("prometheus");
    assert!(
        prom.contains("check=\"token\",code=\"TOKEN_FILE_TOO_OPEN\",until=\"2099-12-31\"} 1"),
        "{prom}"
    );
    // replay accepts as of the bundle's own day: the day it was written holds, the day before
    // has passed.
    let bundle = f.dir.path().join("bundle.json");
    let made = f
        .doctor()
        .args(["report", "--json", "--home", home, "--offline", "-o"])
        .arg(&bundle)
        .output()
        .unwrap();
    assert!(
        made.status.success() || made.status.code() == Some(1),
        "{}",
        common::all_text(&made)
    );
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&bundle).unwrap()).unwrap();
    let day = &written["generated_at"].as_str().unwrap()[..10];
    let before = (time::Date::parse(day, &time::format_description::well_known::Iso8601::DATE)
        .unwrap()
        - time::Duration::days(1))
    .to_string();
    for (until, expired) in [(day.to_string(), false), (before, true)] {
        let out = f
            .doctor()
            .args([
                "replay",
                "--json",
                "--allow",
                &format!("TOKEN_FILE_TOO_OPEN@{until}"),
            ])
            .arg(&bundle)
            .output()
            .unwrap();
        let v = common::document(&out.stdout);
        let accepted = &check(&v, "token")["findings"][0]["accepted"];
        assert_eq!(accepted["expired"], expired, "until {until}: {v}");
    }
    // A value that is not CODE[@YYYY-MM-DD] is a usage error, from the flag or the variable.
    for bad in ["token_file_too_open", "TOKEN_FILE_TOO_OPEN@2027-13-01"] {
        let out = f
            .doctor()
            .args(strict)
            .args(["--allow", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}: {out:?}");
        let out = f
            .doctor()
            .args(strict)
            .env("AGENT_ROOMS_DOCTOR_ALLOW", bad)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}: {out:?}");
    }
}
