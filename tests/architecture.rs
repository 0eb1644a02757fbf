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
    ("raw_bytes", 0),
    ("model", 1),
    ("probes", 2),
    ("engine", 2),
    ("api", 3),
    ("hosts", 3),
    ("install", 3),
    ("settings", 3),
    ("supervisors", 3),
    ("remedies", 3),
    ("ctx", 4),
    ("checks", 5),
    ("bundle", 5),
    ("replay", 5),
    ("timeline", 5),
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
    [
        "#[cfg(test)]\nmod tests",
        "#[cfg(test)]\npub(crate) mod tests",
    ]
    .iter()
    .filter_map(|m| text.find(m))
    .min()
    .map_or(text, |i| &text[..i])
}

/// A file of unit tests only (`mod tests;` beside the code it tests).
fn test_file(m: &[String]) -> bool {
    m.last()
        .is_some_and(|l| l == "tests" || l.ends_with("_tests"))
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
    let found = circles(&house.graph);
    assert!(found.is_empty(), "import circles:\n{}", found.join("\n"));
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

/// Issue 40: probes return the secrets they read (`redact::Found`); the run's context hands them
/// to the redactor. No probe, and not the settings, feeds it.
#[test]
fn only_the_context_feeds_the_redactor() {
    let house = read_house();
    let mut feeding = vec![];
    for (f, m, _, code) in &house.files {
        let feeder = m[0] == "probes" || m[0] == "settings";
        for word in ["Secrets", "Secret::new", ".learn("] {
            if feeder && code.contains(word) {
                feeding.push(format!("{} uses {word}", f.display()));
            }
        }
    }
    assert!(feeding.is_empty(), "{}", feeding.join("\n"));
    let ctx = house.files.iter().filter(|(_, m, _, _)| m[0] == "ctx");
    assert!(
        ctx.map(|(_, _, _, code)| code.matches("secrets.learn(").count())
            .sum::<usize>()
            >= 3,
        "the context hands what the probes found to the redactor"
    );
}

#[test]
fn checks_never_import_each_other() {
    let house = read_house();
    let checks: Vec<String> = house
        .files
        .iter()
        .filter(|(_, m, _, _)| m.len() == 2 && m[0] == "checks")
        .map(|(_, m, _, _)| m[1].clone())
        // `check` is what a check is (the trait every check implements), not a check.
        .filter(|m| m != "check")
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
    // The graph at every depth sees `super::…`, `super::super::…` and a child named by itself.
    let deep = deep_graph();
    let names = |m: &str, n: &str| deep.get(m).is_some_and(|e| e.contains(n));
    assert!(names("checks::host::diagnose", "checks::host::facts"));
    assert!(names("probes::processes::table", "probes::supervision"));
    assert!(names("checks::host", "checks::host::gather"));
    assert!(
        !deep.keys().any(|k| k.ends_with("tests")),
        "test files are not product"
    );
    let house = read_house();
    assert!(house.graph.get("checks").is_some_and(|e| e.contains("ctx")));
    assert!(house
        .graph
        .get("app")
        .is_some_and(|e| e.contains("commands")));
}

/// Every module at every depth (a file is a module: src/checks/host/gather.rs is
/// `checks::host::gather`), and the modules each one names: through `crate::…`, `super::…`,
/// `self::…`, or a child module by its name. A path is resolved to the deepest module it reaches
/// (`crate::model::outcome::Finding` names `model::outcome`).
fn deep_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    sources(&src, &mut files);
    let modules: BTreeSet<Vec<String>> = files
        .iter()
        .map(|f| module_path(&src, f))
        .filter(|m| m != &["main"] && m != &["lib"] && !test_file(m))
        .collect();
    let resolve = |base: &[String], rest: &[String]| -> Vec<String> {
        let mut cur = base.to_vec();
        for ident in rest {
            let mut next = cur.clone();
            next.push(ident.clone());
            if modules.contains(&next) {
                cur = next;
            } else {
                break;
            }
        }
        cur
    };
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let m = module_path(&src, f);
        if !modules.contains(&m) {
            continue;
        }
        // A file that is not a folder's mod.rs sits in its parent's folder: `super` is the
        // parent module either way, but a mod.rs's children are its own.
        let text = std::fs::read_to_string(f).unwrap();
        let code = product_code(&text);
        let children: Vec<String> = modules
            .iter()
            .filter(|c| c.len() == m.len() + 1 && c.starts_with(&m))
            .map(|c| c[m.len()].clone())
            .collect();
        let mut named: BTreeSet<Vec<String>> = BTreeSet::new();
        // Word-wise walk over `a::b::c` paths and `{x, y}` groups after them.
        let bytes: Vec<char> = code.chars().collect();
        let text: String = bytes.iter().collect();
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            let start_ok = i == 0
                || !text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
            let head = ident(rest);
            if head.is_empty() || !start_ok {
                i += rest.chars().next().map_or(1, char::len_utf8);
                continue;
            }
            let after = &rest[head.len()..];
            if !after.starts_with("::") {
                i += head.len();
                continue;
            }
            // A mod.rs is its folder's module; `super` from a file is its parent either way.
            let mut after = after;
            let base: Option<Vec<String>> = match head.as_str() {
                "crate" => Some(vec![]),
                "super" => {
                    let mut up = m.len().saturating_sub(1);
                    while let Some(t) = after
                        .strip_prefix("::super")
                        .filter(|t| t.starts_with("::"))
                    {
                        after = t;
                        up = up.saturating_sub(1);
                    }
                    Some(m[..up].to_vec())
                }
                "self" => Some(m.clone()),
                c if children.iter().any(|x| x == c) => Some(m.clone()),
                _ => None,
            };
            // The idents of the path (and of one `{…}` group at its end).
            let mut idents = vec![];
            let mut tail = after;
            if head != "crate" && head != "super" && head != "self" {
                idents.push(head.clone());
            }
            let mut groups = vec![];
            while let Some(t) = tail.strip_prefix("::") {
                if let Some(g) = t.strip_prefix('{') {
                    let end = g.find('}').unwrap_or(g.len());
                    groups = g[..end]
                        .split(',')
                        .map(|x| ident(x.trim()))
                        .filter(|x| !x.is_empty())
                        .collect();
                    tail = &g[end..];
                    break;
                }
                let id = ident(t);
                if id.is_empty() {
                    break;
                }
                tail = &t[id.len()..];
                idents.push(id);
            }
            if let Some(base) = base {
                if groups.is_empty() {
                    named.insert(resolve(&base, &idents));
                } else {
                    for g in groups {
                        let mut p = idents.clone();
                        if g != "self" {
                            p.push(g);
                        }
                        named.insert(resolve(&base, &p));
                    }
                }
            }
            i = text.len() - tail.len();
        }
        let edges = graph.entry(m.join("::")).or_default();
        for n in named {
            if n != m && !n.is_empty() {
                edges.insert(n.join("::"));
            }
        }
    }
    graph
}

