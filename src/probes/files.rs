//! Files: read a small file without following it into trouble (FIFOs, devices, huge files,
//! directories), and report its owner, mode and size.

use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;

/// The largest agent-rooms file the doctor reads.
pub const CAP: u64 = 1024 * 1024;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    pub size: u64,
    /// Permission bits, e.g. 0o600 ("0600" in JSON).
    #[serde(
        serialize_with = "crate::time_util::ser_mode",
        deserialize_with = "crate::time_util::de_mode"
    )]
    pub mode: u32,
    pub uid: u32,
    /// Seconds since the epoch (RFC 3339 in JSON).
    #[serde(
        serialize_with = "crate::time_util::ser_rfc3339",
        deserialize_with = "crate::time_util::de_rfc3339"
    )]
    pub modified: i64,
    /// Where the path leads when it is itself a symbolic link (its metadata is the target's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_to: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRead {
    Missing,
    /// Exists but is not a regular file: "a directory", "a FIFO", …
    NotAFile(&'static str),
    TooLarge(u64),
    Unreadable(String),
    /// The doctor's user may not look (the file's or a parent directory's permissions): nothing
    /// is known of the file itself.
    Denied(String),
    Read {
        bytes: Vec<u8>,
        meta: FileMeta,
    },
}

pub fn meta_of(m: &std::fs::Metadata) -> FileMeta {
    platform::meta_of(m)
}

#[cfg(unix)]
mod platform {
    use super::FileMeta;
    use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};

    pub fn meta_of(m: &std::fs::Metadata) -> FileMeta {
        FileMeta {
            size: m.len(),
            mode: m.mode() & 0o7777,
            uid: m.uid(),
            modified: m.mtime(),
            link_to: None,
        }
    }

    /// What a file that is neither a regular file nor a directory is.
    pub fn special_kind(ft: &std::fs::FileType) -> Option<&'static str> {
        if ft.is_fifo() {
            Some("a FIFO")
        } else if ft.is_socket() {
            Some("a socket")
        } else if ft.is_block_device() || ft.is_char_device() {
            Some("a device")
        } else {
            None
        }
    }

    /// O_NONBLOCK: if the file was swapped for a FIFO since, opening it must not wait for a writer.
    pub fn open_for_reading(path: &std::path::Path) -> std::io::Result<std::fs::File> {
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(nix::libc::O_NONBLOCK)
            .open(path)
    }
}

/// Windows has no mode bits nor uids: a file in the user's profile is private to them by its
/// ACL (which the doctor does not judge), so its mode reads as 0o600 and its owner as the
/// doctor's own user.
#[cfg(not(unix))]
mod platform {
    use super::FileMeta;

    pub fn meta_of(m: &std::fs::Metadata) -> FileMeta {
        FileMeta {
            size: m.len(),
            mode: if m.permissions().readonly() {
                0o400
            } else {
                0o600
            },
            uid: crate::probes::users::me().uid,
            modified: m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
            link_to: None,
        }
    }

    pub fn special_kind(_: &std::fs::FileType) -> Option<&'static str> {
        None
    }

    pub fn open_for_reading(path: &std::path::Path) -> std::io::Result<std::fs::File> {
        std::fs::File::open(path)
    }
}

/// How `write_atomic` treats what it writes and what it finds at the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replace {
    /// Readable by its owner only from its creation (mode 0600): a support bundle. Otherwise
    /// the mode a new file gets (0666 less the umask), so a collector running as another user
    /// (node_exporter) can read it.
    pub private: bool,
    /// May an existing file be replaced (a regular file of the doctor's own user only)? When
    /// not, an existing file is refused with `refusal`'s words.
    pub existing: bool,
    /// What to say when a file exists and may not be replaced ("pass --force to replace it").
    pub refusal: &'static str,
}

/// Write `bytes` to `path` atomically: a temporary file in the same directory, written whole and
/// synced, then renamed into place, so a reader (a metrics collector) never sees half a file and
/// a failure (a full disk) leaves any old file whole and no partial one. What exists at `path` is
/// replaced only when `how.existing` allows and only when it is a regular file of the doctor's
/// own user: never a symbolic link (nor is anything written through one), a device, a FIFO, a
/// socket, a directory or another user's file.
/// A write the doctor refuses on purpose (a link, another user's file, a file `--force` would
/// replace): the person named the wrong target, as distinct from a write the system refused.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

impl Refused {
    /// An I/O error of `kind` that says it was refused on purpose.
    pub fn io(kind: std::io::ErrorKind, why: impl Into<String>) -> std::io::Error {
        std::io::Error::new(kind, Refused(why.into()))
    }

