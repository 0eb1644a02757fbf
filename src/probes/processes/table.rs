//! The process table, read as little as finding listeners needs: every process's command line
//! (on Linux one read of `/proc/PID/cmdline`, nothing else), then the rest — parent, user, state,
//! start time, environment — only for the candidates (command lines that name agent-rooms, and
//! pm2's apps) and their ancestors. Linux reads `/proc` (procfs parses stat and status); other
//! systems read sysinfo's table.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::OsString;

/// One process, as far as the scan needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proc {
    pub pid: u32,
    pub ppid: Option<u32>,
    pub uid: u32,
    pub cmd: Vec<OsString>,
    /// Seconds since the epoch.
    pub start_time: u64,
    /// Milliseconds since the epoch, as precise as the platform gives it (a clock tick on
    /// Linux; a second elsewhere).
    pub start_ms: u64,
    /// State T or t: Ctrl-Z, SIGSTOP, a debugger.
    pub stopped: bool,
    pub zombie: bool,
}

/// Does a command line name agent-rooms anywhere (any case)? Every listener, wrapper and
/// pm2-rewritten title does: `agent-rooms`, `agent-rooms.js`, `.exe`, `.cmd` all hold it.
pub fn names_agent_rooms(raw: &[u8]) -> bool {
    raw.windows(11)
        .any(|w| w.eq_ignore_ascii_case(b"agent-rooms"))
}

/// Split a raw command line (`/proc/PID/cmdline`: NUL-separated) into its arguments; the empty
/// strings of a rewritten title's padding go.
#[cfg(target_os = "linux")]
pub fn split_cmdline(raw: &[u8]) -> Vec<OsString> {
    raw.split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(os_string)
        .collect()
}

#[cfg(target_os = "linux")]
fn os_string(bytes: &[u8]) -> OsString {
    use std::os::unix::ffi::OsStringExt;
    OsString::from_vec(bytes.to_vec())
}

/// The first argument as a process title (pm2's daemon writes its whole title there).
fn title_of(raw: &[u8]) -> &[u8] {
    let first = raw.split(|b| *b == 0).next().unwrap_or(raw);
    first.trim_ascii_end()
}

fn is_pm2_daemon(raw: &[u8]) -> bool {
    super::super::supervision::is_pm2_daemon(&String::from_utf8_lossy(title_of(raw)))
}

/// The boot time to the millisecond: the real-time clock less the time since boot (both read
/// now), where /proc/stat's `btime` is whole seconds; that, where the clocks cannot be read.
#[cfg(target_os = "linux")]
fn boot_ms() -> u64 {
    use nix::time::{clock_gettime, ClockId};
    let ms =
        |t: nix::sys::time::TimeSpec| t.tv_sec() as i128 * 1000 + t.tv_nsec() as i128 / 1_000_000;
    match (
        clock_gettime(ClockId::CLOCK_REALTIME),
        clock_gettime(ClockId::CLOCK_BOOTTIME),
    ) {
        (Ok(now), Ok(up)) => u64::try_from(ms(now) - ms(up)).unwrap_or(0),
        _ => procfs::boot_time_secs().map_or(0, |s| s * 1000),
    }
}

/// How precisely start times are known, in milliseconds: a clock tick on Linux (the boot time
/// to the millisecond plus the kernel's ticks), a second elsewhere.
pub fn start_precision_ms() -> u64 {
    #[cfg(target_os = "linux")]
    return 1000 / procfs::ticks_per_second().max(1) + 1;
    #[cfg(not(target_os = "linux"))]
    return 1000;
}

pub struct Table {
    seen: usize,
    candidates: Vec<u32>,
    cache: RefCell<HashMap<u32, Option<Proc>>>,
    /// When the machine booted, in milliseconds since the epoch.
    #[cfg(target_os = "linux")]
    boot_ms: u64,
    #[cfg(not(target_os = "linux"))]
    sys: RefCell<sysinfo::System>,
    /// The doctor's own user, as sysinfo names it (a SID on Windows).
    #[cfg(not(target_os = "linux"))]
    me: Option<sysinfo::Uid>,
}

impl Table {
    /// How many processes were looked at (threads excluded).
    pub fn seen(&self) -> usize {
        self.seen
    }

