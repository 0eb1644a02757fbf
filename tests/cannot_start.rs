//! HOST_CANNOT_START end to end: a host CLI on the listener's PATH that cannot start is never a
//! pass, whatever its login files say. The real `@openai/codex` 0.169 installed with
//! `--omit=optional` (no platform package) and the real `@anthropic-ai/claude-code` 2.1 installed
//! with `--ignore-scripts` (its placeholder never replaced), both installed by `.ci/run` under
//! ~/.cache/agent-rooms-doctor-test/broken; a dangling link, a file without its execute bit, and a
//! `node` stand-in printing a real old version in front of the real codex. The doctor runs in a
//! network namespace of its own without network (`unshare -n`), as with the real hosts.

mod common;

use common::{check, codes, hosts_bin, prerequisite, test_cache, unshare, Fixture};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// A broken install `.ci/run` made: `name` (`codex-omit-optional`, `claude-ignore-scripts`).
fn broken(name: &str, program: &str) -> Option<PathBuf> {
    let dir = test_cache("AGENT_ROOMS_DOCTOR_BROKEN", "broken")?.join(name);
    prerequisite(
        &format!("the broken install {name} (.ci/run makes it under ~/.cache/agent-rooms-doctor-test/broken)"),
        dir.join("node_modules/.bin").join(program).exists().then_some(dir),
    )
}

/// A stored login for codex (an API key, as `codex login --with-api-key` writes it).
fn stored_codex_login(f: &Fixture) {
    std::fs::create_dir_all(f.home.join(".codex")).unwrap();
    std::fs::write(
        f.home.join(".codex/auth.json"),
        r#"{"auth_mode": "apikey", "OPENAI_API_KEY": "sk-test-storedkey0123456789"}"#,
    )
    .unwrap();
}

/// The doctor's host check, human (held against `snapshot` when given) then JSON, in a network
/// namespace without network; every printed command resolves where it would be pasted.
fn host(f: &Fixture, snapshot: Option<&str>, unshare: &Path) -> (i32, String, serde_json::Value) {
    let path = format!("{}:{}", f.bin.display(), common::SYSTEM_PATH);
    let run = |json: bool| common::host_without_network(f, unshare, json);
    let out = run(false);
    let code = out.status.code().unwrap_or(-1);
    let text = common::all_text(&out);
    if let Some(name) = snapshot {
        common::snapshot(name, &format!("{text}[exit {code}]\n"));
    }
    common::printed_commands_resolve(&text, &path, snapshot.unwrap_or("cannot_start"));
    let out = run(true);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    common::replays_as_recorded(&stdout);
    let v = common::document(stdout.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(code),
        "human and JSON agree on the exit code"
    );
    (code, text, v)
}

fn finding(v: &serde_json::Value) -> &serde_json::Value {
    &check(v, "host")["findings"][0]
}

fn message(v: &serde_json::Value) -> &str {
    finding(v)["message"].as_str().unwrap()
}

