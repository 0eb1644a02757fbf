//! What keeps a listener alive (CONTRACT §1 "Where the listener lives"): a systemd system or
//! user unit, pm2, launchd, a container, or a terminal. `read` touches the process's cgroup,
//! ancestors, terminal, stdout and the linger flag; `recognise` is pure, so every supervisor is
//! tested from recorded text (cgroup lines, environments, process titles) on any machine.

use serde::{Deserialize, Serialize};

/// The environment variables that tell a supervisor apart.
pub const VARS: &[&str] = &[
    "INVOCATION_ID",
    "MANAGERPID",
    "pm_id",
    "name",
    "pm_exec_path",
    "pm_out_log_path",
    "pm_err_log_path",
    "PM2_HOME",
    "XPC_SERVICE_NAME",
];

/// Terminal programs whose presence among a process's ancestors makes it a terminal session.
const TERMINALS: &[&str] = &[
    "tmux",
    "screen",
    "sshd",
    "login",
    "gnome-terminal-server",
    "konsole",
    "xterm",
    "alacritty",
    "kitty",
    "wezterm-gui",
    "foot",
    "terminator",
    "tilix",
    "xfce4-terminal",
    "iTerm2",
    "Terminal",
];

/// What was read about one process, as plain text: the input of `recognise`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signals {
    /// `/proc/PID/cgroup` as read.
    pub cgroup: String,
    /// The `VARS` that are set in its environment.
    pub env: Vec<(String, String)>,
    pub ppid: Option<u32>,
    /// Its ancestors' titles (argv[0] as the process shows it), nearest first.
    pub ancestors: Vec<String>,
    /// It has a controlling terminal.
    pub tty: bool,
    /// Its stdout, where readable (`/proc/PID/fd/1`).
    pub stdout: Option<String>,
    /// `/.dockerenv` exists in its root.
    pub dockerenv: bool,
    /// It has the doctor's file system root (so a container it is in is the doctor's too).
    pub shares_doctors_root: bool,
    /// Whether `/var/lib/systemd/linger/USER` exists (asked only of a user unit).
    pub linger: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Supervisor {
    /// A systemd system unit (`system.slice/NAME.service`).
    SystemdSystem { unit: String },
    /// A systemd user unit (`user@UID.service/…/NAME.service`); `lingering` is false when the
    /// user's manager stops at logout.
    SystemdUser {
        unit: String,
        uid: Option<u32>,
        lingering: Option<bool>,
    },
    /// pm2's God Daemon runs it as app `name`.
    Pm2 {
        name: String,
        id: Option<String>,
        pm2_home: Option<String>,
        out_log: Option<String>,
        err_log: Option<String>,
        /// pm2 as found on the listener's PATH (the PATH of the shell that ran `pm2 start`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bin: Option<String>,
    },
    /// launchd (macOS) runs it as job `label`.
    Launchd { label: String },
    /// A Windows service: NSSM runs it as a service, or the Task Scheduler runs it as a task.
    WindowsService { manager: WindowsManager },
    /// A container of docker, podman or kubernetes that the doctor is not in.
    Container {
        runtime: Runtime,
        id: Option<String>,
    },
    /// A terminal session: tmux, screen, ssh, a desktop terminal, or nohup.
    Terminal {
        /// "tmux", "screen", "sshd", "tty", "nohup"…
        via: String,
        /// `nohup.out` where its output goes, when it does.
        nohup_out: Option<String>,
    },
    /// Nothing recognisable (started by hand and detached, by cron, …).
    Unknown,
}

/// What runs a listener as a Windows service or task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WindowsManager {
    #[serde(rename = "NSSM")]
    Nssm,
    #[serde(rename = "Task Scheduler")]
    TaskScheduler,
}

/// A container runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Runtime {
    Docker,
    Podman,
    Kubernetes,
}

