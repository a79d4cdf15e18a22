//! Alerts of electronic supervision (电子监察): one row per alert with a cache of where it
//! stands, and its append-only, hash-chained log in `alert_entries`.
//!
//! The store keeps rows: the rules that raise alerts, the lifecycle that decides which entry
//! may follow which, and the hashes are `quanze-supervise`'s, run by `quanze-casework`. As for
//! case events, an append names the head it was folded from; when another writer moved it
//! the answer is [`StoreError::StaleHead`] (or [`StoreError::Conflict`] when the alert was
//! raised meanwhile) and nothing is written.
//!
//! A 监察建议书 is numbered like every other document: the counter of (bureau,
//! `supervision_notice`, year) in `document_counters` is bumped in the transaction that
//! appends the entry issuing it, so a rolled-back append gives its number back.

use quanze_model::Date;

use crate::db::{read_pool, write_tx};
use crate::people::opt_date;
use crate::row::RowExt;
use crate::validate;
use crate::{BureauId, CaseId, ItemId, Page, Paged, PersonId, Result, Store, StoreError, Timestamp, now};

/// The id of a stored alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct AlertId(pub i64);

impl std::fmt::Display for AlertId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The document type under which 监察建议书 are counted in `document_counters`.
pub const NOTICE_DOC_TYPE: &str = "supervision_notice";

macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }

            pub fn from_str_opt(s: &str) -> Option<$name> {
                match s { $($s => Some($name::$v),)+ _ => None }
            }
        }
    };
}

text_enum!(
    /// How grave an alert is (quanze-supervise's `Level`).
    AlertLevel { Notice = "notice", Yellow = "yellow", Red = "red", Breach = "breach" }
);
text_enum!(
    /// Where an alert stands.
    AlertState { Open = "open", Acknowledged = "acknowledged", Resolved = "resolved" }
);
text_enum!(
    /// How far an unresolved alert was escalated (催办, then 督办).
    AlertEscalation { None = "none", Reminded = "reminded", Supervised = "supervised" }
);

/// What an alert's log folds to, written with every append (the listing columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertCache {
    pub level: AlertLevel,
    pub status: AlertState,
    pub escalation: AlertEscalation,
    /// The alert's message, in Chinese.
    pub message: String,
    /// The day the condition arose.
    pub arose_on: Date,
    /// The day the alert was last (re)opened.
    pub opened_on: Date,
    pub resolved_on: Option<Date>,
    /// A person id, or `system`.
    pub resolved_by: Option<String>,
    /// The last 监察建议书's number.
    pub notice_no: Option<String>,
    /// Its reply deadline while no reply is recorded.
    pub notice_due: Option<Date>,
    /// The whole fold as JSON (`quanze_supervise::AlertRecord`).
    pub record: String,
}

/// One entry to append. The caller computes `hash` over `prev_hash` and `body`; the store
/// keeps every field as given and checks only the chain's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlertEntry {
    pub seq: u64,
    pub at: Date,
    /// A person id, or `system`.
    pub actor: String,
    pub action: String,
    pub body: String,
    pub prev_hash: String,
    pub hash: String,
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAlertEntry {
    pub alert: AlertId,
    pub seq: u64,
    pub at: Date,
    pub recorded_at: Timestamp,
    pub actor: String,
    pub action: String,
    pub body: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The entries of one append and the cache they fold to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertWrite {
    pub entries: Vec<NewAlertEntry>,
    pub cache: AlertCache,
}

/// Which alert an append is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertTarget {
    /// A new alert of a case (its first entry raises it).
    New { case: CaseId, key: String, rule: String },
    /// A stored alert whose head the caller folded.
    Existing { id: AlertId, head_seq: u64 },
}

/// Number a 监察建议书 in the append's transaction: `{prefix}〔{year}〕{n}号`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeNumbering {
    /// `汤医保监建`.
    pub prefix: String,
    pub year: i32,
}

/// What an append wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertHead {
    pub id: AlertId,
    pub case: CaseId,
    pub head_seq: u64,
    pub head_hash: String,
    /// The 监察建议书 number issued, when numbering was asked for.
    pub notice_no: Option<String>,
}

