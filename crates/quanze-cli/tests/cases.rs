//! `quanze scenario`, `quanze cases verify` and `quanze calendar load` as a user runs them:
//! exit codes, outputs, and a database edited behind quanze's back.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn quanze(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quanze")).args(args).output().unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const SCENARIO: &str = "crates/quanze-casework/tests/data/snapshot-penalty.toml";

#[test]
fn scenario_prints_the_contract_json_and_exits_0() {
    let o = quanze(&["scenario", root().join(SCENARIO).to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["title"], "行政处罚一般程序（含听证）");
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 14);
    let refused = &steps[7];
    assert_eq!(refused["result"], "refused");
    assert_eq!(refused["refusal"]["code"], "hearing_not_held");
    assert!(refused["refusal"]["articles"].as_array().unwrap().iter().any(|a| a == "行政处罚法 第六十四条"));
    let a = &v["cases"]["A"];
    assert_eq!(a["item"]["category"], "penalty");
    assert_eq!(a["state"], "closed");
    assert_eq!(a["events"].as_array().unwrap().len(), 13);
    assert_eq!(a["events"][0]["by"][0], "张三");
    let d = &a["deadlines"][0];
    for k in ["name", "due", "counting", "articles", "status", "error"] {
        assert!(d.get(k).is_some(), "deadline lacks {k}: {d}");
    }
    // Electronic supervision: the fine's base (10,000 元) reaches the criminal-referral
    // threshold (UNVERIFIED, configurable) and the case was closed without a transfer, so one
    // yellow alert, in the contract's shape (docs/scenarios.md).
    let alerts = a["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0]["rule"], "referral_missing");
    assert_eq!(alerts[0]["level"], "yellow");
    for k in ["rule", "level", "clause", "clause_seq", "articles", "at", "events"] {
        assert!(alerts[0].get(k).is_some(), "alert lacks {k}: {}", alerts[0]);
    }
    assert!(alerts[0]["articles"].as_array().unwrap().iter().any(|x| x == "行政处罚法 第二十七条"));
}

#[test]
fn an_invalid_scenario_exits_2_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    let good = std::fs::read_to_string(root().join(SCENARIO)).unwrap();
    let list = root().join("data/seeds/002_986fb97279c273a7.txt");
    let bad = good
        .replace("../../../../data/seeds/002_986fb97279c273a7.txt", list.to_str().unwrap())
        .replacen("action = \"register\"", "action = \"registre\"", 1);
    std::fs::write(&path, bad).unwrap();
    let o = quanze(&["scenario", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("registre") && err.contains("行"), "{err}");
    assert!(o.stdout.is_empty());
}

#[test]
fn an_unmet_expectation_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unmet.toml");
    let good = std::fs::read_to_string(root().join(SCENARIO)).unwrap();
    let list = root().join("data/seeds/002_986fb97279c273a7.txt");
    // The premature decision is refused, but this file says it applies.
    let unmet = good
        .replace("../../../../data/seeds/002_986fb97279c273a7.txt", list.to_str().unwrap())
        .replacen("expect = \"refused\"", "expect = \"applied\"", 1);
    std::fs::write(&path, unmet).unwrap();
    let o = quanze(&["scenario", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["expectations"]["met"], 13);
}

/// Play the scenario into a kept store, edit one event there, and see `cases verify` name it.
fn verify_finds_an_edit(db: &str) {
    let o = quanze(&["scenario", root().join(SCENARIO).to_str().unwrap(), "--db", db]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let o = quanze(&["cases", "verify", "--db", db]);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(text(&o.stdout).contains("校验通过"), "{}", text(&o.stdout));

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (case, seq) = rt.block_on(async {
        let store = quanze_store::Store::open(db).await.unwrap();
        let b = store.list_bureaus().await.unwrap()[0].bureau.id;
        let case = store.case_by_label(b, "A").await.unwrap().unwrap();
        let events = store.case_events(case.id).await.unwrap();
        let notify = events.iter().find(|e| e.action == "notify").unwrap();
        let edited = notify.body.replace("2000000", "1000000");
        assert!(store.tamper_event_body_for_tests(case.id, notify.seq, &edited).await.unwrap());
        store.close().await;
        (case.id.0, notify.seq)
    });
    let o = quanze(&["cases", "verify", "--db", db]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let out = text(&o.stdout);
    assert!(out.contains(&format!("编号 {case}")) && out.contains(&format!("第 {seq} 条")), "{out}");
    let o = quanze(&["cases", "verify", "--db", db, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["broken"][0]["seq"], seq);
}

#[test]
fn verify_names_an_edited_event_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    verify_finds_an_edit(dir.path().join("cases.db").to_str().unwrap());
}

#[test]
fn verify_names_an_edited_event_on_postgres() {
    let Ok(base) = std::env::var("QUANZE_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("QUANZE_TEST_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "QUANZE_TEST_REQUIRE_POSTGRES=1 but QUANZE_TEST_POSTGRES_URL is not set"
        );
        return;
    };
    let schema = format!("cli_verify_{}", std::process::id());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        // A schema of its own: the store's migrations create the tables in it.
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&base).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        )))
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
    });
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    verify_finds_an_edit(&url);
}

