//! Short previews of long cells for messages: cut at a character, never inside one.

use std::borrow::Cow;

/// The first `max_chars` characters of `s`, with … appended when something was cut.
/// Borrowed when `s` is short enough.
pub fn truncate_chars(s: &str, max_chars: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max_chars) {
        None => Cow::Borrowed(s),
        Some((cut, _)) => Cow::Owned(format!("{}…", &s[..cut])),
    }
}

/// A one-line preview: runs of white space (line breaks included) become one space, then
/// the text is cut after `max_chars` characters with … (a diagnostic quotes a cell this way).
pub fn preview(s: &str, max_chars: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate_chars(&one_line, max_chars).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_cuts_between_characters() {
        assert_eq!(truncate_chars("医疗保障基金", 4), "医疗保障…");
        assert_eq!(truncate_chars("医疗保障", 4), "医疗保障");
        assert!(matches!(truncate_chars("医疗", 4), Cow::Borrowed(_)));
        assert_eq!(truncate_chars("医疗", 0), "…");
        assert_eq!(preview("对定点医药机构\n  违法行为的处罚", 9), "对定点医药机构 违…");
        assert_eq!(preview("  ", 8), "");
    }

    proptest::proptest! {
        #[test]
        fn a_preview_is_never_longer_than_asked_plus_the_ellipsis(s in "\\PC*", n in 0usize..40) {
            let p = truncate_chars(&s, n);
            let count = p.chars().count();
            proptest::prop_assert!(count <= n + 1);
            proptest::prop_assert!(s.starts_with(p.trim_end_matches('…')));
            let _ = preview(&s, n);
        }
    }
}
