//! The `token` check: where the token comes from (shown masked), whether the file holding it is
//! private, whether it has expired (a JWT's `exp`, offline), whether the listener runs with the
//! same one, and what the API says of it (`GET /v1/whoami`).

use base64::Engine;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

use crate::api::asked::Asked;
use crate::api::{self, Answer};
use crate::ctx::Ctx;
use super::check::Check;
use crate::engine::Deps;
use crate::install::Loaded;
use crate::model::catalogue as codes;
use crate::model::command::{cmd, Elevation, Machine};
use crate::model::outcome::{Diagnosis, Finding, Status};
use crate::model::CheckId;
use crate::probes::processes::EnvRead;
use crate::probes::{files, users};
use crate::redact;
use crate::settings::Source;
use crate::time_util;

/// The token check, as the registry lists it.
pub struct TokenCheck;

impl Check for TokenCheck {
    type Facts = Facts;
    const ID: CheckId = CheckId::Token;
    const TITLE: &'static str = "Token";
    const QUESTION: &'static str = "Is the agent-rooms token present, unexpired and accepted by the API?";
    const INSPECTS: &'static str = "the agent-rooms token: its source (masked), file permissions, \
        JWT expiry, the listener's copy, and GET /v1/whoami";
    const NEEDS: &'static [CheckId] = &[CheckId::Api];

    async fn gather(ctx: Arc<Ctx>, deps: Deps) -> Facts {
        gather(&ctx, &deps).await
    }
    fn diagnose(facts: &Facts) -> Diagnosis {
        diagnose(facts)
    }
    fn aspects(f: &Facts, out: &mut crate::model::aspect::Aspects) {
        out.put("token", "source", f.source.as_ref().map_or("none".into(), |s| s.to_string()));
        let masked = f.masked.clone().unwrap_or_else(|| "none".into());
        out.put("token", "token (mask, fingerprint)", masked);
    }
}

/// Warn when the token expires within this.
pub const SOON_SECS: i64 = 7 * 24 * 3600;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Facts {
    pub source: Option<Source>,
    pub masked: Option<String>,
    pub token_file_problem: Option<String>,
    pub config_problem: Option<String>,
    /// config.json may not be read by the doctor's user (NOT_READABLE, not CONFIG_INVALID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_denied: Option<String>,
    /// The file holding the token: its permission bits, owner, and whether it is a link.
    pub file: Option<TokenFile>,
    /// The doctor's own uid and what the machine has to act as another user (for remedies).
    pub me_uid: u32,
    pub elevation: Elevation,
    #[serde(
        serialize_with = "crate::time_util::ser_rfc3339_opt",
        deserialize_with = "crate::time_util::de_rfc3339_opt"
    )]
    pub jwt_exp: Option<i64>,
    /// Why the token cannot be sent, when it cannot (a line break, a control character…).
    pub malformed: Option<String>,
    /// Listeners whose AGENT_ROOMS_TOKEN differs from the doctor's token: (pid, masked).
    pub listener_tokens_differ: Vec<(u32, String)>,
    /// config.json's own token, masked, with its path, when the token judged comes from an
    /// environment (the listener's, or the doctor's) and is another one: the listener never
    /// reads it while AGENT_ROOMS_TOKEN is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unused_config_token: Option<(PathBuf, String)>,
    pub server: Asked<Whoami>,
    #[serde(
        serialize_with = "crate::time_util::ser_rfc3339",
        deserialize_with = "crate::time_util::de_rfc3339"
    )]
    pub now: i64,
}

/// The file that holds the token, as `fix` needs it: a change to it runs as its owner, never
/// through a symbolic link.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TokenFile {
    pub path: PathBuf,
    /// "0600" in JSON.
    #[serde(
        serialize_with = "crate::time_util::ser_mode",
        deserialize_with = "crate::time_util::de_mode"
    )]
    pub mode: u32,
    pub owner_uid: u32,
    pub owner: String,
    /// Where the path leads, when it is itself a symbolic link.
    pub link_to: Option<PathBuf>,
    /// A directory on the way is a symbolic link (the path leads elsewhere).
    pub through_link: bool,
}

impl TokenFile {
    /// A plain file of `owner_uid` (for tests and hand-built facts).
    pub fn plain(path: impl Into<PathBuf>, mode: u32, owner_uid: u32, owner: &str) -> Self {
        TokenFile {
            path: path.into(),
            mode,
            owner_uid,
            owner: owner.into(),
            link_to: None,
            through_link: false,
        }
    }
}

