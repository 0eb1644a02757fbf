//! The system: OS name, kernel, architecture, time zone.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SystemInfo {
    pub os: String,
    pub kernel: String,
    pub arch: String,
    pub timezone: String,
}

pub fn info() -> SystemInfo {
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| {
                l.strip_prefix("PRETTY_NAME=")
                    .map(|v| v.trim_matches('"').to_string())
            })
        })
        .unwrap_or_else(|| std::env::consts::OS.to_string());
    #[cfg(unix)]
    let kernel = nix::sys::utsname::uname()
        .map(|u| {
            format!(
                "{} {}",
                u.sysname().to_string_lossy(),
                u.release().to_string_lossy()
            )
        })
        .unwrap_or_default();
    #[cfg(not(unix))]
    let kernel = sysinfo::System::kernel_long_version().unwrap_or_default();
    let timezone = std::env::var("TZ")
        .ok()
        .filter(|t| !t.is_empty())
        .or_else(|| {
            std::fs::read_to_string("/etc/timezone")
                .ok()
                .map(|t| t.trim().to_string())
        })
        .or_else(|| {
            std::fs::read_link("/etc/localtime").ok().map(|p| {
                p.to_string_lossy()
                    .split("zoneinfo/")
                    .last()
                    .unwrap_or("")
                    .to_string()
            })
        })
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "UTC (no zone configured)".into());
    SystemInfo {
        os,
        kernel,
        arch: std::env::consts::ARCH.into(),
        timezone,
    }
}

/// When the machine booted (seconds since the epoch), where the system says.
pub fn boot_time() -> Option<i64> {
    sysinfo::System::boot_time()
        .ok()
        .filter(|t| *t > 0)
        .map(|t| t as i64)
}
