//! The xlsx download both the API and the console answer with (a leaf module: a capability's
//! api and pages never use each other).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::http::error::no_store;
use crate::state::AppState;

/// An exported view as an attachment named by the day, never cached.
pub(crate) fn xlsx_response(bytes: Vec<u8>, state: &AppState) -> Response {
    let name = format!("supervision-{}.xlsx", state.today());
    let mut r = (StatusCode::OK, bytes).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    no_store(r)
}
