//! Host CLIs: run a status command (stdin closed, bounded time, killed on expiry, output capped,
//! a chosen environment), read `--version`, and inspect credential files without returning a secret.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::command;
pub use super::command::{first_line, CmdResult};
use super::files::Loaded;
use super::files::{self, FileMeta, FileRead};
use crate::redact::Found;

/// Output kept of a status command, per stream.
const OUTPUT_CAP: usize = 16 * 1024;

/// Run `program args` with exactly `env` (when given; else the doctor's own), within `limit`,
/// keeping at most 16 KiB of each stream.
pub async fn run_status(
    program: &Path,
    args: &[&str],
    env: Option<&[(String, String)]>,
    limit: Duration,
) -> CmdResult {
    command::run(program, args, env, limit, OUTPUT_CAP).await
}

/// A credential file: what came of reading it, and which fields hold values (never its secrets).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "CredWire", into = "CredWire")]
pub struct CredFile {
    pub path: PathBuf,
    /// Its metadata, also when it could not be read.
    pub meta: Option<FileMeta>,
    pub read: Loaded<Creds>,
    /// The values of the fields whose names say they are secrets: never serialised.
    pub secrets: Found,
}

/// Which of a credential file's fields hold values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Creds {
    pub has_refresh_token: bool,
    pub has_access_token: bool,
    pub has_api_key: bool,
    /// An expiry field, as written (ms or s since the epoch, or text).
    pub expiry: Option<String>,
}

const NO_CREDS: Creds = Creds {
    has_refresh_token: false,
    has_access_token: false,
    has_api_key: false,
    expiry: None,
};

impl CredFile {
    /// A credential file as the doctor found it at `path`.
    pub fn new(path: &Path, read: Loaded<Creds>) -> Self {
        CredFile {
            path: path.to_path_buf(),
            meta: None,
            read,
            secrets: Found::default(),
        }
    }
    /// What it holds (nothing when it was not read).
    pub fn creds(&self) -> &Creds {
        self.read.ok().unwrap_or(&NO_CREDS)
    }
    /// It holds a login that lasts: a refresh token or an API key.
    pub fn holds_a_login(&self) -> bool {
        self.creds().has_refresh_token || self.creds().has_api_key
    }

    /// With the file's metadata (also known of a file that could not be read).
    fn with_meta(mut self, meta: Option<FileMeta>) -> Self {
        self.meta = meta;
        self
    }
}

#[cfg(test)]
impl CredFile {
    /// A credential file read whole at `path` (hand-built facts): which of a refresh token, an
    /// access token and an API key it holds.
    pub fn holding(path: &str, refresh: bool, access: bool, key: bool) -> Self {
        let creds = Creds {
            has_refresh_token: refresh,
            has_access_token: access,
            has_api_key: key,
            expiry: None,
        };
        CredFile::new(Path::new(path), Loaded::Ok(creds, FileMeta::default()))
    }
}

/// A credential file as schema 1 records it: `problem` (why it was not read: "missing", or the
/// reason) beside the fields.
#[derive(Serialize, Deserialize)]
struct CredWire {
    path: PathBuf,
    meta: Option<FileMeta>,
    problem: Option<String>,
    #[serde(flatten)]
    creds: Creds,
}

impl From<CredFile> for CredWire {
    fn from(c: CredFile) -> Self {
        CredWire {
            problem: c.read.why_not().map(str::to_string),
            creds: c.creds().clone(),
            path: c.path,
            meta: c.meta,
        }
    }
}

impl From<CredWire> for CredFile {
    fn from(w: CredWire) -> Self {
        let read = match w.problem.as_deref() {
            None => Loaded::Ok(w.creds, w.meta.clone().unwrap_or_default()),
            Some("missing") => Loaded::Missing,
            Some(why) => Loaded::Invalid(why.to_string()),
        };
        CredFile {
            path: w.path,
            meta: w.meta,
            read,
            secrets: Found::default(),
        }
    }
}

fn nonempty_str(v: Option<&serde_json::Value>) -> bool {
    v.and_then(|v| v.as_str())
        .is_some_and(|s| !s.trim().is_empty())
}

