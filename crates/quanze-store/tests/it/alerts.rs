//! Alerts of electronic supervision: the alert row and its append-only, hash-chained log,
//! the head check, 监察建议书 numbers issued in the append's transaction, the listing filters
//! and what the figures read.

use quanze_model::Date;
use quanze_store::{
    AlertCache, AlertEscalation, AlertFilter, AlertHead, AlertLevel, AlertState, AlertTarget, AlertWrite,
    AssignmentDuty, CaseRecord, NewAlertEntry, NoticeNumbering, PersonInput, PersonRole, Store, StoreError,
};

use crate::both;
use crate::cases::open_case;
use crate::fixtures::sha;
use crate::harness::Db;

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

fn entry(seq: u64, prev: &str, action: &str, body: &str) -> NewAlertEntry {
    NewAlertEntry {
        seq,
        at: d("2026-10-12"),
        actor: "system".into(),
        action: action.into(),
        body: body.into(),
        prev_hash: prev.into(),
        hash: sha(&format!("{prev}|{body}")),
    }
}

fn cache(level: AlertLevel, status: AlertState) -> AlertCache {
    AlertCache {
        level,
        status,
        escalation: AlertEscalation::None,
        message: "「立案核查」期限2026-10-09已届满，尚未办结".into(),
        arose_on: d("2026-10-10"),
        opened_on: d("2026-10-12"),
        resolved_on: None,
        resolved_by: None,
        notice_no: None,
        notice_due: None,
        record: "{}".into(),
    }
}

