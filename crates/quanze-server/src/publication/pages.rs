//! The portal's 行政执法公示 pages: `/publications` (published decisions per bureau, newest
//! first, paged), `/publications/{id}` (one decision, masked; a retracted one shows only the
//! retraction), and the leaders' retraction form `/publication/{id}/retract`. No scripts;
//! templates in `templates/publication/`.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::service::{self, BureauChoice, PublicDecision, PublicDetail, PublicationError, RetractRequest};
use crate::http::access::{Access, Action};
use crate::http::error::{ApiError, PageError, no_store};
use crate::http::params::parse_id;
use crate::http::viewer::Viewer;
use crate::state::AppState;

/// Decisions on one page of the portal.
const PAGE_SIZE: usize = 20;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/publications", get(list_page))
        .route("/publications/{id}", get(one_page))
        .route("/publication/{id}/retract", get(retract_form).post(retract_submit))
}

impl From<PublicationError> for PageError {
    fn from(e: PublicationError) -> PageError {
        match e {
            PublicationError::Internal(cause) => PageError(ApiError::internal(cause)),
            _ => PageError(ApiError::from_parts(e.status(), e.kind(), e.to_string())),
        }
    }
}

type PageResult = Result<Response, PageError>;

fn render(t: &impl Template, status: StatusCode) -> PageResult {
    let body = t.render().map_err(ApiError::internal)?;
    Ok((status, Html(body)).into_response())
}

// ---------- the list ----------

#[derive(Template)]
#[template(path = "publication/list.html")]
struct ListPage {
    bureaus: Vec<BureauChoice>,
    bureau: Option<i64>,
    rows: Vec<PublicDecision>,
    total: usize,
    page: usize,
    pages: usize,
}

impl ListPage {
    /// The query string of page `n` with the bureau kept.
    fn href(&self, n: usize) -> String {
        match self.bureau {
            Some(b) => format!("/publications?bureau={b}&page={n}"),
            None => format!("/publications?page={n}"),
        }
    }
}

#[derive(Debug, Deserialize)]
struct ListParams {
    bureau: Option<String>,
    page: Option<String>,
}

async fn list_page(State(state): State<AppState>, viewer: Viewer, Query(p): Query<ListParams>) -> PageResult {
    Access::check(&viewer, Action::ReadPublic).map_err(ApiError::from)?;
    let bureau = match p.bureau.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(b) => Some(parse_id("单位", b).map_err(ApiError::from)?),
        None => None,
    };
    let page = match p.page.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => 1,
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| PageError(ApiError::bad_request(format!("页码应为正整数，而不是“{s}”。"))))?,
    };
    let offset = (page - 1).saturating_mul(PAGE_SIZE);
    let list = service::list(state.store(), bureau, offset, PAGE_SIZE).await?;
    let pages = list.total.div_ceil(PAGE_SIZE).max(1);
    let page = ListPage {
        bureaus: service::bureaus(state.store()).await?,
        bureau,
        rows: list.publications,
        total: list.total,
        page,
        pages,
    };
    render(&page, StatusCode::OK)
}

// ---------- one decision ----------

#[derive(Template)]
#[template(path = "publication/one.html")]
struct OnePage {
    p: PublicDetail,
    /// Logged in: the retraction link is shown (the form itself checks who may).
    signed_in: bool,
}

async fn one_page(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult {
    Access::check(&viewer, Action::ReadPublic).map_err(ApiError::from)?;
    let id = parse_id("公示编号", &id).map_err(ApiError::from)?;
    let p = service::one(state.store(), id).await?;
    let signed_in = viewer.session().is_some();
    let r = render(&OnePage { p, signed_in }, StatusCode::OK)?;
    Ok(if signed_in { no_store(r) } else { r })
}

// ---------- retraction ----------

#[derive(Template)]
#[template(path = "publication/retract.html")]
struct RetractPage {
    csrf: String,
    p: PublicDetail,
    reason: String,
    changed_on: String,
    error: String,
    code: String,
    articles: String,
}

fn need_login(viewer: &Viewer) -> Option<Response> {
    match Access::check(viewer, Action::WorkCases) {
        Ok(()) => None,
        Err(_) if viewer.session().is_none() => Some(Redirect::to("/login").into_response()),
        Err(d) => Some(PageError(ApiError::from(d)).into_response()),
    }
}

async fn retract_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult {
    if let Some(r) = need_login(&viewer) {
        return Ok(r);
    }
    let id = parse_id("公示编号", &id).map_err(ApiError::from)?;
    let p = service::for_retraction(state.cases(), viewer.session(), id).await?;
    let csrf = viewer.session().map(|s| s.csrf_token.clone()).unwrap_or_default();
    let page = RetractPage {
        csrf,
        p,
        reason: String::new(),
        changed_on: state.today().to_string(),
        error: String::new(),
        code: String::new(),
        articles: String::new(),
    };
    Ok(no_store(render(&page, StatusCode::OK)?))
}

#[derive(Debug, Deserialize)]
struct RetractForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    changed_on: String,
}

async fn retract_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<RetractForm>,
) -> PageResult {
    let session =
        Access::check_write(&viewer, Action::WorkCases, Some(&f.csrf)).map_err(ApiError::from)?.clone();
    let id = parse_id("公示编号", &id).map_err(ApiError::from)?;
    let ask = RetractRequest { reason: f.reason.clone(), changed_on: f.changed_on.clone() };
    match service::retract(state.cases(), Some(&session), id, &ask, state.now()).await {
        Ok(_) => Ok(Redirect::to(&format!("/publications/{id}")).into_response()),
        Err(e @ (PublicationError::Refused(_) | PublicationError::Invalid(_))) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
            let p = service::for_retraction(state.cases(), Some(&session), id).await?;
            let page = RetractPage {
                csrf: session.csrf_token.clone(),
                p,
                reason: f.reason,
                changed_on: f.changed_on,
                error: e.to_string(),
                code: e.refusal().map(|r| r.code.clone()).unwrap_or_default(),
                articles: e.refusal().map(|r| r.articles.join("、")).unwrap_or_default(),
            };
            Ok(no_store(render(&page, status)?))
        }
        Err(e) => Err(e.into()),
    }
}
