//! Review and publication (issue 11): an officer imports a draft, a legal reviewer approves
//! or returns it, an administrator publishes it after a summary and a confirmation, each
//! error finding overridden with a reason; withdraw, resubmit, delete; the record of who did
//! what when. Through the API and through the pages (no JavaScript), on SQLite and
//! PostgreSQL.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use quanze_store::{Role, RoleGrant};
use serde_json::{Value, json};

use crate::common::{Env, Login, env, env_pg};
use crate::no_leak::{SECRET_BUREAU, SECRET_FILE, import_secret, secret_draft};

const OFFICER_PW: &str = "officer-password-11";
const REVIEWER_PW: &str = "reviewer-password-11";

async fn login_as(e: &Env, username: &str, password: &str) -> Login {
    let body = json!({ "username": username, "password": password }).to_string();
    let r = e
        .send(
            Request::post("/api/session")
                .header("content-type", "application/json")
                .body(Body::from(body))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let token = r.cookie("quanze_session").expect("session cookie");
    Login {
        cookie: format!("quanze_session={token}"),
        csrf: r.json()["csrf_token"].as_str().expect("csrf").into(),
    }
}

/// (officer, legal reviewer) logins.
pub(crate) async fn staff(e: &Env) -> (Login, Login) {
    let store = e.state.store();
    store.create_user("chengban", OFFICER_PW, &[RoleGrant::global(Role::Officer)]).await.expect("officer");
    store
        .create_user("fazhi", REVIEWER_PW, &[RoleGrant::global(Role::LegalReviewer)])
        .await
        .expect("reviewer");
    (login_as(e, "chengban", OFFICER_PW).await, login_as(e, "fazhi", REVIEWER_PW).await)
}

async fn post_json(e: &Env, who: Option<&Login>, uri: &str, body: Value) -> crate::common::Resp {
    let mut r = Request::post(uri).header("content-type", "application/json");
    if let Some(l) = who {
        r = r.header("cookie", &l.cookie).header("x-csrf-token", &l.csrf);
    }
    e.send(r.body(Body::from(body.to_string())).expect("request")).await
}

async fn get_as(e: &Env, who: &Login, uri: &str) -> crate::common::Resp {
    e.send(Request::get(uri).header("cookie", &who.cookie).body(Body::empty()).expect("request")).await
}

fn form(uri: &str, who: &Login, body: &str) -> Request<Body> {
    Request::post(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", &who.cookie)
        .body(Body::from(body.to_string()))
        .expect("request")
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn the_api_flow(e: &Env) {
    let admin = e.login().await;
    let (officer, reviewer) = staff(e).await;
    let (bureau, version, _) = import_secret(e, &admin).await;

    // Who may see the queue.
    let r = e.get("/api/reviews").await;
    assert_eq!((r.status, r.is_problem()), (StatusCode::UNAUTHORIZED, true));
    let q = get_as(e, &reviewer, "/api/reviews").await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.text());
    let row =
        q.json()["drafts"].as_array().expect("drafts").iter().find(|d| d["version_id"] == version).cloned();
    let row = row.expect("the draft is queued");
    assert_eq!((row["state"].as_str(), row["state_label"].as_str()), (Some("pending"), Some("待审核")));

    // The summary: every item new (nothing published), the error finding to override.
    let s = get_as(e, &officer, &format!("/api/reviews/{version}")).await.json();
    assert_eq!(s["base"], Value::Null);
    assert_eq!(s["added"].as_array().map(Vec::len), Some(20));
    let errors = s["errors"].as_array().expect("errors").clone();
    assert!(
        errors.iter().any(|f| f["message"].as_str().is_some_and(|m| m.contains("第九百条"))),
        "{errors:?}"
    );

    // Not approved: no publication. An officer does not approve; a reviewer does not publish.
    let r = post_json(
        e,
        Some(&admin),
        &format!("/api/reviews/{version}/publish"),
        json!({"note": "首次发布", "confirm": true}),
    )
    .await;
    assert_eq!((r.status, r.is_problem()), (StatusCode::UNPROCESSABLE_ENTITY, true), "{}", r.text());
    assert!(r.json()["detail"].as_str().is_some_and(|d| d.contains("须经法制审核通过")), "{}", r.text());
    let r = post_json(e, Some(&officer), &format!("/api/reviews/{version}/approve"), json!({})).await;
    assert_eq!((r.status, r.is_problem()), (StatusCode::FORBIDDEN, true));
    let r = post_json(e, Some(&reviewer), &format!("/api/reviews/{version}/return"), json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a return needs its reason");
    let r = post_json(
        e,
        Some(&reviewer),
        &format!("/api/reviews/{version}/approve"),
        json!({"note": "依据已核对"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!((r.json()["action"].as_str(), r.json()["by"].as_str()), (Some("approve"), Some("fazhi")));
    let r = post_json(
        e,
        Some(&reviewer),
        &format!("/api/reviews/{version}/publish"),
        json!({"note": "x", "confirm": true}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post_json(e, None, &format!("/api/reviews/{version}/approve"), json!({})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = e
        .send(
            Request::post(format!("/api/reviews/{version}/approve"))
                .header("cookie", &reviewer.cookie)
                .body(Body::from("{}"))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    let r = post_json(e, Some(&reviewer), &format!("/api/reviews/{version}/frobnicate"), json!({})).await;
    assert_eq!((r.status, r.is_problem()), (StatusCode::NOT_FOUND, true));
    let bad = e
        .send(
            Request::post(format!("/api/reviews/{version}/withdraw"))
                .header("cookie", &officer.cookie)
                .header("x-csrf-token", &officer.csrf)
                .body(Body::from("{not json"))
                .expect("request"),
        )
        .await;
    assert_eq!((bad.status, bad.is_problem()), (StatusCode::UNPROCESSABLE_ENTITY, true));
    assert!(bad.json()["detail"].as_str().is_some_and(|d| d.contains("JSON 对象")));

    // Errors without reasons, then no confirmation: refused, nothing public.
    let publish = format!("/api/reviews/{version}/publish");
    let r = post_json(e, Some(&admin), &publish, json!({"note": "首次发布", "confirm": true})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["detail"].as_str().is_some_and(|d| d.contains("放行理由")), "{}", r.text());
    let overrides: Vec<Value> = errors
        .iter()
        .map(|f| json!({"index": f["index"], "reason": "法规库未收录，经核对为笔误，下版改正"}))
        .collect();
    let body = json!({"note": "首次发布", "approval_no": "保医保发〔2025〕1号", "overrides": overrides});
    let r = post_json(e, Some(&admin), &publish, body.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["type"], "/api/problems/unconfirmed");
    assert_eq!(e.get(&format!("/api/bureaus/{bureau}")).await.status, StatusCode::NOT_FOUND, "still private");

    let mut confirmed = body.clone();
    confirmed["confirm"] = json!(true);
    let r = post_json(e, Some(&admin), &publish, confirmed.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let done = r.json();
    assert_eq!(
        (done["action"].as_str(), done["added"].as_u64(), done["by"].as_str()),
        (Some("publish"), Some(20), Some("admin"))
    );
    assert_eq!(done["approval_no"], "保医保发〔2025〕1号");
    assert_eq!(done["overrides"].as_array().map(Vec::len), Some(errors.len()));
    let public = e.get(&format!("/api/bureaus/{bureau}")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.json()["name"], SECRET_BUREAU);
    // Twice is refused: the record does not double.
    let r = post_json(e, Some(&admin), &publish, confirmed).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());

    // Who published what and when.
    let log = get_as(e, &officer, "/api/reviews/log?limit=5").await.json();
    let steps: Vec<&str> = log.as_array().expect("log").iter().filter_map(|x| x["action"].as_str()).collect();
    assert_eq!(steps, ["publish", "approve"]);
    assert_eq!(log[0]["note"], "首次发布");
    assert_eq!(get_as(e, &officer, "/api/reviews/log?limit=0").await.status, StatusCode::BAD_REQUEST);
    let doc = e.get("/api/openapi.json").await.json();
    for p in [
        "/api/reviews",
        "/api/reviews/log",
        "/api/reviews/{version}",
        "/api/reviews/{version}/publish",
        "/api/reviews/{version}/{action}",
    ] {
        assert!(doc["paths"].get(p).is_some(), "{p} in the OpenAPI document");
    }
}

#[tokio::test]
async fn review_then_publish_through_the_api() {
    the_api_flow(&env().await).await;
}

#[tokio::test]
async fn review_then_publish_through_the_api_on_postgres() {
    let Some(e) = env_pg().await else { return };
    the_api_flow(&e).await;
}

/// The officer's multipart import form.
async fn import_as(e: &Env, who: &Login, name: &str, bytes: &[u8]) -> crate::common::Resp {
    let boundary = "XqZreview11";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n", who.csrf)
            .as_bytes(),
    );
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    e.send(
        Request::post("/admin/reviews/import")
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .header("cookie", &who.cookie)
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

fn location(r: &crate::common::Resp) -> String {
    r.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

async fn the_pages_flow(e: &Env) {
    let admin = e.login().await;
    let (officer, reviewer) = staff(e).await;

    // The officer imports; the draft is not public.
    let r = import_as(e, &officer, SECRET_FILE, &secret_draft()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = location(&r);
    assert!(to.starts_with("/admin/reviews/") && to.ends_with("?done=import"), "{to}");
    let version: i64 =
        to["/admin/reviews/".len()..to.len() - "?done=import".len()].parse().expect("version id");
    let page = get_as(e, &officer, &to).await.text();
    assert!(page.contains("草稿尚未公开，等待法制审核"), "{page}");
    assert!(page.contains("全部事项均为新增"));
    assert!(
        !page.contains("action=\"/admin/reviews/") || !page.contains("/approve\""),
        "an officer has no approve form"
    );
    let bureau = e.bureau_id("保密测试县");
    assert_eq!(e.get(&format!("/bureaus/{bureau}")).await.status, StatusCode::NOT_FOUND);
    // A reviewer and an officer do not import through the administrators' form.
    let r = import_as(e, &reviewer, "x.txt", &secret_draft()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Returned without a reason: the page says what is missing; with one: recorded.
    let step = |action: &str| format!("/admin/reviews/{version}/{action}");
    let r = e.send(form(&step("return"), &reviewer, &format!("csrf={}&note=", reviewer.csrf))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("请写明退回修改的理由"), "{}", r.text());
    let r = e
        .send(form(
            &step("return"),
            &reviewer,
            &format!("csrf={}&note={}", reviewer.csrf, enc("第九百条不存在")),
        ))
        .await;
    assert_eq!(
        (r.status, location(&r)),
        (StatusCode::SEE_OTHER, format!("/admin/reviews/{version}?done=return"))
    );
    let r = e.send(form(&step("approve"), &reviewer, "note=")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF field");
    let r = e.send(form(&step("approve"), &reviewer, &format!("csrf={}", reviewer.csrf))).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "a returned draft is not approved before it is resubmitted");
    assert!(r.text().contains("已退回修改"), "{}", r.text());
    let r = e
        .send(form(&step("submit"), &officer, &format!("csrf={}&note={}", officer.csrf, enc("已说明"))))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = e
        .send(form(&step("approve"), &reviewer, &format!("csrf={}&note={}", reviewer.csrf, enc("同意发布"))))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = get_as(e, &admin, &location(&r)).await.text();
    assert!(page.contains("已审核通过，等待管理员发布"), "{page}");
    assert!(page.contains("核对并发布"), "the administrator has the publish form");

    // Publish: missing reasons are named; then a confirmation page; then done.
    let s = get_as(e, &admin, &format!("/api/reviews/{version}")).await.json();
    let reasons: String = s["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|f| format!("&reason_{}={}", f["index"], enc("经核对为笔误")))
        .collect();
    let publish = step("publish");
    let r = e.send(form(&publish, &admin, &format!("csrf={}&note={}", admin.csrf, enc("首次发布")))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("既未改正也未写明放行理由"), "{}", r.text());
    let fields = format!(
        "csrf={}&note={}&approval_no={}{reasons}",
        admin.csrf,
        enc("首次发布"),
        enc("保医保发〔2025〕1号")
    );
    let r = e.send(form(&publish, &admin, &fields)).await;
    assert_eq!(r.status, StatusCode::OK);
    let confirm = r.text();
    assert!(
        confirm.contains("确认发布")
            && confirm.contains("经核对为笔误")
            && confirm.contains("保医保发〔2025〕1号"),
        "{confirm}"
    );
    assert_eq!(
        e.get(&format!("/bureaus/{bureau}")).await.status,
        StatusCode::NOT_FOUND,
        "not before confirming"
    );
    let r = e.send(form(&publish, &admin, &format!("{fields}&confirm=0"))).await;
    assert!(
        r.text().contains("经核对为笔误") && r.text().contains("核对并发布"),
        "back to the form, filled in"
    );
    let r = e.send(form(&publish, &admin, &format!("{fields}&confirm=1"))).await;
    assert_eq!(
        (r.status, location(&r)),
        (StatusCode::SEE_OTHER, format!("/admin/reviews/{version}?done=publish"))
    );
    let page = get_as(e, &admin, &location(&r)).await.text();
    assert!(page.contains("已发布保密测试县医疗保障局第 1 版：新增 20 项、删除 0 项、变更 0 项"), "{page}");
    assert!(page.contains("批准文号 保医保发〔2025〕1号"));
    assert_eq!(e.get(&format!("/bureaus/{bureau}")).await.status, StatusCode::OK);
    let queue = get_as(e, &officer, "/admin/reviews").await.text();
    assert!(
        queue.contains("审核与发布记录") && queue.contains("首次发布") && queue.contains("经核对为笔误"),
        "{queue}"
    );

    // A second draft: summarized against the published one, then deleted by the officer.
    let edited = String::from_utf8(secret_draft()).expect("utf-8").replacen("泄密标记甲", "泄密标记乙", 1);
    let r = import_as(e, &officer, "baomi-2.txt", edited.as_bytes()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = location(&r);
    let v2: i64 = to["/admin/reviews/".len()..to.len() - "?done=import".len()].parse().expect("version id");
    let page = get_as(e, &officer, &to).await.text();
    assert!(page.contains("与现行的第 1 版相比"), "{page}");
    let r = e
        .send(form(
            &format!("/admin/reviews/{v2}/delete"),
            &officer,
            &format!("csrf={}&note={}", officer.csrf, enc("错传")),
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = get_as(e, &officer, &location(&r)).await.text();
    assert!(page.contains("已删除保密测试县医疗保障局第 2 版（草稿）"), "{page}");
    assert_eq!(get_as(e, &officer, &format!("/admin/reviews/{v2}")).await.status, StatusCode::NOT_FOUND);
    // Anonymous: to the login page.
    let r = e.get("/admin/reviews").await;
    assert_eq!((r.status, location(&r).as_str()), (StatusCode::SEE_OTHER, "/login"));
}

#[tokio::test]
async fn review_then_publish_through_the_pages() {
    the_pages_flow(&env().await).await;
}

#[tokio::test]
async fn review_then_publish_through_the_pages_on_postgres() {
    let Some(e) = env_pg().await else { return };
    the_pages_flow(&e).await;
}