/// Look into one credential file: which fields hold values (never the values).
pub fn read_cred_file(path: &Path) -> CredFile {
    let not_read = |read| CredFile::new(path, read);
    let (bytes, meta) = match files::read_capped(path, 256 * 1024) {
        FileRead::Read { bytes, meta } => (bytes, meta),
        FileRead::Missing => return not_read(Loaded::Missing),
        FileRead::NotAFile(k) => return not_read(Loaded::Invalid(format!("is {k}"))),
        FileRead::TooLarge(n) => return not_read(Loaded::Invalid(format!("{n} bytes, too large"))),
        FileRead::Unreadable(e) => {
            return not_read(Loaded::Invalid(format!("unreadable: {e}")))
                .with_meta(files::stat(path))
        }
        FileRead::Denied(e) => {
            return not_read(Loaded::Denied(format!("unreadable: {e}")))
                .with_meta(files::stat(path))
        }
    };
    let v: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            let why = format!("not JSON: line {} column {}", e.line(), e.column());
            return not_read(Loaded::Invalid(why)).with_meta(Some(meta));
        }
    };
    // codex: tokens.refresh_token, OPENAI_API_KEY; claude: claudeAiOauth.refreshToken/expiresAt;
    // gemini: refresh_token/expiry_date; others: the same names at the top level.
    let mut creds = Creds::default();
    let scopes = [Some(&v), v.get("tokens"), v.get("claudeAiOauth")];
    for o in scopes.into_iter().flatten() {
        read_scope(o, &mut creds);
    }
    let mut c = not_read(Loaded::Ok(creds, meta.clone())).with_meta(Some(meta));
    secret_fields(&v, &mut c.secrets);
    c
}

/// What one object of a credential file holds: a refresh token, an access token, an API key, an
/// expiry (under the names each host uses).
fn read_scope(o: &serde_json::Value, c: &mut Creds) {
    c.has_refresh_token |=
        nonempty_str(o.get("refresh_token")) || nonempty_str(o.get("refreshToken"));
    c.has_access_token |= nonempty_str(o.get("access_token")) || nonempty_str(o.get("accessToken"));
    c.has_api_key |= nonempty_str(o.get("OPENAI_API_KEY"))
        || nonempty_str(o.get("apiKey"))
        || nonempty_str(o.get("api_key"));
    for k in ["expiresAt", "expiry_date", "expires_at"] {
        if let Some(e) = o.get(k).filter(|e| !e.is_null()) {
            c.expiry = Some(match e {
                serde_json::Value::String(s) => s.chars().take(40).collect(),
                other => other.to_string().chars().take(40).collect(),
            });
        }
    }
}

/// The values of every field whose name says it holds a secret (`redact::secret_field`): read,
/// never shown, and masked wherever they reappear (a host CLI's own output).
fn secret_fields(v: &serde_json::Value, found: &mut Found) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, val) in m {
                match val {
                    serde_json::Value::String(s) if crate::redact::secret_field(k) => {
                        found.value(s)
                    }
                    other => secret_fields(other, found),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| secret_fields(v, found)),
        _ => {}
    }
}

/// A setting's value as written, without the spaces and the quotes around it.
pub fn unquote(v: &str) -> &str {
    v.trim().trim_matches(|c| c == '"' || c == '\'')
}

fn text_of(path: &Path) -> Option<String> {
    match files::read_capped(path, 256 * 1024) {
        FileRead::Read { bytes, .. } => Some(String::from_utf8_lossy(&bytes).into_owned()),
        _ => None,
    }
}

/// The value of a setting: a dotted `key` (`security.auth.selectedType`) in a JSON file, or a
/// top-level `key = "value"` in a TOML file (a line-level look, before any `[table]`: enough for
/// codex's config.toml).
pub fn toml_value(path: &Path, key: &str) -> Option<String> {
    let text = text_of(path)?;
    if path.extension().is_some_and(|e| e == "json") {
        let v: serde_json::Value =
            serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
        let found = key.split('.').try_fold(&v, |v, k| v.get(k))?;
        return found.as_str().map(str::to_string);
    }
    text.lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with('['))
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            let v = v.split(" #").next().unwrap_or(v);
            (k.trim() == key).then(|| unquote(v).to_string())
        })
}

