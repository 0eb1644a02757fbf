//! Files: read a small file without following it into trouble (FIFOs, devices, huge files,
//! directories), and report its owner, mode and size.

use serde::Serialize;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::Path;

/// The largest agent-rooms file the doctor reads.
pub const CAP: u64 = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileMeta {
    pub size: u64,
    /// Permission bits, e.g. 0o600.
    pub mode: u32,
    pub uid: u32,
    /// Seconds since the epoch.
    pub modified: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRead {
    Missing,
    /// Exists but is not a regular file: "a directory", "a FIFO", …
    NotAFile(&'static str),
    TooLarge(u64),
    Unreadable(String),
    Read {
        bytes: Vec<u8>,
        meta: FileMeta,
    },
}

pub fn meta_of(m: &std::fs::Metadata) -> FileMeta {
    FileMeta {
        size: m.len(),
        mode: m.mode() & 0o7777,
        uid: m.uid(),
        modified: m.mtime(),
    }
}

/// A stand-in for a hung file system (an NFS home whose server is gone), for the tests that
/// prove no file probe can hold a run past `--timeout`: in debug builds only, a path under
/// `AGENT_ROOMS_DOCTOR_TEST_STALL_UNDER` blocks its reader, as such a mount does. Release builds
/// have no such hook.
fn stall_if_asked(path: &Path) {
    #[cfg(debug_assertions)]
    if let Some(dir) = std::env::var_os("AGENT_ROOMS_DOCTOR_TEST_STALL_UNDER") {
        if !dir.is_empty() && path.starts_with(&dir) {
            loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            }
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = path;
}

/// Read `path` (following symlinks) if it is a regular file of at most `cap` bytes.
pub fn read_capped(path: &Path, cap: u64) -> FileRead {
    stall_if_asked(path);
    let m = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A dangling symlink is "missing" too, but say so when it is a link loop.
            return match std::fs::symlink_metadata(path) {
                Ok(_) => FileRead::Unreadable(format!("{e}")),
                Err(_) => FileRead::Missing,
            };
        }
        Err(e) => return FileRead::Unreadable(e.to_string()),
    };
    let ft = m.file_type();
    if ft.is_dir() {
        return FileRead::NotAFile("a directory");
    }
    if ft.is_fifo() {
        return FileRead::NotAFile("a FIFO");
    }
    if ft.is_socket() {
        return FileRead::NotAFile("a socket");
    }
    if ft.is_block_device() || ft.is_char_device() {
        return FileRead::NotAFile("a device");
    }
    if m.len() > cap {
        return FileRead::TooLarge(m.len());
    }
    // O_NONBLOCK: if the file was swapped for a FIFO since, opening it must not wait for a writer.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NONBLOCK)
        .open(path);
    let mut f = match file {
        Ok(f) => f,
        Err(e) => return FileRead::Unreadable(e.to_string()),
    };
    let mut bytes = Vec::new();
    if let Err(e) = (&mut f).take(cap + 1).read_to_end(&mut bytes) {
        return FileRead::Unreadable(e.to_string());
    }
    if bytes.len() as u64 > cap {
        return FileRead::TooLarge(bytes.len() as u64);
    }
    FileRead::Read {
        bytes,
        meta: meta_of(&m),
    }
}

/// Metadata of `path` if it exists.
pub fn stat(path: &Path) -> Option<FileMeta> {
    stall_if_asked(path);
    std::fs::metadata(path).ok().map(|m| meta_of(&m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_files_are_named_not_read() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(read_capped(&d.path().join("nope"), CAP), FileRead::Missing);
        assert_eq!(
            read_capped(d.path(), CAP),
            FileRead::NotAFile("a directory")
        );
        let fifo = d.path().join("fifo");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
        assert_eq!(read_capped(&fifo, CAP), FileRead::NotAFile("a FIFO"));
        let big = d.path().join("big");
        std::fs::write(&big, vec![b' '; 2000]).unwrap();
        assert_eq!(read_capped(&big, 1000), FileRead::TooLarge(2000));
        let lp = d.path().join("loop");
        std::os::unix::fs::symlink(&lp, &lp).unwrap();
        assert!(matches!(read_capped(&lp, CAP), FileRead::Unreadable(_)));
        let ok = d.path().join("ok");
        std::fs::write(&ok, b"{}").unwrap();
        assert!(
            matches!(read_capped(&ok, CAP), FileRead::Read { ref bytes, .. } if bytes == b"{}")
        );
    }
}
