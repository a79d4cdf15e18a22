//! Case work end to end: scenarios on real SQLite files and a real PostgreSQL server, chain
//! verification after an edit of the database, a writer killed mid-stream, concurrent writers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;
mod kill;
mod officers;
mod scenarios;
mod service;
mod supervision;
mod verify;
