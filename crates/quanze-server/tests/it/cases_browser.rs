//! The officer console in a real browser (the project's Chromium setup, see `browser.rs`): the
//! Done-when of issue 8 walked through the pages, as `cases.rs` walks it over the API.
//!
//! - A penalty case from an item page to 结案: 立案 refused without the leader (the reason
//!   and the article on the form), evidence with a second officer, 法制审核, 事先告知, the
//!   party's hearing request in time, an investigator refused as presider, a presider the
//!   leader puts on the case, 集体讨论 where the fine requires it, the decision, service,
//!   payment and closing; the documents print with their 文号.
//! - An officer not on a case gets 403 on its page, and the supervisor sees the attempt in
//!   the read log, with its minute.
//! - A service application: received, the missing material told once (一次性告知), accepted,
//!   reviewed, approved with the leader.
//!
//! The clock is fixed (`demo_env`); every wait is bounded generously and only waits for a
//! page, it never decides the outcome. Screenshots in `target/screenshots/cases-*`.

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::browser::{browser, shot, start_server};
use serde_json::json;

use crate::cases::{Http, demo_env, item_id, outsider, person_id, service_item_id};

fn check(cond: bool, what: &str) -> Result<(), String> {
    if cond { Ok(()) } else { Err(what.to_string()) }
}

fn err(e: fantoccini::error::CmdError) -> String {
    e.to_string()
}

/// A 文号 as the documents print it: 汤医保罚〔2026〕2号.
fn is_doc_no(s: &str, suffix: &str) -> bool {
    let Some(rest) = s.trim().strip_prefix(&format!("汤医保{suffix}〔2026〕")) else { return false };
    let Some(n) = rest.strip_suffix('号') else { return false };
    !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
}

/// One browser on one server: the steps of the walks.
struct Walk {
    c: Client,
    base: String,
}

impl Walk {
    /// Wait (up to a minute: the machine's load must not decide the outcome) for `css`.
    async fn wait_for(&self, css: &str) -> Result<(), String> {
        self.c
            .wait()
            .at_most(Duration::from_secs(60))
            .for_element(Locator::Css(css))
            .await
            .map(|_| ())
            .map_err(|e| format!("waiting for {css}: {e}"))
    }

    async fn has(&self, css: &str) -> Result<bool, String> {
        Ok(!self.c.find_all(Locator::Css(css)).await.map_err(err)?.is_empty())
    }

    async fn text(&self, css: &str) -> Result<String, String> {
        self.c.find(Locator::Css(css)).await.map_err(|e| format!("{css}: {e}"))?.text().await.map_err(err)
    }

    async fn path(&self) -> Result<String, String> {
        Ok(self.c.current_url().await.map_err(err)?.path().to_string())
    }

    async fn goto(&self, path: &str, ready: &str) -> Result<(), String> {
        self.c.goto(&format!("{}{path}", self.base)).await.map_err(err)?;
        self.wait_for(ready).await
    }

    /// Click `css` and wait until the next page has replaced this one (the page is marked
    /// first, so a form answered with the same URL is not mistaken for its answer).
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

    /// Log in as `user`, leaving any earlier session behind.
    async fn login(&self, user: &str, password: &str) -> Result<(), String> {
        self.c.delete_all_cookies().await.map_err(err)?;
        self.goto("/login", "#username").await?;
        self.c.find(Locator::Css("#username")).await.map_err(err)?.send_keys(user).await.map_err(err)?;
        self.c.find(Locator::Css("#password")).await.map_err(err)?.send_keys(password).await.map_err(err)?;
        self.click_through("form[action='/login'] button[type=submit]").await?;
        check(self.path().await? != "/login", &format!("{user} logged in"))
    }

