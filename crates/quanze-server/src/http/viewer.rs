//! Who is asking: the [`Viewer`], extracted once per request. Handlers never read cookies
//! or sessions themselves; they take a `Viewer` and ask [`super::access::Access`].

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use quanze_store::Session;

use super::csrf;
use crate::state::AppState;

/// The person behind a request.
#[derive(Debug, Clone)]
pub(crate) struct Viewer {
    pub(crate) who: Who,
    /// The request's `Origin`/`Referer` names this host (or is absent).
    pub(crate) same_origin: bool,
    /// The CSRF token sent in `X-CSRF-Token`, if any.
    pub(crate) csrf_header: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum Who {
    /// No session cookie, or one that is unknown or expired.
    Anonymous,
    /// A live session: the user with their roles (`session.user.roles`).
    User { token: String, session: Box<Session> },
    /// The session could not be looked up (the store failed). Reads fall back to what the
    /// public sees; anything that needs a user is a server error, not a refusal.
    Unknown,
}

impl Viewer {
    /// The live session, when logged in.
    pub(crate) fn session(&self) -> Option<&Session> {
        match &self.who {
            Who::User { session, .. } => Some(session),
            _ => None,
        }
    }

    /// The session token, when logged in (to end the session).
    pub(crate) fn token(&self) -> Option<&str> {
        match &self.who {
            Who::User { token, .. } => Some(token),
            _ => None,
        }
    }
}

#[cfg(test)]
impl Viewer {
    /// Nobody, from the same origin (for tests of the policy).
    pub(crate) fn anonymous() -> Viewer {
        Viewer { who: Who::Anonymous, same_origin: true, csrf_header: None }
    }

    /// A logged-in user, from the same origin, without a CSRF header.
    pub(crate) fn user(token: String, session: Session) -> Viewer {
        Viewer { who: Who::User { token, session: Box::new(session) }, same_origin: true, csrf_header: None }
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Infallible;

    /// Only a request that carries a well-formed session cookie costs a store lookup.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, Infallible> {
        let headers = &parts.headers;
        let same_origin = csrf::same_origin(headers);
        let csrf_header = headers.get(csrf::CSRF_HEADER).and_then(|v| v.to_str().ok()).map(str::to_string);
        let who = match csrf::cookie(headers, csrf::SESSION_COOKIE).filter(|t| csrf::is_token(t)) {
            None => Who::Anonymous,
            Some(token) => match crate::storage::session(state.store(), &token).await {
                Ok(Some(session)) => Who::User { token, session: Box::new(session) },
                Ok(None) => Who::Anonymous,
                Err(e) => {
                    eprintln!("quanze: session lookup failed: {e}");
                    Who::Unknown
                }
            },
        };
        Ok(Viewer { who, same_origin, csrf_header })
    }
}
