//! The `host` check: is the host CLI on the listener's PATH, can it start (its `#!` interpreter),
//! and is it logged in — judged as the listener's OS user, with the listener's environment.

use serde::Serialize;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::cli::CheckId;
use crate::ctx::{Ctx, Install};
use crate::engine::{finish, CheckDef, Deps, Ran};
use crate::hosts::{self, HostSpec};
use crate::outcome::{Diagnosis, Finding, Status};
use crate::probes::host_cli::{self, CmdResult, CredFile};
use crate::probes::paths::{self, Shebang};
use crate::probes::processes::{EnvRead, ListenerEnv, Scan};
use crate::probes::users::UserInfo;
use crate::redact;

pub const DEF: CheckDef<Ctx> = CheckDef {
    id: CheckId::Host,
    title: "Host CLI",
    inspects: "the host CLI (codex, claude, …) on each listener's PATH, its #! interpreter, and its login for the listener's user and environment",
    needs: &[],
    run,
};

/// Longest a status command may take (less when the run's budget is smaller).
const STATUS_LIMIT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    pub me: UserInfo,
    pub doctor_is_root: bool,
    /// How the hosts were chosen: "--host", "config.json", or "found on PATH".
    pub chosen_by: String,
    /// A configured host name that is not a known host.
    pub unknown_host: Option<String>,
    pub hosts: Vec<HostFacts>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HostFacts {
    pub name: String,
    pub binary: String,
    pub login_command: String,
    pub targets: Vec<Target>,
}

/// One place the host must work from: a running listener, or (with none) the doctor itself.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub who: String,
    pub user: UserInfo,
    pub is_listener: bool,
    pub unit: Option<String>,
    /// The PATH judged, or None when the listener's environment is unreadable.
    pub path: Option<String>,
    pub path_note: String,
    pub found: Option<PathBuf>,
    pub shadowed: Vec<PathBuf>,
    /// Copies found outside that PATH (the doctor's PATH, usual install places).
    pub elsewhere: Vec<PathBuf>,
    pub shebang: Shebang,
    pub interpreter: Option<PathBuf>,
    pub interpreter_elsewhere: Vec<PathBuf>,
    pub login: Login,
}

#[derive(Debug, Clone, Serialize)]
pub struct Login {
    /// The status command that was run, and what it gave.
    pub status: Option<(String, CmdResult)>,
    /// Why no status command was run.
    pub not_run: Option<String>,
    pub creds: Vec<CredFile>,
    pub keyring_configured: bool,
    /// Key variables for this host in the target's environment (names; values masked).
    pub env_keys: Vec<String>,
    /// Key variables set in the doctor's shell but not in the listener's environment.
    pub shell_only_keys: Vec<String>,
    /// Whether the doctor's own user is logged in (files and environment), when the target is another user.
    pub mine_logged_in: Option<bool>,
}

fn run(ctx: Arc<Ctx>, _: Deps) -> Pin<Box<dyn Future<Output = Ran> + Send>> {
    Box::pin(async move { finish(gather(&ctx).await, diagnose) })
}

/// A place the host must work from, before the host is looked at.
struct Place {
    who: String,
    user: UserInfo,
    is_listener: bool,
    unit: Option<String>,
    /// The environment judged with: the listener's (None when unreadable), or the doctor's own.
    env: Option<ListenerEnv>,
    note: String,
}

