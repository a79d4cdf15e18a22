//! Chinese and full-width numerals: 一百零三 → 103, ２３ → 23, 1万2千 → 12000, and back.

use crate::width::fold_char;

/// Value of a Chinese digit, including the financial (大写) and traditional forms.
pub fn digit_value(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' | '○' | 'Ｏ' => 0,
        '一' | '壹' | '幺' => 1,
        '二' | '两' | '兩' | '贰' | '貳' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// Value of a Chinese unit below 万.
fn small_unit(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

/// Value of a unit that closes a section (万, 亿).
fn big_unit(c: char) -> Option<u32> {
    Some(match c {
        '万' | '萬' => 10_000,
        '亿' | '億' => 100_000_000,
        _ => return None,
    })
}

/// Whether `c` can be part of a numeral accepted by [`parse_number`].
pub fn is_numeral_char(c: char) -> bool {
    let f = fold_char(c);
    f.is_ascii_digit() || digit_value(c).is_some() || small_unit(c).is_some() || big_unit(c).is_some()
}

/// Parse a Chinese numeral (一百零三, 十二, 两千), Arabic digits or full-width digits.
///
/// Digits without units (二〇一八) read positionally, as years are written. Malformed
/// numerals (十十, 百一千) and values beyond `u32` give `None`.
pub fn parse_number(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let folded: Vec<char> = s.chars().map(fold_char).collect();
    if folded.iter().all(char::is_ascii_digit) {
        return folded.iter().try_fold(0u32, |acc, c| acc.checked_mul(10)?.checked_add(c.to_digit(10)?));
    }
    if folded.iter().all(|c| digit_value(*c).is_some()) {
        return folded.iter().try_fold(0u32, |acc, c| acc.checked_mul(10)?.checked_add(digit_value(*c)?));
    }
    parse_with_units(&folded)
}

fn parse_with_units(chars: &[char]) -> Option<u32> {
    let mut total: u32 = 0;
    // Value of the current section below the last big unit.
    let mut section: u32 = 0;
    let mut pending: Option<u32> = None;
    // Units must fall within a section (千 > 百 > 十) and big units must fall too (亿 > 万).
    let mut last_small: u32 = u32::MAX;
    let mut last_big: u32 = u32::MAX;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            // An Arabic run such as the 3 of 3万.
            if pending.is_some() {
                return None;
            }
            let mut v: u32 = 0;
            while i < chars.len() && chars[i].is_ascii_digit() {
                v = v.checked_mul(10)?.checked_add(chars[i].to_digit(10)?)?;
                i += 1;
            }
            pending = Some(v);
            continue;
        }
        if let Some(d) = digit_value(c) {
            if d == 0 {
                // 零 only marks a gap; a digit must not stand before it.
                if pending.is_some() {
                    return None;
                }
            } else {
                if pending.is_some() {
                    return None;
                }
                pending = Some(d);
            }
        } else if let Some(u) = small_unit(c) {
            if u >= last_small {
                return None;
            }
            let n = pending.take().unwrap_or(1);
            if n > 9 {
                return None;
            }
            section = section.checked_add(n.checked_mul(u)?)?;
            last_small = u;
        } else if let Some(u) = big_unit(c) {
            if u >= last_big {
                return None;
            }
            let sec = section.checked_add(pending.take().unwrap_or(0))?;
            if sec == 0 && total == 0 {
                return None;
            }
            // 亿 multiplies everything before it (一万亿); 万 only its own section, since a
            // 亿 before it has already been applied (一亿二千万).
            total = if u == 10_000 {
                total.checked_add(sec.checked_mul(u)?)?
            } else {
                total.checked_add(sec)?.checked_mul(u)?
            };
            section = 0;
            last_small = u32::MAX;
            last_big = u;
        } else {
            return None;
        }
        i += 1;
    }
    let sec = section.checked_add(pending.unwrap_or(0))?;
    total.checked_add(sec)
}

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Write `n` as a Chinese numeral the way statutes number articles (一百零三, 十二).
///
/// A leading 十 drops its 一 (十二, not 一十二); inside a number it keeps it (一百一十).
pub fn to_chinese(n: u32) -> String {
    if n == 0 {
        return "零".to_string();
    }
    let yi = n / 100_000_000;
    let wan = (n / 10_000) % 10_000;
    let low = n % 10_000;
    let mut out = String::new();
    let mut started = false;
    // A gap (a zero section, or a section below 1000 after a higher one) is written 零.
    let mut gap = false;
    for (part, unit) in [(yi, Some('亿')), (wan, Some('万')), (low, None)] {
        if part == 0 {
            if started {
                gap = true;
            }
            continue;
        }
        if started && (gap || part < 1000) {
            out.push('零');
        }
        write_section(part, !started, &mut out);
        if let Some(u) = unit {
            out.push(u);
        }
        started = true;
        gap = false;
    }
    out
}

