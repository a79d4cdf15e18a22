//! Electronic supervision over the store: the rules run on every append (incremental) and in
//! a sweep, and both leave the same unresolved alerts; an alert whose condition ended is
//! resolved by the system with its reason; 催办 then 督办 after the configured working days;
//! supervisors acknowledge, resolve with a justification, reopen and issue numbered 监察建议书;
//! every alert's log verifies.

use std::collections::BTreeSet;

use quanze_casework::supervision::{self, AlertCommand, Supervision};
use quanze_casework::{ActResult, CaseService};
use quanze_model::Date;
use quanze_store::{AlertEscalation, AlertFilter, AlertLevel, AlertRow, AlertState, Store};

use crate::harness::Db;
use crate::service::{Setup, cmd, setup};

fn day(s: &str) -> Date {
    Date::parse(s).expect("date")
}

/// What two stores are compared on: each unresolved alert's case label, key, level and status.
async fn unresolved(store: &Store) -> BTreeSet<(String, String, &'static str, &'static str)> {
    let rows =
        store.all_alerts(&AlertFilter { unresolved: true, ..AlertFilter::default() }).await.expect("alerts");
    rows.iter().map(|r| (r.case_label.clone(), r.key.clone(), r.level.as_str(), r.status.as_str())).collect()
}

async fn all(store: &Store) -> Vec<AlertRow> {
    store.all_alerts(&AlertFilter::default()).await.expect("alerts")
}

