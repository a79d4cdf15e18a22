//! Hostile strings in every parameter: never a server error, always a problem document or
//! a normal answer, and the data is intact afterwards.

use axum::http::StatusCode;

use crate::common::env;

const HOSTILE: [&str; 10] = [
    "' OR '1'='1",
    "1; DROP TABLE items; --",
    "\" onmouseover=\"alert(1)",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "%",
    "_",
    "${jndi:ldap://x}",
    "１２３",
];

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[tokio::test]
async fn hostile_strings_in_every_parameter() {
    let e = env().await;
    let id = e.bureau_id("汤阴县");
    let before = e.get("/api/search?q=%E5%8C%BB%E4%BF%9D").await.json()["total"].clone();
    let templates: Vec<String> = vec![
        "/api/bureaus?offset={}".into(),
        "/api/bureaus?limit={}".into(),
        "/api/bureaus/{}".into(),
        "/api/bureaus/{}/items".into(),
        format!("/api/bureaus/{id}/items?category={{}}"),
        format!("/api/bureaus/{id}/items?version={{}}"),
        format!("/api/bureaus/{id}/items?offset={{}}"),
        "/api/items/{}".into(),
        "/api/search?q={}".into(),
        "/api/search?category={}".into(),
        "/api/search?bureau={}".into(),
        "/api/search?statute={}".into(),
        "/api/search?article={}".into(),
        "/api/search?q=x&offset={}".into(),
        "/api/compare?a={}&b=1".into(),
        "/api/compare?a=1&b={}".into(),
        "/api/bureaus/{}/versions".into(),
        format!("/api/bureaus/{id}/diff?from={{}}"),
        format!("/api/bureaus/{id}/diff?to={{}}"),
        "/api/bureaus/{}/diagnostics".into(),
        format!("/api/bureaus/{id}/diagnostics?version={{}}"),
    ];
    let pages: Vec<String> = vec![
        "/search?q={}".into(),
        "/search?statute={}&article={}".into(),
        "/search?category={}&bureau={}".into(),
        "/compare?a={}&b={}".into(),
        "/bureaus/{}".into(),
        format!("/bureaus/{id}?version={{}}"),
        "/items/{}".into(),
        format!("/bureaus/{id}/diff?from={{}}&to={{}}"),
        format!("/bureaus/{id}/download/{{}}"),
    ];
    for h in HOSTILE {
        for t in &templates {
            let uri = t.replace("{}", &enc(h));
            let r = e.get(&uri).await;
            assert!(
                matches!(r.status, StatusCode::OK | StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND),
                "{uri}: {}",
                r.status
            );
            if r.status != StatusCode::OK {
                assert!(r.is_problem(), "{uri}: {}", r.text());
            } else {
                assert!(
                    !r.text().contains("<script>"),
                    "{uri} echoes markup into JSON unescaped? {}",
                    r.text()
                );
            }
        }
        for t in &pages {
            let uri = t.replace("{}", &enc(h));
            let r = e.get(&uri).await;
            assert!(
                matches!(r.status, StatusCode::OK | StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND),
                "{uri}: {}",
                r.status
            );
            let text = r.text();
            assert!(!text.contains("<script>alert(1)</script>"), "{uri} reflects markup unescaped");
            assert!(!text.contains("\" onmouseover=\"alert(1)"), "{uri} breaks out of an attribute");
        }
    }
    // The search for a hostile string finds nothing and breaks nothing.
    let r = e.get(&format!("/api/search?q={}", enc("' OR '1'='1"))).await.json();
    assert_eq!(r["total"], 0);
    let after = e.get("/api/search?q=%E5%8C%BB%E4%BF%9D").await.json()["total"].clone();
    assert_eq!(before, after);
    assert_eq!(e.get("/api/bureaus").await.json()["total"], 5);
}
