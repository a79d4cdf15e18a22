//! The catalog's JSON API under `/api`: bureaus, versions, items, diagnostics, search,
//! comparison, imports and publishing. Errors are `application/problem+json`; listings are
//! paged with `offset` and `limit` (default 50, at most 500) and carry `total`.

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

use super::compare::{self, AlignedRow, VersionDiff};
use super::dto::{
    BureauDto, BureauList, Comparison, DiagnosticsReport, ImportResult, ItemDto, ItemList, SearchHit,
    SearchResult, VersionDto, bureau_dto, diag_counts, diag_dto, item_summary, snippet_dto, version_dto,
};
use super::service::{self, CatalogError, SearchAsk, Upload};
use crate::http::access::{Access, Action};
use crate::http::error::{ApiError, Problem};
use crate::http::heavy::HeavyClient;
use crate::http::params::{PageParams, paging};
use crate::http::upload::{UploadError, read_file_form};
use crate::http::viewer::Viewer;
use crate::read::model::{CategoryCount, ItemRef};
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "quanze API",
        description = "权责清单 (lists of powers and responsibilities) of medical-security bureaus."
    ),
    paths(
        list_bureaus,
        get_bureau,
        bureau_items,
        list_versions,
        publish_version,
        version_diff,
        diagnostics,
        get_item,
        search_items,
        compare,
        import
    ),
    components(schemas(
        Problem,
        CategoryCount,
        VersionDiff,
        AlignedRow,
        compare::ItemStub,
        compare::ChangedItem,
        compare::FieldChange
    ))
)]
pub(crate) struct ApiDoc;

pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    let upload = state.max_upload_bytes();
    Router::new()
        .route("/api/bureaus", get(list_bureaus))
        .route("/api/bureaus/{id}", get(get_bureau))
        .route("/api/bureaus/{id}/items", get(bureau_items))
        .route("/api/bureaus/{id}/versions", get(list_versions))
        .route("/api/bureaus/{id}/versions/{version}/publish", post(publish_version))
        .route("/api/bureaus/{id}/diff", get(version_diff))
        .route("/api/bureaus/{id}/diagnostics", get(diagnostics))
        .route("/api/items/{id}", get(get_item))
        .route("/api/search", get(search_items))
        .route("/api/compare", get(compare))
        .route("/api/imports", post(import).layer(DefaultBodyLimit::max(upload)))
        .layer(DefaultBodyLimit::max(64 * 1024))
}

/// The API's rendering of a catalog error: the status and problem kind as always, the
/// message (Chinese) as `detail`.
fn problem(e: CatalogError) -> ApiError {
    let (status, kind) = e.status_and_kind();
    let retry_after = e.retry_after();
    let mut err = match e {
        CatalogError::Internal(_) => ApiError::from_parts(status, kind, "internal server error"),
        e => ApiError::from_parts(status, kind, e.to_string()),
    };
    err.retry_after = retry_after;
    err
}

