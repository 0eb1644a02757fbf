//! What to run, and where to edit, for each supervisor (CONTRACT §1 "Where the listener
//! lives"): every remedy that restarts a listener or changes its PATH or environment reads this
//! one table, so the command is the one *that* supervisor needs, as the listener's user.

use crate::probes::supervision::Supervisor;
use crate::probes::users::UserInfo;

/// What this machine has to run a command as another user (CONTRACT §2 "Remedies are data":
/// `sudo` only where it exists).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Elevation {
    pub sudo: bool,
    pub runuser: bool,
}

/// `cmd` quoted as one word for `su -c`.
fn quoted(cmd: &str) -> String {
    format!("'{}'", cmd.replace('\'', r"'\''"))
}

/// `cmd` as `user` would run it: as is for the doctor's own user; as root, through runuser
/// (no password, no sudo needed); else through sudo where it exists; else through su.
pub fn as_user(user: &UserInfo, me: &UserInfo, how: Elevation, cmd: &str) -> String {
    if user.uid == me.uid {
        cmd.to_string()
    } else if me.uid == 0 && how.runuser {
        format!("runuser -u {} -- {cmd}", user.name)
    } else if how.sudo {
        format!("sudo -u {} -H {cmd}", user.name)
    } else {
        format!("su - {} -c {}", user.name, quoted(cmd))
    }
}

/// A command that needs root: as is when the doctor is root; else through sudo where it
/// exists; else through su.
pub fn as_root(me: &UserInfo, how: Elevation, cmd: &str) -> String {
    if me.uid == 0 {
        cmd.to_string()
    } else if how.sudo {
        format!("sudo {cmd}")
    } else {
        format!("su -c {}", quoted(cmd))
    }
}

/// Who a remedy is for: the listener (pid, user) and the doctor's own user.
pub struct Listener<'a> {
    pub pid: u32,
    pub user: &'a UserInfo,
    pub me: &'a UserInfo,
    pub how: Elevation,
}

/// pm2, with PM2_HOME when it is not the user's default (`~/.pm2`).
fn pm2(home: &Option<String>, l: &Listener) -> String {
    let default = l
        .user
        .home
        .as_ref()
        .map(|h| h.join(".pm2").display().to_string());
    match home {
        Some(h) if Some(h) != default.as_ref() => format!("PM2_HOME={h} pm2"),
        _ => "pm2".into(),
    }
}

/// `systemctl --user …` for `user`: as is for the doctor's own user, else through the user's
/// manager (`-M alice@`), which needs no session of theirs.
fn user_ctl(l: &Listener, args: &str) -> String {
    if l.user.uid == l.me.uid {
        format!("systemctl --user {args}")
    } else {
        as_root(
            l.me,
            l.how,
            &format!("systemctl --user -M {}@ {args}", l.user.name),
        )
    }
}

