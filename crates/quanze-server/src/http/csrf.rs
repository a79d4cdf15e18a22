//! Cookies, CSRF tokens and the `Origin` check: the request-level half of access. Who may do
//! what is [`super::access`]; who is asking is [`super::viewer`].

use axum::http::{HeaderMap, HeaderValue, header};

use super::error::ApiError;

pub(crate) const SESSION_COOKIE: &str = "quanze_session";
pub(crate) const CSRF_COOKIE: &str = "quanze_csrf";
/// The header cookie-authenticated API writes carry the session's CSRF token in.
pub(crate) const CSRF_HEADER: &str = "x-csrf-token";

/// The value of cookie `name`, if sent.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
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

/// Whether `s` has the shape of a token we issue (64 hex characters); anything else is not
/// looked up.
pub(crate) fn is_token(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// 32 random bytes as 64 hex characters.
pub(crate) fn random_token() -> Result<String, ApiError> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(ApiError::internal)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// Equality that takes the same time wherever the strings differ.
pub(crate) fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A `Set-Cookie` value. `max_age` 0 deletes the cookie. `Secure` when the server is set to
/// (TLS) or the request came through a proxy that terminated TLS.
pub(crate) fn set_cookie(
    secure_config: bool,
    headers: &HeaderMap,
    name: &str,
    value: &str,
    max_age: i64,
) -> HeaderValue {
    let secure = secure_config
        || headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let sec = if secure { "; Secure" } else { "" };
    let s = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{sec}");
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// Whether the request's `Origin` (or, without it, `Referer`) names the host it was sent to.
/// A request with neither is same-origin (not a browser's cross-site form).
pub(crate) fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin =
        headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER)).and_then(|h| h.to_str().ok());
    let (Some(host), Some(origin)) = (host, origin) else { return true };
    if origin == "null" {
        return false;
    }
    let rest = origin.split_once("://").map(|(_, r)| r).unwrap_or(origin);
    let origin_host = rest.split('/').next().unwrap_or("");
    origin_host.eq_ignore_ascii_case(host)
}

/// Remote address of the request, when the server was started with connect info.
pub(crate) fn remote(ext: &axum::http::Extensions) -> Option<String> {
    ext.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_string())
}
