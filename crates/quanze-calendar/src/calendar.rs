//! The working-day calendar and the counting of statutory periods (期间).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use quanze_model::{Date, DayCounting};
use serde::{Deserialize, Serialize};

use crate::notice::{YearNotice, builtin_notices};

/// A date in a year for which no holiday notice is loaded. Working days there are unknown;
/// guessing "Monday to Friday" would move deadlines around 春节 and 国庆 by a week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error, Serialize, Deserialize)]
#[error("缺少{year}年的节假日安排（国务院办公厅通知），无法计算工作日；请管理员导入该年通知")]
pub struct CalendarGap {
    /// The year without a notice.
    pub year: i32,
}

/// How a period's days are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Counting {
    /// 工作日: only working days count.
    Working,
    /// 自然日 (日 / 天): every day counts.
    Calendar,
}

impl From<DayCounting> for Counting {
    fn from(c: DayCounting) -> Counting {
        match c {
            DayCounting::Working => Counting::Working,
            DayCounting::Calendar => Counting::Calendar,
        }
    }
}

impl From<Counting> for DayCounting {
    fn from(c: Counting) -> DayCounting {
        match c {
            Counting::Working => DayCounting::Working,
            Counting::Calendar => DayCounting::Calendar,
        }
    }
}

fn yes() -> bool {
    true
}

/// A statutory period (期限) counted in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    /// The number of days.
    pub days: u32,
    /// Which days count.
    pub counting: Counting,
    /// For calendar-day periods: a last day that is not a working day moves to the next
    /// working day (民法典 第二百零三条, 民事诉讼法 第八十五条). Default true. Working-day periods
    /// always end on a working day, so it changes nothing for them.
    #[serde(default = "yes")]
    pub roll_forward: bool,
}

impl Period {
    /// `days` working days (N个工作日).
    pub fn working(days: u32) -> Period {
        Period { days, counting: Counting::Working, roll_forward: true }
    }

    /// `days` calendar days whose last day moves off a holiday.
    pub fn calendar(days: u32) -> Period {
        Period { days, counting: Counting::Calendar, roll_forward: true }
    }
}

/// A stretch of days that do not count (听证、公告、检测、检验、鉴定、专家评审 期间),
/// both ends included. For a pause still open, the caller passes `to = today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Pause {
    /// First day that does not count.
    pub from: Date,
    /// Last day that does not count.
    pub to: Date,
}

/// Pauses as sorted, disjoint inclusive ranges of day numbers; a reversed pause is empty.
fn merge_pauses(pauses: &[Pause]) -> Vec<(i64, i64)> {
    if pauses.is_empty() {
        return Vec::new();
    }
    let mut v: Vec<(i64, i64)> = pauses
        .iter()
        .map(|p| (p.from.days_since_epoch(), p.to.days_since_epoch()))
        .filter(|(a, b)| a <= b)
        .collect();
    v.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(v.len());
    for (a, b) in v {
        match out.last_mut() {
            Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Walks days forward and answers "is this day paused" in amortised constant time.
struct PauseCursor<'a> {
    ranges: &'a [(i64, i64)],
    i: usize,
}

impl PauseCursor<'_> {
    fn paused(&mut self, day: i64) -> bool {
        self.pause_end(day).is_some()
    }

    /// The last paused day of the pause that covers `day`, if one does.
    fn pause_end(&mut self, day: i64) -> Option<i64> {
        while self.i < self.ranges.len() && self.ranges[self.i].1 < day {
            self.i += 1;
        }
        self.ranges.get(self.i).filter(|&&(a, _)| a <= day).map(|&(_, b)| b)
    }
}

/// The working/rest status of every day of one covered year.
type YearTable = Arc<[bool]>;

/// The working-day calendar: the years whose holiday notice is loaded.
///
/// Built-in years come from the crate's data files ([`Calendar::builtin`]); an administrator
/// loads further years (or corrects one) with [`Calendar::insert`]. A day of a year without a
/// notice is a [`CalendarGap`], never a weekends-only guess.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    // Shared so that a clone (one per request or case) costs two reference counts.
    notices: Arc<BTreeMap<i32, YearNotice>>,
    /// Year → working flags indexed by day of the year; rebuilt whenever a notice changes,
    /// since a notice may list days of the year before.
    tables: Arc<BTreeMap<i32, YearTable>>,
    /// The same flags as counts over each run of consecutive covered years, so that counting
    /// working days without pauses is two array reads instead of a walk day by day.
    runs: Arc<[Run]>,
}

