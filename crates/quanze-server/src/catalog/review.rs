//! Review and publication of a draft list (issue 11), without axum: an officer imports a
//! draft, a legal reviewer approves it or returns it, an administrator publishes it after a
//! summary (items added, removed and changed against the published version; the error
//! findings, each to be overridden with a reason; 调整说明 and 批准文号) and a confirmation.
//! Every step is recorded in the store (`version_reviews`) with who and when. Errors are
//! [`ReviewError`], worded in Chinese; the API renders them as problems, the pages as pages.

use std::collections::BTreeMap;

use quanze_model::Severity;
use quanze_store::{
    ReviewAction, ReviewEntry, ReviewInput, ReviewOverride, ReviewState, StoreError, VersionId,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::compare::{self, ChangedItem, ItemStub};
use crate::http::zh;
use crate::read::model::{BureauData, VersionData};
use crate::state::AppState;

/// Longest 调整说明 or note, in characters (the store's limit).
pub(crate) const MAX_NOTE_CHARS: usize = quanze_store::MAX_REVIEW_NOTE_CHARS;
/// Longest 批准文号, in characters.
pub(crate) const MAX_APPROVAL_NO_CHARS: usize = quanze_store::MAX_APPROVAL_NO_CHARS;
/// How many steps the record shows.
pub(crate) const LOG_LIMIT: u32 = 200;

/// Why a review request could not be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ReviewError {
    #[error("没有编号为 {0} 的版本。")]
    NoVersion(i64),
    #[error("没有这一审核操作：{0}（可用：approve、return、withdraw、submit、delete）。")]
    NoAction(String),
    /// What must be put right before publishing, each a sentence.
    #[error("{}", .0.join(""))]
    Refused(Vec<String>),
    #[error("请确认后再发布（confirm）。")]
    Unconfirmed,
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    /// A server fault; the cause is logged, not shown.
    #[error("服务器内部错误。")]
    Internal(String),
}

impl ReviewError {
    /// The HTTP status and problem kind.
    pub(crate) fn status_and_kind(&self) -> (u16, &'static str) {
        match self {
            ReviewError::NoVersion(_) | ReviewError::NoAction(_) => (404, "not-found"),
            ReviewError::Refused(_) => (422, "publish-refused"),
            ReviewError::Unconfirmed => (422, "unconfirmed"),
            ReviewError::Invalid(_) => (422, "invalid"),
            ReviewError::Conflict(_) => (409, "conflict"),
            ReviewError::Internal(_) => (500, "internal"),
        }
    }
}

fn internal(cause: &dyn std::fmt::Display) -> ReviewError {
    eprintln!("quanze: internal error: {cause}");
    ReviewError::Internal(cause.to_string())
}

fn store_error(e: StoreError) -> ReviewError {
    match e {
        StoreError::Conflict(m) => ReviewError::Conflict(m),
        StoreError::InvalidInput(m) => ReviewError::Invalid(m),
        StoreError::NotFound(m) => ReviewError::Conflict(format!("已不存在：{m}")),
        other => internal(&other),
    }
}

/// A step of the record as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ReviewEntryDto {
    pub id: i64,
    pub version_id: i64,
    pub bureau_id: i64,
    pub bureau_name: String,
    pub version_number: u32,
    /// `submit`, `approve`, `return`, `withdraw`, `publish`, `delete`.
    pub action: String,
    /// The step in Chinese (审核通过).
    pub action_label: String,
    /// The account that took it.
    pub by: String,
    /// Seconds since the Unix epoch (UTC).
    pub at: i64,
    /// Beijing time (2025年3月1日 09:30).
    pub at_text: String,
    /// 审核意见, 调整说明 or the reason.
    pub note: String,
    /// 批准文号 (publication).
    pub approval_no: Option<String>,
    /// Error findings published anyway, with their reasons.
    pub overrides: Vec<OverrideDto>,
    pub added: u32,
    pub removed: u32,
    pub changed: u32,
}

/// An error finding overridden at publication.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct OverrideDto {
    pub code: String,
    pub item: Option<u32>,
    pub line: Option<u32>,
    pub message: String,
    pub reason: String,
}