    /// The processes worth a closer look, by pid.
    pub fn candidates(&self) -> &[u32] {
        &self.candidates
    }

    /// A process in full (read once, then remembered).
    pub fn get(&self, pid: u32) -> Option<Proc> {
        if let Some(p) = self.cache.borrow().get(&pid) {
            return p.clone();
        }
        let p = self.read_one(pid);
        self.cache.borrow_mut().insert(pid, p.clone());
        p
    }
}

/// From this many processes on, the command lines are read by more than one thread.
#[cfg(target_os = "linux")]
const PARALLEL_FROM: usize = 2048;

/// The candidates (command lines naming agent-rooms) and pm2 daemons among `pids`, read by
/// `threads` threads, each a contiguous share, in `pids`' order. A thread that cannot be started
/// leaves its share to this one.
#[cfg(target_os = "linux")]
fn sorted_out(pids: &[u32], threads: usize) -> (Vec<u32>, Vec<u32>) {
    if threads <= 1 || pids.len() < 2 {
        return sort_out(pids);
    }
    let (mut candidates, mut daemons) = (vec![], vec![]);
    std::thread::scope(|s| {
        let shares: Vec<_> = pids
            .chunks(pids.len().div_ceil(threads))
            .map(|share| {
                let worker = std::thread::Builder::new()
                    .name("proc-scan".into())
                    .spawn_scoped(s, move || sort_out(share));
                (share, worker)
            })
            .collect();
        for (share, worker) in shares {
            let (c, d) = match worker {
                Ok(w) => w.join().unwrap_or_else(|_| sort_out(share)),
                Err(_) => sort_out(share),
            };
            candidates.extend(c);
            daemons.extend(d);
        }
    });
    (candidates, daemons)
}

/// One thread's share: one buffer and one path for every process (open, read to the end,
/// close; no size query, which a /proc file has not, and no allocation each).
#[cfg(target_os = "linux")]
fn sort_out(pids: &[u32]) -> (Vec<u32>, Vec<u32>) {
    use std::fmt::Write;
    use std::io::Read;
    let (mut candidates, mut daemons) = (vec![], vec![]);
    let (mut raw, mut path) = (Vec::with_capacity(4096), String::with_capacity(32));
    for &pid in pids {
        path.clear();
        let _ = write!(path, "/proc/{pid}/cmdline");
        raw.clear();
        // A process that ended since the directory was listed is simply gone.
        let read = std::fs::File::open(&path).and_then(|mut f| f.read_to_end(&mut raw));
        if read.is_err() {
            continue;
        }
        if names_agent_rooms(&raw) {
            candidates.push(pid);
        } else if is_pm2_daemon(&raw) {
            daemons.push(pid);
        }
    }
    (candidates, daemons)
}

#[cfg(target_os = "linux")]
impl Table {
    pub fn read() -> Result<Table, String> {
        let dir = std::fs::read_dir("/proc")
            .map_err(|e| format!("cannot read the process table (/proc): {e}"))?;
        let pids: Vec<u32> = dir
            .flatten()
            .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()))
            .collect();
        let seen = pids.len();
        // A build farm has tens of thousands of processes: past a few thousand, their command
        // lines are read by as many threads as the machine has cores (at most 4), each a share.
        let threads = if pids.len() < PARALLEL_FROM {
            1
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
        };
        let (mut candidates, daemons) = sorted_out(&pids, threads);
        // pm2 rewrites its apps' command lines (`node /path/agent-rooms.js`, or its own name for
        // the app): every child of its daemon is a candidate (the scan checks pm_exec_path).
        for d in daemons {
            let children = procfs::process::Process::new(d as i32)
                .and_then(|p| p.task_main_thread())
                .and_then(|t| t.children())
                .unwrap_or_default();
            for c in children {
                if !candidates.contains(&c) {
                    candidates.push(c);
                }
            }
        }
        Ok(Table {
            seen,
            candidates,
            cache: RefCell::default(),
            boot_ms: boot_ms(),
        })
    }

    fn read_one(&self, pid: u32) -> Option<Proc> {
        let p = procfs::process::Process::new(pid as i32).ok()?;
        let stat = p.stat().ok()?;
        let raw = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let uid = p
            .status()
            .map(|s| s.ruid)
            .or_else(|_| p.uid())
            .unwrap_or(u32::MAX);
        let ticks = procfs::ticks_per_second().max(1);
        let start_ms = self.boot_ms + stat.starttime * 1000 / ticks;
        Some(Proc {
            pid,
            ppid: u32::try_from(stat.ppid).ok().filter(|p| *p > 0),
            uid,
            cmd: split_cmdline(&raw),
            start_time: start_ms / 1000,
            start_ms,
            stopped: matches!(stat.state, 'T' | 't'),
            zombie: matches!(stat.state, 'Z' | 'X'),
        })
    }

    /// The process's environment as `KEY=VALUE\0…`, or why it cannot be read.
    pub fn environ(&self, pid: u32) -> Result<Vec<u8>, String> {
        std::fs::read(format!("/proc/{pid}/environ")).map_err(|e| {
            if e.kind() == std::io::ErrorKind::PermissionDenied {
                "permission denied (run the doctor as that user or as root)".into()
            } else {
                e.to_string()
            }
        })
    }
}

