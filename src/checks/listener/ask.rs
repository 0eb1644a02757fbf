//! Asking what runs the listener (`meant` turns the answers into one shape): pm2's daemons of
//! the judged user (`pm2 jlist` as that user) or the list `pm2 save` left, systemd's units, and a
//! `nohup.out`. Only when something may be wrong: no listener runs, or one is young.

use crate::probes::supervision::Runtime;
use std::path::{Path, PathBuf};

use super::meant::{from_nohup, from_pm2, from_unit, last_words, worth_asking, Asked};
use crate::ctx::Ctx;
use crate::probes::command::{self, AsUser};
use crate::probes::logs;
use crate::probes::pm2::{self, App};
use crate::probes::processes::{HomeEnv, ListenerProc};
use crate::probes::services::Unit;
use crate::probes::supervision::Supervisor;
use crate::probes::systemd;
use crate::probes::users::{self, UserInfo};

/// The judged agent's home as an app's environment names it.
fn same_home(env: &HomeEnv, user: &UserInfo, judged: Option<&Path>) -> bool {
    let (Some(judged), true) = (judged, env.home.is_some() || env.agent_rooms_home.is_some())
    else {
        return true; // nothing to tell it apart by
    };
    crate::install::home_for(env, user.home.as_deref()).as_deref() == Some(judged)
}

/// `user`'s home: the doctor's own (`$HOME`) for its own user, else the passwd one.
fn home_of(ctx: &Ctx, user: &UserInfo) -> Option<PathBuf> {
    if user.uid == ctx.me.uid {
        ctx.my_home()
    } else {
        user.home.clone()
    }
}

/// Whom to run a supervisor's command as: None when it is the doctor's own user.
fn run_as(uid: u32, me: &UserInfo) -> Result<Option<AsUser>, String> {
    if uid == me.uid {
        return Ok(None);
    }
    if me.uid != 0 {
        return Err(format!(
            "it belongs to {}, and only root or {0} can ask it",
            users::by_uid(uid).name
        ));
    }
    command::as_user(uid)
        .map(Some)
        .ok_or_else(|| format!("uid {uid} is not in the passwd database"))
}

/// Ask pm2 and systemd about the judged agent's listener (see the module's comment).
pub async fn gather(
    ctx: &Ctx,
    listeners: &[ListenerProc],
    units: &[Unit],
    owner: &UserInfo,
    judged: Option<&Path>,
    log_file: Option<&str>,
) -> Asked {
    let mut asked = Asked::default();
    let young: Vec<&ListenerProc> = listeners.iter().filter(|l| worth_asking(l)).collect();
    if !listeners.is_empty() && young.is_empty() {
        return asked; // healthy: nothing spent
    }
    let wanted_pm2: Vec<(u32, Option<String>)> = if listeners.is_empty() {
        vec![(owner.uid, None)]
    } else {
        young
            .iter()
            .filter_map(|l| match &l.supervisor {
                Supervisor::Pm2 { pm2_home, .. } => Some((l.user.uid, pm2_home.clone())),
                _ => None,
            })
            .collect()
    };
    for (uid, home) in wanted_pm2 {
        ask_pm2(ctx, uid, home.as_deref(), judged, listeners, &mut asked).await;
    }
    let wanted_units: Vec<(Unit, UserInfo)> = if listeners.is_empty() {
        units
            .iter()
            .map(|u| (u.clone(), unit_owner(u, owner)))
            .collect()
    } else {
        young.iter().filter_map(|l| unit_of(l)).collect()
    };
    ask_systemd(ctx, &wanted_units, &mut asked).await;
    if listeners.is_empty() {
        #[cfg(target_os = "macos")]
        ask_launchd(ctx, owner, &mut asked).await;
        ask_containers(ctx, &mut asked).await;
        read_nohup(ctx, owner, log_file, &mut asked).await;
    }
    for m in asked.meant.iter_mut() {
        if let Some(script) = m.script.clone() {
            m.package =
                crate::ctx::blocking(move || crate::probes::npm::package_of(Path::new(&script)))
                    .await;
        }
    }
    asked
}

