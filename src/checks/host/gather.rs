//! Gathering for the host check: the runners the host must work from (each running listener, or
//! the doctor itself), the hosts to judge, and for each pair where the binary is, whether it can
//! start, and what the status command, the credential files and the environment say. It observes
//! and stores; diagnose.rs judges.

use std::path::{Path, PathBuf};

use super::facts::{Facts, HostAtRunner, HostFacts, Login, StatusRun, STATUS_LIMIT};
use crate::ctx::{blocking, Ctx};
use crate::hosts::{self, EnvFile, HostCheck, HostHome, HostSpec, KeyVar, SelfCheck, StoreSetting};
use crate::probes::host_cli::{self, CmdResult, CredFile, VarFile};
use crate::probes::paths::{self, Shebang};
use crate::probes::processes::{EnvRead, ProcessEnv, Scan};
use crate::probes::supervision::Supervisor;
use crate::probes::users::UserInfo;
use crate::probes::{command, files, npm};
use crate::redact::Secret;
use crate::settings::Setting;

/// Who runs the host CLI (a listener, or with none the doctor itself), before the host is
/// looked at.
#[derive(Clone)]
struct Runner {
    user: UserInfo,
    is_listener: bool,
    supervisor: Option<Supervisor>,
    pid: Option<u32>,
    /// The listener's argv (redacted), for settings given on its command line.
    argv: Option<String>,
    /// The environment judged with: the listener's (None when unreadable), or the doctor's own.
    env: Option<ProcessEnv>,
    note: String,
}

