//! The agent-rooms API, in one room: the base URL, building a request, making it (through the
//! bounded HTTP probe), and classifying what came back. The api, token and device checks use this
//! module and never each other.
//!
//! Classification is written once, here: an answer is
//! - `Accepted`: a 2xx that is the endpoint's own JSON;
//! - `Refused`: an error envelope about the caller (its token, scope, membership, the resource);
//! - `Unavailable`: an error envelope about the API itself (rate limit, server error), which says
//!   nothing of the caller — so it never judges a token or a device;
//! - `NotAnAnswer`: anything that is not the API speaking (HTML, empty, truncated, a redirect…).
//!
//! A request that got no response at all (DNS, refused, TLS, timeout) is the call's own outcome,
//! `Call::Made` with `HttpResult::Failed`, reported by the api check as `API_UNREACHABLE`.

pub mod asked;
pub mod envelope;

use serde::{Deserialize, Serialize};
use std::time::Duration;

pub use envelope::Envelope;

use crate::model::catalogue as codes;
use crate::model::outcome::Finding;
use crate::model::text::Text;
use crate::probes::http::{self, FailKind, HttpResult, Response};
use crate::redact::Secret;

/// The endpoint every check's first question goes to.
pub const WHOAMI: &str = "v1/whoami";

/// An API request, or why it was not made.
#[derive(Debug, Clone, serde::Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Call {
    NotMade(String),
    Made {
        url: String,
        result: Box<HttpResult>,
    },
}

/// The API base URL: an http(s) URL whose path ends in `/`, so endpoints join below it.
pub fn base(raw: &str) -> Result<reqwest::Url, String> {
    let mut u = reqwest::Url::parse(raw.trim()).map_err(|e| e.to_string())?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(format!("scheme {:?} is not http or https", u.scheme()));
    }
    if u.host().is_none() {
        return Err("it has no host".into());
    }
    if !u.path().ends_with('/') {
        let p = format!("{}/", u.path());
        u.set_path(&p);
    }
    u.set_query(None);
    u.set_fragment(None);
    Ok(u)
}

/// `v1/devices/{id}` with the id as one path segment, whatever it holds.
pub fn device_endpoint(device_id: &str) -> String {
    let seg: String = url::form_urlencoded::byte_serialize(device_id.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    format!("v1/devices/{seg}")
}

/// Is `url` plain http to a host that is not loopback (where the token must not go)?
pub use http::insecure;

/// Why a token cannot be sent as a bearer token, if it cannot: a line break, a control
/// character or a space inside it (CONTRACT §1: TOKEN_MALFORMED, never a network error).
pub fn malformed(token: &str) -> Option<String> {
    let t = token.trim();
    if t.is_empty() {
        Some("is empty".into())
    } else if t.contains(['\n', '\r']) {
        Some("holds a line break".into())
    } else if t.chars().any(char::is_control) {
        Some("holds a control character".into())
    } else if t.chars().any(char::is_whitespace) {
        Some("holds a space".into())
    } else {
        None
    }
}

/// What a request needs: the base URL as configured, the token, and the time it may take.
pub struct Request<'a> {
    pub api_url: Option<&'a str>,
    pub token: Option<&'a Secret>,
    pub offline: bool,
    pub limit: Duration,
    /// The proxy and CA settings of the process whose view is judged.
    pub net: &'a http::Net,
}

/// GET `endpoint` (relative, e.g. `v1/whoami`) with the token, unless offline, unconfigured,
/// malformed or insecure — each of which is a `NotMade` with the reason.
pub async fn get(req: &Request<'_>, endpoint: &str) -> Call {
    if req.offline {
        return Call::NotMade("--offline".into());
    }
    let Some(api) = req.api_url else {
        return Call::NotMade("no API URL is configured".into());
    };
    let url = match base(api).and_then(|b| b.join(endpoint).map_err(|e| e.to_string())) {
        Ok(u) => u,
        Err(e) => return Call::NotMade(format!("the API URL is not usable: {e}")),
    };
    if http::insecure(&url) {
        return Call::NotMade("the API URL is plain http to a host that is not loopback".into());
    }
    if let Some(why) = req.token.and_then(|t| malformed(t.expose())) {
        return Call::NotMade(format!("the token {why}, so it cannot be sent"));
    }
    let result = http::get(&url, req.token, req.limit, req.net).await;
    Call::Made {
        url: url.to_string(),
        result: Box::new(result),
    }
}

