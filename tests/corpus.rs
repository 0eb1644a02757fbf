//! The hostile-input corpus (tests/hostile/strings.json) through every format: each string is put
//! where text from outside enters — an API error message, device.json, a listener's argv and
//! environment, and a host CLI's output — and every output must keep the promises of CONTRACT §3:
//! no secret, no escape sequence or control character, valid JSON, well-formed XML, no workflow
//! command outside `--format github`, exit 0 or 1, within the bound.

mod common;

use common::api::{Api, Reply};
use common::{all_text, Fixture};
use std::time::Duration;

const TOKEN: &str = "opaque-CORPUS-token-4711";

fn corpus() -> Vec<String> {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/strings.json"),
    )
    .unwrap();
    let v: Vec<String> = serde_json::from_str(&text).unwrap();
    assert!(v.len() >= 15, "the corpus was read");
    v.into_iter().map(|s| s.replace("{TOKEN}", TOKEN)).collect()
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
        assert!(!text.contains(TOKEN), "{label}: the token leaked\n{text}");
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
            serde_json::from_str::<serde_json::Value>(&stdout)
                .unwrap_or_else(|e| panic!("{label}: not JSON ({e})\n{stdout}"));
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
        _ => {}
    }
}

#[test]
fn the_hostile_corpus_keeps_every_promise_in_every_format() {
    for (i, s) in corpus().into_iter().enumerate() {
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
        let home = f.home.display().to_string();
        let path = format!("{}:/usr/bin:/bin", lbin.display());
        let arg: String = s.chars().filter(|c| *c != '\0').collect();
        f.spawn(
            &["/bin/sh", script.to_str().unwrap(), "watch", &arg],
            &[("HOME", &home), ("PATH", &path), ("ODD_VALUE", &arg)],
        );
        for format in ["human", "json", "markdown", "junit", "github"] {
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
    }
}
