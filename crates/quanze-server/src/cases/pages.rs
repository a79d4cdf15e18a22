//! The officer console: 我的待办 (`/cases`), a case page with a form for each action possible
//! now (`/cases/{id}`), opening a case from an item page (`/cases/new?item=…`), the search of
//! cases, the documents with their print views and the whole file, and the read log for
//! supervisors. Server-rendered, no scripts; templates in `templates/cases/`.

use askama::Template;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use serde::Deserialize;

use super::service::{
    ActOn, CaseDetail, CaseRow, Cases, CasesError, DocumentRow, ItemForOpening, ListFilter, OpenCase,
    PossibleAction, ReadRow, Values,
};
use crate::http::access::{Access, Action};
use crate::http::error::{ApiError, PageError, no_store};
use crate::http::viewer::Viewer;
use crate::http::zh;
use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases", get(todo_page))
        .route("/cases/search", get(search_page))
        .route("/cases/new", get(new_form).post(new_submit))
        .route("/cases/print.css", get(print_css))
        .route("/cases/console.css", get(console_css))
        .route("/cases/{id}", get(case_page))
        .route("/cases/{id}/act", axum::routing::post(act_submit))
        .route("/cases/{id}/assign", axum::routing::post(assign_submit))
        .route("/cases/{id}/documents", get(documents_page))
        .route("/cases/{id}/documents/{doc}", get(document_print))
        .route("/cases/{id}/dossier", get(dossier_print))
        .route("/cases/{id}/reads", get(reads_page))
}

const PRINT_CSS: &str = include_str!("../../templates/cases/print.css");

const CONSOLE_CSS: &str = include_str!("../../templates/cases/console.css");

async fn console_css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CONSOLE_CSS).into_response()
}

async fn print_css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], PRINT_CSS).into_response()
}

impl From<CasesError> for PageError {
    fn from(e: CasesError) -> PageError {
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let detail = match e.refusal() {
            Some(r) if !r.articles.is_empty() => format!("{}（依据：{}）", r.message, r.articles.join("、")),
            _ => e.to_string(),
        };
        PageError(ApiError::new(status, "case", detail))
    }
}

type PageResult = Result<Response, PageError>;

fn render(t: &impl Template, status: StatusCode) -> PageResult {
    let body = t.render().map_err(ApiError::internal)?;
    Ok(no_store((status, Html(body)).into_response()))
}

/// Pages of case work need a login: without one, the login form.
fn need_login(viewer: &Viewer) -> Option<Response> {
    match Access::check(viewer, Action::WorkCases) {
        Ok(()) => None,
        Err(_) if viewer.session().is_none() => Some(Redirect::to("/login").into_response()),
        Err(d) => Some(PageError(ApiError::from(d)).into_response()),
    }
}

fn urgency_label(u: &str) -> &'static str {
    match u {
        "near" => "临近",
        "passed" => "已逾期",
        _ => "",
    }
}

// ---------- 我的待办 ----------

#[derive(Template)]
#[template(path = "cases/todo.html")]
struct TodoPage {
    who: String,
    rows: Vec<CaseRow>,
}

impl TodoPage {
    fn urgency_label(&self, u: &str) -> &'static str {
        urgency_label(u)
    }
}

async fn todo_page(
    State(state): State<AppState>,
    Extension(cases): Extension<Cases>,
    viewer: Viewer,
) -> PageResult {
    if let Some(r) = need_login(&viewer) {
        return Ok(r);
    }
    let (who, rows) = super::service::work_list(&state, &cases, viewer.session()).await?;
    render(&TodoPage { who, rows }, StatusCode::OK)
}

// ---------- search ----------

#[derive(Debug, Deserialize)]
struct SearchParams {
    q: Option<String>,
    state: Option<String>,
    officer: Option<String>,
    due_by: Option<String>,
}

#[derive(Template)]
#[template(path = "cases/search.html")]
struct SearchPage {
    q: String,
    state: String,
    officer: String,
    due_by: String,
    error: String,
    total: usize,
    rows: Vec<CaseRow>,
}

