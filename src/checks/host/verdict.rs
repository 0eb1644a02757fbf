//! The login verdict for one target (a place the host must work from): the status command's
//! answer when it gave one, else what the credential files and the environment say.

use super::facts::{HostAtRunner, Login, StatusRun};
use crate::hosts::{Evidence, HostSpec, LoginState};
use crate::probes::host_cli::CmdResult;
use crate::probes::users::UserInfo;

/// Logged in, out or unknown for `t`, and how that is known (the words that follow "for USER: ").
pub fn login(
    spec: &HostSpec,
    t: &HostAtRunner,
    me: &UserInfo,
    doctor_is_root: bool,
) -> (LoginState, String) {
    // The host's own rule first: keys its status command does not read, where its login is
    // stored, tokens it cannot use.
    let answered = t
        .login
        .status
        .as_ref()
        .map(|s| s.read)
        .filter(|s| *s != LoginState::Unknown);
    let evidence = Evidence {
        status: answered,
        keys: &t.login.keys,
        store: t.login.store.as_ref(),
        creds: &t.login.creds,
    };
    if let Some((state, mut how)) = (spec.login_rule)(&evidence) {
        // Unverified by the host's rule, after its status command answered nothing clear: what
        // the command said is part of why.
        if let (LoginState::Unknown, Some(run)) = (state, &t.login.status) {
            how.push_str(&format!("; `{}` {}", run.command, how_it_ended(run)));
        }
        return (state, how);
    }
    match &t.login.status {
        Some(run) => match run.read {
            LoginState::Unknown => {
                let (s, h2) = judge_files(spec, &t.login);
                (
                    s,
                    format!("`{}` {}; from files: {h2}", run.command, how_it_ended(run)),
                )
            }
            s => (s, format!("`{}` says {}", run.command, run.said)),
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
    if let Some(k) = l.keys.first() {
        return (LoginState::In, format!("by {} in {}", k.name, k.from));
    }
    if let Some(c) = l
        .creds
        .iter()
        .find(|c| c.holds_a_login())
    {
        return (
            LoginState::In,
            format!(
                "{} holds a stored {} (stored: not proof the server still accepts it)",
                c.path.display(),
                if c.creds().has_refresh_token {
                    "refresh token"
                } else {
                    "API key"
                }
            ),
        );
    }
    if let Some(c) = l
        .creds
        .iter()
        .find(|c| c.read != crate::probes::files::Loaded::Missing)
    {
        let why = c.read.why_not().unwrap_or("holds no refresh token or API key");
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

/// How a status command ended and what it said: "exited 1 saying …", "timed out after 5000 ms".
fn how_it_ended(run: &StatusRun) -> String {
    match &run.result {
        CmdResult::TimedOut { after_ms } => format!("timed out after {after_ms} ms"),
        CmdResult::NotStarted { error } => format!("could not start: {error}"),
        CmdResult::Exited { code, .. } => format!(
            "exited {} saying {}",
            code.map_or("by a signal".into(), |c| c.to_string()),
            run.said
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::facts::what_it_said;
    use super::*;

    #[test]
    fn what_a_status_command_said_is_told_in_a_few_words() {
        let r = |out: &str, err: &str| CmdResult::Exited {
            code: Some(1),
            stdout: out.into(),
            stderr: err.into(),
        };
        assert_eq!(
            what_it_said(&r(
                "{\n  \"loggedIn\": false,\n  \"authMethod\": \"none\"\n}\n",
                ""
            )),
            "loggedIn: false, authMethod \"none\""
        );
        assert_eq!(
            what_it_said(&r("{\"loggedIn\": true}", "")),
            "loggedIn: true"
        );
        assert_eq!(
            what_it_said(&r("", "WARNING: no aliases\nNot logged in\n")),
            "\"Not logged in\""
        );
        assert_eq!(
            what_it_said(&r("{\"other\": 1}", "")),
            "\"{\\\"other\\\": 1}\""
        );
        assert_eq!(what_it_said(&CmdResult::TimedOut { after_ms: 5 }), "");
    }
    use crate::checks::host::diagnose;
    use crate::hosts;
    use crate::probes::host_cli::CredFile;

    fn cred(refresh: bool, key: bool) -> CredFile {
        CredFile::holding("/home/a/.codex/auth.json", refresh, false, key)
    }

    #[test]
    fn a_stored_refresh_token_or_key_is_a_stored_login() {
        let codex = hosts::by_name("codex").unwrap();
        let rows = [
            (true, false, LoginState::In, "holds a stored refresh token"),
            (false, true, LoginState::In, "holds a stored API key"),
            (true, true, LoginState::In, "holds a stored refresh token"),
            (
                false,
                false,
                LoginState::Unknown,
                "holds no refresh token or API key",
            ),
        ];
        for (refresh, key, state, words) in rows {
            let l = Login {
                creds: vec![cred(refresh, key)],
                ..Login::default()
            };
            let (s, how) = judge_files(codex, &l);
            assert_eq!(s, state, "refresh {refresh}, key {key}");
            assert!(how.contains(words), "{how}");
        }
    }

    fn target(status: CmdResult) -> HostAtRunner {
        let mut t = diagnose::tests::target(diagnose::tests::user(1000, "alice"));
        t.login.status = Some(StatusRun::new(
            hosts::by_name("codex").unwrap(),
            "/usr/bin/codex login status".into(),
            status,
        ));
        t
    }

    #[test]
    fn the_status_commands_words_are_quoted_short_and_clean() {
        let codex = hosts::by_name("codex").unwrap();
        let me = target(CmdResult::TimedOut { after_ms: 1 }).user;
        let judged = |stdout: &str, stderr: &str, code: i32| {
            let t = target(CmdResult::Exited {
                code: Some(code),
                stdout: stdout.into(),
                stderr: stderr.into(),
            });
            login(codex, &t, &me, false)
        };
        let (s, how) = judged("", "\n  Not logged in  \nmore\n", 1);
        assert_eq!(s, LoginState::Out);
        assert_eq!(how, "`/usr/bin/codex login status` says \"Not logged in\"");
        let (s, how) = judged("Logged in using ChatGPT\n", "", 0);
        assert_eq!(s, LoginState::In);
        assert_eq!(
            how,
            "`/usr/bin/codex login status` says \"Logged in using ChatGPT\""
        );
        // Control characters are dropped and a long line is cut at 120 characters.
        let (_, how) = judged("", &format!("Not logged in\x1b[31m{}", "x".repeat(300)), 1);
        assert!(!how.contains('\x1b'), "{how}");
        let quoted = how.split('"').nth(1).unwrap();
        assert_eq!(quoted.chars().count(), 120, "{how}");
        assert!(
            quoted.starts_with("Not logged inxxx") && quoted.ends_with('…'),
            "{how}"
        );
        // An answer that says nothing is quoted too, with the files' verdict after it.
        let (s, how) = judged("", "Error: keyring locked\n", 1);
        assert_eq!(s, LoginState::Out);
        assert!(
            how.starts_with("`/usr/bin/codex login status` exited 1 saying \"Error: keyring locked\"; from files: "),
            "{how}"
        );
    }
}
