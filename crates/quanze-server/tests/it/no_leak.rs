//! A draft is never public (issue 11): a list imported for a unit that has published nothing
//! must not show on any public page, API answer, search result or download. The crawl asks
//! every route of the server (read from its source, so a new route is crawled too) and every
//! GET path of the OpenAPI document, with each path parameter set to the draft's bureau,
//! version and item ids, and looks for the draft's bureau name, an item name and its file
//! name in the raw bodies (xlsx downloads unpacked). The same crawl as an administrator, and
//! as the public once the draft is published, must find them: the markers are detectable.

use std::collections::BTreeSet;
use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::common::{Env, Login, SEED_002, env};

/// The draft's unit: a name no seed has.
pub(crate) const SECRET_BUREAU: &str = "保密测试县医疗保障局";
/// Put in front of an item name of the draft.
pub(crate) const SECRET_ITEM: &str = "泄密标记甲";
pub(crate) const SECRET_FILE: &str = "baomi-draft.txt";

/// The 汤阴 seed as another unit's list, one item renamed, and one citation of an article
/// the statute does not have (an error finding to override).
pub(crate) fn secret_draft() -> Vec<u8> {
    let text = String::from_utf8(SEED_002.to_vec()).expect("utf-8 seed");
    let edited = text
        .replace("汤阴县", "保密测试县")
        .replacen("对用人单位不办保险", &format!("{SECRET_ITEM}对用人单位不办保险"), 1)
        .replacen("第八十四条", "第九百条", 1);
    assert!(edited.contains(SECRET_ITEM) && edited.contains("第九百条"));
    edited.into_bytes()
}

/// Import the draft as the administrator (not published): (bureau id, version id, item ids).
pub(crate) async fn import_secret(e: &Env, login: &Login) -> (i64, i64, Vec<i64>) {
    let r = e.upload(Some(login), Some(&login.csrf), SECRET_FILE, &secret_draft(), false).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let body = r.json();
    assert_eq!(body["version"]["status"], "draft");
    let bureau = body["bureau_id"].as_i64().expect("bureau id");
    let version = body["version"]["id"].as_i64().expect("version id");
    let snap = e.state.snapshot();
    let b = snap.bureau(bureau).expect("bureau in snapshot");
    assert_eq!(b.name, SECRET_BUREAU);
    assert!(b.versions.iter().all(|v| !v.published), "the unit has published nothing");
    let items = b.versions[0].item_ids.clone();
    (bureau, version, items)
}

