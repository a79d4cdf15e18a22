//! The case API: open a case, act on it, read it with its timeline, deadlines and the actions
//! possible now, list cases, its documents, the printed file and its read log. Refusals are
//! problem+json with the refusal's `code`, `articles` and Chinese `detail`.

use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::service::{
    ActOn, Applied, CaseDetail, CaseList, CaseRow, CasesError, DeadlineRow, DocumentRow, EventRow, FieldInfo,
    ListFilter, OpenCase, PersonRow, PossibleAction, ReadRow, Refusal, values_from_json,
};
use super::work::{Answer, Reading, Writing};
use crate::http::access::Denied;
use crate::http::error::{ApiError, PROBLEM_JSON, no_store};
use crate::http::params::{paging, parse_id};
use crate::http::viewer::Viewer;
use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/cases", get(api_list).post(api_open))
        .route("/api/cases/{id}", get(api_case))
        .route("/api/cases/{id}/actions", axum::routing::post(api_act))
        .route("/api/cases/{id}/assignments", axum::routing::post(api_assign))
        .route("/api/cases/{id}/documents", get(api_documents))
        .route("/api/cases/{id}/documents/{doc}", get(api_document))
        .route("/api/cases/{id}/dossier", get(api_dossier))
        .route("/api/cases/{id}/reads", get(api_reads))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api_list,
        api_open,
        api_case,
        api_act,
        api_assign,
        api_documents,
        api_document,
        api_dossier,
        api_reads
    ),
    components(schemas(
        OpenCaseRequest,
        ActRequest,
        Opened,
        Applied,
        CaseDetail,
        CaseList,
        CaseRow,
        EventRow,
        DeadlineRow,
        PossibleAction,
        FieldInfo,
        PersonRow,
        DocumentRow,
        ReadRow,
        CaseProblem,
        Refusal
    ))
)]
pub(crate) struct CasesDoc;

/// A problem document (RFC 9457) with the refusal's code and articles.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CaseProblem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// In Chinese: the refusal's message.
    pub detail: String,
    /// The refusal's stable code (`access_not_on_case`, `evidence_two_officers`…); absent for
    /// errors that are not refusals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The articles or rule the refusal rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub articles: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unverified: Option<bool>,
}

/// A [`CasesError`] as problem+json.
pub(crate) struct CaseApiError(pub CasesError);

impl From<CasesError> for CaseApiError {
    fn from(e: CasesError) -> Self {
        CaseApiError(e)
    }
}

impl From<crate::http::access::Denied> for CaseApiError {
    fn from(d: crate::http::access::Denied) -> Self {
        let e = ApiError::from(d);
        CaseApiError(match e.status.as_u16() {
            401 => CasesError::LoginRequired,
            500 => CasesError::Internal(e.detail),
            _ => CasesError::Forbidden(Refusal {
                code: "forbidden".into(),
                articles: Vec::new(),
                message: e.detail,
                unverified: false,
            }),
        })
    }
}

impl From<crate::http::params::ParamError> for CaseApiError {
    fn from(e: crate::http::params::ParamError) -> Self {
        CaseApiError(CasesError::Invalid(e.to_string()))
    }
}

impl IntoResponse for CaseApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let kind = match &e {
            CasesError::LoginRequired => "unauthorized",
            CasesError::Forbidden(_) => "case-access-refused",
            CasesError::Refused(_) => "case-action-refused",
            CasesError::NotFound(_) => "not-found",
            CasesError::Invalid(_) => "bad-request",
            CasesError::Internal(_) => "internal",
        };
        let refusal = e.refusal().cloned();
        let problem = CaseProblem {
            kind: format!("/api/problems/{kind}"),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: e.to_string(),
            code: refusal.as_ref().map(|r| r.code.clone()),
            articles: refusal.as_ref().map(|r| r.articles.clone()),
            unverified: refusal.as_ref().map(|r| r.unverified),
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut resp = (status, body).into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        resp
    }
}

type ApiResult<T> = Result<T, CaseApiError>;

/// The API answers a request that cannot start with problem+json.
pub(crate) struct Api;

impl Answer for Api {
    fn denied(_: &Viewer, denied: Denied) -> Response {
        CaseApiError::from(denied).into_response()
    }
    fn failed(error: CasesError) -> Response {
        CaseApiError(error).into_response()
    }
}

/// A reading API request's work (logged in).
type Reader = Reading<Api>;
/// A writing API request's work (same origin, logged in, `X-CSRF-Token`).
type Writer = Writing<Api>;