pub(crate) fn entry_dto(e: &ReviewEntry) -> ReviewEntryDto {
    ReviewEntryDto {
        id: e.id,
        version_id: e.version.0,
        bureau_id: e.bureau.0,
        bureau_name: e.bureau_name.clone(),
        version_number: e.version_number,
        action: e.action.as_str().into(),
        action_label: e.action.label().into(),
        by: e.by_name.clone(),
        at: e.at,
        at_text: zh::beijing_time(e.at),
        note: e.note.clone(),
        approval_no: e.approval_no.clone(),
        overrides: e
            .overrides
            .iter()
            .map(|o| OverrideDto {
                code: o.code.clone(),
                item: o.item,
                line: o.line,
                message: o.message.clone(),
                reason: o.reason.clone(),
            })
            .collect(),
        added: e.added,
        removed: e.removed,
        changed: e.changed,
    }
}

/// An error finding of a draft: to be cleared (a corrected import) or overridden.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ErrorFinding {
    /// Its place among the version's findings (the key of its override reason).
    pub index: usize,
    pub code: String,
    /// The rule in Chinese.
    pub rule: String,
    pub item: Option<u32>,
    pub line: Option<u32>,
    pub message: String,
}

/// A draft in the queue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct QueueRow {
    pub version_id: i64,
    pub bureau_id: i64,
    pub bureau_name: String,
    pub number: i64,
    pub file_name: String,
    pub imported_at: i64,
    pub imported_by: Option<String>,
    pub item_count: usize,
    pub error_count: usize,
    /// `pending`, `approved`, `returned`, `withdrawn`.
    pub state: String,
    /// The state in Chinese (待审核).
    pub state_label: String,
}

/// What publishing a draft would do, and where it stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ReviewSummary {
    pub version_id: i64,
    pub bureau_id: i64,
    pub bureau_name: String,
    pub number: i64,
    pub file_name: String,
    pub imported_at: i64,
    pub imported_by: Option<String>,
    pub item_count: usize,
    /// `pending`, `approved`, `returned`, `withdrawn`, `published`.
    pub state: String,
    pub state_label: String,
    /// The published version it is compared with (its number); none when the bureau has
    /// published nothing (every item is then new).
    pub base: Option<i64>,
    pub added: Vec<ItemStub>,
    pub removed: Vec<ItemStub>,
    pub changed: Vec<ChangedItem>,
    /// The error findings: each needs a reason to be published anyway.
    pub errors: Vec<ErrorFinding>,
    pub warnings: usize,
    pub infos: usize,
    /// The steps so far, oldest first.
    pub history: Vec<ReviewEntryDto>,
    #[serde(skip)]
    pub(crate) review_state: Option<ReviewState>,
}

impl ReviewSummary {
    pub(crate) fn state(&self) -> ReviewState {
        self.review_state.unwrap_or(ReviewState::Pending)
    }
}

fn find(
    state: &AppState,
    version: i64,
) -> Result<(std::sync::Arc<crate::read::snapshot::Snapshot>, usize, usize), ReviewError> {
    let snap = state.snapshot();
    let found = snap
        .bureaus
        .iter()
        .enumerate()
        .find_map(|(bi, b)| b.versions.iter().position(|v| v.id == version).map(|vi| (bi, vi)));
    let (bi, vi) = found.ok_or(ReviewError::NoVersion(version))?;
    Ok((snap, bi, vi))
}

fn error_findings(v: &VersionData) -> Vec<ErrorFinding> {
    v.catalog
        .diagnostics
        .iter()
        .enumerate()
        .filter(|(_, d)| d.severity == Severity::Error)
        .map(|(index, d)| ErrorFinding {
            index,
            code: d.code.as_str().into(),
            rule: zh::rule_label(d.code).into(),
            item: d.item,
            line: d.line,
            message: d.message.clone(),
        })
        .collect()
}

fn build_summary(
    b: &BureauData,
    v: &VersionData,
    state: ReviewState,
    history: &[ReviewEntry],
) -> ReviewSummary {
    let base = b.current().filter(|c| c.id != v.id && !v.published);
    let (added, removed, changed) = match base {
        Some(from) => {
            let d = compare::diff_versions(from, v);
            (d.added, d.removed, d.changed)
        }
        None if v.published => (Vec::new(), Vec::new(), Vec::new()),
        None => (v.items().map(|(id, it)| compare::stub(id, it)).collect(), Vec::new(), Vec::new()),
    };
    let (_, warnings, infos) = v.diagnostic_counts();
    ReviewSummary {
        version_id: v.id,
        bureau_id: b.id,
        bureau_name: b.name.clone(),
        number: v.number,
        file_name: v.catalog.source.file_name.clone(),
        imported_at: v.imported_at,
        imported_by: v.imported_by.clone(),
        item_count: v.catalog.items.len(),
        state: state.as_str().into(),
        state_label: state.label().into(),
        base: base.map(|c| c.number),
        added,
        removed,
        changed,
        errors: error_findings(v),
        warnings,
        infos,
        history: history.iter().map(entry_dto).collect(),
        review_state: Some(state),
    }
}

