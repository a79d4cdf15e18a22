//! The storage test suite. Every test is one `async fn(&Db)` run against both backends by
//! [`both!`]: SQLite in a fresh file of a temporary directory, and PostgreSQL in a fresh
//! schema of the server named by `QUANZE_TEST_POSTGRES_URL` (see `scripts/pg.sh`).
//! Without that variable the PostgreSQL half is skipped with a message, unless
//! `QUANZE_TEST_REQUIRE_POSTGRES=1`, when it fails.

mod accounts;
mod alerts;
mod cases;
mod catalogs;
mod durability;
mod fixtures;
mod harness;
mod officers;
mod open;
mod reviews;
mod seeds;

/// Generate `sqlite` and `postgres` tests in a module named like the test function.
#[macro_export]
macro_rules! both {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let db = $crate::harness::Db::sqlite().await;
                    super::$name(&db).await;
                    db.cleanup().await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let Some(db) = $crate::harness::Db::postgres().await else { return };
                    super::$name(&db).await;
                    db.cleanup().await;
                }
            }
        )*
    };
}
