//! Chinese formatting for pages: times in Beijing time, numerals as statutes print them, the
//! labels of severities and validation rules.

use quanze_model::{Date, DiagnosticCode, Severity};

/// The bureaus' (and China's one) offset from UTC: no daylight saving.
const CHINA_OFFSET_SECS: i64 = 8 * 3600;

/// `YYYY-MM-DD HH:MM` in Beijing time for a Unix timestamp.
pub(crate) fn beijing_time(ts: i64) -> String {
    let secs = ts + CHINA_OFFSET_SECS;
    let rem = secs.rem_euclid(86_400);
    match Date::from_days_since_epoch(secs.div_euclid(86_400)) {
        Some(d) => format!("{d} {:02}:{:02}", rem / 3600, (rem % 3600) / 60),
        None => String::new(),
    }
}

/// 84 → 八十四, 10 → 十, 105 → 一百零五 (as statutes print article numbers); outside
/// 1–9999, the digits.
pub(crate) fn numeral(n: u32) -> String {
    if n == 0 || n >= 10_000 { n.to_string() } else { quanze_law::text::cn_number(n) }
}

pub(crate) fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

/// Chinese name of a validation rule.
pub(crate) fn rule_label(code: DiagnosticCode) -> &'static str {
    match code {
        DiagnosticCode::MissingSerial => "缺少序号",
        DiagnosticCode::DuplicateSerial => "序号重复",
        DiagnosticCode::DeclaredCountMismatch => "事项数与声明不符",
        DiagnosticCode::SummaryDetailMismatch => "统计表与明细表不一致",
        DiagnosticCode::DuplicateCode => "权力编码重复",
        DiagnosticCode::CodeTypeMismatch => "编码类型段与类型不符",
        DiagnosticCode::NonstandardType => "非标准类型名称",
        DiagnosticCode::TypeMismatch => "类型与事项内容不符",
        DiagnosticCode::MisplacedCell => "内容错列",
        DiagnosticCode::MissingField => "必填项为空",
        DiagnosticCode::UnparsedCitation => "依据无法识别",
        DiagnosticCode::InconsistentSubject => "实施主体写法不一",
        DiagnosticCode::Truncated => "清单不完整",
        DiagnosticCode::Transcoded => "已转换编码或繁体",
        DiagnosticCode::ExtraCells => "单元格多于表头",
        DiagnosticCode::UnknownColumn => "未知列",
        DiagnosticCode::UnresolvedCitation => "法规库中无此条文",
        DiagnosticCode::CitationMismatch => "引用条文与事项无关",
        DiagnosticCode::QuotationMismatch => "引文与条文不一致",
        DiagnosticCode::SupersededCitation => "引用的版本已失效",
        DiagnosticCode::NoHeader => "未找到表头",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        let c = numeral;
        assert_eq!(c(1), "一");
        assert_eq!(c(10), "十");
        assert_eq!(c(14), "十四");
        assert_eq!(c(84), "八十四");
        assert_eq!(c(100), "一百");
        assert_eq!(c(105), "一百零五");
        assert_eq!(c(110), "一百一十");
        assert_eq!(c(1001), "一千零一");
        assert_eq!(c(0), "0");
    }

    #[test]
    fn times_are_shown_in_beijing_time() {
        // 2026-11-04 16:30 UTC is past midnight in Beijing.
        assert_eq!(beijing_time(1_793_809_800), "2026-11-05 00:30");
        assert_eq!(beijing_time(0), "1970-01-01 08:00");
    }
}
