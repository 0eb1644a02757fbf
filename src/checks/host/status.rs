//! The host's login as its status command says it, asked as the place's user with the place's
//! environment (once per binary and environment), and with `--deep` the host's own doctor; or
//! why the command was not run. The key variables set where the host runs.

use std::path::{Path, PathBuf};

use super::facts::{Login, StatusRun, STATUS_LIMIT};
use super::place::{Located, Runner};
use crate::ctx::Ctx;
use crate::hosts::{HostCheck, HostSpec, KeyFrom, KeyVar, SelfCheck};
use crate::probes::command;
use crate::probes::host_cli::{self, CmdResult};
use crate::probes::processes::ProcessEnv;
use crate::redact::Secret;

/// Status results already had, by binary and environment: no host CLI is started twice.
/// The environment a status command runs with, as far as its answer depends on it: one binary
/// asked twice with the same PATH, HOME and variables answers the same, so it is asked once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct StatusKey {
    bin: PathBuf,
    path: Option<String>,
    home: Option<String>,
    vars: usize,
}

pub(super) type StatusCache = Vec<(StatusKey, CmdResult)>;


/// The login, judged as the place's user with the place's environment.
pub(super) async fn login(
    ctx: &Ctx,
    h: &HostSpec,
    runner: &Runner,
    loc: &Located,
    not_mine: Option<String>,
    cache: &mut StatusCache,
) -> Login {
    let same_user = runner.user.uid == ctx.me.uid;
    let mut login = Login::default();
    if let Some(e) = &runner.env {
        (login.keys, login.shell_only_keys) = key_vars(ctx, h, runner, e);
    }
    match (same_user && loc.starts() && not_mine.is_none(), h.status_args, &loc.found) {
        (true, Some(args), Some(bin)) => {
            // A listener's own environment; with no listener, the doctor's. The status command
            // and the host's own doctor (`--deep`) both run with it.
            let env = if runner.is_listener {
                runner.env.as_ref().map(|e| e.all.clone())
            } else {
                None
            };
            let res = status(ctx, runner, bin, args, env.as_deref(), cache).await;
            let command = format!("{} {}", bin.display(), args.join(" "));
            login.status = Some(StatusRun::new(h, command, res));
            // `--deep`: the host's own doctor, under the same rules as its status command.
            if let (true, Some(sc)) = (ctx.opts.deep, &h.self_check) {
                login.self_check = Some(self_check(ctx, bin, sc, env.as_deref()).await);
            }
        }
        _ => login.not_run = Some(not_run(ctx, h, runner, loc, same_user, not_mine.as_deref())),
    }
    login
}

/// The host's key variables set in the runner's environment `e`, and (for a listener) those set
/// only in the doctor's own shell.
fn key_vars(ctx: &Ctx, h: &HostSpec, runner: &Runner, e: &ProcessEnv) -> (Vec<KeyVar>, Vec<String>) {
    let set = |e: &ProcessEnv, k: &str| e.get(k).is_some_and(|v| !v.is_empty());
    let from = if runner.is_listener {
        KeyFrom::ListenerEnv
    } else {
        KeyFrom::YourEnv
    };
    let keys = h
        .key_vars
        .iter()
        .filter(|k| set(e, k))
        .map(|k| KeyVar {
            name: k.to_string(),
            value: Secret::new(e.get(k).unwrap_or_default()),
            from: from.clone(),
        })
        .collect();
    let shell_only = if runner.is_listener {
        h.key_vars
            .iter()
            .filter(|k| set(&ctx.own_env, k) && !set(e, k))
            .map(|k| k.to_string())
            .collect()
    } else {
        vec![]
    };
    (keys, shell_only)
}

/// The status command's answer: asked once per binary and environment (`StatusKey`).
async fn status(
    ctx: &Ctx,
    runner: &Runner,
    bin: &Path,
    args: &[&str],
    env: Option<&[(String, String)]>,
    cache: &mut StatusCache,
) -> CmdResult {
    let e = runner.env.as_ref();
    let key = StatusKey {
        bin: bin.to_path_buf(),
        path: e.and_then(|e| e.path.clone()),
        home: e.and_then(|e| e.home.home.clone()),
        vars: e.map_or(0, |e| e.all.len()),
    };
    if let Some((_, r)) = cache.iter().find(|(k, _)| *k == key) {
        return r.clone();
    }
    let r = host_cli::run_status(bin, args, env, ctx.budget().min(STATUS_LIMIT)).await;
    cache.push((key, r.clone()));
    r
}

/// `--deep`: the host's own doctor, run as its status command is; its checks that did not pass,
/// or why they could not be had.
async fn self_check(
    ctx: &Ctx,
    bin: &Path,
    sc: &SelfCheck,
    env: Option<&[(String, String)]>,
) -> (String, Result<Vec<HostCheck>, String>) {
    let cmd = format!("{} {}", bin.display(), sc.args.join(" "));
    let r = command::run(bin, sc.args, env, ctx.budget(), 4 * 1024 * 1024).await;
    let read = match r {
        // Its doctor exits non-zero when a check fails: the report is what counts.
        CmdResult::Exited { stdout, stderr, .. } => (sc.read)(&stdout).map_err(|e| {
            let said = host_cli::first_line(&stderr);
            format!("its report could not be read: {e}; it said {said:?}")
        }),
        CmdResult::TimedOut { after_ms } => Err(format!(
            "it took over {after_ms} ms (give --deep a longer --timeout)"
        )),
        CmdResult::NotStarted { error } => Err(format!("it could not start: {error}")),
    };
    (cmd, read)
}

/// Why the status command was not run for this runner.
fn not_run(
    ctx: &Ctx,
    h: &HostSpec,
    runner: &Runner,
    loc: &Located,
    same_user: bool,
    not_mine: Option<&str>,
) -> String {
    let (me, them) = (&ctx.me.name, &runner.user.name);
    if h.status_args.is_none() {
        format!("{} has no status command; judged from files and environment", h.binary)
    } else if !loc.starts() {
        "the binary cannot start from this PATH".to_string()
    } else if let (true, Some(why)) = (same_user, not_mine) {
        format!("its status command would write into {why}: judged from files instead")
    } else if ctx.me.uid == 0 {
        format!("the doctor runs as root and never runs {them}'s binaries: judged from {them}'s files")
    } else {
        format!(
            "the doctor runs as {me}, not {them}: it can neither run the status command as {them} \
            nor read their files"
        )
    }
}
