//! quanze HTTP server: the JSON API (`/api/…`, OpenAPI at `/api/openapi.json`), the public
//! portal (server-rendered Chinese pages that work without JavaScript) and the
//! administrators' login, import and publish pages.
//!
//! # Shape
//! The crate is cut by capability, each with its `service` (no axum), `api` and `pages`:
//! [`catalog`] (lists, versions, items, search, comparison, imports), [`law`] (statutes and
//! the penalty calculator), [`calendar`] (the working-day calendar's years) and [`accounts`]
//! (login and sessions). Below them, [`http`] (errors, the viewer and the access policy, CSRF,
//! headers, parameters, Chinese formatting, the OpenAPI merge) and [`read`] (the catalog read
//! model) know no capability. A capability's `api` and `pages` never use each other; calls
//! between capabilities go service to service. `tests/it/tidy.rs` holds these rules.
//!
//! - The store (`quanze-store`, SQLite or PostgreSQL) is the source of truth. Every read
//!   (portal pages, read API, downloads, search) is served from an in-memory [`Snapshot`]
//!   of all bureaus, versions and items, rebuilt after each import or publish. Reads cost no
//!   database round trip.
//! - Writes (imports, publishing, logins, sessions, login attempts) go to the store.
//!
//! # Security
//! - Sessions are server-side (the store keeps only the SHA-256 of the token). The cookie
//!   `quanze_session` is `HttpOnly; SameSite=Strict; Path=/`, and `Secure` when
//!   [`ServeConfig::secure_cookies`] is set (`QUANZE_SECURE_COOKIES=1`): set it whenever the
//!   server is reached over TLS (behind a reverse proxy that terminates TLS). A request with
//!   `X-Forwarded-Proto: https` also gets `Secure` cookies.
//! - Every form carries a CSRF token: the session's token once logged in, a double-submit
//!   cookie (`quanze_csrf`) on the login form. Cookie-authenticated API `POST`s must send the
//!   session's token in `X-CSRF-Token`. A cross-site `Origin` is refused too.
//! - Failed logins are limited per user name and per remote address (5 in 15 minutes).
//! - Every response carries a CSP without inline scripts (the portal has no scripts),
//!   `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` / `frame-ancestors 'none'`
//!   and `Referrer-Policy: same-origin`.
//! - Request bodies are limited (64 KiB; uploads [`ServeConfig::max_upload_bytes`]) and every
//!   request has a time limit ([`ServeConfig::request_timeout`]).
//!
//! # The administrator
//! `serve` creates or updates the user `admin` with the password in `QUANZE_ADMIN_PASSWORD`
//! when that variable is set. When it is not set and no `admin` exists yet, it generates a
//! password and prints it once on standard output.

#![warn(unreachable_pub)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

mod accounts;
mod calendar;
mod cases;
mod catalog;
mod error;
mod http;
mod law;
mod read;
mod seeds;
mod state;
mod storage;

pub use error::ServerError;
pub use state::AppState;

/// Settings of [`serve`].
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// A SQLite file path (`quanze.db`), `sqlite://…` or `postgres://…`.
    pub db: String,
    pub addr: SocketAddr,
    /// Password for the user `admin`; `None` reads `QUANZE_ADMIN_PASSWORD`.
    pub admin_password: Option<String>,
    /// Mark cookies `Secure` (set when served over TLS); `QUANZE_SECURE_COOKIES=1` sets it too.
    pub secure_cookies: bool,
    /// Load the embedded seed lists when the store has no bureau.
    pub seed: bool,
    /// With the seeds, load the demo people (logins `demo-…`) and demo cases (`--no-demo`
    /// leaves them out).
    pub demo: bool,
    /// Largest accepted upload (`POST /api/imports`, the import form).
    pub max_upload_bytes: usize,
    /// Time limit of one request.
    pub request_timeout: Duration,
    /// Where "today" comes from (China time): law pages, the calculator's default date and
    /// the hourly deadline sweep. Tests fix it.
    pub clock: Arc<dyn quanze_model::Clock>,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            db: "quanze.db".into(),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            admin_password: None,
            secure_cookies: false,
            seed: true,
            demo: true,
            max_upload_bytes: 8 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            clock: Arc::new(quanze_casework::SystemClock),
        }
    }
}

