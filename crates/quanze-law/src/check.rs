//! Citation resolution and checks over a catalog, as diagnostics:
//!
//! * `unresolved-citation` (error): no such statute in the registry, or no such article,
//!   paragraph or item in its text (says which, and suggests a close registered title);
//! * `citation-mismatch` (warning): the cited article is about something else than the item.
//!   A simple, explainable topic check: each topic is a list of keywords (骗取, 登记, 缴纳,
//!   稽核, 封存, 举报奖励, 救助…); the item's topics come from its name, the article's from its
//!   text; a mismatch is reported when both have topics and they share none. The message names
//!   the topics and the keywords found;
//! * `quotation-mismatch` (warning): the quoted words differ from the statute once width and
//!   punctuation are normalized; the message lists the differing spans (quoted → statute).
//!   A quotation that matches another article of the same statute better says so;
//! * `superseded-citation` (warning): the cited instrument or edition was no longer in force
//!   on the list's date (the date passed, or 1 January of `catalog.source.year`).

use std::collections::HashMap;

use quanze_model::{Catalog, Citation, Diagnostic, DiagnosticCode, PowerItem};
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::registry::{Article, Registry, StatuteEdition};
use crate::text::{article_label, cn_number, fold_width, is_ignorable};

/// What [`check_citations`] found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CitationReport {
    pub diagnostics: Vec<Diagnostic>,
    /// "Did you mean" hints already computed, by cited title (not part of the report).
    #[serde(skip)]
    suggestions: std::collections::HashMap<String, String>,
    /// Citations examined (legal basis and accountability basis of every item).
    pub total: usize,
    /// Citations whose instrument (and article, when the text is held) was found.
    pub resolved: usize,
    /// … of which resolved to the text of an article.
    pub resolved_to_text: usize,
    /// … of which the instrument is registered without a full text (title only).
    pub title_only: usize,
    pub unresolved: usize,
    /// Quotations compared with the statute.
    pub quotations_checked: usize,
    pub quotation_mismatches: usize,
    pub topic_checked: usize,
    pub topic_mismatches: usize,
    pub superseded: usize,
    /// The date editions were checked against.
    pub list_date: Option<Date>,
}

/// Topics of the topic check: name and keywords.
pub const TOPICS: &[(&str, &[&str])] = &[
    ("骗取", &["骗取", "欺诈", "冒名", "虚构医药服务", "虚报"]),
    ("登记", &["登记"]),
    ("缴费", &["缴纳", "缴费", "征缴", "滞纳金", "欠缴", "缴付"]),
    ("稽核检查", &["稽核", "监督检查", "检查"]),
    ("封存", &["封存"]),
    ("举报奖励", &["举报", "奖励"]),
    ("救助", &["救助"]),
    ("侵占挪用", &["侵占", "挪用"]),
    ("生育", &["生育"]),
    ("药品采购", &["投标", "招标", "集中采购", "采购"]),
    ("信息保密", &["泄露", "个人信息"]),
    ("价格", &["价格"]),
];

/// The topics of a text with the keywords that gave them.
pub fn topics_of(text: &str) -> Vec<(&'static str, &'static str)> {
    TOPICS
        .iter()
        .filter_map(|(name, kws)| kws.iter().find(|k| text.contains(*k)).map(|k| (*name, *k)))
        .collect()
}

/// Check every citation of a catalog against the registry, on the catalog's own date
/// (1 January of `catalog.source.year`), if it has one.
pub fn check_citations(registry: &Registry, catalog: &Catalog) -> CitationReport {
    let date = catalog.source.year.and_then(|y| Date::new(i32::from(y), 1, 1));
    check_citations_on(registry, catalog, date)
}

/// Run [`check_citations`] and add its findings to the catalog's own diagnostics (kept in
/// line order, as the importer leaves them). The one place the CLI and the server do it.
pub fn annotate(registry: &Registry, catalog: &mut Catalog) -> CitationReport {
    let mut report = check_citations(registry, catalog);
    catalog.diagnostics.append(&mut report.diagnostics);
    catalog.diagnostics.sort_by_key(|d| d.line.unwrap_or(0));
    report
}

