//! Case-storage benches.
//!
//! - `appends/<backend>/<writers>`: durable appends (one event plus a replaced deadline, the
//!   shape of one engine action) from 1, 8 and 32 concurrent writers, each on its own case,
//!   on SQLite (`synchronous=FULL`, group commit) and on PostgreSQL when
//!   `QUANZE_TEST_POSTGRES_URL` is set. Criterion reports appends/s; a fixed run before each
//!   group prints throughput with p50/p99 latency (criterion does not report percentiles).
//! - `read_events/<backend>/1000000`: reading a 1,000,000-event log (10,000 cases × 100
//!   events) in (case, seq) order through [`Store::events_after`], rows only.
//!
//! Run: `cargo bench -p quanze-store --bench cases` (with `eval "$(scripts/pg.sh start)"` for
//! PostgreSQL).
//!
//! Measured 2026-12-02 on the 2-core VM while other builds kept its load average at 7–11
//! (so wall-clock figures are pessimistic; CPU time is this process's own):
//!
//! | run | appends/s | p50 | p99 | CPU/append |
//! |---|---|---|---|---|
//! | SQLite, 1 writer | 512–1,178 | 0.3–0.4 ms | 8–12 ms | 240–300 µs |
//! | SQLite, 8 writers | 2,783–3,208 | 1.0–1.1 ms | 12–17 ms | 102 µs |
//! | SQLite, 32 writers (group commit) | 5,301–7,595 | 2.2–3.8 ms | 20–29 ms | 66–70 µs |
//! | PostgreSQL, 1 writer | 171 | 4.1 ms | 20 ms | 418 µs |
//! | PostgreSQL, 8 writers | 1,210 | 4.9 ms | 21 ms | 160 µs |
//! | PostgreSQL, 32 writers | 1,318 | 23.5 ms | 48 ms | 162 µs |
//!
//! Reading 1.1 M events through `events_after` (pages of 10,000): SQLite 5.7 s wall, 2.3 s
//! CPU; PostgreSQL 5.3 s wall, 1.5 s CPU (before the one-JSON-array-per-page reader, SQLite
//! took 16 s wall under the same load).

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use quanze_model::{Catalog, Category, Date, PowerItem, Source};
use quanze_store::{
    AppendRequest, CaseRecord, DeadlineRow, DeadlineStatus, EventKey, MAX_EVENTS_PAGE, NewCase, NewEvent,
    Page, Store,
};
use sha2::{Digest, Sha256};
use sqlx::Connection;

const WRITERS: [usize; 3] = [1, 8, 32];
const EVENTS: u64 = 1_000_000;
const EVENTS_PER_CASE: u64 = 100;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn body(seq: u64) -> String {
    format!(
        r#"{{"action":"investigate","at":"2026-09-15T10:00","by":["张三","李四"],"evidence":["询问笔录","现场检查笔录","视听资料"],"item_version":1,"seq":{seq},"stage":"调查取证"}}"#
    )
}

fn deadlines(seq: u64) -> Vec<DeadlineRow> {
    vec![DeadlineRow {
        name: format!("作出决定（第{seq}步）"),
        due: Date::parse("2026-12-13"),
        counting: "calendar".into(),
        articles: vec!["行政处罚法 第六十条".into()],
        status: DeadlineStatus::Open,
        error: None,
    }]
}

fn action(head: &CaseRecord) -> AppendRequest {
    let seq = head.head_seq + 1;
    let body = body(seq);
    let hash = hex(&Sha256::digest(format!("{}{body}", head.head_hash).as_bytes()));
    AppendRequest {
        case_id: head.id,
        expected_head_seq: head.head_seq,
        events: vec![NewEvent {
            seq,
            at: "2026-09-15T10:00".into(),
            actors: vec!["张三".into(), "李四".into()],
            action: "investigate".into(),
            body,
            prev_hash: head.head_hash.clone(),
            hash,
        }],
        new_state: "investigating".into(),
        deadlines: Some(deadlines(seq)),
        documents: Vec::new(),
    }
}

struct Fixture {
    bureau: quanze_store::BureauId,
    version: quanze_store::VersionId,
    item: quanze_store::ItemId,
}

async fn fixture(store: &Store) -> Fixture {
    let bureau = store.ensure_bureau("基准县医疗保障局", None).await.expect("bureau");
    let catalog = Catalog {
        source: Source {
            file_name: "bench.txt".into(),
            sha256: hex(&Sha256::digest(b"cases bench")),
            publisher: Some(bureau.name.clone()),
            layout: "tsv".into(),
            encoding: "utf-8".into(),
            ..Source::default()
        },
        declared: Default::default(),
        contacts: Vec::new(),
        items: vec![PowerItem {
            seq: Some(1),
            name: "对定点医药机构骗取医疗保障基金支出的行政处罚".into(),
            category: Category::Penalty,
            ..PowerItem::default()
        }],
        diagnostics: Vec::new(),
    };
    let version = store.store_version(bureau.id, &catalog, None).await.expect("version").version;
    let item = store.item_summaries(version.id, Page::all()).await.expect("items").rows[0].id;
    Fixture { bureau: bureau.id, version: version.id, item }
}

