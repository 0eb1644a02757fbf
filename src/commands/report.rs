//! `report`: run every check, gather the support bundle with the same context, and print it or
//! write it to a private file.

use std::path::Path;

use super::check::{checks_in, in_runtime};
use crate::bundle;
use crate::checks;
use crate::cli::Global;
use crate::error::{Error, Exit};
use crate::output::{Kind, Sink};
use crate::render;

pub fn run(g: &Global, force: bool, out: &mut Sink) -> Result<Exit, Error> {
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
    let Some(path) = g.output.as_deref().filter(|p| *p != Path::new("-")) else {
        out.put(&text);
        return Ok(code);
    };
    // The file gets the same redaction as stdout would.
    let kind = if g.format() == render::Format::Json {
        Kind::Json
    } else {
        Kind::Text
    };
    let mut file_text = Sink::new(kind);
    file_text.put(&text);
    let how = crate::probes::files::Replace {
        private: true,
        existing: force,
        refusal: "exists; pass --force to replace it",
    };
    crate::probes::files::write_atomic(path, file_text.redacted().as_bytes(), how).map_err(
        |e| {
            let why = format!("{}: {e}", path.display());
            // The wrong target (a link, an existing file without --force): 2; the system's
            // refusal: the report could not be written, 3.
            if crate::probes::files::Refused::is(&e) {
                Error::Usage(why)
            } else {
                Error::Failed(why)
            }
        },
    )?;
    out.put(&format!(
        "report {} written to {}\n",
        b.report_id,
        path.display()
    ));
    Ok(code)
}
