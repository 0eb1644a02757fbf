//! The API's error envelope: `{"error": {"code", "status", "message", "request_id", "fields"}}`.
//! Parsing is tolerant of unknown fields and unknown codes, and strict about the shape: anything
//! that is not an envelope is an error, never a success.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Envelope {
    pub code: String,
    pub status: Option<u16>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    /// `fields` of a VALIDATION error: input name → what is wrong with it (as text).
    pub fields: Vec<(String, String)>,
}

/// Parse an error envelope; `Err` says in one line why the text is not one.
pub fn parse(bytes: &[u8]) -> Result<Envelope, String> {
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            "empty input, expected a JSON error envelope".to_string()
        } else {
            format!("not JSON ({e})")
        }
    })?;
    let err = v
        .get("error")
        .ok_or("JSON without an \"error\" object, so not an agent-rooms error envelope")?;
    let obj = err
        .as_object()
        .ok_or("\"error\" is not an object, so not an agent-rooms error envelope")?;
    let code = obj
        .get("code")
        .and_then(|c| c.as_str())
        .filter(|c| !c.trim().is_empty())
        .ok_or("the envelope's error has no \"code\" string")?;
    let code = crate::sanitize::outside(code.trim(), 100);
    let status = obj.get("status").and_then(|s| match s {
        serde_json::Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    });
    // The API's words are data: sanitised as they enter (no escape sequence reaches a terminal).
    let text = |k: &str, cap: usize| {
        obj.get(k)
            .and_then(|m| m.as_str())
            .map(|m| crate::sanitize::outside(m, cap))
    };
    let fields = match obj.get("fields") {
        Some(serde_json::Value::Object(m)) => m
            .iter()
            .map(|(k, v)| {
                let t = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (
                    crate::sanitize::outside(k, 100),
                    crate::sanitize::outside(&t, 300),
                )
            })
            .collect(),
        _ => vec![],
    };
    Ok(Envelope {
        code,
        status,
        message: text("message", 500),
        request_id: text("request_id", 200).filter(|s| !s.is_empty()),
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_seed_sample() {
        let e = parse(
            br#"{"error":{"code":"FORBIDDEN_SCOPE","status":403,
            "message":"This agent does not have the required scope.",
            "request_id":"7f3c","fields":{}}}"#,
        )
        .unwrap();
        assert_eq!(e.code, "FORBIDDEN_SCOPE");
        assert_eq!(e.status, Some(403));
        assert_eq!(e.request_id.as_deref(), Some("7f3c"));
    }

    #[test]
    fn tolerates_unknown_codes_fields_and_odd_types() {
        let e = parse(br#"{"error":{"code":"NEW_CODE","status":"418","extra":1,"fields":{"name":["too long"]}},
            "x":2}"#).unwrap();
        assert_eq!(e.code, "NEW_CODE");
        assert_eq!(e.status, Some(418));
        assert_eq!(e.fields, vec![("name".into(), "[\"too long\"]".into())]);
        assert_eq!(e.request_id, None);
    }

    #[test]
    fn rejects_what_is_not_an_envelope() {
        for bad in [
            &b""[..],
            b"   ",
            b"<html>502</html>",
            b"{\"error\":",
            b"{}",
            b"{\"error\":\"x\"}",
            b"{\"error\":{\"code\":5}}",
            b"[1,2]",
            b"\xff\xfe",
        ] {
            assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
