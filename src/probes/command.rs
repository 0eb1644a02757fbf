//! Running a command: stdin closed, bounded in time (its whole process group killed on expiry),
//! output capped, with a chosen environment. What it said is data; the caller reads it.

use serde::{Deserialize, Serialize};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::AsyncReadExt;

/// What a command said. In the facts its output is never relayed raw: only its first line,
/// sanitised and short (the doctor's own reading of it is the verdict).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum CmdResult {
    Exited {
        code: Option<i32>,
        #[serde(serialize_with = "first_line_only")]
        stdout: String,
        #[serde(serialize_with = "first_line_only")]
        stderr: String,
    },
    TimedOut {
        after_ms: u64,
    },
    /// Could not start it (ENOENT, EACCES, a missing interpreter…).
    NotStarted {
        error: String,
    },
}

/// The first non-empty line of a command's output that is not a warning (codex 0.169 warns
/// about its PATH aliases before it answers), else the first non-empty line; as data: no escape
/// sequence or control character, at most 120 characters.
pub fn first_line(s: &str) -> String {
    let lines = || s.lines().map(str::trim).filter(|l| !l.is_empty());
    let line = lines()
        .find(|l| !l.to_ascii_lowercase().starts_with("warning"))
        .or_else(|| lines().next())
        .unwrap_or("");
    crate::sanitize::outside(line, 120)
}

fn first_line_only<S: serde::Serializer>(s: &str, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(&first_line(s))
}

/// A command's stdout when it exited 0; else why not, in words that name `what` was run.
pub fn answered(r: CmdResult, what: &str) -> Result<String, String> {
    match r {
        CmdResult::Exited {
            code: Some(0),
            stdout,
            ..
        } => Ok(stdout),
        CmdResult::Exited { code, stderr, .. } => Err(format!(
            "`{what}` exited with {}: {}",
            code.map_or("a signal".to_string(), |c| c.to_string()),
            first_line(&stderr)
        )),
        CmdResult::TimedOut { after_ms } => {
            Err(format!("`{what}` did not answer within {after_ms} ms"))
        }
        CmdResult::NotStarted { error } => Err(format!("`{what}` could not start: {error}")),
    }
}

/// Run `program args` with exactly `env` (when given; else the doctor's own), within `limit`,
/// keeping the first `cap` bytes of each stream.
pub async fn run(
    program: &Path,
    args: &[&str],
    env: Option<&[(String, String)]>,
    limit: Duration,
    cap: usize,
) -> CmdResult {
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args);
    if let Some(env) = env {
        cmd.env_clear();
        cmd.envs(env.iter().map(|(k, v)| (k, v)));
    }
    run_prepared(cmd, limit, cap).await
}

/// Another user to run a command as: set before exec (no `su`, no shell), with their group,
/// home and names; supplementary groups are dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsUser {
    pub uid: u32,
    pub gid: u32,
    pub name: String,
    pub home: Option<std::path::PathBuf>,
}

/// Who `uid` is, to run a command as them (None when the passwd database does not know them).
#[cfg(unix)]
pub fn as_user(uid: u32) -> Option<AsUser> {
    let u = nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid)).ok()??;
    Some(AsUser {
        uid,
        gid: u.gid.as_raw(),
        name: u.name,
        home: Some(u.dir),
    })
}
#[cfg(not(unix))]
pub fn as_user(_: u32) -> Option<AsUser> {
    None
}