/// The systemd unit that runs listener `l`, with the user whose manager runs it.
fn unit_of(l: &ListenerProc) -> Option<(Unit, UserInfo)> {
    let (name, user, owner) = match &l.supervisor {
        Supervisor::SystemdSystem { unit } => (unit, false, users::by_uid(0)),
        Supervisor::SystemdUser { unit, .. } => (unit, true, l.user.clone()),
        _ => return None,
    };
    let unit = Unit {
        name: name.clone(),
        path: PathBuf::new(),
        user,
        exec_start: vec![],
    };
    Some((unit, owner))
}

fn unit_owner(u: &Unit, owner: &UserInfo) -> UserInfo {
    if u.user {
        owner.clone()
    } else {
        users::by_uid(0)
    }
}

async fn ask_pm2(
    ctx: &Ctx,
    uid: u32,
    home: Option<&str>,
    judged: Option<&Path>,
    listeners: &[ListenerProc],
    asked: &mut Asked,
) {
    let user = users::by_uid(uid);
    let daemons = crate::ctx::blocking(pm2::daemons).await;
    let mine: Vec<_> = daemons
        .into_iter()
        .filter(|d| d.uid == uid && home.is_none_or(|h| d.home == Path::new(h)))
        .collect();
    let whose = Whose {
        user: &user,
        judged,
        // `pm2 startup` needs an init it knows (systemd, launchd…): without one, only `pm2
        // save` is judged.
        init: systemd::running() || cfg!(target_os = "macos"),
    };
    for d in &mine {
        ask_daemon(ctx, d, &whose, listeners, asked).await;
    }
    if !listeners.is_empty() {
        return;
    }
    // A PM2_HOME whose daemon is not running: the list `pm2 save` left there.
    let mut homes: Vec<PathBuf> = vec![];
    if uid == ctx.me.uid {
        if let Some(h) = std::env::var_os("PM2_HOME").filter(|h| !h.is_empty()) {
            homes.push(h.into());
        }
    }
    if let Some(h) = home_of(ctx, &user) {
        homes.push(h.join(".pm2"));
    }
    homes.dedup();
    homes.retain(|h| !mine.iter().any(|d| &d.home == h));
    for home in homes {
        ask_saved(&home, &whose, asked).await;
    }
}

/// Whose pm2 is asked: the user, the home judged, and whether an init runs that `pm2 startup`
/// could hook.
struct Whose<'a> {
    user: &'a UserInfo,
    judged: Option<&'a Path>,
    init: bool,
}

impl Whose<'_> {
    /// Whether pm2 in `home` is started at boot (None: no init to start it).
    fn at_boot(&self, home: &Path) -> Option<bool> {
        self.init.then(|| pm2::started_at_boot(home, &self.user.name))
    }
}

/// A running pm2 daemon, asked with the pm2 it was started with (or one on a PATH): its apps that
/// run a listener of the judged home.
async fn ask_daemon(ctx: &Ctx, d: &pm2::Daemon, whose: &Whose<'_>, listeners: &[ListenerProc], asked: &mut Asked) {
    let on = |path: &str| crate::probes::paths::find_on("pm2", path);
    let own = ctx.own_env.path.clone().unwrap_or_default();
    let bin = d.pm2.clone().or_else(|| d.path.as_deref().and_then(on)).or_else(|| on(&own));
    let Some(bin) = bin else {
        asked.unasked.push(format!(
            "pm2's daemon (pid {}, PM2_HOME {}) runs, but no pm2 program was found to ask it",
            d.pid,
            d.home.display()
        ));
        return;
    };
    let who = match run_as(d.uid, &ctx.me) {
        Ok(w) => w,
        Err(why) => return asked.unasked.push(format!("pm2 of {}: {why}", whose.user.name)),
    };
    let apps = match pm2::jlist(d, &bin, who.as_ref(), ctx.budget()).await {
        Ok(apps) => apps,
        Err(e) => return asked.unasked.push(e),
    };
    // Once per daemon: its saved list and whether pm2 starts at boot.
    let saved: Vec<String> = match pm2::dump(&d.home) {
        Some(Ok(apps)) => apps.into_iter().map(|a| a.name).collect(),
        _ => vec![],
    };
    let boot = whose.at_boot(&d.home);
    for app in apps.iter().filter(|a| a.runs_listener()) {
        let up = app.pid.and_then(|p| listeners.iter().find(|l| l.pid == p));
        if !same_home(&app.home_env, whose.user, whose.judged) && up.is_none() {
            continue;
        }
        let is_saved = saved.contains(&app.name);
        let mut m = from_pm2(app, &d.home, whose.user, true, is_saved, boot);
        if let Supervisor::Pm2 { bin: b, .. } = &mut m.supervisor {
            *b = Some(bin.display().to_string());
        }
        m.last_words = pm2_last_words(app).await;
        asked.meant.push(m);
    }
}

