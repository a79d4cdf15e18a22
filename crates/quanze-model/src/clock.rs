//! China time and the one clock every shell asks for it.
//!
//! Deadlines, statute versions and penalties are counted in days as they fall in China
//! (China Standard Time, UTC+8, no daylight saving since 1991), whatever the machine's time
//! zone. The domain core never reads the wall clock: it takes a [`Clock`] (or the date it
//! gave). The one implementation that reads the system clock is
//! `quanze_casework::SystemClock`; tests use [`FixedClock`].

use std::fmt;

use crate::Date;

/// Seconds China Standard Time is ahead of UTC.
const CHINA_OFFSET_SECONDS: i64 = 8 * 3600;
const SECONDS_PER_DAY: i64 = 86_400;

/// A moment as read on a clock in China, to the minute: the civil date and the minutes
/// after midnight (0–1439).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChinaTime {
    pub date: Date,
    /// Minutes after midnight China time, 0–1439.
    pub minute: u16,
}

impl ChinaTime {
    /// The China time of a Unix timestamp (seconds since 1970-01-01T00:00:00Z), or `None`
    /// outside the years 1000–9999 (the range of [`Date`]).
    pub fn from_unix_seconds(seconds: i64) -> Option<ChinaTime> {
        let local = seconds.checked_add(CHINA_OFFSET_SECONDS)?;
        let date = Date::from_days_since_epoch(local.div_euclid(SECONDS_PER_DAY))?;
        let minute = u16::try_from(local.rem_euclid(SECONDS_PER_DAY) / 60).ok()?;
        Some(ChinaTime { date, minute })
    }

    /// Like [`ChinaTime::from_unix_seconds`], but a timestamp outside the years 1000–9999
    /// reads as the first or last minute of that range, so a clock that has to answer
    /// always can.
    pub fn saturating_from_unix_seconds(seconds: i64) -> ChinaTime {
        // 1000-01-01T00:00 and 9999-12-31T23:59:59 China time, as Unix seconds.
        const FIRST: i64 = -30_610_252_800; // 1000-01-01 days (-354_285) × 86_400 − 8 h
        const LAST: i64 = 253_402_271_999; // 10000-01-01 days (2_932_897) × 86_400 − 8 h − 1
        let clamped = seconds.clamp(FIRST, LAST);
        #[allow(clippy::expect_used)] // clamped into Date's range; both ends are tested
        ChinaTime::from_unix_seconds(clamped).expect("a timestamp within the years 1000-9999")
    }

    /// The time at `hour:minute` China time on `date`, or `None` when out of range.
    pub fn at(date: Date, hour: u16, minute: u16) -> Option<ChinaTime> {
        (hour < 24 && minute < 60).then_some(ChinaTime { date, minute: hour * 60 + minute })
    }

    pub fn hour(self) -> u16 {
        self.minute / 60
    }
}

impl fmt::Display for ChinaTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:02}:{:02}", self.date, self.minute / 60, self.minute % 60)
    }
}

/// Where "now" comes from. Shells hold one (`Arc<dyn Clock>`) and pass it, or the date it
/// gives, to the pure core; tests fix it.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time in China.
    fn now(&self) -> ChinaTime;

    /// Today's date in China.
    fn today(&self) -> Date {
        self.now().date
    }
}

/// A clock that always reads the same time: for tests and for replaying a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub ChinaTime);

impl FixedClock {
    /// A clock stopped at midnight (China time) of `date`.
    pub fn on(date: Date) -> FixedClock {
        FixedClock(ChinaTime { date, minute: 0 })
    }
}