/// This machine's clock (`now`) less the API's, by its Date header; None without a readable one.
pub fn skew_secs(now: i64, date: Option<&str>) -> Option<i64> {
    let server = httpdate::parse_http_date(date?).ok()?;
    let server = server
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Some(now - server)
}

/// What an API response is, as far as the doctor's checks care.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Answer<T = serde_json::Value> {
    /// 2xx with the endpoint's JSON object (or what a check reads of it).
    Accepted { body: T },
    /// An error envelope about the caller (request id from the envelope, else cf-ray).
    Refused { envelope: Envelope },
    /// An error envelope about the API itself: it says nothing of the caller.
    Unavailable { envelope: Envelope },
    /// Not the API's answer: the message says what came.
    NotAnAnswer { message: String },
}

impl<T> Answer<T> {
    /// The same answer with its accepted body read by `read` (the other answers carry no body).
    pub fn map<U>(self, read: impl FnOnce(T) -> U) -> Answer<U> {
        match self {
            Answer::Accepted { body } => Answer::Accepted { body: read(body) },
            Answer::Refused { envelope } => Answer::Refused { envelope },
            Answer::Unavailable { envelope } => Answer::Unavailable { envelope },
            Answer::NotAnAnswer { message } => Answer::NotAnAnswer { message },
        }
    }
}

/// Why an answer about the API itself (a rate limit, a server error) judges nothing of the caller.
pub fn unavailable_why(e: &Envelope) -> String {
    format!(
        "the API answered {} (HTTP {})",
        e.code,
        e.status.unwrap_or_default()
    )
}

/// Does this error speak of the API rather than of the caller? A rate limit or a server error
/// is never a verdict on a token or a device.
pub fn about_the_api(e: &Envelope) -> bool {
    e.status.is_some_and(|s| s == 429 || s >= 500)
        // The API says so by its code too, whatever HTTP status came with it.
        || matches!(e.code.as_str(), "RATE_LIMITED" | "INTERNAL")
}

/// Classify a response to an endpoint whose success carries the string `field` (a whoami has
/// `agent_id`, a device `device_id`): a 200 with some other JSON is not the API's answer.
pub fn classify(r: &Response, field: &str) -> Answer {
    let ct = r
        .content_type
        .clone()
        .unwrap_or_else(|| "no content-type".into());
    let ray = r
        .cf_ray
        .as_ref()
        .map(|c| format!(", cf-ray {c}"))
        .unwrap_or_default();
    let not = |message: String| Answer::NotAnAnswer { message };
    if let Some(p) = &r.body_problem {
        return not(format!("HTTP {} ({ct}{ray}): {p}", r.status));
    }
    if (300..400).contains(&r.status) {
        let to = r
            .location
            .clone()
            .unwrap_or_else(|| "nowhere (no Location)".into());
        return not(format!(
            "HTTP {} redirect to {to}; the doctor does not follow redirects with the token (check \
                the API URL)",
            r.status
        ));
    }
    if r.body.iter().all(|b| b.is_ascii_whitespace()) {
        return not(format!("HTTP {} with an empty body ({ct}{ray})", r.status));
    }
    if (200..300).contains(&r.status) {
        return accepted(r, field, &format!("{ct}{ray}"));
    }
    match envelope::parse(&r.body) {
        Ok(mut e) => {
            if e.request_id.is_none() {
                e.request_id = r.cf_ray.clone();
            }
            if e.status.is_none() {
                e.status = Some(r.status);
            }
            if about_the_api(&e) {
                Answer::Unavailable { envelope: e }
            } else {
                Answer::Refused { envelope: e }
            }
        }
        Err(why) => not(format!(
            "HTTP {} that is not an agent-rooms error envelope ({why}; {ct}{ray}): {:?}",
            r.status,
            http::excerpt(&r.body)
        )),
    }
}

