//! A writer killed with SIGKILL in the middle of a stream of actions: after restart every
//! acknowledged event is there, every chain verifies, nothing half-applied is visible.
//!
//! The writer is this test binary run again as a child (`writer_child` with
//! `QUANZE_KILL_CHILD_DB` set; without it, it checks a short stream of actions by itself). It prints `ACK <case> <seq>` only after `act`
//! returned, i.e. after the commit; the parent kills it after a fixed number of
//! acknowledgements, so what is checked does not depend on timing.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;

use quanze_casework::{ActResult, CaseService};
use quanze_store::{CaseId, Store};

use crate::harness::Db;
use crate::service::{cmd, open_registered, setup};

const ENV_DB: &str = "QUANZE_KILL_CHILD_DB";
const CASES: usize = 4;
const ACKS_BEFORE_KILL: usize = 300;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writer_child() {
    let Ok(url) = std::env::var(ENV_DB) else {
        // Run on its own, it checks what the child relies on: a stream of actions on
        // several cases from concurrent tasks, every one applied once, every chain whole.
        let db = Db::sqlite().await;
        let s = setup(&db.store).await;
        let service = Arc::new(CaseService::new(db.store.clone()).await.expect("service"));
        let mut tasks = Vec::new();
        for i in 0..CASES {
            let case = open_registered(&service, &s, &format!("S{i}")).await;
            let (service, by) = (Arc::clone(&service), s.officers.clone());
            tasks.push(tokio::spawn(async move {
                for _ in 0..25 {
                    let r = service
                        .act(case, cmd("2026-03-04", &by, "investigate", "evidence = [\"书证\"]"))
                        .await;
                    assert!(matches!(r, Ok(ActResult::Applied { .. })), "{r:?}");
                }
                case
            }));
        }
        for t in tasks {
            let case = t.await.expect("task");
            assert_eq!(db.store.case(case).await.expect("case").expect("exists").head_seq, 2 + 25);
        }
        let v = quanze_casework::verify_store(&db.store).await.expect("verify");
        assert!(v.broken.is_empty() && v.cases == CASES as u64, "{v:?}");
        db.cleanup().await;
        return;
    };
    let store = Store::open(&url).await.expect("child opens the store");
    let s = setup_again(&store).await;
    let service = Arc::new(CaseService::new(store).await.expect("service"));
    let mut tasks = Vec::new();
    for case in s.1 {
        for _ in 0..4 {
            let service = Arc::clone(&service);
            let by = s.0.clone();
            tasks.push(tokio::spawn(async move {
                loop {
                    match service
                        .act(case, cmd("2026-03-04", &by, "investigate", "evidence = [\"书证\"]"))
                        .await
                    {
                        Ok(ActResult::Applied { events, .. }) => {
                            for e in events {
                                println!("ACK {} {}", case.0, e.event.seq);
                            }
                        }
                        other => panic!("child: {other:?}"),
                    }
                }
            }));
        }
    }
    for t in tasks {
        let _ = t.await;
    }
}

/// The child finds the officers and cases the parent made.
async fn setup_again(store: &Store) -> (Vec<String>, Vec<CaseId>) {
    let bureau = store.list_bureaus().await.expect("bureaus")[0].bureau.id;
    let officers = store
        .people(Some(bureau))
        .await
        .expect("people")
        .into_iter()
        .map(|p| quanze_casework::service::person_ref(p.id))
        .collect();
    let cases = store
        .cases(&quanze_store::CaseFilter { bureau: Some(bureau), ..Default::default() })
        .await
        .expect("cases")
        .rows
        .into_iter()
        .map(|c| c.id)
        .collect();
    (officers, cases)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_a_stream_of_actions_loses_no_acknowledged_event() {
    for db in Db::all().await {
        let s = setup(&db.store).await;
        {
            let service = CaseService::new(db.store.clone()).await.expect("service");
            for i in 0..CASES {
                open_registered(&service, &s, &format!("K{i}")).await;
            }
        }
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args(["--exact", "kill::writer_child", "--nocapture", "--test-threads=1"])
            .env(ENV_DB, &db.url)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn writer");
        let stdout = child.stdout.take().expect("stdout");
        let mut acked: Vec<(i64, u64)> = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("read");
            if let Some(rest) = line.strip_prefix("ACK ") {
                let mut it = rest.split(' ');
                let case: i64 = it.next().and_then(|x| x.parse().ok()).expect("case");
                let seq: u64 = it.next().and_then(|x| x.parse().ok()).expect("seq");
                acked.push((case, seq));
                if acked.len() >= ACKS_BEFORE_KILL {
                    break;
                }
            }
        }
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        assert_eq!(acked.len(), ACKS_BEFORE_KILL, "{}: the writer stopped early", db.name());

        // "Restart": a new store on the same database.
        let store = Store::open(&db.url).await.expect("reopen");
        for (case, seq) in &acked {
            let events = store.case_events(CaseId(*case)).await.expect("events");
            assert!(events.iter().any(|e| e.seq == *seq), "{}: acknowledged {case}/{seq} is lost", db.name());
        }
        let v = quanze_casework::verify_store(&store).await.expect("verify");
        assert!(v.broken.is_empty(), "{}: {:?}", db.name(), v.broken);
        // Each case's head is its last event and the cached state matches the fold.
        let service = CaseService::new(store.clone()).await.expect("service");
        for case in store.cases(&quanze_store::CaseFilter::default()).await.expect("cases").rows {
            let view = service
                .view(case.id, quanze_model::Date::parse("2026-03-05").expect("d"))
                .await
                .expect("view");
            assert_eq!(view.events.len() as u64, case.head_seq);
            assert_eq!(view.state.state, case.state, "{}: listing state is the fold's", db.name());
        }
        store.close().await;
        db.cleanup().await;
    }
}
