//! The `api` check: is the API configured, reachable over a verified connection, answering with
//! its own envelope, and is this machine's clock right? (Whether the token is accepted is the
//! token check's question; both read the one `GET /v1/whoami`.)

use serde::Serialize;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::cli::CheckId;
use crate::ctx::{Call, Ctx};
use crate::engine::{finish, CheckDef, Deps, Ran};
use crate::envelope::{self, Envelope};
use crate::outcome::{Diagnosis, Finding, Status};
use crate::probes::http::{self, HttpResult, Response};
use crate::settings::Setting;
use crate::time_util;

pub const DEF: CheckDef<Ctx> = CheckDef {
    id: CheckId::Api,
    title: "API",
    inspects: "the API URL's source and safety, GET /v1/whoami: reachability, TLS, proxy, latency, the error envelope, clock skew",
    needs: &[],
    run,
};

/// Clock differences above this break tokens and passports.
pub const SKEW_LIMIT_SECS: i64 = 60;

#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    pub offline: bool,
    pub api_url: Option<Setting<String>>,
    /// Why config.json could not be read, when it could not.
    pub config_problem: Option<String>,
    pub url_problem: Option<String>,
    pub insecure: bool,
    pub proxy_env: Vec<String>,
    pub call: Option<Call>,
    pub now: i64,
}

fn run(ctx: Arc<Ctx>, _: Deps) -> Pin<Box<dyn Future<Output = Ran> + Send>> {
    Box::pin(async move { finish(gather(&ctx).await, diagnose) })
}

pub async fn gather(ctx: &Ctx) -> Facts {
    let install = ctx.install().await;
    let api_url = install.settings.api_url.clone();
    let parsed = api_url.as_ref().map(|u| crate::ctx::api_base(&u.value));
    let call = (!ctx.opts.offline && api_url.is_some()).then_some(());
    let call = match call {
        Some(()) => Some((*ctx.whoami().await).clone()),
        None => None,
    };
    Facts {
        offline: ctx.opts.offline,
        config_problem: match &install.config {
            crate::install::Loaded::Invalid(why) => Some(why.clone()),
            _ => None,
        },
        url_problem: parsed.as_ref().and_then(|p| p.as_ref().err().cloned()),
        insecure: parsed
            .as_ref()
            .and_then(|p| p.as_ref().ok())
            .is_some_and(http::insecure),
        api_url,
        proxy_env: http::proxy_env(),
        call,
        now: time_util::now(),
    }
}

/// What an API response is, as far as the doctor's checks care.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// 2xx with a JSON body.
    Ok(serde_json::Value),
    /// The API's error envelope (request id from the envelope, else cf-ray).
    Error(Envelope),
    /// Anything else: the message says what came.
    Bad(String),
}

/// Classify a response: success JSON, an error envelope, or not what the API sends.
pub fn answer(r: &Response) -> Answer {
    let ct = r
        .content_type
        .clone()
        .unwrap_or_else(|| "no content-type".into());
    let ray = r
        .cf_ray
        .as_ref()
        .map(|c| format!(", cf-ray {c}"))
        .unwrap_or_default();
    if let Some(p) = &r.body_problem {
        return Answer::Bad(format!("HTTP {} ({ct}{ray}): {p}", r.status));
    }
    if (300..400).contains(&r.status) {
        let to = r
            .location
            .clone()
            .unwrap_or_else(|| "nowhere (no Location)".into());
        return Answer::Bad(format!("HTTP {} redirect to {to}; the doctor does not follow redirects with the token (check the API URL)", r.status));
    }
    if r.body.iter().all(|b| b.is_ascii_whitespace()) {
        return Answer::Bad(format!("HTTP {} with an empty body ({ct}{ray})", r.status));
    }
    if (200..300).contains(&r.status) {
        return match serde_json::from_slice::<serde_json::Value>(&r.body) {
            Ok(v) if v.is_object() => Answer::Ok(v),
            _ => Answer::Bad(format!(
                "HTTP {} but the body is not the JSON object the API sends ({ct}{ray}): {:?}",
                r.status,
                http::excerpt(&r.body)
            )),
        };
    }
    match envelope::parse(&r.body) {
        Ok(mut e) => {
            if e.request_id.is_none() {
                e.request_id = r.cf_ray.clone();
            }
            if e.status.is_none() {
                e.status = Some(r.status);
            }
            Answer::Error(e)
        }
        Err(why) => Answer::Bad(format!(
            "HTTP {} that is not an agent-rooms error envelope ({why}; {ct}{ray}): {:?}",
            r.status,
            http::excerpt(&r.body)
        )),
    }
}

