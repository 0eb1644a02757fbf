//! The process table: every `agent-rooms watch` listener, of every user, with its user, start
//! time, argv (redacted) and, where readable, the parts of its environment that matter.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::ffi::OsString;

pub use super::cmdline::is_listener_argv;
use super::cmdline::runs_listener_as_child;
use super::supervision::{self, Supervisor};
use super::users::{self, UserInfo};
use table::Table;

mod table;
use crate::redact::{self, Found};

/// The environment variables that decide where an agent-rooms home is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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

/// Read back from facts (the names were written in lower case; the variables are upper case).
impl<'de> Deserialize<'de> for Dirs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let m = <std::collections::BTreeMap<String, Option<String>>>::deserialize(d)?;
        Ok(Dirs(
            m.into_iter()
                .map(|(k, v)| (k.to_ascii_uppercase(), v))
                .collect(),
        ))
    }
}

/// A listener's environment, where it could be read. Secret values are kept out of the facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessEnv {
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
    /// The values read that are secrets (a token, a key, a proxy's password): never serialised.
    #[serde(skip)]
    pub secrets: Found,
}

impl ProcessEnv {
    /// Pick the relevant variables out of `KEY=VALUE` entries.
    pub fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>, want: &Wanted) -> Self {
        let mut e = ProcessEnv {
            dirs: Dirs(want.dirs.iter().map(|d| (d.to_string(), None)).collect()),
            ..ProcessEnv::default()
        };
        for (k, v) in pairs {
            // Values the doctor reads but never shows: registered, so they are masked wherever
            // they reappear (an API message, a host CLI's output, argv).
            if k == "AGENT_ROOMS_TOKEN" || want.keys.contains(&k) {
                e.secrets.value(v);
            }
            if PROXY_VARS.contains(&k) {
                e.secrets.url(v);
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", content = "detail", rename_all = "snake_case")]
pub enum EnvRead {
    Readable(Box<ProcessEnv>),
    /// Why not ("permission denied", …): a fact, never an empty PATH.
    Unreadable(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListenerProc {
    pub pid: u32,
    pub ppid: Option<u32>,
    pub user: UserInfo,
    /// Seconds since the epoch.
    #[serde(
        serialize_with = "crate::time_util::ser_rfc3339_u64",
        deserialize_with = "crate::time_util::de_rfc3339_u64"
    )]
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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scan {
    pub listeners: Vec<ListenerProc>,
    /// How many processes were looked at (threads excluded).
    pub processes_seen: usize,
    pub error: Option<String>,
}

/// A pm2 app's supervisor with pm2 as found on the app's PATH (the PATH of the shell that ran
/// `pm2 start`), so a remedy can name pm2 where a person's shell would not find it.
fn with_pm2_found(mut s: Supervisor, env: &EnvRead) -> Supervisor {
    if let (
        Supervisor::Pm2 {
            bin: bin @ None, ..
        },
        EnvRead::Readable(e),
    ) = (&mut s, env)
    {
        // Else the pm2 the shell ran (`_`): pm2 started by its path, off the app's PATH.
        let ran = e
            .get("_")
            .map(std::path::PathBuf::from)
            .filter(|p| p.file_name().is_some_and(|n| n == "pm2") && p.is_file());
        *bin = e
            .path
            .as_deref()
            .and_then(|p| super::paths::find_on("pm2", p))
            .or(ran)
            .map(|b| b.display().to_string());
    }
    s
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

fn read_env(raw: Result<Vec<u8>, String>, want: &Wanted) -> EnvRead {
    let raw = match raw {
        Ok(raw) => raw,
        Err(why) => return EnvRead::Unreadable(why),
    };
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
    EnvRead::Readable(Box::new(ProcessEnv::from_pairs(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        want,
    )))
}

/// Why the process runs old code: its executable is gone or replaced (`/proc/PID/exe` ends in
/// ` (deleted)`), or the agent-rooms script it runs was modified after it started.
fn outdated(pid: u32, argv: &[OsString], start_ms: u64) -> Option<String> {
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
    let modified = std::fs::metadata(&script).ok()?.modified().ok()?;
    let modified_ms = modified
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_millis() as u64;
    modified_after_start(modified_ms, start_ms, table::start_precision_ms()).then(|| {
        format!(
            "its program {} was modified after it started",
            script.display()
        )
    })
}

/// Was a program modified after its process started? Start times are known to
/// `precision_ms` (a clock tick on Linux): a margin of that much keeps a script written just
/// before its process started from looking newer.
pub fn modified_after_start(modified_ms: u64, start_ms: u64, precision_ms: u64) -> bool {
    modified_ms > start_ms + precision_ms
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

/// A process's title as it shows it: argv[0] (pm2's daemon writes its whole title there), or
/// all of argv when it was rewritten into one string.
fn title(cmd: &[OsString]) -> String {
    cmd.first()
        .map(|a| a.to_string_lossy().trim_end().to_string())
        .unwrap_or_default()
}

/// Does pm2 run an agent-rooms program as this process (`pm_exec_path` in its environment)?
fn runs_under_pm2(environ: &[u8]) -> bool {
    environ
        .split(|b| *b == 0)
        .filter_map(|kv| kv.strip_prefix(b"pm_exec_path="))
        .any(super::cmdline::is_agent_rooms)
}

/// For the end-to-end tests, which run side by side on a machine where other agent-rooms
/// listeners (and pm2 daemons) run: in debug builds only, `AGENT_ROOMS_DOCTOR_TEST_LISTENERS_UNDER`
/// names a test's temporary directory, and only what lives under it is the test's to see.
/// Release builds have no such hook: always None.
pub fn test_scope() -> Option<std::path::PathBuf> {
    #[cfg(debug_assertions)]
    return std::env::var_os("AGENT_ROOMS_DOCTOR_TEST_LISTENERS_UNDER").map(Into::into);
    #[cfg(not(debug_assertions))]
    None
}

/// Within a test's scope (`test_scope`), a listener none of whose arguments (or words of them)
/// is a path under it (its program, or the script an interpreter or pm2 runs) is someone else's
/// and not seen.
fn own_test_listeners_only(matches: Vec<u32>, table: &Table) -> Vec<u32> {
    if let Some(dir) = test_scope() {
        let dir = dir.as_path();
        return matches
            .into_iter()
            .filter(|pid| {
                // (pm2 rewrites its app's title: its environment's pm_exec_path names the script.)
                let exec_path = table.environ(*pid).ok().and_then(|e| {
                    e.split(|b| *b == 0)
                        .find_map(|kv| kv.strip_prefix(b"pm_exec_path=").map(path_of))
                });
                exec_path.is_some_and(|p| p.starts_with(dir))
                    || table.get(*pid).is_some_and(|p| {
                        p.cmd
                            .iter()
                            .flat_map(|a| a.as_encoded_bytes().split(|b| *b == b' '))
                            .any(|w| path_of(w).starts_with(dir))
                    })
            })
            .collect();
    }
    matches
}

/// Find every listener: command lines first (all processes), the rest for candidates only.
pub fn scan(want: &Wanted) -> Scan {
    let table = match Table::read() {
        Ok(t) => t,
        Err(e) => {
            return Scan {
                error: Some(e),
                ..Scan::default()
            }
        }
    };
    let (matches, wrappers_seen) = candidates(&table);
    let matches = own_test_listeners_only(matches, &table);
    // Parents of the matches and of their ancestors (for wrappers and forks), read on demand.
    let mut parent = HashMap::new();
    for &m in &matches {
        let mut cur = m;
        for _ in 0..64 {
            let Some(pp) = table.get(cur).and_then(|p| p.ppid) else {
                break;
            };
            if parent.insert(cur, pp).is_some() {
                break;
            }
            cur = pp;
        }
    }
    // A listener that forks (a shell script starting `sleep`) shows, for a moment before the
    // child execs, a child with its very command line: that is the listener itself, not a
    // second one, nor the one its "wrapper" started.
    let cmd_of = |pid: u32| table.get(pid).map(|p| p.cmd);
    let matches = transient_forks_dropped(&matches, &parent, |a, b| {
        let a = cmd_of(a);
        a.is_some() && a == cmd_of(b)
    });
    let mut listeners: Vec<ListenerProc> = fold_wrappers(&matches, &wrappers_seen, &parent)
        .into_iter()
        .filter_map(|(pid, wrappers)| listener(&table, pid, wrappers, want))
        .collect();
    listeners.sort_by_key(|l| l.pid);
    Scan {
        listeners,
        processes_seen: table.seen(),
        error: None,
    }
}

/// The processes that run `agent-rooms watch` (with pm2's rewritten command lines), and the
/// wrappers seen that run one as their child.
fn candidates(table: &Table) -> (Vec<u32>, Vec<u32>) {
    let mut matches = vec![];
    let mut wrappers_seen = vec![];
    for &pid in table.candidates() {
        let Some(p) = table.get(pid) else { continue };
        if p.zombie {
            continue;
        }
        let argv: Vec<&[u8]> = p.cmd.iter().map(|a| a.as_encoded_bytes()).collect();
        if is_listener_argv(&argv) {
            matches.push(pid);
        } else if runs_listener_as_child(&argv) {
            wrappers_seen.push(pid);
        } else if p
            .ppid
            .and_then(|pp| table.get(pp))
            .is_some_and(|d| supervision::is_pm2_daemon(&title(&d.cmd)))
            && table.environ(pid).is_ok_and(|e| runs_under_pm2(&e))
        {
            // pm2 rewrites the command line (`node /path/agent-rooms.js`, no `watch`): its
            // pm_exec_path names the program, and pm2 keeps only long-running ones.
            matches.push(pid);
        }
    }
    (matches, wrappers_seen)
}

/// Listener `pid` as the process table, its environment and its ancestors say it.
fn listener(table: &Table, pid: u32, wrappers: Vec<u32>, want: &Wanted) -> Option<ListenerProc> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let p = table.get(pid)?;
    let user = users::by_uid(p.uid);
    let env = read_env(table.environ(pid), want);
    let ancestors: Vec<String> = std::iter::successors(p.ppid.and_then(|pp| table.get(pp)), |q| {
        q.ppid.and_then(|pp| table.get(pp))
    })
    .take(16)
    .map(|q| title(&q.cmd))
    .collect();
    let env_pairs: &[(String, String)] = match &env {
        EnvRead::Readable(e) => &e.all,
        EnvRead::Unreadable(_) => &[],
    };
    let signals = supervision::read(pid, p.ppid, &user.name, env_pairs, ancestors);
    Some(ListenerProc {
        pid,
        ppid: p.ppid,
        user,
        started_at: p.start_time,
        uptime_secs: now.saturating_sub(p.start_time),
        argv: argv_text(&p.cmd),
        wrappers,
        supervisor: with_pm2_found(supervision::recognise(&signals), &env),
        env,
        stopped: p.stopped,
        outdated: outdated(pid, &p.cmd, p.start_ms),
    })
}

#[cfg(test)]
mod tests;
