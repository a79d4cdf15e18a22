//! The service under concurrency: two services (as two processes would) acting on one case
//! never both apply against the same state, and every acknowledged action is in the chain.

use std::sync::Arc;

use quanze_case::{Action, At, Command};
use quanze_casework::{ActResult, CaseService};
use quanze_model::Date;
use quanze_store::{PersonInput, PersonRole, Store};

use crate::harness::{Db, seed};

pub(crate) struct Setup {
    pub bureau: quanze_store::BureauId,
    pub version: quanze_store::VersionId,
    pub item: quanze_store::ItemId,
    pub officers: Vec<String>,
}

/// A bureau with the 汤阴 list (002) and two certified officers.
pub(crate) async fn setup(store: &Store) -> Setup {
    let bytes = std::fs::read(seed("002_986fb97279c273a7.txt")).expect("seed");
    let catalog = quanze_import::import_bytes("002.txt", &bytes, &Default::default()).expect("import");
    let (bureau, stored) = store.import_catalog(&catalog, None).await.expect("store list");
    let pos = catalog.items.iter().position(|i| i.seq == Some(2)).expect("item 2");
    let item = store.item_ids(stored.version.id).await.expect("ids")[pos];
    let mut officers = Vec::new();
    for (name, cert) in [("张三", "豫A0001"), ("李四", "豫A0002")] {
        let p = store
            .add_person(&PersonInput {
                bureau: Some(bureau.id),
                name: name.into(),
                role: PersonRole::Officer,
                posts: vec![],
                office: String::new(),
                certificate: Some(cert.into()),
                certificate_until: None,
            })
            .await
            .expect("person");
        officers.push(quanze_casework::service::person_ref(p.id));
    }
    Setup { bureau: bureau.id, version: stored.version.id, item, officers }
}

pub(crate) fn cmd(day: &str, by: &[String], action: &str, keys: &str) -> Command {
    Command {
        at: At::day(Date::parse(day).expect("date")),
        by: by.to_vec(),
        action: Action::from_step(action, &keys.parse::<toml::Table>().expect("keys")).expect("action"),
    }
}

