//! The logs check's rules, from hand-built facts.

use super::*;
use crate::model::catalogue as codes;

const NOW: i64 = 1_795_652_000;

fn log(source: &str, lines: usize) -> Log {
    Log {
        source: source.into(),
        lines: vec![
            logs::Line {
                at: None,
                text: String::new()
            };
            lines
        ],
        bytes: 0,
        truncated: false,
        modified: Some(NOW),
    }
}

fn facts(read: Vec<Log>, hits: Vec<Hit>) -> Facts {
    Facts {
        listener_pid: Some(42),
        looked: vec![],
        read,
        hits,
        zone: "UTC (this system's zone)".into(),
        now: NOW,
    }
}

fn hit(code: &str, count: usize, id: Option<&str>) -> Hit {
    Hit {
        code: code.into(),
        count,
        last_at: Some(NOW - 120),
        last_request_id: id.map(str::to_string),
        unknown_time: 0,
        zoneless: false,
        line: format!("{{\"error\":{{\"code\":\"{code}\"}}}}"),
        source: "/p/ar-error.log".into(),
    }
}

#[test]
fn each_code_is_one_finding_with_its_count_time_request_id_and_remedy() {
    let d = diagnose(&facts(
        vec![log("/p/ar-error.log", 10)],
        vec![
            hit("NO_GRANT", 3, Some("req_9")),
            hit("already_claimed", 1, None),
        ],
    ));
    assert_eq!(d.status, Status::Warn);
    let codes: Vec<&str> = d.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, vec!["NO_GRANT", "already_claimed"]);
    assert_eq!(
        d.findings[0].message,
        "the listener's log (/p/ar-error.log) shows NO_GRANT 3 times in the last 24 h, last 2m 0s \
            ago (request_id req_9): {\"error\":{\"code\":\"NO_GRANT\"}}"
    );
    assert_eq!(d.findings[0].request_id.as_deref(), Some("req_9"));
    assert!(d.findings[1].message.contains("already_claimed once"));
    // The catalogue's remedy, as `explain` gives it.
    assert_eq!(
        d.findings[1].remedy,
        crate::model::catalogue::remedy(&codes::ALREADY_CLAIMED.into())
    );
    assert!(!d.findings[0].remedy.steps.is_empty());
    assert_eq!(
        d.summary,
        "API errors in the listener's log in the last 24 h: NO_GRANT ×3, already_claimed ×1"
    );
}

#[test]
fn a_clean_log_passes_and_no_log_skips_saying_where_it_looked() {
    let d = diagnose(&facts(vec![log("/p/out.log", 7)], vec![]));
    assert_eq!(d.status, Status::Pass);
    assert_eq!(
        d.summary,
        "no API errors in the last 24 h of /p/out.log (7 lines read)"
    );
    let mut f = facts(vec![], vec![]);
    f.looked = vec![
        Looked {
            place: LogSource::File {
                path: "/p/ar-error.log".into(),
                why: "pm2's error log".into(),
            },
            read: Loaded::Invalid("No such file or directory (os error 2)".into()),
        },
        Looked {
            place: LogSource::Journal {
                unit: "ar.service".into(),
                user_uid: None,
            },
            read: Loaded::Invalid("journalctl is not installed".into()),
        },
    ];
    let d = diagnose(&f);
    assert_eq!(d.status, Status::Skip);
    assert_eq!(
        d.summary,
        "skipped: no listener log could be read; looked at /p/ar-error.log (pm2's error log): No \
            such file or directory (os error 2); the journal of ar.service: journalctl is not \
            installed"
    );
    // Where it looked is for -v and JSON only: a person reads that no log could be read.
    assert_eq!(d.summary.brief(), "skipped: no listener log could be read");
    // Issue 39: a log the doctor may not read says as whom it could (a person reads that).
    f.looked[0].read = Loaded::Denied("Permission denied (os error 13)".into());
    // Recorded as schema 1 has it (`result`, `denied`), and read back the same.
    for l in &f.looked {
        let json = serde_json::to_value(l).unwrap();
        assert!(json["result"].is_string(), "{json}");
        assert_eq!(&serde_json::from_value::<Looked>(json).unwrap(), l);
    }
    assert_eq!(serde_json::to_value(&f.looked[0]).unwrap()["denied"], true);
    assert_eq!(
        diagnose(&f).summary.brief(),
        "skipped: no listener log could be read; run the doctor as root (or as the listener's user) to read it"
    );
    f.looked.clear();
    assert!(diagnose(&f)
        .summary
        .contains("no log of listener pid 42 is known"));
    f.listener_pid = None;
    assert!(diagnose(&f)
        .summary
        .contains("no listener is running and listener.json names no log_file"));
}

