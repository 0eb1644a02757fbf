//! What was meant to keep the listener running, and how it says the listener ended: pm2's apps,
//! systemd's units, a terminal's `nohup.out`, each turned into one shape (`Meant`) the rules
//! read. `from_pm2`, `from_unit` and `from_nohup` are pure (tests feed them recorded answers);
//! `gather` asks the probes, and only when something may be wrong: no listener runs, or one is
//! young (up less than `YOUNG_SECS`) under a supervisor that could have restarted it.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use crate::ctx::Ctx;
use crate::probes::command::{self, AsUser};
use crate::probes::npm::NpmPackage;
use crate::probes::pm2::{self, App};
use crate::probes::processes::ListenerProc;
use crate::probes::services::Unit;
use crate::probes::supervision::Supervisor;
use crate::probes::systemd::{self, UnitState};
use crate::probes::users::{self, UserInfo};
use crate::probes::{logs, processes::HomeEnv};

/// A listener up for less than this may be between two crashes: what runs it is asked.
pub const YOUNG_SECS: u64 = 60;
/// The last lines quoted from a log.
pub const LAST_WORDS: usize = 12;

/// Where the listener stands as what runs it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// A run is up now.
    Up,
    /// Between two runs: it exited and will be started again.
    Restarting,
    /// Stopped on purpose (`pm2 stop`, `systemctl stop`) or ended cleanly: nothing restarts it.
    Stopped,
    /// It gave up: exited with an error, was killed, or hit its restart limit.
    Failed,
    /// pm2's daemon is not running: its saved list says the app, nothing runs it.
    DaemonDown,
    /// A listener started by hand ended (its output, `nohup.out`, is all that is left).
    Ended,
}

/// How its last run ended.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exit {
    pub code: Option<i64>,
    /// The signal that killed it ("SIGKILL").
    pub signal: Option<String>,
    /// systemd's Result (exit-code, signal, oom-kill, start-limit-hit…).
    pub result: Option<String>,
}

/// Whether it starts at boot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "at_boot", content = "why")]
pub enum AtBoot {
    Yes,
    /// Nothing starts it at boot, and why ("the unit is disabled").
    No(String),
    /// Cannot be said (a terminal, a recorded answer without it).
    Unknown,
}

/// One thing meant to run the listener, and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meant {
    /// Which supervisor, with what its remedies need (its name, PM2_HOME…).
    pub supervisor: Supervisor,
    /// Whose it is: its remedies run as this user.
    pub user: UserInfo,
    pub state: State,
    /// The supervisor's own words for its state: "errored", "failed (exit-code)".
    pub said: String,
    /// How many times it was started again (pm2's restart_time, systemd's NRestarts).
    pub restarts: Option<u64>,
    /// It is started again when it exits (pm2's autorestart, systemd's `Restart=`).
    pub restarts_on_exit: bool,
    pub exit: Exit,
    /// When its state last changed (the last run's start for a run that is up).
    #[serde(
        serialize_with = "crate::time_util::ser_rfc3339_opt",
        deserialize_with = "crate::time_util::de_rfc3339_opt",
        default
    )]
    pub since: Option<i64>,
    pub boot: AtBoot,
    /// Its last lines (cleaned, secrets masked, each cut), oldest first.
    pub last_words: Vec<String>,
    /// Where the last words come from (a file, a journal).
    pub log: Option<String>,
    /// How it was asked ("pm2 jlist", "dump.pm2", "systemctl show").
    pub asked: String,
    /// The listener's program as it is run (pm2's script, the unit's ExecStart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    /// The npm package that program belongs to (what to install again when it is broken).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<NpmPackage>,
}

/// `text` as a quoted line: cleaned, secrets masked before the cut.
fn words(text: &str) -> String {
    crate::sanitize::outside(text, 200)
}

