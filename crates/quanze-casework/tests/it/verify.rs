//! `verify_store` finds an event edited in the database, on both backends, and names it.

use quanze_casework::scenario::{read_scenario, run};

use crate::harness::{Db, root};

fn scenario() -> quanze_casework::scenario::Scenario {
    read_scenario(&root().join("crates/quanze-casework/tests/data/snapshot-penalty.toml")).expect("scenario")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_event_is_found_and_named() {
    for db in Db::all().await {
        let report = run(&scenario(), db.store.clone()).await.expect("run");
        assert!(report.expectations_met());
        let clean = quanze_casework::verify_store(&db.store).await.expect("verify");
        assert!(clean.broken.is_empty(), "{}: {:?}", db.name(), clean.broken);
        assert_eq!(clean.cases, 1);
        assert_eq!(clean.events, 13, "{}", db.name());

        // Someone lowers the fine in the stored decision (event 10) without re-hashing.
        let case = db.store.case_by_label(bureau(&db).await, "A").await.expect("read").expect("case A");
        let events = db.store.case_events(case.id).await.expect("events");
        let decide = events.iter().find(|e| e.action == "decide").expect("decide event");
        let edited = decide.body.replace("2000000", "200000");
        assert_ne!(edited, decide.body, "the fine is in the body");
        assert!(db.store.tamper_event_body_for_tests(case.id, decide.seq, &edited).await.expect("tamper"));

        let broken = quanze_casework::verify_store(&db.store).await.expect("verify");
        assert_eq!(broken.broken.len(), 1, "{}: {:?}", db.name(), broken.broken);
        let b = &broken.broken[0];
        assert_eq!((b.case, b.seq, b.label.as_str()), (case.id.0, decide.seq, "A"), "{}", db.name());
        assert!(b.reason.contains("修改"), "{}", b.reason);
        db.cleanup().await;
    }
}

async fn bureau(db: &Db) -> quanze_store::BureauId {
    let bureaus = db.store.list_bureaus().await.expect("bureaus");
    assert_eq!(bureaus.len(), 1);
    bureaus[0].bureau.id
}
