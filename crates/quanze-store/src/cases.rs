//! Cases: their rows, append-only event logs and deadlines.
//!
//! Appends on PostgreSQL are one transaction each (the case row is locked with
//! `FOR UPDATE`). On SQLite they go through the group-commit writer (`appender.rs`), which
//! commits the appends that arrive together in one transaction.

use quanze_model::Date;

use crate::append_rows::{
    DeadlineDbRow, EventRow, PreparedAppend, check_head, deadline_triples, insert_deadlines, insert_events,
    issue_documents,
};
use crate::db::{Inner, read_pool, write_tx};
use crate::people::{json_strings, opt_date};
use crate::row::RowExt;
use crate::validate;
use crate::{
    AppendOutcome, AppendRequest, BureauId, CaseDeadline, CaseFilter, CaseId, CaseRecord, DeadlineRow,
    DeadlineStatus, EventKey, ItemId, NewCase, NewEvent, Paged, Result, Store, StoreError, StoredEvent,
    VersionId, now,
};

/// Largest page of [`Store::events_after`].
pub const MAX_EVENTS_PAGE: u32 = 10_000;
/// Longest case label accepted.
const MAX_LABEL_CHARS: usize = 200;

const CASE_COLUMNS: &str =
    "id, bureau_id, version_id, item_id, item_seq, procedure, label, opened_at, state, head_seq, head_hash";
const EVENT_COLUMNS: &str = "case_id, seq, at, recorded_at, actors, action, body, prev_hash, hash";

fn to_i64(what: &str, v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| StoreError::InvalidInput(format!("{what} {v} 超出范围")))
}

/// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`: text order is then time order.
fn check_at(at: &str) -> Result<()> {
    let bad = || StoreError::InvalidInput(format!("事件时间 {at:?} 不是 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM"));
    let date = at.get(..10).ok_or_else(bad)?;
    if at.as_bytes().get(4) != Some(&b'-') || Date::parse(date).is_none() || date.len() != 10 {
        return Err(bad());
    }
    match at.len() {
        10 => Ok(()),
        16 => {
            let b = at.as_bytes();
            let digits = |i: usize| b[i].is_ascii_digit() && b[i + 1].is_ascii_digit();
            let num = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
            if b[10] == b'T' && b[13] == b':' && digits(11) && digits(14) && num(11) < 24 && num(14) < 60 {
                Ok(())
            } else {
                Err(bad())
            }
        }
        _ => Err(bad()),
    }
}

/// Check a run of new events: seqs `first_seq`, `first_seq + 1`…, each `prev_hash` the
/// previous `hash`; encode them.
pub(crate) fn prepare_events(events: &[NewEvent], first_seq: u64) -> Result<Vec<EventRow>> {
    if events.is_empty() {
        return Err(StoreError::InvalidInput("没有要追加的事件".into()));
    }
    let mut rows = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        let want = first_seq + i as u64;
        if e.seq != want {
            return Err(StoreError::InvalidInput(format!("事件序号应为 {want}，实为 {}", e.seq)));
        }
        if i > 0 && e.prev_hash != events[i - 1].hash {
            return Err(StoreError::InvalidInput(format!(
                "第 {} 条事件的前一哈希与第 {} 条的哈希不符",
                e.seq,
                e.seq - 1
            )));
        }
        check_at(&e.at)?;
        if e.actors.is_empty() {
            return Err(StoreError::InvalidInput(format!("第 {} 条事件没有行为人", e.seq)));
        }
        for a in &e.actors {
            validate::no_nul("行为人", a)?;
        }
        validate::name("事件动作", &e.action, 100)?;
        validate::no_nul("事件内容", &e.body)?;
        validate::no_nul("前一哈希", &e.prev_hash)?;
        validate::name("事件哈希", &e.hash, 200)?;
        rows.push(EventRow {
            seq: to_i64("事件序号", e.seq)?,
            at: e.at.clone(),
            actors: serde_json::to_string(&e.actors)
                .map_err(|err| StoreError::InvalidInput(format!("行为人无法编码：{err}")))?,
            action: e.action.clone(),
            body: e.body.clone(),
            prev_hash: e.prev_hash.clone(),
            hash: e.hash.clone(),
        });
    }
    Ok(rows)
}

