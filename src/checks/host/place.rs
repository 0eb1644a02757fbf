//! Where the host must work from (each running listener, or with none the doctor itself: a
//! `Runner`), and where its binary is on that place's PATH and whether it can start there
//! (`Located`). Observations only; diagnose.rs judges.

use std::path::{Path, PathBuf};

use crate::ctx::Ctx;
use crate::hosts::HostSpec;
use crate::probes::paths::{self, Shebang};
use crate::probes::processes::{EnvRead, ProcessEnv, Scan};
use crate::probes::supervision::Supervisor;
use crate::probes::users::UserInfo;
use crate::probes::npm;

/// Who runs the host CLI (a listener, or with none the doctor itself), before the host is
/// looked at.
#[derive(Clone)]
pub(super) struct Runner {
    pub(super) user: UserInfo,
    pub(super) is_listener: bool,
    pub(super) supervisor: Option<Supervisor>,
    pub(super) pid: Option<u32>,
    /// The listener's argv (redacted), for settings given on its command line.
    pub(super) argv: Option<String>,
    /// The environment judged with: the listener's (None when unreadable), or the doctor's own.
    pub(super) env: Option<ProcessEnv>,
    pub(super) note: String,
}

/// Each running listener; with none, the doctor itself.
pub(super) fn runners(ctx: &Ctx, scan: &Scan) -> Vec<Runner> {
    if scan.listeners.is_empty() {
        let why = if ctx.opts.skip_listener {
            "--skip listener"
        } else {
            "no listener is running"
        };
        return vec![Runner {
            user: ctx.me.clone(),
            is_listener: false,
            supervisor: None,
            pid: None,
            argv: None,
            env: Some(ctx.own_env.clone()),
            note: format!("the doctor's own PATH ({why})"),
        }];
    }
    scan.listeners
        .iter()
        .map(|l| {
            let (env, note) = match &l.env {
                EnvRead::Readable(e) => (
                    Some((**e).clone()),
                    format!("the PATH of listener pid {}", l.pid),
                ),
                EnvRead::Unreadable(why) => (
                    None,
                    format!(
                        "the environment of listener pid {} cannot be read: {why}",
                        l.pid
                    ),
                ),
            };
            Runner {
                user: l.user.clone(),
                is_listener: true,
                supervisor: Some(l.supervisor.clone()),
                pid: Some(l.pid),
                argv: Some(l.argv.clone()),
                env,
                note,
            }
        })
        .collect()
}

/// Where the host is on the place's PATH, and whether it can start there.
pub(super) struct Located {
    pub(super) path: Option<String>,
    pub(super) found: Option<PathBuf>,
    pub(super) unrunnable: Vec<paths::Unrun>,
    pub(super) kind: Option<paths::ProgramKind>,
    pub(super) package: Option<npm::NpmPackage>,
    pub(super) shadowed: Vec<PathBuf>,
    pub(super) elsewhere: Vec<PathBuf>,
    pub(super) shebang: Shebang,
    pub(super) interpreter: Option<PathBuf>,
    pub(super) interpreter_elsewhere: Vec<PathBuf>,
}

impl Located {
    pub(super) fn starts(&self) -> bool {
        self.found.is_some() && (self.shebang == Shebang::None || self.interpreter.is_some())
    }
}

pub(super) fn locate(h: &HostSpec, runner: &Runner, own_path: &str, home: Option<&Path>) -> Located {
    let path = runner
        .env
        .as_ref()
        .map(|e| e.path.clone().unwrap_or_default());
    let all = path
        .as_deref()
        .map(|p| paths::find_all_on(h.binary, p))
        .unwrap_or_default();
    let found = all.first().cloned();
    let shebang = found
        .as_deref()
        .map(paths::shebang_of)
        .unwrap_or(Shebang::None);
    let (interpreter, interpreter_elsewhere) = match (&shebang, path.as_deref()) {
        (Shebang::Env { name }, Some(p)) => match paths::find_on(name, p) {
            Some(i) => (Some(i), vec![]),
            None => (None, paths::elsewhere(name, own_path, home, None)),
        },
        (Shebang::Path { path }, _) => (paths::is_executable(path).then(|| path.clone()), vec![]),
        _ => (None, vec![]),
    };
    let kind = found.as_deref().and_then(paths::kind_of);
    let package = found.as_deref().and_then(npm::package_of);
    // Copies elsewhere are looked for when nothing runnable is found, or what is found holds no
    // program (text, empty, an unknown format) or lacks its platform package: a way out, never
    // instead of what the PATH resolves to.
    let suspect = matches!(
        kind,
        Some(paths::ProgramKind::Text | paths::ProgramKind::Empty | paths::ProgramKind::Other)
    ) || package
        .as_ref()
        .is_some_and(|p| p.missing_platform_package().is_some());
    Located {
        elsewhere: match &found {
            None => paths::elsewhere(h.binary, own_path, home, None),
            Some(f) if suspect => paths::elsewhere(h.binary, own_path, home, Some(f)),
            Some(_) => vec![],
        },
        unrunnable: path
            .as_deref()
            .map(|p| paths::unrunnable_on(h.binary, p))
            .unwrap_or_default(),
        kind,
        package,
        shadowed: all.into_iter().skip(1).collect(),
        path,
        found,
        shebang,
        interpreter,
        interpreter_elsewhere,
    }
}
