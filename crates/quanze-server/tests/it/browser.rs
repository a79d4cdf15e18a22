//! The portal in a real browser: headless Debian Chromium driven through chromedriver.
//!
//! Env: `QUANZE_TEST_CHROMEDRIVER` (default /usr/bin/chromedriver), `QUANZE_TEST_CHROMIUM`
//! (default /usr/bin/chromium). When either is missing the test prints "browser tests
//! skipped: …" and passes, unless `QUANZE_TEST_REQUIRE_BROWSER=1`, when it fails.
//! Screenshots go to `target/screenshots/` (install the browser with scripts/browser-deps.sh).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::common::{ADMIN_PASSWORD, Env, env};

pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn screenshots_dir() -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        .join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// chromedriver + a WebDriver session, or None when the browser is not installed.
pub(crate) async fn browser(profile: &Path) -> Option<(Driver, Client)> {
    let driver = std::env::var("QUANZE_TEST_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let chromium = std::env::var("QUANZE_TEST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let missing: Vec<&str> = [&driver, &chromium]
        .into_iter()
        .filter(|p| !Path::new(p.as_str()).exists())
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        let msg =
            format!("browser tests skipped: {} not found (run scripts/browser-deps.sh)", missing.join(", "));
        if std::env::var("QUANZE_TEST_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("{msg}, and QUANZE_TEST_REQUIRE_BROWSER=1");
        }
        println!("{msg}");
        return None;
    }
    let port = free_port();
    let child = Command::new(&driver)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let guard = Driver(child);
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1100", "--lang=zh-CN",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let serde_json::Value::Object(caps) = caps else { unreachable!("object literal") };
    let mut last = String::new();
    // chromedriver's start-up time depends on the machine's load: wait up to a minute.
    for _ in 0..300 {
        let mut b = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        b.capabilities(caps.clone());
        match b.connect(&format!("http://127.0.0.1:{port}")).await {
            Ok(c) => return Some((guard, c)),
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("chromedriver did not answer on port {port}: {last}");
}

pub(crate) async fn start_server(e: &Env) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = e.app.clone();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await;
    });
    addr
}

pub(crate) async fn shot(c: &Client, name: &str) -> Result<PathBuf, String> {
    let png = c.screenshot().await.map_err(|e| e.to_string())?;
    let path = screenshots_dir().join(format!("{name}.png"));
    std::fs::write(&path, png).map_err(|e| e.to_string())?;
    Ok(path)
}

pub(crate) async fn text_of(c: &Client, css: &str) -> Result<String, String> {
    c.find(Locator::Css(css))
        .await
        .map_err(|e| format!("{css}: {e}"))?
        .text()
        .await
        .map_err(|e| e.to_string())
}

pub(crate) async fn wait_for(c: &Client, css: &str) -> Result<(), String> {
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(css))
        .await
        .map(|_| ())
        .map_err(|e| format!("waiting for {css}: {e}"))
}

fn check(cond: bool, what: &str) -> Result<(), String> {
    if cond { Ok(()) } else { Err(what.to_string()) }
}

