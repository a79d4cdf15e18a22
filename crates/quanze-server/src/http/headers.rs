//! Response middleware: security headers on everything, problem+json for every API error.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::{ApiError, PROBLEM_JSON, PageError};
use crate::state::AppState;

/// No scripts at all: the portal works without JavaScript.
pub(crate) const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                       frame-ancestors 'none'; base-uri 'none'";

/// Paths whose responses carry personal or case data: never kept by a browser or a proxy.
const PRIVATE_PATHS: [&str; 9] = [
    "/api/session",
    "/api/cases",
    "/cases",
    "/api/people",
    "/people",
    "/api/supervision",
    "/supervision",
    "/api/admin",
    "/admin",
];

/// Whether a response to `path` must not be stored: the paths of [`PRIVATE_PATHS`] and
/// everything below them, and every response to a logged-in request (an administrator's
/// view of a public page shows drafts and account names).
fn no_store(path: &str, logged_in: bool) -> bool {
    logged_in
        || PRIVATE_PATHS
            .iter()
            .any(|p| path.strip_prefix(p).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
}

pub(crate) async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let tls = state.secure_cookies();
    let logged_in = req.headers().get_all(header::COOKIE).iter().any(|v| {
        v.to_str().is_ok_and(|c| {
            c.split(';')
                .any(|kv| kv.split_once('=').is_some_and(|(k, _)| k.trim() == super::csrf::SESSION_COOKIE))
        })
    });
    let private = no_store(req.uri().path(), logged_in);
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    if private {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if tls {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    resp
}
/// Turn every error response under `/api/` that is not already a problem document (axum's
/// extractor rejections, the body limit, the time limit, unknown routes, wrong methods) into
/// `application/problem+json`.
pub(crate) async fn problem_for_api(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/") || req.uri().path() == "/api";
    let resp = next.run(req).await;
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    if !is_api {
        // Extractor rejections are plain text; show them as an (escaped) error page.
        let plain =
            resp.headers().get(header::CONTENT_TYPE).is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
        if !plain {
            return resp;
        }
        let (_, body) = resp.into_parts();
        let detail = match axum::body::to_bytes(body, 16 * 1024).await {
            Ok(b) if !b.is_empty() => String::from_utf8_lossy(&b).into_owned(),
            _ => status.canonical_reason().unwrap_or("error").to_string(),
        };
        return PageError::from(ApiError::new(status, "error", detail)).into_response();
    }
    let already =
        resp.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    if already {
        return resp;
    }
    let retry = resp.headers().get(header::RETRY_AFTER).cloned();
    let allow = resp.headers().get(header::ALLOW).cloned();
    let (_, body) = resp.into_parts();
    let detail = match axum::body::to_bytes(body, 16 * 1024).await {
        Ok(b) if !b.is_empty() => String::from_utf8_lossy(&b).into_owned(),
        _ => status.canonical_reason().unwrap_or("error").to_string(),
    };
    let kind = match status {
        StatusCode::NOT_FOUND => "not-found",
        StatusCode::METHOD_NOT_ALLOWED => "method-not-allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too-large",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => "bad-request",
        _ => "error",
    };
    let mut out = ApiError::new(status, kind, detail).into_response();
    if let Some(r) = retry {
        out.headers_mut().insert(header::RETRY_AFTER, r);
    }
    if let Some(a) = allow {
        out.headers_mut().insert(header::ALLOW, a);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::no_store;

    #[test]
    fn case_and_session_paths_are_not_stored() {
        for p in
            ["/api/session", "/api/cases", "/api/cases/7/reads", "/cases", "/cases/7", "/people/3", "/admin"]
        {
            assert!(no_store(p, false), "{p}");
        }
        for p in ["/", "/api/bureaus", "/casesx", "/statutes", "/healthz", "/static/app.css"] {
            assert!(!no_store(p, false), "{p}");
        }
        assert!(no_store("/", true), "a logged-in view is personal");
    }
}
