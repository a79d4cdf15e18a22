//! The server asks one clock for "today" ([`quanze_server::ServeConfig::clock`]): a fixed
//! clock reaches the calculator's default date and the penalty API's.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use quanze_model::{Date, FixedClock};

use crate::common::env_with;

#[tokio::test]
async fn the_calculator_and_the_penalty_api_take_today_from_the_configured_clock() {
    let day = Date::new(2024, 3, 15).expect("date");
    let e = env_with(|c| c.clock = Arc::new(FixedClock::on(day))).await;
    let page = e.get("/calculator").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("value=\"2024-03-15\""), "{}", page.text());
    let body = r#"{"statute":"社会保险法","article":87,"base_amount_yuan":"10000"}"#;
    let r = e
        .send(
            Request::post("/api/penalty")
                .header("content-type", "application/json")
                .body(Body::from(body))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["date"], "2024-03-15", "{}", r.text());
}
