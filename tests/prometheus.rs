//! End-to-end: `--format prometheus -o FILE` as a fleet uses it. The real node_exporter serves
//! the file the doctor writes into its textfile directory; a scrape holds the doctor's series
//! for a passing and a failing run, and the real `promtool check metrics` accepts the text.
//! `-o` writes atomically: a reader never sees half a file, and nothing is written through a
//! symbolic link.

mod common;

use common::api::{Api, Reply};
use common::prom::{self, NodeExporter};
use common::Fixture;
use std::os::unix::fs::PermissionsExt;

const TOKEN: &str = "ar_live_Zx81TOPSECRETtokenValue42";

fn configure(f: &Fixture, api: &Api) {
    f.write(
        "config.json",
        &format!(
            r#"{{"api_url": "{}", "token": "{TOKEN}", "host": "codex"}}"#,
            api.url()
        ),
    );
    f.write(
        "device.json",
        r#"{"device_id": "dev_test1", "name": "ci-box", "paired_at": "2026-11-01T00:00:00Z", "owner_id": "own_test1"}"#,
    );
}

#[test]
fn node_exporter_serves_the_doctors_series_for_a_passing_and_a_failing_run() {
    let Some(promtool) = prom::promtool() else {
        return;
    };
    let textfiles = tempfile::tempdir().unwrap();
    let Some(exporter) = NodeExporter::start(textfiles.path()) else {
        return;
    };
    let f = Fixture::new();
    let home = f.ar_home.to_str().unwrap().to_string();
    let file = textfiles.path().join("agent_rooms_doctor.prom");
    let run = |want: i32| {
        let out = f
            .doctor()
            .args(["token", "device", "api", "--home", &home])
            .args(["--format", "prometheus", "-o"])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(want), "{}", common::all_text(&out));
        // Written to the file, not to stdout.
        assert!(out.stdout.is_empty(), "{}", common::all_text(&out));
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains("TOPSECRET"), "{text}");
        prom::check_metrics(&promtool, &text)
            .unwrap_or_else(|e| panic!("promtool rejected it: {e}\n{text}"));
        // node_exporter reads the directory on each scrape.
        let scraped = prom::parse(&exporter.scrape());
        assert_eq!(
            prom::value(&scraped, "node_textfile_scrape_error", &[]).as_deref(),
            Some("0"),
            "node_exporter could not read the file"
        );
        scraped
    };

    let healthy = Api::healthy();
    configure(&f, &healthy);
    let s = run(0);
    let h = ("home", home.as_str());
    assert_eq!(
        prom::value(&s, "agent_rooms_doctor_ok", &[h]).as_deref(),
        Some("1")
    );
    for check in ["token", "device", "api"] {
        for (status, want) in [("pass", "1"), ("warn", "0"), ("fail", "0"), ("skip", "0")] {
            let v = prom::value(
                &s,
                "agent_rooms_doctor_check_status",
                &[h, ("check", check), ("status", status)],
            );
            assert_eq!(v.as_deref(), Some(want), "{check} {status}");
        }
    }
    assert!(!s.iter().any(|x| x.name == "agent_rooms_doctor_findings"));
    assert!(!s.iter().any(|x| x.name == "agent_rooms_doctor_root_cause"));
    assert_eq!(
        prom::value(
            &s,
            "agent_rooms_doctor_build_info",
            &[h, ("version", env!("CARGO_PKG_VERSION"))]
        )
        .as_deref(),
        Some("1")
    );
    // Issue 41: the build's identity, as `--version --verbose` says it.
    let info = s
        .iter()
        .find(|x| x.name == "agent_rooms_doctor_build_info")
        .unwrap();
    for k in ["commit", "date", "target"] {
        assert!(
            info.labels.get(k).is_some_and(|v| !v.is_empty()),
            "{k}: {info:?}"
        );
    }
    assert_eq!(
        info.labels.get("channel").map(String::as_str),
        Some("cargo")
    );
    let at: f64 = prom::value(&s, "agent_rooms_doctor_last_run_timestamp_seconds", &[h])
        .unwrap()
        .parse()
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!((now - at).abs() < 120.0, "{at} vs {now}");
    let took: f64 = prom::value(&s, "agent_rooms_doctor_run_duration_seconds", &[h])
        .unwrap()
        .parse()
        .unwrap();
    assert!((0.0..60.0).contains(&took), "{took}");

    // The token is revoked: the same file, rewritten, now says so.
    let revoked = Api::start(|_| Reply::error("REVOKED", 401));
    configure(&f, &revoked);
    let s = run(1);
    assert_eq!(
        prom::value(&s, "agent_rooms_doctor_ok", &[h]).as_deref(),
        Some("0")
    );
    assert_eq!(
        prom::value(
            &s,
            "agent_rooms_doctor_check_status",
            &[h, ("check", "token"), ("status", "fail")]
        )
        .as_deref(),
        Some("1")
    );
    assert_eq!(
        prom::value(
            &s,
            "agent_rooms_doctor_findings",
            &[h, ("check", "token"), ("code", "REVOKED")]
        )
        .as_deref(),
        Some("1")
    );
    assert_eq!(
        prom::value(
            &s,
            "agent_rooms_doctor_root_cause",
            &[h, ("check", "token"), ("code", "REVOKED")]
        )
        .as_deref(),
        Some("1")
    );
    // No temporary file is left beside it for the collector to read.
    let names: Vec<String> = std::fs::read_dir(textfiles.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["agent_rooms_doctor.prom"]);
}

