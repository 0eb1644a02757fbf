//! pm2 as it answers: the God Daemons running here (each one's PM2_HOME, user, and the pm2 that
//! started it), a daemon's apps (`pm2 jlist`, run as the daemon's user), and, where no daemon
//! runs, the list `pm2 save` left (`$PM2_HOME/dump.pm2`) and pm2's own log (`pm2.log`). Nothing
//! here judges; `parse` reads recorded answers as well as live ones.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::command::{self, AsUser};
use super::files::{self, FileRead};
use super::processes::HomeEnv;

/// A running pm2 God Daemon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Daemon {
    pub pid: u32,
    pub uid: u32,
    /// Its PM2_HOME, from its title `PM2 vX: God Daemon (PM2_HOME)`.
    pub home: PathBuf,
    /// The pm2 that started it (`_` in its environment, where a shell set it).
    pub pm2: Option<PathBuf>,
    /// Its PATH (pm2's `#!/usr/bin/env node` needs a node on it).
    pub path: Option<String>,
}

/// One pm2 app, as `pm2 jlist` (or dump.pm2) describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct App {
    pub name: String,
    pub id: Option<u64>,
    /// pm2's word: online, launching, waiting restart, stopping, stopped, errored.
    pub status: String,
    /// Its process, while one runs.
    pub pid: Option<u32>,
    /// `restart_time`: how many times pm2 started it again (on a crash, or `pm2 restart`).
    pub restarts: u64,
    pub unstable_restarts: u64,
    /// The last run's exit code (pm2 keeps it while the next run is up).
    pub exit_code: Option<i64>,
    /// When its current (or last) run started (`pm_uptime`), seconds since the epoch.
    pub since: Option<i64>,
    pub script: String,
    pub args: Vec<String>,
    pub out_log: Option<String>,
    pub err_log: Option<String>,
    /// pm2 starts it again when it exits (`autorestart`).
    pub autorestart: bool,
    /// The variables that say which agent-rooms home the app uses.
    #[serde(default)]
    pub home_env: HomeEnv,
    /// The pm2 that started it (`_` in the environment of the shell that ran `pm2 start`).
    #[serde(default)]
    pub pm2: Option<String>,
    /// The PATH it was started with (that shell's).
    #[serde(default)]
    pub path: Option<String>,
}

impl App {
    /// Does the app run `agent-rooms watch` (its script and arguments)?
    pub fn runs_listener(&self) -> bool {
        let argv: Vec<&str> = std::iter::once(self.script.as_str())
            .chain(self.args.iter().map(String::as_str))
            .collect();
        crate::probes::processes::is_listener_argv(&argv)
    }
}

/// The running God Daemons, from the process table (Linux; none elsewhere).
pub fn daemons() -> Vec<Daemon> {
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return vec![];
    };
    rd.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(daemon)
        .filter(own_test_daemon)
        .collect()
}

/// Within an end-to-end test's scope (`processes::test_scope`), a daemon whose PM2_HOME is not
/// under it is another test's and not seen, as for listeners.
fn own_test_daemon(d: &Daemon) -> bool {
    super::processes::test_scope().is_none_or(|dir| d.home.starts_with(dir))
}

fn daemon(pid: u32) -> Option<Daemon> {
    let dir = PathBuf::from(format!("/proc/{pid}"));
    let title = std::fs::read(dir.join("cmdline")).ok()?;
    let title = String::from_utf8_lossy(&title);
    let home = home_of_title(title.trim_end_matches(['\0', ' ']))?;
    let status = std::fs::read_to_string(dir.join("status")).ok()?;
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let environ = std::fs::read(dir.join("environ")).unwrap_or_default();
    let var = |name: &str| {
        environ
            .split(|b| *b == 0)
            .find_map(|kv| kv.strip_prefix(format!("{name}=").as_bytes()))
            .map(|v| String::from_utf8_lossy(v).into_owned())
    };
    Some(Daemon {
        pid,
        uid,
        home,
        pm2: var("_")
            .map(PathBuf::from)
            .filter(|p| p.file_name().is_some_and(|n| n == "pm2")),
        path: var("PATH"),
    })
}