/// [`check_citations`] with an explicit list date (`None`: no edition check).
pub fn check_citations_on(registry: &Registry, catalog: &Catalog, list_date: Option<Date>) -> CitationReport {
    let mut rep = CitationReport { list_date, ..CitationReport::default() };
    let mut memo = Memo::default();
    for item in &catalog.items {
        for c in &item.legal_basis.citations {
            check_one(registry, &mut memo, item, c, true, &mut rep);
        }
        for c in &item.accountability_basis.citations {
            check_one(registry, &mut memo, item, c, false, &mut rep);
        }
    }
    rep
}

/// What one run of the checks has already worked out. A list cites a few dozen distinct
/// articles and quotes them in a few hundred distinct ways, however many items it has (a
/// provincial list of 100,000 items repeats its templates): each title is resolved, each
/// article's topics found and each distinct quotation aligned once.
#[derive(Default)]
struct Memo<'r> {
    /// Editions by title as cited.
    editions: HashMap<String, Vec<&'r StatuteEdition>>,
    /// Topics of an article (with its statute's title), by edition and article.
    article_topics: HashMap<(*const StatuteEdition, u32), Vec<(&'static str, &'static str)>>,
    /// Outcome of the quotation check, by edition, article and quotation.
    quotations: HashMap<(*const StatuteEdition, u32), HashMap<String, Quotation>>,
}

/// The outcome of comparing one quotation with one article, without the citation's label.
#[derive(Clone)]
enum Quotation {
    /// Nothing to compare (too short once normalized).
    Unchecked,
    Matches,
    /// The message after "label："
    Differs(String),
}

impl<'r> Memo<'r> {
    fn editions(&mut self, reg: &'r Registry, title: &str) -> &[&'r StatuteEdition] {
        if !self.editions.contains_key(title) {
            self.editions.insert(title.to_string(), reg.editions_of(title));
        }
        self.editions.get(title).map(Vec::as_slice).unwrap_or_default()
    }

    fn article_topics(
        &mut self,
        edition: &StatuteEdition,
        article: &Article,
    ) -> &[(&'static str, &'static str)] {
        self.article_topics
            .entry((std::ptr::from_ref(edition), article.number))
            .or_insert_with(|| topics_of(&format!("{}\n{}", edition.title, article.text())))
    }
}

fn diag(code: DiagnosticCode, item: &PowerItem, msg: String) -> Diagnostic {
    Diagnostic::warning(code, msg).at_item(item.seq).at_line(item.line)
}

/// A citation that names an article, paragraph or item the statute's text does not have: an
/// error (the text is held, so the citation is certainly wrong).
fn error(item: &PowerItem, msg: String) -> Diagnostic {
    Diagnostic::error(DiagnosticCode::UnresolvedCitation, msg).at_item(item.seq).at_line(item.line)
}

fn where_(c: &Citation) -> String {
    let mut s = format!("《{}》", c.title);
    if let Some(a) = c.article {
        s.push_str(&article_label(a));
    }
    if let Some(p) = c.paragraph {
        s.push_str(&format!("第{}款", cn_number(p)));
    }
    if let Some(i) = c.item {
        s.push_str(&format!("第（{}）项", cn_number(i)));
    }
    s
}

