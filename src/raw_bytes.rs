//! Words that keep bytes that are not UTF-8: a Linux file name may hold any byte, and a command
//! printed for it, or run by `fix`, must name that file and no other. Plain helpers (floor 0):
//! `model::command` makes and prints such words, `probes::command` runs them.

/// The first of the characters that stand for a byte that is not UTF-8: U+10FF80..=U+10FFFF
/// (private use) are the bytes 0x80..=0xFF. A Linux file name may hold any byte; a word keeps it.
const RAW_BYTE_BASE: u32 = 0x10FF00;

/// A path as a command word, byte for byte: a byte that is not UTF-8 is kept as the character
/// that stands for it, which `quote` prints as `printf` octal and `fix` runs as the byte itself
/// (a path's `display()` would put U+FFFD there, and the pasted line would name another file).
pub fn path_word(p: &std::path::Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        word_of_bytes(p.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        p.display().to_string()
    }
}

/// Bytes as a word: UTF-8 as it is, any other byte as the character that stands for it.
pub fn word_of_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for &b in chunk.invalid() {
            out.extend(char::from_u32(RAW_BYTE_BASE + u32::from(b)));
        }
    }
    out
}

/// The byte a character stands for, if it stands for one.
pub fn raw_byte(c: char) -> Option<u8> {
    let n = c as u32;
    (RAW_BYTE_BASE + 0x80..=RAW_BYTE_BASE + 0xff)
        .contains(&n)
        .then(|| (n - RAW_BYTE_BASE) as u8)
}

/// The bytes a word stands for (what `fix` gives the program).
pub fn word_bytes(word: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(word.len());
    for c in word.chars() {
        match raw_byte(c) {
            Some(b) => out.push(b),
            None => out.extend_from_slice(c.encode_utf8(&mut [0u8; 4]).as_bytes()),
        }
    }
    out
}

/// A word as the program receives it.
pub fn os_word(word: &str) -> std::ffi::OsString {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        std::ffi::OsString::from_vec(word_bytes(word))
    }
    #[cfg(not(unix))]
    {
        word.into()
    }
}
