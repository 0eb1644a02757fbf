//! The one redactor: every string that leaves the program passes through `redact_text`, and a
//! known secret is shown only as `mask(secret)`: its first 4 characters, an ellipsis and its length.

use regex::{Captures, Regex};
use std::sync::{LazyLock, OnceLock, RwLock};

/// A secret value: Debug and Serialize show only its mask.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl Secret {
    /// A secret the doctor has read: registered, so it is masked wherever it reappears.
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        register(&value);
        Secret(value)
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}
impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
}
impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.masked())
    }
}
/// Read back from facts, a secret is its mask (the value never left the machine it was read on);
/// masking a mask gives the same mask, so it reads the same in a replay.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

/// `abcd…(40 chars, #3fa9c1)`: the first 4 characters, the length, and a fingerprint (the first
/// 6 hex digits of the value's SHA-256), so support can tell two tokens apart without seeing
/// either. Short secrets (under 12 characters) show their length only: a prefix or a
/// fingerprint would say too much of so little.
pub fn mask(secret: &str) -> String {
    // Masking is idempotent: text is masked where it enters (before any cut), and a field that
    // names a secret is masked again later; a mask is never masked into another.
    if MASKED.is_match(secret) {
        return secret.to_string();
    }
    let n = secret.chars().count();
    if n < 12 {
        return format!("…({n} chars)");
    }
    let head: String = secret.chars().take(4).collect();
    format!("{head}…({n} chars, #{})", fingerprint(secret))
}

/// What `mask` gives, whole.
static MASKED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^…]{0,4}…\(\d+ chars(?:, #[0-9a-f]{6})?\)$").expect("a fixed regex")
});

/// The first 6 hex digits of `secret`'s SHA-256.
pub fn fingerprint(secret: &str) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(secret.as_bytes());
    format!("{:02x}{:02x}{:02x}", d[0], d[1], d[2])
}

/// Secrets a probe read, returned with what it read: the values it saw (a token, a key, a
/// credential file's field) and the URLs whose password is one (a proxy, the API URL). No probe
/// feeds the redactor: the run's context hands what they found to it (`Secrets::learn`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Found {
    values: Vec<String>,
    urls: Vec<String>,
}

impl Found {
    /// A value read that must never be shown.
    pub fn value(&mut self, v: &str) {
        self.values.push(v.to_string());
    }
    /// A URL whose user info's password must never be shown (any other text is ignored).
    pub fn url(&mut self, u: &str) {
        self.urls.push(u.to_string());
    }
    pub fn extend(&mut self, other: &Found) {
        self.values.extend(other.values.iter().cloned());
        self.urls.extend(other.urls.iter().cloned());
    }
}

/// Never the values: how many there are.
impl std::fmt::Debug for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Found({} values, {} urls)",
            self.values.len(),
            self.urls.len()
        )
    }
}

/// The run's redactor as its context holds it (`Ctx::secrets`): the one way what the probes found
/// reaches the redactor. Every output passes through the one redactor (`redact_text`).
#[derive(Debug, Clone, Default)]
pub struct Secrets(());

impl Secrets {
    /// From now on every output masks what `found` holds, wherever it reappears.
    pub fn learn(&self, found: &Found) {
        found.values.iter().for_each(|v| register(v));
        found.urls.iter().for_each(|u| register_url_password(u));
    }
}

/// Values shorter than this are not registered: they would mask ordinary words.
pub const MIN_SECRET: usize = 6;

/// Every secret value the doctor has read, in the forms it may reappear in (as it is, and
/// URL-encoded), each with its mask; longest first, so a secret inside another is not split.
static KNOWN: LazyLock<RwLock<Vec<(String, String)>>> = LazyLock::new(|| RwLock::new(vec![]));

/// Register a secret value the doctor has read (a token from any source, a key from any
/// environment, a URL's password, a credential file's field): from now on every output masks it
/// verbatim wherever it appears, also inside longer text and URL-encoded.
fn register(secret: &str) {
    register_as(secret, mask(secret.trim()));
}