impl Runtime {
    /// Its name, and the command that asks it (`docker`, `podman`; kubernetes has `kubectl`,
    /// whose `exec` takes a pod, not a container id).
    pub fn as_str(self) -> &'static str {
        match self {
            Runtime::Docker => "docker",
            Runtime::Podman => "podman",
            Runtime::Kubernetes => "kubernetes",
        }
    }
    /// `RUNTIME exec ID …` runs a command in one of its containers.
    pub fn execs_by_id(self) -> bool {
        self != Runtime::Kubernetes
    }
}

impl std::fmt::Display for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Supervisor {
    /// Its kind as the JSON's `kind` spells it ("systemd_user", "pm2"…).
    pub fn kind(&self) -> &'static str {
        match self {
            Supervisor::SystemdSystem { .. } => "systemd_system",
            Supervisor::SystemdUser { .. } => "systemd_user",
            Supervisor::Pm2 { .. } => "pm2",
            Supervisor::Launchd { .. } => "launchd",
            Supervisor::WindowsService { .. } => "windows_service",
            Supervisor::Container { .. } => "container",
            Supervisor::Terminal { .. } => "terminal",
            Supervisor::Unknown => "unknown",
        }
    }
    /// The name it runs the listener by: a unit, a pm2 app, a launchd label ("" for the others).
    pub fn name(&self) -> &str {
        match self {
            Supervisor::SystemdSystem { unit } | Supervisor::SystemdUser { unit, .. } => unit,
            Supervisor::Pm2 { name, .. } => name,
            Supervisor::Launchd { label } => label,
            _ => "",
        }
    }
    /// A few words for a summary: "systemd unit agent-rooms.service", "pm2 app ar-listen"…
    pub fn words(&self) -> String {
        match self {
            Supervisor::SystemdSystem { unit } => format!("systemd unit {unit}"),
            Supervisor::SystemdUser { unit, .. } => format!("systemd user unit {unit}"),
            Supervisor::Pm2 { name, .. } => format!("pm2 app {name}"),
            Supervisor::Launchd { label } => format!("launchd job {label}"),
            Supervisor::WindowsService {
                manager: WindowsManager::Nssm,
            } => "a Windows service (NSSM)".into(),
            Supervisor::WindowsService {
                manager: WindowsManager::TaskScheduler,
            } => "a Task Scheduler task".into(),
            Supervisor::Container { runtime, id } => match id {
                Some(id) => format!("{runtime} container {id}"),
                None => format!("a {runtime} container"),
            },
            Supervisor::Terminal { via, .. } => format!("a terminal session ({via})"),
            Supervisor::Unknown => "no supervisor the doctor recognises".into(),
        }
    }
}

fn env<'a>(s: &'a Signals, k: &str) -> Option<&'a str> {
    s.env
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// The unit in a cgroup line's path: `(user manager uid, NAME.service)` for the last segment that
/// is a `.service` other than a user manager (`user@UID.service`) itself.
pub fn unit_of(cgroup: &str) -> Option<(Option<u32>, String)> {
    cgroup.lines().find_map(|line| {
        let path = line.splitn(3, ':').nth(2)?;
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let unit = segs
            .iter()
            .rev()
            .find(|s| s.ends_with(".service") && !s.starts_with("user@"))?;
        let manager = segs.iter().find_map(|s| {
            s.strip_prefix("user@")?
                .strip_suffix(".service")?
                .parse::<u32>()
                .ok()
        });
        Some((manager, unit.to_string()))
    })
}

