//! The `api` check: is the API configured, reachable over a verified connection, answering with
//! its own envelope, and is this machine's clock right? (Whether the token is accepted is the
//! token check's question; both read the one `GET /v1/whoami`.)

use serde::{Deserialize, Serialize};
use std::sync::Arc;

use crate::api::{self, Answer, Call};
use crate::ctx::{Ctx, SeenAs};
use super::check::Check;
use crate::engine::Deps;
use crate::model::catalogue as codes;
use crate::model::outcome::{Diagnosis, Finding, Status};
use crate::model::text::Text;
use crate::model::CheckId;
use crate::probes::http::{self, FailKind, HttpResult, Response};
use crate::settings::Setting;
use crate::settings::Source;
use crate::time_util;

/// The api check, as the registry lists it.
pub struct ApiCheck;

impl Check for ApiCheck {
    type Facts = Facts;
    const ID: CheckId = CheckId::Api;
    const TITLE: &'static str = "API";
    const QUESTION: &'static str = "Can the API be reached, and does it answer properly?";
    const INSPECTS: &'static str = "the API URL's source and safety, GET /v1/whoami: reachability, \
        TLS, proxy, latency, the error envelope, clock skew";

    async fn gather(ctx: Arc<Ctx>, _: Deps) -> Facts {
        gather(&ctx).await
    }
    fn diagnose(facts: &Facts) -> Diagnosis {
        diagnose(facts)
    }
    fn aspects(f: &Facts, out: &mut crate::model::aspect::Aspects) {
        let url = f.api_url.as_ref();
        let url = url.map_or("none".into(), |u| format!("{} (from {})", u.value, u.source));
        out.put("api", "API URL", url);
        out.put("api", "proxy", f.via_proxy.clone().unwrap_or_else(|| "none".into()));
        out.put("api", "proxy variables", f.proxy_env.join(", "));
        if let Some(Call::Made { result, .. }) = &f.call {
            if let HttpResult::Response(resp) = result.as_ref() {
                let skew = skew_words(f.now, resp.date.as_deref());
                out.put("clock", "clock against the API", skew);
            }
        }
    }
}

/// This machine's clock against the API's Date, to the minute that matters (CLOCK_SKEW's).
fn skew_words(now: i64, date: Option<&str>) -> String {
    let Some(s) = skew_secs(now, date) else {
        return "unknown (no Date)".into();
    };
    if s.abs() <= SKEW_LIMIT_SECS {
        "within a minute".into()
    } else if s > 0 {
        format!("{} ahead", time_util::ago(s))
    } else {
        format!("{} behind", time_util::ago(-s))
    }
}

/// Clock differences above this break tokens and passports.
pub const SKEW_LIMIT_SECS: i64 = 60;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Facts {
    pub offline: bool,
    pub api_url: Option<Setting<String>>,
    /// Why config.json could not be read, when it could not.
    pub config_problem: Option<String>,
    pub url_problem: Option<String>,
    pub insecure: bool,
    /// The proxy variables of the judged environment (the listener's, where readable).
    pub proxy_env: Vec<String>,
    /// The proxy the request went through, credentials masked.
    pub via_proxy: Option<String>,
    /// Whose view is judged and where the doctor's own differs.
    pub seen_as: SeenAs,
    pub call: Option<Call>,
    /// What the answer was, classified when the call was made (the body itself is not kept:
    /// it may be long, and it is the API's; what a check reads of it is this).
    pub answer: Option<Answer<()>>,
    #[serde(
        serialize_with = "crate::time_util::ser_rfc3339",
        deserialize_with = "crate::time_util::de_rfc3339"
    )]
    pub now: i64,
}


pub async fn gather(ctx: &Ctx) -> Facts {
    let install = ctx.install().await;
    let api_url = install.settings.api_url.clone();
    let parsed = api_url.as_ref().map(|u| api::base(&u.value));
    let call = (!ctx.opts.offline && api_url.is_some()).then_some(());
    let call = match call {
        Some(()) => Some((*ctx.whoami().await).clone()),
        None => None,
    };
    Facts {
        offline: ctx.opts.offline,
        config_problem: match &install.config {
            crate::install::Loaded::Invalid(why) | crate::install::Loaded::Denied(why) => {
                Some(why.clone())
            }
            _ => None,
        },
        url_problem: parsed.as_ref().and_then(|p| p.as_ref().err().cloned()),
        insecure: parsed
            .as_ref()
            .and_then(|p| p.as_ref().ok())
            .is_some_and(http::insecure),
        via_proxy: parsed
            .as_ref()
            .and_then(|p| p.as_ref().ok())
            .and_then(|u| install.net.proxy_for(u))
            .map(crate::redact::redact_text),
        api_url,
        proxy_env: install.net.described(),
        seen_as: install.seen_as.clone(),
        answer: classified(call.as_ref()),
        call,
        now: time_util::now(),
    }
}

