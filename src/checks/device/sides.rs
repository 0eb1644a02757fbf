//! Do the two sides agree? (CONTRACT §1.) The server's `last_seen_at` is when it last heard from
//! this device's listener (at least every 60 s while its connection is open); the listener
//! writes whether it is connected into listener.json. A listener that says it is connected while
//! the server has not heard from it for over 5 minutes is LISTENER_UNSEEN; a device the server
//! heard from in the last 2 minutes while no listener of this agent runs here, after this home's
//! last heartbeat, is DEVICE_ACTIVE_ELSEWHERE. Times on the server's clock are brought to this
//! machine's by the skew measured on the lookup's own answer.

use serde::{Deserialize, Serialize};

use crate::install::STALE_AFTER_SECS;
use crate::model::catalogue as codes;
use crate::model::command::Command;
use crate::model::outcome::{Finding, Status};
use crate::model::text::Text;
use crate::probes::supervision::Supervisor;
use crate::probes::users::UserInfo;
use crate::supervisors::{self, Elevation, Listener};
use crate::time_util::{ago, parse_rfc3339};

/// Past this, the server not hearing from a connected listener is no lag (it hears at least
/// every 60 s).
pub const UNSEEN_AFTER_SECS: i64 = 5 * 60;
/// Within this, the server heard from the device just now.
pub const RECENT_SECS: i64 = 2 * 60;
/// A listener that stopped is heard by the server until it goes: a `last_seen_at` up to this
/// long after its last heartbeat (written every 30 s) is that listener, not another one.
pub const AFTER_HEARTBEAT_SECS: i64 = 60;
/// A `last_seen_at` up to this far after now on this machine's clock is a tick of the clocks;
/// past it, the answer contradicts its own Date and says nothing.
pub const AHEAD_TOLERANCE_SECS: i64 = 60;

/// This agent's side, as this machine shows it: its running listeners and what listener.json says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Here {
    /// This agent's running listeners (none: nothing of it runs here).
    pub listeners: Vec<HereListener>,
    /// Whether every process could be seen (no `hidepid`, no error): without it, "none runs
    /// here" is not known.
    pub all_visible: bool,
    pub heartbeat_at: Option<String>,
    pub connected: Option<bool>,
    /// The proxy variables the listener reaches the API through, credentials masked.
    pub proxy: Vec<String>,
    /// Who runs the doctor and how it may act as another user (for the restart's command).
    pub me: UserInfo,
    pub elevation: Elevation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HereListener {
    pub pid: u32,
    pub user: UserInfo,
    pub supervisor: Supervisor,
}

/// The two sides compared: a finding when they disagree. `now` is this machine's clock when the
/// facts were gathered, `skew` this machine's clock less the server's.
pub fn compare(
    here: &Here,
    device: &str,
    last_seen_at: Option<&str>,
    now: i64,
    skew: i64,
) -> Option<(Status, Finding)> {
    // The server's time on this machine's clock.
    let seen = last_seen_at.and_then(parse_rfc3339).map(|t| t + skew);
    let beat = here.heartbeat_at.as_deref().and_then(parse_rfc3339);
    let clock = match skew {
        s if s.abs() > 1 => format!(
            " (on this machine's clock: the server's runs {} {})",
            ago(s.abs()),
            if s > 0 { "behind" } else { "ahead" }
        ),
        _ => String::new(),
    };
    match here.listeners.first() {
        Some(l) => {
            let beat =
                beat.filter(|b| now - b <= STALE_AFTER_SECS && here.connected == Some(true))?;
            let heard = match seen {
                Some(s) if beat - s <= UNSEEN_AFTER_SECS => return None,
                Some(s) => format!(
                    "last heard from {device} at {} ({} before that heartbeat){clock}",
                    last_seen_at.unwrap_or_default(),
                    ago(beat - s)
                ),
                None => format!("has never heard from {device}"),
            };
            Some(unseen(here, l, &heard, now - beat))
        }
        None if here.all_visible => active_elsewhere(here, device, last_seen_at, seen?, now, &clock),
        None => None,
    }
}

/// No listener of this agent runs here, but the server heard from the device lately (at `seen`,
/// on this machine's clock), after this home's last heartbeat: DEVICE_ACTIVE_ELSEWHERE.
fn active_elsewhere(
    here: &Here,
    device: &str,
    last_seen_at: Option<&str>,
    seen: i64,
    now: i64,
    clock: &str,
) -> Option<(Status, Finding)> {
    // After now (past a moment), the answer contradicts its own Date: nothing to say.
    let s = Some(seen).filter(|s| now - s <= RECENT_SECS && s - now <= AHEAD_TOLERANCE_SECS)?;
    let beat = here.heartbeat_at.as_deref().and_then(parse_rfc3339);
    if beat.is_some_and(|b| s <= b + AFTER_HEARTBEAT_SECS) {
        return None;
    }
    let last = match (&here.heartbeat_at, beat) {
        (Some(raw), Some(b)) => format!("this home's last heartbeat is {raw} ({} ago)", ago(now - b)),
        _ => "this home has no heartbeat".into(),
    };
    let message = Text::headed(
        format!(
            "the server heard from {device} {} ago, but no listener of this agent runs here",
            ago((now - s).max(0))
        ),
        format!(
            "the server last heard from {device} at {}{clock}; {last}: another machine, a \
            container or a copy of this home is using this device's identity and takes its work",
            last_seen_at.unwrap_or_default()
        ),
    );
    Some((Status::Warn, Finding::new(codes::DEVICE_ACTIVE_ELSEWHERE, message)))
}

