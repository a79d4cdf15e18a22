//! The JSON API under `/api`. Errors are `application/problem+json`; listings are paged with
//! `offset` and `limit` (default 50, at most 500) and carry `total`.

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use quanze_model::{Category, Diagnostic};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::AppState;
use crate::auth;
use crate::diff::{self, AlignedRow, VersionDiff};
use crate::error::{ApiError, Problem};
use crate::search;
use crate::snapshot::{BureauData, CategoryCount, ItemRef, Snapshot, VersionData};
use quanze_search::Query as SearchQuery;

pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 500;

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
        import,
        login,
        logout,
        whoami
    ),
    components(schemas(
        Problem,
        CategoryCount,
        VersionDiff,
        AlignedRow,
        diff::ItemStub,
        diff::ChangedItem,
        diff::FieldChange
    ))
)]
pub struct ApiDoc;

/// The OpenAPI document, as served at `/api/openapi.json`.
pub fn openapi_json() -> String {
    let mut doc = ApiDoc::openapi();
    doc.merge(<crate::law::LawDoc as OpenApi>::openapi());
    doc.merge(<crate::calendar::CalendarDoc as OpenApi>::openapi());
    doc.to_pretty_json().unwrap_or_else(|_| "{}".into())
}

pub fn router(state: &AppState) -> Router<AppState> {
    let upload = state.inner.max_upload_bytes;
    Router::new()
        .route("/api/openapi.json", get(openapi))
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
        .route("/api/session", post(login).delete(logout).get(whoami))
        .layer(DefaultBodyLimit::max(64 * 1024))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], openapi_json()).into_response()
}

// ---------- parameters ----------

/// Paging of a listing.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Rows to skip (default 0).
    pub offset: Option<String>,
    /// Rows to return (default 50, at most 500).
    pub limit: Option<String>,
}

pub struct Paging {
    pub offset: usize,
    pub limit: usize,
}

pub fn paging(offset: Option<&str>, limit: Option<&str>) -> Result<Paging, ApiError> {
    let offset = match offset.map(str::trim).filter(|s| !s.is_empty()) {
        None => 0,
        Some(s) => s
            .parse::<usize>()
            .map_err(|_| ApiError::bad_request(format!("offset must be a number ≥ 0, not {s:?}")))?,
    };
    let limit = match limit.map(str::trim).filter(|s| !s.is_empty()) {
        None => DEFAULT_LIMIT,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => return Err(ApiError::bad_request(format!("limit must be 1..={MAX_LIMIT}, not {s:?}"))),
        },
    };
    Ok(Paging { offset, limit })
}

pub fn parse_id(what: &str, s: &str) -> Result<i64, ApiError> {
    s.trim().parse::<i64>().map_err(|_| ApiError::bad_request(format!("{what} must be a number, not {s:?}")))
}

pub fn parse_category(s: &str) -> Result<Category, ApiError> {
    let s = s.trim();
    Category::from_id(s)
        .or_else(|| Category::ALL.into_iter().find(|c| c.label() == s))
        .ok_or_else(|| ApiError::bad_request(format!("unknown category {s:?}")))
}

fn bureau_of(snap: &Snapshot, id: i64) -> Result<&BureauData, ApiError> {
    snap.bureau(id).ok_or_else(|| ApiError::not_found(format!("no bureau {id}")))
}

// ---------- DTOs ----------

