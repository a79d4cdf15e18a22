//! The opening every case handler shares, as extractors: the viewer's login (and, to write,
//! the same origin and the session's CSRF token), then the officer behind the session and the
//! server's case service ([`Work`]). The API and the console differ only in how they answer
//! a refusal ([`Answer`]): problem+json, or a page (the login form when nobody is logged in).

use std::marker::PhantomData;

use axum::extract::{FromRequest, FromRequestParts, RawForm, Request};
use axum::http::request::Parts;
use axum::response::Response;

use super::service::{CasesError, Values, Work};
use crate::http::access::{Access, Action, Denied};
use crate::http::viewer::Viewer;
use crate::state::AppState;

/// How an interface answers a request that cannot start.
pub(crate) trait Answer {
    /// The access policy refused (no login, another origin, a missing CSRF token).
    fn denied(viewer: &Viewer, denied: Denied) -> Response;
    /// The officer could not be found (the store failed, the account is gone).
    fn failed(error: CasesError) -> Response;
}

async fn viewer(parts: &mut Parts, state: &AppState) -> Viewer {
    match Viewer::from_request_parts(parts, state).await {
        Ok(v) => v,
        Err(never) => match never {},
    }
}

/// A request that reads (GET): logged in.
pub(crate) struct Reading<A>(pub Work, pub PhantomData<A>);

impl<A: Answer> FromRequestParts<AppState> for Reading<A> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let viewer = viewer(parts, state).await;
        Access::check(&viewer, Action::WorkCases).map_err(|d| A::denied(&viewer, d))?;
        let work = Work::begin(state, viewer.session()).await.map_err(A::failed)?;
        Ok(Reading(work, PhantomData))
    }
}

/// A request that writes with its token in the `X-CSRF-Token` header (the API): the same
/// origin, a login and the token, checked before the body is read.
pub(crate) struct Writing<A>(pub Work, pub PhantomData<A>);

impl<A: Answer> FromRequestParts<AppState> for Writing<A> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let viewer = viewer(parts, state).await;
        let session =
            Access::check_write(&viewer, Action::WorkCases, None).map_err(|d| A::denied(&viewer, d))?;
        let work = Work::begin(state, Some(session)).await.map_err(A::failed)?;
        Ok(Writing(work, PhantomData))
    }
}

/// A console form (POST, `application/x-www-form-urlencoded`) with its token in the `csrf`
/// field: the work, the people ticked as acting beside the viewer (`with`, repeated) and
/// the other fields by name.
pub(crate) struct Submitted<A> {
    pub work: Work,
    pub with: Vec<String>,
    pub values: Values,
    _answer: PhantomData<A>,
}

impl<A: Answer> FromRequest<AppState> for Submitted<A> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let viewer = viewer(&mut parts, state).await;
        let req = Request::from_parts(parts, body);
        let RawForm(raw) = RawForm::from_request(req, state)
            .await
            .map_err(|e| A::failed(CasesError::Invalid(format!("表单无法读取：{}", e.body_text()))))?;
        let (csrf, with, values) = form_values(&raw);
        let session = Access::check_write(&viewer, Action::WorkCases, csrf.as_deref())
            .map_err(|d| A::denied(&viewer, d))?;
        let work = Work::begin(state, Some(session)).await.map_err(A::failed)?;
        Ok(Submitted { work, with, values, _answer: PhantomData })
    }
}

/// Form fields: the CSRF token, repeated `with`, the rest by name (a checkbox and its hidden
/// "false" may both be sent; the last wins).
fn form_values(raw: &[u8]) -> (Option<String>, Vec<String>, Values) {
    let mut csrf = None;
    let mut with = Vec::new();
    let mut values = Values::new();
    for (k, v) in form_urlencoded_pairs(raw) {
        match k.as_str() {
            "csrf" => csrf = Some(v),
            "with" => with.push(v),
            _ => {
                values.insert(k, v);
            }
        }
    }
    (csrf, with, values)
}

/// `application/x-www-form-urlencoded` pairs (repeated keys kept).
fn form_urlencoded_pairs(raw: &[u8]) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        percent_encoding::percent_decode_str(&s).decode_utf8_lossy().into_owned()
    };
    String::from_utf8_lossy(raw)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_keep_repeated_people_and_decode_chinese() {
        let raw = "csrf=t0k&with=7&with=9&evidence=%E4%B9%A6%E8%AF%81%0A%E7%8E%B0%E5%9C%BA%E7%AC%94%E5%BD%95&action=investigate&note=a+b";
        let (csrf, with, values) = form_values(raw.as_bytes());
        assert_eq!(csrf.as_deref(), Some("t0k"));
        assert_eq!(with, ["7", "9"]);
        assert_eq!(values.get("evidence").map(String::as_str), Some("书证\n现场笔录"));
        assert_eq!(values.get("note").map(String::as_str), Some("a b"));
        assert!(!values.contains_key("csrf") && !values.contains_key("with"));
    }
}
