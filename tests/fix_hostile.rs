//! End-to-end, as root (issue 22): values from another user's world never reach a shell. A
//! second OS user's listener whose AGENT_ROOMS_HOME, PM2_HOME and pm2 app name hold shell
//! metacharacters; root runs `fix --yes`, pipes `fix --dry-run` into `sh`, and pastes the printed
//! `$` line into `sh`: each does exactly what it says (the file becomes 0600, pm2 restarts the
//! app) and no marker file appears. A config.json that is a symbolic link to a root-owned file:
//! the file it leads to is left as it was.

mod common;

use common::{other_user, Fixture, SYSTEM_PATH};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Every file and directory under `top` (and `top`) handed to uid:gid.
fn chown_all(top: &Path, uid: u32, gid: u32) {
    let st = std::process::Command::new("chown")
        .args(["-R", &format!("{uid}:{gid}")])
        .arg(top)
        .status()
        .unwrap();
    assert!(st.success());
}

/// Paths that a shell would turn into a command, each creating its own marker.
struct Markers(Vec<PathBuf>);

impl Markers {
    fn new(f: &Fixture) -> Markers {
        Markers(
            (1..=4)
                .map(|i| f.dir.path().join(format!("PWNED{i}")))
                .collect(),
        )
    }
    /// A path component holding `;`, `$()`, backticks, `&&`, quotes and spaces.
    fn hostile(&self) -> String {
        let m = &self.0;
        format!(
            "h;touch {};x $(touch {}) `touch {}` && touch {} 'q\" -x",
            m[0].display(),
            m[1].display(),
            m[2].display(),
            m[3].display()
        )
    }
    fn none(&self) {
        for m in &self.0 {
            assert!(
                !m.exists(),
                "{} was created: a shell ran a value",
                m.display()
            );
        }
    }
}

/// The second user's agent-rooms home at a hostile path, with a config.json of mode 0644.
fn hostile_home(f: &Fixture, m: &Markers, uid: u32, gid: u32) -> (PathBuf, PathBuf) {
    let top = f.dir.path().join("demo");
    let home = top.join(m.hostile());
    std::fs::create_dir_all(&home).unwrap();
    let cfg = home.join("config.json");
    std::fs::write(
        &cfg,
        r#"{"token": "ar_live_HostileHome0123456789ab", "host": "codex"}"#,
    )
    .unwrap();
    std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o644)).unwrap();
    chown_all(&top, uid, gid);
    (home, cfg)
}

/// The `$ …` lines a human run prints.
fn dollar_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("$ "))
        .map(str::to_string)
        .collect()
}

