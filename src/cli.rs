//! The command line, and only that: clap definitions (the doc comments are the `--help` text),
//! with the check ids, the shorthand subcommands and `--host`'s values taken from the check
//! registry and the host table rather than written here again.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Arg, Args, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;

use crate::checks::{self, REGISTRY};
use crate::ctx::Options;
use crate::hosts;
use crate::model::CheckId;
use crate::render::Format;

const EXAMPLES: &str = "\
Examples:
  agent-rooms-doctor                      run every check
  agent-rooms-doctor listener host        only the local checks
  agent-rooms-doctor --json               machine-readable, for CI (exit 1 when a check fails)
  agent-rooms-doctor explain REVOKED      what an API error code means and what to do
  echo \"$ERROR_JSON\" | agent-rooms-doctor explain -
  agent-rooms-doctor report > report.md   a support bundle with nothing secret in it

Exit codes: 0 no check failed; 1 a check failed (with --strict: or warned; a missing agent-rooms
home and a failed fix step always do); 2 wrong usage; 3 the doctor could not do its job (an
output it cannot write, a report it cannot gather, an internal error); 129/130/143 interrupted
by SIGHUP/SIGINT/SIGTERM (every process the doctor started is ended first).

Read-only: the doctor changes nothing it inspects, but for what you ask for by
name: `fix` runs the remedies you agree to, and `report -o FILE` writes the
bundle. Beyond those, a host CLI's own status command (`codex login status`,
`claude auth status`; and `--version` in `report`) may create files in that
CLI's state directory, so the doctor runs it only as the user who owns that
state, never as root for another user.";

/// Finds the broken link when an agent-rooms agent won't wake, and says what to run to fix it.
#[derive(Debug, Parser)]
#[command(name = "agent-rooms-doctor", version, after_help = EXAMPLES)]
struct Cli {
    #[command(flatten)]
    global: Global,
}

/// Flags every command takes.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human, global = true)]
    pub format: Format,
    /// Same as --format json
    #[arg(long, global = true)]
    pub json: bool,
    /// When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with
    /// CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Show each check's facts too
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Bound on the whole run, in seconds
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 10.0,
        global = true,
        value_parser = parse_timeout,
        allow_negative_numbers = true
    )]
    pub timeout: f64,
    /// Make no network request (the network checks are skipped)
    #[arg(long, global = true)]
    pub offline: bool,
    /// Treat warnings as failures for the exit code
    #[arg(long, global = true)]
    pub strict: bool,
    /// Re-run the checks until none fails or SECS have passed (the last run's outcome and exit
    /// code stand; progress goes to stderr)
    #[arg(long, value_name = "SECS", global = true, value_parser = parse_timeout, allow_negative_numbers = true)]
    pub wait: Option<f64>,
    /// Also run the host CLI's own doctor (codex doctor --json) as the listener's user; it
    /// reaches the model provider's network, so it is off by default (give a longer --timeout)
    #[arg(long, global = true)]
    pub deep: bool,
    /// The agent-rooms home to inspect (default: the running listener's, else your own)
    #[arg(long, value_name = "DIR", global = true)]
    pub home: Option<PathBuf>,
    /// The API base URL (overrides AGENT_ROOMS_API_URL and config.json)
    #[arg(long, value_name = "URL", global = true)]
    pub api_url: Option<String>,
    /// The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)
    #[arg(long, value_name = "FILE", global = true)]
    pub token_file: Option<PathBuf>,
    /// The host CLI the agent uses
    #[arg(long, value_name = "NAME", global = true, value_parser = PossibleValuesParser::new(hosts::accepted_names()))]
    pub host: Option<String>,
    /// Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible,
    /// marked, and does not count against the exit code or --strict (repeatable)
    #[arg(
        long,
        value_name = "CODE",
        global = true,
        env = "AGENT_ROOMS_DOCTOR_ALLOW",
        value_delimiter = ','
    )]
    pub allow: Vec<crate::model::accept::Allow>,
    /// Do not run this check (repeatable)
    #[arg(long, value_name = "ID", global = true, value_parser = CheckIdParser)]
    pub skip: Vec<CheckId>,
    /// Write the document to FILE instead of stdout, atomically (a temporary file beside it,
    /// renamed into place; never through a symbolic link); `-` is stdout
    #[arg(long, short, value_name = "FILE", global = true)]
    pub output: Option<PathBuf>,
}

