//! launchd (macOS) as it answers about a job: `launchctl print DOMAIN/LABEL` (its state, pid,
//! how many times it ran, its last exit code or the signal that ended it). Asked on macOS only;
//! `parse_print` reads recorded answers everywhere. Nothing here judges.

use serde::{Deserialize, Serialize};

/// A job's state as `launchctl print` says it (its top-level `key = value` lines).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobState {
    /// running, not running, waiting…
    pub state: String,
    pub pid: Option<u32>,
    /// How many times launchd started it (`runs`).
    pub runs: Option<u64>,
    /// `last exit code`: None when it never exited (`(never exited)`).
    pub last_exit: Option<i64>,
    /// `last terminating signal` (`Killed: 9`), where it was ended by one.
    pub signal: Option<String>,
}

/// The job's own lines: `\tstate = running`, one tab deep (nested blocks are left out).
pub fn parse_print(text: &str) -> JobState {
    let mut j = JobState::default();
    for line in text.lines() {
        // The job's lines sit one tab in; deeper ones belong to nested blocks.
        let depth = line.len() - line.trim_start_matches('\t').len();
        if depth > 1 {
            continue;
        }
        let Some((k, v)) = line.trim().split_once(" = ") else {
            continue;
        };
        let v = v.trim();
        match k {
            "state" => j.state = v.into(),
            "pid" => j.pid = v.parse().ok(),
            "runs" => j.runs = v.parse().ok(),
            "last exit code" => j.last_exit = v.parse().ok(),
            "last terminating signal" => j.signal = Some(v.into()),
            _ => {}
        }
    }
    j
}

/// `launchctl print DOMAIN/LABEL` (`gui/UID` for an agent, `system` for a daemon).
#[cfg(target_os = "macos")]
pub async fn print(target: &str, limit: std::time::Duration) -> Result<JobState, String> {
    use super::command;
    let argv = ["launchctl".to_string(), "print".into(), target.to_string()];
    let out = command::run_argv(&argv, &[], None, limit, 256 * 1024).await;
    command::answered(out, &format!("launchctl print {target}")).map(|o| parse_print(&o))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `launchctl print` as macOS prints it (its shape and the lines read, as public reports
    /// quote them: `state = running`, `last exit code = (never exited)`, `runs = 7`,
    /// `pid = 17611`), for a job that crashed and one that runs.
    const CRASHED: &str = "gui/501/com.agent-rooms.watch = {\n\tactive count \
        = 0\n\tpath = /Users/alice/Library/LaunchAgents/com.agent-rooms.watch.plist\n\ttype \
        = LaunchAgent\n\tstate = not running\n\n\tprogram = /opt/homebrew/bin/agent-rooms\n\targumen\
        ts = {\n\t\t/opt/homebrew/bin/agent-rooms\n\t\twatch\n\t}\n\n\tdomain \
        = gui/501 [100005]\n\truns = 7\n\tlast exit code = 1\n\tdomain = \
        {\n\t\tstate = active\n\t}\n}\n";
    const RUNNING: &str = "gui/501/com.agent-rooms.watch = {\n\tstate = running\n\tprogram \
        = /opt/homebrew/bin/agent-rooms\n\tpid = 17611\n\truns = 1\n\tlast \
        exit code = (never exited)\n}\n";

    #[test]
    fn reads_the_jobs_own_lines() {
        let c = parse_print(CRASHED);
        assert_eq!(
            c.state, "not running",
            "a nested block's state is not the job's"
        );
        assert_eq!((c.runs, c.last_exit, c.pid), (Some(7), Some(1), None));
        let r = parse_print(RUNNING);
        assert_eq!(
            (r.state.as_str(), r.pid, r.last_exit),
            ("running", Some(17611), None)
        );
        let k = parse_print(
            "\tstate = not running\n\tlast exit code = 0\n\tlast terminating signal = Killed: 9\n",
        );
        assert_eq!(k.signal.as_deref(), Some("Killed: 9"));
        assert_eq!(parse_print("Could not find service"), JobState::default());
    }
}
