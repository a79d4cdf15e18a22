//! Who a heavy request counts against, for the pool in [`crate::heavy`].

/// Who a heavy request counts against: the signed-in user, else the client's address, else
/// (no address known: tests, a proxy that hides it) one shared anonymous client. An extractor.
pub(crate) struct HeavyClient(pub(crate) Option<String>);

impl HeavyClient {
    pub(crate) fn key(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl axum::extract::FromRequestParts<crate::state::AppState> for HeavyClient {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::state::AppState,
    ) -> Result<HeavyClient, std::convert::Infallible> {
        let viewer = crate::http::viewer::Viewer::from_request_parts(parts, state).await?;
        Ok(HeavyClient(match viewer.session() {
            Some(s) => Some(format!("user:{}", s.user.id.0)),
            None => crate::http::csrf::remote(&parts.extensions).map(|a| format!("addr:{a}")),
        }))
    }
}
