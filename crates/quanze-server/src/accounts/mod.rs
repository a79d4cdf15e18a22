//! The accounts capability: logging in and out ([`service`]), through the API
//! (`/api/session`, [`api`]) or the login form (`/login`, `/logout`, [`pages`]; templates in
//! `templates/accounts/`). Who may do what once logged in is `http::access`.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use utoipa::OpenApi;

use crate::state::AppState;

mod api;
mod pages;
mod service;

pub(crate) fn router(_state: &AppState) -> Router<AppState> {
    // The same 64 KiB limit as every other form and JSON body.
    Router::new().merge(api::routes()).merge(pages::routes()).layer(DefaultBodyLimit::max(64 * 1024))
}

pub(crate) fn openapi() -> utoipa::openapi::OpenApi {
    api::ApiDoc::openapi()
}