/// Write a section 1..=9999.
fn write_section(n: u32, leading: bool, out: &mut String) {
    let digits = [n / 1000, (n / 100) % 10, (n / 10) % 10, n % 10];
    let units = ['千', '百', '十', ' '];
    let mut written = false;
    let mut zero = false;
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            if written {
                zero = true;
            }
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        let is_ten = i == 2;
        if !(is_ten && d == 1 && leading && !written) {
            out.push(DIGITS[d as usize]);
        }
        if i < 3 {
            out.push(units[i]);
        }
        written = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_numbers_as_statutes_write_them() {
        assert_eq!(parse_number("一百零三"), Some(103));
        assert_eq!(parse_number("十二"), Some(12));
        assert_eq!(parse_number("二十"), Some(20));
        assert_eq!(parse_number("一百一十"), Some(110));
        assert_eq!(parse_number("两千"), Some(2000));
        assert_eq!(parse_number("八十四"), Some(84));
        assert_eq!(parse_number("一千零一"), Some(1001));
        assert_eq!(parse_number("一万零一十"), Some(10010));
        assert_eq!(parse_number("十万"), Some(100_000));
    }

    #[test]
    fn arabic_and_full_width_digits() {
        assert_eq!(parse_number("1000"), Some(1000));
        assert_eq!(parse_number("１０００"), Some(1000));
        assert_eq!(parse_number(" 15 "), Some(15));
        assert_eq!(parse_number("3万"), Some(30_000));
    }

    #[test]
    fn mixed_arabic_and_chinese_units() {
        assert_eq!(parse_number("1万2千"), Some(12_000));
        assert_eq!(parse_number("１万２千"), Some(12_000));
        assert_eq!(parse_number("2亿3万"), Some(200_030_000));
        assert_eq!(parse_number("两万"), Some(20_000));
        assert_eq!(parse_number("一亿二千万"), Some(120_000_000));
        assert_eq!(parse_number("三千零五十"), Some(3050));
        assert!(is_numeral_char('２') && is_numeral_char('亿') && !is_numeral_char('条'));
    }

    #[test]
    fn financial_and_positional_forms() {
        assert_eq!(parse_number("壹佰贰拾叁"), Some(123));
        assert_eq!(parse_number("二〇一八"), Some(2018));
        assert_eq!(parse_number("〇"), Some(0));
    }

    #[test]
    fn malformed_numerals_give_none() {
        for s in ["", "十十", "百一千", "第三", "abc", "一二十", "99999999999", "万", "五一十"]
        {
            assert_eq!(parse_number(s), None, "{s}");
        }
    }

    #[test]
    fn to_chinese_writes_statute_style() {
        assert_eq!(to_chinese(103), "一百零三");
        assert_eq!(to_chinese(12), "十二");
        assert_eq!(to_chinese(10), "十");
        assert_eq!(to_chinese(110), "一百一十");
        assert_eq!(to_chinese(2000), "二千");
        assert_eq!(to_chinese(1001), "一千零一");
        assert_eq!(to_chinese(10010), "一万零一十");
        assert_eq!(to_chinese(100_000), "十万");
        assert_eq!(to_chinese(0), "零");
        assert_eq!(to_chinese(100_000_001), "一亿零一");
    }

    proptest::proptest! {
        #[test]
        fn chinese_numerals_round_trip(n in 1u32..=99_999) {
            proptest::prop_assert_eq!(parse_number(&to_chinese(n)), Some(n));
        }

        #[test]
        fn chinese_numerals_round_trip_large(n in 0u32..=u32::MAX) {
            proptest::prop_assert_eq!(parse_number(&to_chinese(n)), Some(n));
        }

        #[test]
        fn parse_number_never_panics(s in "\\PC*") {
            let _ = parse_number(&s);
        }

        #[test]
        fn parse_number_never_panics_on_numeral_soup(s in "[零一二两三四五六七八九十百千万亿〇0-9１]{0,12}") {
            let _ = parse_number(&s);
        }
    }
}
