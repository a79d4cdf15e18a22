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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_concurrent_first_open() {
    // A server and a command-line import starting at once on a new file.
    for round in 0..5 {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(format!("race-{round}.db"));
        let path = path.to_str().expect("utf-8").to_owned();
        let mut tasks = Vec::new();
        for _ in 0..4 {
            let path = path.clone();
            tasks.push(tokio::spawn(async move { Store::open(&path).await }));
        }
        for t in tasks {
            let store = t.await.expect("task").expect("every concurrent open succeeds");
            store.ensure_bureau("竞争县医疗保障局", None).await.expect("usable");
            store.close().await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_concurrent_first_open() {
    let Some((base, schema, url)) = crate::harness::fresh_pg_schema().await else { return };
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let url = url.clone();
        tasks.push(tokio::spawn(async move { Store::open(&url).await }));
    }
    for t in tasks {
        let store = t.await.expect("task").expect("every concurrent open succeeds");
        assert_eq!(store.backend(), Backend::Postgres);
        store.ensure_bureau("竞争县医疗保障局", None).await.expect("usable");
        store.close().await;
    }
    crate::harness::drop_pg_schema(&base, &schema).await;
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
