//! Can the host CLI the listener would run start at all? (HOST_CANNOT_START.) Stored login files
//! prove a login, never a CLI that runs: a file on the listener's PATH that the OS will not run
//! (a dangling link, no execute bit), a placeholder its install script never replaced, a program
//! for another machine, an npm package without its platform package, a node older than the
//! package asks for, or a status command that died without a login answer each fail here, with
//! the remedy for that cause (never a login).

use std::path::Path;

use super::crash::Crash;
use super::facts::{Facts, HostAtRunner, HostFacts, StatusRun};
use super::remedy::{dir_of, in_their_world, listener, machine, Found, SYSTEM_BIN};
use crate::hosts::{self};
use crate::model::catalogue as codes;
use crate::model::command::{cmd, path_word, Command};
use crate::model::outcome::{Finding, Status};
use crate::model::text::Text;
use crate::probes::npm::NpmPackage;
use crate::probes::paths::{ProgramKind, Unrunnable};
use crate::probes::users::UserInfo;
use crate::supervisors;

/// Does the node `version` ("v20.11.0") satisfy npm's `range` (">=16", "^18.17.0 || >=20")?
/// None when either cannot be read (then nothing is said of it).
pub fn satisfies(version: &str, range: &str) -> Option<bool> {
    let v = semver::Version::parse(version.trim().trim_start_matches('v')).ok()?;
    let mut any_read = false;
    for alt in range.split("||") {
        // npm joins comparators with spaces (">=14 <16", ">= 14"); semver with commas.
        let mut parts: Vec<String> = vec![];
        for w in alt.split_whitespace() {
            match parts.last_mut() {
                Some(last) if last.chars().all(|c| "<>=~^".contains(c)) => last.push_str(w),
                _ => parts.push(w.to_string()),
            }
        }
        let req = if parts.is_empty() {
            "*".to_string()
        } else {
            parts.join(", ")
        };
        if let Ok(r) = semver::VersionReq::parse(&req) {
            any_read = true;
            if r.matches(&v) {
                return Some(true);
            }
        }
    }
    any_read.then_some(false)
}

/// Why the host the runner would run cannot start, as read from the facts.
enum Cause<'a> {
    Unrun(&'a Path, &'a Unrunnable),
    Placeholder(&'a Path, &'a ProgramKind),
    OtherMachine(&'a Path, String),
    NoPlatformPackage(&'a NpmPackage, &'a str),
    NodeTooOld {
        pkg: &'a NpmPackage,
        node: &'a Path,
        version: &'a str,
        range: &'a str,
    },
    Died(&'a StatusRun, &'a Crash),
}

/// What a program of `kind` is, when this machine (`f.platform`) cannot run it.
fn other_machine(f: &Facts, kind: &ProgramKind) -> Option<String> {
    let (os, arch) = (f.platform.os.as_str(), f.platform.arch.as_str());
    match kind {
        _ if os.is_empty() => None,
        ProgramKind::Elf { machine } if os == "linux" && machine != arch => {
            Some(format!("a Linux program for {machine}"))
        }
        ProgramKind::Elf { .. } if os != "linux" => Some("a Linux program".into()),
        ProgramKind::MachO if os != "macos" => Some("a macOS program".into()),
        ProgramKind::Pe if os != "windows" => Some("a Windows program".into()),
        _ => None,
    }
}

fn cause<'a>(f: &Facts, t: &'a HostAtRunner) -> Option<Cause<'a>> {
    let Some(bin) = &t.found else {
        return t.unrunnable.first().map(|u| Cause::Unrun(&u.path, &u.why));
    };
    match &t.kind {
        Some(k @ ProgramKind::Empty) => return Some(Cause::Placeholder(bin, k)),
        Some(k @ ProgramKind::Text) if t.package.is_some() => {
            return Some(Cause::Placeholder(bin, k))
        }
        Some(k) => {
            if let Some(what) = other_machine(f, k) {
                return Some(Cause::OtherMachine(bin, what));
            }
        }
        None => {}
    }
    if let Some(pkg) = &t.package {
        if let Some(name) = pkg.missing_platform_package() {
            return Some(Cause::NoPlatformPackage(pkg, name));
        }
        if let (Some(range), Some(version), Some(node)) =
            (&pkg.engines_node, &t.interpreter_version, &t.interpreter)
        {
            if satisfies(version, range) == Some(false) {
                return Some(Cause::NodeTooOld {
                    pkg,
                    node,
                    version,
                    range,
                });
            }
        }
    }
    let run = t.login.status.as_ref()?;
    run.crash.as_ref().map(|c| Cause::Died(run, c))
}