pub(crate) fn prepare_deadlines(deadlines: &[DeadlineRow]) -> Result<Vec<DeadlineDbRow>> {
    deadlines
        .iter()
        .map(|d| {
            validate::no_nul("期限名称", &d.name)?;
            validate::no_nul("计算方式", &d.counting)?;
            for a in &d.articles {
                validate::no_nul("期限依据", a)?;
            }
            if let Some(e) = &d.error {
                validate::no_nul("期限错误", e)?;
            }
            Ok(DeadlineDbRow {
                name: d.name.clone(),
                due: d.due.map(|d| d.to_string()),
                counting: d.counting.clone(),
                articles: serde_json::to_string(&d.articles)
                    .map_err(|e| StoreError::InvalidInput(format!("期限依据无法编码：{e}")))?,
                status: d.status.as_str(),
                error: d.error.clone(),
            })
        })
        .collect()
}

pub(crate) fn prepare_append(req: &AppendRequest) -> Result<PreparedAppend> {
    let events = prepare_events(&req.events, req.expected_head_seq + 1)?;
    validate::no_nul("案件状态", &req.new_state)?;
    let deadlines = req.deadlines.as_deref().map(prepare_deadlines).transpose()?;
    let last = events.last().ok_or_else(|| StoreError::InvalidInput("没有要追加的事件".into()))?;
    for d in &req.documents {
        crate::documents::check_document(d, req.expected_head_seq + 1, last.seq)?;
    }
    Ok(PreparedAppend {
        case_id: req.case_id.0,
        expected: to_i64("案件序号", req.expected_head_seq)?,
        first_prev: req.events[0].prev_hash.clone(),
        last_seq: last.seq,
        last_hash: last.hash.clone(),
        state: req.new_state.clone(),
        events,
        deadlines,
        documents: req.documents.clone(),
    })
}

fn case_from_row(row: &impl RowExt) -> Result<CaseRecord> {
    Ok(CaseRecord {
        id: CaseId(row.i64("id")?),
        bureau: BureauId(row.i64("bureau_id")?),
        version: VersionId(row.i64("version_id")?),
        item: ItemId(row.i64("item_id")?),
        item_seq: row.opt_u32("item_seq")?,
        procedure: row.string("procedure")?,
        label: row.string("label")?,
        opened_at: row.string("opened_at")?,
        state: row.string("state")?,
        head_seq: row.u64("head_seq")?,
        head_hash: row.string("head_hash")?,
    })
}

fn event_from_row(row: &impl RowExt) -> Result<StoredEvent> {
    Ok(StoredEvent {
        case: CaseId(row.i64("case_id")?),
        seq: row.u64("seq")?,
        at: row.string("at")?,
        recorded_at: row.i64("recorded_at")?,
        actors: json_strings("actors", &row.string("actors")?)?,
        action: row.string("action")?,
        body: row.string("body")?,
        prev_hash: row.string("prev_hash")?,
        hash: row.string("hash")?,
    })
}

fn deadline_from_row(row: &impl RowExt) -> Result<CaseDeadline> {
    let status = row.string("status")?;
    Ok(CaseDeadline {
        case: CaseId(row.i64("case_id")?),
        position: row.u32("position")?,
        deadline: DeadlineRow {
            name: row.string("name")?,
            due: opt_date("due", row.opt_string("due")?)?,
            counting: row.string("counting")?,
            articles: json_strings("articles", &row.string("articles")?)?,
            status: DeadlineStatus::from_str_opt(&status)
                .ok_or_else(|| StoreError::corrupt(format!("deadline status {status:?}")))?,
            error: row.opt_string("error")?,
        },
    })
}

