//! Unit tests of `supervisors` (a file of their own: the module is long enough).

use super::*;

const SUDO: Elevation = Elevation {
    sudo: true,
    runuser: false,
    runuser_at: None,
    windows: false,
    doctor_at: None,
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
        bin: None,
    }
}

#[test]
fn commands_for_another_user_fit_what_the_machine_has() {
    let (alice, bob, root) = (user(1000, "alice"), user(1001, "bob"), user(0, "root"));
    let none = Elevation::default();
    let linux = Elevation {
        sudo: false,
        runuser: true,
        runuser_at: None,
        windows: false,
        doctor_at: None,
    };
    let l = |user, me, how: &Elevation| Listener {
        pid: 42,
        user,
        me,
        how: how.clone(),
    };
    let login = |l: &Listener| l.as_listener(cmd(["codex", "login"])).line;
    // The doctor's own user: no elevation at all.
    assert_eq!(login(&l(&alice, &alice, &SUDO)), "codex login");
    // Root: runuser where it exists (no sudo needed), else sudo, else su.
    assert_eq!(
        login(&l(&bob, &root, &linux)),
        "runuser -u bob -- codex login"
    );
    assert_eq!(login(&l(&bob, &root, &SUDO)), "sudo -u bob -H codex login");
    assert_eq!(login(&l(&bob, &root, &none)), "su - bob -c 'codex login'");
    let restart = |l: &Listener| l.as_root(cmd(["systemctl", "restart", "x"])).line;
    assert_eq!(restart(&l(&bob, &root, &none)), "systemctl restart x");
    // A normal user: sudo where it exists, else su (quoted as one word).
    assert_eq!(
        l(&bob, &alice, &linux)
            .as_listener(cmd(["echo", "hi there"]))
            .line,
        r#"su - bob -c "echo 'hi there'""#
    );
    assert_eq!(restart(&l(&bob, &alice, &SUDO)), "sudo systemctl restart x");
    assert_eq!(
        restart(&l(&bob, &alice, &linux)),
        "su -c 'systemctl restart x'"
    );
}

// Unix homes (`~/.pm2` joined with `/`): Unix only (the Windows unit tests run on GitHub and under Wine).
#[cfg(unix)]
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
        ["env PM2_HOME=/srv/pm2 pm2 restart ar-listen --update-env"]
    );
    let ld = Supervisor::Launchd {
        label: "com.agent-rooms.watch".into(),
    };
    assert_eq!(
        cmds(&ld, &mine),
        ["launchctl kickstart -k gui/1000/com.agent-rooms.watch"]
    );
    let docker = Supervisor::Container {
        runtime: crate::probes::supervision::Runtime::Docker,
        id: Some("3f4e2a1b9c8d".into()),
    };
    assert_eq!(cmds(&docker, &mine), ["sudo docker restart 3f4e2a1b9c8d"]);
    let k8s = Supervisor::Container {
        runtime: crate::probes::supervision::Runtime::Kubernetes,
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
    let svc = |manager| Supervisor::WindowsService { manager };
    assert!(cmds(&svc(WindowsManager::Nssm), &mine).is_empty());
    assert!(restart(&svc(WindowsManager::Nssm), &mine)
        .0
        .contains("nssm restart"));
    assert!(restart(&svc(WindowsManager::TaskScheduler), &mine)
        .0
        .contains("schtasks /Run"));
    assert!(
        set_env(&svc(WindowsManager::Nssm), &mine, "PATH", "C:\\node")
            .0
            .contains("AppEnvironmentExtra PATH=C:\\node")
    );
    assert!(
        set_env(&svc(WindowsManager::TaskScheduler), &mine, "X", "1")
            .0
            .contains("setx")
    );
}

