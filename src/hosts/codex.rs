//! codex (`@openai/codex`): `codex login status` answers on stderr, exit 0 when a login is stored
//! ("Logged in using ChatGPT", 0.169: "API key configured - sk-…***"). It never asks the server,
//! and it does not read `CODEX_API_KEY`, which the agent's runtime honours. Where the login is
//! stored is a setting, `cli_auth_credentials_store`: `file` (default: `$CODEX_HOME/auth.json`),
//! `keyring` (auth.json absent by design), `auto` (keyring, else file), `ephemeral` (memory only),
//! from `-c` in the listener's argv, else `$CODEX_HOME/config.toml`, else `/etc/codex/config.toml`.

use std::path::PathBuf;

use super::spec::{
    read_status_by_exit_code, Evidence, HostCheck, HostHome, HostSpec, LoginState, SelfCheck,
    StoreKey,
};

/// codex's own rule: a key in the environment logs it in whatever `login status` says; an
/// ephemeral store keeps nothing for a codex the listener starts; a keyring store is not seen
/// from files.
fn login_rule(e: &Evidence) -> Option<(LoginState, String)> {
    if let Some(k) = e.first(&["CODEX_API_KEY", "OPENAI_API_KEY"]) {
        return Some((
            LoginState::In,
            format!(
                "by {} in {} (`codex login status` does not read it; the agent's runtime does)",
                k.name, k.from
            ),
        ));
    }
    let store = e.store?;
    match store.value.as_str() {
        "ephemeral" => Some((
            LoginState::Out,
            format!(
                "cli_auth_credentials_store = \"ephemeral\" ({}) keeps a login in memory only: a \
                    codex the listener starts has none",
                store.from
            ),
        )),
        "keyring" | "auto" if e.status.is_none() && e.stored().is_none() => Some((
            LoginState::Unknown,
            format!(
                "cli_auth_credentials_store = \"{}\" ({}) keeps the login in the OS keyring, which \
                    the doctor does not read",
                store.value, store.from
            ),
        )),
        _ => None,
    }
}

fn state_dir(h: &HostHome) -> PathBuf {
    h.var_dir("CODEX_HOME")
        .unwrap_or_else(|| h.home.join(".codex"))
}

pub const SPEC: HostSpec = HostSpec {
    name: "codex",
    binary: "codex",
    status_args: Some(&["login", "status"]),
    read_status: read_status_by_exit_code,
    login: &["codex", "login"],
    key_vars: &["OPENAI_API_KEY", "CODEX_API_KEY"],
    state_vars: &["CODEX_HOME"],
    credential_files: |h| vec![state_dir(h).join("auth.json")],
    store: Some(StoreKey {
        files: |h| {
            vec![
                state_dir(h).join("config.toml"),
                PathBuf::from("/etc/codex/config.toml"),
            ]
        },
        key: "cli_auth_credentials_store",
    }),
    keychain_possible: false,
    env_files: super::spec::no_env_files,
    login_rule,
    self_check: Some(SelfCheck {
        args: &["doctor", "--json"],
        read: read_doctor,
    }),
};

