//! The publication capability (行政执法公示): the public portal's published decisions, a
//! natural person's name and identifiers masked, and their retraction by a leader of the
//! case's bureau (行政处罚法 第四十八条) over `quanze_casework::publication`.
//!
//! - [`service`] holds the public list and page, the retraction. No axum.
//! - [`api`] serves `/api/publications…`.
//! - [`pages`] serves `/publications…` (public) and `/publication/{id}/retract` (templates in
//!   `templates/publication/`).

use axum::Router;
use axum::extract::DefaultBodyLimit;
use utoipa::OpenApi;

use crate::state::AppState;

mod api;
mod pages;
mod service;

pub(crate) fn router(_state: &AppState) -> Router<AppState> {
    Router::new().merge(api::routes()).merge(pages::routes()).layer(DefaultBodyLimit::max(64 * 1024))
}

pub(crate) fn openapi() -> utoipa::openapi::OpenApi {
    api::PublicationDoc::openapi()
}
