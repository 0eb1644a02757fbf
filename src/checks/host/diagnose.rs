//! Diagnosis for the host check: pure, from the gathered facts to findings. For each host and
//! each place: judged at all (the listener's environment readable)? on its PATH? able to start
//! (its `#!` interpreter)? logged in (see verdict.rs)?

use std::path::Path;

use super::facts::{Facts, Target};
use super::verdict;
use crate::hosts::{self, LoginState};
use crate::model::catalogue as codes;
use crate::model::command::{cmd, Command, Machine};
use crate::model::outcome::{Diagnosis, Finding, Status};
use crate::probes::paths::Shebang;
use crate::probes::supervision::Supervisor;
use crate::probes::users::UserInfo;
use crate::supervisors::{self, Elevation, Listener};

/// The listener this target is, for the supervisor's remedies (None for the doctor itself).
fn listener<'a>(
    t: &'a Target,
    me: &'a UserInfo,
    how: Elevation,
) -> Option<(&'a Supervisor, Listener<'a>)> {
    Some((
        t.supervisor.as_ref()?,
        Listener {
            pid: t.pid?,
            user: &t.user,
            me,
            how,
        },
    ))
}

/// The directory on `path` to link a missing binary into: /usr/local/bin or /usr/bin when the
/// PATH has them, else its first entry.
fn link_dir(path: &str) -> String {
    let dirs: Vec<&str> = path.split(':').filter(|d| !d.is_empty()).collect();
    SYSTEM_BIN
        .into_iter()
        .find(|d| dirs.contains(d))
        .or(dirs.first().copied())
        .unwrap_or("/usr/local/bin")
        .to_string()
}

fn dir_of(p: &Path) -> String {
    p.parent()
        .map(|d| d.display().to_string())
        .unwrap_or_default()
}

fn machine(f: &Facts) -> Machine {
    Machine::new(f.me.uid, f.elevation)
}

/// A command of these words as `user`, printed for this machine (only shown).
fn as_user(user: &UserInfo, f: &Facts, words: &[&str]) -> Command {
    cmd(words.iter().copied())
        .as_user(&user.name, user.uid)
        .on(&machine(f))
}

/// Link `target` into `dir` as `name`: the one step `fix` may take for a binary the listener's
/// PATH lacks (everything after it is the person's to do). Into a system directory it is root's
/// step, taken without asking only when only root can change `target` (else every user, root
/// too, would run a program its owner can rewrite); into any other directory it is the
/// listener's user's, whose permissions bound it.
fn link(f: &Facts, t: &Target, target: &Path, dir: &str, name: &str) -> Command {
    let c = cmd([
        "ln".to_string(),
        "-s".into(),
        target.display().to_string(),
        format!("{dir}/{name}"),
    ]);
    if SYSTEM_BIN.contains(&dir) {
        let c = c.as_root();
        if t.root_only.iter().any(|p| p == target) {
            c.safe()
        } else {
            c.ask()
        }
    } else {
        c.as_user(&t.user.name, t.user.uid).safe()
    }
    .on(&machine(f))
}

/// The system directories a missing binary is linked into, as root.
const SYSTEM_BIN: [&str; 2] = ["/usr/local/bin", "/usr/bin"];

