//! How a host's status command died without a login answer (not started, a signal, a runtime's
//! stack trace, a shell's 126/127), read from its whole output while it is at hand: the facts
//! keep only this and a first line, so a replay judges the same.

use serde::{Deserialize, Serialize};

use crate::probes::host_cli::{first_line, CmdResult};

/// How a status command died without a login answer, read from its whole output while it is at
/// hand (the facts keep only this and a first line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Crash {
    /// The OS would not start it (exec format, permission, a missing interpreter).
    NotStarted { error: String },
    /// Ended by a signal.
    Signal,
    /// Its runtime threw before it answered: the error line of a Node stack trace or a Python
    /// traceback.
    Threw { error: String },
    /// The shell or `env` could not run it (exit 126 or 127), and what it said.
    ShellRefused { code: i32, said: String },
}

/// How `r` died without an answer, if it did: not started, a signal, a stack trace, or a
/// shell's 126/127. An exit with words of its own (even "Error: …") is an answer, not a crash.
pub fn crash_of(r: &CmdResult) -> Option<Crash> {
    match r {
        CmdResult::NotStarted { error } => Some(Crash::NotStarted {
            error: crate::sanitize::outside(error, 200),
        }),
        CmdResult::TimedOut { .. } => None,
        CmdResult::Exited { code: None, .. } => Some(Crash::Signal),
        CmdResult::Exited {
            code: Some(code),
            stdout,
            stderr,
        } => {
            let all = format!("{stderr}\n{stdout}");
            if let Some(error) = thrown(&all) {
                return Some(Crash::Threw {
                    error: crate::sanitize::outside(&error, 200),
                });
            }
            matches!(code, 126 | 127).then(|| Crash::ShellRefused {
                code: *code,
                said: first_line(&all),
            })
        }
    }
}

/// The error line of a runtime's uncaught error in `text`: a Node stack trace (an `Error: …`
/// line followed by `at …` frames) or a Python traceback (its last line).
fn thrown(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let frame = |l: &str| {
        l.starts_with("at ") && (l.contains(".js:") || l.contains("node:") || l.contains(".cjs:"))
    };
    if lines.iter().any(|l| frame(l)) {
        return lines
            .iter()
            .find(|l| crate::model::crash::opens_error(l))
            .or_else(|| lines.iter().find(|l| !l.is_empty()))
            .map(|l| l.to_string());
    }
    if lines.contains(&"Traceback (most recent call last):") {
        return lines
            .iter()
            .rev()
            .find(|l| !l.is_empty())
            .map(|l| l.to_string());
    }
    None
}
