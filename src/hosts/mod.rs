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
//! `HOSTS` below. What a host declares (`HostSpec` and the types it holds) is in `spec.rs`.
//! Nothing else changes: the command line, the environment the process scan picks out, the
//! bundle and the host check follow the table.

mod claude;
mod codex;
mod copilot;
mod cursor;
mod gemini;
mod spec;

use std::sync::LazyLock;

use crate::probes::processes::Wanted;

pub use spec::*;

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

/// The hosts' names.
pub fn names() -> Vec<&'static str> {
    HOSTS.iter().map(|h| h.name).collect()
}

/// What `--host` accepts: each host's name, and its binary's name where that differs
/// (`cursor-agent` for cursor).
pub fn accepted_names() -> Vec<&'static str> {
    let mut v = names();
    v.extend(
        HOSTS
            .iter()
            .filter(|h| h.binary != h.name)
            .map(|h| h.binary),
    );
    v
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::probes::host_cli::CmdResult;

    pub fn exited(code: i32, stdout: &str, stderr: &str) -> CmdResult {
        CmdResult::Exited {
            code: Some(code),
            stdout: stdout.into(),
            stderr: stderr.into(),
        }
    }

    #[test]
    fn where_a_key_was_found_is_typed_and_written_as_schema_1_words() {
        for (from, json) in [
            (KeyFrom::ListenerEnv, "\"the listener's environment\""),
            (KeyFrom::YourEnv, "\"your environment\""),
            (KeyFrom::File("/h/.env".into()), "\"/h/.env\""),
        ] {
            assert_eq!(serde_json::to_string(&from).unwrap(), json);
            assert_eq!(serde_json::from_str::<KeyFrom>(json).unwrap(), from);
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
