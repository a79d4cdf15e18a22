use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::api::edited_seed_002;
use crate::common::{SEED_002, env, env_with};

#[tokio::test]
async fn import_needs_login_and_csrf() {
    let e = env().await;
    let r = e.upload(None, None, "x.txt", &edited_seed_002(), false).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.is_problem());
    let login = e.login().await;
    let r = e.upload(Some(&login), None, "x.txt", &edited_seed_002(), false).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF header");
    assert!(r.is_problem());
    let r = e.upload(Some(&login), Some("0".repeat(64).as_str()), "x.txt", &edited_seed_002(), false).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "wrong CSRF header");
    // A forged session token is not a login.
    let forged = crate::common::Login {
        cookie: format!("quanze_session={}", "a".repeat(64)),
        csrf: login.csrf.clone(),
    };
    let r = e.upload(Some(&forged), Some(&forged.csrf), "x.txt", &edited_seed_002(), false).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Nothing was stored by the refused requests.
    let id = e.bureau_id("汤阴县");
    assert_eq!(e.get(&format!("/api/bureaus/{id}/versions")).await.json().as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn import_stores_a_version_once() {
    let e = env().await;
    let login = e.login().await;
    // The seed itself is already stored: same sha256, same version, created=false.
    let r = e.upload(Some(&login), Some(&login.csrf), "002.txt", SEED_002, false).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["created"], false);
    assert_eq!(r.json()["version"]["number"], 1);
    // A new edition, published at once.
    let r = e
        .upload(Some(&login), Some(&login.csrf), "../../etc/passwd/tangyin.txt", &edited_seed_002(), true)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let v = r.json();
    assert_eq!(v["created"], true);
    assert_eq!(v["version"]["status"], "published");
    assert_eq!(v["version"]["file_name"], "tangyin.txt", "directories are stripped from upload names");
    let id = v["bureau_id"].as_i64().expect("bureau id");
    assert_eq!(e.get(&format!("/api/bureaus/{id}")).await.json()["current_version"]["number"], 2);
    // The new version is searchable at once.
    let s = e
        .get(&format!(
            "/api/search?statute=%E7%A4%BE%E4%BC%9A%E4%BF%9D%E9%99%A9%E6%B3%95&article=88&bureau={id}"
        ))
        .await
        .json();
    assert!(s["total"].as_u64().is_some_and(|n| n >= 1), "{s}");
}

#[tokio::test]
async fn raw_body_import() {
    let e = env().await;
    let login = e.login().await;
    let r = e
        .send(
            Request::post("/api/imports?file_name=t.txt&publish=1")
                .header("content-type", "text/plain; charset=utf-8")
                .header("cookie", &login.cookie)
                .header("x-csrf-token", &login.csrf)
                .body(Body::from(edited_seed_002()))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["version"]["status"], "published");
}

#[tokio::test]
async fn bad_uploads_are_refused() {
    let e = env_with(|c| c.max_upload_bytes = 200_000).await;
    let login = e.login().await;
    // Over the limit.
    let big = vec![b'a'; 300_000];
    let r = e.upload(Some(&login), Some(&login.csrf), "big.txt", &big, false).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert!(r.is_problem());
    let r = e
        .send(
            Request::post("/api/imports?file_name=big.txt")
                .header("content-type", "text/plain")
                .header("cookie", &login.cookie)
                .header("x-csrf-token", &login.csrf)
                .body(Body::from(big))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.is_problem());
    // Empty, binary, and a text with no list in it.
    for (name, bytes) in [
        ("empty.txt", Vec::new()),
        ("bin.txt", vec![0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0]),
        ("prose.txt", "这只是一段普通的文字，没有任何表格。".as_bytes().to_vec()),
    ] {
        let r = e.upload(Some(&login), Some(&login.csrf), name, &bytes, false).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {}", r.text());
        assert!(r.is_problem());
    }
    // A multipart body without a file part, and a broken multipart body.
    let r = e
        .send(
            Request::post("/api/imports")
                .header("content-type", "multipart/form-data; boundary=B")
                .header("cookie", &login.cookie)
                .header("x-csrf-token", &login.csrf)
                .body(Body::from("--B\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--B--\r\n"))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.is_problem());
    let r = e
        .send(
            Request::post("/api/imports")
                .header("content-type", "multipart/form-data; boundary=B")
                .header("cookie", &login.cookie)
                .header("x-csrf-token", &login.csrf)
                .body(Body::from("garbage without boundaries"))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.is_problem());
    assert_eq!(e.state.snapshot().bureaus.len(), 5, "nothing was added");
}
