//! Text helpers: Chinese numerals, width folding, and the normalization used to compare
//! quotations and titles. Numerals, labels, width and titles are `quanze-text`'s, re-exported
//! under the names this crate has always used.

/// Parse a Chinese numeral as used for article numbers (一, 十二, 二十, 一百零三, 一千) or
/// ASCII/full-width digits. `None` for anything else.
pub use quanze_text::numeral::parse_number as parse_cn_number;

/// The Chinese numeral of `n` as statutes write it: 十二, 二十, 一百零三.
pub use quanze_text::numeral::to_chinese as cn_number;

/// 第八十七条 for 87.
pub use quanze_text::label::article_label;

/// Full-width ASCII forms (Ａ, １, ＋) and the ideographic space to their half-width forms.
pub use quanze_text::width::fold_char as fold_width;

/// Normalize a statute title for lookup (`quanze_text::statute_key`): width folded, white
/// space and 《》〈〉<> removed, a 中华人民共和国 prefix removed, a trailing edition note in
/// parentheses removed ((2018年修正), (国务院令第259号)) while (暂行)/(试行) stay part of
/// the name. The title of a 关于印发〈X〉的通知 notice yields X.
pub use quanze_text::title::statute_key as normalize_title;

/// Whether a character is punctuation, a symbol or white space (ASCII or CJK), i.e. ignored
/// when quotations are compared.
pub fn is_ignorable(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || matches!(c,
            '\u{3000}'..='\u{303F}'   // CJK symbols and punctuation: 、。〈〉《》「」【】〔〕
            | '\u{FF00}'..='\u{FF0F}' // full-width ！＂＃…／
            | '\u{FF1A}'..='\u{FF20}'
            | '\u{FF3B}'..='\u{FF40}'
            | '\u{FF5B}'..='\u{FF65}'
            | '\u{2010}'..='\u{2027}' // dashes, quotes, …
            | '\u{2030}'..='\u{205E}'
            | '\u{00B7}' | '\u{FE30}'..='\u{FE4F}' | '\u{FE50}'..='\u{FE6B}')
}

/// Width-folded text with punctuation and white space removed: the form in which quotations
/// are compared with the statute.
pub fn normalize_for_compare(s: &str) -> Vec<char> {
    s.chars().map(fold_width).filter(|c| !is_ignorable(*c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_round_trip() {
        for n in 1..=1200 {
            assert_eq!(parse_cn_number(&cn_number(n)), Some(n), "{n} {}", cn_number(n));
        }
        assert_eq!(cn_number(103), "一百零三");
        assert_eq!(cn_number(110), "一百一十");
        assert_eq!(cn_number(12), "十二");
        assert_eq!(parse_cn_number("１２"), Some(12));
        assert_eq!(parse_cn_number("条"), None);
    }

    #[test]
    fn titles() {
        assert_eq!(normalize_title("《中华人民共和国社会保险法》"), "社会保险法");
        assert_eq!(normalize_title("社会保险费征缴暂行条例（国务院令第259号）"), "社会保险费征缴暂行条例");
        assert_eq!(
            normalize_title(
                "国家医保局办公室 财政部办公厅关于印发〈欺诈骗取医疗保障基金行为举报奖励暂行办法〉的通知"
            ),
            "欺诈骗取医疗保障基金行为举报奖励暂行办法"
        );
    }

    #[test]
    fn compare_form_ignores_width_and_punctuation() {
        assert_eq!(normalize_for_compare("处１０００元，以上。"), normalize_for_compare("处1000元以上"));
    }
}