/// What `GET /v1/whoami` says of an accepted token, as the facts keep it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Whoami {
    pub agent_id: Option<String>,
    pub owner_id: Option<String>,
    pub scopes: Vec<String>,
    pub expires_at: Option<String>,
}

impl Whoami {
    fn read(v: serde_json::Value) -> Self {
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        Whoami {
            agent_id: s("agent_id"),
            owner_id: s("owner_id"),
            scopes: v
                .get("scopes")
                .and_then(|x| x.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            expires_at: s("expires_at"),
        }
    }
}


/// `exp` of a JWT, read offline without checking the signature.
pub fn jwt_exp(token: &str) -> Option<i64> {
    jwt_time(token, "exp")
}

/// A time claim (`exp`, `iat`) of a JWT, read offline without checking the signature.
pub fn jwt_time(token: &str, claim: &str) -> Option<i64> {
    let mut parts = token.split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    match v.get(claim)? {
        serde_json::Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64)),
        _ => None,
    }
}

pub async fn gather(ctx: &Ctx, deps: &Deps) -> Facts {
    let install = ctx.install().await;
    let scan = ctx.agent_listeners().await;
    let t = install.settings.token.as_ref();
    let listener_tokens_differ = t.map_or(vec![], |t| tokens_differ(&scan.listeners, t));
    let unused_config_token = match (t, install.config.ok(), &install.home.path) {
        (Some(t), Some(c), Some(home)) if matches!(t.source, Source::Env(_)) => c
            .token
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty() && *c != t.token.expose())
            .map(|c| (home.join("config.json"), redact::mask(c))),
        _ => None,
    };
    let server = match (t, deps.blocked_by(CheckId::Api)) {
        (None, _) => Asked::No {
            why: "no token".into(),
        },
        (_, Some(blocked)) => Asked::Blocked(blocked),
        (Some(_), None) => Asked::from_call(&*ctx.whoami().await, "agent_id", Whoami::read),
    };
    Facts {
        source: t.map(|t| t.source.clone()),
        masked: t.map(|t| t.token.masked()),
        token_file_problem: install.settings.token_file_problem.clone(),
        config_problem: match &install.config {
            Loaded::Invalid(why) => Some(why.clone()),
            _ => None,
        },
        config_denied: match &install.config {
            Loaded::Denied(why) => Some(why.clone()),
            _ => None,
        },
        file: t.and_then(|t| t.file.as_ref()).map(|(p, m)| TokenFile {
            path: p.clone(),
            mode: m.mode,
            owner_uid: m.uid,
            owner: users::by_uid(m.uid).name,
            link_to: m.link_to.clone(),
            through_link: files::through_a_link(p),
        }),
        me_uid: ctx.me.uid,
        elevation: ctx.elevation.clone(),
        jwt_exp: t.and_then(|t| jwt_exp(t.token.expose())),
        malformed: t.and_then(|t| api::malformed(t.token.expose())),
        listener_tokens_differ,
        unused_config_token,
        server,
        now: time_util::now(),
    }
}

/// The running listeners whose own token (in their environment) is not the one judged: their
/// pids and the masks of theirs.
fn tokens_differ(
    listeners: &[crate::probes::processes::ListenerProc],
    t: &crate::settings::TokenSetting,
) -> Vec<(u32, String)> {
    listeners
        .iter()
        .filter_map(|l| match &l.env {
            EnvRead::Readable(e) => e
                .token
                .as_ref()
                .filter(|lt| !lt.is_empty() && lt.as_str() != t.token.expose())
                .map(|lt| (l.pid, redact::mask(lt))),
            EnvRead::Unreadable(_) => None,
        })
        .collect()
}

fn expiry_finding(exp: i64, now: i64, whose: &str) -> Option<(Status, Finding)> {
    if exp <= now {
        Some((
            Status::Fail,
            Finding::new(
                codes::TOKEN_EXPIRED,
                format!(
                    "the token expired {} ago ({whose} expiry {})",
                    time_util::ago(now - exp),
                    time_util::rfc3339(exp)
                ),
            ),
        ))
    } else if exp - now < SOON_SECS {
        Some((
            Status::Warn,
            Finding::new(
                codes::TOKEN_EXPIRING_SOON,
                format!(
                    "the token expires in {} ({whose} expiry {})",
                    time_util::ago(exp - now),
                    time_util::rfc3339(exp)
                ),
            ),
        ))
    } else {
        None
    }
}

