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
    pub(crate) fn new(s: &str) -> Self {
        let orig: Vec<char> = s.chars().collect();
        let fold = orig.iter().map(|c| fold_char(*c)).collect();
        Chars { orig, fold }
    }

    pub(crate) fn len(&self) -> usize {
        self.orig.len()
    }

    /// The original text of `start..end`, clamped to the cell.
    pub(crate) fn slice(&self, start: usize, end: usize) -> String {
        let end = end.min(self.orig.len());
        let start = start.min(end);
        let chars = &self.orig[start..end];
        // Sized exactly: slices end up in the catalog, hundreds of thousands of them.
        let mut out = String::with_capacity(chars.iter().map(|c| c.len_utf8()).sum());
        out.extend(chars);
        out
    }

    /// `start..end` without the white space at either end (as `str::trim` would cut it).
    pub(crate) fn trimmed(&self, start: usize, end: usize) -> (usize, usize) {
        let (mut start, mut end) = (start, end.min(self.orig.len()));
        while start < end && self.orig[start].is_whitespace() {
            start += 1;
        }
        while end > start && self.orig[end - 1].is_whitespace() {
            end -= 1;
        }
        (start, end)
    }

    /// The original text of `start..end`, trimmed.
    pub(crate) fn slice_trimmed(&self, start: usize, end: usize) -> String {
        let (s, e) = self.trimmed(start, end);
        self.slice(s, e)
    }

    /// Whether the folded text at `i` starts with `pat`.
    pub(crate) fn starts_with_at(&self, i: usize, pat: &str) -> bool {
        pat.chars().enumerate().all(|(k, p)| self.fold.get(i + k) == Some(&p))
    }
}

/// Characters after which a new item may begin.
fn is_boundary(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '。' | '；'
                | ';'
                | '，'
                | ','
                | '：'
                | ':'
                | '）'
                | ')'
                | '>'
                | '】'
                | '”'
                | '！'
                | '!'
                | '？'
                | '?'
                | '…'
        )
}

fn is_chinese_numeral(c: char) -> bool {
    matches!(c, '零' | '〇' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百')
}

/// Whether a marker can start with this (folded) character: the scan of a cell asks
/// [`marker_at`] only at these, which most characters of a cell are not.
fn may_start_marker(c: char) -> bool {
    c.is_ascii_digit() || c == '(' || is_chinese_numeral(c)
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
        let mut number = 0u32;
        // At most three digits, so the value cannot overflow; the folded digits read the
        // same as the printed (possibly full-width) ones.
        while j < f.len() && j - i < 3 && f[j].is_ascii_digit() {
            number = number * 10 + f[j].to_digit(10).unwrap_or(0);
            j += 1;
        }
        if j < f.len() && f[j].is_ascii_digit() {
            return None;
        }
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
///
/// One pass over the cell: quoted runs are jumped over whole, and [`marker_at`] is asked
/// only at characters a marker can start with.
pub(crate) fn top_level_markers(c: &Chars, accept_loose: &dyn Fn(&Chars, usize) -> bool) -> Vec<Marker> {
    let mut style: Option<Style> = None;
    let mut expected = 1u32;
    let mut out = Vec::new();
    let quoted = quoted_runs(c);
    let mut next_run = 0;
    let mut i = 0;
    while i < c.len() {
        // Quoted text ("…（一）…") is never split.
        while quoted.get(next_run).is_some_and(|&(_, end)| end <= i) {
            next_run += 1;
        }
        if let Some(&(start, end)) = quoted.get(next_run)
            && start <= i
        {
            i = end;
            continue;
        }
        if !may_start_marker(c.fold[i]) {
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

/// The runs of characters inside a “…” pair, as `[start, end)` positions, in order. An
/// opening quote without a closing one is taken as a typo and quotes nothing, so that it
/// cannot hide the rest of the cell.
fn quoted_runs(c: &Chars) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if c.fold[i] == '“'
            && let Some(off) = c.fold[i + 1..].iter().position(|&x| x == '”')
        {
            let close = i + 1 + off;
            if close > i + 1 {
                runs.push((i + 1, close));
            }
            i = close + 1;
            continue;
        }
        i += 1;
    }
    runs
}

/// Which characters lie inside a “…” pair (see [`quoted_runs`]).
pub(crate) fn quoted_mask(c: &Chars) -> Vec<bool> {
    let mut mask = vec![false; c.len()];
    for (start, end) in quoted_runs(c) {
        for m in &mut mask[start..end] {
            *m = true;
        }
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

    #[test]
    fn quoted_runs_are_never_split_and_a_lone_quote_quotes_nothing() {
        assert_eq!(numbers("1.甲“2.引文（二）” 2.乙"), vec![1, 2]);
        assert_eq!(numbers("1.甲“ 2.乙"), vec![1, 2]);
        let mask = quoted_mask(&Chars::new("a“bc”d“e"));
        assert_eq!(mask, vec![false, false, true, true, false, false, false, false]);
    }

    #[test]
    fn slices_are_trimmed_like_str_trim() {
        let c = Chars::new("\u{3000} 甲乙 \n");
        assert_eq!(c.slice_trimmed(0, c.len()), "甲乙");
        assert_eq!(c.trimmed(0, 1), (1, 1));
        assert_eq!(c.slice(3, 99), "乙 \n");
    }
}