    /// Fill the fields of the form `form`: selects by value, checkboxes ticked for `true`,
    /// text replaced; then tick the people acting beside the viewer.
    async fn fill(&self, form: &str, fields: &[(&str, &str)], with: &[&str]) -> Result<(), String> {
        for (key, value) in fields {
            let css = format!("{form} [name='{key}']");
            let el = self.c.find(Locator::Css(&css)).await.map_err(|e| format!("{css}: {e}"))?;
            match el.tag_name().await.map_err(err)?.as_str() {
                "select" => el.select_by_value(value).await.map_err(|e| format!("{css} = {value}: {e}"))?,
                _ if el.attr("type").await.map_err(err)?.as_deref() == Some("checkbox") => {
                    if (*value == "true") != el.is_selected().await.map_err(err)? {
                        el.click().await.map_err(err)?;
                    }
                }
                _ => {
                    el.clear().await.map_err(err)?;
                    el.send_keys(value).await.map_err(err)?;
                }
            }
        }
        for person in with {
            let css = format!("{form} input[name=with][value='{person}']");
            let el = self.c.find(Locator::Css(&css)).await.map_err(|e| format!("{css}: {e}"))?;
            if !el.is_selected().await.map_err(err)? {
                el.click().await.map_err(err)?;
            }
        }
        Ok(())
    }

    /// Submit the form of `action` on the case page; the page that answers.
    async fn submit(
        &self,
        action: &str,
        at: &str,
        fields: &[(&str, &str)],
        with: &[&str],
    ) -> Result<(), String> {
        let form = format!("#act-{action}");
        check(self.has(&form).await?, &format!("the case page offers 「{action}」"))?;
        let mut all = vec![("at", at)];
        all.extend_from_slice(fields);
        self.fill(&form, &all, with).await?;
        self.click_through(&format!("{form} button[type=submit]")).await
    }

    /// Take `action`; it must apply.
    async fn act(
        &self,
        action: &str,
        at: &str,
        fields: &[(&str, &str)],
        with: &[&str],
    ) -> Result<(), String> {
        self.submit(action, at, fields, with).await?;
        if self.has(".refusal").await? {
            return Err(format!("{action} refused: {}", self.text(".refusal").await?));
        }
        check(self.has(".done").await?, &format!("{action} applied"))
    }

    /// Take `action`; it must be refused on its own form. The refusal's text.
    async fn refused(
        &self,
        action: &str,
        at: &str,
        fields: &[(&str, &str)],
        with: &[&str],
    ) -> Result<String, String> {
        self.submit(action, at, fields, with).await?;
        check(!self.has(".done").await?, &format!("{action} must not apply"))?;
        self.text(&format!("#act-{action} .refusal")).await
    }

    async fn state(&self) -> Result<String, String> {
        self.text("#case-state").await
    }

    /// The action forms on the page, by action id.
    async fn forms(&self) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        for f in self.c.find_all(Locator::Css("form.action")).await.map_err(err)? {
            if let Some(id) = f.attr("id").await.map_err(err)? {
                out.push(id.trim_start_matches("act-").to_string());
            }
        }
        Ok(out)
    }

    async fn shot(&self, name: &str) -> Result<(), String> {
        shot(&self.c, name).await.map(|_| ())
    }
}

