//! What to run, and where to edit, for each supervisor (CONTRACT §1 "Where the listener
//! lives"): every remedy that restarts a listener or changes its PATH or environment reads this
//! one table, so the command is the one *that* supervisor needs, as the listener's user.

use crate::model::command::{cmd, on_every_path, Command, Fix, Machine, Spec};
use crate::probes::supervision::{Supervisor, WindowsManager};
use crate::probes::users::UserInfo;

pub use crate::model::command::Elevation;

/// Who a remedy is for: the listener (pid, user) and the doctor's own user.
pub struct Listener<'a> {
    pub pid: u32,
    pub user: &'a UserInfo,
    pub me: &'a UserInfo,
    pub how: Elevation,
}

impl Listener<'_> {
    fn machine(&self) -> Machine {
        Machine::new(self.me.uid, &self.how)
    }
    /// `spec` as the listener's user, printed for this machine.
    fn as_listener(&self, spec: Spec) -> Command {
        spec.as_user(&self.user.name, self.user.uid)
            .on(&self.machine())
    }
    /// `spec` as root, printed for this machine.
    fn as_root(&self, spec: Spec) -> Command {
        spec.as_root().on(&self.machine())
    }
}

/// pm2 with PM2_HOME in its environment when it is not the user's default (`~/.pm2`); by the
/// path it was found at (`bin`) where a person's shell would not find it by its name (an npm
/// prefix of the user's own, say), or where the line sets a PATH (`path_set`) without its
/// directory: every program a line runs resolves under the environment the line itself sets.
fn pm2<I: IntoIterator<Item = S>, S: Into<String>>(
    home: &Option<String>,
    bin: &Option<String>,
    l: &Listener,
    path_set: Option<&str>,
    args: I,
) -> Spec {
    let default = l
        .user
        .home
        .as_ref()
        .map(|h| h.join(".pm2").display().to_string());
    let off_the_path = |b: &std::path::Path| {
        !on_every_path(b)
            || path_set.is_some_and(|p| {
                !b.parent().is_some_and(|d| {
                    p.split(if l.how.windows { ';' } else { ':' })
                        .any(|e| d == std::path::Path::new(e))
                })
            })
    };
    let program = match bin {
        Some(b) if off_the_path(std::path::Path::new(b)) => b.clone(),
        _ => "pm2".to_string(),
    };
    let words: Vec<String> = std::iter::once(program)
        .chain(args.into_iter().map(Into::into))
        .collect();
    match home {
        Some(h) if Some(h) != default.as_ref() => cmd(words).env("PM2_HOME", h.clone()),
        _ => cmd(words),
    }
}

/// `systemctl --user ARGS` for the listener's user: as that user when it is the doctor's own,
/// else through the user's manager (`-M alice@`) as root, which needs no session of theirs.
fn user_ctl(l: &Listener, args: &[&str], fix: Fix) -> Command {
    if l.user.uid == l.me.uid {
        l.as_listener(cmd(["systemctl", "--user"].iter().chain(args).copied()).fix(fix))
    } else {
        let at = format!("{}@", l.user.name);
        l.as_root(
            cmd(["systemctl", "--user", "-M", at.as_str()]
                .iter()
                .chain(args)
                .copied())
            .fix(fix),
        )
    }
}

/// `kill PID` as the listener's user (on Windows `taskkill /PID PID /F`: a console program has
/// no window to close, so only the forced end stops it): a stop that nothing starts again, so
/// `fix` runs it only with the person's own answer (never by `--yes`).
fn kill(l: &Listener) -> Command {
    let pid = l.pid.to_string();
    if l.how.windows {
        l.as_listener(cmd(["taskkill", "/PID", pid.as_str(), "/F"]).ask())
    } else {
        l.as_listener(cmd(["kill".to_string(), pid]).ask())
    }
}

