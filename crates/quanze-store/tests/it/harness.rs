//! A fresh, empty store per test on either backend.

use std::sync::atomic::{AtomicU32, Ordering};

use quanze_store::Store;
use sqlx::Connection;

pub(crate) struct Db {
    pub store: Store,
    /// The URL the store was opened with (to open a second store on the same database).
    pub url: String,
    pg: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl std::ops::Deref for Db {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("t_{}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed), nanos)
}

impl Db {
    pub(crate) async fn sqlite() -> Db {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("quanze.db");
        let url = path.to_str().expect("utf-8 temp path").to_owned();
        let store = Store::open(&url).await.expect("open SQLite store");
        Db { store, url, pg: None, _dir: Some(dir) }
    }

    /// `None` (after saying so) when no server is configured and none is required.
    pub(crate) async fn postgres() -> Option<Db> {
        let (base, schema, url) = fresh_pg_schema().await?;
        let store = Store::open(&url).await.expect("open PostgreSQL store");
        Some(Db { store, url, pg: Some((base, schema)), _dir: None })
    }

    /// Run `sqlite` or `postgres` (one or more statements) on a separate connection to the
    /// test database, behind the store's back: for triggers that inject failures and for
    /// checks of what is stored.
    pub(crate) async fn raw_exec(&self, sqlite: &str, postgres: &str) {
        if self.pg.is_some() {
            let mut conn = sqlx::PgConnection::connect(&self.url).await.expect("raw connect");
            sqlx::raw_sql(sqlx::AssertSqlSafe(postgres.to_owned()))
                .execute(&mut conn)
                .await
                .expect("raw exec");
            conn.close().await.expect("close");
        } else {
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", self.url))
                .await
                .expect("raw connect");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sqlite.to_owned())).execute(&mut conn).await.expect("raw exec");
            conn.close().await.expect("close");
        }
    }

    /// As [`Db::raw_exec`], answering the database's error instead of failing the test.
    pub(crate) async fn raw_try(&self, sqlite: &str, postgres: &str) -> Result<(), sqlx::Error> {
        if self.pg.is_some() {
            let mut conn = sqlx::PgConnection::connect(&self.url).await?;
            let r =
                sqlx::raw_sql(sqlx::AssertSqlSafe(postgres.to_owned())).execute(&mut conn).await.map(|_| ());
            conn.close().await?;
            r
        } else {
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", self.url)).await?;
            let r =
                sqlx::raw_sql(sqlx::AssertSqlSafe(sqlite.to_owned())).execute(&mut conn).await.map(|_| ());
            conn.close().await?;
            r
        }
    }

    /// The first column of the first row of `sql` (same text on both backends), as text.
    pub(crate) async fn raw_text(&self, sql: &str) -> Option<String> {
        use sqlx::Row;
        if self.pg.is_some() {
            let mut conn = sqlx::PgConnection::connect(&self.url).await.expect("raw connect");
            let row = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_optional(&mut conn)
                .await
                .expect("raw");
            row.map(|r| r.try_get::<String, _>(0).expect("text column"))
        } else {
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", self.url))
                .await
                .expect("raw connect");
            let row = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_optional(&mut conn)
                .await
                .expect("raw");
            row.map(|r| r.try_get::<String, _>(0).expect("text column"))
        }
    }

    /// Close the store and drop the PostgreSQL schema. (A failed test leaves its schema in
    /// the throwaway cluster; that is harmless.)
    pub(crate) async fn cleanup(self) {
        self.store.close().await;
        if let Some((base, schema)) = &self.pg {
            drop_pg_schema(base, schema).await;
        }
    }
}

/// A new empty schema on the server of `QUANZE_TEST_POSTGRES_URL`: (server URL, schema, URL
/// whose search_path is the schema). `None` (after saying so) when no server is configured
/// and none is required; a panic when `QUANZE_TEST_REQUIRE_POSTGRES=1`.
pub(crate) async fn fresh_pg_schema() -> Option<(String, String, String)> {
    let base = match std::env::var("QUANZE_TEST_POSTGRES_URL") {
        Ok(u) if !u.trim().is_empty() => u.trim().to_owned(),
        _ => {
            if std::env::var("QUANZE_TEST_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!(
                    "QUANZE_TEST_REQUIRE_POSTGRES=1 but QUANZE_TEST_POSTGRES_URL is not set \
                     (start a server with: eval \"$(scripts/pg.sh start)\")"
                );
            }
            eprintln!("PostgreSQL tests skipped: set QUANZE_TEST_POSTGRES_URL (see scripts/pg.sh)");
            return None;
        }
    };
    let schema = unique_name();
    let mut conn = sqlx::PgConnection::connect(&base).await.expect("connect to QUANZE_TEST_POSTGRES_URL");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await
        .expect("create test schema");
    conn.close().await.expect("close admin connection");
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    Some((base, schema, url))
}

/// Drop a schema made by [`fresh_pg_schema`].
pub(crate) async fn drop_pg_schema(base: &str, schema: &str) {
    let mut conn = sqlx::PgConnection::connect(base).await.expect("connect for cleanup");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&mut conn)
        .await
        .expect("drop test schema");
    conn.close().await.expect("close admin connection");
}
