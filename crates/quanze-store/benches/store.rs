//! Store benches: writing a 1,000-item version (target: under 1 s) and reading one item by
//! id, on SQLite (a file in a temporary directory) and on PostgreSQL when
//! `QUANZE_TEST_POSTGRES_URL` is set (a fresh schema, dropped at the end).
//!
//! Run: `cargo bench -p quanze-store` (with `eval "$(scripts/pg.sh start)"` for PostgreSQL).

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use quanze_model::{Catalog, Category, Citation, LegalBasis, PowerItem, Responsibilities, Source};
use quanze_store::{BureauId, ItemId, Page, Store};
use sqlx::Connection;

const ITEMS: u32 = 1000;

/// A realistic item: long responsibility and accountability texts, two citations.
fn item(i: u32) -> PowerItem {
    let duty =
        "受理责任：依法受理或不予受理，不予受理的应当告知理由。审查责任：对申请材料进行审查，提出审查意见。";
    PowerItem {
        seq: Some(i),
        line: Some(i * 12),
        name: format!("对定点医药机构违反医疗保障基金使用管理规定行为的行政处罚（第{i}项）"),
        category: Category::Penalty,
        category_label: "行政处罚".into(),
        subject: Some("县医疗保障局".into()),
        code: Some(format!("1306300{i:05}")),
        legal_basis: LegalBasis {
            text: "《中华人民共和国社会保险法》第八十七条；《医疗保障基金使用监督管理条例》第三十八条".into(),
            citations: vec![
                Citation {
                    title: "社会保险法".into(),
                    title_raw: "《中华人民共和国社会保险法》".into(),
                    article: Some(87),
                    ..Citation::default()
                },
                Citation {
                    title: "医疗保障基金使用监督管理条例".into(),
                    title_raw: "《医疗保障基金使用监督管理条例》".into(),
                    article: Some(i % 50 + 1),
                    ..Citation::default()
                },
            ],
        },
        responsibilities: Responsibilities { text: duty.repeat(8), stages: Vec::new() },
        remarks: Some("无".into()),
        ..PowerItem::default()
    }
}

fn catalog(seed: u64) -> Catalog {
    use sha2::{Digest, Sha256};
    let sha: String = Sha256::digest(seed.to_le_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    Catalog {
        source: Source {
            file_name: format!("bench-{seed}.txt"),
            sha256: sha,
            publisher: Some("基准县医疗保障局".into()),
            layout: "tsv".into(),
            encoding: "utf-8".into(),
            ..Source::default()
        },
        declared: Default::default(),
        contacts: Vec::new(),
        items: (1..=ITEMS).map(item).collect(),
        diagnostics: Vec::new(),
    }
}

fn bench_backend(c: &mut Criterion, rt: &tokio::runtime::Runtime, name: &str, store: &Store) {
    let bureau: BureauId = rt.block_on(store.ensure_bureau("基准县医疗保障局", None)).expect("bureau").id;
    let mut seed = 0u64;
    let mut group = c.benchmark_group(format!("store/{name}"));
    group.sample_size(10).measurement_time(Duration::from_secs(15)).warm_up_time(Duration::from_secs(2));
    group.bench_function("store_version_1000_items", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let store = store.clone();
            let catalogs: Vec<Catalog> = (0..iters)
                .map(|_| {
                    seed += 1;
                    catalog(seed)
                })
                .collect();
            async move {
                let mut total = Duration::ZERO;
                for c in &catalogs {
                    let start = Instant::now();
                    let stored = store.store_version(bureau, c, None).await.expect("store");
                    total += start.elapsed();
                    assert!(stored.created);
                }
                total
            }
        })
    });
    // Its own version, so that this bench also runs alone (`cargo bench -- item_by_id`).
    let version = rt.block_on(store.store_version(bureau, &catalog(u64::MAX), None)).expect("store").version;
    let ids: Vec<ItemId> = rt
        .block_on(store.item_summaries(version.id, Page::all()))
        .expect("items")
        .rows
        .iter()
        .map(|s| s.id)
        .collect();
    let mut next = 0usize;
    group.sample_size(50).measurement_time(Duration::from_secs(5));
    group.bench_function("item_by_id", |b| {
        b.to_async(rt).iter(|| {
            next = (next + 7) % ids.len();
            let id = ids[next];
            let store = store.clone();
            async move { store.item(id).await.expect("item").expect("exists") }
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.db");
    let sqlite = rt.block_on(Store::open(path.to_str().expect("utf-8 path"))).expect("open SQLite");
    bench_backend(c, &rt, "sqlite", &sqlite);
    rt.block_on(sqlite.close());

    match std::env::var("QUANZE_TEST_POSTGRES_URL") {
        Ok(base) if !base.trim().is_empty() => {
            let schema = format!("bench_{}", std::process::id());
            let admin = |sql: String| {
                let base = base.clone();
                rt.block_on(async move {
                    let mut conn = sqlx::PgConnection::connect(&base).await.expect("connect");
                    sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await.expect("admin sql");
                    conn.close().await.expect("close");
                })
            };
            admin(format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"));
            let sep = if base.contains('?') { '&' } else { '?' };
            let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
            let pg = rt.block_on(Store::open(&url)).expect("open PostgreSQL");
            bench_backend(c, &rt, "postgres", &pg);
            rt.block_on(pg.close());
            admin(format!("DROP SCHEMA {schema} CASCADE"));
        }
        _ => eprintln!("PostgreSQL benches skipped: set QUANZE_TEST_POSTGRES_URL (see scripts/pg.sh)"),
    }
}

criterion_group!(store_benches, benches);
criterion_main!(store_benches);