impl Global {
    pub fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else {
            self.format
        }
    }

    /// What the checks read of the flags.
    pub fn options(&self) -> Options {
        Options {
            offline: self.offline,
            deep: self.deep && !self.offline,
            home: self.home.clone(),
            skip_listener: self.skip.contains(&CheckId::Listener),
            api_url: self.api_url.clone(),
            token_file: self.token_file.clone(),
            // A binary's name (`cursor-agent`) stands for its host (`cursor`).
            host: self
                .host
                .as_deref()
                .map(|h| hosts::by_name(h).map_or(h, |s| s.name).to_string()),
        }
    }
}

fn parse_timeout(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 3600.0 => Ok(v),
        _ => Err("a number of seconds greater than 0 and at most 3600".into()),
    }
}

/// Check ids as the registry spells them.
#[derive(Debug, Clone, Copy)]
pub struct CheckIdParser;

impl TypedValueParser for CheckIdParser {
    type Value = CheckId;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<CheckId, clap::Error> {
        let ids = PossibleValuesParser::new(REGISTRY.iter().map(|d| d.id.as_str()));
        let name = ids.parse_ref(cmd, arg, value)?;
        checks::by_name(&name)
            .map(|d| d.id)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            REGISTRY.iter().map(|d| PossibleValue::new(d.id.as_str())),
        ))
    }
}

/// Run all checks, or the named ones
#[derive(Debug, Args)]
struct CheckArgs {
    /// Checks to run (default: all)
    #[arg(value_name = "ID", value_parser = CheckIdParser)]
    ids: Vec<CheckId>,
}

// The commands after `check` and the checks' shorthands (a plain comment: a doc comment here
// would become the top-level help).
#[derive(Debug, Subcommand)]
enum Command {
    /// List the check ids, their titles and what each inspects
    List,
    /// Explain an API error code or finding code: its meaning and what to do
    #[command(
        after_help = "Examples:\n  agent-rooms-doctor explain REVOKED\n  agent-rooms-doctor explain \
            already_claimed\n  agent-rooms-doctor explain --all\n  curl -s https://… | agent-rooms-doctor \
            explain -     (reads an error envelope)"
    )]
    Explain {
        /// The code (any case), or `-` to read an API error envelope (JSON) from stdin
        #[arg(
            required_unless_present = "all",
            conflicts_with = "all",
            value_parser = AnyCode,
            hide_possible_values = true
        )]
        code: Option<String>,
        /// Explain every code
        #[arg(long)]
        all: bool,
    },
    /// A support bundle: every check, versions, system, files and listeners; nothing secret
    Report {
        /// Overwrite the --output FILE if it exists (the bundle is written with mode 0600, and
        /// never over a file without this)
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// Run the safe remedies, asking y/N for each (the one command that changes anything)
    Fix {
        /// Print the plan as a shell script and change nothing
        #[arg(long)]
        dry_run: bool,
        /// Run every step without asking (needed off a terminal)
        #[arg(long, conflicts_with = "dry_run")]
        yes: bool,
    },
    /// Judge a bundle's recorded facts again by this version's rules (probes nothing)
    #[command(
        after_help = "Reads what `report` writes, as JSON (`report --json`) or markdown, from a file \
            or `-` (stdin).\nIt is headed by where the facts came from and ends with the checks \
            whose verdict today\ndiffers from the one recorded. Exit codes as for a run; 2 for a \
            file that is not a report.\n\nExamples:\n  agent-rooms-doctor replay report.json\n  \
            agent-rooms-doctor replay --json - < report.md"
    )]
    Replay {
        /// The bundle: a file, or - for stdin
        #[arg(value_name = "BUNDLE")]
        bundle: PathBuf,
    },
    /// Compare two support bundles along the wake chain (probes nothing)
    #[command(
        after_help = "The listener's user, supervisor, PATH and variables (names only), the host \
            CLI, the token (by\nits mask), the API URL and proxy, the device, the clock and the \
            system; then the checks whose\nverdict differs. Exit 0 when nothing differs, 1 when \
            something does, 2 for a file that is\nnot a report.\n\nExample:\n  agent-rooms-doctor \
            diff works.json broken.json"
    )]
    Diff {
        /// The first bundle (a file, or - for stdin)
        #[arg(value_name = "A")]
        a: PathBuf,
        /// The second bundle
        #[arg(value_name = "B")]
        b: PathBuf,
    },
    /// Print shell completions
    #[command(after_help = COMPLETIONS_HELP)]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// How to install the completions, per shell (also in docs/GUIDE.md).
