//! 法定期限 cells: "不超过15个工作日", "30个工作日内", "七日内", "即时办结", "无明确规定".

use quanze_model::{DayCounting, DeadlineLimit};

use crate::numeral::{is_numeral_char, parse_number};
use crate::text::{fold_width, is_placeholder, strip_html};

/// Cells that state that there is no limit.
const NO_LIMIT: &[&str] =
    &["无", "无明确规定", "无规定", "无法定期限", "暂无", "不适用", "/", "-", "—", "——", "－", "无期限"];

/// Words of an immediate decision.
const IMMEDIATE: &[&str] =
    &["即时办结", "当场办结", "即办", "即时办理", "当场办理", "立即办结", "即时", "当场"];

/// Parse a deadline cell.
///
/// The first number of days in the cell counts ("参保人员(单位)不超过30个工作日" → 30
/// working days); 工作日 counts working days, 日 / 天 / 自然日 calendar days.
pub fn parse_deadline(cell: &str) -> DeadlineLimit {
    let stripped = strip_html(cell);
    let folded = fold_width(&stripped);
    let t = folded.trim().trim_end_matches(['。', '.', '；', ';']).trim();
    if is_placeholder(t) || NO_LIMIT.contains(&t) {
        return DeadlineLimit::None;
    }
    if let Some(days) = first_days(t) {
        return days;
    }
    if IMMEDIATE.iter().any(|w| t.contains(w)) {
        return DeadlineLimit::Immediate;
    }
    if t.starts_with("无") && t.chars().count() <= 8 {
        return DeadlineLimit::None;
    }
    DeadlineLimit::Unparsed
}

/// The first "N个工作日" / "N日" / "N天" in `t`.
fn first_days(t: &str) -> Option<DeadlineLimit> {
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !is_numeral_char(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_numeral_char(chars[i]) {
            i += 1;
        }
        let number: String = chars[start..i].iter().collect();
        let mut j = i;
        if chars.get(j) == Some(&'个') {
            j += 1;
        }
        let rest: String = chars[j..].iter().take(3).collect();
        let counting = if rest.starts_with("工作日") {
            DayCounting::Working
        } else if rest.starts_with("自然日") || rest.starts_with('日') || rest.starts_with('天') {
            DayCounting::Calendar
        } else {
            continue;
        };
        if let Some(days) = parse_number(&number) {
            return Some(DeadlineLimit::Days { days, counting });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(days: u32, counting: DayCounting) -> DeadlineLimit {
        DeadlineLimit::Days { days, counting }
    }

    #[test]
    fn working_days() {
        assert_eq!(parse_deadline("不超过15个工作日"), days(15, DayCounting::Working));
        assert_eq!(parse_deadline("15个工作日内"), days(15, DayCounting::Working));
        // Seed 004, item 7.
        assert_eq!(parse_deadline("参保人员(单位)不超过30个工作日"), days(30, DayCounting::Working));
        assert_eq!(parse_deadline("２０个工作日"), days(20, DayCounting::Working));
        assert_eq!(parse_deadline("十五个工作日"), days(15, DayCounting::Working));
    }

    #[test]
    fn calendar_days() {
        assert_eq!(parse_deadline("七日内"), days(7, DayCounting::Calendar));
        assert_eq!(parse_deadline("7天"), days(7, DayCounting::Calendar));
        assert_eq!(parse_deadline("30日"), days(30, DayCounting::Calendar));
        assert_eq!(parse_deadline("60个自然日"), days(60, DayCounting::Calendar));
    }

    #[test]
    fn immediate() {
        for s in ["即时办结", "当场办结", "即办", "即办件"] {
            assert_eq!(parse_deadline(s), DeadlineLimit::Immediate, "{s}");
        }
    }

    #[test]
    fn no_limit() {
        for s in ["无明确规定", "无", "/", "—", "", "  ", "<p>无</p>", "无。"] {
            assert_eq!(parse_deadline(s), DeadlineLimit::None, "{s:?}");
        }
    }

    #[test]
    fn other_text_is_unparsed() {
        // Seed 004, item 8: a 受理条件 drifted into the 法定期限 column.
        assert_eq!(parse_deadline("参保人员(单位)申请"), DeadlineLimit::Unparsed);
        assert_eq!(parse_deadline("3个月"), DeadlineLimit::Unparsed);
    }

    proptest::proptest! {
        #[test]
        fn parse_deadline_never_panics(s in "\\PC*") {
            let _ = parse_deadline(&s);
        }
    }
}
