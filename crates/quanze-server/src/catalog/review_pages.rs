//! The review and publication pages (issue 11), server-rendered and usable without
//! JavaScript, every form with the session's CSRF token:
//! - `/admin/reviews`: drafts awaiting review, an officer's import form, and the record of
//!   who approved, returned, published or deleted what and when;
//! - `/admin/reviews/{version}`: a draft's summary (items added, removed, changed; its error
//!   findings), its history, and the forms the viewer's roles allow; publishing asks for
//!   the 调整说明, the 批准文号 and a reason for each error, shows a confirmation page, then
//!   says what it did.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use quanze_store::{ReviewAction, ReviewEntry, ReviewState};
use serde::Deserialize;

use super::review::{self, ErrorFinding, PublishAsk, ReviewError, ReviewSummary};
use super::service::{self, Upload};
use crate::http::access::{Access, Action};
use crate::http::error::{ApiError, PageError, PageResult, no_store, render_with_status};
use crate::http::upload::{UploadError, read_file_form};
use crate::http::viewer::Viewer;
use crate::http::zh;
use crate::state::AppState;

pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    let upload = state.max_upload_bytes();
    Router::new()
        .route("/admin/reviews", get(queue))
        .route("/admin/reviews/import", post(import).layer(DefaultBodyLimit::max(upload)))
        .route("/admin/reviews/{version}", get(show))
        .route("/admin/reviews/{version}/publish", post(publish))
        .route("/admin/reviews/{version}/{action}", post(step))
}

fn page_error(e: ReviewError) -> PageError {
    let (status, kind) = e.status_and_kind();
    PageError(ApiError::from_parts(status, kind, e.to_string()))
}