/// `setx NAME VALUE` as the listener's user: the user's own environment as Windows stores it
/// (HKCU\Environment), read by every process started afterwards (a task, a new PowerShell).
/// setx cuts a value longer than 1024 characters, so such a value is only shown.
fn setx(l: &Listener, name: &str, value: &str) -> Command {
    let c = cmd(["setx", name, value]);
    l.as_listener(if value.chars().count() <= 1024 {
        c.safe()
    } else {
        c
    })
}

/// How to restart the listener: one step of prose and the commands, for its supervisor.
pub fn restart(s: &Supervisor, l: &Listener) -> (String, Vec<Command>) {
    match s {
        Supervisor::SystemdSystem { unit } => (
            format!("The listener runs from the systemd unit {unit}: restart it through systemd."),
            vec![l.as_root(cmd(["systemctl", "restart", unit.as_str()]).safe())],
        ),
        Supervisor::SystemdUser { unit, .. } => (
            format!(
                "The listener runs from {}'s systemd user unit {unit}: restart it through systemd.",
                l.user.name
            ),
            vec![user_ctl(l, &["restart", unit], Fix::Safe)],
        ),
        Supervisor::Pm2 {
            name,
            pm2_home,
            bin,
            ..
        } => (
            format!(
                "The listener runs as pm2 app {name}: restart it through pm2 (--update-env makes \
                pm2 read the current environment)."
            ),
            vec![l.as_listener(
                pm2(
                    pm2_home,
                    bin,
                    l,
                    None,
                    ["restart", name.as_str(), "--update-env"],
                )
                .safe(),
            )],
        ),
        Supervisor::Launchd { label } => {
            let domain = if l.user.uid == 0 {
                "system".to_string()
            } else {
                format!("gui/{}", l.user.uid)
            };
            (
                format!(
                    "The listener runs as the launchd job {label}: restart it through launchd."
                ),
                vec![l.as_listener(kickstart(&domain, label).safe())],
            )
        }
        _ => restart_elsewhere(s, l),
    }
}

/// `restart` for a listener that no unit, pm2 app or launchd job runs: a Windows service or
/// task, a container, a terminal, or nothing the doctor knows.
fn restart_elsewhere(s: &Supervisor, l: &Listener) -> (String, Vec<Command>) {
    match s {
        Supervisor::WindowsService {
            manager: WindowsManager::Nssm,
        } => (
            "The listener runs as a Windows service under NSSM: restart that service from an \
                administrator prompt (`nssm restart SERVICE`, or Services).".into(),
            vec![],
        ),
        Supervisor::WindowsService { .. } => (
            "The listener runs from a Task Scheduler task: end the task and run it again (`schtasks \
                /End /TN TASK`, then `schtasks /Run /TN TASK`, or Task Scheduler).".into(),
            vec![],
        ),
        Supervisor::Container { runtime, id } => match (runtime.execs_by_id(), id) {
            (false, _) | (_, None) => (
                format!("The listener runs in a {runtime} container: restart that container (for \
                    kubernetes, delete its pod so its controller starts a new one)."),
                vec![],
            ),
            (true, Some(id)) => (
                format!("The listener runs in {runtime} container {id}: restart the container."),
                vec![l.as_root(cmd([runtime.as_str(), "restart", id.as_str()]).safe())],
            ),
        },
        Supervisor::Terminal { via, .. } => (
            format!("The listener runs in a terminal session ({via}): stop it there (Ctrl-C), or \
                with the command below (it only stops it), then start `agent-rooms watch` again in \
                that session."),
            vec![kill(l)],
        ),
        _ => (
            "Nothing the doctor knows will start it again: stop it (the command below only stops \
                it), then start `agent-rooms watch` again yourself, the way it is normally started.".into(),
            vec![kill(l)],
        ),
    }
}

