//! The OpenAPI document at `/api/openapi.json`: the merge of every capability's document.
//! Capabilities hand theirs in; this module knows none of them.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::OpenApi;

/// The documents merged into the first (whose `info` is kept), as pretty JSON.
pub(crate) fn merge(docs: impl IntoIterator<Item = OpenApi>) -> String {
    let mut docs = docs.into_iter();
    let Some(mut doc) = docs.next() else { return "{}".into() };
    for d in docs {
        doc.merge(d);
    }
    doc.to_pretty_json().unwrap_or_else(|_| "{}".into())
}

/// The response for a document already rendered.
pub(crate) fn response(json: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], json).into_response()
}
