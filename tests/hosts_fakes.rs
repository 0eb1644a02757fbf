//! End-to-end login verdicts for the hosts whose real CLIs cannot run here (gemini, cursor,
//! copilot): fakes that answer as the real ones do (CONTRACT §1's host table), and the files and
//! variables each reads. The real codex and claude: tests/real_hosts.rs.

mod common;

use common::{check, codes, Fixture};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// A listener with `host` configured, a fake of it (`body`) on its PATH, and `extra` variables.
fn listener(f: &mut Fixture, host: &str, binary: &str, body: &str, extra: &[(&str, &str)]) {
    let lbin = f.dir.path().join("lbin");
    f.script(&lbin, binary, body);
    f.listen_for_host(host, &lbin, extra);
}

fn write(home: &Path, rel: &str, text: &str) {
    let p = home.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// The host check: its human output held against the snapshot `name`, then its JSON.
fn host(f: &Fixture, name: &str) -> serde_json::Value {
    let args = ["host", "--home", f.ar_home.to_str().unwrap()];
    f.human(name, &args);
    let (_, v, _) = f.json(&args);
    v
}

fn summary(v: &serde_json::Value) -> String {
    check(v, "host")["summary"].as_str().unwrap().to_string()
}

const GEMINI: &str = "#!/bin/sh\nexit 0\n";
/// cursor-agent status, as the contract records it: "Not logged in" even with CURSOR_API_KEY.
const CURSOR_OUT: &str =
    "#!/bin/sh\nif [ \"$1\" = status ]; then echo 'Not logged in'; exit 1; fi\nexit 2\n";
const CURSOR_IN: &str =
    "#!/bin/sh\nif [ \"$1\" = status ]; then echo 'Logged in as alice@example.com'; exit 0; fi\nexit 2\n";
const COPILOT: &str = "#!/bin/sh\nexit 0\n";

#[test]
fn gemini_by_a_key_in_its_dotenv_by_its_google_login_or_not_at_all() {
    let mut f = Fixture::with_listeners();
    write(
        &f.home,
        ".gemini/.env",
        "GEMINI_API_KEY=AIzaSyFakeKeyFromDotenv0123\n",
    );
    listener(&mut f, "gemini", "gemini", GEMINI, &[]);
    let v = host(
        &f,
        "gemini_by_a_key_in_its_dotenv_by_its_google_login_or_not_at_all-1",
    );
    assert_eq!(check(&v, "host")["status"], "pass", "{v}");
    assert!(
        summary(&v).contains("by GEMINI_API_KEY in") && summary(&v).contains(".gemini/.env"),
        "{v}"
    );
    assert!(
        !v.to_string().contains("FakeKeyFromDotenv"),
        "the key leaked"
    );
    drop(f);
    let mut f = Fixture::with_listeners();
    write(
        &f.home,
        ".gemini/oauth_creds.json",
        r#"{"access_token":"ya29.x","refresh_token":"1//0gFakeRefresh","expiry_date":4102444800000}"#,
    );
    listener(&mut f, "gemini", "gemini", GEMINI, &[]);
    let v = host(
        &f,
        "gemini_by_a_key_in_its_dotenv_by_its_google_login_or_not_at_all-2",
    );
    assert!(
        summary(&v).contains("oauth_creds.json holds a stored refresh token"),
        "{v}"
    );
    drop(f);
    // settings.json selects the API key, and only a Google login is there: not logged in.
    let mut f = Fixture::with_listeners();
    write(
        &f.home,
        ".gemini/oauth_creds.json",
        r#"{"access_token":"ya29.x","refresh_token":"1//0gFakeRefresh2"}"#,
    );
    write(
        &f.home,
        ".gemini/settings.json",
        r#"{"security": {"auth": {"selectedType": "gemini-api-key"}}}"#,
    );
    listener(&mut f, "gemini", "gemini", GEMINI, &[]);
    let v = host(
        &f,
        "gemini_by_a_key_in_its_dotenv_by_its_google_login_or_not_at_all-3",
    );
    assert_eq!(codes(&v, "host"), ["HOST_NOT_LOGGED_IN"], "{v}");
    let msg = check(&v, "host")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains("settings.json selects gemini-api-key, but no GEMINI_API_KEY"),
        "{msg}"
    );
    drop(f);
    let mut f = Fixture::with_listeners();
    listener(&mut f, "gemini", "gemini", GEMINI, &[]);
    let v = host(
        &f,
        "gemini_by_a_key_in_its_dotenv_by_its_google_login_or_not_at_all-4",
    );
    assert_eq!(codes(&v, "host"), ["HOST_NOT_LOGGED_IN"], "{v}");
}

