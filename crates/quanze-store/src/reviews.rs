//! The review and publication record of list versions (issue 11): an officer's draft is
//! approved or returned by a legal reviewer and published by an administrator, or withdrawn,
//! resubmitted or deleted; each step is one append-only row of `version_reviews` (who, when,
//! the note, the 批准文号, the error findings overridden and why, the size of the change).
//!
//! Where a draft stands ([`ReviewState`]) is the fold of its rows; every step is checked
//! against it and written in one transaction with what it changes (publishing marks the
//! version published and moves the bureau's current version; deleting removes the draft),
//! so a step is never recorded without its effect, nor the effect without its record.

use serde::{Deserialize, Serialize};

use crate::catalogs::UPDATE_CURRENT;
use crate::db::{read_pool, write_tx};
use crate::row::RowExt;
use crate::validate;
use crate::{BureauId, Result, Store, StoreError, Timestamp, UserId, VersionId, VersionStatus};

/// Longest note (审核意见, 调整说明, 删除原因) accepted, in characters.
pub const MAX_REVIEW_NOTE_CHARS: usize = 2000;
/// Longest 批准文号 accepted, in characters.
pub const MAX_APPROVAL_NO_CHARS: usize = 100;
/// Longest reason for overriding one error finding, in characters.
pub const MAX_OVERRIDE_REASON_CHARS: usize = 500;

/// One step of a draft's review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewAction {
    /// Submitted again for review after a return or a withdrawal (an import is the first
    /// submission and has no row).
    Submit,
    /// Approved by a legal reviewer.
    Approve,
    /// Sent back to the officer by a legal reviewer.
    Return,
    /// Taken back by the officer or an administrator: out of the queue, not publishable.
    Withdraw,
    /// Published by an administrator.
    Publish,
    /// Deleted (only the bureau's newest version, while a draft).
    Delete,
}

impl ReviewAction {
    pub const ALL: [ReviewAction; 6] = [
        ReviewAction::Submit,
        ReviewAction::Approve,
        ReviewAction::Return,
        ReviewAction::Withdraw,
        ReviewAction::Publish,
        ReviewAction::Delete,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewAction::Submit => "submit",
            ReviewAction::Approve => "approve",
            ReviewAction::Return => "return",
            ReviewAction::Withdraw => "withdraw",
            ReviewAction::Publish => "publish",
            ReviewAction::Delete => "delete",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<ReviewAction> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The step in Chinese, as the record shows it.
    pub fn label(self) -> &'static str {
        match self {
            ReviewAction::Submit => "重新提交审核",
            ReviewAction::Approve => "审核通过",
            ReviewAction::Return => "退回修改",
            ReviewAction::Withdraw => "撤回",
            ReviewAction::Publish => "发布",
            ReviewAction::Delete => "删除草稿",
        }
    }
}

/// Where a version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Awaiting a legal reviewer (imported, or submitted again).
    Pending,
    /// Approved, awaiting an administrator.
    Approved,
    /// Returned to the officer.
    Returned,
    /// Withdrawn.
    Withdrawn,
    /// Published (through review or directly).
    Published,
}

impl ReviewState {
    /// The state of a version: published, or the fold of its review steps.
    pub fn of(published: bool, last: Option<ReviewAction>) -> ReviewState {
        if published {
            return ReviewState::Published;
        }
        match last {
            None | Some(ReviewAction::Submit) => ReviewState::Pending,
            Some(ReviewAction::Approve) => ReviewState::Approved,
            Some(ReviewAction::Return) => ReviewState::Returned,
            Some(ReviewAction::Withdraw | ReviewAction::Delete) => ReviewState::Withdrawn,
            Some(ReviewAction::Publish) => ReviewState::Published,
        }
    }

    /// Whether `action` may follow.
    pub fn allows(self, action: ReviewAction) -> bool {
        use ReviewAction as A;
        use ReviewState as S;
        match self {
            S::Pending => matches!(action, A::Approve | A::Return | A::Withdraw | A::Delete),
            S::Approved => matches!(action, A::Return | A::Withdraw | A::Publish | A::Delete),
            S::Returned | S::Withdrawn => {
                matches!(action, A::Submit | A::Withdraw | A::Delete)
                    && !(self == S::Withdrawn && action == A::Withdraw)
            }
            S::Published => false,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Pending => "pending",
            ReviewState::Approved => "approved",
            ReviewState::Returned => "returned",
            ReviewState::Withdrawn => "withdrawn",
            ReviewState::Published => "published",
        }
    }

