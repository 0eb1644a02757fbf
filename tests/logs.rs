//! End-to-end: the `logs` check reads a real listener's log where the contract says it is
//! (listener.json's `log_file`, `nohup.out` in its working directory), bounded to the last day,
//! and skips saying where it looked when there is none. (pm2's log: tests/supervisors.rs.)

mod common;

use common::{check, codes, Fixture};

const LISTENER_JSON: &str =
    r#"{"pid": 1, "heartbeat_at": "2026-01-01T00:00:00Z", "connected": true, "log_file": "LOG"}"#;

fn rfc3339(secs_ago: i64) -> String {
    let t = time::OffsetDateTime::now_utc() - time::Duration::seconds(secs_ago);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

#[test]
fn listener_json_names_the_log_and_only_the_last_day_counts() {
    let f = Fixture::new();
    let log = f.dir.path().join("agent-rooms.log");
    std::fs::write(
        &log,
        format!(
            "{} ERROR {{\"error\":{{\"code\":\"REVOKED\",\"request_id\":\"req_old\"}}}}\n{} WARN upload failed: UPLOAD_NOT_COMPLETE (request_id=req_u1)\n{} INFO connected\n{} WARN {{\"error\":{{\"code\":\"RATE_LIMITED\",\"status\":429,\"request_id\":\"req_r1\"}}}}\n",
            rfc3339(3 * 24 * 3600),
            rfc3339(3600),
            rfc3339(600),
            rfc3339(60),
        ),
    )
    .unwrap();
    f.write(
        "listener.json",
        &LISTENER_JSON.replace("LOG", log.to_str().unwrap()),
    );
    let run: &[&str] = &["logs", "--home", f.ar_home.to_str().unwrap()];
    f.human(
        "listener_json_names_the_log_and_only_the_last_day_counts-1",
        run,
    );
    let (_, v, _) = f.json(run);
    assert_eq!(
        codes(&v, "logs"),
        ["UPLOAD_NOT_COMPLETE", "RATE_LIMITED"],
        "{v}"
    );
    let logs = check(&v, "logs");
    assert_eq!(logs["findings"][0]["request_id"], "req_u1");
    assert_eq!(logs["findings"][1]["request_id"], "req_r1");
    assert_eq!(logs["facts"]["looked"][0]["result"], "read");
}

#[test]
fn nohup_out_in_the_listeners_working_directory_is_read() {
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let work = f.dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(
        work.join("nohup.out"),
        "agent-rooms: claim_task returned already_claimed\n",
    )
    .unwrap();
    let home = f.home.display().to_string();
    f.spawn_cmd(
        std::process::Command::new("/bin/sh")
            .args([script.to_str().unwrap(), "watch"])
            .current_dir(&work),
        &[("HOME", home.as_str()), ("PATH", "/usr/bin:/bin")],
    );
    let run: &[&str] = &["logs"];
    f.human(
        "nohup_out_in_the_listeners_working_directory_is_read-1",
        run,
    );
    let (_, v, _) = f.json(run);
    assert_eq!(codes(&v, "logs"), ["already_claimed"], "{v}");
    let msg = check(&v, "logs")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains(&format!(
            "({}/nohup.out) shows already_claimed once",
            work.display()
        )),
        "{msg}"
    );
}

#[test]
fn no_log_is_a_skip_that_says_where_it_looked() {
    let f = Fixture::new();
    let missing = f.dir.path().join("gone.log");
    f.write(
        "listener.json",
        &LISTENER_JSON.replace("LOG", missing.to_str().unwrap()),
    );
    let run: &[&str] = &["logs", "--home", f.ar_home.to_str().unwrap()];
    f.human("no_log_is_a_skip_that_says_where_it_looked-1", run);
    let (code, v, _) = f.json(run);
    assert_eq!(code, 0);
    let logs = check(&v, "logs");
    assert_eq!(logs["status"], "skip");
    let summary = logs["summary"].as_str().unwrap();
    assert!(
        summary.starts_with(&format!(
            "skipped: no listener log could be read; looked at {} (listener.json's log_file): No such file",
            missing.display()
        )),
        "{summary}"
    );
    // A clean log passes and says how much it read.
    std::fs::write(&missing, "connected\nheartbeat\n").unwrap();
    let run: &[&str] = &["logs", "--home", f.ar_home.to_str().unwrap()];
    f.human("no_log_is_a_skip_that_says_where_it_looked-2", run);
    let (_, v, _) = f.json(run);
    assert_eq!(check(&v, "logs")["status"], "pass");
    assert!(check(&v, "logs")["summary"]
        .as_str()
        .unwrap()
        .ends_with("(2 lines read)"));
}

/// Issue 25: a log line the present disproves is history — REVOKED in the log while the API
/// accepts the token now: shown as history, never Start here.
#[test]
fn a_log_error_the_token_check_disproves_is_history() {
    let api = common::api::Api::healthy();
    let f = Fixture::new();
    let log = f.dir.path().join("agent-rooms.log");
    std::fs::write(
        &log,
        format!(
            "{} ERROR {{\"error\":{{\"code\":\"REVOKED\",\"request_id\":\"req_old\"}}}}\n",
            rfc3339(3600)
        ),
    )
    .unwrap();
    f.write(
        "listener.json",
        &LISTENER_JSON.replace("LOG", log.to_str().unwrap()),
    );
    f.write(
        "config.json",
        &format!(
            r#"{{"api_url": "{}", "token": "ar_live_0123456789abcdef"}}"#,
            api.url()
        ),
    );
    let home = f.ar_home.to_str().unwrap();
    let run: &[&str] = &["token", "logs", "--home", home];
    f.human("a_log_error_the_token_check_disproves_is_history-1", run);
    let (_, v, _) = f.json(run);
    assert_eq!(check(&v, "token")["status"], "pass", "{v}");
    let fnd = &check(&v, "logs")["findings"][0];
    assert_eq!(
        (&fnd["code"], &fnd["resolved_by"]),
        (&"REVOKED".into(), &"token".into()),
        "{v}"
    );
    assert!(v["start_here"].is_null(), "{v}");
}