#[test]
fn another_users_hostile_home_makes_root_run_nothing_but_chmod() {
    let Some((uid, gid)) = other_user() else {
        return;
    };
    let mut f = Fixture::with_listeners();
    let m = Markers::new(&f);
    let (home, cfg) = hostile_home(&f, &m, uid, gid);
    let theirs = f.dir.path().join("their-home");
    std::fs::create_dir_all(&theirs).unwrap();
    chown_all(&theirs, uid, gid);
    let lbin = f.dir.path().join("lbin");
    let script = f.listener_script(&lbin);
    let (h, t) = (home.display().to_string(), theirs.display().to_string());
    let path = format!("{}:/usr/bin:/bin", lbin.display());
    f.spawn_cmd(
        std::process::Command::new("/bin/sh")
            .args([script.to_str().unwrap(), "watch"])
            .uid(uid)
            .gid(gid),
        &[("HOME", &t), ("PATH", &path), ("AGENT_ROOMS_HOME", &h)],
    );

    // 1. fix --yes, as root.
    let out = f
        .doctor()
        .args(["fix", "--yes", "--offline", "--home", &h])
        .output()
        .unwrap();
    let text = common::all_text(&out);
    m.none();
    assert_eq!(mode(&cfg), 0o600, "{text}");
    assert!(text.contains("TOKEN_FILE_TOO_OPEN → ran: exit 0"), "{text}");
    // It ran as the file's owner, through no shell: the owner is unchanged.
    use std::os::unix::fs::MetadataExt;
    assert_eq!(std::fs::metadata(&cfg).unwrap().uid(), uid);
    // The JSON carries the argument list beside the printed line.
    std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run: &[&str] = &["token", "--offline", "--home", &h];
    f.human(
        "another_users_hostile_home_makes_root_run_nothing_but_chmod-1",
        run,
    );
    let (_, v, _) = f.json(run);
    let parts = &common::check(&v, "token")["findings"][0]["remedy"]["command_parts"][0];
    assert_eq!(
        parts["argv"],
        serde_json::json!(["chmod", "600", cfg.display().to_string()])
    );
    assert_eq!(parts["fix"], "safe");
    assert_eq!(parts["run_as"]["user"]["uid"], uid);

    // 2. fix --dry-run | sh, as root.
    let plan = f
        .doctor()
        .args(["fix", "--dry-run", "--offline", "--home", &h])
        .output()
        .unwrap();
    assert_eq!(plan.status.code(), Some(0));
    let mut sh = std::process::Command::new("/bin/sh")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .current_dir(f.dir.path())
        .spawn()
        .unwrap();
    use std::io::Write;
    sh.stdin.take().unwrap().write_all(&plan.stdout).unwrap();
    let ran = sh.wait_with_output().unwrap();
    m.none();
    assert!(
        ran.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&plan.stdout),
        common::all_text(&ran)
    );
    assert_eq!(
        mode(&cfg),
        0o600,
        "{}",
        String::from_utf8_lossy(&plan.stdout)
    );

    // 3. The printed line, pasted into sh, as root.
    std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (_, human) = f.human(
        "another_users_hostile_home_makes_root_run_nothing_but_chmod-2",
        &["token", "--offline", "--home", &h],
    );
    let lines = dollar_lines(&human);
    let chmod = lines
        .iter()
        .find(|l| l.contains("chmod 600"))
        .unwrap_or_else(|| panic!("no chmod line in\n{human}"));
    let ran = std::process::Command::new("/bin/sh")
        .args(["-c", chmod])
        .current_dir(f.dir.path())
        .output()
        .unwrap();
    m.none();
    assert!(ran.status.success(), "{chmod}: {}", common::all_text(&ran));
    assert_eq!(mode(&cfg), 0o600, "{chmod}");
    // Every other line printed for this listener is harmless text too: run through sh -n
    // (parse only), none holds more than one command.
    for l in &lines {
        let st = std::process::Command::new("/bin/sh")
            .args(["-n", "-c", l])
            .status()
            .unwrap();
        assert!(st.success(), "{l} does not parse");
    }
}

#[test]
fn a_config_that_is_a_link_to_a_root_file_is_left_alone() {
    let Some((uid, gid)) = other_user() else {
        return;
    };
    let f = Fixture::new();
    let victim = f.dir.path().join("root-owned.json");
    std::fs::write(&victim, r#"{"token": "ar_live_RootOwned0123456789abcd"}"#).unwrap();
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
    let home = f.dir.path().join("their-ar");
    std::fs::create_dir_all(&home).unwrap();
    std::os::unix::fs::symlink(&victim, home.join("config.json")).unwrap();
    chown_all(&home, uid, gid);
    let h = home.display().to_string();
    let out = f
        .doctor()
        .args(["fix", "--yes", "--offline", "--home", &h])
        .output()
        .unwrap();
    let text = common::all_text(&out);
    assert_eq!(mode(&victim), 0o644, "{text}");
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        r#"{"token": "ar_live_RootOwned0123456789abcd"}"#
    );
    let run: &[&str] = &["token", "--offline", "--home", &h];
    f.human(
        "a_config_that_is_a_link_to_a_root_file_is_left_alone-1",
        run,
    );
    let (_, v, _) = f.json(run);
    let finding = &common::check(&v, "token")["findings"][0];
    assert_eq!(finding["code"], "TOKEN_FILE_TOO_OPEN", "{v}");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("is a symbolic link to"),
        "{v}"
    );
    assert_eq!(finding["remedy"]["commands"], serde_json::json!([]));
}

/// A pm2 daemon of the second user, with its own PM2_HOME, from a copy of pm2 that user can
/// read; killed on drop.
struct TheirPm2 {
    bin: PathBuf,
    home: PathBuf,
    user_home: PathBuf,
    uid: u32,
    gid: u32,
}

