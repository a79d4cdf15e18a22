//! Reading a State Council holiday notice as published.

use quanze_model::Date;
use serde::{Deserialize, Serialize};

use crate::NoticeError;
use crate::notice::{Holiday, NoticeSource, YearNotice};

/// One holiday as read from the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedHoliday {
    /// 节日名称.
    pub name: String,
    /// Days off, in order.
    pub off: Vec<Date>,
    /// Make-up working days, in order.
    pub work: Vec<Date>,
    /// The sentence(s) it was read from.
    pub text: String,
}

/// A notice as read: what it arranges and what could not be read (findings, in Chinese).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedNotice {
    /// The year arranged.
    pub year: i32,
    /// Title, number and date as found in the text.
    pub source: NoticeSource,
    /// The holidays in the order of the text.
    pub holidays: Vec<ParsedHoliday>,
    /// Anything the parser could not read or that looks wrong.
    pub findings: Vec<String>,
}

impl ParsedNotice {
    /// The year's notice: listed days off are off, listed make-up days are working days,
    /// every other weekend day is a rest day.
    pub fn into_year_notice(self) -> YearNotice {
        YearNotice {
            year: self.year,
            notice: self.source,
            amendments: Vec::new(),
            verified_against: Vec::new(),
            holidays: self
                .holidays
                .into_iter()
                .map(|h| Holiday { name: h.name, off: h.off, work: h.work })
                .collect(),
        }
    }
}

impl From<ParsedNotice> for YearNotice {
    fn from(p: ParsedNotice) -> YearNotice {
        p.into_year_notice()
    }
}

/// Read a notice's text. Refuses only when no holiday can be read at all.
pub fn parse_notice(text: &str) -> Result<ParsedNotice, NoticeError> {
    let _ = text;
    Err(NoticeError::NoHoliday)
}
