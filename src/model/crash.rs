//! Why a listener died, read from how it ended and its last words: the common crashes mapped to
//! what fixes them. Pure: every mapping is held by a unit test from hand-built lines. The
//! listener check says the crash and its cause; the logs check finds crashes in a log.

use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// The line a runtime's uncaught error opens with: `TypeError: …`, `Error [ERR_X]: …`,
/// `Uncaught Error: …`.
static ERROR_LINE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^(?:[A-Za-z]*Error|Uncaught \w+)(?: \[[A-Z_0-9]+\])?: ")
        .expect("a valid pattern")
});

/// Does `line` (its indent aside) open a runtime's error, as node prints an uncaught one?
pub fn opens_error(line: &str) -> bool {
    ERROR_LINE.is_match(line.trim_start())
}

/// How a run ended, as its supervisor says it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exit {
    pub code: Option<i64>,
    /// The signal that killed it ("SIGKILL").
    pub signal: Option<String>,
    /// systemd's Result (exit-code, signal, oom-kill, start-limit-hit…).
    pub result: Option<String>,
}

/// A crash's cause, where its last words or its exit say one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cause", rename_all = "snake_case")]
pub enum Cause {
    /// `Error: Cannot find module 'ws'`: the install is broken.
    ModuleMissing { module: String },
    /// `EACCES: permission denied, open '/home/a/.config/agent-rooms/listener.json'`.
    NoAccess { path: Option<String> },
    /// `node: not found`, `env: 'node': No such file or directory`, systemd's `203/EXEC`: the
    /// service's PATH or ExecStart names a program that is not there.
    ProgramMissing { program: Option<String> },
    /// The API refused its token at start (REVOKED, INVALID_PASSPORT, 401…).
    TokenRefused { code: String },
    /// The address or lock is held: another listener runs.
    InUse,
    /// Out of memory: the kernel or systemd killed it, or node's heap ran out.
    OutOfMemory,
    /// It exits at once because this device is not paired.
    NotPaired,
}

/// The line that says the cause, and the cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Read {
    pub cause: Option<Cause>,
    /// The crash line quoted (the first line of its last error), cleaned.
    pub line: Option<String>,
}

/// Quoted text between the first pair of `q` after `after` in `line`.
fn quoted_after(line: &str, after: &str) -> Option<String> {
    let rest = &line[line.find(after)? + after.len()..];
    let q = rest.find(['\'', '"'])?;
    let quote = rest[q..].chars().next()?;
    let body = &rest[q + 1..];
    Some(body[..body.find(quote)?].to_string())
}

const TOKEN_CODES: &[&str] = &[
    "REVOKED",
    "INVALID_PASSPORT",
    "IDENTITY_REQUIRED",
    "TOKEN_EXPIRED",
];

/// The cause one line says, if any.
fn cause_of_line(line: &str) -> Option<Cause> {
    let lower = line.to_ascii_lowercase();
    if line.contains("Cannot find module") {
        return Some(Cause::ModuleMissing {
            module: quoted_after(line, "Cannot find module").unwrap_or_default(),
        });
    }
    if line.contains("ERR_MODULE_NOT_FOUND") || line.contains("Cannot find package") {
        return Some(Cause::ModuleMissing {
            module: quoted_after(line, "Cannot find package").unwrap_or_default(),
        });
    }
    if line.contains("EACCES") || lower.contains("permission denied") {
        return Some(Cause::NoAccess {
            path: quoted_after(line, "EACCES"),
        });
    }
    if line.contains("EADDRINUSE")
        || lower.contains("address already in use")
        || lower.contains("already running")
        || lower.contains("lock is held")
    {
        return Some(Cause::InUse);
    }
    if lower.contains("heap out of memory") || lower.contains("out of memory") {
        return Some(Cause::OutOfMemory);
    }
    if lower.contains("not paired") {
        return Some(Cause::NotPaired);
    }
    if let Some(code) = TOKEN_CODES.iter().find(|c| line.contains(*c)) {
        return Some(Cause::TokenRefused {
            code: code.to_string(),
        });
    }
    if line.contains(" 401") && (lower.contains("unauthorized") || lower.contains("status")) {
        return Some(Cause::TokenRefused { code: "401".into() });
    }
    program_missing(line)
}