/// Run an argument list as it is (`argv[0]` found on PATH when it has no slash), with `env`
/// added to the doctor's environment, as `user` when given (the doctor must be root), within
/// `limit`. No shell reads any of it.
pub async fn run_argv(
    argv: &[String],
    env: &[(String, String)],
    user: Option<&AsUser>,
    limit: Duration,
    cap: usize,
) -> CmdResult {
    let Some((program, args)) = argv.split_first() else {
        return CmdResult::NotStarted {
            error: "no program".into(),
        };
    };
    // (A word may stand for bytes that are not UTF-8: a file name's, given byte for byte.)
    let mut cmd = tokio::process::Command::new(crate::raw_bytes::os_word(program));
    cmd.args(args.iter().map(|a| crate::raw_bytes::os_word(a)));
    if let Some(u) = user {
        cmd.env("HOME", u.home.clone().unwrap_or_else(|| "/".into()))
            .env("USER", &u.name)
            .env("LOGNAME", &u.name);
        if let Some(h) = u.home.as_ref().filter(|h| h.is_dir()) {
            cmd.current_dir(h);
        } else {
            cmd.current_dir("/");
        }
        #[cfg(unix)]
        cmd.uid(u.uid).gid(u.gid);
    }
    cmd.envs(env.iter().map(|(k, v)| (k, v)));
    run_prepared(cmd, limit, cap).await
}

/// The process groups of the commands running now (each command is its own group's leader),
/// so a signal to the doctor can end them all (`end_all`).
static RUNNING: std::sync::Mutex<Vec<i32>> = std::sync::Mutex::new(Vec::new());

/// The signal that interrupted the doctor (0: none).
static INTERRUPTED: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// Set while the command being run answers an interrupt itself (`fix`: it stops before its next
/// step and says what ran), so the signal handler leaves the exit to it.
static ANSWERS_INTERRUPT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The running command answers an interrupt itself from now on (see `ANSWERS_INTERRUPT`).
pub fn answer_interrupts() {
    ANSWERS_INTERRUPT.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// Does the running command answer an interrupt itself?
pub fn answers_interrupts() -> bool {
    ANSWERS_INTERRUPT.load(std::sync::atomic::Ordering::SeqCst)
}

/// The doctor was interrupted by this signal (`app` sets it when one arrives).
pub fn interrupted() -> Option<i32> {
    match INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// Say the doctor was interrupted by `signal`: no command starts from now on.
pub fn interrupt(signal: i32) {
    INTERRUPTED.store(signal, std::sync::atomic::Ordering::SeqCst);
}

/// End every process group the doctor started: SIGTERM, then after `grace` SIGKILL to what is
/// left (a command that ignores SIGTERM). Returns how many groups there were.
#[cfg(unix)]
pub fn end_all(grace: Duration) -> usize {
    use nix::sys::signal::{killpg, Signal};
    use nix::unistd::Pid;
    let groups: Vec<i32> = RUNNING.lock().map(|g| g.clone()).unwrap_or_default();
    for g in &groups {
        let _ = killpg(Pid::from_raw(*g), Signal::SIGTERM);
    }
    let until = std::time::Instant::now() + grace;
    let alive = |g: &i32| group_lives(*g);
    while groups.iter().any(alive) && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    for g in groups.iter().filter(|g| alive(g)) {
        let _ = killpg(Pid::from_raw(*g), Signal::SIGKILL);
    }
    // A killed process is gone a moment later, not at once (more so on a loaded machine): the
    // doctor exits after they are, so nothing it started is seen running after it.
    let until = std::time::Instant::now() + Duration::from_secs(2);
    while groups.iter().any(alive) && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(10));
    }
    groups.len()
}

/// Does a process of group `g` still run? A zombie does not (it has ended; only its parent's
/// wait is left). On Linux, read from /proc; elsewhere, whether the group can be signalled.
#[cfg(unix)]
fn group_lives(g: i32) -> bool {
    #[cfg(target_os = "linux")]
    {
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return nix::sys::signal::killpg(nix::unistd::Pid::from_raw(g), None).is_ok();
        };
        dir.flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .bytes()
                    .all(|b| b.is_ascii_digit())
            })
            .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
            .any(|stat| {
                // After the command's closing parenthesis: state, ppid, pgrp.
                let mut rest = stat.rsplit(')').next().unwrap_or("").split_whitespace();
                let state = rest.next().unwrap_or("Z");
                let pgrp = rest.nth(1).and_then(|p| p.parse::<i32>().ok());
                state != "Z" && state != "X" && pgrp == Some(g)
            })
    }
    #[cfg(not(target_os = "linux"))]
    {
        nix::sys::signal::killpg(nix::unistd::Pid::from_raw(g), None).is_ok()
    }
}

