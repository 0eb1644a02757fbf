//! claude (`@anthropic-ai/claude-code`): `claude auth status` prints JSON `{"loggedIn": bool, …}`
//! when stdout is not a terminal; `loggedIn` decides, not the exit code alone. The login is in
//! `$CLAUDE_CONFIG_DIR/.credentials.json` (default `~/.claude`) on Linux, the Keychain on macOS.

use super::{read_status_by_exit_code, HostSpec, LoginState};
use crate::probes::host_cli::CmdResult;

/// `loggedIn` from the JSON on stdout when there is one; else the exit code and the words.
fn read_status(r: &CmdResult) -> LoginState {
    if let CmdResult::Exited { stdout, .. } = r {
        let json = stdout
            .lines()
            .find_map(|l| serde_json::from_str::<serde_json::Value>(l.trim()).ok())
            .or_else(|| serde_json::from_str(stdout.trim()).ok());
        if let Some(b) = json.and_then(|v| v.get("loggedIn").and_then(|b| b.as_bool())) {
            return if b { LoginState::In } else { LoginState::Out };
        }
    }
    read_status_by_exit_code(r)
}

pub const SPEC: HostSpec = HostSpec {
    name: "claude",
    binary: "claude",
    status_args: Some(&["auth", "status"]),
    read_status,
    login: "claude auth login",
    key_vars: &[
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_AUTH_TOKEN",
        "CLAUDE_CODE_OAUTH_TOKEN",
    ],
    state_vars: &["CLAUDE_CONFIG_DIR"],
    credential_files: |h| {
        vec![h
            .var_dir("CLAUDE_CONFIG_DIR")
            .unwrap_or_else(|| h.home.join(".claude"))
            .join(".credentials.json")]
    },
    keyring: None,
    keychain_possible: cfg!(target_os = "macos"),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hosts::tests::exited;

    #[test]
    fn logged_in_is_read_from_the_json_first() {
        let r = SPEC.read_status;
        assert_eq!(
            r(&exited(
                0,
                "{\"loggedIn\": true, \"authMethod\": \"claude.ai\"}\n",
                ""
            )),
            LoginState::In
        );
        // Exit 0 but the JSON says no: the JSON wins.
        assert_eq!(
            r(&exited(0, "{\"loggedIn\": false}\n", "")),
            LoginState::Out
        );
        assert_eq!(
            r(&exited(1, "{\"loggedIn\": false}\n", "")),
            LoginState::Out
        );
        assert_eq!(
            r(&exited(1, "", "error: unknown command 'auth'\n")),
            LoginState::Unknown
        );
        // No JSON: the exit code and the words, as for other hosts.
        assert_eq!(r(&exited(0, "Logged in\n", "")), LoginState::In);
    }
}
