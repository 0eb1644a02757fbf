//! The command line of a process: is it `agent-rooms watch` (CONTRACT §1's listener rule), or a
//! process that hands `agent-rooms watch` to another (a wrapper such as sudo or runuser)?

/// The file names an agent-rooms program goes by.
const NAMES: &[&str] = &[
    "agent-rooms",
    "agent-rooms.js",
    "agent-rooms.exe",
    "agent-rooms.cmd",
];

/// Interpreters that may run agent-rooms as a script (CONTRACT §1).
const INTERPRETERS: &[&str] = &[
    "node", "nodejs", "bun", "deno", "sh", "bash", "dash", "zsh", "cmd",
];

/// The file name of an argv element: what follows the last `/` or `\`.
fn base(a: &[u8]) -> &[u8] {
    a.rsplit(|b| *b == b'/' || *b == b'\\').next().unwrap_or(a)
}

/// Is this path's file name one an agent-rooms program goes by (`agent-rooms`, `.js`, …)?
pub fn is_agent_rooms(a: &[u8]) -> bool {
    let b = base(a);
    NAMES.iter().any(|n| b.eq_ignore_ascii_case(n.as_bytes()))
}

fn is_interpreter(a: &[u8]) -> bool {
    let b = base(a);
    let b = b
        .len()
        .checked_sub(4)
        .filter(|&i| b[i..].eq_ignore_ascii_case(b".exe"))
        .map_or(b, |i| &b[..i]);
    INTERPRETERS
        .iter()
        .any(|n| b.eq_ignore_ascii_case(n.as_bytes()))
}

/// An option of the program or interpreter: `-x`, `--x`, and cmd.exe's `/c`.
fn is_option(a: &[u8]) -> bool {
    a.starts_with(b"-") || (a.len() == 2 && a[0] == b'/' && a[1].is_ascii_alphabetic())
}

/// Does this argv run `agent-rooms watch`? The program (argv[0]) is agent-rooms (also `.js`,
/// `.exe`, `.cmd`), or an interpreter (node, bun, deno, sh, bash, …) whose script — its first
/// argument that is not an option — is; and the first argument after that which is not an
/// option is `watch`. Any other program (grep, less, an editor, `bash -c "…"`) is never a
/// listener, whatever words its arguments hold.
pub fn is_listener_argv<S: AsRef<[u8]>>(argv: &[S]) -> bool {
    let Some(i) = program_index(argv) else {
        return false;
    };
    argv[i + 1..]
        .iter()
        .map(AsRef::as_ref)
        .find(|a| !is_option(a))
        .is_some_and(|a| a == b"watch")
}

/// The agent-rooms file a listener's argv runs: the program itself, or the interpreter's script.
pub fn program_file<'a, S: AsRef<[u8]> + ?Sized>(argv: &'a [&'a S]) -> Option<&'a [u8]> {
    program_index(argv).map(|i| argv[i].as_ref())
}

/// Where the agent-rooms program stands in `argv`: argv[0] itself, or the script an
/// interpreter runs (its first argument that is not an option).
fn program_index<S: AsRef<[u8]>>(argv: &[S]) -> Option<usize> {
    let program = argv.first()?.as_ref();
    if is_agent_rooms(program) {
        return Some(0);
    }
    if !is_interpreter(program) {
        return None;
    }
    let i = 1 + argv[1..].iter().position(|a| !is_option(a.as_ref()))?;
    is_agent_rooms(argv[i].as_ref()).then_some(i)
}

/// Does this argv hand `agent-rooms watch` to another program (`sudo -u alice agent-rooms watch`,
/// `runuser -u bob -- sh …/agent-rooms watch`)? Such a process is not the listener, but when it
/// is a listener's ancestor it is named as its wrapper. (A `grep agent-rooms watch` reads the
/// same way, and is harmless: it is never a listener's ancestor.)
pub fn runs_listener_as_child<S: AsRef<[u8]>>(argv: &[S]) -> bool {
    (1..argv.len()).any(|i| is_listener_argv(&argv[i..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listener_argv_shapes() {
        let yes: &[&[&str]] = &[
            &["agent-rooms", "watch"],
            &["/usr/local/bin/agent-rooms", "watch"],
            &["agent-rooms", "--verbose", "watch", "--token", "x"],
            &[
                "node",
                "/usr/lib/node_modules/agent-rooms/bin/agent-rooms.js",
                "watch",
            ],
            &[
                "/usr/bin/node",
                "--max-old-space-size=512",
                "/a/agent-rooms.js",
                "watch",
            ],
            &["/bin/sh", "/home/a/bin/agent-rooms", "--verbose", "watch"],
            &["sh", "/p/node_modules/.bin/agent-rooms", "watch"],
            &["bun", "agent-rooms.js", "watch"],
            &["C:\\bin\\agent-rooms.exe", "watch"],
            &["C:\\nodejs\\node.exe", "C:\\a\\agent-rooms.js", "watch"],
            &["cmd.exe", "/c", "agent-rooms.cmd", "watch"],
            &["AGENT-ROOMS", "watch"],
        ];
        for a in yes {
            assert!(is_listener_argv(a), "{a:?}");
        }
        // The contract's negatives: mentioning agent-rooms and watch is not being the listener.
        let no: &[&[&str]] = &[
            &[],
            &["agent-rooms"],
            &["agent-rooms", "--verbose"],
            &["watch", "agent-rooms"],
            &["agent-rooms-doctor", "watch"],
            &["bash", "-c", "agent-rooms watch"],
            &["sh", "-c", "exec agent-rooms watch"],
            &["agent-rooms", "login"],
            &["agent-rooms", "login", "watch"],
            &["agent-rooms", "status", "--watch"],
            &["vim", "agent-rooms.txt", "watch"],
            &["vim", "/usr/bin/agent-rooms", "watch"],
            &["grep", "agent-rooms", "watch"],
            &["grep", "-r", "agent-rooms watch", "/etc"],
            &["less", "/var/log/agent-rooms", "watch"],
            &["tail", "-f", "agent-rooms.js", "watch"],
            &["sudo", "-u", "alice", "agent-rooms", "watch"],
            &["node", "/usr/bin/npx", "agent-rooms", "watch"],
            &["node", "--inspect", "server.js", "agent-rooms", "watch"],
            &["python3", "agent-rooms", "watch"],
            // An interpreter running another script: its first word after is not what counts.
            &["node", "server.js", "watch"],
            &["sh", "/usr/bin/other", "watch"],
            &["bash", "--login", "deploy.sh", "watch", "agent-rooms"],
        ];
        for a in no {
            assert!(!is_listener_argv(a), "{a:?}");
        }
        assert!(!is_listener_argv(&[
            &b"\xff\xfe"[..],
            b"agent-rooms",
            b"watch"
        ]));
        assert!(!is_listener_argv(&[&b"agent-rooms\xff"[..], b"watch"]));
        let file = |a: &[&str]| program_file(a).map(|f| String::from_utf8_lossy(f).into_owned());
        assert_eq!(
            file(&["/usr/bin/agent-rooms", "watch"]).as_deref(),
            Some("/usr/bin/agent-rooms")
        );
        assert_eq!(
            file(&["node", "--x", "/a/agent-rooms.js", "watch"]).as_deref(),
            Some("/a/agent-rooms.js")
        );
        assert_eq!(file(&["node", "server.js", "watch"]), None);
        assert_eq!(file(&["grep", "agent-rooms"]), None);
    }
}
