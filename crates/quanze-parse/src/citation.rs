//! Citations in legal-basis cells: 【法律】《中华人民共和国社会保险法》（2018年修正）第八十七条：“…”
//!
//! Forms found in the published lists, all handled:
//! - a level tag, a title, an edition, an article and its words:
//!   `1.【法律】《社会保险法》（2018年12月修改）第八十四条：用人单位…`;
//! - several articles of one title, each with its words:
//!   `《中华人民共和国社会保险法》第八十七条:“…”;第八十八条:“…”`, also separated by 。 or a
//!   space (`第十条 举报人…。 第十一条 举报人…`), by line breaks, or inside one quotation
//!   (`第八条: “…工作。第五十七条 用人单位…”`);
//! - lists and ranges: `第九十二条、九十三条` (the second without 第), `第八十七条和第八十八条`,
//!   `第二十二条第二款， 第二十五条`, `第二十条至第二十四条` (expanded, at most
//!   [`MAX_RANGE`] articles);
//! - a chapter before the article, ignored: `第五章第二十七条`, `第五章医疗救助第二十五条`;
//! - paragraph and item: `第X条第Y款第Z项`, `第X条第（Z）项`;
//! - `第X条之一` gives article X: the model has no field for the 之一 part, which stays in
//!   the cell text;
//! - an instrument cited as a whole (`《城乡医疗救助基金管理办法》全文`, or no article at all):
//!   `article` is `None`;
//! - editions in （） or () after the title, several in a row, nested or unbalanced
//!   (`（甘肃省人民代表大会常务委员会公告（第23号）（2015年10月1日施行）第五章…`);
//! - `的通知` printed after the closing 》 (`《…实施办法（暂行）》的通知（甘医保发〔2019〕35号）`);
//! - titles without 《》 in cells that have none (`1、邢台市…合并实施办法（邢医保发【2019】52号）；`),
//!   best effort.
//!
//! A 第X条 inside an article's words counts as a new article only when it stands where an
//! article heading stands (after a sentence end or a space, before a colon, a quotation or
//! a space), so that references such as "依照本条例第十条的规定" stay in the words.

use quanze_model::{Citation, LegalLevel};

use crate::marker::{Chars, quoted_mask, top_level_markers};
use crate::numeral::{is_numeral_char, parse_number};
use crate::text::{fold_width, strip_html};

/// Most articles a range (第二十条至第二十四条) expands to; a longer range is a typo or a
/// whole chapter, and its first articles are enough to find it.
pub const MAX_RANGE: u32 = 50;

/// What a legal-basis cell yielded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedBasis {
    /// One citation per cited article, in order of appearance.
    pub citations: Vec<Citation>,
    /// Fragments that look like citations (a 《title》 or 第X条) but could not be parsed.
    pub unparsed: Vec<String>,
}

/// Parse every citation in a legal-basis cell.
pub fn parse_citations(cell: &str) -> ParsedBasis {
    let text = strip_html(cell);
    let c = Chars::new(&text);
    let quoted = quoted_mask(&c);
    let mut out = ParsedBasis::default();

    let mut broken = Vec::new();
    let titles = find_titles(&c, &quoted, &mut out.unparsed, &mut broken);
    if titles.is_empty() {
        // A cell with a broken 《 has its title there; guessing another one would mislead.
        if !c.fold.contains(&'《') {
            unbracketed(&c, &quoted, &mut out);
        }
        return out;
    }
    let first_prefix = titles.first().map_or(0, |t| t.prefix_start);
    unparsed_headings(&c, &quoted, 0, first_prefix, &mut out.unparsed);
    for (k, t) in titles.iter().enumerate() {
        let next_title = titles.get(k + 1).map_or(c.len(), |n| n.prefix_start);
        let next_broken = broken.iter().copied().find(|&b| b > t.close).unwrap_or(c.len());
        let region_end = next_title.min(next_broken);
        let head = Head { title_start: t.open, title_end: t.close + 1, level: t.level };
        parse_tail(&c, &quoted, &head, region_end, &mut out);
    }
    out
}

/// A 《title》 that starts a citation.
struct Title {
    /// Position of 《.
    open: usize,
    /// Position of the matching 》.
    close: usize,
    /// Start of the numbering and level tag printed before it.
    prefix_start: usize,
    level: Option<LegalLevel>,
}

/// Where a citation's title is and the level it was tagged with.
struct Head {
    title_start: usize,
    /// Just after the title as printed (after 》).
    title_end: usize,
    level: Option<LegalLevel>,
}

/// Characters after which a citation may begin.
fn is_citation_boundary(c: char) -> bool {
    c.is_whitespace() || "。；;，,、：:”）)】>.．".contains(c) || c.is_ascii_digit()
}

/// The 《title》s that start citations. A 《 inside quoted words, or glued to the words
/// before it (依照《社会保险法》…), is part of the words; the first title of a cell always
/// counts.
///
/// `broken` receives where the prefix of each unclosed 《 starts, so that the words of the
/// citation before it end there.
fn find_titles(
    c: &Chars,
    quoted: &[bool],
    unparsed: &mut Vec<String>,
    broken: &mut Vec<usize>,
) -> Vec<Title> {
    let mut titles: Vec<Title> = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if c.fold[i] != '《' || quoted[i] {
            i += 1;
            continue;
        }
        let Some(close) = matching_close(c, i) else {
            // An unclosed 《 spoils its own citation only; the titles after it still count.
            let stop = (i + 1..c.len()).find(|&j| "《。；;\n".contains(c.fold[j])).unwrap_or(c.len());
            unparsed.push(c.slice(i, stop).trim().to_string());
            broken.push(prefix_of(c, i).0);
            i += 1;
            continue;
        };
        let (prefix_start, level) = prefix_of(c, i);
        let prev = if prefix_start == 0 { None } else { c.fold.get(prefix_start - 1).copied() };
        let starts = titles.is_empty() || prev.is_none_or(is_citation_boundary) || prefix_start < i;
        if close == i + 1 {
            unparsed.push(c.slice(i, close + 1));
        } else if starts {
            titles.push(Title { open: i, close, prefix_start, level });
        }
        i = close + 1;
    }
    titles
}

/// The 》 closing the 《 at `open` (titles may nest 《》 in old documents).
fn matching_close(c: &Chars, open: usize) -> Option<usize> {
    let mut depth = 0u32;
    for (j, &ch) in c.fold.iter().enumerate().skip(open) {
        match ch {
            '《' => depth += 1,
            '》' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(j);
                }
            }
            '\n' => return None,
            _ => {}
        }
    }
    None
}

