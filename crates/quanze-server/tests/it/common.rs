#![allow(dead_code)]
use std::path::PathBuf;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use quanze_server::{AppState, ServeConfig};
use tower::ServiceExt;

pub(crate) const ADMIN_PASSWORD: &str = "correct-horse-battery-7";

pub(crate) struct Env {
    pub state: AppState,
    pub app: axum::Router,
    _dir: Option<tempfile::TempDir>,
    pub db: PathBuf,
    /// The database as `ServeConfig::db` names it (a second server opens the same one).
    pub url: String,
}

/// A server state on a fresh SQLite file with the seeds loaded and an admin.
pub(crate) async fn env() -> Env {
    env_with(|_| {}).await
}

pub(crate) async fn env_with(tweak: impl FnOnce(&mut ServeConfig)) -> Env {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("quanze.db");
    let mut config = ServeConfig { db: db.display().to_string(), ..ServeConfig::default() };
    tweak(&mut config);
    let state = AppState::open(&config).await.expect("open state");
    state.set_admin_password(ADMIN_PASSWORD).await.expect("admin password");
    let app = quanze_server::app(state.clone());
    let url = db.display().to_string();
    Env { state, app, _dir: Some(dir), db, url }
}

/// The same on PostgreSQL (`QUANZE_TEST_POSTGRES_URL`, a fresh schema per call); `None`
/// after saying so when unset, unless `QUANZE_TEST_REQUIRE_POSTGRES=1`.
pub(crate) async fn env_pg() -> Option<Env> {
    use sqlx::Connection;
    let base = match std::env::var("QUANZE_TEST_POSTGRES_URL") {
        Ok(u) if !u.trim().is_empty() => u.trim().to_string(),
        _ => {
            assert!(
                std::env::var("QUANZE_TEST_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "QUANZE_TEST_REQUIRE_POSTGRES=1 but QUANZE_TEST_POSTGRES_URL is not set (eval \"$(scripts/pg.sh start)\")"
            );
            println!("PostgreSQL tests skipped: set QUANZE_TEST_POSTGRES_URL (see scripts/pg.sh)");
            return None;
        }
    };
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let schema = format!("qzsrv_{}_{nanos}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(&base).await.expect("connect to QUANZE_TEST_POSTGRES_URL");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await
        .expect("create schema");
    conn.close().await.expect("close");
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    let config = ServeConfig { db: url.clone(), ..ServeConfig::default() };
    let state = AppState::open(&config).await.expect("open state on PostgreSQL");
    state.set_admin_password(ADMIN_PASSWORD).await.expect("admin password");
    let app = quanze_server::app(state.clone());
    Some(Env { state, app, _dir: None, db: PathBuf::new(), url })
}

pub(crate) struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub(crate) fn content_type(&self) -> String {
        self.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
    }
    pub(crate) fn is_problem(&self) -> bool {
        self.content_type() == "application/problem+json"
            && self.json()["status"].as_u64() == Some(u64::from(self.status.as_u16()))
    }
    /// Cookie `name`'s value from the Set-Cookie headers.
    pub(crate) fn cookie(&self, name: &str) -> Option<String> {
        self.headers.get_all("set-cookie").iter().find_map(|v| {
            let s = v.to_str().ok()?;
            let (k, rest) = s.split_once('=')?;
            (k == name).then(|| rest.split(';').next().unwrap_or("").to_string())
        })
    }
}

impl Env {
    /// Another server's state on the same database, with its own router.
    pub(crate) fn around(state: AppState, like: &Env) -> Env {
        let app = quanze_server::app(state.clone());
        Env { state, app, _dir: None, db: like.db.clone(), url: like.url.clone() }
    }

    pub(crate) async fn send(&self, req: Request<Body>) -> Resp {
        let resp = self.app.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.into_body().collect().await.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
        Resp { status, headers, body }
    }

    pub(crate) async fn get(&self, uri: &str) -> Resp {
        self.send(Request::get(uri).body(Body::empty()).expect("request")).await
    }
}

/// An administrator session: (cookie header value, csrf token).
pub(crate) struct Login {
    pub cookie: String,
    pub csrf: String,
}

impl Env {
    pub(crate) async fn login(&self) -> Login {
        let body = serde_json::json!({ "username": "admin", "password": ADMIN_PASSWORD }).to_string();
        let r = self
            .send(
                Request::post("/api/session")
                    .header("content-type", "application/json")
                    .body(Body::from(body))
                    .expect("request"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let token = r.cookie("quanze_session").expect("session cookie");
        let csrf = r.json()["csrf_token"].as_str().expect("csrf").to_string();
        Login { cookie: format!("quanze_session={token}"), csrf }
    }

    /// POST /api/imports as multipart with the given session and CSRF header.
    pub(crate) async fn upload(
        &self,
        login: Option<&Login>,
        csrf: Option<&str>,
        name: &str,
        bytes: &[u8],
        publish: bool,
    ) -> Resp {
        let boundary = "XqZboundary7";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"publish\"\r\n\r\n{publish}\r\n--{boundary}--\r\n").as_bytes());
        let mut req = Request::post("/api/imports")
            .header("content-type", format!("multipart/form-data; boundary={boundary}"));
        if let Some(l) = login {
            req = req.header("cookie", &l.cookie);
        }
        if let Some(c) = csrf {
            req = req.header("x-csrf-token", c);
        }
        self.send(req.body(Body::from(body)).expect("request")).await
    }

    /// Id of the bureau whose name contains `part`.
    pub(crate) fn bureau_id(&self, part: &str) -> i64 {
        let snap = self.state.snapshot();
        snap.bureaus
            .iter()
            .find(|b| b.name.contains(part))
            .map(|b| b.id)
            .unwrap_or_else(|| panic!("no bureau {part}"))
    }
}

pub(crate) const SEED_002: &[u8] = include_bytes!("../../../../data/seeds/002_986fb97279c273a7.txt");
pub(crate) const SEED_000: &[u8] = include_bytes!("../../../../data/seeds/000_2a6f93350bdff5ae.txt");
