//! Acknowledged case actions per second over HTTP on loopback, with a bounded (closed-loop)
//! client: 1, 8 and 32 clients, each sending its next action only after the previous answer.
//! Prints actions/s and the p50/p99/max latency per backend and client count.
//!
//! The server is this binary run again as a child (`QUANZE_HTTP_BENCH_SERVE` set): the real
//! `quanze_server::serve` on a new database (seeds and demo people loaded) with a fixed
//! clock, so it has its own process and runtime as in production. The parent logs in as the
//! two demo officers; every client works its own cases (an officer's case load), each action
//! an `investigate` with one piece of evidence and the second officer named (行政处罚法
//! 第四十二条), decided by the engine, chained, committed and answered with its seq.
//!
//! `cargo bench -p quanze-server --bench http_actions`. Settings (environment):
//! - `QUANZE_HTTP_BENCH_SECS`: measured seconds per run (default 5, after 1 s of warm-up);
//! - `QUANZE_HTTP_BENCH_CLIENTS`: client counts (default `1,8,32`);
//! - `QUANZE_BENCH_PG` or `QUANZE_TEST_POSTGRES_URL`: also on PostgreSQL (a fresh schema);
//! - `QUANZE_HTTP_BENCH_DB`: serve this database instead (e.g. a SQLite file on another disk).
//!
//! For profiling (instruction counts per action, load-independent), a fixed amount of work
//! against a server started by hand:
//! - `QUANZE_HTTP_BENCH_ADDR`: use the server listening there (start one with
//!   `QUANZE_HTTP_BENCH_SERVE=<db>` on this binary, e.g. under `valgrind --tool=callgrind`);
//! - `QUANZE_HTTP_BENCH_ACTIONS`: each client sends exactly this many actions (after one
//!   warm-up round over its cases) instead of running for a time;
//! - `QUANZE_HTTP_BENCH_BEFORE` / `QUANZE_HTTP_BENCH_AFTER`: shell commands run right before
//!   and after the counted actions (`callgrind_control -z` / `-d`).
//!
//! `scripts/http-bench.sh` runs it quietly for the README.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

const ENV_SERVE: &str = "QUANZE_HTTP_BENCH_SERVE";
/// Cases per client: actions go round them, so no case grows a log far longer than a real
/// case's while the figures are taken.
const CASES_PER_CLIENT: usize = 8;
const BUREAU: &str = "汤阴县医疗保障局";

type Http = Client<HttpConnector, Full<Bytes>>;

fn main() {
    if let Ok(db) = std::env::var(ENV_SERVE) {
        serve_child(db);
        return;
    }
    let secs: u64 = std::env::var("QUANZE_HTTP_BENCH_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let counts: Vec<usize> = std::env::var("QUANZE_HTTP_BENCH_CLIENTS")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 8, 32]);
    // The client side is one thread, so it takes at most one core from the server.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    if let Ok(addr) = std::env::var("QUANZE_HTTP_BENCH_ADDR") {
        let addr: SocketAddr = addr.trim().parse().expect("QUANZE_HTTP_BENCH_ADDR: an address");
        let actions: usize = std::env::var("QUANZE_HTTP_BENCH_ACTIONS")
            .ok()
            .and_then(|s| s.parse().ok())
            .expect("QUANZE_HTTP_BENCH_ACTIONS: a number, with QUANZE_HTTP_BENCH_ADDR");
        rt.block_on(async move {
            for &n in &counts {
                let r = run(addr, n, Load::Count(actions)).await;
                println!(
                    "{n} clients: {} actions in {:.2} s (p50 {:.2} ms, p99 {:.2} ms)",
                    r.count,
                    r.elapsed.as_secs_f64(),
                    ms(r.p50),
                    ms(r.p99)
                );
            }
        });
        return;
    }
    rt.block_on(async move {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut dbs = vec![(
            "SQLite".to_string(),
            std::env::var("QUANZE_HTTP_BENCH_DB")
                .unwrap_or_else(|_| dir.path().join("bench.db").display().to_string()),
            None,
        )];
        let pg = std::env::var("QUANZE_BENCH_PG")
            .ok()
            .or_else(|| std::env::var("QUANZE_TEST_POSTGRES_URL").ok())
            .filter(|u| !u.trim().is_empty());
        if let Some(base) = pg {
            let (url, schema) = pg_schema(base.trim()).await;
            dbs.push(("PostgreSQL".into(), url, Some((base.trim().to_string(), schema))));
        }
        println!(
            "quanze HTTP case actions: closed loop on loopback, release build, {} cores, {secs} s per run; load {}",
            std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            loadavg()
        );
        println!(
            "{:<11} {:>7} {:>10} {:>9} {:>9} {:>9} {:>8}",
            "backend", "clients", "actions/s", "p50 ms", "p99 ms", "max ms", "actions"
        );
        for (backend, db, schema) in dbs {
            let mut server = start(&db);
            for &n in &counts {
                let r = run(server.addr, n, Load::Secs(secs)).await;
                println!(
                    "{:<11} {:>7} {:>10.0} {:>9.2} {:>9.2} {:>9.2} {:>8}",
                    backend,
                    n,
                    r.count as f64 / r.elapsed.as_secs_f64(),
                    ms(r.p50),
                    ms(r.p99),
                    ms(r.max),
                    r.count
                );
            }
            let _ = server.child.kill();
            let _ = server.child.wait();
            if let Some((base, schema)) = schema {
                drop_schema(&base, &schema).await;
            }
        }
        println!("load after: {}", loadavg());
    });
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|s| s.trim().to_string()).unwrap_or_else(|_| "?".into())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The child: the server on `db` with a fixed clock (the day after the demo cases), on a
/// free loopback port it prints.
fn serve_child(db: String) {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let day = quanze_model::Date::new(2026, 11, 10).expect("date");
    let config = quanze_server::ServeConfig {
        db,
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        admin_password: Some("http-bench-admin-1".into()),
        clock: Arc::new(quanze_model::FixedClock::on(day)),
        ..quanze_server::ServeConfig::default()
    };
    if let Err(e) = rt.block_on(quanze_server::serve(config)) {
        eprintln!("http_actions server: {e}");
        std::process::exit(1);
    }
}

