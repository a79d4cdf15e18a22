//! Loading a year's holiday notice: `/api/calendar/…` and the `/admin/calendar` pages, on
//! SQLite and PostgreSQL, and once in a real browser.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use quanze_calendar::{YearNotice, parse_notice};
use quanze_store::{Role, RoleGrant};
use serde_json::{Value, json};

use crate::common::{Env, Login, env, env_pg};

const N2026: &str = include_str!("../../../quanze-calendar/tests/fixtures/notices/2026.txt");
/// Invented for the parser's tests (2027's notice is not out yet), in the 2026 style.
const N2027: &str = include_str!("../../../quanze-calendar/tests/fixtures/notices/2027-invented.txt");

async fn post_notice(
    e: &Env,
    login: Option<&Login>,
    csrf: Option<&str>,
    body: String,
) -> crate::common::Resp {
    let mut r = Request::post("/api/calendar/notices").header("content-type", "application/json");
    if let Some(l) = login {
        r = r.header("cookie", &l.cookie);
    }
    if let Some(c) = csrf {
        r = r.header("x-csrf-token", c);
    }
    e.send(r.body(Body::from(body)).expect("request")).await
}

fn notice_body(text: &str, confirm: bool) -> String {
    json!({ "text": text, "confirm": confirm }).to_string()
}

fn year(years: &Value, y: i64) -> Option<&Value> {
    years["years"].as_array().expect("years array").iter().find(|v| v["year"] == y)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().expect("array").iter().map(|s| s.as_str().expect("string").to_string()).collect()
}

