//! The JSON Schemas of the documents (`schemas/*.json`, CONTRACT §2), generated from the types
//! that write them (schemars). Here: the pieces for values written by hand rather than derived
//! (a text, a code, a time, a check's own facts), and the catalogue of document kinds.

use schemars::{json_schema, Schema, SchemaGenerator};

/// A string (a text, a code, a cause's code).
pub fn string(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": "string"})
}

/// A time, RFC 3339.
pub fn time(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": "string", "format": "date-time"})
}

/// A duration in whole milliseconds.
pub fn millis(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": "integer", "minimum": 0})
}

/// A check's own facts: an object whose fields are the check's (each check's facts type), whole
/// in the document, every string made safe and capped.
pub fn facts(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": "object", "description": FACTS})
}

const FACTS: &str = "The check's own facts: its fields are the check's; not_run (with \
    out_of_reach) when it was not run for want of an agent-rooms home.";

/// Names to strings (an environment).
pub fn string_map(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": "object", "additionalProperties": {"type": "string"}})
}

/// A type whose JSON is a string: its schema.
macro_rules! string_schema {
    ($($t:ty),+) => {$(
        impl schemars::JsonSchema for $t {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($t).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
                $crate::model::schema::string(g)
            }
        }
    )+};
}
pub(crate) use string_schema;
