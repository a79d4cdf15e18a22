//! The case capability: officers open cases under the items of published lists, act on
//! them and read them, through `quanze-casework`'s `CaseService` (the access policy of
//! `quanze_case::access` before the engine; every read recorded, refused attempts too).
//!
//! - [`service`] holds opening, acting, reading, listing, documents, the read log, each a method
//!   of one request's `Work` (the officer and the case service). No axum.
//! - [`work`] has the extractors every handler opens with (login, CSRF, then `Work`).
//! - [`api`] serves `/api/cases…` (JSON; refusals are problem+json with `code` and `articles`).
//! - [`pages`] serves the officer console `/cases…` (templates in `templates/cases/`).

use axum::Router;
use utoipa::OpenApi;

use crate::state::AppState;

mod api;
mod pages;
mod service;
mod work;

pub(crate) fn router(_state: &AppState) -> Router<AppState> {
    Router::new().merge(api::routes()).merge(pages::routes())
}

pub(crate) fn openapi() -> utoipa::openapi::OpenApi {
    api::CasesDoc::openapi()
}
