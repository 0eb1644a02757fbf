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

/// Copies of `name` outside a PATH judged: on the doctor's PATH (`own_path`) and in the usual
/// install places for `home`, without `besides` (a copy that is the same file, through links).
pub fn elsewhere(
    name: &str,
    own_path: &str,
    home: Option<&Path>,
    besides: Option<&Path>,
) -> Vec<PathBuf> {
    let besides = besides.and_then(|b| std::fs::canonicalize(b).ok());
    let same = |c: &Path| besides.is_some() && std::fs::canonicalize(c).ok() == besides;
    let mut out: Vec<PathBuf> = vec![];
    for c in find_all_on(name, own_path)
        .into_iter()
        .chain(find_in_dirs(name, &usual_places(home)))
    {
        if !out.contains(&c) && !same(&c) {
            out.push(c);
        }
    }
    out
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

/// Why a file named like the program on a PATH will not run: the OS skips it when it looks the
/// program up (and fails when nothing after it runs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Unrunnable {
    /// A symbolic link whose target does not exist (an uninstall, a node version switch).
    DanglingLink { target: PathBuf },
    /// A regular file without an execute bit; its owner is who can add one. When the name on the
    /// PATH is a link, `file` is the file it leads to: the one whose mode counts.
    NotExecutable {
        #[serde(
            serialize_with = "crate::time_util::ser_mode",
            deserialize_with = "crate::time_util::de_mode"
        )]
        mode: u32,
        owner: crate::probes::users::UserInfo,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file: Option<PathBuf>,
    },
    /// A directory, or another file that is not a regular file.
    NotAFile,
}

/// One file named like the program on a PATH that will not run, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unrun {
    pub path: PathBuf,
    pub why: Unrunnable,
}

/// The files named `name` in the directories of `path`, in PATH order, that the OS would not run
/// (the ones `find_all_on` leaves out). Windows decides by the name's extension: none there.
#[cfg(unix)]
pub fn unrunnable_on(name: &str, path: &str) -> Vec<Unrun> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let mut out: Vec<Unrun> = vec![];
    for dir in path.split(':').filter(|d| !d.is_empty()) {
        let p = Path::new(dir).join(name);
        let Ok(link) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        let why = match std::fs::metadata(&p) {
            Err(_) if link.file_type().is_symlink() => Unrunnable::DanglingLink {
                target: std::fs::read_link(&p).unwrap_or_default(),
            },
            Err(_) => continue,
            Ok(m) if !m.is_file() => Unrunnable::NotAFile,
            Ok(m) if m.permissions().mode() & 0o111 == 0 => Unrunnable::NotExecutable {
                mode: m.permissions().mode() & 0o7777,
                owner: crate::probes::users::by_uid(m.uid()),
                file: link
                    .file_type()
                    .is_symlink()
                    .then(|| std::fs::canonicalize(&p).ok())
                    .flatten(),
            },
            Ok(_) => continue,
        };
        if !out.iter().any(|u| u.path == p) {
            out.push(Unrun { path: p, why });
        }
    }
    out
}

#[cfg(not(unix))]
pub fn unrunnable_on(_name: &str, _path: &str) -> Vec<Unrun> {
    vec![]
}

/// What an executable file holds, by its first bytes: a script, a program (and for which
/// machine), or neither (a placeholder an install script was meant to replace).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProgramKind {
    /// A `#!` script.
    Script,
    /// An ELF program for `machine` ("x86_64", "aarch64", …, or "machine N").
    Elf { machine: String },
    /// A macOS (Mach-O) program.
    MachO,
    /// A Windows (PE) program.
    Pe,
    /// Text without a `#!` line: no program at all.
    Text,
    /// Nothing in it.
    Empty,
    /// Bytes of no known program format.
    Other,
}

/// The kind of program in `file` (None when it cannot be read).
pub fn kind_of(file: &Path) -> Option<ProgramKind> {
    let mut head = [0u8; 64];
    let n = std::fs::File::open(file)
        .and_then(|mut f| f.read(&mut head))
        .ok()?;
    Some(kind_of_bytes(&head[..n]))
}

