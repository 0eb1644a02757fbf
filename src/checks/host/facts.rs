//! What the host check gathers: the facts its gather fills and its diagnosis and verdict read.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

use crate::hosts::{HostCheck, HostSpec, KeyVar, LoginState, StoreSetting};
use crate::probes::host_cli::{first_line, CmdResult, CredFile};
use crate::probes::npm::NpmPackage;
use crate::probes::paths::{ProgramKind, Shebang, Unrun};
use crate::probes::supervision::Supervisor;
use crate::probes::users::UserInfo;

/// Longest a status command may take (less when the run's budget is smaller).
pub(super) const STATUS_LIMIT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Facts {
    pub me: UserInfo,
    pub doctor_is_root: bool,
    /// sudo and runuser on this machine, for remedies run as another user.
    pub elevation: crate::supervisors::Elevation,
    /// How the hosts were chosen: named by a setting, or found on PATH.
    pub chosen_by: ChosenBy,
    /// A configured host name that is not a known host.
    pub unknown_host: Option<String>,
    /// config.json (which would name the host) may not be read by the doctor's user.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub config_denied: bool,
    pub hosts: Vec<HostFacts>,
    /// This machine's OS and CPU (`std::env::consts`): which programs it can run. Empty in a
    /// bundle written before it was recorded (then no program is judged by its machine).
    #[serde(default, skip_serializing_if = "Platform::is_unknown")]
    pub platform: Platform,
}

/// How the host CLIs to check were chosen: a setting named one (`--host`, `AGENT_ROOMS_HOST` or
/// a config.json, shown as where it was named), or none did and those found on PATH are checked.
/// Recorded as its words, as schema-1 bundles have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum ChosenBy {
    Named(String),
    FoundOnPath,
}

impl ChosenBy {
    const FOUND_ON_PATH: &'static str = "found on PATH (no --host, no host in config.json)";
}

impl std::fmt::Display for ChosenBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChosenBy::Named(by) => f.write_str(by),
            ChosenBy::FoundOnPath => f.write_str(Self::FOUND_ON_PATH),
        }
    }
}

impl From<String> for ChosenBy {
    fn from(s: String) -> Self {
        if s == Self::FOUND_ON_PATH {
            ChosenBy::FoundOnPath
        } else {
            ChosenBy::Named(s)
        }
    }
}

impl From<ChosenBy> for String {
    fn from(c: ChosenBy) -> String {
        c.to_string()
    }
}

/// An OS and a CPU, as Rust names them ("linux", "x86_64").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Platform {
    pub os: String,
    pub arch: String,
}

