//! Numbering of list items inside a cell (1.  1、  1．  （一）  (1)  一、), shared by the stage
//! and clause parsers.
//!
//! Cells nest lists ("1. … （1）… （2）…") and carry numbers in their text ("30个工作日",
//! "（2015）第12号"), so a marker only counts when it has the style of the first item of
//! the list and continues its sequence (1, 2, 3 …).

use crate::numeral::parse_number;
use crate::text::fold_char;

/// How an item is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `1.` `1、` `1．`
    Arabic,
    /// `（一）` `(一)`
    ParenChinese,
    /// `（1）` `(1)`
    ParenArabic,
    /// `一、`
    ChineseComma,
}

/// One numbering marker: where it starts, where the item text starts, its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Marker {
    pub start: usize,
    pub end: usize,
    pub number: u32,
    pub style: Style,
}

/// A cell as characters, with a width-folded twin of the same length to match on.
pub(crate) struct Chars {
    pub orig: Vec<char>,
    pub fold: Vec<char>,
}

impl Chars {
    pub fn new(s: &str) -> Self {
        let orig: Vec<char> = s.chars().collect();
        let fold = orig.iter().map(|c| fold_char(*c)).collect();
        Chars { orig, fold }
    }

    pub fn len(&self) -> usize {
        self.orig.len()
    }

    /// The original text of `start..end`, clamped to the cell.
    pub fn slice(&self, start: usize, end: usize) -> String {
        let end = end.min(self.orig.len());
        let start = start.min(end);
        self.orig[start..end].iter().collect()
    }

    /// Whether the folded text at `i` starts with `pat`.
    pub fn starts_with_at(&self, i: usize, pat: &str) -> bool {
        pat.chars().enumerate().all(|(k, p)| self.fold.get(i + k) == Some(&p))
    }
}

/// Characters after which a new item may begin.
fn is_boundary(c: char) -> bool {
    c.is_whitespace() || "。；;，,：:）)>】”！!？?…".contains(c)
}

fn is_chinese_numeral(c: char) -> bool {
    "零〇一二三四五六七八九十百".contains(c)
}

/// The marker starting at `i`, if any; `loose` also accepts a bare Arabic number directly
/// followed by a Chinese character ("4事后管理责任"), which callers confirm by context.
fn marker_at(c: &Chars, i: usize) -> Option<(Marker, bool)> {
    let f = &c.fold;
    let prev = if i == 0 { None } else { f.get(i - 1).copied() };
    let at_boundary = prev.is_none_or(is_boundary);
    let ch = *f.get(i)?;
    if ch.is_ascii_digit() && at_boundary {
        let mut j = i;
        while j < f.len() && f[j].is_ascii_digit() && j - i < 3 {
            j += 1;
        }
        if j < f.len() && f[j].is_ascii_digit() {
            return None;
        }
        let number = parse_number(&c.slice(i, j))?;
        let next = f.get(j).copied();
        match next {
            Some('.' | '、' | '．') => {
                // 2.5 is a number, not an item.
                if f.get(j + 1).is_some_and(char::is_ascii_digit) {
                    return None;
                }
                return Some((Marker { start: i, end: j + 1, number, style: Style::Arabic }, false));
            }
            Some(n) if crate::text::is_cjk(n) => {
                return Some((Marker { start: i, end: j, number, style: Style::Arabic }, true));
            }
            _ => return None,
        }
    }
    if ch == '(' && prev != Some('第') {
        let mut j = i + 1;
        while j < f.len() && j - i <= 4 && (is_chinese_numeral(f[j]) || f[j].is_ascii_digit()) {
            j += 1;
        }
        if j == i + 1 || f.get(j) != Some(&')') {
            return None;
        }
        let inner = c.slice(i + 1, j);
        let number = parse_number(&inner)?;
        let style = if f[i + 1].is_ascii_digit() { Style::ParenArabic } else { Style::ParenChinese };
        return Some((Marker { start: i, end: j + 1, number, style }, false));
    }
    if is_chinese_numeral(ch) && at_boundary {
        let mut j = i;
        while j < f.len() && j - i < 3 && is_chinese_numeral(f[j]) {
            j += 1;
        }
        if f.get(j) != Some(&'、') {
            return None;
        }
        let number = parse_number(&c.slice(i, j))?;
        return Some((Marker { start: i, end: j + 1, number, style: Style::ChineseComma }, false));
    }
    None
}

/// The markers of the top-level list of a cell, in order. `accept_loose` decides whether a
/// bare number (no punctuation after it) at a given item-text start is an item.
pub(crate) fn top_level_markers(c: &Chars, accept_loose: &dyn Fn(&Chars, usize) -> bool) -> Vec<Marker> {
    let mut style: Option<Style> = None;
    let mut expected = 1u32;
    let mut out = Vec::new();
    let quoted = quoted_mask(c);
    let mut i = 0;
    while i < c.len() {
        // Quoted text ("…（一）…") is never split.
        if quoted[i] {
            i += 1;
            continue;
        }
        if let Some((m, loose)) = marker_at(c, i) {
            let style_ok = style.is_none_or(|s| s == m.style);
            let wanted = m.number == expected && style_ok;
            if wanted && (!loose || accept_loose(c, m.end)) {
                style = Some(m.style);
                expected += 1;
                out.push(m);
                i = m.end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Which characters lie inside a “…” pair. An opening quote without a closing one is
/// taken as a typo and quotes nothing, so that it cannot hide the rest of the cell.
pub(crate) fn quoted_mask(c: &Chars) -> Vec<bool> {
    let mut mask = vec![false; c.len()];
    let mut i = 0;
    while i < c.len() {
        if c.fold[i] == '“'
            && let Some(off) = c.fold[i + 1..].iter().position(|&x| x == '”')
        {
            let close = i + 1 + off;
            for m in &mut mask[i + 1..close] {
                *m = true;
            }
            i = close + 1;
            continue;
        }
        i += 1;
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(s: &str) -> Vec<u32> {
        top_level_markers(&Chars::new(s), &|_, _| false).iter().map(|m| m.number).collect()
    }

    #[test]
    fn nested_lists_and_numbers_in_text_are_skipped() {
        assert_eq!(numbers("1. 甲：（1）子；（2）子。 2. 乙：30个工作日。3.丙"), vec![1, 2, 3]);
        assert_eq!(numbers("（一）甲；（二）乙 2.5元"), vec![1, 2]);
        assert_eq!(numbers("一、甲 二、乙"), vec![1, 2]);
        assert_eq!(numbers("第（一）项"), Vec::<u32>::new());
    }
}