/// The summary of version `version` (any state; a published one has nothing to publish).
pub(crate) async fn summary(state: &AppState, version: i64) -> Result<ReviewSummary, ReviewError> {
    let history = state.store().review_entries(VersionId(version)).await.map_err(|e| internal(&e))?;
    let (snap, bi, vi) = find(state, version)?;
    let b = &snap.bureaus[bi];
    let v = &b.versions[vi];
    let last = history.last().map(|e| e.action);
    Ok(build_summary(b, v, ReviewState::of(v.published, last), &history))
}

/// Every unpublished version with where it stands: those awaiting a step first (pending,
/// then approved), then returned and withdrawn ones; oldest import first within each.
pub(crate) async fn queue(state: &AppState) -> Result<Vec<QueueRow>, ReviewError> {
    let last: BTreeMap<i64, ReviewAction> = state
        .store()
        .last_review_actions()
        .await
        .map_err(|e| internal(&e))?
        .into_iter()
        .map(|(v, a)| (v.0, a))
        .collect();
    let snap = state.snapshot();
    let mut rows: Vec<(u8, QueueRow)> = snap
        .bureaus
        .iter()
        .flat_map(|b| b.versions.iter().filter(|v| !v.published).map(move |v| (b, v)))
        .map(|(b, v)| {
            let st = ReviewState::of(false, last.get(&v.id).copied());
            let rank = match st {
                ReviewState::Pending => 0,
                ReviewState::Approved => 1,
                ReviewState::Returned => 2,
                _ => 3,
            };
            (
                rank,
                QueueRow {
                    version_id: v.id,
                    bureau_id: b.id,
                    bureau_name: b.name.clone(),
                    number: v.number,
                    file_name: v.catalog.source.file_name.clone(),
                    imported_at: v.imported_at,
                    imported_by: v.imported_by.clone(),
                    item_count: v.catalog.items.len(),
                    error_count: v.diagnostic_counts().0,
                    state: st.as_str().into(),
                    state_label: st.label().into(),
                },
            )
        })
        .collect();
    rows.sort_by_key(|(rank, r)| (*rank, r.imported_at, r.version_id));
    Ok(rows.into_iter().map(|(_, r)| r).collect())
}

/// The newest steps of every list, newest first.
pub(crate) async fn log(state: &AppState, limit: u32) -> Result<Vec<ReviewEntry>, ReviewError> {
    state.store().review_log(None, limit.min(LOG_LIMIT)).await.map_err(|e| internal(&e))
}

/// A step other than publishing, by its API name.
pub(crate) fn parse_action(s: &str) -> Result<ReviewAction, ReviewError> {
    match ReviewAction::from_str_opt(s) {
        Some(a) if a != ReviewAction::Publish => Ok(a),
        _ => Err(ReviewError::NoAction(s.chars().take(40).collect())),
    }
}

fn clean_note(note: &str) -> Result<String, ReviewError> {
    let note = note.trim();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(ReviewError::Invalid(format!("说明不能超过 {MAX_NOTE_CHARS} 个字。")));
    }
    Ok(note.to_string())
}

/// Take a step other than publishing (the caller checked the viewer's role for it): approve
/// or return (a legal reviewer), withdraw, submit again or delete (an officer or an
/// administrator). Returning and deleting need a note saying why.
pub(crate) async fn step(
    state: &AppState,
    version: i64,
    action: ReviewAction,
    user: &quanze_store::User,
    note: &str,
) -> Result<ReviewEntry, ReviewError> {
    let note = clean_note(note)?;
    if matches!(action, ReviewAction::Return | ReviewAction::Delete | ReviewAction::Withdraw)
        && note.is_empty()
    {
        return Err(ReviewError::Refused(vec![format!("请写明{}的理由。", action.label())]));
    }
    let v = {
        let (snap, bi, vi) = find(state, version)?;
        snap.bureaus[bi].versions[vi].id
    };
    let entry = state
        .store()
        .record_review(&ReviewInput {
            version: VersionId(v),
            action,
            by: user.id,
            at: quanze_store::now(),
            note,
            approval_no: None,
            overrides: Vec::new(),
            added: 0,
            removed: 0,
            changed: 0,
        })
        .await
        .map_err(store_error)?;
    if action == ReviewAction::Delete {
        state.refresh().await.map_err(|e| internal(&e))?;
    }
    Ok(entry)
}