pub fn diagnose(f: &Facts) -> Diagnosis {
    let mut found = vec![];
    if let Some(name) = &f.unknown_host {
        let known = hosts::names();
        found.push((
            Status::Fail,
            Finding::new(
                codes::CONFIG_INVALID,
                format!(
                    "host {name:?} ({}) is not a known host CLI; known: {}",
                    f.chosen_by,
                    known.join(", ")
                ),
            ),
        ));
        return Diagnosis::from_findings("the configured host is not known", found);
    }
    if f.hosts.is_empty() {
        let binaries: Vec<&str> = hosts::HOSTS.iter().map(|h| h.binary).collect();
        found.push((Status::Fail, Finding::new(codes::HOST_NOT_CONFIGURED, format!("no host is configured (no --host, no `host` in config.json) and no known host CLI ({}) is on PATH", binaries.join(", ")))));
        return Diagnosis::from_findings("no host CLI configured or found", found);
    }
    let mut good = vec![];
    for h in &f.hosts {
        let spec = hosts::by_name(&h.name);
        for t in &h.targets {
            // Inside a container the host CLI and its login are the container's, not this
            // machine's: say so rather than judge the wrong file system.
            if let Some(Supervisor::Container { runtime, id }) = &t.supervisor {
                let inside = match id {
                    Some(id) if runtime != "kubernetes" => {
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
                found.push((
                    Status::Warn,
                    Finding::new(codes::HOST_LOGIN_UNVERIFIED,
                        format!(
                            "{}: {} runs in {}: {} and its login live inside it, which the doctor does not judge from outside",
                            h.name,
                            t.who,
                            t.supervisor.as_ref().map(|s| s.words()).unwrap_or_default(),
                            h.binary
                        ),
                    )
                    .with_commands(inside),
                ));
                continue;
            }
            let Some(path) = &t.path else {
                found.push((
                    Status::Warn,
                    Finding::new(
                        codes::HOST_LOGIN_UNVERIFIED,
                        format!(
                            "{}: cannot judge {} for {}: {}",
                            h.name, h.binary, t.who, t.path_note
                        ),
                    )
                    .with_commands(vec![as_user(
                        &t.user,
                        f,
                        &["agent-rooms-doctor", "host"],
                    )]),
                ));
                continue;
            };
            let Some(bin) = &t.found else {
                let mut msg = format!(
                    "{} is not on {} ({})",
                    h.binary,
                    t.path_note,
                    if path.is_empty() {
                        "empty PATH".into()
                    } else {
                        path.clone()
                    }
                );
                let mut cmds = vec![];
                if let Some(e) = t.elsewhere.first() {
                    msg = format!(
                        "{} is in {}, which {} lacks",
                        h.binary,
                        dir_of(e),
                        t.path_note
                    );
                    cmds.push(link(f, t, e, &link_dir(path), &h.binary));
                }
                let mut fnd = Finding::new(codes::HOST_NOT_FOUND, msg);
                match (t.elsewhere.first(), listener(t, &f.me, f.elevation)) {
                    // Link it into a directory the listener's PATH has (no restart needed), or
                    // give the listener a PATH with its directory, the way its supervisor takes it.
                    (Some(e), Some((sup, l))) => {
                        let (step, more) = supervisors::prepend_path(sup, &l, &dir_of(e), path);
                        cmds.extend(more.into_iter().map(Command::shown));
                        fnd = fnd.with_step_first(format!("Either link {} into {}, a directory on the listener's PATH (the first command), or give the listener a PATH with {}. {step}", h.binary, link_dir(path), dir_of(e)));
                    }
                    (None, Some((sup, l))) => {
                        // Nothing to link: installing it is the person's, and so is the restart
                        // after it (fix never stops a listener for a missing host CLI).
                        let (step, more) = supervisors::restart(sup, &l);
                        cmds.extend(more.into_iter().map(Command::shown));
                        fnd = fnd.with_step_first(format!("Install {} for {} (see the host's docs), then restart the listener. {step}", h.binary, t.user.name));
                    }
                    (None, None) => {
                        fnd = fnd.with_step_first(format!(
                            "Install {} for {} (see the host's docs), then restart the listener.",
                            h.binary, t.user.name
                        ))
                    }
                    (Some(_), None) => {}
                }
                let fnd = fnd.with_commands(cmds);
                found.push((Status::Fail, fnd));
                continue;
            };
            match (&t.shebang, &t.interpreter) {
                (Shebang::Env { name }, None) => {
                    let mut cmds = vec![];
                    let mut msg = format!(
                        "{} ({}) starts with `#!/usr/bin/env {name}`, but {name} is not on {}",
                        h.binary,
                        bin.display(),
                        t.path_note
                    );
                    let mut step = None;
                    if let Some(e) = t.interpreter_elsewhere.first() {
                        msg.push_str(&format!("; {name} is in {}", dir_of(e)));
                        cmds.push(link(f, t, e, &link_dir(path), name));
                        if let Some((sup, l)) = listener(t, &f.me, f.elevation) {
                            let (s, more) = supervisors::prepend_path(sup, &l, &dir_of(e), path);
                            cmds.extend(more.into_iter().map(Command::shown));
                            step = Some(format!("Either link {name} into {}, a directory on the listener's PATH (the first command), or give the listener a PATH with {}. {s}", link_dir(path), dir_of(e)));
                        }
                    }
                    let mut fnd =
                        Finding::new(codes::HOST_INTERPRETER_MISSING, msg).with_commands(cmds);
                    if let Some(s) = step {
                        fnd = fnd.with_step_first(s);
                    }
                    found.push((Status::Fail, fnd));
                    continue;
                }
                (Shebang::Path { path: p }, None) => {
                    found.push((
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
                    ));
                    continue;
                }
                _ => {}
            }
            let Some(spec) = spec else { continue };
            // `--deep`: what the host's own doctor found, in its words.
            match &t.login.self_check {
                Some((cmd, Ok(checks))) => {
                    for c in checks {
                        let mut fnd = Finding::new(
                            codes::HOST_SELF_CHECK,
                            format!(
                                "`{cmd}` reports {} ({}, {}): {}",
                                c.id, c.category, c.status, c.summary
                            ),
                        );
                        if let Some(r) = &c.remediation {
                            fnd = fnd.with_step_first(format!("{} suggests: {r}", h.name));
                        }
                        let status = if c.status == "fail" {
                            Status::Fail
                        } else {
                            Status::Warn
                        };
                        found.push((status, fnd));
                    }
                }
                Some((cmd, Err(why))) => found.push((
                    Status::Warn,
                    Finding::new(
                        codes::HOST_SELF_CHECK,
                        format!("`{cmd}` gave no report: {why}"),
                    ),
                )),
                None => {}
            }
            let (state, how) = verdict::login(spec, t, &f.me, f.doctor_is_root);
            let shell_only = if t.login.shell_only_keys.is_empty() {
                String::new()
            } else {
                format!(" ({} is set in your shell but not in the listener's environment, so it does not help the listener)", t.login.shell_only_keys.join(", "))
            };
            match state {
                LoginState::In => good.push(format!("{} login found for {} ({how})", h.name, t.user.name)),
                LoginState::Unusable => found.push((
                    Status::Fail,
                    Finding::new(codes::HOST_NOT_LOGGED_IN, format!("{} cannot use what is set for {} ({}): {how}", h.name, t.user.name, t.who))
                        .with_commands(vec![as_user(&t.user, f, &h.login_command.split_whitespace().collect::<Vec<_>>())]),
                )),
                LoginState::Out if t.user.uid != f.me.uid && t.login.mine_logged_in == Some(true) => found.push((
                    Status::Fail,
                    Finding::new(codes::HOST_LOGGED_IN_OTHER_USER, format!("{} is logged in for you ({}) but not for {}, the listener's user: {how}{shell_only}", h.name, f.me.name, t.user.name))
                        .with_commands(vec![as_user(&t.user, f, &h.login_command.split_whitespace().collect::<Vec<_>>())]),
                )),
                LoginState::Out => found.push((
                    Status::Fail,
                    Finding::new(codes::HOST_NOT_LOGGED_IN, format!("{} is not logged in for {} ({}): {how}{shell_only}", h.name, t.user.name, t.who))
                        .with_commands(vec![as_user(&t.user, f, &h.login_command.split_whitespace().collect::<Vec<_>>())]),
                )),
                LoginState::Unknown => {
                    let status_cmd: Vec<&str> = std::iter::once(h.binary.as_str()).chain(spec.status_args.unwrap_or_default().iter().copied()).collect();
                    found.push((
                        Status::Warn,
                        Finding::new(codes::HOST_LOGIN_UNVERIFIED, format!("cannot tell whether {} is logged in for {} ({}): {how}{shell_only}", h.name, t.user.name, t.who))
                            .with_commands(vec![as_user(&t.user, f, &status_cmd)]),
                    ))
                }
            }
        }
    }
    let summary = if found.is_empty() {
        good.join("; ")
    } else {
        // Each finding's message up to its details: "codex is not logged in for bob (…)".
        let heads: Vec<&str> = found
            .iter()
            .map(|(_, f)| f.message.split(": ").next().unwrap_or(&f.message))
            .collect();
        match heads.len() {
            1 | 2 => heads.join("; "),
            n => format!("{}; and {} more", heads[..2].join("; "), n - 2),
        }
    };
    Diagnosis::from_findings(summary, found)
}

#[cfg(test)]
#[path = "diagnose_tests.rs"]
pub(crate) mod tests;
