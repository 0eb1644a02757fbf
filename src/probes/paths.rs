//! PATH lookup: where a binary is on a given PATH string (the doctor's or a listener's), its
//! shadowed copies, the usual install places, and the interpreter its `#!` line needs.

use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The first `name` on `path`.
pub fn find_on(name: &str, path: &str) -> Option<PathBuf> {
    which::which_in(name, Some(path), "/").ok()
}

/// Every `name` on `path`, first (the one that runs) first.
pub fn find_all_on(name: &str, path: &str) -> Vec<PathBuf> {
    which::which_in_all(name, Some(path), "/")
        .map(|i| i.collect())
        .unwrap_or_default()
}

/// Directories where host CLIs are commonly installed, for `home`.
pub fn usual_places(home: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = [
        "/usr/local/bin",
        "/usr/bin",
        "/opt/homebrew/bin",
        "/usr/local/lib/node_modules/.bin",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    if let Some(h) = home {
        for rel in [
            ".local/bin",
            ".npm-global/bin",
            ".bun/bin",
            ".volta/bin",
            "bin",
        ] {
            dirs.push(h.join(rel));
        }
        if let Ok(rd) = std::fs::read_dir(h.join(".nvm/versions/node")) {
            let mut v: Vec<PathBuf> = rd.flatten().map(|e| e.path().join("bin")).collect();
            v.sort();
            dirs.extend(v);
        }
    }
    dirs
}

/// `name` in any of `dirs` (executable files only).
pub fn find_in_dirs(name: &str, dirs: &[PathBuf]) -> Vec<PathBuf> {
    dirs.iter()
        .map(|d| d.join(name))
        .filter(|p| is_executable(p))
        .collect()
}

/// An executable file: one with an execute bit (Unix), any file (Windows, where the name's
/// extension decides, as `which` already checks on PATH).
pub fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    let runs = |m: &std::fs::Metadata| {
        use std::os::unix::fs::PermissionsExt;
        m.permissions().mode() & 0o111 != 0
    };
    #[cfg(not(unix))]
    let runs = |_: &std::fs::Metadata| true;
    std::fs::metadata(p)
        .map(|m| m.is_file() && runs(&m))
        .unwrap_or(false)
}

/// What a script's `#!` line asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shebang {
    /// No `#!` line: a native binary (or unreadable).
    None,
    /// `#!/usr/bin/env node` (with `-S` and options skipped): a name looked up on PATH.
    Env { name: String },
    /// `#!/abs/interpreter`.
    Path { path: PathBuf },
}

/// Parse the first line of a file.
pub fn parse_shebang(head: &[u8]) -> Shebang {
    let Some(rest) = head.strip_prefix(b"#!") else {
        return Shebang::None;
    };
    let line = rest.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let line = String::from_utf8_lossy(line);
    let mut words = line.split_whitespace();
    let Some(interp) = words.next() else {
        return Shebang::None;
    };
    if interp.rsplit('/').next() == Some("env") {
        // `env -S node --flag`, `env NODE_OPTIONS=x node`
        if let Some(name) = words.find(|w| !w.starts_with('-') && !w.contains('=')) {
            return Shebang::Env {
                name: name.to_string(),
            };
        }
        return Shebang::None;
    }
    Shebang::Path {
        path: PathBuf::from(interp),
    }
}

/// Read the `#!` line of `file` (at most 256 bytes).
pub fn shebang_of(file: &Path) -> Shebang {
    let mut head = [0u8; 256];
    let n = std::fs::File::open(file)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    parse_shebang(&head[..n])
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn shebangs() {
        assert_eq!(
            parse_shebang(b"#!/usr/bin/env node\nconsole.log(1)"),
            Shebang::Env {
                name: "node".into()
            }
        );
        assert_eq!(
            parse_shebang(b"#!/usr/bin/env -S node --no-warnings\n"),
            Shebang::Env {
                name: "node".into()
            }
        );
        assert_eq!(
            parse_shebang(b"#! /bin/sh -e\n"),
            Shebang::Path {
                path: "/bin/sh".into()
            }
        );
        assert_eq!(parse_shebang(b"\x7fELF\x02\x01"), Shebang::None);
        assert_eq!(parse_shebang(b"#!"), Shebang::None);
        assert_eq!(parse_shebang(b"#!/usr/bin/env\n"), Shebang::None);
    }

    // Execute bits and `:`-separated PATHs: Unix.
    #[cfg(unix)]
    #[test]
    fn finds_on_a_given_path_string() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a"), d.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        for dir in [&a, &b] {
            let f = dir.join("codex");
            std::fs::write(&f, "#!/bin/sh\n").unwrap();
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let path = format!("{}:{}", a.display(), b.display());
        assert_eq!(find_on("codex", &path), Some(a.join("codex")));
        assert_eq!(find_all_on("codex", &path).len(), 2);
        assert_eq!(find_on("codex", "/nonexistent"), None);
        assert_eq!(
            find_in_dirs("codex", std::slice::from_ref(&b)),
            vec![b.join("codex")]
        );
    }
}