/// How to stop the listener for good: through its supervisor where one would start it again
/// (a unit is disabled, a pm2 app deleted), else `kill PID`; as the listener's user. Which of
/// two listeners to stop is the person's choice: `fix` asks, `--yes` never runs it.
pub fn stop(s: &Supervisor, l: &Listener) -> Command {
    match s {
        Supervisor::SystemdSystem { unit } => {
            l.as_root(cmd(["systemctl", "disable", "--now", unit.as_str()]).ask())
        }
        Supervisor::SystemdUser { unit, .. } if l.user.uid == l.me.uid => {
            l.as_listener(cmd(["systemctl", "--user", "disable", "--now", unit.as_str()]).ask())
        }
        Supervisor::Pm2 {
            name,
            pm2_home,
            bin,
            ..
        } => l.as_listener(pm2(pm2_home, bin, l, None, ["delete", name.as_str()]).ask()),
        _ => kill(l),
    }
}

/// Where the listener's PATH and environment are set, and how to change them to `name=value`
/// (the whole value, e.g. `PATH=/opt/node/bin:/usr/bin:/bin`): one step of prose and the
/// commands, for its supervisor.
pub fn set_env(s: &Supervisor, l: &Listener, name: &str, value: &str) -> (String, Vec<Command>) {
    let assignment = format!("{name}={value}");
    let (_, restart_cmds) = restart(s, l);
    match s {
        Supervisor::SystemdSystem { unit } => (
            format!(
                "Its environment comes from the unit {unit}, not from a shell (systemd's default \
                PATH is its own): add `Environment={assignment}` in a drop-in (`systemctl edit \
                {unit}`), then restart it."
            ),
            [
                vec![l.as_root(cmd(["systemctl", "edit", unit.as_str()]))],
                restart_cmds,
            ]
            .concat(),
        ),
        Supervisor::SystemdUser { unit, .. } => (
            format!(
                "Its environment comes from the user unit {unit} (~/.config/systemd/user/): add \
                `Environment={assignment}` in a drop-in (`systemctl --user edit {unit}`), then \
                restart it."
            ),
            [vec![user_ctl(l, &["edit", unit], Fix::Shown)], restart_cmds].concat(),
        ),
        Supervisor::Pm2 {
            name: app,
            pm2_home,
            bin,
            ..
        } => (
            format!(
                "pm2 keeps the environment of the shell that ran `pm2 start` (or its ecosystem \
                file's `env`) and reads a new one only with --update-env: restart {app} with \
                {assignment} in its environment."
            ),
            {
                let path = (name == "PATH").then_some(value);
                let restart = ["restart", app.as_str(), "--update-env"];
                vec![l.as_listener(pm2(pm2_home, bin, l, path, restart).env(name, value).safe())]
            },
        ),
        Supervisor::Launchd { label } => (
            format!(
                "Its environment is the plist's EnvironmentVariables for {label} (the default \
                PATH is /usr/bin:/bin:/usr/sbin:/sbin, and $PATH is not expanded there): set \
                {assignment} with the full value, then restart it."
            ),
            restart_cmds,
        ),
        _ => set_env_elsewhere(s, l, name, value, restart_cmds),
    }
}

