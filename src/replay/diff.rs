//! Two bundles compared along the wake chain: what differs between a machine whose agent wakes
//! and one whose agent does not — the listener's user, supervisor, PATH and variables, the host
//! CLI, the token, the API and proxy, the device, the clock, the system — then the checks whose
//! verdict differs. Names of variables only; a secret only by its mask and fingerprint.

use serde::Serialize;

use super::read::{Provenance, Recorded};
use super::Verdict;
use crate::checks;
use crate::model::aspect::{Aspects, Value};
use crate::model::CheckId;

/// One thing that differs: which link, what, and its value in A and in B.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Difference {
    pub link: &'static str,
    pub what: String,
    pub a: String,
    pub b: String,
}

/// A check whose verdict differs between the bundles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CheckDiffers {
    pub check: CheckId,
    pub a: Verdict,
    pub b: Verdict,
}

/// Two bundles compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Compared {
    pub a: Provenance,
    pub b: Provenance,
    pub differences: Vec<Difference>,
    pub checks: Vec<CheckDiffers>,
}

impl Compared {
    /// Nothing that matters to a wake differs (the report ids and times aside).
    pub fn same(&self) -> bool {
        self.differences.is_empty() && self.checks.is_empty()
    }
}

/// Compare `a` with `b`.
pub fn diff(a: &Recorded, b: &Recorded) -> Compared {
    let (xa, xb) = (aspects(a), aspects(b));
    let mut differences = vec![];
    let mut whats: Vec<(&'static str, &str)> = vec![];
    for x in xa.0.iter().chain(xb.0.iter()) {
        if !whats.iter().any(|(l, w)| *l == x.link && *w == x.what) {
            whats.push((x.link, &x.what));
        }
    }
    let value = |x: &'_ Aspects, link: &str, what: &str| {
        x.0.iter()
            .find(|a| a.link == link && a.what == what)
            .map(|a| a.value.clone())
    };
    for (link, what) in whats {
        let (va, vb) = (value(&xa, link, what), value(&xb, link, what));
        if va == vb {
            continue;
        }
        if let Some(d) = difference(link, what, va.as_ref(), vb.as_ref(), a, b) {
            differences.push(d);
        }
    }
    let checks = a
        .checks
        .iter()
        .filter_map(|ca| {
            let cb = b.checks.iter().find(|c| c.id == ca.id)?;
            let (va, vb) = (verdict(ca), verdict(cb));
            (va != vb).then_some(CheckDiffers {
                check: ca.id,
                a: va,
                b: vb,
            })
        })
        .collect();
    Compared {
        a: a.from.clone(),
        b: b.from.clone(),
        differences,
        checks,
    }
}

/// How `what` differs between A's value and B's (None: absent from one is not a difference).
fn difference(
    link: &'static str,
    what: &str,
    va: Option<&Value>,
    vb: Option<&Value>,
    a: &Recorded,
    b: &Recorded,
) -> Option<Difference> {
    let text = |v: Option<&Value>| v.map_or_else(|| "-".to_string(), Value::to_string);
    let (ta, tb) = (text(va), text(vb));
    if !recorded_by_both(link, &ta, &tb, a, b) {
        return None;
    }
    let dirs = matches!(va, Some(Value::Dirs(_))) || matches!(vb, Some(Value::Dirs(_)));
    let (what, a, b) = match dirs.then(|| dirs_differ(&ta, &tb)) {
        // A list of directories: what was removed and what was added, not the whole of each.
        Some(Some((a, b))) => (format!("{what} directories"), a, b),
        // The same directories in another order: the order is what differs.
        Some(None) => (format!("{what} order"), ta, tb),
        None => (what.to_string(), ta, tb),
    };
    Some(Difference { link, what, a, b })
}

/// An event that only one bundle recorded differs only when it happened after the other was
/// made: a bundle records the events bearing on the links that failed in its run, so an older
/// event missing from the other (device.json written last month, the boot) is what that bundle
/// did not look at, not what changed.
fn recorded_by_both(link: &str, va: &str, vb: &str, a: &Recorded, b: &Recorded) -> bool {
    if link != "timeline" {
        return true;
    }
    let after = |at: &str, made: &str| match (
        crate::time_util::parse_rfc3339(at),
        crate::time_util::parse_rfc3339(made),
    ) {
        (Some(at), Some(made)) => at > made,
        _ => true,
    };
    match (va, vb) {
        ("-", at) => after(at, &a.from.generated_at),
        (at, "-") => after(at, &b.from.generated_at),
        _ => true,
    }
}

/// The directories only `a` has and those only `b` has (PATH-like lists), or None when each has
/// the same ones.
pub fn dirs_differ(a: &str, b: &str) -> Option<(String, String)> {
    let (da, db): (Vec<&str>, Vec<&str>) = (a.split(':').collect(), b.split(':').collect());
    let gone: Vec<&str> = da.iter().filter(|d| !db.contains(d)).copied().collect();
    let new: Vec<&str> = db.iter().filter(|d| !da.contains(d)).copied().collect();
    (!gone.is_empty() || !new.is_empty())
        .then(|| (listed("only in A", &gone), listed("only in B", &new)))
}

fn listed(label: &str, dirs: &[&str]) -> String {
    if dirs.is_empty() {
        "none".into()
    } else {
        format!("{label}: {}", dirs.join(", "))
    }
}

fn verdict(c: &super::read::RecordedCheck) -> Verdict {
    Verdict {
        status: c.status,
        codes: c.codes.clone(),
    }
}

/// Each link as one bundle records it: each check's own aspects along the wake chain (a check's
/// facts that do not read back say nothing), the host CLIs on the doctor's PATH, when each kind
/// of event last happened, and the system.
fn aspects(r: &Recorded) -> Aspects {
    let mut x = Aspects::default();
    let mut order: Vec<CheckId> = CheckId::wake_chain();
    order.extend(CheckId::ALL.iter().filter(|c| c.wake_position().is_none()));
    for id in order {
        let (Some(def), Some(c)) = (checks::by_id(id), r.checks.iter().find(|c| c.id == id)) else {
            continue;
        };
        if let Ok(facts) = (def.read)(&c.facts) {
            (def.aspects)(&facts, &mut x);
        }
    }
    for h in &r.hosts {
        x.put(
            "host",
            format!("{} on the doctor's PATH", h.name),
            h.paths.clone(),
        );
        let version = if h.version.is_empty() {
            "-".into()
        } else {
            h.version.clone()
        };
        x.put("host", format!("{} version", h.name), version);
    }
    // What changed: when each kind of event last happened (a listener's start, whatever its pid).
    let mut seen: Vec<String> = vec![];
    for e in &r.timeline {
        let what = match e.what.strip_prefix("listener pid ") {
            Some(_) => "a listener started".to_string(),
            None => format!("{} ({})", e.what, e.source),
        };
        if !seen.contains(&what) {
            x.put("timeline", what.clone(), crate::time_util::rfc3339(e.at));
            seen.push(what);
        }
    }
    x.put("system", "OS, kernel, arch", r.from.system.clone());
    x.put("system", "doctor version", r.from.doctor_version.clone());
    let build = r.from.build.as_ref();
    x.put(
        "system",
        "doctor build",
        build.map_or("not recorded".into(), |b| b.line()),
    );
    x
}
