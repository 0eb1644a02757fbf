//! The host check's diagnosis, from hand-built facts.
use super::*;
use crate::checks::host::verdict::judge_files;
use crate::checks::host::{ChosenBy, HostAtRunner, HostFacts, Login, StatusRun};
use crate::hosts::HostSpec;
use crate::model::command::{Fix, RunAs};
use crate::probes::host_cli::{self, CmdResult};
use crate::probes::users::UserInfo;

pub(crate) fn user(uid: u32, name: &str) -> UserInfo {
    UserInfo {
        uid,
        name: name.into(),
        home: Some(format!("/home/{name}").into()),
    }
}
fn login() -> Login {
    Login::default()
}
pub(crate) fn exited(code: i32, stdout: &str, stderr: &str) -> CmdResult {
    CmdResult::Exited {
        code: Some(code),
        stdout: stdout.into(),
        stderr: stderr.into(),
    }
}
/// A listener (pid 42) as runner (pid 42) whose PATH finds /usr/bin/codex, with nothing gathered yet.
pub(crate) fn target(u: UserInfo) -> HostAtRunner {
    HostAtRunner {
        user: u,
        is_listener: true,
        supervisor: Some(Supervisor::Unknown),
        skip_listener: false,
        pid: Some(42),
        path: Some("/usr/bin:/bin".into()),
        path_note: "the PATH of listener pid 42".into(),
        found: Some("/usr/bin/codex".into()),
        unrunnable: vec![],
        kind: None,
        package: None,
        interpreter_version: None,
        shadowed: vec![],
        elsewhere: vec![],
        shebang: Shebang::None,
        interpreter: None,
        interpreter_elsewhere: vec![],
        root_only: vec![],
        state_env: vec![],
        login: login(),
    }
}
pub(crate) fn facts(me: UserInfo, t: HostAtRunner) -> Facts {
    Facts {
        config_denied: false,
        platform: crate::checks::host::facts::Platform {
            os: "linux".into(),
            arch: "x86_64".into(),
        },
        // A machine with sudo (as the remedies' tests were written for).
        elevation: crate::supervisors::Elevation {
            sudo: true,
            runuser: false,
            runuser_at: None,
            windows: false,
            doctor_at: None,
        },
        me,
        doctor_is_root: false,
        chosen_by: ChosenBy::Named("config.json".into()),
        unknown_host: None,
        hosts: vec![HostFacts {
            name: "codex".into(),
            binary: "codex".into(),
            login_command: "codex login".into(),
            targets: vec![t],
        }],
    }
}
fn codes(d: &Diagnosis) -> Vec<&str> {
    d.findings.iter().map(|f| f.code.as_str()).collect()
}
fn codex() -> &'static HostSpec {
    hosts::by_name("codex").unwrap()
}

#[test]
fn codex_with_its_key_in_the_listeners_environment_is_in_whatever_login_status_says() {
    let mut t = target(user(1000, "alice"));
    t.login.status = Some(StatusRun::new(
        codex(),
        "codex login status".into(),
        exited(1, "", "Not logged in\n"),
    ));
    t.login.keys = vec![hosts::KeyVar {
        name: "CODEX_API_KEY".into(),
        value: crate::redact::Secret("sk-proj-0123456789".into()),
        from: "the listener's environment".into(),
    }];
    let (state, how) = verdict::login(codex(), &t, &user(1000, "alice"), false);
    assert_eq!(state, LoginState::In);
    assert!(how.starts_with("by CODEX_API_KEY"), "{how}");
    let d = diagnose(&facts(user(1000, "alice"), t));
    assert_eq!(d.status, Status::Pass);
}

