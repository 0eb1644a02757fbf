//! What is known about each host CLI (CONTRACT §1's table), as data: binary, status command,
//! login command, credential files and the environment variables that log it in.

use std::path::{Path, PathBuf};

use crate::probes::processes::ListenerEnv;

#[derive(Debug)]
pub struct HostSpec {
    pub name: &'static str,
    pub binary: &'static str,
    /// A status command without side effects beyond the CLI's own state dir; None: judge from files.
    pub status_args: Option<&'static [&'static str]>,
    pub login: &'static str,
    pub key_vars: &'static [&'static str],
    /// The credentials may live in an OS keychain the doctor cannot read.
    pub keychain_possible: bool,
}

pub static HOSTS: &[HostSpec] = &[
    HostSpec {
        name: "codex",
        binary: "codex",
        status_args: Some(&["login", "status"]),
        login: "codex login",
        key_vars: &["OPENAI_API_KEY", "CODEX_API_KEY"],
        keychain_possible: false,
    },
    HostSpec {
        name: "claude",
        binary: "claude",
        status_args: Some(&["auth", "status"]),
        login: "claude auth login",
        key_vars: &[
            "ANTHROPIC_API_KEY",
            "ANTHROPIC_AUTH_TOKEN",
            "CLAUDE_CODE_OAUTH_TOKEN",
        ],
        keychain_possible: cfg!(target_os = "macos"),
    },
    HostSpec {
        name: "gemini",
        binary: "gemini",
        status_args: None,
        login: "gemini",
        key_vars: &["GEMINI_API_KEY", "GOOGLE_API_KEY"],
        keychain_possible: false,
    },
    HostSpec {
        name: "cursor",
        binary: "cursor-agent",
        status_args: Some(&["status"]),
        login: "cursor-agent login",
        key_vars: &["CURSOR_API_KEY"],
        keychain_possible: cfg!(target_os = "macos"),
    },
    HostSpec {
        name: "copilot",
        binary: "copilot",
        status_args: None,
        login: "copilot",
        key_vars: &["COPILOT_GITHUB_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"],
        keychain_possible: true,
    },
];

pub fn by_name(name: &str) -> Option<&'static HostSpec> {
    let n = name.trim().to_ascii_lowercase();
    HOSTS.iter().find(|h| h.name == n || h.binary == n)
}

/// Where this host keeps its credentials for a user with `home` and (if known) environment `env`.
pub fn credential_paths(h: &HostSpec, home: &Path, env: Option<&ListenerEnv>) -> Vec<PathBuf> {
    let var = |k: &str| {
        env.and_then(|e| e.get(k))
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    match h.name {
        "codex" => vec![var("CODEX_HOME")
            .unwrap_or_else(|| home.join(".codex"))
            .join("auth.json")],
        "claude" => vec![var("CLAUDE_CONFIG_DIR")
            .unwrap_or_else(|| home.join(".claude"))
            .join(".credentials.json")],
        "gemini" => match var("GEMINI_CLI_HOME") {
            Some(g) => vec![
                g.join(".gemini/oauth_creds.json"),
                g.join("oauth_creds.json"),
            ],
            None => vec![home.join(".gemini/oauth_creds.json")],
        },
        "cursor" => vec![home.join(".config/cursor/auth.json")],
        "copilot" => vec![home.join(".copilot/config.json")],
        _ => vec![],
    }
}

/// codex's `config.toml` may say the credentials are in the OS keyring.
pub fn keyring_config(h: &HostSpec, home: &Path, env: Option<&ListenerEnv>) -> Option<PathBuf> {
    (h.name == "codex").then(|| {
        env.and_then(|e| e.get("CODEX_HOME"))
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join(".codex"))
            .join("config.toml")
    })
}
