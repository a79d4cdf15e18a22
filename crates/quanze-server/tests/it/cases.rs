//! The case API over real HTTP on a SQLite file: demo officers open a case, act on it and
//! read it; the access policy and the engine's guards refuse with their code and articles;
//! every read (a refused one too) is in the read log; the list filters.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use quanze_model::{ChinaTime, Date, FixedClock};
use quanze_store::{Page, PersonInput, PersonRole};
use serde_json::{Value, json};

use crate::browser::start_server;
use crate::common::{Env, Resp, SEED_002, env_with};

/// The day the tests run on: after the demo cases (October and November 2026).
pub(crate) const TODAY: (i32, u32, u32) = (2026, 11, 10);
/// The time of day the tests run at (the read log keeps the minute).
pub(crate) const NOW: (u16, u16) = (9, 30);

/// A server on a new SQLite file with the 汤阴 list published and the demo loaded (people
/// with logins, demo cases), on a fixed day.
pub(crate) async fn demo_env() -> Env {
    let day = Date::new(TODAY.0, TODAY.1, TODAY.2).expect("date");
    let e = env_with(|c| {
        c.seed = false;
        c.clock = Arc::new(FixedClock(ChinaTime::at(day, NOW.0, NOW.1).expect("time")));
    })
    .await;
    let store = e.state.store();
    let catalog = quanze_import::import_bytes("002_986fb97279c273a7.txt", SEED_002, &Default::default())
        .expect("import");
    let (_, stored) = store.import_catalog(&catalog, None).await.expect("store the list");
    store.publish_version(stored.version.id, None).await.expect("publish");
    quanze_casework::demo::load_demo(store, &catalog).await.expect("demo");
    e.state.refresh().await.expect("refresh");
    e
}

/// A client of a server listening on loopback.
pub(crate) struct Http {
    pub addr: SocketAddr,
    client: hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, Body>,
}

/// A logged-in person: the session cookie and the CSRF token.
#[derive(Clone)]
pub(crate) struct As {
    pub cookie: String,
    pub csrf: String,
}

impl Http {
    pub(crate) async fn start(e: &Env) -> Http {
        let addr = start_server(e).await;
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
        Http { addr, client }
    }

    pub(crate) async fn send(&self, req: Request<Body>) -> Resp {
        let (mut parts, body) = req.into_parts();
        let uri = format!("http://{}{}", self.addr, parts.uri);
        parts.uri = uri.parse().expect("uri");
        let resp = self.client.request(Request::from_parts(parts, body)).await.expect("HTTP request");
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.into_body().collect().await.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
        Resp { status, headers, body }
    }

