//! Check ids. The registry (`checks::REGISTRY`) gives each id its check, title and help; this enum
//! is only the name (and the place along the wake chain), so the floors below the checks (engine,
//! renderers) can speak of a check without importing it. A test holds that every id has exactly
//! one registry entry.

use serde::{Deserialize, Serialize};

/// Declares the check ids: each one's variant, its name, and its place along the wake chain (the
/// order a wake travels: the listener holds the connection with the token to the API, learns of
/// work, and starts the host CLI on this paired device; `-` for a check off the chain). The order
/// written is the order checks are reported.
macro_rules! check_ids {
    ($($variant:ident $name:literal $chain:tt),+ $(,)?) => {
        /// The id of a check, in the order checks are reported.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            schemars::JsonSchema,
        )]
        #[serde(rename_all = "lowercase")]
        pub enum CheckId {
            $($variant),+
        }

        impl CheckId {
            /// Every check, in the order checks are reported.
            pub const ALL: &'static [CheckId] = &[$(CheckId::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(CheckId::$variant => $name),+
                }
            }

            /// Its place along the wake chain, or None for a check off it.
            pub fn wake_position(self) -> Option<u8> {
                match self {
                    $(CheckId::$variant => check_ids!(@chain $chain)),+
                }
            }
        }
    };
    (@chain -) => { None };
    (@chain $n:literal) => { Some($n) };
}

// One line per check: variant, name, place along the wake chain.
check_ids! {
    Listener "listener" 0,
    Device "device" 4,
    Host "host" 3,
    Token "token" 1,
    Api "api" 2,
    Logs "logs" -,
}

impl CheckId {
    /// The checks in the order a wake travels.
    pub fn wake_chain() -> Vec<CheckId> {
        let mut on: Vec<CheckId> = Self::ALL
            .iter()
            .copied()
            .filter(|c| c.wake_position().is_some())
            .collect();
        on.sort_by_key(|c| c.wake_position());
        on
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
