//! End-to-end: "it worked yesterday" — what changed, as this machine records it: after codex's
//! binary was replaced and the listener restarted, a failing run ends with those events, newest
//! first, each with its time and where it was read; JSON and the bundle carry the whole list.

mod common;

use common::{check, Fixture, SYSTEM_PATH};
use std::time::Duration;

#[test]
fn a_failing_runs_timeline_after_codex_was_replaced_and_the_listener_restarted() {
    let mut f = Fixture::with_listeners();
    f.write("config.json", r#"{"host": "codex"}"#);
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    f.fake_codex(&lbin, true);
    let argv = ["/bin/sh", script.to_str().unwrap(), "watch"];
    let path = format!("{}:{SYSTEM_PATH}", lbin.display());
    let first = f.listen(&argv, &path);
    // A second later codex is replaced by a build that is not logged in, and a second after
    // that the listener is restarted (times are whole seconds).
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::remove_file(lbin.join("codex")).unwrap();
    f.fake_codex(&lbin, false);
    std::thread::sleep(Duration::from_millis(1100));
    f.stop(first);
    let second = f.listen(&argv, &path);

    let (code, v, _) = f.json(&["host", "listener"]);
    assert_eq!(code, 1);
    assert_eq!(common::codes(&v, "host"), ["HOST_NOT_LOGGED_IN"], "{v}");
    let events = v["timeline"].as_array().expect("a timeline in the JSON");
    let what: Vec<&str> = events.iter().map(|e| e["what"].as_str().unwrap()).collect();
    let started = format!("listener pid {second} (root) started");
    let binary = "codex's binary changed (installed or updated)";
    // Newest first: the restart, then the new binary; the machine's boot is there too.
    let at = |w: &str| {
        what.iter()
            .position(|x| *x == w)
            .unwrap_or_else(|| panic!("no {w:?} in {what:?}"))
    };
    assert!(at(&started) < at(binary), "{what:?}");
    assert!(at(binary) < at("the machine booted"), "{what:?}");
    assert!(at(binary) < at("config.json changed"), "{what:?}");
    let ev = &events[at(binary)];
    assert_eq!(ev["source"], lbin.join("codex").display().to_string());
    assert_eq!(ev["links"], serde_json::json!(["host"]));
    assert_eq!(events[at(&started)]["links"], serde_json::json!([]));
    // The first listener is gone: only the running one's start is an event.
    assert!(
        !what.iter().any(|w| w.contains(&format!("pid {first} "))),
        "{what:?}"
    );
    // Every time is RFC 3339, each event says where it was read.
    for e in events {
        assert!(e["at"].as_str().unwrap().ends_with('Z'), "{e}");
        assert!(!e["source"].as_str().unwrap().is_empty(), "{e}");
    }
    let listener_at = &events[at(&started)]["at"];
    let binary_at = &events[at(binary)]["at"];
    assert!(
        listener_at.as_str() > binary_at.as_str(),
        "{listener_at} {binary_at}"
    );

    // A person sees the same, short, at the end; -v shows all.
    let out = f.doctor().args(["host", "listener"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let block = text
        .split_once("What changed, newest first")
        .unwrap_or_else(|| panic!("no timeline in {text}"))
        .1;
    let lines: Vec<&str> = block.lines().skip(1).collect();
    assert!(lines.len() <= 8, "{block}");
    assert!(lines[0].contains(&started), "{block}");
    assert!(
        lines[1].contains(binary) && lines[1].contains("lbin/codex"),
        "{block}"
    );
    let verbose = f
        .doctor()
        .args(["host", "listener", "-v"])
        .output()
        .unwrap();
    let verbose = String::from_utf8_lossy(&verbose.stdout).into_owned();
    let all = verbose
        .split_once("What changed, newest first")
        .unwrap()
        .1
        .lines()
        .skip(1)
        .count();
    assert_eq!(all, events.len(), "{verbose}");

    // The bundle carries the list, and a replay shows it as recorded.
    let bundle = f.dir.path().join("b.md");
    f.doctor()
        .args(["report", "-o"])
        .arg(&bundle)
        .output()
        .unwrap();
    let md = std::fs::read_to_string(&bundle).unwrap();
    assert!(md.contains("## What changed (newest first)"), "{md}");
    assert!(
        md.contains(&format!("{binary} ({}/codex)", lbin.display())),
        "{md}"
    );
    let replayed = f.doctor().arg("replay").arg(&bundle).output().unwrap();
    let replayed = String::from_utf8_lossy(&replayed.stdout).into_owned();
    assert!(replayed.contains(binary), "{replayed}");
    assert_eq!(check(&v, "host")["status"], "fail");
}

#[test]
fn a_run_where_nothing_fails_has_no_timeline() {
    let mut f = Fixture::with_listeners();
    f.write("config.json", r#"{"host": "codex"}"#);
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    f.fake_codex(&lbin, true);
    let path = format!("{}:{SYSTEM_PATH}", lbin.display());
    f.listen(&["/bin/sh", script.to_str().unwrap(), "watch"], &path);
    let (code, v, _) = f.json(&["host", "listener"]);
    assert_eq!(code, 0, "{v}");
    assert!(v.get("timeline").is_none(), "{v}");
    let out = f.doctor().args(["host", "listener"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("What changed"));
}
