//! The `device` check: is this device paired (device.json), and does the server still know it
//! (`GET /v1/devices/{id}`, only with a token the token check accepted)?

use serde::{Deserialize, Serialize};
use std::sync::Arc;

use crate::api::asked::Asked;
use crate::api::{self, Answer};
use crate::ctx::Ctx;
use super::check::Check;
use crate::engine::Deps;
use crate::install::{Device, Loaded};
use crate::model::catalogue as codes;
use crate::model::outcome::{Diagnosis, Finding, Status};
use crate::model::CheckId;

mod sides;
pub use sides::{Here, HereListener};

/// When the server last heard from the device, on this machine's clock (the skew measured on the
/// lookup's own answer taken off), when it said.
pub fn last_heard(f: &Facts) -> Option<i64> {
    let Asked::Answered(Answer::Accepted { body }) = &f.server else {
        return None;
    };
    crate::time_util::parse_rfc3339(body.last_seen_at.as_deref()?).map(|t| t + f.skew())
}

/// Whether the two sides agree, in words that stay the same from run to run (what `diff`
/// compares): the code of their disagreement, or "agree", or why they were not compared.
pub fn sides_agree(f: &Facts) -> String {
    if f.both_sides().is_none() {
        return "not compared (no listener looked at, or no server answer)".into();
    }
    f.disagreement()
        .map_or("agree".into(), |(_, finding)| finding.code.to_string())
}

impl Facts {
    /// This machine's clock less the server's, measured on the lookup's own answer (0 without
    /// a readable Date).
    fn skew(&self) -> i64 {
        api::skew_secs(self.now, self.server_date.as_deref()).unwrap_or(0)
    }

    /// This agent's side and the server's answer, when both were recorded (a bundle from before
    /// `now` was has neither).
    fn both_sides(&self) -> Option<(&Here, &Seen)> {
        match (&self.here, &self.server) {
            (Some(here), Asked::Answered(Answer::Accepted { body })) if self.now != 0 => {
                Some((here, body))
            }
            _ => None,
        }
    }

    /// The two sides compared: a finding when they disagree.
    fn disagreement(&self) -> Option<(Status, Finding)> {
        let (here, seen) = self.both_sides()?;
        let id = self.read.ok().map_or("", |d| d.device_id.as_str());
        sides::compare(
            here,
            id,
            seen.last_seen_at.as_deref(),
            self.now,
            self.skew(),
        )
    }
}

/// The device check, as the registry lists it.
pub struct DeviceCheck;

impl Check for DeviceCheck {
    type Facts = Facts;
    const ID: CheckId = CheckId::Device;
    const TITLE: &'static str = "Device";
    const QUESTION: &'static str = "Is this device paired, and does the server still know it?";
    const INSPECTS: &'static str = "device.json (the pairing) and, with an accepted token, GET /v1/devices/{id}";
    const NEEDS: &'static [CheckId] = &[CheckId::Token];

