//! The publication API: `GET /api/publications` (public), `GET /api/publications/{id}`
//! (public), `POST /api/publications/{id}/retract` (a leader of the case's bureau;
//! `X-CSRF-Token`). Refusals are problem+json with `code` and `articles`.

use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

use super::service::{
    self, PublicDecision, PublicDetail, PublicList, PublicationError, Refusal, RetractRequest,
};
use crate::http::access::{Access, Action};
use crate::http::error::{ApiError, Problem};
use crate::http::params::{paging, parse_id};
use crate::http::viewer::Viewer;
use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/publications", get(api_list))
        .route("/api/publications/{id}", get(api_one))
        .route("/api/publications/{id}/retract", post(api_retract))
}

#[derive(OpenApi)]
#[openapi(
    paths(api_list, api_one, api_retract),
    components(schemas(PublicList, PublicDecision, PublicDetail, RetractRequest, Problem, Refusal))
)]
pub(crate) struct PublicationDoc;

impl From<PublicationError> for ApiError {
    fn from(e: PublicationError) -> Self {
        let api = match &e {
            PublicationError::Internal(cause) => return ApiError::internal(cause),
            _ => ApiError::from_parts(e.status(), e.kind(), e.to_string()),
        };
        match e.refusal() {
            Some(r) => api.with_refusal(r.code.clone(), r.articles.clone()),
            None => api,
        }
    }
}

type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListParams {
    /// The bureau's id; every bureau when absent.
    bureau: Option<String>,
    /// Rows to skip (default 0).
    offset: Option<String>,
    /// Rows to return (default 50, at most 500).
    limit: Option<String>,
}

/// 行政执法公示: published decisions, newest first, a natural person's name and identifiers
/// masked. Decisions not yet published and retracted ones are not listed. No login.
#[utoipa::path(get, path = "/api/publications", tag = "publication", params(ListParams),
    responses((status = 200, body = PublicList),
        (status = 400, body = Problem, content_type = "application/problem+json")))]
async fn api_list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(p): Query<ListParams>,
) -> ApiResult<Json<PublicList>> {
    Access::check(&viewer, Action::ReadPublic)?;
    let page = paging(p.offset.as_deref(), p.limit.as_deref()).map_err(ApiError::from)?;
    let bureau = match p.bureau.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(b) => Some(parse_id("bureau", b).map_err(ApiError::from)?),
        None => None,
    };
    Ok(Json(service::list(state.store(), bureau, page.offset, page.limit).await?))
}

/// One publication: the decision while published; once retracted, only the date and the
/// reason (行政处罚法 第四十八条). A decision never published is 404. No login.
#[utoipa::path(get, path = "/api/publications/{id}", tag = "publication", params(("id" = i64, Path)),
    responses((status = 200, body = PublicDetail),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn api_one(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<Json<PublicDetail>> {
    Access::check(&viewer, Action::ReadPublic)?;
    let id = parse_id("id", &id).map_err(ApiError::from)?;
    Ok(Json(service::one(state.store(), id).await?))
}

/// Retract a published decision (a leader of the case's bureau; `X-CSRF-Token`) with a
/// reason, within three working days of the day the decision was changed, revoked or found
/// unlawful or void (行政处罚法 第四十八条第二款, 第八十五条). Late: 422 with code
/// `retract_late` and the articles.
#[utoipa::path(post, path = "/api/publications/{id}/retract", tag = "publication", params(("id" = i64, Path)),
    request_body = RetractRequest,
    responses((status = 200, body = PublicDetail),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn api_retract(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    req: Request,
) -> ApiResult<Response> {
    let session = Access::check_write(&viewer, Action::WorkCases, None)?.clone();
    let id = parse_id("id", &id).map_err(ApiError::from)?;
    let Json(ask) = Json::<RetractRequest>::from_request(req, &state)
        .await
        .map_err(|e| ApiError::new(e.status(), "bad-request", e.body_text()))?;
    let done = service::retract(state.cases(), Some(&session), id, &ask, state.now()).await?;
    Ok((StatusCode::OK, Json(done)).into_response())
}