/// Browse a bureau, open an item, search for 医保, compare two bureaus, view a diff, log in.
async fn walk(c: &Client, base: &str, bureau: i64, other: i64) -> Result<(), String> {
    let err = |e: fantoccini::error::CmdError| e.to_string();
    // Home → the bureau by clicking its link.
    c.goto(base).await.map_err(err)?;
    check(text_of(c, "h1").await? == "医疗保障部门权责清单", "home heading")?;
    shot(c, "01-home").await?;
    c.find(Locator::LinkText("涞源县医疗保障局")).await.map_err(err)?.click().await.map_err(err)?;
    wait_for(c, "#cat-penalty").await?;
    check(c.current_url().await.map_err(err)?.path() == format!("/bureaus/{bureau}"), "bureau url")?;
    check(text_of(c, "h1").await?.contains("涞源县医疗保障局"), "bureau heading")?;
    let groups = c.find_all(Locator::Css("section h2[id^=cat-]")).await.map_err(err)?;
    check(groups.len() >= 5, "bureau page groups items by type")?;
    check(text_of(c, "#cat-penalty").await?.starts_with("行政处罚（"), "penalty group with count")?;
    shot(c, "02-bureau").await?;

    // Open the first item of 行政处罚.
    let link = c.find(Locator::Css("#cat-penalty + .table-wrap tbody a")).await.map_err(err)?;
    let name = link.text().await.map_err(err)?;
    link.click().await.map_err(err)?;
    wait_for(c, "#h-basis").await?;
    check(text_of(c, "h1").await? == name, "item heading is the item name")?;
    check(text_of(c, "#h-basis").await? == "实施依据", "legal basis section")?;
    let quote = text_of(c, ".citation blockquote").await?;
    check(quote.chars().count() > 10, "the quoted article text is shown")?;
    check(c.find(Locator::Css("#h-acc")).await.is_ok(), "accountability section")?;
    shot(c, "03-item").await?;

    // Search for a two-character term through the form.
    c.goto(&format!("{base}/search")).await.map_err(err)?;
    let q = c.find(Locator::Id("q")).await.map_err(err)?;
    q.send_keys("医保").await.map_err(err)?;
    c.find(Locator::Css("form.filters select#category"))
        .await
        .map_err(err)?
        .select_by_value("penalty")
        .await
        .map_err(err)?;
    c.find(Locator::Css("form.filters button[type=submit]"))
        .await
        .map_err(err)?
        .click()
        .await
        .map_err(err)?;
    wait_for(c, "#result-count").await?;
    let count = text_of(c, "#result-count").await?;
    check(count.starts_with("共找到"), "result count")?;
    let hits = c.find_all(Locator::Css("ol.hits li a")).await.map_err(err)?;
    check(!hits.is_empty(), "医保 finds items")?;
    check(
        c.current_url().await.map_err(err)?.query().is_some_and(|q| q.contains("category=penalty")),
        "filter in url",
    )?;
    shot(c, "04-search").await?;

    // Compare two bureaus through the form.
    c.goto(&format!("{base}/compare")).await.map_err(err)?;
    c.find(Locator::Id("a")).await.map_err(err)?.select_by_value(&bureau.to_string()).await.map_err(err)?;
    c.find(Locator::Id("b")).await.map_err(err)?.select_by_value(&other.to_string()).await.map_err(err)?;
    c.find(Locator::Css("form.filters button[type=submit]"))
        .await
        .map_err(err)?
        .click()
        .await
        .map_err(err)?;
    wait_for(c, "table.compare").await?;
    check(text_of(c, "main h2").await?.contains("汤阴县医疗保障局"), "comparison heading")?;
    let rows = c.find_all(Locator::Css("table.compare tbody tr")).await.map_err(err)?;
    check(rows.len() >= 45, "every item of both lists has a row")?;
    shot(c, "05-compare").await?;

    // Version history of 汤阴县 → diff of versions 1 and 2.
    c.goto(&format!("{base}/bureaus/{other}/versions")).await.map_err(err)?;
    check(
        c.find_all(Locator::Css("main table tbody tr")).await.map_err(err)?.len() == 2,
        "two versions listed",
    )?;
    shot(c, "06-versions").await?;
    c.find(Locator::Css("form.filters button[type=submit]"))
        .await
        .map_err(err)?
        .click()
        .await
        .map_err(err)?;
    wait_for(c, ".field-change").await?;
    check(text_of(c, "h1").await? == "第 1 版 → 第 2 版", "diff heading")?;
    let before = text_of(c, ".field-change .before").await?;
    let after = text_of(c, ".field-change .after").await?;
    check(before.contains("第八十七条") && after.contains("第八十八条"), "diff shows the changed article")?;
    shot(c, "07-diff").await?;

    // The validation report.
    c.goto(&format!("{base}/bureaus/{bureau}/diagnostics")).await.map_err(err)?;
    check(text_of(c, "h1").await?.contains("校验报告"), "diagnostics heading")?;
    shot(c, "08-diagnostics").await?;

    // Log in through the form (CSRF cookie and field, real browser cookies), see the admin page.
    c.goto(&format!("{base}/admin")).await.map_err(err)?;
    wait_for(c, "#username").await?;
    check(c.current_url().await.map_err(err)?.path() == "/login", "admin redirects to login")?;
    c.find(Locator::Id("username")).await.map_err(err)?.send_keys("admin").await.map_err(err)?;
    c.find(Locator::Id("password")).await.map_err(err)?.send_keys(ADMIN_PASSWORD).await.map_err(err)?;
    c.find(Locator::Css("form.stack button[type=submit]")).await.map_err(err)?.click().await.map_err(err)?;
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css("form[action='/admin/import']"))
        .await
        .map_err(|e| format!("logged in: {e}"))?;
    check(c.current_url().await.map_err(err)?.path() == "/admin", "logged in")?;
    check(text_of(c, "h1").await? == "清单管理", "admin heading")?;
    shot(c, "09-admin").await?;

    // Narrow screen: the item page still reads (no horizontal scrolling of the body).
    c.set_window_size(390, 844).await.map_err(err)?;
    c.goto(&format!("{base}/bureaus/{bureau}")).await.map_err(err)?;
    let width = c.execute("return document.documentElement.scrollWidth", vec![]).await.map_err(err)?;
    check(
        width.as_u64().is_some_and(|w| w <= 400),
        &format!("page fits a phone screen (scrollWidth {width})"),
    )?;
    shot(c, "10-bureau-narrow").await?;
    Ok(())
}

#[tokio::test]
async fn portal_in_a_real_browser() {
    let profile = tempfile::tempdir().expect("profile dir");
    let Some((_driver, client)) = browser(profile.path()).await else { return };
    let _ = std::fs::remove_file(screenshots_dir().join("failure.png"));
    let e = env().await;
    let bureau = e.bureau_id("涞源县");
    let other = e.bureau_id("汤阴县");
    let login = e.login().await;
    let r = e
        .upload(Some(&login), Some(&login.csrf), "tangyin-2.txt", &crate::api::edited_seed_002(), true)
        .await;
    assert_eq!(r.status, axum::http::StatusCode::CREATED);
    let addr = start_server(&e).await;
    let result = walk(&client, &format!("http://{addr}"), bureau, other).await;
    if result.is_err() {
        let _ = shot(&client, "failure").await;
    }
    let _ = client.close().await;
    if let Err(msg) = result {
        panic!("browser walk failed: {msg} (see target/screenshots/failure.png)");
    }
}
