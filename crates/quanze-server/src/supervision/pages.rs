//! The supervisor's console (`/supervision`): alerts by bureau, office, officer, item and rule
//! with filters, the overdue and approaching lists, the figures per bureau and month, trend
//! charts drawn on the server (SVG), the xlsx export of any filtered view; one alert with its
//! evidence, its log and the forms to acknowledge, resolve, reopen and issue a 监察建议书; and
//! the coverage report of every list (`/supervision/coverage`, public). Server-rendered, no
//! scripts; templates in `templates/supervision/`.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::download::xlsx_response;
use super::service::{
    self, AlertDetail, AlertView, Choices, Filters, ListCoverage, MonthFigures, Summary, SupervisionError,
    percent,
};
use crate::http::access::{Access, Action};
use crate::http::error::{ApiError, PageError, no_store};
use crate::http::params::parse_id;
use crate::http::viewer::Viewer;
use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/supervision", get(console))
        .route("/supervision/export.xlsx", get(export))
        .route("/supervision/coverage", get(coverage_page))
        .route("/supervision/console.css", get(css))
        .route("/supervision/alerts/{id}", get(alert_page).post(alert_submit))
}

const CSS: &str = include_str!("../../templates/supervision/console.css");

async fn css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response()
}

impl From<SupervisionError> for PageError {
    fn from(e: SupervisionError) -> PageError {
        PageError(ApiError::from_parts(e.status(), "supervision", e.to_string()))
    }
}

type PageResult = Result<Response, PageError>;

fn render(t: &impl Template, status: StatusCode) -> PageResult {
    let body = t.render().map_err(ApiError::internal)?;
    Ok(no_store((status, Html(body)).into_response()))
}

/// The scope of a page's viewer; without a login, the login form.
async fn scope(state: &AppState, viewer: &Viewer) -> Result<Result<service::Scope, Response>, PageError> {
    if viewer.session().is_none() {
        return Ok(Err(Redirect::to("/login").into_response()));
    }
    Access::check(viewer, Action::WorkCases).map_err(|d| PageError(ApiError::from(d)))?;
    Ok(Ok(service::scope(state, viewer.session()).await?))
}

// ---------- the console ----------

/// The filters as the form shows them (empty: not set).
#[derive(Debug, Clone, Default)]
struct Selected {
    bureau: String,
    office: String,
    officer: String,
    item: String,
    rule: String,
    level: String,
    status: String,
    view: String,
    from: String,
    to: String,
}

impl Selected {
    fn of(f: &Filters) -> Selected {
        let v = |o: &Option<String>| o.as_deref().unwrap_or("").trim().to_string();
        Selected {
            bureau: v(&f.bureau),
            office: v(&f.office),
            officer: v(&f.officer),
            item: v(&f.item),
            rule: v(&f.rule),
            level: v(&f.level),
            status: v(&f.status),
            view: v(&f.view),
            from: v(&f.from),
            to: v(&f.to),
        }
    }
}

/// A figures row, formatted.
struct FigureRow {
    bureau_name: String,
    month: String,
    opened: u64,
    alerted: u64,
    warning: String,
    closed: u64,
    closed_on_time: u64,
    on_time: String,
    raised: u64,
    resolved: u64,
    resolved_in_time: u64,
    in_time: String,
}

fn figure_rows(rows: &[MonthFigures]) -> Vec<FigureRow> {
    rows.iter()
        .map(|f| FigureRow {
            bureau_name: f.bureau_name.clone(),
            month: f.month.clone(),
            opened: f.opened,
            alerted: f.alerted,
            warning: percent(f.warning_permille),
            closed: f.closed,
            closed_on_time: f.closed_on_time,
            on_time: percent(f.on_time_permille),
            raised: f.raised_notice + f.raised_yellow + f.raised_red + f.raised_breach,
            resolved: f.resolved,
            resolved_in_time: f.resolved_in_time,
            in_time: percent(f.resolved_in_time_permille),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "supervision/console.html")]
struct ConsolePage {
    sel: Selected,
    choices: Choices,
    levels: Vec<(&'static str, &'static str)>,
    summary: Summary,
    alerts: Vec<AlertView>,
    total: u64,
    offset: u64,
    prev: Option<String>,
    next: Option<String>,
    query: String,
    figures: Vec<FigureRow>,
    alerts_chart: String,
    rates_chart: String,
    error: String,
}

const LEVELS: [(&str, &str); 4] =
    [("notice", "提示"), ("yellow", "黄色预警"), ("red", "红色预警"), ("breach", "违规")];

async fn console(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(filters): Query<Filters>,
) -> PageResult {
    let scope = match scope(&state, &viewer).await? {
        Ok(s) => s,
        Err(r) => return Ok(r),
    };
    let choices = service::choices(&state, &scope).await?;
    let summary = service::summary(&state, &scope).await?;
    let query = filters.query();
    let (list, figures, error, status) = match service::list(&state, &scope, &filters).await {
        Ok(list) => (list, service::figures(&state, &scope, &filters).await?, String::new(), StatusCode::OK),
        Err(e @ SupervisionError::Invalid(_)) => (
            service::AlertList { total: 0, offset: 0, alerts: Vec::new() },
            Vec::new(),
            e.to_string(),
            StatusCode::BAD_REQUEST,
        ),
        Err(e) => return Err(e.into()),
    };
    let limit = filters.limit.as_deref().and_then(|l| l.parse::<u64>().ok()).unwrap_or(50).max(1);
    let link = |offset: u64| {
        let sep = if query.is_empty() { "" } else { "&" };
        format!("/supervision?{query}{sep}offset={offset}&limit={limit}")
    };
    let prev = (list.offset > 0).then(|| link(list.offset.saturating_sub(limit)));
    let next = (list.offset + (list.alerts.len() as u64) < list.total).then(|| link(list.offset + limit));
    let page = ConsolePage {
        sel: Selected::of(&filters),
        choices,
        levels: LEVELS.to_vec(),
        summary,
        total: list.total,
        offset: list.offset,
        alerts: list.alerts,
        prev,
        next,
        alerts_chart: service::alerts_chart(&figures),
        rates_chart: service::rates_chart(&figures),
        figures: figure_rows(&figures),
        query,
        error,
    };
    render(&page, status)
}

async fn export(State(state): State<AppState>, viewer: Viewer, Query(filters): Query<Filters>) -> PageResult {
    let scope = match scope(&state, &viewer).await? {
        Ok(s) => s,
        Err(r) => return Ok(r),
    };
    Ok(xlsx_response(service::export_xlsx(&state, &scope, &filters).await?, &state))
}

// ---------- one alert ----------

#[derive(Template)]
#[template(path = "supervision/alert.html")]
struct AlertPage {
    csrf: String,
    d: AlertDetail,
    done: String,
    error: String,
    text: String,
}

#[derive(Debug, Deserialize)]
struct AlertQuery {
    done: Option<String>,
}

fn done_label(action: &str) -> &'static str {
    match action {
        "acknowledge" => "已确认知悉。",
        "resolve" => "已办结。",
        "reopen" => "已重新打开。",
        "issue_notice" => "已发出监察建议书。",
        "reply" => "已录入回复。",
        _ => "",
    }
}

