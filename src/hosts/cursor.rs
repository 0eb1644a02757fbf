//! cursor (`cursor-agent`): `cursor-agent status`; the login is in `~/.config/cursor/auth.json`
//! or `~/.cursor/auth.json` on Linux, the Keychain on macOS; `CURSOR_API_KEY` logs it in by itself.

use super::spec::{read_status_by_exit_code, Evidence, HostSpec, LoginState};

/// `cursor-agent status` may say "Not logged in" when only `CURSOR_API_KEY` is set: the key counts.
fn login_rule(e: &Evidence) -> Option<(LoginState, String)> {
    let k = e.first(&["CURSOR_API_KEY"])?;
    Some((
        LoginState::In,
        format!(
            "by {} in {} (`cursor-agent status` may not count it; the agent does)",
            k.name, k.from
        ),
    ))
}

pub const SPEC: HostSpec = HostSpec {
    name: "cursor",
    binary: "cursor-agent",
    status_args: Some(&["status"]),
    read_status: read_status_by_exit_code,
    login: &["cursor-agent", "login"],
    key_vars: &["CURSOR_API_KEY"],
    state_vars: &[],
    credential_files: |h| {
        vec![
            h.home.join(".config/cursor/auth.json"),
            h.home.join(".cursor/auth.json"),
        ]
    },
    store: None,
    keychain_possible: cfg!(target_os = "macos"),
    env_files: super::spec::no_env_files,
    login_rule,
    self_check: None,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hosts::KeyVar;

    #[test]
    fn its_key_counts_whatever_its_status_says() {
        let keys = [KeyVar {
            name: "CURSOR_API_KEY".into(),
            value: crate::redact::Secret("key_0123456789".into()),
            from: "the listener's environment".into(),
        }];
        let e = Evidence {
            status: Some(LoginState::Out),
            keys: &keys,
            store: None,
            creds: &[],
        };
        let (s, how) = login_rule(&e).unwrap();
        assert_eq!(s, LoginState::In);
        assert!(how.starts_with("by CURSOR_API_KEY in the listener's environment"));
        assert_eq!(login_rule(&Evidence { keys: &[], ..e }), None);
    }
}
