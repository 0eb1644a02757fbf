//! claude (`@anthropic-ai/claude-code`): `claude auth status` prints JSON `{"loggedIn": bool, …}`
//! when stdout is not a terminal; `loggedIn` decides, not the exit code alone. The login is in
//! `$CLAUDE_CONFIG_DIR/.credentials.json` (default `~/.claude`) on Linux, the Keychain on macOS.

use super::spec::{read_status_by_exit_code, EnvFile, Evidence, HostHome, HostSpec, LoginState};

/// What logs claude in besides a stored login: keys and tokens, a key helper, a cloud provider.
const CREDENTIALS: &[&str] = &[
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "CLAUDE_CODE_OAUTH_TOKEN",
    "apiKeyHelper",
    "CLAUDE_CODE_USE_BEDROCK",
    "CLAUDE_CODE_USE_VERTEX",
];

fn config_dir(h: &HostHome) -> std::path::PathBuf {
    h.var_dir("CLAUDE_CONFIG_DIR")
        .unwrap_or_else(|| h.home.join(".claude"))
}

/// `claude auth status` sees all of these (and the Keychain): when it answered, it decides. From
/// files (another user's, as root), a key, token, helper or provider switch in the environment or
/// in settings.json's `env` logs it in.
fn login_rule(e: &Evidence) -> Option<(LoginState, String)> {
    if e.status.is_some() {
        return None;
    }
    let k = e.first(CREDENTIALS)?;
    Some((LoginState::In, format!("by {} in {}", k.name, k.from)))
}
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
    login: &["claude", "auth", "login"],
    key_vars: &[
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_AUTH_TOKEN",
        "CLAUDE_CODE_OAUTH_TOKEN",
        "CLAUDE_CODE_USE_BEDROCK",
        "CLAUDE_CODE_USE_VERTEX",
    ],
    state_vars: &["CLAUDE_CONFIG_DIR"],
    credential_files: |h| vec![config_dir(h).join(".credentials.json")],
    store: None,
    keychain_possible: cfg!(target_os = "macos"),
    env_files: |h| {
        vec![
            EnvFile::JsonEnv(config_dir(h).join("settings.json")),
            EnvFile::JsonEnv("/etc/claude-code/managed-settings.json".into()),
        ]
    },
    login_rule,
    self_check: None,
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
        // 2.1.332, recorded (pretty-printed over several lines).
        let real = "{\n  \"loggedIn\": false,\n  \"authMethod\": \"none\",\n  \"apiProvider\": \"firstParty\"\n}\n";
        assert_eq!(r(&exited(1, real, "")), LoginState::Out);
    }

    #[test]
    fn claude_config_dir_moves_its_files() {
        use crate::probes::processes::{ProcessEnv, Wanted};
        use std::path::{Path, PathBuf};
        let env = ProcessEnv::from_pairs(
            [("CLAUDE_CONFIG_DIR", "/srv/claude")].into_iter(),
            &Wanted::default(),
        );
        let h = HostHome {
            home: Path::new("/home/a"),
            env: Some(&env),
        };
        assert_eq!(
            (SPEC.credential_files)(&h),
            vec![PathBuf::from("/srv/claude/.credentials.json")]
        );
        assert_eq!(
            (SPEC.env_files)(&h)[0],
            EnvFile::JsonEnv("/srv/claude/settings.json".into())
        );
    }

    #[test]
    fn from_files_settings_env_and_helpers_count_but_the_status_command_decides() {
        let k = |name: &str| crate::hosts::KeyVar {
            name: name.into(),
            value: crate::redact::Secret("x".into()),
            from: "/home/a/.claude/settings.json".into(),
        };
        for name in CREDENTIALS {
            let keys = [k(name)];
            let e = Evidence {
                status: None,
                keys: &keys,
                store: None,
                creds: &[],
            };
            let (s, how) = login_rule(&e).unwrap();
            assert_eq!(s, LoginState::In);
            assert_eq!(how, format!("by {name} in /home/a/.claude/settings.json"));
            let e = Evidence {
                status: Some(LoginState::Out),
                ..e
            };
            assert_eq!(login_rule(&e), None, "the status command answered");
        }
        let e = Evidence {
            status: None,
            keys: &[],
            store: None,
            creds: &[],
        };
        assert_eq!(login_rule(&e), None);
    }
}