/// Run a prepared command: stdin closed, output captured, its own process group, bounded.
async fn run_prepared(mut cmd: tokio::process::Command, limit: Duration, cap: usize) -> CmdResult {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    // Its own process group, so whatever it starts ends with it.
    #[cfg(unix)]
    cmd.process_group(0);
    if let Some(sig) = interrupted() {
        return CmdResult::NotStarted {
            error: format!("the doctor was interrupted (signal {sig})"),
        };
    }
    // Registered while the lock is held, so a signal's `end_all` sees every group started.
    let spawned = {
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        cmd.spawn().inspect(|c| {
            running.extend(c.id().and_then(|p| i32::try_from(p).ok()));
        })
    };
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => {
            return CmdResult::NotStarted {
                error: e.to_string(),
            }
        }
    };
    let group = child.id().and_then(|p| i32::try_from(p).ok());
    let (out, err) = (child.stdout.take(), child.stderr.take());
    let work = async {
        let (stdout, stderr, status) = tokio::join!(drain(out, cap), drain(err, cap), child.wait());
        (status, stdout, stderr)
    };
    let result = match tokio::time::timeout(limit, work).await {
        Ok((status, stdout, stderr)) => CmdResult::Exited {
            code: status.ok().and_then(|s| s.code()),
            stdout,
            stderr,
        },
        Err(_) => CmdResult::TimedOut {
            after_ms: limit.as_millis() as u64,
        },
    };
    // End the group: a status command that overran, and anything it left running. (`child`
    // itself is dropped after this, and kill_on_drop ends it too.)
    // (Windows: `child` alone ends, when dropped.)
    #[cfg(unix)]
    if let Some(pg) = group {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(pg),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
    if let Ok(mut r) = RUNNING.lock() {
        r.retain(|g| Some(*g) != group);
    }
    result
}

/// Read a stream to its end, keeping the first `cap` bytes (the rest is read and dropped, so a
/// chatty child never blocks on a full pipe).
async fn drain<R: tokio::io::AsyncRead + Unpin>(r: Option<R>, cap: usize) -> String {
    let Some(mut r) = r else { return String::new() };
    let mut kept = Vec::new();
    let mut buf = [0u8; 8192];
    while let Ok(n) = r.read(&mut buf).await {
        if n == 0 {
            break;
        }
        let room = cap.saturating_sub(kept.len());
        kept.extend_from_slice(&buf[..n.min(room)]);
    }
    String::from_utf8_lossy(&kept).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_skips_warnings() {
        assert_eq!(
            first_line("WARNING: proceeding, even though we could not create PATH aliases\nNot logged in\n"),
            "Not logged in"
        );
        assert_eq!(first_line("\n  warning: only this\n"), "warning: only this");
        assert_eq!(first_line("\x1b[31mLogged in\x1b[0m\nmore"), "Logged in");
        assert_eq!(first_line(""), "");
    }

    #[test]
    fn an_answer_is_its_stdout_or_why_not() {
        let ok = CmdResult::Exited {
            code: Some(0),
            stdout: "[]".into(),
            stderr: String::new(),
        };
        assert_eq!(answered(ok, "pm2 jlist"), Ok("[]".to_string()));
        let failed = CmdResult::Exited {
            code: Some(1),
            stdout: String::new(),
            stderr: "\nFailed to connect to bus\nmore".into(),
        };
        assert_eq!(
            answered(failed, "systemctl show x"),
            Err("`systemctl show x` exited with 1: Failed to connect to bus".to_string())
        );
        let killed = CmdResult::Exited {
            code: None,
            stdout: String::new(),
            stderr: String::new(),
        };
        assert!(answered(killed, "x")
            .unwrap_err()
            .contains("exited with a signal"));
        let slow = CmdResult::TimedOut { after_ms: 900 };
        assert_eq!(
            answered(slow, "x"),
            Err("`x` did not answer within 900 ms".to_string())
        );
    }
}
