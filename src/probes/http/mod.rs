//! HTTP: one GET to the agent-rooms API with the token, bounded in time and body size, never
//! following a redirect, TLS always verified. Failures are classified, never judged.

use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::time::{Duration, Instant};

use crate::redact::Secret;
use crate::redact::{self, Found};

/// The most of a body the doctor reads.
pub const BODY_CAP: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub status: u16,
    pub version: String,
    pub content_type: Option<String>,
    pub cf_ray: Option<String>,
    pub retry_after: Option<String>,
    pub date: Option<String>,
    pub location: Option<String>,
    #[serde(skip)]
    pub body: Vec<u8>,
    pub body_len: usize,
    /// The body was longer than BODY_CAP (reading stopped there) or ended early.
    pub body_problem: Option<String>,
    pub elapsed_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailKind {
    Dns,
    Refused,
    Connect,
    Tls,
    Timeout,
    Reset,
    Other,
}

impl FailKind {
    pub fn words(self) -> &'static str {
        match self {
            FailKind::Dns => "DNS lookup failed",
            FailKind::Refused => "connection refused",
            FailKind::Connect => "could not connect",
            FailKind::Tls => "TLS failed",
            FailKind::Timeout => "timed out",
            FailKind::Reset => "connection reset or closed early",
            FailKind::Other => "request failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum HttpResult {
    Response(Response),
    Failed {
        kind: FailKind,
        detail: String,
        elapsed_ms: u64,
        /// `detail` is the HTTP library's own words (the kind says it plainly for a person),
        /// not the doctor's ("HTTP 200 came, but the body did not arrive…").
        from_library: bool,
    },
}

/// Is `url` plain http to a host that is not loopback (where the token must not go)?
pub fn insecure(url: &reqwest::Url) -> bool {
    if url.scheme() != "http" {
        return false;
    }
    match url.host() {
        Some(url::Host::Domain(d)) => !d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => !IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => !IpAddr::V6(ip).is_loopback(),
        None => true,
    }
}

/// The proxy settings in the doctor's environment, credentials masked.
pub fn proxy_env() -> Vec<String> {
    Net::from_vars(|k| std::env::var(k).ok()).described()
}

/// How a process reaches the network: its proxy variables and its extra CA certificates, as set
/// in one environment (the listener's, or the doctor's own when no listener runs). The request
/// is made the way that process makes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Net {
    /// The proxy variables that are set (either case), in `PROXY_VARS` order.
    pub proxy: Vec<(String, String)>,
    /// `NODE_EXTRA_CA_CERTS` / `SSL_CERT_FILE`: files of CA certificates trusted besides the
    /// built-in roots.
    pub ca_files: Vec<(String, String)>,
}

/// The variables that add CA certificates for a node listener.
pub const CA_VARS: &[&str] = &["NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE"];

impl Net {
    /// Read the proxy and CA variables through `var` (an environment's lookup).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Net {
        let set = |names: &[&str]| -> Vec<(String, String)> {
            names
                .iter()
                .filter_map(|k| {
                    var(k)
                        .filter(|v| !v.trim().is_empty())
                        .map(|v| (k.to_string(), v))
                })
                .collect()
        };
        Net {
            proxy: set(crate::probes::processes::PROXY_VARS),
            ca_files: set(CA_VARS),
        }
    }

    /// The proxies' passwords, for the run's redactor.
    pub fn secrets(&self) -> Found {
        let mut f = Found::default();
        self.proxy.iter().for_each(|(_, v)| f.url(v));
        f
    }

    fn var(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|n| {
            self.proxy
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.trim())
        })
    }

    /// The proxy a request to `url` goes through, as curl and node's proxy agents choose it:
    /// `https_proxy` for https, `http_proxy` for http, else `all_proxy`; none when `no_proxy`
    /// names the host.
    pub fn proxy_for(&self, url: &reqwest::Url) -> Option<&str> {
        let host = url.host_str().unwrap_or("").trim_matches(['[', ']']);
        if let Some(list) = self.var(&["no_proxy", "NO_PROXY"]) {
            let bypass = list.split(',').map(str::trim).any(|e| {
                let e = e.trim_start_matches('*').trim_start_matches('.');
                e == "*" || (!e.is_empty() && (host == e || host.ends_with(&format!(".{e}"))))
            }) || list.trim() == "*";
            if bypass {
                return None;
            }
        }
        let own = if url.scheme() == "https" {
            ["https_proxy", "HTTPS_PROXY"]
        } else {
            ["http_proxy", "HTTP_PROXY"]
        };
        self.var(&own)
            .or_else(|| self.var(&["all_proxy", "ALL_PROXY"]))
    }

    /// `NAME=value` for each proxy variable set, credentials masked.
    pub fn described(&self) -> Vec<String> {
        self.proxy
            .iter()
            .map(|(k, v)| format!("{k}={}", redact::redact_text(v)))
            .collect()
    }

    /// The client for a request to `url`: through `proxy_for(url)` or none at all (the doctor's
    /// own environment is not consulted), trusting the CA files besides the built-in roots.
    fn apply(
        &self,
        mut b: reqwest::ClientBuilder,
        url: &reqwest::Url,
    ) -> Result<reqwest::ClientBuilder, String> {
        b = b.no_proxy();
        let proxy = self.proxy_for(url);
        // A request that never speaks TLS (http:// through no proxy or an http:// one) needs no
        // roots: loading the system's (a few hundred certificates, parsed) and the CA files
        // would be most of the doctor's own work on such a run.
        let tls = url.scheme() == "https" || proxy.is_some_and(|p| p.starts_with("https://"));
        if !tls {
            b = b.tls_certs_only(std::iter::empty());
        }
        if let Some(p) = proxy {
            // A proxy given without a scheme is http://, as curl reads it.
            let p = if p.contains("://") {
                p.to_string()
            } else {
                format!("http://{p}")
            };
            let proxy = reqwest::Proxy::all(&p)
                .map_err(|e| format!("the proxy {} is not usable: {e}", redact::redact_text(&p)))?;
            b = b.proxy(proxy);
        }
        for (k, path) in self.ca_files.iter().filter(|_| tls) {
            let pem = std::fs::read(path).map_err(|e| format!("{k}={path} cannot be read: {e}"))?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .ok()
                .filter(|c| !c.is_empty())
                .ok_or_else(|| format!("{k}={path} holds no usable PEM certificates"))?;
            b = b.tls_certs_merge(certs);
        }
        Ok(b)
    }
}

