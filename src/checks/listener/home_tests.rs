//! The home rules' tests (home.rs), on the listener check's facts built by hand.

use super::super::diagnose;
use super::super::tests::{codes, facts, proc};
use crate::install::{HomeChoice, Loaded};
use crate::model::outcome::Status;

/// Issue 39: `--home` given config.json's path said "agent-rooms is not set up here"; it says
/// --home names a file and gives the directory that holds it.
#[test]
fn a_home_that_is_a_file_names_the_directory_that_holds_it() {
    let mut f = facts(vec![], Loaded::Missing);
    f.home = HomeChoice {
        path: Some("/home/alice/.config/agent-rooms/config.json".into()),
        why: "named by --home".into(),
    };
    f.nothing_set_up = Some("agent-rooms is not set up here: … is a file, not a directory".into());
    f.home_is_file = true;
    let d = diagnose(&f);
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Fail, vec!["HOME_NOT_FOUND"])
    );
    assert_eq!(
        d.findings[0].message.to_string(),
        "/home/alice/.config/agent-rooms/config.json (named by --home) is a file: --home takes the \
            directory that holds config.json, device.json and listener.json (/home/alice/.config/agent-rooms here)"
    );
    assert_eq!(
        d.findings[0].remedy.commands[0].line,
        "agent-rooms-doctor --home /home/alice/.config/agent-rooms"
    );
    f.home_is_file = false;
    assert!(diagnose(&f).findings[0]
        .message
        .starts_with("no agent-rooms home at "));
}

/// Issue 39: a home out of the doctor's reach (`--home /root/.config/agent-rooms` as a normal
/// user) is NOT_READABLE with the doctor as root on it, never "not set up here"; listener.json
/// it may not read is NOT_READABLE, never CONFIG_INVALID.
#[test]
fn a_home_or_state_file_the_doctor_may_not_read_is_not_readable() {
    let mut f = facts(vec![], Loaded::Missing);
    f.home = HomeChoice {
        path: Some("/root/.config/agent-rooms".into()),
        why: "named by --home".into(),
    };
    f.nothing_set_up = Some("the doctor may not look at /root/.config/agent-rooms: …".into());
    f.home_denied = true;
    let d = diagnose(&f);
    assert_eq!((d.status, codes(&d)), (Status::Fail, vec!["NOT_READABLE"]));
    assert!(d.findings[0].remedy.commands[0]
        .line
        .ends_with("agent-rooms-doctor --home /root/.config/agent-rooms"));
    let mut f = facts(
        vec![proc(42, 1000, "alice")],
        Loaded::Denied("/h/listener.json cannot be read by the doctor: Permission denied".into()),
    );
    f.home_denied = false;
    assert_eq!(codes(&diagnose(&f)), vec!["NOT_READABLE"]);
}
