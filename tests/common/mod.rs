//! The one fixture of the end-to-end tests: a temporary home, a temporary PATH with fake host
//! CLIs, fake `agent-rooms watch` listeners started as real processes (killed with their whole
//! process group on drop), and the built binary run against them with a clean environment.

#![allow(dead_code)]

pub mod api;
pub mod prom;

#[path = "../data/mod.rs"]
pub mod data;

/// The API's error codes and their HTTP statuses, as the troubleshooting page (the seed) lists them.
pub fn seed_codes() -> Vec<(String, u16)> {
    let codes = data::seed_codes();
    assert_eq!(codes.len(), 16, "the seed's table was read: {codes:?}");
    codes
}

use assert_cmd::Command;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// The e2e tests see every process on the machine, so a test that starts a listener holds this
/// lock exclusively and every other doctor run holds it shared (flock works across the separate
/// processes nextest runs tests in).
pub struct ProcLock(#[allow(dead_code)] nix::fcntl::Flock<std::fs::File>);

fn lock(exclusive: bool) -> ProcLock {
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(std::env::temp_dir().join("agent-rooms-doctor-e2e.lock"))
        .unwrap();
    let arg = if exclusive {
        nix::fcntl::FlockArg::LockExclusive
    } else {
        nix::fcntl::FlockArg::LockShared
    };
    ProcLock(nix::fcntl::Flock::lock(f, arg).map_err(|(_, e)| e).unwrap())
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    /// $HOME of the doctor (and of listeners unless a test says otherwise).
    pub home: PathBuf,
    /// The agent-rooms home: $HOME/.config/agent-rooms.
    pub ar_home: PathBuf,
    /// A directory on the doctor's PATH for fake host CLIs.
    pub bin: PathBuf,
    children: Vec<Child>,
    /// Processes started by a child in a session of their own (under `script`): ended on drop.
    adopted: Vec<u32>,
    _lock: ProcLock,
}

pub const SYSTEM_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

impl Fixture {
    /// A fixture whose test starts no listener.
    pub fn new() -> Fixture {
        Self::with_lock(lock(false))
    }

    /// A fixture whose test starts listeners: no other doctor runs meanwhile.
    pub fn with_listeners() -> Fixture {
        Self::with_lock(lock(true))
    }

    fn with_lock(l: ProcLock) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let home = dir.path().join("home");
        let ar_home = home.join(".config/agent-rooms");
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&ar_home).unwrap();
        std::fs::create_dir_all(&bin).unwrap();
        Fixture {
            dir,
            home,
            ar_home,
            bin,
            children: vec![],
            adopted: vec![],
            _lock: l,
        }
    }

    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.ar_home.join(rel);
        std::fs::write(&p, text).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        p
    }

    /// An executable script at `dir/name`.
    pub fn script(&self, dir: &Path, name: &str, body: &str) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p
    }

    /// A fake `codex` that answers `login status` like the real one (on stderr).
    pub fn fake_codex(&self, dir: &Path, logged_in: bool) -> PathBuf {
        let (text, code) = if logged_in {
            ("Logged in using ChatGPT", 0)
        } else {
            ("Not logged in", 1)
        };
        self.script(dir, "codex", &format!("#!/bin/sh\nif [ \"$1 $2\" = \"login status\" ]; then echo '{text}' >&2; exit {code}; fi\nexit 2\n"))
    }

    /// A fake `claude` that answers `auth status` with JSON like the real one.
    pub fn fake_claude(&self, dir: &Path, logged_in: bool) -> PathBuf {
        let code = if logged_in { 0 } else { 1 };
        self.script(dir, "claude", &format!("#!/bin/sh\nif [ \"$1 $2\" = \"auth status\" ]; then echo '{{\"loggedIn\": {logged_in}, \"authMethod\": \"claude.ai\"}}'; exit {code}; fi\nexit 2\n"))
    }

    /// The fake listener script: `agent-rooms` in `dir`, waiting until killed. Written once: a
    /// listener already running it would otherwise run old code (LISTENER_OUTDATED, to the tick).
    pub fn listener_script(&self, dir: &Path) -> PathBuf {
        if dir.join("agent-rooms").exists() {
            return dir.join("agent-rooms");
        }
        self.script(
            dir,
            "agent-rooms",
            "#!/bin/sh\nwhile :; do /bin/sleep 0.2; done\n",
        )
    }

    /// Start `argv` as a listener with exactly `env`, in its own process group; waits until the
    /// process table shows it.
    pub fn spawn(&mut self, argv: &[&str], env: &[(&str, &str)]) -> u32 {
        self.spawn_cmd(std::process::Command::new(argv[0]).args(&argv[1..]), env)
    }

    pub fn spawn_cmd(&mut self, cmd: &mut std::process::Command, env: &[(&str, &str)]) -> u32 {
        cmd.env_clear()
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        let child = cmd.spawn().expect("start the fake listener");
        let pid = child.id();
        self.children.push(child);
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| c.split(|b| *b == 0).any(|a| a.ends_with(b"watch")))
                .unwrap_or(false)
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        pid
    }

    /// End the listener `pid` this fixture started (SIGTERM to its group) and reap it, so the
    /// process table no longer shows it.
    pub fn stop(&mut self, pid: u32) {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(pid as i32),
            nix::sys::signal::Signal::SIGTERM,
        );
        if let Some(i) = self.children.iter().position(|c| c.id() == pid) {
            let mut c = self.children.remove(i);
            let _ = c.wait();
        }
    }

    /// Wait until `pid` has a child (a wrapper such as runuser has started the real listener).
    pub fn wait_child(&self, pid: u32) -> Option<u32> {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
                let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
                    continue;
                };
                // pid (comm) state ppid …: the comm may hold spaces, so split after the last ')'.
                let ppid = stat
                    .rsplit(')')
                    .next()
                    .and_then(|r| r.split_whitespace().nth(1))
                    .and_then(|p| p.parse::<u32>().ok());
                if ppid == Some(pid) {
                    return e.file_name().to_str().and_then(|n| n.parse().ok());
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Start a listener with this fixture's HOME and a PATH of `path`.
    pub fn listen(&mut self, argv: &[&str], path: &str) -> u32 {
        self.listen_with(argv, path, &[])
    }

    /// With `host` configured in config.json, start a listener (the fake script in `lbin`)
    /// whose PATH is `host_dir`, /usr/bin and /bin, with `extra` variables. Returns its pid.
    pub fn listen_for_host(&mut self, host: &str, host_dir: &Path, extra: &[(&str, &str)]) -> u32 {
        self.write("config.json", &format!(r#"{{"host": "{host}"}}"#));
        let script = self.listener_script(&self.dir.path().join("lbin"));
        let path = format!("{}:/usr/bin:/bin", host_dir.display());
        self.listen_with(
            &["/bin/sh", script.to_str().unwrap(), "watch"],
            &path,
            extra,
        )
    }

    /// Start a listener with this fixture's HOME, a PATH of `path`, and `extra` variables.
    pub fn listen_with(&mut self, argv: &[&str], path: &str, extra: &[(&str, &str)]) -> u32 {
        let home = self.home.display().to_string();
        let mut env = vec![("HOME", home.as_str()), ("PATH", path)];
        env.extend_from_slice(extra);
        self.spawn(argv, &env)
    }

    /// The built doctor with a clean environment: HOME, PATH = the fixture's bin + the system's.
    pub fn doctor(&self) -> Command {
        let mut c = Command::cargo_bin("agent-rooms-doctor").unwrap();
        c.env_clear()
            .env("HOME", &self.home)
            .env("PATH", format!("{}:{SYSTEM_PATH}", self.bin.display()))
            // Listeners of other agents on this machine (not the test's) are not seen.
            .env("AGENT_ROOMS_DOCTOR_TEST_LISTENERS_UNDER", self.dir.path())
            .timeout(Duration::from_secs(30));
        c
    }

    /// Run the doctor once with `args` in the human format, and hold its whole output (stdout,
    /// then stderr, with the exit code) against the snapshot `name`. Returns (exit code, text).
    pub fn human(&self, name: &str, args: &[&str]) -> (i32, String) {
        let out = self.doctor().args(args).output().unwrap();
        let code = out.status.code().unwrap_or(-1);
        let text = all_text(&out);
        snapshot(name, &format!("{text}[exit {code}]\n"));
        let path = format!("{}:{SYSTEM_PATH}", self.bin.display());
        printed_commands_resolve(&text, &path, name);
        (code, text)
    }

    /// Run the doctor once with `args` plus `--json`; returns (exit code, parsed JSON,
    /// stdout+stderr text). Nothing is snapshotted (a test that holds the human output too
    /// calls `human` for it).
    pub fn json(&self, args: &[&str]) -> (i32, serde_json::Value, String) {
        let out = self.doctor().args(args).arg("--json").output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let v: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {stdout}\nstderr: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        replays_as_recorded(&stdout);
        let errors = schema_errors(document_kind(&v), &v);
        assert!(
            errors.is_empty(),
            "the JSON breaks its schema: {errors:?}\n{stdout}"
        );
        (
            out.status.code().unwrap_or(-1),
            v,
            format!("{stdout}{}", String::from_utf8_lossy(&out.stderr)),
        )
    }
}

impl Fixture {
    /// The listeners in a report that this fixture started (their argv, or their pm2 home,
    /// names the fixture's temporary directory): a test counts only processes it started, never
    /// another listener that happens to run on the machine.
    pub fn own_listeners(&self, v: &serde_json::Value) -> Vec<serde_json::Value> {
        let marker = self.dir.path().display().to_string();
        check(v, "listener")["facts"]["listeners"]
            .as_array()
            .unwrap()
            .iter()
            // Its argv names the fixture's directory; a pm2 app caught before pm2 has retitled it
            // (`node …/ProcessContainerFork.js`) is the fixture's by its PM2_HOME.
            .filter(|l| {
                [&l["argv"], &l["supervisor"]["pm2_home"]]
                    .iter()
                    .any(|v| v.as_str().is_some_and(|a| a.contains(&marker)))
            })
            .cloned()
            .collect()
    }
}

impl Fixture {
    /// End `pid` with this fixture, and wait for it to be gone (it is not this test's child).
    pub fn adopt(&mut self, pid: u32) {
        self.adopted.push(pid);
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        for pid in &self.adopted {
            // An adopted process leads a session of its own (under `script`): its group holds
            // what it started (the shell running the listener script), which must end with it —
            // left running, it is another agent's listener to every later test.
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(*pid as i32),
                nix::sys::signal::Signal::SIGKILL,
            );
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(*pid as i32),
                nix::sys::signal::Signal::SIGKILL,
            );
            let start = Instant::now();
            while (Path::new(&format!("/proc/{pid}")).exists() || group_alive(*pid))
                && start.elapsed() < Duration::from_secs(5)
            {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        for c in &mut self.children {
            let group = c.id();
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(group as i32),
                nix::sys::signal::Signal::SIGKILL,
            );
            let _ = c.kill();
            let _ = c.wait();
            // The group's other members (a wrapper's listener) are not this test's children:
            // wait until none runs, so the next test does not see it as a second listener.
            let start = Instant::now();
            while group_alive(group) && start.elapsed() < Duration::from_secs(5) {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
}

/// Does a process of group `pgid` still run (a zombie does not count)?
fn group_alive(pgid: u32) -> bool {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
        .any(|stat| {
            let Some(after) = stat.rsplit_once(')').map(|(_, a)| a) else {
                return false;
            };
            let f: Vec<&str> = after.split_whitespace().collect();
            // After `(comm)`: state, ppid, pgrp.
            f.len() > 2 && f[0] != "Z" && f[2] == pgid.to_string()
        })
}

/// Everything a run printed: stdout, then stderr.
pub fn all_text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The check with `id` in a JSON report.
pub fn check<'a>(v: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {id} check in {v}"))
}

/// The finding codes of check `id`.
pub fn codes(v: &serde_json::Value, id: &str) -> Vec<String> {
    check(v, id)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// Every finding's code in a run's JSON, in report order.
pub fn all_codes(v: &serde_json::Value) -> Vec<String> {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["findings"].as_array().unwrap().iter())
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

pub fn status<'a>(v: &'a serde_json::Value, id: &str) -> &'a str {
    check(v, id)["status"].as_str().unwrap()
}

pub const OTHER_USER: &str = "ardoctor-e2e";

/// A test's prerequisite: `Some(thing)` when it is here. When it is not: in CI (`CI=true`, where
/// `.ci/run` installs every prerequisite) the test fails loudly; elsewhere it says why it skips.
/// No test skips silently.
pub fn prerequisite<T>(what: &str, found: Option<T>) -> Option<T> {
    if found.is_some() {
        return found;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("prerequisite missing in CI: {what} (.ci/run must provide it)");
    }
    eprintln!("SKIPPED (not in CI): {what} is missing");
    None
}

/// Create the second OS user the listener runs as; None (with the reason printed) where we can't
/// outside CI; in CI, a failure.
pub fn other_user() -> Option<(u32, u32)> {
    prerequisite(
        "root, useradd and runuser, for a second OS user",
        create_other_user(),
    )
}

fn create_other_user() -> Option<(u32, u32)> {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("creating a second OS user needs root (CI runs as root)");
        return None;
    }
    if nix::unistd::User::from_name(OTHER_USER)
        .ok()
        .flatten()
        .is_none()
    {
        let st = std::process::Command::new("useradd")
            .args(["-m", "-s", "/bin/sh", OTHER_USER])
            .status();
        // Another test may have created it at the same moment.
        let exists = nix::unistd::User::from_name(OTHER_USER)
            .ok()
            .flatten()
            .is_some();
        if !matches!(st, Ok(s) if s.success()) && !exists {
            eprintln!("useradd {OTHER_USER} failed: {st:?}");
            return None;
        }
    }
    if which::which("runuser").is_err() {
        eprintln!("runuser is not installed");
        return None;
    }
    let u = nix::unistd::User::from_name(OTHER_USER).ok().flatten()?;
    Some((u.uid.as_raw(), u.gid.as_raw()))
}

/// Hold `text` against the snapshot `name` (the test gives it; the test binary — cli, network…
/// — prefixes it), with what differs from run to run (temporary paths, pids, ports, durations,
/// clock times) replaced by placeholders. Everything else must match to the byte.
pub fn snapshot(name: &str, text: &str) {
    // The test binary (cli, network, …) as a prefix: `mod common` sits inside it.
    let binary = module_path!().split("::").next().unwrap_or("e2e");
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(false);
    s.set_snapshot_path("../snapshots");
    for (re, to) in FILTERS {
        s.add_filter(re, *to);
    }
    let text = without_machine_events(text);
    s.bind(|| insta::assert_snapshot!(format!("{binary}__{name}"), text));
}

/// `text` without the events of "what changed": they are this machine's (its boot, its
/// directories' creation times), so no snapshot holds them; tests/timeline.rs holds them by
/// assertion. A line says where each list stood.
pub fn without_machine_events(text: &str) -> String {
    let mut out = String::new();
    let mut skip_until: Option<String> = None;
    for line in text.split_inclusive('\n') {
        if let Some(end) = skip_until.clone() {
            let t = line.trim_end();
            let done = match end.as_str() {
                // The human list: its indented lines.
                "human" => !line.starts_with("  "),
                // The markdown section: up to the next section.
                "markdown" => line.starts_with("## "),
                // A JSON array: up to its closing bracket at its own indentation.
                json_end => t == json_end || t == format!("{json_end},"),
            };
            if !done {
                continue;
            }
            skip_until = None;
            if end != "markdown" && end != "human" {
                continue;
            }
        }
        if line.starts_with("What changed, newest first") {
            out.push_str("[WHAT CHANGED: this machine's events]\n");
            skip_until = Some("human".into());
        } else if line.starts_with("## What changed") {
            out.push_str("## What changed: [this machine's events]\n\n");
            skip_until = Some("markdown".into());
        } else if let Some(indent) = line.strip_suffix("\"timeline\": [\n") {
            out.push_str(&format!("{indent}\"timeline\": [THIS MACHINE'S EVENTS],\n"));
            skip_until = Some(format!("{indent}]"));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// The run's JSON, replayed by the built doctor (`replay --json -`): every check's recorded
/// facts, judged again by today's rules, give the status and finding codes the run recorded, and
/// `replay` says nothing changed. Returns how many checks were judged again from their facts
/// (the count goes to `replay-count.txt`, one line per run, for the closing figures).
pub fn replays_as_recorded(json: &str) -> usize {
    let out = Command::cargo_bin("agent-rooms-doctor")
        .unwrap()
        .args(["replay", "--json", "-"])
        .write_stdin(json.to_string())
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let again: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "replay gave no JSON ({e}): {text}{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let live: serde_json::Value = serde_json::from_str(json).unwrap();
    let live = if live["checks"].is_object() {
        &live["checks"]
    } else {
        &live
    };
    let verdicts = |v: &serde_json::Value| -> Vec<(String, String, Vec<String>)> {
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let id = c["id"].as_str().unwrap().to_string();
                (
                    id.clone(),
                    c["status"].as_str().unwrap().to_string(),
                    codes(v, &id),
                )
            })
            .collect()
    };
    assert_eq!(
        verdicts(&again),
        verdicts(live),
        "the run's facts judged again by `replay` differ from the run\n{json}"
    );
    assert_eq!(again["changed"], serde_json::json!([]), "{again}");
    let kept = again["kept_as_recorded"].as_array().map_or(0, Vec::len);
    let n = again["checks"].as_array().unwrap().len() - kept;
    use std::io::Write;
    if let Ok(mut fh) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(Path::new(env!("CARGO_TARGET_TMPDIR")).join("replay-count.txt"))
    {
        let _ = writeln!(fh, "{n}");
    }
    // Replayed without --strict, a run fails when a check fails; a bundle recorded under
    // --strict is judged strictly again (a warning, or nothing passed, fails it).
    let v = verdicts(&again);
    let strict = again["strict"] == serde_json::json!(true);
    let fails = v.iter().any(|(_, s, _)| s == "fail")
        || (strict
            && (v.iter().any(|(_, s, _)| s == "warn") || !v.iter().any(|(_, s, _)| s == "pass")));
    assert_eq!(
        (out.status.code(), &again["ok"]),
        (Some(fails as i32), &serde_json::json!(!fails)),
        "replay's exit code follows the verdicts"
    );
    n
}

/// Programs a remedy names by bare name that belong to a supervisor or system this machine may
/// not have (the remedy is printed for the machine where the listener runs under it), and the
/// doctor itself (not installed on the tests' PATH).
const NAMED_FOR_ANOTHER_SYSTEM: &[&str] = &[
    "systemctl",
    "journalctl",
    "loginctl",
    "launchctl",
    "docker",
    "podman",
    "kubectl",
    "nssm",
    "pm2",
    "agent-rooms-doctor",
    "agent-rooms",
];

/// Every `$ ` line of a human output, as a person would paste it into `sh` in the doctor's
/// environment (PATH `path`): it parses, and the program it runs — past `env VAR=…`, `runuser -u
/// USER --`, `sudo -u USER`, `su - USER -c '…'` — is a full path that exists, or is found on that
/// PATH, or is named for a supervisor this machine does not run. Nothing is run. The count goes to
/// `paste-count.txt` in the tests' temporary directory (the closing note's figure).
pub fn printed_commands_resolve(text: &str, path: &str, name: &str) -> usize {
    let mut n = 0;
    for line in text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("$ "))
    {
        let line = line.split("    (as ").next().unwrap_or(line);
        let words = words_by_sh("/bin/sh", line);
        let program = program_of(&words);
        // `env PATH=… PROGRAM`: env looks PROGRAM up in the PATH the line itself sets.
        let path = path_set_by(&words).unwrap_or_else(|| path.to_string());
        let found = if program.contains('/') {
            Path::new(&program).exists()
        } else {
            NAMED_FOR_ANOTHER_SYSTEM.contains(&program.as_str())
                || path
                    .split(':')
                    .any(|d| Path::new(d).join(&program).is_file())
        };
        assert!(
            found,
            "{name}: `{line}` runs {program:?}, which is not there when pasted"
        );
        n += 1;
    }
    use std::io::Write;
    if let Ok(mut fh) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(Path::new(env!("CARGO_TARGET_TMPDIR")).join("paste-count.txt"))
    {
        let _ = writeln!(fh, "{name} {n}");
    }
    n
}

/// The PATH an `env PATH=… PROGRAM` line sets for its program (inside `su -c '…'` too).
fn path_set_by(words: &[String]) -> Option<String> {
    if let Some(c) = words.iter().position(|x| x == "-c") {
        if words.first().is_some_and(|w| w.ends_with("su")) && c + 1 < words.len() {
            return path_set_by(&words_by_sh("/bin/sh", &words[c + 1]));
        }
    }
    let env = words
        .iter()
        .position(|w| w == "env" || w.ends_with("/env"))?;
    words[env + 1..]
        .iter()
        .take_while(|w| w.contains('='))
        .find_map(|w| w.strip_prefix("PATH="))
        .map(str::to_string)
}

/// The program a command line runs, past the words that set who and with what it runs.
fn program_of(words: &[String]) -> String {
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        let base = w.rsplit('/').next().unwrap_or(w);
        match base {
            "env" => i += 1,
            _ if w.contains('=') && !w.starts_with('-') && i > 0 => i += 1,
            "runuser" | "sudo" => {
                // Their options, then the program (after `--` where there is one).
                i += 1;
                while i < words.len() && words[i].starts_with('-') {
                    let opt = words[i].as_str();
                    i += if opt == "--" {
                        1
                    } else if matches!(opt, "-u" | "--user") {
                        2
                    } else {
                        1
                    };
                    if opt == "--" {
                        break;
                    }
                }
            }
            "su" => {
                // `su - USER -c 'LINE'`: the program is LINE's.
                return match words.iter().position(|x| x == "-c") {
                    Some(c) if c + 1 < words.len() => {
                        program_of(&words_by_sh("/bin/sh", &words[c + 1]))
                    }
                    _ => "su".into(),
                };
            }
            _ => return w.to_string(),
        }
    }
    String::new()
}

