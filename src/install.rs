//! The agent-rooms installation being judged: which home, why, and its three files
//! (config.json, device.json, listener.json) parsed into plain data. Parsing is pure; reading
//! goes through `probes::files`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub use crate::probes::files::Loaded;
use crate::probes::files::{self, FileRead};
pub use crate::probes::processes::HomeEnv;

/// config.json. Unknown fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Config {
    pub api_url: Option<String>,
    pub token: Option<String>,
    pub host: Option<String>,
    pub agent_id: Option<String>,
}

/// device.json, written by pairing.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Device {
    pub device_id: String,
    pub name: Option<String>,
    pub paired_at: Option<String>,
    pub owner_id: Option<String>,
}

/// listener.json, written by a running listener every 30 s.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ListenerState {
    pub pid: Option<u32>,
    pub started_at: Option<String>,
    pub heartbeat_at: Option<String>,
    pub version: Option<String>,
    pub connected: Option<bool>,
    /// Where the listener writes its log, when it says.
    pub log_file: Option<String>,
}

/// A heartbeat older than this means the listener is stuck (it writes one every 30 s).
pub const STALE_AFTER_SECS: i64 = 90;

/// Parse what was read of `path` as JSON of type `T`.
pub fn parse<T: DeserializeOwned>(path: &Path, read: FileRead) -> Loaded<T> {
    let name = path.display();
    match read {
        FileRead::Missing => Loaded::Missing,
        FileRead::NotAFile(kind) => Loaded::Invalid(format!("{name} is {kind}, not a file")),
        FileRead::TooLarge(n) => Loaded::Invalid(format!(
            "{name} is {n} bytes, over the {} byte limit; not read",
            files::CAP
        )),
        FileRead::Unreadable(e) => Loaded::Invalid(format!("{name} cannot be read: {e}")),
        FileRead::Denied(e) => Loaded::Denied(format!("{name} cannot be read by the doctor: {e}")),
        // A UTF-8 byte-order mark (some editors write one) is not part of the JSON.
        FileRead::Read { bytes, meta } => {
            match serde_json::from_slice::<T>(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
            {
                Ok(t) => Loaded::Ok(t, meta),
                Err(e) => {
                    let what = match e.classify() {
                        serde_json::error::Category::Data => {
                            "has a wrong type or is missing a field"
                        }
                        serde_json::error::Category::Eof => "is truncated or empty JSON",
                        _ => "is not valid JSON",
                    };
                    // serde's text ends with " at line L column C"; keep ours in one place.
                    let detail = e.to_string();
                    let detail = detail.split(" at line ").next().unwrap_or("").to_string();
                    Loaded::Invalid(format!(
                        "{name} {what} at line {} column {}: {detail}",
                        e.line(),
                        e.column()
                    ))
                }
            }
        }
    }
}

/// Read and parse one file of the home.
pub fn load<T: DeserializeOwned>(path: &Path) -> Loaded<T> {
    parse(path, files::read_capped(path, files::CAP))
}

/// The agent-rooms home of a user with `env` (and, when `env.home` is unknown, passwd `home`):
/// AGENT_ROOMS_HOME, else $XDG_CONFIG_HOME/agent-rooms, else the platform config dir.
pub fn home_for(env: &HomeEnv, passwd_home: Option<&Path>) -> Option<PathBuf> {
    home_on(std::env::consts::OS, env, passwd_home)
}

/// `home_for` on `os` ("linux", "macos", "windows"): the platform config dir is
/// `~/.config`, `~/Library/Application Support`, or `%APPDATA%` (else `~\AppData\Roaming`).
pub fn home_on(os: &str, env: &HomeEnv, passwd_home: Option<&Path>) -> Option<PathBuf> {
    let set = |v: &Option<String>| v.as_deref().filter(|s| !s.is_empty()).map(PathBuf::from);
    if let Some(h) = set(&env.agent_rooms_home) {
        return Some(h);
    }
    if let Some(x) = set(&env.xdg_config_home) {
        return Some(x.join("agent-rooms"));
    }
    if os == "windows" {
        if let Some(a) = set(&env.appdata) {
            return Some(a.join("agent-rooms"));
        }
    }
    let home = set(&env.home).or_else(|| passwd_home.map(Path::to_path_buf))?;
    Some(match os {
        "macos" => home.join("Library/Application Support/agent-rooms"),
        "windows" => home.join("AppData").join("Roaming").join("agent-rooms"),
        _ => home.join(".config/agent-rooms"),
    })
}

/// Which home is judged and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HomeChoice {
    pub path: Option<PathBuf>,
    pub why: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probes::files::FileMeta;

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let meta = FileMeta {
            size: 0,
            mode: 0o600,
            uid: 0,
            modified: 0,
            link_to: None,
        };
        let read = |b: &[u8]| FileRead::Read {
            bytes: b.to_vec(),
            meta: meta.clone(),
        };
        let got: Loaded<Config> = parse(
            Path::new("config.json"),
            read(b"\xEF\xBB\xBF{\"host\": \"codex\"}"),
        );
        assert_eq!(
            got.ok().and_then(|c| c.host.clone()).as_deref(),
            Some("codex")
        );
        // Only at the start: a BOM elsewhere is bad JSON.
        let bad: Loaded<Config> = parse(Path::new("config.json"), read(b"{\xEF\xBB\xBF}"));
        assert!(matches!(bad, Loaded::Invalid(_)));
    }

    #[cfg(unix)]
    fn env(a: Option<&str>, x: Option<&str>, h: Option<&str>) -> HomeEnv {
        HomeEnv {
            agent_rooms_home: a.map(Into::into),
            xdg_config_home: x.map(Into::into),
            home: h.map(Into::into),
            appdata: None,
        }
    }

    // Unix paths as the expected text: Unix only (the Windows unit tests run on GitHub and under Wine).
    #[cfg(unix)]
    #[test]
    fn home_order_is_env_then_xdg_then_platform() {
        assert_eq!(
            home_for(&env(Some("/a"), Some("/x"), Some("/h")), None),
            Some("/a".into())
        );
        assert_eq!(
            home_for(&env(None, Some("/x"), Some("/h")), None),
            Some("/x/agent-rooms".into())
        );
        assert_eq!(
            home_for(&env(Some(""), None, Some("/h")), None),
            Some("/h/.config/agent-rooms".into())
        );
        assert_eq!(
            home_for(&env(None, None, None), Some(Path::new("/p"))),
            Some("/p/.config/agent-rooms".into())
        );
        assert_eq!(home_for(&env(None, None, None), None), None);
    }

    // Unix paths as the expected text (the rule itself is pure): Unix only (the Windows unit
    // tests run on GitHub and under Wine).
    #[cfg(unix)]
    #[test]
    fn each_platform_has_its_config_dir() {
        let h = env(None, None, Some("/h"));
        let on = |os, e: &HomeEnv| home_on(os, e, None).map(|p| p.display().to_string());
        assert_eq!(
            on("macos", &h).as_deref(),
            Some("/h/Library/Application Support/agent-rooms")
        );
        assert_eq!(on("linux", &h).as_deref(), Some("/h/.config/agent-rooms"));
        assert_eq!(
            on("windows", &h).as_deref(),
            Some("/h/AppData/Roaming/agent-rooms")
        );
        let with_appdata = HomeEnv {
            appdata: Some("/roam".into()),
            ..h.clone()
        };
        assert_eq!(
            on("windows", &with_appdata).as_deref(),
            Some("/roam/agent-rooms")
        );
        // APPDATA means nothing elsewhere; AGENT_ROOMS_HOME wins everywhere.
        assert_eq!(
            on("linux", &with_appdata).as_deref(),
            Some("/h/.config/agent-rooms")
        );
        let own = HomeEnv {
            agent_rooms_home: Some("/a".into()),
            ..with_appdata
        };
        assert_eq!(on("windows", &own).as_deref(), Some("/a"));
    }

    #[test]
    fn bad_files_name_themselves_and_where() {
        let p = Path::new("/h/config.json");
        let read = |b: &[u8]| FileRead::Read {
            bytes: b.to_vec(),
            meta: FileMeta {
                size: 0,
                mode: 0o600,
                uid: 0,
                modified: 0,
                link_to: None,
            },
        };
        let Loaded::Invalid(why) = parse::<Config>(p, read(b"{\n  \"api_url\": 5\n}")) else {
            panic!()
        };
        assert!(
            why.contains("/h/config.json") && why.contains("wrong type") && why.contains("line 2"),
            "{why}"
        );
        let Loaded::Invalid(why) = parse::<Config>(p, read(b"{\"api_url\": ")) else {
            panic!()
        };
        assert!(why.contains("truncated"), "{why}");
        let Loaded::Invalid(why) = parse::<Config>(p, read(b"not json")) else {
            panic!()
        };
        assert!(
            why.contains("not valid JSON") && why.contains("line 1 column 2"),
            "{why}"
        );
        let Loaded::Invalid(why) = parse::<Config>(p, FileRead::NotAFile("a directory")) else {
            panic!()
        };
        assert!(why.contains("is a directory"));
        let Loaded::Invalid(why) = parse::<Config>(p, FileRead::TooLarge(5 << 20)) else {
            panic!()
        };
        assert!(why.contains("over the"));
        assert!(matches!(
            parse::<Config>(p, read(b"{\"extra\": [1], \"host\": \"codex\"}")),
            Loaded::Ok(Config { host: Some(_), .. }, _)
        ));
        assert!(matches!(
            parse::<Device>(p, read(b"{}")),
            Loaded::Invalid(_)
        ));
    }
}