impl Clock for FixedClock {
    fn now(&self) -> ChinaTime {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn the_epoch_is_eight_in_the_morning_in_beijing() {
        let t = ChinaTime::from_unix_seconds(0).unwrap();
        assert_eq!(t, ChinaTime { date: date(1970, 1, 1), minute: 8 * 60 });
        assert_eq!(t.to_string(), "1970-01-01 08:00");
    }

    #[test]
    fn between_midnight_and_eight_beijing_time_it_is_already_the_next_day() {
        // 2026-03-01T15:59:59Z is 23:59 on 1 March in Beijing; one second later it is
        // 2 March, although UTC still says 1 March until 08:00 Beijing time.
        let before = 1_772_380_799; // 2026-03-01T15:59:59Z
        assert_eq!(
            ChinaTime::from_unix_seconds(before).unwrap(),
            ChinaTime { date: date(2026, 3, 1), minute: 23 * 60 + 59 }
        );
        assert_eq!(
            ChinaTime::from_unix_seconds(before + 1).unwrap(),
            ChinaTime { date: date(2026, 3, 2), minute: 0 }
        );
        // 07:59 Beijing on 2 March is still 1 March in UTC.
        assert_eq!(
            ChinaTime::from_unix_seconds(before + 1 + 8 * 3600 - 60).unwrap(),
            ChinaTime { date: date(2026, 3, 2), minute: 7 * 60 + 59 }
        );
    }

    #[test]
    fn leap_days_are_counted() {
        // 2024-02-28T16:00:00Z is midnight of 29 February 2024 in Beijing.
        let t = ChinaTime::from_unix_seconds(1_709_136_000).unwrap();
        assert_eq!(t, ChinaTime { date: date(2024, 2, 29), minute: 0 });
        let next = ChinaTime::from_unix_seconds(1_709_136_000 + 86_400).unwrap();
        assert_eq!(next.date, date(2024, 3, 1));
        // 2100 is not a leap year: 28 February is followed by 1 March.
        let feb28 = date(2100, 2, 28).days_since_epoch() * 86_400 - 8 * 3600;
        assert_eq!(ChinaTime::from_unix_seconds(feb28 + 86_400).unwrap().date, date(2100, 3, 1));
    }

    #[test]
    fn instants_before_the_epoch_are_still_dated() {
        // One second before the epoch is 07:59 on 1 January 1970 in Beijing.
        let t = ChinaTime::from_unix_seconds(-1).unwrap();
        assert_eq!(t, ChinaTime { date: date(1970, 1, 1), minute: 7 * 60 + 59 });
        // Nine hours before: 23:00 on 31 December 1969.
        let t = ChinaTime::from_unix_seconds(-9 * 3600).unwrap();
        assert_eq!(t, ChinaTime { date: date(1969, 12, 31), minute: 23 * 60 });
    }

    #[test]
    fn instants_outside_the_years_1000_to_9999_have_no_china_time() {
        assert_eq!(ChinaTime::from_unix_seconds(i64::MAX), None);
        assert_eq!(ChinaTime::from_unix_seconds(i64::MIN), None);
        let year_10000 = date(9999, 12, 31).days_since_epoch() * 86_400 + 86_400 - 8 * 3600;
        assert_eq!(ChinaTime::from_unix_seconds(year_10000), None);
        assert_eq!(
            ChinaTime::from_unix_seconds(year_10000 - 1).unwrap(),
            ChinaTime { date: date(9999, 12, 31), minute: 1439 }
        );
    }

    #[test]
    fn a_saturating_reading_stays_within_the_years_1000_to_9999() {
        let first = ChinaTime::saturating_from_unix_seconds(i64::MIN);
        assert_eq!(first, ChinaTime { date: date(1000, 1, 1), minute: 0 });
        let last = ChinaTime::saturating_from_unix_seconds(i64::MAX);
        assert_eq!(last, ChinaTime { date: date(9999, 12, 31), minute: 1439 });
        assert_eq!(
            ChinaTime::saturating_from_unix_seconds(1_709_136_000),
            ChinaTime::from_unix_seconds(1_709_136_000).unwrap()
        );
    }

    #[test]
    fn a_fixed_clock_reads_what_it_was_set_to() {
        let clock = FixedClock(ChinaTime::at(date(2026, 12, 2), 9, 30).unwrap());
        assert_eq!(clock.today(), date(2026, 12, 2));
        assert_eq!(clock.now().hour(), 9);
        let dyn_clock: &dyn Clock = &FixedClock::on(date(2025, 1, 1));
        assert_eq!(dyn_clock.now().minute, 0);
        assert_eq!(ChinaTime::at(date(2026, 1, 1), 24, 0), None);
        assert_eq!(ChinaTime::at(date(2026, 1, 1), 23, 60), None);
    }
}
