//! Diagnosis for the host check: pure, from the gathered facts to findings. For each host and
//! each place: judged at all (the listener's environment readable)? on its PATH? able to start
//! (its `#!` interpreter)? logged in (see verdict.rs)?

use std::path::Path;

use super::{verdict, Facts, Target};
use crate::hosts::{self, LoginState};
use crate::model::outcome::{Diagnosis, Finding, Status};
use crate::probes::paths::Shebang;
use crate::probes::supervision::Supervisor;
use crate::probes::users::UserInfo;
use crate::supervisors::{self, as_user, Listener};

/// The listener this target is, for the supervisor's remedies (None for the doctor itself).
fn listener<'a>(t: &'a Target, me: &'a UserInfo) -> Option<(&'a Supervisor, Listener<'a>)> {
    Some((
        t.supervisor.as_ref()?,
        Listener {
            pid: t.pid?,
            user: &t.user,
            me,
        },
    ))
}

/// The directory on `path` to link a missing binary into: /usr/local/bin or /usr/bin when the
/// PATH has them, else its first entry.
fn link_dir(path: &str) -> String {
    let dirs: Vec<&str> = path.split(':').filter(|d| !d.is_empty()).collect();
    ["/usr/local/bin", "/usr/bin"]
        .into_iter()
        .find(|d| dirs.contains(d))
        .or(dirs.first().copied())
        .unwrap_or("/usr/local/bin")
        .to_string()
}

fn dir_of(p: &Path) -> String {
    p.parent()
        .map(|d| d.display().to_string())
        .unwrap_or_default()
}

