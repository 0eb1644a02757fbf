//! The one error type of the commands, and the documented exit codes.

use std::process::ExitCode;

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// No check failed.
    Ok = 0,
    /// At least one check failed (with --strict: or warned).
    Failed = 1,
    /// The doctor was used wrongly: bad flag, unknown check id or code, bad input.
    Usage = 2,
    /// The doctor could not do its job: an internal error outside a check, an output it cannot
    /// write, a report it cannot gather (CONTRACT §2). A CI job tells it from a failing check.
    Broke = 3,
    /// Interrupted by SIGHUP, SIGINT (Ctrl-C) or SIGTERM: 128 + the signal, as shells report it.
    Sighup = 129,
    Sigint = 130,
    Sigterm = 143,
}

impl Exit {
    /// The exit code for an interrupting signal.
    pub fn of_signal(signal: i32) -> Exit {
        match signal {
            1 => Exit::Sighup,
            15 => Exit::Sigterm,
            _ => Exit::Sigint,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// Why a command could not do what was asked. Printed once, by `app`, as its one line: the kind
/// says how, never the text.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line could not be parsed: clap's own message, folded to one line, which
    /// already begins `error:` (exit 2).
    #[error("{0}")]
    CommandLine(String),
    /// The doctor was used wrongly (exit 2).
    #[error("error: {0}")]
    Usage(String),
    /// The doctor could not do its work (exit 3).
    #[error("error: {0}")]
    Failed(String),
    /// The doctor itself broke (a panic outside a check): what it said (exit 3).
    #[error("agent-rooms-doctor: internal error: {0} (please report it with `agent-rooms-doctor --version`)")]
    Internal(String),
}

impl Error {
    pub fn exit(&self) -> Exit {
        match self {
            Error::CommandLine(_) | Error::Usage(_) => Exit::Usage,
            Error::Failed(_) | Error::Internal(_) => Exit::Broke,
        }
    }
}

impl From<crate::render::Unsupported> for Error {
    fn from(u: crate::render::Unsupported) -> Self {
        Error::Usage(u.to_string())
    }
}
