use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::common::{SEED_002, env};

#[tokio::test]
async fn openapi_lists_every_endpoint() {
    let e = env().await;
    let r = e.get("/api/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.content_type(), "application/json");
    let doc = r.json();
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let paths = doc["paths"].as_object().expect("paths");
    for p in [
        "/api/bureaus",
        "/api/bureaus/{id}/items",
        "/api/items/{id}",
        "/api/search",
        "/api/compare",
        "/api/bureaus/{id}/versions",
        "/api/bureaus/{id}/diff",
        "/api/bureaus/{id}/diagnostics",
        "/api/imports",
        "/api/session",
    ] {
        assert!(paths.contains_key(p), "openapi lacks {p}");
    }
    assert!(paths["/api/imports"].get("post").is_some());
}

#[tokio::test]
async fn bureaus_are_listed_and_paged() {
    let e = env().await;
    let all = e.get("/api/bureaus").await.json();
    assert_eq!(all["total"], 5);
    assert_eq!(all["bureaus"].as_array().map(Vec::len), Some(5));
    let b0 = &all["bureaus"][0];
    assert!(b0["current_version"]["id"].is_i64());
    let counted: u64 = b0["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| c["count"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(Some(counted), b0["item_count"].as_u64());

    let page = e.get("/api/bureaus?offset=1&limit=2").await.json();
    assert_eq!(page["total"], 5);
    assert_eq!(page["bureaus"].as_array().map(Vec::len), Some(2));
    assert_eq!(page["bureaus"][0]["id"], all["bureaus"][1]["id"]);

    for bad in [
        "/api/bureaus?limit=0",
        "/api/bureaus?limit=100000",
        "/api/bureaus?offset=-1",
        "/api/bureaus?limit=abc",
    ] {
        let r = e.get(bad).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(r.is_problem(), "{bad}: {}", r.text());
    }
}

#[tokio::test]
async fn bureau_items_by_category_and_page() {
    let e = env().await;
    let id = e.bureau_id("涞源县");
    let all = e.get(&format!("/api/bureaus/{id}/items?limit=200")).await.json();
    assert_eq!(all["total"], 45);
    assert_eq!(all["items"].as_array().map(Vec::len), Some(45));
    let pen = e.get(&format!("/api/bureaus/{id}/items?category=penalty&limit=200")).await.json();
    let n = pen["total"].as_u64().expect("total");
    assert!(n > 0 && n < 45);
    assert!(pen["items"].as_array().expect("items").iter().all(|i| i["category_label"] == "行政处罚"));
    let by_label =
        e.get(&format!("/api/bureaus/{id}/items?category=%E8%A1%8C%E6%94%BF%E5%A4%84%E7%BD%9A")).await.json();
    assert_eq!(by_label["total"].as_u64(), Some(n));
    let page = e.get(&format!("/api/bureaus/{id}/items?offset=40&limit=10")).await.json();
    assert_eq!(page["items"].as_array().map(Vec::len), Some(5));

    let r = e.get(&format!("/api/bureaus/{id}/items?category=nonsense")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.is_problem());
    let r = e.get("/api/bureaus/999999/items").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.is_problem());
    let r = e.get("/api/bureaus/abc/items").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.is_problem());
    let r = e.get(&format!("/api/bureaus/{id}/items?version=99")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn item_is_whole() {
    let e = env().await;
    let id = e.bureau_id("涞源县");
    let list = e.get(&format!("/api/bureaus/{id}/items?limit=1")).await.json();
    let item_id = list["items"][0]["id"].as_i64().expect("id");
    let r = e.get(&format!("/api/items/{item_id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["bureau_id"], id);
    assert_eq!(v["current"], true);
    assert!(v["item"]["name"].as_str().is_some_and(|n| n.contains("用人单位")));
    let cites = v["item"]["legal_basis"]["citations"].as_array().expect("citations");
    assert!(cites.iter().any(|c| c["title"] == "社会保险法" && c["article"] == 84));
    assert!(cites.iter().any(|c| c["text"].as_str().is_some_and(|t| t.contains("责令限期改正"))));

    let r = e.get("/api/items/987654321").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.is_problem());
    let r = e.get("/api/items/1%20OR%201=1").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.is_problem());
}

#[tokio::test]
async fn search_finds_two_character_terms_with_filters() {
    let e = env().await;
    let r = e.get("/api/search?q=%E5%8C%BB%E4%BF%9D").await; // 医保
    assert_eq!(r.status, StatusCode::OK);
    let all = r.json();
    let total = all["total"].as_u64().expect("total");
    assert!(total > 10, "医保 should hit many items, got {total}");
    assert_eq!(all["hits"].as_array().map(Vec::len), Some(total.min(50) as usize));

    // 罚款 within 行政处罚 only.
    let pen = e.get("/api/search?q=%E7%BD%9A%E6%AC%BE&category=penalty&limit=200").await.json();
    let hits = pen["hits"].as_array().expect("hits");
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["item"]["category"] == "penalty"));

    // One bureau only.
    let id = e.bureau_id("汤阴县");
    let one = e.get(&format!("/api/search?q=%E7%BD%9A%E6%AC%BE&bureau={id}&limit=200")).await.json();
    assert!(one["hits"].as_array().expect("hits").iter().all(|h| h["item"]["bureau_id"] == id));
    assert!(one["total"].as_u64() < pen["total"].as_u64().map(|n| n + 1000));

    // Items citing 社会保险法 第八十七条, by number and in Chinese numerals.
    let by_num = e
        .get("/api/search?statute=%E7%A4%BE%E4%BC%9A%E4%BF%9D%E9%99%A9%E6%B3%95&article=87&limit=200")
        .await
        .json();
    let by_cn = e
        .get("/api/search?statute=%E7%A4%BE%E4%BC%9A%E4%BF%9D%E9%99%A9%E6%B3%95&article=%E7%AC%AC%E5%85%AB%E5%8D%81%E4%B8%83%E6%9D%A1&limit=200")
        .await
        .json();
    assert!(by_num["total"].as_u64().is_some_and(|n| n >= 2), "{by_num}");
    assert_eq!(by_num["total"], by_cn["total"]);
    for h in by_num["hits"].as_array().expect("hits") {
        let id = h["item"]["id"].as_i64().expect("id");
        let item = e.get(&format!("/api/items/{id}")).await.json();
        let cites: Vec<_> = item["item"]["legal_basis"]["citations"]
            .as_array()
            .into_iter()
            .chain(item["item"]["accountability_basis"]["citations"].as_array())
            .flatten()
            .collect();
        assert!(
            cites
                .iter()
                .any(|c| c["title"].as_str().is_some_and(|t| t.contains("社会保险法")) && c["article"] == 87)
        );
    }

    let none = e.get("/api/search?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%B8%AA%E8%AF%8D%E5%95%8A").await.json();
    assert_eq!(none["total"], 0);
    assert_eq!(none["hits"].as_array().map(Vec::len), Some(0));

    for bad in [
        "/api/search?q=x&category=zzz",
        "/api/search?article=abc",
        "/api/search?bureau=x",
        "/api/search?limit=9999",
    ] {
        let r = e.get(bad).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(r.is_problem());
    }
    let long = "%E5%8C%BB".repeat(300);
    let r = e.get(&format!("/api/search?q={long}")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn compare_aligns_two_bureaus() {
    let e = env().await;
    let (a, b) = (e.bureau_id("涞源县"), e.bureau_id("汤阴县"));
    let r = e.get(&format!("/api/compare?a={a}&b={b}")).await;
    assert_eq!(r.status, StatusCode::OK);
    let c = r.json();
    assert_eq!(c["a"]["id"], a);
    assert_eq!(c["b"]["id"], b);
    let rows = c["rows"].as_array().expect("rows");
    let with_a = rows.iter().filter(|r| !r["a"].is_null()).count();
    let with_b = rows.iter().filter(|r| !r["b"].is_null()).count();
    assert_eq!(with_a, 45);
    assert_eq!(with_b, 20);
    assert!(c["matched"].as_u64().is_some_and(|m| m > 0), "two 医保 bureaus share some powers");
    assert!(
        rows.iter()
            .filter(|r| !r["a"].is_null() && !r["b"].is_null())
            .all(|r| r["a"]["category"] == r["b"]["category"])
    );

    assert_eq!(e.get(&format!("/api/compare?a={a}")).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(e.get(&format!("/api/compare?a={a}&b=424242")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(e.get("/api/compare?a=x&b=y").await.status, StatusCode::BAD_REQUEST);
}

/// A second edition of 汤阴县's list: one item's legal basis changed, another item dropped.
pub(crate) fn edited_seed_002() -> Vec<u8> {
    let text = String::from_utf8(SEED_002.to_vec()).expect("utf-8 seed");
    let edited = text.replacen("第八十七条", "第八十八条", 1);
    assert_ne!(edited, text);
    edited.into_bytes()
}

#[tokio::test]
async fn versions_and_diff() {
    let e = env().await;
    let id = e.bureau_id("汤阴县");
    let v = e.get(&format!("/api/bureaus/{id}/versions")).await.json();
    assert_eq!(v.as_array().map(Vec::len), Some(1));
    assert_eq!(v[0]["number"], 1);
    assert_eq!(v[0]["status"], "published");
    assert_eq!(v[0]["item_count"], 20);

    let login = e.login().await;
    let r = e.upload(Some(&login), Some(&login.csrf), "tangyin-2.txt", &edited_seed_002(), false).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let body = r.json();
    assert_eq!(body["bureau_id"], id);
    assert_eq!(body["version"]["number"], 2);
    assert_eq!(body["version"]["status"], "draft");

    // The draft is for administrators: the public sees only the published version 1.
    let v = e.get(&format!("/api/bureaus/{id}/versions")).await.json();
    assert_eq!(v.as_array().map(Vec::len), Some(1));
    let as_admin =
        |uri: String| Request::get(uri).header("cookie", &login.cookie).body(Body::empty()).expect("request");
    let v = e.send(as_admin(format!("/api/bureaus/{id}/versions"))).await.json();
    assert_eq!(v.as_array().map(Vec::len), Some(2));
    let b = e.get(&format!("/api/bureaus/{id}")).await.json();
    assert_eq!(b["current_version"]["number"], 1);
    for uri in [
        format!("/api/bureaus/{id}/diff?from=1&to=2"),
        format!("/api/bureaus/{id}/items?version=2"),
        format!("/api/bureaus/{id}/diagnostics?version=2"),
        format!("/bureaus/{id}?version=2"),
        format!("/bureaus/{id}/download/json?version=2"),
    ] {
        assert_eq!(e.get(&uri).await.status, StatusCode::NOT_FOUND, "anonymous {uri}");
        assert_eq!(e.send(as_admin(uri.clone())).await.status, StatusCode::OK, "admin {uri}");
    }
    let draft_items = e.send(as_admin(format!("/api/bureaus/{id}/items?version=2&limit=1"))).await.json();
    let draft_item_id = draft_items["items"][0]["id"].as_i64().expect("item id");
    assert_eq!(e.get(&format!("/api/items/{draft_item_id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(e.get(&format!("/items/{draft_item_id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(e.send(as_admin(format!("/items/{draft_item_id}"))).await.status, StatusCode::OK);
    // Still hidden after an administrator's view filled the page cache.
    assert_eq!(e.get(&format!("/items/{draft_item_id}")).await.status, StatusCode::NOT_FOUND);

    let d = e.send(as_admin(format!("/api/bureaus/{id}/diff?from=1&to=2"))).await;
    assert_eq!(d.status, StatusCode::OK);
    let d = d.json();
    assert_eq!(d["added"].as_array().map(Vec::len), Some(0));
    assert_eq!(d["removed"].as_array().map(Vec::len), Some(0));
    let changed = d["changed"].as_array().expect("changed");
    assert_eq!(changed.len(), 1, "{d}");
    let change = &changed[0]["changes"][0];
    assert!(change["before"].as_str().is_some_and(|s| s.contains("第八十七条")));
    assert!(change["after"].as_str().is_some_and(|s| s.contains("第八十八条")));
    assert_eq!(d["unchanged"], 19);

    // Publishing makes version 2 current.
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
    assert_eq!(r.json()["status"], "published");
    let b = e.get(&format!("/api/bureaus/{id}")).await.json();
    assert_eq!(b["current_version"]["number"], 2);
    // Default diff: the version before the current one against it; public once published.
    let d2 = e.get(&format!("/api/bureaus/{id}/diff")).await.json();
    assert_eq!(d2["changed"].as_array().map(Vec::len), Some(1));
    assert_eq!(e.get(&format!("/api/items/{draft_item_id}")).await.status, StatusCode::OK);

    for bad in ["from=99", "to=99"] {
        let r = e.get(&format!("/api/bureaus/{id}/diff?{bad}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
        assert!(r.is_problem());
    }
    let r = e.get(&format!("/api/bureaus/{id}/diff?from=abc")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(e.get("/api/bureaus/77777/diff").await.status, StatusCode::NOT_FOUND);
    assert_eq!(e.get("/api/bureaus/77777/versions").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn diagnostics_report() {
    let e = env().await;
    let id = e.bureau_id("涞源县");
    let r = e.get(&format!("/api/bureaus/{id}/diagnostics")).await;
    assert_eq!(r.status, StatusCode::OK);
    let d = r.json();
    let list = d["diagnostics"].as_array().expect("diagnostics");
    assert!(!list.is_empty(), "涞源县's list lacks serial numbers in many rows");
    let c = &d["counts"];
    let sum = c["errors"].as_u64().unwrap_or(0)
        + c["warnings"].as_u64().unwrap_or(0)
        + c["infos"].as_u64().unwrap_or(0);
    assert_eq!(sum as usize, list.len());
    assert!(
        list.iter().all(|x| x["code"].is_string() && x["summary"].is_string() && x["message"].is_string())
    );
    assert_eq!(e.get("/api/bureaus/55555/diagnostics").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    let e = env().await;
    let r = e.get("/api/nothing-here").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.is_problem());
    let r = e.send(Request::delete("/api/bureaus").body(Body::empty()).expect("request")).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.is_problem());
    // Portal 404s are pages.
    let r = e.get("/no/such/page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.content_type().starts_with("text/html"));
}
