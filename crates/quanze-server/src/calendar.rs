//! The working-day calendar's years: which years it knows (built into `quanze-calendar` or
//! loaded by an administrator), and loading a new year by pasting the State Council's holiday
//! notice, through the API (`/api/calendar/…`) or the admin pages (`/admin/calendar`).
//!
//! Loading is two steps on purpose: a notice is read by a parser, and a misread day would
//! silently move every deadline that crosses it, so the parsed days are always shown before
//! they are saved. Both steps send the notice's text; the confirming step parses it again, so
//! what is saved is exactly what the same text previewed, and no half-confirmed state lives on
//! the server between the two requests.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use askama::Template;
use axum::extract::{DefaultBodyLimit, Form, FromRequest, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use quanze_calendar::{Calendar, YearNotice, builtin_notices, parse_notice};
use quanze_model::Date;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::AppState;
use crate::auth;
use crate::error::{ApiError, Problem};
use crate::portal::PageError;

/// A notice is a few kilobytes; the limit only stops abuse.
const BODY_LIMIT: usize = 64 * 1024;

/// Years a pasted notice may arrange. The notices in their present form begin in 1999; a year
/// far in the future is a typo in the title, not a notice.
const FIRST_YEAR: i32 = 1999;
const LAST_YEAR: i32 = 2100;

pub fn router(_state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/api/calendar/years", get(api_years))
        .route("/api/calendar/notices", post(api_notice))
        .route("/admin/calendar", get(admin_calendar))
        .route("/admin/calendar/preview", post(admin_preview))
        .route("/admin/calendar/save", post(admin_save))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

#[derive(OpenApi)]
#[openapi(
    paths(api_years, api_notice),
    components(schemas(CalendarYears, CalendarYearInfo, NoticeRequest, NoticeDays, HolidayDays, DayChange))
)]
pub struct CalendarDoc;

// ---------- the years known ----------

/// One year of the working-day calendar.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarYearInfo {
    pub year: i32,
    /// `builtin` (shipped with quanze, checked against independent sources) or `loaded` (an
    /// administrator pasted the notice).
    pub source: String,
    /// The notice's title.
    pub notice_title: String,
    /// The notice's number (文号), empty when the text did not carry one.
    pub notice_number: String,
    /// The notice's date (成文日期), `YYYY-MM-DD`.
    pub notice_date: Option<String>,
    /// Who loaded it (`loaded` only).
    pub loaded_by: Option<String>,
    /// When it was loaded, seconds since the epoch (`loaded` only).
    pub loaded_at: Option<i64>,
    /// A loaded notice that takes the place of the built-in one of the same year.
    pub replaces_builtin: bool,
    pub holidays: usize,
    /// Days off listed by the notice.
    pub off_days: usize,
    /// Make-up working days (调休上班) listed by the notice.
    pub work_days: usize,
    /// Why a stored notice could not be read (the year then counts as unknown).
    pub error: Option<String>,
}

/// The years the working-day calendar knows, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarYears {
    pub years: Vec<CalendarYearInfo>,
}

fn info(notice: &YearNotice, source: &str) -> CalendarYearInfo {
    CalendarYearInfo {
        year: notice.year,
        source: source.to_string(),
        notice_title: notice.notice.title.clone(),
        notice_number: notice.notice.number.clone(),
        notice_date: notice.notice.date.map(|d| d.to_string()),
        loaded_by: None,
        loaded_at: None,
        replaces_builtin: false,
        holidays: notice.holidays.len(),
        off_days: notice.off_days().len(),
        work_days: notice.work_days().len(),
        error: None,
    }
}

/// The built-in years, read once: the public listing should not parse the data files per request.
fn builtin_years() -> &'static [CalendarYearInfo] {
    static BUILTIN: OnceLock<Vec<CalendarYearInfo>> = OnceLock::new();
    BUILTIN.get_or_init(|| builtin_notices().iter().map(|n| info(n, "builtin")).collect())
}

