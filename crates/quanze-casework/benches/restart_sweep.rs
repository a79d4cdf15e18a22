//! The supervision sweep after a restart, reading from SQLite: what `serve` runs at start.
//!
//! A SQLite file of N penalty cases of 10 events each (the logs of quanze-supervise's sweep
//! bench, sealed into their hash chains) is built once and cached under the target dir. Each
//! run copies it and times, on the copy:
//! * `read`: every case row and every event page read and each event's body parsed (what the
//!   sweep reads);
//! * `evaluate`: those events folded into watches and evaluated on the day, in memory, one
//!   thread (the pure part);
//! * `first sweep`: `Supervision::sweep` whole (read, fold, evaluate, and every alert raised
//!   and stored, one append per alert): a store whose alerts were never written;
//! * `restart sweep`: the same again, now that the alerts are stored (read, evaluate, compare;
//!   it writes only what changed, here nothing): the usual restart.
//!
//! `cargo bench -p quanze-casework --bench restart_sweep` (`QUANZE_BENCH_RESTART_CASES=N`,
//! default 100,000; `cargo test --benches` runs 200).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use quanze_case::action::DecisionKind;
use quanze_case::{
    Action, At, CaseContext, CaseEvent, EngineConfig, GENESIS, ItemProcedure, ItemRef, Person, Role,
};
use quanze_casework::CaseService;
use quanze_casework::supervision::Supervision;
use quanze_model::Date;
use quanze_store::{
    BureauId, CaseFilter, EventKey, ItemId, NewCase, NewEvent, Page, PersonInput, PersonRole, Store,
    VersionId,
};
use quanze_supervise::{CaseWatch, ClauseRules, RuleContext, SuperviseConfig, classify_item};

const SEED: &str = "002_986fb97279c273a7.txt";

fn catalog() -> quanze_model::Catalog {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/seeds").join(SEED);
    quanze_import::import_bytes(SEED, &std::fs::read(p).unwrap(), &Default::default()).unwrap()
}

/// The i-th case's log (as in quanze-supervise's sweep bench): a penalty case with 10
/// events, started on a day that depends on i.
fn log(item: &ItemRef, by: &[String], i: u64) -> Vec<CaseEvent> {
    let start = Date::parse("2026-01-05").and_then(|d| d.add_days((i % 240) as i64)).unwrap();
    let steps: [(i64, Action, &str); 10] = [
        (
            0,
            Action::Open { item: None, party: quanze_law::Party::Unit, complete: None, missing: vec![] },
            "clue",
        ),
        (1, Action::Register {}, "investigating"),
        (2, Action::Investigate { evidence: vec!["书证".into()] }, "investigating"),
        (
            3,
            Action::Seal { kind: quanze_case::SealKind::Seal, scene_record: Some("笔录".into()) },
            "investigating",
        ),
        (10, Action::ReleaseSeal {}, "investigating"),
        (12, Action::Conclude { major: false }, "concluded"),
        (14, Action::Notify { fine_fen: Some(150_000), base_fen: Some(100_000) }, "notified"),
        (15, Action::Waive {}, "notified"),
        (
            20 + (i % 90) as i64,
            Action::Decide {
                decision: DecisionKind::Penalty,
                fine_fen: Some(150_000),
                base_fen: Some(100_000),
            },
            "decided",
        ),
        (
            25 + (i % 90) as i64,
            Action::Serve { method: quanze_case::ServiceMethod::Post, consent: false },
            "served",
        ),
    ];
    let mut prev = "new".to_string();
    steps
        .into_iter()
        .enumerate()
        .map(|(n, (off, action, state))| {
            let e = CaseEvent {
                seq: n as u64 + 1,
                at: At::day(start.add_days(off).unwrap()),
                by: by.to_vec(),
                action,
                procedure: "penalty".into(),
                stage: prev.clone(),
                state: state.into(),
                item: item.clone(),
                duty_stage: None,
                post: None,
                duty: None,
                target: None,
            };
            prev = state.into();
            e
        })
        .collect()
}

fn sealed(events: &[CaseEvent]) -> Vec<NewEvent> {
    let mut prev = GENESIS.to_string();
    events
        .iter()
        .map(|e| {
            let s = quanze_case::StoredEvent::seal(&prev, e);
            let new = NewEvent {
                seq: e.seq,
                at: e.at.to_string(),
                actors: e.by.clone(),
                action: e.action.id().to_string(),
                body: String::from_utf8(s.body).unwrap(),
                prev_hash: s.prev_hash,
                hash: s.hash.clone(),
            };
            prev = s.hash;
            new
        })
        .collect()
}

struct Setup {
    bureau: BureauId,
    version: VersionId,
    item: ItemId,
    officers: Vec<String>,
}

/// The store of `n` cases, built once (into a temporary name, renamed when complete).
async fn build(path: &Path, n: u64) {
    let partial = path.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let url = partial.to_str().unwrap().to_string();
    let store = Store::open(&url).await.unwrap();
    let catalog = catalog();
    let (bureau, stored) = store.import_catalog(&catalog, None).await.unwrap();
    let pos = catalog.items.iter().position(|i| i.seq == Some(3)).unwrap();
    let item_id = store.item_ids(stored.version.id).await.unwrap()[pos];
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
            .unwrap();
        officers.push(quanze_casework::service::person_ref(p.id));
    }
    let setup = Setup { bureau: bureau.id, version: stored.version.id, item: item_id, officers };
    let (procedure, _) = ItemProcedure::for_item(&catalog.items[pos]);
    let procedure = procedure.with_version(&setup.version.0.to_string());
    let t = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..n {
        let events = log(&procedure.item_ref, &setup.officers, i);
        let case = NewCase {
            bureau: setup.bureau,
            version: setup.version,
            item: setup.item,
            item_seq: procedure.item.seq,
            procedure: "penalty".into(),
            label: format!("B{i:07}"),
            opened_at: events[0].at.to_string(),
            state: "served".into(),
            events: sealed(&events),
            deadlines: vec![],
        };
        let store = store.clone();
        set.spawn(async move { store.create_case(&case).await.map(|_| ()) });
        // Enough in flight for the writer to commit them in groups.
        while set.len() >= 256 {
            set.join_next().await.unwrap().unwrap().unwrap();
        }
    }
    while let Some(r) = set.join_next().await {
        r.unwrap().unwrap();
    }
    store.close().await;
    std::fs::rename(&partial, path).unwrap();
    println!("built {} ({n} cases) in {:.1} s", path.display(), t.elapsed().as_secs_f64());
}