#[cfg(not(target_os = "linux"))]
impl Table {
    pub fn read() -> Result<Table, String> {
        use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, System, UpdateKind};
        let mut sys = System::new().map_err(|e| format!("cannot read the process table: {e}"))?;
        let kind = ProcessRefreshKind::nothing()
            .with_cmd(UpdateKind::Always)
            .with_user(UpdateKind::Always)
            .without_tasks();
        sys.refresh_processes_specifics(ProcessesToUpdate::All, true, kind);
        let procs = sys.processes();
        let raw = |p: &sysinfo::Process| -> Vec<u8> {
            p.cmd()
                .iter()
                .flat_map(|a| a.as_encoded_bytes().iter().copied().chain([0]))
                .collect()
        };
        let daemons: Vec<sysinfo::Pid> = procs
            .iter()
            .filter(|(_, p)| is_pm2_daemon(&raw(p)))
            .map(|(pid, _)| *pid)
            .collect();
        let seen = procs.values().filter(|p| p.thread_kind().is_none()).count();
        let candidates = procs
            .iter()
            .filter(|(_, p)| p.thread_kind().is_none())
            .filter(|(_, p)| {
                names_agent_rooms(&raw(p)) || p.parent().is_some_and(|pp| daemons.contains(&pp))
            })
            .map(|(pid, _)| pid.as_u32())
            .collect();
        let me = sysinfo::get_current_pid()
            .ok()
            .and_then(|me| sys.process(me))
            .and_then(|p| p.user_id())
            .cloned();
        Ok(Table {
            seen,
            candidates,
            cache: RefCell::default(),
            sys: RefCell::new(sys),
            me,
        })
    }

    fn read_one(&self, pid: u32) -> Option<Proc> {
        use sysinfo::ProcessStatus;
        let sys = self.sys.borrow();
        let p = sys.process(sysinfo::Pid::from_u32(pid))?;
        Some(Proc {
            pid,
            ppid: p.parent().map(|x| x.as_u32()),
            uid: uid_of(p, self.me.as_ref()),
            cmd: p.cmd().to_vec(),
            start_time: p.start_time(),
            start_ms: p.start_time() * 1000,
            stopped: matches!(p.status(), ProcessStatus::Stop | ProcessStatus::Tracing),
            zombie: p.status() == ProcessStatus::Zombie,
        })
    }

    /// The process's environment as `KEY=VALUE\0…`; macOS and Windows show another user's
    /// environment to no one (not even root or an administrator).
    pub fn environ(&self, pid: u32) -> Result<Vec<u8>, String> {
        use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, UpdateKind};
        let mut sys = self.sys.borrow_mut();
        let p = sysinfo::Pid::from_u32(pid);
        sys.refresh_processes_specifics(
            ProcessesToUpdate::Some(&[p]),
            false,
            ProcessRefreshKind::nothing().with_environ(UpdateKind::Always),
        );
        let env = sys.process(p).map(|p| p.environ()).unwrap_or_default();
        if env.is_empty() {
            return Err(
                "not readable: this system shows a process's environment to its own user only (run \
                    the doctor as that user)"
                    .into(),
            );
        }
        Ok(env
            .iter()
            .flat_map(|e| e.as_encoded_bytes().iter().copied().chain([0]))
            .collect())
    }
}