/// PM2_HOME from a daemon's title `PM2 v7.0.4: God Daemon (/home/alice/.pm2)`.
pub fn home_of_title(title: &str) -> Option<PathBuf> {
    if !crate::probes::supervision::is_pm2_daemon(title) {
        return None;
    }
    let (_, rest) = title.split_once("God Daemon (")?;
    Some(PathBuf::from(rest.strip_suffix(')')?))
}

/// pm2's answer for one daemon: `pm2 jlist` run as `user` (None: the doctor's own), with the
/// daemon's PM2_HOME and PATH, within `limit`. Asked only of a running daemon: pm2 would start
/// one where none runs.
pub async fn jlist(
    d: &Daemon,
    pm2: &Path,
    user: Option<&AsUser>,
    limit: Duration,
) -> Result<Vec<App>, String> {
    let mut env = vec![("PM2_HOME".to_string(), d.home.display().to_string())];
    if let Some(p) = &d.path {
        env.push(("PATH".into(), p.clone()));
    }
    let argv = [pm2.display().to_string(), "jlist".into()];
    let out = command::run_argv(&argv, &env, user, limit, 4 * 1024 * 1024).await;
    command::answered(out, "pm2 jlist").and_then(|o| parse(&o))
}

/// The list `pm2 save` left in `home` (dump.pm2): None when there is none.
pub fn dump(home: &Path) -> Option<Result<Vec<App>, String>> {
    match files::read_capped(&home.join("dump.pm2"), 8 * 1024 * 1024) {
        FileRead::Read { bytes, .. } => Some(parse(&String::from_utf8_lossy(&bytes))),
        FileRead::Missing => None,
        FileRead::Unreadable(e) | FileRead::Denied(e) => Some(Err(format!("dump.pm2: {e}"))),
        FileRead::TooLarge(n) => Some(Err(format!("dump.pm2: {n} bytes, too large to read"))),
        FileRead::NotAFile(what) => Some(Err(format!("dump.pm2 is {what}"))),
    }
}

/// The apps in a `pm2 jlist` answer (each app's state under `pm2_env`) or a dump.pm2 (the state
/// at the top). pm2 may print a line or two before its JSON (a daemon it spawned, an update).
pub fn parse(text: &str) -> Result<Vec<App>, String> {
    let list: Vec<serde_json::Value> = match serde_json::from_str(text) {
        Ok(l) => l,
        Err(_) => {
            let json = text
                .lines()
                .rev()
                .find(|l| l.trim_start().starts_with('['))
                .ok_or("pm2 printed no list")?;
            serde_json::from_str(json).map_err(|e| format!("pm2's list is not JSON: {e}"))?
        }
    };
    Ok(list.iter().map(app).collect())
}

fn app(v: &serde_json::Value) -> App {
    let env = v.get("pm2_env").unwrap_or(v);
    let s = |k: &str| env.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let n = |k: &str| env.get(k).and_then(|x| x.as_u64());
    let pid = v
        .get("pid")
        .and_then(|x| x.as_u64())
        .filter(|p| *p > 0)
        .map(|p| p as u32);
    App {
        name: s("name").unwrap_or_default(),
        id: n("pm_id"),
        status: s("status").unwrap_or_default(),
        pid,
        restarts: n("restart_time").unwrap_or(0),
        unstable_restarts: n("unstable_restarts").unwrap_or(0),
        exit_code: env.get("exit_code").and_then(|x| x.as_i64()),
        since: n("pm_uptime").map(|ms| (ms / 1000) as i64),
        script: s("pm_exec_path").unwrap_or_default(),
        args: match env.get("args") {
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            Some(serde_json::Value::String(s)) => {
                s.split_whitespace().map(str::to_string).collect()
            }
            _ => vec![],
        },
        out_log: s("pm_out_log_path"),
        err_log: s("pm_err_log_path"),
        autorestart: env
            .get("autorestart")
            .and_then(|x| x.as_bool())
            .unwrap_or(true),
        home_env: HomeEnv {
            agent_rooms_home: s("AGENT_ROOMS_HOME"),
            xdg_config_home: s("XDG_CONFIG_HOME"),
            home: s("HOME"),
            appdata: s("APPDATA"),
        },
        pm2: s("_").filter(|p| Path::new(p).file_name().is_some_and(|n| n == "pm2")),
        path: s("PATH"),
    }
}