/// The list `pm2 save` left in `home`, whose daemon is not running: its apps that ran a listener
/// of the judged home.
async fn ask_saved(home: &Path, whose: &Whose<'_>, asked: &mut Asked) {
    let h = home.to_path_buf();
    let apps = match crate::ctx::blocking(move || pm2::dump(&h)).await {
        None => return,
        Some(Err(e)) => return asked.unasked.push(e),
        Some(Ok(apps)) => apps,
    };
    for app in apps.iter().filter(|a| a.runs_listener()) {
        if !same_home(&app.home_env, whose.user, whose.judged) {
            continue;
        }
        let mut m = from_pm2(app, home, whose.user, false, true, whose.at_boot(home));
        // pm2 as the shell that started the app had it.
        let bin = app
            .pm2
            .clone()
            .map(PathBuf::from)
            .or_else(|| crate::probes::paths::find_on("pm2", app.path.as_deref()?));
        if let Supervisor::Pm2 { bin: b, .. } = &mut m.supervisor {
            *b = bin.map(|p| p.display().to_string());
        }
        m.last_words = pm2_last_words(app).await;
        asked.meant.push(m);
    }
}

/// The end of an app's error log (pm2 writes the listener's stderr there).
async fn pm2_last_words(app: &App) -> Vec<String> {
    let Some(p) = app.err_log.clone() else {
        return vec![];
    };
    tail(PathBuf::from(p)).await.0
}

/// A file's last words, its modification time, and whether its end names agent-rooms.
async fn tail(p: PathBuf) -> (Vec<String>, Option<i64>, bool) {
    crate::ctx::blocking(move || match logs::read_tail(&p) {
        Ok(log) => {
            let lines: Vec<&str> = log.lines.iter().map(|l| l.text.as_str()).collect();
            let names_us = lines
                .iter()
                .rev()
                .take(200)
                .any(|l| l.contains("agent-rooms"));
            (last_words(&lines), log.modified, names_us)
        }
        Err(_) => (vec![], None, false),
    })
    .await
}

async fn ask_systemd(ctx: &Ctx, units: &[(Unit, UserInfo)], asked: &mut Asked) {
    if units.is_empty() {
        return;
    }
    if !systemd::running() {
        asked.unasked.push(format!(
            "systemd is not running here (a container, or another init), so the state of {} cannot be asked",
            units.iter().map(|(u, _)| u.name.as_str()).collect::<Vec<_>>().join(", ")
        ));
        return;
    }
    for (unit, user) in units {
        let owner = match unit.user {
            true => match run_as(user.uid, &ctx.me) {
                Ok(o) => o,
                Err(why) => {
                    asked.unasked.push(format!("{}: {why}", unit.name));
                    continue;
                }
            },
            false => None,
        };
        match systemd::show(&unit.name, unit.user, owner.as_ref(), ctx.budget()).await {
            Ok(st) => {
                let mut m = from_unit(unit, &st, user);
                let lines =
                    systemd::journal(&unit.name, unit.user, owner.as_ref(), 20, ctx.budget()).await;
                m.last_words = last_words(&lines);
                asked.meant.push(m);
            }
            Err(e) => asked.unasked.push(e),
        }
    }
}