/// The years known, and the loaded notices that go over the built-in ones.
async fn known(state: &AppState) -> Result<(Vec<CalendarYearInfo>, Vec<YearNotice>), ApiError> {
    let mut years: BTreeMap<i32, CalendarYearInfo> =
        builtin_years().iter().map(|y| (y.year, y.clone())).collect();
    let mut notices = Vec::new();
    for row in state.store().calendar_years().await.map_err(ApiError::internal)? {
        let replaces_builtin = years.get(&row.year).is_some_and(|y| y.source == "builtin");
        let mut entry = match YearNotice::from_json(&row.notice) {
            Ok(n) => {
                let i = info(&n, "loaded");
                notices.push(n);
                i
            }
            // Listed with the reason, and left out of the calendar: a built-in year stays
            // usable, a loaded-only one is a gap rather than a guess.
            Err(e) => CalendarYearInfo {
                year: row.year,
                source: "loaded".into(),
                notice_title: String::new(),
                notice_number: String::new(),
                notice_date: None,
                loaded_by: None,
                loaded_at: None,
                replaces_builtin: false,
                holidays: 0,
                off_days: 0,
                work_days: 0,
                error: Some(format!("存储的通知无法读取：{e}")),
            },
        };
        entry.loaded_by = row.loaded_by;
        entry.loaded_at = Some(row.loaded_at);
        entry.replaces_builtin = replaces_builtin;
        years.insert(row.year, entry);
    }
    Ok((years.into_values().collect(), notices))
}

/// The years the working-day calendar knows: built-in ones and those loaded by an
/// administrator, with the notice each comes from.
#[utoipa::path(get, path = "/api/calendar/years", tag = "calendar",
    responses((status = 200, body = CalendarYears)))]
async fn api_years(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<CalendarYears>, ApiError> {
    let (mut years, _) = known(&state).await?;
    // Who loaded a year is an account name: administrators see it, the public does not.
    let admin = auth::session(&state, &headers).await?.is_some_and(|(_, s)| s.user.is_admin());
    if !admin {
        for y in &mut years {
            y.loaded_by = None;
        }
    }
    Ok(Json(CalendarYears { years }))
}

// ---------- reading a notice ----------

/// A pasted notice.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NoticeRequest {
    /// The notice's text as published (title, number, the numbered items).
    pub text: String,
    /// `false` (default): only read it and answer the days. `true`: save the year.
    #[serde(default)]
    pub confirm: bool,
}

/// One holiday as read from the notice.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HolidayDays {
    pub name: String,
    /// Days off (`YYYY-MM-DD`), weekends inside the break included.
    pub off: Vec<String>,
    /// Make-up working days (调休上班).
    pub work: Vec<String>,
    /// The item's text as read.
    pub text: String,
}

/// A day whose status the notice changes against the year it replaces.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DayChange {
    pub date: String,
    /// `工作日` or `休息日`.
    pub before: String,
    pub after: String,
}

/// What a notice arranges, as read; saved or not.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticeDays {
    /// Whether the year was saved (only with `confirm`).
    pub saved: bool,
    pub year: i32,
    pub title: String,
    /// 文号; empty when not found.
    pub number: String,
    /// 成文日期, `YYYY-MM-DD`.
    pub date: Option<String>,
    pub holidays: Vec<HolidayDays>,
    /// Every day off, sorted.
    pub off_days: Vec<String>,
    /// Every make-up working day, sorted.
    pub work_days: Vec<String>,
    /// What could not be read or looks wrong, in Chinese. Saving is still allowed: the person
    /// confirming reads them.
    pub findings: Vec<String>,
    /// What saving replaces (or replaced): `builtin`, `loaded`, or null for a new year.
    pub replaces: Option<String>,
    /// Days that change status against the year replaced (empty for a new year).
    pub changes: Vec<DayChange>,
    pub loaded_by: Option<String>,
    pub loaded_at: Option<i64>,
}

/// A read notice, ready to show or save.
struct Reading {
    notice: YearNotice,
    days: NoticeDays,
}

fn unparsable(detail: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unparsable-notice", detail)
}

fn dates(v: &[Date]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

fn status_word(w: Result<bool, quanze_calendar::CalendarGap>) -> &'static str {
    match w {
        Ok(true) => "工作日",
        Ok(false) => "休息日",
        Err(_) => "未知",
    }
}