/// What an administrator sends to publish.
#[derive(Debug, Default, Clone)]
pub(crate) struct PublishAsk {
    /// 调整说明 (required).
    pub note: String,
    /// 批准文号 (optional).
    pub approval_no: String,
    /// The reason for each error finding, by its index.
    pub reasons: BTreeMap<usize, String>,
    pub confirm: bool,
}

/// What is wrong with a publication request, each a Chinese sentence; empty when it may go.
pub(crate) fn publish_problems(s: &ReviewSummary, ask: &PublishAsk) -> Vec<String> {
    let mut out = Vec::new();
    if s.state() != ReviewState::Approved {
        out.push(format!("第 {} 版现为“{}”：须经法制审核通过后才能发布。", s.number, s.state_label));
    }
    let note = ask.note.trim();
    if note.is_empty() {
        out.push("请填写调整说明。".into());
    } else if note.chars().count() > MAX_NOTE_CHARS {
        out.push(format!("调整说明不能超过 {MAX_NOTE_CHARS} 个字。"));
    }
    if ask.approval_no.trim().chars().count() > MAX_APPROVAL_NO_CHARS {
        out.push(format!("批准文号不能超过 {MAX_APPROVAL_NO_CHARS} 个字。"));
    }
    let missing: Vec<String> = s
        .errors
        .iter()
        .filter(|e| ask.reasons.get(&e.index).is_none_or(|r| r.trim().is_empty()))
        .map(|e| e.message.chars().take(40).collect::<String>())
        .collect();
    if !missing.is_empty() {
        out.push(format!(
            "有 {} 条错误既未改正也未写明放行理由（如：{}）：请改正后重新导入，或逐条写明理由。",
            missing.len(),
            missing[0]
        ));
    }
    if let Some(bad) = ask.reasons.keys().find(|i| !s.errors.iter().any(|e| e.index == **i)) {
        out.push(format!("第 {bad} 条不是这一版的错误。"));
    }
    out
}

/// Publish a draft after its summary: checked ([`publish_problems`], then the confirmation),
/// recorded and published in one transaction, then the read model refreshed. The caller
/// checked that `user` may publish.
pub(crate) async fn publish(
    state: &AppState,
    version: i64,
    user: &quanze_store::User,
    ask: &PublishAsk,
) -> Result<ReviewEntry, ReviewError> {
    let s = summary(state, version).await?;
    let problems = publish_problems(&s, ask);
    if !problems.is_empty() {
        return Err(ReviewError::Refused(problems));
    }
    if !ask.confirm {
        return Err(ReviewError::Unconfirmed);
    }
    let overrides = s
        .errors
        .iter()
        .map(|e| ReviewOverride {
            code: e.code.clone(),
            item: e.item,
            line: e.line,
            message: e.message.clone(),
            reason: ask.reasons.get(&e.index).map(|r| r.trim().to_string()).unwrap_or_default(),
        })
        .collect();
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let approval = ask.approval_no.trim();
    let entry = state
        .store()
        .record_review(&ReviewInput {
            version: VersionId(version),
            action: ReviewAction::Publish,
            by: user.id,
            at: quanze_store::now(),
            note: ask.note.trim().to_string(),
            approval_no: (!approval.is_empty()).then(|| approval.to_string()),
            overrides,
            added: count(s.added.len()),
            removed: count(s.removed.len()),
            changed: count(s.changed.len()),
        })
        .await
        .map_err(store_error)?;
    state.refresh().await.map_err(|e| internal(&e))?;
    Ok(entry)
}

/// What a step did, in one Chinese sentence.
pub(crate) fn said(e: &ReviewEntry) -> String {
    let what = format!("{}第 {} 版", e.bureau_name, e.version_number);
    match e.action {
        ReviewAction::Publish => {
            let mut s =
                format!("已发布{what}：新增 {} 项、删除 {} 项、变更 {} 项", e.added, e.removed, e.changed);
            if !e.overrides.is_empty() {
                s.push_str(&format!("；放行错误 {} 条（理由已记录）", e.overrides.len()));
            }
            if let Some(n) = &e.approval_no {
                s.push_str(&format!("；批准文号 {n}"));
            }
            s.push_str("。公众现在看到的是这一版。");
            s
        }
        ReviewAction::Approve => format!("{what}已审核通过，等待管理员发布。"),
        ReviewAction::Return => format!("{what}已退回修改。"),
        ReviewAction::Withdraw => format!("{what}已撤回，不再等待审核。"),
        ReviewAction::Submit => format!("{what}已重新提交审核。"),
        ReviewAction::Delete => format!("已删除{what}（草稿），删除记录已保存。"),
    }
}