/// Each running listener; with none, the doctor itself.
fn places(ctx: &Ctx, scan: &Scan) -> Vec<Place> {
    if scan.listeners.is_empty() {
        return vec![Place {
            who: format!("you ({}; no listener is running)", ctx.me.name),
            user: ctx.me.clone(),
            is_listener: false,
            unit: None,
            env: Some(ctx.own_env.clone()),
            note: "the doctor's own PATH (no listener is running)".into(),
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
            Place {
                who: format!("listener pid {} ({})", l.pid, l.user.name),
                user: l.user.clone(),
                is_listener: true,
                unit: l.unit.clone(),
                env,
                note,
            }
        })
        .collect()
}

/// `--host` or config.json's `host`; else every known host on any of the PATHs judged.
/// Returns the hosts, how they were chosen, and a configured name that is not a known host.
fn choose_hosts(
    ctx: &Ctx,
    install: &Install,
    places: &[Place],
) -> (Vec<&'static HostSpec>, String, Option<String>) {
    if let Some(s) = &install.settings.host {
        return match hosts::by_name(&s.value) {
            Some(h) => (vec![h], s.source.to_string(), None),
            None => (vec![], s.source.to_string(), Some(s.value.clone())),
        };
    }
    let mut path_list: Vec<String> = places
        .iter()
        .filter_map(|p| p.env.as_ref().and_then(|e| e.path.clone()))
        .collect();
    path_list.extend(ctx.own_env.path.clone());
    let found = hosts::HOSTS
        .iter()
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

/// Copies of `name` outside the PATH judged: on the doctor's PATH and in the usual install places.
fn elsewhere(name: &str, own_path: &str, home: Option<&Path>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = vec![];
    for c in paths::find_all_on(name, own_path)
        .into_iter()
        .chain(paths::find_in_dirs(name, &paths::usual_places(home)))
    {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// Where the host is on the place's PATH, and whether it can start there.
struct Located {
    path: Option<String>,
    found: Option<PathBuf>,
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

fn locate(h: &HostSpec, place: &Place, own_path: &str, home: Option<&Path>) -> Located {
    let path = place
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
            None => (None, elsewhere(name, own_path, home)),
        },
        (Shebang::Path { path }, _) => (paths::is_executable(path).then(|| path.clone()), vec![]),
        _ => (None, vec![]),
    };
    Located {
        elsewhere: if found.is_none() {
            elsewhere(h.binary, own_path, home)
        } else {
            vec![]
        },
        shadowed: all.into_iter().skip(1).collect(),
        path,
        found,
        shebang,
        interpreter,
        interpreter_elsewhere,
    }
}

/// Status results already had, by binary and environment: no host CLI is started twice.
type StatusCache = Vec<(PathBuf, Option<String>, CmdResult)>;

/// The login, judged as the place's user with the place's environment.
async fn login(
    ctx: &Ctx,
    h: &HostSpec,
    place: &Place,
    loc: &Located,
    home: Option<&Path>,
    cache: &mut StatusCache,
) -> Login {
    let me = &ctx.me;
    let doctor_is_root = me.uid == 0;
    let same_user = place.user.uid == me.uid;
    let set = |e: &ListenerEnv, k: &str| e.get(k).is_some_and(|v| !v.is_empty());
    let mut login = Login {
        status: None,
        not_run: None,
        creds: vec![],
        keyring_configured: false,
        env_keys: vec![],
        shell_only_keys: vec![],
        mine_logged_in: None,
    };
    if let Some(e) = &place.env {
        login.env_keys = h
            .key_vars
            .iter()
            .filter(|k| set(e, k))
            .map(|k| format!("{k}={}", redact::mask(e.get(k).unwrap_or_default())))
            .collect();
        if place.is_listener {
            login.shell_only_keys = h
                .key_vars
                .iter()
                .filter(|k| set(&ctx.own_env, k) && !set(e, k))
                .map(|k| k.to_string())
                .collect();
        }
    }
    match (same_user && loc.starts(), h.status_args, &loc.found) {
        (true, Some(args), Some(bin)) => {
            let key = place
                .env
                .as_ref()
                .map(|e| format!("{:?}|{:?}|{:?}", e.path, e.home.home, e.all.len()));
            let cached = cache
                .iter()
                .find(|(b, k, _)| b == bin && *k == key)
                .map(|(_, _, r)| r.clone());
            let res = match cached {
                Some(r) => r,
                None => {
                    // A listener's own environment; with no listener, the doctor's.
                    let env = if place.is_listener {
                        place.env.as_ref().map(|e| e.all.clone())
                    } else {
                        None
                    };
                    let r = host_cli::run_status(
                        bin,
                        args,
                        env.as_deref(),
                        ctx.budget().min(STATUS_LIMIT),
                    )
                    .await;
                    cache.push((bin.clone(), key, r.clone()));
                    r
                }
            };
            login.status = Some((format!("{} {}", bin.display(), args.join(" ")), res));
        }
        _ => {
            login.not_run = Some(if h.status_args.is_none() {
                format!(
                    "{} has no status command; judged from files and environment",
                    h.binary
                )
            } else if !loc.starts() {
                "the binary cannot start from this PATH".to_string()
            } else if doctor_is_root {
                format!("the doctor runs as root and never runs {0}'s binaries: judged from {0}'s files", place.user.name)
            } else {
                format!("the doctor runs as {0}, not {1}: it can neither run the status command as {1} nor read their files", me.name, place.user.name)
            });
        }
    }
    let status_unknown = login
        .status
        .as_ref()
        .is_none_or(|(_, r)| interpret_status(h, r) == LoginState::Unknown);
    if status_unknown && (same_user || doctor_is_root) {
        if let Some(home) = home {
            login.creds = hosts::credential_paths(h, home, place.env.as_ref())
                .iter()
                .map(|p| host_cli::read_cred_file(p))
                .collect();
            login.keyring_configured = hosts::keyring_config(h, home, place.env.as_ref())
                .is_some_and(|p| host_cli::toml_says(&p, "cli_auth_credentials_store", "keyring"));
        }
    }
    if !same_user {
        if let Some(my_home) = ctx.my_home() {
            let mine: Vec<CredFile> = hosts::credential_paths(h, &my_home, Some(&ctx.own_env))
                .iter()
                .map(|p| host_cli::read_cred_file(p))
                .collect();
            let key = h.key_vars.iter().any(|k| set(&ctx.own_env, k));
            login.mine_logged_in =
                Some(key || mine.iter().any(|c| c.has_refresh_token || c.has_api_key));
        }
    }
    login
}

pub async fn gather(ctx: &Ctx) -> Facts {
    let scan = ctx.scan().await;
    let install = ctx.install().await;
    let own_path = ctx.own_env.path.clone().unwrap_or_default();
    let places = places(ctx, &scan);
    let (specs, chosen_by, unknown_host) = choose_hosts(ctx, &install, &places);
    let mut cache = StatusCache::new();
    let mut hosts_out = vec![];
    for h in specs {
        let mut targets = vec![];
        for place in &places {
            let home = place
                .env
                .as_ref()
                .and_then(|e| e.home.home.clone())
                .map(PathBuf::from)
                .or_else(|| place.user.home.clone());
            let loc = locate(h, place, &own_path, home.as_deref());
            let login = login(ctx, h, place, &loc, home.as_deref(), &mut cache).await;
            targets.push(Target {
                who: place.who.clone(),
                user: place.user.clone(),
                is_listener: place.is_listener,
                unit: place.unit.clone(),
                path: loc.path,
                path_note: place.note.clone(),
                found: loc.found,
                shadowed: loc.shadowed,
                elsewhere: loc.elsewhere,
                shebang: loc.shebang,
                interpreter: loc.interpreter,
                interpreter_elsewhere: loc.interpreter_elsewhere,
                login,
            });
        }
        hosts_out.push(HostFacts {
            name: h.name.into(),
            binary: h.binary.into(),
            login_command: h.login.into(),
            targets,
        });
    }
    Facts {
        me: ctx.me.clone(),
        doctor_is_root: ctx.me.uid == 0,
        chosen_by,
        unknown_host,
        hosts: hosts_out,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginState {
    In,
    Out,
    Unknown,
}

/// What a status command's answer means: exit code first, then the text.
pub fn interpret_status(h: &HostSpec, r: &CmdResult) -> LoginState {
    let CmdResult::Exited {
        code,
        stdout,
        stderr,
    } = r
    else {
        return LoginState::Unknown;
    };
    let text = format!("{stdout}\n{stderr}");
    let lower = text.to_ascii_lowercase();
    if lower.contains("unknown command")
        || lower.contains("unknown option")
        || lower.contains("unrecognized")
    {
        return LoginState::Unknown;
    }
    if h.name == "claude" {
        if let Some(v) = stdout
            .lines()
            .find_map(|l| serde_json::from_str::<serde_json::Value>(l.trim()).ok())
            .or_else(|| serde_json::from_str(stdout.trim()).ok())
        {
            if let Some(b) = v.get("loggedIn").and_then(|b| b.as_bool()) {
                return if b { LoginState::In } else { LoginState::Out };
            }
        }
    }
    match code {
        Some(0) => LoginState::In,
        Some(_)
            if lower.contains("not logged in")
                || lower.contains("not authenticated")
                || lower.contains("logged out") =>
        {
            LoginState::Out
        }
        _ => LoginState::Unknown,
    }
}

/// What the files and environment say: in (and how), out, or unknown (and why).
fn judge_files(h: &HostSpec, l: &Login) -> (LoginState, String) {
    if let Some(k) = l.env_keys.first() {
        return (
            LoginState::In,
            format!("by API key in the environment ({k})"),
        );
    }
    if let Some(c) = l
        .creds
        .iter()
        .find(|c| c.has_refresh_token || c.has_api_key)
    {
        return (
            LoginState::In,
            format!(
                "{} holds a {}",
                c.path.display(),
                if c.has_refresh_token {
                    "refresh token"
                } else {
                    "stored API key"
                }
            ),
        );
    }
    if l.keyring_configured {
        return (LoginState::Unknown, "its config.toml keeps the credentials in the OS keyring, which the doctor does not read".into());
    }
    if let Some(c) = l
        .creds
        .iter()
        .find(|c| c.problem.as_deref() != Some("missing"))
    {
        let why = c
            .problem
            .clone()
            .unwrap_or_else(|| "holds no refresh token or API key".into());
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

fn as_user(user: &UserInfo, me: &UserInfo, cmd: &str) -> String {
    if user.uid == me.uid {
        cmd.to_string()
    } else {
        format!("sudo -u {} -H {cmd}", user.name)
    }
}

/// The directory on `path` to link a missing binary into: /usr/local/bin or /usr/bin when the
/// PATH has them, else its first entry.
fn link_dir(path: &str) -> String {
    let dirs: Vec<&str> = path.split(':').filter(|d| !d.is_empty()).collect();
    ["/usr/local/bin", "/usr/bin"]
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

pub fn diagnose(f: &Facts) -> Diagnosis {
    let mut found = vec![];
    if let Some(name) = &f.unknown_host {
        let known: Vec<&str> = hosts::HOSTS.iter().map(|h| h.name).collect();
        found.push((
            Status::Fail,
            Finding::new(
                "CONFIG_INVALID",
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
        found.push((Status::Fail, Finding::new("HOST_NOT_CONFIGURED", "no host is configured (no --host, no `host` in config.json) and no known host CLI is on PATH".to_string())));
        return Diagnosis::from_findings("no host CLI configured or found", found);
    }
    let mut good = vec![];
    for h in &f.hosts {
        let spec = hosts::by_name(&h.name);
        for t in &h.targets {
            let Some(path) = &t.path else {
                found.push((
                    Status::Warn,
                    Finding::new(
                        "HOST_LOGIN_UNVERIFIED",
                        format!(
                            "{}: cannot judge {} for {}: {}",
                            h.name, h.binary, t.who, t.path_note
                        ),
                    )
                    .with_commands(vec![format!(
                        "sudo -u {} -H agent-rooms-doctor host",
                        t.user.name
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
                    cmds.push(format!(
                        "sudo ln -s {} {}/{}",
                        e.display(),
                        link_dir(path),
                        h.binary
                    ));
                }
                let mut fnd = Finding::new("HOST_NOT_FOUND", msg).with_commands(cmds);
                if let Some(u) = &t.unit {
                    fnd = fnd.with_step_first(format!("The listener runs from the systemd unit {u}: add the directory to Environment=PATH=… with `systemctl edit {u}`, then restart it."));
                } else if t.elsewhere.is_empty() {
                    fnd = fnd.with_step_first(format!(
                        "Install {} for {} (see the host's docs), then restart the listener.",
                        h.binary, t.user.name
                    ));
                }
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
                    if let Some(e) = t.interpreter_elsewhere.first() {
                        msg.push_str(&format!("; {name} is in {}", dir_of(e)));
                        cmds.push(format!(
                            "sudo ln -s {} {}/{name}",
                            e.display(),
                            link_dir(path)
                        ));
                    }
                    found.push((
                        Status::Fail,
                        Finding::new("HOST_INTERPRETER_MISSING", msg).with_commands(cmds),
                    ));
                    continue;
                }
                (Shebang::Path { path: p }, None) => {
                    found.push((
                        Status::Fail,
                        Finding::new(
                            "HOST_INTERPRETER_MISSING",
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
            let (state, how) = match &t.login.status {
                Some((cmd, r)) => match interpret_status(spec, r) {
                    LoginState::Unknown => {
                        let (s, h2) = judge_files(spec, &t.login);
                        let said = match r {
                            CmdResult::TimedOut { after_ms } => {
                                format!("`{cmd}` timed out after {after_ms} ms")
                            }
                            CmdResult::NotStarted { error } => {
                                format!("`{cmd}` could not start: {error}")
                            }
                            CmdResult::Exited {
                                code,
                                stdout,
                                stderr,
                            } => format!(
                                "`{cmd}` exited {} saying {:?}",
                                code.map_or("by a signal".into(), |c| c.to_string()),
                                excerpt(&format!("{stdout}{stderr}"))
                            ),
                        };
                        (s, format!("{said}; from files: {h2}"))
                    }
                    s => (s, format!("`{cmd}` says {:?}", excerpt(&status_text(r)))),
                },
                None if !(t.user.uid == f.me.uid || f.doctor_is_root) => (
                    LoginState::Unknown,
                    t.login.not_run.clone().unwrap_or_default(),
                ),
                None => judge_files(spec, &t.login),
            };
            let shell_only = if t.login.shell_only_keys.is_empty() {
                String::new()
            } else {
                format!(" ({} is set in your shell but not in the listener's environment, so it does not help the listener)", t.login.shell_only_keys.join(", "))
            };
            match state {
                LoginState::In => good.push(format!("{} logged in for {}", h.name, t.user.name)),
                LoginState::Out if t.user.uid != f.me.uid && t.login.mine_logged_in == Some(true) => found.push((
                    Status::Fail,
                    Finding::new("HOST_LOGGED_IN_OTHER_USER", format!("{} is logged in for you ({}) but not for {}, the listener's user: {how}{shell_only}", h.name, f.me.name, t.user.name))
                        .with_commands(vec![as_user(&t.user, &f.me, &h.login_command)]),
                )),
                LoginState::Out => found.push((
                    Status::Fail,
                    Finding::new("HOST_NOT_LOGGED_IN", format!("{} is not logged in for {} ({}): {how}{shell_only}", h.name, t.user.name, t.who))
                        .with_commands(vec![as_user(&t.user, &f.me, &h.login_command)]),
                )),
                LoginState::Unknown => {
                    let status_cmd = spec.status_args.map(|a| format!("{} {}", h.binary, a.join(" "))).unwrap_or_else(|| h.binary.clone());
                    found.push((
                        Status::Warn,
                        Finding::new("HOST_LOGIN_UNVERIFIED", format!("cannot tell whether {} is logged in for {} ({}): {how}{shell_only}", h.name, t.user.name, t.who))
                            .with_commands(vec![as_user(&t.user, &f.me, &status_cmd)]),
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

fn status_text(r: &CmdResult) -> String {
    match r {
        CmdResult::Exited { stdout, stderr, .. } => format!("{stdout}{stderr}"),
        _ => String::new(),
    }
}

/// The first line of a command's output, short and free of control characters.
fn excerpt(s: &str) -> String {
    let line = s
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    line.chars().filter(|c| !c.is_control()).take(120).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(uid: u32, name: &str) -> UserInfo {
        UserInfo {
            uid,
            name: name.into(),
            home: Some(format!("/home/{name}").into()),
        }
    }
    fn login() -> Login {
        Login {
            status: None,
            not_run: None,
            creds: vec![],
            keyring_configured: false,
            env_keys: vec![],
            shell_only_keys: vec![],
            mine_logged_in: None,
        }
    }
    fn exited(code: i32, stdout: &str, stderr: &str) -> CmdResult {
        CmdResult::Exited {
            code: Some(code),
            stdout: stdout.into(),
            stderr: stderr.into(),
        }
    }
    fn target(u: UserInfo) -> Target {
        Target {
            who: format!("listener pid 42 ({})", u.name),
            user: u,
            is_listener: true,
            unit: None,
            path: Some("/usr/bin:/bin".into()),
            path_note: "the PATH of listener pid 42".into(),
            found: Some("/usr/bin/codex".into()),
            shadowed: vec![],
            elsewhere: vec![],
            shebang: Shebang::None,
            interpreter: None,
            interpreter_elsewhere: vec![],
            login: login(),
        }
    }
    fn facts(me: UserInfo, t: Target) -> Facts {
        Facts {
            me,
            doctor_is_root: false,
            chosen_by: "config.json".into(),
            unknown_host: None,
            hosts: vec![HostFacts {
                name: "codex".into(),
                binary: "codex".into(),
                login_command: "codex login".into(),
                targets: vec![t],
            }],
        }
    }
    fn codes(d: &Diagnosis) -> Vec<&str> {
        d.findings.iter().map(|f| f.code.as_str()).collect()
    }
    fn codex() -> &'static HostSpec {
        hosts::by_name("codex").unwrap()
    }
    fn claude() -> &'static HostSpec {
        hosts::by_name("claude").unwrap()
    }

    #[test]
    fn status_texts_seen_on_real_installs() {
        assert_eq!(
            interpret_status(codex(), &exited(0, "", "Logged in using ChatGPT\n")),
            LoginState::In
        );
        assert_eq!(
            interpret_status(
                codex(),
                &exited(0, "", "Logged in using an API key - sk-proj-***ABCD\n")
            ),
            LoginState::In
        );
        assert_eq!(
            interpret_status(codex(), &exited(1, "", "Not logged in\n")),
            LoginState::Out
        );
        assert_eq!(
            interpret_status(
                codex(),
                &exited(1, "", "Error checking login status: boom\n")
            ),
            LoginState::Unknown
        );
        assert_eq!(
            interpret_status(
                claude(),
                &exited(
                    0,
                    "{\"loggedIn\": true, \"authMethod\": \"claude.ai\"}\n",
                    ""
                )
            ),
            LoginState::In
        );
        assert_eq!(
            interpret_status(claude(), &exited(1, "{\"loggedIn\": false}\n", "")),
            LoginState::Out
        );
        assert_eq!(
            interpret_status(claude(), &exited(1, "", "error: unknown command 'auth'\n")),
            LoginState::Unknown
        );
        assert_eq!(
            interpret_status(codex(), &CmdResult::TimedOut { after_ms: 5000 }),
            LoginState::Unknown
        );
    }

    #[test]
    fn logged_in_by_status_passes() {
        let mut t = target(user(1000, "alice"));
        t.login.status = Some((
            "/usr/bin/codex login status".into(),
            exited(0, "", "Logged in using ChatGPT"),
        ));
        let d = diagnose(&facts(user(1000, "alice"), t));
        assert_eq!(d.status, Status::Pass, "{d:?}");
        assert_eq!(d.summary, "codex logged in for alice");
    }

    #[test]
    fn not_logged_in_names_the_login_command_as_that_user() {
        let mut t = target(user(1001, "bob"));
        t.login.creds = vec![host_cli::read_cred_file(Path::new(
            "/nonexistent/.codex/auth.json",
        ))];
        t.login.mine_logged_in = Some(false);
        let mut f = facts(user(0, "root"), t);
        f.doctor_is_root = true;
        let d = diagnose(&f);
        assert_eq!(
            (d.status, codes(&d)),
            (Status::Fail, vec!["HOST_NOT_LOGGED_IN"])
        );
        assert_eq!(
            d.findings[0].remedy.commands,
            vec!["sudo -u bob -H codex login"]
        );
    }

    #[test]
    fn logged_in_for_me_but_not_the_listener_user() {
        let mut t = target(user(1001, "bob"));
        t.login.creds = vec![host_cli::read_cred_file(Path::new(
            "/nonexistent/.codex/auth.json",
        ))];
        t.login.mine_logged_in = Some(true);
        let mut f = facts(user(0, "root"), t);
        f.doctor_is_root = true;
        let d = diagnose(&f);
        assert_eq!(codes(&d), vec!["HOST_LOGGED_IN_OTHER_USER"]);
        assert!(d.findings[0]
            .message
            .contains("logged in for you (root) but not for bob"));
    }

    #[test]
    fn shell_only_keys_are_called_out() {
        let mut t = target(user(1000, "alice"));
        t.login.status = Some(("codex login status".into(), exited(1, "", "Not logged in")));
        t.login.shell_only_keys = vec!["OPENAI_API_KEY".into()];
        let d = diagnose(&facts(user(1000, "alice"), t));
        assert_eq!(codes(&d), vec!["HOST_NOT_LOGGED_IN"]);
        assert!(d.findings[0]
            .message
            .contains("OPENAI_API_KEY is set in your shell but not in the listener's environment"));
        assert_eq!(d.findings[0].remedy.commands, vec!["codex login"]);
    }

    #[test]
    fn another_user_without_root_is_unverified_with_the_command() {
        let mut t = target(user(1001, "bob"));
        t.login.not_run = Some("the doctor runs as alice, not bob".into());
        let d = diagnose(&facts(user(1000, "alice"), t));
        assert_eq!(
            (d.status, codes(&d)),
            (Status::Warn, vec!["HOST_LOGIN_UNVERIFIED"])
        );
        assert_eq!(
            d.findings[0].remedy.commands,
            vec!["sudo -u bob -H codex login status"]
        );
        // An unreadable PATH is unverified too, not "not found".
        let mut t = target(user(1001, "bob"));
        t.path = None;
        let d = diagnose(&facts(user(1000, "alice"), t));
        assert_eq!(codes(&d), vec!["HOST_LOGIN_UNVERIFIED"]);
    }

    #[test]
    fn missing_from_the_listener_path_says_where_it_is() {
        let mut t = target(user(1000, "alice"));
        t.found = None;
        t.elsewhere = vec!["/home/alice/.nvm/versions/node/v20/bin/codex".into()];
        t.unit = Some("agent-rooms.service".into());
        let d = diagnose(&facts(user(1000, "alice"), t));
        assert_eq!(codes(&d), vec!["HOST_NOT_FOUND"]);
        assert_eq!(d.findings[0].message, "codex is in /home/alice/.nvm/versions/node/v20/bin, which the PATH of listener pid 42 lacks");
        assert_eq!(
            d.findings[0].remedy.commands,
            vec!["sudo ln -s /home/alice/.nvm/versions/node/v20/bin/codex /usr/bin/codex"]
        );
        assert!(d.findings[0].remedy.steps[0].contains("systemctl edit agent-rooms.service"));
    }

    #[test]
    fn a_missing_node_is_an_interpreter_problem() {
        let mut t = target(user(1000, "alice"));
        t.shebang = Shebang::Env {
            name: "node".into(),
        };
        t.interpreter_elsewhere = vec!["/opt/node/bin/node".into()];
        let d = diagnose(&facts(user(1000, "alice"), t));
        assert_eq!(codes(&d), vec!["HOST_INTERPRETER_MISSING"]);
        assert!(d.findings[0].message.contains("node is in /opt/node/bin"));
        let mut t = target(user(1000, "alice"));
        t.shebang = Shebang::Path {
            path: "/nope/python".into(),
        };
        assert_eq!(
            codes(&diagnose(&facts(user(1000, "alice"), t))),
            vec!["HOST_INTERPRETER_MISSING"]
        );
    }

    #[test]
    fn nothing_configured_or_unknown() {
        let mut f = facts(user(1000, "alice"), target(user(1000, "alice")));
        f.hosts.clear();
        assert_eq!(codes(&diagnose(&f)), vec!["HOST_NOT_CONFIGURED"]);
        f.unknown_host = Some("vim".into());
        assert_eq!(codes(&diagnose(&f)), vec!["CONFIG_INVALID"]);
    }

    #[test]
    fn files_and_keys_judge_hosts_without_status() {
        let mut l = login();
        l.env_keys = vec!["GEMINI_API_KEY=AIza…(39 chars)".into()];
        let g = hosts::by_name("gemini").unwrap();
        assert_eq!(judge_files(g, &l).0, LoginState::In);
        let mut l = login();
        l.keyring_configured = true;
        assert_eq!(judge_files(codex(), &l).0, LoginState::Unknown);
        assert_eq!(
            judge_files(hosts::by_name("copilot").unwrap(), &login()).0,
            LoginState::Unknown
        );
        assert_eq!(judge_files(g, &login()).0, LoginState::Out);
    }
}
