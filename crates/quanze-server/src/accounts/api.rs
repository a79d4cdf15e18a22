//! `/api/session`: log in (sets the session cookie, answers the CSRF token), who am I, log out.

use axum::Json;
use axum::Router;
use axum::extract::{FromRequest, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use super::service::{self, Login, SESSION_TTL_SECS, StoreFailed};
use crate::http::access::{Access, Action};
use crate::http::csrf;
use crate::http::error::{ApiError, Problem};
use crate::http::viewer::Viewer;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(paths(login, logout, whoami), components(schemas(LoginRequest, SessionInfo)))]
pub(crate) struct ApiDoc;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/api/session", post(login).delete(logout).get(whoami))
}

#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct LoginRequest {
    pub(crate) username: String,
    pub(crate) password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SessionInfo {
    pub(crate) username: String,
    pub(crate) roles: Vec<String>,
    /// Send this in `X-CSRF-Token` on every `POST`/`DELETE`.
    pub(crate) csrf_token: String,
    pub(crate) expires_at: i64,
}

impl From<StoreFailed> for ApiError {
    fn from(e: StoreFailed) -> ApiError {
        ApiError::internal(e)
    }
}

fn session_info(s: &quanze_store::Session) -> SessionInfo {
    SessionInfo {
        username: s.user.username.clone(),
        roles: s.user.roles.iter().map(|g| g.role.as_str().to_string()).collect(),
        csrf_token: s.csrf_token.clone(),
        expires_at: s.expires_at,
    }
}

/// Log in; sets the session cookie and returns the CSRF token.
#[utoipa::path(post, path = "/api/session", request_body = LoginRequest,
    responses((status = 200, body = SessionInfo), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
async fn login(State(state): State<AppState>, viewer: Viewer, req: Request) -> Result<Response, ApiError> {
    Access::check_origin(&viewer)?;
    let headers = req.headers().clone();
    let remote = csrf::remote(req.extensions());
    let Json(body) = Json::<LoginRequest>::from_request(req, &state)
        .await
        .map_err(|e| ApiError::new(e.status(), "bad-request", e.body_text()))?;
    match service::login(&state, &body.username, &body.password, remote.as_deref()).await? {
        Login::Ok { token, session } => {
            let cookie = csrf::set_cookie(
                state.secure_cookies(),
                &headers,
                csrf::SESSION_COOKIE,
                &token,
                SESSION_TTL_SECS,
            );
            Ok(([(header::SET_COOKIE, cookie)], Json(session_info(&session))).into_response())
        }
        Login::Denied => Err(ApiError::unauthorized("用户名或密码错误。")),
        Login::Limited { retry_after } => {
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                "登录失败次数过多，请稍后再试。",
            );
            e.retry_after = Some(retry_after);
            Err(e)
        }
    }
}

/// The logged-in user.
#[utoipa::path(get, path = "/api/session",
    responses((status = 200, body = SessionInfo), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn whoami(viewer: Viewer) -> Result<Json<SessionInfo>, ApiError> {
    Access::check(&viewer, Action::EndSession)?;
    match viewer.session() {
        Some(s) => Ok(Json(session_info(s))),
        None => Err(ApiError::unauthorized("尚未登录。")),
    }
}

/// Log out (`X-CSRF-Token` required).
#[utoipa::path(delete, path = "/api/session",
    responses((status = 204), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    Access::check_write(&viewer, Action::EndSession, None)?;
    if let Some(token) = viewer.token() {
        service::logout(&state, token).await?;
    }
    let cookie = csrf::set_cookie(state.secure_cookies(), &headers, csrf::SESSION_COOKIE, "", 0);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}
