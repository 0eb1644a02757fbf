//! The house rules, read from the source: imports run one way, down the floors that lib.rs
//! names; no import circle between modules; no probe imports a domain module; no check imports
//! another check; no source file grows past ~600 lines. `cargo test --test architecture --
//! --nocapture` prints the import graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module's floor (lib.rs says why). A module may import its own floor or below.
const FLOORS: &[(&str, u8)] = &[
    ("redact", 0),
    ("sanitize", 0),
    ("time_util", 0),
    ("model", 1),
    ("probes", 2),
    ("engine", 2),
    ("api", 3),
    ("hosts", 3),
    ("install", 3),
    ("settings", 3),
    ("supervisors", 3),
    ("ctx", 4),
    ("checks", 5),
    ("bundle", 5),
    ("render", 6),
    ("cli", 7),
    ("commands", 7),
    ("output", 7),
    ("error", 7),
    ("app", 8),
];

const MAX_LINES: usize = 600;

fn floor(m: &str) -> u8 {
    FLOORS
        .iter()
        .find(|(n, _)| *n == m)
        .map(|(_, f)| *f)
        .unwrap_or_else(|| panic!("module {m} has no floor: add it to lib.rs's list and FLOORS"))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The file's path under src/, as module names: src/checks/host/gather.rs → [checks, host, gather].
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    parts
}

/// The code of a file without its unit tests (they sit at the end, after `#[cfg(test)]`).
fn product_code(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    }
}

/// The `crate::a::b` paths a text names: (a, b).
fn crate_paths(code: &str) -> Vec<(String, Option<String>)> {
    let mut out = vec![];
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let tail = &rest[i + "crate::".len()..];
        let ident = |s: &str| -> String {
            s.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        };
        let a = ident(tail);
        let consumed = a.len();
        let after = &tail[consumed..];
        let b = after
            .strip_prefix("::")
            .map(ident)
            .filter(|b| !b.is_empty());
        // `use crate::{a, b}` groups.
        if a.is_empty() && tail.starts_with('{') {
            let group = &tail[1..tail.find('}').unwrap_or(tail.len())];
            for item in group.split(',') {
                let item = item.trim();
                let a = ident(item);
                if !a.is_empty() {
                    out.push((a, None));
                }
            }
        } else if !a.is_empty() {
            out.push((a, b));
        }
        rest = &tail[consumed..];
    }
    out
}

/// A source file: its path, its module path, the crate paths it names, its product code.
type Source = (PathBuf, Vec<String>, Vec<(String, Option<String>)>, String);

struct House {
    /// module → modules it imports (top level).
    graph: BTreeMap<String, BTreeSet<String>>,
    files: Vec<Source>,
}

fn read_house() -> House {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    sources(&src, &mut files);
    files.sort();
    let mut house = House {
        graph: BTreeMap::new(),
        files: vec![],
    };
    for f in files {
        let m = module_path(&src, &f);
        if m == ["main"] || m == ["lib"] {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let code = product_code(&text).to_string();
        let paths = crate_paths(&code);
        let top = m[0].clone();
        let edges = house.graph.entry(top.clone()).or_default();
        for (a, _) in &paths {
            if *a != top {
                edges.insert(a.clone());
            }
        }
        house.files.push((f, m, paths, code));
    }
    house
}

#[test]
fn imports_run_down_the_floors() {
    let house = read_house();
    let mut wrong = vec![];
    for (from, tos) in &house.graph {
        for to in tos {
            if floor(to) > floor(from) {
                wrong.push(format!(
                    "{from} (floor {}) imports {to} (floor {})",
                    floor(from),
                    floor(to)
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that run up:\n{}",
        wrong.join("\n")
    );
    println!("the import graph (module → what it imports):");
    for (from, tos) in &house.graph {
        let tos: Vec<&str> = tos.iter().map(String::as_str).collect();
        println!("  {from} [{}] → {}", floor(from), tos.join(", "));
    }
}

#[test]
fn no_import_circles() {
    let house = read_house();
    // Depth-first search for a back edge.
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == n) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(n.to_string());
            return Some(cycle);
        }
        if done.contains(n) {
            return None;
        }
        stack.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, g, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for n in house.graph.keys() {
        if let Some(c) = visit(n, &house.graph, &mut vec![], &mut done) {
            panic!("import circle: {}", c.join(" → "));
        }
    }
}

#[test]
fn probes_import_no_domain_module() {
    let house = read_house();
    for (f, m, paths, _) in &house.files {
        if m[0] != "probes" {
            continue;
        }
        for (a, _) in paths {
            assert!(
                floor(a) == 0 || a == "probes",
                "{} imports crate::{a}: a probe touches the system and knows nothing above it",
                f.display()
            );
        }
    }
}

#[test]
fn checks_never_import_each_other() {
    let house = read_house();
    let checks: Vec<String> = house
        .files
        .iter()
        .filter(|(_, m, _, _)| m.len() == 2 && m[0] == "checks")
        .map(|(_, m, _, _)| m[1].clone())
        .collect();
    assert!(checks.len() >= 5, "{checks:?}");
    for (f, m, paths, code) in &house.files {
        if m[0] != "checks" || m.len() < 2 {
            continue;
        }
        let own = &m[1];
        for (a, b) in paths {
            if a == "checks" {
                let b = b.as_deref().unwrap_or("");
                assert!(
                    b == own || !checks.iter().any(|c| c == b),
                    "{} imports the {b} check: checks meet only through the engine",
                    f.display()
                );
            }
        }
        // `use super::api::…` from a check file (not from inside a check's own folder).
        if m.len() == 2 {
            for c in &checks {
                assert!(
                    !code.contains(&format!("super::{c}::")),
                    "{} reaches into the {c} check through super::",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn no_source_file_is_too_long() {
    let house = read_house();
    for (f, _, _, _) in &house.files {
        let n = std::fs::read_to_string(f).unwrap().lines().count();
        assert!(
            n <= MAX_LINES,
            "{} has {n} lines (over {MAX_LINES}): split it",
            f.display()
        );
    }
}

#[test]
fn the_rules_see_what_they_claim_to() {
    // The reader itself: a grouped use, a nested path, and test code left out.
    let p = crate_paths(
        "use crate::{api, hosts};\nuse crate::probes::http::{self};\nx(crate::ctx::blocking)",
    );
    assert_eq!(
        p,
        vec![
            ("api".to_string(), None),
            ("hosts".to_string(), None),
            ("probes".to_string(), Some("http".to_string())),
            ("ctx".to_string(), Some("blocking".to_string())),
        ]
    );
    assert_eq!(
        product_code("a\n#[cfg(test)]\nmod tests { use crate::app; }"),
        "a\n"
    );
    let house = read_house();
    assert!(house.graph.get("checks").is_some_and(|e| e.contains("ctx")));
    assert!(house
        .graph
        .get("app")
        .is_some_and(|e| e.contains("commands")));
}