const COMPLETIONS_HELP: &str = "Install them, then open a new shell:
  bash:    agent-rooms-doctor completions bash \\
             > ~/.local/share/bash-completion/completions/agent-rooms-doctor
  zsh:     agent-rooms-doctor completions zsh > ~/.zfunc/_agent-rooms-doctor
           (and in ~/.zshrc: fpath=(~/.zfunc $fpath); autoload -Uz compinit; compinit)
  fish:    agent-rooms-doctor completions fish \\
             > ~/.config/fish/completions/agent-rooms-doctor.fish
  PowerShell: agent-rooms-doctor completions powershell >> $PROFILE
  elvish:  agent-rooms-doctor completions elvish >> ~/.config/elvish/rc.elv";

/// Any text as a code; the catalogue's codes are its possible values, so the shell completions
/// offer them after `explain`. Parsing accepts anything (`explain` answers an unknown code with
/// "did you mean", and `-` reads an envelope from stdin).
#[derive(Clone)]
struct AnyCode;

impl TypedValueParser for AnyCode {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            crate::model::catalogue::CATALOGUE
                .iter()
                .map(|e| PossibleValue::new(e.code)),
        ))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// What to do, once the command line is read.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Run these checks (as given; the command puts them in report order).
    Check(Vec<CheckId>),
    List,
    Explain {
        code: Option<String>,
        all: bool,
    },
    Report {
        force: bool,
    },
    Completions(clap_complete::Shell),
    /// `--version --verbose` (`-V -v`): the version and the build's identity.
    Version,
    Fix {
        dry_run: bool,
        yes: bool,
    },
    Replay {
        bundle: PathBuf,
    },
    Diff {
        a: PathBuf,
        b: PathBuf,
    },
}

/// A parsed command line.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub global: Global,
    pub action: Action,
}

/// The whole command line: `check`, one shorthand subcommand per registered check
/// (`agent-rooms-doctor listener host` = `check listener host`), then the other commands.
pub fn command() -> clap::Command {
    // The subcommands go in before the global flags, so each subcommand's own flags are listed
    // first in its help.
    let mut cmd = clap::Command::new("agent-rooms-doctor").subcommand(CheckArgs::augment_args(
        clap::Command::new("check").about("Run all checks, or the named ones"),
    ));
    for d in REGISTRY {
        cmd = cmd.subcommand(
            clap::Command::new(d.id.as_str())
                .about(format!("{} (more check ids may follow)", d.question))
                .arg(
                    Arg::new("more")
                        .value_name("ID")
                        .num_args(0..)
                        .value_parser(CheckIdParser),
                ),
        );
    }
    let mut cmd = Command::augment_subcommands(cmd);
    // Each command offers only the formats it writes (`explain --format junit` is a usage
    // error, not a failure at run time): its own `--format`, which the global one does not
    // replace, and whose value the global flags still read.
    for (name, formats) in [
        ("explain", crate::render::explain::FORMATS),
        ("list", crate::render::list::FORMATS),
        ("report", crate::render::bundle::FORMATS),
        ("fix", crate::render::fix::FORMATS),
        ("diff", crate::render::replay::DIFF_FORMATS),
    ] {
        cmd = cmd.mut_subcommand(name, |s| {
            s.arg(
                Arg::new("format")
                    .long("format")
                    .value_name("FORMAT")
                    .help("Output format")
                    .help_heading("Global options")
                    .default_value("human")
                    .value_parser(formats_parser(formats)),
            )
        });
    }
    // `completions` writes a shell script: it takes the global flags (as every command does)
    // but lists them in neither its help nor the completions, where `--strict` or `--format
    // prometheus` would be offered for a script.
    let globals: Vec<Arg> = Cli::augment_args(clap::Command::new("globals"))
        .get_arguments()
        .map(|a| a.clone().global(false).hide(true))
        .collect();
    cmd = cmd.mut_subcommand("completions", |s| s.args(globals));
    Cli::augment_args(cmd)
}

