//! `quanze serve --db postgres://…`: the same server on PostgreSQL.

use axum::http::StatusCode;

use crate::common::env_pg;

#[tokio::test]
async fn serves_from_postgres() {
    let Some(e) = env_pg().await else { return };
    let all = e.get("/api/bureaus").await.json();
    assert_eq!(all["total"], 5, "seeds loaded into PostgreSQL");
    let s = e.get("/api/search?q=%E5%8C%BB%E4%BF%9D").await.json();
    assert!(s["total"].as_u64().is_some_and(|n| n > 10));
    let login = e.login().await;
    let r = e
        .upload(Some(&login), Some(&login.csrf), "tangyin-2.txt", &crate::api::edited_seed_002(), true)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["bureau_id"].as_i64().expect("bureau");
    let d = e.get(&format!("/api/bureaus/{id}/diff?from=1&to=2")).await.json();
    assert_eq!(d["changed"].as_array().map(Vec::len), Some(1));
    let page = e.get(&format!("/bureaus/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("第 2 版（已发布）"));
}
