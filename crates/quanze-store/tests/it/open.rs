//! Opening stores: the URL forms, the SQLite file settings, two stores on one database.

use quanze_store::{Backend, Page, Store, StoreError};

use crate::both;
use crate::fixtures::small;
use crate::harness::Db;

both!(two_stores_one_database);

async fn two_stores_one_database(db: &Db) {
    // Two processes (here: two pools) writing the same bureau at once.
    let other = Store::open(&db.url).await.expect("second store");
    let b = db.ensure_bureau("双实例县医疗保障局", None).await.expect("bureau");
    let mut tasks = Vec::new();
    for (i, store) in
        [db.store.clone(), other.clone(), db.store.clone(), other.clone()].into_iter().enumerate()
    {
        tasks.push(tokio::spawn(async move {
            store
                .store_version(b.id, &small("双实例县医疗保障局", &format!("two-{i}")), None)
                .await
                .expect("store")
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.expect("task").version.number);
    }
    numbers.sort_unstable();
    assert_eq!(numbers, [1, 2, 3, 4]);
    let seen_by_other = other.versions(b.id).await.expect("versions");
    assert_eq!(seen_by_other.len(), 4, "each store reads the other's writes");
    for v in &seen_by_other {
        assert_eq!(other.items(v.id, Page::all()).await.expect("items").total, 3);
    }
    other.close().await;
}

#[tokio::test]
async fn sqlite_url_forms() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("url.db");
    let path = path.to_str().expect("utf-8");

    let url = format!("sqlite://{path}?mode=rwc");
    let s = Store::open(&url).await.expect("sqlite:// URL with mode=rwc");
    assert_eq!(s.backend(), Backend::Sqlite);
    let b = s.ensure_bureau("网址县医疗保障局", None).await.expect("bureau");
    s.close().await;
    let s = Store::open(path).await.expect("the same file as a bare path");
    assert_eq!(s.bureau(b.id).await.expect("bureau"), Some(b));
    s.close().await;

    let mem = Store::open("sqlite::memory:").await.expect("in memory");
    let b = mem.ensure_bureau("内存县医疗保障局", None).await.expect("bureau");
    let v = mem.store_version(b.id, &small("内存县医疗保障局", "mem"), None).await.expect("store").version;
    assert_eq!(mem.items(v.id, Page::all()).await.expect("items").total, 3);
    mem.close().await;

    let missing = dir.path().join("absent.db");
    let err =
        Store::open(&format!("sqlite://{}", missing.display())).await.expect_err("no mode=rwc, no file");
    assert!(matches!(err, StoreError::Database(_)), "{err:?}");
    let err = Store::open("mysql://root@localhost/db").await.expect_err("mysql");
    assert!(matches!(err, StoreError::UnsupportedUrl(_)), "{err:?}");
    let err = Store::open("  ").await.expect_err("empty");
    assert!(matches!(err, StoreError::InvalidInput(_)), "{err:?}");
    let err = Store::open("a\0b").await.expect_err("NUL");
    assert!(matches!(err, StoreError::InvalidInput(_)), "{err:?}");
    let nested = dir.path().join("no/such/dir/x.db");
    let err = Store::open(nested.to_str().expect("utf-8")).await.expect_err("missing directory");
    assert!(matches!(err, StoreError::Database(_)), "{err:?}");
}

#[tokio::test]
async fn sqlite_file_is_wal() {
    let db = Db::sqlite().await;
    db.ensure_bureau("日志县医疗保障局", None).await.expect("bureau");
    let mode = db.raw_text("PRAGMA journal_mode").await;
    assert_eq!(mode.as_deref(), Some("wal"));
    db.cleanup().await;
}

/// Rounds of concurrent first opens (issue 15: a brand-new file failed with "database is
/// locked" when two opens switched it to WAL or migrated it at once).
const ROUNDS: usize = 50;
const FIRST_OPEN_CHILD_ENV: &str = "QUANZE_STORE_FIRST_OPEN_CHILD";

/// Open `path` from `n` tasks released together by a barrier, use each store once, and
/// return the first error as text.
async fn open_together(path: &str, n: usize) -> Result<(), String> {
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(n));
    let mut tasks = Vec::new();
    for _ in 0..n {
        let path = path.to_owned();
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let store = Store::open(&path).await.map_err(|e| format!("open: {e:?}"))?;
            store.ensure_bureau("竞争县医疗保障局", None).await.map_err(|e| format!("use: {e:?}"))?;
            store.close().await;
            Ok::<(), String>(())
        }));
    }
    for t in tasks {
        t.await.map_err(|e| format!("task: {e}"))??;
    }
    Ok(())
}

