//! The hostile-input corpus (tests/hostile/strings.json) through every format: each string is put
//! where text from outside enters — an API error message, device.json, listener.json, log lines
//! (message, code, request id) at a path made of it, a listener's argv and environment, a host
//! CLI's output and version, pm2 app names and systemd unit names — and every output must keep the promises of CONTRACT §3:
//! no secret, no escape sequence or control character, valid JSON, well-formed XML, no workflow
//! command outside `--format github`, exit 0 or 1, within the bound.

mod common;

use common::api::{Api, Reply};
use common::{all_text, Fixture};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// An opaque token (no known shape: only its registered value masks it), with no word in it
/// that output would hold anyway, so any 5 characters of it in the output are a leak.
const TOKEN: &str = "Zq9kVrT4CRPSxw4711mNbH";

/// The corpus, with `{TOKEN}` the test's token and `{MARKER}` a file no run may create.
fn corpus(marker: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/strings.json"),
    )
    .unwrap();
    let v: Vec<String> = serde_json::from_str(&text).unwrap();
    assert!(v.len() >= 15, "the corpus was read");
    v.into_iter()
        .map(|s| {
            s.replace("{TOKEN}", TOKEN)
                .replace("{MARKER}", &marker.display().to_string())
        })
        .collect()
}

/// The promises, held over one run's whole output.
/// (`explain -` reads only the envelope on stdin: it never read the token, so it cannot know an
/// opaque one is a secret; every other run read it from config.json.)
fn hold(format: &str, out: &std::process::Output, label: &str) {
    let code = out.status.code();
    let text = all_text(out);
    assert!(
        matches!(code, Some(0) | Some(1)),
        "{label}: exit {code:?}\n{text}"
    );
    if !label.contains("explain") {
        // Nothing of it beyond its mask's 4-character prefix, even cut (issue 24).
        for i in 0..=TOKEN.len() - 5 {
            let part = &TOKEN[i..i + 5];
            assert!(
                !text.contains(part),
                "{label}: {part} of the token leaked\n{text}"
            );
        }
    }
    for c in text.chars() {
        assert!(
            !c.is_control() || c == '\n' || (c == '\t' && format == "json"),
            "{label}: control character {:?} in the output\n{text:?}",
            c
        );
        assert!(c != '\u{fffe}' && c != '\u{ffff}', "{label}: {c:?}");
    }
    if format != "github" {
        for line in text.lines() {
            assert!(
                !line.starts_with("::"),
                "{label}: a workflow command line: {line}"
            );
        }
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    match format {
        "json" => {
            common::document(stdout.as_bytes());
        }
        "junit" => {
            roxmltree::Document::parse(&stdout)
                .unwrap_or_else(|e| panic!("{label}: not well-formed XML ({e})\n{stdout}"));
        }
        "github" => {
            // One workflow command per line, then the counts.
            let lines: Vec<&str> = stdout.lines().collect();
            let (last, commands) = lines.split_last().expect("some output");
            assert!(last.contains(" passed, "), "{label}: {last:?}");
            for line in commands {
                assert!(
                    line.starts_with("::"),
                    "{label}: a github line that is not one workflow command: {line:?}"
                );
            }
        }
        "prometheus" => {
            if let Some(promtool) = common::prom::promtool() {
                common::prom::check_metrics(&promtool, &stdout)
                    .unwrap_or_else(|e| panic!("{label}: promtool rejected it: {e}\n{stdout}"));
            }
            // Every line a comment or one series of the doctor's.
            for line in stdout.lines() {
                assert!(
                    line.starts_with("# ") || line.starts_with("agent_rooms_doctor_"),
                    "{label}: a line that is no series of the doctor's: {line:?}"
                );
            }
        }
        _ => {}
    }
}

#[test]
fn the_hostile_corpus_keeps_every_promise_in_every_format() {
    let markers = tempfile::tempdir().unwrap();
    let marker = markers.path().join("PWNED");
    for (i, s) in corpus(&marker).into_iter().enumerate() {
        let message = s.clone();
        // A header carries what HTTP lets it: the string's visible ASCII (a cf-ray id to quote).
        let ray: String = s
            .chars()
            .filter(|c| c.is_ascii_graphic() || *c == ' ')
            .take(200)
            .collect();
        let api = Api::start(move |_| {
            Reply::json(
                401,
                &serde_json::json!({"error": {"code": "REVOKED", "status": 401, "message": message}})
                    .to_string(),
            )
            .with_header("cf-ray", ray.trim())
        });
        let mut f = Fixture::with_listeners();
        f.write(
            "config.json",
            &serde_json::json!({"api_url": api.url(), "token": TOKEN, "host": "codex"}).to_string(),
        );
        f.write(
            "device.json",
            &serde_json::json!({"device_id": "dev_corpus", "name": s}).to_string(),
        );
        // The listener's log (named by listener.json, whose fields carry the string too): the
        // string as a message, as an envelope's code and request id, and the token in a line
        // long enough that a cut before masking would leave part of it.
        let now = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        // The log sits at a path made of the string (a path the doctor prints).
        let logs = path_of(f.dir.path(), &s);
        std::fs::create_dir_all(&logs).unwrap();
        let log = logs.join("listener.log");
        let envelope = serde_json::json!({"error": {"code": s, "request_id": s}}).to_string();
        std::fs::write(
            &log,
            format!(
                "{now} ERROR {s} REVOKED\n{now} WARN {envelope}\n{now} ERROR {} NO_GRANT with {TOKEN} as bearer\n",
                // The token starts 8 characters before the 200th: a cut there keeps 8 of it.
                "x".repeat(192 - now.len() - " ERROR ".len() - " NO_GRANT with ".len())
            ),
        )
        .unwrap();
        f.write(
            "listener.json",
            &serde_json::json!({"pid": 1, "heartbeat_at": s, "connected": true, "log_file": log, "version": s})
                .to_string(),
        );
        // A host CLI that answers with the string, and a listener that carries it in argv and env.
        let lbin = f.dir.path().join("lbin");
        let script = f.listener_script(&lbin);
        let said = f.dir.path().join("said.txt");
        std::fs::write(&said, &s).unwrap();
        f.script(
            &lbin,
            "codex",
            &format!("#!/bin/sh\ncat '{}' >&2\nexit 1\n", said.display()),
        );
        // On the doctor's PATH, a codex whose version is the string (the report's host CLIs).
        f.script(
            &f.bin,
            "codex",
            &format!(
                "#!/bin/sh\ncase \"$1\" in --version) cat '{0}';; *) cat '{0}' >&2; exit 1;; esac\n",
                said.display()
            ),
        );
        let home = f.home.display().to_string();
        let path = format!("{}:/usr/bin:/bin", lbin.display());
        let arg: String = s.chars().filter(|c| *c != '\0').collect();
        f.spawn(
            &["/bin/sh", script.to_str().unwrap(), "watch", &arg],
            &[("HOME", &home), ("PATH", &path), ("ODD_VALUE", &arg)],
        );
        for format in ["human", "json", "markdown", "junit", "github", "prometheus"] {
            let out = f
                .doctor()
                .args(["--format", format, "-v", "--timeout", "5"])
                .timeout(Duration::from_secs(30))
                .output()
                .unwrap();
            hold(format, &out, &format!("string {i} in {format}"));
        }
        for extra in [&[][..], &["--json"][..]] {
            let out = f
                .doctor()
                .arg("report")
                .args(extra)
                .args(["--timeout", "5"])
                .timeout(Duration::from_secs(30))
                .output()
                .unwrap();
            let format = if extra.is_empty() { "markdown" } else { "json" };
            hold(
                format,
                &out,
                &format!("string {i} in the report ({format})"),
            );
        }
        // explain - reads an envelope from outside too.
        let envelope =
            serde_json::json!({"error": {"code": "REVOKED", "message": s, "request_id": s}})
                .to_string();
        for format in ["human", "json"] {
            let out = f
                .doctor()
                .args(["explain", "-", "--format", format])
                .write_stdin(envelope.clone())
                .output()
                .unwrap();
            hold(format, &out, &format!("string {i} in explain - ({format})"));
        }
        assert!(!marker.exists(), "string {i}: a shell ran it");
    }
}

/// A directory path made of `s` (its first 2,000 characters: a path is at most 4,096 bytes):
/// each `/`-separated part a directory (no `.` or `..`, at most 200 bytes each, no NUL), under
/// `top`.
fn path_of(top: &Path, s: &str) -> PathBuf {
    let mut p = top.to_path_buf();
    let s: String = s.chars().filter(|c| *c != '\0').take(2000).collect();
    for part in s.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            continue;
        }
        let mut chunk = String::new();
        for c in part.chars() {
            if chunk.len() + c.len_utf8() > 200 {
                p.push(&chunk);
                chunk.clear();
            }
            chunk.push(c);
        }
        p.push(&chunk);
    }
    p
}

