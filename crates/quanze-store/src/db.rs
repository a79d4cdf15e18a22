//! Opening a backend, its migrations, and the macros that run one body of code on either.

use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::{Result, Store, StoreError};

/// Which database a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub(crate) enum Inner {
    Sqlite(SqliteBackend),
    Postgres(PgPool),
}

/// Readers share a pool; all writes go through one connection so that SQLite writers queue
/// in-process instead of racing for the lock.
#[derive(Clone, Debug)]
pub(crate) struct SqliteBackend {
    pub(crate) read: SqlitePool,
    pub(crate) write: SqlitePool,
    /// The group-commit writer of case appends (`appender.rs`).
    pub(crate) appender: crate::appender::Appender,
}

/// PostgreSQL connections idle this long are pinged before use.
const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("../migrations/sqlite/0001_init.sql")),
    (2, "cases", include_str!("../migrations/sqlite/0002_cases.sql")),
    (3, "casework", include_str!("../migrations/sqlite/0003_casework.sql")),
    (4, "supervision", include_str!("../migrations/sqlite/0004_supervision.sql")),
    (5, "reviews", include_str!("../migrations/sqlite/0005_reviews.sql")),
    (6, "catalog_epoch", include_str!("../migrations/sqlite/0006_catalog_epoch.sql")),
];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("../migrations/postgres/0001_init.sql")),
    (2, "cases", include_str!("../migrations/postgres/0002_cases.sql")),
    (3, "casework", include_str!("../migrations/postgres/0003_casework.sql")),
    (4, "supervision", include_str!("../migrations/postgres/0004_supervision.sql")),
    (5, "reviews", include_str!("../migrations/postgres/0005_reviews.sql")),
    (6, "catalog_epoch", include_str!("../migrations/postgres/0006_catalog_epoch.sql")),
];

fn migrator(list: &'static [(i64, &'static str, &'static str)]) -> Migrator {
    Migrator::with_migrations(
        list.iter()
            .map(|&(version, description, sql)| {
                Migration::new(
                    version,
                    Cow::Borrowed(description),
                    MigrationType::Simple,
                    sql.into_sql_str(),
                    false,
                )
            })
            .collect(),
    )
}

/// Run the SQLite migrations. Called with the set-up lock held ([`SetupLock`]), so no
/// other quanze process or task is migrating the same file at the same time.
async fn migrate_sqlite(pool: &SqlitePool) -> Result<()> {
    migrator(SQLITE_MIGRATIONS).run(pool).await?;
    Ok(())
}

/// Run the PostgreSQL migrations on a connection of their own. sqlx's migrator takes a
/// session-level advisory lock (one key per database), so two servers migrating one empty
/// database at once apply each migration once; if a migration fails, the migrator returns
/// without unlocking, and closing the connection is what releases the lock (a pooled
/// connection would keep holding it and block every later open).
async fn migrate_postgres(opts: &PgConnectOptions) -> Result<()> {
    let pool = PgPoolOptions::new().max_connections(1).connect_with(opts.clone()).await?;
    let result = migrator(POSTGRES_MIGRATIONS).run(&pool).await;
    pool.close().await;
    result?;
    Ok(())
}

/// An exclusive lock on `<database>.lock`, held while a SQLite file is opened for the first
/// time in this store: the switch to WAL takes a lock that SQLite's busy handler does not wait
/// for, and sqlx's migrator has no lock on SQLite, so concurrent first opens of a new file
/// (a server and a command-line import starting together) failed with "database is locked"
/// or raced on `CREATE TABLE`. `flock` excludes other processes and, because every open makes
/// its own file description, other tasks of this process too. Released when dropped.
pub(crate) struct SetupLock {
    _file: Option<std::fs::File>,
}

impl SetupLock {
    /// Wait for the lock beside `db`. When the side file cannot be created (a read-only
    /// directory, a missing directory) no lock is taken and SQLite reports what is wrong
    /// with the database path itself.
    pub(crate) async fn acquire(db: std::path::PathBuf) -> Result<SetupLock> {
        let mut name = db.as_os_str().to_owned();
        name.push(".lock");
        let path = std::path::PathBuf::from(name);
        let file =
            match std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path)
            {
                Ok(f) => f,
                Err(_) => return Ok(SetupLock { _file: None }),
            };
        // flock blocks the thread: wait on the blocking pool, not on a runtime worker.
        let file = tokio::task::spawn_blocking(move || file.lock().map(|()| file))
            .await
            .map_err(|e| StoreError::Lock(format!("{}: {e}", path.display())))?
            .map_err(|e| StoreError::Lock(format!("{}: {e}", path.display())))?;
        Ok(SetupLock { _file: Some(file) })
    }
}

/// Whether the write connection may go back to the pool. An error that makes SQLite roll
/// the transaction back by itself (`SQLITE_FULL`, `RAISE(ROLLBACK)` in a trigger…) leaves
/// sqlx counting an open transaction that its ROLLBACK can no longer close; that connection
/// then refused every later `BEGIN` ("begin_with at non-zero transaction depth", issue 12)
/// until restart. It is closed instead, and the pool opens a fresh one.
async fn release_write_connection(conn: &mut sqlx::SqliteConnection) -> Result<bool, sqlx::Error> {
    use sqlx::Connection;
    if conn.is_in_transaction() {
        // The rollback of a dropped transaction is queued ahead of this ping.
        conn.ping().await?;
    }
    Ok(!conn.is_in_transaction())
}