#[test]
fn logged_in_by_status_passes() {
    let mut t = target(user(1000, "alice"));
    t.login.status = Some(StatusRun::new(
        codex(),
        "/usr/bin/codex login status".into(),
        exited(0, "", "Logged in using ChatGPT"),
    ));
    let d = diagnose(&facts(user(1000, "alice"), t));
    assert_eq!(d.status, Status::Pass, "{d:?}");
    assert_eq!(
        d.summary,
        "codex login found for alice (`/usr/bin/codex login status` says \"Logged in using ChatGPT\")"
    );
}

#[test]
fn not_logged_in_names_the_login_command_as_that_user() {
    let mut t = target(user(1001, "bob"));
    t.login.creds = vec![host_cli::read_cred_file(Path::new(
        "/nonexistent/.codex/auth.json",
    ))];
    t.login.mine_logged_in = Some(false);
    let mut f = facts(user(0, "root"), t);
    f.doctor_is_root = true;
    let d = diagnose(&f);
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Fail, vec!["HOST_NOT_LOGGED_IN"])
    );
    assert_eq!(
        d.findings[0].remedy.commands,
        vec!["sudo -u bob -H /usr/bin/codex login"]
    );
    // The user is named once: "for bob (listener pid 42)", not "for bob (listener pid 42 (bob))".
    assert_eq!(d.summary, "codex is not logged in for bob (listener pid 42)");
}

#[test]
fn the_runner_is_said_in_words_made_from_its_facts() {
    let mut t = target(user(1000, "alice"));
    assert_eq!(t.runner(), "listener pid 42 (alice)");
    assert_eq!(t.runner_short(), "listener pid 42");
    t.is_listener = false;
    t.pid = None;
    assert_eq!(t.runner(), "you (alice; no listener is running)");
    assert_eq!(t.runner_short(), "you: no listener is running");
    t.skip_listener = true;
    assert_eq!(t.runner(), "you (alice; --skip listener)");
}

#[test]
fn logged_in_for_me_but_not_the_listener_user() {
    let mut t = target(user(1001, "bob"));
    t.login.creds = vec![host_cli::read_cred_file(Path::new(
        "/nonexistent/.codex/auth.json",
    ))];
    t.login.mine_logged_in = Some(true);
    let mut f = facts(user(0, "root"), t);
    f.doctor_is_root = true;
    let d = diagnose(&f);
    assert_eq!(codes(&d), vec!["HOST_LOGGED_IN_OTHER_USER"]);
    assert!(d.findings[0]
        .message
        .contains("logged in for you (root) but not for bob"));
}

#[test]
fn shell_only_keys_are_called_out() {
    let mut t = target(user(1000, "alice"));
    t.login.status = Some(StatusRun::new(
        codex(),
        "codex login status".into(),
        exited(1, "", "Not logged in"),
    ));
    t.login.shell_only_keys = vec!["OPENAI_API_KEY".into()];
    let d = diagnose(&facts(user(1000, "alice"), t));
    assert_eq!(codes(&d), vec!["HOST_NOT_LOGGED_IN"]);
    assert!(d.findings[0]
        .message
        .contains("OPENAI_API_KEY is set in your shell but not in the listener's environment"));
    assert_eq!(d.findings[0].remedy.commands, vec!["/usr/bin/codex login"]);
}

#[test]
fn a_login_command_carries_the_listeners_binary_home_and_state() {
    // The listener runs codex from its own PATH with its own HOME and CODEX_HOME, and codex is
    // a node script: pasted anywhere, the command logs in where the listener looks.
    let mut t = target(user(1001, "bob"));
    t.found = Some("/opt/ar/bin/codex".into());
    t.path = Some("/opt/ar/bin:/usr/bin".into());
    t.shebang = Shebang::Env {
        name: "node".into(),
    };
    t.interpreter = Some("/opt/ar/bin/node".into());
    t.state_env = vec![
        ("HOME".into(), "/srv/bob".into()),
        ("CODEX_HOME".into(), "/srv/bob/codex".into()),
    ];
    t.login.status = Some(StatusRun::new(
        codex(),
        "codex login status".into(),
        host_cli::CmdResult::Exited {
            code: Some(1),
            stdout: String::new(),
            stderr: "Not logged in".into(),
        },
    ));
    let d = diagnose(&facts(user(0, "root"), t.clone()));
    assert_eq!(codes(&d), vec!["HOST_NOT_LOGGED_IN"]);
    assert_eq!(
        d.findings[0].remedy.commands,
        vec![
            "sudo -u bob -H env HOME=/srv/bob CODEX_HOME=/srv/bob/codex PATH=/opt/ar/bin:/usr/bin \
                /opt/ar/bin/codex login"
        ]
    );
    // For the doctor itself (no listener): the words as the person's shell has them.
    t.is_listener = false;
    t.state_env = vec![];
    let d = diagnose(&facts(user(1001, "bob"), t));
    assert_eq!(d.findings[0].remedy.commands, vec!["codex login"]);
}

