//! The Prometheus side of the tests: the real `promtool` (Debian's `prometheus` package) judges
//! the exposition text, the real node_exporter (`prometheus-node-exporter`) serves a textfile
//! directory on a loopback port, and a small reader of the text format turns a scrape into series.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{free_port, prerequisite};

/// One series: its name, labels and value as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub value: String,
}

/// The series in an exposition text (comments skipped), label values unescaped.
pub fn parse(text: &str) -> Vec<Series> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (name, rest) = match l.find('{') {
                Some(i) => (&l[..i], &l[i + 1..]),
                None => {
                    let (n, v) = l.split_once(' ').expect("name value");
                    return Series {
                        name: n.into(),
                        labels: BTreeMap::new(),
                        value: v.trim().into(),
                    };
                }
            };
            let mut labels = BTreeMap::new();
            let mut chars = rest.chars().peekable();
            loop {
                let key: String = chars.by_ref().take_while(|c| *c != '=').collect();
                assert_eq!(chars.next(), Some('"'), "a quoted label value in {l}");
                let mut value = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => match chars.next() {
                            Some('n') => value.push('\n'),
                            Some(c) => value.push(c),
                            None => panic!("a cut escape in {l}"),
                        },
                        '"' => break,
                        c => value.push(c),
                    }
                }
                labels.insert(key.trim_start_matches(',').to_string(), value);
                match chars.next() {
                    Some(',') if chars.peek() == Some(&'}') => {
                        chars.next();
                        break;
                    }
                    Some(',') => continue,
                    Some('}') => break,
                    other => panic!("{other:?} after a label in {l}"),
                }
            }
            let value: String = chars.collect();
            Series {
                name: name.into(),
                labels,
                value: value.trim().into(),
            }
        })
        .collect()
}

/// The value of the one series named `name` whose labels include `want`.
pub fn value(series: &[Series], name: &str, want: &[(&str, &str)]) -> Option<String> {
    let found: Vec<&Series> = series
        .iter()
        .filter(|s| {
            s.name == name
                && want
                    .iter()
                    .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .collect();
    assert!(
        found.len() <= 1,
        "{name} {want:?} is {} series",
        found.len()
    );
    found.first().map(|s| s.value.clone())
}

/// The real promtool; None (with the reason) where it is missing outside CI.
pub fn promtool() -> Option<PathBuf> {
    prerequisite("promtool (Debian package prometheus)", which("promtool"))
}

/// `promtool check metrics` over `text`: Ok, or what it said.
pub fn check_metrics(promtool: &Path, text: &str) -> Result<(), String> {
    let mut child = std::process::Command::new(promtool)
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("promtool runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // promtool exits 0 with lint findings printed; either is a rejection here.
    if out.status.success() && said.trim().is_empty() {
        Ok(())
    } else {
        Err(said)
    }
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|f| f.is_file())
    })
}

/// The real node_exporter with only its textfile collector, serving `dir` on a loopback port;
/// ended on drop.
pub struct NodeExporter {
    child: std::process::Child,
    pub port: u16,
    /// What node_exporter logged (its errors: "collected before with the same name…").
    log: tempfile::NamedTempFile,
}

impl NodeExporter {
    pub fn start(dir: &Path) -> Option<NodeExporter> {
        let bin = prerequisite(
            "node_exporter (Debian package prometheus-node-exporter)",
            which("prometheus-node-exporter").or_else(|| which("node_exporter")),
        )?;
        let port = free_port();
        let log = tempfile::NamedTempFile::new().unwrap();
        let child = std::process::Command::new(bin)
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--collector.disable-defaults")
            .arg("--collector.textfile")
            .arg(format!("--collector.textfile.directory={}", dir.display()))
            .stdout(std::process::Stdio::null())
            .stderr(log.reopen().unwrap())
            .spawn()
            .expect("node_exporter starts");
        let n = NodeExporter { child, port, log };
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "node_exporter did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(n)
    }

    /// The error lines node_exporter logged so far (a scrape that met two files with the same
    /// series logs one per series).
    pub fn errors(&self) -> Vec<String> {
        std::fs::read_to_string(self.log.path())
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("level=error") || l.contains("level=ERROR"))
            .map(str::to_string)
            .collect()
    }

    /// GET /metrics: the exposition text node_exporter serves.
    pub fn scrape(&self) -> String {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/plain\r\n\r\n"
        )
        .unwrap();
        let mut raw = String::new();
        s.read_to_string(&mut raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP answer");
        assert!(
            head.starts_with("HTTP/1.0 200") || head.starts_with("HTTP/1.1 200"),
            "{head}"
        );
        body.to_string()
    }
}

impl Drop for NodeExporter {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
