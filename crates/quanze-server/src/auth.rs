//! Sessions, CSRF tokens, the login rate limit and the `Origin` check.

use axum::http::{HeaderMap, HeaderValue, header};
use quanze_store::{Role, Session};

use crate::AppState;
use crate::error::ApiError;

pub const SESSION_COOKIE: &str = "quanze_session";
pub const CSRF_COOKIE: &str = "quanze_csrf";
/// Session lifetime: 8 hours.
pub const SESSION_TTL_SECS: i64 = 8 * 3600;
/// Failed logins allowed per user name and per remote address in [`LOGIN_WINDOW_SECS`].
pub const LOGIN_MAX_FAILURES: u64 = 5;
pub const LOGIN_WINDOW_SECS: i64 = 15 * 60;

/// The value of cookie `name`, if sent.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    for v in headers.get_all(header::COOKIE) {
        let Ok(s) = v.to_str() else { continue };
        for part in s.split(';') {
            if let Some((k, val)) = part.trim().split_once('=')
                && k == name
            {
                return Some(val.to_string());
            }
        }
    }
    None
}

/// 32 random bytes as 64 hex characters.
pub fn random_token() -> Result<String, ApiError> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(ApiError::internal)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// Equality that takes the same time wherever the strings differ.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    state.inner.secure_cookies
        || headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// A `Set-Cookie` value. `max_age` 0 deletes the cookie.
pub fn set_cookie(
    state: &AppState,
    headers: &HeaderMap,
    name: &str,
    value: &str,
    max_age: i64,
) -> HeaderValue {
    let sec = if secure(state, headers) { "; Secure" } else { "" };
    let s = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{sec}");
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// The logged-in session, if the request carries a live one. Only requests with a session
/// cookie touch the store.
pub async fn session(state: &AppState, headers: &HeaderMap) -> Result<Option<(String, Session)>, ApiError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else { return Ok(None) };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let s = crate::storage::session(state.store(), &token).await.map_err(ApiError::internal)?;
    Ok(s.map(|s| (token, s)))
}

/// Whether the request comes from a logged-in administrator (no store access without a
/// session cookie). Used to show drafts; never an authorization for a write.
pub async fn viewer_is_admin(state: &AppState, headers: &HeaderMap) -> bool {
    matches!(session(state, headers).await, Ok(Some((_, s))) if s.user.is_admin())
}

/// Refuse a state-changing request whose `Origin` (or, without it, `Referer`) names another
/// host than the one it was sent to.
pub fn check_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin =
        headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER)).and_then(|h| h.to_str().ok());
    let (Some(host), Some(origin)) = (host, origin) else { return Ok(()) };
    if origin == "null" {
        return Err(ApiError::forbidden("cross-site request refused"));
    }
    let rest = origin.split_once("://").map(|(_, r)| r).unwrap_or(origin);
    let origin_host = rest.split('/').next().unwrap_or("");
    if origin_host.eq_ignore_ascii_case(host) {
        Ok(())
    } else {
        Err(ApiError::forbidden("cross-site request refused"))
    }
}

/// Require an administrator session and a matching CSRF token (form field or header).
pub async fn require_admin(
    state: &AppState,
    headers: &HeaderMap,
    csrf: Option<&str>,
) -> Result<(String, Session), ApiError> {
    require_role(state, headers, csrf, Role::Admin).await
}

/// Require a session whose user holds `role` everywhere, and a matching CSRF token (form
/// field or `X-CSRF-Token`). Case-work roles (officer, leader, legal reviewer, supervisor)
/// go through here too; per-bureau grants are checked by the handler that knows the bureau.
pub async fn require_role(
    state: &AppState,
    headers: &HeaderMap,
    csrf: Option<&str>,
    role: Role,
) -> Result<(String, Session), ApiError> {
    check_origin(headers)?;
    let Some((token, s)) = session(state, headers).await? else {
        return Err(ApiError::unauthorized("login required"));
    };
    let sent = csrf
        .map(str::to_string)
        .or_else(|| headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string));
    match sent {
        Some(t) if same(&t, &s.csrf_token) => {}
        Some(_) => return Err(ApiError::forbidden("CSRF token does not match the session")),
        None => return Err(ApiError::forbidden("CSRF token missing (X-CSRF-Token header or csrf field)")),
    }
    if !s.user.has_global_role(role) {
        return Err(ApiError::forbidden(format!("role {} required", role.as_str())));
    }
    Ok((token, s))
}

/// Remote address of the request, when the server was started with connect info.
pub fn remote(ext: &axum::http::Extensions) -> Option<String> {
    ext.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_string())
}

/// Outcome of a login.
pub enum Login {
    Ok { token: String, session: Session },
    Denied,
    Limited { retry_after: u64 },
}

pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    remote: Option<&str>,
) -> Result<Login, ApiError> {
    let store = state.store();
    let failures = crate::storage::recent_failures(store, username, remote, LOGIN_WINDOW_SECS)
        .await
        .map_err(ApiError::internal)?;
    if failures >= LOGIN_MAX_FAILURES {
        return Ok(Login::Limited { retry_after: u64::try_from(LOGIN_WINDOW_SECS).unwrap_or(900) });
    }
    let user = crate::storage::verify(store, username, password).await.map_err(ApiError::internal)?;
    crate::storage::record_attempt(store, username, remote, user.is_some())
        .await
        .map_err(ApiError::internal)?;
    let Some(user) = user else { return Ok(Login::Denied) };
    let new =
        crate::storage::create_session(store, &user, SESSION_TTL_SECS).await.map_err(ApiError::internal)?;
    Ok(Login::Ok { token: new.token, session: new.session })
}
