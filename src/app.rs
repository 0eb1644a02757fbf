//! The application: parse → run → exit code. The one place that prints an error, and the one
//! place that writes the documents (through the redacting sink).

use std::process::ExitCode;

use crate::cli;
use crate::commands;
use crate::error::{Error, Exit};
use crate::output::{Kind, Sink};
use crate::render::Format;

pub fn main() -> ExitCode {
    // A panic inside a check becomes that check's INTERNAL_ERROR; the default hook's stderr
    // message (which could quote a value) is not wanted.
    std::panic::set_hook(Box::new(|_| {}));
    let parsed = match cli::parse_from(std::env::args_os()) {
        Ok(p) => p,
        Err(e) => {
            use clap::error::ErrorKind::*;
            return match e.kind() {
                DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand => {
                    let mut out = Sink::new(Kind::Text);
                    let _ = std::io::Write::write_all(&mut out, e.render().to_string().as_bytes());
                    out.finish(&mut std::io::stdout().lock());
                    Exit::Ok.into()
                }
                _ => fail(&Error::CommandLine(one_line(&e.to_string()))).into(),
            };
        }
    };
    let kind = if parsed.global.format() == Format::Json {
        Kind::Json
    } else {
        Kind::Text
    };
    let mut out = Sink::new(kind);
    // Belt and braces: a panic outside a check must not end as exit 101 either.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        commands::run(parsed, &mut out)
    }));
    match result {
        Ok(Ok(code)) => {
            out.finish(&mut std::io::stdout().lock());
            code.into()
        }
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