/// `set_env` for a listener that no unit, pm2 app or launchd job runs: a Windows service or
/// task, a container, a terminal, or nothing the doctor knows.
fn set_env_elsewhere(
    s: &Supervisor,
    l: &Listener,
    name: &str,
    value: &str,
    restart_cmds: Vec<Command>,
) -> (String, Vec<Command>) {
    let assignment = format!("{name}={value}");
    match s {
        Supervisor::WindowsService {
            manager: WindowsManager::Nssm,
        } => (
            format!("Its environment is the service's, not your shell's: add {assignment} with the \
                full value to its AppEnvironmentExtra (`nssm set SERVICE AppEnvironmentExtra \
                {assignment}` in an administrator prompt), then restart it."),
            vec![],
        ),
        Supervisor::WindowsService { .. } => (
            format!("Its environment is that of the task's user as Windows stores it, not your \
                shell's: set {assignment} with the full value (the command below, or System \
                Properties → Environment Variables; setx cuts a value over 1024 characters), then \
                end the task and run it again (`schtasks /End /TN TASK`, then `schtasks /Run /TN TASK`)."),
            vec![setx(l, name, value)],
        ),
        Supervisor::Container { .. } => (
            format!("Its environment is the container's (the image's ENV, or -e when it is started): \
                set {assignment} there and recreate the container. The host CLI and its login must \
                be inside the container too."),
            vec![],
        ),
        Supervisor::Terminal { .. } | Supervisor::Unknown if l.how.windows => (
            format!("Its environment is that of the PowerShell or prompt that started it: set \
                {assignment} for your user (the first command; setx cuts a value over 1024 \
                characters), stop the listener (the second only stops it), then start `agent-rooms \
                watch` again from a new PowerShell, which has it."),
            [vec![setx(l, name, value)], restart_cmds].concat(),
        ),
        _ => (
            format!("Its environment is that of the shell that started it: set {assignment} in that \
                shell's profile (e.g. ~/.profile), then stop the listener (the command below only \
                stops it) and start `agent-rooms watch` again from a shell that has it."),
            restart_cmds,
        ),
    }
}

/// Give the listener a PATH with `dir` in front of its `current` one (the whole value: pm2 and
/// systemd take it as given; no shell expands `$PATH` in what the doctor prints).
pub fn prepend_path(
    s: &Supervisor,
    l: &Listener,
    dir: &str,
    current: &str,
) -> (String, Vec<Command>) {
    // Windows separates PATH entries with `;`, and nothing there expands `$PATH` (setx takes
    // the whole value).
    let sep = if l.how.windows { ';' } else { ':' };
    let value = match s {
        // Said for a shell profile, where `$PATH` is the shell's to expand (no command
        // carries it: the restart there sets no environment).
        Supervisor::Terminal { .. } | Supervisor::Unknown if !l.how.windows => {
            format!("{dir}:$PATH")
        }
        _ if current.is_empty() => dir.to_string(),
        _ => format!("{dir}{sep}{current}"),
    };
    set_env(s, l, "PATH", &value)
}

/// How to start again a listener that is not running under `s`: one step of prose and the
/// commands, as the listener's user (root for a system unit). `fix` runs them (`how`) only
/// when the caller knows the reason it ended is gone; else they are shown. `daemon_down`: pm2's
/// own daemon is not running (its saved list is brought back with `pm2 resurrect`).
pub fn start_again(
    s: &Supervisor,
    l: &Listener,
    how: Fix,
    daemon_down: bool,
) -> (String, Vec<Command>) {
    match s {
        Supervisor::Pm2 { name, pm2_home, bin, .. } if daemon_down => (
            format!("pm2's daemon is not running, so nothing runs pm2 app {name}: start pm2 with the \
                list it saved (`pm2 resurrect`)."),
            vec![l.as_listener(pm2(pm2_home, bin, l, None, ["resurrect"]).fix(how))],
        ),
        Supervisor::Pm2 { name, pm2_home, bin, .. } => (
            format!("Start pm2 app {name} again through pm2."),
            vec![l.as_listener(pm2(pm2_home, bin, l, None, ["restart", name.as_str()]).fix(how))],
        ),
        Supervisor::SystemdSystem { unit } => (
            format!("Start the unit {unit} again (reset-failed clears its failure and restart count)."),
            vec![
                l.as_root(cmd(["systemctl", "reset-failed", unit.as_str()]).fix(how)),
                l.as_root(cmd(["systemctl", "start", unit.as_str()]).fix(how)),
            ],
        ),
        Supervisor::SystemdUser { unit, .. } => (
            format!(
                "Start {}'s user unit {unit} again (reset-failed clears its failure and restart \
                count).",
                l.user.name
            ),
            vec![user_ctl(l, &["reset-failed", unit], how), user_ctl(l, &["start", unit], how)],
        ),
        Supervisor::Container {
            runtime,
            id: Some(id),
        } if runtime.execs_by_id() => (
            format!("Start the {runtime} container {id} again."),
            vec![l.as_root(cmd([runtime.as_str(), "start", id.as_str()]).fix(how))],
        ),
        Supervisor::Launchd { label } => {
            let domain = if l.user.uid == 0 { "system".to_string() } else { format!("gui/{}", l.user.uid) };
            (
                format!("Start the launchd job {label} again."),
                vec![l.as_listener(kickstart(&domain, label).fix(how))],
            )
        }
        Supervisor::WindowsService { .. } | Supervisor::Container { .. } => restart(s, l),
        Supervisor::Terminal { .. } | Supervisor::Unknown => (
            "It was started by hand: start `agent-rooms watch` again, better under a supervisor that \
                restarts it (pm2, a systemd user unit).".into(),
            vec![l.as_listener(cmd(["agent-rooms", "watch"]))],
        ),
    }
}

