//! The command line: clap definitions. The doc comments here are the `--help` text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  agent-rooms-doctor                      run every check
  agent-rooms-doctor listener host        only the local checks
  agent-rooms-doctor --json               machine-readable, for CI (exit 1 when a check fails)
  agent-rooms-doctor explain REVOKED      what an API error code means and what to do
  echo \"$ERROR_JSON\" | agent-rooms-doctor explain -
  agent-rooms-doctor report > report.md   a support bundle with nothing secret in it

Exit codes: 0 no check failed; 1 a check failed (with --strict: or warned); 2 wrong usage.

Read-only: the doctor changes nothing it inspects. The one exception: a host CLI's own status
command (`codex login status`, `claude auth status`; and `--version` in `report`) may create
files in that CLI's state directory, so the doctor runs it only as the user who owns that
state, never as root for another user.";

/// Finds the broken link when an agent-rooms agent won't wake, and says what to run to fix it.
#[derive(Debug, Parser)]
#[command(name = "agent-rooms-doctor", version, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub global: Global,
}

/// Flags every command takes.
#[derive(Debug, Args, Clone)]
pub struct Global {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human, global = true)]
    pub format: Format,
    /// Same as --format json
    #[arg(long, global = true)]
    pub json: bool,
    /// When to use colour (NO_COLOR is honoured; never when not a terminal unless `always`)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Show each check's facts too
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Bound on the whole run, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 10.0, global = true, value_parser = parse_timeout)]
    pub timeout: f64,
    /// Make no network request (the network checks are skipped)
    #[arg(long, global = true)]
    pub offline: bool,
    /// Treat warnings as failures for the exit code
    #[arg(long, global = true)]
    pub strict: bool,
    /// The agent-rooms home to inspect (default: the running listener's, else your own)
    #[arg(long, value_name = "DIR", global = true)]
    pub home: Option<PathBuf>,
    /// The API base URL (overrides AGENT_ROOMS_API_URL and config.json)
    #[arg(long, value_name = "URL", global = true)]
    pub api_url: Option<String>,
    /// Read the token from this file (overrides AGENT_ROOMS_TOKEN and config.json)
    #[arg(long, value_name = "FILE", global = true)]
    pub token_file: Option<PathBuf>,
    /// The host CLI the agent uses: codex, claude, gemini, cursor, copilot
    #[arg(long, value_enum, value_name = "NAME", global = true)]
    pub host: Option<HostName>,
    /// Do not run this check (repeatable)
    #[arg(long, value_enum, value_name = "ID", global = true)]
    pub skip: Vec<CheckId>,
}

impl Global {
    pub fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else {
            self.format
        }
    }
}

fn parse_timeout(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 3600.0 => Ok(v),
        _ => Err("a number of seconds greater than 0 and at most 3600".into()),
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run all checks, or the named ones
    Check {
        /// Checks to run (default: all)
        #[arg(value_enum, value_name = "ID")]
        ids: Vec<CheckId>,
    },
    /// Is `agent-rooms watch` running, once, as the right user, and alive? (more check ids may follow)
    Listener {
        #[arg(value_enum, value_name = "ID")]
        more: Vec<CheckId>,
    },
    /// Is this device paired, and does the server still know it? (more check ids may follow)
    Device {
        #[arg(value_enum, value_name = "ID")]
        more: Vec<CheckId>,
    },
    /// Is the host CLI on the listener's PATH, able to start, and logged in for its user? (more check ids may follow)
    Host {
        #[arg(value_enum, value_name = "ID")]
        more: Vec<CheckId>,
    },
    /// Is the agent-rooms token present, unexpired and accepted by the API? (more check ids may follow)
    Token {
        #[arg(value_enum, value_name = "ID")]
        more: Vec<CheckId>,
    },
    /// Can the API be reached, and does it answer properly? (more check ids may follow)
    Api {
        #[arg(value_enum, value_name = "ID")]
        more: Vec<CheckId>,
    },
    /// List the check ids, their titles and what each inspects
    List,
    /// Explain an API error code or finding code: its meaning and what to do
    #[command(
        after_help = "Examples:\n  agent-rooms-doctor explain REVOKED\n  agent-rooms-doctor explain already_claimed\n  agent-rooms-doctor explain --all\n  curl -s https://… | agent-rooms-doctor explain -     (reads an error envelope)"
    )]
    Explain {
        /// The code (any case), or `-` to read an API error envelope (JSON) from stdin
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        code: Option<String>,
        /// Explain every code
        #[arg(long)]
        all: bool,
    },
    /// A support bundle: every check plus versions, system, files and listeners, nothing secret (markdown; --json too)
    Report {
        /// Write it to this file (mode 0600) instead of stdout
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Overwrite FILE if it exists
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Markdown,
    Junit,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The ids of the checks, in the order they are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ValueEnum)]
pub enum CheckId {
    Listener,
    Device,
    Host,
    Token,
    Api,
}

impl CheckId {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::Listener => "listener",
            CheckId::Device => "device",
            CheckId::Host => "host",
            CheckId::Token => "token",
            CheckId::Api => "api",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HostName {
    Codex,
    Claude,
    Gemini,
    Cursor,
    Copilot,
}