/// A 2xx answer: the API's own JSON object (it has `field`, a string), or not the API's answer.
/// `about` says the content type and cf-ray.
fn accepted(r: &Response, field: &str, about: &str) -> Answer {
    let message = match serde_json::from_slice::<serde_json::Value>(&r.body) {
        Ok(v) if v.is_object() && v.get(field).is_some_and(|f| f.is_string()) => {
            return Answer::Accepted { body: v }
        }
        Ok(v) if v.is_object() => format!(
            "HTTP {} but the JSON has no {field:?} string, so it is not the API's answer: {:?}",
            r.status,
            http::excerpt(&r.body)
        ),
        _ => format!(
            "HTTP {} but the body is not the JSON object the API sends ({about}): {:?}",
            r.status,
            http::excerpt(&r.body)
        ),
    };
    Answer::NotAnAnswer { message }
}

/// The classified answer of a call, for a check that reads it (token, device); or why there is
/// none: not made, or failed in transport (which the api check reports; never a bad token).
pub fn answer_of(call: &Call, field: &str) -> Result<Answer, String> {
    match call {
        Call::NotMade(why) => Err(why.clone()),
        Call::Made { result, .. } => match result.as_ref() {
            HttpResult::Failed { kind, .. } => Err(format!("the API {}", kind.words())),
            HttpResult::Response(r) => Ok(classify(r, field)),
        },
    }
}

/// The finding for an error envelope: its code verbatim, the API's message and the request id.
pub fn envelope_finding(e: &Envelope, what: &str) -> Finding {
    let msg = format!(
        "{what}: {} (HTTP {}){}",
        e.code,
        e.status.map_or("?".into(), |s| s.to_string()),
        e.message
            .as_ref()
            .map(|m| format!(": {m}"))
            .unwrap_or_default()
    );
    Finding::named(&e.code, msg).with_request_id(e.request_id.clone())
}

/// The finding for an exchange that got no response: what failed in plain words (the library's
/// own words for -v and JSON), and the step for that kind of failure.
pub fn unreachable_finding(url: &str, r: &HttpResult) -> Option<Finding> {
    let HttpResult::Failed {
        kind,
        detail,
        elapsed_ms,
        from_library,
    } = r
    else {
        return None;
    };
    let head = Text::from(format!("GET {url}: {} after {elapsed_ms} ms", kind.words()));
    // The library's words are for -v and JSON; the doctor's own say more to a person.
    let message = if *from_library && *kind != FailKind::Other {
        head.raw(format!(" ({detail})"))
    } else {
        head.words(format!(" ({detail})"))
    };
    let fnd = Finding::new(codes::API_UNREACHABLE, message);
    Some(match unreachable_step(url, *kind) {
        Some(step) => fnd.with_step_first(step),
        None => fnd,
    })
}