/// `node: not found`, `/usr/bin/env: 'node': No such file or directory`, systemd's
/// `Failed to locate executable /opt/node/bin/node` / `Failed at step EXEC spawning X`.
fn program_missing(line: &str) -> Option<Cause> {
    if let Some(rest) = line.split_once("env: ") {
        if rest.1.contains("No such file or directory") {
            let p =
                quoted_after(rest.1, "").or_else(|| rest.1.split(':').next().map(str::to_string));
            return Some(Cause::ProgramMissing { program: p });
        }
    }
    if let Some(head) = line
        .strip_suffix(": not found")
        .or_else(|| line.strip_suffix(": command not found"))
    {
        let program = head.rsplit(": ").next().unwrap_or(head).trim().to_string();
        return Some(Cause::ProgramMissing {
            program: Some(program),
        });
    }
    for marker in [
        "Failed to locate executable ",
        "Failed at step EXEC spawning ",
    ] {
        if let Some((_, rest)) = line.split_once(marker) {
            let program = rest.split(':').next().map(|s| s.trim().to_string());
            return Some(Cause::ProgramMissing { program });
        }
    }
    None
}

/// Does this line open an error (the crash line to quote)?
pub fn is_error_line(line: &str) -> bool {
    let t = line.trim_start();
    (t.contains("Error") && !t.starts_with("at "))
        || t.starts_with("FATAL")
        || t.contains("Uncaught")
}

/// Read the last words and the exit: the cause, and the line that says it. The last error
/// wins (a log holds every crash; the last is the one that counts).
pub fn read(last_words: &[String], exit: &Exit) -> Read {
    let by_line = last_words
        .iter()
        .rev()
        .find_map(|l| cause_of_line(l).map(|c| (c, l.clone())));
    let by_exit = match exit.result.as_deref() {
        // systemd's Result, docker's State.OOMKilled.
        Some("oom-kill" | "OOMKilled") => Some(Cause::OutOfMemory),
        _ if exit.code == Some(203) && exit.result.as_deref() == Some("exit-code") => {
            Some(Cause::ProgramMissing { program: None })
        }
        _ => None,
    };
    match (by_line, by_exit) {
        (Some((c, l)), _) => Read {
            cause: Some(c),
            line: Some(l),
        },
        (None, c) => Read {
            cause: c,
            line: last_words
                .iter()
                .rev()
                .find(|l| is_error_line(l))
                .or(last_words.last())
                .cloned(),
        },
    }
}

/// Does this log line mark a process's death, as node and the OS write it: a module that cannot
/// be found, V8's fatal error, a program the shell or systemd could not find, or the `Node.js
/// vN` line node prints last after an uncaught exception? (An error the listener logged and
/// lived through is none of these.)
pub fn marks_death(line: &str) -> bool {
    let t = line.trim();
    t.contains("Cannot find module")
        || t.contains("ERR_MODULE_NOT_FOUND")
        || t.starts_with("FATAL ERROR:")
        || node_version_line(t)
        || program_missing(t).is_some()
}

/// node's last line after an uncaught exception: `Node.js v20.20.2`.
pub fn node_version_line(t: &str) -> bool {
    t.strip_prefix("Node.js v")
        .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
}