/// Every command in a JSON report or fix document, parsed back by a real `sh`: its printed
/// line gives its argument list (and its environment assignments), nothing more is run.
fn commands_parse_back(v: &serde_json::Value, label: &str) -> usize {
    let mut parts: Vec<(String, serde_json::Value)> = vec![];
    for c in v["checks"].as_array().into_iter().flatten() {
        for f in c["findings"].as_array().into_iter().flatten() {
            let r = &f["remedy"];
            for (line, part) in r["commands"]
                .as_array()
                .unwrap()
                .iter()
                .zip(r["command_parts"].as_array().unwrap())
            {
                parts.push((line.as_str().unwrap().to_string(), part.clone()));
            }
        }
    }
    for s in v["steps"].as_array().into_iter().flatten() {
        parts.push((s["command"].as_str().unwrap().to_string(), s.clone()));
    }
    for (line, part) in &parts {
        let argv: Vec<String> = serde_json::from_value(part["argv"].clone()).unwrap();
        let mut words = common::words_by_sh("/bin/sh", line);
        if words.len() >= 5 && words[..2] == ["su", "-"] {
            words = common::words_by_sh("/bin/sh", &words[4]);
        }
        assert!(
            words.ends_with(&argv),
            "{label}: {line:?} parses back as {words:?}, not ending with {argv:?}"
        );
        for (k, val) in part["env"].as_object().into_iter().flatten() {
            let assignment = format!("{k}={}", val.as_str().unwrap());
            assert!(
                words.contains(&assignment),
                "{label}: {line:?} lacks {assignment:?}"
            );
        }
    }
    parts.len()
}

