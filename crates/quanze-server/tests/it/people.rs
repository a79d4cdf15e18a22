//! People administration over HTTP: only administrators reach `/admin/people…` and
//! `/api/people…` (others 403, nobody 401 or the login form); every form needs the session's
//! CSRF token; adding, changing, linking a login, retiring (the login stops working, the past
//! events keep the name, the engine refuses the retired person as a co-actor) and the
//! all-or-nothing import with its preview.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};

use crate::cases::{As, Http, demo_env};
use crate::common::{ADMIN_PASSWORD, Env, Resp};

/// A two-row staff table as a bureau writes it.
pub(crate) const TWO_ROWS: &str = "姓名,角色,岗位,科室,执法证号,有效期至,登录名\n\
孟导入,执法人员,调查岗,基金监管股,豫医保0201,2028-12-31,mengdr\n\
冯导入,法制审核人员,,法规股,,,\n";

async fn post_json(http: &Http, who: Option<&As>, path: &str, body: Value) -> Resp {
    let mut req = Request::post(path).header("content-type", "application/json");
    if let Some(w) = who {
        req = req.header("cookie", &w.cookie).header("x-csrf-token", &w.csrf);
    }
    http.send(req.body(Body::from(body.to_string())).expect("request")).await
}

async fn post_form(http: &Http, who: &As, path: &str, fields: &[(&str, &str)]) -> Resp {
    let body: String =
        fields.iter().map(|(k, v)| format!("{k}={}", percent_encode(v))).collect::<Vec<_>>().join("&");
    http.send(
        Request::post(path)
            .header("cookie", &who.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A multipart body with the file part and, when given, a csrf part.
fn multipart(name: &str, bytes: &[u8], csrf: Option<&str>) -> (String, Vec<u8>) {
    let boundary = "PeOpLeBoundary42";
    let mut body = Vec::new();
    if let Some(c) = csrf {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{c}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(
    http: &Http,
    who: Option<&As>,
    path: &str,
    name: &str,
    bytes: &[u8],
    form_csrf: bool,
) -> Resp {
    let (ct, body) = multipart(name, bytes, if form_csrf { who.map(|w| w.csrf.as_str()) } else { None });
    let mut req = Request::post(path).header("content-type", ct);
    if let Some(w) = who {
        req = req.header("cookie", &w.cookie);
        if !form_csrf {
            req = req.header("x-csrf-token", &w.csrf);
        }
    }
    http.send(req.body(Body::from(body)).expect("request")).await
}

async fn anon(http: &Http, path: &str) -> Resp {
    http.send(Request::get(path).body(Body::empty()).expect("request")).await
}

fn bureau(e: &Env) -> i64 {
    e.bureau_id("汤阴")
}

async fn person_named(http: &Http, admin: &As, b: i64, name: &str) -> Value {
    let list = http.get(admin, &format!("/api/people?bureau={b}")).await.json();
    list["people"]
        .as_array()
        .expect("people")
        .iter()
        .find(|p| p["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no {name}: {list}"))
}

#[tokio::test]
async fn only_administrators_reach_people_and_every_form_needs_the_token() {
    let e = demo_env().await;
    let http = Http::start(&e).await;
    let b = bureau(&e);
    let zhang = http.login("demo-zhangming", "demo-officer-1").await;
    let wang = http.login("demo-wang", "demo-leader-1").await;
    let admin = http.login("admin", ADMIN_PASSWORD).await;
    let id = person_named(&http, &admin, b, "李华").await["id"].as_i64().expect("id");

    let gets = [
        format!("/admin/people?bureau={b}"),
        format!("/admin/people/{id}"),
        "/api/people".into(),
        format!("/api/people/{id}"),
    ];
    for path in &gets {
        for who in [&zhang, &wang] {
            let r = http.get(who, path).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.text());
        }
        assert_eq!(http.get(&admin, path).await.status, StatusCode::OK, "{path}");
    }
    let admin_page = http.get(&admin, "/admin").await.text();
    assert!(admin_page.contains("href=\"/admin/people\""), "人员管理 is linked from the admin page");
    assert_eq!(anon(&http, "/api/people").await.status, StatusCode::UNAUTHORIZED);
    let r = anon(&http, "/admin/people").await;
    assert_eq!(
        (r.status, r.headers.get("location").and_then(|v| v.to_str().ok())),
        (StatusCode::SEE_OTHER, Some("/login"))
    );

    // Writes: an officer with a valid token is refused by role; nobody by login.
    let person = json!({"bureau": b, "name": "不应存在", "role": "leader"});
    for path in ["/api/people".to_string(), format!("/api/people/{id}")] {
        assert_eq!(
            post_json(&http, Some(&zhang), &path, person.clone()).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(
            post_json(&http, None, &path, person.clone()).await.status,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }
    for path in [format!("/api/people/{id}/retire"), format!("/api/people/{id}/login")] {
        assert_eq!(
            post_json(&http, Some(&zhang), &path, json!({"login": "x"})).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let r = upload(
        &http,
        Some(&zhang),
        &format!("/api/people/import?bureau={b}"),
        "p.csv",
        TWO_ROWS.as_bytes(),
        false,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = upload(
        &http,
        Some(&zhang),
        &format!("/admin/people/import?bureau={b}"),
        "p.csv",
        TWO_ROWS.as_bytes(),
        true,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let form = [("csrf", zhang.csrf.as_str()), ("bureau", "1"), ("name", "不应存在"), ("role", "leader")];
    for path in [
        "/admin/people".to_string(),
        format!("/admin/people/{id}"),
        format!("/admin/people/{id}/retire"),
        format!("/admin/people/{id}/login"),
        "/admin/people/import/confirm".into(),
    ] {
        assert_eq!(post_form(&http, &zhang, &path, &form).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    // The administrator without the token, or with another's: refused.
    let no_token = [("bureau", "1"), ("name", "不应存在"), ("role", "leader")];
    let wrong = [("csrf", zhang.csrf.as_str()), ("bureau", "1"), ("name", "不应存在"), ("role", "leader")];
    for path in [
        "/admin/people".to_string(),
        format!("/admin/people/{id}/retire"),
        format!("/admin/people/{id}/login"),
        "/admin/people/import/confirm".into(),
    ] {
        assert_eq!(post_form(&http, &admin, &path, &no_token).await.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(post_form(&http, &admin, &path, &wrong).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    let r = upload(
        &http,
        Some(&admin),
        &format!("/admin/people/import?bureau={b}"),
        "p.csv",
        TWO_ROWS.as_bytes(),
        false,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "the upload form without its token");
    let no_header = As { cookie: admin.cookie.clone(), csrf: String::new() };
    let r = post_json(&http, Some(&no_header), "/api/people", person).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Nothing of the above was written; 李华 still works.
    let li = person_named(&http, &admin, b, "李华").await;
    assert_eq!(li["retired"], false);
    assert!(http.get(&admin, "/api/people").await.text().contains("李华"));
    assert!(!http.get(&admin, "/api/people").await.text().contains("不应存在"));

    // The OpenAPI document names the routes.
    let doc = anon(&http, "/api/openapi.json").await.json();
    for path in [
        "/api/people",
        "/api/people/{id}",
        "/api/people/{id}/retire",
        "/api/people/{id}/login",
        "/api/people/import",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} in the OpenAPI document");
    }
}

#[tokio::test]
async fn an_administrator_adds_changes_links_and_retires_and_the_retired_cannot_log_in_or_act() {
    let e = demo_env().await;
    let http = Http::start(&e).await;
    let b = bureau(&e);
    let admin = http.login("admin", ADMIN_PASSWORD).await;

    // An officer without a certificate is refused, with the article.
    let r = post_json(
        &http,
        Some(&admin),
        "/api/people",
        json!({"bureau": b, "name": "韩新", "role": "officer"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.is_problem() && r.json()["detail"].as_str().expect("detail").contains("第四十二条"),
        "{}",
        r.text()
    );
    // Today is 2026-11-10: a certificate valid until 11-30 is expiring, one until 11-09 expired.
    let r = post_json(
        &http,
        Some(&admin),
        "/api/people",
        json!({"bureau": b, "name": "韩新", "role": "执法人员", "posts": "立案岗、调查岗", "office": "基金监管股",
               "certificate": "豫医保0301", "certificate_until": "2026-11-30"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let han = r.json();
    assert_eq!(
        (han["certificate_status"].as_str(), han["role_label"].as_str()),
        (Some("expiring"), Some("执法人员"))
    );
    assert_eq!(han["posts"], json!(["立案岗", "调查岗"]));
    let id = han["id"].as_i64().expect("id");
    let dup = post_json(
        &http,
        Some(&admin),
        "/api/people",
        json!({"bureau": b, "name": "重号", "role": "officer", "certificate": "豫医保0301"}),
    )
    .await;
    assert_eq!(dup.status, StatusCode::BAD_REQUEST, "a certificate is one working person's");
    let r = post_json(
        &http,
        Some(&admin),
        &format!("/api/people/{id}"),
        json!({"bureau": b, "name": "韩新", "role": "officer", "posts": "调查岗", "certificate": "豫医保0301", "certificate_until": "2026-11-09"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        (r.json()["certificate_status"].as_str(), r.json()["posts"].clone()),
        (Some("expired"), json!(["调查岗"]))
    );
    // The list page highlights it.
    let page = http.get(&admin, &format!("/admin/people?bureau={b}")).await.text();
    assert!(page.contains("cert-expired") && page.contains("已过期") && page.contains("韩新"), "{page}");

    // A login: created with an initial password shown once; it works.
    let r =
        post_json(&http, Some(&admin), &format!("/api/people/{id}/login"), json!({"login": "hanxin"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let password = r.json()["new_password"].as_str().expect("a new account's password").to_string();
    assert_eq!(r.json()["person"]["login"], "hanxin");
    let han_session = http.login("hanxin", &password).await;
    assert_eq!(http.get(&han_session, "/cases").await.status, StatusCode::OK);
    // An account is one person's.
    let other =
        post_json(&http, Some(&admin), "/api/people", json!({"bureau": b, "name": "魏二", "role": "leader"}))
            .await
            .json();
    let r = post_json(
        &http,
        Some(&admin),
        &format!("/api/people/{}/login", other["id"]),
        json!({"login": "hanxin"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());

    // Retire 韩新: the session ends, the login is refused, the record stays.
    let r = post_json(&http, Some(&admin), &format!("/api/people/{id}/retire"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["retired"], true);
    assert_eq!(
        http.get(&han_session, "/api/cases").await.status,
        StatusCode::UNAUTHORIZED,
        "the session ended"
    );
    let login = http
        .send(
            Request::post("/api/session")
                .header("content-type", "application/json")
                .body(Body::from(json!({"username": "hanxin", "password": password}).to_string()))
                .expect("request"),
        )
        .await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED, "a retired person cannot log in");
    let r = post_json(
        &http,
        Some(&admin),
        &format!("/api/people/{id}"),
        json!({"bureau": b, "name": "韩新改", "role": "leader"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "a retired person is not changed");
    let page = http.get(&admin, &format!("/admin/people/{id}")).await.text();
    assert!(page.contains("已离岗") && !page.contains("id=\"retire-person\""), "{page}");

    // Retire 李华, who acted on the demo cases: the events keep the name; the engine refuses
    // 李华 as the second officer of an evidence step.
    let li = person_named(&http, &admin, b, "李华").await;
    let li_id = li["id"].as_i64().expect("id");
    assert_eq!(
        post_json(&http, Some(&admin), &format!("/api/people/{li_id}/retire"), json!({})).await.status,
        StatusCode::OK
    );
    let zhang = http.login("demo-zhangming", "demo-officer-1").await;
    let store = e.state.store();
    let case = store
        .case_by_label(
            store.bureau_by_name("汤阴县医疗保障局").await.expect("read").expect("b").id,
            quanze_casework::demo::DOCUMENTED_CASE,
        )
        .await
        .expect("read")
        .expect("case");
    let events = store.case_events(case.id).await.expect("events");
    assert!(events.iter().any(|ev| ev.actors.contains(&li_id.to_string())), "past events still name 李华");
    let view = http.get(&zhang, &format!("/cases/{}", case.id.0)).await;
    assert_eq!(view.status, StatusCode::OK);
    assert!(view.text().contains("李华"), "the timeline still names the retired person");
    let li_login = http
        .send(
            Request::post("/api/session")
                .header("content-type", "application/json")
                .body(Body::from(json!({"username": "demo-lihua", "password": "demo-officer-2"}).to_string()))
                .expect("request"),
        )
        .await;
    assert_eq!(li_login.status, StatusCode::UNAUTHORIZED, "李华 cannot log in");
    // A new case where 张明 takes evidence with the retired 李华: the engine no longer counts
    // 李华 as an officer with a certificate (行政处罚法 第四十二条).
    let item = crate::cases::item_id(&e, 5).await;
    let wang_id = person_named(&http, &admin, b, "王局长").await["id"].as_i64().expect("id").to_string();
    let opened = post_json(
        &http,
        Some(&zhang),
        "/api/cases",
        json!({"item": item, "label": "离岗测试", "party": "unit", "with": [li_id.to_string()], "at": "2026-11-10T09:00"}),
    )
    .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.text());
    let case = format!("/api/cases/{}", opened.json()["id"]);
    // 立案 with the leader and 李华 applies while 李华 works (`cases.rs`); retired, 李华 is no
    // longer an officer with a valid certificate.
    let r = post_json(
        &http,
        Some(&zhang),
        &format!("{case}/actions"),
        json!({"action": "register", "with": [li_id.to_string(), wang_id], "at": "2026-11-10T10:00"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a retired person does not act: {}", r.text());
    assert_eq!(r.json()["code"], "officers_penalty");
    assert!(r.text().contains("第四十二条"), "{}", r.text());
}

#[tokio::test]
async fn an_import_is_previewed_then_done_all_or_nothing() {
    let e = demo_env().await;
    let http = Http::start(&e).await;
    let b = bureau(&e);
    let admin = http.login("admin", ADMIN_PASSWORD).await;
    let api = format!("/api/people/import?bureau={b}");

    // Preview: the rows, nothing written.
    let r = upload(&http, Some(&admin), &api, "people.csv", TWO_ROWS.as_bytes(), false).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let j = r.json();
    assert_eq!((j["imported"].as_bool(), j["rows"].as_array().map(Vec::len)), (Some(false), Some(2)));
    assert!(!http.get(&admin, "/api/people").await.text().contains("孟导入"));

    // A file with an error: every row's Chinese error, and nothing imported.
    let bad = "姓名,角色,执法证号\n甲,执法人员,A1\n乙,厨师,A2\n丙,执法人员,\n";
    let r =
        upload(&http, Some(&admin), &format!("{api}&confirm=true"), "bad.csv", bad.as_bytes(), false).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let errors = r.json()["errors"].clone();
    assert!(
        errors
            .as_array()
            .expect("errors")
            .iter()
            .any(|x| x["line"] == 3 && x["message"].as_str().expect("m").contains("厨师")),
        "{errors}"
    );
    assert!(
        errors
            .as_array()
            .expect("errors")
            .iter()
            .any(|x| x["line"] == 4 && x["message"].as_str().expect("m").contains("执法证号")),
        "{errors}"
    );
    assert!(!http.get(&admin, "/api/people").await.text().contains("\"甲\""), "all or nothing");

    // The pages: upload → preview with the rows → confirm → imported, with the new login.
    let r = upload(
        &http,
        Some(&admin),
        &format!("/admin/people/import?bureau={b}"),
        "people.csv",
        TWO_ROWS.as_bytes(),
        true,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(html.contains("孟导入") && html.contains("冯导入") && html.contains("确认导入"), "{html}");
    let data: String = html
        .split("name=\"data\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the file rides in the confirm form")
        .to_string();
    let r = post_form(
        &http,
        &admin,
        "/admin/people/import/confirm",
        &[("csrf", &admin.csrf), ("bureau", &b.to_string()), ("file_name", "people.csv"), ("data", &data)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("新增 2 人") && r.text().contains("mengdr"), "{}", r.text());
    let meng = person_named(&http, &admin, b, "孟导入").await;
    assert_eq!(
        (meng["certificate"].as_str(), meng["login"].as_str(), meng["office"].as_str()),
        (Some("豫医保0201"), Some("mengdr"), Some("基金监管股"))
    );
    // The preview of a bad file on the page: the errors, no confirm button, 422.
    let r = upload(
        &http,
        Some(&admin),
        &format!("/admin/people/import?bureau={b}"),
        "bad.csv",
        bad.as_bytes(),
        true,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("第 3 行") && !r.text().contains("确认导入</button>"), "{}", r.text());
    // Importing the same file again updates by certificate, adds nobody.
    let r =
        upload(&http, Some(&admin), &format!("{api}&confirm=true"), "people.csv", TWO_ROWS.as_bytes(), false)
            .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!((r.json()["added"].as_u64(), r.json()["updated"].as_u64()), (Some(0), Some(2)));
}

#[tokio::test]
async fn the_add_form_shows_its_error_and_redirects_when_done() {
    let e = demo_env().await;
    let http = Http::start(&e).await;
    let b = bureau(&e).to_string();
    let admin = http.login("admin", ADMIN_PASSWORD).await;
    let r = post_form(
        &http,
        &admin,
        "/admin/people",
        &[("csrf", &admin.csrf), ("bureau", &b), ("name", "邓无证"), ("role", "officer")],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.text().contains("第四十二条") && r.text().contains("value=\"邓无证\""),
        "the form keeps what was typed: {}",
        r.text()
    );
    let r = post_form(
        &http,
        &admin,
        "/admin/people",
        &[
            ("csrf", &admin.csrf),
            ("bureau", &b),
            ("name", "邓有证"),
            ("role", "officer"),
            ("certificate", "豫医保0401"),
            ("certificate_until", "2030-01-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let list = http.get(&admin, &format!("/admin/people?bureau={b}&done=added")).await.text();
    assert!(list.contains("已添加人员") && list.contains("邓有证"), "{list}");
    let id = person_named(&http, &admin, b.parse().expect("id"), "邓有证").await["id"].as_i64().expect("id");
    let r = post_form(
        &http,
        &admin,
        &format!("/admin/people/{id}/login"),
        &[("csrf", &admin.csrf), ("login", "dengyz")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("初始密码") && r.text().contains("dengyz"), "{}", r.text());
    let r = post_form(&http, &admin, &format!("/admin/people/{id}/retire"), &[("csrf", &admin.csrf)]).await;
    assert_eq!(
        (r.status, r.headers.get("location").and_then(|v| v.to_str().ok())),
        (StatusCode::SEE_OTHER, Some(format!("/admin/people/{id}?done=retired").as_str()))
    );
}