/// A JSON object body, read after the caller was checked.
async fn json_object(
    state: &AppState,
    req: Request,
) -> ApiResult<serde_json::Map<String, serde_json::Value>> {
    let Json(v) = Json::<serde_json::Value>::from_request(req, state)
        .await
        .map_err(|e| CasesError::Invalid(format!("请求体应为 JSON 对象：{}", e.body_text())))?;
    match v {
        serde_json::Value::Object(m) => Ok(m),
        _ => Err(CasesError::Invalid("请求体应为 JSON 对象".into()).into()),
    }
}

fn take_str(m: &mut serde_json::Map<String, serde_json::Value>, key: &str) -> ApiResult<Option<String>> {
    match m.remove(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s)),
        Some(serde_json::Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(CasesError::Invalid(format!("「{key}」应为文本")).into()),
    }
}

fn take_list(m: &mut serde_json::Map<String, serde_json::Value>, key: &str) -> ApiResult<Vec<String>> {
    match m.remove(key) {
        None | Some(serde_json::Value::Null) => Ok(Vec::new()),
        Some(serde_json::Value::Array(a)) => a
            .into_iter()
            .map(|x| match x {
                serde_json::Value::String(s) => Ok(s),
                serde_json::Value::Number(n) => Ok(n.to_string()),
                _ => Err(CasesError::Invalid(format!("「{key}」应为人员编号的列表")).into()),
            })
            .collect(),
        Some(_) => Err(CasesError::Invalid(format!("「{key}」应为人员编号的列表")).into()),
    }
}

/// Opening a case: the item, and the keys of the `open` action (`party`; for services
/// `complete` and `missing`).
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub(crate) struct OpenCaseRequest {
    /// An item id of a published list version.
    pub item: i64,
    /// 案号; omitted: the date and the bureau's count of cases.
    pub label: Option<String>,
    /// When (China time, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`); omitted: today.
    pub at: Option<String>,
    /// Other people acting beside the caller (person ids): an inspection is done by two
    /// officers (行政处罚法 第四十二条).
    #[serde(default)]
    pub with: Vec<String>,
    /// `unit` or `individual`.
    pub party: Option<String>,
    pub complete: Option<bool>,
    #[serde(default)]
    pub missing: Vec<String>,
}

/// An opened case.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Opened {
    pub id: i64,
    /// Where to read it.
    pub location: String,
}

/// Open a case under an item, as the logged-in officer (`X-CSRF-Token` required with a
/// cookie session). The officer and the people named in `with` who are officers are put on
/// the case.
#[utoipa::path(post, path = "/api/cases", tag = "cases", request_body = OpenCaseRequest,
    responses(
        (status = 201, body = Opened),
        (status = 400, body = CaseProblem, content_type = "application/problem+json"),
        (status = 401, body = CaseProblem, content_type = "application/problem+json"),
        (status = 403, body = CaseProblem, content_type = "application/problem+json"),
        (status = 409, body = CaseProblem, content_type = "application/problem+json"),
        (status = 422, body = CaseProblem, content_type = "application/problem+json")))]
async fn api_open(
    State(state): State<AppState>,
    Writing(work, _): Writer,
    req: Request,
) -> ApiResult<Response> {
    let mut m = json_object(&state, req).await?;
    let item = match m.remove("item") {
        Some(serde_json::Value::Number(n)) => n.as_i64(),
        Some(serde_json::Value::String(s)) => parse_id("item", &s).ok(),
        _ => None,
    }
    .ok_or_else(|| CasesError::Invalid("请给出事项编号 item".into()))?;
    let open = OpenCase {
        item,
        label: take_str(&mut m, "label")?.unwrap_or_default(),
        at: take_str(&mut m, "at")?,
        with: take_list(&mut m, "with")?,
        values: values_from_json(&m)?,
    };
    let id = work.open_case(&open).await?;
    let location = format!("/api/cases/{id}");
    let mut resp = (StatusCode::CREATED, Json(Opened { id, location: location.clone() })).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// One action: its id and its keys (`docs/scenarios.md`; money in 元).
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub(crate) struct ActRequest {
    /// The action's id (`register`, `investigate`, `decide`…); `GET /api/cases/{id}` lists
    /// those possible now with their keys.
    pub action: String,
    /// When (China time); omitted: today.
    pub at: Option<String>,
    /// Other people acting beside the caller (person ids): the second officer, the leader who
    /// approves, the legal reviewer.
    #[serde(default)]
    pub with: Vec<String>,
    /// The action's own keys, e.g. `"evidence": ["书证"]`, `"decision": "penalty"`,
    /// `"fine_yuan": 5000`.
    #[serde(flatten)]
    pub keys: std::collections::BTreeMap<String, serde_json::Value>,
}

/// Take one action on a case (`X-CSRF-Token` required with a cookie session). The access
/// policy answers 403; the engine's guards 409 (not in this state) or 422, each with its
/// `code`, `articles` and Chinese `detail`.
#[utoipa::path(post, path = "/api/cases/{id}/actions", tag = "cases", request_body = ActRequest,
    params(("id" = i64, Path, description = "case id")),
    responses(
        (status = 200, body = Applied),
        (status = 400, body = CaseProblem, content_type = "application/problem+json"),
        (status = 401, body = CaseProblem, content_type = "application/problem+json"),
        (status = 403, body = CaseProblem, content_type = "application/problem+json"),
        (status = 404, body = CaseProblem, content_type = "application/problem+json"),
        (status = 409, body = CaseProblem, content_type = "application/problem+json"),
        (status = 422, body = CaseProblem, content_type = "application/problem+json")))]
