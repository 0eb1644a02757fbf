//! The process table: every `agent-rooms watch` listener, of every user, with its user, start
//! time, argv (redacted) and, where readable, the parts of its environment that matter.

use serde::Serialize;
use std::collections::HashMap;
use std::ffi::OsString;

pub use super::cmdline::is_listener_argv;
use super::cmdline::runs_listener_as_child;
use super::supervision::{self, Supervisor};
use super::users::{self, UserInfo};
use crate::redact;

/// The environment variables that decide where an agent-rooms home is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HomeEnv {
    pub agent_rooms_home: Option<String>,
    pub xdg_config_home: Option<String>,
    pub home: Option<String>,
    /// `%APPDATA%` (Windows), where set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appdata: Option<String>,
}

/// Which variables a caller wants picked out of an environment, beyond the fixed ones: names of
/// keys (reported by name only) and of state directories (reported with their value). The probe
/// knows no host CLI; the host table says what to pick.
#[derive(Debug, Clone, Copy, Default)]
pub struct Wanted<'a> {
    pub keys: &'a [&'a str],
    pub dirs: &'a [&'a str],
}

/// The proxy variables, either case (their URLs may carry a password).
pub const PROXY_VARS: &[&str] = &[
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// State-directory variables, each as `name_in_lowercase: value or null` in the facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dirs(pub Vec<(String, Option<String>)>);

impl Serialize for Dirs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(&k.to_ascii_lowercase(), v)?;
        }
        m.end()
    }
}

/// A listener's environment, where it could be read. Secret values are kept out of the facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ListenerEnv {
    pub path: Option<String>,
    #[serde(flatten)]
    pub home: HomeEnv,
    /// The state-directory variables asked for (`Wanted::dirs`), set or not.
    #[serde(flatten)]
    pub dirs: Dirs,
    pub api_url: Option<String>,
    /// NODE_TLS_REJECT_UNAUTHORIZED as set (`0` turns TLS verification off in a node listener).
    pub node_tls_reject_unauthorized: Option<String>,
    /// AGENT_ROOMS_TOKEN, for comparison only: never serialised.
    #[serde(skip)]
    pub token: Option<String>,
    /// Names (never values) of API-key variables that are set.
    pub keys_present: Vec<String>,
    /// The whole environment, to run a status command as the listener would: never serialised.
    #[serde(skip)]
    pub all: Vec<(String, String)>,
}

impl ListenerEnv {
    /// Pick the relevant variables out of `KEY=VALUE` entries.
    pub fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>, want: &Wanted) -> Self {
        let mut e = ListenerEnv {
            dirs: Dirs(want.dirs.iter().map(|d| (d.to_string(), None)).collect()),
            ..ListenerEnv::default()
        };
        for (k, v) in pairs {
            // Values the doctor reads but never shows: registered, so they are masked wherever
            // they reappear (an API message, a host CLI's output, argv).
            if k == "AGENT_ROOMS_TOKEN" || want.keys.contains(&k) {
                redact::register(v);
            }
            if PROXY_VARS.contains(&k) {
                redact::register_url_password(v);
            }
            e.all.push((k.to_string(), v.to_string()));
            let v = Some(v.to_string());
            match k {
                "PATH" => e.path = v,
                "HOME" => e.home.home = v,
                "AGENT_ROOMS_HOME" => e.home.agent_rooms_home = v,
                "XDG_CONFIG_HOME" => e.home.xdg_config_home = v,
                "APPDATA" if cfg!(windows) => e.home.appdata = v,
                "AGENT_ROOMS_API_URL" => e.api_url = v,
                "NODE_TLS_REJECT_UNAUTHORIZED" => e.node_tls_reject_unauthorized = v,
                "AGENT_ROOMS_TOKEN" => e.token = v,
                _ if want.keys.contains(&k) && v.as_deref().is_some_and(|s| !s.is_empty()) => {
                    e.keys_present.push(k.to_string())
                }
                _ => {
                    if let Some(slot) = e.dirs.0.iter_mut().find(|(d, _)| d == k) {
                        slot.1 = v;
                    }
                }
            }
        }
        e.keys_present.sort();
        e
    }

    /// The value of `name`, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.all
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The doctor's own environment, seen the same way.
    pub fn own(want: &Wanted) -> Self {
        let vars: Vec<(String, String)> = std::env::vars_os()
            .map(|(k, v)| {
                (
                    k.to_string_lossy().into_owned(),
                    v.to_string_lossy().into_owned(),
                )
            })
            .collect();
        Self::from_pairs(vars.iter().map(|(k, v)| (k.as_str(), v.as_str())), want)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "detail", rename_all = "snake_case")]