#[test]
fn a_reader_never_sees_half_a_file_while_it_is_rewritten() {
    let f = Fixture::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.prom");
    let home = f.ar_home.to_str().unwrap().to_string();
    let write = || {
        let out = f
            .doctor()
            .args(["--offline", "--home", &home, "--format", "prometheus", "-o"])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", common::all_text(&out));
    };
    write();
    let whole = std::fs::read_to_string(&file).unwrap();
    let last = whole
        .lines()
        .last()
        .unwrap()
        .split('{')
        .next()
        .unwrap()
        .to_string();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (file, done, last) = (file.clone(), done.clone(), last.clone());
        std::thread::spawn(move || {
            let mut reads = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let text = std::fs::read_to_string(&file).unwrap();
                assert!(
                    text.starts_with("# HELP") && text.ends_with('\n') && text.contains(&last),
                    "read {reads}: a partial file: {text:?}"
                );
                reads += 1;
            }
            reads
        })
    };
    for _ in 0..20 {
        write();
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let reads = reader.join().unwrap();
    assert!(reads > 20, "the reader read {reads} times");
}

#[test]
fn output_replaces_a_file_of_ones_own_and_never_writes_through_a_link() {
    let f = Fixture::new();
    let dir = tempfile::tempdir().unwrap();
    let home = f.ar_home.to_str().unwrap().to_string();
    let run = |args: &[&str], to: &std::path::Path| {
        f.doctor()
            .args(args)
            .args(["--offline", "--home", &home, "-o"])
            .arg(to)
            .output()
            .unwrap()
    };
    // An old file of one's own is replaced, with the usual mode (0666 less the umask 022).
    let file = dir.path().join("out.json");
    std::fs::write(&file, "old").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = run(&["--json"], &file);
    assert_eq!(out.status.code(), Some(1), "{}", common::all_text(&out));
    let v: serde_json::Value = common::document(&std::fs::read(&file).unwrap());
    assert_eq!(v["ok"], false);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode & 0o044, 0o044, "readable by a collector: {mode:o}");
    // A link is refused, and what it points at is left as it was.
    let target = dir.path().join("target");
    std::fs::write(&target, "keep").unwrap();
    let link = dir.path().join("link.prom");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = run(&["--format", "prometheus"], &link);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is a symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    // `-o -` is stdout; `list` and `explain` take -o as well.
    let out = run(&["--format", "prometheus"], std::path::Path::new("-"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("agent_rooms_doctor_ok{"));
    let list = dir.path().join("list.json");
    let out = f
        .doctor()
        .args(["list", "--json", "-o"])
        .arg(&list)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(std::fs::read_to_string(&list)
        .unwrap()
        .contains("\"listener\""));
    // A document that has no metrics form is refused before anything is written.
    let none = dir.path().join("none.prom");
    let out = f
        .doctor()
        .args(["list", "--format", "prometheus", "-o"])
        .arg(&none)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!none.exists());
}