/// The schema of a SQLite file as (table, column) pairs plus the applied migrations, read
/// behind the store's back.
async fn sqlite_schema(path: &str) -> (Vec<(String, String)>, Vec<(i64, bool)>) {
    use sqlx::{Connection, Row};
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{path}")).await.expect("raw connect");
    let mut cols: Vec<(String, String)> = sqlx::query(
        "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' ORDER BY 1, 2",
    )
    .fetch_all(&mut conn)
    .await
    .expect("columns")
    .iter()
    .map(|r| (r.get("t"), r.get("c")))
    .collect();
    cols.sort();
    let migrations = sqlx::query("SELECT version, success FROM _sqlx_migrations ORDER BY version")
        .fetch_all(&mut conn)
        .await
        .expect("migrations")
        .iter()
        .map(|r| (r.get("version"), r.get("success")))
        .collect();
    conn.close().await.expect("close");
    (cols, migrations)
}

/// The schema a file gets when opened alone.
async fn reference_schema() -> (Vec<(String, String)>, Vec<(i64, bool)>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("alone.db").to_str().expect("utf-8").to_owned();
    Store::open(&path).await.expect("open alone").close().await;
    let schema = sqlite_schema(&path).await;
    assert!(schema.0.len() > 40 && !schema.1.is_empty(), "{schema:?}");
    assert!(schema.1.iter().all(|&(_, ok)| ok));
    schema
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_concurrent_first_open() {
    // A server and a command-line import starting at once on a new file, as tasks.
    let reference = reference_schema().await;
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(format!("race-{round}.db")).to_str().expect("utf-8").to_owned();
        let n = 4 + round % 5; // 4 to 8 opens
        if let Err(e) = open_together(&path, n).await {
            panic!("round {round}, {n} concurrent opens: {e}");
        }
        assert_eq!(sqlite_schema(&path).await, reference, "round {round}: one schema");
    }
}

