//! Law as code: the statute registry and the penalty calculator in the API and the portal,
//! and the registry's findings in imported catalogs.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::common::{Env, env};

const SSL_ID: &str = "社会保险法(2018-12-29)";

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn post_penalty(e: &Env, body: &str) -> crate::common::Resp {
    e.send(
        Request::post("/api/penalty")
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .expect("request"),
    )
    .await
}

#[tokio::test]
async fn statutes_are_listed_with_stable_ids() {
    let e = env().await;
    let r = e.get("/api/statutes").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    let list = v["statutes"].as_array().expect("statutes");
    assert_eq!(v["total"].as_u64(), Some(list.len() as u64));
    assert!(list.len() >= 30, "{} statutes", list.len());
    let ssl = list.iter().find(|s| s["id"] == SSL_ID).expect("社会保险法 listed");
    assert_eq!(ssl["title"], "社会保险法");
    assert_eq!(ssl["full_title"], "中华人民共和国社会保险法");
    assert_eq!(ssl["level"], "law");
    assert_eq!(ssl["level_label"], "法律");
    assert_eq!(ssl["full_text"], true);
    assert_eq!(ssl["article_count"], 98);
    assert_eq!(ssl["effective"], "2018-12-29");
    assert!(ssl["sanction_articles"].as_array().is_some_and(|a| a.iter().any(|n| n == 87)));
    assert!(ssl["aliases"].is_array());
    // Every id resolves through its own URL.
    for s in list {
        let url = s["url"].as_str().expect("url");
        let one = e.get(url).await;
        assert_eq!(one.status, StatusCode::OK, "{url}: {}", one.text());
        assert_eq!(one.json()["statute"]["id"], s["id"]);
    }
    // Registered without a full text: no article count; the articles held carry the lists'
    // quotations, shown on the portal too.
    let partial = list.iter().find(|s| s["id"] == "社会保险稽核办法").expect("社会保险稽核办法");
    assert_eq!(partial["full_text"], false);
    assert!(partial["article_count"].is_null());
    let id = partial["id"].as_str().expect("id");
    let a = e.get(&format!("/api/statutes/{}/articles/2", enc(id))).await.json();
    assert_eq!(a["full_text"], false);
    assert!(a["quotes"][0]["text"].as_str().is_some_and(|q| !q.is_empty()), "{a}");
    assert_eq!(a["text"], a["quotes"][0]["text"]);
    let page = e.get(&format!("/statutes/{}/articles/2", enc(id))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("<blockquote>"));
    let whole = e.get(&format!("/statutes/{}", enc(id))).await.text();
    assert!(whole.contains("未收录此法规的全文"));
}