impl TheirPm2 {
    fn cmd(&self) -> std::process::Command {
        let mut c = std::process::Command::new(&self.bin);
        c.env_clear()
            .env("HOME", &self.user_home)
            .env("PATH", "/usr/bin:/bin")
            .env("PM2_HOME", &self.home)
            .current_dir(&self.user_home)
            .stdin(Stdio::null())
            .uid(self.uid)
            .gid(self.gid);
        c
    }
    fn pid(&self, name: &str) -> u32 {
        let out = self.cmd().args(["pid", name]).output().unwrap();
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or(0)
    }
}

impl Drop for TheirPm2 {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill").output();
    }
}

#[test]
fn pm2_of_another_user_is_restarted_by_fix_as_that_user_with_its_own_pm2_home() {
    let Some((uid, gid)) = other_user() else {
        return;
    };
    let Some(pm2) = common::pm2_bin() else {
        return;
    };
    let f = Fixture::with_listeners();
    let m = Markers::new(&f);
    // A copy of pm2 the second user can read (the cache lives in root's home).
    let pm2_root = pm2.canonicalize().unwrap();
    let pkg = pm2_root
        .ancestors()
        .find(|a| a.file_name().is_some_and(|n| n == "node_modules"))
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let copy = f.dir.path().join("pm2pkg");
    let st = std::process::Command::new("cp")
        .arg("-a")
        .arg(&pkg)
        .arg(&copy)
        .status()
        .unwrap();
    assert!(st.success());
    let pm2_bin_dir = copy.join("node_modules/.bin");
    let user_home = f.dir.path().join("their-home");
    let ar_home = user_home.join(".config/agent-rooms");
    std::fs::create_dir_all(&ar_home).unwrap();
    std::fs::write(ar_home.join("config.json"), r#"{"host": "codex"}"#).unwrap();
    std::fs::set_permissions(
        ar_home.join("config.json"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let pm2_home = f
        .dir
        .path()
        .join(format!("pm2 h;$(touch {})", m.0[0].display()));
    std::fs::create_dir_all(&pm2_home).unwrap();
    let lbin = f.dir.path().join("lbin");
    let script = f.script(
        &lbin,
        "agent-rooms.js",
        "#!/usr/bin/env node\nsetInterval(() => {}, 1000);\n",
    );
    chown_all(&user_home, uid, gid);
    chown_all(&pm2_home, uid, gid);
    let theirs = TheirPm2 {
        bin: pm2_bin_dir.join("pm2"),
        home: pm2_home.clone(),
        user_home: user_home.clone(),
        uid,
        gid,
    };
    let name = format!("ar;touch {} x", m.0[1].display());
    let out = theirs
        .cmd()
        .arg("start")
        .arg(&script)
        .args(["--name", &name, "--", "watch"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::all_text(&out));
    let deadline = Instant::now() + Duration::from_secs(20);
    let first = loop {
        let pid = theirs.pid(&name);
        if pid > 0 {
            break pid;
        }
        assert!(Instant::now() < deadline, "pm2 did not start the app");
        std::thread::sleep(Duration::from_millis(100));
    };
    // The installed script changes after the listener started: LISTENER_OUTDATED.
    std::fs::File::options()
        .write(true)
        .open(&script)
        .unwrap()
        .set_modified(std::time::SystemTime::now() + Duration::from_secs(3))
        .unwrap();
    std::thread::sleep(Duration::from_secs(2));
    let out = f
        .doctor()
        .env(
            "PATH",
            format!(
                "{}:{}:{SYSTEM_PATH}",
                pm2_bin_dir.display(),
                f.bin.display()
            ),
        )
        .args([
            "fix",
            "--yes",
            "--offline",
            "--skip",
            "host",
            "--home",
            ar_home.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let text = common::all_text(&out);
    m.none();
    assert!(
        text.contains("1. LISTENER_OUTDATED → ran: exit 0"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{} -u {} -- env PM2_HOME=",
            common::runuser_printed(),
            common::OTHER_USER
        )),
        "{text}"
    );
    // pm2 (the second user's daemon, in its own PM2_HOME) started the app again.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let pid = theirs.pid(&name);
        if pid > 0 && pid != first {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "pm2 did not restart the app: {text}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