#[test]
fn cursor_counts_its_key_though_its_status_says_not_logged_in() {
    let mut f = Fixture::with_listeners();
    listener(
        &mut f,
        "cursor",
        "cursor-agent",
        CURSOR_OUT,
        &[("CURSOR_API_KEY", "key_fakecursor0123456789")],
    );
    let v = host(
        &f,
        "cursor_counts_its_key_though_its_status_says_not_logged_in-1",
    );
    assert_eq!(check(&v, "host")["status"], "pass", "{v}");
    assert!(
        summary(&v).contains("by CURSOR_API_KEY in the listener's environment"),
        "{v}"
    );
    drop(f);
    let mut f = Fixture::with_listeners();
    listener(&mut f, "cursor", "cursor-agent", CURSOR_IN, &[]);
    let v = host(
        &f,
        "cursor_counts_its_key_though_its_status_says_not_logged_in-2",
    );
    assert!(
        summary(&v).contains("says \"Logged in as alice@example.com\""),
        "{v}"
    );
    drop(f);
    let mut f = Fixture::with_listeners();
    listener(&mut f, "cursor", "cursor-agent", CURSOR_OUT, &[]);
    let v = host(
        &f,
        "cursor_counts_its_key_though_its_status_says_not_logged_in-3",
    );
    assert_eq!(codes(&v, "host"), ["HOST_NOT_LOGGED_IN"], "{v}");
}

#[test]
fn copilot_tokens_in_order_a_classic_token_is_unusable_and_no_file_is_unverified() {
    // A classic personal access token: it looks like a login and is not one copilot takes.
    let mut f = Fixture::with_listeners();
    listener(
        &mut f,
        "copilot",
        "copilot",
        COPILOT,
        &[("GH_TOKEN", "ghp_FakeClassicToken0123456789")],
    );
    let v = host(
        &f,
        "copilot_tokens_in_order_a_classic_token_is_unusable_and_no_file_is_unverified-1",
    );
    assert_eq!(codes(&v, "host"), ["HOST_NOT_LOGGED_IN"], "{v}");
    let msg = check(&v, "host")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains("GH_TOKEN in the listener's environment is a classic personal access token"),
        "{msg}"
    );
    assert!(
        !v.to_string().contains("FakeClassicToken"),
        "the token leaked"
    );
    drop(f);
    // COPILOT_GITHUB_TOKEN comes first, whatever GH_TOKEN holds.
    let mut f = Fixture::with_listeners();
    listener(
        &mut f,
        "copilot",
        "copilot",
        COPILOT,
        &[
            ("GH_TOKEN", "ghp_FakeClassicToken0123456789"),
            ("COPILOT_GITHUB_TOKEN", "github_pat_11FakeFineGrained0123"),
        ],
    );
    let v = host(
        &f,
        "copilot_tokens_in_order_a_classic_token_is_unusable_and_no_file_is_unverified-2",
    );
    assert_eq!(check(&v, "host")["status"], "pass", "{v}");
    assert!(summary(&v).contains("by COPILOT_GITHUB_TOKEN"), "{v}");
    drop(f);
    // gh's stored token, the last fallback.
    let mut f = Fixture::with_listeners();
    write(&f.home, ".config/gh/hosts.yml", "github.com:\n    user: alice\n    oauth_token: gho_FakeGhToken0123456789\n    git_protocol: https\n");
    listener(&mut f, "copilot", "copilot", COPILOT, &[]);
    let v = host(
        &f,
        "copilot_tokens_in_order_a_classic_token_is_unusable_and_no_file_is_unverified-3",
    );
    assert!(
        summary(&v).contains("by gh oauth_token in") && summary(&v).contains("hosts.yml"),
        "{v}"
    );
    drop(f);
    // Nothing in files or environment: the keychain is copilot's normal store, so unverified.
    let mut f = Fixture::with_listeners();
    listener(&mut f, "copilot", "copilot", COPILOT, &[]);
    let v = host(
        &f,
        "copilot_tokens_in_order_a_classic_token_is_unusable_and_no_file_is_unverified-4",
    );
    assert_eq!(codes(&v, "host"), ["HOST_LOGIN_UNVERIFIED"], "{v}");
}

