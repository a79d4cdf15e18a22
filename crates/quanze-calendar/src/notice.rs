//! One year's holiday arrangement (节假日安排) as the State Council announces it.

use quanze_model::Date;
use serde::{Deserialize, Serialize};

use crate::NoticeError;

/// Where a year's arrangement comes from: a notice of the General Office of the State
/// Council (国务院办公厅通知).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NoticeSource {
    /// 标题, e.g. "国务院办公厅关于2026年部分节假日安排的通知".
    #[serde(default)]
    pub title: String,
    /// 文号, e.g. "国办发明电〔2025〕7号"; empty when it could not be found.
    #[serde(default)]
    pub number: String,
    /// 成文日期; absent when it could not be found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Where the text was published.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
}

/// One holiday of the year (元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节, or an
/// extraordinary one): the days off (放假) and the make-up working days (调休上班).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    /// 节日名称.
    pub name: String,
    /// Every day of the announced break, weekends inside it included.
    #[serde(default)]
    pub off: Vec<Date>,
    /// Weekend days that become working days (调休上班).
    #[serde(default)]
    pub work: Vec<Date>,
}

/// A year's arrangement (某年部分节假日安排). Every day of `year` that is not listed is a
/// working day from Monday to Friday and a rest day on Saturday and Sunday.
///
/// Days of another year may be listed: 元旦 breaks and their make-up days often fall in the
/// last days of December of the year before, and belong to this year's notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearNotice {
    /// The year the notice arranges.
    pub year: i32,
    /// The notice itself.
    #[serde(default)]
    pub notice: NoticeSource,
    /// Later notices that changed this year's arrangement (2015 抗战胜利70周年纪念日, 2019
    /// 劳动节, 2020 春节 extension).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amendments: Vec<NoticeSource>,
    /// Whatever sources the days were checked against, day by day.
    #[serde(default)]
    pub verified_against: Vec<String>,
    /// The holidays, in the order of the notice.
    #[serde(default)]
    pub holidays: Vec<Holiday>,
}

impl YearNotice {
    /// Read a data file (TOML).
    pub fn from_toml(text: &str) -> Result<YearNotice, NoticeError> {
        toml::from_str(text).map_err(|e| NoticeError::Format(e.to_string()))
    }

    /// Write a data file (TOML).
    pub fn to_toml(&self) -> Result<String, NoticeError> {
        toml::to_string(self).map_err(|e| NoticeError::Format(e.to_string()))
    }

    /// Read the JSON form (as the store keeps a loaded year).
    pub fn from_json(text: &str) -> Result<YearNotice, NoticeError> {
        serde_json::from_str(text).map_err(|e| NoticeError::Format(e.to_string()))
    }

    /// The JSON form (as the store keeps a loaded year).
    pub fn to_json(&self) -> Result<String, NoticeError> {
        serde_json::to_string(self).map_err(|e| NoticeError::Format(e.to_string()))
    }

    /// Every day off, over all holidays, sorted.
    pub fn off_days(&self) -> Vec<Date> {
        let mut v: Vec<Date> = self.holidays.iter().flat_map(|h| h.off.iter().copied()).collect();
        v.sort();
        v.dedup();
        v
    }

    /// Every make-up working day, over all holidays, sorted.
    pub fn work_days(&self) -> Vec<Date> {
        let mut v: Vec<Date> = self.holidays.iter().flat_map(|h| h.work.iter().copied()).collect();
        v.sort();
        v.dedup();
        v
    }

