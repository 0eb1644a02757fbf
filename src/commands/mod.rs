//! The commands, one file each: they run what was asked, hand the result to a renderer, and
//! write the document into the output sink. None prints by itself; `app` prints errors.

mod check;
mod completions;
mod diff;
mod explain;
mod fix;
mod list;
mod replay;
mod report;

use crate::cli::{Action, Parsed};
use crate::error::{Error, Exit};
use crate::output::Sink;

/// Run a parsed command line, writing its document into `out`.
pub fn run(p: Parsed, out: &mut Sink) -> Result<Exit, Error> {
    let g = p.global;
    match p.action {
        Action::Check(ids) => check::run(&g, &ids, out),
        Action::List => list::run(&g, out),
        Action::Explain { code, all } => explain::run(&g, code.as_deref(), all, out),
        Action::Report { force } => report::run(&g, force, out),
        Action::Completions(shell) => completions::run(shell, out),
        Action::Version => {
            out.put(&crate::model::build::Build::here().verbose());
            Ok(Exit::Ok)
        }
        Action::Fix { dry_run, yes } => fix::run(&g, dry_run, yes, out),
        Action::Replay { bundle } => replay::run(&g, &bundle, out),
        Action::Diff { a, b } => diff::run(&g, &a, &b, out),
    }
}
