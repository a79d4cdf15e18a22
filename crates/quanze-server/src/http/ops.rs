//! What an operator needs of any capability: `GET /healthz` and the access log.

use std::time::Instant;

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(healthz))]
pub(crate) struct OpsDoc;

/// Liveness: the process accepts connections and answers requests. It does not touch the
/// store (a probe every few seconds must cost nothing) and says nothing about it.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "`ok`", content_type = "text/plain")))]
pub(crate) async fn healthz() -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))], "ok").into_response()
}

/// One line per request on standard output: method, path (never the query string: search
/// terms and names go there), status, and the time until the response's head was ready.
/// Nothing of the requester: no user name, address or cookie.
pub(crate) async fn access_log(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    println!("quanze: access {method} {} {} {ms:.1}ms", printable(&path), resp.status().as_u16());
    resp
}

/// A path as one log token: a URI path is ASCII without spaces already, but the log must not
/// be split or forged by whatever a client sent.
fn printable(path: &str) -> String {
    path.chars().map(|c| if c.is_ascii_graphic() { c } else { '?' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_stays_one_token() {
        assert_eq!(printable("/api/cases/7"), "/api/cases/7");
        assert_eq!(printable("/a b\n\"x"), "/a?b?\"x");
    }
}
