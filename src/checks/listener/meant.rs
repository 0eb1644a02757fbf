//! What was meant to keep the listener running, and how it says the listener ended: pm2's apps,
//! systemd's units, a terminal's `nohup.out`, each turned into one shape (`Meant`) the rules
//! read. `from_pm2`, `from_unit` and `from_nohup` are pure (tests feed them recorded answers);
//! `ask` asks, and only when something may be wrong: no listener runs, or one is young (up less
//! than `YOUNG_SECS`) under a supervisor that could have restarted it.

use serde::{Deserialize, Serialize};
use std::path::Path;

pub use crate::model::crash::Exit;
use crate::probes::containers::Exited;
use crate::probes::launchctl::JobState;
use crate::probes::npm::NpmPackage;
use crate::probes::pm2::App;
use crate::probes::processes::ListenerProc;
use crate::probes::services::Unit;
use crate::probes::supervision::Supervisor;
use crate::probes::systemd::UnitState;
use crate::probes::users::UserInfo;

/// A listener up for less than this may be between two crashes: what runs it is asked.
pub const YOUNG_SECS: u64 = 60;
/// The last lines quoted from a log.
pub const LAST_WORDS: usize = 12;

/// Where the listener stands as what runs it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// A run is up now.
    Up,
    /// Between two runs: it exited and will be started again.
    Restarting,
    /// Stopped on purpose (`pm2 stop`, `systemctl stop`) or ended cleanly: nothing restarts it.
    Stopped,
    /// It gave up: exited with an error, was killed, or hit its restart limit.
    Failed,
    /// pm2's daemon is not running: its saved list says the app, nothing runs it.
    DaemonDown,
    /// A listener started by hand ended (its output, `nohup.out`, is all that is left).
    Ended,
}

/// Whether it starts at boot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "at_boot", content = "why")]
pub enum AtBoot {
    Yes,
    /// Nothing starts it at boot, and why ("the unit is disabled").
    No(String),
    /// Cannot be said (a terminal, a recorded answer without it).
    Unknown,
}

/// One thing meant to run the listener, and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meant {
    /// Which supervisor, with what its remedies need (its name, PM2_HOME…).
    pub supervisor: Supervisor,
    /// Whose it is: its remedies run as this user.
    pub user: UserInfo,
    pub state: State,
    /// The supervisor's own words for its state: "errored", "failed (exit-code)".
    pub said: String,
    /// How many times it was started again (pm2's restart_time, systemd's NRestarts).
    pub restarts: Option<u64>,
    /// It is started again when it exits (pm2's autorestart, systemd's `Restart=`).
    pub restarts_on_exit: bool,
    pub exit: Exit,
    /// When its state last changed (the last run's start for a run that is up).
    #[serde(
        serialize_with = "crate::time_util::ser_rfc3339_opt",
        deserialize_with = "crate::time_util::de_rfc3339_opt",
        default
    )]
    pub since: Option<i64>,
    pub boot: AtBoot,
    /// Its last lines (cleaned, secrets masked, each cut), oldest first.
    pub last_words: Vec<String>,
    /// Where the last words come from (a file, a journal).
    pub log: Option<String>,
    /// How it was asked ("pm2 jlist", "dump.pm2", "systemctl show").
    pub asked: String,
    /// The listener's program as it is run (pm2's script, the unit's ExecStart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    /// The npm package that program belongs to (what to install again when it is broken).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<NpmPackage>,
}

impl Meant {
    /// What happened at `since`, for the timeline: "pm2 app ar (alice): the listener exited
    /// (code 1), 15 restarts, now errored".
    pub fn event(&self) -> String {
        let how = match (&self.exit.signal, self.exit.code) {
            (Some(sig), _) => format!(" (killed by {sig})"),
            (None, Some(c)) => format!(" (code {c})"),
            (None, None) => String::new(),
        };
        let restarts = match self.restarts {
            Some(n) if n > 0 => format!(", {n} restarts"),
            _ => String::new(),
        };
        let what = match self.state {
            State::Up if self.restarts.unwrap_or(0) > 0 => {
                format!("started the listener again{restarts}; the run before exited{how}")
            }
            State::Up => "started the listener".to_string(),
            State::DaemonDown => {
                "the listener last started (its saved state; pm2's daemon is not running now)"
                    .to_string()
            }
            State::Ended => "the listener started by hand wrote its last line".to_string(),
            _ => format!("the listener exited{how}{restarts}, now {}", self.said),
        };
        format!("{} ({}): {what}", self.supervisor.words(), self.user.name)
    }
}

/// `text` as a quoted line: cleaned, secrets masked before the cut.
fn words(text: &str) -> String {
    crate::sanitize::outside(text, 200)
}

