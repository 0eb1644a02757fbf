//! End-to-end against the real host CLIs (npm `@openai/codex` 0.169.0 and
//! `@anthropic-ai/claude-code` 2.1.332, installed by `.ci/run` into a cache outside the clone):
//! a listener whose user is logged in by API key, by credential file, or not at all, and, as root,
//! a listener of another user (files only: nothing of theirs is run). The doctor runs in a network
//! namespace of the test's own with no network at all (`unshare -n`), so a host CLI's status
//! command cannot reach out. Fakes for gemini, cursor and copilot are in listener_host.rs.

mod common;

use common::{check, codes, hosts_bin, other_user, unshare, Fixture, OTHER_USER};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Run the doctor's host check (JSON) in a network namespace without network; the human
/// output is held against the snapshot `name` first.
fn host_check(f: &Fixture, name: &str, unshare: &Path) -> serde_json::Value {
    let run = |json: bool| common::host_without_network(f, unshare, json);
    let out = run(false);
    common::snapshot(
        name,
        &format!(
            "{}[exit {}]\n",
            common::all_text(&out),
            out.status.code().unwrap_or(-1)
        ),
    );
    let path = format!("{}:{}", f.bin.display(), common::SYSTEM_PATH);
    common::printed_commands_resolve(&common::all_text(&out), &path, name);
    let out = run(true);
    common::document(&out.stdout)
}

/// A listener of this test's user with the real host CLIs on its PATH and `extra` variables.
fn listener(f: &mut Fixture, bin: &Path, host: &str, extra: &[(&str, &str)]) {
    f.listen_for_host(host, bin, extra);
}

/// Run the real `codex login --with-api-key` for HOME `home`, offline.
fn codex_login_with_key(unshare: &Path, bin: &Path, home: &Path) {
    use std::io::Write;
    let mut c = std::process::Command::new(unshare)
        .arg("-n")
        .arg(bin.join("codex"))
        .args(["login", "--with-api-key"])
        .env_clear()
        .env("HOME", home)
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    c.stdin
        .take()
        .unwrap()
        .write_all(b"sk-test-realcodexkey0123456789\n")
        .unwrap();
    assert!(c.wait().unwrap().success(), "codex login --with-api-key");
    assert!(home.join(".codex/auth.json").exists());
}

fn summary(v: &serde_json::Value) -> String {
    check(v, "host")["summary"].as_str().unwrap().to_string()
}

#[test]
fn codex_logged_in_by_its_credential_file() {
    let (Some(bin), Some(unshare)) = (hosts_bin(), unshare()) else {
        return;
    };
    let mut f = Fixture::with_listeners();
    codex_login_with_key(&unshare, &bin, &f.home);
    listener(&mut f, &bin, "codex", &[]);
    let v = host_check(&f, "codex_logged_in_by_its_credential_file-1", &unshare);
    assert_eq!(check(&v, "host")["status"], "pass", "{v}");
    assert!(summary(&v).starts_with("codex login found for"), "{v}");
    // The real status command was run, as the listener's user, and said so.
    let status = &check(&v, "host")["facts"]["hosts"][0]["targets"][0]["login"]["status"];
    assert_eq!(status["result"]["code"], 0, "{status}");
    assert_eq!(status["read"], "in", "{status}");
    assert!(status["result"]["stderr"]
        .as_str()
        .unwrap()
        .starts_with("API key configured"));
}

#[test]
fn codex_logged_in_by_codex_api_key_though_login_status_says_not() {
    let (Some(bin), Some(unshare)) = (hosts_bin(), unshare()) else {
        return;
    };
    let mut f = Fixture::with_listeners();
    listener(
        &mut f,
        &bin,
        "codex",
        &[("CODEX_API_KEY", "sk-proj-realtestkey0123456789")],
    );
    let v = host_check(
        &f,
        "codex_logged_in_by_codex_api_key_though_login_status_says_not-1",
        &unshare,
    );
    let host = check(&v, "host");
    assert_eq!(host["status"], "pass", "{v}");
    let status = &host["facts"]["hosts"][0]["targets"][0]["login"]["status"];
    assert_eq!(
        (&status["result"]["code"], &status["read"]),
        (&serde_json::json!(1), &serde_json::json!("out")),
        "the real codex says Not logged in: {status}"
    );
    assert!(
        !v.to_string().contains("realtestkey"),
        "the key leaked: {v}"
    );
}

#[test]
fn codex_not_logged_in_at_all() {
    let (Some(bin), Some(unshare)) = (hosts_bin(), unshare()) else {
        return;
    };
    let mut f = Fixture::with_listeners();
    listener(&mut f, &bin, "codex", &[]);
    let v = host_check(&f, "codex_not_logged_in_at_all-1", &unshare);
    assert_eq!(codes(&v, "host"), ["HOST_NOT_LOGGED_IN"], "{v}");
    let fnd = &check(&v, "host")["findings"][0];
    assert!(
        fnd["message"]
            .as_str()
            .unwrap()
            .contains("says \"Not logged in\""),
        "{fnd}"
    );
    // The listener's own codex, with its HOME (and PATH, for its node): it works pasted.
    let c = fnd["remedy"]["commands"][0].as_str().unwrap();
    assert!(
        c.starts_with("env HOME=") && c.ends_with(&format!("{}/codex login", bin.display())),
        "{c}"
    );
}

