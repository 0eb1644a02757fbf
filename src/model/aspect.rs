//! What `diff` compares of one bundle: each link of the wake chain as a few named, typed values
//! (a check's facts say their own, `checks::Check::aspects`).

use serde::Serialize;

/// A value compared between two bundles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// Words, compared whole.
    Text(String),
    /// A PATH-like list of directories: compared directory by directory, then by order.
    Dirs(Vec<String>),
}

impl Value {
    /// A PATH-like list, split at its separators (`:`).
    pub fn dirs(path: &str) -> Value {
        Value::Dirs(path.split(':').map(str::to_string).collect())
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Text(t) => f.write_str(t),
            Value::Dirs(d) => f.write_str(&d.join(":")),
        }
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

/// One thing a bundle says of a link: the link ("listener", "host", …), what, and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aspect {
    pub link: &'static str,
    pub what: String,
    pub value: Value,
}

/// The aspects of one bundle, in wake-chain order.
#[derive(Debug, Default)]
pub struct Aspects(pub Vec<Aspect>);

impl Aspects {
    pub fn put(&mut self, link: &'static str, what: impl Into<String>, value: impl Into<Value>) {
        self.0.push(Aspect {
            link,
            what: what.into(),
            value: value.into(),
        });
    }
}
