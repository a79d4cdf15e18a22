//! Stores for tests: a fresh SQLite file, or a fresh schema on the PostgreSQL server named by
//! `QUANZE_TEST_POSTGRES_URL` (required when `QUANZE_TEST_REQUIRE_POSTGRES=1`, as in CI).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use quanze_store::Store;
use sqlx::Connection;

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub(crate) fn seed(name: &str) -> PathBuf {
    root().join("data/seeds").join(name)
}

pub(crate) struct Db {
    pub url: String,
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl Db {
    pub(crate) async fn sqlite() -> Db {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("cases.db");
        let url = path.to_str().expect("utf-8").to_owned();
        let store = Store::open(&url).await.expect("open sqlite");
        Db { url, store, _dir: Some(dir), pg: None }
    }

    pub(crate) async fn postgres() -> Option<Db> {
        let base = match std::env::var("QUANZE_TEST_POSTGRES_URL") {
            Ok(u) if !u.trim().is_empty() => u.trim().to_owned(),
            _ => {
                assert!(
                    std::env::var("QUANZE_TEST_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                    "QUANZE_TEST_REQUIRE_POSTGRES=1 but QUANZE_TEST_POSTGRES_URL is not set (scripts/pg.sh)"
                );
                eprintln!("PostgreSQL tests skipped: set QUANZE_TEST_POSTGRES_URL (see scripts/pg.sh)");
                return None;
            }
        };
        static N: AtomicU32 = AtomicU32::new(0);
        let schema = format!("casework_{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
        let mut conn = sqlx::PgConnection::connect(&base).await.expect("connect to QUANZE_TEST_POSTGRES_URL");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        )))
        .execute(&mut conn)
        .await
        .expect("create schema");
        conn.close().await.expect("close");
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        let store = Store::open(&url).await.expect("open postgres");
        Some(Db { url, store, _dir: None, pg: Some((base, schema)) })
    }

    /// Both backends: SQLite always, PostgreSQL when configured.
    pub(crate) async fn all() -> Vec<Db> {
        let mut v = vec![Db::sqlite().await];
        if let Some(pg) = Db::postgres().await {
            v.push(pg);
        }
        v
    }

    pub(crate) fn name(&self) -> &'static str {
        if self.pg.is_some() { "postgres" } else { "sqlite" }
    }

    pub(crate) async fn cleanup(self) {
        self.store.close().await;
        if let Some((base, schema)) = self.pg {
            let mut conn = sqlx::PgConnection::connect(&base).await.expect("connect for cleanup");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(&mut conn)
                .await
                .expect("drop schema");
            conn.close().await.expect("close");
        }
    }
}
