//! 行政执法公示 over HTTP: the public list and page (no login) show published decisions only,
//! a natural person's name and identifiers masked in every response (asserted on the raw
//! bodies); retraction is a leader's action with a reason, refused with the article when
//! late (行政处罚法 第四十八条), and a retracted decision shows only its retraction.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use quanze_case::{Action, At, Command, DecisionKind, Party};
use quanze_casework::documents::DocumentSet;
use quanze_casework::service::person_ref;
use quanze_casework::{ActResult, CaseService, Officer};
use quanze_model::{ChinaTime, Date};
use quanze_store::{NewPublication, Page, PublicationId};
use serde_json::json;

use crate::cases::{As, Http, demo_env};
use crate::common::{Env, Resp};

/// The natural person of the test decision, and what must never be public of them.
pub(crate) const PERSON: &str = "赵铁柱";
pub(crate) const ID_NUMBER: &str = "410523199001011234";
pub(crate) const PHONE: &str = "13812345678";
const SECRETS: [&str; 4] = [PERSON, "199001011234", PHONE, "铁柱"];

fn at(date: &str, minute: u16) -> At {
    At { date: Date::parse(date).expect("date"), minute: Some(minute) }
}

/// A penalty decision against a natural person (赵铁柱), played through the officers' own
/// path with documents, decided on 2026-11-04 and so published at once; the publication's id.
pub(crate) async fn individual_decision(e: &Env) -> i64 {
    let store = e.state.store();
    let bureau = store.bureau_by_name("汤阴县医疗保障局").await.expect("read").expect("bureau");
    let people = store.people(Some(bureau.id)).await.expect("people");
    let find = |n: &str| people.iter().find(|p| p.name == n).cloned().unwrap_or_else(|| panic!("no {n}"));
    let (zhang, li, wang, zhou) = (find("张明"), find("李华"), find("王局长"), find("周律"));
    let version = store.current_version(bureau.id).await.expect("read").expect("version");
    let items = store.items(version.id, Page::all()).await.expect("items").rows;
    let item = items.iter().find(|i| i.summary.seq == Some(5)).expect("item 5");
    let service = CaseService::new(store.clone()).await.expect("service");
    service.set_documents(Some(std::sync::Arc::new(DocumentSet::shipped().expect("documents"))));
    let (o_zhang, o_wang, o_zhou) =
        (Officer::person(zhang.clone()), Officer::person(wang.clone()), Officer::person(zhou.clone()));
    let ids = |ps: &[&quanze_store::Person]| ps.iter().map(|p| person_ref(p.id)).collect::<Vec<_>>();
    let cmd = |when: At, by: Vec<String>, action: Action| Command { at: when, by, action };
    let opened = service
        .open_case_as(
            &o_zhang,
            bureau.id,
            version.id,
            item.summary.id,
            "测试-个人冒名就医",
            cmd(
                at("2026-10-19", 9 * 60),
                ids(&[&zhang, &li]),
                Action::Open {
                    item: Some("5".into()),
                    party: Party::Individual,
                    complete: None,
                    missing: Vec::new(),
                },
            ),
        )
        .await
        .expect("open");
    let ActResult::Applied { case, .. } = opened else { panic!("not opened: {opened:?}") };
    let particulars = json!({
        "party": {"kind": "individual", "name": PERSON, "id_number": ID_NUMBER, "phone": PHONE,
                  "address": "汤阴县测试路 2 号"},
        "facts": {
            "violation": format!("{PERSON}（身份证号{ID_NUMBER}，电话{PHONE}）2026年3月冒用他人医保凭证就医，结算医保基金3,000.00元"),
            "violated": "《医疗保障基金使用监督管理条例》第十九条",
            "evidence": "结算明细、询问笔录"
        }
    });
    service
        .set_particulars(
            &o_zhang,
            case,
            &particulars,
            ChinaTime { date: Date::parse("2026-10-19").expect("d"), minute: 540 },
        )
        .await
        .expect("particulars");
    let steps: Vec<(&Officer, Command)> = vec![
        (&o_wang, cmd(at("2026-10-20", 540), ids(&[&zhang, &li, &wang]), Action::Register {})),
        (
            &o_zhang,
            cmd(
                at("2026-10-21", 600),
                ids(&[&zhang, &li]),
                Action::Investigate { evidence: vec!["书证".into(), "当事人的陈述".into()] },
            ),
        ),
        (&o_zhang, cmd(at("2026-10-26", 540), ids(&[&zhang, &li]), Action::Conclude { major: false })),
        (&o_zhou, cmd(at("2026-10-27", 540), ids(&[&zhou]), Action::LegalReview { opinion: "同意".into() })),
        (
            &o_zhang,
            cmd(
                at("2026-10-28", 540),
                ids(&[&zhang, &li]),
                Action::Notify { fine_fen: Some(200_000), base_fen: Some(100_000) },
            ),
        ),
        (&o_zhang, cmd(at("2026-10-29", 540), ids(&[&zhang]), Action::Waive {})),
        (
            &o_wang,
            cmd(
                at("2026-11-04", 540),
                ids(&[&wang, &zhang]),
                Action::Decide {
                    decision: DecisionKind::Penalty,
                    fine_fen: Some(200_000),
                    base_fen: Some(100_000),
                },
            ),
        ),
    ];
    for (officer, c) in steps {
        let action = c.action.id();
        match service.act_as(officer, case, c).await.expect("act") {
            ActResult::Applied { .. } => {}
            ActResult::Refused { refusal, .. } => panic!("{action} refused: {}", refusal.message),
        }
    }
    let pubs = store.case_publications(case).await.expect("publications");
    assert_eq!(pubs.len(), 1, "the decision is published");
    assert!(pubs[0].published_at.is_some());
    pubs[0].id.0
}

