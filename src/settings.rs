//! Connection settings and where each came from: flag, environment, or config.json. Pure: the
//! inputs are read elsewhere.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use crate::probes::files::FileMeta;
pub use crate::redact::Secret;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    #[serde(rename = "flag")]
    Flag(String),
    #[serde(rename = "env")]
    Env(String),
    #[serde(rename = "config.json")]
    Config(PathBuf),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Flag(s) => write!(f, "{s}"),
            Source::Env(v) => write!(f, "{v}"),
            Source::Config(p) => write!(f, "{}", p.display()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
}

/// The token and the file it lives in (for its permissions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSetting {
    pub token: Secret,
    pub source: Source,
    /// The file that holds it (token file or config.json) and that file's metadata.
    pub file: Option<(PathBuf, FileMeta)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub api_url: Option<Setting<String>>,
    pub token: Option<TokenSetting>,
    /// Why --token-file could not be used, if it was given and failed.
    pub token_file_problem: Option<String>,
    pub host: Option<Setting<String>>,
}

/// What reading `--token-file` gave: its text and metadata, or why not.
pub type TokenFileRead = Result<(String, FileMeta), String>;

/// Everything the settings are chosen from.
pub struct Inputs<'a> {
    pub flag_api_url: Option<&'a str>,
    pub flag_token_file: Option<(PathBuf, TokenFileRead)>,
    pub flag_host: Option<&'a str>,
    pub env_api_url: Option<&'a str>,
    pub env_token: Option<&'a str>,
    /// Whose environment the `env_*` values came from, when not the doctor's own (e.g.
    /// "listener pid 42"): said beside the variable's name.
    pub env_whose: Option<&'a str>,
    pub config: Option<&'a crate::install::Config>,
    pub config_file: Option<(PathBuf, FileMeta)>,
}

/// Flags win over the environment, which wins over config.json. Empty values count as unset.
pub fn choose(i: Inputs) -> Settings {
    let env = |name: &str| {
        Source::Env(match i.env_whose {
            Some(w) => format!("{name} of {w}"),
            None => name.to_string(),
        })
    };
    let cfg_path = i
        .config_file
        .as_ref()
        .map(|(p, _)| p.clone())
        .unwrap_or_default();
    let config = |f: fn(&crate::install::Config) -> Option<&String>| {
        nonempty(i.config.and_then(f).map(String::as_str))
    };
    let api_url = first([
        (nonempty(i.flag_api_url), Source::Flag("--api-url".into())),
        (nonempty(i.env_api_url), env("AGENT_ROOMS_API_URL")),
        (
            config(|c| c.api_url.as_ref()),
            Source::Config(cfg_path.clone()),
        ),
    ]);
    let mut out = Settings {
        api_url,
        ..Settings::default()
    };
    if let Some((path, read)) = i.flag_token_file {
        match token_file(path, read) {
            Ok(t) => out.token = Some(t),
            Err(why) => out.token_file_problem = Some(why),
        }
    }
    if out.token.is_none() && out.token_file_problem.is_none() {
        out.token = first([
            (nonempty(i.env_token), env("AGENT_ROOMS_TOKEN")),
            (
                config(|c| c.token.as_ref()),
                Source::Config(cfg_path.clone()),
            ),
        ])
        .map(|t| TokenSetting {
            token: Secret(t.value),
            file: matches!(t.source, Source::Config(_))
                .then(|| i.config_file.clone())
                .flatten(),
            source: t.source,
        });
    }
    out.host = first([
        (nonempty(i.flag_host), Source::Flag("--host".into())),
        (config(|c| c.host.as_ref()), Source::Config(cfg_path)),
    ]);
    out
}

/// A value given, trimmed; None when unset or blank.
fn nonempty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The first value set, with where it came from (the order is the precedence).
fn first<const N: usize>(candidates: [(Option<String>, Source); N]) -> Option<Setting<String>> {
    candidates
        .into_iter()
        .find_map(|(v, source)| v.map(|value| Setting { value, source }))
}

