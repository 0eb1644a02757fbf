//! Service managers: systemd unit files that run `agent-rooms watch`, so a remedy can name the
//! service to start rather than a bare command.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use super::files::{self, FileRead};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub name: String,
    pub path: PathBuf,
    /// A user unit (`systemctl --user`), not a system one.
    pub user: bool,
    /// Its ExecStart's words (the listener's program among them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exec_start: Vec<String>,
}

const SYSTEM_DIRS: &[&str] = &[
    "/etc/systemd/system",
    "/usr/lib/systemd/system",
    "/lib/systemd/system",
];

/// Unit files whose ExecStart runs `agent-rooms … watch`, system-wide and in `home`'s user units.
pub fn listener_units(home: Option<&Path>) -> Vec<Unit> {
    let mut dirs: Vec<(PathBuf, bool)> = SYSTEM_DIRS
        .iter()
        .map(|d| (PathBuf::from(d), false))
        .collect();
    if let Some(h) = home {
        dirs.push((h.join(".config/systemd/user"), true));
    }
    let mut out: Vec<Unit> = vec![];
    for (dir, user) in dirs {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".service") || out.iter().any(|u| u.name == name && u.user == user) {
                continue;
            }
            let FileRead::Read { bytes, .. } = files::read_capped(&e.path(), 64 * 1024) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            let exec_start = text.lines().find_map(|l| {
                let words: Vec<String> = l
                    .trim()
                    .strip_prefix("ExecStart=")?
                    .split_whitespace()
                    .map(|w| w.trim_start_matches(['-', '@', '+', '!', ':']).to_string())
                    .collect();
                crate::probes::processes::is_listener_argv(&words).then_some(words)
            });
            if let Some(exec_start) = exec_start {
                out.push(Unit {
                    name,
                    path: e.path(),
                    user,
                    exec_start,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_user_units_that_run_the_listener() {
        let d = tempfile::tempdir().unwrap();
        let units = d.path().join(".config/systemd/user");
        std::fs::create_dir_all(&units).unwrap();
        std::fs::write(
            units.join("agent-rooms.service"),
            "[Service]\nExecStart=/usr/local/bin/agent-rooms watch\n",
        )
        .unwrap();
        std::fs::write(
            units.join("other.service"),
            "[Service]\nExecStart=/usr/bin/agent-rooms login\n",
        )
        .unwrap();
        std::fs::write(units.join("notes.txt"), "ExecStart=agent-rooms watch\n").unwrap();
        let found: Vec<Unit> = listener_units(Some(d.path()))
            .into_iter()
            .filter(|u| u.user)
            .collect();
        assert_eq!(
            found,
            vec![Unit {
                name: "agent-rooms.service".into(),
                path: units.join("agent-rooms.service"),
                user: true,
                exec_start: vec!["/usr/local/bin/agent-rooms".into(), "watch".into()],
            }]
        );
    }
}
