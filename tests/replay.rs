//! End-to-end: support's tools on bundles — `replay` judges a bundle's facts again (here a
//! committed bundle from schema 1, and bundles taken in a scenario), `diff` compares two bundles
//! taken from two setups. (Every other scenario's JSON is replayed by `Fixture::json`.)

mod common;

use common::api::Api;
use common::{Fixture, SYSTEM_PATH};
use std::path::{Path, PathBuf};

/// The committed bundles (JSON and markdown) of the scenario below, taken by this version.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/bundles")
        .join(name)
}

/// A bundle (`report`, JSON or markdown) of the fixture's agent, in a file.
fn bundle(f: &Fixture, name: &str, json: bool) -> PathBuf {
    let path = f.dir.path().join(name);
    let mut c = f.doctor();
    c.args(["report", "-o"]).arg(&path);
    if json {
        c.arg("--json");
    }
    let out = c.output().unwrap();
    assert!(path.exists(), "{}", common::all_text(&out));
    path
}

/// Two setups of one agent: the listener's PATH without codex's directory, then with it.
fn two_setups(f: &mut Fixture, api: &Api) -> (PathBuf, PathBuf, PathBuf) {
    f.write(
        "config.json",
        &format!(
            r#"{{"api_url": "{}", "token": "ar_live_REPLAYTOKEN0123456789", "host": "codex"}}"#,
            api.url()
        ),
    );
    f.write(
        "device.json",
        r#"{"device_id": "dev_replay1", "name": "box"}"#,
    );
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let codex_dir = f.dir.path().join("codex-bin");
    f.fake_codex(&codex_dir, true);
    let argv = ["/bin/sh", script.to_str().unwrap(), "watch"];
    let pid = f.listen(&argv, &format!("{}:{SYSTEM_PATH}", lbin.display()));
    let broken = bundle(f, "broken.json", true);
    let broken_md = bundle(f, "broken.md", false);
    f.stop(pid);
    let path = format!("{}:{}:{SYSTEM_PATH}", lbin.display(), codex_dir.display());
    f.listen(&argv, &path);
    let works = bundle(f, "works.json", true);
    (broken, broken_md, works)
}

#[test]
fn diff_of_two_setups_names_the_missing_directory_and_the_host_verdict() {
    let api = Api::healthy();
    let mut f = Fixture::with_listeners();
    let (broken, broken_md, works) = two_setups(&mut f, &api);
    // Kept for the committed fixture (AGENT_ROOMS_DOCTOR_WRITE_BUNDLES=1 writes it anew).
    if std::env::var_os("AGENT_ROOMS_DOCTOR_WRITE_BUNDLES").is_some() {
        std::fs::create_dir_all(fixture("")).unwrap();
        std::fs::copy(&broken, fixture("v1-codex-not-on-listener-path.json")).unwrap();
        std::fs::copy(&broken_md, fixture("v1-codex-not-on-listener-path.md")).unwrap();
    }
    let run = |args: &[&std::ffi::OsStr]| f.doctor().args(args).output().unwrap();
    let out = run(&[
        "diff".as_ref(),
        "--json".as_ref(),
        broken.as_os_str(),
        works.as_os_str(),
    ]);
    let v: serde_json::Value = common::document(&out.stdout);
    assert_eq!(v["same"], false);
    let out = run(&["diff".as_ref(), broken.as_os_str(), works.as_os_str()]);
    let text = common::all_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    // The listeners' start times may fall in one second or two: the timeline's lines are held
    // by tests/timeline.rs, not here.
    let mut kept = vec![];
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        if l.starts_with("  timeline ") {
            lines.next();
            lines.next();
        } else {
            kept.push(l);
        }
    }
    let mut text = kept.join("\n") + "\n";
    // What names this machine and this run (the committed bundles' names stay).
    for side in ["a", "b"] {
        for (key, to) in [("system", "[SYSTEM]"), ("report_id", "[REPORT_ID]")] {
            text = text.replace(v[side][key].as_str().unwrap(), to);
        }
    }
    common::snapshot(
        "diff_of_two_setups_names_the_missing_directory_and_the_host_verdict-1",
        &text,
    );
    let codex_dir = f.dir.path().join("codex-bin").display().to_string();
    let diffs = v["differences"].as_array().unwrap();
    let said = |what: &str| {
        diffs
            .iter()
            .find(|d| d["what"] == what)
            .unwrap_or_else(|| panic!("no {what:?} in {v}"))
    };
    assert_eq!(
        said("PATH directories")["b"],
        format!("only in B: {codex_dir}")
    );
    assert_eq!(said("PATH directories")["a"], "none");
    assert_eq!(said("codex found at")["a"], "not found");
    assert_eq!(said("codex found at")["b"], format!("{codex_dir}/codex"));
    // Nothing else of the chain differs: the same token, API, device and user.
    for d in diffs {
        assert!(
            ["listener", "host", "timeline"].contains(&d["link"].as_str().unwrap()),
            "{d}"
        );
    }
    assert_eq!(
        v["checks"],
        serde_json::json!([{"check": "host", "a": {"status": "fail", "codes": ["HOST_NOT_FOUND"]}, "b": {"status": "pass", "codes": []}}])
    );
    // A bundle against itself, and against its own markdown: nothing differs, exit 0.
    for other in [&broken, &broken_md] {
        let out = run(&["diff".as_ref(), broken.as_os_str(), other.as_os_str()]);
        assert_eq!(out.status.code(), Some(0), "{}", common::all_text(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Nothing that bears on a wake differs")
        );
    }
}

