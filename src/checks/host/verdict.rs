//! The login verdict for one target (a place the host must work from): the status command's
//! answer when it gave one, else what the credential files and the environment say.

use super::{Login, Target};
use crate::hosts::{HostSpec, LoginState};
use crate::probes::host_cli::CmdResult;
use crate::probes::users::UserInfo;

/// Logged in, out or unknown for `t`, and how that is known (the words that follow "for USER: ").
pub fn login(
    spec: &HostSpec,
    t: &Target,
    me: &UserInfo,
    doctor_is_root: bool,
) -> (LoginState, String) {
    match &t.login.status {
        Some((cmd, r)) => match (spec.read_status)(r) {
            LoginState::Unknown => {
                let (s, h2) = judge_files(spec, &t.login);
                let said = match r {
                    CmdResult::TimedOut { after_ms } => {
                        format!("`{cmd}` timed out after {after_ms} ms")
                    }
                    CmdResult::NotStarted { error } => {
                        format!("`{cmd}` could not start: {error}")
                    }
                    CmdResult::Exited {
                        code,
                        stdout,
                        stderr,
                    } => format!(
                        "`{cmd}` exited {} saying {:?}",
                        code.map_or("by a signal".into(), |c| c.to_string()),
                        excerpt(&format!("{stdout}{stderr}"))
                    ),
                };
                (s, format!("{said}; from files: {h2}"))
            }
            s => (s, format!("`{cmd}` says {:?}", excerpt(&status_text(r)))),
        },
        None if !(t.user.uid == me.uid || doctor_is_root) => (
            LoginState::Unknown,
            t.login.not_run.clone().unwrap_or_default(),
        ),
        None => judge_files(spec, &t.login),
    }
}

/// What the files and environment say: in (and how), out, or unknown (and why).
pub fn judge_files(h: &HostSpec, l: &Login) -> (LoginState, String) {
    if let Some(k) = l.env_keys.first() {
        return (
            LoginState::In,
            format!("by API key in the environment ({k})"),
        );
    }
    if let Some(c) = l
        .creds
        .iter()
        .find(|c| c.has_refresh_token || c.has_api_key)
    {
        return (
            LoginState::In,
            format!(
                "{} holds a {}",
                c.path.display(),
                if c.has_refresh_token {
                    "refresh token"
                } else {
                    "stored API key"
                }
            ),
        );
    }
    if l.keyring_configured {
        return (LoginState::Unknown, "its config.toml keeps the credentials in the OS keyring, which the doctor does not read".into());
    }
    if let Some(c) = l
        .creds
        .iter()
        .find(|c| c.problem.as_deref() != Some("missing"))
    {
        let why = c
            .problem
            .clone()
            .unwrap_or_else(|| "holds no refresh token or API key".into());
        return (LoginState::Unknown, format!("{} {why}", c.path.display()));
    }
    if h.keychain_possible {
        return (
            LoginState::Unknown,
            "no credential file or key variable; the credentials may be in the OS keychain".into(),
        );
    }
    let files: Vec<String> = l
        .creds
        .iter()
        .map(|c| c.path.display().to_string())
        .collect();
    (
        LoginState::Out,
        format!(
            "no credential file ({}) and no {} in the environment",
            files.join(", "),
            h.key_vars.join("/")
        ),
    )
}

fn status_text(r: &CmdResult) -> String {
    match r {
        CmdResult::Exited { stdout, stderr, .. } => format!("{stdout}{stderr}"),
        _ => String::new(),
    }
}

/// The first line of a command's output, short and free of control characters.
fn excerpt(s: &str) -> String {
    let line = s
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    line.chars().filter(|c| !c.is_control()).take(120).collect()
}
