//! Chinese and full-width numerals: 一百零三 → 103, ２３ → 23. The one implementation lives
//! in `quanze-text`; parsers here use it through this module.

pub use quanze_text::numeral::{is_numeral_char, parse_number, to_chinese};

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
