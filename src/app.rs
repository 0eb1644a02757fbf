//! The application: dispatch a parsed command line, write the rendered text, return the exit code.

use clap::{CommandFactory, Parser};
use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use crate::catalogue;
use crate::checks;
use crate::cli::{CheckId, Cli, ColorChoice, Command, Format, Global};
use crate::ctx::Ctx;
use crate::engine;
use crate::envelope;
use crate::outcome::Report;
use crate::redact;
use crate::render::{self, explain, Style};

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// No check failed.
    Ok = 0,
    /// At least one check failed (with --strict: or warned).
    Failed = 1,
    /// The doctor was used wrongly: bad flag, unknown check id or code, bad input.
    Usage = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

pub fn main() -> ExitCode {
    // A panic inside a check becomes that check's INTERNAL_ERROR; the default hook's stderr
    // message (which could quote a value) is not wanted.
    std::panic::set_hook(Box::new(|_| {}));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind::*;
            return match e.kind() {
                DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = e.print();
                    Exit::Ok.into()
                }
                _ => {
                    eprintln!("{}", one_line(&e.to_string()));
                    Exit::Usage.into()
                }
            };
        }
    };
    // Belt and braces: a panic outside a check must not end as exit 101 either.
    let (text, code) = match std::panic::catch_unwind(|| run(cli)) {
        Ok(r) => r,
        Err(p) => {
            let why = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            eprintln!("agent-rooms-doctor: internal error: {} (please report it with `agent-rooms-doctor --version`)", redact::redact_text(&why));
            return Exit::Failed.into();
        }
    };
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    code.into()
}

/// clap's error, folded to one line: the problem and the valid choices, without the usage block.
fn one_line(err: &str) -> String {
    let parts: Vec<&str> = err
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more information")
        })
        .collect();
    redact::redact_text(&format!("{} (see --help)", parts.join(" ")))
}

/// Run a parsed command line; returns what to print on stdout and the exit code.
pub fn run(cli: Cli) -> (String, Exit) {
    let g = cli.global;
    let selected: Vec<CheckId> = match cli.command {
        Some(Command::List) => return (list(&g), Exit::Ok),
        Some(Command::Explain { code, all }) => return explain_cmd(code.as_deref(), all, &g),
        Some(Command::Completions { shell }) => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "agent-rooms-doctor", &mut buf);
            return (String::from_utf8_lossy(&buf).into_owned(), Exit::Ok);
        }
        Some(Command::Report { output, force }) => return report_cmd(&g, output.as_deref(), force),
        Some(Command::Check { ids }) if !ids.is_empty() => ids,
        None | Some(Command::Check { .. }) => checks::all_ids(),
        Some(Command::Listener { more }) => [vec![CheckId::Listener], more].concat(),
        Some(Command::Device { more }) => [vec![CheckId::Device], more].concat(),
        Some(Command::Host { more }) => [vec![CheckId::Host], more].concat(),
        Some(Command::Token { more }) => [vec![CheckId::Token], more].concat(),
        Some(Command::Api { more }) => [vec![CheckId::Api], more].concat(),
    };
    let report = run_checks(&g, &selected);
    let style = Style {
        color: use_color(g.color),
        verbose: g.verbose,
    };
    let code = if report.ok { Exit::Ok } else { Exit::Failed };
    (render::render(&report, g.format(), style), code)
}

/// The selected checks in report order, without repeats.
fn ordered(selected: &[CheckId]) -> Vec<CheckId> {
    checks::all_ids()
        .into_iter()
        .filter(|i| selected.contains(i))
        .collect()
}

/// Run `work` on a fresh runtime with the run's context, bounded by `--timeout`. A probe stuck
/// in a blocking call (a hung file system, say) does not hold the exit: the runtime is shut down
/// in the background.
fn in_runtime<T, F>(g: &Global, work: impl FnOnce(Arc<Ctx>) -> F) -> Result<T, String>
where
    F: std::future::Future<Output = T>,
{
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the async runtime: {e}"))?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs_f64(g.timeout);
    let out = rt.block_on(async {
        let ctx = Arc::new(Ctx::new(g.clone(), deadline));
        work(ctx).await
    });
    rt.shutdown_background();
    Ok(out)
}

/// Run the selected checks under the run's bound, with live progress for a person watching.
async fn checks_in(g: &Global, ids: &[CheckId], ctx: Arc<Ctx>) -> Report {
    let start = tokio::time::Instant::now();
    let deadline = ctx.deadline;
    let live = Arc::new(engine::Running::default());
    let progress = render::progress::spawn(live.clone(), progress_wanted(g));
    let outcomes = engine::run(checks::REGISTRY, ids, &g.skip, ctx, deadline, &live).await;
    progress.finish().await;
    Report::new(outcomes, start.elapsed(), g.strict)
}

/// Progress goes to stderr for people only: a terminal, and not JSON.
fn progress_wanted(g: &Global) -> bool {
    g.format() != Format::Json && std::io::stderr().is_terminal()
}

/// A report of `ids` that all failed with `msg` (when the doctor cannot even start its runtime).
fn all_failed(g: &Global, ids: &[CheckId], msg: &str) -> Report {
    let outcomes = ids
        .iter()
        .map(|id| crate::outcome::CheckOutcome {
            id: id.as_str().into(),
            title: String::new(),
            status: crate::outcome::Status::Fail,
            summary: msg.to_string(),
            duration_ms: Duration::ZERO,
            facts: serde_json::json!({}),
            findings: vec![crate::outcome::Finding::new(
                "INTERNAL_ERROR",
                msg.to_string(),
            )],
        })
        .collect();
    Report::new(outcomes, Duration::ZERO, g.strict)
}

