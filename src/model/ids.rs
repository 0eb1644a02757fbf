//! Check ids. The registry (`checks::REGISTRY`) gives each id its check, title and help; this enum
//! is only the name, so the floors below the checks (engine, renderers) can speak of a check
//! without importing it. A test holds that every id has exactly one registry entry.

use serde::{Deserialize, Serialize};

/// The id of a check, in the order checks are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckId {
    Listener,
    Device,
    Host,
    Token,
    Api,
    Logs,
}

impl CheckId {
    /// Every check, in the order checks are reported.
    pub const ALL: [CheckId; 6] = [
        CheckId::Listener,
        CheckId::Device,
        CheckId::Host,
        CheckId::Token,
        CheckId::Api,
        CheckId::Logs,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::Listener => "listener",
            CheckId::Device => "device",
            CheckId::Host => "host",
            CheckId::Token => "token",
            CheckId::Api => "api",
            CheckId::Logs => "logs",
        }
    }
}

impl std::fmt::Display for CheckId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl PartialEq<str> for CheckId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for CheckId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::str::FromStr for CheckId {
    type Err = String;
    fn from_str(s: &str) -> Result<CheckId, String> {
        CheckId::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("{s:?} is not a check"))
    }
}
