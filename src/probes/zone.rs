//! The time zone a log line without a zone is read in: the listener's `TZ`, else this system's
//! (its zone database, `/etc/localtime`). Loading a zone reads the system's files; converting a
//! time with it afterwards is pure.

use jiff::tz::TimeZone;

/// A zone, with its name and why it is the one.
#[derive(Debug, Clone)]
pub struct Zone {
    pub tz: TimeZone,
    /// "Europe/Berlin", "UTC", or the TZ value as given.
    pub name: String,
    /// "the listener's TZ", "this system's zone", or why the listener's TZ was not used.
    pub why: String,
}

/// The zone for a listener whose `TZ` is `tz_var` (None: not set, or its environment unread).
pub fn of(tz_var: Option<&str>) -> Zone {
    if let Some(v) = tz_var.map(str::trim).filter(|v| !v.is_empty()) {
        let name = v.strip_prefix(':').unwrap_or(v);
        let found = if name.starts_with('/') {
            std::fs::read(name)
                .ok()
                .and_then(|b| TimeZone::tzif(name, &b).ok())
        } else {
            TimeZone::get(name)
                .ok()
                .or_else(|| TimeZone::posix(name).ok())
        };
        if let Some(tz) = found {
            return Zone {
                tz,
                name: name.to_string(),
                why: "the listener's TZ".into(),
            };
        }
        let system = system();
        return Zone {
            why: format!(
                "this system's zone: the listener's TZ={v:?} is not a zone this machine knows"
            ),
            ..system
        };
    }
    system()
}

/// This system's zone.
pub fn system() -> Zone {
    let tz = TimeZone::try_system().unwrap_or(TimeZone::UTC);
    Zone {
        name: tz.iana_name().unwrap_or("local time").to_string(),
        tz,
        why: "this system's zone".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listeners_tz_else_the_systems() {
        assert_eq!(of(Some("Europe/Berlin")).name, "Europe/Berlin");
        assert_eq!(of(Some(":UTC")).why, "the listener's TZ");
        // A POSIX rule string is a zone too.
        assert_eq!(
            of(Some("CET-1CEST,M3.5.0,M10.5.0/3")).why,
            "the listener's TZ"
        );
        let bad = of(Some("Nowhere/Atlantis"));
        assert!(
            bad.why.contains("is not a zone this machine knows"),
            "{}",
            bad.why
        );
        assert_eq!(of(None).why, "this system's zone");
    }
}
