use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::common::env;

#[tokio::test]
async fn pages_render_in_chinese() {
    let e = env().await;
    let home = e.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.content_type().starts_with("text/html"));
    let html = home.text();
    assert!(html.contains("<html lang=\"zh-CN\">"));
    for name in [
        "涞源县医疗保障局",
        "民勤县医疗保障局",
        "汤阴县医疗保障局",
        "邢台市襄都区医疗保障局",
        "基本医疗保险经办机构",
    ] {
        assert!(html.contains(name), "home lists {name}");
    }
    assert!(!html.contains("<script"), "no scripts on the portal");

    let id = e.bureau_id("涞源县");
    let b = e.get(&format!("/bureaus/{id}")).await.text();
    // Grouped by type with counts: every group heading carries its count, and they add up to 45.
    let mut sum = 0;
    for cat in quanze_model::Category::ALL {
        let marker = format!("<h2 id=\"cat-{}\">{}（", cat.id(), cat.label());
        if let Some(at) = b.find(&marker) {
            let rest = &b[at + marker.len()..];
            let n: usize = rest[..rest.find(' ').expect("count")].parse().expect("number");
            sum += n;
        }
    }
    assert_eq!(sum, 45);
    assert!(b.contains("共 45 项"));

    let first = e.get(&format!("/api/bureaus/{id}/items?limit=1")).await.json()["items"][0]["id"]
        .as_i64()
        .expect("id");
    let item = e.get(&format!("/items/{first}")).await;
    assert_eq!(item.status, StatusCode::OK);
    let t = item.text();
    for s in [
        "实施依据",
        "《社会保险法》",
        "第八十四条",
        "<blockquote>",
        "责令限期改正",
        "责任事项",
        "追责情形",
        "校验问题",
    ] {
        assert!(t.contains(s), "item page lacks {s}");
    }
    // The cached page is the same page.
    assert_eq!(e.get(&format!("/items/{first}")).await.text(), t);
    assert_eq!(e.get("/items/99999999").await.status, StatusCode::NOT_FOUND);

    let s = e.get("/search?q=%E7%BD%9A%E6%AC%BE").await.text();
    assert!(s.contains("共找到 <strong>"));
    assert!(s.contains("<label for=\"q\">"));
    let bad = e.get("/search?article=zzz").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("检索条件有误"));

    let other = e.bureau_id("汤阴县");
    let c = e.get(&format!("/compare?a={id}&b={other}")).await.text();
    assert!(c.contains("涞源县医疗保障局 与 汤阴县医疗保障局"));
    assert!(c.contains("两者都有"));

    let v = e.get(&format!("/bureaus/{id}/versions")).await.text();
    assert!(v.contains("第 1 版") && v.contains("现行"));
    let d = e.get(&format!("/bureaus/{id}/diagnostics")).await.text();
    assert!(
        d.contains("校验报告")
            && d.contains("<code class=\"rule\">missing-serial</code>")
            && d.contains("缺少序号")
    );
    let diff = e.get(&format!("/bureaus/{id}/diff?from=1&to=1")).await.text();
    assert!(diff.contains("两个版本相同"));
}

#[tokio::test]
async fn downloads() {
    let e = env().await;
    let id = e.bureau_id("汤阴县");
    let j = e.get(&format!("/bureaus/{id}/download/json")).await;
    assert_eq!(j.status, StatusCode::OK);
    assert!(
        j.headers
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("attachment"))
    );
    let cat: quanze_model::Catalog = serde_json::from_slice(&j.body).expect("catalog json");
    assert_eq!(cat.items.len(), 20);

    let c = e.get(&format!("/bureaus/{id}/download/csv")).await;
    assert!(c.content_type().starts_with("text/csv"));
    let text = String::from_utf8(c.body[3..].to_vec()).expect("utf-8");
    assert_eq!(&c.body[..3], b"\xEF\xBB\xBF");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(rdr.headers().expect("headers").get(1), Some("权力类型"));
    assert_eq!(rdr.records().count(), 20);

    let x = e.get(&format!("/bureaus/{id}/download/xlsx")).await;
    assert_eq!(x.status, StatusCode::OK);
    assert_eq!(&x.body[..2], b"PK", "xlsx is a zip");
    assert!(x.body.len() > 5000);
    // The workbook imports back into the same number of items.
    let back = quanze_import::import_bytes("back.xlsx", &x.body, &quanze_import::ImportOptions::default());
    if let Ok(back) = back {
        assert_eq!(back.items.len(), 20);
    }

    assert_eq!(e.get(&format!("/bureaus/{id}/download/pdf")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn admin_import_form() {
    let e = env().await;
    let login = e.login().await;
    let boundary = "FormB";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n", login.csrf)
            .as_bytes(),
    );
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.txt\"\r\nContent-Type: text/plain\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(&crate::api::edited_seed_002());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = |b: Vec<u8>| {
        Request::post("/admin/import")
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .header("cookie", &login.cookie)
            .body(Body::from(b))
            .expect("request")
    };
    // Without the csrf part: refused.
    let no_csrf: Vec<u8> = {
        let s = String::from_utf8_lossy(&body).into_owned();
        let cut = s
            .find(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\""))
            .expect("file part");
        s.as_bytes()[cut..].to_vec()
    };
    let r = e.send(req(no_csrf)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = e.send(req(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("已导入为第 2 版"), "{}", r.text());
    let id = e.bureau_id("汤阴县");
    let versions = e
        .send(
            Request::get(format!("/api/bureaus/{id}/versions"))
                .header("cookie", &login.cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .json();
    assert_eq!(versions.as_array().map(Vec::len), Some(2));
}

/// Findings about rows without a serial number reach their item, by line.
#[tokio::test]
async fn findings_reach_items_without_serials() {
    let e = env().await;
    let id = e.bureau_id("涞源县");
    let items = e.get(&format!("/api/bureaus/{id}/items?limit=200")).await.json();
    let no_seq: Vec<i64> = items["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["seq"].is_null())
        .filter_map(|i| i["id"].as_i64())
        .collect();
    assert!(!no_seq.is_empty(), "涞源县's list has rows without 序号");
    let mut with_findings = 0;
    for iid in &no_seq {
        let v = e.get(&format!("/api/items/{iid}")).await.json();
        let d = v["diagnostics"].as_array().expect("diagnostics");
        if d.iter().any(|x| x["code"] == "missing-serial") {
            with_findings += 1;
            assert!(d.iter().all(|x| x["line"] == v["item"]["line"]));
            let page = e.get(&format!("/items/{iid}")).await.text();
            assert!(page.contains("缺少序号"));
        }
    }
    assert_eq!(with_findings, no_seq.len(), "every row without 序号 shows its missing-serial finding");
}
