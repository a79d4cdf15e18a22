//! Durable actions per second through the engine and the store (`CaseService::act`), with 1,
//! 8 and 32 concurrent writers, on a SQLite file (synchronous=FULL, group commit) and, when
//! `QUANZE_TEST_POSTGRES_URL` is set, on PostgreSQL.
//!
//! Each writer works its own case (an officer's case load), each action an `investigate`
//! with its evidence, decided by the engine, chained by hash and appended; an action counts
//! when `act` returned, i.e. after its commit. Prints throughput and latency percentiles.
//!
//! `cargo bench -p quanze-casework --bench actions` (`QUANZE_BENCH_ACTIONS=N` per writer).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use quanze_case::{Action, At, Command};
use quanze_casework::{ActResult, CaseService};
use quanze_model::Date;
use quanze_store::{PersonInput, PersonRole, Store};

fn cmd(day: &str, by: &[String], action: &str, keys: &str) -> Command {
    Command {
        at: At::day(Date::parse(day).unwrap()),
        by: by.to_vec(),
        action: Action::from_step(action, &keys.parse::<toml::Table>().unwrap()).unwrap(),
    }
}

async fn run(url: &str, label: &str, writers: usize, per_writer: usize) {
    let store = Store::open(url).await.expect("open");
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/seeds/002_986fb97279c273a7.txt");
    let catalog =
        quanze_import::import_bytes("002.txt", &std::fs::read(seed).unwrap(), &Default::default()).unwrap();
    let (bureau, stored) = store.import_catalog(&catalog, None).await.unwrap();
    let pos = catalog.items.iter().position(|i| i.seq == Some(2)).unwrap();
    let item = store.item_ids(stored.version.id).await.unwrap()[pos];
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
    let service = Arc::new(CaseService::new(store.clone()).await.unwrap());
    let mut cases = Vec::new();
    for w in 0..writers {
        let label = format!("B{}-{w}-{}", writers, std::process::id());
        let r = service
            .open_case(bureau.id, stored.version.id, item, &label, cmd("2026-03-02", &officers, "open", ""))
            .await
            .unwrap();
        let ActResult::Applied { case, .. } = r else { panic!("{r:?}") };
        service.act(case, cmd("2026-03-03", &officers, "register", "")).await.unwrap();
        cases.push(case);
    }
    let start = Instant::now();
    let mut tasks = Vec::new();
    for case in cases {
        let service = Arc::clone(&service);
        let by = officers.clone();
        tasks.push(tokio::spawn(async move {
            let c = cmd("2026-03-04", &by, "investigate", "evidence = [\"书证\", \"电子数据\"]");
            let mut lat = Vec::with_capacity(per_writer);
            for _ in 0..per_writer {
                let t = Instant::now();
                match service.act(case, c.clone()).await.unwrap() {
                    ActResult::Applied { .. } => {}
                    ActResult::Refused { refusal, .. } => panic!("{refusal:?}"),
                }
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut lat: Vec<Duration> = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    let elapsed = start.elapsed();
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    println!(
        "{label:>8} writers={writers:>2} actions={:>6} {:>8.0} actions/s  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms",
        lat.len(),
        lat.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        lat[lat.len() - 1].as_secs_f64() * 1e3,
    );
    store.close().await;
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing useful: run small.
    let quick = !std::env::args().any(|a| a == "--bench");
    let per_writer_total: usize = std::env::var("QUANZE_BENCH_ACTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 64 } else { 20_000 });
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        for writers in [1, 8, 32] {
            let per_writer = (per_writer_total / writers).max(1);
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("bench.db");
            run(path.to_str().unwrap(), "sqlite", writers, per_writer).await;
        }
        if let Ok(pg) = std::env::var("QUANZE_TEST_POSTGRES_URL") {
            for writers in [1, 8, 32] {
                let per_writer = (per_writer_total / 4 / writers).max(1);
                run(&pg, "postgres", writers, per_writer).await;
            }
        }
    });
}
