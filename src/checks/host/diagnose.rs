//! Diagnosis for the host check: pure, from the gathered facts to findings. For each host and
//! each runner: judged at all (the listener's environment readable)? on its PATH? able to start
//! (its `#!` interpreter)? logged in (see verdict.rs)?

use std::path::Path;

use super::facts::{Facts, HostAtRunner, HostFacts};
use super::remedy::{dir_of, in_their_world, link, link_dir, listener, machine, Found};
use super::{start, verdict};
use crate::hosts::{self, HostSpec, HostStatus, LoginState};
use crate::model::catalogue as codes;
use crate::model::command::{cmd, doctor, Command};
use crate::model::outcome::{Diagnosis, Finding, Status};
use crate::model::text::Text;
use crate::probes::paths::Shebang;
use crate::probes::supervision::Supervisor;
use crate::supervisors;

/// The host check's diagnosis: a configured host, then for each host and each runner it must
/// work from, the rules below in turn (the first that finds a problem ends that runner's turn).
pub fn diagnose(f: &Facts) -> Diagnosis {
    if let Some(d) = unknown_host(f).or_else(|| none_configured(f)) {
        return d;
    }
    let mut found = vec![];
    let mut good = vec![];
    for h in &f.hosts {
        let spec = hosts::by_name(&h.name);
        for t in &h.targets {
            let (more, fine) = runner(f, h, spec, t);
            found.extend(more);
            good.extend(fine);
        }
    }
    Diagnosis::from_findings(summary(&found, &good), found)
}

/// `host` names no known host CLI: CONFIG_INVALID.
fn unknown_host(f: &Facts) -> Option<Diagnosis> {
    let name = f.unknown_host.as_ref()?;
    let known = hosts::names();
    Some(Diagnosis::from_findings(
        "the configured host is not known",
        vec![(
            Status::Fail,
            Finding::new(
                codes::CONFIG_INVALID,
                format!(
                    "host {name:?} ({}) is not a known host CLI; known: {}",
                    f.chosen_by,
                    known.join(", ")
                ),
            ),
        )],
    ))
}

/// No host configured and none found: HOST_NOT_CONFIGURED.
fn none_configured(f: &Facts) -> Option<Diagnosis> {
    if !f.hosts.is_empty() {
        return None;
    }
    // The host config.json would name is unknown, not missing: its own finding says why.
    if f.config_denied {
        return Some(Diagnosis::skipped(
            "skipped: config.json cannot be read by the doctor, so the host it names is unknown",
            "config.json cannot be read by the doctor",
        ));
    }
    let binaries: Vec<&str> = hosts::HOSTS.iter().map(|h| h.binary).collect();
    Some(Diagnosis::from_findings(
        "no host CLI configured or found",
        vec![(
            Status::Fail,
            Finding::new(
                codes::HOST_NOT_CONFIGURED,
                format!(
                    "no host is configured (no --host, no `host` in config.json) and no known host \
                        CLI ({}) is on PATH",
                    binaries.join(", ")
                ),
            ),
        )],
    ))
}

/// One runner of the host: its findings, or the login it has.
fn runner(
    f: &Facts,
    h: &HostFacts,
    spec: Option<&'static HostSpec>,
    t: &HostAtRunner,
) -> (Vec<Found>, Option<String>) {
    if let Some(x) = in_container(f, h, t) {
        return (vec![x], None);
    }
    let Some(path) = &t.path else {
        return (vec![unjudged(f, h, t)], None);
    };
    // What the listener's PATH resolves to comes first, even when it cannot run: a working
    // copy elsewhere is a way out, never what is judged.
    if t.found.is_none() && t.unrunnable.is_empty() {
        return (vec![not_found(f, h, t, path)], None);
    }
    if let Some(x) = t
        .found
        .as_deref()
        .and_then(|bin| cannot_start(f, h, t, bin, path))
        .or_else(|| start::cannot_start(f, h, t))
    {
        return (vec![x], None);
    }
    let Some(spec) = spec else {
        return (vec![], None);
    };
    let mut out = self_check(h, t);
    match login(f, h, spec, t) {
        Judged::LoggedIn(good) => (out, Some(good)),
        Judged::Problem(x) => {
            out.push(*x);
            (out, None)
        }
    }
}

/// Inside a container the host CLI and its login are the container's, not this machine's:
/// say so rather than judge the wrong file system (HOST_LOGIN_UNVERIFIED).
fn in_container(f: &Facts, h: &HostFacts, t: &HostAtRunner) -> Option<Found> {
    let Some(Supervisor::Container { runtime, id }) = &t.supervisor else {
        return None;
    };
    let inside = match id {
        Some(id) if runtime.execs_by_id() => {
            vec![cmd([
                runtime.as_str(),
                "exec",
                id.as_str(),
                "agent-rooms-doctor",
                "host",
            ])
            .on(&machine(f))]
        }
        _ => vec![],
    };
    Some((
        Status::Warn,
        Finding::new(codes::HOST_LOGIN_UNVERIFIED,
            Text::headed(h.name.as_str(), format!(
                "{} runs in {}: {} and its login live inside it, which the doctor does not judge from outside",
                t.runner(),
                t.supervisor.as_ref().map(|s| s.words()).unwrap_or_default(),
                h.binary
            )),
        )
        .with_commands(inside),
    ))
}

