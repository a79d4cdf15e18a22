//! Saved web pages: tables (with rowspan/colspan, several of them, nested layout tables)
//! and the text around them.
//!
//! A small streaming tokenizer rather than a DOM: the importer needs tables, cells and line
//! breaks, nothing else, and a tokenizer reads in one pass with no tree to build, so a page
//! nested ten thousand deep or with tag soup costs no more than its length. Entities are
//! left for the cell cleaner (`clean_cell`), which decodes them once; only the spaces that
//! pages use as filler (&nbsp;) become spaces here, so an empty-looking cell is empty.

use crate::ImportError;
use crate::rows::Grid;
use crate::tables::{Builder, Limits};

/// Whether decoded text is a web page rather than a text export that quotes some HTML in
/// its cells: it starts with markup and has a page or table element.
pub(crate) fn looks_like_html(text: &str) -> bool {
    let t = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if !t.starts_with('<') {
        return false;
    }
    let head: String = t.chars().take(4096).collect::<String>().to_ascii_lowercase();
    ["<!doctype html", "<html", "<table", "<body", "<head", "<meta"].iter().any(|k| head.contains(k))
}

/// The charset a page declares in its first bytes (`<meta charset="gbk">` or
/// `content="text/html; charset=gb2312"`), as an encoding.
pub(crate) fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let trimmed = lower.iter().position(|b| !b.is_ascii_whitespace()).map_or(&lower[..0], |i| &lower[i..]);
    if !trimmed.starts_with(b"<") {
        return None;
    }
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"charset") {
        let mut j = from + i + b"charset".len();
        while j < lower.len() && matches!(lower[j], b' ' | b'=' | b'"' | b'\'') {
            j += 1;
        }
        let end = lower[j..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')))
            .map_or(lower.len(), |k| j + k);
        if let Some(enc) = encoding_rs::Encoding::for_label(&lower[j..end]) {
            return Some(enc);
        }
        from = end.max(from + i + 1);
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Elements whose end (or start) breaks a line of text.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "caption",
    "center",
    "form",
    "title",
    "address",
    "thead",
    "tbody",
    "tfoot",
];

/// Elements whose content is not text of the page.
const SKIPPED: &[&str] = &["script", "style", "noscript", "template", "textarea", "select", "svg", "iframe"];

pub(crate) fn read_html(text: &str, limits: Limits) -> Result<Grid, ImportError> {
    let mut b = Builder::new(limits);
    let bytes = text.as_bytes();
    let mut i = 0usize;
    let mut line = 1u32;
    // Where `line` was last counted up to.
    let mut counted = 0usize;
    let mut text_start = 0usize;
    let mut pending_space = false;
    let mut last_cjk = false;
    let last_gt = text.rfind('>').unwrap_or(0);
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        if i > last_gt {
            // No '>' follows: no tag can end, the rest is text.
            break;
        }
        let Some(tag) = parse_tag(&text[i..]) else {
            i += 1;
            continue;
        };
        line += count_lines(&bytes[counted..i]);
        counted = i;
        flush_text(&mut b, &text[text_start..i], line, &mut pending_space, &mut last_cjk);
        i += tag.len;
        if let Some(name) = tag.name.as_deref() {
            if !tag.end && SKIPPED.contains(&name) {
                i = skip_raw(text, i, name);
            } else {
                let broke = handle(&mut b, name, tag.end, &tag.attrs, line);
                if broke {
                    pending_space = false;
                    last_cjk = false;
                }
            }
        }
        text_start = i;
    }
    line += count_lines(&bytes[counted..]);
    flush_text(&mut b, &text[text_start.min(text.len())..], line, &mut pending_space, &mut last_cjk);
    Ok(Grid { layout: "html", blocks: b.finish()? })
}

