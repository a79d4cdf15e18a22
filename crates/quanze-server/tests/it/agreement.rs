//! The item page, the penalty API and the law crate give one answer (issue 14): for every
//! item of the five seeds, each sanction article the page lists shows the range
//! `quanze_law::compute_for_item` computes (which the CLI prints, its own test checks that),
//! the 行政处罚法 第二十九条 mark sits on the same article, and `/api/penalty` with the same
//! facts answers the same range.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use quanze_law::{ItemQuery, Party, compute_for_item, format_yuan, registry};
use quanze_model::{Date, FixedClock, PowerItem};

use crate::common::env_with;

#[tokio::test]
async fn the_item_page_and_the_penalty_api_agree_with_the_law_crate_on_every_seed_item() {
    let day = Date::new(2026, 6, 1).expect("date");
    let e = env_with(|c| c.clock = Arc::new(FixedClock::on(day))).await;
    let bureaus = e.get("/api/bureaus").await.json();
    let bureaus =
        bureaus.as_array().cloned().or_else(|| bureaus["bureaus"].as_array().cloned()).expect("bureaus");
    let (mut items_seen, mut ranges_checked, mut marks_checked) = (0, 0, 0);
    for b in &bureaus {
        let bid = b["id"].as_i64().expect("bureau id");
        let list = e.get(&format!("/api/bureaus/{bid}/items?limit=500")).await.json();
        for summary in list["items"].as_array().expect("items") {
            let id = summary["id"].as_i64().expect("item id");
            let dto = e.get(&format!("/api/items/{id}")).await.json();
            let item: PowerItem = serde_json::from_value(dto["item"].clone()).expect("a PowerItem");
            items_seen += 1;
            let query =
                ItemQuery { base_amount_fen: Some(1_000_000), party: Party::Unit, ..ItemQuery::on(day) };
            let expected = compute_for_item(registry(), &item, &query);
            if expected.penalties.is_empty() {
                continue;
            }
            let page = e.get(&format!("/items/{id}?base=10000")).await;
            assert_eq!(page.status, StatusCode::OK);
            let text = page.text();
            for (i, p) in expected.penalties.iter().enumerate() {
                assert!(text.contains(&p.heading), "item {id}: the page lacks {}", p.heading);
                let Some(r) = p.result() else { continue };
                if r.fine_applies {
                    let range = format!("{} 至 {}", format_yuan(r.min_fen), format_yuan(r.max_fen));
                    assert!(text.contains(&range), "item {id}, {}: the page lacks {range}", p.heading);
                    ranges_checked += 1;
                }
                if expected.highest == Some(i) {
                    let at = text.find(&p.heading).expect("heading");
                    let line_end = text[at..].find("<br>").map_or(text.len(), |n| at + n);
                    assert!(
                        text[at..line_end].contains("罚款最高"),
                        "item {id}: 第二十九条 mark not on {}",
                        p.heading
                    );
                    marks_checked += 1;
                }
                // The API with the same facts.
                let mut body = serde_json::json!({
                    "statute": p.statute, "article": p.article, "base_amount_yuan": "10000",
                    "party": if p.party == Party::Individual { "individual" } else { "unit" },
                    "date": day.to_string(),
                });
                if let Some(para) = p.paragraph {
                    body["paragraph"] = para.into();
                }
                let api = e
                    .send(
                        Request::post("/api/penalty")
                            .header("content-type", "application/json")
                            .body(Body::from(body.to_string()))
                            .expect("request"),
                    )
                    .await;
                assert_eq!(api.status, StatusCode::OK, "item {id}, {}: {}", p.heading, api.text());
                let v = api.json();
                assert_eq!(
                    (v["min_fen"].as_i64(), v["max_fen"].as_i64()),
                    (Some(r.min_fen), Some(r.max_fen)),
                    "item {id}, {}",
                    p.heading
                );
            }
            // No other article carries the mark.
            if expected.highest.is_none() {
                assert!(
                    !text.contains("罚款最高"),
                    "item {id}: a 第二十九条 mark the law crate did not give"
                );
            }
        }
    }
    assert!(items_seen >= 100, "the five seeds hold over 100 items, saw {items_seen}");
    assert!(ranges_checked >= 20, "ranges compared: {ranges_checked}");
    println!("items {items_seen}, ranges {ranges_checked}, marks {marks_checked}");
}