/// Every case row and event of the store, read and parsed as the sweep reads them.
async fn read_all(store: &Store) -> (usize, Vec<Vec<CaseEvent>>) {
    let mut offset = 0u64;
    let mut rows = 0usize;
    loop {
        let page = store
            .cases(&CaseFilter { bureau: None, state: None, page: Page { offset, limit: Page::MAX_LIMIT } })
            .await
            .unwrap();
        if page.rows.is_empty() {
            break;
        }
        rows += page.rows.len();
        offset += page.rows.len() as u64;
    }
    let mut cases: Vec<Vec<CaseEvent>> = Vec::with_capacity(rows);
    let mut after: Option<EventKey> = None;
    let mut current = None;
    loop {
        let more = store.events_after(after, quanze_store::MAX_EVENTS_PAGE).await.unwrap();
        let Some(last) = more.last() else { break };
        after = Some(EventKey { case: last.case, seq: last.seq });
        for e in &more {
            let event: CaseEvent = serde_json::from_str(&e.body).unwrap();
            if current != Some(e.case) {
                current = Some(e.case);
                cases.push(Vec::with_capacity(10));
            }
            cases.last_mut().unwrap().push(event);
        }
    }
    (rows, cases)
}

fn copy_db(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap();
    for ext in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{ext}", from.display()));
        if side.exists() {
            std::fs::copy(&side, format!("{}{ext}", to.display())).unwrap();
        }
    }
}

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let n: u64 = std::env::var("QUANZE_BENCH_RESTART_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 200 } else { 100_000 });
    let cache = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("restart-sweep-{n}.db"));
    let day = Date::parse("2026-09-30").unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        if !cache.exists() {
            build(&cache, n).await;
        }
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("restart.db");
        copy_db(&cache, &copy);
        let store = Store::open(copy.to_str().unwrap()).await.unwrap();

        let t = Instant::now();
        let (rows, logs) = read_all(&store).await;
        let read = t.elapsed();
        let events: usize = logs.iter().map(Vec::len).sum();
        assert_eq!(rows as u64, n);

        // The pure part on the same logs: fold and evaluate (the item's rules, its people).
        let catalog = catalog();
        let item = catalog.items.iter().find(|i| i.seq == Some(3)).unwrap();
        let clauses = classify_item(ClauseRules::builtin(), item);
        let (procedure, _) = ItemProcedure::for_item(item);
        let people: Vec<Person> = logs[0][0]
            .by
            .iter()
            .map(|id| Person {
                id: id.clone(),
                name: id.clone(),
                role: Role::Officer,
                posts: vec![],
                certificate: Some("A".into()),
                certificate_until: None,
            })
            .collect();
        let calendar = quanze_calendar::Calendar::builtin();
        let config = EngineConfig::default();
        let supervise = SuperviseConfig::default();
        let ctx = CaseContext {
            procedure: &procedure,
            people: &people,
            calendar: &calendar,
            config: &config,
            law: quanze_law::registry(),
        };
        let rc = RuleContext { case: &ctx, config: &supervise, clauses: &clauses };
        let t = Instant::now();
        let alerts: usize = logs.iter().map(|l| CaseWatch::fold(&rc, l).alerts(&rc, day).len()).sum();
        let evaluate = t.elapsed();

        let service = CaseService::new(store.clone()).await.unwrap();
        let supervision = Supervision::ensure(&service);
        let t = Instant::now();
        let first = supervision.sweep(&service, day).await.unwrap();
        let first_time = t.elapsed();
        let t = Instant::now();
        let again = supervision.sweep(&service, day).await.unwrap();
        let again_time = t.elapsed();
        store.close().await;
        assert_eq!(first.cases as u64, n);
        assert_eq!(first.current, alerts, "the store's sweep and the in-memory evaluation agree");
        assert_eq!(again.raised, 0);
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        println!("restart sweep over SQLite: {n} cases, {events} events, {alerts} alerts on {day}");
        println!(
            "  read (case rows + event pages, bodies parsed) {:>10.1} ms  {:>7.2} µs a case",
            ms(read),
            ms(read) * 1e3 / n as f64
        );
        println!(
            "  evaluate (fold + alerts, 1 thread, in memory) {:>10.1} ms  {:>7.2} µs a case",
            ms(evaluate),
            ms(evaluate) * 1e3 / n as f64
        );
        println!(
            "  first sweep (alerts raised and stored: {:>6}) {:>10.1} ms  {:>7.2} µs a case",
            first.raised,
            ms(first_time),
            ms(first_time) * 1e3 / n as f64
        );
        println!(
            "  restart sweep (alerts stored, nothing new)    {:>10.1} ms  {:>7.2} µs a case",
            ms(again_time),
            ms(again_time) * 1e3 / n as f64
        );
    });
}
