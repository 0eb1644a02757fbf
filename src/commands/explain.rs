//! `explain CODE`, `explain --all`, `explain -` (an error envelope on stdin).

use std::io::{IsTerminal, Read};

use crate::api::envelope;
use crate::cli::Global;
use crate::error::{Error, Exit};
use crate::model::catalogue;
use crate::output::Sink;
use crate::render::explain;

/// The most of stdin `explain -` reads.
const STDIN_CAP: u64 = 1024 * 1024;

pub fn run(g: &Global, code: Option<&str>, all: bool, out: &mut Sink) -> Result<Exit, Error> {
    let format = g.format();
    if all {
        out.put(&explain::all(format)?);
        return Ok(Exit::Ok);
    }
    let code = code.unwrap_or_default();
    if code == "-" {
        // Nothing waits for input: with nothing piped in, say how to use it.
        if std::io::stdin().is_terminal() {
            return Err(Error::Usage(
                "`explain -` reads an API error envelope from stdin, and nothing is piped in: echo \
                    '{\"error\":{\"code\":\"REVOKED\"}}' | agent-rooms-doctor explain -"
                    .into(),
            ));
        }
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(STDIN_CAP)
            .read_to_end(&mut buf)
            .map_err(|e| Error::Usage(format!("cannot read stdin: {e}")))?;
        let env = envelope::parse(&buf).map_err(|why| {
            Error::Usage(format!("stdin is not an agent-rooms error envelope: {why}"))
        })?;
        let entry = catalogue::lookup(&env.code);
        out.put(&explain::envelope_doc(&env, entry, format)?);
        return Ok(Exit::Ok);
    }
    match catalogue::lookup(code) {
        Some(e) => {
            out.put(&explain::code(e, format)?);
            Ok(Exit::Ok)
        }
        None => {
            let near = catalogue::closest(code);
            let hint = if near.is_empty() {
                "run `agent-rooms-doctor explain --all` for the list".to_string()
            } else {
                format!("did you mean {}?", near.join(", "))
            };
            Err(Error::Usage(format!("unknown code '{code}': {hint}")))
        }
    }
}
