//! An npm package on disk: the package a program file belongs to (its `package.json` above the
//! file's real path), the node versions it asks for, whether it has an install script, the
//! platform packages it lists for this machine (one package per platform, as codex and claude
//! ship their native programs) and whether one is installed, and the prefix it was installed in.
//! Plain reads of `package.json` files; nothing is run.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use super::files::{self, FileRead};
use super::users::UserInfo;

/// The npm package a program file belongs to, as its files say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NpmPackage {
    /// The package's directory (`…/node_modules/@openai/codex`).
    pub dir: PathBuf,
    pub name: String,
    pub version: Option<String>,
    /// `engines.node`, as written (`>=16`).
    pub engines_node: Option<String>,
    /// It has a `postinstall` (or `install`) script: what it runs was placed by that script.
    pub install_script: bool,
    /// The platform packages it lists for this machine's OS and CPU (`@openai/codex-linux-x64`),
    /// each with whether node would find it installed. Empty when it lists none for any platform.
    pub platform: Vec<(String, bool)>,
    /// Where it was installed: `PREFIX` of `PREFIX/lib/node_modules/…` (npm's global prefix) or
    /// the directory holding `node_modules` (a local install).
    pub prefix: Option<PathBuf>,
    pub global: bool,
    /// Who owns the package's directory: the user an install there runs as.
    pub owner: Option<UserInfo>,
}

impl NpmPackage {
    /// The platform package it needs and node would not find: it lists some for this machine and
    /// none of them is installed (its musl twin installed is enough).
    pub fn missing_platform_package(&self) -> Option<&str> {
        let first = self.platform.first()?;
        self.platform
            .iter()
            .all(|(_, installed)| !installed)
            .then_some(first.0.as_str())
    }
}

/// The npm words for this machine's OS and CPU, as platform packages are named.
pub fn platform_words() -> (&'static str, &'static str) {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    };
    let cpu = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        "x86" => "ia32",
        other => other,
    };
    (os, cpu)
}

const OSES: [&str; 5] = ["linux", "darwin", "win32", "freebsd", "android"];

fn json_of(path: &Path) -> Option<serde_json::Value> {
    match files::read_capped(path, 256 * 1024) {
        FileRead::Read { bytes, .. } => serde_json::from_slice(&bytes).ok(),
        _ => None,
    }
}

/// The package that `file` (a program found on a PATH, often a link into the package) belongs
/// to: the nearest `package.json` with a name above its real path, inside a `node_modules`.
pub fn package_of(file: &Path) -> Option<NpmPackage> {
    let real = std::fs::canonicalize(file).ok()?;
    let dir = real
        .ancestors()
        .skip(1)
        .take_while(|a| a.file_name().is_some_and(|n| n != "node_modules"))
        .find(|a| a.join("package.json").is_file())?
        .to_path_buf();
    if !dir
        .ancestors()
        .any(|a| a.file_name().is_some_and(|n| n == "node_modules"))
    {
        return None;
    }
    let v = json_of(&dir.join("package.json"))?;
    let name = v.get("name")?.as_str()?.to_string();
    let text = |v: Option<&serde_json::Value>| v.and_then(|x| x.as_str()).map(str::to_string);
    let scripts = v.get("scripts");
    let (os, cpu) = platform_words();
    let listed: Vec<String> = v
        .get("optionalDependencies")
        .and_then(|o| o.as_object())
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    let names_a_platform = |k: &str| OSES.iter().any(|o| k.contains(&format!("-{o}-")));
    let platform = if listed.iter().any(|k| names_a_platform(k)) {
        listed
            .iter()
            .filter(|k| k.contains(&format!("-{os}-{cpu}")))
            .map(|k| (k.clone(), installed(&dir, k)))
            .collect()
    } else {
        vec![]
    };
    let (prefix, global) = prefix_of(&dir);
    Some(NpmPackage {
        name,
        version: text(v.get("version")),
        engines_node: text(v.get("engines").and_then(|e| e.get("node"))),
        install_script: scripts
            .is_some_and(|s| s.get("postinstall").is_some() || s.get("install").is_some()),
        platform,
        prefix,
        global,
        owner: files::stat(&dir).map(|m| super::users::by_uid(m.uid)),
        dir,
    })
}

