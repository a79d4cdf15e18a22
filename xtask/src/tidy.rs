//! `cargo xtask tidy`: the architecture invariants of ARCHITECTURE.md, checked.
//!
//! 1. Every crate's `[dependencies]` on workspace crates is allowed by the codemap table's
//!    "may depend on" column (and every crate has a row).
//! 2. The pure crates' `src/` (tests and `src/bin/` aside) use no I/O, async, database,
//!    environment or wall clock.
//! 3. No crate has a cycle between its top-level modules (`use crate::x`, `crate::x::`,
//!    `super::x` from a top-level module's files), outside the commented allow-list below.
//!
//! Each check is a function over text, so its tests plant a violation in a small example.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Crates of the domain core that must stay pure. `quanze-supervise` is checked when present.
const PURE_CRATES: &[&str] = &[
    "quanze-model",
    "quanze-parse",
    "quanze-law",
    "quanze-calendar",
    "quanze-case",
    "quanze-text",
    "quanze-supervise",
];

/// What a pure crate's code must not mention: file system, network, environment, processes,
/// threads' sleep, async runtimes, databases and the wall clock. `include_str!` is how pure
/// crates embed data and is allowed.
const IMPURE: &[&str] = &[
    "std::fs",
    "std::net",
    "std::env",
    "std::process",
    "std::io::stdin",
    "std::io::stdout",
    "std::thread::sleep",
    "File::open",
    "tokio",
    "async fn",
    "async move",
    ".await",
    "sqlx",
    "reqwest",
    "SystemTime",
    "UNIX_EPOCH",
    "Instant::now",
    "Utc::now",
    "Local::now",
];

/// Module cycles tolerated while a crate is being restructured: each entry names the crate
/// and the modules of one cycle, sorted, with a comment saying how it is to be cut. Tidy fails
/// on an entry whose cycle no longer exists, so a cut cycle leaves the list and cannot return.
const ALLOWED_CYCLES: &[(&str, &[&str])] = &[];

/// Run every check on the workspace at `root`; the violations, one line each.
pub fn run(root: &Path) -> Result<Vec<String>, String> {
    let architecture = read(&root.join("ARCHITECTURE.md"))?;
    let allowed = codemap(&architecture)?;
    let crates = workspace_crates(root)?;
    let names: BTreeSet<String> = crates.iter().map(|(n, _)| n.clone()).collect();
    let mut problems = Vec::new();
    let mut found_cycles: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();

    let mut deps = BTreeMap::new();
    for (name, dir) in &crates {
        let manifest = read(&dir.join("Cargo.toml"))?;
        deps.insert(name.clone(), workspace_dependencies(&manifest, &names)?);
    }
    problems.extend(dependency_violations(&allowed, &deps));

    for (name, dir) in &crates {
        let files = source_files(&dir.join("src"))?;
        if PURE_CRATES.contains(&name.as_str()) {
            for (rel, text) in &files {
                for p in impurities(text) {
                    problems.push(format!("{name}/src/{}: a pure crate uses `{p}`", rel.display()));
                }
            }
        }
        let modules: Vec<(Vec<String>, String)> =
            files.iter().filter_map(|(rel, text)| Some((module_path(rel)?, text.clone()))).collect();
        found_cycles.insert(name.clone(), cycles(&module_edges(&modules)));
    }
    problems.extend(cycle_violations(&found_cycles, ALLOWED_CYCLES));
    Ok(problems)
}