impl SearchPage {
    fn urgency_label(&self, u: &str) -> &'static str {
        urgency_label(u)
    }
}

async fn search_page(
    State(state): State<AppState>,
    Extension(cases): Extension<Cases>,
    viewer: Viewer,
    Query(p): Query<SearchParams>,
) -> PageResult {
    if let Some(r) = need_login(&viewer) {
        return Ok(r);
    }
    let text = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_string();
    let mut page = SearchPage {
        q: text(&p.q),
        state: text(&p.state),
        officer: text(&p.officer),
        due_by: text(&p.due_by),
        error: String::new(),
        total: 0,
        rows: Vec::new(),
    };
    let mut filter = ListFilter { limit: 200, ..ListFilter::default() };
    filter.text = Some(page.q.clone()).filter(|s| !s.is_empty());
    filter.state = Some(page.state.clone()).filter(|s| !s.is_empty());
    if !page.officer.is_empty() {
        match page.officer.parse::<i64>() {
            Ok(o) => filter.officer = Some(o),
            Err(_) => page.error = format!("承办人应为人员编号，而不是“{}”。", page.officer),
        }
    }
    if !page.due_by.is_empty() {
        match quanze_model::Date::parse(&page.due_by) {
            Some(d) => filter.due_by = Some(d),
            None => page.error = format!("期限应写作 YYYY-MM-DD，而不是“{}”。", page.due_by),
        }
    }
    if page.error.is_empty() {
        let list = super::service::list_cases(&state, &cases, viewer.session(), &filter).await?;
        page.total = list.total;
        page.rows = list.cases;
    }
    let status = if page.error.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    render(&page, status)
}

// ---------- opening a case ----------

#[derive(Debug, Deserialize)]
struct NewParams {
    item: Option<String>,
}

#[derive(Template)]
#[template(path = "cases/new.html")]
struct NewPage {
    csrf: String,
    item: ItemForOpening,
    error: String,
    articles: String,
    today: String,
}

async fn new_form(
    State(state): State<AppState>,
    Extension(cases): Extension<Cases>,
    viewer: Viewer,
    Query(p): Query<NewParams>,
) -> PageResult {
    if let Some(r) = need_login(&viewer) {
        return Ok(r);
    }
    let item = p
        .item
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .ok_or_else(|| PageError(ApiError::bad_request("请从事项页面进入立案。")))?;
    let item = super::service::item_for_opening(&state, &cases, viewer.session(), item).await?;
    let csrf = viewer.session().map(|s| s.csrf_token.clone()).unwrap_or_default();
    let today = state.today().to_string();
    render(&NewPage { csrf, item, error: String::new(), articles: String::new(), today }, StatusCode::OK)
}

/// Form fields: repeated `with` (people acting beside the officer), the rest by name.
fn form_values(raw: &[u8]) -> (Option<String>, Vec<String>, Values) {
    let mut csrf = None;
    let mut with = Vec::new();
    let mut values = Values::new();
    for (k, v) in form_urlencoded_pairs(raw) {
        match k.as_str() {
            "csrf" => csrf = Some(v),
            "with" => with.push(v),
            _ => {
                // A checkbox and a hidden "false" may both be sent; the last wins.
                values.insert(k, v);
            }
        }
    }
    (csrf, with, values)
}

/// `application/x-www-form-urlencoded` pairs (repeated keys kept).
fn form_urlencoded_pairs(raw: &[u8]) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        percent_encoding::percent_decode_str(&s).decode_utf8_lossy().into_owned()
    };
    String::from_utf8_lossy(raw)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

