//! The Windows build (x86_64-pc-windows-gnu, made by `scripts/cross.sh`) run for real under
//! Debian's Wine (`.ci/run` installs `wine` and `wine64`): the home under `%APPDATA%`, the
//! process table as Windows gives it (sysinfo), a listener that is a Windows program, remedies
//! printed for PowerShell, exit codes.
//!
//! Where Wine differs from Windows, said here and in README's platform table:
//! - Debian 12's Wine 8.0 has no `bcryptprimitives.dll`, which Rust's std imports for random bytes
//!   (`ProcessPrng`); without it the exe does not load (status c0000135). A test-only stand-in,
//!   `tests/windows/bcryptprimitives.c`, cross-built here with zig, sits beside the exe and fills
//!   the buffer from `SystemFunction036` (RtlGenRandom). Windows 10 and later have the real one.
//! - Wine's user is the Unix user (`C:\users\root` under CI), and its `%APPDATA%` is fixed by the
//!   prefix (an `APPDATA` in the Unix environment does not reach the program): the tests set the
//!   home up in the prefix's own `AppData\Roaming`.
//! - Wine's process table holds only the prefix's own Windows programs, so the Windows doctor
//!   sees the fake listener and none of the Linux tests' listeners.
//!
//! One Wine prefix, made once under the target directory and kept (wineboot takes seconds); the
//! tests take a lock on it, since they share its `%APPDATA%` (after the Linux fixture's process
//! lock, in that order, so two tests never wait on each other).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::api::{Api, Reply};
use common::{check, codes, status};

const TOKEN: &str = "ar_live_Zx81TOPSECRETtokenValue42";

/// The Windows exe, with the stand-in DLL beside it, and a Wine prefix to run it in.
struct Wine {
    wine: PathBuf,
    prefix: PathBuf,
    /// The directory holding agent-rooms-doctor.exe, bcryptprimitives.dll and agent-rooms.exe.
    bin: PathBuf,
    /// The prefix's user's `%APPDATA%`, as a Unix path.
    appdata: PathBuf,
    /// The same, as the Windows program sees it (`C:\users\NAME\AppData\Roaming`).
    appdata_win: String,
}

fn cache() -> PathBuf {
    PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
        .join(".cache/agent-rooms-doctor-test")
}

/// The exe `scripts/cross.sh` built (AGENT_ROOMS_DOCTOR_WINDOWS_BINARY names another).
fn windows_exe() -> Option<PathBuf> {
    let p = std::env::var_os("AGENT_ROOMS_DOCTOR_WINDOWS_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("CROSS_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| cache().join("cross"))
                .join("x86_64-pc-windows-gnu/cross/agent-rooms-doctor.exe")
        });
    p.is_file().then_some(p)
}

fn wine_bin() -> Option<PathBuf> {
    [
        which::which("wine64").ok(),
        Some(PathBuf::from("/usr/lib/wine/wine64")),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.is_file())
}

/// zig as scripts/cross.sh installs it (PyPI `ziglang`), or on PATH.
fn zig() -> Option<PathBuf> {
    [
        Some(cache().join("zig/ziglang/zig")),
        which::which("zig").ok(),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.is_file())
}

/// A Windows program from `tests/windows/SRC` into `out`, cross-built with zig.
fn cross_c(zig: &Path, src: &str, out: &Path, extra: &[&str]) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/windows")
        .join(src);
    common::succeeded(
        Command::new(zig)
            .args(["cc", "-target", "x86_64-windows-gnu", "-O2", "-o"])
            .arg(out)
            .arg(&src)
            .args(extra)
            .output()
            .unwrap(),
        &format!("zig cc {}", src.display()),
    );
}