/// Cycles (crate → its cycles, as [`cycles`] gives them) that `allowed` does not list, and
/// entries of `allowed` that name no cycle found: a cut cycle must leave the list, so the
/// list cannot go stale and let the cycle come back unnoticed.
pub fn cycle_violations(
    found: &BTreeMap<String, Vec<Vec<String>>>,
    allowed: &[(&str, &[&str])],
) -> Vec<String> {
    let listed = |name: &str, cycle: &[String]| {
        allowed.iter().any(|(c, m)| *c == name && m.iter().copied().eq(cycle.iter().map(String::as_str)))
    };
    let mut out = Vec::new();
    for (name, cycles) in found {
        for cycle in cycles.iter().filter(|c| !listed(name, c)) {
            out.push(format!("{name}: module cycle between {}", cycle.join(", ")));
        }
    }
    for (name, modules) in allowed {
        let exists = found.get(*name).is_some_and(|cycles| {
            cycles.iter().any(|c| c.iter().map(String::as_str).eq(modules.iter().copied()))
        });
        if !exists {
            out.push(format!(
                "{name}: ALLOWED_CYCLES lists a cycle between {} that no longer exists; remove the entry",
                modules.join(", ")
            ));
        }
    }
    out
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The workspace's crates: `crates/*` with a Cargo.toml, and `xtask`.
fn workspace_crates(root: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let dir = root.join("crates");
    let mut out = Vec::new();
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.join("Cargo.toml").is_file()
            && let Some(name) = path.file_name().and_then(|n| n.to_str())
        {
            out.push((name.to_string(), path.clone()));
        }
    }
    out.push(("xtask".to_string(), root.join("xtask")));
    out.sort();
    Ok(out)
}

/// Every `.rs` file under `src`, relative to it, except `src/bin/` (build tools of a crate
/// are not its library).
fn source_files(src: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let mut out = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            let rel = path.strip_prefix(src).map_err(|e| e.to_string())?.to_path_buf();
            if path.is_dir() {
                if rel != Path::new("bin") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((rel, read(&path)?));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The codemap table: crate → the workspace crates it may depend on. A cell `—` allows none,
/// `everything above` every crate of an earlier row; other words name crates without the
/// `quanze-` prefix.
pub fn codemap(architecture: &str) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let start = architecture.find("## Codemap").ok_or("ARCHITECTURE.md has no `## Codemap` section")?;
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for line in architecture[start..].lines().skip(1) {
        if line.starts_with("## ") {
            break;
        }
        let line = line.trim();
        if !line.starts_with('|') {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let (Some(first), Some(last)) = (cells.first(), cells.last()) else { continue };
        if cells.len() < 3 || !first.starts_with('`') {
            continue;
        }
        let name = first.trim_matches('`').to_string();
        let allowed: BTreeSet<String> = match *last {
            "—" | "-" | "" => BTreeSet::new(),
            "everything above" => order.iter().cloned().collect(),
            list => list
                .split(',')
                .map(|w| {
                    let w = w.trim().trim_matches('`');
                    if w == "xtask" || w.starts_with("quanze-") {
                        w.to_string()
                    } else {
                        format!("quanze-{w}")
                    }
                })
                .collect(),
        };
        order.push(name.clone());
        map.insert(name, allowed);
    }
    if map.is_empty() {
        return Err("the codemap table has no rows".into());
    }
    Ok(map)
}

/// The workspace crates a manifest's `[dependencies]` names (dev-dependencies are tests'
/// business and may reach further).
pub fn workspace_dependencies(
    manifest: &str,
    workspace: &BTreeSet<String>,
) -> Result<BTreeSet<String>, String> {
    let table: toml::Table = manifest.parse().map_err(|e| format!("Cargo.toml: {e}"))?;
    let mut out = BTreeSet::new();
    if let Some(deps) = table.get("dependencies").and_then(toml::Value::as_table) {
        for (key, value) in deps {
            // `name = { package = "…" }` renames a dependency.
            let package = value.get("package").and_then(toml::Value::as_str).unwrap_or(key);
            if workspace.contains(package) {
                out.insert(package.to_string());
            }
        }
    }
    Ok(out)
}

/// Dependencies the codemap does not allow, and crates it does not list.
pub fn dependency_violations(
    allowed: &BTreeMap<String, BTreeSet<String>>,
    deps: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (name, uses) in deps {
        let Some(may) = allowed.get(name) else {
            out.push(format!("{name}: no row in the ARCHITECTURE.md codemap"));
            continue;
        };
        for dep in uses.difference(may) {
            out.push(format!("{name} depends on {dep}, which the codemap does not allow"));
        }
    }
    out
}

/// The impure names a source text uses, outside comments and `#[cfg(test)]` items.
pub fn impurities(source: &str) -> Vec<&'static str> {
    let code = without_tests(source);
    let mut found: Vec<&'static str> = IMPURE.iter().copied().filter(|p| contains_word(&code, p)).collect();
    // `use std::{env, fs};` names them without the `std::` prefix.
    for line in code.lines() {
        let Some(group) = line.trim().strip_prefix("use std::{") else { continue };
        for (word, name) in
            [("fs", "std::fs"), ("net", "std::net"), ("env", "std::env"), ("process", "std::process")]
        {
            if group.split([',', '}', ' ']).any(|w| w == word) && !found.contains(&name) {
                found.push(name);
            }
        }
    }
    found
}

/// Whether `pattern` occurs in `code` not as part of a longer identifier (`.await`, not
/// `.awaiting_review`; `sqlx`, not `no_sqlx`).
fn contains_word(code: &str, pattern: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let starts_ident = pattern.chars().next().is_some_and(is_ident);
    let ends_ident = pattern.chars().next_back().is_some_and(is_ident);
    code.match_indices(pattern).any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = code[i + pattern.len()..].chars().next();
        let glued_before = starts_ident && before.is_some_and(is_ident);
        let glued_after = ends_ident && after.is_some_and(is_ident);
        !glued_before && !glued_after
    })
}

