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
                "{} in {} is a classic personal access token (ghp_…), which copilot does not \
                    support: use a fine-grained token or log in with /login",
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
    login: &["copilot"],
    key_vars: &["COPILOT_GITHUB_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"],
    state_vars: &[],
    credential_files: |h| vec![h.home.join(".copilot/config.json")],
    store: None,
    keychain_possible: true,
    env_files: |h| vec![EnvFile::GhHosts(gh_config_dir(h).join("hosts.yml"))],
    login_rule,
    self_check: None,
};

/// Where gh keeps its configuration for the listener's user, as gh looks for it:
/// `GH_CONFIG_DIR`, else `$XDG_CONFIG_HOME/gh`, else `~/.config/gh`.
fn gh_config_dir(h: &super::spec::HostHome) -> std::path::PathBuf {
    h.var_dir("GH_CONFIG_DIR").unwrap_or_else(|| {
        h.var_dir("XDG_CONFIG_HOME")
            .unwrap_or_else(|| h.home.join(".config"))
            .join("gh")
    })
}

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

    /// Issue 39: hosts.yml was read from ~/.config/gh whatever GH_CONFIG_DIR said.
    #[test]
    fn hosts_yml_is_where_gh_keeps_it() {
        let home = std::path::Path::new("/home/a");
        let want = crate::probes::processes::Wanted::default();
        let at = |pairs: &[(&str, &str)]| {
            let env =
                crate::probes::processes::ProcessEnv::from_pairs(pairs.iter().copied(), &want);
            match (SPEC.env_files)(&crate::hosts::spec::HostHome {
                home,
                env: Some(&env),
            })
            .remove(0)
            {
                EnvFile::GhHosts(p) => p.display().to_string(),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(at(&[]), "/home/a/.config/gh/hosts.yml");
        assert_eq!(at(&[("XDG_CONFIG_HOME", "/x")]), "/x/gh/hosts.yml");
        assert_eq!(
            at(&[("GH_CONFIG_DIR", "/srv/gh"), ("XDG_CONFIG_HOME", "/x")]),
            "/srv/gh/hosts.yml"
        );
    }
}