/// The token in `--token-file`, or why that file cannot be used.
fn token_file(path: PathBuf, read: TokenFileRead) -> Result<TokenSetting, String> {
    match read {
        Ok((t, meta)) if !t.trim().is_empty() => Ok(TokenSetting {
            token: Secret(t.trim().to_string()),
            source: Source::Flag(format!("--token-file {}", path.display())),
            file: Some((path, meta)),
        }),
        Ok(_) => Err(format!("{} (--token-file) is empty", path.display())),
        Err(e) => Err(format!(
            "{} (--token-file) cannot be used: {e}",
            path.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::install::Config;

    fn meta() -> FileMeta {
        FileMeta {
            size: 1,
            mode: 0o600,
            uid: 0,
            modified: 0,
            link_to: None,
        }
    }

    fn inputs<'a>(cfg: &'a Config) -> Inputs<'a> {
        Inputs {
            flag_api_url: None,
            flag_token_file: None,
            flag_host: None,
            env_api_url: None,
            env_token: None,
            env_whose: None,
            config: Some(cfg),
            config_file: Some(("/h/config.json".into(), meta())),
        }
    }

    #[test]
    fn flag_beats_env_beats_config() {
        let cfg = Config {
            api_url: Some("https://cfg".into()),
            token: Some("cfgtoken".into()),
            host: Some("codex".into()),
            agent_id: None,
        };
        let s = choose(inputs(&cfg));
        assert_eq!(
            s.api_url.unwrap().source,
            Source::Config("/h/config.json".into())
        );
        assert_eq!(s.token.unwrap().token.expose(), "cfgtoken");
        let s = choose(Inputs {
            env_api_url: Some("https://env"),
            env_token: Some("envtoken"),
            ..inputs(&cfg)
        });
        assert_eq!(s.api_url.as_ref().unwrap().value, "https://env");
        let t = s.token.unwrap();
        assert_eq!((t.token.expose(), t.file), ("envtoken", None));
        assert_eq!(t.source, Source::Env("AGENT_ROOMS_TOKEN".into()));
        // A listener's environment is named as the listener's.
        let s = choose(Inputs {
            env_token: Some("envtoken"),
            env_whose: Some("listener pid 42"),
            ..inputs(&cfg)
        });
        assert_eq!(
            s.token.unwrap().source.to_string(),
            "AGENT_ROOMS_TOKEN of listener pid 42"
        );
        let s = choose(Inputs {
            flag_api_url: Some("https://flag"),
            env_api_url: Some("https://env"),
            flag_token_file: Some(("/t".into(), Ok(("filetoken\n".into(), meta())))),
            flag_host: Some("claude"),
            ..inputs(&cfg)
        });
        assert_eq!(s.api_url.unwrap().value, "https://flag");
        assert_eq!(s.token.unwrap().token.expose(), "filetoken");
        assert_eq!(s.host.unwrap().value, "claude");
    }

    #[test]
    fn a_broken_token_file_is_said_and_not_silently_replaced() {
        let cfg = Config {
            token: Some("cfgtoken".into()),
            ..Config::default()
        };
        let s = choose(Inputs {
            flag_token_file: Some(("/t".into(), Err("No such file".into()))),
            ..inputs(&cfg)
        });
        assert!(s.token.is_none());
        assert!(s
            .token_file_problem
            .unwrap()
            .contains("/t (--token-file) cannot be used"));
    }

    #[test]
    fn secrets_serialise_masked() {
        let s = serde_json::to_string(&Secret("ar_live_0123456789abcdef".into())).unwrap();
        assert_eq!(s, "\"ar_l…(24 chars, #39639f)\"");
        assert_eq!(
            format!("{:?}", Secret("ar_live_0123456789abcdef".into())),
            "ar_l…(24 chars, #39639f)"
        );
    }
}