fn check_one<'r>(
    reg: &'r Registry,
    memo: &mut Memo<'r>,
    item: &PowerItem,
    c: &Citation,
    legal_basis: bool,
    rep: &mut CitationReport,
) {
    rep.total += 1;
    let eds = memo.editions(reg, &c.title).to_vec();
    let Some(current) = eds.last().copied() else {
        rep.unresolved += 1;
        // A list cites the same unknown title again and again; suggest once per title.
        let hint = rep
            .suggestions
            .entry(c.title.clone())
            .or_insert_with(|| {
                reg.suggest(&c.title).map(|s| format!("；是否指《{s}》？")).unwrap_or_default()
            })
            .clone();
        rep.diagnostics.push(diag(
            DiagnosticCode::UnresolvedCitation,
            item,
            format!("{}：法规库中没有《{}》{hint}", where_(c), c.title),
        ));
        return;
    };
    // The edition the list means: the one it names, else the one in force on the list date,
    // else the latest.
    let named = c.edition.as_deref().and_then(|e| edition_named(&eds, e));
    let in_force = rep.list_date.and_then(|d| eds.iter().rev().find(|e| e.in_force_on(d)).copied());
    let edition = named.or(in_force).unwrap_or(current);

    // Superseded: by the list's date, the cited instrument or edition was no longer in force.
    if let Some(d) = rep.list_date {
        let cited = named.unwrap_or(edition);
        if let Some(s) = cited.superseded.filter(|s| *s <= d) {
            rep.superseded += 1;
            let by = cited
                .superseded_by
                .as_deref()
                .map(|b| format!("，由《{}》取代", b.split('(').next().unwrap_or(b)))
                .unwrap_or_default();
            let which = match &c.edition {
                Some(e) if named.is_some() => format!("（{e}）"),
                _ => String::new(),
            };
            rep.diagnostics.push(diag(
                DiagnosticCode::SupersededCitation,
                item,
                format!("{}{which}：该版本已于{s}失效{by}；清单日期 {d}", where_(c)),
            ));
        }
    }

    let Some(article_no) = c.article else {
        rep.resolved += 1;
        if !edition.full_text {
            rep.title_only += 1;
        }
        return;
    };
    if !edition.full_text {
        rep.resolved += 1;
        rep.title_only += 1;
        // Without a full text, the topic check uses what the lists quote of the article (the
        // title alone is too coarse: a 生育保险办法 has its own fraud article).
        if let Some(a) = edition.article(article_no).filter(|a| legal_basis && !a.quotes.is_empty()) {
            topic_check(item, c, memo.article_topics(edition, a), rep);
        }
        return;
    }
    let Some(article) = edition.article(article_no) else {
        rep.unresolved += 1;
        rep.diagnostics.push(error(
            item,
            format!(
                "{}：《{}》（{}）只有{}条，没有{}",
                where_(c),
                edition.full_title,
                edition.id,
                edition.article_count().unwrap_or(0),
                article_label(article_no)
            ),
        ));
        return;
    };
    // Paragraph and item.
    let missing = match (c.paragraph, c.item) {
        (Some(p), item_no) => match article.paragraphs.get((p as usize).wrapping_sub(1)) {
            None => Some(format!(
                "{}：{}只有{}款，没有第{}款",
                where_(c),
                article_label(article_no),
                article.paragraphs.len(),
                cn_number(p)
            )),
            Some(par) => item_no
                .filter(|i| !par.items.iter().any(|x| x.number == *i))
                .map(|i| format!("{}：该款有{}项，没有第（{}）项", where_(c), par.items.len(), cn_number(i))),
        },
        // 第X条第（Z）项 without a paragraph: the items of any paragraph.
        (None, Some(i)) => (!article.paragraphs.iter().flat_map(|p| p.items.iter()).any(|x| x.number == i))
            .then(|| format!("{}：{}没有第（{}）项", where_(c), article_label(article_no), cn_number(i))),
        (None, None) => None,
    };
    if let Some(msg) = missing {
        rep.unresolved += 1;
        rep.diagnostics.push(error(item, msg));
        return;
    }
    rep.resolved += 1;
    rep.resolved_to_text += 1;

    if legal_basis {
        topic_check(item, c, memo.article_topics(edition, article), rep);
    }
    if let Some(q) = c.text.as_deref() {
        // Quotations are compared with the whole article: lists quote the lead words with
        // the item they cite (the paragraph and item were resolved above).
        let by_quote = memo.quotations.entry((std::ptr::from_ref(edition), article.number)).or_default();
        if !by_quote.contains_key(q) {
            by_quote.insert(q.to_string(), quotation_check(edition, article, q));
        }
        match by_quote.get(q) {
            None | Some(Quotation::Unchecked) => {}
            Some(Quotation::Matches) => rep.quotations_checked += 1,
            Some(Quotation::Differs(msg)) => {
                rep.quotations_checked += 1;
                rep.quotation_mismatches += 1;
                rep.diagnostics.push(diag(
                    DiagnosticCode::QuotationMismatch,
                    item,
                    format!("{}：{msg}", where_(c)),
                ));
            }
        }
    }
}

/// The edition a printed edition note names (2018年12月修改 → the edition promulgated in
/// 2018-12), when the registry has several or one with that date.
fn edition_named<'a>(eds: &[&'a StatuteEdition], note: &str) -> Option<&'a StatuteEdition> {
    let folded: String = note.chars().map(fold_width).collect();
    let year_pos = folded.find('年')?;
    let digits: String = folded[..year_pos]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let year: i32 = digits.parse().ok()?;
    let after = &folded[year_pos + '年'.len_utf8()..];
    let month: Option<u32> = {
        let m: String = after.chars().take_while(char::is_ascii_digit).collect();
        if after[m.len()..].starts_with('月') { m.parse().ok() } else { None }
    };
    eds.iter().copied().rfind(|e| {
        e.promulgated.is_some_and(|p| p.year() == year && month.is_none_or(|m| p.month() == m))
            || e.effective.is_some_and(|p| p.year() == year && month.is_none_or(|m| p.month() == m))
    })
}