fn classify(e: &reqwest::Error) -> FailKind {
    let mut chain = String::new();
    let mut src: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = src {
        chain.push_str(&s.to_string().to_ascii_lowercase());
        chain.push(' ');
        src = s.source();
    }
    if e.is_timeout() || chain.contains("timed out") {
        FailKind::Timeout
    } else if e.is_dns() || chain.contains("dns error") || chain.contains("failed to lookup") {
        FailKind::Dns
    } else if chain.contains("certificate")
        || chain.contains("tls")
        || chain.contains("handshake")
        || chain.contains("invalidcontenttype")
    {
        FailKind::Tls
    } else if chain.contains("refused") {
        FailKind::Refused
    } else if chain.contains("reset")
        || chain.contains("closed")
        || chain.contains("incomplete")
        || chain.contains("broken pipe")
        || chain.contains("eof")
    {
        FailKind::Reset
    } else if e.is_connect() {
        FailKind::Connect
    } else {
        FailKind::Other
    }
}

fn detail(e: &reqwest::Error) -> String {
    let mut parts = vec![];
    let mut src: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = src {
        let t = s.to_string();
        if !parts.iter().any(|p: &String| p.contains(&t)) {
            parts.push(t);
        }
        src = s.source();
    }
    redact::redact_text(&parts.join(": "))
}

/// GET `url` with the bearer `token` (if any), within `limit` for the whole exchange.
/// The request goes the way `net` says (its proxy, its CA files), never by the doctor's own
/// environment.
pub async fn get(
    url: &reqwest::Url,
    token: Option<&Secret>,
    limit: Duration,
    net: &Net,
) -> HttpResult {
    match client_for(net, url, limit) {
        Ok(c) => get_with(c, url, token, limit).await,
        Err(detail) => HttpResult::Failed {
            kind: FailKind::Other,
            detail,
            elapsed_ms: 0,
            from_library: false,
        },
    }
}

/// One client per way of reaching a host (the same `Net`, scheme and host), built on first use:
/// a run's second request (`whoami`, then the device) reuses the first one's TLS roots (not its
/// connection). `limit` bounds the connect of the first; each request has its own bound.
fn client_for(net: &Net, url: &reqwest::Url, limit: Duration) -> Result<reqwest::Client, String> {
    type Key = (Net, String, String);
    static CLIENTS: std::sync::Mutex<Vec<(Key, reqwest::Client)>> =
        std::sync::Mutex::new(Vec::new());
    let key = (
        net.clone(),
        url.scheme().to_string(),
        url.host_str().unwrap_or_default().to_string(),
    );
    let mut clients = CLIENTS.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, c)) = clients.iter().find(|(k, _)| *k == key) {
        return Ok(c.clone());
    }
    let c = net
        .apply(client_builder(limit), url)?
        .build()
        .map_err(|e| detail(&e))?;
    clients.push((key, c.clone()));
    Ok(c)
}