    /// Findings (in Chinese) on a notice that would still load but looks wrong: a day both
    /// off and working, a day far from the notice's year, a make-up working day that is not
    /// a weekend day, no holiday at all.
    pub fn check(&self) -> Vec<String> {
        let mut findings = Vec::new();
        if self.holidays.is_empty() {
            findings.push(format!("{}年的通知没有任何节假日", self.year));
        }
        let off = self.off_days();
        for d in self.work_days() {
            if off.binary_search(&d).is_ok() {
                findings.push(format!("{d}既列为放假又列为上班"));
            }
            if d.weekday() <= 5 {
                findings.push(format!("调休上班日{d}本来就是工作日（周{}）", weekday_name(d.weekday())));
            }
        }
        for h in &self.holidays {
            for d in h.off.iter().chain(&h.work) {
                let near = d.year() == self.year || (d.year() == self.year - 1 && d.month() == 12);
                if !near {
                    findings.push(format!("{}的日期{d}不在{}年（或上年12月）内", h.name, self.year));
                }
            }
        }
        findings
    }
}

/// 一 … 日 for weekday 1 … 7.
pub(crate) fn weekday_name(w: u32) -> &'static str {
    match w {
        1 => "一",
        2 => "二",
        3 => "三",
        4 => "四",
        5 => "五",
        6 => "六",
        _ => "日",
    }
}

macro_rules! years {
    ($($y:literal),* $(,)?) => {
        &[$((($y), include_str!(concat!("../data/years/", stringify!($y), ".toml")))),*]
    };
}

/// The data files shipped with the crate, by year.
pub(crate) const BUILTIN_YEARS: &[(i32, &str)] = years!(
    2004, 2005, 2006, 2007, 2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020,
    2021, 2022, 2023, 2024, 2025, 2026,
);

/// The built-in notices, parsed. A file that does not parse is left out (and fails the
/// `builtin_years_all_load` test), so a broken file never becomes a panic at run time.
pub fn builtin_notices() -> Vec<YearNotice> {
    BUILTIN_YEARS.iter().filter_map(|(_, text)| YearNotice::from_toml(text).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_years_all_load_and_match_their_file_names() {
        for (year, text) in BUILTIN_YEARS {
            let n = YearNotice::from_toml(text).unwrap_or_else(|e| panic!("{year}: {e}"));
            assert_eq!(n.year, *year);
            assert!(n.check().is_empty(), "{year}: {:?}", n.check());
        }
        assert_eq!(builtin_notices().len(), 23);
    }

    #[test]
    fn notice_numbers_and_dates_are_consistent_where_known() {
        for n in builtin_notices() {
            for src in std::iter::once(&n.notice).chain(&n.amendments) {
                let Some(date) = src.date else {
                    assert!(src.number.is_empty(), "{}: a number without a date", n.year);
                    continue;
                };
                // Issued in the year before (the yearly notice) or the year itself (amendments).
                assert!(date.year() == n.year - 1 || date.year() == n.year, "{}: {date}", n.year);
                let year_in_number = format!("〔{}〕", date.year());
                assert!(src.number.contains(&year_in_number), "{}: {} vs {date}", n.year, src.number);
                assert!(src.number.ends_with('号'), "{}", src.number);
                assert!(!src.title.is_empty(), "{}", n.year);
            }
        }
    }

    #[test]
    fn json_and_toml_round_trip() {
        for n in builtin_notices() {
            let j = n.to_json().unwrap();
            assert_eq!(YearNotice::from_json(&j).unwrap(), n);
            let t = n.to_toml().unwrap();
            assert_eq!(YearNotice::from_toml(&t).unwrap(), n);
        }
    }

    #[test]
    fn check_reports_contradictions() {
        let d = |s| Date::parse(s).unwrap();
        let n = YearNotice {
            year: 2027,
            notice: NoticeSource::default(),
            amendments: vec![],
            verified_against: vec![],
            holidays: vec![Holiday {
                name: "元旦".into(),
                off: vec![d("2027-01-01"), d("2025-05-01")],
                work: vec![d("2027-01-01")],
            }],
        };
        let f = n.check();
        assert!(f.iter().any(|m| m.contains("既列为放假又列为上班")), "{f:?}");
        assert!(f.iter().any(|m| m.contains("本来就是工作日")), "{f:?}");
        assert!(f.iter().any(|m| m.contains("2025-05-01")), "{f:?}");
    }
}
