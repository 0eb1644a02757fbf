//! Small pure helpers for times: RFC 3339 parsing and human durations.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Seconds since the epoch of an RFC 3339 time, or None when it is not one.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    OffsetDateTime::parse(s.trim(), &Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

/// The UTC day of `secs` since the epoch, as YYYY-MM-DD.
pub fn day(secs: i64) -> String {
    rfc3339(secs).chars().take(10).collect()
}

/// Now, in seconds since the epoch.
pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// `3h 2m`, `45s`: at most two units.
pub fn ago(secs: i64) -> String {
    let s = secs.unsigned_abs();
    let (d, h, m, sec) = (s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
    let t = if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else if m > 0 {
        format!("{m}m {sec}s")
    } else {
        format!("{sec}s")
    };
    if secs < 0 {
        format!("in {t}")
    } else {
        t
    }
}

/// RFC 3339 text for seconds since the epoch.
/// Seconds since the epoch, in JSON as RFC 3339 (for `#[serde(serialize_with)]`).
pub fn ser_rfc3339<S: serde::Serializer>(secs: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*secs))
}

/// An optional time in seconds since the epoch, in JSON as RFC 3339 (or null).
pub fn ser_rfc3339_opt<S: serde::Serializer>(secs: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match secs {
        Some(t) => s.serialize_str(&rfc3339(*t)),
        None => s.serialize_none(),
    }
}

/// A process's start (seconds since the epoch), in JSON as RFC 3339.
pub fn ser_rfc3339_u64<S: serde::Serializer>(secs: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(i64::try_from(*secs).unwrap_or(i64::MAX)))
}

/// RFC 3339 in JSON back to seconds since the epoch (facts read back: `replay`).
pub fn de_rfc3339<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let s = <String as serde::Deserialize>::deserialize(d)?;
    parse_rfc3339(&s)
        .ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 time: {s:?}")))
}

/// An optional RFC 3339 time in JSON back to seconds since the epoch.
pub fn de_rfc3339_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match <Option<String> as serde::Deserialize>::deserialize(d)? {
        None => Ok(None),
        Some(s) => parse_rfc3339(&s)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 time: {s:?}"))),
    }
}

/// A process's start in JSON back to seconds since the epoch.
pub fn de_rfc3339_u64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    de_rfc3339(d).map(|t| u64::try_from(t).unwrap_or(0))
}

/// `"0600"` in JSON back to permission bits.
pub fn de_mode<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let s = <String as serde::Deserialize>::deserialize(d)?;
    u32::from_str_radix(&s, 8)
        .map_err(|_| serde::de::Error::custom(format!("not an octal mode: {s:?}")))
}

/// Permission bits, in JSON as a person writes them: `"0600"` (for `#[serde(serialize_with)]`).
pub fn ser_mode<S: serde::Serializer>(mode: &u32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("{:04o}", mode & 0o7777))
}

pub fn rfc3339(secs: i64) -> String {
    OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| secs.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        assert_eq!(parse_rfc3339("2026-11-25T12:00:00Z"), Some(1795608000));
        assert_eq!(parse_rfc3339("2026-11-25T13:00:00+01:00"), Some(1795608000));
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(ago(45), "45s");
        assert_eq!(ago(3720), "1h 2m");
        assert_eq!(ago(-90000), "in 1d 1h");
        assert_eq!(rfc3339(1795608000), "2026-11-25T12:00:00Z");
    }
}
