//! `serve` itself: creates the database, loads the seeds, listens on the address.

use std::time::Duration;

use quanze_server::{ServeConfig, serve};

#[tokio::test]
async fn serve_creates_the_database_and_listens() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("quanze.db");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let config = ServeConfig {
        db: db.display().to_string(),
        addr: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        admin_password: Some("serve-test-password".into()),
        ..ServeConfig::default()
    };
    let task = tokio::spawn(serve(config));
    let mut body = String::new();
    // Start-up loads five lists and the demo cases: on a loaded machine in a debug build that
    // has taken over ten seconds, so the wait is bounded generously (the outcome must not
    // depend on the machine's speed, only on whether the server comes up at all).
    for _ in 0..1200 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if let Ok(mut s) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let req =
                format!("GET /api/bureaus HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
            if s.write_all(req.as_bytes()).await.is_ok() {
                let mut buf = Vec::new();
                let _ = s.read_to_end(&mut buf).await;
                body = String::from_utf8_lossy(&buf).into_owned();
                break;
            }
        }
    }
    task.abort();
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.contains("\"total\":5"), "five seeds: {body}");
    assert!(db.exists(), "the database file was created");
    // The demo was played into the new store through the case service: the three cases of
    // data/demo/cases.toml and the one played with its documents, and the demo logins.
    let store = quanze_store::Store::open(&db.display().to_string()).await.expect("reopen");
    let cases = store.cases(&quanze_store::CaseFilter::default()).await.expect("cases");
    assert_eq!(cases.total, 4, "four demo cases");
    let v = quanze_casework::verify_store(&store).await.expect("verify");
    assert!(v.broken.is_empty() && v.events > 9, "{v:?}");
    assert!(store.user_by_name("demo-zhangming").await.expect("user").is_some(), "a demo login");
    assert!(store.user_by_name("demo-admin").await.expect("user").is_none(), "no demo administrator");
    store.close().await;
}

#[tokio::test]
async fn no_demo_leaves_the_demo_people_and_cases_out() {
    let e = crate::common::env_with(|c| c.demo = false).await;
    let store = e.state.store();
    let cases = store.cases(&quanze_store::CaseFilter::default()).await.expect("cases");
    assert_eq!(cases.total, 0, "no demo case");
    assert!(store.user_by_name("demo-zhangming").await.expect("user").is_none(), "no demo login");
    // The seeds are there all the same.
    assert_eq!(e.get("/api/bureaus").await.json()["total"], 5);
}