/// Raise an alert of `case` with one entry.
async fn raise(store: &Store, case: &CaseRecord, key: &str, rule: &str, level: AlertLevel) -> AlertHead {
    let target = AlertTarget::New { case: case.id, key: key.into(), rule: rule.into() };
    store
        .append_alert(&target, None, |_| AlertWrite {
            entries: vec![entry(1, "", "raise", &format!(r#"{{"raise":"{key}"}}"#))],
            cache: cache(level, AlertState::Open),
        })
        .await
        .expect("raise")
}

both!(alert_log_round_trip, notices_are_numbered_without_gaps, alert_entries_are_append_only, alerts_filter);

async fn alert_log_round_trip(db: &Db) {
    let case = open_case(db, "汤阴县医疗保障局", "汤医保罚〔2026〕1号").await;
    let head = raise(db, &case, "limit_passed:clue_check", "limit_passed", AlertLevel::Red).await;
    assert_eq!(head.head_seq, 1);
    // A second raise of the same key is a conflict, and writes nothing.
    let target = AlertTarget::New {
        case: case.id,
        key: "limit_passed:clue_check".into(),
        rule: "limit_passed".into(),
    };
    let again = db
        .append_alert(&target, None, |_| AlertWrite {
            entries: vec![entry(1, "", "raise", "{}")],
            cache: cache(AlertLevel::Red, AlertState::Open),
        })
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");

    // Acknowledge against the head; a second writer holding the old head is refused.
    let existing = AlertTarget::Existing { id: head.id, head_seq: 1 };
    let ack = db
        .append_alert(&existing, None, |_| AlertWrite {
            entries: vec![entry(2, &head.head_hash, "acknowledge", r#"{"ack":1}"#)],
            cache: cache(AlertLevel::Red, AlertState::Acknowledged),
        })
        .await
        .expect("acknowledge");
    assert_eq!(ack.head_seq, 2);
    let stale = db
        .append_alert(&existing, None, |_| AlertWrite {
            entries: vec![entry(2, &head.head_hash, "acknowledge", r#"{"ack":2}"#)],
            cache: cache(AlertLevel::Red, AlertState::Acknowledged),
        })
        .await;
    assert!(matches!(stale, Err(StoreError::StaleHead { expected: 1, head: 2, .. })), "{stale:?}");
    // A chain that does not continue from the head is refused.
    let broken = db
        .append_alert(&AlertTarget::Existing { id: head.id, head_seq: 2 }, None, |_| AlertWrite {
            entries: vec![entry(3, "not-the-head", "resolve", "{}")],
            cache: cache(AlertLevel::Red, AlertState::Resolved),
        })
        .await;
    assert!(matches!(broken, Err(StoreError::InvalidInput(_))), "{broken:?}");

    let mut resolved = cache(AlertLevel::Red, AlertState::Resolved);
    resolved.resolved_on = Some(d("2026-10-13"));
    resolved.resolved_by = Some("7".into());
    db.append_alert(&AlertTarget::Existing { id: head.id, head_seq: 2 }, None, |_| AlertWrite {
        entries: vec![entry(3, &ack.head_hash, "resolve", r#"{"why":"已立案"}"#)],
        cache: resolved.clone(),
    })
    .await
    .expect("resolve");

    let row = db.alert(head.id).await.expect("read").expect("alert");
    assert_eq!((row.status, row.level, row.head_seq), (AlertState::Resolved, AlertLevel::Red, 3));
    assert_eq!(row.resolved_by.as_deref(), Some("7"));
    assert_eq!(row.resolved_on, Some(d("2026-10-13")));
    assert_eq!(row.raised_on, d("2026-10-12"));
    assert_eq!(row.case_label, "汤医保罚〔2026〕1号");
    assert_eq!(row.bureau_name, "汤阴县医疗保障局");
    let entries = db.alert_entries(head.id).await.expect("entries");
    assert_eq!(
        entries.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["raise", "acknowledge", "resolve"]
    );
    assert_eq!(entries[1].body, r#"{"ack":1}"#, "the losing writer wrote nothing");
    for w in entries.windows(2) {
        assert_eq!(w[1].prev_hash, w[0].hash);
    }
    assert_eq!(db.case_alerts(case.id).await.expect("case alerts").len(), 1);
    assert_eq!(db.alerts_of_cases(case.id, case.id).await.expect("range").len(), 1);
}

async fn notices_are_numbered_without_gaps(db: &Db) {
    let case = open_case(db, "汤阴县医疗保障局", "汤医保罚〔2026〕2号").await;
    let mut head = raise(db, &case, "notice_missing:4", "notice_missing", AlertLevel::Breach).await;
    let numbering = NoticeNumbering { prefix: "汤医保监建".into(), year: 2026 };
    // An append the store refuses (an empty write) gives its number back.
    let refused = db
        .append_alert(
            &AlertTarget::Existing { id: head.id, head_seq: head.head_seq },
            Some(&numbering),
            |_| AlertWrite { entries: Vec::new(), cache: cache(AlertLevel::Breach, AlertState::Open) },
        )
        .await;
    assert!(matches!(refused, Err(StoreError::InvalidInput(_))), "{refused:?}");
    let mut numbers = Vec::new();
    for _ in 0..2 {
        let prev = head.head_hash.clone();
        let seq = head.head_seq + 1;
        let mut seen = None;
        head = db
            .append_alert(
                &AlertTarget::Existing { id: head.id, head_seq: head.head_seq },
                Some(&numbering),
                |n| {
                    seen = n.map(str::to_string);
                    let mut c = cache(AlertLevel::Breach, AlertState::Open);
                    c.notice_no = seen.clone();
                    c.notice_due = Some(d("2026-10-26"));
                    AlertWrite {
                        entries: vec![entry(seq, &prev, "issue_notice", &format!("{n:?}"))],
                        cache: c,
                    }
                },
            )
            .await
            .expect("issue");
        assert_eq!(head.notice_no, seen);
        numbers.push(head.notice_no.clone().expect("numbered"));
    }
    assert_eq!(numbers, ["汤医保监建〔2026〕1号", "汤医保监建〔2026〕2号"]);
    let row = db.alert(head.id).await.expect("read").expect("alert");
    assert_eq!(row.notice_no.as_deref(), Some("汤医保监建〔2026〕2号"));
    assert_eq!(row.notice_due, Some(d("2026-10-26")));
}

async fn alert_entries_are_append_only(db: &Db) {
    let case = open_case(db, "汤阴县医疗保障局", "汤医保罚〔2026〕3号").await;
    let head = raise(db, &case, "officers_too_few:2", "officers_too_few", AlertLevel::Breach).await;
    let update = format!("UPDATE alert_entries SET body = 'x' WHERE alert_id = {}", head.id);
    assert!(db.raw_try(&update, &update).await.is_err(), "an entry cannot be changed");
    let delete = format!("DELETE FROM alert_entries WHERE alert_id = {}", head.id);
    assert!(db.raw_try(&delete, &delete).await.is_err(), "an entry cannot be deleted");
    assert_eq!(db.alert_entries(head.id).await.expect("entries").len(), 1);
}

async fn alerts_filter(db: &Db) {
    let a = open_case(db, "汤阴县医疗保障局", "汤医保罚〔2026〕4号").await;
    let b = open_case(db, "涞源县医疗保障局", "涞医保罚〔2026〕1号").await;
    let officer = db
        .add_person(&PersonInput {
            bureau: Some(a.bureau),
            name: "张明".into(),
            role: PersonRole::Officer,
            posts: vec![],
            office: "基金监管股".into(),
            certificate: Some("豫医保0001".into()),
            certificate_until: None,
        })
        .await
        .expect("person");
    db.assign(a.id, officer.id, AssignmentDuty::Handler, None, 0).await.expect("assign");
    raise(db, &a, "limit_passed:clue_check", "limit_passed", AlertLevel::Red).await;
    raise(db, &a, "limit_approaching:decision:yellow", "limit_approaching", AlertLevel::Yellow).await;
    raise(db, &b, "officers_too_few:2", "officers_too_few", AlertLevel::Breach).await;

    let all = db.alerts(&AlertFilter::default()).await.expect("all");
    assert_eq!(all.total, 3);
    // Gravest first.
    assert_eq!(
        all.rows.iter().map(|r| r.level).collect::<Vec<_>>(),
        [AlertLevel::Breach, AlertLevel::Red, AlertLevel::Yellow]
    );
    let count = |f: AlertFilter| async move { db.alerts(&f).await.expect("filter").total };
    assert_eq!(count(AlertFilter { bureaus: Some(vec![a.bureau]), ..Default::default() }).await, 2);
    assert_eq!(count(AlertFilter { bureaus: Some(vec![]), ..Default::default() }).await, 0);
    assert_eq!(count(AlertFilter { officer: Some(officer.id), ..Default::default() }).await, 2);
    assert_eq!(count(AlertFilter { office: Some("基金监管股".into()), ..Default::default() }).await, 2);
    assert_eq!(count(AlertFilter { rule: Some("officers_too_few".into()), ..Default::default() }).await, 1);
    assert_eq!(count(AlertFilter { level: Some(AlertLevel::Yellow), ..Default::default() }).await, 1);
    assert_eq!(count(AlertFilter { unresolved: true, ..Default::default() }).await, 3);
    assert_eq!(count(AlertFilter { status: Some(AlertState::Resolved), ..Default::default() }).await, 0);
    assert_eq!(count(AlertFilter { arose_from: Some(d("2026-10-11")), ..Default::default() }).await, 0);
    assert_eq!(count(AlertFilter { arose_to: Some(d("2026-10-10")), ..Default::default() }).await, 3);
    // SQL-looking text is a value like any other.
    assert_eq!(count(AlertFilter { office: Some("' OR 1=1 --".into()), ..Default::default() }).await, 0);
    let mine = db.alerts_for_handler(officer.id).await.expect("mine");
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[0].officer_name.as_deref(), Some("张明"));
    assert_eq!(mine[0].office.as_deref(), Some("基金监管股"));

    let times = db.case_times(None).await.expect("times");
    assert_eq!(times.len(), 2);
    assert_eq!(times[0].opened_at, "2026-09-14");
    assert_eq!(times[0].last_at, "2026-09-14T09:30");
    assert_eq!(db.case_times(Some(&[b.bureau])).await.expect("times").len(), 1);
    assert_eq!(db.offices(Some(&[a.bureau])).await.expect("offices"), ["基金监管股"]);
}