/// Why the host `t` would run cannot start, in a few words that stay the same from run to run
/// (what `diff` compares); None when nothing stops it.
pub fn cannot_start_because(f: &Facts, t: &HostAtRunner) -> Option<&'static str> {
    Some(match cause(f, t)? {
        Cause::Unrun(_, Unrunnable::DanglingLink { .. }) => "a dangling link",
        Cause::Unrun(_, Unrunnable::NotExecutable { .. }) => "no execute bit",
        Cause::Unrun(_, Unrunnable::NotAFile) => "not a file",
        Cause::Placeholder(..) => "a placeholder, no program",
        Cause::OtherMachine(..) => "a program for another machine",
        Cause::NoPlatformPackage(..) => "its platform package is missing",
        Cause::NodeTooOld { .. } => "its node is older than it needs",
        Cause::Died(..) => "its status command died",
    })
}

/// `npm install` of `pkg` again into the prefix it is in, as the user who owns it.
fn reinstall(f: &Facts, pkg: &NpmPackage) -> Option<Command> {
    crate::remedies::npm_install(&machine(f), pkg)
}

/// A command run as `owner` (root's as root; the doctor's own prints plain), only shown.
fn by_owner(f: &Facts, c: crate::model::command::Spec, owner: Option<&UserInfo>) -> Command {
    crate::remedies::by_owner(&machine(f), c, owner)
}

/// Installing `pkg` again where it is: the step (after `lead`, a sentence's start or nothing)
/// and the command (None when its prefix is not known).
fn reinstalled(f: &Facts, pkg: &NpmPackage, lead: &str) -> Option<(String, Vec<Command>)> {
    let c = reinstall(f, pkg)?;
    let verb = if lead.is_empty() {
        "Install"
    } else {
        "install"
    };
    let step = format!(
        "{lead}{verb} {} again into {} as {} (without --ignore-scripts or --omit=optional), so npm \
            places the program for this machine.",
        pkg.name,
        pkg.prefix.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
        pkg.owner.as_ref().map_or("its owner", |o| o.name.as_str())
    );
    Some((step, vec![c]))
}

/// What is wrong, the step, and its commands.
type Said = (String, String, Vec<Command>);

/// What the message says of the cause, and the remedy's step and commands.
fn words(f: &Facts, h: &HostFacts, t: &HostAtRunner, c: &Cause) -> Said {
    let b = &h.binary;
    let again = || t.package.as_ref().and_then(|pkg| reinstalled(f, pkg, ""));
    let or_again = |what: String, otherwise: String| match again() {
        Some((step, cmds)) => (what, step, cmds),
        None => (what, otherwise, vec![]),
    };
    match c {
        Cause::Unrun(p, Unrunnable::DanglingLink { target }) => dangling(f, b, t, p, target),
        Cause::Unrun(p, Unrunnable::NotExecutable { mode, owner, file }) => {
            not_executable(f, b, p, *mode, owner, file.as_deref())
        }
        Cause::Unrun(p, Unrunnable::NotAFile) => (
            format!("{} is not a file", p.display()),
            format!("Remove or rename {}, then install {b} for {}.", p.display(), t.user.name),
            vec![],
        ),
        Cause::Placeholder(p, kind) => {
            let what = match (&t.package, kind) {
                (Some(pkg), _) if pkg.install_script => format!(
                    "{} is the placeholder {} ships until its install script puts the native \
                    program there: that script never ran (installed with --ignore-scripts?)",
                    p.display(),
                    pkg.name
                ),
                (_, ProgramKind::Empty) => format!("{} is empty", p.display()),
                _ => format!("{} is not a program (text without a #! line)", p.display()),
            };
            or_again(what, format!("Install {b} again for {}.", t.user.name))
        }
        Cause::OtherMachine(p, what) => {
            let here = format!("{} {}", f.platform.os, f.platform.arch);
            let what = format!("{} is {what}; this machine is {here}", p.display());
            or_again(what, format!("Install the {b} built for {here}."))
        }
        Cause::NoPlatformPackage(pkg, name) => {
            let version = pkg.version.as_ref().map(|v| format!(" {v}")).unwrap_or_default();
            let what = format!(
                "{}{version} in {} lacks its platform package {name}, which holds the program \
                itself (installed with --omit=optional, or copied from another machine)",
                pkg.name,
                pkg.dir.display()
            );
            or_again(what, format!("Install {} again for {}.", pkg.name, t.user.name))
        }
        Cause::NodeTooOld {
            pkg,
            node,
            version,
            range,
        } => node_too_old(f, t, pkg, node, version, range),
        Cause::Died(run, crash) => died(f, h, t, run, crash),
    }
}

/// A symbolic link whose target is gone: point it at a working copy, or install again.
fn dangling(f: &Facts, b: &str, t: &HostAtRunner, p: &Path, target: &Path) -> Said {
    let what = format!(
        "{} is a symbolic link to {}, which does not exist (an uninstall or a node version switch \
        removed it)",
        p.display(),
        target.display()
    );
    let user = &t.user.name;
    let Some(e) = t.elsewhere.first() else {
        let step = format!("Install {b} again for {user} (see the host's docs), or remove the dangling link.");
        return (what, step, vec![]);
    };
    let link = cmd(["ln".to_string(), "-sfn".into(), path_word(e), path_word(p)]);
    let link = if SYSTEM_BIN.contains(&dir_of(p).as_str()) {
        link.as_root()
    } else {
        link.as_user(user, t.user.uid)
    };
    let step = format!("Point the link at the working {b} (the command), or install {b} again for {user}.");
    (what, step, vec![link.on(&machine(f))])
}