/// Run the selected checks (in report order, deduplicated) under the `--timeout` bound.
pub fn run_checks(g: &Global, selected: &[CheckId]) -> Report {
    let ids = ordered(selected);
    in_runtime(g, |ctx| async { checks_in(g, &ids, ctx).await })
        .unwrap_or_else(|e| all_failed(g, &ids, &e))
}

/// `report`: run every check, gather the bundle with the same context, print or write it.
fn report_cmd(g: &Global, output: Option<&std::path::Path>, force: bool) -> (String, Exit) {
    let ids = checks::all_ids();
    let bundle = in_runtime(g, |ctx| async move {
        let report = checks_in(g, &ids, ctx.clone()).await;
        crate::report::gather(&ctx, report).await
    });
    let bundle = match bundle {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return (String::new(), Exit::Failed);
        }
    };
    let code = if bundle.checks.ok {
        Exit::Ok
    } else {
        Exit::Failed
    };
    let text = if g.format() == Format::Json {
        let mut v = serde_json::to_value(&bundle).unwrap_or_default();
        redact::redact_json(&mut v);
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    } else {
        redact::redact_text(&render::report::markdown(&bundle))
    };
    let Some(path) = output else {
        return (text, code);
    };
    match write_private(path, text.as_bytes(), force) {
        Ok(()) => (
            format!(
                "report {} written to {}\n",
                bundle.report_id,
                path.display()
            ),
            code,
        ),
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            (String::new(), Exit::Usage)
        }
    }
}

/// Write `bytes` to a new file readable by its owner only; an existing file only with `force`.
fn write_private(path: &std::path::Path, bytes: &[u8], force: bool) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut o = std::fs::OpenOptions::new();
    o.write(true).mode(0o600);
    if force {
        o.create(true).truncate(true);
    } else {
        o.create_new(true);
    }
    let mut f = o.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            std::io::Error::new(e.kind(), "exists; pass --force to overwrite it")
        } else {
            e
        }
    })?;
    // An existing file (with --force) keeps its old mode unless set again.
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    f.write_all(bytes)
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
                && std::io::stdout().is_terminal()
        }
    }
}

fn list(g: &Global) -> String {
    if g.format() == Format::Json {
        let v: Vec<serde_json::Value> = checks::REGISTRY
            .iter()
            .map(|d| serde_json::json!({"id": d.id.as_str(), "title": d.title, "inspects": d.inspects, "needs": d.needs.iter().map(|n| n.as_str()).collect::<Vec<_>>()}))
            .collect();
        return serde_json::to_string_pretty(&v).unwrap_or_default() + "\n";
    }
    let mut out = String::new();
    for d in checks::REGISTRY {
        let needs: Vec<&str> = d.needs.iter().map(|n| n.as_str()).collect();
        let needs = if needs.is_empty() {
            String::new()
        } else {
            format!(" (needs: {})", needs.join(", "))
        };
        out.push_str(&format!(
            "{:10}{}{needs}\n{:10}{}\n",
            d.id.as_str(),
            d.title,
            "",
            d.inspects
        ));
    }
    out
}

fn explain_cmd(code: Option<&str>, all: bool, g: &Global) -> (String, Exit) {
    let json = g.format() == Format::Json;
    if all {
        if json {
            let v: Vec<_> = catalogue::CATALOGUE
                .iter()
                .map(explain::entry_json)
                .collect();
            return (
                serde_json::to_string_pretty(&v).unwrap_or_default() + "\n",
                Exit::Ok,
            );
        }
        let texts: Vec<String> = catalogue::CATALOGUE.iter().map(explain::entry).collect();
        return (texts.join("\n"), Exit::Ok);
    }
    let code = code.unwrap_or_default();
    if code == "-" {
        let mut buf = Vec::new();
        if let Err(e) = std::io::stdin()
            .lock()
            .take(1024 * 1024)
            .read_to_end(&mut buf)
        {
            eprintln!("error: cannot read stdin: {e}");
            return (String::new(), Exit::Usage);
        }
        return match envelope::parse(&buf) {
            Ok(env) => {
                let entry = catalogue::lookup(&env.code);
                if json {
                    let mut v = serde_json::json!({"envelope": env, "explanation": entry.map(explain::entry_json)});
                    redact::redact_json(&mut v);
                    (
                        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n",
                        Exit::Ok,
                    )
                } else {
                    (
                        redact::redact_text(&explain::envelope(&env, entry)),
                        Exit::Ok,
                    )
                }
            }
            Err(why) => {
                eprintln!(
                    "error: stdin is not an agent-rooms error envelope: {}",
                    redact::redact_text(&why)
                );
                (String::new(), Exit::Usage)
            }
        };
    }
    match catalogue::lookup(code) {
        Some(e) if json => (
            serde_json::to_string_pretty(&explain::entry_json(e)).unwrap_or_default() + "\n",
            Exit::Ok,
        ),
        Some(e) => (explain::entry(e), Exit::Ok),
        None => {
            let near = catalogue::closest(code);
            let hint = if near.is_empty() {
                "run `agent-rooms-doctor explain --all` for the list".to_string()
            } else {
                format!("did you mean {}?", near.join(", "))
            };
            eprintln!(
                "error: unknown code '{}': {hint}",
                redact::redact_text(code)
            );
            (String::new(), Exit::Usage)
        }
    }
}