/// The shared setup, made once per test process; None (said why) where Wine, zig or the exe
/// is missing outside CI.
fn wine() -> Option<&'static Wine> {
    static WINE: OnceLock<Option<Wine>> = OnceLock::new();
    WINE.get_or_init(|| {
        let exe = common::prerequisite(
            "the Windows build (scripts/cross.sh makes x86_64-pc-windows-gnu/cross/agent-rooms-doctor.exe)",
            windows_exe(),
        )?;
        let wine = common::prerequisite("wine64 (Debian's wine and wine64)", wine_bin())?;
        let zig = common::prerequisite("zig (scripts/cross.sh installs it from PyPI)", zig())?;
        let _held = lock();
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wine");
        let bin = root.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::copy(&exe, bin.join("agent-rooms-doctor.exe")).unwrap();
        if !bin.join("bcryptprimitives.dll").exists() {
            cross_c(
                &zig,
                "bcryptprimitives.c",
                &bin.join("bcryptprimitives.dll"),
                &["-shared", "-ladvapi32"],
            );
        }
        if !bin.join("agent-rooms.exe").exists() {
            cross_c(&zig, "agent-rooms.c", &bin.join("agent-rooms.exe"), &[]);
        }
        let prefix = root.join("prefix");
        let user = std::env::var("USER")
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "root".into());
        let w = Wine {
            appdata: prefix.join(format!("drive_c/users/{user}/AppData/Roaming")),
            appdata_win: format!("C:\\users\\{user}\\AppData\\Roaming"),
            wine,
            prefix,
            bin,
        };
        if !w.prefix.join("system.reg").exists() {
            common::succeeded(w.cmd("wineboot").arg("--init").output().unwrap(), "wineboot");
        }
        // wineboot has made the profile: the user's name as Wine chose it.
        assert!(
            w.appdata.is_dir(),
            "no {} in the Wine prefix: {:?}",
            w.appdata.display(),
            std::fs::read_dir(w.prefix.join("drive_c/users"))
                .map(|d| d.flatten().map(|e| e.file_name()).collect::<Vec<_>>())
        );
        Some(w)
    })
    .as_ref()
}

/// The prefix is shared by every test (and test process) that runs Windows programs: one at a
/// time.
fn lock() -> nix::fcntl::Flock<std::fs::File> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(dir).unwrap();
    let f = std::fs::File::create(dir.join("wine.lock")).unwrap();
    nix::fcntl::Flock::lock(f, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, e)| e)
        .unwrap()
}

impl Wine {
    /// `wine64 PROGRAM` in the prefix, with nothing of the test's environment but what Wine
    /// needs: no display, no Wine debugging output, no Mono or Gecko installer.
    fn cmd(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new(&self.wine);
        self.env(&mut c).arg(program);
        c
    }

    fn env<'c>(&self, c: &'c mut Command) -> &'c mut Command {
        c.env_clear()
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env("HOME", std::env::var_os("HOME").unwrap_or_default())
            .env("USER", std::env::var_os("USER").unwrap_or("root".into()))
            .env("PATH", common::SYSTEM_PATH)
    }

    /// The Windows doctor with `args`; bounded, as every run of the doctor is (its output read
    /// while it runs: `explain --all` is more than a pipe holds).
    fn doctor(&self, args: &[&str]) -> Output {
        let mut c = self.cmd(self.bin.join("agent-rooms-doctor.exe"));
        c.args(args);
        self.server();
        assert_cmd::Command::from_std(c)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap()
    }

    /// Start the prefix's wineserver and its system programs (services.exe, winedevice.exe…)
    /// with no output of ours, unless they run: the first Windows program of a session starts
    /// them, and they inherit its stdout, so the test would wait for their end (the server's,
    /// long after the doctor's) to read the doctor's output to its end. A program of no output
    /// (`cmd /c exit`) starts them first. The server stays 30 s after the last program, then
    /// ends by itself, and they with it.
    fn server(&self) {
        let server = self.wine.with_file_name("wineserver");
        let server = if server.is_file() {
            server
        } else {
            PathBuf::from("wineserver")
        };
        let quiet = |c: &mut Command| {
            c.stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
        };
        // `wineserver -p` forks its server and exits; a server already running makes it exit at
        // once. Either way it is done.
        let status = quiet(self.env(&mut Command::new(server)).arg("-p30"));
        assert!(status.is_ok(), "wineserver: {status:?}");
        let status = quiet(self.cmd("cmd").args(["/c", "exit"]));
        assert!(
            status.as_ref().is_ok_and(|s| s.success()),
            "wine cmd /c exit: {status:?}"
        );
    }

    fn json(&self, args: &[&str]) -> (i32, serde_json::Value) {
        let out = self.doctor(&[args, &["--json"]].concat());
        let v = common::document(&out.stdout);
        (out.status.code().unwrap_or(-1), v)
    }

    /// The agent-rooms home under `%APPDATA%`, removed: an empty profile.
    fn clear_home(&self) -> PathBuf {
        let h = self.appdata.join("agent-rooms");
        let _ = std::fs::remove_dir_all(&h);
        h
    }
}

