//! The `list` document: every registered check, its title, what it needs and what it inspects.

use super::documents::{ListDoc, Listed};
use super::format::{supports, Format, Unsupported};
use crate::engine::CheckDef;

/// `list` is written for a person or as JSON.
pub const FORMATS: &[Format] = &[Format::Human, Format::Json];

pub fn render<C>(defs: &[CheckDef<C>], format: Format) -> Result<String, Unsupported> {
    if supports("list", format, FORMATS)? == Format::Json {
        let checks = defs
            .iter()
            .map(|d| Listed {
                id: d.id,
                title: d.title.into(),
                inspects: d.inspects.into(),
                needs: d.needs.to_vec(),
            })
            .collect();
        return Ok(super::format::json(&ListDoc {
            schema_version: super::format::SCHEMA_VERSION,
            checks,
        }));
    }
    let mut out = String::new();
    for d in defs {
        let needs: Vec<&str> = d.needs.iter().map(|n| n.as_str()).collect();
        let needs = if needs.is_empty() {
            String::new()
        } else {
            format!(" (needs: {})", needs.join(", "))
        };
        out.push_str(&format!(
            "{:10}{}{needs}\n{:10}{}\n",
            d.id.as_str(),
            d.title,
            "",
            d.inspects
        ));
    }
    Ok(out)
}
