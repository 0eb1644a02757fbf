//! `completions SHELL`: from the same clap definition as the help (and so from the registry).

use crate::cli;
use crate::error::{Error, Exit};
use crate::output::Sink;

pub fn run(shell: clap_complete::Shell, out: &mut Sink) -> Result<Exit, Error> {
    clap_complete::generate(shell, &mut cli::command(), "agent-rooms-doctor", out);
    Ok(Exit::Ok)
}