#[test]
fn a_doctor_without_the_rights_to_read_the_agent_names_it_and_as_whom_to_run() {
    let Some(_) = common::other_user() else {
        return;
    };
    let mut f = Fixture::with_listeners();
    let claude = "#!/bin/sh\necho '{\"loggedIn\": true, \"authMethod\": \"claude.ai\"}'\n";
    let lbin = f.dir.path().join("lbin");
    f.script(&lbin, "claude", claude);
    let pid = f.listen_for_host("claude", &lbin, &[]);
    // The doctor runs as the second user: root's agent is not theirs to read (CONTRACT §1), so
    // it is not judged (it was: its host login "unverified", its config "invalid"): it is named,
    // with the doctor as root by the path it runs from.
    let doctor = assert_cmd::cargo::cargo_bin("agent-rooms-doctor");
    let out = std::process::Command::new(which::which("runuser").unwrap())
        .args(["-u", common::OTHER_USER, "--"])
        .arg(&doctor)
        .arg("--json")
        .env_clear()
        .env("PATH", common::SYSTEM_PATH)
        .output()
        .unwrap();
    let v: serde_json::Value = common::document(&out.stdout);
    let finding = &check(&v, "listener")["findings"][0];
    assert_eq!(finding["code"], "HOME_NOT_FOUND", "{v}");
    let message = finding["message"].as_str().unwrap();
    assert!(
        message.contains(&format!(
            "(pid {pid}, root): not judged, its environment cannot be read: run the doctor as root"
        )),
        "{message}"
    );
    assert!(
        !v.to_string().contains(f.ar_home.to_str().unwrap()),
        "root's home is not judged: {v}"
    );
    // Not root: sudo where the machine has it, else su (CONTRACT §2); the doctor by the path it
    // runs from (root's login shell has no test build directory).
    let expected = if which::which("sudo").is_ok() {
        format!("sudo {}", doctor.display())
    } else {
        format!("su -c {}", doctor.display())
    };
    assert_eq!(finding["remedy"]["commands"][0], expected, "{finding}");
    // Pasted by her into sh, every printed line's program resolves on her PATH.
    let out = std::process::Command::new(which::which("runuser").unwrap())
        .args(["-u", common::OTHER_USER, "--"])
        .arg(&doctor)
        .env_clear()
        .env("PATH", common::SYSTEM_PATH)
        .output()
        .unwrap();
    let text = common::all_text(&out);
    assert!(
        common::printed_commands_resolve(&text, common::SYSTEM_PATH, "not-hers") >= 1,
        "{text}"
    );
}

/// Issue 39, as a second OS user beside root's agent: `--home` naming root's home, readable but
/// with root's 0600 config.json, and root's listener named by its listener.json. The listener
/// runs (it was "not running: the file is stale"), config.json is NOT_READABLE (it was
/// CONFIG_INVALID, "fix or recreate the file"), the host is unknown, not HOST_NOT_CONFIGURED.
/// A home behind a directory she may not enter is one NOT_READABLE with the doctor as root
/// (it was HOME_NOT_FOUND, "not set up here").
#[test]
fn a_second_user_told_what_she_may_not_read_and_as_whom_to_run() {
    let Some(_) = common::other_user() else {
        return;
    };
    let mut f = Fixture::with_listeners();
    let cfg = f.write(
        "config.json",
        r#"{"token": "ar_live_RootsOwnToken0123456789", "host": "codex"}"#,
    );
    std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o600)).unwrap();
    let script = f.listener_script(&f.dir.path().join("lbin"));
    let pid = f.listen(
        &["/bin/sh", script.to_str().unwrap(), "watch"],
        common::SYSTEM_PATH,
    );
    let now = common::rfc3339_now();
    f.write(
        "listener.json",
        &format!(
            r#"{{"pid": {pid}, "started_at": "{now}", "heartbeat_at": "{now}", "connected": true}}"#
        ),
    );
    // listener.json as a listener writes it: readable by all.
    std::fs::set_permissions(
        f.ar_home.join("listener.json"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let as_her_with = |home: &Path, more: &[&str]| {
        let doctor = assert_cmd::cargo::cargo_bin("agent-rooms-doctor");
        let out = std::process::Command::new(which::which("runuser").unwrap())
            .args(["-u", common::OTHER_USER, "--"])
            .arg(&doctor)
            .args(["--json", "--offline"])
            .args(more)
            .arg("--home")
            .arg(home)
            .env_clear()
            .env("PATH", common::SYSTEM_PATH)
            .env("AGENT_ROOMS_DOCTOR_TEST_LISTENERS_UNDER", f.dir.path())
            .output()
            .unwrap();
        let v: serde_json::Value = common::document(&out.stdout);
        v
    };
    let as_her = |home: &Path| as_her_with(home, &[]);
    let v = as_her(&f.ar_home);
    let listener = check(&v, "listener");
    assert!(
        listener["summary"]
            .as_str()
            .unwrap()
            .starts_with(&format!("running: pid {pid} (root")),
        "{listener}"
    );
    assert!(!v.to_string().contains("stale"), "{v}");
    assert_eq!(common::codes(&v, "token"), ["NOT_READABLE"], "{v}");
    assert_eq!(check(&v, "host")["status"], "skip", "{v}");
    assert!(!v.to_string().contains("CONFIG_INVALID"), "{v}");
    // A home behind a directory she may not enter.
    let locked = f.dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::create_dir(locked.join("agent-rooms")).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).unwrap();
    let v = as_her(&locked.join("agent-rooms"));
    let all = common::all_codes(&v);
    assert_eq!(all, ["NOT_READABLE"], "{v}");
    let finding = &check(&v, "listener")["findings"][0];
    assert!(
        finding["remedy"]["commands"][0]
            .as_str()
            .unwrap()
            .contains(&format!("--home {}", locked.join("agent-rooms").display())),
        "{finding}"
    );
    // Without the listener check, the first check skipped for it says the same: out of reach is
    // NOT_READABLE, not HOME_NOT_FOUND ("not set up here").
    let v = as_her_with(&locked.join("agent-rooms"), &["--skip", "listener"]);
    let all = common::all_codes(&v);
    assert_eq!(all, ["NOT_READABLE"], "{v}");
    assert_eq!(v["ok"], false, "{v}");
}
