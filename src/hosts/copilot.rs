//! copilot: no status command known; the OS keychain is where its login normally lives, so a
//! missing `~/.copilot/config.json` is never "not logged in".

use super::{read_status_by_exit_code, HostSpec};

pub const SPEC: HostSpec = HostSpec {
    name: "copilot",
    binary: "copilot",
    status_args: None,
    read_status: read_status_by_exit_code,
    login: "copilot",
    key_vars: &["COPILOT_GITHUB_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"],
    state_vars: &[],
    credential_files: |h| vec![h.home.join(".copilot/config.json")],
    keyring: None,
    keychain_possible: true,
};
