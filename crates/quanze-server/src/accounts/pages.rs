//! `/login` (a form with a double-submit CSRF cookie) and `/logout`.

use askama::Template;
use axum::Router;
use axum::extract::{Form, FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use serde::Deserialize;

use super::service::{self, Login, SESSION_TTL_SECS, StoreFailed};
use crate::http::access::{Access, Action};
use crate::http::csrf;
use crate::http::error::{ApiError, PageError, PageResult, render};
use crate::http::viewer::Viewer;
use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/login", get(login_form).post(login)).route("/logout", post(logout))
}

impl From<StoreFailed> for PageError {
    fn from(e: StoreFailed) -> PageError {
        PageError(ApiError::internal(e))
    }
}

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    csrf: String,
    error: String,
}

async fn login_form(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    login_page(&state, &headers, StatusCode::OK, "")
}

fn login_page(state: &AppState, headers: &HeaderMap, status: StatusCode, error: &str) -> PageResult {
    let existing = csrf::cookie(headers, csrf::CSRF_COOKIE).filter(|t| csrf::is_token(t));
    let token = match existing {
        Some(t) => t,
        None => csrf::random_token()?,
    };
    let mut resp = render(&LoginPage { csrf: token.clone(), error: error.into() })?;
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::SET_COOKIE,
        csrf::set_cookie(state.secure_cookies(), headers, csrf::CSRF_COOKIE, &token, 3600),
    );
    resp.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(resp)
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    csrf: String,
}

async fn login(State(state): State<AppState>, viewer: Viewer, req: Request) -> PageResult {
    Access::check_origin(&viewer).map_err(ApiError::from)?;
    let headers = req.headers().clone();
    let remote = csrf::remote(req.extensions());
    let Form(form) = Form::<LoginForm>::from_request(req, &state)
        .await
        .map_err(|e| ApiError::bad_request(format!("表单有误：{}", e.body_text())))?;
    let cookie = csrf::cookie(&headers, csrf::CSRF_COOKIE).unwrap_or_default();
    if cookie.is_empty() || !csrf::constant_time_eq(&cookie, &form.csrf) {
        return login_page(&state, &headers, StatusCode::FORBIDDEN, "表单已过期或来源不明，请重新登录。");
    }
    let secure = state.secure_cookies();
    match service::login(&state, &form.username, &form.password, remote.as_deref()).await? {
        Login::Ok { token, session } => {
            // Administrators land on their pages; everyone else (officers, leaders, legal
            // reviewers, supervisors) on 我的待办.
            let to = if session.user.is_admin() { "/admin" } else { "/cases" };
            let mut resp = Redirect::to(to).into_response();
            let c = csrf::set_cookie(secure, &headers, csrf::SESSION_COOKIE, &token, SESSION_TTL_SECS);
            resp.headers_mut().append(header::SET_COOKIE, c);
            resp.headers_mut()
                .append(header::SET_COOKIE, csrf::set_cookie(secure, &headers, csrf::CSRF_COOKIE, "", 0));
            Ok(resp)
        }
        Login::Denied => login_page(&state, &headers, StatusCode::UNAUTHORIZED, "用户名或密码错误。"),
        Login::Limited { .. } => login_page(
            &state,
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            "登录失败次数过多，请 15 分钟后再试。",
        ),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    Access::check_write(&viewer, Action::EndSession, Some(&form.csrf)).map_err(ApiError::from)?;
    if let Some(token) = viewer.token() {
        service::logout(&state, token).await?;
    }
    let mut resp = Redirect::to("/").into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        csrf::set_cookie(state.secure_cookies(), &headers, csrf::SESSION_COOKIE, "", 0),
    );
    Ok(resp)
}