/// The step for one kind of failure to reach `url` (none for a kind without its own: the
/// catalogue's steps stand).
pub fn unreachable_step(url: &str, kind: FailKind) -> Option<String> {
    let parsed = reqwest::Url::parse(url).ok();
    let host = parsed
        .as_ref()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| url.to_string());
    let port = parsed
        .as_ref()
        .and_then(|u| u.port_or_known_default())
        .map(|p| format!(":{p}"))
        .unwrap_or_default();
    Some(match kind {
        FailKind::Refused => format!(
            "Nothing accepts connections at {host}{port}: check the API \
            URL's host and port, and that whatever it names (a local proxy, a tunnel) is running."
        ),
        FailKind::Dns => format!(
            "The name {host} does not resolve here: check the API URL's \
            spelling, then this machine's DNS (its resolver, a VPN that provides the name)."
        ),
        FailKind::Connect => format!(
            "No route to {host}{port}: check this machine's network, \
            firewall and VPN, and the proxy settings (HTTPS_PROXY, NO_PROXY)."
        ),
        FailKind::Tls => format!(
            "The TLS handshake with {host} failed: check the system clock, and \
            whether a proxy intercepts TLS (its CA must be trusted where the listener runs: \
            SSL_CERT_FILE, NODE_EXTRA_CA_CERTS)."
        ),
        FailKind::Timeout => format!(
            "{host} did not answer in time: retry; if it persists, check \
            the network and the proxy, or raise --timeout on a slow link."
        ),
        FailKind::Reset => format!(
            "The connection to {host} was cut: a proxy or firewall in between \
            may close it; retry, then check the proxy."
        ),
        FailKind::Other => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::probes::http::test_response as resp;

    fn state(a: &Answer) -> &'static str {
        match a {
            Answer::Accepted { .. } => "accepted",
            Answer::Refused { .. } => "refused",
            Answer::Unavailable { .. } => "unavailable",
            Answer::NotAnAnswer { .. } => "not an answer",
        }
    }

    #[test]
    fn answers_are_told_apart_by_who_they_are_about() {
        let env = |code: &str, status: u16| {
            format!(r#"{{"error":{{"code":"{code}","status":{status},"request_id":"r1"}}}}"#)
        };
        let rows: &[(u16, String, &str)] = &[
            (200, r#"{"agent_id":"agt_1"}"#.into(), "accepted"),
            (200, r#"{"device_id":"dev_1"}"#.into(), "not an answer"),
            (200, "{}".into(), "not an answer"),
            (200, "[1]".into(), "not an answer"),
            (200, "".into(), "not an answer"),
            (302, "".into(), "not an answer"),
            (401, env("REVOKED", 401), "refused"),
            (403, env("FORBIDDEN_SCOPE", 403), "refused"),
            (404, env("NOT_FOUND", 404), "refused"),
            (409, env("CONFLICT", 409), "refused"),
            (428, env("VALIDATION", 428), "refused"),
            (429, env("RATE_LIMITED", 429), "unavailable"),
            (499, env("CONFLICT", 499), "refused"),
            (500, env("INTERNAL", 500), "unavailable"),
            (503, env("INTERNAL", 503), "unavailable"),
            (502, "<html>502</html>".into(), "not an answer"),
        ];
        for (status, body, want) in rows {
            let a = classify(&resp(*status, body), "agent_id");
            assert_eq!(state(&a), *want, "HTTP {status} {body}");
        }
    }

    #[test]
    fn a_2xx_that_is_not_the_endpoints_answer_says_what_it_is() {
        let message = |body: &str| match classify(&resp(200, body), "agent_id") {
            Answer::NotAnAnswer { message } => message,
            other => panic!("{body}: {other:?}"),
        };
        assert!(message(r#"{"device_id":"d"}"#).contains("the JSON has no \"agent_id\" string"));
        assert!(message(r#"{"agent_id":7}"#).contains("the JSON has no \"agent_id\" string"));
        for body in ["[1]", "\"agt_1\"", "7", "{\"agent_id\":"] {
            assert!(
                message(body).contains("not the JSON object the API sends"),
                "{body}"
            );
        }
    }

    #[test]
    fn the_envelope_status_decides_and_the_http_status_fills_in() {
        // No status in the body: the HTTP status is the envelope's.
        let a = classify(&resp(503, r#"{"error":{"code":"INTERNAL"}}"#), "agent_id");
        assert!(matches!(&a, Answer::Unavailable { envelope } if envelope.status == Some(503)));
        let a = classify(&resp(401, r#"{"error":{"code":"REVOKED"}}"#), "agent_id");
        assert!(matches!(&a, Answer::Refused { envelope } if envelope.status == Some(401)));
    }

    #[test]
    fn the_request_id_is_the_envelopes_else_the_cf_ray() {
        let mut r = resp(401, r#"{"error":{"code":"REVOKED","status":401}}"#);
        r.cf_ray = Some("8f1e-AMS".into());
        let Answer::Refused { envelope } = classify(&r, "agent_id") else {
            panic!()
        };
        assert_eq!(envelope.request_id.as_deref(), Some("8f1e-AMS"));
        let mut r = resp(
            401,
            r#"{"error":{"code":"REVOKED","status":401,"request_id":"req-1"}}"#,
        );
        r.cf_ray = Some("8f1e-AMS".into());
        let Answer::Refused { envelope } = classify(&r, "agent_id") else {
            panic!()
        };
        assert_eq!(envelope.request_id.as_deref(), Some("req-1"));
    }

    #[test]
    fn about_the_api_is_429_5xx_and_its_own_codes() {
        let e = |s: Option<u16>| Envelope {
            code: "X".into(),
            status: s,
            message: None,
            request_id: None,
            fields: vec![],
        };
        for (s, want) in [
            (Some(428), false),
            (Some(429), true),
            (Some(430), false),
            (Some(499), false),
            (Some(500), true),
            (Some(599), true),
            (None, false),
        ] {
            assert_eq!(about_the_api(&e(s)), want, "{s:?}");
        }
        // RATE_LIMITED and INTERNAL are about the API under any status.
        for code in ["RATE_LIMITED", "INTERNAL"] {
            let env = Envelope {
                code: code.into(),
                ..e(Some(401))
            };
            assert!(about_the_api(&env), "{code}");
        }
        let revoked = Envelope {
            code: "REVOKED".into(),
            ..e(Some(401))
        };
        assert!(!about_the_api(&revoked));
    }

    #[test]
    fn a_token_that_cannot_be_a_bearer_is_malformed() {
        for (t, want) in [
            ("ar_live_ok0123456789", None),
            ("  ar_live_padded  ", None),
            ("ar_live_a\nb", Some("holds a line break")),
            ("ar_live_a\r", None),
            ("ar_live\u{7}bell", Some("holds a control character")),
            ("ar live", Some("holds a space")),
            ("   ", Some("is empty")),
        ] {
            assert_eq!(malformed(t).as_deref(), want, "{t:?}");
        }
    }

    #[test]
    fn bases_end_in_a_slash_and_device_ids_are_one_segment() {
        assert_eq!(
            base("https://api.example/agent").unwrap().as_str(),
            "https://api.example/agent/"
        );
        assert!(base("ftp://x/").is_err());
        assert!(base("not a url").is_err());
        assert_eq!(device_endpoint("dev 1/../x"), "v1/devices/dev%201%2F..%2Fx");
    }

    #[test]
    fn each_kind_of_failure_has_its_own_step_and_plain_words() {
        let url = "https://api.example.test/v1/whoami";
        let steps: Vec<Option<String>> = [
            FailKind::Refused,
            FailKind::Dns,
            FailKind::Connect,
            FailKind::Tls,
            FailKind::Timeout,
            FailKind::Reset,
        ]
        .into_iter()
        .map(|k| unreachable_step(url, k))
        .collect();
        for (i, s) in steps.iter().enumerate() {
            let s = s.as_deref().unwrap_or_default();
            assert!(s.contains("api.example.test"), "{s}");
            // No two kinds share a step.
            assert!(steps[..i].iter().all(|o| o.as_deref() != Some(s)), "{s}");
        }
        assert!(steps[0]
            .as_deref()
            .unwrap()
            .contains("api.example.test:443"));
        assert!(steps[3].as_deref().unwrap().contains("clock"));
        assert!(!steps[0].as_deref().unwrap().contains("clock"));
        assert_eq!(unreachable_step(url, FailKind::Other), None);
        let r = HttpResult::Failed {
            kind: FailKind::Refused,
            detail: "client error (Connect): tcp connect error: os error 111".into(),
            elapsed_ms: 3,
            from_library: true,
        };
        let f = unreachable_finding(url, &r).unwrap();
        assert_eq!(
            f.message.brief(),
            format!("GET {url}: connection refused after 3 ms")
        );
        assert!(f
            .message
            .ends_with("(client error (Connect): tcp connect error: os error 111)"));
        assert_eq!(f.remedy.for_person().len(), 1);
        assert!(f.remedy.for_person()[0].starts_with("Nothing accepts connections"));
    }
}