async fn new_cases(store: &Store, f: &Fixture, prefix: &str, n: usize) -> Vec<CaseRecord> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let body = body(1);
        out.push(
            store
                .create_case(&NewCase {
                    bureau: f.bureau,
                    version: f.version,
                    item: f.item,
                    item_seq: Some(1),
                    procedure: "penalty_general".into(),
                    label: format!("{prefix}-{i}"),
                    opened_at: "2026-09-14".into(),
                    state: "clue".into(),
                    events: vec![NewEvent {
                        seq: 1,
                        at: "2026-09-14".into(),
                        actors: vec!["张三".into()],
                        action: "open".into(),
                        hash: hex(&Sha256::digest(body.as_bytes())),
                        body,
                        prev_hash: String::new(),
                    }],
                    deadlines: deadlines(1),
                })
                .await
                .expect("case"),
        );
    }
    out
}

/// `per_writer` appends from each of `cases.len()` concurrent writers, each on its own
/// case; wall time and every append's latency. The cases' heads move on.
async fn run_appends(store: &Store, cases: &mut [CaseRecord], per_writer: u64) -> (Duration, Vec<Duration>) {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for case in cases.iter() {
        let (store, mut head) = (store.clone(), case.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_writer as usize);
            for _ in 0..per_writer {
                let t = Instant::now();
                let out = store.append_events(action(&head)).await.expect("append");
                latencies.push(t.elapsed());
                head.head_seq = out.head_seq;
                head.head_hash = out.head_hash;
            }
            (head, latencies)
        }));
    }
    let mut all = Vec::new();
    for (case, t) in cases.iter_mut().zip(tasks) {
        let (head, latencies) = t.await.expect("writer");
        *case = head;
        all.extend(latencies);
    }
    (start.elapsed(), all)
}

/// CPU time of this process so far (user + system, from /proc/self/stat; zero elsewhere):
/// on a shared machine, wall time says how loaded it was, CPU time what the work costs.
fn cpu_time() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return Duration::ZERO };
    // Fields after the parenthesized command name; utime and stime are fields 14 and 15.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { return Duration::ZERO };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    // Linux reports clock ticks of 1/100 s (USER_HZ) to user space.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn bench_appends(c: &mut Criterion, rt: &tokio::runtime::Runtime, name: &str, store: &Store) {
    let f = rt.block_on(fixture(store));
    let mut group = c.benchmark_group(format!("appends/{name}"));
    group.sample_size(10).measurement_time(Duration::from_secs(8)).warm_up_time(Duration::from_secs(1));
    group.throughput(Throughput::Elements(1));
    for writers in WRITERS {
        let cases = rt.block_on(new_cases(store, &f, &format!("w{writers}"), writers));
        let cases = Arc::new(std::sync::Mutex::new(cases));
        {
            // Fixed run for the percentiles.
            let total: u64 = 4000.max(writers as u64 * 250);
            let mut guard = cases.lock().expect("cases");
            let cpu = cpu_time();
            let (wall, mut lat) = rt.block_on(run_appends(store, &mut guard, total / writers as u64));
            let cpu = cpu_time().saturating_sub(cpu);
            lat.sort_unstable();
            eprintln!(
                "appends/{name}/{writers}: {} appends in {:.2} s = {:.0}/s (this process's CPU: {:.0} µs/append); \
                 latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
                lat.len(),
                wall.as_secs_f64(),
                lat.len() as f64 / wall.as_secs_f64(),
                cpu.as_secs_f64() * 1e6 / lat.len() as f64,
                percentile(&lat, 0.50).as_secs_f64() * 1e3,
                percentile(&lat, 0.99).as_secs_f64() * 1e3,
                lat.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
            );
        }
        group.bench_with_input(BenchmarkId::from_parameter(writers), &writers, |b, &writers| {
            b.to_async(rt).iter_custom(|iters| {
                let (store, cases) = (store.clone(), cases.clone());
                async move {
                    let per_writer = iters.div_ceil(writers as u64);
                    let mut mine = cases.lock().expect("cases").clone();
                    let (wall, _) = run_appends(&store, &mut mine, per_writer).await;
                    *cases.lock().expect("cases") = mine;
                    // Time per append, for criterion's per-iteration figure.
                    wall.mul_f64(iters as f64 / (per_writer * writers as u64) as f64)
                }
            })
        });
    }
    group.finish();
}