#[test]
fn claude_logged_in_by_key_by_file_and_not_at_all() {
    let (Some(bin), Some(unshare)) = (hosts_bin(), unshare()) else {
        return;
    };
    // By ANTHROPIC_API_KEY in the listener's environment: the real `claude auth status` says so.
    let mut f = Fixture::with_listeners();
    listener(
        &mut f,
        &bin,
        "claude",
        &[("ANTHROPIC_API_KEY", "sk-ant-api03-realtest0123456789")],
    );
    let v = host_check(
        &f,
        "claude_logged_in_by_key_by_file_and_not_at_all-1",
        &unshare,
    );
    assert_eq!(check(&v, "host")["status"], "pass", "{v}");
    assert!(
        !v.to_string().contains("realtest0123"),
        "the key leaked: {v}"
    );
    drop(f);
    // By its credential file.
    let mut f = Fixture::with_listeners();
    write_claude_credentials(&f.home);
    listener(&mut f, &bin, "claude", &[]);
    let v = host_check(
        &f,
        "claude_logged_in_by_key_by_file_and_not_at_all-2",
        &unshare,
    );
    assert_eq!(check(&v, "host")["status"], "pass", "{v}");
    drop(f);
    // Not at all: `loggedIn: false` decides.
    let mut f = Fixture::with_listeners();
    listener(&mut f, &bin, "claude", &[]);
    let v = host_check(
        &f,
        "claude_logged_in_by_key_by_file_and_not_at_all-3",
        &unshare,
    );
    assert_eq!(codes(&v, "host"), ["HOST_NOT_LOGGED_IN"], "{v}");
    let c = check(&v, "host")["findings"][0]["remedy"]["commands"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        c.starts_with("env HOME=") && c.ends_with(&format!("{}/claude auth login", bin.display())),
        "{c}"
    );
}