#[test]
fn another_user_without_root_is_unverified_with_the_command() {
    let mut t = target(user(1001, "bob"));
    t.login.not_run = Some("the doctor runs as alice, not bob".into());
    let d = diagnose(&facts(user(1000, "alice"), t));
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Warn, vec!["HOST_LOGIN_UNVERIFIED"])
    );
    assert_eq!(
        d.findings[0].remedy.commands,
        vec!["sudo -u bob -H /usr/bin/codex login status"]
    );
    // An unreadable PATH is unverified too, not "not found".
    let mut t = target(user(1001, "bob"));
    t.path = None;
    let d = diagnose(&facts(user(1000, "alice"), t));
    assert_eq!(codes(&d), vec!["HOST_LOGIN_UNVERIFIED"]);
}

#[test]
fn missing_from_the_listener_path_says_where_it_is() {
    let mut t = target(user(1000, "alice"));
    t.found = None;
    t.elsewhere = vec!["/home/alice/.nvm/versions/node/v20/bin/codex".into()];
    t.supervisor = Some(Supervisor::SystemdSystem {
        unit: "agent-rooms.service".into(),
    });
    let d = diagnose(&facts(user(1000, "alice"), t.clone()));
    assert_eq!(codes(&d), vec!["HOST_NOT_FOUND"]);
    assert_eq!(
        d.findings[0].message,
        "codex is in /home/alice/.nvm/versions/node/v20/bin, which the PATH of listener pid 42 lacks"
    );
    assert_eq!(
        d.findings[0].remedy.commands,
        vec![
            "sudo ln -s /home/alice/.nvm/versions/node/v20/bin/codex /usr/bin/codex",
            "sudo systemctl edit agent-rooms.service",
            "sudo systemctl restart agent-rooms.service"
        ]
    );
    // Two ways, one or the other: the link (nothing to restart), or the PATH and its restart.
    let r = &d.findings[0].remedy;
    assert_eq!(
        r.steps[0],
        "Link codex into /usr/bin, a directory on the listener's PATH: nothing needs a restart."
    );
    assert_eq!((r.or_from, r.specific), (Some(1), 2));
    let step = &r.steps[1];
    assert!(
        step.starts_with(
            "Or give the listener a PATH with /home/alice/.nvm/versions/node/v20/bin."
        ) && step.contains("Environment=PATH=/home/alice/.nvm/versions/node/v20/bin:/usr/bin:/bin"),
        "{step}"
    );
    // fix runs neither of the other way's commands.
    assert!(r.commands[1..].iter().all(|c| c.fix == Fix::Shown));
    // alice can rewrite her copy: root links it into /usr/bin only on a person's own answer.
    assert_eq!(d.findings[0].remedy.commands[0].fix, Fix::Ask);
    let mut root_only = t.clone();
    root_only.root_only = root_only.elsewhere.clone();
    let d = diagnose(&facts(user(1000, "alice"), root_only));
    assert_eq!(d.findings[0].remedy.commands[0].fix, Fix::Safe);
    // Into a directory of the listener's own PATH that is not a system one: as alice, safe.
    let mut own = t.clone();
    own.path = Some("/home/alice/bin:/opt/x".into());
    let d = diagnose(&facts(user(1000, "alice"), own));
    let c = &d.findings[0].remedy.commands[0];
    assert_eq!(
        (c.line.as_str(), &c.run_as, c.fix),
        (
            "ln -s /home/alice/.nvm/versions/node/v20/bin/codex /home/alice/bin/codex",
            &RunAs::User {
                name: "alice".into(),
                uid: 1000
            },
            Fix::Safe
        )
    );
    // Under pm2: the restart that re-reads the environment.
    t.supervisor = Some(Supervisor::Pm2 {
        name: "ar-listen".into(),
        id: Some("0".into()),
        pm2_home: None,
        out_log: None,
        err_log: None,
        bin: None,
    });
    let d = diagnose(&facts(user(1000, "alice"), t.clone()));
    assert_eq!(
        d.findings[0].remedy.commands[1],
        "env PATH=/home/alice/.nvm/versions/node/v20/bin:/usr/bin:/bin pm2 restart ar-listen --update-env"
    );
    // Not installed anywhere: install it, then restart through the supervisor.
    t.elsewhere = vec![];
    let d = diagnose(&facts(user(1000, "alice"), t.clone()));
    assert_eq!(
        d.findings[0].remedy.commands,
        vec!["pm2 restart ar-listen --update-env"]
    );
    assert!(d.findings[0].remedy.steps[0].starts_with("Install codex for alice"));
    // The doctor itself (no listener): install, no restart command.
    t.supervisor = None;
    t.pid = None;
    let d = diagnose(&facts(user(1000, "alice"), t));
    assert!(d.findings[0].remedy.commands.is_empty());
}

