//! Probes touch the system and nothing else. Each returns plain data and never decides.

pub mod cmdline;
pub mod command;
pub mod containers;
pub mod files;
pub mod host_cli;
pub mod http;
pub mod launchctl;
#[cfg(any(target_os = "macos", test))]
pub mod launchd;
pub mod logs;
pub mod npm;
pub mod paths;
pub mod pm2;
pub mod processes;
pub mod services;
pub mod supervision;
pub mod system;
pub mod systemd;
pub mod users;
pub mod zone;
