//! Issue 9's done-when in a real browser (the project's Chromium setup, see `browser.rs`): a
//! supervisor sees an overdue case appear, acknowledges it, resolves it with a justification;
//! the chart and the xlsx export show it.
//!
//! The case becomes overdue because the server's clock moves past its limit, never by waiting:
//! the server runs on a clock the test sets (`SteppedClock`), and after moving it the test runs
//! the supervision sweep that `quanze serve` runs at start and hourly
//! (`AppState::sweep_supervision`, which asks that clock for the day).
//!
//! Dates, counted by hand on the 2026 calendar (December 2026 has no holiday and no make-up
//! day): a clue received Tuesday 2026-12-01 must be decided within 15 working days (the day of
//! receipt not counted): 12-02..04 (3), 12-07..11 (8), 12-14..18 (13), 12-21, 12-22 (15), so
//! the limit ends 2026-12-22 and on Wednesday 2026-12-23 it has passed (red).
//!
//! Screenshots in `target/screenshots/supervision-*` (desktop width; the console also at a
//! phone's width).

use std::io::Cursor;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use calamine::Reader;
use fantoccini::{Client, Locator};
use quanze_model::{ChinaTime, Clock, Date};
use quanze_store::Page;
use serde_json::json;

use crate::browser::{browser, shot, start_server};
use crate::cases::{Http, person_id};
use crate::common::{Env, SEED_002, env_with};

/// A clock that stays where the test puts it.
#[derive(Debug)]
struct SteppedClock(Mutex<ChinaTime>);

impl SteppedClock {
    fn on(t: ChinaTime) -> Arc<SteppedClock> {
        Arc::new(SteppedClock(Mutex::new(t)))
    }

    fn set(&self, t: ChinaTime) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = t;
    }
}

