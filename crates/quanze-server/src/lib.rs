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
//! - Connections: a request's header must arrive within [`ServeConfig::header_read_timeout`],
//!   a connection where nothing moves for [`ServeConfig::idle_timeout`] is closed, and at most
//!   [`ServeConfig::max_connections`] are open at once (more are answered 503 and closed).
//! - Responses with personal or case data (`/api/session`, `/api/cases…`, `/cases…`, people,
//!   supervision, admin, and every response to a logged-in request) carry
//!   `Cache-Control: no-store`.
//!
//! # Operation
//! `GET /healthz` answers `ok` (liveness; it does not touch the store). Every request is
//! logged on standard output as `quanze: access METHOD PATH STATUS DURATION` (no query
//! string, no user, no address); errors go to standard error. SIGTERM and SIGINT stop
//! accepting, let the requests in flight finish, and exit.
//!
//! # The administrator
//! `serve` creates or updates the user `admin` with the password in `QUANZE_ADMIN_PASSWORD`
//! when that variable is set. When it is not set and no `admin` exists yet, it generates a
//! password and writes it to a file only its owner can read (see [`admin_password_file`]);
//! standard output, which logging systems keep, gets only the file's path.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

mod accounts;
mod calendar;
mod cases;
mod catalog;
mod error;
mod heavy;
mod http;
mod law;
mod people;
mod publication;
mod read;
mod seeds;
mod state;
mod storage;
mod supervision;

pub use error::ServerError;
pub use heavy::{HeavyLimits, Phase};
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
    /// A request's header must arrive whole within this time (counted from the connection's
    /// start, or from the previous response on a kept-alive connection).
    pub header_read_timeout: Duration,
    /// A connection on which no byte moves either way for this long is closed (a body sent
    /// too slowly, a response not read). Keep it above `request_timeout`.
    pub idle_timeout: Duration,
    /// Client connections open at once; one more is answered 503 and closed. Keep it well
    /// below the process's file descriptor limit (`ulimit -n`).
    pub max_connections: usize,
    /// Where "today" comes from (China time): law pages, the calculator's default date and
    /// the hourly deadline sweep. Tests fix it.
    pub clock: Arc<dyn quanze_model::Clock>,
    /// The pool imports, exports and alignments run on: workers, queue, per-client share,
    /// deadline.
    pub heavy: HeavyLimits,
    /// How often `serve` reads the store's catalog epoch, so lists imported or published
    /// through another server on the same database appear here within this time.
    pub catalog_poll: Duration,
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
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 512,
            clock: Arc::new(quanze_casework::SystemClock),
            heavy: HeavyLimits::default(),
            catalog_poll: Duration::from_secs(2),
        }
    }
}

impl AppState {
    /// Open the store at `config.db` (running migrations), load the seeds when it is empty
    /// and `config.seed` is set, and build the snapshot. Does not touch accounts.
    pub async fn open(config: &ServeConfig) -> Result<AppState, ServerError> {
        let store = quanze_store::Store::open(&config.db).await?;
        if config.seed {
            seeds::load_if_empty(&store, config.demo, law::service::annotate).await?;
        }
        // Built after the seeds: the demo plays its cases through a service of its own,
        // and this one must start from what the store holds once they are in.
        let cases = quanze_casework::CaseService::new(store.clone()).await?;
        let documents = quanze_casework::documents::DocumentSet::shipped()
            .map_err(quanze_casework::CaseworkError::from)?;
        cases.set_documents(Some(Arc::new(documents)));
        let state = AppState::new(store, Arc::new(cases), config);
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
        <http::ops::OpsDoc as utoipa::OpenApi>::openapi(),
        law::openapi(),
        calendar::openapi(),
        accounts::openapi(),
        cases::openapi(),
        people::openapi(),
        publication::openapi(),
        supervision::openapi(),
    ]);
    axum::Router::new()
        .route(
            "/api/openapi.json",
            axum::routing::get(move || async move { http::openapi::response(openapi.clone()) }),
        )
        .route("/healthz", axum::routing::get(http::ops::healthz))
        .merge(catalog::router(&state))
        .merge(accounts::router(&state))
        .merge(law::router(&state))
        .merge(calendar::router(&state))
        .merge(cases::router(&state))
        .merge(people::router(&state))
        .merge(publication::router(&state))
        .merge(supervision::router(&state))
        .fallback(http::error::not_found)
        // Innermost first: the time limit's 408 goes through the problem+json conversion,
        // and every response, errors included, gets the security headers.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(axum::middleware::from_fn(http::headers::problem_for_api))
        .layer(axum::middleware::from_fn_with_state(state.clone(), http::headers::headers))
        // Outermost: the status logged is the one sent.
        .layer(axum::middleware::from_fn(http::ops::access_log))
        .with_state(state)
}