fn topic_check(
    item: &PowerItem,
    c: &Citation,
    at: &[(&'static str, &'static str)],
    rep: &mut CitationReport,
) {
    if at.is_empty() {
        return;
    }
    let mut name = item.name.clone();
    if let Some(s) = &item.sub_name {
        name.push_str(s);
    }
    let it = topics_of(&name);
    if it.is_empty() {
        return;
    }
    rep.topic_checked += 1;
    if it.iter().any(|(t, _)| at.iter().any(|(u, _)| u == t)) {
        return;
    }
    rep.topic_mismatches += 1;
    let fmt =
        |v: &[(&str, &str)]| v.iter().map(|(t, k)| format!("{t}（“{k}”）")).collect::<Vec<_>>().join("、");
    rep.diagnostics.push(diag(
        DiagnosticCode::CitationMismatch,
        item,
        format!(
            "{}所涉为{}，而事项“{}”所涉为{}：所引条文与事项不符",
            where_(c),
            fmt(at),
            item.name,
            fmt(&it)
        ),
    ));
}

/// Characters compared: width folded, punctuation and white space removed.
fn norm(s: &str) -> Vec<char> {
    s.chars().map(fold_width).filter(|c| !is_ignorable(*c)).collect()
}

/// Largest alignment table (quotation × article characters); larger pairs are not aligned.
const MAX_CELLS: usize = 4_000_000;

/// One differing span: what the list quotes and what the statute says there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffSpan {
    pub quoted: String,
    pub statute: String,
}

/// Align `q` inside `t` (free leading and trailing text of `t`): cost and differing spans.
/// A changed or an extra character costs 2 and a missing one 1: quotations leave words out far
/// more often than they add any, so a left-out word shows as missing rather than as a run of
/// changed or extra characters.
pub fn align(q: &[char], t: &[char]) -> (usize, Vec<DiffSpan>) {
    let (m, n) = (q.len(), t.len());
    if m == 0 {
        return (0, Vec::new());
    }
    if m.saturating_mul(n) > MAX_CELLS {
        // Too long to align within bounds: counted as entirely different.
        return (2 * m, vec![DiffSpan { quoted: q.iter().collect(), statute: String::new() }]);
    }
    // dp[i][j]: cost of aligning q[..i] ending at t[..j].
    let w = n + 1;
    let mut dp = vec![0u32; (m + 1) * w];
    let mut op = vec![0u8; (m + 1) * w]; // 0 match/sub, 1 skip q (extra in quote), 2 skip t (missing)
    for i in 1..=m {
        dp[i * w] = 2 * i as u32;
        op[i * w] = 1;
    }
    for i in 1..=m {
        for j in 1..=n {
            let sub = dp[(i - 1) * w + j - 1] + 2 * u32::from(q[i - 1] != t[j - 1]);
            let del = dp[(i - 1) * w + j] + 2;
            let ins = dp[i * w + j - 1] + 1;
            let (v, o) = if sub <= del && sub <= ins {
                (sub, 0)
            } else if del <= ins {
                (del, 1)
            } else {
                (ins, 2)
            };
            dp[i * w + j] = v;
            op[i * w + j] = o;
        }
    }
    let (mut j, mut best) = (0, u32::MAX);
    for jj in 0..=n {
        if dp[m * w + jj] < best {
            best = dp[m * w + jj];
            j = jj;
        }
    }
    // Trace back.
    let mut i = m;
    let mut ops: Vec<(Option<char>, Option<char>)> = Vec::new();
    while i > 0 {
        match op[i * w + j] {
            0 if j > 0 => {
                ops.push((Some(q[i - 1]), Some(t[j - 1])));
                i -= 1;
                j -= 1;
            }
            2 if j > 0 => {
                ops.push((None, Some(t[j - 1])));
                j -= 1;
            }
            _ => {
                ops.push((Some(q[i - 1]), None));
                i -= 1;
            }
        }
    }
    ops.reverse();
    let mut spans = Vec::new();
    let mut cur = DiffSpan { quoted: String::new(), statute: String::new() };
    for (a, b) in ops {
        if a.is_some() && a == b {
            if !cur.quoted.is_empty() || !cur.statute.is_empty() {
                spans.push(std::mem::replace(
                    &mut cur,
                    DiffSpan { quoted: String::new(), statute: String::new() },
                ));
            }
        } else {
            if let Some(a) = a {
                cur.quoted.push(a);
            }
            if let Some(b) = b {
                cur.statute.push(b);
            }
        }
    }
    if !cur.quoted.is_empty() || !cur.statute.is_empty() {
        spans.push(cur);
    }
    (best as usize, spans)
}