/// The working days of consecutive covered years, indexed: an answer read here is the one the
/// day-by-day walk gives, since every day it would visit lies inside the run.
#[derive(Debug)]
struct Run {
    /// Day number of the run's first day.
    first: i64,
    /// `before[i]`: working days among the run's days `0..i` (one more entry than days).
    before: Vec<u32>,
    /// `working[k]`: offset from `first` of the run's (k+1)-th working day.
    working: Vec<u32>,
}

impl Run {
    fn build(first: i64, years: &[&YearTable]) -> Run {
        let days: usize = years.iter().map(|t| t.len()).sum();
        let mut before = Vec::with_capacity(days + 1);
        let mut working = Vec::new();
        let mut n = 0u32;
        for (offset, flag) in (0u32..).zip(years.iter().flat_map(|t| t.iter())) {
            before.push(n);
            if *flag {
                working.push(offset);
                n += 1;
            }
        }
        before.push(n);
        Run { first, before, working }
    }

    /// Working days among the run's days before `day` (`None` outside `first..=last + 1`).
    fn before(&self, day: i64) -> Option<u32> {
        usize::try_from(day - self.first).ok().and_then(|i| self.before.get(i)).copied()
    }
}

fn year_start(year: i32) -> Option<Date> {
    Date::new(year, 1, 1)
}

impl Calendar {
    /// An empty calendar (every date is a gap).
    pub fn empty() -> Calendar {
        Calendar::default()
    }

