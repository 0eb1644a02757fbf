//! Containers that ended, as docker or podman answer: the exited containers (`RUNTIME ps -a
//! --filter status=exited`), what each ran, how it ended and how often it was restarted
//! (`RUNTIME inspect`), and its last lines (`RUNTIME logs --tail 20`). `parse_inspect` reads
//! recorded answers (tests/data/docker) as well as live ones; nothing here judges.

use serde::{Deserialize, Serialize};
use std::time::Duration;

use super::command;
use super::supervision::Runtime;

/// A container that exited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exited {
    /// docker or podman.
    pub runtime: Runtime,
    /// Its id, shortened as the runtime prints it (12 characters).
    pub id: String,
    pub name: String,
    /// What it ran: its entry point and arguments.
    pub argv: Vec<String>,
    pub exit_code: i64,
    /// The kernel's OOM killer ended it (`State.OOMKilled`).
    pub oom_killed: bool,
    /// When it ended (`State.FinishedAt`), seconds since the epoch.
    pub finished_at: Option<i64>,
    /// How many times its restart policy started it again (`RestartCount`).
    pub restarts: u64,
    /// Its restart policy's name: no, on-failure, always, unless-stopped.
    pub restart_policy: String,
}

/// The containers in a `RUNTIME inspect` answer (a JSON array).
pub fn parse_inspect(runtime: Runtime, text: &str) -> Result<Vec<Exited>, String> {
    let list: Vec<serde_json::Value> =
        serde_json::from_str(text).map_err(|e| format!("{runtime} inspect: not JSON: {e}"))?;
    Ok(list
        .iter()
        .map(|c| {
            let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
            let state = &c["State"];
            let argv = std::iter::once(s(&c["Path"]))
                .chain(c["Args"].as_array().into_iter().flatten().map(&s))
                .filter(|w| !w.is_empty())
                .collect();
            Exited {
                runtime,
                id: s(&c["Id"]).chars().take(12).collect(),
                name: s(&c["Name"]).trim_start_matches('/').to_string(),
                argv,
                exit_code: state["ExitCode"].as_i64().unwrap_or_default(),
                oom_killed: state["OOMKilled"].as_bool().unwrap_or(false),
                finished_at: state["FinishedAt"]
                    .as_str()
                    .and_then(crate::time_util::parse_rfc3339),
                restarts: c["RestartCount"].as_u64().unwrap_or(0),
                restart_policy: s(&c["HostConfig"]["RestartPolicy"]["Name"]),
            }
        })
        .collect())
}

/// The exited containers that ran `agent-rooms watch`, each with its last lines; none where the
/// runtime has no daemon to ask. At most the 50 most recent exited containers are inspected.
pub async fn exited_listeners(
    runtime: Runtime,
    limit: Duration,
) -> Result<Vec<(Exited, Vec<String>)>, String> {
    let ps = [
        runtime.as_str(),
        "ps",
        "-a",
        "--no-trunc",
        "--filter",
        "status=exited",
        "--format",
        "{{.ID}}",
    ]
    .map(String::from);
    let out = command::run_argv(&ps, &[], None, limit, 64 * 1024).await;
    let ids: Vec<String> = command::answered(out, &format!("{runtime} ps -a"))?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(50)
        .map(str::to_string)
        .collect();
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut inspect = vec![runtime.as_str().to_string(), "inspect".into()];
    inspect.extend(ids);
    let out = command::run_argv(&inspect, &[], None, limit, 4 * 1024 * 1024).await;
    let all = parse_inspect(
        runtime,
        &command::answered(out, &format!("{runtime} inspect"))?,
    )?;
    let mut found = vec![];
    for c in all
        .into_iter()
        .filter(|c| super::processes::is_listener_argv(&c.argv))
    {
        let logs = [runtime.as_str(), "logs", "--tail", "20", c.id.as_str()].map(String::from);
        let lines = match command::run_argv(&logs, &[], None, limit, 256 * 1024).await {
            // The container's stderr comes on the runtime's stderr: both, stdout first.
            command::CmdResult::Exited { stdout, stderr, .. } => stdout
                .lines()
                .chain(stderr.lines())
                .map(str::to_string)
                .collect(),
            _ => vec![],
        };
        found.push((c, lines));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded(name: &str) -> Exited {
        let p = format!(
            "{}/tests/data/docker/{name}.inspect.json",
            env!("CARGO_MANIFEST_DIR")
        );
        parse_inspect(Runtime::Docker, &std::fs::read_to_string(p).unwrap())
            .unwrap()
            .remove(0)
    }

    #[test]
    fn reads_recorded_inspections() {
        let c = recorded("ar-listener");
        assert_eq!(c.name, "ar-listener");
        assert_eq!(c.id.len(), 12);
        assert_eq!(
            c.argv,
            ["/usr/bin/node", "/opt/agent-rooms/agent-rooms.js", "watch"]
        );
        assert!(crate::probes::processes::is_listener_argv(&c.argv));
        assert_eq!((c.exit_code, c.oom_killed, c.restarts), (1, false, 0));
        assert_eq!(c.restart_policy, "no");
        assert!(c.finished_at.is_some_and(|t| t > 1_700_000_000));
        let oom = recorded("ar-oom");
        assert_eq!((oom.exit_code, oom.oom_killed), (137, true));
        let r = recorded("ar-restart");
        assert_eq!((r.restarts, r.restart_policy.as_str()), (3, "on-failure"));
        assert!(parse_inspect(Runtime::Docker, "[{").is_err());
        assert_eq!(parse_inspect(Runtime::Docker, "[]").unwrap(), vec![]);
    }
}
