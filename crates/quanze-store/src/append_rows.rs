//! The rows an append writes, checked and encoded before its transaction, and the statements
//! that write them inside one (events, deadlines, numbered documents). Shared by the
//! one-append path (`cases.rs`) and the group-commit writer (`appender.rs`); below both, and
//! below `db.rs`, which holds the writer.

use crate::{CaseId, NewDocument, StoreError};

/// Rows per multi-row INSERT of events (9 binds a row: far below both databases' limits).
pub(crate) const EVENT_ROWS_PER_INSERT: usize = 300;
/// Rows per multi-row INSERT of deadlines (8 binds a row).
pub(crate) const DEADLINE_ROWS_PER_INSERT: usize = 300;

/// An event checked and encoded for insertion.
#[derive(Debug)]
pub(crate) struct EventRow {
    pub(crate) seq: i64,
    pub(crate) at: String,
    pub(crate) actors: String,
    pub(crate) action: String,
    pub(crate) body: String,
    pub(crate) prev_hash: String,
    pub(crate) hash: String,
}

/// A deadline checked and encoded for insertion.
#[derive(Debug)]
pub(crate) struct DeadlineDbRow {
    pub(crate) name: String,
    pub(crate) due: Option<String>,
    pub(crate) counting: String,
    pub(crate) articles: String,
    pub(crate) status: &'static str,
    pub(crate) error: Option<String>,
}

/// An append checked and encoded before it reaches a transaction, so the writer only binds.
#[derive(Debug)]
pub(crate) struct PreparedAppend {
    pub(crate) case_id: i64,
    pub(crate) expected: i64,
    pub(crate) first_prev: String,
    pub(crate) last_seq: i64,
    pub(crate) last_hash: String,
    pub(crate) events: Vec<EventRow>,
    pub(crate) state: String,
    pub(crate) deadlines: Option<Vec<DeadlineDbRow>>,
    pub(crate) documents: Vec<NewDocument>,
}

/// Insert `$rows` (`(case_id, &EventRow)` pairs) into `case_events` through `$tx`.
macro_rules! insert_events {
    ($tx:expr, $rows:expr, $recorded_at:expr) => {
        for chunk in $rows.chunks($crate::append_rows::EVENT_ROWS_PER_INSERT) {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO case_events (case_id, seq, at, recorded_at, actors, action, body, prev_hash, hash) ",
            );
            qb.push_values(chunk, |mut b, (case_id, e)| {
                b.push_bind(*case_id)
                    .push_bind(e.seq)
                    .push_bind(e.at.clone())
                    .push_bind($recorded_at)
                    .push_bind(e.actors.clone())
                    .push_bind(e.action.clone())
                    .push_bind(e.body.clone())
                    .push_bind(e.prev_hash.clone())
                    .push_bind(e.hash.clone());
            });
            qb.build().execute(&mut *$tx).await?;
        }
    };
}

/// Insert `$rows` (`(case_id, position, &DeadlineDbRow)`) into `case_deadlines`.
macro_rules! insert_deadlines {
    ($tx:expr, $rows:expr) => {
        for chunk in $rows.chunks($crate::append_rows::DEADLINE_ROWS_PER_INSERT) {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO case_deadlines (case_id, position, name, due, counting, articles, status, error) ",
            );
            qb.push_values(chunk, |mut b, (case_id, position, d)| {
                b.push_bind(*case_id)
                    .push_bind(*position)
                    .push_bind(d.name.clone())
                    .push_bind(d.due.clone())
                    .push_bind(d.counting.clone())
                    .push_bind(d.articles.clone())
                    .push_bind(d.status)
                    .push_bind(d.error.clone());
            });
            qb.build().execute(&mut *$tx).await?;
        }
    };
}

pub(crate) use insert_deadlines;
pub(crate) use insert_events;

/// `(case_id, position, row)` triples of one case's deadlines.
pub(crate) fn deadline_triples(case_id: i64, rows: &[DeadlineDbRow]) -> Vec<(i64, i64, &DeadlineDbRow)> {
    rows.iter().enumerate().map(|(i, d)| (case_id, i64::try_from(i).unwrap_or(i64::MAX), d)).collect()
}

/// What an append found at the case's head.
pub(crate) fn check_head(
    job: &PreparedAppend,
    head: Option<(i64, &str)>,
) -> std::result::Result<(), StoreError> {
    match head {
        None => Err(StoreError::NotFound(format!("case {}", job.case_id))),
        Some((seq, _)) if seq != job.expected => Err(StoreError::StaleHead {
            case: CaseId(job.case_id),
            expected: u64::try_from(job.expected).unwrap_or(0),
            head: u64::try_from(seq).unwrap_or(0),
        }),
        Some((_, hash)) if hash != job.first_prev => Err(StoreError::InvalidInput(format!(
            "案件 {} 第 {} 条事件的前一哈希与当前最后一条事件的哈希不符",
            job.case_id,
            job.expected + 1
        ))),
        Some(_) => Ok(()),
    }
}

/// Number (when it has a prefix) and insert each of `$docs` (`&[NewDocument]`) of case
/// `$case_id` in bureau `$bureau` through `$tx`; evaluates to `Vec<StoredDocument>`.
macro_rules! issue_documents {
    ($tx:expr, $case_id:expr, $bureau:expr, $docs:expr, $at:expr) => {{
        let mut out: Vec<$crate::StoredDocument> = Vec::with_capacity($docs.len());
        for d in $docs.iter() {
            let number: Option<i64> = match &d.prefix {
                None => None,
                Some(_) => Some(
                    $crate::row::RowExt::i64(
                        &sqlx::query(
                            "INSERT INTO document_counters (bureau_id, doc_type, year, last) VALUES ($1, $2, $3, 1) \
                             ON CONFLICT (bureau_id, doc_type, year) DO UPDATE SET last = document_counters.last + 1 \
                             RETURNING last",
                        )
                        .bind($bureau)
                        .bind(&d.doc_type)
                        .bind(i64::from(d.year))
                        .fetch_one(&mut *$tx)
                        .await?,
                        "last",
                    )?,
                ),
            };
            let number = number.map(|n| u32::try_from(n).unwrap_or(u32::MAX));
            let doc_no = match (&d.prefix, number) {
                (Some(p), Some(n)) => Some($crate::format_doc_no(p, d.year, n)),
                _ => None,
            };
            let id = $crate::row::RowExt::i64(
                &sqlx::query(
                    "INSERT INTO case_documents (case_id, bureau_id, event_seq, doc_type, year, number, doc_no, title, \
                     issued_at, fields) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind($case_id)
                .bind($bureau)
                .bind(i64::try_from(d.event_seq).unwrap_or(i64::MAX))
                .bind(&d.doc_type)
                .bind(i64::from(d.year))
                .bind(number.map(i64::from))
                .bind(&doc_no)
                .bind(&d.title)
                .bind($at)
                .bind(&d.fields)
                .fetch_one(&mut *$tx)
                .await?,
                "id",
            )?;
            out.push($crate::StoredDocument {
                id: $crate::DocumentId(id),
                case: $crate::CaseId($case_id),
                bureau: $crate::BureauId($bureau),
                event_seq: d.event_seq,
                doc_type: d.doc_type.clone(),
                year: d.year,
                number,
                doc_no,
                title: d.title.clone(),
                issued_at: $at,
                fields: d.fields.clone(),
            });
        }
        out
    }};
}

pub(crate) use issue_documents;
