//! The alert log: lifecycle, chain, escalation.
#![allow(clippy::unwrap_used)]

use quanze_calendar::Calendar;
use quanze_case::GENESIS;
use quanze_model::{Category, Date};
use quanze_supervise::{
    Alert, AlertItem, AlertRecord, AlertStatus, Escalation, Level, LogAction, LogEntry, LogError, RuleKind,
    StoredEntry, SuperviseConfig, due_escalation, sync, verify_log,
};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn alert(level: Level) -> Alert {
    Alert {
        rule: RuleKind::LimitPassed,
        level,
        key: "limit_passed:decision".into(),
        label: RuleKind::LimitPassed.label().into(),
        message: "「作出处罚决定」期限已届满".into(),
        item: AlertItem {
            seq: Some(3),
            line: Some(14),
            name: "对定点医药机构的处罚".into(),
            category: Category::Penalty,
        },
        clause: Some("违反法定的行政处罚程序的；".into()),
        clause_seq: Some(3),
        articles: vec!["行政处罚法 第六十条".into()],
        at: d("2026-06-02"),
        events: vec![2],
        unverified: false,
    }
}

fn entry(seq: u64, at: &str, action: LogAction) -> LogEntry {
    LogEntry { seq, at: d(at), by: "监督员".into(), action }
}

fn seal(entries: &[LogEntry]) -> Vec<StoredEntry> {
    let mut prev = GENESIS.to_string();
    entries
        .iter()
        .map(|e| {
            let s = StoredEntry::seal(&prev, e);
            prev.clone_from(&s.hash);
            s
        })
        .collect()
}

#[test]
fn open_acknowledge_resolve_reopen() {
    let log = vec![
        entry(1, "2026-06-02", LogAction::Raise { alert: alert(Level::Red) }),
        entry(2, "2026-06-03", LogAction::Acknowledge {}),
        entry(
            3,
            "2026-06-05",
            LogAction::Resolve { justification: "已于6月5日作出决定，逾期原因系鉴定".into() },
        ),
        entry(4, "2026-06-08", LogAction::Reopen { reason: "鉴定未记录暂停".into() }),
        entry(
            5,
            "2026-06-09",
            LogAction::IssueNotice { number: "监建〔2026〕1号".into(), reply_by: d("2026-06-23") },
        ),
        entry(6, "2026-06-20", LogAction::Reply { text: "已整改".into() }),
    ];
    let r = verify_log(&seal(&log)).unwrap();
    assert_eq!(r.status, AlertStatus::Open);
    assert_eq!(r.opened, d("2026-06-08"));
    assert_eq!(r.notices[0].replied, Some(d("2026-06-20")));
    assert!(r.overdue_notices(d("2026-06-30")).is_empty());
}

#[test]
fn refusals_name_the_entry() {
    let raised = vec![entry(1, "2026-06-02", LogAction::Raise { alert: alert(Level::Red) })];
    for (action, why) in [
        (LogAction::Resolve { justification: "  ".into() }, "情况说明"),
        (LogAction::Reopen { reason: "x".into() }, "已办结"),
        (LogAction::Supervise {}, "催办之后"),
        (LogAction::Reply { text: "x".into() }, "监察建议书"),
        (LogAction::IssueNotice { number: "1".into(), reply_by: d("2026-06-01") }, "回复期限"),
    ] {
        let mut log = raised.clone();
        log.push(entry(2, "2026-06-03", action));
        match AlertRecord::fold(&log) {
            Err(LogError::Refused { seq: 2, reason }) => assert!(reason.contains(why), "{reason}"),
            other => panic!("{why}: {other:?}"),
        }
    }
}

#[test]
fn a_changed_entry_breaks_the_chain() {
    let log = vec![
        entry(1, "2026-06-02", LogAction::Raise { alert: alert(Level::Red) }),
        entry(2, "2026-06-05", LogAction::Resolve { justification: "已作出决定".into() }),
    ];
    let mut stored = seal(&log);
    assert!(verify_log(&stored).is_ok());
    let text = String::from_utf8(stored[1].body.clone()).unwrap().replace("已作出决定", "无需处理");
    stored[1].body = text.into_bytes();
    match verify_log(&stored) {
        Err(LogError::Chain { seq: 2, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn escalation_on_working_days_and_sync() {
    let cal = Calendar::builtin();
    let cfg = SuperviseConfig::default();
    let r = AlertRecord::fold(&[entry(1, "2026-06-01", LogAction::Raise { alert: alert(Level::Yellow) })])
        .unwrap();
    // 2 working days after Mon 06-01: Wed 06-03.
    assert_eq!(due_escalation(&r, &cal, &cfg, d("2026-06-02")), None);
    assert_eq!(due_escalation(&r, &cal, &cfg, d("2026-06-03")), Some(LogAction::Remind {}));
    let r = AlertRecord::apply(Some(r), &entry(2, "2026-06-03", LogAction::Remind {})).unwrap();
    assert_eq!(r.escalation, Escalation::Reminded);
    // 5 working days after 06-01: 06-08 (Mon).
    assert_eq!(due_escalation(&r, &cal, &cfg, d("2026-06-05")), None);
    assert_eq!(due_escalation(&r, &cal, &cfg, d("2026-06-08")), Some(LogAction::Supervise {}));
    // A graver level: the log records it; once resolved, it reopens.
    assert_eq!(sync(Some(&r), Some(&alert(Level::Red))), Some(LogAction::Level { level: Level::Red }));
    assert_eq!(sync(Some(&r), Some(&alert(Level::Yellow))), None);
    let resolved = AlertRecord::apply(
        Some(r),
        &entry(3, "2026-06-04", LogAction::Resolve { justification: "已说明".into() }),
    )
    .unwrap();
    assert!(matches!(sync(Some(&resolved), Some(&alert(Level::Red))), Some(LogAction::Reopen { .. })));
    assert_eq!(due_escalation(&resolved, &cal, &cfg, d("2026-07-01")), None);
    assert!(matches!(sync(None, Some(&alert(Level::Red))), Some(LogAction::Raise { .. })));
}