#[test]
fn a_listener_in_a_container_is_judged_inside_it_not_here() {
    let mut t = target(user(1000, "alice"));
    t.found = None; // not on this machine's view of its PATH: not a finding here
    t.supervisor = Some(Supervisor::Container {
        runtime: crate::probes::supervision::Runtime::Docker,
        id: Some("3f4e2a1b9c8d".into()),
    });
    let d = diagnose(&facts(user(1000, "alice"), t.clone()));
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Warn, vec!["HOST_LOGIN_UNVERIFIED"])
    );
    assert!(d.findings[0]
        .message
        .contains("runs in docker container 3f4e2a1b9c8d"));
    assert_eq!(
        d.findings[0].remedy.commands,
        vec!["docker exec 3f4e2a1b9c8d agent-rooms-doctor host"]
    );
    t.supervisor = Some(Supervisor::Container {
        runtime: crate::probes::supervision::Runtime::Kubernetes,
        id: None,
    });
    assert!(diagnose(&facts(user(1000, "alice"), t)).findings[0]
        .remedy
        .commands
        .is_empty());
}

#[test]
fn a_missing_node_is_an_interpreter_problem() {
    let mut t = target(user(1000, "alice"));
    t.shebang = Shebang::Env {
        name: "node".into(),
    };
    t.interpreter_elsewhere = vec!["/opt/node/bin/node".into()];
    let d = diagnose(&facts(user(1000, "alice"), t));
    assert_eq!(codes(&d), vec!["HOST_INTERPRETER_MISSING"]);
    assert!(d.findings[0].message.contains("node is in /opt/node/bin"));
    let mut t = target(user(1000, "alice"));
    t.shebang = Shebang::Path {
        path: "/nope/python".into(),
    };
    assert_eq!(
        codes(&diagnose(&facts(user(1000, "alice"), t))),
        vec!["HOST_INTERPRETER_MISSING"]
    );
}