/// Every group of modules that reach each other (a strongly connected component of more than
/// one), each with the edges inside it, so all circles show at once.
fn circles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    strongly_connected(g)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let inner: BTreeSet<&String> = c.iter().collect();
            let mut lines = vec![c.join(", ")];
            for n in &c {
                for m in g.get(n).into_iter().flatten().filter(|m| inner.contains(m)) {
                    lines.push(format!("    {n} → {m}"));
                }
            }
            lines.join("\n")
        })
        .collect()
}

/// Tarjan's strongly connected components.
fn strongly_connected(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct T<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn go<'a>(t: &mut T<'a>, n: &'a str) {
        let i = t.index.len();
        t.index.insert(n, i);
        t.low.insert(n, i);
        t.stack.push(n);
        t.on.insert(n);
        let g = t.g;
        for m in g.get(n).into_iter().flatten() {
            let m = m.as_str();
            if !t.index.contains_key(m) {
                go(t, m);
                let l = t.low[n].min(t.low[m]);
                t.low.insert(n, l);
            } else if t.on.contains(m) {
                let l = t.low[n].min(t.index[m]);
                t.low.insert(n, l);
            }
        }
        if t.low[n] == t.index[n] {
            let mut c = vec![];
            while let Some(x) = t.stack.pop() {
                t.on.remove(x);
                c.push(x.to_string());
                if x == n {
                    break;
                }
            }
            c.sort();
            t.out.push(c);
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: vec![],
        on: BTreeSet::new(),
        out: vec![],
    };
    for n in g.keys() {
        if !t.index.contains_key(n.as_str()) {
            go(&mut t, n);
        }
    }
    t.out
}

#[test]
fn no_import_circles_at_any_depth() {
    let g = deep_graph();
    let circles = circles(&g);
    println!("the module graph at every depth (module → what it names):");
    for (from, tos) in &g {
        let tos: Vec<&str> = tos.iter().map(String::as_str).collect();
        println!("  {from} → {}", tos.join(", "));
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

/// Why `path` cannot be checked out on Windows, if it cannot: a character Windows forbids in a
/// name, a reserved device name (CON, NUL, COM1 …, with or without an extension), or a name
/// ending in a dot or a space.
fn not_on_windows(path: &str) -> Option<String> {
    const RESERVED: &[&str] = &["CON", "PRN", "AUX", "NUL"];
    for part in path.split('/') {
        if let Some(c) = part
            .chars()
            .find(|c| r#":\*?"<>|"#.contains(*c) || (*c as u32) < 32)
        {
            return Some(format!("{part:?} holds {c:?}"));
        }
        let stem = part.split('.').next().unwrap_or("").to_ascii_uppercase();
        let numbered = (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit();
        if RESERVED.contains(&stem.as_str()) || numbered {
            return Some(format!("{part:?} is a reserved name on Windows"));
        }
        if part.ends_with('.') || part.ends_with(' ') {
            return Some(format!("{part:?} ends in a dot or a space"));
        }
    }
    None
}

#[test]
fn every_tracked_path_checks_out_on_windows() {
    let out = std::process::Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("git must run: this test reads the tracked paths");
    assert!(out.status.success(), "git ls-files failed");
    let paths: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .split('\0')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    assert!(
        paths.iter().any(|p| p == "Cargo.toml"),
        "git listed {paths:?}"
    );
    let bad: Vec<String> = paths
        .iter()
        .filter_map(|p| not_on_windows(p).map(|why| format!("{p}: {why}")))
        .collect();
    assert!(bad.is_empty(), "not valid on Windows: {bad:#?}");
    // The rule itself, on the names that once slipped in or could.
    for p in [
        "C:usersrootTemp.tmpkYJEmMbg.pid",
        "a/con.txt",
        "COM1",
        "x/b?",
        "dir./f",
    ] {
        assert!(not_on_windows(p).is_some(), "{p}");
    }
    for p in ["src/console.rs", "COM10", "a/b.c"] {
        assert!(not_on_windows(p).is_none(), "{p}");
    }
}

/// Every source line fits in 120 columns, so rustfmt lays out everything (it leaves alone a line
/// it cannot fit) and a diff reads side by side.
#[test]
fn no_source_line_is_over_120_columns() {
    let mut files = vec![];
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 50, "read {} files", files.len());
    let long: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            text.lines()
                .enumerate()
                .filter(|(_, l)| l.chars().count() > 120)
                .map(|(n, _)| format!("{}:{}", f.display(), n + 1))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(long.is_empty(), "lines over 120 columns: {long:#?}");
}