/// Variables a host reads from a file, among `names`: a JSON settings file's `env` object (and
/// its top-level `apiKeyHelper`), a `.env` file's `NAME=value` lines, or gh's `hosts.yml`
/// `oauth_token` (as `gh oauth_token`). Values are secrets: the caller keeps them as `Secret`s.
pub fn vars_in_file(path: &Path, kind: VarFile, names: &[&str]) -> Vec<(String, String)> {
    let Some(text) = text_of(path) else {
        return vec![];
    };
    let mut out: Vec<(String, String)> = match kind {
        VarFile::JsonEnv => {
            let v: serde_json::Value =
                serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap_or_default();
            let mut out: Vec<(String, String)> = v
                .get("env")
                .and_then(|e| e.as_object())
                .map(|e| {
                    e.iter()
                        .filter(|(k, _)| names.contains(&k.as_str()))
                        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                        .collect()
                })
                .unwrap_or_default();
            if let Some(h) = v.get("apiKeyHelper").and_then(|h| h.as_str()) {
                out.push(("apiKeyHelper".into(), h.to_string()));
            }
            out
        }
        VarFile::Dotenv => text
            .lines()
            .filter_map(|l| {
                let l = l.trim().trim_start_matches("export ");
                let (k, v) = l.split_once('=')?;
                let k = k.trim();
                names
                    .contains(&k)
                    .then(|| (k.to_string(), unquote(v).to_string()))
            })
            .collect(),
        VarFile::GhHosts => gh_token(&text)
            .map(|v| ("gh oauth_token".to_string(), v))
            .into_iter()
            .collect(),
    };
    out.retain(|(_, v)| !v.trim().is_empty());
    out
}

/// github.com's active account's token in gh's `hosts.yml`: gh keeps several hosts (an
/// enterprise host's token is not github.com's) and, since gh 2.40, several accounts per host
/// (`users:`, the active one named by `user:`). The active account's token under `users:`, else
/// the host's own `oauth_token:` (older gh, or gh's copy of the active one); none when gh keeps
/// it in the system keyring.
fn gh_token(text: &str) -> Option<String> {
    let mut in_github = false;
    let mut host_indent = None;
    let (mut active, mut host_token) = (None, None);
    let mut accounts: Vec<(String, String)> = vec![];
    let (mut in_users, mut account) = (false, None::<String>);
    for line in text.lines() {
        let body = line.trim();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let Some((key, value)) = body.split_once(':') else {
            continue;
        };
        let (key, value) = (unquote(key.trim()), unquote(value.trim()));
        if indent == 0 {
            in_github = key == "github.com";
            host_indent = None;
            continue;
        }
        if !in_github {
            continue;
        }
        let level = *host_indent.get_or_insert(indent);
        if indent == level {
            in_users = key == "users";
            account = None;
            match key {
                "user" => active = Some(value.to_string()),
                "oauth_token" => host_token = Some(value.to_string()),
                _ => {}
            }
        } else if in_users && value.is_empty() {
            account = Some(key.to_string());
        } else if let (true, Some(a), "oauth_token") = (in_users, &account, key) {
            accounts.push((a.clone(), value.to_string()));
        }
    }
    let of_active = active.and_then(|u| accounts.into_iter().find(|(a, _)| *a == u));
    of_active.map(|(_, t)| t).or(host_token)
}

/// The kinds of file `vars_in_file` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarFile {
    JsonEnv,
    Dotenv,
    GhHosts,
}

#[cfg(test)]
mod tests {
    use super::*;