/// The last lines of `lines` that say something (not empty, not a stack frame `    at f
/// (file:1:2)`: the error they follow is what a person reads), cleaned: from the last error on
/// (a log of many crashes quotes the last one once), at most `LAST_WORDS`.
pub fn last_words<S: AsRef<str>>(lines: &[S]) -> Vec<String> {
    let kept: Vec<&str> = lines
        .iter()
        .map(|l| l.as_ref())
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with("at "))
        .collect();
    let last_error = kept
        .iter()
        .rposition(|l| crate::model::crash::is_error_line(l))
        .unwrap_or(0);
    kept[last_error.max(kept.len().saturating_sub(LAST_WORDS))..]
        .iter()
        .map(|l| words(l))
        .collect()
}

/// A signal's name from its number (the common ones; else "signal N").
pub fn signal_name(n: i64) -> String {
    let name = match n {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => return format!("signal {n}"),
    };
    name.to_string()
}

/// A pm2 app as `Meant`. `daemon_up`: asked of its running daemon (else read from dump.pm2);
/// `saved`: dump.pm2 lists it; `at_boot`: `pm2 startup` set pm2 to start at boot (None where
/// no init pm2 knows runs: a container).
pub fn from_pm2(
    app: &App,
    home: &Path,
    user: &UserInfo,
    daemon_up: bool,
    saved: bool,
    at_boot: Option<bool>,
) -> Meant {
    let state = match (daemon_up, app.status.as_str()) {
        (false, _) => State::DaemonDown,
        (true, "online") => State::Up,
        (true, "launching" | "waiting restart") => State::Restarting,
        (true, "errored") => State::Failed,
        (true, "stopped") if app.exit_code.is_some_and(|c| c != 0) => State::Failed,
        _ => State::Stopped,
    };
    Meant {
        supervisor: Supervisor::Pm2 {
            name: app.name.clone(),
            id: app.id.map(|i| i.to_string()),
            pm2_home: Some(home.display().to_string()),
            out_log: app.out_log.clone(),
            err_log: app.err_log.clone(),
            bin: None,
        },
        user: user.clone(),
        state,
        said: app.status.clone(),
        restarts: Some(app.restarts),
        restarts_on_exit: app.autorestart,
        exit: Exit {
            code: app.exit_code,
            ..Exit::default()
        },
        since: app.since,
        boot: match (saved, at_boot) {
            (true, Some(true)) => AtBoot::Yes,
            (true, None) => AtBoot::Unknown,
            (false, _) => AtBoot::No(format!(
                "pm2's saved list ({}) does not have it (`pm2 save` was not run since it was started)",
                home.join("dump.pm2").display()
            )),
            (true, Some(false)) => AtBoot::No(
                "pm2 itself is not started at boot (`pm2 startup` was not run)".into(),
            ),
        },
        last_words: vec![],
        log: app.err_log.clone(),
        asked: if daemon_up {
            "pm2 jlist".into()
        } else {
            format!("{} (pm2's daemon is not running)", home.join("dump.pm2").display())
        },
        script: Some(app.script.clone()).filter(|s| !s.is_empty()),
        package: None,
    }
}

/// A systemd unit's answer as `Meant`.
pub fn from_unit(unit: &Unit, st: &UnitState, user: &UserInfo) -> Meant {
    Meant {
        supervisor: if unit.user {
            Supervisor::SystemdUser {
                unit: unit.name.clone(),
                uid: Some(user.uid),
                lingering: None,
            }
        } else {
            Supervisor::SystemdSystem {
                unit: unit.name.clone(),
            }
        },
        user: user.clone(),
        state: unit_state(st),
        said: match st.sub_state.as_str() {
            s if s.is_empty() || s == st.active_state => st.active_state.clone(),
            s => format!("{} ({s})", st.active_state),
        },
        restarts: st.restarts,
        restarts_on_exit: !st.restart.is_empty() && st.restart != "no",
        exit: unit_exit(st),
        since: st.changed_at.or(st.exited_at),
        boot: match st.unit_file_state.as_str() {
            "enabled" | "enabled-runtime" | "static" | "alias" | "indirect" | "generated" => {
                AtBoot::Yes
            }
            "" => AtBoot::Unknown,
            other => AtBoot::No(format!("the unit is {other}")),
        },
        last_words: vec![],
        log: Some(format!(
            "journalctl{} -u {}",
            if unit.user { " --user" } else { "" },
            unit.name
        )),
        asked: "systemctl show".into(),
        script: unit
            .exec_start
            .iter()
            .find(|w| {
                Path::new(w)
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("agent-rooms"))
            })
            .cloned(),
        package: None,
    }
}