struct Server {
    child: Child,
    addr: SocketAddr,
}

fn start(db: &str) -> Server {
    let mut child = Command::new(std::env::current_exe().expect("bench binary"))
        .env(ENV_SERVE, db)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn the server");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let addr = loop {
        let line = lines.next().expect("the server ended before listening").expect("read");
        if let Some(a) = line.strip_prefix("quanze: listening on http://") {
            break a.trim().parse().expect("address");
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    Server { child, addr }
}

async fn pg_schema(base: &str) -> (String, String) {
    use sqlx::Connection;
    let schema = format!("qzhttpbench_{}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(base).await.expect("connect to PostgreSQL");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
    )))
    .execute(&mut conn)
    .await
    .expect("create schema");
    conn.close().await.expect("close");
    let sep = if base.contains('?') { '&' } else { '?' };
    (format!("{base}{sep}options=-c%20search_path%3D{schema}"), schema)
}

async fn drop_schema(base: &str, schema: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(base).await.expect("connect to PostgreSQL");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&mut conn)
        .await
        .expect("drop schema");
    conn.close().await.expect("close");
}

/// A logged-in demo person; each client has its own connection.
#[derive(Clone)]
struct Session {
    addr: SocketAddr,
    cookie: String,
    csrf: String,
}

fn client() -> Http {
    Client::builder(hyper_util::rt::TokioExecutor::new()).pool_max_idle_per_host(1).build_http()
}

async fn send(http: &Http, req: axum::http::Request<Full<Bytes>>) -> (u16, Vec<u8>, Option<String>) {
    let resp = http.request(req).await.expect("an answer");
    let status = resp.status().as_u16();
    let cookie = resp.headers().get_all("set-cookie").iter().find_map(|v| {
        let (k, rest) = v.to_str().ok()?.split_once('=')?;
        (k == "quanze_session").then(|| rest.split(';').next().unwrap_or("").to_string())
    });
    let body = resp.into_body().collect().await.expect("body").to_bytes().to_vec();
    (status, body, cookie)
}

impl Session {
    async fn login(http: &Http, addr: SocketAddr, user: &str, password: &str) -> Session {
        let req = axum::http::Request::post(format!("http://{addr}/api/session"))
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(json!({ "username": user, "password": password }).to_string())))
            .unwrap();
        let (status, body, cookie) = send(http, req).await;
        assert_eq!(status, 200, "{user}: {}", String::from_utf8_lossy(&body));
        let j: Value = serde_json::from_slice(&body).unwrap();
        Session {
            addr,
            cookie: format!("quanze_session={}", cookie.expect("cookie")),
            csrf: j["csrf_token"].as_str().unwrap().into(),
        }
    }

    async fn get(&self, http: &Http, path: &str) -> Value {
        let req = axum::http::Request::get(format!("http://{}{path}", self.addr))
            .header("cookie", &self.cookie)
            .body(Full::new(Bytes::new()))
            .unwrap();
        let (status, body, _) = send(http, req).await;
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
        serde_json::from_slice(&body).unwrap()
    }

    /// POST JSON; panics unless the answer has the status `want` (an action refused or lost
    /// would make the figures meaningless).
    async fn post(&self, http: &Http, path: &str, body: Bytes, want: u16) -> Value {
        let req = axum::http::Request::post(format!("http://{}{path}", self.addr))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .header("content-type", "application/json")
            .body(Full::new(body))
            .unwrap();
        let (status, bytes, _) = send(http, req).await;
        assert_eq!(status, want, "{path}: {}", String::from_utf8_lossy(&bytes));
        serde_json::from_slice(&bytes).unwrap()
    }
}

struct Figures {
    count: usize,
    elapsed: Duration,
    p50: Duration,
    p99: Duration,
    max: Duration,
}