    pub(crate) async fn login(&self, user: &str, password: &str) -> As {
        let body = json!({ "username": user, "password": password }).to_string();
        let r = self
            .send(
                Request::post("/api/session")
                    .header("content-type", "application/json")
                    .body(Body::from(body))
                    .expect("request"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{user}: {}", r.text());
        let token = r.cookie("quanze_session").expect("session cookie");
        As {
            cookie: format!("quanze_session={token}"),
            csrf: r.json()["csrf_token"].as_str().expect("csrf").into(),
        }
    }

    pub(crate) async fn get(&self, who: &As, path: &str) -> Resp {
        self.send(Request::get(path).header("cookie", &who.cookie).body(Body::empty()).expect("request"))
            .await
    }

    pub(crate) async fn post(&self, who: &As, path: &str, body: Value) -> Resp {
        self.send(
            Request::post(path)
                .header("cookie", &who.cookie)
                .header("x-csrf-token", &who.csrf)
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .expect("request"),
        )
        .await
    }
}

/// The person id of a demo person, by name.
pub(crate) async fn person_id(e: &Env, name: &str) -> String {
    let people = e.state.store().people(None).await.expect("people");
    people.iter().find(|p| p.name == name).map(|p| p.id.0.to_string()).unwrap_or_else(|| panic!("no {name}"))
}

/// The id of the item with 序号 `seq` in the published 汤阴 list.
pub(crate) async fn item_id(e: &Env, seq: u32) -> i64 {
    let store = e.state.store();
    let bureau = store.bureau_by_name("汤阴县医疗保障局").await.expect("read").expect("bureau");
    let version = store.current_version(bureau.id).await.expect("read").expect("version");
    let items = store.items(version.id, Page::all()).await.expect("items").rows;
    items.iter().find(|i| i.summary.seq == Some(seq)).map(|i| i.summary.id.0).expect("item")
}

/// The id of the first item of the published 汤阴 list that runs on the service procedure
/// (给付, 确认, 公共服务…).
pub(crate) async fn service_item_id(e: &Env) -> i64 {
    let store = e.state.store();
    let bureau = store.bureau_by_name("汤阴县医疗保障局").await.expect("read").expect("bureau");
    let version = store.current_version(bureau.id).await.expect("read").expect("version");
    let items = store.items(version.id, Page::all()).await.expect("items").rows;
    items
        .iter()
        .find(|i| quanze_case::procedure::procedure_id_for(i.item.category) == "service")
        .map(|i| i.summary.id.0)
        .expect("a service item")
}

/// Another officer of the bureau (钱外), with a login, on no case: (login, password).
pub(crate) async fn outsider(e: &Env) -> (String, String) {
    let store = e.state.store();
    let bureau = store.bureau_by_name("汤阴县医疗保障局").await.expect("read").expect("bureau");
    let p = store
        .add_person(&PersonInput {
            bureau: Some(bureau.id),
            name: "钱外".into(),
            role: PersonRole::Officer,
            posts: vec!["调查岗".into()],
            office: "基金监管股".into(),
            certificate: Some("豫医保0099".into()),
            certificate_until: None,
        })
        .await
        .expect("person");
    let u = store.create_user("qian", "qian-password-1", &[]).await.expect("user");
    store.link_person_user(p.id, Some(u.id)).await.expect("link");
    ("qian".into(), "qian-password-1".into())
}

fn refusal(r: &Resp) -> (String, Vec<String>, String) {
    assert!(r.is_problem(), "{} {}", r.status, r.text());
    let j = r.json();
    let articles =
        j["articles"].as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect());
    (
        j["code"].as_str().unwrap_or("").to_string(),
        articles.unwrap_or_default(),
        j["detail"].as_str().unwrap_or("").into(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_opens_acts_and_reads_a_case_and_refusals_name_their_article() {
    let e = demo_env().await;
    let http = Http::start(&e).await;
    let zhang = http.login("demo-zhangming", "demo-officer-1").await;
    let (li, wang) = (person_id(&e, "李华").await, person_id(&e, "王局长").await);
    let item = item_id(&e, 5).await;

    // Without the CSRF header a cookie session cannot write.
    let r = http
        .send(
            Request::post("/api/cases")
                .header("cookie", &zhang.cookie)
                .header("content-type", "application/json")
                .body(Body::from(json!({ "item": item }).to_string()))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());

    let r = http
        .post(&zhang, "/api/cases", json!({ "item": item, "label": "测试-1", "party": "unit", "with": [li], "at": "2026-11-10T09:00" }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().expect("id");
    let case = format!("/api/cases/{id}");

    // 立案 without a leader: the access policy refuses, 403, with its article.
    let r =
        http.post(&zhang, &format!("{case}/actions"), json!({ "action": "register", "with": [li] })).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let (code, articles, detail) = refusal(&r);
    assert_eq!(code, "access_needs_leader");
    assert_eq!(articles, vec!["行政处罚法 第五十四条".to_string()]);
    assert!(detail.contains("负责人"), "{detail}");

    // With the leader it applies.
    let r = http
        .post(
            &zhang,
            &format!("{case}/actions"),
            json!({ "action": "register", "with": [li, wang], "at": "2026-11-10T10:00" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["state"], "investigating", "{}", r.text());

    // Evidence taken by one officer alone: the engine's guard, 422, 第四十二条.
    let r = http
        .post(
            &zhang,
            &format!("{case}/actions"),
            json!({ "action": "investigate", "evidence": ["书证"], "at": "2026-11-10T11:00" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let (code, articles, _) = refusal(&r);
    assert_eq!(code, "officers_penalty");
    assert_eq!(articles, vec!["行政处罚法 第四十二条".to_string()]);
    // An action the state does not allow: 409.
    let r = http
        .post(
            &zhang,
            &format!("{case}/actions"),
            json!({ "action": "serve", "method": "direct", "with": [li] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert_eq!(refusal(&r).0, "state_not_allowed");
    // A key the action does not take is a bad request, not a refusal.
    let r = http
        .post(&zhang, &format!("{case}/actions"), json!({ "action": "investigate", "colour": "red" }))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());

    // With the second officer it applies.
    let r = http
        .post(
            &zhang,
            &format!("{case}/actions"),
            json!({ "action": "investigate", "evidence": ["书证", "现场笔录"], "with": [li], "at": "2026-11-10T11:00" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    // The case: its timeline with who and which duty, its deadlines with articles, the
    // actions possible now.
    let r = http.get(&zhang, &case).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let c = r.json();
    assert_eq!(c["label"], "测试-1");
    assert_eq!(c["state"], "investigating");
    let events = c["events"].as_array().expect("events");
    assert_eq!(
        events.iter().map(|e| e["action"].as_str().unwrap_or("")).collect::<Vec<_>>(),
        ["open", "register", "investigate"]
    );
    assert_eq!(events[2]["by"], json!(["张明", "李华"]));
    assert_eq!(events[2]["at"], "2026-11-10T11:00");
    assert!(events.iter().any(|e| e["duty_stage"].is_string()), "{c}");
    let deadlines = c["deadlines"].as_array().expect("deadlines");
    assert!(!deadlines.is_empty());
    assert!(deadlines.iter().all(|d| !d["articles"].as_array().expect("articles").is_empty()), "{c}");
    let actions: Vec<&str> =
        c["actions"].as_array().expect("actions").iter().filter_map(|a| a["id"].as_str()).collect();
    assert!(actions.contains(&"investigate") && actions.contains(&"conclude"), "{actions:?}");
    assert!(!actions.contains(&"legal_review"), "an officer does not review: {actions:?}");
    assert!(!actions.contains(&"serve"), "{actions:?}");

    // The OpenAPI document has the case API.
    let doc = http.get(&zhang, "/api/openapi.json").await.json();
    for p in ["/api/cases", "/api/cases/{id}", "/api/cases/{id}/actions", "/api/cases/{id}/documents"] {
        assert!(doc["paths"][p].is_object(), "{p} not in the OpenAPI document");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_not_on_the_case_is_refused_and_the_attempt_is_in_the_read_log() {
    let e = demo_env().await;
    let http = Http::start(&e).await;
    let zhang = http.login("demo-zhangming", "demo-officer-1").await;
    let (user, password) = outsider(&e).await;
    let qian = http.login(&user, &password).await;
    let documented = e
        .state
        .store()
        .case_by_label(
            e.state.store().bureau_by_name("汤阴县医疗保障局").await.expect("read").expect("bureau").id,
            quanze_casework::demo::DOCUMENTED_CASE,
        )
        .await
        .expect("read")
        .expect("demo case");
    let case = format!("/api/cases/{}", documented.id.0);

    for path in [case.clone(), format!("{case}/documents"), format!("{case}/dossier")] {
        let r = http.get(&qian, &path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.text());
        let (code, articles, detail) = refusal(&r);
        assert_eq!(code, "access_not_on_case", "{path}");
        assert!(articles.iter().any(|a| a.contains("个人信息保护法")), "{articles:?}");
        assert!(detail.contains("不是本案的承办人员"), "{detail}");
    }
    // The console's case page too: 403 with the reason and the articles.
    let page = http.get(&qian, &format!("/cases/{}", documented.id.0)).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(
        page.text().contains("不是本案的承办人员") && page.text().contains("个人信息保护法"),
        "{}",
        page.text()
    );
    // Acting is refused too.
    let r = http.post(&qian, &format!("{case}/actions"), json!({ "action": "close" })).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    // The case's own officer reads it and its documents, with 文号.
    let r = http.get(&zhang, &format!("{case}/documents")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let docs = r.json();
    let decision = docs
        .as_array()
        .expect("docs")
        .iter()
        .find(|d| d["doc_type"] == "penalty_decision")
        .expect("decision");
    assert_eq!(decision["doc_no"], "汤医保罚〔2026〕1号");
    let r = http.get(&zhang, &format!("{case}/documents/{}", decision["id"])).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("汤医保罚〔2026〕1号"));

    // Officers do not read the log; the supervisor does, refused attempts included.
    let r = http.get(&zhang, &format!("{case}/reads")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let sun = http.login("demo-sun", "demo-supervisor-1").await;
    let r = http.get(&sun, &format!("{case}/reads")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let log = r.json();
    let rows = log.as_array().expect("rows");
    let refused: Vec<&Value> = rows.iter().filter(|r| r["allowed"] == false).collect();
    assert_eq!(refused.len(), 4, "{log}");
    assert!(refused.iter().all(|r| r["who"] == "钱外" && r["refusal_code"] == "access_not_on_case"), "{log}");
    assert!(
        rows.iter().any(|r| r["who"] == "张明" && r["purpose"] == "document" && r["allowed"] == true),
        "{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_is_filtered_by_bureau_officer_state_and_due_date() {
    let e = demo_env().await;
    let http = Http::start(&e).await;
    let zhang = http.login("demo-zhangming", "demo-officer-1").await;
    let wang = http.login("demo-wang", "demo-leader-1").await;
    let all = http.get(&wang, "/api/cases?limit=500").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text());
    let all = all.json();
    let total = all["total"].as_u64().expect("total");
    assert!(total >= 3, "{all}");
    // Nearest deadline first, cases without one last.
    let dues: Vec<Option<&str>> =
        all["cases"].as_array().expect("cases").iter().map(|c| c["next_due"].as_str()).collect();
    let mut sorted = dues.clone();
    sorted.sort_by_key(|d| (d.is_none(), *d));
    assert_eq!(dues, sorted);

    // By state: every row has it, and the count is the count of that state.
    let state = all["cases"][0]["state"].as_str().expect("state").to_string();
    let by_state = http.get(&wang, &format!("/api/cases?state={state}&limit=500")).await.json();
    let expected =
        all["cases"].as_array().expect("cases").iter().filter(|c| c["state"] == state.as_str()).count();
    assert_eq!(by_state["total"].as_u64(), Some(expected as u64));
    // By officer: 周律 (the legal reviewer) is on fewer cases than the bureau has.
    let zhou = person_id(&e, "周律").await;
    let by_officer = http.get(&wang, &format!("/api/cases?officer={zhou}&limit=500")).await.json();
    assert!(by_officer["total"].as_u64().expect("total") < total, "{by_officer}");
    // By due date: every listed case has an open deadline on or before it.
    let by_due = http.get(&wang, "/api/cases?due_by=2026-11-10&limit=500").await.json();
    for c in by_due["cases"].as_array().expect("cases") {
        assert!(c["next_due"].as_str().is_some_and(|d| d <= "2026-11-10"), "{c}");
    }
    assert!(by_due["total"].as_u64().expect("total") < total, "{by_due}");
    // Another bureau: nothing.
    let other = http.get(&wang, "/api/cases?bureau=999999").await.json();
    assert_eq!(other["total"], 0);
    // Paging.
    let page = http.get(&wang, "/api/cases?limit=1&offset=1").await.json();
    assert_eq!(page["cases"].as_array().map(Vec::len), Some(1));
    assert_eq!(page["cases"][0]["id"], all["cases"][1]["id"]);
    // An officer sees only their own cases.
    let mine = http.get(&zhang, "/api/cases?limit=500").await.json();
    assert!(mine["total"].as_u64().expect("total") <= total);
    // Bad filters are 400 problems; without a login, 401.
    assert_eq!(http.get(&wang, "/api/cases?due_by=tomorrow").await.status, StatusCode::BAD_REQUEST);
    let anon = http.send(Request::get("/api/cases").body(Body::empty()).expect("request")).await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    assert!(anon.is_problem());
}

/// One action through the API; panics with the answer unless it applied.
async fn step(http: &Http, who: &As, case: &str, body: Value) -> Value {
    let r = http.post(who, &format!("{case}/actions"), body.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{body}: {}", r.text());
    r.json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_penalty_case_runs_from_clue_to_closing_with_a_hearing_presided_by_a_non_investigator() {
    let e = demo_env().await;
    let http = Http::start(&e).await;
    let zhang = http.login("demo-zhangming", "demo-officer-1").await;
    let wang_login = http.login("demo-wang", "demo-leader-1").await;
    let zhou_login = http.login("demo-zhoulv", "demo-reviewer-1").await;
    let (user, password) = outsider(&e).await;
    let qian_login = http.login(&user, &password).await;
    let (li, wang, qian) =
        (person_id(&e, "李华").await, person_id(&e, "王局长").await, person_id(&e, "钱外").await);
    let item = item_id(&e, 5).await;
    let r = http
        .post(
            &zhang,
            "/api/cases",
            json!({ "item": item, "party": "unit", "with": [li], "at": "2026-11-10T09:00" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let case = format!("/api/cases/{}", r.json()["id"]);
    step(&http, &zhang, &case, json!({ "action": "register", "with": [li, wang], "at": "2026-11-10T10:00" }))
        .await;
    step(&http, &zhang, &case, json!({ "action": "investigate", "evidence": ["书证", "当事人的陈述"], "with": [li], "at": "2026-11-11T09:00" })).await;
    step(&http, &zhang, &case, json!({ "action": "conclude", "with": [li], "at": "2026-11-12T09:00" })).await;
    step(
        &http,
        &zhou_login,
        &case,
        json!({ "action": "legal_review", "opinion": "同意", "at": "2026-11-13T09:00" }),
    )
    .await;
    let notified = step(
        &http,
        &zhang,
        &case,
        json!({ "action": "notify", "fine_yuan": 60000, "base_yuan": 30000, "with": [li], "at": "2026-11-16T09:00" }),
    )
    .await;
    assert!(!notified["documents"].as_array().expect("docs").is_empty(), "{notified}");
    step(&http, &zhang, &case, json!({ "action": "request_hearing", "at": "2026-11-17T09:00" })).await;
    // An investigator may not preside; an officer who did not investigate, put on the case
    // by the leader, does.
    let r = http
        .post(
            &zhang,
            &format!("{case}/actions"),
            json!({ "action": "hold_hearing", "presider": "张明", "at": "2026-11-27T09:00" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(refusal(&r).0, "hearing_presider_investigator");
    let r = http
        .post(&zhang, &format!("{case}/assignments"), json!({ "person": qian, "duty": "presider" }))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "only a leader assigns: {}", r.text());
    let r = http
        .post(&wang_login, &format!("{case}/assignments"), json!({ "person": qian, "duty": "presider" }))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    step(
        &http,
        &qian_login,
        &case,
        json!({ "action": "hold_hearing", "presider": "钱外", "at": "2026-11-27T09:00" }),
    )
    .await;
    step(
        &http,
        &wang_login,
        &case,
        json!({ "action": "decide", "decision": "penalty", "fine_yuan": 60000, "base_yuan": 30000, "with": [], "at": "2026-11-30T09:00" }),
    )
    .await;
    step(
        &http,
        &zhang,
        &case,
        json!({ "action": "serve", "method": "direct", "with": [li], "at": "2026-11-30T15:00" }),
    )
    .await;
    step(
        &http,
        &zhang,
        &case,
        json!({ "action": "pay", "amount_yuan": 60000, "receipt": "演示票据1", "at": "2026-12-07T09:00" }),
    )
    .await;
    let closed =
        step(&http, &zhang, &case, json!({ "action": "close", "with": [wang], "at": "2026-12-08T09:00" }))
            .await;
    assert_eq!(closed["state"], "closed", "{closed}");
    // The documents carry their 文号; the decision is the bureau's second of 2026 (the demo
    // issued the first).
    let docs = http.get(&zhang, &format!("{case}/documents")).await.json();
    let decision = docs
        .as_array()
        .expect("docs")
        .iter()
        .find(|d| d["doc_type"] == "penalty_decision")
        .expect("decision");
    assert_eq!(decision["doc_no"], "汤医保罚〔2026〕2号", "{docs}");
    let dossier = http.get(&zhang, &format!("{case}/dossier")).await;
    assert_eq!(dossier.status, StatusCode::OK);
    assert!(dossier.text().contains("汤医保罚〔2026〕2号"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_application_received_incomplete_is_told_the_missing_material_once_then_accepted_and_approved()
 {
    let e = demo_env().await;
    let http = Http::start(&e).await;
    let zhang = http.login("demo-zhangming", "demo-officer-1").await;
    let wang = person_id(&e, "王局长").await;
    let item = service_item_id(&e).await;
    let r = http
        .post(
            &zhang,
            "/api/cases",
            json!({ "item": item, "party": "individual", "complete": false, "missing": ["身份证复印件"], "at": "2026-11-10T09:00" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let case = format!("/api/cases/{}", r.json()["id"]);
    let c = http.get(&zhang, &case).await.json();
    let actions: Vec<&str> =
        c["actions"].as_array().expect("actions").iter().filter_map(|a| a["id"].as_str()).collect();
    // Received incomplete, the missing material was told at once (一次性告知补正): the
    // actions possible now no longer offer telling it again, and asking anyway is refused
    // with its code.
    assert!(actions.contains(&"accept") && !actions.contains(&"request_materials"), "{actions:?}");
    assert_eq!(c["state"], "incomplete", "{c}");
    let r = http
        .post(
            &zhang,
            &format!("{case}/actions"),
            json!({ "action": "request_materials", "missing": ["户口簿"], "at": "2026-11-11T09:00" }),
        )
        .await;
    assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::CONFLICT, "{}", r.text());
    assert_eq!(refusal(&r).0, "materials_once");
    step(&http, &zhang, &case, json!({ "action": "accept", "at": "2026-11-12T09:00" })).await;
    step(&http, &zhang, &case, json!({ "action": "review", "at": "2026-11-13T09:00" })).await;
    // 准予 is approved by a leader.
    let r = http
        .post(&zhang, &format!("{case}/actions"), json!({ "action": "approve", "at": "2026-11-16T09:00" }))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(refusal(&r).0, "access_needs_leader");
    let approved =
        step(&http, &zhang, &case, json!({ "action": "approve", "with": [wang], "at": "2026-11-16T09:00" }))
            .await;
    assert_eq!(approved["state"], "approved", "{approved}");
    let events: Vec<String> = http.get(&zhang, &case).await.json()["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["action"].as_str().map(String::from))
        .collect();
    assert_eq!(events, ["open", "accept", "review", "approve"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_shows_the_leader_an_assignment_form_and_the_officer_none() {
    let e = demo_env().await;
    let http = Http::start(&e).await;
    let zhang = http.login("demo-zhangming", "demo-officer-1").await;
    let wang = http.login("demo-wang", "demo-leader-1").await;
    let bureau = e.state.store().bureau_by_name("汤阴县医疗保障局").await.expect("read").expect("bureau");
    let case = e
        .state
        .store()
        .case_by_label(bureau.id, quanze_casework::demo::DOCUMENTED_CASE)
        .await
        .expect("read")
        .expect("case");
    let path = format!("/cases/{}", case.id.0);
    let officer_page = http.get(&zhang, &path).await;
    assert_eq!(officer_page.status, StatusCode::OK);
    assert!(!officer_page.text().contains("id=\"assign\""));
    assert!(officer_page.text().contains("办理记录"));
    let leader_page = http.get(&wang, &path).await;
    assert!(leader_page.text().contains("id=\"assign\""), "{}", leader_page.text());
    // A form post without the session's CSRF token is refused.
    let r = http
        .send(
            Request::post(format!("{path}/assign"))
                .header("cookie", &wang.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("person=1&duty=other"))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let qian = person_id(&e, "李华").await;
    let r = http
        .send(
            Request::post(format!("{path}/assign"))
                .header("cookie", &wang.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!("csrf={}&person={qian}&duty=other", wang.csrf)))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // Without a login the console sends to the login form.
    let anon = http.send(Request::get("/cases").body(Body::empty()).expect("request")).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert_eq!(anon.headers.get("location").and_then(|v| v.to_str().ok()), Some("/login"));
}