#[test]
fn a_committed_bundle_of_schema_1_replays_in_this_version() {
    let f = Fixture::new();
    for (i, name) in [
        "v1-codex-not-on-listener-path.json",
        "v1-codex-not-on-listener-path.md",
    ]
    .iter()
    .enumerate()
    {
        let path = fixture(name);
        let out = f.doctor().arg("replay").arg(&path).output().unwrap();
        let text = common::all_text(&out);
        assert_eq!(out.status.code(), Some(1), "{text}");
        common::snapshot(
            &format!(
                "a_committed_bundle_of_schema_1_replays_in_this_version-{}",
                i + 1
            ),
            &text,
        );
        let out = f
            .doctor()
            .args(["replay", "--json"])
            .arg(&path)
            .output()
            .unwrap();
        let v: serde_json::Value = common::document(&out.stdout);
        assert_eq!(v["replayed_from"]["doctor_version"], "0.1.0");
        assert_eq!(common::codes(&v, "host"), ["HOST_NOT_FOUND"], "{v}");
        assert_eq!(common::status(&v, "listener"), "pass");
    }
}

#[test]
fn replay_refuses_what_is_not_a_report_and_another_schema() {
    let f = Fixture::new();
    let bad = f.dir.path().join("bad.json");
    let text = std::fs::read_to_string(fixture("v1-codex-not-on-listener-path.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["checks"]["schema_version"] = 2.into();
    std::fs::write(&bad, v.to_string()).unwrap();
    let hello = f.dir.path().join("hello.txt");
    std::fs::write(&hello, "hello\n").unwrap();
    let missing = f.dir.path().join("missing.json");
    for (i, (args, said)) in [
        (
            vec!["replay".as_ref(), bad.as_os_str()],
            "is a report of schema 2; this doctor reads schema 1",
        ),
        (
            vec!["replay".as_ref(), hello.as_os_str()],
            "is not an agent-rooms-doctor report",
        ),
        (vec!["replay".as_ref(), missing.as_os_str()], "No such file"),
        (
            vec!["diff".as_ref(), hello.as_os_str(), bad.as_os_str()],
            "is not an agent-rooms-doctor report",
        ),
        (
            vec![
                "diff".as_ref(),
                "--format".as_ref(),
                "junit".as_ref(),
                hello.as_os_str(),
                bad.as_os_str(),
            ],
            // A usage error, as clap says it: `diff` offers only the formats it writes.
            "invalid value 'junit' for '--format <FORMAT>' [possible values: human, markdown, json]",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let out = f.doctor().args(&args).output().unwrap();
        let text = common::all_text(&out);
        assert_eq!(out.status.code(), Some(2), "{i}: {text}");
        assert!(text.contains(said), "{i}: {text}");
        assert!(out.stdout.is_empty(), "{i}: nothing on stdout: {text}");
    }
    // From stdin too.
    let out = f
        .doctor()
        .args(["replay", "-"])
        .write_stdin("not a report")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(common::all_text(&out).contains("stdin is not an agent-rooms-doctor report"));
}
