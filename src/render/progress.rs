//! The live progress line for people: when a run is still going after ~300 ms, one line on stderr
//! naming the checks still running, rewritten as they finish and erased at the end. Only when the
//! caller says a person is watching (stderr is a terminal and the format is not JSON).

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::engine::Running;
use crate::model::outcome::Status;
use crate::model::report::Report;

const DELAY: Duration = Duration::from_millis(300);
const TICK: Duration = Duration::from_millis(100);

pub struct Progress(Option<(oneshot::Sender<()>, JoinHandle<()>)>);

/// Start the progress line (a no-op unless `wanted`).
pub fn spawn(running: Arc<Running>, wanted: bool) -> Progress {
    if !wanted {
        return Progress(None);
    }
    let (tx, mut rx) = oneshot::channel();
    let task = tokio::spawn(async move {
        if tokio::time::timeout(DELAY, &mut rx).await.is_ok() {
            return;
        }
        let mut shown = false;
        loop {
            let ids: Vec<&str> = running.now().iter().map(|i| i.as_str()).collect();
            if !ids.is_empty() {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[2K… checking: {}", ids.join(", "));
                let _ = err.flush();
                shown = true;
            }
            if tokio::time::timeout(TICK, &mut rx).await.is_ok() {
                break;
            }
        }
        if shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    });
    Progress(Some((tx, task)))
}

impl Progress {
    /// Stop and erase the line.
    pub async fn finish(self) {
        if let Some((tx, task)) = self.0 {
            let _ = tx.send(());
            let _ = task.await;
        }
    }
}

/// One line for `--wait` between runs: what still fails and how long the wait has left. It goes
/// to stderr whatever the format (stdout holds only the last run's document).
pub fn waiting(report: &Report, attempt: u32, left: std::time::Duration, width: Option<usize>) {
    let failing: Vec<String> = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| match c.findings.first() {
            Some(f) => format!("{} ({})", c.id, f.code),
            None => c.id.to_string(),
        })
        .collect();
    let text = format!(
        "run {attempt}: {} failing: {}; trying again ({:.0} s left)",
        failing.len(),
        failing.join(", "),
        left.as_secs_f64().ceil()
    );
    let mut line = String::new();
    super::format::prose(&mut line, "--wait: ", 8, &text, width);
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}
