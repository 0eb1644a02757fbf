//! A command is data (CONTRACT §2 "Remedies are data", §3 "Nothing runs as text"): the argument
//! list, the environment assignments, whom it runs as, and whether `fix` may run it, all decided
//! where the remedy is built. The printed line is made here, once, by one renderer: each word
//! quoted for a POSIX shell (PowerShell on Windows), with `sudo -u U -H` / `runuser -u U --` /
//! `su - U -c '…'` / `env VAR=…` composed from whom it runs as and what the machine has. Nothing
//! turns a line back into a command: `fix` runs `argv` itself, never through a shell.

use serde::{Deserialize, Serialize};

/// Whom a command runs as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunAs {
    /// The user running the doctor.
    Me,
    /// The superuser (a system unit, a link into /usr/local/bin).
    Root,
    /// A named user (the listener's), by name and uid.
    User { name: String, uid: u32 },
}

/// Whether `fix` may run a command (ruff's "applicability", kept on the command itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Fix {
    /// Safe to run: `fix` asks on a terminal, `--yes` runs it.
    Safe,
    /// Only with the person's own answer on a terminal, never by `--yes` (stopping one of two
    /// listeners: which one is the person's choice; a stop nothing would start again).
    Ask,
    /// Only printed: it is the person's to do (a login, an edit in an editor).
    #[default]
    Shown,
}

/// What this machine has to run a command as another user (`sudo` only where it exists), and
/// its shell family: recorded with the facts, so a bundle from Windows replays with PowerShell
/// lines anywhere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Elevation {
    pub sudo: bool,
    pub runuser: bool,
    /// Windows: commands print for PowerShell.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub windows: bool,
}

impl Elevation {
    /// This machine's: `sudo` and `runuser` as found (by the caller) on PATH.
    pub fn here(sudo: bool, runuser: bool) -> Self {
        Elevation {
            sudo,
            runuser,
            windows: cfg!(windows),
        }
    }
}

/// The machine a command is printed for: the doctor's own user, what it has to become another
/// user, and its shell family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Machine {
    pub uid: u32,
    pub elevation: Elevation,
    pub windows: bool,
}

impl Machine {
    pub fn new(uid: u32, elevation: Elevation) -> Self {
        Machine {
            uid,
            elevation,
            windows: elevation.windows,
        }
    }

    /// The catalogue's generic commands (`explain`): printed as they are, for no one in
    /// particular.
    pub fn generic() -> Self {
        Machine {
            uid: 0,
            elevation: Elevation::default(),
            windows: cfg!(windows),
        }
    }
}

/// A command as the remedy builder describes it, before it is printed for a machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    argv: Vec<String>,
    env: Vec<(String, String)>,
    run_as: RunAs,
    fix: Fix,
}

/// A command: `argv` run as `run_as` with `env` added, and `line`, the text printed for the
/// machine it was built on (copying it into a shell runs exactly that argument list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    pub argv: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "env_map")]
    pub env: Vec<(String, String)>,
    pub run_as: RunAs,
    pub fix: Fix,
    #[serde(skip)]
    pub line: String,
}

/// `env` in JSON: an object of names to values, in order.
mod env_map {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(env: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
        let m: serde_json::Map<String, serde_json::Value> = env
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        m.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
        let m = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        Ok(m.into_iter()
            .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string()))
            .collect())
    }
}

/// A command of these words, run as the doctor's user, only shown (until said otherwise).
pub fn cmd<I, S>(argv: I) -> Spec
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    Spec {
        argv: argv.into_iter().map(Into::into).collect(),
        env: vec![],
        run_as: RunAs::Me,
        fix: Fix::Shown,
    }
}

