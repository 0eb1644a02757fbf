//! What `diff` compares of the host check's facts: for each host, as its first runner finds it,
//! the PATH it was judged on, whether it can start, where it was found, what its status command
//! said, and its key variables (masked).

use super::facts::Facts;
use crate::hosts::LoginState;
use crate::model::aspect::{Aspects, Value};

pub fn aspects(f: &Facts, out: &mut Aspects) {
    for h in &f.hosts {
        for t in h.targets.iter().take(1) {
            let at = |what: &str| format!("{} {what}", h.name);
            // A listener's PATH is the listener's aspect; the doctor's own is said here.
            if !t.is_listener {
                let path = t.path.as_deref().map_or("unreadable".into(), Value::dirs);
                out.put("host", at("judged on the doctor's PATH"), path);
            }
            let cannot = super::start::cannot_start_because(f, t).unwrap_or("no");
            out.put("host", at("cannot start"), cannot);
            let found = t.found.as_ref().map_or("not found".into(), |p| p.display().to_string());
            out.put("host", at("found at"), found);
            let said = t.login.status.as_ref().map_or_else(
                || format!("not run: {}", t.login.not_run.clone().unwrap_or_default()),
                |s| format!("{} ({})", login_words(s.read), s.said),
            );
            out.put("host", at("status command says"), said);
            let keys: Vec<String> = t
                .login
                .keys
                .iter()
                .map(|k| format!("{} {}", k.name, k.value.masked()))
                .collect();
            let keys = if keys.is_empty() { "none".into() } else { keys.join(", ") };
            out.put("host", at("key variables"), keys);
        }
    }
}

/// A status command's reading in words.
fn login_words(s: LoginState) -> &'static str {
    match s {
        LoginState::In => "logged in",
        LoginState::Out => "not logged in",
        LoginState::Unusable => "a login it cannot use",
        LoginState::Unknown => "unclear",
    }
}
