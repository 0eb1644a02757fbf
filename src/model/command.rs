//! A command is data (CONTRACT §2 "Remedies are data", §3 "Nothing runs as text"): the argument
//! list, the environment assignments, whom it runs as, and whether `fix` may run it, all decided
//! where the remedy is built. The printed line is made here, once, by one renderer: each word
//! quoted for a POSIX shell (PowerShell on Windows), with `sudo -u U -H` / `runuser -u U --` /
//! `su - U -c '…'` / `env VAR=…` composed from whom it runs as and what the machine has. Nothing
//! turns a line back into a command: `fix` runs `argv` itself, never through a shell.

use serde::{Deserialize, Serialize};

/// Whom a command runs as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Elevation {
    pub sudo: bool,
    pub runuser: bool,
    /// Where runuser was found, when a person's shell would not find it by its name: it lives in
    /// /usr/sbin, which a `PATH=/usr/bin:/bin` shell (and many containers) lacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runuser_at: Option<String>,
    /// Windows: commands print for PowerShell.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub windows: bool,
    /// Where the doctor itself runs from, when another user's login shell would not find it
    /// by its name (`~/.cargo/bin`, an npm prefix, npx's cache): "run the doctor as USER" prints
    /// it by this path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doctor_at: Option<String>,
}

impl Elevation {
    /// This machine's: `sudo` and `runuser` as found (by the caller) on PATH; runuser by its
    /// path where it is in none of the directories every shell's PATH has.
    pub fn here(sudo: bool, runuser: Option<&std::path::Path>) -> Self {
        Elevation {
            sudo,
            runuser: runuser.is_some(),
            runuser_at: runuser
                .filter(|p| !on_every_path(p))
                .map(|p| p.display().to_string()),
            windows: cfg!(windows),
            doctor_at: None,
        }
    }

    /// With the doctor's own program (`std::env::current_exe`), kept by its path where it is
    /// in none of the directories every shell's PATH has.
    pub fn with_doctor(mut self, exe: Option<&std::path::Path>) -> Self {
        self.doctor_at = exe
            .filter(|p| !on_every_path(p))
            .map(|p| p.display().to_string());
        self
    }
}

/// The doctor itself with `args`: by the path it runs from where another user's shell would
/// not find it by name (`Elevation::doctor_at`), so the line works when that user pastes it.
pub fn doctor(m: &Machine, args: &[&str]) -> Spec {
    let program = m
        .elevation
        .doctor_at
        .clone()
        .unwrap_or_else(|| "agent-rooms-doctor".into());
    cmd(std::iter::once(program).chain(args.iter().map(|a| a.to_string())))
}

/// In a directory that every shell's PATH has (a person's, a container's `/usr/bin:/bin`).
pub fn on_every_path(program: &std::path::Path) -> bool {
    program.parent().is_some_and(|d| {
        ["/usr/local/bin", "/usr/bin", "/bin"]
            .iter()
            .any(|c| d == std::path::Path::new(c))
    })
}

/// The machine a command is printed for: the doctor's own user, and what it has to become
/// another user and its shell family (`elevation.windows`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Machine {
    pub uid: u32,
    pub elevation: Elevation,
}

impl Machine {
    pub fn new(uid: u32, elevation: &Elevation) -> Self {
        Machine {
            uid,
            elevation: elevation.clone(),
        }
    }

    /// The catalogue's generic commands (`explain`): printed as they are, for no one in
    /// particular.
    pub fn generic() -> Self {
        Machine {
            uid: 0,
            elevation: Elevation {
                windows: cfg!(windows),
                ..Elevation::default()
            },
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Command {
    pub argv: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "env_map")]
    #[schemars(schema_with = "super::schema::string_map")]
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

use crate::raw_bytes::raw_byte;
pub use crate::raw_bytes::{os_word, path_word, word_bytes, word_of_bytes};

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
    if m.elevation.windows {
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
                let runuser = m
                    .elevation
                    .runuser_at
                    .as_deref()
                    .map_or("runuser".into(), quote);
                format!("{runuser} -u {name} -- {body}")
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
        } else if unprintable(ch) || raw_byte(ch).is_some() {
            // Its bytes as printf octal: a control character's UTF-8, or the one byte that is not
            // UTF-8 (in a file name) the character stands for.
            flush(&mut run, &mut out);
            let octal: String = word_bytes(ch.encode_utf8(&mut [0u8; 4]))
                .iter()
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
    // PowerShell reads a word that starts like a number as one (`1e5`, `0x1F`, `10mb`, `1.50`
    // become other text): such a word is bare only when it is digits alone.
    let unsigned = w.trim_start_matches('-');
    let numeric_start = unsigned
        .trim_start_matches('.')
        .starts_with(|c: char| c.is_ascii_digit());
    let plain = w
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || "-/\\_.".contains(c))
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:\\=".contains(c))
        && (!numeric_start
            || w.trim_start_matches('-')
                .chars()
                .all(|c| c.is_ascii_digit()));
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
#[path = "command_tests.rs"]
mod tests;
