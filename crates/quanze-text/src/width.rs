//! Width folding: full-width ASCII forms (Ａ, １, ：, （) and the ideographic space to their
//! half-width forms, one character for one character.

use std::borrow::Cow;

/// Half-width form of one character. The mapping is one character to one character, which
/// lets parsers match on the folded text and cut the original at the same positions.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Fold full-width ASCII (digits, Latin letters, `：；，（）` and the ideographic space) to
/// half-width, for matching and number parsing. Borrowed when nothing changes. Never used on
/// stored text: a list's own characters are kept as printed.
pub fn fold_width(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| fold_char(c) != c) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(fold_char).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_ascii_and_the_ideographic_space_fold() {
        assert_eq!(fold_width("第１２条（试行）：ＡＢ　c"), "第12条(试行):AB c");
        assert!(matches!(fold_width("第十二条"), Cow::Borrowed(_)));
        // CJK punctuation is not ASCII and stays.
        assert_eq!(fold_width("《》、。"), "《》、。");
    }

    proptest::proptest! {
        #[test]
        fn folding_is_idempotent_and_keeps_the_character_count(s in "\\PC*") {
            let once = fold_width(&s).into_owned();
            proptest::prop_assert_eq!(fold_width(&once).into_owned(), once.clone());
            proptest::prop_assert_eq!(once.chars().count(), s.chars().count());
        }
    }
}
