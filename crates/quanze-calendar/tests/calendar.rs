//! The calendar's rules on dates whose answers are known from the notices.
#![allow(clippy::unwrap_used)] // test code: a bad literal is a failed test

use quanze_calendar::{Calendar, CalendarGap, Counting, Holiday, NoticeSource, Pause, Period, YearNotice};
use quanze_model::{Date, DayCounting};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn p(from: &str, to: &str) -> Pause {
    Pause { from: d(from), to: d(to) }
}

#[test]
fn calendar_is_clone_send_sync() {
    fn assert<T: Clone + Send + Sync + 'static>() {}
    assert::<Calendar>();
}

#[test]
fn builtin_covers_2004_to_2026() {
    let c = Calendar::builtin();
    assert_eq!(c.years(), (2004..=2026).collect::<Vec<_>>());
    assert!(c.covers(2004) && c.covers(2026));
    assert!(!c.covers(2003) && !c.covers(2027));
    assert!(!Calendar::empty().covers(2026));
}

#[test]
fn spring_festival_2026_and_its_make_up_days() {
    let c = Calendar::builtin();
    assert_eq!(c.is_working_day(d("2026-02-23")), Ok(false), "ybcase misses this one");
    assert_eq!(c.is_working_day(d("2026-02-14")), Ok(true));
    assert_eq!(c.is_working_day(d("2026-02-28")), Ok(true));
    assert_eq!(c.is_working_day(d("2026-02-24")), Ok(true));
    assert_eq!(c.is_working_day(d("2026-03-01")), Ok(false));
    assert_eq!(c.is_working_day(d("2020-01-31")), Ok(false), "COVID extension");
}

#[test]
fn a_year_without_notice_is_a_gap_never_a_guess() {
    let c = Calendar::builtin();
    let err = c.is_working_day(d("2027-01-05")).unwrap_err();
    assert_eq!(err, CalendarGap { year: 2027 });
    let msg = err.to_string();
    assert!(msg.contains("2027年") && msg.contains("国务院"), "{msg}");
    assert_eq!(c.is_working_day(d("2003-06-02")), Err(CalendarGap { year: 2003 }));
    // A 90-day limit opened in October 2026 ends in 2027: the roll-forward needs 2027.
    assert_eq!(c.due(d("2026-10-20"), Period::calendar(90), &[]), Err(CalendarGap { year: 2027 }));
    let fixed = Period { roll_forward: false, ..Period::calendar(90) };
    assert_eq!(c.due(d("2026-10-20"), fixed, &[]), Ok(d("2027-01-18")));
    assert_eq!(c.due(d("2026-12-20"), Period::working(10), &[]), Err(CalendarGap { year: 2027 }));
}

#[test]
fn december_days_of_next_years_new_year_notice() {
    let mut c = Calendar::builtin();
    assert_eq!(c.is_working_day(d("2018-12-29")), Ok(true), "Saturday, 2019 元旦 make-up day");
    assert_eq!(c.is_working_day(d("2018-12-31")), Ok(false));
    let n2019 = c.remove(2019).unwrap();
    assert_eq!(c.is_working_day(d("2018-12-29")), Ok(false));
    assert_eq!(c.is_working_day(d("2018-12-31")), Ok(true));
    c.insert(n2019);
    assert_eq!(c.is_working_day(d("2018-12-29")), Ok(true));
}

#[test]
fn working_days_skip_the_spring_festival() {
    let c = Calendar::builtin();
    // Thu 12 Feb: 13 (Fri), 14 (make-up Sat), then 24, 25, 26.
    assert_eq!(c.due(d("2026-02-12"), Period::working(5), &[]), Ok(d("2026-02-26")));
    assert_eq!(c.elapsed(d("2026-02-12"), d("2026-02-26"), Counting::Working, &[]), Ok(5));
    assert_eq!(c.working_days_between(d("2026-02-12"), d("2026-02-25")), Ok(4));
    assert_eq!(c.due(d("2026-02-12"), Period::working(0), &[]), Ok(d("2026-02-12")));
}

#[test]
fn the_start_day_does_not_count() {
    let c = Calendar::builtin();
    // Monday 2 March 2026 + 10 days = Thursday 12 March.
    assert_eq!(c.due(d("2026-03-02"), Period::calendar(10), &[]), Ok(d("2026-03-12")));
    assert_eq!(c.due(d("2026-03-02"), Period::working(1), &[]), Ok(d("2026-03-03")));
}

