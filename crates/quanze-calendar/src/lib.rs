//! The Chinese working-day calendar (工作日历) and the counting of statutory periods.
//!
//! * [`YearNotice`]: one year's State Council holiday arrangement (节假日安排), shipped as data
//!   files for 2004–2026 (`data/years/`) and loadable at run time for later years.
//! * [`Calendar`]: working day or not, and [`Calendar::due`] / [`Calendar::elapsed`] for
//!   periods counted as the law counts them. A day of a year without a notice is a
//!   [`CalendarGap`], never a weekends-only guess.
//! * [`counting_for`]: whether an article's "N日" means working or calendar days (data in
//!   `data/counting.toml`).
//! * [`parse_notice`]: reads a notice's text as published, so an administrator can load a
//!   new year by pasting it.
//!
//! Pure: no I/O, no clock; "today" is always the caller's.

mod calendar;
mod counting;
mod notice;
mod parse;

pub use calendar::{Calendar, CalendarGap, Counting, Pause, Period};
pub use counting::{CountingDecision, CountingRules, RuleCitation, counting_for};
pub use notice::{Holiday, NoticeSource, YearNotice, builtin_notices};
pub use parse::{ParsedHoliday, ParsedNotice, parse_notice};

/// Why a notice could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    /// A data file or stored JSON that does not have the shape of a year's notice.
    #[error("节假日安排数据格式错误：{0}")]
    Format(String),
    /// A pasted text in which no holiday could be read.
    #[error("未能从通知文本中读出任何节假日安排（应为“一、元旦：1月1日至3日放假调休，共3天。”这样的条目）")]
    NoHoliday,
    /// A pasted text whose year could be found neither in the title nor in the dates.
    #[error("无法确定通知所属年份：标题中应有“关于2027年部分节假日安排的通知”字样")]
    NoYear,
}