fn write_claude_credentials(home: &Path) {
    std::fs::create_dir_all(home.join(".claude")).unwrap();
    let p = home.join(".claude/.credentials.json");
    std::fs::write(&p, r#"{"claudeAiOauth":{"accessToken":"sk-ant-oat01-realtestaccess","refreshToken":"sk-ant-ort01-realtestrefresh","expiresAt":4102444800000,"scopes":["user:inference"],"subscriptionType":"pro"}}"#).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// A listener run by the second user with HOME `their_home` and the real host CLIs on its PATH.
fn listen_as_them(f: &mut Fixture, bin: &Path, their_home: &Path) {
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let runuser = which::which("runuser").unwrap();
    // runuser sets HOME to the passwd home: `env` gives the listener this one.
    let wrapper = f.spawn_cmd(
        std::process::Command::new(runuser).args([
            "-u",
            OTHER_USER,
            "--",
            "/usr/bin/env",
            &format!("HOME={}", their_home.display()),
            // The agent of the fixture's home, which --home judges.
            &format!("AGENT_ROOMS_HOME={}", f.ar_home.display()),
            "/bin/sh",
            script.to_str().unwrap(),
            "watch",
        ]),
        &[("PATH", path.as_str())],
    );
    f.wait_child(wrapper).expect("runuser starts the listener");
}

#[test]
fn another_users_login_is_read_from_their_files_and_nothing_of_theirs_runs() {
    let (Some(bin), Some(unshare), Some((uid, gid))) = (hosts_bin(), unshare(), other_user())
    else {
        return;
    };
    let mut f = Fixture::with_listeners();
    f.write("config.json", r#"{"host": "claude"}"#);
    // The other user's own HOME, with a stored claude login; codex is not logged in there.
    let their_home = f.dir.path().join("their-home");
    write_claude_credentials(&their_home);
    for p in [
        their_home.clone(),
        their_home.join(".claude"),
        their_home.join(".claude/.credentials.json"),
    ] {
        nix::unistd::chown(&p, Some(uid.into()), Some(gid.into())).unwrap();
    }
    listen_as_them(&mut f, &bin, &their_home);
    let v = host_check(
        &f,
        "another_users_login_is_read_from_their_files_and_nothing_of_theirs_runs-1",
        &unshare,
    );
    let host = check(&v, "host");
    assert_eq!(host["status"], "pass", "{v}");
    let login = &host["facts"]["hosts"][0]["targets"][0]["login"];
    assert!(login["status"].is_null(), "their claude was run: {login}");
    assert!(
        login["not_run"]
            .as_str()
            .unwrap()
            .contains("never runs ardoctor-e2e's binaries"),
        "{login}"
    );
    // Running claude would have written .claude.json into their HOME.
    assert!(
        !their_home.join(".claude.json").exists(),
        "their claude was run"
    );
    drop(f);

    // codex for that user, logged in nowhere: from files, not logged in.
    let mut f = Fixture::with_listeners();
    f.write("config.json", r#"{"host": "codex"}"#);
    let their_home = f.dir.path().join("their-home");
    std::fs::create_dir_all(&their_home).unwrap();
    nix::unistd::chown(&their_home, Some(uid.into()), Some(gid.into())).unwrap();
    listen_as_them(&mut f, &bin, &their_home);
    let v = host_check(
        &f,
        "another_users_login_is_read_from_their_files_and_nothing_of_theirs_runs-2",
        &unshare,
    );
    assert_eq!(codes(&v, "host"), ["HOST_NOT_LOGGED_IN"], "{v}");
    let c = check(&v, "host")["findings"][0]["remedy"]["commands"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        c.starts_with(&format!(
            "{} -u {OTHER_USER} -- env HOME=",
            common::runuser_printed()
        )) && c.ends_with(&format!("{}/codex login", bin.display())),
        "{c}"
    );
    assert!(!their_home.join(".codex").exists(), "their codex was run");
}

#[test]
fn deep_runs_codexs_own_doctor_and_folds_in_what_failed() {
    let (Some(bin), Some(unshare)) = (hosts_bin(), unshare()) else {
        return;
    };
    let mut f = Fixture::with_listeners();
    listener(&mut f, &bin, "codex", &[]);
    let doctor = assert_cmd::cargo::cargo_bin("agent-rooms-doctor");
    let out = std::process::Command::new(&unshare)
        .arg("-n")
        .arg(&doctor)
        .args([
            "host",
            "--deep",
            "--timeout",
            "40",
            "--json",
            "--home",
            f.ar_home.to_str().unwrap(),
        ])
        .env_clear()
        .env("HOME", &f.home)
        .env("PATH", common::SYSTEM_PATH)
        .output()
        .unwrap();
    let v: serde_json::Value = common::document(&out.stdout);
    let host = check(&v, "host");
    let msgs: Vec<String> = host["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["code"] == "HOST_SELF_CHECK")
        .map(|x| x["message"].as_str().unwrap().to_string())
        .collect();
    // No login and no network in this namespace: codex's doctor says both, in its words.
    assert!(
        msgs.iter()
            .any(|m| m.contains("auth.credentials (auth, fail)")),
        "{v}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("network.provider_reachability (reachability, fail)")),
        "{v}"
    );
    // Every check codex's doctor did not pass reaches the person with codex's own advice: one
    // finding per check, its remediation as the first step.
    let advice = |id: &str| -> String {
        host["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["message"].as_str().unwrap().contains(id))
            .unwrap_or_else(|| panic!("no finding for codex's {id}: {v}"))["remedy"]["steps"][0]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(advice("auth.credentials").starts_with("codex suggests: Run codex login"));
    assert_eq!(
        advice("network.provider_reachability"),
        "codex suggests: Check proxy, VPN, firewall, DNS, and custom CA configuration."
    );
    assert!(
        advice("network.websocket_reachability").starts_with("codex suggests: Check proxy"),
        "{v}"
    );
    // Without --deep it is not run.
    let v = host_check(
        &f,
        "deep_runs_codexs_own_doctor_and_folds_in_what_failed-1",
        &unshare,
    );
    assert!(check(&v, "host")["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["code"] != "HOST_SELF_CHECK"));
}

#[test]
fn codex_with_its_login_in_the_keyring_is_unverified_and_ephemeral_is_none() {
    let (Some(bin), Some(unshare)) = (hosts_bin(), unshare()) else {
        return;
    };
    // keyring: the real codex cannot reach a secret service here and says so; auth.json is
    // absent by design, so this is not "not logged in".
    let mut f = Fixture::with_listeners();
    std::fs::create_dir_all(f.home.join(".codex")).unwrap();
    std::fs::write(
        f.home.join(".codex/config.toml"),
        "cli_auth_credentials_store = \"keyring\"\n",
    )
    .unwrap();
    listener(&mut f, &bin, "codex", &[]);
    let v = host_check(
        &f,
        "codex_with_its_login_in_the_keyring_is_unverified_and_ephemeral_is_none-1",
        &unshare,
    );
    assert_eq!(codes(&v, "host"), ["HOST_LOGIN_UNVERIFIED"], "{v}");
    let msg = check(&v, "host")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("keeps the login in the OS keyring"), "{msg}");
    drop(f);
    // ephemeral, set with -c on the listener's command line: a codex it starts has no login.
    let mut f = Fixture::with_listeners();
    f.write("config.json", r#"{"host": "codex"}"#);
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let path = format!("{}:/usr/bin:/bin", bin.display());
    f.listen(
        &[
            "/bin/sh",
            script.to_str().unwrap(),
            "watch",
            "-c",
            "cli_auth_credentials_store=ephemeral",
        ],
        &path,
    );
    let v = host_check(
        &f,
        "codex_with_its_login_in_the_keyring_is_unverified_and_ephemeral_is_none-2",
        &unshare,
    );
    assert_eq!(codes(&v, "host"), ["HOST_NOT_LOGGED_IN"], "{v}");
    let msg = check(&v, "host")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains("\"ephemeral\" (-c in the listener's arguments) keeps a login in memory only"),
        "{msg}"
    );
}