    /// The built-in years (2004–2026 in this version).
    pub fn builtin() -> Calendar {
        static BUILTIN: OnceLock<Calendar> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let mut c = Calendar::empty();
                c.notices = Arc::new(builtin_notices().into_iter().map(|n| (n.year, n)).collect());
                c.rebuild();
                c
            })
            .clone()
    }

    /// Load a year's notice, replacing the one of the same year if any (returned).
    pub fn insert(&mut self, notice: YearNotice) -> Option<YearNotice> {
        let old = Arc::make_mut(&mut self.notices).insert(notice.year, notice);
        self.rebuild();
        old
    }

    /// Unload a year (e.g. a notice loaded by mistake); returns it.
    pub fn remove(&mut self, year: i32) -> Option<YearNotice> {
        let old = Arc::make_mut(&mut self.notices).remove(&year);
        self.rebuild();
        old
    }

    /// The years with a notice, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.notices.keys().copied().collect()
    }

    /// Whether `year` has a notice, i.e. its days can be answered without a [`CalendarGap`].
    pub fn covers(&self, year: i32) -> bool {
        self.tables.contains_key(&year)
    }

    /// The notice loaded for `year`.
    pub fn notice(&self, year: i32) -> Option<&YearNotice> {
        self.notices.get(&year)
    }

    fn rebuild(&mut self) {
        let mut tables = BTreeMap::new();
        for &year in self.notices.keys() {
            let (Some(first), Some(next)) = (year_start(year), year_start(year + 1)) else {
                continue;
            };
            let base = first.days_since_epoch();
            let len = usize::try_from(first.days_until(next)).unwrap_or(0);
            let mut t: Vec<bool> =
                (0..len).map(|i| first.add_days(i as i64).is_some_and(|d| d.weekday() <= 5)).collect();
            // Other years' notices first (next year's 元旦 reaches into December), then the
            // year's own notice, whose word wins; within a notice a make-up day beats a day off.
            let own = self.notices.get(&year);
            let others = self.notices.iter().filter(|(y, _)| **y != year).map(|(_, n)| n);
            for n in others.chain(own) {
                for h in &n.holidays {
                    let marks = h.off.iter().map(|d| (d, false)).chain(h.work.iter().map(|d| (d, true)));
                    for (d, working) in marks {
                        if d.year() == year
                            && let Ok(i) = usize::try_from(d.days_since_epoch() - base)
                            && let Some(slot) = t.get_mut(i)
                        {
                            *slot = working;
                        }
                    }
                }
            }
            tables.insert(year, Arc::from(t));
        }
        let mut runs: Vec<Run> = Vec::new();
        let mut current: Vec<&YearTable> = Vec::new();
        let mut run_first: Option<(i32, i64)> = None;
        for (&year, table) in &tables {
            let Some(first) = year_start(year).map(Date::days_since_epoch) else { continue };
            match run_first {
                Some((y, _)) if y + i32::try_from(current.len()).unwrap_or(i32::MAX) == year => {}
                _ => {
                    if let Some((_, f)) = run_first.take() {
                        runs.push(Run::build(f, &current));
                    }
                    current.clear();
                    run_first = Some((year, first));
                }
            }
            current.push(table);
        }
        if let Some((_, f)) = run_first {
            runs.push(Run::build(f, &current));
        }
        self.runs = Arc::from(runs);
        self.tables = Arc::new(tables);
    }

    /// The run that holds `day`.
    fn run_of(&self, day: i64) -> Option<&Run> {
        self.runs.iter().find(|r| day >= r.first && r.before(day + 1).is_some())
    }

    /// Whether `d` is a working day (工作日): Monday to Friday unless announced off, or a
    /// weekend day announced as a make-up working day.
    pub fn is_working_day(&self, d: Date) -> Result<bool, CalendarGap> {
        self.working_by_number(d.days_since_epoch(), d.year())
    }

    fn working_by_number(&self, day: i64, year: i32) -> Result<bool, CalendarGap> {
        let gap = CalendarGap { year };
        let table = self.tables.get(&year).ok_or(gap)?;
        let first = year_start(year).ok_or(gap)?.days_since_epoch();
        let i = usize::try_from(day - first).map_err(|_| gap)?;
        table.get(i).copied().ok_or(gap)
    }

    fn walker(&self) -> Walker<'_> {
        Walker { cal: self, first: 0, table: &[] }
    }

    /// The last day of `period` begun on `start` (期间届满日).
    ///
    /// The start day is not counted (民法典 第二百零一条). Working-day periods count only
    /// working days; calendar-day periods count every day and, with `roll_forward`, a last
    /// day that is not a working day moves to the next working day (民法典 第二百零三条). Days
    /// inside `pauses` do not count, so a pause extends the period by the days of its
    /// counting that it covers; a pause that begins after the period has run out changes
    /// nothing. A period of 0 days ends on `start`.
    pub fn due(&self, start: Date, period: Period, pauses: &[Pause]) -> Result<Date, CalendarGap> {
        let ranges = merge_pauses(pauses);
        let s = start.days_since_epoch();
        let last = match period.counting {
            Counting::Working => self.count_working(s, period.days, &ranges)?,
            Counting::Calendar => {
                let last = count_calendar(s, period.days, &ranges);
                if period.roll_forward && period.days > 0 {
                    self.roll_to_working(last, &ranges)?
                } else {
                    last
                }
            }
        };
        to_date(last)
    }

    /// The units (days of `counting`) used from `start` (not counted) to `end` (counted),
    /// without the paused days: e.g. 81 of a 90-day limit is the 90 % mark. 0 when `end` is
    /// not after `start`.
    pub fn elapsed(
        &self,
        start: Date,
        end: Date,
        counting: Counting,
        pauses: &[Pause],
    ) -> Result<u32, CalendarGap> {
        let ranges = merge_pauses(pauses);
        let (s, e) = (start.days_since_epoch(), end.days_since_epoch());
        if e <= s {
            return Ok(0);
        }
        let n = match counting {
            Counting::Calendar => {
                let paused: i64 = ranges.iter().map(|&(a, b)| (b.min(e) - a.max(s + 1) + 1).max(0)).sum();
                e - s - paused
            }
            Counting::Working => match self.indexed_between(s, e, &ranges) {
                Some(n) => i64::from(n),
                None => self.walk_between(s, e, &ranges)?,
            },
        };
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Working days in `s + 1..=e` read from the index, when there are no pauses and one run
    /// holds every one of those days.
    fn indexed_between(&self, s: i64, e: i64, ranges: &[(i64, i64)]) -> Option<u32> {
        if !ranges.is_empty() {
            return None;
        }
        let run = self.run_of(s + 1)?;
        Some(run.before(e + 1)? - run.before(s + 1)?)
    }

    /// Working days in `s + 1..=e`, day by day.
    fn walk_between(&self, s: i64, e: i64, ranges: &[(i64, i64)]) -> Result<i64, CalendarGap> {
        let mut cursor = PauseCursor { ranges, i: 0 };
        let mut walker = self.walker();
        let mut n = 0i64;
        for day in s + 1..=e {
            if !cursor.paused(day) && walker.working(day)? {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Working days after `start` up to and including `end` (0 when `end` is not later).
    pub fn working_days_between(&self, start: Date, end: Date) -> Result<u32, CalendarGap> {
        self.elapsed(start, end, Counting::Working, &[])
    }

    /// The first working day on or after `d`.
    pub fn next_working_day(&self, d: Date) -> Result<Date, CalendarGap> {
        to_date(self.roll_to_working(d.days_since_epoch(), &[])?)
    }

    fn count_working(&self, start: i64, days: u32, ranges: &[(i64, i64)]) -> Result<i64, CalendarGap> {
        // Without pauses: the `days`-th working day after `start`, read from the index when
        // the run holds it (else the walk, which meets the gap the index does not hold).
        if ranges.is_empty()
            && days > 0
            && let Some(run) = self.run_of(start + 1)
            && let Some(counted) = run.before(start + 1)
            && let Some(k) = usize::try_from(u64::from(counted) + u64::from(days) - 1).ok()
            && let Some(&offset) = run.working.get(k)
        {
            return Ok(run.first + i64::from(offset));
        }
        self.walk_working(start, days, ranges)
    }

    /// [`Calendar::count_working`] day by day.
    fn walk_working(&self, start: i64, days: u32, ranges: &[(i64, i64)]) -> Result<i64, CalendarGap> {
        let mut cursor = PauseCursor { ranges, i: 0 };
        let mut walker = self.walker();
        let mut day = start;
        let mut left = days;
        // Terminates: every step either counts a day or moves towards a year without a
        // notice, which is a gap.
        while left > 0 {
            day += 1;
            // A paused stretch is skipped whole: a pause left open far into the future costs
            // one step, not one per day.
            if let Some(end) = cursor.pause_end(day) {
                day = end;
            } else if walker.working(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    fn roll_to_working(&self, day: i64, ranges: &[(i64, i64)]) -> Result<i64, CalendarGap> {
        // Without pauses: the first working day on or after `day`, read from the index when
        // the run holds it.
        if ranges.is_empty()
            && let Some(run) = self.run_of(day)
            && let Some(counted) = run.before(day)
            && let Some(&offset) = usize::try_from(counted).ok().and_then(|k| run.working.get(k))
        {
            return Ok(run.first + i64::from(offset));
        }
        self.walk_to_working(day, ranges)
    }

    /// [`Calendar::roll_to_working`] day by day.
    fn walk_to_working(&self, mut day: i64, ranges: &[(i64, i64)]) -> Result<i64, CalendarGap> {
        let mut cursor = PauseCursor { ranges, i: 0 };
        let mut walker = self.walker();
        loop {
            if let Some(end) = cursor.pause_end(day) {
                day = end + 1;
            } else if walker.working(day)? {
                return Ok(day);
            } else {
                day += 1;
            }
        }
    }
}

/// Walks days in order, looking a year's table up only when the walk enters that year.
struct Walker<'a> {
    cal: &'a Calendar,
    /// Day number of the first day of `table`.
    first: i64,
    table: &'a [bool],
}

impl Walker<'_> {
    fn working(&mut self, day: i64) -> Result<bool, CalendarGap> {
        if let Some(&w) = usize::try_from(day - self.first).ok().and_then(|i| self.table.get(i)) {
            return Ok(w);
        }
        let year = year_of(day)?;
        let gap = CalendarGap { year };
        let table = self.cal.tables.get(&year).ok_or(gap)?;
        self.first = year_start(year).ok_or(gap)?.days_since_epoch();
        self.table = table;
        let i = usize::try_from(day - self.first).map_err(|_| gap)?;
        table.get(i).copied().ok_or(gap)
    }
}

/// The last day of `days` calendar days after `start`, skipping paused days; arithmetic, so
/// a huge period costs nothing.
fn count_calendar(start: i64, days: u32, ranges: &[(i64, i64)]) -> i64 {
    let mut cur = start;
    let mut left = i64::from(days);
    for &(a, b) in ranges {
        if b <= cur {
            continue;
        }
        let a = a.max(cur + 1);
        // Days counted before this pause begins.
        let before = a - cur - 1;
        if left <= before {
            break;
        }
        left -= before;
        cur = b;
    }
    cur.saturating_add(left)
}

/// The year of day number `day`; a day beyond the representable dates is a gap in the year
/// after 9999 (or before 1000).
fn year_of(day: i64) -> Result<i32, CalendarGap> {
    Date::from_days_since_epoch(day)
        .map(Date::year)
        .ok_or(CalendarGap { year: if day < 0 { 999 } else { 10_000 } })
}

fn to_date(day: i64) -> Result<Date, CalendarGap> {
    Date::from_days_since_epoch(day).ok_or(CalendarGap { year: if day < 0 { 999 } else { 10_000 } })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod index_tests {
    use super::*;

    /// The index answers what the walk answers, gaps included: every start day of 2004–2026
    /// with periods up to a year, on the built-in calendar and on one with a year removed.
    #[test]
    fn index_agrees_with_the_walk() {
        let mut holed = Calendar::builtin();
        holed.remove(2015).unwrap();
        for cal in [Calendar::builtin(), holed] {
            let first = Date::new(2003, 12, 1).unwrap().days_since_epoch();
            let last = Date::new(2027, 1, 31).unwrap().days_since_epoch();
            let mut checked = 0;
            for start in (first..=last).step_by(3) {
                for days in [0u32, 1, 2, 5, 15, 20, 60, 90, 250, 400] {
                    let fast = cal.count_working(start, days, &[]);
                    assert_eq!(fast, cal.walk_working(start, days, &[]), "start {start} days {days}");
                    let day = start + i64::from(days);
                    assert_eq!(cal.roll_to_working(day, &[]), cal.walk_to_working(day, &[]), "roll {day}");
                    checked += usize::from(fast.is_ok());
                }
                for span in [0i64, 1, 3, 30, 200, 500] {
                    let e = start + span;
                    if span > 0 {
                        let fast = cal.indexed_between(start, e, &[]);
                        let walked = cal.walk_between(start, e, &[]);
                        match fast {
                            Some(n) => assert_eq!(Ok(i64::from(n)), walked, "start {start} end {e}"),
                            None => assert!(walked.is_err(), "start {start} end {e}"),
                        }
                    }
                }
            }
            assert!(checked > 20_000);
        }
    }
}
