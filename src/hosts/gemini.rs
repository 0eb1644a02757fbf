//! gemini: no status command (start-up is slow, over a second), so it is judged from files and
//! the environment: `$GEMINI_CLI_HOME` (else `~`), `.gemini/oauth_creds.json` for a Google login.

use super::{read_status_by_exit_code, HostSpec};

pub const SPEC: HostSpec = HostSpec {
    name: "gemini",
    binary: "gemini",
    status_args: None,
    read_status: read_status_by_exit_code,
    login: "gemini",
    key_vars: &["GEMINI_API_KEY", "GOOGLE_API_KEY"],
    state_vars: &["GEMINI_CLI_HOME"],
    credential_files: |h| match h.var_dir("GEMINI_CLI_HOME") {
        Some(g) => vec![
            g.join(".gemini/oauth_creds.json"),
            g.join("oauth_creds.json"),
        ],
        None => vec![h.home.join(".gemini/oauth_creds.json")],
    },
    keyring: None,
    keychain_possible: false,
};
