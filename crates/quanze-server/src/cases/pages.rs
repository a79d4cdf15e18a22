//! The officer console: 我的待办 (`/cases`), a case page with a form for each action possible
//! now (`/cases/{id}`), opening a case from an item page (`/cases/new?item=…`), the search of
//! cases, the documents with their print views and the whole file, and the read log for
//! supervisors. Server-rendered, no scripts; templates in `templates/cases/`.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::service::{
    ActOn, AlertLine, CaseDetail, CaseRow, CasesError, DocumentRow, ItemForOpening, ListFilter, OpenCase,
    PossibleAction, ReadRow,
};
use super::work::{Answer, Reading, Submitted};
use crate::http::access::Denied;
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

/// The console answers a request that cannot start with a page: the login form when nobody
/// is logged in, else the reason.
pub(crate) struct Console;

impl Answer for Console {
    fn denied(viewer: &Viewer, denied: Denied) -> Response {
        if viewer.session().is_none() && matches!(denied, Denied::LoginRequired) {
            Redirect::to("/login").into_response()
        } else {
            PageError(ApiError::from(denied)).into_response()
        }
    }
    fn failed(error: CasesError) -> Response {
        PageError::from(error).into_response()
    }
}

/// A console page's work (logged in).
type Page = Reading<Console>;
/// A console form's work, with its fields (same origin, logged in, the form's CSRF token).
type Form = Submitted<Console>;

/// A case id from the path; anything else is a case that does not exist.
fn case_id(id: &str) -> Result<i64, PageError> {
    id.trim().parse::<i64>().map_err(|_| PageError(ApiError::not_found("没有这个案件。")))
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
    /// Unresolved supervision alerts of the officer's cases (electronic supervision).
    alerts: Vec<AlertLine>,
}

impl TodoPage {
    fn urgency_label(&self, u: &str) -> &'static str {
        urgency_label(u)
    }
}

async fn todo_page(Reading(work, _): Page) -> PageResult {
    let (who, rows) = work.work_list().await?;
    let alerts = work.alerts().await?;
    render(&TodoPage { who, rows, alerts }, StatusCode::OK)
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

async fn search_page(Reading(work, _): Page, Query(p): Query<SearchParams>) -> PageResult {
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
        let list = work.list_cases(&filter).await?;
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
    /// The form's default time: now.
    now: String,
}

async fn new_form(Reading(work, _): Page, Query(p): Query<NewParams>) -> PageResult {
    let item = p
        .item
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .ok_or_else(|| PageError(ApiError::bad_request("请从事项页面进入立案。")))?;
    let item = work.item_for_opening(item).await?;
    let page = NewPage {
        csrf: work.csrf().to_string(),
        item,
        error: String::new(),
        articles: String::new(),
        now: work.now_text(),
    };
    render(&page, StatusCode::OK)
}

async fn new_submit(form: Form) -> PageResult {
    let Submitted { work, with, mut values, .. } = form;
    let item = values
        .remove("item")
        .and_then(|s| s.trim().parse::<i64>().ok())
        .ok_or_else(|| PageError(ApiError::bad_request("缺少事项编号。")))?;
    let label = values.remove("label").unwrap_or_default();
    let at = values.remove("at");
    let open = OpenCase { item, label, at, with, values };
    match work.open_case(&open).await {
        Ok(id) => Ok(Redirect::to(&format!("/cases/{id}")).into_response()),
        Err(e @ (CasesError::Forbidden(_) | CasesError::Refused(_) | CasesError::Invalid(_))) => {
            let item = work.item_for_opening(item).await?;
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
            let articles = e.refusal().map(|r| r.articles.join("、")).unwrap_or_default();
            let page = NewPage {
                csrf: work.csrf().to_string(),
                item,
                error: e.to_string(),
                articles,
                now: work.now_text(),
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
    Reading(work, _): Page,
    Path(id): Path<String>,
    Query(p): Query<CaseParams>,
) -> PageResult {
    let case = work.read_case(case_id(&id)?).await?;
    let done = match p.done.as_deref() {
        Some("assign") => "已分配人员。".to_string(),
        Some(a) => quanze_case::ActionKind::from_id(a)
            .map(|k| format!("已办理「{}」。", k.label()))
            .unwrap_or_default(),
        None => String::new(),
    };
    render(&CasePage { csrf: work.csrf().to_string(), case, error: None, done }, StatusCode::OK)
}

async fn act_submit(Path(id): Path<String>, form: Form) -> PageResult {
    let Submitted { work, with, mut values, .. } = form;
    let id = case_id(&id)?;
    let action = values.remove("action").unwrap_or_default();
    let at = values.remove("at");
    // Unchecked boxes send nothing; a box's hidden twin says "false".
    values.retain(|_, v| v != "false");
    let act = ActOn { action: action.clone(), at, with, values };
    match work.act(id, &act).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/cases/{id}?done={}", crate::http::params::pct(&action)))
                .into_response())
        }
        Err(e @ (CasesError::Forbidden(_) | CasesError::Refused(_) | CasesError::Invalid(_))) => {
            // The case is shown again (a recorded read) with the reason on the action's form.
            let case = work.read_case(id).await?;
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
            let error = FormError {
                action,
                message: e.to_string(),
                code: e.refusal().map(|r| r.code.clone()).unwrap_or_default(),
                articles: e.refusal().map(|r| r.articles.join("、")).unwrap_or_default(),
            };
            let page =
                CasePage { csrf: work.csrf().to_string(), case, error: Some(error), done: String::new() };
            render(&page, status)
        }
        Err(e) => Err(e.into()),
    }
}

async fn assign_submit(Path(id): Path<String>, form: Form) -> PageResult {
    let id = case_id(&id)?;
    let person = form.values.get("person").cloned().unwrap_or_default();
    let duty = form.values.get("duty").cloned().unwrap_or_default();
    form.work.assign(id, &person, &duty).await?;
    Ok(Redirect::to(&format!("/cases/{id}?done=assign")).into_response())
}

// ---------- documents ----------

#[derive(Template)]
#[template(path = "cases/documents.html")]
struct DocumentsPage {
    id: i64,
    label: String,
    docs: Vec<DocumentRow>,
}

async fn documents_page(Reading(work, _): Page, Path(id): Path<String>) -> PageResult {
    let id = case_id(&id)?;
    let docs = work.documents(id).await?;
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

async fn document_print(Reading(work, _): Page, Path((id, doc)): Path<(String, String)>) -> PageResult {
    let not_found = || PageError(ApiError::not_found("没有这份文书。"));
    let id = id.trim().parse::<i64>().map_err(|_| not_found())?;
    let doc = doc.trim().parse::<i64>().map_err(|_| not_found())?;
    let html = work.document_html(id, doc).await?;
    Ok(print_page(&html))
}

async fn dossier_print(Reading(work, _): Page, Path(id): Path<String>) -> PageResult {
    let html = work.dossier_html(case_id(&id)?).await?;
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

async fn reads_page(Reading(work, _): Page, Path(id): Path<String>) -> PageResult {
    let id = case_id(&id)?;
    let rows =
        work.reads(id).await?.into_iter().map(|row| ReadLine { at: zh::beijing_time(row.at), row }).collect();
    render(&ReadsPage { id, rows }, StatusCode::OK)
}