/// Run `$body` with `$pool` bound to a pool for reading (`&SqlitePool` or `&PgPool`).
macro_rules! read_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.inner {
            $crate::db::Inner::Sqlite(s) => {
                let $pool = &s.read;
                $body
            }
            $crate::db::Inner::Postgres(p) => {
                let $pool = p;
                $body
            }
        }
    };
}

/// Run `$body` inside one write transaction bound to `$tx`, committing when the body
/// evaluates without `?` returning early. `$pg` is `true` on PostgreSQL. The body is an
/// expression whose value is returned after commit.
macro_rules! write_tx {
    ($store:expr, |$tx:ident, $pg:ident| $body:expr) => {
        match &$store.inner {
            $crate::db::Inner::Sqlite(s) => {
                let mut $tx = s.write.begin_with("BEGIN IMMEDIATE").await?;
                let $pg = false;
                let value = $body;
                $tx.commit().await?;
                value
            }
            $crate::db::Inner::Postgres(p) => {
                let mut $tx = p.begin().await?;
                let $pg = true;
                let value = $body;
                $tx.commit().await?;
                value
            }
        }
    };
}

pub(crate) use read_pool;
pub(crate) use write_tx;

impl Store {
    /// Open (creating when missing) the database at `url` and bring its schema up to date.
    ///
    /// `url` is a bare file path, `sqlite://path` (`?mode=rwc` to create), `sqlite::memory:`,
    /// or `postgres://user:password@host:port/database` (`postgresql://` too).
    pub async fn open(url: &str) -> Result<Store> {
        let url = url.trim();
        if url.contains('\0') {
            return Err(StoreError::InvalidInput("database URL contains a NUL character".into()));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                // Ping only connections idle for a while (a server restart leaves them dead):
                // a ping before every statement was a third of a read's time.
                .test_before_acquire(false)
                .before_acquire(|conn, meta| {
                    Box::pin(async move {
                        if meta.idle_for >= PING_AFTER_IDLE {
                            sqlx::Connection::ping(conn).await?;
                        }
                        Ok(true)
                    })
                })
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts.clone())
                .await?;
            migrate_postgres(&opts).await?;
            return Ok(Store { inner: Inner::Postgres(pool), sessions: Default::default() });
        }
        let memory = url == "sqlite::memory:" || url == "sqlite://:memory:" || url == ":memory:";
        let opts = if memory {
            SqliteConnectOptions::from_str("sqlite::memory:")?
        } else if url.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(url)?
        } else if url.contains("://") {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        } else if url.is_empty() {
            return Err(StoreError::InvalidInput("empty database path".into()));
        } else {
            SqliteConnectOptions::new().filename(url).create_if_missing(true)
        };
        let opts = opts
            .foreign_keys(true)
            .journal_mode(if memory { SqliteJournalMode::Memory } else { SqliteJournalMode::Wal })
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30));
        let _setup =
            if memory { None } else { Some(SetupLock::acquire(opts.get_filename().to_path_buf()).await?) };
        let mut write = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(1)
            .min_connections(if memory { 1 } else { 0 })
            .idle_timeout(if memory { None } else { Some(Duration::from_secs(600)) })
            .max_lifetime(if memory { None } else { Some(Duration::from_secs(3600)) })
            .acquire_timeout(Duration::from_secs(60));
        if !memory {
            write = write.after_release(|conn, _meta| Box::pin(release_write_connection(conn)));
        }
        // The group-commit writer's multi-row statements differ by batch size; a larger
        // cache than sqlx's 100 keeps them prepared instead of re-parsing them every batch.
        let write = write.connect_with(opts.clone().statement_cache_capacity(1000)).await?;
        migrate_sqlite(&write).await?;
        let read = if memory {
            // An in-memory database lives in one connection: share it.
            write.clone()
        } else {
            SqlitePoolOptions::new()
                .test_before_acquire(false)
                .max_connections(4)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts)
                .await?
        };
        Ok(Store {
            inner: Inner::Sqlite(SqliteBackend { read, write, appender: Default::default() }),
            sessions: Default::default(),
        })
    }

    /// Which database this store runs on.
    pub fn backend(&self) -> Backend {
        match &self.inner {
            Inner::Sqlite(_) => Backend::Sqlite,
            Inner::Postgres(_) => Backend::Postgres,
        }
    }

    /// Close all connections, waiting for those in use to be returned.
    pub async fn close(&self) {
        match &self.inner {
            Inner::Sqlite(s) => {
                s.appender.stop();
                s.read.close().await;
                s.write.close().await;
            }
            Inner::Postgres(p) => p.close().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

    /// Every file in a migrations folder is embedded, in order, under its number; the two
    /// folders hold the same migrations.
    #[test]
    fn every_migration_file_is_embedded() {
        for (dir, list) in [("sqlite", SQLITE_MIGRATIONS), ("postgres", POSTGRES_MIGRATIONS)] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dir);
            let mut files: Vec<String> = std::fs::read_dir(&path)
                .expect("migrations folder")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".sql"))
                .collect();
            files.sort();
            let embedded: Vec<String> = list.iter().map(|(v, d, _)| format!("{v:04}_{d}.sql")).collect();
            assert_eq!(files, embedded, "migrations/{dir} and the list in db.rs");
            for (i, (v, _, sql)) in list.iter().enumerate() {
                assert_eq!(*v, i as i64 + 1, "numbers run 1, 2, 3…");
                assert!(!sql.trim().is_empty());
            }
        }
        let names =
            |l: &[(i64, &str, &str)]| l.iter().map(|(v, d, _)| (*v, d.to_string())).collect::<Vec<_>>();
        assert_eq!(names(SQLITE_MIGRATIONS), names(POSTGRES_MIGRATIONS), "same migrations for both");
    }
}