    // `/bin/sh` status commands: Unix only (the Windows unit tests run on GitHub and under Wine).
    #[cfg(unix)]
    #[tokio::test]
    async fn status_commands_are_bounded_and_captured() {
        let r = run_status(
            Path::new("/bin/sh"),
            &["-c", "echo out; echo err >&2; exit 3"],
            Some(&[("PATH".into(), "/bin:/usr/bin".into())]),
            Duration::from_secs(5),
        )
        .await;
        assert_eq!(
            r,
            CmdResult::Exited {
                code: Some(3),
                stdout: "out\n".into(),
                stderr: "err\n".into()
            }
        );
        let t = std::time::Instant::now();
        let r = run_status(
            Path::new("/bin/sleep"),
            &["30"],
            None,
            Duration::from_millis(200),
        )
        .await;
        assert_eq!(r, CmdResult::TimedOut { after_ms: 200 });
        assert!(t.elapsed() < Duration::from_secs(5));
        let r = run_status(
            Path::new("/nonexistent/codex"),
            &[],
            None,
            Duration::from_secs(1),
        )
        .await;
        assert!(matches!(r, CmdResult::NotStarted { .. }));
        // stdin is closed: a command that reads it ends at once.
        let r = run_status(Path::new("/bin/cat"), &[], None, Duration::from_secs(5)).await;
        assert!(matches!(r, CmdResult::Exited { code: Some(0), .. }));
    }

    /// A status command that overran is ended with everything it started: its whole process
    /// group, not only the process the doctor started.
    // `/bin/sh` status commands: Unix only (the Windows unit tests run on GitHub and under Wine).
    #[cfg(unix)]
    #[tokio::test]
    async fn a_timed_out_status_command_leaves_nothing_running() {
        let d = tempfile::tempdir().unwrap();
        let pidfile = d.path().join("bg.pid");
        let script = format!(
            "/bin/sleep 60 & echo $! > {}; /bin/sleep 60",
            pidfile.display()
        );
        let r = run_status(
            Path::new("/bin/sh"),
            &["-c", &script],
            None,
            Duration::from_millis(500),
        )
        .await;
        assert_eq!(r, CmdResult::TimedOut { after_ms: 500 });
        let bg: u32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // Gone, or a zombie waiting to be reaped: either way no longer running.
        let running = || {
            std::fs::read_to_string(format!("/proc/{bg}/stat"))
                .ok()
                .and_then(|s| {
                    s.rsplit(')')
                        .next()
                        .map(|r| r.trim_start().starts_with('Z'))
                })
                .is_some_and(|zombie| !zombie)
        };
        let t = std::time::Instant::now();
        while running() && t.elapsed() < Duration::from_secs(5) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(
            !running(),
            "the background sleep {bg} outlived its timed-out parent"
        );
    }

    #[test]
    fn variables_are_read_from_settings_dotenv_and_gh_files() {
        let d = tempfile::tempdir().unwrap();
        let p = |n: &str, t: &str| {
            let p = d.path().join(n);
            std::fs::write(&p, t).unwrap();
            p
        };
        let names = &["ANTHROPIC_API_KEY", "GEMINI_API_KEY"];
        let s = p(
            "settings.json",
            r#"{"env": {"ANTHROPIC_API_KEY": "sk-ant-fromsettings1", "OTHER": "x"}, "apiKeyHelper": "~/bin/key.sh"}"#,
        );
        assert_eq!(
            vars_in_file(&s, VarFile::JsonEnv, names),
            vec![
                (
                    "ANTHROPIC_API_KEY".to_string(),
                    "sk-ant-fromsettings1".to_string()
                ),
                ("apiKeyHelper".to_string(), "~/bin/key.sh".to_string())
            ]
        );
        let e = p(
            ".env",
            "# comment\nexport GEMINI_API_KEY=\"AIzaFromDotenv123\"\nOTHER=1\nANTHROPIC_API_KEY=\n",
        );
        assert_eq!(
            vars_in_file(&e, VarFile::Dotenv, names),
            vec![(
                "GEMINI_API_KEY".to_string(),
                "AIzaFromDotenv123".to_string()
            )]
        );
        let g = p(
            "hosts.yml",
            "github.com:\n    user: alice\n    oauth_token: gho_fromgh0123\n    git_protocol: https\n",
        );
        assert_eq!(
            vars_in_file(&g, VarFile::GhHosts, &[]),
            vec![("gh oauth_token".to_string(), "gho_fromgh0123".to_string())]
        );
        // Issue 39: an enterprise host first, then github.com with two accounts (gh 2.40+):
        // github.com's active account's token, not the first `oauth_token:` of the file.
        let g = p(
            "hosts.yml",
            "ghe.example.com:\n    user: corp\n    oauth_token: gho_enterprise01\ngithub.com:\n    \
                git_protocol: https\n    users:\n        bob:\n            oauth_token: \
                gho_bobsaccount1\n        alice:\n            oauth_token: gho_alicesactive\n    \
                user: alice\n",
        );
        assert_eq!(
            vars_in_file(&g, VarFile::GhHosts, &[]),
            vec![("gh oauth_token".to_string(), "gho_alicesactive".to_string())]
        );
        // The token in the keyring (`alice: {}` and no host token): none in the file.
        let g = p(
            "hosts.yml",
            "ghe.example.com:\n    oauth_token: gho_enterprise01\ngithub.com:\n    users:\n        \
                alice: {}\n    user: alice\n",
        );
        assert!(vars_in_file(&g, VarFile::GhHosts, &[]).is_empty());
        assert!(vars_in_file(&d.path().join("none"), VarFile::Dotenv, names).is_empty());
        assert!(crate::redact::redact_text("sk-ant-fromsettings1").contains("…"));
        let t = p(
            "config.toml",
            concat!(
                "# c\ncli_auth_credentials_store = \"keyring\" # why\nmodel = \"o3\"\n",
                "[profiles.x]\ncli_auth_credentials_store = \"file\"\n",
            ),
        );
        assert_eq!(
            toml_value(&t, "cli_auth_credentials_store").as_deref(),
            Some("keyring")
        );
        assert_eq!(toml_value(&t, "nope"), None);
        let j = p(
            "settings.json",
            r#"{"security": {"auth": {"selectedType": "gemini-api-key"}}}"#,
        );
        assert_eq!(
            toml_value(&j, "security.auth.selectedType").as_deref(),
            Some("gemini-api-key")
        );
        assert_eq!(toml_value(&j, "security.auth.other"), None);
    }

