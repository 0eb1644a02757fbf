//! `check [ID…]` (and the shorthand subcommands, and no command at all): run the checks under
//! the `--timeout` bound and render the report.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use crate::checks;
use crate::cli::{ColorChoice, Global};
use crate::ctx::Ctx;
use crate::engine;
use crate::error::{Error, Exit};
use crate::model::cause;
use crate::model::report::Report;
use crate::model::CheckId;
use crate::output::Sink;
use crate::render::{self, Format, Style};
use crate::timeline;

pub fn run(g: &Global, ids: &[CheckId], out: &mut Sink) -> Result<Exit, Error> {
    let ids = if ids.is_empty() {
        checks::all_ids()
    } else {
        ids.to_vec()
    };
    let report = match g.wait {
        None => run_checks(g, &ids),
        Some(secs) => run_until_green(g, &ids, Duration::from_secs_f64(secs)),
    };
    let style = Style {
        color: use_color(g.color),
        verbose: g.verbose,
        width: terminal_width(),
    };
    out.put(&render::render(&report, g.format(), style));
    Ok(if report.ok { Exit::Ok } else { Exit::Failed })
}

/// `--wait SECS`: run the checks again, a second apart, until none fails or the wait is over;
/// the last run stands. Each run is a fresh look (a listener that started meanwhile is seen).
fn run_until_green(g: &Global, ids: &[CheckId], wait: Duration) -> Report {
    let start = std::time::Instant::now();
    let mut attempt = 1;
    loop {
        let report = run_checks(g, ids);
        let left = wait.saturating_sub(start.elapsed());
        if report.summary.fail == 0 || left.is_zero() {
            return report;
        }
        render::progress::waiting(&report, attempt, left, stderr_width());
        std::thread::sleep(left.min(Duration::from_secs(1)));
        attempt += 1;
    }
}

/// The selected checks in report order, without repeats.
fn ordered(selected: &[CheckId]) -> Vec<CheckId> {
    checks::all_ids()
        .into_iter()
        .filter(|i| selected.contains(i))
        .collect()
}

/// Run `work` on a fresh runtime with the run's context, bounded by `--timeout`. A probe stuck
/// in a blocking call (a hung file system, say) does not hold the exit: the runtime is shut down
/// in the background.
pub(super) fn in_runtime<T, F>(g: &Global, work: impl FnOnce(Arc<Ctx>) -> F) -> Result<T, String>
where
    F: std::future::Future<Output = T>,
{
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the async runtime: {e}"))?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs_f64(g.timeout);
    let out = rt.block_on(async {
        let ctx = Arc::new(Ctx::new(g.options(), deadline));
        work(ctx).await
    });
    rt.shutdown_background();
    Ok(out)
}

/// Run the selected checks under the run's bound, with live progress for a person watching.
pub(super) async fn checks_in(g: &Global, ids: &[CheckId], ctx: Arc<Ctx>) -> Report {
    let start = tokio::time::Instant::now();
    let deadline = ctx.deadline;
    let live = Arc::new(engine::Running::default());
    let progress = render::progress::spawn(live.clone(), progress_wanted(g));
    let mut outcomes =
        engine::run(checks::REGISTRY, ids, &g.skip, ctx.clone(), deadline, &live).await;
    cause::home_not_found(&mut outcomes);
    progress.finish().await;
    let mut report = Report::new(outcomes, start.elapsed(), g.strict);
    report.accept(&g.allow, &crate::time_util::day(crate::time_util::now()));
    report.ended = Some(std::time::SystemTime::now());
    // The metrics name the home judged (the checks have worked it out already; bounded all the
    // same, as a hung file system must not hold the exit).
    if g.format() == Format::Prometheus {
        let until = deadline.max(tokio::time::Instant::now());
        if let Ok(install) = tokio::time::timeout_at(until, ctx.install()).await {
            report.home = install.home.path.clone();
        }
    }
    // What changed, when there is something to explain (a few stats; bounded like the checks).
    if report.summary.fail + report.summary.warn > 0 {
        let until = deadline.max(tokio::time::Instant::now()) + Duration::from_millis(500);
        if let Ok(events) = tokio::time::timeout_at(until, timeline::gather(&ctx, &report)).await {
            report.timeline = events;
        }
    }
    report
}

