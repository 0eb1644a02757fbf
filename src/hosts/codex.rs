//! codex (`@openai/codex`): `codex login status` answers on stderr, exit 0 when logged in.
//! The login is stored in `$CODEX_HOME/auth.json` (default `~/.codex`), unless `config.toml` says
//! `cli_auth_credentials_store = "keyring"`, when auth.json is absent by design.

use std::path::PathBuf;

use super::{read_status_by_exit_code, HostHome, HostSpec, KeyringSetting};

fn state_dir(h: &HostHome) -> PathBuf {
    h.var_dir("CODEX_HOME")
        .unwrap_or_else(|| h.home.join(".codex"))
}

pub const SPEC: HostSpec = HostSpec {
    name: "codex",
    binary: "codex",
    status_args: Some(&["login", "status"]),
    read_status: read_status_by_exit_code,
    login: "codex login",
    key_vars: &["OPENAI_API_KEY", "CODEX_API_KEY"],
    state_vars: &["CODEX_HOME"],
    credential_files: |h| vec![state_dir(h).join("auth.json")],
    keyring: Some(KeyringSetting {
        config: |h| state_dir(h).join("config.toml"),
        key: "cli_auth_credentials_store",
        value: "keyring",
    }),
    keychain_possible: false,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hosts::tests::exited;
    use crate::hosts::LoginState;
    use crate::probes::processes::{ListenerEnv, Wanted};
    use std::path::Path;

    #[test]
    fn status_texts_seen_on_real_installs() {
        let r = SPEC.read_status;
        assert_eq!(
            r(&exited(0, "", "Logged in using ChatGPT\n")),
            LoginState::In
        );
        assert_eq!(
            r(&exited(
                0,
                "",
                "Logged in using an API key - sk-proj-***abcde\n"
            )),
            LoginState::In
        );
        assert_eq!(r(&exited(1, "", "Not logged in\n")), LoginState::Out);
        assert_eq!(
            r(&exited(
                1,
                "",
                "Error checking login status: keyring locked\n"
            )),
            LoginState::Unknown
        );
    }

    #[test]
    fn codex_home_moves_the_files() {
        let home = Path::new("/home/a");
        let plain = HostHome { home, env: None };
        assert_eq!(
            (SPEC.credential_files)(&plain),
            vec![PathBuf::from("/home/a/.codex/auth.json")]
        );
        let env = ListenerEnv::from_pairs(
            [("CODEX_HOME", "/srv/codex")].into_iter(),
            &Wanted::default(),
        );
        let moved = HostHome {
            home,
            env: Some(&env),
        };
        assert_eq!(
            (SPEC.credential_files)(&moved),
            vec![PathBuf::from("/srv/codex/auth.json")]
        );
        let k = SPEC.keyring.as_ref().unwrap();
        assert_eq!((k.config)(&moved), PathBuf::from("/srv/codex/config.toml"));
    }
}