impl From<CatalogError> for ApiError {
    fn from(e: CatalogError) -> ApiError {
        problem(e)
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ItemsParams {
    /// A version id or per-bureau number; default the current version.
    pub version: Option<String>,
    /// Category id (`penalty`) or label (行政处罚).
    pub category: Option<String>,
    pub offset: Option<String>,
    pub limit: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DiffParams {
    /// Version id or number; default the version before `to`.
    pub from: Option<String>,
    /// Version id or number; default the current version.
    pub to: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct VersionParam {
    /// Version id or number; default the current version.
    pub version: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SearchParams {
    /// Words to find (all must match); two-character terms such as 医保 work.
    /// Up to 200 hits a page (`limit`).
    pub q: Option<String>,
    /// Category id (`penalty`) or label (行政处罚).
    pub category: Option<String>,
    /// Bureau id.
    pub bureau: Option<String>,
    /// Statute title, e.g. 社会保险法 or 《中华人民共和国社会保险法》.
    pub statute: Option<String>,
    /// Article number of `statute`: `87`, `第八十七条`.
    pub article: Option<String>,
    pub offset: Option<String>,
    pub limit: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CompareParams {
    /// Bureau id.
    pub a: Option<String>,
    /// Bureau id.
    pub b: Option<String>,
}

// ---------- handlers ----------

/// All bureaus with their current version.
#[utoipa::path(get, path = "/api/bureaus", params(PageParams),
    responses((status = 200, body = BureauList), (status = 400, body = Problem, content_type = "application/problem+json")))]
async fn list_bureaus(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(p): Query<PageParams>,
) -> Result<Json<BureauList>, ApiError> {
    Access::check(&viewer, Action::ReadPublic)?;
    let pg = paging(p.offset.as_deref(), p.limit.as_deref())?;
    let snap = state.snapshot();
    let listed: Vec<_> = snap.bureaus.iter().filter(|b| b.is_listed()).collect();
    let bureaus = listed.iter().skip(pg.offset).take(pg.limit).map(|b| bureau_dto(b)).collect();
    Ok(Json(BureauList { total: listed.len(), offset: pg.offset, limit: pg.limit, bureaus }))
}

/// One bureau.
#[utoipa::path(get, path = "/api/bureaus/{id}", params(("id" = i64, Path, description = "bureau id")),
    responses((status = 200, body = BureauDto), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_bureau(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<BureauDto>, ApiError> {
    Access::check(&viewer, Action::ReadPublic)?;
    let drafts = Access::allows(&viewer, Action::ReadDrafts);
    let snap = state.snapshot();
    Ok(Json(bureau_dto(service::bureau_of(&snap, id, drafts)?)))
}

/// The items of a bureau's list (current version unless `version` is given).
#[utoipa::path(get, path = "/api/bureaus/{id}/items", params(("id" = i64, Path, description = "bureau id"), ItemsParams),
    responses((status = 200, body = ItemList), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn bureau_items(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(p): Query<ItemsParams>,
) -> Result<Json<ItemList>, ApiError> {
    let drafts = Access::allows(&viewer, Action::ReadDrafts);
    let pg = paging(p.offset.as_deref(), p.limit.as_deref())?;
    let category = p
        .category
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(crate::http::params::parse_category)
        .transpose()?;
    let snap = state.snapshot();
    let b = service::bureau_of(&snap, id, drafts)?;
    let v = service::pick_version(b, p.version.as_deref(), drafts)?;
    let all: Vec<(i64, &quanze_model::PowerItem)> =
        v.items().filter(|(_, it)| category.is_none_or(|c| it.category == c)).collect();
    let items = all
        .iter()
        .skip(pg.offset)
        .take(pg.limit)
        .map(|(iid, it)| item_summary(ItemRef { id: *iid, bureau: b, version: v, item: it }))
        .collect();
    Ok(Json(ItemList {
        total: all.len(),
        offset: pg.offset,
        limit: pg.limit,
        bureau_id: b.id,
        version_id: v.id,
        items,
    }))
}

/// The versions of a bureau's list, oldest first.
#[utoipa::path(get, path = "/api/bureaus/{id}/versions", params(("id" = i64, Path, description = "bureau id")),
    responses((status = 200, body = Vec<VersionDto>), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn list_versions(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<Vec<VersionDto>>, ApiError> {
    let drafts = Access::allows(&viewer, Action::ReadDrafts);
    let snap = state.snapshot();
    let b = service::bureau_of(&snap, id, drafts)?;
    Ok(Json(b.visible_versions(drafts).map(|v| version_dto(b, v)).collect()))
}

/// Publish a version (administrators; cookie session plus `X-CSRF-Token`).
#[utoipa::path(post, path = "/api/bureaus/{id}/versions/{version}/publish",
    params(("id" = i64, Path, description = "bureau id"), ("version" = i64, Path, description = "version id or number")),
    responses((status = 200, body = VersionDto), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn publish_version(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, version)): Path<(i64, i64)>,
) -> Result<Json<VersionDto>, ApiError> {
    let session = Access::check_write(&viewer, Action::Publish, None)?;
    let (bid, vid) = service::publish(&state, Some(id), version, &session.user).await?;
    let snap = state.snapshot();
    let b = service::bureau_of(&snap, bid, true)?;
    let v = b.version(vid).ok_or_else(|| ApiError::internal("published version vanished"))?;
    Ok(Json(version_dto(b, v)))
}

/// What changed between two versions of a bureau's list.
#[utoipa::path(get, path = "/api/bureaus/{id}/diff", params(("id" = i64, Path, description = "bureau id"), DiffParams),
    responses((status = 200, body = VersionDiff), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn version_diff(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(p): Query<DiffParams>,
) -> Result<Json<VersionDiff>, ApiError> {
    let drafts = Access::allows(&viewer, Action::ReadDrafts);
    let snap = state.snapshot();
    let b = service::bureau_of(&snap, id, drafts)?;
    let (from, to) = service::diff_pair(b, p.from.as_deref(), p.to.as_deref(), drafts)?;
    Ok(Json(compare::diff_versions(from, to)))
}

/// The validation report of a version.
#[utoipa::path(get, path = "/api/bureaus/{id}/diagnostics", params(("id" = i64, Path, description = "bureau id"), VersionParam),
    responses((status = 200, body = DiagnosticsReport), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn diagnostics(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(p): Query<VersionParam>,
) -> Result<Json<DiagnosticsReport>, ApiError> {
    let drafts = Access::allows(&viewer, Action::ReadDrafts);
    let snap = state.snapshot();
    let b = service::bureau_of(&snap, id, drafts)?;
    let v = service::pick_version(b, p.version.as_deref(), drafts)?;
    Ok(Json(DiagnosticsReport {
        bureau_id: b.id,
        version_id: v.id,
        counts: diag_counts(v),
        diagnostics: v.catalog.diagnostics.iter().map(diag_dto).collect(),
    }))
}

/// One item, whole.
#[utoipa::path(get, path = "/api/items/{id}", params(("id" = i64, Path, description = "item id")),
    responses((status = 200, body = ItemDto), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_item(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<ItemDto>, ApiError> {
    let snap = state.snapshot();
    let r = snap.item(id).ok_or(CatalogError::NoItem(id))?;
    if !r.bureau.is_public(r.version) && !Access::allows(&viewer, Action::ReadDrafts) {
        return Err(CatalogError::NoItem(id).into());
    }
    let item = serde_json::to_value(r.item).map_err(ApiError::internal)?;
    let diagnostics =
        r.version.catalog.diagnostics.iter().filter(|d| service::concerns(d, r.item)).cloned().collect();
    Ok(Json(ItemDto {
        id,
        bureau_id: r.bureau.id,
        bureau_name: r.bureau.name.clone(),
        version_id: r.version.id,
        version_number: r.version.number,
        current: r.bureau.current().is_some_and(|c| c.id == r.version.id),
        item,
        diagnostics,
    }))
}

impl SearchParams {
    pub(crate) fn ask(&self) -> SearchAsk<'_> {
        SearchAsk {
            q: self.q.as_deref(),
            category: self.category.as_deref(),
            bureau: self.bureau.as_deref(),
            statute: self.statute.as_deref(),
            article: self.article.as_deref(),
        }
    }
}

/// Search the current lists of all bureaus.
#[utoipa::path(get, path = "/api/search", params(SearchParams),
    responses((status = 200, body = SearchResult), (status = 400, body = Problem, content_type = "application/problem+json")))]
async fn search_items(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(p): Query<SearchParams>,
) -> Result<Json<SearchResult>, ApiError> {
    Access::check(&viewer, Action::ReadPublic)?;
    let pg = paging(p.offset.as_deref(), p.limit.as_deref())?;
    if pg.limit > quanze_search::query::MAX_LIMIT {
        return Err(CatalogError::SearchLimit(quanze_search::query::MAX_LIMIT).into());
    }
    let q = service::search_query(&p.ask())?;
    let snap = state.snapshot();
    let res = service::run_search(&snap, q, &pg)?;
    let hits = res
        .hits
        .iter()
        .filter_map(|h| {
            snap.item(h.item_id).map(|r| SearchHit {
                item: item_summary(r),
                score: h.score,
                snippet: h.snippet.as_ref().map(snippet_dto),
            })
        })
        .collect();
    Ok(Json(SearchResult { total: res.total, offset: pg.offset, limit: pg.limit, hits }))
}

/// Two bureaus' current lists side by side, aligned by type and name.
#[utoipa::path(get, path = "/api/compare", params(CompareParams),
    responses((status = 200, body = Comparison), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn compare(
    State(state): State<AppState>,
    viewer: Viewer,
    client: HeavyClient,
    Query(p): Query<CompareParams>,
) -> Result<Json<Comparison>, ApiError> {
    Access::check(&viewer, Action::ReadPublic)?;
    Ok(Json(service::comparison(&state, client.key(), p.a.as_deref(), p.b.as_deref()).await?))
}

/// Import a list and store it as a new version of its bureau (login required).
///
/// Send `multipart/form-data` with a `file` part (and `publish=true` to publish at once), or
/// the raw bytes with `?file_name=…&publish=true`. Cookie sessions must send `X-CSRF-Token`.
#[utoipa::path(post, path = "/api/imports",
    params(("file_name" = Option<String>, Query, description = "file name for a raw upload"),
        ("publish" = Option<bool>, Query, description = "publish the new version at once")),
    request_body(content = Vec<u8>, description = "multipart form with a `file` part, or the raw file", content_type = "multipart/form-data"),
    responses((status = 201, body = ImportResult), (status = 200, body = ImportResult, description = "the same file was imported before"),
        (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn import(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    req: Request,
) -> Result<Response, ApiError> {
    // Who asks is checked before the body is read.
    let session = Access::check_write(&viewer, Action::Import, None)?;
    let limit = state.max_upload_bytes();
    let is_multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let up = if is_multipart {
        let mp = Multipart::from_request(req, &state)
            .await
            .map_err(|e| ApiError::from(UploadError::Malformed(e.body_text())))?;
        let form = read_file_form(mp, limit).await?;
        Upload { file_name: form.file_name, bytes: form.bytes, publish: form.publish }
    } else {
        let bytes = bytes::Bytes::from_request(req, &state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                problem(CatalogError::TooLarge(limit))
            } else {
                ApiError::bad_request(e.body_text())
            }
        })?;
        Upload {
            file_name: q.get("file_name").cloned().unwrap_or_default(),
            bytes,
            publish: q.get("publish").is_some_and(|v| v == "true" || v == "1"),
        }
    };
    let (result, created) = service::import(&state, up, &session.user).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(result)).into_response())
}