/// Helper process of [`sqlite_concurrent_first_open_across_processes`]: for every path read
/// from stdin, open it from two tasks at once and answer `OK` or `ERR …` on stdout. Run on
/// its own (without the variable) it does a few rounds by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_open_child() {
    use std::io::BufRead;
    if std::env::var(FIRST_OPEN_CHILD_ENV).is_err() {
        let dir = tempfile::tempdir().expect("temp dir");
        for round in 0..3 {
            let path = dir.path().join(format!("child-{round}.db")).to_str().expect("utf-8").to_owned();
            open_together(&path, 3).await.expect("concurrent opens");
        }
        return;
    }
    let stdin = std::io::stdin();
    let mut line = String::new();
    loop {
        line.clear();
        if stdin.lock().read_line(&mut line).expect("read stdin") == 0 {
            return;
        }
        let answer = match open_together(line.trim(), 2).await {
            Ok(()) => "OK".to_owned(),
            Err(e) => format!("ERR {}", e.replace('\n', " ")),
        };
        println!("{answer}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_concurrent_first_open_across_processes() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};
    const CHILDREN: usize = 3;
    let reference = reference_schema().await;
    let exe = std::env::current_exe().expect("test binary");
    let mut children = Vec::new();
    for _ in 0..CHILDREN {
        let mut child = Command::new(&exe)
            .args(["--exact", "open::first_open_child", "--nocapture", "--test-threads=1", "-q"])
            .env(FIRST_OPEN_CHILD_ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn a child");
        let stdin = child.stdin.take().expect("child stdin");
        let stdout = BufReader::new(child.stdout.take().expect("child stdout"));
        children.push((child, stdin, stdout));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    for round in 0..ROUNDS {
        let path = dir.path().join(format!("procs-{round}.db")).to_str().expect("utf-8").to_owned();
        // Every process gets the path before any opens it; 3 processes x 2 tasks + 2 here.
        for (_, stdin, _) in &mut children {
            writeln!(stdin, "{path}").and_then(|()| stdin.flush()).expect("write to child");
        }
        let here = open_together(&path, 2).await;
        for (i, (_, _, stdout)) in children.iter_mut().enumerate() {
            // Skip the test harness's own lines ("running 1 test"…) until an answer.
            let answer = loop {
                let mut line = String::new();
                assert!(stdout.read_line(&mut line).expect("read child") > 0, "child {i} exited");
                let line = line.trim();
                if line == "OK" || line.starts_with("ERR") {
                    break line.to_owned();
                }
            };
            assert_eq!(answer, "OK", "round {round}, child {i}");
        }
        if let Err(e) = here {
            panic!("round {round}, parent: {e}");
        }
        assert_eq!(sqlite_schema(&path).await, reference, "round {round}: one schema");
    }
    for (mut child, stdin, _) in children {
        drop(stdin);
        assert!(child.wait().expect("reap child").success());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_concurrent_first_open() {
    // Two servers migrating one empty database: sqlx's advisory lock serializes them.
    use sqlx::{Connection, Row};
    let mut reference: Option<Vec<(i64, bool)>> = None;
    for round in 0..ROUNDS {
        let Some((base, schema, url)) = crate::harness::fresh_pg_schema().await else { return };
        let n = 4 + round % 5;
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(n));
        let mut tasks = Vec::new();
        for _ in 0..n {
            let url = url.clone();
            let barrier = barrier.clone();
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                Store::open(&url).await
            }));
        }
        for t in tasks {
            let store = t.await.expect("task").unwrap_or_else(|e| panic!("round {round}: open: {e:?}"));
            assert_eq!(store.backend(), Backend::Postgres);
            store.ensure_bureau("竞争县医疗保障局", None).await.expect("usable");
            store.close().await;
        }
        let mut conn = sqlx::PgConnection::connect(&url).await.expect("raw connect");
        let applied: Vec<(i64, bool)> =
            sqlx::query("SELECT version, success FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&mut conn)
                .await
                .expect("migrations")
                .iter()
                .map(|r| (r.get("version"), r.get("success")))
                .collect();
        conn.close().await.expect("close");
        assert!(!applied.is_empty() && applied.iter().all(|&(_, ok)| ok), "{applied:?}");
        assert_eq!(reference.get_or_insert_with(|| applied.clone()), &applied, "round {round}");
        crate::harness::drop_pg_schema(&base, &schema).await;
    }
}

/// The two migration folders must describe the same tables and columns.
#[tokio::test]
async fn both_dialects_have_the_same_columns() {
    use sqlx::Row;
    let Some(pg) = Db::postgres().await else { return };
    let lite = Db::sqlite().await;
    let mut pg_cols: Vec<(String, String)> = Vec::new();
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&pg.url).await.expect("connect");
    for r in sqlx::query(
        "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut conn)
    .await
    .expect("columns")
    {
        pg_cols.push((r.get("t"), r.get("c")));
    }
    let mut lite_cols: Vec<(String, String)> = Vec::new();
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!("sqlite://{}", lite.url))
        .await
        .expect("connect");
    for r in sqlx::query(
        "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name <> '_sqlx_migrations' AND m.name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&mut conn)
    .await
    .expect("columns")
    {
        lite_cols.push((r.get("t"), r.get("c")));
    }
    pg_cols.sort();
    lite_cols.sort();
    assert!(lite_cols.len() > 40, "{lite_cols:?}");
    assert_eq!(lite_cols, pg_cols);
    pg.cleanup().await;
    lite.cleanup().await;
}