/// Parse `text` and compare it with what the calendar has for its year.
async fn read(state: &AppState, text: &str) -> Result<Reading, ApiError> {
    let parsed = parse_notice(text).map_err(|e| unparsable(e.to_string()))?;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&parsed.year) {
        return Err(unparsable(format!(
            "通知所属年份{}不在{FIRST_YEAR}年至{LAST_YEAR}年之间，请检查标题中的年份",
            parsed.year
        )));
    }
    let holidays: Vec<HolidayDays> = parsed
        .holidays
        .iter()
        .map(|h| HolidayDays {
            name: h.name.clone(),
            off: dates(&h.off),
            work: dates(&h.work),
            text: h.text.clone(),
        })
        .collect();
    let mut findings = parsed.findings.clone();
    let notice = parsed.into_year_notice();
    for f in notice.check() {
        if !findings.contains(&f) {
            findings.push(f);
        }
    }
    let (years, loaded) = known(state).await?;
    let mut current = Calendar::builtin();
    for n in loaded {
        current.insert(n);
    }
    let replaces = years.iter().find(|y| y.year == notice.year).map(|y| y.source.clone());
    let mut changes = Vec::new();
    if replaces.is_some() {
        let mut next = current.clone();
        next.insert(notice.clone());
        // The December before belongs to the notice too (元旦 breaks and make-up days).
        let from = Date::new(notice.year - 1, 12, 1);
        let to = Date::new(notice.year, 12, 31);
        if let (Some(from), Some(to)) = (from, to) {
            let mut d = from;
            while d <= to {
                let (before, after) = (current.is_working_day(d), next.is_working_day(d));
                if before != after {
                    changes.push(DayChange {
                        date: d.to_string(),
                        before: status_word(before).into(),
                        after: status_word(after).into(),
                    });
                }
                let Some(n) = d.add_days(1) else { break };
                d = n;
            }
        }
    }
    let days = NoticeDays {
        saved: false,
        year: notice.year,
        title: notice.notice.title.clone(),
        number: notice.notice.number.clone(),
        date: notice.notice.date.map(|d| d.to_string()),
        holidays,
        off_days: dates(&notice.off_days()),
        work_days: dates(&notice.work_days()),
        findings,
        replaces,
        changes,
        loaded_by: None,
        loaded_at: None,
    };
    Ok(Reading { notice, days })
}

/// Store the read year; the answer says by whom and when.
async fn save(state: &AppState, mut r: Reading, username: &str) -> Result<NoticeDays, ApiError> {
    let json = r.notice.to_json().map_err(ApiError::internal)?;
    let row = state
        .store()
        .put_calendar_year(r.notice.year, &json, Some(username))
        .await
        .map_err(ApiError::internal)?;
    r.days.saved = true;
    r.days.loaded_by = row.loaded_by;
    r.days.loaded_at = Some(row.loaded_at);
    Ok(r.days)
}

/// Read a pasted State Council holiday notice (administrators; `X-CSRF-Token` required).
///
/// Without `confirm` the answer is the days as read (holidays, days off, make-up working days,
/// findings, and the days that would change against the year it replaces); nothing is saved.
/// With `confirm` the year is saved (replacing a built-in or earlier loaded one) and answered
/// with 201. A text in which no holiday or no year can be read is 422 with the reason in
/// Chinese.
#[utoipa::path(post, path = "/api/calendar/notices", tag = "calendar", request_body = NoticeRequest,
    responses(
        (status = 200, body = NoticeDays, description = "read, not saved"),
        (status = 201, body = NoticeDays, description = "saved"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn api_notice(State(state): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let headers = req.headers().clone();
    // Who asks is checked before the body is read: a refused caller learns nothing of the parse.
    let (_, session) = auth::require_admin(&state, &headers, None).await?;
    let Json(body) = Json::<NoticeRequest>::from_request(req, &state).await.map_err(|e| {
        let status = e.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(status, "too-large", format!("请求体超过 {BODY_LIMIT} 字节的上限"))
        } else {
            ApiError::new(status, "bad-request", e.body_text())
        }
    })?;
    let reading = read(&state, &body.text).await?;
    if !body.confirm {
        return Ok(Json(reading.days).into_response());
    }
    let days = save(&state, reading, &session.user.username).await?;
    Ok((StatusCode::CREATED, Json(days)).into_response())
}

// ---------- admin pages ----------

/// `YYYY-MM-DD HH:MM` in UTC+8, the bureaus' time zone.
fn when(ts: i64) -> String {
    let secs = ts + 8 * 3600;
    let day = Date::from_days_since_epoch(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    match day {
        Some(d) => format!("{d} {:02}:{:02}", rem / 3600, (rem % 3600) / 60),
        None => String::new(),
    }
}

fn weekday_word(d: Date) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "日"]
        .get((d.weekday() as usize).saturating_sub(1))
        .copied()
        .unwrap_or("")
}

/// `2月15日（周日）`, with the year when it is not the notice's.
fn day_words(d: Date, year: i32) -> String {
    let y = if d.year() == year { String::new() } else { format!("{}年", d.year()) };
    format!("{y}{}月{}日（周{}）", d.month(), d.day(), weekday_word(d))
}

/// Consecutive days as ranges: `2月15日（周日）至2月23日（周一），共9天`.
fn ranges_words(days: &[Date], year: i32) -> String {
    let mut sorted = days.to_vec();
    sorted.sort();
    sorted.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j].add_days(1) == Some(sorted[j + 1]) {
            j += 1;
        }
        parts.push(if i == j {
            format!("{}，1天", day_words(sorted[i], year))
        } else {
            format!("{}至{}，共{}天", day_words(sorted[i], year), day_words(sorted[j], year), j - i + 1)
        });
        i = j + 1;
    }
    parts.join("；")
}