/// A program without its execute bit: give it back, as its owner.
fn not_executable(
    f: &Facts,
    b: &str,
    p: &Path,
    mode: u32,
    owner: &UserInfo,
    file: Option<&Path>,
) -> Said {
    // Through a link, the file it leads to is named and changed: never a chmod through a link
    // the person did not see.
    let (what, real) = match file {
        Some(real) => (format!("{} (a link to {})", p.display(), real.display()), real),
        None => (p.display().to_string(), p),
    };
    let chmod = cmd(["chmod".to_string(), "+x".into(), path_word(real)]);
    (
        format!("{what} has no execute bit (mode {mode:04o}), so the listener cannot run it"),
        format!("Give {b} its execute bit back, as its owner ({}).", owner.name),
        vec![by_owner(f, chmod, Some(owner))],
    )
}

/// The package needs a newer node than the one on the listener's PATH.
fn node_too_old(
    f: &Facts,
    t: &HostAtRunner,
    pkg: &NpmPackage,
    node: &Path,
    version: &str,
    range: &str,
) -> Said {
    let mut cmds = vec![];
    if let Some((sup, l)) = listener(t, &f.me, f.elevation.clone()) {
        let (_, more) = supervisors::restart(sup, &l);
        cmds.extend(more.into_iter().map(Command::shown));
    }
    (
        format!(
            "{} needs node {range} (engines.node), but the node on {} ({}) is {version}",
            pkg.name,
            t.path_note,
            node.display()
        ),
        format!(
            "Put a node that satisfies {range} first on the listener's PATH (or upgrade the one at \
            {}), then restart the listener.",
            node.display()
        ),
        cmds,
    )
}

/// A status command that died: what it said, and what that means where it is known.
fn died(
    f: &Facts,
    h: &HostFacts,
    t: &HostAtRunner,
    run: &StatusRun,
    crash: &Crash,
) -> (String, String, Vec<Command>) {
    let what = match crash {
        Crash::NotStarted { error } => format!("`{}` could not start: {error}", run.command),
        Crash::Signal => format!("`{}` was ended by a signal before it answered", run.command),
        Crash::Threw { error } => format!("`{}` died before it answered: {error}", run.command),
        Crash::ShellRefused { code, said } => {
            format!("`{}` could not run (exit {code}): {said}", run.command)
        }
    };
    let broken_install = matches!(crash, Crash::Threw { error } if error.contains("Missing optional \
        dependency") || error.contains("Cannot find module"));
    if let (true, Some(pkg)) = (broken_install, &t.package) {
        if let Some((step, cmds)) = reinstalled(f, pkg, "Its install is incomplete: ") {
            return (what, step, cmds);
        }
    }
    let status: Vec<&str> = std::iter::once(h.binary.as_str())
        .chain(
            hosts::by_name(&h.name)
                .and_then(|s| s.status_args)
                .unwrap_or_default()
                .iter()
                .copied(),
        )
        .collect();
    (
        what,
        format!(
            "Run it as {} to read the whole error, and install {} again if its install is broken.",
            t.user.name, h.binary
        ),
        vec![in_their_world(t, f, &status)],
    )
}

/// HOST_CANNOT_START for the runner `t`, when the host it would run cannot start. A stored login
/// is said after the cause, as a fact.
pub(super) fn cannot_start(f: &Facts, h: &HostFacts, t: &HostAtRunner) -> Option<Found> {
    let c = cause(f, t)?;
    let (what, step, cmds) = words(f, h, t, &c);
    let mut details = what;
    let out_of_the_way = t
        .elsewhere
        .first()
        .filter(|_| !matches!(c, Cause::Unrun(_, Unrunnable::DanglingLink { .. })));
    if let (Some(e), Some(_)) = (out_of_the_way, &t.path) {
        details.push_str(&format!(
            "; a {} that may work is in {}, which {} lacks",
            h.binary,
            dir_of(e),
            t.path_note
        ));
    }
    if let Some(stored) = t
        .login
        .creds
        .iter()
        .find(|c| c.holds_a_login())
    {
        details.push_str(&format!(
            "; {} holds a stored login, which is no use until {} starts",
            stored.path.display(),
            h.binary
        ));
    }
    Some((
        Status::Fail,
        Finding::new(
            codes::HOST_CANNOT_START,
            Text::headed(
                format!("{} cannot start for {}", h.binary, t.runner()),
                details,
            ),
        )
        .with_step_first(step)
        .with_commands(cmds),
    ))
}

#[cfg(test)]
#[path = "start_tests.rs"]
mod tests;