/// A unit's state as systemd says it: up, restarting, failed or stopped.
fn unit_state(st: &UnitState) -> State {
    match (st.active_state.as_str(), st.sub_state.as_str()) {
        ("active" | "reloading", _) => State::Up,
        ("activating", "auto-restart") => State::Restarting,
        ("activating", _) => State::Up,
        ("failed", _) => State::Failed,
        _ => State::Stopped,
    }
}

/// How the unit's main process ended: its exit status, or the signal that killed it (systemd's
/// ExecMainCode 2 and 3), and the unit's result when it is not success.
fn unit_exit(st: &UnitState) -> Exit {
    let killed = matches!(st.main_code, Some(2 | 3));
    Exit {
        code: st.main_status.filter(|_| !killed).map(i64::from),
        signal: st.main_status.filter(|_| killed).map(|n| signal_name(n.into())),
        result: Some(st.result.clone()).filter(|r| !r.is_empty() && r != "success"),
    }
}

/// A launchd job's answer as `Meant` (`stderr`: its plist's StandardErrorPath).
pub fn from_launchd(label: &str, st: &JobState, user: &UserInfo, stderr: Option<&str>) -> Meant {
    // "Killed: 9": the signal's number after the colon.
    let signal = st.signal.as_deref().map(|s| {
        s.rsplit(':')
            .next()
            .and_then(|n| n.trim().parse::<i64>().ok())
            .map_or_else(|| s.to_string(), signal_name)
    });
    let failed = signal.is_some() || st.last_exit.is_some_and(|c| c != 0);
    let state = match st.state.as_str() {
        "running" => State::Up,
        _ if failed => State::Failed,
        _ => State::Stopped,
    };
    Meant {
        supervisor: Supervisor::Launchd {
            label: label.to_string(),
        },
        user: user.clone(),
        state,
        said: st.state.clone(),
        restarts: st.runs.map(|r| r.saturating_sub(1)),
        restarts_on_exit: false,
        exit: Exit {
            code: st.last_exit,
            signal,
            result: None,
        },
        since: None,
        boot: AtBoot::Unknown,
        last_words: vec![],
        log: stderr.map(str::to_string),
        asked: "launchctl print".into(),
        script: None,
        package: None,
    }
}

/// An exited container's answer as `Meant` (`lines`: its last lines, from `RUNTIME logs`).
pub fn from_container(c: &Exited, lines: &[String], user: &UserInfo) -> Meant {
    // An exit status over 128 is the signal's number plus 128 (137: SIGKILL).
    let signal = (c.exit_code > 128 && c.exit_code < 160).then(|| signal_name(c.exit_code - 128));
    Meant {
        supervisor: Supervisor::Container {
            runtime: c.runtime,
            id: Some(c.id.clone()),
        },
        user: user.clone(),
        state: if c.exit_code != 0 || c.oom_killed {
            State::Failed
        } else {
            State::Stopped
        },
        said: "exited".into(),
        restarts: Some(c.restarts),
        restarts_on_exit: !c.restart_policy.is_empty() && c.restart_policy != "no",
        exit: Exit {
            code: Some(c.exit_code),
            signal,
            result: c.oom_killed.then(|| "OOMKilled".to_string()),
        },
        since: c.finished_at,
        boot: AtBoot::Unknown,
        last_words: last_words(lines),
        log: Some(format!("{} logs {}", c.runtime, c.id)),
        asked: format!("{} inspect", c.runtime),
        script: None,
        package: None,
    }
}

/// A `nohup.out` whose last lines are what a listener started by hand wrote before it ended.
pub fn from_nohup(path: &Path, lines: &[String], modified: Option<i64>, user: &UserInfo) -> Meant {
    Meant {
        supervisor: Supervisor::Terminal {
            via: "nohup".into(),
            nohup_out: Some(path.display().to_string()),
        },
        user: user.clone(),
        state: State::Ended,
        said: "ended".into(),
        restarts: None,
        restarts_on_exit: false,
        exit: Exit::default(),
        since: modified,
        boot: AtBoot::Unknown,
        last_words: last_words(lines),
        log: Some(path.display().to_string()),
        asked: "nohup.out".into(),
        script: None,
        package: None,
    }
}

/// What was asked, and what could not be.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asked {
    pub meant: Vec<Meant>,
    /// What could not be asked, and why ("systemd is not running here").
    pub unasked: Vec<String>,
}

/// Is this listener worth asking about (young, under a supervisor that restarts)?
pub fn worth_asking(l: &ListenerProc) -> bool {
    l.uptime_secs < YOUNG_SECS
        && matches!(
            l.supervisor,
            Supervisor::Pm2 { .. }
                | Supervisor::SystemdSystem { .. }
                | Supervisor::SystemdUser { .. }
        )
}
