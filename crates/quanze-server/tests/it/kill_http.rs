//! The server killed with SIGKILL in the middle of a stream of case actions over HTTP: after a
//! restart on the same database every acknowledged action is there (read back through the
//! API, by whom it was acknowledged), an action that was sent but never answered is either
//! wholly there or not at all, each case takes its next action, and every chain verifies.
//!
//! The server is this test binary run again as a child ([`server_child`], ignored unless run
//! by the parent with `QUANZE_KILL_HTTP_DB` set): `quanze_server::serve` on a new database
//! (seeds, demo people and cases) with a fixed clock, listening on a free loopback port it
//! prints. The parent logs in as the two demo officers, opens cases, and runs a few
//! closed-loop clients that send `investigate` actions round the cases; it kills the child
//! as soon as a fixed number of actions were acknowledged (2xx with the event's seq). What
//! is asserted holds for any interleaving, so timing decides nothing.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

const ENV_DB: &str = "QUANZE_KILL_HTTP_DB";
/// The day the child's clock shows: after the demo cases, as in `cases.rs`.
const TODAY: (i32, u32, u32) = (2026, 11, 10);
const CASES: usize = 3;
const CLIENTS: usize = 4;
const ACKS_BEFORE_KILL: usize = 150;
const BUREAU: &str = "汤阴县医疗保障局";

/// The server the parent kills. Run alone it is ignored: it serves until killed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the child process of sigkill_during_http_actions_loses_no_acknowledged_action"]
async fn server_child() {
    let db = std::env::var(ENV_DB).expect("run by the kill test with QUANZE_KILL_HTTP_DB set");
    let day = quanze_model::Date::new(TODAY.0, TODAY.1, TODAY.2).expect("date");
    let config = quanze_server::ServeConfig {
        db,
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        admin_password: Some("kill-http-admin-1".into()),
        clock: Arc::new(quanze_model::FixedClock::on(day)),
        ..quanze_server::ServeConfig::default()
    };
    quanze_server::serve(config).await.expect("serve");
}

/// A running child server and where it listens.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    /// Start the child on `db` and wait until it prints its address (it loads the seeds and
    /// the demo first). Its standard error goes to `log`.
    async fn start(db: &str, log: &Path) -> Server {
        let stderr = std::fs::File::create(log).expect("log file");
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args(["--exact", "kill_http::server_child", "--ignored", "--nocapture", "--test-threads=1"])
            .env(ENV_DB, db)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("spawn the server");
        let stdout = child.stdout.take().expect("stdout");
        let log = log.to_path_buf();
        let addr = tokio::task::spawn_blocking(move || {
            let mut lines = BufReader::new(stdout).lines();
            let addr = loop {
                let Some(Ok(line)) = lines.next() else {
                    panic!(
                        "the server ended before listening: {}",
                        std::fs::read_to_string(&log).unwrap_or_default()
                    )
                };
                if let Some(a) = line.strip_prefix("quanze: listening on http://") {
                    break a.trim().parse::<SocketAddr>().expect("address");
                }
            };
            // Keep reading so the child never blocks on a full pipe.
            std::thread::spawn(move || lines.for_each(drop));
            addr
        })
        .await
        .expect("reader");
        Server { child, addr }
    }

    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        let _ = self.child.wait();
    }
}

/// A logged-in person on one server: their session and their own connection pool.
#[derive(Clone)]
struct Session {
    addr: SocketAddr,
    client: Client<HttpConnector, Body>,
    cookie: String,
    csrf: String,
}

/// Why a request got no answer or not the expected one.
#[derive(Debug)]
enum Failure {
    /// No answer: the connection failed or broke (the server was killed).
    NoAnswer,
    /// An answer other than the one expected: its status and body.
    Answer(String),
}

async fn request(
    client: &Client<HttpConnector, Body>,
    req: Request<Body>,
) -> Result<(StatusCode, Option<String>, Vec<u8>), Failure> {
    let resp = client.request(req).await.map_err(|_| Failure::NoAnswer)?;
    let status = resp.status();
    let cookie = resp.headers().get_all("set-cookie").iter().find_map(|v| {
        let (k, rest) = v.to_str().ok()?.split_once('=')?;
        (k == "quanze_session").then(|| rest.split(';').next().unwrap_or("").to_string())
    });
    let body = resp.into_body().collect().await.map_err(|_| Failure::NoAnswer)?;
    Ok((status, cookie, body.to_bytes().to_vec()))
}

