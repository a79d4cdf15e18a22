//! 法定期限 cells: "不超过15个工作日", "30个工作日内", "七日内", "即时办结", "无明确规定".

use quanze_model::DeadlineLimit;

/// Parse a deadline cell.
pub fn parse_deadline(_cell: &str) -> DeadlineLimit {
    DeadlineLimit::Unparsed
}
