//! Law as code for every interface: statute lookups, the labels and links pages show, the
//! Chinese wording of calculator errors, the registry's findings added to imported lists, and
//! the item page's law block ([`item_law`]). No axum here.

use quanze_law::{
    ItemQuery, LawError, Party, Registry, StatuteEdition, format_yuan, law_data, parse_yuan, registry,
};
use quanze_model::{Catalog, Date, PowerItem};
use serde::Deserialize;

use crate::http::params::pct;
use crate::http::zh;

/// Longest statute id or title looked up.
/// Body limit of `POST /api/penalty`, as for the other JSON endpoints.
pub(crate) const JSON_LIMIT: usize = 64 * 1024;

pub(crate) const MAX_TITLE_CHARS: usize = 200;

// ---------- helpers ----------

/// Add the statute registry's findings (`unresolved-citation`, `citation-mismatch`,
/// `quotation-mismatch`, `superseded-citation`) to a catalog's diagnostics, as the CLI does.
pub(crate) fn annotate(catalog: &mut Catalog) {
    quanze_law::annotate(registry(), catalog);
}

pub(crate) fn statute_url(e: &StatuteEdition) -> String {
    format!("/statutes/{}", pct(&e.id))
}

pub(crate) fn article_url(e: &StatuteEdition, n: u32) -> String {
    format!("/statutes/{}/articles/{n}", pct(&e.id))
}

pub(crate) fn article_label(n: u32) -> String {
    format!("第{}条", zh::numeral(n))
}

/// A statute by edition id, or by title (its current edition).
pub(crate) fn find_statute(reg: &'static Registry, id: &str) -> Option<&'static StatuteEdition> {
    let id = id.trim();
    if id.is_empty() || id.chars().count() > MAX_TITLE_CHARS {
        return None;
    }
    reg.by_id(id).or_else(|| reg.current(id))
}

pub(crate) fn suggestion(reg: &Registry, id: &str) -> Option<String> {
    (id.chars().count() <= MAX_TITLE_CHARS).then(|| reg.suggest(id).map(String::from)).flatten()
}

pub(crate) fn parse_article_ref(s: &str) -> Option<u32> {
    if s.chars().count() > 20 {
        return None;
    }
    crate::http::params::parse_article(s)
}

/// Sanction articles the calculator knows, per statute title, in data order.
pub(crate) fn sanction_articles(title: &str) -> Vec<u32> {
    let mut v: Vec<u32> =
        law_data().sanctions.iter().filter(|s| s.statute == title).map(|s| s.article).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Titles of the statutes with sanction articles, in data order.
pub(crate) fn sanction_statutes() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = Vec::new();
    for s in &law_data().sanctions {
        if !v.contains(&s.statute.as_str()) {
            v.push(&s.statute);
        }
    }
    v
}

/// A decimal multiple in the statute's manner: 2倍, 百分之五, 千分之五.
pub(crate) fn ratio_words(s: &str) -> String {
    let t = s.trim();
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        return format!("{int}倍");
    }
    let digits = format!("{int}{frac}");
    let Ok(n) = digits.parse::<u64>() else { return format!("{t}倍") };
    let scale = 10u64.saturating_pow(frac.len() as u32);
    for (unit, name) in [(100u64, "百分之"), (1000, "千分之"), (10000, "万分之")] {
        if unit >= scale && unit % scale == 0 {
            let x = n * (unit / scale);
            if let Ok(x) = u32::try_from(x) {
                return format!("{name}{}", zh::numeral(x));
            }
        }
    }
    format!("{t}倍")
}

