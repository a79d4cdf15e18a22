//! Every day 2004–2026 of the data files against two independent sources, day for day:
#![allow(clippy::unwrap_used)] // test code: a bad literal is a failed test
//! the npm package chinese-days 1.5.7 (its `dist/chinese-days.json`, committed as
//! `tests/fixtures/chinese-days.json`, MIT licence in `chinese-days.LICENSE`) and the
//! crates.io crate chinese_holiday 2026.0.1 (a dev-dependency; the data files were generated
//! from it once, so chinese-days is the check that is independent of the generation).

use std::collections::HashMap;

use quanze_calendar::Calendar;
use quanze_model::Date;

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChineseDays {
    holidays: HashMap<String, String>,
    workdays: HashMap<String, String>,
    #[allow(dead_code)]
    in_lieu_days: HashMap<String, String>,
}

fn every_day(from: &str, to: &str) -> impl Iterator<Item = Date> {
    let (a, b) = (Date::parse(from).unwrap(), Date::parse(to).unwrap());
    (0..=a.days_until(b)).map(move |i| a.add_days(i).unwrap())
}

#[test]
fn every_day_2004_2026_matches_chinese_days() {
    let json = include_str!("fixtures/chinese-days.json");
    let oracle: ChineseDays = serde_json::from_str(json).unwrap();
    let cal = Calendar::builtin();
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for d in every_day("2004-01-01", "2026-12-31") {
        let key = d.to_string();
        let expected = if oracle.holidays.contains_key(&key) {
            false
        } else if oracle.workdays.contains_key(&key) {
            true
        } else {
            d.weekday() <= 5
        };
        checked += 1;
        if cal.is_working_day(d) != Ok(expected) {
            mismatches.push(key);
        }
    }
    assert_eq!(checked, 8401);
    // Where chinese-days disagrees with the notice itself: 国办发明电〔2005〕35号 (2006 元旦):
    // "12月31日（星期六）上班". chinese_holiday agrees with the notice.
    assert_eq!(mismatches, ["2005-12-31"]);
}

#[test]
fn every_day_2004_2026_matches_chinese_holiday_crate() {
    let cal = Calendar::builtin();
    let mut mismatches = Vec::new();
    // The crate refuses dates after 2026-12-25.
    for d in every_day("2004-01-01", "2026-12-25") {
        let ymd = (d.year() as u16, d.month() as u8, d.day() as u8);
        let expected = chinese_holiday::chinese_holiday(ymd).is_workday();
        if cal.is_working_day(d) != Ok(expected) {
            mismatches.push(d.to_string());
        }
    }
    // Where chinese_holiday disagrees with the notices (and chinese-days agrees with them):
    // 2016 国庆 "10月8日（星期六）、10月9日（星期日）上班" (国办发明电〔2015〕18号); 2017 元旦
    // "1月1日放假，1月2日（星期一）补休", so Friday 2016-12-30 is a working day.
    assert_eq!(mismatches, ["2016-10-09", "2016-12-30"]);
}

/// The make-up working days of 2020–2026 as listed in engineering-notes.md §5 (from a third
/// source, the PyPI package chinesecalendar 1.11.0).
#[test]
fn make_up_days_2020_2026_match_the_third_source() {
    let expected: &[(i32, &[&str])] = &[
        (2020, &["01-19", "04-26", "05-09", "06-28", "09-27", "10-10"]),
        (2021, &["02-07", "02-20", "04-25", "05-08", "09-18", "09-26", "10-09"]),
        (2022, &["01-29", "01-30", "04-02", "04-24", "05-07", "10-08", "10-09"]),
        (2023, &["01-28", "01-29", "04-23", "05-06", "06-25", "10-07", "10-08"]),
        (2024, &["02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"]),
        (2025, &["01-26", "02-08", "04-27", "09-28", "10-11"]),
        (2026, &["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]),
    ];
    let cal = Calendar::builtin();
    for (year, days) in expected {
        let got: Vec<String> = cal
            .notice(*year)
            .unwrap()
            .work_days()
            .iter()
            .filter(|d| d.year() == *year)
            .map(|d| format!("{:02}-{:02}", d.month(), d.day()))
            .collect();
        assert_eq!(got, *days, "{year}");
    }
}