/// The last `LAST_WORDS` lines of `lines` that say something (not empty, not a stack frame
/// `    at f (file:1:2)`: the error they follow is what a person reads), cleaned.
pub fn last_words<S: AsRef<str>>(lines: &[S]) -> Vec<String> {
    let kept: Vec<&str> = lines
        .iter()
        .map(|l| l.as_ref())
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with("at "))
        .collect();
    kept[kept.len().saturating_sub(LAST_WORDS)..]
        .iter()
        .map(|l| words(l))
        .collect()
}

/// A signal's name from its number (the common ones; else "signal N").
pub fn signal_name(n: i64) -> String {
    let name = match n {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => return format!("signal {n}"),
    };
    name.to_string()
}

/// A pm2 app as `Meant`. `daemon_up`: asked of its running daemon (else read from dump.pm2);
/// `saved`: dump.pm2 lists it; `at_boot`: `pm2 startup` set pm2 to start at boot (None where
/// no init pm2 knows runs: a container).
pub fn from_pm2(
    app: &App,
    home: &Path,
    user: &UserInfo,
    daemon_up: bool,
    saved: bool,
    at_boot: Option<bool>,
) -> Meant {
    let state = match (daemon_up, app.status.as_str()) {
        (false, _) => State::DaemonDown,
        (true, "online") => State::Up,
        (true, "launching" | "waiting restart") => State::Restarting,
        (true, "errored") => State::Failed,
        (true, "stopped") if app.exit_code.is_some_and(|c| c != 0) => State::Failed,
        _ => State::Stopped,
    };
    Meant {
        supervisor: Supervisor::Pm2 {
            name: app.name.clone(),
            id: app.id.map(|i| i.to_string()),
            pm2_home: Some(home.display().to_string()),
            out_log: app.out_log.clone(),
            err_log: app.err_log.clone(),
            bin: None,
        },
        user: user.clone(),
        state,
        said: app.status.clone(),
        restarts: Some(app.restarts),
        restarts_on_exit: app.autorestart,
        exit: Exit {
            code: app.exit_code,
            ..Exit::default()
        },
        since: app.since,
        boot: match (saved, at_boot) {
            (true, Some(true)) => AtBoot::Yes,
            (true, None) => AtBoot::Unknown,
            (false, _) => AtBoot::No(format!(
                "pm2's saved list ({}) does not have it (`pm2 save` was not run since it was started)",
                home.join("dump.pm2").display()
            )),
            (true, Some(false)) => AtBoot::No(
                "pm2 itself is not started at boot (`pm2 startup` was not run)".into(),
            ),
        },
        last_words: vec![],
        log: app.err_log.clone(),
        asked: if daemon_up {
            "pm2 jlist".into()
        } else {
            format!("{} (pm2's daemon is not running)", home.join("dump.pm2").display())
        },
        script: Some(app.script.clone()).filter(|s| !s.is_empty()),
        package: None,
    }
}

/// A systemd unit's answer as `Meant`.
pub fn from_unit(unit: &Unit, st: &UnitState, user: &UserInfo) -> Meant {
    let state = match (st.active_state.as_str(), st.sub_state.as_str()) {
        ("active" | "reloading", _) => State::Up,
        ("activating", "auto-restart") => State::Restarting,
        ("activating", _) => State::Up,
        ("failed", _) => State::Failed,
        _ => State::Stopped,
    };
    let killed = matches!(st.main_code, Some(2 | 3));
    let exit = Exit {
        code: st.main_status.filter(|_| !killed).map(i64::from),
        signal: st
            .main_status
            .filter(|_| killed)
            .map(|n| signal_name(n.into())),
        result: Some(st.result.clone()).filter(|r| !r.is_empty() && r != "success"),
    };
    Meant {
        supervisor: if unit.user {
            Supervisor::SystemdUser {
                unit: unit.name.clone(),
                uid: Some(user.uid),
                lingering: None,
            }
        } else {
            Supervisor::SystemdSystem {
                unit: unit.name.clone(),
            }
        },
        user: user.clone(),
        state,
        said: match st.sub_state.as_str() {
            s if s.is_empty() || s == st.active_state => st.active_state.clone(),
            s => format!("{} ({s})", st.active_state),
        },
        restarts: st.restarts,
        restarts_on_exit: !st.restart.is_empty() && st.restart != "no",
        exit,
        since: st.changed_at.or(st.exited_at),
        boot: match st.unit_file_state.as_str() {
            "enabled" | "enabled-runtime" | "static" | "alias" | "indirect" | "generated" => {
                AtBoot::Yes
            }
            "" => AtBoot::Unknown,
            other => AtBoot::No(format!("the unit is {other}")),
        },
        last_words: vec![],
        log: Some(format!(
            "journalctl{} -u {}",
            if unit.user { " --user" } else { "" },
            unit.name
        )),
        asked: "systemctl show".into(),
        script: unit
            .exec_start
            .iter()
            .find(|w| {
                Path::new(w)
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("agent-rooms"))
            })
            .cloned(),
        package: None,
    }
}