    /// The state in Chinese.
    pub fn label(self) -> &'static str {
        match self {
            ReviewState::Pending => "待审核",
            ReviewState::Approved => "已审核，待发布",
            ReviewState::Returned => "已退回修改",
            ReviewState::Withdrawn => "已撤回",
            ReviewState::Published => "已发布",
        }
    }
}

/// An error finding published anyway, with the reason given for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewOverride {
    /// The finding's stable code.
    pub code: String,
    pub item: Option<u32>,
    pub line: Option<u32>,
    pub message: String,
    /// Why it is published anyway.
    pub reason: String,
}

/// A step to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewInput {
    pub version: VersionId,
    pub action: ReviewAction,
    pub by: UserId,
    pub at: Timestamp,
    /// 审核意见 (approve, return), 调整说明 (publish), the reason (withdraw, delete).
    pub note: String,
    /// 批准文号 (publish).
    pub approval_no: Option<String>,
    /// Every error finding of the version, each with its reason (publish; empty otherwise).
    pub overrides: Vec<ReviewOverride>,
    /// Items added, removed and changed against the version published before it.
    pub added: u32,
    pub removed: u32,
    pub changed: u32,
}

/// A recorded step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewEntry {
    pub id: i64,
    pub version: VersionId,
    pub bureau: BureauId,
    pub bureau_name: String,
    /// The version's number (kept for a deleted draft).
    pub version_number: u32,
    pub action: ReviewAction,
    pub by: Option<UserId>,
    /// The account name at the time.
    pub by_name: String,
    pub at: Timestamp,
    pub note: String,
    pub approval_no: Option<String>,
    pub overrides: Vec<ReviewOverride>,
    pub added: u32,
    pub removed: u32,
    pub changed: u32,
}

const ENTRY_SELECT: &str = "SELECT r.id, r.version_id, r.bureau_id, b.name AS bureau_name, r.version_number, \
     r.action, r.by_user, r.by_name, r.at, r.note, r.approval_no, r.overrides, r.added, r.removed, r.changed \
     FROM version_reviews r JOIN bureaus b ON b.id = r.bureau_id ";

fn entry_from_row(row: &impl RowExt) -> Result<ReviewEntry> {
    let action = row.string("action")?;
    let overrides = row.string("overrides")?;
    Ok(ReviewEntry {
        id: row.i64("id")?,
        version: VersionId(row.i64("version_id")?),
        bureau: BureauId(row.i64("bureau_id")?),
        bureau_name: row.string("bureau_name")?,
        version_number: row.u32("version_number")?,
        action: ReviewAction::from_str_opt(&action)
            .ok_or_else(|| StoreError::corrupt(format!("review action {action:?}")))?,
        by: row.opt_i64("by_user")?.map(UserId),
        by_name: row.string("by_name")?,
        at: row.i64("at")?,
        note: row.string("note")?,
        approval_no: row.opt_string("approval_no")?,
        overrides: serde_json::from_str(&overrides)
            .map_err(|e| StoreError::corrupt(format!("review overrides: {e}")))?,
        added: row.u32("added")?,
        removed: row.u32("removed")?,
        changed: row.u32("changed")?,
    })
}

fn check_text(what: &str, text: &str, max: usize) -> Result<()> {
    validate::no_nul(what, text)?;
    if text.chars().count() > max {
        return Err(StoreError::InvalidInput(format!("{what}不能超过 {max} 个字。")));
    }
    Ok(())
}

fn check_input(input: &ReviewInput) -> Result<()> {
    check_text("说明", &input.note, MAX_REVIEW_NOTE_CHARS)?;
    if let Some(n) = &input.approval_no {
        check_text("批准文号", n, MAX_APPROVAL_NO_CHARS)?;
    }
    for o in &input.overrides {
        check_text("放行理由", &o.reason, MAX_OVERRIDE_REASON_CHARS)?;
        validate::no_nul("问题", &o.message)?;
        validate::no_nul("问题代码", &o.code)?;
        if o.reason.trim().is_empty() {
            return Err(StoreError::InvalidInput("每条放行的错误都须写明理由。".into()));
        }
    }
    if input.action != ReviewAction::Publish && (input.approval_no.is_some() || !input.overrides.is_empty()) {
        return Err(StoreError::InvalidInput("批准文号和放行的错误只随发布记录。".into()));
    }
    Ok(())
}

