//! Whose view the connection settings are judged from: the chosen listener's environment where
//! it can be read, else the doctor's own (and why); and where the doctor's own shell differs.

use serde::{Deserialize, Serialize};
use std::path::Path;

use crate::probes::http::Net;
use crate::probes::processes::{EnvRead, ListenerProc, ProcessEnv};
use crate::settings::Settings;

/// Whose view is judged: the chosen listener's environment where it is readable, else the
/// doctor's own (and why); and where the doctor's own view differs, said once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeenAs {
    /// "listener pid 42 (user alice)", or "your environment".
    pub whose: String,
    pub listener_pid: Option<u32>,
    /// Why the doctor's own environment stands in, when it does.
    pub doctor_stands_in: Option<String>,
    /// What the doctor's own shell would use instead, where it differs.
    pub differs: Vec<Difference>,
}

/// One setting the listener and the doctor's own shell disagree on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    pub what: String,
    pub listener: String,
    pub yours: String,
}

impl SeenAs {
    /// "the listener's view (pid 42); your shell differs in API URL (…) and proxy (…)", or None
    /// when there is nothing to say.
    pub fn said(&self) -> Option<String> {
        if self.differs.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .differs
            .iter()
            .map(|d| format!("{} {} (yours: {})", d.what, d.listener, d.yours))
            .collect();
        Some(format!(
            "judged as {} sees it, which differs from your shell: {}",
            self.whose,
            parts.join("; ")
        ))
    }
}

/// The environment whose settings are judged, and whose it is.
pub struct View {
    pub env: Option<ProcessEnv>,
    pub seen_as: SeenAs,
}

impl View {
    /// The listener's environment where readable; else the doctor's stands in, and the facts
    /// say why and what was not seen.
    pub fn of(listener: Option<&ListenerProc>) -> View {
        let Some(l) = listener else {
            return View {
                env: None,
                seen_as: SeenAs {
                    whose: "your environment".into(),
                    doctor_stands_in: Some(
                        "no listener is running: your environment stands in".into(),
                    ),
                    ..SeenAs::default()
                },
            };
        };
        let whose = format!("listener pid {} (user {})", l.pid, l.user.name);
        match &l.env {
            EnvRead::Readable(e) => View {
                env: Some((**e).clone()),
                seen_as: SeenAs {
                    whose,
                    listener_pid: Some(l.pid),
                    ..SeenAs::default()
                },
            },
            EnvRead::Unreadable(why) => View {
                env: None,
                seen_as: SeenAs {
                    whose: "your environment".into(),
                    listener_pid: Some(l.pid),
                    doctor_stands_in: Some(format!(
                        "the environment of {whose} is not readable ({why}): its AGENT_ROOMS_TOKEN, \
                            AGENT_ROOMS_API_URL and proxy settings are not seen; your environment \
                            stands in"
                    )),
                    ..SeenAs::default()
                },
            },
        }
    }
}

