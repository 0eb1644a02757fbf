//! copilot: no status command known; the OS keychain is where its login normally lives, so a
//! missing `~/.copilot/config.json` is never "not logged in". Tokens in the environment come first
//! (`COPILOT_GITHUB_TOKEN`, `GH_TOKEN`, `GITHUB_TOKEN`), gh's stored token last.

use super::spec::{read_status_by_exit_code, EnvFile, Evidence, HostSpec, LoginState};

/// The token variables in copilot's order of precedence, then gh's stored token.
const ORDER: &[&str] = &[
    "COPILOT_GITHUB_TOKEN",
    "GH_TOKEN",
    "GITHUB_TOKEN",
    "gh oauth_token",
];

/// The first token set decides; a classic personal access token (`ghp_`) looks like a login and
/// is not one copilot accepts.
fn login_rule(e: &Evidence) -> Option<(LoginState, String)> {
    let k = e.first(ORDER)?;
    if k.value.expose().trim().starts_with("ghp_") {
        return Some((
            LoginState::Unusable,
            format!(
                "{} in {} is a classic personal access token (ghp_…), which copilot does not support: use a fine-grained token or log in with /login",
                k.name, k.from
            ),
        ));
    }
    Some((LoginState::In, format!("by {} in {}", k.name, k.from)))
}

pub const SPEC: HostSpec = HostSpec {
    name: "copilot",
    binary: "copilot",
    status_args: None,
    read_status: read_status_by_exit_code,
    login: "copilot",
    key_vars: &["COPILOT_GITHUB_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"],
    state_vars: &[],
    credential_files: |h| vec![h.home.join(".copilot/config.json")],
    store: None,
    keychain_possible: true,
    env_files: |h| vec![EnvFile::GhHosts(h.home.join(".config/gh/hosts.yml"))],
    login_rule,
    self_check: None,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hosts::KeyVar;

    fn key(name: &str, value: &str) -> KeyVar {
        KeyVar {
            name: name.into(),
            value: crate::redact::Secret(value.into()),
            from: "the listener's environment".into(),
        }
    }

    fn rule(keys: &[KeyVar]) -> Option<(LoginState, String)> {
        login_rule(&Evidence {
            status: None,
            keys,
            store: None,
            creds: &[],
        })
    }

    #[test]
    fn tokens_in_precedence_and_a_classic_token_is_unusable() {
        let (s, how) = rule(&[
            key("GITHUB_TOKEN", "ghp_classic0123456789"),
            key("COPILOT_GITHUB_TOKEN", "github_pat_11ABC"),
        ])
        .unwrap();
        assert_eq!(s, LoginState::In);
        assert!(how.starts_with("by COPILOT_GITHUB_TOKEN"), "{how}");
        let (s, how) = rule(&[key("GH_TOKEN", "ghp_classic0123456789")]).unwrap();
        assert_eq!(s, LoginState::Unusable);
        assert!(how.contains("classic personal access token"), "{how}");
        let (s, how) = rule(&[KeyVar {
            name: "gh oauth_token".into(),
            value: crate::redact::Secret("gho_abc123".into()),
            from: "/home/a/.config/gh/hosts.yml".into(),
        }])
        .unwrap();
        assert_eq!(s, LoginState::In);
        assert!(how.contains("hosts.yml"), "{how}");
        // Nothing set: the files (and the keychain) decide.
        assert_eq!(rule(&[]), None);
    }
}