// Unix paths (`/`-joined): Unix only (the Windows unit tests run on GitHub and under Wine).
#[cfg(unix)]
#[test]
fn places_follow_the_contracts_order() {
    let pm2 = Supervisor::Pm2 {
        name: "ar".into(),
        id: None,
        pm2_home: None,
        out_log: Some("/p/ar-out.log".into()),
        err_log: Some("/p/ar-error.log".into()),
        bin: None,
    };
    let files = |p: Vec<LogSource>| -> Vec<String> {
        p.into_iter()
            .map(|p| match p {
                LogSource::File { path, .. } => path.display().to_string(),
                LogSource::Journal { unit, user_uid } => format!("journal {unit} {user_uid:?}"),
            })
            .collect()
    };
    // listener.json's log_file wins over everything.
    assert_eq!(
        files(places(
            Some("/var/log/ar.log"),
            Some(&pm2),
            Some("/w".into())
        )),
        ["/var/log/ar.log"]
    );
    assert_eq!(
        files(places(Some("  "), Some(&pm2), Some("/w".into()))),
        ["/p/ar-error.log", "/p/ar-out.log"]
    );
    let unit = Supervisor::SystemdUser {
        unit: "ar.service".into(),
        uid: Some(1000),
        lingering: Some(true),
    };
    assert_eq!(
        files(places(None, Some(&unit), None)),
        ["journal ar.service Some(1000)"]
    );
    let sys = Supervisor::SystemdSystem {
        unit: "ar.service".into(),
    };
    assert_eq!(
        files(places(None, Some(&sys), None)),
        ["journal ar.service None"]
    );
    let nohup = Supervisor::Terminal {
        via: "nohup".into(),
        nohup_out: Some("/h/nohup.out".into()),
    };
    assert_eq!(files(places(None, Some(&nohup), None)), ["/h/nohup.out"]);
    // Nothing known: nohup.out in its working directory, if it has one.
    assert_eq!(
        files(places(None, Some(&Supervisor::Unknown), Some("/w".into()))),
        ["/w/nohup.out"]
    );
    assert!(places(None, None, None).is_empty());
}

#[test]
fn a_finding_says_when_its_time_is_unknown_or_read_in_a_zone() {
    let mut h = hit("REVOKED", 2, None);
    h.unknown_time = 2;
    h.last_at = None;
    let d = diagnose(&facts(vec![log("/p/ar-error.log", 10)], vec![h.clone()]));
    assert!(
        d.findings[0]
            .message
            .contains("twice in the last 24 h at a time the log does not give")
            || d.findings[0]
                .message
                .contains("2 times in the last 24 h at a time the log does not give"),
        "{}",
        d.findings[0].message
    );
    h.unknown_time = 1;
    h.last_at = Some(NOW - 120);
    h.zoneless = true;
    let d = diagnose(&facts(vec![log("/p/ar-error.log", 10)], vec![h]));
    let m = &d.findings[0].message;
    assert!(
        m.contains("(1 of them at a time the log does not give)"),
        "{m}"
    );
    assert!(
        m.contains("(times without a zone read in UTC (this system's zone))"),
        "{m}"
    );
}