impl Spec {
    /// Add `name=value` to its environment (`name` is the doctor's own, a plain identifier).
    pub fn env(mut self, name: &str, value: impl Into<String>) -> Self {
        self.env.push((name.to_string(), value.into()));
        self
    }
    /// Run it as user `name` (uid `uid`).
    pub fn as_user(mut self, name: &str, uid: u32) -> Self {
        self.run_as = RunAs::User {
            name: name.to_string(),
            uid,
        };
        self
    }
    pub fn as_root(mut self) -> Self {
        self.run_as = RunAs::Root;
        self
    }
    pub fn run_as(mut self, who: RunAs) -> Self {
        self.run_as = who;
        self
    }
    /// `fix` may run it (asking on a terminal; `--yes` runs it).
    pub fn safe(mut self) -> Self {
        self.fix = Fix::Safe;
        self
    }
    /// `fix` may run it only with the person's answer on a terminal.
    pub fn ask(mut self) -> Self {
        self.fix = Fix::Ask;
        self
    }
    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = fix;
        self
    }
    /// The command, printed for `machine`.
    pub fn on(self, machine: &Machine) -> Command {
        let mut c = Command {
            argv: self.argv,
            env: self.env,
            run_as: self.run_as,
            fix: self.fix,
            line: String::new(),
        };
        // A word no program can be given (a NUL byte) or a program that `env` would read as an
        // assignment: printed, never run.
        if !c.runnable() {
            c.fix = Fix::Shown;
        }
        c.line = line(&c, machine);
        c
    }
}

/// A command shows as its printed line.
impl std::fmt::Display for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.line)
    }
}

/// In the unit tests a command equals the line it prints.
#[cfg(test)]
impl PartialEq<&str> for Command {
    fn eq(&self, other: &&str) -> bool {
        self.line == *other
    }
}

impl Command {
    /// The uid it runs as, on a machine where the doctor is `me`.
    pub fn uid(&self, me: u32) -> u32 {
        match &self.run_as {
            RunAs::Me => me,
            RunAs::Root => 0,
            RunAs::User { uid, .. } => *uid,
        }
    }
    /// Only printed, whatever it was built as.
    pub fn shown(mut self) -> Self {
        self.fix = Fix::Shown;
        self
    }
    fn runnable(&self) -> bool {
        !(self.argv.is_empty()
            || self.argv.iter().any(|w| w.contains('\0'))
            || self.env.iter().any(|(_, v)| v.contains('\0'))
            || (!self.env.is_empty() && self.argv[0].contains('=')))
    }
}

/// The line printed for `machine`.
pub fn line(c: &Command, m: &Machine) -> String {
    if m.windows {
        return powershell(c, m);
    }
    let body = posix_body(c);
    let target = match &c.run_as {
        RunAs::Me => return body,
        RunAs::Root => 0,
        RunAs::User { uid, .. } => *uid,
    };
    if target == m.uid {
        return body;
    }
    match &c.run_as {
        RunAs::User { name, .. } => {
            let name = quote(name);
            if m.uid == 0 && m.elevation.runuser {
                format!("runuser -u {name} -- {body}")
            } else if m.elevation.sudo {
                format!("sudo -u {name} -H {body}")
            } else {
                format!("su - {name} -c {}", quote(&body))
            }
        }
        _ if m.elevation.sudo => format!("sudo {body}"),
        _ => format!("su -c {}", quote(&body)),
    }
}

/// `env NAME=value … word…`, each word quoted.
fn posix_body(c: &Command) -> String {
    let mut words: Vec<String> = vec![];
    if !c.env.is_empty() {
        words.push("env".into());
        for (k, v) in &c.env {
            words.push(format!("{k}={}", quote(v)));
        }
    }
    words.extend(c.argv.iter().map(|w| quote(w)));
    words.join(" ")
}