/// Progress goes to stderr for people only: a terminal that takes escape sequences (not
/// `TERM=dumb`, not `NO_COLOR`), and not JSON.
fn progress_wanted(g: &Global) -> bool {
    g.format() != Format::Json && std::io::stderr().is_terminal() && escapes_allowed()
}

/// May escape sequences (colour, cursor control) be written? Not on `TERM=dumb`, not with
/// `NO_COLOR` set (CONTRACT §3).
pub(super) fn escapes_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// A report of `ids` that all failed with `msg` (when the doctor cannot even start its runtime).
fn all_failed(g: &Global, ids: &[CheckId], msg: &str) -> Report {
    let outcomes = ids
        .iter()
        .map(|id| {
            let title = checks::by_id(*id).map_or("", |d| d.title);
            engine::outcome(
                *id,
                title,
                engine::internal(msg.to_string()),
                Duration::ZERO,
                crate::model::outcome::Facts::none(),
            )
        })
        .collect();
    Report::new(outcomes, Duration::ZERO, g.strict)
}

/// Run the selected checks (in report order, deduplicated) under the `--timeout` bound.
pub fn run_checks(g: &Global, selected: &[CheckId]) -> Report {
    let ids = ordered(selected);
    in_runtime(g, |ctx| async { checks_in(g, &ids, ctx).await })
        .unwrap_or_else(|e| all_failed(g, &ids, &e))
}

/// The width to wrap prose to: stdout's terminal's, and nothing off a terminal.
pub(super) fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| w.0 as usize)
}

/// The width to wrap stderr's prose to (a plan, `--wait`'s progress): its terminal's, if any.
pub(super) fn stderr_width() -> Option<usize> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    terminal_size::terminal_size_of(std::io::stderr()).map(|(w, _)| w.0 as usize)
}

/// Colour on stdout: `--color always|never` decides; with `auto`, the decision clap's own help
/// makes (anstream: NO_COLOR, then CLICOLOR_FORCE, CLICOLOR=0, TERM=dumb, a terminal), with
/// node's FORCE_COLOR (set, not "0") counted as CLICOLOR_FORCE.
pub(super) fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => auto_color(
            |k| std::env::var_os(k),
            anstream::AutoStream::choice(&std::io::stdout()),
        ),
    }
}

/// `--color auto` from the environment and anstream's choice for the stream.
fn auto_color(
    var: impl Fn(&str) -> Option<std::ffi::OsString>,
    stream: anstream::ColorChoice,
) -> bool {
    let set = |k| var(k).is_some_and(|v| !v.is_empty());
    if set("NO_COLOR") {
        return false;
    }
    if var("FORCE_COLOR").is_some_and(|v| !v.is_empty() && v != "0") {
        return true;
    }
    stream != anstream::ColorChoice::Never
}

#[cfg(test)]
mod tests {
    use super::auto_color;
    use anstream::ColorChoice::{Always, Never};

    fn env<'a>(pairs: &'a [(&str, &str)]) -> impl Fn(&str) -> Option<std::ffi::OsString> + 'a {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.into())
    }

    #[test]
    fn no_color_wins_force_color_forces_and_anstream_decides_the_rest() {
        assert!(!auto_color(
            env(&[("NO_COLOR", "1"), ("FORCE_COLOR", "1")]),
            Always
        ));
        assert!(auto_color(
            env(&[("NO_COLOR", ""), ("FORCE_COLOR", "1")]),
            Never
        ));
        assert!(!auto_color(env(&[("FORCE_COLOR", "0")]), Never));
        assert!(!auto_color(env(&[("FORCE_COLOR", "")]), Never));
        assert!(auto_color(env(&[]), Always));
        assert!(!auto_color(env(&[]), Never));
    }
}