async fn api_act(
    State(state): State<AppState>,
    Writing(work, _): Writer,
    Path(id): Path<String>,
    req: Request,
) -> ApiResult<Json<Applied>> {
    let id = parse_id("案件编号", &id)?;
    let mut m = json_object(&state, req).await?;
    let act = ActOn {
        action: take_str(&mut m, "action")?.ok_or_else(|| CasesError::Invalid("请给出操作 action".into()))?,
        at: take_str(&mut m, "at")?,
        with: take_list(&mut m, "with")?,
        values: values_from_json(&m)?,
    };
    Ok(Json(work.act(id, &act).await?))
}

/// A case with its timeline (who, when, what, which duty of the list), its deadlines with
/// their articles and the actions the viewer may take now. The read is recorded (a refused
/// attempt too).
#[utoipa::path(get, path = "/api/cases/{id}", tag = "cases",
    params(("id" = i64, Path, description = "case id")),
    responses(
        (status = 200, body = CaseDetail),
        (status = 401, body = CaseProblem, content_type = "application/problem+json"),
        (status = 403, body = CaseProblem, content_type = "application/problem+json"),
        (status = 404, body = CaseProblem, content_type = "application/problem+json")))]
async fn api_case(Reading(work, _): Reader, Path(id): Path<String>) -> ApiResult<Response> {
    let id = parse_id("案件编号", &id)?;
    let detail = work.read_case(id).await?;
    Ok(no_store(Json(detail).into_response()))
}

/// Filters of the case list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListParams {
    /// Bureau id.
    pub bureau: Option<String>,
    /// A person on the case (person id).
    pub officer: Option<String>,
    /// The state's id (`investigating`, `decided`…).
    pub state: Option<String>,
    /// Only cases with an open deadline due on or before this day (`YYYY-MM-DD`).
    pub due_by: Option<String>,
    /// A part of the 案号 or of the item's name.
    pub q: Option<String>,
    pub offset: Option<String>,
    pub limit: Option<String>,
}

pub(crate) fn list_filter(p: &ListParams) -> Result<ListFilter, CasesError> {
    let page =
        paging(p.offset.as_deref(), p.limit.as_deref()).map_err(|e| CasesError::Invalid(e.to_string()))?;
    let id = |what: &str, v: &Option<String>| -> Result<Option<i64>, CasesError> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => parse_id(what, s).map(Some).map_err(|e| CasesError::Invalid(e.to_string())),
        }
    };
    let due_by = match p.due_by.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            quanze_model::Date::parse(s)
                .ok_or_else(|| CasesError::Invalid(format!("due_by 应写作 YYYY-MM-DD，而不是“{s}”")))?,
        ),
    };
    Ok(ListFilter {
        bureau: id("bureau", &p.bureau)?,
        officer: id("officer", &p.officer)?,
        state: p.state.clone().filter(|s| !s.trim().is_empty()),
        due_by,
        text: p.q.clone(),
        offset: page.offset,
        limit: page.limit,
    })
}

/// The cases the viewer may see (their own; leaders, legal reviewers and supervisors their
/// bureau's), filtered, the nearest deadline first, paged.
#[utoipa::path(get, path = "/api/cases", tag = "cases", params(ListParams),
    responses(
        (status = 200, body = CaseList),
        (status = 400, body = CaseProblem, content_type = "application/problem+json"),
        (status = 401, body = CaseProblem, content_type = "application/problem+json"),
        (status = 403, body = CaseProblem, content_type = "application/problem+json")))]