/// A stored alert with what a listing shows of its case (the case's label, its item, its
/// current 承办人 and office). No party, no facts: supervisors see the alert and its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRow {
    pub id: AlertId,
    pub case: CaseId,
    pub bureau: BureauId,
    pub bureau_name: String,
    pub key: String,
    pub rule: String,
    pub level: AlertLevel,
    pub status: AlertState,
    pub escalation: AlertEscalation,
    pub message: String,
    pub arose_on: Date,
    pub raised_on: Date,
    pub opened_on: Date,
    pub resolved_on: Option<Date>,
    pub resolved_by: Option<String>,
    pub notice_no: Option<String>,
    pub notice_due: Option<Date>,
    pub record: String,
    pub head_seq: u64,
    pub head_hash: String,
    pub case_label: String,
    pub case_state: String,
    pub procedure: String,
    pub item: ItemId,
    pub item_seq: Option<u32>,
    pub item_name: String,
    /// The case's first current 承办人.
    pub officer: Option<PersonId>,
    pub officer_name: Option<String>,
    pub office: Option<String>,
}

/// Which alerts to list. Every field narrows; `None` does not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertFilter {
    /// Only these bureaus (`None`: all; `Some(vec![])`: none).
    pub bureaus: Option<Vec<BureauId>>,
    pub case: Option<CaseId>,
    /// Cases whose current 承办人 is this person.
    pub officer: Option<PersonId>,
    /// Cases whose first current 承办人 is of this office (科室).
    pub office: Option<String>,
    /// Items of this name (an item keeps its name across versions).
    pub item_name: Option<String>,
    pub rule: Option<String>,
    pub level: Option<AlertLevel>,
    pub status: Option<AlertState>,
    /// Open or acknowledged.
    pub unresolved: bool,
    /// The condition arose on or after / on or before.
    pub arose_from: Option<Date>,
    pub arose_to: Option<Date>,
    pub page: Page,
}

/// What the figures of supervision need of a case: when it was opened and, once its state
/// is terminal, the day of its last event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseTimes {
    pub case: CaseId,
    pub bureau: BureauId,
    pub procedure: String,
    pub state: String,
    /// `YYYY-MM-DD…` as stored.
    pub opened_at: String,
    /// The `at` of the case's last event.
    pub last_at: String,
}

const ALERT_SELECT: &str = "SELECT a.id, a.case_id, a.bureau_id, b.name AS bureau_name, a.alert_key, a.rule, a.level, \
     a.status, a.escalation, a.message, a.arose_on, a.raised_on, a.opened_on, a.resolved_on, a.resolved_by, \
     a.notice_no, a.notice_due, a.record, a.head_seq, a.head_hash, c.label AS case_label, c.state AS case_state, \
     c.procedure, c.item_id, i.seq AS item_seq, i.name AS item_name, p.id AS officer_id, p.name AS officer_name, \
     p.office AS office \
     FROM alerts a JOIN cases c ON c.id = a.case_id JOIN bureaus b ON b.id = a.bureau_id \
     JOIN items i ON i.id = c.item_id \
     LEFT JOIN people p ON p.id = (SELECT ca.person_id FROM case_assignments ca WHERE ca.case_id = a.case_id \
     AND ca.duty = 'handler' AND ca.ended_at IS NULL ORDER BY ca.id LIMIT 1)";

fn date(col: &str, text: String) -> Result<Date> {
    opt_date(col, Some(text))?.ok_or_else(|| StoreError::corrupt(format!("column {col} is empty")))
}

fn parsed<T>(col: &str, text: &str, f: fn(&str) -> Option<T>) -> Result<T> {
    f(text).ok_or_else(|| StoreError::corrupt(format!("column {col} = {text:?}")))
}

