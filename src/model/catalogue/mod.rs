//! The remedy catalogue: one table, keyed by code, of what every API error code and every finding
//! code means and what to do about it. `explain`, every check and every renderer read this table.

use serde::ser::SerializeStruct;
use serde::Serialize;

use super::command::{cmd, Command, Machine};

/// What to do about a finding: prose steps, and separately the exact commands (printed, never
/// run but by `fix` when the person says yes, and only those the command itself marks so).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Remedy {
    pub steps: Vec<String>,
    pub commands: Vec<Command>,
    /// How many of the first steps were made for this case (this supervisor, this PATH); the
    /// rest are the catalogue's generic words for the code.
    pub specific: usize,
    /// The first step, not the first command, is what to do first: the commands come after it
    /// (a crashed listener's restart, shown for after its cause is fixed by hand).
    pub step_leads: bool,
    /// The commands from this index on are another way to the same fix, not steps after the
    /// first ones: one or the other, never both (link the host CLI into the PATH, *or* give the
    /// listener a PATH and restart it). The last step made for the case is that other way's.
    pub or_from: Option<usize>,
}

impl Remedy {
    /// The steps a person reads: the ones made for this case when there are any (one problem,
    /// one remedy), else the catalogue's. `-v`, `explain` and the documents give them all.
    pub fn for_person(&self) -> &[String] {
        match self.specific {
            0 => &self.steps,
            n => &self.steps[..n.min(self.steps.len())],
        }
    }
}

/// In JSON, `commands` stays the list of printed lines (schema_version 1), and `command_parts`
/// beside it gives each one's structure: `argv`, `env`, `run_as`, and `fix` (whether `fix` may
/// run it: safe, ask, shown). `specific_steps` says how many of the first `steps` were made for
/// this case; the rest are the catalogue's generic steps for the code.
impl schemars::JsonSchema for Remedy {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Remedy".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let parts = g.subschema_for::<Vec<crate::model::command::Command>>();
        schemars::json_schema!({
            "type": "object",
            "properties": {
                "steps": {"type": "array", "items": {"type": "string"}},
                "specific_steps": {"type": "integer", "minimum": 0},
                "commands": {"type": "array", "items": {"type": "string"}},
                "command_parts": parts,
                "alternative_from": {"type": "integer", "minimum": 0}
            },
            "required": ["steps", "specific_steps", "commands", "command_parts"],
            "additionalProperties": false
        })
    }
}

impl Serialize for Remedy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let lines: Vec<&str> = self.commands.iter().map(|c| c.line.as_str()).collect();
        let mut st = s.serialize_struct("Remedy", 5)?;
        st.serialize_field("steps", &self.steps)?;
        st.serialize_field("specific_steps", &self.specific)?;
        st.serialize_field("commands", &lines)?;
        st.serialize_field("command_parts", &self.commands)?;
        if let Some(n) = self.or_from {
            st.serialize_field("alternative_from", &n)?;
        } else {
            st.skip_field("alternative_from")?;
        }
        st.end()
    }
}

mod entries;
mod entry;
pub use entries::*;
pub use entry::{Entry, Origin};