/// `answer`, and a success must carry `field` (a whoami has `agent_id`, a device `device_id`):
/// a 200 with some other JSON is not the API's answer.
pub fn answer_with(r: &Response, field: &str) -> Answer {
    match answer(r) {
        Answer::Ok(v) if !v.get(field).is_some_and(|f| f.is_string()) => Answer::Bad(format!(
            "HTTP {} but the JSON has no {field:?} string, so it is not the API's answer: {:?}",
            r.status,
            http::excerpt(&r.body)
        )),
        other => other,
    }
}

/// The answer of a call for a check that reads it (token, device), or why there is none: not
/// made, or failed in transport (which the api check reports; it is never a bad token).
pub fn call_answer<'a>(call: &'a Call, field: &str) -> Result<(&'a Response, Answer), String> {
    match call {
        Call::NotMade(why) => Err(why.clone()),
        Call::Made { result, .. } => match result.as_ref() {
            HttpResult::Failed { kind, .. } => Err(format!("the API {}", kind.words())),
            HttpResult::Response(r) => Ok((r, answer_with(r, field))),
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
    Finding::new(&e.code, msg).with_request_id(e.request_id.clone())
}

/// The finding for a failed exchange.
pub fn unreachable_finding(url: &str, r: &HttpResult) -> Option<Finding> {
    match r {
        HttpResult::Failed {
            kind,
            detail,
            elapsed_ms,
        } => Some(Finding::new(
            "API_UNREACHABLE",
            format!(
                "GET {url}: {} after {elapsed_ms} ms ({detail})",
                kind.words()
            ),
        )),
        HttpResult::Response(_) => None,
    }
}

pub fn diagnose(f: &Facts) -> Diagnosis {
    if f.offline {
        return Diagnosis::skip("offline (--offline): no network request made");
    }
    let Some(api) = &f.api_url else {
        let mut msg =
            "no API URL: none in --api-url, AGENT_ROOMS_API_URL or config.json".to_string();
        if let Some(p) = &f.config_problem {
            msg.push_str(&format!(" (config.json is unusable: {p})"));
        }
        let mut d = Diagnosis::skip("skipped: no API URL is configured");
        d.findings.push(Finding::new("API_URL_MISSING", msg));
        return d;
    };
    if let Some(p) = &f.url_problem {
        return Diagnosis::from_findings(
            "the API URL is not usable",
            vec![(
                Status::Fail,
                Finding::new(
                    "CONFIG_INVALID",
                    format!(
                        "api_url {:?} (from {}) is not a usable URL: {p}",
                        api.value, api.source
                    ),
                ),
            )],
        );
    }
    if f.insecure {
        return Diagnosis::from_findings(
            "the API URL is plain http: not contacted",
            vec![(Status::Fail, Finding::new("API_INSECURE_URL", format!("api_url {} (from {}) is plain http:// to a host that is not loopback; the token was not sent and the API not contacted", api.value, api.source)))],
        );
    }
    let (url, result) = match &f.call {
        Some(Call::Made { url, result }) => (url, result),
        Some(Call::NotMade(why)) => return Diagnosis::skip(format!("no request made: {why}")),
        None => return Diagnosis::skip("no request made"),
    };
    if let Some(mut fnd) = unreachable_finding(url, result) {
        if !f.proxy_env.is_empty() {
            fnd.message.push_str(&format!(
                "; proxy settings in use: {}",
                f.proxy_env.join(", ")
            ));
        }
        return Diagnosis::from_findings("the API cannot be reached", vec![(Status::Fail, fnd)]);
    }
    let HttpResult::Response(r) = &**result else {
        return Diagnosis::skip("no answer");
    };
    let mut found = vec![];
    let mut summary = format!(
        "reachable: HTTP {} in {} ms ({})",
        r.status, r.elapsed_ms, r.version
    );
    match answer_with(r, "agent_id") {
        Answer::Bad(msg) => found.push((
            Status::Fail,
            Finding::new("API_BAD_RESPONSE", format!("GET {url}: {msg}"))
                .with_request_id(r.cf_ray.clone()),
        )),
        Answer::Error(e) if r.status == 429 => {
            let after = r
                .retry_after
                .as_ref()
                .map(|a| format!("; Retry-After: {a}"))
                .unwrap_or_default();
            let mut fnd = envelope_finding(&e, &format!("GET {url}"))
                .with_step_first(format!("The API asks to back off{after}."));
            fnd.message.push_str(&after);
            found.push((Status::Warn, fnd));
        }
        Answer::Error(e) if r.status >= 500 => {
            found.push((Status::Fail, envelope_finding(&e, &format!("GET {url}"))))
        }
        Answer::Error(e) => summary.push_str(&format!(
            "; it answers {} (judged by the token check)",
            e.code
        )),
        Answer::Ok(_) => {}
    }
    if let Some(server) = r
        .date
        .as_deref()
        .and_then(|d| httpdate::parse_http_date(d).ok())
    {
        let server = server
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let skew = f.now - server;
        if skew.abs() > SKEW_LIMIT_SECS {
            let dir = if skew > 0 { "ahead of" } else { "behind" };
            found.push((
                Status::Warn,
                Finding::new(
                    "CLOCK_SKEW",
                    format!(
                        "this machine's clock is {} {dir} the API's (Date: {})",
                        time_util::ago(skew.abs()),
                        r.date.clone().unwrap_or_default()
                    ),
                ),
            ));
        }
    }
    if !f.proxy_env.is_empty() {
        summary.push_str(&format!("; proxy: {}", f.proxy_env.join(", ")));
    }
    Diagnosis::from_findings(summary, found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probes::http::FailKind;
    use crate::settings::Source;

    const NOW: i64 = 1_795_608_000;

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status,
            version: "HTTP/1.1".into(),
            content_type: Some("application/json".into()),
            cf_ray: None,
            retry_after: None,
            date: None,
            location: None,
            body: body.as_bytes().to_vec(),
            body_len: body.len(),
            body_problem: None,
            elapsed_ms: 12,
        }
    }
    fn facts(r: HttpResult) -> Facts {
        Facts {
            offline: false,
            api_url: Some(Setting {
                value: "https://api.example".into(),
                source: Source::Flag("--api-url".into()),
            }),
            config_problem: None,
            url_problem: None,
            insecure: false,
            proxy_env: vec![],
            call: Some(Call::Made {
                url: "https://api.example/v1/whoami".into(),
                result: Box::new(r),
            }),
            now: NOW,
        }
    }
    fn codes(d: &Diagnosis) -> Vec<&str> {
        d.findings.iter().map(|f| f.code.as_str()).collect()
    }
    const WHOAMI: &str =
        r#"{"agent_id":"agt_1","owner_id":"own_1","scopes":["READ"],"expires_at":null}"#;

    #[test]
    fn a_good_answer_passes_and_auth_errors_are_for_the_token_check() {
        let d = diagnose(&facts(HttpResult::Response(resp(200, WHOAMI))));
        assert_eq!(d.status, Status::Pass);
        assert_eq!(d.summary, "reachable: HTTP 200 in 12 ms (HTTP/1.1)");
        let d = diagnose(&facts(HttpResult::Response(resp(
            401,
            r#"{"error":{"code":"REVOKED","status":401}}"#,
        ))));
        assert_eq!(d.status, Status::Pass);
        assert!(d.summary.contains("REVOKED (judged by the token check)"));
    }

    #[test]
    fn not_configured_offline_insecure_and_malformed() {
        let mut f = facts(HttpResult::Response(resp(200, WHOAMI)));
        f.api_url = None;
        f.config_problem = Some("/h/config.json is not valid JSON at line 1 column 1".into());
        let d = diagnose(&f);
        assert_eq!(
            (d.status, codes(&d)),
            (Status::Skip, vec!["API_URL_MISSING"])
        );
        assert!(d.findings[0].message.contains("config.json is unusable"));
        let mut f = facts(HttpResult::Response(resp(200, WHOAMI)));
        f.offline = true;
        assert_eq!(diagnose(&f).status, Status::Skip);
        let mut f = facts(HttpResult::Response(resp(200, WHOAMI)));
        f.insecure = true;
        assert_eq!(codes(&diagnose(&f)), vec!["API_INSECURE_URL"]);
        let mut f = facts(HttpResult::Response(resp(200, WHOAMI)));
        f.url_problem = Some("relative URL without a base".into());
        assert_eq!(codes(&diagnose(&f)), vec!["CONFIG_INVALID"]);
    }

    #[test]
    fn failures_say_which_kind() {
        let d = diagnose(&facts(HttpResult::Failed {
            kind: FailKind::Refused,
            detail: "tcp connect error".into(),
            elapsed_ms: 1,
        }));
        assert_eq!(
            (d.status, codes(&d)),
            (Status::Fail, vec!["API_UNREACHABLE"])
        );
        assert!(d.findings[0].message.contains("connection refused"));
    }

    #[test]
    fn server_errors_rate_limits_and_bad_bodies() {
        let mut r = resp(
            500,
            r#"{"error":{"code":"INTERNAL","status":500,"message":"boom","request_id":"req-9"}}"#,
        );
        let d = diagnose(&facts(HttpResult::Response(r.clone())));
        assert_eq!(codes(&d), vec!["INTERNAL"]);
        assert_eq!(d.findings[0].request_id.as_deref(), Some("req-9"));
        r = resp(502, "<html><body>502 Bad Gateway</body></html>");
        r.content_type = Some("text/html".into());
        r.cf_ray = Some("8a1b2c-AMS".into());
        let d = diagnose(&facts(HttpResult::Response(r)));
        assert_eq!(
            (d.status, codes(&d)),
            (Status::Fail, vec!["API_BAD_RESPONSE"])
        );
        assert!(
            d.findings[0].message.contains("text/html")
                && d.findings[0].message.contains("502 Bad Gateway")
        );
        assert_eq!(d.findings[0].request_id.as_deref(), Some("8a1b2c-AMS"));
        let mut r = resp(429, r#"{"error":{"code":"RATE_LIMITED","status":429}}"#);
        r.retry_after = Some("30".into());
        let d = diagnose(&facts(HttpResult::Response(r)));
        assert_eq!((d.status, codes(&d)), (Status::Warn, vec!["RATE_LIMITED"]));
        assert!(d.findings[0].message.contains("Retry-After: 30"));
        for body in ["", "{\"agent_id\":", "[1]"] {
            assert_eq!(
                codes(&diagnose(&facts(HttpResult::Response(resp(200, body))))),
                vec!["API_BAD_RESPONSE"],
                "{body:?}"
            );
        }
        let mut r = resp(302, "");
        r.location = Some("http://127.0.0.1:9/elsewhere".into());
        let d = diagnose(&facts(HttpResult::Response(r)));
        assert!(d.findings[0]
            .message
            .contains("redirect to http://127.0.0.1:9/elsewhere"));
    }

    #[test]
    fn clock_skew_over_a_minute_warns() {
        let mut r = resp(200, WHOAMI);
        r.date = Some("Wed, 25 Nov 2026 11:50:00 GMT".into());
        let d = diagnose(&facts(HttpResult::Response(r)));
        assert_eq!((d.status, codes(&d)), (Status::Warn, vec!["CLOCK_SKEW"]));
        assert!(d.findings[0].message.contains("10m 0s ahead of"));
        let mut r = resp(200, WHOAMI);
        r.date = Some("Wed, 25 Nov 2026 11:59:30 GMT".into());
        assert_eq!(
            diagnose(&facts(HttpResult::Response(r))).status,
            Status::Pass
        );
    }
}