fn status_of(e: &ReviewError) -> StatusCode {
    StatusCode::from_u16(e.status_and_kind().0).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A step of the record as a row.
struct EntryRow {
    at: String,
    bureau: String,
    /// The version's review page, unless the step deleted it.
    link: String,
    number: u32,
    action: &'static str,
    by: String,
    note: String,
    approval_no: String,
    overrides: Vec<(String, String)>,
    changes: String,
}

fn entry_row(e: &ReviewEntry) -> EntryRow {
    EntryRow {
        at: zh::beijing_time(e.at),
        bureau: e.bureau_name.clone(),
        link: if e.action == ReviewAction::Delete {
            String::new()
        } else {
            format!("/admin/reviews/{}", e.version.0)
        },
        number: e.version_number,
        action: e.action.label(),
        by: e.by_name.clone(),
        note: e.note.clone(),
        approval_no: e.approval_no.clone().unwrap_or_default(),
        overrides: e.overrides.iter().map(|o| (o.message.clone(), o.reason.clone())).collect(),
        changes: if e.action == ReviewAction::Publish {
            format!("新增 {} 项，删除 {} 项，变更 {} 项", e.added, e.removed, e.changed)
        } else {
            String::new()
        },
    }
}

// ---------- the queue ----------

struct QueueView {
    version_id: i64,
    bureau: String,
    number: i64,
    file_name: String,
    imported_at: String,
    imported_by: String,
    items: usize,
    errors: usize,
    state: String,
    waiting: bool,
}

#[derive(Template)]
#[template(path = "catalog/reviews.html")]
struct QueuePage {
    username: String,
    csrf: String,
    can_import: bool,
    message: String,
    error: String,
    rows: Vec<QueueView>,
    log: Vec<EntryRow>,
}

#[derive(Deserialize)]
struct QueueQuery {
    deleted: Option<String>,
}

async fn queue_page(
    state: &AppState,
    viewer: &Viewer,
    s: &quanze_store::Session,
    message: String,
    error: String,
) -> Result<QueuePage, PageError> {
    let rows = review::queue(state).await.map_err(page_error)?;
    let log = review::log(state, review::LOG_LIMIT).await.map_err(page_error)?;
    Ok(QueuePage {
        username: s.user.username.clone(),
        csrf: s.csrf_token.clone(),
        can_import: Access::allows(viewer, Action::ImportDraft),
        message,
        error,
        rows: rows
            .into_iter()
            .map(|r| QueueView {
                waiting: r.state == "pending" || r.state == "approved",
                version_id: r.version_id,
                bureau: r.bureau_name,
                number: r.number,
                file_name: r.file_name,
                imported_at: zh::beijing_time(r.imported_at),
                imported_by: r.imported_by.unwrap_or_else(|| "系统".into()),
                items: r.item_count,
                errors: r.error_count,
                state: r.state_label,
            })
            .collect(),
        log: log.iter().map(entry_row).collect(),
    })
}

async fn queue(State(state): State<AppState>, viewer: Viewer, Query(q): Query<QueueQuery>) -> PageResult {
    let Some(s) = viewer.session() else {
        return Ok(Redirect::to("/login").into_response());
    };
    Access::check(&viewer, Action::SeeReviews).map_err(ApiError::from)?;
    let mut message = String::new();
    if let Some(id) = q.deleted.as_deref().and_then(|d| d.trim().parse::<i64>().ok()) {
        let log = review::log(&state, review::LOG_LIMIT).await.map_err(page_error)?;
        if let Some(e) = log.iter().find(|e| e.id == id && e.action == ReviewAction::Delete) {
            message = review::said(e);
        }
    }
    let page = queue_page(&state, &viewer, s, message, String::new()).await?;
    Ok(no_store(render_with_status(&page, StatusCode::OK)))
}

async fn import(State(state): State<AppState>, viewer: Viewer, req: Request) -> PageResult {
    // Who asks is checked before the body is read; the CSRF token is a field of the body.
    Access::check_signed_in(&viewer).map_err(ApiError::from)?;
    Access::check(&viewer, Action::ImportDraft).map_err(ApiError::from)?;
    let limit = state.max_upload_bytes();
    let mp = Multipart::from_request(req, &state)
        .await
        .map_err(|e| ApiError::from(UploadError::Malformed(e.body_text())))?;
    let form = read_file_form(mp, limit).await.map_err(ApiError::from)?;
    let s = Access::check_write(&viewer, Action::ImportDraft, Some(form.csrf.as_deref().unwrap_or("")))
        .map_err(ApiError::from)?;
    // A draft for review: never published at once, whatever the form says.
    let up = Upload { file_name: form.file_name, bytes: form.bytes, publish: false };
    match service::import(&state, up, &s.user).await {
        Ok((r, _)) => {
            Ok(Redirect::to(&format!("/admin/reviews/{}?done=import", r.version.id)).into_response())
        }
        Err(e) => {
            let status =
                StatusCode::from_u16(e.status_and_kind().0).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let page = queue_page(&state, &viewer, s, String::new(), format!("导入失败：{e}")).await?;
            Ok(no_store(render_with_status(&page, status)))
        }
    }
}

// ---------- one draft ----------

struct FindingView {
    index: usize,
    rule: String,
    place: String,
    message: String,
    reason: String,
}

struct ChangeView {
    name: String,
    fields: String,
}

struct StubView {
    seq: String,
    name: String,
    category: String,
}

#[derive(Template)]
#[template(path = "catalog/review.html")]
struct ReviewPage {
    csrf: String,
    message: String,
    problems: Vec<String>,
    s: ReviewSummaryView,
    can_review: bool,
    can_manage: bool,
    /// The manage form resubmits (a returned or withdrawn draft) rather than withdraws.
    resubmit: bool,
    can_publish: bool,
    can_delete: bool,
    is_draft: bool,
    note: String,
    approval_no: String,
    findings: Vec<FindingView>,
    history: Vec<EntryRow>,
}

#[derive(Template)]
#[template(path = "catalog/review_confirm.html")]
struct ConfirmPage {
    csrf: String,
    s: ReviewSummaryView,
    note: String,
    approval_no: String,
    findings: Vec<FindingView>,
}

/// The summary as both pages show it.
struct ReviewSummaryView {
    version_id: i64,
    bureau_id: i64,
    bureau: String,
    number: i64,
    file_name: String,
    imported_at: String,
    imported_by: String,
    items: usize,
    state: String,
    base: String,
    added: Vec<StubView>,
    removed: Vec<StubView>,
    changed: Vec<ChangeView>,
    errors: usize,
    warnings: usize,
    infos: usize,
}

fn stub_view(s: &super::compare::ItemStub) -> StubView {
    StubView {
        seq: s.seq.map(|n| n.to_string()).unwrap_or_default(),
        name: s.name.clone(),
        category: s.category_label.clone(),
    }
}

fn summary_view(s: &ReviewSummary) -> ReviewSummaryView {
    ReviewSummaryView {
        version_id: s.version_id,
        bureau_id: s.bureau_id,
        bureau: s.bureau_name.clone(),
        number: s.number,
        file_name: s.file_name.clone(),
        imported_at: zh::beijing_time(s.imported_at),
        imported_by: s.imported_by.clone().unwrap_or_else(|| "系统".into()),
        items: s.item_count,
        state: s.state_label.clone(),
        base: match s.base {
            Some(n) => format!("与现行的第 {n} 版相比"),
            None => "本单位尚无已发布的版本：全部事项均为新增".into(),
        },
        added: s.added.iter().map(stub_view).collect(),
        removed: s.removed.iter().map(stub_view).collect(),
        changed: s
            .changed
            .iter()
            .map(|c| ChangeView {
                name: c.name.clone(),
                fields: c.changes.iter().map(|f| f.label.as_str()).collect::<Vec<_>>().join("、"),
            })
            .collect(),
        errors: s.errors.len(),
        warnings: s.warnings,
        infos: s.infos,
    }
}

fn finding_views(errors: &[ErrorFinding], reasons: &BTreeMap<usize, String>) -> Vec<FindingView> {
    errors
        .iter()
        .map(|e| {
            let mut place = String::new();
            if let Some(i) = e.item {
                place.push_str(&format!("第 {i} 项"));
            }
            if let Some(l) = e.line {
                if !place.is_empty() {
                    place.push('，');
                }
                place.push_str(&format!("原件第 {l} 行"));
            }
            FindingView {
                index: e.index,
                rule: e.rule.clone(),
                place,
                message: e.message.clone(),
                reason: reasons.get(&e.index).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

fn review_page(
    viewer: &Viewer,
    csrf: &str,
    s: &ReviewSummary,
    message: String,
    problems: Vec<String>,
    ask: &PublishAsk,
) -> ReviewPage {
    let st = s.state();
    ReviewPage {
        csrf: csrf.to_string(),
        message,
        problems,
        s: summary_view(s),
        can_review: Access::allows(viewer, Action::ReviewDraft)
            && (st.allows(ReviewAction::Approve) || st.allows(ReviewAction::Return)),
        can_manage: Access::allows(viewer, Action::ManageDraft)
            && (st.allows(ReviewAction::Withdraw) || st.allows(ReviewAction::Submit)),
        resubmit: st.allows(ReviewAction::Submit),
        can_publish: Access::allows(viewer, Action::Publish) && st == ReviewState::Approved,
        can_delete: Access::allows(viewer, Action::ManageDraft) && st.allows(ReviewAction::Delete),
        is_draft: st != ReviewState::Published,
        note: ask.note.clone(),
        approval_no: ask.approval_no.clone(),
        findings: finding_views(&s.errors, &ask.reasons),
        history: s
            .history
            .iter()
            .rev()
            .map(|h| EntryRow {
                at: h.at_text.clone(),
                bureau: h.bureau_name.clone(),
                link: String::new(),
                number: h.version_number,
                action: ReviewAction::from_str_opt(&h.action).map_or("", ReviewAction::label),
                by: h.by.clone(),
                note: h.note.clone(),
                approval_no: h.approval_no.clone().unwrap_or_default(),
                overrides: h.overrides.iter().map(|o| (o.message.clone(), o.reason.clone())).collect(),
                changes: if h.action == "publish" {
                    format!("新增 {} 项，删除 {} 项，变更 {} 项", h.added, h.removed, h.changed)
                } else {
                    String::new()
                },
            })
            .collect(),
    }
}

#[derive(Deserialize)]
struct ShowQuery {
    done: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(version): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    let Some(sess) = viewer.session() else {
        return Ok(Redirect::to("/login").into_response());
    };
    Access::check(&viewer, Action::SeeReviews).map_err(ApiError::from)?;
    let s = review::summary(&state, version).await.map_err(page_error)?;
    let message = match q.done.as_deref() {
        Some("import") => format!(
            "已导入为{}第 {} 版（{} 项），草稿尚未公开，等待法制审核。",
            s.bureau_name, s.number, s.item_count
        ),
        Some(_) => state
            .store()
            .review_entries(quanze_store::VersionId(version))
            .await
            .map_err(ApiError::internal)?
            .last()
            .map(review::said)
            .unwrap_or_default(),
        None => String::new(),
    };
    let page = review_page(&viewer, &sess.csrf_token, &s, message, Vec::new(), &PublishAsk::default());
    Ok(no_store(render_with_status(&page, StatusCode::OK)))
}

#[derive(Deserialize)]
struct StepForm {
    /// Missing is refused by the access check (403), not by the form's parser.
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
}

async fn step(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((version, action)): Path<(i64, String)>,
    Form(form): Form<StepForm>,
) -> PageResult {
    let action = review::parse_action(&action).map_err(page_error)?;
    let need = match action {
        ReviewAction::Approve | ReviewAction::Return => Action::ReviewDraft,
        _ => Action::ManageDraft,
    };
    let sess = Access::check_write(&viewer, need, Some(&form.csrf)).map_err(ApiError::from)?;
    match review::step(&state, version, action, &sess.user, &form.note).await {
        Ok(e) if action == ReviewAction::Delete => {
            Ok(Redirect::to(&format!("/admin/reviews?deleted={}", e.id)).into_response())
        }
        Ok(_) => {
            Ok(Redirect::to(&format!("/admin/reviews/{version}?done={}", action.as_str())).into_response())
        }
        Err(e @ (ReviewError::Refused(_) | ReviewError::Conflict(_) | ReviewError::Invalid(_))) => {
            let s = review::summary(&state, version).await.map_err(page_error)?;
            let status = status_of(&e);
            let problems = match e {
                ReviewError::Refused(p) => p,
                other => vec![other.to_string()],
            };
            let page =
                review_page(&viewer, &sess.csrf_token, &s, String::new(), problems, &PublishAsk::default());
            Ok(no_store(render_with_status(&page, status)))
        }
        Err(e) => Err(page_error(e)),
    }
}

/// The publish form: `csrf`, `note` (调整说明), `approval_no` (批准文号), `reason_{index}`
/// for each error finding, and `confirm=1` from the confirmation page.
/// Returns the token, the request, and whether the confirmation page sent it back to be
/// edited (`confirm=0`).
fn publish_ask(fields: &[(String, String)]) -> (Option<String>, PublishAsk, bool) {
    let mut csrf = None;
    let mut ask = PublishAsk::default();
    let mut back = false;
    for (k, v) in fields {
        match k.as_str() {
            "csrf" => csrf = Some(v.clone()),
            "note" => ask.note = v.clone(),
            "approval_no" => ask.approval_no = v.clone(),
            "confirm" => {
                ask.confirm = v == "1";
                back = v == "0";
            }
            _ => {
                if let Some(i) = k.strip_prefix("reason_").and_then(|i| i.parse::<usize>().ok()) {
                    ask.reasons.insert(i, v.clone());
                }
            }
        }
    }
    (csrf, ask, back)
}

async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(version): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let (csrf, ask, back) = publish_ask(&fields);
    let sess = Access::check_write(&viewer, Action::Publish, Some(csrf.as_deref().unwrap_or("")))
        .map_err(ApiError::from)?;
    let s = review::summary(&state, version).await.map_err(page_error)?;
    if back {
        let page = review_page(&viewer, &sess.csrf_token, &s, String::new(), Vec::new(), &ask);
        return Ok(no_store(render_with_status(&page, StatusCode::OK)));
    }
    let problems = review::publish_problems(&s, &ask);
    if !problems.is_empty() {
        let page = review_page(&viewer, &sess.csrf_token, &s, String::new(), problems, &ask);
        return Ok(no_store(render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)));
    }
    if !ask.confirm {
        let page = ConfirmPage {
            csrf: sess.csrf_token.clone(),
            s: summary_view(&s),
            note: ask.note.trim().to_string(),
            approval_no: ask.approval_no.trim().to_string(),
            findings: finding_views(&s.errors, &ask.reasons),
        };
        return Ok(no_store(render_with_status(&page, StatusCode::OK)));
    }
    match review::publish(&state, version, &sess.user, &ask).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/reviews/{version}?done=publish")).into_response()),
        Err(e @ (ReviewError::Refused(_) | ReviewError::Conflict(_) | ReviewError::Invalid(_))) => {
            let status = status_of(&e);
            let s = review::summary(&state, version).await.map_err(page_error)?;
            let problems = match e {
                ReviewError::Refused(p) => p,
                other => vec![other.to_string()],
            };
            let page = review_page(&viewer, &sess.csrf_token, &s, String::new(), problems, &ask);
            Ok(no_store(render_with_status(&page, status)))
        }
        Err(e) => Err(page_error(e)),
    }
}

impl From<ReviewError> for PageError {
    fn from(e: ReviewError) -> PageError {
        page_error(e)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_publish_form_reads_its_reasons_by_index() {
        let f = |k: &str, v: &str| (k.to_string(), v.to_string());
        let (csrf, ask, back) = super::publish_ask(&[
            f("csrf", "t"),
            f("note", "调整说明"),
            f("approval_no", "文号"),
            f("reason_3", "笔误"),
            f("reason_x", "ignored"),
            f("confirm", "1"),
        ]);
        assert_eq!((csrf.as_deref(), back), (Some("t"), false));
        assert_eq!((ask.note.as_str(), ask.approval_no.as_str(), ask.confirm), ("调整说明", "文号", true));
        assert_eq!(ask.reasons.into_iter().collect::<Vec<_>>(), vec![(3, "笔误".to_string())]);
    }
}