/// Segments of a quotation, each normalized: split at ellipses (……, …, ...), where words
/// were left out, and at sentence and clause ends (。；, line breaks), so that a quotation
/// that prints the items before the lead sentence still matches clause by clause.
fn segments(q: &str) -> Vec<Vec<char>> {
    let mut out = Vec::new();
    for part in q.split(['…', '⋯', '。', '；', ';', '\n']).flat_map(|p| p.split("...")) {
        let n = norm(part);
        if n.len() >= 2 {
            out.push(n);
        }
    }
    out
}

/// Compare a quotation with the article it cites (and, when it is far off, with the other
/// articles of the statute).
fn quotation_check(edition: &StatuteEdition, article: &Article, quote: &str) -> Quotation {
    let t = norm(&article.text());
    // Lists often print the article label with the words (第八十七条 社会保险…).
    let label = norm(&article.label);
    let segs: Vec<Vec<char>> = segments(quote)
        .into_iter()
        .map(|s| if s.starts_with(&label) { s[label.len()..].to_vec() } else { s })
        .filter(|s| s.len() >= 2)
        .collect();
    if segs.is_empty() {
        return Quotation::Unchecked;
    }
    let mut spans = Vec::new();
    let mut dist = 0usize;
    let mut len = 0usize;
    for s in &segs {
        len += s.len();
        if contains(&t, s) {
            continue;
        }
        let (d, sp) = align(s, &t);
        dist += d;
        spans.extend(sp);
    }
    if spans.is_empty() {
        return Quotation::Matches;
    }
    let ratio = dist as f64 / len.max(1) as f64;
    let msg = if ratio > 0.8 {
        // Not this article: does it match another one of the same statute?
        let better = edition
            .articles
            .iter()
            .filter(|a| a.number != article.number)
            .filter_map(|a| {
                let at = norm(&a.text());
                let d: usize = segs.iter().map(|s| if contains(&at, s) { 0 } else { align(s, &at).0 }).sum();
                (d as f64 / (len.max(1) as f64) < 0.3).then_some((d, a.number))
            })
            .min();
        match better {
            Some((_, n)) => format!("引文与该条不符，而与{}相符——条号可能有误", article_label(n)),
            None => {
                let head = |v: &[char]| v.iter().take(20).collect::<String>();
                format!(
                    "引文与该条文字大部不同（{dist}/{len}字不同），该法其他条文也无相符者：引文“{}…”，法条“{}…”",
                    head(&segs[0]),
                    head(&t)
                )
            }
        }
    } else {
        let shown: Vec<String> = spans
            .iter()
            .take(6)
            .map(|s| match (s.quoted.is_empty(), s.statute.is_empty()) {
                (false, false) => format!("“{}”→法条“{}”", s.quoted, s.statute),
                (false, true) => format!("多出“{}”", s.quoted),
                _ => format!("缺“{}”", s.statute),
            })
            .collect();
        let more = if spans.len() > 6 { format!("等{}处", spans.len()) } else { String::new() };
        format!("引文与法条不一致（忽略全半角和标点）：{}{more}", shown.join("；"))
    };
    Quotation::Differs(msg)
}

fn contains(hay: &[char], needle: &[char]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn alignment_finds_the_changed_words() {
        let (d, spans) = align(&chars("暂停3个月以上1年以下"), &chars("责令暂停6个月以上1年以下涉及"));
        assert_eq!(d, 2);
        assert_eq!(spans, vec![DiffSpan { quoted: "3".into(), statute: "6".into() }]);
        let (d, spans) = align(&chars("处二倍以上五倍罚款"), &chars("处二倍以上五倍以下的罚款"));
        assert_eq!(d, 3);
        assert_eq!(spans, vec![DiffSpan { quoted: String::new(), statute: "以下的".into() }]);
    }

    #[test]
    fn topics_have_keywords() {
        let t = topics_of("对用人单位不办理社会保险登记的处罚");
        assert_eq!(t, vec![("登记", "登记")]);
    }
}