/// TOKEN_FILE_TOO_OPEN: `chmod 600 FILE` as the file's owner (so the kernel bounds it), which
/// `fix` may run, except through a symbolic link: a link is named with its target and left
/// alone, and a root-owned file reached through a linked directory is only shown.
fn too_open(tf: &TokenFile, f: &Facts) -> Finding {
    let path = tf.path.display();
    let mode = tf.mode;
    match &tf.link_to {
        Some(target) => Finding::new(codes::TOKEN_FILE_TOO_OPEN,
            format!(
                "{path} holds the token and is a symbolic link to {}, of mode {mode:04o}: other users can read it",
                target.display()
            ),
        )
        .with_step_first(format!(
            "fix changes no file through a symbolic link: if {} is {}'s own file, make it readable \
                by its owner only (chmod 600), or replace the link with a file of its own.",
            target.display(),
            tf.owner
        )),
        None => {
            let chmod = cmd(["chmod".to_string(), "600".into(), crate::model::command::path_word(&tf.path)])
                .as_user(&tf.owner, tf.owner_uid);
            let chmod = if tf.owner_uid == 0 && tf.through_link {
                chmod
            } else {
                chmod.safe()
            };
            Finding::new(codes::TOKEN_FILE_TOO_OPEN,
                format!("{path} holds the token and has mode {mode:04o}: other users can read it"),
            )
            .with_commands(vec![chmod.on(&Machine::new(f.me_uid, &f.elevation))])
        }
    }
}

/// The rules, in order: an unusable file or no token ends it; a malformed token ends it; then the
/// file's permissions, the listeners' copies and the expiry; then what the server says.
pub fn diagnose(f: &Facts) -> Diagnosis {
    let mut found = unusable_files(f);
    let (Some(source), Some(masked)) = (&f.source, &f.masked) else {
        return no_token(found);
    };
    let named = format!("{masked} from {source}");
    if let Some(why) = &f.malformed {
        return malformed(&named, why, found);
    }
    if let Some(tf) = f.file.as_ref().filter(|tf| tf.mode & 0o077 != 0) {
        found.push((Status::Warn, too_open(tf, f)));
    }
    found.extend(listeners_differ(f, &named));
    found.extend(expiry(f));
    // After what the server says: a rejected token is the root cause, the unused file a note.
    let unused = config_unused(f, &named, source);
    let mut d = what_the_server_says(f, &named, found, unused);
    if let Some((path, _)) = &f.unused_config_token {
        d.summary.push_words(format!(
            " (not the other token in {}, which is unused)",
            path.display()
        ));
    }
    d
}

type Found = Vec<(Status, Finding)>;

/// CONFIG_INVALID for a --token-file or config.json that cannot be used.
fn unusable_files(f: &Facts) -> Found {
    let denied = f.config_denied.iter().map(|p| {
        let m = crate::model::command::Machine::new(f.me_uid, &f.elevation);
        let as_root = crate::model::command::doctor(&m, &[]).as_root().on(&m);
        (
            Status::Fail,
            Finding::new(codes::NOT_READABLE, p.clone()).with_commands(vec![as_root]),
        )
    });
    [&f.token_file_problem, &f.config_problem]
        .into_iter()
        .flatten()
        .map(|p| (Status::Fail, Finding::new(codes::CONFIG_INVALID, p.clone())))
        .chain(denied)
        .collect()
}

/// TOKEN_MISSING, unless an unusable file is already the finding: one problem, one finding (the
/// token it would have held is not also "missing").
fn no_token(mut found: Found) -> Diagnosis {
    if found.is_empty() {
        found.push((
            Status::Fail,
            Finding::new(
                codes::TOKEN_MISSING,
                "no token in --token-file, AGENT_ROOMS_TOKEN or config.json `token`".to_string(),
            ),
        ));
    }
    Diagnosis::from_findings("no usable token", found)
}

/// TOKEN_MALFORMED: a token that cannot be sent is judged no further.
fn malformed(named: &str, why: &str, mut found: Found) -> Diagnosis {
    found.push((
        Status::Fail,
        Finding::new(
            codes::TOKEN_MALFORMED,
            format!("the token {named} {why}: it cannot be sent as a bearer token"),
        ),
    ));
    Diagnosis::from_findings(format!("{named} is malformed"), found)
}

