//! launchd (macOS): the job plist of a label, for where its output goes and what environment it
//! gives. Read on macOS; the parsing is tested from recorded plists everywhere.

use std::path::{Path, PathBuf};

/// Where a job's plist may be: the user's agents, then the machine's agents and daemons.
pub fn plist_paths(label: &str, home: Option<&Path>) -> Vec<PathBuf> {
    let file = format!("{label}.plist");
    let mut out: Vec<PathBuf> = home
        .map(|h| h.join("Library/LaunchAgents").join(&file))
        .into_iter()
        .collect();
    out.extend(
        ["/Library/LaunchAgents", "/Library/LaunchDaemons"]
            .iter()
            .map(|d| Path::new(d).join(&file)),
    );
    out
}

/// What the doctor reads of a job plist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Job {
    pub label: Option<String>,
    pub stderr_path: Option<String>,
    pub stdout_path: Option<String>,
    /// `EnvironmentVariables`, as written (launchd does not expand `$PATH` in them).
    pub env: Vec<(String, String)>,
    /// `ProgramArguments` (else `Program` alone): what it runs.
    pub argv: Vec<String>,
}

/// Parse a plist (XML or binary).
pub fn parse(bytes: &[u8]) -> Result<Job, String> {
    let v = plist::Value::from_reader(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let d = v.as_dictionary().ok_or("the plist is not a dictionary")?;
    let s = |k: &str| d.get(k).and_then(|v| v.as_string()).map(str::to_string);
    let env = d
        .get("EnvironmentVariables")
        .and_then(|v| v.as_dictionary())
        .map(|e| {
            e.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_string()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let argv = match d.get("ProgramArguments").and_then(|v| v.as_array()) {
        Some(a) => a
            .iter()
            .filter_map(|v| v.as_string().map(str::to_string))
            .collect(),
        None => s("Program").into_iter().collect(),
    };
    Ok(Job {
        label: s("Label"),
        stderr_path: s("StandardErrorPath"),
        stdout_path: s("StandardOutPath"),
        env,
        argv,
    })
}

/// The jobs whose plists run `agent-rooms watch`: (plist, job, a daemon of the machine rather
/// than an agent of `home`'s user).
#[cfg(target_os = "macos")]
pub fn listener_jobs(home: Option<&Path>) -> Vec<(PathBuf, Job, bool)> {
    let mut dirs: Vec<(PathBuf, bool)> = home
        .map(|h| (h.join("Library/LaunchAgents"), false))
        .into_iter()
        .collect();
    dirs.push(("/Library/LaunchAgents".into(), false));
    dirs.push(("/Library/LaunchDaemons".into(), true));
    let mut out = vec![];
    for (dir, daemon) in dirs {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_none_or(|x| x != "plist") {
                continue;
            }
            let super::files::FileRead::Read { bytes, .. } =
                super::files::read_capped(&p, 256 * 1024)
            else {
                continue;
            };
            if let Ok(job) = parse(&bytes) {
                if super::processes::is_listener_argv(&job.argv) {
                    out.push((p, job, daemon));
                }
            }
        }
    }
    out
}

/// The StandardErrorPath (else StandardOutPath) of job `label`, from its plist.
#[cfg(target_os = "macos")]
pub fn stderr_path(label: &str) -> Option<String> {
    let home = dirs::home_dir();
    plist_paths(label, home.as_deref()).iter().find_map(|p| {
        let super::files::FileRead::Read { bytes, .. } = super::files::read_capped(p, 256 * 1024)
        else {
            return None;
        };
        let job = parse(&bytes).ok()?;
        job.stderr_path.or(job.stdout_path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A LaunchAgent as `launchctl` users write them (recorded shape).
    const AGENT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>com.agent-rooms.watch</string>
	<key>ProgramArguments</key>
	<array>
		<string>/opt/homebrew/bin/agent-rooms</string>
		<string>watch</string>
	</array>
	<key>EnvironmentVariables</key>
	<dict>
		<key>PATH</key>
		<string>/opt/homebrew/bin:/usr/bin:/bin</string>
	</dict>
	<key>RunAtLoad</key>
	<true/>
	<key>KeepAlive</key>
	<true/>
	<key>StandardOutPath</key>
	<string>/Users/alice/Library/Logs/agent-rooms.out.log</string>
	<key>StandardErrorPath</key>
	<string>/Users/alice/Library/Logs/agent-rooms.err.log</string>
</dict>
</plist>
"#;

    #[test]
    fn a_job_plist_gives_its_logs_and_environment() {
        let job = parse(AGENT.as_bytes()).unwrap();
        assert_eq!(job.label.as_deref(), Some("com.agent-rooms.watch"));
        assert_eq!(job.argv, ["/opt/homebrew/bin/agent-rooms", "watch"]);
        assert_eq!(
            job.stderr_path.as_deref(),
            Some("/Users/alice/Library/Logs/agent-rooms.err.log")
        );
        assert_eq!(
            job.env,
            vec![(
                "PATH".to_string(),
                "/opt/homebrew/bin:/usr/bin:/bin".to_string()
            )]
        );
        // Without logs or environment: none, not an error.
        let bare = parse(
            b"<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>Label</key><string>x</string></dict></plist>",
        )
        .unwrap();
        assert_eq!((bare.stderr_path, bare.env.len()), (None, 0));
        assert!(parse(b"not a plist").is_err());
        assert!(parse(b"<?xml version=\"1.0\"?><plist version=\"1.0\"><array/></plist>").is_err());
    }

    #[test]
    fn plists_are_looked_for_in_the_users_agents_first() {
        let p = plist_paths("com.x", Some(Path::new("/Users/alice")));
        assert_eq!(
            p[0],
            Path::new("/Users/alice/Library/LaunchAgents/com.x.plist")
        );
        assert_eq!(p.len(), 3);
    }
}
