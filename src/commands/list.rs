//! `list`: the registered checks.

use crate::checks::REGISTRY;
use crate::cli::Global;
use crate::error::{Error, Exit};
use crate::output::Sink;
use crate::render;

pub fn run(g: &Global, out: &mut Sink) -> Result<Exit, Error> {
    out.put(&render::list::render(REGISTRY, g.format())?);
    Ok(Exit::Ok)
}
