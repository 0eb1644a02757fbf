//! The supervision probe's tests: what recognises each supervisor, from recorded signals.

use super::*;

fn signals(cgroup: &str) -> Signals {
    Signals {
        cgroup: cgroup.into(),
        shares_doctors_root: false,
        ..Signals::default()
    }
}

// cgroup lines as real systems write them (cgroup v2 `0::`, v1 `N:controller:`).
const SYSTEM_UNIT: &str = "0::/system.slice/agent-rooms.service\n";
const USER_UNIT: &str =
    "0::/user.slice/user-1000.slice/user@1000.service/app.slice/agent-rooms.service\n";
const LOGIN_SESSION: &str = "0::/user.slice/user-1000.slice/session-3.scope\n";
const GNOME_TERMINAL: &str =
    "0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.gnom\
    e.Terminal.slice/vte-spawn-5f1b2c3d-aaaa-bbbb-cccc-0123456789ab.scope\n";
const DOCKER_V2: &str =
    "0::/system.slice/docker-3f4e2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f\
    7a6b5c4d3e2f.scope\n";
const DOCKER_V1: &str =
    "12:memory:/docker/3f4e2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c\
    4d3e2f\n11:cpu:/docker/3f4e2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f\n";
const PODMAN: &str =
    "0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-9a8b7c6d5e4f\
    3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b.scope/container\n";
const KUBEPODS: &str = "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1b2c3d4e_5f\
    6a_7b8c_9d0e_1f2a3b4c5d6e.slice/cri-containerd-0123456789abcdef0123456789abcdef0123456789abcdef0\
    123456789abcdef.scope\n";
// This machine's own (a sandbox container), recorded: no unit, no runtime marker.
const SANDBOX: &str =
    "9:name=systemd:/\n4:memory:/process_api/e0f5b8c89bfb6ffdadf4c7b7b3cbe760\n0::/\n";

#[test]
fn systemd_units_system_and_user() {
    assert_eq!(
        recognise(&signals(SYSTEM_UNIT)),
        Supervisor::SystemdSystem {
            unit: "agent-rooms.service".into()
        }
    );
    let mut s = signals(USER_UNIT);
    s.linger = Some(false);
    assert_eq!(
        recognise(&s),
        Supervisor::SystemdUser {
            unit: "agent-rooms.service".into(),
            uid: Some(1000),
            lingering: Some(false)
        }
    );
    // A login session or a desktop terminal's scope is no unit.
    assert_eq!(unit_of(LOGIN_SESSION), None);
    assert_eq!(unit_of(GNOME_TERMINAL), None);
    assert_eq!(unit_of(SANDBOX), None);
    // The user manager itself is not the unit.
    assert_eq!(
        unit_of("0::/user.slice/user-1000.slice/user@1000.service/init.scope"),
        None
    );
}

#[test]
fn containers_by_cgroup_or_dockerenv_unless_the_doctor_shares_it() {
    let id = |c: &str| container_of(c);
    assert_eq!(
        id(DOCKER_V2),
        Some((Runtime::Docker, Some("3f4e2a1b9c8d".into())))
    );
    assert_eq!(
        id(DOCKER_V1),
        Some((Runtime::Docker, Some("3f4e2a1b9c8d".into())))
    );
    assert_eq!(
        id(PODMAN),
        Some((Runtime::Podman, Some("9a8b7c6d5e4f".into())))
    );
    assert_eq!(
        id(KUBEPODS),
        Some((Runtime::Kubernetes, Some("0123456789ab".into())))
    );
    assert_eq!(id(SANDBOX), None);
    assert_eq!(id(SYSTEM_UNIT), None);
    assert!(matches!(
        recognise(&signals(DOCKER_V2)),
        Supervisor::Container { .. }
    ));
    let mut s = signals(SANDBOX);
    s.dockerenv = true;
    assert_eq!(
        recognise(&s),
        Supervisor::Container {
            runtime: Runtime::Docker,
            id: None
        }
    );
    // In the doctor's own container it is no container to the doctor: judged as it runs.
    s.shares_doctors_root = true;
    assert_eq!(recognise(&s), Supervisor::Unknown);
}

#[test]
fn pm2_by_its_variables_or_its_daemon() {
    // Recorded from pm2 7.0.4 (`pm2 start agent-rooms.js --name ar-listen -- watch`).
    let mut s = signals("0::/\n");
    s.env = vec![
        ("name".into(), "ar-listen".into()),
        ("pm_id".into(), "0".into()),
        ("pm_exec_path".into(), "/tmp/pm2t/bin/agent-rooms.js".into()),
        (
            "pm_err_log_path".into(),
            "/tmp/pm2t/home/logs/ar-listen-error.log".into(),
        ),
        ("PM2_HOME".into(), "/tmp/pm2t/home".into()),
    ];
    s.ancestors = vec!["PM2 v7.0.4: God Daemon (/tmp/pm2t/home)".into()];
    assert_eq!(
        recognise(&s),
        Supervisor::Pm2 {
            name: "ar-listen".into(),
            id: Some("0".into()),
            pm2_home: Some("/tmp/pm2t/home".into()),
            out_log: None,
            err_log: Some("/tmp/pm2t/home/logs/ar-listen-error.log".into()),
            bin: None,
        }
    );
    // Its environment unreadable: the daemon parent alone says pm2, and where it lives.
    s.env.clear();
    assert!(matches!(
        recognise(&s),
        Supervisor::Pm2 { pm2_home: Some(h), .. } if h == "/tmp/pm2t/home"
    ));
    // pm2 under a systemd unit (pm2-root.service) is still pm2: the app is what restarts.
    s.cgroup = "0::/system.slice/pm2-root.service\n".into();
    assert!(matches!(recognise(&s), Supervisor::Pm2 { .. }));
    assert!(is_pm2_daemon("PM2 v5.3.0: God Daemon (/home/a/.pm2)"));
    assert!(!is_pm2_daemon("node /usr/lib/node_modules/pm2/bin/pm2"));
    assert!(!is_pm2_daemon("PM2 v5.3.0: something else"));
    assert!(!is_pm2_daemon("my God Daemon"));
}