#[tokio::test]
async fn articles_are_served_with_paragraphs() {
    let e = env().await;
    let r = e.get(&format!("/api/statutes/{}/articles/87", enc(SSL_ID))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let a = r.json();
    assert_eq!(a["label"], "第八十七条");
    assert_eq!(a["citation"], "《中华人民共和国社会保险法》第八十七条");
    assert_eq!(a["statute_id"], SSL_ID);
    assert_eq!(a["full_text"], true);
    assert_eq!(a["sanction"], true);
    assert!(
        a["paragraphs"][0]["text"].as_str().is_some_and(|t| t.contains("处骗取金额二倍以上五倍以下的罚款"))
    );
    assert!(a["text"].as_str().is_some_and(|t| t.contains("骗取社会保险基金支出")));

    // By title (the current edition) and with 第…条.
    let by_title =
        e.get(&format!("/api/statutes/{}/articles/{}", enc("社会保险法"), enc("第八十七条"))).await;
    assert_eq!(by_title.status, StatusCode::OK);
    assert_eq!(by_title.json()["text"], a["text"]);

    // Items (项) are split out.
    let with_items = e.get(&format!("/api/statutes/{}", enc(SSL_ID))).await.json();
    assert_eq!(with_items["articles"].as_array().map(Vec::len), Some(98));

    // Unknown statute, unknown article, bad article number.
    let r = e.get(&format!("/api/statutes/{}/articles/1", enc("社会保障法典"))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.is_problem());
    let r = e.get(&format!("/api/statutes/{}/articles/999", enc(SSL_ID))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.is_problem());
    assert!(r.json()["detail"].as_str().is_some_and(|d| d.contains("98 articles")), "{}", r.text());
    let r = e.get(&format!("/api/statutes/{}/articles/abc", enc(SSL_ID))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.is_problem());
    let r = e.get(&format!("/api/statutes/{}", "x".repeat(5000))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.is_problem());
}

#[tokio::test]
async fn penalty_is_computed() {
    let e = env().await;
    let r = post_penalty(
        &e,
        r#"{"statute":"社会保险法","article":87,"base_amount_yuan":"10000","party":"unit","date":"2024-06-01"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["min_fen"], 2_000_000);
    assert_eq!(v["max_fen"], 5_000_000);
    for k in ["bands", "measures", "procedure", "citations", "explanation"] {
        assert!(!v[k].is_null(), "result lacks {k}");
    }
    assert_eq!(v["bands"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["bands"][0]["name"], "从轻");
    assert!(v["procedure"]["hearing"]["verdict"].is_string());
    assert!(v["explanation"].as_array().is_some_and(|l| !l.is_empty()));

    // The same with a number in 元, an amount in fen, the edition id and 第…条.
    for body in [
        r#"{"statute":"社会保险法","article":87,"base_amount_yuan":10000,"date":"2024-06-01"}"#.to_string(),
        r#"{"statute":"社会保险法","article":"第八十七条","base_amount_fen":1000000,"date":"2024-06-01"}"#
            .to_string(),
        format!(
            r#"{{"statute":"{SSL_ID}","article":87,"base_amount_yuan":"10,000.00","date":"2024-06-01"}}"#
        ),
    ] {
        let r = post_penalty(&e, &body).await;
        assert_eq!(r.status, StatusCode::OK, "{body}: {}", r.text());
        assert_eq!(r.json()["max_fen"], 5_000_000, "{body}");
    }

    // Conditions switch components on.
    let r = post_penalty(
        &e,
        r#"{"statute":"社会保险法","article":87,"base_amount_yuan":"100","date":"2024-06-01","conditions":["service_provider"]}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[tokio::test]
async fn penalty_refuses_bad_input() {
    let e = env().await;
    let cases: &[(&str, StatusCode, &str)] = &[
        (
            r#"{"statute":"社会保险法","article":87,"base_amount_yuan":"-5","date":"2024-06-01"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "negative",
        ),
        (
            r#"{"statute":"社会保险法","article":87,"base_amount_fen":-5,"date":"2024-06-01"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "negative",
        ),
        (
            r#"{"statute":"社会保险法","article":87,"base_amount_yuan":"1000000000000000","date":"2024-06-01"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "above the limit",
        ),
        (
            r#"{"statute":"社会保险法","article":87,"base_amount_yuan":"12.345","date":"2024-06-01"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "2 decimals",
        ),
        (
            r#"{"statute":"社会保险法","article":87,"base_amount_yuan":"1","base_amount_fen":100}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "not both",
        ),
        (
            r#"{"statute":"社会保障法典","article":87,"base_amount_yuan":"1"}"#,
            StatusCode::NOT_FOUND,
            "unknown statute",
        ),
        (
            r#"{"statute":"社会保险法","article":999,"base_amount_yuan":"1"}"#,
            StatusCode::NOT_FOUND,
            "no article 999",
        ),
        (
            r#"{"statute":"社会保险法","article":1,"base_amount_yuan":"1"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "not a sanction article",
        ),
        (
            r#"{"statute":"社会保险法","article":87,"base_amount_yuan":"1","date":"2000-01-01"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "not yet in force",
        ),
        (
            r#"{"statute":"社会保险法","article":87,"base_amount_yuan":"1","date":"2024-02-30"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "YYYY-MM-DD",
        ),
        (
            r#"{"statute":"社会保险法","article":87,"date":"2024-06-01"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "give a base amount",
        ),
        (
            r#"{"statute":"社会保险法","article":87,"base_amount_yuan":"1","party":"robot"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "unit or individual",
        ),
        (
            r#"{"statute":"社会保险法","article":87,"base_amount_yuan":"1","conditions":["lucky"]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown condition",
        ),
        (r#"{"statute":"社会保险法","article":0}"#, StatusCode::UNPROCESSABLE_ENTITY, "article must be"),
        (r#"{"statute":"","article":87}"#, StatusCode::UNPROCESSABLE_ENTITY, "statute is required"),
        (
            r#"{"statute":"社会保险法","article":87,"surprise":1}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown field",
        ),
        (
            r#"{"statute":"社会保险法","article":87,"base_amount_fen":1e40}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
        ),
        (r#"{"statute":"社会保险法","article":"#, StatusCode::BAD_REQUEST, ""),
        ("not json", StatusCode::BAD_REQUEST, ""),
    ];
    for (body, status, needle) in cases {
        let r = post_penalty(&e, body).await;
        assert_eq!(r.status, *status, "{body}: {}", r.text());
        assert!(r.is_problem(), "{body}: {}", r.text());
        let detail = r.json()["detail"].as_str().unwrap_or("").to_string();
        assert!(detail.contains(needle), "{body}: detail {detail:?} lacks {needle:?}");
    }

    // Oversize bodies hit the JSON limit.
    let big = format!(r#"{{"statute":"{}","article":87}}"#, "法".repeat(40_000));
    let r = post_penalty(&e, &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert!(r.is_problem());

    // Wrong content type and wrong method are problem documents too.
    let r = e
        .send(
            Request::post("/api/penalty")
                .header("content-type", "text/plain")
                .body(Body::from("{}"))
                .expect("req"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(r.is_problem());
    let r = e.get("/api/penalty").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.is_problem());
}

#[tokio::test]
async fn openapi_documents_the_law_endpoints() {
    let e = env().await;
    let doc = e.get("/api/openapi.json").await.json();
    let paths = doc["paths"].as_object().expect("paths");
    for p in ["/api/statutes", "/api/statutes/{id}", "/api/statutes/{id}/articles/{n}", "/api/penalty"] {
        assert!(paths.contains_key(p), "openapi lacks {p}");
    }
    assert!(paths["/api/penalty"].get("post").is_some());
    assert!(paths["/api/bureaus"].get("get").is_some(), "the other endpoints stay");
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    assert!(schemas.contains_key("PenaltyRequest") && schemas.contains_key("StatuteDto"));
}

#[tokio::test]
async fn statute_pages_render() {
    let e = env().await;
    let list = e.get("/statutes").await;
    assert_eq!(list.status, StatusCode::OK);
    let t = list.text();
    assert!(t.contains("<h1>法规库</h1>"));
    assert!(t.contains("中华人民共和国社会保险法"));
    assert!(t.contains(&format!("href=\"/statutes/{}\"", enc(SSL_ID))));
    assert!(t.contains("href=\"/statutes\"") && t.contains("href=\"/calculator\""), "navigation links");

    let s = e.get(&format!("/statutes/{}", enc(SSL_ID))).await;
    assert_eq!(s.status, StatusCode::OK);
    let t = s.text();
    assert!(t.contains("第十一章 法律责任"));
    assert!(t.contains("id=\"a87\""));
    assert!(t.contains("处骗取金额二倍以上五倍以下的罚款"));

    let a = e.get(&format!("/statutes/{}/articles/87", enc(SSL_ID))).await;
    assert_eq!(a.status, StatusCode::OK);
    let t = a.text();
    assert!(t.contains("第八十七条"));
    assert!(t.contains("处骗取金额二倍以上五倍以下的罚款"));
    assert!(t.contains("计算本条罚款幅度"));
    assert!(t.contains("rel=\"prev\"") && t.contains("rel=\"next\""));
    assert!(!t.contains("<script"));

    assert_eq!(e.get(&format!("/statutes/{}/articles/999", enc(SSL_ID))).await.status, StatusCode::NOT_FOUND);
    assert_eq!(e.get(&format!("/statutes/{}", enc("没有这部法"))).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        e.get(&format!("/statutes/{}/articles/xyz", enc(SSL_ID))).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn calculator_page_renders_a_range() {
    let e = env().await;
    let blank = e.get("/calculator").await;
    assert_eq!(blank.status, StatusCode::OK);
    let t = blank.text();
    assert!(t.contains("<label for=\"statute\">") && t.contains("<label for=\"base\">"));
    assert!(t.contains("method=\"get\""));
    assert!(!t.contains("计算结果"));

    let url =
        format!("/calculator?statute={}&article=87&base=10000&party=unit&date=2024-06-01", enc("社会保险法"));
    let r = e.get(&url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let t = r.text();
    assert!(t.contains("计算结果：《中华人民共和国社会保险法》第八十七条"));
    assert!(t.contains("20,000.00元 至 50,000.00元"), "range 2万–5万元");
    for s in [
        "从轻",
        "一般",
        "从重",
        "简易程序",
        "当场收缴",
        "听证",
        "法制审核",
        "加处罚款",
        "追责时效",
        "计算说明",
        "地方配置",
    ] {
        assert!(t.contains(s), "calculator result lacks {s}");
    }
    assert!(t.contains("<option value=\"社会保险法\" selected>"));
    assert!(!t.contains("<script"));

    // UNVERIFIED figures are visibly marked when used.
    let unverified = serde_json::from_slice::<serde_json::Value>(
        &post_penalty(
            &e,
            r#"{"statute":"社会保险法","article":87,"base_amount_yuan":"10000","date":"2024-06-01"}"#,
        )
        .await
        .body,
    )
    .expect("json")["unverified"]
        .as_bool()
        .unwrap_or(false);
    if unverified {
        assert!(t.contains("未核实"));
    }

    // A decided fine paid late: 加处罚款 3% a day, and the limitation period from the act.
    let r = e
        .get(&format!(
            "/calculator?statute={}&article=87&base=10000&date=2024-06-01&fine=30000&days_overdue=10&act_date=2023-01-01",
            enc("社会保险法")
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let t = r.text();
    assert!(t.contains("计 9,000.00元"), "surcharge 30000 × 3% × 10");
    assert!(t.contains("至 2025-01-01（含）届满"), "limitation");
    assert!(t.contains("<details class=\"field\" open>"), "the filled part of the form stays open");

    // Before 2021-07-15 the procedural figures come from the 2017 行政处罚法, entered from
    // general knowledge: UNVERIFIED, and visibly so.
    let r = e
        .get(&format!("/calculator?statute={}&article=87&base=10000&date=2020-06-01", enc("社会保险法")))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let t = r.text();
    assert!(t.contains("本结果使用了未核实（UNVERIFIED）的数值"));
    assert!(t.contains("<span class=\"tag unverified\">未核实（UNVERIFIED），可配置</span>"));

    // Errors are shown on the form, in Chinese.
    let r = e.get(&format!("/calculator?statute={}&article=87&base=-1", enc("社会保险法"))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("金额不能为负数") && r.text().contains("role=\"alert\""));
    let r = e.get(&format!("/calculator?statute={}&article=87", enc("社会保险法"))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("请填写骗取金额") || r.text().contains("请填写"), "{}", r.text());
    let r = e.get(&format!("/calculator?statute={}&article=999&base=1", enc("社会保险法"))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r =
        e.get(&format!("/calculator?statute={}&article=87&base=1&date=1999-01-01", enc("社会保险法"))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("尚未施行"));
}

/// Id of an item of the current lists citing `statute` `article`.
async fn item_citing(e: &Env, statute: &str, article: u32) -> i64 {
    let r = e.get(&format!("/api/search?statute={}&article={article}&limit=1", enc(statute))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()["hits"][0]["item"]["id"].as_i64().unwrap_or_else(|| panic!("no item cites {statute} {article}"))
}

#[tokio::test]
async fn item_page_shows_article_text_and_ranges() {
    let e = env().await;
    let id = item_citing(&e, "社会保险法", 87).await;
    let page = e.get(&format!("/items/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let t = page.text();
    assert!(t.contains("法条原文与罚款幅度"));
    assert!(t.contains("法规库原文"));
    assert!(t.contains("处骗取金额二倍以上五倍以下的罚款"), "the registry's text of 第八十七条");
    assert!(t.contains("骗取金额 × 2倍至5倍") || t.contains("骗取金额的倍数"), "the formula without a base");
    assert!(t.contains("/calculator?statute="), "a link to the calculator");
    // The cached page is the same page.
    assert_eq!(e.get(&format!("/items/{id}")).await.text(), t);

    let with_base = e.get(&format!("/items/{id}?base=10000")).await;
    assert_eq!(with_base.status, StatusCode::OK);
    let tb = with_base.text();
    assert!(tb.contains("20,000.00元 至 50,000.00元"), "range for base 10000 元");
    assert!(tb.contains("base=10000"), "calculator link carries the base");
    // The page with a base is not cached in place of the plain one.
    assert_eq!(e.get(&format!("/items/{id}")).await.text(), t);
    let bad = e.get(&format!("/items/{id}?base=abc")).await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.text().contains("不是以元为单位"));

    // A seed item's page shows the article text of its first citation (社会保险法 第八十四条).
    let lai = e.bureau_id("涞源县");
    let first = e.get(&format!("/api/bureaus/{lai}/items?limit=1")).await.json()["items"][0]["id"]
        .as_i64()
        .expect("id");
    let t = e.get(&format!("/items/{first}")).await.text();
    assert!(
        t.contains("对用人单位处应缴社会保险费数额一倍以上三倍以下的罚款"),
        "registry text of 第八十四条"
    );
    assert!(t.contains("应缴社会保险费数额") || t.contains("应缴数额"));
}

#[tokio::test]
async fn imported_catalogs_carry_the_registry_findings() {
    let e = env().await;
    let mut codes = std::collections::BTreeSet::new();
    let snap = e.state.snapshot();
    for b in &snap.bureaus {
        let r = e.get(&format!("/api/bureaus/{}/diagnostics", b.id)).await;
        assert_eq!(r.status, StatusCode::OK);
        for d in r.json()["diagnostics"].as_array().expect("diagnostics") {
            codes.insert(d["code"].as_str().unwrap_or("").to_string());
        }
    }
    for c in ["quotation-mismatch", "unresolved-citation"] {
        assert!(codes.contains(c), "seed diagnostics lack {c}: {codes:?}");
    }

    // The item page shows a misquoted citation's finding next to its text.
    let (bureau, seq) = {
        let mut found = None;
        for b in &snap.bureaus {
            let r = e.get(&format!("/api/bureaus/{}/diagnostics", b.id)).await.json();
            if let Some(d) = r["diagnostics"]
                .as_array()
                .expect("diagnostics")
                .iter()
                .find(|d| d["code"] == "quotation-mismatch" && d["item"].is_u64())
            {
                found = Some((b.id, d["item"].as_u64().expect("seq")));
                break;
            }
        }
        found.expect("a quotation-mismatch on an item")
    };
    let items = e.get(&format!("/api/bureaus/{bureau}/items?limit=500")).await.json();
    let item = items["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["seq"].as_u64() == Some(seq))
        .and_then(|i| i["id"].as_i64())
        .expect("item of the finding");
    let page = e.get(&format!("/items/{item}")).await.text();
    let law = &page[page.find("id=\"h-law\"").expect("law block")..];
    assert!(law.contains("<code>quotation-mismatch</code>"), "law block shows the finding");

    // An uploaded list is annotated too.
    let login = e.login().await;
    let text = String::from_utf8_lossy(crate::common::SEED_000).replace("第八十四条", "第九百八十四条");
    // Published at once: the diagnostics of a draft are for administrators only.
    let r = e.upload(Some(&login), Some(&login.csrf), "changed.txt", text.as_bytes(), true).await;
    assert!(r.status.is_success(), "{}", r.text());
    let bureau = r.json()["bureau_id"].as_i64().expect("bureau");
    let version = r.json()["version"]["id"].as_i64().expect("version");
    let d = e.get(&format!("/api/bureaus/{bureau}/diagnostics?version={version}")).await.json();
    let found = d["diagnostics"].as_array().expect("diagnostics").iter().any(|d| {
        d["code"] == "unresolved-citation" && d["message"].as_str().is_some_and(|m| m.contains("九百八十四"))
    });
    assert!(found, "the upload's 第九百八十四条 is unresolved: {d}");
}

/// The calculator in a real browser: choose 社会保险法 第八十七条, type 10000 元, submit, read
/// the range; then an item page with its law block. Screenshots in target/screenshots/.
#[tokio::test]
async fn calculator_in_a_real_browser() {
    use fantoccini::Locator;

    use crate::browser::{browser, shot, start_server, text_of, wait_for};

    let profile = tempfile::tempdir().expect("profile dir");
    let Some((_driver, c)) = browser(profile.path()).await else { return };
    let e = env().await;
    let item = item_citing(&e, "社会保险法", 87).await;
    let addr = start_server(&e).await;
    let base = format!("http://{addr}");
    let walk = async {
        c.goto(&format!("{base}/calculator")).await.map_err(|e| e.to_string())?;
        wait_for(&c, "form[action='/calculator']").await?;
        c.find(Locator::Css("#statute"))
            .await
            .map_err(|e| e.to_string())?
            .select_by_value("社会保险法")
            .await
            .map_err(|e| e.to_string())?;
        let article = c.find(Locator::Css("#article")).await.map_err(|e| e.to_string())?;
        article.send_keys("87").await.map_err(|e| e.to_string())?;
        let amount = c.find(Locator::Css("#base")).await.map_err(|e| e.to_string())?;
        amount.send_keys("10000").await.map_err(|e| e.to_string())?;
        c.find(Locator::Css("form[action='/calculator'] button[type=submit]"))
            .await
            .map_err(|e| e.to_string())?
            .click()
            .await
            .map_err(|e| e.to_string())?;
        wait_for(&c, "#h-result").await?;
        let range = text_of(&c, "p.range").await?;
        if !range.contains("20,000.00元") || !range.contains("50,000.00元") {
            return Err(format!("range shown: {range:?}"));
        }
        shot(&c, "calculator").await?;
        c.goto(&format!("{base}/items/{item}?base=10000")).await.map_err(|e| e.to_string())?;
        wait_for(&c, "#h-law").await?;
        shot(&c, "item-law").await?;
        c.goto(&format!("{base}/statutes")).await.map_err(|e| e.to_string())?;
        wait_for(&c, "table").await?;
        shot(&c, "statutes").await?;
        Ok::<(), String>(())
    };
    let result = walk.await;
    if result.is_err() {
        let _ = shot(&c, "calculator-failure").await;
    }
    let _ = c.close().await;
    if let Err(msg) = result {
        panic!("calculator walk failed: {msg} (see target/screenshots/calculator-failure.png)");
    }
}