impl Store {
    /// Record a review step and do what it does, in one transaction: checked against where
    /// the version stands ([`ReviewState::allows`], else [`StoreError::Conflict`] with the
    /// reason in Chinese). Publishing needs every error finding of the version among the
    /// overrides and marks the version published; deleting needs the bureau's newest
    /// version, not a case opened under it, and removes it with its items.
    pub async fn record_review(&self, input: &ReviewInput) -> Result<ReviewEntry> {
        check_input(input)?;
        let overrides = serde_json::to_string(&input.overrides)
            .map_err(|e| StoreError::InvalidInput(format!("放行记录无法编码：{e}")))?;
        let id = write_tx!(self, |tx, pg| {
            let lock = if pg {
                "SELECT bureau_id, number, status FROM versions WHERE id = $1 FOR UPDATE"
            } else {
                "SELECT bureau_id, number, status FROM versions WHERE id = $1"
            };
            let row = sqlx::query(lock)
                .bind(input.version.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {} 的版本。", input.version)))?;
            let bureau = row.i64("bureau_id")?;
            let number = row.i64("number")?;
            let published = row.string("status")? == VersionStatus::Published.as_str();
            let last = sqlx::query(
                "SELECT action FROM version_reviews WHERE version_id = $1 ORDER BY id DESC LIMIT 1",
            )
            .bind(input.version.0)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.string("action"))
            .transpose()?
            .and_then(|a| ReviewAction::from_str_opt(&a));
            let state = ReviewState::of(published, last);
            if !state.allows(input.action) {
                return Err(StoreError::Conflict(format!(
                    "第 {number} 版现为“{}”，不能{}。",
                    state.label(),
                    input.action.label()
                )));
            }
            let by_name = sqlx::query("SELECT username FROM users WHERE id = $1")
                .bind(input.by.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("user {}", input.by.0)))?
                .string("username")?;
            match input.action {
                ReviewAction::Publish => {
                    let errors = sqlx::query(
                        "SELECT COUNT(*) AS n FROM diagnostics WHERE version_id = $1 AND severity = 'error'",
                    )
                    .bind(input.version.0)
                    .fetch_one(&mut *tx)
                    .await?
                    .u64("n")?;
                    if errors != input.overrides.len() as u64 {
                        return Err(StoreError::Conflict(format!(
                            "第 {number} 版有 {errors} 条错误，须逐条写明放行理由（收到 {} 条）。",
                            input.overrides.len()
                        )));
                    }
                    sqlx::query(
                        "UPDATE versions SET status = 'published', published_by = $2, published_at = $3 WHERE id = $1",
                    )
                    .bind(input.version.0)
                    .bind(input.by.0)
                    .bind(input.at)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(UPDATE_CURRENT).bind(bureau).execute(&mut *tx).await?;
                }
                ReviewAction::Delete => {
                    let newest = sqlx::query("SELECT MAX(number) AS n FROM versions WHERE bureau_id = $1")
                        .bind(bureau)
                        .fetch_one(&mut *tx)
                        .await?
                        .i64("n")?;
                    if newest != number {
                        return Err(StoreError::Conflict(format!(
                            "只能删除本单位最新的一版草稿（第 {newest} 版）；第 {number} 版可以撤回。"
                        )));
                    }
                    let cases = sqlx::query("SELECT COUNT(*) AS n FROM cases WHERE version_id = $1")
                        .bind(input.version.0)
                        .fetch_one(&mut *tx)
                        .await?
                        .u64("n")?;
                    if cases > 0 {
                        return Err(StoreError::Conflict(format!(
                            "第 {number} 版下已有 {cases} 件案件，不能删除，可以撤回。"
                        )));
                    }
                    sqlx::query("UPDATE bureaus SET current_version_id = NULL WHERE id = $1")
                        .bind(bureau)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM versions WHERE id = $1")
                        .bind(input.version.0)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(UPDATE_CURRENT).bind(bureau).execute(&mut *tx).await?;
                }
                _ => {}
            }
            // Servers on this database reload what a review changed (a deleted version
            // stamps nothing: the epoch moving without a stamped version means a full reload).
            crate::catalogs::bump_epoch!(tx, input.version.0);
            sqlx::query(
                "INSERT INTO version_reviews (version_id, bureau_id, version_number, action, by_user, by_name, at, \
                 note, approval_no, overrides, added, removed, changed) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            )
            .bind(input.version.0)
            .bind(bureau)
            .bind(number)
            .bind(input.action.as_str())
            .bind(input.by.0)
            .bind(by_name)
            .bind(input.at)
            .bind(&input.note)
            .bind(input.approval_no.as_deref())
            .bind(&overrides)
            .bind(i64::from(input.added))
            .bind(i64::from(input.removed))
            .bind(i64::from(input.changed))
            .fetch_one(&mut *tx)
            .await?
            .i64("id")?
        });
        read_pool!(self, |pool| {
            let row = sqlx::query(sqlx::AssertSqlSafe(format!("{ENTRY_SELECT}WHERE r.id = $1")))
                .bind(id)
                .fetch_one(pool)
                .await?;
            entry_from_row(&row)
        })
    }