impl Store {
    /// Create a case with its first event(s) and deadlines, in one transaction. The item
    /// must belong to the version and the version to the bureau; the label must be new in
    /// the bureau ([`StoreError::Conflict`] otherwise).
    pub async fn create_case(&self, case: &NewCase) -> Result<CaseRecord> {
        let label = validate::name("案件标识", &case.label, MAX_LABEL_CHARS)?;
        validate::name("程序", &case.procedure, 100)?;
        check_at(&case.opened_at)?;
        validate::no_nul("案件状态", &case.state)?;
        let events = prepare_events(&case.events, 1)?;
        let deadlines = prepare_deadlines(&case.deadlines)?;
        let (head_seq, head_hash) = match events.last() {
            Some(e) => (e.seq, e.hash.clone()),
            None => return Err(StoreError::InvalidInput("没有要追加的事件".into())),
        };
        let recorded_at = now();
        let result: Result<i64> = async {
            Ok(write_tx!(self, |tx, _pg| {
                let ok = sqlx::query(
                    "SELECT v.bureau_id FROM items i JOIN versions v ON v.id = i.version_id \
                     WHERE i.id = $1 AND i.version_id = $2 AND v.bureau_id = $3",
                )
                .bind(case.item.0)
                .bind(case.version.0)
                .bind(case.bureau.0)
                .fetch_optional(&mut *tx)
                .await?;
                if ok.is_none() {
                    return Err(StoreError::NotFound(format!(
                        "item {} of version {} of bureau {}",
                        case.item, case.version, case.bureau
                    )));
                }
                let id = sqlx::query(
                    "INSERT INTO cases (bureau_id, version_id, item_id, item_seq, procedure, label, opened_at, state, \
                     head_seq, head_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(case.bureau.0)
                .bind(case.version.0)
                .bind(case.item.0)
                .bind(case.item_seq.map(i64::from))
                .bind(&case.procedure)
                .bind(label)
                .bind(&case.opened_at)
                .bind(&case.state)
                .bind(head_seq)
                .bind(&head_hash)
                .fetch_one(&mut *tx)
                .await?
                .i64("id")?;
                let rows: Vec<(i64, &EventRow)> = events.iter().map(|e| (id, e)).collect();
                insert_events!(tx, rows, recorded_at);
                let rows = deadline_triples(id, &deadlines);
                insert_deadlines!(tx, rows);
                id
            }))
        }
        .await;
        let id = match result {
            Err(e) if e.is_unique_violation() => {
                return Err(StoreError::Conflict(format!("案件标识 {label} 在该局已存在")));
            }
            other => other?,
        };
        self.case(CaseId(id)).await?.ok_or_else(|| StoreError::NotFound(format!("case {id} just created")))
    }

    /// Append events to a case if its head is still `expected_head_seq`, replacing its
    /// deadlines when given, in one transaction; answered only once that is durable.
    /// [`StoreError::StaleHead`] when another append got there first (nothing written).
    ///
    /// On SQLite, appends that arrive together are committed together (group commit): one
    /// `fsync` for many appends. Each is still checked against the head as the earlier
    /// appends of the same commit left it, and a refused one does not affect the others.
    pub async fn append_events(&self, req: AppendRequest) -> Result<AppendOutcome> {
        let job = prepare_append(&req)?;
        match &self.inner {
            Inner::Sqlite(s) => s.appender.append(&s.write, job).await,
            Inner::Postgres(_) => self.append_one(job).await,
        }
    }

    /// One append in its own transaction (PostgreSQL; SQLite when a batch must be redone
    /// one by one).
    pub(crate) async fn append_one(&self, job: PreparedAppend) -> Result<AppendOutcome> {
        let recorded_at = now();
        let result: Result<Vec<crate::StoredDocument>> = async {
            Ok(write_tx!(self, |tx, pg| {
                let sql = if pg {
                    "SELECT head_seq, head_hash, bureau_id FROM cases WHERE id = $1 FOR UPDATE"
                } else {
                    "SELECT head_seq, head_hash, bureau_id FROM cases WHERE id = $1"
                };
                let head = sqlx::query(sql).bind(job.case_id).fetch_optional(&mut *tx).await?;
                let (head, bureau) = match head {
                    Some(r) => (Some((r.i64("head_seq")?, r.string("head_hash")?)), r.i64("bureau_id")?),
                    None => (None, 0),
                };
                check_head(&job, head.as_ref().map(|(s, h)| (*s, h.as_str())))?;
                let rows: Vec<(i64, &EventRow)> = job.events.iter().map(|e| (job.case_id, e)).collect();
                insert_events!(tx, rows, recorded_at);
                sqlx::query("UPDATE cases SET state = $2, head_seq = $3, head_hash = $4 WHERE id = $1")
                    .bind(job.case_id)
                    .bind(&job.state)
                    .bind(job.last_seq)
                    .bind(&job.last_hash)
                    .execute(&mut *tx)
                    .await?;
                if let Some(deadlines) = &job.deadlines {
                    sqlx::query("DELETE FROM case_deadlines WHERE case_id = $1")
                        .bind(job.case_id)
                        .execute(&mut *tx)
                        .await?;
                    let rows = deadline_triples(job.case_id, deadlines);
                    insert_deadlines!(tx, rows);
                }
                issue_documents!(tx, job.case_id, bureau, job.documents, recorded_at)
            }))
        }
        .await;
        match result {
            Ok(documents) => Ok(AppendOutcome {
                case_id: CaseId(job.case_id),
                head_seq: u64::try_from(job.last_seq).unwrap_or(0),
                head_hash: job.last_hash,
                recorded_at,
                documents,
            }),
            // UNIQUE(case_id, seq) is the last line: a head check cannot be skipped by a race.
            Err(e) if e.is_unique_violation() => {
                let head = self.case(CaseId(job.case_id)).await?.map(|c| c.head_seq).unwrap_or(0);
                Err(StoreError::StaleHead {
                    case: CaseId(job.case_id),
                    expected: u64::try_from(job.expected).unwrap_or(0),
                    head,
                })
            }
            Err(e) => Err(e),
        }
    }

    /// The case with this id.
    pub async fn case(&self, id: CaseId) -> Result<Option<CaseRecord>> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1");
        read_pool!(self, |pool| {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(id.0).fetch_optional(pool).await?;
            row.as_ref().map(case_from_row).transpose()
        })
    }