/// The whoami answer of `call`, classified while its body is at hand (none without a response).
pub(crate) fn classified(call: Option<&Call>) -> Option<Answer<()>> {
    let answer = api::answer_of(call?, "agent_id").ok()?;
    Some(answer.map(|_| ()))
}

/// One finding a rule raises, with the status it gives the check.
type Found = (Status, Finding);

/// The api check's diagnosis: configured, usable, safe to call, reached, and what it answered
/// — each a rule below.
pub fn diagnose(f: &Facts) -> Diagnosis {
    if f.offline {
        return Diagnosis::skip("offline (--offline): no network request made");
    }
    let Some(api) = &f.api_url else {
        return no_url(f);
    };
    if let Some(d) = unusable_url(f, api).or_else(|| insecure(f, api)) {
        return d;
    }
    let (url, result) = match &f.call {
        Some(Call::Made { url, result }) => (url, result),
        Some(Call::NotMade(why)) => return Diagnosis::skip(format!("no request made: {why}")),
        None => return Diagnosis::skip("no request made"),
    };
    if let Some(d) = unreachable(f, url, result) {
        return d;
    }
    let HttpResult::Response(r) = &**result else {
        return Diagnosis::skip("no answer");
    };
    let Some(answered) = &f.answer else {
        return Diagnosis::skip("no answer");
    };
    let found: Vec<Found> = answer(api, url, r, answered)
        .into_iter()
        .chain(clock_skew(f, r))
        .collect();
    Diagnosis::from_findings(summary(f, r, answered), found)
}

/// No API URL anywhere (API_URL_MISSING), or none known because config.json is unreadable.
fn no_url(f: &Facts) -> Diagnosis {
    // One problem, one finding: config.json's own finding is the token check's
    // CONFIG_INVALID; the URL it would have held is unknown, not missing.
    if f.config_problem.is_some() {
        return Diagnosis::skipped(
            "skipped: config.json is unreadable, so the API URL it would hold is unknown",
            "config.json is unreadable",
        );
    }
    let msg = "no API URL: none in --api-url, AGENT_ROOMS_API_URL or config.json".to_string();
    let mut d = Diagnosis::skipped(
        "skipped: no API URL is configured",
        "no API URL is configured",
    );
    d.findings.push(Finding::new(codes::API_URL_MISSING, msg));
    d
}

/// An API URL that is not a URL: CONFIG_INVALID, fixed where it was given.
fn unusable_url(f: &Facts, api: &Setting<String>) -> Option<Diagnosis> {
    let p = f.url_problem.as_ref()?;
    let fnd = Finding::new(
        codes::CONFIG_INVALID,
        format!(
            "api_url {:?} (from {}) is not a usable URL: {p}",
            api.value, api.source
        ),
    );
    // A value given by a flag or a variable is fixed there, not in a file (CONTRACT §2).
    let fnd = match &api.source {
        Source::Flag(flag) => fnd.with_only_step(format!(
            "Give {flag} the API's base URL with its scheme, e.g. {flag} https://api.example.com (or \
                leave it out to use AGENT_ROOMS_API_URL or config.json's api_url)."
        )),
        Source::Env(var) => fnd.with_only_step(format!(
            "Set {var} to the API's base URL with its scheme (https://…) where it is set — the \
                listener's service or start script, or your shell profile — then restart the \
                listener; or unset it to use config.json's api_url."
        )),
        Source::Config(_) => fnd,
    };
    Some(Diagnosis::from_findings(
        "the API URL is not usable",
        vec![(Status::Fail, fnd)],
    ))
}

/// Plain http:// to a host that is not loopback: API_INSECURE_URL, and the API not contacted.
fn insecure(f: &Facts, api: &Setting<String>) -> Option<Diagnosis> {
    f.insecure.then(|| {
        Diagnosis::from_findings(
            "the API URL is plain http: not contacted",
            vec![(
                Status::Fail,
                Finding::new(
                    codes::API_INSECURE_URL,
                    format!(
                        "api_url {} (from {}) is plain http:// to a host that is not loopback; the \
                            token was not sent and the API not contacted",
                        api.value, api.source
                    ),
                ),
            )],
        )
    })
}

/// No answer at all (API_UNREACHABLE), with the proxy's part in it when one stands between.
fn unreachable(f: &Facts, url: &str, result: &HttpResult) -> Option<Diagnosis> {
    let mut fnd = api::unreachable_finding(url, result)?;
    if let (Some(proxy), HttpResult::Failed { kind, .. }) = (&f.via_proxy, result) {
        // Connecting is the proxy's part: a refusal or failed lookup is the proxy's.
        let fault = match kind {
            FailKind::Refused => ", which refuses connections",
            FailKind::Connect => ", which cannot be connected to",
            FailKind::Dns => ", whose name does not resolve",
            _ => "",
        };
        let who = match f.seen_as.listener_pid {
            Some(_) if f.seen_as.doctor_stands_in.is_none() => "the listener",
            _ => "the doctor",
        };
        let head = format!("{who} reaches the API through {proxy}{fault}");
        let mut message = Text::from(format!("{head}; "));
        message.push_text(&fnd.message);
        fnd.message = message;
        if !fault.is_empty() {
            // The proxy is what fails: its step alone (the API's host is not the matter).
            fnd = fnd.with_only_step(format!(
                "Start the proxy at {proxy}, or correct the proxy variables in {}'s environment \
                    (then restart it so it reads them).",
                if who == "the listener" { "the listener" } else { "your shell" }
            ));
        }
    } else if !f.proxy_env.is_empty() {
        fnd.message.push_words(format!(
            "; proxy settings in use: {}",
            f.proxy_env.join(", ")
        ));
    }
    Some(Diagnosis::from_findings(
        "the API cannot be reached",
        vec![(Status::Fail, fnd)],
    ))
}

