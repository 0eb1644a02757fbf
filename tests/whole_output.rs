//! Whole-output tests: every document the doctor writes, compared whole against a snapshot
//! (tests/snapshots/). A canonical report in all five formats (and human verbose and in colour),
//! `list`, `explain CODE`, `explain --all`, `explain -`, and the support bundle in markdown and
//! JSON. The end-to-end scenarios' human outputs are held the same way by `Fixture::json`.

mod common;

use agent_rooms_doctor::model::catalogue as codes;
use agent_rooms_doctor::model::command::{cmd, Elevation, Machine};
use agent_rooms_doctor::model::outcome::{CheckOutcome, Finding, Status};
use agent_rooms_doctor::model::report::Report;
use agent_rooms_doctor::render::Format;
use agent_rooms_doctor::render::{self, Style};
use common::{snapshot, Fixture};
use std::time::Duration;

/// One report that holds every shape a renderer meets: each status, a finding with steps,
/// commands and a request id, facts with a secret, nested facts and an empty list.
/// The canonical report, as a fixed build wrote it (the commit and date change every commit).
fn canonical() -> Report {
    let mut r = canonical_checks();
    r.build = agent_rooms_doctor::model::build::Build {
        version: r.doctor_version.clone(),
        commit: "0123456789ab".into(),
        date: "2026-12-07".into(),
        target: "x86_64-unknown-linux-musl".into(),
        channel: "npm".into(),
    };
    r
}

fn canonical_checks() -> Report {
    let alice = Machine::new(1000, &Elevation::default());
    let outcome =
        |id: &str, title: &str, status, summary: &str, ms, facts: serde_json::Value, findings| {
            CheckOutcome {
                id: id.parse().unwrap(),
                title: title.into(),
                status,
                summary: summary.into(),
                duration_ms: Duration::from_millis(ms),
                facts: agent_rooms_doctor::model::outcome::Facts::of(facts),
                findings,
                skip_reason: None,
                unconfigured: false,
            }
        };
    let revoked = Finding::new(codes::REVOKED,
        "the API rejected the token ar_l…(24 chars) from /home/alice/.config/agent-rooms/config.json: REVOKED (HTTP 401): credential revoked",
    )
    .with_request_id(Some("8a1b2c3d4e5f-AMS".into()));
    let too_open = Finding::new(codes::TOKEN_FILE_TOO_OPEN,
        "/home/alice/.config/agent-rooms/config.json holds the token and has mode 0644: other users can read it",
    )
    .with_commands(vec![cmd(["chmod", "600", "/home/alice/.config/agent-rooms/config.json"])
        .safe()
        .on(&alice)]);
    let not_logged_in = Finding::new(codes::HOST_NOT_LOGGED_IN,
        "codex is not logged in for alice (listener pid 4242 (alice)): `/usr/bin/codex login status` says \"Not logged in\"",
    )
    .with_commands(vec![cmd(["codex", "login"]).on(&alice)]);
    Report::new(
        vec![
            outcome(
                "listener",
                "Listener",
                Status::Pass,
                "running: pid 4242 (alice, up 2h 3m), heartbeat 12s ago",
                3,
                serde_json::json!({"listeners": [{"pid": 4242, "user": "alice", "argv": "agent-rooms watch --token ar_live_0123456789abcdefABCD"}], "empty": [], "unset": null, "home": {"path": "/home/alice/.config/agent-rooms", "why": "the running listener's"}}),
                vec![],
            ),
            outcome(
                "device",
                "Device",
                Status::Skip,
                "dev_7Hq2 (alice-laptop) in /home/alice/.config/agent-rooms/device.json; server lookup skipped: the token check is fail (REVOKED)",
                0,
                serde_json::json!({}),
                vec![],
            ),
            outcome(
                "host",
                "Host CLI",
                Status::Fail,
                "codex is not logged in for alice",
                41,
                serde_json::json!({"targets": 1}),
                vec![not_logged_in],
            ),
            outcome(
                "token",
                "Token",
                Status::Fail,
                "ar_l…(24 chars) from /home/alice/.config/agent-rooms/config.json is rejected: REVOKED",
                40,
                serde_json::json!({"source": "config.json"}),
                vec![too_open, revoked],
            ),
            outcome(
                "api",
                "API",
                Status::Warn,
                "reachable: HTTP 401 in 38 ms (HTTP/1.1); it answers REVOKED (judged by the token check)",
                38,
                serde_json::json!({"proxy_env": ["HTTPS_PROXY=http://user:hunter2@proxy:3128"]}),
                vec![Finding::new(codes::CLOCK_SKEW, "this machine's clock is 2m 5s ahead of the API's (Date: Wed, 25 Nov 2026 12:00:00 GMT)")],
            ),
        ],
        Duration::from_millis(52),
        false,
    )
}

fn rendered(format: Format, color: bool, verbose: bool) -> String {
    render::render(
        &canonical(),
        format,
        Style {
            color,
            verbose,
            width: None,
        },
    )
}

#[test]
fn the_canonical_report_in_every_format() {
    for (i, format) in [
        Format::Human,
        Format::Json,
        Format::Markdown,
        Format::Junit,
        Format::Github,
    ]
    .into_iter()
    .enumerate()
    {
        let name = format!("the_canonical_report_in_every_format-{}", i + 1);
        snapshot(&name, &rendered(format, false, false));
    }
    snapshot(
        "the_canonical_report_in_every_format-6",
        &rendered(Format::Human, false, true),
    );
    snapshot(
        "the_canonical_report_in_every_format-7",
        &rendered(Format::Human, true, false),
    );
}

