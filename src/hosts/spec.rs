//! What a host CLI declares (`HostSpec`) and the types it is made of, with the readers the hosts
//! share. Each host's file fills one `HostSpec`; `hosts/mod.rs` lists them.

use std::path::{Path, PathBuf};

use crate::probes::host_cli::{CmdResult, CredFile};
use crate::probes::processes::ProcessEnv;

/// What is known of one host CLI.
#[derive(Debug)]
pub struct HostSpec {
    /// The name config.json's `host` and `--host` use.
    pub name: &'static str,
    /// The executable looked for on a PATH.
    pub binary: &'static str,
    /// A status command without side effects beyond the CLI's own state dir; None: judge from files.
    pub status_args: Option<&'static [&'static str]>,
    /// How to read the status command's answer.
    pub read_status: fn(&CmdResult) -> LoginState,
    /// The command that logs in, as an argument list.
    pub login: &'static [&'static str],
    /// Variables that log the host in by themselves (their values are secrets).
    pub key_vars: &'static [&'static str],
    /// Variables that move the host's state directory (their values are paths).
    pub state_vars: &'static [&'static str],
    /// The files that hold a stored login, for a user with this home and environment.
    pub credential_files: fn(&HostHome) -> Vec<PathBuf>,
    /// The setting that says where the login is stored (file, keyring…), if the host has one.
    pub store: Option<StoreKey>,
    /// The credentials may live in an OS keychain the doctor cannot read.
    pub keychain_possible: bool,
    /// Files the host reads variables from besides the environment (settings.json's `env`, `.env`).
    pub env_files: fn(&HostHome) -> Vec<EnvFile>,
    /// The host's own rule about its login, given what was seen: keys its status command does not
    /// read, a setting that keeps the login in memory only, a token it cannot use. `Some` decides.
    pub login_rule: fn(&Evidence) -> Option<(LoginState, String)>,
    /// The host's own doctor (`--deep`): its arguments and how to read its report.
    pub self_check: Option<SelfCheck>,
}

/// A host CLI's own doctor, run with `--deep`.
#[derive(Debug)]
pub struct SelfCheck {
    pub args: &'static [&'static str],
    /// Its failing and warning checks, from its output; Err says why it could not be read.
    pub read: fn(&str) -> Result<Vec<HostCheck>, String>,
}

/// One check of a host's own doctor that did not pass, in the host's words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HostCheck {
    pub id: String,
    pub category: String,
    pub status: HostStatus,
    pub summary: String,
    pub remediation: Option<String>,
}

/// How a check of a host's own doctor ended, when not well: it failed, or it warns (any word
/// other than "ok" and "fail" the host uses is a warning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HostStatus {
    Fail,
    Warning,
}

impl HostStatus {
    /// The host's word for it: "fail" fails, anything else but "ok" warns.
    pub fn from_word(word: &str) -> Self {
        if word == "fail" {
            HostStatus::Fail
        } else {
            HostStatus::Warning
        }
    }
    pub fn word(self) -> &'static str {
        match self {
            HostStatus::Fail => "fail",
            HostStatus::Warning => "warning",
        }
    }
}

/// A file a host reads variables from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvFile {
    /// A JSON settings file: its `env` object's entries, and its top-level `apiKeyHelper`.
    JsonEnv(PathBuf),
    /// A `.env` file: `NAME=value` lines.
    Dotenv(PathBuf),
    /// gh's `hosts.yml`: its `oauth_token` (as the variable `gh oauth_token`).
    GhHosts(PathBuf),
}

/// A variable that bears on a login (a key, a token, a provider switch), where it was found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeyVar {
    pub name: String,
    /// Its value: read for the host's rule (a token's kind); shown and kept only as its mask
    /// (the first characters a rule reads, its length and fingerprint).
    pub value: crate::redact::Secret,
    pub from: KeyFrom,
}

/// Where a key variable was found. In JSON, the words ("the listener's environment", "your
/// environment") or the file's path, as schema 1 has them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(from = "String", into = "String")]
pub enum KeyFrom {
    /// The running listener's environment.
    ListenerEnv,
    /// The doctor's own environment (no listener runs).
    YourEnv,
    /// A file the host reads variables from.
    File(String),
}

const LISTENER_ENV: &str = "the listener's environment";
const YOUR_ENV: &str = "your environment";