/// The Linux doctor, built by cargo for these tests.
fn linux(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_agent-rooms-doctor"))
        .args(args)
        .env_clear()
        .env("PATH", common::SYSTEM_PATH)
        .env("HOME", "/nonexistent")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    common::all_text(o)
}

#[test]
fn the_catalogue_and_the_checks_read_the_same_on_windows() {
    let Some(w) = wine() else { return };
    let _held = lock();
    let v = w.doctor(&["--version"]);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
    assert_eq!(
        String::from_utf8_lossy(&v.stdout).trim(),
        format!("agent-rooms-doctor {}", env!("CARGO_PKG_VERSION"))
    );
    // Issue 41: the build's identity says it is the Windows build (printed for the notes).
    let vv = w.doctor(&["--version", "--verbose"]);
    let said = String::from_utf8_lossy(&vv.stdout).replace("\r\n", "\n");
    println!("{said}");
    assert!(said.contains("\ntarget: x86_64-pc-windows-gnu\n"), "{said}");
    assert!(said.contains("\ncommit: "), "{said}");
    // The same bytes as Linux's: no `\r\n`, no path or platform in them.
    for args in [
        &["explain", "REVOKED", "--json"][..],
        &["list", "--json"],
        &["explain", "--all", "--json"],
    ] {
        let (win, lin) = (w.doctor(args), linux(args));
        assert_eq!(win.status.code(), Some(0), "{args:?}: {}", text(&win));
        assert!(
            win.stdout == lin.stdout,
            "{args:?} differs on Windows:\n{}\n---- Linux:\n{}",
            String::from_utf8_lossy(&win.stdout),
            String::from_utf8_lossy(&lin.stdout)
        );
    }
    // Called wrongly: 2, as on Linux, with the same message.
    let (win, lin) = (w.doctor(&["explain", "NOPE"]), linux(&["explain", "NOPE"]));
    assert_eq!(win.status.code(), Some(2), "{}", text(&win));
    assert_eq!(win.stderr, lin.stderr);
    assert_eq!(w.doctor(&["--bogus"]).status.code(), Some(2));
}

#[test]
fn an_empty_profile_is_home_not_found_under_appdata() {
    let Some(w) = wine() else { return };
    let _held = lock();
    w.clear_home();
    let (code, v) = w.json(&["--offline"]);
    assert_eq!(code, 1, "{v:#}");
    let want = format!("{}\\agent-rooms", w.appdata_win);
    assert_eq!(v["start_here"]["code"], "HOME_NOT_FOUND", "{v:#}");
    let msg = v["start_here"]["message"].as_str().unwrap();
    assert!(msg.contains(&want), "{msg} does not name {want}");
    // The person's output says the same, in plain words.
    let human = w.doctor(&["--offline", "--color", "never"]);
    assert_eq!(human.status.code(), Some(1));
    let t = text(&human);
    assert!(t.contains(&want) && t.contains("HOME_NOT_FOUND"), "{t}");
    // And nothing was made: the doctor only reads.
    assert!(!w.appdata.join("agent-rooms").exists());
}