/// What the API answered GET /v1/whoami: a wrong path (API_URL_WRONG), not its envelope
/// (API_BAD_RESPONSE), rate limited or unavailable; a refusal is the token check's to judge.
fn answer(api: &Setting<String>, url: &str, r: &Response, answered: &Answer<()>) -> Option<Found> {
    match answered.clone() {
        // A 404 on /v1/whoami: the URL's path is wrong (one problem: never a bad token).
        answer if r.status == 404 => {
            let (said, id) = match &answer {
                Answer::Refused { envelope } => {
                    (format!(" ({})", envelope.code), envelope.request_id.clone())
                }
                _ => (String::new(), r.cf_ray.clone()),
            };
            Some((
                Status::Fail,
                Finding::new(codes::API_URL_WRONG,
                    format!(
                        "GET {url} answered HTTP 404{said}: the API has no /v1/whoami under api_url {} (from {})",
                        api.value, api.source
                    ),
                )
                .with_request_id(id),
            ))
        }
        Answer::NotAnAnswer { message } => Some((
            Status::Fail,
            Finding::new(codes::API_BAD_RESPONSE, format!("GET {url}: {message}"))
                .with_request_id(r.cf_ray.clone()),
        )),
        Answer::Unavailable { envelope: e } if e.status == Some(429) => {
            let after = r
                .retry_after
                .as_ref()
                .map(|a| format!("; Retry-After: {a}"))
                .unwrap_or_default();
            let wait = match r.retry_after.as_deref().map(str::trim) {
                Some(a) if a.parse::<u64>().is_ok() => {
                    format!("Wait {a} s (the API's Retry-After)")
                }
                Some(a) => format!("Wait until {a} (the API's Retry-After)"),
                None => "Wait a minute (the API gave no Retry-After)".to_string(),
            };
            let mut fnd = api::envelope_finding(&e, &format!("GET {url}")).with_step_first(
                format!("{wait}, then run the doctor again: the listener reconnects on its own once the limit lifts."),
            );
            fnd.message.push_words(after.clone());
            Some((Status::Warn, fnd))
        }
        Answer::Unavailable { envelope: e } => Some((
            Status::Fail,
            api::envelope_finding(&e, &format!("GET {url}")),
        )),
        Answer::Refused { .. } | Answer::Accepted { .. } => None,
    }
}

/// This machine's clock against the API's Date header: CLOCK_SKEW.
fn clock_skew(f: &Facts, r: &Response) -> Option<Found> {
    let skew = skew_secs(f.now, r.date.as_deref())?;
    // (skew is never 0 here, so `>` and `>=` read the same: an equivalent mutant.)
    if skew.abs() <= SKEW_LIMIT_SECS {
        return None;
    }
    let dir = if skew > 0 { "ahead of" } else { "behind" };
    Some((
        Status::Warn,
        Finding::new(
            codes::CLOCK_SKEW,
            format!(
                "this machine's clock is {} {dir} the API's (Date: {})",
                time_util::ago(skew.abs()),
                r.date.clone().unwrap_or_default()
            ),
        ),
    ))
}

pub use crate::api::skew_secs;

/// The check's one line: how it was reached, through what, as whom.
fn summary(f: &Facts, r: &Response, answered: &Answer<()>) -> String {
    let mut summary = format!(
        "reachable: HTTP {} in {} ms ({})",
        r.status, r.elapsed_ms, r.version
    );
    if let Answer::Refused { envelope: e } = answered {
        if r.status != 404 {
            summary.push_str(&format!(
                "; it answers {} (judged by the token check)",
                e.code
            ));
        }
    }
    if let Some(p) = &f.via_proxy {
        summary.push_str(&format!("; through proxy {p}"));
    }
    if let Some(said) = f.seen_as.said() {
        summary.push_str(&format!("; {said}"));
    }
    // A listener runs, but its settings could not be seen: say what stood in.
    if let (Some(_), Some(why)) = (f.seen_as.listener_pid, &f.seen_as.doctor_stands_in) {
        summary.push_str(&format!("; {why}"));
    }
    summary
}

#[cfg(test)]
pub(crate) mod tests;