async fn alert_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<AlertQuery>,
) -> PageResult {
    let scope = match scope(&state, &viewer).await? {
        Ok(s) => s,
        Err(r) => return Ok(r),
    };
    let id = parse_id("预警", &id).map_err(|e| PageError(ApiError::bad_request(e.to_string())))?;
    let d = service::detail(&state, &scope, id).await?;
    let csrf = viewer.session().map(|s| s.csrf_token.clone()).unwrap_or_default();
    let done = done_label(q.done.as_deref().unwrap_or("")).to_string();
    render(&AlertPage { csrf, d, done, error: String::new(), text: String::new() }, StatusCode::OK)
}

/// `csrf`, `action` and `text` of a form body.
fn form_fields(raw: &[u8]) -> (Option<String>, String, String) {
    let (mut csrf, mut action, mut text) = (None, String::new(), String::new());
    for (k, v) in url::form_urlencoded_parse(raw) {
        match k.as_str() {
            "csrf" => csrf = Some(v),
            "action" => action = v,
            "text" => text = v,
            _ => {}
        }
    }
    (csrf, action, text)
}

async fn alert_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawForm(raw): RawForm,
) -> PageResult {
    let (csrf, action, text) = form_fields(&raw);
    let session = match Access::check_write(&viewer, Action::WorkCases, csrf.as_deref()) {
        Ok(s) => s,
        Err(_) if viewer.session().is_none() => return Ok(Redirect::to("/login").into_response()),
        Err(d) => return Err(PageError(ApiError::from(d))),
    };
    let scope = service::scope(&state, Some(session)).await?;
    let id = parse_id("预警", &id).map_err(|e| PageError(ApiError::bad_request(e.to_string())))?;
    let result = match service::parse_command(&action, Some(&text)) {
        Ok(cmd) => service::command(&state, &scope, id, &cmd).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => {
            Ok(Redirect::to(&format!("/supervision/alerts/{id}?done={}", crate::http::params::pct(&action)))
                .into_response())
        }
        Err(e @ SupervisionError::Invalid(_)) => {
            // The alert again, with the reason and what was typed.
            let d = service::detail(&state, &scope, id).await?;
            let page = AlertPage {
                csrf: session.csrf_token.clone(),
                d,
                done: String::new(),
                error: e.to_string(),
                text,
            };
            render(&page, StatusCode::BAD_REQUEST)
        }
        Err(e) => Err(e.into()),
    }
}

// ---------- coverage ----------

#[derive(Template)]
#[template(path = "supervision/coverage.html")]
struct CoveragePage {
    lists: Vec<ListCoverage>,
    clauses: usize,
    automated: usize,
    share: String,
}

async fn coverage_page(State(state): State<AppState>) -> PageResult {
    let lists = service::coverage(&state);
    let clauses: usize = lists.iter().map(|l| l.clauses).sum();
    let automated: usize = lists.iter().map(|l| l.automated).sum();
    let share = percent((clauses > 0).then(|| u32::try_from(automated * 1000 / clauses).unwrap_or(1000)));
    let body = CoveragePage { lists, clauses, automated, share }.render().map_err(ApiError::internal)?;
    Ok(Html(body).into_response())
}

impl CoveragePage {
    fn pct(&self, permille: &u32) -> String {
        percent(Some(*permille))
    }
}

mod url {
    /// `application/x-www-form-urlencoded` pairs, decoded (`+` is a space).
    pub(super) fn form_urlencoded_parse(raw: &[u8]) -> Vec<(String, String)> {
        let text = String::from_utf8_lossy(raw);
        text.split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect()
    }

    fn decode(s: &str) -> String {
        let s = s.replace('+', " ");
        percent_encoding::percent_decode_str(&s).decode_utf8_lossy().into_owned()
    }
}
