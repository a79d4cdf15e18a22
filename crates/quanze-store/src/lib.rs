//! The catalog store: bureaus, versioned catalogs, their items, citations and diagnostics,
//! and the accounts, sessions and login attempts of the people who import and publish them.
//!
//! One [`Store`] type over two backends, chosen by the URL given to [`Store::open`]:
//! - **SQLite** (default): one file, WAL journal, `synchronous=FULL`, foreign keys on. A
//!   bare path, `sqlite://path?mode=rwc` or `sqlite::memory:`. Writes go through one
//!   connection with `BEGIN IMMEDIATE`, so writers queue instead of failing with `SQLITE_BUSY`.
//! - **PostgreSQL**: `postgres://user:pass@host:port/db` (any `options=-c search_path=…`
//!   in the URL is honoured, which the tests use to give each test its own schema).
//!
//! Migrations for both dialects are embedded in the binary (`migrations/sqlite`,
//! `migrations/postgres`; same tables, columns and constraints, different types) and are run
//! by [`Store::open`]. The same test suite (`tests/it`) runs against both.
//!
//! # Tables and what they are for
//!
//! | table | for | not for |
//! |---|---|---|
//! | `bureaus` | one row per publishing body (涞源县医疗保障局); `current_version_id` points at the version the portal shows | regions/hierarchies (a `region` text only) |
//! | `versions` | one row per imported edition: number 1..n per bureau, who imported it, when, file name and sha256, draft/published, and the whole `Catalog` as JSON for faithful re-export | querying inside a catalog (use `items`) |
//! | `items` | one row per `PowerItem` of a version, with the few columns lists need (seq, name, category, subject, code) and the item as JSON | full-text search (that is `quanze-search`'s job) |
//! | `citations` | "which items cite article N of statute X", across bureaus | the statute texts (that is `quanze-law`) |
//! | `diagnostics` | the findings of a version's import, in order | |
//! | `users`, `user_roles` | administrators now; officer/leader/legal_reviewer/supervisor roles later, each optionally limited to one bureau | |
//! | `sessions` | server-side login sessions; the key is the SHA-256 of the client's token, never the token | |
//! | `login_attempts` | rate-limiting logins by user name and by remote address | an audit log |
//! | `people` | who works cases: role (officer, leader, legal_reviewer, supervisor, clerk), posts, office, 执法证号 and its last valid day; retired, never deleted (events name them) | login accounts (that is `users`) |
//! | `cases` | one row per case: the bureau, the list version and item it was opened under (never changed afterwards), its procedure, a label unique in the bureau, and the head of its log (`head_seq`, `head_hash`) with the folded `state` as a cache for listings | the truth about a case (that is its events) |
//! | `case_events` | the append-only log, one row per event, `(case_id, seq)` its key, seq 1..n without gaps; `body` is the canonical JSON exactly as the engine hashed it, with `prev_hash` and `hash` | being updated or deleted: no API does either |
//! | `case_deadlines` | a case's deadlines as the engine last computed them (name, due day, counting, articles, open/met/missed/error), indexed on `(status, due)` for the poller | computing deadlines (the engine and the calendar do) |
//! | `calendar_years` | State Council holiday notices loaded by an administrator, one JSON per year | the built-in notices (the calendar crate embeds them) |
//! | `people.user_id` | the login account of a person (at most one person per account) | roles of the account (`user_roles`) |
//! | `case_assignments` | who is on a case (承办人, 法制审核, 听证主持人…), from when, by whom; ending keeps the row | deciding who may act (that is `quanze_case::access`) |
//! | `case_reads` | every read of a case, its documents or its file, allowed or refused (who, when, what, the refusal code); append-only, triggers refuse UPDATE and DELETE | web access logs |
//! | `case_particulars` | a case's party and facts (a JSON object) that documents are filled from; personal information | the events (the engine's truth) |
//! | `document_counters`, `case_documents` | the last 文号 per (bureau, type, year), and each issued document with its 文号 and the fields it was issued with (frozen) | rendering (templates live in `templates/documents`) |
//! | `alerts`, `alert_entries` | electronic supervision: one row per alert (a case and the rule's key) with its standing cached for listings, and its append-only, hash-chained log (raise, level, acknowledge, resolve, reopen, 催办, 督办, 监察建议书 numbered in `document_counters`) | running the rules (quanze-supervise does) |
//! | `version_reviews` | the review and publication record of list versions: submitted, approved, returned, withdrawn, published, deleted; who (account and its name then), when, the note (审核意见, 调整说明), 批准文号, error findings overridden with their reasons, items added/removed/changed; append-only (triggers), kept for a deleted draft | deciding who may review (the server's access policy) |
//! | `publications` | decisions the public may see (masked JSON), their due day, publication and retraction with reason | the decision itself |
//!
//! # Invariants
//! - A version and all its items, citations and diagnostics are written in **one**
//!   transaction: a reader never sees a half-stored version, and an acknowledged store is on
//!   disk (SQLite `synchronous=FULL`; PostgreSQL's default `synchronous_commit=on`).
//! - Storing a catalog whose sha256 the bureau already has returns the existing version
//!   (`created == false`); nothing is written.
//! - Version numbers of a bureau are 1, 2, 3… in import order, without gaps.
//! - `bureaus.current_version_id` is the newest *published* version of the bureau, or the
//!   newest version when none is published ("published-or-latest"). It is updated in the same
//!   transaction as the insert or publish that changes it.
//! - Text with a NUL character is refused with [`StoreError::InvalidInput`] before anything
//!   is written (PostgreSQL cannot store it; SQLite would truncate it in places). Every other
//!   string, including SQL-looking text and `%`/`_`, is stored and read back verbatim: all SQL
//!   uses bound parameters.
//! - Passwords are stored only as argon2id PHC strings; session tokens only as SHA-256.
//! - A case's events are 1..n without gaps, each `prev_hash` the previous `hash`, and the
//!   case row's `head_seq`/`head_hash`/`state` always those of event n: a case is created
//!   with its first events in one transaction, and every append writes its events, the new
//!   head and (when given) the replacement deadlines in one transaction. An append names the
//!   head it was folded from (`expected_head_seq`); if another append moved it, the answer is
//!   [`StoreError::StaleHead`] and nothing is written. `UNIQUE (case_id, seq)` backs the check.
//! - A numbered document is issued only with its event ([`AppendRequest::documents`]): the
//!   counter row is bumped (`INSERT … ON CONFLICT DO UPDATE … RETURNING`) in the append's
//!   transaction, so a rolled-back or refused append gives its number back: 文号 are 1..n per
//!   bureau, type and year, without gaps or duplicates, under any concurrency (tested with 32
//!   concurrent issuers on both backends); `UNIQUE (bureau_id, doc_type, year, number)` backs it.
//! - `case_reads` is append-only: no API changes a row, and triggers refuse it behind the
//!   store's back.
//! - The store does not verify hashes or interpret bodies: that is the case engine's job
//!   (`quanze cases verify`); an event edited behind the store's back reads back as edited.
//!
//! Times are [`Timestamp`]s: whole seconds since the Unix epoch, UTC.
//!
//! Not for: search ranking, statute texts, the meaning of case events (the case engine folds
//! them; the store keeps rows). Not for hot loops either: one [`Store::item`] is one
//! query (about 0.1 ms on SQLite, 0.5 ms on PostgreSQL over loopback); a page of the portal
//! should make a handful of calls, not one per item (use [`Store::items`],
//! [`Store::item_ids`]).
//!
//! # Concurrency
//! - SQLite: one write connection (`BEGIN IMMEDIATE`), up to four readers; other processes
//!   on the same file wait up to 30 s for the lock. Opening is serialized by an exclusive
//!   `flock` on `<database>.lock` (created beside the file and left there): switching a new
//!   file to WAL takes a lock SQLite's busy handler does not wait for, and sqlx has no
//!   migration lock on SQLite, so concurrent first opens (tasks or processes) used to fail.
//! - SQLite case appends go through one writer task per store (**group commit**): it takes
//!   every append waiting, applies them in one `BEGIN IMMEDIATE` transaction (each checked
//!   against the head the earlier ones left), commits once (one `fsync`), and only then
//!   answers each caller. A statement failing rolls the batch back and redoes its appends
//!   one per transaction, so one bad append cannot fail the others; a failed commit fails the
//!   whole batch with [`StoreError::BatchFailed`] and applies none of it.
//! - PostgreSQL case appends are one transaction each, locking the case row (`FOR UPDATE`).
//! - An error that makes SQLite roll a transaction back by itself (disk full, a trigger's
//!   `RAISE(ROLLBACK)`) closes the write connection instead of returning it to the pool, so
//!   later writes get a fresh one (issue 12: it used to refuse every later write).
//! - PostgreSQL connections are pinged before use only after a second idle (a ping before
//!   every statement was a third of a read's time), so a server restart costs no failed
//!   request unless the pool was busy right through it.
//! - PostgreSQL: storing a version locks its bureau row (`SELECT … FOR UPDATE`), so version
//!   numbers and the sha256 check are exact under concurrent imports; migrations take sqlx's
//!   advisory lock.
//!
//! # Migrations
//! `migrations/sqlite/NNNN_name.sql` and `migrations/postgres/NNNN_name.sql`, listed in
//! `db.rs`. Never edit a released migration (sqlx checks checksums): add the next number to
//! both folders. A unit test checks every file is embedded; `both_dialects_have_the_same_columns`
//! checks the two dialects define the same tables and columns.
//!
//! # PostgreSQL
//! Built without TLS (`sqlx` feature `tls-none`): connect over loopback or a trusted
//! network, or add a TLS feature of `sqlx`. Any `options=-c search_path=…` in the URL is
//! honoured. Tests: `eval "$(scripts/pg.sh start | grep '^export ')"` starts a throwaway
//! server on 127.0.0.1:54329 and exports `QUANZE_TEST_POSTGRES_URL`; with
//! `QUANZE_TEST_REQUIRE_POSTGRES=1` a missing server fails the PostgreSQL half of the suite
//! instead of skipping it.

mod accounts;
mod alerts;
mod append_rows;
mod appender;
mod case_types;
mod cases;
mod catalogs;
mod db;
mod documents;
mod error;
mod officers;
mod people;
mod reviews;
mod row;
mod types;
mod validate;
mod work_types;

pub use accounts::{SESSION_CACHE_SECS, random_password};
pub use alerts::*;
pub use reviews::*;
pub use validate::normalize_statute_title;

pub use case_types::*;
pub use cases::MAX_EVENTS_PAGE;
pub use db::Backend;
pub use error::StoreError;
pub use types::*;
pub use work_types::*;

use db::Inner;

/// Result of every store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The catalog store. Cheap to clone (it holds connection pools); share one per process.
#[derive(Clone, Debug)]
pub struct Store {
    inner: Inner,
    /// Live sessions served from memory for a moment (`accounts.rs`), shared by clones.
    sessions: std::sync::Arc<accounts::SessionCache>,
}