/// Open case `label` and register it; returns its id.
pub(crate) async fn open_registered(service: &CaseService, s: &Setup, label: &str) -> quanze_store::CaseId {
    let opened = service
        .open_case(
            s.bureau,
            s.version,
            s.item,
            label,
            cmd("2026-03-02", &s.officers, "open", "party = \"unit\""),
        )
        .await
        .expect("open");
    let ActResult::Applied { case, .. } = opened else { panic!("open refused: {opened:?}") };
    let r = service.act(case, cmd("2026-03-03", &s.officers, "register", "")).await.expect("register");
    assert!(matches!(r, ActResult::Applied { .. }), "{r:?}");
    case
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_services_on_one_case_never_apply_against_the_same_state() {
    for db in Db::all().await {
        let s = setup(&db.store).await;
        let one = Arc::new(CaseService::new(db.store.clone()).await.expect("service"));
        let other_store = Store::open(&db.url).await.expect("second store");
        let two = Arc::new(CaseService::new(other_store.clone()).await.expect("service"));
        let case = open_registered(&one, &s, "并发").await;
        let mut tasks = Vec::new();
        for i in 0..16 {
            let service = if i % 2 == 0 { Arc::clone(&one) } else { Arc::clone(&two) };
            let by = s.officers.clone();
            tasks.push(tokio::spawn(async move {
                let mut applied = 0u64;
                for _ in 0..10 {
                    match service
                        .act(case, cmd("2026-03-04", &by, "investigate", "evidence = [\"书证\"]"))
                        .await
                    {
                        Ok(ActResult::Applied { events, .. }) => applied += events.len() as u64,
                        Ok(ActResult::Refused { refusal, .. }) => panic!("refused: {refusal:?}"),
                        Err(e) => panic!("error: {e}"),
                    }
                }
                applied
            }));
        }
        let mut applied = 0;
        for t in tasks {
            applied += t.await.expect("task");
        }
        assert_eq!(applied, 160, "{}", db.name());
        let record = db.store.case(case).await.expect("case").expect("exists");
        assert_eq!(record.head_seq, 2 + 160, "{}: every acknowledged action, once", db.name());
        let v = quanze_casework::verify_store(&db.store).await.expect("verify");
        assert!(v.broken.is_empty(), "{}: {:?}", db.name(), v.broken);
        other_store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_action_changes_nothing() {
    let db = Db::sqlite().await;
    let s = setup(&db.store).await;
    let service = CaseService::new(db.store.clone()).await.expect("service");
    let case = open_registered(&service, &s, "拒绝").await;
    // One officer alone may not investigate (行政处罚法 第四十二条).
    let r = service.act(case, cmd("2026-03-04", &s.officers[..1], "investigate", "")).await.expect("act");
    let ActResult::Refused { refusal, .. } = r else { panic!("applied: {r:?}") };
    assert!(refusal.articles.iter().any(|a| a == "行政处罚法 第四十二条"), "{refusal:?}");
    let record = db.store.case(case).await.expect("case").expect("exists");
    assert_eq!(record.head_seq, 2);
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deadline_in_a_year_without_a_notice_is_an_error_naming_the_year() {
    let db = Db::sqlite().await;
    let s = setup(&db.store).await;
    let service = CaseService::new(db.store.clone()).await.expect("service");
    let opened = service
        .open_case(s.bureau, s.version, s.item, "跨年", cmd("2026-11-20", &s.officers, "open", ""))
        .await
        .expect("open");
    let ActResult::Applied { case, .. } = opened else { panic!("{opened:?}") };
    let r = service.act(case, cmd("2026-11-23", &s.officers, "register", "")).await.expect("register");
    assert!(matches!(r, ActResult::Applied { .. }), "{r:?}");
    let view = service.view(case, Date::parse("2026-11-24").expect("date")).await.expect("view");
    let decision = view.deadlines.iter().find(|d| d.name == "作出处罚决定").expect("decision deadline");
    assert_eq!(decision.status, quanze_case::DeadlineState::Error, "{decision:?}");
    assert!(decision.error.as_deref().unwrap_or_default().contains("2027"), "{decision:?}");
    // The same row is in the store's deadline table, for the poller.
    let rows = db.store.deadlines(case).await.expect("rows");
    let row = rows.iter().find(|d| d.name == "作出处罚决定").expect("stored row");
    assert_eq!(row.status, quanze_store::DeadlineStatus::Error);
    assert!(row.error.as_deref().unwrap_or_default().contains("2027"));
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_poller_finds_deadlines_that_passed_while_stopped() {
    for db in Db::all().await {
        let s = setup(&db.store).await;
        let case = {
            let service = CaseService::new(db.store.clone()).await.expect("service");
            open_registered(&service, &s, "超期").await
        };
        // quanze was stopped from March to June; a new service starts on 2026-06-02.
        let rows = db.store.deadlines(case).await.expect("rows");
        let decision = rows.iter().find(|d| d.name == "作出处罚决定").expect("decision deadline");
        assert_eq!(decision.status, quanze_store::DeadlineStatus::Open);
        assert_eq!(decision.due, Date::parse("2026-06-01"));
        let service = CaseService::new(db.store.clone()).await.expect("service");
        let day = Date::parse("2026-06-02").expect("date");
        assert_eq!(db.store.due_deadlines(day).await.expect("due").len(), 1, "{}", db.name());
        let report = service.sweep(day).await.expect("sweep");
        assert_eq!((report.cases, report.updated, report.missed), (1, 1, 1), "{}", db.name());
        let rows = db.store.deadlines(case).await.expect("rows");
        let decision = rows.iter().find(|d| d.name == "作出处罚决定").expect("decision deadline");
        assert_eq!(decision.status, quanze_store::DeadlineStatus::Missed, "{}", db.name());
        // Nothing is due any more, and a second sweep changes nothing.
        assert!(db.store.due_deadlines(day).await.expect("due").is_empty());
        assert_eq!(service.sweep(day).await.expect("sweep").updated, 0);
        // The log itself did not change: a sweep is not an action.
        assert_eq!(db.store.case(case).await.expect("case").expect("exists").head_seq, 2);
        db.cleanup().await;
    }
}
