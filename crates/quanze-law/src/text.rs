//! Text helpers: Chinese numerals, width folding, and the normalization used to compare
//! quotations and titles.

/// Parse a Chinese numeral as used for article numbers (一, 十二, 二十, 一百零三, 一千) or
/// ASCII/full-width digits. `None` for anything else.
pub fn parse_cn_number(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
        let ascii: String = s.chars().map(fold_width).collect();
        return ascii.parse().ok();
    }
    let mut total: u32 = 0;
    let mut digit: Option<u32> = None;
    for c in s.chars() {
        let d = match c {
            '零' | '〇' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        if let Some(d) = d {
            digit = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        total = total.checked_add(digit.unwrap_or(1).checked_mul(unit)?)?;
        digit = None;
    }
    total.checked_add(digit.unwrap_or(0))
}

/// The Chinese numeral of `n` (1–9999) as statutes write it: 十二, 二十, 一百零三.
pub fn cn_number(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 {
        return "零".into();
    }
    let parts = [(n / 1000) % 10, (n / 100) % 10, (n / 10) % 10, n % 10];
    let units = ["千", "百", "十", ""];
    let mut out = String::new();
    let mut pending_zero = false;
    for (i, &p) in parts.iter().enumerate() {
        if p == 0 {
            if !out.is_empty() {
                pending_zero = true;
            }
            continue;
        }
        if pending_zero {
            out.push('零');
            pending_zero = false;
        }
        // 十二 rather than 一十二 when the number starts with the tens.
        if !(i == 2 && p == 1 && out.is_empty()) {
            out.push_str(D[p as usize]);
        }
        out.push_str(units[i]);
    }
    out
}

/// 第八十七条 for 87.
pub fn article_label(n: u32) -> String {
    format!("第{}条", cn_number(n))
}

/// Full-width ASCII forms (Ａ, １, ＋) and the ideographic space to their half-width forms.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

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

/// Normalize a statute title for lookup: width folded, white space and 《》〈〉<> removed,
/// a 中华人民共和国 prefix removed, a trailing edition in parentheses removed. The title of
/// a 关于印发〈X〉的通知 notice yields X.
pub fn normalize_title(raw: &str) -> String {
    let mut s: String =
        raw.chars().map(fold_width).filter(|c| !c.is_whitespace() && !matches!(c, '《' | '》')).collect();
    // 关于印发〈X〉的通知 → X
    if let Some(start) = s.find("印发") {
        let rest = &s[start + "印发".len()..];
        let open = rest.chars().next();
        if let Some(open) = open.filter(|c| matches!(c, '〈' | '<' | '(' | '（' | '《')) {
            let inner = &rest[open.len_utf8()..];
            if let Some(end) = inner.find(['〉', '>', ')', '）', '》']) {
                s = inner[..end].to_string();
            }
        }
    }
    let s: String = s.chars().filter(|c| !matches!(c, '〈' | '〉' | '<' | '>')).collect();
    let mut s = s.trim().to_string();
    // trailing edition: （2018年修正）, (国务院令第259号)
    loop {
        let t = s.trim_end();
        let Some(last) = t.chars().last() else { break };
        if last != ')' && last != '）' {
            break;
        }
        let Some(open) = t.rfind(['(', '（']) else { break };
        if open == 0 {
            break;
        }
        s = t[..open].to_string();
    }
    s.strip_prefix("中华人民共和国").unwrap_or(&s).to_string()
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
