//! Reading a log for the seed's errors (CONTRACT §1 "The listener's log"): error envelopes
//! (`{"error":{"code":…}}`, also inside a longer line) and bare seed codes as whole words, in the
//! last day; each distinct code once, with its count, last time, last request id and a line.
//! Pure: the lines were read by the log probe.

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

use crate::api::envelope;
use crate::model::catalogue::{self as codes, Origin, CATALOGUE};
use crate::model::crash;
use crate::probes::logs::Log;
use jiff::tz::TimeZone;

/// Only what happened in this last stretch counts.
pub const WINDOW_SECS: i64 = 24 * 3600;

/// A quoted line is cut here.
const QUOTE_CAP: usize = 200;

/// One code found in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    pub code: String,
    pub count: usize,
    /// Seconds since the epoch, where the log gives a time.
    #[serde(
        serialize_with = "crate::time_util::ser_rfc3339_opt",
        deserialize_with = "crate::time_util::de_rfc3339_opt"
    )]
    pub last_at: Option<i64>,
    pub last_request_id: Option<String>,
    /// How many of its lines give no time at all (counted because their file was written to
    /// within the window, said as such: never as a time).
    pub unknown_time: usize,
    /// Some of its times were written without a zone and read in the listener's zone.
    pub zoneless: bool,
    /// The last line it was on: sanitised, redacted, at most 200 characters.
    pub line: String,
    /// The log it was found in.
    pub source: String,
}

/// The seed's codes as whole words: its API error codes and its operational answers
/// (`already_claimed`), from the one catalogue.
static BARE: LazyLock<Regex> = LazyLock::new(|| {
    let codes: Vec<String> = CATALOGUE
        .iter()
        .filter(|e| matches!(e.origin, Origin::Api | Origin::Gotcha))
        .map(|e| regex::escape(e.code))
        .collect();
    Regex::new(&format!(r"\b({})\b", codes.join("|"))).expect("the seed codes make a regex")
});

static ENVELOPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\{\s*"error"\s*:"#).expect("a fixed regex"));

static REQUEST_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"request[_-]?id"?\s*[=:]\s*"?([A-Za-z0-9_.:-]{3,100})"#).expect("a fixed regex")
});

/// A date and time, with or without a zone: `2026-11-28T00:44:47.123Z`, `2026-11-28
/// 00:44:47,123`, `… +01:00`.
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?")
        .expect("a fixed regex")
});

/// The codes (with request ids) of the error envelopes in one line.
fn envelopes(line: &str) -> Vec<(String, Option<String>)> {
    ENVELOPE
        .find_iter(line)
        .filter_map(|m| {
            let rest = &line.as_bytes()[m.start()..];
            let mut values =
                serde_json::Deserializer::from_slice(rest).into_iter::<serde_json::Value>();
            values.next()?.ok()?;
            let end = values.byte_offset();
            let e = envelope::parse(&rest[..end]).ok()?;
            Some((e.code, e.request_id))
        })
        .collect()
}

/// A time written in the line itself (RFC 3339, or with a space for the `T` and a comma before
/// the fraction); one without a zone is read in `zone`. The bool: it had no zone.
fn time_in(line: &str, zone: &TimeZone) -> Option<(i64, bool)> {
    let c = TIME.captures(line)?;
    let (date, time) = (&c[1], &c[2]);
    match c.get(4) {
        Some(z) => crate::time_util::parse_rfc3339(&format!("{date}T{time}{}", z.as_str()))
            .map(|t| (t, false)),
        None => {
            let civil: jiff::civil::DateTime = format!("{date}T{time}").parse().ok()?;
            // In a DST change's repeated hour, the earlier reading; in its gap, the later.
            let at = zone.to_ambiguous_zoned(civil).compatible().ok()?;
            Some((at.timestamp().as_second(), true))
        }
    }
}

/// A log line as quoted: cleaned and masked whole, then cut (`sanitize::outside`).
fn quote(line: &str) -> String {
    crate::sanitize::outside(line.trim(), QUOTE_CAP)
}

