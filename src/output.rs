//! The output sink: everything the doctor writes to stdout or stderr goes through one of these.
//! It gathers the whole document, redacts it as a whole (so a secret split across two writes is
//! still caught), and writes it; a closed pipe (`| head`) means the reader is done, not an error.

use std::io::Write;

use crate::redact;

/// What kind of text a sink holds: JSON is redacted value by value (so it stays valid JSON),
/// anything else as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Json,
}

/// Held while a document is written out, so an interrupt never cuts one (`app` takes it before
/// it exits on a signal).
pub static WRITING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A document being written, held until `finish`.
#[derive(Debug)]
pub struct Sink {
    buf: Vec<u8>,
    kind: Kind,
}

impl Sink {
    pub fn new(kind: Kind) -> Self {
        Sink { buf: vec![], kind }
    }

    /// Write `text` into the document (which cannot fail: it is memory).
    pub fn put(&mut self, text: &str) {
        self.buf.extend_from_slice(text.as_bytes());
    }

    /// The whole document, redacted.
    pub fn redacted(&self) -> String {
        let text = String::from_utf8_lossy(&self.buf);
        if self.kind == Kind::Json {
            if let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&text) {
                redact::redact_json(&mut v);
                let end = if text.ends_with('\n') { "\n" } else { "" };
                return crate::sanitize::pretty_json(&v) + end;
            }
        }
        redact::redact_text(&text)
    }

    /// Write the redacted document to `to`. A closed pipe ends it quietly.
    pub fn finish(self, to: &mut dyn Write) {
        let text = self.redacted();
        // Whole or not at all: a signal waits for this write before the doctor exits.
        let _writing = WRITING.lock().unwrap_or_else(|e| e.into_inner());
        match to.write_all(text.as_bytes()).and_then(|()| to.flush()) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            // Nowhere left to say it: the exit code still tells.
            Err(_) => {}
        }
    }
}

impl Sink {
    /// Write the redacted document to the file at `path`, atomically (`files::write_atomic`:
    /// a collector never reads half of it), replacing a regular file of the doctor's own user
    /// as a timer rewriting it each run needs; the file gets the usual mode (0666 less the umask).
    pub fn finish_into(self, path: &std::path::Path) -> std::io::Result<()> {
        let text = self.redacted();
        if let Some(other) = same_home_beside(path, &text) {
            return Err(crate::probes::files::Refused::io(
                std::io::ErrorKind::AlreadyExists,
                format!(
                "not written: {} already holds the metrics of the same home, and node_exporter \
                    refuses two files with the same series (\"collected before with the same name \
                    and label values\"); remove that file, or give one of the two runs its own --home",
                other.display()
            ),
            ));
        }
        let how = crate::probes::files::Replace {
            private: false,
            existing: true,
            refusal: "",
        };
        crate::probes::files::write_atomic(path, text.as_bytes(), how)
    }
}

/// The series line that names a metrics file's home (`agent_rooms_doctor_ok{home="…"}`).
fn home_series(text: &str) -> Option<&str> {
    text.lines()
        .find(|l| l.starts_with("agent_rooms_doctor_ok{"))
        .and_then(|l| l.rsplit_once('}'))
        .map(|(series, _)| series)
}

/// Another `.prom` file beside `path` (a textfile directory) whose series judge the same home as
/// `text`: node_exporter would refuse both (CONTRACT §2: two files never carry one series).
fn same_home_beside(path: &std::path::Path, text: &str) -> Option<std::path::PathBuf> {
    let mine = home_series(text)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "prom"))
        .filter(|p| p.file_name() != path.file_name())
        .find(|p| match crate::probes::files::read_capped(p, 1 << 20) {
            crate::probes::files::FileRead::Read { bytes, .. } => {
                home_series(&String::from_utf8_lossy(&bytes)) == Some(mine)
            }
            _ => false,
        })
}

impl Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_split_across_writes_is_still_masked() {
        let mut s = Sink::new(Kind::Text);
        write!(s, "agent-rooms watch --token ar_live_0123").unwrap();
        writeln!(s, "456789abcdef").unwrap();
        let out = s.redacted();
        assert!(!out.contains("0123456789abcdef"), "{out}");
        assert!(out.contains("ar_l…(24 chars, #39639f)"), "{out}");
    }

    #[test]
    fn json_stays_json_and_is_redacted_by_value() {
        let mut s = Sink::new(Kind::Json);
        s.write_all(b"{\"argv\": \"x --token \", \"k\": \"OPENAI_API_KEY=s3cr3tvalue99\"}\n")
            .unwrap();
        let out = s.redacted();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["argv"], "x --token ");
        assert!(!out.contains("s3cr3tvalue99"), "{out}");
    }

    #[test]
    fn a_second_file_of_the_same_home_is_not_written_beside_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let series = |home: &str| {
            format!(
                "# TYPE agent_rooms_doctor_ok gauge\nagent_rooms_doctor_ok{{home=\"{home}\"}} 1\n"
            )
        };
        let write = |name: &str, home: &str| {
            let mut s = Sink::new(Kind::Text);
            s.write_all(series(home).as_bytes()).unwrap();
            s.finish_into(&dir.path().join(name))
        };
        write("root.prom", "/root/.config/agent-rooms").unwrap();
        // Another home: written. Rewriting a file of its own home: written.
        write("alice.prom", "/home/alice/.config/agent-rooms").unwrap();
        write("alice.prom", "/home/alice/.config/agent-rooms").unwrap();
        // A third file judging root's home again: refused, naming the file it would collide with.
        let e = write("bob.prom", "/root/.config/agent-rooms").unwrap_err();
        assert!(
            e.to_string()
                .contains("root.prom already holds the metrics of the same home"),
            "{e}"
        );
        assert!(!dir.path().join("bob.prom").exists());
        // A file that is not a .prom, or not metrics: no matter.
        std::fs::write(dir.path().join("notes.txt"), series("/srv/x")).unwrap();
        write("x.prom", "/srv/x").unwrap();
    }

    #[test]
    fn a_closed_pipe_is_not_an_error() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut s = Sink::new(Kind::Text);
        s.write_all(b"hello\n").unwrap();
        s.finish(&mut Closed);
    }
}