    async fn gather(ctx: Arc<Ctx>, deps: Deps) -> Facts {
        gather(&ctx, &deps).await
    }
    fn diagnose(facts: &Facts) -> Diagnosis {
        diagnose(facts)
    }
    fn aspects(f: &Facts, out: &mut crate::model::aspect::Aspects) {
        out.put("device", "the server and this machine", sides_agree(f));
        let id = f.read.ok().map_or_else(|| f.read.state(), |d| d.device_id.clone());
        out.put("device", "device id", id);
    }
    fn events(f: &Facts, out: &mut crate::model::timeline::Events) {
        out.add(
            last_heard(f),
            "the server last heard from the device".into(),
            "GET /v1/devices/{id}: last_seen_at, on this machine's clock".into(),
            &[CheckId::Device],
        );
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Facts {
    pub file: Option<String>,
    /// device.json as it was read.
    #[serde(flatten, with = "wire")]
    pub read: Loaded<Device>,
    pub server: Asked<Seen>,
    /// This machine's clock when the facts were gathered (seconds since the epoch; 0 in a
    /// bundle from before it was recorded, where the two sides are not compared).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub now: i64,
    /// The Date header of the server's answer to the lookup: its clock, for the skew.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_date: Option<String>,
    /// This agent's side here (its listeners, listener.json), to hold against the server's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub here: Option<Here>,
}

/// device.json as schema 1 records it: `state` ("ok", "missing", "invalid: …", "denied: …"),
/// `device` (its fields, when read), and `invalid` or `denied` (why not).
mod wire {
    use crate::install::{Device, Loaded};
    use crate::probes::files::FileMeta;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Wire {
        state: String,
        device: Option<Device>,
        invalid: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        denied: Option<String>,
    }

    pub fn serialize<S: Serializer>(l: &Loaded<Device>, s: S) -> Result<S::Ok, S::Error> {
        let (invalid, denied) = match l {
            Loaded::Invalid(why) => (Some(why.clone()), None),
            Loaded::Denied(why) => (None, Some(why.clone())),
            _ => (None, None),
        };
        Wire {
            state: l.state(),
            device: l.ok().cloned(),
            invalid,
            denied,
        }
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Loaded<Device>, D::Error> {
        let w = Wire::deserialize(d)?;
        Ok(match (w.device, w.denied, w.invalid) {
            (Some(device), ..) => Loaded::Ok(device, FileMeta::default()),
            (None, Some(why), _) => Loaded::Denied(why),
            (None, None, Some(why)) => Loaded::Invalid(why),
            (None, None, None) => Loaded::from_state(&w.state).unwrap_or(Loaded::Missing),
        })
    }
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// What the server says of the device (`GET /v1/devices/{id}`), as the facts keep it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seen {
    pub paired: Option<bool>,
    pub last_seen_at: Option<String>,
}

impl Seen {
    fn read(v: serde_json::Value) -> Self {
        Seen {
            paired: v.get("paired").and_then(|p| p.as_bool()),
            last_seen_at: v
                .get("last_seen_at")
                .and_then(|x| x.as_str())
                .map(str::to_string),
        }
    }
}


pub async fn gather(ctx: &Ctx, deps: &Deps) -> Facts {
    let install = ctx.install().await;
    let device = install.device.ok().cloned();
    let mut server_date = None;
    let server = match (&device, deps.blocked_by(CheckId::Token)) {
        (None, _) => Asked::No {
            why: "no device.json".into(),
        },
        (Some(_), Some(blocked)) => Asked::Blocked(blocked),
        (Some(d), None) => {
            let call = ctx.call(&api::device_endpoint(&d.device_id)).await;
            if let api::Call::Made { result, .. } = &call {
                if let crate::probes::http::HttpResult::Response(r) = &**result {
                    server_date = r.date.clone();
                }
            }
            Asked::from_call(&call, "device_id", Seen::read)
        }
    };
    let here = here(ctx, &install).await;
    Facts {
        file: install
            .home
            .path
            .as_ref()
            .map(|h| h.join("device.json").display().to_string()),
        read: install.device.clone(),
        server,
        now: crate::time_util::now(),
        server_date,
        here,
    }
}

/// This agent's side: its listeners as the listener check judges them (none with `--skip
/// listener`, where nothing running was looked at: then nothing is compared).
async fn here(ctx: &Ctx, install: &crate::ctx::Install) -> Option<Here> {
    if ctx.opts.skip_listener {
        return None;
    }
    let scan = ctx.agent_listeners().await;
    let state = install.listener_state.ok();
    Some(Here {
        // A stopped listener still runs here (the listener check says it is stopped): it writes no
        // heartbeat, so it is never held to the server, and never "no listener runs here".
        listeners: scan
            .listeners
            .iter()
            .map(|l| HereListener {
                pid: l.pid,
                user: l.user.clone(),
                supervisor: l.supervisor.clone(),
            })
            .collect(),
        all_visible: scan.error.is_none(),
        heartbeat_at: state.and_then(|s| s.heartbeat_at.clone()),
        connected: state.and_then(|s| s.connected),
        proxy: install.net.described(),
        me: ctx.me.clone(),
        elevation: ctx.elevation.clone(),
    })
}

pub fn diagnose(f: &Facts) -> Diagnosis {
    let file = f.file.clone().unwrap_or_else(|| "device.json".into());
    match &f.read {
        Loaded::Denied(why) => {
            fail("device.json cannot be read by the doctor", codes::NOT_READABLE, why.clone())
        }
        Loaded::Invalid(why) => fail("device.json is unusable", codes::CONFIG_INVALID, why.clone()),
        Loaded::Missing => fail(
            "this device is not paired",
            codes::DEVICE_NOT_PAIRED,
            format!("no {file}: this device has never been paired (or the file was removed)"),
        ),
        Loaded::Ok(d, _) => server_side(f, d, &file),
    }
}

/// 404 NOT_FOUND on the device: the server no longer knows it (its pairing was removed).
fn unknown_to_server(file: &str, name: &str, e: &crate::api::Envelope) -> Diagnosis {
    let message =
        format!("{file} names {name}, which the server does not know (404): its pairing was removed");
    let finding =
        Finding::new(codes::DEVICE_UNKNOWN_TO_SERVER, message).with_request_id(e.request_id.clone());
    Diagnosis::from_findings(format!("{name}: unknown to the server"), vec![(Status::Fail, finding)])
}

/// A failure with one finding.
fn fail(summary: impl Into<crate::model::text::Text>, code: &'static codes::Entry, message: String) -> Diagnosis {
    Diagnosis::from_findings(summary, vec![(Status::Fail, Finding::new(code, message))])
}

/// What the server says of the device `d` that `file` names.
fn server_side(f: &Facts, d: &Device, file: &str) -> Diagnosis {
    let name = match &d.name {
        Some(n) => format!("{} ({n})", d.device_id),
        None => d.device_id.clone(),
    };
    let paired = d.paired_at.as_ref().map(|p| format!(", paired {p}")).unwrap_or_default();
    let lookup = format!("GET /v1/devices/{}", d.device_id);
    match &f.server {
        Asked::Answered(Answer::Accepted {
            body: Seen {
                paired: Some(false),
                ..
            },
        }) => fail(
            format!("{name}: the server says it is not paired"),
            codes::DEVICE_NOT_PAIRED,
            format!("{file} names {name}, but the server says it is not paired"),
        ),
        Asked::Answered(Answer::Accepted {
            body: Seen { last_seen_at, .. },
        }) => match f.disagreement() {
            Some(found) => {
                let head = found.1.message.head().unwrap_or_default().to_string();
                Diagnosis::from_findings(format!("{name}: {head}"), vec![found])
            }
            None => Diagnosis::pass(format!(
                "{name}{paired}; the server knows it, last seen {}",
                last_seen_at.as_deref().unwrap_or("never")
            )),
        },
        // 404 NOT_FOUND on the device: the server no longer knows it (the pairing was removed).
        Asked::Answered(Answer::Refused { envelope: e })
            if e.code == "NOT_FOUND" || e.status == Some(404) =>
        {
            unknown_to_server(file, &name, e)
        }
        Asked::Answered(Answer::Refused { envelope: e }) => Diagnosis::from_findings(
            format!("{name}: the server lookup failed: {}", e.code),
            vec![(Status::Fail, api::envelope_finding(e, &lookup))],
        ),
        Asked::Answered(Answer::NotAnAnswer { message }) => fail(
            format!("{name}: the server's answer is unusable"),
            codes::API_BAD_RESPONSE,
            format!("{lookup}: {message}"),
        ),
        // Not asked, blocked, or an answer about the API itself: nothing of the device is known.
        Asked::No { .. } | Asked::Blocked(_) | Asked::Answered(Answer::Unavailable { .. }) => {
            let why = f.server.unjudged().unwrap_or_default();
            Diagnosis::skipped(
                format!("{name}{paired} in {file}; server lookup skipped: {why}"),
                why,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::api::Envelope;
    use crate::engine::Blocked;
    use crate::model::outcome::Status;

    fn env(code: &str, status: u16) -> Envelope {
        Envelope {
            code: code.into(),
            status: Some(status),
            message: None,
            request_id: Some("r1".into()),
            fields: vec![],
        }
    }

    fn facts(server: Asked<Seen>) -> Facts {
        Facts {
            file: Some("/h/device.json".into()),
            read: Loaded::Ok(
                Device {
                    device_id: "dev_1".into(),
                    name: Some("laptop".into()),
                    paired_at: Some("2026-11-01T00:00:00Z".into()),
                    owner_id: None,
                },
                Default::default(),
            ),
            server,
            now: 0,
            server_date: None,
            here: None,
        }
    }
    fn known(paired: Option<bool>, last_seen_at: Option<&str>) -> Asked<Seen> {
        Asked::Answered(Answer::Accepted {
            body: Seen {
                paired,
                last_seen_at: last_seen_at.map(str::to_string),
            },
        })
    }
    fn refused(envelope: Envelope) -> Asked<Seen> {
        Asked::Answered(Answer::Refused { envelope })
    }
    fn codes(d: &Diagnosis) -> Vec<&str> {
        d.findings.iter().map(|f| f.code.as_str()).collect()
    }

    /// Issue 40: device.json as it was read is one `Loaded`, recorded as schema 1 has it
    /// (`state`, `device`, `invalid`, `denied`) and read back the same.
    #[test]
    fn the_device_file_is_recorded_as_schema_one_has_it() {
        let no = || Asked::No { why: "no token".into() };
        for read in [
            facts(no()).read,
            Loaded::Missing,
            Loaded::Invalid("/h/device.json is not valid JSON".into()),
            Loaded::Denied("/h/device.json: EACCES".into()),
        ] {
            let f = Facts { read, ..facts(no()) };
            let json = serde_json::to_value(&f).unwrap();
            assert!(json["state"].is_string() && json.get("device").is_some(), "{json}");
            assert_eq!(json["invalid"].is_string(), matches!(f.read, Loaded::Invalid(_)));
            let back: Facts = serde_json::from_value(json).unwrap();
            assert_eq!(back.read, f.read);
        }
    }

    /// Issue 39: device.json the doctor may not read is NOT_READABLE, not CONFIG_INVALID.
    #[test]
    fn a_device_file_the_doctor_may_not_read_is_not_readable() {
        let mut f = facts(Asked::No {
            why: "no token".into(),
        });
        f.read =
            Loaded::Denied("/root/x/device.json cannot be read by the doctor: Permission denied".into());
        let d = diagnose(&f);
        assert_eq!((d.status, codes(&d)), (Status::Fail, vec!["NOT_READABLE"]));
    }

    #[test]
    fn known_device_passes() {
        let d = diagnose(&facts(known(Some(true), Some("2026-11-25T11:00:00Z"))));
        assert_eq!(d.status, Status::Pass);
        assert_eq!(
            d.summary,
            "dev_1 (laptop), paired 2026-11-01T00:00:00Z; the server knows it, last seen \
                2026-11-25T11:00:00Z"
        );
    }

    #[test]
    fn not_paired_unknown_invalid_and_skipped() {
        let mut f = facts(Asked::No {
            why: "no device.json".into(),
        });
        f.read = Loaded::Missing;
        assert_eq!(codes(&diagnose(&f)), vec!["DEVICE_NOT_PAIRED"]);
        f.read = Loaded::Invalid(
            "/h/device.json has a wrong type or is missing a field at line 1 column 2: missing field \
                `device_id`"
                .into(),
        );
        assert_eq!(codes(&diagnose(&f)), vec!["CONFIG_INVALID"]);
        let d = diagnose(&facts(refused(env("NOT_FOUND", 404))));
        assert_eq!(
            (d.status, codes(&d)),
            (Status::Fail, vec!["DEVICE_UNKNOWN_TO_SERVER"])
        );
        assert_eq!(d.findings[0].request_id.as_deref(), Some("r1"));
        // A 404 under another code is still a device the server does not know.
        let d = diagnose(&facts(refused(env("GONE", 404))));
        assert_eq!(codes(&d), vec!["DEVICE_UNKNOWN_TO_SERVER"]);
        // A rate limit or server error says nothing of the device: skip, quoting it.
        let d = diagnose(&facts(Asked::Answered(Answer::Unavailable {
            envelope: env("RATE_LIMITED", 429),
        })));
        assert_eq!((d.status, codes(&d)), (Status::Skip, vec![]));
        assert!(d
            .summary
            .ends_with("server lookup skipped: the API answered RATE_LIMITED (HTTP 429)"));
        assert_eq!(
            codes(&diagnose(&facts(known(Some(false), None)))),
            vec!["DEVICE_NOT_PAIRED"]
        );
        let d = diagnose(&facts(Asked::Blocked(Blocked {
            id: CheckId::Token,
            status: Some(Status::Fail),
            codes: vec!["REVOKED".into()],
            reason: None,
        })));
        assert_eq!(d.status, Status::Skip);
        assert!(d
            .summary
            .ends_with("server lookup skipped: the token check is fail (REVOKED)"));
        let d = diagnose(&facts(refused(Envelope {
            code: "FORBIDDEN".into(),
            status: Some(403),
            message: None,
            request_id: None,
            fields: vec![],
        })));
        assert_eq!(codes(&d), vec!["FORBIDDEN"]);
    }
}
