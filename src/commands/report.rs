//! `report`: run every check, gather the support bundle with the same context, and print it or
//! write it to a private file.

use std::io::Write;
use std::path::Path;

use super::check::{checks_in, in_runtime};
use super::put;
use crate::bundle;
use crate::checks;
use crate::cli::Global;
use crate::error::{Error, Exit};
use crate::output::{Kind, Sink};
use crate::render;

pub fn run(g: &Global, output: Option<&Path>, force: bool, out: &mut Sink) -> Result<Exit, Error> {
    // Refuse a format the bundle is not written in before doing the work.
    render::supports("the report", g.format(), render::bundle::FORMATS)?;
    let ids = checks::all_ids();
    let b = in_runtime(g, |ctx| async move {
        let report = checks_in(g, &ids, ctx.clone()).await;
        bundle::gather(&ctx, report).await
    })
    .map_err(Error::Failed)?;
    let code = if b.checks.ok { Exit::Ok } else { Exit::Failed };
    let text = render::bundle::render(&b, g.format())?;
    // `-o -` is stdout, as for most tools.
    let Some(path) = output.filter(|p| *p != Path::new("-")) else {
        put(out, &text);
        return Ok(code);
    };
    // The file gets the same redaction as stdout would.
    let kind = if g.format() == render::Format::Json {
        Kind::Json
    } else {
        Kind::Text
    };
    let mut file_text = Sink::new(kind);
    put(&mut file_text, &text);
    write_private(path, file_text.redacted().as_bytes(), force)
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    put(
        out,
        &format!("report {} written to {}\n", b.report_id, path.display()),
    );
    Ok(code)
}

/// Write `bytes` to a new file readable by its owner only; an existing file only with `force`.
fn write_private(path: &Path, bytes: &[u8], force: bool) -> std::io::Result<()> {
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