    /// Was `e` refused on purpose (not by the system)?
    pub fn is(e: &std::io::Error) -> bool {
        e.get_ref().is_some_and(|inner| inner.is::<Refused>())
    }
}

/// What an existing file is, when it is not one the doctor may replace: a link, a directory, a
/// special file, or a file of another user.
fn not_replaceable(m: &std::fs::Metadata) -> Option<String> {
    let ft = m.file_type();
    if ft.is_symlink() {
        Some("a symbolic link".to_string())
    } else if ft.is_dir() {
        Some("a directory".to_string())
    } else if let Some(kind) = platform::special_kind(&ft) {
        Some(kind.to_string())
    } else if !ft.is_file() {
        Some("not a regular file".to_string())
    } else {
        let owner = meta_of(m).uid;
        let me = crate::probes::users::me().uid;
        (owner != me).then(|| {
            format!(
                "a file of {} (not yours)",
                crate::probes::users::by_uid(owner).name
            )
        })
    }
}

pub fn write_atomic(path: &Path, bytes: &[u8], how: Replace) -> std::io::Result<()> {
    use std::io::{ErrorKind, Write};
    let existing = match std::fs::symlink_metadata(path) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if let Some(m) = &existing {
        if !how.existing {
            return Err(Refused::io(ErrorKind::AlreadyExists, how.refusal));
        }
        if let Some(what) = not_replaceable(m) {
            return Err(Refused::io(
                ErrorKind::PermissionDenied,
                format!("is {what}: the doctor replaces only a regular file of your own"),
            ));
        }
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".agent-rooms-doctor-").suffix(".tmp");
    #[cfg(unix)]
    if !how.private {
        use std::os::unix::fs::PermissionsExt;
        // Given to open(2), so the umask still applies, as for any file a command writes.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    if how.existing {
        tmp.persist(path).map_err(|e| e.error)?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == ErrorKind::AlreadyExists {
                Refused::io(ErrorKind::AlreadyExists, how.refusal)
            } else {
                e.error
            }
        })?;
    }
    Ok(())
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

/// Do permissions keep the doctor's user from opening `path` (it or a parent directory)?
pub fn denied(path: &Path) -> bool {
    std::fs::File::open(path).is_err_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied)
}

/// A read that failed: Denied when permissions keep the doctor out.
fn unreadable(e: std::io::Error) -> FileRead {
    if e.kind() == std::io::ErrorKind::PermissionDenied {
        FileRead::Denied(e.to_string())
    } else {
        FileRead::Unreadable(e.to_string())
    }
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
        Err(e) => return unreadable(e),
    };
    let ft = m.file_type();
    if ft.is_dir() {
        return FileRead::NotAFile("a directory");
    }
    if let Some(kind) = platform::special_kind(&ft) {
        return FileRead::NotAFile(kind);
    }
    if m.len() > cap {
        return FileRead::TooLarge(m.len());
    }
    let mut f = match platform::open_for_reading(path) {
        Ok(f) => f,
        Err(e) => return unreadable(e),
    };
    let mut bytes = Vec::new();
    if let Err(e) = (&mut f).take(cap + 1).read_to_end(&mut bytes) {
        return FileRead::Unreadable(e.to_string());
    }
    if bytes.len() as u64 > cap {
        return FileRead::TooLarge(bytes.len() as u64);
    }
    let mut meta = meta_of(&m);
    meta.link_to = link_target(path);
    FileRead::Read { bytes, meta }
}

/// Where `path` leads when it is itself a symbolic link.
pub fn link_target(path: &Path) -> Option<std::path::PathBuf> {
    std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.file_type().is_symlink())
        .and_then(|_| std::fs::read_link(path).ok())
}

/// Does `path` lead somewhere else through a symbolic link in any of its components (or can
/// that not be told)? A change made as root must not go through one.
pub fn through_a_link(path: &Path) -> bool {
    match std::fs::canonicalize(path) {
        Ok(real) => real != path,
        Err(_) => true,
    }
}

/// Can only root change what `path` runs: the path, every directory above it, and (through any
/// link) the file it leads to and every directory above that, all owned by root and writable by
/// no group or other. A link root makes into a system directory must not lead to a file another
/// user can rewrite (every user, root too, would run that user's program).
#[cfg(unix)]
pub fn only_root_can_change(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(real) = std::fs::canonicalize(path) else {
        return false;
    };
    let root_only = |p: &Path| {
        p.is_absolute()
            && p.ancestors().all(|a| match std::fs::symlink_metadata(a) {
                Ok(m) => m.uid() == 0 && (m.file_type().is_symlink() || m.mode() & 0o022 == 0),
                Err(_) => false,
            })
    };
    root_only(path) && root_only(&real)
}

#[cfg(not(unix))]
pub fn only_root_can_change(_path: &Path) -> bool {
    false
}