impl Session {
    async fn login(addr: SocketAddr, user: &str, password: &str) -> Session {
        let client = Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
        let req = Request::post(format!("http://{addr}/api/session"))
            .header("content-type", "application/json")
            .body(Body::from(json!({ "username": user, "password": password }).to_string()))
            .expect("request");
        let (status, cookie, body) = request(&client, req).await.expect("login answered");
        assert_eq!(status, StatusCode::OK, "{user}: {}", String::from_utf8_lossy(&body));
        let j: Value = serde_json::from_slice(&body).expect("JSON");
        Session {
            addr,
            client,
            cookie: format!("quanze_session={}", cookie.expect("session cookie")),
            csrf: j["csrf_token"].as_str().expect("csrf").into(),
        }
    }

    async fn get(&self, path: &str) -> Value {
        let req = Request::get(format!("http://{}{path}", self.addr))
            .header("cookie", &self.cookie)
            .body(Body::empty())
            .expect("request");
        let (status, _, body) = request(&self.client, req).await.expect("answered");
        assert_eq!(status, StatusCode::OK, "{path}: {}", String::from_utf8_lossy(&body));
        serde_json::from_slice(&body).expect("JSON")
    }

    /// POST a JSON body; the answer's JSON when its status is `want`.
    async fn post(&self, path: &str, body: &Value, want: StatusCode) -> Result<Value, Failure> {
        let req = Request::post(format!("http://{}{path}", self.addr))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .expect("request");
        let (status, _, bytes) = request(&self.client, req).await?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if status != want {
            return Err(Failure::Answer(format!("{status}: {text}")));
        }
        serde_json::from_str(&text).map_err(|e| Failure::Answer(format!("{status} {e}: {text}")))
    }
}

/// An acknowledged action: the case, the seq the server answered, who sent it.
#[derive(Debug, Clone)]
struct Ack {
    case: i64,
    seq: u64,
    by: &'static str,
}

/// What one client saw: its acknowledged actions, and the action it sent last when that got no
/// answer (the server died under it): (case, who).
#[derive(Debug, Default)]
struct Seen {
    acks: Vec<Ack>,
    unanswered: Option<(i64, &'static str)>,
}

/// The demo people the clients act with, by name → person id (from a demo case's page).
async fn people(zhang: &Session) -> HashMap<String, String> {
    let list = zhang.get("/api/cases?limit=1").await;
    let id = list["cases"][0]["id"].as_i64().expect("a demo case of 张明");
    let case = zhang.get(&format!("/api/cases/{id}")).await;
    let mut out = HashMap::new();
    for key in ["assigned", "colleagues"] {
        for p in case[key].as_array().expect("people") {
            out.insert(
                p["name"].as_str().expect("name").to_string(),
                p["id"].as_str().expect("id").to_string(),
            );
        }
    }
    out
}

/// The id of the item with 序号 5 of the 汤阴 list (a penalty item), through the API.
async fn penalty_item(s: &Session) -> i64 {
    let bureaus = s.get("/api/bureaus?limit=500").await;
    let bureau = bureaus["bureaus"]
        .as_array()
        .expect("bureaus")
        .iter()
        .find(|b| b["name"] == BUREAU)
        .and_then(|b| b["id"].as_i64())
        .expect("the 汤阴 bureau");
    let items = s.get(&format!("/api/bureaus/{bureau}/items?limit=500")).await;
    items["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["seq"] == 5)
        .and_then(|i| i["id"].as_i64())
        .expect("item 5")
}

/// A database URL for one run: a SQLite file in `dir`, or a fresh schema of
/// `QUANZE_TEST_POSTGRES_URL` (with its name, to drop it afterwards).
async fn databases(dir: &Path) -> Vec<(String, String, Option<String>)> {
    let mut out = vec![("SQLite".to_string(), dir.join("kill.db").display().to_string(), None)];
    match std::env::var("QUANZE_TEST_POSTGRES_URL") {
        Ok(base) if !base.trim().is_empty() => {
            use sqlx::Connection;
            let base = base.trim().to_string();
            let schema = format!("qzkill_{}", std::process::id());
            let mut conn = sqlx::PgConnection::connect(&base).await.expect("connect to PostgreSQL");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            )))
            .execute(&mut conn)
            .await
            .expect("create schema");
            conn.close().await.expect("close");
            let sep = if base.contains('?') { '&' } else { '?' };
            out.push((
                "PostgreSQL".into(),
                format!("{base}{sep}options=-c%20search_path%3D{schema}"),
                Some(schema),
            ));
        }
        _ => {
            assert!(
                std::env::var("QUANZE_TEST_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "QUANZE_TEST_REQUIRE_POSTGRES=1 but QUANZE_TEST_POSTGRES_URL is not set"
            );
            println!("kill_http: PostgreSQL skipped (set QUANZE_TEST_POSTGRES_URL, see scripts/pg.sh)");
        }
    }
    out
}