/// Run the binary with `args` (and `stdin`), and hold stdout, stderr and the exit code whole.
/// (Held against the snapshot `name`.)
fn whole(f: &Fixture, name: &str, args: &[&str], stdin: &str) {
    let out = f
        .doctor()
        .args(args)
        .write_stdin(stdin.as_bytes().to_vec())
        .output()
        .unwrap();
    snapshot(
        name,
        &format!(
            "$ agent-rooms-doctor {}\n--- stdout\n{}--- stderr\n{}[exit {}]\n",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            out.status.code().unwrap_or(-1)
        ),
    );
}

#[test]
fn list_and_explain_whole() {
    let f = Fixture::new();
    whole(&f, "list_and_explain_whole-1", &["list"], "");
    whole(&f, "list_and_explain_whole-2", &["list", "--json"], "");
    whole(&f, "list_and_explain_whole-3", &["explain", "REVOKED"], "");
    whole(
        &f,
        "list_and_explain_whole-4",
        &["explain", "already_claimed"],
        "",
    );
    whole(
        &f,
        "list_and_explain_whole-5",
        &["explain", "HOST_NOT_FOUND", "--json"],
        "",
    );
    whole(&f, "list_and_explain_whole-6", &["explain", "REVOKD"], "");
    whole(&f, "list_and_explain_whole-7", &["explain", "--all"], "");
    whole(
        &f,
        "list_and_explain_whole-8",
        &["explain", "--all", "--json"],
        "",
    );
    let envelope = r#"{"error":{"code":"FORBIDDEN_SCOPE","status":403,"message":"This agent does not have the required scope.","request_id":"7f3c9a","fields":{}}}"#;
    whole(&f, "list_and_explain_whole-9", &["explain", "-"], envelope);
    whole(
        &f,
        "list_and_explain_whole-10",
        &["explain", "-", "--json"],
        envelope,
    );
    whole(
        &f,
        "list_and_explain_whole-11",
        &["explain", "-"],
        "<html>502</html>",
    );
}

#[test]
fn help_and_usage_errors_whole() {
    let f = Fixture::new();
    for (i, args) in [
        &["--help"][..],
        &["check", "--help"],
        &["listener", "--help"],
        &["explain", "--help"],
        &["report", "--help"],
        &["completions", "--help"],
        &["check", "nope"],
        &["listener", "nope"],
        &["--skip", "nope"],
        &["--format", "xml"],
        &["--host", "vim"],
        &["--bogus"],
        &["--timeout", "0"],
        &["explain"],
        // A document asked for in a format it is not written in: a usage error, not another format.
        &["list", "--format", "junit"],
        &["explain", "REVOKED", "--format", "markdown"],
        &["explain", "--all", "--format", "github"],
        &["report", "--format", "junit", "--offline"],
    ]
    .into_iter()
    .enumerate()
    {
        whole(
            &f,
            &format!("help_and_usage_errors_whole-{}", i + 1),
            args,
            "",
        );
    }
}

#[test]
fn the_support_bundle_whole() {
    let f = Fixture::new();
    f.write(
        "config.json",
        r#"{"api_url": "http://127.0.0.1:9/", "token": "ar_live_bundle_secret_0123456789", "host": "codex"}"#,
    );
    f.write(
        "device.json",
        r#"{"device_id": "dev_7Hq2", "name": "ci-box", "paired_at": "2026-10-02T09:14:00Z"}"#,
    );
    let home = f.ar_home.to_str().unwrap();
    for (name, extra) in [("1", &[][..]), ("2", &["--json"][..])] {
        let mut args = vec!["report", "--home", home, "--offline", "--skip", "listener"];
        args.extend_from_slice(extra);
        let out = f.doctor().args(&args).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains("bundle_secret"), "{text}");
        snapshot(
            &format!("the_support_bundle_whole-{name}"),
            &machine_neutral(&format!(
                "{text}[exit {}]\n",
                out.status.code().unwrap_or(-1)
            )),
        );
    }
}

/// The bundle names the machine it ran on (OS, kernel, user, installed host CLIs, its own id and
/// clock): those lines are replaced so the snapshot holds on any machine.
fn machine_neutral(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        let key = t.split(':').next().unwrap_or("");
        let neutral = [
            "- system",
            "- run by",
            "- generated",
            "- build",
            "\"commit\"",
            "\"date\"",
            "\"target\"",
            "\"system\"",
            "\"run_by\"",
            "\"generated\"",
            "\"os\"",
            "\"kernel\"",
            "\"arch\"",
            "\"uid\"",
            "\"user\"",
            "\"time_zone\"",
        ]
        .contains(&key);
        let indent = &line[..line.len() - t.len()];
        if neutral {
            out.push_str(&format!("{indent}{key}: [MACHINE]\n"));
        } else if t.starts_with("| codex |")
            || t.starts_with("| claude |")
            || t.starts_with("| gemini |")
            || t.starts_with("| cursor |")
            || t.starts_with("| copilot |")
        {
            out.push_str(&format!("{}|\n", &t[..t[2..].find('|').unwrap_or(0) + 2]));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    regex_lite_replace(&out)
}

/// The report id (`ard-HEX-TIME`) changes every run.
fn regex_lite_replace(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("ard-") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(tail.len());
        out.push_str("[REPORT_ID]");
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}