/// Run `walk` in a browser against a server of `e`; a failure leaves a screenshot.
async fn in_browser<F>(e: &crate::common::Env, name: &str, walk: F)
where
    F: AsyncFnOnce(&Walk) -> Result<(), String>,
{
    let profile = tempfile::tempdir().expect("profile dir");
    let Some((_driver, c)) = browser(profile.path()).await else { return };
    let addr = start_server(e).await;
    let w = Walk { c, base: format!("http://{addr}") };
    let result = walk(&w).await;
    if result.is_err() {
        let _ = w.shot(&format!("cases-{name}-failure")).await;
    }
    let _ = w.c.close().await;
    if let Err(msg) = result {
        panic!("console walk {name} failed: {msg} (see target/screenshots/cases-{name}-failure.png)");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_penalty_case_runs_through_the_console_from_the_item_page_to_closing_and_prints_its_numbers() {
    let e = demo_env().await;
    let item = item_id(&e, 5).await;
    let (qian_login, qian_password) = outsider(&e).await;
    let li = person_id(&e, "李华").await;
    let wang = person_id(&e, "王局长").await;
    let zhao = person_id(&e, "赵副局长").await;
    let zhang = person_id(&e, "张明").await;
    let qian = person_id(&e, "钱外").await;
    // Two clues of 张明's, opened earlier (for 我的待办's colours).
    let http = Http::start(&e).await;
    let zhang_api = http.login("demo-zhangming", "demo-officer-1").await;
    for (label, at) in [("待办-逾期", "2026-10-16T09:00"), ("待办-临近", "2026-10-21T09:00")] {
        let body = json!({ "item": item, "label": label, "party": "unit", "with": [li], "at": at });
        let r = http.post(&zhang_api, "/api/cases", body).await;
        assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.text());
    }
    in_browser(&e, "penalty", async |w: &Walk| {
        // 张明 opens a case from the item page, with 李华.
        w.login("demo-zhangming", "demo-officer-1").await?;
        w.goto(&format!("/items/{item}"), "#h-basis").await?;
        w.c.find(Locator::LinkText("立案 / 受理")).await.map_err(err)?.click().await.map_err(err)?;
        w.wait_for("form[action='/cases/new']").await?;
        check(w.text("h1").await?.starts_with("立案 / 受理"), "the new-case heading")?;
        w.fill("form[action='/cases/new']", &[("at", "2026-11-10T09:00"), ("party", "unit")], &[&li]).await?;
        w.shot("cases-01-open").await?;
        w.click_through("form[action='/cases/new'] button[type=submit]").await?;
        w.wait_for("#case-state").await?;
        check(w.state().await? == "线索核查", "opened as a clue")?;
        let case = w.path().await?;
        let forms = w.forms().await?;
        check(forms.contains(&"register".into()), "立案 is offered")?;
        for not_now in ["decide", "hold_hearing", "close", "serve", "extend_seal", "resume", "legal_review"] {
            check(
                !forms.contains(&not_now.into()),
                &format!("no form for 「{not_now}」 in 线索核查: {forms:?}"),
            )?;
        }
        w.shot("cases-02-opened").await?;

        // 立案 without the leader: refused, the reason and the article on the form.
        let reason = w.refused("register", "2026-11-10T10:00", &[], &[&li]).await?;
        check(reason.contains("负责人"), &format!("the refusal's reason: {reason}"))?;
        check(reason.contains("行政处罚法 第五十四条"), &format!("the refusal's article: {reason}"))?;
        w.shot("cases-03-refused").await?;
        w.act("register", "2026-11-10T10:00", &[], &[&li, &wang]).await?;
        check(w.state().await? == "立案调查", "registered")?;

        // Evidence with the second officer; the timeline says who.
        w.act("investigate", "2026-11-11T09:00", &[("evidence", "书证\n当事人的陈述")], &[&li]).await?;
        let timeline = w.text("ol.timeline").await?;
        check(timeline.contains("调查取证") && timeline.contains("张明、李华"), "the timeline shows who")?;
        w.shot("cases-04-investigated").await?;
        w.act("conclude", "2026-11-12T09:00", &[], &[&li]).await?;
        check(w.state().await? == "调查终结", "concluded")?;

        // 法制审核 by the legal reviewer (a hearing makes it required before the decision).
        w.login("demo-zhoulv", "demo-reviewer-1").await?;
        w.goto(&case, "#case-state").await?;
        w.act("legal_review", "2026-11-13T09:00", &[("opinion", "同意")], &[]).await?;

        // 事先告知; before the party asks, no hearing can be held.
        w.login("demo-zhangming", "demo-officer-1").await?;
        w.goto(&case, "#case-state").await?;
        w.act("notify", "2026-11-16T09:00", &[("fine_yuan", "120000"), ("base_yuan", "30000")], &[&li])
            .await?;
        check(w.state().await? == "已告知", "notified")?;
        let forms = w.forms().await?;
        check(
            !forms.contains(&"hold_hearing".into()),
            &format!("no hearing before it is requested: {forms:?}"),
        )?;
        // The party asks for a hearing the next day, within the five working days.
        w.act("request_hearing", "2026-11-17T09:00", &[], &[]).await?;
        check(w.forms().await?.contains(&"hold_hearing".into()), "a requested hearing can be held")?;
        // The presider is chosen by name from a list that sends ids: an investigator is refused.
        let options = w.text("#hold_hearing-presider").await?;
        check(
            options.contains("张明") && options.contains("钱外"),
            &format!("presiders by name: {options}"),
        )?;
        let reason = w.refused("hold_hearing", "2026-11-27T09:00", &[("presider", &zhang)], &[]).await?;
        check(
            reason.contains("张明") && reason.contains("第六十四条"),
            &format!("investigator refused: {reason}"),
        )?;
        w.shot("cases-05-presider-refused").await?;

        // 王局长 puts 钱外, who did not investigate, on the case as presider.
        w.login("demo-wang", "demo-leader-1").await?;
        w.goto(&case, "#assign").await?;
        w.fill("#assign", &[("person", &qian), ("duty", "presider")], &[]).await?;
        w.click_through("#assign button[type=submit]").await?;
        check(w.text("dl.facts").await?.contains("钱外"), "钱外 is on the case")?;

        w.login(&qian_login, &qian_password).await?;
        w.goto(&case, "#case-state").await?;
        w.act("hold_hearing", "2026-11-27T09:00", &[("presider", &qian)], &[]).await?;
        let timeline = w.text("ol.timeline").await?;
        check(timeline.contains("举行听证") || timeline.contains("听证"), "the hearing is in the timeline")?;

        // The leader decides: a fine of 120,000 元 on a unit is a major case, discussed first.
        w.login("demo-wang", "demo-leader-1").await?;
        w.goto(&case, "#case-state").await?;
        let fine = [("decision", "penalty"), ("fine_yuan", "120000"), ("base_yuan", "30000")];
        let reason = w.refused("decide", "2026-11-30T09:00", &fine, &[]).await?;
        check(
            reason.contains("集体讨论") && reason.contains("第五十七条"),
            &format!("discussion first: {reason}"),
        )?;
        w.shot("cases-06-discussion-required").await?;
        w.act("discuss", "2026-11-30T09:00", &[("conclusion", "同意给予罚款120000元")], &[&zhao]).await?;
        w.act("decide", "2026-11-30T10:00", &fine, &[]).await?;
        check(w.state().await? == "已决定", "decided")?;

        // Served, paid, closed; 结案 is offered only once the fine is paid.
        w.login("demo-zhangming", "demo-officer-1").await?;
        w.goto(&case, "#case-state").await?;
        check(!w.forms().await?.contains(&"close".into()), "no closing before payment")?;
        w.act("serve", "2026-11-30T15:00", &[("method", "direct")], &[&li]).await?;
        check(w.state().await? == "已送达", "served")?;
        w.act("pay", "2026-12-07T09:00", &[("amount_yuan", "120000"), ("receipt", "演示票据1")], &[]).await?;
        check(w.state().await? == "执行完毕", "paid")?;
        w.act("close", "2026-12-08T09:00", &[], &[&wang]).await?;
        check(w.state().await? == "结案", "closed")?;
        check(w.forms().await?.is_empty(), "a closed case offers nothing")?;
        w.shot("cases-07-closed").await?;

        // The documents, each numbered document with its 文号, printed without menus.
        w.goto(&format!("{case}/documents"), "table.cases").await?;
        let listing = w.text("table.cases").await?;
        for title in [
            "立案审批表",
            "行政处罚事先告知书",
            "听证通知书",
            "集体讨论记录",
            "行政处罚决定书",
            "送达回证",
            "结案审批表",
        ] {
            check(listing.contains(title), &format!("{title} listed: {listing}"))?;
        }
        w.shot("cases-08-documents").await?;
        let decision_row =
            w.c.find(Locator::XPath("//tr[td[1][normalize-space()='行政处罚决定书']]")).await.map_err(err)?;
        let number = decision_row
            .find(Locator::Css("td:nth-child(2)"))
            .await
            .map_err(err)?
            .text()
            .await
            .map_err(err)?;
        check(is_doc_no(&number, "罚"), &format!("the decision's 文号: {number}"))?;
        decision_row.find(Locator::LinkText("打印")).await.map_err(err)?.click().await.map_err(err)?;
        w.wait_for("section.doc").await?;
        check(!w.has("header.site").await?, "no menus on the print view")?;
        let printed = w.text("section.doc").await?;
        check(printed.contains(&number), &format!("the printed decision carries {number}"))?;
        check(printed.contains("行政复议") && printed.contains("人民政府"), "the 复议 route is printed")?;
        w.shot("cases-09-decision-print").await?;
        w.goto(&format!("{case}/dossier"), "section.doc").await?;
        let dossier = w.text("body").await?;
        check(dossier.contains(&number), "the file (一案一卷) carries the decision's 文号")?;
        let (first, last) = (dossier.find("立案审批表"), dossier.find("结案审批表"));
        check(first.zip(last).is_some_and(|(a, b)| a < b), "the file in its fixed order")?;

        // 我的待办: nearest deadline first, yellow when near, red when passed. The two clues
        // opened before the walk: 立案核查 (15 working days) ran out on 11-06 for the one of
        // 10-16, and runs out on 11-11 for the one of 10-21, the day after today.
        w.goto("/cases", "table.cases").await?;
        let row = async |label: &str| -> Result<String, String> {
            let xpath = format!("//table[contains(@class,'cases')]//tr[td[1][normalize-space()='{label}']]");
            let tr =
                w.c.find(Locator::XPath(&xpath)).await.map_err(|e| format!("{label} on 我的待办: {e}"))?;
            Ok(tr.attr("class").await.map_err(err)?.unwrap_or_default())
        };
        check(row("待办-逾期").await? == "urgency-passed", "a passed deadline is red")?;
        check(row("待办-临近").await? == "urgency-near", "a near deadline is yellow")?;
        let labels = w.text("table.cases tbody").await?;
        check(
            labels.find("待办-逾期").zip(labels.find("待办-临近")).is_some_and(|(a, b)| a < b),
            "the nearest deadline first",
        )?;
        w.shot("cases-10-todo").await?;
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_not_on_a_case_gets_403_and_the_supervisor_sees_the_attempt_in_the_read_log() {
    let e = demo_env().await;
    let (qian_login, qian_password) = outsider(&e).await;
    let store = e.state.store();
    let bureau = store.bureau_by_name("汤阴县医疗保障局").await.expect("read").expect("bureau");
    let case = store
        .case_by_label(bureau.id, quanze_casework::demo::DOCUMENTED_CASE)
        .await
        .expect("read")
        .expect("the demo's documented case");
    let case = format!("/cases/{}", case.id.0);
    in_browser(&e, "denied", async |w: &Walk| {
        w.login(&qian_login, &qian_password).await?;
        w.goto(&case, "main h1").await?;
        check(!w.has("#case-state").await?, "the case is not shown")?;
        let page = w.text("main").await?;
        check(page.contains("不是本案的承办人员"), &format!("the reason: {page}"))?;
        check(page.contains("个人信息保护法"), &format!("the article: {page}"))?;
        w.shot("cases-11-forbidden").await?;

        w.login("demo-sun", "demo-supervisor-1").await?;
        w.goto(&case, "#case-state").await?;
        check(w.forms().await?.is_empty(), "a supervisor reads, and acts on nothing")?;
        w.c.find(Locator::LinkText("查阅记录")).await.map_err(err)?.click().await.map_err(err)?;
        w.wait_for("table.cases").await?;
        let row = w
            .c
            .find(Locator::XPath("//table[contains(@class,'cases')]//tr[td[2][normalize-space()='钱外']]"))
            .await
            .map_err(|e| format!("钱外's attempt in the read log: {e}"))?;
        let text = row.text().await.map_err(err)?;
        check(text.contains("拒绝") && text.contains("access_not_on_case"), &format!("refused: {text}"))?;
        // The fixed clock reads 09:30: the log keeps the minute.
        check(text.contains("2026-11-10 09:30"), &format!("the time to the minute: {text}"))?;
        w.shot("cases-12-read-log").await?;
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_application_is_told_its_missing_material_once_then_accepted_and_approved() {
    let e = demo_env().await;
    let item = service_item_id(&e).await;
    let wang = person_id(&e, "王局长").await;
    in_browser(&e, "service", async |w: &Walk| {
        w.login("demo-zhangming", "demo-officer-1").await?;
        w.goto(&format!("/items/{item}"), "main h1").await?;
        w.c.find(Locator::LinkText("立案 / 受理")).await.map_err(err)?.click().await.map_err(err)?;
        w.wait_for("form[action='/cases/new']").await?;
        w.fill("form[action='/cases/new']", &[("at", "2026-11-10T09:00"), ("party", "individual")], &[])
            .await?;
        w.click_through("form[action='/cases/new'] button[type=submit]").await?;
        w.wait_for("#case-state").await?;
        check(w.state().await? == "已收件", "received")?;
        let forms = w.forms().await?;
        check(
            ["accept", "request_materials", "reject"].iter().all(|a| forms.contains(&a.to_string())),
            &format!("收件 offers 受理, 补正, 不予受理: {forms:?}"),
        )?;
        check(!forms.contains(&"approve".into()), "no approval before review")?;
        w.shot("cases-13-received").await?;

        // 一次性告知: the missing material, once.
        w.act("request_materials", "2026-11-10T10:00", &[("missing", "身份证复印件")], &[]).await?;
        check(w.state().await? == "待补正", "told the missing material")?;
        check(!w.forms().await?.contains(&"request_materials".into()), "the missing material is told once")?;
        w.act("accept", "2026-11-12T09:00", &[], &[]).await?;
        check(w.state().await? == "已受理", "accepted")?;
        w.act("review", "2026-11-13T09:00", &[], &[]).await?;
        // 准予 needs the leader: refused with the article, then approved with him.
        let reason = w.refused("approve", "2026-11-16T09:00", &[], &[]).await?;
        check(
            reason.contains("负责人") && reason.contains("第五十七条"),
            &format!("leader approves: {reason}"),
        )?;
        w.act("approve", "2026-11-16T09:00", &[], &[&wang]).await?;
        check(w.state().await? == "准予", "approved")?;
        w.shot("cases-14-approved").await?;

        let case = w.path().await?;
        w.goto(&format!("{case}/documents"), "table.cases").await?;
        let listing = w.text("table.cases").await?;
        check(listing.contains("一次性告知补正材料通知书") && listing.contains("受理通知书"), &listing)?;
        let row =
            w.c.find(Locator::XPath("//tr[td[1][normalize-space()='一次性告知补正材料通知书']]"))
                .await
                .map_err(err)?;
        let number =
            row.find(Locator::Css("td:nth-child(2)")).await.map_err(err)?.text().await.map_err(err)?;
        check(is_doc_no(&number, "补"), &format!("the notice's 文号: {number}"))?;
        row.find(Locator::LinkText("打印")).await.map_err(err)?.click().await.map_err(err)?;
        w.wait_for("section.doc").await?;
        let printed = w.text("section.doc").await?;
        check(
            printed.contains(&number) && printed.contains("身份证复印件"),
            &format!("the notice: {printed}"),
        )?;
        w.shot("cases-15-materials-notice").await?;
        Ok(())
    })
    .await;
}