/// The container runtime and id in a cgroup text, if it names one.
pub fn container_of(cgroup: &str) -> Option<(Runtime, Option<String>)> {
    let short = |id: &str| {
        let id: String = id.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
        (id.len() >= 12).then(|| id[..12].to_string())
    };
    for line in cgroup.lines() {
        let Some(path) = line.splitn(3, ':').nth(2) else {
            continue;
        };
        for seg in path.split('/') {
            let runtime = if path.contains("kubepods") {
                Runtime::Kubernetes
            } else if seg.starts_with("libpod") {
                Runtime::Podman
            } else {
                Runtime::Docker
            };
            for prefix in ["docker-", "libpod-", "cri-containerd-", "crio-", "cri-o-"] {
                if let Some(rest) = seg.strip_prefix(prefix) {
                    return Some((runtime, short(rest)));
                }
            }
        }
        let segs: Vec<&str> = path.split('/').collect();
        if let Some(i) = segs.iter().position(|s| *s == "docker") {
            return Some((Runtime::Docker, segs.get(i + 1).and_then(|s| short(s))));
        }
        if path.contains("kubepods") {
            return Some((Runtime::Kubernetes, segs.last().and_then(|s| short(s))));
        }
    }
    None
}

/// The program name in a process title: `tmux: server` → tmux, `/usr/bin/SCREEN` → SCREEN,
/// `C:\tools\nssm.exe` → nssm.exe.
fn base(title: &str) -> &str {
    let first = title.split_whitespace().next().unwrap_or("");
    first
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(first)
        .trim_end_matches(':')
}

/// The Windows service manager among a process's ancestors: NSSM (`nssm.exe` as a parent), or
/// the Task Scheduler (`taskeng.exe`, `taskhostw.exe`, or the `Schedule` service's svchost).
fn windows_manager(ancestors: &[String]) -> Option<WindowsManager> {
    ancestors.iter().find_map(|t| {
        let b = base(t).to_ascii_lowercase();
        let b = b.strip_suffix(".exe").unwrap_or(&b);
        match b {
            "nssm" => Some(WindowsManager::Nssm),
            "taskeng" | "taskhostw" => Some(WindowsManager::TaskScheduler),
            "svchost" if t.contains("-s Schedule") => Some(WindowsManager::TaskScheduler),
            _ => None,
        }
    })
}

/// Is this the title of pm2's daemon (`PM2 v7.0.4: God Daemon (/home/a/.pm2)`)?
pub fn is_pm2_daemon(title: &str) -> bool {
    title.starts_with("PM2 v") && title.contains("God Daemon")
}

/// The supervisor these signals show, most specific first: pm2 (its variables or its daemon as
/// parent), a systemd user or system unit, a container the doctor is not in, launchd, a
/// terminal.
pub fn recognise(s: &Signals) -> Supervisor {
    if let Some(pm2) = pm2_of(s) {
        return pm2;
    }
    if let Some((manager, unit)) = unit_of(&s.cgroup) {
        return match manager {
            Some(uid) => Supervisor::SystemdUser {
                unit,
                uid: Some(uid),
                lingering: s.linger,
            },
            None => Supervisor::SystemdSystem { unit },
        };
    }
    if !s.shares_doctors_root {
        if let Some((runtime, id)) = container_of(&s.cgroup) {
            return Supervisor::Container { runtime, id };
        }
        if s.dockerenv {
            return Supervisor::Container {
                runtime: Runtime::Docker,
                id: None,
            };
        }
    }
    if let Some(label) = env(s, "XPC_SERVICE_NAME").filter(|l| *l != "0") {
        if s.ppid == Some(1) {
            return Supervisor::Launchd {
                label: label.to_string(),
            };
        }
    }
    if let Some(manager) = windows_manager(&s.ancestors) {
        return Supervisor::WindowsService { manager };
    }
    terminal_of(s).unwrap_or(Supervisor::Unknown)
}