    /// The steps of one version, oldest first.
    pub async fn review_entries(&self, version: VersionId) -> Result<Vec<ReviewEntry>> {
        read_pool!(self, |pool| {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "{ENTRY_SELECT}WHERE r.version_id = $1 ORDER BY r.id"
            )))
            .bind(version.0)
            .fetch_all(pool)
            .await?;
            rows.iter().map(entry_from_row).collect()
        })
    }

    /// The newest `limit` steps of every version (of one bureau when given), newest first:
    /// who published, approved, returned or deleted what, and when.
    pub async fn review_log(&self, bureau: Option<BureauId>, limit: u32) -> Result<Vec<ReviewEntry>> {
        read_pool!(self, |pool| {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "{ENTRY_SELECT}WHERE ($1 IS NULL OR r.bureau_id = $1) ORDER BY r.id DESC LIMIT $2"
            )))
            .bind(bureau.map(|b| b.0))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
            rows.iter().map(entry_from_row).collect()
        })
    }

    /// The last step of every version that has one: (version, action).
    pub async fn last_review_actions(&self) -> Result<Vec<(VersionId, ReviewAction)>> {
        read_pool!(self, |pool| {
            let rows = sqlx::query(
                "SELECT version_id, action FROM version_reviews r \
                 WHERE id = (SELECT MAX(id) FROM version_reviews WHERE version_id = r.version_id) ORDER BY version_id",
            )
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|r| {
                    let a = r.string("action")?;
                    let action = ReviewAction::from_str_opt(&a)
                        .ok_or_else(|| StoreError::corrupt(format!("review action {a:?}")))?;
                    Ok((VersionId(r.i64("version_id")?), action))
                })
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{ReviewAction as A, ReviewState as S};

    #[test]
    fn only_an_approved_draft_is_published_and_nothing_follows_publication() {
        for s in [S::Pending, S::Returned, S::Withdrawn, S::Published] {
            assert!(!s.allows(A::Publish), "{s:?}");
        }
        assert!(S::Approved.allows(A::Publish));
        for a in A::ALL {
            assert!(!S::Published.allows(a), "{a:?}");
        }
    }

    #[test]
    fn the_fold_follows_the_last_step() {
        assert_eq!(S::of(false, None), S::Pending);
        assert_eq!(S::of(false, Some(A::Approve)), S::Approved);
        assert_eq!(S::of(false, Some(A::Return)), S::Returned);
        assert_eq!(S::of(false, Some(A::Submit)), S::Pending);
        assert_eq!(S::of(true, None), S::Published);
        assert!(!S::Withdrawn.allows(A::Withdraw));
        assert!(S::Withdrawn.allows(A::Submit));
        assert!(!S::Pending.allows(A::Submit));
        for s in [S::Pending, S::Approved, S::Returned, S::Withdrawn] {
            assert!(s.allows(A::Delete), "{s:?}");
        }
    }

    #[test]
    fn actions_round_trip_their_names() {
        for a in A::ALL {
            assert_eq!(A::from_str_opt(a.as_str()), Some(a));
        }
    }
}
