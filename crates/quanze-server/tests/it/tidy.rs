//! The server's module shape, checked (ARCHITECTURE: "no module cycles"): the crate is cut by
//! capability, and
//! - no cycle between top-level modules, nor between the submodules of one module;
//! - a capability's `api` and `pages` never use each other;
//! - nothing uses another capability's `api` or `pages` (calls between capabilities go
//!   service to service);
//! - `http` and `read` (the plumbing and the read model) use no capability.
//!
//! Edges are read from the source text: every `crate::a::b` and `super::b` path, `use`
//! groups (`crate::{a, b::c}`) included.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path inside the crate: `["catalog", "api"]`.
type ModPath = Vec<String>;

/// Edges between modules: (from, to), each a module path of one or two segments.
type Edges = BTreeSet<(ModPath, ModPath)>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).expect("read src").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The module a file defines: `lib.rs` → [], `http/mod.rs` → [http], `http/viewer.rs` →
/// [http, viewer].
fn module_of(rel: &Path) -> ModPath {
    let mut parts: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths after `prefix::` in `code`, with `use` groups expanded: `crate::{a::b, c}` gives
/// `a::b` and `c`.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let needle = format!("{prefix}::");
    let mut at = 0;
    while let Some(i) = code[at..].find(&needle) {
        let start = at + i;
        at = start + needle.len();
        if start > 0 && code[..start].chars().last().is_some_and(is_ident) {
            continue;
        }
        expand(&code[at..], Vec::new(), &mut out);
    }
    out
}

/// Read one path (or a brace group of paths) at the start of `s`, each prefixed by `base`.
fn expand(s: &str, base: Vec<String>, out: &mut Vec<Vec<String>>) {
    let s = s.trim_start();
    if let Some(rest) = s.strip_prefix('{') {
        let mut depth = 0;
        let mut item = String::new();
        for c in rest.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&item, base.clone(), out);
                    item.clear();
                    continue;
                }
                _ => {}
            }
            item.push(c);
        }
        expand(&item, base, out);
        return;
    }
    let ident: String = s.chars().take_while(|c| is_ident(*c)).collect();
    if ident.is_empty() {
        if !base.is_empty() {
            out.push(base);
        }
        return;
    }
    let mut path = base;
    path.push(ident.clone());
    let rest = &s[ident.len()..];
    match rest.strip_prefix("::") {
        Some(more) if path.len() < 2 => expand(more, path, out),
        _ => out.push(path),
    }
}