/// How to have the listener started at boot under `s` (pm2: save its list and have pm2 started
/// at boot; systemd: enable the unit), as its user; `None` where the supervisor has no such
/// switch the doctor knows.
pub fn enable_at_boot(s: &Supervisor, l: &Listener) -> Option<(String, Vec<Command>)> {
    match s {
        Supervisor::Pm2 { pm2_home, bin, .. } => Some((
            "Save pm2's list (`pm2 save`) and have pm2 started at boot (`pm2 startup` prints the one \
                command to run as root)."
                .into(),
            vec![
                l.as_listener(pm2(pm2_home, bin, l, None, ["save"]).safe()),
                l.as_listener(pm2(pm2_home, bin, l, None, ["startup"])),
            ],
        )),
        Supervisor::SystemdSystem { unit } => Some((
            format!("Enable the unit {unit}, so systemd starts it at boot."),
            vec![l.as_root(cmd(["systemctl", "enable", unit.as_str()]).safe())],
        )),
        Supervisor::SystemdUser { unit, .. } => Some((
            format!(
                "Enable {}'s user unit {unit}, so systemd starts it with the user's manager.",
                l.user.name
            ),
            vec![user_ctl(l, &["enable", unit], Fix::Safe)],
        )),
        _ => None,
    }
}

/// Where the listener's output goes, for a remedy that says "read its log" (only shown).
pub fn logs(s: &Supervisor, l: &Listener) -> Vec<Command> {
    match s {
        Supervisor::SystemdSystem { unit } => {
            vec![l.as_root(cmd(["journalctl", "-u", unit.as_str(), "-n", "100"]))]
        }
        Supervisor::SystemdUser { unit, .. } => vec![l.as_listener(cmd([
            "journalctl",
            "--user",
            "-u",
            unit.as_str(),
            "-n",
            "100",
        ]))],
        Supervisor::Pm2 {
            name,
            pm2_home,
            bin,
            ..
        } => vec![l.as_listener(pm2(
            pm2_home,
            bin,
            l,
            None,
            ["logs", name.as_str(), "--lines", "100", "--nostream"],
        ))],
        Supervisor::Container {
            runtime,
            id: Some(id),
        } if runtime.execs_by_id() => {
            vec![l.as_root(cmd([
                runtime.as_str(),
                "logs",
                "--tail",
                "100",
                id.as_str(),
            ]))]
        }
        Supervisor::Terminal {
            nohup_out: Some(out),
            ..
        } => vec![l.as_listener(cmd(["tail", "-n", "100", out.as_str()]))],
        _ => vec![],
    }
}

#[cfg(test)]
mod tests;

/// `launchctl kickstart -k DOMAIN/LABEL`: restart a launchd job.
fn kickstart(domain: &str, label: &str) -> Spec {
    cmd([
        "launchctl".to_string(),
        "kickstart".into(),
        "-k".into(),
        format!("{domain}/{label}"),
    ])
}
