//! The host CLIs (the agents that get woken), each in a file of its own, and the one table of them.
//!
//! A host's file holds everything the doctor knows of it (CONTRACT §1's host table): its binary,
//! its status command and how to read the answer, where its credentials live and which fields
//! mean a login is stored, the variables that log it in by themselves, the variables that move
//! its state directory, and whether an OS keyring may hold its login. `--host` values, the
//! listener's key variables, the support bundle's host list and the host check all read `HOSTS`.
//!
//! To add a host: write `hosts/NAME.rs` with `pub const SPEC: HostSpec = HostSpec { … }` (copy the
//! closest existing host and change what differs), then add `mod NAME;` and `&NAME::SPEC` to
//! `HOSTS` below. Nothing else changes: the command line, the environment the process scan picks
//! out, the bundle and the host check follow the table.

mod claude;
mod codex;
mod copilot;
mod cursor;
mod gemini;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use crate::probes::host_cli::CmdResult;
use crate::probes::processes::{ListenerEnv, Wanted};

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
    /// The command that logs in.
    pub login: &'static str,
    /// Variables that log the host in by themselves (their values are secrets).
    pub key_vars: &'static [&'static str],
    /// Variables that move the host's state directory (their values are paths).
    pub state_vars: &'static [&'static str],
    /// The files that hold a stored login, for a user with this home and environment.
    pub credential_files: fn(&HostHome) -> Vec<PathBuf>,
    /// A setting that keeps the login in the OS keyring instead of the files.
    pub keyring: Option<KeyringSetting>,
    /// The credentials may live in an OS keychain the doctor cannot read.
    pub keychain_possible: bool,
}

/// A config file line that moves the login into the OS keyring (`KEY = "VALUE"` in TOML).
#[derive(Debug)]
pub struct KeyringSetting {
    pub config: fn(&HostHome) -> PathBuf,
    pub key: &'static str,
    pub value: &'static str,
}

/// Whose state a host is judged in: a home directory and, when known, the environment.
pub struct HostHome<'a> {
    pub home: &'a Path,
    pub env: Option<&'a ListenerEnv>,
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

/// What a status command's answer says of the login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginState {
    In,
    Out,
    Unknown,
}

/// Every known host, in the order they are looked for.
pub static HOSTS: &[&HostSpec] = &[
    &codex::SPEC,
    &claude::SPEC,
    &gemini::SPEC,
    &cursor::SPEC,
    &copilot::SPEC,
];

/// The host called `name` (its name or its binary's, any case).
pub fn by_name(name: &str) -> Option<&'static HostSpec> {
    let n = name.trim().to_ascii_lowercase();
    HOSTS.iter().copied().find(|h| h.name == n || h.binary == n)
}

/// The names `--host` accepts.
pub fn names() -> Vec<&'static str> {
    HOSTS.iter().map(|h| h.name).collect()
}

/// The variables the process scan picks out of an environment for the hosts: every host's key
/// variables (by name) and state directories (with their values).
pub fn wanted() -> Wanted<'static> {
    static KEYS: LazyLock<Vec<&'static str>> =
        LazyLock::new(|| HOSTS.iter().flat_map(|h| h.key_vars).copied().collect());
    static DIRS: LazyLock<Vec<&'static str>> =
        LazyLock::new(|| HOSTS.iter().flat_map(|h| h.state_vars).copied().collect());
    Wanted {
        keys: &KEYS,
        dirs: &DIRS,
    }
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn exited(code: i32, stdout: &str, stderr: &str) -> CmdResult {
        CmdResult::Exited {
            code: Some(code),
            stdout: stdout.into(),
            stderr: stderr.into(),
        }
    }

    #[test]
    fn names_and_binaries_find_their_host() {
        assert_eq!(by_name("codex").unwrap().binary, "codex");
        assert_eq!(by_name("CURSOR").unwrap().name, "cursor");
        assert_eq!(by_name("cursor-agent").unwrap().name, "cursor");
        assert!(by_name("vim").is_none());
        let mut n = names();
        n.dedup();
        assert_eq!(n.len(), HOSTS.len(), "each host once");
    }

    #[test]
    fn the_scan_wants_every_hosts_variables() {
        let w = wanted();
        for h in HOSTS {
            for k in h.key_vars {
                assert!(w.keys.contains(k), "{k}");
            }
            for d in h.state_vars {
                assert!(w.dirs.contains(d), "{d}");
            }
        }
    }

    #[test]
    fn exit_code_first_then_the_words() {
        let r = read_status_by_exit_code;
        assert_eq!(
            r(&exited(0, "", "Logged in using ChatGPT\n")),
            LoginState::In
        );
        assert_eq!(r(&exited(1, "", "Not logged in\n")), LoginState::Out);
        assert_eq!(r(&exited(1, "", "You are logged out\n")), LoginState::Out);
        assert_eq!(r(&exited(2, "Not authenticated", "")), LoginState::Out);
        assert_eq!(
            r(&exited(1, "", "Error: keyring locked\n")),
            LoginState::Unknown
        );
        // A command this version does not have says nothing, whatever its exit code.
        for said in [
            "error: unknown command 'login'",
            "error: unknown option '--json'",
            "error: unrecognized subcommand 'status'",
        ] {
            assert_eq!(r(&exited(0, "", said)), LoginState::Unknown, "{said}");
            assert_eq!(r(&exited(0, said, "")), LoginState::Unknown, "{said}");
        }
        assert_eq!(
            r(&CmdResult::TimedOut { after_ms: 5000 }),
            LoginState::Unknown
        );
        assert_eq!(
            r(&CmdResult::Exited {
                code: None,
                stdout: String::new(),
                stderr: "Not logged in".into()
            }),
            LoginState::Unknown,
            "killed by a signal says nothing"
        );
    }
}