#[test]
fn the_hosts_own_doctor_is_folded_in_in_its_words() {
    let mut t = target(user(1000, "alice"));
    t.login.status = Some(StatusRun::new(
        codex(),
        "codex login status".into(),
        exited(0, "", "Logged in using ChatGPT\n"),
    ));
    t.login.self_check = Some((
        "codex doctor --json".into(),
        Ok(vec![
            hosts::HostCheck {
                id: "network.provider_reachability".into(),
                category: "reachability".into(),
                status: hosts::HostStatus::Fail,
                summary: "one or more required provider endpoints are unreachable over HTTP".into(),
                remediation: Some(
                    "Check proxy, VPN, firewall, DNS, and custom CA configuration.".into(),
                ),
            },
            hosts::HostCheck {
                id: "updates.status".into(),
                category: "updates".into(),
                status: hosts::HostStatus::Warning,
                summary: "update configuration is locally consistent".into(),
                remediation: None,
            },
        ]),
    ));
    let d = diagnose(&facts(user(1000, "alice"), t.clone()));
    assert_eq!(d.status, Status::Fail);
    assert_eq!(codes(&d), vec!["HOST_SELF_CHECK", "HOST_SELF_CHECK"]);
    assert_eq!(
        d.findings[0].message,
        "`codex doctor --json` reports network.provider_reachability (reachability, fail): one or \
            more required provider endpoints are unreachable over HTTP"
    );
    assert_eq!(
        d.findings[0].remedy.steps[0],
        "codex suggests: Check proxy, VPN, firewall, DNS, and custom CA configuration."
    );
    t.login.self_check = Some((
        "codex doctor --json".into(),
        Err("it took over 100 ms".into()),
    ));
    let d = diagnose(&facts(user(1000, "alice"), t));
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Warn, vec!["HOST_SELF_CHECK"])
    );
}

#[test]
fn an_unusable_token_is_not_a_login() {
    let mut t = target(user(1000, "alice"));
    t.login.keys = vec![hosts::KeyVar {
        name: "GH_TOKEN".into(),
        value: crate::redact::Secret("ghp_classic0123456789".into()),
        from: "the listener's environment".into(),
    }];
    let mut f = facts(user(1000, "alice"), t);
    f.hosts[0].name = "copilot".into();
    f.hosts[0].binary = "copilot".into();
    f.hosts[0].login_command = "copilot".into();
    let d = diagnose(&f);
    assert_eq!(
        (d.status, codes(&d)),
        (Status::Fail, vec!["HOST_NOT_LOGGED_IN"])
    );
    assert!(d.findings[0]
        .message
        .contains("classic personal access token"));
}

#[test]
fn nothing_configured_or_unknown() {
    let mut f = facts(user(1000, "alice"), target(user(1000, "alice")));
    f.hosts.clear();
    assert_eq!(codes(&diagnose(&f)), vec!["HOST_NOT_CONFIGURED"]);
    // Issue 39: config.json the doctor may not read names no host that is known here: the
    // host is unknown, not unconfigured (the token check says NOT_READABLE).
    f.config_denied = true;
    let d = diagnose(&f);
    assert_eq!((d.status, codes(&d)), (Status::Skip, vec![]));
    f.config_denied = false;
    f.unknown_host = Some("vim".into());
    assert_eq!(codes(&diagnose(&f)), vec!["CONFIG_INVALID"]);
}

#[test]
fn files_and_keys_judge_hosts_without_status() {
    let mut l = login();
    l.keys = vec![hosts::KeyVar {
        name: "GEMINI_API_KEY".into(),
        value: crate::redact::Secret("AIzaSyExample0123456789".into()),
        from: "/home/alice/.gemini/.env".into(),
    }];
    let g = hosts::by_name("gemini").unwrap();
    assert_eq!(
        judge_files(g, &l),
        (
            LoginState::In,
            "by GEMINI_API_KEY in /home/alice/.gemini/.env".to_string()
        )
    );
    assert_eq!(
        judge_files(hosts::by_name("copilot").unwrap(), &login()).0,
        LoginState::Unknown
    );
    assert_eq!(judge_files(g, &login()).0, LoginState::Out);
}
