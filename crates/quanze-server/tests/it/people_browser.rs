//! People administration and the publication portal in a real browser (the project's
//! Chromium setup, see `browser.rs`): an administrator adds an officer, imports a two-row
//! csv through its preview, retires one of the imported people; then the public, logged out,
//! reaches 行政执法公示 from the menu and sees a published decision with the natural person
//! masked. Screenshots in `target/screenshots/people-*`.
//!
//! The clock is fixed (`demo_env`); every wait only waits for a page, bounded generously.

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::browser::{browser, shot, start_server};
use crate::cases::demo_env;
use crate::common::ADMIN_PASSWORD;
use crate::people::TWO_ROWS;
use crate::publication::{ID_NUMBER, PERSON, PHONE, individual_decision};

fn err(e: fantoccini::error::CmdError) -> String {
    e.to_string()
}

fn check(cond: bool, what: &str) -> Result<(), String> {
    if cond { Ok(()) } else { Err(what.to_string()) }
}

struct Walk {
    c: Client,
    base: String,
}

impl Walk {
    async fn wait_for(&self, css: &str) -> Result<(), String> {
        self.c
            .wait()
            .at_most(Duration::from_secs(60))
            .for_element(Locator::Css(css))
            .await
            .map(|_| ())
            .map_err(|e| format!("waiting for {css}: {e}"))
    }

    async fn goto(&self, path: &str, ready: &str) -> Result<(), String> {
        self.c.goto(&format!("{}{path}", self.base)).await.map_err(err)?;
        self.wait_for(ready).await
    }

    /// Click `css` and wait until the next page has replaced this one.
    async fn click_through(&self, css: &str) -> Result<(), String> {
        self.c
            .execute("document.documentElement.dataset.stale = '1'; return true;", vec![])
            .await
            .map_err(err)?;
        self.c
            .find(Locator::Css(css))
            .await
            .map_err(|e| format!("{css}: {e}"))?
            .click()
            .await
            .map_err(err)?;
        self.wait_for("html:not([data-stale]) body").await
    }

    async fn text(&self, css: &str) -> Result<String, String> {
        self.c.find(Locator::Css(css)).await.map_err(|e| format!("{css}: {e}"))?.text().await.map_err(err)
    }

    async fn source(&self) -> Result<String, String> {
        self.c.source().await.map_err(err)
    }

    async fn type_into(&self, css: &str, value: &str) -> Result<(), String> {
        let el = self.c.find(Locator::Css(css)).await.map_err(|e| format!("{css}: {e}"))?;
        el.clear().await.map_err(err)?;
        el.send_keys(value).await.map_err(err)
    }

    async fn shot(&self, name: &str) -> Result<(), String> {
        shot(&self.c, &format!("people-{name}")).await.map(|_| ())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_adds_imports_and_retires_and_the_public_sees_a_masked_decision() {
    let e = demo_env().await;
    individual_decision(&e).await;
    let profile = tempfile::tempdir().expect("profile dir");
    let Some((_driver, c)) = browser(profile.path()).await else { return };
    let addr = start_server(&e).await;
    let csv = profile.path().join("people.csv");
    std::fs::write(&csv, TWO_ROWS).expect("csv");
    let w = Walk { c, base: format!("http://{addr}") };
    let result = async {
        // Log in as the administrator.
        w.goto("/login", "#username").await?;
        w.type_into("#username", "admin").await?;
        w.type_into("#password", ADMIN_PASSWORD).await?;
        w.click_through("form[action='/login'] button[type=submit]").await?;

        // Add an officer.
        w.goto("/admin/people", "#add-person").await?;
        w.type_into("#f-name", "韩浏览").await?;
        w.c.find(Locator::Css("#f-role"))
            .await
            .map_err(err)?
            .select_by_value("officer")
            .await
            .map_err(err)?;
        w.type_into("#f-posts", "立案岗、调查岗").await?;
        w.type_into("#f-office", "基金监管股").await?;
        w.type_into("#f-certificate", "豫医保0501").await?;
        w.type_into("#f-until", "2026-11-30").await?;
        w.click_through("#add-person button[type=submit]").await?;
        check(w.text(".done").await?.contains("已添加人员"), "the officer was added")?;
        let table = w.text("#people").await?;
        check(
            table.contains("韩浏览") && table.contains("30 日内到期"),
            &format!("the list shows the officer, expiring: {table}"),
        )?;
        w.shot("added").await?;

        // Import the two-row csv: preview, then confirm.
        let path = csv.to_str().ok_or("csv path")?;
        w.c.find(Locator::Css("#import-people input[type=file]"))
            .await
            .map_err(err)?
            .send_keys(path)
            .await
            .map_err(err)?;
        w.click_through("#import-people button[type=submit]").await?;
        w.wait_for("#preview").await?;
        let preview = w.text("#preview").await?;
        check(
            preview.contains("孟导入") && preview.contains("冯导入"),
            &format!("the preview shows both rows: {preview}"),
        )?;
        w.shot("import-preview").await?;
        w.click_through("#confirm-import button[type=submit]").await?;
        check(w.text(".done").await?.contains("新增 2 人"), "two people imported")?;
        check(w.source().await?.contains("mengdr"), "the new login is shown with its password")?;
        w.shot("imported").await?;

        // Retire one of them.
        w.goto("/admin/people", "#people").await?;
        let mut target = None;
        for a in w.c.find_all(Locator::Css("#people a")).await.map_err(err)? {
            if a.text().await.map_err(err)? == "孟导入" {
                target = a.attr("href").await.map_err(err)?;
            }
        }
        let href = target.ok_or("孟导入 is listed")?;
        w.goto(&href, "#retire-person").await?;
        w.click_through("#retire-person button[type=submit]").await?;
        check(w.text(".done").await?.contains("已办理离岗"), "retired")?;
        check(w.text("h1").await?.contains("已离岗"), "the page says so")?;
        w.shot("retired").await?;
        w.goto("/admin/people", "#people").await?;
        check(w.text("#people").await?.contains("已离岗"), "the list shows the retired person")?;
        w.shot("list").await?;

        // The public, logged out: the menu leads to 行政执法公示; the person is masked.
        w.c.delete_all_cookies().await.map_err(err)?;
        w.goto("/", "nav").await?;
        w.click_through("nav a[href='/publications']").await?;
        w.wait_for("#publications").await?;
        let list = w.text("#publications").await?;
        check(list.contains("赵**"), &format!("the list shows the masked name: {list}"))?;
        let source = w.source().await?;
        for s in [PERSON, ID_NUMBER, PHONE] {
            check(!source.contains(s), &format!("the list hides {s}"))?;
        }
        w.shot("publications").await?;
        w.click_through("#publications tbody tr:first-child a").await?;
        let page = w.text("main").await?;
        check(
            page.contains("赵**") && page.contains("410523********1234"),
            &format!("the decision is masked: {page}"),
        )?;
        let source = w.source().await?;
        for s in [PERSON, ID_NUMBER, PHONE] {
            check(!source.contains(s), &format!("the decision hides {s}"))?;
        }
        w.shot("publication").await?;
        Ok::<(), String>(())
    }
    .await;
    if result.is_err() {
        let _ = w.shot("failure").await;
    }
    let _ = w.c.close().await;
    if let Err(msg) = result {
        panic!("people walk failed: {msg} (see target/screenshots/people-failure.png)");
    }
}