/// Status of a calculator error: unknown things are 404, facts that do not fit are 422.
/// `YYYY-MM-DD`, when known.
pub(crate) fn date_str(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

pub(crate) fn law_status(e: &LawError) -> (u16, &'static str) {
    match e {
        LawError::UnknownStatute { .. }
        | LawError::UnknownArticle { .. }
        | LawError::UnknownParagraph { .. } => (404, "not-found"),
        LawError::Data(_) => (500, "internal"),
        _ => (422, "invalid"),
    }
}

pub(crate) struct ParaView {
    pub(crate) text: String,
    pub(crate) items: Vec<String>,
    pub(crate) cited: bool,
}

pub(crate) fn paras(a: &quanze_law::Article, cited: Option<u32>) -> Vec<ParaView> {
    a.paragraphs
        .iter()
        .zip(1u32..)
        .map(|(p, n)| ParaView {
            text: p.text.clone(),
            items: p.items.iter().map(|i| i.text.clone()).collect(),
            cited: cited == Some(n),
        })
        .collect()
}

pub(crate) fn calc_url(title: &str, article: u32, paragraph: Option<u32>, base: Option<i64>) -> String {
    let mut u = format!("/calculator?statute={}&article={article}", pct(title));
    if let Some(p) = paragraph {
        u.push_str(&format!("&paragraph={p}"));
    }
    if let Some(b) = base {
        u.push_str(&format!("&base={}", fen_to_yuan_input(b)));
    }
    u
}

/// Fen as a plain 元 amount for a form field: `10000`, `10000.5`.
pub(crate) fn fen_to_yuan_input(fen: i64) -> String {
    let (y, f) = (fen / 100, fen % 100);
    if f == 0 {
        y.to_string()
    } else if f % 10 == 0 {
        format!("{y}.{}", f / 10)
    } else {
        format!("{y}.{f:02}")
    }
}

/// A calculator error in Chinese, for the portal.
pub(crate) fn law_error_zh(e: &LawError) -> String {
    match e {
        LawError::NegativeAmount { .. } => "金额不能为负数。".into(),
        LawError::AmountTooLarge { .. } => "金额超过 1000亿元 的上限，请核对。".into(),
        LawError::InvalidYuan(s) => format!("“{s}”不是以元为单位、最多两位小数的金额。"),
        LawError::UnknownStatute { title, suggestion } => format!(
            "法规库中没有《{title}》。{}",
            suggestion.as_ref().map(|s| format!("是否指《{s}》？")).unwrap_or_default()
        ),
        LawError::UnknownArticle { statute, article, count } => format!(
            "《{statute}》没有{}{}。",
            article_label(*article),
            count.map(|c| format!("（共 {c} 条）")).unwrap_or_default()
        ),
        LawError::UnknownParagraph { statute, article, paragraph, count } => format!(
            "《{statute}》{}没有第 {paragraph} 款{}。",
            article_label(*article),
            count.map(|c| format!("（共 {c} 款）")).unwrap_or_default()
        ),
        LawError::NoSanction { statute, article, known } => format!(
            "《{statute}》{}不是计算器收录的罚则条款（收录的条款：{}）。",
            article_label(*article),
            known
                .split(", ")
                .filter_map(|n| n.parse::<u32>().ok())
                .map(article_label)
                .collect::<Vec<_>>()
                .join("、")
        ),
        LawError::BeforeEffect { statute, date, effective } => {
            format!("《{statute}》在 {date} 尚未施行（{effective} 起施行）。")
        }
        LawError::NoLongerInForce { statute, date, superseded } => {
            format!("{date} 时《{statute}》已无有效版本（{superseded} 起被取代）。")
        }
        LawError::FigureNotInForce { figure, date, first } => {
            format!("{date} 时没有“{figure}”的有效数值（自 {first} 起才有）。")
        }
        LawError::PartyMismatch { statute, article, liable, .. } => {
            format!("《{statute}》{}针对的是{liable}，与所选当事人类型不符。", article_label(*article))
        }
        LawError::MissingBase { statute, article, base } => {
            format!("《{statute}》{}的罚款按{base}的倍数计算，请填写{base}。", article_label(*article))
        }
        LawError::Data(m) => format!("内置法律数据有误：{m}"),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

// ---------- item page ----------

/// What the registry says about one citation of an item (no list date: no edition check).
pub(crate) fn citation_findings(
    item: &PowerItem,
    c: &quanze_model::Citation,
) -> Vec<(&'static str, &'static str, String)> {
    let mut one = item.clone();
    one.legal_basis.citations = vec![c.clone()];
    one.accountability_basis.citations.clear();
    let catalog = Catalog {
        source: quanze_model::Source::default(),
        declared: quanze_model::Declared::default(),
        contacts: Vec::new(),
        items: vec![one],
        diagnostics: Vec::new(),
    };
    quanze_law::check_citations_on(registry(), &catalog, None)
        .diagnostics
        .iter()
        .map(|d| (d.severity.as_str(), d.code.as_str(), d.message.clone()))
        .collect()
}

/// Query parameters of the item page: `base` in 元 for the sanction articles' ranges.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ItemLawParams {
    pub base: Option<String>,
}

impl ItemLawParams {
    /// Whether the page depends on the parameters (and must not be cached).
    pub(crate) fn is_set(&self) -> bool {
        self.base.as_deref().is_some_and(|b| !b.trim().is_empty())
    }
}

pub(crate) struct CitedArticle {
    pub(crate) heading: String,
    pub(crate) quoted: String,
    /// The registry's text of the cited article, paragraph by paragraph.
    pub(crate) paras: Vec<ParaView>,
    /// A quotation from lists, when the registry holds no text.
    pub(crate) registry_quote: String,
    /// Why there is no text, when there is none.
    pub(crate) note: String,
    pub(crate) url: String,
    pub(crate) edition: String,
    /// The registry's findings on this citation: (severity, code, message).
    pub(crate) findings: Vec<(&'static str, &'static str, String)>,
}

pub(crate) struct ItemPenaltyView {
    pub(crate) heading: String,
    pub(crate) range: String,
    pub(crate) fine_applies: bool,
    pub(crate) formulas: Vec<String>,
    /// Set when the fine is a multiple of an amount not given.
    pub(crate) needs_base: String,
    pub(crate) error: String,
    pub(crate) unverified: bool,
    pub(crate) highest: bool,
    pub(crate) calc_url: String,
}

/// The law block of the item page.
#[derive(Default)]
pub(crate) struct ItemLaw {
    pub(crate) item_id: i64,
    pub(crate) articles: Vec<CitedArticle>,
    pub(crate) penalties: Vec<ItemPenaltyView>,
    pub(crate) base: String,
    pub(crate) base_error: String,
    pub(crate) any_needs_base: bool,
    pub(crate) date: String,
}

impl ItemLaw {
    pub(crate) fn is_empty(&self) -> bool {
        self.articles.is_empty() && self.penalties.is_empty()
    }
}

/// The law block of an item page: each cited article's text from the registry next to the
/// list's quotation, and the computed range of each sanction article (for `params.base`, in 元,
/// when given; else the formula).
pub(crate) fn item_law(item_id: i64, item: &PowerItem, params: &ItemLawParams, today: Date) -> ItemLaw {
    let reg = registry();
    let date = today;
    let mut out = ItemLaw { item_id, date: date.to_string(), ..ItemLaw::default() };
    let base_text = params.base.as_deref().map(str::trim).unwrap_or("").to_string();
    let base = if base_text.is_empty() {
        None
    } else {
        match parse_yuan(&base_text) {
            Ok(f) => Some(f),
            Err(e) => {
                out.base_error = law_error_zh(&e);
                None
            }
        }
    };
    out.base = base_text;
    for c in &item.legal_basis.citations {
        let Some(article) = c.article else { continue };
        let mut heading = format!("《{}》{}", c.title, article_label(article));
        if let Some(p) = c.paragraph {
            heading.push_str(&format!("第{}款", zh::numeral(p)));
        }
        if let Some(i) = c.item {
            heading.push_str(&format!("第{}项", zh::numeral(i)));
        }
        let mut view = CitedArticle {
            heading,
            quoted: c.text.clone().unwrap_or_default(),
            paras: Vec::new(),
            registry_quote: String::new(),
            note: String::new(),
            url: String::new(),
            edition: String::new(),
            findings: citation_findings(item, c),
        };
        match reg.current(&c.title) {
            None => view.note = "法规库未收录此法规。".into(),
            Some(e) => {
                view.edition = e.id.clone();
                match e.article(article) {
                    Some(a) if !a.paragraphs.is_empty() => {
                        view.paras = paras(a, c.paragraph);
                        view.url = article_url(e, article);
                    }
                    Some(a) => {
                        view.registry_quote = a.quotes.first().map(|q| q.text.clone()).unwrap_or_default();
                        view.note = if view.registry_quote.is_empty() {
                            "法规库未收录全文，也没有清单引用这一条的原文。".into()
                        } else {
                            "法规库未收录全文，以下为清单对这一条的引用（未经核对）。".into()
                        };
                        view.url = article_url(e, article);
                    }
                    None if e.full_text => {
                        view.note = format!(
                            "{}没有{}（共 {} 条）。",
                            e.full_title,
                            article_label(article),
                            e.article_count().unwrap_or(0)
                        );
                    }
                    None => view.note = "法规库未收录此法规的全文。".into(),
                }
            }
        }
        out.articles.push(view);
    }
    // The penalties are the law crate's item computation, the one the CLI and the API use
    // (行政处罚法 第二十九条's mark included); this only maps it onto the page.
    let query = ItemQuery { base_amount_fen: base, party: Party::Unit, ..ItemQuery::on(date) };
    let computed = quanze_law::compute_for_item(reg, item, &query);
    out.any_needs_base = computed.needs_base();
    out.penalties = computed
        .penalties
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let result = p.result();
            ItemPenaltyView {
                heading: p.heading.clone(),
                range: result
                    .map(|r| format!("{} 至 {}", format_yuan(r.min_fen), format_yuan(r.max_fen)))
                    .unwrap_or_default(),
                fine_applies: result.is_some_and(|r| r.fine_applies),
                formulas: p.formulas.clone(),
                needs_base: match &p.outcome {
                    quanze_law::ItemOutcome::NeedsBase { base } => base.clone(),
                    _ => String::new(),
                },
                error: match &p.outcome {
                    quanze_law::ItemOutcome::Failed(e) => law_error_zh(e),
                    _ => String::new(),
                },
                unverified: result.is_some_and(|r| r.unverified),
                highest: computed.highest == Some(i),
                calc_url: calc_url(&p.statute, p.article, p.paragraph, base),
            }
        })
        .collect();
    out
}
