//! Accepted findings (`--allow CODE[@YYYY-MM-DD]`, `AGENT_ROOMS_DOCTOR_ALLOW`, CONTRACT §2): a
//! team names a finding it knows of; it stays visible in every format, marked, and stops
//! counting against the exit code and `--strict` until its date has passed. Only a named code is
//! accepted: a check's other findings still count, and an acceptance that has expired says so
//! and counts again. Pure: the run's date comes in.

use serde::Serialize;

/// One `--allow`: a finding code, and the last day it is accepted on (none: for good).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    pub code: String,
    /// YYYY-MM-DD, checked to be a date.
    pub until: Option<String>,
}

impl std::str::FromStr for Allow {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (code, until) = match s.trim().split_once('@') {
            Some((c, d)) => (c, Some(d)),
            None => (s.trim(), None),
        };
        let is_code = !code.is_empty()
            && code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if !is_code {
            return Err(format!(
                "{code:?} is not a finding code (CODE or CODE@YYYY-MM-DD, e.g. LISTENER_NO_LINGER@2027-01-31)"
            ));
        }
        if let Some(d) = until {
            if jiff::civil::Date::strptime("%Y-%m-%d", d).is_err() || d.len() != 10 {
                return Err(format!(
                    "{d:?} is not a date: write it YYYY-MM-DD (e.g. 2027-01-31)"
                ));
            }
        }
        Ok(Allow {
            code: code.into(),
            until: until.map(str::to_string),
        })
    }
}

impl std::fmt::Display for Allow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.until {
            Some(d) => write!(f, "{}@{d}", self.code),
            None => f.write_str(&self.code),
        }
    }
}

/// How a finding was accepted, as every format marks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Acceptance {
    /// The last day it is accepted on (none: for good).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// The date has passed: it counts again.
    pub expired: bool,
}

impl Acceptance {
    /// Does it still keep its finding from counting?
    pub fn holds(&self) -> bool {
        !self.expired
    }

    /// The words every format prints beside the finding.
    pub fn words(&self, code: &str) -> String {
        match (&self.until, self.expired) {
            (Some(d), true) => format!(
                "accepted until {d} (--allow {code}@{d}); that date has passed, so it counts again"
            ),
            (Some(d), false) => {
                format!("accepted until {d} (--allow): it does not count against the exit code")
            }
            (None, _) => "accepted (--allow): it does not count against the exit code".into(),
        }
    }
}

/// The acceptance `allow` gives a finding of `code` on `today` (YYYY-MM-DD): the latest of the
/// ones that name it (one for good wins), or none.
pub fn acceptance(allow: &[Allow], code: &str, today: &str) -> Option<Acceptance> {
    let named: Vec<&Allow> = allow.iter().filter(|a| a.code == code).collect();
    if named.is_empty() {
        return None;
    }
    let until = if named.iter().any(|a| a.until.is_none()) {
        None
    } else {
        named.iter().filter_map(|a| a.until.clone()).max()
    };
    // Dates written YYYY-MM-DD compare as text; the named day itself is still accepted.
    let expired = until.as_deref().is_some_and(|d| d < today);
    Some(Acceptance { until, expired })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allow(s: &str) -> Allow {
        s.parse().unwrap()
    }

    #[test]
    fn an_allow_is_a_code_and_maybe_a_date() {
        assert_eq!(allow("LISTENER_NO_LINGER").until, None);
        let a = allow("CLOCK_SKEW@2027-01-31");
        assert_eq!(
            (a.code.as_str(), a.until.as_deref()),
            ("CLOCK_SKEW", Some("2027-01-31"))
        );
        assert_eq!(a.to_string(), "CLOCK_SKEW@2027-01-31");
        for bad in [
            "",
            "clock_skew",
            "CLOCK SKEW",
            "CLOCK_SKEW@2027-02-30",
            "CLOCK_SKEW@27-1-31",
            "X@",
        ] {
            assert!(bad.parse::<Allow>().is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn an_acceptance_holds_through_its_day_and_then_counts_again() {
        let a = [allow("CLOCK_SKEW@2027-01-31")];
        let on = |today| acceptance(&a, "CLOCK_SKEW", today).unwrap();
        assert!(on("2027-01-30").holds());
        assert!(on("2027-01-31").holds());
        assert!(!on("2027-02-01").holds());
        assert!(on("2027-02-01")
            .words("CLOCK_SKEW")
            .contains("counts again"));
        assert!(acceptance(&a, "REVOKED", "2027-01-01").is_none());
        // For good beats any date; of two dates the later one stands.
        let both = [allow("CLOCK_SKEW@2026-01-01"), allow("CLOCK_SKEW")];
        assert!(acceptance(&both, "CLOCK_SKEW", "2030-01-01")
            .unwrap()
            .holds());
        let two = [
            allow("CLOCK_SKEW@2026-01-01"),
            allow("CLOCK_SKEW@2028-01-01"),
        ];
        assert_eq!(
            acceptance(&two, "CLOCK_SKEW", "2027-01-01")
                .unwrap()
                .until
                .as_deref(),
            Some("2028-01-01")
        );
    }
}
