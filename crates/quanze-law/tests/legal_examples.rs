//! Legal examples kept as data: `tests/examples/<statute>/<article>.toml`, one file per
//! article, each holding `[[example]]`s (OpenFisca-YAML spirit: name, date, input facts,
//! expected figures and citations). This one harness runs them all.
//!
//! An example's `expected` table is matched against the JSON of the result: every key given
//! must be present with an equal value (objects recursively; an expected array matches when
//! each of its elements matches some element of the actual array). `citations` lists labels
//! that must be among the result's citations; `explanation` lists phrases that must occur in
//! the explanation; `error` a phrase of the expected error. `snapshot = true` snapshots the
//! rendered explanation with insta. A figures example has `figures_on = "YYYY-MM-DD"` and
//! `figures = [{ key, value, unit, … }]`: each must be among the figures in force that day
//! (`quanze_law::figures_on`). An example that asserts nothing is a failure.

#![allow(clippy::unwrap_used)] // test code: a failed read is a failed test

use std::path::{Path, PathBuf};

use quanze_law::{Date, PenaltyQuery, compute, figures_on, law_data, registry, render_text};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    example: Vec<Example>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Example {
    name: String,
    /// A calculator example: the query.
    input: Option<PenaltyQuery>,
    /// A figures example: the day whose figures are listed.
    figures_on: Option<Date>,
    /// Figures expected among those in force on `figures_on`.
    #[serde(default)]
    figures: Vec<toml::Value>,
    /// Figure keys that must have no value in force on `figures_on`.
    #[serde(default)]
    absent: Vec<String>,
    #[serde(default)]
    expected: Option<toml::Value>,
    #[serde(default)]
    citations: Vec<String>,
    #[serde(default)]
    explanation: Vec<String>,
    error: Option<String>,
    #[serde(default)]
    snapshot: bool,
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

/// Why `actual` does not contain `expected`, or `None`.
fn mismatch(path: &str, expected: &Value, actual: &Value) -> Option<String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e.iter().find_map(|(k, ev)| match a.get(k) {
            Some(av) => mismatch(&format!("{path}.{k}"), ev, av),
            None => Some(format!("{path}.{k}: missing in result")),
        }),
        (Value::Array(e), Value::Array(a)) => e.iter().enumerate().find_map(|(i, ev)| {
            if a.iter().any(|av| mismatch("", ev, av).is_none()) {
                None
            } else {
                Some(format!("{path}[{i}]: no element matches {ev}"))
            }
        }),
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => None,
        (e, a) if e == a => None,
        (e, a) => Some(format!("{path}: expected {e}, got {a}")),
    }
}

/// Check one example; `Ok(Some(text))` when its rendered explanation is to be snapshot.
fn run(ex: &Example) -> Result<Option<String>, String> {
    let asserts = ex.expected.as_ref().is_some_and(|v| v.as_table().is_some_and(|t| !t.is_empty()))
        || !ex.citations.is_empty()
        || !ex.explanation.is_empty()
        || ex.error.is_some()
        || ex.snapshot
        || !ex.figures.is_empty()
        || !ex.absent.is_empty();
    if !asserts {
        return Err("asserts nothing".into());
    }
    if let Some(day) = ex.figures_on {
        if ex.figures.is_empty() || ex.input.is_some() {
            return Err("a figures example has `figures_on` and `figures`, and no `input`".into());
        }
        let in_force = figures_on(registry(), law_data(), day);
        if let Some(f) = in_force.iter().find(|f| ex.absent.contains(&f.key)) {
            return Err(format!("{} should not be in force on {day}", f.key));
        }
        let actual = serde_json::to_value(&in_force).map_err(|e| e.to_string())?;
        let expected = serde_json::to_value(&ex.figures).map_err(|e| e.to_string())?;
        return match mismatch("figures", &expected, &actual) {
            Some(m) => Err(m),
            None => Ok(None),
        };
    }
    let Some(input) = &ex.input else {
        return Err("no `input` (or `figures_on`)".into());
    };
    let result = compute(registry(), input);
    let r = match (result, &ex.error) {
        (Err(e), Some(want)) => {
            let msg = e.to_string();
            return if msg.contains(want.as_str()) {
                Ok(None)
            } else {
                Err(format!("error {msg:?} does not contain {want:?}"))
            };
        }
        (Err(e), None) => return Err(format!("unexpected error: {e}")),
        (Ok(_), Some(want)) => return Err(format!("expected an error containing {want:?}, got a result")),
        (Ok(r), None) => r,
    };
    let actual = serde_json::to_value(&r).map_err(|e| e.to_string())?;
    if let Some(exp) = &ex.expected {
        let exp = serde_json::to_value(exp).map_err(|e| e.to_string())?;
        if let Some(m) = mismatch("", &exp, &actual) {
            return Err(m);
        }
    }
    for c in &ex.citations {
        if !r.citations.iter().any(|x| x.label == *c) {
            let have: Vec<&str> = r.citations.iter().map(|x| x.label.as_str()).collect();
            return Err(format!("citation {c} missing; have {have:?}"));
        }
    }
    let text = render_text(&r);
    for phrase in &ex.explanation {
        if !r.explanation.iter().any(|l| l.contains(phrase.as_str())) {
            return Err(format!("explanation lacks {phrase:?}:\n{text}"));
        }
    }
    if ex.snapshot {
        return Ok(Some(text));
    }
    Ok(None)
}

fn snapshot(path: &Path, example: &str, text: &str) {
    let stem = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path).to_string_lossy().into_owned();
    let name = format!("{stem}-{example}")
        .replace(['/', '\\', ' ', '.', '(', ')', '（', '）', '，', '：', '"'], "_");
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_description(example);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn legal_examples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/examples");
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    paths.sort();
    assert!(!paths.is_empty(), "no examples under {}", dir.display());
    let mut failures = Vec::new();
    let mut snapshots = Vec::new();
    let mut count = 0;
    for p in &paths {
        let text = std::fs::read_to_string(p).unwrap();
        let file: File = match toml::from_str(&text) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{}: {e}", p.display()));
                continue;
            }
        };
        for ex in &file.example {
            count += 1;
            match run(ex) {
                Ok(Some(text)) => snapshots.push((p.clone(), ex.name.clone(), text)),
                Ok(None) => {}
                Err(e) => failures.push(format!("{} — {}: {e}", p.display(), ex.name)),
            }
        }
    }
    eprintln!("{count} legal examples in {} files", paths.len());
    assert!(
        failures.is_empty(),
        "{} of {count} legal examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Snapshots last, so that a changed explanation does not hide a wrong figure.
    for (p, name, text) in &snapshots {
        snapshot(p, name, text);
    }
}
