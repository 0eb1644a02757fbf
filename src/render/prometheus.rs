//! The run in Prometheus's text exposition format (version 0.0.4), for node_exporter's textfile
//! collector: a timer writes it with `-o FILE` (atomically) and alerting rules read the series.
//!
//! Names follow the Prometheus naming guide: one prefix (`agent_rooms_doctor_`), base units in
//! the name (`_seconds`), `_info` for the version. Every series carries a `home` label (the
//! agent-rooms home judged) so the files of several agents on one machine never collide.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::outcome::Status;
use crate::model::report::Report;

const STATUSES: [Status; 4] = [Status::Pass, Status::Warn, Status::Fail, Status::Skip];

/// The report as metrics, ending with a newline.
pub fn render(r: &Report) -> String {
    let home = r
        .home
        .as_ref()
        .map(|h| h.display().to_string())
        .unwrap_or_default();
    let home = format!("home=\"{}\"", outside(&home));
    let families = families(r, &home);
    let mut out = String::new();
    for (name, help, series) in families {
        let _ = writeln!(out, "# HELP agent_rooms_doctor_{name} {}", help_text(help));
        let _ = writeln!(out, "# TYPE agent_rooms_doctor_{name} gauge");
        for (labels, value) in series {
            let _ = writeln!(out, "agent_rooms_doctor_{name}{{{labels}}} {value}");
        }
    }
    out
}

/// Each family: its name, its help, its series.
fn families<'a>(r: &Report, home: &str) -> Vec<(&'a str, &'a str, Series)> {
    let mut families: Vec<(&str, &str, Series)> = vec![
        (
            "build_info",
            "The doctor build that wrote these series: version, commit, build date, target, \
                install channel (always 1).",
            build_info(r, home),
        ),
        (
            "ok",
            "1 when no check failed (with --strict: nor warned), else 0: the run's exit code 0.",
            vec![(home.to_string(), u8::from(r.ok).to_string())],
        ),
        (
            "check_status",
            "1 for the status each check ended in, 0 for the others.",
            statuses(r, home),
        ),
        (
            "findings",
            "How many findings of each code each check made (no series when none).",
            findings(r, home),
        ),
        (
            "accepted",
            "A finding accepted by --allow: 1 while its acceptance holds, 0 once its date has \
            passed (no series when nothing is accepted).",
            accepted(r, home),
        ),
        (
            "root_cause",
            "The root cause to fix first (always 1; no series when nothing fails or warns).",
            root(r, home),
        ),
        (
            "listener_restarts",
            "How many times what runs the listener (pm2, systemd) started it again, where it was \
            asked (no listener ran, or one was up less than a minute); no series otherwise.",
            restarts(r, home),
        ),
        (
            "run_duration_seconds",
            "How long the checks took.",
            vec![(home.to_string(), seconds(r.duration_ms.as_secs_f64()))],
        ),
    ];
    if let Some(at) = r.ended {
        let unix = at
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        families.push((
            "last_run_timestamp_seconds",
            "When the run ended, in seconds since the Unix epoch.",
            vec![(home.to_string(), seconds(unix))],
        ));
    }
    families
}

/// One family's series: (labels, value).
type Series = Vec<(String, String)>;

/// The build that wrote the series, as `--version --verbose` names it.
fn build_info(r: &Report, home: &str) -> Series {
    let b = &r.build;
    let version = format!(
        "{home},version=\"{}\",commit=\"{}\",date=\"{}\",target=\"{}\",channel=\"{}\"",
        label(&r.doctor_version),
        label(&b.commit),
        label(&b.date),
        label(&b.target),
        label(&b.channel)
    );
    vec![(version, "1".into())]
}

/// Each check's status: 1 for the one it ended in, 0 for the others.
fn statuses(r: &Report, home: &str) -> Series {
    r.checks
        .iter()
        .flat_map(|c| {
            STATUSES.iter().map(|s| {
                (
                    format!("{home},check=\"{}\",status=\"{}\"", c.id, s.word()),
                    u8::from(c.status == *s).to_string(),
                )
            })
        })
        .collect()
}

/// Each accepted finding's code and the day its acceptance ends ("" for good).
fn accepted(r: &Report, home: &str) -> Series {
    let mut out: Series = r
        .checks
        .iter()
        .flat_map(|c| c.findings.iter().map(move |f| (c, f)))
        .filter_map(|(c, f)| {
            let a = f.accepted.as_ref()?;
            let labels = format!(
                "{home},check=\"{}\",code=\"{}\",until=\"{}\"",
                c.id,
                outside(f.code.as_str()),
                a.until.as_deref().unwrap_or("")
            );
            Some((labels, u8::from(a.holds()).to_string()))
        })
        .collect();
    // Two findings of one code in one check are one series (the same acceptance).
    out.sort();
    out.dedup();
    out
}