/// Text between tags, with white space collapsed as a browser shows it.
fn flush_text(b: &mut Builder, s: &str, line: u32, pending_space: &mut bool, last_cjk: &mut bool) {
    if s.is_empty() {
        return;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(first) = rest.chars().next() {
        let (c, len) = space_entity(rest).unwrap_or((first, first.len_utf8()));
        rest = &rest[len..];
        if c.is_whitespace() && c != '\u{3000}' {
            *pending_space = true;
            continue;
        }
        let cjk = quanze_parse::text::is_cjk(c);
        if *pending_space {
            // Pages wrap long Chinese lines in their source; that break is not a space.
            if !(*last_cjk && cjk) {
                out.push(' ');
            }
            *pending_space = false;
        }
        *last_cjk = cjk;
        out.push(c);
    }
    b.text(&out, line);
}

fn count_lines(s: &[u8]) -> u32 {
    u32::try_from(s.iter().filter(|&&c| c == b'\n').count()).unwrap_or(u32::MAX)
}

/// Apply one tag; true when it broke the line.
fn handle(b: &mut Builder, name: &str, end: bool, attrs: &str, line: u32) -> bool {
    match (name, end) {
        ("table", false) => b.start_table(),
        ("table", true) => b.end_table(),
        ("tr", false) => b.start_row(line),
        ("tr", true) => b.end_row(),
        ("td" | "th", false) => {
            let colspan = attr_number(attrs, "colspan").unwrap_or(1);
            let rowspan = attr_number(attrs, "rowspan").unwrap_or(1);
            // rowspan="0" spans to the end of the table section.
            let rowspan = if rowspan == 0 { usize::MAX } else { rowspan };
            b.start_cell(colspan, rowspan, false, line);
        }
        ("td" | "th", true) => b.end_cell(),
        _ if BLOCK_TAGS.contains(&name) => b.line_break(),
        _ => return false,
    }
    true
}

struct Tag {
    /// Lower-case element name; `None` for comments, doctypes and processing instructions.
    name: Option<String>,
    end: bool,
    attrs: String,
    len: usize,
}

/// The tag at the start of `s` (which starts with '<'), or `None` when this '<' is text.
fn parse_tag(s: &str) -> Option<Tag> {
    let rest = &s[1..];
    if let Some(body) = rest.strip_prefix("!--") {
        let len = body.find("-->").map_or(s.len(), |j| 4 + j + 3);
        return Some(Tag { name: None, end: false, attrs: String::new(), len });
    }
    if rest.starts_with('!') || rest.starts_with('?') {
        let len = rest.find('>').map_or(s.len(), |j| j + 2);
        return Some(Tag { name: None, end: false, attrs: String::new(), len });
    }
    let (end, body) = match rest.strip_prefix('/') {
        Some(b) => (true, b),
        None => (false, rest),
    };
    if !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name_len =
        body.find(|c: char| !(c.is_ascii_alphanumeric() || c == ':' || c == '-')).unwrap_or(body.len());
    let name = body[..name_len].to_ascii_lowercase();
    // The tag ends at the first '>' outside quotes; an unbalanced quote is not followed
    // further than a tag can reasonably be long, then the first '>' ends the tag. Either
    // way the scan stops at a '>', so reading stays linear in the page's length.
    const MAX_QUOTED: usize = 4096;
    let mut quote: Option<char> = None;
    let mut close = None;
    for (k, c) in body[name_len..].char_indices() {
        if k > MAX_QUOTED {
            break;
        }
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                close = Some(name_len + k);
                break;
            }
            _ => {}
        }
    }
    let close = match close {
        Some(c) => c,
        None => name_len + body[name_len..].find('>')?,
    };
    let attrs = body[name_len..close].to_string();
    let len = 1 + usize::from(end) + close + 1;
    Some(Tag { name: Some(name), end, attrs, len })
}

/// Skip the raw content of a `<script>`-like element: to the end of its end tag.
fn skip_raw(text: &str, from: usize, name: &str) -> usize {
    let end_tag = format!("</{name}");
    let hay = &text.as_bytes()[from..];
    let needle = end_tag.as_bytes();
    let pos = hay.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle));
    match pos {
        Some(p) => {
            let after = from + p;
            text[after..].find('>').map_or(text.len(), |j| after + j + 1)
        }
        None => text.len(),
    }
}