/// How to restart the listener: one step of prose and the commands, for its supervisor.
pub fn restart(s: &Supervisor, l: &Listener) -> (String, Vec<String>) {
    match s {
        Supervisor::SystemdSystem { unit } => (
            format!("The listener runs from the systemd unit {unit}: restart it through systemd."),
            vec![as_root(l.me, l.how, &format!("systemctl restart {unit}"))],
        ),
        Supervisor::SystemdUser { unit, .. } => (
            format!(
                "The listener runs from {}'s systemd user unit {unit}: restart it through systemd.",
                l.user.name
            ),
            vec![user_ctl(l, &format!("restart {unit}"))],
        ),
        Supervisor::Pm2 { name, pm2_home, .. } => (
            format!("The listener runs as pm2 app {name}: restart it through pm2 (--update-env makes pm2 read the current environment)."),
            vec![as_user(l.user, l.me, l.how,
                &format!("{} restart {name} --update-env", pm2(pm2_home, l)),
            )],
        ),
        Supervisor::Launchd { label } => {
            let domain = if l.user.uid == 0 {
                "system".to_string()
            } else {
                format!("gui/{}", l.user.uid)
            };
            (
                format!("The listener runs as the launchd job {label}: restart it through launchd."),
                vec![as_user(l.user, l.me, l.how,
                    &format!("launchctl kickstart -k {domain}/{label}"),
                )],
            )
        }
        Supervisor::WindowsService { manager } if manager == "NSSM" => (
            "The listener runs as a Windows service under NSSM: restart that service from an administrator prompt (`nssm restart SERVICE`, or Services).".into(),
            vec![],
        ),
        Supervisor::WindowsService { .. } => (
            "The listener runs from a Task Scheduler task: end the task and run it again (`schtasks /End /TN TASK`, then `schtasks /Run /TN TASK`, or Task Scheduler).".into(),
            vec![],
        ),
        Supervisor::Container { runtime, id } => match (runtime.as_str(), id) {
            ("kubernetes", _) | (_, None) => (
                format!("The listener runs in a {runtime} container: restart that container (for kubernetes, delete its pod so its controller starts a new one)."),
                vec![],
            ),
            (rt, Some(id)) => (
                format!("The listener runs in {rt} container {id}: restart the container."),
                vec![as_root(l.me, l.how, &format!("{rt} restart {id}"))],
            ),
        },
        Supervisor::Terminal { via, .. } => (
            format!("The listener runs in a terminal session ({via}): stop it there (Ctrl-C), or with kill, and start `agent-rooms watch` again in that session."),
            vec![as_user(l.user, l.me, l.how, &format!("kill {}", l.pid))],
        ),
        Supervisor::Unknown => (
            "Stop the listener and start `agent-rooms watch` again the way it is normally started.".into(),
            vec![as_user(l.user, l.me, l.how, &format!("kill {}", l.pid))],
        ),
    }
}

/// How to stop the listener for good: through its supervisor where one would start it again
/// (a unit is disabled, a pm2 app deleted), else `kill PID`; as the listener's user.
pub fn stop(s: &Supervisor, l: &Listener) -> String {
    let cmd = match s {
        Supervisor::SystemdSystem { unit } => {
            return as_root(l.me, l.how, &format!("systemctl disable --now {unit}"))
        }
        Supervisor::SystemdUser { unit, .. } if l.user.uid == l.me.uid => {
            return format!("systemctl --user disable --now {unit}")
        }
        Supervisor::Pm2 { name, .. } => format!("pm2 delete {name}"),
        _ => format!("kill {}", l.pid),
    };
    as_user(l.user, l.me, l.how, &cmd)
}

/// Where the listener's PATH and environment are set, and how to change them for `var=value`
/// (e.g. `PATH=/opt/node/bin:$PATH`): one step of prose and the commands, for its supervisor.
pub fn set_env(s: &Supervisor, l: &Listener, assignment: &str) -> (String, Vec<String>) {
    let (restart_step, restart_cmds) = restart(s, l);
    match s {
        Supervisor::SystemdSystem { unit } => (
            format!("Its environment comes from the unit {unit}, not from a shell (systemd's default PATH is its own): add `Environment={assignment}` in a drop-in (`systemctl edit {unit}`), then restart it."),
            [vec![as_root(l.me, l.how, &format!("systemctl edit {unit}"))], restart_cmds].concat(),
        ),
        Supervisor::SystemdUser { unit, .. } => (
            format!("Its environment comes from the user unit {unit} (~/.config/systemd/user/): add `Environment={assignment}` in a drop-in (`systemctl --user edit {unit}`), then restart it."),
            [vec![user_ctl(l, &format!("edit {unit}"))], restart_cmds].concat(),
        ),
        Supervisor::Pm2 { name, pm2_home, .. } => (
            format!("pm2 keeps the environment of the shell that ran `pm2 start` (or its ecosystem file's `env`) and reads a new one only with --update-env: restart {name} from a shell where {assignment} is set."),
            vec![as_user(l.user, l.me, l.how,
                &format!("{assignment} {} restart {name} --update-env", pm2(pm2_home, l)),
            )],
        ),
        Supervisor::Launchd { label } => (
            format!("Its environment is the plist's EnvironmentVariables for {label} (the default PATH is /usr/bin:/bin:/usr/sbin:/sbin, and $PATH is not expanded there): set {assignment} with the full value, then restart it."),
            restart_cmds,
        ),
        Supervisor::WindowsService { manager } if manager == "NSSM" => (
            format!("Its environment is the service's, not your shell's: add {assignment} with the full value to its AppEnvironmentExtra (`nssm set SERVICE AppEnvironmentExtra {assignment}` in an administrator prompt), then restart it."),
            vec![],
        ),
        Supervisor::WindowsService { .. } => (
            format!("Its environment is that of the task's user as Windows stores it, not your shell's: set {assignment} with the full value (System Properties → Environment Variables, or `setx`), then end the task and run it again."),
            vec![],
        ),
        Supervisor::Container { .. } => (
            format!("Its environment is the container's (the image's ENV, or -e when it is started): set {assignment} there and recreate the container. The host CLI and its login must be inside the container too."),
            vec![],
        ),
        Supervisor::Terminal { .. } | Supervisor::Unknown => (
            format!("Its environment is that of the shell that started it: set {assignment} in that shell's profile (e.g. ~/.profile), then {}", lower_first(&restart_step)),
            restart_cmds,
        ),
    }
}