/// The demo's decision (a unit, decided 2026-11-02): its publication id.
async fn unit_decision(e: &Env) -> i64 {
    let store = e.state.store();
    let bureau = store.bureau_by_name("汤阴县医疗保障局").await.expect("read").expect("bureau");
    let case = store
        .case_by_label(bureau.id, quanze_casework::demo::DOCUMENTED_CASE)
        .await
        .expect("read")
        .expect("demo case");
    store.case_publications(case.id).await.expect("publications")[0].id.0
}

fn assert_masked(r: &Resp, what: &str) {
    let body = r.text();
    for s in SECRETS {
        assert!(!body.contains(s), "{what} shows {s}: {body}");
    }
}

async fn anon(http: &Http, path: &str) -> Resp {
    http.send(Request::get(path).body(Body::empty()).expect("request")).await
}

#[tokio::test]
async fn the_public_sees_published_decisions_newest_first_with_a_person_masked() {
    let e = demo_env().await;
    let person = individual_decision(&e).await;
    let unit = unit_decision(&e).await;
    let http = Http::start(&e).await;

    let list = anon(&http, "/api/publications").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    assert_masked(&list, "the list API");
    let j = list.json();
    assert_eq!(j["total"], 2);
    // Newest first: the person's decision (published 2026-11-04) before the demo's (11-02).
    let ids: Vec<i64> =
        j["publications"].as_array().expect("rows").iter().map(|p| p["id"].as_i64().expect("id")).collect();
    assert_eq!(ids, vec![person, unit]);
    let p = &j["publications"][0];
    assert_eq!((p["party"].as_str(), p["party_kind"].as_str()), (Some("赵**"), Some("individual")));
    assert!(p["violation"].as_str().expect("violation").contains("410523********1234"), "{p}");
    assert_eq!(p["credit_code"], "");
    assert_eq!(p["decided_on"], "2026-11-04");
    assert_eq!(j["publications"][1]["party"], "（演示）汤阴县某某大药房", "a unit is not masked");

    let paged = anon(&http, "/api/publications?limit=1&offset=1").await.json();
    assert_eq!((paged["total"].as_i64(), paged["publications"][0]["id"].as_i64()), (Some(2), Some(unit)));
    let bureau = e.bureau_id("汤阴");
    let other =
        e.state.store().list_bureaus().await.expect("bureaus").into_iter().find(|b| b.bureau.id.0 != bureau);
    if let Some(o) = other {
        let none = anon(&http, &format!("/api/publications?bureau={}", o.bureau.id.0)).await.json();
        assert_eq!(none["total"], 0, "another bureau has no decisions");
    }
    assert_eq!(anon(&http, &format!("/api/publications?bureau={bureau}")).await.json()["total"], 2);
    assert_eq!(anon(&http, "/api/publications?bureau=x").await.status, StatusCode::BAD_REQUEST);

    let one = anon(&http, &format!("/api/publications/{person}")).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_masked(&one, "the decision API");
    assert_eq!(one.json()["status"], "published");

    let page = anon(&http, "/publications").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_masked(&page, "the list page");
    let html = page.text();
    assert!(
        html.contains("行政执法公示") && html.contains("赵**") && html.contains("汤阴县某某大药房"),
        "{html}"
    );
    assert!(
        html.find(&format!("/publications/{person}")) < html.find(&format!("/publications/{unit}")),
        "newest first"
    );
    let detail = anon(&http, &format!("/publications/{person}")).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert_masked(&detail, "the decision page");
    assert!(detail.text().contains("410523********1234"), "{}", detail.text());
    assert!(!detail.text().contains("撤回公示"), "no retraction link for the public");

    // The portal's menu links the publications.
    assert!(anon(&http, "/").await.text().contains("href=\"/publications\""));
    // The OpenAPI document names the routes.
    let doc = anon(&http, "/api/openapi.json").await.json();
    for path in ["/api/publications", "/api/publications/{id}", "/api/publications/{id}/retract"] {
        assert!(doc["paths"].get(path).is_some(), "{path} in the OpenAPI document");
    }
}

