//! The catalog capability: bureaus' lists of powers, their versions and items, validation
//! reports, downloads, search, the comparison of two bureaus, and importing and publishing.
//!
//! - [`service`]: what it does, without axum; errors are [`service::CatalogError`].
//! - [`compare`]: a diff of two versions and the alignment of two lists, as JSON types.
//! - [`dto`]: the API's JSON types.
//! - [`api`]: `/api/bureaus…`, `/api/items/{id}`, `/api/search`, `/api/compare`, `/api/imports`.
//! - [`pages`]: `/`, `/bureaus/…`, `/items/{id}`, `/search`, `/compare`, `/admin…`
//!   (templates in `templates/catalog/`).
//! - [`review`]: review and publication of drafts (issue 11), without axum; its interfaces
//!   are [`review_api`] (`/api/reviews…`) and [`review_pages`] (`/admin/reviews…`).

use axum::Router;
use utoipa::OpenApi;

use crate::state::AppState;

mod api;
mod compare;
mod dto;
mod pages;
mod review;
mod review_api;
mod review_pages;
mod service;

pub(crate) fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(api::routes(state))
        .merge(pages::routes(state))
        .merge(review_api::routes())
        .merge(review_pages::routes(state))
}

/// The catalog's part of the OpenAPI document (it carries the document's `info`).
pub(crate) fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api::ApiDoc::openapi();
    doc.merge(review_api::ApiDoc::openapi());
    doc
}