/// Walk back from a title over a level tag (【法律】) and a numbering (2. / 2-1. / （2）),
/// giving where the citation's prefix starts and the tagged level.
fn prefix_of(c: &Chars, open: usize) -> (usize, Option<LegalLevel>) {
    let mut p = open;
    let mut level = None;
    for _ in 0..3 {
        let mut q = p;
        while q > 0 && c.fold[q - 1].is_whitespace() {
            q -= 1;
        }
        if q > 0
            && c.fold[q - 1] == '】'
            && let Some(o) = (q.saturating_sub(12)..q - 1).rev().find(|&j| c.fold[j] == '【')
        {
            let tag = c.slice(o + 1, q - 1);
            if let Some(l) = level_tag(tag.trim()) {
                level = level.or(Some(l));
                p = o;
                continue;
            }
        }
        // Numbering: digits, an optional -digits, then . 、 ．
        if q > 0 && matches!(c.fold[q - 1], '.' | '、') {
            let mut r = q - 1;
            let mut digits = 0;
            while r > 0 && (c.fold[r - 1].is_ascii_digit() || c.fold[r - 1] == '-') && digits < 6 {
                r -= 1;
                digits += 1;
            }
            if digits > 0 && c.fold[r].is_ascii_digit() {
                p = r;
                continue;
            }
        }
        if q > 0 && c.fold[q - 1] == ')' {
            let mut r = q - 1;
            while r > 0 && c.fold[r - 1].is_ascii_digit() && q - r < 5 {
                r -= 1;
            }
            if r > 0 && r < q - 1 && c.fold[r - 1] == '(' {
                p = r - 1;
                continue;
            }
        }
        if q < p {
            p = q;
        }
        break;
    }
    (p, level)
}

/// The level named by a tag such as 【法律】.
pub fn level_tag(tag: &str) -> Option<LegalLevel> {
    Some(match tag {
        "宪法" => LegalLevel::Constitution,
        "法律" => LegalLevel::Law,
        "行政法规" => LegalLevel::AdministrativeRegulation,
        "部门规章" => LegalLevel::DepartmentalRule,
        "地方性法规" | "地方法规" => LegalLevel::LocalRegulation,
        "政府规章" | "地方政府规章" => LegalLevel::GovernmentRule,
        "司法解释" => LegalLevel::JudicialInterpretation,
        "规范性文件" | "其他规范性文件" => LegalLevel::NormativeDocument,
        "释义" | "其他" => LegalLevel::Other,
        _ => return None,
    })
}

/// One cited article as printed: number, paragraph, item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Article {
    article: u32,
    paragraph: Option<u32>,
    item: Option<u32>,
}

/// A run of articles printed together (第九十二条、九十三条) and where it ends. An empty
/// run stands for a chapter cited without an article (第一章总则).
struct Group {
    articles: Vec<Article>,
    end: usize,
}

fn skip_ws(c: &Chars, mut p: usize, end: usize) -> usize {
    while p < end && c.fold[p].is_whitespace() {
        p += 1;
    }
    p
}

/// A numeral at `p` (Chinese, Arabic or full-width) and where it ends.
fn numeral_at(c: &Chars, p: usize, end: usize) -> Option<(u32, usize)> {
    let mut q = p;
    while q < end && q - p < 12 && is_numeral_char(c.orig[q]) {
        q += 1;
    }
    if q == p {
        return None;
    }
    Some((parse_number(&c.slice(p, q))?, q))
}

/// `第N<unit>` (or `N<unit>` when `need_di` is false) at `p`.
fn numbered_at(c: &Chars, p: usize, end: usize, unit: char, need_di: bool) -> Option<(u32, usize)> {
    let mut q = p;
    if c.fold.get(q) == Some(&'第') {
        q += 1;
    } else if need_di {
        return None;
    }
    let (n, q) = numeral_at(c, q, end)?;
    if c.fold.get(q) == Some(&unit) && q < end { Some((n, q + 1)) } else { None }
}

/// One article with its 之一, 款 and 项 at `p`.
fn article_at(c: &Chars, p: usize, end: usize, need_di: bool) -> Option<(Article, usize)> {
    let (article, mut q) = numbered_at(c, p, end, '条', need_di)?;
    // 第X条之一: the article is X.
    if c.fold.get(q) == Some(&'之')
        && let Some((_, r)) = numeral_at(c, q + 1, end)
    {
        q = r;
    }
    let mut paragraph = None;
    if let Some((n, r)) = numbered_at(c, q, end, '款', true) {
        paragraph = Some(n);
        q = r;
    }
    let mut item = None;
    if let Some((n, r)) = numbered_at(c, q, end, '项', true) {
        item = Some(n);
        q = r;
    } else {
        // 第（三）项, （三）项
        let r0 = if c.fold.get(q) == Some(&'第') { q + 1 } else { q };
        if c.fold.get(r0) == Some(&'(')
            && let Some((n, r)) = numeral_at(c, r0 + 1, end)
            && c.fold.get(r) == Some(&')')
            && c.fold.get(r + 1) == Some(&'项')
            && r + 1 < end
        {
            item = Some(n);
            q = r + 2;
        }
    }
    Some((Article { article, paragraph, item }, q))
}

/// A run of articles at `p`, with a chapter before it skipped.
fn group_at(c: &Chars, p: usize, end: usize) -> Option<Group> {
    let mut start = p;
    if let Some((_, after_chapter)) = numbered_at(c, p, end, '章', true) {
        // A chapter name may stand between chapter and article (第五章医疗救助第二十五条).
        let mut q = after_chapter;
        let mut found = None;
        while q < end && q - after_chapter <= 12 {
            let ch = c.fold[q];
            if ch == '第' {
                if article_at(c, q, end, true).is_some() {
                    found = Some(q);
                }
                break;
            }
            if !crate::text::is_cjk(ch) {
                break;
            }
            q += 1;
        }
        match found {
            Some(a) => start = a,
            None => return Some(Group { articles: Vec::new(), end: after_chapter }),
        }
    }
    let (first, mut q) = article_at(c, start, end, true)?;
    let mut articles = vec![first];
    // Range: 第二十条至第二十四条, 第二十条-二十四条.
    let r = skip_ws(c, q, end);
    if matches!(c.fold.get(r), Some('至' | '-' | '—' | '~' | '～')) && r < end {
        let s = skip_ws(c, r + 1, end);
        if let Some((last, e)) = article_at(c, s, end, false) {
            let from = first.article;
            if last.article > from {
                let upto = last.article.min(from.saturating_add(MAX_RANGE - 1));
                for n in from + 1..=upto {
                    articles.push(Article { article: n, paragraph: None, item: None });
                }
                if let Some(l) = articles.last_mut()
                    && l.article == last.article
                {
                    *l = last;
                }
            } else {
                articles.push(last);
            }
            q = e;
        }
    }
    // List: 、 ， , 和 及 与 以及 followed by another article (第 optional).
    loop {
        let r = skip_ws(c, q, end);
        let sep_len = if c.starts_with_at(r, "以及") {
            2
        } else if matches!(c.fold.get(r), Some('、' | ',' | '和' | '及' | '与')) {
            1
        } else {
            break;
        };
        let s = skip_ws(c, r + sep_len, end);
        match article_at(c, s, end, false) {
            Some((a, e)) => {
                articles.push(a);
                q = e;
            }
            None => break,
        }
    }
    Some(Group { articles, end: q })
}