/// Every seed code in `logs` within the window before `now`, each once, in order of first sight.
/// A line's time is its own (the journal's), else one written in it (without a zone: read in
/// `zone`), else the last time an earlier line of that log gave; a line with no time at all
/// counts, as of an unknown time, only when its file was written to within the window (its
/// modification time bounds how old the line can be, never how new).
pub fn scan(logs: &[Log], now: i64, zone: &TimeZone) -> Vec<Hit> {
    let mut hits: Vec<Hit> = vec![];
    for log in logs {
        let fresh_file = log.modified.is_none_or(|m| now - m <= WINDOW_SECS);
        let mut carried = None;
        let mut deaths = Deaths::default();
        for l in &log.lines {
            // A coloured line's codes sit right after an escape sequence (`\x1b[31mREVOKED`):
            // they are read as the terminal would show them.
            let clean;
            let text = if l.text.contains('\x1b') {
                clean = crate::sanitize::outside(&l.text, usize::MAX);
                clean.as_str()
            } else {
                l.text.as_str()
            };
            let written = time_in(text, zone);
            let at = l.at.or(written.map(|w| w.0)).or(carried);
            let zoneless = l.at.is_none() && written.is_some_and(|w| w.1);
            carried = at;
            let recent = match at {
                Some(t) => now - t <= WINDOW_SECS,
                None => fresh_file,
            };
            if !recent {
                continue;
            }
            let mut found = envelopes(text);
            let said = deaths.see(text, &mut found);
            if found.is_empty() {
                let id = REQUEST_ID.captures(text).map(|c| c[1].to_string());
                for m in BARE.find_iter(text) {
                    if !found.iter().any(|(c, _)| c == m.as_str()) {
                        found.push((m.as_str().to_string(), id.clone()));
                    }
                }
            }
            for (code, id) in found {
                let code = crate::sanitize::outside(&code, 100);
                let line = match &said {
                    Some(s) if code == codes::LISTENER_CRASHED.code => s,
                    _ => text,
                };
                let hit = hit_of(&mut hits, &code, &log.source);
                hit.count += 1;
                hit.unknown_time += usize::from(at.is_none());
                hit.zoneless |= zoneless;
                hit.last_at = at.or(hit.last_at);
                hit.last_request_id = id.or(hit.last_request_id.take());
                hit.line = quote(line);
                hit.source = log.source.clone();
            }
        }
    }
    hits
}

/// The hit of `code`, added when it is the first.
fn hit_of<'a>(hits: &'a mut Vec<Hit>, code: &str, source: &str) -> &'a mut Hit {
    match hits.iter().position(|h| h.code == code) {
        Some(i) => &mut hits[i],
        None => {
            hits.push(Hit {
                code: code.to_string(),
                count: 0,
                last_at: None,
                last_request_id: None,
                unknown_time: 0,
                zoneless: false,
                line: String::new(),
                source: source.to_string(),
            });
            hits.last_mut().expect("just pushed")
        }
    }
}

/// The listener's own deaths in one log: counted once per crash (node's closing `Node.js vN`
/// line only where no other mark of that crash came just before it), quoted by the line that
/// says why.
#[derive(Default)]
struct Deaths {
    /// Lines since the last mark of a death (node's closing line follows its error).
    since: Option<usize>,
    last_error: Option<String>,
}