/// Issue 22: each string as the agent-rooms home (a config.json fix would chmod) and as an entry
/// of the listener's PATH (which lacks the host CLI): each printed command parses back into
/// exactly its argument list, `fix --dry-run` keeps every promise in every format, and no
/// marker file appears.
#[test]
fn every_field_that_reaches_a_command_carries_each_string() {
    let markers = tempfile::tempdir().unwrap();
    let marker = markers.path().join("PWNED");
    let mut commands = 0;
    for (i, s) in corpus(&marker).into_iter().enumerate() {
        let mut f = Fixture::with_listeners();
        let home = path_of(&f.dir.path().join("agents"), &s);
        std::fs::create_dir_all(&home).unwrap();
        let config = home.join("config.json");
        std::fs::write(
            &config,
            serde_json::json!({"api_url": "http://127.0.0.1:9", "token": TOKEN, "host": "codex"})
                .to_string(),
        )
        .unwrap();
        std::fs::set_permissions(&config, std::os::unix::fs::PermissionsExt::from_mode(0o644))
            .unwrap();
        // codex is on the doctor's PATH only: the listener's PATH lacks it.
        f.fake_codex(&f.bin.clone(), true);
        let lbin = f.dir.path().join("lbin");
        let script = f.listener_script(&lbin);
        let entry: String = s.chars().filter(|c| *c != '\0').collect();
        let path = format!("{}:{entry}:/usr/bin:/bin", lbin.display());
        let h = f.home.display().to_string();
        let ar = home.display().to_string();
        f.spawn(
            &["/bin/sh", script.to_str().unwrap(), "watch"],
            &[("HOME", &h), ("PATH", &path), ("AGENT_ROOMS_HOME", &ar)],
        );
        let home_flag = ["--home", ar.as_str(), "--offline", "--timeout", "5"];
        let out = f
            .doctor()
            .args(["--format", "json"])
            .args(home_flag)
            .output()
            .unwrap();
        hold(
            "json",
            &out,
            &format!("string {i} as a home and a PATH entry"),
        );
        let v: serde_json::Value = common::document(&out.stdout);
        let label = format!("string {i}");
        assert!(
            common::codes(&v, "token").contains(&"TOKEN_FILE_TOO_OPEN".to_string()),
            "{label}: {v}"
        );
        assert!(
            common::codes(&v, "host").contains(&"HOST_NOT_FOUND".to_string()),
            "{label}: {v}"
        );
        commands += commands_parse_back(&v, &label);
        for format in ["human", "json", "markdown", "junit", "github"] {
            let out = f
                .doctor()
                .args(["fix", "--dry-run", "--format", format])
                .args(home_flag)
                .output()
                .unwrap();
            hold(
                format,
                &out,
                &format!("string {i} in fix --dry-run ({format})"),
            );
            if format == "json" {
                let v: serde_json::Value = common::document(&out.stdout);
                commands += commands_parse_back(&v, &format!("{label} (fix)"));
            }
        }
        assert!(!marker.exists(), "{label}: a shell ran it");
        assert_eq!(
            std::os::unix::fs::MetadataExt::mode(&std::fs::metadata(&config).unwrap()) & 0o777,
            0o644,
            "{label}: a dry run changed nothing"
        );
    }
    assert!(commands > 50, "{commands} commands were parsed back");
}