/// Preview, confirm, list, and read back from the store: the same on both backends.
async fn preview_then_confirm(e: &Env) {
    let login = e.login().await;
    let before = e.get("/api/calendar/years").await;
    assert_eq!(before.status, StatusCode::OK);
    let before = before.json();
    // Built-in 2004–2026, nothing loaded.
    let ys: Vec<i64> =
        before["years"].as_array().expect("years").iter().filter_map(|y| y["year"].as_i64()).collect();
    assert_eq!(ys, (2004..=2026).collect::<Vec<i64>>());
    let y2026 = year(&before, 2026).expect("2026 built in");
    assert_eq!(y2026["source"], "builtin");
    assert_eq!(y2026["notice_number"], "国办发明电〔2025〕7号");
    assert!(y2026["loaded_by"].is_null());

    // Preview: the days as read, nothing saved.
    let r = post_notice(e, Some(&login), Some(&login.csrf), notice_body(N2027, false)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let p = r.json();
    assert_eq!(p["saved"], false);
    assert_eq!(p["year"], 2027);
    assert_eq!(p["number"], "国办发明电〔2026〕99号");
    assert_eq!(p["date"], "2026-11-20");
    assert!(p["replaces"].is_null());
    let names: Vec<&str> =
        p["holidays"].as_array().expect("holidays").iter().filter_map(|h| h["name"].as_str()).collect();
    assert_eq!(names, ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]);
    assert_eq!(
        strings(&p["work_days"]),
        ["2027-02-20", "2027-04-25", "2027-05-08", "2027-09-26", "2027-10-09"]
    );
    assert!(strings(&p["off_days"]).contains(&"2027-02-05".to_string()));
    assert!(year(&e.get("/api/calendar/years").await.json(), 2027).is_none(), "a preview saves nothing");

    // Confirm: saved, answered with who and when.
    let r = post_notice(e, Some(&login), Some(&login.csrf), notice_body(N2027, true)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let saved = r.json();
    assert_eq!(saved["saved"], true);
    assert_eq!(saved["loaded_by"], "admin");
    assert!(saved["loaded_at"].as_i64().is_some());
    assert_eq!(saved["work_days"], p["work_days"]);

    let after = e.get("/api/calendar/years").await.json();
    let y2027 = year(&after, 2027).expect("2027 listed");
    assert_eq!(y2027["source"], "loaded");
    assert!(y2027["loaded_by"].is_null(), "the public does not see who loaded a year");
    let as_admin = e
        .send(
            axum::http::Request::get("/api/calendar/years")
                .header("cookie", &login.cookie)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await
        .json();
    assert_eq!(year(&as_admin, 2027).expect("2027 listed")["loaded_by"], "admin");
    assert_eq!(y2027["notice_number"], "国办发明电〔2026〕99号");
    assert_eq!(y2027["replaces_builtin"], false);
    assert_eq!(y2027["holidays"], 7);
    assert_eq!(y2027["work_days"], 5);

    // The store holds exactly what the parser read.
    let rows = e.state.store().calendar_years().await.expect("calendar years");
    let row = rows.iter().find(|r| r.year == 2027).expect("2027 stored");
    assert_eq!(row.loaded_by.as_deref(), Some("admin"));
    let stored = YearNotice::from_json(&row.notice).expect("stored JSON reads");
    let expected = parse_notice(N2027).expect("fixture parses").into_year_notice();
    assert_eq!(stored, expected);

    // Previewing it again: it would replace the loaded year, changing no day.
    let again = post_notice(e, Some(&login), Some(&login.csrf), notice_body(N2027, false)).await.json();
    assert_eq!(again["replaces"], "loaded");
    assert_eq!(again["changes"], json!([]));
}

#[tokio::test]
async fn preview_saves_nothing_and_confirm_saves() {
    preview_then_confirm(&env().await).await;
}

#[tokio::test]
async fn preview_and_confirm_on_postgres() {
    let Some(e) = env_pg().await else { return };
    preview_then_confirm(&e).await;
    refusals(&e).await;
}

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

/// Nobody but a logged-in administrator with the CSRF token loads a year, and nothing is saved
/// when refused.
async fn refusals(e: &Env) {
    let body = notice_body(N2027.replace("2027", "2031").as_str(), true);
    let r = post_notice(e, None, None, body.clone()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.is_problem());

    let pw = "officer-password-9";
    e.state
        .store()
        .create_user("officer1", pw, &[RoleGrant::global(Role::Officer)])
        .await
        .expect("create officer");
    let officer = login_as(e, "officer1", pw).await;
    let r = post_notice(e, Some(&officer), Some(&officer.csrf), body.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert!(r.is_problem());

    let admin = e.login().await;
    let r = post_notice(e, Some(&admin), None, body.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    let r = post_notice(e, Some(&admin), Some(&"0".repeat(64)), body).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "wrong CSRF token");

    let years = e.get("/api/calendar/years").await.json();
    assert!(year(&years, 2031).is_none(), "nothing saved by a refused request");
    // The officer cannot open the admin page either.
    let r = e
        .send(
            Request::get("/admin/calendar")
                .header("cookie", &officer.cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn only_administrators_load_years() {
    refusals(&env().await).await;
}

#[tokio::test]
async fn unreadable_notices_are_422_in_chinese() {
    let e = env().await;
    let login = e.login().await;
    for text in ["", "今天天气很好。", "一、二、三、四", "<script>alert(1)</script>"] {
        let r = post_notice(&e, Some(&login), Some(&login.csrf), notice_body(text, true)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{text:?}: {}", r.text());
        assert!(r.is_problem());
        let p = r.json();
        assert_eq!(p["type"], "/api/problems/unparsable-notice");
        assert!(p["detail"].as_str().expect("detail").contains("未能从通知文本中读出任何节假日安排"), "{p}");
    }
    // Items with dates but no year anywhere.
    let r = post_notice(
        &e,
        Some(&login),
        Some(&login.csrf),
        notice_body("一、元旦：1月1日至3日放假调休，共3天。", false),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["detail"].as_str().expect("detail").contains("无法确定通知所属年份"));
    // A year far off is a typo in the title.
    let far = N2027.replace("2027年", "2207年");
    let r = post_notice(&e, Some(&login), Some(&login.csrf), notice_body(&far, true)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.json()["detail"].as_str().expect("detail").contains("2207"));
    // Not JSON, or JSON of another shape.
    let r = post_notice(&e, Some(&login), Some(&login.csrf), "text=1".into()).await;
    assert!(r.status.is_client_error() && r.is_problem(), "{}", r.text());
    let r = post_notice(&e, Some(&login), Some(&login.csrf), json!({ "confirm": true }).to_string()).await;
    assert!(r.status.is_client_error() && r.is_problem(), "{}", r.text());
    assert_eq!(e.state.store().calendar_years().await.expect("years").len(), 0, "nothing saved");
}

#[tokio::test]
async fn the_2026_notice_matches_the_builtin_year() {
    let e = env().await;
    let login = e.login().await;
    let r = post_notice(&e, Some(&login), Some(&login.csrf), notice_body(N2026, false)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let p = r.json();
    assert_eq!(p["replaces"], "builtin");
    assert_eq!(p["changes"], json!([]), "the pasted notice changes no day of the built-in 2026");
    // An altered notice shows which days it changes.
    let altered = N2026.replace("9月20日（周日）、10月10日（周六）上班", "10月10日（周六）上班");
    let p = post_notice(&e, Some(&login), Some(&login.csrf), notice_body(&altered, false)).await.json();
    assert_eq!(p["changes"], json!([{ "date": "2026-09-20", "before": "工作日", "after": "休息日" }]));
}

#[tokio::test]
async fn openapi_lists_the_calendar() {
    let e = env().await;
    let doc = e.get("/api/openapi.json").await.json();
    assert!(doc["paths"]["/api/calendar/years"]["get"].is_object());
    let post = &doc["paths"]["/api/calendar/notices"]["post"];
    assert!(post["responses"]["422"].is_object());
    assert!(doc["components"]["schemas"]["NoticeDays"].is_object());
}

fn form(uri: &str, cookie: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let body: String = fields.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect::<Vec<_>>().join("&");
    Request::post(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", cookie)
        .body(Body::from(body))
        .expect("request")
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn admin_pages_preview_then_save() {
    let e = env().await;
    let r = e.get("/admin/calendar").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers.get("location").and_then(|v| v.to_str().ok()), Some("/login"));

    let login = e.login().await;
    let admin = e
        .send(Request::get("/admin").header("cookie", &login.cookie).body(Body::empty()).expect("request"))
        .await;
    assert!(admin.text().contains("href=\"/admin/calendar\""), "linked from the admin page");
    let page = e
        .send(
            Request::get("/admin/calendar")
                .header("cookie", &login.cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("国办发明电〔2025〕7号") && html.contains("内置"));
    assert!(html.contains("action=\"/admin/calendar/preview\""));

    // A form without the session's CSRF token is refused.
    let r = e
        .send(form("/admin/calendar/preview", &login.cookie, &[("csrf", &"0".repeat(64)), ("text", N2027)]))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let r = e
        .send(form("/admin/calendar/preview", &login.cookie, &[("csrf", &login.csrf), ("text", N2027)]))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(html.contains("核对 2027 年节假日安排"));
    assert!(html.contains("2月5日（周五）至2月12日（周五），共8天"), "春节 as a range");
    assert!(html.contains("4月25日（周日）、5月8日（周六）"), "劳动节's make-up days");
    assert!(html.contains("确认保存") && html.contains("action=\"/admin/calendar/save\""));
    assert!(html.contains("class=\"cal-work\""), "month grid marks make-up days");
    assert!(e.state.store().calendar_years().await.expect("years").is_empty(), "preview saves nothing");

    // Garbage: the form again, with the text kept and the reason in Chinese.
    let r = e
        .send(form(
            "/admin/calendar/preview",
            &login.cookie,
            &[("csrf", &login.csrf), ("text", "随便写点什么")],
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("无法读取通知") && html.contains(">随便写点什么</textarea>"));

    let r =
        e.send(form("/admin/calendar/save", &login.cookie, &[("csrf", &login.csrf), ("text", N2027)])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.headers.get("location").and_then(|v| v.to_str().ok()).expect("location").to_string();
    assert_eq!(to, "/admin/calendar?saved=2027");
    let page = e
        .send(Request::get(to.as_str()).header("cookie", &login.cookie).body(Body::empty()).expect("request"))
        .await;
    let html = page.text();
    assert!(html.contains("已保存 2027 年的节假日安排"));
    assert!(html.contains("国办发明电〔2026〕99号") && html.contains("管理员导入"));
    assert!(html.contains("系统内置 2004—2026 年的安排"), "a loaded year is not called built-in");
    assert_eq!(e.state.store().calendar_years().await.expect("years").len(), 1);
}

/// Paste the 2026 notice into the admin page of a real browser, check the preview, confirm.
#[tokio::test]
async fn paste_a_notice_in_a_real_browser() {
    use std::time::Duration;

    use fantoccini::Locator;

    use crate::browser::{browser, shot, start_server, text_of, wait_for};
    use crate::common::ADMIN_PASSWORD;

    let profile = tempfile::tempdir().expect("profile dir");
    let Some((_driver, c)) = browser(profile.path()).await else { return };
    let e = env().await;
    let addr = start_server(&e).await;
    let base = format!("http://{addr}");
    let err = |e: fantoccini::error::CmdError| e.to_string();
    let walk = async {
        c.goto(&format!("{base}/admin/calendar")).await.map_err(err)?;
        wait_for(&c, "#username").await?;
        c.find(Locator::Id("username")).await.map_err(err)?.send_keys("admin").await.map_err(err)?;
        c.find(Locator::Id("password")).await.map_err(err)?.send_keys(ADMIN_PASSWORD).await.map_err(err)?;
        c.find(Locator::Css("form.stack button[type=submit]"))
            .await
            .map_err(err)?
            .click()
            .await
            .map_err(err)?;
        wait_for(&c, "a[href='/admin/calendar']").await?;
        c.find(Locator::Css("a[href='/admin/calendar']")).await.map_err(err)?.click().await.map_err(err)?;
        wait_for(&c, "#text").await?;
        c.find(Locator::Id("text")).await.map_err(err)?.send_keys(N2026).await.map_err(err)?;
        shot(&c, "calendar-paste").await?;
        c.find(Locator::Css("form.notice-form button[type=submit]"))
            .await
            .map_err(err)?
            .click()
            .await
            .map_err(err)?;
        wait_for(&c, "form.confirm").await?;
        let h1 = text_of(&c, "h1").await?;
        if h1 != "核对 2026 年节假日安排" {
            return Err(format!("preview heading {h1:?}"));
        }
        let table = text_of(&c, "table.holidays").await?;
        if !table.contains("2月15日（周日）至2月23日（周一），共9天")
            || !table.contains("2月14日（周六）、2月28日（周六）")
        {
            return Err(format!("春节 as read: {table}"));
        }
        let work = c.find_all(Locator::Css("table.cal-month td.cal-work")).await.map_err(err)?.len();
        if work != 6 {
            return Err(format!("{work} make-up days in the grid, 2026 has 6"));
        }
        shot(&c, "calendar-preview").await?;
        c.execute("document.querySelector('#h-months').scrollIntoView()", vec![]).await.map_err(err)?;
        shot(&c, "calendar-grid").await?;
        c.find(Locator::Css("form.confirm button[type=submit]"))
            .await
            .map_err(err)?
            .click()
            .await
            .map_err(err)?;
        c.wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css("tr.saved"))
            .await
            .map_err(|e| format!("saved row: {e}"))?;
        let row = text_of(&c, "tr.saved").await?;
        if !row.contains("2026") || !row.contains("替换内置") || !row.contains("admin") {
            return Err(format!("saved row {row:?}"));
        }
        shot(&c, "calendar-saved").await?;
        Ok::<(), String>(())
    };
    let result = walk.await;
    if result.is_err() {
        let _ = shot(&c, "calendar-failure").await;
    }
    let _ = c.close().await;
    if let Err(msg) = result {
        panic!("calendar walk failed: {msg} (see target/screenshots/calendar-failure.png)");
    }
    let rows = e.state.store().calendar_years().await.expect("years");
    assert_eq!(rows.iter().map(|r| r.year).collect::<Vec<_>>(), [2026]);
}

/// A stored row that is not a year's notice (written by an older or broken client) is listed
/// with the reason instead of failing the listing or the page.
#[tokio::test]
async fn an_unreadable_stored_year_is_listed_with_the_reason() {
    let e = env().await;
    e.state.store().put_calendar_year(2030, r#"{"holidays": 3}"#, None).await.expect("store a bad row");
    let years = e.get("/api/calendar/years").await;
    assert_eq!(years.status, StatusCode::OK);
    let y = year(&years.json(), 2030).cloned().expect("2030 listed");
    assert_eq!(y["source"], "loaded");
    assert!(y["error"].as_str().expect("error").contains("存储的通知无法读取"), "{y}");
    let login = e.login().await;
    let page = e
        .send(
            Request::get("/admin/calendar")
                .header("cookie", &login.cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("存储的通知无法读取"));
}

/// A year loaded at run time reaches the case deadlines of the running server: a deadline
/// that falls into 2027 cannot be computed before 2027's notice is loaded (无法计算), and
/// shows its last day right after, without a restart. Before the server held one case
/// service, the console's own service had read the calendar years when it was created and
/// kept answering 无法计算 until the process restarted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_loaded_over_http_reaches_case_deadlines_without_a_restart() {
    use std::sync::Arc;

    use quanze_model::{Date, FixedClock};

    use crate::cases::{Http, item_id, person_id};
    use crate::common::{SEED_002, env_with};

    let day = Date::new(2026, 12, 28).expect("date");
    let e = env_with(|c| {
        c.seed = false;
        c.clock = Arc::new(FixedClock::on(day));
    })
    .await;
    let store = e.state.store();
    let catalog = quanze_import::import_bytes("002_986fb97279c273a7.txt", SEED_002, &Default::default())
        .expect("import");
    let (_, stored) = store.import_catalog(&catalog, None).await.expect("store the list");
    store.publish_version(stored.version.id, None).await.expect("publish");
    quanze_casework::demo::load_demo(store, &catalog).await.expect("demo");
    e.state.refresh().await.expect("refresh");

    let http = Http::start(&e).await;
    let zhang = http.login("demo-zhangming", "demo-officer-1").await;
    let li = person_id(&e, "李华").await;
    let item = item_id(&e, 5).await;
    let r = http
        .post(
            &zhang,
            "/api/cases",
            json!({ "item": item, "label": "跨年-1", "party": "unit", "with": [li], "at": "2026-12-28T09:00" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let case = format!("/api/cases/{}", r.json()["id"].as_i64().expect("id"));

    let into_2027 = |c: &Value| -> Vec<Value> {
        c["deadlines"]
            .as_array()
            .expect("deadlines")
            .iter()
            .filter(|d| {
                d["error"].as_str().is_some_and(|m| m.contains("2027"))
                    || d["due"].as_str().is_some_and(|s| s.starts_with("2027"))
            })
            .cloned()
            .collect()
    };
    let before = http.get(&zhang, &case).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.text());
    let before = into_2027(&before.json());
    assert!(!before.is_empty(), "a deadline runs into 2027");
    assert!(before.iter().all(|d| d["status"] == "error" && d["due"].is_null()), "{before:?}");
    let page = http.get(&zhang, &format!("/cases/{}", &case["/api/cases/".len()..])).await;
    assert!(page.text().contains("无法计算"), "the console says the deadline cannot be computed");

    // The administrator loads 2027 over HTTP, on the same running server.
    let admin = http.login("admin", crate::common::ADMIN_PASSWORD).await;
    let r = http.post(&admin, "/api/calendar/notices", json!({ "text": N2027, "confirm": true })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    let after = http.get(&zhang, &case).await;
    let after = into_2027(&after.json());
    assert_eq!(after.len(), before.len(), "{after:?}");
    assert!(
        after
            .iter()
            .all(|d| d["status"] == "open" && d["due"].as_str().is_some_and(|s| s.starts_with("2027-"))),
        "{after:?}"
    );
    let page = http.get(&zhang, &format!("/cases/{}", &case["/api/cases/".len()..])).await;
    assert!(!page.text().contains("无法计算"), "the console shows the last day now");
}