/// The same history on a service: case 甲 registered in March, evidence in late May (past the
/// yellow share of its 90-day limit), nothing after; case 乙 opened in June.
async fn play(service: &CaseService, s: &Setup) {
    let opened = service
        .open_case(
            s.bureau,
            s.version,
            s.item,
            "甲",
            cmd("2026-03-02", &s.officers, "open", "party = \"unit\""),
        )
        .await
        .expect("open");
    let ActResult::Applied { case, .. } = opened else { panic!("{opened:?}") };
    for (at, action, keys) in
        [("2026-03-03", "register", ""), ("2026-05-26", "investigate", "evidence = [\"书证\"]")]
    {
        let r = service.act(case, cmd(at, &s.officers, action, keys)).await.expect("act");
        assert!(matches!(r, ActResult::Applied { .. }), "{action}: {r:?}");
    }
    let opened = service
        .open_case(
            s.bureau,
            s.version,
            s.item,
            "乙",
            cmd("2026-06-10", &s.officers, "open", "party = \"unit\""),
        )
        .await
        .expect("open");
    assert!(matches!(opened, ActResult::Applied { .. }), "{opened:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incremental_and_sweep_store_the_same_alerts() {
    for (a, b) in Db::all().await.into_iter().zip(Db::all().await) {
        let name = a.name();
        // A: the rules run on every append. B: nothing ran (as if every alert write had been
        // lost to a crash) until the sweep at start.
        let (sa, sb) = (setup(&a.store).await, setup(&b.store).await);
        let service_a = CaseService::new(a.store.clone()).await.expect("service");
        let watch = Supervision::ensure(&service_a);
        play(&service_a, &sa).await;
        let service_b = CaseService::new(b.store.clone()).await.expect("service");
        play(&service_b, &sb).await;
        assert!(all(&b.store).await.is_empty(), "{name}: no hook, no alert");

        // On 05-26 the incremental path graded 甲's decision limit yellow.
        let yellow: Vec<AlertRow> =
            all(&a.store).await.into_iter().filter(|r| r.level == AlertLevel::Yellow).collect();
        assert_eq!(yellow.len(), 1, "{name}: {yellow:?}");
        assert_eq!(yellow[0].case_label, "甲");
        assert_eq!(yellow[0].raised_on, day("2026-05-26"));

        // The last append (乙, 06-10) evaluated 乙 only; the sweep of the day brings 甲 up to
        // date: its limit passed on 06-01, so red, and the yellow is cleared by the system.
        let today = day("2026-06-10");
        let report = watch.sweep(&service_a, today).await.expect("sweep a");
        assert!(report.raised >= 1 && report.cleared >= 1, "{name}: {report:?}");
        let b_watch = Supervision::ensure(&service_b);
        let report_b = b_watch.sweep(&service_b, today).await.expect("sweep b");
        assert_eq!(report_b.cases, 2);
        assert!(report_b.raised >= 1, "{name}: the sweep at start finds what was lost: {report_b:?}");
        let (ua, ub) = (unresolved(&a.store).await, unresolved(&b.store).await);
        assert_eq!(ua, ub, "{name}: incremental + sweep == sweep alone");
        assert!(
            ua.iter().any(|(case, key, level, _)| case == "甲"
                && key.starts_with("limit_passed")
                && *level == "red")
        );
        let cleared = a.store.alert(yellow[0].id).await.expect("read").expect("alert");
        assert_eq!(cleared.status, AlertState::Resolved);
        assert_eq!(cleared.resolved_by.as_deref(), Some(supervision::SYSTEM));
        // A second sweep on the same day writes nothing.
        let again = watch.sweep(&service_a, today).await.expect("sweep again");
        assert_eq!((again.raised, again.changed, again.cleared, again.escalated), (0, 0, 0, 0), "{name}");

        // Unresolved, the red alert is reminded (催办) after 2 working days and supervised
        // (督办) after 5, one step per sweep, on both stores alike.
        for (store, sv, service) in [(&a.store, &watch, &service_a), (&b.store, &b_watch, &service_b)] {
            sv.sweep(service, day("2026-06-12")).await.expect("sweep");
            let red = all(store).await.into_iter().find(|r| r.level == AlertLevel::Red).expect("red");
            assert_eq!(red.escalation, AlertEscalation::Reminded, "{name}");
            sv.sweep(service, day("2026-06-17")).await.expect("sweep");
            let red = store.alert(red.id).await.expect("read").expect("alert");
            assert_eq!(red.escalation, AlertEscalation::Supervised, "{name}");
        }
        assert_eq!(unresolved(&a.store).await, unresolved(&b.store).await, "{name}: after escalation too");

        // Every log verifies and its fold is the cached row.
        for store in [&a.store, &b.store] {
            for row in all(store).await {
                let entries = store.alert_entries(row.id).await.expect("entries");
                let record = supervision::verify_entries(&entries).expect("chain verifies");
                assert_eq!(serde_json::to_string(&record).expect("json"), row.record, "{name}");
            }
        }
        a.cleanup().await;
        b.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervisors_acknowledge_resolve_reopen_and_issue_numbered_notices() {
    for db in Db::all().await {
        let name = db.name();
        let s = setup(&db.store).await;
        let service = CaseService::new(db.store.clone()).await.expect("service");
        let watch = Supervision::ensure(&service);
        play(&service, &s).await;
        watch.sweep(&service, day("2026-06-10")).await.expect("sweep");
        let red = all(&db.store).await.into_iter().find(|r| r.level == AlertLevel::Red).expect("red");
        let at = day("2026-06-11");
        let act = |c: AlertCommand| {
            let (service, watch) = (&service, &watch);
            async move { watch.command(service, red.id, &c, "9", at).await }
        };
        let row = act(AlertCommand::Acknowledge).await.expect("acknowledge");
        assert_eq!(row.status, AlertState::Acknowledged);
        // Acknowledging twice is refused by the lifecycle, in Chinese, and writes nothing.
        let twice = act(AlertCommand::Acknowledge).await.expect_err("twice");
        assert!(twice.to_string().contains("确认知悉"), "{twice}");
        let blank = act(AlertCommand::Resolve { justification: "  ".into() }).await.expect_err("blank");
        assert!(blank.to_string().contains("情况说明"), "{blank}");
        let row =
            act(AlertCommand::Resolve { justification: "鉴定耗时，已于6月11日作出决定".into() })
                .await
                .expect("resolve");
        assert_eq!((row.status, row.resolved_by.as_deref()), (AlertState::Resolved, Some("9")));
        // A resolved alert stays resolved on the next sweep: a person's justification stands.
        watch.sweep(&service, at).await.expect("sweep");
        assert_eq!(db.store.alert(red.id).await.expect("read").expect("alert").status, AlertState::Resolved);
        let row = act(AlertCommand::Reopen { reason: "鉴定期间未记录中止".into() }).await.expect("reopen");
        assert_eq!(row.status, AlertState::Open);
        let first = act(AlertCommand::IssueNotice).await.expect("notice");
        let second = act(AlertCommand::IssueNotice).await.expect("notice");
        assert_eq!(first.notice_no.as_deref(), Some("汤医保监建〔2026〕1号"), "{name}");
        assert_eq!(second.notice_no.as_deref(), Some("汤医保监建〔2026〕2号"), "{name}");
        // Ten working days to reply (notice_reply_working_days).
        assert_eq!(second.notice_due, Some(day("2026-06-26")), "{name}");
        act(AlertCommand::Reply { text: "已整改".into() }).await.expect("reply");
        let entries = db.store.alert_entries(red.id).await.expect("entries");
        let record = supervision::verify_entries(&entries).expect("verifies");
        assert_eq!(record.notices.len(), 2);
        assert!(record.notices[0].replied.is_some());
        let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["raise", "acknowledge", "resolve", "reopen", "issue_notice", "issue_notice", "reply"]
        );
        db.cleanup().await;
    }
}
