//! The calendar's administrators' pages: `/admin/calendar` (the years known, a form to paste
//! a notice), its preview and its save. Templates in `templates/calendar/`.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use quanze_calendar::YearNotice;
use quanze_model::Date;
use serde::Deserialize;

use super::service::{CalendarError, CalendarYearInfo, DayChange, Reading, known, read, save};
use crate::http::access::{Access, Action};
use crate::http::error::{ApiError, PageError, no_store};
use crate::http::viewer::Viewer;
use crate::http::zh;
use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/calendar", get(admin_calendar))
        .route("/admin/calendar/preview", post(admin_preview))
        .route("/admin/calendar/save", post(admin_save))
}

impl From<CalendarError> for PageError {
    fn from(e: CalendarError) -> PageError {
        match e {
            CalendarError::Unparsable(m) => {
                PageError(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unparsable-notice", m))
            }
            CalendarError::Store(cause) => PageError(ApiError::internal(cause)),
        }
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
#[template(path = "calendar/years.html")]
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
                (Some(by), Some(at)) => format!("{by}，{}", zh::beijing_time(at)),
                (None, Some(at)) => zh::beijing_time(at),
                _ => "—".into(),
            },
            counts: format!("{} 个节日，放假 {} 天，调休上班 {} 天", y.holidays, y.off_days, y.work_days),
            error: y.error.clone().unwrap_or_default(),
            highlight: Some(y.year) == saved,
        })
        .collect()
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
    viewer: Viewer,
    Query(p): Query<SavedParam>,
) -> Result<Response, PageError> {
    let Some(s) = viewer.session() else {
        return Ok(Redirect::to("/login").into_response());
    };
    Access::check(&viewer, Action::ManageCalendar).map_err(ApiError::from)?;
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
#[template(path = "calendar/preview.html")]
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
    viewer: Viewer,
    Form(form): Form<NoticeForm>,
) -> Result<Response, PageError> {
    let s = Access::check_write(&viewer, Action::ManageCalendar, Some(&form.csrf)).map_err(ApiError::from)?;
    match read(&state, &form.text).await {
        Ok(r) => render(&preview_page(&s.csrf_token, form.text, &r), StatusCode::OK),
        Err(CalendarError::Unparsable(why)) => {
            let error = format!("无法读取通知：{why}");
            calendar_page(&state, &s.csrf_token, None, error, form.text, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn admin_save(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<NoticeForm>,
) -> Result<Response, PageError> {
    let s = Access::check_write(&viewer, Action::ManageCalendar, Some(&form.csrf)).map_err(ApiError::from)?;
    let reading = match read(&state, &form.text).await {
        Ok(r) => r,
        Err(CalendarError::Unparsable(why)) => {
            let error = format!("无法读取通知：{why}");
            return calendar_page(
                &state,
                &s.csrf_token,
                None,
                error,
                form.text,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
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
        assert_eq!(zh::beijing_time(1_793_809_800), "2026-11-05 00:30");
    }

    #[test]
    fn the_grid_starts_weeks_on_monday() {
        let notice = quanze_calendar::parse_notice(include_str!(
            "../../../quanze-calendar/tests/fixtures/notices/2026.txt"
        ))
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