async fn new_submit(
    State(state): State<AppState>,
    Extension(cases): Extension<Cases>,
    viewer: Viewer,
    RawForm(raw): RawForm,
) -> PageResult {
    let (csrf, with, mut values) = form_values(&raw);
    let session = Access::check_write(&viewer, Action::WorkCases, csrf.as_deref()).map_err(ApiError::from)?;
    let item = values
        .remove("item")
        .and_then(|s| s.trim().parse::<i64>().ok())
        .ok_or_else(|| PageError(ApiError::bad_request("缺少事项编号。")))?;
    let label = values.remove("label").unwrap_or_default();
    let at = values.remove("at");
    let open = OpenCase { item, label, at, with, values };
    match super::service::open_case(&state, &cases, Some(session), &open).await {
        Ok(id) => Ok(Redirect::to(&format!("/cases/{id}")).into_response()),
        Err(e @ (CasesError::Forbidden(_) | CasesError::Refused(_) | CasesError::Invalid(_))) => {
            let item = super::service::item_for_opening(&state, &cases, Some(session), item).await?;
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
            let articles = e.refusal().map(|r| r.articles.join("、")).unwrap_or_default();
            let page = NewPage {
                csrf: session.csrf_token.clone(),
                item,
                error: e.to_string(),
                articles,
                today: state.today().to_string(),
            };
            render(&page, status)
        }
        Err(e) => Err(e.into()),
    }
}

// ---------- the case page ----------

/// A refused action shown on its form.
struct FormError {
    action: String,
    message: String,
    code: String,
    articles: String,
}

#[derive(Template)]
#[template(path = "cases/case.html")]
struct CasePage {
    csrf: String,
    case: CaseDetail,
    error: Option<FormError>,
    done: String,
    today: String,
}

impl CasePage {
    fn error_for(&self, action: &PossibleAction) -> Option<&FormError> {
        self.error.as_ref().filter(|e| e.action == action.id)
    }
    fn urgency_label(&self, u: &str) -> &'static str {
        urgency_label(u)
    }
    fn status_label(&self, s: &str) -> &'static str {
        match s {
            "open" => "进行中",
            "met" => "已按期完成",
            "missed" => "已逾期",
            _ => "无法计算",
        }
    }
}

#[derive(Debug, Deserialize)]
struct CaseParams {
    done: Option<String>,
}

async fn case_page(
    State(state): State<AppState>,
    Extension(cases): Extension<Cases>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(p): Query<CaseParams>,
) -> PageResult {
    if let Some(r) = need_login(&viewer) {
        return Ok(r);
    }
    let id = id.trim().parse::<i64>().map_err(|_| PageError(ApiError::not_found("没有这个案件。")))?;
    let case = super::service::read_case(&state, &cases, viewer.session(), id).await?;
    let csrf = viewer.session().map(|s| s.csrf_token.clone()).unwrap_or_default();
    let done = p.done.unwrap_or_default();
    let done = quanze_case::ActionKind::from_id(&done)
        .map(|k| format!("已办理「{}」。", k.label()))
        .unwrap_or_default();
    render(&CasePage { csrf, case, error: None, done, today: state.today().to_string() }, StatusCode::OK)
}

async fn act_submit(
    State(state): State<AppState>,
    Extension(cases): Extension<Cases>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawForm(raw): RawForm,
) -> PageResult {
    let (csrf, with, mut values) = form_values(&raw);
    let session = Access::check_write(&viewer, Action::WorkCases, csrf.as_deref()).map_err(ApiError::from)?;
    let id = id.trim().parse::<i64>().map_err(|_| PageError(ApiError::not_found("没有这个案件。")))?;
    let action = values.remove("action").unwrap_or_default();
    let at = values.remove("at");
    // Unchecked boxes send nothing; a box's hidden twin says "false".
    values.retain(|_, v| v != "false");
    let act = ActOn { action: action.clone(), at, with, values };
    match super::service::act(&state, &cases, Some(session), id, &act).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/cases/{id}?done={}", crate::http::params::pct(&action)))
                .into_response())
        }
        Err(e @ (CasesError::Forbidden(_) | CasesError::Refused(_) | CasesError::Invalid(_))) => {
            // The case is shown again (a recorded read) with the reason on the action's form.
            let case = super::service::read_case(&state, &cases, Some(session), id).await?;
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
            let error = FormError {
                action,
                message: e.to_string(),
                code: e.refusal().map(|r| r.code.clone()).unwrap_or_default(),
                articles: e.refusal().map(|r| r.articles.join("、")).unwrap_or_default(),
            };
            let page = CasePage {
                csrf: session.csrf_token.clone(),
                case,
                error: Some(error),
                done: String::new(),
                today: state.today().to_string(),
            };
            render(&page, status)
        }
        Err(e) => Err(e.into()),
    }
}