/// Run the server until SIGINT (Ctrl-C) or SIGTERM: open the store, load the seeds when it
/// is empty, set up the administrator, listen on `config.addr` and print the address. On the
/// signal it stops accepting, lets the requests in flight finish and returns.
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
                let path = admin_password_file(&config.db);
                write_private(&path, &format!("{p}\n"))
                    .map_err(|source| ServerError::AdminPassword { path: path.clone(), source })?;
                println!(
                    "quanze: created user admin; its one-time password is in {} (readable by this user only: delete it after logging in)",
                    path.display()
                );
                println!("quanze: set QUANZE_ADMIN_PASSWORD to choose it");
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
    // Other servers on the same database: their catalog writes appear here within one poll
    // (one row read when nothing changed).
    let poller = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(poller.catalog_poll());
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = poller.refresh().await {
                eprintln!("quanze: catalog poll failed: {}", e.chain());
            }
        }
    });
    // The deadline poller: at start (deadlines that passed while quanze was stopped) and
    // once an hour, every open deadline due by today (China time) is re-evaluated.
    let cases = Arc::clone(state.cases());
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
            // Electronic supervision after the deadlines: the same day, every case.
            match clock.sweep_supervision().await {
                Ok(r) => println!(
                    "quanze: supervision on {today}: {} cases, {} alerts raised, {} escalated",
                    r.cases, r.raised, r.escalated
                ),
                Err(e) => eprintln!("quanze: supervision sweep failed: {}", e.chain()),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServerError::Bind { addr: config.addr, source })?;
    let local = listener.local_addr()?;
    println!("quanze: listening on http://{local}");
    serve_app(listener, app(state), &config, async {
        let signal = stop_signal().await;
        println!("quanze: {signal} received: no new connections; finishing the requests in flight");
    })
    .await?;
    println!("quanze: stopped");
    Ok(())
}

/// Serve `app` on `listener` with `config`'s connection limits (header-read and idle
/// timeouts, the connection limit) until `shutdown` completes; then stop accepting and let
/// the requests in flight finish (at most `config.request_timeout` more) before returning.
pub async fn serve_app(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    config: &ServeConfig,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), ServerError> {
    let limits = http::listen::Limits {
        header_read_timeout: config.header_read_timeout,
        idle_timeout: config.idle_timeout,
        max_connections: config.max_connections,
        drain_timeout: config.request_timeout + Duration::from_secs(1),
    };
    http::listen::run(listener, app, limits, shutdown).await?;
    Ok(())
}

/// The first of SIGINT and SIGTERM (SIGTERM is what systemd, Docker and Kubernetes send).
async fn stop_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            },
            Err(e) => {
                eprintln!("quanze: cannot listen for SIGTERM ({e}); stopping on SIGINT only");
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}

/// Where the one-time administrator password is written: beside the SQLite file
/// (`quanze.db` → `quanze.db.admin-password`), so it has the database's own protection and
/// is found where the operator looks; for PostgreSQL, in the working directory.
pub fn admin_password_file(db: &str) -> std::path::PathBuf {
    const NAME: &str = "admin-password";
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        return std::path::PathBuf::from(format!("quanze.{NAME}"));
    }
    let path = db.strip_prefix("sqlite://").or_else(|| db.strip_prefix("sqlite:")).unwrap_or(db);
    let path = path.split('?').next().unwrap_or(path);
    std::path::PathBuf::from(format!("{path}.{NAME}"))
}

/// Write `text` to `path`, readable and writable by its owner only (mode 0600 on Unix, set
/// before the text is written; an older file of that name is replaced).
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let _ = std::fs::remove_file(path);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}