/// A `nohup.out` whose last lines are what a listener started by hand wrote before it ended.
pub fn from_nohup(path: &Path, lines: &[String], modified: Option<i64>, user: &UserInfo) -> Meant {
    Meant {
        supervisor: Supervisor::Terminal {
            via: "nohup".into(),
            nohup_out: Some(path.display().to_string()),
        },
        user: user.clone(),
        state: State::Ended,
        said: "ended".into(),
        restarts: None,
        restarts_on_exit: false,
        exit: Exit::default(),
        since: modified,
        boot: AtBoot::Unknown,
        last_words: last_words(lines),
        log: Some(path.display().to_string()),
        asked: "nohup.out".into(),
        script: None,
        package: None,
    }
}

/// What was asked, and what could not be.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asked {
    pub meant: Vec<Meant>,
    /// What could not be asked, and why ("systemd is not running here").
    pub unasked: Vec<String>,
}

/// Is this listener worth asking about (young, under a supervisor that restarts)?
pub fn worth_asking(l: &ListenerProc) -> bool {
    l.uptime_secs < YOUNG_SECS
        && matches!(
            l.supervisor,
            Supervisor::Pm2 { .. }
                | Supervisor::SystemdSystem { .. }
                | Supervisor::SystemdUser { .. }
        )
}