/// Register `secret` to be shown as `masked` (a URL's password shows as `***`: its prefix would
/// say too much).
fn register_as(secret: &str, masked: String) {
    let s = secret.trim();
    if s.chars().count() < MIN_SECRET {
        return;
    }
    let Ok(mut known) = KNOWN.write() else {
        return;
    };
    let forms = [
        s.to_string(),
        percent_encoded(s),
        url::form_urlencoded::byte_serialize(s.as_bytes()).collect(),
    ];
    for form in forms {
        if !known.iter().any(|(k, _)| *k == form) {
            known.push((form, masked.clone()));
        }
    }
    known.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
}

/// The password of a URL's user info (`scheme://user:PASSWORD@host`), registered as a secret
/// shown as `***`, as
/// written (up to the last `@` of the authority, wherever other `@`s fall), as a URL parser
/// normalises it, and decoded. Any text that is not such a URL is left alone.
fn register_url_password(text: &str) {
    let t = text.trim();
    let Some((_, rest)) = t.split_once("://") else {
        return;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if let Some((userinfo, _host)) = authority.rsplit_once('@') {
        if let Some((_user, password)) = userinfo.split_once(':') {
            register_as(password, "***".into());
            if let Ok(decoded) = percent_decoded(password) {
                register_as(&decoded, "***".into());
            }
        }
    }
    if let Some(p) = url::Url::parse(t).ok().as_ref().and_then(|u| u.password()) {
        register_as(p, "***".into());
    }
}

/// Does a JSON field's name say it holds a secret (token, key, secret, password, passport,
/// cookie)? One rule for every file the doctor reads fields of.
pub fn secret_field(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["token", "key", "secret", "password", "passport", "cookie"]
        .iter()
        .any(|s| n.contains(s))
}

/// `s` with every byte outside RFC 3986's unreserved set written as `%XX`.
fn percent_encoded(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn percent_decoded(s: &str) -> Result<String, std::string::FromUtf8Error> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out)
}

/// Mask every registered secret in `text`.
fn mask_known(text: &str) -> String {
    let Ok(known) = KNOWN.read() else {
        return text.to_string();
    };
    let mut out = text.to_string();
    for (secret, masked) in known.iter() {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), masked);
        }
    }
    out
}

/// A secret shape: the regex, the capture group that holds the secret, whether it is shown as
/// `***` (a URL password, whose prefix would say too much) rather than masked, and the
/// lowercase literals one of which every match holds (its triggers). A regex is compiled only
/// for text that holds a trigger: most output (an `explain`, a passing run) holds none of most,
/// and compiling all of them costs a millisecond per run.
struct Pattern {
    src: &'static str,
    group: usize,
    stars: bool,
    /// Case-insensitive (`(?i)`): Unicode folds K (U+212A) to k and ſ (U+017F) to s, which an
    /// ASCII trigger search would miss, so text holding either triggers it too.
    folds: bool,
    triggers: &'static [&'static str],
    re: OnceLock<Regex>,
}

impl Pattern {
    fn might_match(&self, lower: &str, folding: bool) -> bool {
        (self.folds && folding) || self.triggers.iter().any(|t| lower.contains(t))
    }

    fn re(&self) -> &Regex {
        self.re
            .get_or_init(|| Regex::new(self.src).expect("redaction pattern"))
    }
}

const fn pattern(src: &'static str, group: usize, triggers: &'static [&'static str]) -> Pattern {
    let b = src.as_bytes();
    let stars = contains(b, b"://") || contains(b, br"\*{3,}");
    Pattern {
        src,
        group,
        stars,
        folds: b.len() > 4 && b[0] == b'(' && b[1] == b'?' && b[2] == b'i',
        triggers,
        re: OnceLock::new(),
    }
}

const fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        let mut j = 0;
        while j < needle.len() && hay[i + j] == needle[j] {
            j += 1;
        }
        if j == needle.len() {
            return true;
        }
        i += 1;
    }
    false
}

