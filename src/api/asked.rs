//! What a check asked the API, as its facts keep it (the token and device checks).

use serde::{Deserialize, Serialize};

use super::{answer_of, unavailable_why, Answer, Call};
use crate::model::outcome::Blocked;

/// What a check asked the API, as its facts keep it (observed, not judged): not asked and why,
/// blocked by a check it needs (typed, as the engine gave it), or the API's classified answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "asked", rename_all = "snake_case")]
pub enum Asked<T> {
    /// No token, no device.json, --offline, or the call got no response (the api check says why).
    No {
        why: String,
    },
    Blocked(Blocked),
    Answered(Answer<T>),
}

impl<T> Asked<T> {
    /// The answer of `call` (whose success carries the string `field`), its body read by `read`.
    pub fn from_call(call: &Call, field: &str, read: impl FnOnce(serde_json::Value) -> T) -> Self {
        match answer_of(call, field) {
            Err(why) => Asked::No { why },
            Ok(answer) => Asked::Answered(answer.map(read)),
        }
    }

    /// Why nothing of the caller can be judged from this (not asked, blocked, or an answer about
    /// the API itself); `None` when the answer judges the caller.
    pub fn unjudged(&self) -> Option<String> {
        match self {
            Asked::No { why } => Some(why.clone()),
            Asked::Blocked(b) => Some(b.to_string()),
            Asked::Answered(Answer::Unavailable { envelope }) => Some(unavailable_why(envelope)),
            Asked::Answered(_) => None,
        }
    }
}