fn alert_from_row(row: &impl RowExt) -> Result<AlertRow> {
    Ok(AlertRow {
        id: AlertId(row.i64("id")?),
        case: CaseId(row.i64("case_id")?),
        bureau: BureauId(row.i64("bureau_id")?),
        bureau_name: row.string("bureau_name")?,
        key: row.string("alert_key")?,
        rule: row.string("rule")?,
        level: parsed("level", &row.string("level")?, AlertLevel::from_str_opt)?,
        status: parsed("status", &row.string("status")?, AlertState::from_str_opt)?,
        escalation: parsed("escalation", &row.string("escalation")?, AlertEscalation::from_str_opt)?,
        message: row.string("message")?,
        arose_on: date("arose_on", row.string("arose_on")?)?,
        raised_on: date("raised_on", row.string("raised_on")?)?,
        opened_on: date("opened_on", row.string("opened_on")?)?,
        resolved_on: opt_date("resolved_on", row.opt_string("resolved_on")?)?,
        resolved_by: row.opt_string("resolved_by")?,
        notice_no: row.opt_string("notice_no")?,
        notice_due: opt_date("notice_due", row.opt_string("notice_due")?)?,
        record: row.string("record")?,
        head_seq: row.u64("head_seq")?,
        head_hash: row.string("head_hash")?,
        case_label: row.string("case_label")?,
        case_state: row.string("case_state")?,
        procedure: row.string("procedure")?,
        item: ItemId(row.i64("item_id")?),
        item_seq: row.opt_u32("item_seq")?,
        item_name: row.string("item_name")?,
        officer: row.opt_i64("officer_id")?.map(PersonId),
        officer_name: row.opt_string("officer_name")?,
        office: row.opt_string("office")?,
    })
}

fn entry_from_row(row: &impl RowExt) -> Result<StoredAlertEntry> {
    Ok(StoredAlertEntry {
        alert: AlertId(row.i64("alert_id")?),
        seq: row.u64("seq")?,
        at: date("at", row.string("at")?)?,
        recorded_at: row.i64("recorded_at")?,
        actor: row.string("actor")?,
        action: row.string("action")?,
        body: row.string("body")?,
        prev_hash: row.string("prev_hash")?,
        hash: row.string("hash")?,
    })
}

/// Check a run of entries: seqs `first`, `first + 1`…, each `prev_hash` the previous
/// `hash`, the first's `prev_hash` the head's (when there is one).
fn check_entries(entries: &[NewAlertEntry], first: u64, head_hash: Option<&str>) -> Result<()> {
    let Some(e0) = entries.first() else {
        return Err(StoreError::InvalidInput("没有要追加的预警记录".into()));
    };
    if let Some(h) = head_hash
        && e0.prev_hash != h
    {
        return Err(StoreError::InvalidInput(format!(
            "预警记录第 {} 条的前一哈希与当前最后一条不符",
            e0.seq
        )));
    }
    for (i, e) in entries.iter().enumerate() {
        let want = first + i as u64;
        if e.seq != want {
            return Err(StoreError::InvalidInput(format!("预警记录序号应为 {want}，实为 {}", e.seq)));
        }
        if i > 0 && e.prev_hash != entries[i - 1].hash {
            return Err(StoreError::InvalidInput(format!("预警记录第 {} 条的前一哈希与上一条不符", e.seq)));
        }
        validate::name("预警记录人", &e.actor, 100)?;
        validate::name("预警记录动作", &e.action, 100)?;
        validate::no_nul("预警记录内容", &e.body)?;
        validate::no_nul("前一哈希", &e.prev_hash)?;
        validate::name("预警记录哈希", &e.hash, 200)?;
    }
    Ok(())
}

fn check_cache(c: &AlertCache) -> Result<()> {
    validate::no_nul("预警内容", &c.message)?;
    validate::no_nul("预警记录", &c.record)?;
    for (field, v) in [("办结人", &c.resolved_by), ("监察建议书编号", &c.notice_no)] {
        if let Some(v) = v {
            validate::no_nul(field, v)?;
        }
    }
    Ok(())
}

fn to_i64(what: &str, v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| StoreError::InvalidInput(format!("{what} {v} 超出范围")))
}

