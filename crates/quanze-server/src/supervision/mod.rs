//! The supervision capability (电子监察): the supervisor's console and its API over
//! `quanze_casework::supervision`, which runs the rules of `quanze-supervise` on every
//! appended event and in a sweep, and keeps the alerts in the store's hash-chained log.
//!
//! - [`service`]: who supervises which bureaus, alerts by filter, one alert with its
//!   evidence and log, the supervisors' actions, figures per bureau and month, the SVG charts,
//!   the xlsx export, the coverage of each list. No axum.
//! - [`api`]: `/api/supervision/…` (in the OpenAPI document).
//! - [`pages`]: `/supervision…` (templates in `templates/supervision/`).
//!
//! Only supervisors (a supervisor role on the account, or a linked 监督人员) and
//! administrators reach the console; officers see their own cases' alerts in 我的待办.

use axum::Router;
use utoipa::OpenApi;

use crate::state::AppState;

mod api;
mod download;
mod pages;
mod service;

pub(crate) fn router(state: &AppState) -> Router<AppState> {
    // From here on every append runs the rules (the hook is installed once per service).
    service::supervision(state);
    Router::new().merge(api::routes()).merge(pages::routes())
}

pub(crate) fn openapi() -> utoipa::openapi::OpenApi {
    api::SupervisionDoc::openapi()
}

impl AppState {
    /// Electronic supervision's sweep on today: every case evaluated from its events, its
    /// stored alerts brought in line (raised, graded, cleared) and escalated (催办, 督办). What
    /// `serve` runs at start and hourly, beside the deadline sweep.
    pub async fn sweep_supervision(
        &self,
    ) -> Result<quanze_casework::supervision::SupervisionReport, crate::ServerError> {
        Ok(service::sweep(self).await?)
    }
}
