//! The people API (administrators only): `GET/POST /api/people`, `GET/POST /api/people/{id}`,
//! `POST /api/people/{id}/retire`, `POST /api/people/{id}/login`, `POST /api/people/import`.
//! Writes need the session's CSRF token in `X-CSRF-Token`.

use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use quanze_casework::people_import::{ImportReport, RowError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::service::{self, Linked, PeopleError, PersonForm, PersonView, PreviewRow, preview_rows};
use crate::http::access::{Access, Action};
use crate::http::error::{ApiError, Problem, RowProblem};
use crate::http::params::parse_id;
use crate::http::upload::read_file_form;
use crate::http::viewer::Viewer;
use crate::state::AppState;

pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    let upload = state.max_upload_bytes().min(quanze_casework::people_import::MAX_FILE_BYTES);
    Router::new()
        .route("/api/people", get(api_list).post(api_add))
        .route("/api/people/{id}", get(api_one).post(api_change))
        .route("/api/people/{id}/retire", post(api_retire))
        .route("/api/people/{id}/login", post(api_link))
        .route("/api/people/import", post(api_import).layer(DefaultBodyLimit::max(upload + 64 * 1024)))
}

#[derive(OpenApi)]
#[openapi(
    paths(api_list, api_add, api_one, api_change, api_retire, api_link, api_import),
    components(schemas(
        PersonView,
        PersonForm,
        PeopleList,
        LinkRequest,
        Linked,
        ImportAnswer,
        PreviewRow,
        RowProblem,
        Problem
    ))
)]
pub(crate) struct PeopleDoc;

fn row_problems(errors: &[RowError]) -> Vec<RowProblem> {
    errors.iter().map(|e| RowProblem { line: e.line, message: e.message.clone() }).collect()
}

