//! What one catalogue entry is, and the two ways entries are written (an API code, a doctor's
//! code).

use super::super::CheckId;

/// Where a code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An error code the agent-rooms API returns (the troubleshooting page's table).
    Api,
    /// An operational answer from the API's troubleshooting page (not an error code).
    Gotcha,
    /// A finding the doctor itself reports.
    Doctor,
}

/// One entry of the catalogue.
#[derive(Debug)]
pub struct Entry {
    pub code: &'static str,
    pub origin: Origin,
    /// The HTTP status the API sends with this code (API codes only).
    pub http_status: Option<u16>,
    pub meaning: &'static str,
    pub steps: &'static [&'static str],
    /// Generic commands, as argument lists (`explain` prints them; a check replaces them with
    /// ones made for its case). Never run by `fix`.
    pub commands: &'static [&'static [&'static str]],
    /// The codes this one can follow from (tailscale's `DependsOn`): when one of them is found
    /// in the same run, this finding is its consequence, not a root cause.
    pub caused_by: &'static [&'static Entry],
    /// The check that judges this code now: when it passes, a log line with the code is
    /// history (the token is accepted now), never a root cause.
    pub judged_now_by: Option<CheckId>,
}

impl Entry {
    /// This entry, judged now by the check `id` (see `judged_now_by`).
    pub(super) const fn now(self, id: CheckId) -> Entry {
        Entry {
            judged_now_by: Some(id),
            ..self
        }
    }

    /// This entry, as a consequence of any of `causes`.
    pub(super) const fn because(self, causes: &'static [&'static Entry]) -> Entry {
        Entry {
            caused_by: causes,
            ..self
        }
    }
}

pub(super) const fn api(
    code: &'static str,
    status: u16,
    meaning: &'static str,
    steps: &'static [&'static str],
) -> Entry {
    Entry {
        code,
        origin: Origin::Api,
        http_status: Some(status),
        meaning,
        steps,
        commands: &[],
        caused_by: &[],
        judged_now_by: None,
    }
}

pub(super) const fn doc(
    code: &'static str,
    meaning: &'static str,
    steps: &'static [&'static str],
    commands: &'static [&'static [&'static str]],
) -> Entry {
    Entry {
        code,
        origin: Origin::Doctor,
        http_status: None,
        meaning,
        steps,
        commands,
        caused_by: &[],
        judged_now_by: None,
    }
}
