//! The markdown bundle of 0.1.0, written before bundles carried their data (`## Data`): read from
//! its sections — the header's list, the checks table, the findings' headings, the host table,
//! the timeline's and each check's JSON blocks. Kept so the bundles support already holds (one is
//! committed under tests/data/bundles) replay alike; a bundle of today is read from its data.

use std::iter::Peekable;
use std::str::Lines;

use super::recorded::{
    events, ran_strict, status, Provenance, Recorded, RecordedCheck, RecordedHost, SCHEMA,
};
use crate::model::outcome::Status;
use crate::model::timeline::Event;
use crate::model::CheckId;

/// What the sections said, gathered as they are read.
struct Sections {
    from: Provenance,
    schema: u32,
    statuses: Vec<(CheckId, Status)>,
    codes: Vec<(CheckId, String)>,
    facts: Vec<(CheckId, serde_json::Value)>,
    hosts: Vec<RecordedHost>,
    timeline: Vec<Event>,
}

/// The bundle `md`: its schema and what it recorded.
pub(super) fn read(md: &str) -> Result<(u32, Recorded), String> {
    let mut lines = md.lines().peekable();
    let title = lines.next().unwrap_or_default();
    let report_id = title
        .strip_prefix("# agent-rooms-doctor report `")
        .and_then(|t| t.strip_suffix('`'))
        .ok_or("its first line is not \"# agent-rooms-doctor report `ID`\"")?;
    let mut s = Sections::new(report_id);
    let mut section = "";
    while let Some(line) = lines.next() {
        match line.strip_prefix("## ") {
            Some(h) => section = section_of(h),
            None if section.is_empty() => s.header(line)?,
            None => s.line(section, line, &mut lines)?,
        }
    }
    s.finish()
}

/// The section a `## ` heading opens, by the words it starts with.
fn section_of(heading: &str) -> &'static str {
    [
        ("Checks", "checks"),
        ("Host CLIs (on the doctor's PATH)", "hosts"),
        ("Facts", "facts"),
        ("Findings", "findings"),
        ("What changed", "timeline"),
    ]
    .iter()
    .find(|(start, _)| heading.starts_with(start))
    .map_or("", |(_, section)| section)
}

impl Sections {
    fn new(report_id: &str) -> Self {
        Sections {
            from: Provenance {
                report_id: report_id.to_string(),
                generated_at: String::new(),
                doctor_version: String::new(),
                build: None,
                system: String::new(),
                run_by: String::new(),
                home: String::new(),
            },
            schema: SCHEMA,
            statuses: vec![],
            codes: vec![],
            facts: vec![],
            hosts: vec![],
            timeline: vec![],
        }
    }

    /// A line of the header's list: "- doctor: 0.1.0".
    fn header(&mut self, line: &str) -> Result<(), String> {
        let Some((key, value)) = line.strip_prefix("- ").and_then(|r| r.split_once(": ")) else {
            return Ok(());
        };
        let from = &mut self.from;
        match key {
            "doctor" => from.doctor_version = value.into(),
            "generated" => from.generated_at = value.split(' ').next().unwrap_or(value).into(),
            "system" => from.system = value.into(),
            "run by" => from.run_by = value.into(),
            "agent-rooms home" => from.home = value.into(),
            "schema" => {
                self.schema = value
                    .trim()
                    .parse()
                    .map_err(|_| "its schema line is not a number")?
            }
            _ => {}
        }
        Ok(())
    }

    /// A line of `section`; a JSON block is read to its closing fence.
    fn line(
        &mut self,
        section: &str,
        line: &str,
        lines: &mut Peekable<Lines>,
    ) -> Result<(), String> {
        let cells: Vec<&str> = line
            .strip_prefix("| ")
            .and_then(|l| l.strip_suffix(" |"))
            .map(|l| l.split(" | ").collect())
            .unwrap_or_default();
        match section {
            "checks" if cells.len() >= 2 => {
                let word = cells[1].rsplit(' ').next().unwrap_or_default();
                if let (Ok(id), Some(s)) = (cells[0].parse::<CheckId>(), status(word)) {
                    self.statuses.push((id, s));
                }
            }
            "hosts" if cells.len() == 3 && cells[0] != "host" && !cells[0].starts_with("---") => {
                self.hosts.push(RecordedHost {
                    name: cells[0].into(),
                    paths: cells[1].into(),
                    version: if cells[2] == "-" { "" } else { cells[2] }.into(),
                })
            }
            "timeline" if line.starts_with("```json") => {
                if let Ok(v) = serde_json::from_str(&fenced(lines)) {
                    self.timeline = events(&v);
                }
            }
            // A finding's heading: "### `CODE` (check)".
            "findings" => {
                if let Some((code, id)) = finding_heading(line) {
                    self.codes.push((id, code.to_string()));
                }
            }
            // A check's facts: "### check", then its JSON block.
            "facts" => {
                if let Some(Ok(id)) = line.strip_prefix("### ").map(str::parse::<CheckId>) {
                    while lines.peek().is_some_and(|l| !l.starts_with("```json")) {
                        lines.next();
                    }
                    lines.next();
                    let v = serde_json::from_str(&fenced(lines))
                        .map_err(|e| format!("the {id} check's facts are not JSON: {e}"))?;
                    self.facts.push((id, v));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The checks, each with its codes and facts.
    fn finish(self) -> Result<(u32, Recorded), String> {
        if self.statuses.is_empty() {
            return Err("it has no checks table".into());
        }
        let checks: Vec<RecordedCheck> = self
            .statuses
            .into_iter()
            .map(|(id, status)| RecordedCheck {
                id,
                status,
                codes: self
                    .codes
                    .iter()
                    .filter(|(c, _)| *c == id)
                    .map(|(_, code)| code.clone())
                    .collect(),
                facts: self
                    .facts
                    .iter()
                    .find(|(c, _)| *c == id)
                    .map(|(_, f)| f.clone())
                    .unwrap_or_default(),
            })
            .collect();
        let strict = ran_strict(&checks);
        let recorded = Recorded {
            from: self.from,
            checks,
            hosts: self.hosts,
            timeline: self.timeline,
            strict,
        };
        Ok((self.schema, recorded))
    }
}

/// "### `CODE` (check)": the code and the check.
fn finding_heading(line: &str) -> Option<(&str, CheckId)> {
    let (code, rest) = line.strip_prefix("### `")?.split_once("` (")?;
    Some((code, rest.strip_suffix(')')?.parse().ok()?))
}

/// The lines up to a closing fence (the opening one already read).
fn fenced<'a>(lines: &mut impl Iterator<Item = &'a str>) -> String {
    let mut block = String::new();
    for l in lines.by_ref() {
        if l.starts_with("```") {
            break;
        }
        block.push_str(l);
        block.push('\n');
    }
    block
}
