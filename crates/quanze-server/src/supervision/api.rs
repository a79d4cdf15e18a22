//! The supervision API: alerts by filter, one alert with its evidence and log, the
//! supervisors' actions, the figures per bureau and month, the xlsx export, the sweep, and
//! the coverage report of each list. Everything but the coverage is for supervisors and
//! administrators; errors are problem+json with a Chinese `detail`.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use super::download::xlsx_response;
use super::service::{
    self, AlertDetail, AlertList, AlertView, ClauseRow, Filters, ItemCoverageRow, ListCoverage, MonthFigures,
    SupervisionError,
};
use crate::http::access::{Access, Action};
use crate::http::error::{ApiError, no_store};
use crate::http::params::parse_id;
use crate::http::viewer::Viewer;
use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/supervision/alerts", get(api_alerts))
        .route("/api/supervision/alerts.xlsx", get(api_export))
        .route("/api/supervision/alerts/{id}", get(api_alert))
        .route("/api/supervision/alerts/{id}/actions", post(api_act))
        .route("/api/supervision/figures", get(api_figures))
        .route("/api/supervision/sweep", post(api_sweep))
        .route("/api/supervision/coverage", get(api_coverage))
}

#[derive(OpenApi)]
#[openapi(
    paths(api_alerts, api_export, api_alert, api_act, api_figures, api_sweep, api_coverage),
    components(schemas(
        AlertList,
        AlertView,
        AlertDetail,
        service::EvidenceEvent,
        service::LogRow,
        AlertActionRequest,
        MonthFigures,
        SweepAnswer,
        ListCoverage,
        ItemCoverageRow,
        ClauseRow
    ))
)]
pub(crate) struct SupervisionDoc;

impl From<SupervisionError> for ApiError {
    fn from(e: SupervisionError) -> Self {
        // Every supervision problem keeps the kind `supervision`; an internal one is logged
        // where it arose (`service::internal`), so its cause is not repeated here.
        ApiError::from_parts(e.status(), "supervision", e.to_string())
    }
}

/// A supervision error as problem+json, never cached (supervision answers carry supervised
/// data).
struct SupervisionApiError(ApiError);

impl From<SupervisionError> for SupervisionApiError {
    fn from(e: SupervisionError) -> Self {
        SupervisionApiError(e.into())
    }
}

impl From<crate::http::access::Denied> for SupervisionApiError {
    fn from(d: crate::http::access::Denied) -> Self {
        let e = ApiError::from(d);
        let e = match e.status.as_u16() {
            401 => SupervisionError::LoginRequired,
            500 => SupervisionError::Internal(e.detail),
            _ => SupervisionError::Refused(e.detail),
        };
        e.into()
    }
}

impl From<crate::http::params::ParamError> for SupervisionApiError {
    fn from(e: crate::http::params::ParamError) -> Self {
        SupervisionError::Invalid(e.to_string()).into()
    }
}

impl IntoResponse for SupervisionApiError {
    fn into_response(self) -> Response {
        no_store(self.0.into_response())
    }
}

type ApiResult<T> = Result<T, SupervisionApiError>;

async fn scope(state: &AppState, viewer: &Viewer) -> ApiResult<service::Scope> {
    Access::check(viewer, Action::WorkCases)?;
    Ok(service::scope(state, viewer.session()).await?)
}

/// Alerts of the bureaus the viewer supervises, gravest and oldest first.
#[utoipa::path(get, path = "/api/supervision/alerts", tag = "supervision", params(Filters),
    responses((status = 200, body = AlertList), (status = 401), (status = 403)))]
async fn api_alerts(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(filters): Query<Filters>,
) -> ApiResult<Response> {
    let scope = scope(&state, &viewer).await?;
    Ok(no_store(Json(service::list(&state, &scope, &filters).await?).into_response()))
}