pub enum EnvRead {
    Readable(Box<ListenerEnv>),
    /// Why not ("permission denied", …): a fact, never an empty PATH.
    Unreadable(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListenerProc {
    pub pid: u32,
    pub ppid: Option<u32>,
    pub user: UserInfo,
    /// Seconds since the epoch.
    pub started_at: u64,
    pub uptime_secs: u64,
    /// The command line, redacted.
    pub argv: String,
    /// The wrapper processes (sudo, su, nohup, a shell…) that started it, outermost last.
    pub wrappers: Vec<u32>,
    /// What keeps it alive: a systemd unit, pm2, launchd, a container, a terminal.
    pub supervisor: Supervisor,
    pub env: EnvRead,
    /// Stopped (state T or t: Ctrl-Z, SIGSTOP, a debugger): it exists but handles nothing.
    pub stopped: bool,
    /// Why it runs old code, when it does: its executable was deleted or replaced, or its script
    /// was modified, since it started.
    pub outdated: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Scan {
    pub listeners: Vec<ListenerProc>,
    /// How many processes were looked at (threads excluded).
    pub processes_seen: usize,
    pub error: Option<String>,
}

/// The matches less those whose parent is a match with the same command line (`same(child,
/// parent)`): a fork that has not exec'd yet.
pub fn transient_forks_dropped(
    matches: &[u32],
    parent: &HashMap<u32, u32>,
    same: impl Fn(u32, u32) -> bool,
) -> Vec<u32> {
    matches
        .iter()
        .copied()
        .filter(|m| {
            !parent
                .get(m)
                .is_some_and(|p| matches.contains(p) && same(*m, *p))
        })
        .collect()
}

/// Of the matching pids, those that are no wrapper: a match with a matching descendant is the
/// wrapper that started it (sudo, su, runuser, nohup, sh…), not a second listener.
/// Returns (listener pid, wrapper pids).
/// `wrappers_seen` are further processes whose arguments run the listener (sudo, runuser, su,
/// nohup…: `sudo -u alice agent-rooms watch`): named as a listener's wrappers when they are its
/// ancestors, never counted as listeners themselves.
pub fn fold_wrappers(
    matches: &[u32],
    wrappers_seen: &[u32],
    parent: &HashMap<u32, u32>,
) -> Vec<(u32, Vec<u32>)> {
    let ancestors = |pid: u32| {
        let mut out = vec![];
        let mut cur = pid;
        while let Some(&p) = parent.get(&cur) {
            // The length bound only guards against a chain deeper than any real process table
            // (a loop is caught by `contains`): its mutants (`>=`, `==`) are equivalent, and so
            // is `contains && len` (a loop then ends at the bound, with the same wrappers).
            if p == 0 || p == cur || out.contains(&p) || out.len() > 4096 {
                break;
            }
            out.push(p);
            cur = p;
        }
        out
    };
    let wrappers: Vec<u32> = matches
        .iter()
        .flat_map(|m| ancestors(*m))
        .filter(|a| matches.contains(a))
        .collect();
    matches
        .iter()
        .filter(|m| !wrappers.contains(m))
        .map(|m| {
            (
                *m,
                ancestors(*m)
                    .into_iter()
                    .filter(|a| matches.contains(a) || wrappers_seen.contains(a))
                    .collect(),
            )
        })
        .collect()
}

fn argv_text(argv: &[OsString]) -> String {
    let joined: Vec<String> = argv
        .iter()
        .map(|a| {
            let s = a.to_string_lossy();
            if s.contains(' ') {
                format!("'{s}'")
            } else {
                s.into_owned()
            }
        })
        .collect();
    // argv is outside text: escape sequences and control characters go (it is data).
    let mut t = redact::redact_text(&crate::sanitize::outside(&joined.join(" "), usize::MAX));
    if t.len() > 2000 {
        let cut = (0..=2000)
            .rev()
            .find(|i| t.is_char_boundary(*i))
            .unwrap_or(0);
        t.truncate(cut);
        t.push_str("… (truncated)");
    }
    t
}

fn read_env(pid: u32, sys_env: &[OsString], want: &Wanted) -> EnvRead {
    let parse = |raw: &[u8]| {
        let pairs: Vec<(String, String)> = raw
            .split(|b| *b == 0)
            .filter_map(|kv| {
                let eq = kv.iter().position(|b| *b == b'=')?;
                Some((
                    String::from_utf8_lossy(&kv[..eq]).into_owned(),
                    String::from_utf8_lossy(&kv[eq + 1..]).into_owned(),
                ))
            })
            .collect();
        ListenerEnv::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), want)
    };
    if cfg!(target_os = "linux") {
        return match std::fs::read(format!("/proc/{pid}/environ")) {
            Ok(raw) => EnvRead::Readable(Box::new(parse(&raw))),
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => EnvRead::Unreadable(
                "permission denied (run the doctor as that user or as root)".into(),
            ),
            Err(e) => EnvRead::Unreadable(e.to_string()),
        };
    }
    if sys_env.is_empty() {
        // macOS and Windows show another user's environment to no one (not even root or an
        // administrator).
        return EnvRead::Unreadable(
            "not readable: this system shows a process's environment to its own user only (run the doctor as that user)".into(),
        );
    }
    let raw: Vec<u8> = sys_env
        .iter()
        .flat_map(|e| e.as_encoded_bytes().iter().copied().chain([0]))
        .collect();
    EnvRead::Readable(Box::new(parse(&raw)))
}

/// Why the process runs old code: its executable is gone or replaced (`/proc/PID/exe` ends in
/// ` (deleted)`), or the agent-rooms script it runs was modified after it started.
fn outdated(pid: u32, argv: &[OsString], started_at: u64) -> Option<String> {
    if let Ok(exe) = std::fs::read_link(format!("/proc/{pid}/exe")) {
        let exe = exe.to_string_lossy();
        if let Some(path) = exe.strip_suffix(" (deleted)") {
            return Some(format!(
                "its executable {path} was deleted or replaced after it started"
            ));
        }
    }
    let mut argv: Vec<&[u8]> = argv.iter().map(|a| a.as_encoded_bytes()).collect();
    // pm2 rewrites the title into one string (`node /path/agent-rooms.js   `): its words.
    if argv.len() == 1 {
        argv = argv[0]
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
    }
    let script = path_of(super::cmdline::program_file(&argv)?);
    // Relative to the process's working directory when it is not absolute.
    let script = if script.is_absolute() {
        script.to_path_buf()
    } else {
        std::fs::read_link(format!("/proc/{pid}/cwd"))
            .ok()?
            .join(script)
    };
    let modified = super::files::stat(&script)?.modified;
    // Start times are known to the second at best (boot time + ticks): a margin keeps a script
    // written just before its process started from looking newer.
    (modified > started_at as i64 + 2).then(|| {
        format!(
            "its program {} was modified after it started",
            script.display()
        )
    })
}

/// A path from a command line's bytes.
#[cfg(unix)]
fn path_of(bytes: &[u8]) -> std::path::PathBuf {
    use std::os::unix::ffi::OsStrExt;
    std::path::Path::new(std::ffi::OsStr::from_bytes(bytes)).to_path_buf()
}

#[cfg(not(unix))]
fn path_of(bytes: &[u8]) -> std::path::PathBuf {
    std::path::PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// The uid of a process's user. Windows has SIDs: the doctor's own is `users::MY_UID`, any
/// other a stable number from its SID (never 0: Windows has no root).
#[cfg(unix)]
fn uid_of(p: &sysinfo::Process, _me: Option<&sysinfo::Uid>) -> u32 {
    p.user_id().map(|u| **u).unwrap_or(u32::MAX)
}

#[cfg(not(unix))]
fn uid_of(p: &sysinfo::Process, me: Option<&sysinfo::Uid>) -> u32 {
    match p.user_id() {
        Some(u) if Some(u) == me => users::MY_UID,
        Some(u) => {
            let sid = u.to_string();
            let h = sid
                .bytes()
                .fold(2166136261u32, |h, b| (h ^ b as u32).wrapping_mul(16777619));
            h.max(2)
        }
        None => u32::MAX,
    }
}

/// A process's title as it shows it: argv[0] (pm2's daemon writes its whole title there), or
/// all of argv when it was rewritten into one string.
fn title(cmd: &[OsString]) -> String {
    cmd.first()
        .map(|a| a.to_string_lossy().trim_end().to_string())
        .unwrap_or_default()
}

/// Does pm2 run an agent-rooms program as this process (`pm_exec_path` in its environment)?
fn runs_under_pm2(pid: u32) -> bool {
    let Ok(raw) = std::fs::read(format!("/proc/{pid}/environ")) else {
        return false;
    };
    raw.split(|b| *b == 0)
        .filter_map(|kv| kv.strip_prefix(b"pm_exec_path="))
        .any(super::cmdline::is_agent_rooms)
}

/// Read the process table once: argv, user and parent for all; environment for listeners only.
pub fn scan(want: &Wanted) -> Scan {
    use sysinfo::{ProcessRefreshKind, ProcessStatus, ProcessesToUpdate, System, UpdateKind};
    let mut sys = match System::new() {
        Ok(s) => s,
        Err(e) => {
            return Scan {
                error: Some(format!("cannot read the process table: {e}")),
                ..Scan::default()
            }
        }
    };
    let kind = ProcessRefreshKind::nothing()
        .with_cmd(UpdateKind::Always)
        .with_user(UpdateKind::Always)
        .without_tasks();
    sys.refresh_processes_specifics(ProcessesToUpdate::All, true, kind);
    let procs = sys.processes();
    let mut parent = HashMap::new();
    let mut matches = vec![];
    let mut wrappers_seen = vec![];
    let mut seen = 0;
    for (pid, p) in procs {
        if p.thread_kind().is_some() {
            continue;
        }
        seen += 1;
        if let Some(pp) = p.parent() {
            parent.insert(pid.as_u32(), pp.as_u32());
        }
        if p.status() == ProcessStatus::Zombie {
            continue;
        }
        let argv: Vec<&[u8]> = p.cmd().iter().map(|a| a.as_encoded_bytes()).collect();
        if is_listener_argv(&argv) {
            matches.push(pid.as_u32());
        } else if runs_listener_as_child(&argv) {
            wrappers_seen.push(pid.as_u32());
        } else if p.parent().is_some_and(|pp| {
            procs
                .get(&pp)
                .is_some_and(|d| supervision::is_pm2_daemon(&title(d.cmd())))
        }) && runs_under_pm2(pid.as_u32())
        {
            // pm2 rewrites the command line (`node /path/agent-rooms.js`, no `watch`): its
            // pm_exec_path names the program, and pm2 keeps only long-running ones.
            matches.push(pid.as_u32());
        }
    }
    // A listener that forks (a shell script starting `sleep`) shows, for a moment before the
    // child execs, a child with its very command line: that is the listener itself, not a
    // second one, nor the one its "wrapper" started.
    let cmd_of = |pid: u32| procs.get(&sysinfo::Pid::from_u32(pid)).map(|p| p.cmd());
    let matches = transient_forks_dropped(&matches, &parent, |a, b| {
        cmd_of(a).is_some() && cmd_of(a) == cmd_of(b)
    });
    let listeners_pids = fold_wrappers(&matches, &wrappers_seen, &parent);
    if !cfg!(target_os = "linux") {
        let pids: Vec<sysinfo::Pid> = listeners_pids
            .iter()
            .map(|(p, _)| sysinfo::Pid::from_u32(*p))
            .collect();
        sys.refresh_processes_specifics(
            ProcessesToUpdate::Some(&pids),
            false,
            ProcessRefreshKind::nothing().with_environ(UpdateKind::Always),
        );
    }
    let procs = sys.processes();
    let me = sysinfo::get_current_pid()
        .ok()
        .and_then(|pid| procs.get(&pid))
        .and_then(|p| p.user_id());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut listeners: Vec<ListenerProc> = listeners_pids
        .into_iter()
        .filter_map(|(pid, wrappers)| {
            let p = procs.get(&sysinfo::Pid::from_u32(pid))?;
            let user = users::by_uid(uid_of(p, me));
            let env = read_env(pid, p.environ(), want);
            let ancestors: Vec<String> =
                std::iter::successors(p.parent(), |pp| procs.get(pp).and_then(|q| q.parent()))
                    .take(16)
                    .filter_map(|pp| procs.get(&pp).map(|q| title(q.cmd())))
                    .collect();
            let env_pairs: &[(String, String)] = match &env {
                EnvRead::Readable(e) => &e.all,
                EnvRead::Unreadable(_) => &[],
            };
            let signals = supervision::read(
                pid,
                p.parent().map(|x| x.as_u32()),
                &user.name,
                env_pairs,
                ancestors,
            );
            Some(ListenerProc {
                pid,
                ppid: p.parent().map(|x| x.as_u32()),
                user,
                started_at: p.start_time(),
                uptime_secs: now.saturating_sub(p.start_time()),
                argv: argv_text(p.cmd()),
                wrappers,
                supervisor: supervision::recognise(&signals),
                env,
                stopped: matches!(p.status(), ProcessStatus::Stop | ProcessStatus::Tracing),
                outdated: outdated(pid, p.cmd(), p.start_time()),
            })
        })
        .collect();
    listeners.sort_by_key(|l| l.pid);
    Scan {
        listeners,
        processes_seen: seen,
        error: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fork_that_has_not_execd_yet_is_the_listener_itself() {
        // 10 listener → 11 its fork (same argv, before exec); 20 sudo wrapper → 21 listener.
        let parent: HashMap<u32, u32> = [(11, 10), (21, 20)].into_iter().collect();
        let same = |a: u32, b: u32| (a, b) == (11, 10);
        assert_eq!(
            transient_forks_dropped(&[10, 11, 20, 21], &parent, same),
            vec![10, 20, 21]
        );
        // A child with another command line stays (the wrapper rule decides about it).
        assert_eq!(
            transient_forks_dropped(&[10, 11], &parent, |_, _| false),
            vec![10, 11]
        );
    }

    #[test]
    fn wrappers_fold_into_the_listener_they_started() {
        // 10 sudo → 11 sh (no match) → 12 agent-rooms ; 20 another listener
        let parent: HashMap<u32, u32> =
            [(10, 1), (11, 10), (12, 11), (20, 1)].into_iter().collect();
        let got = fold_wrappers(&[10, 12, 20], &[], &parent);
        assert_eq!(got, vec![(12, vec![10]), (20, vec![])]);
        // A parent loop does not hang.
        let looped: HashMap<u32, u32> = [(1, 2), (2, 1)].into_iter().collect();
        assert_eq!(fold_wrappers(&[1, 2], &[], &looped), vec![]);
        // A process that is its own parent (a broken table) is not its own wrapper.
        let own: HashMap<u32, u32> = [(5, 5)].into_iter().collect();
        assert_eq!(fold_wrappers(&[5], &[], &own), vec![(5, vec![])]);
        // Nor is pid 0 (the kernel's scheduler as a parent) anyone's wrapper.
        let to_zero: HashMap<u32, u32> = [(7, 0)].into_iter().collect();
        assert_eq!(fold_wrappers(&[7], &[0], &to_zero), vec![(7, vec![])]);
        // A sudo that started listener 12 is named as its wrapper, not counted.
        let parent: HashMap<u32, u32> = [(12, 11), (11, 1)].into_iter().collect();
        assert_eq!(fold_wrappers(&[12], &[11], &parent), vec![(12, vec![11])]);
        assert!(runs_listener_as_child(&[
            "sudo",
            "-u",
            "alice",
            "agent-rooms",
            "watch"
        ]));
        assert!(runs_listener_as_child(&[
            "runuser",
            "-u",
            "b",
            "--",
            "sh",
            "/x/agent-rooms",
            "watch"
        ]));
        assert!(!runs_listener_as_child(&["sudo", "agent-rooms", "login"]));
        assert!(!runs_listener_as_child(&["agent-rooms", "watch"]));
    }

    #[test]
    fn env_keeps_names_of_keys_never_values() {
        let e = ListenerEnv::from_pairs(
            [
                ("PATH", "/bin"),
                ("OPENAI_API_KEY", "sk-secret"),
                ("AGENT_ROOMS_TOKEN", "ar_x"),
                ("EMPTY_KEY", ""),
            ]
            .into_iter(),
            &Wanted {
                keys: &["OPENAI_API_KEY", "EMPTY_KEY"],
                dirs: &["CODEX_HOME"],
            },
        );
        assert_eq!(e.keys_present, vec!["OPENAI_API_KEY"]);
        assert_eq!(e.dirs.0, vec![("CODEX_HOME".to_string(), None)]);
        let json = serde_json::to_string(&e).unwrap();
        assert!(
            !json.contains("sk-secret") && !json.contains("ar_x"),
            "{json}"
        );
    }

    #[test]
    fn scan_finds_a_real_listener() {
        let d = tempfile::tempdir().unwrap();
        let bin = d.path().join("agent-rooms");
        std::fs::write(&bin, "#!/bin/sh\nsleep 30\n").unwrap();
        let mut c = std::process::Command::new("/bin/sh")
            .arg(&bin)
            .arg("watch")
            .arg("--token")
            .arg("ar_secretsecret123")
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(100));
        let s = scan(&Wanted::default());
        let _ = c.kill();
        let _ = c.wait();
        let l = s
            .listeners
            .iter()
            .find(|l| l.pid == c.id())
            .expect("the listener is found");
        assert!(
            l.argv.contains("watch") && !l.argv.contains("secretsecret"),
            "{}",
            l.argv
        );
        assert!(matches!(l.env, EnvRead::Readable(_)));
        assert!(s.processes_seen > 0 && s.error.is_none());
    }
}
