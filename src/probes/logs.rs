//! The listener's log: the end of a log file, or its systemd journal (`journalctl -o json`),
//! bounded to the last `TAIL_CAP` bytes and, for the journal, the last day. Lines are returned
//! as read (with a time where the source gives one); nothing here reads their meaning.

use serde::{Deserialize, Serialize};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::time::Duration;

use super::command::{self, CmdResult};

/// The most of a log the doctor reads: its last mebibyte.
pub const TAIL_CAP: u64 = 1024 * 1024;

/// One line of a log, with its time (seconds since the epoch) where the source says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub at: Option<i64>,
    pub text: String,
}

/// A log as read: where from, its lines (oldest first), and how it was bounded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Log {
    /// The file, or the journal command.
    pub source: String,
    #[serde(skip)]
    pub lines: Vec<Line>,
    pub bytes: u64,
    /// Only the last TAIL_CAP bytes were read.
    pub truncated: bool,
    /// The file's modification time (seconds since the epoch).
    #[serde(
        serialize_with = "crate::time_util::ser_rfc3339_opt",
        deserialize_with = "crate::time_util::de_rfc3339_opt"
    )]
    pub modified: Option<i64>,
}

/// The last `TAIL_CAP` bytes of `path`, split into lines (a first, partial line is dropped).
pub fn read_tail(path: &Path) -> Result<Log, String> {
    // Asked before opening: opening a FIFO would wait for a writer.
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let mut f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let len = meta.len();
    let start = len.saturating_sub(TAIL_CAP);
    f.seek(SeekFrom::Start(start)).map_err(|e| e.to_string())?;
    let mut buf = Vec::with_capacity((len - start) as usize);
    f.take(TAIL_CAP)
        .read_to_end(&mut buf)
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&buf);
    let mut lines: Vec<Line> = text
        .lines()
        .map(|l| Line {
            at: None,
            text: l.to_string(),
        })
        .collect();
    if start > 0 && !lines.is_empty() {
        lines.remove(0);
    }
    Ok(Log {
        source: path.display().to_string(),
        lines,
        bytes: buf.len() as u64,
        truncated: start > 0,
        modified: Some(super::files::meta_of(&meta).modified),
    })
}

/// The journal of a systemd unit over the last day: `journalctl -u UNIT` (or, for a user unit,
/// `--user-unit UNIT` with `_UID=`), as JSON lines, within `limit`.
pub async fn journal(unit: &str, user_uid: Option<u32>, limit: Duration) -> Result<Log, String> {
    let uid_match = user_uid.map(|u| format!("_UID={u}"));
    let mut args: Vec<&str> = match &uid_match {
        Some(m) => vec!["--user-unit", unit, m.as_str()],
        None => vec!["-u", unit],
    };
    args.extend([
        "-o",
        "json",
        "--since",
        "-24h",
        "-n",
        "20000",
        "--no-pager",
        "-q",
    ]);
    let source = format!("journalctl {}", args.join(" "));
    let program =
        which::which("journalctl").map_err(|_| "journalctl is not installed".to_string())?;
    match command::run(&program, &args, None, limit, TAIL_CAP as usize).await {
        CmdResult::Exited {
            code: Some(0),
            stdout,
            ..
        } => {
            let bytes = stdout.len() as u64;
            Ok(Log {
                source,
                lines: parse_journal(&stdout),
                bytes,
                truncated: bytes >= TAIL_CAP,
                modified: None,
            })
        }
        CmdResult::Exited { code, stderr, .. } => Err(format!(
            "{source} exited with {}: {}",
            code.map(|c| c.to_string())
                .unwrap_or_else(|| "a signal".into()),
            command::first_line(&stderr)
        )),
        CmdResult::TimedOut { after_ms } => Err(format!("{source} took over {after_ms} ms")),
        CmdResult::NotStarted { error } => Err(format!("{source} could not start: {error}")),
    }
}

/// A process's working directory (`/proc/PID/cwd`), where `nohup` writes `nohup.out`.
pub fn cwd_of(pid: u32) -> Option<std::path::PathBuf> {
    std::fs::read_link(format!("/proc/{pid}/cwd")).ok()
}

/// The lines of `journalctl -o json` output: `MESSAGE` (a string, or an array of bytes when it
/// is not UTF-8) at `__REALTIME_TIMESTAMP` (microseconds). Lines that are not such an object
/// are skipped.
pub fn parse_journal(text: &str) -> Vec<Line> {
    text.lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            let text = match v.get("MESSAGE")? {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(bytes) => {
                    let b: Vec<u8> = bytes
                        .iter()
                        .filter_map(|x| x.as_u64().and_then(|n| u8::try_from(n).ok()))
                        .collect();
                    String::from_utf8_lossy(&b).into_owned()
                }
                _ => return None,
            };
            let at = v
                .get("__REALTIME_TIMESTAMP")
                .and_then(|t| t.as_str())
                .and_then(|t| t.parse::<i64>().ok())
                .map(|us| us / 1_000_000);
            Some(Line { at, text })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_json_lines_as_journalctl_writes_them() {
        // Recorded shape of `journalctl -u agent-rooms -o json` (fields trimmed).
        let text = concat!(
            r#"{"__CURSOR":"s=1;i=2","__REALTIME_TIMESTAMP":"1795652517465123","#,
            r#""_SYSTEMD_UNIT":"agent-rooms.service","_PID":"812","#,
            r#""MESSAGE":"{\"error\":{\"code\":\"NO_GRANT\",\"request_id\":\"req_1\"}}"}"#,
            r#"
{"__REALTIME_TIMESTAMP":"1795652518000000","MESSAGE":[104,105,255]}
{"__REALTIME_TIMESTAMP":"1795652519000000","MESSAGE":null}
not json
{"MESSAGE":"no time"}
"#
        );
        let lines = parse_journal(text);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].at, Some(1_795_652_517));
        assert!(lines[0].text.contains("NO_GRANT"));
        assert_eq!(lines[1].text, "hi\u{fffd}");
        assert_eq!(
            lines[2],
            Line {
                at: None,
                text: "no time".into()
            }
        );
    }

    #[test]
    fn only_the_tail_of_a_big_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.log");
        let line = "x".repeat(99) + "\n";
        let mut body = line.repeat((TAIL_CAP as usize / 100) + 50);
        body.push_str("last line\n");
        std::fs::write(&p, &body).unwrap();
        let log = read_tail(&p).unwrap();
        assert!(log.truncated);
        assert_eq!(log.bytes, TAIL_CAP);
        assert_eq!(log.lines.last().unwrap().text, "last line");
        // The first line, cut by the bound, is dropped rather than read as a whole one.
        assert!(log
            .lines
            .iter()
            .all(|l| l.text.len() == 99 || l.text == "last line"));
        let small = dir.path().join("small.log");
        std::fs::write(&small, "a\nb\n").unwrap();
        let log = read_tail(&small).unwrap();
        assert_eq!((log.truncated, log.lines.len()), (false, 2));
        assert!(read_tail(dir.path()).is_err());
        assert!(read_tail(&dir.path().join("none")).is_err());
    }
}