/// The corpus as the names of what keeps listeners alive: a real pm2 app per string pm2 takes as
/// a name, and a systemd-shaped unit (`system.slice/NAME.service`, a real cgroup) per string
/// that can be a directory name. Every format holds the promises with all of them running.
#[test]
fn pm2_app_and_unit_names_carry_each_string() {
    let markers = tempfile::tempdir().unwrap();
    let marker = markers.path().join("PWNED");
    let strings = corpus(&marker);
    let mut f = Fixture::with_listeners();
    f.write(
        "config.json",
        &serde_json::json!({"token": TOKEN, "host": "codex"}).to_string(),
    );
    f.fake_codex(&f.bin, true);
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let names: Vec<&String> = strings.iter().filter(|s| !s.contains('\0')).collect();
    let Some((pm2, _)) = common::Pm2::start(&f, &script, names[0], "/usr/bin:/bin", &[]) else {
        return;
    };
    let mut apps = 1;
    for s in &names[1..] {
        let out = pm2
            .cmd()
            .arg("start")
            .arg(&script)
            .args(["--name", s.as_str(), "--", "watch"])
            .output()
            .unwrap();
        apps += usize::from(out.status.success());
    }
    assert!(apps * 2 >= names.len(), "pm2 took {apps} of the names");
    // Units: a listener moved into a cgroup named after the string (where the cgroup file
    // system takes the name), beside one unit of a plain name that proves the hierarchy works.
    let mut units = vec![];
    let home = f.home.display().to_string();
    let mut listener = || {
        f.spawn(
            &["/bin/sh", script.to_str().unwrap(), "watch"],
            &[("HOME", &home), ("PATH", "/usr/bin:/bin")],
        )
    };
    if let Some(c) = common::Cgroup::enter(listener(), "system.slice/ardoctor-corpus.service") {
        units.push(c);
        for s in strings
            .iter()
            .filter(|s| !s.contains(['/', '\0']) && s.len() <= 200)
        {
            if let Ok(c) = common::Cgroup::named(listener(), &format!("system.slice/{s}.service")) {
                units.push(c);
            }
        }
    }
    println!(
        "{apps} pm2 apps and {} units named by the corpus",
        units.len()
    );
    // pm2 keeps its apps' processes a moment after `start` returns: let them all run.
    std::thread::sleep(Duration::from_millis(500));
    for format in ["human", "json", "markdown", "junit", "github", "prometheus"] {
        let out = f
            .doctor()
            .args(["--format", format, "-v", "--offline", "--timeout", "10"])
            .timeout(Duration::from_secs(40))
            .output()
            .unwrap();
        hold(format, &out, &format!("supervisor names in {format}"));
        if format == "json" {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("\"pm2\""), "no pm2 app was seen:\n{text}");
        }
    }
    for extra in [&[][..], &["--json"][..]] {
        let out = f
            .doctor()
            .arg("report")
            .args(extra)
            .args(["--offline", "--timeout", "10"])
            .timeout(Duration::from_secs(40))
            .output()
            .unwrap();
        let format = if extra.is_empty() { "markdown" } else { "json" };
        hold(
            format,
            &out,
            &format!("supervisor names in the report ({format})"),
        );
    }
    assert!(!marker.exists(), "a shell ran a name");
}

/// Each string as the agent-rooms home judged (a directory made of it, with a config.json that
/// holds the token):
/// the metrics carry it as one escaped `home` label that the real promtool accepts, and the
/// promises hold as for every format.
#[test]
fn each_string_as_the_home_is_one_label_promtool_accepts() {
    let markers = tempfile::tempdir().unwrap();
    let marker = markers.path().join("PWNED");
    let top = tempfile::tempdir().unwrap();
    let f = Fixture::new();
    let mut seen = 0;
    for (i, s) in corpus(&marker).into_iter().enumerate() {
        let home = path_of(&top.path().join(i.to_string()), &s);
        std::fs::create_dir_all(&home).unwrap();
        // The token is read, so a home that holds it is masked like any secret.
        let config = serde_json::json!({"host": "codex", "token": TOKEN}).to_string();
        std::fs::write(home.join("config.json"), config).unwrap();
        let out = f
            .doctor()
            .args(["--offline", "--format", "prometheus", "--home"])
            .arg(&home)
            .output()
            .unwrap();
        let label = format!("string {i} as the home");
        hold("prometheus", &out, &label);
        let series = common::prom::parse(&String::from_utf8_lossy(&out.stdout));
        let homes: std::collections::BTreeSet<&str> = series
            .iter()
            .filter_map(|x| x.labels.get("home").map(String::as_str))
            .collect();
        assert_eq!(homes.len(), 1, "{label}: {homes:?}");
        let shown = homes.into_iter().next().unwrap();
        assert!(
            shown.starts_with(&top.path().display().to_string()),
            "{label}: {shown:?}"
        );
        seen += 1;
    }
    assert!(seen >= 15);
}