async fn drop_schema(schema: &str) {
    use sqlx::Connection;
    let Ok(base) = std::env::var("QUANZE_TEST_POSTGRES_URL") else { return };
    let mut conn = sqlx::PgConnection::connect(base.trim()).await.expect("connect to PostgreSQL");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&mut conn)
        .await
        .expect("drop schema");
    conn.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_http_actions_loses_no_acknowledged_action() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (backend, db, schema) in databases(dir.path()).await {
        kill_and_restart(&backend, &db, dir.path()).await;
        if let Some(schema) = schema {
            drop_schema(&schema).await;
        }
    }
}

async fn kill_and_restart(backend: &str, db: &str, dir: &Path) {
    let server = Server::start(db, &dir.join(format!("{backend}-1.log"))).await;
    let zhang = Session::login(server.addr, "demo-zhangming", "demo-officer-1").await;
    let people = people(&zhang).await;
    let id_of = |name: &str| people.get(name).cloned().unwrap_or_else(|| panic!("{backend}: no {name}"));
    let (zhang_id, li_id, wang_id) = (id_of("张明"), id_of("李华"), id_of("王局长"));
    let item = penalty_item(&zhang).await;

    // The cases, opened by 张明 with 李华 and registered with the leader.
    let mut cases = Vec::new();
    for i in 0..CASES {
        let body = json!({ "item": item, "label": format!("断电测试-{i}"), "party": "unit", "with": [li_id], "at": "2026-11-10T09:00" });
        let opened = zhang.post("/api/cases", &body, StatusCode::CREATED).await.expect("open");
        let case = opened["id"].as_i64().expect("id");
        let register = json!({ "action": "register", "with": [li_id, wang_id], "at": "2026-11-10T10:00" });
        zhang.post(&format!("/api/cases/{case}/actions"), &register, StatusCode::OK).await.expect("register");
        cases.push(case);
    }

    // Closed-loop clients, each with its own session, going round the cases (so several
    // write to one case at once), each sending its next action only after the answer.
    let acked = Arc::new(AtomicUsize::new(0));
    let enough = Arc::new(tokio::sync::Notify::new());
    let mut clients = Vec::new();
    for k in 0..CLIENTS {
        let (user, password, name, other) = if k % 2 == 0 {
            ("demo-zhangming", "demo-officer-1", "张明", li_id.clone())
        } else {
            ("demo-lihua", "demo-officer-2", "李华", zhang_id.clone())
        };
        let session = Session::login(server.addr, user, password).await;
        let (cases, acked, enough) = (cases.clone(), Arc::clone(&acked), Arc::clone(&enough));
        clients.push(tokio::spawn(async move {
            let mut seen = Seen::default();
            let body = json!({ "action": "investigate", "evidence": ["书证"], "with": [other], "at": "2026-11-10T11:00" });
            for n in 0.. {
                let case = cases[(k + n) % cases.len()];
                match session.post(&format!("/api/cases/{case}/actions"), &body, StatusCode::OK).await {
                    Ok(applied) => {
                        assert_eq!(applied["case"].as_i64(), Some(case), "{applied}");
                        for seq in applied["events"].as_array().expect("events") {
                            let seq = seq.as_u64().expect("seq");
                            seen.acks.push(Ack { case, seq, by: name });
                        }
                        if acked.fetch_add(1, Ordering::SeqCst) + 1 == ACKS_BEFORE_KILL {
                            enough.notify_one();
                        }
                    }
                    Err(Failure::NoAnswer) => {
                        seen.unanswered = Some((case, name));
                        enough.notify_one();
                        return Ok(seen);
                    }
                    Err(Failure::Answer(answer)) => {
                        enough.notify_one();
                        return Err(format!("client {k} on case {case}: {answer}"));
                    }
                }
            }
            Ok(seen)
        }));
    }
    // The kill point is a count of acknowledgements, not a time. A client that ends before
    // it (a wrong answer, a server that died by itself) wakes the parent too; the count
    // below then fails.
    enough.notified().await;
    server.kill();
    let mut acks: Vec<Ack> = Vec::new();
    let mut unanswered: Vec<(i64, &str)> = Vec::new();
    for c in clients {
        let seen = c.await.expect("client task").unwrap_or_else(|e| panic!("{backend}: {e}"));
        acks.extend(seen.acks);
        unanswered.extend(seen.unanswered);
    }
    assert!(acks.len() >= ACKS_BEFORE_KILL, "{backend}: {} acknowledged", acks.len());

    // Restart on the same database.
    let server = Server::start(db, &dir.join(format!("{backend}-2.log"))).await;
    let zhang = Session::login(server.addr, "demo-zhangming", "demo-officer-1").await;
    let acked_at: HashMap<(i64, u64), &str> = acks.iter().map(|a| ((a.case, a.seq), a.by)).collect();
    assert_eq!(acked_at.len(), acks.len(), "{backend}: a seq acknowledged twice");
    let mut extra: BTreeMap<(i64, String), usize> = BTreeMap::new();
    for &case in &cases {
        let c = zhang.get(&format!("/api/cases/{case}")).await;
        let events = c["events"].as_array().expect("events");
        let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().expect("seq")).collect();
        assert_eq!(seqs, (1..=events.len() as u64).collect::<Vec<_>>(), "{backend}: case {case} has a gap");
        let actions: Vec<&str> = events.iter().map(|e| e["action"].as_str().unwrap_or("")).collect();
        assert_eq!(actions[..2], ["open", "register"], "{backend}: case {case}");
        for e in &events[2..] {
            let seq = e["seq"].as_u64().expect("seq");
            let by = e["by"][0].as_str().expect("by").to_string();
            assert_eq!(e["action"], "investigate", "{backend}: case {case} seq {seq}");
            assert_eq!(e["at"], "2026-11-10T11:00", "{backend}: case {case} seq {seq}");
            match acked_at.get(&(case, seq)) {
                Some(who) => assert_eq!(by, *who, "{backend}: case {case} seq {seq} acknowledged to {who}"),
                None => *extra.entry((case, by)).or_default() += 1,
            }
        }
        for a in acks.iter().filter(|a| a.case == case) {
            assert!(a.seq <= events.len() as u64, "{backend}: acknowledged {case}/{} is lost", a.seq);
        }
        // The head is whole: the case takes its next action at the next seq.
        let next = json!({ "action": "investigate", "evidence": ["书证"], "with": [li_id], "at": "2026-11-10T12:00" });
        let applied = zhang
            .post(&format!("/api/cases/{case}/actions"), &next, StatusCode::OK)
            .await
            .expect("act after restart");
        assert_eq!(applied["events"], json!([events.len() + 1]), "{backend}: case {case}");
    }
    // An event nobody was told about stands for a request that got no answer: at most one
    // per client, on the case and by the person that request named.
    let mut pending: BTreeMap<(i64, String), usize> = BTreeMap::new();
    for (case, by) in &unanswered {
        *pending.entry((*case, (*by).to_string())).or_default() += 1;
    }
    for (key, n) in &extra {
        assert!(
            pending.get(key).is_some_and(|p| p >= n),
            "{backend}: {n} unacknowledged events on case {} by {} but requests unanswered: {pending:?}",
            key.0,
            key.1
        );
    }
    server.kill();

    // Every chain verifies, and each listing row agrees with its log.
    let store = quanze_store::Store::open(db).await.expect("reopen the store");
    let v = quanze_casework::verify_store(&store).await.expect("verify");
    assert!(v.broken.is_empty(), "{backend}: {:?}", v.broken);
    for &case in &cases {
        let record = store.case(quanze_store::CaseId(case)).await.expect("read").expect("case");
        let events = store.case_events(quanze_store::CaseId(case)).await.expect("events");
        assert_eq!(record.head_seq, events.len() as u64, "{backend}: case {case}");
        assert_eq!(record.state, "investigating", "{backend}: case {case}");
    }
    println!(
        "kill_http {backend}: {} acknowledged, {} unanswered, {} applied without an answer, {} events verified",
        acks.len(),
        unanswered.len(),
        extra.values().sum::<usize>(),
        v.events
    );
    store.close().await;
}