impl Platform {
    fn is_unknown(&self) -> bool {
        self.os.is_empty()
    }
    pub fn here() -> Self {
        Platform {
            os: std::env::consts::OS.into(),
            arch: std::env::consts::ARCH.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HostFacts {
    pub name: String,
    pub binary: String,
    /// The host's login command, for a person (the remedy's is built from the host's spec).
    pub login_command: String,
    pub targets: Vec<HostAtRunner>,
}

/// The host CLI as one runner finds it: a running listener, or (with none) the doctor itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HostAtRunner {
    pub user: UserInfo,
    pub is_listener: bool,
    /// What keeps the listener alive (None for the doctor itself), and its pid.
    pub supervisor: Option<Supervisor>,
    /// The doctor stands in for a listener because `--skip listener` looks at none (else none
    /// runs). False for a listener.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skip_listener: bool,
    pub pid: Option<u32>,
    /// The PATH judged, or None when the listener's environment is unreadable.
    pub path: Option<String>,
    pub path_note: String,
    pub found: Option<PathBuf>,
    /// Files named like the host on that PATH that the OS would not run (a dangling link, no
    /// execute bit), in PATH order: with nothing found, the first is what the listener fails on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unrunnable: Vec<Unrun>,
    /// What the file found holds: a script, a program for which machine, a placeholder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ProgramKind>,
    /// The npm package the file found belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<NpmPackage>,
    /// The first line of `INTERPRETER --version`, when the package asks for a node version and
    /// the doctor may run that interpreter (its own, or one only root can change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreter_version: Option<String>,
    pub shadowed: Vec<PathBuf>,
    /// Copies found outside that PATH (the doctor's PATH, usual install places).
    pub elsewhere: Vec<PathBuf>,
    pub shebang: Shebang,
    pub interpreter: Option<PathBuf>,
    pub interpreter_elsewhere: Vec<PathBuf>,
    /// Which of those copies only root can change (`files::only_root_can_change`): the ones
    /// root may link into a system directory without asking.
    pub root_only: Vec<PathBuf>,
    /// The listener's HOME and the host's state variables as the listener has them: a login
    /// command printed for the listener's world carries them, so it logs in where the listener
    /// looks (empty for the doctor itself).
    pub state_env: Vec<(String, String)>,
    pub login: Login,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Login {
    /// The status command that was run, what it gave, and how the host's reader read it.
    pub status: Option<StatusRun>,
    /// Why no status command was run.
    pub not_run: Option<String>,
    pub creds: Vec<CredFile>,
    /// Where the login is stored, as a setting says (codex's `cli_auth_credentials_store`).
    pub store: Option<StoreSetting>,
    /// Login-bearing variables for this host: the target's environment, then the files the host
    /// reads variables from (names and where; values never serialised).
    pub keys: Vec<KeyVar>,
    /// Key variables set in the doctor's shell but not in the listener's environment.
    pub shell_only_keys: Vec<String>,
    /// Whether the doctor's own user is logged in (files and environment), when the target is another user.
    pub mine_logged_in: Option<bool>,
    /// The host's own doctor (`--deep`): the command, and its checks that did not pass or why
    /// they could not be had.
    pub self_check: Option<(String, Result<Vec<HostCheck>, String>)>,
}

/// A status command's run as the facts keep it: the command, how it ended (its output cut to a
/// first line, which is all a report shows), and what was read from its whole output when it
/// ran — the host's reading and a few words of what it said — so recorded facts judge the same.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusRun {
    pub command: String,
    pub result: CmdResult,
    /// The host's own reading of the whole output (`HostSpec::read_status`).
    pub read: LoginState,
    /// What it said, in a few words (see `what_it_said`).
    pub said: String,
    /// How it died without a login answer, read from its whole output (`start::crash_of`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crash: Option<super::crash::Crash>,
}

impl StatusRun {
    /// Read `result` of `command` by `spec`'s rules, while the whole output is at hand.
    pub fn new(spec: &HostSpec, command: String, result: CmdResult) -> Self {
        let read = (spec.read_status)(&result);
        StatusRun {
            crash: (read == LoginState::Unknown)
                .then(|| super::crash::crash_of(&result))
                .flatten(),
            read,
            said: what_it_said(&result),
            command,
            result,
        }
    }
}

/// What a status command said, in a few words: a JSON answer's `loggedIn` and `authMethod`
/// (claude prints JSON over several lines), else its first line, quoted.
pub fn what_it_said(r: &CmdResult) -> String {
    let CmdResult::Exited { stdout, stderr, .. } = r else {
        return String::new();
    };
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(stdout.trim()) {
        if let Some(b) = v.get("loggedIn").and_then(|b| b.as_bool()) {
            let method = v
                .get("authMethod")
                .and_then(|m| m.as_str())
                .map(|m| format!(", authMethod {:?}", first_line(m)))
                .unwrap_or_default();
            return format!("loggedIn: {b}{method}");
        }
    }
    format!("{:?}", first_line(&format!("{stdout}{stderr}")))
}

impl HostAtRunner {
    /// Who the host must work for, in words: "listener pid 42 (alice)", or "you (alice; no
    /// listener is running)".
    pub fn runner(&self) -> String {
        let user = &self.user.name;
        match (self.is_listener, self.pid) {
            (true, Some(pid)) => format!("listener pid {pid} ({user})"),
            (true, None) => format!("a listener ({user})"),
            (false, _) => format!("you ({user}; {})", self.why_no_listener()),
        }
    }

    /// The same where the user is already named: "listener pid 42", or "you: no listener is
    /// running".
    pub fn runner_short(&self) -> String {
        match (self.is_listener, self.pid) {
            (true, Some(pid)) => format!("listener pid {pid}"),
            (true, None) => "a listener".into(),
            (false, _) => format!("you: {}", self.why_no_listener()),
        }
    }

    fn why_no_listener(&self) -> &'static str {
        if self.skip_listener {
            "--skip listener"
        } else {
            "no listener is running"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ChosenBy;

    /// Recorded as the words schema-1 bundles hold, and read back into the same choice.
    #[test]
    fn chosen_by_reads_back_what_it_wrote() {
        for c in [ChosenBy::FoundOnPath, ChosenBy::Named("--host".into())] {
            let json = serde_json::to_value(&c).unwrap();
            assert!(json.is_string(), "{json}");
            assert_eq!(serde_json::from_value::<ChosenBy>(json).unwrap(), c);
        }
        let old = serde_json::json!("found on PATH (no --host, no host in config.json)");
        assert_eq!(serde_json::from_value::<ChosenBy>(old).unwrap(), ChosenBy::FoundOnPath);
        assert_eq!(ChosenBy::Named("/h/config.json".into()).to_string(), "/h/config.json");
    }
}
