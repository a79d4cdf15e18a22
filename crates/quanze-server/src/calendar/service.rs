//! The working-day calendar's years: which years it knows (built into `quanze-calendar` or
//! loaded by an administrator), and loading a new year by pasting the State Council's holiday
//! notice, through the API (`/api/calendar/…`) or the admin pages (`/admin/calendar`).
//!
//! Loading is two steps on purpose: a notice is read by a parser, and a misread day would
//! silently move every deadline that crosses it, so the parsed days are always shown before
//! they are saved. Both steps send the notice's text; the confirming step parses it again, so
//! what is saved is exactly what the same text previewed, and no half-confirmed state lives on
//! the server between the two requests.

//!
//! This module is the capability's service: no axum; errors are [`CalendarError`].

use std::collections::BTreeMap;
use std::sync::OnceLock;

use quanze_calendar::{Calendar, YearNotice, builtin_notices, parse_notice};
use quanze_model::Date;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// Why a notice could not be read or a year saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum CalendarError {
    /// The text is not a notice whose year and holidays can be read (Chinese reason).
    #[error("{0}")]
    Unparsable(String),
    /// The store failed; the cause is logged.
    #[error("服务器内部错误。")]
    Store(String),
}

fn store_failed(e: impl std::fmt::Display) -> CalendarError {
    eprintln!("quanze: internal error: {e}");
    CalendarError::Store(e.to_string())
}

/// Years a pasted notice may arrange. The notices in their present form begin in 1999; a year
/// far in the future is a typo in the title, not a notice.
pub(crate) const FIRST_YEAR: i32 = 1999;

pub(crate) const LAST_YEAR: i32 = 2100;

// ---------- the years known ----------

/// One year of the working-day calendar.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(super) struct CalendarYearInfo {
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

pub(crate) fn info(notice: &YearNotice, source: &str) -> CalendarYearInfo {
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
pub(crate) fn builtin_years() -> &'static [CalendarYearInfo] {
    static BUILTIN: OnceLock<Vec<CalendarYearInfo>> = OnceLock::new();
    BUILTIN.get_or_init(|| builtin_notices().iter().map(|n| info(n, "builtin")).collect())
}

/// The years known, and the loaded notices that go over the built-in ones.
pub(crate) async fn known(
    state: &AppState,
) -> Result<(Vec<CalendarYearInfo>, Vec<YearNotice>), CalendarError> {
    let mut years: BTreeMap<i32, CalendarYearInfo> =
        builtin_years().iter().map(|y| (y.year, y.clone())).collect();
    let mut notices = Vec::new();
    for row in state.store().calendar_years().await.map_err(store_failed)? {
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

/// One holiday as read from the notice.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(super) struct HolidayDays {
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
pub(super) struct DayChange {
    pub date: String,
    /// `工作日` or `休息日`.
    pub before: String,
    pub after: String,
}

/// What a notice arranges, as read; saved or not.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(super) struct NoticeDays {
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
pub(crate) struct Reading {
    pub(crate) notice: YearNotice,
    pub(crate) days: NoticeDays,
}

pub(crate) fn unparsable(detail: impl Into<String>) -> CalendarError {
    CalendarError::Unparsable(detail.into())
}

pub(crate) fn dates(v: &[Date]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

pub(crate) fn status_word(w: Result<bool, quanze_calendar::CalendarGap>) -> &'static str {
    match w {
        Ok(true) => "工作日",
        Ok(false) => "休息日",
        Err(_) => "未知",
    }
}

/// Parse `text` and compare it with what the calendar has for its year.
pub(crate) async fn read(state: &AppState, text: &str) -> Result<Reading, CalendarError> {
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

/// Store the read year through the server's case service, which uses it from then on for
/// every deadline it computes; the answer says by whom and when.
pub(crate) async fn save(
    state: &AppState,
    mut r: Reading,
    username: &str,
) -> Result<NoticeDays, CalendarError> {
    let year = r.notice.year;
    state.cases().load_year(r.notice.clone(), Some(username)).await.map_err(store_failed)?;
    let row = state
        .store()
        .calendar_years()
        .await
        .map_err(store_failed)?
        .into_iter()
        .find(|y| y.year == year)
        .ok_or_else(|| store_failed(format!("calendar year {year} not found after saving it")))?;
    r.days.saved = true;
    r.days.loaded_by = row.loaded_by;
    r.days.loaded_at = Some(row.loaded_at);
    Ok(r.days)
}
