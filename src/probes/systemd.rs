//! systemd as it answers about a unit: `systemctl show` (its state, how its main process last
//! ended, its restarts, whether it starts at boot) and its last journal lines (`journalctl -u
//! NAME -o cat`). Asked as the unit's user for a user unit. `parse_show` reads recorded answers
//! (tests/data/systemd) as well as live ones; nothing here judges.

use serde::{Deserialize, Serialize};
use std::time::Duration;

use super::command::{self, AsUser};

/// The properties asked, in `systemctl show -p` form.
pub const PROPS: &str = concat!(
    "Id,ActiveState,SubState,Result,ExecMainStatus,ExecMainCode,ExecMainStartTimestamp,",
    "ExecMainExitTimestamp,NRestarts,UnitFileState,Restart,MainPID,StateChangeTimestamp"
);

/// A unit's state as `systemctl show` says it (empty where it said nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitState {
    pub id: String,
    /// active, activating, deactivating, inactive, failed.
    pub active_state: String,
    /// running, auto-restart, dead, failed, exited…
    pub sub_state: String,
    /// success, exit-code, signal, core-dump, oom-kill, start-limit-hit, timeout…
    pub result: String,
    /// ExecMainCode: 1 exited, 2 killed, 3 dumped (siginfo's CLD_*).
    pub main_code: Option<i32>,
    /// ExecMainStatus: the exit status, or the signal's number when killed.
    pub main_status: Option<i32>,
    pub restarts: Option<u64>,
    /// enabled, disabled, static, masked, linked…
    pub unit_file_state: String,
    /// `Restart=`: no, on-failure, always…
    pub restart: String,
    pub main_pid: Option<u32>,
    /// When the main process last started and exited, seconds since the epoch.
    pub started_at: Option<i64>,
    pub exited_at: Option<i64>,
    pub changed_at: Option<i64>,
}

/// Is systemd the init here (`/run/systemd/system` exists, as sd_booted() asks)?
pub fn running() -> bool {
    std::path::Path::new("/run/systemd/system").is_dir()
}

/// `systemctl show`'s `Key=value` lines (asked with `--timestamp=unix`: times are `@SECONDS`).
pub fn parse_show(text: &str) -> UnitState {
    let mut u = UnitState::default();
    for line in text.lines() {
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let v = v.trim();
        let time = || v.strip_prefix('@').and_then(|s| s.parse::<i64>().ok());
        match k {
            "Id" => u.id = v.into(),
            "ActiveState" => u.active_state = v.into(),
            "SubState" => u.sub_state = v.into(),
            "Result" => u.result = v.into(),
            "ExecMainCode" => u.main_code = v.parse().ok(),
            "ExecMainStatus" => u.main_status = v.parse().ok(),
            "NRestarts" => u.restarts = v.parse().ok(),
            "UnitFileState" => u.unit_file_state = v.into(),
            "Restart" => u.restart = v.into(),
            "MainPID" => u.main_pid = v.parse().ok().filter(|p| *p > 0),
            "ExecMainStartTimestamp" => u.started_at = time(),
            "ExecMainExitTimestamp" => u.exited_at = time(),
            "StateChangeTimestamp" => u.changed_at = time(),
            _ => {}
        }
    }
    u
}

/// The `systemctl` or `journalctl` words for a unit: `--user` for a user unit, and for another
/// user's, through that user's manager (`-M USER@`) asked by root.
fn scope(user_unit: bool, owner: Option<&AsUser>) -> Vec<String> {
    match (user_unit, owner) {
        (false, _) => vec![],
        (true, None) => vec!["--user".into()],
        (true, Some(u)) => vec!["--user".into(), "-M".into(), format!("{}@", u.name)],
    }
}

/// `systemctl [--user] show NAME` (None for `owner`: the doctor's own unit, or a system one).
pub async fn show(
    unit: &str,
    user_unit: bool,
    owner: Option<&AsUser>,
    limit: Duration,
) -> Result<UnitState, String> {
    let mut argv: Vec<String> = vec!["systemctl".into()];
    argv.extend(scope(user_unit, owner));
    argv.extend(
        ["show", unit, "--timestamp=unix", "-p", PROPS]
            .iter()
            .map(|s| s.to_string()),
    );
    let out = command::run_argv(&argv, &[], None, limit, 64 * 1024).await;
    command::answered(out, &format!("systemctl show {unit}")).map(|o| parse_show(&o))
}

/// The unit's last `n` journal lines, as written (`-o cat`); none when journalctl cannot say.
pub async fn journal(
    unit: &str,
    user_unit: bool,
    owner: Option<&AsUser>,
    n: usize,
    limit: Duration,
) -> Vec<String> {
    let mut argv: Vec<String> = vec!["journalctl".into()];
    argv.extend(scope(user_unit, owner));
    let n = n.to_string();
    argv.extend(
        [
            "-u",
            unit,
            "-n",
            n.as_str(),
            "-o",
            "cat",
            "--no-pager",
            "-q",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let out = command::run_argv(&argv, &[], None, limit, 256 * 1024).await;
    command::answered(out, "journalctl")
        .map(|o| o.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded(name: &str) -> UnitState {
        let p = format!(
            "{}/tests/data/systemd/{name}.show",
            env!("CARGO_MANIFEST_DIR")
        );
        parse_show(&std::fs::read_to_string(p).unwrap())
    }

    #[test]
    fn reads_recorded_answers() {
        let u = recorded("ar-limit");
        assert_eq!(u.id, "ar-limit.service");
        assert_eq!(
            (u.active_state.as_str(), u.result.as_str()),
            ("failed", "exit-code")
        );
        assert_eq!(
            (u.main_code, u.main_status, u.restarts),
            (Some(1), Some(1), Some(5))
        );
        assert_eq!(u.restart, "on-failure");
        assert_eq!(u.main_pid, None);
        assert!(u.exited_at.is_some_and(|t| t > 1_700_000_000));
        let k = recorded("ar-kill");
        assert_eq!(
            (k.result.as_str(), k.main_code, k.main_status),
            ("signal", Some(2), Some(9))
        );
        let up = recorded("ar-loop-up");
        assert_eq!(up.active_state, "active");
        assert!(up.main_pid.is_some());
        assert_eq!(up.exited_at, None, "an empty timestamp is none");
        assert_eq!(recorded("ar-startlimit").result, "start-limit-hit");
        assert_eq!(recorded("ar-203").main_status, Some(203));
        assert_eq!(parse_show("garbage\n=\nNRestarts=x"), UnitState::default());
    }

    #[test]
    fn another_users_unit_is_asked_through_her_manager() {
        let alice = AsUser {
            uid: 1000,
            gid: 1000,
            name: "alice".into(),
            home: None,
        };
        assert_eq!(scope(true, Some(&alice)), ["--user", "-M", "alice@"]);
        assert_eq!(scope(true, None), ["--user"]);
        assert!(scope(false, Some(&alice)).is_empty());
    }
}