/// The listener's environment could not be read: nothing to judge (HOST_LOGIN_UNVERIFIED).
fn unjudged(f: &Facts, h: &HostFacts, t: &HostAtRunner) -> Found {
    (
        Status::Warn,
        Finding::new(
            codes::HOST_LOGIN_UNVERIFIED,
            Text::headed(
                h.name.as_str(),
                format!(
                    "cannot judge {} for {}: {}",
                    h.binary, t.runner(), t.path_note
                ),
            ),
        )
        .with_commands(vec![doctor(&machine(f), &["host"])
            .as_user(&t.user.name, t.user.uid)
            .on(&machine(f))]),
    )
}

/// The host CLI is not on the runner's PATH: HOST_NOT_FOUND, with a link or a PATH to give.
fn not_found(f: &Facts, h: &HostFacts, t: &HostAtRunner, path: &str) -> Found {
    let mut msg = Text::from(format!("{} is not on {} (", h.binary, t.path_note));
    msg = if path.is_empty() {
        msg.words("empty PATH)")
    } else {
        msg.dirs(path).words(")")
    };
    if let Some(e) = t.elsewhere.first() {
        msg = Text::from(format!(
            "{} is in {}, which {} lacks",
            h.binary,
            dir_of(e),
            t.path_note
        ));
    }
    let fnd = Finding::new(codes::HOST_NOT_FOUND, msg);
    let fnd = match (t.elsewhere.first(), listener(t, &f.me, f.elevation.clone())) {
        // Link it into a directory the listener's PATH has (no restart needed), or give the
        // listener a PATH with its directory, the way its supervisor takes it: one or the other.
        (Some(e), runs) => {
            let fnd = fnd
                .with_commands(vec![link(f, t, e, &link_dir(path), &h.binary)])
                .with_step_first(format!(
                    "Link {} into {}, a directory on the listener's PATH: nothing needs a restart.",
                    h.binary,
                    link_dir(path)
                ));
            match runs {
                Some((sup, l)) => {
                    let (step, more) = supervisors::prepend_path(sup, &l, &dir_of(e), path);
                    fnd.with_alternative(
                        format!("Or give the listener a PATH with {}. {step}", dir_of(e)),
                        more,
                    )
                }
                None => fnd,
            }
        }
        (None, Some((sup, l))) => {
            // Nothing to link: installing it is the person's, and so is the restart
            // after it (fix never stops a listener for a missing host CLI).
            let (step, more) = supervisors::restart(sup, &l);
            fnd.with_commands(more.into_iter().map(Command::shown).collect())
                .with_step_first(format!(
                    "Install {} for {} (see the host's docs), then restart the listener. {step}",
                    h.binary, t.user.name
                ))
        }
        (None, None) => fnd.with_commands(vec![]).with_step_first(format!(
            "Install {} for {} (see the host's docs), then restart the listener.",
            h.binary, t.user.name
        )),
    };
    (Status::Fail, fnd)
}

/// The host CLI is found but its `#!` interpreter is not: HOST_INTERPRETER_MISSING.
fn cannot_start(
    f: &Facts,
    h: &HostFacts,
    t: &HostAtRunner,
    bin: &Path,
    path: &str,
) -> Option<Found> {
    match (&t.shebang, &t.interpreter) {
        (Shebang::Env { name }, None) => {
            let mut msg = format!(
                "{} ({}) starts with `#!/usr/bin/env {name}`, but {name} is not on {}",
                h.binary,
                bin.display(),
                t.path_note
            );
            let Some(e) = t.interpreter_elsewhere.first() else {
                return Some((
                    Status::Fail,
                    Finding::new(codes::HOST_INTERPRETER_MISSING, msg).with_commands(vec![]),
                ));
            };
            msg.push_str(&format!("; {name} is in {}", dir_of(e)));
            let mut fnd = Finding::new(codes::HOST_INTERPRETER_MISSING, msg)
                .with_commands(vec![link(f, t, e, &link_dir(path), name)]);
            // Link it, or give the listener a PATH with its directory: one or the other.
            if let Some((sup, l)) = listener(t, &f.me, f.elevation.clone()) {
                let (s, more) = supervisors::prepend_path(sup, &l, &dir_of(e), path);
                fnd = fnd
                    .with_step_first(format!(
                        "Link {name} into {}, a directory on the listener's PATH: nothing needs a restart.",
                        link_dir(path)
                    ))
                    .with_alternative(
                        format!("Or give the listener a PATH with {}. {s}", dir_of(e)),
                        more,
                    );
            }
            Some((Status::Fail, fnd))
        }
        (Shebang::Path { path: p }, None) => Some((
            Status::Fail,
            Finding::new(
                codes::HOST_INTERPRETER_MISSING,
                format!(
                    "{} ({}) needs {}, which does not exist or is not executable",
                    h.binary,
                    bin.display(),
                    p.display()
                ),
            ),
        )),
        _ => None,
    }
}