#[test]
fn on_windows_the_commands_are_windows_programs_printed_for_powershell() {
    let (me, bob) = (user(1, "alice"), user(7, "bob"));
    let win = Elevation {
        windows: true,
        ..Elevation::default()
    };
    let l = |user| Listener {
        pid: 4242,
        user,
        me: &me,
        how: win.clone(),
    };
    let lines =
        |(_, c): (String, Vec<Command>)| -> Vec<String> { c.into_iter().map(|c| c.line).collect() };
    // A listener in a PowerShell window: its PATH for the user (setx, `;`-separated, the
    // whole value), then the forced stop of that process.
    let (step, cmds) = prepend_path(
        &Supervisor::Unknown,
        &l(&me),
        "C:\\Program Files\\nodejs",
        "C:\\Windows\\system32;C:\\Windows",
    );
    assert!(step.contains("new PowerShell"), "{step}");
    assert!(!step.contains("~/.profile"), "{step}");
    let lines_now: Vec<&str> = cmds.iter().map(|c| c.line.as_str()).collect();
    assert_eq!(
        lines_now,
        [
            "setx PATH 'C:\\Program Files\\nodejs;C:\\Windows\\system32;C:\\Windows'",
            "taskkill /PID 4242 /F"
        ]
    );
    assert_eq!(
        cmds[0].argv[2],
        "C:\\Program Files\\nodejs;C:\\Windows\\system32;C:\\Windows"
    );
    assert_eq!((cmds[0].fix, cmds[1].fix), (Fix::Safe, Fix::Ask));
    // Another user's: said after the line, never sudo.
    assert_eq!(
        lines(restart(&Supervisor::Unknown, &l(&bob))),
        ["taskkill /PID 4242 /F    # as bob: runas /user:bob powershell"]
    );
    // A Task Scheduler task reads the user's stored environment: setx, then the task again.
    let task = Supervisor::WindowsService {
        manager: WindowsManager::TaskScheduler,
    };
    let (step, cmds) = set_env(&task, &l(&me), "AGENT_ROOMS_API_URL", "https://x.test/it's");
    assert!(step.contains("schtasks /End /TN TASK"), "{step}");
    assert_eq!(
        cmds.iter().map(|c| c.line.as_str()).collect::<Vec<_>>(),
        ["setx AGENT_ROOMS_API_URL 'https://x.test/it''s'"]
    );
    // setx cuts a value over 1024 characters: such a command is only shown.
    let long = "C:\\x;".repeat(300);
    let (_, cmds) = set_env(&task, &l(&me), "PATH", &long);
    assert_eq!(cmds[0].fix, Fix::Shown);
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
    let path = "/opt/node/bin:/usr/bin";
    let (step, cmds) = set_env(&pm2_app(None), &l, "PATH", path);
    assert!(step.contains("--update-env"), "{step}");
    assert_eq!(
        cmds,
        ["env PATH=/opt/node/bin:/usr/bin pm2 restart ar-listen --update-env"]
    );
    assert_eq!(cmds[0].env, [("PATH".to_string(), path.to_string())]);
    // The whole value, as data: no shell expands `$PATH` in what is printed.
    assert_eq!(
        prepend_path(&pm2_app(None), &l, "/opt/node/bin", "/usr/bin:/bin").1,
        ["env PATH=/opt/node/bin:/usr/bin:/bin pm2 restart ar-listen --update-env"]
    );
    // A hostile app name and PM2_HOME stay single words.
    let odd = Supervisor::Pm2 {
        name: "ar;touch /tmp/x".into(),
        id: None,
        pm2_home: Some("/srv/$(id)".into()),
        out_log: None,
        err_log: None,
        bin: None,
    };
    let (_, cmds) = restart(&odd, &l);
    assert_eq!(
        cmds,
        ["env PM2_HOME='/srv/$(id)' pm2 restart 'ar;touch /tmp/x' --update-env"]
    );
    assert_eq!(
        cmds[0].argv,
        ["pm2", "restart", "ar;touch /tmp/x", "--update-env"]
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
    let (step, cmds) = set_env(&sys, &l, "PATH", "/usr/local/bin:/usr/bin:/bin");
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
        set_env(&usr, &l, "PATH", path).1[0],
        "systemctl --user edit ar.service"
    );
    let ld = Supervisor::Launchd {
        label: "com.agent-rooms.watch".into(),
    };
    assert!(set_env(&ld, &l, "PATH", path)
        .0
        .contains("EnvironmentVariables"));
    let c = Supervisor::Container {
        runtime: crate::probes::supervision::Runtime::Docker,
        id: None,
    };
    assert!(set_env(&c, &l, "PATH", path).0.contains("image's ENV"));
    let (step, cmds) = set_env(&Supervisor::Unknown, &l, "PATH", path);
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
        runtime: crate::probes::supervision::Runtime::Docker,
        id: Some("3f4e2a1b9c8d".into()),
    };
    assert_eq!(
        logs(&docker, &l),
        ["sudo docker logs --tail 100 3f4e2a1b9c8d"]
    );
    let k8s = Supervisor::Container {
        runtime: crate::probes::supervision::Runtime::Kubernetes,
        id: Some("0123456789ab".into()),
    };
    assert!(logs(&k8s, &l).is_empty());
}

#[test]
fn pm2_is_named_by_its_path_where_a_plain_shell_would_not_find_it() {
    let alice = user(1000, "alice");
    let l = Listener {
        pid: 42,
        user: &alice,
        me: &alice,
        how: SUDO,
    };
    let app = |bin: Option<&str>| Supervisor::Pm2 {
        name: "ar-listen".into(),
        id: None,
        pm2_home: None,
        out_log: None,
        err_log: None,
        bin: bin.map(str::to_string),
    };
    let line = |s: &Supervisor| restart(s, &l).1[0].line.clone();
    // An npm prefix of the user's own: the PATH of the shell that ran `pm2 start` has it, a
    // root shell or a cron line does not.
    assert_eq!(
        line(&app(Some("/home/alice/.npm-global/bin/pm2"))),
        "/home/alice/.npm-global/bin/pm2 restart ar-listen --update-env"
    );
    assert_eq!(
        line(&app(Some("/usr/bin/pm2"))),
        "pm2 restart ar-listen --update-env"
    );
    assert_eq!(line(&app(None)), "pm2 restart ar-listen --update-env");
    // Where the listener's PATH is changed through pm2, the same program.
    let (_, cmds) = set_env(&app(Some("/opt/pm 2/bin/pm2")), &l, "PATH", "/opt/node/bin");
    assert_eq!(
        cmds[0].line,
        "env PATH=/opt/node/bin '/opt/pm 2/bin/pm2' restart ar-listen --update-env"
    );
    // A PATH the line sets without pm2's directory: pm2 by its path though it is in /usr/bin
    // (`env` looks the program up in the PATH it was given); with it, by name.
    let (_, cmds) = set_env(
        &app(Some("/usr/local/bin/pm2")),
        &l,
        "PATH",
        "/home/alice/bin:/usr/bin:/bin",
    );
    assert_eq!(
        cmds[0].line,
        "env PATH=/home/alice/bin:/usr/bin:/bin /usr/local/bin/pm2 restart ar-listen --update-env"
    );
    let (_, cmds) = set_env(
        &app(Some("/usr/local/bin/pm2")),
        &l,
        "PATH",
        "/home/alice/bin:/usr/local/bin",
    );
    assert_eq!(
        cmds[0].line,
        "env PATH=/home/alice/bin:/usr/local/bin pm2 restart ar-listen --update-env"
    );
}