    #[test]
    fn credential_files_say_what_they_hold_not_the_secret() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("auth.json");
        std::fs::write(
            &p,
            r#"{"auth_mode":"chatgpt","OPENAI_API_KEY":null,"tokens":{"access_token":"at-SECRET",
            "refresh_token":"rt-SECRET"},"last_refresh":"2026-11-01T00:00:00Z"}"#,
        )
        .unwrap();
        let c = read_cred_file(&p);
        let r = c.creds();
        assert!(
            r.has_refresh_token && r.has_access_token && !r.has_api_key && c.read.ok().is_some()
        );
        assert!(!serde_json::to_string(&c).unwrap().contains("SECRET"));
        let p2 = d.path().join(".credentials.json");
        std::fs::write(
            &p2,
            r#"{"claudeAiOauth":{"accessToken":"a","refreshToken":"","expiresAt":1795608000000}}"#,
        )
        .unwrap();
        let c = read_cred_file(&p2);
        assert!(!c.creds().has_refresh_token && c.creds().has_access_token);
        assert_eq!(c.creds().expiry.as_deref(), Some("1795608000000"));
        assert_eq!(read_cred_file(&d.path().join("none")).read, Loaded::Missing);
        std::fs::write(&p2, "{oops").unwrap();
        let bad = read_cred_file(&p2);
        assert!(
            bad.read.why_not().unwrap().starts_with("not JSON"),
            "{bad:?}"
        );
        // Recorded as schema 1 has it, and read back the same.
        for c in [c, bad, read_cred_file(&d.path().join("none"))] {
            let json = serde_json::to_value(&c).unwrap();
            assert!(
                json.get("problem").is_some() && json.get("has_api_key").is_some(),
                "{json}"
            );
            assert_eq!(
                serde_json::from_value::<CredFile>(json).unwrap().read,
                c.read
            );
        }
        let t = d.path().join("config.toml");
        std::fs::write(
            &t,
            "model = \"o3\"\ncli_auth_credentials_store = \"keyring\"\n",
        )
        .unwrap();
        assert_eq!(
            toml_value(&t, "cli_auth_credentials_store").as_deref(),
            Some("keyring")
        );
        assert_eq!(toml_value(&t, "model").as_deref(), Some("o3"));
    }
}