/// `--format` restricted to `formats`, still parsed as a `Format`.
fn formats_parser(formats: &'static [Format]) -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(formats.iter().map(|f| PossibleValue::new(f.name())))
        .map(|s| Format::from_str(&s, true).expect("a format's own name"))
}

/// Read a command line (the program name first).
pub fn parse_from<I, T>(args: I) -> Result<Parsed, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // `--version` alone is clap's (the version); with `--verbose` it is the build's identity,
    // which clap's version flag would not wait for.
    let said = |words: &[&str]| args.iter().skip(1).any(|a| words.iter().any(|w| a == w));
    if said(&["-V", "--version"]) && said(&["-v", "--verbose"]) {
        let global = Global::from_arg_matches(&command().get_matches_from(["agent-rooms-doctor"]))?;
        return Ok(Parsed {
            global,
            action: Action::Version,
        });
    }
    let mut m = command().try_get_matches_from(args)?;
    let global = Global::from_arg_matches(&m)?;
    let action = match m.subcommand() {
        None => Action::Check(vec![]),
        Some(("check", sub)) => Action::Check(CheckArgs::from_arg_matches(sub)?.ids),
        // A check's shorthand: its id, then whatever ids follow.
        Some((name, sub)) if checks::by_name(name).is_some() => {
            let first = checks::by_name(name).map(|d| d.id).into_iter();
            Action::Check(first.chain(sub_ids(sub)).collect())
        }
        Some(_) => action(Command::from_arg_matches_mut(&mut m)?),
    };
    Ok(Parsed { global, action })
}

fn action(c: Command) -> Action {
    match c {
        Command::List => Action::List,
        Command::Explain { code, all } => Action::Explain { code, all },
        Command::Report { force } => Action::Report { force },
        Command::Completions { shell } => Action::Completions(shell),
        Command::Fix { dry_run, yes } => Action::Fix { dry_run, yes },
        Command::Replay { bundle } => Action::Replay { bundle },
        Command::Diff { a, b } => Action::Diff { a, b },
    }
}

/// The ids after a check's shorthand subcommand.
fn sub_ids(m: &clap::ArgMatches) -> Vec<CheckId> {
    m.get_many::<CheckId>("more")
        .into_iter()
        .flatten()
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Parsed {
        parse_from(std::iter::once("agent-rooms-doctor").chain(args.iter().copied())).unwrap()
    }

    #[test]
    fn the_command_line_is_well_formed() {
        command().debug_assert();
    }

    #[test]
    fn shorthand_subcommands_come_from_the_registry() {
        for d in REGISTRY {
            let p = parse(&[d.id.as_str()]);
            assert_eq!(p.action, Action::Check(vec![d.id]));
        }
        let p = parse(&["listener", "host", "--json"]);
        assert_eq!(
            p.action,
            Action::Check(vec![CheckId::Listener, CheckId::Host])
        );
        assert_eq!(p.global.format(), Format::Json);
        let m = command()
            .try_get_matches_from(["agent-rooms-doctor", "token", "api"])
            .unwrap();
        assert_eq!(sub_ids(m.subcommand().unwrap().1), vec![CheckId::Api]);
    }

    #[test]
    fn globals_and_ids_parse_from_the_tables() {
        let p = parse(&[
            "check", "api", "token", "--skip", "device", "--host", "claude",
        ]);
        assert_eq!(p.action, Action::Check(vec![CheckId::Api, CheckId::Token]));
        assert_eq!(p.global.skip, vec![CheckId::Device]);
        assert_eq!(p.global.options().host.as_deref(), Some("claude"));
        assert_eq!(parse(&[]).action, Action::Check(vec![]));
        for bad in [
            &["check", "nope"][..],
            &["--host", "vim"],
            &["--skip", "Listener"],
        ] {
            let args = std::iter::once("agent-rooms-doctor").chain(bad.iter().copied());
            assert!(parse_from(args).is_err(), "{bad:?}");
        }
    }
}