/// Where the doctor's own view (home, API URL, token, proxy) differs from the listener's.
pub fn differences(
    listener: (&Path, &Settings, &Net),
    yours: (Option<&Path>, &Settings, &Net),
) -> Vec<Difference> {
    let none = || "none".to_string();
    let url = |s: &Settings| {
        s.api_url
            .as_ref()
            .map(|u| u.value.clone())
            .unwrap_or_else(none)
    };
    let token = |s: &Settings| {
        s.token
            .as_ref()
            .map(|t| t.token.masked())
            .unwrap_or_else(none)
    };
    let proxy = |n: &Net| {
        Some(n.described().join(", "))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(none)
    };
    // Tokens are compared by value and shown masked (two may mask alike: then it says so).
    let (lt, yt) = (listener.1.token.as_ref(), yours.1.token.as_ref());
    let tokens_differ = lt.map(|t| t.token.expose()) != yt.map(|t| t.token.expose());
    let mut yours_token = token(yours.1);
    if tokens_differ && yours_token == token(listener.1) {
        yours_token.push_str(", another value");
    }
    [
        (
            "home",
            listener.0.display().to_string(),
            yours
                .0
                .map(|p| p.display().to_string())
                .unwrap_or_else(none),
            None,
        ),
        ("API URL", url(listener.1), url(yours.1), None),
        ("token", token(listener.1), yours_token, Some(tokens_differ)),
        ("proxy", proxy(listener.2), proxy(yours.2), None),
    ]
    .into_iter()
    .filter(|(_, l, y, differ)| differ.unwrap_or(l != y))
    .map(|(what, listener, yours, _)| Difference {
        what: what.to_string(),
        listener,
        yours,
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::listener::tests::proc;
    use crate::settings::{Secret, Setting, Source, TokenSetting};

    fn settings(url: Option<&str>, token: Option<&str>) -> Settings {
        Settings {
            api_url: url.map(|u| Setting {
                value: u.into(),
                source: Source::Env("AGENT_ROOMS_API_URL".into()),
            }),
            token: token.map(|t| TokenSetting {
                token: Secret::new(t),
                source: Source::Env("AGENT_ROOMS_TOKEN".into()),
                file: None,
            }),
            ..Settings::default()
        }
    }

    fn net(proxy: &[(&str, &str)]) -> Net {
        Net {
            proxy: proxy
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Net::default()
        }
    }

    #[test]
    fn the_same_view_has_no_differences() {
        let s = settings(Some("https://a/"), Some("ar_live_token_0001"));
        let p = Path::new("/home/alice/.config/agent-rooms");
        assert_eq!(
            differences((p, &s, &net(&[])), (Some(p), &s, &net(&[]))),
            vec![]
        );
    }

    #[test]
    fn each_difference_is_named_once_with_both_values() {
        let l = settings(Some("https://listener/"), Some("ar_live_token_0001"));
        let y = settings(Some("https://yours/"), None);
        let d = differences(
            (
                Path::new("/l"),
                &l,
                &net(&[("HTTPS_PROXY", "http://p:3128")]),
            ),
            (Some(Path::new("/y")), &y, &net(&[])),
        );
        let said: Vec<(&str, &str, &str)> = d
            .iter()
            .map(|d| (d.what.as_str(), d.listener.as_str(), d.yours.as_str()))
            .collect();
        assert_eq!(
            said,
            vec![
                ("home", "/l", "/y"),
                ("API URL", "https://listener/", "https://yours/"),
                ("token", "ar_l…(18 chars, #8e41fa)", "none"),
                ("proxy", "HTTPS_PROXY=http://p:3128", "none"),
            ]
        );
        // Two tokens that mask alike are still told apart.
        let y = settings(Some("https://listener/"), Some("ar_live_token_0002"));
        let d = differences(
            (Path::new("/l"), &l, &net(&[])),
            (Some(Path::new("/l")), &y, &net(&[])),
        );
        assert_eq!(d.len(), 1);
        // Their fingerprints tell them apart.
        assert_eq!(
            (d[0].what.as_str(), d[0].yours.as_str()),
            ("token", "ar_l…(18 chars, #61c589)")
        );
        let seen = SeenAs {
            whose: "listener pid 7 (user alice)".into(),
            differs: d,
            ..SeenAs::default()
        };
        assert_eq!(
            seen.said().unwrap(),
            "judged as listener pid 7 (user alice) sees it, which differs from your shell: token \
                ar_l…(18 chars, #8e41fa) (yours: ar_l…(18 chars, #61c589))"
        );
        assert_eq!(SeenAs::default().said(), None);
    }

    #[test]
    fn the_listeners_environment_is_judged_where_it_can_be_read() {
        let v = View::of(None);
        assert!(v.env.is_none());
        assert_eq!(v.seen_as.whose, "your environment");
        assert_eq!(v.seen_as.listener_pid, None);
        assert!(v
            .seen_as
            .doctor_stands_in
            .unwrap()
            .starts_with("no listener is running"));
        let mut l = proc(42, 1000, "alice");
        let v = View::of(Some(&l));
        assert!(v.env.is_none());
        assert_eq!(v.seen_as.listener_pid, Some(42));
        assert_eq!(v.seen_as.whose, "your environment");
        assert!(v
            .seen_as
            .doctor_stands_in
            .unwrap()
            .contains("listener pid 42 (user alice) is not readable (permission denied)"));
        let env = ProcessEnv {
            api_url: Some("https://listener/".into()),
            ..ProcessEnv::default()
        };
        l.env = EnvRead::Readable(Box::new(env.clone()));
        let v = View::of(Some(&l));
        assert_eq!(v.env, Some(env));
        assert_eq!(v.seen_as.whose, "listener pid 42 (user alice)");
        assert_eq!(v.seen_as.listener_pid, Some(42));
        assert_eq!(v.seen_as.doctor_stands_in, None);
    }
}
