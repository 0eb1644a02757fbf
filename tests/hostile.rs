//! End-to-end: hostile input that must end as a finding with the facts, within the time bound,
//! never a crash, a hang or a leaked secret — odd API answers, odd processes, odd files.

mod common;

use common::api::{Api, Reply};
use common::{check, codes, other_user, status, Fixture, OTHER_USER};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::time::{Duration, Instant};

const TOKEN: &str = "ar_live_HOSTILEsecret0123456789";

fn fixture(url: &str) -> Fixture {
    let f = Fixture::new();
    f.write(
        "config.json",
        &format!(r#"{{"api_url": "{url}", "token": "{TOKEN}"}}"#),
    );
    f
}

/// Run the api and token checks with `--timeout 2` (the human output held against the snapshot
/// `name`, then the JSON); assert the bound, no crash, no secret.
fn run_bounded(f: &Fixture, name: &str) -> serde_json::Value {
    let args = [
        "api",
        "token",
        "--home",
        f.ar_home.to_str().unwrap(),
        "--timeout",
        "2",
    ];
    f.human(name, &args);
    let t = Instant::now();
    let (code, v, all) = f.json(&args);
    assert!(
        t.elapsed() < Duration::from_secs(8),
        "took {:?}",
        t.elapsed()
    );
    assert!(code == 0 || code == 1, "exit {code}: {all}");
    assert!(!all.contains("HOSTILEsecret"));
    v
}

#[test]
fn hostile_api_answers_end_as_findings_in_time() {
    let trickle =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
            .to_vec();
    let cases: Vec<(&str, Reply, &str)> = vec![
        ("headers trickling slower than the timeout", Reply::Trickle { bytes: trickle, every: Duration::from_millis(300) }, "API_UNREACHABLE"),
        ("a body that never ends", Reply::Endless, "API_"),
        ("invalid UTF-8 inside an envelope", Reply::Raw(b"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 45\r\n\r\n{\"error\":{\"code\":\"REVOKED\",\"message\":\"\xff\xfe\"}}".to_vec()), "API_BAD_RESPONSE"),
        ("a 64 KiB header", Reply::json(200, "{}").with_header("X-Huge", &"h".repeat(64 * 1024)), "API_"),
        ("an envelope with wrong types", Reply::json(403, r#"{"error": {"code": ["REVOKED"], "status": "x"}}"#), "API_BAD_RESPONSE"),
        ("closed mid-body", Reply::Truncated { status: 200, declared: 5000, sent: "{\"agent_id\":".into() }, "API_BAD_RESPONSE"),
    ];
    for (i, (name, reply, code)) in cases.into_iter().enumerate() {
        let api = Api::start(move |_| reply.clone());
        let f = fixture(&api.url());
        let v = run_bounded(
            &f,
            &format!("hostile_api_answers_end_as_findings_in_time-{}", i + 1),
        );
        let got = codes(&v, "api");
        assert!(got.len() == 1 && got[0].starts_with(code), "{name}: {v}");
        assert_ne!(status(&v, "token"), "pass", "{name}");
        assert!(!check(&v, "api")["findings"][0]["message"]
            .as_str()
            .unwrap()
            .is_empty());
    }
}

#[test]
fn retry_after_as_an_http_date_is_reported_as_given() {
    let api = Api::start(|_| {
        Reply::error("RATE_LIMITED", 429)
            .with_header("Retry-After", "Wed, 25 Nov 2026 13:00:00 GMT")
    });
    let f = fixture(&api.url());
    let v = run_bounded(&f, "retry_after_as_an_http_date_is_reported_as_given-1");
    assert_eq!(codes(&v, "api"), ["RATE_LIMITED"]);
    assert!(check(&v, "api")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("Retry-After: Wed, 25 Nov 2026 13:00:00 GMT"));
}

#[test]
fn odd_processes_do_not_break_the_listener_check() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let home = f.home.display().to_string();
    // A 100 KB argv, and non-UTF-8 bytes in argv and in the environment. (`watch` comes first
    // after the options: the contract's rule for a listener.)
    let long = "x".repeat(100 * 1024);
    let mut cmd = std::process::Command::new("/bin/sh");
    cmd.arg(&script)
        .arg(OsStr::from_bytes(b"--name=\xff\xfe"))
        .arg("watch")
        .arg(&long);
    f.spawn_cmd(&mut cmd, &[("HOME", &home), ("PATH", "/usr/bin:/bin")]);
    let mut cmd = std::process::Command::new("/bin/sh");
    cmd.arg(&script)
        .arg("watch")
        .env("ODD", OsStr::from_bytes(b"\xc3\x28\xff"));
    f.spawn_cmd(&mut cmd, &[("HOME", &home), ("PATH", "/usr/bin:/bin")]);
    // Listeners that come and go while the doctor looks.
    let churn = f.script(&lbin, "churn", &format!("#!/bin/sh\nfor i in $(seq 200); do /bin/sh {} watch & p=$!; /bin/sleep 0.01; kill $p; done\n", script.display()));
    let mut cmd = std::process::Command::new("/bin/sh");
    cmd.arg(&churn);
    f.spawn_cmd(&mut cmd, &[("PATH", "/usr/bin:/bin")]);
    for i in 1..=5 {
        let run: &[&str] = &["listener"];
        f.human(
            &format!("odd_processes_do_not_break_the_listener_check-{i}"),
            run,
        );
        let (code, v, _) = f.json(run);
        assert_eq!(code, 1, "{v}");
        let ls = f.own_listeners(&v);
        assert!(ls.len() >= 2, "{v}");
        let long_one = ls
            .iter()
            .find(|l| l["argv"].as_str().unwrap().contains("xxxx"))
            .expect("the long argv listener");
        let argv = long_one["argv"].as_str().unwrap();
        assert!(
            argv.len() < 3000 && argv.ends_with("… (truncated)"),
            "{}",
            argv.len()
        );
        assert!(argv.contains("--name=\u{fffd}\u{fffd}"));
    }
}

#[test]
fn five_thousand_processes() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let many = f.script(
        &lbin,
        "many",
        "#!/bin/sh\ni=0\nwhile [ $i -lt 5000 ]; do /bin/sleep 120 & i=$((i+1)); done\nwait\n",
    );
    let mut cmd = std::process::Command::new("/bin/sh");
    cmd.arg(&many).arg("watch-not"); // not a listener: the word is not `watch`
    f.spawn_cmd(&mut cmd, &[("PATH", "/usr/bin:/bin")]);
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        let n = std::fs::read_dir("/proc")
            .unwrap()
            .filter(|e| {
                e.as_ref().is_ok_and(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .chars()
                        .all(|c| c.is_ascii_digit())
                })
            })
            .count();
        if n >= 5000 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let home = f.home.display().to_string();
    let pid = f.spawn(
        &["/bin/sh", script.to_str().unwrap(), "watch"],
        &[("HOME", &home), ("PATH", "/usr/bin:/bin")],
    );
    let run: &[&str] = &["listener"];
    f.human("five_thousand_processes-1", run);
    let (code, v, _) = f.json(run);
    assert_eq!(code, 0, "{v}");
    assert_eq!(f.own_listeners(&v)[0]["pid"], pid);
    assert!(
        check(&v, "listener")["facts"]["processes_seen"]
            .as_u64()
            .unwrap()
            >= 5000,
        "{v}"
    );
}