struct YearRow {
    year: i32,
    source: &'static str,
    number: String,
    title: String,
    loaded: String,
    counts: String,
    error: String,
    highlight: bool,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    csrf: String,
    message: String,
    error: String,
    text: String,
    rows: Vec<YearRow>,
    first: i32,
    last: i32,
}

fn year_rows(years: &[CalendarYearInfo], saved: Option<i32>) -> Vec<YearRow> {
    years
        .iter()
        .rev()
        .map(|y| YearRow {
            year: y.year,
            source: match (y.source.as_str(), y.replaces_builtin) {
                ("builtin", _) => "内置",
                (_, true) => "管理员导入（替换内置）",
                _ => "管理员导入",
            },
            number: if y.notice_number.is_empty() { "—".into() } else { y.notice_number.clone() },
            title: y.notice_title.clone(),
            loaded: match (&y.loaded_by, y.loaded_at) {
                (Some(by), Some(at)) => format!("{by}，{}", when(at)),
                (None, Some(at)) => when(at),
                _ => "—".into(),
            },
            counts: format!("{} 个节日，放假 {} 天，调休上班 {} 天", y.holidays, y.off_days, y.work_days),
            error: y.error.clone().unwrap_or_default(),
            highlight: Some(y.year) == saved,
        })
        .collect()
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    r
}

fn render(t: &impl Template, status: StatusCode) -> Result<Response, PageError> {
    let body = t.render().map_err(ApiError::internal)?;
    Ok(no_store((status, Html(body)).into_response()))
}

async fn calendar_page(
    state: &AppState,
    csrf: &str,
    saved: Option<i32>,
    error: String,
    text: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (years, _) = known(state).await?;
    let message = match saved {
        Some(y) if years.iter().any(|i| i.year == y && i.source == "loaded") => {
            format!("已保存 {y} 年的节假日安排。")
        }
        _ => String::new(),
    };
    let rows = year_rows(&years, saved);
    let builtin = || years.iter().filter(|y| y.source == "builtin" || y.replaces_builtin).map(|y| y.year);
    let first = builtin().min().unwrap_or(0);
    let last = builtin().max().unwrap_or(0);
    render(&CalendarPage { csrf: csrf.to_string(), message, error, text, rows, first, last }, status)
}

#[derive(Deserialize)]
struct SavedParam {
    saved: Option<String>,
}