#[test]
fn verify_of_a_missing_database_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.db");
    let o = quanze(&["cases", "verify", "--db", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("不存在"), "{}", text(&o.stderr));
    assert!(!missing.exists(), "verify must not create the database");
}

#[test]
fn calendar_load_reads_a_notice_and_saves_its_year() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cal.db");
    let notice = root().join("scenarios/procedures/2027-invented.txt");
    let o =
        quanze(&["calendar", "load", notice.to_str().unwrap(), "--db", db.to_str().unwrap(), "--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("2027 年节假日安排") && text(&o.stdout).contains("未保存"));
    let o = quanze(&["calendar", "load", notice.to_str().unwrap(), "--db", db.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("已保存 2027 年"), "{}", text(&o.stdout));
    let garbage = dir.path().join("garbage.txt");
    std::fs::write(&garbage, "这不是通知").unwrap();
    let o = quanze(&["calendar", "load", garbage.to_str().unwrap(), "--db", db.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!text(&o.stderr).is_empty());
}

/// A case registered and then left alone: its 90-day limit for the decision (行政处罚法
/// 第六十条) has passed by the sweep's day.
fn overdue_store(dir: &std::path::Path) -> PathBuf {
    let list = root().join("data/seeds/002_986fb97279c273a7.txt");
    let scenario = format!(
        r#"title = "立案后逾期未作出决定"
list = "{}"
now = "2026-03-03"

[people."张三"]
role = "officer"
certificate = "豫A0001"

[people."李四"]
role = "officer"
certificate = "豫A0002"

[[step]]
at = "2026-03-02"
by = "张三"
case = "A"
action = "open"
item = 2
party = "unit"
expect = "applied"

[[step]]
at = "2026-03-03"
by = ["张三", "李四"]
case = "A"
action = "register"
expect = "applied"
"#,
        list.to_str().unwrap().replace('\\', "/")
    );
    let file = dir.join("overdue.toml");
    std::fs::write(&file, scenario).unwrap();
    let db = dir.join("overdue.db");
    let o = quanze(&["scenario", file.to_str().unwrap(), "--db", db.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    db
}

#[test]
fn supervise_sweep_stores_the_alert_of_an_overdue_case_and_prints_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = overdue_store(dir.path());
    let db = db.to_str().unwrap();
    // Before the limit: nothing overdue stands.
    let o = quanze(&["supervise", "sweep", db, "--at", "2026-04-01", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["supervision"]["cases"], 1, "{v}");
    let standing = v["standing"].as_array().unwrap();
    assert!(standing.iter().all(|a| a["rule"] != "limit_passed"), "{v}");
    // After it: one red alert raised and stored.
    let o = quanze(&["supervise", "sweep", db, "--at", "2026-09-30", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["day"], "2026-09-30");
    assert!(v["supervision"]["raised"].as_u64().unwrap() >= 1, "{v}");
    let overdue: Vec<&serde_json::Value> =
        v["standing"].as_array().unwrap().iter().filter(|a| a["rule"] == "limit_passed").collect();
    assert_eq!(overdue.len(), 1, "{v}");
    assert_eq!(overdue[0]["level"], "red");
    assert_eq!(overdue[0]["status"], "open");
    assert_eq!(overdue[0]["arose_on"], "2026-06-02", "90 days after 2026-03-03, the next day: {v}");
    assert!(overdue[0]["message"].as_str().unwrap().contains("作出处罚决定"), "{v}");
    // The alert is stored: the next sweep raises nothing new and still shows it, in Chinese.
    let o = quanze(&["supervise", "sweep", db, "--at", "2026-09-30"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("巡查 1 件案件") && out.contains("新发 0 项"), "{out}");
    assert!(out.contains("[红色预警]") && out.contains("作出处罚决定") && out.contains("未处理"), "{out}");
}

#[test]
fn supervise_sweep_refuses_a_missing_store_and_a_bad_day() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.db");
    let o = quanze(&["supervise", "sweep", missing.to_str().unwrap(), "--at", "2026-09-30"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("不存在"), "{}", text(&o.stderr));
    assert!(!missing.exists(), "a missing store is not created");
    let db = overdue_store(dir.path());
    let o = quanze(&["supervise", "sweep", db.to_str().unwrap(), "--at", "2026-13-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("YYYY-MM-DD"), "{}", text(&o.stderr));
}