/// Whether the run of articles at `p` stands where an article heading stands.
fn heading_at(c: &Chars, quoted: &[bool], p: usize, end: usize) -> Option<Group> {
    if c.fold.get(p) != Some(&'第') {
        return None;
    }
    let prev = if p == 0 { None } else { c.fold.get(p - 1).copied() };
    let in_quote = quoted.get(p).copied().unwrap_or(false);
    let prev_ok = if in_quote {
        prev.is_none_or(|ch| ch.is_whitespace() || "。；;".contains(ch))
    } else {
        prev.is_none_or(|ch| ch.is_whitespace() || "。；;，,、：:”）)】>.".contains(ch))
    };
    if !prev_ok {
        return None;
    }
    let g = group_at(c, p, end)?;
    if g.articles.is_empty() {
        return None;
    }
    let next = c.fold.get(g.end).copied().filter(|_| g.end < end);
    let next_ok = if in_quote {
        next.is_none_or(|ch| ch.is_whitespace() || ch == ':')
    } else {
        next.is_none_or(|ch| ch.is_whitespace() || ":“。；;，,".contains(ch))
    };
    next_ok.then_some(g)
}

/// The editions printed after a title, the position after them, and where the last one ends.
fn editions_at(c: &Chars, mut p: usize, end: usize) -> (Vec<String>, usize) {
    let mut eds = Vec::new();
    loop {
        let q = skip_ws(c, p, end);
        if c.fold.get(q) != Some(&'(') || q >= end {
            return (eds, p);
        }
        match paren_group(c, q, end) {
            // (以下简称《…》) names the instrument for the words that follow; not an edition.
            Some((content, _)) if content.trim_start().starts_with("以下简称") => return (eds, p),
            Some((content, after)) => {
                let content = content.trim().to_string();
                if !content.is_empty() {
                    eds.push(content);
                }
                p = after;
            }
            None => return (eds, p),
        }
    }
}

/// The content of the parentheses opening at `open` and the position after them. When they
/// never close (a typo in the list), the content runs to the last closing parenthesis before
/// the article or chapter number.
fn paren_group(c: &Chars, open: usize, end: usize) -> Option<(String, usize)> {
    const MAX_EDITION: usize = 160;
    let mut depth = 0i32;
    let limit = end.min(open + MAX_EDITION);
    for j in open..limit {
        match c.fold[j] {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some((c.slice(open + 1, j), j + 1));
                }
            }
            '\n' => break,
            _ => {}
        }
    }
    let mut last_close = None;
    for j in open + 1..limit {
        let ch = c.fold[j];
        if ch == '\n' || (ch == '第' && group_at(c, j, end).is_some()) {
            break;
        }
        if ch == ')' {
            last_close = Some(j);
        }
    }
    let close = last_close?;
    Some((c.slice(open + 1, close), close + 1))
}

/// The words of a citation: no surrounding whitespace, leading colon, quotation marks or
/// trailing separator; `None` when nothing but punctuation is left.
fn clean_words(raw: &str) -> Option<String> {
    let is_space = |ch: char| ch.is_whitespace() || ch == '\u{3000}';
    let mut t = raw.trim_matches(is_space);
    t = t.trim_start_matches(['：', ':', '，', ',']).trim_start_matches(is_space);
    t = t.trim_end_matches(['；', ';', '，', ',', '、']).trim_end_matches(is_space);
    if let Some(s) = t.strip_prefix('“') {
        t = s;
        let inner = t.trim_end_matches(['。', '.', '；', ';']);
        if let Some(s) = inner.strip_suffix('”') {
            t = s;
        }
    } else if t.ends_with('”') && !t.contains('“') {
        // A closing mark without its opening one (…责令退还。”).
        t = t.trim_end_matches('”');
    }
    let t = t.trim_matches(is_space);
    if t.chars().any(|ch| ch.is_alphanumeric()) { Some(t.to_string()) } else { None }
}

/// Words after a title cited as a whole, when they are the instrument's words (introduced
/// by a colon, a quotation or 明确规定：) rather than a remark such as 全文 or 规定的追责情形.
fn whole_words(raw: &str) -> Option<String> {
    let t = raw.trim();
    let folded = fold_width(t);
    let t2 = ["明确规定", "规定"].iter().find_map(|p| folded.strip_prefix(p)).unwrap_or(&folded);
    // Sections of a notice cited by number: 一: “…”; 二: “…” or 三、联席会议…
    let section = t2.chars().take_while(|c| "一二三四五六七八九十".contains(*c)).count();
    if section > 0 && t2.chars().nth(section).is_some_and(|c| c == ':' || c == '、') {
        return clean_section_words(t);
    }
    if t2.starts_with([':', '“']) {
        let skip = t.chars().count() - t2.chars().count();
        let rest: String = t.chars().skip(skip).collect();
        clean_words(&rest)
    } else {
        None
    }
}

/// Words of numbered sections, kept with their numbers since they say which section.
fn clean_section_words(raw: &str) -> Option<String> {
    let t = raw.trim().trim_end_matches(['；', ';', '，', ',', '、']).trim_end();
    if t.chars().any(char::is_alphanumeric) { Some(t.to_string()) } else { None }
}

