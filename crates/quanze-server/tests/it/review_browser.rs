//! Review and publication in a real browser (issue 11), without JavaScript of ours: an
//! officer uploads a draft through the form, a legal reviewer approves it, an administrator
//! fills in the reasons, the 调整说明 and the 批准文号, sees the confirmation page (desktop
//! and phone width), confirms, and is told what was published. Screenshots go to
//! `target/screenshots/review-*.png`.

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::browser::{browser, screenshots_dir, shot, start_server};
use crate::common::{ADMIN_PASSWORD, env};
use crate::no_leak::{SECRET_FILE, secret_draft};

fn check(cond: bool, what: &str) -> Result<(), String> {
    if cond { Ok(()) } else { Err(format!("check failed: {what}")) }
}

fn err(e: fantoccini::error::CmdError) -> String {
    e.to_string()
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

    async fn text(&self, css: &str) -> Result<String, String> {
        self.c.find(Locator::Css(css)).await.map_err(|e| format!("{css}: {e}"))?.text().await.map_err(err)
    }

    async fn goto(&self, path: &str, ready: &str) -> Result<(), String> {
        self.c.goto(&format!("{}{path}", self.base)).await.map_err(err)?;
        self.wait_for(ready).await
    }

    /// Click and wait until the next page replaced this one.
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

    async fn type_into(&self, css: &str, text: &str) -> Result<(), String> {
        let el = self.c.find(Locator::Css(css)).await.map_err(|e| format!("{css}: {e}"))?;
        el.clear().await.map_err(err)?;
        el.send_keys(text).await.map_err(err)
    }

    async fn login(&self, user: &str, password: &str) -> Result<(), String> {
        self.c.delete_all_cookies().await.map_err(err)?;
        self.goto("/login", "#username").await?;
        self.type_into("#username", user).await?;
        self.type_into("#password", password).await?;
        self.click_through("form[action='/login'] button[type=submit]").await
    }

    async fn fits_phone(&self) -> Result<(), String> {
        let w = self.c.execute("return document.documentElement.scrollWidth", vec![]).await.map_err(err)?;
        check(w.as_u64().is_some_and(|w| w <= 400), &format!("fits a phone screen (scrollWidth {w})"))
    }
}

async fn walk(w: &Walk, draft: &std::path::Path) -> Result<(), String> {
    // The officer uploads the draft through the form.
    w.login("chengban", "officer-password-11").await?;
    w.goto("/admin/reviews", "form[action='/admin/reviews/import']").await?;
    w.c.find(Locator::Css("#file"))
        .await
        .map_err(err)?
        .send_keys(&draft.display().to_string())
        .await
        .map_err(err)?;
    w.click_through("form[action='/admin/reviews/import'] button[type=submit]").await?;
    check(w.text("p.notice").await?.contains("等待法制审核"), "imported, awaiting review")?;
    check(
        w.c.find_all(Locator::Css("form[action$='/approve']")).await.map_err(err)?.is_empty(),
        "no approve form",
    )?;
    let review = w.c.current_url().await.map_err(err)?.path().to_string();
    shot(&w.c, "review-01-imported").await?;

    // The legal reviewer approves.
    w.login("fazhi", "reviewer-password-11").await?;
    w.goto(&review, "form[action$='/approve']").await?;
    w.type_into("#approve_note", "依据已核对，第九百条为笔误，同意发布").await?;
    w.click_through("form[action$='/approve'] button[type=submit]").await?;
    check(w.text("p.notice").await?.contains("已审核通过"), "approved")?;
    shot(&w.c, "review-02-approved").await?;

    // The administrator: reasons, 调整说明, 批准文号, then the confirmation page.
    w.login("admin", ADMIN_PASSWORD).await?;
    w.goto(&review, "form[action$='/publish']").await?;
    shot(&w.c, "review-03-publish-form").await?;
    // Without the reasons first: the page says what is missing, the form keeps its text.
    w.type_into("#note", "首次发布本单位权责清单").await?;
    w.c.execute("document.getElementById('note').removeAttribute('required'); return true;", vec![])
        .await
        .map_err(err)?;
    w.click_through("form[action$='/publish'] button[type=submit]").await?;
    check(w.text("div.error").await?.contains("放行理由"), "missing reasons named")?;
    for el in w.c.find_all(Locator::Css("input[name^='reason_']")).await.map_err(err)? {
        el.send_keys("法规库未收录该条，经核对为笔误，下一版改正").await.map_err(err)?;
    }
    w.type_into("#approval_no", "保医保发〔2025〕1号").await?;
    w.click_through("form[action$='/publish'] button[type=submit]").await?;
    check(w.text("h1").await?.starts_with("确认发布"), "the confirmation page")?;
    let main = w.text("main").await?;
    check(main.contains("新增 20 项") && main.contains("保医保发〔2025〕1号"), "the summary is shown")?;
    shot(&w.c, "review-04-confirm").await?;
    w.c.set_window_size(390, 844).await.map_err(err)?;
    w.c.refresh().await.map_err(err)?;
    w.wait_for("button[name=confirm][value='1']").await?;
    w.fits_phone().await?;
    shot(&w.c, "review-05-confirm-phone").await?;
    w.click_through("button[name=confirm][value='1']").await?;
    let said = w.text("p.notice").await?;
    check(
        said.contains("已发布保密测试县医疗保障局第 1 版：新增 20 项"),
        &format!("says what it did: {said}"),
    )?;
    w.fits_phone().await?;
    shot(&w.c, "review-06-published-phone").await?;
    w.c.set_window_size(1280, 1100).await.map_err(err)?;
    w.goto("/admin/reviews", "h1").await?;
    check(w.text("main").await?.contains("保医保发〔2025〕1号"), "the record shows the 批准文号")?;
    shot(&w.c, "review-07-record").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_and_publish_in_a_real_browser() {
    let profile = tempfile::tempdir().expect("profile dir");
    let Some((_driver, c)) = browser(profile.path()).await else { return };
    let e = env().await;
    crate::review::staff(&e).await;
    let dir = tempfile::tempdir().expect("upload dir");
    let draft = dir.path().join(SECRET_FILE);
    std::fs::write(&draft, secret_draft()).expect("write draft");
    let addr = start_server(&e).await;
    let w = Walk { c, base: format!("http://{addr}") };
    let result = walk(&w, &draft).await;
    if result.is_err() {
        let _ = shot(&w.c, "review-failure").await;
    }
    let _ = w.c.close().await;
    if let Err(msg) = result {
        panic!("review walk failed: {msg} (see {}/review-failure.png)", screenshots_dir().display());
    }
}
