//! `replay BUNDLE`: judge a support bundle's recorded facts again with this version's rules,
//! and say where today's verdict differs from the one recorded. Nothing is probed.

use std::io::{IsTerminal, Read};
use std::path::Path;

use super::check::{terminal_width, use_color};
use crate::cli::Global;
use crate::error::{Error, Exit};
use crate::output::Sink;
use crate::render::{self, Style};
use crate::replay::{self, Recorded};

/// The most of a bundle read (a whole bundle is tens of kilobytes).
const BUNDLE_CAP: u64 = 16 * 1024 * 1024;

pub fn run(g: &Global, bundle: &Path, out: &mut Sink) -> Result<Exit, Error> {
    let recorded = read_bundle(bundle)?;
    let mut r = replay::replay(&recorded, g.strict || recorded.strict);
    // Accepted as of the bundle's own day, as its other rules are judged at its clock.
    let day = crate::time_util::parse_rfc3339(&recorded.from.generated_at)
        .unwrap_or_else(crate::time_util::now);
    r.report.accept(&g.allow, &crate::time_util::day(day));
    let style = Style {
        color: use_color(g.color),
        verbose: g.verbose,
        width: terminal_width(),
    };
    out.put(&render::replay::replayed(&r, g.format(), style));
    Ok(if r.report.ok { Exit::Ok } else { Exit::Failed })
}

/// Read the bundle at `path` (`-`: stdin), JSON or markdown.
pub(super) fn read_bundle(path: &Path) -> Result<Recorded, Error> {
    let mut buf = Vec::new();
    let name = if path == Path::new("-") {
        if std::io::stdin().is_terminal() {
            return Err(Error::Usage(
                "`-` reads a report from stdin, and nothing is piped in: agent-rooms-doctor replay \
                    report.json, or … | agent-rooms-doctor replay -".into(),
            ));
        }
        std::io::stdin()
            .lock()
            .take(BUNDLE_CAP)
            .read_to_end(&mut buf)
            .map_err(|e| Error::Usage(format!("cannot read stdin: {e}")))?;
        "stdin".to_string()
    } else {
        std::fs::File::open(path)
            .and_then(|f| f.take(BUNDLE_CAP).read_to_end(&mut buf))
            .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
        path.display().to_string()
    };
    let text = String::from_utf8_lossy(&buf);
    replay::read(&name, &text).map_err(|e| Error::Usage(e.to_string()))
}