/// Insert `$entries` of alert `$id` through `$tx`.
macro_rules! insert_entries {
    ($tx:expr, $id:expr, $entries:expr, $recorded_at:expr) => {
        for e in $entries.iter() {
            sqlx::query(
                "INSERT INTO alert_entries (alert_id, seq, at, recorded_at, actor, action, body, prev_hash, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind($id)
            .bind(to_i64("预警记录序号", e.seq)?)
            .bind(e.at.to_string())
            .bind($recorded_at)
            .bind(&e.actor)
            .bind(&e.action)
            .bind(&e.body)
            .bind(&e.prev_hash)
            .bind(&e.hash)
            .execute(&mut *$tx)
            .await?;
        }
    };
}

/// Push the WHERE clause of `f` onto `qb` (after a `WHERE 1 = 1`).
macro_rules! push_filter {
    ($qb:expr, $f:expr) => {{
        let f: &AlertFilter = $f;
        if let Some(bureaus) = &f.bureaus {
            if bureaus.is_empty() {
                $qb.push(" AND 1 = 0");
            } else {
                $qb.push(" AND a.bureau_id IN (");
                let mut list = $qb.separated(", ");
                for b in bureaus {
                    list.push_bind(b.0);
                }
                $qb.push(")");
            }
        }
        if let Some(c) = f.case {
            $qb.push(" AND a.case_id = ").push_bind(c.0);
        }
        if let Some(p) = f.officer {
            $qb.push(
                " AND EXISTS (SELECT 1 FROM case_assignments ca2 WHERE ca2.case_id = a.case_id AND ca2.duty = 'handler' \
                 AND ca2.ended_at IS NULL AND ca2.person_id = ",
            )
            .push_bind(p.0)
            .push(")");
        }
        if let Some(o) = &f.office {
            $qb.push(" AND p.office = ").push_bind(o.clone());
        }
        if let Some(n) = &f.item_name {
            $qb.push(" AND i.name = ").push_bind(n.clone());
        }
        if let Some(r) = &f.rule {
            $qb.push(" AND a.rule = ").push_bind(r.clone());
        }
        if let Some(l) = f.level {
            $qb.push(" AND a.level = ").push_bind(l.as_str());
        }
        if let Some(s) = f.status {
            $qb.push(" AND a.status = ").push_bind(s.as_str());
        }
        if f.unresolved {
            $qb.push(" AND a.status <> 'resolved'");
        }
        if let Some(d) = f.arose_from {
            $qb.push(" AND a.arose_on >= ").push_bind(d.to_string());
        }
        if let Some(d) = f.arose_to {
            $qb.push(" AND a.arose_on <= ").push_bind(d.to_string());
        }
    }};
}

fn check_filter(f: &AlertFilter) -> Result<()> {
    for (field, v) in [("科室", &f.office), ("事项名称", &f.item_name), ("规则", &f.rule)] {
        if let Some(v) = v {
            validate::no_nul(field, v)?;
        }
    }
    Ok(())
}

impl Store {
    /// Append entries to an alert's log, raising it when it is new, in one transaction, and
    /// replace its cached columns with `build`'s. `build` is given the 监察建议书 number
    /// issued in this transaction when `numbering` is set (the entry that issues it must
    /// carry it, and its hash covers it), else `None`.
    ///
    /// [`StoreError::StaleHead`] when another append moved the alert's head since
    /// `head_seq`; [`StoreError::Conflict`] when a new alert's key is already stored for the
    /// case. Nothing is written then, and no number is used up.
    pub async fn append_alert<F>(
        &self,
        target: &AlertTarget,
        numbering: Option<&NoticeNumbering>,
        build: F,
    ) -> Result<AlertHead>
    where
        F: FnOnce(Option<&str>) -> AlertWrite + Send,
    {
        if let AlertTarget::New { key, rule, .. } = target {
            validate::name("预警标识", key, 200)?;
            validate::name("预警规则", rule, 100)?;
        }
        if let Some(n) = numbering {
            validate::name("监察建议书编号前缀", &n.prefix, 100)?;
            if !(1000..=9999).contains(&n.year) {
                return Err(StoreError::InvalidInput(format!("编号年份 {} 无效", n.year)));
            }
        }
        let recorded_at = now();
        let result: Result<AlertHead> = async {
            Ok(write_tx!(self, |tx, pg| {
                // Where the log stands: (alert id, case, bureau, head seq, head hash).
                let (id, case, bureau, head_seq, head_hash) = match target {
                    AlertTarget::Existing { id, head_seq } => {
                        let sql = if pg {
                            "SELECT case_id, bureau_id, head_seq, head_hash FROM alerts WHERE id = $1 FOR UPDATE"
                        } else {
                            "SELECT case_id, bureau_id, head_seq, head_hash FROM alerts WHERE id = $1"
                        };
                        let row = sqlx::query(sql)
                            .bind(id.0)
                            .fetch_optional(&mut *tx)
                            .await?
                            .ok_or_else(|| StoreError::NotFound(format!("预警 {id} 不存在")))?;
                        let case = CaseId(row.i64("case_id")?);
                        let stored = row.u64("head_seq")?;
                        if stored != *head_seq {
                            return Err(StoreError::StaleHead { case, expected: *head_seq, head: stored });
                        }
                        (Some(*id), case, row.i64("bureau_id")?, stored, Some(row.string("head_hash")?))
                    }
                    AlertTarget::New { case, .. } => {
                        let bureau: Option<i64> = sqlx::query_scalar("SELECT bureau_id FROM cases WHERE id = $1")
                            .bind(case.0)
                            .fetch_optional(&mut *tx)
                            .await?;
                        let bureau = bureau.ok_or_else(|| StoreError::NotFound(format!("案件 {} 不存在", case.0)))?;
                        (None, *case, bureau, 0, None)
                    }
                };
                let notice_no = match numbering {
                    None => None,
                    Some(n) => {
                        let last = sqlx::query(
                            "INSERT INTO document_counters (bureau_id, doc_type, year, last) VALUES ($1, $2, $3, 1) \
                             ON CONFLICT (bureau_id, doc_type, year) DO UPDATE SET last = document_counters.last + 1 \
                             RETURNING last",
                        )
                        .bind(bureau)
                        .bind(NOTICE_DOC_TYPE)
                        .bind(i64::from(n.year))
                        .fetch_one(&mut *tx)
                        .await?
                        .u32("last")?;
                        Some(crate::format_doc_no(&n.prefix, n.year, last))
                    }
                };
                let write = build(notice_no.as_deref());
                check_entries(&write.entries, head_seq + 1, head_hash.as_deref())?;
                check_cache(&write.cache)?;
                let (last_seq, last_hash) = match write.entries.last() {
                    Some(e) => (to_i64("预警记录序号", e.seq)?, e.hash.clone()),
                    None => return Err(StoreError::InvalidInput("没有要追加的预警记录".into())),
                };
                let c = &write.cache;
                let id = match (id, target) {
                    (Some(id), _) => {
                        sqlx::query(
                            "UPDATE alerts SET level = $2, status = $3, escalation = $4, message = $5, arose_on = $6, \
                             opened_on = $7, resolved_on = $8, resolved_by = $9, notice_no = $10, notice_due = $11, \
                             record = $12, head_seq = $13, head_hash = $14 WHERE id = $1",
                        )
                        .bind(id.0)
                        .bind(c.level.as_str())
                        .bind(c.status.as_str())
                        .bind(c.escalation.as_str())
                        .bind(&c.message)
                        .bind(c.arose_on.to_string())
                        .bind(c.opened_on.to_string())
                        .bind(c.resolved_on.map(|d| d.to_string()))
                        .bind(&c.resolved_by)
                        .bind(&c.notice_no)
                        .bind(c.notice_due.map(|d| d.to_string()))
                        .bind(&c.record)
                        .bind(last_seq)
                        .bind(&last_hash)
                        .execute(&mut *tx)
                        .await?;
                        id
                    }
                    (None, AlertTarget::New { case, key, rule }) => {
                        let raised_on = write.entries.first().map(|e| e.at).unwrap_or(c.opened_on);
                        AlertId(
                            sqlx::query(
                                "INSERT INTO alerts (case_id, bureau_id, alert_key, rule, level, status, escalation, \
                                 message, arose_on, raised_on, opened_on, resolved_on, resolved_by, notice_no, \
                                 notice_due, record, head_seq, head_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
                                 $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
                            )
                            .bind(case.0)
                            .bind(bureau)
                            .bind(key.trim())
                            .bind(rule.trim())
                            .bind(c.level.as_str())
                            .bind(c.status.as_str())
                            .bind(c.escalation.as_str())
                            .bind(&c.message)
                            .bind(c.arose_on.to_string())
                            .bind(raised_on.to_string())
                            .bind(c.opened_on.to_string())
                            .bind(c.resolved_on.map(|d| d.to_string()))
                            .bind(&c.resolved_by)
                            .bind(&c.notice_no)
                            .bind(c.notice_due.map(|d| d.to_string()))
                            .bind(&c.record)
                            .bind(last_seq)
                            .bind(&last_hash)
                            .fetch_one(&mut *tx)
                            .await?
                            .i64("id")?,
                        )
                    }
                    (None, AlertTarget::Existing { id, .. }) => *id,
                };
                insert_entries!(tx, id.0, write.entries, recorded_at);
                AlertHead {
                    id,
                    case,
                    head_seq: u64::try_from(last_seq).unwrap_or(0),
                    head_hash: last_hash,
                    notice_no,
                }
            }))
        }
        .await;
        match result {
            Err(e) if e.is_unique_violation() => Err(StoreError::Conflict(match target {
                AlertTarget::New { case, key, .. } => format!("案件 {} 的预警 {key} 已存在", case.0),
                AlertTarget::Existing { id, .. } => format!("预警 {id} 的记录已被其他操作追加"),
            })),
            other => other,
        }
    }

    /// One alert.
    pub async fn alert(&self, id: AlertId) -> Result<Option<AlertRow>> {
        let sql = format!("{ALERT_SELECT} WHERE a.id = $1");
        read_pool!(self, |pool| {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(id.0).fetch_optional(pool).await?;
            row.as_ref().map(alert_from_row).transpose()
        })
    }

    /// The alerts of a case, in id order.
    pub async fn case_alerts(&self, case: CaseId) -> Result<Vec<AlertRow>> {
        let sql = format!("{ALERT_SELECT} WHERE a.case_id = $1 ORDER BY a.id");
        read_pool!(self, |pool| {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(case.0).fetch_all(pool).await?;
            rows.iter().map(alert_from_row).collect()
        })
    }

    /// The alerts of the cases `first..=last`, in (case, id) order: what a sweep reads beside
    /// a page of events.
    pub async fn alerts_of_cases(&self, first: CaseId, last: CaseId) -> Result<Vec<AlertRow>> {
        let sql =
            format!("{ALERT_SELECT} WHERE a.case_id >= $1 AND a.case_id <= $2 ORDER BY a.case_id, a.id");
        read_pool!(self, |pool| {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(first.0)
                .bind(last.0)
                .fetch_all(pool)
                .await?;
            rows.iter().map(alert_from_row).collect()
        })
    }

    /// Alerts by filter, gravest and oldest first (level, then the day the condition arose),
    /// one page with the total.
    pub async fn alerts(&self, filter: &AlertFilter) -> Result<Paged<AlertRow>> {
        check_filter(filter)?;
        // Breach, red, yellow, notice: the text order of the ids is not the order of gravity.
        let order = " ORDER BY CASE a.level WHEN 'breach' THEN 0 WHEN 'red' THEN 1 WHEN 'yellow' THEN 2 ELSE 3 END, \
                     a.arose_on, a.id";
        read_pool!(self, |pool| {
            let mut count = sqlx::QueryBuilder::new(
                "SELECT COUNT(*) AS n FROM alerts a JOIN cases c ON c.id = a.case_id JOIN items i ON i.id = c.item_id \
                 LEFT JOIN people p ON p.id = (SELECT ca.person_id FROM case_assignments ca WHERE ca.case_id = a.case_id \
                 AND ca.duty = 'handler' AND ca.ended_at IS NULL ORDER BY ca.id LIMIT 1) WHERE 1 = 1",
            );
            push_filter!(count, filter);
            let total = count.build().fetch_one(pool).await?.u64("n")?;
            let mut qb = sqlx::QueryBuilder::new(ALERT_SELECT);
            qb.push(" WHERE 1 = 1");
            push_filter!(qb, filter);
            qb.push(order);
            qb.push(" LIMIT ").push_bind(filter.page.clamped_limit());
            qb.push(" OFFSET ").push_bind(filter.page.offset_i64());
            let rows = qb.build().fetch_all(pool).await?;
            Ok(Paged { total, rows: rows.iter().map(alert_from_row).collect::<Result<Vec<_>>>()? })
        })
    }

    /// Every alert matching `filter`, page after page (the filter's page is ignored): for
    /// exports and figures.
    pub async fn all_alerts(&self, filter: &AlertFilter) -> Result<Vec<AlertRow>> {
        let mut f = filter.clone();
        f.page = Page { offset: 0, limit: Page::MAX_LIMIT };
        let mut out = Vec::new();
        loop {
            let page = self.alerts(&f).await?;
            let n = page.rows.len();
            out.extend(page.rows);
            if n == 0 || out.len() as u64 >= page.total {
                return Ok(out);
            }
            f.page.offset += n as u64;
        }
    }

    /// An alert's log, in seq order.
    pub async fn alert_entries(&self, id: AlertId) -> Result<Vec<StoredAlertEntry>> {
        read_pool!(self, |pool| {
            let rows = sqlx::query(
                "SELECT alert_id, seq, at, recorded_at, actor, action, body, prev_hash, hash FROM alert_entries \
                 WHERE alert_id = $1 ORDER BY seq",
            )
            .bind(id.0)
            .fetch_all(pool)
            .await?;
            rows.iter().map(entry_from_row).collect()
        })
    }

    /// Open and acknowledged alerts of the cases `person` currently handles (我的待办).
    pub async fn alerts_for_handler(&self, person: PersonId) -> Result<Vec<AlertRow>> {
        let filter = AlertFilter { officer: Some(person), unresolved: true, ..AlertFilter::default() };
        self.all_alerts(&filter).await
    }

    /// When each case of the bureaus was opened and last acted on (`None`: every bureau), in
    /// case order: what 预警率 and 按期办结率 count.
    pub async fn case_times(&self, bureaus: Option<&[BureauId]>) -> Result<Vec<CaseTimes>> {
        read_pool!(self, |pool| {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT c.id, c.bureau_id, c.procedure, c.state, c.opened_at, e.at AS last_at FROM cases c \
                 JOIN case_events e ON e.case_id = c.id AND e.seq = c.head_seq",
            );
            if let Some(bureaus) = bureaus {
                if bureaus.is_empty() {
                    qb.push(" WHERE 1 = 0");
                } else {
                    qb.push(" WHERE c.bureau_id IN (");
                    let mut list = qb.separated(", ");
                    for b in bureaus {
                        list.push_bind(b.0);
                    }
                    qb.push(")");
                }
            }
            qb.push(" ORDER BY c.id");
            let rows = qb.build().fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    Ok(CaseTimes {
                        case: CaseId(r.i64("id")?),
                        bureau: BureauId(r.i64("bureau_id")?),
                        procedure: r.string("procedure")?,
                        state: r.string("state")?,
                        opened_at: r.string("opened_at")?,
                        last_at: r.string("last_at")?,
                    })
                })
                .collect()
        })
    }

    /// The offices (科室) of the people of the bureaus, sorted, without duplicates: what the
    /// console's office filter offers.
    pub async fn offices(&self, bureaus: Option<&[BureauId]>) -> Result<Vec<String>> {
        let people = self.people(None).await?;
        let mut out: Vec<String> = people
            .into_iter()
            .filter(|p| bureaus.is_none_or(|b| p.bureau.is_some_and(|pb| b.contains(&pb))))
            .map(|p| p.office)
            .filter(|o| !o.trim().is_empty())
            .collect();
        out.sort();
        out.dedup();
        Ok(out)
    }
}