/// How many findings of each code each check made: a code found twice by one check is one
/// series with its count.
fn findings(r: &Report, home: &str) -> Series {
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for c in &r.checks {
        for f in &c.findings {
            *counts
                .entry((c.id.to_string(), f.code.as_str().to_string()))
                .or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|((check, code), n)| {
            let labels = format!("{home},check=\"{check}\",code=\"{}\"", outside(&code));
            (labels, n.to_string())
        })
        .collect()
}

/// The root cause to fix first.
fn root(r: &Report, home: &str) -> Series {
    r.start_here
        .iter()
        .map(|s| {
            let labels = format!("{home},check=\"{}\",code=\"{}\"", s.check, outside(&s.code));
            (labels, "1".into())
        })
        .collect()
}

/// What runs the listener said of its restarts (asked only when none ran or one was young).
fn restarts(r: &Report, home: &str) -> Series {
    r.checks
        .iter()
        .filter_map(|c| c.facts.get::<crate::checks::listener::Facts>())
        .flat_map(|f| &f.supervisors.meant)
        .filter_map(|m| {
            let (kind, name) = (m.supervisor.kind(), m.supervisor.name());
            let labels = format!(
                "{home},supervisor=\"{}\",name=\"{}\"",
                outside(kind),
                outside(name)
            );
            Some((labels, m.restarts?.to_string()))
        })
        .collect()
}

/// A value read from outside (a path, an API's code) as a label value: as data first (no
/// escape sequence or control character, a line break a space; `sanitize::outside`, uncut),
/// then escaped.
fn outside(v: &str) -> String {
    label(&crate::sanitize::outside(v, usize::MAX))
}

/// A label value as the format requires: backslash, double quote and line feed escaped.
fn label(v: &str) -> String {
    let mut s = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            c => s.push(c),
        }
    }
    s
}

/// A HELP text: backslash and line feed escaped.
fn help_text(v: &str) -> String {
    v.replace('\\', "\\\\").replace('\n', "\\n")
}

/// Seconds with millisecond precision, as a float the format reads.
fn seconds(s: f64) -> String {
    format!("{s:.3}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample;

    #[test]
    fn a_label_value_escapes_what_the_format_requires_and_nothing_else() {
        assert_eq!(label(r#"a\b"c"#), r#"a\\b\"c"#);
        assert_eq!(label("line\nnext"), "line\\nnext");
        assert_eq!(label("tab\there é 🦀"), "tab\there é 🦀");
        assert_eq!(help_text("a\\b\nc\"d"), "a\\\\b\\nc\"d");
    }

    #[test]
    fn every_check_has_one_status_series_set_to_one() {
        let r = sample();
        let text = render(&r);
        for c in &r.checks {
            for s in STATUSES {
                let line = format!(
                    "agent_rooms_doctor_check_status{{home=\"\",check=\"{}\",status=\"{}\"}} {}",
                    c.id,
                    s.word(),
                    u8::from(c.status == s)
                );
                assert!(text.contains(&line), "{line} in\n{text}");
            }
        }
        assert!(
            text.contains("agent_rooms_doctor_ok{home=\"\"} 0\n"),
            "{text}"
        );
    }

    #[test]
    fn findings_are_counted_per_check_and_code_and_the_root_cause_named() {
        let mut r = sample();
        let dup = r.checks[1].findings[0].clone();
        r.checks[1].findings.push(dup);
        let text = render(&r);
        let code = r.checks[1].findings[0].code.as_str().to_string();
        let line = format!(
            "agent_rooms_doctor_findings{{home=\"\",check=\"{}\",code=\"{code}\"}} 2\n",
            r.checks[1].id
        );
        assert!(text.contains(&line), "{line} in\n{text}");
        let root = r.start_here.as_ref().unwrap();
        let line = format!(
            "agent_rooms_doctor_root_cause{{home=\"\",check=\"{}\",code=\"{}\"}} 1\n",
            root.check, root.code
        );
        assert!(text.contains(&line), "{line} in\n{text}");
    }

    #[test]
    fn a_home_and_an_unknown_code_from_outside_are_escaped_labels() {
        let mut r = sample();
        r.home = Some("/home/a\"b\\c\u{1b}[31md".into());
        r.ended = Some(std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_700_000_000_250));
        r.checks[1].findings[0].code =
            crate::model::catalogue::Code::Unknown("X\"} 1\nevil_metric 1\u{7}".into());
        let text = render(&r);
        assert!(text.contains(r#"home="/home/a\"b\\cd""#), "{text}");
        assert!(text.contains(r#"code="X\"} 1 evil_metric 1""#), "{text}");
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(
            !text.lines().any(|l| l.starts_with("evil_metric")),
            "{text}"
        );
        assert!(
            text.contains(
                "agent_rooms_doctor_last_run_timestamp_seconds{home=\"/home/a\\\"b\\\\cd\"} \
                    1700000000.250\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn every_family_has_help_and_type_before_its_series_and_names_are_valid() {
        let text = render(&sample());
        let mut declared = std::collections::HashSet::new();
        for l in text.lines() {
            if let Some(rest) = l.strip_prefix("# TYPE ") {
                let name = rest.split(' ').next().unwrap();
                assert!(declared.insert(name.to_string()), "{name} declared twice");
                assert!(rest.ends_with(" gauge"));
            } else if !l.starts_with("# HELP ") {
                let name = l.split('{').next().unwrap();
                assert!(declared.contains(name), "{name} before its TYPE");
                assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            }
        }
        assert!(text.ends_with('\n'));
    }
}