/// Would node, resolving from the package in `dir`, find the package `name`? (Its own
/// `node_modules`, then each `node_modules` above it.)
fn installed(dir: &Path, name: &str) -> bool {
    dir.ancestors().any(|a| {
        a.join("node_modules")
            .join(name)
            .join("package.json")
            .is_file()
    })
}

/// The prefix a package in `dir` was installed in, and whether it is npm's global layout.
fn prefix_of(dir: &Path) -> (Option<PathBuf>, bool) {
    let Some(nm) = dir
        .ancestors()
        .find(|a| a.file_name().is_some_and(|n| n == "node_modules"))
    else {
        return (None, false);
    };
    let holder = nm.parent().map(Path::to_path_buf);
    match holder.as_deref() {
        Some(lib) if lib.file_name().is_some_and(|n| n == "lib") => {
            (lib.parent().map(Path::to_path_buf), true)
        }
        _ => (holder, false),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn write(p: &Path, text: &str) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn a_program_is_traced_to_its_package_its_platform_packages_and_prefix() {
        let d = tempfile::tempdir().unwrap();
        let (os, cpu) = platform_words();
        let lib = d.path().join("prefix/lib/node_modules");
        let pkg = lib.join("@openai/codex");
        write(
            &pkg.join("package.json"),
            &format!(
                r#"{{"name": "@openai/codex", "version": "0.169.0", "engines": {{"node": ">=16"}},
                  "optionalDependencies": {{"@openai/codex-{os}-{cpu}": "1", "@openai/codex-sunos-sparc": "1",
                      "@openai/codex-darwin-x64": "1", "@openai/codex-linux-mips": "1"}}}}"#
            ),
        );
        write(&pkg.join("bin/codex.js"), "#!/usr/bin/env node\n");
        let bin = d.path().join("prefix/bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::os::unix::fs::symlink(pkg.join("bin/codex.js"), bin.join("codex")).unwrap();
        let p = package_of(&bin.join("codex")).unwrap();
        assert_eq!(p.name, "@openai/codex");
        assert_eq!(p.version.as_deref(), Some("0.169.0"));
        assert_eq!(p.engines_node.as_deref(), Some(">=16"));
        assert!(!p.install_script);
        assert_eq!(
            p.platform,
            vec![(format!("@openai/codex-{os}-{cpu}"), false)]
        );
        assert_eq!(
            p.prefix,
            Some(d.path().join("prefix").canonicalize().unwrap())
        );
        assert!(p.global);
        // Installed beside it (npm's flat layout), node finds it.
        write(
            &lib.join(format!("@openai/codex-{os}-{cpu}/package.json")),
            "{}",
        );
        let p = package_of(&bin.join("codex")).unwrap();
        assert_eq!(
            p.platform,
            vec![(format!("@openai/codex-{os}-{cpu}"), true)]
        );
    }

    #[test]
    fn a_local_install_with_an_install_script_and_no_platform_packages() {
        let d = tempfile::tempdir().unwrap();
        let pkg = d.path().join("proj/node_modules/@anthropic-ai/claude-code");
        write(
            &pkg.join("package.json"),
            r#"{"name": "@anthropic-ai/claude-code", "scripts": {"postinstall": "node install.cjs"},
               "optionalDependencies": {"left-pad": "1"}}"#,
        );
        write(&pkg.join("bin/claude.exe"), "echo placeholder\n");
        let p = package_of(&pkg.join("bin/claude.exe")).unwrap();
        assert!(p.install_script);
        assert!(p.platform.is_empty(), "{p:?}");
        assert_eq!(
            p.prefix,
            Some(d.path().join("proj").canonicalize().unwrap())
        );
        assert!(!p.global);
        // A program outside any node_modules belongs to no package.
        write(&d.path().join("bin/codex"), "#!/bin/sh\n");
        write(&d.path().join("package.json"), r#"{"name": "x"}"#);
        assert_eq!(package_of(&d.path().join("bin/codex")), None);
    }
}
