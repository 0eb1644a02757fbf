//! Commands made for the runner's world, shared by the host check's rules (diagnose.rs and
//! start.rs): the listener a target is, the directory to link into, a command as the
//! listener's user with its HOME, state variables and PATH.

use std::path::Path;

use super::facts::{Facts, HostAtRunner};
use crate::model::command::{cmd, Command, Machine};
use crate::model::outcome::{Finding, Status};
use crate::probes::paths::Shebang;
use crate::probes::supervision::Supervisor;
use crate::probes::users::UserInfo;
use crate::supervisors::{Elevation, Listener};

/// The listener this target is, for the supervisor's remedies (None for the doctor itself).
pub(super) fn listener<'a>(
    t: &'a HostAtRunner,
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
pub(super) fn link_dir(path: &str) -> String {
    let dirs: Vec<&str> = path.split(':').filter(|d| !d.is_empty()).collect();
    SYSTEM_BIN
        .into_iter()
        .find(|d| dirs.contains(d))
        .or(dirs.first().copied())
        .unwrap_or("/usr/local/bin")
        .to_string()
}

pub(super) fn dir_of(p: &Path) -> String {
    p.parent()
        .map(|d| d.display().to_string())
        .unwrap_or_default()
}

pub(super) fn machine(f: &Facts) -> Machine {
    Machine::new(f.me.uid, &f.elevation)
}

/// A host CLI command printed for the runner's world, so it works where it is pasted: the binary
/// the listener would run (its full path), with the listener's HOME and state variables (and its
/// PATH when the binary's `#!` looks up an interpreter), as the listener's user. For the doctor
/// itself, the words as they are.
pub(super) fn in_their_world(t: &HostAtRunner, f: &Facts, words: &[&str]) -> Command {
    let program = match (&t.found, t.is_listener) {
        (Some(bin), true) => crate::model::command::path_word(bin),
        _ => words.first().copied().unwrap_or_default().to_string(),
    };
    let mut c = cmd(std::iter::once(program).chain(words.iter().skip(1).map(|w| w.to_string())));
    for (k, v) in &t.state_env {
        c = c.env(k.as_str(), v.as_str());
    }
    if let (true, Shebang::Env { .. }, Some(path)) = (t.is_listener, &t.shebang, &t.path) {
        c = c.env("PATH", path.as_str());
    }
    c.as_user(&t.user.name, t.user.uid).on(&machine(f))
}

/// Link `target` into `dir` as `name`: the one step `fix` may take for a binary the listener's
/// PATH lacks (everything after it is the person's to do). Into a system directory it is root's
/// step, taken without asking only when only root can change `target` (else every user, root
/// too, would run a program its owner can rewrite); into any other directory it is the
/// listener's user's, whose permissions bound it.
pub(super) fn link(f: &Facts, t: &HostAtRunner, target: &Path, dir: &str, name: &str) -> Command {
    let c = cmd([
        "ln".to_string(),
        "-s".into(),
        crate::model::command::path_word(target),
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
pub(super) const SYSTEM_BIN: [&str; 2] = ["/usr/local/bin", "/usr/bin"];

/// One finding a rule raises, with the status it gives the check.
pub(super) type Found = (Status, Finding);