/// Does a log's last words show a fatal crash of the listener (not an API code it logged and
/// lived through)?
pub fn is_fatal(last_words: &[String]) -> bool {
    last_words.iter().any(|l| {
        l.contains("Cannot find module")
            || l.contains("ERR_MODULE_NOT_FOUND")
            || l.contains("Uncaught")
            || l.contains("FATAL ERROR")
            || l.trim_start().starts_with("throw ")
            || opens_error(l)
            || l.ends_with(": not found")
            || (l.contains("env: ") && l.contains("No such file or directory"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &[&str]) -> Vec<String> {
        s.iter().map(|l| l.to_string()).collect()
    }

    fn cause(s: &[&str]) -> Option<Cause> {
        read(&lines(s), &Exit::default()).cause
    }

    #[test]
    fn a_missing_module_is_a_broken_install() {
        let w = lines(&[
            "node:internal/modules/cjs/loader:1210",
            "  throw err;",
            "Error: Cannot find module 'ws'",
            "Require stack:",
            "- /usr/lib/node_modules/agent-rooms/dist/watch.js",
        ]);
        let r = read(&w, &Exit::default());
        assert_eq!(
            r.cause,
            Some(Cause::ModuleMissing {
                module: "ws".into()
            })
        );
        assert_eq!(r.line.as_deref(), Some("Error: Cannot find module 'ws'"));
        assert!(is_fatal(&w));
        assert_eq!(
            cause(&[
                "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'undici' imported from /x.js"
            ]),
            Some(Cause::ModuleMissing {
                module: "undici".into()
            })
        );
    }

    #[test]
    fn each_common_crash_has_its_cause() {
        assert_eq!(
            cause(&["Error: EACCES: permission denied, open '/home/a/.config/agent-rooms/listener.json'"]),
            Some(Cause::NoAccess { path: Some("/home/a/.config/agent-rooms/listener.json".into()) })
        );
        assert_eq!(
            cause(&["/usr/bin/env: 'node': No such file or directory"]),
            Some(Cause::ProgramMissing {
                program: Some("node".into())
            })
        );
        assert_eq!(
            cause(&["/usr/local/bin/agent-rooms: 2: exec: node: not found"]),
            Some(Cause::ProgramMissing {
                program: Some("node".into())
            })
        );
        assert_eq!(
            cause(&["ar.service: Failed to locate executable /opt/node/bin/node: No such file or directory"]),
            Some(Cause::ProgramMissing { program: Some("/opt/node/bin/node".into()) })
        );
        assert_eq!(
            cause(&["agent-rooms: the API refused the token: REVOKED (request req_1)"]),
            Some(Cause::TokenRefused {
                code: "REVOKED".into()
            })
        );
        assert_eq!(
            cause(&["Error: request failed with status 401 Unauthorized"]),
            Some(Cause::TokenRefused { code: "401".into() })
        );
        assert_eq!(
            cause(&["Error: listen EADDRINUSE: address already in use 127.0.0.1:7777"]),
            Some(Cause::InUse)
        );
        assert_eq!(
            cause(&["agent-rooms: another listener is already running (lock is held)"]),
            Some(Cause::InUse)
        );
        assert_eq!(
            cause(&[
                "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"
            ]),
            Some(Cause::OutOfMemory)
        );
        assert_eq!(
            cause(&["agent-rooms: this device is not paired; run `agent-rooms pair`"]),
            Some(Cause::NotPaired)
        );
        assert_eq!(cause(&["connected", "heartbeat"]), None);
        // Without an error line, its very last line is what it said last.
        assert_eq!(
            read(&lines(&["connected", "bye"]), &Exit::default())
                .line
                .as_deref(),
            Some("bye")
        );
    }

    #[test]
    fn the_exit_says_what_the_lines_do_not() {
        let oom = Exit {
            code: None,
            signal: Some("SIGKILL".into()),
            result: Some("oom-kill".into()),
        };
        assert_eq!(read(&[], &oom).cause, Some(Cause::OutOfMemory));
        let exec = Exit {
            code: Some(203),
            signal: None,
            result: Some("exit-code".into()),
        };
        assert_eq!(
            read(&[], &exec).cause,
            Some(Cause::ProgramMissing { program: None })
        );
        let plain = Exit {
            code: Some(1),
            signal: None,
            result: Some("exit-code".into()),
        };
        assert_eq!(read(&[], &plain).cause, None);
        // The last crash counts: a module missing long ago, the token refused now.
        let w = lines(&[
            "Error: Cannot find module 'ws'",
            "fixed",
            "REVOKED: token revoked",
        ]);
        assert_eq!(
            read(&w, &plain).cause,
            Some(Cause::TokenRefused {
                code: "REVOKED".into()
            })
        );
        // Without a known cause, the last error line is still quoted.
        let w = lines(&[
            "starting",
            "TypeError: x is not a function",
            "    at main (/a.js:1:1)",
        ]);
        let r = read(&w, &plain);
        assert_eq!(
            (r.cause, r.line.as_deref()),
            (None, Some("TypeError: x is not a function"))
        );
        assert!(is_fatal(&w));
        assert!(!is_fatal(&lines(&[
            "connected",
            "task claimed: 409 already_claimed"
        ])));
    }
}