/// Every path given to `.route("…"` in the server's source.
fn source_routes() -> BTreeSet<String> {
    fn walk(dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).expect("read src") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let src = std::fs::read_to_string(&p).expect("read source");
                let mut rest = src.as_str();
                while let Some(i) = rest.find(".route(\"") {
                    rest = &rest[i + 8..];
                    if let Some(end) = rest.find('"') {
                        out.insert(rest[..end].to_string());
                    }
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

/// `path` with each `{param}` replaced by every candidate (the cartesian product).
fn expand(path: &str, candidates: &dyn Fn(&str) -> Vec<String>) -> Vec<String> {
    let Some(start) = path.find('{') else { return vec![path.to_string()] };
    let Some(len) = path[start..].find('}') else { return vec![path.to_string()] };
    let name = &path[start + 1..start + len];
    let tail = &path[start + len + 1..];
    let mut out = Vec::new();
    for value in candidates(name) {
        for rest in expand(tail, candidates) {
            out.push(format!("{}{value}{rest}", &path[..start]));
        }
    }
    out
}

/// The text of a body: itself, or every cell of an xlsx.
fn body_text(body: &[u8]) -> String {
    if body.starts_with(b"PK") {
        use calamine::{Reader, Xlsx};
        let mut text = String::new();
        if let Ok(mut book) = Xlsx::new(std::io::Cursor::new(body.to_vec())) {
            for name in book.sheet_names() {
                text.push_str(&name);
                if let Ok(range) = book.worksheet_range(&name) {
                    for row in range.rows() {
                        for cell in row {
                            text.push_str(&cell.to_string());
                            text.push('\t');
                        }
                    }
                }
            }
        }
        return text;
    }
    String::from_utf8_lossy(body).into_owned()
}

struct Crawl {
    asked: usize,
    /// (url, marker) of every body that showed a marker.
    leaks: Vec<(String, &'static str)>,
}

/// Ask every route and API path with the draft's ids; `cookie` to ask as someone.
async fn crawl(e: &Env, cookie: Option<&str>, bureau: i64, version: i64, items: &[i64], other: i64) -> Crawl {
    let mut urls = BTreeSet::new();
    let ids: Vec<String> = [bureau, version, items[0], 1].iter().map(i64::to_string).collect();
    let candidates = |name: &str| -> Vec<String> {
        match name {
            "format" => vec!["json".into(), "csv".into(), "xlsx".into()],
            "n" => vec!["84".into(), "1".into()],
            "action" => vec!["approve".into()],
            _ => ids.clone(),
        }
    };
    let queries = [
        String::new(),
        // Parts of the markers: a page that echoes its query must not count as a leak, a hit
        // shows the whole marker.
        "?q=泄密标记".into(),
        "?q=保密测试".into(),
        format!("?bureau={bureau}"),
        format!("?version={version}"),
        "?version=1".into(),
        format!("?a={bureau}&b={other}"),
        format!("?a={other}&b={bureau}"),
        "?from=1&to=1".into(),
        format!("?statute=社会保险法&article=84&bureau={bureau}"),
    ];
    let mut paths: BTreeSet<String> = source_routes();
    let doc = e.get("/api/openapi.json").await.json();
    for (p, ops) in doc["paths"].as_object().expect("paths") {
        if ops.get("get").is_some() {
            paths.insert(p.clone());
        }
    }
    for p in &paths {
        for u in expand(p, &candidates) {
            for q in &queries {
                urls.insert(format!("{u}{q}"));
            }
        }
    }
    let mut out = Crawl { asked: 0, leaks: Vec::new() };
    for url in urls {
        let mut req = Request::get(url.as_str());
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let Ok(req) = req.body(Body::empty()) else { continue };
        let r = e.send(req).await;
        out.asked += 1;
        let text = body_text(&r.body);
        for marker in [SECRET_BUREAU, SECRET_ITEM, SECRET_FILE, "保密测试县"] {
            if text.contains(marker) {
                out.leaks.push((url.clone(), marker));
            }
        }
    }
    out
}

#[tokio::test]
async fn a_draft_of_a_unit_with_nothing_published_reveals_nothing() {
    let e = env().await;
    let other = e.bureau_id("汤阴县");
    let login = e.login().await;
    let (bureau, version, items) = import_secret(&e, &login).await;

    // The obvious places first, with the statuses the public gets.
    assert_eq!(e.get(&format!("/bureaus/{bureau}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(e.get(&format!("/api/bureaus/{bureau}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(e.get(&format!("/items/{}", items[0])).await.status, StatusCode::NOT_FOUND);
    assert_eq!(e.get(&format!("/api/items/{}", items[0])).await.status, StatusCode::NOT_FOUND);
    assert_eq!(e.get(&format!("/bureaus/{bureau}/download/xlsx")).await.status, StatusCode::NOT_FOUND);
    let list = e.get("/api/bureaus").await.json();
    assert!(list["bureaus"].as_array().expect("bureaus").iter().all(|b| b["id"] != bureau));
    assert_eq!(list["total"], list["bureaus"].as_array().map(Vec::len).unwrap_or(0));
    let hits = e.get(&format!("/api/search?q={SECRET_ITEM}")).await.json();
    assert_eq!(hits["total"], 0, "{hits}");
    let problem = e.get(&format!("/api/bureaus/{bureau}/items")).await;
    assert!(problem.is_problem(), "{}", problem.text());

    // Then everything, raw.
    let public = crawl(&e, None, bureau, version, &items, other).await;
    assert!(public.asked > 500, "the crawl asked {} URLs", public.asked);
    assert!(public.leaks.is_empty(), "the public saw the draft at: {:?}", public.leaks);

    // The markers are there to be found: administrators see the draft…
    let admin = crawl(&e, Some(&login.cookie), bureau, version, &items, other).await;
    let seen: BTreeSet<&str> = admin.leaks.iter().map(|(u, _)| u.as_str()).collect();
    for must in [
        format!("/bureaus/{bureau}"),
        format!("/bureaus/{bureau}/download/xlsx"),
        format!("/api/bureaus/{bureau}/items"),
        format!("/items/{}", items[0]),
        "/admin/reviews".to_string(),
    ] {
        assert!(seen.contains(must.as_str()), "an administrator sees the draft at {must}: {seen:?}");
    }

    // …and the public sees it once published (directly here; the review path has its own tests).
    let r = e
        .send(
            Request::post(format!("/api/bureaus/{bureau}/versions/{version}/publish"))
                .header("cookie", &login.cookie)
                .header("x-csrf-token", &login.csrf)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let hits = e.get(&format!("/api/search?q={SECRET_ITEM}")).await.json();
    assert_eq!(hits["total"], 1, "{hits}");
    let after = crawl(&e, None, bureau, version, &items, other).await;
    let seen: BTreeSet<&str> = after.leaks.iter().map(|(u, _)| u.as_str()).collect();
    for must in [format!("/bureaus/{bureau}"), "/".to_string(), format!("/bureaus/{bureau}/download/xlsx")] {
        assert!(seen.contains(must.as_str()), "published, the public sees it at {must}");
    }
}

#[tokio::test]
async fn a_draft_after_a_published_version_stays_private_too() {
    let e = env().await;
    let id = e.bureau_id("汤阴县");
    let login = e.login().await;
    let edited = String::from_utf8(SEED_002.to_vec()).expect("utf-8").replacen(
        "对用人单位不办保险",
        &format!("{SECRET_ITEM}对用人单位不办保险"),
        1,
    );
    let r = e.upload(Some(&login), Some(&login.csrf), SECRET_FILE, edited.as_bytes(), false).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let version = r.json()["version"]["id"].as_i64().expect("version id");
    let items =
        e.state.snapshot().bureau(id).and_then(|b| b.version(version)).expect("draft").item_ids.clone();
    let public = crawl(&e, None, id, version, &items, id).await;
    let leaks: Vec<_> =
        public.leaks.iter().filter(|(_, m)| *m != "保密测试县" && *m != SECRET_BUREAU).collect();
    assert!(leaks.is_empty(), "the public saw the draft at: {leaks:?}");
}
