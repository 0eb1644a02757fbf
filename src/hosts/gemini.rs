//! gemini: no status command (start-up is slow, over a second), so it is judged from files and
//! the environment: `$GEMINI_CLI_HOME` (else `~`), `.gemini/oauth_creds.json` for a Google login,
//! `.gemini/gemini-credentials.json` (the encrypted fallback), `GEMINI_API_KEY` in the environment
//! or in `.env` files (`~/.gemini/.env`, `~/.env`).

use super::{read_status_by_exit_code, EnvFile, Evidence, HostHome, HostSpec, LoginState};

fn gemini_home(h: &HostHome) -> std::path::PathBuf {
    h.var_dir("GEMINI_CLI_HOME")
        .unwrap_or_else(|| h.home.to_path_buf())
}

/// A key in the environment or in a `.env` file gemini reads logs it in.
fn login_rule(e: &Evidence) -> Option<(LoginState, String)> {
    let k = e.first(&["GEMINI_API_KEY", "GOOGLE_API_KEY"])?;
    Some((LoginState::In, format!("by {} in {}", k.name, k.from)))
}

pub const SPEC: HostSpec = HostSpec {
    name: "gemini",
    binary: "gemini",
    status_args: None,
    read_status: read_status_by_exit_code,
    login: "gemini",
    key_vars: &["GEMINI_API_KEY", "GOOGLE_API_KEY"],
    state_vars: &["GEMINI_CLI_HOME"],
    credential_files: |h| {
        let g = gemini_home(h).join(".gemini");
        vec![
            g.join("oauth_creds.json"),
            g.join("gemini-credentials.json"),
        ]
    },
    store: None,
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