/// One word for a POSIX shell (bash, zsh, dash; fish reads the same): quoted by shlex where it
/// needs it; a control character (an escape, a carriage return) is never written raw but as
/// `"$(printf '\ooo')"`, so the line holds no terminal control and still gives the same bytes.
/// A newline is kept, as `"<newline>"` on its own (a command substitution would drop it), so the
/// next line of output starts with `"`: never with text of the word (`::error::` would be a
/// workflow command in a CI log).
pub fn quote(word: &str) -> String {
    if word.is_empty() {
        return "''".into();
    }
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if !run.is_empty() {
            let q = shlex::Quoter::new()
                .allow_nul(false)
                .quote(run)
                .map(|c| c.into_owned())
                .unwrap_or_else(|_| quote_plain(&run.replace('\0', "")));
            out.push_str(&q);
            run.clear();
        }
    };
    for ch in word.chars() {
        if ch == '\n' {
            flush(&mut run, &mut out);
            out.push_str("\"\n\"");
        } else if unprintable(ch) {
            flush(&mut run, &mut out);
            let mut buf = [0u8; 4];
            let octal: String = ch
                .encode_utf8(&mut buf)
                .bytes()
                .map(|b| format!("\\{b:03o}"))
                .collect();
            out.push_str(&format!("\"$(printf '{octal}')\""));
        } else {
            run.push(ch);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Written as `printf` octal, never raw: a control character (a terminal acts on it), a
/// non-character (XML and some terminals refuse it), and a bidirectional control (it would show
/// the words of the line in another order than the shell reads them).
fn unprintable(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{fffe}' | '\u{ffff}' | '\u{fdd0}'..='\u{fdef}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// Single quotes, with `'` as `'\''` (the fallback for what shlex refuses).
fn quote_plain(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// PowerShell (Windows PowerShell 5.1 and PowerShell 7 read it alike): `$env:NAME = 'v'; & 'program'
/// 'arg'…`. A word is bare only where PowerShell reads it as that text, else single-quoted (a
/// quote inside doubled: PowerShell also takes the typographic quotes ‘ ’ ‚ ‛ for `'`, so they are
/// doubled too); a control character is never written raw but joined in as `[char]0x1B`, so the
/// line holds no terminal control and still gives the same text. Whom it runs as is a comment at
/// the end (Windows has no `sudo`: an administrator PowerShell, or `runas /user:NAME`), so the
/// line pastes as it is.
fn powershell(c: &Command, m: &Machine) -> String {
    let mut out = String::new();
    for (k, v) in &c.env {
        out.push_str(&format!("$env:{k} = {}; ", ps_quote(v)));
    }
    let words: Vec<String> = c.argv.iter().map(|w| ps_word(w)).collect();
    // A program PowerShell would not read as a command name (quoted, or an expression) is
    // called with `&`.
    if c.argv.first().is_some_and(|p| ps_word(p) != *p) {
        out.push_str("& ");
    }
    out.push_str(&words.join(" "));
    let who = match &c.run_as {
        RunAs::Me => None,
        RunAs::Root if m.uid == 0 => None,
        RunAs::Root => Some("in an administrator PowerShell".to_string()),
        RunAs::User { uid, .. } if *uid == m.uid => None,
        RunAs::User { name, .. } if name.chars().all(|c| !c.is_control() && !unprintable(c)) => {
            Some(format!("as {name}: runas /user:{name} powershell"))
        }
        RunAs::User { uid, .. } => Some(format!("as the user with id {uid}")),
    };
    if let Some(who) = who {
        out.push_str("    # ");
        out.push_str(&who);
    }
    out
}

/// One argument for PowerShell: bare when every character is one PowerShell reads as plain text
/// in argument mode and it does not start like an operator, a number's sign or a variable.
fn ps_word(w: &str) -> String {
    let plain = w
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || "-/\\_.".contains(c))
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:\\=".contains(c));
    if plain {
        w.to_string()
    } else {
        ps_quote(w)
    }
}

/// A single-quoted PowerShell string of exactly `w`: quotes doubled, each run of control
/// characters joined in as `[char]0xNN` (`('a' + [char]0x1B + 'b')`).
fn ps_quote(w: &str) -> String {
    let quoted = |run: &str| {
        let mut q = String::from("'");
        for ch in run.chars() {
            if matches!(ch, '\'' | '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}') {
                q.push(ch);
            }
            q.push(ch);
        }
        q.push('\'');
        q
    };
    if !w.chars().any(unprintable) {
        return quoted(w);
    }
    let mut parts: Vec<String> = vec![];
    let mut run = String::new();
    for ch in w.chars() {
        if unprintable(ch) {
            if !run.is_empty() {
                parts.push(quoted(&run));
                run.clear();
            }
            parts.push(format!("[char]0x{:X}", ch as u32));
        } else {
            run.push(ch);
        }
    }
    if !run.is_empty() {
        parts.push(quoted(&run));
    }
    // `[char]` first would make `+` add numbers: a string starts the sum.
    if parts[0].starts_with('[') {
        parts.insert(0, "''".into());
    }
    format!("({})", parts.join(" + "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_fallback_quotes_a_quote_as_sh_reads_it() {
        // Only reached if shlex refuses a word (it refuses NUL, which `quote` never hands it).
        assert_eq!(quote_plain("it's"), r"'it'\''s'");
        assert_eq!(quote_plain(""), "''");
    }

    fn posix(uid: u32, sudo: bool, runuser: bool) -> Machine {
        Machine {
            uid,
            elevation: Elevation {
                sudo,
                runuser,
                windows: false,
            },
            windows: false,
        }
    }

    #[test]
    fn words_are_quoted_only_where_they_need_it() {
        assert_eq!(quote("pm2"), "pm2");
        assert_eq!(quote("/usr/local/bin"), "/usr/local/bin");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("/tmp/h;touch x"), "'/tmp/h;touch x'");
        assert_eq!(quote("$(id)"), "'$(id)'");
        assert_eq!(quote("a\u{1b}[31mb"), "a\"$(printf '\\033')\"'[31mb'");
        // A bidirectional override and a non-character are shown as what they are.
        assert_eq!(
            quote("a\u{202e}b\u{ffff}"),
            "a\"$(printf '\\342\\200\\256')\"b\"$(printf '\\357\\277\\277')\""
        );
        // A newline on its own in double quotes: the next line starts with a quote.
        assert_eq!(quote("a b\n::error::x"), "'a b'\"\n\"::error::x");
        assert!(!quote("x\u{9b}y").contains('\u{9b}'));
    }

    #[test]
    fn a_command_runs_as_its_user_the_way_the_machine_allows() {
        let c = |who: RunAs| {
            cmd(["pm2", "restart", "ar listen", "--update-env"])
                .env("PM2_HOME", "/srv/pm 2")
                .run_as(who)
        };
        let bob = RunAs::User {
            name: "bob".into(),
            uid: 1001,
        };
        let body = "env PM2_HOME='/srv/pm 2' pm2 restart 'ar listen' --update-env";
        assert_eq!(c(RunAs::Me).on(&posix(1000, true, true)).line, body);
        assert_eq!(c(bob.clone()).on(&posix(1001, false, false)).line, body);
        assert_eq!(
            c(bob.clone()).on(&posix(0, true, true)).line,
            format!("runuser -u bob -- {body}")
        );
        assert_eq!(
            c(bob.clone()).on(&posix(0, true, false)).line,
            format!("sudo -u bob -H {body}")
        );
        assert_eq!(
            c(bob.clone()).on(&posix(1000, false, true)).line,
            format!("su - bob -c {}", quote(body))
        );
        assert_eq!(
            c(RunAs::Root).on(&posix(1000, true, false)).line,
            format!("sudo {body}")
        );
        assert_eq!(c(RunAs::Root).on(&posix(0, false, false)).line, body);
        assert_eq!(
            c(RunAs::Root).on(&posix(1000, false, false)).line,
            format!("su -c {}", quote(body))
        );
    }

    #[test]
    fn what_cannot_be_run_is_only_shown() {
        let m = posix(0, false, true);
        assert_eq!(cmd(["a\0b"]).safe().on(&m).fix, Fix::Shown);
        assert_eq!(
            cmd(["/x=y/codex"]).env("A", "1").safe().on(&m).fix,
            Fix::Shown
        );
        assert_eq!(cmd(["/x=y/codex"]).safe().on(&m).fix, Fix::Safe);
        assert_eq!(cmd(Vec::<String>::new()).safe().on(&m).fix, Fix::Shown);
    }

    fn windows(uid: u32) -> Machine {
        Machine::new(
            uid,
            Elevation {
                windows: true,
                ..Elevation::default()
            },
        )
    }

    #[test]
    fn windows_gets_powershell() {
        let m = windows(1);
        assert_eq!(cmd(["nssm", "restart", "ar"]).on(&m), "nssm restart ar");
        assert_eq!(
            cmd(["taskkill", "/PID", "4242"]).on(&m),
            "taskkill /PID 4242"
        );
        assert_eq!(
            cmd(["pm2", "restart", "ar listen", "--update-env"]).on(&m),
            "pm2 restart 'ar listen' --update-env"
        );
        assert_eq!(
            cmd(["C:\\Program Files\\nodejs\\node.exe", "it's"])
                .env("PATH", "C:\\x;C:\\Program Files\\nodejs")
                .on(&m),
            "$env:PATH = 'C:\\x;C:\\Program Files\\nodejs'; & 'C:\\Program Files\\nodejs\\node.exe' 'it''s'"
        );
        assert_eq!(
            cmd(["setx", "PATH", "C:\\nodejs;C:\\Windows"]).on(&m),
            "setx PATH 'C:\\nodejs;C:\\Windows'"
        );
        assert_eq!(
            cmd(["schtasks", "/Run", "/TN", "\\agent rooms"]).on(&m),
            "schtasks /Run /TN '\\agent rooms'"
        );
    }

    #[test]
    fn powershell_reads_back_exactly_the_words() {
        let m = windows(1);
        // What PowerShell would expand, split or take as an operator is quoted.
        for w in [
            "$env:X", "a;b", "a`b", "@(1)", "--%", "a|b", "(x)", "{x}", "a,b", "#c", "", "~",
        ] {
            assert!(
                cmd(["p", w]).on(&m).line.ends_with(&format!(" '{w}'")),
                "{w:?}"
            );
        }
        // PowerShell takes the typographic quotes for `'` too: each is doubled.
        assert_eq!(cmd(["p", "a\u{2019}b"]).on(&m), "p 'a\u{2019}\u{2019}b'");
        // A control character is joined in by its code, never written raw.
        assert_eq!(
            cmd(["p", "a\u{1b}[31mb"]).on(&m),
            "p ('a' + [char]0x1B + '[31mb')"
        );
        assert_eq!(cmd(["p", "\nx"]).on(&m), "p ('' + [char]0xA + 'x')");
        assert_eq!(
            cmd(["p"]).env("X", "\u{202e}").on(&m),
            "$env:X = ('' + [char]0x202E); p"
        );
        // A quoted program is called with `&`.
        assert_eq!(cmd(["$x"]).on(&m), "& '$x'");
    }

    #[test]
    fn on_windows_whom_it_runs_as_is_said_after_the_line() {
        let m = windows(1);
        let c = || cmd(["nssm", "restart", "agent-rooms"]);
        assert_eq!(c().on(&m), "nssm restart agent-rooms");
        assert_eq!(
            c().as_root().on(&m),
            "nssm restart agent-rooms    # in an administrator PowerShell"
        );
        assert_eq!(c().as_user("me", 1).on(&m), "nssm restart agent-rooms");
        assert_eq!(
            c().as_user("bob", 7).on(&m),
            "nssm restart agent-rooms    # as bob: runas /user:bob powershell"
        );
        // A name that would end the comment is not printed.
        assert_eq!(
            c().as_user("bob\nRemove-Item x", 7).on(&m),
            "nssm restart agent-rooms    # as the user with id 7"
        );
    }

    #[test]
    fn the_json_has_the_structure() {
        let c = cmd(["chmod", "600", "/h/config.json"])
            .as_user("bob", 1001)
            .safe()
            .on(&posix(0, false, true));
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"argv": ["chmod", "600", "/h/config.json"],
                "run_as": {"user": {"name": "bob", "uid": 1001}}, "fix": "safe"})
        );
        let back: Command = serde_json::from_value(v).unwrap();
        assert_eq!(back.argv, c.argv);
    }
}
