//! The calculator's whole output for every legal example's input, snapshot byte for byte: the
//! pretty JSON of the result (what `quanze penalty --format json` and the API print) and its
//! rendered explanation (what `quanze penalty` prints), or the error's text. The legal
//! examples assert chosen figures; these snapshots pin everything else, so that a change in
//! how the calculator is built cannot change a character of what it says.

#![allow(clippy::unwrap_used)] // test code: a failed read is a failed test

use std::path::{Path, PathBuf};

use quanze_law::{PenaltyQuery, compute, registry, render_text};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

/// Each example's name, then its JSON and text (or its error), for one example file.
fn outputs(path: &Path) -> Option<String> {
    let doc: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = String::new();
    for ex in doc["example"].as_array().unwrap() {
        let Some(input) = ex.get("input") else { continue };
        let q: PenaltyQuery = input.clone().try_into().unwrap();
        out.push_str(&format!("=== {}\n", ex["name"].as_str().unwrap()));
        match compute(registry(), &q) {
            Ok(r) => {
                out.push_str(&serde_json::to_string_pretty(&r).unwrap());
                out.push_str("\n---\n");
                out.push_str(&render_text(&r));
            }
            Err(e) => out.push_str(&format!("error: {e}\n")),
        }
    }
    (!out.is_empty()).then_some(out)
}

#[test]
fn every_example_input_gives_the_same_result_and_explanation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files(&root.join("tests/examples"), &mut paths);
    paths.sort();
    let mut snapshotted = 0;
    for p in &paths {
        let Some(text) = outputs(p) else { continue };
        let rel = p.strip_prefix(root.join("tests/examples")).unwrap().with_extension("");
        let name = format!("result-{}", rel.to_string_lossy().replace(['/', '\\'], "-"));
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_snapshot_path("snapshots/results");
        settings.bind(|| insta::assert_snapshot!(name, text));
        snapshotted += 1;
    }
    assert!(snapshotted >= 30, "only {snapshotted} example files with inputs");
}