impl From<String> for KeyFrom {
    fn from(s: String) -> Self {
        match s.as_str() {
            LISTENER_ENV => KeyFrom::ListenerEnv,
            YOUR_ENV => KeyFrom::YourEnv,
            _ => KeyFrom::File(s),
        }
    }
}

impl From<&str> for KeyFrom {
    fn from(s: &str) -> Self {
        KeyFrom::from(s.to_string())
    }
}

impl From<KeyFrom> for String {
    fn from(k: KeyFrom) -> String {
        k.to_string()
    }
}

impl std::fmt::Display for KeyFrom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            KeyFrom::ListenerEnv => LISTENER_ENV,
            KeyFrom::YourEnv => YOUR_ENV,
            KeyFrom::File(p) => p,
        })
    }
}

/// Where a setting that moves the login was found, and its value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoreSetting {
    pub value: String,
    pub from: String,
}

/// What a host's login rule sees.
pub struct Evidence<'a> {
    /// What the status command said, when it was run and answered.
    pub status: Option<LoginState>,
    /// Login-bearing variables, in the order found (environment first, then files).
    pub keys: &'a [KeyVar],
    /// The setting that says where the login is stored (codex's `cli_auth_credentials_store`).
    pub store: Option<&'a StoreSetting>,
    /// The credential files as read.
    pub creds: &'a [CredFile],
}

impl Evidence<'_> {
    /// A credential file that holds a login, if one does.
    pub fn stored(&self) -> Option<&CredFile> {
        self.creds.iter().find(|c| c.holds_a_login())
    }
}

impl Evidence<'_> {
    /// The first of `names` that is set, in the order of `names`.
    pub fn first(&self, names: &[&str]) -> Option<&KeyVar> {
        names.iter().find_map(|n| {
            self.keys
                .iter()
                .find(|k| k.name == *n && !k.value.expose().trim().is_empty())
        })
    }
}

/// No files of variables.
pub fn no_env_files(_: &HostHome) -> Vec<EnvFile> {
    vec![]
}

/// A setting that says where the login is stored: `KEY = "VALUE"` in TOML files (highest
/// precedence first), and as `-c KEY=VALUE` in the listener's arguments above them all.
#[derive(Debug)]
pub struct StoreKey {
    pub files: fn(&HostHome) -> Vec<PathBuf>,
    pub key: &'static str,
}

/// The value of `-c KEY=VALUE` / `--config KEY=VALUE` / `-cKEY=VALUE` in an argv text.
pub fn config_override(argv: &str, key: &str) -> Option<String> {
    let words: Vec<&str> = argv.split_whitespace().collect();
    let mut found = None;
    for (i, w) in words.iter().enumerate() {
        let kv = match *w {
            "-c" | "--config" => words.get(i + 1).copied(),
            _ => w
                .strip_prefix("--config=")
                .or_else(|| w.strip_prefix("-c").filter(|r| !r.is_empty())),
        };
        if let Some((k, v)) = kv.and_then(|kv| kv.split_once('=')) {
            if k.trim() == key {
                found = Some(crate::probes::host_cli::unquote(v).to_string());
            }
        }
    }
    found
}

/// Whose state a host is judged in: a home directory and, when known, the environment.
pub struct HostHome<'a> {
    pub home: &'a Path,
    pub env: Option<&'a ProcessEnv>,
}

impl HostHome<'_> {
    /// The directory a state variable names, if it is set and not empty.
    pub fn var_dir(&self, name: &str) -> Option<PathBuf> {
        self.env
            .and_then(|e| e.get(name))
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    }
}

/// What is known of the login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginState {
    /// A login is stored or a key is set (not proof the server still accepts it).
    In,
    Out,
    /// Something is stored or set that the host cannot use (e.g. an unsupported token type).
    Unusable,
    Unknown,
}

/// How most hosts' status commands answer: exit code first, then the text.
pub fn read_status_by_exit_code(r: &CmdResult) -> LoginState {
    let CmdResult::Exited {
        code,
        stdout,
        stderr,
    } = r
    else {
        return LoginState::Unknown;
    };
    let lower = format!("{stdout}\n{stderr}").to_ascii_lowercase();
    if lower.contains("unknown command")
        || lower.contains("unknown option")
        || lower.contains("unrecognized")
    {
        return LoginState::Unknown;
    }
    match code {
        Some(0) => LoginState::In,
        Some(_)
            if lower.contains("not logged in")
                || lower.contains("not authenticated")
                || lower.contains("logged out") =>
        {
            LoginState::Out
        }
        _ => LoginState::Unknown,
    }
}
