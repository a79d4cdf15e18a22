//! The review and publication API (issue 11) under `/api/reviews`: the drafts awaiting
//! review, a draft's summary, its steps (approve, return, withdraw, submit, delete) and its
//! publication, and the record of who did what when. Cookie sessions send `X-CSRF-Token`;
//! errors are `application/problem+json` with a Chinese `detail`.

use axum::Json;
use axum::Router;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::review::{self, PublishAsk, QueueRow, ReviewEntryDto, ReviewError, ReviewSummary};
use crate::http::access::{Access, Action};
use crate::http::error::{ApiError, Problem};
use crate::http::viewer::Viewer;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(list_drafts, review_log, get_summary, take_step, publish_draft),
    components(schemas(
        Problem,
        QueueRow,
        ReviewSummary,
        ReviewEntryDto,
        review::OverrideDto,
        review::ErrorFinding,
        StepRequest,
        PublishRequest,
        OverrideReason,
        Drafts
    ))
)]
pub(crate) struct ApiDoc;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/reviews", get(list_drafts))
        .route("/api/reviews/log", get(review_log))
        .route("/api/reviews/{version}", get(get_summary))
        .route("/api/reviews/{version}/publish", post(publish_draft))
        .route("/api/reviews/{version}/{action}", post(take_step))
}

impl From<ReviewError> for ApiError {
    fn from(e: ReviewError) -> ApiError {
        let (status, kind) = e.status_and_kind();
        match e {
            ReviewError::Internal(_) => ApiError::from_parts(status, kind, "服务器内部错误。"),
            e => ApiError::from_parts(status, kind, e.to_string()),
        }
    }
}

/// A JSON object body, read after the caller was checked; errors in Chinese.
async fn json_body<T: serde::de::DeserializeOwned>(state: &AppState, req: Request) -> Result<T, ApiError> {
    let bytes = axum::body::Bytes::from_request(req, state)
        .await
        .map_err(|_| ApiError::bad_request("无法读取请求体。"))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!("请求体应为 JSON 对象（第 {} 行第 {} 列有误）。", e.line(), e.column()),
        )
    })
}

/// Drafts not yet published, with where each stands.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Drafts {
    pub drafts: Vec<QueueRow>,
}

/// A step's note: 审核意见, or the reason for returning, withdrawing or deleting (required
/// for those three).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepRequest {
    #[serde(default)]
    pub note: String,
}

/// The reason for publishing one error finding anyway.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OverrideReason {
    /// The finding's `index` in the summary's `errors`.
    pub index: usize,
    pub reason: String,
}

/// Publish an approved draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PublishRequest {
    /// 调整说明 (required).
    pub note: String,
    /// 批准文号.
    #[serde(default)]
    pub approval_no: String,
    /// A reason for every error finding of the summary.
    #[serde(default)]
    pub overrides: Vec<OverrideReason>,
    /// Must be `true`: the caller has read the summary (`GET /api/reviews/{version}`).
    #[serde(default)]
    pub confirm: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct LogParams {
    /// How many steps, newest first (at most 200, the default).
    pub limit: Option<String>,
}

/// Drafts awaiting review, then returned and withdrawn ones (officers, legal reviewers,
/// administrators).
#[utoipa::path(get, path = "/api/reviews", tag = "reviews",
    responses((status = 200, body = Drafts), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn list_drafts(State(state): State<AppState>, viewer: Viewer) -> Result<Json<Drafts>, ApiError> {
    Access::check(&viewer, Action::SeeReviews)?;
    Ok(Json(Drafts { drafts: review::queue(&state).await? }))
}

/// Who submitted, approved, returned, withdrew, published or deleted which version, when,
/// and why; newest first.
#[utoipa::path(get, path = "/api/reviews/log", tag = "reviews", params(LogParams),
    responses((status = 200, body = Vec<ReviewEntryDto>), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn review_log(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(p): Query<LogParams>,
) -> Result<Json<Vec<ReviewEntryDto>>, ApiError> {
    Access::check(&viewer, Action::SeeReviews)?;
    let limit = match p.limit.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => review::LOG_LIMIT,
        Some(s) => {
            s.parse::<u32>().ok().filter(|n| (1..=review::LOG_LIMIT).contains(n)).ok_or_else(|| {
                ApiError::bad_request(format!("limit 应为 1 到 {} 的整数。", review::LOG_LIMIT))
            })?
        }
    };
    Ok(Json(review::log(&state, limit).await?.iter().map(review::entry_dto).collect()))
}

/// A version's summary: items added, removed and changed against the published version,
/// its error findings, where it stands and its steps so far.
#[utoipa::path(get, path = "/api/reviews/{version}", tag = "reviews",
    params(("version" = i64, Path, description = "version id")),
    responses((status = 200, body = ReviewSummary), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_summary(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(version): Path<i64>,
) -> Result<Json<ReviewSummary>, ApiError> {
    Access::check(&viewer, Action::SeeReviews)?;
    Ok(Json(review::summary(&state, version).await?))
}

/// A review step: `approve` or `return` (legal reviewers), `withdraw`, `submit` or `delete`
/// (officers, administrators). Returning, withdrawing and deleting need a `note`.
#[utoipa::path(post, path = "/api/reviews/{version}/{action}", tag = "reviews", request_body = StepRequest,
    params(("version" = i64, Path, description = "version id"),
        ("action" = String, Path, description = "approve, return, withdraw, submit or delete")),
    responses((status = 200, body = ReviewEntryDto), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn take_step(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((version, action)): Path<(i64, String)>,
    req: Request,
) -> Result<Json<ReviewEntryDto>, ApiError> {
    let action = review::parse_action(&action)?;
    let need = match action {
        quanze_store::ReviewAction::Approve | quanze_store::ReviewAction::Return => Action::ReviewDraft,
        _ => Action::ManageDraft,
    };
    let session = Access::check_write(&viewer, need, None)?;
    let user = session.user.clone();
    let body: StepRequest = json_body(&state, req).await?;
    let entry = review::step(&state, version, action, &user, &body.note).await?;
    Ok(Json(review::entry_dto(&entry)))
}

/// Publish an approved draft (administrators): the `note` (调整说明), the `approval_no`
/// (批准文号), a reason for each error finding, and `confirm: true`.
#[utoipa::path(post, path = "/api/reviews/{version}/publish", tag = "reviews", request_body = PublishRequest,
    params(("version" = i64, Path, description = "version id")),
    responses((status = 200, body = ReviewEntryDto), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn publish_draft(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(version): Path<i64>,
    req: Request,
) -> Result<Json<ReviewEntryDto>, ApiError> {
    let session = Access::check_write(&viewer, Action::Publish, None)?;
    let user = session.user.clone();
    let body: PublishRequest = json_body(&state, req).await?;
    let ask = PublishAsk {
        note: body.note,
        approval_no: body.approval_no,
        reasons: body.overrides.into_iter().map(|o| (o.index, o.reason)).collect(),
        confirm: body.confirm,
    };
    let entry = review::publish(&state, version, &user, &ask).await?;
    Ok(Json(review::entry_dto(&entry)))
}
