//! `diff A B`: what differs between two support bundles along the wake chain, then the checks
//! whose verdict differs. Exit 0 when nothing differs, 1 when something does.

use std::path::Path;

use super::replay::read_bundle;
use crate::cli::Global;
use crate::error::{Error, Exit};
use crate::output::Sink;
use crate::render;
use crate::replay::diff;

pub fn run(g: &Global, a: &Path, b: &Path, out: &mut Sink) -> Result<Exit, Error> {
    let format = render::supports("a diff", g.format(), DIFF_FORMATS)?;
    let (ra, rb) = (read_bundle(a)?, read_bundle(b)?);
    let c = diff::diff(&ra, &rb);
    out.put(&render::replay::compared(
        &c,
        format,
        super::check::terminal_width(),
    ));
    Ok(if c.same() { Exit::Ok } else { Exit::Failed })
}

use render::replay::DIFF_FORMATS;