#[tokio::test]
async fn a_decision_never_published_is_not_found_and_not_listed() {
    let e = demo_env().await;
    let store = e.state.store();
    let bureau = store.bureau_by_name("汤阴县医疗保障局").await.expect("read").expect("bureau");
    let case = store
        .case_by_label(bureau.id, quanze_casework::demo::DOCUMENTED_CASE)
        .await
        .expect("read")
        .expect("case");
    let waiting = store
        .add_publication(&NewPublication {
            case: case.id,
            document: None,
            decided_on: Date::parse("2026-11-05").expect("date"),
            due: Date::parse("2026-11-16"),
            published_at: None,
            body: json!({"party": "钱未公", "party_kind": "individual", "violation": "未公开的决定"})
                .to_string(),
        })
        .await
        .expect("waiting publication");
    let http = Http::start(&e).await;
    for path in [format!("/api/publications/{}", waiting.id.0), format!("/publications/{}", waiting.id.0)] {
        let r = anon(&http, &path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.text().contains("钱未公") && !r.text().contains("未公开的决定"), "{path}: {}", r.text());
    }
    for path in ["/api/publications", "/publications"] {
        let r = anon(&http, path).await;
        assert!(!r.text().contains("未公开的决定") && !r.text().contains("钱"), "{path}: {}", r.text());
    }
    assert_eq!(anon(&http, "/publications/99999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(anon(&http, "/publications/abc").await.status, StatusCode::BAD_REQUEST);
}

async fn retract_api(http: &Http, who: Option<&As>, id: i64, reason: &str, changed_on: &str) -> Resp {
    let mut req =
        Request::post(format!("/api/publications/{id}/retract")).header("content-type", "application/json");
    if let Some(w) = who {
        req = req.header("cookie", &w.cookie).header("x-csrf-token", &w.csrf);
    }
    let body = json!({"reason": reason, "changed_on": changed_on}).to_string();
    http.send(req.body(Body::from(body)).expect("request")).await
}

#[tokio::test]
async fn retraction_is_a_leaders_action_with_a_reason_refused_with_the_article_when_late() {
    let e = demo_env().await;
    let person = individual_decision(&e).await;
    let unit = unit_decision(&e).await;
    let http = Http::start(&e).await;
    let wang = http.login("demo-wang", "demo-leader-1").await;
    let zhang = http.login("demo-zhangming", "demo-officer-1").await;

    // Nobody, an officer, a wrong token: refused before anything is read.
    assert_eq!(
        retract_api(&http, None, person, "复议撤销", "2026-11-09").await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = retract_api(&http, Some(&zhang), person, "复议撤销", "2026-11-09").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert!(r.is_problem() && r.json()["detail"].as_str().expect("detail").contains("负责人"));
    let forged = As { cookie: wang.cookie.clone(), csrf: "0".repeat(64) };
    assert_eq!(
        retract_api(&http, Some(&forged), person, "复议撤销", "2026-11-09").await.status,
        StatusCode::FORBIDDEN
    );

    // A reason is required, and a date the three working days run from.
    let r = retract_api(&http, Some(&wang), person, "  ", "2026-11-09").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["detail"].as_str().expect("detail").contains("第四十八条"));
    assert_eq!(
        retract_api(&http, Some(&wang), person, "复议撤销", "下周").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        retract_api(&http, Some(&wang), person, "复议撤销", "2026-11-11").await.status,
        StatusCode::BAD_REQUEST,
        "a future day"
    );

    // Late: the demo's decision changed on 2026-11-02 (Monday) had until 11-05; today is 11-10.
    let r = retract_api(&http, Some(&wang), unit, "行政复议决定撤销", "2026-11-02").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let j = r.json();
    assert_eq!(j["code"], "retract_late");
    assert!(j["articles"].as_array().expect("articles").iter().any(|a| a == "行政处罚法 第四十八条"), "{j}");
    assert!(j["detail"].as_str().expect("detail").contains("2026-11-05"), "the last day is named: {j}");
    // The form says the same, with the article.
    let form = http
        .send(
            Request::post(format!("/publication/{unit}/retract"))
                .header("cookie", &wang.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "csrf={}&changed_on=2026-11-02&reason=%E6%92%A4%E9%94%80",
                    wang.csrf
                )))
                .expect("request"),
        )
        .await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        form.text().contains("行政处罚法 第四十八条") && form.text().contains("retract_late"),
        "{}",
        form.text()
    );
    assert_eq!(
        anon(&http, &format!("/api/publications/{unit}")).await.json()["status"],
        "published",
        "not retracted"
    );

    // In time (changed on 11-09, until 11-12): retracted; the public sees only that it was,
    // when and why, the reason masked too.
    let reason = format!("{PERSON}申请行政复议，原处罚决定已被撤销");
    let r = retract_api(&http, Some(&wang), person, &reason, "2026-11-09").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "retracted");
    assert_masked(&r, "the retraction's answer");
    let one = anon(&http, &format!("/api/publications/{person}")).await;
    assert_masked(&one, "a retracted decision");
    let j = one.json();
    assert_eq!((j["status"].as_str(), j["retracted_on"].as_str()), (Some("retracted"), Some("2026-11-10")));
    assert!(j["decision"].is_null(), "no content: {j}");
    assert_eq!(j["retract_reason"], "赵**申请行政复议，原处罚决定已被撤销");
    let page = anon(&http, &format!("/publications/{person}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_masked(&page, "the retracted page");
    assert!(page.text().contains("已撤回") && !page.text().contains("冒用他人医保凭证"), "{}", page.text());
    let list = anon(&http, "/api/publications").await.json();
    assert_eq!(list["total"], 1, "a retracted decision is no longer listed");
    assert_masked(&anon(&http, "/publications").await, "the list after retraction");
    // Once is enough.
    assert_eq!(
        retract_api(&http, Some(&wang), person, "再次", "2026-11-09").await.status,
        StatusCode::BAD_REQUEST
    );
    let stored = e.state.store().publication(PublicationId(person)).await.expect("read").expect("stored");
    assert_eq!(
        stored.retract_reason.as_deref(),
        Some(reason.as_str()),
        "the store keeps the reason as written"
    );
}

#[tokio::test]
async fn the_retraction_form_is_for_the_leader_with_a_csrf_token() {
    let e = demo_env().await;
    let unit = unit_decision(&e).await;
    let http = Http::start(&e).await;
    let path = format!("/publication/{unit}/retract");
    let r = anon(&http, &path).await;
    assert_eq!(
        (r.status, r.headers.get("location").and_then(|v| v.to_str().ok())),
        (StatusCode::SEE_OTHER, Some("/login"))
    );
    let zhang = http.login("demo-zhangming", "demo-officer-1").await;
    assert_eq!(http.get(&zhang, &path).await.status, StatusCode::FORBIDDEN);
    let wang = http.login("demo-wang", "demo-leader-1").await;
    let form = http.get(&wang, &path).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains(&format!("name=\"csrf\" value=\"{}\"", wang.csrf)), "{}", form.text());
    assert!(form.text().contains("第四十八条"));
    // A signed-in reader of the decision finds the form from its page.
    assert!(http.get(&wang, &format!("/publications/{unit}")).await.text().contains(&path));
    // Without the token: refused.
    let r = http
        .send(
            Request::post(&path)
                .header("cookie", &wang.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("changed_on=2026-11-09&reason=x"))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // In time through the form: back on the public page, retracted.
    let r = http
        .send(
            Request::post(&path)
                .header("cookie", &wang.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "csrf={}&changed_on=2026-11-09&reason=%E5%A4%8D%E8%AE%AE%E6%92%A4%E9%94%80",
                    wang.csrf
                )))
                .expect("request"),
        )
        .await;
    assert_eq!(
        (r.status, r.headers.get("location").and_then(|v| v.to_str().ok())),
        (StatusCode::SEE_OTHER, Some(format!("/publications/{unit}").as_str()))
    );
    assert!(anon(&http, &format!("/publications/{unit}")).await.text().contains("复议撤销"));
}
