//! Gathering for the host check: the hosts to judge, and for each host and each place it must work
//! from (place.rs: the runners, where the binary is and whether it can start) what its status
//! command says (status.rs), and what its credential files and the environment say (here). It
//! observes and stores; diagnose.rs judges.

use std::path::{Path, PathBuf};

use super::facts::{ChosenBy, Facts, HostAtRunner, HostFacts};
use super::place::{locate, runners, Located, Runner};
use super::status::{login, StatusCache};
use crate::ctx::{blocking, Ctx};
use crate::hosts::{self, EnvFile, HostHome, HostSpec, KeyFrom, KeyVar, StoreSetting};
use crate::probes::host_cli::{self, CmdResult, CredFile, VarFile};
use crate::probes::paths;
use crate::probes::processes::ProcessEnv;
use crate::probes::users::UserInfo;
use crate::probes::{command, files};
use crate::redact::{Found, Secret};
use crate::settings::Setting;

/// `--host` or config.json's `host`; else every known host on any of the PATHs judged.
/// Returns the hosts, how they were chosen, and a configured name that is not a known host.
fn choose_hosts(
    own_path: Option<&str>,
    configured: Option<&Setting<String>>,
    runners: &[Runner],
) -> (Vec<&'static HostSpec>, ChosenBy, Option<String>) {
    if let Some(s) = configured {
        return match hosts::by_name(&s.value) {
            Some(h) => (vec![h], ChosenBy::Named(s.source.to_string()), None),
            None => (vec![], ChosenBy::Named(s.source.to_string()), Some(s.value.clone())),
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
    (found, ChosenBy::FoundOnPath, None)
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
    /// The secrets the credential files hold, for the run's redactor.
    found: Found,
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
        found: Found::default(),
    };
    // `-c KEY=VALUE` in the listener's arguments is above every file.
    if let (Some(k), Some(argv)) = (&h.store, &runner.argv) {
        out.store = hosts::config_override(argv, k.key).map(|value| StoreSetting {
            value,
            from: "-c in the listener's arguments".into(),
        });
    }
    if let Some(home) = home.filter(|_| same_user || me.uid == 0) {
        read_home(h, runner, home, &mut out);
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
            mine.iter().for_each(|c| out.found.extend(&c.secrets));
            let key = h
                .key_vars
                .iter()
                .any(|k| own_env.get(k).is_some_and(|v| !v.is_empty()));
            out.mine_logged_in =
                Some(key || mine.iter().any(CredFile::holds_a_login));
        }
    }
    out
}

/// The host's files in `home` (the place's HOME): its credential files, the key in its config
/// that says where its login is stored (unless the listener's arguments set it), and its key
/// variables in the files it reads them from.
fn read_home(h: &HostSpec, runner: &Runner, home: &Path, out: &mut FileFacts) {
    let hh = HostHome {
        home,
        env: runner.env.as_ref(),
    };
    out.creds = (h.credential_files)(&hh)
        .iter()
        .map(|p| host_cli::read_cred_file(p))
        .collect();
    out.creds.iter().for_each(|c| out.found.extend(&c.secrets));
    if out.store.is_none() {
        out.store = h.store.as_ref().and_then(|k| {
            (k.files)(&hh).into_iter().find_map(|p| {
                let value = host_cli::toml_value(&p, k.key)?;
                let from = p.display().to_string();
                Some(StoreSetting { value, from })
            })
        });
    }
    for f in (h.env_files)(&hh) {
        let (path, kind) = match &f {
            EnvFile::JsonEnv(p) => (p, VarFile::JsonEnv),
            EnvFile::Dotenv(p) => (p, VarFile::Dotenv),
            EnvFile::GhHosts(p) => (p, VarFile::GhHosts),
        };
        let keys = host_cli::vars_in_file(path, kind, h.key_vars);
        out.file_keys.extend(keys.into_iter().map(|(name, value)| KeyVar {
            name,
            value: Secret::new(value),
            from: KeyFrom::File(path.display().to_string()),
        }));
    }
}

/// The host `h` as `runner` finds it: where it is, whether it can start, and its login.
async fn target(
    ctx: &Ctx,
    h: &'static HostSpec,
    runner: &Runner,
    own_path: &str,
    cache: &mut StatusCache,
) -> HostAtRunner {
    let home = runner
        .env
        .as_ref()
        .and_then(|e| e.home.home.clone())
        .map(PathBuf::from)
        .or_else(|| runner.user.home.clone());
    let (loc, not_mine, files) = place(ctx, h, runner, own_path, home).await;
    // The node's version beside the status command, not before it: a healthy run waits for the
    // slower of the two only.
    let (interpreter_version, mut login) = tokio::join!(
        interpreter_version(ctx, runner, &loc),
        login(ctx, h, runner, &loc, not_mine, cache)
    );
    login.creds = files.creds;
    login.store = files.store;
    login.keys.extend(files.file_keys);
    login.mine_logged_in = files.mine_logged_in;
    let root_only = loc
        .elsewhere
        .iter()
        .chain(&loc.interpreter_elsewhere)
        .filter(|p| files::only_root_can_change(p))
        .cloned()
        .collect();
    HostAtRunner {
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
        root_only,
        elsewhere: loc.elsewhere,
        shebang: loc.shebang,
        interpreter: loc.interpreter,
        interpreter_elsewhere: loc.interpreter_elsewhere,
        state_env: state_env(h, runner),
        login,
    }
}

/// Where the binary is, whether the doctor owns the state its status command may write, and the
/// host's files. PATH lookups and file reads touch the file system, which may hang (an NFS
/// home): they run off the runtime's thread, so the run's bound still holds.
async fn place(
    ctx: &Ctx,
    h: &'static HostSpec,
    runner: &Runner,
    own_path: &str,
    home: Option<PathBuf>,
) -> (Located, Option<String>, FileFacts) {
    // Ownership before execution: the status command may write into the state it reads — one
    // trip off the runtime's thread for both.
    let (loc, not_mine) = {
        let (runner, own_path, home, uid) =
            (runner.clone(), own_path.to_string(), home.clone(), ctx.me.uid);
        blocking(move || {
            (
                locate(h, &runner, &own_path, home.as_deref()),
                state_not_owned(h, &runner, home.as_deref(), uid),
            )
        })
        .await
    };
    // The files first: the secrets they hold reach the run's redactor before any output of the
    // host's is read and cut (a cut secret is no longer masked by its value).
    let (runner, me, my_home, own_env) = (
        runner.clone(),
        ctx.me.clone(),
        ctx.my_home(),
        ctx.own_env.clone(),
    );
    let files = blocking(move || {
        read_files(h, &runner, home.as_deref(), &me, my_home.as_deref(), &own_env)
    })
    .await;
    ctx.secrets.learn(&files.found);
    (loc, not_mine, files)
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
            targets.push(target(ctx, h, runner, &own_path, &mut cache).await);
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
