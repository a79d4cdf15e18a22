//! Laws that hold for every start, period and pause inside the built-in years.
#![allow(clippy::unwrap_used)] // test code

use proptest::prelude::*;
use quanze_calendar::{Calendar, Counting, Pause, Period};
use quanze_model::Date;

fn day(n: i64) -> Date {
    // Day numbers from 2004-01-01 to mid-2025, so that a 300-day period stays in 2004–2026.
    Date::parse("2004-01-01").unwrap().add_days(n).unwrap()
}

fn pauses() -> impl Strategy<Value = Vec<(i64, i64)>> {
    proptest::collection::vec((-20i64..400, 0i64..40), 0..4)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn working_periods_end_on_a_working_day_after_exactly_n_of_them(
        s in 0i64..7_850, n in 0u32..120, ps in pauses()
    ) {
        let cal = Calendar::builtin();
        let start = day(s);
        let ps: Vec<Pause> = ps.iter().map(|&(a, l)| Pause { from: day(s + a), to: day(s + a + l) }).collect();
        let due = cal.due(start, Period::working(n), &ps).unwrap();
        prop_assert_eq!(cal.elapsed(start, due, Counting::Working, &ps).unwrap(), n);
        if n > 0 {
            prop_assert!(cal.is_working_day(due).unwrap());
            prop_assert!(!ps.iter().any(|p| p.from <= due && due <= p.to));
        }
        // A pause never shortens a period.
        prop_assert!(due >= cal.due(start, Period::working(n), &[]).unwrap());
    }

    #[test]
    fn calendar_periods_count_every_unpaused_day_then_roll_forward(
        s in 0i64..7_850, n in 0u32..300, ps in pauses()
    ) {
        let cal = Calendar::builtin();
        let start = day(s);
        let ps: Vec<Pause> = ps.iter().map(|&(a, l)| Pause { from: day(s + a), to: day(s + a + l) }).collect();
        let fixed = Period { roll_forward: false, ..Period::calendar(n) };
        let last = cal.due(start, fixed, &ps).unwrap();
        prop_assert_eq!(cal.elapsed(start, last, Counting::Calendar, &ps).unwrap(), n);
        let rolled = cal.due(start, Period::calendar(n), &ps).unwrap();
        prop_assert!(rolled >= last);
        if n > 0 {
            prop_assert!(cal.is_working_day(rolled).unwrap());
            // Every day skipped by the roll is a rest day or paused.
            let mut d = last;
            while d < rolled {
                let paused = ps.iter().any(|p| p.from <= d && d <= p.to);
                prop_assert!(paused || !cal.is_working_day(d).unwrap());
                d = d.add_days(1).unwrap();
            }
        }
    }

    #[test]
    fn elapsed_grows_one_unit_per_counted_day(s in 0i64..7_850, len in 0i64..200) {
        let cal = Calendar::builtin();
        let (a, b) = (day(s), day(s + len));
        let w = cal.elapsed(a, b, Counting::Working, &[]).unwrap();
        let c = cal.elapsed(a, b, Counting::Calendar, &[]).unwrap();
        prop_assert_eq!(i64::from(c), len);
        prop_assert!(w <= c);
        prop_assert_eq!(cal.working_days_between(a, b).unwrap(), w);
    }
}