#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosticCounts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionDto {
    pub id: i64,
    pub bureau_id: i64,
    /// 1, 2, … per bureau.
    pub number: i64,
    /// `draft` or `published`.
    pub status: String,
    /// Seconds since the Unix epoch (UTC).
    pub imported_at: i64,
    pub imported_by: Option<String>,
    pub published_at: Option<i64>,
    pub file_name: String,
    pub sha256: String,
    pub title: Option<String>,
    pub edition: Option<String>,
    pub item_count: usize,
    pub diagnostics: DiagnosticCounts,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BureauDto {
    pub id: i64,
    pub name: String,
    pub region: Option<String>,
    /// The version the public sees (newest published, else newest).
    pub current_version: Option<VersionDto>,
    pub version_count: usize,
    pub item_count: usize,
    /// Items of the current version per type.
    pub categories: Vec<CategoryCount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BureauList {
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub bureaus: Vec<BureauDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemSummaryDto {
    pub id: i64,
    pub bureau_id: i64,
    pub bureau_name: String,
    pub version_id: i64,
    pub seq: Option<u32>,
    pub name: String,
    pub sub_name: Option<String>,
    /// snake_case category id.
    pub category: String,
    /// Chinese label of the category.
    pub category_label: String,
    pub subject: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemList {
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub bureau_id: i64,
    pub version_id: i64,
    pub items: Vec<ItemSummaryDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemDto {
    pub id: i64,
    pub bureau_id: i64,
    pub bureau_name: String,
    pub version_id: i64,
    pub version_number: i64,
    /// Whether the item belongs to the version the public sees.
    pub current: bool,
    /// The whole item in the canonical catalog format (`PowerItem`, see docs/schema).
    #[schema(value_type = Object)]
    pub item: serde_json::Value,
    /// Findings of the import about this item.
    #[schema(value_type = Vec<Object>)]
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SnippetDto {
    /// Field of the excerpt: `name`, `stage`, `clause` or `legal_basis`.
    pub field: String,
    /// The excerpt (normalized text).
    pub text: String,
    /// Matched spans as `[start, end)` character offsets into `text`.
    pub highlights: Vec<[u32; 2]>,
    pub cut_before: bool,
    pub cut_after: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    pub item: ItemSummaryDto,
    /// Higher is better.
    pub score: f32,
    /// Where the first term occurs.
    pub snippet: Option<SnippetDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResult {
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub hits: Vec<SearchHit>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BureauRef {
    pub id: i64,
    pub name: String,
    pub version_id: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Comparison {
    pub a: BureauRef,
    pub b: BureauRef,
    /// Items in both lists.
    pub matched: usize,
    pub only_a: usize,
    pub only_b: usize,
    pub rows: Vec<AlignedRow>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosticDto {
    pub severity: String,
    pub code: String,
    /// What the rule checks.
    pub summary: String,
    /// 序号 of the item concerned.
    pub item: Option<u32>,
    pub line: Option<u32>,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosticsReport {
    pub bureau_id: i64,
    pub version_id: i64,
    pub counts: DiagnosticCounts,
    pub diagnostics: Vec<DiagnosticDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    /// `false` when the bureau already had this exact file; that version is returned.
    pub created: bool,
    pub bureau_id: i64,
    pub version: VersionDto,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub username: String,
    pub roles: Vec<String>,
    /// Send this in `X-CSRF-Token` on every `POST`/`DELETE`.
    pub csrf_token: String,
    pub expires_at: i64,
}

pub fn diag_counts(v: &VersionData) -> DiagnosticCounts {
    let (errors, warnings, infos) = v.diagnostic_counts();
    DiagnosticCounts { errors, warnings, infos }
}

pub fn version_dto(b: &BureauData, v: &VersionData) -> VersionDto {
    let src = &v.catalog.source;
    VersionDto {
        id: v.id,
        bureau_id: b.id,
        number: v.number,
        status: if v.published { "published" } else { "draft" }.into(),
        imported_at: v.imported_at,
        imported_by: v.imported_by.clone(),
        published_at: v.published_at,
        file_name: src.file_name.clone(),
        sha256: src.sha256.clone(),
        title: src.title.clone(),
        edition: src.edition.clone(),
        item_count: v.catalog.items.len(),
        diagnostics: diag_counts(v),
    }
}

pub fn bureau_dto(b: &BureauData) -> BureauDto {
    let cur = b.current();
    BureauDto {
        id: b.id,
        name: b.name.clone(),
        region: b.region.clone(),
        current_version: cur.map(|v| version_dto(b, v)),
        version_count: b.visible_versions(false).count(),
        item_count: cur.map_or(0, |v| v.catalog.items.len()),
        categories: cur.map(VersionData::category_counts).unwrap_or_default(),
    }
}

pub fn item_summary(r: ItemRef<'_>) -> ItemSummaryDto {
    ItemSummaryDto {
        id: r.id,
        bureau_id: r.bureau.id,
        bureau_name: r.bureau.name.clone(),
        version_id: r.version.id,
        seq: r.item.seq,
        name: r.item.name.clone(),
        sub_name: r.item.sub_name.clone(),
        category: r.item.category.id().into(),
        category_label: r.item.category.label().into(),
        subject: r.item.subject.clone(),
    }
}

/// Whether a finding is about this item: by its serial number, or, for an item without
/// one, by the line its row starts on.
pub fn concerns(d: &Diagnostic, it: &quanze_model::PowerItem) -> bool {
    match it.seq {
        Some(seq) => d.item == Some(seq),
        None => d.item.is_none() && d.line.is_some() && d.line == it.line,
    }
}

pub fn diag_dto(d: &Diagnostic) -> DiagnosticDto {
    DiagnosticDto {
        severity: d.severity.as_str().into(),
        code: d.code.as_str().into(),
        summary: d.code.summary().into(),
        item: d.item,
        line: d.line,
        message: d.message.clone(),
    }
}

// ---------- handlers ----------

/// All bureaus with their current version.
#[utoipa::path(get, path = "/api/bureaus", params(PageParams),
    responses((status = 200, body = BureauList), (status = 400, body = Problem, content_type = "application/problem+json")))]
async fn list_bureaus(
    State(state): State<AppState>,
    Query(p): Query<PageParams>,
) -> Result<Json<BureauList>, ApiError> {
    let pg = paging(p.offset.as_deref(), p.limit.as_deref())?;
    let snap = state.snapshot();
    let bureaus = snap.bureaus.iter().skip(pg.offset).take(pg.limit).map(bureau_dto).collect();
    Ok(Json(BureauList { total: snap.bureaus.len(), offset: pg.offset, limit: pg.limit, bureaus }))
}

/// One bureau.
#[utoipa::path(get, path = "/api/bureaus/{id}", params(("id" = i64, Path, description = "bureau id")),
    responses((status = 200, body = BureauDto), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_bureau(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Json<BureauDto>, ApiError> {
    let snap = state.snapshot();
    Ok(Json(bureau_dto(bureau_of(&snap, id)?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemsParams {
    /// A version id or per-bureau number; default the current version.
    pub version: Option<String>,
    /// Category id (`penalty`) or label (行政处罚).
    pub category: Option<String>,
    pub offset: Option<String>,
    pub limit: Option<String>,
}

/// The items of a bureau's list (current version unless `version` is given).
#[utoipa::path(get, path = "/api/bureaus/{id}/items", params(("id" = i64, Path, description = "bureau id"), ItemsParams),
    responses((status = 200, body = ItemList), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn bureau_items(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(p): Query<ItemsParams>,
) -> Result<Json<ItemList>, ApiError> {
    let admin = auth::viewer_is_admin(&state, &headers).await;
    let pg = paging(p.offset.as_deref(), p.limit.as_deref())?;
    let category = p.category.as_deref().filter(|s| !s.trim().is_empty()).map(parse_category).transpose()?;
    let snap = state.snapshot();
    let b = bureau_of(&snap, id)?;
    let v = pick_version(b, p.version.as_deref(), admin)?;
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

/// The version `r` (id or number) of a bureau, or its current one; drafts only for
/// administrators.
pub fn pick_version<'a>(
    b: &'a BureauData,
    r: Option<&str>,
    admin: bool,
) -> Result<&'a VersionData, ApiError> {
    match r.map(str::trim).filter(|s| !s.is_empty()) {
        None => b.current().ok_or_else(|| ApiError::not_found(format!("bureau {} has no version", b.id))),
        Some(s) => {
            let n = parse_id("version", s)?;
            b.version_by_ref(n)
                .filter(|v| admin || b.is_public(v))
                .ok_or_else(|| ApiError::not_found(format!("bureau {} has no version {n}", b.id)))
        }
    }
}

/// The versions of a bureau's list, oldest first.
#[utoipa::path(get, path = "/api/bureaus/{id}/versions", params(("id" = i64, Path, description = "bureau id")),
    responses((status = 200, body = Vec<VersionDto>), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn list_versions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Vec<VersionDto>>, ApiError> {
    let admin = auth::viewer_is_admin(&state, &headers).await;
    let snap = state.snapshot();
    let b = bureau_of(&snap, id)?;
    Ok(Json(b.visible_versions(admin).map(|v| version_dto(b, v)).collect()))
}

/// Publish a version (administrators; cookie session plus `X-CSRF-Token`).
#[utoipa::path(post, path = "/api/bureaus/{id}/versions/{version}/publish",
    params(("id" = i64, Path, description = "bureau id"), ("version" = i64, Path, description = "version id or number")),
    responses((status = 200, body = VersionDto), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn publish_version(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, version)): Path<(i64, i64)>,
) -> Result<Json<VersionDto>, ApiError> {
    let (_, session) = auth::require_admin(&state, &headers, None).await?;
    let vid = {
        let snap = state.snapshot();
        let b = bureau_of(&snap, id)?;
        b.version_by_ref(version)
            .ok_or_else(|| ApiError::not_found(format!("bureau {id} has no version {version}")))?
            .id
    };
    crate::storage::publish(state.store(), vid, &session.user).await.map_err(ApiError::internal)?;
    state.refresh().await?;
    let snap = state.snapshot();
    let b = bureau_of(&snap, id)?;
    let v = b.version(vid).ok_or_else(|| ApiError::internal("published version vanished"))?;
    Ok(Json(version_dto(b, v)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffParams {
    /// Version id or number; default the version before `to`.
    pub from: Option<String>,
    /// Version id or number; default the current version.
    pub to: Option<String>,
}

/// What changed between two versions of a bureau's list.
#[utoipa::path(get, path = "/api/bureaus/{id}/diff", params(("id" = i64, Path, description = "bureau id"), DiffParams),
    responses((status = 200, body = VersionDiff), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn version_diff(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(p): Query<DiffParams>,
) -> Result<Json<VersionDiff>, ApiError> {
    let admin = auth::viewer_is_admin(&state, &headers).await;
    let snap = state.snapshot();
    let b = bureau_of(&snap, id)?;
    let (from, to) = diff_pair(b, p.from.as_deref(), p.to.as_deref(), admin)?;
    Ok(Json(diff::diff_versions(from, to)))
}

pub fn diff_pair<'a>(
    b: &'a BureauData,
    from: Option<&str>,
    to: Option<&str>,
    admin: bool,
) -> Result<(&'a VersionData, &'a VersionData), ApiError> {
    let to = pick_version(b, to, admin)?;
    let from = match from.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => pick_version(b, Some(s), admin)?,
        None => {
            let earlier: Vec<&VersionData> =
                b.visible_versions(admin).filter(|v| v.number < to.number).collect();
            earlier.last().copied().unwrap_or(to)
        }
    };
    Ok((from, to))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionParam {
    /// Version id or number; default the current version.
    pub version: Option<String>,
}

/// The validation report of a version.
#[utoipa::path(get, path = "/api/bureaus/{id}/diagnostics", params(("id" = i64, Path, description = "bureau id"), VersionParam),
    responses((status = 200, body = DiagnosticsReport), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn diagnostics(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(p): Query<VersionParam>,
) -> Result<Json<DiagnosticsReport>, ApiError> {
    let admin = auth::viewer_is_admin(&state, &headers).await;
    let snap = state.snapshot();
    let b = bureau_of(&snap, id)?;
    let v = pick_version(b, p.version.as_deref(), admin)?;
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
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<ItemDto>, ApiError> {
    let snap = state.snapshot();
    let r = snap.item(id).ok_or_else(|| ApiError::not_found(format!("no item {id}")))?;
    if !r.bureau.is_public(r.version) && !auth::viewer_is_admin(&state, &headers).await {
        return Err(ApiError::not_found(format!("no item {id}")));
    }
    let item = serde_json::to_value(r.item).map_err(ApiError::internal)?;
    let diagnostics = r.version.catalog.diagnostics.iter().filter(|d| concerns(d, r.item)).cloned().collect();
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

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
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

pub const MAX_QUERY_CHARS: usize = 200;

pub fn snippet_dto(s: &quanze_search::Snippet) -> SnippetDto {
    SnippetDto {
        field: match s.field {
            quanze_search::Field::Name => "name",
            quanze_search::Field::Stage => "stage",
            quanze_search::Field::Clause => "clause",
            quanze_search::Field::LegalBasis => "legal_basis",
        }
        .into(),
        text: s.text.clone(),
        highlights: s.highlights.iter().map(|h| [h.start, h.end]).collect(),
        cut_before: s.cut_before,
        cut_after: s.cut_after,
    }
}

/// Run a search on the snapshot; errors are 400s.
pub fn run_search(
    snap: &Snapshot,
    mut q: SearchQuery,
    pg: &Paging,
) -> Result<quanze_search::SearchResult, ApiError> {
    q.offset = pg.offset;
    q.limit = pg.limit;
    snap.search.search(&q).map_err(|e| ApiError::bad_request(e.to_string()))
}

pub fn search_query(p: &SearchParams) -> Result<SearchQuery, ApiError> {
    let nonempty =
        |o: &Option<String>| o.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let q = nonempty(&p.q).unwrap_or_default();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad_request(format!("q is longer than {MAX_QUERY_CHARS} characters")));
    }
    let category = nonempty(&p.category).map(|s| parse_category(&s)).transpose()?;
    let bureau = nonempty(&p.bureau).map(|s| parse_id("bureau", &s)).transpose()?;
    let statute = nonempty(&p.statute);
    if statute.as_ref().is_some_and(|s| s.chars().count() > MAX_QUERY_CHARS) {
        return Err(ApiError::bad_request("statute is too long"));
    }
    let article =
        match nonempty(&p.article) {
            None => None,
            Some(s) => Some(search::parse_article(&s).ok_or_else(|| {
                ApiError::bad_request(format!("article must be a number or 第…条, not {s:?}"))
            })?),
        };
    if article.is_some() && statute.is_none() {
        return Err(ApiError::bad_request("article needs statute: which statute's article?"));
    }
    Ok(SearchQuery { q, category, bureau, statute, article, ..SearchQuery::default() })
}

/// Search the current lists of all bureaus.
#[utoipa::path(get, path = "/api/search", params(SearchParams),
    responses((status = 200, body = SearchResult), (status = 400, body = Problem, content_type = "application/problem+json")))]
async fn search_items(
    State(state): State<AppState>,
    Query(p): Query<SearchParams>,
) -> Result<Json<SearchResult>, ApiError> {
    let pg = paging(p.offset.as_deref(), p.limit.as_deref())?;
    if pg.limit > quanze_search::query::MAX_LIMIT {
        return Err(ApiError::bad_request(format!(
            "limit must be 1..={} for search",
            quanze_search::query::MAX_LIMIT
        )));
    }
    let q = search_query(&p)?;
    let snap = state.snapshot();
    let res = run_search(&snap, q, &pg)?;
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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareParams {
    /// Bureau id.
    pub a: Option<String>,
    /// Bureau id.
    pub b: Option<String>,
}

pub fn comparison(snap: &Snapshot, a: Option<&str>, b: Option<&str>) -> Result<Comparison, ApiError> {
    let (Some(a), Some(b)) = (a, b) else { return Err(ApiError::bad_request("give two bureaus: a and b")) };
    let (a, b) = (parse_id("a", a)?, parse_id("b", b)?);
    let (ba, bb) = (bureau_of(snap, a)?, bureau_of(snap, b)?);
    let none = |x: &BureauData| ApiError::not_found(format!("bureau {} has no version", x.id));
    let (va, vb) = (ba.current().ok_or_else(|| none(ba))?, bb.current().ok_or_else(|| none(bb))?);
    let rows = snap.aligned(va, vb).as_ref().clone();
    let matched = rows.iter().filter(|r| r.a.is_some() && r.b.is_some()).count();
    let only_a = rows.iter().filter(|r| r.b.is_none()).count();
    let only_b = rows.iter().filter(|r| r.a.is_none()).count();
    Ok(Comparison {
        a: BureauRef { id: ba.id, name: ba.name.clone(), version_id: va.id },
        b: BureauRef { id: bb.id, name: bb.name.clone(), version_id: vb.id },
        matched,
        only_a,
        only_b,
        rows,
    })
}

/// Two bureaus' current lists side by side, aligned by type and name.
#[utoipa::path(get, path = "/api/compare", params(CompareParams),
    responses((status = 200, body = Comparison), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn compare(
    State(state): State<AppState>,
    Query(p): Query<CompareParams>,
) -> Result<Json<Comparison>, ApiError> {
    let snap = state.snapshot();
    Ok(Json(comparison(&snap, p.a.as_deref(), p.b.as_deref())?))
}

/// An upload: the file, its name, and whether to publish it at once.
pub struct Upload {
    pub file_name: String,
    pub bytes: bytes::Bytes,
    pub publish: bool,
    pub csrf: Option<String>,
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too-large",
        format!("the upload is over the limit of {limit} bytes"),
    )
}

/// Read a multipart form with a `file` part (plus optional `publish` and `csrf` fields).
pub async fn read_multipart(mut mp: Multipart, limit: usize) -> Result<Upload, ApiError> {
    let mut up = Upload { file_name: String::new(), bytes: bytes::Bytes::new(), publish: false, csrf: None };
    let mut have_file = false;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large(limit)),
            Err(e) => {
                return Err(ApiError::bad_request(format!("malformed multipart body: {}", e.body_text())));
            }
        };
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let data = match field.bytes().await {
            Ok(d) => d,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large(limit)),
            Err(e) => {
                return Err(ApiError::bad_request(format!("malformed multipart body: {}", e.body_text())));
            }
        };
        match name.as_str() {
            "file" => {
                have_file = true;
                up.file_name = file_name.unwrap_or_default();
                up.bytes = data;
            }
            "publish" => up.publish = matches!(&data[..], b"1" | b"true" | b"on" | b"yes"),
            "csrf" => up.csrf = Some(String::from_utf8_lossy(&data).into_owned()),
            _ => {}
        }
    }
    if !have_file {
        return Err(ApiError::bad_request("the form has no file part named \"file\""));
    }
    Ok(up)
}

/// Keep only the last path segment of an uploaded name; give nameless uploads one.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let base: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if base.is_empty() { "upload.txt".into() } else { base }
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
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    req: Request,
) -> Result<Response, ApiError> {
    let (_, session) = auth::require_admin(&state, &headers, None).await?;
    let limit = state.inner.max_upload_bytes;
    let is_multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let up = if is_multipart {
        let mp = Multipart::from_request(req, &state)
            .await
            .map_err(|e| ApiError::bad_request(format!("malformed multipart body: {}", e.body_text())))?;
        read_multipart(mp, limit).await?
    } else {
        let bytes = bytes::Bytes::from_request(req, &state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large(limit)
            } else {
                ApiError::bad_request(e.body_text())
            }
        })?;
        Upload {
            file_name: q.get("file_name").cloned().unwrap_or_default(),
            bytes,
            publish: q.get("publish").is_some_and(|v| v == "true" || v == "1"),
            csrf: None,
        }
    };
    let (result, created) = import_upload(&state, up, &session.user).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(result)).into_response())
}

/// Import, store, refresh the snapshot. Shared by the API and the admin form.
pub async fn import_upload(
    state: &AppState,
    up: Upload,
    user: &quanze_store::User,
) -> Result<(ImportResult, bool), ApiError> {
    let limit = state.inner.max_upload_bytes;
    if up.bytes.len() > limit {
        return Err(too_large(limit));
    }
    let file_name = clean_file_name(&up.file_name);
    let opts = quanze_import::ImportOptions {
        max_bytes: u64::try_from(limit).unwrap_or(u64::MAX),
        ..quanze_import::ImportOptions::default()
    };
    let bytes = up.bytes;
    let fname = file_name.clone();
    let catalog = tokio::task::spawn_blocking(move || {
        quanze_import::import_bytes(&fname, &bytes, &opts).map(|mut c| {
            crate::law::annotate(&mut c);
            c
        })
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "import-failed", e.to_string()))?;
    let (bureau_id, version_id, created) =
        crate::storage::store_catalog(state.store(), catalog, Some(user), up.publish).await.map_err(|e| {
            match e {
                quanze_store::StoreError::InvalidInput(m) => {
                    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", m)
                }
                quanze_store::StoreError::NoPublisher => ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "no-publisher",
                    "the list names no publishing bureau (no title or 单位 line)",
                ),
                other => ApiError::internal(other),
            }
        })?;
    state.refresh().await?;
    let snap = state.snapshot();
    let b = bureau_of(&snap, bureau_id)?;
    let v = b.version(version_id).ok_or_else(|| ApiError::internal("stored version not in snapshot"))?;
    Ok((ImportResult { created, bureau_id, version: version_dto(b, v) }, created))
}

/// Log in; sets the session cookie and returns the CSRF token.
#[utoipa::path(post, path = "/api/session", request_body = LoginRequest,
    responses((status = 200, body = SessionInfo), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
async fn login(State(state): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let headers = req.headers().clone();
    auth::check_origin(&headers)?;
    let remote = auth::remote(req.extensions());
    let Json(body) = Json::<LoginRequest>::from_request(req, &state)
        .await
        .map_err(|e| ApiError::new(e.status(), "bad-request", e.body_text()))?;
    match auth::login(&state, &body.username, &body.password, remote.as_deref()).await? {
        auth::Login::Ok { token, session } => {
            let cookie =
                auth::set_cookie(&state, &headers, auth::SESSION_COOKIE, &token, auth::SESSION_TTL_SECS);
            let info = session_info(&session);
            Ok(([(header::SET_COOKIE, cookie)], Json(info)).into_response())
        }
        auth::Login::Denied => Err(ApiError::unauthorized("wrong user name or password")),
        auth::Login::Limited { retry_after } => {
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                "too many failed logins; try later",
            );
            e.retry_after = Some(retry_after);
            Err(e)
        }
    }
}

fn session_info(s: &quanze_store::Session) -> SessionInfo {
    SessionInfo {
        username: s.user.username.clone(),
        roles: s.user.roles.iter().map(|g| g.role.as_str().to_string()).collect(),
        csrf_token: s.csrf_token.clone(),
        expires_at: s.expires_at,
    }
}

/// The logged-in user.
#[utoipa::path(get, path = "/api/session",
    responses((status = 200, body = SessionInfo), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn whoami(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<SessionInfo>, ApiError> {
    match auth::session(&state, &headers).await? {
        Some((_, s)) => Ok(Json(session_info(&s))),
        None => Err(ApiError::unauthorized("not logged in")),
    }
}

/// Log out (`X-CSRF-Token` required).
#[utoipa::path(delete, path = "/api/session",
    responses((status = 204), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    auth::check_origin(&headers)?;
    let Some((token, s)) = auth::session(&state, &headers).await? else {
        return Err(ApiError::unauthorized("not logged in"));
    };
    let sent = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
    if !auth::same(sent, &s.csrf_token) {
        return Err(ApiError::forbidden("CSRF token missing or wrong"));
    }
    crate::storage::delete_session(state.store(), &token).await.map_err(ApiError::internal)?;
    let cookie = auth::set_cookie(&state, &headers, auth::SESSION_COOKIE, "", 0);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}