#[test]
fn a_calendar_period_ending_on_a_holiday_rolls_forward_unless_told_not_to() {
    let c = Calendar::builtin();
    assert_eq!(c.due(d("2026-09-01"), Period::calendar(30), &[]), Ok(d("2026-10-08")));
    let fixed = Period { roll_forward: false, ..Period::calendar(30) };
    assert_eq!(c.due(d("2026-09-01"), fixed, &[]), Ok(d("2026-10-01")));
    // Ending on a Sunday moves to Monday; on a make-up Saturday it stays.
    assert_eq!(c.due(d("2026-09-14"), Period::calendar(90), &[]), Ok(d("2026-12-14")));
    assert_eq!(c.due(d("2026-02-18"), Period::calendar(10), &[]), Ok(d("2026-02-28")));
    // A Saturday made a working day is the last day, not the Monday after.
    assert_eq!(c.is_working_day(d("2026-02-28")), Ok(true));
}

#[test]
fn pauses_extend_by_the_days_they_cover() {
    let c = Calendar::builtin();
    // 3 paused calendar days: Thu 12 → Sun 15 → Monday 16 March.
    let pauses = [p("2026-03-05", "2026-03-07")];
    assert_eq!(c.due(d("2026-03-02"), Period::calendar(10), &pauses), Ok(d("2026-03-16")));
    assert_eq!(c.elapsed(d("2026-03-02"), d("2026-03-16"), Counting::Calendar, &pauses), Ok(11));
    // Working days: Thu 5 to Sat 7 covers 2 working days; 5 working days from Mon 2 end on
    // Mon 9 without, on Wed 11 with the pause.
    assert_eq!(c.due(d("2026-03-02"), Period::working(5), &[]), Ok(d("2026-03-09")));
    assert_eq!(c.due(d("2026-03-02"), Period::working(5), &pauses), Ok(d("2026-03-11")));
    // Overlapping and reversed pauses: the union counts once, a reversed one is empty.
    let messy = [p("2026-03-05", "2026-03-06"), p("2026-03-06", "2026-03-07"), p("2026-03-20", "2026-03-01")];
    assert_eq!(c.due(d("2026-03-02"), Period::calendar(10), &messy), Ok(d("2026-03-16")));
    // A pause after the period ran out, or before it began, changes nothing.
    let late = [p("2026-04-01", "2026-04-30"), p("2026-02-01", "2026-03-02")];
    assert_eq!(c.due(d("2026-03-02"), Period::calendar(10), &late), Ok(d("2026-03-12")));
    // An open pause (to = today) covers its days so far.
    let open = [p("2026-03-10", "2026-03-20")];
    assert_eq!(c.due(d("2026-03-02"), Period::calendar(10), &open), Ok(d("2026-03-23")));
}

#[test]
fn elapsed_before_start_is_zero_and_calendar_elapsed_needs_no_notice() {
    let c = Calendar::builtin();
    assert_eq!(c.elapsed(d("2026-03-02"), d("2026-03-01"), Counting::Working, &[]), Ok(0));
    assert_eq!(c.elapsed(d("2026-12-01"), d("2027-03-01"), Counting::Calendar, &[]), Ok(90));
    assert_eq!(
        c.elapsed(d("2026-12-01"), d("2027-03-01"), Counting::Working, &[]),
        Err(CalendarGap { year: 2027 })
    );
}

#[test]
fn an_administrator_loads_a_year() {
    let mut c = Calendar::builtin();
    let n = YearNotice {
        year: 2027,
        notice: NoticeSource { title: "（测试数据，虚构）".into(), ..NoticeSource::default() },
        amendments: vec![],
        verified_against: vec![],
        holidays: vec![Holiday {
            name: "元旦".into(),
            off: vec![d("2027-01-01"), d("2027-01-02"), d("2027-01-03")],
            work: vec![],
        }],
    };
    assert!(c.insert(n.clone()).is_none());
    assert!(c.years().contains(&2027));
    assert_eq!(c.is_working_day(d("2027-01-01")), Ok(false));
    assert_eq!(c.is_working_day(d("2027-01-04")), Ok(true));
    assert_eq!(c.due(d("2026-10-20"), Period::calendar(90), &[]), Ok(d("2027-01-18")));
    assert_eq!(c.insert(n.clone()), Some(n));
    // The built-in calendar is not changed by another's insert.
    assert!(!Calendar::builtin().years().contains(&2027));
}

#[test]
fn day_counting_converts_both_ways() {
    assert_eq!(Counting::from(DayCounting::Working), Counting::Working);
    assert_eq!(DayCounting::from(Counting::Calendar), DayCounting::Calendar);
}

#[test]
fn a_pause_left_open_far_into_the_future_is_a_gap_not_a_hang() {
    let c = Calendar::builtin();
    let forever = [p("2026-03-05", "9999-12-31")];
    assert_eq!(c.due(d("2026-03-02"), Period::working(5), &forever), Err(CalendarGap { year: 10_000 }));
    assert_eq!(c.due(d("2026-03-02"), Period::calendar(5), &forever), Err(CalendarGap { year: 10_000 }));
    let fixed = Period { roll_forward: false, ..Period::calendar(2) };
    assert_eq!(c.due(d("2026-03-02"), fixed, &forever), Ok(d("2026-03-04")));
}