/// Parse what follows a title: editions, articles, words.
fn parse_tail(c: &Chars, quoted: &[bool], head: &Head, end: usize, out: &mut ParsedBasis) {
    let mut p = skip_ws(c, head.title_end, end);
    // 《…实施办法（暂行）》的通知（…）: the 的通知 belongs to an outer title.
    for suffix in ["的通知", "的决定", "的意见"] {
        if c.starts_with_at(p, suffix) {
            p += suffix.chars().count();
            break;
        }
    }
    let (eds, after_eds) = editions_at(c, p, end);
    let raw_end = if eds.is_empty() { head.title_end } else { after_eds };
    let title_raw = c.slice(head.title_start, raw_end).trim().to_string();
    let title = normalize_title(&c.slice(head.title_start, head.title_end));
    let edition = if eds.is_empty() { None } else { Some(eds.join("；")) };
    let (level, level_inferred) = match head.level {
        Some(l) => (Some(l), false),
        None => {
            let l = infer_level(&title, edition.as_deref());
            (l, l.is_some())
        }
    };
    let base = Citation {
        level,
        level_inferred,
        title,
        title_raw,
        edition,
        article: None,
        paragraph: None,
        item: None,
        text: None,
    };
    if base.title.is_empty() {
        out.unparsed.push(c.slice(head.title_start, end).trim().to_string());
        return;
    }

    let start = skip_ws(c, after_eds.max(p), end);
    let Some(mut g) = group_at(c, start, end) else {
        let rest = c.slice(start, end);
        out.citations.push(Citation { text: whole_words(&rest), ..base });
        return;
    };
    loop {
        // The words run to the next article heading of the same title.
        let mut next = None;
        let mut q = g.end;
        while q < end {
            if let Some(h) = heading_at(c, quoted, q, end) {
                next = Some((q, h));
                break;
            }
            q += 1;
        }
        let words_end = next.as_ref().map_or(end, |(s, _)| *s);
        let words = c.slice(g.end, words_end);
        if g.articles.is_empty() {
            // 第一章总则：… — the chapter's name is not part of the words.
            let words = match words.split_once(['：', ':']) {
                Some((name, rest)) if name.chars().count() <= 10 && name.chars().all(crate::text::is_cjk) => {
                    rest
                }
                _ => words.as_str(),
            };
            out.citations.push(Citation { text: clean_words(words), ..base.clone() });
        }
        let text = clean_words(&words);
        for a in &g.articles {
            out.citations.push(Citation {
                article: Some(a.article),
                paragraph: a.paragraph,
                item: a.item,
                text: text.clone(),
                ..base.clone()
            });
        }
        match next {
            Some((_, h)) => g = h,
            None => break,
        }
    }
}

/// Article headings (第X条) in text before any title: they cite nothing we can name.
fn unparsed_headings(c: &Chars, quoted: &[bool], start: usize, end: usize, unparsed: &mut Vec<String>) {
    let mut q = start;
    while q < end {
        if let Some(g) = heading_at(c, quoted, q, end) {
            let stop = (g.end..end).find(|&j| "。；;\n".contains(c.fold[j])).unwrap_or(end);
            unparsed.push(c.slice(q, stop).trim().to_string());
            q = stop.max(q + 1);
            continue;
        }
        q += 1;
    }
}

/// Title endings of instruments, for titles printed without 《》.
const INSTRUMENT_ENDINGS: &[&str] =
    &["办法", "条例", "规定", "通知", "意见", "细则", "决定", "规范", "规则", "方案", "纲要", "批复", "法"];

/// Cells without any 《》: each numbered item (or the whole cell) may still start with a
/// title ("1、邢台市城镇职工基本医疗保险和生育保险合并实施办法（邢医保发【2019】52号）").
fn unbracketed(c: &Chars, quoted: &[bool], out: &mut ParsedBasis) {
    let markers = top_level_markers(c, &|_, _| false);
    let mut items: Vec<(usize, usize)> = Vec::new();
    if markers.is_empty() {
        items.push((0, c.len()));
    } else {
        if markers[0].start > 0 {
            items.push((0, markers[0].start));
        }
        for (k, m) in markers.iter().enumerate() {
            items.push((m.end, markers.get(k + 1).map_or(c.len(), |n| n.start)));
        }
    }
    for (s, e) in items {
        let mut p = skip_ws(c, s, e);
        let mut level = None;
        if c.fold.get(p) == Some(&'【')
            && let Some(close) = (p + 1..e.min(p + 12)).find(|&j| c.fold[j] == '】')
            && let Some(l) = level_tag(c.slice(p + 1, close).trim())
        {
            level = Some(l);
            p = skip_ws(c, close + 1, e);
        }
        match unbracketed_title_end(c, p, e) {
            Some(title_end) => {
                let head = Head { title_start: p, title_end, level };
                parse_tail(c, quoted, &head, e, out);
            }
            None => unparsed_headings(c, quoted, s, e, &mut out.unparsed),
        }
    }
}

/// End of a title printed without 《》 at `p`: a run without sentence punctuation, ending
/// in an instrument word (办法, 条例, 通知…), followed by an edition, an article, a
/// separator or the end of the item.
fn unbracketed_title_end(c: &Chars, p: usize, end: usize) -> Option<usize> {
    const MAX_TITLE: usize = 80;
    let mut q = p;
    while q < end && q - p <= MAX_TITLE {
        let ch = c.fold[q];
        let stop = ch == '('
            || ch == '第' && group_at(c, q, end).is_some_and(|g| !g.articles.is_empty())
            || "；;。：:，,“\n".contains(ch);
        if stop {
            break;
        }
        q += 1;
    }
    let mut t = q;
    while t > p && c.fold[t - 1].is_whitespace() {
        t -= 1;
    }
    if t - p < 4 || q - p > MAX_TITLE {
        return None;
    }
    let title = c.slice(p, t);
    let ok = INSTRUMENT_ENDINGS.iter().any(|e| title.ends_with(e)) && !title.ends_with("方法");
    ok.then_some(t)
}

/// Normalize an instrument title as a citation stores it: strip the outer 《》, the
/// 中华人民共和国 prefix and a trailing edition in parentheses.
///
/// Width is folded (（试行） becomes (试行)); 试行 / 暂行 / 实行 in parentheses are part of
/// the name and stay, while parentheses holding a date, a number or an issuing note
/// (2018年12月修改, 国务院令第259号) are an edition and go. The rule, and the lookup key every
/// other crate derives from this form, are `quanze_text::title`.
pub fn normalize_title(raw: &str) -> String {
    quanze_text::statute_title(raw)
}

