//! Text normalization shared by the importers and parsers.

use std::borrow::Cow;

/// Tags that end a line of text when they open or close: the exports put each paragraph
/// (`<p>`) and list item (`<li>`) of a cell on one line only through these.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "br",
    "ol",
    "ul",
    "li",
    "div",
    "tr",
    "table",
    "tbody",
    "thead",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "section",
    "blockquote",
    "pre",
    "center",
    "dl",
    "dt",
    "dd",
];

/// Inline tags that are dropped. Only known names count as tags, so that text such as
/// "低于<成本" or "a<b 且 c>d" keeps its `<`.
const INLINE_TAGS: &[&str] = &[
    "span", "font", "b", "i", "u", "s", "strong", "em", "a", "img", "sup", "sub", "small", "big", "td", "th",
    "col", "colgroup", "label", "strike", "del", "ins", "mark", "code", "tt", "nobr", "wbr", "html", "body",
    "head", "meta", "style", "title",
];

/// Longest tag accepted, so that a stray `<` followed by a letter cannot swallow a cell.
const MAX_TAG_LEN: usize = 1000;

/// Turn an HTML fragment found inside a cell (`<p>`, `<ol>`, `<li>`, `<br>`, entities) into
/// plain text: block tags become line breaks, other tags vanish, entities are decoded.
/// Text without `<` or `&` is returned unchanged.
///
/// When anything was removed, each line is trimmed and blank lines are dropped: the blank
/// lines are artefacts of `</p> <p>` pairs, not of the list's own layout.
pub fn strip_html(s: &str) -> Cow<'_, str> {
    if !s.contains('<') && !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut rest = s;
    while let Some(pos) = rest.find(['<', '&']) {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        if tail.starts_with('<') {
            if let Some((len, block)) = tag_at(tail) {
                if block {
                    out.push('\n');
                }
                changed = true;
                rest = &tail[len..];
                continue;
            }
        } else if let Some((len, ch)) = entity_at(tail) {
            out.push(ch);
            changed = true;
            rest = &tail[len..];
            continue;
        }
        // A lone `<` or `&` is text; both are one byte long.
        out.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    out.push_str(rest);
    if !changed {
        return Cow::Borrowed(s);
    }
    let lines: Vec<&str> =
        out.lines().map(|l| l.trim_matches([' ', '\t', '\r'])).filter(|l| !l.is_empty()).collect();
    Cow::Owned(lines.join("\n"))
}

/// Length in bytes of the tag or comment at the start of `s`, and whether it breaks a line.
fn tag_at(s: &str) -> Option<(usize, bool)> {
    if let Some(body) = s.strip_prefix("<!--") {
        let end = body.find("-->")?;
        return Some((4 + end + 3, false));
    }
    let after = s.strip_prefix('<')?;
    let after = after.strip_prefix('/').unwrap_or(after);
    let name_len = after
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == ':'))
        .map_or(after.len(), |(i, _)| i);
    let name = &after[..name_len];
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    // `o:p` and friends come from Word exports.
    let known =
        BLOCK_TAGS.contains(&lower.as_str()) || INLINE_TAGS.contains(&lower.as_str()) || lower.contains(':');
    if !known {
        return None;
    }
    let next = after[name_len..].chars().next()?;
    if !(next == '>' || next == '/' || next.is_whitespace()) {
        return None;
    }
    let limit = s.len().min(MAX_TAG_LEN);
    let mut end = None;
    for (i, c) in s.char_indices().skip(1) {
        if i >= limit || c == '<' {
            break;
        }
        if c == '>' {
            end = Some(i);
            break;
        }
    }
    let end = end?;
    Some((end + 1, BLOCK_TAGS.contains(&lower.as_str())))
}

/// Length in bytes of the entity at the start of `s`, and the character it stands for.
fn entity_at(s: &str) -> Option<(usize, char)> {
    let semi = s.char_indices().take(12).find(|(_, c)| *c == ';').map(|(i, _)| i)?;
    let name = &s[1..semi];
    let ch = match name {
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "middot" => '·',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
                u32::from_str_radix(hex, 16).ok()?
            } else {
                num.parse::<u32>().ok()?
            };
            char::from_u32(code)?
        }
    };
    Some((semi + 1, ch))
}

/// Convert traditional characters to simplified ones. Returns `Cow::Borrowed` when nothing changed.
pub fn to_simplified(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let converted = fast2s::convert(s);
    if converted == s { Cow::Borrowed(s) } else { Cow::Owned(converted) }
}

/// Share of the CJK characters of `s` that are traditional forms (that `to_simplified`
/// would change), from 0.0 to 1.0; 0.0 when `s` has no CJK character.
///
/// A simplified list still has a few characters that the converter maps (辦 in a typo, or a
/// name); an importer should treat a text as traditional only above a threshold such as 0.05.
pub fn traditional_share(s: &str) -> f64 {
    let cjk = s.chars().filter(|c| is_cjk(*c)).count();
    if cjk == 0 {
        return 0.0;
    }
    let converted = fast2s::convert(s);
    // fast2s maps one character to one character, so the two strings align.
    let changed = s.chars().zip(converted.chars()).filter(|(a, b)| a != b && is_cjk(*a)).count();
    changed as f64 / cjk as f64
}

