//! The law capability: the statute registry and the penalty calculator of `quanze-law`.
//!
//! - [`service`]: lookups, labels and links, the Chinese wording of calculator errors, the
//!   registry's findings on imported lists ([`service::annotate`]) and the item page's law
//!   block ([`service::item_law`]). No axum.
//! - [`api`]: `/api/statutes…`, `/api/penalty`.
//! - [`pages`]: `/statutes…`, `/calculator` (templates in `templates/law/`; the item page's
//!   block is `templates/law/item_block.html`, included by the catalog's item page).

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use utoipa::OpenApi;

use crate::state::AppState;

mod api;
mod pages;
pub(crate) mod service;

pub(crate) fn router(_state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/api/statutes", get(api::api_statutes))
        .route("/api/statutes/{id}", get(api::api_statute))
        .route("/api/statutes/{id}/articles/{n}", get(api::api_article))
        .route("/api/penalty", post(api::api_penalty))
        .route("/statutes", get(pages::statutes_page))
        .route("/statutes/{id}", get(pages::statute_page))
        .route("/statutes/{id}/articles/{n}", get(pages::article_page))
        .route("/calculator", get(pages::calculator_page))
        .layer(DefaultBodyLimit::max(service::JSON_LIMIT))
}

pub(crate) fn openapi() -> utoipa::openapi::OpenApi {
    api::LawDoc::openapi()
}