/// Whether a title starts with a province, region or city (河北省…, 邢台市…).
fn has_local_prefix(title: &str) -> bool {
    let head: String = title.chars().take(9).collect();
    if head.contains("自治区") || head.contains('省') {
        return true;
    }
    if let Some(i) = head.find('市') {
        let before = &head[..i];
        return before.chars().count() >= 2 && !before.ends_with('城') && !before.ends_with('都');
    }
    false
}

/// Whether an edition is a document number such as 〔2019〕52号 or [2014]21号.
fn is_document_number(ed: &str) -> bool {
    ed.contains('号') && (ed.contains('〔') || ed.contains('[') || ed.contains('【') || ed.contains('﹝'))
}

/// Instruments whose title alone does not give their level, as cited in the lists.
const KNOWN_LEVELS: &[(&str, LegalLevel)] = &[
    ("社会救助暂行办法", LegalLevel::AdministrativeRegulation),
    ("社会保险稽核办法", LegalLevel::DepartmentalRule),
    ("社会保险费征缴监督检查办法", LegalLevel::DepartmentalRule),
    ("社会保险费申报缴纳管理规定", LegalLevel::DepartmentalRule),
    ("医疗机构医疗保障定点管理暂行办法", LegalLevel::DepartmentalRule),
    ("零售药店医疗保障定点管理暂行办法", LegalLevel::DepartmentalRule),
    ("医疗保障行政处罚程序暂行规定", LegalLevel::DepartmentalRule),
    ("社会保险基金行政监督办法", LegalLevel::DepartmentalRule),
    ("药品生产质量管理规范", LegalLevel::DepartmentalRule),
    ("河南省职工生育保险办法", LegalLevel::GovernmentRule),
    ("河北省基本医疗保险服务监督管理办法", LegalLevel::GovernmentRule),
    ("河北省社会保险基金监督办法", LegalLevel::GovernmentRule),
    ("河北省社会救助实施办法", LegalLevel::GovernmentRule),
    ("城乡医疗救助基金管理办法", LegalLevel::NormativeDocument),
];

