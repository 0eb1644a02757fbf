//! A check's facts as the outcome carries them: the check's own typed struct, kept typed to the
//! last renderer (a reader asks for the type it knows, `Facts::get`), and serialised once, where a
//! document is written. A renamed field breaks its readers at compile time, not at run time.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// What a facts type must be: plain data that serialises, for the documents and `-v`.
pub trait Recorded: Any + Send + Sync + fmt::Debug {
    /// The facts as JSON (the documents' `facts`).
    fn json(&self) -> serde_json::Value;
    fn as_any(&self) -> &dyn Any;
}

impl<T: Serialize + Any + Send + Sync + fmt::Debug> Recorded for T {
    fn json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A check not run because the agent-rooms home it judges is not set up here: only why. In JSON
/// `{"not_run": why}`, as schema 1 has it, and `"out_of_reach": true` when the home may exist
/// but the doctor's user may not look at it (NOT_READABLE, not HOME_NOT_FOUND).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotRun {
    pub not_run: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub out_of_reach: bool,
}

/// One check's facts: none (the engine made the outcome itself: skipped by a flag, timed out,
/// crashed), or the check's typed struct.
#[derive(Clone, Default)]
pub struct Facts(Option<Arc<dyn Recorded>>);

impl Facts {
    pub fn of<T: Recorded>(facts: T) -> Self {
        Facts(Some(Arc::new(facts)))
    }
    /// No facts: `{}` in JSON.
    pub fn none() -> Self {
        Facts(None)
    }
    /// The facts, when they are a `T`.
    pub fn get<T: 'static>(&self) -> Option<&T> {
        self.0.as_deref()?.as_any().downcast_ref()
    }
    pub fn is_none(&self) -> bool {
        self.0.is_none()
    }
    /// The facts as JSON, every text in them made safe to print (`sanitize::outside`), cut at
    /// `cap`: the one place facts are serialised.
    pub fn json(&self, cap: usize) -> serde_json::Value {
        let mut v = match &self.0 {
            Some(f) => f.json(),
            None => serde_json::Value::Object(Default::default()),
        };
        crate::sanitize::outside_json(&mut v, cap);
        v
    }
}

/// The longest a text inside the facts may be in a document.
pub const FACT_CAP: usize = 4000;

impl Serialize for Facts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json(FACT_CAP).serialize(s)
    }
}

impl fmt::Debug for Facts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(x) => x.fmt(f),
            None => f.write_str("{}"),
        }
    }
}

/// Two outcomes' facts are equal when they write the same document.
impl PartialEq for Facts {
    fn eq(&self, other: &Self) -> bool {
        self.json(FACT_CAP) == other.json(FACT_CAP)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Serialize)]
    struct F {
        pid: u32,
        argv: String,
    }

    #[test]
    fn facts_stay_typed_and_serialise_clean_once() {
        let f = Facts::of(F {
            pid: 7,
            argv: "watch\u{1b}[2J".into(),
        });
        assert_eq!(f.get::<F>().map(|x| x.pid), Some(7));
        assert!(f.get::<NotRun>().is_none());
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["pid"], 7);
        assert!(!v["argv"].as_str().unwrap().contains('\u{1b}'), "{v}");
        assert_eq!(
            serde_json::to_value(Facts::none()).unwrap(),
            serde_json::json!({})
        );
        let not_run = |out_of_reach| NotRun {
            not_run: "no home".into(),
            out_of_reach,
        };
        let n = Facts::of(not_run(false));
        let json = |f: &Facts| serde_json::to_value(f).unwrap();
        assert_eq!(json(&n), serde_json::json!({"not_run": "no home"}));
        assert_eq!(n, Facts::of(not_run(false)));
        let denied = Facts::of(not_run(true));
        assert_eq!(
            json(&denied),
            serde_json::json!({"not_run": "no home", "out_of_reach": true})
        );
        assert_ne!(n, Facts::none());
    }
}
