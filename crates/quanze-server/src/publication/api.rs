//! The publication API: `GET /api/publications` (public), `GET /api/publications/{id}`
//! (public), `POST /api/publications/{id}/retract` (a leader of the case's bureau;
//! `X-CSRF-Token`). Refusals are problem+json with `code` and `articles`.

use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::service::{
    self, PublicDecision, PublicDetail, PublicList, PublicationError, Refusal, RetractRequest,
};
use crate::http::access::{Access, Action, Denied};
use crate::http::error::{ApiError, PROBLEM_JSON};
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
    components(schemas(
        PublicList,
        PublicDecision,
        PublicDetail,
        RetractRequest,
        PublicationProblem,
        Refusal
    ))
)]
pub(crate) struct PublicationDoc;

/// A problem document (RFC 9457) with a refusal's code and articles.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct PublicationProblem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// In Chinese.
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub articles: Option<Vec<String>>,
}

pub(crate) struct PublicationApiError(ApiError, Option<Refusal>);

impl From<PublicationError> for PublicationApiError {
    fn from(e: PublicationError) -> Self {
        let refusal = e.refusal().cloned();
        let api = match &e {
            PublicationError::Internal(cause) => ApiError::internal(cause),
            _ => ApiError::from_parts(e.status(), e.kind(), e.to_string()),
        };
        PublicationApiError(api, refusal)
    }
}

impl From<Denied> for PublicationApiError {
    fn from(d: Denied) -> Self {
        PublicationApiError(ApiError::from(d), None)
    }
}

impl From<ApiError> for PublicationApiError {
    fn from(e: ApiError) -> Self {
        PublicationApiError(e, None)
    }
}

impl IntoResponse for PublicationApiError {
    fn into_response(self) -> Response {
        let p = self.0.problem();
        let body = PublicationProblem {
            kind: p.kind,
            title: p.title,
            status: p.status,
            detail: p.detail,
            code: self.1.as_ref().map(|r| r.code.clone()),
            articles: self.1.map(|r| r.articles),
        };
        let mut resp = (self.0.status, serde_json::to_vec(&body).unwrap_or_default()).into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        resp
    }
}

type ApiResult<T> = Result<T, PublicationApiError>;

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
        (status = 400, body = PublicationProblem, content_type = "application/problem+json")))]
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
        (status = 404, body = PublicationProblem, content_type = "application/problem+json")))]
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
        (status = 400, body = PublicationProblem, content_type = "application/problem+json"),
        (status = 401, body = PublicationProblem, content_type = "application/problem+json"),
        (status = 403, body = PublicationProblem, content_type = "application/problem+json"),
        (status = 404, body = PublicationProblem, content_type = "application/problem+json"),
        (status = 422, body = PublicationProblem, content_type = "application/problem+json")))]
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
