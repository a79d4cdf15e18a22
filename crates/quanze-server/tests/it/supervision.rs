//! The supervisor's console and API over real HTTP: an overdue case's alert (raised by the
//! sweep) is seen by the demo supervisor and not by an officer; the xlsx export opens with
//! calamine and holds it; no personal datum of the party reaches the supervisor; the actions
//! need the CSRF token and a justification.

use std::io::Cursor;

use axum::http::StatusCode;
use calamine::Reader;
use serde_json::json;

use crate::cases::{Http, demo_env, item_id, person_id};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_sees_an_overdue_alert_an_officer_does_not() {
    let e = demo_env().await;
    let http = Http::start(&e).await;
    let zhang = http.login("demo-zhangming", "demo-officer-1").await;
    let sun = http.login("demo-sun", "demo-supervisor-1").await;
    let li = person_id(&e, "李华").await;
    // A clue received on 2026-10-08 and never decided: on the test day (2026-11-10) its 15
    // working days have passed.
    let item = item_id(&e, 5).await;
    let r = http
        .post(&zhang, "/api/cases", json!({ "item": item, "label": "监察-1", "party": "unit", "with": [li], "at": "2026-10-08T09:00" }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let report = e.state.sweep_supervision().await.expect("sweep");
    assert!(report.raised >= 1, "{report:?}");

    // The officer sees the alert of the case they handle in 我的待办.
    let todo = http.get(&zhang, "/cases").await;
    assert_eq!(todo.status, StatusCode::OK);
    let todo = todo.text();
    let section =
        todo.split("<h2>监察预警</h2>").nth(1).unwrap_or_else(|| panic!("no alerts in 我的待办: {todo}"));
    assert!(section.contains("监察-1") && section.contains("红色预警"), "{section}");

    // The officer is no supervisor: 403 on the console and the API.
    assert_eq!(http.get(&zhang, "/supervision").await.status, StatusCode::FORBIDDEN);
    assert_eq!(http.get(&zhang, "/api/supervision/alerts").await.status, StatusCode::FORBIDDEN);

    let list = http.get(&sun, "/api/supervision/alerts?view=overdue&limit=500").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    let list = list.json();
    let alert = list["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .find(|a| a["case_label"] == "监察-1")
        .cloned()
        .unwrap_or_else(|| panic!("no alert of 监察-1: {list}"));
    assert_eq!(alert["level"], "red");
    assert_eq!(alert["rule"], "clue_undecided");
    assert_eq!(alert["officer"], "张明");
    let id = alert["id"].as_i64().expect("id");
    // No personal datum of any party (the demo's particulars) in what supervisors read.
    let page = http.get(&sun, "/supervision").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("监察-1") && page.text().contains("<svg"));
    let detail = http.get(&sun, &format!("/api/supervision/alerts/{id}")).await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.text());
    for text in [list.to_string(), page.text(), detail.text()] {
        for secret in ["大药房", "91410523MA00000000", "刘某", "演示路", "0372-0000000"] {
            assert!(!text.contains(secret), "{secret} leaked");
        }
    }

    // The export of the filtered view opens and holds the alert.
    let x = http.get(&sun, "/supervision/export.xlsx?view=overdue").await;
    assert_eq!(x.status, StatusCode::OK);
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(x.body.clone())).expect("xlsx");
    let sheet = wb.worksheet_range("预警").expect("sheet");
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows[0][0], "预警编号");
    assert!(rows.iter().any(|r| r[2] == "监察-1" && r[7] == "红色预警"), "{rows:?}");

    // Actions: CSRF required; a resolution needs its justification.
    let no_csrf = http
        .send(
            axum::http::Request::post(format!("/api/supervision/alerts/{id}/actions"))
                .header("cookie", &sun.cookie)
                .header("content-type", "application/json")
                .body(axum::body::Body::from(json!({"action": "acknowledge"}).to_string()))
                .expect("request"),
        )
        .await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    let ack = http
        .post(&sun, &format!("/api/supervision/alerts/{id}/actions"), json!({"action": "acknowledge"}))
        .await;
    assert_eq!(ack.status, StatusCode::OK, "{}", ack.text());
    assert_eq!(ack.json()["status"], "acknowledged");
    let blank =
        http.post(&sun, &format!("/api/supervision/alerts/{id}/actions"), json!({"action": "resolve"})).await;
    assert_eq!(blank.status, StatusCode::BAD_REQUEST);
    let done = http
        .post(
            &sun,
            &format!("/api/supervision/alerts/{id}/actions"),
            json!({"action": "resolve", "text": "已核查，线索不予立案"}),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert_eq!(done.json()["justification"], "已核查，线索不予立案");

    // The API is in the OpenAPI document; the coverage report is public.
    let doc = http.get(&zhang, "/api/openapi.json").await.text();
    assert!(doc.contains("/api/supervision/alerts") && doc.contains("/api/supervision/coverage"));
    let cov = http.get(&zhang, "/api/supervision/coverage").await.json();
    assert!(cov[0]["clauses"].as_u64().unwrap_or(0) > 0, "{cov}");
}