impl AppState {
    /// Open the store at `config.db` (running migrations), load the seeds when it is empty
    /// and `config.seed` is set, and build the snapshot. Does not touch accounts.
    pub async fn open(config: &ServeConfig) -> Result<AppState, ServerError> {
        let store =
            quanze_store::Store::open(&config.db).await.map_err(|e| ServerError::Store(e.to_string()))?;
        if config.seed {
            seeds::load_if_empty(&store, config.demo).await?;
        }
        let state = AppState::new(store, config);
        state.refresh().await?;
        Ok(state)
    }
}

/// The whole application: every capability's API and pages, static files, with limits and
/// security headers.
pub fn app(state: AppState) -> axum::Router {
    let timeout = state.request_timeout();
    let openapi = http::openapi::merge([
        catalog::openapi(),
        law::openapi(),
        calendar::openapi(),
        accounts::openapi(),
        cases::openapi(),
    ]);
    axum::Router::new()
        .route(
            "/api/openapi.json",
            axum::routing::get(move || async move { http::openapi::response(openapi.clone()) }),
        )
        .merge(catalog::router(&state))
        .merge(accounts::router(&state))
        .merge(law::router(&state))
        .merge(calendar::router(&state))
        .merge(cases::router(&state))
        .fallback(http::error::not_found)
        // Innermost first: the time limit's 408 goes through the problem+json conversion,
        // and every response, errors included, gets the security headers.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(axum::middleware::from_fn(http::headers::problem_for_api))
        .layer(axum::middleware::from_fn_with_state(state.clone(), http::headers::headers))
        .with_state(state)
}

/// Run the server until Ctrl-C: open the store, load the seeds when it is empty, set up the
/// administrator, listen on `config.addr` and print the address.
pub async fn serve(mut config: ServeConfig) -> Result<(), ServerError> {
    if config.admin_password.is_none() {
        config.admin_password = std::env::var("QUANZE_ADMIN_PASSWORD").ok().filter(|p| !p.is_empty());
    }
    if std::env::var("QUANZE_SECURE_COOKIES").is_ok_and(|v| v == "1" || v == "true") {
        config.secure_cookies = true;
    }
    let state = AppState::open(&config).await?;
    match &config.admin_password {
        Some(p) => {
            state.set_admin_password(p).await?;
            println!("quanze: user admin has the password from QUANZE_ADMIN_PASSWORD");
        }
        None => {
            if let Some(p) = state.ensure_admin().await? {
                println!("quanze: created user admin with the one-time password: {p}");
                println!("quanze: set QUANZE_ADMIN_PASSWORD to choose it; it is not shown again");
            }
        }
    }
    // Forget expired sessions and old login attempts once an hour.
    let store = state.store().clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let now = quanze_store::now();
            if let Err(e) = store.delete_expired_sessions(now).await {
                eprintln!("quanze: pruning sessions failed: {e}");
            }
            if let Err(e) = store.prune_login_attempts(now - 24 * 3600).await {
                eprintln!("quanze: pruning login attempts failed: {e}");
            }
        }
    });
    // The deadline poller: at start (deadlines that passed while quanze was stopped) and
    // once an hour, every open deadline due by today (China time) is re-evaluated.
    let cases = quanze_casework::CaseService::new(state.store().clone())
        .await
        .map_err(|e| ServerError::Store(e.to_string()))?;
    let clock = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let today = clock.today();
            match cases.sweep(today).await {
                Ok(r) if r.updated > 0 => {
                    println!("quanze: deadlines on {today}: {} cases updated, {} missed", r.updated, r.missed)
                }
                Ok(_) => {}
                Err(e) => eprintln!("quanze: deadline sweep failed: {e}"),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServerError::Bind { addr: config.addr, source })?;
    let local = listener.local_addr()?;
    println!("quanze: listening on http://{local}");
    axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
