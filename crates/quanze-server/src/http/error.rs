//! Errors as the two interfaces show them: `application/problem+json` (RFC 9457) for the API,
//! a Chinese HTML page for the portal. Capabilities keep their own typed errors and map them
//! to these at their edge; nothing here knows a capability.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// A problem document (RFC 9457).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct Problem {
    /// A URI reference naming the problem type; `about:blank` when only the status matters.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// In Chinese.
    pub detail: String,
    /// A refusal's code (the guard or policy that refused), when the problem is a refusal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The articles a refusal rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub articles: Option<Vec<String>>,
    /// An upload's errors, row by row.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<RowProblem>,
}

/// One row's error in an uploaded file (line 1 is the header; line 0 the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub(crate) struct RowProblem {
    pub line: usize,
    /// In Chinese.
    pub message: String,
}

/// An API error. Converts into a problem+json response.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub detail: String,
    /// Seconds to put into `Retry-After`.
    pub retry_after: Option<u64>,
    /// A refusal's code and articles and an upload's row errors, when there are any (boxed:
    /// most errors have none, and every handler's `Result` carries this type).
    pub extra: Option<Box<ProblemExtra>>,
}

/// What some problems add to the status and detail.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProblemExtra {
    /// Shown as the problem's `code` and `articles`.
    pub refusal: Option<(String, Vec<String>)>,
    /// Shown as the problem's `errors`.
    pub rows: Vec<RowProblem>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, kind: &'static str, detail: impl Into<String>) -> Self {
        ApiError { status, kind, detail: detail.into(), retry_after: None, extra: None }
    }
    /// The same error as a refusal with its code and the articles it rests on.
    pub(crate) fn with_refusal(mut self, code: impl Into<String>, articles: Vec<String>) -> Self {
        self.extra.get_or_insert_default().refusal = Some((code.into(), articles));
        self
    }
    /// The same error with an upload's row errors.
    pub(crate) fn with_rows(mut self, rows: Vec<RowProblem>) -> Self {
        self.extra.get_or_insert_default().rows = rows;
        self
    }
    /// From a capability's typed error: its HTTP status (a number, so services need no axum),
    /// its problem kind and its message.
    pub(crate) fn from_parts(status: u16, kind: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), kind, detail)
    }
    pub(crate) fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad-request", detail)
    }
    pub(crate) fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", detail)
    }
    pub(crate) fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
    }
    pub(crate) fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }
    /// A server fault: logged in English with its cause, shown without it.
    pub(crate) fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {detail}");
        eprintln!("quanze: internal error: {detail}");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal server error")
    }
    pub(crate) fn problem(&self) -> Problem {
        Problem {
            kind: format!("/api/problems/{}", self.kind),
            title: self.status.canonical_reason().unwrap_or("Error").to_string(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.extra.as_ref().and_then(|x| x.refusal.as_ref()).map(|(c, _)| c.clone()),
            articles: self.extra.as_ref().and_then(|x| x.refusal.as_ref()).map(|(_, a)| a.clone()),
            errors: self.extra.as_ref().map(|x| x.rows.clone()).unwrap_or_default(),
        }
    }
}

pub(crate) const PROBLEM_JSON: &str = "application/problem+json";

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut resp = (self.status, body).into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(secs) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: String,
    detail: String,
}

/// An error shown as a page. Its detail must already be Chinese.
pub(crate) struct PageError(pub ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = match self.0.status {
            StatusCode::NOT_FOUND => "未找到",
            StatusCode::BAD_REQUEST => "请求有误",
            StatusCode::UNAUTHORIZED => "需要登录",
            StatusCode::FORBIDDEN => "禁止访问",
            StatusCode::PAYLOAD_TOO_LARGE => "文件过大",
            StatusCode::UNPROCESSABLE_ENTITY => "无法导入",
            StatusCode::TOO_MANY_REQUESTS => "请求过多",
            _ => "服务器错误",
        };
        let page = ErrorPage { title: title.into(), detail: self.0.detail.clone() };
        let body = page.render().unwrap_or_else(|_| title.to_string());
        (self.0.status, Html(body)).into_response()
    }
}

pub(crate) type PageResult = Result<Response, PageError>;

/// A page, rendered.
pub(crate) fn render(t: &impl Template) -> PageResult {
    let body = t.render().map_err(ApiError::internal)?;
    Ok(Html(body).into_response())
}

/// A page with a status other than 200 (a form shown again with its error).
pub(crate) fn render_with_status(t: &impl Template, status: StatusCode) -> Response {
    match render(t) {
        Ok(mut r) => {
            *r.status_mut() = status;
            r
        }
        Err(e) => e.into_response(),
    }
}

/// Pages with a session's data (CSRF tokens, account names) are never cached.
pub(crate) fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The fallback of every unknown path.
pub(crate) async fn not_found() -> Response {
    PageError(ApiError::not_found("没有这个页面。")).into_response()
}