/// Every code the doctor can explain, API codes first, in the troubleshooting page's order.
pub static CATALOGUE: &[&Entry] = &[
    INVALID_PASSPORT,
    IDENTITY_REQUIRED,
    REVOKED,
    FORBIDDEN_SCOPE,
    FORBIDDEN,
    NOT_A_MEMBER,
    NO_GRANT,
    THREAD_NOT_ACTIVE,
    UPLOAD_NOT_COMPLETE,
    CONSTRAINED_RUNTIME_REQUIRED,
    UPGRADE_REQUIRED,
    RATE_LIMITED,
    NOT_FOUND,
    VALIDATION,
    CONFLICT,
    INTERNAL,
    ALREADY_CLAIMED,
    LISTENER_NOT_RUNNING,
    LISTENER_DUPLICATE,
    LISTENER_OTHER_USER,
    LISTENER_STALE_HEARTBEAT,
    LISTENER_DISCONNECTED,
    LISTENER_UNSEEN,
    LISTENER_CRASHED,
    LISTENER_NOT_ENABLED,
    LISTENER_STOPPED,
    LISTENER_OUTDATED,
    LISTENER_TLS_UNVERIFIED,
    LISTENER_NO_LINGER,
    HOME_NOT_FOUND,
    HOST_SELF_CHECK,
    DEVICE_NOT_PAIRED,
    DEVICE_UNKNOWN_TO_SERVER,
    DEVICE_ACTIVE_ELSEWHERE,
    HOST_NOT_CONFIGURED,
    HOST_NOT_FOUND,
    HOST_INTERPRETER_MISSING,
    HOST_CANNOT_START,
    HOST_NOT_LOGGED_IN,
    HOST_LOGGED_IN_OTHER_USER,
    HOST_LOGIN_UNVERIFIED,
    TOKEN_MISSING,
    TOKEN_MALFORMED,
    TOKEN_EXPIRED,
    TOKEN_EXPIRING_SOON,
    TOKEN_FILE_TOO_OPEN,
    TOKEN_LISTENER_MISMATCH,
    API_URL_MISSING,
    API_URL_WRONG,
    API_INSECURE_URL,
    API_UNREACHABLE,
    API_BAD_RESPONSE,
    CLOCK_SKEW,
    CONFIG_INVALID,
    NOT_READABLE,
    CHECK_TIMED_OUT,
    NOTHING_CHECKED,
    INTERNAL_ERROR,
];

/// A finding's code: an entry of the catalogue, or an API code the doctor does not know, passed
/// through as it came (sanitized). In JSON and text, the code's string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    Known(&'static Entry),
    /// An API error code not in the catalogue (at most 100 characters, see `api::envelope`).
    Unknown(String),
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}
impl Eq for Entry {}

impl Code {
    /// The code an API answer carried: its entry when the catalogue has one.
    pub fn of_api(code: &str) -> Code {
        match get(code) {
            Some(e) => Code::Known(e),
            None => Code::Unknown(code.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Code::Known(e) => e.code,
            Code::Unknown(s) => s,
        }
    }

    pub fn entry(&self) -> Option<&'static Entry> {
        match self {
            Code::Known(e) => Some(e),
            Code::Unknown(_) => None,
        }
    }

    /// The codes this one can follow from.
    pub fn caused_by(&self) -> &'static [&'static Entry] {
        self.entry().map_or(&[], |e| e.caused_by)
    }
}

impl From<&'static Entry> for Code {
    fn from(e: &'static Entry) -> Code {
        Code::Known(e)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

crate::model::schema::string_schema!(Code);

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The entry for `code`, matched exactly.
pub fn get(code: &str) -> Option<&'static Entry> {
    CATALOGUE.iter().copied().find(|e| e.code == code)
}

/// The entry for `code` as a person might type it: any case, `-` for `_`.
pub fn lookup(code: &str) -> Option<&'static Entry> {
    let norm = normalise(code);
    CATALOGUE
        .iter()
        .copied()
        .find(|e| normalise(e.code) == norm)
}

fn normalise(code: &str) -> String {
    code.trim().to_ascii_uppercase().replace('-', "_")
}

/// Up to three codes closest to what was typed, best first.
pub fn closest(code: &str) -> Vec<&'static str> {
    let norm = normalise(code);
    let mut scored: Vec<(f64, &'static str)> = CATALOGUE
        .iter()
        .map(|e| (strsim::jaro_winkler(&norm, &normalise(e.code)), e.code))
        .filter(|(s, _)| *s > 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// An entry's generic commands, printed for no one in particular, never run by `fix`.
pub fn generic_commands(e: &Entry) -> Vec<Command> {
    e.commands
        .iter()
        .map(|argv| cmd(argv.iter().copied()).on(&Machine::generic()))
        .collect()
}

/// The remedy for `code`; an unknown code (passed through from the API as it came) gets a generic one.
pub fn remedy(code: &Code) -> Remedy {
    match code.entry() {
        Some(e) => Remedy {
            steps: e.steps.iter().map(|s| s.to_string()).collect(),
            commands: generic_commands(e),
            specific: 0,
            step_leads: false,
            or_from: None,
        },
        None => Remedy {
            steps: vec![format!(
                "`{code}` is not a code this doctor knows; quote it with the request_id to support."
            )],
            commands: vec![],
            specific: 0,
            step_leads: false,
            or_from: None,
        },
    }
}

#[cfg(test)]
mod tests;