async fn assign_submit(
    State(state): State<AppState>,
    Extension(cases): Extension<Cases>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawForm(raw): RawForm,
) -> PageResult {
    let (csrf, _, values) = form_values(&raw);
    let session = Access::check_write(&viewer, Action::WorkCases, csrf.as_deref()).map_err(ApiError::from)?;
    let id = id.trim().parse::<i64>().map_err(|_| PageError(ApiError::not_found("没有这个案件。")))?;
    let person = values.get("person").cloned().unwrap_or_default();
    let duty = values.get("duty").cloned().unwrap_or_default();
    super::service::assign(&state, &cases, Some(session), id, &person, &duty).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}

// ---------- documents ----------

#[derive(Template)]
#[template(path = "cases/documents.html")]
struct DocumentsPage {
    id: i64,
    label: String,
    docs: Vec<DocumentRow>,
}

async fn documents_page(
    State(state): State<AppState>,
    Extension(cases): Extension<Cases>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> PageResult {
    if let Some(r) = need_login(&viewer) {
        return Ok(r);
    }
    let id = id.trim().parse::<i64>().map_err(|_| PageError(ApiError::not_found("没有这个案件。")))?;
    let docs = super::service::documents(&state, &cases, viewer.session(), id).await?;
    render(&DocumentsPage { id, label: format!("案件 {id}"), docs }, StatusCode::OK)
}

/// A printable page without its inline style (the CSP allows none): the same rules come
/// from `/cases/print.css`.
fn print_page(html: &str) -> Response {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<style") {
        out.push_str(&rest[..start]);
        match rest[start..].find("</style>") {
            Some(end) => rest = &rest[start + end + "</style>".len()..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    let out = out.replacen("</head>", "<link rel=\"stylesheet\" href=\"/cases/print.css\">\n</head>", 1);
    let mut resp = Html(out).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

async fn document_print(
    State(state): State<AppState>,
    Extension(cases): Extension<Cases>,
    viewer: Viewer,
    Path((id, doc)): Path<(String, String)>,
) -> PageResult {
    if let Some(r) = need_login(&viewer) {
        return Ok(r);
    }
    let not_found = || PageError(ApiError::not_found("没有这份文书。"));
    let id = id.trim().parse::<i64>().map_err(|_| not_found())?;
    let doc = doc.trim().parse::<i64>().map_err(|_| not_found())?;
    let html = super::service::document_html(&state, &cases, viewer.session(), id, doc).await?;
    Ok(print_page(&html))
}

async fn dossier_print(
    State(state): State<AppState>,
    Extension(cases): Extension<Cases>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> PageResult {
    if let Some(r) = need_login(&viewer) {
        return Ok(r);
    }
    let id = id.trim().parse::<i64>().map_err(|_| PageError(ApiError::not_found("没有这个案件。")))?;
    let html = super::service::dossier_html(&state, &cases, viewer.session(), id).await?;
    Ok(print_page(&html))
}

// ---------- the read log ----------

struct ReadLine {
    at: String,
    row: ReadRow,
}

#[derive(Template)]
#[template(path = "cases/reads.html")]
struct ReadsPage {
    id: i64,
    rows: Vec<ReadLine>,
}

async fn reads_page(
    State(state): State<AppState>,
    Extension(cases): Extension<Cases>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> PageResult {
    if let Some(r) = need_login(&viewer) {
        return Ok(r);
    }
    let id = id.trim().parse::<i64>().map_err(|_| PageError(ApiError::not_found("没有这个案件。")))?;
    let rows = super::service::reads(&state, &cases, viewer.session(), id)
        .await?
        .into_iter()
        .map(|row| ReadLine { at: zh::beijing_time(row.at), row })
        .collect();
    render(&ReadsPage { id, rows }, StatusCode::OK)
}
