//! The calendar API: `GET /api/calendar/years`, `POST /api/calendar/notices`.

use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use super::service::{
    CalendarError, CalendarYearInfo, DayChange, HolidayDays, NoticeDays, known, read, save,
};
use crate::http::access::{Access, Action};
use crate::http::error::{ApiError, Problem};
use crate::http::viewer::Viewer;
use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/calendar/years", get(api_years))
        .route("/api/calendar/notices", post(api_notice))
}

impl From<CalendarError> for ApiError {
    fn from(e: CalendarError) -> ApiError {
        match e {
            CalendarError::Unparsable(m) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unparsable-notice", m)
            }
            CalendarError::Store(_) => {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal server error")
            }
        }
    }
}

/// A notice is a few kilobytes; the limit only stops abuse.
pub(crate) const BODY_LIMIT: usize = 64 * 1024;

#[derive(OpenApi)]
#[openapi(
    paths(api_years, api_notice),
    components(schemas(CalendarYears, CalendarYearInfo, NoticeRequest, NoticeDays, HolidayDays, DayChange))
)]
pub(crate) struct CalendarDoc;

/// The years the working-day calendar knows, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(super) struct CalendarYears {
    pub years: Vec<CalendarYearInfo>,
}

/// The years the working-day calendar knows: built-in ones and those loaded by an
/// administrator, with the notice each comes from.
#[utoipa::path(get, path = "/api/calendar/years", tag = "calendar",
    responses((status = 200, body = CalendarYears)))]
async fn api_years(State(state): State<AppState>, viewer: Viewer) -> Result<Json<CalendarYears>, ApiError> {
    Access::check(&viewer, Action::ReadPublic)?;
    let (mut years, _) = known(&state).await?;
    // Who loaded a year is an account name: administrators see it, the public does not.
    if !Access::allows(&viewer, Action::ReadAccountNames) {
        for y in &mut years {
            y.loaded_by = None;
        }
    }
    Ok(Json(CalendarYears { years }))
}

// ---------- reading a notice ----------

/// A pasted notice.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub(super) struct NoticeRequest {
    /// The notice's text as published (title, number, the numbered items).
    pub text: String,
    /// `false` (default): only read it and answer the days. `true`: save the year.
    #[serde(default)]
    pub confirm: bool,
}

/// Read a pasted State Council holiday notice (administrators; `X-CSRF-Token` required).
///
/// Without `confirm` the answer is the days as read (holidays, days off, make-up working days,
/// findings, and the days that would change against the year it replaces); nothing is saved.
/// With `confirm` the year is saved (replacing a built-in or earlier loaded one) and answered
/// with 201. A text in which no holiday or no year can be read is 422 with the reason in
/// Chinese.
#[utoipa::path(post, path = "/api/calendar/notices", tag = "calendar", request_body = NoticeRequest,
    responses(
        (status = 200, body = NoticeDays, description = "read, not saved"),
        (status = 201, body = NoticeDays, description = "saved"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn api_notice(
    State(state): State<AppState>,
    viewer: Viewer,
    req: Request,
) -> Result<Response, ApiError> {
    // Who asks is checked before the body is read: a refused caller learns nothing of the parse.
    let session = Access::check_write(&viewer, Action::ManageCalendar, None)?;
    let Json(body) = Json::<NoticeRequest>::from_request(req, &state).await.map_err(|e| {
        let status = e.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(status, "too-large", format!("请求体超过 {BODY_LIMIT} 字节的上限"))
        } else {
            ApiError::new(status, "bad-request", e.body_text())
        }
    })?;
    let reading = read(&state, &body.text).await?;
    if !body.confirm {
        return Ok(Json(reading.days).into_response());
    }
    let days = save(&state, reading, &session.user.username).await?;
    Ok((StatusCode::CREATED, Json(days)).into_response())
}