/// The level of an instrument inferred from its title and edition, when they tell it.
pub fn infer_level(title: &str, edition: Option<&str>) -> Option<LegalLevel> {
    let ed = edition.map(|e| fold_width(e).into_owned()).unwrap_or_default();
    let title = normalize_title(title);
    // The name without (试行) and the like, for its ending.
    let mut name = title.as_str();
    while let Some(s) = name.strip_suffix(')') {
        match s.rfind('(') {
            Some(o) => name = s[..o].trim_end(),
            None => break,
        }
    }
    if let Some((_, l)) = KNOWN_LEVELS.iter().find(|(t, _)| *t == name) {
        return Some(*l);
    }
    if name.ends_with("释义") {
        return Some(LegalLevel::Other);
    }
    if name.ends_with("宪法") {
        return Some(LegalLevel::Constitution);
    }
    if ed.contains("国务院令") {
        return Some(LegalLevel::AdministrativeRegulation);
    }
    if ed.contains("政府令") {
        return Some(LegalLevel::GovernmentRule);
    }
    let ministry_order = ed
        .char_indices()
        .any(|(i, ch)| ch == '令' && ed[..i].chars().next_back().is_some_and(|p| "部局委署".contains(p)));
    if ministry_order {
        return Some(LegalLevel::DepartmentalRule);
    }
    if name.ends_with('法') && !name.ends_with("办法") && !name.ends_with("方法") {
        return Some(LegalLevel::Law);
    }
    if name.ends_with("条例") {
        return Some(if has_local_prefix(name) {
            LegalLevel::LocalRegulation
        } else {
            LegalLevel::AdministrativeRegulation
        });
    }
    if ed.contains("人民代表大会常务委员会") {
        return Some(LegalLevel::LocalRegulation);
    }
    if name.starts_with("实施") && name.ends_with("若干规定") {
        return Some(LegalLevel::DepartmentalRule);
    }
    let normative_ending =
        ["通知", "意见", "决定", "纲要", "批复", "通告", "函"].iter().any(|e| name.ends_with(e));
    if is_document_number(&ed) || normative_ending || name.starts_with("关于") {
        return Some(LegalLevel::NormativeDocument);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numeral::to_chinese;

    fn arts(p: &ParsedBasis) -> Vec<(String, Option<u32>)> {
        p.citations.iter().map(|c| (c.title.clone(), c.article)).collect()
    }

    #[test]
    fn tagged_citation_with_edition_and_words() {
        // Seed 000, item 1.
        let p = parse_citations(
            "1.【法律】《社会保险法》（2018年12月修改）第八十四条：用人单位不办理社会保险登记的，由社会保险行政部门责令限期改正。\n\
             2.【行政法规】《社会保险费征缴暂行条例》（国务院令第259号）第二十三条：缴费单位未按照规定办理社会保险登记的，可以处１０００元以上５０００元以下的罚款。\n\
             3.【部门规章】《社会保险费征缴监督检查办法》（劳动和社会保障部令第3号）第十四条：对缴费单位有下列行为之一的，应当给予警告：（一）伪造、变造社会保险登记证的；（二）未按规定代扣代缴的。",
        );
        assert!(p.unparsed.is_empty(), "{:?}", p.unparsed);
        assert_eq!(p.citations.len(), 3);
        let c = &p.citations[0];
        assert_eq!(c.level, Some(LegalLevel::Law));
        assert!(!c.level_inferred);
        assert_eq!(c.title, "社会保险法");
        assert_eq!(c.title_raw, "《社会保险法》（2018年12月修改）");
        assert_eq!(c.edition.as_deref(), Some("2018年12月修改"));
        assert_eq!(c.article, Some(84));
        assert_eq!(c.text.as_deref(), Some("用人单位不办理社会保险登记的，由社会保险行政部门责令限期改正。"));
        assert_eq!(p.citations[1].level, Some(LegalLevel::AdministrativeRegulation));
        assert_eq!(p.citations[1].edition.as_deref(), Some("国务院令第259号"));
        assert_eq!(p.citations[2].level, Some(LegalLevel::DepartmentalRule));
        assert_eq!(p.citations[2].article, Some(14));
        assert!(p.citations[2].text.as_deref().is_some_and(|t| t.ends_with("（二）未按规定代扣代缴的。")));
    }

    #[test]
    fn two_articles_of_one_statute_give_two_citations() {
        // Seed 001, item 1.
        let p = parse_citations(
            "《中华人民共和国社会保险法》(2011年7月1日施行,2018年12月29日第十三届全国人民代表大会常务委员会第七次会议修正)第八十七条:“社会保险经办机构以及医疗机构骗取社会保险基金支出的,由社会保险行政部门责令退回。”;第八十八条:“以欺诈、伪造证明材料或者其他手段骗取社会保险待遇的,处骗取金额二倍以上五倍以下的罚款。”",
        );
        assert_eq!(arts(&p), vec![("社会保险法".into(), Some(87)), ("社会保险法".into(), Some(88))]);
        assert_eq!(
            p.citations[0].edition.as_deref(),
            Some("2011年7月1日施行,2018年12月29日第十三届全国人民代表大会常务委员会第七次会议修正")
        );
        assert_eq!(
            p.citations[0].text.as_deref(),
            Some("社会保险经办机构以及医疗机构骗取社会保险基金支出的,由社会保险行政部门责令退回。")
        );
        assert_eq!(
            p.citations[1].text.as_deref(),
            Some("以欺诈、伪造证明材料或者其他手段骗取社会保险待遇的,处骗取金额二倍以上五倍以下的罚款。")
        );
        assert_eq!(p.citations[1].level, Some(LegalLevel::Law));
        assert!(p.citations[1].level_inferred);
    }

    #[test]
    fn numbered_list_of_bare_citations() {
        // Seed 002, item 3.
        let p = parse_citations(
            "1. 《医疗保障基金使用监督管理条例》第三十八条； 2. 《河南省职工生育保险办法》第二十八条",
        );
        assert_eq!(
            arts(&p),
            vec![
                ("医疗保障基金使用监督管理条例".into(), Some(38)),
                ("河南省职工生育保险办法".into(), Some(28))
            ]
        );
        assert_eq!(p.citations[0].text, None);
        assert_eq!(p.citations[0].title_raw, "《医疗保障基金使用监督管理条例》");
        assert_eq!(p.citations[0].level, Some(LegalLevel::AdministrativeRegulation));
        assert_eq!(p.citations[1].level, Some(LegalLevel::GovernmentRule));
    }

    #[test]
    fn second_article_without_di_in_a_list() {
        // Seed 004, 追究依据.
        let p = parse_citations("【法律】《中华人民共和国社会保险法》第九十二条、九十三条。");
        assert_eq!(arts(&p), vec![("社会保险法".into(), Some(92)), ("社会保险法".into(), Some(93))]);
        assert!(p.citations.iter().all(|c| c.text.is_none() && c.level == Some(LegalLevel::Law)));
    }

    #[test]
    fn articles_joined_by_he() {
        let p = parse_citations("《中华人民共和国社会保险法》第八十七条和第八十八条");
        assert_eq!(arts(&p), vec![("社会保险法".into(), Some(87)), ("社会保险法".into(), Some(88))]);
    }

    #[test]
    fn chapter_before_article_is_ignored_and_next_sentence_article_splits() {
        // Seed 001, item 2.
        let p = parse_citations(
            "<p>1. 《社会救助暂行办法》（国务院令649号，自2014年5月1日起施行）第五章第二十七条：“国家建立健全医疗救助制度，保障医疗救助对象获得基本医疗卫生服务”。第三十条：“申请医疗救助的，应当向乡镇人民政府、街道办事处提出”。</p> <p>2. 《甘肃省社会救助条例》（甘肃省人民代表大会常务委员会公告（第23号）（2015年10月1日施行）第五章医疗救助第二十五条 县级以上人民政府给予医疗救助。第二十九条 县级以上人民政府应当建立健全医疗费用结算机制。</p>",
        );
        assert_eq!(
            arts(&p),
            vec![
                ("社会救助暂行办法".into(), Some(27)),
                ("社会救助暂行办法".into(), Some(30)),
                ("甘肃省社会救助条例".into(), Some(25)),
                ("甘肃省社会救助条例".into(), Some(29)),
            ]
        );
        assert_eq!(
            p.citations[0].text.as_deref(),
            Some("国家建立健全医疗救助制度，保障医疗救助对象获得基本医疗卫生服务")
        );
        assert_eq!(p.citations[2].text.as_deref(), Some("县级以上人民政府给予医疗救助。"));
        assert_eq!(p.citations[2].level, Some(LegalLevel::LocalRegulation));
        assert_eq!(
            p.citations[2].edition.as_deref(),
            Some("甘肃省人民代表大会常务委员会公告（第23号）（2015年10月1日施行")
        );
        assert_eq!(p.citations[0].level, Some(LegalLevel::AdministrativeRegulation));
    }

    #[test]
    fn paragraph_and_item_numbers() {
        let p = parse_citations("《医疗保障基金使用监督管理条例》第二十二条第二款， 第二十五条");
        assert_eq!(p.citations.len(), 2);
        assert_eq!(p.citations[0].paragraph, Some(2));
        assert_eq!(p.citations[1].article, Some(25));
        let p = parse_citations("《社会保险法》第八十四条第一款第三项");
        assert_eq!(
            (p.citations[0].article, p.citations[0].paragraph, p.citations[0].item),
            (Some(84), Some(1), Some(3))
        );
        let p = parse_citations("《医疗保障基金使用监督管理条例》第二十七条第（五）项");
        assert_eq!((p.citations[0].article, p.citations[0].item), (Some(27), Some(5)));
    }

    #[test]
    fn ranges_expand_and_are_capped() {
        let p = parse_citations("《行政处罚法》第二十条至第二十四条");
        assert_eq!(
            p.citations.iter().filter_map(|c| c.article).collect::<Vec<_>>(),
            vec![20, 21, 22, 23, 24]
        );
        let p = parse_citations("《行政处罚法》第1条至第1000条");
        assert_eq!(p.citations.len(), MAX_RANGE as usize);
    }

    #[test]
    fn article_zhi_yi_keeps_the_article() {
        let p = parse_citations("《社会保险法》第八十四条之一：用人单位…");
        assert_eq!(p.citations[0].article, Some(84));
        assert_eq!(p.citations[0].text.as_deref(), Some("用人单位…"));
    }

    #[test]
    fn instrument_cited_as_a_whole() {
        // Seed 000, items 15 and 41.
        let p = parse_citations("《城乡医疗救助基金管理办法》全文。");
        assert_eq!(arts(&p), vec![("城乡医疗救助基金管理办法".into(), None)]);
        assert_eq!(p.citations[0].text, None);
        let p = parse_citations(
            "《人力资源和社会保障部、财政部关于做好基本医疗保险跨省异地就医住院医疗费用直接结算工作的通知》全文。《国家医保局、财政部关于切实做好2019年跨省异地就医住院费用直接结算工作的通知》全文。",
        );
        assert_eq!(p.citations.len(), 2);
        assert!(
            p.citations.iter().all(|c| c.article.is_none() && c.level == Some(LegalLevel::NormativeDocument))
        );
        let p = parse_citations("2.【法律】《监察法》（2018年3月通过）规定的追责情形");
        assert_eq!(p.citations[0].article, None);
        assert_eq!(p.citations[0].text, None);
        assert_eq!(p.citations[0].edition.as_deref(), Some("2018年3月通过"));
    }

    #[test]
    fn references_inside_words_are_not_articles() {
        // Seed 000, item 6.
        let p = parse_citations(
            "1.【行政法规】《社会保险费征缴暂行条例》（国务院令第259号）第二十四条：缴费单位伪造账册的，依照本条例第十条的规定征缴；迟延缴纳的，依照第十三条的规定决定加收滞纳金。",
        );
        assert_eq!(p.citations.len(), 1);
        assert!(p.citations[0].text.as_deref().is_some_and(|t| t.contains("第十三条的规定")));
    }

    #[test]
    fn articles_inside_one_quotation_split_at_headings() {
        // Seed 001, item 7.
        let p = parse_citations(
            "1. 《中华人民共和国社会保险法》(2011年7月1日施行) 第八条: “社会保险经办机构提供社会保险服务。第五十七条 用人单位应当申请办理社会保险登记。”; 第五十八条: “用人单位应当为其职工申请办理社会保险登记。”",
        );
        assert_eq!(
            p.citations.iter().map(|c| c.article).collect::<Vec<_>>(),
            vec![Some(8), Some(57), Some(58)]
        );
        assert_eq!(p.citations[0].text.as_deref(), Some("社会保险经办机构提供社会保险服务。"));
        assert_eq!(p.citations[1].text.as_deref(), Some("用人单位应当申请办理社会保险登记。"));
    }

    #[test]
    fn articles_separated_by_spaces_and_lines() {
        // Seed 001 item 3 and seed 002 item 16.
        let p = parse_citations(
            "《国家医保局办公室 财政部办公厅关于印发〈欺诈骗取医疗保障基金行为举报奖励暂行办法〉的通知》（医保发〔2018〕22号）第十条 举报人举报事项同时符合下列条件的，给予奖励。 第十一条 举报人为内部人员的，可适当提高奖励标准。 第十二条 统筹地区设立举报奖励资金。",
        );
        assert_eq!(
            p.citations.iter().map(|c| c.article).collect::<Vec<_>>(),
            vec![Some(10), Some(11), Some(12)]
        );
        assert_eq!(p.citations[0].level, Some(LegalLevel::NormativeDocument));
        let p = parse_citations(
            "<p>《社会保险稽核办法》（劳动部令第16号）</p> <p>第二条：本办法所称稽核是指核查。</p> <p>第三条：县级以上社会保险经办机构负责社会保险稽核工作。</p>",
        );
        assert_eq!(p.citations.iter().map(|c| c.article).collect::<Vec<_>>(), vec![Some(2), Some(3)]);
        assert_eq!(p.citations[1].text.as_deref(), Some("县级以上社会保险经办机构负责社会保险稽核工作。"));
        assert_eq!(p.citations[0].level, Some(LegalLevel::DepartmentalRule));
    }

    #[test]
    fn tagged_citations_separated_by_spaces() {
        // Seed 004, item 7, 追究依据.
        let p = parse_citations(
            "【法律】《中华人民共和国社会保险法》第九十一条 【法律】《中华人民共和国社会保险法》第九十二条 【法律】《中华人民共和国社会保险法》第九十三条",
        );
        assert_eq!(
            p.citations.iter().map(|c| c.article).collect::<Vec<_>>(),
            vec![Some(91), Some(92), Some(93)]
        );
        assert!(p.citations.iter().all(|c| c.text.is_none()));
    }

    #[test]
    fn edition_holding_another_citation() {
        // Seed 004, item 11.
        let p = parse_citations(
            "【部门规章】《社会保险经办办法》(《中华人民共和国社会保险法》第六十条)第五十七条:县级以上人民政府应当建立健全社会保险监督检查制度。",
        );
        assert_eq!(arts(&p), vec![("社会保险经办办法".into(), Some(57))]);
        assert_eq!(p.citations[0].edition.as_deref(), Some("《中华人民共和国社会保险法》第六十条"));
    }

    #[test]
    fn notice_suffix_after_the_title_and_chapter_article() {
        // Seed 001, item 3.
        let p = parse_citations(
            "2.《甘肃省欺诈骗取医疗保险基金行为举报奖励实施办法（暂行）》的通知（甘医保发〔2019〕35号） 第一章第二条：“公民进行举报，适用本办法。第五条 各统筹地区医疗保障部门负责查处。第九条 省医疗保障局应当公布举报电话。”",
        );
        assert_eq!(
            p.citations.iter().map(|c| c.article).collect::<Vec<_>>(),
            vec![Some(2), Some(5), Some(9)]
        );
        assert_eq!(p.citations[0].title, "甘肃省欺诈骗取医疗保险基金行为举报奖励实施办法(暂行)");
        assert_eq!(p.citations[0].edition.as_deref(), Some("甘医保发〔2019〕35号"));
        assert_eq!(p.citations[0].level, Some(LegalLevel::NormativeDocument));
    }

    #[test]
    fn explicit_provision_words_of_a_whole_document() {
        // Seed 001, item 5.
        let p = parse_citations(
            "<p>1. 《国务院关于印发社会信用体系建设规划纲要（2014-2020年）的通知》（2014年6月14日，国发[2014]21号）明确规定：医药卫生和计划生育领域信用建设。</p>",
        );
        assert_eq!(p.citations[0].article, None);
        assert_eq!(p.citations[0].title, "国务院关于印发社会信用体系建设规划纲要(2014-2020年)的通知");
        assert_eq!(p.citations[0].text.as_deref(), Some("医药卫生和计划生育领域信用建设。"));
    }

    #[test]
    fn titles_without_book_marks() {
        // Seed 003, item 14.
        let p = parse_citations(
            "1、邢台市城镇职工基本医疗保险和生育保险合并实施办法（邢医保发【2019】52号）；2、邢台市医疗保障局关于邢台市城镇职工生育保险待遇有关事项的通知（邢医保发【2020】24号）",
        );
        assert_eq!(p.citations.len(), 2);
        assert_eq!(p.citations[0].title, "邢台市城镇职工基本医疗保险和生育保险合并实施办法");
        assert_eq!(p.citations[0].edition.as_deref(), Some("邢医保发【2019】52号"));
        assert_eq!(p.citations[1].level, Some(LegalLevel::NormativeDocument));
        let p = parse_citations("社会保险法第八十四条：“用人单位不办理社会保险登记的，责令限期改正。”");
        assert_eq!(arts(&p), vec![("社会保险法".into(), Some(84))]);
        assert_eq!(p.citations[0].text.as_deref(), Some("用人单位不办理社会保险登记的，责令限期改正。"));
    }

    #[test]
    fn sections_of_a_notice_and_a_chapter_cited_alone() {
        // Seed 001, item 9, and seed 004, item 2.
        let p = parse_citations(
            "2. 《人力资源社会保障部 财政部关于领取失业保险金人员参加职工基本医疗保险有关问题的通知》(人社部发〔2011〕77号)一: “领取失业保险金人员应按规定参加职工医保”; 二: “个人不缴费”。",
        );
        assert_eq!(p.citations[0].article, None);
        assert_eq!(
            p.citations[0].text.as_deref(),
            Some("一: “领取失业保险金人员应按规定参加职工医保”; 二: “个人不缴费”。")
        );
        let p = parse_citations(
            "2.【法律】《中华人民共和国基本医疗保险卫生与健康管理条例》第一章总则：基本医疗保险经办机构伪造证明材料的，给予警告。",
        );
        assert_eq!(p.citations[0].article, None);
        assert_eq!(p.citations[0].text.as_deref(), Some("基本医疗保险经办机构伪造证明材料的，给予警告。"));
    }

    #[test]
    fn short_name_in_parentheses_is_not_an_edition() {
        let p = parse_citations(
            "《甘肃省药品集中采购诚信管理办法》（甘卫发[2016]180号）（以下简称《诚信管理办法》）",
        );
        assert_eq!(p.citations.len(), 1);
        assert_eq!(p.citations[0].edition.as_deref(), Some("甘卫发[2016]180号"));
    }

    #[test]
    fn full_width_and_arabic_article_numbers() {
        let p = parse_citations("《社会保险法》第８４条；《社会保险法》第86条");
        assert_eq!(p.citations.iter().map(|c| c.article).collect::<Vec<_>>(), vec![Some(84), Some(86)]);
    }

    #[test]
    fn unattached_articles_and_broken_titles_are_unparsed() {
        let p = parse_citations("第八十四条：用人单位不办理社会保险登记的");
        assert!(p.citations.is_empty());
        assert_eq!(p.unparsed, vec!["第八十四条：用人单位不办理社会保险登记的".to_string()]);
        let p = parse_citations("《社会保险法第八十四条");
        assert!(p.citations.is_empty());
        assert_eq!(p.unparsed.len(), 1);
        let p = parse_citations(
            "1. 《社会保险法》第八十七条； 2. 《医疗保障基金使用监督管理条例第三十八条； 3. 《价格法》第三十四条",
        );
        assert_eq!(p.citations.iter().map(|c| c.article).collect::<Vec<_>>(), vec![Some(87), Some(34)]);
        assert_eq!(p.unparsed, vec!["《医疗保障基金使用监督管理条例第三十八条".to_string()]);
        assert_eq!(p.citations[0].text, None);
        let p = parse_citations("无");
        assert_eq!(p, ParsedBasis::default());
    }

    #[test]
    fn level_inference_from_titles() {
        assert_eq!(infer_level("社会保险法", None), Some(LegalLevel::Law));
        assert_eq!(infer_level("城乡医疗救助基金管理办法", None), Some(LegalLevel::NormativeDocument));
        assert_eq!(infer_level("基本医疗保险基金使用监督管理办法", None), None);
        assert_eq!(infer_level("甘肃省社会救助条例", None), Some(LegalLevel::LocalRegulation));
        assert_eq!(infer_level("社会保险费征缴暂行条例", None), Some(LegalLevel::AdministrativeRegulation));
        assert_eq!(
            infer_level("河北省基本医疗保险服务监督管理办法", Some("河北省人民政府令（2015）第12号")),
            Some(LegalLevel::GovernmentRule)
        );
        assert_eq!(
            infer_level("优抚对象医疗保障办法", Some("民发〔2007〕101号")),
            Some(LegalLevel::NormativeDocument)
        );
        assert_eq!(
            infer_level(
                "实施〈中华人民共和国社会保险法〉若干规定",
                Some("中华人民共和国人力资源和社会保障部令 第13号")
            ),
            Some(LegalLevel::DepartmentalRule)
        );
        assert_eq!(infer_level("城市居民最低生活保障条例", None), Some(LegalLevel::AdministrativeRegulation));
    }

    #[test]
    fn titles_normalize() {
        assert_eq!(normalize_title("《中华人民共和国社会保险法》"), "社会保险法");
        assert_eq!(normalize_title("《社会保险法》（2018年12月修改）"), "社会保险法");
        assert_eq!(normalize_title("社会救助暂行办法（国务院令第649号）"), "社会救助暂行办法");
        assert_eq!(
            normalize_title("《河北省欺诈骗取医疗保障基金行为举报奖励工作实施细则（实行）》"),
            "河北省欺诈骗取医疗保障基金行为举报奖励工作实施细则(实行)"
        );
        assert_eq!(normalize_title("（2018）"), "(2018)");
    }

    proptest::proptest! {
        #[test]
        fn parse_citations_never_panics(s in "\\PC*") {
            let _ = parse_citations(&s);
        }

        #[test]
        fn parse_citations_never_panics_on_citation_soup(s in "[《》【】()（）第条款项章之至、和一二十百0-9：“”；。 法律]{0,50}") {
            let _ = parse_citations(&s);
        }

        #[test]
        fn title_and_article_round_trip(title in "[\\u4e00-\\u9fa5]{1,20}", n in 1u32..=2000) {
            let p = parse_citations(&format!("《{title}》第{}条", to_chinese(n)));
            proptest::prop_assert_eq!(p.citations.len(), 1);
            proptest::prop_assert_eq!(&p.citations[0].title, &normalize_title(&title));
            proptest::prop_assert_eq!(p.citations[0].article, Some(n));
        }
    }
}