#[test]
fn launchd_by_its_label_with_launchd_as_parent() {
    let mut s = signals("");
    s.shares_doctors_root = true;
    s.ppid = Some(1);
    s.env = vec![("XPC_SERVICE_NAME".into(), "com.agent-rooms.watch".into())];
    assert_eq!(
        recognise(&s),
        Supervisor::Launchd {
            label: "com.agent-rooms.watch".into()
        }
    );
    // `0` is what a Terminal-started process carries: no job.
    s.env = vec![("XPC_SERVICE_NAME".into(), "0".into())];
    assert_eq!(recognise(&s), Supervisor::Unknown);
    s.env = vec![("XPC_SERVICE_NAME".into(), "com.agent-rooms.watch".into())];
    s.ppid = Some(400);
    assert_eq!(recognise(&s), Supervisor::Unknown);
}

#[test]
fn windows_services_by_their_manager_among_the_ancestors() {
    let mut s = signals("");
    s.shares_doctors_root = true;
    let with = |s: &mut Signals, a: &[&str]| {
        s.ancestors = a.iter().map(|t| t.to_string()).collect();
        recognise(s)
    };
    let svc = |manager| Supervisor::WindowsService { manager };
    assert_eq!(
        with(
            &mut s,
            &["cmd.exe /c agent-rooms.cmd watch", "C:\\tools\\NSSM.EXE"]
        ),
        svc(WindowsManager::Nssm)
    );
    assert_eq!(
        with(&mut s, &["C:\\Windows\\System32\\taskhostw.exe"]),
        svc(WindowsManager::TaskScheduler)
    );
    assert_eq!(
        with(
            &mut s,
            &["C:\\WINDOWS\\system32\\svchost.exe -k netsvcs -p -s Schedule"]
        ),
        svc(WindowsManager::TaskScheduler)
    );
    // Another service host, or a console, is no service manager.
    assert_eq!(
        with(
            &mut s,
            &["C:\\WINDOWS\\system32\\svchost.exe -k netsvcs -p -s Winmgmt"]
        ),
        Supervisor::Unknown
    );
    assert_eq!(
        with(&mut s, &["C:\\Windows\\explorer.exe"]),
        Supervisor::Unknown
    );
    assert_eq!(
        svc(WindowsManager::Nssm).words(),
        "a Windows service (NSSM)"
    );
    assert_eq!(
        svc(WindowsManager::TaskScheduler).words(),
        "a Task Scheduler task"
    );
}

#[test]
fn terminals_by_ancestor_tty_or_nohup() {
    let mut s = signals(LOGIN_SESSION);
    s.shares_doctors_root = true;
    s.ancestors = vec!["-bash".into(), "tmux: server".into()];
    assert_eq!(
        recognise(&s),
        Supervisor::Terminal {
            via: "tmux".into(),
            nohup_out: None
        }
    );
    s.ancestors = vec!["bash".into(), "sshd: alice@pts/0".into()];
    assert!(matches!(recognise(&s), Supervisor::Terminal { via, .. } if via == "sshd"));
    s.ancestors = vec!["/usr/bin/SCREEN".into(), "screen".into()];
    assert!(matches!(recognise(&s), Supervisor::Terminal { via, .. } if via == "screen"));
    s.ancestors = vec!["systemd".into()];
    s.stdout = Some("/home/alice/nohup.out".into());
    assert_eq!(
        recognise(&s),
        Supervisor::Terminal {
            via: "nohup".into(),
            nohup_out: Some("/home/alice/nohup.out".into())
        }
    );
    s.stdout = Some("/dev/null".into());
    s.tty = true;
    assert!(matches!(recognise(&s), Supervisor::Terminal { via, .. } if via == "tty"));
    s.tty = false;
    assert_eq!(recognise(&s), Supervisor::Unknown);
}

#[test]
fn words_name_the_supervisor() {
    assert_eq!(
        recognise(&signals(SYSTEM_UNIT)).words(),
        "systemd unit agent-rooms.service"
    );
    assert_eq!(
        recognise(&signals(DOCKER_V2)).words(),
        "docker container 3f4e2a1b9c8d"
    );
    assert_eq!(
        Supervisor::Unknown.words(),
        "no supervisor the doctor recognises"
    );
}
