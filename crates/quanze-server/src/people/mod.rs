//! The people capability (人员管理, administrators only): the people who work cases, per
//! bureau, with their posts, office, enforcement certificate and its expiry, role, login and
//! whether retired; adding, changing, retiring, linking a login, and importing a csv/xlsx
//! table all or nothing (`quanze_casework::people_import`).
//!
//! - [`service`] holds the list, the changes, the import. No axum.
//! - [`api`] serves `/api/people…` (JSON; an import's row errors in the problem's `errors`).
//! - [`pages`] serves `/admin/people…` (templates in `templates/people/`).

use axum::Router;
use axum::extract::DefaultBodyLimit;
use utoipa::OpenApi;

use crate::state::AppState;

mod api;
mod pages;
mod service;

pub(crate) fn router(state: &AppState) -> Router<AppState> {
    // Forms and JSON bodies are small; the import routes set their own limit.
    Router::new()
        .merge(api::routes(state))
        .merge(pages::routes(state))
        .layer(DefaultBodyLimit::max(64 * 1024))
}

pub(crate) fn openapi() -> utoipa::openapi::OpenApi {
    api::PeopleDoc::openapi()
}
