//! Several servers on one database converge (issue 12): a list imported or published through
//! one appears in the other at its next poll of the catalog epoch. The poll tick is driven by
//! the test (`AppState::sync_catalog`), never by waiting.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use quanze_server::{AppState, ServeConfig};

use crate::api::edited_seed_002;
use crate::common::{Env, env, env_pg};

async fn second_server(e: &Env) -> AppState {
    let config = ServeConfig { db: e.url.clone(), ..ServeConfig::default() };
    AppState::open(&config).await.expect("second server")
}

fn versions(state: &AppState, bureau: i64) -> Vec<(i64, bool)> {
    let snap = state.snapshot();
    snap.bureau(bureau)
        .map(|b| b.versions.iter().map(|v| (v.number, v.published)).collect())
        .unwrap_or_default()
}

async fn converge(e: &Env) {
    let other = second_server(e).await;
    let id = e.bureau_id("汤阴县");
    assert_eq!(versions(&other, id), vec![(1, true)]);
    assert!(!other.sync_catalog().await.expect("poll"), "nothing changed yet");
    // A draft imported through the first server.
    let login = e.login().await;
    let r = e.upload(Some(&login), Some(&login.csrf), "tangyin.txt", &edited_seed_002(), false).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(versions(&other, id), vec![(1, true)], "not before its poll");
    assert!(other.sync_catalog().await.expect("poll"));
    assert_eq!(versions(&other, id), vec![(1, true), (2, false)]);
    assert!(!other.sync_catalog().await.expect("poll"), "applied once");
    // Published through the first server: the second one serves it after its poll, search
    // included (第八十八条 is only in the new edition).
    let r = e
        .send(
            Request::post(format!("/api/bureaus/{id}/versions/2/publish"))
                .header("cookie", &login.cookie)
                .header("x-csrf-token", &login.csrf)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(other.sync_catalog().await.expect("poll"));
    assert_eq!(versions(&other, id), vec![(1, true), (2, true)]);
    let snap = other.snapshot();
    assert_eq!(snap.bureau(id).and_then(|b| b.current()).map(|v| v.number), Some(2));
    let other_env = Env::around(other, e);
    let uri = format!("/api/bureaus/{id}/items?limit=500");
    assert_eq!(e.get(&uri).await.json(), other_env.get(&uri).await.json(), "both serve the same list");
    let search =
        format!("/api/search?statute=%E7%A4%BE%E4%BC%9A%E4%BF%9D%E9%99%A9%E6%B3%95&article=88&bureau={id}");
    assert!(other_env.get(&search).await.json()["total"].as_u64().is_some_and(|n| n >= 1));
    // A new bureau imported through the second server reaches the first.
    let text =
        String::from_utf8(crate::common::SEED_002.to_vec()).expect("utf-8").replace("汤阴县", "汤阴新县");
    assert_ne!(text.as_bytes(), crate::common::SEED_002);
    let before = e.state.snapshot().bureaus.len();
    let r = other_env.upload(Some(&login), Some(&login.csrf), "new.txt", text.as_bytes(), true).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(e.state.snapshot().bureaus.len(), before);
    assert!(e.state.sync_catalog().await.expect("poll"));
    assert_eq!(e.state.snapshot().bureaus.len(), before + 1);
}

#[tokio::test]
async fn two_servers_on_one_sqlite_file_converge() {
    converge(&env().await).await;
}

#[tokio::test]
async fn two_servers_on_one_postgres_database_converge() {
    let Some(e) = env_pg().await else { return };
    converge(&e).await;
}