impl Deaths {
    /// Read `text`: a death it marks is added to `found`; returns the crash line to quote,
    /// where it is not this line.
    fn see(&mut self, text: &str, found: &mut Vec<(String, Option<String>)>) -> Option<String> {
        let mut said = None;
        if crash::marks_death(text) {
            let closing = crash::node_version_line(text.trim());
            if !(closing && self.since.is_some_and(|n| n <= 15)) {
                found.push((codes::LISTENER_CRASHED.code.to_string(), None));
                if closing {
                    said = self.last_error.clone();
                }
            }
            self.since = Some(0);
        } else {
            self.since = self.since.map(|n| n + 1);
        }
        if crash::is_error_line(text) {
            self.last_error = Some(text.to_string());
        }
        said
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probes::logs::Line;

    const NOW: i64 = 1_795_652_000;

    fn log(lines: &[(Option<i64>, &str)], modified: Option<i64>) -> Log {
        Log {
            source: "/var/log/ar.log".into(),
            lines: lines
                .iter()
                .map(|(at, t)| Line {
                    at: *at,
                    text: t.to_string(),
                })
                .collect(),
            bytes: 0,
            truncated: false,
            modified,
        }
    }

    #[test]
    fn the_listeners_own_death_is_counted_once_per_crash_and_quoted_by_its_error() {
        let crash = |why: &str| -> Vec<(Option<i64>, String)> {
            [
                "/usr/lib/agent-rooms/watch.js:12",
                "    throw new Error('socket closed');",
                "    ^",
                "",
                why,
                "    at Socket.<anonymous> (/usr/lib/agent-rooms/watch.js:12:11)",
                "",
                "Node.js v20.20.2",
            ]
            .iter()
            .map(|t| (Some(NOW - 60), t.to_string()))
            .collect()
        };
        let mut lines = crash("Error: socket closed");
        lines.push((Some(NOW - 30), "agent-rooms: connected".into()));
        lines.extend(crash("Error: Cannot find module 'ws'"));
        // An error it logged and lived through is no death.
        lines.push((Some(NOW - 10), "Error: claim failed, retrying".into()));
        let borrowed: Vec<(Option<i64>, &str)> =
            lines.iter().map(|(a, t)| (*a, t.as_str())).collect();
        let hits = scan(&[log(&borrowed, None)], NOW, &TimeZone::UTC);
        let died: Vec<&Hit> = hits
            .iter()
            .filter(|h| h.code == "LISTENER_CRASHED")
            .collect();
        assert_eq!(died.len(), 1, "{hits:?}");
        assert_eq!(died[0].count, 2, "two crashes, each once");
        assert_eq!(died[0].line, "Error: Cannot find module 'ws'");
        // A crash with no other mark is quoted by the error before node's closing line.
        let first = crash("Error: socket closed");
        let borrowed: Vec<(Option<i64>, &str)> =
            first.iter().map(|(a, t)| (*a, t.as_str())).collect();
        let hits = scan(&[log(&borrowed, None)], NOW, &TimeZone::UTC);
        assert_eq!(hits[0].line, "Error: socket closed");
        assert_eq!(hits[0].count, 1);
    }

    #[test]
    fn envelopes_inside_lines_and_bare_codes_are_counted_once_each() {
        let l = log(
            &[
                (
                    Some(NOW - 100),
                    concat!(
                        r#"2026-11-26T00:00:00Z ERROR claim failed "#,
                        r#"{"error":{"code":"NO_GRANT","message":"no grant","request_id":"req_1"}} retrying"#
                    ),
                ),
                (
                    Some(NOW - 50),
                    r#"{"error": {"code": "NO_GRANT", "request_id": "req_2"}}"#,
                ),
                (
                    Some(NOW - 40),
                    "claim_task returned already_claimed (request_id=req_3)",
                ),
                (
                    Some(NOW - 30),
                    "not_already_claimed NO_GRANTED xNO_GRANT NO_GRANT_X",
                ),
                (Some(NOW - 20), "plain text, nothing to see"),
            ],
            None,
        );
        let hits = scan(&[l], NOW, &TimeZone::UTC);
        let got: Vec<(&str, usize, Option<i64>, Option<&str>)> = hits
            .iter()
            .map(|h| {
                (
                    h.code.as_str(),
                    h.count,
                    h.last_at,
                    h.last_request_id.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("NO_GRANT", 2, Some(NOW - 50), Some("req_2")),
                ("already_claimed", 1, Some(NOW - 40), Some("req_3")),
            ]
        );
        assert_eq!(
            hits[1].line,
            "claim_task returned already_claimed (request_id=req_3)"
        );
        assert_eq!(hits[0].source, "/var/log/ar.log");
    }

    #[test]
    fn a_code_twice_on_one_line_is_one_occurrence() {
        let l = log(&[(Some(NOW), "REVOKED: token REVOKED (REVOKED)")], None);
        assert_eq!(scan(&[l], NOW, &TimeZone::UTC)[0].count, 1);
    }

    #[test]
    fn only_the_last_day_counts() {
        assert_eq!(WINDOW_SECS, 86_400);
        let l = log(
            &[
                (Some(NOW - WINDOW_SECS - 1), "REVOKED"),
                (Some(NOW - WINDOW_SECS), "RATE_LIMITED"),
                (None, "INTERNAL"), // inherits the line before: inside
            ],
            Some(NOW - 10),
        );
        let codes: Vec<String> = scan(&[l], NOW, &TimeZone::UTC)
            .into_iter()
            .map(|h| h.code)
            .collect();
        assert_eq!(codes, vec!["RATE_LIMITED", "INTERNAL"]);
        // Times written in the lines themselves, with a T or a space.
        let l = log(
            &[
                (None, "2026-11-20T00:00:00Z UPGRADE_REQUIRED"),
                (None, "UPGRADE_REQUIRED again, same old time"),
                (None, "2026-11-26 00:00:00+00:00 THREAD_NOT_ACTIVE"),
            ],
            Some(NOW),
        );
        let codes: Vec<String> = scan(&[l], NOW, &TimeZone::UTC)
            .into_iter()
            .map(|h| h.code)
            .collect();
        assert_eq!(codes, vec!["THREAD_NOT_ACTIVE"]);
        // No times at all: the file's own age decides.
        let old = log(&[(None, "REVOKED")], Some(NOW - WINDOW_SECS - 60));
        assert!(scan(&[old], NOW, &TimeZone::UTC).is_empty());
        let new = log(&[(None, "REVOKED")], Some(NOW - 60));
        assert_eq!(scan(&[new], NOW, &TimeZone::UTC)[0].last_at, None);
    }

    #[test]
    fn a_secret_across_the_cut_is_masked_before_it() {
        // An opaque token (no known shape): only the registered value can mask it.
        let secret = "tqJ3xEf5yjbqiOPAQUEtokenVALUE0042";
        let _ = crate::redact::Secret::new(secret);
        let line = format!("{} REVOKED with {secret} as bearer", "x".repeat(180));
        let hits = scan(&[log(&[(Some(NOW), &line)], None)], NOW, &TimeZone::UTC);
        let quoted = &hits[0].line;
        for i in 0..secret.len() - 4 {
            assert!(!quoted.contains(&secret[i..i + 5]), "{quoted}");
        }
    }

    #[test]
    fn quoted_lines_are_clean_short_and_without_secrets() {
        let _ = crate::redact::Secret::new("ar_live_SECRETinLOG_123456");
        let long = format!(
            "\x1b[31mINVALID_PASSPORT\x1b[0m token ar_live_SECRETinLOG_123456 {}",
            "x".repeat(500)
        );
        let hits = scan(&[log(&[(Some(NOW), &long)], None)], NOW, &TimeZone::UTC);
        let line = &hits[0].line;
        assert!(
            !line.contains('\x1b') && !line.contains("SECRETinLOG"),
            "{line}"
        );
        assert!(line.chars().count() <= QUOTE_CAP + 20, "{line}");
    }

    #[test]
    fn an_unknown_code_in_an_envelope_passes_through_and_junk_does_not_count() {
        let hits = scan(
            &[log(
                &[
                    (Some(NOW), r#"{"error":{"code":"NEW_THING"}}"#),
                    (Some(NOW), r#"{"error": "just text"} {"error":{"code":"#),
                ],
                None,
            )],
            NOW,
            &TimeZone::UTC,
        );
        let codes: Vec<&str> = hits.iter().map(|h| h.code.as_str()).collect();
        assert_eq!(codes, vec!["NEW_THING"]);
    }

    /// The seconds of a civil time in `zone`.
    fn at(civil: &str, zone: &str) -> i64 {
        let dt: jiff::civil::DateTime = civil.parse().unwrap();
        dt.to_zoned(TimeZone::get(zone).unwrap())
            .unwrap()
            .timestamp()
            .as_second()
    }

    #[test]
    fn a_time_without_a_zone_is_read_in_the_listeners_zone_never_by_the_files_age() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let now = at("2026-12-02T12:00:00", "Europe/Berlin");
        // The issue's line: four days old, no zone, in a file written a minute ago.
        let old = log(
            &[(
                None,
                "2026-11-28 00:44:47,123 ERROR claim: already_claimed NO_GRANT",
            )],
            Some(now - 60),
        );
        assert!(scan(&[old], now, &berlin).is_empty());
        // The window's edge, read in the zone (Berlin is UTC+1 in winter: read as UTC the
        // same text would be an hour later, so inside the window).
        let rows: &[(&str, bool)] = &[
            ("2026-12-01 12:00:00 REVOKED", true),
            ("2026-12-01 11:59:59 REVOKED", false),
            ("2026-12-01T12:00:01.5 REVOKED", true),
            ("2026-12-01 11:00:00Z REVOKED", true),
            ("2026-12-01 10:59:59+00:00 REVOKED", false),
        ];
        for (line, recent) in rows {
            let hits = scan(&[log(&[(None, line)], Some(now))], now, &berlin);
            assert_eq!(!hits.is_empty(), *recent, "{line}");
            if let Some(h) = hits.first() {
                assert_eq!(
                    h.zoneless,
                    !line.contains('Z') && !line.contains('+'),
                    "{line}"
                );
                assert_eq!(h.unknown_time, 0);
            }
        }
    }

    #[test]
    fn the_window_holds_across_a_dst_change() {
        // Berlin leaves summer time on 2026-10-25 at 03:00 (back to 02:00): 24 h before
        // 2026-10-25 12:00 CET is 2026-10-24 13:00 CEST, not 12:00.
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let now = at("2026-10-25T12:00:00", "Europe/Berlin");
        for (line, recent) in [
            ("2026-10-24 13:00:00 REVOKED", true),
            ("2026-10-24 12:59:59 REVOKED", false),
            // The repeated hour reads as its earlier instant (CEST).
            ("2026-10-25 02:30:00 REVOKED", true),
        ] {
            let hits = scan(&[log(&[(None, line)], Some(now))], now, &berlin);
            assert_eq!(!hits.is_empty(), recent, "{line}");
        }
        // Spring: 2026-03-29 02:30 does not exist in Berlin; it reads as 03:30 CEST.
        let spring = at("2026-03-30T01:30:00", "Europe/Berlin");
        let hits = scan(
            &[log(&[(None, "2026-03-29 02:30:00 REVOKED")], Some(spring))],
            spring,
            &berlin,
        );
        assert_eq!(
            hits[0].last_at,
            Some(at("2026-03-29T03:30:00", "Europe/Berlin"))
        );
    }

    #[test]
    fn a_line_without_any_time_is_of_unknown_time() {
        // Counted only when its file was written to in the window, and said to be of no time.
        let fresh = log(&[(None, "REVOKED"), (None, "REVOKED")], Some(NOW - 60));
        let h = &scan(&[fresh], NOW, &TimeZone::UTC)[0];
        assert_eq!((h.count, h.unknown_time, h.last_at), (2, 2, None));
        let stale = log(&[(None, "REVOKED")], Some(NOW - WINDOW_SECS - 1));
        assert!(scan(&[stale], NOW, &TimeZone::UTC).is_empty());
    }
}