/// The uid of a process's user. Windows has SIDs: the doctor's own is `users::MY_UID`, any
/// other a stable number from its SID (never 0: Windows has no root).
#[cfg(all(unix, not(target_os = "linux")))]
fn uid_of(p: &sysinfo::Process, _me: Option<&sysinfo::Uid>) -> u32 {
    p.user_id().map(|u| **u).unwrap_or(u32::MAX)
}

#[cfg(not(unix))]
fn uid_of(p: &sysinfo::Process, me: Option<&sysinfo::Uid>) -> u32 {
    match p.user_id() {
        Some(u) if Some(u) == me => super::super::users::MY_UID,
        Some(u) => {
            let sid = u.to_string();
            let h = sid
                .bytes()
                .fold(2166136261u32, |h, b| (h ^ b as u32).wrapping_mul(16777619));
            h.max(2)
        }
        None => u32::MAX,
    }
}

#[cfg(test)]
mod tests {
    #[cfg_attr(not(unix), allow(unused_imports))]
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn command_lines_are_split_and_sifted_by_bytes() {
        assert!(names_agent_rooms(
            b"node\0/usr/lib/Agent-Rooms/bin/x.js\0watch\0"
        ));
        assert!(names_agent_rooms(b"C:\\bin\\AGENT-ROOMS.CMD watch"));
        assert!(!names_agent_rooms(b"agent_rooms\0watch\0"));
        assert!(!names_agent_rooms(b"agent-room"));
        assert_eq!(
            split_cmdline(b"node\0/a/agent-rooms.js\0watch\0"),
            vec!["node", "/a/agent-rooms.js", "watch"]
        );
        // pm2's rewritten title: one string, NUL padding.
        assert_eq!(
            split_cmdline(b"node /a/agent-rooms.js   \0\0\0"),
            vec!["node /a/agent-rooms.js   "]
        );
        assert!(split_cmdline(b"").is_empty());
        assert!(is_pm2_daemon(b"PM2 v7.0.4: God Daemon (/root/.pm2)\0\0"));
        assert!(!is_pm2_daemon(b"node\0pm2\0start\0"));
    }

    #[cfg(target_os = "linux")]
    #[cfg(target_os = "linux")]
    #[test]
    fn shares_read_by_threads_find_what_one_thread_finds() {
        // Two processes whose command lines name agent-rooms ($0 of a shell), among others and
        // a pid that does not exist: every way of sharing finds both, in the list's order.
        let marked = || {
            std::process::Command::new("/bin/sh")
                .args(["-c", "sleep 30", "agent-rooms-scan-share-test"])
                .spawn()
                .unwrap()
        };
        let (mut a, mut b) = (marked(), marked());
        // Until both have exec'd (before, a child's command line is the test's).
        for c in [&a, &b] {
            let path = format!("/proc/{}/cmdline", c.id());
            for _ in 0..500 {
                if std::fs::read(&path).is_ok_and(|r| names_agent_rooms(&r)) {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
        let pids = [1, a.id(), std::process::id(), u32::MAX - 1, b.id()];
        for threads in [1, 2, 3, 4, 64] {
            assert_eq!(
                sorted_out(&pids, threads),
                (vec![a.id(), b.id()], vec![]),
                "{threads} threads"
            );
        }
        for c in [&mut a, &mut b] {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_table_reads_this_process_in_full() {
        let t = Table::read().unwrap();
        assert!(t.seen() > 1);
        let me = std::process::id();
        let p = t.get(me).expect("the test process");
        assert_eq!(p.uid, nix::unistd::getuid().as_raw());
        assert_eq!(p.ppid, Some(nix::unistd::getppid().as_raw() as u32));
        assert!(!p.cmd.is_empty() && !p.stopped && !p.zombie);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(
            p.start_time <= now + 1 && p.start_time + 3600 > now,
            "{p:?}"
        );
        assert!(t.environ(me).unwrap().windows(5).any(|w| w == b"PATH="));
        assert!(t.get(u32::MAX).is_none());
    }
}