/// What varies between runs of one scenario, and its placeholder.
pub const FILTERS: &[(&str, &str)] = &[
    (r"/tmp/\.tmp[A-Za-z0-9]+", "[TMP]"),
    (
        r"[^\s`(\x22=]*/agent-rooms-doctor-test/hosts/node_modules/\.bin",
        "[HOSTS]",
    ),
    (
        r"[^\s`(\x22=]*/agent-rooms-doctor-test/pm2/node_modules/\.bin",
        "[PM2]",
    ),
    (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
    // The build's identity (issue 41): its commit and date change every commit, its target
    // with the machine.
    (
        r"commit (?:[0-9a-f]{12}|unknown) \((?:\d{4}-\d{2}-\d{2}|unknown)\), [A-Za-z0-9_.-]+, installed by",
        "commit [COMMIT] ([DATE]), [TARGET], installed by",
    ),
    // runuser is printed by its path where the machine keeps it outside /usr/bin:/bin (Debian:
    // /usr/sbin); the tests that judge that assert it (`runuser_printed`), snapshots by name.
    (r"(?:/[\w./-]*/)?runuser -u ", "runuser -u "),
    (r#""runuser_at": "[^"]*""#, r#""runuser_at": "[RUNUSER]""#),
    // The doctor is printed by the path it runs from where another user's shell would not find
    // it (the test's build directory).
    (r#""doctor_at": "[^"]*""#, r#""doctor_at": "[DOCTOR]""#),
    (
        r"(?:/[\w.+-]+)+/target/[\w.+-]+/agent-rooms-doctor\b",
        "[DOCTOR]",
    ),
    (r"\b(pid|pids|PID|kill) \d+", "$1 [PID]"),
    (r"kill -CONT \d+", "kill -CONT [PID]"),
    (r"\b(in|after|within) \d+(\.\d+)? (ms|s)\b", "$1 [T]"),
    (r"\bup \d+[smhd]( \d+[smhd])*", "up [UPTIME]"),
    (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "[TIME]"),
    (r"\blooked at \d+ processes", "looked at [N] processes"),
    (r"\b\d+s (ago|old)\b", "[S]s $1"),
    (r"\b\d+d \d+h\b", "[DAYS]"),
    (r#""now": \d+"#, r#""now": [NOW]"#),
    // The system's zone differs between machines (a listener's TZ would be the test's own).
    (
        r#""zone": "[^"]*\(this system's zone\)""#,
        r#""zone": "[ZONE] (this system's zone)""#,
    ),
    (
        r"read in [^ ]+ \(this system's zone\)",
        "read in [ZONE] (this system's zone)",
    ),
    (
        r#""(duration_ms|elapsed_ms|uptime_secs)": \d+"#,
        r#""$1": [T]"#,
    ),
];

/// A real forwarding HTTP proxy (tinyproxy) on 127.0.0.1, stopped when dropped; None (with the
/// reason) where tinyproxy is missing outside CI.
pub struct Proxy {
    child: std::process::Child,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl Proxy {
    pub fn start() -> Option<Proxy> {
        let bin = prerequisite(
            "tinyproxy (Debian package tinyproxy-bin), a real forwarding proxy",
            which::which("tinyproxy").ok(),
        )?;
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let conf = dir.path().join("tinyproxy.conf");
        std::fs::write(
            &conf,
            format!(
                "Port {port}\nListen 127.0.0.1\nTimeout 10\nAllow 127.0.0.1\nMaxClients 20\nLogLevel Error\n"
            ),
        )
        .unwrap();
        let child = std::process::Command::new(bin)
            .args(["-d", "-c"])
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tinyproxy starts");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "tinyproxy did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(Proxy {
            child,
            port,
            _dir: dir,
        })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nothing listens on (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The real pm2 (npm package `pm2`), from `AGENT_ROOMS_DOCTOR_PM2` or the cache `.ci/run`
/// installs it in; None (with the reason) where it is missing outside CI.
pub fn pm2_bin() -> Option<PathBuf> {
    let found = std::env::var_os("AGENT_ROOMS_DOCTOR_PM2")
        .map(PathBuf::from)
        .or_else(|| {
            let home = std::env::var_os("HOME")?;
            Some(
                PathBuf::from(home)
                    .join(".cache/agent-rooms-doctor-test/pm2/node_modules/.bin/pm2"),
            )
        })
        .filter(|p| p.exists())
        .or_else(|| which::which("pm2").ok());
    prerequisite(
        "pm2 (npm package pm2; .ci/run installs it under ~/.cache/agent-rooms-doctor-test/pm2)",
        found,
    )
}

/// A pm2 daemon of the test's own (its own PM2_HOME), killed with everything it runs on drop.
pub struct Pm2 {
    pub bin: PathBuf,
    pub home: PathBuf,
    /// The environment pm2 (and so its apps) runs with.
    env: Vec<(String, String)>,
}

impl Pm2 {
    /// `pm2 start SCRIPT --name NAME -- watch` with HOME and PATH (and `extra`) as the app's
    /// environment; waits until the app's process runs. Returns its pid.
    pub fn start(
        f: &Fixture,
        script: &Path,
        name: &str,
        path: &str,
        extra: &[(&str, &str)],
    ) -> Option<(Pm2, u32)> {
        let pm2 = Pm2::at(f, &f.dir.path().join("pm2-home"), path, extra)?;
        pm2.start_app(script, name);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let out = pm2.cmd().arg("pid").arg(name).output().unwrap();
            let pid: u32 = String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .unwrap_or(0);
            if pid > 0 {
                return Some((pm2, pid));
            }
            assert!(Instant::now() < deadline, "pm2 did not start {name}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A pm2 whose PM2_HOME is `home` (not started: its first command starts its daemon), with
    /// HOME, PATH and `extra` as the apps' environment.
    pub fn at(f: &Fixture, home: &Path, path: &str, extra: &[(&str, &str)]) -> Option<Pm2> {
        let bin = pm2_bin()?;
        let mut env: Vec<(String, String)> = vec![
            ("HOME".into(), f.home.display().to_string()),
            ("PATH".into(), path.into()),
            ("PM2_HOME".into(), home.display().to_string()),
        ];
        env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Some(Pm2 {
            bin,
            home: home.to_path_buf(),
            env,
        })
    }

    /// `pm2 start SCRIPT --name NAME -- watch` (not waiting for it to run).
    pub fn start_app(&self, script: &Path, name: &str) {
        self.run(&[
            "start",
            script.to_str().unwrap(),
            "--name",
            name,
            "--",
            "watch",
        ]);
    }

    /// `pm2 ARGS`, which must succeed; returns its stdout.
    pub fn run(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "pm2 {args:?} failed: {}",
            all_text(&out)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The app `name` as `pm2 jlist` has it (its pm2_env fields at the top).
    pub fn app(&self, name: &str) -> Option<serde_json::Value> {
        let out = self.run(&["jlist"]);
        let line = out.lines().rev().find(|l| l.starts_with('['))?;
        let list: Vec<serde_json::Value> = serde_json::from_str(line).ok()?;
        list.into_iter().find(|a| a["name"] == name).map(|a| {
            let mut env = a["pm2_env"].clone();
            env["pid"] = a["pid"].clone();
            env
        })
    }

    /// Wait (up to 30 s) until app `name` is as `pred` wants it; returns it.
    pub fn wait_for(
        &self,
        name: &str,
        what: &str,
        pred: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(a) = self.app(name).filter(|a| pred(a)) {
                return a;
            }
            assert!(
                Instant::now() < deadline,
                "pm2 app {name} never got {what}: {:?}",
                self.app(name)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn cmd(&self) -> std::process::Command {
        // pm2's own `#!/usr/bin/env node` needs node on PATH; the app gets this environment.
        let mut c = std::process::Command::new(&self.bin);
        c.env_clear().envs(self.env.iter().map(|(k, v)| (k, v)));
        c.stdin(Stdio::null());
        c
    }
}

impl Drop for Pm2 {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill").output();
    }
}

/// A real cgroup in the named `systemd` hierarchy (cgroup v1 hybrid, as this machine kind has it)
/// at a path shaped like systemd's (`system.slice/NAME.service`,
/// `user.slice/…/user@UID.service/app.slice/NAME.service`), with a process moved into it: its
/// `/proc/PID/cgroup` then reads as a unit's does. Needs root and a writable hierarchy; on drop
/// its processes go back to the root cgroup and it is removed.
pub struct Cgroup {
    dir: PathBuf,
}

const SYSTEMD_HIERARCHY: &str = "/sys/fs/cgroup/systemd";

impl Cgroup {
    pub fn enter(pid: u32, rel: &str) -> Option<Cgroup> {
        let root = Path::new(SYSTEMD_HIERARCHY);
        let writable = nix::unistd::geteuid().is_root() && root.join("cgroup.procs").exists();
        prerequisite(
            "root and a writable named systemd cgroup hierarchy (/sys/fs/cgroup/systemd)",
            writable.then_some(()),
        )?;
        Some(Self::named(pid, rel).unwrap())
    }

    /// As `enter` where the hierarchy is known writable, for a name the cgroup file system may
    /// refuse (a line break, a name too long): the error rather than a panic.
    pub fn named(pid: u32, rel: &str) -> std::io::Result<Cgroup> {
        let dir = Path::new(SYSTEMD_HIERARCHY).join(rel);
        std::fs::create_dir_all(&dir)?;
        let c = Cgroup { dir };
        std::fs::write(c.dir.join("cgroup.procs"), pid.to_string())?;
        Ok(c)
    }
}

impl Drop for Cgroup {
    fn drop(&mut self) {
        let procs = std::fs::read_to_string(self.dir.join("cgroup.procs")).unwrap_or_default();
        for p in procs.lines() {
            let _ = std::fs::write(Path::new(SYSTEMD_HIERARCHY).join("cgroup.procs"), p);
        }
        // Remove the leaf and the parents this test made (rmdir fails harmlessly on one in use).
        let mut d = self.dir.clone();
        while d != Path::new(SYSTEMD_HIERARCHY) && std::fs::remove_dir(&d).is_ok() {
            if !d.pop() {
                break;
            }
        }
    }
}

/// `tmux -S SOCKET new-session -d ARGS…`. A tmux server that dies as it starts ("server exited
/// unexpectedly": seen about once in three runs right after the pm2 tests, whose daemons are
/// still being reaped) is the test machine's, not the doctor's: it is tried again, at most
/// three times, and the last answer returned.
pub fn tmux_new_session(tmux: &Path, socket: &Path, args: &[&str]) -> std::process::Output {
    let mut last = None;
    for _ in 0..3 {
        let out = std::process::Command::new(tmux)
            .arg("-S")
            .arg(socket)
            .args(["new-session", "-d"])
            .args(args)
            .output()
            .unwrap();
        let died = String::from_utf8_lossy(&out.stderr).contains("server exited unexpectedly");
        if !died {
            return out;
        }
        last = Some(out);
        std::thread::sleep(Duration::from_millis(200));
    }
    last.expect("tried at least once")
}

/// What `shell` makes of `line` as words (each after `printf '%s\0'`): how a printed command
/// parses back when pasted.
pub fn words_by_sh(shell: &str, line: &str) -> Vec<String> {
    let out = std::process::Command::new(shell)
        .args(["-c", &format!("printf '%s\\0' {line}")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{shell} could not run: {line}");
    let mut w: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .split('\0')
        .map(str::to_string)
        .collect();
    w.pop();
    w
}

/// The words `shell` makes of `line`, byte for byte (a file name may hold bytes that are not
/// UTF-8).
pub fn byte_words_by_sh(shell: &str, line: &str) -> Vec<Vec<u8>> {
    let out = std::process::Command::new(shell)
        .args(["-c", &format!("printf '%s\\0' {line}")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{shell} could not run: {line}");
    let mut w: Vec<Vec<u8>> = out.stdout.split(|b| *b == 0).map(<[u8]>::to_vec).collect();
    w.pop();
    w
}

/// `runuser` as the doctor prints it here: by its path where a `PATH=/usr/bin:/bin` shell would
/// not find it (Debian keeps it in /usr/sbin), else by its name.
pub fn runuser_printed() -> String {
    match which::which("runuser") {
        Ok(p)
            if !["/usr/local/bin", "/usr/bin", "/bin"]
                .iter()
                .any(|d| p.parent() == Some(Path::new(d))) =>
        {
            p.display().to_string()
        }
        _ => "runuser".into(),
    }
}

/// `o`, after asserting that its process succeeded (`what` names it, with its output, when not).
pub fn succeeded(o: std::process::Output, what: &str) -> std::process::Output {
    assert!(
        o.status.success(),
        "{what} failed ({}):\n{}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// The directory holding the real `codex` and `claude` (`node_modules/.bin`), installed by
/// `.ci/run` under ~/.cache/agent-rooms-doctor-test/hosts (or `AGENT_ROOMS_DOCTOR_HOSTS`).
pub fn hosts_bin() -> Option<PathBuf> {
    let dir = test_cache("AGENT_ROOMS_DOCTOR_HOSTS", "hosts")?.join("node_modules/.bin");
    prerequisite(
        "the real codex and claude CLIs (.ci/run installs @openai/codex@0.169.0 and @anthropic-ai/claude-code@2.1.332 under ~/.cache/agent-rooms-doctor-test/hosts)",
        (dir.join("codex").exists() && dir.join("claude").exists()).then_some(dir),
    )
}

/// A directory of the tests' cache outside the clone: `var` when set, else
/// ~/.cache/agent-rooms-doctor-test/`name`.
pub fn test_cache(var: &str, name: &str) -> Option<PathBuf> {
    std::env::var_os(var).map(PathBuf::from).or_else(|| {
        Some(
            PathBuf::from(std::env::var_os("HOME")?)
                .join(".cache/agent-rooms-doctor-test")
                .join(name),
        )
    })
}

/// `unshare -n`, for a network namespace of the test's own (root only).
pub fn unshare() -> Option<PathBuf> {
    prerequisite(
        "root and unshare (util-linux), for a network namespace without network",
        which::which("unshare")
            .ok()
            .filter(|_| nix::unistd::geteuid().is_root()),
    )
}

/// The built doctor's host check of the fixture's home (JSON when `json`), in a network namespace
/// of its own without network (`unshare -n`), with HOME and PATH (the fixture's bin, the
/// system's) alone: a real host CLI's status command cannot reach out.
pub fn host_without_network(f: &Fixture, unshare: &Path, json: bool) -> std::process::Output {
    let mut c = std::process::Command::new(unshare);
    c.arg("-n")
        .arg(assert_cmd::cargo::cargo_bin("agent-rooms-doctor"))
        .args(["host", "--home", f.ar_home.to_str().unwrap()])
        .env_clear()
        .env("HOME", &f.home)
        .env("PATH", format!("{}:{SYSTEM_PATH}", f.bin.display()));
    if json {
        c.arg("--json");
    }
    c.output().unwrap()
}

/// Now as RFC 3339 (UTC, seconds), from `date`: a heartbeat written by a test.
pub fn rfc3339_now() -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The document kind a doctor's JSON is, told by its shape: what `schemas/KIND.json` it is held
/// against.
pub fn document_kind(v: &serde_json::Value) -> &'static str {
    let has = |k: &str| v.get(k).is_some();
    match () {
        _ if has("report_id") => "bundle",
        _ if has("replayed_from") => "replay",
        _ if has("differences") => "diff",
        _ if has("steps") && has("left_to_you") => "fix",
        _ if has("summary") => "run",
        _ if has("checks") => "list",
        _ => "explain",
    }
}

/// What is wrong with `v` as a document of `kind` (empty: it is one), by a real validator
/// (jsonschema) against the committed `schemas/KIND.json`.
pub fn schema_errors(kind: &str, v: &serde_json::Value) -> Vec<String> {
    static VALIDATORS: std::sync::OnceLock<
        std::collections::HashMap<String, jsonschema::Validator>,
    > = std::sync::OnceLock::new();
    let validators = VALIDATORS.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        std::fs::read_dir(&dir)
            .expect("schemas/")
            .map(|e| e.unwrap().path())
            .map(|p| {
                let schema: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
                let kind = p.file_stem().unwrap().to_string_lossy().into_owned();
                (kind, jsonschema::validator_for(&schema).expect("a schema"))
            })
            .collect()
    });
    let validator = validators
        .get(kind)
        .unwrap_or_else(|| panic!("no schema for {kind}"));
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    // Counted over the whole run (.ci/run prints the total): one line per document validated.
    let log = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("schema-validations");
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
    {
        let _ = std::io::Write::write_all(&mut f, format!("{kind}\n").as_bytes());
    }
    errors
}

/// A doctor's JSON document (stdout of `--json`, a bundle, `fix --json`…), parsed and held
/// against its kind's schema: a document that breaks it fails the test here.
pub fn document(bytes: &[u8]) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)));
    let kind = document_kind(&v);
    let errors = schema_errors(kind, &v);
    assert!(
        errors.is_empty(),
        "the {kind} document breaks schemas/{kind}.json:\n{}\n{v:#}",
        errors.join("\n")
    );
    v
}