/// Source text without `//` comments and without items under `#[cfg(test)]`.
fn without_tests(source: &str) -> String {
    let mut out = String::new();
    let mut lines = source.lines().map(|l| match l.find("//") {
        Some(i) => &l[..i],
        None => l,
    });
    while let Some(line) = lines.next() {
        if line.trim() != "#[cfg(test)]" {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        // Skip the gated item: one line ending in `;`, or a block until its braces balance.
        let mut depth = 0i64;
        let mut opened = false;
        for line in lines.by_ref() {
            let line = line.replace("'{'", "").replace("'}'", "");
            depth += line.matches('{').count() as i64 - line.matches('}').count() as i64;
            opened |= line.contains('{');
            if (opened && depth <= 0) || (!opened && line.trim_end().ends_with(';')) {
                break;
            }
        }
    }
    out
}

/// A source file's module path from its place under `src/` (`a.rs` and `a/mod.rs` are
/// `[a]`, `a/b.rs` is `[a, b]`); `None` for the crate roots and for test-only files.
fn module_path(rel: &Path) -> Option<Vec<String>> {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop()?;
    match last.as_str() {
        "lib.rs" | "main.rs" if parts.is_empty() => return None,
        "mod.rs" => {}
        file => parts.push(file.strip_suffix(".rs")?.to_string()),
    }
    if parts.is_empty() || parts.iter().any(|p| p == "tests") {
        return None;
    }
    Some(parts)
}

/// Edges between top-level modules: `(from, to)` when a file of `from` names `crate::to` or
/// reaches `to` through `super::`.
pub fn module_edges(files: &[(Vec<String>, String)]) -> BTreeSet<(String, String)> {
    let top: BTreeSet<&str> = files.iter().filter_map(|(p, _)| p.first().map(String::as_str)).collect();
    let mut edges = BTreeSet::new();
    for (path, source) in files {
        let Some(from) = path.first() else { continue };
        let code = without_tests(source);
        let mut targets = Vec::new();
        let mut rest = code.as_str();
        while let Some(i) = rest.find("crate::") {
            // `$crate::` in macros and `quanze_crate::` are other crates' paths.
            let before = rest[..i].chars().next_back();
            rest = &rest[i + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            targets.extend(first_segments(rest));
        }
        let mut rest = code.as_str();
        while let Some(i) = rest.find("super::") {
            let before = rest[..i].chars().next_back();
            let mut after = &rest[i..];
            let mut ups = 0;
            while let Some(r) = after.strip_prefix("super::") {
                ups += 1;
                after = r;
            }
            rest = after;
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            if ups == path.len() {
                targets.extend(first_segments(after));
            }
        }
        for to in targets {
            if to != *from && top.contains(to.as_str()) {
                edges.insert((from.clone(), to));
            }
        }
    }
    edges
}

/// The first path segment after `crate::`: `x` of `x::y`, or each item's of `{x, y::z}`.
fn first_segments(after: &str) -> Vec<String> {
    let ident =
        |s: &str| s.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let Some(group) = after.strip_prefix('{') else {
        return vec![ident(after)];
    };
    let mut items = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[start..i]);
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.into_iter().map(ident).filter(|s| !s.is_empty()).collect()
}

/// The strongly connected components of more than one module, each sorted, in sorted order.
pub fn cycles(edges: &BTreeSet<(String, String)>) -> Vec<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges {
        next.entry(a).or_default().push(b);
    }
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(n) = stack.pop() {
            for m in next.get(n.as_str()).into_iter().flatten() {
                if seen.insert(m.to_string()) {
                    stack.push(m.to_string());
                }
            }
        }
        seen
    };
    let nodes: BTreeSet<&str> = edges.iter().flat_map(|(a, b)| [a.as_str(), b.as_str()]).collect();
    let reachable: BTreeMap<&str, BTreeSet<String>> = nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut out: BTreeSet<Vec<String>> = BTreeSet::new();
    for n in &nodes {
        let component: Vec<String> = nodes
            .iter()
            .filter(|m| reachable[n].contains(**m) && reachable[*m].contains(*n))
            .map(|m| m.to_string())
            .collect();
        if component.len() > 1 {
            out.insert(component);
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(words: &[&str]) -> BTreeSet<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    const ARCHITECTURE: &str = "# A\n\n## Codemap\n\n| crate | job | may depend on |\n|---|---|---|\n\
        | `quanze-text` | words | — |\n| `quanze-model` | types, `A`/`B` | text |\n\
        | `quanze-law` | law | model, text |\n| `quanze-cli` | the binary | everything above |\n\n## Next\n| `x` | y | z |\n";

    #[test]
    fn the_codemap_table_is_read_row_by_row() {
        let map = codemap(ARCHITECTURE).unwrap();
        assert_eq!(map["quanze-text"], set(&[]));
        assert_eq!(map["quanze-law"], set(&["quanze-model", "quanze-text"]));
        assert_eq!(map["quanze-cli"], set(&["quanze-text", "quanze-model", "quanze-law"]));
        assert!(!map.contains_key("x"), "rows after the codemap section are not read");
    }

    #[test]
    fn an_edge_the_codemap_does_not_allow_is_reported() {
        let map = codemap(ARCHITECTURE).unwrap();
        let workspace = set(&["quanze-text", "quanze-model", "quanze-law", "quanze-cli", "quanze-store"]);
        let manifest = "[package]\nname = \"quanze-model\"\n[dependencies]\nserde = \"1\"\n\
            quanze-text = { path = \"../quanze-text\" }\nlaw = { package = \"quanze-law\", path = \"../quanze-law\" }\n\
            [dev-dependencies]\nquanze-store = { path = \"../quanze-store\" }\n";
        let deps = workspace_dependencies(manifest, &workspace).unwrap();
        assert_eq!(deps, set(&["quanze-text", "quanze-law"]));
        let problems = dependency_violations(&map, &BTreeMap::from([("quanze-model".to_string(), deps)]));
        assert_eq!(problems, ["quanze-model depends on quanze-law, which the codemap does not allow"]);
        let unknown = dependency_violations(&map, &BTreeMap::from([("quanze-new".to_string(), set(&[]))]));
        assert_eq!(unknown, ["quanze-new: no row in the ARCHITECTURE.md codemap"]);
        let fine =
            dependency_violations(&map, &BTreeMap::from([("quanze-law".into(), set(&["quanze-text"]))]));
        assert!(fine.is_empty());
    }

    #[test]
    fn io_async_and_the_clock_are_found_in_pure_code_but_not_in_tests_or_comments() {
        let pure = "const DATA: &str = include_str!(\"../data/x.toml\");\n// reads std::fs in the shell\n\
            pub fn f() {}\n#[cfg(test)]\nmod tests {\n    fn g() { std::fs::read(\"x\"); let c = '{'; }\n}\n";
        assert!(impurities(pure).is_empty(), "{:?}", impurities(pure));
        let planted = format!("{pure}pub async fn load() {{ tokio::fs::read(\"x\").await; }}\n");
        assert_eq!(impurities(&planted), ["tokio", "async fn", ".await"]);
        assert_eq!(impurities("fn now() { std::time::SystemTime::now(); }"), ["SystemTime"]);
        assert!(impurities("fn f(c: &Case) -> bool { c.awaiting_review }").is_empty());
        assert_eq!(impurities("use std::{collections::BTreeMap, env};"), ["std::env"]);
        assert_eq!(
            impurities("#[cfg(test)]\nmod tests;\nfn f() { std::net::TcpStream::connect(\"\"); }"),
            ["std::net"]
        );
    }

    fn file(path: &[&str], source: &str) -> (Vec<String>, String) {
        (path.iter().map(|s| s.to_string()).collect(), source.to_string())
    }

    #[test]
    fn a_module_cycle_is_found() {
        let files = vec![
            file(&["assemble"], "use crate::{columns::fit, validate::infer};\n"),
            file(&["validate"], "use super::assemble::preview;\n"),
            file(
                &["columns"],
                "use crate::text::x;\nfn f() { $crate::validate::y(); quanze_crate::validate(); }",
            ),
            file(&["text"], "#[cfg(test)]\nmod tests {\n    use crate::columns;\n}\n"),
            file(&["columns", "inner"], "use super::super::text; use super::fit;"),
        ];
        let edges = module_edges(&files);
        let e = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            edges,
            BTreeSet::from([
                e("assemble", "columns"),
                e("assemble", "validate"),
                e("validate", "assemble"),
                e("columns", "text")
            ])
        );
        assert_eq!(cycles(&edges), [vec!["assemble".to_string(), "validate".to_string()]]);
        let acyclic: BTreeSet<_> = edges.into_iter().filter(|(a, _)| a != "validate").collect();
        assert!(cycles(&acyclic).is_empty());
    }

    #[test]
    fn longer_cycles_are_one_component() {
        let e = |a: &str, b: &str| (a.to_string(), b.to_string());
        let edges = BTreeSet::from([e("api", "law"), e("law", "portal"), e("portal", "api"), e("x", "api")]);
        assert_eq!(cycles(&edges), [vec!["api".to_string(), "law".to_string(), "portal".to_string()]]);
    }

    #[test]
    fn a_cycle_off_the_list_and_a_listed_cycle_that_is_gone_are_both_reported() {
        let cycle = |m: &[&str]| m.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let found = BTreeMap::from([
            ("quanze-case".to_string(), vec![cycle(&["engine", "guards"])]),
            ("quanze-store".to_string(), vec![cycle(&["cases", "db"]), cycle(&["a", "b", "c"])]),
            ("quanze-import".to_string(), vec![]),
        ]);
        let allowed: &[(&str, &[&str])] = &[
            ("quanze-case", &["engine", "guards"]),
            ("quanze-store", &["a", "b", "c"]),
            // Cut: the modules no longer form a cycle.
            ("quanze-import", &["assemble", "validate"]),
            // Only part of a larger cycle: not the cycle found.
            ("quanze-store", &["a", "b"]),
            // A crate that is not there.
            ("quanze-gone", &["x", "y"]),
        ];
        assert_eq!(
            cycle_violations(&found, allowed),
            [
                "quanze-store: module cycle between cases, db",
                "quanze-import: ALLOWED_CYCLES lists a cycle between assemble, validate that no longer exists; \
                 remove the entry",
                "quanze-store: ALLOWED_CYCLES lists a cycle between a, b that no longer exists; remove the entry",
                "quanze-gone: ALLOWED_CYCLES lists a cycle between x, y that no longer exists; remove the entry",
            ]
        );
        let exact: &[(&str, &[&str])] = &[
            ("quanze-case", &["engine", "guards"]),
            ("quanze-store", &["a", "b", "c"]),
            ("quanze-store", &["cases", "db"]),
        ];
        assert!(cycle_violations(&found, exact).is_empty());
    }

    #[test]
    fn module_paths_follow_the_file_layout() {
        assert_eq!(module_path(Path::new("a.rs")), Some(vec!["a".to_string()]));
        assert_eq!(module_path(Path::new("a/mod.rs")), Some(vec!["a".to_string()]));
        assert_eq!(module_path(Path::new("a/b.rs")), Some(vec!["a".to_string(), "b".to_string()]));
        assert_eq!(module_path(Path::new("lib.rs")), None);
        assert_eq!(module_path(Path::new("tests.rs")), None);
    }

    /// The real workspace: the codemap, the pure crates and the module graph.
    #[test]
    fn the_workspace_keeps_its_architecture() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let problems = run(&root).unwrap();
        assert!(problems.is_empty(), "architecture violations:\n{}", problems.join("\n"));
    }
}