/// Metadata of `path` if it exists.
pub fn stat(path: &Path) -> Option<FileMeta> {
    stall_if_asked(path);
    std::fs::metadata(path).ok().map(|m| meta_of(&m))
}

/// When `path` was created (its birth time), where the file system records it.
pub fn created(path: &Path) -> Option<i64> {
    let t = std::fs::metadata(path).ok()?.created().ok()?;
    t.duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    #[cfg_attr(not(unix), allow(unused_imports))]
    use super::*;

    /// Issue 40: one wire form for every file read: `T` when read, else the words.
    #[test]
    fn loaded_is_recorded_as_its_contents_or_as_words() {
        type L = Loaded<std::collections::BTreeMap<String, u32>>;
        let read: L = Loaded::Ok([("pid".to_string(), 42)].into(), FileMeta::default());
        let cases = [
            (read, serde_json::json!({"pid": 42})),
            (L::Missing, serde_json::json!("missing")),
            (
                L::Invalid("x is not JSON".into()),
                serde_json::json!("invalid: x is not JSON"),
            ),
            (
                L::Denied("x: EACCES".into()),
                serde_json::json!("denied: x: EACCES"),
            ),
        ];
        for (l, json) in cases {
            assert_eq!(serde_json::to_value(&l).unwrap(), json);
            assert_eq!(serde_json::from_value::<L>(json).unwrap(), l);
        }
        // An old bundle's bare reason is an invalid file.
        let old: L = serde_json::from_value(serde_json::json!("truncated")).unwrap();
        assert_eq!(old, L::Invalid("truncated".into()));
        assert_eq!(old.why_not(), Some("truncated"));
        assert_eq!(L::Missing.why_not(), Some("missing"));
    }

    #[cfg(unix)]
    #[test]
    fn only_root_can_change_a_root_file_in_root_directories() {
        // A system shell: root-owned, in root-owned directories no one else can write.
        assert!(only_root_can_change(Path::new("/bin/sh")));
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("codex");
        std::fs::write(&f, "x").unwrap();
        // A file under /tmp (world-writable) never is, whoever owns it.
        assert!(!only_root_can_change(&f));
        assert!(!only_root_can_change(Path::new("relative/codex")));
        assert!(!only_root_can_change(&d.path().join("missing")));
    }

    // FIFOs and symbolic links as Unix makes them.
    #[cfg(unix)]
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

/// What came of reading one file a check reads: its contents as `T` (and the file's metadata),
/// or why not. The one encoding of it: recorded as `T` when it was read, else as the words
/// "missing", "invalid: WHY" or "denied: WHY" (a file's metadata is not recorded).
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded<T> {
    Missing,
    /// Unusable; the text says why, naming the file (and line/column for bad JSON).
    Invalid(String),
    /// The doctor's user may not read it (nothing is known of the file); the text names it.
    Denied(String),
    Ok(T, FileMeta),
}

impl<T> Loaded<T> {
    pub fn ok(&self) -> Option<&T> {
        match self {
            Loaded::Ok(t, _) => Some(t),
            _ => None,
        }
    }
    /// Why it could not be used (None when it was read).
    pub fn why_not(&self) -> Option<&str> {
        match self {
            Loaded::Missing => Some("missing"),
            Loaded::Invalid(why) | Loaded::Denied(why) => Some(why),
            Loaded::Ok(..) => None,
        }
    }
    /// "missing", "invalid: …", "denied: …" or "ok", for facts.
    pub fn state(&self) -> String {
        match self {
            Loaded::Missing => "missing".into(),
            Loaded::Invalid(why) => format!("invalid: {why}"),
            Loaded::Denied(why) => format!("denied: {why}"),
            Loaded::Ok(..) => "ok".into(),
        }
    }
    /// The words `state` wrote, read back (None for "ok": what was read is recorded elsewhere).
    pub fn from_state(s: &str) -> Option<Self> {
        Some(match s {
            "ok" => return None,
            "missing" => Loaded::Missing,
            _ if s.starts_with("denied: ") => Loaded::Denied(s["denied: ".len()..].to_string()),
            _ => Loaded::Invalid(s.strip_prefix("invalid: ").unwrap_or(s).to_string()),
        })
    }
}

impl<T: Serialize> Serialize for Loaded<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Loaded::Ok(t, _) => t.serialize(s),
            other => s.serialize_str(&other.state()),
        }
    }
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Loaded<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(Loaded::from_state(&s).unwrap_or(Loaded::Missing)),
            v => serde_json::from_value(v)
                .map(|t| Loaded::Ok(t, FileMeta::default()))
                .map_err(serde::de::Error::custom),
        }
    }
}