/// The token, device and api checks of a home under `%APPDATA%` against the loopback API, on
/// Windows and (the same files under a Linux home) on Linux: the same statuses and codes.
#[test]
fn a_home_under_appdata_is_judged_against_the_api_as_on_linux() {
    let Some(w) = wine() else { return };
    // The Linux side's fixture first: every test takes the process lock before the prefix's.
    let f = common::Fixture::new();
    let _held = lock();
    for (api, want_code, want_codes) in [
        (Api::healthy(), 0, vec![]),
        (
            Api::start(|_| Reply::error("REVOKED", 401)),
            1,
            vec!["REVOKED".to_string()],
        ),
    ] {
        let config = format!(
            r#"{{"api_url": "{}", "token": "{TOKEN}", "host": "codex"}}"#,
            api.url()
        );
        let device = r#"{"device_id": "dev_test1", "name": "ci-box", "paired_at": "2026-11-01T00:00:00Z", "owner_id": "own_test1"}"#;
        let home = w.clear_home();
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(home.join("config.json"), &config).unwrap();
        std::fs::write(home.join("device.json"), device).unwrap();
        let (code, win) = w.json(&["token", "device", "api"]);
        f.write("config.json", &config);
        f.write("device.json", device);
        let (lin_code, lin, _) = f.json(&["token", "device", "api"]);
        assert_eq!((code, lin_code), (want_code, want_code), "{win:#}\n{lin:#}");
        for id in ["token", "device", "api"] {
            assert_eq!(status(&win, id), status(&lin, id), "{id}: {win:#}");
            assert_eq!(codes(&win, id), codes(&lin, id), "{id}: {win:#}");
        }
        assert_eq!(codes(&win, "token"), want_codes, "{win:#}");
        // The home judged is the one under %APPDATA%, and the token never shows.
        let all = win.to_string();
        assert!(all.contains("AppData\\\\Roaming\\\\agent-rooms"), "{win:#}");
        assert!(!all.contains("TOPSECRET"), "the token leaked: {win:#}");
        assert!(
            !api.requests().is_empty(),
            "the Windows doctor never reached the API"
        );
    }
    w.clear_home();
}

/// A Windows listener (`agent-rooms.exe watch`, a program built here) found by the listener
/// check in Windows' process table; two of them are duplicates, and the remedy that stops one is
/// a Windows command printed for PowerShell.
#[test]
fn the_listener_check_finds_a_windows_listener() {
    let Some(w) = wine() else { return };
    // Its listeners are Wine processes in the Linux process table too: no Linux doctor of
    // another test runs meanwhile.
    let _others = common::Fixture::with_listeners();
    let _held = lock();
    let home = w.clear_home();
    std::fs::create_dir_all(&home).unwrap();
    let start = || -> Child {
        w.cmd(w.bin.join("agent-rooms.exe"))
            .arg("watch")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    struct Ended(Vec<Child>);
    impl Drop for Ended {
        fn drop(&mut self) {
            for c in &mut self.0 {
                let _ = c.kill();
                let _ = c.wait();
            }
        }
    }
    let mut running = Ended(vec![start()]);
    // Until Windows' process table shows it (Wine starts a program in well under a second).
    let listeners = |v: &serde_json::Value| -> Vec<serde_json::Value> {
        check(v, "listener")["facts"]["listeners"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let wait_for = |n: usize| -> serde_json::Value {
        let started = Instant::now();
        loop {
            let (_, v) = w.json(&["listener"]);
            if listeners(&v).len() >= n || started.elapsed() > Duration::from_secs(30) {
                return v;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    let v = wait_for(1);
    let found = listeners(&v);
    assert_eq!(found.len(), 1, "{v:#}");
    let argv = found[0]["argv"].as_str().unwrap_or_default();
    assert!(
        argv.contains("agent-rooms.exe") && argv.contains("watch"),
        "{argv}"
    );
    assert!(
        !codes(&v, "listener").contains(&"LISTENER_NOT_RUNNING".to_string()),
        "{v:#}"
    );
    // A second one: a duplicate, and the stop of one is `taskkill /PID N /F`.
    running.0.push(start());
    let v = wait_for(2);
    assert_eq!(listeners(&v).len(), 2, "{v:#}");
    assert!(
        codes(&v, "listener").contains(&"LISTENER_DUPLICATE".to_string()),
        "{v:#}"
    );
    let human = text(&w.doctor(&["listener", "--color", "never"]));
    let pids: Vec<u64> = listeners(&v)
        .iter()
        .filter_map(|l| l["pid"].as_u64())
        .collect();
    assert!(
        pids.iter()
            .any(|p| human.contains(&format!("taskkill /PID {p} /F"))),
        "no PowerShell stop for {pids:?} in:\n{human}"
    );
    assert!(!human.contains("kill -"), "{human}");
    eprintln!("The Windows doctor under Wine, two listeners:\n{human}");
    drop(running);
    w.clear_home();
}