impl Clock for SteppedClock {
    fn now(&self) -> ChinaTime {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn time(y: i32, m: u32, d: u32, h: u16, min: u16) -> ChinaTime {
    ChinaTime::at(Date::new(y, m, d).expect("date"), h, min).expect("time")
}

/// The demo server (`cases::demo_env`) on a clock the test moves.
async fn env_on(clock: Arc<SteppedClock>) -> Env {
    let e = env_with(|c| {
        c.seed = false;
        c.clock = clock;
    })
    .await;
    let store = e.state.store();
    let catalog = quanze_import::import_bytes("002_986fb97279c273a7.txt", SEED_002, &Default::default())
        .expect("import");
    let (_, stored) = store.import_catalog(&catalog, None).await.expect("store the list");
    store.publish_version(stored.version.id, None).await.expect("publish");
    quanze_casework::demo::load_demo(store, &catalog).await.expect("demo");
    e.state.refresh().await.expect("refresh");
    e
}

/// Item `seq` of the published 汤阴 list: its id and name.
async fn item(e: &Env, seq: u32) -> (i64, String) {
    let store = e.state.store();
    let bureau = store.bureau_by_name("汤阴县医疗保障局").await.expect("read").expect("bureau");
    let version = store.current_version(bureau.id).await.expect("read").expect("version");
    let items = store.items(version.id, Page::all()).await.expect("items").rows;
    items
        .iter()
        .find(|i| i.summary.seq == Some(seq))
        .map(|i| (i.summary.id.0, i.summary.name.clone()))
        .expect("item")
}

/// Percent-encode a query value (every byte but ASCII letters and digits).
fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn check(cond: bool, what: &str) -> Result<(), String> {
    if cond { Ok(()) } else { Err(what.to_string()) }
}

fn err(e: fantoccini::error::CmdError) -> String {
    e.to_string()
}

struct Console {
    c: Client,
    base: String,
}

impl Console {
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

    async fn goto(&self, path: &str, ready: &str) -> Result<(), String> {
        self.c.goto(&format!("{}{path}", self.base)).await.map_err(err)?;
        self.wait_for(ready).await
    }

    async fn has(&self, css: &str) -> Result<bool, String> {
        Ok(!self.c.find_all(Locator::Css(css)).await.map_err(err)?.is_empty())
    }

    async fn text(&self, css: &str) -> Result<String, String> {
        self.c.find(Locator::Css(css)).await.map_err(|e| format!("{css}: {e}"))?.text().await.map_err(err)
    }

    async fn attr(&self, css: &str, name: &str) -> Result<Option<String>, String> {
        self.c.find(Locator::Css(css)).await.map_err(|e| format!("{css}: {e}"))?.attr(name).await.map_err(err)
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

    async fn login(&self, user: &str, password: &str) -> Result<(), String> {
        self.c.delete_all_cookies().await.map_err(err)?;
        self.goto("/login", "#username").await?;
        self.c.find(Locator::Css("#username")).await.map_err(err)?.send_keys(user).await.map_err(err)?;
        self.c.find(Locator::Css("#password")).await.map_err(err)?.send_keys(password).await.map_err(err)?;
        self.click_through("form[action='/login'] button[type=submit]").await?;
        let path = self.c.current_url().await.map_err(err)?.path().to_string();
        check(path != "/login", &format!("{user} logged in"))
    }

    /// The rows of the alerts table that show case `label`: (row id, row text).
    async fn rows_of(&self, label: &str) -> Result<Vec<(String, String)>, String> {
        let mut out = Vec::new();
        for row in self.c.find_all(Locator::Css("#alerts tbody tr")).await.map_err(err)? {
            let text = row.text().await.map_err(err)?;
            if text.contains(label) {
                out.push((row.attr("id").await.map_err(err)?.unwrap_or_default(), text));
            }
        }
        Ok(out)
    }

    async fn shot(&self, name: &str) -> Result<(), String> {
        shot(&self.c, name).await.map(|_| ())
    }
}

const LABEL: &str = "监察-超期";
const JUSTIFICATION: &str = "已督促承办人于当日核查，线索不予立案";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overdue_case_appears_is_acknowledged_and_resolved_and_the_chart_and_export_show_it() {
    let clock = SteppedClock::on(time(2026, 12, 1, 9, 30));
    let e = env_on(Arc::clone(&clock)).await;
    // An item no demo case uses, so that the filtered figures are this case's alone.
    let (item_id, item_name) = item(&e, 4).await;
    let li = person_id(&e, "李华").await;
    let http = Http::start(&e).await;
    let zhang = http.login("demo-zhangming", "demo-officer-1").await;
    let body =
        json!({ "item": item_id, "label": LABEL, "party": "unit", "with": [li], "at": "2026-12-01T09:00" });
    let r = http.post(&zhang, "/api/cases", body).await;
    assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.text());
    e.state.sweep_supervision().await.expect("sweep on 12-01");

    let profile = tempfile::tempdir().expect("profile dir");
    let Some((_driver, c)) = browser(profile.path()).await else { return };
    let addr = start_server(&e).await;
    let w = Console { c, base: format!("http://{addr}") };
    let sun = http.login("demo-sun", "demo-supervisor-1").await;
    let result = walk(&w, &e, &clock, &http, &sun, &item_name).await;
    if result.is_err() {
        let _ = w.shot("supervision-failure").await;
    }
    let _ = w.c.close().await;
    if let Err(msg) = result {
        panic!("supervision walk failed: {msg} (see target/screenshots/supervision-failure.png)");
    }
}

async fn walk(
    w: &Console,
    e: &Env,
    clock: &SteppedClock,
    http: &Http,
    sun: &crate::cases::As,
    item_name: &str,
) -> Result<(), String> {
    w.login("demo-sun", "demo-supervisor-1").await?;

    // 2026-12-01: the clue is new; nothing of it among the overdue alerts.
    w.goto("/supervision?view=overdue", "#summary").await?;
    check(w.rows_of(LABEL).await?.is_empty(), "no overdue alert of the new clue on 12-01")?;
    w.shot("supervision-01-before").await?;

    // The server's clock moves to 2026-12-23; the sweep that `serve` runs hourly finds the
    // passed limit.
    clock.set(time(2026, 12, 23, 9, 30));
    let report = e.state.sweep_supervision().await.map_err(|e| format!("sweep: {e}"))?;
    check(report.raised >= 1, &format!("the sweep on 12-23 raised the alert: {report:?}"))?;

    w.goto("/supervision?view=overdue", "#summary").await?;
    let rows = w.rows_of(LABEL).await?;
    let (row_id, row_text) = rows
        .iter()
        .find(|(_, t)| t.contains("线索逾期未核查立案"))
        .cloned()
        .ok_or_else(|| format!("the overdue clue among the alerts: {rows:?}"))?;
    check(row_text.contains("红色预警"), &format!("graded red: {row_text}"))?;
    check(row_text.contains("张明"), &format!("its 承办人: {row_text}"))?;
    check(row_text.contains("未处理"), &format!("not yet handled: {row_text}"))?;
    w.shot("supervision-02-overdue").await?;
    // The console at a phone's width.
    w.c.set_window_size(390, 844).await.map_err(err)?;
    w.goto("/supervision?view=overdue", "#summary").await?;
    w.shot("supervision-03-phone").await?;
    w.c.set_window_size(1280, 1100).await.map_err(err)?;

    // The alert: acknowledge it, then resolve it with a justification.
    w.click_through(&format!("#{row_id} a[href^='/supervision/alerts/']")).await?;
    w.wait_for("#alert-status").await?;
    check(w.text("#alert-status").await?.starts_with("未处理"), "the alert is open")?;
    let message = w.text("#alert-message").await?;
    check(
        message.contains("十五个工作日") || message.contains("2026-12-22"),
        &format!("its message: {message}"),
    )?;
    w.click_through("#act-acknowledge button[type=submit]").await?;
    check(w.text(".done").await? == "已确认知悉。", "acknowledged")?;
    check(w.text("#alert-status").await?.starts_with("已知悉"), "status 已知悉")?;
    check(!w.has("#act-acknowledge").await?, "no second acknowledgement")?;
    w.shot("supervision-04-acknowledged").await?;
    let text = w.c.find(Locator::Css("#resolve-text")).await.map_err(err)?;
    text.send_keys(JUSTIFICATION).await.map_err(err)?;
    w.click_through("#act-resolve button[type=submit]").await?;
    check(w.text(".done").await? == "已办结。", "resolved")?;
    check(w.text("#alert-status").await?.starts_with("已办结"), "status 已办结")?;
    check(w.text("#alert-justification").await? == JUSTIFICATION, "the justification shown")?;
    let log = w.text("#alert-log").await?;
    check(
        log.contains("确认知悉") || log.contains("知悉"),
        &format!("the log has the acknowledgement: {log}"),
    )?;
    check(log.contains(JUSTIFICATION), &format!("the log has the resolution: {log}"))?;
    w.shot("supervision-05-resolved").await?;

    // Resolved, it has left the overdue list.
    w.goto("/supervision?view=overdue", "#summary").await?;
    check(w.rows_of(LABEL).await?.is_empty(), "a resolved alert is not overdue any more")?;

    // The month's figures and chart, filtered to the case's item.
    let q = format!("item={}&from=2026-12&to=2026-12", pct(item_name));
    w.goto(&format!("/supervision?{q}"), "#chart-alerts").await?;
    let rows = w.rows_of(LABEL).await?;
    check(
        rows.iter().any(|(_, t)| t.contains("已办结")),
        &format!("the resolved alert in the view: {rows:?}"),
    )?;
    let red = "#chart-alerts rect.bar[data-month='2026-12'][data-level='红色预警']";
    let count = w.attr(red, "data-count").await?.unwrap_or_default();
    check(count.parse::<u32>().is_ok_and(|n| n >= 1), &format!("the chart's red bar for 2026-12: {count}"))?;
    let title = w.text(&format!("{red} title")).await.unwrap_or_default();
    let svg =
        w.c.execute("return document.getElementById('chart-rates').outerHTML;", vec![]).await.map_err(err)?;
    let svg = svg.as_str().unwrap_or_default().to_string();
    check(
        svg.contains("2026-12 预警按时办结率 100.0%"),
        &format!("the rates chart shows the alert resolved in time ({title}): {svg}"),
    )?;
    let figures = w.text("#figures").await?;
    check(figures.contains("2026-12"), &format!("the figures' month: {figures}"))?;
    w.shot("supervision-06-chart").await?;

    // The export of this filtered view, read back.
    let href = w.attr("#export", "href").await?.unwrap_or_default();
    check(
        href.starts_with("/supervision/export.xlsx?"),
        &format!("the export link keeps the filter: {href}"),
    )?;
    let x = http.get(sun, &href).await;
    check(x.status == axum::http::StatusCode::OK, &format!("export: {}", x.status))?;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(x.body.clone())).map_err(|e| format!("xlsx: {e}"))?;
    let sheet = wb.worksheet_range("预警").map_err(|e| format!("sheet 预警: {e}"))?;
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let head = rows.first().cloned().unwrap_or_default();
    let col =
        |name: &str| head.iter().position(|h| h == name).ok_or_else(|| format!("no column {name}: {head:?}"));
    let (case, level, status, rule) = (col("案号")?, col("等级")?, col("状态")?, col("规则")?);
    let just = col("情况说明")?;
    let row = rows
        .iter()
        .skip(1)
        .find(|r| r.get(case).is_some_and(|c| c == LABEL) && r.get(rule).is_some_and(|c| c.contains("线索")))
        .ok_or_else(|| format!("the alert in the export: {rows:?}"))?;
    check(row.get(level).is_some_and(|c| c == "红色预警"), &format!("export level: {row:?}"))?;
    check(row.get(status).is_some_and(|c| c == "已办结"), &format!("export status: {row:?}"))?;
    check(row.get(just).is_some_and(|c| c == JUSTIFICATION), &format!("export justification: {row:?}"))?;
    let figs = wb.worksheet_range("指标").map_err(|e| format!("sheet 指标: {e}"))?;
    let figs: Vec<Vec<String>> = figs.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    check(
        figs.iter().any(|r| r.get(1).is_some_and(|m| m == "2026-12")),
        &format!("指标 for 2026-12: {figs:?}"),
    )?;
    Ok(())
}