impl From<PeopleError> for ApiError {
    fn from(e: PeopleError) -> Self {
        match &e {
            PeopleError::Internal(cause) => ApiError::internal(cause),
            PeopleError::Rows(rows) => {
                ApiError::from_parts(e.status(), e.kind(), e.to_string()).with_rows(row_problems(rows))
            }
            _ => ApiError::from_parts(e.status(), e.kind(), e.to_string()),
        }
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// A JSON body, read only after the caller was admitted.
async fn json_body<T: serde::de::DeserializeOwned>(req: Request, state: &AppState) -> ApiResult<T> {
    let Json(body) = Json::<T>::from_request(req, state)
        .await
        .map_err(|e| ApiError::new(e.status(), "bad-request", e.body_text()))?;
    Ok(body)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListParams {
    /// The bureau's id; all bureaus when absent.
    bureau: Option<String>,
}

/// People, retired ones last.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct PeopleList {
    pub people: Vec<PersonView>,
}

/// The people of a bureau (or all) with their posts, office, certificate and its standing
/// (`expired`, `expiring` within 30 days), role, login and whether retired. Administrators only.
#[utoipa::path(get, path = "/api/people", tag = "people", params(ListParams),
    responses((status = 200, body = PeopleList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn api_list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(p): Query<ListParams>,
) -> ApiResult<Json<PeopleList>> {
    Access::check(&viewer, Action::ManagePeople)?;
    let bureau = match p.bureau.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(b) => Some(parse_id("bureau", b).map_err(ApiError::from)?),
        None => None,
    };
    Ok(Json(PeopleList { people: service::list(state.store(), bureau, state.today()).await? }))
}

/// Add a person (administrators; `X-CSRF-Token`). 201 with the person; 400 with every
/// problem of the body in Chinese.
#[utoipa::path(post, path = "/api/people", tag = "people", request_body = PersonForm,
    responses((status = 201, body = PersonView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn api_add(State(state): State<AppState>, viewer: Viewer, req: Request) -> ApiResult<Response> {
    Access::check_write(&viewer, Action::ManagePeople, None)?;
    let form: PersonForm = json_body(req, &state).await?;
    let p = service::add(state.cases(), &form, state.today()).await?;
    Ok((StatusCode::CREATED, Json(p)).into_response())
}

fn id_of(s: &str) -> ApiResult<i64> {
    parse_id("id", s).map_err(ApiError::from)
}

/// One person (administrators).
#[utoipa::path(get, path = "/api/people/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = PersonView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn api_one(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonView>> {
    Access::check(&viewer, Action::ManagePeople)?;
    Ok(Json(service::one(state.store(), id_of(&id)?, state.today()).await?))
}

/// Change a working person (administrators; `X-CSRF-Token`). A retired person is not changed.
#[utoipa::path(post, path = "/api/people/{id}", tag = "people", params(("id" = i64, Path)), request_body = PersonForm,
    responses((status = 200, body = PersonView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn api_change(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    req: Request,
) -> ApiResult<Json<PersonView>> {
    Access::check_write(&viewer, Action::ManagePeople, None)?;
    let id = id_of(&id)?;
    let form: PersonForm = json_body(req, &state).await?;
    Ok(Json(service::change(state.cases(), id, &form, state.today()).await?))
}

/// Retire a person (离岗; administrators; `X-CSRF-Token`): kept, because past events name
/// them; their login is disabled and its sessions end; the case policy refuses them.
#[utoipa::path(post, path = "/api/people/{id}/retire", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = PersonView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn api_retire(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonView>> {
    Access::check_write(&viewer, Action::ManagePeople, None)?;
    Ok(Json(service::retire(state.cases(), id_of(&id)?, state.today()).await?))
}

/// Which login a person uses.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub(crate) struct LinkRequest {
    /// The account's name (created with a random initial password when missing); `null` or
    /// empty takes the person's login away.
    pub login: Option<String>,
}

/// Link a person to a login account (administrators; `X-CSRF-Token`). An account created here
/// comes with its initial password, answered once.
#[utoipa::path(post, path = "/api/people/{id}/login", tag = "people", params(("id" = i64, Path)), request_body = LinkRequest,
    responses((status = 200, body = Linked),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn api_link(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    req: Request,
) -> ApiResult<Json<Linked>> {
    Access::check_write(&viewer, Action::ManagePeople, None)?;
    let id = id_of(&id)?;
    let body: LinkRequest = json_body(req, &state).await?;
    Ok(Json(service::link(state.cases(), id, body.login.as_deref(), state.today()).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ImportParams {
    /// The bureau the people belong to.
    bureau: String,
    /// `true`: import (all or nothing). Absent or `false`: only read the file and answer its
    /// rows and errors.
    confirm: Option<String>,
}

/// The answer of an import: the rows read (preview) or what the import did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ImportAnswer {
    pub imported: bool,
    pub rows: Vec<PreviewRow>,
    pub errors: Vec<RowProblem>,
    pub ignored_columns: Vec<String>,
    pub added: usize,
    pub updated: usize,
    /// Accounts created with their initial passwords (login, password), shown once.
    pub new_accounts: Vec<(String, String)>,
}

/// Import people from a csv or xlsx file (multipart, part `file`; administrators;
/// `X-CSRF-Token`). Without `confirm=true` nothing is written: the rows and each row's
/// errors are answered. With it, the import is all or nothing: 201 with what it did, or 422
/// with every row's errors and nothing written.
#[utoipa::path(post, path = "/api/people/import", tag = "people", params(ImportParams),
    request_body(content_type = "multipart/form-data", description = "part `file`: the csv or xlsx table"),
    responses((status = 200, body = ImportAnswer, description = "read, not imported"),
        (status = 201, body = ImportAnswer, description = "imported"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn api_import(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(p): Query<ImportParams>,
    req: Request,
) -> ApiResult<Response> {
    Access::check_write(&viewer, Action::ManagePeople, None)?;
    let bureau = parse_id("bureau", &p.bureau).map_err(ApiError::from)?;
    let mp = Multipart::from_request(req, &state).await.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let limit = state.max_upload_bytes().min(quanze_casework::people_import::MAX_FILE_BYTES);
    let form = read_file_form(mp, limit).await.map_err(ApiError::from)?;
    let sheet = service::preview(&form.file_name, &form.bytes);
    let confirm = matches!(p.confirm.as_deref().map(str::trim), Some("true" | "1" | "yes"));
    if !confirm {
        return Ok(Json(answer(&sheet, None)).into_response());
    }
    let report = service::import(state.cases(), bureau, &form.file_name, &form.bytes).await?;
    Ok((StatusCode::CREATED, Json(answer(&sheet, Some(report)))).into_response())
}

fn answer(sheet: &quanze_casework::people_import::PeopleSheet, report: Option<ImportReport>) -> ImportAnswer {
    let (imported, added, updated, new_accounts) = match report {
        Some(r) => (true, r.added, r.updated, r.new_accounts),
        None => (false, 0, 0, Vec::new()),
    };
    ImportAnswer {
        imported,
        rows: preview_rows(sheet),
        errors: row_problems(&sheet.errors),
        ignored_columns: sheet.ignored_columns.clone(),
        added,
        updated,
        new_accounts,
    }
}