async fn admin_calendar(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<SavedParam>,
) -> Result<Response, PageError> {
    let Some((_, s)) = auth::session(&state, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    if !s.user.is_admin() {
        return Err(ApiError::forbidden("仅管理员可访问。").into());
    }
    let saved = p.saved.and_then(|y| y.trim().parse::<i32>().ok());
    calendar_page(&state, &s.csrf_token, saved, String::new(), String::new(), StatusCode::OK).await
}

#[derive(Deserialize)]
struct NoticeForm {
    csrf: String,
    #[serde(default)]
    text: String,
}

struct Cell {
    day: u32,
    class: &'static str,
    mark: &'static str,
    label: String,
}

struct Month {
    title: String,
    weeks: Vec<Vec<Cell>>,
}

struct HolidayRow {
    name: String,
    off: String,
    work: String,
    text: String,
}

#[derive(Template)]
#[template(path = "calendar_preview.html")]
struct PreviewPage {
    csrf: String,
    text: String,
    year: i32,
    title: String,
    number: String,
    date: String,
    holidays: Vec<HolidayRow>,
    findings: Vec<String>,
    replaces: String,
    changes: Vec<DayChange>,
    off_count: usize,
    work_count: usize,
    months: Vec<Month>,
}

/// The year's months as weeks from Monday, each day marked as the notice makes it.
fn month_grid(notice: &YearNotice) -> Vec<Month> {
    let off = notice.off_days();
    let work = notice.work_days();
    let mut months = Vec::new();
    for m in 1..=12u32 {
        let Some(first) = Date::new(notice.year, m, 1) else { continue };
        let mut weeks: Vec<Vec<Cell>> = Vec::new();
        let mut week: Vec<Cell> = (1..first.weekday()).map(|_| blank()).collect();
        let mut d = first;
        while d.month() == m && d.year() == notice.year {
            let (class, mark, what) = if work.binary_search(&d).is_ok() {
                ("cal-work", "班", "调休上班")
            } else if off.binary_search(&d).is_ok() {
                ("cal-off", "休", "放假")
            } else if d.weekday() >= 6 {
                ("cal-weekend", "", "周末")
            } else {
                ("", "", "工作日")
            };
            week.push(Cell { day: d.day(), class, mark, label: format!("{}月{}日 {what}", m, d.day()) });
            if week.len() == 7 {
                weeks.push(std::mem::take(&mut week));
            }
            let Some(n) = d.add_days(1) else { break };
            d = n;
        }
        if !week.is_empty() {
            while week.len() < 7 {
                week.push(blank());
            }
            weeks.push(week);
        }
        months.push(Month { title: format!("{m}月"), weeks });
    }
    months
}

fn blank() -> Cell {
    Cell { day: 0, class: "cal-blank", mark: "", label: String::new() }
}

fn preview_page(csrf: &str, text: String, r: &Reading) -> PreviewPage {
    let year = r.notice.year;
    PreviewPage {
        csrf: csrf.to_string(),
        text,
        year,
        title: r.days.title.clone(),
        number: r.days.number.clone(),
        date: r.days.date.clone().unwrap_or_default(),
        holidays: r
            .notice
            .holidays
            .iter()
            .zip(&r.days.holidays)
            .map(|(h, d)| HolidayRow {
                name: h.name.clone(),
                off: ranges_words(&h.off, year),
                work: h.work.iter().map(|d| day_words(*d, year)).collect::<Vec<_>>().join("、"),
                text: d.text.clone(),
            })
            .collect(),
        findings: r.days.findings.clone(),
        replaces: match r.days.replaces.as_deref() {
            Some("builtin") => "builtin".into(),
            Some(_) => "loaded".into(),
            None => String::new(),
        },
        changes: r.days.changes.clone(),
        off_count: r.days.off_days.len(),
        work_count: r.days.work_days.len(),
        months: month_grid(&r.notice),
    }
}

async fn admin_preview(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<NoticeForm>,
) -> Result<Response, PageError> {
    let (_, s) = auth::require_admin(&state, &headers, Some(&form.csrf)).await?;
    match read(&state, &form.text).await {
        Ok(r) => render(&preview_page(&s.csrf_token, form.text, &r), StatusCode::OK),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let error = format!("无法读取通知：{}", e.detail);
            calendar_page(&state, &s.csrf_token, None, error, form.text, e.status).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn admin_save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<NoticeForm>,
) -> Result<Response, PageError> {
    let (_, s) = auth::require_admin(&state, &headers, Some(&form.csrf)).await?;
    let reading = match read(&state, &form.text).await {
        Ok(r) => r,
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let error = format!("无法读取通知：{}", e.detail);
            return calendar_page(&state, &s.csrf_token, None, error, form.text, e.status).await;
        }
        Err(e) => return Err(e.into()),
    };
    let days = save(&state, reading, &s.user.username).await?;
    Ok(Redirect::to(&format!("/admin/calendar?saved={}", days.year)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap_or_else(|| panic!("bad test date {s}"))
    }

    #[test]
    fn ranges_are_merged_and_other_years_named() {
        let days = [d("2026-02-16"), d("2026-02-15"), d("2026-02-17"), d("2026-05-01")];
        assert_eq!(ranges_words(&days, 2026), "2月15日（周日）至2月17日（周二），共3天；5月1日（周五），1天");
        assert_eq!(day_words(d("2025-12-28"), 2026), "2025年12月28日（周日）");
    }

    #[test]
    fn times_are_shown_in_beijing_time() {
        // 2026-11-04 16:30 UTC is past midnight in Beijing.
        assert_eq!(when(1_793_809_800), "2026-11-05 00:30");
    }

    #[test]
    fn the_grid_starts_weeks_on_monday() {
        let notice = parse_notice(include_str!("../../quanze-calendar/tests/fixtures/notices/2026.txt"))
            .map(|p| p.into_year_notice())
            .unwrap_or_else(|e| panic!("{e}"));
        let months = month_grid(&notice);
        assert_eq!(months.len(), 12);
        // 2026-01-01 is a Thursday: three blanks, then the 1st, off.
        let jan = &months[0].weeks[0];
        assert_eq!(jan.iter().take_while(|c| c.day == 0).count(), 3);
        assert_eq!((jan[3].day, jan[3].mark), (1, "休"));
        // 2026-01-04 (Sunday) is a make-up working day.
        assert_eq!((jan[6].day, jan[6].mark), (4, "班"));
        assert!(months.iter().all(|m| m.weeks.iter().all(|w| w.len() == 7)));
    }
}