/// Each running listener; with none, the doctor itself.
fn runners(ctx: &Ctx, scan: &Scan) -> Vec<Runner> {
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

/// `--host` or config.json's `host`; else every known host on any of the PATHs judged.
/// Returns the hosts, how they were chosen, and a configured name that is not a known host.
fn choose_hosts(
    own_path: Option<&str>,
    configured: Option<&Setting<String>>,
    runners: &[Runner],
) -> (Vec<&'static HostSpec>, String, Option<String>) {
    if let Some(s) = configured {
        return match hosts::by_name(&s.value) {
            Some(h) => (vec![h], s.source.to_string(), None),
            None => (vec![], s.source.to_string(), Some(s.value.clone())),
        };
    }
    let mut path_list: Vec<String> = runners
        .iter()
        .filter_map(|p| p.env.as_ref().and_then(|e| e.path.clone()))
        .collect();
    path_list.extend(own_path.map(str::to_string));
    let found = hosts::HOSTS
        .iter()
        .copied()
        .filter(|h| {
            path_list
                .iter()
                .any(|p| paths::find_on(h.binary, p).is_some())
        })
        .collect();
    (
        found,
        "found on PATH (no --host, no host in config.json)".into(),
        None,
    )
}

/// What decides where a listener's host CLI keeps its state, as the listener has it: its HOME
/// and the host's state variables that are set (`CODEX_HOME`, …). Empty for the doctor itself
/// (its own shell has them).
fn state_env(h: &HostSpec, runner: &Runner) -> Vec<(String, String)> {
    let Some(e) = runner.env.as_ref().filter(|_| runner.is_listener) else {
        return vec![];
    };
    let mut v: Vec<(String, String)> = vec![];
    if let Some(home) = &e.home.home {
        v.push(("HOME".into(), home.clone()));
    }
    for var in h.state_vars {
        if let Some((k, val)) = e.all.iter().find(|(k, _)| k == var) {
            v.push((k.clone(), val.clone()));
        }
    }
    v
}

/// Where the host is on the place's PATH, and whether it can start there.
struct Located {
    path: Option<String>,
    found: Option<PathBuf>,
    unrunnable: Vec<paths::Unrun>,
    kind: Option<paths::ProgramKind>,
    package: Option<npm::NpmPackage>,
    shadowed: Vec<PathBuf>,
    elsewhere: Vec<PathBuf>,
    shebang: Shebang,
    interpreter: Option<PathBuf>,
    interpreter_elsewhere: Vec<PathBuf>,
}

impl Located {
    fn starts(&self) -> bool {
        self.found.is_some() && (self.shebang == Shebang::None || self.interpreter.is_some())
    }
}

fn locate(h: &HostSpec, runner: &Runner, own_path: &str, home: Option<&Path>) -> Located {
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

/// The first line of `INTERPRETER --version` when the host's package asks for a node version:
/// run only where the doctor may run that interpreter (its own user's, or one only root can
/// change), never another user's program.
async fn interpreter_version(ctx: &Ctx, runner: &Runner, loc: &Located) -> Option<String> {
    loc.package.as_ref()?.engines_node.as_ref()?;
    let interp = loc.interpreter.clone()?;
    let mine = runner.user.uid == ctx.me.uid;
    let i2 = interp.clone();
    if !mine && !blocking(move || files::only_root_can_change(&i2)).await {
        return None;
    }
    let limit = ctx.budget().min(std::time::Duration::from_secs(2));
    match command::run(&interp, &["--version"], Some(&[]), limit, 4096).await {
        CmdResult::Exited {
            code: Some(0),
            stdout,
            ..
        } => Some(crate::sanitize::outside(&host_cli::first_line(&stdout), 40)),
        _ => None,
    }
}

/// Status results already had, by binary and environment: no host CLI is started twice.
/// The environment a status command runs with, as far as its answer depends on it: one binary
/// asked twice with the same PATH, HOME and variables answers the same, so it is asked once.
#[derive(Debug, Clone, PartialEq, Eq)]
struct StatusKey {
    bin: PathBuf,
    path: Option<String>,
    home: Option<String>,
    vars: usize,
}

type StatusCache = Vec<(StatusKey, CmdResult)>;


/// The login, judged as the place's user with the place's environment.
async fn login(
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
        "the listener's environment"
    } else {
        "your environment"
    };
    let keys = h
        .key_vars
        .iter()
        .filter(|k| set(e, k))
        .map(|k| KeyVar {
            name: k.to_string(),
            value: Secret::new(e.get(k).unwrap_or_default()),
            from: from.into(),
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

/// The first state directory the host's status command may write into (the place's HOME and the
/// host's state-directory variables) that exists and is not owned by `uid`, said in words; None
/// when the doctor owns them all (judged by the directories' owners, not by user names).
fn state_not_owned(h: &HostSpec, runner: &Runner, home: Option<&Path>, uid: u32) -> Option<String> {
    let hh = home.map(|home| HostHome {
        home,
        env: runner.env.as_ref(),
    });
    let mut dirs: Vec<PathBuf> = home.map(Path::to_path_buf).into_iter().collect();
    if let Some(hh) = &hh {
        dirs.extend(h.state_vars.iter().filter_map(|v| hh.var_dir(v)));
    }
    dirs.into_iter().find_map(|d| {
        let owner = crate::probes::files::stat(&d)?.uid;
        (owner != uid).then(|| {
            format!(
                "{}, which belongs to {} (uid {owner}), not to the doctor's user",
                d.display(),
                crate::probes::users::by_uid(owner).name
            )
        })
    })
}

/// What the credential files say, read as the place's user (or as root) and, for another user's
/// place, what the doctor's own files say.
struct FileFacts {
    creds: Vec<CredFile>,
    store: Option<StoreSetting>,
    /// Variables from the files the host reads them from.
    file_keys: Vec<KeyVar>,
    mine_logged_in: Option<bool>,
}

/// Read the files of `h` for `place` (blocking: run it off the runtime's thread). The files are
/// read whatever the status command said: gathering observes, diagnosis judges.
fn read_files(
    h: &HostSpec,
    runner: &Runner,
    home: Option<&Path>,
    me: &UserInfo,
    my_home: Option<&Path>,
    own_env: &ProcessEnv,
) -> FileFacts {
    let same_user = runner.user.uid == me.uid;
    let mut out = FileFacts {
        creds: vec![],
        store: None,
        file_keys: vec![],
        mine_logged_in: None,
    };
    // `-c KEY=VALUE` in the listener's arguments is above every file.
    if let (Some(k), Some(argv)) = (&h.store, &runner.argv) {
        out.store = hosts::config_override(argv, k.key).map(|value| StoreSetting {
            value,
            from: "-c in the listener's arguments".into(),
        });
    }
    if same_user || me.uid == 0 {
        if let Some(home) = home {
            let hh = HostHome {
                home,
                env: runner.env.as_ref(),
            };
            out.creds = (h.credential_files)(&hh)
                .iter()
                .map(|p| host_cli::read_cred_file(p))
                .collect();
            if out.store.is_none() {
                out.store = h.store.as_ref().and_then(|k| {
                    (k.files)(&hh).into_iter().find_map(|p| {
                        host_cli::toml_value(&p, k.key).map(|value| StoreSetting {
                            value,
                            from: p.display().to_string(),
                        })
                    })
                });
            }
            for f in (h.env_files)(&hh) {
                let (path, kind) = match &f {
                    EnvFile::JsonEnv(p) => (p, VarFile::JsonEnv),
                    EnvFile::Dotenv(p) => (p, VarFile::Dotenv),
                    EnvFile::GhHosts(p) => (p, VarFile::GhHosts),
                };
                out.file_keys.extend(
                    host_cli::vars_in_file(path, kind, h.key_vars)
                        .into_iter()
                        .map(|(name, value)| KeyVar {
                            name,
                            value: Secret::new(value),
                            from: path.display().to_string(),
                        }),
                );
            }
        }
    }
    if !same_user {
        if let Some(my_home) = my_home {
            let mine: Vec<CredFile> = (h.credential_files)(&HostHome {
                home: my_home,
                env: Some(own_env),
            })
            .iter()
            .map(|p| host_cli::read_cred_file(p))
            .collect();
            let key = h
                .key_vars
                .iter()
                .any(|k| own_env.get(k).is_some_and(|v| !v.is_empty()));
            out.mine_logged_in =
                Some(key || mine.iter().any(|c| c.has_refresh_token || c.has_api_key));
        }
    }
    out
}

pub async fn gather(ctx: &Ctx) -> Facts {
    let scan = ctx.agent_listeners().await;
    let install = ctx.install().await;
    let own_path = ctx.own_env.path.clone().unwrap_or_default();
    // PATH lookups and file reads touch the file system, which may hang (an NFS home): they run
    // off the runtime's thread, so the run's bound still holds.
    let (runners, (specs, chosen_by, unknown_host)) = {
        let runners = runners(ctx, &scan);
        let own = ctx.own_env.path.clone();
        let configured = install.settings.host.clone();
        blocking(move || {
            let chosen = choose_hosts(own.as_deref(), configured.as_ref(), &runners);
            (runners, chosen)
        })
        .await
    };
    let mut cache = StatusCache::new();
    let mut hosts_out = vec![];
    for h in specs {
        let mut targets = vec![];
        for runner in &runners {
            let home = runner
                .env
                .as_ref()
                .and_then(|e| e.home.home.clone())
                .map(PathBuf::from)
                .or_else(|| runner.user.home.clone());
            // Where the binary is, and (ownership before execution: the status command may
            // write into the state it reads) whether the doctor owns that state — one trip off
            // the runtime's thread for both.
            let (loc, not_mine) = {
                let (runner, own_path, home, uid) =
                    (runner.clone(), own_path.clone(), home.clone(), ctx.me.uid);
                blocking(move || {
                    (
                        locate(h, &runner, &own_path, home.as_deref()),
                        state_not_owned(h, &runner, home.as_deref(), uid),
                    )
                })
                .await
            };
            // The files first: the secrets they hold are registered before any output of the
            // host's is read and cut (a cut secret is no longer masked by its value).
            let files = {
                let (runner, me, my_home, own_env) = (
                    runner.clone(),
                    ctx.me.clone(),
                    ctx.my_home(),
                    ctx.own_env.clone(),
                );
                blocking(move || {
                    read_files(
                        h,
                        &runner,
                        home.as_deref(),
                        &me,
                        my_home.as_deref(),
                        &own_env,
                    )
                })
                .await
            };
            // The node's version beside the status command, not before it: a healthy run waits
            // for the slower of the two only.
            let (interpreter_version, mut login) = tokio::join!(
                interpreter_version(ctx, runner, &loc),
                login(ctx, h, runner, &loc, not_mine, &mut cache)
            );
            login.creds = files.creds;
            login.store = files.store;
            login.keys.extend(files.file_keys);
            login.mine_logged_in = files.mine_logged_in;
            targets.push(HostAtRunner {
                user: runner.user.clone(),
                is_listener: runner.is_listener,
                supervisor: runner.supervisor.clone(),
                skip_listener: !runner.is_listener && ctx.opts.skip_listener,
                pid: runner.pid,
                path: loc.path,
                path_note: runner.note.clone(),
                found: loc.found,
                unrunnable: loc.unrunnable,
                kind: loc.kind,
                package: loc.package,
                interpreter_version,
                shadowed: loc.shadowed,
                root_only: loc
                    .elsewhere
                    .iter()
                    .chain(&loc.interpreter_elsewhere)
                    .filter(|p| files::only_root_can_change(p))
                    .cloned()
                    .collect(),
                elsewhere: loc.elsewhere,
                shebang: loc.shebang,
                interpreter: loc.interpreter,
                interpreter_elsewhere: loc.interpreter_elsewhere,
                state_env: state_env(h, runner),
                login,
            });
        }
        hosts_out.push(HostFacts {
            name: h.name.into(),
            binary: h.binary.into(),
            login_command: h.login.join(" "),
            targets,
        });
    }
    Facts {
        platform: super::facts::Platform::here(),
        elevation: ctx.elevation.clone(),
        me: ctx.me.clone(),
        doctor_is_root: ctx.me.uid == 0,
        chosen_by,
        unknown_host,
        config_denied: matches!(install.config, crate::install::Loaded::Denied(_)),
        hosts: hosts_out,
    }
}