/// pm2's God Daemon runs it: its environment has pm2's variables, or pm2's daemon is its parent.
fn pm2_of(s: &Signals) -> Option<Supervisor> {
    let pm2_parent = s.ancestors.first().is_some_and(|t| is_pm2_daemon(t));
    if env(s, "pm_id").is_none() && !pm2_parent {
        return None;
    }
    Some(Supervisor::Pm2 {
        name: env(s, "name").unwrap_or("?").to_string(),
        id: env(s, "pm_id").map(str::to_string),
        pm2_home: env(s, "PM2_HOME").map(str::to_string).or_else(|| {
            let t = s.ancestors.first()?;
            let inner = t.rsplit_once('(')?.1.trim_end().strip_suffix(')')?;
            Some(inner.to_string())
        }),
        out_log: env(s, "pm_out_log_path").map(str::to_string),
        err_log: env(s, "pm_err_log_path").map(str::to_string),
        // Looked up by the scan (a PATH lookup touches the file system).
        bin: None,
    })
}

/// A terminal session runs it: a terminal program among its ancestors, nohup, or a tty.
fn terminal_of(s: &Signals) -> Option<Supervisor> {
    let nohup_out = s
        .stdout
        .clone()
        .filter(|o| o.ends_with("/nohup.out") || o == "nohup.out");
    let via = match s.ancestors.iter().find(|t| TERMINALS.contains(&base(t))) {
        Some(t) => base(t).to_string(),
        None if nohup_out.is_some() => "nohup".into(),
        None if s.tty => {
            return Some(Supervisor::Terminal {
                via: "tty".into(),
                nohup_out: None,
            })
        }
        None => return None,
    };
    Some(Supervisor::Terminal { via, nohup_out })
}

/// Read the signals of process `pid` (Linux `/proc`; elsewhere only what the caller passes).
/// `env` is its environment where readable; `ancestors` its ancestors' titles, nearest first.
pub fn read(
    pid: u32,
    ppid: Option<u32>,
    user: &str,
    env: &[(String, String)],
    ancestors: Vec<String>,
) -> Signals {
    let proc = |f: &str| format!("/proc/{pid}/{f}");
    let cgroup = std::fs::read_to_string(proc("cgroup")).unwrap_or_default();
    let tty = std::fs::read_to_string(proc("stat"))
        .ok()
        .and_then(|st| {
            // Field 7 (tty_nr), counted after the `(comm)` that may hold spaces.
            let after = st.rsplit_once(')')?.1;
            after.split_whitespace().nth(4)?.parse::<i64>().ok()
        })
        .is_some_and(|n| n != 0);
    let same = |f: &str| {
        let a = std::fs::read_link(proc(f)).ok();
        a.is_some() && a == std::fs::read_link(format!("/proc/self/{f}")).ok()
    };
    let mut s = Signals {
        env: env
            .iter()
            .filter(|(k, _)| VARS.contains(&k.as_str()))
            .cloned()
            .collect(),
        ppid,
        ancestors,
        tty,
        stdout: std::fs::read_link(proc("fd/1"))
            .ok()
            .map(|p| p.display().to_string()),
        dockerenv: std::fs::metadata(proc("root/.dockerenv")).is_ok(),
        // The same file system root (one device and inode), not the same mount namespace: a
        // unit with PrivateTmp= or `unshare -m` has a namespace of its own and the machine's root.
        shares_doctors_root: same_root(std::path::Path::new(&proc("root/")))
            .unwrap_or_else(|| same("ns/mnt"))
            || !cfg!(target_os = "linux"),
        linger: None,
        cgroup,
    };
    if matches!(unit_of(&s.cgroup), Some((Some(_), _))) {
        s.linger = Some(
            std::path::Path::new("/var/lib/systemd/linger")
                .join(user)
                .exists(),
        );
    }
    s
}

/// Is `root` (a process's `/proc/PID/root/`) the doctor's own `/`: one device and inode? None
/// when it cannot be looked at (another user's process, not as root).
fn same_root(root: &std::path::Path) -> Option<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (a, b) = (std::fs::metadata(root).ok()?, std::fs::metadata("/").ok()?);
        Some(a.dev() == b.dev() && a.ino() == b.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = root;
        None
    }
}

#[cfg(test)]
#[path = "supervision_tests.rs"]
mod tests;
