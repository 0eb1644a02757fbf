//! The `api` check: is the API configured, reachable over a verified connection, answering with
//! its own envelope, and is this machine's clock right? (Whether the token is accepted is the
//! token check's question; both read the one `GET /v1/whoami`.)

use serde::Serialize;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::api::{self, Answer, Call};
use crate::ctx::{Ctx, SeenAs};
use crate::engine::{finish, CheckDef, Deps, Ran};
use crate::model::catalogue as codes;
use crate::model::outcome::{Diagnosis, Finding, Status};
use crate::model::CheckId;
use crate::probes::http::{self, FailKind, HttpResult, Response};
use crate::settings::Setting;
use crate::settings::Source;
use crate::time_util;

pub const DEF: CheckDef<Ctx> = CheckDef {
    id: CheckId::Api,
    title: "API",
    question: "Can the API be reached, and does it answer properly?",
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
    /// The proxy variables of the judged environment (the listener's, where readable).
    pub proxy_env: Vec<String>,
    /// The proxy the request went through, credentials masked.
    pub via_proxy: Option<String>,
    /// Whose view is judged and where the doctor's own differs.
    pub seen_as: SeenAs,
    pub call: Option<Call>,
    pub now: i64,
}

fn run(ctx: Arc<Ctx>, _: Deps) -> Pin<Box<dyn Future<Output = Ran> + Send>> {
    Box::pin(async move {
        if let Some(why) = ctx.nothing_set_up().await {
            return crate::engine::not_run(&why);
        }
        finish(gather(&ctx).await, diagnose)
    })
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
            crate::install::Loaded::Invalid(why) => Some(why.clone()),
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
        call,
        now: time_util::now(),
    }
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
    let found: Vec<Found> = answer(api, url, r)
        .into_iter()
        .chain(clock_skew(f, r))
        .collect();
    Diagnosis::from_findings(summary(f, r), found)
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
            "Give {flag} the API's base URL with its scheme, e.g. {flag} https://api.example.com (or leave it out to use AGENT_ROOMS_API_URL or config.json's api_url)."
        )),
        Source::Env(var) => fnd.with_only_step(format!(
            "Set {var} to the API's base URL with its scheme (https://…) where it is set — the listener's service or start script, or your shell profile — then restart the listener; or unset it to use config.json's api_url."
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
            vec![(Status::Fail, Finding::new(codes::API_INSECURE_URL, format!("api_url {} (from {}) is plain http:// to a host that is not loopback; the token was not sent and the API not contacted", api.value, api.source)))],
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
            Some(_) if f.seen_as.stand_in.is_none() => "the listener",
            _ => "the doctor",
        };
        let head = format!("{who} reaches the API through {proxy}{fault}");
        fnd.message = format!("{head}; {}", fnd.message);
        if !fault.is_empty() {
            fnd = fnd.with_step_first(format!(
                "Start the proxy at {proxy}, or correct the proxy variables in {}'s environment (then restart it so it reads them).",
                if who == "the listener" { "the listener" } else { "your shell" }
            ));
        }
    } else if !f.proxy_env.is_empty() {
        fnd.message.push_str(&format!(
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
fn answer(api: &Setting<String>, url: &str, r: &Response) -> Option<Found> {
    match api::classify(r, "agent_id") {
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
            let mut fnd = api::envelope_finding(&e, &format!("GET {url}"))
                .with_step_first(format!("The API asks to back off{after}."));
            fnd.message.push_str(&after);
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
    let server = r
        .date
        .as_deref()
        .and_then(|d| httpdate::parse_http_date(d).ok())?;
    let server = server
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let skew = f.now - server;
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

/// The check's one line: how it was reached, through what, as whom.
fn summary(f: &Facts, r: &Response) -> String {
    let mut summary = format!(
        "reachable: HTTP {} in {} ms ({})",
        r.status, r.elapsed_ms, r.version
    );
    if let Answer::Refused { envelope: e } = api::classify(r, "agent_id") {
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
    if let (Some(_), Some(why)) = (f.seen_as.listener_pid, &f.seen_as.stand_in) {
        summary.push_str(&format!("; {why}"));
    }
    summary
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::settings::Source;

    pub(crate) const NOW: i64 = 1_795_608_000;

    use crate::probes::http::test_response as resp;
    /// Facts of a made call to https://api.example (given by --api-url) that got `r`.
    pub(crate) fn facts(r: HttpResult) -> Facts {
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
            via_proxy: None,
            seen_as: SeenAs::default(),
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
        assert_eq!((d.status, codes(&d)), (Status::Skip, vec![]));
        assert!(
            d.summary.contains("config.json is unreadable"),
            "{}",
            d.summary
        );
        f.config_problem = None;
        let d = diagnose(&f);
        assert_eq!(
            (d.status, codes(&d)),
            (Status::Skip, vec!["API_URL_MISSING"])
        );
        let mut f = facts(HttpResult::Response(resp(200, WHOAMI)));
        f.offline = true;
        assert_eq!(diagnose(&f).status, Status::Skip);
        let mut f = facts(HttpResult::Response(resp(200, WHOAMI)));
        f.insecure = true;
        assert_eq!(codes(&diagnose(&f)), vec!["API_INSECURE_URL"]);
        let mut f = facts(HttpResult::Response(resp(200, WHOAMI)));
        f.url_problem = Some("relative URL without a base".into());
        assert_eq!(codes(&diagnose(&f)), vec!["CONFIG_INVALID"]);
        // A flag's value is fixed on the command line, a variable's where it is set, a file's in it.
        let steps = |f: &Facts| diagnose(f).findings[0].remedy.steps.clone();
        let by_flag = steps(&f);
        assert_eq!(by_flag.len(), 1);
        assert!(
            by_flag[0].starts_with("Give --api-url the API's base URL"),
            "{by_flag:?}"
        );
        f.api_url.as_mut().unwrap().source = Source::Env("AGENT_ROOMS_API_URL".into());
        let by_env = steps(&f);
        assert!(
            by_env.len() == 1 && by_env[0].starts_with("Set AGENT_ROOMS_API_URL"),
            "{by_env:?}"
        );
        f.api_url.as_mut().unwrap().source = Source::Config("/h/config.json".into());
        assert!(steps(&f)[0].contains("file"), "{:?}", steps(&f));
    }

    #[test]
    fn a_proxy_that_fails_is_named_as_the_listeners() {
        let refused = || HttpResult::Failed {
            kind: FailKind::Refused,
            detail: "tcp connect error".into(),
            elapsed_ms: 1,
        };
        let mut f = facts(refused());
        f.via_proxy = Some("http://127.0.0.1:9".into());
        f.seen_as = SeenAs {
            whose: "listener pid 42 (user alice)".into(),
            listener_pid: Some(42),
            ..SeenAs::default()
        };
        let d = diagnose(&f);
        assert_eq!(codes(&d), vec!["API_UNREACHABLE"]);
        assert!(
            d.findings[0].message.starts_with(
                "the listener reaches the API through http://127.0.0.1:9, which refuses connections; GET "
            ),
            "{}",
            d.findings[0].message
        );
        // Without a listener it is the doctor's own proxy; a timeout is not the proxy's refusal.
        f.seen_as.stand_in = Some("no listener".into());
        f.call = Some(Call::Made {
            url: "https://api.example/v1/whoami".into(),
            result: Box::new(HttpResult::Failed {
                kind: FailKind::Timeout,
                detail: "operation timed out".into(),
                elapsed_ms: 1,
            }),
        });
        let m = &diagnose(&f).findings[0].message;
        assert!(
            m.starts_with("the doctor reaches the API through http://127.0.0.1:9; GET "),
            "{m}"
        );
        for (kind, said) in [
            (FailKind::Connect, "which cannot be connected to"),
            (FailKind::Dns, "whose name does not resolve"),
        ] {
            f.call = Some(Call::Made {
                url: "u".into(),
                result: Box::new(HttpResult::Failed {
                    kind,
                    detail: "d".into(),
                    elapsed_ms: 1,
                }),
            });
            assert!(diagnose(&f).findings[0].message.contains(said));
        }
    }

    #[test]
    fn a_reachable_api_says_its_proxy_and_where_your_view_differs() {
        let mut f = facts(HttpResult::Response(resp(200, WHOAMI)));
        assert!(!diagnose(&f).summary.contains("proxy"));
        f.via_proxy = Some("http://proxy:3128".into());
        f.seen_as = SeenAs {
            whose: "listener pid 42 (user alice)".into(),
            listener_pid: Some(42),
            differs: vec![crate::ctx::Difference {
                what: "API URL",
                listener: "https://a/".into(),
                yours: "https://b/".into(),
            }],
            ..SeenAs::default()
        };
        let d = diagnose(&f);
        assert_eq!(d.status, Status::Pass);
        assert!(
            d.summary.ends_with("; through proxy http://proxy:3128; judged as listener pid 42 (user alice) sees it, which differs from your shell: API URL https://a/ (yours: https://b/)"),
            "{}",
            d.summary
        );
    }

    #[test]
    fn an_unreadable_listener_environment_is_said() {
        let mut f = facts(HttpResult::Response(resp(200, WHOAMI)));
        f.seen_as = SeenAs {
            whose: "your environment".into(),
            stand_in: Some("no listener is running: your environment stands in".into()),
            ..SeenAs::default()
        };
        // With no listener at all, that is the usual case: nothing to add.
        assert!(!diagnose(&f).summary.contains("stands in"));
        f.seen_as.listener_pid = Some(42);
        f.seen_as.stand_in = Some("the environment of listener pid 42 (user bob) is not readable (permission denied): its AGENT_ROOMS_TOKEN, AGENT_ROOMS_API_URL and proxy settings are not seen; your environment stands in".into());
        let d = diagnose(&f);
        assert!(
            d.summary.ends_with("; your environment stands in"),
            "{}",
            d.summary
        );
        assert!(d.summary.contains("is not readable (permission denied)"));
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
        assert!(!d.findings[0].message.contains("proxy"));
        // The proxy settings in use are named with an unreachable API, and only then.
        let mut f = facts(HttpResult::Failed {
            kind: FailKind::Refused,
            detail: "tcp connect error".into(),
            elapsed_ms: 1,
        });
        f.proxy_env = vec!["HTTPS_PROXY=http://proxy:3128".into()];
        let d = diagnose(&f);
        assert!(d.findings[0]
            .message
            .ends_with("; proxy settings in use: HTTPS_PROXY=http://proxy:3128"));
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
        // A 404 on whoami is a wrong URL path, envelope or not, with the id to quote.
        let mut r = resp(
            404,
            r#"{"error":{"code":"NOT_FOUND","status":404,"request_id":"req-4"}}"#,
        );
        r.cf_ray = Some("ray-4".into());
        let d = diagnose(&facts(HttpResult::Response(r)));
        assert_eq!((d.status, codes(&d)), (Status::Fail, vec!["API_URL_WRONG"]));
        assert_eq!(d.findings[0].request_id.as_deref(), Some("req-4"));
        assert!(d.findings[0].message.contains("HTTP 404 (NOT_FOUND)"));
        let mut r = resp(404, "<html>Not Found</html>");
        r.cf_ray = Some("ray-4".into());
        let d = diagnose(&facts(HttpResult::Response(r)));
        assert_eq!(codes(&d), vec!["API_URL_WRONG"]);
        assert_eq!(d.findings[0].request_id.as_deref(), Some("ray-4"));
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