/// Placeholders that lists print in cells that have nothing to say.
const PLACEHOLDERS: &[&str] =
    &["无", "无明确规定", "无规定", "暂无", "不适用", "/", "-", "—", "——", "－", "\\", "空", "略"];

/// Whether a cell says nothing: blank, or a placeholder such as 无, /, —.
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    let t = t.trim_end_matches(['。', '.']);
    t.is_empty() || PLACEHOLDERS.contains(&t)
}

/// Whether `c` is a CJK unified ideograph (basic block or extension A).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Width folding (full-width ASCII and the ideographic space to half-width), from
/// `quanze-text`. Never used on stored text.
pub use quanze_text::width::{fold_char, fold_width};

/// Sorted distinct character bigrams of a text (the text itself when one character long).
pub fn bigrams(s: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = s.chars().collect();
    let mut grams: Vec<(char, char)> = match chars.as_slice() {
        [] => Vec::new(),
        [c] => vec![(*c, '\0')],
        _ => chars.windows(2).map(|w| (w[0], w[1])).collect(),
    };
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// Dice coefficient of two sorted, distinct sets: 2|A∩B| / (|A|+|B|); 0 when both are empty.
pub fn dice<T: Ord>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_of_a_cell_become_lines() {
        let cell = "<p>1. 受理责任：对申报的材料进行受理。</p> <p>2.审查责任：对奖励对象的材料进行审核。</p>";
        assert_eq!(
            strip_html(cell),
            "1. 受理责任：对申报的材料进行受理。\n2.审查责任：对奖励对象的材料进行审核。"
        );
    }

    #[test]
    fn ordered_list_without_numbers_keeps_its_items_on_one_line() {
        let cell = r#"<ol style="list-style-type: none"> <li>1. 制定监管计划；</li> <li>2. 选定用人单位作为检查对象；</li> </ol>"#;
        assert_eq!(strip_html(cell), "1. 制定监管计划；\n2. 选定用人单位作为检查对象；");
    }

    #[test]
    fn br_in_all_spellings_breaks_lines() {
        assert_eq!(strip_html("甲<br>乙<br/>丙<BR />丁"), "甲\n乙\n丙\n丁");
    }

    #[test]
    fn inline_tags_vanish() {
        assert_eq!(strip_html("<span style=\"x\">罚款</span><o:p></o:p>"), "罚款");
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            strip_html("a&nbsp;b &lt;c&gt; &amp; &quot;d&quot; &#20013; &#x6587;"),
            "a b <c> & \"d\" 中 文"
        );
    }

    #[test]
    fn lone_angle_bracket_in_text_is_not_a_tag() {
        assert_eq!(strip_html("以低于<成本的报价竞标"), "以低于<成本的报价竞标");
        assert!(matches!(strip_html("以低于<成本的报价竞标"), Cow::Borrowed(_)));
        assert_eq!(strip_html("a<b 且 c"), "a<b 且 c");
        assert_eq!(strip_html("x < y & z"), "x < y & z");
    }

    #[test]
    fn blank_line_runs_collapse() {
        assert_eq!(strip_html("<p>甲</p>\n\n\n<p></p><p>乙</p>"), "甲\n乙");
    }

    #[test]
    fn traditional_text_is_simplified_and_share_is_measured() {
        assert_eq!(to_simplified("醫療保障辦法"), "医疗保障办法");
        assert!(matches!(to_simplified("医疗保障办法"), Cow::Borrowed(_)));
        assert!(traditional_share("醫療保障辦法") >= 0.5);
        assert_eq!(traditional_share("医疗保障办法"), 0.0);
        assert_eq!(traditional_share("abc"), 0.0);
    }

    #[test]
    fn placeholders_say_nothing() {
        for s in ["", " ", "无", "无。", "/", "—", "无明确规定", "　"] {
            assert!(is_placeholder(s), "{s:?}");
        }
        assert!(!is_placeholder("无正当理由的"));
    }

    #[test]
    fn full_width_forms_fold() {
        assert_eq!(fold_width("１０００元（一）：；，　Ａ"), "1000元(一):;, A");
        assert!(matches!(fold_width("第八十四条"), Cow::Borrowed(_)));
    }

    proptest::proptest! {
        #[test]
        fn strip_html_never_panics(s in "\\PC*") {
            let _ = strip_html(&s);
        }

        #[test]
        fn strip_html_never_panics_on_tag_soup(s in "[<>/&;#xa-z0-9p 中\n]{0,40}") {
            let _ = strip_html(&s);
        }

        #[test]
        fn fold_width_keeps_char_count(s in "\\PC*") {
            proptest::prop_assert_eq!(fold_width(&s).chars().count(), s.chars().count());
        }
    }
}