/// TOKEN_LISTENER_MISMATCH when config.json holds a token that the environment's shadows: an
/// edit of config.json would change nothing (CONTRACT §1: the difference said once, as a fact
/// and in the summary).
fn config_unused(f: &Facts, named: &str, source: &Source) -> Option<(Status, Finding)> {
    let (path, other) = f.unused_config_token.as_ref()?;
    let path = path.display();
    Some((
        Status::Warn,
        Finding::new(
            codes::TOKEN_LISTENER_MISMATCH,
            format!("the token in use is {named}; {path} holds another token, {other}, which is not \
                used while AGENT_ROOMS_TOKEN is set"),
        )
        .with_step_first(format!(
            "{source} comes before {path}: change it where that environment is set (the listener's \
                service, or the shell that started it) and restart the listener, or remove it there \
                so the token in {path} is used; editing {path} alone changes nothing."
        )),
    ))
}

/// TOKEN_LISTENER_MISMATCH for each listener that runs with another token.
fn listeners_differ(f: &Facts, named: &str) -> Found {
    f.listener_tokens_differ
        .iter()
        .map(|(pid, other)| {
            (
                Status::Warn,
                Finding::new(
                    codes::TOKEN_LISTENER_MISMATCH,
                    format!(
                        "listener pid {pid} runs with AGENT_ROOMS_TOKEN {other}, not the token \
                            checked here ({named})"
                    ),
                ),
            )
        })
        .collect()
}

/// TOKEN_EXPIRED / TOKEN_EXPIRING_SOON: the server's expiry wins over the JWT's.
fn expiry(f: &Facts) -> Option<(Status, Finding)> {
    let server_exp = match &f.server {
        Asked::Answered(Answer::Accepted { body }) => body
            .expires_at
            .as_deref()
            .and_then(time_util::parse_rfc3339),
        _ => None,
    };
    match (server_exp, f.jwt_exp) {
        (Some(e), _) => expiry_finding(e, f.now, "the API's"),
        (None, Some(e)) => expiry_finding(e, f.now, "the JWT's"),
        _ => None,
    }
}

/// The verdict of `GET /v1/whoami`. Not asked, or asked and the API spoke of itself (a rate limit,
/// a server error): that says nothing of the token (the api check reports it).
fn what_the_server_says(
    f: &Facts,
    named: &str,
    mut found: Found,
    last: Option<(Status, Finding)>,
) -> Diagnosis {
    let summary = match &f.server {
        Asked::Answered(Answer::Accepted { body: w }) => format!(
            "{named} is accepted: agent {}, owner {}, scopes {}, expires {}",
            w.agent_id.as_deref().unwrap_or("?"),
            w.owner_id.as_deref().unwrap_or("?"),
            if w.scopes.is_empty() {
                "none".into()
            } else {
                w.scopes.join(",")
            },
            w.expires_at.as_deref().unwrap_or("never")
        ),
        Asked::Answered(Answer::Refused { envelope: e }) => {
            found.push((Status::Fail, rejected(f, e, named)));
            format!("{named} is rejected: {}", e.code)
        }
        Asked::Answered(Answer::NotAnAnswer { message }) => {
            found.push((
                Status::Fail,
                Finding::new(
                    codes::API_BAD_RESPONSE,
                    format!("GET /v1/whoami: {message}"),
                ),
            ));
            format!("{named}: the API's answer is unusable")
        }
        Asked::No { .. } | Asked::Blocked(_) | Asked::Answered(Answer::Unavailable { .. }) => {
            found.extend(last);
            let why = f.server.unjudged().unwrap_or_default();
            let s = format!("{named}; server check skipped: {why}");
            return if found.is_empty() {
                Diagnosis::skipped(s, why)
            } else {
                Diagnosis::from_findings(s, found)
            };
        }
    };
    found.extend(last);
    Diagnosis::from_findings(summary, found)
}

/// The API's refusal, verbatim; a token refused for what it is, read from config.json: the whole
/// remedy in one step, with the file to update in it.
fn rejected(f: &Facts, e: &api::Envelope, named: &str) -> Finding {
    let finding = api::envelope_finding(e, &format!("the API rejected the token {named}"));
    match &f.source {
        Some(Source::Config(path))
            if matches!(
                e.code.as_str(),
                "INVALID_PASSPORT" | "IDENTITY_REQUIRED" | "REVOKED"
            ) =>
        {
            finding.with_step_first(format!(
                "Get a new token (generate it in the dashboard, or re-run the connector add), put it \
                    in {} as `token` (the token comes from that file), then restart `agent-rooms watch`.",
                path.display()
            ))
        }
        _ => finding,
    }
}

#[cfg(test)]
mod tests;
