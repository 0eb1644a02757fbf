//! Several agents on one machine (CONTRACT §1 "Which installation is judged"): listeners that
//! share no home, token or agent_id are different agents, never duplicates; the doctor judges
//! one (its own user's, `--home`'s, the only one) and names the `--home` that judges each other;
//! `--skip listener` looks at no running listener at all.

mod common;

use common::{check, codes, other_user, Fixture, OTHER_USER, SYSTEM_PATH};
use std::path::Path;

/// Start the fake listener with this HOME and agent-rooms home.
fn listen(f: &mut Fixture, home: &Path, ar_home: &Path) -> u32 {
    let script = f.listener_script(&f.dir.path().join("lbin"));
    let home = home.display().to_string();
    let ar = ar_home.display().to_string();
    f.spawn(
        &["/bin/sh", script.to_str().unwrap(), "watch"],
        &[
            ("HOME", &home),
            ("PATH", "/usr/bin:/bin"),
            ("AGENT_ROOMS_HOME", &ar),
        ],
    )
}

fn pids(v: &serde_json::Value) -> Vec<u64> {
    check(v, "listener")["facts"]["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["pid"].as_u64().unwrap())
        .collect()
}

fn other_agents(v: &serde_json::Value) -> Vec<serde_json::Value> {
    check(v, "listener")["facts"]["other_agents"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn two_agents_as_root_are_not_duplicates_and_each_is_judged_with_its_home() {
    let mut f = Fixture::with_listeners();
    f.write(
        "config.json",
        r#"{"token": "ar_live_agentAAAAAAAAAAAAAAAAAAAAA"}"#,
    );
    let b_home = f.dir.path().join("b-home");
    std::fs::create_dir_all(&b_home).unwrap();
    std::fs::write(
        b_home.join("config.json"),
        r#"{"token": "ar_live_agentBBBBBBBBBBBBBBBBBBBBB"}"#,
    )
    .unwrap();
    let (home, ar_home) = (f.home.clone(), f.ar_home.clone());
    let a = listen(&mut f, &home, &ar_home) as u64;
    let b = listen(&mut f, &home, &b_home) as u64;

    let run: &[&str] = &["listener"];
    f.human(
        "two_agents_as_root_are_not_duplicates_and_each_is_judged_with_its_home-1",
        run,
    );
    let (_, v, _) = f.json(run);
    assert!(
        !codes(&v, "listener").contains(&"LISTENER_DUPLICATE".to_string()),
        "{v}"
    );
    assert_eq!(
        pids(&v),
        vec![a],
        "the doctor's own home's agent is judged: {v}"
    );
    let others: Vec<serde_json::Value> = other_agents(&v)
        .into_iter()
        .filter(|o| o["pids"].as_array().unwrap().contains(&b.into()))
        .collect();
    assert_eq!(others.len(), 1, "{v}");
    assert_eq!(others[0]["home"], b_home.display().to_string());
    let summary = check(&v, "listener")["summary"].as_str().unwrap();
    assert!(
        summary.contains(&format!("agent-rooms-doctor --home {}", b_home.display())),
        "{summary}"
    );

    // The --home it names judges the other agent, and only it.
    let run: &[&str] = &["listener", "--home", b_home.to_str().unwrap()];
    f.human(
        "two_agents_as_root_are_not_duplicates_and_each_is_judged_with_its_home-2",
        run,
    );
    let (_, v, _) = f.json(run);
    assert_eq!(pids(&v), vec![b], "{v}");
    assert!(other_agents(&v)
        .iter()
        .any(|o| o["pids"].as_array().unwrap().contains(&a.into())));

    // Two listeners of one home are one agent twice: that is a duplicate.
    let a2 = listen(&mut f, &home, &ar_home) as u64;
    let run: &[&str] = &["listener"];
    f.human(
        "two_agents_as_root_are_not_duplicates_and_each_is_judged_with_its_home-3",
        run,
    );
    let (_, v, _) = f.json(run);
    assert_eq!(pids(&v), vec![a, a2], "{v}");
    assert!(
        codes(&v, "listener").contains(&"LISTENER_DUPLICATE".to_string()),
        "{v}"
    );
}

#[test]
fn listeners_that_share_a_token_are_one_agent_though_their_homes_differ() {
    let mut f = Fixture::with_listeners();
    let token = r#"{"token": "ar_live_sharedSSSSSSSSSSSSSSSSSSSSS"}"#;
    f.write("config.json", token);
    let copy = f.dir.path().join("copy-home");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::write(copy.join("config.json"), token).unwrap();
    let (home, ar_home) = (f.home.clone(), f.ar_home.clone());
    let a = listen(&mut f, &home, &ar_home) as u64;
    let b = listen(&mut f, &home, &copy) as u64;
    let run: &[&str] = &["listener"];
    f.human(
        "listeners_that_share_a_token_are_one_agent_though_their_homes_differ-1",
        run,
    );
    let (_, v, _) = f.json(run);
    assert_eq!(pids(&v), vec![a, b], "{v}");
    assert!(
        codes(&v, "listener").contains(&"LISTENER_DUPLICATE".to_string()),
        "{v}"
    );
}

#[test]
fn a_normal_user_beside_a_root_listener_judges_their_own() {
    let Some((uid, gid)) = other_user() else {
        return;
    };
    let mut f = Fixture::with_listeners();
    let (home, ar_home) = (f.home.clone(), f.ar_home.clone());
    let root_pid = listen(&mut f, &home, &ar_home) as u64;
    // Their own home and listener.
    let theirs = f.dir.path().join("their-home");
    let their_ar = theirs.join(".config/agent-rooms");
    std::fs::create_dir_all(&their_ar).unwrap();
    std::fs::write(their_ar.join("config.json"), r#"{"host": "codex"}"#).unwrap();
    for p in [
        &theirs,
        &theirs.join(".config"),
        &their_ar,
        &their_ar.join("config.json"),
    ] {
        nix::unistd::chown(p.as_path(), Some(uid.into()), Some(gid.into())).unwrap();
    }
    let script = f.listener_script(&f.dir.path().join("lbin"));
    // runuser sets HOME to the passwd home: `env` gives them this one.
    let their_home = format!("HOME={}", theirs.display());
    let runuser = which::which("runuser").unwrap();
    let wrapper = f.spawn(
        &[
            runuser.to_str().unwrap(),
            "-u",
            OTHER_USER,
            "--",
            "/usr/bin/env",
            &their_home,
            "/bin/sh",
            script.to_str().unwrap(),
            "watch",
        ],
        &[("PATH", "/usr/bin:/bin")],
    );
    let their_pid = f
        .wait_child(wrapper)
        .expect("runuser starts their listener") as u64;

    let doctor = assert_cmd::cargo::cargo_bin("agent-rooms-doctor");
    let out = std::process::Command::new(which::which("runuser").unwrap())
        .args(["-u", OTHER_USER, "--", "/usr/bin/env", &their_home])
        .arg(&doctor)
        .args(["listener", "--json"])
        .env_clear()
        .env("PATH", SYSTEM_PATH)
        .output()
        .unwrap();
    let v: serde_json::Value = common::document(&out.stdout);
    assert_eq!(
        pids(&v),
        vec![their_pid],
        "their own listener is judged: {v}"
    );
    let c = codes(&v, "listener");
    assert!(
        !c.contains(&"LISTENER_DUPLICATE".to_string())
            && !c.contains(&"LISTENER_OTHER_USER".to_string()),
        "root's listener is another agent, not theirs to fix: {v}"
    );
    assert!(other_agents(&v)
        .iter()
        .any(|o| o["pids"].as_array().unwrap().contains(&root_pid.into())));
    assert_eq!(
        check(&v, "listener")["facts"]["home"]["path"],
        their_ar.display().to_string()
    );
}

#[test]
fn a_ci_run_with_skip_listener_judges_its_own_home_beside_an_unrelated_listener() {
    let mut f = Fixture::with_listeners();
    // An unrelated agent runs on the runner, with its own token in its environment.
    let unrelated = f.dir.path().join("unrelated");
    std::fs::create_dir_all(&unrelated).unwrap();
    let script = f.listener_script(&f.dir.path().join("lbin"));
    let home = f.home.display().to_string();
    let un = unrelated.display().to_string();
    f.spawn(
        &["/bin/sh", script.to_str().unwrap(), "watch"],
        &[
            ("HOME", &home),
            ("PATH", "/usr/bin:/bin"),
            ("AGENT_ROOMS_HOME", &un),
            ("AGENT_ROOMS_TOKEN", "ar_live_unrelatedUUUUUUUUUUUUUUUU"),
        ],
    );
    // $HOME's installation is what the CI job checks.
    f.write(
        "config.json",
        r#"{"api_url": "http://127.0.0.1:9", "token": "ar_live_ciCCCCCCCCCCCCCCCCCCCCCCCC"}"#,
    );
    let run: &[&str] = &["--skip", "listener", "--timeout", "3"];
    f.human(
        "a_ci_run_with_skip_listener_judges_its_own_home_beside_an_unrelated_listener-1",
        run,
    );
    let (_, v, _) = f.json(run);
    let token = check(&v, "token");
    assert!(
        !codes(&v, "token").contains(&"TOKEN_LISTENER_MISMATCH".to_string()),
        "no running listener is looked at: {v}"
    );
    let text = token.to_string();
    assert!(!text.contains("listener pid"), "{text}");
    let api = check(&v, "api");
    assert!(
        api["facts"]["seen_as"]["listener_pid"].is_null(),
        "judged as the doctor's own environment: {api}"
    );
}
