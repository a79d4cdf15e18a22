//! A civil date (proleptic Gregorian), enough for statutes: parse `YYYY-MM-DD`, compare, add
//! calendar years and count days. No time zones and no clock: the caller passes "today".

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date. Serialized as `"YYYY-MM-DD"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

impl Date {
    /// A valid date of the years 1000–9999, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        let month = month as u8;
        if day == 0 || day > u32::from(days_in_month(year, month)) {
            return None;
        }
        Some(Date { year, month, day: day as u8 })
    }

    /// Parse `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let mut parts = s.splitn(3, '-');
        let y = parts.next()?.parse::<i32>().ok()?;
        let m = parts.next()?.parse::<u32>().ok()?;
        let d = parts.next()?.parse::<u32>().ok()?;
        Date::new(y, m, d)
    }

    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }
    pub fn day(self) -> u32 {
        u32::from(self.day)
    }

    /// The corresponding day `n` calendar years later. When that month has no such day
    /// (29 February in a common year), the last day of the month: the rule of 民法典
    /// 第二百零二条 for periods counted in years ("没有对应日的，月末日为期间的最后一日").
    pub fn add_years(self, n: i32) -> Option<Date> {
        let y = self.year.checked_add(n)?;
        let d = self.day.min(days_in_month(y, self.month));
        Date::new(y, u32::from(self.month), u32::from(d))
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (the inverse of [`Date::days_since_epoch`]), or
    /// `None` outside the years 1000–9999. Callers read the clock; this stays pure.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days.
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date::new(i32::try_from(y).ok()?, u32::try_from(m).ok()?, u32::try_from(d).ok()?)
    }

    /// Calendar days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s).ok_or_else(|| format!("not a date (YYYY-MM-DD): {s:?}"))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DateVisitor)
    }
}

/// Accepts `"YYYY-MM-DD"` strings, and TOML's bare dates, which the `toml` crate hands over
/// as a one-entry map holding their text (so this crate needs no `toml` dependency).
struct DateVisitor;

impl<'de> serde::de::Visitor<'de> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date (YYYY-MM-DD)")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Date, E> {
        Date::parse(s).ok_or_else(|| E::custom(format!("not a date (YYYY-MM-DD): {s:?}")))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
        let Some((_, text)) = map.next_entry::<String, String>()? else {
            return Err(serde::de::Error::custom("expected a date, got an empty table"));
        };
        self.visit_str(&text)
    }
}

impl Date {
    /// Day of the week, 1 = Monday … 7 = Sunday (ISO 8601).
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (4).
        (self.days_since_epoch() + 3).rem_euclid(7) as u32 + 1
    }

    /// The day `n` calendar days later (earlier when negative), or `None` outside 1000–9999.
    pub fn add_days(self, n: i64) -> Option<Date> {
        Date::from_days_since_epoch(self.days_since_epoch().checked_add(n)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_validates_calendar() {
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2023-13-01").is_none());
        assert!(Date::parse("20230101").is_none());
    }

    #[test]
    fn years_keep_the_corresponding_day_or_month_end() {
        let d = Date::parse("2024-02-29").unwrap();
        assert_eq!(d.add_years(2).unwrap().to_string(), "2026-02-28");
        assert_eq!(d.add_years(4).unwrap().to_string(), "2028-02-29");
    }

    #[test]
    fn weekdays_and_day_steps() {
        assert_eq!(Date::parse("1970-01-01").unwrap().weekday(), 4);
        assert_eq!(Date::parse("2026-12-02").unwrap().weekday(), 3);
        assert_eq!(Date::parse("2026-10-04").unwrap().weekday(), 7);
        assert_eq!(Date::parse("2026-12-31").unwrap().add_days(1).unwrap().to_string(), "2027-01-01");
    }

    #[test]
    fn deserializes_from_json_strings() {
        let d: Date = serde_json::from_str("\"2026-02-23\"").unwrap();
        assert_eq!(d.to_string(), "2026-02-23");
        assert!(serde_json::from_str::<Date>("\"2026-02-30\"").is_err());
    }

    #[test]
    fn day_counts() {
        let a = Date::parse("1970-01-01").unwrap();
        assert_eq!(a.days_since_epoch(), 0);
        let b = Date::parse("2000-03-01").unwrap();
        assert_eq!(Date::parse("2000-02-28").unwrap().days_until(b), 2);
        assert_eq!(b.days_since_epoch(), 11_017);
    }

    #[test]
    fn days_since_epoch_round_trips_through_leap_days_and_eras() {
        for d in
            ["1970-01-01", "2000-02-29", "2000-03-01", "1900-03-01", "2026-11-24", "1000-01-01", "9999-12-31"]
        {
            let date = Date::parse(d).unwrap();
            assert_eq!(Date::from_days_since_epoch(date.days_since_epoch()), Some(date), "{d}");
        }
        assert_eq!(Date::from_days_since_epoch(11_017).unwrap().to_string(), "2000-03-01");
        assert!(Date::from_days_since_epoch(i64::MAX).is_none());
        assert!(Date::from_days_since_epoch(-1_000_000).is_none());
    }
}