/// A numeric attribute (`colspan="2"`, `rowspan=3`); absurd values are clamped by the builder.
fn attr_number(attrs: &str, name: &str) -> Option<usize> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        let before_ok = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
        let rest = lower[at + name.len()..].trim_start();
        if before_ok && let Some(v) = rest.strip_prefix('=') {
            let v = v.trim_start().trim_start_matches(['"', '\'']).trim_start();
            let digits: String = v.chars().take_while(char::is_ascii_digit).take(9).collect();
            return digits.parse().ok();
        }
        from = at + name.len();
    }
    None
}

/// `&nbsp;` and its numeric forms, with their length.
fn space_entity(s: &str) -> Option<(char, usize)> {
    if !s.starts_with('&') {
        return None;
    }
    for e in ["&nbsp;", "&#160;", "&#xa0;", "&#xA0;", "&ensp;", "&emsp;", "&thinsp;", "&nbsp"] {
        if s.starts_with(e) {
            return Some((' ', e.len()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::Block;

    fn rows(html: &str) -> Vec<Vec<String>> {
        read_html(html, Limits::new(1_000_000, 100_000_000))
            .unwrap()
            .blocks
            .into_iter()
            .filter_map(|b| match b {
                Block::Row(r) => Some(r.cells),
                Block::Loose(_) => None,
            })
            .collect()
    }

    #[test]
    fn rowspan_and_colspan_are_laid_out_as_a_reader_sees_them() {
        let r = rows(
            "<table><tr><td rowspan=2>1</td><td>行政处罚</td><td>甲</td></tr>\
             <tr><td>行政检查</td><td>乙</td></tr><tr><td colspan='2'>丙</td><td>丁</td></tr></table>",
        );
        assert_eq!(r, vec![vec!["1", "行政处罚", "甲"], vec!["1", "行政检查", "乙"], vec!["丙", "", "丁"]]);
    }

    #[test]
    fn source_line_breaks_between_chinese_characters_are_not_spaces() {
        let r = rows("<table><tr><td>对骗取\n   医保基金的处罚</td><td>a  b</td></tr></table>");
        assert_eq!(r[0], vec!["对骗取医保基金的处罚", "a b"]);
    }

    #[test]
    fn charset_is_read_from_the_meta_tag() {
        let enc = declared_charset(
            b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
        );
        assert_eq!(enc.map(|e| e.name()), Some("GBK"));
        assert!(declared_charset(b"plain text charset=utf-8").is_none());
    }

    #[test]
    fn scripts_and_comments_are_not_text() {
        let g = read_html(
            "<p>标题</p><script>var a='<td>';</script><!-- <td>x</td> --><p>尾</p>",
            Limits::new(10, 1000),
        )
        .unwrap();
        let texts: Vec<String> = g
            .blocks
            .into_iter()
            .filter_map(|b| match b {
                Block::Loose(l) => Some(l.text),
                Block::Row(_) => None,
            })
            .collect();
        assert_eq!(texts, vec!["标题", "尾"]);
    }

    #[test]
    fn unclosed_tags_and_quotes_do_not_make_reading_quadratic() {
        // 200,000 tag openings with no '>' and one unbalanced quote: read in one pass.
        let page = format!("<html><table><tr><td a=\"x>{}</td></tr></table>", "<a".repeat(200_000));
        assert!(read_html(&page, Limits::new(1_000_000, 100_000_000)).is_ok());
        let page = format!("<html>{}", "<a \"".repeat(100_000));
        assert!(read_html(&page, Limits::new(1_000_000, 100_000_000)).is_ok());
    }

    #[test]
    fn a_lone_angle_bracket_is_text() {
        let r = rows("<table><tr><td>a < b</td><td>c<</td></tr></table>");
        assert_eq!(r[0], vec!["a < b", "c<"]);
    }
}