/// The judged agent's home as an app's environment names it.
fn same_home(env: &HomeEnv, user: &UserInfo, judged: Option<&Path>) -> bool {
    let (Some(judged), true) = (judged, env.home.is_some() || env.agent_rooms_home.is_some())
    else {
        return true; // nothing to tell it apart by
    };
    crate::install::home_for(env, user.home.as_deref()).as_deref() == Some(judged)
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
        young
            .iter()
            .filter_map(|l| match &l.supervisor {
                Supervisor::SystemdSystem { unit } => Some((
                    Unit {
                        name: unit.clone(),
                        path: PathBuf::new(),
                        user: false,
                        exec_start: vec![],
                    },
                    users::by_uid(0),
                )),
                Supervisor::SystemdUser { unit, .. } => Some((
                    Unit {
                        name: unit.clone(),
                        path: PathBuf::new(),
                        user: true,
                        exec_start: vec![],
                    },
                    l.user.clone(),
                )),
                _ => None,
            })
            .collect()
    };
    ask_systemd(ctx, &wanted_units, &mut asked).await;
    if listeners.is_empty() {
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
    // `pm2 startup` needs an init it knows (systemd, launchd…): without one, only `pm2 save`
    // is judged.
    let init = systemd::running() || cfg!(target_os = "macos");
    let at_boot = |home: &Path| init.then(|| pm2::started_at_boot(home, &user.name));
    let saved_names = |home: &Path| -> Vec<String> {
        match pm2::dump(home) {
            Some(Ok(apps)) => apps.into_iter().map(|a| a.name).collect(),
            _ => vec![],
        }
    };
    for d in &mine {
        let pm2_bin = d
            .pm2
            .clone()
            .or_else(|| {
                d.path
                    .as_deref()
                    .and_then(|p| crate::probes::paths::find_on("pm2", p))
            })
            .or_else(|| {
                let own = ctx.own_env.path.clone().unwrap_or_default();
                crate::probes::paths::find_on("pm2", &own)
            });
        let Some(bin) = pm2_bin else {
            asked.unasked.push(format!(
                "pm2's daemon (pid {}, PM2_HOME {}) runs, but no pm2 program was found to ask it",
                d.pid,
                d.home.display()
            ));
            continue;
        };
        let who = match run_as(d.uid, &ctx.me) {
            Ok(w) => w,
            Err(why) => {
                asked.unasked.push(format!("pm2 of {}: {why}", user.name));
                continue;
            }
        };
        match pm2::jlist(d, &bin, who.as_ref(), ctx.budget()).await {
            Ok(apps) => {
                for app in apps.iter().filter(|a| a.runs_listener()) {
                    let up = app.pid.and_then(|p| listeners.iter().find(|l| l.pid == p));
                    if !same_home(&app.home_env, &user, judged) && up.is_none() {
                        continue;
                    }
                    let saved = saved_names(&d.home).contains(&app.name);
                    let mut m = from_pm2(app, &d.home, &user, true, saved, at_boot(&d.home));
                    if let Supervisor::Pm2 { bin: b, .. } = &mut m.supervisor {
                        *b = Some(bin.display().to_string());
                    }
                    m.last_words = pm2_last_words(app).await;
                    asked.meant.push(m);
                }
            }
            Err(e) => asked.unasked.push(e),
        }
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
    let home_dir = if uid == ctx.me.uid {
        ctx.my_home()
    } else {
        user.home.clone()
    };
    if let Some(h) = home_dir {
        homes.push(h.join(".pm2"));
    }
    homes.dedup();
    homes.retain(|h| !mine.iter().any(|d| &d.home == h));
    for home in homes {
        let h = home.clone();
        let Some(read) = crate::ctx::blocking(move || pm2::dump(&h)).await else {
            continue;
        };
        match read {
            Ok(apps) => {
                for app in apps.iter().filter(|a| a.runs_listener()) {
                    if !same_home(&app.home_env, &user, judged) {
                        continue;
                    }
                    let mut m = from_pm2(app, &home, &user, false, true, at_boot(&home));
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
            Err(e) => asked.unasked.push(e),
        }
    }
}

/// The end of an app's error log (pm2 writes the listener's stderr there).
async fn pm2_last_words(app: &App) -> Vec<String> {
    let Some(p) = app.err_log.clone() else {
        return vec![];
    };
    tail(PathBuf::from(p)).await.0
}

/// The last lines of a file and its modification time.
async fn tail(p: PathBuf) -> (Vec<String>, Option<i64>) {
    crate::ctx::blocking(move || match logs::read_tail(&p) {
        Ok(log) => {
            let lines: Vec<String> = log.lines.iter().map(|l| l.text.clone()).collect();
            (last_words(&lines), log.modified)
        }
        Err(_) => (vec![], None),
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

/// A listener started by hand with nohup leaves `nohup.out` in the directory it started in
/// (most often the home), or writes listener.json's `log_file`.
async fn read_nohup(ctx: &Ctx, owner: &UserInfo, log_file: Option<&str>, asked: &mut Asked) {
    let home = if owner.uid == ctx.me.uid {
        ctx.my_home()
    } else {
        owner.home.clone()
    };
    let mut places: Vec<PathBuf> = home.map(|h| h.join("nohup.out")).into_iter().collect();
    places.extend(log_file.map(PathBuf::from));
    for p in places {
        let (lines, modified) = tail(p.clone()).await;
        if !lines.is_empty() {
            asked.meant.push(from_nohup(&p, &lines, modified, owner));
        }
    }
}