fn commands(v: &serde_json::Value) -> Vec<&str> {
    finding(v)["remedy"]["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect()
}

#[test]
fn the_real_codex_without_its_platform_package_cannot_start_though_a_login_is_stored() {
    let (Some(dir), Some(unshare)) = (broken("codex-omit-optional", "codex"), unshare()) else {
        return;
    };
    let mut f = Fixture::with_listeners();
    stored_codex_login(&f);
    f.listen_for_host("codex", &dir.join("node_modules/.bin"), &[]);
    let (code, text, v) = host(&f, None, &unshare);
    assert_eq!(code, 1, "{text}");
    assert_eq!(codes(&v, "host"), ["HOST_CANNOT_START"], "{v}");
    let (os, cpu) = (
        if cfg!(target_os = "linux") {
            "linux"
        } else {
            "other"
        },
        if cfg!(target_arch = "aarch64") {
            "arm64"
        } else {
            "x64"
        },
    );
    let m = message(&v);
    assert!(m.starts_with("codex cannot start for listener pid"), "{m}");
    assert!(m.contains(&format!("@openai/codex 0.169.0 in {}/node_modules/@openai/codex lacks its platform package @openai/codex-{os}-{cpu}", dir.display())), "{m}");
    assert!(
        m.ends_with("/.codex/auth.json holds a stored login, which is no use until codex starts"),
        "{m}"
    );
    assert_eq!(
        commands(&v),
        [format!(
            "npm install --prefix {} @openai/codex@0.169.0",
            dir.display()
        )]
    );
    // The status command really died: its crash is in the facts, the login files never passed it.
    let status = &check(&v, "host")["facts"]["hosts"][0]["targets"][0]["login"]["status"];
    assert_eq!(status["crash"]["kind"], "threw", "{status}");
    assert!(!text.contains("pass  host"), "{text}");
    assert!(
        !text.contains("codex login\n"),
        "never sent to log in: {text}"
    );
    assert!(!v.to_string().contains("storedkey"), "the key leaked: {v}");
}

#[test]
fn the_real_claude_installed_without_its_install_script_is_a_placeholder() {
    let (Some(dir), Some(unshare)) = (broken("claude-ignore-scripts", "claude"), unshare()) else {
        return;
    };
    let mut f = Fixture::with_listeners();
    std::fs::create_dir_all(f.home.join(".claude")).unwrap();
    std::fs::write(
        f.home.join(".claude/.credentials.json"),
        r#"{"claudeAiOauth": {"refreshToken": "rt-test-0123456789", "expiresAt": 1}}"#,
    )
    .unwrap();
    f.listen_for_host("claude", &dir.join("node_modules/.bin"), &[]);
    let (code, text, v) = host(&f, None, &unshare);
    assert_eq!(
        (code, codes(&v, "host")),
        (1, vec!["HOST_CANNOT_START".to_string()]),
        "{text}"
    );
    let m = message(&v);
    assert!(m.contains(&format!("{}/node_modules/.bin/claude is the placeholder @anthropic-ai/claude-code ships until its install script puts the native program there: that script never ran", dir.display())), "{m}");
    assert!(
        m.ends_with(
            "/.claude/.credentials.json holds a stored login, which is no use until claude starts"
        ),
        "{m}"
    );
    assert_eq!(
        commands(&v),
        [format!(
            "npm install --prefix {} @anthropic-ai/claude-code@2.1.332",
            dir.display()
        )]
    );
    let status = &check(&v, "host")["facts"]["hosts"][0]["targets"][0]["login"]["status"];
    assert_eq!(status["crash"]["kind"], "not_started", "{status}");
}

#[test]
fn a_dangling_link_on_the_listeners_path_is_named_with_the_working_copy_as_the_way_out() {
    let Some(unshare) = unshare() else {
        return;
    };
    let mut f = Fixture::with_listeners();
    // A working codex on the doctor's PATH; the listener's PATH holds a link to a removed one.
    f.fake_codex(&f.bin, true);
    let lbin = f.dir.path().join("listener-bin");
    std::fs::create_dir_all(&lbin).unwrap();
    std::os::unix::fs::symlink(f.dir.path().join("nvm/v18/bin/codex"), lbin.join("codex")).unwrap();
    f.listen_for_host("codex", &lbin, &[]);
    let (code, _, v) = host(&f, Some("a_dangling_link-1"), &unshare);
    assert_eq!(
        (code, codes(&v, "host")),
        (1, vec!["HOST_CANNOT_START".to_string()])
    );
    let m = message(&v);
    assert!(
        m.contains(&format!(
            "{} is a symbolic link to {}, which does not exist",
            lbin.join("codex").display(),
            f.dir.path().join("nvm/v18/bin/codex").display()
        )),
        "{m}"
    );
    assert_eq!(
        commands(&v),
        [format!(
            "ln -sfn {} {}",
            f.bin.join("codex").display(),
            lbin.join("codex").display()
        )]
    );
}

#[test]
fn a_codex_without_its_execute_bit_gets_chmod() {
    let Some(unshare) = unshare() else {
        return;
    };
    let mut f = Fixture::with_listeners();
    let lbin = f.dir.path().join("listener-bin");
    let codex = f.fake_codex(&lbin, true);
    std::fs::set_permissions(&codex, std::fs::Permissions::from_mode(0o644)).unwrap();
    f.listen_for_host("codex", &lbin, &[]);
    let (code, _, v) = host(&f, Some("a_codex_without_its_execute_bit-1"), &unshare);
    assert_eq!(
        (code, codes(&v, "host")),
        (1, vec!["HOST_CANNOT_START".to_string()])
    );
    assert!(
        message(&v).contains(&format!(
            "{} has no execute bit (mode 0644)",
            codex.display()
        )),
        "{v}"
    );
    assert_eq!(commands(&v), [format!("chmod +x {}", codex.display())]);
}

#[test]
fn a_node_older_than_the_real_codex_asks_for_cannot_start_it() {
    let (Some(bin), Some(unshare)) = (hosts_bin(), unshare()) else {
        return;
    };
    let mut f = Fixture::with_listeners();
    stored_codex_login(&f);
    // A node that says it is node 14 (a real old version string) first on the listener's PATH,
    // in front of the real codex (engines.node ">=16").
    let old = f.dir.path().join("old-node");
    f.script(&old, "node", "#!/bin/sh\necho v14.21.3\n");
    f.write("config.json", r#"{"host": "codex"}"#);
    let script = f.listener_script(&f.dir.path().join("lbin"));
    let path = format!("{}:{}:/usr/bin:/bin", old.display(), bin.display());
    f.listen(&["/bin/sh", script.to_str().unwrap(), "watch"], &path);
    let (code, text, v) = host(&f, None, &unshare);
    assert_eq!(
        (code, codes(&v, "host")),
        (1, vec!["HOST_CANNOT_START".to_string()]),
        "{text}"
    );
    let m = message(&v);
    assert!(m.contains("@openai/codex needs node >=16 (engines.node), but the node on the PATH of listener pid"), "{m}");
    assert!(
        m.contains(&format!("({}) is v14.21.3", old.join("node").display())),
        "{m}"
    );
    let step = finding(&v)["remedy"]["steps"][0].as_str().unwrap();
    assert!(
        step.starts_with("Put a node that satisfies >=16 first on the listener's PATH"),
        "{step}"
    );
}