/// `--deep`: what the host's own doctor found, in its words (HOST_SELF_CHECK).
fn self_check(h: &HostFacts, t: &HostAtRunner) -> Vec<Found> {
    let mut out = vec![];
    match &t.login.self_check {
        Some((cmd, Ok(checks))) => {
            for c in checks {
                let mut fnd = Finding::new(
                    codes::HOST_SELF_CHECK,
                    Text::headed(
                        format!("`{cmd}` reports {} ({}, {})", c.id, c.category, c.status.word()),
                        c.summary.as_str(),
                    ),
                );
                if let Some(r) = &c.remediation {
                    fnd = fnd.with_step_first(format!("{} suggests: {r}", h.name));
                }
                let status = match c.status {
                    HostStatus::Fail => Status::Fail,
                    HostStatus::Warning => Status::Warn,
                };
                out.push((status, fnd));
            }
        }
        Some((cmd, Err(why))) => out.push((
            Status::Warn,
            Finding::new(
                codes::HOST_SELF_CHECK,
                Text::headed(format!("`{cmd}` gave no report"), why.as_str()),
            ),
        )),
        None => {}
    }
    out
}

/// A runner's login: the login found, or the finding that says why there is none.
enum Judged {
    LoggedIn(String),
    Problem(Box<Found>),
}

/// The login verdict for the runner's user: the login found, or why there is none
/// (HOST_NOT_LOGGED_IN, HOST_LOGGED_IN_OTHER_USER, HOST_LOGIN_UNVERIFIED).
fn login(f: &Facts, h: &HostFacts, spec: &HostSpec, t: &HostAtRunner) -> Judged {
    let (state, how) = verdict::login(spec, t, &f.me, f.doctor_is_root);
    let (user, runner) = (&t.user.name, t.runner_short());
    let details = format!("{how}{}", shell_only(t));
    let problem = |status, code, head: String, details: String, words: &[&str]| {
        Judged::Problem(Box::new((
            status,
            Finding::new(code, Text::headed(head, details))
                .with_commands(vec![in_their_world(t, f, words)]),
        )))
    };
    let log_in = spec.login;
    match state {
        LoginState::In => Judged::LoggedIn(format!("{} login found for {user} ({how})", h.name)),
        LoginState::Unusable => problem(
            Status::Fail,
            codes::HOST_NOT_LOGGED_IN,
            format!("{} cannot use what is set for {user} ({runner})", h.name),
            how,
            log_in,
        ),
        LoginState::Out if t.user.uid != f.me.uid && t.login.mine_logged_in == Some(true) => {
            problem(
                Status::Fail,
                codes::HOST_LOGGED_IN_OTHER_USER,
                format!(
                    "{} is logged in for you ({}) but not for {user}, the listener's user",
                    h.name, f.me.name
                ),
                details,
                log_in,
            )
        }
        LoginState::Out => problem(
            Status::Fail,
            codes::HOST_NOT_LOGGED_IN,
            format!("{} is not logged in for {user} ({runner})", h.name),
            details,
            log_in,
        ),
        LoginState::Unknown => {
            let status: Vec<&str> = std::iter::once(h.binary.as_str())
                .chain(spec.status_args.unwrap_or_default().iter().copied())
                .collect();
            problem(
                Status::Warn,
                codes::HOST_LOGIN_UNVERIFIED,
                format!(
                    "cannot tell whether {} is logged in for {user} ({runner})",
                    h.name
                ),
                details,
                &status,
            )
        }
    }
}

/// A key set in the doctor's shell but not in the listener's environment, said after a verdict.
fn shell_only(t: &HostAtRunner) -> String {
    if t.login.shell_only_keys.is_empty() {
        return String::new();
    }
    format!(
        " ({} is set in your shell but not in the listener's environment, so it does not help the listener)",
        t.login.shell_only_keys.join(", ")
    )
}

/// The check's one line: the logins found, or each finding's head (the whole message where it
/// has none): "codex is not logged in for bob (…)".
fn summary(found: &[Found], good: &[String]) -> Text {
    if found.is_empty() {
        return good.join("; ").into();
    }
    let heads: Vec<Text> = found
        .iter()
        .map(|(_, f)| match f.message.head() {
            Some(head) => Text::from(head),
            None => f.message.clone(),
        })
        .collect();
    let mut line = Text::default();
    for (i, head) in heads.iter().take(2).enumerate() {
        if i > 0 {
            line.push_words("; ");
        }
        line.push_text(head);
    }
    if heads.len() > 2 {
        line.push_words(format!("; and {} more", heads.len() - 2));
    }
    line
}

#[cfg(test)]
#[path = "diagnose_tests.rs"]
pub(crate) mod tests;
