//! The npm packages (CONTRACT §4): laid out by `scripts/npm-packages.cjs`, packed with `npm pack`,
//! installed from the tarballs with no network (`npm install -g --offline`, `npx --offline`), and
//! run through the launcher. The binary inside is the static musl build `.ci/run` makes
//! (`AGENT_ROOMS_DOCTOR_NPM_BINARY`); outside CI, without it, the test binary stands in and the
//! static-binary checks say they were skipped.

mod common;

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

struct Packed {
    _dir: tempfile::TempDir,
    root: PathBuf,
    main: PathBuf,
    platform: PathBuf,
    binary: PathBuf,
    is_release_build: bool,
}

fn target() -> &'static str {
    match std::env::consts::ARCH {
        "aarch64" => "aarch64-unknown-linux-musl",
        _ => "x86_64-unknown-linux-musl",
    }
}

fn npm_arch() -> &'static str {
    match std::env::consts::ARCH {
        "aarch64" => "arm64",
        _ => "x64",
    }
}

/// Lay out and pack the main package and this machine's platform package.
fn packed() -> Option<Packed> {
    common::prerequisite(
        "npm (Node.js), to pack and install the npm packages",
        Command::new("npm")
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success()),
    )?;
    let (binary, is_release_build) = match std::env::var_os("AGENT_ROOMS_DOCTOR_NPM_BINARY") {
        Some(b) => (PathBuf::from(b), true),
        None => {
            common::prerequisite::<()>(
                "AGENT_ROOMS_DOCTOR_NPM_BINARY (the static musl build .ci/run makes); the test binary stands in",
                None,
            );
            (
                PathBuf::from(env!("CARGO_BIN_EXE_agent-rooms-doctor")),
                false,
            )
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let layout = common::succeeded(
        Command::new("node")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/npm-packages.cjs"))
            .arg(root.join("pkgs"))
            .arg(format!("{}={}", target(), binary.display()))
            .output()
            .unwrap(),
        "npm-packages.cjs",
    );
    let laid: Vec<String> = String::from_utf8_lossy(&layout.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    // Both libc packages of this arch, and the main one.
    assert_eq!(laid.len(), 3, "{laid:?}");
    std::fs::create_dir(root.join("tgz")).unwrap();
    let pack = |name: &str| {
        let o = common::succeeded(
            Command::new("npm")
                .args(["pack", "--silent", "--pack-destination"])
                .arg(root.join("tgz"))
                .current_dir(root.join("pkgs").join(name))
                .output()
                .unwrap(),
            "npm pack",
        );
        root.join("tgz")
            .join(String::from_utf8_lossy(&o.stdout).trim())
    };
    let main = pack("agent-rooms-doctor");
    let platform = pack(&format!("agent-rooms-doctor-linux-{}", npm_arch()));
    Some(Packed {
        _dir: dir,
        root,
        main,
        platform,
        binary,
        is_release_build,
    })
}

/// `npm install -g --offline` of `tarballs` into a new prefix; the launcher's path.
fn install(p: &Packed, name: &str, tarballs: &[&Path]) -> PathBuf {
    let prefix = p.root.join(name);
    common::succeeded(
        Command::new("npm")
            .args(["install", "-g", "--offline", "--no-audit", "--no-fund"])
            .arg("--prefix")
            .arg(&prefix)
            .args(tarballs)
            .env("npm_config_cache", p.root.join(format!("cache-{name}")))
            .output()
            .unwrap(),
        "npm install -g --offline",
    );
    prefix.join("bin/agent-rooms-doctor")
}

fn run(cmd: &mut Command) -> Output {
    cmd.stdin(Stdio::null()).output().unwrap()
}

#[test]
fn installed_offline_the_launcher_passes_everything_through() {
    let Some(p) = packed() else { return };
    let launcher = install(&p, "global", &[&p.main, &p.platform]);
    let empty = tempfile::tempdir().unwrap();
    let both = |args: &[&str]| {
        let direct = run(Command::new(&p.binary).args(args));
        let through = run(Command::new(&launcher).args(args));
        (direct, through)
    };

    // Exit 0, and JSON on stdout byte for byte as the binary writes it.
    let (direct, through) = both(&["explain", "REVOKED", "--json"]);
    assert_eq!(through.status.code(), Some(0));
    assert!(!direct.stdout.is_empty());
    assert_eq!(
        through.stdout, direct.stdout,
        "JSON changed by the launcher"
    );
    let (direct, through) = both(&["list", "--json"]);
    assert_eq!(through.stdout, direct.stdout);

    // Exit 2: wrong usage.
    let (_, through) = both(&["--no-such-flag"]);
    assert_eq!(through.status.code(), Some(2));
    assert!(
        through.stdout.is_empty(),
        "the launcher adds nothing to stdout"
    );

    // Exit 1: a check fails (an empty home is not paired).
    let home = empty.path().display().to_string();
    let args = ["device", "--offline", "--home", &home, "--json"];
    let (direct, through) = both(&args);
    assert_eq!(direct.status.code(), Some(1));
    assert_eq!(through.status.code(), Some(1));
    let v: serde_json::Value = common::document(&through.stdout);
    assert_eq!(v["checks"][0]["id"], "device");
    // Issue 41: installed through npm, the build says so (the launcher names its channel).
    assert_eq!(v["build"]["channel"], "npm", "{v}");
    let (direct, through) = both(&["--version", "--verbose"]);
    let said = String::from_utf8_lossy(&through.stdout);
    assert!(said.ends_with("\nchannel: npm\n"), "{said}");
    assert!(!String::from_utf8_lossy(&direct.stdout).contains("channel: npm"));

    // A signal to the launcher ends the doctor, and the launcher ends by it.
    let mut child = Command::new(&launcher)
        .args(["device", "--offline", "--home", &home, "--wait", "60"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let children = format!("/proc/{0}/task/{0}/children", child.id());
    let start = Instant::now();
    let doctor: u32 = loop {
        let text = std::fs::read_to_string(&children).unwrap_or_default();
        if let Some(pid) = text.split_whitespace().next() {
            break pid.parse().unwrap();
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the launcher started no doctor"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(15), "{status}");
    let start = Instant::now();
    while Path::new(&format!("/proc/{doctor}")).exists()
        && !std::fs::read_to_string(format!("/proc/{doctor}/stat"))
            .unwrap_or_default()
            .contains(") Z")
    {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the doctor (pid {doctor}) outlived the launcher's SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    // AGENT_ROOMS_DOCTOR_BINARY overrides the platform package's binary.
    let o = run(Command::new(&launcher)
        .args(["an argument", "another"])
        .env("AGENT_ROOMS_DOCTOR_BINARY", "/bin/echo"));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "an argument another\n");
}

#[test]
fn without_its_platform_package_the_launcher_says_which_platform() {
    let Some(p) = packed() else { return };
    let launcher = install(&p, "bare", &[&p.main]);
    let o = run(&mut Command::new(&launcher));
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("linux {}", npm_arch()))
            && err.contains(&format!("agent-rooms-doctor-linux-{}", npm_arch()))
            && err.contains("AGENT_ROOMS_DOCTOR_BINARY"),
        "{err}"
    );
    // The override still works there.
    let o = run(Command::new(&launcher)
        .arg("--version")
        .env("AGENT_ROOMS_DOCTOR_BINARY", &p.binary));
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("agent-rooms-doctor "));
}

#[test]
fn npx_offline_runs_it_from_the_tarballs() {
    let Some(p) = packed() else { return };
    let o = common::succeeded(
        run(Command::new("npx")
            .args(["--offline", "--yes", "-p"])
            .arg(&p.main)
            .arg("-p")
            .arg(&p.platform)
            .args(["agent-rooms-doctor", "explain", "REVOKED", "--json"])
            .current_dir(&p.root)
            .env("npm_config_cache", p.root.join("cache-npx"))),
        "npx --offline",
    );
    let direct = run(Command::new(&p.binary).args(["explain", "REVOKED", "--json"]));
    assert_eq!(o.stdout, direct.stdout);
}

/// ELF64: does the file ask for a dynamic loader (a PT_INTERP program header)?
fn has_interpreter(elf: &[u8]) -> bool {
    let u16_at = |o: usize| u16::from_le_bytes([elf[o], elf[o + 1]]) as usize;
    let phoff = u64::from_le_bytes(elf[0x20..0x28].try_into().unwrap()) as usize;
    let (size, count) = (u16_at(0x36), u16_at(0x38));
    (0..count).any(|i| {
        let at = phoff + i * size;
        u32::from_le_bytes(elf[at..at + 4].try_into().unwrap()) == 3
    })
}

#[test]
fn the_binary_inside_is_static_and_runs_with_an_empty_environment() {
    let Some(p) = packed() else { return };
    let inside = p
        .root
        .join("pkgs")
        .join(format!("agent-rooms-doctor-linux-{}", npm_arch()))
        .join("bin/agent-rooms-doctor");
    let elf = std::fs::read(&inside).unwrap();
    assert_eq!(&elf[..4], b"\x7fELF");
    if !p.is_release_build {
        eprintln!("SKIPPED (not in CI): the static check needs the musl build");
        return;
    }
    assert!(!has_interpreter(&elf), "{} is not static", inside.display());
    let home = tempfile::tempdir().unwrap();
    let o = run(Command::new("env")
        .arg("-i")
        .arg(&inside)
        .args(["--offline", "--home"])
        .arg(home.path())
        .arg("--json"));
    // Checks fail on an empty home (exit 1); what matters is that it ran, with no environment.
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let v: serde_json::Value = common::document(&o.stdout);
    assert!(v["checks"].as_array().is_some_and(|c| c.len() == 6), "{v}");
}

/// Issue 39: the launcher asked node for its libc (`process.report.getReport()`, slow on a busy
/// machine) twice per Linux run, though both Linux packages hold the same static binary; and
/// Windows on ARM got "no binary" where the x64 build runs under emulation.
#[test]
fn the_launcher_never_asks_for_a_report_and_windows_on_arm_runs_the_x64_build() {
    let Some(p) = packed() else { return };
    let launcher = install(&p, "report", &[&p.main, &p.platform]);
    let preload = p.root.join("count-reports.js");
    std::fs::write(
        &preload,
        "let n = 0;\n\
         const real = process.report.getReport.bind(process.report);\n\
         process.report.getReport = (...a) => { n += 1; return real(...a); };\n\
         process.on('exit', () => process.stderr.write(`getReport calls: ${n}\\n`));\n",
    )
    .unwrap();
    let o = run(Command::new("node")
        .arg("--require")
        .arg(&preload)
        .arg(&launcher)
        .arg("--version"));
    assert_eq!(o.status.code(), Some(0), "{}", common::all_text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("getReport calls: 0"),
        "{}",
        common::all_text(&o)
    );
    // Issue 41: npm links the man pages of a global install where `man` looks (PREFIX/share/man).
    let prefix = launcher.parent().unwrap().parent().unwrap();
    for page in [
        "man1/agent-rooms-doctor.1",
        "man1/agent-rooms-doctor-check.1",
        "man7/agent-rooms-doctor-codes.7",
    ] {
        assert!(
            prefix.join("share/man").join(page).exists(),
            "{page} is not linked under {}",
            prefix.display()
        );
    }
    // Issue 41: the binary says it was installed through npm.
    let o = run(Command::new(&launcher).args(["--version", "--verbose"]));
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        text.contains("\nchannel: npm\n"),
        "{}",
        common::all_text(&o)
    );
    // The choice, asked of the installed launcher for other platforms.
    let choose = |os: &str, cpu: &str| {
        let o = run(Command::new("node").arg("-e").arg(format!(
            "const l = require({:?}); console.log(l.candidates({os:?}, {cpu:?}).map((p) => p.package).join(' '))",
            std::fs::canonicalize(&launcher).unwrap().display().to_string()
        )));
        assert!(o.status.success(), "{}", common::all_text(&o));
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    };
    assert_eq!(choose("win32", "arm64"), "agent-rooms-doctor-win32-x64");
    assert_eq!(choose("win32", "x64"), "agent-rooms-doctor-win32-x64");
    assert_eq!(
        choose("linux", "x64"),
        "agent-rooms-doctor-linux-x64 agent-rooms-doctor-linux-x64-musl"
    );
    assert_eq!(choose("freebsd", "x64"), "");
    // npm installs the x64 package on Windows on ARM: its package.json says so.
    let pkgs = p.root.join("win-pkgs");
    let exe = p.root.join("fake.exe");
    std::fs::write(&exe, b"MZ").unwrap();
    common::succeeded(
        Command::new("node")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/npm-packages.cjs"))
            .arg(&pkgs)
            .arg(format!("x86_64-pc-windows-gnu={}", exe.display()))
            .output()
            .unwrap(),
        "npm-packages.cjs for Windows",
    );
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(pkgs.join("agent-rooms-doctor-win32-x64/package.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["cpu"], serde_json::json!(["x64", "arm64"]));
}