/// Fill the log to 1,000,000 events with set-based SQL (through the store this would be
/// minutes of appends the append bench already measures).
async fn fill_log(store: &Store, url_or_path: &str, postgres: bool) {
    let f = fixture(store).await;
    let cases = EVENTS / EVENTS_PER_CASE;
    let first = 1_000_000_000i64;
    let sql = if postgres {
        format!(
            "INSERT INTO cases (id, bureau_id, version_id, item_id, item_seq, procedure, label, opened_at, state, head_seq, head_hash) \
             SELECT {first} + i, {b}, {v}, {it}, 1, 'penalty_general', 'R' || i, '2026-09-14', 'investigating', {n}, lpad({n}::text, 64, '0') \
             FROM generate_series(1, {cases}) AS i; \
             INSERT INTO case_events (case_id, seq, at, recorded_at, actors, action, body, prev_hash, hash) \
             SELECT {first} + i, j, '2026-09-15T10:00', 1800000000, '[\"张三\",\"李四\"]', 'investigate', \
             '{body}', lpad((j - 1)::text, 64, '0'), lpad(j::text, 64, '0') \
             FROM generate_series(1, {cases}) AS i, generate_series(1, {n}) AS j",
            b = f.bureau,
            v = f.version,
            it = f.item,
            n = EVENTS_PER_CASE,
            body = body(0),
        )
    } else {
        format!(
            "BEGIN; \
             INSERT INTO cases (id, bureau_id, version_id, item_id, item_seq, procedure, label, opened_at, state, head_seq, head_hash) \
             WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {cases}) \
             SELECT {first} + i, {b}, {v}, {it}, 1, 'penalty_general', 'R' || i, '2026-09-14', 'investigating', {n}, printf('%064d', {n}) FROM c; \
             INSERT INTO case_events (case_id, seq, at, recorded_at, actors, action, body, prev_hash, hash) \
             WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {cases}), \
             s(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM s WHERE j < {n}) \
             SELECT {first} + i, j, '2026-09-15T10:00', 1800000000, '[\"张三\",\"李四\"]', 'investigate', \
             '{body}', printf('%064d', j - 1), printf('%064d', j) FROM c, s ORDER BY 1, 2; \
             COMMIT;",
            b = f.bureau,
            v = f.version,
            it = f.item,
            n = EVENTS_PER_CASE,
            body = body(0),
        )
    };
    if postgres {
        let mut conn = sqlx::PgConnection::connect(url_or_path).await.expect("connect");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await.expect("fill");
        conn.close().await.expect("close");
    } else {
        let mut conn =
            sqlx::SqliteConnection::connect(&format!("sqlite://{url_or_path}")).await.expect("connect");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await.expect("fill");
        conn.close().await.expect("close");
    }
}

async fn read_all(store: &Store) -> u64 {
    let mut after: Option<EventKey> = None;
    let mut n = 0u64;
    loop {
        let page = store.events_after(after, MAX_EVENTS_PAGE).await.expect("page");
        let Some(last) = page.last() else { return n };
        after = Some(EventKey { case: last.case, seq: last.seq });
        n += page.len() as u64;
    }
}

fn bench_read(c: &mut Criterion, rt: &tokio::runtime::Runtime, name: &str, store: &Store, url: &str) {
    let t = Instant::now();
    rt.block_on(fill_log(store, url, name == "postgres"));
    eprintln!("read_events/{name}: filled in {:.1} s", t.elapsed().as_secs_f64());
    let (t, cpu) = (Instant::now(), cpu_time());
    let total = rt.block_on(read_all(store));
    eprintln!(
        "read_events/{name}: {total} events in {:.2} s (this process's CPU: {:.2} s)",
        t.elapsed().as_secs_f64(),
        cpu_time().saturating_sub(cpu).as_secs_f64()
    );
    let mut group = c.benchmark_group(format!("read_events/{name}"));
    group.sample_size(10).measurement_time(Duration::from_secs(20)).warm_up_time(Duration::from_secs(1));
    group.throughput(Throughput::Elements(total));
    group.bench_function(BenchmarkId::from_parameter(total), |b| {
        b.to_async(rt).iter(|| {
            let store = store.clone();
            async move { read_all(&store).await }
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cases.db");
    let path = path.to_str().expect("utf-8 path").to_owned();
    let sqlite = rt.block_on(Store::open(&path)).expect("open SQLite");
    bench_appends(c, &rt, "sqlite", &sqlite);
    bench_read(c, &rt, "sqlite", &sqlite, &path);
    rt.block_on(sqlite.close());

    match std::env::var("QUANZE_TEST_POSTGRES_URL") {
        Ok(base) if !base.trim().is_empty() => {
            let schema = format!("bench_cases_{}", std::process::id());
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
            bench_appends(c, &rt, "postgres", &pg);
            bench_read(c, &rt, "postgres", &pg, &url);
            rt.block_on(pg.close());
            admin(format!("DROP SCHEMA {schema} CASCADE"));
        }
        _ => eprintln!("PostgreSQL benches skipped: set QUANZE_TEST_POSTGRES_URL (see scripts/pg.sh)"),
    }
}

criterion_group!(case_benches, benches);
criterion_main!(case_benches);
