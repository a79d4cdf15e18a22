//! Logging in and out: the login rate limit, sessions. No axum here.

use quanze_store::Session;

use crate::state::AppState;

/// Session lifetime: 8 hours.
pub(crate) const SESSION_TTL_SECS: i64 = 8 * 3600;
/// Failed logins allowed per user name and per remote address in [`LOGIN_WINDOW_SECS`].
pub(crate) const LOGIN_MAX_FAILURES: u64 = 5;
pub(crate) const LOGIN_WINDOW_SECS: i64 = 15 * 60;

/// Outcome of a login.
pub(crate) enum Login {
    Ok { token: String, session: Box<Session> },
    Denied,
    Limited { retry_after: u64 },
}

/// The store failed; the cause is logged.
#[derive(Debug, thiserror::Error)]
#[error("账户存储暂时不可用。")]
pub(crate) struct StoreFailed;

fn failed(e: impl std::fmt::Display) -> StoreFailed {
    eprintln!("quanze: internal error: {e}");
    StoreFailed
}

/// Check a user name and password, at most [`LOGIN_MAX_FAILURES`] failures per name and per
/// address in [`LOGIN_WINDOW_SECS`]; on success, a new session.
pub(crate) async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    remote: Option<&str>,
) -> Result<Login, StoreFailed> {
    let store = state.store();
    let failures =
        crate::storage::recent_failures(store, username, remote, LOGIN_WINDOW_SECS).await.map_err(failed)?;
    if failures >= LOGIN_MAX_FAILURES {
        return Ok(Login::Limited { retry_after: u64::try_from(LOGIN_WINDOW_SECS).unwrap_or(900) });
    }
    let user = crate::storage::verify(store, username, password).await.map_err(failed)?;
    crate::storage::record_attempt(store, username, remote, user.is_some()).await.map_err(failed)?;
    let Some(user) = user else { return Ok(Login::Denied) };
    let new = crate::storage::create_session(store, &user, SESSION_TTL_SECS).await.map_err(failed)?;
    Ok(Login::Ok { token: new.token, session: Box::new(new.session) })
}

/// End the session with this token.
pub(crate) async fn logout(state: &AppState, token: &str) -> Result<(), StoreFailed> {
    crate::storage::delete_session(state.store(), token).await.map_err(failed)
}
