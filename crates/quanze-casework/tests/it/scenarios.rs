//! Every scenario file of `scenarios/` (but `scenarios/pending/`, which waits for an engine
//! fix) meets every expectation it states, on SQLite; the procedure scenarios on PostgreSQL
//! too. After each run the chains verify.

use std::path::{Path, PathBuf};

use quanze_casework::scenario::{read_scenario, run};

use crate::harness::{Db, root};

fn scenario_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.map(|e| e.expect("dir entry").path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "pending") {
                continue;
            }
            scenario_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

async fn play(path: &Path, db: Db) {
    let s = read_scenario(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let report = run(&s, db.store.clone()).await.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let unmet: Vec<String> = report
        .steps
        .iter()
        .filter(|st| st.expected.as_ref().is_some_and(|e| !e.met))
        .map(|st| format!("step {} ({} {}): {} {:?}", st.n, st.case, st.action, st.result, st.refusal))
        .collect();
    assert!(
        unmet.is_empty(),
        "{} on {}: unmet expectations:\n{}",
        path.display(),
        db.name(),
        unmet.join("\n")
    );
    let v = quanze_casework::verify_store(&db.store).await.expect("verify");
    assert!(v.broken.is_empty(), "{}: {:?}", path.display(), v.broken);
    assert_eq!(v.cases as usize, report.cases.len(), "{}", path.display());
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_meets_its_expectations_on_sqlite() {
    let mut files = Vec::new();
    scenario_files(&root().join("scenarios"), &mut files);
    assert!(files.len() >= 3, "scenario files found: {files:?}");
    for f in files {
        play(&f, Db::sqlite().await).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn procedure_scenarios_meet_their_expectations_on_postgres() {
    let mut files = Vec::new();
    scenario_files(&root().join("scenarios/procedures"), &mut files);
    assert!(!files.is_empty());
    for f in files {
        let Some(db) = Db::postgres().await else { return };
        play(&f, db).await;
    }
}

/// A whole output, reviewed by eye: the hashes are deterministic because a fresh store gives
/// the same ids and the event bytes hold no wall-clock time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn penalty_scenario_output_snapshot() {
    let path = root().join("crates/quanze-casework/tests/data/snapshot-penalty.toml");
    let s = read_scenario(&path).expect("scenario");
    let db = Db::sqlite().await;
    let report = run(&s, db.store.clone()).await.expect("run");
    insta::assert_json_snapshot!("penalty_scenario", report);
    db.cleanup().await;
}

#[tokio::test]
async fn invalid_files_name_their_line() {
    let dir = tempfile::tempdir().expect("dir");
    let list = crate::harness::seed("002_986fb97279c273a7.txt");
    let base = format!(
        "title = \"t\"\nlist = {:?}\n[people.\"张三\"]\nrole = \"officer\"\n[[step]]\nat = \"2026-03-02\"\nby = \"张三\"\ncase = \"A\"\n",
        list.to_str().expect("utf-8")
    );
    for (extra, line, needle) in [
        ("action = \"frobnicate\"\n", 9, "frobnicate"),
        ("action = \"open\"\nitem = 2\nfine = 3\n", 11, "fine"),
        ("action = \"open\"\nitem = 999\n", 10, "999"),
    ] {
        let path = dir.path().join("s.toml");
        std::fs::write(&path, format!("{base}{extra}")).expect("write");
        let err = match read_scenario(&path) {
            Err(e) => e,
            Ok(s) => match run(&s, quanze_store::Store::open("sqlite::memory:").await.expect("mem")).await {
                Err(quanze_casework::scenario::RunError::Invalid(e)) => e,
                other => panic!("{extra}: expected an invalid file, got {other:?}"),
            },
        };
        assert_eq!(err.line, Some(line), "{extra}: {err}");
        assert!(err.message.contains(needle), "{extra}: {err}");
    }
}

/// docs/scenarios.md documents every action the engine reads.
#[test]
fn every_action_is_documented() {
    let doc = std::fs::read_to_string(root().join("docs/scenarios.md")).expect("docs/scenarios.md");
    for id in quanze_case::ACTION_IDS {
        assert!(doc.contains(&format!("| `{id}` |")), "docs/scenarios.md lacks the action {id}");
    }
}