#[test]
fn odd_files_are_findings() {
    // 100 MB (sparse) config.json: refused by size, not read.
    let f = Fixture::new();
    let p = f.ar_home.join("config.json");
    std::fs::File::create(&p)
        .unwrap()
        .set_len(100 << 20)
        .unwrap();
    let run: &[&str] = &["token", "--offline", "--home", f.ar_home.to_str().unwrap()];
    f.human("odd_files_are_findings-1", run);
    let (_, v, _) = f.json(run);
    assert!(
        check(&v, "token")["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("104857600 bytes, over the"),
        "{v}"
    );
    // A symlink loop.
    let f = Fixture::new();
    let p = f.ar_home.join("config.json");
    std::os::unix::fs::symlink(&p, &p).unwrap();
    let run: &[&str] = &["token", "--offline", "--home", f.ar_home.to_str().unwrap()];
    f.human("odd_files_are_findings-2", run);
    let (_, v, _) = f.json(run);
    assert_eq!(codes(&v, "token")[0], "CONFIG_INVALID");
    assert!(
        check(&v, "token")["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("symbolic links"),
        "{v}"
    );
}

#[test]
fn a_file_without_read_permission() {
    // Root reads every file, so the doctor runs as the second user here.
    let Some(_) = other_user() else { return };
    let f = Fixture::new();
    let p = f.write("config.json", r#"{"token": "x"}"#); // 0600, owned by root
    let bin = assert_cmd::cargo::cargo_bin("agent-rooms-doctor");
    let out = std::process::Command::new(which::which("runuser").unwrap())
        .args(["-u", OTHER_USER, "--"])
        .arg(&bin)
        .args([
            "token",
            "--offline",
            "--json",
            "--home",
            f.ar_home.to_str().unwrap(),
        ])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    let v: serde_json::Value = common::document(&out.stdout);
    let finding = &check(&v, "token")["findings"][0];
    let msg = finding["message"].as_str().unwrap().to_string();
    assert!(
        msg.contains(&p.display().to_string())
            && msg.contains("cannot be read by the doctor: Permission denied"),
        "{msg}"
    );
    // The doctor may not look: never "invalid" (issue 39).
    assert_eq!(finding["code"], "NOT_READABLE", "{finding}");
}

#[test]
fn a_zombie_listener_is_not_running() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let quits = f.script(&lbin, "agent-rooms", "#!/bin/sh\nexit 0\n");
    // The listener exits at once and its parent (exec'd into sleep) never reaps it: a zombie.
    let mut cmd = std::process::Command::new("/bin/sh");
    cmd.arg("-c").arg(format!(
        "/bin/sh {} watch & exec /bin/sleep 60",
        quits.display()
    ));
    let parent = f.spawn_cmd(&mut cmd, &[("PATH", "/usr/bin:/bin")]);
    let zombie = f.wait_child(parent).expect("the listener was started");
    std::thread::sleep(Duration::from_millis(200));
    let stat = std::fs::read_to_string(format!("/proc/{zombie}/stat")).unwrap_or_default();
    assert!(stat.contains(") Z "), "not a zombie yet: {stat}");
    let run: &[&str] = &["listener"];
    f.human("a_zombie_listener_is_not_running-1", run);
    let (_, v, _) = f.json(run);
    assert_eq!(codes(&v, "listener"), ["LISTENER_NOT_RUNNING"], "{v}");
}