/// docker's and podman's exited containers that ran the listener (where the runtime is
/// installed; a runtime without a daemon to ask says nothing).
async fn ask_containers(ctx: &Ctx, asked: &mut Asked) {
    let path = ctx.own_env.path.clone().unwrap_or_default();
    for runtime in [Runtime::Docker, Runtime::Podman] {
        if crate::probes::paths::find_on(runtime.as_str(), &path).is_none() {
            continue;
        }
        // docker's CLI alone asks nothing: its daemon's socket (or DOCKER_HOST) must be there.
        let socket = ["/var/run/docker.sock", "/run/docker.sock"]
            .iter()
            .any(|p| Path::new(p).exists());
        if runtime == Runtime::Docker && !socket && std::env::var_os("DOCKER_HOST").is_none() {
            continue;
        }
        // A container that ended over a day ago is history (often another installation's
        // test): it does not explain a listener that is not running now.
        let day_ago = crate::time_util::now() - 24 * 3600;
        match crate::probes::containers::exited_listeners(runtime, ctx.budget()).await {
            Ok(found) => asked.meant.extend(
                found
                    .iter()
                    .filter(|(c, _)| c.finished_at.is_some_and(|t| t >= day_ago))
                    .map(|(c, lines)| super::meant::from_container(c, lines, &users::by_uid(0))),
            ),
            // No daemon (or no right to its socket): nothing to say about containers.
            Err(e) if e.contains("Cannot connect") || e.contains("permission denied") => {}
            Err(e) => asked.unasked.push(e),
        }
    }
}

/// A listener started by hand with nohup leaves `nohup.out` in the directory it started in
/// (most often the home), or writes listener.json's `log_file`. A `nohup.out` is the listener's
/// only where its last lines name agent-rooms (its script, its messages): any program run with
/// nohup leaves one.
async fn read_nohup(ctx: &Ctx, owner: &UserInfo, log_file: Option<&str>, asked: &mut Asked) {
    let home = home_of(ctx, owner);
    let mut places: Vec<(PathBuf, bool)> = home
        .map(|h| (h.join("nohup.out"), false))
        .into_iter()
        .collect();
    places.extend(log_file.map(|f| (PathBuf::from(f), true)));
    for (p, its_own) in places {
        let (lines, modified, names_us) = tail(p.clone()).await;
        if !lines.is_empty() && (its_own || names_us) {
            asked.meant.push(from_nohup(&p, &lines, modified, owner));
        }
    }
}

/// launchd's jobs whose plists run the listener: the judged user's agents (`gui/UID`) and the
/// machine's daemons (`system`), each asked with `launchctl print`.
#[cfg(target_os = "macos")]
async fn ask_launchd(ctx: &Ctx, owner: &UserInfo, asked: &mut Asked) {
    let home = home_of(ctx, owner);
    let jobs =
        crate::ctx::blocking(move || crate::probes::launchd::listener_jobs(home.as_deref())).await;
    for (plist, job, daemon) in jobs {
        let Some(label) = job.label.clone() else {
            asked
                .unasked
                .push(format!("{}: the plist has no Label", plist.display()));
            continue;
        };
        let (target, user) = if daemon {
            (format!("system/{label}"), users::by_uid(0))
        } else {
            (format!("gui/{}/{label}", owner.uid), owner.clone())
        };
        match crate::probes::launchctl::print(&target, ctx.budget()).await {
            Ok(st) => {
                let log = job.stderr_path.clone().or(job.stdout_path.clone());
                let mut m = super::meant::from_launchd(&label, &st, &user, log.as_deref());
                if let Some(p) = log {
                    m.last_words = tail(PathBuf::from(p)).await.0;
                }
                asked.meant.push(m);
            }
            Err(e) => asked.unasked.push(e),
        }
    }
}
