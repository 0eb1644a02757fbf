//! Build identity for `--version --verbose` and the bundle: the commit (and its date, so the
//! build is reproducible) from git where the source is a checkout, else from
//! AGENT_ROOMS_DOCTOR_COMMIT (a release job or a distribution sets it), else "unknown"; the
//! target triple cargo builds for; the install channel a packager names at build time
//! (AGENT_ROOMS_DOCTOR_BUILD_CHANNEL: "deb", "archive"; "cargo" when none does).

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !s.is_empty()).then_some(s)
}

fn main() {
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs");
    println!("cargo:rerun-if-env-changed=AGENT_ROOMS_DOCTOR_COMMIT");
    println!("cargo:rerun-if-env-changed=AGENT_ROOMS_DOCTOR_BUILD_CHANNEL");
    let from_git = std::path::Path::new(".git").exists();
    let commit = std::env::var("AGENT_ROOMS_DOCTOR_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| {
            from_git
                .then(|| git(&["rev-parse", "--short=12", "HEAD"]))
                .flatten()
        })
        .unwrap_or_else(|| "unknown".into());
    let date = from_git
        .then(|| git(&["log", "-1", "--format=%cs"]))
        .flatten()
        .unwrap_or_else(|| "unknown".into());
    let channel = std::env::var("AGENT_ROOMS_DOCTOR_BUILD_CHANNEL")
        .ok()
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "cargo".into());
    println!("cargo:rustc-env=AGENT_ROOMS_DOCTOR_BUILD_COMMIT={commit}");
    println!("cargo:rustc-env=AGENT_ROOMS_DOCTOR_BUILD_DATE={date}");
    println!(
        "cargo:rustc-env=AGENT_ROOMS_DOCTOR_BUILD_TARGET={}",
        std::env::var("TARGET").unwrap_or_default()
    );
    println!("cargo:rustc-env=AGENT_ROOMS_DOCTOR_BUILD_CHANNEL={channel}");
}
