//! The officer console in a real browser (the project's Chromium setup, see `browser.rs`): a
//! demo officer logs in, opens a penalty case from an item page, is refused 立案 without a
//! leader (the reason and the article on the form), records 立案 with the leader and evidence
//! with a second officer, and prints a document. Screenshots in `target/screenshots/cases-*`.

use fantoccini::{Client, Locator};

use crate::browser::{browser, shot, start_server, text_of, wait_for};
use crate::cases::{demo_env, item_id, person_id};

fn check(cond: bool, what: &str) -> Result<(), String> {
    if cond { Ok(()) } else { Err(what.to_string()) }
}

async fn click(c: &Client, css: &str) -> Result<(), String> {
    c.find(Locator::Css(css))
        .await
        .map_err(|e| format!("{css}: {e}"))?
        .click()
        .await
        .map_err(|e| format!("{css}: {e}"))
}

async fn fill(c: &Client, css: &str, text: &str) -> Result<(), String> {
    c.find(Locator::Css(css))
        .await
        .map_err(|e| format!("{css}: {e}"))?
        .send_keys(text)
        .await
        .map_err(|e| format!("{css}: {e}"))
}

async fn walk(c: &Client, base: &str, item: i64, li: &str, wang: &str) -> Result<(), String> {
    let err = |e: fantoccini::error::CmdError| e.to_string();
    // Log in as the demo officer 张明.
    c.goto(&format!("{base}/login")).await.map_err(err)?;
    wait_for(c, "#username").await?;
    fill(c, "#username", "demo-zhangming").await?;
    fill(c, "#password", "demo-officer-1").await?;
    click(c, "form[action='/login'] button[type=submit]").await?;
    // The login answers with a redirect; wait until the browser has left the form (bounded
    // generously: the machine's load must not decide the outcome).
    for _ in 0..600 {
        if c.current_url().await.map_err(err)?.path() != "/login" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    check(c.current_url().await.map_err(err)?.path() != "/login", "logged in")?;

    // The item page links to opening a case.
    c.goto(&format!("{base}/items/{item}")).await.map_err(err)?;
    wait_for(c, "#h-basis").await?;
    c.find(Locator::LinkText("立案 / 受理")).await.map_err(err)?.click().await.map_err(err)?;
    wait_for(c, "form[action='/cases/new']").await?;
    check(text_of(c, "h1").await?.starts_with("立案 / 受理"), "new-case heading")?;
    click(c, &format!("form[action='/cases/new'] input[name=with][value='{li}']")).await?;
    shot(c, "cases-01-open").await?;
    click(c, "form[action='/cases/new'] button[type=submit]").await?;
    wait_for(c, "#case-state").await?;
    check(c.current_url().await.map_err(err)?.path().starts_with("/cases/"), "case page after opening")?;
    shot(c, "cases-02-opened").await?;

    // 立案 without the leader: refused, the reason and the article on the form.
    click(c, "#act-register button[type=submit]").await?;
    wait_for(c, "#act-register .refusal").await?;
    let reason = text_of(c, "#act-register .refusal").await?;
    check(reason.contains("负责人"), "the refusal's reason is shown")?;
    check(reason.contains("行政处罚法 第五十四条"), "the refusal's article is shown")?;
    shot(c, "cases-03-refused").await?;

    // With the leader and the second officer, 立案 applies.
    click(c, &format!("#act-register input[name=with][value='{li}']")).await?;
    click(c, &format!("#act-register input[name=with][value='{wang}']")).await?;
    click(c, "#act-register button[type=submit]").await?;
    wait_for(c, ".done").await?;
    check(text_of(c, "#case-state").await? == "立案调查", "registered")?;

    // Evidence with the second officer.
    fill(c, "#investigate-evidence", "书证\n现场笔录").await?;
    click(c, &format!("#act-investigate input[name=with][value='{li}']")).await?;
    click(c, "#act-investigate button[type=submit]").await?;
    wait_for(c, ".done").await?;
    check(text_of(c, ".done").await?.contains("调查取证"), "evidence recorded")?;
    let timeline = text_of(c, "ol.timeline").await?;
    check(timeline.contains("调查取证") && timeline.contains("张明、李华"), "timeline shows who")?;
    shot(c, "cases-04-investigated").await?;

    // The documents and a print view without menus.
    let case_path = c.current_url().await.map_err(err)?.path().to_string();
    c.goto(&format!("{base}{case_path}/documents")).await.map_err(err)?;
    wait_for(c, "table.cases").await?;
    shot(c, "cases-05-documents").await?;
    c.find(Locator::LinkText("打印")).await.map_err(err)?.click().await.map_err(err)?;
    wait_for(c, "section.doc").await?;
    check(c.find(Locator::Css("header.site")).await.is_err(), "no menus on the print view")?;
    check(text_of(c, "section.doc h1").await?.contains("立案"), "the 立案审批表 prints")?;
    shot(c, "cases-06-print").await?;

    // 我的待办 lists the new case.
    c.goto(&format!("{base}/cases")).await.map_err(err)?;
    wait_for(c, "table.cases").await?;
    shot(c, "cases-07-todo").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_opens_a_case_from_an_item_page_is_refused_with_the_article_and_prints() {
    let e = demo_env().await;
    let profile = tempfile::tempdir().expect("profile dir");
    let Some((_driver, c)) = browser(profile.path()).await else { return };
    let addr = start_server(&e).await;
    let item = item_id(&e, 5).await;
    let (li, wang) = (person_id(&e, "李华").await, person_id(&e, "王局长").await);
    let result = walk(&c, &format!("http://{addr}"), item, &li, &wang).await;
    if result.is_err() {
        let _ = shot(&c, "cases-failure").await;
    }
    let _ = c.close().await;
    if let Err(e) = result {
        panic!("console walk failed: {e}");
    }
}
