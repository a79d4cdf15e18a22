//! The case capability: officers open cases under the items of published lists, act on
//! them and read them, through `quanze-casework`'s `CaseService` (the access policy of
//! `quanze_case::access` before the engine; every read recorded, refused attempts too).
//!
//! - [`service`]: opening, acting, reading, listing, documents, the read log. No axum.
//! - [`api`]: `/api/cases…` (JSON; refusals are problem+json with `code` and `articles`).
//! - [`pages`]: the officer console `/cases…` (templates in `templates/cases/`).

use axum::{Extension, Router};
use utoipa::OpenApi;

use crate::state::AppState;

mod api;
mod pages;
mod service;

pub(crate) fn router(_state: &AppState) -> Router<AppState> {
    Router::new().merge(api::routes()).merge(pages::routes()).layer(Extension(service::Cases::default()))
}

pub(crate) fn openapi() -> utoipa::openapi::OpenApi {
    api::CasesDoc::openapi()
}