pub fn diagnose(f: &Facts) -> Diagnosis {
    let mut found = vec![];
    if let Some(name) = &f.unknown_host {
        let known = hosts::names();
        found.push((
            Status::Fail,
            Finding::new(
                "CONFIG_INVALID",
                format!(
                    "host {name:?} ({}) is not a known host CLI; known: {}",
                    f.chosen_by,
                    known.join(", ")
                ),
            ),
        ));
        return Diagnosis::from_findings("the configured host is not known", found);
    }
    if f.hosts.is_empty() {
        let binaries: Vec<&str> = hosts::HOSTS.iter().map(|h| h.binary).collect();
        found.push((Status::Fail, Finding::new("HOST_NOT_CONFIGURED", format!("no host is configured (no --host, no `host` in config.json) and no known host CLI ({}) is on PATH", binaries.join(", ")))));
        return Diagnosis::from_findings("no host CLI configured or found", found);
    }
    let mut good = vec![];
    for h in &f.hosts {
        let spec = hosts::by_name(&h.name);
        for t in &h.targets {
            // Inside a container the host CLI and its login are the container's, not this
            // machine's: say so rather than judge the wrong file system.
            if let Some(Supervisor::Container { runtime, id }) = &t.supervisor {
                let inside = match id {
                    Some(id) if runtime != "kubernetes" => {
                        vec![format!("{runtime} exec {id} agent-rooms-doctor host")]
                    }
                    _ => vec![],
                };
                found.push((
                    Status::Warn,
                    Finding::new(
                        "HOST_LOGIN_UNVERIFIED",
                        format!(
                            "{}: {} runs in {}: {} and its login live inside it, which the doctor does not judge from outside",
                            h.name,
                            t.who,
                            t.supervisor.as_ref().map(|s| s.words()).unwrap_or_default(),
                            h.binary
                        ),
                    )
                    .with_commands(inside),
                ));
                continue;
            }
            let Some(path) = &t.path else {
                found.push((
                    Status::Warn,
                    Finding::new(
                        "HOST_LOGIN_UNVERIFIED",
                        format!(
                            "{}: cannot judge {} for {}: {}",
                            h.name, h.binary, t.who, t.path_note
                        ),
                    )
                    .with_commands(vec![format!(
                        "sudo -u {} -H agent-rooms-doctor host",
                        t.user.name
                    )]),
                ));
                continue;
            };
            let Some(bin) = &t.found else {
                let mut msg = format!(
                    "{} is not on {} ({})",
                    h.binary,
                    t.path_note,
                    if path.is_empty() {
                        "empty PATH".into()
                    } else {
                        path.clone()
                    }
                );
                let mut cmds = vec![];
                if let Some(e) = t.elsewhere.first() {
                    msg = format!(
                        "{} is in {}, which {} lacks",
                        h.binary,
                        dir_of(e),
                        t.path_note
                    );
                    cmds.push(format!(
                        "sudo ln -s {} {}/{}",
                        e.display(),
                        link_dir(path),
                        h.binary
                    ));
                }
                let mut fnd = Finding::new("HOST_NOT_FOUND", msg);
                match (t.elsewhere.first(), listener(t, &f.me)) {
                    // Link it into a directory the listener's PATH has (no restart needed), or
                    // give the listener a PATH with its directory, the way its supervisor takes it.
                    (Some(e), Some((sup, l))) => {
                        let (step, more) = supervisors::prepend_path(sup, &l, &dir_of(e), path);
                        cmds.extend(more);
                        fnd = fnd.with_step_first(format!("Either link {} into {}, a directory on the listener's PATH (the first command), or give the listener a PATH with {}. {step}", h.binary, link_dir(path), dir_of(e)));
                    }
                    (None, Some((sup, l))) => {
                        let (step, more) = supervisors::restart(sup, &l);
                        cmds.extend(more);
                        fnd = fnd.with_step_first(format!("Install {} for {} (see the host's docs), then restart the listener. {step}", h.binary, t.user.name));
                    }
                    (None, None) => {
                        fnd = fnd.with_step_first(format!(
                            "Install {} for {} (see the host's docs), then restart the listener.",
                            h.binary, t.user.name
                        ))
                    }
                    (Some(_), None) => {}
                }
                let fnd = fnd.with_commands(cmds);
                found.push((Status::Fail, fnd));
                continue;
            };
            match (&t.shebang, &t.interpreter) {
                (Shebang::Env { name }, None) => {
                    let mut cmds = vec![];
                    let mut msg = format!(
                        "{} ({}) starts with `#!/usr/bin/env {name}`, but {name} is not on {}",
                        h.binary,
                        bin.display(),
                        t.path_note
                    );
                    let mut step = None;
                    if let Some(e) = t.interpreter_elsewhere.first() {
                        msg.push_str(&format!("; {name} is in {}", dir_of(e)));
                        cmds.push(format!(
                            "sudo ln -s {} {}/{name}",
                            e.display(),
                            link_dir(path)
                        ));
                        if let Some((sup, l)) = listener(t, &f.me) {
                            let (s, more) = supervisors::prepend_path(sup, &l, &dir_of(e), path);
                            cmds.extend(more);
                            step = Some(format!("Either link {name} into {}, a directory on the listener's PATH (the first command), or give the listener a PATH with {}. {s}", link_dir(path), dir_of(e)));
                        }
                    }
                    let mut fnd = Finding::new("HOST_INTERPRETER_MISSING", msg).with_commands(cmds);
                    if let Some(s) = step {
                        fnd = fnd.with_step_first(s);
                    }
                    found.push((Status::Fail, fnd));
                    continue;
                }
                (Shebang::Path { path: p }, None) => {
                    found.push((
                        Status::Fail,
                        Finding::new(
                            "HOST_INTERPRETER_MISSING",
                            format!(
                                "{} ({}) needs {}, which does not exist or is not executable",
                                h.binary,
                                bin.display(),
                                p.display()
                            ),
                        ),
                    ));
                    continue;
                }
                _ => {}
            }
            let Some(spec) = spec else { continue };
            let (state, how) = verdict::login(spec, t, &f.me, f.doctor_is_root);
            let shell_only = if t.login.shell_only_keys.is_empty() {
                String::new()
            } else {
                format!(" ({} is set in your shell but not in the listener's environment, so it does not help the listener)", t.login.shell_only_keys.join(", "))
            };
            match state {
                LoginState::In => good.push(format!("{} login found for {} ({how})", h.name, t.user.name)),
                LoginState::Unusable => found.push((
                    Status::Fail,
                    Finding::new("HOST_NOT_LOGGED_IN", format!("{} cannot use what is set for {} ({}): {how}", h.name, t.user.name, t.who))
                        .with_commands(vec![as_user(&t.user, &f.me, &h.login_command)]),
                )),
                LoginState::Out if t.user.uid != f.me.uid && t.login.mine_logged_in == Some(true) => found.push((
                    Status::Fail,
                    Finding::new("HOST_LOGGED_IN_OTHER_USER", format!("{} is logged in for you ({}) but not for {}, the listener's user: {how}{shell_only}", h.name, f.me.name, t.user.name))
                        .with_commands(vec![as_user(&t.user, &f.me, &h.login_command)]),
                )),
                LoginState::Out => found.push((
                    Status::Fail,
                    Finding::new("HOST_NOT_LOGGED_IN", format!("{} is not logged in for {} ({}): {how}{shell_only}", h.name, t.user.name, t.who))
                        .with_commands(vec![as_user(&t.user, &f.me, &h.login_command)]),
                )),
                LoginState::Unknown => {
                    let status_cmd = spec.status_args.map(|a| format!("{} {}", h.binary, a.join(" "))).unwrap_or_else(|| h.binary.clone());
                    found.push((
                        Status::Warn,
                        Finding::new("HOST_LOGIN_UNVERIFIED", format!("cannot tell whether {} is logged in for {} ({}): {how}{shell_only}", h.name, t.user.name, t.who))
                            .with_commands(vec![as_user(&t.user, &f.me, &status_cmd)]),
                    ))
                }
            }
        }
    }
    let summary = if found.is_empty() {
        good.join("; ")
    } else {
        // Each finding's message up to its details: "codex is not logged in for bob (…)".
        let heads: Vec<&str> = found
            .iter()
            .map(|(_, f)| f.message.split(": ").next().unwrap_or(&f.message))
            .collect();
        match heads.len() {
            1 | 2 => heads.join("; "),
            n => format!("{}; and {} more", heads[..2].join("; "), n - 2),
        }
    };
    Diagnosis::from_findings(summary, found)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::checks::host::verdict::judge_files;
    use crate::checks::host::{HostFacts, Login, Target};
    use crate::hosts::HostSpec;
    use crate::probes::host_cli::{self, CmdResult};

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
    fn exited(code: i32, stdout: &str, stderr: &str) -> CmdResult {
        CmdResult::Exited {
            code: Some(code),
            stdout: stdout.into(),
            stderr: stderr.into(),
        }
    }
    /// A listener's place (pid 42) whose PATH finds /usr/bin/codex, with nothing gathered yet.
    pub(crate) fn target(u: UserInfo) -> Target {
        Target {
            who: format!("listener pid 42 ({})", u.name),
            user: u,
            is_listener: true,
            supervisor: Some(Supervisor::Unknown),
            pid: Some(42),
            path: Some("/usr/bin:/bin".into()),
            path_note: "the PATH of listener pid 42".into(),
            found: Some("/usr/bin/codex".into()),
            shadowed: vec![],
            elsewhere: vec![],
            shebang: Shebang::None,
            interpreter: None,
            interpreter_elsewhere: vec![],
            login: login(),
        }
    }
    fn facts(me: UserInfo, t: Target) -> Facts {
        Facts {
            me,
            doctor_is_root: false,
            chosen_by: "config.json".into(),
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
        t.login.status = Some((
            "codex login status".into(),
            exited(1, "", "Not logged in\n"),
        ));
        t.login.keys = vec![hosts::KeyVar {
            name: "CODEX_API_KEY".into(),
            value: "sk-proj-0123456789".into(),
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
        t.login.status = Some((
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
            vec!["sudo -u bob -H codex login"]
        );
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
        t.login.status = Some(("codex login status".into(), exited(1, "", "Not logged in")));
        t.login.shell_only_keys = vec!["OPENAI_API_KEY".into()];
        let d = diagnose(&facts(user(1000, "alice"), t));
        assert_eq!(codes(&d), vec!["HOST_NOT_LOGGED_IN"]);
        assert!(d.findings[0]
            .message
            .contains("OPENAI_API_KEY is set in your shell but not in the listener's environment"));
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
            vec!["sudo -u bob -H codex login status"]
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
        assert_eq!(d.findings[0].message, "codex is in /home/alice/.nvm/versions/node/v20/bin, which the PATH of listener pid 42 lacks");
        assert_eq!(
            d.findings[0].remedy.commands,
            vec![
                "sudo ln -s /home/alice/.nvm/versions/node/v20/bin/codex /usr/bin/codex",
                "sudo systemctl edit agent-rooms.service",
                "sudo systemctl restart agent-rooms.service"
            ]
        );
        let step = &d.findings[0].remedy.steps[0];
        assert!(
            step.contains("Environment=PATH=/home/alice/.nvm/versions/node/v20/bin:/usr/bin:/bin"),
            "{step}"
        );
        // Under pm2: the restart that re-reads the environment.
        t.supervisor = Some(Supervisor::Pm2 {
            name: "ar-listen".into(),
            id: Some("0".into()),
            pm2_home: None,
            out_log: None,
            err_log: None,
        });
        let d = diagnose(&facts(user(1000, "alice"), t.clone()));
        assert_eq!(
            d.findings[0].remedy.commands[1],
            "PATH=/home/alice/.nvm/versions/node/v20/bin:$PATH pm2 restart ar-listen --update-env"
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
            runtime: "docker".into(),
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
            runtime: "kubernetes".into(),
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
    fn an_unusable_token_is_not_a_login() {
        let mut t = target(user(1000, "alice"));
        t.login.keys = vec![hosts::KeyVar {
            name: "GH_TOKEN".into(),
            value: "ghp_classic0123456789".into(),
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
        f.unknown_host = Some("vim".into());
        assert_eq!(codes(&diagnose(&f)), vec!["CONFIG_INVALID"]);
    }

    #[test]
    fn files_and_keys_judge_hosts_without_status() {
        let mut l = login();
        l.keys = vec![hosts::KeyVar {
            name: "GEMINI_API_KEY".into(),
            value: "AIzaSyExample0123456789".into(),
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
}