    /// The case of `bureau` labelled exactly `label` (after trimming).
    pub async fn case_by_label(&self, bureau: BureauId, label: &str) -> Result<Option<CaseRecord>> {
        validate::no_nul("案件标识", label)?;
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE bureau_id = $1 AND label = $2");
        read_pool!(self, |pool| {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(bureau.0)
                .bind(label.trim())
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(case_from_row).transpose()
        })
    }

    /// Cases by id, filtered by bureau and state, one page with the total.
    pub async fn cases(&self, filter: &CaseFilter) -> Result<Paged<CaseRecord>> {
        if let Some(s) = &filter.state {
            validate::no_nul("案件状态", s)?;
        }
        let bureau = filter.bureau.map(|b| b.0);
        let state = filter.state.clone();
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE ($1 IS NULL OR bureau_id = $1) AND ($2 IS NULL OR state = $2) \
             ORDER BY id LIMIT $3 OFFSET $4"
        );
        let count = "SELECT COUNT(*) AS n FROM cases WHERE ($1 IS NULL OR bureau_id = $1) AND ($2 IS NULL OR state = $2)";
        read_pool!(self, |pool| {
            let total = sqlx::query(count).bind(bureau).bind(&state).fetch_one(pool).await?.u64("n")?;
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(bureau)
                .bind(&state)
                .bind(filter.page.clamped_limit())
                .bind(filter.page.offset_i64())
                .fetch_all(pool)
                .await?;
            Ok(Paged { total, rows: rows.iter().map(case_from_row).collect::<Result<Vec<_>>>()? })
        })
    }

    /// A case's events, in seq order.
    pub async fn case_events(&self, case: CaseId) -> Result<Vec<StoredEvent>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM case_events WHERE case_id = $1 ORDER BY seq");
        read_pool!(self, |pool| {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(case.0).fetch_all(pool).await?;
            rows.iter().map(event_from_row).collect()
        })
    }

    /// Events of every case in (case, seq) order, after `after` (`None`: from the start), at
    /// most `limit` (clamped to 1..=[`MAX_EVENTS_PAGE`]). Continue from the last one read;
    /// an empty page is the end. For verifying or folding a whole database.
    pub async fn events_after(&self, after: Option<EventKey>, limit: u32) -> Result<Vec<StoredEvent>> {
        let limit = i64::from(limit.clamp(1, MAX_EVENTS_PAGE));
        let (case, seq) = match after {
            None => (i64::MIN, i64::MIN),
            Some(k) => (k.case.0, to_i64("事件序号", k.seq)?),
        };
        // Row-value comparison is in both dialects and uses the primary key.
        match &self.inner {
            Inner::Sqlite(s) => {
                // One row per page instead of one per event: sqlx-sqlite hands every row from
                // its worker thread to the caller one by one, which made reading a
                // 1,000,000-event log several times slower than decoding one JSON array.
                // Each value is a JSON string or number, so every text comes back exactly.
                let row = sqlx::query(
                    "SELECT json_group_array(json_array(case_id, seq, at, recorded_at, actors, action, body, \
                     prev_hash, hash)) AS page FROM (SELECT * FROM case_events WHERE (case_id, seq) > ($1, $2) \
                     ORDER BY case_id, seq LIMIT $3)",
                )
                .bind(case)
                .bind(seq)
                .bind(limit)
                .fetch_one(&s.read)
                .await?;
                type Raw = (i64, i64, String, i64, String, String, String, String, String);
                let raw: Vec<Raw> = serde_json::from_str(&row.string("page")?)
                    .map_err(|e| StoreError::corrupt(format!("case_events page: {e}")))?;
                let mut events = raw
                    .into_iter()
                    .map(|(case, seq, at, recorded_at, actors, action, body, prev_hash, hash)| {
                        Ok(StoredEvent {
                            case: CaseId(case),
                            seq: u64::try_from(seq)
                                .map_err(|_| StoreError::corrupt(format!("event seq {seq}")))?,
                            at,
                            recorded_at,
                            actors: json_strings("actors", &actors)?,
                            action,
                            body,
                            prev_hash,
                            hash,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                // The aggregate follows the subquery's order; sorting is the guarantee.
                if !events.windows(2).all(|w| (w[0].case, w[0].seq) < (w[1].case, w[1].seq)) {
                    events.sort_by_key(|e| (e.case, e.seq));
                }
                Ok(events)
            }
            Inner::Postgres(pool) => {
                let sql = format!(
                    "SELECT {EVENT_COLUMNS} FROM case_events WHERE (case_id, seq) > ($1, $2) \
                     ORDER BY case_id, seq LIMIT $3"
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(case)
                    .bind(seq)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?;
                rows.iter().map(event_from_row).collect()
            }
        }
    }

    /// A case's deadlines, in the order the engine gave them.
    pub async fn deadlines(&self, case: CaseId) -> Result<Vec<DeadlineRow>> {
        read_pool!(self, |pool| {
            let rows = sqlx::query(
                "SELECT case_id, position, name, due, counting, articles, status, error FROM case_deadlines \
                 WHERE case_id = $1 ORDER BY position",
            )
            .bind(case.0)
            .fetch_all(pool)
            .await?;
            rows.iter().map(|r| deadline_from_row(r).map(|d| d.deadline)).collect()
        })
    }

    /// Open deadlines due on or before `on`, earliest first: what a poller acts on (also
    /// those that passed while quanze was stopped).
    pub async fn due_deadlines(&self, on: Date) -> Result<Vec<CaseDeadline>> {
        read_pool!(self, |pool| {
            let rows = sqlx::query(
                "SELECT case_id, position, name, due, counting, articles, status, error FROM case_deadlines \
                 WHERE status = 'open' AND due <= $1 ORDER BY due, case_id, position",
            )
            .bind(on.to_string())
            .fetch_all(pool)
            .await?;
            rows.iter().map(deadline_from_row).collect()
        })
    }

    /// Replace a case's deadlines without appending an event: what the poller writes when a
    /// deadline's status changes with the day (open → missed). `head_seq` is the head the
    /// deadlines were computed from; if the case moved on since, nothing is written and the
    /// answer is [`StoreError::StaleHead`] (the append that moved it wrote fresher ones).
    pub async fn update_deadlines(
        &self,
        case: CaseId,
        head_seq: u64,
        deadlines: &[DeadlineRow],
    ) -> Result<()> {
        let expected = to_i64("事件序号", head_seq)?;
        let rows = prepare_deadlines(deadlines)?;
        write_tx!(self, |tx, _pg| {
            let head: Option<i64> = sqlx::query_scalar("SELECT head_seq FROM cases WHERE id = $1")
                .bind(case.0)
                .fetch_optional(&mut *tx)
                .await?;
            match head {
                None => return Err(StoreError::NotFound(format!("案件 {} 不存在", case.0))),
                Some(h) if h != expected => {
                    return Err(StoreError::StaleHead {
                        case,
                        expected: head_seq,
                        head: u64::try_from(h).unwrap_or(0),
                    });
                }
                Some(_) => {}
            }
            sqlx::query("DELETE FROM case_deadlines WHERE case_id = $1")
                .bind(case.0)
                .execute(&mut *tx)
                .await?;
            let triples = deadline_triples(case.0, &rows);
            insert_deadlines!(tx, triples);
        });
        Ok(())
    }

    /// Overwrite one stored event's body behind the engine's back, to test that
    /// verification finds it. Never use it for anything else: the log is append-only.
    #[doc(hidden)]
    pub async fn tamper_event_body_for_tests(&self, case: CaseId, seq: u64, body: &str) -> Result<bool> {
        let seq = to_i64("事件序号", seq)?;
        let n = write_tx!(self, |tx, _pg| {
            sqlx::query("UPDATE case_events SET body = $3 WHERE case_id = $1 AND seq = $2")
                .bind(case.0)
                .bind(seq)
                .bind(body)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        });
        Ok(n == 1)
    }
}