static PATTERNS: [Pattern; 9] = [
    // Authorization headers and bearer tokens.
    pattern(r"(?i)\b(bearer\s+)([A-Za-z0-9._~+/=-]{8,})", 2, &["bearer"]),
    // JWTs.
    pattern(
        r"\b(eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*)",
        1,
        &["eyj"],
    ),
    // Well-known key shapes.
    pattern(
        r"\b((?:sk-ant-|sk-|ghp_|gho_|ghu_|ghs_|github_pat_|ar_)[A-Za-z0-9_-]{8,})",
        1,
        &["sk-", "ghp_", "gho_", "ghu_", "ghs_", "github_pat_", "ar_"],
    ),
    // --token X / --token=X / --api-key X
    pattern(
        r"(?i)(--(?:token|api-key|password|secret)(?:=|\s+))([^\s]+)",
        2,
        &["--token", "--api-key", "--password", "--secret"],
    ),
    // NAME_TOKEN=value, NAME_KEY=value, NAME_SECRET=value, PASSWORD=value (env and query style;
    // `token: REVOKED` in prose is not an assignment).
    pattern(
        r#"(?i)\b([A-Z0-9_]*(?:TOKEN|_KEY|SECRET|PASSWORD|PASSWD)=)([^\s"',}&]{4,})"#,
        2,
        &["token=", "_key=", "secret=", "password=", "passwd="],
    ),
    // "token": "value" in JSON text.
    pattern(
        r#"(?i)("[A-Z0-9_]*(?:TOKEN|KEY|SECRET|PASSWORD|PASSWD)"\s*:\s*")([^"]{4,})"#,
        2,
        &["token\"", "key\"", "secret\"", "password\"", "passwd\""],
    ),
    // URL userinfo: https://user:pass@host
    pattern(
        r"([a-z][a-z0-9+.-]*://[^/\s:@]+:)([^@\s/]+)(@)",
        2,
        &["://"],
    ),
    // Cookies.
    pattern(
        r"(?i)\b((?:set-)?cookie:\s*[^=\s]+=)([^;\s]+)",
        2,
        &["cookie:"],
    ),
    // A host CLI's own partial mask of a key (`sk-proj-***abcde`, `sk-…abcd`): more than the
    // 4-character prefix the doctor shows, so it counts as a secret. (The doctor's own masks,
    // `abcd…(40 chars, #3fa9c1)`, have no suffix and are left alone.)
    pattern(
        r"\b([A-Za-z][A-Za-z0-9_-]{1,}(?:\*{3,}|…)[A-Za-z0-9_-]{2,})",
        1,
        &["***", "…"],
    ),
];

/// Mask every registered secret in `text` (by value), then every secret-shaped part.
pub fn redact_text(text: &str) -> String {
    let mut out = mask_known(text);
    // Triggers are looked for in the text as it stands (an earlier pattern's mask adds `…`,
    // which the last pattern must then see): `lower` follows each replacement.
    let mut lower = out.to_ascii_lowercase();
    let folding = out.contains(['\u{212A}', '\u{17F}']);
    for p in PATTERNS.iter() {
        if !p.might_match(&lower, folding) {
            continue;
        }
        let (group, stars) = (p.group, p.stars);
        out = p
            .re()
            .replace_all(&out, |c: &Captures| {
                let whole = c.get(0).map_or("", |m| m.as_str());
                let secret = c.get(group).map_or("", |m| m.as_str());
                if secret.contains('…') && !stars {
                    return whole.to_string(); // already masked by the doctor
                }
                let start =
                    c.get(group).map_or(0, |m| m.start()) - c.get(0).map_or(0, |m| m.start());
                let end = start + secret.len();
                format!(
                    "{}{}{}",
                    &whole[..start],
                    if stars {
                        "***".to_string()
                    } else {
                        mask(secret)
                    },
                    &whole[end..]
                )
            })
            .into_owned();
        lower = out.to_ascii_lowercase();
    }
    out
}