/// `codex doctor --json` (0.169): `{"overallStatus", "checks": {ID: {"category", "status",
/// "summary", "remediation"}}}`; the checks whose status is not `ok`.
pub fn read_doctor(stdout: &str) -> Result<Vec<HostCheck>, String> {
    let v: serde_json::Value =
        serde_json::from_str(stdout.trim()).map_err(|e| format!("not JSON ({e})"))?;
    let checks = v
        .get("checks")
        .and_then(|c| c.as_object())
        .ok_or("no \"checks\" object")?;
    let text = |c: &serde_json::Value, k: &str| {
        c.get(k)
            .and_then(|x| x.as_str())
            .map(|x| crate::sanitize::outside(x, 300))
    };
    Ok(checks
        .iter()
        .filter_map(|(id, c)| {
            let status = text(c, "status")?;
            (status != "ok").then(|| HostCheck {
                id: crate::sanitize::outside(id, 100),
                category: text(c, "category").unwrap_or_default(),
                summary: text(c, "summary").unwrap_or_default(),
                // codex writes "None" where it has no advice.
                remediation: text(c, "remediation").filter(|r| r != "None" && !r.is_empty()),
                status: super::spec::HostStatus::from_word(&status),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hosts::tests::exited;
    use crate::hosts::LoginState;
    use crate::probes::processes::{ProcessEnv, Wanted};
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
        // 0.169, recorded: a key stored by `codex login --with-api-key`.
        assert_eq!(
            r(&exited(
                0,
                "",
                "API key configured - sk-test-***fghij\nAuthentication is checked when you send a request.\n"
            )),
            LoginState::In
        );
        // 0.169 under a temporary HOME warns first; the exit code decides.
        assert_eq!(
            r(&exited(
                1,
                "",
                "WARNING: proceeding, even though we could not create PATH aliases: Refusing to \
                    create helper binaries under temporary dir \"/tmp\"\nNot logged in\n"
            )),
            LoginState::Out
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

    fn key(name: &str, value: &str) -> crate::hosts::KeyVar {
        crate::hosts::KeyVar {
            name: name.into(),
            value: crate::redact::Secret(value.into()),
            from: "the listener's environment".into(),
        }
    }

    #[test]
    fn a_key_in_the_environment_logs_codex_in_whatever_login_status_says() {
        let keys = [key("CODEX_API_KEY", "sk-proj-0123456789")];
        let e = Evidence {
            status: Some(LoginState::Out),
            keys: &keys,
            store: None,
            creds: &[],
        };
        let (s, how) = login_rule(&e).unwrap();
        assert_eq!(s, LoginState::In);
        assert!(
            how.starts_with("by CODEX_API_KEY in the listener's environment"),
            "{how}"
        );
        // An empty value is no key.
        let keys = [key("CODEX_API_KEY", " ")];
        let e = Evidence { keys: &keys, ..e };
        assert_eq!(login_rule(&e), None);
    }

    #[test]
    fn where_the_login_is_stored_decides_what_files_can_say() {
        let store = |v: &str| crate::hosts::StoreSetting {
            value: v.into(),
            from: "/etc/codex/config.toml".into(),
        };
        let verdict = |v: &str, status: Option<LoginState>| {
            let s = store(v);
            login_rule(&Evidence {
                status,
                keys: &[],
                store: Some(&s),
                creds: &[],
            })
        };
        assert_eq!(
            verdict("ephemeral", Some(LoginState::In)).unwrap().0,
            LoginState::Out
        );
        let (s, how) = verdict("keyring", None).unwrap();
        assert_eq!(s, LoginState::Unknown);
        assert!(
            how.contains("OS keyring") && how.contains("/etc/codex/config.toml"),
            "{how}"
        );
        assert_eq!(verdict("auto", None).unwrap().0, LoginState::Unknown);
        // The status command answered (it reads the keyring): it decides.
        assert_eq!(verdict("keyring", Some(LoginState::In)), None);
        assert_eq!(verdict("file", None), None);
    }

    #[test]
    fn its_own_doctors_report_is_read_for_what_did_not_pass() {
        // Recorded from `codex doctor --json` 0.169.0 with no login and no network (trimmed).
        let report = r#"{"schemaVersion":1,"overallStatus":"fail","codexVersion":"0.169.0","checks":{
          "app_server.status":{"id":"app_server.status","category":"app-server","status":"ok",
              "summary":"background server is not running","details":{},"remediation":null,
              "durationMs":0},
          "auth.credentials":{"id":"auth.credentials","category":"auth","status":"fail",
              "summary":"no Codex credentials were found","details":{"auth file":"/root/.codex/auth.json",
              "auth storage mode":"File"},
              "remediation":"Run codex login or provide an API key through a supported auth env var.",
              "durationMs":0},
          "network.provider_reachability":{"id":"network.provider_reachability","category":"reachability",
              "status":"fail","summary":"one or more required provider endpoints are unreachable over HTTP",
              "remediation":"Check proxy, VPN, firewall, DNS, and custom CA configuration."},
          "updates.status":{"id":"updates.status","category":"updates","status":"warning",
              "summary":"update configuration is locally consistent","remediation":"None"},
          "x.empty":{"category":"x","status":"warning","summary":"s","remediation":""}}}"#;
        let got = read_doctor(report).unwrap();
        let ids: Vec<(&str, &str)> = got
            .iter()
            .map(|c| (c.id.as_str(), c.status.word()))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("auth.credentials", "fail"),
                ("network.provider_reachability", "fail"),
                ("updates.status", "warning"),
                ("x.empty", "warning")
            ]
        );
        assert_eq!(got[3].remediation, None, "an empty remediation is none");
        assert_eq!(got[0].category, "auth");
        assert_eq!(got[2].remediation, None);
        assert!(read_doctor("WARNING: x").is_err());
        assert!(read_doctor("{}").is_err());
    }

    #[test]
    fn codex_home_moves_the_files() {
        let home = Path::new("/home/a");
        let plain = HostHome { home, env: None };
        assert_eq!(
            (SPEC.credential_files)(&plain),
            vec![PathBuf::from("/home/a/.codex/auth.json")]
        );
        let env = ProcessEnv::from_pairs(
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
        let k = SPEC.store.as_ref().unwrap();
        assert_eq!(
            (k.files)(&moved),
            vec![
                PathBuf::from("/srv/codex/config.toml"),
                PathBuf::from("/etc/codex/config.toml")
            ]
        );
    }
}
