//! gemini: no status command (start-up is slow, over a second), so it is judged from files and
//! the environment: `$GEMINI_CLI_HOME` (else `~`), `.gemini/oauth_creds.json` for a Google login,
//! `.gemini/gemini-credentials.json` (the encrypted fallback), `GEMINI_API_KEY` in the environment
//! or in `.env` files (`~/.gemini/.env`, `~/.env`).

use super::spec::{
    read_status_by_exit_code, EnvFile, Evidence, HostHome, HostSpec, LoginState, StoreKey,
};

fn gemini_home(h: &HostHome) -> std::path::PathBuf {
    h.var_dir("GEMINI_CLI_HOME")
        .unwrap_or_else(|| h.home.to_path_buf())
}

/// The auth type `settings.json` selects says which credential must exist: a key
/// (`gemini-api-key`, `vertex-ai`) or the Google login (`oauth-personal`); with none selected, a
/// key in the environment or a `.env` file logs it in.
fn login_rule(e: &Evidence) -> Option<(LoginState, String)> {
    let key = e.first(&["GEMINI_API_KEY", "GOOGLE_API_KEY"]);
    let selected = e.store.map(|s| (s.value.as_str(), s.from.as_str()));
    match selected {
        Some((t @ ("gemini-api-key" | "vertex-ai"), from)) => Some(match key {
            Some(k) => (
                LoginState::In,
                format!("by {} in {} ({from} selects {t})", k.name, k.from),
            ),
            None => (
                LoginState::Out,
                format!(
                    "{from} selects {t}, but no GEMINI_API_KEY or GOOGLE_API_KEY is set in the \
                        environment or in a .env file"
                ),
            ),
        }),
        Some((t @ "oauth-personal", from)) => match e.stored() {
            Some(c) => Some((
                LoginState::In,
                format!(
                    "{} holds the Google login {from} selects ({t}; stored: not proof the server \
                        still accepts it)",
                    c.path.display()
                ),
            )),
            None if e.first(&["GEMINI_FORCE_ENCRYPTED_FILE_STORAGE"]).is_some() => Some((
                LoginState::Unknown,
                format!(
                    "{from} selects {t} and the login may be in the keychain (GEMINI_FORCE_ENCRYPTED_FILE_STORAGE), \
                        which the doctor does not read"
                ),
            )),
            None => Some((
                LoginState::Out,
                format!(
                    "{from} selects {t}, but there is no Google login (oauth_creds.json); a key does \
                        not count for it"
                ),
            )),
        },
        _ => key.map(|k| (LoginState::In, format!("by {} in {}", k.name, k.from))),
    }
}

pub const SPEC: HostSpec = HostSpec {
    name: "gemini",
    binary: "gemini",
    status_args: None,
    read_status: read_status_by_exit_code,
    login: &["gemini"],
    key_vars: &[
        "GEMINI_API_KEY",
        "GOOGLE_API_KEY",
        "GEMINI_FORCE_ENCRYPTED_FILE_STORAGE",
    ],
    state_vars: &["GEMINI_CLI_HOME"],
    credential_files: |h| {
        let g = gemini_home(h).join(".gemini");
        vec![
            g.join("oauth_creds.json"),
            g.join("gemini-credentials.json"),
        ]
    },
    store: Some(StoreKey {
        files: |h| vec![gemini_home(h).join(".gemini/settings.json")],
        key: "security.auth.selectedType",
    }),
    keychain_possible: false,
    env_files: |h| {
        vec![
            EnvFile::Dotenv(gemini_home(h).join(".gemini/.env")),
            EnvFile::Dotenv(h.home.join(".env")),
        ]
    },
    login_rule,
    self_check: None,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hosts::{KeyVar, StoreSetting};
    use crate::probes::host_cli::CredFile;

    fn var(name: &str) -> KeyVar {
        KeyVar {
            name: name.into(),
            value: crate::redact::Secret("x1".into()),
            from: "/h/.gemini/.env".into(),
        }
    }

    fn rule(
        selected: Option<&str>,
        keys: &[KeyVar],
        creds: &[CredFile],
    ) -> Option<(LoginState, String)> {
        let store = selected.map(|v| StoreSetting {
            value: v.into(),
            from: "/h/.gemini/settings.json".into(),
        });
        login_rule(&Evidence {
            status: None,
            keys,
            store: store.as_ref(),
            creds,
        })
    }

    fn google_login() -> CredFile {
        CredFile::holding("/h/.gemini/oauth_creds.json", true, true, false)
    }

    #[test]
    fn the_selected_auth_type_says_which_credential_counts() {
        let key = [var("GEMINI_API_KEY")];
        assert_eq!(
            rule(Some("gemini-api-key"), &key, &[]).unwrap().0,
            LoginState::In
        );
        let (s, how) = rule(Some("gemini-api-key"), &[], &[google_login()]).unwrap();
        assert_eq!(s, LoginState::Out);
        assert!(
            how.contains("selects gemini-api-key, but no GEMINI_API_KEY"),
            "{how}"
        );
        assert_eq!(
            rule(Some("oauth-personal"), &[], &[google_login()])
                .unwrap()
                .0,
            LoginState::In
        );
        let (s, how) = rule(Some("oauth-personal"), &key, &[]).unwrap();
        assert_eq!(s, LoginState::Out);
        assert!(how.contains("a key does not count"), "{how}");
        let forced = [var("GEMINI_FORCE_ENCRYPTED_FILE_STORAGE")];
        assert_eq!(
            rule(Some("oauth-personal"), &forced, &[]).unwrap().0,
            LoginState::Unknown
        );
        // Nothing selected: a key logs it in; else the files decide.
        assert_eq!(rule(None, &key, &[]).unwrap().0, LoginState::In);
        assert_eq!(rule(None, &[], &[]), None);
    }
}

#[cfg(test)]
mod home_tests {
    use super::*;
    use crate::probes::processes::{ProcessEnv, Wanted};
    use std::path::{Path, PathBuf};

    #[test]
    fn gemini_cli_home_moves_its_files() {
        let env = ProcessEnv::from_pairs(
            [("GEMINI_CLI_HOME", "/srv/g")].into_iter(),
            &Wanted::default(),
        );
        let h = HostHome {
            home: Path::new("/home/a"),
            env: Some(&env),
        };
        assert_eq!(
            (SPEC.credential_files)(&h),
            vec![
                PathBuf::from("/srv/g/.gemini/oauth_creds.json"),
                PathBuf::from("/srv/g/.gemini/gemini-credentials.json")
            ]
        );
        let plain = HostHome {
            home: Path::new("/home/a"),
            env: None,
        };
        assert_eq!(
            (SPEC.credential_files)(&plain)[0],
            PathBuf::from("/home/a/.gemini/oauth_creds.json")
        );
    }
}