/// Redact every string inside a JSON value, in place.
pub fn redact_json(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => *s = redact_text(s),
        serde_json::Value::Array(a) => a.iter_mut().for_each(redact_json),
        serde_json::Value::Object(o) => o.values_mut().for_each(redact_json),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mask_is_never_masked_again() {
        for secret in [
            "ar_live_0123456789abcdef0123",
            "short1",
            "Zq9kVrT4CRPSxw4711mNbH",
        ] {
            let once = mask(secret);
            assert_eq!(mask(&once), once);
        }
        // A value that only looks partly like one is masked.
        assert_ne!(
            mask("ar_l…(32 chars, #b00940) and more"),
            "ar_l…(32 chars, #b00940) and more"
        );
    }

    #[test]
    fn a_pattern_is_skipped_only_when_it_cannot_match() {
        // Every sample matches its pattern's regex, and holds one of its triggers.
        let samples: [&[&str]; 9] = [
            &["Authorization: Bearer abcdefgh123"],
            &["eyJhbGciOi.eyJzdWIiOi.sig"],
            &["sk-ant-abcdefgh12", "ghp_abcdefgh1234", "ar_live_abcdefgh"],
            &["--token=abcdef", "--API-KEY x1234"],
            &["OPENAI_API_KEY=sk12345", "Password=hunter22"],
            &[r#""token": "abcdefg""#, r#""CLIENT_SECRET" : "abcd""#],
            &["https://user:pass@host/x"],
            &["Set-Cookie: sid=abc123"],
            &["sk-proj-***abcde", "sk-…abcd"],
        ];
        for (p, samples) in PATTERNS.iter().zip(samples) {
            for s in samples {
                assert!(p.re().is_match(s), "{} does not match {s}", p.src);
                assert!(
                    p.might_match(&s.to_ascii_lowercase(), false),
                    "{s} skips {}",
                    p.src
                );
            }
        }
        // Unicode case folding: the Kelvin sign is a K to `(?i)`, so it triggers those patterns.
        let kelvin = "API_\u{212A}EY=abcdefgh";
        let p = &PATTERNS[4];
        assert!(p.folds && p.re().is_match(kelvin));
        assert!(!p.might_match(&kelvin.to_ascii_lowercase(), false));
        assert!(
            !redact_text(kelvin).contains("abcdefgh"),
            "{}",
            redact_text(kelvin)
        );
        assert!(!PATTERNS[1].folds && PATTERNS[6].stars && PATTERNS[8].stars && !PATTERNS[2].stars);
        // Text with no trigger at all is left as it was.
        assert_eq!(
            redact_text("REVOKED: generate a new token"),
            "REVOKED: generate a new token"
        );
    }

    #[test]
    fn a_registered_secret_is_masked_by_value_in_any_form() {
        register("Vq7-opaque/secret+value");
        let text = "echo: Vq7-opaque/secret+value, encoded Vq7-opaque%2Fsecret%2Bvalue, form \
            Vq7-opaque%2Fsecret%2Bvalue, glued xVq7-opaque/secret+valuex";
        let out = redact_text(text);
        assert!(
            !out.contains("opaque/secret") && !out.contains("opaque%2Fsecret"),
            "{out}"
        );
        assert_eq!(out.matches("Vq7-…(23 chars, #bf32f9)").count(), 4, "{out}");
        // Too short to register: an ordinary word stays.
        register("abc12");
        assert!(redact_text("abc12").contains("abc12"));
    }

    #[test]
    fn a_url_password_is_masked_whole_wherever_the_at_signs_fall() {
        register_url_password("https://u:Pw@1x%40Kq9-long@proxy.example:3128/");
        let out =
            redact_text("via https://u:Pw@1x%40Kq9-long@proxy.example:3128/ and Pw@1x@Kq9-long");
        assert!(!out.contains("Kq9-long"), "{out}");
        register_url_password("not a url with a:password@inside");
        assert!(redact_text("a:password@inside").contains("password"));
    }

    #[test]
    fn a_host_clis_own_partial_mask_counts_as_a_secret() {
        for (text, want) in [
            (
                "Logged in using an API key - sk-proj-***abcde",
                "Logged in using an API key - ***",
            ),
            ("key sk-ant-…WXyz in use", "key *** in use"),
            // The doctor's own masks are not partial masks.
            (
                "ar_l…(28 chars, #3fa9c1) from config.json",
                "ar_l…(28 chars, #3fa9c1) from config.json",
            ),
            ("**bold** and *** rules", "**bold** and *** rules"),
        ] {
            assert_eq!(redact_text(text), want, "{text}");
        }
    }

    #[test]
    fn masks_show_a_prefix_from_twelve_characters_on() {
        assert_eq!(mask("abcdefghijk"), "…(11 chars)");
        assert_eq!(mask("abcdefghijkl"), "abcd…(12 chars, #d682ed)");
        assert_eq!(mask(""), "…(0 chars)");
    }

    #[test]
    fn masks_show_prefix_and_length_only() {
        assert_eq!(mask("ar_live_0123456789abcdef"), "ar_l…(24 chars, #39639f)");
        assert_eq!(mask("short"), "…(5 chars)");
    }

    #[test]
    fn secret_shapes_are_masked() {
        let cases = [
            "Authorization: Bearer ar_live_0123456789abcdef",
            "token eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlc2ln",
            "key sk-ant-api03-abcdefghijklmnop",
            "key sk-proj-abcdefghijklmnop",
            "ghp_abcdefghijklmnopqrstu",
            "github_pat_11ABCDEFG0123456789",
            "agent-rooms watch --token s3cr3tvalue99",
            "agent-rooms watch --token=s3cr3tvalue99",
            "AGENT_ROOMS_TOKEN=s3cr3tvalue99",
            "OPENAI_API_KEY=s3cr3tvalue99",
            "DB_PASSWORD=s3cr3tvalue99",
            "https://alice:s3cr3tvalue99@proxy.example:8080",
            "Cookie: session=s3cr3tvalue99",
            r#"{"token": "s3cr3tvalue99", "api_key":"s3cr3tvalue99"}"#,
        ];
        for c in cases {
            let r = redact_text(c);
            for secret in [
                "0123456789abcdef",
                "c2lnbmF0dXJlc2ln",
                "abcdefghijklmnop",
                "abcdefghijklmnopqrstu",
                "0123456789",
                "s3cr3tvalue99",
            ] {
                assert!(!r.contains(secret), "{c:?} -> {r:?}");
            }
        }
        assert_eq!(
            redact_text("https://alice:pw12345@h"),
            "https://alice:***@h"
        );
    }

    #[test]
    fn look_alikes_stay_untouched() {
        for c in [
            "agt_01HZX9K2",
            "dev_7f3c9a",
            "own_abc123",
            "request_id 7f3c9a2b1e-AMS",
            "/home/alice/.config/agent-rooms/config.json",
            "https://api.example.com/v1/whoami",
            "TOKEN_EXPIRED",
            "TOKEN_FILE_TOO_OPEN",
            "the token check is fail (REVOKED)",
            "ar_l…(24 chars, #39639f)",
            "/home/alice/task-manager-2024-release/bin",
            "desk-setup-files-v2",
            "car_rental_service_2024",
            "the API rejected the token ar_l…(24 chars, #39639f) from /h/token: REVOKED (HTTP 401)",
            "TOKEN_EXPIRED: the token expired 2d ago",
        ] {
            assert_eq!(redact_text(c), c);
        }
    }
}