/// The client every request uses: no redirects, bounded, verified TLS (rustls with ring).
fn client_builder(limit: Duration) -> reqwest::ClientBuilder {
    // reqwest is built without a provider of its own: ring is the process's (installing it
    // again, as every client does, is refused harmlessly).
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        // A new connection per request: a kept-alive one can be closed by the other side (a
        // proxy such as tinyproxy closes after each exchange) just as it is reused, which
        // reads as a reset. The client (and its TLS roots) is still shared by a run's requests.
        .pool_max_idle_per_host(0)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(limit)
        .timeout(limit)
        .user_agent(concat!("agent-rooms-doctor/", env!("CARGO_PKG_VERSION")))
}

async fn get_with(
    client: reqwest::Client,
    url: &reqwest::Url,
    token: Option<&Secret>,
    limit: Duration,
) -> HttpResult {
    let started = Instant::now();
    let failed = |kind, detail: String, from_library| HttpResult::Failed {
        kind,
        detail,
        elapsed_ms: started.elapsed().as_millis() as u64,
        from_library,
    };
    // A URL's user info would add a second Authorization (basic) beside the bearer token: the
    // request carries the one the doctor means.
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    let mut req = client
        .get(url)
        .timeout(limit)
        .header("Accept", "application/json");
    if let Some(t) = token {
        req = req.bearer_auth(t.expose());
    }
    let work = async {
        let mut resp = match req.send().await {
            Ok(r) => r,
            Err(e) => return failed(classify(&e), detail(&e), true),
        };
        let mut out = head(&resp);
        if let Err(late) = read_body(&mut resp, &mut out, limit).await {
            return failed(FailKind::Timeout, late, false);
        }
        out.elapsed_ms = started.elapsed().as_millis() as u64;
        HttpResult::Response(out)
    };
    // A backstop only: reqwest's own timeout (the same `limit`) fires first and says which
    // phase ran out, so the outcome does not depend on which of two equal timers wins.
    match tokio::time::timeout(limit + Duration::from_millis(100), work).await {
        Ok(r) => r,
        Err(_) => failed(
            FailKind::Timeout,
            format!("no complete answer within {} ms", limit.as_millis()),
            false,
        ),
    }
}

/// The answer's status line and the headers the doctor reads, before its body.
fn head(resp: &reqwest::Response) -> Response {
    let h = |name: &str| {
        resp.headers()
            .get(name)
            .map(|v| crate::sanitize::outside(&String::from_utf8_lossy(v.as_bytes()), 300))
    };
    Response {
        status: resp.status().as_u16(),
        version: format!("{:?}", resp.version()),
        content_type: h("content-type"),
        cf_ray: h("cf-ray"),
        retry_after: h("retry-after"),
        date: h("date"),
        location: h("location"),
        body: vec![],
        body_len: 0,
        body_problem: None,
        elapsed_ms: 0,
    }
}

/// Read the body into `out`, up to `BODY_CAP` (a body over it, or one that ends early, is said
/// in `body_problem`). Err: the body did not arrive within the bound — a timeout, about the
/// API's reachability, not a bad answer.
async fn read_body(
    resp: &mut reqwest::Response,
    out: &mut Response,
    limit: Duration,
) -> Result<(), String> {
    if resp.content_length().is_some_and(|n| n as usize > BODY_CAP) {
        out.body_problem = Some(format!(
            "body of {} bytes is over the {BODY_CAP} byte limit; not read",
            resp.content_length().unwrap_or(0)
        ));
        return Ok(());
    }
    loop {
        match resp.chunk().await {
            Ok(Some(c)) => {
                out.body_len += c.len();
                if out.body.len() + c.len() > BODY_CAP {
                    out.body_problem = Some(format!(
                        "body is over the {BODY_CAP} byte limit; reading stopped"
                    ));
                    return Ok(());
                }
                out.body.extend_from_slice(&c);
            }
            Ok(None) => return Ok(()),
            Err(e) if classify(&e) == FailKind::Timeout => {
                return Err(format!(
                    "HTTP {} came, but the body did not arrive within {} ms",
                    out.status,
                    limit.as_millis()
                ))
            }
            Err(e) => {
                out.body_problem = Some(format!("the body ended early: {}", detail(&e)));
                return Ok(());
            }
        }
    }
}

/// A JSON response as the tests of the API's readers build it (HTTP/1.1, 12 ms, no headers).
#[cfg(test)]
pub fn test_response(status: u16, body: &str) -> Response {
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

/// A short, control-character-free excerpt of a body, for messages.
pub fn excerpt(body: &[u8]) -> String {
    let t = crate::sanitize::outside(&String::from_utf8_lossy(body), usize::MAX);
    let one: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = one.chars().take(120).collect();
    redact::redact_text(&if one.chars().count() > 120 {
        format!("{cut}…")
    } else {
        cut
    })
}

#[cfg(test)]
mod tests;
