//! Text helpers for queries: normalization and article numbers. The index itself is
//! `quanze-search`, built over the current version of every bureau in the snapshot.

/// Fold full-width ASCII and the ideographic space, drop white space, lower-case.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        let ch = match ch {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch),
            _ => ch,
        };
        if ch.is_whitespace() {
            continue;
        }
        out.extend(ch.to_lowercase());
    }
    out
}

/// Strip what statute titles carry around the name: 《》, the 中华人民共和国 prefix.
pub fn normalize_statute(s: &str) -> String {
    let n = normalize(s);
    let n = n.trim_matches(|c| c == '《' || c == '》');
    let n = n.replace(['《', '》'], "");
    n.strip_prefix("中华人民共和国").map(str::to_string).unwrap_or(n)
}

/// Parse an article number: `87`, `第87条`, `第八十七条`, `八十七`.
pub fn parse_article(s: &str) -> Option<u32> {
    let t = normalize(s);
    let t = t.strip_prefix('第').unwrap_or(&t);
    let t = t.strip_suffix('条').unwrap_or(t);
    if t.is_empty() {
        return None;
    }
    if let Ok(n) = t.parse::<u32>() {
        return (n > 0).then_some(n);
    }
    parse_chinese_number(t)
}

fn parse_chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '零' | '〇' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let mut total: u32 = 0;
    let mut current: u32 = 0;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            current = d;
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        let n = if current == 0 { 1 } else { current };
        total = total.checked_add(n.checked_mul(unit)?)?;
        current = 0;
    }
    let v = total.checked_add(current)?;
    (v > 0).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_parse() {
        assert_eq!(parse_article("87"), Some(87));
        assert_eq!(parse_article("第八十七条"), Some(87));
        assert_eq!(parse_article("第十条"), Some(10));
        assert_eq!(parse_article("一百二十三"), Some(123));
        assert_eq!(parse_article("第１２条"), Some(12));
        assert_eq!(parse_article("x"), None);
        assert_eq!(parse_article("0"), None);
        assert_eq!(parse_article("' OR 1=1 --"), None);
    }

    #[test]
    fn normalizes_width_and_titles() {
        assert_eq!(normalize("ＡＢ　c"), "abc");
        assert_eq!(normalize_statute("《中华人民共和国社会保险法》"), "社会保险法");
    }
}