/// Does `home` hold `pm2 startup`'s trace: a boot unit or job that resurrects this PM2_HOME?
/// (`pm2 startup` writes `pm2-USER.service` with `PM2_HOME=…` on systemd, a launchd plist on
/// macOS.)
pub fn started_at_boot(home: &Path, user: &str) -> bool {
    let wanted = format!("PM2_HOME={}", home.display());
    [
        format!("/etc/systemd/system/pm2-{user}.service"),
        format!("/lib/systemd/system/pm2-{user}.service"),
        format!("/Library/LaunchDaemons/pm2.{user}.plist"),
    ]
    .iter()
    .any(|p| match files::read_capped(Path::new(p), 64 * 1024) {
        FileRead::Read { bytes, .. } => String::from_utf8_lossy(&bytes).contains(&wanted),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recorded from pm2 7.0.4 (`pm2 jlist` after an app that throws `Cannot find module` was
    /// marked errored), cut to the fields read.
    const JLIST: &str = concat!(
        "[PM2] Spawning PM2 daemon with pm2_home=/tmp/p\n",
        r#"[{"pid":0,"name":"ar-crash","pm2_env":{"name":"ar-crash","pm_id":0,"status":"errored","restart_time":15,"#,
        r#""unstable_restarts":0,"exit_code":1,"pm_uptime":1796614320259,"pm_exec_path":"/tmp/p2/agent-rooms.js","#,
        r#""args":["watch"],"pm_err_log_path":"/tmp/p2/home/logs/ar-crash-error.log","autorestart":true,"#,
        r#""HOME":"/home/alice","_":"/opt/pm2/bin/pm2"}},{"pid":4242,"name":"web","pm2_env":{"status":"online","#,
        r#""pm_exec_path":"/srv/web.js","restart_time":0}}]"#,
    );

    #[test]
    fn reads_jlist_and_dump_alike() {
        let apps = parse(JLIST).unwrap();
        assert_eq!(apps.len(), 2);
        let a = &apps[0];
        assert_eq!(
            (a.name.as_str(), a.status.as_str(), a.restarts, a.exit_code),
            ("ar-crash", "errored", 15, Some(1))
        );
        assert_eq!(a.pid, None, "pid 0 is no process");
        assert_eq!(a.since, Some(1796614320));
        assert_eq!(a.home_env.home.as_deref(), Some("/home/alice"));
        assert_eq!(a.pm2.as_deref(), Some("/opt/pm2/bin/pm2"));
        assert!(a.runs_listener());
        assert!(!apps[1].runs_listener());
        assert_eq!(apps[1].pid, Some(4242));
        // dump.pm2 holds the same state at the top level.
        // As pm2 writes it: pretty-printed over many lines.
        let dump = "[\n  {\n    \"name\": \"ar\",\n    \"status\": \"stopped\",\n    \"pm_exec_path\": \"/\
            usr/bin/agent-rooms\",\n    \"node_args\": [\n    ],\n    \"args\": \"watch \
            --quiet\",\n    \"restart_time\": 2\n  }\n]\n";
        let d = parse(dump).unwrap();
        assert_eq!(d[0].args, ["watch", "--quiet"]);
        assert!(d[0].runs_listener());
        assert!(parse("no list here").is_err());
        assert!(parse("[{").is_err());
    }

    #[test]
    fn a_daemon_is_known_by_its_title() {
        assert_eq!(
            home_of_title("PM2 v7.0.4: God Daemon (/home/a b/.pm2)"),
            Some(PathBuf::from("/home/a b/.pm2"))
        );
        assert_eq!(home_of_title("node /srv/app.js"), None);
        assert_eq!(home_of_title("PM2 v7.0.4: God Daemon"), None);
    }
}
