//! What build this is (`--version --verbose`, the support bundle): support tells a musl build
//! from a Windows one, an npm install from a cargo one, and which commit.

use serde::{Deserialize, Serialize};

/// The build's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Build {
    pub version: String,
    /// The commit it was built from (12 hex digits), or "unknown" (a source without git).
    pub commit: String,
    /// The commit's date (YYYY-MM-DD): the build is reproducible, so no clock time.
    pub date: String,
    /// The target triple (`x86_64-unknown-linux-musl`, `x86_64-pc-windows-gnu`).
    pub target: String,
    /// How it was installed: "npm" (its launcher says so), else what the build was made for
    /// ("cargo", "deb", "archive").
    pub channel: String,
}

impl Build {
    /// This binary's, with the channel the npm launcher names in `AGENT_ROOMS_DOCTOR_CHANNEL`.
    pub fn here() -> Build {
        Build::with_channel(std::env::var("AGENT_ROOMS_DOCTOR_CHANNEL").ok())
    }

    /// This binary's, installed through `channel` when one is named (not empty).
    pub fn with_channel(channel: Option<String>) -> Build {
        Build {
            version: env!("CARGO_PKG_VERSION").into(),
            commit: env!("AGENT_ROOMS_DOCTOR_BUILD_COMMIT").into(),
            date: env!("AGENT_ROOMS_DOCTOR_BUILD_DATE").into(),
            target: env!("AGENT_ROOMS_DOCTOR_BUILD_TARGET").into(),
            channel: channel
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| env!("AGENT_ROOMS_DOCTOR_BUILD_CHANNEL").into()),
        }
    }

    /// One line: "commit abcdef123456 (2026-12-07), x86_64-unknown-linux-gnu, installed by cargo".
    pub fn line(&self) -> String {
        format!(
            "commit {} ({}), {}, installed by {}",
            self.commit, self.date, self.target, self.channel
        )
    }

    /// `--version --verbose`: the version line, then one line per field.
    pub fn verbose(&self) -> String {
        format!(
            "agent-rooms-doctor {}\ncommit: {} ({})\ntarget: {}\nchannel: {}\n",
            self.version, self.commit, self.date, self.target, self.channel
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_channel_a_launcher_names_wins_and_every_field_is_filled() {
        let b = Build::with_channel(Some("npm".into()));
        assert_eq!(b.channel, "npm");
        assert_eq!(
            Build::with_channel(Some(String::new())).channel,
            env!("AGENT_ROOMS_DOCTOR_BUILD_CHANNEL")
        );
        assert!(!b.commit.is_empty() && !b.date.is_empty() && !b.target.is_empty());
        let text = b.verbose();
        assert!(text.starts_with(&format!("agent-rooms-doctor {}\ncommit: ", b.version)));
        assert!(text.contains(&format!("\ntarget: {}\nchannel: npm\n", b.target)));
    }
}
