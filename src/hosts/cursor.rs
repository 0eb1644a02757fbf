//! cursor (`cursor-agent`): `cursor-agent status`; the login is in `~/.config/cursor/auth.json`
//! on Linux, the Keychain on macOS; `CURSOR_API_KEY` logs it in by itself.

use super::{read_status_by_exit_code, HostSpec};

pub const SPEC: HostSpec = HostSpec {
    name: "cursor",
    binary: "cursor-agent",
    status_args: Some(&["status"]),
    read_status: read_status_by_exit_code,
    login: "cursor-agent login",
    key_vars: &["CURSOR_API_KEY"],
    state_vars: &[],
    credential_files: |h| vec![h.home.join(".config/cursor/auth.json")],
    keyring: None,
    keychain_possible: cfg!(target_os = "macos"),
};
