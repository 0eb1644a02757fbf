//! The application: parse → run → exit code. The one place that prints an error, and the one
//! place that writes the documents (through the redacting sink).

use std::process::ExitCode;

use crate::cli;
use crate::commands;
use crate::error::{Error, Exit};
use crate::output::{Kind, Sink};
#[cfg(unix)]
use crate::probes::command;
use crate::render::Format;

pub fn main() -> ExitCode {
    // A panic inside a check becomes that check's INTERNAL_ERROR; the default hook's stderr
    // message (which could quote a value) is not wanted.
    std::panic::set_hook(Box::new(|_| {}));
    on_signals();
    let parsed = match cli::parse_from(std::env::args_os()) {
        Ok(p) => p,
        Err(e) => return not_parsed(&e),
    };
    let kind = if parsed.global.format() == Format::Json {
        Kind::Json
    } else {
        Kind::Text
    };
    let mut out = Sink::new(kind);
    // `-o FILE`: the document goes to FILE instead of stdout (`report` writes its own bundle,
    // privately, and says where on stdout).
    let to_file =
        parsed.global.output.clone().filter(|p| {
            p.as_os_str() != "-" && !matches!(parsed.action, cli::Action::Report { .. })
        });
    // Belt and braces: a panic outside a check must not end as exit 101 either.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        commands::run(parsed, &mut out)
    }));
    // Interrupted while it ran (and not by a command that answers signals itself, as `fix`
    // does): the signal's thread ends what was started and then the doctor, by that signal;
    // finishing here instead would print a report of cut-short checks and exit as if not
    // interrupted.
    if crate::probes::command::interrupted().is_some()
        && !crate::probes::command::answers_interrupts()
    {
        loop {
            std::thread::park();
        }
    }
    ended(result, out, to_file)
}

/// Help or a version asked for (exit 0), or a command line that is wrong (2).
fn not_parsed(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind::*;
    match e.kind() {
        DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand => {
            let mut out = Sink::new(Kind::Text);
            let _ = std::io::Write::write_all(&mut out, e.render().to_string().as_bytes());
            out.finish(&mut std::io::stdout().lock());
            Exit::Ok.into()
        }
        _ => fail(&Error::CommandLine(one_line(&e.to_string()))).into(),
    }
}

/// The document written whole (to stdout, or `-o FILE`), and the exit code: the command's, or
/// its error's, or a panic's (an internal error, never 101).
fn ended(
    result: std::thread::Result<Result<Exit, Error>>,
    out: Sink,
    to_file: Option<std::path::PathBuf>,
) -> ExitCode {
    match result {
        Ok(Ok(code)) => match to_file {
            None => {
                out.finish(&mut std::io::stdout().lock());
                code.into()
            }
            Some(path) => match out.finish_into(&path) {
                Ok(()) => code.into(),
                // Refused on purpose (a link, not one's own file, a second file of one home's
                // metrics): the wrong target, 2; refused by the system (no space, no such
                // directory, no permission): the doctor could not do its job, 3.
                Err(e) if crate::probes::files::Refused::is(&e) => {
                    fail(&Error::Usage(format!("{}: {e}", path.display()))).into()
                }
                Err(e) => fail(&Error::Failed(format!("{}: {e}", path.display()))).into(),
            },
        },
        Ok(Err(e)) => {
            out.finish(&mut std::io::stdout().lock());
            fail(&e).into()
        }
        Err(p) => {
            let why = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            fail(&Error::Internal(why)).into()
        }
    }
}

/// SIGINT, SIGTERM and SIGHUP end every process the doctor started (their whole groups: TERM,
/// then KILL after a moment), then the doctor dies by the same signal (a shell reports 128 + it)
/// — after any document being written is whole (stdout holds a whole document or none). `fix`
/// answers the signal itself between its steps; if it has not within a few seconds, the doctor exits all the same.
#[cfg(unix)]
fn on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        let Some(sig) = signals.forever().next() else {
            return;
        };
        command::interrupt(sig);
        let ended = command::end_all(std::time::Duration::from_millis(1000));
        if command::answers_interrupts() {
            std::thread::sleep(std::time::Duration::from_secs(5));
        }
        let _writing = crate::output::WRITING
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let name = match sig {
            SIGHUP => "SIGHUP",
            SIGTERM => "SIGTERM",
            _ => "SIGINT",
        };
        let _ = std::io::Write::write_all(
            &mut std::io::stderr().lock(),
            format!(
                "agent-rooms-doctor: interrupted by {name}; ended {ended} process group(s) it had \
                    started\n"
            )
            .as_bytes(),
        );
        // Die by the same signal, as the platform's convention asks (a parent sees the signal;
        // a shell reports 128 + it); exit with that code if the default action does not end us.
        let _ = signal_hook::low_level::emulate_default_handler(sig);
        std::process::exit(Exit::of_signal(sig) as i32);
    });
}

/// Windows: Ctrl-C and Ctrl-Break reach every process of the console, the commands the doctor
/// started included (they share its console); the doctor ends with the console's default (exit
/// 0xC000013A).
#[cfg(not(unix))]
fn on_signals() {}

/// Print `e` on stderr, redacted, as one line; its exit code.
fn fail(e: &Error) -> Exit {
    let mut err = Sink::new(Kind::Text);
    let _ = std::io::Write::write_all(&mut err, format!("{e}\n").as_bytes());
    err.finish(&mut std::io::stderr().lock());
    e.exit()
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
    format!("{} (see --help)", parts.join(" "))
}