/// Code without comments (a comment may name a path it does not use).
fn strip_comments(src: &str) -> String {
    src.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// Edges of one file's source, given the module it defines and the crate's modules.
fn edges_of(module: &ModPath, src: &str, modules: &BTreeSet<ModPath>) -> Edges {
    let code = strip_comments(src);
    let mut targets: Vec<ModPath> = paths_after(&code, "crate");
    // `super::x` from a submodule names a sibling; from a `mod.rs` it names the crate root.
    if module.len() >= 2 {
        let parent = &module[..module.len() - 1];
        for p in paths_after(&code, "super") {
            let mut t = parent.to_vec();
            t.extend(p);
            targets.push(t);
        }
    }
    let mut edges = Edges::new();
    for t in targets {
        // The deepest known module on the path: [catalog, service] rather than [catalog].
        let target = if t.len() >= 2 && modules.contains(&t[..2].to_vec()) {
            t[..2].to_vec()
        } else if !t.is_empty() && modules.contains(&t[..1].to_vec()) {
            t[..1].to_vec()
        } else {
            continue;
        };
        let from: ModPath = module.iter().take(2).cloned().collect();
        if from.is_empty() {
            // The crate root assembles everything; it is no node of the graph.
            continue;
        }
        if from[0] == target[0] {
            // Inside one module only edges between two of its submodules count (a submodule
            // using its parent's items, or the parent its children, is no cycle of concern).
            if from.len() == 2 && target.len() == 2 && from != target {
                edges.insert((from, target));
            }
            continue;
        }
        edges.insert((from, target));
    }
    edges
}

/// Every edge of the crate in `src`.
fn crate_edges(src_dir: &Path) -> Edges {
    let mut files = Vec::new();
    rust_files(src_dir, &mut files);
    let rels: Vec<(PathBuf, ModPath)> = files
        .iter()
        .map(|f| {
            let rel = f.strip_prefix(src_dir).expect("under src").to_path_buf();
            let m = module_of(&rel);
            (f.clone(), m)
        })
        .collect();
    let modules: BTreeSet<ModPath> = rels.iter().map(|(_, m)| m.clone()).filter(|m| !m.is_empty()).collect();
    let mut edges = Edges::new();
    for (file, module) in &rels {
        let src = std::fs::read_to_string(file).expect("read source");
        edges.extend(edges_of(module, &src, &modules));
    }
    edges
}

/// A cycle in the graph, if any, as the list of its nodes.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            match state.get(m.as_str()).copied().unwrap_or(0) {
                1 => {
                    let from = stack.iter().position(|x| x == m).unwrap_or(0);
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(m, graph, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0
            && let Some(c) = visit(n, graph, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

/// What is wrong with the shape these edges give, one line per fault.
fn faults(edges: &Edges) -> Vec<String> {
    let mut out = Vec::new();
    let capabilities: BTreeSet<&str> = edges
        .iter()
        .flat_map(|(a, b)| [a, b])
        .filter(|m| m.len() == 2 && (m[1] == "api" || m[1] == "pages"))
        .map(|m| m[0].as_str())
        .collect();
    // Top-level graph.
    let mut top: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, b) in edges {
        if a[0] != b[0] {
            top.entry(a[0].clone()).or_default().insert(b[0].clone());
        }
    }
    if let Some(c) = find_cycle(&top) {
        out.push(format!("module cycle: {}", c.join(" → ")));
    }
    // Each module's submodules.
    let mut subs: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (a, b) in edges {
        if a[0] == b[0] && a.len() == 2 && b.len() == 2 {
            subs.entry(a[0].clone()).or_default().entry(a[1].clone()).or_default().insert(b[1].clone());
        }
    }
    for (m, g) in &subs {
        if let Some(c) = find_cycle(g) {
            out.push(format!("cycle inside {m}: {}", c.join(" → ")));
        }
    }
    for (a, b) in edges {
        let (fa, fb) = (a.join("::"), b.join("::"));
        let iface = |m: &ModPath| m.len() == 2 && (m[1] == "api" || m[1] == "pages");
        if a[0] == b[0] && iface(a) && iface(b) {
            out.push(format!("{fa} uses {fb}: a capability's api and pages never use each other"));
        }
        if a[0] != b[0] && iface(b) {
            out.push(format!("{fa} uses {fb}: another capability's handlers; go through its service"));
        }
        if (a[0] == "http" || a[0] == "read") && capabilities.contains(b[0].as_str()) {
            out.push(format!("{fa} uses {fb}: http and read know no capability"));
        }
    }
    out
}

#[test]
fn the_server_has_no_module_cycle_and_keeps_its_capabilities_apart() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = crate_edges(&src);
    // The reader sees the edges it must: a sanity check that it reads anything at all.
    let has = |a: &str, b: &str| edges.iter().any(|(x, y)| x.join("::") == a && y.join("::") == b);
    assert!(has("catalog::api", "catalog::service"), "{edges:?}");
    assert!(has("catalog::pages", "http::viewer"), "{edges:?}");
    let f = faults(&edges);
    assert!(f.is_empty(), "{}", f.join("\n"));
}

fn m(s: &str) -> ModPath {
    s.split("::").map(str::to_string).collect()
}

fn known(list: &[&str]) -> BTreeSet<ModPath> {
    list.iter().map(|s| m(s)).collect()
}

#[test]
fn use_groups_and_super_paths_are_edges() {
    let modules = known(&[
        "http",
        "http::error",
        "read",
        "catalog",
        "catalog::api",
        "catalog::service",
        "law",
        "law::service",
    ]);
    let src = "use crate::{http::{error::ApiError, params}, read};\nuse super::service::CatalogError;\n// crate::law::service in a comment\nfn f() { crate::law::service::annotate(); }";
    let e = edges_of(&m("catalog::api"), src, &modules);
    let want: Edges = [
        (m("catalog::api"), m("http::error")),
        (m("catalog::api"), m("http")),
        (m("catalog::api"), m("read")),
        (m("catalog::api"), m("catalog::service")),
        (m("catalog::api"), m("law::service")),
    ]
    .into_iter()
    .collect();
    assert_eq!(e, want);
}

#[test]
fn a_cycle_or_an_api_pages_edge_is_a_fault() {
    let edge = |a: &str, b: &str| (m(a), m(b));
    let good: Edges = [
        edge("catalog::api", "catalog::service"),
        edge("catalog::pages", "catalog::service"),
        edge("catalog::service", "law::service"),
        edge("law::api", "http::error"),
    ]
    .into_iter()
    .collect();
    assert!(faults(&good).is_empty(), "{:?}", faults(&good));
    let mut cycle = good.clone();
    cycle.insert(edge("law::service", "catalog::service"));
    assert!(faults(&cycle).iter().any(|f| f.starts_with("module cycle: ")), "{:?}", faults(&cycle));
    let mut inner = good.clone();
    inner.insert(edge("catalog::service", "catalog::api"));
    assert!(faults(&inner).iter().any(|f| f.starts_with("cycle inside catalog")), "{:?}", faults(&inner));
    let mut across = good.clone();
    across.insert(edge("catalog::pages", "catalog::api"));
    assert!(faults(&across).iter().any(|f| f.contains("never use each other")), "{:?}", faults(&across));
    let mut foreign = good.clone();
    foreign.insert(edge("law::pages", "catalog::pages"));
    assert!(
        faults(&foreign).iter().any(|f| f.contains("another capability's handlers")),
        "{:?}",
        faults(&foreign)
    );
    let mut plumbing = good;
    plumbing.insert(edge("http::error", "law::service"));
    assert!(faults(&plumbing).iter().any(|f| f.contains("know no capability")), "{:?}", faults(&plumbing));
}
