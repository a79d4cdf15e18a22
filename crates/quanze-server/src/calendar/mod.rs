//! The calendar capability: the working-day calendar's years — which years it knows (built
//! into `quanze-calendar` or loaded by an administrator) and loading a new year by pasting
//! the State Council's holiday notice.
//!
//! - [`service`]: reading and saving a notice, the years known. No axum.
//! - [`api`]: `/api/calendar/years`, `/api/calendar/notices`.
//! - [`pages`]: `/admin/calendar…` (templates in `templates/calendar/`).

use axum::Router;
use axum::extract::DefaultBodyLimit;
use utoipa::OpenApi;

use crate::state::AppState;

mod api;
mod pages;
mod service;

pub(crate) fn router(_state: &AppState) -> Router<AppState> {
    Router::new().merge(api::routes()).merge(pages::routes()).layer(DefaultBodyLimit::max(api::BODY_LIMIT))
}

pub(crate) fn openapi() -> utoipa::openapi::OpenApi {
    api::CalendarDoc::openapi()
}
