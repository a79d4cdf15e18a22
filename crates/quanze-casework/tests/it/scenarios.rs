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

/// `scenarios/supervision/` holds, for every rule kind of electronic supervision, a step that
/// must raise it and a step that must not (issue 9); the files meet them (above).
#[test]
fn every_rule_kind_has_a_raising_and_a_quiet_supervision_scenario() {
    let mut files = Vec::new();
    scenario_files(&root().join("scenarios/supervision"), &mut files);
    let (mut raised, mut quiet) = (std::collections::BTreeSet::new(), std::collections::BTreeSet::new());
    for f in &files {
        let s = read_scenario(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for st in &s.steps {
            raised.extend(st.expect_alerts.iter().map(|a| a.rule));
            quiet.extend(st.expect_no_alerts.iter().map(|a| a.rule));
        }
    }
    for kind in quanze_supervise::RuleKind::ALL {
        assert!(raised.contains(&kind), "no supervision scenario must raise {}", kind.id());
        assert!(quiet.contains(&kind), "no supervision scenario must not raise {}", kind.id());
        let own = root().join(format!("scenarios/supervision/{}.toml", kind.id()));
        assert!(own.exists(), "{} has no file of its own", own.display());
    }
}

/// A legacy step (补录) is applied and names the refusal it bypassed, with its articles; the
/// same act as an ordinary step is refused by that guard; ordinary steps carry no `bypassed`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_legacy_step_shows_the_refusal_it_bypassed() {
    let s = read_scenario(&root().join("scenarios/supervision/notice_missing.toml")).expect("scenario");
    let db = Db::sqlite().await;
    let report = run(&s, db.store.clone()).await.expect("run");
    let out = serde_json::to_value(&report).expect("json");
    let steps = out["steps"].as_array().expect("steps");
    let a: Vec<&serde_json::Value> = steps.iter().filter(|st| st["case"] == "A").collect();
    let refused = a.iter().find(|st| st["result"] == "refused").expect("the ordinary decision");
    assert_eq!(refused["refusal"]["code"], "notice_before_decision");
    assert!(refused.get("bypassed").is_none(), "{refused}");
    let legacy = a.iter().find(|st| st.get("bypassed").is_some()).expect("the legacy decision");
    assert_eq!(legacy["result"], "applied", "{legacy}");
    assert_eq!(legacy["action"], "decide");
    let bypassed = legacy["bypassed"].as_array().expect("bypassed");
    assert_eq!(bypassed.len(), 1, "{legacy}");
    assert_eq!(bypassed[0]["code"], "notice_before_decision");
    assert_eq!(bypassed[0]["articles"], refused["refusal"]["articles"]);
    assert!(bypassed[0]["message"].as_str().is_some_and(|m| m.contains("告知")), "{legacy}");
    // The recorded decision is in the log, and supervision flags it.
    let case = &out["cases"]["A"];
    assert_eq!(case["state"], "decided");
    assert!(case["events"].as_array().expect("events").iter().any(|e| e["action"] == "decide"));
    assert!(case["alerts"].as_array().expect("alerts").iter().any(|a| a["rule"] == "notice_missing"));
    // The lawful twin's legacy-free steps carry no `bypassed`.
    assert!(steps.iter().filter(|st| st["case"] == "B").all(|st| st.get("bypassed").is_none()));
    let v = quanze_casework::verify_store(&db.store).await.expect("verify");
    assert!(v.broken.is_empty(), "{:?}", v.broken);
    db.cleanup().await;
}

/// Legacy keys are checked like the others: a wrong type, or `expect_bypassed` without
/// `legacy = true`, makes the file invalid and names the line.
#[test]
fn legacy_keys_name_their_line() {
    let dir = tempfile::tempdir().expect("dir");
    let list = crate::harness::seed("002_986fb97279c273a7.txt");
    let base = format!(
        "title = \"t\"\nlist = {:?}\n[people.\"张三\"]\nrole = \"officer\"\n[[step]]\nat = \"2026-03-02\"\nby = \"张三\"\ncase = \"A\"\naction = \"register\"\n",
        list.to_str().expect("utf-8")
    );
    for (extra, line, needle) in [
        ("legacy = \"yes\"\n", 10, "legacy"),
        ("expect_bypassed = [\"officers_penalty\"]\n", 10, "legacy = true"),
        ("legacy = true\nexpect_bypassed = \"officers_penalty\"\n", 11, "expect_bypassed"),
    ] {
        let path = dir.path().join("s.toml");
        std::fs::write(&path, format!("{base}{extra}")).expect("write");
        let err = read_scenario(&path).expect_err(extra);
        assert_eq!(err.line, Some(line), "{extra}: {err}");
        assert!(err.message.contains(needle), "{extra}: {err}");
    }
}

/// Recording without the guards is for the scenario runner and the import of legacy records
/// only: the server (its API and console) never calls it.
#[test]
fn the_server_never_records_without_the_guards() {
    fn walk(dir: &Path, hits: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for p in entries.map(|e| e.expect("dir entry").path()) {
            if p.is_dir() {
                walk(&p, hits);
            } else if std::fs::read_to_string(&p)
                .is_ok_and(|t| t.contains("record_legacy") || t.contains("quanze_case::record("))
            {
                hits.push(p);
            }
        }
    }
    let src = root().join("crates/quanze-server/src");
    assert!(src.join("lib.rs").exists(), "{}", src.display());
    let mut hits = Vec::new();
    walk(&src, &mut hits);
    assert!(hits.is_empty(), "the server records without the guards in {hits:?}");
}