async fn api_list(Reading(work, _): Reader, Query(p): Query<ListParams>) -> ApiResult<Response> {
    let filter = list_filter(&p)?;
    let list = work.list_cases(&filter).await?;
    Ok(no_store(Json(list).into_response()))
}

/// A case's documents (文书) in the file's order, with their 文号. A recorded read.
#[utoipa::path(get, path = "/api/cases/{id}/documents", tag = "cases",
    params(("id" = i64, Path, description = "case id")),
    responses(
        (status = 200, body = Vec<DocumentRow>),
        (status = 403, body = CaseProblem, content_type = "application/problem+json")))]
async fn api_documents(Reading(work, _): Reader, Path(id): Path<String>) -> ApiResult<Response> {
    let id = parse_id("案件编号", &id)?;
    let docs = work.documents(id).await?;
    Ok(no_store(Json(docs).into_response()))
}

/// One document as a printable A4 page (HTML). A recorded read.
#[utoipa::path(get, path = "/api/cases/{id}/documents/{doc}", tag = "cases",
    params(("id" = i64, Path, description = "case id"), ("doc" = i64, Path, description = "document id")),
    responses(
        (status = 200, content_type = "text/html", body = String),
        (status = 403, body = CaseProblem, content_type = "application/problem+json"),
        (status = 404, body = CaseProblem, content_type = "application/problem+json")))]
async fn api_document(
    Reading(work, _): Reader,
    Path((id, doc)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (id, doc) = (parse_id("案件编号", &id)?, parse_id("文书编号", &doc)?);
    let html = work.document_html(id, doc).await?;
    Ok(no_store(Html(html).into_response()))
}

/// The case's documents as one printable file (一案一卷), in the fixed order. A recorded
/// read.
#[utoipa::path(get, path = "/api/cases/{id}/dossier", tag = "cases",
    params(("id" = i64, Path, description = "case id")),
    responses(
        (status = 200, content_type = "text/html", body = String),
        (status = 403, body = CaseProblem, content_type = "application/problem+json")))]
async fn api_dossier(Reading(work, _): Reader, Path(id): Path<String>) -> ApiResult<Response> {
    let id = parse_id("案件编号", &id)?;
    let html = work.dossier_html(id).await?;
    Ok(no_store(Html(html).into_response()))
}

/// Who read the case, when and what, refused attempts included (supervisors only).
#[utoipa::path(get, path = "/api/cases/{id}/reads", tag = "cases",
    params(("id" = i64, Path, description = "case id")),
    responses(
        (status = 200, body = Vec<ReadRow>),
        (status = 403, body = CaseProblem, content_type = "application/problem+json")))]
async fn api_reads(Reading(work, _): Reader, Path(id): Path<String>) -> ApiResult<Response> {
    let id = parse_id("案件编号", &id)?;
    let rows = work.reads(id).await?;
    Ok(no_store(Json(rows).into_response()))
}

/// Putting a person on a case.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct AssignRequest {
    /// Person id.
    pub person: String,
    /// `handler` (承办人), `legal_reviewer`, `presider` (听证主持人) or `other`.
    pub duty: String,
}

/// Put a person on the case (a leader of the case's bureau only; `X-CSRF-Token` required
/// with a cookie session). A presider of a hearing who did not investigate is put on the
/// case this way before acting.
#[utoipa::path(post, path = "/api/cases/{id}/assignments", tag = "cases", request_body = AssignRequest,
    params(("id" = i64, Path, description = "case id")),
    responses(
        (status = 204),
        (status = 400, body = CaseProblem, content_type = "application/problem+json"),
        (status = 403, body = CaseProblem, content_type = "application/problem+json")))]
async fn api_assign(
    State(state): State<AppState>,
    Writing(work, _): Writer,
    Path(id): Path<String>,
    req: Request,
) -> ApiResult<StatusCode> {
    let id = parse_id("案件编号", &id)?;
    let Json(body) = Json::<AssignRequest>::from_request(req, &state).await.map_err(|e| {
        CasesError::Invalid(format!("请求体应为 {{\"person\", \"duty\"}}：{}", e.body_text()))
    })?;
    work.assign(id, &body.person, &body.duty).await?;
    Ok(StatusCode::NO_CONTENT)
}