/// The kind of program whose file starts with `head`.
pub fn kind_of_bytes(head: &[u8]) -> ProgramKind {
    const MACHO: [[u8; 4]; 5] = [
        [0xfe, 0xed, 0xfa, 0xce],
        [0xfe, 0xed, 0xfa, 0xcf],
        [0xce, 0xfa, 0xed, 0xfe],
        [0xcf, 0xfa, 0xed, 0xfe],
        [0xca, 0xfe, 0xba, 0xbe],
    ];
    match head {
        [] => ProgramKind::Empty,
        [b'#', b'!', ..] => ProgramKind::Script,
        [0x7f, b'E', b'L', b'F', ..] => {
            let little = head.get(5) != Some(&2);
            let m = match (head.get(18), head.get(19)) {
                (Some(a), Some(b)) if little => u16::from_le_bytes([*a, *b]),
                (Some(a), Some(b)) => u16::from_be_bytes([*a, *b]),
                _ => 0,
            };
            let machine = match m {
                3 => "x86".to_string(),
                40 => "arm".into(),
                62 => "x86_64".into(),
                183 => "aarch64".into(),
                243 => "riscv".into(),
                n => format!("machine {n}"),
            };
            ProgramKind::Elf { machine }
        }
        [b'M', b'Z', ..] => ProgramKind::Pe,
        _ if head.len() >= 4 && MACHO.iter().any(|m| head[..4] == *m) => ProgramKind::MachO,
        _ if !head.contains(&0) && std::str::from_utf8(head).is_ok() => ProgramKind::Text,
        _ => ProgramKind::Other,
    }
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

    #[test]
    fn program_kinds_by_their_first_bytes() {
        let elf = |class_data: u8, m: [u8; 2]| {
            let mut h = vec![0x7f, b'E', b'L', b'F', 2, class_data];
            h.resize(18, 0);
            h.extend(m);
            h
        };
        let machine = |h: &[u8]| match kind_of_bytes(h) {
            ProgramKind::Elf { machine } => machine,
            other => panic!("{other:?}"),
        };
        assert_eq!(machine(&elf(1, [62, 0])), "x86_64");
        assert_eq!(machine(&elf(1, [183, 0])), "aarch64");
        assert_eq!(machine(&elf(2, [0, 183])), "aarch64");
        assert_eq!(machine(&elf(1, [0x34, 0x12])), "machine 4660");
        assert_eq!(kind_of_bytes(b"#!/bin/sh\n"), ProgramKind::Script);
        assert_eq!(kind_of_bytes(b"MZ\x90\x00"), ProgramKind::Pe);
        assert_eq!(
            kind_of_bytes(&[0xcf, 0xfa, 0xed, 0xfe, 7]),
            ProgramKind::MachO
        );
        // claude's placeholder before its install script runs: text, no `#!`.
        assert_eq!(
            kind_of_bytes(b"echo \"Error: claude native binary not installed.\" >&2\n"),
            ProgramKind::Text
        );
        assert_eq!(kind_of_bytes(b""), ProgramKind::Empty);
        assert_eq!(kind_of_bytes(&[0, 1, 2, 0xff]), ProgramKind::Other);
    }

    #[cfg(unix)]
    #[test]
    fn files_on_a_path_that_will_not_run_are_named_in_path_order() {
        let d = tempfile::tempdir().unwrap();
        let (a, b, c, e) = (
            d.path().join("a"),
            d.path().join("b"),
            d.path().join("c"),
            d.path().join("e"),
        );
        for dir in [&a, &b, &c, &e] {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::os::unix::fs::symlink(d.path().join("gone/codex.js"), a.join("codex")).unwrap();
        std::fs::write(b.join("codex"), "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(b.join("codex"), std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::create_dir_all(c.join("codex")).unwrap();
        std::fs::write(e.join("codex"), "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(e.join("codex"), std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = format!(
            "{}:{}:{}:{}:/nonexistent",
            a.display(),
            b.display(),
            c.display(),
            e.display()
        );
        let u = unrunnable_on("codex", &path);
        assert_eq!(u.len(), 3, "{u:?}");
        assert_eq!(
            u[0].why,
            Unrunnable::DanglingLink {
                target: d.path().join("gone/codex.js")
            }
        );
        assert!(
            matches!(&u[1].why, Unrunnable::NotExecutable { mode: 0o644, .. }),
            "{u:?}"
        );
        assert_eq!(u[2].why, Unrunnable::NotAFile);
        assert_eq!(u[1].path, b.join("codex"));
        // The executable one is what `find_all_on` finds, never among these.
        assert_eq!(find_all_on("codex", &path), vec![e.join("codex")]);
        // A link to a file without its execute bit leads to that file.
        let l = d.path().join("l");
        std::fs::create_dir_all(&l).unwrap();
        std::os::unix::fs::symlink(b.join("codex"), l.join("codex")).unwrap();
        let u2 = unrunnable_on("codex", &l.display().to_string());
        let real = b.join("codex").canonicalize().unwrap();
        assert!(
            matches!(&u2[0].why, Unrunnable::NotExecutable { file: Some(f), .. } if *f == real),
            "{u2:?}"
        );
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
