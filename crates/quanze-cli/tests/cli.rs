//! The `quanze` command as a user runs it: exit codes, outputs, and clear errors.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn quanze(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quanze")).args(args).output().unwrap()
}

fn seed(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/seeds").join(name).display().to_string()
}

const MINQIN: &str = "001_a8ecac8bae7c0f63.txt";

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn import_prints_one_catalog_object_with_the_contract_keys() {
    let o = quanze(&["import", &seed(MINQIN), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["contacts", "declared", "diagnostics", "items", "source"]);
    assert_eq!(v["items"].as_array().unwrap().len(), 9);
    let d = &v["diagnostics"][0];
    for k in ["severity", "code", "item", "line", "message"] {
        assert!(d.get(k).is_some(), "diagnostic lacks {k}: {d}");
    }
}

#[test]
fn compact_and_pretty_json_carry_the_same_catalog() {
    let compact = quanze(&["import", &seed(MINQIN)]);
    let pretty = quanze(&["import", &seed(MINQIN), "--pretty"]);
    assert_eq!((compact.status.code(), pretty.status.code()), (Some(0), Some(0)), "{}", stderr(&compact));
    // Compact is the default: one line per catalog.
    assert_eq!(compact.stdout.iter().filter(|&&b| b == b'\n').count(), 1);
    assert!(pretty.stdout.iter().filter(|&&b| b == b'\n').count() > 100);
    let a: serde_json::Value = serde_json::from_slice(&compact.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&pretty.stdout).unwrap();
    assert_eq!(a, b);
    // Several inputs make one array, in either form.
    let two = quanze(&["import", &seed(MINQIN), &seed(MINQIN)]);
    let two: serde_json::Value = serde_json::from_slice(&two.stdout).unwrap();
    assert_eq!(two, serde_json::Value::Array(vec![a.clone(), a]));
}

#[test]
fn import_writes_csv_and_xlsx_files() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("minqin.csv");
    let o = quanze(&["import", &seed(MINQIN), "--format", "csv", "-o", csv.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("对医保定点医药机构"));
    assert!(text.lines().filter(|l| l.contains("民勤县医疗保障局")).count() >= 9);
    let xlsx = dir.path().join("minqin.xlsx");
    let o = quanze(&["import", &seed(MINQIN), "--format", "xlsx", "-o", xlsx.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    // And the xlsx reads back as a list.
    let o = quanze(&["validate", xlsx.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("9 items"), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn import_exits_2_with_a_reason_when_there_is_no_list() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let o = quanze(&["import", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("empty"), "{}", stderr(&o));

    let bin = dir.path().join("photo.txt");
    std::fs::write(&bin, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").unwrap();
    let o = quanze(&["import", bin.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("PNG"), "{}", stderr(&o));

    let o = quanze(&["import", &seed(MINQIN), "--max-bytes", "100"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("over the import limit"), "{}", stderr(&o));

    let o = quanze(&["import", "/no/such/file.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/no/such/file.txt"), "{}", stderr(&o));
}

#[test]
fn validate_exits_0_1_or_2() {
    let o = quanze(&["validate", &seed(MINQIN)]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(report.contains("duplicate-code"), "{report}");
    assert!(report.contains("citations:"), "{report}");

    let dir = tempfile::tempdir().unwrap();
    let dup = dir.path().join("dup.txt");
    std::fs::write(
        &dup,
        "序号\t权力类型\t事项名称\t实施依据\t责任事项\t追责情形\n\
         1\t行政检查\t医疗保险稽核\t《社会保险法》第七十九条\t1.检查责任：检查。\t滥用职权的，依法追究。\n\
         1\t行政检查\t对医疗救助的监督检查\t《社会救助暂行办法》第五十七条\t1.检查责任：检查。\t滥用职权的，依法追究。\n",
    )
    .unwrap();
    let o = quanze(&["validate", dup.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("duplicate-serial"));

    let o = quanze(&["validate", &seed(MINQIN), "/no/such/list.txt"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn show_prints_one_item_readably() {
    let o = quanze(&["show", &seed(MINQIN), "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("#1 对医保定点医药机构"), "{out}");
    assert!(out.contains("《社会保险法》第87条"), "{out}");
    assert!(out.contains("立案"), "{out}");
    let o = quanze(&["show", &seed(MINQIN), "99"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("has no item 99"), "{}", stderr(&o));
}

#[test]
fn penalty_gives_the_range_with_its_article() {
    let o = quanze(&[
        "penalty",
        "--statute",
        "社会保险法",
        "--article",
        "87",
        "--base-amount",
        "10000",
        "--date",
        "2025-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["min_fen"], 2_000_000);
    assert_eq!(v["max_fen"], 5_000_000);
    for k in ["bands", "measures", "procedure", "citations", "explanation"] {
        assert!(v.get(k).is_some(), "no {k}");
    }
    let o = quanze(&["penalty", "--statute", "社会保险法", "--article", "87", "--base-amount", "-5"]);
    assert_eq!(o.status.code(), Some(2));
    let o = quanze(&["penalty", "--statute", "不存在的法", "--article", "1", "--base-amount", "5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).is_empty());
}
