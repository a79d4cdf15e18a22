//! Issued documents (文书) with their 文号, and publications (行政执法公示).
//!
//! A numbered document is issued only inside the transaction that appends its event
//! ([`crate::Store::append_events`] with [`crate::AppendRequest::documents`]): the counter row
//! of (bureau, type, year) is bumped by `INSERT … ON CONFLICT DO UPDATE … RETURNING`, which
//! on PostgreSQL locks that row until the transaction ends and on SQLite runs inside the one
//! write transaction. A rolled-back append gives its number back, so numbers stay 1..n
//! without gaps or duplicates (`UNIQUE (bureau_id, doc_type, year, number)` backs it).

use quanze_model::Date;

use crate::db::{read_pool, write_tx};
use crate::people::opt_date;
use crate::row::RowExt;
use crate::validate;
use crate::{
    BureauId, CaseId, DocumentId, NewDocument, NewPublication, PersonId, Publication, PublicationId, Result,
    Store, StoreError, StoredDocument, Timestamp,
};

/// Longest document title and 文号 prefix accepted.
const MAX_TITLE_CHARS: usize = 100;

/// Check a document of an append whose events run `first..=last`.
pub(crate) fn check_document(d: &NewDocument, first: u64, last: i64) -> Result<()> {
    let last = u64::try_from(last).unwrap_or(0);
    if d.event_seq < first || d.event_seq > last {
        return Err(StoreError::InvalidInput(format!(
            "文书「{}」所属事件序号 {} 不在本次追加的事件 {first}–{last} 之内",
            d.title, d.event_seq
        )));
    }
    validate::name("文书类型", &d.doc_type, MAX_TITLE_CHARS)?;
    validate::name("文书标题", &d.title, MAX_TITLE_CHARS)?;
    if let Some(p) = &d.prefix {
        validate::name("文号前缀", p, MAX_TITLE_CHARS)?;
    }
    if !(1000..=9999).contains(&d.year) {
        return Err(StoreError::InvalidInput(format!("文号年份 {} 无效", d.year)));
    }
    validate::no_nul("文书内容", &d.fields)?;
    match serde_json::from_str::<serde_json::Value>(&d.fields) {
        Ok(serde_json::Value::Object(_)) => Ok(()),
        _ => Err(StoreError::InvalidInput(format!("文书「{}」的内容不是 JSON 对象", d.title))),
    }
}

const DOCUMENT_COLUMNS: &str =
    "id, case_id, bureau_id, event_seq, doc_type, year, number, doc_no, title, issued_at, fields";
const PUBLICATION_COLUMNS: &str = "id, case_id, bureau_id, document_id, decided_on, due, published_at, body, \
     retracted_at, retracted_by, retract_reason";

fn document_from_row(row: &impl RowExt) -> Result<StoredDocument> {
    let year = row.i64("year")?;
    Ok(StoredDocument {
        id: DocumentId(row.i64("id")?),
        case: CaseId(row.i64("case_id")?),
        bureau: BureauId(row.i64("bureau_id")?),
        event_seq: row.u64("event_seq")?,
        doc_type: row.string("doc_type")?,
        year: i32::try_from(year).map_err(|_| StoreError::corrupt(format!("document year {year}")))?,
        number: row.opt_u32("number")?,
        doc_no: row.opt_string("doc_no")?,
        title: row.string("title")?,
        issued_at: row.i64("issued_at")?,
        fields: row.string("fields")?,
    })
}

fn publication_from_row(row: &impl RowExt) -> Result<Publication> {
    Ok(Publication {
        id: PublicationId(row.i64("id")?),
        case: CaseId(row.i64("case_id")?),
        bureau: BureauId(row.i64("bureau_id")?),
        document: row.opt_i64("document_id")?.map(DocumentId),
        decided_on: opt_date("decided_on", Some(row.string("decided_on")?))?
            .ok_or_else(|| StoreError::corrupt("publication without a decision date"))?,
        due: opt_date("due", row.opt_string("due")?)?,
        published_at: row.opt_i64("published_at")?,
        body: row.string("body")?,
        retracted_at: row.opt_i64("retracted_at")?,
        retracted_by: row.opt_i64("retracted_by")?.map(PersonId),
        retract_reason: row.opt_string("retract_reason")?,
    })
}

impl Store {
    /// A case's documents in the order they were issued.
    pub async fn case_documents(&self, case: CaseId) -> Result<Vec<StoredDocument>> {
        let sql = format!("SELECT {DOCUMENT_COLUMNS} FROM case_documents WHERE case_id = $1 ORDER BY id");
        read_pool!(self, |pool| {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(case.0).fetch_all(pool).await?;
            rows.iter().map(document_from_row).collect()
        })
    }

    /// One document.
    pub async fn document(&self, id: DocumentId) -> Result<Option<StoredDocument>> {
        let sql = format!("SELECT {DOCUMENT_COLUMNS} FROM case_documents WHERE id = $1");
        read_pool!(self, |pool| {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(id.0).fetch_optional(pool).await?;
            row.as_ref().map(document_from_row).transpose()
        })
    }