/// LISTENER_UNSEEN for the listener `l`, whose heartbeat is `beat_age` seconds old.
fn unseen(here: &Here, l: &HereListener, heard: &str, beat_age: i64) -> (Status, Finding) {
    let who = format!("listener pid {} ({})", l.pid, l.user.name);
    let through = match here.proxy.as_slice() {
        [] => "a VPN or NAT between it and the API".to_string(),
        p => format!(
            "the proxy it reaches the API through ({}), or a VPN or NAT",
            p.join(", ")
        ),
    };
    let (step, cmds) = supervisors::restart(
        &l.supervisor,
        &Listener {
            pid: l.pid,
            user: &l.user,
            me: &here.me,
            how: here.elevation.clone(),
        },
    );
    let finding = Finding::new(
        codes::LISTENER_UNSEEN,
        Text::headed(
            format!("the server has not heard from {who}"),
            format!(
                "it says it is connected (heartbeat {} ago in listener.json), but the server {heard}",
                ago(beat_age)
            ),
        ),
    )
    .with_step_first(format!(
        "Restart the listener so it connects anew. {step} If the server loses it again, look at \
            {through}: something drops its connection without telling it."
    ))
    .with_commands(cmds.into_iter().map(Command::shown).collect());
    (Status::Fail, finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time_util::parse_rfc3339;

    const NOW: &str = "2026-12-07T12:00:00Z";

    fn at(secs_before_now: i64) -> String {
        let t = parse_rfc3339(NOW).unwrap() - secs_before_now;
        time::OffsetDateTime::from_unix_timestamp(t)
            .unwrap()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    }

    fn alice() -> UserInfo {
        UserInfo {
            uid: 1000,
            name: "alice".into(),
            home: None,
        }
    }

    fn here(running: bool, heartbeat: Option<i64>, connected: Option<bool>) -> Here {
        Here {
            listeners: if running {
                vec![HereListener {
                    pid: 42,
                    user: alice(),
                    supervisor: Supervisor::Pm2 {
                        name: "agent-rooms".into(),
                        id: Some("0".into()),
                        pm2_home: None,
                        out_log: None,
                        err_log: None,
                        bin: None,
                    },
                }]
            } else {
                vec![]
            },
            all_visible: true,
            heartbeat_at: heartbeat.map(at),
            connected,
            proxy: vec![],
            me: alice(),
            elevation: Elevation::default(),
        }
    }

    /// The finding of `here` against a server that last heard from the device `seen` seconds
    /// before now (on its clock), whose clock is `server_behind` seconds behind this machine's.
    fn judged(h: &Here, seen: Option<i64>, server_behind: i64) -> Option<(Status, String, String)> {
        let now = parse_rfc3339(NOW).unwrap();
        let seen = seen.map(|s| at(s + server_behind));
        compare(h, "dev_1", seen.as_deref(), now, server_behind)
            .map(|(s, f)| (s, f.code.to_string(), f.message.to_string()))
    }

    #[test]
    fn a_connected_listener_the_server_has_not_heard_from_for_five_minutes_is_unseen() {
        let h = here(true, Some(5), Some(true));
        // Heard 5 s before the heartbeat: fine; 300 s before it: still within; 301 s: unseen.
        assert_eq!(judged(&h, Some(10), 0), None);
        assert_eq!(judged(&h, Some(305), 0), None);
        let (status, code, msg) = judged(&h, Some(306), 0).unwrap();
        assert_eq!((status, code.as_str()), (Status::Fail, "LISTENER_UNSEEN"));
        assert!(
            msg.contains(
                "the server has not heard from listener pid 42 (alice): it says it is connected \
                    (heartbeat 5s ago in listener.json), but the server last heard from dev_1 at \
                    2026-12-07T11:54:54Z (5m 1s before that heartbeat)"
            ),
            "{msg}"
        );
        let (_, code, msg) = judged(&h, Some(3 * 3600), 0).unwrap();
        assert_eq!(code, "LISTENER_UNSEEN");
        assert!(msg.contains("(2h 59m before that heartbeat)"), "{msg}");
        let (_, code, msg) = judged(&h, None, 0).unwrap();
        assert_eq!(code, "LISTENER_UNSEEN");
        assert!(
            msg.ends_with("but the server has never heard from dev_1"),
            "{msg}"
        );
    }

    #[test]
    fn the_servers_clock_three_minutes_off_is_taken_into_account() {
        let h = here(true, Some(5), Some(true));
        // The server's clock runs 180 s behind: it heard from the device 150 s ago by this
        // machine's clock, though its own time reads 330 s before now. Not unseen.
        let now = parse_rfc3339(NOW).unwrap();
        assert_eq!(compare(&h, "dev_1", Some(&at(330)), now, 180), None);
        // Read without the skew, the same answer would have been over five minutes.
        assert!(compare(&h, "dev_1", Some(&at(330)), now, 0).is_some());
        // Its clock 180 s ahead: a time that reads 220 s ago was 400 s ago here: unseen.
        let (_, f) = compare(&h, "dev_1", Some(&at(220)), now, -180).unwrap();
        assert_eq!(f.code, "LISTENER_UNSEEN");
        assert!(
            f.message
                .contains("(on this machine's clock: the server's runs 3m 0s ahead)"),
            "{}",
            &*f.message
        );
        assert_eq!(compare(&h, "dev_1", Some(&at(220)), now, 0), None);
    }

    #[test]
    fn only_a_listener_that_believes_it_is_connected_now_is_held_to_the_server() {
        // Not connected, or a stale heartbeat: the listener check says so; nothing here.
        assert_eq!(judged(&here(true, Some(5), Some(false)), None, 0), None);
        assert_eq!(judged(&here(true, Some(5), None), None, 0), None);
        assert_eq!(judged(&here(true, Some(91), Some(true)), None, 0), None);
        assert!(judged(&here(true, Some(90), Some(true)), None, 0).is_some());
        assert_eq!(judged(&here(true, None, Some(true)), None, 0), None);
    }

    #[test]
    fn the_remedy_restarts_through_the_supervisor_and_names_the_listeners_proxy() {
        let mut h = here(true, Some(5), Some(true));
        h.proxy = vec!["HTTPS_PROXY=http://proxy.corp:3128".into()];
        let now = parse_rfc3339(NOW).unwrap();
        let (_, f) = compare(&h, "dev_1", None, now, 0).unwrap();
        assert_eq!(
            f.remedy.commands,
            vec!["pm2 restart agent-rooms --update-env"]
        );
        let step = &f.remedy.for_person()[0];
        assert!(
            step.contains(
                "the proxy it reaches the API through (HTTPS_PROXY=http://proxy.corp:3128), or a VPN or NAT"
            ),
            "{step}"
        );
    }

    #[test]
    fn a_device_the_server_heard_from_just_now_with_no_listener_here_is_active_elsewhere() {
        // No listener here, no heartbeat: heard 60 s ago → elsewhere; 120 s: still; 121 s: no.
        let h = here(false, None, None);
        let (status, code, msg) = judged(&h, Some(60), 0).unwrap();
        assert_eq!(
            (status, code.as_str()),
            (Status::Warn, "DEVICE_ACTIVE_ELSEWHERE")
        );
        assert!(
            msg.starts_with(
                "the server heard from dev_1 1m 0s ago, but no listener of this agent runs here"
            ),
            "{msg}"
        );
        assert!(msg.contains("this home has no heartbeat"), "{msg}");
        assert!(judged(&h, Some(120), 0).is_some());
        assert_eq!(judged(&h, Some(121), 0), None);
        // A listener that stopped a minute ago explains it: heard at most 60 s after its last
        // heartbeat. Heard 61 s after it, from somewhere else.
        assert_eq!(
            judged(&here(false, Some(90), Some(true)), Some(30), 0),
            None
        );
        assert!(judged(&here(false, Some(100), Some(true)), Some(39), 0).is_some());
        // Where not every process can be seen, "none runs here" is not known.
        let mut hidden = here(false, None, None);
        hidden.all_visible = false;
        assert_eq!(judged(&hidden, Some(10), 0), None);
        // A time after now by this machine's clock (a last_seen_at its own Date contradicts)
        // says nothing: within a minute is a tick, past it nothing.
        let now = parse_rfc3339(NOW).unwrap();
        assert!(compare(&h, "dev_1", Some(&at(-60)), now, 0).is_some());
        assert_eq!(compare(&h, "dev_1", Some(&at(-61)), now, 0), None);
        assert_eq!(
            compare(&h, "dev_1", Some(&at(0)), now, -3 * 365 * 86400),
            None
        );
        // The skew: the server 3 minutes behind says 200 s ago, which was 20 s ago here.
        assert!(compare(&h, "dev_1", Some(&at(200)), now, 180).is_some());
        assert_eq!(compare(&h, "dev_1", Some(&at(200)), now, 0), None);
    }
}