/// How long a run lasts.
#[derive(Clone, Copy)]
enum Load {
    /// Measured seconds, after one second of warm-up.
    Secs(u64),
    /// Actions per client, after one warm-up round over its cases; the profiling hooks run
    /// around them.
    Count(usize),
}

/// Run the shell command in the environment variable `var`, if set.
fn hook(var: &str) {
    if let Ok(cmd) = std::env::var(var) {
        let status = Command::new("sh").arg("-c").arg(&cmd).status().expect("run the hook");
        assert!(status.success(), "{var}: {cmd}: {status}");
    }
}

/// One run: `n` clients, each with its own cases, in a closed loop.
async fn run(addr: SocketAddr, n: usize, load: Load) -> Figures {
    let http = client();
    let zhang = Session::login(&http, addr, "demo-zhangming", "demo-officer-1").await;
    let li = Session::login(&http, addr, "demo-lihua", "demo-officer-2").await;
    // Person ids from one of 张明's demo cases.
    let list = zhang.get(&http, "/api/cases?limit=1").await;
    let demo = zhang.get(&http, &format!("/api/cases/{}", list["cases"][0]["id"])).await;
    let id_of = |name: &str| {
        ["assigned", "colleagues"]
            .iter()
            .flat_map(|k| demo[*k].as_array().cloned().unwrap_or_default())
            .find(|p| p["name"] == name)
            .and_then(|p| p["id"].as_str().map(String::from))
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let (zhang_id, li_id, wang_id) = (id_of("张明"), id_of("李华"), id_of("王局长"));
    let bureaus = zhang.get(&http, "/api/bureaus?limit=500").await;
    let bureau =
        bureaus["bureaus"].as_array().unwrap().iter().find(|b| b["name"] == BUREAU).unwrap()["id"].clone();
    let items = zhang.get(&http, &format!("/api/bureaus/{bureau}/items?limit=500")).await;
    let item = items["items"].as_array().unwrap().iter().find(|i| i["seq"] == 5).unwrap()["id"].clone();

    let run_id = format!("{}-{n}", std::process::id());
    let mut clients = Vec::new();
    for c in 0..n {
        // Half the clients are 张明 (with 李华), half 李华 (with 张明); each opens its cases.
        let (me, other) =
            if c % 2 == 0 { (zhang.clone(), li_id.clone()) } else { (li.clone(), zhang_id.clone()) };
        let mut cases = Vec::new();
        for k in 0..CASES_PER_CLIENT {
            let body = json!({ "item": item, "label": format!("压测-{run_id}-{c}-{k}"), "party": "unit",
                "with": [li_id, zhang_id], "at": "2026-11-10T09:00" });
            let opened = zhang.post(&http, "/api/cases", Bytes::from(body.to_string()), 201).await;
            let case = opened["id"].as_i64().unwrap();
            let register =
                json!({ "action": "register", "with": [li_id, wang_id], "at": "2026-11-10T10:00" });
            zhang
                .post(&http, &format!("/api/cases/{case}/actions"), Bytes::from(register.to_string()), 200)
                .await;
            cases.push(case);
        }
        let body = Bytes::from(
            json!({ "action": "investigate", "evidence": ["书证"], "with": [other], "at": "2026-11-10T11:00" })
                .to_string(),
        );
        clients.push((me, cases, body));
    }
    if let Load::Count(_) = load {
        // Warm-up: every case loaded once, so what is counted is the steady state.
        for (me, cases, body) in &clients {
            for case in cases {
                me.post(&http, &format!("/api/cases/{case}/actions"), body.clone(), 200).await;
            }
        }
        hook("QUANZE_HTTP_BENCH_BEFORE");
    }
    // Every client starts together; with a time, the first second is warm-up (connections,
    // caches).
    let began = Instant::now();
    let (start, end, count) = match load {
        Load::Secs(secs) => {
            let start = began + Duration::from_secs(1);
            (start, start + Duration::from_secs(secs), usize::MAX)
        }
        Load::Count(k) => (began, began + Duration::from_secs(86_400), k),
    };
    let mut tasks = Vec::new();
    for (me, cases, body) in clients {
        tasks.push(tokio::spawn(async move {
            let http = client();
            let mut lat = Vec::new();
            for i in 0..count {
                let case = cases[i % cases.len()];
                let t = Instant::now();
                if t >= end {
                    break;
                }
                me.post(&http, &format!("/api/cases/{case}/actions"), body.clone(), 200).await;
                if t >= start {
                    lat.push(t.elapsed());
                }
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.expect("client"));
    }
    let measured = match load {
        Load::Secs(secs) => Duration::from_secs(secs),
        Load::Count(_) => {
            let took = began.elapsed();
            hook("QUANZE_HTTP_BENCH_AFTER");
            took
        }
    };
    lat.sort();
    let at = |q: f64| {
        lat.get(((lat.len() as f64 * q).ceil() as usize).saturating_sub(1)).copied().unwrap_or_default()
    };
    Figures { count: lat.len(), elapsed: measured, p50: at(0.50), p99: at(0.99), max: at(1.0) }
}