    /// The numbers issued for (bureau, type, year), ascending: what a gap check reads.
    pub async fn document_numbers(&self, bureau: BureauId, doc_type: &str, year: i32) -> Result<Vec<u32>> {
        validate::no_nul("文书类型", doc_type)?;
        read_pool!(self, |pool| {
            let rows = sqlx::query(
                "SELECT number FROM case_documents WHERE bureau_id = $1 AND doc_type = $2 AND year = $3 \
                 AND number IS NOT NULL ORDER BY number",
            )
            .bind(bureau.0)
            .bind(doc_type)
            .bind(i64::from(year))
            .fetch_all(pool)
            .await?;
            rows.iter().map(|r| r.u32("number")).collect()
        })
    }

    /// Create a publication of a decision (at most one per document).
    pub async fn add_publication(&self, p: &NewPublication) -> Result<Publication> {
        validate::no_nul("公示内容", &p.body)?;
        serde_json::from_str::<serde_json::Value>(&p.body)
            .map_err(|e| StoreError::InvalidInput(format!("公示内容不是有效的 JSON：{e}")))?;
        let result: Result<i64> = async {
            Ok(write_tx!(self, |tx, _pg| {
                let bureau = sqlx::query("SELECT bureau_id FROM cases WHERE id = $1")
                    .bind(p.case.0)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| StoreError::NotFound(format!("案件 {} 不存在", p.case.0)))?
                    .i64("bureau_id")?;
                sqlx::query(
                    "INSERT INTO publications (case_id, bureau_id, document_id, decided_on, due, published_at, body) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(p.case.0)
                .bind(bureau)
                .bind(p.document.map(|d| d.0))
                .bind(p.decided_on.to_string())
                .bind(p.due.map(|d| d.to_string()))
                .bind(p.published_at)
                .bind(&p.body)
                .fetch_one(&mut *tx)
                .await?
                .i64("id")?
            }))
        }
        .await;
        let id = match result {
            Err(e) if e.is_unique_violation() => {
                return Err(StoreError::Conflict("该文书已有公示记录".into()));
            }
            other => other?,
        };
        self.publication(PublicationId(id))
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("publication {id} just added")))
    }

    /// One publication.
    pub async fn publication(&self, id: PublicationId) -> Result<Option<Publication>> {
        let sql = format!("SELECT {PUBLICATION_COLUMNS} FROM publications WHERE id = $1");
        read_pool!(self, |pool| {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(id.0).fetch_optional(pool).await?;
            row.as_ref().map(publication_from_row).transpose()
        })
    }

    /// Publications of a case, oldest first.
    pub async fn case_publications(&self, case: CaseId) -> Result<Vec<Publication>> {
        let sql = format!("SELECT {PUBLICATION_COLUMNS} FROM publications WHERE case_id = $1 ORDER BY id");
        read_pool!(self, |pool| {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(case.0).fetch_all(pool).await?;
            rows.iter().map(publication_from_row).collect()
        })
    }

    /// What the public sees: published, not retracted, of `bureau` (`None`: all), newest
    /// first.
    pub async fn public_publications(&self, bureau: Option<BureauId>) -> Result<Vec<Publication>> {
        let sql = format!(
            "SELECT {PUBLICATION_COLUMNS} FROM publications WHERE ($1 IS NULL OR bureau_id = $1) \
             AND published_at IS NOT NULL AND retracted_at IS NULL ORDER BY published_at DESC, id DESC"
        );
        read_pool!(self, |pool| {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(bureau.map(|b| b.0))
                .fetch_all(pool)
                .await?;
            rows.iter().map(publication_from_row).collect()
        })
    }

    /// Unpublished, unretracted publications due on or before `on` (a poller's list).
    pub async fn publications_due(&self, on: Date) -> Result<Vec<Publication>> {
        let sql = format!(
            "SELECT {PUBLICATION_COLUMNS} FROM publications WHERE published_at IS NULL AND retracted_at IS NULL \
             AND due <= $1 ORDER BY due, id"
        );
        read_pool!(self, |pool| {
            let rows =
                sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(on.to_string()).fetch_all(pool).await?;
            rows.iter().map(publication_from_row).collect()
        })
    }

    /// Publish now (once: publishing again keeps the first time).
    pub async fn publish(&self, id: PublicationId, at: Timestamp) -> Result<Publication> {
        let n = write_tx!(self, |tx, _pg| {
            sqlx::query("UPDATE publications SET published_at = COALESCE(published_at, $2) WHERE id = $1")
                .bind(id.0)
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound(format!("公示 {} 不存在", id.0)));
        }
        self.publication(id).await?.ok_or_else(|| StoreError::NotFound(format!("公示 {} 不存在", id.0)))
    }

    /// Retract a publication with a reason; [`StoreError::Conflict`] when already retracted.
    pub async fn retract_publication(
        &self,
        id: PublicationId,
        by: Option<PersonId>,
        reason: &str,
        at: Timestamp,
    ) -> Result<Publication> {
        let reason = validate::name("撤回理由", reason, 2000)?;
        let n = write_tx!(self, |tx, _pg| {
            sqlx::query(
                "UPDATE publications SET retracted_at = $2, retracted_by = $3, retract_reason = $4 \
                 WHERE id = $1 AND retracted_at IS NULL",
            )
            .bind(id.0)
            .bind(at)
            .bind(by.map(|p| p.0))
            .bind(reason)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        });
        let p = self
            .publication(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("公示 {} 不存在", id.0)))?;
        if n == 0 {
            return Err(StoreError::Conflict(format!("公示 {} 已撤回", id.0)));
        }
        Ok(p)
    }
}