/// Give the listener a PATH with `dir` in front: `PATH=dir:$PATH` where a shell starts it (pm2,
/// a terminal), the whole value where no shell expands `$PATH` (systemd, launchd, a container).
pub fn prepend_path(
    s: &Supervisor,
    l: &Listener,
    dir: &str,
    current: &str,
) -> (String, Vec<String>) {
    let value = match s {
        Supervisor::Pm2 { .. } | Supervisor::Terminal { .. } | Supervisor::Unknown => {
            format!("PATH={dir}:$PATH")
        }
        _ if current.is_empty() => format!("PATH={dir}"),
        _ => format!("PATH={dir}:{current}"),
    };
    set_env(s, l, &value)
}

/// Where the listener's output goes, for a remedy that says "read its log".
pub fn logs(s: &Supervisor, l: &Listener) -> Vec<String> {
    match s {
        Supervisor::SystemdSystem { unit } => {
            vec![as_root(
                l.me,
                l.how,
                &format!("journalctl -u {unit} -n 100"),
            )]
        }
        Supervisor::SystemdUser { unit, .. } => {
            vec![as_user(
                l.user,
                l.me,
                l.how,
                &format!("journalctl --user -u {unit} -n 100"),
            )]
        }
        Supervisor::Pm2 { name, pm2_home, .. } => vec![as_user(
            l.user,
            l.me,
            l.how,
            &format!("{} logs {name} --lines 100 --nostream", pm2(pm2_home, l)),
        )],
        Supervisor::Container {
            runtime,
            id: Some(id),
        } if runtime != "kubernetes" => {
            vec![as_root(
                l.me,
                l.how,
                &format!("{runtime} logs --tail 100 {id}"),
            )]
        }
        Supervisor::Terminal {
            nohup_out: Some(out),
            ..
        } => vec![format!("tail -n 100 {out}")],
        _ => vec![],
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUDO: Elevation = Elevation {
        sudo: true,
        runuser: false,
    };

    fn user(uid: u32, name: &str) -> UserInfo {
        UserInfo {
            uid,
            name: name.into(),
            home: Some(format!("/home/{name}").into()),
        }
    }

    fn pm2_app(home: Option<&str>) -> Supervisor {
        Supervisor::Pm2 {
            name: "ar-listen".into(),
            id: Some("0".into()),
            pm2_home: home.map(str::to_string),
            out_log: None,
            err_log: None,
        }
    }

    #[test]
    fn commands_for_another_user_fit_what_the_machine_has() {
        let (alice, bob, root) = (user(1000, "alice"), user(1001, "bob"), user(0, "root"));
        let none = Elevation::default();
        let linux = Elevation {
            sudo: false,
            runuser: true,
        };
        // The doctor's own user: no elevation at all.
        assert_eq!(as_user(&alice, &alice, SUDO, "codex login"), "codex login");
        // Root: runuser where it exists (no sudo needed), else sudo, else su.
        assert_eq!(
            as_user(&bob, &root, linux, "codex login"),
            "runuser -u bob -- codex login"
        );
        assert_eq!(
            as_user(&bob, &root, SUDO, "codex login"),
            "sudo -u bob -H codex login"
        );
        assert_eq!(
            as_user(&bob, &root, none, "codex login"),
            "su - bob -c 'codex login'"
        );
        assert_eq!(
            as_root(&root, none, "systemctl restart x"),
            "systemctl restart x"
        );
        // A normal user: sudo where it exists, else su (quoted as one word).
        assert_eq!(
            as_user(&bob, &alice, linux, "echo 'hi'"),
            r#"su - bob -c 'echo '\''hi'\'''"#
        );
        assert_eq!(as_root(&alice, SUDO, "ln -s /a /b"), "sudo ln -s /a /b");
        assert_eq!(as_root(&alice, linux, "ln -s /a /b"), "su -c 'ln -s /a /b'");
    }

    #[test]
    fn each_supervisor_restarts_its_own_way_as_the_listeners_user() {
        let (alice, bob, root) = (user(1000, "alice"), user(1001, "bob"), user(0, "root"));
        let mine = Listener {
            pid: 42,
            user: &alice,
            me: &alice,
            how: SUDO,
        };
        let bobs = Listener {
            pid: 42,
            user: &bob,
            me: &alice,
            how: SUDO,
        };
        let as_root = Listener {
            pid: 42,
            user: &bob,
            me: &root,
            how: SUDO,
        };
        let cmds = |s: &Supervisor, l: &Listener| restart(s, l).1;
        let sys = Supervisor::SystemdSystem {
            unit: "agent-rooms.service".into(),
        };
        assert_eq!(
            cmds(&sys, &mine),
            ["sudo systemctl restart agent-rooms.service"]
        );
        assert_eq!(
            cmds(&sys, &as_root),
            ["systemctl restart agent-rooms.service"]
        );
        let usr = Supervisor::SystemdUser {
            unit: "ar.service".into(),
            uid: Some(1001),
            lingering: Some(true),
        };
        assert_eq!(cmds(&usr, &mine), ["systemctl --user restart ar.service"]);
        assert_eq!(
            cmds(&usr, &bobs),
            ["sudo systemctl --user -M bob@ restart ar.service"]
        );
        assert_eq!(
            cmds(&pm2_app(Some("/home/alice/.pm2")), &mine),
            ["pm2 restart ar-listen --update-env"]
        );
        assert_eq!(
            cmds(&pm2_app(None), &bobs),
            ["sudo -u bob -H pm2 restart ar-listen --update-env"]
        );
        assert_eq!(
            cmds(&pm2_app(Some("/srv/pm2")), &mine),
            ["PM2_HOME=/srv/pm2 pm2 restart ar-listen --update-env"]
        );
        let ld = Supervisor::Launchd {
            label: "com.agent-rooms.watch".into(),
        };
        assert_eq!(
            cmds(&ld, &mine),
            ["launchctl kickstart -k gui/1000/com.agent-rooms.watch"]
        );
        let docker = Supervisor::Container {
            runtime: "docker".into(),
            id: Some("3f4e2a1b9c8d".into()),
        };
        assert_eq!(cmds(&docker, &mine), ["sudo docker restart 3f4e2a1b9c8d"]);
        let k8s = Supervisor::Container {
            runtime: "kubernetes".into(),
            id: Some("0123456789ab".into()),
        };
        assert!(cmds(&k8s, &mine).is_empty());
        assert!(restart(&k8s, &mine).0.contains("delete its pod"));
        let tmux = Supervisor::Terminal {
            via: "tmux".into(),
            nohup_out: None,
        };
        assert_eq!(cmds(&tmux, &bobs), ["sudo -u bob -H kill 42"]);
        assert!(restart(&tmux, &mine).0.contains("terminal session (tmux)"));
        assert_eq!(cmds(&Supervisor::Unknown, &mine), ["kill 42"]);
        // Windows services: through their manager, never `kill` nor sudo.
        let svc = |m: &str| Supervisor::WindowsService { manager: m.into() };
        assert!(cmds(&svc("NSSM"), &mine).is_empty());
        assert!(restart(&svc("NSSM"), &mine).0.contains("nssm restart"));
        assert!(restart(&svc("Task Scheduler"), &mine)
            .0
            .contains("schtasks /Run"));
        assert!(set_env(&svc("NSSM"), &mine, "PATH=C:\\node")
            .0
            .contains("AppEnvironmentExtra PATH=C:\\node"));
        assert!(set_env(&svc("Task Scheduler"), &mine, "X=1")
            .0
            .contains("setx"));
    }

    #[test]
    fn the_environment_is_changed_where_that_supervisor_keeps_it() {
        let alice = user(1000, "alice");
        let l = Listener {
            pid: 42,
            user: &alice,
            me: &alice,
            how: SUDO,
        };
        let path = "PATH=/opt/node/bin:$PATH";
        let (step, cmds) = set_env(&pm2_app(None), &l, path);
        assert!(step.contains("--update-env"), "{step}");
        assert_eq!(
            cmds,
            ["PATH=/opt/node/bin:$PATH pm2 restart ar-listen --update-env"]
        );
        // $PATH is expanded by the shell that runs pm2; systemd gets the whole value.
        assert_eq!(
            prepend_path(&pm2_app(None), &l, "/opt/node/bin", "/usr/bin:/bin").1,
            ["PATH=/opt/node/bin:$PATH pm2 restart ar-listen --update-env"]
        );
        let unit = Supervisor::SystemdSystem {
            unit: "a.service".into(),
        };
        assert!(prepend_path(&unit, &l, "/opt/node/bin", "/usr/bin:/bin")
            .0
            .contains("`Environment=PATH=/opt/node/bin:/usr/bin:/bin`"));
        assert!(prepend_path(&unit, &l, "/opt/node/bin", "")
            .0
            .contains("`Environment=PATH=/opt/node/bin`"));
        let sys = Supervisor::SystemdSystem {
            unit: "agent-rooms.service".into(),
        };
        let (step, cmds) = set_env(&sys, &l, "PATH=/usr/local/bin:/usr/bin:/bin");
        assert!(
            step.contains("Environment=PATH=/usr/local/bin:/usr/bin:/bin"),
            "{step}"
        );
        assert_eq!(
            cmds,
            [
                "sudo systemctl edit agent-rooms.service",
                "sudo systemctl restart agent-rooms.service"
            ]
        );
        let usr = Supervisor::SystemdUser {
            unit: "ar.service".into(),
            uid: Some(1000),
            lingering: None,
        };
        assert_eq!(
            set_env(&usr, &l, path).1[0],
            "systemctl --user edit ar.service"
        );
        let ld = Supervisor::Launchd {
            label: "com.agent-rooms.watch".into(),
        };
        assert!(set_env(&ld, &l, path).0.contains("EnvironmentVariables"));
        let c = Supervisor::Container {
            runtime: "docker".into(),
            id: None,
        };
        assert!(set_env(&c, &l, path).0.contains("image's ENV"));
        let (step, cmds) = set_env(&Supervisor::Unknown, &l, path);
        assert!(
            step.contains("~/.profile") && step.contains("then stop the listener"),
            "{step}"
        );
        assert_eq!(cmds, ["kill 42"]);
    }

    #[test]
    fn logs_are_read_where_that_supervisor_keeps_them() {
        let alice = user(1000, "alice");
        let l = Listener {
            pid: 42,
            user: &alice,
            me: &alice,
            how: SUDO,
        };
        let sys = Supervisor::SystemdSystem {
            unit: "agent-rooms.service".into(),
        };
        assert_eq!(
            logs(&sys, &l),
            ["sudo journalctl -u agent-rooms.service -n 100"]
        );
        assert_eq!(
            logs(&pm2_app(None), &l),
            ["pm2 logs ar-listen --lines 100 --nostream"]
        );
        let n = Supervisor::Terminal {
            via: "nohup".into(),
            nohup_out: Some("/home/alice/nohup.out".into()),
        };
        assert_eq!(logs(&n, &l), ["tail -n 100 /home/alice/nohup.out"]);
        assert!(logs(&Supervisor::Unknown, &l).is_empty());
        let usr = Supervisor::SystemdUser {
            unit: "ar.service".into(),
            uid: Some(1000),
            lingering: None,
        };
        assert_eq!(logs(&usr, &l), ["journalctl --user -u ar.service -n 100"]);
        let docker = Supervisor::Container {
            runtime: "docker".into(),
            id: Some("3f4e2a1b9c8d".into()),
        };
        assert_eq!(
            logs(&docker, &l),
            ["sudo docker logs --tail 100 3f4e2a1b9c8d"]
        );
        let k8s = Supervisor::Container {
            runtime: "kubernetes".into(),
            id: Some("0123456789ab".into()),
        };
        assert!(logs(&k8s, &l).is_empty());
    }
}