/// The filtered alerts (all pages) and the figures as an xlsx workbook.
#[utoipa::path(get, path = "/api/supervision/alerts.xlsx", tag = "supervision", params(Filters),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 401), (status = 403)))]
async fn api_export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(filters): Query<Filters>,
) -> ApiResult<Response> {
    let scope = scope(&state, &viewer).await?;
    Ok(xlsx_response(service::export_xlsx(&state, &scope, &filters).await?, &state))
}

/// One alert with the events that triggered it and its log.
#[utoipa::path(get, path = "/api/supervision/alerts/{id}", tag = "supervision",
    params(("id" = i64, Path, description = "alert id")),
    responses((status = 200, body = AlertDetail), (status = 401), (status = 403), (status = 404)))]
async fn api_alert(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let scope = scope(&state, &viewer).await?;
    let id = parse_id("预警", &id)?;
    Ok(no_store(Json(service::detail(&state, &scope, id).await?).into_response()))
}

/// A supervisor's action on an alert.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub(crate) struct AlertActionRequest {
    /// `acknowledge`, `resolve`, `reopen`, `issue_notice`, `reply`.
    pub action: String,
    /// The justification (resolve), the reason (reopen), the reply (reply).
    #[serde(default)]
    pub text: Option<String>,
}

/// Acknowledge, resolve (with the written justification), reopen (with the reason), issue a
/// 监察建议书 (numbered; its reply deadline from the configuration) or record its reply. Needs
/// the session's CSRF token in `X-CSRF-Token`.
#[utoipa::path(post, path = "/api/supervision/alerts/{id}/actions", tag = "supervision",
    params(("id" = i64, Path, description = "alert id")), request_body = AlertActionRequest,
    responses((status = 200, body = AlertView), (status = 400), (status = 401), (status = 403), (status = 404)))]
async fn api_act(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<AlertActionRequest>,
) -> ApiResult<Response> {
    let session = Access::check_write(&viewer, Action::WorkCases, None)?;
    let scope = service::scope(&state, Some(session)).await?;
    let id = parse_id("预警", &id)?;
    let cmd = service::parse_command(&body.action, body.text.as_deref())?;
    Ok(no_store(Json(service::command(&state, &scope, id, &cmd).await?).into_response()))
}

/// 预警率, 按期办结率 and alerts resolved in time, per bureau and month.
#[utoipa::path(get, path = "/api/supervision/figures", tag = "supervision", params(Filters),
    responses((status = 200, body = [MonthFigures]), (status = 401), (status = 403)))]
async fn api_figures(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(filters): Query<Filters>,
) -> ApiResult<Response> {
    let scope = scope(&state, &viewer).await?;
    Ok(no_store(Json(service::figures(&state, &scope, &filters).await?).into_response()))
}

/// What a sweep did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct SweepAnswer {
    pub cases: usize,
    pub current: usize,
    pub raised: usize,
    pub changed: usize,
    pub cleared: usize,
    pub escalated: usize,
}

/// Run the rules over every case now (also done at start and hourly). Administrators only.
#[utoipa::path(post, path = "/api/supervision/sweep", tag = "supervision",
    responses((status = 200, body = SweepAnswer), (status = 401), (status = 403)))]
async fn api_sweep(State(state): State<AppState>, viewer: Viewer) -> ApiResult<Response> {
    Access::check_write(&viewer, Action::Administer, None)?;
    let r = service::sweep(&state).await.map_err(SupervisionError::from)?;
    Ok(no_store(
        Json(SweepAnswer {
            cases: r.cases,
            current: r.current,
            raised: r.raised,
            changed: r.changed,
            cleared: r.cleared,
            escalated: r.escalated,
        })
        .into_response(),
    ))
}

/// The accountability clauses of each bureau's current list: automated (with their rule
/// kinds) or checked by hand (with the reason). Public, like the lists.
#[utoipa::path(get, path = "/api/supervision/coverage", tag = "supervision",
    responses((status = 200, body = [ListCoverage])))]
async fn api_coverage(State(state): State<AppState>) -> Response {
    Json(service::coverage(&state)).into_response()
}
